//! CHECK: the rules of `sopctl check` (SPEC §4), the one place they live.
//!
//! Takes the workspace and the SOP files found in it; returns located [`Finding`]s, errors and
//! warnings, sorted by file and place. `check` prints them; `release` refuses on the errors
//! ([`crate::release::Refusal::CheckFailed`]) and `approve` on their number, both through
//! [`errors_of`], which checks one document exactly as `sopctl check FILE` does: the errors a
//! release refuses on are the errors `check` prints for the same tree.
//!
//! - [`document`](mod@document): the rules one document is checked against on its own (front
//!   matter, body, placeholders, glyphs, merge markers, the values a release rewrites).
//! - [`links`]: links and images: anchors, schemes, files inside the repository.
//! - [`history`]: the document against git: status moves, version and revision table against
//!   the release tags, the periodic review.
//! - [`repository`](mod@repository): the rules that need every SOP or the settings: shared IDs
//!   and tag names, deleted and vanished SOPs, the `out` setting, templates, the people
//!   registry, an interrupted record.
//!
//! It does not print, decide exit codes or write anything.

pub mod document;
pub mod history;
pub mod links;
pub mod repository;

use std::path::{Path, PathBuf};

use crate::doc::{Finding, Severity, Sop};
use crate::workspace::{Entry, Workspace};

/// Which files a check covers.
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    /// Every SOP, and the rules about the repository as a whole: `sopctl check`.
    Everything,
    /// These files only (paths as in their [`Entry`]): `sopctl check FILE…`, and what a release
    /// or an approval of one document checks.
    Files(&'a [PathBuf]),
}

/// What a check found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// How many SOP files were checked.
    pub checked: usize,
    /// Every finding, sorted by file, then place.
    pub findings: Vec<Finding>,
}

impl Report {
    /// The findings that are errors.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
    }

    /// How many findings are errors.
    pub fn error_count(&self) -> usize {
        self.errors().count()
    }

    /// How many findings are warnings.
    pub fn warning_count(&self) -> usize {
        self.findings.len() - self.error_count()
    }
}

/// Every finding for one document: its own rules ([`document::check_document`], with its links
/// and images checked inside the repository), then the rules against its history in git
/// ([`history::findings`]). Paths are shown relative to the working directory.
pub fn document(ws: &Workspace, sop: &Sop) -> Vec<Finding> {
    document_shown(ws, sop, &ws.display_path(sop.path()))
}

/// [`document`], with the findings naming the file as `shown`.
fn document_shown(ws: &Workspace, sop: &Sop, shown: &Path) -> Vec<Finding> {
    let mut findings = document::check_document(sop, ws.repository_root());
    findings.extend(history::findings(ws, sop));
    for finding in &mut findings {
        shown.clone_into(&mut finding.path);
    }
    findings
}

/// Checks the files of `scope` among `entries` (every SOP file of the repository, plus any
/// named file outside the SOP folders): each document's own findings ([`document()`]), or the
/// reason it cannot be read; IDs that another file uses too; a tag format that the SOPs would
/// share. [`Scope::Everything`] adds the rules about the repository as a whole (SOPs deleted or
/// vanished, the `out` setting, templates, an interrupted record).
pub fn repository(ws: &Workspace, entries: &[Entry], scope: Scope<'_>) -> Report {
    let wanted = |path: &Path| match scope {
        Scope::Everything => true,
        Scope::Files(files) => files.iter().any(|f| f == path),
    };
    let mut report = Report::default();
    for entry in entries.iter().filter(|e| wanted(&e.path)) {
        report.checked += 1;
        let shown = ws.display_path(&entry.path);
        match &entry.sop {
            Ok(sop) => report.findings.extend(document_shown(ws, sop, &shown)),
            Err(e) => report.findings.push(e.to_finding(&shown)),
        }
    }
    let shown: Vec<PathBuf> = entries
        .iter()
        .filter(|e| wanted(&e.path))
        .map(|e| ws.display_path(&e.path))
        .collect();
    report.findings.extend(
        repository::duplicate_ids(ws, entries)
            .into_iter()
            .filter(|f| shown.contains(&f.path)),
    );
    report
        .findings
        .extend(repository::shared_tag_format(ws, entries));
    if matches!(scope, Scope::Everything) {
        report.findings.extend(repository::deleted_findings(ws));
        report.findings.extend(repository::bad_out_setting(ws));
        report.findings.extend(repository::interrupted_record(ws));
        report.findings.extend(repository::template_findings(ws));
        report.findings.extend(crate::people::findings(ws));
        report
            .findings
            .extend(crate::training::audience_findings(ws, entries));
        report
            .findings
            .extend(repository::vanished_documents(ws, entries));
    }
    report
        .findings
        .sort_by(|a, b| (&a.path, a.location).cmp(&(&b.path, b.location)));
    report
}

/// The errors `sopctl check` reports for `sop`'s file, checked among the repository's SOPs as
/// [`Scope::Files`] of that one file: what a release refuses on and an approval counts.
pub fn errors_of(ws: &Workspace, sop: &Sop) -> Vec<Finding> {
    let mut entries = ws.documents();
    let same = |path: &Path| same_file(path, sop.path());
    let path = match entries.iter_mut().find(|e| same(&e.path)) {
        Some(entry) => {
            // The document as the command read it, under the path the repository lists.
            entry.sop = Ok(sop.clone());
            entry.path.clone()
        }
        None => {
            // A file outside the SOP folders, named as `check` names it.
            let path = sop
                .path()
                .canonicalize()
                .unwrap_or_else(|_| sop.path().to_path_buf());
            entries.push(Entry {
                path: path.clone(),
                sop: Ok(sop.clone()),
            });
            path
        }
    };
    repository(ws, &entries, Scope::Files(&[path]))
        .errors()
        .cloned()
        .collect()
}

/// Whether two paths name the same file (symbolic links and `..` resolved where they exist).
fn same_file(a: &Path, b: &Path) -> bool {
    a == b || matches!((a.canonicalize(), b.canonicalize()), (Ok(a), Ok(b)) if a == b)
}
