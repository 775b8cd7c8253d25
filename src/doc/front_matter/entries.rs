//! The top-level entries of the front matter, each with where it sits and how it is written.
//!
//! Takes the YAML between the delimiter lines; returns one [`Entry`] per top-level key (in
//! file order, duplicates included) and the keys given twice at any depth, or `None` when the
//! YAML is not a mapping (the block is then not front matter). Values are read through
//! anchors and aliases: `first_issued: *issued` reads the value that `&issued` marks, and
//! each value records the anchor it carries or the alias it is written as, so that edits can
//! refuse them (see [`super::FrontMatter::rewritable`]).

use std::collections::HashMap;
use std::ops::Range;

use saphyr_parser::{Event, ScalarStyle, Span};

use super::events::{self, content_offset};
use super::messages::yaml_error;
use super::{
    Alias, Anchor, CharOffsets, DuplicateKey, Entry, FrontMatterError, Quoting, Scalar, Value,
};
use crate::doc::source::{Location, Locator};

/// The entries and the keys given twice.
type Read = (Vec<Entry>, Vec<DuplicateKey>);

/// Reads the top-level mapping. `Ok(None)` when the YAML is not a mapping (not front matter).
///
/// # Errors
/// [`FrontMatterError::Yaml`] for malformed YAML, [`FrontMatterError::SecondDocument`] when a
/// second YAML document follows the mapping.
pub(super) fn read_entries(
    text: &str,
    range: Range<usize>,
) -> Result<Option<Read>, FrontMatterError> {
    let yaml = text.get(range.clone()).unwrap_or_default();
    let offsets = CharOffsets::new(text, &range);
    let doc = events::read(yaml, |i| {
        text.get(offsets.byte(i)..range.end).unwrap_or_default()
    })
    .map_err(|err| yaml_error(text, &range, &offsets, &err))?;
    let mut reader = Reader {
        text,
        end: range.end,
        offsets: &offsets,
        // Only the front matter is located: a long body need not be read for its lines.
        locator: Locator::new(
            text.get(range.end..)
                .and_then(|rest| rest.find('\n'))
                .and_then(|eol| text.get(..range.end + eol + 1))
                .unwrap_or(text),
        ),
        anchors: &doc.anchors,
        sequences: HashMap::new(),
        budget: yaml.len(),
    };
    let mut iter = doc.events.iter().cloned();
    // Skip to the first node of the first document.
    let mut root = None;
    for (event, _) in iter.by_ref() {
        match event {
            Event::StreamStart | Event::DocumentStart(_) | Event::Nothing => continue,
            Event::StreamEnd | Event::DocumentEnd => break,
            other => {
                root = Some(other);
                break;
            }
        }
    }
    let Some(root) = root else {
        // An empty block: a mapping with no entries.
        return Ok(Some((Vec::new(), Vec::new())));
    };
    if !matches!(root, Event::MappingStart(..)) {
        return Ok(None);
    }
    if let Some(second) = doc.second {
        return Err(FrontMatterError::SecondDocument {
            location: reader.locate(second),
        });
    }
    let entries = reader.entries(&mut iter);
    let duplicates = doc
        .duplicates
        .iter()
        .map(|d| DuplicateKey {
            key: d.key.clone(),
            first_line: reader.locate(d.first).line,
            location: reader.locate(d.again),
        })
        .collect();
    Ok(Some((entries, duplicates)))
}

/// Reads entries, locating values in the file.
struct Reader<'t> {
    text: &'t str,
    /// Where the YAML ends in the file.
    end: usize,
    offsets: &'t CharOffsets,
    /// Values are located mostly in file order: one locator reads the text once for all.
    locator: Locator<'t>,
    anchors: &'t HashMap<usize, events::Anchor>,
    /// The items of anchored top-level lists, for aliases to them.
    sequences: HashMap<usize, Vec<Scalar>>,
    /// Bytes that aliases may still copy: as many as the YAML has, so that aliases repeating
    /// a long value many times (a "billion laughs") cost no more than reading the text again.
    budget: usize,
}

impl Reader<'_> {
    fn locate(&mut self, char_index: usize) -> Location {
        self.locator.locate(self.offsets.byte(char_index))
    }

    /// The entries of the root mapping, whose start event was taken.
    fn entries<'a>(&mut self, iter: &mut impl Iterator<Item = (Event<'a>, Span)>) -> Vec<Entry> {
        let mut entries: Vec<Entry> = Vec::new();
        while let Some((event, key_span)) = iter.next() {
            let key = match event {
                Event::MappingEnd => break,
                Event::Scalar(key, ..) => key.into_owned(),
                // A complex key (a list or mapping as key): skip the key and its value.
                Event::SequenceStart(..) | Event::MappingStart(..) => {
                    skip_node(iter);
                    skip_value(iter);
                    continue;
                }
                _ => {
                    skip_value(iter);
                    continue;
                }
            };
            let Some((event, span)) = iter.next() else {
                break;
            };
            let (value, value_end) = self.value(event, span, iter);
            let line_end = end_of_line(
                self.text,
                self.offsets
                    .byte(value_end)
                    .max(self.offsets.byte(key_span.end.index())),
                self.end,
            );
            entries.push(Entry {
                key,
                location: self.locate(key_span.start.index()),
                line_end,
                value,
            });
        }
        entries
    }

    /// A top-level value whose first event is `event`, and the character index where it ends.
    fn value<'a>(
        &mut self,
        event: Event<'a>,
        span: Span,
        iter: &mut impl Iterator<Item = (Event<'a>, Span)>,
    ) -> (Value, usize) {
        match event {
            Event::Scalar(value, style, anchor, tag) => (
                Value::Scalar(self.scalar(value.into_owned(), style, anchor, tag.is_some(), span)),
                span.end.index(),
            ),
            Event::Alias(id) => (self.alias(id, span), span.end.index()),
            Event::SequenceStart(anchor, _) => {
                let location = self.locate(span.start.index());
                let (items, end) = self.items(iter, span.end.index());
                if anchor > 0 {
                    // A repetition carries no anchor of its own.
                    let repeated = items
                        .iter()
                        .map(|item| Scalar {
                            anchor: None,
                            ..item.clone()
                        })
                        .collect();
                    self.sequences.insert(anchor, repeated);
                }
                (Value::Sequence { items, location }, end)
            }
            Event::MappingStart(..) => {
                let location = self.locate(span.start.index());
                let end = skip_node(iter);
                (Value::Other { location }, end)
            }
            _ => (
                Value::Other {
                    location: self.locate(span.start.index()),
                },
                span.end.index(),
            ),
        }
    }

    /// The single values of a list whose start event was taken (nested items are left out),
    /// and the character index where the list ends.
    fn items<'a>(
        &mut self,
        iter: &mut impl Iterator<Item = (Event<'a>, Span)>,
        mut end: usize,
    ) -> (Vec<Scalar>, usize) {
        let mut items = Vec::new();
        loop {
            match iter.next() {
                Some((Event::SequenceEnd, s)) => {
                    end = end.max(s.end.index());
                    break;
                }
                Some((Event::Scalar(v, style, anchor, tag), s)) => {
                    end = end.max(s.end.index());
                    items.push(self.scalar(v.into_owned(), style, anchor, tag.is_some(), s));
                }
                Some((Event::Alias(id), s)) => {
                    end = end.max(s.end.index());
                    if let Value::Scalar(item) = self.alias(id, s) {
                        items.push(item);
                    }
                }
                Some((Event::SequenceStart(..) | Event::MappingStart(..), _)) => {
                    end = end.max(skip_node(iter));
                }
                Some((_, s)) => end = end.max(s.end.index()),
                None => break,
            }
        }
        (items, end)
    }

    /// A scalar as written: `range` covers the value itself (after any anchor or tag, quotes
    /// included), `location` the start of what is written (anchor or tag included).
    fn scalar(
        &mut self,
        value: String,
        style: ScalarStyle,
        anchor: usize,
        tagged: bool,
        span: Span,
    ) -> Scalar {
        let node = self.offsets.byte(span.start.index());
        let span_end = self.offsets.byte(span.end.index()).max(node);
        let start = if anchor > 0 || tagged {
            let written = self.text.get(node..span_end).unwrap_or_default();
            (node + content_offset(written)).min(span_end)
        } else {
            node
        };
        let end = written_end(self.text, start, span_end, style);
        let location = self.locator.locate(node);
        let anchor = self.anchors.get(&anchor).map(|a| Anchor {
            name: a.name.clone(),
            aliases: a.aliases.iter().map(|&i| self.locate(i)).collect(),
        });
        Scalar {
            value,
            quoting: quoting(style),
            range: start..end,
            location,
            anchor,
            alias: None,
        }
    }

    /// The value an alias repeats: the anchored scalar, or the items of an anchored top-level
    /// list; anything else, and any repetition beyond the budget, is [`Value::Other`].
    fn alias(&mut self, id: usize, span: Span) -> Value {
        let location = self.locate(span.start.index());
        let Some(anchor) = self.anchors.get(&id) else {
            return Value::Other { location };
        };
        if let Some(items) = self.sequences.get(&id) {
            let cost = items.iter().map(|i| i.value.len() + 1).sum();
            let Some(left) = self.budget.checked_sub(cost) else {
                return Value::Other { location };
            };
            self.budget = left;
            return Value::Sequence {
                items: items.clone(),
                location,
            };
        }
        let Some((value, style)) = &anchor.scalar else {
            return Value::Other { location };
        };
        let Some(left) = self.budget.checked_sub(value.len()) else {
            return Value::Other { location };
        };
        self.budget = left;
        let start = self.offsets.byte(span.start.index());
        let end = self.offsets.byte(span.end.index()).max(start);
        let anchored = self.locate(anchor.at);
        Value::Scalar(Scalar {
            value: value.clone(),
            quoting: quoting(*style),
            range: start..end,
            location,
            anchor: None,
            alias: Some(Alias {
                name: anchor.name.clone(),
                anchor: anchored,
            }),
        })
    }
}

fn quoting(style: ScalarStyle) -> Quoting {
    match style {
        ScalarStyle::SingleQuoted => Quoting::Single,
        ScalarStyle::DoubleQuoted => Quoting::Double,
        ScalarStyle::Literal | ScalarStyle::Folded => Quoting::Block,
        _ => Quoting::Plain,
    }
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
