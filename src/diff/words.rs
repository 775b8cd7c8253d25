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
    nfc(text.split_whitespace().collect::<Vec<_>>().join(" "))
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
const WORD_DIFF_LIMIT: usize = 20_000;

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
#[allow(
    clippy::indexing_slicing,
    reason = "ranges come from `similar`'s diff ops over these same slices, which stay within them"
)]
fn word_diff(old: &str, new: &str) -> Vec<Run> {
    let a = tokens(old);
    let b = tokens(new);
    let ka: Vec<String> = a.iter().map(|t| key(t)).collect();
    let kb: Vec<String> = b.iter().map(|t| key(t)).collect();
    let mut runs: Vec<Run> = Vec::new();
    let mut push = |run: Run| match (runs.last_mut(), &run) {
        (Some(Run::Equal(x)), Run::Equal(y))
        | (Some(Run::Delete(x)), Run::Delete(y))
        | (Some(Run::Insert(x)), Run::Insert(y)) => {
            x.push_str(y);
        }
        _ => runs.push(run),
    };
    for op in capture_diff_slices(Algorithm::Myers, &ka, &kb) {
        match op {
            DiffOp::Equal { new_index, len, .. } => {
                push(Run::Equal(b[new_index..new_index + len].concat()))
            }
            DiffOp::Delete {
                old_index, old_len, ..
            } => push(Run::Delete(a[old_index..old_index + old_len].concat())),
            DiffOp::Insert {
                new_index, new_len, ..
            } => push(Run::Insert(b[new_index..new_index + new_len].concat())),
            DiffOp::Replace {
                old_index,
                old_len,
                new_index,
                new_len,
            } => {
                push(Run::Delete(a[old_index..old_index + old_len].concat()));
                push(Run::Insert(b[new_index..new_index + new_len].concat()));
            }
        }
    }
    tidy(runs)
}

/// Folds the small equalities between changes into them, so that every change reads as one
/// phrase: `2-3` → `3-5` reads `[-2-3-]{+3-5+}` rather than `[-2-]{+3+}-[-3-]{+5+}`, and the
/// deletion of ` (para. 1.2.1 - 1.2.3)` one deletion, not three around the `.` and spaces that
/// happened to match (issue 18 item 3).
///
/// The rule is diff-match-patch's semantic clean-up (`diff_cleanupSemantic`): an equality with
/// changes on both sides is given up when it is no longer than the larger of the deleted and
/// the inserted text on each side; repeated until no equality is given up. Lengths count
/// characters. An equality at either end of the text is always kept.
#[allow(
    clippy::indexing_slicing,
    reason = "`i` runs below `runs.len()`, checked by the loop"
)]
fn tidy(runs: Vec<Run>) -> Vec<Run> {
    let mut runs = merge(runs);
    loop {
        let len = |t: &str| t.chars().count();
        // The deleted and inserted characters of the changes just before and after each run.
        let mut changed = false;
        let mut i = 0;
        while i < runs.len() {
            let Run::Equal(text) = &runs[i] else {
                i += 1;
                continue;
            };
            let side = |range: &mut dyn Iterator<Item = &Run>| {
                let (mut del, mut ins) = (0, 0);
                for r in range {
                    match r {
                        Run::Delete(t) => del += len(t),
                        Run::Insert(t) => ins += len(t),
                        Run::Equal(_) => break,
                    }
                }
                del.max(ins)
            };
            let before = side(&mut runs[..i].iter().rev());
            let after = side(&mut runs[i + 1..].iter());
            let n = len(text);
            if before > 0 && after > 0 && n <= before && n <= after {
                let text = text.clone();
                runs[i] = Run::Delete(text.clone());
                runs.insert(i + 1, Run::Insert(text));
                changed = true;
            }
            i += 1;
        }
        if !changed {
            break;
        }
        runs = group(runs);
    }
    group(runs)
}

/// Each stretch of changes between equalities as one deletion followed by one insertion.
fn group(runs: Vec<Run>) -> Vec<Run> {
    let mut out: Vec<Run> = Vec::new();
    let (mut del, mut ins) = (String::new(), String::new());
    let flush = |out: &mut Vec<Run>, del: &mut String, ins: &mut String| {
        if !del.is_empty() {
            out.push(Run::Delete(std::mem::take(del)));
        }
        if !ins.is_empty() {
            out.push(Run::Insert(std::mem::take(ins)));
        }
    };
    for run in runs {
        match run {
            Run::Delete(t) => del.push_str(&t),
            Run::Insert(t) => ins.push_str(&t),
            Run::Equal(t) => {
                flush(&mut out, &mut del, &mut ins);
                match out.last_mut() {
                    Some(Run::Equal(x)) => x.push_str(&t),
                    _ => out.push(Run::Equal(t)),
                }
            }
        }
    }
    flush(&mut out, &mut del, &mut ins);
    out
}

/// The number of words (tokens with a letter, digit or symbol) in a text.
pub fn count_words(text: &str) -> usize {
    text.split_word_bounds()
        .filter(|t| {
            t.chars()
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
