//! "Did you mean …?": the nearest known word to one typed wrongly.
//!
//! Used for unknown settings and front-matter keys, SOP IDs, time-zone names ([`nearest`]) and
//! links to missing heading anchors ([`Budgeted`]). It decides which candidate is meant, not
//! how the message reads: each caller words its own hint.

use std::collections::HashMap;

/// The nearest of `candidates` to `word`, if it is close enough to be a likely typo: at most a
/// third of the longer word's characters apart (at least 2), counting a swap of two
/// neighbouring characters as one edit (Damerau–Levenshtein), letter case ignored.
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::damerau_levenshtein(&word.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(2))
        .min()
        .map(|(_, c)| c)
}

/// Suggestions from one fixed list (the heading anchors of a document), within a fixed amount
/// of work in all: each suggestion compares the word with every candidate (edit distance,
/// whose cost is the product of the lengths), so a document of many headings and many broken
/// links would otherwise cost their product. Past [`Budgeted::BUDGET`] character pairs, no
/// more suggestions are made; a word already looked up is not looked up again.
#[derive(Debug)]
pub struct Budgeted<'a> {
    candidates: Vec<&'a str>,
    /// The bytes of all candidates together.
    candidate_bytes: usize,
    spent: usize,
    found: HashMap<String, Option<String>>,
}

impl<'a> Budgeted<'a> {
    /// Character pairs compared in all: about a second's work.
    pub const BUDGET: usize = 200_000_000;

    /// Suggestions from `candidates`.
    pub fn new(candidates: impl IntoIterator<Item = &'a str>) -> Self {
        let candidates: Vec<&str> = candidates.into_iter().collect();
        Budgeted {
            candidate_bytes: candidates.iter().map(|c| c.len()).sum(),
            candidates,
            spent: 0,
            found: HashMap::new(),
        }
    }

    /// The candidate nearest to `word` (Levenshtein distance at most half its length, at least
    /// 1), or `None` when none is that close or the budget is spent.
    pub fn nearest(&mut self, word: &str) -> Option<String> {
        if let Some(found) = self.found.get(word) {
            return found.clone();
        }
        let cost = self.candidate_bytes.saturating_mul(word.len().max(1));
        if self.spent.saturating_add(cost) > Self::BUDGET {
            return None;
        }
        self.spent += cost;
        let found = self
            .candidates
            .iter()
            .map(|c| (strsim::levenshtein(c, word), *c))
            .min()
            .filter(|(d, _)| *d <= word.len().max(3) / 2)
            .map(|(_, c)| c.to_string());
        self.found.insert(word.to_string(), found.clone());
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typo_finds_the_word_and_a_stranger_finds_nothing() {
        let keys = ["tag_format", "organization", "out"];
        assert_eq!(nearest("tag_fromat", keys), Some("tag_format"));
        assert_eq!(nearest("Organisation", keys), Some("organization"));
        assert_eq!(nearest("colour", keys), None);
    }

    #[test]
    fn anchors_are_suggested_until_the_budget_is_spent() {
        let mut anchors = Budgeted::new(["scope", "purpose"]);
        assert_eq!(anchors.nearest("scop").as_deref(), Some("scope"));
        assert_eq!(anchors.nearest("procedure"), None);
        // 1,000 candidate bytes times a word of 200,001: more than the budget.
        let anchor = "x".repeat(1_000);
        let mut spent = Budgeted::new([anchor.as_str()]);
        assert_eq!(spent.nearest(&"x".repeat(200_001)), None);
        assert_eq!(
            spent.nearest(&anchor[1..]).as_deref(),
            Some(anchor.as_str())
        );
    }
}
