//! PLAN and VERIFY: from a request to a [`ReleasePlan`], or every [`Refusal`] (SPEC §5.1).
//!
//! [`prepare`] composes small named steps, as cargo-release does: `locate`, then
//! `verify_repository`, `verify_identity`, `verify_summary`, `verify_checks`,
//! `verify_approvals`, `verify_version`, `verify_after_last_release`, `verify_tag_name`,
//! `verify_renditions` and `verify_tag`, each adding its refusals to one list; then
//! `edit_front_matter`, `new_history` and `tag_message` make the plan.

use std::path::{Path, PathBuf};

use jiff::civil::Date;

use crate::doc::revision_table::{self, HistoryEntry};
use crate::doc::{DocId, Sop, SourceText, Status};
use crate::repo::records::release_message;
use crate::repo::{Identity, ReleaseRecord, Releases, Repo, RepoError, TagFormat};
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
                .map(|t| crate::lifecycle::Approval::from_trailer(t).label())
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
/// First the named `verify_*` steps run and collect every refusal (the checks are those of
/// `sopctl check`: [`crate::check::errors_of`]); then, with nothing refused, the new text and
/// the messages are made.
///
/// # Errors
/// Every refusal that applies, all at once.
pub fn prepare(
    ws: &Workspace,
    sop: &Sop,
    request: &ReleaseRequest,
) -> Result<ReleasePlan, Vec<Refusal>> {
    let v = verify(ws, sop, request)?;
    // A document coming under sopctl keeps the effective date it already has: the front
    // matter's, else the date its own revision history gives the version (the row is kept as
    // written, so the title block and the table agree).
    let effective = match (request.date, v.adopting, sop.metadata.effective) {
        (Some(d), _, _) => d,
        (None, true, Some(d)) => d,
        (None, true, None) => kept_row_date(sop, &v.to).unwrap_or(ws.today),
        _ => ws.today,
    };
    let (edited, changed_keys) = edit_front_matter(ws, sop, &v.to, effective)?;
    let row = HistoryEntry {
        version: v.to.clone(),
        date: effective.to_string(),
        changes: v.summary.clone(),
        author: v.author.clone(),
        approved_by: v
            .signatures
            .iter()
            .map(crate::lifecycle::Approval::label)
            .collect(),
    };
    let (new_source, table) = new_history(sop, &edited, &v.releases, row, v.adopting);
    let retrain = request
        .retrain
        .unwrap_or_else(|| match v.releases.latest() {
            None => true,
            Some(last) => {
                !crate::training::is_patch(&last.version, &v.to) || ws.settings.retrain_on_patch
            }
        });
    let tag_message = tag_message(&v, effective, retrain);
    let (id, to) = (&v.id, &v.to);
    let commit_message = format!("{id}: release {to}\n\n{tag_message}");
    let renders = if request.render {
        let out = ws.root.join(&ws.settings.out);
        vec![
            crate::render::output_path(&out, id.as_str(), to, "pdf"),
            crate::render::output_path(&out, id.as_str(), to, "html"),
        ]
    } else {
        Vec::new()
    };
    Ok(ReleasePlan {
        title: sop.metadata.title.clone().unwrap_or_default(),
        path: sop.path().to_path_buf(),
        from: v.releases.latest().map(|l| l.version.clone()),
        effective,
        new_source,
        table,
        changed_keys,
        status_before: sop.metadata.status_or_default(),
        commit_message,
        branch: v.repo.branch_name().unwrap_or_else(|| "main".to_string()),
        tag_message,
        time: Some(
            request
                .time
                .unwrap_or_else(|| crate::lifecycle::signing_time().as_second()),
        ),
        // With signatures required, commit and tag are signed whatever commit.gpgSign and
        // tag.gpgSign say (the signer was checked before: `signers::release_signer`).
        record: crate::repo::transaction::RecordOptions {
            sign: v.sign,
            ..request.record
        },
        renders,
        relative: v.relative,
        to: v.to,
        author: v.author,
        summary: v.summary,
        signatures: v.signatures,
        adopting: v.adopting,
        tag_name: v.tag_name,
        identity: v.identity,
        id: v.id,
    })
}

/// The date the revision history's row for `version` gives (its second cell, `YYYY-MM-DD`).
fn kept_row_date(sop: &Sop, version: &DocVersion) -> Option<Date> {
    let section = revision_table::find(sop)?;
    let row = section
        .rows
        .iter()
        .find(|r| r.version.as_ref() == Some(version))?;
    revision_table::cell_text(row.cells.get(1)?)
        .trim()
        .parse()
        .ok()
}

/// What the verify steps established: everything the plan is made of.
struct Verified<'w> {
    repo: &'w Repo,
    /// The document's path in the work tree.
    relative: PathBuf,
    identity: Identity,
    /// `-m`, white space collapsed.
    summary: String,
    id: DocId,
    /// One valid approval for each entry of `approvers`.
    signatures: Vec<crate::lifecycle::Approval>,
    releases: Releases,
    to: DocVersion,
    adopting: bool,
    tag_name: String,
    /// The author of the revision-history row.
    author: String,
    /// When the release is signed ([`super::signers::sign_when`]).
    sign: crate::repo::sign::SignWhen,
}

/// The named steps, in the order their refusals are listed: where the document is
/// ([`locate`]), the repository's state, who releases and why, the checks, the approvals, the
/// version, the last release, the author, the tag and the renditions.
///
/// # Errors
/// Every refusal that applies, all at once.
fn verify<'w>(
    ws: &'w Workspace,
    sop: &Sop,
    request: &ReleaseRequest,
) -> Result<Verified<'w>, Vec<Refusal>> {
    let (repo, relative) = locate(ws, sop)?;
    let mut refusals = Vec::new();
    verify_repository(repo, &relative, &mut refusals);
    let identity = verify_identity(repo, request, &mut refusals);
    // Who may sign, read once: the release's own signature and its approvals are judged by it.
    let signers = crate::people::Signers::of(ws);
    let sign = super::signers::sign_when(&signers, request.record.sign);
    if let Some(identity) = &identity {
        refusals.extend(super::signers::release_signer(
            ws, &signers, repo, identity, sign,
        ));
    }
    let summary = verify_summary(request, &mut refusals);
    verify_checks(ws, sop, &mut refusals);
    // Without a valid ID nothing more can be worked out.
    let (Some(id), Some(_)) = (sop.id().cloned(), sop.front_matter.as_ref()) else {
        return Err(refusals);
    };
    let signatures = verify_approvals(ws, &signers, repo, sop, &relative, &mut refusals);
    let format = TagFormat::new(&ws.settings.tag_format);
    let releases = repo
        .releases(&id, &format)
        .unwrap_or_else(|_| Releases::default());
    let latest = releases.latest();
    let (to, adopting) = verify_version(sop, request, &id, latest, &mut refusals);
    // A release takes effect today or later: a day in the past would change which version was
    // in force on days people already worked (and trained) by another (issue 16).
    // The day it is recorded: today, or the day of the time given for the record (the
    // example's history is recorded at the days it tells of).
    let recorded = request
        .time
        .and_then(|t| jiff::Timestamp::from_second(t).ok())
        .map_or(ws.today, |t| {
            crate::clock::Clock::At(t).today(&ws.settings.time_zone())
        });
    if let Some(date) = request.date
        && date < recorded
        && !adopting
        && latest.is_none_or(|l| date >= l.date)
    {
        refusals.push(Refusal::DateInThePast {
            date,
            today: recorded,
        });
    }
    if let Some(latest) = latest {
        let last = LastRelease {
            repo,
            id: &id,
            relative: &relative,
            latest,
        };
        verify_after_last_release(ws, sop, request, &last, to.as_ref(), &mut refusals);
        // Nothing to release: how big the change is does not matter.
        if refusals
            .iter()
            .any(|r| matches!(r, Refusal::NothingChanged { .. }))
        {
            refusals.retain(|r| !matches!(r, Refusal::NoBump { .. }));
        }
    }
    let given_author = request
        .author
        .as_deref()
        .map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|a| !a.is_empty());
    let row_author = to
        .as_ref()
        .filter(|_| adopting)
        .and_then(|to| adopted_author(sop, to, given_author.as_deref(), &mut refusals));
    let tag_name = to.as_ref().map(|v| format.name(&id, v));
    // The tag of the version as written is one of check's errors; a new version's is ours.
    if let Some(t) = tag_name
        .as_ref()
        .filter(|_| to.as_ref() != sop.metadata.version.as_ref())
    {
        verify_tag_name(t, &mut refusals);
    }
    if request.render {
        verify_renditions(ws, &mut refusals);
    }
    if let Some(t) = &tag_name {
        verify_tag(repo, t, &mut refusals);
    }
    let (Some(to), Some(tag_name), Some(identity)) = (to, tag_name, identity) else {
        return Err(refusals);
    };
    if !refusals.is_empty() {
        return Err(refusals);
    }
    let author = row_author
        .or(given_author)
        .unwrap_or_else(|| identity.name.clone());
    Ok(Verified {
        repo,
        relative,
        identity,
        summary,
        id,
        signatures,
        releases,
        to,
        adopting,
        tag_name,
        author,
        sign,
    })
}

/// The message of the release tag (the commit's too): the summary, then the trailers that make
/// it a release record (SPEC §3): `Document`, `Version`, `Date`, `Author`, `Adopted` for a
/// document coming under sopctl as it is, and an `Approved-by` for each approval.
fn tag_message(v: &Verified<'_>, effective: Date, retrain: bool) -> String {
    let mut trailers = vec![
        ("Document", v.id.to_string()),
        ("Version", v.to.full()),
        ("Date", effective.to_string()),
        ("Author", v.author.clone()),
        ("Retrain", if retrain { "yes" } else { "no" }.to_string()),
    ];
    if v.adopting {
        trailers.push(("Adopted", "yes".to_string()));
    }
    for a in &v.signatures {
        trailers.push(("Approved-by", a.trailer()));
    }
    release_message(&v.summary, &trailers)
}

/// The repository and the document's path in it.
///
/// # Errors
/// [`Refusal::NotARepository`] or [`Refusal::OutsideRepository`] alone: nothing else can be
/// worked out without them.
fn locate<'w>(ws: &'w Workspace, sop: &Sop) -> Result<(&'w Repo, PathBuf), Vec<Refusal>> {
    // Shown as the user would type it: from the working directory, `..` worked out.
    let shown = || ws.display_path(&crate::fsx::resolve_existing_prefix(sop.path()));
    let Some(repo) = &ws.repo else {
        return Err(vec![Refusal::NotARepository { path: shown() }]);
    };
    let Some(relative) = repo.relative(sop.path()) else {
        return Err(vec![Refusal::OutsideRepository { path: shown() }]);
    };
    Ok((repo, relative))
}

/// The repository can take a release commit: a full clone, no merge or rebase under way, on a
/// branch, and no other file with uncommitted changes (the document itself may have them).
fn verify_repository(repo: &Repo, relative: &Path, refusals: &mut Vec<Refusal>) {
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
            let others: Vec<_> = files.into_iter().filter(|f| f != relative).collect();
            if !others.is_empty() {
                refusals.push(Refusal::OtherChanges(others));
            }
        }
        Err(_) => refusals.push(Refusal::Unfinished("an unreadable status")),
    }
}

/// Who commits and tags: the request's identity, else git's (`cases/` B19).
fn verify_identity(
    repo: &Repo,
    request: &ReleaseRequest,
    refusals: &mut Vec<Refusal>,
) -> Option<Identity> {
    match request.identity.clone().map_or_else(|| repo.identity(), Ok) {
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
    }
}

/// The summary (`-m`), white space collapsed; it may not be empty.
fn verify_summary(request: &ReleaseRequest, refusals: &mut Vec<Refusal>) -> String {
    let summary = request
        .summary
        .as_deref()
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_default();
    if summary.is_empty() {
        refusals.push(Refusal::NoSummary);
    }
    summary
}

/// The errors `sopctl check` prints for the document ([`crate::check::errors_of`]), and a
/// retirement: a superseded or obsolete document is not released again (SPEC §8), even when
/// its front matter was edited back by hand.
fn verify_checks(ws: &Workspace, sop: &Sop, refusals: &mut Vec<Refusal>) {
    let errors = crate::check::errors_of(ws, sop);
    if !errors.is_empty() {
        refusals.push(Refusal::CheckFailed(errors));
    }
    // A retirement on record; a status written by hand is one of check's errors above.
    if let Some(retired) = sop
        .id()
        .and_then(|id| ws.lifecycle().retirement(id.as_str()))
    {
        refusals.push(Refusal::Retired(retired.status));
    }
}

/// The approvals bound to this content, one for each entry of `approvers` (SPEC §8); a missing
/// one is refused, naming approvals that a later edit voided, and, with `signatures =
/// "required"`, approvals not signed as the registry requires ([`super::signers`]); then
/// separation of duties
/// ([`crate::lifecycle::duties::for_release`]) picks who signs which role.
fn verify_approvals(
    ws: &Workspace,
    signers: &crate::people::Signers,
    repo: &Repo,
    sop: &Sop,
    relative: &Path,
    refusals: &mut Vec<Refusal>,
) -> Vec<crate::lifecycle::Approval> {
    // An approver taken off the list approves that change too: the list the last release had
    // still applies to this one (else an author could drop the approvers and release alone).
    let (needed, removed) = crate::lifecycle::approvers_needed(ws, sop);
    let widened;
    let sop = if removed.is_empty() {
        sop
    } else {
        let mut with_removed = sop.clone();
        with_removed.metadata.approvers = needed;
        widened = with_removed;
        &widened
    };
    if sop.metadata.approvers.is_empty() {
        return Vec::new();
    }
    let (all, for_this_text) = crate::lifecycle::approvals(ws, sop).unwrap_or_default();
    // With `signatures = "required"`, only approvals signed by a registered holder of the role.
    let (valid, rejected) = super::signers::signed_approvals(signers, repo, for_this_text.clone());
    let missing = crate::lifecycle::missing(sop, &valid);
    refusals.extend(
        rejected
            .iter()
            .filter(|(a, _)| missing.iter().any(|m| a.covers(m)))
            .map(super::signers::rejected_refusal),
    );
    if !missing.is_empty() {
        let mut voided: Vec<String> = all
            .iter()
            .filter(|a| !for_this_text.contains(a) && missing.iter().any(|m| a.covers(m)))
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
        refusals.push(Refusal::MissingApprovals {
            missing,
            removed,
            voided,
        });
    }
    // Separation of duties: who may fill which role (issue 15, item 3).
    let duties = crate::lifecycle::duties::for_release(ws, sop, relative, &valid);
    refusals.extend(duties.refusals);
    duties.signatures
}

/// The version to release, and whether this first release adopts the document as it is.
///
/// `--set-version`; else a bump of the last release (or, for a first release, of the front
/// matter); else a version typed into the front matter above the last release; else, for a
/// first release, the front matter's version as it is (adoption, SPEC §5.2).
fn verify_version(
    sop: &Sop,
    request: &ReleaseRequest,
    id: &DocId,
    latest: Option<&ReleaseRecord>,
    refusals: &mut Vec<Refusal>,
) -> (Option<DocVersion>, bool) {
    let current = sop.metadata.version_or_default();
    let typed_ahead = latest.is_some_and(|l| {
        sop.metadata
            .version
            .as_ref()
            .is_some_and(|v| v > &l.version)
    });
    let adopting = latest.is_none() && request.set_version.is_none() && request.bump.is_none();
    let to = match (latest, &request.set_version, request.bump) {
        (_, Some(v), _) => Some(v.clone()),
        (None, None, Some(b)) => bump_or_refuse(&current, b, refusals),
        (None, None, None) => Some(current),
        (Some(l), None, Some(b)) => bump_or_refuse(&l.version, b, refusals),
        (Some(_), None, None) if typed_ahead => Some(current),
        (Some(l), None, None) => {
            refusals.push(Refusal::NoBump {
                id: id.clone(),
                latest: l.version.clone(),
            });
            None
        }
    };
    (to, adopting)
}

/// The document's last release, for [`verify_after_last_release`].
struct LastRelease<'a> {
    repo: &'a Repo,
    id: &'a DocId,
    /// The document's path in the work tree.
    relative: &'a Path,
    latest: &'a ReleaseRecord,
}

/// Against the last release: the text changed since, the new version is above it, and the
/// effective date does not go backwards, whether given (`--effective`) or today's (`cases/` B34).
fn verify_after_last_release(
    ws: &Workspace,
    sop: &Sop,
    request: &ReleaseRequest,
    last: &LastRelease<'_>,
    to: Option<&DocVersion>,
    refusals: &mut Vec<Refusal>,
) {
    let l = last.latest;
    let released = last
        .repo
        .document_at(&l.commit, last.id, Some(last.relative));
    if released
        .as_ref()
        .is_some_and(|(_, bytes)| *bytes == sop.source.to_bytes())
    {
        refusals.push(Refusal::NothingChanged {
            id: last.id.clone(),
            version: l.version.clone(),
        });
    }
    if let Some(to) = to
        && to <= &l.version
    {
        refusals.push(Refusal::NotHigher {
            new: to.clone(),
            latest: l.version.clone(),
        });
    }
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

/// The tag's name is one git accepts (`git check-ref-format`).
fn verify_tag_name(tag: &str, refusals: &mut Vec<Refusal>) {
    if !TagFormat::is_valid_name(tag) {
        refusals.push(Refusal::BadTagName(tag.to_string()));
    }
}

/// The renditions can be written: the `out` folder may receive them and every template is
/// read from inside the repository.
fn verify_renditions(ws: &Workspace, refusals: &mut Vec<Refusal>) {
    if let Err(e) = crate::paths::output_setting(ws) {
        refusals.push(Refusal::BadOutputFolder(e));
    }
    refusals.extend(
        crate::templates::outside_overrides(&ws.root)
            .into_iter()
            .map(Refusal::TemplateOutside),
    );
}

/// The tag does not exist yet (said only when the version is not already refused as too low,
/// which is the reason then).
fn verify_tag(repo: &Repo, tag: &str, refusals: &mut Vec<Refusal>) {
    let too_low = refusals
        .iter()
        .any(|r| matches!(r, Refusal::NotHigher { .. }));
    if repo.has_tag(tag) && !too_low {
        refusals.push(Refusal::TagExists(tag.to_string()));
    }
}

/// The document with the values a release manages written in place (`version` in full,
/// `effective`, `status: effective`), and the keys that changed.
///
/// # Errors
/// [`Refusal::CheckFailed`] with the finding `check` gives a value that cannot be rewritten
/// ([`crate::check::document::edit_refused`]); `check` reports it first, so the release was
/// refused before this step.
fn edit_front_matter(
    ws: &Workspace,
    sop: &Sop,
    to: &DocVersion,
    effective: Date,
) -> Result<(Sop, Vec<&'static str>), Vec<Refusal>> {
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
            Err(e) => {
                let shown = ws.display_path(sop.path());
                let finding = crate::check::document::edit_refused(&shown, &e);
                return Err(vec![Refusal::CheckFailed(vec![finding])]);
            }
        }
    }
    Ok((edited, changed_keys))
}

/// The new text with its revision table regenerated from the release records plus `row`, and
/// the table itself (LF line endings). The row of an adopted version was written before
/// sopctl: it stays as it is (SPEC §3).
fn new_history(
    sop: &Sop,
    edited: &Sop,
    releases: &Releases,
    row: HistoryEntry,
    adopting: bool,
) -> (SourceText, String) {
    let to = row.version.clone();
    let mut entries = history_entries(&releases.records);
    entries.push(row);
    let existing_rows = revision_table::find(edited)
        .map(|s| s.rows)
        .unwrap_or_default();
    let adopted: Vec<_> = releases
        .records
        .iter()
        .filter(|r| r.adopted)
        .map(|r| r.version.clone())
        .chain(adopting.then_some(to))
        .collect();
    entries.retain(|e| {
        !(adopted.contains(&e.version)
            && existing_rows
                .iter()
                .any(|r| r.version.as_ref() == Some(&e.version)))
    });
    let with_approvals = !sop.metadata.approvers.is_empty();
    let (new_source, table) = revision_table::regenerate(edited, &entries, with_approvals);
    (new_source, table.replace("\r\n", "\n"))
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
