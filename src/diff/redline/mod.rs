//! The whole-document redline (issue 18 item 1): the later version of a document with the
//! changes from the earlier one marked in it, as a [`Document`] that the PDF layout and the HTML
//! renderer draw like any other (deleted text struck through, inserted text underlined, moved
//! text doubled, a change bar beside each changed line).
//!
//! Blocks are compared by structure, recursively: the blocks of a document, of a quote or of a
//! list item by Myers over their keys; a list by its items (without their numbers, so an
//! inserted step is one insertion and renumbering is no change, `cases/` B37); a table by its
//! rows and cells. Blocks left over in a stretch of changes are paired with the most alike
//! block of their kind and compared word by word ([`inline`]), or shown deleted and inserted
//! whole. A block (or list item) deleted in one place and inserted in another with the same or
//! nearly the same text (at least [`MOVED_LIKENESS`] of its words) is shown as moved: struck
//! twice where it was, underlined twice where it is, with any edits inside it marked.
//!
//! The generated revision-history table is the later version's (`release` writes it; the text
//! diff sums it up); everything else under that heading is compared like any other text
//! (issue 18 item 2).

mod inline;
pub mod summary;

use std::collections::{HashMap, HashSet};

use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::doc::revision_table::is_history_heading;
use crate::model::{Block, Document, Heading, Inline, List, ListItem, Revision, Table};

/// How alike (0.0–1.0, the share of words in common) a deleted and an inserted block must be
/// to be shown as one block moved with edits.
pub const MOVED_LIKENESS: f32 = 0.6;

/// How alike two blocks of a kind must be to be compared word by word rather than shown as one
/// deleted and another inserted.
const PAIR_LIKENESS: f32 = 0.3;

/// The largest stretch of changed blocks (old × new) paired by likeness; longer stretches pair
/// in order, which keeps the worst case linear.
const PAIRING_LIMIT: usize = 400;

/// The later version (`new`) with the changes from `old` marked in it (see the module docs).
pub fn redline(old: &Document, new: &Document) -> Document {
    let old_blocks = with_history_table(&old.blocks, &new.blocks);
    let mut builder = Builder::default();
    // First pass: what is deleted and what is inserted, to find what moved.
    builder.blocks(&old_blocks, &new.blocks);
    builder.find_moves();
    builder.emit = true;
    let blocks = builder.blocks(&old_blocks, &new.blocks);
    let footnotes = new
        .footnotes
        .iter()
        .map(|note| {
            let mut note = note.clone();
            if let Some(before) = old.footnotes.iter().find(|o| o.label == note.label) {
                note.blocks = builder.blocks(&before.blocks, &note.blocks);
            }
            note
        })
        .collect();
    Document {
        blocks,
        footnotes,
        too_deep: Vec::new(),
    }
}

/// Whether a redline marks anything.
pub fn has_changes(blocks: &[Block]) -> bool {
    blocks.iter().any(block_changed)
}

fn block_changed(block: &Block) -> bool {
    match block {
        Block::Revised(..) => true,
        Block::Heading(h) => inlines_changed(&h.content),
        Block::Paragraph(p) => inlines_changed(p),
        Block::List(l) => l.items.iter().any(|i| has_changes(&i.blocks)),
        Block::BlockQuote(inner) => has_changes(inner),
        Block::Table(t) => {
            t.header.iter().any(|c| inlines_changed(c))
                || t.rows.iter().flatten().any(|c| inlines_changed(c))
        }
        Block::Code { .. } | Block::Rule | Block::Html(_) => false,
    }
}

fn inlines_changed(inlines: &[Inline]) -> bool {
    inlines.iter().any(|i| match i {
        Inline::Revised(..) => true,
        Inline::Emphasis(c)
        | Inline::Strong(c)
        | Inline::Strikethrough(c)
        | Inline::Marked(_, c)
        | Inline::Link { content: c, .. } => inlines_changed(c),
        _ => false,
    })
}

/// Limits a redline to the sections with changes and `n` sections on either side of them
/// (`diff --context N`); each run of sections left out is one line saying how many and which.
/// A section runs from a heading (of any level) to the next; the text before the first
/// heading is one too.
pub fn limit_context(blocks: Vec<Block>, n: usize) -> Vec<Block> {
    let mut sections: Vec<Vec<Block>> = vec![Vec::new()];
    for block in blocks {
        if matches!(block, Block::Heading(_)) && sections.last().is_some_and(|s| !s.is_empty()) {
            sections.push(Vec::new());
        }
        if let Some(s) = sections.last_mut() {
            s.push(block);
        }
    }
    let changed: Vec<usize> = sections
        .iter()
        .enumerate()
        .filter(|(_, s)| has_changes(s))
        .map(|(i, _)| i)
        .collect();
    let keep = |i: usize| changed.iter().any(|c| c.abs_diff(i) <= n);
    let mut out = Vec::new();
    let mut left_out: Vec<String> = Vec::new();
    let flush = |left_out: &mut Vec<String>, out: &mut Vec<Block>| {
        if left_out.is_empty() {
            return;
        }
        let names: Vec<String> = left_out.iter().filter(|t| !t.is_empty()).cloned().collect();
        let count = left_out.len();
        let text = match names.as_slice() {
            [] => format!("[{count} unchanged part not shown]"),
            [one] if count == 1 => format!("[Unchanged section not shown: {one}]"),
            _ => format!(
                "[{count} unchanged sections not shown: {}]",
                names.join(", ")
            ),
        };
        out.push(Block::Paragraph(vec![Inline::Emphasis(vec![
            Inline::Text(text),
        ])]));
        left_out.clear();
    };
    for (i, section) in sections.into_iter().enumerate() {
        if keep(i) {
            flush(&mut left_out, &mut out);
            out.extend(section);
        } else {
            left_out.push(match section.first() {
                Some(Block::Heading(h)) => h.text.clone(),
                _ => String::new(),
            });
        }
    }
    flush(&mut left_out, &mut out);
    out
}

/// `old` with its revision-history table replaced by `new`'s: the table is generated, so the
/// redline shows the later one as it is and marks nothing in it.
fn with_history_table(old: &[Block], new: &[Block]) -> Vec<Block> {
    let mut old = old.to_vec();
    if let (Some(o), Some(n)) = (history_table(&old), history_table(new))
        && let (Some(slot), Some(Block::Table(table))) = (old.get_mut(o), new.get(n))
    {
        *slot = Block::Table(table.clone());
    }
    old
}

/// The index of the first table under the revision-history heading.
fn history_table(blocks: &[Block]) -> Option<usize> {
    let mut level = None;
    for (i, block) in blocks.iter().enumerate() {
        match block {
            Block::Heading(h) if level.is_some_and(|l| h.level <= l) => level = None,
            Block::Heading(h) if is_history_heading(&h.text) => level = Some(h.level),
            Block::Table(_) if level.is_some() => return Some(i),
            _ => {}
        }
    }
    None
}

/// The text of blocks, for likeness.
fn plain(blocks: &[Block]) -> String {
    let mut out = String::new();
    for block in blocks {
        match block {
            Block::Heading(h) => out.push_str(&h.text),
            Block::Paragraph(p) => out.push_str(&crate::model::inline_text(p)),
            Block::List(l) => l.items.iter().for_each(|i| out.push_str(&plain(&i.blocks))),
            Block::BlockQuote(inner) | Block::Revised(_, inner) => out.push_str(&plain(inner)),
            Block::Code { text, .. } | Block::Html(text) => out.push_str(text),
            Block::Table(t) => {
                for cell in t.header.iter().chain(t.rows.iter().flatten()) {
                    out.push_str(&crate::model::inline_text(cell));
                    out.push(' ');
                }
            }
            Block::Rule => {}
        }
        out.push(' ');
    }
    out
}

use crate::diff::words::likeness;

/// What a block compares by: its kind and its content with spacing squeezed.
fn key(block: &Block) -> String {
    match block {
        Block::Heading(h) => format!("H{}\u{1c}{}", h.level, inline::key(&h.content)),
        Block::Paragraph(p) => format!("P\u{1c}{}", inline::key(p)),
        Block::List(l) => {
            let mut k = format!("L{}\u{1c}", l.ordered);
            for item in &l.items {
                k.push_str(&item_key(item));
            }
            k
        }
        Block::BlockQuote(inner) => format!("Q\u{1c}{}", keys(inner).concat()),
        Block::Code { info, text } => format!("C{info}\u{1c}{text}"),
        Block::Table(t) => {
            let mut k = format!("T{}\u{1c}", t.alignments.len());
            k.push_str(&row_key(&t.header));
            t.rows.iter().for_each(|r| k.push_str(&row_key(r)));
            k
        }
        Block::Rule => "R".to_string(),
        Block::Html(raw) => format!("X\u{1c}{raw}"),
        Block::Revised(r, inner) => format!("V{r:?}\u{1c}{}", keys(inner).concat()),
    }
}

fn keys(blocks: &[Block]) -> Vec<String> {
    blocks.iter().map(key).collect()
}

/// An item's key: its blocks, not its number (B37).
fn item_key(item: &ListItem) -> String {
    format!(
        "I{:?}\u{1b}{}\u{1a}",
        item.task,
        keys(&item.blocks).concat()
    )
}

fn row_key(cells: &[Vec<Inline>]) -> String {
    let mut k = String::from("\u{1b}");
    for cell in cells {
        k.push_str(&inline::key(cell));
        k.push('|');
    }
    k
}

/// Whether two blocks are of a kind that compares part by part.
fn comparable(a: &Block, b: &Block) -> bool {
    match (a, b) {
        (Block::Heading(x), Block::Heading(y)) => x.level == y.level,
        (Block::Paragraph(x), Block::Paragraph(y)) => !is_image(x) && !is_image(y),
        (Block::List(x), Block::List(y)) => x.ordered == y.ordered,
        (Block::Table(x), Block::Table(y)) => x.alignments.len() == y.alignments.len(),
        (Block::BlockQuote(_), Block::BlockQuote(_)) => true,
        _ => false,
    }
}

fn is_image(p: &[Inline]) -> bool {
    matches!(p, [Inline::Image { .. }])
}

/// A deleted or inserted piece that may have moved: its key, its text and its blocks.
#[derive(Debug, Clone)]
struct Piece {
    key: String,
    text: String,
    blocks: Vec<Block>,
}

/// The fewest words a piece needs to be taken as moved rather than written again.
const MOVED_WORDS: usize = 3;

#[derive(Default)]
struct Builder {
    /// Second pass: make the redline (the first only notes what is deleted and inserted).
    emit: bool,
    deleted: Vec<Piece>,
    inserted: Vec<Piece>,
    /// Keys of deleted pieces that moved.
    moved_from: HashSet<String>,
    /// Keys of inserted pieces that moved here, with the blocks they were.
    moved_to: HashMap<String, Vec<Block>>,
}

impl Builder {
    /// Pairs each inserted piece with the deleted piece most like it (exactly alike first),
    /// each deleted piece at most once.
    fn find_moves(&mut self) {
        let worth = |p: &Piece| crate::diff::words::count_words(&p.text) >= MOVED_WORDS;
        let mut used = vec![false; self.deleted.len()];
        let mut exact: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, d) in self.deleted.iter().enumerate() {
            if worth(d) {
                exact.entry(d.key.as_str()).or_default().push(i);
            }
        }
        let mut left = Vec::new();
        for ins in self.inserted.iter().filter(|p| worth(p)) {
            let found = exact.get_mut(ins.key.as_str()).and_then(|v| {
                let at = v
                    .iter()
                    .position(|i| !used.get(*i).copied().unwrap_or(true))?;
                Some(v.remove(at))
            });
            match found {
                Some(i) => {
                    if let Some(u) = used.get_mut(i) {
                        *u = true;
                    }
                    self.moved_from.insert(ins.key.clone());
                    self.moved_to.insert(ins.key.clone(), ins.blocks.clone());
                }
                None => left.push(ins),
            }
        }
        for ins in left {
            let best = self
                .deleted
                .iter()
                .enumerate()
                .filter(|(i, d)| !used.get(*i).copied().unwrap_or(true) && worth(d))
                .map(|(i, d)| (i, likeness(&d.text, &ins.text)))
                .filter(|(_, l)| *l >= MOVED_LIKENESS)
                .max_by(|a, b| a.1.total_cmp(&b.1));
            if let Some((i, _)) = best
                && let Some(d) = self.deleted.get(i)
            {
                if let Some(u) = used.get_mut(i) {
                    *u = true;
                }
                self.moved_from.insert(d.key.clone());
                self.moved_to.insert(ins.key.clone(), d.blocks.clone());
            }
        }
        self.deleted.clear();
        self.inserted.clear();
    }

    fn note(&mut self, blocks: &[Block], key: String, inserted: bool) {
        if self.emit {
            return;
        }
        let piece = Piece {
            text: plain(blocks),
            key,
            blocks: blocks.to_vec(),
        };
        if inserted {
            self.inserted.push(piece);
        } else {
            self.deleted.push(piece);
        }
    }

    /// The redline of two block sequences.
    fn blocks(&mut self, old: &[Block], new: &[Block]) -> Vec<Block> {
        let (ka, kb) = (keys(old), keys(new));
        let mut out = Vec::with_capacity(new.len());
        for op in capture_diff_slices(Algorithm::Myers, &ka, &kb) {
            let (o, n) = (op.old_range(), op.new_range());
            if let DiffOp::Equal { .. } = op {
                out.extend(new.get(n).unwrap_or_default().iter().cloned());
                continue;
            }
            let (a, b) = (
                old.get(o.clone()).unwrap_or_default(),
                new.get(n.clone()).unwrap_or_default(),
            );
            let pairs = pair_up(a, b, comparable, |x| plain(std::slice::from_ref(x)));
            let (ka, kb) = (ka.get(o).unwrap_or_default(), kb.get(n).unwrap_or_default());
            self.stretch(a, b, ka, kb, &pairs, &mut out);
        }
        out
    }

    /// A stretch of changed blocks: paired ones compared, the rest deleted where they were and
    /// inserted where they are.
    fn stretch(
        &mut self,
        a: &[Block],
        b: &[Block],
        ka: &[String],
        kb: &[String],
        pairs: &[(usize, usize)],
        out: &mut Vec<Block>,
    ) {
        let (mut i, mut j) = (0, 0);
        for &(pi, pj) in pairs.iter().chain(std::iter::once(&(a.len(), b.len()))) {
            for (x, k) in a.iter().zip(ka).take(pi).skip(i) {
                out.push(self.deleted(x, k));
            }
            for (y, k) in b.iter().zip(kb).take(pj).skip(j) {
                out.push(self.inserted(y, k));
            }
            if let (Some(x), Some(y)) = (a.get(pi), b.get(pj)) {
                out.extend(self.pair(x, y));
            }
            (i, j) = (pi + 1, pj + 1);
        }
    }

    fn deleted(&mut self, block: &Block, key: &str) -> Block {
        self.note(std::slice::from_ref(block), key.to_string(), false);
        let revision = if self.moved_from.contains(key) {
            Revision::MovedFrom
        } else {
            Revision::Deleted
        };
        match block {
            Block::Heading(h) => Block::Heading(Heading {
                content: inline::mark(&h.content, revision),
                anchor: format!("was-{}", h.anchor),
                ..h.clone()
            }),
            other => Block::Revised(revision, vec![other.clone()]),
        }
    }

    fn inserted(&mut self, block: &Block, key: &str) -> Block {
        self.note(std::slice::from_ref(block), key.to_string(), true);
        match self.moved_to.get(key).cloned() {
            Some(before) if self.emit => {
                let inner = if keys(&before).concat() == key {
                    vec![block.clone()]
                } else {
                    self.blocks(&before, std::slice::from_ref(block))
                };
                match block {
                    Block::Heading(h) => Block::Heading(Heading {
                        content: inline::mark(&h.content, Revision::MovedTo),
                        ..h.clone()
                    }),
                    _ => Block::Revised(Revision::MovedTo, inner),
                }
            }
            _ => match block {
                Block::Heading(h) => Block::Heading(Heading {
                    content: inline::mark(&h.content, Revision::Inserted),
                    ..h.clone()
                }),
                other => Block::Revised(Revision::Inserted, vec![other.clone()]),
            },
        }
    }

    /// Two blocks of one kind compared part by part.
    fn pair(&mut self, a: &Block, b: &Block) -> Vec<Block> {
        if !self.emit {
            // The first pass only needs what is deleted and inserted inside.
            if let (Block::List(x), Block::List(y)) = (a, b) {
                self.items(&x.items, &y.items);
            } else if let (Block::BlockQuote(x), Block::BlockQuote(y)) = (a, b) {
                self.blocks(x, y);
            }
            return Vec::new();
        }
        match (a, b) {
            (Block::Paragraph(x), Block::Paragraph(y)) => {
                vec![Block::Paragraph(
                    inline::redline(x, y).unwrap_or_else(|| y.clone()),
                )]
            }
            (Block::Heading(x), Block::Heading(y)) => vec![Block::Heading(Heading {
                content: inline::redline(&x.content, &y.content)
                    .unwrap_or_else(|| y.content.clone()),
                ..y.clone()
            })],
            (Block::List(x), Block::List(y)) => vec![Block::List(List {
                items: self.items(&x.items, &y.items),
                ..y.clone()
            })],
            (Block::BlockQuote(x), Block::BlockQuote(y)) => {
                vec![Block::BlockQuote(self.blocks(x, y))]
            }
            (Block::Table(x), Block::Table(y)) => vec![Block::Table(table(x, y))],
            _ => vec![
                Block::Revised(Revision::Deleted, vec![a.clone()]),
                Block::Revised(Revision::Inserted, vec![b.clone()]),
            ],
        }
    }

    /// The redline of two lists' items.
    fn items(&mut self, old: &[ListItem], new: &[ListItem]) -> Vec<ListItem> {
        let ka: Vec<String> = old.iter().map(item_key).collect();
        let kb: Vec<String> = new.iter().map(item_key).collect();
        let mut out = Vec::with_capacity(new.len());
        for op in capture_diff_slices(Algorithm::Myers, &ka, &kb) {
            let (o, n) = (op.old_range(), op.new_range());
            if let DiffOp::Equal { .. } = op {
                out.extend(new.get(n).unwrap_or_default().iter().cloned());
                continue;
            }
            let (a, b) = (
                old.get(o.clone()).unwrap_or_default(),
                new.get(n.clone()).unwrap_or_default(),
            );
            let pairs = pair_up(a, b, |x, y| x.task == y.task, |x| plain(&x.blocks));
            let (mut i, mut j) = (0, 0);
            for &(pi, pj) in pairs.iter().chain(std::iter::once(&(a.len(), b.len()))) {
                let (oka, nkb) = (
                    ka.get(o.clone()).unwrap_or_default(),
                    kb.get(n.clone()).unwrap_or_default(),
                );
                for (x, k) in a.iter().zip(oka).take(pi).skip(i) {
                    self.note(&x.blocks, k.clone(), false);
                    let revision = if self.moved_from.contains(k) {
                        Revision::MovedFrom
                    } else {
                        Revision::Deleted
                    };
                    out.push(ListItem {
                        task: x.task,
                        blocks: vec![Block::Revised(revision, x.blocks.clone())],
                    });
                }
                for (y, k) in b.iter().zip(nkb).take(pj).skip(j) {
                    self.note(&y.blocks, k.clone(), true);
                    let blocks = match self.moved_to.get(k).cloned() {
                        Some(before) if self.emit => {
                            let inner = self.blocks(&before, &y.blocks);
                            vec![Block::Revised(Revision::MovedTo, inner)]
                        }
                        _ => vec![Block::Revised(Revision::Inserted, y.blocks.clone())],
                    };
                    out.push(ListItem {
                        task: y.task,
                        blocks,
                    });
                }
                if let (Some(x), Some(y)) = (a.get(pi), b.get(pj)) {
                    out.push(ListItem {
                        task: y.task,
                        blocks: self.blocks(&x.blocks, &y.blocks),
                    });
                }
                (i, j) = (pi + 1, pj + 1);
            }
        }
        out
    }
}

/// The redline of two tables with the same columns: rows compared by their cells, changed
/// rows cell by cell; deleted rows struck through where they were.
fn table(old: &Table, new: &Table) -> Table {
    let cells = |old: &[Vec<Inline>], new: &[Vec<Inline>]| -> Vec<Vec<Inline>> {
        new.iter()
            .enumerate()
            .map(|(c, cell)| match old.get(c) {
                Some(before) => inline::redline(before, cell).unwrap_or_else(|| cell.clone()),
                None => inline::mark(cell, Revision::Inserted),
            })
            .collect()
    };
    let ka: Vec<String> = old.rows.iter().map(|r| row_key(r)).collect();
    let kb: Vec<String> = new.rows.iter().map(|r| row_key(r)).collect();
    let mut rows = Vec::with_capacity(new.rows.len());
    for op in capture_diff_slices(Algorithm::Myers, &ka, &kb) {
        let (o, n) = (op.old_range(), op.new_range());
        let (a, b) = (
            old.rows.get(o).unwrap_or_default(),
            new.rows.get(n).unwrap_or_default(),
        );
        if let DiffOp::Equal { .. } = op {
            rows.extend(b.iter().cloned());
            continue;
        }
        let text = |r: &Vec<Vec<Inline>>| {
            r.iter()
                .map(|c| crate::model::inline_text(c))
                .collect::<Vec<_>>()
                .join(" ")
        };
        let pairs = pair_up(a, b, |_, _| true, text);
        let (mut i, mut j) = (0, 0);
        for &(pi, pj) in pairs.iter().chain(std::iter::once(&(a.len(), b.len()))) {
            for x in a.iter().take(pi).skip(i) {
                rows.push(
                    x.iter()
                        .map(|c| inline::mark(c, Revision::Deleted))
                        .collect(),
                );
            }
            for y in b.iter().take(pj).skip(j) {
                rows.push(
                    y.iter()
                        .map(|c| inline::mark(c, Revision::Inserted))
                        .collect(),
                );
            }
            if let (Some(x), Some(y)) = (a.get(pi), b.get(pj)) {
                rows.push(cells(x, y));
            }
            (i, j) = (pi + 1, pj + 1);
        }
    }
    Table {
        alignments: new.alignments.clone(),
        header: cells(&old.header, &new.header),
        rows,
    }
}

/// Which of `a` and `b` (a stretch of changes) to compare with each other: pairs `(i, j)`
/// rising in both, of comparable kinds and at least [`PAIR_LIKENESS`] alike, with the most
/// likeness in all (a dynamic programme over the stretch, like an alignment); past
/// [`PAIRING_LIMIT`], comparable ones in order.
#[allow(
    clippy::indexing_slicing,
    reason = "the tables are (a.len() + 1) × (b.len() + 1) and every index stays below that"
)]
fn pair_up<T>(
    a: &[T],
    b: &[T],
    comparable: impl Fn(&T, &T) -> bool,
    text: impl Fn(&T) -> String,
) -> Vec<(usize, usize)> {
    if a.is_empty() || b.is_empty() {
        return Vec::new();
    }
    if a.len() * b.len() > PAIRING_LIMIT {
        return a
            .iter()
            .zip(b)
            .enumerate()
            .filter(|(_, (x, y))| comparable(x, y))
            .map(|(i, _)| (i, i))
            .collect();
    }
    let (ta, tb): (Vec<String>, Vec<String>) =
        (a.iter().map(&text).collect(), b.iter().map(&text).collect());
    let (n, m) = (a.len(), b.len());
    let mut best = vec![vec![0.0f32; m + 1]; n + 1];
    let mut like = vec![vec![0.0f32; m]; n];
    for i in 0..n {
        for j in 0..m {
            if comparable(&a[i], &b[j]) {
                let l = likeness(&ta[i], &tb[j]);
                if l >= PAIR_LIKENESS {
                    like[i][j] = l;
                }
            }
        }
    }
    for i in (0..n).rev() {
        for j in (0..m).rev() {
            let take = if like[i][j] > 0.0 {
                like[i][j] + best[i + 1][j + 1]
            } else {
                0.0
            };
            best[i][j] = take.max(best[i + 1][j]).max(best[i][j + 1]);
        }
    }
    let mut pairs = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < n && j < m {
        if like[i][j] > 0.0 && best[i][j] == like[i][j] + best[i + 1][j + 1] {
            pairs.push((i, j));
            i += 1;
            j += 1;
        } else if best[i][j] == best[i + 1][j] {
            i += 1;
        } else {
            j += 1;
        }
    }
    pairs
}

#[cfg(test)]
mod tests;
