//! RELEASE: plan → verify → apply (SPEC §5).
//!
//! [`plan::prepare`] takes the workspace, the document and the request and returns either a
//! complete [`ReleasePlan`] (everything `--dry-run` prints and `apply` carries out: the new
//! version, the new file, the messages, the tag) or **every** [`Refusal`] at once. Nothing is
//! decided later: [`apply::apply`] only executes the plan, as a git transaction that undoes
//! itself on failure (see [`crate::repo::transaction`]).

pub mod apply;
pub mod plan;
pub mod signers;

use std::path::PathBuf;

use jiff::civil::Date;

use crate::doc::{DocId, Finding, SourceText};
use crate::repo::Identity;
use crate::version::{Bump, DocVersion};

/// What the user asked for.
#[derive(Debug, Clone, Default)]
pub struct ReleaseRequest {
    /// `--major`, `--minor` or `--patch`.
    pub bump: Option<Bump>,
    /// `--set-version`.
    pub set_version: Option<DocVersion>,
    /// `-m`: why this version exists.
    pub summary: Option<String>,
    /// `--author`; default: the git identity's name.
    pub author: Option<String>,
    /// `--effective` (or `--date`); default: today in the reference time zone ([`crate::workspace::Workspace::today`]).
    pub date: Option<Date>,
    /// Commit and tag time (seconds since the epoch); default: now.
    pub time: Option<i64>,
    /// Whether the audience must train on this version again (issue 17): `Some(false)` for
    /// `--no-retrain` (an editorial change); `None`: a first, major or minor release does, a
    /// patch release only with `retrain_on_patch`. Recorded in the tag (`Retrain:`).
    pub retrain: Option<bool>,
    /// Who commits and tags; default: the git identity (`user.name`, `user.email`).
    pub identity: Option<Identity>,
    /// Write the renditions into the output folder (SPEC §5.4); `--no-render` turns it off.
    pub render: bool,
    /// Signing and hooks for the release commit and tag.
    pub record: crate::repo::transaction::RecordOptions,
}

/// A reason not to release. All of them are collected and shown together; the repository is
/// left exactly as it was.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    /// The document is not in a git repository.
    #[error("{} is not in a git repository", path.display())]
    NotARepository {
        /// The document.
        path: PathBuf,
    },
    /// A shallow clone: older releases may be missing (`cases/` B18).
    #[error(
        "this is a shallow clone: its history and release tags are incomplete, so the next version cannot be worked out"
    )]
    Shallow,
    /// A merge, rebase, … is in progress.
    #[error("{0} is in progress in this repository")]
    Unfinished(&'static str),
    /// HEAD is not on a branch.
    #[error(
        "you are not on a branch (detached HEAD), so the release commit would belong to no branch"
    )]
    DetachedHead,
    /// Other files have uncommitted changes.
    #[error("other files have uncommitted changes: {}", .0.iter().map(|p| p.display().to_string()).collect::<Vec<_>>().join(", "))]
    OtherChanges(Vec<PathBuf>),
    /// The document is exactly as it was at its last release.
    #[error("nothing changed in {id} since its release {version}")]
    NothingChanged {
        /// The document.
        id: DocId,
        /// Its last release.
        version: DocVersion,
    },
    /// Not the first release, and no bump or version was given.
    #[error(
        "say how much {id} changed since {latest}: --major, --minor or --patch (or --set-version)"
    )]
    NoBump {
        /// The document.
        id: DocId,
        /// Its last release.
        latest: DocVersion,
    },
    /// The part to bump is already the largest number a version can hold.
    #[error(
        "{version} cannot be raised further: a part of it is at the largest number a version holds"
    )]
    CannotBump {
        /// The version to bump.
        version: DocVersion,
    },
    /// The new version is not above the last release.
    #[error("the new version {new} is not higher than the last release {latest}")]
    NotHigher {
        /// The version asked for.
        new: DocVersion,
        /// The last release.
        latest: DocVersion,
    },
    /// `--effective` before the last release's date.
    #[error("the effective date {date} is before the last release {latest} ({latest_date})")]
    DateBeforeLastRelease {
        /// The date asked for.
        date: Date,
        /// The last release.
        latest: DocVersion,
        /// Its date.
        latest_date: Date,
    },
    /// `--effective` before today: a release cannot take effect in the past (issue 16).
    #[error(
        "the effective date {date} is before today ({today}): a release takes effect today or later"
    )]
    DateInThePast {
        /// The date asked for.
        date: Date,
        /// Today, in the reference time zone.
        today: Date,
    },
    /// No `--effective`, and today (in the reference time zone) is before the last release's date:
    /// it was released to take effect later, or dated in a zone ahead of this one (`cases/` B34).
    #[error(
        "the effective date would be today, {today} (in the time zone {zone}), which is before the last release {latest} ({latest_date})"
    )]
    TodayBeforeLastRelease {
        /// Today's date in the reference zone.
        today: Date,
        /// The reference zone's name (`UTC`, `Europe/Berlin`).
        zone: String,
        /// The last release.
        latest: DocVersion,
        /// Its date.
        latest_date: Date,
    },
    /// `--author` on the first release of a document adopted as it is, naming someone other
    /// than the author its revision-history row gives: that row stays as written.
    #[error(
        "--author \"{given}\" is not the author the revision history gives for {version} ({row}), and the row of a version released before sopctl stays as written"
    )]
    AuthorNotInRow {
        /// The version adopted.
        version: DocVersion,
        /// The author given.
        given: String,
        /// The author in its row.
        row: String,
    },
    /// A superseded or obsolete document.
    #[error("the document is {0}: a retired document is not released again")]
    Retired(crate::doc::Status),
    /// Approvers listed in the front matter have not approved this content.
    #[error("approval missing from: {}{}{}", .missing.join(", "), removed_note(.missing, .removed), voided_note(.voided))]
    MissingApprovals {
        /// The approvers (roles or names) without a valid approval.
        missing: Vec<String>,
        /// Those of them that were taken off `approvers` since the last release: they approve
        /// that change too ([`crate::lifecycle::approvers_needed`]).
        removed: Vec<String>,
        /// Approvals of theirs that an edit voided: `Dana Quality (QA Manager) on 2026-11-29`.
        voided: Vec<String>,
    },
    /// An approval by someone who changed the document since its last release does not count
    /// (separation of duties, [`crate::lifecycle::duties`]).
    #[error("the approval as {role} by {name} <{email}> does not count: they changed {id} since its last release ({}), and an approver may not approve their own change", commits_note(.commits))]
    SelfApproval {
        /// The document.
        id: DocId,
        /// The entry of `approvers` the approval was for.
        role: String,
        /// The approver.
        name: String,
        /// The approver's e-mail address.
        email: String,
        /// The short ids of the commits they authored, newest first.
        commits: Vec<String>,
    },
    /// One person approved in more than one approver role of the release (separation of
    /// duties, [`crate::lifecycle::duties`]).
    #[error("{name} <{email}> approved as {}: one person fills only one approver role of a release", roles.join(" and "))]
    SamePerson {
        /// The approver.
        name: String,
        /// The approver's e-mail address.
        email: String,
        /// The entries of `approvers` they approved as.
        roles: Vec<String>,
    },
    /// With `signatures = "required"`: an approval whose commit is not signed by the person it
    /// names with a key of the signers registry allowed the role ([`signers`]).
    #[error("the approval by {approval} does not count: {problem}")]
    UnsignedApproval {
        /// Who approved, in which role, when: `Dana Quality <dana@example.org> as QA Manager on …`.
        approval: String,
        /// What is wrong with its signature, in plain words.
        problem: String,
    },
    /// With `signatures = "required"`: the release would not be signed by the person releasing
    /// with a key of the signers registry ([`signers`]).
    #[error("{reason}")]
    Signer {
        /// Why, in plain words ([`crate::people::signers::SignerRefusal`]).
        reason: String,
        /// What to do about it.
        fix: Option<String>,
    },
    /// The tag name is one git refuses (`git check-ref-format`).
    #[error("the tag name {0} is not one git accepts")]
    BadTagName(String),
    /// The `out` folder cannot receive renditions.
    #[error(transparent)]
    BadOutputFolder(crate::paths::OutputDirError),
    /// A template of the repository's `templates/` leads outside the repository
    /// ([`crate::templates::outside_overrides`]); the renditions would need it.
    #[error("the template {0}")]
    TemplateOutside(crate::paths::Outside),
    /// The tag exists already.
    #[error("the tag {0} exists already")]
    TagExists(String),
    /// No `-m`.
    #[error("a release needs a summary of what changed and why (-m)")]
    NoSummary,
    /// No git identity (`cases/` B19).
    #[error("git does not know who you are: {missing} not set")]
    NoIdentity {
        /// What is missing, as in [`crate::repo::RepoError::NoIdentity`].
        missing: &'static str,
    },
    /// `check` finds errors in the document.
    #[error("sopctl check finds {} {}", .0.len(), if .0.len() == 1 { "error" } else { "errors" })]
    CheckFailed(Vec<Finding>),
    /// The document lies outside the repository's work tree.
    #[error("{} is outside the git repository", path.display())]
    OutsideRepository {
        /// The document.
        path: PathBuf,
    },
}

/// A checked release, ready to apply.
#[derive(Debug, Clone)]
pub struct ReleasePlan {
    /// Signing and hooks for the release commit and tag.
    pub record: crate::repo::transaction::RecordOptions,
    /// The document.
    pub id: DocId,
    /// Its title.
    pub title: String,
    /// The document file (absolute).
    pub path: PathBuf,
    /// The same, relative to the work tree.
    pub relative: PathBuf,
    /// The last release, if any.
    pub from: Option<DocVersion>,
    /// The version being released.
    pub to: DocVersion,
    /// The effective date.
    pub effective: Date,
    /// The author in the revision history.
    pub author: String,
    /// The summary.
    pub summary: String,
    /// The document after the release: version, effective date, status and table updated.
    pub new_source: SourceText,
    /// The regenerated revision-history table.
    pub table: String,
    /// The front-matter keys that change.
    pub changed_keys: Vec<&'static str>,
    /// The status before the release (it becomes `effective`).
    pub status_before: crate::doc::Status,
    /// Whether this first release brings an existing document under sopctl as it is.
    pub adopting: bool,
    /// The approvals the release carries (one per entry of `approvers`).
    pub signatures: Vec<crate::lifecycle::Approval>,
    /// The release commit's message.
    pub commit_message: String,
    /// The branch the commit goes on (`main`).
    pub branch: String,
    /// The tag's name.
    pub tag_name: String,
    /// The tag's message (summary and trailers).
    pub tag_message: String,
    /// Committer and tagger.
    pub identity: Identity,
    /// Commit and tag time; `None`: now.
    pub time: Option<i64>,
    /// Renditions to write: `{out}/{id}/{version}/{id}-v{version}.html` (SPEC §5.4).
    pub renders: Vec<PathBuf>,
}

/// `commit abc1234`, or `commits abc1234, def5678, …` (three at most).
fn commits_note(commits: &[String]) -> String {
    let shown: Vec<&str> = commits.iter().take(3).map(String::as_str).collect();
    let more = if commits.len() > 3 { ", …" } else { "" };
    match commits.len() {
        1 => format!("commit {}", shown.join(", ")),
        _ => format!("commits {}{more}", shown.join(", ")),
    }
}

/// The part of the missing-approvals message that names approvals voided by a later edit.
fn removed_note(missing: &[String], removed: &[String]) -> String {
    let taken: Vec<&str> = missing
        .iter()
        .filter(|m| removed.contains(m))
        .map(String::as_str)
        .collect();
    match taken.as_slice() {
        [] => String::new(),
        [one] => format!(
            " ({one} was taken off `approvers` since the last release, and approves that change too)"
        ),
        many => format!(
            " ({} were taken off `approvers` since the last release, and approve that change too)",
            many.join(" and ")
        ),
    }
}

fn voided_note(voided: &[String]) -> String {
    if voided.is_empty() {
        String::new()
    } else {
        format!(
            " (the approval by {} was for the text before a later edit)",
            voided.join(" and ")
        )
    }
}
