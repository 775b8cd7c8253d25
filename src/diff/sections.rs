//! A document's body cut into sections by heading path, the way the comparison reads it: cut
//! first at the headings that start a line (so that pieces identical in both versions need not
//! be parsed), then parsed piece by piece.

use super::units::{Section, Unit, block_units};
use super::words;
use crate::doc::Sop;
use crate::doc::revision_table::is_history_heading;
use crate::model::{Block, Document};

/// A piece of a document's body: a column-0 ATX heading line and what follows it up to the
/// next one (the first piece may have no heading).
pub(super) struct Chunk<'a> {
    text: &'a str,
    first_line: usize,
    starts_with_heading: bool,
}

/// Cuts a body at the ATX headings that start in column 0 outside fenced code and HTML blocks.
/// Such a heading always starts a new block in CommonMark (it interrupts paragraphs and lists),
/// so each piece parses on its own as it would in the whole document.
fn chunks(body: &str, first_line: usize) -> Vec<Chunk<'_>> {
    let mut out = Vec::new();
    let mut start = 0usize;
    let mut start_line = first_line;
    let mut fence: Option<(char, usize)> = None;
    let mut in_html = false;
    let mut offset = 0usize;
    let mut starts_with_heading = false;
    for (line_no, line) in (first_line..).zip(body.split_inclusive('\n')) {
        let trimmed = line.trim_end_matches(['\n', '\r']);
        let indent = trimmed.len() - trimmed.trim_start_matches(' ').len();
        let content = trimmed.trim_start_matches(' ');
        if let Some((c, n)) = fence {
            if indent < 4
                && content.chars().take_while(|x| *x == c).count() >= n
                && content.trim_start_matches(c).trim().is_empty()
            {
                fence = None;
            }
        } else if indent < 4 && (content.starts_with("```") || content.starts_with("~~~")) {
            let c = content.chars().next().unwrap_or('`');
            fence = Some((c, content.chars().take_while(|x| *x == c).count()));
        } else if in_html {
            if trimmed.trim().is_empty() {
                in_html = false;
            }
        } else if indent < 4 && content.starts_with('<') {
            in_html = true;
        } else {
            let hashes = trimmed.chars().take_while(|c| *c == '#').count();
            let is_heading = (1..=6).contains(&hashes)
                && trimmed[hashes..]
                    .chars()
                    .next()
                    .is_none_or(|c| c == ' ' || c == '\t');
            if is_heading {
                if offset > start {
                    out.push(Chunk {
                        text: &body[start..offset],
                        first_line: start_line,
                        starts_with_heading,
                    });
                    start = offset;
                    start_line = line_no;
                }
                starts_with_heading = true;
            }
        }
        offset += line.len();
    }
    if start < body.len() || out.is_empty() {
        out.push(Chunk {
            text: &body[start..],
            first_line: start_line,
            starts_with_heading,
        });
    }
    out
}

/// A piece's text with spacing and line breaks squeezed, as the comparison sees it; two
/// trailing spaces (a hard line break) are kept as a mark, since they change the document.
fn chunk_key(text: &str) -> String {
    if text.is_ascii() {
        ascii_chunk_key(text)
    } else {
        any_chunk_key(text)
    }
}

/// [`chunk_key`] of any text, character by character.
fn any_chunk_key(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for line in text.split('\n') {
        let line = line.strip_suffix('\r').unwrap_or(line);
        for c in line.chars() {
            if c.is_whitespace() {
                space = true;
            } else {
                if space && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
        if line.ends_with("  ") {
            out.push_str(" ⏎");
        }
        space = true;
    }
    words::nfc(out)
}

/// [`chunk_key`] of ASCII text, byte by byte (most SOPs are ASCII; every piece of both versions
/// is keyed, so this is most of the work of comparing two long, lightly edited documents).
fn ascii_chunk_key(text: &str) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    let mut space = false;
    for line in text.as_bytes().split(|b| *b == b'\n') {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        for &b in line {
            // `char::is_whitespace` in ASCII: space, tab, line feed, vertical tab, form feed,
            // carriage return.
            if b.is_ascii_whitespace() || b == 0x0b {
                space = true;
            } else {
                if space && !out.is_empty() {
                    out.push(b' ');
                }
                space = false;
                out.push(b);
            }
        }
        if line.ends_with(b"  ") {
            out.extend_from_slice(" ⏎".as_bytes());
        }
        space = true;
    }
    String::from_utf8(out).unwrap_or_default()
}

/// A piece of a body with what it compares by.
pub(super) struct Piece<'a> {
    pub(super) chunk: Chunk<'a>,
    /// Its text as compared ([`chunk_key`]).
    pub(super) key: String,
    /// A quick hash of `key`: pieces are matched by it, then by `key` itself.
    pub(super) hash: u64,
    /// Whether the other version has the same piece (then it is not parsed).
    pub(super) shared: bool,
}

/// A fast hash of a text, eight bytes at a time (the rotate, xor and multiply step of rustc's
/// FxHasher). Not for untrusted keys in a long-lived table: here every match is confirmed by
/// comparing the texts.
fn quick_hash(text: &str) -> u64 {
    let mut h: u64 = text.len() as u64;
    for word in text.as_bytes().chunks(8) {
        let mut bytes = [0u8; 8];
        for (slot, b) in bytes.iter_mut().zip(word) {
            *slot = *b;
        }
        h = (h.rotate_left(5) ^ u64::from_le_bytes(bytes)).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
    h
}

/// The pieces of a document's body with their comparison keys.
pub(super) fn keyed(sop: &Sop) -> Vec<Piece<'_>> {
    chunks(sop.body(), sop.body_first_line())
        .into_iter()
        .map(|chunk| {
            let key = chunk_key(chunk.text);
            Piece {
                chunk,
                hash: quick_hash(&key),
                key,
                shared: false,
            }
        })
        .collect()
}

/// Marks the pieces both versions have.
pub(super) fn mark_shared(old: &mut [Piece<'_>], new: &mut [Piece<'_>]) {
    let mut by_hash: std::collections::HashMap<u64, Vec<usize>> =
        std::collections::HashMap::with_capacity(old.len());
    for (i, p) in old.iter().enumerate() {
        by_hash.entry(p.hash).or_default().push(i);
    }
    for p in new.iter_mut() {
        let Some(candidates) = by_hash.get(&p.hash) else {
            continue;
        };
        for &i in candidates {
            if let Some(o) = old.get_mut(i)
                && o.key == p.key
            {
                o.shared = true;
                p.shared = true;
            }
        }
    }
}

/// The generated revision-history table: its rows, and the heading path it is under.
#[derive(Debug, Default)]
pub(super) struct History {
    pub(super) path: Vec<String>,
    pub(super) units: Vec<Unit>,
}

/// The footnotes as written (`[^label]: text` and the indented lines that continue it), one
/// unit each, in a section of their own: the body's sections hold only the marks that refer to
/// them (issue 18 item 2). Empty when the body defines none.
pub(super) fn footnotes(body: &str) -> Option<Section> {
    if !body.contains("[^") {
        return None;
    }
    let mut units: Vec<Unit> = Vec::new();
    let mut open = false;
    for line in body.lines() {
        let trimmed = line.trim_start_matches(' ');
        let indent = line.len() - trimmed.len();
        let starts = indent < 4
            && trimmed.starts_with("[^")
            && trimmed
                .find("]:")
                .is_some_and(|end| end > 2 && !trimmed[2..end].contains(']'));
        if starts {
            units.push(Unit::plain("footnote", trimmed.trim_end().to_string()));
            open = true;
        } else if open && (line.starts_with("    ") || line.starts_with('\t')) {
            if let Some(u) = units.last_mut() {
                u.text.push(' ');
                u.text.push_str(line.trim());
                u.markup = u.text.clone();
            }
        } else if !line.trim().is_empty() {
            open = false;
        }
    }
    (!units.is_empty()).then(|| Section {
        path: vec!["Footnotes".to_string()],
        level: 0,
        units,
    })
}

/// Sections by heading path; the generated revision-history table is left out (it is summed
/// up). Pieces of the body that are identical in the other version (marked `shared`) are not parsed: they stand as one
/// opaque unit that compares equal, which keeps large documents with small edits fast.
pub(super) fn sections(pieces: &[Piece<'_>]) -> (Vec<Section>, History) {
    let mut out = vec![Section {
        path: Vec::new(),
        level: 0,
        units: Vec::new(),
    }];
    let mut stack: Vec<(u8, String)> = Vec::new();
    let mut history = History::default();
    let mut in_history: Option<u8> = None;
    let mut history_table = false;
    for piece in pieces {
        let (chunk, key) = (&piece.chunk, &piece.key);
        let doc = if piece.shared {
            // Only the heading line is needed, for the path.
            let heading_line = if chunk.starts_with_heading {
                chunk.text.lines().next().unwrap_or("")
            } else {
                ""
            };
            let mut d = Document::parse(heading_line, chunk.first_line);
            d.blocks.push(Block::Html(String::new()));
            (d, Some(key))
        } else {
            (Document::parse(chunk.text, chunk.first_line), None)
        };
        let (doc, opaque) = doc;
        for block in &doc.blocks {
            if let Block::Heading(h) = block {
                if in_history.is_some_and(|level| h.level <= level) {
                    in_history = None;
                }
                let opens_history = in_history.is_none() && is_history_heading(&h.text);
                if opens_history {
                    in_history = Some(h.level);
                    history_table = false;
                }
                while stack.last().is_some_and(|(l, _)| *l >= h.level) {
                    stack.pop();
                }
                stack.push((h.level, h.text.clone()));
                let path: Vec<String> = stack.iter().map(|(_, t)| t.clone()).collect();
                if opens_history {
                    history.path = path.clone();
                }
                out.push(Section {
                    path,
                    level: h.level,
                    units: Vec::new(),
                });
                continue;
            }
            // Only the generated table is summed up; anything else a person wrote under the
            // heading is compared as text (issue 18 item 2).
            let target =
                if in_history.is_some() && !history_table && matches!(block, Block::Table(_)) {
                    history_table = true;
                    &mut history.units
                } else if let Some(s) = out.last_mut() {
                    &mut s.units
                } else {
                    continue;
                };
            match (&opaque, block) {
                (Some(key), Block::Html(raw)) if raw.is_empty() => {
                    // A short stand-in for the piece's text: the same in both versions, as
                    // the piece is (only pieces both versions share are left unparsed), and
                    // not a copy of a text that may run to megabytes.
                    let stand_in = format!("{:016x}", piece.hash);
                    target.push(Unit::plain("unchanged", stand_in));
                }
                _ => block_units(block, target),
            }
        }
    }
    if out.first().is_some_and(|s| s.units.is_empty()) {
        out.remove(0);
    }
    (out, history)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_pieces_are_keyed_as_any_other_text() {
        for text in [
            "## Steps\n\nA  b\tc\r\nd \u{b}e  \n\nf\n",
            "  lead\n\n\ntrail  ",
            "",
        ] {
            assert_eq!(ascii_chunk_key(text), any_chunk_key(text), "{text:?}");
        }
    }
}
