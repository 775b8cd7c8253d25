//! The record transaction: one commit (and, for a release, one annotated tag) with the work
//! tree, the renditions and the index brought in line, all or nothing even under SIGKILL
//! (SPEC §5.5, issue 13). Every record command (`release`, `approve`, `review`, `retire`) and
//! the example's history go through [`Repo::write_record`].
//!
//! The order, with the caller holding the [record lock](super::lock::RecordLock):
//!
//! 1. **Objects**: blobs (the new bytes through git's clean filters, and the file's bytes from
//!    before, kept for an undo), tree, commit; renditions made (they print the commit id) and
//!    staged in `<common git dir>/sopctl/staging/`; the tag object, with each rendition's
//!    checksum. Nothing is visible yet.
//! 2. **Journal**: the [intent](super::journal::Intent) is written and flushed.
//! 3. **Index lock**: for a record that changes files, git's own `index.lock` is taken (with a
//!    mark that says it is sopctl's), so no `git add` or `git commit` runs until the index holds
//!    the record.
//! 4. **Work tree and index** ([`super::worktree`]): a copy of the index is kept, the files are
//!    written, their index entries set.
//! 5. **Tag ref** created (never overwritten).
//! 6. **Branch** moved by compare-and-swap: the commit point.
//! 7. **Finish**: the index lock released, renditions moved into place, the journal removed.
//!
//! A failure before step 6 undoes steps 2–5 (files and index put back from what was kept) and
//! reports that nothing changed. A failure in step 7 leaves the journal: the record exists and
//! the next sopctl command finishes it. A kill at any point is resolved by the next command:
//! see [`Repo::recover_locked`].

use std::path::{Path, PathBuf};

use super::journal::{self, FileIntent, Intent};
use super::lock::RecordLock;
use super::sign::{SignWhen, Signed};
use super::{Identity, Repo, RepoError};

/// A place where tests make the transaction fail, to prove it undoes itself or, past the
/// commit point, that the next command finishes it. Read from `SOPCTL_TEST_FAIL_AT` in debug
/// builds only; release builds ignore it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FaultPoint {
    /// After the objects are written, before anything is visible.
    Objects,
    /// After the work tree files were written, before the index (undone at once).
    File,
    /// After the index was written, before any ref moves (undone at once).
    Index,
    /// After the tag ref was created, before the branch moves (undone at once).
    Tag,
    /// After the branch moved (the commit point): acts like a kill; the next command finishes.
    Branch,
    /// After the renditions were moved into place, before the journal is removed: acts like a
    /// kill; the next command finishes.
    Renditions,
}

impl FaultPoint {
    /// The fault point named by `SOPCTL_TEST_FAIL_AT` (`objects`, `tag`, `branch`, `file`,
    /// `renditions`, `index`), in debug builds.
    pub fn from_env() -> Option<FaultPoint> {
        if !cfg!(debug_assertions) {
            return None;
        }
        match std::env::var("SOPCTL_TEST_FAIL_AT").ok()?.as_str() {
            "objects" => Some(FaultPoint::Objects),
            "branch" => Some(FaultPoint::Branch),
            "tag" => Some(FaultPoint::Tag),
            "file" => Some(FaultPoint::File),
            "index" => Some(FaultPoint::Index),
            "renditions" => Some(FaultPoint::Renditions),
            _ => None,
        }
    }

    pub(crate) fn name(self) -> &'static str {
        match self {
            FaultPoint::Objects => "objects",
            FaultPoint::Branch => "branch",
            FaultPoint::Tag => "tag",
            FaultPoint::File => "file",
            FaultPoint::Index => "index",
            FaultPoint::Renditions => "renditions",
        }
    }

    /// Whether a fault here comes after the commit point (the record then exists).
    pub fn after_commit_point(self) -> bool {
        matches!(self, FaultPoint::Branch | FaultPoint::Renditions)
    }
}

/// Files to write: absolute path and bytes.
pub type Files = Vec<(PathBuf, Vec<u8>)>;

/// Makes the renditions from the new commit's id, or says why it cannot.
pub type RenditionMaker<'a> = dyn Fn(&str) -> Result<Files, String> + 'a;

/// How a record is committed: signing and hooks, as `git commit` would (issue 15).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordOptions {
    /// Whether commits and tags are signed (see [`super::sign`]).
    pub sign: SignWhen,
    /// Whether the `pre-commit` and `commit-msg` hooks run (`--no-verify` turns them off, as in
    /// git); `post-commit` always runs.
    pub hooks: bool,
}

impl Default for RecordOptions {
    fn default() -> Self {
        RecordOptions {
            sign: SignWhen::Config,
            hooks: true,
        }
    }
}

/// The record lock a command holds and how it records: what every record-writing function
/// takes.
#[derive(Debug, Clone, Copy)]
pub struct Recorder<'a> {
    /// The record lock, taken before the command read the repository.
    pub lock: &'a RecordLock,
    /// Signing and hooks.
    pub options: RecordOptions,
}

impl<'a> Recorder<'a> {
    /// A record of a commit with `message` by `identity` at `time` (seconds since the epoch;
    /// `None`: now), without files, tag or renditions: add those to the returned value.
    pub fn write<'w>(
        &self,
        what: String,
        message: &'w str,
        identity: &'w super::Identity,
        time: Option<i64>,
    ) -> RecordWrite<'w> {
        RecordWrite {
            what,
            files: Vec::new(),
            commit_message: message,
            tag: None,
            identity,
            time,
            renditions: None,
            options: self.options,
        }
    }
}

/// What a record writes.
pub struct RecordWrite<'a> {
    /// The record in words, for messages: "the release of SOP-001 1.1".
    pub what: String,
    /// Work tree files the commit changes: path relative to the work tree, new bytes. Empty
    /// for the records that are commits with trailers only (approvals, reviews).
    pub files: Vec<(PathBuf, Vec<u8>)>,
    /// The commit message.
    pub commit_message: &'a str,
    /// The tag's name (without `refs/tags/`) and message, for a release.
    pub tag: Option<(&'a str, &'a str)>,
    /// Author, committer and tagger.
    pub identity: &'a Identity,
    /// Commit and tag time in seconds since the Unix epoch (UTC); `None`: now.
    pub time: Option<i64>,
    /// Makes the renditions once the commit id is known (it is printed on them).
    pub renditions: Option<&'a RenditionMaker<'a>>,
    /// Signing and hooks.
    pub options: RecordOptions,
}

/// What a record wrote.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    /// The new commit's id.
    pub commit: String,
    /// The tag object's id, for a release.
    pub tag: Option<String>,
}

/// Staged renditions: the staged file and where it goes.
type Staged = Vec<(PathBuf, PathBuf)>;

/// The objects of a record, written but not yet visible.
struct Objects {
    branch: String,
    old: Option<git2::Oid>,
    commit: git2::Oid,
    /// The commit's signature (who and when), also the tagger's.
    signature: git2::Signature<'static>,
    tag: Option<(String, git2::Oid)>,
    files: Vec<FileIntent>,
}

impl Repo {
    /// Writes a record: see the module docs for the order, the commit point and recovery.
    /// `_lock` proves the caller holds the record lock.
    ///
    /// # Errors
    /// [`RepoError::Moved`] when the branch or the tag changed under it; [`RepoError::Locked`]
    /// when a git lock file of another program is in the way; [`RepoError::InSubmodule`] for a
    /// file inside a submodule; [`RepoError::Unfinished`] when the record was made but a later
    /// step failed (the next command finishes it); any other [`RepoError`] with nothing changed.
    pub fn write_record(
        &self,
        _lock: &RecordLock,
        w: &RecordWrite<'_>,
        fault: Option<FaultPoint>,
    ) -> Result<Written, RepoError> {
        self.forget_tag_names();
        let result = self.write_record_steps(w, fault);
        self.forget_tag_names();
        result
    }

    fn write_record_steps(
        &self,
        w: &RecordWrite<'_>,
        fault: Option<FaultPoint>,
    ) -> Result<Written, RepoError> {
        let common = self.common_dir();
        // A journal left by a killed run is resolved first (normally done on opening).
        self.recover_locked()?;
        let mut objects = self.write_objects(w)?;
        let index = self.inner.path().join("index");
        self.refuse_foreign_locks(w, &objects, &index)?;
        let (renditions, checksums) = self.stage_renditions(w, objects.commit)?;
        if let Some((name, message)) = w.tag {
            // The tag records each rendition's checksum, so a copy can be checked later.
            let message = with_checksums(message, &checksums);
            let scratch = super::lock::state_dir(&common).join("scratch");
            let signature = objects.signature.clone();
            let id = self.write_tag(name, &message, objects.commit, &signature, w, &scratch)?;
            objects.tag = Some((format!("refs/tags/{name}"), id));
        }
        if fault == Some(FaultPoint::Objects) {
            journal::clear(&common)?;
            return Err(RepoError::Injected(FaultPoint::Objects.name()));
        }
        let git_dir = self
            .git_dir()
            .strip_prefix(&common)
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let intent = Intent {
            what: w.what.clone(),
            workdir: self.workdir.clone(),
            index: index.clone(),
            git_dir,
            branch: objects.branch.clone(),
            old: objects.old.map(|o| o.to_string()),
            new: objects.commit.to_string(),
            tag: objects
                .tag
                .as_ref()
                .map(|(name, id)| (name.clone(), id.to_string())),
            files: objects.files.clone(),
            renditions,
        };
        // The journal first: a kill right after the index lock is taken leaves a lock that
        // the journal names, so the next command removes it.
        if let Err(e) = journal::write(&common, &intent) {
            journal::clear(&common)?;
            return Err(e);
        }
        if !intent.files.is_empty()
            && let Err(e) = take_index_lock(&common, &index)
        {
            // Not ours to remove: the lock is another program's.
            journal::clear(&common)?;
            return Err(e);
        }
        // The work tree and the index before the commit point: from here on, git's index
        // lock keeps `git commit` away until the index holds the record.
        if let Err(e) = self.apply_worktree(&intent, fault) {
            self.undo(&intent, true)?;
            return Err(e);
        }
        if let Err(e) = self.move_refs(&intent, &objects, fault) {
            self.undo(&intent, true)?;
            return Err(e);
        }
        // The commit point is passed: the record exists.
        if let Some(point) = fault.filter(|f| *f == FaultPoint::Branch) {
            return Err(RepoError::Injected(point.name()));
        }
        self.finish(&intent, fault).map_err(|e| match e {
            RepoError::Injected(_) => e,
            other => RepoError::Unfinished {
                what: w.what.clone(),
                message: other.to_string(),
            },
        })?;
        // As git: the post-commit hook's outcome does not undo the commit.
        let _ = self.run_hook("post-commit", &[], None);
        Ok(Written {
            commit: objects.commit.to_string(),
            tag: objects.tag.map(|(_, id)| id.to_string()),
        })
    }

    /// Step 1: blobs, tree, commit and tag object.
    fn write_objects(&self, w: &RecordWrite<'_>) -> Result<Objects, RepoError> {
        let repo = &self.inner;
        let head_ref = repo
            .find_reference("HEAD")
            .map_err(|e| RepoError::git("read HEAD", &e))?;
        let Ok(Some(branch)) = head_ref.symbolic_target().map(|t| t.map(str::to_string)) else {
            return Err(RepoError::Git {
                action: "record",
                message: "HEAD is not on a branch".into(),
            });
        };
        let parent = repo
            .find_reference(&branch)
            .ok()
            .and_then(|r| r.peel_to_commit().ok());
        let base = match &parent {
            Some(commit) => commit.tree(),
            None => repo
                .treebuilder(None)
                .and_then(|b| b.write())
                .and_then(|id| repo.find_tree(id)),
        }
        .map_err(|e| RepoError::git("read the last commit", &e))?;
        let mut update = git2::build::TreeUpdateBuilder::new();
        let mut files = Vec::new();
        for (relative, bytes) in &w.files {
            refuse_submodule(&base, relative)?;
            let blob = self.clean_blob(relative, bytes)?;
            let worktree = repo
                .blob(bytes)
                .map_err(|e| RepoError::git("write the document", &e))?;
            let mode = base
                .get_path(relative)
                .ok()
                .and_then(|e| u32::try_from(e.filemode()).ok())
                .filter(|m| *m == 0o100_755)
                .unwrap_or(0o100_644);
            let file_mode = if mode == 0o100_755 {
                git2::FileMode::BlobExecutable
            } else {
                git2::FileMode::Blob
            };
            update.upsert(relative, blob, file_mode);
            // The bytes from before go into git's store too, so an undo can put them back.
            let before = match std::fs::read(self.workdir.join(relative)) {
                Ok(bytes) => Some(
                    repo.blob(&bytes)
                        .map_err(|e| RepoError::git("keep the document as it was", &e))?
                        .to_string(),
                ),
                Err(_) => None,
            };
            files.push(FileIntent {
                path: PathBuf::from(relative.to_string_lossy().replace('\\', "/")),
                blob: blob.to_string(),
                worktree: worktree.to_string(),
                mode,
                before,
            });
        }
        let tree_id = update
            .create_updated(repo, &base)
            .map_err(|e| RepoError::git("write the tree", &e))?;
        let tree = repo
            .find_tree(tree_id)
            .map_err(|e| RepoError::git("write the tree", &e))?;
        let signature = match w.time {
            Some(t) => {
                git2::Signature::new(&w.identity.name, &w.identity.email, &git2::Time::new(t, 0))
            }
            None => git2::Signature::now(&w.identity.name, &w.identity.email),
        }
        .map_err(|e| RepoError::git("sign the commit", &e))?;
        let scratch = super::lock::state_dir(&self.common_dir()).join("scratch");
        let message = if w.options.hooks {
            self.run_commit_hooks(&tree, w.commit_message, &scratch)?
        } else {
            w.commit_message.to_string()
        };
        let parents: Vec<&git2::Commit<'_>> = parent.iter().collect();
        let commit = self.write_commit(
            &signature,
            &message,
            &tree,
            &parents,
            (w.options.sign, w.identity),
            &scratch,
        )?;
        Ok(Objects {
            branch,
            old: parent.as_ref().map(git2::Commit::id),
            commit,
            signature: signature.to_owned(),
            tag: None,
            files,
        })
    }

    /// Writes a commit object of `tree` on `parents` with `message` by `signature`, signed as
    /// `git commit` signs it when `sign` asks for it (by `identity`'s key); moves no ref.
    ///
    /// # Errors
    /// Signing refused or failed; git could not write the object.
    pub(crate) fn write_commit(
        &self,
        signature: &git2::Signature<'_>,
        message: &str,
        tree: &git2::Tree<'_>,
        parents: &[&git2::Commit<'_>],
        (sign, identity): (SignWhen, &Identity),
        scratch: &Path,
    ) -> Result<git2::Oid, RepoError> {
        let repo = &self.inner;
        match self.signer(Signed::Commit, sign, identity)? {
            None => repo.commit(None, signature, signature, message, tree, parents),
            Some(signer) => {
                let buffer = repo
                    .commit_create_buffer(signature, signature, message, tree, parents)
                    .map_err(|e| RepoError::git("write the commit", &e))?;
                let payload = String::from_utf8_lossy(&buffer).into_owned();
                let sig = signer.sign(payload.as_bytes(), scratch)?;
                repo.commit_signed(&payload, &sig, None)
            }
        }
        .map_err(|e| RepoError::git("write the commit", &e))
    }

    /// Writes the annotated tag object, signed when signing is asked for (git's format: the
    /// tag's text followed by the armored signature).
    fn write_tag(
        &self,
        name: &str,
        message: &str,
        commit: git2::Oid,
        tagger: &git2::Signature<'_>,
        w: &RecordWrite<'_>,
        scratch: &Path,
    ) -> Result<git2::Oid, RepoError> {
        let repo = &self.inner;
        let Some(signer) = self.signer(Signed::Tag, w.options.sign, w.identity)? else {
            let target = repo
                .find_object(commit, None)
                .map_err(|e| RepoError::git("write the tag", &e))?;
            return repo
                .tag_annotation_create(name, &target, tagger, message)
                .map_err(|e| RepoError::git("write the tag", &e));
        };
        let when = tagger.when();
        let offset = when.offset_minutes();
        let mut payload = format!(
            "object {commit}\ntype commit\ntag {name}\ntagger {} <{}> {} {}{:02}{:02}\n\n{message}",
            String::from_utf8_lossy(tagger.name_bytes()),
            String::from_utf8_lossy(tagger.email_bytes()),
            when.seconds(),
            if offset < 0 { '-' } else { '+' },
            offset.abs() / 60,
            offset.abs() % 60,
        );
        if !payload.ends_with('\n') {
            payload.push('\n');
        }
        let signature = signer.sign(payload.as_bytes(), scratch)?;
        payload.push_str(&signature);
        repo.odb()
            .and_then(|odb| odb.write(git2::ObjectType::Tag, payload.as_bytes()))
            .map_err(|e| RepoError::git("write the tag", &e))
    }

    /// Writes `bytes` as the blob `git add` would make of them at `relative`: through the clean
    /// filters that `core.autocrlf`, `core.eol` and `.gitattributes` (`text`, `eol=crlf`,
    /// `-text`) set for that path (libgit2's filters, `cases/` B36).
    fn clean_blob(&self, relative: &Path, bytes: &[u8]) -> Result<git2::Oid, RepoError> {
        use std::io::Write;
        let mut writer = self
            .inner
            .blob_writer(Some(relative))
            .map_err(|e| RepoError::git("write the document", &e))?;
        writer.write_all(bytes).map_err(|e| RepoError::State {
            path: relative.to_path_buf(),
            message: e.to_string(),
        })?;
        writer
            .commit()
            .map_err(|e| RepoError::git("write the document", &e))
    }

    /// Refuses when a git lock file this record needs is held by another program (or was left
    /// by one that stopped), naming it.
    fn refuse_foreign_locks(
        &self,
        w: &RecordWrite<'_>,
        objects: &Objects,
        index: &Path,
    ) -> Result<(), RepoError> {
        let common = self.common_dir();
        let mut locks = vec![journal::lock_of(&common.join(&objects.branch))];
        if let Some((name, _)) = w.tag {
            locks.push(journal::lock_of(&common.join(format!("refs/tags/{name}"))));
        }
        if !w.files.is_empty() {
            locks.push(journal::lock_of(index));
        }
        match locks.into_iter().find(|l| l.exists()) {
            Some(path) => Err(RepoError::Locked { path }),
            None => Ok(()),
        }
    }

    /// Makes the renditions and stages them beside the journal.
    /// Returns the staged files with their destinations, and each rendition's file name with
    /// the SHA-256 of its bytes.
    fn stage_renditions(
        &self,
        w: &RecordWrite<'_>,
        commit: git2::Oid,
    ) -> Result<(Staged, Vec<(String, String)>), RepoError> {
        let Some(make) = w.renditions else {
            return Ok((Vec::new(), Vec::new()));
        };
        let files = make(&commit.to_string()).map_err(|message| RepoError::Git {
            action: "make the renditions",
            message,
        })?;
        let staging = journal::staging_dir(&self.common_dir());
        let mut staged = Vec::new();
        let mut checksums = Vec::new();
        for (n, (dest, bytes)) in files.into_iter().enumerate() {
            let path = staging.join(format!("{n}"));
            crate::fsx::write_atomic(&path, &bytes).map_err(|e| RepoError::io(&path, &e.source))?;
            refuse_unwritable(&dest)?;
            let name = dest
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            checksums.push((name, sha256_hex(&bytes)));
            let dest = dest
                .strip_prefix(&self.workdir)
                .map(Path::to_path_buf)
                .unwrap_or(dest);
            // Both kept relative (to the staging folder and the work tree): a repository copied
            // or moved after an interruption finishes with its own files, where it is now.
            staged.push((PathBuf::from(format!("{n}")), dest));
        }
        Ok((staged, checksums))
    }

    /// Steps 4 and 5: the tag ref, then the branch (the commit point).
    fn move_refs(
        &self,
        intent: &Intent,
        objects: &Objects,
        fault: Option<FaultPoint>,
    ) -> Result<(), RepoError> {
        let repo = &self.inner;
        let log = format!("sopctl: {}", intent.what);
        if let Some((name, id)) = &objects.tag {
            repo.reference(name, *id, false, &log)
                .map_err(|e| match e.code() {
                    git2::ErrorCode::Exists => RepoError::Moved {
                        what: format!("tag {}", name.trim_start_matches("refs/tags/")),
                    },
                    _ => RepoError::git("create the tag", &e),
                })?;
        }
        if fault == Some(FaultPoint::Tag) {
            return Err(RepoError::Injected(FaultPoint::Tag.name()));
        }
        let moved = match objects.old {
            Some(old) => repo.reference_matching(&objects.branch, objects.commit, true, old, &log),
            None => repo.reference(&objects.branch, objects.commit, false, &log),
        };
        moved.map_err(|e| match e.code() {
            git2::ErrorCode::Modified | git2::ErrorCode::Exists => RepoError::Moved {
                what: format!(
                    "branch {}",
                    objects.branch.trim_start_matches("refs/heads/")
                ),
            },
            _ => RepoError::git("move the branch", &e),
        })?;
        Ok(())
    }
}

/// The trailer key under which a release tag records a rendition's checksum:
/// `Rendition: SOP-001-v1.1.pdf sha256:<64 hex digits>` (issue 15 item 6).
pub const RENDITION_TRAILER: &str = "Rendition";

/// A [`RENDITION_TRAILER`]'s value read back: the file name and the lowercase hex SHA-256, or
/// `None` when it is not `NAME sha256:HEX` (64 hex digits).
pub fn rendition_checksum(trailer: &str) -> Option<(&str, &str)> {
    let (name, sum) = trailer.rsplit_once(' ')?;
    let hex = sum.strip_prefix("sha256:")?;
    let ok = hex.len() == 64
        && hex
            .chars()
            .all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c));
    (ok && !name.trim().is_empty()).then_some((name.trim(), hex))
}

/// `message` with one [`RENDITION_TRAILER`] line per rendition added to its trailers.
fn with_checksums(message: &str, checksums: &[(String, String)]) -> String {
    let mut out = message.trim_end_matches('\n').to_string();
    out.push('\n');
    for (name, sum) in checksums {
        out.push_str(&format!("{RENDITION_TRAILER}: {name} sha256:{sum}\n"));
    }
    out
}

/// The SHA-256 of `bytes` in lowercase hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Refuses, before the commit point, a rendition destination that could not be written after
/// it: a file where a folder must be, a folder where the file must be, or a folder that cannot
/// be written (read-only). Creates nothing: the nearest existing folder is tried with a
/// temporary file.
fn refuse_unwritable(dest: &Path) -> Result<(), RepoError> {
    let blocked = |path: &Path, message: &str| RepoError::State {
        path: path.to_path_buf(),
        message: message.to_string(),
    };
    if dest.is_dir() {
        return Err(blocked(dest, "a folder of that name is in the way"));
    }
    let Some(folder) = dest.ancestors().skip(1).find(|a| a.exists()) else {
        return Ok(());
    };
    if !folder.is_dir() {
        return Err(blocked(
            folder,
            "a part of the path is a file, not a folder",
        ));
    }
    tempfile::tempfile_in(folder)
        .map(drop)
        .map_err(|e| RepoError::io(folder, &e))
}

/// Takes git's index lock with sopctl's mark in it, atomically: the marked file is written
/// first and then hard-linked to `index.lock`, which fails if the lock exists.
fn take_index_lock(common: &Path, index: &Path) -> Result<(), RepoError> {
    let lock = journal::lock_of(index);
    let marked = super::lock::state_dir(common).join("index.lock.mark");
    let mark = format!("{} {}\n", journal::LOCK_MARK, std::process::id());
    std::fs::write(&marked, mark).map_err(|e| RepoError::io(&marked, &e))?;
    let linked = std::fs::hard_link(&marked, &lock);
    let _ = std::fs::remove_file(&marked);
    linked.map_err(|e| match e.kind() {
        std::io::ErrorKind::AlreadyExists => RepoError::Locked { path: lock.clone() },
        _ => RepoError::io(&lock, &e),
    })
}

/// Refuses a file inside a submodule: its commit belongs to the submodule's repository, and
/// writing it here would replace the submodule with a plain folder.
fn refuse_submodule(base: &git2::Tree<'_>, relative: &Path) -> Result<(), RepoError> {
    for ancestor in relative.ancestors().skip(1) {
        if ancestor.as_os_str().is_empty() {
            break;
        }
        if let Ok(entry) = base.get_path(ancestor)
            && entry.kind() == Some(git2::ObjectType::Commit)
        {
            return Err(RepoError::InSubmodule {
                file: relative.to_path_buf(),
                submodule: ancestor.to_path_buf(),
            });
        }
    }
    Ok(())
}
