//! PUBLISH: the static download site, built from the release records (SPEC §7, issue 16).
//!
//! For every SOP with at least one release: each released version's PDF and HTML as the
//! release made them (rendered from git, not from the working copy, and only when missing),
//! stamped copies of every version no longer in force ([`copies`]), a page listing every
//! version with its revision entry, standing and downloads, and the site's `index.html` and
//! `index.json` listing each SOP's version in force and any version waiting for its effective
//! date ([`crate::lifecycle::standing`]). Files are laid out as in `dist/`:
//! `{id}/{version}/{id}-v{version}.html`, `{id}/index.html`, `index.html`, `index.json`.
//! The library reports progress through a callback and prints nothing.

pub mod copies;
mod pages;
pub mod preview;
pub mod prune;
pub mod record;
pub mod search;
pub mod serve;

use std::path::{Path, PathBuf};

use crate::fsx::{self, FsError};
use crate::lifecycle::standing::{Stamp, Standing, Withdrawal};
use crate::render::{self, RenderSettings};
use crate::repo::{ReleaseRecord, Releases};
use crate::templates::{self, TemplateError};
use crate::workspace::{Workspace, WorkspaceError};

/// One released version on the site.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct VersionEntry {
    /// SOP form (`1.1`).
    pub version: String,
    /// Stored form (`1.1.0`).
    pub full_version: String,
    /// Effective date.
    pub effective: String,
    /// Who released it.
    pub author: String,
    /// Why it exists.
    pub summary: String,
    /// The tag.
    pub tag: String,
    /// The short commit id.
    pub commit: String,
    /// Where the version stands on the day of publishing: `in-force`, `pending`, `superseded`
    /// or `withdrawn` ([`Standing::name`]).
    pub standing: String,
    /// What every page of the copies offered says when the version is no longer in force
    /// (`Superseded by version 1.1, effective 2026-03-01`), else null.
    pub notice: Option<String>,
    /// The HTML the site offers, relative to the site root: the stamped copy of a version no
    /// longer in force, else the record copy.
    pub html: String,
    /// The PDF the site offers, relative to the site root (as `html`).
    pub pdf: Option<String>,
    /// The SHA-256 (lowercase hex) of the HTML offered, when it is there.
    pub html_sha256: Option<String>,
    /// The SHA-256 of the PDF offered, when it is there.
    pub pdf_sha256: Option<String>,
    /// The record copies the release made, never changed after it: their paths, and the
    /// checksums the release tag records for them.
    pub record: RecordCopies,
    /// The HTML redline against the version before, relative to the site root.
    pub changes: Option<String>,
    /// The PDF redline against the version before, relative to the site root.
    pub redline_pdf: Option<String>,
    /// The version before, if any.
    pub previous: Option<String>,
    /// The signatures its release carries (the signature manifest).
    pub approvals: Vec<record::ApprovalEntry>,
    /// The periodic reviews recorded while it was in force, newest first.
    pub reviews: Vec<record::ReviewEntry>,
}

/// The copies a release made, as its tag records them.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RecordCopies {
    /// The HTML, relative to the site root.
    pub html: String,
    /// The PDF, relative to the site root.
    pub pdf: String,
    /// The HTML's SHA-256 as the release tag records it (null for a release that recorded
    /// none: made with `--no-render`, or before sopctl recorded them).
    pub html_sha256: Option<String>,
    /// The PDF's SHA-256 as the release tag records it.
    pub pdf_sha256: Option<String>,
}

/// A version released to take effect on a later day.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Coming {
    /// SOP form (`1.2`).
    pub version: String,
    /// The day it takes effect.
    pub effective: String,
    /// Its HTML, relative to the site root.
    pub html: String,
    /// Its PDF, relative to the site root.
    pub pdf: String,
}

/// A document to publish: its releases and, once retired, how it was withdrawn.
struct Planned {
    id: crate::doc::DocId,
    releases: Releases,
    relative: Option<PathBuf>,
    withdrawal: Option<Withdrawal>,
}

/// One SOP on the site, described by its version in force (or, before its first release takes
/// effect, by that release).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SopEntry {
    /// Document ID.
    pub id: String,
    /// Title at the version in force.
    pub title: String,
    /// The version in force (SOP form); for a withdrawn SOP its last version; empty before the
    /// first release takes effect.
    pub version: String,
    /// Its effective date.
    pub effective: String,
    /// The newest release (SOP form): differs from `version` while a release waits for its
    /// effective date.
    pub latest: String,
    /// Releases waiting for their effective date, oldest first.
    pub coming: Vec<Coming>,
    /// Owner at the version in force.
    pub owner: String,
    /// `effective`, `superseded` / `obsolete` once retired, or `pending` before the first
    /// release takes effect.
    pub status: String,
    /// Next periodic review, if the SOP has a review interval (none once retired).
    pub next_review: String,
    /// Whether the SOP is superseded or obsolete: listed in the site's archive, not as current.
    pub retired: bool,
    /// The ID of the SOP that replaces it, or empty.
    pub superseded_by: String,
    /// Whether the next review date has passed.
    pub overdue: bool,
    /// The SOP's page, relative to the site root.
    pub page: String,
    /// Every release, newest first.
    pub versions: Vec<VersionEntry>,
    /// How the SOP was withdrawn, once it is.
    pub withdrawal: Option<record::WithdrawalEntry>,
    /// Whether the SOP named in `superseded_by` is on the site (its page can be linked to).
    pub successor_on_site: bool,
}

/// What happened while publishing, for a progress display.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Progress {
    /// The number of renditions that may need rendering.
    Planned(usize),
    /// One rendition done (written or already there).
    Rendered(String),
}

/// What a run wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// Files written, absolute.
    pub written: Vec<PathBuf>,
    /// Renditions made in this run.
    pub rendered: usize,
    /// Renditions that were already there and not rendered again.
    pub kept: usize,
    /// SOPs left out because they have no release.
    pub unreleased: Vec<String>,
    /// SOPs on the site.
    pub sops: usize,
    /// Released SOPs whose file is gone, so they are not on the site
    /// ([`crate::check::repository::vanished_documents`]).
    pub missing: Vec<crate::doc::Finding>,
    /// Image and glyph problems of the versions rendered in this run, located in the released
    /// text (issue 14 item 6).
    pub findings: Vec<crate::doc::Finding>,
    /// Stamped copies taken off the site: their version is stamped otherwise now (issue 16).
    pub removed: Vec<PathBuf>,
    /// Files sopctl made that no release accounts for, removed from the site's folder
    /// ([`prune`]): a working copy in `drafts/`, the renditions of an SOP no longer on the site.
    pub stale: Vec<PathBuf>,
    /// Files in the site's folder that sopctl did not write there: left as they are.
    pub foreign: Vec<PathBuf>,
    /// Why nothing was removed from the site's folder: it holds another repository's site.
    pub not_pruned: Option<String>,
    /// Files that cannot be read as SOPs, one message each: their SOPs are not on the site.
    pub unreadable: Vec<String>,
}

/// Publishing failed.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// No repository, a shallow clone, unreadable tags.
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    /// A file could not be written.
    #[error(transparent)]
    Io(#[from] FsError),
    /// A template failed.
    #[error(transparent)]
    Template(#[from] TemplateError),
    /// A rendition could not be made.
    #[error("a rendition could not be made: {0}")]
    Render(String),
    /// A released document could not be read back from git.
    #[error("the release {tag} holds no readable file with the ID {id}")]
    MissingDocument {
        /// The document.
        id: String,
        /// The release tag.
        tag: String,
    },
}

impl From<crate::render::released::MissingDocument> for PublishError {
    fn from(m: crate::render::released::MissingDocument) -> PublishError {
        PublishError::MissingDocument {
            id: m.id,
            tag: m.tag,
        }
    }
}

/// A share of the rendering work, for splitting a large site across machines: shard `index`
/// of `count` (1-based, `1/1` is everything). Work is dealt out round-robin over the renditions
/// sorted by document ID and version, so the shards of one repository state never overlap and
/// together cover every rendition. Every shard writes the same index pages, so copying the
/// shards' outputs into one folder gives exactly the files of a full run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// This shard, from 1 to `count`.
    pub index: usize,
    /// How many shards share the work (at least 1).
    pub count: usize,
}

impl Shard {
    /// All the work.
    pub const ALL: Shard = Shard { index: 1, count: 1 };

    /// Reads `K/N`, e.g. `2/4`.
    ///
    /// # Errors
    /// A message for text that is not `K/N` with `1 <= K <= N`.
    pub fn parse(text: &str) -> Result<Shard, String> {
        let bad = || format!("`{text}` is not a shard: write K/N, e.g. 1/4 for the first of four");
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let index: usize = k.parse().map_err(|_| bad())?;
        let count: usize = n.parse().map_err(|_| bad())?;
        if count == 0 {
            return Err(format!("`{text}`: the number of shards must be at least 1"));
        }
        if index == 0 || index > count {
            return Err(format!(
                "`{text}`: the shard number must be from 1 to the number of shards ({count})"
            ));
        }
        Ok(Shard { index, count })
    }

    /// Whether the `position`-th piece of work (0-based) is this shard's.
    fn takes(self, position: usize) -> bool {
        position % self.count == self.index - 1
    }
}

/// One released version to render: its copies and the redline against the version before.
struct Work<'p> {
    planned: &'p Planned,
    record: &'p ReleaseRecord,
    previous: Option<&'p ReleaseRecord>,
    /// What its copies must say when it is no longer in force.
    stamp: Option<Stamp>,
}

/// What rendering one version did.
#[derive(Default)]
struct Done {
    findings: Vec<crate::doc::Finding>,
    written: Vec<PathBuf>,
    rendered: usize,
    kept: usize,
    /// The SHA-256 of each stamped copy made or kept, by path.
    stamped: Vec<(PathBuf, String)>,
    /// Stamped copies removed.
    removed: Vec<PathBuf>,
}

/// The SHA-256 of each stamped copy, by path: those this run made or kept, and (for a shard)
/// those another shard makes, computed when the index asks for them.
type StampedSums = std::collections::HashMap<PathBuf, String>;

/// The settings every rendering thread needs (the workspace itself holds a git handle, which
/// cannot be shared between threads; each thread opens its own).
struct Shared<'a> {
    root: PathBuf,
    out: &'a Path,
    /// What every rendition shares: settings, templates, the SOPs for links.
    render: RenderSettings,
}

/// Builds the site in `out`: every rendition, rendered in parallel on all cores.
///
/// # Errors
/// See [`publish_shard`].
pub fn publish(
    ws: &Workspace,
    out: &Path,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Report, PublishError> {
    publish_shard(ws, out, Shard::ALL, progress)
}

/// Builds the site in `out`, rendering only `shard`'s share of the missing renditions (in
/// parallel, on all cores) and writing every index page.
///
/// # Errors
/// [`PublishError`] for a missing repository, a shallow clone, an unwritable folder, a broken
/// template or a release whose document cannot be read.
pub fn publish_shard(
    ws: &Workspace,
    out: &Path,
    shard: Shard,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<Report, PublishError> {
    let repo = ws.require_repo()?;
    // A template leading out of the repository is refused before the first page is written.
    templates::verify(&ws.root)?;
    // What an earlier run wrote here, and for which repository ([`prune`]).
    let before = Before {
        previous: prune::Manifest::read(out),
        repository: repo.root_commit().unwrap_or_default(),
        own_folder: crate::paths::output_setting(ws).is_ok_and(|configured| configured == out),
    };
    let mut report = Report::default();
    let (plan, titles) = plan(ws, &mut report)?;
    let title = |id: &str| titles.get(id).cloned();
    let work: Vec<Work<'_>> = plan
        .iter()
        .flat_map(|planned| {
            let records = &planned.releases.records;
            records.iter().enumerate().map(|(i, record)| Work {
                planned,
                record,
                previous: i.checked_sub(1).and_then(|p| records.get(p)),
                stamp: standing(ws, planned, record).stamp(&title),
            })
        })
        .enumerate()
        .filter(|(position, _)| shard.takes(*position))
        .map(|(_, w)| w)
        .collect();
    progress(Progress::Planned(work.len()));
    let shared = Shared {
        root: repo.workdir().to_path_buf(),
        out,
        render: RenderSettings::of(ws),
    };
    let mut sums = render_all(&shared, &work, progress, &mut report)?;
    let mut sops = Vec::new();
    let mut found = Vec::new();
    for planned in &plan {
        let site = Site {
            ws,
            repo,
            shared: &shared,
            title: &title,
        };
        if let Some((entry, document)) = site_entry(&site, planned, &mut sums)? {
            sops.push(entry);
            found.push(document);
        }
    }
    report.sops = sops.len();
    let on_site: Vec<String> = sops.iter().map(|s| s.id.clone()).collect();
    for sop in &mut sops {
        sop.successor_on_site = on_site.contains(&sop.superseded_by);
    }
    pages::write(ws, out, (&sops, &found), &mut report)?;
    tidy(out, &sops, before, &mut report)?;
    Ok(report)
}

/// The site's folder as the run found it ([`prune`]).
struct Before {
    /// The manifest an earlier run left.
    previous: Option<prune::Manifest>,
    /// This repository's identity: its first commit.
    repository: String,
    /// Whether the folder is the repository's own `out`.
    own_folder: bool,
}

/// Removes what no release accounts for any more ([`prune`]) and writes the folder's new
/// manifest: the site's files, and those an earlier run wrote that are still there (the files
/// of an SOP not on the site this time), so that they stay known as sopctl's. A folder holding
/// another repository's site is left as it is, its manifest included.
fn tidy(
    out: &Path,
    sops: &[SopEntry],
    before: Before,
    report: &mut Report,
) -> Result<(), PublishError> {
    let keep = prune::accounted(sops, &pages::FILES);
    let on_site: std::collections::BTreeSet<String> = sops.iter().map(|s| s.id.clone()).collect();
    let pruned = prune::prune(
        out,
        &prune::Against {
            keep: &keep,
            previous: before.previous.as_ref(),
            repository: &before.repository,
            on_site: &on_site,
            own_folder: before.own_folder,
        },
    );
    report.stale = pruned.removed;
    report.foreign = pruned.foreign;
    if before
        .previous
        .as_ref()
        .is_some_and(|m| m.is_another_repositorys(&before.repository))
    {
        report.not_pruned = Some(
            "it holds a site published from another repository, so nothing in it is removed"
                .to_string(),
        );
        return Ok(());
    }
    let mut files = keep;
    if let Some(m) = &before.previous {
        files.extend(m.files.iter().filter(|f| out.join(f).is_file()).cloned());
    }
    let manifest = prune::Manifest {
        repository: before.repository,
        files,
    };
    let path = out.join(prune::MANIFEST);
    if fsx::write_if_changed(&path, manifest.to_json().as_bytes())? {
        report.written.push(path);
    }
    Ok(())
}

/// The SOPs with releases, sorted by ID, and the title of every SOP of the work tree by ID (a
/// withdrawn SOP's copies name their successor's). SOPs without releases are listed in the
/// report, as are released SOPs whose file is gone.
fn plan(
    ws: &Workspace,
    report: &mut Report,
) -> Result<(Vec<Planned>, std::collections::BTreeMap<String, String>), PublishError> {
    let repo = ws.require_repo()?;
    let mut plan: Vec<Planned> = Vec::new();
    let mut titles = std::collections::BTreeMap::new();
    let entries = ws.documents();
    report.missing = crate::check::repository::vanished_documents(ws, &entries);
    for entry in entries {
        let sop = match entry.sop {
            Ok(sop) => sop,
            Err(e) => {
                let shown = ws.display_path(&entry.path).display().to_string();
                report.unreadable.push(format!(
                    "{shown} cannot be read as an SOP, so it is not on the site: {}",
                    e.to_string()
                        .replace(&entry.path.display().to_string(), &shown)
                ));
                continue;
            }
        };
        let Some(id) = sop.id().cloned() else {
            continue;
        };
        if plan.iter().any(|p| p.id == id) {
            continue;
        }
        if let Some(title) = &sop.metadata.title {
            titles.insert(id.to_string(), title.clone());
        }
        let releases = ws.releases(&id)?;
        if releases.records.is_empty() {
            report.unreleased.push(id.to_string());
            continue;
        }
        plan.push(Planned {
            id,
            releases,
            relative: repo.relative(sop.path()),
            withdrawal: crate::lifecycle::withdrawal(ws, &sop),
        });
    }
    plan.sort_by(|a, b| a.id.cmp(&b.id));
    Ok((plan, titles))
}

/// Where `record` of `planned` stands today.
fn standing(ws: &Workspace, planned: &Planned, record: &ReleaseRecord) -> Standing {
    Standing::of(
        &planned.releases,
        record,
        ws.today,
        planned.withdrawal.as_ref(),
    )
}

/// Renders `work` in parallel on all cores, each thread with its own repository. Returns the
/// checksums of the stamped copies made or kept.
fn render_all(
    shared: &Shared<'_>,
    work: &[Work<'_>],
    progress: &(dyn Fn(Progress) + Sync),
    report: &mut Report,
) -> Result<StampedSums, PublishError> {
    use rayon::prelude::*;
    let results: Vec<Result<Done, PublishError>> = work
        .par_iter()
        .map_init(
            || crate::repo::Repo::discover(&shared.root).ok().flatten(),
            |thread_repo, w| {
                let repo = thread_repo
                    .as_ref()
                    .ok_or_else(|| WorkspaceError::NotARepository {
                        path: shared.root.clone(),
                    })?;
                let done = copies::render_version(repo, shared, w)?;
                progress(Progress::Rendered(format!(
                    "{} {}",
                    w.planned.id, w.record.version
                )));
                Ok(done)
            },
        )
        .collect();
    let mut sums = StampedSums::new();
    for result in results {
        let done = result?;
        report.written.extend(done.written);
        crate::doc::finding::extend_unique(&mut report.findings, done.findings);
        report.rendered += done.rendered;
        report.kept += done.kept;
        report.removed.extend(done.removed);
        sums.extend(done.stamped);
    }
    Ok(sums)
}

/// What the index pages are made from.
struct Site<'a> {
    ws: &'a Workspace,
    repo: &'a crate::repo::Repo,
    shared: &'a Shared<'a>,
    title: &'a dyn Fn(&str) -> Option<String>,
}

/// The SHA-256 of the stamped copy at `path` of `record`: made or kept by this run, else (a
/// copy another shard makes) made now in memory, so that every shard writes the same index.
fn stamped_sum(
    site: &Site<'_>,
    planned: &Planned,
    record: &ReleaseRecord,
    stamp: &Stamp,
    path: &Path,
    sums: &mut StampedSums,
) -> Result<String, PublishError> {
    if let Some(sum) = sums.get(path) {
        return Ok(sum.clone());
    }
    let released = crate::render::released::Released::read(
        site.repo,
        &planned.id,
        planned.relative.as_deref(),
        record,
    )?;
    let is_pdf = path.extension().is_some_and(|e| e == "pdf");
    let marks = crate::render::released::Marks {
        stamp: Some(stamp),
        footer: None,
    };
    let made = copies::rendered(released.render(&site.shared.render, marks, is_pdf))?;
    let sum = crate::repo::transaction::sha256_hex(&made.bytes);
    sums.insert(path.to_path_buf(), sum.clone());
    Ok(sum)
}

/// One version's entry: where it stands, the copies offered and the record copies. The
/// checksums are those of the record (a record copy's, as its tag records it) or of the stamp
/// (a stamped copy's), never of whatever file happens to be in the folder.
fn version_entry(
    site: &Site<'_>,
    planned: &Planned,
    (record, previous): (&ReleaseRecord, Option<&ReleaseRecord>),
    reviews: Vec<record::ReviewEntry>,
    sums: &mut StampedSums,
) -> Result<VersionEntry, PublishError> {
    let out = site.shared.out;
    let id = planned.id.as_str();
    let standing = standing(site.ws, planned, record);
    let stamp = standing.stamp(site.title);
    let record_html = render::output_path(out, id, &record.version, "html");
    let record_pdf = render::output_path(out, id, &record.version, "pdf");
    let recorded = copies::recorded_checksums(site.repo, &record.tag);
    let recorded_sum = |path: &Path| {
        path.file_name()
            .and_then(|n| recorded.get(&n.to_string_lossy().into_owned()).cloned())
    };
    let (html, pdf, html_sha256, pdf_sha256) = match &stamp {
        Some(stamp) => {
            let html = copies::stamped_path(out, id, record, stamp, "html");
            let pdf = copies::stamped_path(out, id, record, stamp, "pdf");
            let html_sum = stamped_sum(site, planned, record, stamp, &html, sums)?;
            let pdf_sum = stamped_sum(site, planned, record, stamp, &pdf, sums)?;
            (html, pdf, Some(html_sum), Some(pdf_sum))
        }
        None => (
            record_html.clone(),
            record_pdf.clone(),
            recorded_sum(&record_html),
            recorded_sum(&record_pdf),
        ),
    };
    Ok(VersionEntry {
        version: record.version.to_string(),
        full_version: record.version.full(),
        effective: record.date.to_string(),
        author: record.author.clone(),
        summary: record.summary.clone(),
        tag: record.tag.clone(),
        commit: record.short_commit().to_string(),
        standing: standing.name().to_string(),
        notice: stamp.map(|s| s.notice),
        html_sha256,
        pdf_sha256,
        html: relative_url(out, &html),
        pdf: Some(relative_url(out, &pdf)),
        record: RecordCopies {
            html: relative_url(out, &record_html),
            pdf: relative_url(out, &record_pdf),
            html_sha256: recorded_sum(&record_html),
            pdf_sha256: recorded_sum(&record_pdf),
        },
        changes: previous
            .map(|_| relative_url(out, &copies::redline_path(out, id, record, "html"))),
        redline_pdf: previous
            .map(|_| relative_url(out, &copies::redline_path(out, id, record, "pdf"))),
        previous: previous.map(|p| p.version.to_string()),
        approvals: record::approvals(record),
        reviews,
    })
}

/// Every version's entry, newest first, each with the reviews recorded while it was in force.
fn version_entries(
    site: &Site<'_>,
    planned: &Planned,
    sums: &mut StampedSums,
) -> Result<Vec<VersionEntry>, PublishError> {
    let records = &planned.releases.records;
    let reviews = record::reviews_by_version(site.ws.lifecycle(), planned.id.as_str(), records);
    let mut versions = Vec::new();
    let mut previous = None;
    for (record, reviews) in records.iter().zip(reviews) {
        versions.push(version_entry(
            site,
            planned,
            (record, previous),
            reviews,
            sums,
        )?);
        previous = Some(record);
    }
    versions.reverse();
    Ok(versions)
}

/// One SOP's entry on the site, described by its version in force (its last version once
/// withdrawn; its first release while that waits for its effective date).
fn site_entry(
    site: &Site<'_>,
    planned: &Planned,
    sums: &mut StampedSums,
) -> Result<Option<(SopEntry, search::Document)>, PublishError> {
    let (ws, repo, out) = (site.ws, site.repo, site.shared.out);
    let Planned {
        id,
        releases,
        relative,
        withdrawal,
    } = planned;
    let versions = version_entries(site, planned, sums)?;
    // A withdrawn SOP is shown by the last version that was in force (its newest release, if
    // none ever was).
    let in_force = releases.current(ws.today);
    let coming: Vec<Coming> = if withdrawal.is_some() {
        Vec::new()
    } else {
        releases
            .pending(ws.today)
            .into_iter()
            .map(|r| Coming {
                version: r.version.to_string(),
                effective: r.date.to_string(),
                html: relative_url(
                    out,
                    &render::output_path(out, id.as_str(), &r.version, "html"),
                ),
                pdf: relative_url(
                    out,
                    &render::output_path(out, id.as_str(), &r.version, "pdf"),
                ),
            })
            .collect()
    };
    let Some(shown) = in_force.or_else(|| releases.latest()) else {
        return Ok(None);
    };
    let listed = if withdrawal.is_some() {
        Some(shown)
    } else {
        in_force
    };
    let released = crate::render::released::load(repo, id, relative.as_deref(), shown)?;
    let m = &released.metadata;
    let next_review = match (withdrawal, in_force) {
        (None, Some(in_force)) => {
            crate::lifecycle::next_review_since(ws, &released, Some(in_force.date))
        }
        _ => None,
    };
    let status = match (withdrawal, in_force) {
        (Some(w), _) => w.status.to_string(),
        (None, Some(_)) => crate::doc::Status::Effective.to_string(),
        (None, None) => "pending".to_string(),
    };
    let entry = SopEntry {
        id: id.to_string(),
        title: m.title.clone().unwrap_or_default(),
        version: listed.map(|r| r.version.to_string()).unwrap_or_default(),
        effective: in_force.map(|r| r.date.to_string()).unwrap_or_default(),
        latest: releases
            .latest()
            .map(|r| r.version.to_string())
            .unwrap_or_default(),
        coming,
        owner: m.owner.clone().unwrap_or_default(),
        status,
        retired: withdrawal.is_some(),
        superseded_by: withdrawal
            .as_ref()
            .and_then(|w| w.successor.clone())
            .unwrap_or_default(),
        next_review: next_review.map(|d| d.to_string()).unwrap_or_default(),
        overdue: next_review.is_some_and(|d| d < ws.today),
        page: format!("{id}/index.html"),
        versions,
        withdrawal: withdrawal
            .as_ref()
            .map(|w| record::withdrawal(ws.lifecycle(), id.as_str(), w, &ws.settings.time_zone())),
        // Known once every SOP's entry is made.
        successor_on_site: false,
    };
    let document = search::document(&entry, &released);
    Ok(Some((entry, document)))
}

/// `path` relative to `root` with `/` separators, for links.
pub(super) fn relative_url(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}
