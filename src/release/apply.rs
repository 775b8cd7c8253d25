//! APPLY: carry out a [`ReleasePlan`] as one git transaction (SPEC §5.3–5.5).

use crate::repo::transaction::{FaultPoint, ReleaseWrite, Written};
use crate::repo::{Repo, RepoError};

use super::ReleasePlan;

/// Writes the commit and the tag, moves the branch, writes the document and its index entry;
/// on any failure everything is undone (see [`crate::repo::transaction`]). Holds the
/// repository's release lock throughout, so two releases at once never interleave.
///
/// # Errors
/// [`RepoError::Busy`] when another release holds the lock; [`RepoError::Moved`] when the
/// branch or tag changed since the plan; any git or file error. The repository is then as it
/// was.
pub fn apply(repo: &Repo, plan: &ReleasePlan) -> Result<Written, RepoError> {
    let _lock = repo.lock_release()?;
    let bytes = plan.new_source.to_bytes();
    let write = ReleaseWrite {
        file: &plan.path,
        relative: &plan.relative,
        new_bytes: &bytes,
        commit_message: &plan.commit_message,
        tag_name: &plan.tag_name,
        tag_message: &plan.tag_message,
        identity: &plan.identity,
        time: plan.time,
    };
    repo.write_release(&write, FaultPoint::from_env())
}
