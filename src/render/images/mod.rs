//! Images: where a document's image reference points, its bytes, and whether a rendition can
//! show it.
//!
//! Paths resolve relative to the document's own folder (never the working directory,
//! `cases/` B25). An image outside the repository root, through `..` or a symbolic link, is
//! refused and never read (SPEC §9). Web images are not fetched: rendering stays offline and
//! reproducible. The bytes come from a [`FileSource`]: the work tree, or a commit for a released
//! version.
//!
//! Every image is bounded before it costs memory (issue 13): a file over [`MAX_BYTES`] is not
//! read (its size is looked at first), and a header claiming more than [`MAX_PIXELS`] is not
//! decoded. A file that ends early, has no pixels or cannot be decoded is named as such
//! ([`ImageProblem`]), and renditions show its alt text. [`resolve`] and [`inspect_file`] (used
//! by `check`) read headers and structure only (the private `probe` module); [`decode`] and
//! [`verify`] decode the pixels, which the renditions need.

mod pixels;
mod probe;
mod vector;

use std::path::{Component, Path, PathBuf};

pub use pixels::{Channels, Pixels, decode, verify};
pub use vector::{Drawing, drawing};

use crate::fsx::Capped;

/// Where files are read from.
pub trait FileSource {
    /// The bytes of the file at `relative` (to the repository root), if it exists.
    fn read(&self, relative: &Path) -> Option<Vec<u8>>;

    /// The file's bytes if it holds at most `max` bytes, else its size. The default reads the
    /// file first; a source that can tell a file's size without reading it (the work tree)
    /// does so, so that a huge file is never loaded.
    fn read_at_most(&self, relative: &Path, max: u64) -> Option<Capped> {
        let bytes = self.read(relative)?;
        Some(if bytes.len() as u64 > max {
            Capped::TooLarge {
                bytes: bytes.len() as u64,
            }
        } else {
            Capped::Read(bytes)
        })
    }

    /// Whether `relative` leads outside the repository although its name stays inside (a
    /// symbolic link). Sources without links (a commit) keep the default: never.
    fn leads_outside(&self, _relative: &Path) -> bool {
        false
    }

    /// Whether `relative` is a Git LFS pointer whose object is not in the local LFS store
    /// (`cases/` B40). Sources without LFS keep the default: never.
    fn lfs_missing(&self, _relative: &Path) -> bool {
        false
    }
}

/// The files of a commit, for rendering a released version: sizes read from git's object
/// headers before any file is loaded, LFS pointers read through to their objects.
pub struct CommitFiles<'r> {
    /// The repository.
    pub repo: &'r crate::repo::Repo,
    /// The commit (hex id).
    pub commit: String,
}

impl FileSource for CommitFiles<'_> {
    fn read(&self, relative: &Path) -> Option<Vec<u8>> {
        self.read_at_most(relative, u64::MAX).and_then(|c| match c {
            Capped::Read(bytes) => Some(bytes),
            Capped::TooLarge { .. } => None,
        })
    }

    fn read_at_most(&self, relative: &Path, max: u64) -> Option<Capped> {
        use crate::repo::lfs::Content;
        match self.repo.content_at_commit(&self.commit, relative, max)? {
            Content::Bytes(bytes) => Some(Capped::Read(bytes)),
            Content::TooLarge(bytes) => Some(Capped::TooLarge { bytes }),
            Content::LfsMissing(_) => None,
        }
    }

    fn lfs_missing(&self, relative: &Path) -> bool {
        matches!(
            self.repo.content_at_commit(&self.commit, relative, 0),
            Some(crate::repo::lfs::Content::LfsMissing(_))
        )
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

impl WorkTree {
    /// The real path of `relative`, if it is a file inside the root.
    fn inside(&self, relative: &Path) -> Option<PathBuf> {
        let real = self.root.join(relative).canonicalize().ok()?;
        let root = self.root.canonicalize().ok()?;
        (real.starts_with(&root) && real.is_file()).then_some(real)
    }
}

impl FileSource for WorkTree {
    fn read(&self, relative: &Path) -> Option<Vec<u8>> {
        std::fs::read(self.inside(relative)?).ok()
    }

    fn read_at_most(&self, relative: &Path, max: u64) -> Option<Capped> {
        let read = crate::fsx::read_at_most(&self.inside(relative)?, max).ok()?;
        // A Git LFS pointer where the file should be (a clone made without LFS content): the
        // image is not here ([`FileSource::lfs_missing`] says so).
        match &read {
            Capped::Read(bytes) if crate::repo::lfs::Pointer::parse(bytes).is_some() => None,
            _ => Some(read),
        }
    }

    fn lfs_missing(&self, relative: &Path) -> bool {
        self.inside(relative)
            .and_then(|path| crate::fsx::read_at_most(&path, 1024).ok())
            .is_some_and(|read| {
                matches!(read, Capped::Read(bytes) if crate::repo::lfs::Pointer::parse(&bytes).is_some())
            })
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

/// An image format sopctl embeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// PNG.
    Png,
    /// JPEG.
    Jpeg,
    /// GIF (HTML only).
    Gif,
    /// WebP (HTML only).
    WebP,
    /// SVG (HTML only).
    Svg,
}

impl Format {
    /// The media type: `image/png`, `image/jpeg`, `image/gif`, `image/webp`, `image/svg+xml`.
    pub fn media_type(self) -> &'static str {
        match self {
            Format::Png => "image/png",
            Format::Jpeg => "image/jpeg",
            Format::Gif => "image/gif",
            Format::WebP => "image/webp",
            Format::Svg => "image/svg+xml",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Format::Png => "PNG",
            Format::Jpeg => "JPEG",
            Format::Gif => "GIF",
            Format::WebP => "WebP",
            Format::Svg => "SVG",
        })
    }
}

/// `a PNG`, `an SVG`: the format with its article.
fn a(format: Format) -> String {
    let article = if format == Format::Svg { "an" } else { "a" };
    format!("{article} {format}")
}

/// An image of the repository that a rendition can show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Image {
    /// Relative to the repository root.
    pub relative: PathBuf,
    /// The format, from the file's bytes (not its name).
    pub format: Format,
    /// The file's bytes, at most [`MAX_BYTES`].
    pub bytes: Vec<u8>,
    /// Width and height in pixels, from the header; `None` for SVG.
    pub size: Option<(u32, u32)>,
}

/// Why an image reference is shown as its alt text. Displayed as what follows "the image `…`".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ImageProblem {
    /// A web address: not fetched.
    #[error("is on the web and is not downloaded")]
    Remote,
    /// Points outside the repository: never read.
    #[error("is outside the repository and is not read")]
    Outside,
    /// No such file.
    #[error("does not exist")]
    Missing,
    /// Kept in Git LFS, and its content is not in this copy of the repository.
    #[error("is kept in Git LFS, and its content is not in this copy of the repository")]
    LfsMissing,
    /// A file whose first bytes are none of the formats sopctl embeds.
    #[error("is not a PNG, JPEG, GIF, WebP or SVG image")]
    NotAnImage,
    /// A file larger than [`MAX_BYTES`]; it is not read.
    #[error("is {} an image may be", crate::fsx::over_limit(*bytes, MAX_BYTES))]
    TooManyBytes {
        /// Its size in bytes.
        bytes: u64,
    },
    /// More pixels than [`MAX_PIXELS`]: decoding it would take gigabytes of memory.
    #[error(
        "is {} × {} pixels, more than the {} million an image may have",
        crate::fsx::thousands(u64::from(*width)),
        crate::fsx::thousands(u64::from(*height)),
        MAX_PIXELS / 1_000_000
    )]
    TooManyPixels {
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// A header giving a width or height of 0.
    #[error("is {} image with no pixels ({width} × {height})", a(*format))]
    NoPixels {
        /// The format.
        format: Format,
        /// Width in pixels.
        width: u32,
        /// Height in pixels.
        height: u32,
    },
    /// The file ends before its format's end marker (PNG `IEND`, JPEG end of image).
    #[error("is {} file that ends early (truncated)", a(*format))]
    Truncated {
        /// The format.
        format: Format,
    },
    /// The header or the pixel data cannot be decoded.
    #[error("is not a readable {format} image: it could not be decoded ({reason})")]
    Undecodable {
        /// The format.
        format: Format,
        /// The decoder's words.
        reason: String,
    },
    /// Its pixels, with those of the images the PDF already shows, would be more than
    /// [`MAX_DECODED_BYTES`].
    #[error(
        "would take the decoded images of this document past {} MB",
        MAX_DECODED_BYTES / 1_000_000
    )]
    TooMuchDecoded,
    /// With the images the HTML already carries, more than [`MAX_HTML_EMBEDDED_BYTES`] (each
    /// reference carries its own copy: an HTML page cannot share one).
    #[error(
        "would take the images this HTML page carries past {} MB (each time an image is shown, the page carries it again)",
        MAX_HTML_EMBEDDED_BYTES / 1_000_000
    )]
    TooMuchEmbedded,
    /// Inside a sentence, a heading or a table cell, where the PDF shows an image's alt text
    /// (it draws images in a paragraph of their own; the HTML shows it in place).
    #[error(
        "is inside a line of text (a sentence, a heading or a table cell), where the PDF shows its alt text (the HTML shows it)"
    )]
    InText,
    /// An SVG image, which the PDF does not embed (it takes PNG, JPEG, GIF and WebP).
    #[error(
        "is {} image, which the PDF cannot show (it takes PNG, JPEG, GIF and WebP; the HTML shows it)",
        a(*format)
    )]
    NotInPdf {
        /// The format.
        format: Format,
    },
}

impl ImageProblem {
    /// What to do about it, to follow the message after a colon, if there is something to do.
    pub fn hint(&self) -> Option<&'static str> {
        match self {
            ImageProblem::Remote | ImageProblem::Outside | ImageProblem::Missing => None,
            ImageProblem::NotAnImage => Some("save it as PNG or JPEG"),
            ImageProblem::LfsMissing => Some("run  git lfs pull  to fetch it"),
            ImageProblem::TooManyBytes { .. } => {
                Some("save it smaller (fewer pixels, or JPEG for a photograph)")
            }
            ImageProblem::TooManyPixels { .. } => Some("scale it down"),
            ImageProblem::TooMuchDecoded => Some("scale the document's images down"),
            ImageProblem::TooMuchEmbedded => {
                Some("show each large image once, and scale the document's images down")
            }
            ImageProblem::NoPixels { .. }
            | ImageProblem::Truncated { .. }
            | ImageProblem::Undecodable { .. } => {
                Some("save it again from the program that made it")
            }
            ImageProblem::NotInPdf { .. } => Some("save a PNG copy and use that"),
            ImageProblem::InText => {
                Some("for the PDF to show it, put the image in a paragraph of its own")
            }
        }
    }
}

/// The most pixels an image may have: 50 million, far more than a 300 dpi photograph across a
/// whole A4 page (about 8.7 million). Decoding takes 3 to 4 bytes per pixel, so this bounds an
/// image's memory at about 200 MB. Checked in the header, before anything is decoded, for the
/// PDF and the HTML alike.
pub const MAX_PIXELS: u64 = 50_000_000;

/// The most bytes of decoded pixels one PDF rendition holds: 250 MB (250,000,000 bytes), an
/// image at [`MAX_PIXELS`] (200 MB as RGBA) or about forty full-HD screenshots. Each file is
/// decoded once however often the document shows it; an image that would go past the limit is
/// shown as its alt text ([`ImageProblem::TooMuchDecoded`]). The PDF writer holds every image
/// while it compresses them, with copies of the one being compressed, and a rendition stays
/// under 1 GB (issue 13).
pub const MAX_DECODED_BYTES: u64 = 250_000_000;

/// The most bytes of image files one HTML rendition embeds, counting each time an image is
/// shown (an HTML page carries an image in every `<img>` that shows it, as base64, a third
/// larger): 100 MB (100,000,000 bytes), so that a page stays well under 1 GB to make and to
/// open (issue 13).
pub const MAX_HTML_EMBEDDED_BYTES: u64 = 100_000_000;

/// The largest image file read: 20 MB (20,000,000 bytes), checked before the file is read. A
/// screenshot is well under 2 MB and a 12-megapixel photograph as JPEG about 4 MB; the HTML
/// carries each image as base64, a third larger again.
pub const MAX_BYTES: u64 = 20_000_000;

/// The format of image bytes, from their signature (or an SVG's root element).
pub fn format_of(bytes: &[u8]) -> Option<Format> {
    probe::detect(bytes)
}

/// The repository-relative path a relative reference names (`?query` and `#fragment` dropped,
/// percent-decoded: [`crate::doc::links::local_file`], as `check` reads it), resolved from the
/// folder of the document at `doc_relative`; `None` when it leaves the repository (an absolute
/// path, or `..` above the root).
pub fn repo_path(reference: &str, doc_relative: &Path) -> Option<PathBuf> {
    let path_part = crate::doc::links::local_file(reference);
    if Path::new(path_part.as_ref()).is_absolute() {
        return None;
    }
    let joined = doc_relative
        .parent()
        .unwrap_or(Path::new(""))
        .join(path_part.as_ref());
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
/// repository root), reads it from `files` (no more than [`MAX_BYTES`]) and checks its header
/// and structure (the private `probe` module). The pixels are not decoded: [`decode`] and
/// [`verify`] do that.
///
/// # Errors
/// The [`ImageProblem`] that keeps the image from being shown.
pub fn resolve(
    source: &str,
    doc_relative: &Path,
    files: &dyn FileSource,
) -> Result<Image, ImageProblem> {
    let source = source.trim();
    match crate::doc::links::scheme(source).as_deref() {
        Some("http" | "https") => return Err(ImageProblem::Remote),
        Some(_) => return Err(ImageProblem::Missing),
        None if source.starts_with("//") => return Err(ImageProblem::Remote),
        None => {}
    }
    let relative = repo_path(source, doc_relative).ok_or(ImageProblem::Outside)?;
    if files.leads_outside(&relative) {
        return Err(ImageProblem::Outside);
    }
    let bytes = match files.read_at_most(&relative, MAX_BYTES) {
        Some(Capped::Read(bytes)) => bytes,
        Some(Capped::TooLarge { bytes }) => return Err(ImageProblem::TooManyBytes { bytes }),
        None if files.lfs_missing(&relative) => return Err(ImageProblem::LfsMissing),
        None => return Err(ImageProblem::Missing),
    };
    let (format, size) = probe::examine(&bytes)?;
    Ok(Image {
        relative,
        format,
        bytes,
        size,
    })
}

/// What is wrong with the image file at `path` (already known to exist inside the repository),
/// from its header and structure, as [`resolve`] finds it; `None` when nothing is.
pub fn inspect_file(path: &Path) -> Option<ImageProblem> {
    let bytes = match crate::fsx::read_at_most(path, MAX_BYTES) {
        Ok(Capped::Read(bytes)) => bytes,
        Ok(Capped::TooLarge { bytes }) => return Some(ImageProblem::TooManyBytes { bytes }),
        Err(_) => return Some(ImageProblem::Missing),
    };
    // A Git LFS pointer in the work tree: the image itself was not fetched.
    if crate::repo::lfs::Pointer::parse(&bytes).is_some() {
        return Some(ImageProblem::LfsMissing);
    }
    let (format, size) = match probe::examine(&bytes) {
        Ok(found) => found,
        Err(problem) => return Some(problem),
    };
    // Whole but not decodable (a damaged PNG or JPEG): found here as the renditions find it.
    let image = Image {
        relative: path.to_path_buf(),
        format,
        bytes,
        size,
    };
    pixels::verify(&image).err()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A real 2 × 1 RGB PNG.
    fn png() -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        image::RgbImage::from_raw(2, 1, vec![255, 0, 0, 0, 0, 255])
            .expect("pixels")
            .write_to(&mut out, image::ImageFormat::Png)
            .expect("encode");
        out.into_inner()
    }

    struct Files;
    impl FileSource for Files {
        fn read(&self, relative: &Path) -> Option<Vec<u8>> {
            let png = png();
            match relative.to_str()? {
                "assets/a.png" => Some(png),
                "assets/cut.png" => png.get(..png.len() - 5).map(<[u8]>::to_vec),
                "assets/damaged.png" => {
                    // The pixel data's bytes changed, every chunk still whole.
                    let at = png.windows(4).position(|w| w == b"IDAT")? + 6;
                    let mut png = png;
                    png.get_mut(at..at + 4)?.fill(0xA5);
                    Some(png)
                }
                "assets/notes.png" => Some(b"just text".to_vec()),
                _ => None,
            }
        }

        fn read_at_most(&self, relative: &Path, max: u64) -> Option<Capped> {
            if relative == Path::new("assets/huge.png") {
                return Some(Capped::TooLarge { bytes: max + 1 });
            }
            Some(Capped::Read(self.read(relative)?))
        }
    }

    #[test]
    fn images_resolve_relative_to_the_document_and_stay_inside_the_repository() {
        let doc = Path::new("sops/area-2/SOP-025.md");
        let image = resolve("../../assets/a.png", doc, &Files).expect("an image");
        assert_eq!(
            (image.relative.as_path(), image.format, image.size),
            (Path::new("assets/a.png"), Format::Png, Some((2, 1)))
        );
        assert_eq!(
            decode(&image),
            Ok(Pixels {
                width: 2,
                height: 1,
                channels: Channels::Rgb,
                samples: vec![255, 0, 0, 0, 0, 255]
            })
        );
        for (source, problem) in [
            ("../../../etc/passwd", ImageProblem::Outside),
            ("/etc/passwd", ImageProblem::Outside),
            ("https://example.org/x.png", ImageProblem::Remote),
            ("img/none.png", ImageProblem::Missing),
            ("../../assets/notes.png", ImageProblem::NotAnImage),
            (
                "../../assets/huge.png",
                ImageProblem::TooManyBytes {
                    bytes: MAX_BYTES + 1,
                },
            ),
            (
                "../../assets/cut.png",
                ImageProblem::Truncated {
                    format: Format::Png,
                },
            ),
        ] {
            assert_eq!(resolve(source, doc, &Files), Err(problem), "{source}");
        }
    }

    #[test]
    fn damaged_pixel_data_is_found_by_decoding_and_named_in_plain_words() {
        let doc = Path::new("a.md");
        let image = resolve("assets/damaged.png", doc, &Files).expect("whole chunks");
        let problem = verify(&image).expect_err("damaged");
        assert!(
            problem
                .to_string()
                .starts_with("is not a readable PNG image: it could not be decoded ("),
            "{problem}"
        );
        assert_eq!(
            ImageProblem::TooManyBytes {
                bytes: 2_147_483_648
            }
            .to_string(),
            "is 2,147,483,648 bytes, more than the 20 MB (20,000,000 bytes) an image may be"
        );
        assert_eq!(
            ImageProblem::NotInPdf {
                format: Format::Svg
            }
            .to_string(),
            "is an SVG image, which the PDF cannot show (it takes PNG, JPEG, GIF and WebP; the HTML shows it)"
        );
    }
}
