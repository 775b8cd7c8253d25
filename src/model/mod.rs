//! MODEL: the document as owned data, shared by every output (HTML, PDF, diff).
//!
//! comrak's arena AST is converted once into plain owned types, so renderers need no arena
//! lifetimes and all outputs see exactly the same content. Heading anchors are assigned here,
//! once (see [`crate::doc::anchors`]): never empty, unique, stable, and the same in HTML and PDF.
//! Nothing here decides how anything looks.

use std::collections::HashMap;

use comrak::nodes::{AstNode, ListType, NodeValue, TableAlignment};

use crate::doc::anchors::Anchors;
use crate::doc::inline_html::{self, Element, Tag};
use crate::doc::markdown::plain_text;
use crate::doc::nesting::TooDeep;

/// A document body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    /// The blocks in order.
    pub blocks: Vec<Block>,
    /// The notes referred to, each once, numbered in the order a reader meets their first
    /// reference (the body first, then the notes themselves); notes nothing refers to are left
    /// out.
    pub footnotes: Vec<Footnote>,
    /// Places that nested more deeply than the model keeps, flattened (see
    /// [`crate::doc::nesting`]), with lines counted in the file.
    pub too_deep: Vec<TooDeep>,
}

/// A heading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 to 6.
    pub level: u8,
    /// The unique anchor (`#anchor` links here).
    pub anchor: String,
    /// The heading's text without markup, for tables of contents and outlines.
    pub text: String,
    /// The content.
    pub content: Vec<Inline>,
    /// The line in the source file.
    pub line: usize,
}

/// A block of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A heading.
    Heading(Heading),
    /// A paragraph.
    Paragraph(Vec<Inline>),
    /// A bulleted or numbered list.
    List(List),
    /// A block quote.
    BlockQuote(Vec<Block>),
    /// A code block: the text exactly as in the source (tabs kept).
    Code {
        /// The info string after the opening fence (`yaml`), possibly empty.
        info: String,
        /// The code, ending with a newline.
        text: String,
    },
    /// A table.
    Table(Table),
    /// A thematic break (`---`).
    Rule,
    /// Raw HTML as written (escaped or sanitised by the HTML renderer).
    Html(String),
    /// Blocks a redline marks as a whole (inserted, deleted or moved): never made from a
    /// source file, only by [`crate::diff::redline`].
    Revised(Revision, Vec<Block>),
}

/// How a redline marks text that changed between two versions ([`crate::diff::redline`]).
/// Every mark is told apart by more than its colour (WCAG 2.1 SC 1.4.1): deleted text is
/// struck through, inserted text underlined, moved text struck twice where it was and
/// underlined twice where it is now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Revision {
    /// Only in the later version: underlined.
    Inserted,
    /// Only in the earlier version: struck through.
    Deleted,
    /// Moved here from another place (with any edits inside it marked): double underline.
    MovedTo,
    /// Moved from here to another place: double strike-through.
    MovedFrom,
}

impl Revision {
    /// The word a legend and a screen reader use: `inserted`, `deleted`, `moved here`,
    /// `moved away`.
    pub fn label(self) -> &'static str {
        match self {
            Revision::Inserted => "inserted",
            Revision::Deleted => "deleted",
            Revision::MovedTo => "moved here",
            Revision::MovedFrom => "moved away",
        }
    }

    /// Whether the text is gone from the later version here (deleted, or moved away).
    pub fn is_removal(self) -> bool {
        matches!(self, Revision::Deleted | Revision::MovedFrom)
    }
}

/// A list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct List {
    /// Numbered (`1.`) rather than bulleted.
    pub ordered: bool,
    /// The first number of a numbered list.
    pub start: usize,
    /// Items without blank lines between them.
    pub tight: bool,
    /// The items.
    pub items: Vec<ListItem>,
}

/// A list item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListItem {
    /// `Some(checked)` for a task-list item (`- [ ]`, `- [x]`).
    pub task: Option<bool>,
    /// The item's blocks.
    pub blocks: Vec<Block>,
}

impl ListItem {
    /// Whether a redline shows this item as gone from the later version (deleted or moved
    /// away): it takes no number in a numbered list.
    pub fn is_removed(&self) -> bool {
        !self.blocks.is_empty()
            && self
                .blocks
                .iter()
                .all(|b| matches!(b, Block::Revised(r, _) if r.is_removal()))
    }
}

/// Column alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// Not given.
    None,
    /// `:---`
    Left,
    /// `:---:`
    Center,
    /// `---:`
    Right,
}

/// A table: a header row and body rows of cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// One per column.
    pub alignments: Vec<Align>,
    /// The header cells.
    pub header: Vec<Vec<Inline>>,
    /// The body rows.
    pub rows: Vec<Vec<Vec<Inline>>>,
}

/// Inline content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Inline {
    /// Text.
    Text(String),
    /// A code span.
    Code(String),
    /// Emphasis (italic).
    Emphasis(Vec<Inline>),
    /// Strong emphasis (bold).
    Strong(Vec<Inline>),
    /// Strikethrough.
    Strikethrough(Vec<Inline>),
    /// A link.
    Link {
        /// The target as written (after entity decoding).
        target: String,
        /// The title, possibly empty.
        title: String,
        /// The link text.
        content: Vec<Inline>,
    },
    /// An image.
    Image {
        /// The source as written.
        source: String,
        /// The title, possibly empty.
        title: String,
        /// The alternative text.
        alt: String,
    },
    /// A soft line break (a space when reflowed).
    SoftBreak,
    /// A hard line break.
    LineBreak,
    /// Raw inline HTML as written (not one of the tags [`crate::doc::inline_html`] reads).
    Html(String),
    /// Text marked by one of the inline HTML elements GitHub renders, written as a pair of
    /// tags around it (`H<sub>2</sub>O`).
    Marked(Element, Vec<Inline>),
    /// A footnote reference.
    FootnoteRef {
        /// The label as written (`[^1]` gives `1`).
        label: String,
        /// The footnote's number in order of first reference.
        number: u32,
        /// Which reference to this note it is: 1 for the first, 2 for the second, ….
        occurrence: u32,
    },
    /// Text a redline marks (never made from a source file, only by
    /// [`crate::diff::redline`]).
    Revised(Revision, Vec<Inline>),
}

/// A footnote definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Footnote {
    /// The label.
    pub label: String,
    /// Its number, from 1.
    pub number: u32,
    /// How many references point to it (at least 1).
    pub references: u32,
    /// Its content: one block or more (a note may hold several paragraphs).
    pub blocks: Vec<Block>,
}

impl Document {
    /// Parses a Markdown body (which starts on line `first_line` of its file) into the model.
    pub fn parse(body: &str, first_line: usize) -> Document {
        let arena = comrak::Arena::new();
        let (root, too_deep) = crate::doc::markdown::parse(&arena, body);
        let mut builder = Builder {
            anchors: Anchors::new(),
            first_line,
            notes: Notes::new(root),
        };
        let blocks = builder.blocks(root);
        let footnotes = builder.footnotes();
        let too_deep = too_deep
            .into_iter()
            .map(|t| t.in_file(first_line))
            .collect();
        Document {
            blocks,
            footnotes,
            too_deep,
        }
    }

    /// Every heading in document order.
    pub fn headings(&self) -> Vec<&Heading> {
        fn walk<'a>(blocks: &'a [Block], out: &mut Vec<&'a Heading>) {
            for b in blocks {
                match b {
                    Block::Heading(h) => out.push(h),
                    Block::BlockQuote(inner) | Block::Revised(_, inner) => walk(inner, out),
                    Block::List(list) => list.items.iter().for_each(|i| walk(&i.blocks, out)),
                    _ => {}
                }
            }
        }
        let mut out = Vec::new();
        walk(&self.blocks, &mut out);
        out
    }
}

struct Builder<'a> {
    anchors: Anchors,
    first_line: usize,
    notes: Notes<'a>,
}

/// The footnotes met so far. comrak keeps each definition where it is written (see
/// [`crate::doc::markdown::options`]) and gives a definition and its references the same name;
/// the numbers are given here, as the references are met.
struct Notes<'a> {
    /// The definitions that something refers to, by name.
    definitions: HashMap<String, &'a AstNode<'a>>,
    /// Names in the order of their first reference: the note numbered `n` is at `n - 1`.
    order: Vec<String>,
    /// Per name: its number and the references to it met so far.
    seen: HashMap<String, (u32, u32)>,
}

impl<'a> Notes<'a> {
    /// Finds the definitions under `root` that something refers to.
    fn new(root: &'a AstNode<'a>) -> Self {
        let definitions = root
            .descendants()
            .filter_map(|node| match &node.data().value {
                NodeValue::FootnoteDefinition(def) if def.total_references > 0 => {
                    Some((def.name.clone(), node))
                }
                _ => None,
            })
            .collect();
        Notes {
            definitions,
            order: Vec::new(),
            seen: HashMap::new(),
        }
    }

    /// The number of the note `name` and which reference to it this is.
    fn reference(&mut self, name: &str) -> (u32, u32) {
        let next = u32::try_from(self.order.len() + 1).unwrap_or(u32::MAX);
        let entry = self.seen.entry(name.to_string()).or_insert_with(|| {
            self.order.push(name.to_string());
            (next, 0)
        });
        entry.1 += 1;
        *entry
    }
}

impl<'a> Builder<'a> {
    /// The notes referred to from the body, then those referred to from these notes, and so
    /// on, in the order of their numbers.
    fn footnotes(&mut self) -> Vec<Footnote> {
        let mut out = Vec::new();
        while let Some(label) = self.notes.order.get(out.len()).cloned() {
            let blocks = match self.notes.definitions.get(&label) {
                Some(&node) => self.blocks(node),
                None => Vec::new(),
            };
            out.push(Footnote {
                number: u32::try_from(out.len() + 1).unwrap_or(u32::MAX),
                references: 0,
                label,
                blocks,
            });
        }
        for note in &mut out {
            note.references = self.notes.seen.get(&note.label).map_or(0, |seen| seen.1);
        }
        out
    }

    fn blocks(&mut self, parent: &'a AstNode<'a>) -> Vec<Block> {
        let mut out = Vec::new();
        for node in parent.children() {
            if let Some(block) = self.block(node) {
                out.push(block);
            }
        }
        out.shrink_to_fit();
        out
    }

    fn block(&mut self, node: &'a AstNode<'a>) -> Option<Block> {
        let value = node.data().value.clone();
        let line = node.data().sourcepos.start.line + self.first_line.saturating_sub(1);
        Some(match value {
            NodeValue::Heading(h) => {
                let text = plain_text(node);
                let anchor = self.anchors.assign(&text);
                Block::Heading(Heading {
                    level: h.level,
                    anchor,
                    text,
                    content: self.inlines(node),
                    line,
                })
            }
            NodeValue::Paragraph => Block::Paragraph(self.inlines(node)),
            NodeValue::List(list) => Block::List(List {
                ordered: list.list_type == ListType::Ordered,
                start: list.start,
                tight: list.tight,
                items: node
                    .children()
                    .map(|item| {
                        let task = match &item.data().value {
                            NodeValue::TaskItem(t) => Some(t.symbol.is_some_and(|c| c != ' ')),
                            _ => None,
                        };
                        ListItem {
                            task,
                            blocks: self.blocks(item),
                        }
                    })
                    .collect(),
            }),
            NodeValue::BlockQuote | NodeValue::MultilineBlockQuote(_) => {
                Block::BlockQuote(self.blocks(node))
            }
            NodeValue::CodeBlock(code) => Block::Code {
                info: code.info.clone(),
                text: code.literal.clone(),
            },
            NodeValue::HtmlBlock(html) => match tags_only(&html.literal) {
                Some(inlines) => Block::Paragraph(inlines),
                None => Block::Html(html.literal.clone()),
            },
            NodeValue::ThematicBreak => Block::Rule,
            NodeValue::Table(table) => {
                let alignments = table
                    .alignments
                    .iter()
                    .map(|a| match a {
                        TableAlignment::Left => Align::Left,
                        TableAlignment::Center => Align::Center,
                        TableAlignment::Right => Align::Right,
                        TableAlignment::None => Align::None,
                    })
                    .collect();
                let mut header = Vec::new();
                let mut rows = Vec::new();
                for row in node.children() {
                    let is_header = matches!(row.data().value, NodeValue::TableRow(true));
                    let cells: Vec<Vec<Inline>> =
                        row.children().map(|cell| self.inlines(cell)).collect();
                    if is_header {
                        header = cells
                    } else {
                        rows.push(cells)
                    }
                }
                Block::Table(Table {
                    alignments,
                    header,
                    rows,
                })
            }
            // Laid out with the notes (see `footnotes`), if anything refers to it.
            NodeValue::FootnoteDefinition(_) => return None,
            _ => return None,
        })
    }

    fn inlines(&mut self, parent: &'a AstNode<'a>) -> Vec<Inline> {
        let mut out: Vec<Inline> = Vec::new();
        for node in parent.children() {
            let value = node.data().value.clone();
            let inline = match value {
                NodeValue::Text(t) => {
                    // Adjacent text nodes (comrak splits at some characters) are joined.
                    if let Some(Inline::Text(prev)) = out.last_mut() {
                        prev.push_str(&t);
                        continue;
                    }
                    Inline::Text(t.to_string())
                }
                NodeValue::Code(c) => Inline::Code(c.literal.clone()),
                NodeValue::Emph => Inline::Emphasis(self.inlines(node)),
                NodeValue::Strong => Inline::Strong(self.inlines(node)),
                NodeValue::Strikethrough => Inline::Strikethrough(self.inlines(node)),
                NodeValue::Link(link) => Inline::Link {
                    target: link.url.clone(),
                    title: link.title.clone(),
                    content: self.inlines(node),
                },
                NodeValue::Image(link) => Inline::Image {
                    source: link.url.clone(),
                    title: link.title.clone(),
                    alt: plain_text(node),
                },
                NodeValue::SoftBreak => Inline::SoftBreak,
                NodeValue::LineBreak => Inline::LineBreak,
                NodeValue::HtmlInline(html) => Inline::Html(html.clone()),
                NodeValue::FootnoteReference(r) => {
                    let (number, occurrence) = self.notes.reference(&r.name);
                    Inline::FootnoteRef {
                        label: r.name.clone(),
                        number,
                        occurrence,
                    }
                }
                // Anything else inline: keep its text.
                _ => {
                    let nested = self.inlines(node);
                    out.extend(nested);
                    continue;
                }
            };
            out.push(inline);
        }
        // Most runs hold one inline; a vector grown by pushing keeps room for four, and a
        // long document has hundreds of thousands of runs (issue 13).
        let mut out = read_tags(out);
        out.shrink_to_fit();
        out
    }
}

/// The deepest the elements of [`Inline::Marked`] nest in one another within one paragraph,
/// heading or cell; a tag opened deeper stays text. Hand-written SOPs nest two or three.
const MAX_TAG_DEPTH: usize = 8;

/// An element opened and not yet closed, with the inlines since.
struct OpenTag {
    /// The element and its tag as written; `None` for the inlines themselves (the bottom).
    open: Option<(Element, String)>,
    content: Vec<Inline>,
}

/// Gives the inline HTML tags GitHub renders their meaning (see [`crate::doc::inline_html`]):
/// `<br>` is a line break, and a pair such as `<sup>`…`</sup>` among the same inlines marks
/// what is between. A tag without its partner stays raw HTML, in place. Each opened tag is
/// closed or given back once, so the time is linear.
fn read_tags(inlines: Vec<Inline>) -> Vec<Inline> {
    if !inlines.iter().any(|i| matches!(i, Inline::Html(_))) {
        return inlines;
    }
    let mut stack = vec![OpenTag {
        open: None,
        content: Vec::new(),
    }];
    // How many of each element are open, so a closing tag with none open costs nothing.
    let mut open = [0usize; Element::ALL.len()];
    for inline in inlines {
        let tag = match &inline {
            Inline::Html(raw) => inline_html::parse(raw),
            _ => None,
        };
        match tag {
            Some(Tag::LineBreak) => push(&mut stack, Inline::LineBreak),
            Some(Tag::Open(e)) if stack.len() <= MAX_TAG_DEPTH => {
                if let (Some(n), Inline::Html(raw)) = (open.get_mut(e.index()), inline) {
                    *n += 1;
                    stack.push(OpenTag {
                        open: Some((e, raw)),
                        content: Vec::new(),
                    });
                }
            }
            Some(Tag::Close(e)) if open.get(e.index()).is_some_and(|n| *n > 0) => {
                // Close the nearest open `e`; tags opened after it were never closed.
                while let Some(top) = stack.pop() {
                    let Some((element, raw)) = top.open else {
                        stack.push(top);
                        break;
                    };
                    if let Some(n) = open.get_mut(element.index()) {
                        *n = n.saturating_sub(1);
                    }
                    if element == e {
                        push(&mut stack, Inline::Marked(e, top.content));
                        break;
                    }
                    give_back(&mut stack, raw, top.content);
                }
            }
            _ => push(&mut stack, inline),
        }
    }
    while stack.len() > 1 {
        if let Some(OpenTag {
            open: Some((_, raw)),
            content,
        }) = stack.pop()
        {
            give_back(&mut stack, raw, content);
        }
    }
    stack.pop().map(|bottom| bottom.content).unwrap_or_default()
}

/// An HTML block of text and the tags GitHub renders only (a line `<br>` between paragraphs,
/// as converted documents have) as a paragraph's inlines; `None` for any other HTML block.
fn tags_only(block: &str) -> Option<Vec<Inline>> {
    let mut inlines = Vec::new();
    for piece in inline_html::pieces(block.trim_end())? {
        match piece {
            inline_html::Piece::Tag(tag) => inlines.push(Inline::Html(tag.to_string())),
            inline_html::Piece::Text(text) => {
                for (i, line) in text.split('\n').enumerate() {
                    if i > 0 {
                        inlines.push(Inline::SoftBreak);
                    }
                    let line = line.trim_end_matches('\r');
                    if !line.is_empty() {
                        inlines.push(Inline::Text(line.to_string()));
                    }
                }
            }
        }
    }
    Some(read_tags(inlines))
}

fn push(stack: &mut [OpenTag], inline: Inline) {
    if let Some(top) = stack.last_mut() {
        top.content.push(inline);
    }
}

/// An opening tag that was never closed: the tag as raw HTML, then what followed it.
fn give_back(stack: &mut [OpenTag], raw: String, content: Vec<Inline>) {
    if let Some(top) = stack.last_mut() {
        top.content.push(Inline::Html(raw));
        top.content.extend(content);
    }
}

/// The plain text of inline content (no markup); breaks become spaces.
pub fn inline_text(inlines: &[Inline]) -> String {
    let mut out = String::new();
    for i in inlines {
        match i {
            Inline::Text(t) | Inline::Code(t) | Inline::Html(t) => out.push_str(t),
            Inline::Emphasis(c)
            | Inline::Strong(c)
            | Inline::Strikethrough(c)
            | Inline::Marked(_, c)
            | Inline::Revised(_, c)
            | Inline::Link { content: c, .. } => {
                out.push_str(&inline_text(c));
            }
            Inline::Image { alt, .. } => out.push_str(alt),
            Inline::SoftBreak | Inline::LineBreak => out.push(' '),
            Inline::FootnoteRef { number, .. } => out.push_str(&number.to_string()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_and_inlines_are_converted_with_anchors() {
        let doc = Document::parse(
            "## Scope\n\nSee **the** [form](f.pdf \"F\").\n\n- [x] done\n- [ ] open\n\n| A | B |\n|:--|--:|\n| `c` | d |\n\n## Scope\n\nText[^n].\n\n[^n]: A note.\n",
            10,
        );
        let headings: Vec<(&str, &str, usize)> = doc
            .headings()
            .iter()
            .map(|h| (h.text.as_str(), h.anchor.as_str(), h.line))
            .collect();
        assert_eq!(headings, [("Scope", "scope", 10), ("Scope", "scope-1", 21)]);
        assert_eq!(
            doc.blocks[1],
            Block::Paragraph(vec![
                Inline::Text("See ".into()),
                Inline::Strong(vec![Inline::Text("the".into())]),
                Inline::Text(" ".into()),
                Inline::Link {
                    target: "f.pdf".into(),
                    title: "F".into(),
                    content: vec![Inline::Text("form".into())]
                },
                Inline::Text(".".into()),
            ])
        );
        match &doc.blocks[2] {
            Block::List(list) => assert_eq!(
                list.items.iter().map(|i| i.task).collect::<Vec<_>>(),
                [Some(true), Some(false)]
            ),
            other => panic!("{other:?}"),
        }
        match &doc.blocks[3] {
            Block::Table(t) => {
                assert_eq!(t.alignments, [Align::Left, Align::Right]);
                assert_eq!(t.rows[0][0], vec![Inline::Code("c".into())]);
            }
            other => panic!("{other:?}"),
        }
        assert_eq!(doc.footnotes.len(), 1);
        assert_eq!(doc.footnotes[0].label, "n");
    }

    /// B26: numbers follow the first reference, a note referred to twice is kept once with
    /// two references, one referred to only from another note follows it, one nobody refers
    /// to is left out, and a note's paragraphs stay paragraphs.
    #[test]
    fn footnotes_are_numbered_by_first_reference_and_kept_once() {
        let doc = Document::parse(
            "[^late]: Defined first, referred to last.\n\nA[^b] b[^a] c[^B].\n\n[^a]: Note a.\n\n    Its second paragraph.[^inner]\n[^b]: Note b.\n[^inner]: Only a note refers to me.\n[^unused]: Nobody refers to me.\n\nEnd[^late].\n",
            1,
        );
        let refs: Vec<(String, u32, u32)> = match &doc.blocks[0] {
            Block::Paragraph(inlines) => inlines
                .iter()
                .filter_map(|i| match i {
                    Inline::FootnoteRef {
                        label,
                        number,
                        occurrence,
                    } => Some((label.clone(), *number, *occurrence)),
                    _ => None,
                })
                .collect(),
            other => panic!("{other:?}"),
        };
        assert_eq!(
            refs,
            [
                ("b".to_string(), 1, 1),
                ("a".to_string(), 2, 1),
                ("b".to_string(), 1, 2)
            ]
        );
        let notes: Vec<(&str, u32, u32, usize)> = doc
            .footnotes
            .iter()
            .map(|f| (f.label.as_str(), f.number, f.references, f.blocks.len()))
            .collect();
        assert_eq!(
            notes,
            [
                ("b", 1, 2, 1),
                ("a", 2, 1, 2),
                ("late", 3, 1, 1),
                ("inner", 4, 1, 1)
            ]
        );
        assert_eq!(doc.blocks.len(), 2, "{:?}", doc.blocks);
    }

    fn paragraph(markdown: &str) -> Vec<Inline> {
        match Document::parse(markdown, 1).blocks.as_slice() {
            [Block::Paragraph(inlines)] => inlines.clone(),
            other => panic!("{other:?}"),
        }
    }

    fn text(t: &str) -> Inline {
        Inline::Text(t.into())
    }

    fn html(t: &str) -> Inline {
        Inline::Html(t.into())
    }

    #[test]
    fn the_tags_github_renders_mark_what_they_enclose() {
        assert_eq!(
            paragraph("H<sub>2</sub>O, <SUP>*a*</SUP><br/>x<mark><kbd>Ctrl</kbd></mark>"),
            [
                text("H"),
                Inline::Marked(Element::Subscript, vec![text("2")]),
                text("O, "),
                Inline::Marked(
                    Element::Superscript,
                    vec![Inline::Emphasis(vec![text("a")])]
                ),
                Inline::LineBreak,
                text("x"),
                Inline::Marked(
                    Element::Highlighted,
                    vec![Inline::Marked(Element::Keyboard, vec![text("Ctrl")])]
                ),
            ]
        );
    }

    #[test]
    fn unpaired_or_crossed_tags_stay_raw_html_in_place() {
        // An unclosed tag, a stray closing tag, and crossed pairs: the inner tag opened last
        // is given back when the outer one closes.
        assert_eq!(
            paragraph("a <sup>b </del> <ins>c<sub>d</ins> e</sub>"),
            [
                text("a "),
                html("<sup>"),
                text("b "),
                html("</del>"),
                text(" "),
                Inline::Marked(Element::Inserted, vec![text("c"), html("<sub>"), text("d")]),
                text(" e"),
                html("</sub>"),
            ]
        );
    }

    #[test]
    fn tags_nest_at_most_eight_deep() {
        let inlines = paragraph(&format!("{}x{}", "<sup>".repeat(10), "</sup>".repeat(10)));
        let mut depth = 0;
        let mut level = inlines.as_slice();
        while let [Inline::Marked(_, inner), ..] = level {
            depth += 1;
            level = inner.as_slice();
        }
        assert_eq!(depth, 8);
        assert_eq!(inline_text(&inlines), "<sup><sup>x</sup></sup>");
    }

    #[test]
    fn a_block_of_br_lines_is_a_paragraph_and_other_html_blocks_stay_raw() {
        let doc = Document::parse("Above\n\n<br>\n<br />\n\n<div>\n<br>\n</div>\n", 1);
        assert_eq!(
            doc.blocks[1],
            Block::Paragraph(vec![
                Inline::LineBreak,
                Inline::SoftBreak,
                Inline::LineBreak
            ])
        );
        assert_eq!(doc.blocks[2], Block::Html("<div>\n<br>\n</div>\n".into()));
    }

    #[test]
    fn code_blocks_keep_their_text_exactly() {
        let doc = Document::parse("```yaml\n---\n\tkit: a\n---\n```\n", 1);
        assert_eq!(
            doc.blocks,
            [Block::Code {
                info: "yaml".into(),
                text: "---\n\tkit: a\n---\n".into()
            }]
        );
    }
}
