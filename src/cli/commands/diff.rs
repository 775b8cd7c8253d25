//! `sopctl diff`: a reviewer's redline between versions (SPEC §6).

use std::io::IsTerminal;
use std::path::PathBuf;

use crate::cli::{CliError, ColorWhen, Env, Ui};
use crate::diff::{self, format};
use crate::doc::Sop;
use crate::fsx;
use crate::version::VersionSpec;
use crate::workspace::Workspace;

/// Output formats of `sopctl diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// Changed sections with deleted and inserted words marked
    Text,
    /// A unified diff of the Markdown that `git apply` accepts
    Unified,
    /// The whole document with its changes marked, as a web page
    Html,
    /// The whole document with its changes marked and change bars, as a PDF
    Pdf,
    /// The changes as data
    Json,
}

/// Arguments of `sopctl diff`.
#[derive(Debug, clap::Args)]
#[command(
    override_usage = "sopctl diff [OPTIONS] [DOC] [FROM] [TO]",
    after_help = "Examples:\n  sopctl diff                             your edits since the last release\n  sopctl diff 1.0 1.1\n  sopctl diff SOP-OPS-007 1.0            compare 1.0 with the working copy\n  sopctl diff 1.0 1.1 --format pdf -o redline.pdf\n  sopctl diff 1.0 1.1 --format html --context 1 -o redline.html\n  sopctl diff 1.0 1.1 --format json -o - | jq .managed\n\nVersions are written 1, 1.1, 1.1.0, v1.1.0, as a tag name, latest or current; without\nany, the working copy is compared with the last release.\nLine breaks, spacing and line endings are not changes; two trailing spaces (a hard line\nbreak) are. Without colour, deleted words show as [-…-] and inserted ones as {+…+}."
)]
pub struct DiffArgs {
    /// The SOP, by ID or path (may be left out when there is only one)
    #[arg(add = crate::cli::complete::sop_or_version())]
    pub doc: Option<String>,
    /// The older version: 1, 1.1, 1.1.0, v1.1.0, a tag name, latest or current (default: the
    /// last release)
    #[arg(add = crate::cli::complete::version())]
    pub from: Option<String>,
    /// The newer version (default: the working copy)
    #[arg(add = crate::cli::complete::version())]
    pub to: Option<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Write to this file instead of the terminal (`-` for standard output)
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// With --format pdf or html: show only the changed sections and N sections around each
    /// (default: the whole document)
    #[arg(long, value_name = "N")]
    pub context: Option<usize>,
    /// Exit with 1 when the versions differ
    #[arg(long)]
    pub exit_code: bool,
}

impl DiffArgs {
    /// The words given for DOC, FROM and TO, as typed: clap fills them from the left, so the
    /// first may be a version when the document is left out.
    fn words(&self) -> Vec<&str> {
        [&self.doc, &self.from, &self.to]
            .into_iter()
            .flatten()
            .map(String::as_str)
            .collect()
    }

    /// The file to write, or `None` for standard output (no `-o`, or `-o -`).
    fn file(&self) -> Option<&std::path::Path> {
        self.output.as_deref().filter(|p| p.as_os_str() != "-")
    }
}

/// One side of the comparison: the document, its label and the release that made it.
struct Side<'a> {
    /// The working copy as read already, or a released version read from git.
    sop: std::borrow::Cow<'a, Sop>,
    label: String,
    record: Option<crate::repo::ReleaseRecord>,
}

fn load<'a>(ws: &Workspace, sop: &'a Sop, version: Option<&str>) -> Result<Side<'a>, CliError> {
    let Some(version) = version else {
        return Ok(Side {
            sop: std::borrow::Cow::Borrowed(sop),
            label: "working copy".to_string(),
            record: None,
        });
    };
    let (record, path, bytes) = super::released_copy(ws, sop, version)?;
    Ok(Side {
        sop: std::borrow::Cow::Owned(Sop::from_bytes(&path, bytes)?),
        label: record.version.to_string(),
        record: Some(record),
    })
}

/// The PDF or HTML redline of `old` against `new` (issue 18 item 1).
fn redline(
    ws: &Workspace,
    sop: &Sop,
    old: &Side<'_>,
    new: &Side<'_>,
    args: &DiffArgs,
) -> Result<Vec<u8>, CliError> {
    let settings = crate::render::RenderSettings::of(ws);
    let relative = ws
        .repo
        .as_ref()
        .and_then(|r| r.relative(sop.path()))
        .unwrap_or_else(|| sop.path().to_path_buf());
    let work_tree = crate::render::images::WorkTree {
        root: ws.repository_root().to_path_buf(),
    };
    let commit_files;
    let files: &dyn crate::render::images::FileSource = match (&ws.repo, &new.record) {
        (Some(repo), Some(record)) => {
            commit_files = crate::render::images::CommitFiles {
                repo,
                commit: record.commit.clone(),
            };
            &commit_files
        }
        _ => &work_tree,
    };
    let authors = ws.repo.as_ref().map_or_else(Vec::new, |repo| {
        crate::render::redline::changed_by(
            repo,
            &relative,
            old.record.as_ref().map(|r| r.commit.as_str()),
            new.record.as_ref().map(|r| r.commit.as_str()),
        )
    });
    let job = crate::render::redline::Redline {
        old: crate::render::redline::Version {
            sop: &old.sop,
            label: old.label.clone(),
            record: old.record.as_ref(),
        },
        new: crate::render::redline::Version {
            sop: &new.sop,
            label: new.label.clone(),
            record: new.record.as_ref(),
        },
        files,
        doc_relative: relative,
        authors,
        context: args.context,
        // A working copy's: those its current text holds (a release's come from its record).
        working_approvals: match &new.record {
            Some(_) => Vec::new(),
            None => crate::lifecycle::approvals(ws, sop)
                .map(|(_, valid)| valid)
                .unwrap_or_default(),
        },
    };
    let date = match &new.record {
        Some(record) => record.pdf_date(),
        None => crate::render::source_date(new.sop.metadata.effective, ws.today),
    };
    let rendition = job
        .render(&settings, args.format == DiffFormat::Pdf, date)
        .map_err(|e| {
            let err = CliError::new("cannot make the redline").cause(e.to_string());
            match e {
                crate::render::RenderError::Template(_) => err.hint("fix the template in templates/ of the repository, or delete it to use the built-in one"),
                crate::render::RenderError::Pdf(_) => err,
            }
        })?;
    Ok(rendition.bytes)
}

/// Compares two versions and prints (or writes) the redline.
///
/// # Errors
/// Unknown documents or versions; a file that cannot be written. With `--exit-code`, exit 1 when
/// the versions differ.
pub fn run(env: &Env, ui: &mut Ui, args: &DiffArgs) -> Result<(), CliError> {
    let ws = env.workspace(ui)?;
    let names_doc = |word: &str| {
        env.cwd.join(word).is_file()
            || ws.documents().iter().any(|e| {
                e.sop
                    .as_ref()
                    .ok()
                    .and_then(|s| s.id())
                    .is_some_and(|id| id.as_str() == word)
            })
    };
    let is_version = |word: &str| !matches!(VersionSpec::parse(word), VersionSpec::TagName(_));
    let (doc, from, to) = match args.words().as_slice() {
        // `sopctl diff SOP-001`: that SOP's edits since its last release.
        [only] if names_doc(only) && !is_version(only) => (Some(*only), "latest", None),
        [from] => (None, *from, None),
        // `sopctl diff SOP-001 1.0`: a document, then a version. A first word that is not a
        // version followed by one that is reads the same way, so a mistyped ID is reported as
        // an unknown document rather than an unknown version.
        [a, b] if names_doc(a) || (!is_version(a) && is_version(b)) => (Some(*a), *b, None),
        [from, to] => (None, *from, Some(*to)),
        [doc, from, to, ..] => (Some(*doc), *from, Some(*to)),
        // No version: the working copy against the last release (issue 18 item 5).
        [] => (None, "latest", None),
    };
    let sop = super::find_doc(&ws, doc)?;
    let old = load(&ws, &sop, Some(from))?;
    let new = load(&ws, &sop, to)?;
    let title = sop.id().map_or_else(
        || ws.display_path(sop.path()).display().to_string(),
        ToString::to_string,
    );
    let result = diff::compare(&old.sop, &new.sop, &old.label, &new.label);
    ui.verbose(&format!(
        "comparing {title} {} with {}",
        old.label,
        if to.is_some() {
            new.label.clone()
        } else {
            format!("the {}", new.label)
        }
    ));
    let to_terminal = args.file().is_none();
    let color = to_terminal
        && match ui.color() {
            ColorWhen::Always => true,
            ColorWhen::Never => false,
            ColorWhen::Auto => {
                std::env::var_os("NO_COLOR").is_none() && std::io::stdout().is_terminal()
            }
        };
    if args.context.is_some() && !matches!(args.format, DiffFormat::Pdf | DiffFormat::Html) {
        return Err(
            CliError::usage("--context shapes the PDF and HTML redline only")
                .hint("add --format pdf or --format html, or leave out --context"),
        );
    }
    if args.format == DiffFormat::Pdf && to_terminal && std::io::stdout().is_terminal() {
        return Err(CliError::usage("a PDF cannot be shown in the terminal")
            .hint("write it to a file, e.g.  -o redline.pdf"));
    }
    let output: Vec<u8> = match args.format {
        DiffFormat::Text => format::text(&result, &title, color).into_bytes(),
        DiffFormat::Json => (format::json(&result) + "\n").into_bytes(),
        DiffFormat::Html | DiffFormat::Pdf => redline(&ws, &sop, &old, &new, args)?,
        DiffFormat::Unified => {
            let path = ws
                .repo
                .as_ref()
                .and_then(|r| r.relative(sop.path()))
                .map_or_else(
                    || sop.path().display().to_string(),
                    |p| p.to_string_lossy().replace('\\', "/"),
                );
            format::unified(old.sop.source.text(), new.sop.source.text(), &path).into_bytes()
        }
    };
    match args.file() {
        Some(file) => {
            let path = env.cwd.join(file);
            crate::paths::check_output_file(&ws, &path).map_err(|e| {
                CliError::new(e.to_string()).hint(format!(
                    "give the name of a new file, e.g.  -o {}",
                    match args.format {
                        DiffFormat::Pdf => "redline.pdf",
                        DiffFormat::Json => "changes.json",
                        DiffFormat::Unified => "changes.patch",
                        DiffFormat::Text => "changes.txt",
                        DiffFormat::Html => "redline.html",
                    }
                ))
            })?;
            ui.verbose(&format!("writing {}", ws.display_path(&path).display()));
            fsx::write_atomic(&path, &output)?;
            ui.status(&format!("wrote {}", ws.display_path(&path).display()));
        }
        None => ui.raw(&output)?,
    }
    let differs = match args.format {
        // A unified diff reports any byte of change, even one the redline does not show.
        DiffFormat::Unified => old.sop.source.text() != new.sop.source.text(),
        _ => !result.is_empty(),
    };
    if args.exit_code && differs {
        return Err(CliError::silent(1));
    }
    Ok(())
}
