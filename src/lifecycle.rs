//! LIFECYCLE: approvals bound to content, periodic reviews, retirement (SPEC §8), controlled
//! copies ([`copies`]).
//!
//! Approvals and reviews are commits whose messages carry trailers, so they live in git with
//! everything else and need no other store:
//!
//! ```text
//! SOP-IT-001: approved by Alex Example (QA Manager)
//!
//! Approval-Document: SOP-IT-001
//! Approval-Role: QA Manager
//! Approval-Meaning: approved
//! Approval-Name: Alex Example
//! Approval-Email: alex@example.org
//! Approval-Date: 2026-11-29T10:02:11Z
//! Approval-Content: sha256:9f2c…
//! ```
//!
//! An approval is valid only for the content it names: [`content_hash`] hashes the document
//! without the values `release` writes (version, effective date, status), so the release itself
//! does not void the approval, but any other edit does, the revision-history table included. Only approvals since the document's last release count.

pub mod copies;
pub mod duties;
mod history;
pub mod standing;

pub use history::{History, Retirement, Review, review_message};

use jiff::civil::Date;
use sha2::{Digest, Sha256};

use crate::doc::{Sop, Status};
use crate::repo::Identity;
use crate::workspace::{Workspace, WorkspaceError};

/// Keys `release` writes, left out of the approved content.
const MANAGED: [&str; 3] = ["version", "effective", "status"];

/// One approval: who signed, in what role, what the signature means, when, and for which content.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Approval {
    /// Printed name.
    pub name: String,
    /// E-mail of the git identity.
    pub email: String,
    /// The role approved in (as listed in `approvers`).
    pub role: String,
    /// What the signature means: `authored`, `reviewed`, `approved`.
    pub meaning: String,
    /// Date and time in UTC, RFC 3339 (`2026-11-29T10:02:11Z`).
    pub date: String,
    /// The content hash approved (`sha256:…`).
    pub content: String,
    /// The hash of the files the document embeds (its images), when it embeds any
    /// ([`files_hash`]): an image changed after the approval voids it as an edit does.
    pub files: Option<String>,
    /// In a release: why the approval counts although separation of duties would refuse it
    /// (`self-approved`, `second role`; [`duties`]), when `separation_of_duties = false`
    /// allowed it. `None` for an approval as recorded by `approve`.
    pub exception: Option<String>,
    /// The approval commit that records it (hex id), when it was read from one
    /// ([`approvals`]); `None` when read from a release tag's trailer.
    #[serde(skip)]
    pub commit: Option<String>,
    /// Who the approval counts as for separation of duties, when [`duties::for_release`] has
    /// told people apart by e-mail address and signing key ([`duties::identity_of`]).
    #[serde(skip)]
    pub person: Option<String>,
}

impl Approval {
    /// The `Approved-by:` trailer of a release tag:
    /// `Alex Example <a@example.org> | role: QA Manager | meaning: approved | date: 2026-…Z`,
    /// and `| exception: self-approved` when separation of duties was waived for it.
    pub fn trailer(&self) -> String {
        let mut text = format!(
            "{} <{}> | role: {} | meaning: {} | date: {}",
            self.name, self.email, self.role, self.meaning, self.date
        );
        if let Some(exception) = &self.exception {
            text.push_str(&format!(" | exception: {exception}"));
        }
        text
    }

    /// How the revision history's Approved-by column and `sopctl log` show it:
    /// `Dana Quality (QA Manager)`, or `Dana Quality (QA Manager, self-approved)`.
    pub fn label(&self) -> String {
        match &self.exception {
            Some(exception) => format!("{} ({}, {exception})", self.name, self.role),
            None => format!("{} ({})", self.name, self.role),
        }
    }

    /// The approvals a release carries, read back from its trailers: the signature manifest its
    /// copies print (21 CFR 11.50).
    pub fn of_release(record: &crate::repo::ReleaseRecord) -> Vec<Approval> {
        record
            .approvals
            .iter()
            .map(|t| Approval::from_trailer(t))
            .collect()
    }

    /// Reads an `Approved-by:` trailer back (the content hash is not in it).
    pub fn from_trailer(text: &str) -> Approval {
        let mut parts = text.split(" | ");
        let who = parts.next().unwrap_or("").trim();
        let (name, email) = match who.split_once(" <") {
            Some((n, e)) => (n.trim().to_string(), e.trim_end_matches('>').to_string()),
            None => (who.to_string(), String::new()),
        };
        let mut a = Approval {
            name,
            email,
            role: String::new(),
            meaning: String::new(),
            date: String::new(),
            content: String::new(),
            files: None,
            exception: None,
            commit: None,
            person: None,
        };
        for part in parts {
            if let Some((k, v)) = part.split_once(": ") {
                match k.trim() {
                    "role" => a.role = v.trim().to_string(),
                    "meaning" => a.meaning = v.trim().to_string(),
                    "date" => a.date = v.trim().to_string(),
                    "exception" => a.exception = Some(v.trim().to_string()),
                    _ => {}
                }
            }
        }
        a
    }

    /// Reads an approval commit's `Approval-*` trailers (missing ones are empty).
    pub fn from_record(message: &crate::repo::records::Message) -> Approval {
        let get = |k: &str| message.trailer(k).unwrap_or("").to_string();
        Approval {
            name: get("Approval-Name"),
            email: get("Approval-Email"),
            role: get("Approval-Role"),
            meaning: get("Approval-Meaning"),
            date: get("Approval-Date"),
            content: get("Approval-Content"),
            files: message.trailer("Approval-Files").map(str::to_string),
            exception: None,
            commit: None,
            person: None,
        }
    }

    /// Whether this approval covers an entry of `approvers` (a role or a person).
    pub fn covers(&self, approver: &str) -> bool {
        self.role.eq_ignore_ascii_case(approver.trim())
            || self.name.eq_ignore_ascii_case(approver.trim())
    }
}

/// A hash of what an approval approves: the whole file except the front-matter lines that
/// sopctl itself writes (`version`, `effective`, `status`), so that any edit a person makes voids
/// the approval (SPEC §8). `sha256:` and 64 hex digits.
pub fn content_hash(sop: &Sop) -> String {
    let text = sop.source.text();
    let mut cut: Vec<std::ops::Range<usize>> = Vec::new();
    if let Some(fm) = &sop.front_matter {
        for entry in fm
            .entries
            .iter()
            .filter(|e| MANAGED.contains(&e.key.as_str()))
        {
            let line_start = text[..entry.line_end.min(text.len())]
                .trim_end_matches(['\n', '\r'])
                .rfind(['\n', '\r'])
                .map_or(0, |i| i + 1);
            cut.push(line_start..entry.line_end);
        }
    }
    cut.sort_by_key(|r| r.start);
    let mut digest = Sha256::new();
    let mut at = 0;
    for r in cut {
        if r.start >= at {
            digest.update(text.as_bytes().get(at..r.start).unwrap_or_default());
            at = r.end;
        }
    }
    digest.update(text.as_bytes().get(at..).unwrap_or_default());
    let hash = digest.finalize();
    let mut hex = String::from("sha256:");
    for byte in hash.iter() {
        hex.push_str(&format!("{byte:02x}"));
    }
    hex
}

/// The approvals recorded for `sop` since its last release, newest first, and which of them
/// are still valid (their content hash is the document's current one).
///
/// # Errors
/// No repository, a shallow clone, unreadable history.
pub fn approvals(
    ws: &Workspace,
    sop: &Sop,
) -> Result<(Vec<Approval>, Vec<Approval>), WorkspaceError> {
    let Some(id) = sop.id() else {
        return Ok((Vec::new(), Vec::new()));
    };
    let repo = ws.require_repo()?;
    let releases = ws.releases(id)?;
    let stop = releases.latest().map(|r| r.commit.clone());
    let commits = repo.commits_with_trailer("Approval-Document", id.as_str(), stop.as_deref())?;
    let all: Vec<Approval> = commits
        .iter()
        .map(|c| Approval {
            commit: Some(c.commit.clone()),
            ..Approval::from_record(&c.message)
        })
        .collect();
    let current = content_hash(sop);
    let files = files_hash(
        sop,
        &repo.relative(sop.path()).unwrap_or_default(),
        &work_tree(ws),
    );
    let valid = all
        .iter()
        .filter(|a| a.content == current && a.files == files)
        .cloned()
        .collect();
    Ok((all, valid))
}

/// The repository's work tree as a source of files.
fn work_tree(ws: &Workspace) -> crate::render::images::WorkTree {
    crate::render::images::WorkTree {
        root: ws.repository_root().to_path_buf(),
    }
}

/// A hash of the files `sop` embeds: each image it shows that is a file of the repository, by
/// its path (from the repository root) and the SHA-256 of its bytes (`missing` when `files`
/// has none), sorted by path; `sha256:` and 64 hex digits, or `None` when it embeds no file.
/// An approver signs the figures as well as the words (21 CFR 11.70: the signature linked to
/// the record it signs), so a changed image voids an approval as an edit of the text does.
/// `doc_relative` is the document's path from the repository root; `files` the work tree or a
/// commit.
pub fn files_hash(
    sop: &Sop,
    doc_relative: &std::path::Path,
    files: &dyn crate::render::images::FileSource,
) -> Option<String> {
    let scan = crate::doc::markdown::scan(sop.body(), sop.body_first_line());
    let mut paths: Vec<std::path::PathBuf> = scan
        .references
        .iter()
        .filter(|r| {
            r.is_image
                && !r.target.starts_with('#')
                && crate::doc::links::scheme(&r.target).is_none()
        })
        .filter_map(|r| crate::render::images::repo_path(&r.target, doc_relative))
        .collect();
    paths.sort();
    paths.dedup();
    if paths.is_empty() {
        return None;
    }
    let mut digest = Sha256::new();
    for path in &paths {
        let sum = files.read(path).map_or_else(
            || "missing".to_string(),
            |bytes| hex(&Sha256::digest(&bytes)),
        );
        digest.update(format!("{}\t{sum}\n", path.display()).as_bytes());
    }
    Some(format!("sha256:{}", hex(&digest.finalize())))
}

/// Lowercase hex of `bytes`.
fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The approvers a release of `sop` needs, and which of them the document no longer lists: its
/// `approvers`, and every entry the last release's file had that it dropped since. Taking an
/// approver off the list is a change they approve too, or an author could drop the approvers
/// and release alone (EU GMP Annex 11 §10: changes made under control).
pub fn approvers_needed(ws: &Workspace, sop: &Sop) -> (Vec<String>, Vec<String>) {
    let mut needed = sop.metadata.approvers.clone();
    let released = (|| {
        let (repo, id) = (ws.repo.as_ref()?, sop.id()?);
        let latest = ws.releases(id).ok()?.latest()?.clone();
        let relative = repo.relative(sop.path());
        let (path, bytes) = repo.document_at(&latest.commit, id, relative.as_deref())?;
        Sop::from_bytes(&path, bytes).ok()
    })();
    let removed: Vec<String> = released
        .map(|r| r.metadata.approvers)
        .unwrap_or_default()
        .into_iter()
        .filter(|a| !needed.iter().any(|b| b.eq_ignore_ascii_case(a)))
        .collect();
    needed.extend(removed.iter().cloned());
    (needed, removed)
}

/// The entries of `approvers` that no valid approval covers.
pub fn missing(sop: &Sop, valid: &[Approval]) -> Vec<String> {
    sop.metadata
        .approvers
        .iter()
        .filter(|who| !valid.iter().any(|a| a.covers(who)))
        .cloned()
        .collect()
}

/// What an approval says besides who signs it: the role, the meaning of the signature
/// (21 CFR 11.50(a)(3)), an optional comment, and the moment of signing (UTC).
#[derive(Debug, Clone, Copy)]
pub struct Signature<'a> {
    /// The role approved in (as listed in `approvers`).
    pub role: &'a str,
    /// `authored`, `reviewed` or `approved`.
    pub meaning: &'a str,
    /// A comment for the commit message, if any.
    pub comment: Option<&'a str>,
    /// When it is signed: [`signing_time`] for a command run now.
    pub at: jiff::Timestamp,
}

/// Records `identity`'s approval of the document's current content as a commit.
///
/// # Errors
/// [`crate::repo::RepoError`] when the commit cannot be written.
pub fn record_approval(
    ws: &Workspace,
    recorder: &crate::repo::transaction::Recorder<'_>,
    sop: &Sop,
    identity: &Identity,
    signature: &Signature<'_>,
) -> Result<Approval, WorkspaceError> {
    let repo = ws.require_repo()?;
    let id = sop.id().map(ToString::to_string).unwrap_or_default();
    let Signature {
        role,
        meaning,
        comment,
        at: signed_at,
    } = *signature;
    let approval = Approval {
        name: identity.name.clone(),
        email: identity.email.clone(),
        role: role.trim().to_string(),
        meaning: meaning.trim().to_string(),
        date: signed_at.strftime("%Y-%m-%dT%H:%M:%SZ").to_string(),
        content: content_hash(sop),
        files: files_hash(
            sop,
            &repo.relative(sop.path()).unwrap_or_default(),
            &work_tree(ws),
        ),
        exception: None,
        commit: None,
        person: None,
    };
    let mut message = format!(
        "{id}: {} by {} ({})\n\n",
        approval.meaning, approval.name, approval.role
    );
    if let Some(c) = comment.map(str::trim).filter(|c| !c.is_empty()) {
        message.push_str(c);
        message.push_str("\n\n");
    }
    for (k, v) in [
        ("Approval-Document", id.as_str()),
        ("Approval-Role", &approval.role),
        ("Approval-Meaning", &approval.meaning),
        ("Approval-Name", &approval.name),
        ("Approval-Email", &approval.email),
        ("Approval-Date", &approval.date),
        ("Approval-Content", &approval.content),
    ] {
        message.push_str(&format!("{k}: {v}\n"));
    }
    if let Some(files) = &approval.files {
        message.push_str(&format!("Approval-Files: {files}\n"));
    }
    let what = format!("the approval of {id} by {}", approval.name);
    repo.commit_files(
        recorder.lock,
        &[],
        recorder.write(what, &message, identity, Some(signed_at.as_second())),
    )
    .map_err(WorkspaceError::Repo)?;
    Ok(approval)
}

/// Whether `sop` has edits waiting for a release: changes since its last release (or none
/// yet), unless it is withdrawn (a retirement changes the front matter, not the text). What
/// `list` shows as UNRELEASED and the preview shows as a draft.
pub fn has_unreleased_edits(ws: &Workspace, sop: &Sop) -> bool {
    retired_status(ws, sop).is_none() && ws.has_unreleased_changes(sop)
}

/// Whether `sop` is withdrawn: by a recorded retirement, or by its status. Returns the status
/// it ended in.
pub fn retired_status(ws: &Workspace, sop: &Sop) -> Option<Status> {
    if let Some(r) = sop
        .id()
        .and_then(|id| ws.lifecycle().retirement(id.as_str()))
    {
        return Some(r.status);
    }
    let status = sop.metadata.status_or_default();
    matches!(status, Status::Superseded | Status::Obsolete).then_some(status)
}

/// How `sop` was withdrawn, if it was ([`retired_status`]), with the SOP that replaces it: as
/// the retirement recorded it, else as its front matter's `superseded_by` says.
pub fn withdrawal(ws: &Workspace, sop: &Sop) -> Option<standing::Withdrawal> {
    let status = retired_status(ws, sop)?;
    let successor = sop
        .id()
        .and_then(|id| ws.lifecycle().retirement(id.as_str()))
        .and_then(|r| r.superseded_by.clone())
        .or_else(|| sop.metadata.superseded_by.as_ref().map(ToString::to_string));
    Some(standing::Withdrawal { status, successor })
}

/// The time a signature is made: the commit time git will record (`GIT_COMMITTER_DATE` when
/// it is set as an RFC 3339 timestamp, as in tests and replays), otherwise the clock, in UTC.
/// The command line takes it as now ([`crate::clock::Clock::At`]), so a release's effective
/// date is its commit time's date in the repository's time zone.
pub fn signing_time() -> jiff::Timestamp {
    std::env::var("GIT_COMMITTER_DATE")
        .ok()
        .and_then(|d| d.parse::<jiff::Timestamp>().ok())
        .unwrap_or_else(jiff::Timestamp::now)
}

/// When the next periodic review is due: `review_interval` after the later of the effective
/// date of the version in force and the last review (SPEC §8). While a release waits for its
/// effective date ([`in_force`]), the version before it sets the date; before any version is
/// in force there is none. A retired SOP (superseded or obsolete) has no next review.
pub fn next_review(ws: &Workspace, sop: &Sop) -> Option<Date> {
    match in_force(ws, sop) {
        Some(waiting) => next_review_since(ws, sop, waiting.current.as_ref().map(|r| r.date)),
        None => next_review_since(ws, sop, sop.metadata.effective),
    }
}

/// What is in force while a release of `sop` waits for its effective date (issue 16).
#[derive(Debug, Clone)]
pub struct Waiting {
    /// The version in force today; `None` before the first release takes effect.
    pub current: Option<crate::repo::ReleaseRecord>,
    /// The releases waiting for their day, oldest first.
    pub coming: Vec<crate::repo::ReleaseRecord>,
}

/// When the front matter of `sop` names an effective date after today (a release waiting for
/// its day, [`standing`]): the version in force and the releases to come, from the release
/// records. `None` otherwise, when the front matter's version is the one in force, and for a
/// withdrawn SOP; the records are read only for an SOP with such a date.
pub fn in_force(ws: &Workspace, sop: &Sop) -> Option<Waiting> {
    // A withdrawn SOP has nothing waiting: retirement withdraws every version.
    if sop.metadata.effective? <= ws.today || retired_status(ws, sop).is_some() {
        return None;
    }
    let releases = ws.releases(sop.id()?).ok()?;
    let coming: Vec<crate::repo::ReleaseRecord> =
        releases.pending(ws.today).into_iter().cloned().collect();
    if coming.is_empty() {
        return None;
    }
    Some(Waiting {
        current: releases.current(ws.today).cloned(),
        coming,
    })
}

/// [`next_review`] counted from `released` (the last release's date) instead of the front
/// matter's effective date.
pub fn next_review_since(ws: &Workspace, sop: &Sop, released: Option<Date>) -> Option<Date> {
    if retired_status(ws, sop).is_some() {
        return None;
    }
    let id = sop.id()?;
    let reviewed = ws.lifecycle().last_review(id.as_str());
    let since = match (released, reviewed) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
    sop.metadata.next_review(since)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn sop(text: &str) -> Sop {
        Sop::from_bytes(Path::new("a.md"), text.as_bytes().to_vec()).expect("sop")
    }

    #[test]
    fn the_hash_ignores_what_release_writes_and_sees_every_other_edit() {
        let before = sop(
            "---\nid: A\nversion: 1.0\nowner: QA\n---\nText.\n\n## Revision History\n\n| Version | Date | Changes | Author |\n| --- | --- | --- | --- |\n",
        );
        let released = sop(
            "---\nid: A\nversion: 1.1.0\neffective: 2026-02-01\nowner: QA\nstatus: effective\n---\nText.\n\n## Revision History\n\n| Version | Date | Changes | Author |\n| --- | --- | --- | --- |\n",
        );
        assert_eq!(content_hash(&before), content_hash(&released));
        let row_added = sop(
            "---\nid: A\nversion: 1.0\nowner: QA\n---\nText.\n\n## Revision History\n\n| Version | Date | Changes | Author |\n| --- | --- | --- | --- |\nextra line\n",
        );
        assert_ne!(content_hash(&before), content_hash(&row_added));
        let edited = sop(
            "---\nid: A\nversion: 1.0\nowner: QA\n---\nText, edited.\n\n## Revision History\n\n| Version | Date | Changes | Author |\n| --- | --- | --- | --- |\n",
        );
        assert_ne!(content_hash(&before), content_hash(&edited));
        assert!(content_hash(&before).starts_with("sha256:") && content_hash(&before).len() == 71);
    }

    #[test]
    fn trailers_round_trip() {
        let a = Approval {
            name: "Alex Example".into(),
            email: "a@example.org".into(),
            role: "QA Manager".into(),
            meaning: "approved".into(),
            date: "2026-11-29T10:02:11Z".into(),
            content: String::new(),
            files: None,
            exception: None,
            commit: None,
            person: None,
        };
        assert_eq!(Approval::from_trailer(&a.trailer()), a);
        assert_eq!(a.label(), "Alex Example (QA Manager)");
        let waived = Approval {
            exception: Some("self-approved".into()),
            ..a.clone()
        };
        assert_eq!(
            waived.trailer(),
            "Alex Example <a@example.org> | role: QA Manager | meaning: approved | date: 2026-11-29T10:02:11Z | exception: self-approved"
        );
        assert_eq!(Approval::from_trailer(&waived.trailer()), waived);
        assert_eq!(waived.label(), "Alex Example (QA Manager, self-approved)");
        assert!(a.covers("qa manager") && a.covers("Alex Example") && !a.covers("Head of Ops"));
    }
}
