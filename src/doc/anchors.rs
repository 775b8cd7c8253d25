//! Heading anchors: the `#fragment` that links to a heading.
//!
//! The rule is GitHub's, so links written for GitHub keep working: lower-case the heading text,
//! keep letters, digits (any script), `-` and `_`, turn spaces into `-`, drop everything else.
//! sopctl adds what GitHub leaves open: an anchor is never empty (a heading of only symbols is
//! `section`), and a repeated anchor gets `-1`, `-2`, … in document order, so every anchor is
//! unique and the same from run to run.

use std::collections::{HashMap, HashSet};

/// GitHub's slug of a heading text (may be empty; see [`Anchors::assign`]).
pub fn slug(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.trim().chars() {
        if c.is_alphanumeric() || c == '-' || c == '_' {
            out.extend(c.to_lowercase());
        } else if c == ' ' {
            out.push('-');
        }
    }
    out
}

/// Hands out unique anchors for the headings of one document, in order.
///
/// Time is linear in the number of headings, however many share a text: for each slug, the
/// number to try next is remembered (every smaller one is taken), so the 16,000th `Procedure`
/// costs one look-up, not 16,000. Each taken anchor can be passed over at most twice in all
/// (as `x-n` of slug `x`, and as a slug of its own), which bounds the searching.
#[derive(Debug, Default, Clone)]
pub struct Anchors {
    taken: HashSet<String>,
    /// Per slug: the suffix to try next; the slug itself (0) and `-1` … below it are taken.
    next: HashMap<String, usize>,
}

impl Anchors {
    /// A fresh set.
    pub fn new() -> Self {
        Anchors::default()
    }

    /// The anchor for the next heading with this text: its slug, `section` when the slug is
    /// empty, with `-1`, `-2`, … added when it is already taken.
    pub fn assign(&mut self, heading_text: &str) -> String {
        let mut base = slug(heading_text);
        if base.is_empty() {
            base = "section".to_string();
        }
        let mut n = self.next.get(&base).copied().unwrap_or(0);
        loop {
            let candidate = if n == 0 {
                base.clone()
            } else {
                format!("{base}-{n}")
            };
            n += 1;
            if !self.taken.contains(&candidate) {
                self.taken.insert(candidate.clone());
                self.next.insert(base, n);
                return candidate;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_github() {
        assert_eq!(
            slug("Step 1: Log Into Claude.ai"),
            "step-1-log-into-claudeai"
        );
        assert_eq!(slug("Scope & Purpose"), "scope--purpose");
        assert_eq!(slug("Qualitätsprüfung"), "qualitätsprüfung");
        assert_eq!(slug("手順"), "手順");
        assert_eq!(slug("☐ ☒"), "-");
    }

    #[test]
    fn anchors_are_never_empty_and_unique_in_order() {
        let mut a = Anchors::new();
        assert_eq!(a.assign("Procedure"), "procedure");
        assert_eq!(a.assign("Procedure"), "procedure-1");
        assert_eq!(a.assign("Procedure!"), "procedure-2");
        assert_eq!(a.assign("→"), "section");
        assert_eq!(a.assign("★"), "section-1");
        assert_eq!(a.assign("procedure-1"), "procedure-1-1");
        assert_eq!(a.assign("Procedure"), "procedure-3");
        assert_eq!(a.assign("procedure-3"), "procedure-3-1");
        assert_eq!(a.assign("procedure 4"), "procedure-4");
        assert_eq!(a.assign("Procedure"), "procedure-5");
    }

    #[test]
    fn many_identical_headings_are_numbered_in_order() {
        let mut a = Anchors::new();
        let got: Vec<String> = (0..20_000).map(|_| a.assign("Procedure")).collect();
        assert_eq!(got[0], "procedure");
        assert_eq!(got[1], "procedure-1");
        assert_eq!(got[19_999], "procedure-19999");
        assert_eq!(a.assign("procedure-19999"), "procedure-19999-1");
    }
}
