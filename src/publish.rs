//! PUBLISH: the static download site, built from the release records (SPEC §7).
//!
//! For every SOP with at least one release: each released version's HTML rendition (rendered
//! from git, not from the working copy, and only when it is missing), a page listing every
//! version with its revision entry and downloads, and the site's `index.html` and `index.json`
//! listing each SOP's current version. Files are laid out as in `dist/`:
//! `{id}/{version}/{id}-v{version}.html`, `{id}/index.html`, `index.html`, `index.json`.
//! The library reports progress through a callback and prints nothing.

use std::path::{Path, PathBuf};

use crate::doc::{Sop, Status};
use crate::fsx::{self, FsError};
use crate::render::{self, RenderJob, RenderSettings};
use crate::repo::ReleaseRecord;
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
    /// The HTML rendition, relative to the site root.
    pub html: String,
    /// The PDF rendition, relative to the site root.
    pub pdf: Option<String>,
    /// The redline against the version before, relative to the site root.
    pub changes: Option<String>,
    /// The version before, if any.
    pub previous: Option<String>,
}

/// A document to publish: its releases and, once retired, its final status.
struct Planned {
    id: crate::doc::DocId,
    records: Vec<ReleaseRecord>,
    relative: Option<PathBuf>,
    retired: Option<Retired>,
}

/// The status a retired SOP ended in (SPEC §8).
struct Retired {
    status: Status,
    superseded_by: String,
}

/// One SOP on the site, described by its latest release.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SopEntry {
    /// Document ID.
    pub id: String,
    /// Title at the latest release.
    pub title: String,
    /// Latest released version (SOP form).
    pub version: String,
    /// Its effective date.
    pub effective: String,
    /// Owner at the latest release.
    pub owner: String,
    /// Status at the latest release, or `superseded` / `obsolete` once retired.
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

/// One released version to render: its PDF, its HTML and the redline against the version before.
struct Work<'p> {
    planned: &'p Planned,
    record: &'p ReleaseRecord,
    previous: Option<&'p ReleaseRecord>,
}

/// What rendering one version did.
#[derive(Default)]
struct Done {
    findings: Vec<crate::doc::Finding>,
    written: Vec<PathBuf>,
    rendered: usize,
    kept: usize,
}

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
    use rayon::prelude::*;

    let repo = ws.require_repo()?;
    // A template leading out of the repository is refused before the first page is written.
    templates::verify(&ws.root)?;
    let mut report = Report::default();
    let mut plan: Vec<Planned> = Vec::new();
    let entries = ws.documents();
    report.missing = crate::check::repository::vanished_documents(ws, &entries);
    for entry in entries {
        let Ok(sop) = entry.sop else { continue };
        let Some(id) = sop.id().cloned() else {
            continue;
        };
        if plan.iter().any(|p| p.id == id) {
            continue;
        }
        let releases = ws.releases(&id)?;
        if releases.records.is_empty() {
            report.unreleased.push(id.to_string());
            continue;
        }
        let retired = crate::lifecycle::retired_status(ws, &sop).map(|status| Retired {
            status,
            superseded_by: ws
                .lifecycle()
                .retirement(id.as_str())
                .and_then(|r| r.superseded_by.clone())
                .or_else(|| sop.metadata.superseded_by.as_ref().map(ToString::to_string))
                .unwrap_or_default(),
        });
        plan.push(Planned {
            id,
            records: releases.records,
            relative: repo.relative(sop.path()),
            retired,
        });
    }
    plan.sort_by(|a, b| a.id.cmp(&b.id));

    let work: Vec<Work<'_>> = plan
        .iter()
        .flat_map(|planned| {
            planned
                .records
                .iter()
                .enumerate()
                .map(move |(i, record)| Work {
                    planned,
                    record,
                    previous: i.checked_sub(1).and_then(|p| planned.records.get(p)),
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
                let done = render_version(repo, &shared, w)?;
                progress(Progress::Rendered(format!(
                    "{} {}",
                    w.planned.id, w.record.version
                )));
                Ok(done)
            },
        )
        .collect();
    for result in results {
        let done = result?;
        report.written.extend(done.written);
        crate::doc::finding::extend_unique(&mut report.findings, done.findings);
        report.rendered += done.rendered;
        report.kept += done.kept;
    }

    let mut sops = Vec::new();
    for Planned {
        id,
        records,
        relative,
        retired,
    } in &plan
    {
        let mut versions = Vec::new();
        let mut previous: Option<String> = None;
        for record in records {
            let html_path = render::output_path(out, id.as_str(), &record.version, "html");
            let pdf_path = render::output_path(out, id.as_str(), &record.version, "pdf");
            versions.push(VersionEntry {
                version: record.version.to_string(),
                full_version: record.version.full(),
                effective: record.date.to_string(),
                author: record.author.clone(),
                summary: record.summary.clone(),
                tag: record.tag.clone(),
                commit: record.short_commit().to_string(),
                html: relative_url(out, &html_path),
                pdf: Some(relative_url(out, &pdf_path)),
                changes: previous
                    .as_ref()
                    .map(|_| relative_url(out, &changes_path(out, id.as_str(), record))),
                previous: previous.clone(),
            });
            previous = Some(record.version.to_string());
        }
        versions.reverse();
        let Some(last) = records.last() else { continue };
        let latest = load(repo, id, relative.as_deref(), last)?;
        let m = &latest.metadata;
        let next_review = if retired.is_some() {
            None
        } else {
            crate::lifecycle::next_review_since(ws, &latest, Some(last.date))
        };
        sops.push(SopEntry {
            id: id.to_string(),
            title: m.title.clone().unwrap_or_default(),
            version: versions
                .first()
                .map(|v| v.version.clone())
                .unwrap_or_default(),
            effective: versions
                .first()
                .map(|v| v.effective.clone())
                .unwrap_or_default(),
            owner: m.owner.clone().unwrap_or_default(),
            status: retired.as_ref().map_or_else(
                || m.status_or_default().to_string(),
                |r| r.status.to_string(),
            ),
            retired: retired.is_some(),
            superseded_by: retired
                .as_ref()
                .map(|r| r.superseded_by.clone())
                .unwrap_or_default(),
            next_review: next_review.map(|d| d.to_string()).unwrap_or_default(),
            overdue: next_review.is_some_and(|d| d < ws.today),
            page: format!("{id}/index.html"),
            versions,
        });
    }

    report.sops = sops.len();
    let css = templates::source(&ws.root, templates::STYLE)?;
    let organization = ws.settings.organization.clone();
    for sop in &sops {
        let page = templates::render(
            &ws.root,
            templates::SITE_SOP,
            minijinja::context! {
                sop => minijinja::value::Value::from(minijinja::value::Serde(sop)),
                organization => organization.clone(),
                css => minijinja::value::Value::from_safe_string(css.clone()),
                root => "../",
            },
        )?;
        let path = out.join(&sop.id).join("index.html");
        if fsx::write_if_changed(&path, page.as_bytes())? {
            report.written.push(path);
        }
    }
    let index = templates::render(
        &ws.root,
        templates::SITE_INDEX,
        minijinja::context! {
            sops => minijinja::value::Value::from(minijinja::value::Serde(&sops)),
            organization => organization,
            css => minijinja::value::Value::from_safe_string(css),
            root => "",
        },
    )?;
    let path = out.join("index.html");
    if fsx::write_if_changed(&path, index.as_bytes())? {
        report.written.push(path);
    }
    #[derive(serde::Serialize)]
    struct Index<'a> {
        organization: &'a str,
        sops: &'a [SopEntry],
    }
    let json = serde_json::to_string_pretty(&Index {
        organization: &ws.settings.organization,
        sops: &sops,
    })
    .unwrap_or_else(|_| "{}".to_string());
    let path = out.join("index.json");
    if fsx::write_if_changed(&path, json.as_bytes())? {
        report.written.push(path);
    }
    Ok(report)
}

/// `path` relative to `root` with `/` separators, for links.
fn relative_url(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect::<Vec<_>>()
        .join("/")
}

/// Where the redline of `record` against the version before goes.
fn changes_path(out: &Path, id: &str, record: &ReleaseRecord) -> PathBuf {
    render::output_path(out, id, &record.version, "html")
        .with_file_name(format!("{id}-v{}-changes.html", record.version))
}

/// The document `id` as released in `record`.
fn load(
    repo: &crate::repo::Repo,
    id: &crate::doc::DocId,
    relative: Option<&Path>,
    record: &ReleaseRecord,
) -> Result<Sop, PublishError> {
    let missing = || PublishError::MissingDocument {
        id: id.to_string(),
        tag: record.tag.clone(),
    };
    let (path, bytes) = repo
        .document_at(&record.commit, id, relative)
        .ok_or_else(missing)?;
    Sop::from_bytes(&path, bytes).map_err(|_| missing())
}

/// The checksums a release tag records for its renditions: file name → lowercase hex SHA-256
/// ([`crate::repo::transaction::RENDITION_TRAILER`]); empty for a tag without them.
fn recorded_checksums(
    repo: &crate::repo::Repo,
    tag: &str,
) -> std::collections::HashMap<String, String> {
    let Some(stored) = repo.stored_tag(tag) else {
        return Default::default();
    };
    stored
        .message
        .all(crate::repo::transaction::RENDITION_TRAILER)
        .iter()
        .filter_map(|t| {
            let (name, sum) = crate::repo::transaction::rendition_checksum(t)?;
            Some((name.to_string(), sum.to_string()))
        })
        .collect()
}

/// Renders one released version's PDF and HTML, and its redline against the version before,
/// each only when missing or not the copy the release recorded (its tag's checksums); a copy
/// that cannot be made as released (an image missing) is not published, and an error finding
/// says so (a retired SOP's renditions are always made again, to carry the watermark).
fn render_version(
    repo: &crate::repo::Repo,
    shared: &Shared<'_>,
    work: &Work<'_>,
) -> Result<Done, PublishError> {
    let Planned {
        id,
        relative,
        retired,
        ..
    } = work.planned;
    let record = work.record;
    let out = shared.out;
    let mut done = Done::default();
    let sop = load(repo, id, relative.as_deref(), record)?;
    let html_path = render::output_path(out, id.as_str(), &record.version, "html");
    let pdf_path = render::output_path(out, id.as_str(), &record.version, "pdf");
    let files = crate::render::images::CommitFiles {
        repo,
        commit: record.commit.clone(),
    };
    let mut job = RenderJob::new(
        &shared.render,
        &sop,
        relative.clone().unwrap_or_else(|| sop.path().to_path_buf()),
        &files,
        Some(record.short_commit()),
    );
    if let Some(retired) = retired {
        // A retired SOP's versions all carry its final status and watermark, and no next review.
        job.meta.status = retired.status.to_string();
        job.meta.next_review = String::new();
    }
    job.meta.approvals = record
        .approvals
        .iter()
        .map(|t| crate::lifecycle::Approval::from_trailer(t))
        .collect();
    let date = record
        .date
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .map_or(0, |z| z.timestamp().as_second());
    // The copies the release recorded (its tag's checksums): a copy on the site is one of them.
    let recorded = recorded_checksums(repo, &record.tag);
    let shown = relative
        .clone()
        .unwrap_or_else(|| PathBuf::from(id.as_str()));
    for (target, is_pdf) in [(&pdf_path, true), (&html_path, false)] {
        let expected = target
            .file_name()
            .and_then(|n| recorded.get(&n.to_string_lossy().into_owned()))
            .filter(|_| retired.is_none());
        let is_recorded = |bytes: &[u8]| {
            expected.is_none_or(|e| crate::repo::transaction::sha256_hex(bytes) == *e)
        };
        if target.exists()
            && retired.is_none()
            && fsx::read(target).is_ok_and(|bytes| is_recorded(&bytes))
        {
            done.kept += 1;
            continue;
        }
        let rendition = if is_pdf {
            render::pdf::pdf(&job, date)
        } else {
            render::html(&job)
        };
        let rendition = rendition.map_err(|e| match e {
            render::RenderError::Template(t) => PublishError::Template(t),
            render::RenderError::Pdf(p) => PublishError::Render(p),
        })?;
        crate::doc::finding::extend_unique(
            &mut done.findings,
            render::findings(&sop, &shown, &rendition.warnings),
        );
        if !is_recorded(&rendition.bytes) {
            let what = format!(
                "the {} of {id} {} made now is not the copy its release recorded",
                if is_pdf { "PDF" } else { "HTML" },
                record.version
            );
            if !rendition.warnings.is_empty() {
                // Something the release showed cannot be drawn now (an image not fetched from
                // Git LFS, …): such a copy is not put on the site, and a stale one is taken off.
                let _ = std::fs::remove_file(target);
                done.findings.push(crate::doc::Finding::error(
                    shown.clone(),
                    crate::doc::Location { line: 1, column: 1 },
                    format!("{what} (see the problems above), so it is not published; fix them (for an image in Git LFS: git lfs pull) and publish again"),
                ));
                continue;
            }
            done.findings.push(crate::doc::Finding::warning(
                shown.clone(),
                crate::doc::Location { line: 1, column: 1 },
                format!("{what} (another version of sopctl lays it out differently), so  sopctl verify  will not call it genuine; publish from the copies the release made, kept with it"),
            ));
        }
        fsx::write_atomic(target, &rendition.bytes)?;
        done.written.push(target.clone());
        done.rendered += 1;
    }
    // The redline against the version before (SPEC §7).
    if let Some(previous) = work.previous {
        let path = changes_path(out, id.as_str(), record);
        if path.exists() {
            done.kept += 1;
        } else {
            let before = load(repo, id, relative.as_deref(), previous)?;
            let diff = crate::diff::compare(
                &before,
                &sop,
                &previous.version.to_string(),
                &record.version.to_string(),
            );
            let css = templates::source(&shared.render.template_root, templates::STYLE)?;
            let page = crate::diff::format::html(&diff, id.as_str(), &css);
            fsx::write_atomic(&path, page.as_bytes())?;
            done.written.push(path);
            done.rendered += 1;
        }
    }
    Ok(done)
}
