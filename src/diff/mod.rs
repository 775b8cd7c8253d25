//! REDLINE: two versions of a document compared as documents (SPEC §6).
//!
//! Takes two parsed documents; returns a [`DocDiff`]: the managed parts (version, effective date,
//! status, the generated revision history) summed up, then the sections that changed. Sections
//! are aligned by heading path, then by content (a renamed section), and a section whose place
//! in the order changed is reported as moved, with any edits inside it. Inside a section, blocks
//! are compared unit by unit (a paragraph, a list item, a table row, a code block), and changed
//! units word by word ([`words`]). Formatting is separate ([`format`](mod@format)): text, unified, HTML, JSON.

pub mod format;
mod metadata;
mod pairing;
pub mod redline;
pub mod words;

use similar::{Algorithm, DiffOp, capture_diff_slices};
use unicode_normalization::UnicodeNormalization;

use crate::doc::Sop;
use crate::doc::revision_table::is_history_heading;
use crate::model::{Block, Document, Inline, List, inline_text};
use words::Run;

/// What happened to a section.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SectionKind {
    /// Edited where it was.
    Changed,
    /// New in the later version.
    Added,
    /// Gone from the later version.
    Removed,
    /// In another place in the order (possibly edited too).
    Moved,
    /// Its heading changed; its content matched it to the earlier section.
    Renamed,
}

/// What happened to one unit of a section (a paragraph, list item, table row, code block…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum UnitKind {
    /// Edited: see the word runs.
    Changed,
    /// New.
    Added,
    /// Gone.
    Removed,
    /// The same text, moved to another place in its section (issue 18 item 4).
    Moved,
}

/// A changed unit with its words marked.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct UnitChange {
    /// Changed, added or removed.
    pub kind: UnitKind,
    /// What it is: `paragraph`, `list item`, `table row`, `code`, …
    pub what: &'static str,
    /// The text in runs: equal, deleted, inserted.
    pub runs: Vec<Run>,
}

/// A section that differs.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SectionChange {
    /// What happened.
    pub kind: SectionKind,
    /// Heading path in the later version (the earlier one for a removed section); empty for the
    /// text before the first heading.
    pub path: Vec<String>,
    /// The earlier heading path, when it differs (renamed, moved).
    pub old_path: Option<Vec<String>>,
    /// The units that differ.
    pub units: Vec<UnitChange>,
}

/// A managed value before and after.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Change {
    /// What (`version`, `effective`, `status`, `title`, `owner`, …).
    pub what: String,
    /// Before (empty when absent).
    pub from: String,
    /// After (empty when absent).
    pub to: String,
}

/// Totals for the closing line.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Sections edited in place.
    pub changed: usize,
    /// Sections added.
    pub added: usize,
    /// Sections removed.
    pub removed: usize,
    /// Sections moved.
    pub moved: usize,
    /// Sections renamed.
    pub renamed: usize,
    /// Words inserted.
    pub words_inserted: usize,
    /// Words deleted.
    pub words_deleted: usize,
}

/// Two versions compared.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DocDiff {
    /// What the versions are called (`1.0`, `working copy`).
    pub from_label: String,
    /// See `from_label`.
    pub to_label: String,
    /// The managed values that changed (version, effective date, status) and other front-matter
    /// values that changed (title, owner, …).
    pub managed: Vec<Change>,
    /// Whether the revision-history table differs (it is generated, so it is summed up only).
    pub history_changed: bool,
    /// Set when the texts differ only in Unicode normalisation (composed or decomposed letters).
    pub normalisation_only: bool,
    /// Set when the line endings changed (`CRLF → LF`): not a change to the content.
    pub line_endings: Option<String>,
    /// The sections that differ, in the later version's order (removed ones where they were).
    pub sections: Vec<SectionChange>,
    /// Totals.
    pub counts: Counts,
}

impl DocDiff {
    /// Whether the documents differ in anything a reader sees.
    pub fn is_empty(&self) -> bool {
        self.sections.is_empty() && self.managed.is_empty() && !self.history_changed
    }
}

/// One comparable unit of a section.
#[derive(Debug, Clone)]
struct Unit {
    what: &'static str,
    text: String,
}

impl Unit {
    /// The text as it compares: an ordered list item without its number, so that renumbered
    /// steps are no change (`cases/` B37; also when every item is written `1.`).
    fn key(&self) -> String {
        words::comparison_key(self.content())
    }

    /// The text without an ordered list item's number (`3. Rinse` → `Rinse`).
    fn content(&self) -> &str {
        if self.what != "list item" {
            return &self.text;
        }
        let trimmed = self.text.trim_start();
        let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
        match trimmed.get(digits..).and_then(|r| r.strip_prefix(". ")) {
            Some(rest) if digits > 0 => rest,
            _ => &self.text,
        }
    }

    /// What comes before [`Unit::content`]: the indent and number of an ordered item.
    fn marker(&self) -> &str {
        let content = self.content();
        self.text
            .get(..self.text.len() - content.len())
            .unwrap_or_default()
    }
}

#[derive(Debug, Clone)]
struct Section {
    path: Vec<String>,
    units: Vec<Unit>,
}

/// Text of inline content for comparison: soft breaks are spaces, a hard line break is a visible
/// `⏎` (two trailing spaces change the rendered document, `cases/` B22d).
fn unit_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for i in inlines {
        match i {
            Inline::LineBreak => out.push_str(" ⏎ "),
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Marked(_, c) => out.push_str(&unit_text(c)),
            Inline::Link { content, .. } => out.push_str(&unit_text(content)),
            other => out.push_str(&inline_text(std::slice::from_ref(other))),
        }
    }
    out
}

fn list_units(list: &List, depth: usize, out: &mut Vec<Unit>) {
    for (n, item) in list.items.iter().enumerate() {
        let marker = match item.task {
            Some(true) => "☒".to_string(),
            Some(false) => "☐".to_string(),
            None if list.ordered => format!("{}.", list.start + n),
            None => "•".to_string(),
        };
        let indent = "  ".repeat(depth);
        let mut first = true;
        for block in &item.blocks {
            match block {
                Block::List(inner) => list_units(inner, depth + 1, out),
                Block::Paragraph(inlines) if first => {
                    out.push(Unit {
                        what: "list item",
                        text: format!("{indent}{marker} {}", unit_text(inlines)),
                    });
                    first = false;
                }
                other => block_units(other, out),
            }
        }
    }
}

fn block_units(block: &Block, out: &mut Vec<Unit>) {
    match block {
        Block::Heading(_) => {}
        Block::Paragraph(inlines) => out.push(Unit {
            what: "paragraph",
            text: unit_text(inlines),
        }),
        Block::List(list) => list_units(list, 0, out),
        Block::Revised(_, inner) => inner.iter().for_each(|b| block_units(b, out)),
        Block::BlockQuote(inner) => {
            let mut nested = Vec::new();
            for b in inner {
                block_units(b, &mut nested);
            }
            out.extend(nested.into_iter().map(|u| Unit {
                what: "quote",
                text: format!("> {}", u.text),
            }));
        }
        Block::Code { text, .. } => out.push(Unit {
            what: "code",
            text: text.clone(),
        }),
        Block::Html(raw) => out.push(Unit {
            what: "html",
            text: raw.clone(),
        }),
        Block::Rule => out.push(Unit {
            what: "rule",
            text: "---".into(),
        }),
        Block::Table(t) => {
            let row = |cells: &[Vec<Inline>]| {
                cells
                    .iter()
                    .map(|c| unit_text(c))
                    .collect::<Vec<_>>()
                    .join(" | ")
            };
            out.push(Unit {
                what: "table header",
                text: row(&t.header),
            });
            for r in &t.rows {
                out.push(Unit {
                    what: "table row",
                    text: row(r),
                });
            }
        }
    }
}

/// A piece of a document's body: a column-0 ATX heading line and what follows it up to the
/// next one (the first piece may have no heading).
struct Chunk<'a> {
    text: &'a str,
    first_line: usize,
    starts_with_heading: bool,
}

/// Cuts a body at the ATX headings that start in column 0 outside fenced code and HTML blocks.
/// Such a heading always starts a new block in CommonMark (it interrupts paragraphs and lists),
/// so each piece parses on its own as it would in the whole document.
fn chunks(body: &str, first_line: usize) -> Vec<Chunk<'_>> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut start_line = first_line;
    let mut fence: Option<(char, usize)> = None;
    let mut in_html = false;
    let mut offset = 0usize;
    let mut starts_with_heading = false;
    for (line_no, line) in (first_line..).zip(body.split_inclusive('\n')) {
        let trimmed = line.trim_end_matches(['\n', '\r']);
        let indent = trimmed.len() - trimmed.trim_start_matches(' ').len();
        let content = trimmed.trim_start_matches(' ');
        if let Some((c, n)) = fence {
            if indent < 4
                && content.chars().take_while(|x| *x == c).count() >= n
                && content.trim_start_matches(c).trim().is_empty()
            {
                fence = None;
            }
        } else if indent < 4 && (content.starts_with("```") || content.starts_with("~~~")) {
            let c = content.chars().next().unwrap_or('`');
            fence = Some((c, content.chars().take_while(|x| *x == c).count()));
        } else if in_html {
            if trimmed.trim().is_empty() {
                in_html = false;
            }
        } else if indent < 4 && content.starts_with('<') {
            in_html = true;
        } else {
            let hashes = trimmed.chars().take_while(|c| *c == '#').count();
            let is_heading = (1..=6).contains(&hashes)
                && trimmed[hashes..]
                    .chars()
                    .next()
                    .is_none_or(|c| c == ' ' || c == '\t');
            if is_heading {
                if offset > start {
                    out.push(Chunk {
                        text: &body[start..offset],
                        first_line: start_line,
                        starts_with_heading,
                    });
                    start = offset;
                    start_line = line_no;
                }
                starts_with_heading = true;
            }
        }
        offset += line.len();
    }
    if start < body.len() || out.is_empty() {
        out.push(Chunk {
            text: &body[start..],
            first_line: start_line,
            starts_with_heading,
        });
    }
    out
}

/// A piece's text with spacing and line breaks squeezed, as the comparison sees it; two
/// trailing spaces (a hard line break) are kept as a mark, since they change the document.
fn chunk_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        for c in line.chars() {
            if c.is_whitespace() {
                space = true;
            } else {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
        if line.ends_with("  ") {
            out.push_str(" ⏎");
        }
        space = true;
    }
    words::nfc(out)
}

/// The pieces of a document's body with their comparison keys.
fn keyed(sop: &Sop) -> Vec<(Chunk<'_>, String)> {
    chunks(sop.body(), sop.body_first_line())
        .into_iter()
        .map(|c| {
            let key = chunk_key(c.text);
            (c, key)
        })
        .collect()
}

/// Sections by heading path; the generated revision-history table is left out (it is summed
/// up). Pieces of the body that are identical in the other version (`shared`) are not parsed: they stand as one
/// opaque unit that compares equal, which keeps large documents with small edits fast.
fn sections(
    pieces: Vec<(Chunk<'_>, String)>,
    shared: &std::collections::HashSet<String>,
) -> (Vec<Section>, Vec<Unit>) {
    let mut out = vec![Section {
        path: Vec::new(),
        units: Vec::new(),
    }];
    let mut stack: Vec<(u8, String)> = Vec::new();
    let mut history = Vec::new();
    let mut in_history: Option<u8> = None;
    let mut history_table = false;
    for (chunk, key) in pieces {
        let doc = if shared.contains(&key) {
            // Only the heading line is needed, for the path.
            let heading_line = if chunk.starts_with_heading {
                chunk.text.lines().next().unwrap_or("")
            } else {
                ""
            };
            let mut d = Document::parse(heading_line, chunk.first_line);
            d.blocks.push(Block::Html(String::new()));
            (d, Some(key))
        } else {
            (Document::parse(chunk.text, chunk.first_line), None)
        };
        let (doc, opaque) = doc;
        for block in &doc.blocks {
            if let Block::Heading(h) = block {
                if in_history.is_some_and(|level| h.level <= level) {
                    in_history = None;
                }
                if in_history.is_none() && is_history_heading(&h.text) {
                    in_history = Some(h.level);
                    history_table = false;
                }
                while stack.last().is_some_and(|(l, _)| *l >= h.level) {
                    stack.pop();
                }
                stack.push((h.level, h.text.clone()));
                out.push(Section {
                    path: stack.iter().map(|(_, t)| t.clone()).collect(),
                    units: Vec::new(),
                });
                continue;
            }
            // Only the generated table is summed up; anything else a person wrote under the
            // heading is compared as text (issue 18 item 2).
            let target =
                if in_history.is_some() && !history_table && matches!(block, Block::Table(_)) {
                    history_table = true;
                    &mut history
                } else if let Some(s) = out.last_mut() {
                    &mut s.units
                } else {
                    continue;
                };
            match (&opaque, block) {
                (Some(key), Block::Html(raw)) if raw.is_empty() => target.push(Unit {
                    what: "unchanged",
                    text: key.clone(),
                }),
                _ => block_units(block, target),
            }
        }
    }
    if out.first().is_some_and(|s| s.units.is_empty()) {
        out.remove(0);
    }
    (out, history)
}

fn count(runs: &[Run], counts: &mut Counts) {
    for r in runs {
        match r {
            Run::Delete(t) => counts.words_deleted += words::count_words(t),
            Run::Insert(t) => counts.words_inserted += words::count_words(t),
            Run::Equal(_) => {}
        }
    }
}

#[allow(
    clippy::indexing_slicing,
    reason = "ranges come from `similar`'s diff ops over these same slices, which stay within them"
)]
fn compare_units(old: &[Unit], new: &[Unit], counts: &mut Counts) -> Vec<UnitChange> {
    let ka: Vec<String> = old.iter().map(Unit::key).collect();
    let kb: Vec<String> = new.iter().map(Unit::key).collect();
    let mut out = Vec::new();
    let added = |u: &Unit, counts: &mut Counts| {
        let runs = vec![Run::Insert(u.text.clone())];
        count(&runs, counts);
        UnitChange {
            kind: UnitKind::Added,
            what: u.what,
            runs,
        }
    };
    for op in capture_diff_slices(Algorithm::Myers, &ka, &kb) {
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete {
                old_index, old_len, ..
            } => {
                for u in &old[old_index..old_index + old_len] {
                    let runs = vec![Run::Delete(u.text.clone())];
                    count(&runs, counts);
                    out.push(UnitChange {
                        kind: UnitKind::Removed,
                        what: u.what,
                        runs,
                    });
                }
            }
            DiffOp::Insert {
                new_index, new_len, ..
            } => {
                for u in &new[new_index..new_index + new_len] {
                    out.push(added(u, counts));
                }
            }
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                let pairs = old_len.min(new_len);
                for k in 0..pairs {
                    let (a, b) = (&old[old_index + k], &new[new_index + k]);
                    // A renumbered item's number is not a change: its text is compared alone.
                    let mut runs = words::diff(a.content(), b.content());
                    if runs.iter().all(|r| matches!(r, Run::Equal(_))) {
                        continue;
                    }
                    if !b.marker().is_empty() {
                        runs.insert(0, Run::Equal(b.marker().to_string()));
                    }
                    count(&runs, counts);
                    out.push(UnitChange {
                        kind: UnitKind::Changed,
                        what: b.what,
                        runs,
                    });
                }
                for u in &old[old_index + pairs..old_index + old_len] {
                    let runs = vec![Run::Delete(u.text.clone())];
                    count(&runs, counts);
                    out.push(UnitChange {
                        kind: UnitKind::Removed,
                        what: u.what,
                        runs,
                    });
                }
                for u in &new[new_index + pairs..new_index + new_len] {
                    out.push(added(u, counts));
                }
            }
        }
    }
    moved(out, counts)
}

/// A unit removed in one place and added with the same text in another is one unit moved
/// (issue 18 item 4): reported once, where it now is, and not counted as words deleted and
/// inserted.
fn moved(changes: Vec<UnitChange>, counts: &mut Counts) -> Vec<UnitChange> {
    let text = |c: &UnitChange| -> String {
        c.runs
            .iter()
            .map(|r| match r {
                Run::Equal(t) | Run::Delete(t) | Run::Insert(t) => t.as_str(),
            })
            .collect::<String>()
    };
    let key = |c: &UnitChange| {
        let unit = Unit {
            what: c.what,
            text: text(c),
        };
        unit.key()
    };
    let removed: Vec<(usize, String)> = changes
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind == UnitKind::Removed)
        .map(|(i, c)| (i, key(c)))
        .collect();
    let mut gone = vec![false; changes.len()];
    let mut out = Vec::with_capacity(changes.len());
    for (i, change) in changes.iter().enumerate() {
        if change.kind == UnitKind::Added {
            let k = key(change);
            if let Some((r, _)) = removed
                .iter()
                .find(|(r, rk)| !gone.get(*r).copied().unwrap_or(true) && *rk == k)
            {
                if let Some(slot) = gone.get_mut(*r) {
                    *slot = true;
                }
                let words = words::count_words(&text(change));
                counts.words_inserted = counts.words_inserted.saturating_sub(words);
                counts.words_deleted = counts.words_deleted.saturating_sub(words);
                out.push((
                    i,
                    UnitChange {
                        kind: UnitKind::Moved,
                        what: change.what,
                        runs: vec![Run::Equal(text(change))],
                    },
                ));
                continue;
            }
        }
        out.push((i, change.clone()));
    }
    out.into_iter()
        .filter(|(i, c)| c.kind == UnitKind::Moved || !gone.get(*i).copied().unwrap_or(false))
        .map(|(_, c)| c)
        .collect()
}

/// Compares two versions of a document (see the module docs).
#[allow(
    clippy::indexing_slicing,
    reason = "indices run over `old_sections` and `new_sections`, whose lengths size `taken`, `renamed`, `kept` and `old_for_new`"
)]
pub fn compare(old: &Sop, new: &Sop, from_label: &str, to_label: &str) -> DocDiff {
    let managed = metadata::changes(old, new);
    let (old_pieces, new_pieces) = (keyed(old), keyed(new));
    let old_keys: std::collections::HashSet<&String> = old_pieces.iter().map(|(_, k)| k).collect();
    let shared: std::collections::HashSet<String> = new_pieces
        .iter()
        .map(|(_, k)| k)
        .filter(|k| old_keys.contains(k))
        .cloned()
        .collect();
    let (old_sections, old_history) = sections(old_pieces, &shared);
    let (new_sections, new_history) = sections(new_pieces, &shared);
    let history_changed = old_history
        .iter()
        .map(Unit::key)
        .ne(new_history.iter().map(Unit::key));

    // Pair sections: by path, then by content.
    let pairing::Pairs {
        old_for_new,
        renamed,
    } = pairing::pair(&old_sections, &new_sections);
    let mut taken = vec![false; old_sections.len()];
    for i in old_for_new.iter().flatten() {
        taken[*i] = true;
    }
    // Before each later section, the highest earlier section paired so far (plus one; 0 for
    // none): rising, so the first later section paired past an earlier one is a binary search.
    let highest_so_far: Vec<usize> = old_for_new
        .iter()
        .scan(0, |top, o| {
            *top = (*top).max(o.map_or(0, |i| i + 1));
            Some(*top)
        })
        .collect();
    let paired: Vec<(usize, usize)> = old_for_new
        .iter()
        .enumerate()
        .filter_map(|(j, i)| i.map(|i| (j, i)))
        .collect();
    let kept = pairing::longest_increasing(&paired.iter().map(|(_, i)| *i).collect::<Vec<_>>());

    let mut counts = Counts::default();
    let mut changes: Vec<(usize, SectionChange)> = Vec::new();
    for (k, (j, i)) in paired.iter().enumerate() {
        let (a, b) = (&old_sections[*i], &new_sections[*j]);
        let units = compare_units(&a.units, &b.units, &mut counts);
        let kind = if renamed[*j] {
            counts.renamed += 1;
            SectionKind::Renamed
        } else if !kept[k] {
            counts.moved += 1;
            SectionKind::Moved
        } else if units.is_empty() {
            continue;
        } else {
            counts.changed += 1;
            SectionKind::Changed
        };
        let old_path = (a.path != b.path || kind == SectionKind::Moved).then(|| a.path.clone());
        changes.push((
            *j * 2 + 1,
            SectionChange {
                kind,
                path: b.path.clone(),
                old_path,
                units,
            },
        ));
    }
    for (j, s) in new_sections.iter().enumerate() {
        if old_for_new[j].is_none() {
            counts.added += 1;
            let units = compare_units(&[], &s.units, &mut counts);
            changes.push((
                j * 2 + 1,
                SectionChange {
                    kind: SectionKind::Added,
                    path: s.path.clone(),
                    old_path: None,
                    units,
                },
            ));
        }
    }
    for (i, s) in old_sections.iter().enumerate() {
        if !taken[i] {
            counts.removed += 1;
            let units = compare_units(&s.units, &[], &mut counts);
            // Place it just before the section that followed it in the earlier version.
            let after = highest_so_far.partition_point(|&top| top <= i + 1) * 2;
            changes.push((
                after,
                SectionChange {
                    kind: SectionKind::Removed,
                    path: s.path.clone(),
                    old_path: None,
                    units,
                },
            ));
        }
    }
    changes.sort_by_key(|(k, _)| *k);
    let sections: Vec<SectionChange> = changes.into_iter().map(|(_, c)| c).collect();

    let normalisation_only = sections.is_empty() && {
        let squeeze = |s: &str| s.split_whitespace().collect::<Vec<_>>().join(" ");
        squeeze(old.body()) != squeeze(new.body())
            && squeeze(old.body()).nfc().collect::<String>()
                == squeeze(new.body()).nfc().collect::<String>()
    };
    let ending = |text: &str| if text.contains("\r\n") { "CRLF" } else { "LF" };
    let line_endings = (ending(old.source.text()) != ending(new.source.text())).then(|| {
        format!(
            "{} → {}",
            ending(old.source.text()),
            ending(new.source.text())
        )
    });
    DocDiff {
        from_label: from_label.to_string(),
        to_label: to_label.to_string(),
        managed,
        history_changed,
        normalisation_only,
        line_endings,
        sections,
        counts,
    }
}
