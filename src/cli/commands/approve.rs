//! `sopctl approve`: record an approval bound to the current content (SPEC §8).

use crate::cli::{CliError, Env, Ui};

/// Arguments of `sopctl approve`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl approve --role \"QA Manager\"\n  sopctl approve SOP-OPS-007 --role Reviewer --meaning reviewed -m \"Checked against the line layout\"\n\nThe approval is a git commit by your git identity, bound to the document's content: any later\nedit voids it. A release of a document with `approvers` needs a valid approval from each."
)]
pub struct ApproveArgs {
    /// The SOP, by ID or path (may be left out when there is only one)
    #[arg(add = crate::cli::complete::sop())]
    pub doc: Option<String>,
    /// The role you approve in, as listed in `approvers`
    #[arg(long)]
    pub role: String,
    /// What your signature means: authored, reviewed or approved
    #[arg(long, default_value = "approved")]
    pub meaning: String,
    /// A comment kept with the approval
    #[arg(short = 'm', long = "message", value_name = "COMMENT")]
    pub comment: Option<String>,
    /// Signing and hooks.
    #[command(flatten)]
    pub record: super::RecordArgs,
    /// Print the record made as JSON
    #[arg(long)]
    pub json: bool,
}

/// `approve --json` (keys in docs/json.md).
#[derive(serde::Serialize)]
struct ApproveJson {
    id: String,
    #[serde(flatten)]
    approval: crate::cli::json::Approval,
    /// The approved content's hash (`sha256:…`): any later edit voids the approval.
    content: String,
    /// The approval commit (full id).
    commit: Option<String>,
    /// The roles in `approvers` whose valid approval is still missing.
    still_to_approve: Vec<String>,
}

/// The lines that say what an approval covers: the changes since the last release, counted,
/// and the command that shows them whole with the changes marked. Nothing when the SOP has no
/// release to compare with but a line saying the whole document is approved.
fn change_summary(
    ws: &crate::workspace::Workspace,
    sop: &crate::doc::Sop,
    id: &crate::doc::DocId,
) -> Vec<String> {
    let Ok((record, path, bytes)) = super::released_copy(ws, sop, "latest") else {
        return vec![format!(
            "approving {id} as committed; it has no release yet, so the approval covers the whole document"
        )];
    };
    let Ok(before) = crate::doc::Sop::from_bytes(&path, bytes) else {
        return Vec::new();
    };
    let label = record.version.to_string();
    let diff = crate::diff::compare(&before, sop, &label, "working copy");
    let mut lines = vec![format!(
        "approving {id} as committed; its changes since {label}: {}",
        if diff.sections.is_empty() {
            "no change to the text".to_string()
        } else {
            crate::diff::format::counts_line(&diff)
        }
    )];
    if let Some(managed) = crate::diff::format::managed_line(&diff) {
        lines.push(format!("  and in the front matter: {managed}"));
    }
    lines.push(format!(
        "read them whole, marked:  sopctl diff {id} {label} --format pdf -o {id}-redline.pdf"
    ));
    lines
}

/// Records the approval.
///
/// # Errors
/// No repository or git identity; an unknown document; a role not in `approvers`; a meaning
/// other than authored, reviewed or approved.
pub fn run(env: &Env, ui: &mut Ui, args: &ApproveArgs) -> Result<(), CliError> {
    let meaning = args.meaning.trim().to_ascii_lowercase();
    if !matches!(meaning.as_str(), "authored" | "reviewed" | "approved") {
        return Err(CliError::usage(format!(
            "--meaning `{}`: use authored, reviewed or approved",
            args.meaning
        )));
    }
    let (ws, lock) = env.record_workspace(ui)?;
    let sop = super::find_doc(&ws, args.doc.as_deref())?;
    let id = super::require_id(&ws, &sop)?;
    if let Some(status) = crate::lifecycle::retired_status(&ws, &sop) {
        return Err(CliError::new(format!(
            "{id} is {status}; a retired SOP is not approved again"
        )));
    }
    let (repo, relative) = super::recording_repo(&ws, &sop, "approvals are")?;
    let identity = repo.identity()?;
    if identity.name.contains('|') {
        return Err(CliError::new(format!(
            "your git name `{}` holds a `|`, which separates the parts of an approval in the release record",
            identity.name
        ))
        .hint("set your name without it:  git config user.name \"Your Name\""));
    }
    // Its approvers, and those taken off the list since the last release (who approve that).
    let (needed, _) = crate::lifecycle::approvers_needed(&ws, &sop);
    let approvers = &needed;
    if approvers.is_empty() {
        return Err(CliError::new(format!("{id} lists no approvers, so its release needs no approval"))
            .hint("to require approval, add a line such as  approvers: [QA Manager]  to its front matter and commit it"));
    }
    // The approval commit must hold the text approved: edits not yet committed are refused.
    let errors = crate::check::errors_of(&ws, &sop).len();
    if errors > 0 {
        return Err(CliError::new(format!(
            "{id} has {errors} {} that  sopctl check  reports; an approval is for a document that passes its checks",
            if errors == 1 { "error" } else { "errors" }
        ))
        .hint("ask the author to fix and commit them, then approve"));
    }
    if repo.file_changed_since_head(&relative) {
        return Err(CliError::new(format!(
            "{} has changes that are not committed; an approval covers committed text only",
            relative.display()
        ))
        .hint("ask the author to commit the text (git commit), then approve it"));
    }
    if !approvers
        .iter()
        .any(|a| a.eq_ignore_ascii_case(args.role.trim()) || a.eq_ignore_ascii_case(&identity.name))
    {
        return Err(CliError::new(format!(
            "`{}` is not one of the approvers of {id}",
            args.role.trim()
        ))
        .hint(format!("the approvers are: {}", approvers.join(", "))));
    }
    // Record the role as `approvers` spells it, so the revision table reads the same each time.
    let role = approvers
        .iter()
        .find(|a| a.eq_ignore_ascii_case(args.role.trim()))
        .map_or_else(|| args.role.trim().to_string(), Clone::clone);
    if role.is_empty() {
        return Err(CliError::usage("--role: name the role you approve in"));
    }
    // With `signatures = "required"`: signed with a registered key of a person in the role.
    let signers = crate::people::Signers::of(&ws);
    if signers.required {
        let trusted = signers.trusted(&ws)?;
        let sign = args.record.options().sign;
        crate::people::signers::may_approve(repo, trusted.as_ref(), sign, &identity, &role)?;
    }
    // What is being approved, against the last release, and where to read it whole (issue 18
    // item 5): said before the approval is recorded.
    if !args.json {
        for line in change_summary(&ws, &sop, &id) {
            ui.status(&line);
        }
    }
    let approval = crate::lifecycle::record_approval(
        &ws,
        &args.record.recorder(lock.as_ref())?,
        &sop,
        &identity,
        &crate::lifecycle::Signature {
            role: &role,
            meaning: &meaning,
            comment: args.comment.as_deref(),
            at: crate::lifecycle::signing_time(),
        },
    )?;
    let commit = repo.head_commit();
    ui.verbose(&format!(
        "committed the approval as {}",
        commit.as_deref().unwrap_or("?")
    ));
    ui.status(&format!(
        "recorded: {} {} {id} as {} ({})",
        approval.name, approval.meaning, approval.role, approval.date
    ));
    let (_, valid) = crate::lifecycle::approvals(&ws, &sop)?;
    let mut sop = sop;
    sop.metadata.approvers = needed.clone();
    let missing = crate::lifecycle::missing(&sop, &valid);
    if args.json {
        crate::cli::json::print(
            ui,
            &ApproveJson {
                id: id.to_string(),
                content: approval.content.clone(),
                approval: approval.into(),
                commit,
                still_to_approve: missing.clone(),
            },
        )?;
    }
    // Separation of duties may still refuse an approval the release would need.
    let duties = crate::lifecycle::duties::for_release(&ws, &sop, &relative, &valid);
    for refusal in &duties.refusals {
        ui.hint(&format!("the release would refuse this: {refusal}"));
    }
    if missing.is_empty() && duties.refusals.is_empty() {
        // A first release needs no size: it is the version the front matter gives.
        let first = ws
            .releases(&id)
            .map(|r| r.latest().is_none())
            .unwrap_or(false);
        ui.hint(if first {
            "every approver has approved this content; its owner can release it with  sopctl release -m \"…\""
        } else {
            "every approver has approved this content; its owner can release it with  sopctl release --minor -m \"…\"  (or --patch, --major)"
        });
    } else if !missing.is_empty() {
        ui.hint(&format!("still to approve: {}", missing.join(", ")));
    }
    Ok(())
}
