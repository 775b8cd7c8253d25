//! What the checks share: [`Files`], to read an SOP's file as it was in a commit, and
//! [`Context`], which adds whom signatures are checked against and the lifecycle's records.
//! `verify` reads every release with [`Files`] while the history is still being walked, and
//! judges what it read with [`Context`] once the walk has given the trust list and the
//! approvals.

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::doc::revision_table::Row;
use crate::doc::{DocId, Sop};
use crate::repo::{ReleaseRecord, Repo};

use super::records::ApprovalCommit;
use super::trust::Trust;

/// The repository, where each SOP's file is now (so a released file is found without
/// searching the tree), and HEAD.
#[derive(Clone, Copy)]
pub(crate) struct Files<'a> {
    pub(crate) repo: &'a Repo,
    /// Each SOP's file in the work tree, relative to its root.
    pub(crate) paths: &'a BTreeMap<DocId, PathBuf>,
    /// The commit HEAD is at, read once (`None` in a repository without commits).
    pub(crate) head: Option<&'a str>,
    /// Each SOP of the work tree, parsed when the work tree was read.
    pub(crate) worktree: &'a BTreeMap<DocId, Sop>,
}

impl Files<'_> {
    /// The SOP `id` as HEAD holds it, and where: the work tree's copy when its bytes are the
    /// ones HEAD holds at the same path (git's blob id of the one is the other's), so a clean
    /// work tree is not read and parsed again; else read from HEAD.
    /// `in_head` is the id of HEAD's file at the SOP's path, when it has one.
    pub(crate) fn at_head(
        &self,
        id: &DocId,
        in_head: Option<&str>,
    ) -> Option<(std::borrow::Cow<'_, Sop>, PathBuf)> {
        let head = self.head?;
        if let (Some(path), Some(sop), Some(in_head)) =
            (self.paths.get(id), self.worktree.get(id), in_head)
            && in_head == Repo::blob_id(&sop.source.to_bytes())
        {
            return Some((std::borrow::Cow::Borrowed(sop), path.clone()));
        }
        let sop = self.document(head, id)?;
        let path = sop.path().to_path_buf();
        Some((std::borrow::Cow::Owned(sop), path))
    }

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

    /// The row of the adopted release `record` as its own released file has it.
    pub(crate) fn adopted_row(&self, id: &DocId, record: &ReleaseRecord) -> Option<Row> {
        let sop = self.document(&record.commit, id)?;
        crate::doc::revision_table::find(&sop)?
            .rows
            .into_iter()
            .find(|row| row.version.as_ref() == Some(&record.version))
    }
}

/// [`Files`], with the signature checker, every approval commit and every release commit.
pub(crate) struct Context<'a> {
    /// What the checks read files with; its repository is the one the checks ask.
    pub(crate) files: Files<'a>,
    pub(crate) trust: &'a Trust,
    pub(crate) approvals: &'a [ApprovalCommit],
    /// Every release commit of the current branch, newest first.
    pub(crate) release_commits: &'a [crate::repo::inspect::ReleaseCommit],
}

impl<'a> Context<'a> {
    /// The repository.
    pub(crate) fn repo(&self) -> &'a Repo {
        self.files.repo
    }

    /// As [`Files::document`].
    pub(crate) fn document(&self, commit: &str, id: &DocId) -> Option<Sop> {
        self.files.document(commit, id)
    }
}
