//! The approvals a release tag lists (`Approved-by:`), against the approval commits (SPEC §8).
//!
//! Each listed approval must be recorded by an approval commit made since the release before
//! (an ancestor of the release commit, not of the previous release's) with the same name,
//! e-mail, role, meaning and time. What it approved must be what was released: the approval's
//! content hash ([`crate::lifecycle::content_hash`], the lifecycle's one rule) is the hash of the
//! text the release started from (the file in the release commit's parent, which `approve`
//! required to be committed), and the released file is that text with only what `release`
//! writes changed: the managed front-matter values, which the hash leaves out, and the
//! revision-history table, which is put back as it was before the hash is taken again.

use crate::doc::{DocId, Sop, revision_table};
use crate::lifecycle::{Approval, content_hash};
use crate::repo::ReleaseRecord;
use crate::repo::inspect::StoredCommit;

use super::records::ApprovalCommit;
use super::signature::Verdict;
use super::{Context, Kind, ListedApproval, Problem, commit_place, tag_place};

/// Checks the approvals of `records[index]`, whose released file is `released` and whose
/// commit is `commit`.
pub(crate) fn check(
    ctx: &Context<'_>,
    id: &DocId,
    records: &[ReleaseRecord],
    index: usize,
    released: &Sop,
    commit: &StoredCommit,
) -> (Vec<ListedApproval>, Vec<Problem>) {
    let Some(record) = records.get(index) else {
        return (Vec::new(), Vec::new());
    };
    let previous = index
        .checked_sub(1)
        .and_then(|i| records.get(i))
        .map(|r| r.commit.as_str());
    let tag_at = tag_place(&record.tag);
    let mut problems = Vec::new();
    let mut listed = Vec::new();
    // Read only when the tag lists approvals.
    let started_from = if record.approvals.is_empty() {
        None
    } else {
        commit
            .first_parent
            .as_deref()
            .and_then(|parent| ctx.document(parent, id))
    };
    for trailer in &record.approvals {
        let approval = Approval::from_trailer(trailer);
        let found = recorded(ctx, id, &approval, &record.commit, previous);
        let Some(found) = found else {
            problems.push(Problem::new(
                &tag_at,
                Kind::Approval,
                format!(
                    "it lists an approval by {} <{}> as {} on {}, but no approval commit since the release before records it",
                    approval.name, approval.email, approval.role, approval.date
                ),
            ));
            listed.push(ListedApproval {
                approval,
                commit: None,
                signature: Verdict::Unsigned,
            });
            continue;
        };
        let files_problem = commit
            .first_parent
            .as_deref()
            .and_then(|parent| files_problem(ctx, started_from.as_ref()?, parent, &found.approval));
        if let Some(text) =
            content_problem(released, started_from.as_ref(), &found.approval).or(files_problem)
        {
            problems.push(Problem::new(
                &commit_place(&found.commit),
                Kind::Approval,
                text,
            ));
        }
        let signature = ctx
            .repo()
            .stored_commit(&found.commit)
            .map_or(Verdict::Unsigned, |c| {
                let who = (Some(approval.email.as_str()), Some(approval.role.as_str()));
                let at = c.id.clone();
                ctx.trust
                    .check(ctx.repo(), &at, c.signature.as_ref(), c.time, who)
                    .verdict
            });
        listed.push(ListedApproval {
            approval,
            commit: Some(found.commit.clone()),
            signature,
        });
    }
    for who in &released.metadata.approvers {
        if !listed.iter().any(|l| l.approval.covers(who)) {
            problems.push(Problem::new(
                &tag_at,
                Kind::Approval,
                format!(
                    "the released file names {who} among its approvers, but the tag lists no approval by them"
                ),
            ));
        }
    }
    (listed, problems)
}

/// The approval commit that records `approval` of `id` between the release before
/// (`previous`, excluded) and the release commit `release`.
fn recorded<'c>(
    ctx: &'c Context<'_>,
    id: &DocId,
    approval: &Approval,
    release: &str,
    previous: Option<&str>,
) -> Option<&'c ApprovalCommit> {
    ctx.approvals.iter().find(|c| {
        let a = &c.approval;
        c.document == id.as_str()
            && (&a.name, &a.email, &a.role, &a.meaning, &a.date)
                == (
                    &approval.name,
                    &approval.email,
                    &approval.role,
                    &approval.meaning,
                    &approval.date,
                )
            && ctx.repo().is_ancestor(&c.commit, release)
            && previous.is_none_or(|p| !ctx.repo().is_ancestor(&c.commit, p))
    })
}

/// Whether the approval covers the files the text started from embeds (its images, as they were
/// in `parent`, the commit the release was made from), in words when it does not.
fn files_problem(
    ctx: &Context<'_>,
    before: &Sop,
    parent: &str,
    approved: &Approval,
) -> Option<String> {
    let relative = ctx
        .repo()
        .relative(before.path())
        .unwrap_or_else(|| before.path().to_path_buf());
    let files = crate::render::images::CommitFiles {
        repo: ctx.repo(),
        commit: parent.to_string(),
    };
    let held = crate::lifecycle::files_hash(before, &relative, &files);
    (held != approved.files).then(|| {
        format!(
            "{} ({}) approved the images as {}, but the release was made with images {}: an image changed after the approval",
            approved.name,
            approved.role,
            approved.files.as_deref().unwrap_or("none"),
            held.as_deref().unwrap_or("none")
        )
    })
}

/// Whether the approval covers the released text, in words when it does not.
fn content_problem(
    released: &Sop,
    started_from: Option<&Sop>,
    approved: &Approval,
) -> Option<String> {
    let who = format!("{} ({})", approved.name, approved.role);
    let Some(before) = started_from else {
        return Some(format!(
            "the approval by {who} cannot be matched with the released text: the commit before the release holds no copy of the SOP"
        ));
    };
    let before_hash = content_hash(before);
    if before_hash != approved.content {
        return Some(format!(
            "{who} approved content {}, but the release was made from other content ({before_hash})",
            approved.content
        ));
    }
    if !released_as_approved(released, before, &approved.content) {
        return Some(format!(
            "the released file differs from the text {who} approved in more than the version, effective date, status and revision history"
        ));
    }
    None
}

/// Whether `released` is `before` with only the managed values and the revision-history table
/// changed: the released text with its table put back as `before` had it must hash to
/// `approved`. Where `before` had no table (or no section), `release` added one with up to two
/// line endings around it; each way it could have is tried.
fn released_as_approved(released: &Sop, before: &Sop, approved: &str) -> bool {
    let text = released.source.text();
    let Some(table) = revision_table::find(released).and_then(|s| s.table) else {
        return content_hash(released) == approved;
    };
    let (Some(head), Some(tail)) = (text.get(..table.start), text.get(table.end..)) else {
        return false;
    };
    let hashes = |candidate: String| {
        Sop::from_bytes(released.path(), candidate.into_bytes())
            .is_ok_and(|sop| content_hash(&sop) == approved)
    };
    let old = revision_table::find(before);
    if let Some(range) = old.as_ref().and_then(|s| s.table.clone()) {
        let old_table = before.source.text().get(range).unwrap_or_default();
        return hashes(format!("{head}{old_table}{tail}"));
    }
    // The table (and, without a section, the heading) was added: take it out with the line
    // endings release put around it.
    let start = match old {
        Some(_) => head.len(),
        None => head
            .trim_end_matches(['\n', '\r'])
            .rfind(['\n', '\r'])
            .map_or(0, |i| i + 1),
    };
    let kept = text.get(..start).unwrap_or_default();
    (0..=2).any(|cut_before| {
        let mut end = kept;
        for _ in 0..cut_before {
            end = end
                .strip_suffix("\r\n")
                .or_else(|| end.strip_suffix('\n'))
                .unwrap_or(end);
        }
        let after = if old.is_some() { tail } else { "" };
        (0..=1).any(|cut_after| {
            let rest = if cut_after == 1 {
                after
                    .strip_prefix("\r\n")
                    .or_else(|| after.strip_prefix('\n'))
                    .unwrap_or(after)
            } else {
                after
            };
            hashes(format!("{end}{rest}"))
        })
    })
}
