//! Word-level comparison of two texts.
//!
//! Texts are cut into tokens at Unicode word boundaries (UAX #29), which never fall inside a
//! grapheme cluster, so an emoji sequence, a flag or a letter with its combining marks is always
//! marked whole (`cases/` B24). Runs of white space are one token and compare equal whatever
//! their length or line breaks, so a reflowed paragraph is no change (`cases/` B22). Tokens are
//! compared in Unicode normalisation form C, so composed and decomposed accents are the same
//! word. The comparison is similar's Myers diff without a deadline: the same inputs always give
//! the same result.

use similar::{Algorithm, DiffOp, capture_diff_slices};
use unicode_normalization::UnicodeNormalization;
use unicode_segmentation::UnicodeSegmentation;

/// A run of a text, equal in both versions, deleted or inserted.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "kind", content = "text", rename_all = "lowercase")]
pub enum Run {
    /// In both.
    Equal(String),
    /// Only in the old version.
    Delete(String),
    /// Only in the new version.
    Insert(String),
}

/// Cuts text into word-boundary tokens (UAX #29).
fn tokens(text: &str) -> Vec<&str> {
    text.split_word_bounds().collect()
}

/// `text` in Unicode normalisation form C; text that is already NFC (all ASCII text is) is
/// returned as it is, without the work of composing it.
pub(crate) fn nfc(text: String) -> String {
    if text.is_ascii()
        || unicode_normalization::is_nfc_quick(text.chars())
            == unicode_normalization::IsNormalized::Yes
    {
        text
    } else {
        text.nfc().collect()
    }
}

/// A text as it compares: white space squeezed to single spaces, composed to NFC, so reflowed
/// text and composed/decomposed accents are no change.
pub(crate) fn comparison_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    // ASCII white space is `char::is_whitespace`'s in ASCII but for the vertical tab.
    let words: &mut dyn Iterator<Item = &str> = if text.is_ascii() && !text.contains('\u{b}') {
        &mut text.split_ascii_whitespace()
    } else {
        &mut text.split_whitespace()
    };
    for word in words {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    nfc(out)
}

fn key(token: &str) -> String {
    if token.chars().all(char::is_whitespace) {
        " ".to_string()
    } else {
        nfc(token.to_string())
    }
}

/// Above this many tokens on the two sides together, a unit is compared line by line first and
/// word by word only inside the lines that differ, which keeps the worst case (two long,
/// unrelated texts, `cases/` B23) fast without a time limit, so the result stays deterministic.
pub(crate) const WORD_DIFF_LIMIT: usize = 20_000;

/// The word runs that turn `old` into `new`, adjacent runs of one kind merged.
#[allow(
    clippy::indexing_slicing,
    reason = "ranges come from `similar`'s diff ops over these same slices, which stay within them"
)]
pub fn diff(old: &str, new: &str) -> Vec<Run> {
    if old.len() + new.len() > WORD_DIFF_LIMIT * 2 && old.contains('\n') && new.contains('\n') {
        let a: Vec<&str> = old.split_inclusive('\n').collect();
        let b: Vec<&str> = new.split_inclusive('\n').collect();
        if a.len() + b.len() > 2 {
            let ka: Vec<String> = a.iter().map(|l| comparison_key(l)).collect();
            let kb: Vec<String> = b.iter().map(|l| comparison_key(l)).collect();
            let mut runs = Vec::new();
            for op in capture_diff_slices(Algorithm::Myers, &ka, &kb) {
                match op {
                    DiffOp::Equal { new_index, len, .. } => {
                        runs.push(Run::Equal(b[new_index..new_index + len].concat()))
                    }
                    DiffOp::Delete {
                        old_index, old_len, ..
                    } => runs.push(Run::Delete(a[old_index..old_index + old_len].concat())),
                    DiffOp::Insert {
                        new_index, new_len, ..
                    } => runs.push(Run::Insert(b[new_index..new_index + new_len].concat())),
                    DiffOp::Replace {
                        old_index,
                        old_len,
                        new_index,
                        new_len,
                    } => {
                        let pairs = old_len.min(new_len);
                        for k in 0..pairs {
                            runs.extend(word_diff(a[old_index + k], b[new_index + k]));
                        }
                        if old_len > pairs {
                            runs.push(Run::Delete(
                                a[old_index + pairs..old_index + old_len].concat(),
                            ));
                        }
                        if new_len > pairs {
                            runs.push(Run::Insert(
                                b[new_index + pairs..new_index + new_len].concat(),
                            ));
                        }
                    }
                }
            }
            return merge(runs);
        }
    }
    word_diff(old, new)
}

fn merge(runs: Vec<Run>) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    for run in runs {
        match (out.last_mut(), &run) {
            (Some(Run::Equal(x)), Run::Equal(y))
            | (Some(Run::Delete(x)), Run::Delete(y))
            | (Some(Run::Insert(x)), Run::Insert(y)) => {
                x.push_str(y);
            }
            _ => out.push(run),
        }
    }
    out
}

/// Word by word (see the module docs).
fn word_diff(old: &str, new: &str) -> Vec<Run> {
    let a = tokens(old);
    let b = tokens(new);
    let ka: Vec<String> = a.iter().map(|t| key(t)).collect();
    let kb: Vec<String> = b.iter().map(|t| key(t)).collect();
    let chars = |t: &[&str]| t.iter().map(|t| t.chars().count()).collect::<Vec<_>>();
    let text =
        |t: &[&str], r: &std::ops::Range<usize>| t.get(r.clone()).unwrap_or_default().concat();
    let mut runs = Vec::new();
    for stretch in stretches(&ka, &kb, &chars(&a), &chars(&b)) {
        match stretch {
            Stretch::Equal { new, .. } => runs.push(Run::Equal(text(&b, &new))),
            Stretch::Change { old, new } => {
                if !old.is_empty() {
                    runs.push(Run::Delete(text(&a, &old)));
                }
                if !new.is_empty() {
                    runs.push(Run::Insert(text(&b, &new)));
                }
            }
        }
    }
    runs
}

/// A stretch of two token sequences compared: tokens equal in both, or a change (the old
/// tokens replaced by the new ones; either range may be empty). Ranges index the sequences.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Stretch {
    /// Equal tokens.
    Equal {
        /// In the old sequence.
        old: std::ops::Range<usize>,
        /// In the new sequence.
        new: std::ops::Range<usize>,
    },
    /// Old tokens replaced by new ones.
    Change {
        /// In the old sequence.
        old: std::ops::Range<usize>,
        /// In the new sequence.
        new: std::ops::Range<usize>,
    },
}

/// Compares two token sequences by their keys (`ka`, `kb`; `chars_a`, `chars_b` the length of
/// each token in characters) and folds the small equalities between changes into them, so that
/// every change reads as one phrase: `2-3` → `3-5` reads `[-2-3-]{+3-5+}` rather than
/// `[-2-]{+3+}-[-3-]{+5+}`, and the deletion of ` (para. 1.2.1 - 1.2.3)` is one deletion, not
/// three around the `.` and spaces that happened to match (issue 18 item 3).
///
/// The rule is diff-match-patch's semantic clean-up (`diff_cleanupSemantic`): an equality with
/// changes on both sides is given up when it is no longer (in characters) than the larger of
/// the deleted and the inserted text on each side; repeated until no equality is given up. An
/// equality at either end is always kept. Stretches alternate: equal, change, equal, ….
pub(crate) fn stretches(
    ka: &[String],
    kb: &[String],
    chars_a: &[usize],
    chars_b: &[usize],
) -> Vec<Stretch> {
    let mut out: Vec<Stretch> = Vec::new();
    let push = |s: Stretch, out: &mut Vec<Stretch>| match (out.last_mut(), s) {
        (Some(Stretch::Change { old, new }), Stretch::Change { old: o, new: n }) => {
            old.end = o.end.max(old.end);
            new.end = n.end.max(new.end);
        }
        (Some(Stretch::Equal { old, new }), Stretch::Equal { old: o, new: n }) => {
            old.end = o.end;
            new.end = n.end;
        }
        (_, s) => out.push(s),
    };
    for op in capture_diff_slices(Algorithm::Myers, ka, kb) {
        let (o, n) = (op.old_range(), op.new_range());
        let stretch = if matches!(op, DiffOp::Equal { .. }) {
            Stretch::Equal { old: o, new: n }
        } else {
            Stretch::Change { old: o, new: n }
        };
        push(stretch, &mut out);
    }
    let sum = |lens: &[usize], r: &std::ops::Range<usize>| -> usize {
        lens.get(r.clone()).unwrap_or_default().iter().sum()
    };
    let size = |s: Option<&Stretch>| match s {
        Some(Stretch::Change { old, new }) => sum(chars_a, old).max(sum(chars_b, new)),
        _ => 0,
    };
    loop {
        let mut changed = false;
        let mut folded: Vec<Stretch> = Vec::with_capacity(out.len());
        let mut rest = out.into_iter().peekable();
        while let Some(stretch) = rest.next() {
            if let Stretch::Equal { old, new } = &stretch {
                let (before, after) = (size(folded.last()), size(rest.peek()));
                let n = sum(chars_b, new);
                if before > 0 && after > 0 && n <= before && n <= after {
                    let change = Stretch::Change {
                        old: old.clone(),
                        new: new.clone(),
                    };
                    push(change, &mut folded);
                    if let Some(next) = rest.next() {
                        push(next, &mut folded);
                    }
                    changed = true;
                    continue;
                }
            }
            push(stretch, &mut folded);
        }
        out = folded;
        if !changed {
            return out;
        }
    }
}

/// The most [`likeness`] comparisons one search for moved text makes; past it only texts
/// exactly alike are taken as moved, which keeps a document rewritten throughout (hundreds of
/// paragraphs deleted and inserted, `cases/` B23) fast.
pub(crate) const LIKENESS_BUDGET: usize = 20_000;

/// Whether two texts of `a` and `b` words may be `threshold` alike at all: the share of words
/// in common is at most 2 × min / (a + b), so very different lengths cannot be.
pub(crate) fn could_be_alike(a: usize, b: usize, threshold: f32) -> bool {
    a + b == 0 || 2.0 * a.min(b) as f32 / (a + b) as f32 >= threshold
}

/// How alike two texts are, 0.0–1.0: the share of their words in common (similar's ratio over
/// a word diff).
pub(crate) fn likeness(a: &str, b: &str) -> f32 {
    similar::TextDiff::configure()
        .algorithm(Algorithm::Myers)
        .diff_words(a, b)
        .ratio()
}

/// The number of words (tokens with a letter, digit or symbol) in a text.
pub fn count_words(text: &str) -> usize {
    text.split_word_bounds()
        .filter(|t| {
            // A list's bullet or task box is not a word.
            !matches!(*t, "•" | "☐" | "☒" | "⏎")
                && t.chars()
                    .any(|c| !c.is_whitespace() && !c.is_ascii_punctuation())
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_changed_word_is_marked_alone() {
        assert_eq!(
            diff(
                "Rinse for at least 30 minutes.",
                "Rinse for at least 45 minutes."
            ),
            [
                Run::Equal("Rinse for at least ".into()),
                Run::Delete("30".into()),
                Run::Insert("45".into()),
                Run::Equal(" minutes.".into())
            ]
        );
    }

    #[test]
    fn changes_split_by_punctuation_read_as_one() {
        assert_eq!(
            diff("Time: 2-3 minutes", "Time: 3-5 minutes"),
            [
                Run::Equal("Time: ".into()),
                Run::Delete("2-3".into()),
                Run::Insert("3-5".into()),
                Run::Equal(" minutes".into())
            ]
        );
    }

    /// The deletion from a real revision of a risk-management plan (issue 18 item 3): one
    /// deletion, not three split around a period and spaces that happened to match.
    #[test]
    fn small_equalities_between_changes_are_folded_into_one_phrase() {
        assert_eq!(
            diff(
                "Apply the criteria (para. 1.2.1 - 1.2.3). Then sign.",
                "Apply the criteria. Then sign."
            ),
            [
                Run::Equal("Apply the criteria".into()),
                Run::Delete(" (para. 1.2.1 - 1.2.3)".into()),
                Run::Equal(". Then sign.".into())
            ]
        );
        // A long equality between two small changes stays.
        assert_eq!(
            diff(
                "Rinse for 30 minutes with warm water, then dry for 10 minutes.",
                "Rinse for 45 minutes with warm water, then dry for 15 minutes."
            )
            .iter()
            .filter(|r| matches!(r, Run::Equal(_)))
            .count(),
            3
        );
    }

    #[test]
    fn reflow_and_spacing_are_no_change() {
        let runs = diff(
            "Rinse the vessel\nwith water",
            "Rinse  the\nvessel with water",
        );
        assert!(runs.iter().all(|r| matches!(r, Run::Equal(_))), "{runs:?}");
    }

    // See: cases/README.md B24 — grapheme clusters are never split.
    #[test]
    fn clusters_and_normalisation() {
        let runs = diff("The 👩‍🔬 checks café", "The 👨‍🔬 checks cafe\u{301}");
        assert_eq!(
            runs,
            [
                Run::Equal("The ".into()),
                Run::Delete("👩‍🔬".into()),
                Run::Insert("👨‍🔬".into()),
                Run::Equal(" checks cafe\u{301}".into())
            ]
        );
    }
}
