//! Which section of the later version is which section of the earlier one, and which kept
//! their order.
//!
//! Takes the sections of both versions; returns, for each later section, the earlier section it
//! continues (if any) and whether it was found by its content (renamed), then, of the pairs,
//! those that stayed in order. Sections are paired by heading path first (the first unpaired
//! earlier section with the same path), then by content: a section left over is paired with the
//! earlier leftover it is most like, if at least [`RENAMED_LIKENESS`] alike.
//!
//! Every step is near linear in the number of sections, since a 10 MB document may have hundreds
//! of thousands (issue 13): paths are looked up in a hash map, identical contents too, a
//! leftover is compared with at most [`RENAME_CANDIDATES`] leftovers (those nearest its place),
//! and the order kept is a longest increasing subsequence found by patience sorting.

use std::collections::{BTreeSet, HashMap, VecDeque};

use similar::Algorithm;

use super::units::Section;

/// How alike (similar's ratio over lines, 0.0–1.0) a leftover section must be to an earlier one
/// to count as that section renamed.
pub(super) const RENAMED_LIKENESS: f32 = 0.6;

/// How many earlier leftovers a later leftover is compared with: those nearest the place where
/// it would be, half before and half after. Renaming more sections than this at once is rare,
/// and the bound keeps the search linear.
pub(super) const RENAME_CANDIDATES: usize = 64;

/// The pairing of the sections of two versions.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Pairs {
    /// For each later section, the earlier section it continues.
    pub old_for_new: Vec<Option<usize>>,
    /// For each later section, whether it was paired by content (its heading changed).
    pub renamed: Vec<bool>,
}

/// Pairs the sections of `new` with those of `old` (see the module docs).
#[allow(
    clippy::indexing_slicing,
    reason = "indices run over `old` and `new`, whose lengths size `taken`, `renamed`, `old_for_new` and the content lists"
)]
pub(super) fn pair(old: &[Section], new: &[Section]) -> Pairs {
    let mut old_for_new: Vec<Option<usize>> = vec![None; new.len()];
    let mut taken = vec![false; old.len()];
    // Each path's old sections, in order: a new section takes the first one left.
    let mut by_path: HashMap<&[String], VecDeque<usize>> = HashMap::new();
    for (i, s) in old.iter().enumerate() {
        by_path.entry(s.path.as_slice()).or_default().push_back(i);
    }
    for (j, s) in new.iter().enumerate() {
        if let Some(i) = by_path
            .get_mut(s.path.as_slice())
            .and_then(VecDeque::pop_front)
        {
            old_for_new[j] = Some(i);
            taken[i] = true;
        }
    }

    // The leftovers with content, and their contents (computed once each).
    let content = |s: &Section| -> String {
        s.units
            .iter()
            .map(super::Unit::key)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut free: BTreeSet<usize> = (0..old.len())
        .filter(|&i| !taken[i] && !old[i].units.is_empty())
        .collect();
    let old_content: Vec<String> = (0..old.len())
        .map(|i| {
            if free.contains(&i) {
                content(&old[i])
            } else {
                String::new()
            }
        })
        .collect();
    // Identical contents (likeness 1.0, the best there is), each list in order.
    let mut identical: HashMap<&str, Vec<usize>> = HashMap::new();
    for &i in &free {
        identical
            .entry(old_content[i].as_str())
            .or_default()
            .push(i);
    }

    let mut renamed = vec![false; new.len()];
    let mut anchor = 0;
    for j in 0..new.len() {
        if let Some(i) = old_for_new[j] {
            anchor = i;
            continue;
        }
        if new[j].units.is_empty() || free.is_empty() {
            continue;
        }
        let text = content(&new[j]);
        // Of equally alike sections the last is taken (as a scan keeping the last maximum).
        let best = match identical
            .get_mut(text.as_str())
            .and_then(|list| last_free(list, &free))
        {
            Some(i) => Some(i),
            None => candidates(&free, anchor)
                .into_iter()
                .filter(|&i| could_be_alike(&old_content[i], &text))
                .map(|i| (likeness(&old_content[i], &text), i))
                .max_by(|a, b| a.0.total_cmp(&b.0))
                .filter(|(score, _)| *score >= RENAMED_LIKENESS)
                .map(|(_, i)| i),
        };
        if let Some(i) = best {
            old_for_new[j] = Some(i);
            free.remove(&i);
            renamed[j] = true;
            anchor = i;
        }
    }
    Pairs {
        old_for_new,
        renamed,
    }
}

/// The last entry of `list` still free; entries taken meanwhile are dropped from its end, so
/// each is looked at once in all.
fn last_free(list: &mut Vec<usize>, free: &BTreeSet<usize>) -> Option<usize> {
    while let Some(&i) = list.last() {
        if free.contains(&i) {
            return Some(i);
        }
        list.pop();
    }
    None
}

/// The leftovers a section is compared with, in order: all of them when there are at most
/// [`RENAME_CANDIDATES`], else the nearest ones before and after `anchor` (the earlier section
/// paired with the section before it).
fn candidates(free: &BTreeSet<usize>, anchor: usize) -> Vec<usize> {
    if free.len() <= RENAME_CANDIDATES {
        return free.iter().copied().collect();
    }
    let half = RENAME_CANDIDATES / 2;
    let before: Vec<usize> = free.range(..anchor).rev().take(half).copied().collect();
    let after = free
        .range(anchor..)
        .take(RENAME_CANDIDATES - before.len())
        .copied();
    let mut out: Vec<usize> = before.into_iter().rev().chain(after).collect();
    // Fewer after the anchor than wanted: take more from before it.
    if out.len() < RENAME_CANDIDATES {
        let first = out.first().copied().unwrap_or(anchor);
        let more: Vec<usize> = free
            .range(..first)
            .rev()
            .take(RENAME_CANDIDATES - out.len())
            .copied()
            .collect();
        out.splice(0..0, more.into_iter().rev());
    }
    out
}

/// Whether two contents may reach [`RENAMED_LIKENESS`]: the ratio is at most
/// 2 × min(lines) / (sum of lines), so very different lengths cannot.
fn could_be_alike(a: &str, b: &str) -> bool {
    let (la, lb) = (a.lines().count().max(1), b.lines().count().max(1));
    2.0 * la.min(lb) as f32 / (la + lb) as f32 >= RENAMED_LIKENESS
}

/// How alike two contents are, 0.0–1.0 (similar's ratio over their lines).
fn likeness(a: &str, b: &str) -> f32 {
    similar::TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .diff_lines(a, b)
        .ratio()
}

/// Longest increasing subsequence of `seq` (indices into it): the sections that kept their order.
///
/// Patience sorting, O(n log n): `levels[l]` holds, in order, the entries whose longest
/// increasing run ending there is `l + 1` long; their values fall along each level, and the last
/// values rise from level to level, so both searches are binary. Of several longest runs it
/// keeps the one the plain quadratic recurrence keeps: each entry follows the earliest entry one
/// level below with a smaller value, and the run ends at the earliest entry of the top level.
#[allow(
    clippy::indexing_slicing,
    reason = "every index is below `seq.len()`, the length of `prev` and `keep`, and levels are never empty"
)]
pub(super) fn longest_increasing(seq: &[usize]) -> Vec<bool> {
    let n = seq.len();
    let mut prev = vec![usize::MAX; n];
    let mut levels: Vec<Vec<usize>> = Vec::new();
    for (i, &value) in seq.iter().enumerate() {
        let level = levels.partition_point(|l| l.last().is_some_and(|&j| seq[j] < value));
        if level > 0 {
            let below = &levels[level - 1];
            prev[i] = below[below.partition_point(|&j| seq[j] >= value)];
        }
        match levels.get_mut(level) {
            Some(l) => l.push(i),
            None => levels.push(vec![i]),
        }
    }
    walk_back(&prev, levels.last().and_then(|l| l.first()).copied())
}

/// The entries of the run that ends at `end`, following `prev` (`usize::MAX`: the start).
#[allow(
    clippy::indexing_slicing,
    reason = "`end` and every `prev` entry but `usize::MAX` are indices below `prev.len()`"
)]
fn walk_back(prev: &[usize], end: Option<usize>) -> Vec<bool> {
    let mut keep = vec![false; prev.len()];
    let mut at = end;
    while let Some(i) = at {
        keep[i] = true;
        at = (prev[i] != usize::MAX).then_some(prev[i]);
    }
    keep
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The quadratic recurrence the patience sort replaced, as the reference.
    fn reference(seq: &[usize]) -> Vec<bool> {
        let n = seq.len();
        let mut len = vec![1usize; n];
        let mut prev = vec![usize::MAX; n];
        for i in 0..n {
            for j in 0..i {
                if seq[j] < seq[i] && len[j] + 1 > len[i] {
                    len[i] = len[j] + 1;
                    prev[i] = j;
                }
            }
        }
        walk_back(
            &prev,
            (0..n).max_by_key(|i| (len[*i], std::cmp::Reverse(*i))),
        )
    }

    #[test]
    fn the_order_kept_is_the_one_the_quadratic_recurrence_keeps() {
        assert_eq!(longest_increasing(&[]), Vec::<bool>::new());
        assert_eq!(
            longest_increasing(&[0, 3, 1, 2, 4]),
            [true, false, true, true, true]
        );
        // Every permutation of 7 distinct values (section numbers are distinct).
        let mut seq: Vec<usize> = (0..7).collect();
        let mut permutations = 0;
        loop {
            assert_eq!(longest_increasing(&seq), reference(&seq), "{seq:?}");
            permutations += 1;
            // Next permutation in lexicographic order.
            let Some(k) = (0..seq.len() - 1).rev().find(|&k| seq[k] < seq[k + 1]) else {
                break;
            };
            let l = (k + 1..seq.len())
                .rev()
                .find(|&l| seq[k] < seq[l])
                .expect("l");
            seq.swap(k, l);
            seq[k + 1..].reverse();
        }
        assert_eq!(permutations, 5040);
    }

    #[test]
    fn candidates_are_the_nearest_leftovers() {
        let few: BTreeSet<usize> = [3, 9, 20].into();
        assert_eq!(candidates(&few, 10), [3, 9, 20]);
        let many: BTreeSet<usize> = (0..1000).map(|i| i * 2).collect();
        let near = candidates(&many, 500);
        assert_eq!(near.len(), RENAME_CANDIDATES);
        assert_eq!((near[0], near[63]), (436, 562));
        let end = candidates(&many, 1990);
        assert_eq!((end[0], end[63]), (1872, 1998));
    }
}
