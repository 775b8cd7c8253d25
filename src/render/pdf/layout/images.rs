//! The images of one PDF rendition: each file decoded once, however often the document shows
//! it, and the decoded pixels of all of them bounded by [`images::MAX_DECODED_BYTES`]
//! (issue 13).
//!
//! Every reference to the same file gets the same [`ImageData`] (an index into
//! [`super::LayoutDoc::images`]), so the PDF stores it once and draws it at each place.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use super::flow::{BODY_LH, Ctx, Flow, PARA_GAP};
use super::{ImageData, Item, Pt, Rgb};
use crate::render::RenderWarning;
use crate::render::images::{self, FileSource, ImageProblem, MAX_DECODED_BYTES};
use crate::render::pdf::text::Span;

/// What has been decoded so far.
#[derive(Debug)]
pub struct Decoded {
    /// By the reference as written, its outcome (an index into the images or the problem).
    by_source: HashMap<String, Result<usize, ImageProblem>>,
    /// By the file (relative to the repository root), its index.
    by_file: HashMap<PathBuf, usize>,
    /// Bytes of decoded pixels held.
    bytes: u64,
    /// The most bytes of decoded pixels held: [`MAX_DECODED_BYTES`].
    budget: u64,
}

impl Default for Decoded {
    fn default() -> Decoded {
        Decoded {
            by_source: HashMap::new(),
            by_file: HashMap::new(),
            bytes: 0,
            budget: MAX_DECODED_BYTES,
        }
    }
}

impl Decoded {
    /// The index in `images` of the image `source` refers to (from the document at
    /// `doc_relative`): decoded and added the first time a file is shown, the same index
    /// afterwards.
    ///
    /// # Errors
    /// The [`ImageProblem`] that keeps it from being shown, the same each time;
    /// [`ImageProblem::TooMuchDecoded`] when its pixels (by its header, at most 4 bytes a
    /// pixel) could take the rendition's images past [`images::MAX_DECODED_BYTES`].
    pub fn index(
        &mut self,
        source: &str,
        doc_relative: &Path,
        files: &dyn FileSource,
        images: &mut Vec<ImageData>,
    ) -> Result<usize, ImageProblem> {
        if let Some(known) = self.by_source.get(source) {
            return known.clone();
        }
        let found = images::resolve(source, doc_relative, files)
            .and_then(|image| self.decode(image, images));
        self.by_source.insert(source.to_string(), found.clone());
        found
    }

    /// The index of `image`, decoded unless its file already was.
    fn decode(
        &mut self,
        image: images::Image,
        images: &mut Vec<ImageData>,
    ) -> Result<usize, ImageProblem> {
        if let Some(index) = self.by_file.get(&image.relative) {
            return Ok(*index);
        }
        // The header's size, before anything is decoded (an image is at most 4 bytes a pixel).
        if let Some((width, height)) = image.size {
            let most = u64::from(width) * u64::from(height) * 4;
            if self.bytes + most > self.budget {
                return Err(ImageProblem::TooMuchDecoded);
            }
        }
        let data = if image.format == images::Format::Svg {
            ImageData::Drawing(images::drawing(&image)?)
        } else {
            let pixels = images::decode(&image)?;
            let bytes = pixels.samples.len() as u64;
            if self.bytes + bytes > self.budget {
                return Err(ImageProblem::TooMuchDecoded);
            }
            self.bytes += bytes;
            ImageData::Pixels(pixels)
        };
        let index = images.len();
        images.push(data);
        self.by_file.insert(image.relative, index);
        Ok(index)
    }
}

use super::structure::Role;

impl Flow<'_> {
    /// An image block: the picture scaled to the column (96 pixels to the inch, never wider
    /// than `width` or taller than the page, in points), or its alt text in grey italics with a
    /// warning when it cannot be shown.
    pub(super) fn image(&mut self, source: &str, alt: &str, x: Pt, width: Pt) {
        let placeholder = |flow: &mut Flow<'_>| {
            let ctx = Ctx {
                italic: true,
                color: Rgb::GREY,
                ..Ctx::body()
            };
            let s = vec![Span {
                text: format!("[image: {}]", if alt.is_empty() { source } else { alt }),
                style: ctx.style(false),
            }];
            let broken = flow.break_spans(&s, width);
            let outer = flow.open(Role::P);
            flow.place_lines(&broken, x, BODY_LH);
            flow.restore(outer);
            flow.y += Pt(PARA_GAP);
        };
        let found = self
            .decoded
            .index(source, self.doc_relative, self.files, &mut self.images);
        let pixels = match found.map(|i| self.images.get(i).map(|image| (i, image.size()))) {
            Ok(Some((index, (width, height)))) => (index, width, height),
            Ok(None) => return,
            Err(problem) => {
                self.warnings.push(RenderWarning::Image {
                    source: source.to_string(),
                    problem,
                });
                placeholder(self);
                return;
            }
        };
        let (index, width_px, height_px) = pixels;
        // 96 pixels to the inch, as browsers show them; never larger than the column or page.
        let mut w = width_px * 0.75;
        let mut h = height_px * 0.75;
        let max_h = (self.geo.bottom - self.geo.top).0 - 12.0;
        let scale = (width.0 / w).min(max_h / h).min(1.0);
        w *= scale;
        h *= scale;
        self.ensure(Pt(h + 6.0));
        self.y += Pt(3.0);
        // A figure's alternate description (PDF/UA-1 §7.3): its alt text, or its file's name.
        let outer = self.open(Role::Figure);
        if let Some(node) = self.current.and_then(|n| self.structure.nodes.get_mut(n)) {
            node.text = if alt.trim().is_empty() {
                format!("Image {source}")
            } else {
                alt.to_string()
            };
        }
        self.push(Item::Image {
            x,
            y: self.y,
            w: Pt(w),
            h: Pt(h),
            image: index,
        });
        self.restore(outer);
        if self.revision.is_some() {
            // An image a redline marks has a change bar beside it, as a changed line does.
            self.change_bar(self.y, self.y + Pt(h));
        }
        self.y += Pt(h + 3.0 + PARA_GAP);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::io::Cursor;

    fn png(width: u32, height: u32) -> Vec<u8> {
        let mut bytes = Vec::new();
        image::RgbImage::from_pixel(width, height, image::Rgb([200, 30, 30]))
            .write_to(&mut Cursor::new(&mut bytes), image::ImageFormat::Png)
            .expect("encodes");
        bytes
    }

    /// A repository of two images that counts how often each file is read.
    struct Files {
        reads: RefCell<Vec<PathBuf>>,
    }

    impl FileSource for Files {
        fn read(&self, relative: &Path) -> Option<Vec<u8>> {
            self.reads.borrow_mut().push(relative.to_path_buf());
            match relative.to_str()? {
                "sops/figure.png" => Some(png(40, 30)),
                "sops/large.png" => Some(png(200, 100)),
                _ => None,
            }
        }
    }

    #[test]
    fn an_image_shown_ten_times_is_decoded_once_and_shared() {
        let files = Files {
            reads: RefCell::new(Vec::new()),
        };
        let mut decoded = Decoded::default();
        let mut images = Vec::new();
        let doc = Path::new("sops/procedure.md");
        for _ in 0..10 {
            assert_eq!(decoded.index("figure.png", doc, &files, &mut images), Ok(0));
        }
        // The same file written another way is read again but not decoded again.
        assert_eq!(
            decoded.index("./figure.png", doc, &files, &mut images),
            Ok(0)
        );
        assert_eq!(images.len(), 1);
        assert_eq!(files.reads.borrow().len(), 2);
        assert_eq!(decoded.bytes, 40 * 30 * 3);
        let missing = decoded.index("gone.png", doc, &files, &mut images);
        assert_eq!(missing, Err(ImageProblem::Missing));
        assert_eq!(decoded.index("gone.png", doc, &files, &mut images), missing);
        assert_eq!(files.reads.borrow().len(), 3);
    }

    #[test]
    fn an_image_that_would_pass_the_budget_is_refused_and_the_others_still_shown() {
        let files = Files {
            reads: RefCell::new(Vec::new()),
        };
        let mut decoded = Decoded {
            budget: 40 * 30 * 3 + 200 * 100 * 3 - 1,
            ..Decoded::default()
        };
        let mut images = Vec::new();
        let doc = Path::new("sops/procedure.md");
        assert_eq!(decoded.index("figure.png", doc, &files, &mut images), Ok(0));
        assert_eq!(
            decoded.index("large.png", doc, &files, &mut images),
            Err(ImageProblem::TooMuchDecoded)
        );
        assert_eq!(decoded.index("figure.png", doc, &files, &mut images), Ok(0));
        assert_eq!(images.len(), 1);
        assert_eq!(decoded.bytes, 40 * 30 * 3);
        assert_eq!(
            ImageProblem::TooMuchDecoded.to_string(),
            "would take the decoded images of this document past 250 MB"
        );
    }

    #[test]
    fn every_reference_to_one_file_draws_the_one_image() {
        let mut text = String::from("---\nid: SOP-001\ntitle: Figures\nowner: QA\n---\n\n");
        for n in 0..10 {
            text.push_str(&format!("Step {n}.\n\n![the figure](figure.png)\n\n"));
        }
        let path = Path::new("sops/procedure.md");
        let sop = crate::doc::Sop::from_bytes(path, text.into_bytes()).expect("sop");
        let doc = crate::model::Document::parse(sop.body(), sop.body_first_line());
        let meta = crate::render::RenderMeta::of(&sop, "", "", None);
        let files = Files {
            reads: RefCell::new(Vec::new()),
        };
        let laid = super::super::layout(&doc, &meta, &files, path, crate::config::Paper::A4);
        assert_eq!(laid.doc.images.len(), 1);
        let drawn: Vec<usize> = laid
            .doc
            .pages
            .iter()
            .flat_map(|p| &p.items)
            .filter_map(|i| match i {
                super::super::Item::Image { image, .. } => Some(*image),
                _ => None,
            })
            .collect();
        assert_eq!(drawn, [0; 10]);
        assert_eq!(files.reads.borrow().len(), 1);
        assert!(laid.warnings.is_empty(), "{:?}", laid.warnings);
    }
}
