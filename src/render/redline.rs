//! The redline renditions (issue 18 item 1): the later version of a document, whole, with the
//! changes from the earlier one marked ([`crate::diff::redline`]), after a first page that sums
//! them up. The PDF is laid out by the same engine as the document's own PDF and the HTML is
//! written into the same page template, so formatting, tables, lists, images and headings look
//! as in the renditions; only the table of contents gives way to the summary.
//!
//! A redline is for review: it says so under its title and in the footer of every page, and it
//! is never a record copy (`verify FILE` does not take it for one).

use std::path::PathBuf;

use super::images::FileSource;
use super::{Contents, RenderError, RenderJob, RenderSettings, Rendition};
use crate::diff::redline::summary::{Facts, Side};
use crate::diff::{self, DocDiff};
use crate::doc::Sop;
use crate::model::{Block, Document};
use crate::repo::ReleaseRecord;

/// One of the two versions compared.
pub struct Version<'a> {
    /// The document as it is in that version.
    pub sop: &'a Sop,
    /// What it is called: `1.0`, `working copy`.
    pub label: String,
    /// The release that made it, if it is a released version (its approvals are printed).
    pub record: Option<&'a ReleaseRecord>,
}

/// A redline to render.
pub struct Redline<'a> {
    /// The earlier version.
    pub old: Version<'a>,
    /// The later version: the redline shows it, with its images.
    pub new: Version<'a>,
    /// Where the later version's images are read from.
    pub files: &'a dyn FileSource,
    /// The document's path relative to the repository root (images resolve from its folder).
    pub doc_relative: PathBuf,
    /// Who changed the document between the two versions (see [`Facts::authors`]).
    pub authors: Vec<String>,
    /// Show only the changed sections and this many on either side of each (`--context N`);
    /// `None` for the whole document.
    pub context: Option<usize>,
    /// For a later version that is a working copy, the approvals its current text holds: the
    /// signature manifest printed (21 CFR 11.50). A release's are read from its record.
    pub working_approvals: Vec<crate::lifecycle::Approval>,
}

/// Who changed the file at `relative` after the commit `since` up to the commit `until` (the
/// current branch's head when `None`): the commit authors' names, each once, in the order of
/// their first change. An unreadable history gives no one.
pub fn changed_by(
    repo: &crate::repo::Repo,
    relative: &std::path::Path,
    since: Option<&str>,
    until: Option<&str>,
) -> Vec<String> {
    let changes = repo
        .changes_between(relative, since, until)
        .unwrap_or_default();
    let mut names: Vec<String> = Vec::new();
    for change in changes.into_iter().rev() {
        if !names.contains(&change.name) {
            names.push(change.name);
        }
    }
    names
}

/// The notice a redline carries under its title and in its footer, short enough to leave room
/// for the footer notice and the commit: `Redline 1.0 → 1.1, for review only`.
pub fn notice(from: &str, to: &str) -> String {
    format!("Redline {from} → {to}, for review only")
}

impl Redline<'_> {
    /// The comparison, the summary of the first page, and the document with its changes marked.
    pub fn document(&self) -> (DocDiff, Vec<Block>, Document) {
        let (old, new) = (self.old.sop, self.new.sop);
        let compared = diff::compare(old, new, &self.old.label, &self.new.label);
        let old_doc = Document::parse(old.body(), old.body_first_line());
        let new_doc = Document::parse(new.body(), new.body_first_line());
        let mut marked = diff::redline::redline(&old_doc, &new_doc, &self.new.label);
        if let Some(n) = self.context {
            marked.blocks = diff::redline::limit_context(marked.blocks, n);
        }
        // A working copy is not released: no effective date, a draft whatever its front
        // matter still says.
        let side = |v: &Version<'_>| match v.record {
            Some(_) => Side {
                label: v.label.clone(),
                effective: v
                    .sop
                    .metadata
                    .effective
                    .map(|d| d.to_string())
                    .unwrap_or_default(),
                status: format!("{} (as released)", v.sop.metadata.status_or_default()),
            },
            None => Side {
                label: v.label.clone(),
                effective: "not released".to_string(),
                status: "draft".to_string(),
            },
        };
        let facts = Facts {
            from: side(&self.old),
            to: side(&self.new),
            authors: self.authors.clone(),
        };
        let summary = diff::redline::summary::summary(&compared, &facts);
        (compared, summary, marked)
    }

    /// The PDF (`is_pdf`) or HTML redline, made with the repository's `settings`; `date`
    /// (seconds since the Unix epoch) is the PDF's creation date.
    ///
    /// # Errors
    /// A broken template; a PDF that cannot be written.
    pub fn render(
        &self,
        settings: &RenderSettings,
        is_pdf: bool,
        date: i64,
    ) -> Result<Rendition, RenderError> {
        let (_, summary, doc) = self.document();
        let commit = self.new.record.map(ReleaseRecord::short_commit);
        let mut job = RenderJob::new(
            settings,
            self.new.sop,
            self.doc_relative.clone(),
            self.files,
            commit,
        );
        match self.new.record {
            Some(record) => job.meta.approvals = crate::lifecycle::Approval::of_release(record),
            None => {
                job.meta.approvals = self.working_approvals.clone();
                job.meta.mark_unreleased();
            }
        }
        job.meta.notice = notice(&self.old.label, &self.new.label);
        // The header, the title block, the page title and the PDF's subject name both versions.
        job.meta.version = format!("{} → {}", self.old.label, self.new.label);
        // Not a copy of the version: `verify FILE` must not take it for one.
        job.meta.redline = true;
        if is_pdf {
            super::pdf::pdf_of(&job, doc, date, Contents::Summary(&summary))
        } else {
            super::html_of(&job, &doc, Contents::Summary(&summary))
        }
    }
}
