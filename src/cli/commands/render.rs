//! `sopctl render`: PDF and HTML renditions of the working copy or a released version (SPEC §4,
//! §7), also of a lone Markdown file outside any repository.

use std::path::{Path, PathBuf};

use crate::cli::{CliError, Env, Ui};
use crate::doc::markdown::scan;
use crate::doc::{Finding, Sop};
use crate::fsx;
use crate::render::images::{ImageRef, WorkTree};
use crate::render::{self, RenderJob, RenderMeta, RenderWarning};
use crate::workspace::Workspace;

/// Rendition formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RenderFormat {
    /// PDF for printing and filing
    Pdf,
    /// One self-contained HTML file
    Html,
}

/// Arguments of `sopctl render`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl render                               the only SOP, as it is now\n  sopctl render SOP-OPS-007 --version 1.0     a released version, from git\n  sopctl render notes.md -o out/              a lone Markdown file\n\nRenditions go to dist/{id}/{version}/{id}-v{version}.pdf and .html (the `out` setting, or -o DIR).\nA working copy with unreleased changes is a draft: marked DRAFT, written to\ndist/drafts/{id}/{id}-working-copy.pdf and .html."
)]
pub struct RenderArgs {
    /// SOPs by ID or path, or Markdown files (default: the only SOP)
    pub docs: Vec<String>,
    /// Render a released version instead of the working copy
    #[arg(long, value_name = "VERSION")]
    pub version: Option<String>,
    /// Formats to write
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [RenderFormat::Pdf, RenderFormat::Html])]
    pub format: Vec<RenderFormat>,
    /// Output folder (default: `out` from sopctl.toml, i.e. dist/)
    #[arg(short = 'o', long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

/// One document to render, with where its files come from.
struct Source {
    sop: Sop,
    /// Relative to the repository root (or the file name, for a lone file).
    relative: PathBuf,
    /// Short commit id of the release, for a released version or an unchanged working copy.
    commit: Option<String>,
    unreleased: bool,
    lone: bool,
    /// `Approved-by:` trailers of the release shown (empty for a working copy).
    approvals: Vec<String>,
    /// The date printed into the PDF's metadata, seconds since the epoch (see [`source_date`]).
    date: i64,
}

impl Source {
    /// A file rendered on its own, outside any release history.
    fn lone(sop: Sop, relative: PathBuf) -> Source {
        Source {
            date: source_date(sop.metadata.effective),
            approvals: Vec::new(),
            sop,
            relative,
            commit: None,
            unreleased: false,
            lone: true,
        }
    }
}

/// The document date for reproducible output: `SOURCE_DATE_EPOCH` when set, else the given date
/// at 00:00 UTC, else the epoch. Never the clock.
fn source_date(date: Option<jiff::civil::Date>) -> i64 {
    if let Some(epoch) = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
    {
        return epoch;
    }
    date.and_then(|d| d.to_zoned_datetime(jiff::tz::TimeZone::UTC).ok())
        .map_or(0, |z| z.timestamp().as_second())
}

/// Renders each named document (or the only one) and prints the paths written.
///
/// # Errors
/// Unknown documents or versions, an image outside the repository, a file that cannot be
/// written; `--format pdf` until the PDF rendition exists.
pub fn run(env: &Env, ui: &mut Ui, args: &RenderArgs) -> Result<(), CliError> {
    let ws = env.workspace()?;
    let names: Vec<Option<&str>> = if args.docs.is_empty() {
        vec![None]
    } else {
        args.docs.iter().map(|d| Some(d.as_str())).collect()
    };
    let out_dir = super::output_folder(&ws, &env.cwd, args.output.as_deref())?;
    let links = render::sop_links(&ws);
    let mut formats = args.format.clone();
    formats.dedup();
    let mut failed = false;
    for name in names {
        let source = load(&ws, env, name, args.version.as_deref())?;
        let files_root = ws
            .repo
            .as_ref()
            .map_or_else(|| ws.root.clone(), |r| r.workdir().to_path_buf());
        let work_tree = WorkTree {
            root: if source.lone {
                source
                    .sop
                    .path()
                    .parent()
                    .map_or(files_root.clone(), Path::to_path_buf)
            } else {
                files_root
            },
        };
        let git_files;
        let files: &dyn crate::render::images::FileSource =
            match (&ws.repo, args.version.as_ref(), &source.commit) {
                (Some(repo), Some(_), Some(commit)) => {
                    let full = commit.clone();
                    git_files = move |p: &Path| repo.file_at_commit(&full, p);
                    &git_files
                }
                _ => &work_tree,
            };
        let mut meta = RenderMeta::of(
            &source.sop,
            &ws.settings.organization,
            &ws.settings.footer,
            source.commit.as_deref().map(|c| &c[..c.len().min(7)]),
        );
        meta.approvals = source
            .approvals
            .iter()
            .map(|t| crate::lifecycle::Approval::from_trailer(t))
            .collect();
        if source.unreleased {
            meta.mark_unreleased();
        }
        let job = RenderJob {
            sop: &source.sop,
            doc_relative: source.relative.clone(),
            files,
            meta,
            allow_html: ws.settings.allow_html,
            paper: ws.settings.paper,
            template_root: ws.root.clone(),
            sop_links: &links,
        };
        if source.lone {
            // A lone file renders even with missing or wrong metadata (SPEC §4): say what is
            // shown blank, as warnings.
            let shown = ws.display_path(source.sop.path());
            if source.sop.front_matter.is_none() {
                ui.finding(&Finding::warning(
                    shown.clone(),
                    crate::doc::Location { line: 1, column: 1 },
                    "no front matter: the title block shows the first heading as the title and leaves ID, version and owner blank",
                ))?;
            }
            for f in &source.sop.findings {
                let mut w = f.clone();
                w.path = shown.clone();
                w.severity = crate::doc::Severity::Warning;
                ui.finding(&w)?;
            }
        }
        let mut reported = std::collections::BTreeSet::new();
        for format in &formats {
            let (rendition, ext) = match format {
                RenderFormat::Html => (render::html(&job), "html"),
                RenderFormat::Pdf => (render::pdf::pdf(&job, source.date), "pdf"),
            };
            let rendition = rendition.map_err(|e| {
                let err = CliError::new("cannot make the rendition").cause(e.to_string());
                match e {
                    render::RenderError::Template(_) => err.hint("fix the template in templates/ of the repository, or delete it to use the built-in one"),
                    render::RenderError::Pdf(_) => err,
                }
            })?;
            for f in located(&source.sop, &ws, &rendition.warnings) {
                // The same image problem is found by both formats: say it once.
                if reported.insert(f.to_string()) {
                    ui.finding(&f)?;
                }
                // An image outside the repository is refused (never read or embedded) and
                // reported as an error; the rendition is still written, with the alt text.
                failed |= f.severity == crate::doc::Severity::Error;
            }
            let path = if source.lone {
                let stem = source
                    .sop
                    .path()
                    .file_stem()
                    .map_or_else(|| "document".into(), |s| s.to_string_lossy().into_owned());
                out_dir.join(format!("{stem}.{ext}"))
            } else {
                let id = source.sop.id().map(ToString::to_string).unwrap_or_default();
                let version = source.sop.metadata.version_or_default();
                if source.unreleased {
                    // Unreleased edits are a draft of the next version: kept apart from the
                    // released renditions, so a published dist/ never mixes them up.
                    out_dir
                        .join("drafts")
                        .join(&id)
                        .join(format!("{id}-working-copy.{ext}"))
                } else {
                    render::output_path(&out_dir, &id, &version, ext)
                }
            };
            fsx::write_atomic(&path, &rendition.bytes)?;
            ui.line(&ws.display_path(&path).display().to_string())?;
        }
    }
    if failed {
        return Err(CliError::silent(1));
    }
    Ok(())
}

/// The document named (or the only one), from the working copy or a release.
fn load(
    ws: &Workspace,
    env: &Env,
    name: Option<&str>,
    version: Option<&str>,
) -> Result<Source, CliError> {
    // A lone file: outside any repository of SOPs, or without an ID.
    if let Some(n) = name {
        let path = env.cwd.join(n);
        if path.is_file() {
            ws.refuse_symbolic_link(&path)?;
            let sop = Sop::load(&path).map_err(|e| e.shown_as(&ws.display_path(&path)))?;
            let in_repository = ws.is_sop_repository()
                && path.canonicalize().is_ok_and(|p| p.starts_with(&ws.root));
            if !in_repository || sop.id().is_none() {
                if version.is_some() {
                    return Err(CliError::new(format!(
                        "{n} is not an SOP of a repository, so it has no released versions"
                    )));
                }
                let relative = PathBuf::from(path.file_name().unwrap_or_default());
                return Ok(Source::lone(sop, relative));
            }
        }
    }
    let sop = super::find_doc(ws, name)?;
    let repo = ws.repo.as_ref();
    let relative = repo
        .and_then(|r| r.relative(sop.path()))
        .unwrap_or_else(|| PathBuf::from(sop.path().file_name().unwrap_or_default()));
    let Some(id) = sop.id().cloned() else {
        if version.is_some() {
            // A released version is found by ID: without one there is none to find.
            super::require_id(ws, &sop)?;
        }
        return Ok(Source::lone(sop, relative));
    };
    match version {
        Some(v) => {
            let (record, path, bytes) = super::released_copy(ws, &sop, v)?;
            let sop = Sop::from_bytes(&path, bytes)?;
            // A released version carries its release date, whatever the environment says.
            let date = record
                .date
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .map_or(0, |z| z.timestamp().as_second());
            Ok(Source {
                date,
                approvals: record.approvals.clone(),
                sop,
                relative: path,
                commit: Some(record.commit.clone()),
                unreleased: false,
                lone: false,
            })
        }
        None => {
            let unreleased = ws.has_unreleased_changes(&sop);
            let commit = if unreleased {
                None
            } else {
                ws.releases(&id)
                    .ok()
                    .and_then(|r| r.latest().map(|l| l.commit.clone()))
            };
            let date = source_date(sop.metadata.effective);
            Ok(Source {
                date,
                approvals: Vec::new(),
                sop,
                relative,
                commit,
                unreleased,
                lone: false,
            })
        }
    }
}

/// Render warnings as located findings: an image outside the repository is an error (SPEC §9),
/// other image problems are warnings.
fn located(sop: &Sop, ws: &Workspace, warnings: &[RenderWarning]) -> Vec<Finding> {
    if warnings.is_empty() {
        return Vec::new();
    }
    let refs = scan(sop.body(), sop.body_first_line()).references;
    // Where each image is first referenced: one lookup per warning, not a search.
    let mut first_image = std::collections::HashMap::new();
    for r in refs.iter().filter(|r| r.is_image) {
        first_image.entry(r.target.as_str()).or_insert(r.location);
    }
    let shown = ws.display_path(sop.path());
    warnings
        .iter()
        .map(|w| {
            let (location, error) = match w {
                RenderWarning::Image { source, problem } => (
                    first_image
                        .get(source.as_str())
                        .copied()
                        .unwrap_or(crate::doc::Location { line: 1, column: 1 }),
                    matches!(problem, ImageRef::Outside),
                ),
                RenderWarning::TooDeep(place) => (crate::doc::Location { line: place.line, column: place.column }, false),
                RenderWarning::RightToLeft { line } => (crate::doc::Location { line: *line, column: 1 }, false),
                RenderWarning::MissingGlyph { line, column, .. } => {
                    (crate::doc::Location { line: *line, column: *column }, false)
                }
            };
            if error && let RenderWarning::Image { source, .. } = w {
                Finding::error(shown.clone(), location, format!("the image `{source}` is outside the repository; it is not read or embedded; copy it into the repository"))
            } else {
                Finding::warning(shown.clone(), location, w.to_string())
            }
        })
        .collect()
}
