//! The lifecycle's records (SPEC §8): approval, review and retirement commits, each checked for
//! the trailers its command writes, values that parse, and its signature. An approval commit
//! must also hold the text it approves: `approve` refuses uncommitted text, so the document in
//! the approval commit hashes ([`crate::lifecycle::content_hash`]) to its `Approval-Content`.

use crate::doc::{DocId, Status};
use crate::lifecycle::{Approval, content_hash};
use crate::repo::inspect::StoredCommit;

use super::{Context, Kind, Problem, RecordKind, RecordReport, commit_place};

/// The trailers that make a commit a lifecycle record.
pub const KEYS: [&str; 3] = ["Approval-Document", "Review-Document", "Retired-Document"];

/// The meanings an approval may have (`sopctl approve --meaning`).
const MEANINGS: [&str; 3] = ["authored", "reviewed", "approved"];

/// An approval commit, as read, for the releases to find.
#[derive(Debug, Clone)]
pub struct ApprovalCommit {
    /// The commit.
    pub commit: String,
    /// The SOP approved.
    pub document: String,
    /// The approval's trailers.
    pub approval: Approval,
}

/// Checks every record about one of `ids`; returns the reports and the approval commits, for
/// the releases.
pub(crate) fn check(
    ctx: &Context<'_>,
    stored: &[StoredCommit],
    ids: &[DocId],
) -> (Vec<RecordReport>, Vec<ApprovalCommit>) {
    let mut out = Vec::new();
    let mut approvals = Vec::new();
    for commit in stored {
        let m = &commit.message;
        let (kind, key) = if m.trailer("Approval-Document").is_some() {
            (RecordKind::Approval, "Approval-Document")
        } else if m.trailer("Review-Document").is_some() {
            (RecordKind::Review, "Review-Document")
        } else {
            (RecordKind::Retirement, "Retired-Document")
        };
        let named = m.trailer(key).unwrap_or("").to_string();
        if !ids.iter().any(|id| id.as_str() == named) {
            continue;
        }
        let place = commit_place(&commit.id);
        let mut problems = Vec::new();
        let (what, email) = match kind {
            RecordKind::Approval => {
                let approval = Approval::from_record(m);
                problems.extend(approval_problems(ctx, commit, &named, &approval));
                approvals.push(ApprovalCommit {
                    commit: commit.id.clone(),
                    document: named.clone(),
                    approval: approval.clone(),
                });
                (
                    format!(
                        "{} by {} ({})",
                        approval.meaning, approval.name, approval.role
                    ),
                    approval.email,
                )
            }
            RecordKind::Review => {
                let (what, texts) = review(commit);
                problems.extend(texts);
                let by = m.trailer("Review-By").unwrap_or("");
                let email = by
                    .split_once('<')
                    .map(|(_, e)| e.trim_end_matches('>').trim().to_string());
                (what, email.unwrap_or_default())
            }
            RecordKind::Retirement => {
                let (what, texts) = retirement(commit);
                problems.extend(texts);
                (what, commit.author.email.clone())
            }
        };
        let mut problems: Vec<Problem> = problems
            .into_iter()
            .map(|text| Problem::new(&place, Kind::Record, text))
            .collect();
        let role = matches!(kind, RecordKind::Approval).then(|| m.trailer("Approval-Role"));
        let checked = ctx.trust.check(
            ctx.repo(),
            &commit.id,
            commit.signature.as_ref(),
            commit.time,
            (Some(&email), role.flatten()),
        );
        let signature = checked.verdict;
        if let Some(text) = checked.problem {
            problems.push(Problem::new(&place, Kind::Signature, text));
        }
        out.push(RecordReport {
            kind,
            id: named,
            commit: commit.id.clone(),
            what,
            signature,
            problems,
        });
    }
    (out, approvals)
}

/// The trailers of `m` among `keys` that are missing or empty, in words.
fn missing(commit: &StoredCommit, keys: &[&str]) -> Vec<String> {
    keys.iter()
        .filter(|k| commit.message.trailer(k).is_none_or(str::is_empty))
        .map(|k| format!("the record has no {k} trailer"))
        .collect()
}

fn approval_problems(
    ctx: &Context<'_>,
    commit: &StoredCommit,
    named: &str,
    approval: &Approval,
) -> Vec<String> {
    let mut out = missing(
        commit,
        &[
            "Approval-Role",
            "Approval-Meaning",
            "Approval-Name",
            "Approval-Email",
            "Approval-Date",
            "Approval-Content",
        ],
    );
    if !approval.meaning.is_empty() && !MEANINGS.contains(&approval.meaning.as_str()) {
        out.push(format!(
            "its meaning `{}` is none of authored, reviewed, approved",
            approval.meaning
        ));
    }
    if !approval.date.is_empty() && approval.date.parse::<jiff::Timestamp>().is_err() {
        out.push(format!(
            "its date `{}` is not a date and time (such as 2026-11-29T10:02:11Z)",
            approval.date
        ));
    }
    let Ok(id) = DocId::parse(named) else {
        out.push(format!("`{named}` is not a document ID"));
        return out;
    };
    if approval.content.is_empty() {
        return out;
    }
    match ctx.document(&commit.id, &id) {
        None => out.push(format!(
            "the commit holds no file with the ID {id}, so what was approved cannot be shown"
        )),
        Some(sop) => {
            let held = content_hash(&sop);
            if held != approval.content {
                out.push(format!(
                    "it records the approval of content {}, but the document in this commit is {held}",
                    approval.content
                ));
            }
            let files = crate::render::images::CommitFiles {
                repo: ctx.repo(),
                commit: commit.id.clone(),
            };
            let embedded = crate::lifecycle::files_hash(&sop, sop.path(), &files);
            if embedded != approval.files {
                out.push(format!(
                    "it records the approval of images {}, but the images the document shows in this commit are {}",
                    approval.files.as_deref().unwrap_or("none"),
                    embedded.as_deref().unwrap_or("none")
                ));
            }
        }
    }
    out
}

fn review(commit: &StoredCommit) -> (String, Vec<String>) {
    let m = &commit.message;
    let mut out = missing(commit, &["Review-Date", "Review-By"]);
    let date = m.trailer("Review-Date").unwrap_or("");
    if !date.is_empty() && date.parse::<jiff::civil::Date>().is_err() {
        out.push(format!("its date `{date}` is not a date (YYYY-MM-DD)"));
    }
    let by = m.trailer("Review-By").unwrap_or("");
    let names_someone = by.contains(" <") && by.ends_with('>');
    if !by.is_empty() && !names_someone {
        out.push(format!(
            "its Review-By `{by}` is not a name and e-mail (Name <email>)"
        ));
    }
    (format!("periodic review on {date}"), out)
}

fn retirement(commit: &StoredCommit) -> (String, Vec<String>) {
    let m = &commit.message;
    let mut out = missing(commit, &["Retired-Status"]);
    let status = m.trailer("Retired-Status").unwrap_or("");
    let successor = m.trailer("Superseded-By");
    match Status::parse(status) {
        Some(Status::Superseded) if successor.is_none_or(str::is_empty) => {
            out.push("it says superseded but has no Superseded-By trailer".to_string());
        }
        Some(Status::Superseded | Status::Obsolete) => {}
        _ if status.is_empty() => {}
        _ => out.push(format!(
            "its status `{status}` is neither superseded nor obsolete"
        )),
    }
    let what = match successor {
        Some(s) => format!("withdrawn as {status}, superseded by {s}"),
        None => format!("withdrawn as {status}"),
    };
    (what, out)
}
