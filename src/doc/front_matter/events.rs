//! The first pass over the front matter's YAML: the events of its one document, with every
//! anchor, alias and duplicate key noted, at any depth.
//!
//! Takes the YAML between the delimiter lines; returns its events (for the reading of the
//! top-level entries in [`super::read_entries`]) and what this pass noted. Positions are
//! saphyr's character indices into the YAML; the caller turns them into places in the file.
//! It reads no value's meaning and does not decide whether the block is front matter.
//!
//! - An anchor (`&issued`) is kept by saphyr's number for it, with its name (read from the
//!   text, which saphyr does not give), its scalar value if it marks one, and the places of
//!   the aliases (`*issued`) that repeat it (YAML 1.2 §3.2.2.2, §6.9.2, §7.1).
//! - Keys of one mapping are unique (YAML 1.2 §3.2.1.1): a key given again is noted with both
//!   places, in the top-level mapping and in nested ones alike.
//! - The front matter is one YAML document: where a second one starts (a line `--- …` or a
//!   document after `... …`) is noted, and no event after it is read.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, ScanError, Span};

/// An anchor of the document.
#[derive(Debug, Clone)]
pub(super) struct Anchor {
    /// The name, as written after `&`.
    pub(super) name: String,
    /// Where the anchored node starts (at its properties).
    pub(super) at: usize,
    /// The value and style when the anchor marks a scalar.
    pub(super) scalar: Option<(String, ScalarStyle)>,
    /// Where each alias to it starts (at the `*`).
    pub(super) aliases: Vec<usize>,
}

/// A key given twice in one mapping.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Duplicate {
    /// The key.
    pub(super) key: String,
    /// Where it is first given.
    pub(super) first: usize,
    /// Where it is given again.
    pub(super) again: usize,
}

/// The first document of the YAML, read once.
pub(super) struct Document<'a> {
    /// Its events, from the stream start to the end of its root node.
    pub(super) events: Vec<(Event<'a>, Span)>,
    /// Anchors by saphyr's number for them (aliases give the number).
    pub(super) anchors: HashMap<usize, Anchor>,
    /// Keys given twice, in file order of the second place.
    pub(super) duplicates: Vec<Duplicate>,
    /// Where a second document starts, if one does.
    pub(super) second: Option<usize>,
}

/// A mapping or sequence being read.
enum Frame {
    /// A mapping: the scalar keys so far, and whether the next node is a key.
    Map {
        keys: HashMap<String, usize>,
        key_next: bool,
    },
    Sequence,
}

/// Reads the first document of `yaml` (see the module docs). `name_at` gives the text from a
/// character index on, to read an anchor's name.
///
/// # Errors
/// saphyr's error where the YAML is malformed before the first document ends.
pub(super) fn read<'a>(
    yaml: &'a str,
    name_at: impl Fn(usize) -> &'a str,
) -> Result<Document<'a>, ScanError> {
    let mut doc = Document {
        events: Vec::new(),
        anchors: HashMap::new(),
        duplicates: Vec::new(),
        second: None,
    };
    let mut stack: Vec<Frame> = Vec::new();
    let mut root_done = false;
    let mut end_marker = None;
    for item in Parser::new_from_str(yaml) {
        let (event, span) = item?;
        if root_done {
            match event {
                Event::DocumentEnd if span.end.index() > span.start.index() => {
                    end_marker = Some(span.start.index());
                }
                Event::DocumentEnd | Event::StreamEnd | Event::Nothing => {}
                Event::DocumentStart(true) => {
                    doc.second = Some(span.start.index());
                    break;
                }
                _ => {
                    doc.second = Some(end_marker.unwrap_or(span.start.index()));
                    break;
                }
            }
            continue;
        }
        note(&mut doc, &mut stack, &event, span, &name_at);
        root_done = match event {
            Event::Scalar(..) | Event::Alias(..) | Event::SequenceEnd | Event::MappingEnd => {
                stack.is_empty()
            }
            _ => false,
        };
        doc.events.push((event, span));
    }
    Ok(doc)
}

/// Notes what one event says about anchors, aliases and keys.
fn note<'a>(
    doc: &mut Document<'a>,
    stack: &mut Vec<Frame>,
    event: &Event<'a>,
    span: Span,
    name_at: &impl Fn(usize) -> &'a str,
) {
    let start = span.start.index();
    let (anchor, scalar) = match event {
        Event::Scalar(value, style, anchor, _) => (*anchor, Some((value.as_ref(), *style))),
        Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => (*anchor, None),
        Event::Alias(id) => {
            if let Some(a) = doc.anchors.get_mut(id) {
                a.aliases.push(start);
            }
            (0, None)
        }
        Event::SequenceEnd | Event::MappingEnd => {
            stack.pop();
            return;
        }
        _ => return,
    };
    // A node in a mapping is a key and a value in turn.
    if let Some(Frame::Map { keys, key_next }) = stack.last_mut() {
        let is_key = *key_next;
        *key_next = !is_key;
        if is_key && let Some((key, _)) = scalar {
            match keys.get(key) {
                Some(first) => doc.duplicates.push(Duplicate {
                    key: key.to_string(),
                    first: *first,
                    again: start,
                }),
                None => {
                    keys.insert(key.to_string(), start);
                }
            }
        }
    }
    if anchor > 0 {
        doc.anchors.insert(
            anchor,
            Anchor {
                name: anchor_name(name_at(start)).to_string(),
                at: start,
                scalar: scalar.map(|(v, s)| (v.to_string(), s)),
                aliases: Vec::new(),
            },
        );
    }
    match event {
        Event::SequenceStart(..) => stack.push(Frame::Sequence),
        Event::MappingStart(..) => stack.push(Frame::Map {
            keys: HashMap::new(),
            key_next: true,
        }),
        _ => {}
    }
}

/// The name of the anchor among the properties at the start of `text` (`!tag &name value` or
/// `&name !tag value`, YAML 1.2 §6.9): what follows `&` up to white space or a flow indicator.
fn anchor_name(text: &str) -> &str {
    let mut rest = text;
    loop {
        rest = rest.trim_start_matches([' ', '\t', '\r', '\n']);
        let end = rest
            .find([' ', '\t', '\r', '\n', ',', '[', ']', '{', '}'])
            .unwrap_or(rest.len());
        let (token, after) = rest.split_at(end);
        if let Some(name) = token.strip_prefix('&') {
            return name;
        }
        if !token.starts_with('!') || token.is_empty() {
            return "";
        }
        rest = after;
    }
}

/// Where the content of a node starts: after its properties (`&anchor`, `!tag`), the white
/// space and any comment after them (YAML 1.2 §6.9). `text` starts at the node.
pub(super) fn content_offset(text: &str) -> usize {
    let mut pos = 0;
    loop {
        let rest = text.get(pos..).unwrap_or_default();
        let blank = rest.len() - rest.trim_start_matches([' ', '\t', '\r', '\n']).len();
        let after = rest.get(blank..).unwrap_or_default();
        if after.starts_with('#') && blank > 0 {
            pos += blank + after.find(['\n', '\r']).unwrap_or(after.len());
            continue;
        }
        if after.starts_with(['&', '!']) {
            pos += blank + after.find([' ', '\t', '\r', '\n']).unwrap_or(after.len());
            continue;
        }
        return pos + blank;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(yaml: &str) -> Document<'_> {
        read(yaml, |i| yaml.get(i..).unwrap_or_default()).expect("valid")
    }

    #[test]
    fn anchors_are_named_with_their_scalar_and_aliases() {
        let yaml = "a: &x 1\nb: !!str &y \"2\"\nc: *x\nd: [*x, *y]\n";
        let d = doc(yaml);
        let mut anchors: Vec<_> = d
            .anchors
            .values()
            .map(|a| {
                (
                    a.name.as_str(),
                    a.at,
                    a.scalar.as_ref().map(|s| s.0.as_str()),
                    a.aliases.clone(),
                )
            })
            .collect();
        anchors.sort();
        assert_eq!(
            anchors,
            [
                ("x", 3, Some("1"), vec![27, 34]),
                ("y", 11, Some("2"), vec![38])
            ]
        );
        assert_eq!(d.second, None);
    }

    #[test]
    fn duplicate_keys_are_noted_at_every_depth() {
        let d = doc("a: 1\nm:\n  k: 1\n  k: 2\n  l: [k, k]\na: 3\n");
        let dups: Vec<(&str, usize, usize)> = d
            .duplicates
            .iter()
            .map(|d| (d.key.as_str(), d.first, d.again))
            .collect();
        assert_eq!(dups, [("k", 10, 17), ("a", 0, 34)]);
    }

    #[test]
    fn a_second_document_is_noted_where_it_starts() {
        assert_eq!(doc("a: 1\n--- # more\nb: 2\n").second, Some(5));
        assert_eq!(doc("a: 1\n... # end\nb: 2\n").second, Some(5));
        assert_eq!(doc("a: 1\n... # end\n").second, None);
    }

    #[test]
    fn the_content_starts_after_the_properties() {
        assert_eq!(content_offset("&a 1"), 3);
        assert_eq!(content_offset("!!str &a  \"1\" # c"), 10);
        assert_eq!(content_offset("&a # note\n  1"), 12);
        assert_eq!(content_offset("1.0"), 0);
        assert_eq!(content_offset("&a"), 2);
    }
}
