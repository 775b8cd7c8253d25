//! GIT: every use of git2 lives here.
//!
//! Takes a folder; gives the repository around it, its state (shallow, mid-merge, files with
//! changes), the user's identity, the release records of a document (annotated tags, see
//! [`records`]), the document's file at any release, and the release transaction
//! ([`transaction`]) that writes a commit and a tag all or nothing. It decides nothing about
//! documents: callers pass IDs, paths and bytes.

pub mod authors;
pub mod hooks;
pub mod inspect;
pub mod journal;
pub mod lfs;
pub mod lock;
pub mod records;
pub mod side;
pub mod sign;
pub mod tags;
pub mod transaction;
pub mod worktree;

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::doc::{DocId, Sop};
use crate::version::VersionSpec;
pub use records::ReleaseRecord;
pub use tags::{TagFormat, TagMatch};

/// A git problem, in words a document owner can act on.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    /// libgit2 refuses a repository owned by another user.
    #[error("the repository at {path} belongs to another user, so git refuses to work in it")]
    NotOwned {
        /// The repository folder.
        path: PathBuf,
    },
    /// No user name or e-mail for commits (`cases/` B19).
    #[error("git does not know who you are: {missing} not set")]
    NoIdentity {
        /// What is missing: `user.name`, `user.email`, or `user.name and user.email are`.
        missing: &'static str,
    },
    /// A git lock file that is not sopctl's is in the way: another git program is working in
    /// the repository, or one stopped half-way.
    #[error(
        "git's lock file {path} is in the way: another git program is working in this repository, or one stopped before it finished"
    )]
    Locked {
        /// The lock file.
        path: PathBuf,
    },
    /// A file to commit lies inside a submodule, whose commits belong to its own repository.
    #[error("{file} lies inside the submodule {submodule}, which is a repository of its own")]
    InSubmodule {
        /// The file, relative to the work tree.
        file: PathBuf,
        /// The submodule's folder, relative to the work tree.
        submodule: PathBuf,
    },
    /// The record was made (its commit is on the branch) but a later step failed; the next
    /// sopctl command finishes it from the journal.
    #[error(
        "{what} is recorded, but sopctl could not finish bringing the working copy in line: {message}"
    )]
    Unfinished {
        /// The record in words.
        what: String,
        /// What failed.
        message: String,
    },
    /// Signing was asked for (git's settings or `--sign`) and could not be done.
    #[error("{message}")]
    Signing {
        /// What went wrong, with the signing program's own words.
        message: String,
        /// What to do.
        hint: String,
    },
    /// One of the repository's hooks refused the commit.
    #[error("the repository's {hook} hook refused the commit")]
    Hook {
        /// `pre-commit` or `commit-msg`.
        hook: &'static str,
        /// What the hook printed.
        output: String,
    },
    /// A file of the record (sopctl's lock, journal and staged renditions in the git folder,
    /// or a work tree file or rendition it writes) could not be read or written.
    #[error("sopctl could not write {path}: {message}")]
    State {
        /// The file or folder.
        path: PathBuf,
        /// The operating system's reason.
        message: String,
    },
    /// A branch or tag moved while sopctl was working (another process released at once).
    #[error("the repository changed while sopctl was releasing ({what})")]
    Moved {
        /// What moved.
        what: String,
    },
    /// A failure injected by a test (see [`transaction::FaultPoint`]).
    #[error("injected failure at {0}")]
    Injected(&'static str),
    /// Any other git failure.
    #[error("git could not {action}: {message}")]
    Git {
        /// What was being done.
        action: &'static str,
        /// libgit2's message.
        message: String,
    },
}

impl RepoError {
    /// A failure of sopctl's own state files, with the operating system's reason in plain words.
    pub(crate) fn io(path: &Path, err: &std::io::Error) -> RepoError {
        RepoError::State {
            path: path.to_path_buf(),
            message: crate::fsx::plain_reason(err).0,
        }
    }

    pub(crate) fn git(action: &'static str, err: &git2::Error) -> RepoError {
        RepoError::Git {
            action,
            message: err.message().to_string(),
        }
    }
}

/// Who is committing: from git's configuration or `GIT_COMMITTER_*` / `EMAIL`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Identity {
    /// `user.name`.
    pub name: String,
    /// `user.email`.
    pub email: String,
}

/// The release records of one document, and the tags that looked like its tags but did not
/// hold a version.
#[derive(Debug, Clone, Default)]
pub struct Releases {
    /// Records in semver precedence order, oldest first.
    pub records: Vec<ReleaseRecord>,
    /// Tag names shaped like this document's tags whose version part is not a version.
    pub skipped: Vec<String>,
}

/// A version named on the command line that is not among the releases.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.sentence())]
pub struct UnknownVersion {
    /// The document.
    pub id: DocId,
    /// What was asked for, as typed.
    pub asked: String,
    /// The released versions, oldest first, in display form.
    pub available: Vec<String>,
    /// For `current` before the first release takes effect: the release to come and its day
    /// (`1.0 takes effect on 2026-12-10`).
    pub coming: Option<String>,
}

impl UnknownVersion {
    fn sentence(&self) -> String {
        let id = &self.id;
        if let Some(coming) = &self.coming {
            return format!("{id} has no version in force yet: {coming}");
        }
        let asked = &self.asked;
        if self.available.is_empty() {
            format!("{id} has no release {asked} (it has no releases yet)")
        } else {
            format!(
                "{id} has no release {asked}; its releases are {}",
                self.available.join(", ")
            )
        }
    }
}

impl Releases {
    /// The newest release by semver precedence.
    pub fn latest(&self) -> Option<&ReleaseRecord> {
        self.records.last()
    }

    /// The version in force on `today` (issue 16): the newest release by semver precedence
    /// whose effective date has come. `None` when the first release takes effect later. A
    /// release dated later is pending ([`Releases::pending`]) and the one before stays in
    /// force until that day; a release replaced by a newer one of the same day
    /// ([`Releases::replaced_by`]) is never in force.
    pub fn current(&self, today: Date) -> Option<&ReleaseRecord> {
        self.records.iter().rev().find(|r| r.date <= today)
    }

    /// The releases that take effect after `today`, oldest first: released, not yet in force,
    /// and not replaced before their day.
    pub fn pending(&self, today: Date) -> Vec<&ReleaseRecord> {
        let current = self.current(today).map(|c| &c.version);
        self.records
            .iter()
            .filter(|r| r.date > today && current.is_none_or(|c| r.version > *c))
            .filter(|r| self.replaced_by(r).is_none())
            .collect()
    }

    /// The release that replaced `record` before `record` took effect: the newest later
    /// release of the same effective day that was recorded before that day (issue 16).
    /// Releases of one day recorded on that day were each in force in turn.
    pub fn replaced_by(&self, record: &ReleaseRecord) -> Option<&ReleaseRecord> {
        self.records.iter().rev().find(|r| {
            r.version > record.version && r.date == record.date && r.recorded < record.date
        })
    }

    /// The release that took over from `record` in force (issue 16): the next later release
    /// whose effective date has come by `today`, passing over releases replaced before their
    /// day; for a release itself replaced before its day, the release that replaced it
    /// ([`Releases::replaced_by`]). `None` while `record` is in force or pending, and for the
    /// newest release.
    pub fn successor(&self, record: &ReleaseRecord, today: Date) -> Option<&ReleaseRecord> {
        if let Some(replacing) = self.replaced_by(record) {
            return Some(replacing);
        }
        self.records.iter().find(|r| {
            r.version > record.version && r.date <= today && self.replaced_by(r).is_none()
        })
    }

    /// The release a command-line version names (SPEC §3): `1.1` is exactly 1.1.0, `latest`
    /// the newest by semver precedence, `current` the version in force on `today`
    /// ([`Releases::current`]), anything else a tag name.
    ///
    /// # Errors
    /// [`UnknownVersion`] listing the releases there are.
    pub fn resolve(
        &self,
        id: &DocId,
        spec: &VersionSpec,
        asked: &str,
        today: Date,
    ) -> Result<&ReleaseRecord, UnknownVersion> {
        let found = match spec {
            VersionSpec::Latest => self.latest(),
            VersionSpec::Current => self.current(today),
            VersionSpec::Exact(v) => self.records.iter().find(|r| &r.version == v),
            VersionSpec::TagName(name) => self.records.iter().find(|r| &r.tag == name),
        };
        found.ok_or_else(|| UnknownVersion {
            id: id.clone(),
            asked: asked.to_string(),
            available: self.records.iter().map(|r| r.version.to_string()).collect(),
            coming: match spec {
                VersionSpec::Current => self
                    .pending(today)
                    .first()
                    .map(|r| format!("{} takes effect on {}", r.version, r.date)),
                _ => None,
            },
        })
    }
}

/// A git repository with a work tree.
pub struct Repo {
    inner: git2::Repository,
    workdir: PathBuf,
    /// The tags, listed once with what each points at: each document's releases are picked
    /// from this list, so a repository of many documents and tags is not listed again per
    /// document, nor each tag looked up again by name. Cleared when a release writes or undoes
    /// a tag.
    tag_names: std::cell::RefCell<Option<TagList>>,
}

/// Every tag of a repository (name without `refs/tags/`, and the object it points at), sorted
/// by name; listed once by [`Repo::tag_list`] and shared with another handle on the same
/// repository by [`Repo::take_tag_list`].
#[derive(Debug, Clone, Default)]
pub struct TagList(std::sync::Arc<Vec<(String, git2::Oid)>>);

impl TagList {
    /// The tag names, in order.
    fn names(&self) -> impl Iterator<Item = &String> {
        self.0.iter().map(|(name, _)| name)
    }

    /// The tags whose names start with `prefix` (all, for `None`): one run of the sorted list.
    fn starting_with(&self, prefix: Option<&str>) -> &[(String, git2::Oid)] {
        let Some(prefix) = prefix else {
            return &self.0;
        };
        let start = self.0.partition_point(|(n, _)| n.as_str() < prefix);
        let rest = self.0.get(start..).unwrap_or_default();
        let len = rest.partition_point(|(n, _)| n.starts_with(prefix));
        rest.get(..len).unwrap_or_default()
    }

    /// The object the tag `name` points at.
    fn target(&self, name: &str) -> Option<git2::Oid> {
        let at = self
            .0
            .binary_search_by(|(n, _)| n.as_str().cmp(name))
            .ok()?;
        self.0.get(at).map(|(_, oid)| *oid)
    }
}

impl std::fmt::Debug for Repo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repo")
            .field("workdir", &self.workdir)
            .finish()
    }
}

fn date_of(time: git2::Time) -> Date {
    let offset =
        jiff::tz::Offset::from_seconds(time.offset_minutes() * 60).unwrap_or(jiff::tz::Offset::UTC);
    jiff::Timestamp::from_second(time.seconds())
        .map(|ts| offset.to_datetime(ts).date())
        .unwrap_or_default()
}

/// The work tree of the git dir `git_dir` as git finds it from `start`: the nearest folder
/// holding a `.git` file that points at `git_dir` (a separate git dir or a linked work tree).
fn gitfile_workdir(start: &Path, git_dir: &Path) -> Option<PathBuf> {
    let git_dir = git_dir.canonicalize().ok()?;
    let start = start.canonicalize().ok()?;
    let folder = start.ancestors().find(|dir| dir.join(".git").exists())?;
    let text = std::fs::read_to_string(folder.join(".git")).ok()?;
    let target = text.strip_prefix("gitdir:")?.trim();
    let target = folder.join(target).canonicalize().ok()?;
    (target == git_dir).then(|| folder.to_path_buf())
}

impl Repo {
    /// The repository containing `start`, if any. A bare repository counts as none.
    ///
    /// # Errors
    /// [`RepoError::NotOwned`] when git's ownership check refuses it; [`RepoError::Git`] when
    /// the repository is damaged.
    pub fn discover(start: &Path) -> Result<Option<Repo>, RepoError> {
        // Objects are read as git reads them, without hashing each one again on every read
        // (libgit2's strict hash verification; `git fsck` is the check of the store itself):
        // `verify` reads thousands of objects, and the hashing cost a tenth of its time.
        static READS: std::sync::Once = std::sync::Once::new();
        READS.call_once(|| git2::opts::strict_hash_verification(false));
        match git2::Repository::discover(start) {
            Ok(inner) => {
                if inner.workdir().is_none() {
                    return Ok(None);
                }
                // libgit2 takes the folder above a separate git dir (`git init
                // --separate-git-dir`) for the work tree; git takes the folder of the `.git` file.
                if let Some(actual) = gitfile_workdir(start, inner.path())
                    && inner.workdir().map(Path::to_path_buf) != Some(actual.clone())
                {
                    inner
                        .set_workdir(&actual, false)
                        .map_err(|e| RepoError::git("open the repository", &e))?;
                }
                let Some(workdir) = inner.workdir() else {
                    return Ok(None);
                };
                let workdir = workdir
                    .canonicalize()
                    .unwrap_or_else(|_| workdir.to_path_buf());
                Ok(Some(Repo {
                    inner,
                    workdir,
                    tag_names: std::cell::RefCell::default(),
                }))
            }
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) if e.code() == git2::ErrorCode::Owner => Err(RepoError::NotOwned {
                // `safe.directory` takes the work tree's root, not the folder we started in.
                path: start
                    .ancestors()
                    .find(|dir| dir.join(".git").exists())
                    .unwrap_or(start)
                    .to_path_buf(),
            }),
            Err(e) => Err(RepoError::git("open the repository", &e)),
        }
    }

    /// Creates a new repository in `dir` (with `main` as its first branch).
    ///
    /// # Errors
    /// [`RepoError::Git`] when git cannot create it.
    pub fn init(dir: &Path) -> Result<Repo, RepoError> {
        let mut opts = git2::RepositoryInitOptions::new();
        opts.initial_head("main");
        let inner = git2::Repository::init_opts(dir, &opts)
            .map_err(|e| RepoError::git("create a repository", &e))?;
        let workdir = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
        Ok(Repo {
            inner,
            workdir,
            tag_names: std::cell::RefCell::default(),
        })
    }

    /// The root of the work tree.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// `path` relative to the work tree, if it lies inside it.
    pub fn relative(&self, path: &Path) -> Option<PathBuf> {
        let canonical = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
        canonical
            .strip_prefix(&self.workdir)
            .ok()
            .map(Path::to_path_buf)
    }

    /// As [`Repo::relative`] for each of `files`, which are regular files (not symbolic links,
    /// such as [`crate::workspace::Workspace::documents`] gives): a file's canonical path is its
    /// folder's canonical path and its name, so each folder is resolved once instead of each
    /// file.
    pub fn relative_files<'p>(
        &self,
        files: impl IntoIterator<Item = &'p Path>,
    ) -> Vec<Option<PathBuf>> {
        let mut folders: std::collections::HashMap<&Path, Option<PathBuf>> = Default::default();
        files
            .into_iter()
            .map(|file| {
                let (Some(folder), Some(name)) = (file.parent(), file.file_name()) else {
                    return self.relative(file);
                };
                folders
                    .entry(folder)
                    .or_insert_with(|| self.relative(folder))
                    .as_ref()
                    .map(|relative| relative.join(name))
            })
            .collect()
    }

    /// The user's name from git's configuration (`user.name`), if set and not empty.
    pub fn user_name(&self) -> Option<String> {
        let name = self.inner.config().ok()?.get_string("user.name").ok()?;
        let name = name.trim();
        (!name.is_empty()).then(|| name.to_string())
    }

    /// The committer identity as git would use it: `GIT_COMMITTER_NAME`/`EMAIL`, then
    /// `user.name`/`user.email`, then `EMAIL` (`cases/` B19). Empty values count as missing.
    ///
    /// # Errors
    /// [`RepoError::NoIdentity`] when the name or the e-mail is missing or empty.
    pub fn identity(&self) -> Result<Identity, RepoError> {
        let (name, email) = match self.inner.committer_from_env() {
            Ok(sig) => (
                sig.name().unwrap_or("").trim().to_string(),
                sig.email().unwrap_or("").trim().to_string(),
            ),
            Err(_) => {
                // Work out which half is missing, as git would look for it.
                let config = self.inner.config().ok();
                let get = |env: &str, key: &str| {
                    std::env::var(env)
                        .ok()
                        .or_else(|| config.as_ref().and_then(|c| c.get_string(key).ok()))
                        .unwrap_or_default()
                        .trim()
                        .to_string()
                };
                let email = get("GIT_COMMITTER_EMAIL", "user.email");
                let email = if email.is_empty() {
                    std::env::var("EMAIL").unwrap_or_default()
                } else {
                    email
                };
                (get("GIT_COMMITTER_NAME", "user.name"), email)
            }
        };
        let missing = match (name.is_empty(), email.is_empty()) {
            (false, false) => return Ok(Identity { name, email }),
            (true, true) => "user.name and user.email are",
            (true, false) => "user.name is",
            (false, true) => "user.email is",
        };
        Err(RepoError::NoIdentity { missing })
    }

    /// Whether this is a shallow clone (history and tags cut off, `cases/` B18).
    pub fn is_shallow(&self) -> bool {
        self.inner.is_shallow()
    }

    /// What is unfinished in the work tree (a merge, a rebase, …), in words, if anything.
    pub fn unfinished_operation(&self) -> Option<&'static str> {
        use git2::RepositoryState as S;
        match self.inner.state() {
            S::Clean => None,
            S::Merge => Some("a merge"),
            S::Revert | S::RevertSequence => Some("a revert"),
            S::CherryPick | S::CherryPickSequence => Some("a cherry-pick"),
            S::Bisect => Some("a bisect"),
            S::Rebase | S::RebaseInteractive | S::RebaseMerge => Some("a rebase"),
            S::ApplyMailbox | S::ApplyMailboxOrRebase => Some("git am"),
        }
    }

    /// The branch HEAD is on (`main`), also when it has no commit yet.
    pub fn branch_name(&self) -> Option<String> {
        let head = self.inner.find_reference("HEAD").ok()?;
        let target = head.symbolic_target().ok()??;
        Some(
            target
                .strip_prefix("refs/heads/")
                .unwrap_or(target)
                .to_string(),
        )
    }

    /// Whether the current branch has at least one commit.
    pub fn has_commits(&self) -> bool {
        self.inner.head().is_ok_and(|h| h.peel_to_commit().is_ok())
    }

    /// The commit HEAD points at (hex id), if there is one.
    pub fn head_commit(&self) -> Option<String> {
        let commit = self.inner.head().ok()?.peel_to_commit().ok()?;
        Some(commit.id().to_string())
    }

    /// The first commit of the history, found by following first parents from HEAD (hex id):
    /// the same in every clone of the repository, so it tells repositories apart. `None` in a
    /// repository with no commit (or a shallow clone whose first commit is missing).
    pub fn root_commit(&self) -> Option<String> {
        let mut commit = self.inner.head().ok()?.peel_to_commit().ok()?;
        while commit.parent_count() > 0 {
            commit = commit.parent(0).ok()?;
        }
        Some(commit.id().to_string())
    }

    /// Whether HEAD is detached (not on a branch).
    pub fn head_detached(&self) -> bool {
        self.inner.head_detached().unwrap_or(false)
    }

    /// Whether git ignores `path` (absolute, or relative to the work tree) by the repository's
    /// ignore rules (`.gitignore`, `.git/info/exclude`); `false` when it cannot tell.
    pub fn is_ignored(&self, path: &Path) -> bool {
        let relative = path.strip_prefix(&self.workdir).unwrap_or(path);
        self.inner.is_path_ignored(relative).unwrap_or(false)
    }

    /// Tracked files with changes (staged or not), relative to the work tree. Untracked and
    /// ignored files are not listed.
    ///
    /// # Errors
    /// [`RepoError::Git`] when the status cannot be read.
    pub fn changed_files(&self) -> Result<Vec<PathBuf>, RepoError> {
        Ok(self
            .tracked_statuses()?
            .into_iter()
            .filter(|(_, status)| !status.is_empty() && *status != git2::Status::CURRENT)
            .map(|(path, _)| path)
            .collect())
    }

    /// The status of every tracked file git reports (untracked and ignored files left out).
    fn tracked_statuses(&self) -> Result<Vec<(PathBuf, git2::Status)>, RepoError> {
        let mut opts = git2::StatusOptions::new();
        opts.include_untracked(false).include_ignored(false);
        let statuses = self
            .inner
            .statuses(Some(&mut opts))
            .map_err(|e| RepoError::git("read the status", &e))?;
        Ok(statuses
            .iter()
            .filter_map(|s| Some((PathBuf::from(s.path().ok()?), s.status())))
            .collect())
    }

    /// Files of the last commit that are deleted in the working copy (or staged for deletion),
    /// relative to the work tree, with their bytes at HEAD.
    ///
    /// # Errors
    /// [`RepoError::Git`] when the status cannot be read.
    pub fn deleted_files(&self) -> Result<Vec<(PathBuf, Vec<u8>)>, RepoError> {
        let Some(head) = self.head_commit() else {
            return Ok(Vec::new());
        };
        Ok(self
            .tracked_statuses()?
            .into_iter()
            .filter(|(_, status)| {
                status.intersects(git2::Status::WT_DELETED | git2::Status::INDEX_DELETED)
            })
            .filter_map(|(path, _)| {
                let bytes = self.file_at_commit(&head, &path)?;
                Some((path, bytes))
            })
            .collect())
    }

    /// The first file git tracks (in its index) inside the folder `relative` (a path relative
    /// to the work tree; empty for the root), if any.
    pub fn tracked_file_under(&self, relative: &Path) -> Option<PathBuf> {
        let index = self.inner.index().ok()?;
        index.iter().find_map(|entry| {
            let path = PathBuf::from(String::from_utf8_lossy(&entry.path).as_ref());
            path.starts_with(relative).then_some(path)
        })
    }

    /// git's own folder (`.git`, or where a linked work tree keeps it).
    pub fn git_dir(&self) -> PathBuf {
        let path = self.inner.path();
        path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
    }

    /// Whether a file (relative path) differs from HEAD or is not tracked.
    pub fn file_changed_since_head(&self, relative: &Path) -> bool {
        match self.inner.status_file(relative) {
            Ok(status) => !status.is_empty(),
            Err(_) => true,
        }
    }

    /// The IDs of documents with at least one release tag of `format`, sorted, each once.
    pub fn released_ids(&self, format: &TagFormat) -> Vec<DocId> {
        let mut ids: Vec<DocId> = self
            .tag_names()
            .map(|list| list.names().filter_map(|t| format.id_of(t)).collect())
            .unwrap_or_default();
        ids.sort();
        ids.dedup();
        ids
    }

    /// Every tag (without `refs/tags/`) and what it points at, listed once and kept. A tag
    /// that is a symbolic reference is listed with what it resolves to; names that are not
    /// UTF-8 are not sopctl's.
    fn tag_names(&self) -> Result<TagList, RepoError> {
        if let Some(list) = self.tag_names.borrow().as_ref() {
            return Ok(list.clone());
        }
        let references = self
            .inner
            .references_glob("refs/tags/*")
            .map_err(|e| RepoError::git("list the tags", &e))?;
        let mut tags: Vec<(String, git2::Oid)> = references
            .flatten()
            .filter_map(|reference| {
                let name = reference
                    .name()
                    .ok()?
                    .strip_prefix("refs/tags/")?
                    .to_string();
                let target = match reference.target() {
                    Some(oid) => oid,
                    None => reference.resolve().ok()?.target()?,
                };
                Some((name, target))
            })
            .collect();
        tags.sort_by(|a, b| a.0.cmp(&b.0));
        tags.dedup_by(|a, b| a.0 == b.0);
        let list = TagList(std::sync::Arc::new(tags));
        *self.tag_names.borrow_mut() = Some(list.clone());
        Ok(list)
    }

    /// Every tag, as listed once (for another handle on the same repository:
    /// [`Repo::take_tag_list`]).
    pub fn tag_list(&self) -> TagList {
        self.tag_names().unwrap_or_default()
    }

    /// Takes `list` as this handle's list of tags instead of listing them again (another handle
    /// on the same repository listed them: [`Repo::tag_list`]).
    pub fn take_tag_list(&self, list: TagList) {
        *self.tag_names.borrow_mut() = Some(list);
    }

    /// The object the tag `name` points at: from the list when the tags were listed, else
    /// looked up.
    fn tag_target(&self, name: &str) -> Option<git2::Oid> {
        if let Some(list) = self.tag_names.borrow().as_ref() {
            return list.target(name);
        }
        self.inner
            .find_reference(&format!("refs/tags/{name}"))
            .ok()?
            .resolve()
            .ok()?
            .target()
    }

    /// Forgets the listed tag names, after a tag was written or removed.
    pub(crate) fn forget_tag_names(&self) {
        *self.tag_names.borrow_mut() = None;
    }

    /// The release records of document `id` under `format`, in semver precedence order.
    /// Tags that are not this document's are ignored; tags shaped like its tags but without a
    /// valid version are listed in [`Releases::skipped`]. With a format without `{id}`, a
    /// sopctl tag whose `Document:` trailer names another document is not counted.
    ///
    /// # Errors
    /// [`RepoError::Git`] when the tags cannot be listed.
    pub fn releases(&self, id: &DocId, format: &TagFormat) -> Result<Releases, RepoError> {
        let mut out = Releases::default();
        let list = self.tag_names()?;
        let prefix = format.prefix_of(id);
        for (name, target) in list.starting_with(prefix.as_deref()) {
            let version = match format.parse(id, name) {
                TagMatch::Release(v) => v,
                TagMatch::NotAVersion(tag) => {
                    out.skipped.push(tag);
                    continue;
                }
                TagMatch::Other => continue,
            };
            let Ok(object) = self.inner.find_object(*target, None) else {
                continue;
            };
            let Ok(commit) = object.peel_to_commit() else {
                continue;
            };
            // Read from the commit only for a tag that does not record them itself.
            let commit_subject = || {
                records::Message::parse(&records::decode_message(
                    commit.message_raw_bytes(),
                    commit.message_encoding().ok().flatten(),
                ))
                .summary()
            };
            let commit_author = || commit.author().name().unwrap_or("").to_string();
            let record = match object.as_tag() {
                Some(tag) => {
                    // A signed tag's message ends with its signature (issue 15).
                    let bytes = tag.message_bytes().unwrap_or(b"");
                    let unsigned = bytes
                        .get(..records::signature_start(bytes))
                        .unwrap_or(bytes);
                    let message = records::Message::parse(&records::decode_message(unsigned, None));
                    if !format.has_id()
                        && message
                            .trailer("Document")
                            .is_some_and(|d| d != id.as_str())
                    {
                        continue;
                    }
                    let by_sopctl = message.trailer("Version").is_some();
                    let tagger = tag.tagger();
                    let date = message
                        .trailer("Date")
                        .and_then(|d| d.parse::<Date>().ok())
                        .or_else(|| tagger.as_ref().map(|t| date_of(t.when())))
                        .unwrap_or_else(|| date_of(commit.time()));
                    let author = message
                        .trailer("Author")
                        .map(str::to_string)
                        .or_else(|| {
                            tagger
                                .as_ref()
                                .and_then(|t| t.name().ok().map(str::to_string))
                        })
                        .unwrap_or_else(commit_author);
                    ReleaseRecord {
                        version: version.clone(),
                        date,
                        recorded: tagger
                            .as_ref()
                            .map_or_else(|| date_of(commit.time()), |t| date_of(t.when())),
                        author,
                        summary: if by_sopctl {
                            message.summary()
                        } else {
                            commit_subject()
                        },
                        approvals: message.all("Approved-by"),
                        tag: name.clone(),
                        commit: commit.id().to_string(),
                        by_sopctl,
                        adopted: message
                            .trailer("Adopted")
                            .is_some_and(|v| v.eq_ignore_ascii_case("yes")),
                        retrain: message.trailer("Retrain").and_then(|v| {
                            match v.trim().to_ascii_lowercase().as_str() {
                                "yes" => Some(true),
                                "no" => Some(false),
                                _ => None,
                            }
                        }),
                    }
                }
                None => ReleaseRecord {
                    version: version.clone(),
                    date: date_of(commit.time()),
                    recorded: date_of(commit.time()),
                    author: commit_author(),
                    summary: commit_subject(),
                    approvals: Vec::new(),
                    tag: name.clone(),
                    commit: commit.id().to_string(),
                    by_sopctl: false,
                    adopted: false,
                    retrain: None,
                },
            };
            if !out.records.iter().any(|r| r.version == record.version) {
                out.records.push(record);
            }
        }
        out.records.sort_by(|a, b| a.version.cmp(&b.version));
        out.skipped.sort();
        Ok(out)
    }

    /// The document `id` as it was in commit `commit` (hex id): its path and bytes. The file
    /// at `preferred` (relative) is tried first; otherwise every Markdown file of the commit is
    /// searched for front matter with this `id`, so a document is followed across renames and
    /// moves.
    pub fn document_at(
        &self,
        commit: &str,
        id: &DocId,
        preferred: Option<&Path>,
    ) -> Option<(PathBuf, Vec<u8>)> {
        let oid = git2::Oid::from_str(commit).ok()?;
        let tree = self.inner.find_commit(oid).ok()?.tree().ok()?;
        let has_id = |path: &Path, bytes: &[u8]| {
            Sop::from_bytes(path, bytes.to_vec())
                .ok()
                .is_some_and(|s| s.id() == Some(id))
        };
        if let Some(p) = preferred
            && let Ok(entry) = tree.get_path(p)
            && let Ok(blob) = self.inner.find_blob(entry.id())
            && has_id(p, blob.content())
        {
            return Some((p.to_path_buf(), blob.content().to_vec()));
        }
        let mut found = None;
        let _ = tree.walk(git2::TreeWalkMode::PreOrder, |dir, entry| {
            let name = entry.name().unwrap_or("");
            if entry.kind() == Some(git2::ObjectType::Blob)
                && name.to_ascii_lowercase().ends_with(".md")
            {
                let path = PathBuf::from(format!("{dir}{name}"));
                if let Ok(blob) = self.inner.find_blob(entry.id())
                    && has_id(&path, blob.content())
                {
                    found = Some((path, blob.content().to_vec()));
                    return git2::TreeWalkResult::Abort;
                }
            }
            git2::TreeWalkResult::Ok
        });
        found
    }

    /// The bytes of the file at `path` (relative to the work tree) in the commit a tag points
    /// at, peeling annotated tags; `None` when the tag or the file does not exist.
    pub fn file_at_tag(&self, tag: &str, path: &Path) -> Option<Vec<u8>> {
        let reference = self
            .inner
            .find_reference(&format!("refs/tags/{tag}"))
            .ok()?;
        let commit = reference.peel_to_commit().ok()?;
        let entry = commit.tree().ok()?.get_path(path).ok()?;
        Some(self.inner.find_blob(entry.id()).ok()?.content().to_vec())
    }

    /// The bytes of the file at `path` (relative to the work tree) in commit `commit` (hex id).
    pub fn file_at_commit(&self, commit: &str, path: &Path) -> Option<Vec<u8>> {
        let oid = git2::Oid::from_str(commit).ok()?;
        let tree = self.inner.find_commit(oid).ok()?.tree().ok()?;
        let entry = tree.get_path(path).ok()?;
        Some(self.inner.find_blob(entry.id()).ok()?.content().to_vec())
    }

    /// The id (hex) of the file at `path` (relative to the work tree) in commit `commit`: two
    /// commits hold the same bytes there exactly when the ids are equal, without reading them.
    pub fn file_id_at_commit(&self, commit: &str, path: &Path) -> Option<String> {
        let oid = git2::Oid::from_str(commit).ok()?;
        let tree = self.inner.find_commit(oid).ok()?.tree().ok()?;
        Some(tree.get_path(path).ok()?.id().to_string())
    }

    /// The id (hex) git gives a file of these bytes (`git hash-object`): equal to
    /// [`Repo::file_id_at_commit`] exactly when a commit holds these bytes there.
    pub fn blob_id(bytes: &[u8]) -> String {
        git2::Oid::hash_object(git2::ObjectType::Blob, bytes)
            .map(|oid| oid.to_string())
            .unwrap_or_default()
    }

    /// Whether the repository has a remote to share with (`git remote` lists one).
    pub fn has_remote(&self) -> bool {
        self.inner.remotes().is_ok_and(|r| !r.is_empty())
    }

    /// Whether a tag of this name exists.
    pub fn has_tag(&self, tag: &str) -> bool {
        self.inner
            .find_reference(&format!("refs/tags/{tag}"))
            .is_ok()
    }

    /// Commits the given files (relative paths, their bytes as they are in the work tree) on
    /// the current branch, as `record` says (message, identity, time, signing and hooks),
    /// through the crash-safe [`Repo::write_record`]. With no files, an empty commit: the
    /// lifecycle's records (approvals, reviews) are commits that carry only trailers. Also builds
    /// the example's history.
    ///
    /// The commit's tree is the last commit's with only these files replaced: whatever else the
    /// user has staged stays staged and out of the commit.
    ///
    /// # Errors
    /// As [`Repo::write_record`]; a file that cannot be read.
    pub fn commit_files(
        &self,
        lock: &lock::RecordLock,
        files: &[&Path],
        mut record: transaction::RecordWrite<'_>,
    ) -> Result<String, RepoError> {
        for file in files {
            let path = self.workdir.join(file);
            let bytes = std::fs::read(&path).map_err(|e| RepoError::io(&path, &e))?;
            record.files.push((file.to_path_buf(), bytes));
        }
        let written = self.write_record(lock, &record, transaction::FaultPoint::from_env())?;
        Ok(written.commit)
    }

    /// The folder of the submodule (or other repository nested in the work tree) that holds
    /// `relative`, if any: a folder between the file and the work tree's root with a `.git` of
    /// its own. Its commits belong to that repository, not to this one.
    pub fn nested_repository_of(&self, relative: &Path) -> Option<PathBuf> {
        relative
            .ancestors()
            .skip(1)
            .filter(|a| !a.as_os_str().is_empty())
            .find(|a| self.workdir.join(a).join(".git").exists())
            .map(Path::to_path_buf)
    }

    /// git's common folder: `.git` of the main work tree, shared by linked work trees (refs,
    /// objects, and sopctl's lock and journal live here).
    pub fn common_dir(&self) -> PathBuf {
        let path = self.inner.commondir();
        path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
    }

    /// Takes the record lock (see [`lock::RecordLock`]), waiting for another sopctl command
    /// that holds it; `waiting` is called once if it must wait.
    ///
    /// # Errors
    /// [`RepoError::State`] when the lock file cannot be made.
    pub fn lock_records(&self, waiting: &mut dyn FnMut()) -> Result<lock::RecordLock, RepoError> {
        lock::RecordLock::acquire(&self.common_dir(), waiting)
    }

    /// Finishes or undoes a record that a killed sopctl left half written, unless another
    /// sopctl command is writing one right now.
    ///
    /// # Errors
    /// As [`Repo::recover_locked`].
    pub fn recover(&self) -> Result<Option<journal::Outcome>, RepoError> {
        match lock::RecordLock::try_acquire(&self.common_dir())? {
            Some(_lock) => self.recover_locked(),
            None => Ok(None),
        }
    }

    /// The record a killed sopctl left unfinished, in words, if its journal is still there.
    pub fn interrupted_record(&self) -> Option<String> {
        journal::read(&self.common_dir())
            .ok()
            .flatten()
            .map(|intent| intent.what)
    }
}

/// A commit whose message carries trailers sopctl reads (approvals, reviews).
#[derive(Debug, Clone)]
pub struct TrailerCommit {
    /// The commit id.
    pub commit: String,
    /// The message, split into text and trailers.
    pub message: records::Message,
    /// The commit time, seconds since the epoch.
    pub time: i64,
}

impl Repo {
    /// Commits on the current branch, newest first, whose message has a trailer `key` equal to
    /// `value`; the walk stops at `stop` (a commit id, not included) when given.
    ///
    /// # Errors
    /// [`RepoError::Git`] when the history cannot be read.
    pub fn commits_with_trailer(
        &self,
        key: &str,
        value: &str,
        stop: Option<&str>,
    ) -> Result<Vec<TrailerCommit>, RepoError> {
        self.commits_where(stop, &|m| m.trailer(key) == Some(value))
    }

    /// Commits on the current branch, newest first, that have any of the trailers `keys`, in
    /// one walk of the whole history.
    ///
    /// # Errors
    /// [`RepoError::Git`] when the history cannot be read.
    pub fn commits_with_any_trailer(&self, keys: &[&str]) -> Result<Vec<TrailerCommit>, RepoError> {
        self.commits_where(None, &|m| keys.iter().any(|k| m.trailer(k).is_some()))
    }

    fn commits_where(
        &self,
        stop: Option<&str>,
        keep: &dyn Fn(&records::Message) -> bool,
    ) -> Result<Vec<TrailerCommit>, RepoError> {
        let mut out = Vec::new();
        let Ok(head) = self.inner.head() else {
            return Ok(out);
        };
        let Some(start) = head.target() else {
            return Ok(out);
        };
        let mut walk = self
            .inner
            .revwalk()
            .map_err(|e| RepoError::git("read the history", &e))?;
        walk.push(start)
            .map_err(|e| RepoError::git("read the history", &e))?;
        let _ = walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME);
        let stop = stop.and_then(|s| git2::Oid::from_str(s).ok());
        for oid in walk.flatten() {
            if Some(oid) == stop {
                break;
            }
            let Ok(commit) = self.inner.find_commit(oid) else {
                continue;
            };
            let text = records::decode_message(
                commit.message_raw_bytes(),
                commit.message_encoding().ok().flatten(),
            );
            let message = records::Message::parse(&text);
            if keep(&message) {
                out.push(TrailerCommit {
                    commit: oid.to_string(),
                    message,
                    time: commit.time().seconds(),
                });
            }
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::Repo;
    use std::path::PathBuf;

    /// Resolving each folder once gives what resolving each file gives: for files inside the
    /// work tree, in its root, and behind a folder that is a link out of it.
    #[test]
    fn files_are_made_relative_as_one_by_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let outside = tempfile::tempdir().expect("temp dir");
        let repo = Repo::init(dir.path()).expect("repo");
        let root = dir.path();
        std::fs::create_dir_all(root.join("sops/area-1")).expect("folders");
        std::fs::write(outside.path().join("far.md"), "x").expect("file");
        #[cfg(unix)]
        std::os::unix::fs::symlink(outside.path(), root.join("linked")).expect("link");
        let files: Vec<PathBuf> = [
            "sops/area-1/a.md",
            "sops/area-1/b.md",
            "top.md",
            "linked/far.md",
        ]
        .iter()
        .map(|f| root.join(f))
        .collect();
        for file in &files[..3] {
            std::fs::write(file, "x").expect("file");
        }
        let one_by_one: Vec<Option<PathBuf>> = files.iter().map(|f| repo.relative(f)).collect();
        assert_eq!(
            repo.relative_files(files.iter().map(PathBuf::as_path)),
            one_by_one
        );
        assert_eq!(one_by_one[0], Some(PathBuf::from("sops/area-1/a.md")));
        assert_eq!(one_by_one[2], Some(PathBuf::from("top.md")));
        #[cfg(unix)]
        assert_eq!(one_by_one[3], None);
    }
}
