//! `sopctl log`: the releases of an SOP (SPEC §4), from its release records.

use crate::cli::{CliError, Env, Ui};

/// Arguments of `sopctl log`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl log\n  sopctl log SOP-OPS-007 --json\n\nReleases are listed oldest first, ordered by version number (semver), not by date."
)]
pub struct LogArgs {
    /// The SOP, by ID or path (may be left out when there is only one)
    #[arg(add = crate::cli::complete::sop())]
    pub doc: Option<String>,
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

#[derive(serde::Serialize)]
struct JsonRecord<'a> {
    version: String,
    display: String,
    date: String,
    author: &'a str,
    summary: &'a str,
    approvals: Vec<crate::cli::json::Approval>,
    tag: &'a str,
    commit: &'a str,
}

fn approvals(trailers: &[String]) -> Vec<crate::lifecycle::Approval> {
    trailers
        .iter()
        .map(|t| crate::lifecycle::Approval::from_trailer(t))
        .collect()
}

/// Lists the releases, oldest first by semver precedence.
///
/// # Errors
/// No such document, no repository, a shallow clone.
pub fn run(env: &Env, ui: &mut Ui, args: &LogArgs) -> Result<(), CliError> {
    let ws = env.workspace(ui)?;
    let sop = super::find_doc(&ws, args.doc.as_deref())?;
    let id = &super::require_id(&ws, &sop)?;
    let releases = ws.releases(id)?;
    for tag in &releases.skipped {
        ui.warning(&format!(
            "the tag {tag} is not a version (x.y.z), so it is ignored"
        ));
    }
    if args.json {
        let records: Vec<JsonRecord<'_>> = releases
            .records
            .iter()
            .map(|r| JsonRecord {
                version: r.version.full(),
                display: r.version.to_string(),
                date: r.date.to_string(),
                author: &r.author,
                summary: &r.summary,
                approvals: approvals(&r.approvals)
                    .into_iter()
                    .map(Into::into)
                    .collect(),
                tag: &r.tag,
                commit: &r.commit,
            })
            .collect();
        return crate::cli::json::print(ui, &records);
    }
    let signed = releases.records.iter().any(|r| !r.approvals.is_empty());
    let mut header = ["VERSION", "DATE", "AUTHOR", "SUMMARY", "TAG", "COMMIT"]
        .map(String::from)
        .to_vec();
    if signed {
        header.insert(4, "APPROVED BY".to_string());
    }
    let rows: Vec<Vec<String>> = releases
        .records
        .iter()
        .map(|r| {
            let mut row = vec![
                r.version.to_string(),
                r.date.to_string(),
                r.author.clone(),
                r.summary.clone(),
                r.tag.clone(),
                r.short_commit().to_string(),
            ];
            if signed {
                let names: Vec<String> = approvals(&r.approvals)
                    .iter()
                    .map(crate::lifecycle::Approval::label)
                    .collect();
                row.insert(
                    4,
                    if names.is_empty() {
                        "-".into()
                    } else {
                        names.join(", ")
                    },
                );
            }
            row
        })
        .collect();
    for line in crate::cli::ui::table(&header, &rows) {
        ui.line(&line)?;
    }
    if releases.records.is_empty() {
        ui.status(&format!("{id} has no released versions yet"));
        ui.hint("release the version in its front matter with  sopctl release -m \"Why this version exists\"");
    }
    Ok(())
}
