//! APPLY: carry out a [`ReleasePlan`] as one git transaction (SPEC §5.3–5.5).

use crate::doc::Sop;
use crate::render::images::WorkTree;
use crate::render::{self, RenderJob, RenderSettings};
use crate::repo::RepoError;
use crate::repo::lock::RecordLock;
use crate::repo::transaction::{FaultPoint, RecordWrite, Written};
use crate::workspace::Workspace;

use super::ReleasePlan;

/// Writes the commit and the tag, moves the branch, writes the document, its renditions
/// ([`ReleasePlan::renders`], made from the new text with the new commit's id) and its index
/// entry, all or nothing even when the process is killed (see [`crate::repo::transaction`]).
/// `lock` is the record lock the caller took before planning, so two releases at once never
/// interleave.
///
/// # Errors
/// [`RepoError::Moved`] when the branch or tag changed since the plan; any git, rendering or
/// file error before the commit point, the repository then as it was;
/// [`RepoError::Unfinished`] after it (the next command finishes the release).
pub fn apply(ws: &Workspace, plan: &ReleasePlan, lock: &RecordLock) -> Result<Applied, RepoError> {
    let repo = ws.repo.as_ref().ok_or(RepoError::Git {
        action: "release",
        message: "not a git repository".into(),
    })?;
    let settings = RenderSettings::of(ws);
    let bytes = plan.new_source.to_bytes();
    let findings = std::cell::RefCell::new(Vec::new());
    let renditions = |commit: &str| -> Result<Vec<(std::path::PathBuf, Vec<u8>)>, String> {
        if plan.renders.is_empty() {
            return Ok(Vec::new());
        }
        let sop = Sop::from_source(plan.new_source.clone()).map_err(|e| e.to_string())?;
        let files = WorkTree {
            root: repo.workdir().to_path_buf(),
        };
        let short = &commit[..commit.len().min(7)];
        let mut job = RenderJob::new(&settings, &sop, plan.relative.clone(), &files, Some(short));
        job.meta.approvals.clone_from(&plan.signatures);
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
            let rendition = rendition.map_err(|e| e.to_string())?;
            // An image whose content this copy of the repository lacks (Git LFS not fetched)
            // would be missing from the released copy for good: the release stops here.
            if let Some(source) = rendition.warnings.iter().find_map(|w| match w {
                render::RenderWarning::Image {
                    source,
                    problem: crate::render::images::ImageProblem::LfsMissing,
                } => Some(source),
                _ => None,
            }) {
                return Err(format!(
                    "the image {source} is kept in Git LFS, and its content is not in this copy of the repository, so the released copies would lack it; run  git lfs pull  and release again"
                ));
            }
            let shown = ws.display_path(&plan.path);
            crate::doc::finding::extend_unique(
                &mut findings.borrow_mut(),
                render::findings(&sop, &shown, &rendition.warnings),
            );
            files.push((path.clone(), rendition.bytes));
        }
        Ok(files)
    };
    let write = RecordWrite {
        what: format!("the release {}", plan.tag_name),
        files: vec![(plan.relative.clone(), bytes)],
        commit_message: &plan.commit_message,
        tag: Some((&plan.tag_name, &plan.tag_message)),
        identity: &plan.identity,
        time: plan.time,
        renditions: Some(&renditions),
        options: plan.record,
    };
    let written = repo.write_record(lock, &write, FaultPoint::from_env())?;
    Ok(Applied {
        written,
        findings: findings.into_inner(),
    })
}

/// What a release did.
#[derive(Debug)]
pub struct Applied {
    /// The commit and tag written.
    pub written: Written,
    /// Image and glyph problems of the renditions made (issue 14 item 6), located in the
    /// released text.
    pub findings: Vec<crate::doc::Finding>,
}
