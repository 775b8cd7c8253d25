//! The inline HTML tags that GitHub renders and sopctl gives their meaning in every output,
//! without `allow_html` (issue 14 item 7).
//!
//! Real SOPs hold a few tags: documents converted from Word break lines inside table cells with
//! `<br>` (a GitHub table cell cannot hold a line break otherwise), and chemical formulas,
//! units, key names and tracked changes use `<sub>`, `<sup>`, `<kbd>`, `<ins>`, `<del>` and
//! `<mark>`. These are read as:
//!
//! - a line break: `<br>`, `<br/>` or `<br />`;
//! - the start and end of an [`Element`]: `<sup>` and `</sup>`, and so on, paired among the
//!   inlines of one paragraph, heading or table cell (the pairing is done by the document
//!   model, `model`).
//!
//! Tag names are matched in any letter case; white space may come before the closing `>`.
//! Anything else — another tag, one of these with attributes (`<sup class="x">`), a closing
//! tag `</br>` — is not read here: it stays raw HTML, shown as typed unless the repository's
//! settings allow HTML.

/// An inline element that marks text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Element {
    /// `<sup>`: raised, smaller text (an exponent, a footnote mark, "1<sup>st</sup>").
    Superscript,
    /// `<sub>`: lowered, smaller text (H<sub>2</sub>O).
    Subscript,
    /// `<kbd>`: a key or keys to press.
    Keyboard,
    /// `<ins>`: inserted text (underlined).
    Inserted,
    /// `<del>`: deleted text (struck through).
    Deleted,
    /// `<mark>`: highlighted text.
    Highlighted,
}

impl Element {
    /// Every element, in the order of [`Element::index`].
    pub const ALL: [Element; 6] = [
        Element::Superscript,
        Element::Subscript,
        Element::Keyboard,
        Element::Inserted,
        Element::Deleted,
        Element::Highlighted,
    ];

    /// The HTML tag name: `sup`, `sub`, `kbd`, `ins`, `del`, `mark`.
    pub fn tag(self) -> &'static str {
        match self {
            Element::Superscript => "sup",
            Element::Subscript => "sub",
            Element::Keyboard => "kbd",
            Element::Inserted => "ins",
            Element::Deleted => "del",
            Element::Highlighted => "mark",
        }
    }

    /// The element's place in [`Element::ALL`], from 0 to 5.
    pub fn index(self) -> usize {
        self as usize
    }
}

/// What one inline HTML tag means.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tag {
    /// `<br>`, `<br/>`, `<br />`.
    LineBreak,
    /// `<sup>` and the like.
    Open(Element),
    /// `</sup>` and the like.
    Close(Element),
}

/// Reads one inline HTML tag as comrak gives it (`<br />`, `</SUP>`); `None` for anything
/// sopctl does not give a meaning (see the module docs).
pub fn parse(html: &str) -> Option<Tag> {
    let inner = html.strip_prefix('<')?.strip_suffix('>')?;
    let (closing, inner) = match inner.strip_prefix('/') {
        Some(rest) => (true, rest),
        None => (false, inner),
    };
    let inner = inner.trim_end_matches([' ', '\t', '\n', '\r']);
    let (name, self_closing) = match inner.strip_suffix('/') {
        Some(name) => (name.trim_end_matches([' ', '\t', '\n', '\r']), true),
        None => (inner, false),
    };
    if name.eq_ignore_ascii_case("br") {
        return (!closing).then_some(Tag::LineBreak);
    }
    if self_closing {
        return None;
    }
    let element = Element::ALL
        .into_iter()
        .find(|e| name.eq_ignore_ascii_case(e.tag()))?;
    Some(if closing {
        Tag::Close(element)
    } else {
        Tag::Open(element)
    })
}

/// A part of an HTML block: text, or a tag this module reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Piece<'a> {
    /// Text without tags or character references.
    Text(&'a str),
    /// One tag, as written, that [`parse`] reads.
    Tag(&'a str),
}

/// An HTML block (CommonMark §4.6; a line that is only `<br>` starts one) cut into text and
/// tags, when it holds nothing but text and tags this module reads; `None` otherwise (another
/// tag, a comment, a character reference such as `&amp;`), and it stays raw HTML.
pub fn pieces(block: &str) -> Option<Vec<Piece<'_>>> {
    let mut out = Vec::new();
    let mut rest = block;
    while !rest.is_empty() {
        match rest.find('<') {
            Some(0) => {
                let end = rest.find('>')? + 1;
                let (tag, after) = rest.split_at(end);
                parse(tag)?;
                out.push(Piece::Tag(tag));
                rest = after;
            }
            found => {
                let (text, after) = rest.split_at(found.unwrap_or(rest.len()));
                if text.contains(['&', '>']) {
                    return None;
                }
                out.push(Piece::Text(text));
                rest = after;
            }
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tags_github_renders_are_read_and_nothing_else() {
        for br in ["<br>", "<br/>", "<br />", "<BR>", "<Br >"] {
            assert_eq!(parse(br), Some(Tag::LineBreak), "{br}");
        }
        assert_eq!(parse("<sup>"), Some(Tag::Open(Element::Superscript)));
        assert_eq!(parse("</SUB>"), Some(Tag::Close(Element::Subscript)));
        assert_eq!(parse("<kbd >"), Some(Tag::Open(Element::Keyboard)));
        assert_eq!(parse("</ins>"), Some(Tag::Close(Element::Inserted)));
        assert_eq!(parse("<del>"), Some(Tag::Open(Element::Deleted)));
        assert_eq!(parse("<mark>"), Some(Tag::Open(Element::Highlighted)));
        for other in [
            "</br>",
            "<sup/>",
            "<sup class=\"x\">",
            "<b>",
            "<script>",
            "<!-- c -->",
            "<supper>",
            "< sup>",
        ] {
            assert_eq!(parse(other), None, "{other}");
        }
        assert_eq!(
            pieces("<br>\nH<sub>2</sub>O\n"),
            Some(vec![
                Piece::Tag("<br>"),
                Piece::Text("\nH"),
                Piece::Tag("<sub>"),
                Piece::Text("2"),
                Piece::Tag("</sub>"),
                Piece::Text("O\n"),
            ])
        );
        for raw in ["<div>\n", "<br>\n<!-- c -->\n", "<br>\nA &amp; B\n", "<br"] {
            assert_eq!(pieces(raw), None, "{raw}");
        }
        for (i, e) in Element::ALL.into_iter().enumerate() {
            assert_eq!(e.index(), i);
        }
    }
}
