//! The bundled example: a real published SOP (`docs/examples/privacy-settings-sop.md`) with a
//! real release history, so that every command can be tried at once (`sopctl init --example`).
//!
//! The history: the document is committed and released as 1.0, as it is (its revision-history
//! row and effective date are the release's); then a realistic edit (a longer time estimate, a
//! record-keeping step, a new FAQ entry, and the Compliance Notes section moved above the
//! revision history) is committed and released as 1.1. The history is dated back from the day
//! the example is made ([`ExampleDates`]), so that the last release is recent and a new user's
//! first `list`, `check` and site show a healthy repository, not an overdue review. Commits and
//! tags are made as the document's owner, Alex Example, at 09:00 in the repository's time zone.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::clock::Clock;
use crate::doc::Sop;
use crate::release::{ReleaseRequest, apply, plan};
use crate::repo::{Identity, Repo, RepoError};
use crate::version::Bump;
use crate::workspace::{Workspace, WorkspaceError};

/// The example SOP as shipped (version 1.0), dated [`SHIPPED_DATE`].
pub const SOURCE: &str = include_str!("../docs/examples/privacy-settings-sop.md");

/// The date of version 1.0 in [`SOURCE`]: its `effective` date and its revision-history row.
pub const SHIPPED_DATE: &str = "2025-11-08";

/// The role whose approval each release of the example needs (its `approvers`).
pub const APPROVER_ROLE: &str = "QA Manager";

/// The example's approver: signs each release as [`APPROVER_ROLE`] at 08:30 on its day.
pub const APPROVER: (&str, &str) = ("Sam Quality", "sam.quality@example.org");

/// The periodic review of 1.0, by the owner: it asks for the changes 1.1 makes.
pub const REVIEW_NOTE: &str = "Quarterly review: the steps still match the Claude.ai settings page. Operators asked what to do on an Enterprise plan and how to show that the check was done: add an FAQ entry and a record-keeping step.";

/// The example's document ID.
pub const ID: &str = "SOP-IT-001";

/// Where the example goes in the repository.
pub const PATH: &str = "sops/privacy-settings-sop.md";

/// Why the example could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExampleError {
    /// The file exists already.
    #[error("{} exists already", path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// The 1.1 edit, or the dating of 1.0, no longer fits the shipped text (a bug in sopctl).
    #[error("the example's edit does not fit the bundled text: `{0}` not found")]
    EditDoesNotFit(&'static str),
    /// Git failed.
    #[error(transparent)]
    Repo(#[from] RepoError),
    /// The workspace could not be read.
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    /// A release was refused (a bug in sopctl: the example is always releasable).
    #[error("the example release was refused: {0}")]
    Refused(String),
    /// A file could not be written.
    #[error(transparent)]
    Io(#[from] crate::fsx::FsError),
}

/// The edits that make version 1.1: (text to find, replacement). Each must match exactly once.
const EDITS_1_1: [(&str, &str); 4] = [
    (
        "**Estimated Time:** 2-3 minutes",
        "**Estimated Time:** 3-5 minutes",
    ),
    (
        "4. The setting saves automatically (no save button required)\n",
        "4. The setting saves automatically (no save button required)\n5. Take a screenshot of the Privacy page showing the setting and file it with your records\n",
    ),
    (
        "### Q: Are there other ways my data might be used?",
        "### Q: I use Claude through my company's Enterprise plan. Do I need to do anything?\n\nYour organization's administrator manages this setting for everyone. Follow your company's data-handling policy, and ask your IT department if you are unsure whether it applies to you.\n\n### Q: Are there other ways my data might be used?",
    ),
    (
        "## Document Revision History\n",
        "{COMPLIANCE}## Document Revision History\n",
    ),
];

/// The example's text at version 1.1, made from `text` (its 1.0 text as released).
///
/// # Errors
/// [`ExampleError::EditDoesNotFit`] when the shipped text changed and an edit no longer applies.
pub fn edit_to_1_1(text: &str) -> Result<String, ExampleError> {
    let start = text
        .find("## Compliance Notes")
        .ok_or(ExampleError::EditDoesNotFit("## Compliance Notes"))?;
    let compliance = text[start..].trim_end().to_string() + "\n\n";
    let mut out = text[..start].trim_end().to_string() + "\n";
    for (find, replace) in EDITS_1_1 {
        if out.matches(find).count() != 1 {
            return Err(ExampleError::EditDoesNotFit(find));
        }
        out = out.replacen(find, &replace.replace("{COMPLIANCE}", &compliance), 1);
    }
    Ok(out)
}

/// The shipped text with version 1.0 dated `day` (its `effective` date and its row), and the
/// approver role [`APPROVER_ROLE`] added to its front matter.
///
/// # Errors
/// [`ExampleError::EditDoesNotFit`] when the shipped text no longer holds [`SHIPPED_DATE`] in
/// those two places.
pub fn dated_1_0(day: Date) -> Result<String, ExampleError> {
    let mut out = SOURCE.to_string();
    for (what, find, replace) in [
        (
            "effective:",
            format!("\neffective: {SHIPPED_DATE}\n"),
            format!("\neffective: {day}\n"),
        ),
        (
            "| 1.0 |",
            format!("\n| 1.0 | {SHIPPED_DATE} |"),
            format!("\n| 1.0 | {day} |"),
        ),
        (
            "review_interval:",
            "\nreview_interval: quarterly\n".to_string(),
            format!("\nreview_interval: quarterly\napprovers:\n  - {APPROVER_ROLE}\n"),
        ),
    ] {
        if out.matches(&find).count() != 1 {
            return Err(ExampleError::EditDoesNotFit(what));
        }
        out = out.replacen(&find, &replace, 1);
    }
    Ok(out)
}

/// The days of the example's history, counted back from the day it is made. The gaps are
/// those of the document's real history (added 2025-11-07, 1.0 on 2025-11-08, edited
/// 2026-01-20, 1.1 on 2026-02-01); 1.1 is two weeks old, so its quarterly review is due in
/// about eleven weeks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExampleDates {
    /// The first commit of the document: 100 days before today.
    pub added: Date,
    /// Release 1.0: 99 days before today.
    pub release_1_0: Date,
    /// The periodic review of 1.0 that asks for the edit: 30 days before today.
    pub reviewed: Date,
    /// The commit of the edit released as 1.1: 26 days before today.
    pub edited: Date,
    /// Release 1.1: 14 days before today.
    pub release_1_1: Date,
}

impl ExampleDates {
    /// The history of an example made on `today`.
    pub fn before(today: Date) -> ExampleDates {
        let back = |days: i64| today.saturating_sub(jiff::Span::new().days(days));
        ExampleDates {
            added: back(100),
            release_1_0: back(99),
            reviewed: back(30),
            edited: back(26),
            release_1_1: back(14),
        }
    }
}

/// The two releases the example gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleHistory {
    /// The document's path.
    pub path: PathBuf,
    /// The tags made, oldest first.
    pub tags: Vec<String>,
    /// The days of the history.
    pub dates: ExampleDates,
}

/// 09:00 on `day` in `zone`, in seconds since the epoch.
fn time(day: Date, zone: &jiff::tz::TimeZone) -> i64 {
    time_at(day, (9, 0), zone)
}

/// `hour`:`minute` on `day` in `zone`, in seconds since the epoch.
fn time_at(day: Date, (hour, minute): (i8, i8), zone: &jiff::tz::TimeZone) -> i64 {
    day.at(hour, minute, 0, 0)
        .to_zoned_datetime(zone.clone())
        .map_or(0, |z| z.timestamp().as_second())
}

/// Adds the example with its history to the repository at `dir` (already initialised), dated
/// back from today by `clock` in the repository's time zone ([`ExampleDates`]).
///
/// # Errors
/// [`ExampleError::Exists`] when the file is there already; git or file errors.
pub fn create(dir: &Path, clock: impl Into<Clock>) -> Result<ExampleHistory, ExampleError> {
    let clock = clock.into();
    let path = dir.join(PATH);
    if path.exists() {
        return Err(ExampleError::Exists { path });
    }
    let owner = Identity {
        name: "Alex Example".to_string(),
        email: "alex.example@example.org".to_string(),
    };
    let (dates, zone) = {
        let ws = Workspace::discover(dir, clock)?;
        (ExampleDates::before(ws.today), ws.settings.time_zone())
    };
    crate::fsx::write_atomic(&path, dated_1_0(dates.release_1_0)?.as_bytes())?;
    let repo = Repo::discover(dir)?.ok_or(ExampleError::Refused("no repository".into()))?;
    let lock = repo.lock_records(&mut || {})?;
    // The example's history is a demonstration by "Alex Example": never signed with the user's
    // key, and not subject to the hooks of the repository it is added to.
    let recorder = crate::repo::transaction::Recorder {
        lock: &lock,
        options: crate::repo::transaction::RecordOptions {
            sign: crate::repo::sign::SignWhen::Never,
            hooks: false,
        },
    };
    let relative = Path::new(PATH);
    let settings = Path::new(crate::config::FILE_NAME);
    let gitignore = Path::new(".gitignore");
    let mut setup: Vec<&Path> = vec![relative];
    for extra in [settings, gitignore] {
        if dir.join(extra).exists() {
            setup.push(extra);
        }
    }
    repo.commit_files(
        &lock,
        &setup,
        recorder.write(
            "the example's first commit".into(),
            "Add SOP-IT-001 Verifying Claude.ai Privacy Settings",
            &owner,
            Some(time(dates.added, &zone)),
        ),
    )?;
    let maker = Maker {
        dir,
        path: &path,
        clock,
        zone: &zone,
        owner: &owner,
        recorder,
    };
    maker.approve(dates.release_1_0)?;
    let mut tags = vec![maker.release("Initial document creation", dates.release_1_0, None)?];
    repo.commit_files(
        &lock,
        &[],
        recorder.write(
            "the example's periodic review".into(),
            &crate::lifecycle::review_message(ID, REVIEW_NOTE, dates.reviewed, &owner),
            &owner,
            Some(time(dates.reviewed, &zone)),
        ),
    )?;

    let released = String::from_utf8_lossy(&crate::fsx::read(&path)?).into_owned();
    crate::fsx::write_atomic(&path, edit_to_1_1(&released)?.as_bytes())?;
    repo.commit_files(
        &lock,
        &[relative],
        recorder.write(
            "the example's edit".into(),
            "Add a record-keeping step and an FAQ for enterprise plans",
            &owner,
            Some(time(dates.edited, &zone)),
        ),
    )?;
    maker.approve(dates.release_1_1)?;
    tags.push(maker.release(
        "Add a record-keeping step and an FAQ for enterprise plans",
        dates.release_1_1,
        Some(Bump::Minor),
    )?);
    Ok(ExampleHistory { path, tags, dates })
}

/// What each release of the example is made with.
struct Maker<'a> {
    dir: &'a Path,
    path: &'a Path,
    clock: Clock,
    zone: &'a jiff::tz::TimeZone,
    owner: &'a Identity,
    recorder: crate::repo::transaction::Recorder<'a>,
}

impl Maker<'_> {
    /// Records [`APPROVER`]'s approval of the document as it is, as [`APPROVER_ROLE`], at
    /// 08:30 on `date`.
    fn approve(&self, date: Date) -> Result<(), ExampleError> {
        let ws = Workspace::discover(self.dir, self.clock)?;
        let sop = Sop::load(self.path).map_err(|e| ExampleError::Refused(e.to_string()))?;
        let approver = Identity {
            name: APPROVER.0.to_string(),
            email: APPROVER.1.to_string(),
        };
        let at = jiff::Timestamp::from_second(time_at(date, (8, 30), self.zone))
            .map_err(|e| ExampleError::Refused(e.to_string()))?;
        crate::lifecycle::record_approval(
            &ws,
            &self.recorder,
            &sop,
            &approver,
            &crate::lifecycle::Signature {
                role: APPROVER_ROLE,
                meaning: "approved",
                comment: None,
                at,
            },
        )?;
        Ok(())
    }

    /// Releases the document as the owner at 09:00 on `date`; returns the tag made. 1.0 keeps
    /// the author of its row ("-"), 1.1 is the owner's.
    fn release(
        &self,
        summary: &str,
        date: Date,
        bump: Option<Bump>,
    ) -> Result<String, ExampleError> {
        let ws = Workspace::discover(self.dir, self.clock)?;
        let sop = Sop::load(self.path).map_err(|e| ExampleError::Refused(e.to_string()))?;
        let request = ReleaseRequest {
            bump,
            summary: Some(summary.to_string()),
            date: Some(date),
            time: Some(time(date, self.zone)),
            retrain: None,
            identity: Some(self.owner.clone()),
            record: self.recorder.options,
            // The renditions a reader downloads, whose checksums the tags record.
            render: true,
            ..ReleaseRequest::default()
        };
        let plan = plan::prepare(&ws, &sop, &request).map_err(|r| {
            ExampleError::Refused(
                r.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
        apply::apply(&ws, &plan, self.recorder.lock)?;
        Ok(plan.tag_name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_1_1_edit_fits_the_shipped_text_and_moves_compliance_notes_up() {
        let edited = edit_to_1_1(SOURCE).expect("fits");
        let compliance = edited.find("## Compliance Notes").expect("kept");
        let history = edited.find("## Document Revision History").expect("kept");
        assert!(compliance < history);
        assert!(edited.contains("5. Take a screenshot of the Privacy page"));
        assert!(edited.contains("3-5 minutes"));
        assert!(edited.ends_with("| 1.0 | 2025-11-08 | Initial document creation | - |\n"));
    }

    #[test]
    fn the_history_is_dated_back_from_today_with_the_real_gaps() {
        let dates = ExampleDates::before(jiff::civil::date(2026, 1, 15));
        assert_eq!(
            [
                dates.added,
                dates.release_1_0,
                dates.edited,
                dates.release_1_1
            ]
            .map(|d| d.to_string()),
            ["2025-10-07", "2025-10-08", "2025-12-20", "2026-01-01"]
        );
    }

    #[test]
    fn version_1_0_is_dated_in_its_effective_date_and_its_row_only() {
        let text = dated_1_0(jiff::civil::date(2025, 10, 8)).expect("fits");
        assert!(text.contains("\neffective: 2025-10-08\n"));
        assert!(text.contains("\n| 1.0 | 2025-10-08 | Initial document creation | - |\n"));
        assert!(text.contains("\nreview_interval: quarterly\napprovers:\n  - QA Manager\n---\n"));
        assert!(!text.contains(SHIPPED_DATE));
        assert_eq!(
            text.len(),
            SOURCE.len() + "approvers:\n  - QA Manager\n".len()
        );
    }
}
