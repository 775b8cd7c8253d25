//! Inline content compared word by word with its formatting kept: the redline of one
//! paragraph, heading, list item or table cell.
//!
//! Each side's inlines are flattened into tokens (words, spaces and punctuation at UAX #29 word
//! boundaries, as [`super::super::words`] cuts text), each with the formatting around it
//! (emphasis, strong, a link, a code span…). Tokens compare by their text and their formatting,
//! so a word made bold reads as the plain word deleted and the bold one inserted: nothing that
//! changes what a reader sees is hidden. Line breaks, images, footnote references and raw HTML
//! are single tokens. The tokens are compared with the semantic clean-up of
//! [`super::super::words::stretches`], then put back into a tree of inlines, equal text with the
//! later version's formatting, deleted text with the earlier version's, each change wrapped in
//! [`Inline::Revised`].

use unicode_segmentation::UnicodeSegmentation;

use super::super::words::{self, Stretch};
use crate::doc::inline_html::Element;
use crate::model::{Inline, Revision};

/// Formatting around a token.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Wrap {
    Emphasis,
    Strong,
    Strike,
    Marked(Element),
    Link { target: String, title: String },
    Code,
}

/// A token: text, or a whole inline that is not cut (a line break, an image, a note mark).
#[derive(Debug, Clone)]
struct Token {
    text: String,
    atom: Option<Inline>,
    wraps: Vec<Wrap>,
}

impl Token {
    /// What it compares by: its text (spaces as one, composed to NFC) and its formatting.
    fn key(&self) -> String {
        let mut key = match &self.atom {
            Some(atom) => format!("\u{fffc}{atom:?}"),
            None if self.text.chars().all(char::is_whitespace) => " ".to_string(),
            None => words::nfc(self.text.clone()),
        };
        for wrap in &self.wraps {
            key.push('\u{1f}');
            match wrap {
                Wrap::Emphasis => key.push('e'),
                Wrap::Strong => key.push('s'),
                Wrap::Strike => key.push('x'),
                Wrap::Marked(e) => key.push_str(e.tag()),
                Wrap::Link { target, title } => {
                    key.push_str(target);
                    key.push('\u{1e}');
                    key.push_str(title);
                }
                Wrap::Code => key.push('c'),
            }
        }
        key
    }

    fn chars(&self) -> usize {
        if self.atom.is_some() {
            1
        } else {
            self.text.chars().count()
        }
    }
}

fn nest_in(wrap: Wrap, content: &[Inline], wraps: &mut Vec<Wrap>, out: &mut Vec<Token>) {
    wraps.push(wrap);
    flatten(content, wraps, out);
    wraps.pop();
}

fn flatten(inlines: &[Inline], wraps: &mut Vec<Wrap>, out: &mut Vec<Token>) {
    for inline in inlines {
        match inline {
            Inline::Text(t) => text_tokens(t, wraps, out),
            Inline::SoftBreak => text_tokens(" ", wraps, out),
            Inline::Code(c) => {
                let mut inner = wraps.clone();
                inner.push(Wrap::Code);
                text_tokens(c, &inner, out);
            }
            Inline::Emphasis(c) => nest_in(Wrap::Emphasis, c, wraps, out),
            Inline::Strong(c) => nest_in(Wrap::Strong, c, wraps, out),
            Inline::Strikethrough(c) => nest_in(Wrap::Strike, c, wraps, out),
            Inline::Marked(e, c) => nest_in(Wrap::Marked(*e), c, wraps, out),
            Inline::Link {
                target,
                title,
                content,
            } => nest_in(
                Wrap::Link {
                    target: target.clone(),
                    title: title.clone(),
                },
                content,
                wraps,
                out,
            ),
            // A redline is never compared again; its marks are looked through.
            Inline::Revised(_, c) => flatten(c, wraps, out),
            atom @ (Inline::LineBreak
            | Inline::Image { .. }
            | Inline::Html(_)
            | Inline::FootnoteRef { .. }) => out.push(Token {
                text: String::new(),
                atom: Some(atom.clone()),
                wraps: wraps.clone(),
            }),
        }
    }
}

fn text_tokens(text: &str, wraps: &[Wrap], out: &mut Vec<Token>) {
    for token in text.split_word_bounds() {
        out.push(Token {
            text: token.to_string(),
            atom: None,
            wraps: wraps.to_vec(),
        });
    }
}

fn tokens(inlines: &[Inline]) -> Vec<Token> {
    let mut out = Vec::new();
    flatten(inlines, &mut Vec::new(), &mut out);
    out
}

/// A plain-text key of inline content: what [`redline`] would find equal compares equal here
/// (text with spaces squeezed, in NFC, with its formatting, links and images). Written in one
/// walk, without cutting the text into tokens: every block of both versions is keyed.
pub(super) fn key(inlines: &[Inline]) -> String {
    let mut out = String::new();
    let mut space = false;
    key_into(inlines, &mut out, &mut space);
    words::nfc(out)
}

/// Appends `text` to `out` with each run of white space as one space (none at the start).
fn squeezed_into(text: &str, out: &mut String, space: &mut bool) {
    for c in text.chars() {
        if c.is_whitespace() {
            *space = true;
        } else {
            if *space && !out.is_empty() {
                out.push(' ');
            }
            *space = false;
            out.push(c);
        }
    }
}

fn key_into(inlines: &[Inline], out: &mut String, space: &mut bool) {
    // A mark of formatting: `\u{2}` and a letter opens, `\u{3}` closes.
    let wrap = |mark: &str, content: &[Inline], out: &mut String, space: &mut bool| {
        squeezed_into(mark, out, space);
        key_into(content, out, space);
        out.push('\u{3}');
    };
    for inline in inlines {
        match inline {
            Inline::Text(t) => squeezed_into(t, out, space),
            Inline::SoftBreak => *space = true,
            Inline::Code(c) => {
                squeezed_into("\u{2}c", out, space);
                squeezed_into(c, out, space);
                out.push('\u{3}');
            }
            Inline::Emphasis(c) => wrap("\u{2}e", c, out, space),
            Inline::Strong(c) => wrap("\u{2}s", c, out, space),
            Inline::Strikethrough(c) => wrap("\u{2}x", c, out, space),
            Inline::Marked(e, c) => wrap(&format!("\u{2}{}", e.tag()), c, out, space),
            Inline::Link {
                target,
                title,
                content,
            } => wrap(
                &format!("\u{2}l{target}\u{1e}{title}\u{1e}"),
                content,
                out,
                space,
            ),
            Inline::Revised(_, c) => key_into(c, out, space),
            atom @ (Inline::LineBreak
            | Inline::Image { .. }
            | Inline::Html(_)
            | Inline::FootnoteRef { .. }) => {
                squeezed_into(&format!("\u{2}a{atom:?}\u{3}"), out, space);
            }
        }
    }
}

/// The later version's inlines with the changes from the earlier one marked, or `None` when
/// they read the same (spacing and line wrapping are no change).
pub(super) fn redline(old: &[Inline], new: &[Inline]) -> Option<Vec<Inline>> {
    let (a, b) = (tokens(old), tokens(new));
    let ka: Vec<String> = a.iter().map(Token::key).collect();
    let kb: Vec<String> = b.iter().map(Token::key).collect();
    if ka == kb {
        return None;
    }
    let chars = |t: &[Token]| t.iter().map(Token::chars).collect::<Vec<_>>();
    let mut marked: Vec<(Option<Revision>, &Token)> = Vec::with_capacity(b.len());
    let mut any = false;
    let stretches = if ka.len() + kb.len() > words::WORD_DIFF_LIMIT {
        // Two long texts (`cases/` B23): the same start and end kept, the rest replaced whole,
        // in linear time and the same every time.
        around(&ka, &kb)
    } else {
        words::stretches(&ka, &kb, &chars(&a), &chars(&b))
    };
    for stretch in stretches {
        match stretch {
            Stretch::Equal { new, .. } => {
                marked.extend(b.get(new).unwrap_or_default().iter().map(|t| (None, t)));
            }
            Stretch::Change { old, new } => {
                any = true;
                let gone = a.get(old).unwrap_or_default();
                marked.extend(gone.iter().map(|t| (Some(Revision::Deleted), t)));
                let came = b.get(new).unwrap_or_default();
                marked.extend(came.iter().map(|t| (Some(Revision::Inserted), t)));
            }
        }
    }
    any.then(|| build(&marked))
}

/// The tokens two sequences start and end with kept equal, everything between them one change.
fn around(ka: &[String], kb: &[String]) -> Vec<Stretch> {
    let head = ka.iter().zip(kb).take_while(|(x, y)| x == y).count();
    let room = ka.len().min(kb.len()) - head;
    let tail = ka
        .iter()
        .rev()
        .zip(kb.iter().rev())
        .take(room)
        .take_while(|(x, y)| x == y)
        .count();
    let mut out = Vec::new();
    if head > 0 {
        out.push(Stretch::Equal {
            old: 0..head,
            new: 0..head,
        });
    }
    out.push(Stretch::Change {
        old: head..ka.len() - tail,
        new: head..kb.len() - tail,
    });
    if tail > 0 {
        out.push(Stretch::Equal {
            old: ka.len() - tail..ka.len(),
            new: kb.len() - tail..kb.len(),
        });
    }
    out
}

/// All of `inlines` marked as `revision` (a whole paragraph inserted, a cell deleted).
pub(super) fn mark(inlines: &[Inline], revision: Revision) -> Vec<Inline> {
    if inlines.is_empty() {
        Vec::new()
    } else {
        vec![Inline::Revised(revision, inlines.to_vec())]
    }
}

/// U+2009 THIN SPACE, between a deletion and the insertion that replaces it.
const THIN_SPACE: char = '\u{2009}';

/// The tree of inlines again: each run of one mark wrapped in [`Inline::Revised`], inside it
/// the formatting nested as the tokens carry it.
fn build(marked: &[(Option<Revision>, &Token)]) -> Vec<Inline> {
    let mut out = Vec::new();
    let mut i = 0;
    while let Some((revision, _)) = marked.get(i) {
        let rest = marked.get(i..).unwrap_or_default();
        let end = i + rest.iter().take_while(|(r, _)| r == revision).count();
        let tokens: Vec<&Token> = rest
            .get(..end - i)
            .unwrap_or_default()
            .iter()
            .map(|(_, t)| *t)
            .collect();
        let inner = nest(&tokens, 0);
        // A deletion and the insertion after it are kept a thin space apart, so that the
        // two read as two words on paper ("2-3 3-5", not "2-33-5").
        if *revision == Some(Revision::Inserted)
            && matches!(out.last(), Some(Inline::Revised(Revision::Deleted, _)))
        {
            out.push(Inline::Text(THIN_SPACE.to_string()));
        }
        match revision {
            Some(r) => out.push(Inline::Revised(*r, inner)),
            None => out.extend(inner),
        }
        i = end;
    }
    out
}

/// Tokens that share their first `depth` wraps, as inlines.
fn nest(tokens: &[&Token], depth: usize) -> Vec<Inline> {
    let mut out: Vec<Inline> = Vec::new();
    let mut i = 0;
    while let Some(token) = tokens.get(i) {
        let Some(wrap) = token.wraps.get(depth) else {
            match &token.atom {
                Some(atom) => out.push(atom.clone()),
                None => match out.last_mut() {
                    Some(Inline::Text(t)) => t.push_str(&token.text),
                    _ => out.push(Inline::Text(token.text.clone())),
                },
            }
            i += 1;
            continue;
        };
        let rest = tokens.get(i..).unwrap_or_default();
        let len = rest
            .iter()
            .take_while(|t| t.wraps.get(depth) == Some(wrap))
            .count();
        let group = rest.get(..len).unwrap_or_default();
        let end = i + len;
        let inner = || nest(group, depth + 1);
        out.push(match wrap {
            Wrap::Emphasis => Inline::Emphasis(inner()),
            Wrap::Strong => Inline::Strong(inner()),
            Wrap::Strike => Inline::Strikethrough(inner()),
            Wrap::Marked(e) => Inline::Marked(*e, inner()),
            Wrap::Link { target, title } => Inline::Link {
                target: target.clone(),
                title: title.clone(),
                content: inner(),
            },
            Wrap::Code => Inline::Code(group.iter().map(|t| t.text.as_str()).collect()),
        });
        i = end;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;

    fn inlines(markdown: &str) -> Vec<Inline> {
        match Document::parse(markdown, 1).blocks.into_iter().next() {
            Some(crate::model::Block::Paragraph(p)) => p,
            other => panic!("not a paragraph: {other:?}"),
        }
    }

    fn text(i: &[Inline]) -> String {
        i.iter()
            .map(|x| match x {
                Inline::Text(t) => t.clone(),
                Inline::Code(c) => format!("`{c}`"),
                Inline::Strong(c) => format!("**{}**", text(c)),
                Inline::Emphasis(c) => format!("*{}*", text(c)),
                Inline::Revised(Revision::Deleted, c) => format!("[-{}-]", text(c)),
                Inline::Revised(Revision::Inserted, c) => format!("{{+{}+}}", text(c)),
                Inline::SoftBreak => " ".into(),
                other => format!("{other:?}"),
            })
            .collect()
    }

    #[test]
    fn changed_words_are_marked_and_formatting_is_kept() {
        let out = redline(
            &inlines("Wear **safety glasses** at all times."),
            &inlines("Wear **safety goggles** at all\ntimes in the lab."),
        )
        .unwrap_or_default();
        assert_eq!(
            text(&out),
            "Wear **safety **[-**glasses**-]\u{2009}{+**goggles**+} at all times{+ in the lab+}."
        );
    }

    #[test]
    fn reflowed_text_is_no_change_and_bold_is_a_change() {
        assert_eq!(redline(&inlines("a b\nc"), &inlines("a  b c")), None);
        let out =
            redline(&inlines("Do not touch."), &inlines("Do **not** touch.")).unwrap_or_default();
        assert_eq!(text(&out), "Do [-not-]\u{2009}{+**not**+} touch.");
    }

    #[test]
    fn code_spans_compare_inside() {
        let out = redline(
            &inlines("Run `make all` now."),
            &inlines("Run `make test` now."),
        )
        .unwrap_or_default();
        assert_eq!(text(&out), "Run `make `[-`all`-]\u{2009}{+`test`+} now.");
    }
}
