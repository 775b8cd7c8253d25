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
//! The output guards are here too: a folder that renditions are written into
//! ([`check_output_dir`], [`output_setting`]) and a file that a report is written to
//! ([`check_output_file`]) may not be the repository itself, `.git`, a folder of SOPs or a file
//! git tracks.
//!
//! What this module does not do: resolve images and links of a document
//! ([`crate::render::images`], [`crate::check`]).

use std::path::{Component, Path, PathBuf};

use crate::workspace::Workspace;

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

/// What to do about an `out` setting that may not receive renditions, in a document owner's
/// words (what `check`, `release`, `render` and `publish` all say; the command line adds how to
/// write elsewhere with `-o`).
pub fn out_setting_fix(error: &OutputDirError) -> String {
    match error {
        OutputDirError::OutsideRepository(outside) if outside.through_link => format!(
            "`{}` leads out of the repository through a symbolic link: make the linked folder an ordinary folder (delete the link), or set `out` to another folder inside the repository",
            outside.shown.display()
        ),
        OutputDirError::OutsideRepository(_) => {
            "set `out` in sopctl.toml to a folder inside the repository, e.g.  out = \"dist\""
                .to_string()
        }
        _ => "set `out` in sopctl.toml to a folder of its own, e.g.  out = \"dist\"".to_string(),
    }
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

/// Why a folder cannot receive renditions (SPEC §9). Each holds the folder as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutputDirError {
    /// The `out` setting leads outside the repository ([`resolve_inside`]); only `-o` on the
    /// command line may name a folder elsewhere.
    #[error("{}", .0.sentence(&format!("the output folder {} (`out` in sopctl.toml)", .0.shown.display())))]
    OutsideRepository(Outside),
    /// The repository's own root.
    #[error("the output folder {} is the repository itself", .0.display())]
    RepositoryRoot(PathBuf),
    /// A folder that holds the repository.
    #[error("the output folder {} holds the whole repository", .0.display())]
    HoldsRepository(PathBuf),
    /// An existing file, not a folder.
    #[error("the output folder {} is a file, not a folder", .0.display())]
    IsAFile(PathBuf),
    /// Inside `.git`.
    #[error("the output folder {} is inside git's own folder (.git)", .0.display())]
    InsideGit(PathBuf),
    /// A folder of SOPs, or one holding it.
    #[error("the output folder {} is where the SOPs are kept ({}/)", dir.display(), docs.display())]
    DocsFolder {
        /// The folder.
        dir: PathBuf,
        /// The `docs` folder it meets.
        docs: PathBuf,
    },
    /// A folder with files that git tracks.
    #[error("the output folder {} holds files kept in git (such as {})", dir.display(), file.display())]
    Tracked {
        /// The folder.
        dir: PathBuf,
        /// One tracked file in it.
        file: PathBuf,
    },
}

/// Why a file cannot receive a report such as a redline (SPEC §9). Each holds the file as given.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OutputFileError {
    /// An existing folder.
    #[error("{} is a folder; the output needs a file name", .0.display())]
    Folder(PathBuf),
    /// Inside `.git`.
    #[error("{} is inside git's own folder (.git), which sopctl never writes into", .0.display())]
    InsideGit(PathBuf),
    /// A file git tracks, or the settings file: writing would replace it.
    #[error("{} is a file of the repository; writing the output there would replace it", .0.display())]
    RepositoryFile(PathBuf),
    /// A Markdown file in a folder of SOPs: an SOP, or a file that would be read as one.
    #[error("{} is in a folder of SOPs, where a Markdown file is an SOP; the output goes elsewhere", .0.display())]
    SopFile(PathBuf),
}

/// The folder of the `out` setting, where renditions go without `-o`. A committed setting
/// never sends them out of the repository ([`crate::paths::resolve_inside`]: a folder
/// elsewhere is given on the command line), and the folder must pass
/// [`check_output_dir`].
///
/// # Errors
/// [`OutputDirError::OutsideRepository`], or the rule of `check_output_dir` it breaks.
pub fn output_setting(ws: &Workspace) -> Result<PathBuf, OutputDirError> {
    resolve_inside(ws.repository_root(), &ws.root, &ws.settings.out)
        .map_err(OutputDirError::OutsideRepository)?;
    let out = ws.root.join(&ws.settings.out);
    check_output_dir(ws, &out)?;
    Ok(out)
}

/// Checks a folder that renditions are to be written into (SPEC §9): it may not be the
/// repository itself or a folder holding it, lie inside git's own folder, hold files that
/// git tracks, or be one of the folders of SOPs (`docs`). The folder need not exist yet;
/// symbolic links in the part that exists are followed. Outside a repository every folder
/// is accepted.
///
/// # Errors
/// [`OutputDirError`] naming the rule the folder breaks.
pub fn check_output_dir(ws: &Workspace, dir: &Path) -> Result<(), OutputDirError> {
    let Some(repo) = &ws.repo else {
        return Ok(());
    };
    let mut shown = ws.display_path(dir);
    if shown.as_os_str().is_empty() {
        shown = PathBuf::from(".");
    }
    let resolved = crate::fsx::resolve_existing_prefix(&ws.cwd.join(dir));
    let root = repo.workdir();
    if resolved == root {
        return Err(OutputDirError::RepositoryRoot(shown));
    }
    if root.starts_with(&resolved) {
        return Err(OutputDirError::HoldsRepository(shown));
    }
    if resolved.is_file() {
        return Err(OutputDirError::IsAFile(shown));
    }
    if resolved.starts_with(repo.git_dir()) {
        return Err(OutputDirError::InsideGit(shown));
    }
    let Ok(relative) = resolved.strip_prefix(root) else {
        return Ok(());
    };
    for (docs, docs_dir) in resolved_doc_folders(ws) {
        // SOPs kept all over the repository (`docs = ["."]`) leave the tracked-files rule.
        if docs_dir != root && (resolved.starts_with(&docs_dir) || docs_dir.starts_with(&resolved))
        {
            return Err(OutputDirError::DocsFolder {
                dir: shown,
                docs: docs.clone(),
            });
        }
    }
    if let Some(file) = repo.tracked_file_under(relative) {
        return Err(OutputDirError::Tracked { dir: shown, file });
    }
    Ok(())
}

/// Whether the folder `dir` (relative to the working directory, or absolute) is the publish
/// output folder (`out`) or lies in it, symbolic links followed: the site of uncontrolled
/// renditions, which controlled copies never go into.
pub fn in_publish_output(ws: &Workspace, dir: &Path) -> bool {
    let out = crate::fsx::resolve_existing_prefix(&ws.root.join(&ws.settings.out));
    let dir = crate::fsx::resolve_existing_prefix(&ws.cwd.join(dir));
    dir.starts_with(out)
}

/// Checks a file that a report (such as `diff -o`) is to be written to (SPEC §9): not a
/// folder, not inside `.git`, and not a file of the repository (tracked by git, the settings
/// file, or a Markdown file in a folder of SOPs), which the report would replace. Outside a
/// repository only the folder rule applies.
///
/// # Errors
/// [`OutputFileError`] naming the rule the file breaks.
pub fn check_output_file(ws: &Workspace, file: &Path) -> Result<(), OutputFileError> {
    let shown = ws.display_path(file);
    let resolved = crate::fsx::resolve_existing_prefix(&ws.cwd.join(file));
    if resolved.is_dir() {
        return Err(OutputFileError::Folder(shown));
    }
    let Some(repo) = &ws.repo else {
        return Ok(());
    };
    if resolved.starts_with(repo.git_dir()) {
        return Err(OutputFileError::InsideGit(shown));
    }
    let Ok(relative) = resolved.strip_prefix(repo.workdir()) else {
        return Ok(());
    };
    let is_sop = relative
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("md"))
        && resolved_doc_folders(ws).any(|(_, dir)| resolved.starts_with(dir));
    let is_settings = resolved == ws.root.join(crate::config::FILE_NAME);
    if is_settings || repo.tracked_file_under(relative).is_some() {
        return Err(OutputFileError::RepositoryFile(shown));
    }
    if is_sop {
        return Err(OutputFileError::SopFile(shown));
    }
    Ok(())
}

/// Each `docs` folder as written in the settings, with where it really is (symbolic links
/// followed, [`crate::fsx::resolve_existing_prefix`]).
fn resolved_doc_folders(ws: &Workspace) -> impl Iterator<Item = (&PathBuf, PathBuf)> {
    ws.settings
        .docs
        .iter()
        .map(|d| (d, crate::fsx::resolve_existing_prefix(&ws.root.join(d))))
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
