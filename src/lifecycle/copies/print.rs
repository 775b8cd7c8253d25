//! The PDF of a controlled copy, made in memory: the release's rendition as `publish` makes it
//! from the tag ([`crate::render::released`]), with the copy's notice in the footer in place of
//! the `footer` setting.

use std::path::Path;

use super::{ControlledCopy, CopyError};
use crate::doc::DocId;
use crate::render::RenderSettings;
use crate::render::released::{Marks, Released};
use crate::repo::ReleaseRecord;
use crate::workspace::Workspace;

/// Makes the PDFs of controlled copies of one release.
pub struct Printer<'a> {
    settings: RenderSettings,
    released: Released<'a>,
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
        let released = Released::read(repo, id, relative, release).map_err(|m| {
            CopyError::MissingDocument {
                id: m.id,
                tag: m.tag,
            }
        })?;
        Ok(Printer {
            settings: RenderSettings::of(ws),
            released,
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
        let marks = Marks {
            stamp: None,
            footer: Some(&notice),
        };
        let rendition = self
            .released
            .render(&self.settings, marks, true)
            .map_err(|e| CopyError::Render {
                number: copy.number,
                reason: e.to_string(),
            })?;
        if !rendition.warnings.is_empty() {
            return Err(CopyError::Incomplete {
                id: copy.id.clone(),
                version: copy.version.clone(),
                findings: crate::render::findings(
                    &self.released.sop,
                    self.released.relative(),
                    &rendition.warnings,
                ),
            });
        }
        Ok(rendition.bytes)
    }
}
