//! Two sequences (blocks, list items, table rows) aligned for a redline: Myers over their keys,
//! then the leftovers of each stretch of changes paired by likeness.

use similar::{Algorithm, DiffOp, capture_diff_slices};

use crate::diff::words::likeness;

/// How alike two blocks of a kind must be to be compared word by word rather than shown as one
/// deleted and another inserted.
const PAIR_LIKENESS: f32 = 0.3;

/// The largest stretch of changed blocks (old × new) paired by likeness; longer stretches pair
/// in order, which keeps the worst case linear.
const PAIRING_LIMIT: usize = 400;

/// One step of two sequences aligned: kept as it is, deleted, inserted (each with its key), or
/// a pair to compare part by part.
pub(super) enum Step<'a, T> {
    Keep(&'a T),
    Delete(&'a T, &'a str),
    Insert(&'a T, &'a str),
    Pair(&'a T, &'a T),
}

/// `old` and `new` aligned by their keys (Myers), in the later order: equal ones kept, and in
/// each stretch of changes the pairs [`pair_up`] finds compared, the rest deleted where they
/// were and inserted where they are. The one alignment blocks, list items and table rows use.
pub(super) fn steps<'a, T>(
    old: &'a [T],
    new: &'a [T],
    ka: &'a [String],
    kb: &'a [String],
    comparable: impl Fn(&T, &T) -> bool + Copy,
    text: impl Fn(&T) -> String + Copy,
) -> Vec<Step<'a, T>> {
    let mut out = Vec::with_capacity(new.len());
    for op in capture_diff_slices(Algorithm::Myers, ka, kb) {
        let (o, n) = (op.old_range(), op.new_range());
        let (a, b) = (
            old.get(o.clone()).unwrap_or_default(),
            new.get(n.clone()).unwrap_or_default(),
        );
        if let DiffOp::Equal { .. } = op {
            out.extend(b.iter().map(Step::Keep));
            continue;
        }
        let (ka, kb) = (ka.get(o).unwrap_or_default(), kb.get(n).unwrap_or_default());
        let (mut i, mut j) = (0, 0);
        let pairs = pair_up(a, b, comparable, text);
        for &(pi, pj) in pairs.iter().chain(std::iter::once(&(a.len(), b.len()))) {
            for (x, k) in a.iter().zip(ka).take(pi).skip(i) {
                out.push(Step::Delete(x, k.as_str()));
            }
            for (y, k) in b.iter().zip(kb).take(pj).skip(j) {
                out.push(Step::Insert(y, k.as_str()));
            }
            if let (Some(x), Some(y)) = (a.get(pi), b.get(pj)) {
                out.push(Step::Pair(x, y));
            }
            (i, j) = (pi + 1, pj + 1);
        }
    }
    out
}

/// Which of `a` and `b` (a stretch of changes) to compare with each other: pairs `(i, j)`
/// rising in both, of comparable kinds and at least [`PAIR_LIKENESS`] alike, with the most
/// likeness in all (a dynamic programme over the stretch, like an alignment); past
/// [`PAIRING_LIMIT`], comparable ones in order.
#[allow(
    clippy::indexing_slicing,
    reason = "the tables are (a.len() + 1) × (b.len() + 1) and every index stays below that"
)]
pub(super) fn pair_up<T>(
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
