//! VERIFY: the inspector's check of the record (issue 15 items 5 and 6).
//!
//! Takes the workspace and, optionally, the SOPs to check; returns a [`Report`] of every
//! release, approval, review and retirement checked, with every [`Problem`] found. It changes
//! nothing and prints nothing; it does not decide the exit code (the command does: 1 when
//! [`Report::is_whole`] is false).
//!
//! What is checked, for each release of each SOP ([`release`]):
//!
//! - the tag's signature, when it is signed ([`signature`]), against git's allowed signers or,
//!   with `signatures = "required"`, against the signers registry as committed then
//!   ([`trust`]): then every record must be signed by a registered person, approvals by one
//!   who holds the role;
//! - the tag's trailers: present, well formed, and the same as the release commit's (a tag whose
//!   message was changed and re-created no longer agrees with its commit);
//! - the released file: its ID, version, effective date and status are what the tag says;
//! - each approval the tag lists ([`approvals`]): an approval commit since the last release
//!   records it, it approved the text the release started from (by the lifecycle's one rule,
//!   [`crate::lifecycle::content_hash`]), and the released text differs from that text only by
//!   what `release` writes; every entry of `approvers` is covered;
//! - the revision-history table of the released file against the release records ([`table`]).
//!
//! Then every approval, review and retirement commit is checked for its trailers and its
//! signature ([`records`]), and the revision history of each SOP's current file (at HEAD)
//! against the records. These records are read from the current branch, as the lifecycle reads
//! them: an approval recorded only on another branch is not found. The training records on
//! their own branch are checked by [`training`]. A downloaded PDF or HTML copy is checked by
//! [`copy`].

pub mod allowed;
pub mod approvals;
pub mod copy;
pub mod records;
pub mod release;
pub mod signature;
pub mod table;
pub mod training;
pub mod trust;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::doc::{DocId, Sop};
use crate::repo::{ReleaseRecord, Repo};
use crate::version::DocVersion;
use crate::workspace::{Workspace, WorkspaceError};
use signature::Verdict;
use trust::Trust;

/// What kind of break a [`Problem`] is (stable names for `--json`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A signature is broken, made with an unknown key or with someone else's key.
    Signature,
    /// A tag's trailers are missing or malformed, or differ from its commit's.
    Tag,
    /// The released file does not hold what the tag says (ID, version, date, status).
    ReleasedFile,
    /// An approval listed in a tag is not recorded, or not for the released text.
    Approval,
    /// A revision-history table differs from the release records.
    RevisionHistory,
    /// An approval, review or retirement commit lacks a trailer or has a malformed one.
    Record,
}

/// One break in the record: where it is and what is wrong, in plain words.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Problem {
    /// The tag or commit it is in: `tag SOP-1/v1.0.0`, `commit 1a2b3c4`.
    pub place: String,
    /// The kind of break.
    pub kind: Kind,
    /// What is wrong.
    pub text: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.place, self.text)
    }
}

impl Problem {
    pub(crate) fn new(place: &str, kind: Kind, text: impl Into<String>) -> Problem {
        Problem {
            place: place.to_string(),
            kind,
            text: text.into(),
        }
    }
}

/// `tag NAME`, as problems name a tag.
pub(crate) fn tag_place(tag: &str) -> String {
    format!("tag {tag}")
}

/// `commit 1a2b3c4`, as problems name a commit.
pub(crate) fn commit_place(commit: &str) -> String {
    format!("commit {}", short(commit))
}

/// The first 7 hex digits of a commit id.
pub(crate) fn short(commit: &str) -> &str {
    commit.get(..7).unwrap_or(commit)
}

/// An approval a release tag lists, and the commit that records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListedApproval {
    /// The approval as the tag lists it (`Approved-by:`).
    pub approval: crate::lifecycle::Approval,
    /// The approval commit that records it, if one does.
    pub commit: Option<String>,
    /// That commit's signature.
    pub signature: Verdict,
}

/// One release checked.
#[derive(Debug, Clone)]
pub struct ReleaseReport {
    /// The SOP.
    pub id: DocId,
    /// The version.
    pub version: DocVersion,
    /// The tag.
    pub tag: String,
    /// The commit the tag points at.
    pub commit: String,
    /// Whether sopctl made the record (the tag has a `Version:` trailer); tags made by other
    /// tools are checked for their signature only.
    pub by_sopctl: bool,
    /// The tag's signature.
    pub signature: Verdict,
    /// The release commit's signature.
    pub commit_signature: Verdict,
    /// The approvals the tag lists.
    pub approvals: Vec<ListedApproval>,
    /// What is broken.
    pub problems: Vec<Problem>,
}

/// The kind of a lifecycle record.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RecordKind {
    /// `sopctl approve` (`Approval-*` trailers).
    Approval,
    /// `sopctl review` (`Review-*` trailers).
    Review,
    /// `sopctl retire` (`Retired-*` trailers).
    Retirement,
}

/// One approval, review or retirement commit checked.
#[derive(Debug, Clone)]
pub struct RecordReport {
    /// The kind of record.
    pub kind: RecordKind,
    /// The SOP it is about, as the record names it.
    pub id: String,
    /// The commit.
    pub commit: String,
    /// The record in words: `approved by Dana Quality (QA Manager)`, `periodic review on
    /// 2026-03-01`, `withdrawn as obsolete`.
    pub what: String,
    /// The commit's signature.
    pub signature: Verdict,
    /// What is broken.
    pub problems: Vec<Problem>,
}

/// Everything checked.
#[derive(Debug, Clone, Default)]
pub struct Report {
    /// Each release, by SOP and then version.
    pub releases: Vec<ReleaseReport>,
    /// Each approval, review and retirement commit, newest first.
    pub records: Vec<RecordReport>,
    /// Breaks in the SOPs' current files (at HEAD): revision-history rows that no longer show
    /// what the records say.
    pub current: Vec<Problem>,
    /// Changes to the signers registry that no registered person signed, while signatures are
    /// required ([`mod@crate::people::history`]).
    pub registry: Vec<Problem>,
    /// Commits of the training branch that add records other than their signer's own
    /// acknowledgement ([`training`]).
    pub training: Vec<Problem>,
}

impl Report {
    /// Every problem, releases first.
    pub fn problems(&self) -> impl Iterator<Item = &Problem> {
        self.releases
            .iter()
            .flat_map(|r| &r.problems)
            .chain(self.records.iter().flat_map(|r| &r.problems))
            .chain(&self.current)
            .chain(&self.registry)
            .chain(&self.training)
    }

    /// Whether nothing is broken.
    pub fn is_whole(&self) -> bool {
        self.problems().next().is_none()
    }
}

/// What the checks share: the repository, the signature checker, every approval commit, and
/// where each SOP's file is (so a released file is found without searching the tree).
pub(crate) struct Context<'a> {
    pub(crate) repo: &'a Repo,
    pub(crate) trust: &'a Trust,
    pub(crate) approvals: &'a [records::ApprovalCommit],
    pub(crate) paths: &'a BTreeMap<DocId, PathBuf>,
    /// Every release commit of the current branch, newest first.
    pub(crate) release_commits: &'a [crate::repo::inspect::ReleaseCommit],
    /// The commit HEAD is at, read once (`None` in a repository without commits).
    pub(crate) head: Option<&'a str>,
}

impl Context<'_> {
    /// The document `id` in `commit`, parsed; `None` when the commit holds no file with the ID
    /// or it cannot be read.
    pub(crate) fn document(&self, commit: &str, id: &DocId) -> Option<Sop> {
        if let Some((path, bytes)) = self.bytes_at_path(commit, id)
            && let Ok(sop) = Sop::from_bytes(&path, bytes)
            && sop.id() == Some(id)
        {
            return Some(sop);
        }
        // Renamed or moved since: searched for by ID.
        let (path, bytes) = self.repo.document_at(commit, id, None)?;
        Sop::from_bytes(&path, bytes).ok()
    }

    /// The bytes of the file where the SOP `id` is now, as they were in `commit`.
    fn bytes_at_path(&self, commit: &str, id: &DocId) -> Option<(PathBuf, Vec<u8>)> {
        let path = self.paths.get(id)?;
        Some((path.clone(), self.repo.file_at_commit(commit, path)?))
    }
}

impl Context<'_> {
    /// The row of the adopted release `record` as its own released file has it.
    pub(crate) fn adopted_row(
        &self,
        id: &DocId,
        record: &ReleaseRecord,
    ) -> Option<crate::doc::revision_table::Row> {
        let sop = self.document(&record.commit, id)?;
        crate::doc::revision_table::find(&sop)?
            .rows
            .into_iter()
            .find(|row| row.version.as_ref() == Some(&record.version))
    }
}

/// Checks the record of the SOPs `ids` (every SOP of the work tree and every ID with release
/// tags, when `None`).
///
/// # Errors
/// No repository, a shallow clone (its history is cut off), unreadable tags or history.
pub fn check(ws: &Workspace, ids: Option<&[DocId]>) -> Result<Report, WorkspaceError> {
    let repo = ws.require_repo()?;
    if repo.is_shallow() {
        return Err(WorkspaceError::Shallow);
    }
    let format = crate::repo::TagFormat::new(&ws.settings.tag_format);
    // One walk of the history (the lifecycle's records, the release commits, and the changes
    // to the signers registry and the settings), on its own thread with its own repository
    // while the SOP files are read: git2's repository is not shared between threads.
    let watched = crate::people::watched(ws);
    let workdir = repo.workdir().to_path_buf();
    let (walked, paths) = std::thread::scope(|scope| {
        let walker = scope.spawn(|| -> Result<_, WorkspaceError> {
            let own = Repo::discover(&workdir)?.ok_or_else(|| WorkspaceError::NotARepository {
                path: workdir.clone(),
            })?;
            let watch: Vec<&std::path::Path> = watched
                .iter()
                .flat_map(|(registry, settings)| [registry.as_path(), settings.as_path()])
                .collect();
            Ok(own.walk_history(&records::KEYS, &watch)?)
        });
        let mut paths = BTreeMap::new();
        for entry in ws.documents() {
            if let Ok(sop) = entry.sop
                && let Some(id) = sop.id()
                && let Some(relative) = repo.relative(&entry.path)
            {
                paths.insert(id.clone(), relative);
            }
        }
        let walked = walker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (walked, paths)
    });
    let mut walk = walked?;
    let ids: Vec<DocId> = match ids {
        Some(ids) => ids.to_vec(),
        None => {
            let mut all: Vec<DocId> = paths.keys().cloned().collect();
            all.extend(repo.released_ids(&format));
            all.sort();
            all.dedup();
            all
        }
    };
    let stored = std::mem::take(&mut walk.records);
    let release_commits = std::mem::take(&mut walk.releases);
    let history = match &watched {
        Some((_, settings)) => crate::people::history::RegistryHistory::from_walk(walk, settings),
        None => Default::default(),
    };
    let trust = Trust::from_history(repo, history);
    let first = Context {
        repo,
        trust: &trust,
        approvals: &[],
        paths: &paths,
        release_commits: &[],
        head: None,
    };
    let (records, approvals) = records::check(&first, &stored, &ids);
    // The SOPs in as many runs as there are threads, in parallel: git2's repository is not
    // shared between threads, so each run opens its own (and lists the tags once).
    let workdir = repo.workdir().to_path_buf();
    let tags = repo.tag_list();
    let head = repo.head_commit();
    let runs = rayon::current_num_threads().max(1);
    let per_sop: Vec<Result<SopChecked, WorkspaceError>> = {
        use rayon::prelude::*;
        ids.par_chunks(ids.len().div_ceil(runs).max(1))
            .flat_map_iter(|chunk| {
                let own = Repo::discover(&workdir).ok().flatten();
                if let Some(own) = &own {
                    own.take_tag_list(tags.clone());
                }
                chunk
                    .iter()
                    .map(|id| {
                        let repo = own.as_ref().ok_or(WorkspaceError::NotARepository {
                            path: workdir.clone(),
                        })?;
                        let ctx = Context {
                            repo,
                            trust: &trust,
                            approvals: &approvals,
                            paths: &paths,
                            release_commits: &release_commits,
                            head: head.as_deref(),
                        };
                        check_sop(&ctx, id, &format)
                    })
                    .collect::<Vec<_>>()
            })
            .collect()
    };
    let training = training::check(ws, repo, &trust, head.as_deref());
    let mut report = Report {
        records,
        training,
        registry: trust
            .untrusted()
            .iter()
            .map(|c| Problem::new(&commit_place(&c.commit), Kind::Record, c.reason.clone()))
            .collect(),
        ..Report::default()
    };
    for result in per_sop {
        let (releases, current) = result?;
        report.releases.extend(releases);
        report.current.extend(current);
    }
    Ok(report)
}

/// One SOP's releases checked, and the problems of its current file.
type SopChecked = (Vec<ReleaseReport>, Vec<Problem>);

/// The releases of one SOP and the revision history of its current file.
fn check_sop(
    ctx: &Context<'_>,
    id: &DocId,
    format: &crate::repo::TagFormat,
) -> Result<SopChecked, WorkspaceError> {
    let releases = ctx.repo.releases(id, format)?;
    let reports = (0..releases.records.len())
        .map(|index| release::check(ctx, id, &releases.records, index))
        .collect();
    let mut current = untagged_releases(ctx, id, format, &releases.records);
    current.extend(current_history(ctx, id, &releases.records));
    Ok((reports, current))
}

/// A release commit of the SOP whose release has no tag: the tag was deleted (or never made by
/// hand), so the release drops out of `log`, the site and every check of its record.
fn untagged_releases(
    ctx: &Context<'_>,
    id: &DocId,
    format: &crate::repo::TagFormat,
    records: &[ReleaseRecord],
) -> Vec<Problem> {
    ctx.release_commits
        .iter()
        .filter(|c| c.document == id.as_str())
        .filter_map(|c| {
            let version = DocVersion::parse_full(&c.version).ok()?;
            if records.iter().any(|r| r.version == version) {
                return None;
            }
            Some(Problem::new(
                &commit_place(&c.commit),
                Kind::Tag,
                format!(
                    "it is the release of {id} {}, but there is no release tag {} for it: the tag was deleted, so the release is missing from the record",
                    version,
                    format.name(id, &version)
                ),
            ))
        })
        .collect()
}

/// The revision history of the SOP's file at HEAD against the records up to its last release
/// by sopctl, when the file changed since that release.
fn current_history(ctx: &Context<'_>, id: &DocId, records: &[ReleaseRecord]) -> Vec<Problem> {
    let Some(last) = records.iter().rposition(|r| r.by_sopctl) else {
        return Vec::new();
    };
    let (Some(head), Some(latest)) = (ctx.head, records.get(last)) else {
        return Vec::new();
    };
    // Unchanged since the release: its table was checked with the release.
    if let Some(path) = ctx.paths.get(id) {
        let now = ctx.repo.file_id_at_commit(head, path);
        if now.is_some() && now == ctx.repo.file_id_at_commit(&latest.commit, path) {
            return Vec::new();
        }
    }
    let Some(current) = ctx.document(head, id) else {
        return Vec::new();
    };
    let place = format!(
        "{} at HEAD ({})",
        current.path().display(),
        commit_place(head)
    );
    table::problems(
        &current,
        records.get(..=last).unwrap_or_default(),
        &[],
        &|r| ctx.adopted_row(id, r),
    )
    .into_iter()
    .map(|text| Problem::new(&place, Kind::RevisionHistory, text))
    .collect()
}
