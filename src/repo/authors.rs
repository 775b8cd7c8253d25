//! Who changed a file: the authors of the commits that touched it since a commit (for
//! separation of duties, [`crate::lifecycle::duties`]).

use std::path::Path;

use super::{Repo, RepoError};

/// A commit that changed a file: its author and id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// The commit author's name.
    pub name: String,
    /// The commit author's e-mail address, as recorded.
    pub email: String,
    /// The commit (full id).
    pub commit: String,
}

impl Repo {
    /// The commits on the current branch, newest first, that changed the file at `relative`
    /// (a path relative to the work tree), leaving out `since` and everything before it (a
    /// commit id; `None`: the whole history). A commit changed the file when the file's blob
    /// differs from the one in each of its parents (so a merge that only takes one side's
    /// version is no change of its own; the side's commits are listed themselves), or, for a
    /// first commit, when it has the file. A document moved to `relative` counts as changed by
    /// the commit that moved it; commits before the move, at the old path, are not seen.
    ///
    /// # Errors
    /// [`RepoError::Git`] when the history cannot be read.
    pub fn changes_of(
        &self,
        relative: &Path,
        since: Option<&str>,
    ) -> Result<Vec<Change>, RepoError> {
        self.changes_between(relative, since, None)
    }

    /// As [`Repo::changes_of`], from the commit `until` (a commit id) back instead of from the
    /// current branch's head: the changes between two releases.
    ///
    /// # Errors
    /// [`RepoError::Git`] when the history cannot be read.
    pub fn changes_between(
        &self,
        relative: &Path,
        since: Option<&str>,
        until: Option<&str>,
    ) -> Result<Vec<Change>, RepoError> {
        let mut out = Vec::new();
        let start = match until {
            Some(commit) => git2::Oid::from_str(commit).ok(),
            None => self.inner.head().ok().and_then(|h| h.target()),
        };
        let Some(head) = start else {
            return Ok(out);
        };
        let read = |e: git2::Error| RepoError::git("read the history", &e);
        let mut walk = self.inner.revwalk().map_err(read)?;
        walk.push(head).map_err(read)?;
        if let Some(oid) = since.and_then(|s| git2::Oid::from_str(s).ok()) {
            walk.hide(oid).map_err(read)?;
        }
        let _ = walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME);
        let blob_of = |commit: &git2::Commit<'_>| {
            commit
                .tree()
                .ok()
                .and_then(|t| t.get_path(relative).ok())
                .map(|e| e.id())
        };
        for oid in walk {
            let commit = self.inner.find_commit(oid.map_err(read)?).map_err(read)?;
            let mine = blob_of(&commit);
            let changed = if commit.parent_count() == 0 {
                mine.is_some()
            } else {
                commit.parents().all(|parent| blob_of(&parent) != mine)
            };
            if changed {
                let author = commit.author();
                out.push(Change {
                    name: String::from_utf8_lossy(author.name_bytes()).into_owned(),
                    email: String::from_utf8_lossy(author.email_bytes()).into_owned(),
                    commit: commit.id().to_string(),
                });
            }
        }
        Ok(out)
    }
}
