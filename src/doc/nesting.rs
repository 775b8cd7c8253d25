//! How deep the Markdown body may nest: block quotes and lists, and inline markup (emphasis,
//! strikethrough, links) inside each other.
//!
//! Takes comrak's tree right after parsing; changes it in place and returns a [`TooDeep`] for
//! each place it changed. comrak parses any depth without recursion, but the stages after it
//! (the model, HTML, PDF layout, diff) walk the tree one stack frame per level, and 3 MB of
//! `>` is 1.5 million levels: more than any stack (issue 13). So no stage ever sees more than
//! [`MAX_DEPTH`] levels of blocks, nor more than [`MAX_DEPTH`] levels of inline markup within a
//! paragraph, heading or table cell:
//!
//! - a quote or list item at level [`MAX_DEPTH`] that holds deeper quotes or lists keeps all
//!   the paragraphs, headings, code blocks and tables inside them, in order, as its own
//!   blocks; only the extra levels (their indentation, bullets and numbers) are dropped;
//! - inline markup at level [`MAX_DEPTH`] keeps the text of all the markup inside it, in
//!   order, without the deeper emphasis or links.
//!
//! Every word stays. The walk uses its own stack, and each node is visited once (a flattened
//! part is gathered once and never walked again), so the time is linear in the tree.
//! `check` and `render` report each place as a warning (`file:line:col: warning: …`).

use std::fmt;

use comrak::nodes::{AstNode, NodeValue};

/// The deepest nesting kept, counted separately for blocks (quotes, lists, list items) and for
/// inline markup. 100 is also comrak's own bound on the list markers opened by one line
/// (`MAX_LIST_DEPTH`), and far beyond any procedure written by hand.
pub const MAX_DEPTH: usize = 100;

/// What nests too deeply.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Nesting {
    /// Block quotes and lists.
    Blocks,
    /// Emphasis, strong emphasis, strikethrough, links and images.
    Inlines,
}

/// One place where the body nests more than [`MAX_DEPTH`] levels deep and was flattened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TooDeep {
    /// Line of the first level beyond the limit, counted in the text that was parsed (from 1).
    pub line: usize,
    /// Its column, as comrak counts (bytes, from 1).
    pub column: usize,
    /// Blocks or inline markup.
    pub nesting: Nesting,
}

impl TooDeep {
    /// The same place with its line counted in the file, for a body that starts on line
    /// `first_line` of it.
    #[must_use]
    pub fn in_file(self, first_line: usize) -> TooDeep {
        TooDeep {
            line: self.line + first_line.saturating_sub(1),
            column: self.column.max(1),
            ..self
        }
    }
}

impl fmt::Display for TooDeep {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.nesting {
            Nesting::Blocks => write!(
                f,
                "quotes and lists are nested more than {MAX_DEPTH} levels deep here; the deeper levels are shown at level {MAX_DEPTH}, with all their text: remove some of the `>` marks or list indentation"
            ),
            Nesting::Inlines => write!(
                f,
                "emphasis, strikethrough and links are nested more than {MAX_DEPTH} levels deep here; inside, the text is shown without the deeper markup: remove some of the `*`, `_`, `~` or brackets"
            ),
        }
    }
}

/// Whether a block holds other blocks (rather than text).
fn is_container(value: &NodeValue) -> bool {
    matches!(
        value,
        NodeValue::BlockQuote
            | NodeValue::MultilineBlockQuote(_)
            | NodeValue::List(_)
            | NodeValue::Item(_)
            | NodeValue::TaskItem(_)
            | NodeValue::FootnoteDefinition(_)
            | NodeValue::DescriptionList
            | NodeValue::DescriptionItem(_)
            | NodeValue::DescriptionTerm
            | NodeValue::DescriptionDetails
            | NodeValue::Alert(_)
            | NodeValue::Callout(_)
            | NodeValue::BlockDirective(_)
    )
}

/// Whether a container may hold any block directly (a list holds only items).
fn holds_blocks(value: &NodeValue) -> bool {
    !matches!(value, NodeValue::List(_) | NodeValue::DescriptionList)
}

/// Flattens the tree under `root` to at most [`MAX_DEPTH`] levels of blocks and of inline
/// markup (see the module docs); returns the places changed, in document order, with lines
/// counted in the parsed text.
pub fn limit<'a>(root: &'a AstNode<'a>) -> Vec<TooDeep> {
    let mut found = Vec::new();
    // (node, its block level, its inline level, whether it is inline content)
    let mut stack: Vec<(&'a AstNode<'a>, usize, usize, bool)> = vec![(root, 0, 0, false)];
    while let Some((node, blocks, inlines, inline)) = stack.pop() {
        let (blocks, inlines, children_inline) = if inline {
            let has_children = node.first_child().is_some();
            let level = inlines + usize::from(has_children);
            if has_children
                && level >= MAX_DEPTH
                && let Some(at) = flatten(node, |n| n.first_child().is_some())
            {
                found.push(at.of(Nesting::Inlines));
            }
            (blocks, level, true)
        } else {
            let (container, holds, text_inside) = {
                let value = &node.data().value;
                (
                    is_container(value),
                    holds_blocks(value),
                    value.contains_inlines(),
                )
            };
            let level = blocks + usize::from(container);
            if container
                && holds
                && level >= MAX_DEPTH
                && let Some(at) = flatten(node, |n| is_container(&n.data().value))
            {
                found.push(at.of(Nesting::Blocks));
            }
            (level, 0, text_inside)
        };
        stack.extend(
            node.reverse_children()
                .map(|child| (child, blocks, inlines, children_inline)),
        );
    }
    found
}

/// Where a flattening happened, before it is known what nested.
struct Place {
    line: usize,
    column: usize,
}

impl Place {
    fn of(self, nesting: Nesting) -> TooDeep {
        TooDeep {
            line: self.line,
            column: self.column,
            nesting,
        }
    }
}

/// When a child of `node` is a `nests` node: replaces the children of `node` by the nodes
/// under them that are not, in document order, and returns where the first nested child
/// started. `None` (nothing changed) when no child nests.
fn flatten<'a>(node: &'a AstNode<'a>, nests: impl Fn(&'a AstNode<'a>) -> bool) -> Option<Place> {
    let first = node.children().find(|c| nests(c))?;
    let start = first.data().sourcepos.start;
    let mut kept = Vec::new();
    let mut stack: Vec<&'a AstNode<'a>> = node.reverse_children().collect();
    while let Some(n) = stack.pop() {
        if nests(n) {
            stack.extend(n.reverse_children());
        } else {
            kept.push(n);
        }
    }
    let children: Vec<&'a AstNode<'a>> = node.children().collect();
    for child in children {
        child.detach();
    }
    for n in kept {
        node.append(n);
    }
    Some(Place {
        line: start.line,
        column: start.column,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::markdown::options;

    /// The deepest block level and inline level in the tree, and the text in order.
    fn shape<'a>(root: &'a AstNode<'a>) -> (usize, usize, String) {
        let mut deepest = (0, 0);
        let mut text = String::new();
        let mut stack = vec![(root, 0usize, 0usize)];
        while let Some((node, b, i)) = stack.pop() {
            let value = node.data().value.clone();
            let b = b + usize::from(is_container(&value));
            let inline = matches!(
                value,
                NodeValue::Emph | NodeValue::Strong | NodeValue::Strikethrough | NodeValue::Link(_)
            );
            let i = i + usize::from(inline);
            deepest = (deepest.0.max(b), deepest.1.max(i));
            if let NodeValue::Text(t) = &value {
                text.push_str(t);
                text.push(' ');
            }
            stack.extend(node.reverse_children().map(|c| (c, b, i)));
        }
        (deepest.0, deepest.1, text)
    }

    #[test]
    fn quotes_deeper_than_the_limit_keep_their_text_at_the_limit() {
        let body = format!(
            "{}deep one\n\n{}deep two\n\nafter\n",
            "> ".repeat(250),
            "> ".repeat(250)
        );
        let arena = comrak::Arena::new();
        let root = comrak::parse_document(&arena, &body, &options());
        let found = limit(root);
        // The blank line ends the first quotes: two separate places, each reported.
        let deep = |line| TooDeep {
            line,
            column: 201,
            nesting: Nesting::Blocks,
        };
        assert_eq!(found, [deep(1), deep(3)]);
        let (blocks, _, text) = shape(root);
        assert_eq!(blocks, MAX_DEPTH);
        assert_eq!(text, "deep one deep two after ");
    }

    #[test]
    fn nested_lists_and_emphasis_are_flattened_too() {
        let lists: String = (0..150)
            .map(|d| format!("{}- item {d}\n", "  ".repeat(d)))
            .collect();
        let emphasis = format!("{}x{}", "*".repeat(400), "*".repeat(400));
        let body = format!("{lists}\n{emphasis}\n");
        let arena = comrak::Arena::new();
        let root = comrak::parse_document(&arena, &body, &options());
        let found = limit(root);
        let kinds: Vec<(Nesting, usize)> = found.iter().map(|t| (t.nesting, t.line)).collect();
        // Item 49 is level 100 (each list and each item is a level); the list in it, on line 51,
        // is the first level beyond.
        assert_eq!(kinds, [(Nesting::Blocks, 51), (Nesting::Inlines, 152)]);
        let (blocks, inlines, text) = shape(root);
        assert!(blocks <= MAX_DEPTH + 1, "{blocks}");
        assert_eq!(inlines, MAX_DEPTH);
        let expected: String = (0..150).map(|d| format!("item {d} ")).collect();
        assert_eq!(text, format!("{expected}x "));
    }

    #[test]
    fn documents_within_the_limit_are_not_changed() {
        let body = format!(
            "{}quote\n\n- a\n  - b\n\n***both*** and ~~[link](x)~~\n",
            "> ".repeat(99)
        );
        let arena = comrak::Arena::new();
        let root = comrak::parse_document(&arena, &body, &options());
        let before = shape(root);
        assert_eq!(limit(root), []);
        assert_eq!(shape(root), before);
        assert_eq!(before.0, 99);
    }
}
