//! Front matter: the YAML block between `---` lines at the very top of an SOP (SPEC §1).
//!
//! sopctl finds the block itself instead of leaving it to the Markdown parser, because the
//! parser's own detection misreads several files seen in the field (`cases/` B10, B11, B13):
//!
//! - the first line must be `---`; trailing spaces or tabs are allowed, and so are a
//!   byte-order mark before it (set aside by [`SourceText`]) and CRLF or CR line endings;
//! - the block ends at the next line that is `---` (or `...`), also with optional trailing
//!   white space; a file that ends right after it, with no final newline, is fine;
//! - an opening line with no closing one is an error ([`FrontMatterError::Unclosed`]);
//! - a block whose content is not a YAML mapping (a leading `---` that is a thematic break,
//!   with a paragraph and another rule below it) is **not** front matter: the whole file stays
//!   body text, and [`Split::not_front_matter`] says why;
//! - `---` lines further down the body are ordinary thematic breaks.
//!
//! The YAML is read with saphyr's event parser, which tells where each value sits and how it
//! was written. Values are kept as written (`1.10` stays `1.10`, `0012` stays `0012`), so a
//! managed value can be replaced in place by [`FrontMatter::set_value`] with every other byte
//! of the file unchanged.
//!
//! - `events`: one pass over the YAML: anchors, aliases and duplicate keys at any depth, and
//!   where a second YAML document would start (an error: the block is one document).
//! - `entries`: the top-level entries, read through anchors and aliases (`cases/` B33).
//! - `rewrite`: which values can be rewritten in place ([`FrontMatter::rewritable`]): not an
//!   anchored value, an alias or a block, which `check` reports for [`REWRITTEN_KEYS`].
//! - `messages`: the YAML reader's errors in a document owner's words, at the fault.

mod entries;
mod events;
mod messages;
mod rewrite;

use std::ops::Range;

use super::source::{Location, Locator, SourceText, location_in};
use entries::read_entries;
pub use rewrite::REWRITTEN_KEYS;

/// How a scalar was written in the YAML.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Quoting {
    /// `key: value`
    Plain,
    /// `key: 'value'`
    Single,
    /// `key: "value"`
    Double,
    /// `key: |` or `key: >` (a block scalar over several lines)
    Block,
}

/// One scalar value: what it means, what was written, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    /// The value after YAML unquoting (`"1.10"` gives `1.10`).
    pub value: String,
    /// How it was quoted.
    pub quoting: Quoting,
    /// Byte range in the file's text (without BOM) of the value as written, quotes included.
    pub range: Range<usize>,
    /// Where the value starts (at its anchor or tag, if it has one).
    pub location: Location,
    /// The anchor written on the value (`&issued 2025-01-10`), which aliases may repeat.
    pub anchor: Option<Anchor>,
    /// Set when the value is written as an alias (`*issued`): the anchor it repeats. `value`
    /// and `quoting` are then the anchored value's, `range` and `location` the alias's.
    pub alias: Option<Alias>,
}

/// A YAML anchor on a value (`&name`, YAML 1.2 §6.9.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchor {
    /// The name, without `&`.
    pub name: String,
    /// Where each alias (`*name`) that repeats the value is written, in file order.
    pub aliases: Vec<Location>,
}

/// A YAML alias (`*name`, YAML 1.2 §7.1): a value that repeats an anchored one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alias {
    /// The anchor's name, without `*`.
    pub name: String,
    /// Where the anchored value is written.
    pub anchor: Location,
}

/// A key given twice in one mapping, at any depth (YAML 1.2 §3.2.1.1: keys are unique).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DuplicateKey {
    /// The key.
    pub key: String,
    /// The line where it is first given.
    pub first_line: usize,
    /// Where it is given again.
    pub location: Location,
}

impl Scalar {
    /// Whether this is YAML's null: nothing written, `~` or `null` (unquoted).
    pub fn is_null(&self) -> bool {
        self.quoting == Quoting::Plain
            && matches!(self.value.as_str(), "" | "~" | "null" | "Null" | "NULL")
    }
}

/// The value of a top-level key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// A single value.
    Scalar(Scalar),
    /// A list whose items are single values (nested items are left out).
    Sequence {
        /// The items that are single values.
        items: Vec<Scalar>,
        /// Where the list starts.
        location: Location,
    },
    /// A mapping or anything else sopctl does not interpret; kept as written.
    Other {
        /// Where it starts.
        location: Location,
    },
}

impl Value {
    /// Where the value starts.
    pub fn location(&self) -> Location {
        match self {
            Value::Scalar(s) => s.location,
            Value::Sequence { location, .. } | Value::Other { location } => *location,
        }
    }
}

/// One `key: value` line (or block) of the front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The key as written.
    pub key: String,
    /// Where the key starts.
    pub location: Location,
    /// Byte offset just after the end of the entry's last line (after its line ending).
    pub line_end: usize,
    /// The value.
    pub value: Value,
}

/// The front-matter block of a file, with every top-level entry and where it sits.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FrontMatter {
    /// Byte range of the YAML between the delimiter lines.
    pub yaml_range: Range<usize>,
    /// Byte offset where the closing delimiter line starts.
    pub close_start: usize,
    /// Line number of the closing delimiter.
    pub close_line: usize,
    /// The line ending of the opening delimiter: used for lines sopctl adds.
    pub line_ending: super::source::LineEnding,
    /// The top-level entries, in file order (duplicates included, so they can be reported).
    pub entries: Vec<Entry>,
    /// Keys given twice in one mapping, top-level or nested, in file order.
    pub duplicates: Vec<DuplicateKey>,
}

/// A file cut into front matter and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The front matter, if the file has one.
    pub front_matter: Option<FrontMatter>,
    /// Byte offset where the Markdown body starts.
    pub body_start: usize,
    /// Set when the file starts with a `---` block that is not a `key: value` mapping: it was
    /// kept as body text. Holds the line of the second `---`.
    pub not_front_matter: Option<usize>,
}

/// Front matter that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrontMatterError {
    /// The opening `---` has no closing `---`.
    #[error(
        "front matter opened on line {line} is not closed: add a line `---` after the last `key: value` line"
    )]
    Unclosed {
        /// The line of the opening `---`.
        line: usize,
    },
    /// A control character other than tab and line endings: YAML does not allow it (YAML 1.2
    /// §5.1, the printable set), and an editor usually does not show it.
    #[error(
        "the front matter holds {}, an invisible control character that YAML does not allow; delete it (retyping the line removes it)",
        control_name(*character)
    )]
    ControlCharacter {
        /// Where it is.
        location: Location,
        /// The character.
        character: char,
    },
    /// A second YAML document starts inside the block (a line `--- …` with more after it, or a
    /// document after a line `... …`): sopctl reads one.
    #[error(
        "line {} starts a second YAML document (a line that begins with `---` or `...`), which sopctl does not read; the front matter is one block of `key: value` lines: delete that line, or if the front matter ends there, leave `---` alone on it",
        location.line
    )]
    SecondDocument {
        /// Where the second document starts.
        location: Location,
    },
    /// The YAML is malformed.
    #[error("front matter is not valid YAML: {message}")]
    Yaml {
        /// Where the YAML parser stopped.
        location: Location,
        /// What it said, in plain words where we know them.
        message: String,
    },
}

impl FrontMatterError {
    /// Where in the file the problem is.
    pub fn location(&self) -> Location {
        match self {
            FrontMatterError::Unclosed { line } => Location {
                line: *line,
                column: 1,
            },
            FrontMatterError::Yaml { location, .. }
            | FrontMatterError::SecondDocument { location }
            | FrontMatterError::ControlCharacter { location, .. } => *location,
        }
    }
}

/// A control character in plain words: `a NUL character (U+0000)`.
fn control_name(c: char) -> String {
    let name = match c {
        '\0' => "a NUL character",
        '\u{8}' => "a backspace character",
        '\u{b}' => "a vertical tab",
        '\u{c}' => "a form feed",
        '\u{1b}' => "an escape character",
        '\u{7f}' => "a delete character",
        _ => "a control character",
    };
    format!("{name} (U+{:04X})", c as u32)
}

/// A line of the text: its byte range without the line ending, and the range with it.
struct Line {
    start: usize,
    content_end: usize,
    end: usize,
}

#[allow(
    clippy::indexing_slicing,
    reason = "`pos` is checked against `bytes.len()` before each read"
)]
fn lines(text: &str) -> impl Iterator<Item = Line> + '_ {
    let bytes = text.as_bytes();
    let mut pos = 0;
    std::iter::from_fn(move || {
        if pos >= bytes.len() {
            return None;
        }
        let start = pos;
        while pos < bytes.len() && bytes[pos] != b'\n' && bytes[pos] != b'\r' {
            pos += 1;
        }
        let content_end = pos;
        if pos < bytes.len() {
            if bytes[pos] == b'\r' && bytes.get(pos + 1) == Some(&b'\n') {
                pos += 2;
            } else {
                pos += 1;
            }
        }
        Some(Line {
            start,
            content_end,
            end: pos,
        })
    })
}

fn is_delimiter(line: &str, marks: &[&str]) -> bool {
    let trimmed = line.trim_end_matches([' ', '\t']);
    marks.contains(&trimmed)
}

/// Cuts `source` into front matter and body (rules in the module docs).
///
/// # Errors
/// [`FrontMatterError::Unclosed`] when the opening `---` has no closing line;
/// [`FrontMatterError::Yaml`] when the block is not valid YAML (a tab used for indentation, an
/// unclosed quote, …), located in the file.
pub fn split(source: &SourceText) -> Result<Split, FrontMatterError> {
    let text = source.text();
    let mut iter = lines(text).enumerate();
    let Some((_, first)) = iter.next() else {
        return Ok(Split {
            front_matter: None,
            body_start: 0,
            not_front_matter: None,
        });
    };
    if !is_delimiter(&text[first.start..first.content_end], &["---"]) {
        return Ok(Split {
            front_matter: None,
            body_start: 0,
            not_front_matter: None,
        });
    }
    let line_ending = match &text[first.content_end..first.end] {
        "\r\n" => super::source::LineEnding::CrLf,
        "\r" => super::source::LineEnding::Cr,
        _ => super::source::LineEnding::Lf,
    };
    let yaml_start = first.end;
    let Some((index, close)) =
        iter.find(|(_, line)| is_delimiter(&text[line.start..line.content_end], &["---", "..."]))
    else {
        return Err(FrontMatterError::Unclosed { line: 1 });
    };
    let close_line = index + 1;
    // `...` ends a YAML document, but a block that goes on with `key: value` lines up to a
    // `---` line was meant to end there: those lines would be lost without a word.
    if is_delimiter(&text[close.start..close.content_end], &["..."]) {
        let more_keys = lines(text)
            .skip(close_line)
            .map(|l| &text[l.start..l.content_end])
            .take_while(|l| !is_delimiter(l, &["---"]))
            .all(|l| {
                l.split_once(':')
                    .is_some_and(|(k, _)| !k.trim().is_empty() && !k.contains(' '))
            });
        let closes_later = lines(text)
            .skip(close_line)
            .map(|l| &text[l.start..l.content_end])
            .find(|l| is_delimiter(l, &["---"]) || l.trim().is_empty())
            .is_some_and(|l| is_delimiter(l, &["---"]));
        if more_keys && closes_later {
            return Err(FrontMatterError::SecondDocument {
                location: Location {
                    line: close_line,
                    column: 1,
                },
            });
        }
    }
    let yaml_range = yaml_start..close.start;
    if let Some((at, character)) = text[yaml_range.clone()]
        .char_indices()
        .find(|(_, c)| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
    {
        return Err(FrontMatterError::ControlCharacter {
            location: location_in(text, yaml_start + at),
            character,
        });
    }
    match read_entries(text, yaml_range.clone())? {
        Some((entries, duplicates)) => Ok(Split {
            front_matter: Some(FrontMatter {
                yaml_range,
                close_start: close.start,
                close_line,
                line_ending,
                entries,
                duplicates,
            }),
            body_start: close.end,
            not_front_matter: None,
        }),
        None => Ok(Split {
            front_matter: None,
            body_start: 0,
            not_front_matter: Some(close_line),
        }),
    }
}

/// Maps character indices of a slice (what saphyr's markers count) to byte offsets in the file.
struct CharOffsets {
    base: usize,
    offsets: Vec<usize>,
}

impl CharOffsets {
    fn new(text: &str, range: &Range<usize>) -> Self {
        let slice = &text[range.clone()];
        let mut offsets: Vec<usize> = slice.char_indices().map(|(i, _)| i).collect();
        offsets.push(slice.len());
        CharOffsets {
            base: range.start,
            offsets,
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        self.base
            + self
                .offsets
                .get(char_index)
                .copied()
                .unwrap_or_else(|| *self.offsets.last().unwrap_or(&0))
    }
}

/// An in-place edit that cannot be made (see [`FrontMatter::rewritable`]).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The value is a list or a mapping, which sopctl does not rewrite.
    #[error("`{key}` on line {line} is not a single value; write it as `{key}: value`")]
    NotASingleValue {
        /// The key.
        key: String,
        /// Its line.
        line: usize,
    },
    /// The value carries an anchor (`&issued`): rewriting it would change every alias that
    /// repeats it, and dropping the anchor would leave those aliases without a value.
    #[error("{}", rewrite::anchored(key, value, anchor, aliases, *more))]
    Anchored {
        /// The key.
        key: String,
        /// Where the value (its anchor) is written.
        location: Location,
        /// The value.
        value: String,
        /// The anchor's name.
        anchor: String,
        /// The lines of the first aliases that repeat it (at most five), each with the
        /// top-level key that is written as the alias, if one is.
        aliases: Vec<(usize, Option<String>)>,
        /// How many more aliases repeat it.
        more: usize,
    },
    /// The value is an alias (`*issued`): writing a value there would not be an edit of it.
    #[error("{}", rewrite::alias(key, value, anchor, *anchor_line))]
    Alias {
        /// The key.
        key: String,
        /// Where the alias is written.
        location: Location,
        /// The value it repeats.
        value: String,
        /// The anchor's name.
        anchor: String,
        /// The line of the anchored value.
        anchor_line: usize,
    },
    /// The value is a block over several lines (`|` or `>`).
    #[error("{}", rewrite::block(key, value))]
    Block {
        /// The key.
        key: String,
        /// Where the block starts.
        location: Location,
        /// The value.
        value: String,
    },
}

impl EditError {
    /// Where in the file the value is.
    pub fn location(&self) -> Location {
        match self {
            EditError::NotASingleValue { line, .. } => Location {
                line: *line,
                column: 1,
            },
            EditError::Anchored { location, .. }
            | EditError::Alias { location, .. }
            | EditError::Block { location, .. } => *location,
        }
    }
}

impl FrontMatter {
    /// The first entry with this key.
    pub fn get(&self, key: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.key == key)
    }

    /// Sets `key` to `value` with every other byte of the file unchanged (SPEC §1).
    ///
    /// - An existing single value is replaced where it stands, written in the same quoting
    ///   (`version: "1.4"` becomes `version: "1.5.0"`); comments after it stay.
    /// - An empty value (`effective:`) gets the value after the colon.
    /// - A missing key is added as a new line `key: value` right after the entry `after` when
    ///   that exists, else just before the closing `---`; the new line uses the line ending of
    ///   the opening delimiter.
    ///
    /// `value` must be a plain YAML scalar (a version or a date); it is not escaped.
    ///
    /// # Errors
    /// As [`FrontMatter::rewritable`]: the key holds a list, a mapping, a block scalar, an
    /// anchored value or an alias.
    pub fn set_value(
        &self,
        source: &SourceText,
        key: &str,
        value: &str,
        after: Option<&str>,
    ) -> Result<SourceText, EditError> {
        self.rewritable(key)?;
        match self.get(key) {
            Some(entry) => match &entry.value {
                Value::Scalar(s) => {
                    if s.is_null() && s.range.is_empty() {
                        // `key:` with nothing after it: put the value after the colon.
                        let text = source.text();
                        let line_start = entry_line_start(text, entry, self);
                        let colon = text[line_start..entry.line_end]
                            .find(':')
                            .map_or(entry.line_end, |i| line_start + i + 1);
                        return Ok(source.spliced(colon..colon, &format!(" {value}")));
                    }
                    let written = match s.quoting {
                        Quoting::Single => format!("'{value}'"),
                        Quoting::Double => format!("\"{value}\""),
                        _ => value.to_string(),
                    };
                    Ok(source.spliced(s.range.clone(), &written))
                }
                Value::Sequence { .. } | Value::Other { .. } => Err(EditError::NotASingleValue {
                    key: key.to_string(),
                    line: entry.location.line,
                }),
            },
            None => {
                let eol = self.line_ending.as_str();
                let at = after
                    .and_then(|k| self.get(k))
                    .map_or(self.close_start, |e| e.line_end);
                let text = source.text();
                // If the line before the insertion point has no line ending (cannot happen
                // before a delimiter line, but guard anyway), start with one.
                let needs_eol = at > 0 && !text[..at].ends_with(['\n', '\r']);
                let line = if needs_eol {
                    format!("{eol}{key}: {value}{eol}")
                } else {
                    format!("{key}: {value}{eol}")
                };
                Ok(source.spliced(at..at, &line))
            }
        }
    }
}

fn entry_line_start(text: &str, entry: &Entry, fm: &FrontMatter) -> usize {
    // The key's line: walk back from the start of the YAML to find the line numbered like the key.
    let mut start = fm.yaml_range.start;
    let mut locator = Locator::new(text);
    for line in lines(&text[..fm.yaml_range.end]) {
        if line.start < fm.yaml_range.start {
            continue;
        }
        if locator.locate(line.start).line == entry.location.line {
            start = line.start;
            break;
        }
    }
    start
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tab_is_reported_where_it_is() {
        let source = SourceText::from_bytes(
            std::path::Path::new("t.md"),
            b"---\nid: SOP-1\n\ttitle: x\nowner: QA\n---\n".to_vec(),
        )
        .expect("utf-8");
        let err = split(&source).expect_err("a tab");
        assert_eq!(err.location(), Location { line: 3, column: 1 });
        assert_eq!(
            err.to_string(),
            "front matter is not valid YAML: a tab is used for indentation; YAML allows only spaces there"
        );
    }
    use std::path::Path;

    fn src(text: &str) -> SourceText {
        SourceText::from_bytes(Path::new("t.md"), text.as_bytes().to_vec()).expect("utf-8")
    }

    fn fm(text: &str) -> FrontMatter {
        split(&src(text))
            .expect("valid")
            .front_matter
            .expect("front matter")
    }

    fn scalar<'a>(fm: &'a FrontMatter, key: &str) -> &'a Scalar {
        match &fm.get(key).expect(key).value {
            Value::Scalar(s) => s,
            other => panic!("{key} is {other:?}"),
        }
    }

    #[test]
    fn values_are_kept_as_written() {
        let f = fm(
            "---\nversion: 1.10\nid: 0012\neffective: 2025-11-08\ntitle: \"Hand: hygiene\"\n---\nBody\n",
        );
        assert_eq!(scalar(&f, "version").value, "1.10");
        assert_eq!(scalar(&f, "id").value, "0012");
        assert_eq!(scalar(&f, "effective").value, "2025-11-08");
        assert_eq!(scalar(&f, "title").value, "Hand: hygiene");
        assert_eq!(scalar(&f, "title").quoting, Quoting::Double);
        assert_eq!(
            scalar(&f, "version").location,
            Location {
                line: 2,
                column: 10
            }
        );
    }

    #[test]
    fn set_value_replaces_only_the_value_keeping_quotes_comments_and_crlf() {
        let text = "\u{FEFF}---\r\nid: SOP-1 # the ID\r\nversion: \"1.4\"  # managed\r\nowner: QA\r\n---\r\n\r\nBody\r\n";
        let s = src(text);
        let f = split(&s).expect("valid").front_matter.expect("fm");
        let out = f.set_value(&s, "version", "1.5.0", None).expect("edit");
        assert_eq!(
            String::from_utf8(out.to_bytes()).expect("utf-8"),
            text.replace("\"1.4\"", "\"1.5.0\"")
        );
    }

    #[test]
    fn set_value_on_plain_and_single_quoted_values() {
        let s = src("---\nversion: 1.0\neffective: '2025-11-08'\n---\n");
        let f = split(&s).expect("valid").front_matter.expect("fm");
        let out = f.set_value(&s, "version", "1.1.0", None).expect("edit");
        assert_eq!(
            out.text(),
            "---\nversion: 1.1.0\neffective: '2025-11-08'\n---\n"
        );
        let out = f
            .set_value(&s, "effective", "2026-02-01", None)
            .expect("edit");
        assert_eq!(
            out.text(),
            "---\nversion: 1.0\neffective: '2026-02-01'\n---\n"
        );
    }

    #[test]
    fn set_value_adds_a_missing_key_after_its_neighbour_with_the_files_line_ending() {
        let s = src("---\r\nid: A\r\nversion: 1.0\r\nowner: QA\r\n---\r\nBody\r\n");
        let f = split(&s).expect("valid").front_matter.expect("fm");
        let out = f
            .set_value(&s, "effective", "2026-02-01", Some("version"))
            .expect("edit");
        assert_eq!(
            out.text(),
            "---\r\nid: A\r\nversion: 1.0\r\neffective: 2026-02-01\r\nowner: QA\r\n---\r\nBody\r\n"
        );
        let out = f
            .set_value(&s, "effective", "2026-02-01", Some("missing"))
            .expect("edit");
        assert_eq!(
            out.text(),
            "---\r\nid: A\r\nversion: 1.0\r\nowner: QA\r\neffective: 2026-02-01\r\n---\r\nBody\r\n"
        );
    }

    #[test]
    fn set_value_fills_an_empty_value() {
        let s = src("---\nid: A\neffective:\nowner: QA\n---\n");
        let f = split(&s).expect("valid").front_matter.expect("fm");
        let out = f
            .set_value(&s, "effective", "2026-02-01", None)
            .expect("edit");
        assert_eq!(
            out.text(),
            "---\nid: A\neffective: 2026-02-01\nowner: QA\n---\n"
        );
    }

    #[test]
    fn set_value_refuses_a_list() {
        let s = src("---\nversion:\n  - 1\n---\n");
        let f = split(&s).expect("valid").front_matter.expect("fm");
        assert_eq!(
            f.set_value(&s, "version", "1.1.0", None),
            Err(EditError::NotASingleValue {
                key: "version".into(),
                line: 2
            })
        );
    }

    #[test]
    fn lists_are_read_item_by_item() {
        let f = fm("---\napprovers:\n  - QA Manager\n  - \"Head of Ops\"\nother: {a: 1}\n---\n");
        match &f.get("approvers").expect("approvers").value {
            Value::Sequence { items, .. } => {
                let names: Vec<&str> = items.iter().map(|s| s.value.as_str()).collect();
                assert_eq!(names, ["QA Manager", "Head of Ops"]);
            }
            other => panic!("{other:?}"),
        }
        assert!(matches!(
            f.get("other").expect("other").value,
            Value::Other { .. }
        ));
    }

    // See: cases/README.md B33 — anchors, aliases and a folded title.
    #[test]
    fn values_are_read_through_anchors_and_aliases() {
        let f = fm(
            "---\nowner: &owner Quality Unit\nteam: &team [QA, Ops]\neffective: &issued 2025-01-10\nfirst_issued: *issued\nreviewed_by: *owner\napprovers: *team\nversion: !!str &v \"1.0\" # kept\n---\n",
        );
        let first = scalar(&f, "first_issued");
        assert_eq!(first.value, "2025-01-10");
        assert_eq!(
            first.alias,
            Some(Alias {
                name: "issued".into(),
                anchor: Location {
                    line: 4,
                    column: 12
                }
            })
        );
        assert_eq!(scalar(&f, "reviewed_by").value, "Quality Unit");
        assert_eq!(
            scalar(&f, "owner").anchor,
            Some(Anchor {
                name: "owner".into(),
                aliases: vec![Location {
                    line: 6,
                    column: 14
                }]
            })
        );
        match &f.get("approvers").expect("approvers").value {
            Value::Sequence { items, .. } => {
                let names: Vec<&str> = items.iter().map(|s| s.value.as_str()).collect();
                assert_eq!(names, ["QA", "Ops"]);
            }
            other => panic!("{other:?}"),
        }
        // The value's own text starts after its tag and anchor.
        let version = scalar(&f, "version");
        assert_eq!(version.value, "1.0");
        assert_eq!(
            version.location,
            Location {
                line: 8,
                column: 10
            }
        );
        assert_eq!(version.anchor.as_ref().map(|a| a.name.as_str()), Some("v"));
        let s = src("---\nversion: !!str \"1.0\" # kept\n---\n");
        let f = split(&s).expect("valid").front_matter.expect("fm");
        let out = f.set_value(&s, "version", "1.1.0", None).expect("edit");
        assert_eq!(out.text(), "---\nversion: !!str \"1.1.0\" # kept\n---\n");
    }

    #[test]
    fn set_value_refuses_anchors_aliases_and_blocks_saying_what_to_write() {
        let s = src(
            "---\neffective: &issued 2025-01-10\nfirst_issued: *issued\nstatus: *issued\nversion: >-\n  1.0\nsuperseded_by: &next SOP-2\n---\n",
        );
        let f = split(&s).expect("valid").front_matter.expect("fm");
        let refusal = |key: &str| {
            let e = f.set_value(&s, key, "x", None).expect_err(key);
            (e.location(), e.to_string())
        };
        for (key, location, message) in [
            (
                "effective",
                (2, 12),
                "`effective` carries the YAML anchor `&issued`, which lines 3 and 4 repeat as `*issued`; sopctl rewrites `effective` on every release, and lines 3 and 4 would change with it: write the value itself in each place, `effective: 2025-01-10` here, `first_issued: 2025-01-10` on line 3 and `status: 2025-01-10` on line 4",
            ),
            (
                "status",
                (4, 9),
                "`status` is written as `*issued`, which repeats the value anchored on line 2; sopctl rewrites `status` on release and retirement: write the value itself, `status: 2025-01-10`",
            ),
            (
                "version",
                (5, 1),
                "`version` is written as a block over several lines (after `|` or `>`); sopctl rewrites `version` on every release: write it on one line, `version: 1.0`",
            ),
            (
                "superseded_by",
                (7, 16),
                "`superseded_by` carries the YAML anchor `&next`, which sopctl cannot keep when it rewrites `superseded_by` (when the SOP is retired); write `superseded_by: SOP-2` without the anchor",
            ),
        ] {
            let (line, column) = location;
            assert_eq!(
                refusal(key),
                (Location { line, column }, message.to_string()),
                "{key}"
            );
        }
    }

    #[test]
    fn many_aliases_are_named_in_part_and_copy_no_more_than_the_text_holds() {
        let mut yaml = format!("effective: &d {}\n", "2".repeat(1000));
        for i in 0..2000 {
            yaml.push_str(&format!("k{i}: *d\n"));
        }
        let f = fm(&format!("---\n{yaml}---\n"));
        let copied = f
            .entries
            .iter()
            .filter(|e| matches!(&e.value, Value::Scalar(s) if s.alias.is_some()))
            .count();
        // 2000 copies of 1000 bytes would be 2 MB; the YAML is 19 kB.
        assert_eq!(copied, 19);
        let e = f.rewritable("effective").expect_err("anchored");
        assert!(
            e.to_string().contains(
                "which lines 3, 4, 5, 6, 7 and 1995 more repeat as `*d`; sopctl rewrites `effective` on every release, and lines 3, 4, 5, 6, 7 and 1995 more would change with it: write the value itself in each place, `effective: …` here, `k0: …` on line 3"
            ),
            "{e}"
        );
    }

    #[test]
    fn a_second_yaml_document_is_an_error_where_it_starts() {
        for (yaml, line) in [
            ("id: A\n--- # more\nowner: QA\n", 3),
            ("id: A\n... # end\nowner: QA\n", 3),
            // A bare `...` closes the block, but `key: value` lines up to a `---` were meant
            // to belong to it (fresh-user trial: "the front matter has no owner").
            ("id: A\n...\nowner: QA\n", 3),
        ] {
            let err = split(&src(&format!("---\n{yaml}---\nBody\n"))).expect_err(yaml);
            assert_eq!(err.location(), Location { line, column: 1 });
            assert_eq!(
                err.to_string(),
                format!(
                    "line {line} starts a second YAML document (a line that begins with `---` or `...`), which sopctl does not read; the front matter is one block of `key: value` lines: delete that line, or if the front matter ends there, leave `---` alone on it"
                )
            );
        }
        // A document end with nothing after it is the end of the one document, and `...`
        // before the body is the end of the front matter.
        assert!(split(&src("---\nid: A\n... # end\n---\n")).is_ok());
        assert!(split(&src("---\nid: A\n...\n\n## Purpose\n\nText: more\n\n---\n")).is_ok());
    }

    #[test]
    fn an_escape_yaml_does_not_know_is_named_where_it_is() {
        for (value, column, escape) in [
            ("\"\\<Software Title\\>\"", 9, "`\\<`"),
            ("\"Temp \\n ok, \\x4 not\"", 21, "`\\x4`"),
        ] {
            let err = split(&src(&format!("---\nid: A\ntitle: {value}\n---\n"))).expect_err(value);
            assert_eq!(err.location(), Location { line: 3, column });
            assert!(
                err.to_string().starts_with(&format!(
                    "front matter is not valid YAML: {escape} is not a YAML escape"
                )),
                "{err}"
            );
        }
        let err = split(&src("---\ntitle: \"\\<Software Title\\>\"\n---\n")).expect_err("escape");
        assert_eq!(
            err.to_string(),
            "front matter is not valid YAML: `\\<` is not a YAML escape (between double quotes a backslash starts one, such as `\\\"` or `\\n`); drop the backslash, or put the value in single quotes, which keep every character as written"
        );
    }

    #[test]
    fn no_front_matter_when_the_file_does_not_start_with_a_delimiter() {
        let s = src("# Title\n---\nid: A\n---\n");
        let split = split(&s).expect("valid");
        assert_eq!(split.front_matter, None);
        assert_eq!(split.body_start, 0);
    }
}
