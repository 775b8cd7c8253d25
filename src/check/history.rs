//! The rules that compare a document with its history in git: the release tags, the
//! reviews and retirements, and the last commit (SPEC §4, §8).
//!
//! Takes the workspace and one parsed document; returns findings in the document's own file
//! (shown as the document was found). Outside a git repository only the review rule applies.

use crate::doc::{DocId, Finding, Location, Sop};
use crate::repo::{ReleaseRecord, Releases, Repo, TagFormat};
use crate::version::DocVersion;
use crate::workspace::Workspace;

/// The document against its history: an overdue periodic review (a warning), a status move
/// the lifecycle does not allow, controlled copies to recall (warnings), the front-matter
/// version against the last release, and the revision table against the release records
/// (SPEC §4, §8).
pub fn findings(ws: &Workspace, sop: &Sop) -> Vec<Finding> {
    let mut findings: Vec<Finding> = review_overdue(ws, sop).into_iter().collect();
    let (Some(repo), Some(id)) = (&ws.repo, sop.id()) else {
        return findings;
    };
    findings.extend(status_move_finding(ws, repo, sop, id));
    findings.extend(tag_name_finding(ws, sop, id));
    if repo.is_shallow() {
        return findings;
    }
    let Ok(releases) = repo.releases(id, &TagFormat::new(&ws.settings.tag_format)) else {
        return findings;
    };
    findings.extend(copies_to_recall(ws, sop, id, &releases));
    let Some(latest) = releases.latest() else {
        return findings;
    };
    findings.extend(version_behind(repo, sop, latest));
    findings.extend(table_against_records(sop, &releases));
    findings
}

/// An error at `version` when the tag its release would get is a name git refuses
/// ([`TagFormat::is_valid_name`]; `1.0-x.lock` makes `SOP-1/v1.0.0-x.lock`): release refuses it.
fn tag_name_finding(ws: &Workspace, sop: &Sop, id: &DocId) -> Option<Finding> {
    let version = sop.metadata.version.as_ref()?;
    let tag = TagFormat::new(&ws.settings.tag_format).name(id, version);
    (!TagFormat::is_valid_name(&tag)).then(|| {
        Finding::error(
            sop.path(),
            value_place(sop, "version"),
            format!(
                "the version {version} would be released under the tag name {tag}, which git does not accept; write the version without it (e.g. `1.0`)"
            ),
        )
    })
}

/// The place of `key`'s value in the front matter, else line 1.
fn value_place(sop: &Sop, key: &str) -> Location {
    sop.front_matter
        .as_ref()
        .and_then(|fm| fm.get(key))
        .map_or(Location { line: 1, column: 1 }, |e| e.value.location())
}

/// A warning at `version` for each controlled copy still out that must be recalled: its
/// version is no longer the one in force, or the SOP is withdrawn (issue 16 item 3).
fn copies_to_recall(ws: &Workspace, sop: &Sop, id: &DocId, releases: &Releases) -> Vec<Finding> {
    use crate::lifecycle::copies::{Standing, recalls};
    let lifecycle = ws.lifecycle();
    let standing = Standing::new(
        releases,
        lifecycle.retirement(id.as_str()).map(|r| r.status),
        ws.today,
    );
    let clashes = lifecycle
        .copies()
        .clashes()
        .iter()
        .filter(|c| c.id == id.as_str())
        // Settled once the holder was issued a copy of their own number since.
        .filter(|c| {
            !lifecycle.copies().of(id.as_str()).any(|other| {
                other.holder == c.holder && other.number > c.number && other.issued >= c.issued
            })
        })
        .map(|c| {
            let kept = lifecycle.copies().get(id.as_str(), c.number);
            Finding::warning(
                sop.path(),
                value_place(sop, "version"),
                format!(
                    "controlled copy No. {} of {id} was issued twice: to {} (commit {}) and to {} on {} (commit {}), on branches merged since; the register keeps the first, so collect the copy held by {} and issue them a new one with  sopctl copy issue {id} --to {}",
                    c.number,
                    kept.map_or("someone", |k| k.holder.as_str()),
                    kept.map_or("?", |k| k.issue_commit.get(..7).unwrap_or(&k.issue_commit)),
                    c.holder,
                    c.issued,
                    c.issue_commit.get(..7).unwrap_or(&c.issue_commit),
                    c.holder,
                    crate::shell::quote(&c.holder)
                ),
            )
        })
        .collect::<Vec<_>>();
    recalls(lifecycle.copies().of(id.as_str()), &standing)
        .into_iter()
        .map(|r| {
            let c = &r.copy;
            Finding::warning(
                sop.path(),
                value_place(sop, "version"),
                format!(
                    "controlled copy No. {} of {id} (version {}, issued to {} on {}) must be recalled: {}; when it comes back, record it with  sopctl copy return {id} {}",
                    c.number, c.version, c.holder, c.issued, r.reason, c.number
                ),
            )
        })
        .chain(clashes)
        .collect()
}

/// A warning at `review_interval` when the periodic review is overdue (SPEC §8).
fn review_overdue(ws: &Workspace, sop: &Sop) -> Option<Finding> {
    let due = crate::lifecycle::next_review(ws, sop).filter(|due| *due < ws.today)?;
    let at = sop
        .front_matter
        .as_ref()
        .and_then(|fm| fm.get("review_interval"))
        .map_or(Location { line: 1, column: 1 }, |e| e.location);
    let interval = sop.metadata.review_interval.as_ref();
    // A lone file has no record to write a review into.
    let record = if ws.is_sop_repository() {
        "review the SOP and record it with  sopctl review -m \"What was checked\""
    } else {
        "review the SOP (a review is recorded with  sopctl review  in a repository of SOPs)"
    };
    Some(Finding::warning(
        sop.path(),
        at,
        format!(
            "the periodic review was due on {due} ({} after the last release or review); {record}",
            interval.map_or("", |i| i.as_str()),
        ),
    ))
}

/// An error at `version` when it is below the last release.
fn version_behind(repo: &Repo, sop: &Sop, latest: &ReleaseRecord) -> Option<Finding> {
    let version = sop
        .metadata
        .version
        .as_ref()
        .filter(|v| **v < latest.version)?;
    // A release made on another branch: this branch has not got it yet.
    let elsewhere = repo
        .head_commit()
        .is_some_and(|head| !repo.is_ancestor(&latest.commit, &head));
    let how = if elsewhere {
        format!(
            ", which was made on another branch: bring that branch in (git merge) before releasing from this one, or release from it; `git branch --contains {}` names it",
            crate::shell::quote(&latest.tag)
        )
    } else {
        String::new()
    };
    Some(Finding::error(
        sop.path(),
        value_place(sop, "version"),
        format!(
            "the version {version} is older than the last release {} (tag {}){how}",
            latest.version, latest.tag
        ),
    ))
}

/// The revision table against the release records: a row that differs from its record, or a
/// release without a row (warnings: the next release writes the table back), or no table.
fn table_against_records(sop: &Sop, releases: &Releases) -> Vec<Finding> {
    use crate::doc::revision_table::{cell_text, escape_cell};
    let path = sop.path();
    let Some(section) = crate::doc::revision_table::find(sop) else {
        return vec![Finding::warning(
            path,
            Location { line: 1, column: 1 },
            "the document has no Revision History section; the next `sopctl release` adds it",
        )];
    };
    let heading = Location {
        line: sop
            .source
            .location(section.heading_end.saturating_sub(1))
            .line,
        column: 1,
    };
    let has_row = |version: &DocVersion| {
        section
            .rows
            .iter()
            .find(|row| row.version.as_ref() == Some(version))
    };
    let mut findings = Vec::new();
    for record in releases
        .records
        .iter()
        .filter(|r| r.by_sopctl && !r.adopted)
    {
        let Some(row) = has_row(&record.version) else {
            continue;
        };
        // Compared as the characters the cells show, whatever escaping they were written with
        // (older releases escaped only `|`).
        let shown = |value: &str| cell_text(&escape_cell(value));
        let expected = [
            record.date.to_string(),
            shown(&record.summary),
            shown(&record.author),
        ];
        let actual: Vec<String> = row
            .cells
            .iter()
            .skip(1)
            .take(3)
            .map(|c| cell_text(c))
            .collect();
        if actual != expected {
            findings.push(Finding::warning(
                path,
                heading,
                format!(
                    "the revision history row for {} differs from its release record ({} | {} | {}); the next `sopctl release` writes the record's values back",
                    record.version, expected[0], expected[1], expected[2]
                ),
            ));
        }
    }
    let missing: Vec<String> = releases
        .records
        .iter()
        .filter(|r| has_row(&r.version).is_none())
        .map(|r| r.version.to_string())
        .collect();
    if !missing.is_empty() {
        findings.push(Finding::warning(
            path,
            heading,
            format!(
                "the revision history has no row for the release {}; the next `sopctl release` writes it",
                missing.join(", ")
            ),
        ));
    }
    findings
}

/// An error at `status` when it says `superseded` or `obsolete` and no retirement of `id` is
/// on record.
fn never_retired(ws: &Workspace, sop: &Sop, id: &DocId, at: Location) -> Option<Finding> {
    let now = sop.metadata.status_or_default();
    if ws.lifecycle().retirement(id.as_str()).is_some()
        || !matches!(
            now,
            crate::doc::Status::Superseded | crate::doc::Status::Obsolete
        )
    {
        return None;
    }
    Some(Finding::error(
        sop.path(),
        at,
        format!(
            "status: {now} is set by  sopctl retire -m \"Why\"  (which records the reason), and {id} was never retired; write `status: draft` (or leave the status out) until it is"
        ),
    ))
}

/// The status as written against the status in the last commit (SPEC §8): a move the lifecycle
/// does not allow, or a hand-made move that a command must make (`effective` is set by
/// `sopctl release`, `superseded` and `obsolete` by `sopctl retire`, which record why), is an
/// error at the `status` line.
fn status_move_finding(ws: &Workspace, repo: &Repo, sop: &Sop, id: &DocId) -> Option<Finding> {
    let now = sop.metadata.status_or_default();
    let at = value_place(sop, "status");
    if let Some(retired) = ws.lifecycle().retirement(id.as_str())
        && retired.status != now
    {
        let short = retired.commit.get(..7).unwrap_or(&retired.commit);
        return Some(Finding::error(
            sop.path(),
            at,
            format!(
                "status: {now}, but {id} was withdrawn as {} in commit {short}; a retired SOP stays retired: put back `status: {}` (write a new SOP instead)",
                retired.status, retired.status
            ),
        ));
    }
    let relative = repo.relative(sop.path());
    let before = repo
        .head_commit()
        .and_then(|head| repo.document_at(&head, id, relative.as_deref()))
        .and_then(|(path, bytes)| Sop::from_bytes(&path, bytes).ok())
        .map(|sop| sop.metadata.status_or_default());
    // No move since the last commit (or a new file): a retired status without a retirement on
    // record was written by hand, and release would refuse it as retired.
    let Some(before) = before.filter(|b| *b != now) else {
        return never_retired(ws, sop, id, at);
    };
    let message = if !before.can_move_to(now) {
        let allowed: Vec<&str> = before.moves().iter().map(|s| s.as_str()).collect();
        if allowed.is_empty() {
            format!(
                "status: {before} cannot change to {now}; a retired SOP stays retired (write a new SOP instead)"
            )
        } else {
            format!(
                "status: {before} cannot change to {now}; from {before} it can move to {}",
                allowed.join(", ")
            )
        }
    } else if now == crate::doc::Status::Effective {
        format!(
            "status: {before} → effective is made by  sopctl release  (which records the version and date); put back `{before}`"
        )
    } else if matches!(
        now,
        crate::doc::Status::Superseded | crate::doc::Status::Obsolete
    ) {
        format!(
            "status: {now} is set by  sopctl retire -m \"Why\"  (which records the reason); put back `{before}` and run it"
        )
    } else {
        return None;
    };
    Some(Finding::error(sop.path(), at, message))
}
