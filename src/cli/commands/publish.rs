//! `sopctl publish`: the static download site from the releases (SPEC §7).

use std::io::IsTerminal;
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressStyle};

use crate::cli::{CliError, Env, Ui};
use crate::publish::{self, Progress, PublishError};
use crate::templates::TemplateError;

/// Arguments of `sopctl publish`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl publish                       into dist/ (the `out` setting)\n  sopctl publish -o /srv/intranet/sops\n  sopctl publish --shard 2/4            the second quarter of the renditions, for a CI matrix\n  sopctl publish --json                what was published, as data\n\nThe site is built from the releases (tags), never from unreleased edits. Renditions that are\nalready there are kept; run it again after every release."
)]
pub struct PublishArgs {
    /// Output folder (default: `out` from sopctl.toml, i.e. dist/)
    #[arg(short = 'o', long, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Render only share K of N of the renditions (e.g. 2/4), to split the work across machines;
    /// every share writes the same index pages, so the folders can be merged
    #[arg(long, value_name = "K/N", value_parser = publish::Shard::parse)]
    pub shard: Option<publish::Shard>,
    /// Print what was published as JSON
    #[arg(long)]
    pub json: bool,
}

/// `publish --json` (keys in docs/json.md).
#[derive(serde::Serialize)]
struct PublishJson {
    /// The site's front page.
    index: String,
    /// SOPs on the site.
    sops: usize,
    /// Renditions and redlines made in this run.
    rendered: usize,
    /// Renditions that were already there and kept.
    kept: usize,
    /// SOPs left out because they have no release yet.
    unreleased: Vec<String>,
    /// Released SOPs left out because their file is gone: one message each.
    missing: Vec<String>,
    /// `--shard K/N` as `{"index": K, "count": N}`, or null for the whole site.
    shard: Option<ShardJson>,
    /// Every file written in this run, in the order written.
    written: Vec<String>,
    /// Stamped copies taken off the site because their version's standing changed (a copy
    /// stamped superseded, once the SOP is withdrawn as obsolete).
    removed: Vec<String>,
    /// Files no release accounts for, removed from the site's folder (a working copy left in
    /// `drafts/`, the renditions of an SOP no longer on the site).
    stale: Vec<String>,
    /// Files in the site's folder that sopctl did not put there, left as they are.
    foreign: Vec<String>,
    /// Why nothing was removed from the site's folder (another repository's site), or null.
    not_pruned: Option<String>,
}

#[derive(serde::Serialize)]
struct ShardJson {
    index: usize,
    count: usize,
}

/// Builds the site and prints where its front page is.
///
/// # Errors
/// Outside a repository, a shallow clone, a folder that cannot be written.
pub fn run(env: &Env, ui: &mut Ui, args: &PublishArgs) -> Result<(), CliError> {
    let ws = env.workspace(ui)?;
    if !ws.is_sop_repository() {
        return Err(super::new::not_a_repository());
    }
    let out = super::output_folder(&ws, &env.cwd, args.output.as_deref(), "publish")?;
    let bar = if std::io::stderr().is_terminal() && !ui.is_quiet() {
        let bar = ProgressBar::new(0);
        bar.set_style(
            ProgressStyle::with_template("{spinner} rendering {pos}/{len} {msg}")
                .unwrap_or_else(|_| ProgressStyle::default_bar()),
        );
        bar
    } else {
        ProgressBar::hidden()
    };
    let on_progress = |p: Progress| match p {
        Progress::Planned(n) => bar.set_length(n as u64),
        Progress::Rendered(what) => {
            bar.set_message(what);
            bar.inc(1);
        }
    };
    let shard = args.shard.unwrap_or(publish::Shard::ALL);
    let report = publish::publish_shard(&ws, &out, shard, &on_progress).map_err(|e| match e {
        PublishError::Workspace(w) => CliError::from(w),
        PublishError::Io(io) => CliError::from(io),
        PublishError::Template(t @ TemplateError::Outside(_)) => CliError::from(t),
        other @ PublishError::Template(_) => CliError::new("cannot publish the site")
            .cause(other.to_string())
            .hint("fix the template in templates/ of the repository, or delete it to use the built-in one"),
        PublishError::MissingDocument { ref tag, .. } => {
            let hint = crate::cli::error::hand_made_tag_hint(tag);
            CliError::new(e.to_string()).hint(hint)
        }
        other => CliError::new("cannot publish the site").cause(other.to_string()),
    })?;
    bar.finish_and_clear();
    for path in &report.written {
        ui.verbose(&format!("wrote {}", ws.display_path(path).display()));
    }
    for path in &report.removed {
        ui.status(&format!(
            "removed {}: the site no longer offers it (its version is stamped otherwise now)",
            ws.display_path(path).display()
        ));
    }
    for path in &report.stale {
        ui.status(&format!(
            "removed {}: no release accounts for it, so it does not belong on the site",
            ws.display_path(path).display()
        ));
    }
    for problem in &report.unreadable {
        ui.warning(problem);
    }
    let shown_out = ws.display_path(&out).display().to_string();
    if let Some(why) = &report.not_pruned {
        ui.warning(&format!(
            "nothing was removed from {shown_out}: {why}; publish each repository into a folder of its own"
        ));
    }
    if let Some(first) = report.foreign.first() {
        ui.warning(&format!(
            "{shown_out} holds {} that sopctl did not put there (e.g. {}): left as {}, and copied with the site; keep your own files elsewhere",
            match report.foreign.len() {
                1 => "1 file".to_string(),
                n => format!("{n} files"),
            },
            ws.display_path(first).display(),
            if report.foreign.len() == 1 { "it is" } else { "they are" }
        ));
    }
    for id in &report.unreleased {
        ui.warning(&format!(
            "{id} has no release yet, so it is not on the site"
        ));
    }
    // What could not be drawn in the versions rendered now, located in the released text.
    if !args.json {
        for finding in &report.findings {
            ui.finding(finding)?;
        }
    }
    // A released SOP whose file was removed by hand is not on the site either: say so.
    for finding in &report.missing {
        ui.warning(&finding.message);
    }
    let unpublished = report
        .findings
        .iter()
        .filter(|f| f.severity == crate::doc::Severity::Error)
        .count();
    let index = ws
        .display_path(&out.join("index.html"))
        .display()
        .to_string();
    if args.json {
        crate::cli::json::print(
            ui,
            &PublishJson {
                index,
                sops: report.sops,
                rendered: report.rendered,
                kept: report.kept,
                unreleased: report.unreleased.clone(),
                missing: report.missing.iter().map(|f| f.message.clone()).collect(),
                shard: (shard != publish::Shard::ALL).then_some(ShardJson {
                    index: shard.index,
                    count: shard.count,
                }),
                written: report
                    .written
                    .iter()
                    .map(|p| ws.display_path(p).display().to_string())
                    .collect(),
                removed: report
                    .removed
                    .iter()
                    .map(|p| ws.display_path(p).display().to_string())
                    .collect(),
                stale: report
                    .stale
                    .iter()
                    .map(|p| ws.display_path(p).display().to_string())
                    .collect(),
                foreign: report
                    .foreign
                    .iter()
                    .map(|p| ws.display_path(p).display().to_string())
                    .collect(),
                not_pruned: report.not_pruned.clone(),
            },
        )?;
    } else {
        ui.line(&index)?;
    }
    ui.status(&format!(
        "published {} {}: {} {} made (renditions and redlines), {} already there{}",
        report.sops,
        if report.sops == 1 { "SOP" } else { "SOPs" },
        report.rendered,
        if report.rendered == 1 {
            "file"
        } else {
            "files"
        },
        report.kept,
        if shard == publish::Shard::ALL {
            String::new()
        } else {
            format!(" (share {} of {})", shard.index, shard.count)
        }
    ));
    if unpublished > 0 {
        return Err(CliError::new(format!(
            "{unpublished} released {} could not be made as released, so the site lacks {}",
            if unpublished == 1 { "copy" } else { "copies" },
            if unpublished == 1 { "it" } else { "them" }
        ))
        .hint("fix what is reported above (for images in Git LFS:  git lfs pull), then run  sopctl publish  again"));
    }
    Ok(())
}
