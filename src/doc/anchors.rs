//! Heading anchors: the `#fragment` that links to a heading.
//!
//! The rule is GitHub's, so links written for GitHub keep working: lower-case the heading text,
//! keep letters, digits (any script), `-` and `_`, turn spaces into `-`, drop everything else.
//! sopctl adds what GitHub leaves open: an anchor is never empty (a heading of only symbols is
//! `section`), and a repeated anchor gets `-1`, `-2`, … in document order, so every anchor is
//! unique and the same from run to run.

use std::collections::HashSet;

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
#[derive(Debug, Default, Clone)]
pub struct Anchors {
    taken: HashSet<String>,
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
        let mut candidate = base.clone();
        let mut n = 0;
        while self.taken.contains(&candidate) {
            n += 1;
            candidate = format!("{base}-{n}");
        }
        self.taken.insert(candidate.clone());
        candidate
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
    }
}
