//! The bundled example: a real published SOP (`docs/examples/privacy-settings-sop.md`) with a
//! real release history, so that every command can be tried at once (`sopctl init --example`).
//!
//! The history: the document is committed and released as 1.0 on 2025-11-08 (its date in the
//! source); then a realistic edit (a longer time estimate, a record-keeping step, a new FAQ
//! entry, and the Compliance Notes section moved above the revision history) is committed and
//! released as 1.1 on 2026-02-01. Commits and tags are made as the document's owner, Alex
//! Example, at fixed times, so every example repository has the same history.

use std::path::{Path, PathBuf};

use crate::doc::Sop;
use crate::release::{ReleaseRequest, apply, plan};
use crate::repo::{Identity, Repo, RepoError};
use crate::version::Bump;
use crate::workspace::{Workspace, WorkspaceError};

/// The example SOP as shipped (version 1.0).
pub const SOURCE: &str = include_str!("../docs/examples/privacy-settings-sop.md");

/// Where the example goes in the repository.
pub const PATH: &str = "sops/privacy-settings-sop.md";

/// Why the example could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ExampleError {
    /// The file exists already.
    #[error("{} exists already", path.display())]
    Exists {
        /// The file.
        path: PathBuf,
    },
    /// The 1.1 edit no longer fits the shipped text (a bug in sopctl).
    #[error("the example's 1.1 edit does not fit the bundled text: `{0}` not found")]
    EditDoesNotFit(&'static str),
    /// Git failed.
    #[error(transparent)]
    Repo(#[from] RepoError),
    /// The workspace could not be read.
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    /// A release was refused (a bug in sopctl: the example is always releasable).
    #[error("the example release was refused: {0}")]
    Refused(String),
    /// A file could not be written.
    #[error(transparent)]
    Io(#[from] crate::fsx::FsError),
}

/// The edits that make version 1.1: (text to find, replacement). Each must match exactly once.
const EDITS_1_1: [(&str, &str); 4] = [
    (
        "**Estimated Time:** 2-3 minutes",
        "**Estimated Time:** 3-5 minutes",
    ),
    (
        "4. The setting saves automatically (no save button required)\n",
        "4. The setting saves automatically (no save button required)\n5. Take a screenshot of the Privacy page showing the setting and file it with your records\n",
    ),
    (
        "### Q: Are there other ways my data might be used?",
        "### Q: I use Claude through my company's Enterprise plan. Do I need to do anything?\n\nYour organization's administrator manages this setting for everyone. Follow your company's data-handling policy, and ask your IT department if you are unsure whether it applies to you.\n\n### Q: Are there other ways my data might be used?",
    ),
    (
        "## Document Revision History\n",
        "{COMPLIANCE}## Document Revision History\n",
    ),
];

/// The example's text at version 1.1, made from `text` (its 1.0 text as released).
///
/// # Errors
/// [`ExampleError::EditDoesNotFit`] when the shipped text changed and an edit no longer applies.
pub fn edit_to_1_1(text: &str) -> Result<String, ExampleError> {
    let start = text
        .find("## Compliance Notes")
        .ok_or(ExampleError::EditDoesNotFit("## Compliance Notes"))?;
    let compliance = text[start..].trim_end().to_string() + "\n\n";
    let mut out = text[..start].trim_end().to_string() + "\n";
    for (find, replace) in EDITS_1_1 {
        if out.matches(find).count() != 1 {
            return Err(ExampleError::EditDoesNotFit(find));
        }
        out = out.replacen(find, &replace.replace("{COMPLIANCE}", &compliance), 1);
    }
    Ok(out)
}

/// The two releases the example gets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleHistory {
    /// The document's path.
    pub path: PathBuf,
    /// The tags made, oldest first.
    pub tags: Vec<String>,
}

fn time(date: &str) -> i64 {
    // 09:00 UTC on the given day.
    date.parse::<jiff::civil::Date>()
        .ok()
        .and_then(|d| {
            d.to_datetime(jiff::civil::Time::new(9, 0, 0, 0).ok()?)
                .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                .ok()
        })
        .map_or(0, |z| z.timestamp().as_second())
}

/// Adds the example with its history to the repository at `dir` (already initialised).
///
/// # Errors
/// [`ExampleError::Exists`] when the file is there already; git or file errors.
pub fn create(dir: &Path, today: jiff::civil::Date) -> Result<ExampleHistory, ExampleError> {
    let path = dir.join(PATH);
    if path.exists() {
        return Err(ExampleError::Exists { path });
    }
    let owner = Identity {
        name: "Alex Example".to_string(),
        email: "alex.example@example.org".to_string(),
    };
    crate::fsx::write_atomic(&path, SOURCE.as_bytes())?;
    let repo = Repo::discover(dir)?.ok_or(ExampleError::Refused("no repository".into()))?;
    let lock = repo.lock_records(&mut || {})?;
    // The example's history is a demonstration by "Alex Example": never signed with the user's
    // key, and not subject to the hooks of the repository it is added to.
    let recorder = crate::repo::transaction::Recorder {
        lock: &lock,
        options: crate::repo::transaction::RecordOptions {
            sign: crate::repo::sign::SignWhen::Never,
            hooks: false,
        },
    };
    let relative = Path::new(PATH);
    let settings = Path::new(crate::config::FILE_NAME);
    let gitignore = Path::new(".gitignore");
    let mut setup: Vec<&Path> = vec![relative];
    for extra in [settings, gitignore] {
        if dir.join(extra).exists() {
            setup.push(extra);
        }
    }
    repo.commit_files(
        &lock,
        &setup,
        recorder.write(
            "the example's first commit".into(),
            "Add SOP-IT-001 Verifying Claude.ai Privacy Settings",
            &owner,
            Some(time("2025-11-07")),
        ),
    )?;

    let mut tags = Vec::new();
    let release = |summary: &str,
                   date: &str,
                   bump: Option<Bump>,
                   tags: &mut Vec<String>|
     -> Result<(), ExampleError> {
        let ws = Workspace::discover(dir, today)?;
        let sop = Sop::load(&path).map_err(|e| ExampleError::Refused(e.to_string()))?;
        let request = ReleaseRequest {
            bump,
            summary: Some(summary.to_string()),
            author: Some(owner.name.clone()),
            date: date.parse().ok(),
            time: Some(time(date)),
            identity: Some(owner.clone()),
            record: recorder.options,
            // The renditions a reader downloads, whose checksums the tags record.
            render: true,
            ..ReleaseRequest::default()
        };
        let plan = plan::prepare(&ws, &sop, &request).map_err(|r| {
            ExampleError::Refused(
                r.iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
        let repo = ws
            .repo
            .as_ref()
            .ok_or(ExampleError::Refused("no repository".into()))?;
        let _ = repo;
        apply::apply(&ws, &plan, &lock)?;
        tags.push(plan.tag_name.clone());
        Ok(())
    };
    release("Initial document creation", "2025-11-08", None, &mut tags)?;

    let released = String::from_utf8_lossy(&crate::fsx::read(&path)?).into_owned();
    crate::fsx::write_atomic(&path, edit_to_1_1(&released)?.as_bytes())?;
    repo.commit_files(
        &lock,
        &[relative],
        recorder.write(
            "the example's edit".into(),
            "Add a record-keeping step and an FAQ for enterprise plans",
            &owner,
            Some(time("2026-01-20")),
        ),
    )?;
    release(
        "Add a record-keeping step and an FAQ for enterprise plans",
        "2026-02-01",
        Some(Bump::Minor),
        &mut tags,
    )?;
    Ok(ExampleHistory { path, tags })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_1_1_edit_fits_the_shipped_text_and_moves_compliance_notes_up() {
        let edited = edit_to_1_1(SOURCE).expect("fits");
        let compliance = edited.find("## Compliance Notes").expect("kept");
        let history = edited.find("## Document Revision History").expect("kept");
        assert!(compliance < history);
        assert!(edited.contains("5. Take a screenshot of the Privacy page"));
        assert!(edited.contains("3-5 minutes"));
        assert!(edited.ends_with("| 1.0 | 2025-11-08 | Initial document creation | - |\n"));
    }
}
