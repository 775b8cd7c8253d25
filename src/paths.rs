//! Containment: the one rule for the places sopctl reads or writes on a repository's behalf
//! (SPEC §9: nothing is read from or written to outside the repository, except an output
//! folder given on the command line).
//!
//! Every path that comes from the repository itself — the `docs` and `out` settings of
//! `sopctl.toml`, the overrides in `templates/` — goes through [`resolve_inside`] before it is
//! read or written: symbolic links are followed in the part that exists and `..` is worked out
//! in the part that does not, and the place it really leads to must lie in the repository. A
//! committed file cannot then make sopctl inline `/etc/passwd` into a published page, or write
//! renditions over another folder of the machine.
//!
//! What this module does not do: check a folder for being a good output folder (the repository
//! itself, `.git`, tracked files: [`crate::workspace::Workspace::check_output_dir`]), or resolve
//! images and links of a document ([`crate::render::images`], [`crate::check`]).

use std::path::{Component, Path, PathBuf};

/// A path that leads outside the repository.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.sentence(&self.shown.display().to_string()))]
pub struct Outside {
    /// The path as written: in the setting, or relative to the repository root.
    pub shown: PathBuf,
    /// Where it really leads: symbolic links followed, `.` and `..` worked out.
    pub target: PathBuf,
    /// Whether a symbolic link took it out (as written it stays inside).
    pub through_link: bool,
}

impl Outside {
    /// The refusal with `subject` (which names the path) in front: "`subject` is outside the
    /// repository", or "`subject` leads outside the repository through a symbolic link (to
    /// TARGET)".
    pub fn sentence(&self, subject: &str) -> String {
        if self.through_link {
            format!(
                "{subject} leads outside the repository through a symbolic link (to {})",
                self.target.display()
            )
        } else {
            format!("{subject} is outside the repository")
        }
    }
}

/// Where `path` really is, if that is inside the repository whose root folder is `repository`.
///
/// `path` is taken relative to `base` (the folder it was written for: the folder of
/// `sopctl.toml` for a setting) unless it is absolute. Symbolic links are followed in the part
/// of the path that exists ([`crate::fsx::resolve_existing_prefix`]); the repository itself is
/// compared as it really is, so one reached through a link is no problem. The repository's
/// root counts as inside.
///
/// # Errors
/// [`Outside`] naming `path` as written and where it leads, when that is not the repository's
/// root or below it (an absolute path elsewhere, `..` above the root, or a symbolic link out).
pub fn resolve_inside(repository: &Path, base: &Path, path: &Path) -> Result<PathBuf, Outside> {
    let repository = repository
        .canonicalize()
        .unwrap_or_else(|_| repository.to_path_buf());
    let base = base.canonicalize().unwrap_or_else(|_| base.to_path_buf());
    let joined = base.join(path);
    // Worked out by name as well, in case no part of the path exists to resolve against.
    let resolved = lexical(&crate::fsx::resolve_existing_prefix(&joined));
    if resolved.starts_with(&repository) {
        return Ok(resolved);
    }
    Err(Outside {
        shown: path.to_path_buf(),
        through_link: lexical(&joined).starts_with(&repository),
        target: resolved,
    })
}

/// `path` with `.` and `..` worked out by name alone, as if no folder were a symbolic link.
fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_in_the_repository_resolve_and_others_are_refused_by_name() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path().join("repo");
        std::fs::create_dir_all(root.join("sops")).expect("mkdir");
        let real = root.canonicalize().expect("canonical");
        assert_eq!(
            resolve_inside(&root, &root, Path::new("sops")),
            Ok(real.join("sops"))
        );
        assert_eq!(
            resolve_inside(&root, &root, Path::new("dist/site")),
            Ok(real.join("dist/site"))
        );
        assert_eq!(
            resolve_inside(&root, &root, Path::new(".")),
            Ok(real.clone())
        );
        let up = resolve_inside(&root, &root, Path::new("dist/../../x")).expect_err("above");
        assert_eq!(up.shown, Path::new("dist/../../x"));
        assert_eq!(up.target, real.parent().expect("parent").join("x"));
        assert!(!up.through_link);
        assert_eq!(up.to_string(), "dist/../../x is outside the repository");
        let absolute = resolve_inside(&root, &root, Path::new("/elsewhere")).expect_err("absolute");
        assert_eq!(absolute.target, Path::new("/elsewhere"));
        assert!(!absolute.through_link);
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_is_followed_to_where_it_leads() {
        let dir = tempfile::tempdir().expect("tmp");
        let root = dir.path().join("repo");
        let outside = dir.path().join("outside");
        std::fs::create_dir_all(root.join("sops")).expect("mkdir");
        std::fs::create_dir_all(&outside).expect("mkdir");
        std::os::unix::fs::symlink(&outside, root.join("out")).expect("link out");
        std::os::unix::fs::symlink(root.join("sops"), root.join("in")).expect("link in");
        let real = root.canonicalize().expect("canonical");
        assert_eq!(
            resolve_inside(&root, &root, Path::new("in/x")),
            Ok(real.join("sops/x"))
        );
        let err = resolve_inside(&root, &root, Path::new("out/style.css")).expect_err("out");
        let target = outside.canonicalize().expect("canonical").join("style.css");
        assert_eq!(err.target, target);
        assert!(err.through_link);
        assert_eq!(
            err.sentence("the template out/style.css"),
            format!(
                "the template out/style.css leads outside the repository through a symbolic link (to {})",
                target.display()
            )
        );
    }
}
