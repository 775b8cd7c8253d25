//! A released version read back from its release commit and rendered: as the release made it
//! (the record copy), stamped as no longer in force (issue 16 item 1), or as a numbered
//! controlled copy (issue 16 item 3). One place makes all three, so they differ only in what
//! they are asked to print; `publish`, `verify FILE` and `sopctl copy` use it.
//!
//! The PDF's dates are the effective date, so the bytes depend only on the release and what is
//! printed on it: a copy made again is the same copy.

use std::path::{Path, PathBuf};

use super::{RenderError, RenderJob, RenderSettings, Rendition};
use crate::doc::{DocId, Sop};
use crate::lifecycle::standing::Stamp;
use crate::repo::{ReleaseRecord, Repo};

/// The release holds no readable file with the SOP's ID (a tag made by hand on another commit).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the release {tag} holds no readable file with the ID {id}")]
pub struct MissingDocument {
    /// The document.
    pub id: String,
    /// The release tag.
    pub tag: String,
}

/// What a copy prints besides the release itself.
#[derive(Debug, Clone, Copy, Default)]
pub struct Marks<'a> {
    /// The stamp of a version no longer in force: its status (the watermark) and notice on
    /// every page, and no next review.
    pub stamp: Option<&'a Stamp>,
    /// The footer notice in place of the `footer` setting: a controlled copy's number and
    /// holder.
    pub footer: Option<&'a str>,
}

/// One released version, ready to be rendered.
pub struct Released<'r> {
    /// The document as released.
    pub sop: Sop,
    /// Its images, read from the release commit.
    files: super::images::CommitFiles<'r>,
    /// The document's path in the repository (images resolve from its folder).
    relative: PathBuf,
    /// The release.
    record: ReleaseRecord,
}

impl<'r> Released<'r> {
    /// The document `id` as released in `record` (found at `relative`, or by its ID when it
    /// moved).
    ///
    /// # Errors
    /// [`MissingDocument`] when the release holds no readable file with the ID.
    pub fn read(
        repo: &'r Repo,
        id: &DocId,
        relative: Option<&Path>,
        record: &ReleaseRecord,
    ) -> Result<Released<'r>, MissingDocument> {
        let sop = load(repo, id, relative, record)?;
        let relative = relative.map_or_else(|| sop.path().to_path_buf(), Path::to_path_buf);
        Ok(Released {
            sop,
            files: super::images::CommitFiles {
                repo,
                commit: record.commit.clone(),
            },
            relative,
            record: record.clone(),
        })
    }

    /// The document's path in the repository, as findings name it.
    pub fn relative(&self) -> &Path {
        &self.relative
    }

    /// The PDF (`is_pdf`) or HTML of the version with `marks`: none for the record copy.
    ///
    /// # Errors
    /// A broken template; a PDF that cannot be written.
    pub fn render(
        &self,
        settings: &RenderSettings,
        marks: Marks<'_>,
        is_pdf: bool,
    ) -> Result<Rendition, RenderError> {
        let record = &self.record;
        let mut job = RenderJob::new(
            settings,
            &self.sop,
            self.relative.clone(),
            &self.files,
            Some(record.short_commit()),
        );
        if let Some(stamp) = marks.stamp {
            job.meta.status = stamp.status.to_string();
            job.meta.notice = stamp.notice.clone();
            job.meta.next_review = String::new();
        }
        if let Some(footer) = marks.footer {
            job.meta.footer = footer.to_string();
        }
        job.meta.approvals = crate::lifecycle::Approval::of_release(record);
        let date = record.pdf_date();
        if is_pdf {
            super::pdf::pdf(&job, date)
        } else {
            super::html(&job)
        }
    }
}

/// The document `id` as released in `record` (its file at `relative` tried first).
///
/// # Errors
/// [`MissingDocument`] when the release holds no readable file with the ID.
pub fn load(
    repo: &Repo,
    id: &DocId,
    relative: Option<&Path>,
    record: &ReleaseRecord,
) -> Result<Sop, MissingDocument> {
    let missing = || MissingDocument {
        id: id.to_string(),
        tag: record.tag.clone(),
    };
    let (path, bytes) = repo
        .document_at(&record.commit, id, relative)
        .ok_or_else(missing)?;
    Sop::from_bytes(&path, bytes).map_err(|_| missing())
}
