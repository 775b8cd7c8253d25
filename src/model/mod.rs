//! MODEL: the document as owned data, shared by every output (HTML, PDF, diff).
//!
//! comrak's arena AST is converted once into plain owned types, so renderers need no arena
//! lifetimes and all outputs see exactly the same content. Heading anchors are assigned here,
//! once (see [`crate::doc::anchors`]): never empty, unique, stable, and the same in HTML and PDF.
//! Nothing here decides how anything looks.

use comrak::nodes::{AstNode, ListType, NodeValue, TableAlignment};

use crate::doc::anchors::Anchors;
use crate::doc::markdown::plain_text;
use crate::doc::nesting::TooDeep;

/// A document body.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    /// The blocks in order.
    pub blocks: Vec<Block>,
    /// Footnote definitions, in the order of their first reference.
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
    /// Raw inline HTML as written.
    Html(String),
    /// A footnote reference.
    FootnoteRef {
        /// The label as written (`[^1]` gives `1`).
        label: String,
        /// The footnote's number in order of first reference.
        number: u32,
    },
}

/// A footnote definition.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Footnote {
    /// The label.
    pub label: String,
    /// Its number.
    pub number: u32,
    /// Its content.
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
            footnotes: Vec::new(),
        };
        let blocks = builder.blocks(root);
        let mut footnotes = builder.footnotes;
        footnotes.sort_by_key(|f| f.number);
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
                    Block::BlockQuote(inner) => walk(inner, out),
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

struct Builder {
    anchors: Anchors,
    first_line: usize,
    footnotes: Vec<Footnote>,
}

impl Builder {
    fn blocks<'a>(&mut self, parent: &'a AstNode<'a>) -> Vec<Block> {
        let mut out = Vec::new();
        for node in parent.children() {
            if let Some(block) = self.block(node) {
                out.push(block);
            }
        }
        out
    }

    fn block<'a>(&mut self, node: &'a AstNode<'a>) -> Option<Block> {
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
            NodeValue::HtmlBlock(html) => Block::Html(html.literal.clone()),
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
            NodeValue::FootnoteDefinition(def) => {
                let number = self.footnotes.len() as u32 + 1;
                let blocks = self.blocks(node);
                self.footnotes.push(Footnote {
                    label: def.name.clone(),
                    number,
                    blocks,
                });
                return None;
            }
            _ => return None,
        })
    }

    fn inlines<'a>(&mut self, parent: &'a AstNode<'a>) -> Vec<Inline> {
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
                NodeValue::FootnoteReference(r) => Inline::FootnoteRef {
                    label: r.name.clone(),
                    number: r.ix,
                },
                // Anything else inline: keep its text.
                _ => {
                    let nested = self.inlines(node);
                    out.extend(nested);
                    continue;
                }
            };
            out.push(inline);
        }
        out
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
