//! Footnotes as `check` sees them: references to a note that is not written, and notes that
//! nothing refers to (issue 14 item 8, field case B26).
//!
//! Takes comrak's tree of the body, node by node (see [`super::markdown::scan`]); returns the
//! problems found, located in the file. comrak keeps every definition where it is written
//! (see [`super::markdown::options`]) and counts the references to each, so a note that nothing
//! refers to is a definition counted zero times. A reference whose label has no definition is
//! left by comrak as the text `[^label]`; it is found in the source of text nodes, so an escaped
//! `\[^label]` or a character reference (`&#91;^label]`) is never taken for one. Time is linear
//! in the body.

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::path::Path;

use comrak::nodes::{AstNode, NodeValue};

use super::finding::Finding;
use super::source::{Location, Locator};

/// A footnote problem, with the label as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteProblem {
    /// `[^label]` in the text, and no note `[^label]: …` anywhere: the renditions show the
    /// reference as typed.
    Undefined {
        /// The label (`missing` for `[^missing]`).
        label: String,
        /// Where the `[` is.
        location: Location,
    },
    /// A note `[^label]: …` that no reference points to: the renditions leave it out.
    Unused {
        /// The label.
        label: String,
        /// Where the definition starts.
        location: Location,
    },
    /// A second note with the label of another (labels compare as comrak compares them:
    /// ignoring case and runs of white space); only the other one is shown.
    Duplicate {
        /// The label.
        label: String,
        /// Where this definition starts.
        location: Location,
        /// The line of the definition that is shown.
        shown: usize,
    },
}

impl NoteProblem {
    /// Where the problem is in the file.
    pub fn location(&self) -> Location {
        match self {
            NoteProblem::Undefined { location, .. }
            | NoteProblem::Unused { location, .. }
            | NoteProblem::Duplicate { location, .. } => *location,
        }
    }

    /// The warning `check` prints for it, in `path`.
    pub fn finding(&self, path: &Path) -> Finding {
        Finding::warning(path, self.location(), self.to_string())
    }
}

impl fmt::Display for NoteProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NoteProblem::Undefined { label, .. } => write!(
                f,
                "the footnote `[^{label}]` is not written anywhere, so the PDF and HTML show `[^{label}]` as typed; write the note on a line `[^{label}]: …` at the end of the document, or remove the reference"
            ),
            NoteProblem::Unused { label, .. } => write!(
                f,
                "the footnote `[^{label}]` is never referred to, so the PDF and HTML leave it out; refer to it with `[^{label}]` where it belongs, or delete it"
            ),
            NoteProblem::Duplicate { label, shown, .. } => write!(
                f,
                "the footnote `[^{label}]` is written twice and only the one on line {shown} is shown; delete one of them, or give this one a label of its own"
            ),
        }
    }
}

/// A definition met in the tree.
struct Definition {
    /// The label, folded as comrak matches labels.
    key: String,
    label: String,
    location: Location,
    referenced: bool,
}

/// Collects footnote problems while the body's tree is walked in document order.
pub(crate) struct NoteScan<'b> {
    body: &'b str,
    /// Made when first needed: most documents have no notes, and every piece of a compared
    /// document is scanned.
    locator: Option<Locator<'b>>,
    /// Added to a line of the body to count it in the file.
    line_offset: usize,
    definitions: Vec<Definition>,
    undefined: Vec<(String, Location)>,
}

impl<'b> NoteScan<'b> {
    /// A scan of `body`, which starts on line `first_line` of its file.
    pub(crate) fn new(body: &'b str, first_line: usize) -> Self {
        NoteScan {
            body,
            locator: None,
            line_offset: first_line.saturating_sub(1),
            definitions: Vec::new(),
            undefined: Vec::new(),
        }
    }

    /// Looks at one node: a footnote definition, or text that may hold `[^label]`.
    pub(crate) fn node<'a>(&mut self, node: &'a AstNode<'a>) {
        let data = node.data();
        let start = data.sourcepos.start;
        match &data.value {
            NodeValue::FootnoteDefinition(def) => {
                let location = self.locate(start.line, start.column);
                self.definitions.push(Definition {
                    key: fold(&def.name),
                    label: def.name.clone(),
                    location,
                    referenced: def.total_references > 0,
                });
            }
            NodeValue::Text(text)
                if text.contains("[^") && start.line == data.sourcepos.end.line =>
            {
                let locator = self.locator();
                let from = locator.offset_of(start.line, start.column);
                let to = locator.offset_of(start.line, data.sourcepos.end.column + 1);
                let Some(source) = self.body.get(from..to) else {
                    return;
                };
                for (at, label) in written_references(source) {
                    let location = self.locate_offset(from + at);
                    self.undefined.push((label.to_string(), location));
                }
            }
            _ => {}
        }
    }

    /// The problems found, in file order.
    pub(crate) fn finish(self) -> Vec<NoteProblem> {
        let labels: HashSet<&str> = self.definitions.iter().map(|d| d.key.as_str()).collect();
        let shown: HashMap<&str, usize> = self
            .definitions
            .iter()
            .filter(|d| d.referenced)
            .map(|d| (d.key.as_str(), d.location.line))
            .collect();
        let mut problems: Vec<NoteProblem> = self
            .undefined
            .into_iter()
            // comrak did not take it for a reference although a note has its label (it is
            // written across markup, say): not a missing note.
            .filter(|(label, _)| !labels.contains(fold(label).as_str()))
            .map(|(label, location)| NoteProblem::Undefined { label, location })
            .collect();
        for d in &self.definitions {
            if d.referenced {
                continue;
            }
            problems.push(match shown.get(d.key.as_str()) {
                Some(&line) => NoteProblem::Duplicate {
                    label: d.label.clone(),
                    location: d.location,
                    shown: line,
                },
                None => NoteProblem::Unused {
                    label: d.label.clone(),
                    location: d.location,
                },
            });
        }
        problems.sort_by_key(NoteProblem::location);
        problems
    }

    /// The body's locator, made on first use.
    fn locator(&mut self) -> &mut Locator<'b> {
        let body = self.body;
        self.locator.get_or_insert_with(|| Locator::new(body))
    }

    fn locate(&mut self, line: usize, byte_column: usize) -> Location {
        let offset = self.locator().offset_of(line, byte_column);
        self.locate_offset(offset)
    }

    fn locate_offset(&mut self, offset: usize) -> Location {
        let in_body = self.locator().locate(offset);
        Location {
            line: in_body.line + self.line_offset,
            column: in_body.column,
        }
    }
}

/// A label as comrak matches it: trimmed, runs of white space as one space, lower case.
fn fold(label: &str) -> String {
    label
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Each `[^label]` written in `source` (a stretch of one line), with the byte offset of its
/// `[`: not after an odd number of backslashes, the label not empty and without brackets.
/// Each byte is looked at a bounded number of times.
fn written_references(source: &str) -> Vec<(usize, &str)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = source
        .get(from..)
        .and_then(|s| s.find("[^"))
        .map(|i| from + i)
    {
        let label_start = at + 2;
        let Some(rest) = source.get(label_start..) else {
            break;
        };
        let Some(end) = rest.find(['[', ']']) else {
            break;
        };
        from = label_start + end;
        let escaped = source.get(..at).map_or(0, |before| {
            before.bytes().rev().take_while(|b| *b == b'\\').count()
        }) % 2
            == 1;
        let label = rest.get(..end).unwrap_or_default();
        if rest.get(end..).is_some_and(|r| r.starts_with(']')) && !escaped && !label.is_empty() {
            found.push((at, label));
            from += 1;
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problems(body: &str) -> Vec<String> {
        let arena = comrak::Arena::new();
        let (root, _) = super::super::markdown::parse(&arena, body);
        let mut scan = NoteScan::new(body, 10);
        for node in root.descendants() {
            scan.node(node);
        }
        scan.finish()
            .iter()
            .map(|p| {
                let at = p.location();
                let kind = match p {
                    NoteProblem::Undefined { label, .. } => format!("undefined {label}"),
                    NoteProblem::Unused { label, .. } => format!("unused {label}"),
                    NoteProblem::Duplicate { label, shown, .. } => {
                        format!("duplicate {label}, shown {shown}")
                    }
                };
                format!("{}:{} {kind}", at.line, at.column)
            })
            .collect()
    }

    #[test]
    fn references_without_a_note_are_found_where_they_are_written() {
        let body = "Text[^a], \\[^escaped], &#91;^entity], `[^code]` and é [^gone].\n\n| A | B |\n|---|---|\n| °[^cell] | [^A] |\n\n[^a]: The note.\n";
        assert_eq!(
            problems(body),
            ["10:55 undefined gone", "14:4 undefined cell"]
        );
    }

    #[test]
    fn notes_nobody_refers_to_and_notes_written_twice_are_found() {
        let body = "One[^a].\n\n[^a]: First.\n[^A]: Second, with the same label.\n[^b]: Never used.\n\n> [^c]: In a quote.\n";
        assert_eq!(
            problems(body),
            [
                "12:1 duplicate a, shown 13",
                "14:1 unused b",
                "16:3 unused c"
            ]
        );
    }

    #[test]
    fn labels_are_read_without_brackets_or_escapes() {
        assert_eq!(
            written_references(r"[^a] \[^b] \\[^c] [^] [^[^d] [^e"),
            [(0, "a"), (13, "c"), (24, "d")]
        );
        let hostile = "[^".repeat(10_000);
        assert_eq!(written_references(&hostile), []);
    }
}
