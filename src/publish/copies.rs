//! The copies of one released version the site offers (issue 16 item 1): the record copies
//! (the PDF and HTML the release made, whose checksums its tag records: never rewritten once
//! they are there), the stamped copies of a version no longer in force (the SUPERSEDED or
//! OBSOLETE watermark and the notice on every page, made from the release's tag, so the same
//! bytes every time), and the redline against the version before.
//!
//! Files, under the site folder: `{id}/{version}/{id}-v{version}.pdf` and `.html` (the record
//! copies), `{id}-v{version}-superseded.pdf` or `-obsolete.pdf` and `.html` beside them (the
//! stamped copies), `{id}-v{version}-changes.html` (the redline).

use std::path::{Path, PathBuf};

use super::{Done, PublishError, Shared, Work};
use crate::fsx;
use crate::lifecycle::standing::Stamp;
use crate::render::released::{Marks, Released, load};
use crate::render::{self, Rendition};
use crate::repo::{ReleaseRecord, Repo};

/// A rendition, or why it could not be made, as publishing reports it.
pub(super) fn rendered(
    result: Result<Rendition, render::RenderError>,
) -> Result<Rendition, PublishError> {
    result.map_err(|e| match e {
        render::RenderError::Template(t) => PublishError::Template(t),
        render::RenderError::Pdf(p) => PublishError::Render(p),
    })
}

/// Where the stamped copy of `record` goes: beside its record copy, named for the stamp's
/// status (`SOP-1-v1.0-superseded.pdf`).
pub fn stamped_path(
    out: &Path,
    id: &str,
    record: &ReleaseRecord,
    stamp: &Stamp,
    ext: &str,
) -> PathBuf {
    render::output_path(out, id, &record.version, ext).with_file_name(format!(
        "{id}-v{}-{}.{ext}",
        record.version,
        stamp.suffix()
    ))
}

/// The checksums a release tag records for its renditions: file name → lowercase hex SHA-256
/// ([`crate::repo::transaction::RENDITION_TRAILER`]); empty for a tag without them.
pub(super) fn recorded_checksums(
    repo: &Repo,
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

/// Renders what the site needs of one released version: its record copies, each only when
/// missing or not the copy the release recorded (its tag's checksums), never stamped; its
/// stamped copies when the version is no longer in force, when missing or stamped otherwise;
/// and its redline against the version before. A copy that cannot be made as released (an
/// image missing) is not published, and an error finding says so.
pub(super) fn render_version(
    repo: &Repo,
    shared: &Shared<'_>,
    work: &Work<'_>,
) -> Result<Done, PublishError> {
    let id = &work.planned.id;
    let record = work.record;
    let out = shared.out;
    let mut done = Done::default();
    let released = Released::read(repo, id, work.planned.relative.as_deref(), record)?;
    let shown = work
        .planned
        .relative
        .clone()
        .unwrap_or_else(|| PathBuf::from(id.as_str()));
    record_copies(repo, shared, work, &released, &shown, &mut done)?;
    // A stamp of another kind than the one the version carries now is taken off the site
    // (stamped superseded by a later version, then withdrawn as obsolete).
    for status in [crate::doc::Status::Superseded, crate::doc::Status::Obsolete] {
        if work.stamp.as_ref().is_some_and(|s| s.status == status) {
            continue;
        }
        let other = Stamp {
            status,
            notice: String::new(),
        };
        for ext in ["pdf", "html"] {
            let stale = stamped_path(out, id.as_str(), record, &other, ext);
            if stale.exists() && std::fs::remove_file(&stale).is_ok() {
                done.removed.push(stale);
            }
        }
    }
    if let Some(stamp) = &work.stamp {
        for (ext, is_pdf) in [("pdf", true), ("html", false)] {
            let target = stamped_path(out, id.as_str(), record, stamp, ext);
            // A stamped copy already there with this stamp, made by this sopctl, is kept: it is
            // made from the tag, so making it again gives the same bytes.
            let expected = [
                id.to_string(),
                record.version.to_string(),
                stamp.status.to_string(),
                stamp.notice.clone(),
                render::GENERATOR.to_string(),
            ];
            if let Ok(bytes) = fsx::read(&target)
                && crate::verify::copy::identity(&bytes) == expected
            {
                done.kept += 1;
                done.stamped
                    .push((target, crate::repo::transaction::sha256_hex(&bytes)));
                continue;
            }
            let marks = Marks {
                stamp: Some(stamp),
                footer: None,
            };
            let rendition = rendered(released.render(&shared.render, marks, is_pdf))?;
            done.stamped.push((
                target.clone(),
                crate::repo::transaction::sha256_hex(&rendition.bytes),
            ));
            crate::doc::finding::extend_unique(
                &mut done.findings,
                render::findings(&released.sop, &shown, &rendition.warnings),
            );
            fsx::write_atomic(&target, &rendition.bytes)?;
            done.written.push(target);
            done.rendered += 1;
        }
    }
    // The redline against the version before (SPEC §7; issue 18 item 5).
    if let Some(previous) = work.previous {
        redlines(repo, shared, work, &released, previous, &mut done)?;
    }
    Ok(done)
}

/// The PDF and HTML redline of `work`'s version against `previous`, each made when missing or
/// not a redline of this pair (a page an older sopctl wrote). Made from the two tags, so the
/// same bytes every time.
fn redlines(
    repo: &Repo,
    shared: &Shared<'_>,
    work: &Work<'_>,
    released: &Released<'_>,
    previous: &ReleaseRecord,
    done: &mut Done,
) -> Result<(), PublishError> {
    let (id, record) = (&work.planned.id, work.record);
    let (from, to) = (previous.version.to_string(), record.version.to_string());
    let notice = crate::render::redline::notice(&from, &to);
    let html_path = redline_path(shared.out, id.as_str(), record, "html");
    let pdf_path = redline_path(shared.out, id.as_str(), record, "pdf");
    // The page an older sopctl made in its place (changed blocks only) is taken off the site.
    let old_page = html_path.with_file_name(format!("{id}-v{}-changes.html", record.version));
    if old_page.exists() && std::fs::remove_file(&old_page).is_ok() {
        done.removed.push(old_page);
    }
    let current = |path: &Path, is_pdf: bool| {
        fsx::read(path).is_ok_and(|bytes| {
            if is_pdf {
                bytes.starts_with(b"%PDF-")
            } else {
                String::from_utf8_lossy(&bytes).contains(&notice)
            }
        })
    };
    let wanted: Vec<(&Path, bool)> = [(pdf_path.as_path(), true), (html_path.as_path(), false)]
        .into_iter()
        .filter(|(path, is_pdf)| {
            let keep = current(path, *is_pdf);
            if keep {
                done.kept += 1;
            }
            !keep
        })
        .collect();
    if wanted.is_empty() {
        return Ok(());
    }
    let before = load(repo, id, work.planned.relative.as_deref(), previous)?;
    let relative = released.relative().to_path_buf();
    let files = crate::render::images::CommitFiles {
        repo,
        commit: record.commit.clone(),
    };
    let job = crate::render::redline::Redline {
        old: crate::render::redline::Version {
            sop: &before,
            label: from,
            record: Some(previous),
        },
        new: crate::render::redline::Version {
            sop: &released.sop,
            label: to,
            record: Some(record),
        },
        files: &files,
        authors: crate::render::redline::changed_by(
            repo,
            &relative,
            Some(&previous.commit),
            Some(&record.commit),
        ),
        doc_relative: relative,
        context: None,
        working_approvals: Vec::new(),
    };
    let date = record.pdf_date();
    for (path, is_pdf) in wanted {
        let rendition = rendered(job.render(&shared.render, is_pdf, date))?;
        fsx::write_atomic(path, &rendition.bytes)?;
        done.written.push(path.to_path_buf());
        done.rendered += 1;
    }
    Ok(())
}

/// Where the redline of `record` against the version before goes, beside its downloads:
/// `{id}/{version}/{id}-v{version}-redline.{ext}` (`pdf` or `html`).
pub(super) fn redline_path(out: &Path, id: &str, record: &ReleaseRecord, ext: &str) -> PathBuf {
    render::output_path(out, id, &record.version, ext)
        .with_file_name(format!("{id}-v{}-redline.{ext}", record.version))
}

/// The record copies of `work`'s version, made when missing or not the bytes its tag records.
fn record_copies(
    repo: &Repo,
    shared: &Shared<'_>,
    work: &Work<'_>,
    released: &Released<'_>,
    shown: &Path,
    done: &mut Done,
) -> Result<(), PublishError> {
    let id = &work.planned.id;
    let record = work.record;
    // The copies the release recorded (its tag's checksums): a copy on the site is one of them.
    let recorded = recorded_checksums(repo, &record.tag);
    for (ext, is_pdf) in [("pdf", true), ("html", false)] {
        let target = render::output_path(shared.out, id.as_str(), &record.version, ext);
        let expected = target
            .file_name()
            .and_then(|n| recorded.get(&n.to_string_lossy().into_owned()));
        let is_recorded = |bytes: &[u8]| {
            expected.is_none_or(|e| crate::repo::transaction::sha256_hex(bytes) == *e)
        };
        let there = fsx::read(&target).ok();
        if there.as_deref().is_some_and(is_recorded) {
            done.kept += 1;
            continue;
        }
        if there.is_some() {
            // A copy on the site that is not the one the release recorded: said, then replaced.
            done.findings.push(crate::doc::Finding::warning(
                shown.to_path_buf(),
                crate::doc::Location { line: 1, column: 1 },
                format!(
                    "{} in the site folder was not the copy the release {} recorded (its SHA-256 differs from the tag's), so it is made again; if nobody here changed it, find out who did",
                    super::relative_url(shared.out, &target),
                    record.tag
                ),
            ));
        }
        let rendition = rendered(released.render(&shared.render, Marks::default(), is_pdf))?;
        crate::doc::finding::extend_unique(
            &mut done.findings,
            render::findings(&released.sop, shown, &rendition.warnings),
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
                let _ = std::fs::remove_file(&target);
                done.findings.push(crate::doc::Finding::error(
                    shown.to_path_buf(),
                    crate::doc::Location { line: 1, column: 1 },
                    format!("{what} (see the problems above), so it is not published; fix them (for an image in Git LFS: git lfs pull) and publish again"),
                ));
                continue;
            }
            done.findings.push(crate::doc::Finding::warning(
                shown.to_path_buf(),
                crate::doc::Location { line: 1, column: 1 },
                format!("{what} (another version of sopctl lays it out differently), so  sopctl verify  will not call it genuine; publish from the copies the release made, kept with it"),
            ));
        }
        fsx::write_atomic(&target, &rendition.bytes)?;
        done.written.push(target);
        done.rendered += 1;
    }
    Ok(())
}
