//! `sopctl retire`: mark an SOP superseded or obsolete (SPEC §8).

use crate::cli::{CliError, Env, Ui};
use crate::doc::Status;

/// Arguments of `sopctl retire`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl retire SOP-OPS-007 --superseded-by SOP-OPS-019 -m \"Merged into the line-clearance SOP\"\n  sopctl retire SOP-OPS-003 -m \"Machine decommissioned\"\n\nThe status becomes superseded (with --superseded-by) or obsolete; the change is committed.\nRenditions then carry the SUPERSEDED or OBSOLETE watermark."
)]
pub struct RetireArgs {
    /// The SOP, by ID or path (may be left out when there is only one)
    #[arg(add = crate::cli::complete::sop())]
    pub doc: Option<String>,
    /// The ID of the SOP that replaces this one
    #[arg(long, value_name = "ID", add = crate::cli::complete::sop_id())]
    pub superseded_by: Option<String>,
    /// Why the SOP is withdrawn
    #[arg(short = 'm', long = "message", value_name = "REASON", required = true)]
    pub reason: String,
    /// Signing and hooks.
    #[command(flatten)]
    pub record: super::RecordArgs,
    /// Print the record made as JSON
    #[arg(long)]
    pub json: bool,
}

/// `retire --json` (keys in docs/json.md).
#[derive(serde::Serialize)]
struct RetireJson<'a> {
    id: String,
    /// `superseded` or `obsolete`.
    status: String,
    /// The SOP that replaces this one; null for `obsolete`.
    superseded_by: Option<&'a str>,
    reason: &'a str,
    /// The commit that records the retirement (full id).
    commit: String,
    /// The controlled copies still out, to recall now.
    recall: Vec<crate::cli::json::Copy>,
}

/// Sets the status (and `superseded_by`) in place and commits the document.
///
/// # Errors
/// Already retired; an unknown successor; no repository or identity; other files changed.
pub fn run(env: &Env, ui: &mut Ui, args: &RetireArgs) -> Result<(), CliError> {
    if args.reason.trim().is_empty() {
        return Err(CliError::usage("say why the SOP is withdrawn (-m)"));
    }
    let (ws, lock) = env.record_workspace(ui)?;
    let sop = super::find_doc(&ws, args.doc.as_deref())?;
    let id = super::require_id(&ws, &sop)?;
    if let Some(current) = crate::lifecycle::retired_status(&ws, &sop) {
        return Err(CliError::new(format!("{id} is already {current}; a retired SOP stays retired"))
            .hint("the moves a status can make: draft → in-review → approved → effective → superseded or obsolete"));
    }
    let status = if args.superseded_by.is_some() {
        Status::Superseded
    } else {
        Status::Obsolete
    };
    if let Some(successor) = &args.superseded_by {
        let found = ws.documents().into_iter().any(|e| {
            e.sop
                .ok()
                .and_then(|s| s.id().map(|i| i.as_str() == successor))
                .unwrap_or(false)
        });
        if !found || successor == id.as_str() {
            return Err(
                CliError::new(format!("no other SOP has the ID {successor}"))
                    .hint("`sopctl list` shows every SOP with its ID"),
            );
        }
    }
    let (repo, relative) = super::recording_repo(&ws, &sop, "retirement is")?;
    let identity = repo.identity()?;
    if repo.file_changed_since_head(&relative) {
        return Err(CliError::new(format!(
            "{} has changes that are not committed; retiring would commit them unreviewed",
            relative.display()
        ))
        .hint("commit them first (git commit), then retire"));
    }
    let mut edited = sop
        .with_value("status", status.as_str(), Some("effective"))
        .map_err(|e| CliError::new(e.to_string()))?
        .unwrap_or(sop.clone());
    if let Some(successor) = &args.superseded_by
        && let Some(next) = edited
            .with_value("superseded_by", successor, Some("status"))
            .map_err(|e| CliError::new(e.to_string()))?
    {
        edited = next;
    }
    let mut message = format!(
        "{id}: {status}\n\n{}\n\nRetired-Document: {id}\nRetired-Status: {status}\n",
        args.reason.trim()
    );
    if let Some(successor) = &args.superseded_by {
        message.push_str(&format!("Superseded-By: {successor}\n"));
    }
    let recorder = args.record.recorder(lock.as_ref())?;
    let mut write = recorder.write(
        format!("the retirement of {id}"),
        &message,
        &identity,
        Some(crate::lifecycle::signing_time().as_second()),
    );
    write.files.push((relative, edited.source.to_bytes()));
    let commit = repo
        .write_record(
            recorder.lock,
            &write,
            crate::repo::transaction::FaultPoint::from_env(),
        )
        .map_err(super::release::record_error)?
        .commit;
    ui.verbose(&format!("committed the retirement as {commit}"));
    let recall = crate::lifecycle::copies::recalls(
        ws.lifecycle().copies().of(id.as_str()),
        &crate::lifecycle::copies::Standing {
            in_force: None,
            withdrawn: Some(status),
        },
    );
    if args.json {
        crate::cli::json::print(
            ui,
            &RetireJson {
                id: id.to_string(),
                status: status.to_string(),
                superseded_by: args.superseded_by.as_deref(),
                reason: args.reason.trim(),
                commit,
                recall: crate::cli::json::Copy::recalls(&recall),
            },
        )?;
    }
    ui.status(&format!(
        "{id} is now {status}{}",
        args.superseded_by
            .as_ref()
            .map(|s| format!(", replaced by {s}"))
            .unwrap_or_default()
    ));
    if !recall.is_empty() {
        ui.warning(&format!(
            "{id} is withdrawn: recall these controlled copies: {}",
            super::copy::recall_items(&recall)
        ));
        ui.hint(&format!(
            "record each copy that comes back with  sopctl copy return {id} NUMBER"
        ));
    }
    ui.hint(
        "renditions now carry the watermark; run  sopctl publish  to move it to the site's archive",
    );
    Ok(())
}
