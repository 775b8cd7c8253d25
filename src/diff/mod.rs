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
mod sections;
mod units;
pub mod words;

use unicode_normalization::UnicodeNormalization;

use crate::doc::Sop;
use sections::{keyed, sections};
use units::{Unit, compare_units};
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
    /// For a unit moved from another section, that section's heading path (issue 18 item 4).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub moved_from: Option<Vec<String>>,
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
    /// Paragraphs, list items and other units moved to another place (within their section or
    /// to another one).
    pub units_moved: usize,
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

/// Compares two versions of a document (see the module docs).
#[allow(
    clippy::indexing_slicing,
    reason = "indices run over `old_sections` and `new_sections`, whose lengths size `taken`, `renamed`, `kept` and `old_for_new`"
)]
pub fn compare(old: &Sop, new: &Sop, from_label: &str, to_label: &str) -> DocDiff {
    let managed = metadata::changes(old, new);
    let (mut old_pieces, mut new_pieces) = (keyed(old), keyed(new));
    sections::mark_shared(&mut old_pieces, &mut new_pieces);
    let (mut old_sections, old_history) = sections(&old_pieces);
    let (mut new_sections, new_history) = sections(&new_pieces);
    old_sections.extend(sections::footnotes(old.body()));
    new_sections.extend(sections::footnotes(new.body()));
    // Rows `release` added to the revision history are summed up; a row changed or taken out
    // is shown as any other text is (issue 18 item 2).
    let (history_changed, history_edits) =
        units::history_rows(&old_history.units, &new_history.units, to_label);

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
        let mut units = compare_units(&a.units, &b.units);
        if a.level != b.level && a.level > 0 && b.level > 0 {
            // The same heading one level up or down: a change to the document's structure.
            let hashes = |n: u8| format!("{} ", "#".repeat(usize::from(n)));
            units.insert(
                0,
                UnitChange {
                    kind: UnitKind::Changed,
                    what: "heading",
                    runs: vec![
                        Run::Delete(hashes(a.level)),
                        Run::Insert(hashes(b.level)),
                        Run::Equal(b.path.last().cloned().unwrap_or_default()),
                    ],
                    moved_from: None,
                },
            );
        }
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
            let units = compare_units(&[], &s.units);
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
            let units = compare_units(&s.units, &[]);
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
    if !history_edits.is_empty() {
        let path = if new_history.path.is_empty() {
            old_history.path.clone()
        } else {
            new_history.path.clone()
        };
        match changes.iter_mut().find(|(_, c)| c.path == path) {
            Some((_, section)) => section.units.splice(0..0, history_edits).for_each(drop),
            None => {
                counts.changed += 1;
                changes.push((
                    usize::MAX,
                    SectionChange {
                        kind: SectionKind::Changed,
                        path,
                        old_path: None,
                        units: history_edits,
                    },
                ));
            }
        }
    }
    changes.sort_by_key(|(k, _)| *k);
    let sections = units::moved_between(changes.into_iter().map(|(_, c)| c).collect());
    counts.changed = sections
        .iter()
        .filter(|s| s.kind == SectionKind::Changed)
        .count();
    for unit in sections.iter().flat_map(|s| &s.units) {
        units::count(&unit.runs, &mut counts);
        if unit.kind == UnitKind::Moved {
            counts.units_moved += 1;
        }
    }

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
