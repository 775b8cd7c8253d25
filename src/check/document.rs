//! The rules `sopctl check` applies to one document on its own (SPEC §4). Rules that need the
//! repository (unique IDs, version against tags) are in [`super::repository`](mod@super::repository) and
//! [`super::history`].
//!
//! Takes a parsed [`Sop`] and the repository root; returns findings in file order. Reads the
//! file system only to see whether link and image targets exist.

use std::path::Path;

use crate::doc::Finding;
use crate::doc::Location;
use crate::doc::Sop;
use crate::doc::front_matter::EditError;
use crate::doc::markdown::{BodyScan, scan};

/// Every finding for one document: its front matter, then its body (links, images, anchors),
/// sorted by place in the file.
///
/// `repo_root` bounds where relative links and images may point (SPEC §9): a target outside it
/// is an error and is never read.
pub fn check_document(sop: &Sop, repo_root: &Path) -> Vec<Finding> {
    let path = sop.path();
    let mut findings = sop.findings.clone();
    let top = Location { line: 1, column: 1 };
    if sop.front_matter.is_none() {
        let message = match sop.not_front_matter {
            Some(close) => format!(
                "lines 1 to {close} start with `---` but are not `key: value` front matter, so they are read as body text; start the file with a front-matter block (`---`, then `id:`, `title:` and `owner:` lines, then `---`)"
            ),
            None => "the file has no front matter: an SOP starts with a line `---`, then `id:`, `title:` and `owner:` lines, then `---`".to_string(),
        };
        findings.push(Finding::error(path, top, message));
    }

    check_conflict_markers(sop, &mut findings);
    check_language(sop, &mut findings);
    check_history_rows(sop, &mut findings);
    check_glyphs(sop, &mut findings);
    check_placeholders(sop, &mut findings);
    let body = scan(sop.body(), sop.body_first_line());
    check_headings(path, &body, &mut findings);
    for place in &body.too_deep {
        findings.push(Finding::warning(
            path,
            Location {
                line: place.line,
                column: place.column,
            },
            place.to_string(),
        ));
    }
    super::links::check_references(path, repo_root, &body, &mut findings);
    findings.extend(body.notes.iter().map(|note| note.finding(path)));
    findings.sort_by_key(|f| f.location);
    findings
}

/// A warning at a `lang` in the front matter that is not a language code: the renditions
/// ignore it and are marked with the repository's `language` instead.
fn check_language(sop: &Sop, findings: &mut Vec<Finding>) {
    let Some(entry) = sop.front_matter.as_ref().and_then(|fm| fm.get("lang")) else {
        return;
    };
    let crate::doc::front_matter::Value::Scalar(value) = &entry.value else {
        return;
    };
    let tag = value.value.trim();
    if crate::config::is_language_tag(tag) {
        return;
    }
    let example = crate::config::suggested_language(tag);
    findings.push(Finding::warning(
        sop.path(),
        entry.location,
        format!(
            "lang `{tag}` is not a language code, so the renditions use the repository's `language` instead: write a two- or three-letter code such as en, de or en-GB, e.g. lang: {example}"
        ),
    ));
}

/// The finding for a front-matter value that a release cannot rewrite in place, at its line:
/// the words `check` prints for it ([`crate::doc::metadata`] reports these for every key a
/// release rewrites).
pub fn edit_refused(path: &Path, error: &EditError) -> Finding {
    Finding::error(path, error.location(), error.to_string())
}

/// Lines still holding the placeholder text of `sopctl new` (the built-in template): an error
/// at each (issue 14 item 9), so `release` refuses a template that nobody wrote over.
fn check_placeholders(sop: &Sop, findings: &mut Vec<Finding>) {
    let first = sop.body_first_line();
    for (n, line) in sop.body().lines().enumerate() {
        let line = line.trim();
        if crate::templates::skeleton_placeholders().any(|p| p == line) {
            findings.push(Finding::error(
                sop.path(),
                Location {
                    line: first + n,
                    column: 1,
                },
                "this line is still the placeholder text that  sopctl new  wrote; replace it with the procedure's own words, or delete it",
            ));
        }
    }
}

/// Characters the PDF's fonts cannot draw: a warning (an error with `--strict`) at the first
/// place each appears, once per character (SPEC §4, §7).
fn check_glyphs(sop: &Sop, findings: &mut Vec<Finding>) {
    let text = sop.source.text();
    let mut seen = std::collections::BTreeSet::new();
    // One finding per source line, naming each character the first time it appears.
    let mut current: Option<(Location, Vec<char>)> = None;
    let mut locator = sop.source.locator();
    let flush = |entry: Option<(Location, Vec<char>)>, findings: &mut Vec<Finding>| {
        if let Some((location, chars)) = entry {
            let codes: Vec<String> = chars
                .iter()
                .map(|c| format!("U+{:04X} '{c}'", *c as u32))
                .collect();
            findings.push(Finding::warning(
                sop.path(),
                location,
                format!(
                    "no glyph in the PDF fonts for {}: the PDF shows an empty box instead",
                    codes.join(", ")
                ),
            ));
        }
    };
    for (offset, c) in text.char_indices().skip_while(|(i, _)| *i < sop.body_start) {
        if c.is_control()
            || c == '\u{ad}'
            || c.is_whitespace()
            || seen.contains(&c)
            || crate::render::pdf::fonts::covered(c)
        {
            continue;
        }
        seen.insert(c);
        let location = locator.locate(offset);
        match &mut current {
            Some((at, chars)) if at.line == location.line => chars.push(c),
            _ => {
                flush(current.take(), findings);
                current = Some((location, vec![c]));
            }
        }
    }
    flush(current, findings);
    // Right-to-left scripts are drawn unshaped and left to right: said once, where it starts.
    if let Some((at, more)) = crate::render::pdf::fonts::right_to_left_text(sop) {
        findings.push(Finding::warning(
            sop.path(),
            at,
            crate::render::pdf::fonts::right_to_left_message(more),
        ));
    }
}

/// Rows of the revision-history table whose first cell is not a version (SPEC §1): an error,
/// because release rewrites the table from its records and such a row would be misplaced. The
/// usual cause is a line typed right under the table, which GitHub Markdown reads as a new row.
fn check_history_rows(sop: &Sop, findings: &mut Vec<Finding>) {
    let Some(section) = crate::doc::revision_table::find(sop) else {
        return;
    };
    let Some(table) = &section.table else {
        return;
    };
    let text = sop.source.text();
    let mut locator = sop.source.locator();
    let mut offset = table.start;
    let rows_text = text.get(table.clone()).unwrap_or_default();
    for (index, line) in rows_text.split_inclusive('\n').enumerate() {
        if let Some(row) = index.checked_sub(2).and_then(|r| section.rows.get(r))
            && row.version.is_none()
        {
            let first = row.cells.first().map_or("", String::as_str);
            findings.push(Finding::error(
                sop.path(),
                locator.locate(offset),
                format!(
                    "this revision history row does not start with a version (`{first}`); a line typed right under the table becomes a row: leave a blank line between them, or delete the row"
                ),
            ));
        }
        offset += line.len();
    }
}

/// Lines left by an unresolved git merge (`<<<<<<<` … `>>>>>>>`): reported at each opening line.
fn check_conflict_markers(sop: &Sop, findings: &mut Vec<Finding>) {
    let text = sop.source.text();
    let mut locator = sop.source.locator();
    let mut open: Option<usize> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let content = line.trim_end_matches(['\n', '\r']);
        if content.starts_with("<<<<<<<") {
            open = Some(offset);
        } else if content.starts_with(">>>>>>>")
            && let Some(start) = open.take()
        {
            findings.push(Finding::error(
                sop.path(),
                locator.locate(start),
                "an unresolved merge conflict is left in the file (lines <<<<<<<, ======= and >>>>>>>); keep the right text and delete the marker lines",
            ));
        }
        offset += line.len();
    }
}

fn check_headings(path: &Path, body: &BodyScan, findings: &mut Vec<Finding>) {
    for h in &body.headings {
        if h.text.trim().is_empty() {
            findings.push(Finding::warning(
                path,
                h.location,
                "this heading is empty; write its text after the #, or delete the line",
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(dir: &Path, text: &str) -> Vec<String> {
        let path = dir.join("sops/a.md");
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, text).expect("write");
        let sop = Sop::load(&path).expect("sop");
        check_document(&sop, dir)
            .iter()
            .map(|f| f.to_string().replace(&dir.display().to_string(), "[ROOT]"))
            .collect()
    }

    #[test]
    fn links_images_and_anchors_are_checked() {
        let dir = tempfile::tempdir().expect("tmp");
        std::fs::create_dir_all(dir.path().join("sops/img")).expect("mkdir");
        std::fs::write(dir.path().join("sops/img/ok.png"), b"png").expect("write");
        let text = "---\nid: A\ntitle: T\nowner: O\n---\n## Scope\n\n[a](#scope) [b](#scop) [c](#) [d](img/ok.png) [e](missing.md)\n\n![f](../../outside.png) ![g](https://example.org/x.png) [h](javascript:alert(1))\n";
        assert_eq!(
            findings(dir.path(), text),
            [
                "[ROOT]/sops/a.md:8:13: error: no heading has the anchor `#scop`; did you mean `#scope`?",
                "[ROOT]/sops/a.md:8:24: warning: this link points nowhere (`#`); give it a target or remove the link",
                "[ROOT]/sops/a.md:8:47: error: the link `missing.md` does not exist (looked for sops/missing.md)",
                "[ROOT]/sops/a.md:10:1: error: the image `../../outside.png` points outside the repository; copy the file into the repository and link to the copy",
                "[ROOT]/sops/a.md:10:25: warning: the image `https://example.org/x.png` is on the web; sopctl does not download images, so renditions show its alt text instead; save it next to the document",
                "[ROOT]/sops/a.md:10:57: error: `javascript:` link targets are not allowed in SOPs; link to a page or a file instead",
            ]
        );
    }

    #[test]
    fn a_script_link_is_an_error_however_it_is_written() {
        let dir = tempfile::tempdir().expect("tmp");
        let text = "---\nid: A\ntitle: T\nowner: O\n---\n[a](<Java Script:alert(1)>) [b](&#x64;ata:text/html,x) ![c](data:image/png;base64,AA)\n";
        assert_eq!(
            findings(dir.path(), text),
            [
                "[ROOT]/sops/a.md:6:1: error: `javascript:` link targets are not allowed in SOPs; link to a page or a file instead",
                "[ROOT]/sops/a.md:6:29: error: `data:` link targets are not allowed in SOPs; link to a page or a file instead",
                "[ROOT]/sops/a.md:6:56: warning: the image `data:image/png;base64,AA` is on the web; sopctl does not download images, so renditions show its alt text instead; save it next to the document",
            ]
        );
    }

    #[test]
    fn links_to_files_on_one_computer_are_errors() {
        let dir = tempfile::tempdir().expect("tmp");
        let text = "---\nid: A\ntitle: T\nowner: O\n---\n[a](C:\\Docs\\form.pdf) [b](file:///home/me/x.pdf) [c](\\\\server\\share\\x.pdf)\n";
        let found = findings(dir.path(), text);
        assert_eq!(found.len(), 3, "{found:?}");
        assert!(
            found
                .iter()
                .all(|f| f.contains("points to a file on one computer")),
            "{found:?}"
        );
    }

    #[test]
    fn a_value_release_cannot_rewrite_is_an_error_at_its_line() {
        let dir = tempfile::tempdir().expect("tmp");
        let text =
            "---\nid: A\ntitle: T\nowner: O\nversion: >-\n  1.0\nstatus:\n  - draft\n---\nText.\n";
        assert_eq!(
            findings(dir.path(), text),
            [
                "[ROOT]/sops/a.md:5:1: error: `version` is written as a block over several lines (after `|` or `>`); sopctl rewrites `version` on every release: write it on one line, `version: 1.0`",
                // Not read as a status at all: that error alone.
                "[ROOT]/sops/a.md:8:3: error: `status` must be a single value, written `status: value`",
            ]
        );
    }

    #[test]
    fn merge_conflict_markers_are_errors() {
        let dir = tempfile::tempdir().expect("tmp");
        let text = "---\nid: A\ntitle: T\nowner: O\n---\n<<<<<<< HEAD\nWash twice.\n=======\nWash once.\n>>>>>>> other\n";
        assert_eq!(
            findings(dir.path(), text),
            [
                "[ROOT]/sops/a.md:6:1: error: an unresolved merge conflict is left in the file (lines <<<<<<<, ======= and >>>>>>>); keep the right text and delete the marker lines"
            ]
        );
    }

    #[test]
    fn a_file_without_front_matter_is_an_error_at_line_1() {
        let dir = tempfile::tempdir().expect("tmp");
        assert_eq!(
            findings(dir.path(), "# Just notes\n"),
            [
                "[ROOT]/sops/a.md:1:1: error: the file has no front matter: an SOP starts with a line `---`, then `id:`, `title:` and `owner:` lines, then `---`"
            ]
        );
    }
}
