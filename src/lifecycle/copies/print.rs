//! The PDF of a controlled copy, made in memory.

use std::path::{Path, PathBuf};

use super::{ControlledCopy, CopyError};
use crate::doc::{DocId, Sop};
use crate::render::{RenderJob, RenderSettings};
use crate::repo::{ReleaseRecord, Repo};
use crate::workspace::Workspace;

/// Makes the PDFs of controlled copies of one release: the release's rendition (as `publish`
/// makes it from the tag) with the copy's notice in the footer in place of the `footer`
/// setting.
pub struct Printer<'a> {
    repo: &'a Repo,
    settings: RenderSettings,
    sop: Sop,
    relative: PathBuf,
    release: ReleaseRecord,
}

impl<'a> Printer<'a> {
    /// A printer for `release` of SOP `id` (its file found at the release commit by ID,
    /// starting from `relative`, the file's path in the work tree today).
    ///
    /// # Errors
    /// [`CopyError::MissingDocument`]; no repository.
    pub fn new(
        ws: &'a Workspace,
        id: &DocId,
        relative: Option<&Path>,
        release: &ReleaseRecord,
    ) -> Result<Printer<'a>, CopyError> {
        let repo = ws.require_repo()?;
        let missing = || CopyError::MissingDocument {
            id: id.to_string(),
            tag: release.tag.clone(),
        };
        let (path, bytes) = repo
            .document_at(&release.commit, id, relative)
            .ok_or_else(missing)?;
        let sop = Sop::from_bytes(&path, bytes).map_err(|_| missing())?;
        Ok(Printer {
            repo,
            settings: RenderSettings::of(ws),
            relative: path,
            sop,
            release: release.clone(),
        })
    }

    /// The release printed.
    pub fn release(&self) -> &ReleaseRecord {
        &self.release
    }

    /// The PDF of `copy`, in memory.
    ///
    /// # Errors
    /// [`CopyError::NoticeTooLong`] when the notice cannot be printed whole;
    /// [`CopyError::Incomplete`] when an image or a character cannot be drawn;
    /// [`CopyError::Render`] when the PDF cannot be written.
    pub fn pdf(&self, copy: &ControlledCopy) -> Result<Vec<u8>, CopyError> {
        let notice = copy.notice();
        if !crate::render::pdf::layout::page::notice_fits(&notice, self.settings.paper) {
            return Err(CopyError::NoticeTooLong { notice });
        }
        let files = crate::render::images::CommitFiles {
            repo: self.repo,
            commit: self.release.commit.clone(),
        };
        let mut job = RenderJob::new(
            &self.settings,
            &self.sop,
            self.relative.clone(),
            &files,
            Some(self.release.short_commit()),
        );
        job.meta.footer = notice;
        job.meta.approvals = self
            .release
            .approvals
            .iter()
            .map(|t| crate::lifecycle::Approval::from_trailer(t))
            .collect();
        let date = self
            .release
            .date
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map_or(0, |z| z.timestamp().as_second());
        let rendition = crate::render::pdf::pdf(&job, date).map_err(|e| CopyError::Render {
            number: copy.number,
            reason: e.to_string(),
        })?;
        if !rendition.warnings.is_empty() {
            return Err(CopyError::Incomplete {
                id: copy.id.clone(),
                version: copy.version.clone(),
                findings: crate::render::findings(&self.sop, &self.relative, &rendition.warnings),
            });
        }
        Ok(rendition.bytes)
    }
}
