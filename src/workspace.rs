//! The workspace: everything a command works on, found once and passed in.
//!
//! A [`Workspace`] holds the root folder, the settings, the git repository (if there is one)
//! and today's date in the repository's time zone ([`crate::clock`]), so nothing deeper in the
//! library looks at the environment or the clock.
//! It lists the SOPs of the repository and finds one by ID or path (SPEC §4). It does not
//! check them ([`crate::check`]) or guard where output goes ([`crate::paths`]).

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::clock::Clock;
use crate::config::{self, ConfigError, Settings};
use crate::doc::DocId;
use crate::doc::{DocError, Sop};
use crate::repo::{Releases, Repo, RepoError, TagFormat};

/// A problem finding the workspace or a document in it.
#[derive(Debug, thiserror::Error)]
pub enum WorkspaceError {
    /// The settings file is wrong.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// git refused the repository.
    #[error(transparent)]
    Repo(#[from] RepoError),
    /// A document cannot be read.
    #[error(transparent)]
    Doc(#[from] DocError),
    /// No SOP has this ID and no file has this path.
    #[error("no SOP has the ID or path `{name}`{}", suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownDocument {
        /// What the user typed.
        name: String,
        /// The nearest ID, if one is close.
        suggestion: Option<String>,
    },
    /// The file exists but is not an SOP (no `id` in its front matter).
    #[error("{} is not an SOP: its front matter has no valid `id`", path.display())]
    NotAnSop {
        /// The file.
        path: PathBuf,
    },
    /// The SOP's file is in the last commit but deleted in the working copy.
    #[error("{id} was deleted from the working copy ({}); it is still in the last commit", path.display())]
    Deleted {
        /// The document's ID at HEAD.
        id: DocId,
        /// Its path, from the working directory.
        path: PathBuf,
    },
    /// No document was named and the repository holds none.
    #[error("there are no SOPs in {}", folders)]
    NoDocuments {
        /// The folders searched, for the message.
        folders: String,
        /// What to do ([`Workspace::no_documents_hint`]).
        hint: String,
    },
    /// The command needs git history and there is no repository.
    #[error("{} is not in a git repository, so it has no releases", path.display())]
    NotARepository {
        /// Where sopctl looked.
        path: PathBuf,
    },
    /// A shallow clone: its history and tags are cut off (`cases/` B18).
    #[error("this is a shallow clone: its history and release tags are incomplete")]
    Shallow,
    /// A version that is not among the releases.
    #[error(transparent)]
    UnknownVersion(#[from] crate::repo::UnknownVersion),
    /// No document was named and more than one could be meant.
    #[error("more than one SOP could be meant; name one of: {}", candidates.join(", "))]
    Ambiguous {
        /// The IDs to choose from.
        candidates: Vec<String>,
    },
    /// A folder of the `docs` setting leads outside the repository ([`crate::paths`]): SOPs
    /// are read only from the repository.
    #[error("{}", .0.sentence(&format!("the SOP folder {} (`docs` in sopctl.toml)", .0.shown.display())))]
    DocsOutside(crate::paths::Outside),
}

/// An SOP file found in the repository: parsed, or the reason it could not be.
#[derive(Debug)]
pub struct Entry {
    /// The file.
    pub path: PathBuf,
    /// The parsed document, or why it could not be read.
    pub sop: Result<Sop, DocError>,
}

/// The world a command works in.
#[derive(Debug)]
pub struct Workspace {
    /// Where the command was started.
    pub cwd: PathBuf,
    /// The root: the folder of `sopctl.toml`, else the git work tree, else `cwd`.
    pub root: PathBuf,
    /// The settings (defaults when there is no file).
    pub settings: Settings,
    /// The settings file, if there is one.
    pub settings_path: Option<PathBuf>,
    /// The git repository around the root, if any.
    pub repo: Option<Repo>,
    /// Today's date in the reference time zone (`timezone` in the settings), whatever the
    /// machine's zone: every date a command writes or compares with today comes from it.
    pub today: Date,
    /// What opening the repository did with a record a killed sopctl had left unfinished
    /// (see [`crate::repo::journal`]): finished or undone, or why it could be neither.
    pub recovery: Option<Result<crate::repo::journal::Outcome, String>>,
    /// The reviews and retirements recorded in git, read once on first use.
    lifecycle: std::sync::OnceLock<crate::lifecycle::History>,
    deleted: std::sync::OnceLock<Vec<(DocId, PathBuf)>>,
}

/// Whether two versions of a file hold the same text, line endings aside: git stores a file
/// with LF and checks it out with CRLF under `core.autocrlf` or `eol=crlf` (`cases/` B36).
fn same_text(a: &[u8], b: &[u8]) -> bool {
    if a == b {
        return true;
    }
    let lf = |bytes: &[u8]| {
        let mut out = Vec::with_capacity(bytes.len());
        let mut iter = bytes.iter().peekable();
        while let Some(&byte) = iter.next() {
            if !(byte == b'\r' && iter.peek() == Some(&&b'\n')) {
                out.push(byte);
            }
        }
        out
    };
    lf(a) == lf(b)
}

impl Workspace {
    /// Finds the workspace around `cwd`: the git repository, then `sopctl.toml` (walking up no
    /// further than the work tree root), then the settings; today is the `clock`'s date in the
    /// settings' time zone (a fixed [`Date`] is today in every zone).
    ///
    /// # Errors
    /// [`WorkspaceError::Config`] for a bad settings file; [`WorkspaceError::Repo`] when git
    /// refuses the repository.
    pub fn discover(cwd: &Path, clock: impl Into<Clock>) -> Result<Workspace, WorkspaceError> {
        Ok(Self::open(cwd, clock.into(), None)?.0)
    }

    /// As [`Workspace::discover`], for a command that writes a record: first takes the
    /// repository's record lock (waiting for another sopctl command that holds it, after
    /// calling `waiting` once), so that what the command reads cannot change before it writes.
    /// The lock is `None` outside a git repository.
    ///
    /// # Errors
    /// As [`Workspace::discover`]; [`WorkspaceError::Repo`] when the lock cannot be taken.
    pub fn discover_for_record(
        cwd: &Path,
        clock: impl Into<Clock>,
        waiting: &mut dyn FnMut(),
    ) -> Result<(Workspace, Option<crate::repo::lock::RecordLock>), WorkspaceError> {
        Self::open(cwd, clock.into(), Some(waiting))
    }

    fn open(
        cwd: &Path,
        clock: Clock,
        record: Option<&mut dyn FnMut()>,
    ) -> Result<(Workspace, Option<crate::repo::lock::RecordLock>), WorkspaceError> {
        let cwd = cwd.canonicalize().unwrap_or_else(|_| cwd.to_path_buf());
        let repo = Repo::discover(&cwd)?;
        let (lock, recovery) = match (&repo, record) {
            (Some(repo), Some(waiting)) => {
                let lock = repo.lock_records(waiting)?;
                let recovery = repo.recover_locked();
                (Some(lock), recovery)
            }
            (Some(repo), None) => (None, repo.recover()),
            (None, _) => (None, Ok(None)),
        };
        let recovery = recovery.map_err(|e| e.to_string()).transpose();
        let ceiling = repo.as_ref().map(|r| r.workdir().to_path_buf());
        let settings_path = config::discover(&cwd, ceiling.as_deref());
        let settings = match &settings_path {
            Some(path) => Settings::load(path, &crate::fsx::display_relative(path, &cwd))?,
            None => Settings::default(),
        };
        let root = match (&settings_path, &ceiling) {
            (Some(p), _) => p.parent().map_or_else(|| cwd.clone(), Path::to_path_buf),
            (None, Some(w)) => w.clone(),
            (None, None) => cwd.clone(),
        };
        // Every command reads the SOP folders: one that leads out of the repository is refused
        // before anything is read from it. A lone file outside any repository has none.
        if settings_path.is_some() || ceiling.is_some() {
            let inside = ceiling.as_deref().unwrap_or(&root);
            for folder in &settings.docs {
                crate::paths::resolve_inside(inside, &root, folder)
                    .map_err(WorkspaceError::DocsOutside)?;
            }
        }
        let today = clock.today(&settings.time_zone());
        let ws = Workspace {
            cwd,
            root,
            settings,
            settings_path,
            repo,
            today,
            recovery,
            lifecycle: std::sync::OnceLock::new(),
            deleted: std::sync::OnceLock::new(),
        };
        Ok((ws, lock))
    }

    /// The SOP folders (`docs` in the settings) as absolute paths.
    pub fn doc_folders(&self) -> Vec<PathBuf> {
        self.settings
            .docs
            .iter()
            .map(|d| self.root.join(d))
            .collect()
    }

    /// Every Markdown file under the SOP folders that has front matter (or starts like it, or
    /// cannot be read, so `check` can report it), sorted by path. Hidden folders are skipped.
    pub fn documents(&self) -> Vec<Entry> {
        // The Markdown files first (walking is cheap), then each read and parsed, on every core.
        // Each file, and for a symbolic link the path it is shown by.
        let mut found: Vec<(PathBuf, Option<PathBuf>)> = Vec::new();
        for folder in self.doc_folders() {
            let walker = walkdir::WalkDir::new(&folder)
                .follow_links(false)
                .sort_by_file_name()
                .into_iter()
                .filter_entry(|e| {
                    e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.')
                });
            for item in walker.flatten() {
                let path = item.path();
                let is_md = path
                    .extension()
                    .is_some_and(|e| e.eq_ignore_ascii_case("md"));
                if !is_md {
                    continue;
                }
                if item.path_is_symlink() {
                    found.push((path.to_path_buf(), Some(self.display_path(path))));
                } else if item.file_type().is_file() {
                    found.push((path.to_path_buf(), None));
                }
            }
        }
        use rayon::prelude::*;
        found
            .into_par_iter()
            .filter_map(|(path, link)| {
                // A symbolic link is not followed: git keeps the link, not the text it points
                // to, and it may lead out of the repository. `check` reports it.
                let sop = match link {
                    Some(shown) => Err(DocError::SymbolicLink { path: shown }),
                    None => Sop::load(&path),
                };
                // Anything that tries to be an SOP is kept, so `check` can say what is wrong
                // with it: a front-matter block (even without `id`), a `---` block that is not
                // one, or a file that cannot be read. Plain Markdown (a README) is not an SOP.
                let keep = match &sop {
                    Ok(s) => s.front_matter.is_some() || s.not_front_matter.is_some(),
                    Err(_) => true,
                };
                keep.then_some(Entry { path, sop })
            })
            .collect()
    }

    /// Finds the SOP named by `name`: a path to a file (relative to the working directory), or
    /// a document ID. `None` picks the only SOP of the repository, or the only one under the
    /// working directory (SPEC §4).
    ///
    /// # Errors
    /// [`WorkspaceError::UnknownDocument`] (with the nearest ID), [`WorkspaceError::NotAnSop`],
    /// [`WorkspaceError::Doc`] when the file cannot be read, [`WorkspaceError::NoDocuments`]
    /// and [`WorkspaceError::Ambiguous`] when `name` is `None` and there is not exactly one.
    pub fn find(&self, name: Option<&str>) -> Result<Sop, WorkspaceError> {
        match name {
            Some(name) => {
                let as_path = self.cwd.join(name);
                if as_path.is_file() || as_path.is_dir() {
                    self.refuse_symbolic_link(&as_path)?;
                    let sop = Sop::load(&as_path)
                        .map_err(|e| e.shown_as(&self.display_path(&as_path)))?;
                    if sop.id().is_none()
                        && sop
                            .front_matter
                            .as_ref()
                            .is_none_or(|fm| fm.get("id").is_none())
                    {
                        return Err(WorkspaceError::NotAnSop {
                            path: self.display_path(&as_path),
                        });
                    }
                    return Ok(sop);
                }
                let entries = self.documents();
                let ids: Vec<String> = entries
                    .iter()
                    .filter_map(|e| e.sop.as_ref().ok()?.id().map(|i| i.to_string()))
                    .collect();
                let mut matching: Vec<Sop> = entries
                    .into_iter()
                    .filter_map(|e| e.sop.ok())
                    .filter(|s| s.id().is_some_and(|id| id.as_str() == name))
                    .collect();
                match matching.len() {
                    1 => return Ok(matching.remove(0)),
                    0 => {}
                    _ => {
                        return Err(WorkspaceError::Ambiguous {
                            candidates: matching
                                .iter()
                                .map(|s| self.display_path(s.path()).display().to_string())
                                .collect(),
                        });
                    }
                }
                if let Some((id, path)) = self
                    .deleted_documents()
                    .iter()
                    .find(|(id, path)| id.as_str() == name || self.cwd.join(name).ends_with(path))
                {
                    return Err(self.deleted_error(id.clone(), path));
                }
                let suggestion = crate::suggest::nearest(name, ids.iter().map(String::as_str))
                    .map(str::to_string);
                Err(WorkspaceError::UnknownDocument {
                    name: name.to_string(),
                    suggestion,
                })
            }
            None => {
                let mut entries = self.documents();
                if entries.len() > 1 {
                    let here: Vec<Entry> = entries
                        .into_iter()
                        .filter(|e| e.path.starts_with(&self.cwd))
                        .collect();
                    entries = here;
                }
                match entries.len() {
                    0 => Err(match self.deleted_documents().first() {
                        Some((id, path)) => self.deleted_error(id.clone(), path),
                        None => WorkspaceError::NoDocuments {
                            folders: self.describe_folders(),
                            hint: self.no_documents_hint(),
                        },
                    }),
                    1 => {
                        let entry = entries.remove(0);
                        let shown = self.display_path(&entry.path);
                        Ok(entry.sop.map_err(|e| e.shown_as(&shown))?)
                    }
                    _ => Err(WorkspaceError::Ambiguous {
                        candidates: entries
                            .iter()
                            .map(|e| match &e.sop {
                                Ok(s) => s.id().map_or_else(
                                    || self.display_path(&e.path).display().to_string(),
                                    ToString::to_string,
                                ),
                                Err(_) => self.display_path(&e.path).display().to_string(),
                            })
                            .collect(),
                    }),
                }
            }
        }
    }

    /// Refuses a document path that is a symbolic link inside a repository of SOPs (SPEC §9):
    /// git keeps the link, not the text, and it may lead out of the repository. A lone file
    /// outside any repository may be a link.
    ///
    /// # Errors
    /// [`DocError::SymbolicLink`] naming the link as shown from the working directory.
    pub fn refuse_symbolic_link(&self, path: &Path) -> Result<(), DocError> {
        let is_link = path
            .symlink_metadata()
            .is_ok_and(|m| m.file_type().is_symlink());
        if is_link && self.is_sop_repository() {
            return Err(DocError::SymbolicLink {
                path: self.display_path(path),
            });
        }
        Ok(())
    }

    /// [`WorkspaceError::Deleted`] with the path shown from the working directory (as
    /// `git restore` takes it).
    fn deleted_error(&self, id: DocId, relative: &Path) -> WorkspaceError {
        let path = match &self.repo {
            Some(repo) => self.display_path(&repo.workdir().join(relative)),
            None => relative.to_path_buf(),
        };
        WorkspaceError::Deleted { id, path }
    }

    /// SOPs of the last commit (in the `docs` folders) whose files are deleted in the working
    /// copy: their ID at HEAD and their path relative to the repository root. Empty outside a
    /// repository or when git cannot say.
    ///
    /// Read (a git status and the deleted files' HEAD copies) once, the first time it is asked.
    pub fn deleted_documents(&self) -> &[(DocId, PathBuf)] {
        self.deleted.get_or_init(|| self.read_deleted_documents())
    }

    fn read_deleted_documents(&self) -> Vec<(DocId, PathBuf)> {
        let Some(repo) = &self.repo else {
            return Vec::new();
        };
        let docs: Vec<PathBuf> = self
            .settings
            .docs
            .iter()
            .filter_map(|d| repo.relative(&self.root.join(d)))
            .collect();
        repo.deleted_files()
            .unwrap_or_default()
            .into_iter()
            .filter(|(path, _)| {
                path.extension().is_some_and(|e| e == "md")
                    && docs.iter().any(|d| path.starts_with(d))
            })
            .filter_map(|(path, bytes)| {
                let sop = Sop::from_bytes(&repo.workdir().join(&path), bytes).ok()?;
                Some((sop.id()?.clone(), path))
            })
            .collect()
    }

    /// The periodic reviews and retirements recorded in git (SPEC §8), read in one walk of the
    /// history the first time they are needed; empty outside a repository.
    pub fn lifecycle(&self) -> &crate::lifecycle::History {
        self.lifecycle
            .get_or_init(|| crate::lifecycle::History::read(self.repo.as_ref()))
    }

    /// The git repository, for work that is recorded in git.
    ///
    /// # Errors
    /// [`WorkspaceError::NotARepository`] when the SOPs are not in a git repository.
    pub fn require_repo(&self) -> Result<&Repo, WorkspaceError> {
        self.repo
            .as_ref()
            .ok_or_else(|| WorkspaceError::NotARepository {
                path: self.root.clone(),
            })
    }

    /// The release records of document `id` (SPEC §3), from the tags named by `tag_format`.
    ///
    /// # Errors
    /// [`WorkspaceError::NotARepository`]; [`WorkspaceError::Shallow`] for a shallow clone,
    /// whose history would be wrong; [`WorkspaceError::Repo`] when the tags cannot be read.
    pub fn releases(&self, id: &DocId) -> Result<Releases, WorkspaceError> {
        let repo = self.require_repo()?;
        if repo.is_shallow() {
            return Err(WorkspaceError::Shallow);
        }
        Ok(repo.releases(id, &TagFormat::new(&self.settings.tag_format))?)
    }

    /// Whether this looks like a repository of SOPs: it has a `sopctl.toml` or is a git
    /// repository. Commands that create or list SOPs refuse to run elsewhere, so that a
    /// forgotten `cd` does not scatter SOPs around.
    pub fn is_sop_repository(&self) -> bool {
        self.settings_path.is_some() || self.repo.is_some()
    }

    /// Whether the document differs from what its last release holds (following it by ID
    /// across moves), or was never released. Without a repository: `true`.
    pub fn has_unreleased_changes(&self, sop: &Sop) -> bool {
        let (Some(repo), Some(id)) = (&self.repo, sop.id()) else {
            return true;
        };
        let Ok(releases) = self.releases(id) else {
            return true;
        };
        let Some(latest) = releases.latest() else {
            return true;
        };
        let relative = repo.relative(sop.path());
        repo.document_at(&latest.commit, id, relative.as_deref())
            .is_none_or(|(_, bytes)| !same_text(&bytes, &sop.source.to_bytes()))
    }

    /// The SOP folders as a reader would name them: `sops/` or `sops/, procedures/`.
    pub fn describe_folders(&self) -> String {
        self.settings
            .docs
            .iter()
            .map(|d| {
                if self.root.join(d).is_dir() {
                    format!("{}/", d.display())
                } else {
                    format!("{}/ (which does not exist)", d.display())
                }
            })
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The hint for a repository without SOPs: create one, or, when a `docs` folder does not
    /// exist, fix the setting.
    pub fn no_documents_hint(&self) -> String {
        match self
            .settings
            .docs
            .iter()
            .find(|d| !self.root.join(d).is_dir())
        {
            Some(missing) if self.settings.docs != Settings::default().docs => format!(
                "`docs` in sopctl.toml names {}/, which does not exist: create the folder, or set `docs` to the folders that hold your SOPs",
                missing.display()
            ),
            _ => "create one with  sopctl new \"Title of the procedure\"".to_string(),
        }
    }

    /// A path shown relative to the working directory when it lies below it.
    pub fn display_path(&self, path: &Path) -> PathBuf {
        crate::fsx::display_relative(path, &self.cwd)
    }

    /// The root folder of the repository: the git work tree, else [`Workspace::root`]. What
    /// the repository's own settings and files name must lie in it ([`crate::paths`]).
    pub fn repository_root(&self) -> &Path {
        self.repo
            .as_ref()
            .map_or(self.root.as_path(), |r| r.workdir())
    }
}
