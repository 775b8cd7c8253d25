//! The record behind each version on the site (issue 20 item 3): the approvals its release
//! carries, the periodic reviews recorded while it was in force, and how the SOP was withdrawn.
//! Everything here is read from git's records (release tags' trailers, review and retirement
//! commits), never from the working copy.

use crate::lifecycle::{Approval, History, Review};
use crate::repo::ReleaseRecord;

/// One signature of the release's manifest (21 CFR 11.50: name, date and time, meaning).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ApprovalEntry {
    /// Printed name.
    pub name: String,
    /// E-mail of the signer.
    pub email: String,
    /// The role signed in.
    pub role: String,
    /// What the signature means: `authored`, `reviewed`, `approved`.
    pub meaning: String,
    /// When it was signed, RFC 3339 in UTC (`2026-11-29T10:02:11Z`).
    pub signed: String,
    /// Why it counts although separation of duties would refuse it (`self-approved`), if so.
    pub exception: Option<String>,
}

/// A periodic review recorded while a version was in force.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReviewEntry {
    /// The day of the review (`2026-04-01`).
    pub date: String,
    /// Who reviewed it (`Name <email>`).
    pub by: String,
    /// The reviewer's note, possibly empty.
    pub note: String,
    /// The short id of the commit that records it.
    pub commit: String,
    /// Whether it is dated before the first version took effect (`review --date` in the
    /// past): listed with that version, and said to be earlier.
    pub early: bool,
}

/// How an SOP was withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct WithdrawalEntry {
    /// `superseded` or `obsolete`.
    pub status: String,
    /// The day it was recorded, in the repository's time zone, when `sopctl retire`
    /// recorded it.
    pub date: Option<String>,
    /// The reason given, when recorded.
    pub reason: Option<String>,
    /// The SOP that replaces it, if any.
    pub successor: Option<String>,
    /// The short id of the commit that records it, when recorded.
    pub commit: Option<String>,
}

/// The signatures a release carries, as its tag's `Approved-by:` trailers record them.
pub fn approvals(record: &ReleaseRecord) -> Vec<ApprovalEntry> {
    Approval::of_release(record)
        .into_iter()
        .map(|a| ApprovalEntry {
            name: a.name,
            email: a.email,
            role: a.role,
            meaning: a.meaning,
            signed: a.date,
            exception: a.exception,
        })
        .collect()
}

/// The reviews of document `id`, dealt to the version in force on each review's day: the
/// newest of `records` (oldest first) effective on or before it (the first, marked `early`,
/// for a review dated before any). Returns one list per record, newest review first.
pub fn reviews_by_version(
    history: &History,
    id: &str,
    records: &[ReleaseRecord],
) -> Vec<Vec<ReviewEntry>> {
    let mut out = vec![Vec::new(); records.len()];
    for review in history.reviews(id) {
        let index = records
            .iter()
            .rposition(|r| r.date <= review.date)
            .unwrap_or(0);
        let early = records
            .first()
            .is_some_and(|first| review.date < first.date);
        if let Some(list) = out.get_mut(index) {
            list.push(entry(review, early));
        }
    }
    out
}

fn entry(review: &Review, early: bool) -> ReviewEntry {
    ReviewEntry {
        date: review.date.to_string(),
        by: review.by.clone(),
        note: review.note.clone(),
        commit: short(&review.commit),
        early,
    }
}

fn short(commit: &str) -> String {
    commit.chars().take(7).collect()
}

/// How document `id` was withdrawn, as `withdrawal` says (from the retirement record or the
/// status), with the recorded day (its commit's time in `zone`, the repository's time zone,
/// as every date of the record), reason and commit when `sopctl retire` recorded it.
pub fn withdrawal(
    history: &History,
    id: &str,
    withdrawal: &crate::lifecycle::standing::Withdrawal,
    zone: &jiff::tz::TimeZone,
) -> WithdrawalEntry {
    let recorded = history.retirement(id);
    let day = |seconds: i64| {
        jiff::Timestamp::from_second(seconds)
            .map(|t| zone.to_datetime(t).date().to_string())
            .ok()
    };
    WithdrawalEntry {
        status: withdrawal.status.to_string(),
        date: recorded.and_then(|r| day(r.time)),
        reason: recorded.map(|r| r.reason.clone()).filter(|r| !r.is_empty()),
        successor: withdrawal.successor.clone(),
        commit: recorded.map(|r| short(&r.commit)),
    }
}
