//! The record lock: one lock per repository, shared by every work tree, that sopctl's record
//! commands (`release`, `approve`, `review`, `retire`) hold from before they read the repository
//! until their record is written.
//!
//! It is an advisory lock (`flock`) on `<common git dir>/sopctl/lock`. The operating system
//! releases it when the process ends in any way, SIGKILL included, so it never goes stale and is
//! never deleted. Linked work trees (`git worktree add`) share the common git dir, so a release
//! from one waits for a release from another (issue 13: both used to report success with one
//! tag between them).

use std::fs::File;
use std::path::{Path, PathBuf};

use super::RepoError;

/// The folder where sopctl keeps its own state inside the common git dir.
pub(crate) fn state_dir(common: &Path) -> PathBuf {
    common.join("sopctl")
}

/// The record lock, held for as long as this value lives.
#[derive(Debug)]
pub struct RecordLock {
    _file: File,
}

impl RecordLock {
    fn open(common: &Path) -> Result<File, RepoError> {
        let dir = state_dir(common);
        std::fs::create_dir_all(&dir).map_err(|e| RepoError::io(&dir, &e))?;
        let path = dir.join("lock");
        std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| RepoError::io(&path, &e))
    }

    /// Takes the lock of the repository whose common git dir is `common`, waiting for another
    /// sopctl command that holds it; `waiting` is called once before the wait starts.
    ///
    /// # Errors
    /// [`RepoError::State`] when the lock file cannot be made or locked.
    pub fn acquire(common: &Path, waiting: &mut dyn FnMut()) -> Result<RecordLock, RepoError> {
        let file = Self::open(common)?;
        match file.try_lock() {
            Ok(()) => return Ok(RecordLock { _file: file }),
            Err(std::fs::TryLockError::WouldBlock) => waiting(),
            Err(std::fs::TryLockError::Error(e)) => {
                return Err(RepoError::io(&state_dir(common).join("lock"), &e));
            }
        }
        file.lock()
            .map_err(|e| RepoError::io(&state_dir(common).join("lock"), &e))?;
        Ok(RecordLock { _file: file })
    }

    /// Takes the lock if no other process holds it; `None` when one does (a record is being
    /// written right now, so there is nothing to recover).
    ///
    /// # Errors
    /// [`RepoError::State`] when the lock file cannot be made or locked.
    pub fn try_acquire(common: &Path) -> Result<Option<RecordLock>, RepoError> {
        let file = Self::open(common)?;
        match file.try_lock() {
            Ok(()) => Ok(Some(RecordLock { _file: file })),
            Err(std::fs::TryLockError::WouldBlock) => Ok(None),
            Err(std::fs::TryLockError::Error(e)) => {
                Err(RepoError::io(&state_dir(common).join("lock"), &e))
            }
        }
    }
}
