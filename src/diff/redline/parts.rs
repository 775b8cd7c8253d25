//! The parts of a redline compared by their own rules: code blocks line by line, tables by row
//! and cell, the revision-history table by version.

use similar::{Algorithm, DiffOp, capture_diff_slices};

use super::align::{Step, steps};
use super::inline;
use crate::model::{Block, Inline, Revision, Table};

/// A table row's key: its cells' text with their formatting.
pub(super) fn row_key(cells: &[Vec<Inline>]) -> String {
    let mut k = String::from("\u{1b}");
    for cell in cells {
        k.push_str(&inline::key(cell));
        k.push('|');
    }
    k
}

/// The redline of two code blocks, line by line: runs of equal lines as they are, deleted and
/// inserted lines each in a block of their own, marked.
pub(super) fn code(info: &str, old: &str, new: &str) -> Vec<Block> {
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let block = |lines: &[&str]| Block::Code {
        info: info.to_string(),
        text: lines.concat(),
    };
    let mut out = Vec::new();
    for op in capture_diff_slices(Algorithm::Myers, &a, &b) {
        let (o, n) = (op.old_range(), op.new_range());
        let (gone, came) = (a.get(o).unwrap_or_default(), b.get(n).unwrap_or_default());
        if let DiffOp::Equal { .. } = op {
            out.push(block(came));
            continue;
        }
        if !gone.is_empty() {
            out.push(Block::Revised(Revision::Deleted, vec![block(gone)]));
        }
        if !came.is_empty() {
            out.push(Block::Revised(Revision::Inserted, vec![block(came)]));
        }
    }
    out
}

/// The redline of two revision-history tables: rows matched by their version (the first cell),
/// a row of both compared cell by cell, the row `release` wrote for `released` (the later
/// version's label) not marked, any other row only in the later table marked inserted, and a
/// row taken out struck through where it was (issue 18 item 2).
pub(super) fn history(old: &Table, new: &Table, released: &str) -> Table {
    let version = |row: &Vec<Vec<Inline>>| {
        row.first()
            .map(|c| crate::model::inline_text(c).trim().to_string())
            .unwrap_or_default()
    };
    let cells = |old: &[Vec<Inline>], new: &[Vec<Inline>]| -> Vec<Vec<Inline>> {
        new.iter()
            .enumerate()
            .map(|(c, cell)| match old.get(c) {
                Some(before) => inline::redline(before, cell).unwrap_or_else(|| cell.clone()),
                None => cell.clone(),
            })
            .collect()
    };
    let marked = |row: &Vec<Vec<Inline>>, revision| -> Vec<Vec<Inline>> {
        row.iter().map(|c| inline::mark(c, revision)).collect()
    };
    let gone = |o: &Vec<Vec<Inline>>| !new.rows.iter().any(|n| version(n) == version(o));
    let mut rows: Vec<Vec<Vec<Inline>>> = Vec::with_capacity(new.rows.len());
    // Rows taken out are struck where they were: before the next row both tables have.
    let mut next_old = 0;
    let mut written = false;
    for row in &new.rows {
        match old.rows.iter().position(|o| version(o) == version(row)) {
            Some(at) => {
                for o in old.rows.iter().take(at).skip(next_old).filter(|o| gone(o)) {
                    rows.push(marked(o, Revision::Deleted));
                }
                next_old = next_old.max(at + 1);
                if let Some(before) = old.rows.get(at) {
                    rows.push(cells(before, row));
                }
            }
            // The row `release` wrote for this version is not a change a person made; any
            // other new row is.
            None if version(row) == released && !written => {
                written = true;
                rows.push(row.clone());
            }
            None => rows.push(marked(row, Revision::Inserted)),
        }
    }
    for o in old.rows.iter().skip(next_old).filter(|o| gone(o)) {
        rows.push(marked(o, Revision::Deleted));
    }
    Table {
        alignments: new.alignments.clone(),
        header: cells(&old.header, &new.header),
        rows,
    }
}

/// The redline of two tables with the same columns: rows compared by their cells, changed
/// rows cell by cell; deleted rows struck through where they were.
pub(super) fn table(old: &Table, new: &Table) -> Table {
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
    let text = |r: &Vec<Vec<Inline>>| {
        r.iter()
            .map(|c| crate::model::inline_text(c))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let marked =
        |row: &Vec<Vec<Inline>>, revision| row.iter().map(|c| inline::mark(c, revision)).collect();
    let rows = steps(&old.rows, &new.rows, &ka, &kb, |_, _| true, text)
        .into_iter()
        .map(|step| match step {
            Step::Keep(y) => y.clone(),
            Step::Delete(x, _) => marked(x, Revision::Deleted),
            Step::Insert(y, _) => marked(y, Revision::Inserted),
            Step::Pair(x, y) => cells(x, y),
        })
        .collect();
    Table {
        alignments: new.alignments.clone(),
        header: cells(&old.header, &new.header),
        rows,
    }
}
