//! The SOP file as it is on disk: its exact bytes, with a view as text.
//!
//! sopctl never re-serialises a document. It keeps the original text (including a UTF-8
//! byte-order mark and whatever line endings the file uses) and changes it only by splicing a
//! replacement into a byte range, so every byte outside that range stays as it was (SPEC §1).

use std::ops::Range;
use std::path::{Path, PathBuf};

/// A location in a source file, as people count: line and column both start at 1, the column
/// counts characters (not bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
pub struct Location {
    /// Line number, from 1.
    pub line: usize,
    /// Column in characters, from 1.
    pub column: usize,
}

/// The line-ending style of a file (or of one of its lines).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineEnding {
    /// `\n`, as on Linux and macOS.
    Lf,
    /// `\r\n`, as written by many Windows editors.
    CrLf,
    /// A lone `\r` (old Mac files; CommonMark accepts it).
    Cr,
}

impl LineEnding {
    /// The bytes of this line ending.
    pub fn as_str(self) -> &'static str {
        match self {
            LineEnding::Lf => "\n",
            LineEnding::CrLf => "\r\n",
            LineEnding::Cr => "\r",
        }
    }
}

/// A source file that is valid UTF-8: its text without the byte-order mark, and whether it had
/// one. `bom` + `text` are exactly the bytes read from disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceText {
    path: PathBuf,
    bom: bool,
    text: String,
}

/// The bytes of a file are not UTF-8; the location is that of the first bad byte.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}:{}:{}: the file is not UTF-8 text (byte 0x{byte:02X})", location.line, location.column)]
pub struct NotUtf8 {
    /// The file.
    pub path: PathBuf,
    /// Where the first invalid byte is.
    pub location: Location,
    /// Its offset in bytes from the start of the file.
    pub offset: usize,
    /// The byte itself.
    pub byte: u8,
}

const BOM: &str = "\u{FEFF}";

impl SourceText {
    /// Takes the bytes of a file. A leading UTF-8 byte-order mark is remembered and set aside.
    ///
    /// # Errors
    /// [`NotUtf8`] with the line and column of the first byte that is not UTF-8.
    pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Self, NotUtf8> {
        match String::from_utf8(bytes) {
            Ok(mut text) => {
                let bom = text.starts_with(BOM);
                if bom {
                    text.drain(..BOM.len());
                }
                Ok(SourceText {
                    path: path.to_path_buf(),
                    bom,
                    text,
                })
            }
            Err(err) => {
                let offset = err.utf8_error().valid_up_to();
                let bytes = err.into_bytes();
                let valid = String::from_utf8_lossy(bytes.get(..offset).unwrap_or_default());
                let location = location_in(&valid, valid.len());
                Err(NotUtf8 {
                    path: path.to_path_buf(),
                    location,
                    offset,
                    byte: bytes.get(offset).copied().unwrap_or_default(),
                })
            }
        }
    }

    /// The file's path, as it was given.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The text, without a byte-order mark.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether the file starts with a UTF-8 byte-order mark.
    pub fn has_bom(&self) -> bool {
        self.bom
    }

    /// The exact bytes to write back: the byte-order mark (if there was one) and the text.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(self.text.len() + 3);
        if self.bom {
            out.extend_from_slice(BOM.as_bytes());
        }
        out.extend_from_slice(self.text.as_bytes());
        out
    }

    /// The line and column of a byte offset into [`SourceText::text`]. Reads the text up to
    /// `offset`: to locate many offsets, use one [`SourceText::locator`].
    pub fn location(&self, offset: usize) -> Location {
        location_in(&self.text, offset)
    }

    /// A [`Locator`] for many offsets of this text.
    pub fn locator(&self) -> Locator<'_> {
        Locator::new(&self.text)
    }

    /// A copy with `range` (byte offsets into the text) replaced by `replacement`; every other
    /// byte is unchanged.
    ///
    /// # Panics
    /// Never on valid input: callers pass ranges that came from this text. An out-of-range or
    /// mid-character range is clamped to the nearest character boundaries.
    pub fn spliced(&self, range: Range<usize>, replacement: &str) -> SourceText {
        let start = floor_char_boundary(&self.text, range.start);
        let end = floor_char_boundary(&self.text, range.end.max(start));
        let mut text = String::with_capacity(self.text.len() + replacement.len());
        text.push_str(&self.text[..start]);
        text.push_str(replacement);
        text.push_str(&self.text[end..]);
        SourceText {
            path: self.path.clone(),
            bom: self.bom,
            text,
        }
    }
}

fn floor_char_boundary(text: &str, mut index: usize) -> usize {
    index = index.min(text.len());
    while !text.is_char_boundary(index) {
        index -= 1;
    }
    index
}

/// Line and column of many byte offsets in one text, in time linear in the text overall: the
/// start of every line is found once (one pass), a line by binary search, and the column is
/// counted on from the previous offset when it lies further along the same line, so offsets
/// taken in file order cost one pass over the text in all. Gives exactly what
/// [`SourceText::location`] gives (which reads the text up to the offset on every call).
#[derive(Debug, Clone)]
pub struct Locator<'a> {
    text: &'a str,
    /// Byte offset where each line starts; line 1 starts at 0.
    line_starts: Vec<usize>,
    /// The last offset located, its line (index into `line_starts`) and its column.
    last: (usize, usize, usize),
}

impl<'a> Locator<'a> {
    /// Finds the line starts of `text` (`\r\n`, `\n` and a lone `\r` each end a line).
    pub fn new(text: &'a str) -> Self {
        let bytes = text.as_bytes();
        let mut line_starts = vec![0];
        for (i, b) in bytes.iter().enumerate() {
            let ends_line = match b {
                b'\n' => true,
                b'\r' => bytes.get(i + 1) != Some(&b'\n'),
                _ => false,
            };
            if ends_line {
                line_starts.push(i + 1);
            }
        }
        Locator {
            text,
            line_starts,
            last: (0, 0, 1),
        }
    }

    /// The byte offset of `line` (from 1) and `byte_column` (from 1, counting bytes, as comrak's
    /// source positions do); at most the length of the text.
    pub fn offset_of(&self, line: usize, byte_column: usize) -> usize {
        let start = line
            .checked_sub(1)
            .and_then(|index| self.line_starts.get(index))
            .copied()
            .unwrap_or(self.text.len());
        start
            .saturating_add(byte_column.saturating_sub(1))
            .min(self.text.len())
    }

    /// The line and column of byte `offset` (floored to a character boundary, at most the
    /// length of the text).
    pub fn locate(&mut self, offset: usize) -> Location {
        let offset = floor_char_boundary(self.text, offset);
        // The LF of a CRLF: the CR before it already ends the line (as in `location_in`, which
        // sees only the text before the offset).
        if offset > 0
            && self.text.as_bytes().get(offset - 1) == Some(&b'\r')
            && self.text.as_bytes().get(offset) == Some(&b'\n')
        {
            let line = self.line_starts.partition_point(|&s| s <= offset);
            return Location {
                line: line + 1,
                column: 1,
            };
        }
        let index = self
            .line_starts
            .partition_point(|&s| s <= offset)
            .saturating_sub(1);
        let line_start = self.line_starts.get(index).copied().unwrap_or(0);
        let (last_offset, last_index, last_column) = self.last;
        let (from, column) =
            if last_index == index && last_offset >= line_start && last_offset <= offset {
                (last_offset, last_column)
            } else {
                (line_start, 1)
            };
        let column = column + self.text.get(from..offset).map_or(0, |s| s.chars().count());
        self.last = (offset, index, column);
        Location {
            line: index + 1,
            column,
        }
    }
}

/// Line and column of a byte offset in `text`. `\r\n`, `\n` and a lone `\r` each end a line.
#[allow(
    clippy::indexing_slicing,
    reason = "`offset` is floored to a character boundary within `text`, and `i` is checked by the loop"
)]
pub(crate) fn location_in(text: &str, offset: usize) -> Location {
    let offset = floor_char_boundary(text, offset);
    let before = &text[..offset];
    let mut line = 1;
    let mut line_start = 0;
    let bytes = before.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                line += 1;
                line_start = i + 1;
            }
            b'\r' if bytes.get(i + 1) != Some(&b'\n') => {
                // A lone CR ends a line; a CR right before the offset may still be the first half
                // of a CRLF whose LF lies at the offset, which also ends the line.
                line += 1;
                line_start = i + 1;
            }
            _ => {}
        }
        i += 1;
    }
    let column = before[line_start..].chars().count() + 1;
    Location { line, column }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bom_is_set_aside_and_written_back() {
        let bytes = b"\xEF\xBB\xBF---\r\nid: A\r\n".to_vec();
        let src = SourceText::from_bytes(Path::new("a.md"), bytes.clone()).expect("utf-8");
        assert!(src.has_bom());
        assert_eq!(src.text(), "---\r\nid: A\r\n");
        assert_eq!(src.to_bytes(), bytes);
    }

    #[test]
    fn invalid_utf8_is_located() {
        let bytes = b"---\nid: A\ntitle: Caf\xE9\n".to_vec();
        let err = SourceText::from_bytes(Path::new("a.md"), bytes).expect_err("latin-1");
        assert_eq!(
            err.location,
            Location {
                line: 3,
                column: 11
            }
        );
        assert_eq!(err.byte, 0xE9);
        assert_eq!(
            err.to_string(),
            "a.md:3:11: the file is not UTF-8 text (byte 0xE9)"
        );
    }

    #[test]
    fn locations_count_lines_for_every_line_ending_and_columns_in_characters() {
        let text = "a\r\nb\rcé d\ne";
        assert_eq!(location_in(text, 0), Location { line: 1, column: 1 });
        assert_eq!(location_in(text, 3), Location { line: 2, column: 1 });
        assert_eq!(location_in(text, 5), Location { line: 3, column: 1 });
        // after "cé " (é is two bytes) the column is 4
        assert_eq!(location_in(text, 9), Location { line: 3, column: 4 });
        assert_eq!(location_in(text, 11), Location { line: 4, column: 1 });
    }

    #[test]
    fn a_locator_gives_what_location_in_gives_in_any_order() {
        for text in ["a\r\nb\rcé d\ne", "\r\r\n\n\rx", "", "é\n", "abc", "\n\r\n"] {
            let expected: Vec<Location> =
                (0..=text.len() + 1).map(|o| location_in(text, o)).collect();
            let mut forward = Locator::new(text);
            let got: Vec<Location> = (0..=text.len() + 1).map(|o| forward.locate(o)).collect();
            assert_eq!(got, expected, "{text:?} forward");
            let mut backward = Locator::new(text);
            let mut got: Vec<Location> = (0..=text.len() + 1)
                .rev()
                .map(|o| backward.locate(o))
                .collect();
            got.reverse();
            assert_eq!(got, expected, "{text:?} backward");
        }
    }

    #[test]
    fn splicing_changes_only_the_range() {
        let src = SourceText::from_bytes(Path::new("a.md"), b"version: 1.0 # keep\r\n".to_vec())
            .expect("utf-8");
        let out = src.spliced(9..12, "1.1.0");
        assert_eq!(out.text(), "version: 1.1.0 # keep\r\n");
    }
}
