//! Hyphenation of prose by the document's language, with hypher's TeX patterns: soft hyphens
//! (U+00AD) are put between the syllables of words, where the line breaker may end a line with
//! a visible hyphen ([`super::text::break_lines`], [`super::fit`]). Never inside code, links,
//! IDs, numbers, file names, addresses or words in capitals (an acronym, a product code).

use super::fonts::FaceId;
use super::text::Span;

/// The shortest word that is hyphenated, in characters.
const MIN_WORD: usize = 6;

/// The longest: a run of letters longer than this is no word (a token, a hash, a key) and is
/// split where it must be, without a hyphen. German compounds of forty letters are hyphenated.
const MAX_WORD: usize = 48;

/// The hyphenation of a language tag (`en`, `de-CH`: its primary language), if hypher has
/// patterns for it.
pub fn language(tag: &str) -> Option<hypher::Lang> {
    let primary = tag.split('-').next()?.to_ascii_lowercase();
    let code: [u8; 2] = primary.as_bytes().try_into().ok()?;
    hypher::Lang::from_iso(code)
}

/// `spans` with soft hyphens between the syllables of their words, or `None` when no word of
/// theirs is hyphenated.
pub fn hyphenated(spans: &[Span], lang: hypher::Lang) -> Option<Vec<Span>> {
    let mut changed = false;
    let out = spans
        .iter()
        .map(|span| {
            let style = &span.style;
            if style.code
                || style.link.is_some()
                || matches!(style.face, FaceId::Mono | FaceId::MonoBold)
            {
                return span.clone();
            }
            match hyphenate_text(&span.text, lang) {
                Some(text) => {
                    changed = true;
                    Span {
                        text,
                        style: span.style.clone(),
                    }
                }
                None => span.clone(),
            }
        })
        .collect();
    changed.then_some(out)
}

/// Whether `c` next to a word makes it part of something that is not prose: an ID
/// (`SOP-IT-001`), a file name or address (`a/b_c`, `x@y`), a number.
fn joins(c: char) -> bool {
    c.is_ascii_digit()
        || matches!(
            c,
            '-' | '_' | '/' | '\\' | '@' | ':' | '=' | '&' | '#' | '%'
        )
}

/// `text` with soft hyphens in its words, or `None` if no word changed.
fn hyphenate_text(text: &str, lang: hypher::Lang) -> Option<String> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = String::with_capacity(text.len() + 16);
    let mut changed = false;
    let mut i = 0;
    let mut copied = 0;
    while i < chars.len() {
        let Some(&(start, c)) = chars.get(i) else {
            break;
        };
        if !c.is_alphabetic() {
            i += 1;
            continue;
        }
        let mut j = i;
        while chars.get(j).is_some_and(|(_, c)| c.is_alphabetic()) {
            j += 1;
        }
        let end = chars.get(j).map_or(text.len(), |(b, _)| *b);
        let word = &text[start..end];
        let before = i.checked_sub(1).and_then(|k| chars.get(k)).map(|(_, c)| *c);
        let after = chars.get(j).map(|(_, c)| *c);
        let after_next = chars.get(j + 1).map(|(_, c)| *c);
        // "claude.ai", "report.pdf": a dot between letters joins a name.
        let dotted = |c: Option<char>, next: Option<char>| {
            c == Some('.') && next.is_some_and(char::is_alphanumeric)
        };
        let before_dot = i.checked_sub(2).and_then(|k| chars.get(k)).map(|(_, c)| *c);
        // A word in capitals after its first letter is an acronym or a product's name.
        let capitals = word.chars().skip(1).any(char::is_uppercase);
        let named = before == Some('.') && before_dot.is_some_and(char::is_alphanumeric);
        let joined = before.is_some_and(joins) || after.is_some_and(joins);
        let prose = (MIN_WORD..=MAX_WORD).contains(&(j - i))
            && !joined
            && !dotted(after, after_next)
            && !named
            && !capitals;
        if prose {
            let syllables: Vec<&str> = hypher::hyphenate_bounded(word, lang, 2, 3).collect();
            if syllables.len() > 1 {
                out.push_str(&text[copied..start]);
                out.push_str(&syllables.join("\u{ad}"));
                copied = end;
                changed = true;
            }
        }
        i = j;
    }
    if !changed {
        return None;
    }
    out.push_str(&text[copied..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn en(text: &str) -> String {
        hyphenate_text(text, hypher::Lang::English)
            .unwrap_or_else(|| text.to_string())
            .replace('\u{ad}', "|")
    }

    #[test]
    fn prose_is_hyphenated_by_its_language_and_ids_names_and_addresses_are_not() {
        assert_eq!(en("the documentation"), "the doc|u|men|ta|tion");
        assert_eq!(en("Verify configuration."), "Ver|ify con|fig|u|ra|tion.");
        let token = "abcdefghijklmnopqrstuvwxyz".repeat(3);
        assert_eq!(en(&token), token);
        for kept in [
            "SOP-IT-001",
            "claude.ai/settings",
            "report.pdf",
            "procedure_v2",
            "user@example.com",
            "ACKNOWLEDGEMENT",
            "JavaScript",
            "short",
        ] {
            assert_eq!(en(kept), kept);
        }
        let german = hyphenate_text("Reinigungsverfahren", hypher::Lang::German).expect("de");
        assert_eq!(german.replace('\u{ad}', "|"), "Rei|ni|gungs|ver|fah|ren");
        assert_eq!(language("de-CH"), Some(hypher::Lang::German));
        assert_eq!(language("EN"), Some(hypher::Lang::English));
        assert_eq!(language("tlh"), None);
    }
}
