//! The revision-history table (SPEC §1, §3): found, read, and generated.
//!
//! The section whose heading is `Revision History` or `Document Revision History` (any level,
//! any case) holds the table, which sopctl owns: columns `Version | Date | Changes | Author`,
//! plus `Approved by` when the document has approvers, newest last. The table is generated from
//! the release records; rows for versions that have no release record (released before the
//! document came under sopctl) are kept exactly as written. When the section is missing, it is
//! added at the end of the document; when it has no table, the table goes right under its
//! heading. Only the table's lines change: every other byte of the file stays.

use std::ops::Range;

use comrak::nodes::NodeValue;

use super::Sop;
use super::markdown::{options, plain_text};
use super::source::SourceText;
use crate::version::DocVersion;

/// One row the table should show for a release.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryEntry {
    /// The version.
    pub version: DocVersion,
    /// The effective date, `YYYY-MM-DD`.
    pub date: String,
    /// The summary of the change.
    pub changes: String,
    /// Who released it.
    pub author: String,
    /// Who approved it (empty when nobody had to).
    pub approved_by: Vec<String>,
}

/// A row found in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The cells as written (trimmed, pipes still escaped).
    pub cells: Vec<String>,
    /// The version in the first cell, if it is one.
    pub version: Option<DocVersion>,
}

impl Row {
    /// The author the row shows (its fourth cell, under `Author` in the table sopctl writes),
    /// as text: `\|` is read as `|`. An empty or missing cell is `-`, as [`escape_cell`] writes
    /// an empty value.
    pub fn author(&self) -> String {
        let text = self
            .cells
            .get(3)
            .map(|c| c.replace("\\|", "|"))
            .unwrap_or_default();
        let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
        if text.is_empty() {
            "-".to_string()
        } else {
            text
        }
    }
}

/// The revision-history section as found in a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Section {
    /// Byte offset just after the heading's line.
    pub heading_end: usize,
    /// Byte range of the table's lines (line endings included), if there is a table.
    pub table: Option<Range<usize>>,
    /// The table's body rows.
    pub rows: Vec<Row>,
}

/// Whether a heading names the revision-history section.
pub fn is_history_heading(text: &str) -> bool {
    let norm = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase();
    norm == "revision history" || norm == "document revision history"
}

/// Byte offsets at which each line of `text` starts (`\n`, `\r\n` and a lone `\r` end lines).
#[allow(
    clippy::indexing_slicing,
    reason = "`i` is checked against `bytes.len()` by the loop"
)]
fn line_starts(text: &str) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut starts = vec![0];
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => starts.push(i + 1),
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => starts.push(i + 1),
            _ => {}
        }
        i += 1;
    }
    starts
}

/// Splits a table row into cells at unescaped `|`, dropping the outer pipes.
fn split_cells(line: &str) -> Vec<String> {
    let line = line.trim();
    let line = line.strip_prefix('|').unwrap_or(line);
    let line = if line.ends_with('|') && !line.ends_with("\\|") {
        &line[..line.len() - 1]
    } else {
        line
    };
    let mut cells = Vec::new();
    let mut current = String::new();
    let mut escaped = false;
    for c in line.chars() {
        if c == '|' && !escaped {
            cells.push(current.trim().to_string());
            current.clear();
        } else {
            current.push(c);
        }
        escaped = c == '\\' && !escaped;
    }
    cells.push(current.trim().to_string());
    cells
}

/// Finds the revision-history section and its table.
///
/// Only the section is parsed when it can be told where it starts without
/// parsing what comes before (`verify` reads the table of every release ever made); otherwise,
/// and whenever the quick reading does not find the section's heading first, the whole body is
/// parsed. Both readings give the same section.
pub fn find(sop: &Sop) -> Option<Section> {
    find_noting_start(sop).0
}

/// As [`find`], with the byte offset in the body the section was read from when it was read
/// from its heading on, without the lines before it: another version of the SOP whose body is
/// the same text from where its own section starts has the same rows ([`same_rows`]), so its
/// table need not be parsed again.
pub fn find_noting_start(sop: &Sop) -> (Option<Section>, Option<usize>) {
    let body = sop.body();
    if let Some((start, skipped)) = section_start(body) {
        let quick = find_from(sop, start, skipped);
        if quick.as_ref().is_some_and(|(first, _)| *first) {
            return (quick.map(|(_, s)| s), Some(start));
        }
    }
    (find_from(sop, 0, 0).map(|(_, s)| s), None)
}

/// Whether `sop`'s revision-history rows are those of another version of it, whose section
/// [`find_noting_start`] read from `other_start` of its body `other_body`: both bodies are the
/// same text from where their sections start (found without parsing the lines before them), so
/// parsing `sop`'s from there reads what the other's parse read. Only the rows are the same;
/// the byte ranges are each file's own.
pub fn same_rows(sop: &Sop, other_body: &str, other_start: usize) -> bool {
    let body = sop.body();
    section_start(body).is_some_and(|(start, _)| body.get(start..) == other_body.get(other_start..))
}

/// Where the revision-history section starts when that can be told without parsing the body
/// before it: the byte offset in `body` of the first heading line that mentions "revision" (in
/// any case), and the number of lines before it, when that line is an ATX heading at the margin
/// (`#` in column 1, no link brackets) after a blank line, and no line before it opens a code
/// fence, starts with HTML or underlines a paragraph (a setext heading). After a blank line,
/// only a fence or an HTML block (CommonMark §4.5, §4.6 kinds 1–5) can keep a line at the
/// margin from starting a new top-level block; and no history heading comes earlier, since no
/// heading before it mentions "revision".
fn section_start(body: &str) -> Option<(usize, usize)> {
    let starts = line_starts(body);
    let mut previous_blank = true;
    for (index, &start) in starts.iter().enumerate() {
        let end = starts.get(index + 1).copied().unwrap_or(body.len());
        let line = body.get(start..end)?;
        let trimmed = line.trim_start();
        // A character search first: most lines hold neither mark.
        let fence = |mark: char, three: &str| line.contains(mark) && line.contains(three);
        if fence('`', "```") || fence('~', "~~~") || trimmed.starts_with('<') {
            return None;
        }
        let underline = |c: char| {
            let mark = trimmed.trim_end();
            !mark.is_empty() && mark.chars().all(|m| m == c)
        };
        if !previous_blank && (underline('=') || underline('-')) {
            return None;
        }
        let mentions = line
            .as_bytes()
            .windows(8)
            .any(|w| w.eq_ignore_ascii_case(b"revision"));
        if mentions && trimmed.starts_with('#') {
            let heading = line.starts_with('#') && !line.contains('[');
            return (heading && previous_blank).then_some((start, index));
        }
        previous_blank = trimmed.is_empty();
    }
    None
}

/// The section found by parsing the body from byte `start` (line `skipped + 1`) on, and
/// whether the first block parsed was its heading.
fn find_from(sop: &Sop, start: usize, skipped: usize) -> Option<(bool, Section)> {
    let text = sop.source.text();
    let starts = line_starts(text);
    let first = sop.body_first_line() + skipped;
    let to_offset = |body_line: usize| {
        starts
            .get(body_line + first - 2)
            .copied()
            .unwrap_or(text.len())
    };
    let arena = comrak::Arena::new();
    let root = comrak::parse_document(&arena, sop.body().get(start..)?, &options());
    let mut heading_first = false;
    let mut section: Option<(u8, Section)> = None;
    for node in root.children() {
        let data = node.data();
        match &data.value {
            NodeValue::Heading(h) => {
                if let Some((level, _)) = &section
                    && h.level <= *level
                {
                    break;
                }
                if section.is_none() && is_history_heading(&plain_text(node)) {
                    heading_first = node.previous_sibling().is_none();
                    let heading_end = to_offset(data.sourcepos.end.line + 1);
                    section = Some((
                        h.level,
                        Section {
                            heading_end,
                            table: None,
                            rows: Vec::new(),
                        },
                    ));
                }
            }
            NodeValue::Table(_) => {
                if let Some((_, s)) = section.as_mut()
                    && s.table.is_none()
                {
                    let start = to_offset(data.sourcepos.start.line);
                    let end = to_offset(data.sourcepos.end.line + 1);
                    s.table = Some(start..end);
                    s.rows = text[start..end]
                        .lines()
                        .skip(2)
                        .map(|line| {
                            let cells = split_cells(line);
                            let version = cells.first().and_then(|c| DocVersion::parse(c).ok());
                            Row { cells, version }
                        })
                        .collect();
                }
            }
            _ => {}
        }
    }
    section.map(|(_, s)| (heading_first, s))
}

/// A value as a table cell that shows exactly the characters given, never Markdown (issue 13).
///
/// White space (line breaks included) is collapsed to single spaces; an empty value is `-`.
/// Every character that could start inline Markdown in a GitHub table cell is escaped with a
/// backslash (CommonMark §2.4 backslash escapes; GFM §4.10 for `|`): `\`, `|`, `` ` ``, `*`, `_`,
/// `~`, `[`, `]`, `<`, `&`, `@`, a `:` before `/` and the `.` after `www`, so that no link,
/// image, raw HTML, entity, code span, emphasis, footnote reference or autolinked address is
/// made. Control characters, which no rendition can show, become U+FFFD `�`. A summary such as
/// `[x](javascript:alert(1))` is therefore written `\[x\](javascript\:alert(1))` and shows as
/// typed; `check` never fails on it.
pub fn escape_cell(text: &str) -> String {
    let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = String::with_capacity(one_line.len() + 8);
    let mut chars = one_line.chars().peekable();
    while let Some(c) = chars.next() {
        let escaped = match c {
            '\\' | '|' | '`' | '*' | '_' | '~' | '[' | ']' | '<' | '&' | '@' => true,
            ':' => chars.peek() == Some(&'/'),
            '.' => out
                .get(out.len().saturating_sub(3)..)
                .is_some_and(|end| end.eq_ignore_ascii_case("www")),
            _ => false,
        };
        if escaped {
            out.push('\\');
        }
        out.push(if c.is_control() { '\u{FFFD}' } else { c });
    }
    if out.is_empty() { "-".to_string() } else { out }
}

/// The characters a cell written by [`escape_cell`] shows: backslash escapes of ASCII
/// punctuation undone (CommonMark §2.4). Used to compare a row with its release record whatever
/// the escaping it was written with.
pub fn cell_text(cell: &str) -> String {
    let mut out = String::with_capacity(cell.len());
    let mut chars = cell.chars().peekable();
    while let Some(c) = chars.next() {
        match chars.peek() {
            Some(&next) if c == '\\' && next.is_ascii_punctuation() => {
                out.push(next);
                chars.next();
            }
            _ => out.push(c),
        }
    }
    out
}

/// A cell of a row that does not show what its release record says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// The column: `Date`, `Changes`, `Author` or `Approved by`.
    pub column: &'static str,
    /// What the record says, as the cell would show it.
    pub record: String,
    /// What the row shows.
    pub row: String,
}

/// The cells of `row` that differ from `entry` (its release record), compared as the
/// characters the cells show whatever escaping they were written with (older releases escaped
/// only `|`): Date, Changes and Author, and Approved by when the row has that column.
pub fn row_differences(row: &Row, entry: &HistoryEntry) -> Vec<Difference> {
    let shown = |value: &str| cell_text(&escape_cell(value));
    let mut expected = vec![
        ("Date", entry.date.clone()),
        ("Changes", shown(&entry.changes)),
        ("Author", shown(&entry.author)),
    ];
    if row.cells.len() > 4 {
        expected.push(("Approved by", shown(&entry.approved_by.join(", "))));
    }
    expected
        .into_iter()
        .enumerate()
        .filter_map(|(i, (column, record))| {
            let actual = row
                .cells
                .get(i + 1)
                .map(|c| cell_text(c))
                .unwrap_or_default();
            (actual != record).then_some(Difference {
                column,
                record,
                row: actual,
            })
        })
        .collect()
}

/// The table's Markdown, newest row last, each line ending with `eol`.
///
/// `kept` are rows already in the file for versions without a release record: they stay as
/// written, in version order among the generated rows (rows whose version cannot be read come
/// first).
pub fn render_table(
    entries: &[HistoryEntry],
    kept: &[Row],
    with_approvals: bool,
    eol: &str,
) -> String {
    let columns = if with_approvals { 5 } else { 4 };
    let mut header = vec!["Version", "Date", "Changes", "Author"];
    if with_approvals {
        header.push("Approved by");
    }
    let mut rows: Vec<(Option<DocVersion>, Vec<String>)> = kept
        .iter()
        .map(|r| {
            let mut cells = r.cells.clone();
            cells.resize(columns, "-".to_string());
            (r.version.clone(), cells)
        })
        .collect();
    for e in entries {
        let mut cells = vec![
            e.version.to_string(),
            e.date.clone(),
            escape_cell(&e.changes),
            escape_cell(&e.author),
        ];
        if with_approvals {
            cells.push(escape_cell(&e.approved_by.join(", ")));
        }
        rows.push((Some(e.version.clone()), cells));
    }
    rows.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out = String::new();
    let line = |cells: &[String]| format!("| {} |", cells.join(" | "));
    out.push_str(&line(
        &header.iter().map(|s| s.to_string()).collect::<Vec<_>>(),
    ));
    out.push_str(eol);
    out.push_str(&line(&vec!["---".to_string(); columns]));
    out.push_str(eol);
    for (_, cells) in rows {
        out.push_str(&line(&cells));
        out.push_str(eol);
    }
    out
}

/// The document with its revision-history table regenerated from `entries` (see the module
/// docs), and the table's Markdown. Rows of the current table whose version is not among
/// `entries` are kept.
pub fn regenerate(
    sop: &Sop,
    entries: &[HistoryEntry],
    with_approvals: bool,
) -> (SourceText, String) {
    let text = sop.source.text();
    let eol = sop
        .front_matter
        .as_ref()
        .map_or("\n", |fm| fm.line_ending.as_str());
    let section = find(sop);
    let kept: Vec<Row> = section
        .as_ref()
        .map(|s| {
            s.rows
                .iter()
                .filter(|r| {
                    r.version
                        .as_ref()
                        .is_none_or(|v| !entries.iter().any(|e| &e.version == v))
                })
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    let table = render_table(entries, &kept, with_approvals, eol);
    match section {
        Some(Section {
            table: Some(range), ..
        }) => {
            let existing_eol = if text[range.clone()].contains("\r\n") {
                "\r\n"
            } else {
                eol
            };
            let table = if existing_eol == eol {
                table
            } else {
                render_table(entries, &kept, with_approvals, existing_eol)
            };
            (sop.source.spliced(range, &table), table)
        }
        Some(Section {
            heading_end,
            table: None,
            ..
        }) => {
            let at = heading_end;
            let follows = text[at..].trim_start_matches([' ', '\t']);
            let needs_blank_after = !(follows.is_empty() || follows.starts_with(['\n', '\r']));
            let lead = if text[..at].ends_with(['\n', '\r']) {
                eol.to_string()
            } else {
                format!("{eol}{eol}")
            };
            let tail = if needs_blank_after { eol } else { "" };
            (
                sop.source.spliced(at..at, &format!("{lead}{table}{tail}")),
                table,
            )
        }
        None => {
            let mut addition = String::new();
            if !text.is_empty() && !text.ends_with(['\n', '\r']) {
                addition.push_str(eol);
            }
            if !text.trim().is_empty() {
                addition.push_str(eol);
            }
            addition.push_str("## Revision History");
            addition.push_str(eol);
            addition.push_str(eol);
            addition.push_str(&table);
            (sop.source.spliced(text.len()..text.len(), &addition), table)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    fn sop(text: &str) -> Sop {
        Sop::from_bytes(Path::new("a.md"), text.as_bytes().to_vec()).expect("sop")
    }

    fn entry(v: &str, date: &str, changes: &str) -> HistoryEntry {
        HistoryEntry {
            version: DocVersion::parse(v).expect("v"),
            date: date.into(),
            changes: changes.into(),
            author: "Alex Example".into(),
            approved_by: vec![],
        }
    }

    const DOC: &str = "---\nid: A\n---\n\n## Procedure\n\nDo it.\n\n## Document Revision History\n\n| Version | Date | Changes | Author |\n| --- | --- | --- | --- |\n| 0.9 | 2024-01-02 | Paper original | - |\n| 1.0 | 2025-11-08 | Initial document creation | - |\n\n## Compliance Notes\n\nKeep.\n";

    /// A later version whose body is the same from its history section on has the same rows as
    /// the version read before it (so `verify` takes them without parsing again); a change in
    /// the section, or a fence before it that could hide its heading, and it is read again.
    #[test]
    fn the_same_section_text_has_the_same_rows() {
        let released = sop(DOC);
        let (section, start) = find_noting_start(&released);
        let (section, start) = (
            section.expect("section"),
            start.expect("read from its heading"),
        );
        let edited = sop(&DOC.replace("Do it.", "Do it, then record it.\n\nAnd sign."));
        assert!(same_rows(&edited, released.body(), start));
        assert_eq!(find(&edited).expect("section").rows, section.rows);
        let row_changed = sop(&DOC.replace("Paper original", "Paper copy"));
        assert!(!same_rows(&row_changed, released.body(), start));
        let fenced = sop(&DOC.replace("Do it.", "```\nDo it.\n```"));
        assert!(!same_rows(&fenced, released.body(), start));
    }

    /// The section read from where it starts is the section the whole body's parse finds,
    /// whatever comes before it; and the quick reading is taken only where it is safe.
    #[test]
    fn reading_only_the_section_finds_what_the_whole_parse_finds() {
        let table = "| Version | Date | Changes | Author |\n| --- | --- | --- | --- |\n| 1.0 | 2025-11-08 | First | - |\n";
        let cases = [
            (DOC.to_string(), true),
            (
                format!("---\nid: A\n---\n## Revision History\n\n{table}"),
                true,
            ),
            // A fence or an HTML block before the heading: it could hide the heading.
            (
                format!(
                    "---\nid: A\n---\n\n```\n\n## Revision History\n\n{table}```\n\n## Revision History\n\n{table}"
                ),
                false,
            ),
            (
                format!(
                    "---\nid: A\n---\n\n<pre>\n\n## Revision History\n\n{table}</pre>\n\n## Revision History\n\n{table}"
                ),
                false,
            ),
            (
                format!(
                    "---\nid: A\n---\n\n~~~\n## Revision History\n~~~\n\n## Revision History\n\n{table}"
                ),
                false,
            ),
            // Mentions of revisions in text are passed over; a setext heading, an indented
            // heading, a heading right under a paragraph, a heading that is a link: the whole
            // body is parsed.
            (
                format!(
                    "---\nid: A\n---\n\nSee the revision history.\n\n## Revision History\n\n{table}"
                ),
                true,
            ),
            (
                format!(
                    "---\nid: A\n---\n\n- Revision 2 of the form.\n\n## Revision History\n\n{table}"
                ),
                true,
            ),
            (
                format!("---\nid: A\n---\n\nRevision History\n================\n\n{table}"),
                false,
            ),
            (
                format!(
                    "---\nid: A\n---\n\nRevision\nHistory\n---\n\n## Revision History\n\n{table}"
                ),
                false,
            ),
            (
                format!("---\nid: A\n---\n\n   ## Revision History\n\n{table}"),
                false,
            ),
            (
                format!("---\nid: A\n---\n\nText.\n## Revision History\n\n{table}"),
                false,
            ),
            (
                format!("---\nid: A\n---\n\n[x]: /y\n\n## [Revision History]\n\n{table}"),
                false,
            ),
            // A mention that is not the heading: the quick reading does not find it first.
            (
                format!("---\nid: A\n---\n\n# Revisions to come\n\n## Revision History\n\n{table}"),
                true,
            ),
            (
                format!("---\nid: A\n---\n\n- item\n\n  ```\n\n## Revision History\n\n{table}"),
                false,
            ),
        ];
        for (text, quick) in cases {
            let doc = sop(&text);
            let whole = find_from(&doc, 0, 0).map(|(_, s)| s);
            assert_eq!(find(&doc), whole, "{text}");
            assert_eq!(section_start(doc.body()).is_some(), quick, "{text}");
        }
        // Line endings other than `\n` count lines as the whole parse does.
        let crlf = DOC.replace('\n', "\r\n");
        let doc = sop(&crlf);
        assert!(section_start(doc.body()).is_some());
        let found = find(&doc).expect("section");
        assert_eq!(Some(found.clone()), find_from(&doc, 0, 0).map(|(_, s)| s));
        assert!(crlf[found.table.expect("table")].starts_with("| Version"));
    }

    #[test]
    fn the_section_and_its_rows_are_found() {
        let s = find(&sop(DOC)).expect("section");
        let versions: Vec<String> = s
            .rows
            .iter()
            .map(|r| {
                r.version
                    .as_ref()
                    .map(ToString::to_string)
                    .unwrap_or_default()
            })
            .collect();
        assert_eq!(versions, ["0.9", "1.0"]);
        assert_eq!(
            s.rows[0].cells,
            ["0.9", "2024-01-02", "Paper original", "-"]
        );
        assert!(DOC[s.table.expect("table")].starts_with("| Version"));
    }

    #[test]
    fn a_rows_author_is_its_fourth_cell_as_text() {
        let row = |cells: &[&str]| Row {
            cells: cells.iter().map(ToString::to_string).collect(),
            version: None,
        };
        assert_eq!(row(&["1.0", "d", "c", "J.  Smith"]).author(), "J. Smith");
        assert_eq!(row(&["1.0", "d", "c", "A \\| B", "QA"]).author(), "A | B");
        assert_eq!(row(&["1.0", "d", "c", "-"]).author(), "-");
        assert_eq!(row(&["1.0", "d", "c", ""]).author(), "-");
        assert_eq!(row(&["1.0", "d", "c"]).author(), "-");
    }

    #[test]
    fn rows_without_a_record_are_kept_and_records_replace_the_rest() {
        let (out, _) = regenerate(
            &sop(DOC),
            &[
                entry("1.0", "2025-11-08", "Initial document creation"),
                entry("1.1", "2026-02-01", "Add a | pipe"),
            ],
            false,
        );
        assert_eq!(
            out.text(),
            DOC.replace(
                "| 1.0 | 2025-11-08 | Initial document creation | - |\n",
                "| 1.0 | 2025-11-08 | Initial document creation | Alex Example |\n| 1.1 | 2026-02-01 | Add a \\| pipe | Alex Example |\n"
            )
        );
    }

    #[test]
    fn a_missing_section_is_added_at_the_end_with_the_files_line_endings() {
        let (out, _) = regenerate(
            &sop("---\r\nid: A\r\n---\r\n\r\nBody\r\n"),
            &[entry("1.0", "2025-11-08", "First")],
            false,
        );
        assert_eq!(
            out.text(),
            "---\r\nid: A\r\n---\r\n\r\nBody\r\n\r\n## Revision History\r\n\r\n| Version | Date | Changes | Author |\r\n| --- | --- | --- | --- |\r\n| 1.0 | 2025-11-08 | First | Alex Example |\r\n"
        );
    }

    #[test]
    fn a_section_without_a_table_gets_one_under_its_heading() {
        let (out, _) = regenerate(
            &sop("---\nid: A\n---\n# Revision history\nTBD\n"),
            &[entry("1.0", "2025-11-08", "First")],
            true,
        );
        assert_eq!(
            out.text(),
            "---\nid: A\n---\n# Revision history\n\n| Version | Date | Changes | Author | Approved by |\n| --- | --- | --- | --- | --- |\n| 1.0 | 2025-11-08 | First | Alex Example | - |\n\nTBD\n"
        );
    }

    /// The inline nodes of the one body cell of a table holding `cell`, as `Text(…)` or the
    /// node's kind for anything else.
    fn parsed_cell(cell: &str) -> Vec<String> {
        let md = format!("| A |\n| --- |\n| {cell} |\n\n[^1]: A note.\n");
        let arena = comrak::Arena::new();
        let root = comrak::parse_document(&arena, &md, &options());
        let row = root
            .descendants()
            .filter(|n| matches!(n.data().value, NodeValue::TableRow(false)))
            .last()
            .expect("body row");
        row.descendants()
            .filter_map(|n| match &n.data().value {
                NodeValue::TableRow(_) | NodeValue::TableCell => None,
                NodeValue::Text(t) => Some(format!("Text({t})")),
                other => Some(format!("{other:?}")),
            })
            .collect()
    }

    #[test]
    fn a_summary_is_written_as_text_that_shows_exactly_what_was_typed() {
        for (summary, cell) in [
            ("[x](javascript:alert(1))", r"\[x\](javascript:alert(1))"),
            ("![i](../../etc/passwd)", r"!\[i\](../../etc/passwd)"),
            ("a | b", r"a \| b"),
            ("<b>bold</b> &amp;", r"\<b>bold\</b> \&amp;"),
            ("two\nlines", "two lines"),
            (r"C:\temp\ end\", r"C:\\temp\\ end\\"),
            (
                "*e* _e_ ~~s~~ `c` [^1]",
                r"\*e\* \_e\_ \~\~s\~\~ \`c\` \[^1\]",
            ),
            (
                "see https://x.org, www.x.org, qa@x.org",
                r"see https\://x.org, www\.x.org, qa\@x.org",
            ),
            ("# Not a heading", "# Not a heading"),
            ("bell\u{7}", "bell\u{FFFD}"),
            ("  ", "-"),
        ] {
            assert_eq!(escape_cell(summary), cell, "{summary:?}");
            let shown = summary.split_whitespace().collect::<Vec<_>>().join(" ");
            let shown = if shown.is_empty() {
                "-".to_string()
            } else {
                shown
            };
            let shown = shown.replace('\u{7}', "\u{FFFD}");
            assert_eq!(parsed_cell(cell), [format!("Text({shown})")], "{summary:?}");
            assert_eq!(cell_text(cell), shown, "{summary:?}");
        }
    }
}
