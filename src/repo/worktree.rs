//! The work tree side of a record (see [`super::transaction`] for the order): the files it
//! changes and their index entries are written *before* the commit point, with a copy of the
//! index kept to put back; after the commit point only the index lock is released and the
//! staged renditions are moved into place. So a plain `git commit` can never commit a stale
//! index over a release: before the commit point the index lock stops it, and from the commit
//! point on the index already holds the record.
//!
//! Every step can be repeated (`finish`) or reversed (`restore_worktree`) by the next command
//! after a kill, from what the journal names.

use std::path::{Path, PathBuf};

use super::journal::{self, FileIntent, Intent, clear_lock, clear_temporaries, lock_of, oid};
use super::lock::state_dir;
use super::transaction::FaultPoint;
use super::{Repo, RepoError};

/// The copy of the index taken before a record changes it.
fn index_backup(common: &Path) -> PathBuf {
    state_dir(common).join("index.before")
}

impl Repo {
    /// The work tree a journal's record was made in, found again if the repository was moved
    /// since: this work tree when the git dirs agree, a linked work tree through the path git
    /// keeps in its `gitdir` file, else the path the journal wrote.
    pub(crate) fn workdir_of(&self, intent: &Intent) -> PathBuf {
        let common = self.common_dir();
        let git_dir = common.join(&intent.git_dir);
        let here = self.inner.path();
        if git_dir.canonicalize().ok() == here.canonicalize().ok() {
            return self.workdir.clone();
        }
        std::fs::read_to_string(git_dir.join("gitdir"))
            .ok()
            .and_then(|text| PathBuf::from(text.trim()).parent().map(Path::to_path_buf))
            .unwrap_or_else(|| intent.workdir.clone())
    }

    /// The index file of the journal's work tree (see [`Repo::workdir_of`]).
    pub(crate) fn index_of(&self, intent: &Intent) -> PathBuf {
        let git_dir = self.common_dir().join(&intent.git_dir);
        if git_dir.is_dir() {
            git_dir.join("index")
        } else {
            intent.index.clone()
        }
    }

    /// Before the commit point: keeps a copy of the index, writes the record's work tree files
    /// and puts their new entries in the index (the rest of it as it was).
    pub(crate) fn apply_worktree(
        &self,
        intent: &Intent,
        fault: Option<FaultPoint>,
    ) -> Result<(), RepoError> {
        if intent.files.is_empty() {
            return Ok(());
        }
        let common = self.common_dir();
        let index = self.index_of(intent);
        let backup = index_backup(&common);
        if index.exists() {
            let bytes = std::fs::read(&index).map_err(|e| RepoError::io(&index, &e))?;
            crate::fsx::write_atomic(&backup, &bytes)
                .map_err(|e| RepoError::io(&backup, &e.source))?;
        }
        let mut stats = Vec::new();
        for file in &intent.files {
            stats.push(self.write_file(intent, file)?);
        }
        if fault == Some(FaultPoint::File) {
            return Err(RepoError::Injected(FaultPoint::File.name()));
        }
        self.write_index(intent, &stats)?;
        if fault == Some(FaultPoint::Index) {
            return Err(RepoError::Injected(FaultPoint::Index.name()));
        }
        Ok(())
    }

    /// After the commit point, each step repeatable: the tag ref, the work tree files and index
    /// entries (done already unless the record was killed before them), the index lock
    /// released, the renditions moved into place, the journal removed.
    pub(crate) fn finish(
        &self,
        intent: &Intent,
        fault: Option<FaultPoint>,
    ) -> Result<(), RepoError> {
        let common = self.common_dir();
        let ids = self.intent_ids(intent);
        if let Some((name, target)) = &intent.tag {
            clear_lock(&lock_of(&common.join(name)), &ids)?;
            if self.inner.find_reference(name).is_err() {
                self.inner
                    .reference(
                        name,
                        oid(target)?,
                        false,
                        &format!("sopctl: {}", intent.what),
                    )
                    .map_err(|e| RepoError::git("create the tag", &e))?;
            }
        }
        clear_lock(&lock_of(&common.join(&intent.branch)), &ids)?;
        // A linked work tree removed since the interruption has nothing left to bring in line.
        let present = common.join(&intent.git_dir).is_dir();
        if present && !intent.files.is_empty() {
            let mut stats = Vec::new();
            for file in &intent.files {
                stats.push(self.write_file(intent, file)?);
            }
            self.write_index(intent, &stats)?;
            clear_lock(&lock_of(&self.index_of(intent)), &[])?;
        }
        let workdir = self.workdir_of(intent);
        let staging = journal::staging_dir(&common);
        for (staged, dest) in intent.renditions.iter().filter(|_| present) {
            // Kept relative to the staging folder and the work tree: a repository moved or
            // copied since finishes with its own files, where it is now.
            finish_rendition(&staging.join(staged), &workdir.join(dest))?;
        }
        if fault == Some(FaultPoint::Renditions) {
            return Err(RepoError::Injected(FaultPoint::Renditions.name()));
        }
        journal::clear(&common)?;
        self.forget_tag_names();
        Ok(())
    }

    /// Puts back what [`Repo::apply_worktree`] wrote: each file that holds the record's bytes
    /// gets its bytes from before again (or is removed if there was none), and the index copy
    /// goes back in place.
    pub(crate) fn restore_worktree(&self, intent: &Intent) -> Result<(), RepoError> {
        if !self.common_dir().join(&intent.git_dir).is_dir() {
            return Ok(());
        }
        let workdir = self.workdir_of(intent);
        for file in &intent.files {
            let path = workdir.join(&file.path);
            clear_temporaries(&path);
            if blob_id_of(&path) != Some(oid(&file.worktree)?) {
                continue;
            }
            match &file.before {
                Some(before) => {
                    let blob = self
                        .inner
                        .find_blob(oid(before)?)
                        .map_err(|e| RepoError::git("read the document as it was", &e))?;
                    self.write_in_place(&path, blob.content())?;
                }
                None => std::fs::remove_file(&path).map_err(|e| RepoError::io(&path, &e))?,
            }
        }
        let backup = index_backup(&self.common_dir());
        if backup.exists() {
            let index = self.index_of(intent);
            std::fs::rename(&backup, &index).map_err(|e| RepoError::io(&index, &e))?;
        }
        Ok(())
    }

    /// Writes one work tree file with the record's bytes, unless it holds them already; returns
    /// its metadata when it holds them (for the index entry), `None` when it holds something
    /// else than before (the user's edit after an interruption: left alone).
    fn write_file(
        &self,
        intent: &Intent,
        file: &FileIntent,
    ) -> Result<Option<std::fs::Metadata>, RepoError> {
        let path = self.workdir_of(intent).join(&file.path);
        clear_temporaries(&path);
        let new = oid(&file.worktree)?;
        let current = blob_id_of(&path);
        if current != Some(new) {
            let before = file.before.as_deref().map(oid).transpose()?;
            if current != before {
                return Ok(None);
            }
            let blob = self
                .inner
                .find_blob(new)
                .map_err(|e| RepoError::git("read the recorded document", &e))?;
            self.write_in_place(&path, blob.content())?;
        }
        Ok(std::fs::metadata(&path).ok())
    }

    /// Replaces `path` atomically, through a temporary file in sopctl's state folder (so no
    /// stray file ever appears in the work tree, where `git add -A` would take it), or beside
    /// `path` when the two are on different disks.
    fn write_in_place(&self, path: &Path, bytes: &[u8]) -> Result<(), RepoError> {
        use std::io::Write;
        let scratch = state_dir(&self.common_dir()).join("scratch");
        std::fs::create_dir_all(&scratch).map_err(|e| RepoError::io(&scratch, &e))?;
        let moved = tempfile::NamedTempFile::new_in(&scratch)
            .and_then(|mut tmp| {
                tmp.write_all(bytes)?;
                if let Ok(meta) = std::fs::metadata(path) {
                    let _ = tmp.as_file().set_permissions(meta.permissions());
                } else {
                    #[cfg(unix)]
                    {
                        use std::os::unix::fs::PermissionsExt;
                        let _ = tmp
                            .as_file()
                            .set_permissions(std::fs::Permissions::from_mode(0o644));
                    }
                }
                tmp.as_file().sync_all()?;
                tmp.persist(path).map_err(|e| e.error)
            })
            .is_ok();
        if !moved {
            crate::fsx::write_atomic(path, bytes).map_err(|e| RepoError::io(path, &e.source))?;
        }
        Ok(())
    }

    /// Gives the index the record's entries (the rest as it was), written as git writes it:
    /// a new file renamed over the old one.
    fn write_index(
        &self,
        intent: &Intent,
        stats: &[Option<std::fs::Metadata>],
    ) -> Result<(), RepoError> {
        let common = self.common_dir();
        let index_path = self.index_of(intent);
        let next = state_dir(&common).join("index.next");
        let _ = std::fs::remove_file(&next);
        // libgit2 writes the new index through a lock file of its own, which a kill can leave.
        let _ = std::fs::remove_file(lock_of(&next));
        if index_path.exists() {
            std::fs::copy(&index_path, &next).map_err(|e| RepoError::io(&next, &e))?;
        }
        let mut index =
            git2::Index::open(&next).map_err(|e| RepoError::git("read the index", &e))?;
        for (file, meta) in intent.files.iter().zip(stats) {
            index
                .add(&index_entry(file, meta.as_ref())?)
                .map_err(|e| RepoError::git("update the index", &e))?;
        }
        index
            .write()
            .map_err(|e| RepoError::git("update the index", &e))?;
        std::fs::rename(&next, &index_path).map_err(|e| RepoError::io(&index_path, &e))
    }
}

/// The blob id of the file at `path`, if it can be read.
fn blob_id_of(path: &Path) -> Option<git2::Oid> {
    let bytes = std::fs::read(path).ok()?;
    git2::Oid::hash_object(git2::ObjectType::Blob, &bytes).ok()
}

/// Moves a staged rendition into place (copying when the two lie on different disks).
fn finish_rendition(staged: &Path, dest: &Path) -> Result<(), RepoError> {
    if !staged.exists() {
        // Moved already by the run that was interrupted.
        return Ok(());
    }
    clear_temporaries(dest);
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent).map_err(|e| RepoError::io(parent, &e))?;
    }
    if std::fs::rename(staged, dest).is_err() {
        let bytes = std::fs::read(staged).map_err(|e| RepoError::io(staged, &e))?;
        crate::fsx::write_atomic(dest, &bytes).map_err(|e| RepoError::io(dest, &e.source))?;
        std::fs::remove_file(staged).map_err(|e| RepoError::io(staged, &e))?;
    }
    Ok(())
}

/// The index entry of a file the record wrote: its blob and mode, with the file's metadata so
/// git sees it unchanged (without metadata, git compares the content instead).
fn index_entry(
    file: &FileIntent,
    meta: Option<&std::fs::Metadata>,
) -> Result<git2::IndexEntry, RepoError> {
    let path = file.path.to_string_lossy().replace('\\', "/").into_bytes();
    let mut entry = git2::IndexEntry {
        ctime: git2::IndexTime::new(0, 0),
        mtime: git2::IndexTime::new(0, 0),
        dev: 0,
        ino: 0,
        mode: file.mode,
        uid: 0,
        gid: 0,
        file_size: 0,
        id: oid(&file.blob)?,
        flags: 0,
        flags_extended: 0,
        path,
    };
    #[cfg(unix)]
    if let Some(meta) = meta {
        use std::os::unix::fs::MetadataExt;
        let t = |secs: i64, nanos: i64| {
            git2::IndexTime::new(
                i32::try_from(secs).unwrap_or(0),
                u32::try_from(nanos).unwrap_or(0),
            )
        };
        entry.ctime = t(meta.ctime(), meta.ctime_nsec());
        entry.mtime = t(meta.mtime(), meta.mtime_nsec());
        entry.dev = u32::try_from(meta.dev() & u64::from(u32::MAX)).unwrap_or(0);
        entry.ino = u32::try_from(meta.ino() & u64::from(u32::MAX)).unwrap_or(0);
        entry.uid = meta.uid();
        entry.gid = meta.gid();
        entry.file_size = u32::try_from(meta.size()).unwrap_or(u32::MAX);
    }
    #[cfg(not(unix))]
    let _ = meta;
    Ok(entry)
}
