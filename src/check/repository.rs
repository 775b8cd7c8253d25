//! The rules that need the whole repository (SPEC §4): IDs used by more than one file, a tag
//! format that SOPs would share, SOPs deleted or vanished from the working copy, the `out`
//! setting and the templates, and a record a killed sopctl left unfinished.
//!
//! Takes the workspace and the SOP files found in it ([`Entry`]); returns findings located in
//! the files they concern (an SOP, `sopctl.toml`, a template, sopctl's journal). Reads git and
//! the file system; changes nothing.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::doc::{DocId, Finding, Location, Sop};
use crate::repo::TagFormat;
use crate::workspace::{Entry, Workspace};

/// A warning for each SOP deleted in the working copy ([`Workspace::deleted_documents`]), at
/// line 1 of the missing file: a deletion left uncommitted is usually a mistake, and a
/// released SOP is withdrawn with `sopctl retire`, which keeps it in the archive.
pub fn deleted_findings(ws: &Workspace) -> Vec<Finding> {
    let Some(repo) = &ws.repo else {
        return Vec::new();
    };
    ws.deleted_documents()
        .iter()
        .map(|(id, relative)| {
            let shown = ws.display_path(&repo.workdir().join(relative));
            Finding::warning(
                shown.clone(),
                Location { line: 1, column: 1 },
                format!(
                    "{id} is deleted from the working copy (it is still in the last commit); bring it back with  git restore -- {}  or, to withdraw the SOP, restore it and run  sopctl retire {}",
                    crate::shell::quote_path(&shown),
                    crate::shell::quote(id.as_str())
                ),
            )
        })
        .collect()
}

/// An error for each document with release tags but no file among `entries` (nor deleted
/// only in the working copy): a released SOP removed by hand instead of withdrawn with
/// `sopctl retire`, which drops it from the published site. Reported at the first `docs`
/// folder, naming the last release and how to bring the file back.
pub fn vanished_documents(ws: &Workspace, entries: &[Entry]) -> Vec<Finding> {
    let Some(repo) = &ws.repo else {
        return Vec::new();
    };
    let present: Vec<String> = entries
        .iter()
        .filter_map(|e| {
            e.sop
                .as_ref()
                .ok()?
                .id()
                .map(|i| i.as_str().to_ascii_lowercase())
        })
        .chain(
            ws.deleted_documents()
                .iter()
                .map(|(id, _)| id.as_str().to_ascii_lowercase()),
        )
        .collect();
    let folder = ws
        .settings
        .docs
        .first()
        .map_or_else(|| PathBuf::from("sops"), Clone::clone);
    let format = TagFormat::new(&ws.settings.tag_format);
    repo.released_ids(&format)
        .into_iter()
        .filter(|id| !present.contains(&id.as_str().to_ascii_lowercase()))
        .filter_map(|id| {
            let latest = repo.releases(&id, &format).ok()?.latest()?.clone();
            let path = repo
                .document_at(&latest.commit, &id, None)
                .map_or_else(|| folder.join(format!("{id}.md")), |(p, _)| p);
            // A file still at the released path is there, even if its front matter cannot
            // be read now (`check` reports that itself).
            if repo.workdir().join(&path).exists() {
                return None;
            }
            Some(Finding::error(
                format!("{}/", folder.display()),
                Location { line: 1, column: 1 },
                format!(
                    "{id} was released (last as {}, tag {}) but no file has its ID now, so it drops off the published site; bring it back with  git checkout {} -- {}  and commit it; if it is no longer in use, then withdraw it with  sopctl retire {} -m \"why\"",
                    latest.version,
                    latest.tag,
                    crate::shell::quote(&latest.tag),
                    crate::shell::quote_path(&path),
                    crate::shell::quote(id.as_str())
                ),
            ))
        })
        .collect()
}

/// Where `key` is set in `sopctl.toml` (shown from the working directory), or its line 1.
pub(crate) fn settings_line(ws: &Workspace, key: &str) -> (PathBuf, Location) {
    let path = ws.root.join(crate::config::FILE_NAME);
    let line = std::fs::read_to_string(&path)
        .ok()
        .and_then(|text| text.lines().position(|l| l.trim_start().starts_with(key)))
        .map_or(1, |i| i + 1);
    (ws.display_path(&path), Location { line, column: 1 })
}

/// An error at the `out` line of `sopctl.toml` when that folder may not receive renditions
/// ([`crate::paths::output_setting`]), so `check` says so before a release is refused.
pub fn bad_out_setting(ws: &Workspace) -> Option<Finding> {
    let error = crate::paths::output_setting(ws).err()?;
    let mut advice = crate::paths::out_setting_fix(&error);
    if matches!(error, crate::paths::OutputDirError::OutsideRepository(_)) {
        advice.push_str("; give a folder elsewhere on the command line with -o");
    }
    let (path, location) = settings_line(ws, "out");
    Some(Finding::error(path, location, format!("{error}; {advice}")))
}

/// An error at sopctl's journal when a record that a killed sopctl left unfinished could be
/// neither finished nor undone on opening the repository (issue 13): until it is, the
/// working copy may not match the record.
pub fn interrupted_record(ws: &Workspace) -> Option<Finding> {
    let Some(Err(message)) = &ws.recovery else {
        return None;
    };
    let repo = ws.repo.as_ref()?;
    let journal = crate::repo::journal::journal_path(&repo.common_dir());
    let what = repo
        .interrupted_record()
        .unwrap_or_else(|| "a record".to_string());
    Some(Finding::error(
        ws.display_path(&journal),
        crate::doc::Location { line: 1, column: 1 },
        format!(
            "{what} was interrupted and could not be finished: {message}; fix that cause, then run any sopctl command to finish it"
        ),
    ))
}

/// An error at the `tag_format` line of `sopctl.toml` when the format has no `{id}` and
/// `entries` hold more than one SOP: their releases would share tag names.
pub fn shared_tag_format(ws: &Workspace, entries: &[Entry]) -> Option<Finding> {
    let sops = entries
        .iter()
        .filter(|e| e.sop.as_ref().is_ok_and(|s| s.id().is_some()))
        .count();
    if ws.settings.tag_format.contains("{id}") || sops < 2 {
        return None;
    }
    let (path, location) = settings_line(ws, "tag_format");
    Some(Finding::error(
        path,
        location,
        format!(
            "tag_format `{}` has no `{{id}}`, and this repository holds {sops} SOPs: their releases would share tag names; write it as e.g. tag_format = \"{{id}}/v{{version}}\" and rename the tags already made to that form first (docs/troubleshooting.md, \"Changing the tag format\", shows how)",
            ws.settings.tag_format
        ),
    ))
}

/// Findings for IDs used by more than one file: one error at each file's `id` line, naming
/// the other files. IDs that differ only in letter case count as the same: their folders
/// and tags would be one on Windows and macOS, whose file systems ignore case.
pub fn duplicate_ids(ws: &Workspace, entries: &[Entry]) -> Vec<Finding> {
    // Each SOP with the file it was found as (the entry's path, which `check` shows).
    let mut by_id: BTreeMap<String, Vec<(&DocId, &Sop, &Path)>> = BTreeMap::new();
    for entry in entries {
        if let Ok(sop) = &entry.sop
            && let Some(id) = sop.id()
        {
            by_id
                .entry(id.as_str().to_ascii_lowercase())
                .or_default()
                .push((id, sop, &entry.path));
        }
    }
    let mut findings = Vec::new();
    for sops in by_id.values().filter(|sops| sops.len() > 1) {
        for (id, sop, path) in sops {
            let mut case_only = false;
            let others: Vec<String> = sops
                .iter()
                .filter(|(_, _, other)| other != path)
                .map(|(other_id, _, other)| {
                    let shown = ws.display_path(other).display().to_string();
                    if other_id == id {
                        shown
                    } else {
                        case_only = true;
                        format!("{shown} (as `{other_id}`)")
                    }
                })
                .collect();
            let location = sop
                .front_matter
                .as_ref()
                .and_then(|fm| fm.get("id"))
                .map_or(Location { line: 1, column: 1 }, |e| e.value.location());
            let note = if case_only {
                " (IDs that differ only in capitals are the same folder on Windows and macOS)"
            } else {
                ""
            };
            findings.push(Finding::error(
                ws.display_path(path),
                location,
                format!(
                    "the ID `{id}` is also used by {}; every SOP needs its own ID{note}",
                    others.join(", ")
                ),
            ));
        }
    }
    findings
}

/// An error at each template in `templates/` that leads outside the repository
/// ([`crate::templates::outside_overrides`]): `render`, `publish` and `release` refuse it.
pub fn template_findings(ws: &Workspace) -> Vec<Finding> {
    crate::templates::outside_overrides(&ws.root)
        .into_iter()
        .map(|outside| {
            Finding::error(
                ws.display_path(&ws.root.join(&outside.shown)),
                Location { line: 1, column: 1 },
                format!(
                    "{}; sopctl does not read it: put the file itself here, or delete the link to use the built-in template",
                    outside.sentence("this template")
                ),
            )
        })
        .collect()
}
