//! The rules for links and images (SPEC §4, §9): an anchor must be a heading of the document,
//! a target may not be a file on one computer or run a script, and a file must exist inside
//! the repository; an image file must be one renditions can show.
//!
//! Takes the scanned body and where the document and the repository are; returns findings.
//! Reads the file system only to see whether targets exist and what an image file holds.

use std::path::{Component, Path, PathBuf};

use crate::doc::markdown::BodyScan;
use crate::doc::{Finding, links};

/// Every finding for the links and images of `body`, in the document at `path`.
pub(crate) fn check_references(
    path: &Path,
    repo_root: &Path,
    body: &BodyScan,
    findings: &mut Vec<Finding>,
) {
    let doc_dir = path.parent().unwrap_or(Path::new("."));
    let anchors: std::collections::HashSet<&str> =
        body.headings.iter().map(|h| h.anchor.as_str()).collect();
    let mut suggest =
        crate::suggest::Budgeted::new(body.headings.iter().map(|h| h.anchor.as_str()));
    for r in &body.references {
        let what = if r.is_image { "image" } else { "link" };
        let target = r.target.trim();
        if target.is_empty() {
            findings.push(Finding::warning(
                path,
                r.location,
                format!("this {what} has no target; put the address between the ( ), or remove the {what}"),
            ));
            continue;
        }
        if let Some(fragment) = target.strip_prefix('#') {
            if fragment.is_empty() {
                findings.push(Finding::warning(
                    path,
                    r.location,
                    "this link points nowhere (`#`); give it a target or remove the link",
                ));
            } else if !anchors.contains(fragment) {
                let nearest = suggest
                    .nearest(fragment)
                    .map(|a| format!("; did you mean `#{a}`?"))
                    .unwrap_or_default();
                findings.push(Finding::error(
                    path,
                    r.location,
                    format!("no heading has the anchor `#{fragment}`{nearest}"),
                ));
            }
            continue;
        }
        if let Some(unsafe_scheme) = links::unsafe_scheme(target)
            && !(r.is_image && unsafe_scheme == "data")
        {
            findings.push(Finding::error(
                path,
                r.location,
                format!("`{unsafe_scheme}:` {what} targets are not allowed in SOPs; link to a page or a file instead"),
            ));
            continue;
        }
        if let Some(scheme) = links::scheme(target) {
            match scheme.as_str() {
                "file" => findings.push(Finding::error(
                    path,
                    r.location,
                    format!("the {what} `{target}` points to a file on one computer, which others cannot open; copy the file into the repository and link to the copy"),
                )),
                _ if r.is_image => findings.push(Finding::warning(
                    path,
                    r.location,
                    format!("the image `{target}` is on the web; sopctl does not download images, so renditions show its alt text instead; save it next to the document"),
                )),
                _ => {}
            }
            continue;
        }
        let drive_letter = matches!(
            target.as_bytes(),
            [letter, b':', b'\\' | b'/', ..] if letter.is_ascii_alphabetic()
        );
        if drive_letter || target.starts_with('\\') {
            findings.push(Finding::error(
                path,
                r.location,
                format!("the {what} `{target}` points to a file on one computer, which others cannot open; copy the file into the repository and link to the copy"),
            ));
            continue;
        }
        // The file as renditions look it up: percent-decoded (`cases/` B31).
        let file_part = links::local_file(target);
        if file_part.is_empty() {
            continue;
        }
        let resolved = if Path::new(file_part.as_ref()).is_absolute() {
            PathBuf::from(file_part.as_ref())
        } else {
            doc_dir.join(file_part.as_ref())
        };
        if !inside(&resolved, repo_root) {
            findings.push(Finding::error(
                path,
                r.location,
                format!("the {what} `{target}` points outside the repository; copy the file into the repository and link to the copy"),
            ));
            continue;
        }
        if r.is_image && resolved.is_file() {
            // The file's header and structure, not its pixels (see `render::images`).
            if let Some(problem) = crate::render::images::inspect_file(&resolved) {
                let hint = problem.hint().map(|h| format!(": {h}")).unwrap_or_default();
                findings.push(Finding::warning(
                    path,
                    r.location,
                    format!(
                        "the image `{target}` {problem}; renditions show its alt text instead{hint}"
                    ),
                ));
            }
        } else if !resolved.exists() {
            findings.push(Finding::error(
                path,
                r.location,
                format!(
                    "the {what} `{target}` does not exist (looked for {})",
                    normalize(&resolved)
                        .strip_prefix(normalize(repo_root))
                        .map_or_else(|_| resolved.clone(), Path::to_path_buf)
                        .display()
                ),
            ));
        }
    }
}

/// Whether `path` lies inside `root`, after resolving `..` and symbolic links (a target that
/// does not exist yet is resolved lexically).
fn inside(path: &Path, root: &Path) -> bool {
    let root = root.canonicalize().unwrap_or_else(|_| normalize(root));
    let resolved = path.canonicalize().unwrap_or_else(|_| normalize(path));
    resolved.starts_with(&root)
}

/// `path` made absolute with `.` and `..` removed, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    let absolute = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let mut out = PathBuf::new();
    for part in absolute.components() {
        match part {
            Component::ParentDir => {
                out.pop();
            }
            Component::CurDir => {}
            other => out.push(other.as_os_str()),
        }
    }
    out
}
