//! LAYOUT: the document model into pages of positioned items, in points (SPEC §7).
//!
//! Takes the shared model ([`crate::model`]) and what is printed around it; returns a
//! [`LayoutDoc`]: page size, pages of [`Item`]s, the outline, the images, the heading anchors.
//! No printpdf type appears here: the writer translates items one to one. Coordinates are in
//! points (1/72 inch) with the origin at the **top-left** of the page and y growing downwards;
//! the writer converts to PDF's bottom-left origin. Text items are placed by their baseline.
//!
//! Layout is two-pass where it must be: the table of contents is laid out with room for page
//! numbers, and the numbers, "page X of Y" and the header and footer are filled in once the
//! body's pages are known.
//!
//! - [`flow`]: blocks (paragraphs, headings, lists, code, quotes, images, rules) down the pages.
//! - [`table`]: tables with column widths from content and a repeated header row.
//! - [`images`]: each image file decoded once, the rendition's decoded pixels bounded.
//! - [`page`]: the title block, the table of contents, header, footer and watermark.

mod code;
mod dump;
pub mod flow;
pub mod images;
mod marks;
pub mod page;
mod paragraph;
pub mod structure;
pub mod table;

use std::collections::BTreeMap;
use std::ops::{Add, AddAssign, Mul, Sub, SubAssign};

pub use self::dump::{dump, dump_into};
use super::fonts::FaceId;
use super::text::LinkTarget;
use crate::config::Paper;

/// A length in points (1/72 inch).
#[derive(Debug, Clone, Copy, PartialEq, PartialOrd, Default)]
pub struct Pt(pub f32);

impl Pt {
    /// Points from millimetres (1 mm = 72 / 25.4 pt).
    pub fn from_mm(mm: f32) -> Pt {
        Pt(mm * 72.0 / 25.4)
    }
}

impl Add for Pt {
    type Output = Pt;
    fn add(self, o: Pt) -> Pt {
        Pt(self.0 + o.0)
    }
}
impl Sub for Pt {
    type Output = Pt;
    fn sub(self, o: Pt) -> Pt {
        Pt(self.0 - o.0)
    }
}
impl Mul<f32> for Pt {
    type Output = Pt;
    fn mul(self, k: f32) -> Pt {
        Pt(self.0 * k)
    }
}
impl AddAssign for Pt {
    fn add_assign(&mut self, o: Pt) {
        self.0 += o.0;
    }
}
impl SubAssign for Pt {
    fn sub_assign(&mut self, o: Pt) {
        self.0 -= o.0;
    }
}

/// A colour, each channel 0.0–1.0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

impl Rgb {
    /// Body text.
    pub const BLACK: Rgb = Rgb(0.11, 0.14, 0.19);
    /// Secondary text (labels, header, footer).
    pub const GREY: Rgb = Rgb(0.36, 0.40, 0.46);
    /// Links.
    pub const LINK: Rgb = Rgb(0.12, 0.37, 0.66);
    /// Rules and table borders.
    pub const RULE: Rgb = Rgb(0.80, 0.83, 0.87);
    /// Code and table-header backgrounds.
    pub const BAND: Rgb = Rgb(0.955, 0.965, 0.973);
    /// The background of highlighted text (`<mark>`): a pale yellow.
    pub const HIGHLIGHT: Rgb = Rgb(1.0, 0.95, 0.6);
    /// The status mark and watermark.
    pub const MARK: Rgb = Rgb(0.71, 0.14, 0.09);
    /// The watermark's pale tint of [`Rgb::MARK`].
    pub const WATERMARK: Rgb = Rgb(0.97, 0.86, 0.85);
    /// A redline's inserted text (drawn underlined as well: never told apart by colour alone).
    pub const INSERTED: Rgb = Rgb(0.0, 0.27, 0.80);
    /// A redline's deleted text (drawn struck through as well).
    pub const DELETED: Rgb = Rgb(0.80, 0.0, 0.0);
    /// A redline's moved text (drawn with double lines as well).
    pub const MOVED: Rgb = Rgb(0.0, 0.50, 0.20);
}

/// Something drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A run of text in one face, starting at `x` with its baseline at `y`.
    Text {
        /// Left edge.
        x: Pt,
        /// Baseline, from the top of the page.
        y: Pt,
        /// Face.
        face: FaceId,
        /// Size in points.
        size: f32,
        /// The characters, one glyph each.
        text: String,
        /// Colour.
        color: Rgb,
        /// Rotation in degrees, counter-clockwise (the watermark); 0 for ordinary text.
        angle: f32,
    },
    /// A straight line.
    Line {
        /// Start.
        x1: Pt,
        /// Start, from the top.
        y1: Pt,
        /// End.
        x2: Pt,
        /// End, from the top.
        y2: Pt,
        /// Stroke width.
        width: Pt,
        /// Colour.
        color: Rgb,
    },
    /// A filled rectangle (backgrounds).
    Rect {
        /// Left.
        x: Pt,
        /// Top, from the top of the page.
        y: Pt,
        /// Width.
        w: Pt,
        /// Height.
        h: Pt,
        /// Fill colour.
        fill: Rgb,
    },
    /// An image, scaled to the box.
    Image {
        /// Left.
        x: Pt,
        /// Top.
        y: Pt,
        /// Width.
        w: Pt,
        /// Height.
        h: Pt,
        /// Index into [`LayoutDoc::images`].
        image: usize,
    },
    /// The items after it, up to the next mark, are content of a structure element or an
    /// artifact ([`structure`]); draws nothing.
    Mark(structure::Mark),
    /// A clickable area (no visible border).
    Link {
        /// Left.
        x: Pt,
        /// Top.
        y: Pt,
        /// Width.
        w: Pt,
        /// Height.
        h: Pt,
        /// Where it goes.
        target: LinkTarget,
    },
}

/// One page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    /// Items in drawing order (later items over earlier ones).
    pub items: Vec<Item>,
}

/// A bookmark.
#[derive(Debug, Clone, PartialEq)]
pub struct OutlineEntry {
    /// Heading level, 1–6.
    pub level: u8,
    /// The heading's text.
    pub title: String,
    /// Page index, from 0.
    pub page: usize,
    /// Top of the heading, from the top of the page.
    pub y: Pt,
}

/// An embedded image, read once while laying out (a file that cannot be shown is shown as its
/// alt text instead).
#[derive(Debug, Clone, PartialEq)]
pub enum ImageData {
    /// A picture's decoded pixels, stored by the writer losslessly.
    Pixels(crate::render::images::Pixels),
    /// An SVG image, drawn as vectors.
    Drawing(crate::render::images::Drawing),
}

impl ImageData {
    /// Its width and height in CSS pixels (96 to the inch).
    pub fn size(&self) -> (f32, f32) {
        match self {
            ImageData::Pixels(p) => (p.width as f32, p.height as f32),
            ImageData::Drawing(d) => d.size,
        }
    }
}

/// A laid-out document.
#[derive(Debug, Clone, PartialEq)]
pub struct LayoutDoc {
    /// Page width.
    pub width: Pt,
    /// Page height.
    pub height: Pt,
    /// The pages.
    pub pages: Vec<Page>,
    /// Bookmarks, in document order.
    pub outline: Vec<OutlineEntry>,
    /// Embedded images.
    pub images: Vec<ImageData>,
    /// Heading anchors: page index and y of each heading, for internal links.
    pub anchors: BTreeMap<String, (usize, Pt)>,
    /// The logical structure, in reading order.
    pub structure: structure::Structure,
}

/// Something the reader should know, found while laying out.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub enum LayoutWarning {
    /// No embedded face has a glyph for this character; it shows as a box. With the source line.
    MissingGlyph {
        /// The character.
        c: char,
        /// The first source line it appears on.
        line: usize,
    },
}

/// The page and its margins (SPEC §7: A4 or Letter).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Geometry {
    /// Page width.
    pub width: Pt,
    /// Page height.
    pub height: Pt,
    /// Left edge of the text.
    pub left: Pt,
    /// Right edge of the text.
    pub right: Pt,
    /// Top of the body (below the header band).
    pub top: Pt,
    /// Bottom of the body (above the footer band).
    pub bottom: Pt,
}

impl Geometry {
    /// A4 (210 × 297 mm) or Letter (8.5 × 11 in), 20 mm side margins, a 25 mm header band and
    /// a 22 mm footer band.
    pub fn for_paper(paper: Paper) -> Geometry {
        let (width, height) = match paper {
            Paper::A4 => (Pt::from_mm(210.0), Pt::from_mm(297.0)),
            Paper::Letter => (Pt(612.0), Pt(792.0)),
        };
        Geometry {
            width,
            height,
            left: Pt::from_mm(20.0),
            right: width - Pt::from_mm(20.0),
            top: Pt::from_mm(25.0),
            bottom: height - Pt::from_mm(22.0),
        }
    }

    /// The width of the text column.
    pub fn text_width(&self) -> Pt {
        self.right - self.left
    }
}

/// A laid-out document and what the reader should know about it.
#[derive(Debug, Clone)]
pub struct Laid {
    /// The pages.
    pub doc: LayoutDoc,
    /// Characters no embedded face has.
    pub missing: std::collections::BTreeSet<char>,
    /// Image problems.
    pub warnings: Vec<crate::render::RenderWarning>,
}

/// Lays out a document: title block, table of contents, body, notes, then page numbers,
/// header, footer and watermark.
pub fn layout(
    doc: &crate::model::Document,
    meta: &crate::render::RenderMeta,
    files: &dyn crate::render::images::FileSource,
    doc_relative: &std::path::Path,
    paper: Paper,
) -> Laid {
    layout_with(
        doc,
        meta,
        files,
        doc_relative,
        paper,
        crate::render::Contents::Listed,
    )
}

/// As [`layout`], the table of contents left out when `contents` says so, and change bars
/// drawn beside a redline's changed lines.
pub fn layout_with(
    doc: &crate::model::Document,
    meta: &crate::render::RenderMeta,
    files: &dyn crate::render::images::FileSource,
    doc_relative: &std::path::Path,
    paper: Paper,
    contents: crate::render::Contents<'_>,
) -> Laid {
    let geo = Geometry::for_paper(paper);
    let mut flow = flow::Flow::new(geo, files, doc_relative);
    flow.hyphenation = super::hyphenate::language(&meta.lang);
    flow.justify = meta.justify;
    page::title_block(&mut flow, meta);
    let entries: Vec<page::TocEntry> = doc
        .headings()
        .into_iter()
        .filter(|h| h.level <= meta.toc_depth && contents == crate::render::Contents::Listed)
        .map(|h| page::TocEntry {
            level: h.level,
            text: h.text.clone(),
            anchor: h.anchor.clone(),
        })
        .collect();
    let patches = page::toc(&mut flow, &entries);
    if let crate::render::Contents::Summary(blocks) = contents {
        flow.blocks(blocks, geo.left, geo.text_width(), 0, false);
        flow.change_bars.clear();
    }
    flow.blocks(&doc.blocks, geo.left, geo.text_width(), 0, false);
    if !doc.footnotes.is_empty() {
        flow.ensure(Pt(60.0));
        flow.y += Pt(10.0);
        let outer = flow.artifact();
        flow.push(Item::Line {
            x1: geo.left,
            y1: flow.y,
            x2: geo.left + Pt(120.0),
            y2: flow.y,
            width: Pt(0.6),
            color: Rgb::RULE,
        });
        flow.restore(outer);
        flow.y += Pt(6.0);
        // The notes' text starts right of the widest number ("100." is wider than "1.").
        let widest = doc.footnotes.iter().map(|n| n.number).max().unwrap_or(1);
        let label = super::fonts::text_width(FaceId::Sans, &format!("{widest}."), 9.0);
        let indent = Pt(16.0f32.max(label + 5.0));
        for note in &doc.footnotes {
            flow.ensure(Pt(flow::BODY_LH));
            let outer = flow.open(structure::Role::Note);
            let baseline = flow.y + Pt(flow::BODY_LH * 0.5 + 3.2);
            let label = flow.open(structure::Role::Lbl);
            flow.push(Item::Text {
                x: geo.left,
                y: baseline,
                face: FaceId::Sans,
                size: 9.0,
                text: format!("{}.", note.number),
                color: Rgb::BLACK,
                angle: 0.0,
            });
            flow.restore(label);
            // A note's paragraphs stay apart as in the body; the notes themselves sit close.
            for (i, block) in note.blocks.iter().enumerate() {
                if i > 0 {
                    flow.y += Pt(flow::PARA_GAP);
                }
                flow.blocks(
                    std::slice::from_ref(block),
                    geo.left + indent,
                    geo.text_width() - indent,
                    1,
                    true,
                );
            }
            flow.restore(outer);
            flow.y += Pt(2.0);
        }
    }
    flow.draw_change_bars();
    page::fill_page_numbers(&mut flow, &patches);
    page::chrome(&mut flow, meta);
    Laid {
        doc: LayoutDoc {
            width: geo.width,
            height: geo.height,
            pages: flow.pages,
            outline: flow.outline,
            images: flow.images,
            anchors: flow.anchors,
            structure: flow.structure,
        },
        missing: flow.missing,
        warnings: flow.warnings,
    }
}
