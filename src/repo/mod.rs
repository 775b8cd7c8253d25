//! GIT: every use of git2 lives here.
//!
//! Takes a folder; gives the repository around it, its work tree, the user's identity, and the
//! files of a commit. It writes nothing unless asked to create a repository ([`Repo::init`]).
//! Release records (annotated tags) and approvals arrive with the release and lifecycle stages.

use std::path::{Path, PathBuf};

/// A git problem, in words a document owner can act on.
#[derive(Debug, thiserror::Error)]
pub enum RepoError {
    /// libgit2 refuses a repository owned by another user.
    #[error("the repository at {path} belongs to another user, so git refuses to work in it")]
    NotOwned {
        /// The repository folder.
        path: PathBuf,
    },
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
    fn git(action: &'static str, err: &git2::Error) -> RepoError {
        RepoError::Git {
            action,
            message: err.message().to_string(),
        }
    }
}

/// A git repository with a work tree.
pub struct Repo {
    inner: git2::Repository,
    workdir: PathBuf,
}

impl std::fmt::Debug for Repo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Repo")
            .field("workdir", &self.workdir)
            .finish()
    }
}

impl Repo {
    /// The repository containing `start`, if any. A bare repository counts as none.
    ///
    /// # Errors
    /// [`RepoError::NotOwned`] when git's ownership check refuses it; [`RepoError::Git`] when
    /// the repository is damaged.
    pub fn discover(start: &Path) -> Result<Option<Repo>, RepoError> {
        match git2::Repository::discover(start) {
            Ok(inner) => {
                let Some(workdir) = inner.workdir() else {
                    return Ok(None);
                };
                let workdir = workdir
                    .canonicalize()
                    .unwrap_or_else(|_| workdir.to_path_buf());
                Ok(Some(Repo { inner, workdir }))
            }
            Err(e) if e.code() == git2::ErrorCode::NotFound => Ok(None),
            Err(e) if e.code() == git2::ErrorCode::Owner => Err(RepoError::NotOwned {
                path: start.to_path_buf(),
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
        Ok(Repo { inner, workdir })
    }

    /// The root of the work tree.
    pub fn workdir(&self) -> &Path {
        &self.workdir
    }

    /// The user's name from git's configuration (`user.name`), if set and not empty.
    pub fn user_name(&self) -> Option<String> {
        let config = self.inner.config().ok()?;
        let name = config.get_string("user.name").ok()?;
        let name = name.trim();
        (!name.is_empty()).then(|| name.to_string())
    }

    /// The bytes of the file at `path` (relative to the work tree) in the commit a tag points
    /// at, peeling annotated tags; `None` when the tag or the file does not exist.
    pub fn file_at_tag(&self, tag: &str, path: &Path) -> Option<Vec<u8>> {
        let reference = self
            .inner
            .find_reference(&format!("refs/tags/{tag}"))
            .ok()?;
        let commit = reference.peel_to_commit().ok()?;
        let tree = commit.tree().ok()?;
        let entry = tree.get_path(path).ok()?;
        let blob = entry.to_object(&self.inner).ok()?.peel_to_blob().ok()?;
        Some(blob.content().to_vec())
    }

    /// Whether a tag of this name exists.
    pub fn has_tag(&self, tag: &str) -> bool {
        self.inner
            .find_reference(&format!("refs/tags/{tag}"))
            .is_ok()
    }
}

/// A release tag name from the repository's `tag_format` (SPEC §2): `{id}` and `{version}`
/// replaced by the document ID and the full version.
pub fn tag_name(format: &str, id: &str, full_version: &str) -> String {
    format
        .replace("{id}", id)
        .replace("{version}", full_version)
}
