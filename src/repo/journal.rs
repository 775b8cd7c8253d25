//! The intent journal: what a record being written is about to make true, kept in
//! `<common git dir>/sopctl/journal.json` until every step is done, so that a record killed at
//! any point is finished or undone by the next sopctl command (issue 13).
//!
//! The commit point of every record is the move of the branch: before it, nothing the user can
//! see has changed but the tag ref (which undo deletes); after it, the record exists and what is
//! left (the work tree files, the renditions, the index) is derived from objects already in git
//! and from renditions already staged beside the journal, so it can be redone any number of
//! times. [`Repo::recover_locked`] reads the branch: at the new commit (or past it), it finishes
//! the record; anywhere else, it undoes it. See `docs/architecture.md` ("Crash safety").

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::lock::state_dir;
use super::{Repo, RepoError};

/// What an interrupted record was about to make true.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Intent {
    /// The record in words, for messages: "the release of SOP-001 1.1".
    pub what: String,
    /// The work tree the record was made in (absolute, as it was then; see
    /// `Repo::workdir_of` for a repository moved since).
    pub workdir: PathBuf,
    /// That work tree's index file (absolute, as it was then; linked work trees have their own).
    pub index: PathBuf,
    /// That work tree's git dir relative to the common git dir (empty for the main work tree,
    /// `worktrees/NAME` for a linked one), so a moved repository is still found.
    pub git_dir: PathBuf,
    /// The branch's full ref name (`refs/heads/main`).
    pub branch: String,
    /// The commit the branch pointed at before (none on an unborn branch).
    pub old: Option<String>,
    /// The record's commit.
    pub new: String,
    /// The tag's full ref name and the tag object it points at, for a release.
    pub tag: Option<(String, String)>,
    /// Work tree files the commit changes.
    pub files: Vec<FileIntent>,
    /// Renditions staged in the state folder (relative to the staging folder), and where they
    /// go (relative to the work tree when inside it).
    pub renditions: Vec<(PathBuf, PathBuf)>,
}

/// One work tree file a record changes.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FileIntent {
    /// Relative to the work tree, with `/`.
    pub path: PathBuf,
    /// The blob the commit holds for it: the work tree bytes through git's clean filters
    /// (`core.autocrlf`, `core.eol`, `.gitattributes`), as `git add` would store them.
    pub blob: String,
    /// An object holding the bytes the work tree file gets (line endings as in the file), which
    /// differ from the blob when a filter converts them.
    pub worktree: String,
    /// Its git file mode (`0o100644`, `0o100755`).
    pub mode: u32,
    /// A blob holding the file's bytes in the work tree before the record (none: no file), to
    /// put it back when the record is undone. Neither finishing nor undoing overwrites a file
    /// that holds anything else: an edit made after the interruption is the user's and stays.
    pub before: Option<String>,
}

/// What the next command did with an interrupted record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// The record had reached its commit point; its remaining steps were carried out.
    Completed(String),
    /// The record had not reached its commit point; what it had begun was removed.
    Undone(String),
}

impl std::fmt::Display for Outcome {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Outcome::Completed(what) => write!(
                f,
                "{what} had been interrupted after it was recorded; it is now complete"
            ),
            Outcome::Undone(what) => write!(
                f,
                "{what} had been interrupted before it was recorded; it was undone and the repository is as it was before it"
            ),
        }
    }
}

/// The journal file: `<common git dir>/sopctl/journal.json`.
pub fn journal_path(common: &Path) -> PathBuf {
    state_dir(common).join("journal.json")
}

/// The folder renditions are staged in before the commit point.
pub(crate) fn staging_dir(common: &Path) -> PathBuf {
    state_dir(common).join("staging")
}

/// What sopctl writes into a git lock file it takes itself, so that a later run recognises a
/// lock left behind by a killed sopctl as its own.
pub(crate) const LOCK_MARK: &str = "sopctl record lock";

pub(crate) fn state_error(path: &Path, e: &dyn std::fmt::Display) -> RepoError {
    RepoError::State {
        path: path.to_path_buf(),
        message: e.to_string(),
    }
}

/// Writes the journal atomically and flushes it to disk before returning.
pub(crate) fn write(common: &Path, intent: &Intent) -> Result<(), RepoError> {
    let path = journal_path(common);
    let json = serde_json::to_vec_pretty(intent).map_err(|e| state_error(&path, &e))?;
    crate::fsx::write_atomic(&path, &json).map_err(|e| RepoError::io(&path, &e.source))
}

/// The journal, if a record is unfinished.
pub(crate) fn read(common: &Path) -> Result<Option<Intent>, RepoError> {
    let path = journal_path(common);
    match std::fs::read(&path) {
        Ok(bytes) => serde_json::from_slice(&bytes)
            .map(Some)
            .map_err(|e| state_error(&path, &e)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(RepoError::io(&path, &e)),
    }
}

/// Removes the journal and the staging folder: the record is finished or undone.
pub(crate) fn clear(common: &Path) -> Result<(), RepoError> {
    for folder in [staging_dir(common), state_dir(common).join("scratch")] {
        if folder.exists() {
            std::fs::remove_dir_all(&folder).map_err(|e| RepoError::io(&folder, &e))?;
        }
    }
    for file in [
        "index.before",
        "index.lock.mark",
        "index.next",
        "index.next.lock",
    ] {
        let path = state_dir(common).join(file);
        if path.exists() {
            std::fs::remove_file(&path).map_err(|e| RepoError::io(&path, &e))?;
        }
    }
    let path = journal_path(common);
    match std::fs::remove_file(&path) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(RepoError::io(&path, &e)),
    }
}

/// Whether the git lock file at `path` was left by sopctl: it carries [`LOCK_MARK`] (the index
/// lock sopctl takes itself), or it is a ref lock that libgit2 was writing for the record:
/// empty, or holding one of the ids the record was writing (`ids` empty for the index lock).
pub(crate) fn lock_is_ours(path: &Path, ids: &[&str]) -> bool {
    let Ok(bytes) = std::fs::read(path) else {
        return false;
    };
    let text = String::from_utf8_lossy(&bytes);
    let text = text.trim();
    text.starts_with(LOCK_MARK) || (!ids.is_empty() && (text.is_empty() || ids.contains(&text)))
}

/// Removes `path` if it is a lock file sopctl left (see [`lock_is_ours`]).
pub(crate) fn clear_lock(path: &Path, ids: &[&str]) -> Result<(), RepoError> {
    if path.exists() && lock_is_ours(path, ids) {
        std::fs::remove_file(path).map_err(|e| RepoError::io(path, &e))?;
    }
    Ok(())
}

/// Removes sopctl's temporary files (`.sopctl-*.tmp`, from an atomic write cut short) in the
/// folder of `file`.
pub(crate) fn clear_temporaries(file: &Path) {
    let Some(dir) = file.parent() else { return };
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(".sopctl-") && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

impl Repo {
    /// The git lock files a record may leave behind: the index's, the branch's, the tag's.
    pub(crate) fn record_locks(&self, intent: &Intent) -> Vec<PathBuf> {
        let common = self.common_dir();
        let mut locks = vec![lock_of(&self.index_of(intent))];
        locks.push(lock_of(&common.join(&intent.branch)));
        if let Some((name, _)) = &intent.tag {
            locks.push(lock_of(&common.join(name)));
        }
        locks
    }

    /// Finishes or undoes an interrupted record, when the journal holds one; the caller holds
    /// the record lock.
    ///
    /// # Errors
    /// [`RepoError::State`] when the journal cannot be read or a step cannot be carried out
    /// (the journal then stays, and `check` reports the record as interrupted).
    pub fn recover_locked(&self) -> Result<Option<Outcome>, RepoError> {
        let common = self.common_dir();
        // An atomic write of the journal cut short leaves a temporary file beside it.
        clear_temporaries(&journal_path(&common));
        let Some(intent) = read(&common)? else {
            // A record killed while staging, before its journal: only scratch files remain.
            let _ = clear(&common);
            return Ok(None);
        };
        let branch_now = self
            .inner
            .refname_to_id(&intent.branch)
            .ok()
            .map(|id| id.to_string());
        let reached = match &branch_now {
            Some(now) if *now == intent.new => true,
            Some(now) if Some(now) == intent.old.as_ref() => false,
            Some(now) => match (git2::Oid::from_str(now), git2::Oid::from_str(&intent.new)) {
                (Ok(now), Ok(new)) => self.inner.graph_descendant_of(now, new).unwrap_or(false),
                _ => false,
            },
            None => false,
        };
        if reached {
            self.finish(&intent, None)?;
            Ok(Some(Outcome::Completed(intent.what)))
        } else {
            // The work tree and the index are put back only when the branch is where the
            // record found it: if someone moved it since, what is there now is theirs.
            let untouched = branch_now.as_ref() == intent.old.as_ref();
            self.undo(&intent, untouched)?;
            Ok(Some(Outcome::Undone(intent.what)))
        }
    }

    /// Removes what a record did before its commit point: its tag ref, the work tree files and
    /// index entries it wrote (when `restore`), the lock files it took, its staged renditions
    /// and its journal.
    pub(crate) fn undo(&self, intent: &Intent, restore: bool) -> Result<(), RepoError> {
        let common = self.common_dir();
        let ids = self.intent_ids(intent);
        // Locks a killed libgit2 left on the refs first: they would stop the tag's removal.
        for lock in self.record_locks(intent).iter().skip(1) {
            clear_lock(lock, &ids)?;
        }
        if let Some((name, target)) = &intent.tag
            && let Ok(mut r) = self.inner.find_reference(name)
            && r.target().map(|t| t.to_string()).as_deref() == Some(target.as_str())
        {
            r.delete()
                .map_err(|e| RepoError::git("remove the tag", &e))?;
        }
        if restore {
            self.restore_worktree(intent)?;
        }
        clear_lock(&lock_of(&self.index_of(intent)), &[])?;
        clear(&common)?;
        self.forget_tag_names();
        Ok(())
    }

    pub(crate) fn intent_ids<'i>(&self, intent: &'i Intent) -> Vec<&'i str> {
        let mut ids = vec![intent.new.as_str()];
        if let Some(old) = &intent.old {
            ids.push(old);
        }
        if let Some((_, target)) = &intent.tag {
            ids.push(target);
        }
        ids
    }
}

/// The lock file git uses for `path`.
pub(crate) fn lock_of(path: &Path) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

pub(crate) fn oid(text: &str) -> Result<git2::Oid, RepoError> {
    git2::Oid::from_str(text).map_err(|e| RepoError::git("read the journal", &e))
}
