//! `sopctl review`: record a periodic review without a content change (SPEC §8).

use crate::cli::{CliError, Env, Ui};
use crate::doc::metadata::parse_date;

/// Arguments of `sopctl review`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl review -m \"Still matches the settings page\"\n  sopctl review SOP-OPS-007 -m \"Annual review, no change\" --date 2026-03-01\n\nThe next review is due `review_interval` after the later of the effective date of the version in force and the last review."
)]
pub struct ReviewArgs {
    /// The SOP, by ID or path (may be left out when there is only one)
    #[arg(add = crate::cli::complete::sop())]
    pub doc: Option<String>,
    /// What the review found
    #[arg(short = 'm', long = "message", value_name = "NOTE", required = true)]
    pub note: String,
    /// The review date, YYYY-MM-DD (default: today, in the `timezone` of sopctl.toml)
    #[arg(long)]
    pub date: Option<String>,
    /// Signing and hooks.
    #[command(flatten)]
    pub record: super::RecordArgs,
    /// Print the record made as JSON
    #[arg(long)]
    pub json: bool,
}

/// `review --json` (keys in docs/json.md).
#[derive(serde::Serialize)]
struct ReviewJson<'a> {
    id: String,
    /// The review date.
    date: String,
    note: &'a str,
    /// The reviewer (git identity).
    name: &'a str,
    email: &'a str,
    /// When the next review is due; null without `review_interval`.
    next_review: Option<String>,
    /// The review commit (full id).
    commit: String,
}

/// Records the review as a commit and prints the next due date.
///
/// # Errors
/// No repository or identity; an empty note; a bad date.
pub fn run(env: &Env, ui: &mut Ui, args: &ReviewArgs) -> Result<(), CliError> {
    let given = match &args.date {
        Some(d) => Some(parse_date(d).map_err(|m| CliError::usage(format!("--date: {m}")))?),
        None => None,
    };
    if args.note.trim().is_empty() {
        return Err(CliError::usage(
            "a review needs a note of what was checked (-m)",
        ));
    }
    let (ws, lock) = env.record_workspace(ui)?;
    let date = given.unwrap_or(ws.today);
    if date > ws.today {
        let zone = ws.settings.time_zone();
        return Err(CliError::usage(format!(
            "--date {date} is after today ({} in the time zone {}); record a review once it has taken place",
            ws.today,
            crate::clock::zone_name(&zone)
        ))
        .hint("leave out --date to record it today; `timezone` in sopctl.toml sets the time zone sopctl counts days in"));
    }
    let sop = super::find_doc(&ws, args.doc.as_deref())?;
    let id = super::require_id(&ws, &sop)?;
    if let Some(status) = crate::lifecycle::retired_status(&ws, &sop) {
        return Err(CliError::new(format!(
            "{id} is {status}; a withdrawn SOP has no periodic review"
        )));
    }
    // A review is of the version in force; a release waiting for its day does not count.
    let waiting = crate::lifecycle::in_force(&ws, &sop);
    if let Some(w) = &waiting
        && w.current.is_none()
    {
        let first = w.coming.first().map_or_else(String::new, |r| {
            format!(": {} takes effect on {}", r.version, r.date)
        });
        return Err(CliError::new(format!(
            "{id} has no version in force yet{first}, so there is nothing to review"
        ))
        .hint("record the review once that version is in force"));
    }
    let in_force_since = match &waiting {
        Some(w) => w.current.as_ref().map(|r| r.date),
        None => sop.metadata.effective,
    };
    if sop.metadata.review_interval.is_none() {
        ui.warning(&format!(
            "{id} has no `review_interval`, so no next review date follows from this review"
        ));
    }
    // Read the reviews recorded so far before this one is added.
    let earlier = ws.lifecycle().last_review(id.as_str());
    let (repo, _) = super::recording_repo(&ws, &sop, "reviews are")?;
    let identity = repo.identity()?;
    let message = crate::lifecycle::review_message(id.as_str(), &args.note, date, &identity);
    let recorder = args.record.recorder(lock.as_ref())?;
    let commit = repo
        .commit_files(
            recorder.lock,
            &[],
            recorder.write(
                format!("the review of {id}"),
                &message,
                &identity,
                Some(crate::lifecycle::signing_time().as_second()),
            ),
        )
        .map_err(super::release::record_error)?;
    let since = [in_force_since, earlier, Some(date)]
        .into_iter()
        .flatten()
        .max();
    let next = sop.metadata.next_review(since);
    ui.verbose(&format!("committed the review as {commit}"));
    if args.json {
        crate::cli::json::print(
            ui,
            &ReviewJson {
                id: id.to_string(),
                date: date.to_string(),
                note: args.note.trim(),
                name: &identity.name,
                email: &identity.email,
                next_review: next.map(|d| d.to_string()),
                commit,
            },
        )?;
    }
    ui.status(&format!(
        "recorded the review of {id} on {date}{}",
        next.map(|d| format!("; the next review is due on {d}"))
            .unwrap_or_default()
    ));
    Ok(())
}
