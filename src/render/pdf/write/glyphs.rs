//! How text is written: each face's characters as the codes of its embedded subset.
//!
//! printpdf subsets a font from the glyphs its pages show, each glyph noted with the last
//! character drawn with it (for copying text out of the PDF), and writes each character as its
//! glyph's number in the subset. [`characters`] lists what the document shows, so that one page
//! showing it gives printpdf the same glyphs as the whole document; [`GlyphCodes`] is read back
//! from what printpdf wrote for that page.

use std::collections::{BTreeMap, HashMap};

use lopdf::content::Content;
use lopdf::{Dictionary, Object, ObjectId, StringFormat};

use super::super::fonts::{FaceId, drawn};
use super::super::layout::{Item, LayoutDoc};
use super::WriteError;
use super::content::font_tag;

/// When each character was last used, by a counter over the document's characters.
#[derive(Default)]
struct LastUse {
    /// ASCII, by code (0: not used; else the counter plus one).
    ascii: Vec<u64>,
    other: HashMap<char, u64>,
}

/// Each face's characters, each once, in the order of their last use in the document.
pub(super) fn characters(layout: &LayoutDoc) -> BTreeMap<FaceId, String> {
    let mut last_use: BTreeMap<FaceId, LastUse> = BTreeMap::new();
    let mut n = 0u64;
    for item in layout.pages.iter().flat_map(|p| &p.items) {
        if let Item::Text { face, text, .. } = item {
            let seen = last_use.entry(*face).or_default();
            if seen.ascii.is_empty() {
                seen.ascii = vec![0; 128];
            }
            for c in text.chars().map(|c| drawn(*face, c)) {
                n += 1;
                match seen.ascii.get_mut(c as usize) {
                    Some(slot) => *slot = n,
                    None => {
                        seen.other.insert(c, n);
                    }
                }
            }
        }
    }
    last_use
        .into_iter()
        .map(|(face, seen)| {
            let ascii = (0u8..128).zip(seen.ascii).filter(|(_, n)| *n > 0);
            let mut chars: Vec<(u64, char)> = ascii.map(|(c, n)| (n, char::from(c))).collect();
            chars.extend(seen.other.into_iter().map(|(c, n)| (n, c)));
            chars.sort_unstable();
            (face, chars.into_iter().map(|(_, c)| c).collect())
        })
        .collect()
}

/// How each face's characters are written in a text string.
#[derive(Debug, Default)]
pub(super) struct GlyphCodes {
    faces: BTreeMap<FaceId, FaceCodes>,
}

#[derive(Debug, Default)]
pub(super) struct FaceCodes {
    /// An embedded (Identity-H) font: two bytes a character, always written in hexadecimal.
    /// Otherwise one byte (printpdf's WinAnsi fallback for a face with no glyph in use).
    pub(super) cid: bool,
    /// ASCII, by code.
    ascii: Vec<u16>,
    other: HashMap<char, u16>,
}

impl FaceCodes {
    /// The code of `c`; printpdf's for a character the font lacks, glyph 0, is learnt like
    /// any other (a character never shown has none: 0).
    pub(super) fn code(&self, c: char) -> u16 {
        match self.ascii.get(c as usize) {
            Some(code) => *code,
            None => self.other.get(&c).copied().unwrap_or(0),
        }
    }
}

impl GlyphCodes {
    /// Learns `face`'s codes from the string printpdf wrote for `chars` (each once).
    pub(super) fn learn(&mut self, face: FaceId, cid: bool, chars: &str, written: &[u8]) {
        let width = if cid { 2 } else { 1 };
        let mut codes = FaceCodes {
            cid,
            ascii: vec![0; 128],
            other: HashMap::new(),
        };
        for (c, bytes) in chars.chars().zip(written.chunks(width)) {
            let code = bytes.iter().fold(0u16, |n, b| (n << 8) | u16::from(*b));
            match codes.ascii.get_mut(c as usize) {
                Some(slot) => *slot = code,
                None => {
                    codes.other.insert(c, code);
                }
            }
        }
        self.faces.insert(face, codes);
    }

    /// The codes of `face`, if it shows any text.
    pub(super) fn face(&self, face: FaceId) -> Option<&FaceCodes> {
        self.faces.get(&face)
    }

    /// `text` in `face` as a PDF string.
    pub(super) fn string(&self, face: FaceId, text: &str) -> Object {
        let Some(face) = self.faces.get(&face) else {
            return Object::String(Vec::new(), StringFormat::Literal);
        };
        let mut bytes = Vec::with_capacity(text.len() * 2);
        for c in text.chars() {
            let code = face.code(c);
            if face.cid {
                bytes.extend_from_slice(&code.to_be_bytes());
            } else {
                bytes.push(code as u8);
            }
        }
        // printpdf's rule: glyph codes in hexadecimal; single bytes literal unless unprintable.
        let hex = face.cid
            || bytes
                .iter()
                .any(|&b| !(32..=126).contains(&b) || b"()\\%".contains(&b));
        let format = if hex {
            StringFormat::Hexadecimal
        } else {
            StringFormat::Literal
        };
        Object::String(bytes, format)
    }
}

/// Each face's character codes, read from the one page's content stream (still uncompressed):
/// a `Tf` naming the face, then a `Tj` with its characters' codes in the order of `chars`.
pub(super) fn glyph_codes(
    lo: &lopdf::Document,
    resources: &Dictionary,
    contents: Option<ObjectId>,
    chars: &BTreeMap<FaceId, String>,
) -> Result<GlyphCodes, WriteError> {
    let embedded =
        super::dictionary(&lo.objects, super::reference(resources, b"Font")).unwrap_or_default();
    let stream = match contents.and_then(|id| lo.objects.get(&id)) {
        Some(Object::Stream(stream)) => stream,
        _ => return Err(WriteError::Unexpected("a page's contents")),
    };
    let content = Content::decode(&stream.content)
        .map_err(|_| WriteError::Unexpected("a page's contents"))?;
    let mut codes = GlyphCodes::default();
    let mut face = None;
    for operation in &content.operations {
        match (operation.operator.as_str(), operation.operands.first()) {
            ("Tf", Some(Object::Name(name))) => {
                face = FaceId::ALL
                    .into_iter()
                    .find(|f| font_tag(*f).as_bytes() == name.as_slice());
            }
            ("Tj", Some(Object::String(bytes, _))) => {
                let face = face.ok_or(WriteError::Unexpected("text without a font"))?;
                let text = chars.get(&face).map_or("", String::as_str);
                codes.learn(face, embedded.has(font_tag(face).as_bytes()), text, bytes);
            }
            _ => {}
        }
    }
    Ok(codes)
}
