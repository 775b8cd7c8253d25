//! The repository's hooks, run for the commits sopctl makes as `git commit` runs them
//! (githooks(5), issue 15): `pre-commit` (no arguments; may refuse), `commit-msg` (the message
//! file; may refuse or edit the message), `post-commit` (after the commit; cannot refuse).
//!
//! Hooks are looked for in `core.hooksPath` (relative to the work tree when relative) or the
//! common git dir's `hooks/`. They run in the work tree's root with `GIT_INDEX_FILE` naming an
//! index that holds exactly the tree being committed (so `git diff --cached` shows the change)
//! and `GIT_EDITOR=:`, as git gives them when it commits.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use super::{Repo, RepoError};

impl Repo {
    /// The hook `name`, if the repository has it and it can be run.
    pub fn hook(&self, name: &str) -> Option<PathBuf> {
        let folder = self
            .inner
            .config()
            .ok()
            .and_then(|c| c.get_path("core.hooksPath").ok())
            .map(|p| {
                if p.is_absolute() {
                    p
                } else {
                    self.workdir.join(p)
                }
            })
            .unwrap_or_else(|| self.common_dir().join("hooks"));
        let path = folder.join(name);
        is_executable(&path).then_some(path)
    }

    /// Runs the hook `name` with `args` and the environment of [`module docs`](self); `Ok`
    /// when there is none or it succeeded.
    ///
    /// # Errors
    /// [`RepoError::Hook`] with its output when it exits non-zero or cannot be started.
    pub(crate) fn run_hook(
        &self,
        name: &'static str,
        args: &[&Path],
        index: Option<&Path>,
    ) -> Result<(), RepoError> {
        let Some(path) = self.hook(name) else {
            return Ok(());
        };
        let mut command = Command::new(&path);
        command
            .args(args)
            .current_dir(&self.workdir)
            .env("GIT_EDITOR", ":")
            .env_remove("GIT_DIR")
            .env_remove("GIT_WORK_TREE")
            .stdin(Stdio::null());
        if let Some(index) = index {
            command.env("GIT_INDEX_FILE", index);
        }
        let out = command.output().map_err(|e| RepoError::Hook {
            hook: name,
            output: crate::fsx::plain_reason(&e).0,
        })?;
        if out.status.success() {
            return Ok(());
        }
        let mut output = String::from_utf8_lossy(&out.stdout).into_owned();
        output.push_str(&String::from_utf8_lossy(&out.stderr));
        Err(RepoError::Hook {
            hook: name,
            output: output.trim().to_string(),
        })
    }

    /// Runs `commit-msg` for a commit on a side branch ([`super::side`]) with `message`;
    /// returns the message as the hook left it. `pre-commit` checks what is staged in the work
    /// tree, which such a commit does not touch, so it does not run.
    pub(crate) fn run_side_hooks(&self, message: &str) -> Result<String, RepoError> {
        if self.hook("commit-msg").is_none() {
            return Ok(message.to_string());
        }
        let file = self.inner.path().join("COMMIT_EDITMSG");
        std::fs::write(&file, message).map_err(|e| RepoError::io(&file, &e))?;
        self.run_hook("commit-msg", &[&file], None)?;
        std::fs::read_to_string(&file).map_err(|e| RepoError::io(&file, &e))
    }

    /// Runs `pre-commit` and `commit-msg` for a commit of `tree` with `message`; returns the
    /// message as `commit-msg` left it. `scratch` is a folder for the index and message files.
    pub(crate) fn run_commit_hooks(
        &self,
        tree: &git2::Tree<'_>,
        message: &str,
        scratch: &Path,
    ) -> Result<String, RepoError> {
        if self.hook("pre-commit").is_none() && self.hook("commit-msg").is_none() {
            return Ok(message.to_string());
        }
        std::fs::create_dir_all(scratch).map_err(|e| RepoError::io(scratch, &e))?;
        let index_path = scratch.join("hook-index");
        let _ = std::fs::remove_file(&index_path);
        let mut index =
            git2::Index::open(&index_path).map_err(|e| RepoError::git("prepare the hooks", &e))?;
        index
            .read_tree(tree)
            .map_err(|e| RepoError::git("prepare the hooks", &e))?;
        index
            .write()
            .map_err(|e| RepoError::git("prepare the hooks", &e))?;
        let result = self
            .run_hook("pre-commit", &[], Some(&index_path))
            .and_then(|()| {
                let file = self.inner.path().join("COMMIT_EDITMSG");
                std::fs::write(&file, message).map_err(|e| RepoError::io(&file, &e))?;
                self.run_hook("commit-msg", &[&file], Some(&index_path))?;
                std::fs::read_to_string(&file).map_err(|e| RepoError::io(&file, &e))
            });
        let _ = std::fs::remove_file(&index_path);
        result
    }
}

#[cfg(unix)]
fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(not(unix))]
fn is_executable(path: &Path) -> bool {
    path.is_file()
}
