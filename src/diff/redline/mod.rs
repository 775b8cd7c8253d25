//! The whole-document redline (issue 18 item 1): the later version of a document with the
//! changes from the earlier one marked in it, as a [`Document`] that the PDF layout and the HTML
//! renderer draw like any other (deleted text struck through, inserted text underlined, moved
//! text doubled, a change bar beside each changed line).
//!
//! Blocks are compared by structure, recursively: the blocks of a document, of a quote or of a
//! list item by Myers over their keys; a list by its items (without their numbers, so an
//! inserted step is one insertion and renumbering is no change, `cases/` B37); a table by its
//! rows and cells. Blocks left over in a stretch of changes are paired with the most alike
//! block of their kind and compared word by word (`inline`), or shown deleted and inserted
//! whole. A block (or list item) deleted in one place and inserted in another with the same or
//! nearly the same text (at least [`MOVED_LIKENESS`] of its words) is shown as moved: struck
//! twice where it was, underlined twice where it is, with any edits inside it marked.
//!
//! The rows `release` added to the revision-history table are not marked (the text diff sums
//! them up); a row edited or taken out is, and everything else under that heading is compared
//! like any other text (issue 18 item 2).

mod align;
mod context;
mod inline;
mod parts;
pub mod summary;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::diff::words::likeness;
use crate::doc::revision_table::is_history_heading;
use crate::model::{Block, Document, Heading, Inline, List, ListItem, Revision};
use align::{Step, pair_up, steps};
pub use context::{has_changes, limit_context};
use parts::{code, history, row_key, table};

/// How alike (0.0–1.0, the share of words in common) a deleted and an inserted block must be
/// to be shown as one block moved with edits.
pub const MOVED_LIKENESS: f32 = 0.6;

/// The later version (`new`) with the changes from `old` marked in it (see the module docs);
/// `released` is the later version's label (`1.1`), whose revision-history row `release` wrote
/// (`working copy`: none).
pub fn redline(old: &Document, new: &Document, released: &str) -> Document {
    let old_blocks = &old.blocks;
    let mut builder = Builder {
        history: history_table(&old.blocks).and_then(|o| old.blocks.get(o).map(key)),
        released: released.to_string(),
        ..Builder::default()
    };
    // First pass: what is deleted and what is inserted, to find what moved. The keys of the
    // whole document are made once, for both passes.
    let (ka, kb) = (keys(old_blocks), keys(&new.blocks));
    builder.document(old_blocks, &new.blocks, &ka, &kb);
    builder.find_moves();
    builder.emit = true;
    let blocks = builder.document(old_blocks, &new.blocks, &ka, &kb);
    let footnotes = new
        .footnotes
        .iter()
        .map(|note| {
            let mut note = note.clone();
            // The same note by its label, else the note in its place (a label renamed).
            let before = old
                .footnotes
                .iter()
                .find(|o| o.label == note.label)
                .or_else(|| old.footnotes.iter().find(|o| o.number == note.number));
            if let Some(before) = before {
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

/// Whether two blocks are of a kind that compares part by part.
fn comparable(a: &Block, b: &Block) -> bool {
    match (a, b) {
        (Block::Heading(x), Block::Heading(y)) => x.level == y.level,
        (Block::Paragraph(x), Block::Paragraph(y)) => !is_image(x) && !is_image(y),
        (Block::List(x), Block::List(y)) => x.ordered == y.ordered,
        (Block::Table(x), Block::Table(y)) => x.alignments.len() == y.alignments.len(),
        (Block::BlockQuote(_), Block::BlockQuote(_)) => true,
        (Block::Code { info: x, .. }, Block::Code { info: y, .. }) => x == y,
        _ => false,
    }
}

fn is_image(p: &[Inline]) -> bool {
    matches!(p, [Inline::Image { .. }])
}

/// A document's top-level blocks cut at its headings: the blocks before the first heading (when
/// there are any), then each heading with the blocks up to the next one, as index ranges.
fn sections(blocks: &[Block]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for (i, block) in blocks.iter().enumerate() {
        match out.last_mut() {
            Some(last) if !matches!(block, Block::Heading(_)) => last.end = i + 1,
            _ => out.push(i..i + 1),
        }
    }
    out
}

/// A deleted or inserted piece that may have moved: its key, its text and its blocks.
#[derive(Debug, Clone)]
struct Piece {
    key: String,
    text: String,
    blocks: Vec<Block>,
}

/// Whether two pieces are blocks of kinds that compare part by part, one for one (a
/// paragraph with a paragraph, a list item's blocks with another's): only those may be one
/// piece moved with edits.
fn alike_kinds(a: &[Block], b: &[Block]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| comparable(x, y))
}

/// The fewest words a piece needs to be taken as moved rather than written again.
const MOVED_WORDS: usize = 3;

#[derive(Default)]
struct Builder {
    /// Second pass: make the redline (the first only notes what is deleted and inserted).
    emit: bool,
    /// The key of the earlier revision-history table: compared with the later one, the row
    /// `release` added is not marked.
    history: Option<String>,
    /// The later version's label: its revision-history row is the one `release` wrote.
    released: String,
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
        // The revision-history table moved with its section: the same table, whatever rows
        // `release` added to it.
        let columns = |p: &Piece| match p.blocks.as_slice() {
            [Block::Table(t)] => Some(t.alignments.len()),
            _ => None,
        };
        if let Some(history) = &self.history
            && let Some(d) = self.deleted.iter().position(|d| &d.key == history)
            && let Some(old) = self.deleted.get(d)
            && let Some(ins) = self
                .inserted
                .iter()
                .find(|p| columns(p).is_some() && columns(p) == columns(old))
        {
            if let Some(u) = used.get_mut(d) {
                *u = true;
            }
            self.moved_from.insert(old.key.clone());
            self.moved_to.insert(ins.key.clone(), old.blocks.clone());
        }
        let mut exact: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, d) in self.deleted.iter().enumerate() {
            if worth(d) {
                exact.entry(d.key.as_str()).or_default().push(i);
            }
        }
        let mut left = Vec::new();
        let taken: HashSet<String> = self.moved_to.keys().cloned().collect();
        for ins in self
            .inserted
            .iter()
            .filter(|p| worth(p) && !taken.contains(&p.key))
        {
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
        let mut budget = crate::diff::words::LIKENESS_BUDGET;
        let words = |p: &Piece| p.text.split_whitespace().count();
        for ins in left {
            let size = words(ins);
            let best = self
                .deleted
                .iter()
                .enumerate()
                .filter(|(i, d)| {
                    !used.get(*i).copied().unwrap_or(true)
                        && worth(d)
                        && alike_kinds(&d.blocks, &ins.blocks)
                        && crate::diff::words::could_be_alike(words(d), size, MOVED_LIKENESS)
                })
                .filter(|_| {
                    budget = budget.saturating_sub(1);
                    budget > 0
                })
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
        self.keyed(old, new, &ka, &kb)
    }

    /// The redline of two documents' blocks, section by section (issue 18 item 4): sections
    /// (a heading and what follows it up to the next heading, and the text before the first)
    /// are aligned by their headings, then by their content (a renamed section), and the
    /// blocks of each pair are compared; a section only in one version is deleted or inserted
    /// whole. So a paragraph added to one section is never drawn inside a section deleted
    /// after it, and a paragraph moved to a renamed section is a move.
    fn document(
        &mut self,
        old: &[Block],
        new: &[Block],
        ka: &[String],
        kb: &[String],
    ) -> Vec<Block> {
        let (sa, sb) = (sections(old), sections(new));
        let heading_key =
            |blocks: &[Block], keys: &[String], r: &Range<usize>| match blocks.get(r.start) {
                Some(Block::Heading(_)) => keys.get(r.start).cloned().unwrap_or_default(),
                _ => String::new(),
            };
        let hka: Vec<String> = sa.iter().map(|r| heading_key(old, ka, r)).collect();
        let hkb: Vec<String> = sb.iter().map(|r| heading_key(new, kb, r)).collect();
        let mut out = Vec::with_capacity(new.len());
        for op in capture_diff_slices(Algorithm::Myers, &hka, &hkb) {
            let (o, n) = (op.old_range(), op.new_range());
            let (xs, ys) = (sa.get(o).unwrap_or_default(), sb.get(n).unwrap_or_default());
            if let DiffOp::Equal { .. } = op {
                for (x, y) in xs.iter().zip(ys) {
                    out.extend(self.section(old, new, ka, kb, x, y));
                }
                continue;
            }
            let info = |blocks: &[Block], r: &Range<usize>| {
                let level = match blocks.get(r.start) {
                    Some(Block::Heading(h)) => h.level,
                    _ => 0,
                };
                (level, plain(blocks.get(r.clone()).unwrap_or_default()))
            };
            let ia: Vec<(u8, String)> = xs.iter().map(|r| info(old, r)).collect();
            let ib: Vec<(u8, String)> = ys.iter().map(|r| info(new, r)).collect();
            let pairs = pair_up(&ia, &ib, |x, y| x.0 == y.0, |x| x.1.clone());
            let (mut i, mut j) = (0, 0);
            for &(pi, pj) in pairs.iter().chain(std::iter::once(&(xs.len(), ys.len()))) {
                for r in xs.iter().take(pi).skip(i) {
                    for at in r.clone() {
                        if let (Some(b), Some(k)) = (old.get(at), ka.get(at)) {
                            out.push(self.deleted(b, k));
                        }
                    }
                }
                for r in ys.iter().take(pj).skip(j) {
                    for at in r.clone() {
                        if let (Some(b), Some(k)) = (new.get(at), kb.get(at)) {
                            out.push(self.inserted(b, k));
                        }
                    }
                }
                if let (Some(x), Some(y)) = (xs.get(pi), ys.get(pj)) {
                    out.extend(self.section(old, new, ka, kb, x, y));
                }
                (i, j) = (pi + 1, pj + 1);
            }
        }
        out
    }

    /// Two sections paired: their headings compared word by word, then their blocks.
    fn section(
        &mut self,
        old: &[Block],
        new: &[Block],
        ka: &[String],
        kb: &[String],
        x: &Range<usize>,
        y: &Range<usize>,
    ) -> Vec<Block> {
        let mut out = Vec::new();
        let (mut x, mut y) = (x.clone(), y.clone());
        if let (Some(hx @ Block::Heading(_)), Some(hy @ Block::Heading(_))) =
            (old.get(x.start), new.get(y.start))
        {
            if ka.get(x.start) == kb.get(y.start) {
                out.push(hy.clone());
            } else {
                out.extend(self.pair(hx, hy));
            }
            x.start += 1;
            y.start += 1;
        }
        out.extend(self.keyed(
            old.get(x.clone()).unwrap_or_default(),
            new.get(y.clone()).unwrap_or_default(),
            ka.get(x).unwrap_or_default(),
            kb.get(y).unwrap_or_default(),
        ));
        out
    }

    /// [`Builder::blocks`] with the keys of the blocks made already.
    fn keyed(&mut self, old: &[Block], new: &[Block], ka: &[String], kb: &[String]) -> Vec<Block> {
        let text = |x: &Block| plain(std::slice::from_ref(x));
        let mut out = Vec::with_capacity(new.len());
        for step in steps(old, new, ka, kb, comparable, text) {
            match step {
                Step::Keep(y) => out.push(y.clone()),
                Step::Delete(x, k) => out.push(self.deleted(x, k)),
                Step::Insert(y, k) => out.push(self.inserted(y, k)),
                Step::Pair(x, y) => out.extend(self.pair(x, y)),
            }
        }
        out
    }

    /// How a piece gone from its place is marked: moved away when it moved, else deleted.
    fn removal(&self, key: &str) -> Revision {
        if self.moved_from.contains(key) {
            Revision::MovedFrom
        } else {
            Revision::Deleted
        }
    }

    /// The blocks an inserted piece was before it moved here, when it moved (second pass
    /// only). Taken, not looked up: comparing the two inside must not find it again.
    fn take_move(&mut self, key: &str) -> Option<Vec<Block>> {
        if self.emit {
            self.moved_to.remove(key)
        } else {
            None
        }
    }

    fn deleted(&mut self, block: &Block, key: &str) -> Block {
        self.note(std::slice::from_ref(block), key.to_string(), false);
        let revision = self.removal(key);
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
        match self.take_move(key) {
            Some(before) => {
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
            (Block::Table(x), Block::Table(y))
                if self.history.as_deref() == Some(key(a).as_str()) =>
            {
                vec![Block::Table(history(x, y, &self.released))]
            }
            (Block::Table(x), Block::Table(y)) => vec![Block::Table(table(x, y))],
            (Block::Code { info, text: x }, Block::Code { text: y, .. }) => code(info, x, y),
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
        let same_kind = |x: &ListItem, y: &ListItem| x.task == y.task;
        let mut out = Vec::with_capacity(new.len());
        for step in steps(old, new, &ka, &kb, same_kind, |x| plain(&x.blocks)) {
            let item = match step {
                Step::Keep(y) => y.clone(),
                Step::Delete(x, k) => {
                    self.note(&x.blocks, k.to_string(), false);
                    let revision = self.removal(k);
                    ListItem {
                        task: x.task,
                        blocks: vec![Block::Revised(revision, x.blocks.clone())],
                    }
                }
                Step::Insert(y, k) => {
                    self.note(&y.blocks, k.to_string(), true);
                    let blocks = match self.take_move(k) {
                        Some(before) => {
                            vec![Block::Revised(
                                Revision::MovedTo,
                                self.blocks(&before, &y.blocks),
                            )]
                        }
                        None => vec![Block::Revised(Revision::Inserted, y.blocks.clone())],
                    };
                    ListItem {
                        task: y.task,
                        blocks,
                    }
                }
                Step::Pair(x, y) => ListItem {
                    task: y.task,
                    blocks: self.blocks(&x.blocks, &y.blocks),
                },
            };
            out.push(item);
        }
        out
    }
}

#[cfg(test)]
mod tests;
