//! Images: where a document's image reference points, and its bytes.
//!
//! Paths resolve relative to the document's own folder (never the working directory,
//! `cases/` B25). An image outside the repository root, through `..` or a symbolic link, is
//! refused and never read (SPEC §9). Web images are not fetched: rendering stays offline and
//! reproducible. The bytes come from a [`FileSource`]: the work tree, or a commit for a released
//! version.

use std::path::{Component, Path, PathBuf};

/// Where files are read from.
pub trait FileSource {
    /// The bytes of the file at `relative` (to the repository root), if it exists.
    fn read(&self, relative: &Path) -> Option<Vec<u8>>;

    /// Whether `relative` leads outside the repository although its name stays inside (a
    /// symbolic link). Sources without links (a commit) keep the default: never.
    fn leads_outside(&self, _relative: &Path) -> bool {
        false
    }
}

impl<F: Fn(&Path) -> Option<Vec<u8>>> FileSource for F {
    fn read(&self, relative: &Path) -> Option<Vec<u8>> {
        self(relative)
    }
}

/// Files in the work tree below `root`. Symbolic links that lead outside `root` are not read.
#[derive(Debug, Clone)]
pub struct WorkTree {
    /// The repository root (or, for a lone file, its folder).
    pub root: PathBuf,
}

impl FileSource for WorkTree {
    fn read(&self, relative: &Path) -> Option<Vec<u8>> {
        let path = self.root.join(relative);
        let real = path.canonicalize().ok()?;
        let root = self.root.canonicalize().ok()?;
        if !real.starts_with(&root) || !real.is_file() {
            return None;
        }
        std::fs::read(real).ok()
    }

    fn leads_outside(&self, relative: &Path) -> bool {
        let (Ok(real), Ok(root)) = (
            self.root.join(relative).canonicalize(),
            self.root.canonicalize(),
        ) else {
            return false;
        };
        !real.starts_with(root)
    }
}

/// What an image reference turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ImageRef {
    /// A file of the repository: its path relative to the root, its media type and bytes.
    Embedded {
        /// Relative to the repository root.
        relative: PathBuf,
        /// `image/png`, `image/jpeg`, `image/gif`, `image/svg+xml` or `image/webp`.
        media_type: &'static str,
        /// The file's bytes.
        bytes: Vec<u8>,
    },
    /// A web address: not fetched.
    Remote,
    /// Points outside the repository.
    Outside,
    /// No such file (or not an image sopctl can embed).
    Missing,
    /// An image with more pixels than a PDF page needs ([`MAX_PDF_PIXELS`]): decoding it would
    /// take gigabytes of memory, so the PDF shows its alt text instead.
    TooLarge {
        /// Width in pixels.
        width: usize,
        /// Height in pixels.
        height: usize,
    },
}

/// The most pixels an image may have to be embedded in a PDF: 50 million, far more than a
/// 300 dpi photograph across a whole A4 page (about 8.7 million). Decoding takes 3 to 4 bytes per
/// pixel, so this bounds an image's memory at about 200 MB.
pub const MAX_PDF_PIXELS: usize = 50_000_000;

/// The media type of image bytes, from their signature.
pub fn media_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        Some("image/gif")
    } else if bytes.starts_with(b"RIFF") && bytes.get(8..12) == Some(b"WEBP".as_slice()) {
        Some("image/webp")
    } else {
        let head = String::from_utf8_lossy(bytes.get(..512).unwrap_or(bytes)).to_ascii_lowercase();
        (head.contains("<svg")).then_some("image/svg+xml")
    }
}

/// The repository-relative path a relative reference names (`?query` and `#fragment` dropped),
/// resolved from the folder of the document at `doc_relative`; `None` when it leaves the
/// repository (an absolute path, or `..` above the root).
pub fn repo_path(reference: &str, doc_relative: &Path) -> Option<PathBuf> {
    let path_part = reference.split(['?', '#']).next().unwrap_or(reference);
    if Path::new(path_part).is_absolute() {
        return None;
    }
    let joined = doc_relative
        .parent()
        .unwrap_or(Path::new(""))
        .join(path_part);
    let mut parts: Vec<&std::ffi::OsStr> = Vec::new();
    for c in joined.components() {
        match c {
            Component::ParentDir => {
                parts.pop()?;
            }
            Component::CurDir => {}
            Component::Normal(p) => parts.push(p),
            _ => return None,
        }
    }
    Some(parts.iter().collect())
}

/// Resolves `source` (as written in the document at `doc_relative`, a path relative to the
/// repository root) and reads it from `files`.
pub fn resolve(source: &str, doc_relative: &Path, files: &dyn FileSource) -> ImageRef {
    let source = source.trim();
    match crate::doc::check::scheme(source).as_deref() {
        Some("http" | "https") => return ImageRef::Remote,
        Some(_) => return ImageRef::Missing,
        None if source.starts_with("//") => return ImageRef::Remote,
        None => {}
    }
    let Some(relative) = repo_path(source, doc_relative) else {
        return ImageRef::Outside;
    };
    if files.leads_outside(&relative) {
        return ImageRef::Outside;
    }
    match files.read(&relative) {
        Some(bytes) => match media_type(&bytes) {
            Some(media_type) => ImageRef::Embedded {
                relative,
                media_type,
                bytes,
            },
            None => ImageRef::Missing,
        },
        None => ImageRef::Missing,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Files;
    impl FileSource for Files {
        fn read(&self, relative: &Path) -> Option<Vec<u8>> {
            (relative == Path::new("assets/a.png")).then(|| b"\x89PNG\r\n\x1a\nrest".to_vec())
        }
    }

    #[test]
    fn images_resolve_relative_to_the_document_and_stay_inside_the_repository() {
        let doc = Path::new("sops/area-2/SOP-025.md");
        assert!(matches!(
            resolve("../../assets/a.png", doc, &Files),
            ImageRef::Embedded {
                media_type: "image/png",
                ..
            }
        ));
        assert_eq!(
            resolve("../../../etc/passwd", doc, &Files),
            ImageRef::Outside
        );
        assert_eq!(resolve("/etc/passwd", doc, &Files), ImageRef::Outside);
        assert_eq!(
            resolve("https://example.org/x.png", doc, &Files),
            ImageRef::Remote
        );
        assert_eq!(resolve("img/none.png", doc, &Files), ImageRef::Missing);
    }
}
