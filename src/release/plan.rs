//! PLAN and VERIFY: from a request to a [`ReleasePlan`], or every [`Refusal`] (SPEC §5.1).

use crate::doc::revision_table::{self, HistoryEntry};
use crate::doc::{Sop, Status};
use crate::repo::records::release_message;
use crate::repo::{ReleaseRecord, Releases, RepoError, TagFormat};
use crate::version::{Bump, DocVersion};
use crate::workspace::Workspace;

use super::{Refusal, ReleasePlan, ReleaseRequest};

/// The revision-history rows for a list of release records.
pub fn history_entries(records: &[ReleaseRecord]) -> Vec<HistoryEntry> {
    records
        .iter()
        .map(|r| HistoryEntry {
            version: r.version.clone(),
            date: r.date.to_string(),
            changes: r.summary.clone(),
            author: r.author.clone(),
            approved_by: r
                .approvals
                .iter()
                .map(|t| {
                    let a = crate::lifecycle::Approval::from_trailer(t);
                    format!("{} ({})", a.name, a.role)
                })
                .collect(),
        })
        .collect()
}

/// Works out the release of `sop`, checking every rule of SPEC §5.1.
///
/// The first release of a document releases the version in its front matter (a bump or
/// `--set-version` still applies if given); later releases need one of them. The plan writes
/// `version` (in full), `effective` and `status: effective` in place, regenerates the revision
/// table from the records plus the new one, and names the commit and the tag.
///
/// # Errors
/// Every refusal that applies, all at once.
pub fn prepare(
    ws: &Workspace,
    sop: &Sop,
    request: &ReleaseRequest,
) -> Result<ReleasePlan, Vec<Refusal>> {
    let mut refusals = Vec::new();
    let path = sop.path().to_path_buf();
    // Shown as the user would type it: from the working directory, `..` worked out.
    let shown = || ws.display_path(&crate::fsx::resolve_existing_prefix(&path));
    let Some(repo) = &ws.repo else {
        return Err(vec![Refusal::NotARepository { path: shown() }]);
    };
    let Some(relative) = repo.relative(&path) else {
        return Err(vec![Refusal::OutsideRepository { path: shown() }]);
    };

    if repo.is_shallow() {
        refusals.push(Refusal::Shallow);
    }
    if let Some(op) = repo.unfinished_operation() {
        refusals.push(Refusal::Unfinished(op));
    }
    if repo.head_detached() {
        refusals.push(Refusal::DetachedHead);
    }
    match repo.changed_files() {
        Ok(files) => {
            let others: Vec<_> = files.into_iter().filter(|f| f != &relative).collect();
            if !others.is_empty() {
                refusals.push(Refusal::OtherChanges(others));
            }
        }
        Err(_) => refusals.push(Refusal::Unfinished("an unreadable status")),
    }
    let identity = match request.identity.clone().map_or_else(|| repo.identity(), Ok) {
        Ok(i) => Some(i),
        Err(RepoError::NoIdentity { missing }) => {
            refusals.push(Refusal::NoIdentity { missing });
            None
        }
        Err(_) => {
            refusals.push(Refusal::NoIdentity {
                missing: "user.name and user.email are",
            });
            None
        }
    };
    let summary_text = request
        .summary
        .as_deref()
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    let summary = summary_text.as_str();
    if summary.is_empty() {
        refusals.push(Refusal::NoSummary);
    }
    // Exactly the errors `sopctl check` prints for this file: the document's own, another file
    // with the same ID (or one differing only in capitals), a tag format the SOPs would share.
    let errors = crate::check::errors_of(ws, sop);
    if !errors.is_empty() {
        refusals.push(Refusal::CheckFailed(errors));
    }
    // A retired document is not released again (SPEC §8: superseded and obsolete are final).
    // The recorded retirement counts even when the front matter was edited back by hand.
    if let Some(status) = crate::lifecycle::retired_status(ws, sop) {
        refusals.push(Refusal::Retired(status));
    }
    // Without a valid ID nothing more can be worked out.
    let (Some(id), Some(_)) = (sop.id().cloned(), sop.front_matter.as_ref()) else {
        return Err(refusals);
    };
    // Approvals bound to this content, one for each entry of `approvers` (SPEC §8).
    let signatures = if sop.metadata.approvers.is_empty() {
        Vec::new()
    } else {
        let (all, valid) = crate::lifecycle::approvals(ws, sop).unwrap_or_default();
        let missing = crate::lifecycle::missing(sop, &valid);
        if !missing.is_empty() {
            let mut voided: Vec<String> = all
                .iter()
                .filter(|a| !valid.contains(a) && missing.iter().any(|m| a.covers(m)))
                .map(|a| {
                    format!(
                        "{} ({}) on {}",
                        a.name,
                        a.role,
                        day_of(&a.date, &ws.settings.time_zone())
                    )
                })
                .collect();
            voided.dedup();
            refusals.push(Refusal::MissingApprovals { missing, voided });
        }
        crate::lifecycle::signatures(sop, &valid)
    };

    let format = TagFormat::new(&ws.settings.tag_format);
    let releases = repo
        .releases(&id, &format)
        .unwrap_or_else(|_| Releases::default());
    let latest = releases.latest().cloned();
    let current = sop.metadata.version_or_default();
    // The version: --set-version; else a bump of the last release (or, for a first release, of
    // the front matter); else a version typed into the front matter above the last release;
    // else, for a first release, the front matter's version as it is (adoption, SPEC §5.2).
    let typed_ahead = latest.as_ref().is_some_and(|l| {
        sop.metadata
            .version
            .as_ref()
            .is_some_and(|v| v > &l.version)
    });
    let adopting = latest.is_none() && request.set_version.is_none() && request.bump.is_none();
    let to = match (&latest, &request.set_version, request.bump) {
        (_, Some(v), _) => Some(v.clone()),
        (None, None, Some(b)) => bump_or_refuse(&current, b, &mut refusals),
        (None, None, None) => Some(current.clone()),
        (Some(l), None, Some(b)) => bump_or_refuse(&l.version, b, &mut refusals),
        (Some(_), None, None) if typed_ahead => Some(current.clone()),
        (Some(l), None, None) => {
            refusals.push(Refusal::NoBump {
                id: id.clone(),
                latest: l.version.clone(),
            });
            None
        }
    };
    if let Some(l) = &latest {
        let released = repo.document_at(&l.commit, &id, Some(&relative));
        if released
            .as_ref()
            .is_some_and(|(_, bytes)| *bytes == sop.source.to_bytes())
        {
            refusals.push(Refusal::NothingChanged {
                id: id.clone(),
                version: l.version.clone(),
            });
        }
        if let Some(to) = &to
            && to <= &l.version
        {
            refusals.push(Refusal::NotHigher {
                new: to.clone(),
                latest: l.version.clone(),
            });
        }
        // Effective dates never go backwards, whether the date is given or today's.
        match request.date {
            Some(date) if date < l.date => refusals.push(Refusal::DateBeforeLastRelease {
                date,
                latest: l.version.clone(),
                latest_date: l.date,
            }),
            None if ws.today < l.date => refusals.push(Refusal::TodayBeforeLastRelease {
                today: ws.today,
                zone: crate::clock::zone_name(&ws.settings.time_zone()).to_string(),
                latest: l.version.clone(),
                latest_date: l.date,
            }),
            _ => {}
        }
    }
    let given_author = request
        .author
        .as_deref()
        .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|a| !a.is_empty());
    let row_author = match &to {
        Some(to) if adopting => adopted_author(sop, to, given_author.as_deref(), &mut refusals),
        _ => None,
    };
    let tag_name = to.as_ref().map(|v| format.name(&id, v));
    if let Some(t) = &tag_name
        && !git2::Reference::is_valid_name(&format!("refs/tags/{t}"))
    {
        refusals.push(Refusal::BadTagName(t.clone()));
    }
    if request.render {
        if let Err(e) = crate::paths::output_setting(ws) {
            refusals.push(Refusal::BadOutputFolder(e));
        }
        refusals.extend(
            crate::templates::outside_overrides(&ws.root)
                .into_iter()
                .map(Refusal::TemplateOutside),
        );
    }
    if let Some(t) = &tag_name
        && repo.has_tag(t)
        && !refusals
            .iter()
            .any(|r| matches!(r, Refusal::NotHigher { .. }))
    {
        refusals.push(Refusal::TagExists(t.clone()));
    }
    let (Some(to), Some(tag_name), Some(identity)) = (to, tag_name, identity) else {
        return Err(refusals);
    };
    if !refusals.is_empty() {
        return Err(refusals);
    }

    // A document coming under sopctl keeps the effective date it already has.
    let effective = match (request.date, adopting, sop.metadata.effective) {
        (Some(d), _, _) => d,
        (None, true, Some(d)) => d,
        _ => ws.today,
    };
    let author = row_author
        .or(given_author)
        .unwrap_or_else(|| identity.name.clone());

    // The new file: managed values in place, then the table.
    let mut changed_keys = Vec::new();
    let mut edited = sop.clone();
    let edits = [
        ("version", to.full(), Some("title")),
        ("effective", effective.to_string(), Some("version")),
        (
            "status",
            Status::Effective.as_str().to_string(),
            Some("effective"),
        ),
    ];
    for (key, value, after) in edits {
        match edited.with_value(key, &value, after) {
            Ok(Some(next)) => {
                edited = next;
                changed_keys.push(key);
            }
            Ok(None) => {}
            // `check` reports such a value first (so the release was refused above).
            Err(e) => {
                let shown = ws.display_path(&path);
                let finding = crate::check::document::edit_refused(&shown, &e);
                return Err(vec![Refusal::CheckFailed(vec![finding])]);
            }
        }
    }
    let mut entries = history_entries(&releases.records);
    entries.push(HistoryEntry {
        version: to.clone(),
        date: effective.to_string(),
        changes: summary.to_string(),
        author: author.clone(),
        approved_by: signatures
            .iter()
            .map(|a| format!("{} ({})", a.name, a.role))
            .collect(),
    });
    // The row of an adopted version was written before sopctl: it stays as it is (SPEC §3).
    let existing_rows = revision_table::find(&edited)
        .map(|s| s.rows)
        .unwrap_or_default();
    let adopted: Vec<_> = releases
        .records
        .iter()
        .filter(|r| r.adopted)
        .map(|r| r.version.clone())
        .chain(adopting.then(|| to.clone()))
        .collect();
    entries.retain(|e| {
        !(adopted.contains(&e.version)
            && existing_rows
                .iter()
                .any(|r| r.version.as_ref() == Some(&e.version)))
    });
    let with_approvals = !sop.metadata.approvers.is_empty();
    let (new_source, table) = revision_table::regenerate(&edited, &entries, with_approvals);
    let table = table.replace("\r\n", "\n");

    let mut trailers = vec![
        ("Document", id.to_string()),
        ("Version", to.full()),
        ("Date", effective.to_string()),
        ("Author", author.clone()),
    ];
    if adopting {
        trailers.push(("Adopted", "yes".to_string()));
    }
    for a in &signatures {
        trailers.push(("Approved-by", a.trailer()));
    }
    let tag_message = release_message(summary, &trailers);
    let commit_message = format!("{id}: release {to}\n\n{tag_message}");
    let renders = if request.render {
        let out = ws.root.join(&ws.settings.out);
        vec![
            crate::render::output_path(&out, id.as_str(), &to, "pdf"),
            crate::render::output_path(&out, id.as_str(), &to, "html"),
        ]
    } else {
        Vec::new()
    };
    Ok(ReleasePlan {
        title: sop.metadata.title.clone().unwrap_or_default(),
        path,
        relative,
        from: latest.map(|l| l.version),
        to,
        effective,
        author,
        summary: summary.to_string(),
        new_source,
        table,
        changed_keys,
        status_before: sop.metadata.status_or_default(),
        signatures,
        adopting,
        commit_message,
        branch: repo.branch_name().unwrap_or_else(|| "main".to_string()),
        tag_name,
        tag_message,
        identity,
        time: Some(
            request
                .time
                .unwrap_or_else(|| crate::lifecycle::signing_time().as_second()),
        ),
        record: request.record,
        renders,
        id,
    })
}

/// The author of a version adopted as it is (SPEC §5.2) whose row the revision history has
/// already: the row stays as written, so the release record takes its author too, and the
/// table, `log` and the site name the same person. An `--author` (`given`, white space
/// collapsed) naming someone else is refused.
fn adopted_author(
    sop: &Sop,
    to: &DocVersion,
    given: Option<&str>,
    refusals: &mut Vec<Refusal>,
) -> Option<String> {
    let row = revision_table::find(sop)?
        .rows
        .into_iter()
        .find(|r| r.version.as_ref() == Some(to))?;
    let author = row.author();
    if let Some(given) = given
        && given != author
    {
        refusals.push(Refusal::AuthorNotInRow {
            version: to.clone(),
            given: given.to_string(),
            row: author.clone(),
        });
    }
    Some(author)
}

/// The day of a recorded time (RFC 3339, `2026-11-29T10:02:11Z`) in the reference zone; the
/// text's first ten characters when it is not such a time.
fn day_of(time: &str, zone: &jiff::tz::TimeZone) -> String {
    time.parse::<jiff::Timestamp>().map_or_else(
        |_| time.get(..10).unwrap_or(time).to_string(),
        |t| zone.to_datetime(t).date().to_string(),
    )
}

/// `from` bumped, or a [`Refusal::CannotBump`] when its part is at the largest number.
fn bump_or_refuse(
    from: &DocVersion,
    bump: Bump,
    refusals: &mut Vec<Refusal>,
) -> Option<DocVersion> {
    let bumped = from.bumped(bump);
    if bumped.is_none() {
        refusals.push(Refusal::CannotBump {
            version: from.clone(),
        });
    }
    bumped
}
