//! Records kept on a branch of their own, away from the documents' history (issue 17: the
//! training records). The branch is never checked out: each record is a commit made directly
//! in git's store (signed and run through the hooks as any commit sopctl makes) whose tree is
//! its parent's with files changed, and the branch moves to it only if nobody moved it
//! meanwhile, so a record is made whole or not at all.
//!
//! A record changes no file of the work tree, so git's `pre-commit` hook (which checks what
//! is staged there) does not run for it; `commit-msg` and `post-commit` do.
//!
//! The branch is an ordinary one (`refs/heads/…`): `git push origin BRANCH` shares it and
//! `git fetch` brings the others'. When a clone's own branch and the fetched one
//! (`refs/remotes/REMOTE/BRANCH`) have both moved on, the next record merges them (a commit with
//! both as parents); `merge` says how two versions of a file become one.

use git2::Oid;

use super::transaction::RecordOptions;
use super::{Identity, Repo, RepoError};

/// The files of a side branch's tip: path → bytes.
pub type Files = std::collections::BTreeMap<String, Vec<u8>>;

/// One commit of a side branch, as [`Repo::side_walk`] gives it.
#[derive(Debug, Clone)]
pub struct SideCommit {
    /// The commit's id.
    pub id: String,
    /// Its files under the folder walked.
    pub files: Files,
    /// Each parent's files under that folder, in the parents' order.
    pub parent_files: Vec<Files>,
}

/// How two versions of a file become one: (file name, earlier bytes, other bytes) → bytes.
pub type Merge<'a> = dyn Fn(&str, &[u8], &[u8]) -> Vec<u8> + 'a;

impl Repo {
    /// The tips of the side branch `name` (`sopctl/training`): the local branch, then each
    /// remote's copy of it that the local one does not already contain.
    pub fn side_tips(&self, name: &str) -> Vec<Oid> {
        let repo = &self.inner;
        let mut tips: Vec<Oid> = Vec::new();
        if let Ok(local) = repo.refname_to_id(&format!("refs/heads/{name}")) {
            tips.push(local);
        }
        let Ok(refs) = repo.references_glob(&format!("refs/remotes/*/{name}")) else {
            return tips;
        };
        for reference in refs.flatten() {
            let Some(id) = reference.target() else {
                continue;
            };
            let known = tips
                .iter()
                .any(|t| *t == id || repo.graph_descendant_of(*t, id).unwrap_or(false));
            if !known {
                tips.push(id);
            }
        }
        tips
    }

    /// The files of `tips` (see [`Repo::side_tips`]) under the folder `under`, each file read
    /// from every tip and the versions joined by `merge` (path, earlier bytes, other bytes).
    ///
    /// # Errors
    /// A tip or a file that cannot be read.
    pub fn side_files(
        &self,
        tips: &[Oid],
        under: &str,
        merge: &Merge<'_>,
    ) -> Result<Files, RepoError> {
        let repo = &self.inner;
        let mut files = Files::new();
        for tip in tips {
            let tree = repo
                .find_commit(*tip)
                .and_then(|c| c.tree())
                .map_err(|e| RepoError::git("read the training records", &e))?;
            let Ok(entry) = tree.get_path(std::path::Path::new(under)) else {
                continue;
            };
            let folder = repo
                .find_tree(entry.id())
                .map_err(|e| RepoError::git("read the training records", &e))?;
            for item in folder.iter() {
                let Ok(name) = item.name() else { continue };
                let blob = repo
                    .find_blob(item.id())
                    .map_err(|e| RepoError::git("read the training records", &e))?;
                let bytes = blob.content();
                let joined = match files.get(name) {
                    Some(earlier) if earlier.as_slice() != bytes => merge(name, earlier, bytes),
                    Some(_) => continue,
                    None => bytes.to_vec(),
                };
                files.insert(name.to_string(), joined);
            }
        }
        Ok(files)
    }

    /// Every commit reachable from `tips`, newest first, each with its parents' ids and the
    /// files under the folder `under` of it and of each parent (for `sopctl verify`).
    ///
    /// # Errors
    /// A commit or tree that cannot be read.
    pub fn side_walk(
        &self,
        tips: &[Oid],
        under: &str,
        each: &mut dyn FnMut(&SideCommit),
    ) -> Result<(), RepoError> {
        let repo = &self.inner;
        let fail = |e: &git2::Error| RepoError::git("read the training records", e);
        let mut walk = repo.revwalk().map_err(|e| fail(&e))?;
        for tip in tips {
            walk.push(*tip).map_err(|e| fail(&e))?;
        }
        let files_of = |commit: &git2::Commit<'_>| -> Result<Files, RepoError> {
            let tree = commit.tree().map_err(|e| fail(&e))?;
            let mut out = Files::new();
            if let Ok(entry) = tree.get_path(std::path::Path::new(under)) {
                let folder = repo.find_tree(entry.id()).map_err(|e| fail(&e))?;
                for item in folder.iter() {
                    let Ok(name) = item.name() else { continue };
                    let blob = repo.find_blob(item.id()).map_err(|e| fail(&e))?;
                    out.insert(name.to_string(), blob.content().to_vec());
                }
            }
            Ok(out)
        };
        for oid in walk {
            let oid = oid.map_err(|e| fail(&e))?;
            let commit = repo.find_commit(oid).map_err(|e| fail(&e))?;
            let parents: Vec<git2::Commit<'_>> = commit.parents().collect();
            let mut parent_files = Vec::new();
            for parent in &parents {
                parent_files.push(files_of(parent)?);
            }
            each(&SideCommit {
                id: oid.to_string(),
                files: files_of(&commit)?,
                parent_files,
            });
        }
        Ok(())
    }

    /// The file `name` under the folder `under` of each of `tips`, joined by `merge`; `None`
    /// when no tip has it.
    ///
    /// # Errors
    /// A tip that cannot be read.
    pub fn side_file(
        &self,
        tips: &[Oid],
        under: &str,
        name: &str,
        merge: &Merge<'_>,
    ) -> Result<Option<Vec<u8>>, RepoError> {
        let repo = &self.inner;
        let path = std::path::Path::new(under).join(name);
        let mut out: Option<Vec<u8>> = None;
        for tip in tips {
            let tree = repo
                .find_commit(*tip)
                .and_then(|c| c.tree())
                .map_err(|e| RepoError::git("read the training records", &e))?;
            let Ok(entry) = tree.get_path(&path) else {
                continue;
            };
            let blob = repo
                .find_blob(entry.id())
                .map_err(|e| RepoError::git("read the training records", &e))?;
            out = Some(match out {
                Some(earlier) if earlier.as_slice() != blob.content() => {
                    merge(name, &earlier, blob.content())
                }
                Some(same) => same,
                None => blob.content().to_vec(),
            });
        }
        Ok(out)
    }

    /// Commits `changes` (file name under the folder `under` → new bytes) on the side branch
    /// `name`, on top of `tips` (the first is the local branch's tip, when there is one; more
    /// than one make a merge), with `message` by `identity` at `time` (seconds since the
    /// epoch), signed and run through the hooks as `options` say, and moves the local branch
    /// to it unless it moved meanwhile. Returns the new commit's id.
    ///
    /// # Errors
    /// [`RepoError::Moved`] when the branch moved under it; a signing or hook refusal; any
    /// other [`RepoError`], with nothing changed.
    #[allow(clippy::too_many_arguments, reason = "one record, described in full")]
    pub fn commit_side(
        &self,
        name: &str,
        tips: &[Oid],
        under: &str,
        changes: &Files,
        message: &str,
        identity: &Identity,
        time: i64,
        options: RecordOptions,
    ) -> Result<String, RepoError> {
        let repo = &self.inner;
        let refname = format!("refs/heads/{name}");
        let local = repo.refname_to_id(&refname).ok();
        let parents: Vec<git2::Commit<'_>> = tips
            .iter()
            .map(|t| repo.find_commit(*t))
            .collect::<Result<_, _>>()
            .map_err(|e| RepoError::git("read the training records", &e))?;
        let base = match parents.first() {
            Some(commit) => Some(
                commit
                    .tree()
                    .map_err(|e| RepoError::git("read the training records", &e))?,
            ),
            None => None,
        };
        let mut update = git2::build::TreeUpdateBuilder::new();
        for (file, bytes) in changes {
            let blob = repo
                .blob(bytes)
                .map_err(|e| RepoError::git("write the training record", &e))?;
            update.upsert(format!("{under}/{file}"), blob, git2::FileMode::Blob);
        }
        let empty;
        let base = match &base {
            Some(tree) => tree,
            None => {
                let id = repo
                    .treebuilder(None)
                    .and_then(|b| b.write())
                    .map_err(|e| RepoError::git("write the training record", &e))?;
                empty = repo
                    .find_tree(id)
                    .map_err(|e| RepoError::git("write the training record", &e))?;
                &empty
            }
        };
        let tree_id = update
            .create_updated(repo, base)
            .map_err(|e| RepoError::git("write the training record", &e))?;
        let tree = repo
            .find_tree(tree_id)
            .map_err(|e| RepoError::git("write the training record", &e))?;
        let signature =
            git2::Signature::new(&identity.name, &identity.email, &git2::Time::new(time, 0))
                .map_err(|e| RepoError::git("sign the training record", &e))?;
        let scratch = super::lock::state_dir(&self.common_dir()).join("scratch");
        let message = if options.hooks {
            self.run_side_hooks(message)?
        } else {
            message.to_string()
        };
        let parent_refs: Vec<&git2::Commit<'_>> = parents.iter().collect();
        let commit = self.write_commit(
            &signature,
            &message,
            &tree,
            &parent_refs,
            (options.sign, identity),
            &scratch,
        )?;
        let log = format!("sopctl: {}", message.lines().next().unwrap_or("record"));
        let moved = match local {
            Some(old) => repo.reference_matching(&refname, commit, true, old, &log),
            None => repo.reference(&refname, commit, false, &log),
        };
        moved.map_err(|_| RepoError::Moved {
            what: format!("the branch {name}"),
        })?;
        // As git: the post-commit hook's outcome does not undo the commit.
        let _ = self.run_hook("post-commit", &[], None);
        Ok(commit.to_string())
    }
}
