//! APPLY: carry out a [`ReleasePlan`] as one git transaction (SPEC §5.3–5.5).

use crate::doc::Sop;
use crate::render::images::WorkTree;
use crate::render::{self, RenderJob, RenderMeta};
use crate::repo::RepoError;
use crate::repo::transaction::{FaultPoint, ReleaseWrite, Written};
use crate::workspace::Workspace;

use super::ReleasePlan;

/// Writes the commit and the tag, moves the branch, writes the document, its renditions
/// ([`ReleasePlan::renders`], made from the new text with the new commit's id) and its index
/// entry; on any failure everything is undone (see [`crate::repo::transaction`]). Holds the
/// repository's release lock throughout, so two releases at once never interleave.
///
/// # Errors
/// [`RepoError::Busy`] when another release holds the lock; [`RepoError::Moved`] when the
/// branch or tag changed since the plan; any git, rendering or file error. The repository is
/// then as it was.
pub fn apply(ws: &Workspace, plan: &ReleasePlan) -> Result<Written, RepoError> {
    let repo = ws.repo.as_ref().ok_or(RepoError::Git {
        action: "release",
        message: "not a git repository".into(),
    })?;
    let _lock = repo.lock_release()?;
    let links = render::sop_links(ws);
    let bytes = plan.new_source.to_bytes();
    let renditions = |commit: &str| -> Result<Vec<(std::path::PathBuf, Vec<u8>)>, String> {
        if plan.renders.is_empty() {
            return Ok(Vec::new());
        }
        let sop = Sop::from_source(plan.new_source.clone()).map_err(|e| e.to_string())?;
        let files = WorkTree {
            root: repo.workdir().to_path_buf(),
        };
        let short = &commit[..commit.len().min(7)];
        let job = RenderJob {
            sop: &sop,
            doc_relative: plan.relative.clone(),
            files: &files,
            meta: RenderMeta {
                approvals: plan.signatures.clone(),
                ..RenderMeta::of(
                    &sop,
                    &ws.settings.organization,
                    &ws.settings.footer,
                    Some(short),
                )
            },
            allow_html: ws.settings.allow_html,
            paper: ws.settings.paper,
            template_root: ws.root.clone(),
            sop_links: &links,
        };
        let date = plan
            .effective
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map_or(0, |z| z.timestamp().as_second());
        let mut files = Vec::new();
        for path in &plan.renders {
            let rendition = match path.extension().and_then(|e| e.to_str()) {
                Some("pdf") => render::pdf::pdf(&job, date),
                _ => render::html(&job),
            };
            files.push((path.clone(), rendition.map_err(|e| e.to_string())?.bytes));
        }
        Ok(files)
    };
    let write = ReleaseWrite {
        file: &plan.path,
        relative: &plan.relative,
        new_bytes: &bytes,
        commit_message: &plan.commit_message,
        tag_name: &plan.tag_name,
        tag_message: &plan.tag_message,
        identity: &plan.identity,
        time: plan.time,
        renditions: &renditions,
    };
    repo.write_release(&write, FaultPoint::from_env())
}
