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

use std::ops::Range;

use saphyr_parser::{Event, Parser, ScalarStyle};

use super::source::{Location, Locator, SourceText, location_in};

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
    /// Where the value starts.
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
        Some(entries) => Ok(Split {
            front_matter: Some(FrontMatter {
                yaml_range,
                close_start: close.start,
                close_line,
                line_ending,
                entries,
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

/// Reads the top-level mapping. `Ok(None)` when the YAML is not a mapping (not front matter).
fn read_entries(text: &str, range: Range<usize>) -> Result<Option<Vec<Entry>>, FrontMatterError> {
    let yaml = &text[range.clone()];
    let offsets = CharOffsets::new(text, &range);
    // Values are located in file order: one locator reads the text once for all of them.
    let locator = std::cell::RefCell::new(Locator::new(text));
    let locate = |char_index: usize| locator.borrow_mut().locate(offsets.byte(char_index));
    let yaml_error = |err: saphyr_parser::ScanError| {
        let reported = offsets.byte(err.marker().index());
        // The reader may stop a line early on a tab: point at the tab itself.
        let at = if err.info().contains("tab") {
            first_indenting_tab(text, reported, range.end).unwrap_or(reported)
        } else {
            reported
        };
        FrontMatterError::Yaml {
            location: location_in(text, at),
            message: plain_yaml_message(err.info()),
        }
    };

    let mut events = Vec::new();
    for item in Parser::new_from_str(yaml) {
        events.push(item.map_err(yaml_error)?);
    }
    let mut iter = events.into_iter().peekable();
    // Skip to the first node of the first document.
    let mut root = None;
    for (event, span) in iter.by_ref() {
        match event {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => continue,
            Event::StreamEnd | Event::DocumentEnd => break,
            other => {
                root = Some((other, span));
                break;
            }
        }
    }
    let Some((root, _)) = root else {
        // An empty block: a mapping with no entries.
        return Ok(Some(Vec::new()));
    };
    if !matches!(root, Event::MappingStart(..)) {
        return Ok(None);
    }

    let mut entries: Vec<Entry> = Vec::new();
    while let Some((event, span)) = iter.next() {
        let (key, key_span) = match event {
            Event::MappingEnd => break,
            Event::Scalar(key, ..) => (key.into_owned(), span),
            // A complex key (a list or mapping as key): skip the key and its value.
            Event::SequenceStart(..) | Event::MappingStart(..) => {
                skip_node(&mut iter);
                skip_value(&mut iter);
                continue;
            }
            _ => {
                skip_value(&mut iter);
                continue;
            }
        };
        let Some((event, span)) = iter.next() else {
            break;
        };
        let scalar = |value: String, style: ScalarStyle, span: saphyr_parser::Span| {
            let start = offsets.byte(span.start.index());
            let end = written_end(
                text,
                start,
                offsets.byte(span.end.index()).max(start),
                style,
            );
            Scalar {
                value,
                quoting: match style {
                    ScalarStyle::SingleQuoted => Quoting::Single,
                    ScalarStyle::DoubleQuoted => Quoting::Double,
                    ScalarStyle::Literal | ScalarStyle::Folded => Quoting::Block,
                    _ => Quoting::Plain,
                },
                range: start..end,
                location: locator.borrow_mut().locate(start),
            }
        };
        let (value, value_end) = match event {
            Event::Scalar(value, style, ..) => (
                Value::Scalar(scalar(value.into_owned(), style, span)),
                span.end.index(),
            ),
            Event::SequenceStart(..) => {
                let location = locate(span.start.index());
                let mut items = Vec::new();
                let mut end = span.end.index();
                loop {
                    match iter.next() {
                        Some((Event::SequenceEnd, s)) => {
                            end = end.max(s.end.index());
                            break;
                        }
                        Some((Event::Scalar(v, style, ..), s)) => {
                            end = end.max(s.end.index());
                            items.push(scalar(v.into_owned(), style, s));
                        }
                        Some((Event::SequenceStart(..) | Event::MappingStart(..), _)) => {
                            end = end.max(skip_node(&mut iter));
                        }
                        Some((_, s)) => end = end.max(s.end.index()),
                        None => break,
                    }
                }
                (Value::Sequence { items, location }, end)
            }
            Event::MappingStart(..) => {
                let location = locate(span.start.index());
                let end = skip_node(&mut iter);
                (Value::Other { location }, end)
            }
            _ => (
                Value::Other {
                    location: locate(span.start.index()),
                },
                span.end.index(),
            ),
        };
        let line_end = end_of_line(
            text,
            offsets
                .byte(value_end)
                .max(offsets.byte(key_span.end.index())),
            range.end,
        );
        entries.push(Entry {
            key,
            location: locate(key_span.start.index()),
            line_end,
            value,
        });
    }
    Ok(Some(entries))
}

/// The end of a scalar as written. saphyr's span may run on over trailing white space and a
/// comment; the value ends at the closing quote, or for a plain scalar before ` #` and
/// trailing white space.
#[allow(
    clippy::indexing_slicing,
    reason = "`i` is checked against the length before each read"
)]
fn written_end(text: &str, start: usize, span_end: usize, style: ScalarStyle) -> usize {
    let written = &text[start..span_end];
    let bytes = written.as_bytes();
    match style {
        ScalarStyle::DoubleQuoted => {
            let mut i = 1;
            while i < bytes.len() {
                match bytes[i] {
                    b'\\' => i += 2,
                    b'"' => return start + i + 1,
                    _ => i += 1,
                }
            }
            span_end
        }
        ScalarStyle::SingleQuoted => {
            let mut i = 1;
            while i < bytes.len() {
                if bytes[i] == b'\'' {
                    if bytes.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return start + i + 1;
                }
                i += 1;
            }
            span_end
        }
        ScalarStyle::Plain => {
            let cut = [" #", "\t#"]
                .iter()
                .filter_map(|m| written.find(m))
                .min()
                .unwrap_or(written.len());
            start + written[..cut].trim_end().len()
        }
        _ => span_end,
    }
}

/// Skips the rest of a node whose start event was already taken; returns the end char index.
fn skip_node<'a>(iter: &mut impl Iterator<Item = (Event<'a>, saphyr_parser::Span)>) -> usize {
    let mut depth = 1usize;
    let mut end = 0;
    for (event, span) in iter.by_ref() {
        end = span.end.index();
        match event {
            Event::SequenceStart(..) | Event::MappingStart(..) => depth += 1,
            Event::SequenceEnd | Event::MappingEnd => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
            }
            _ => {}
        }
    }
    end
}

/// Skips one whole value node.
fn skip_value<'a>(iter: &mut impl Iterator<Item = (Event<'a>, saphyr_parser::Span)>) {
    if let Some((Event::SequenceStart(..) | Event::MappingStart(..), _)) = iter.next() {
        skip_node(iter);
    }
}

/// The offset after the line ending of the line that holds `offset` (bounded by `limit`).
#[allow(
    clippy::indexing_slicing,
    reason = "`pos` is checked against `limit` (at most the length) before each read"
)]
fn end_of_line(text: &str, offset: usize, limit: usize) -> usize {
    let bytes = text.as_bytes();
    let mut pos = offset.min(limit);
    // A nested value's span ends where the next key starts: at the start of a line, which is
    // then the end of this entry (else an edit would land inside the next entry).
    if pos > 0 && matches!(bytes[pos - 1], b'\n' | b'\r') {
        if bytes[pos - 1] == b'\r' && pos < limit && bytes[pos] == b'\n' {
            pos += 1;
        }
        return pos;
    }
    // A value's span may end right at the line ending; step onto the line's end if so.
    while pos < limit && bytes[pos] != b'\n' && bytes[pos] != b'\r' {
        pos += 1;
    }
    if pos < limit && bytes[pos] == b'\r' {
        pos += 1;
    }
    if pos < limit && bytes[pos] == b'\n' {
        pos += 1;
    }
    pos
}

/// The offset of the first tab in the leading white space of a line, from the line holding
/// `from` up to `end`.
fn first_indenting_tab(text: &str, from: usize, end: usize) -> Option<usize> {
    let start = text.get(..from)?.rfind('\n').map_or(0, |i| i + 1);
    let mut offset = start;
    for line in text.get(start..end)?.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(tab) = line.get(..indent).and_then(|lead| lead.find('\t')) {
            return Some(offset + tab);
        }
        offset += line.len();
    }
    None
}

/// saphyr's messages in a document owner's words where we know a better one.
fn plain_yaml_message(info: &str) -> String {
    if info.contains("tab") {
        "a tab is used for indentation; YAML allows only spaces there".to_string()
    } else if info.contains("mapping values are not allowed") {
        "a value that contains a colon and a space must be in quotes, e.g. title: \"Cleaning: the mixer\"".to_string()
    } else if info.contains("illegal placement of ':'")
        || info.contains("flow sequence")
        || info.contains("',' or ']'")
    {
        "a value that starts with `[` is read as a list, and this one is not closed with `]`; put the value in quotes, e.g. title: \"[Draft] Cleaning\"".to_string()
    } else if info.contains("flow mapping") || info.contains("',' or '}'") {
        "a value that starts with `{` is read as a group of keys, and this one is not closed with `}`; put the value in quotes".to_string()
    } else if info.contains("quoted scalar") {
        "a quoted value is not closed: end it with the same quote mark it starts with".to_string()
    } else if let Some(c) = info
        .strip_prefix("unexpected character: `")
        .and_then(|rest| rest.chars().next())
    {
        format!("a value that starts with `{c}` must be in quotes, e.g. title: \"{c}…\"")
    } else if info.contains("unknown anchor") {
        "a value that starts with `*` must be in quotes (YAML reads it as a reference)".to_string()
    } else if info.contains("':' must be followed by") {
        "put a space after the colon (a tab does not count), e.g. title: Cleaning".to_string()
    } else if info.contains("did not find expected key") {
        "this value cannot be read as written (it starts with a sign YAML gives a meaning, such as `[`, `{`, `&`, `!` or a quote); put the whole value in quotes, e.g. title: \"[Draft] Cleaning\"".to_string()
    } else if info.contains("expect ':'") || info.contains("expected ':'") {
        "this line is neither `key: value` nor part of the value above it: check for a missing colon, or put the value in quotes".to_string()
    } else {
        format!("{info} (putting the value in quotes usually helps)")
    }
}

/// An in-place edit that cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    /// The value is a block scalar or a list, which sopctl does not rewrite.
    #[error("`{key}` on line {line} is not a single value; write it as `{key}: value`")]
    NotASingleValue {
        /// The key.
        key: String,
        /// Its line.
        line: usize,
    },
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
    /// [`EditError::NotASingleValue`] when the key holds a list, a mapping or a block scalar.
    pub fn set_value(
        &self,
        source: &SourceText,
        key: &str,
        value: &str,
        after: Option<&str>,
    ) -> Result<SourceText, EditError> {
        match self.get(key) {
            Some(entry) => match &entry.value {
                Value::Scalar(s) if s.quoting != Quoting::Block => {
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
                _ => Err(EditError::NotASingleValue {
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

    #[test]
    fn no_front_matter_when_the_file_does_not_start_with_a_delimiter() {
        let s = src("# Title\n---\nid: A\n---\n");
        let split = split(&s).expect("valid");
        assert_eq!(split.front_matter, None);
        assert_eq!(split.body_start, 0);
    }
}
