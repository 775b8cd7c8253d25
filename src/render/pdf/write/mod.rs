//! WRITE: a [`LayoutDoc`] as PDF bytes. The only code that imports printpdf.
//!
//! It translates items one to one and decides nothing about layout. It owns reproducibility,
//! which printpdf does not give (its resource names and the trailer `/ID` come from a
//! process-wide random counter): fonts and images get fixed names (`F1`…, `Im1`…), the subset
//! tag is fixed per face, dates come from the caller (the release date or `SOURCE_DATE_EPOCH`),
//! and the `/ID` is a SHA-256 of the layout (ISO 32000-1 §14.4 asks only that it identify the
//! file). printpdf's bookmarks are flat, so the nested outline (ISO 32000-1 §12.3.3) is built
//! here on the lopdf document printpdf produces, before it is saved.
//!
//! Fonts are embedded as subsets (printpdf's `text_layout` feature, through allsorts); images
//! are stored with Flate compression at full resolution (lossless).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{
    Actions, BorderArray, Color, ColorArray, Destination, FontId, ImageCompression,
    ImageOptimizationOptions, LinkAnnotation, Op, PaintMode, ParsedFont, PdfDocument,
    PdfFontHandle, PdfPage, PdfSaveOptions, Point, RawImage, RawImageData, RawImageFormat, Rect,
    TextItem, TextMatrix, XObject, XObjectId, XObjectTransform,
};
use sha2::{Digest, Sha256};

use super::fonts::FaceId;
use super::layout::{Item, LayoutDoc, Pt, Rgb, dump_into};
use super::text::LinkTarget;

/// Document information (PDF `/Info`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocInfo {
    /// Title.
    pub title: String,
    /// Author: the document's owner.
    pub author: String,
    /// Subject.
    pub subject: String,
    /// Keywords.
    pub keywords: Vec<String>,
    /// Creation and modification time, seconds since the Unix epoch.
    pub date: i64,
    /// The document's language (BCP 47, e.g. `en`), written as the catalog's `/Lang`.
    pub lang: String,
    /// Keys of sopctl's own in the document information (`SOP-ID`, `SOP-Version`,
    /// `SOP-Status`, see [`crate::render::IDENTITY`]) and their values.
    pub identity: Vec<(String, String)>,
}

/// The PDF could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// An embedded font did not parse (a broken build).
    #[error("the embedded font {0} could not be read")]
    Font(&'static str),
}

fn color(c: Rgb) -> Color {
    Color::Rgb(printpdf::Rgb::new(c.0, c.1, c.2, None))
}

fn font_id(face: FaceId) -> FontId {
    // Six capital letters: also the subset tag (ISO 32000-1 §9.6.4).
    let tag = match face {
        FaceId::Sans => "SOPSAA",
        FaceId::SansBold => "SOPSAB",
        FaceId::SansItalic => "SOPSAC",
        FaceId::SansBoldItalic => "SOPSAD",
        FaceId::Mono => "SOPSAE",
        FaceId::MonoBold => "SOPSAF",
    };
    FontId(tag.to_string())
}

/// Decoded pixels as printpdf's image, 8 bits a sample.
fn raw_image(pixels: crate::render::images::Pixels) -> RawImage {
    use crate::render::images::Channels;
    RawImage {
        pixels: RawImageData::U8(pixels.samples),
        width: pixels.width as usize,
        height: pixels.height as usize,
        data_format: match pixels.channels {
            Channels::Gray => RawImageFormat::R8,
            Channels::GrayAlpha => RawImageFormat::RG8,
            Channels::Rgb => RawImageFormat::RGB8,
            Channels::Rgba => RawImageFormat::RGBA8,
        },
        tag: Vec::new(),
    }
}

/// Writes the PDF. The layout is consumed: its images' pixels move into the PDF's image
/// objects instead of being copied.
///
/// # Errors
/// [`WriteError::Font`] if an embedded font does not parse.
pub fn write(mut layout: LayoutDoc, info: &DocInfo) -> Result<Vec<u8>, WriteError> {
    let mut doc = PdfDocument::new(&info.title);
    let mut warnings = Vec::new();
    // Fonts actually used, each under a fixed name.
    let mut used: Vec<FaceId> = layout
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            Item::Text { face, .. } => Some(*face),
            _ => None,
        })
        .collect();
    used.sort();
    used.dedup();
    for face in used {
        let parsed = ParsedFont::from_bytes(face.bytes(), 0, &mut Vec::new())
            .ok_or(WriteError::Font(face.name()))?;
        doc.resources
            .fonts
            .map
            .insert(font_id(face), printpdf::PdfFont::new(parsed));
    }
    let mut image_ids = Vec::new();
    // Moved, not copied: the pixels are the largest part of a document with photographs.
    for (n, image) in std::mem::take(&mut layout.images).into_iter().enumerate() {
        let id = XObjectId(format!("Im{}", n + 1));
        let raw = raw_image(image.pixels);
        let (w, h) = (raw.width, raw.height);
        doc.resources
            .xobjects
            .map
            .insert(id.clone(), XObject::Image(raw));
        image_ids.push(Some((id, w, h)));
    }

    let height = layout.height;
    let flip = |y: Pt| printpdf::Pt(height.0 - y.0);
    let mut pages = Vec::new();
    for page in &layout.pages {
        let mut ops = Vec::new();
        // Graphics and text state carried between items, so that consecutive text runs share
        // one text object and colours and fonts are set only when they change.
        let mut in_text = false;
        let mut font: Option<(FaceId, f32)> = None;
        let mut fill: Option<Rgb> = None;
        let mut stroke: Option<(Rgb, f32)> = None;
        for item in &page.items {
            if in_text && !matches!(item, Item::Text { .. }) {
                ops.push(Op::EndTextSection);
                in_text = false;
            }
            match item {
                Item::Text {
                    x,
                    y,
                    face,
                    size,
                    text,
                    color: c,
                    angle,
                } => {
                    if !in_text {
                        ops.push(Op::StartTextSection);
                        in_text = true;
                    }
                    if font != Some((*face, *size)) {
                        ops.push(Op::SetFont {
                            font: PdfFontHandle::External(font_id(*face)),
                            size: printpdf::Pt(*size),
                        });
                        font = Some((*face, *size));
                    }
                    if fill != Some(*c) {
                        ops.push(Op::SetFillColor { col: color(*c) });
                        fill = Some(*c);
                    }
                    let matrix = if *angle == 0.0 {
                        TextMatrix::Translate(printpdf::Pt(x.0), flip(*y))
                    } else {
                        TextMatrix::TranslateRotate(printpdf::Pt(x.0), flip(*y), *angle)
                    };
                    ops.push(Op::SetTextMatrix { matrix });
                    ops.push(Op::ShowText {
                        items: vec![TextItem::Text(text.clone())],
                    });
                }
                Item::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                    color: c,
                } => {
                    if stroke != Some((*c, width.0)) {
                        ops.push(Op::SetOutlineColor { col: color(*c) });
                        ops.push(Op::SetOutlineThickness {
                            pt: printpdf::Pt(width.0),
                        });
                        stroke = Some((*c, width.0));
                    }
                    ops.push(Op::DrawLine {
                        line: printpdf::Line {
                            points: vec![
                                printpdf::LinePoint {
                                    p: Point {
                                        x: printpdf::Pt(x1.0),
                                        y: flip(*y1),
                                    },
                                    bezier: false,
                                },
                                printpdf::LinePoint {
                                    p: Point {
                                        x: printpdf::Pt(x2.0),
                                        y: flip(*y2),
                                    },
                                    bezier: false,
                                },
                            ],
                            is_closed: false,
                        },
                    });
                }
                Item::Rect {
                    x,
                    y,
                    w,
                    h,
                    fill: f,
                } => {
                    if fill != Some(*f) {
                        ops.push(Op::SetFillColor { col: color(*f) });
                        fill = Some(*f);
                    }
                    let mut rect = Rect::from_xywh(
                        printpdf::Pt(x.0),
                        flip(*y + *h),
                        printpdf::Pt(w.0),
                        printpdf::Pt(h.0),
                    );
                    rect.mode = Some(PaintMode::Fill);
                    ops.push(Op::DrawRectangle { rectangle: rect });
                }
                Item::Image { x, y, w, h, image } => {
                    if let Some(Some((id, pw, ph))) = image_ids.get(*image) {
                        // At 72 dpi one pixel is one point; scale to the box.
                        ops.push(Op::UseXobject {
                            id: id.clone(),
                            transform: XObjectTransform {
                                translate_x: Some(printpdf::Pt(x.0)),
                                translate_y: Some(flip(*y + *h)),
                                rotate: None,
                                scale_x: Some(w.0 / *pw as f32),
                                scale_y: Some(h.0 / *ph as f32),
                                dpi: Some(72.0),
                                no_auto_scale: false,
                            },
                        });
                    }
                }
                Item::Link { x, y, w, h, target } => {
                    let actions = match target {
                        LinkTarget::Uri(uri) => Actions::uri(uri.clone()),
                        LinkTarget::Anchor(anchor) => match layout.anchors.get(anchor) {
                            Some((page, top)) => Actions::go_to(Destination::Xyz {
                                page: page + 1,
                                left: None,
                                top: Some(height.0 - top.0 + 4.0),
                                zoom: None,
                            }),
                            None => continue,
                        },
                    };
                    ops.push(Op::LinkAnnotation {
                        link: LinkAnnotation::new(
                            Rect::from_xywh(
                                printpdf::Pt(x.0),
                                flip(*y + *h),
                                printpdf::Pt(w.0),
                                printpdf::Pt(h.0),
                            ),
                            actions,
                            Some(BorderArray::Solid([0.0, 0.0, 0.0])),
                            Some(ColorArray::Transparent),
                            None,
                        ),
                    });
                }
            }
        }
        if in_text {
            ops.push(Op::EndTextSection);
        }
        let mut p = PdfPage::new(printpdf::Mm(0.0), printpdf::Mm(0.0), ops);
        p.media_box = Rect::from_wh(printpdf::Pt(layout.width.0), printpdf::Pt(layout.height.0));
        p.trim_box = p.media_box.clone();
        p.crop_box = p.media_box.clone();
        pages.push(p);
    }

    let date = printpdf::OffsetDateTime::from_unix_timestamp(info.date)
        .or_else(|_| printpdf::OffsetDateTime::from_unix_timestamp(0))
        .map_err(|_| WriteError::Font("date"))?;
    {
        let i = &mut doc.metadata.info;
        i.document_title = info.title.clone();
        i.author = info.author.clone();
        i.subject = info.subject.clone();
        i.keywords = info.keywords.clone();
        i.creator = format!("sopctl {}", env!("CARGO_PKG_VERSION"));
        i.producer = format!("sopctl {} (printpdf)", env!("CARGO_PKG_VERSION"));
        i.creation_date = date;
        i.modification_date = date;
        i.metadata_date = date;
    }
    doc.with_pages(pages);
    let options = PdfSaveOptions {
        optimize: true,
        subset_fonts: true,
        secure: true,
        image_optimization: Some(ImageOptimizationOptions {
            format: Some(ImageCompression::Flate),
            max_image_size: None,
            auto_optimize: Some(false),
            quality: Some(1.0),
            ..Default::default()
        }),
    };
    let mut lo = printpdf::serialize::to_lopdf_doc(&doc, &options, &mut warnings);
    // The pages' operations are in `lo` now: free them before compressing.
    drop(doc);
    add_outline(&mut lo, &layout);
    // printpdf writes an empty PDF/X version key, which makes readers claim the file is PDF/X
    // (ISO 15930); it is not. Drop it and the empty identifier; name the language.
    if let Ok(info_ref) = lo.trailer.get(b"Info").and_then(Object::as_reference)
        && let Ok(Object::Dictionary(info_dict)) = lo.get_object_mut(info_ref)
    {
        info_dict.remove(b"GTS_PDFXVersion");
        info_dict.remove(b"Identifier");
        for (key, value) in &info.identity {
            info_dict.set(key.as_bytes().to_vec(), text_string(value));
        }
    }
    if !info.lang.is_empty()
        && let Ok(catalog) = lo.catalog_mut()
    {
        catalog.set(
            "Lang",
            Object::String(info.lang.as_bytes().to_vec(), StringFormat::Literal),
        );
    }
    // A stable document ID from what the document shows.
    let mut digest = Hashing(Sha256::new());
    dump_into(&layout, &mut digest);
    let mut digest = digest.0;
    digest.update(info.title.as_bytes());
    digest.update(info.date.to_le_bytes());
    let hash = digest.finalize();
    let mut hex = String::new();
    for b in hash.iter().take(16) {
        let _ = write!(hex, "{b:02x}");
    }
    lo.trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(hex.as_bytes().to_vec(), StringFormat::Literal),
            Object::String(hex.as_bytes().to_vec(), StringFormat::Literal),
        ]),
    );
    lo.compress();
    let mut bytes = Vec::new();
    let _ = lo.save_to(&mut bytes);
    Ok(bytes)
}

/// Text written into a SHA-256 hash instead of a string.
struct Hashing(Sha256);

impl std::fmt::Write for Hashing {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.0.update(s.as_bytes());
        Ok(())
    }
}

/// A PDF text string: ASCII as it is, anything else as UTF-16BE with a byte-order mark
/// (ISO 32000-1 §7.9.2.2).
fn text_string(text: &str) -> Object {
    if text.is_ascii() {
        Object::String(text.as_bytes().to_vec(), StringFormat::Literal)
    } else {
        let mut bytes = vec![0xFE, 0xFF];
        for unit in text.encode_utf16() {
            bytes.extend_from_slice(&unit.to_be_bytes());
        }
        Object::String(bytes, StringFormat::Hexadecimal)
    }
}

/// Builds the nested outline from the headings (ISO 32000-1 §12.3.3): each heading is a child
/// of the nearest earlier heading of a higher level.
#[allow(
    clippy::indexing_slicing,
    reason = "`parents` and object ids are indexed by entry numbers below `outline.len()`"
)]
fn add_outline(doc: &mut lopdf::Document, layout: &LayoutDoc) {
    if layout.outline.is_empty() {
        return;
    }
    let pages: BTreeMap<u32, ObjectId> = doc.get_pages();
    let root = doc.new_object_id();
    let ids: Vec<ObjectId> = layout.outline.iter().map(|_| doc.new_object_id()).collect();
    // Parent of each entry (None: the outline root).
    let mut parents: Vec<Option<usize>> = Vec::with_capacity(ids.len());
    let mut stack: Vec<usize> = Vec::new();
    for (i, entry) in layout.outline.iter().enumerate() {
        while let Some(&top) = stack.last() {
            if layout.outline[top].level < entry.level {
                break;
            }
            stack.pop();
        }
        parents.push(stack.last().copied());
        stack.push(i);
    }
    // Each entry's children and the top-level entries, in order: built once, so the outline
    // costs time linear in its entries (10,000 headings are 10,000 entries).
    let mut kids_of: Vec<Vec<usize>> = vec![Vec::new(); ids.len()];
    let mut top_level: Vec<usize> = Vec::new();
    // Each entry's place among its siblings.
    let mut place = vec![0usize; ids.len()];
    for (i, parent) in parents.iter().enumerate() {
        let siblings = match parent {
            Some(p) => &mut kids_of[*p],
            None => &mut top_level,
        };
        place[i] = siblings.len();
        siblings.push(i);
    }
    let mut descendants = vec![0i64; ids.len()];
    for i in (0..ids.len()).rev() {
        if let Some(p) = parents[i] {
            descendants[p] += 1 + descendants[i];
        }
    }
    for (i, entry) in layout.outline.iter().enumerate() {
        let mut d = Dictionary::new();
        d.set("Title", text_string(&entry.title));
        d.set(
            "Parent",
            Object::Reference(parents[i].map_or(root, |p| ids[p])),
        );
        let siblings = match parents[i] {
            Some(p) => &kids_of[p],
            None => &top_level,
        };
        let pos = place[i];
        if pos > 0 {
            d.set("Prev", Object::Reference(ids[siblings[pos - 1]]));
        }
        if let Some(next) = siblings.get(pos + 1) {
            d.set("Next", Object::Reference(ids[*next]));
        }
        let kids = &kids_of[i];
        if let (Some(first), Some(last)) = (kids.first(), kids.last()) {
            d.set("First", Object::Reference(ids[*first]));
            d.set("Last", Object::Reference(ids[*last]));
            d.set("Count", Object::Integer(descendants[i]));
        }
        if let Some(page) = pages.get(&(entry.page as u32 + 1)) {
            let top = layout.height.0 - entry.y.0 + 4.0;
            d.set(
                "Dest",
                Object::Array(vec![
                    Object::Reference(*page),
                    Object::Name(b"XYZ".to_vec()),
                    Object::Null,
                    Object::Real(top),
                    Object::Null,
                ]),
            );
        }
        doc.objects.insert(ids[i], Object::Dictionary(d));
    }
    let mut outlines = Dictionary::new();
    outlines.set("Type", Object::Name(b"Outlines".to_vec()));
    if let (Some(first), Some(last)) = (top_level.first(), top_level.last()) {
        outlines.set("First", Object::Reference(ids[*first]));
        outlines.set("Last", Object::Reference(ids[*last]));
    }
    outlines.set("Count", Object::Integer(ids.len() as i64));
    doc.objects.insert(root, Object::Dictionary(outlines));
    if let Ok(catalog) = doc.catalog_mut() {
        catalog.set("Outlines", Object::Reference(root));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
}
