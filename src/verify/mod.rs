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
mod context;
pub mod copy;
pub mod records;
pub mod release;
pub mod signature;
pub mod table;
pub mod training;
pub mod trust;

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use crate::doc::{DocId, Sop, revision_table};
use crate::repo::{ReleaseRecord, Repo};
use crate::version::DocVersion;
use crate::workspace::{Workspace, WorkspaceError};
pub(crate) use context::{Context, Files};
use signature::{IntactSignatures, Verdict};
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

/// Checks the record of the SOPs `ids` (every SOP of the work tree and every ID with release
/// tags, when `None`).
///
/// In two steps, so that both cores work from the start: while one thread walks the history
/// (the lifecycle's records, the release commits, and the changes to the signers registry and
/// the settings, in one pass), the SOP files are read and every release is read and
/// checked as far as no trust list decides (`release::read`, every SSH signature checked
/// against its record); then, with the trust list and the approval commits the walk gave,
/// each release is weighed (`release::judge`).
///
/// # Errors
/// No repository, a shallow clone (its history is cut off), unreadable tags or history.
pub fn check(ws: &Workspace, ids: Option<&[DocId]>) -> Result<Report, WorkspaceError> {
    let repo = ws.require_repo()?;
    if repo.is_shallow() {
        return Err(WorkspaceError::Shallow);
    }
    let format = crate::repo::TagFormat::new(&ws.settings.tag_format);
    let watched = crate::people::watched(ws);
    let workdir = repo.workdir().to_path_buf();
    let tags = repo.tag_list();
    let head = repo.head_commit();
    let intact = Arc::new(IntactSignatures::default());
    let runs = Runs {
        workdir: &workdir,
        tags: &tags,
    };

    let (walked, (paths, worktree), ids, read) = std::thread::scope(|scope| {
        let walker = scope.spawn(|| -> Result<_, WorkspaceError> {
            let own = runs.open()?;
            let watch: Vec<&std::path::Path> = watched
                .iter()
                .flat_map(|(registry, settings)| [registry.as_path(), settings.as_path()])
                .collect();
            Ok(own.walk_history(&records::KEYS, &watch)?)
        });
        let (paths, worktree) = work_tree(ws, repo);
        let ids = ids_to_check(ids, &paths, repo, &format);
        let read = runs.each(&ids, |own, id| {
            let files = Files {
                repo: own,
                paths: &paths,
                head: head.as_deref(),
                worktree: &worktree,
            };
            read_sop(&files, id, &format, &intact)
        });
        let walked = walker
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (walked, (paths, worktree), ids, read)
    });
    let mut walk = walked?;
    let stored = std::mem::take(&mut walk.records);
    let release_commits = std::mem::take(&mut walk.releases);
    let history = match &watched {
        Some((_, settings)) => crate::people::history::RegistryHistory::from_walk(walk, settings),
        None => Default::default(),
    };
    let trust = Trust::from_history_sharing(repo, history, intact);
    let first = Context {
        files: Files {
            repo,
            paths: &paths,
            head: None,
            worktree: &worktree,
        },
        trust: &trust,
        approvals: &[],
        release_commits: &[],
    };
    let (records, approvals) = records::check(&first, &stored, &ids);
    let mut read_ok = Vec::new();
    let mut failed = None;
    for result in read {
        match result.and_then(|r| r) {
            Ok(sop) => read_ok.push(sop),
            Err(e) => {
                failed.get_or_insert(e);
            }
        }
    }
    if let Some(e) = failed {
        return Err(e);
    }
    let judged = runs.each(&read_ok, |own, sop| {
        let ctx = Context {
            files: Files {
                repo: own,
                paths: &paths,
                head: head.as_deref(),
                worktree: &worktree,
            },
            trust: &trust,
            approvals: &approvals,
            release_commits: &release_commits,
        };
        judge_sop(&ctx, sop, &format)
    });
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
    for result in judged {
        let (releases, current) = result?;
        report.releases.extend(releases);
        report.current.extend(current);
    }
    Ok(report)
}

/// Each SOP of the work tree by its ID: its file's path relative to the work tree's root, and
/// the file parsed.
type WorkTree = (BTreeMap<DocId, PathBuf>, BTreeMap<DocId, Sop>);

/// The SOPs of the work tree ([`WorkTree`]).
fn work_tree(ws: &Workspace, repo: &Repo) -> WorkTree {
    let mut paths = BTreeMap::new();
    let mut parsed = BTreeMap::new();
    let entries = ws.documents();
    let relative = repo.relative_files(entries.iter().map(|e| e.path.as_path()));
    for (entry, relative) in entries.into_iter().zip(relative) {
        if let Ok(sop) = entry.sop
            && let Some(id) = sop.id().cloned()
            && let Some(relative) = relative
        {
            paths.insert(id.clone(), relative);
            parsed.insert(id, sop);
        }
    }
    (paths, parsed)
}

/// The SOPs asked for, or every SOP of the work tree and every ID with release tags.
fn ids_to_check(
    ids: Option<&[DocId]>,
    paths: &BTreeMap<DocId, PathBuf>,
    repo: &Repo,
    format: &crate::repo::TagFormat,
) -> Vec<DocId> {
    match ids {
        Some(ids) => ids.to_vec(),
        None => {
            let mut all: Vec<DocId> = paths.keys().cloned().collect();
            all.extend(repo.released_ids(format));
            all.sort();
            all.dedup();
            all
        }
    }
}

/// Work spread over every core in as many runs as there are threads, each run with its own
/// handle on the repository (git2's is not shared between threads), the tags listed once.
#[derive(Clone, Copy)]
struct Runs<'a> {
    workdir: &'a std::path::Path,
    tags: &'a crate::repo::TagList,
}

impl Runs<'_> {
    /// A handle of the run's own on the repository, with the tags already listed.
    fn open(&self) -> Result<Repo, WorkspaceError> {
        let own = Repo::discover(self.workdir)?.ok_or_else(|| WorkspaceError::NotARepository {
            path: self.workdir.to_path_buf(),
        })?;
        own.take_tag_list(self.tags.clone());
        Ok(own)
    }

    /// `work` done for each of `items`, in their order; an item of a run whose repository
    /// could not be opened gets that error. Each run takes the next item not yet taken until
    /// none is left, so that the runs end together however long each item takes.
    fn each<T: Sync, R: Send>(
        &self,
        items: &[T],
        work: impl Fn(&Repo, &T) -> R + Sync,
    ) -> Vec<Result<R, WorkspaceError>> {
        use rayon::prelude::*;
        use std::sync::atomic::{AtomicUsize, Ordering};
        let runs = rayon::current_num_threads().clamp(1, items.len().max(1));
        let next = AtomicUsize::new(0);
        let mut done: Vec<(usize, Result<R, WorkspaceError>)> = (0..runs)
            .into_par_iter()
            .flat_map_iter(|_| {
                let own = self.open();
                let mut out = Vec::new();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(item) = items.get(index) else {
                        break;
                    };
                    out.push((
                        index,
                        match &own {
                            Ok(repo) => Ok(work(repo, item)),
                            Err(_) => Err(WorkspaceError::NotARepository {
                                path: self.workdir.to_path_buf(),
                            }),
                        },
                    ));
                }
                out
            })
            .collect();
        done.sort_by_key(|(index, _)| *index);
        done.into_iter().map(|(_, result)| result).collect()
    }
}

/// One SOP's releases as read ([`release::read`]), and the problems of its current file.
struct SopRead {
    id: DocId,
    records: Vec<ReleaseRecord>,
    releases: Vec<release::Read>,
    current: Vec<Problem>,
}

/// One SOP's releases checked, and the problems of its current file.
type SopChecked = (Vec<ReleaseReport>, Vec<Problem>);

/// Reads the releases of one SOP and checks the revision history of its current file.
fn read_sop(
    files: &Files<'_>,
    id: &DocId,
    format: &crate::repo::TagFormat,
    intact: &IntactSignatures,
) -> Result<SopRead, WorkspaceError> {
    let records = files.repo.releases(id, format)?.records;
    let releases: Vec<release::Read> = (0..records.len())
        .map(|index| release::read(files, id, &records, index, intact))
        .collect();
    let current = current_history(files, id, &records, &releases);
    Ok(SopRead {
        id: id.clone(),
        records,
        releases,
        current,
    })
}

/// Weighs the releases of one SOP as read ([`release::judge`]); the release commits whose tag is
/// missing, then the problems of its current file.
fn judge_sop(ctx: &Context<'_>, sop: &SopRead, format: &crate::repo::TagFormat) -> SopChecked {
    let reports = sop
        .releases
        .iter()
        .map(|read| release::judge(ctx, &sop.id, &sop.records, read))
        .collect();
    let mut current = untagged_releases(ctx, &sop.id, format, &sop.records);
    current.extend(sop.current.iter().cloned());
    (reports, current)
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
fn current_history(
    files: &Files<'_>,
    id: &DocId,
    records: &[ReleaseRecord],
    read: &[release::Read],
) -> Vec<Problem> {
    let Some(last) = records.iter().rposition(|r| r.by_sopctl) else {
        return Vec::new();
    };
    let (Some(head), Some(latest)) = (files.head, records.get(last)) else {
        return Vec::new();
    };
    // Unchanged since the release: its table was checked with the release.
    let now = files
        .paths
        .get(id)
        .and_then(|path| files.repo.file_id_at_commit(head, path));
    if let Some(path) = files.paths.get(id)
        && now.is_some()
        && now == files.repo.file_id_at_commit(&latest.commit, path)
    {
        return Vec::new();
    }
    let Some((current, path)) = files.at_head(id, now.as_deref()) else {
        return Vec::new();
    };
    let place = format!("{} at HEAD ({})", path.display(), commit_place(head));
    // Most edits since a release leave its revision history as it was: then the rows are the
    // ones read from the released file, and the table is not parsed again.
    let released = read
        .get(last)
        .and_then(release::Read::released_section)
        .filter(|(sop, _, start)| revision_table::same_rows(&current, sop.body(), *start));
    let shown = records.get(..=last).unwrap_or_default();
    let as_released = |r: &ReleaseRecord| files.adopted_row(id, r);
    match released {
        Some((_, section, _)) => table::problems_in(Some(section), shown, &[], &as_released),
        None => table::problems(&current, shown, &[], &as_released),
    }
    .into_iter()
    .map(|text| Problem::new(&place, Kind::RevisionHistory, text))
    .collect()
}
