//! The Markdown body: the one set of comrak options sopctl uses, and a scan of the headings,
//! links and images that `check` verifies.
//!
//! The body is CommonMark with the GitHub extensions (SPEC §1): tables, task lists,
//! strikethrough, autolinks and footnotes. Front matter is split off by sopctl before comrak
//! sees the text (see [`super::front_matter`]), so comrak's own front-matter detection is off.

use comrak::nodes::{AstNode, NodeValue};
use comrak::{Arena, Options};

use super::anchors::Anchors;
use super::footnotes::{NoteProblem, NoteScan};
use super::nesting::{self, TooDeep};
use super::source::Location;

/// The comrak options for SOP bodies: GitHub extensions on, raw HTML not passed through.
///
/// Footnote definitions stay where they are written, including those nothing refers to
/// (comrak would otherwise move them to the end and drop the unreferenced ones): `check` warns
/// about those (see [`super::footnotes`]), and the model numbers and places the notes itself
/// (see [`crate::model`]).
pub fn options() -> Options<'static> {
    let mut options = Options::default();
    options.extension.table = true;
    options.extension.tasklist = true;
    options.extension.strikethrough = true;
    options.extension.autolink = true;
    options.extension.footnotes = true;
    options.parse.leave_footnote_definitions = true;
    options
}

/// Parses a Markdown body into `arena` with [`options`], then flattens whatever nests more
/// than [`nesting::MAX_DEPTH`] levels deep (see [`nesting`]). Every reader that walks the
/// tree below its top level parses the body here (the check scan, the model shared by HTML,
/// PDF and diff), so none of them sees a deeper tree; the revision-table reader reads only the
/// top level. Returns the root and the places flattened (lines counted in `body`).
pub fn parse<'a>(arena: &'a Arena<'a>, body: &str) -> (&'a AstNode<'a>, Vec<TooDeep>) {
    let root = comrak::parse_document(arena, body, &options());
    let too_deep = nesting::limit(root);
    (root, too_deep)
}

/// A heading of the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Heading {
    /// 1 for `#`, up to 6.
    pub level: u8,
    /// The heading's plain text.
    pub text: String,
    /// Its unique anchor (see [`super::anchors`]).
    pub anchor: String,
    /// Where it starts in the file.
    pub location: Location,
}

/// A link or an image in the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reference {
    /// The target as written (URL, path or `#fragment`).
    pub target: String,
    /// `true` for `![alt](src)`.
    pub is_image: bool,
    /// Where it starts in the file.
    pub location: Location,
}

/// What `check` needs from the body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyScan {
    /// Headings in document order.
    pub headings: Vec<Heading>,
    /// Links and images in document order.
    pub references: Vec<Reference>,
    /// Places nested too deeply, flattened (see [`nesting`]), located in the file.
    pub too_deep: Vec<TooDeep>,
    /// Footnotes referred to but not written, and written but not referred to, in file order.
    pub notes: Vec<NoteProblem>,
}

/// Parses `body` (which starts on line `first_line` of the file) and collects its headings,
/// links, images and footnote problems with their file locations. Autolinked bare URLs are
/// included.
pub fn scan(body: &str, first_line: usize) -> BodyScan {
    let arena = Arena::new();
    let (root, too_deep) = parse(&arena, body);
    let mut scan = BodyScan {
        too_deep: too_deep
            .into_iter()
            .map(|t| t.in_file(first_line))
            .collect(),
        ..BodyScan::default()
    };
    let mut anchors = Anchors::new();
    let to_file = |line: usize, column: usize| Location {
        line: line + first_line.saturating_sub(1),
        column: column.max(1),
    };
    let mut notes = NoteScan::new(body, first_line);
    for node in root.descendants() {
        notes.node(node);
        let data = node.data();
        let pos = data.sourcepos.start;
        match &data.value {
            NodeValue::Heading(h) => {
                let text = plain_text(node);
                let anchor = anchors.assign(&text);
                scan.headings.push(Heading {
                    level: h.level,
                    text,
                    anchor,
                    location: to_file(pos.line, pos.column),
                });
            }
            NodeValue::Link(link) => scan.references.push(Reference {
                target: link.url.clone(),
                is_image: false,
                location: to_file(pos.line, pos.column),
            }),
            NodeValue::Image(link) => scan.references.push(Reference {
                target: link.url.clone(),
                is_image: true,
                location: to_file(pos.line, pos.column),
            }),
            _ => {}
        }
    }
    scan.notes = notes.finish();
    scan
}

/// The text of a node and its descendants, without markup.
pub fn plain_text<'a>(node: &'a AstNode<'a>) -> String {
    let mut out = String::new();
    for d in node.descendants() {
        match &d.data().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headings_and_links_are_located_in_the_file() {
        let body = "\n## Purpose\n\nSee [scope](#scope) and <https://example.org>.\n\n![plan](img/plan.png)\n";
        let scan = scan(body, 5);
        assert_eq!(scan.headings.len(), 1);
        assert_eq!(scan.headings[0].anchor, "purpose");
        assert_eq!(scan.headings[0].location, Location { line: 6, column: 1 });
        let targets: Vec<(&str, bool, usize, usize)> = scan
            .references
            .iter()
            .map(|r| {
                (
                    r.target.as_str(),
                    r.is_image,
                    r.location.line,
                    r.location.column,
                )
            })
            .collect();
        assert_eq!(
            targets,
            [
                ("#scope", false, 8, 5),
                ("https://example.org", false, 8, 25),
                ("img/plan.png", true, 10, 1)
            ]
        );
    }

    #[test]
    fn a_thematic_break_followed_by_a_heading_is_not_metadata() {
        let scan = scan("Intro.\n\n---\n### Small spills\n\nText\n---\n", 1);
        let texts: Vec<&str> = scan.headings.iter().map(|h| h.text.as_str()).collect();
        assert_eq!(texts, ["Small spills", "Text"]);
    }
}
