//! Units of a section (a paragraph, a list item, a table row, a code block…) and their
//! comparison: unit by unit, changed units word by word ([`super::words`]), and units that
//! moved, within a section or between sections (issue 18 item 4).

use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::words::{self, Run};
use super::{Counts, SectionChange, UnitChange, UnitKind};
use crate::model::{Block, Inline, List, inline_text};

/// One comparable unit of a section.
#[derive(Debug, Clone)]
pub(super) struct Unit {
    pub(super) what: &'static str,
    /// The text as a reader reads it.
    pub(super) text: String,
    /// The text with its formatting written as Markdown (`**bold**`, `[text](target)`,
    /// `![alt](image.png)`): what it compares by, so that a word made bold, a link's target or
    /// an image changed is a change (issue 18 item 2).
    pub(super) markup: String,
}

impl Unit {
    /// A unit whose text has no formatting (code, a rule, a footnote as written).
    pub(super) fn plain(what: &'static str, text: String) -> Unit {
        Unit {
            what,
            markup: text.clone(),
            text,
        }
    }

    /// A unit of inline content after `prefix` (a list item's marker, a quote's `> `).
    fn inline(what: &'static str, prefix: &str, inlines: &[Inline]) -> Unit {
        let markup = format!("{prefix}{}", unit_text(inlines, true));
        Unit {
            what,
            text: plain_of(&markup, || format!("{prefix}{}", unit_text(inlines, false))),
            markup,
        }
    }

    /// The text as it compares: its Markdown, an ordered list item without its number, so that
    /// renumbered steps are no change (`cases/` B37; also when every item is written `1.`).
    pub(super) fn key(&self) -> String {
        words::comparison_key(self.strip(&self.markup))
    }

    /// The text without an ordered list item's number (`3. Rinse` → `Rinse`).
    fn content(&self) -> &str {
        self.strip(&self.text)
    }

    /// `text` without an ordered list item's number.
    fn strip<'t>(&self, text: &'t str) -> &'t str {
        if self.what != "list item" {
            return text;
        }
        let trimmed = text.trim_start();
        let digits = trimmed.bytes().take_while(u8::is_ascii_digit).count();
        match trimmed.get(digits..).and_then(|r| r.strip_prefix(". ")) {
            Some(rest) if digits > 0 => rest,
            _ => text,
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
pub(super) struct Section {
    pub(super) path: Vec<String>,
    /// The heading's level, 1–6 (0 for the text before the first heading).
    pub(super) level: u8,
    pub(super) units: Vec<Unit>,
}

/// The text of a unit whose Markdown is `markup`: the Markdown itself when it holds none of
/// the characters formatting is written with (most units: a checklist item, a table cell of
/// plain words), else `plain()`, which walks the inlines again.
fn plain_of(markup: &str, plain: impl FnOnce() -> String) -> String {
    if markup.contains(['*', '_', '`', '[', ']', '\\', '<', '~']) {
        plain()
    } else {
        markup.to_string()
    }
}

/// ` "title"` for a link's or image's title, nothing when it has none.
fn titled(title: &str) -> String {
    if title.is_empty() {
        String::new()
    } else {
        format!(" \"{title}\"")
    }
}

/// Text of inline content for comparison: soft breaks are spaces, a hard line break is a visible
/// `⏎` (two trailing spaces change the rendered document, `cases/` B22d). With `markup`, the
/// formatting is written as Markdown writes it.
fn unit_text(inlines: &[Inline], markup: bool) -> String {
    let mut out = String::new();
    for i in inlines {
        let inner = |c: &[Inline]| unit_text(c, markup);
        match i {
            Inline::LineBreak => out.push_str(" ⏎ "),
            Inline::Emphasis(c) if markup => out.push_str(&format!("*{}*", inner(c))),
            Inline::Strong(c) if markup => out.push_str(&format!("**{}**", inner(c))),
            Inline::Strikethrough(c) if markup => out.push_str(&format!("~~{}~~", inner(c))),
            Inline::Marked(e, c) if markup => {
                out.push_str(&format!("<{t}>{}</{t}>", inner(c), t = e.tag()));
            }
            Inline::Code(c) if markup => out.push_str(&format!("`{c}`")),
            Inline::Link {
                target,
                title,
                content,
            } if markup => {
                out.push_str(&format!("[{}]({target}{})", inner(content), titled(title)))
            }
            Inline::Image { source, alt, title } if markup => {
                out.push_str(&format!("![{alt}]({source}{})", titled(title)));
            }
            // A character Markdown would read as formatting is written escaped, so that
            // `\*star\*` and *star* differ.
            Inline::Text(t) if markup && t.contains(['*', '_', '`', '[', ']', '\\']) => {
                for c in t.chars() {
                    if matches!(c, '*' | '_' | '`' | '[' | ']' | '\\') {
                        out.push('\\');
                    }
                    out.push(c);
                }
            }
            Inline::FootnoteRef { label, .. } if markup => out.push_str(&format!("[^{label}]")),
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Marked(_, c)
            | Inline::Revised(_, c) => out.push_str(&inner(c)),
            Inline::Link { content, .. } => out.push_str(&inner(content)),
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
                    out.push(Unit::inline(
                        "list item",
                        &format!("{indent}{marker} "),
                        inlines,
                    ));
                    first = false;
                }
                other => block_units(other, out),
            }
        }
    }
}

pub(super) fn block_units(block: &Block, out: &mut Vec<Unit>) {
    match block {
        Block::Heading(_) => {}
        Block::Paragraph(inlines) => out.push(Unit::inline("paragraph", "", inlines)),
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
                markup: format!("> {}", u.markup),
            }));
        }
        Block::Code { info, text } => out.push(Unit {
            what: "code",
            text: text.clone(),
            // The language after the fence is part of what is written.
            markup: format!("```{info}\n{text}"),
        }),
        Block::Html(raw) => out.push(Unit::plain("html", raw.clone())),
        Block::Rule => out.push(Unit::plain("rule", "---".into())),
        Block::Table(t) => {
            let row = |what: &'static str, cells: &[Vec<Inline>]| {
                let join = |markup: bool| {
                    cells
                        .iter()
                        .map(|c| unit_text(c, markup))
                        .collect::<Vec<_>>()
                        .join(" | ")
                };
                let markup = join(true);
                Unit {
                    what,
                    text: plain_of(&markup, || join(false)),
                    markup,
                }
            };
            out.push(row("table header", &t.header));
            for r in &t.rows {
                out.push(row("table row", r));
            }
        }
    }
}

/// Adds the words `runs` delete and insert to `counts`.
pub(super) fn count(runs: &[Run], counts: &mut Counts) {
    for r in runs {
        match r {
            Run::Delete(t) => counts.words_deleted += words::count_words(t),
            Run::Insert(t) => counts.words_inserted += words::count_words(t),
            Run::Equal(_) => {}
        }
    }
}

fn change(kind: UnitKind, u: &Unit, runs: Vec<Run>) -> UnitChange {
    UnitChange {
        kind,
        what: u.what,
        runs,
        moved_from: None,
    }
}

/// The units that differ between `old` and `new`, one section's: inserted, deleted, edited
/// (word by word, a numbered item's number left out, `cases/` B37) and moved within the
/// section.
#[allow(
    clippy::indexing_slicing,
    reason = "ranges come from `similar`'s diff ops over these same slices, which stay within them"
)]
pub(super) fn compare_units(old: &[Unit], new: &[Unit]) -> Vec<UnitChange> {
    let ka: Vec<String> = old.iter().map(Unit::key).collect();
    let kb: Vec<String> = new.iter().map(Unit::key).collect();
    let mut out = Vec::new();
    let removed = |u: &Unit| change(UnitKind::Removed, u, vec![Run::Delete(u.text.clone())]);
    let added = |u: &Unit| change(UnitKind::Added, u, vec![Run::Insert(u.text.clone())]);
    for op in capture_diff_slices(Algorithm::Myers, &ka, &kb) {
        let (o, n) = (op.old_range(), op.new_range());
        match op {
            DiffOp::Equal { .. } => {}
            DiffOp::Delete { .. } => out.extend(old[o].iter().map(removed)),
            DiffOp::Insert { .. } => out.extend(new[n].iter().map(added)),
            DiffOp::Replace { .. } => {
                let pairs = o.len().min(n.len());
                for k in 0..pairs {
                    let (a, b) = (&old[o.start + k], &new[n.start + k]);
                    if let Some(runs) = edited(a, b) {
                        out.push(change(UnitKind::Changed, b, runs));
                    }
                }
                out.extend(old[o.start + pairs..o.end].iter().map(removed));
                out.extend(new[n.start + pairs..n.end].iter().map(added));
            }
        }
    }
    moved(out, |_| true)
        .into_iter()
        .map(|(_, c, _)| c)
        .collect()
}

/// The word runs that turn `a` into `b`, a renumbered item's number being no change; `None`
/// when they read the same.
fn edited(a: &Unit, b: &Unit) -> Option<Vec<Run>> {
    let same = |runs: &[Run]| runs.iter().all(|r| matches!(r, Run::Equal(_)));
    let mut runs = words::diff(a.content(), b.content());
    if same(&runs) {
        // The same words, but not the same formatting, link or image: shown as Markdown.
        runs = words::diff(a.strip(&a.markup), b.strip(&b.markup));
        if same(&runs) {
            return None;
        }
    }
    if !b.marker().is_empty() {
        runs.insert(0, Run::Equal(b.marker().to_string()));
    }
    Some(runs)
}

/// The whole text of a unit's runs in one version (`later`: equal and inserted runs; else
/// equal and deleted runs).
fn side(change: &UnitChange, later: bool) -> String {
    change
        .runs
        .iter()
        .filter_map(|r| match (r, later) {
            (Run::Equal(t), _) | (Run::Insert(t), true) | (Run::Delete(t), false) => {
                Some(t.as_str())
            }
            _ => None,
        })
        .collect()
}

/// A unit removed in one place and added with the same or nearly the same text (at least
/// [`super::redline::MOVED_LIKENESS`] of its words) in another is one unit moved (issue 18
/// item 4): reported once, where it now is, with any edits inside it marked, and the removal
/// dropped. `may_pair(removed, added)` says which pairs may be taken (indices into `changes`).
/// Returns the changes kept, each with its index in `changes` and, for a moved unit, the
/// index of the removal it replaced.
pub(super) fn moved(
    changes: Vec<UnitChange>,
    may_pair: impl Fn((usize, usize)) -> bool,
) -> Vec<(usize, UnitChange, Option<usize>)> {
    let unit = |c: &UnitChange, later: bool| Unit::plain(c.what, side(c, later));
    let removed: Vec<(usize, String, Unit)> = changes
        .iter()
        .enumerate()
        .filter(|(_, c)| c.kind == UnitKind::Removed)
        .map(|(i, c)| {
            let u = unit(c, false);
            (i, u.key(), u)
        })
        .filter(|(_, k, _)| words::count_words(k) >= MOVED_WORDS)
        .collect();
    let mut gone = vec![false; changes.len()];
    let mut budget = words::LIKENESS_BUDGET;
    let mut kept: Vec<(usize, UnitChange, Option<usize>)> = Vec::with_capacity(changes.len());
    for (i, c) in changes.iter().enumerate() {
        if c.kind != UnitKind::Added || removed.is_empty() {
            kept.push((i, c.clone(), None));
            continue;
        }
        let now = unit(c, true);
        let key = now.key();
        let free = |r: &usize| !gone.get(*r).copied().unwrap_or(true) && may_pair((*r, i));
        let exact = removed.iter().find(|(r, k, _)| free(r) && *k == key);
        let size = key.split_whitespace().count();
        let found = exact.map(|(r, _, u)| (*r, u)).or_else(|| {
            removed
                .iter()
                .filter(|(r, k, _)| {
                    free(r)
                        && words::could_be_alike(
                            k.split_whitespace().count(),
                            size,
                            super::redline::MOVED_LIKENESS,
                        )
                })
                .filter(|_| {
                    budget = budget.saturating_sub(1);
                    budget > 0
                })
                .map(|(r, k, u)| (*r, u, words::likeness(k, &key)))
                .filter(|(_, _, l)| *l >= super::redline::MOVED_LIKENESS)
                .max_by(|a, b| a.2.total_cmp(&b.2))
                .map(|(r, u, _)| (r, u))
        });
        match found {
            Some((r, before)) if words::count_words(&key) >= MOVED_WORDS => {
                if let Some(g) = gone.get_mut(r) {
                    *g = true;
                }
                let runs =
                    edited(before, &now).unwrap_or_else(|| vec![Run::Equal(now.text.clone())]);
                kept.push((
                    i,
                    UnitChange {
                        kind: UnitKind::Moved,
                        what: c.what,
                        runs,
                        moved_from: None,
                    },
                    Some(r),
                ));
            }
            _ => kept.push((i, c.clone(), None)),
        }
    }
    kept.into_iter()
        .filter(|(i, _, _)| !gone.get(*i).copied().unwrap_or(false))
        .collect()
}

/// The fewest words a unit needs to be taken as moved rather than written again (a lone
/// "Note:" removed here and added there is two edits).
const MOVED_WORDS: usize = 3;

/// Units moved from one section to another (issue 18 item 4): a unit removed from one section
/// and added, the same or nearly, to another is reported once, as moved, in the section it is
/// now in, with the section it came from; sections left with nothing to report are dropped.
pub(super) fn moved_between(sections: Vec<SectionChange>) -> Vec<SectionChange> {
    // Every unit change with its section, in one list.
    let mut all: Vec<UnitChange> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    for (s, section) in sections.iter().enumerate() {
        for u in &section.units {
            all.push(u.clone());
            owner.push(s);
        }
    }
    // Moves inside one section were found already; here only between two.
    let within = |(r, a): (usize, usize)| owner.get(r) != owner.get(a);
    let kept = moved(all, within);
    let mut out: Vec<SectionChange> = sections
        .into_iter()
        .map(|s| SectionChange {
            units: Vec::new(),
            ..s
        })
        .collect();
    for (i, mut change, from) in kept {
        let s = owner.get(i).copied().unwrap_or_default();
        if let Some(section) = from.and_then(|r| owner.get(r)).and_then(|o| out.get(*o)) {
            change.moved_from = Some(section.path.clone());
        }
        if let Some(section) = out.get_mut(s) {
            section.units.push(change);
        }
    }
    out.retain(|s| !(s.units.is_empty() && s.kind == super::SectionKind::Changed));
    out
}

/// The revision-history table's rows compared by their version (the first cell): whether
/// `release` added the row of `released` (the later version, when it is a release: summed up),
/// and every other change, shown as any other text is (issue 18 item 2): a row edited, taken
/// out, or typed in by hand.
pub(super) fn history_rows(old: &[Unit], new: &[Unit], released: &str) -> (bool, Vec<UnitChange>) {
    let version = |u: &Unit| {
        u.text
            .split(" | ")
            .next()
            .unwrap_or_default()
            .trim()
            .to_string()
    };
    let mut edits = Vec::new();
    for before in old {
        match new.iter().find(|n| version(n) == version(before)) {
            Some(after) => {
                if let Some(runs) = edited(before, after) {
                    edits.push(change(UnitKind::Changed, after, runs));
                }
            }
            None => edits.push(change(
                UnitKind::Removed,
                before,
                vec![Run::Delete(before.text.clone())],
            )),
        }
    }
    let mut added = false;
    for row in new
        .iter()
        .filter(|n| !old.iter().any(|o| version(o) == version(n)))
    {
        if version(row) == released && !added {
            added = true;
        } else {
            edits.push(change(
                UnitKind::Added,
                row,
                vec![Run::Insert(row.text.clone())],
            ));
        }
    }
    (added, edits)
}
