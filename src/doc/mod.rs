//! PARSE → MODEL: an SOP file read into a typed document (SPEC §1).
//!
//! Takes the bytes of a Markdown file; returns a [`Sop`]: the original text (kept byte for byte
//! for in-place edits), the front matter with the place of every value, the typed
//! [`Metadata`], and the Markdown body. It does not render, compare or touch git.
//!
//! - [`source`]: the bytes as text (BOM and line endings kept), locations, splicing.
//! - [`front_matter`]: finding the `---` block and reading its YAML with positions; edits in place.
//! - [`fields`] and [`metadata`]: typed values (ID, status, review interval, version, dates).
//! - [`markdown`]: the comrak options and a scan of headings, links and images.
//! - [`footnotes`]: footnote references without a note, and notes nothing refers to.
//! - [`inline_html`]: the inline HTML tags GitHub renders (`<br>`, `<sup>`, …), read as such.
//! - [`links`]: what a link or image destination is: a fragment, a URL, a file; unsafe schemes.
//! - [`nesting`]: the bound on how deep quotes, lists and inline markup nest.
//! - [`anchors`]: heading anchors, unique and stable.

pub mod anchors;
pub mod fields;
pub mod finding;
pub mod footnotes;
pub mod front_matter;
pub mod inline_html;
pub mod links;
pub mod markdown;
pub mod metadata;
pub mod nesting;
pub mod revision_table;
pub mod source;

use std::path::{Path, PathBuf};

pub use fields::{DocId, ReviewInterval, Status};
pub use finding::{Finding, Severity};
pub use front_matter::FrontMatter;
pub use metadata::Metadata;
pub use source::{Location, SourceText};

use crate::fsx::{self, FsError};

/// A document that cannot be read at all. Problems with individual values are not errors here:
/// they are [`Finding`]s in [`Sop::findings`].
#[derive(Debug, thiserror::Error)]
pub enum DocError {
    /// The file cannot be read (missing, a folder, no permission).
    #[error(transparent)]
    Io(#[from] FsError),
    /// The file is not UTF-8.
    #[error(transparent)]
    NotUtf8(#[from] source::NotUtf8),
    /// The file is a symbolic link, which is not followed (SPEC §9).
    #[error("{} is a symbolic link; an SOP must be a file of the repository itself", path.display())]
    SymbolicLink {
        /// The link.
        path: PathBuf,
    },
    /// The file is larger than [`Sop::MAX_BYTES`].
    #[error("{} is {} an SOP may be", path.display(), fsx::over_limit(*bytes, Sop::MAX_BYTES))]
    TooLarge {
        /// The file.
        path: PathBuf,
        /// Its size in bytes.
        bytes: u64,
    },
    /// The front matter cannot be read.
    #[error("{}:{}:{}: {error}", path.display(), error.location().line, error.location().column)]
    FrontMatter {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        error: front_matter::FrontMatterError,
    },
}

impl DocError {
    /// The same error naming the file as `shown` (e.g. relative to the working directory) for
    /// a message; I/O errors keep the path they were given.
    #[must_use]
    pub fn shown_as(self, shown: &Path) -> DocError {
        match self {
            DocError::NotUtf8(mut e) => {
                e.path = shown.to_path_buf();
                DocError::NotUtf8(e)
            }
            DocError::FrontMatter { error, .. } => DocError::FrontMatter {
                path: shown.to_path_buf(),
                error,
            },
            DocError::TooLarge { bytes, .. } => DocError::TooLarge {
                path: shown.to_path_buf(),
                bytes,
            },
            DocError::SymbolicLink { .. } => DocError::SymbolicLink {
                path: shown.to_path_buf(),
            },
            e @ DocError::Io(_) => e,
        }
    }

    /// The problem as a finding at its place in the file (line 1 for I/O errors).
    pub fn to_finding(&self, path: &Path) -> Finding {
        match self {
            DocError::Io(e) => Finding::error(path, Location { line: 1, column: 1 }, e.to_string()),
            DocError::NotUtf8(e) => Finding::error(
                path,
                e.location,
                format!(
                    "the file is not UTF-8 text (byte 0x{:02X}); save it as UTF-8 in your editor",
                    e.byte
                ),
            ),
            DocError::FrontMatter { error, .. } => {
                Finding::error(path, error.location(), error.to_string())
            }
            DocError::SymbolicLink { .. } => Finding::error(
                path,
                Location { line: 1, column: 1 },
                "this is a symbolic link, which sopctl does not follow (git keeps the link, not the text, and it may lead out of the repository); put the SOP itself here",
            ),
            DocError::TooLarge { bytes, .. } => Finding::error(
                path,
                Location { line: 1, column: 1 },
                format!(
                    "the file is {} an SOP may be; split it into several SOPs, or attach large data as files instead of pasting it in",
                    fsx::over_limit(*bytes, Sop::MAX_BYTES)
                ),
            ),
        }
    }
}

/// An SOP read from a file.
#[derive(Debug, Clone)]
pub struct Sop {
    /// The original text.
    pub source: SourceText,
    /// The front matter, if the file has one.
    pub front_matter: Option<FrontMatter>,
    /// The typed values of the front matter.
    pub metadata: Metadata,
    /// Problems found while reading the front matter.
    pub findings: Vec<Finding>,
    /// Byte offset where the Markdown body starts in [`SourceText::text`].
    pub body_start: usize,
    /// Set when the file starts with a `---` block that is not front matter (see
    /// [`front_matter::Split::not_front_matter`]): the line of its second `---`.
    pub not_front_matter: Option<usize>,
}

impl Sop {
    /// The largest SOP file read: 10 MB (10,000,000 bytes). The 600-page benchmark SOP of
    /// `benches/gen_large_sop.py` is 1.3 MB; a larger file is almost always pasted data or a
    /// mistake, and bounds the time and memory of every command (SPEC §9, issue 9).
    pub const MAX_BYTES: u64 = 10_000_000;

    /// Reads and parses the file at `path`.
    ///
    /// # Errors
    /// [`DocError`] when the file cannot be read, is larger than [`Sop::MAX_BYTES`] (checked
    /// before reading), is not UTF-8, or its front matter cannot be read (unclosed, malformed
    /// YAML).
    pub fn load(path: &Path) -> Result<Sop, DocError> {
        match fsx::read_at_most(path, Self::MAX_BYTES)? {
            fsx::Capped::Read(bytes) => Sop::from_bytes(path, bytes),
            fsx::Capped::TooLarge { bytes } => Err(DocError::TooLarge {
                path: path.to_path_buf(),
                bytes,
            }),
        }
    }

    /// Parses a file's bytes; `path` is used in messages and to resolve relative links.
    ///
    /// # Errors
    /// As [`Sop::load`], without the I/O.
    pub fn from_bytes(path: &Path, bytes: Vec<u8>) -> Result<Sop, DocError> {
        if bytes.len() as u64 > Self::MAX_BYTES {
            return Err(DocError::TooLarge {
                path: path.to_path_buf(),
                bytes: bytes.len() as u64,
            });
        }
        let source = SourceText::from_bytes(path, bytes)?;
        Sop::from_source(source)
    }

    /// Parses a source text.
    ///
    /// # Errors
    /// [`DocError::FrontMatter`] when the front matter cannot be read.
    pub fn from_source(source: SourceText) -> Result<Sop, DocError> {
        let split = front_matter::split(&source).map_err(|error| DocError::FrontMatter {
            path: source.path().to_path_buf(),
            error,
        })?;
        let (metadata, findings) = Metadata::read(source.path(), split.front_matter.as_ref());
        Ok(Sop {
            front_matter: split.front_matter,
            metadata,
            findings,
            body_start: split.body_start,
            not_front_matter: split.not_front_matter,
            source,
        })
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        self.source.path()
    }

    /// The Markdown body.
    pub fn body(&self) -> &str {
        &self.source.text()[self.body_start..]
    }

    /// The file line on which the body starts.
    pub fn body_first_line(&self) -> usize {
        self.source.location(self.body_start).line
    }

    /// The document with front-matter `key` set to `value` in place (every other byte kept, see
    /// [`FrontMatter::set_value`]), read again. `Ok(None)` when the key already holds exactly
    /// that value or the file has no front matter to edit.
    ///
    /// # Errors
    /// [`front_matter::EditError`] when the key holds a list or block value.
    pub fn with_value(
        &self,
        key: &str,
        value: &str,
        after: Option<&str>,
    ) -> Result<Option<Sop>, front_matter::EditError> {
        let Some(fm) = &self.front_matter else {
            return Ok(None);
        };
        let unchanged = fm.get(key).is_some_and(
            |e| matches!(&e.value, front_matter::Value::Scalar(s) if s.value == value),
        );
        if unchanged {
            return Ok(None);
        }
        let edited = fm.set_value(&self.source, key, value, after)?;
        // Splicing a plain scalar into a valid block keeps it valid; if it somehow did not,
        // report the key as not editable rather than lose the document.
        Sop::from_source(edited)
            .map(Some)
            .map_err(|_| front_matter::EditError::NotASingleValue {
                key: key.to_string(),
                line: fm.get(key).map_or(1, |e| e.location.line),
            })
    }

    /// The document's ID as written, if it has a valid one.
    pub fn id(&self) -> Option<&DocId> {
        self.metadata.id.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_body_starts_after_the_front_matter() {
        let sop = Sop::from_bytes(Path::new("a.md"), b"---\nid: A\n---\n# Title\n".to_vec())
            .expect("sop");
        assert_eq!(sop.body(), "# Title\n");
        assert_eq!(sop.body_first_line(), 4);
    }
}
