//! `sopctl render`: PDF and HTML renditions of the working copy or a released version (SPEC §4,
//! §7), also of a lone Markdown file outside any repository or read from standard input (`-`);
//! `-o -` writes the one rendition asked for to standard output.

use std::path::{Path, PathBuf};

use crate::cli::{CliError, Env, Ui};
use crate::doc::{Finding, Sop};
use crate::fsx;
use crate::render::images::WorkTree;
use crate::render::{self, RenderJob, RenderSettings};
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
    after_help = "Examples:\n  sopctl render                               the only SOP, as it is now\n  sopctl render SOP-OPS-007 --version 1.0     a released version, from git\n  sopctl render notes.md -o out/              a lone Markdown file\n  pandoc notes.docx -t gfm | sopctl render - --format pdf -o - > notes.pdf\n\nRenditions go to dist/{id}/{version}/{id}-v{version}.pdf and .html (the `out` setting, or -o DIR).\nA working copy with unreleased changes is a draft: marked DRAFT, written beside the site to\ndrafts/{id}/{id}-working-copy.pdf and .html (with -o DIR: DIR/drafts/)."
)]
pub struct RenderArgs {
    /// SOPs by ID or path, Markdown files, or - for a Markdown file read from standard input
    /// (default: the only SOP)
    #[arg(add = crate::cli::complete::sop())]
    pub docs: Vec<String>,
    /// Render a released version instead of the working copy
    #[arg(long, value_name = "VERSION", add = crate::cli::complete::version())]
    pub version: Option<String>,
    /// Formats to write
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [RenderFormat::Pdf, RenderFormat::Html])]
    pub format: Vec<RenderFormat>,
    /// Output folder (default: `out` from sopctl.toml, i.e. dist/), or - to write the one
    /// rendition asked for (one document, one format) to standard output
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
    /// A file rendered on its own: the name its renditions take (`notes` for `notes.md`).
    lone: Option<String>,
    /// `Approved-by:` trailers of the release shown (empty for a working copy).
    approvals: Vec<String>,
    /// The date printed into the PDF's metadata, seconds since the epoch (see [`crate::render::source_date`]).
    date: i64,
}

impl Source {
    /// A file rendered on its own, outside any release history, named after its file.
    fn lone(sop: Sop, relative: PathBuf, today: jiff::civil::Date) -> Source {
        let stem = sop
            .path()
            .file_stem()
            .map_or_else(|| "document".into(), |s| s.to_string_lossy().into_owned());
        Source {
            date: crate::render::source_date(sop.metadata.effective, today),
            approvals: Vec::new(),
            sop,
            relative,
            commit: None,
            unreleased: false,
            lone: Some(stem),
        }
    }
}

/// Renders each named document (or the only one) and prints the paths written.
///
/// # Errors
/// Unknown documents or versions, an image outside the repository, a file that cannot be
/// written; `--format pdf` until the PDF rendition exists.
pub fn run(env: &Env, ui: &mut Ui, args: &RenderArgs) -> Result<(), CliError> {
    let ws = env.workspace(ui)?;
    let names: Vec<Option<&str>> = if args.docs.is_empty() {
        vec![None]
    } else {
        args.docs.iter().map(|d| Some(d.as_str())).collect()
    };
    let mut formats: Vec<RenderFormat> = Vec::new();
    for format in &args.format {
        if !formats.contains(format) {
            formats.push(*format);
        }
    }
    let out_dir = if args.output.as_deref().is_some_and(|o| o.as_os_str() == "-") {
        one_file_for_stdout(&names, &formats)?;
        ui.give_stdout_to_file();
        None
    } else {
        Some(super::output_folder(
            &ws,
            &env.cwd,
            args.output.as_deref(),
            "render",
        )?)
    };
    super::templates_inside(&ws)?;
    let settings = RenderSettings::of(&ws);
    let mut failed = false;
    let mut drafts_checked = false;
    for name in names {
        let source = load(&ws, env, name, args.version.as_deref())?;
        ui.verbose(&format!(
            "rendering {}{}",
            ws.display_path(source.sop.path()).display(),
            match (&args.version, source.unreleased, &source.lone) {
                (Some(v), _, _) => format!(" as released in {v}, read from git"),
                (None, true, _) => ", a working copy with unreleased changes: a draft".into(),
                (None, false, Some(_)) => ", a file on its own".into(),
                (None, false, None) => ", the working copy, as released".into(),
            }
        ));
        let files_root = ws.repository_root().to_path_buf();
        let work_tree = WorkTree {
            root: if source.lone.is_some() {
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
                    git_files = crate::render::images::CommitFiles {
                        repo,
                        commit: commit.clone(),
                    };
                    &git_files
                }
                _ => &work_tree,
            };
        let mut job = RenderJob::new(
            &settings,
            &source.sop,
            source.relative.clone(),
            files,
            source.commit.as_deref().map(|c| &c[..c.len().min(7)]),
        );
        job.meta.approvals = source
            .approvals
            .iter()
            .map(|t| crate::lifecycle::Approval::from_trailer(t))
            .collect();
        if source.unreleased {
            job.meta.mark_unreleased();
            if let Some(dir) = &out_dir {
                job.site = site_from_drafts(&drafts_folder(&ws, dir, args.output.is_some()), dir);
            }
        }
        if source.lone.is_some() {
            warn_lone(ui, &ws, &source.sop)?;
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
            for f in render::findings(
                &source.sop,
                &ws.display_path(source.sop.path()),
                &rendition.warnings,
            ) {
                // The same image problem is found by both formats: say it once.
                if reported.insert(f.to_string()) {
                    ui.finding(&f)?;
                }
                // An image outside the repository is refused (never read or embedded) and
                // reported as an error; the rendition is still written, with the alt text.
                failed |= f.severity == crate::doc::Severity::Error;
            }
            match &out_dir {
                Some(dir) => {
                    let drafts = drafts_folder(&ws, dir, args.output.is_some());
                    if source.unreleased && args.output.is_none() && !drafts_checked {
                        drafts_checked = true;
                        check_drafts(ui, &ws, &drafts)?;
                    }
                    let path = rendition_path(dir, &drafts, &source, ext);
                    fsx::write_atomic(&path, &rendition.bytes)?;
                    ui.line(&ws.display_path(&path).display().to_string())?;
                }
                None => {
                    ui.verbose(&format!("writing the {ext} to standard output"));
                    ui.raw(&rendition.bytes)?;
                }
            }
        }
    }
    if failed {
        return Err(CliError::silent(1));
    }
    Ok(())
}

/// A lone file renders even with missing or wrong metadata (SPEC §4): says what is shown
/// blank, as warnings.
fn warn_lone(ui: &mut Ui, ws: &Workspace, sop: &Sop) -> Result<(), CliError> {
    let shown = ws.display_path(sop.path());
    if sop.front_matter.is_none() {
        ui.finding(&Finding::warning(
            shown.clone(),
            crate::doc::Location { line: 1, column: 1 },
            "no front matter: the title block shows the first heading as the title and leaves ID, version and owner blank",
        ))?;
    }
    for f in &sop.findings {
        let mut w = f.clone();
        w.path = shown.clone();
        w.severity = crate::doc::Severity::Warning;
        ui.finding(&w)?;
    }
    Ok(())
}

/// `-o -` writes one file to standard output: refuses (usage error) when the command line asks
/// for more than one document or format.
fn one_file_for_stdout(names: &[Option<&str>], formats: &[RenderFormat]) -> Result<(), CliError> {
    if names.len() > 1 {
        return Err(CliError::usage(format!(
            "-o - writes one rendition to standard output, and {} documents are named",
            names.len()
        ))
        .hint("name one document, or give a folder for the renditions, e.g.  -o dist"));
    }
    if formats.len() > 1 {
        return Err(CliError::usage(
            "-o - writes one rendition to standard output, and both PDF and HTML are asked for",
        )
        .hint("choose one format, e.g.  --format pdf -o -"));
    }
    Ok(())
}

/// The folder drafts go to: `drafts/` at the repository's root, beside the site (`out`), so
/// that a working copy is never inside the folder that is published (issue 20 item 4); with
/// `-o DIR`, `DIR/drafts/`.
fn drafts_folder(ws: &Workspace, out_dir: &Path, output_given: bool) -> PathBuf {
    if output_given {
        out_dir.join("drafts")
    } else {
        ws.root.join("drafts")
    }
}

/// Refuses a drafts folder holding files kept in git (they would be overwritten) and warns when
/// git does not ignore it (a `.gitignore` made before drafts went there): drafts must not be
/// committed.
fn check_drafts(ui: &mut Ui, ws: &Workspace, drafts: &Path) -> Result<(), CliError> {
    crate::paths::check_output_dir(ws, drafts).map_err(|e| {
        CliError::new(format!("cannot write the draft: {e}")).hint(
            "take the drafts out of git with  git rm -r --cached drafts  and add the line  /drafts/  to .gitignore",
        )
    })?;
    if let Some(repo) = &ws.repo
        && !repo.is_ignored(&drafts.join("x.pdf"))
    {
        ui.warning(&format!(
            "git does not ignore {}: add the line  /drafts/  to .gitignore (or run  sopctl init), so that drafts are never committed",
            ws.display_path(drafts).display()
        ));
    }
    Ok(())
}

/// The site's root (`out_dir`) as a link from a draft's folder `drafts/{id}/`, ending in `/`:
/// relative when both are in the same tree (`../../dist/`), else a `file://` address.
fn site_from_drafts(drafts: &Path, out_dir: &Path) -> String {
    let common = drafts.parent().filter(|parent| out_dir.starts_with(parent));
    match common.and_then(|parent| out_dir.strip_prefix(parent).ok()) {
        Some(rest) => {
            let mut link = "../../".to_string();
            for part in rest.components() {
                link.push_str(&part.as_os_str().to_string_lossy());
                link.push('/');
            }
            link
        }
        None => format!("file://{}/", out_dir.display()),
    }
}

/// Where a rendition of `source` goes in `out_dir`: `{id}/{version}/{id}-v{version}.{ext}`, a
/// draft in `drafts`, or a lone file's name.
fn rendition_path(out_dir: &Path, drafts: &Path, source: &Source, ext: &str) -> PathBuf {
    if let Some(stem) = &source.lone {
        return out_dir.join(format!("{stem}.{ext}"));
    }
    let id = source.sop.id().map(ToString::to_string).unwrap_or_default();
    if source.unreleased {
        // Unreleased edits are a draft of the next version: kept apart from the released
        // renditions, so a published site never holds them.
        return drafts.join(&id).join(format!("{id}-working-copy.{ext}"));
    }
    render::output_path(out_dir, &id, &source.sop.metadata.version_or_default(), ext)
}

/// The name a document read from standard input goes by, in findings and renditions.
const STDIN_NAME: &str = "stdin";

/// A lone Markdown file read from standard input (`sopctl render -`): its images are looked
/// up from the working directory.
fn from_stdin(ws: &Workspace, version: Option<&str>) -> Result<Source, CliError> {
    use std::io::Read;
    if version.is_some() {
        return Err(CliError::usage(
            "a document read from standard input has no released versions; leave out --version",
        ));
    }
    let mut bytes = Vec::new();
    std::io::stdin()
        .lock()
        .take(Sop::MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| CliError::new("cannot read standard input").cause(e.to_string()))?;
    if bytes.len() as u64 > Sop::MAX_BYTES {
        return Err(CliError::new(format!(
            "standard input holds more than {} MB; an SOP may be at most that",
            Sop::MAX_BYTES / 1_000_000
        )));
    }
    let path = ws.cwd.join(STDIN_NAME);
    let sop = Sop::from_bytes(&path, bytes).map_err(|e| e.shown_as(Path::new(STDIN_NAME)))?;
    Ok(Source::lone(sop, PathBuf::from(STDIN_NAME), ws.today))
}

/// The document named (or the only one), from the working copy or a release.
fn load(
    ws: &Workspace,
    env: &Env,
    name: Option<&str>,
    version: Option<&str>,
) -> Result<Source, CliError> {
    if name == Some("-") {
        return from_stdin(ws, version);
    }
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
                return Ok(Source::lone(sop, relative, ws.today));
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
        return Ok(Source::lone(sop, relative, ws.today));
    };
    match version {
        Some(v) => {
            let (record, path, bytes) = super::released_copy(ws, &sop, v)?;
            let sop = Sop::from_bytes(&path, bytes)?;
            // A released version carries its release date, whatever the environment says.
            let date = record.pdf_date();
            Ok(Source {
                date,
                approvals: record.approvals.clone(),
                sop,
                relative: path,
                commit: Some(record.commit.clone()),
                unreleased: false,
                lone: None,
            })
        }
        None => {
            let unreleased = ws.has_unreleased_changes(&sop);
            // A working copy as released renders as its release did: the same commit in the
            // footer, approvals in the manifest and date, so the files are the record's,
            // byte for byte (they go where the release put its own).
            let released = if unreleased {
                None
            } else {
                ws.releases(&id).ok().and_then(|r| r.latest().cloned())
            };
            // As released, the release date, whatever the environment says (as `--version`).
            let date = released.as_ref().map_or_else(
                || crate::render::source_date(sop.metadata.effective, ws.today),
                crate::repo::ReleaseRecord::pdf_date,
            );
            Ok(Source {
                date,
                approvals: released
                    .as_ref()
                    .map(|r| r.approvals.clone())
                    .unwrap_or_default(),
                sop,
                relative,
                commit: released.map(|r| r.commit),
                unreleased,
                lone: None,
            })
        }
    }
}
