//! WRITE: a [`LayoutDoc`] as PDF bytes. The only code that imports printpdf.
//!
//! It translates items one to one and decides nothing about layout. It owns reproducibility,
//! which printpdf does not give (its resource names and the trailer `/ID` come from a
//! process-wide random counter): fonts and images get fixed names (`F1`…, `Im1`…), the subset
//! tag is fixed per face, dates come from the caller (the release date or `SOURCE_DATE_EPOCH`),
//! and the `/ID` is a SHA-256 of the layout (ISO 32000-1 §14.4 asks only that it identify the
//! file).
//!
//! Its memory does not grow with the pages (issue 13): printpdf makes what is shared by every
//! page (the embedded font subsets, the images, the catalog and document information) from a
//! document of one page that shows each character once, and the pages are then translated
//! (`content.rs`), compressed and written ([`file`]) one at a time, with the nested outline
//! (`outline.rs`) after them. The bytes are the ones printpdf and lopdf write for the whole
//! document at once.
//!
//! Fonts are embedded as subsets (printpdf's `text_layout` feature, through allsorts); images
//! are stored with Flate compression at full resolution (lossless).

mod archive;
mod content;
mod deflate;
mod file;
mod glyphs;
mod outline;
mod syntax;
mod tags;
mod vector;

use std::collections::BTreeMap;
use std::fmt::Write as _;

use lopdf::{Dictionary, Object, ObjectId, StringFormat};
use printpdf::{
    FontId, ImageCompression, ImageOptimizationOptions, Op, ParsedFont, PdfDocument, PdfFontHandle,
    PdfPage, PdfSaveOptions, RawImage, RawImageData, RawImageFormat, Rect, TextItem, XObject,
    XObjectId,
};
use sha2::{Digest, Sha256};

use self::content::{Anchors, Translator, font_tag, image_name};
use self::file::PdfFile;
use self::glyphs::{GlyphCodes, characters, glyph_codes};
use super::fonts::FaceId;
use super::layout::{ImageData, LayoutDoc, dump_into};

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

impl DocInfo {
    /// The information without control characters and noncharacters (a title written with a
    /// YAML escape such as `\0` or `\uFFFF`): XML cannot hold them (XML 1.0 §2.2), and the
    /// document information and the XMP must say the same (PDF/A-2 §6.6.3).
    pub(super) fn printable(&self) -> DocInfo {
        let clean = |text: &str| -> String {
            text.chars()
                .map(|c| if c.is_control() { ' ' } else { c })
                .filter(|c| !matches!(*c as u32, 0xFFFE | 0xFFFF | 0xFDD0..=0xFDEF))
                .collect()
        };
        DocInfo {
            title: clean(&self.title),
            author: clean(&self.author),
            subject: clean(&self.subject),
            keywords: self.keywords.iter().map(|k| clean(k)).collect(),
            date: self.date,
            lang: clean(&self.lang),
            identity: self
                .identity
                .iter()
                .map(|(k, v)| (k.clone(), clean(v)))
                .collect(),
        }
    }
}

/// The PDF could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// An embedded font did not parse (a broken build).
    #[error("the embedded font {0} could not be read")]
    Font(&'static str),
    /// printpdf made the fonts and images into objects other than expected (a broken build).
    #[error("the PDF library wrote {0} where sopctl did not expect it")]
    Unexpected(&'static str),
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

/// What printpdf makes for every page alike, from a document of one page: the fonts, images,
/// page tree, catalog and document information, as lopdf objects numbered as in the whole
/// document up to the first page.
struct Shared {
    /// The objects before the first page (fonts, images, resource dictionaries, the page tree).
    objects: BTreeMap<ObjectId, Object>,
    binary_mark: Vec<u8>,
    /// The page tree's object number.
    pages_id: u32,
    /// The first page's object number.
    first_page: u32,
    /// The start of every page's dictionary, as lopdf writes it: its keys up to the parent.
    page_start: Vec<u8>,
    /// A page's resource dictionary, the same for every page.
    resources: Dictionary,
    catalog: Dictionary,
    info: Dictionary,
    trailer: Dictionary,
    codes: GlyphCodes,
    /// Each image's width and height in pixels.
    image_sizes: Vec<(usize, usize)>,
    /// The SVG images and their indexes among the images.
    drawings: Vec<(usize, crate::render::images::Drawing)>,
}

/// What [`one_page_document`] makes: printpdf's document, each image's size in pixels, and the
/// SVG images with their indexes, which printpdf does not draw.
type OnePage = (
    PdfDocument,
    Vec<(usize, usize)>,
    Vec<(usize, crate::render::images::Drawing)>,
);

/// The document printpdf serializes: the fonts in use, the images (moved out of the layout)
/// and one page showing `chars`.
fn one_page_document(
    layout: &mut LayoutDoc,
    chars: &BTreeMap<FaceId, String>,
    info: &DocInfo,
) -> Result<OnePage, WriteError> {
    let mut doc = PdfDocument::new(&info.title);
    let mut ops = Vec::new();
    for (face, text) in chars {
        let parsed = ParsedFont::from_bytes(face.bytes(), 0, &mut Vec::new())
            .ok_or(WriteError::Font(face.name()))?;
        let id = FontId(font_tag(*face).to_string());
        doc.resources
            .fonts
            .map
            .insert(id.clone(), printpdf::PdfFont::new(parsed));
        ops.push(Op::SetFont {
            font: PdfFontHandle::External(id),
            size: printpdf::Pt(10.0),
        });
        ops.push(Op::ShowText {
            items: vec![TextItem::Text(text.clone())],
        });
    }
    if !ops.is_empty() {
        ops.insert(0, Op::StartTextSection);
        ops.push(Op::EndTextSection);
    }
    let mut sizes = Vec::new();
    let mut drawings = Vec::new();
    // Moved, not copied: the pixels are the largest part of a document with photographs.
    for (n, image) in std::mem::take(&mut layout.images).into_iter().enumerate() {
        match image {
            ImageData::Pixels(pixels) => {
                let raw = raw_image(pixels);
                sizes.push((raw.width, raw.height));
                doc.resources
                    .xobjects
                    .map
                    .insert(XObjectId(image_name(n)), XObject::Image(raw));
            }
            ImageData::Drawing(drawing) => {
                // A form one unit square: drawn as an image of one pixel is.
                sizes.push((1, 1));
                drawings.push((n, drawing));
            }
        }
    }
    let mut page = PdfPage::new(printpdf::Mm(0.0), printpdf::Mm(0.0), ops);
    page.media_box = Rect::from_wh(printpdf::Pt(layout.width.0), printpdf::Pt(layout.height.0));
    page.trim_box = page.media_box.clone();
    page.crop_box = page.media_box.clone();
    let date = printpdf::OffsetDateTime::from_unix_timestamp(info.date)
        .or_else(|_| printpdf::OffsetDateTime::from_unix_timestamp(0))
        .map_err(|_| WriteError::Unexpected("a date"))?;
    {
        let i = &mut doc.metadata.info;
        i.document_title = info.title.clone();
        i.author = info.author.clone();
        i.subject = info.subject.clone();
        i.keywords = info.keywords.clone();
        i.creator = archive::creator();
        i.producer = archive::producer();
        i.creation_date = date;
        i.modification_date = date;
        i.metadata_date = date;
    }
    doc.with_pages(vec![page]);
    Ok((doc, sizes, drawings))
}

fn dictionary(objects: &BTreeMap<ObjectId, Object>, id: Option<ObjectId>) -> Option<Dictionary> {
    match objects.get(&id?)? {
        Object::Dictionary(d) => Some(d.clone()),
        _ => None,
    }
}

fn reference(dict: &Dictionary, key: &[u8]) -> Option<ObjectId> {
    dict.get(key).and_then(Object::as_reference).ok()
}

impl Shared {
    fn new(layout: &mut LayoutDoc, info: &DocInfo) -> Result<Shared, WriteError> {
        let chars = characters(layout);
        let (doc, image_sizes, drawings) = one_page_document(layout, &chars, info)?;
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
        let mut lo = printpdf::serialize::to_lopdf_doc(&doc, &options, &mut Vec::new());
        drop(doc);
        let unexpected = WriteError::Unexpected;
        let first_page = *lo.get_pages().get(&1).ok_or(unexpected("no page"))?;
        let page = dictionary(&lo.objects, Some(first_page)).ok_or(unexpected("a page"))?;
        let (p, pages, res, contents, catalog, info_id) = (
            first_page.0,
            reference(&page, b"Parent"),
            reference(&page, b"Resources"),
            reference(&page, b"Contents"),
            reference(&lo.trailer, b"Root"),
            reference(&lo.trailer, b"Info"),
        );
        // The numbering this module relies on: a page, its resources and contents, then the
        // catalog and the information, last.
        let expected = [res, contents, catalog, info_id].map(|id| id.map(|(n, _)| n));
        if expected != [Some(p + 1), Some(p + 2), Some(p + 3), Some(p + 4)] || lo.max_id != p + 4 {
            return Err(unexpected("the page objects"));
        }
        let resources = dictionary(&lo.objects, res).ok_or(unexpected("resources"))?;
        let codes = glyph_codes(&lo, &resources, contents, &chars)?;
        let (catalog, info) = (
            dictionary(&lo.objects, catalog).ok_or(unexpected("a catalog"))?,
            dictionary(&lo.objects, info_id).ok_or(unexpected("the information"))?,
        );
        lo.compress();
        let mut objects = std::mem::take(&mut lo.objects);
        let _ = objects.split_off(&first_page);
        Ok(Shared {
            objects,
            binary_mark: lo.binary_mark.clone(),
            pages_id: pages.ok_or(unexpected("no page tree"))?.0,
            first_page: p,
            page_start: page_start(&page).ok_or(unexpected("a page's keys"))?,
            resources,
            catalog,
            info,
            trailer: lo.trailer.clone(),
            codes,
            image_sizes,
            drawings,
        })
    }
}

/// The start of a page's dictionary (`<<` and its keys up to `/Parent`), provided its keys are
/// those [`Translator::page`] completes and in that order.
fn page_start(page: &Dictionary) -> Option<Vec<u8>> {
    let keys: [&[u8]; 8] = [
        b"Type",
        b"MediaBox",
        b"TrimBox",
        b"CropBox",
        b"Parent",
        b"Resources",
        b"Contents",
        b"Annots",
    ];
    if !page.iter().map(|(k, _)| k.as_slice()).eq(keys) {
        return None;
    }
    let start: Dictionary = page
        .iter()
        .take(5)
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let mut bytes = file::encode(Object::Dictionary(start));
    bytes.truncate(bytes.len().checked_sub(2)?);
    Some(bytes)
}

/// Writes the PDF. The layout is consumed: its images' pixels move into the PDF's image
/// objects instead of being copied.
///
/// # Errors
/// [`WriteError::Font`] if an embedded font does not parse; [`WriteError::Unexpected`] if
/// printpdf numbers its objects otherwise than this module expects.
pub fn write(mut layout: LayoutDoc, info: &DocInfo) -> Result<Vec<u8>, WriteError> {
    let info = &info.printable();
    let shared = Shared::new(&mut layout, info)?;
    let n = layout.pages.len() as u32;
    let first = shared.first_page;
    // PDF 1.7 (ISO 32000-1), the version PDF/A-2 is based on (ISO 19005-2 §6.1.2).
    let mut file = PdfFile::new("1.7", &shared.binary_mark);
    let mut resources = shared.resources;
    if !shared.drawings.is_empty()
        && let Ok(Object::Reference(id)) = resources.get(b"XObject")
        && let Some(Object::Dictionary(named)) = shared.objects.get(id)
    {
        // printpdf's images, named in a dictionary of their own: named in place, with the forms.
        resources.set("XObject", Object::Dictionary(named.clone()));
    }
    for ((id, _), object) in shared.objects {
        match object {
            Object::Dictionary(mut pages) if id == shared.pages_id => {
                pages.set("Count", i64::from(n));
                let kids = (first..first + n).map(|p| Object::Reference((p, 0)));
                pages.set("Kids", Object::Array(kids.collect()));
                file.object(id, Object::Dictionary(pages));
            }
            object => file.object(id, object),
        }
    }
    let mut translator = Translator {
        height: layout.height.0,
        codes: &shared.codes,
        image_sizes: &shared.image_sizes,
        numbers: syntax::Numbers::default(),
        structure: &layout.structure,
    };
    let anchors = Anchors {
        layout: &layout,
        first_page: first,
    };
    // After the pages: the catalog, the information, the outline, the XMP metadata, the
    // output intent's profile, then the structure tree and the link annotations.
    let (catalog_id, info_id) = (first + 3 * n, first + 3 * n + 1);
    let outline_root = catalog_id + 2;
    let outline_objects = match layout.outline.len() {
        0 => 0,
        entries => entries as u32 + 1,
    };
    let metadata_id = outline_root + outline_objects;
    let profile_id = metadata_id + 1;
    let plan = tags::Plan::new(&layout, profile_id + 1);
    // The SVG images' objects come last; their forms are named in every page's resources.
    let drawings = vector::number(shared.drawings, plan.end(), &mut resources);
    // The page dictionaries, then each page's resources and contents (printpdf's numbering).
    for i in 0..n {
        let objects = (first + n + 2 * i, first + n + 2 * i + 1);
        let annotations = plan.page_annotations(i as usize);
        let dict = translator.page(&shared.page_start, objects, &annotations, i as usize);
        file.encoded(first + i, &dict);
    }
    let resources = file::encode(Object::Dictionary(resources));
    let mut deflater = deflate::Deflater::default();
    // Pages are translated in order (the translator keeps its numbers between pages) and
    // compressed on every core, a batch at a time, so that memory holds one batch of pages.
    let mut i = 0u32;
    for batch in layout.pages.chunks(deflate::BATCH) {
        let contents: Vec<Vec<u8>> = batch
            .iter()
            .map(|page| translator.contents(&page.items))
            .collect();
        for stream in deflate::in_parallel(contents) {
            file.encoded(first + n + 2 * i, &resources);
            file.stream(first + n + 2 * i + 1, &stream);
            i += 1;
        }
    }
    let mut catalog = shared.catalog;
    let mut trailer = shared.trailer;
    finish_dictionaries(&mut catalog, &mut trailer, &layout, info, outline_root);
    catalog.set("Metadata", Object::Reference((metadata_id, 0)));
    let mut preferences = Dictionary::new();
    preferences.set("DisplayDocTitle", true);
    catalog.set("ViewerPreferences", Object::Dictionary(preferences));
    let intents = archive::output_intents(&mut deflater, profile_id);
    catalog.set("OutputIntents", intents.0);
    catalog.set("StructTreeRoot", Object::Reference((plan.root(), 0)));
    catalog.set("MarkInfo", tags::mark_info());
    file.object(catalog_id, Object::Dictionary(catalog));
    file.object(info_id, Object::Dictionary(information(shared.info, info)));
    outline::write(&mut file, &layout, outline_root, first);
    archive::metadata(&mut file, metadata_id, info, true);
    file.stream(profile_id, &intents.1);
    tags::write(&mut file, &plan, (&layout, &anchors), &mut translator);
    vector::write(&mut file, &drawings);
    trailer.set("Root", Object::Reference((catalog_id, 0)));
    trailer.set("Info", Object::Reference((info_id, 0)));
    Ok(file.finish(trailer))
}

/// The catalog's outline, page mode and language, and the trailer's document ID: a SHA-256 of
/// what the document shows (the layout), its title and date.
fn finish_dictionaries(
    catalog: &mut Dictionary,
    trailer: &mut Dictionary,
    layout: &LayoutDoc,
    info: &DocInfo,
    outline_root: u32,
) {
    if !layout.outline.is_empty() {
        catalog.set("Outlines", Object::Reference((outline_root, 0)));
        catalog.set("PageMode", Object::Name(b"UseOutlines".to_vec()));
    }
    if !info.lang.is_empty() {
        catalog.set(
            "Lang",
            Object::String(info.lang.as_bytes().to_vec(), StringFormat::Literal),
        );
    }
    let mut digest = Hashing(Sha256::new());
    dump_into(layout, &mut digest);
    let mut digest = digest.0;
    digest.update(info.title.as_bytes());
    digest.update(info.date.to_le_bytes());
    let hash = digest.finalize();
    let mut hex = String::new();
    for b in hash.iter().take(16) {
        let _ = write!(hex, "{b:02x}");
    }
    trailer.set(
        "ID",
        Object::Array(vec![
            Object::String(hex.as_bytes().to_vec(), StringFormat::Literal),
            Object::String(hex.as_bytes().to_vec(), StringFormat::Literal),
        ]),
    );
}

/// The document information: printpdf writes an empty PDF/X version key, which makes readers
/// claim the file is PDF/X (ISO 15930); it is not. Drop it and the empty identifier; add
/// sopctl's identity keys.
fn information(mut dict: Dictionary, info: &DocInfo) -> Dictionary {
    dict.remove(b"GTS_PDFXVersion");
    dict.remove(b"Identifier");
    for (key, value) in &info.identity {
        dict.set(key.as_bytes().to_vec(), text_string(value));
    }
    dict
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Paper;
    use std::path::Path;

    #[test]
    fn ten_thousand_identical_headings_make_ten_thousand_outline_entries_and_links() {
        let mut text = String::from("---\nid: SOP-001\ntitle: Repeats\nowner: QA\n---\n\n");
        for _ in 0..10_000 {
            text.push_str("## Procedure\n\nDo it.\n\n");
        }
        let path = Path::new("sops/repeats.md");
        let sop = crate::doc::Sop::from_bytes(path, text.into_bytes()).expect("sop");
        let model = crate::model::Document::parse(sop.body(), sop.body_first_line());
        let meta = crate::render::RenderMeta::of(&sop, "", "", None);
        let files = |_: &Path| None;
        let laid = super::super::layout::layout(&model, &meta, &files, path, Paper::A4);
        let pages = laid.doc.pages.len();
        let info = DocInfo {
            title: "Repeats".into(),
            author: "QA".into(),
            subject: String::new(),
            keywords: Vec::new(),
            date: 0,
            lang: "en".into(),
            identity: Vec::new(),
        };
        let bytes = write(laid.doc, &info).expect("writes");
        let pdf = lopdf::Document::load_mem(&bytes).expect("reads");
        assert_eq!(pdf.get_pages().len(), pages);
        let catalog = pdf.catalog().expect("catalog");
        let root = catalog.get(b"Outlines").and_then(Object::as_reference);
        let outlines = pdf.get_dictionary(root.expect("outline")).expect("outline");
        assert_eq!(
            outlines.get(b"Count").and_then(Object::as_i64).ok(),
            Some(10_000)
        );
        // Walk the entries: every heading is there, in order, each going to a page.
        let mut entry = outlines.get(b"First").and_then(Object::as_reference).ok();
        let mut seen = 0;
        while let Some(id) = entry {
            let d = pdf.get_dictionary(id).expect("entry");
            assert_eq!(
                d.get(b"Title").and_then(Object::as_str).ok(),
                Some(&b"Procedure"[..])
            );
            assert!(d.get(b"Dest").is_ok());
            seen += 1;
            entry = d.get(b"Next").and_then(Object::as_reference).ok();
        }
        assert_eq!(seen, 10_000);
        // The contents: one link a heading, each to a page of the document.
        let links: usize = pdf
            .page_iter()
            .filter_map(|p| {
                pdf.get_dictionary(p)
                    .ok()?
                    .get(b"Annots")
                    .ok()?
                    .as_array()
                    .ok()
            })
            .map(Vec::len)
            .sum();
        assert_eq!(links, 10_000);
    }
}
