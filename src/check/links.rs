//! The rules for links and images (SPEC §4, §9): an anchor must be a heading of the document,
//! a target may not be a file on one computer or run a script, and a file must exist inside
//! the repository; an image file must be one renditions can show.
//!
//! Takes the scanned body and where the document and the repository are; returns findings.
//! Reads the file system only to see whether targets exist and what an image file holds.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use crate::doc::markdown::BodyScan;
use crate::doc::{Finding, Severity, links};
use crate::suggest::Budgeted;

/// What is wrong with one link or image: how serious, and the message.
type Problem = (Severity, String);

/// Every finding for the links and images of `body`, in the document at `path`: at most one
/// for each, at its place. `repo_root` bounds where files may be (SPEC §9).
pub(crate) fn check_references(
    path: &Path,
    repo_root: &Path,
    body: &BodyScan,
    findings: &mut Vec<Finding>,
) {
    let doc_dir = path.parent().unwrap_or(Path::new("."));
    let anchors: HashSet<&str> = body.headings.iter().map(|h| h.anchor.as_str()).collect();
    let mut suggest = Budgeted::new(body.headings.iter().map(|h| h.anchor.as_str()));
    // Each file is looked at (and an image decoded) once, however often it is referenced.
    let mut files: std::collections::HashMap<(&str, bool), Option<Problem>> =
        std::collections::HashMap::new();
    for r in &body.references {
        let what = if r.is_image { "image" } else { "link" };
        let target = r.target.trim();
        let problem = if target.is_empty() {
            Some((
                Severity::Warning,
                format!(
                    "this {what} has no target; put the address between the ( ), or remove the {what}"
                ),
            ))
        } else if let Some(fragment) = target.strip_prefix('#') {
            anchor_problem(fragment, &anchors, &mut suggest)
        } else if let Some(problem) = scheme_problem(target, r.is_image) {
            problem
        } else {
            files
                .entry((target, r.is_image))
                .or_insert_with(|| file_problem(target, r.is_image, doc_dir, repo_root))
                .clone()
        };
        if let Some((severity, message)) = problem {
            findings.push(Finding {
                path: path.to_path_buf(),
                location: r.location,
                severity,
                message,
            });
        }
    }
}

/// A link to `#fragment`: a heading of the document must have that anchor (with the nearest
/// one suggested).
fn anchor_problem(
    fragment: &str,
    anchors: &HashSet<&str>,
    suggest: &mut Budgeted<'_>,
) -> Option<Problem> {
    if fragment.is_empty() {
        return Some((
            Severity::Warning,
            "this link points nowhere (`#`); give it a target or remove the link".to_string(),
        ));
    }
    if anchors.contains(fragment) {
        return None;
    }
    let nearest = suggest
        .nearest(fragment)
        .map(|a| format!("; did you mean `#{a}`?"))
        .unwrap_or_default();
    Some((
        Severity::Error,
        format!("no heading has the anchor `#{fragment}`{nearest}"),
    ))
}

/// A target that is not a file of the repository: an unsafe scheme ([`links::unsafe_scheme`];
/// an image may be `data:`), a file on one computer (`file:`, `C:\`, `\\server`), or a web
/// image, which renditions do not download. `Some(None)`: a URL that is fine (a web page,
/// `mailto:`); `None`: a file to look up.
fn scheme_problem(target: &str, is_image: bool) -> Option<Option<Problem>> {
    let what = if is_image { "image" } else { "link" };
    let one_computer = || {
        Some((
            Severity::Error,
            format!(
                "the {what} `{target}` points to a file on one computer, which others cannot open; copy the file into the repository and link to the copy"
            ),
        ))
    };
    if let Some(bad) = links::unsafe_scheme(target)
        && !(is_image && bad == "data")
    {
        return Some(Some((
            Severity::Error,
            format!(
                "`{bad}:` {what} targets are not allowed in SOPs; link to a page or a file instead"
            ),
        )));
    }
    if let Some(scheme) = links::scheme(target) {
        return Some(match scheme.as_str() {
            "file" => one_computer(),
            _ if is_image => Some((
                Severity::Warning,
                format!(
                    "the image `{target}` is on the web; sopctl does not download images, so renditions show its alt text instead; save it next to the document"
                ),
            )),
            _ => None,
        });
    }
    let drive_letter = matches!(
        target.as_bytes(),
        [letter, b':', b'\\' | b'/', ..] if letter.is_ascii_alphabetic()
    );
    (drive_letter || target.starts_with('\\')).then(one_computer)
}

/// A file of the repository, named relative to the document's folder `doc_dir`: it must lie
/// inside `repo_root` and exist; an image must be one renditions can show.
fn file_problem(target: &str, is_image: bool, doc_dir: &Path, repo_root: &Path) -> Option<Problem> {
    let what = if is_image { "image" } else { "link" };
    // The file as renditions look it up: percent-decoded (`cases/` B31).
    let file_part = links::local_file(target);
    if file_part.is_empty() {
        return None;
    }
    let resolved = if Path::new(file_part.as_ref()).is_absolute() {
        PathBuf::from(file_part.as_ref())
    } else {
        doc_dir.join(file_part.as_ref())
    };
    if !inside(&resolved, repo_root) {
        return Some((
            Severity::Error,
            format!(
                "the {what} `{target}` points outside the repository; copy the file into the repository and link to the copy"
            ),
        ));
    }
    if is_image && resolved.is_file() {
        // The file's header and structure, not its pixels (see `render::images`).
        let problem = crate::render::images::inspect_file(&resolved)?;
        let hint = problem.hint().map(|h| format!(": {h}")).unwrap_or_default();
        return Some((
            Severity::Warning,
            format!("the image `{target}` {problem}; renditions show its alt text instead{hint}"),
        ));
    }
    if resolved.exists() {
        return None;
    }
    let looked_for = normalize(&resolved)
        .strip_prefix(normalize(repo_root))
        .map_or_else(|_| resolved.clone(), Path::to_path_buf);
    Some((
        Severity::Error,
        format!(
            "the {what} `{target}` does not exist (looked for {})",
            looked_for.display()
        ),
    ))
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
