//! The fonts of the PDF rendition: DejaVu Sans (four styles) and DejaVu Sans Mono (two), compiled
//! into the binary (`assets/fonts/README.md`), and their metrics for line breaking.
//!
//! Widths come from the font that draws the text (its `hmtx` advance widths, read with
//! ttf-parser), in points for a given size: advance ÷ units-per-em × size. The writer draws one
//! glyph per character without kerning, so these widths are exactly what is drawn.

use std::sync::OnceLock;

/// A face of the embedded family.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FaceId {
    /// DejaVu Sans.
    Sans,
    /// DejaVu Sans Bold.
    SansBold,
    /// DejaVu Sans Oblique.
    SansItalic,
    /// DejaVu Sans Bold Oblique.
    SansBoldItalic,
    /// DejaVu Sans Mono.
    Mono,
    /// DejaVu Sans Mono Bold.
    MonoBold,
}

impl FaceId {
    /// Every face, in a fixed order (the writer numbers fonts in this order).
    pub const ALL: [FaceId; 6] = [
        FaceId::Sans,
        FaceId::SansBold,
        FaceId::SansItalic,
        FaceId::SansBoldItalic,
        FaceId::Mono,
        FaceId::MonoBold,
    ];

    /// The font file.
    pub fn bytes(self) -> &'static [u8] {
        match self {
            FaceId::Sans => dejavu::sans::regular(),
            FaceId::SansBold => dejavu::sans::bold(),
            FaceId::SansItalic => dejavu::sans::oblique(),
            FaceId::SansBoldItalic => dejavu::sans::bold_oblique(),
            FaceId::Mono => dejavu::sans_mono::regular(),
            FaceId::MonoBold => dejavu::sans_mono::bold(),
        }
    }

    /// The face with `bold` and `italic` applied (monospace has no italic here).
    pub fn styled(bold: bool, italic: bool, mono: bool) -> FaceId {
        match (mono, bold, italic) {
            (true, true, _) => FaceId::MonoBold,
            (true, false, _) => FaceId::Mono,
            (false, true, true) => FaceId::SansBoldItalic,
            (false, true, false) => FaceId::SansBold,
            (false, false, true) => FaceId::SansItalic,
            (false, false, false) => FaceId::Sans,
        }
    }

    /// A short name for layout dumps (`Sans-Bold`).
    pub fn name(self) -> &'static str {
        match self {
            FaceId::Sans => "Sans",
            FaceId::SansBold => "Sans-Bold",
            FaceId::SansItalic => "Sans-Italic",
            FaceId::SansBoldItalic => "Sans-BoldItalic",
            FaceId::Mono => "Mono",
            FaceId::MonoBold => "Mono-Bold",
        }
    }

    fn index(self) -> usize {
        match self {
            FaceId::Sans => 0,
            FaceId::SansBold => 1,
            FaceId::SansItalic => 2,
            FaceId::SansBoldItalic => 3,
            FaceId::Mono => 4,
            FaceId::MonoBold => 5,
        }
    }
}

/// Metrics of one face: advance widths of the characters it has, in font units.
struct Metrics {
    face: ttf_parser::Face<'static>,
    units_per_em: f32,
    /// Advances of U+0000..U+0800 (`None`: no glyph), looked up directly; others go to the cmap.
    common: Vec<Option<u16>>,
    /// The kerning of each pair of printable ASCII characters (U+0020..U+007E), in font units,
    /// row by the left character; other pairs go to the `kern` table.
    ascii_kerning: Vec<i16>,
}

/// The printable ASCII characters, whose pairs' kerning is kept in a table.
const ASCII: std::ops::Range<u32> = 0x20..0x7F;

/// The horizontal kerning of the glyph pair in `face`'s `kern` table, in font units.
fn kern_units(face: &ttf_parser::Face<'_>, left: char, right: char) -> i16 {
    let (Some(l), Some(r)) = (face.glyph_index(left), face.glyph_index(right)) else {
        return 0;
    };
    face.tables()
        .kern
        .into_iter()
        .flat_map(|k| k.subtables)
        .filter(|s| s.horizontal && !s.variable && !s.has_cross_stream)
        .find_map(|s| s.glyphs_kerning(l, r))
        .unwrap_or(0)
}

#[allow(
    clippy::indexing_slicing,
    reason = "one entry is built for every face, in `FaceId::index` order"
)]
fn metrics(face: FaceId) -> &'static Metrics {
    static ALL: OnceLock<Vec<Metrics>> = OnceLock::new();
    let all = ALL.get_or_init(|| {
        FaceId::ALL
            .iter()
            .map(|f| {
                // The embedded files are valid TrueType fonts; a parse failure would be a broken
                // build, caught by the tests on the first page rendered.
                #[allow(clippy::expect_used, reason = "the fonts are compiled in and tested")]
                let face =
                    ttf_parser::Face::parse(f.bytes(), 0).expect("embedded DejaVu font parses");
                let common = (0u32..0x800)
                    .map(|cp| {
                        char::from_u32(cp)
                            .and_then(|c| face.glyph_index(c))
                            .and_then(|g| face.glyph_hor_advance(g))
                    })
                    .collect();
                let ascii_kerning = ASCII
                    .flat_map(|l| ASCII.map(move |r| (l, r)))
                    .map(|(l, r)| match (char::from_u32(l), char::from_u32(r)) {
                        (Some(l), Some(r)) => kern_units(&face, l, r),
                        _ => 0,
                    })
                    .collect();
                Metrics {
                    units_per_em: f32::from(face.units_per_em()),
                    face,
                    common,
                    ascii_kerning,
                }
            })
            .collect()
    });
    &all[face.index()]
}

/// What is drawn for a character no embedded face has: WHITE SQUARE, a real glyph, where the
/// font's `.notdef` box would be (PDF/A-2 §6.2.11.8 forbids showing `.notdef`). `check` and
/// `render` name each such character.
pub const MISSING_MARK: char = '\u{25A1}';

/// The character drawn for `c` in `face`: itself, or [`MISSING_MARK`] when the face has no
/// glyph for it (control characters draw nothing and are kept as they are).
pub fn drawn(face: FaceId, c: char) -> char {
    if c.is_control() || has_glyph(face, c) {
        c
    } else {
        MISSING_MARK
    }
}

/// Whether `face` has a glyph for `c`.
pub fn has_glyph(face: FaceId, c: char) -> bool {
    advance_units(face, c).is_some()
}

/// Whether some embedded face can draw `c` (the sans family, then the monospace face).
pub fn covered(c: char) -> bool {
    has_glyph(FaceId::Sans, c) || has_glyph(FaceId::Mono, c)
}

/// Where the body of `sop` first has right-to-left text ([`is_right_to_left`]), and on how
/// many more lines it has some: what `check` and the PDF both report, once per document.
pub fn right_to_left_text(sop: &crate::doc::Sop) -> Option<(crate::doc::Location, usize)> {
    let text = sop.source.text();
    let mut locator = sop.source.locator();
    let mut first = None;
    let mut more = 0;
    let mut last_line = 0;
    for (offset, c) in text.char_indices().skip_while(|(i, _)| *i < sop.body_start) {
        if is_right_to_left(c) {
            let location = locator.locate(offset);
            if location.line != last_line {
                last_line = location.line;
                match first {
                    None => first = Some(location),
                    Some(_) => more += 1,
                }
            }
        }
    }
    first.map(|at| (at, more))
}

/// The words of the right-to-left warning, for a first line and `more` lines after it.
pub fn right_to_left_message(more: usize) -> String {
    let lines = match more {
        0 => "this line has".to_string(),
        1 => "this line and 1 more have".to_string(),
        n => format!(
            "this line and {} more have",
            crate::fsx::thousands(n as u64)
        ),
    };
    format!(
        "{lines} right-to-left text (Hebrew, Arabic, …), which the PDF shows left to right and with its letters unjoined"
    )
}

/// Whether `c` belongs to a right-to-left script (bidi class R or AL: Hebrew, Arabic, …),
/// which the PDF rendition draws left to right and unshaped (UAX #9 is not applied).
pub fn is_right_to_left(c: char) -> bool {
    // ASCII is left to right; asking the bidi table costs a search a character.
    !c.is_ascii()
        && matches!(
            unicode_bidi::bidi_class(c),
            unicode_bidi::BidiClass::R | unicode_bidi::BidiClass::AL
        )
}

fn advance_units(face: FaceId, c: char) -> Option<u16> {
    let m = metrics(face);
    let cp = c as usize;
    if let Some(common) = m.common.get(cp) {
        return *common;
    }
    m.face
        .glyph_index(c)
        .and_then(|g| m.face.glyph_hor_advance(g))
}

/// The advance width of `c` in points at `size` points. Characters the face lacks measure as
/// its `.notdef` box (glyph 0), which is what the PDF shows for them.
pub fn char_width(face: FaceId, c: char, size: f32) -> f32 {
    let m = metrics(face);
    let units = advance_units(face, c)
        .or_else(|| m.face.glyph_hor_advance(ttf_parser::GlyphId(0)))
        .unwrap_or(0);
    f32::from(units) / m.units_per_em * size
}

/// One step of a glyph outline, in points from the text's origin (y up, as in PDF).
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PathStep {
    /// Start a contour.
    Move(f32, f32),
    /// A straight segment.
    Line(f32, f32),
    /// A cubic Bézier segment: two control points and the end.
    Curve([f32; 6]),
    /// Close the contour.
    Close,
}

/// The outlines of `text` set in `face` at `size` points, glyph after glyph from the origin:
/// how text is drawn when it must not be read as text (the watermark, an artifact that text
/// extraction and screen readers would otherwise read into the document's words). Quadratic
/// TrueType segments become the cubic ones PDF draws (ISO 32000-1 §8.5.2.2).
pub fn outlines(face: FaceId, text: &str, size: f32) -> Vec<PathStep> {
    struct Builder {
        scale: f32,
        dx: f32,
        last: (f32, f32),
        steps: Vec<PathStep>,
    }
    impl Builder {
        fn at(&self, x: f32, y: f32) -> (f32, f32) {
            (self.dx + x * self.scale, y * self.scale)
        }
    }
    impl ttf_parser::OutlineBuilder for Builder {
        fn move_to(&mut self, x: f32, y: f32) {
            self.last = self.at(x, y);
            self.steps.push(PathStep::Move(self.last.0, self.last.1));
        }
        fn line_to(&mut self, x: f32, y: f32) {
            self.last = self.at(x, y);
            self.steps.push(PathStep::Line(self.last.0, self.last.1));
        }
        fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
            let (p0, q, p) = (self.last, self.at(x1, y1), self.at(x, y));
            let c1 = (
                p0.0 + 2.0 / 3.0 * (q.0 - p0.0),
                p0.1 + 2.0 / 3.0 * (q.1 - p0.1),
            );
            let c2 = (p.0 + 2.0 / 3.0 * (q.0 - p.0), p.1 + 2.0 / 3.0 * (q.1 - p.1));
            self.steps
                .push(PathStep::Curve([c1.0, c1.1, c2.0, c2.1, p.0, p.1]));
            self.last = p;
        }
        fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
            let (a, b, p) = (self.at(x1, y1), self.at(x2, y2), self.at(x, y));
            self.steps
                .push(PathStep::Curve([a.0, a.1, b.0, b.1, p.0, p.1]));
            self.last = p;
        }
        fn close(&mut self) {
            self.steps.push(PathStep::Close);
        }
    }
    let m = metrics(face);
    let mut builder = Builder {
        scale: size / m.units_per_em,
        dx: 0.0,
        last: (0.0, 0.0),
        steps: Vec::new(),
    };
    for c in text.chars() {
        let glyph = m.face.glyph_index(c).unwrap_or(ttf_parser::GlyphId(0));
        let _ = m.face.outline_glyph(glyph, &mut builder);
        builder.dx += char_width(face, c, size);
    }
    builder.steps
}

/// The width of `text` in points at `size` points.
pub fn text_width(face: FaceId, text: &str, size: f32) -> f32 {
    let mut width = 0.0;
    let mut before = None;
    for c in text.chars() {
        width += char_width(face, c, size);
        if let Some(b) = before {
            width += kerning(face, b, c, size);
        }
        before = Some(c);
    }
    width
}

/// The kerning between `left` and `right` set next to each other in `face` at `size`, in
/// points (negative: closer), from the face's `kern` table: added to the left character's
/// advance when measuring, and written as a `TJ` adjustment when drawing (ISO 32000-1
/// §9.4.3).
pub fn kerning(face: FaceId, left: char, right: char, size: f32) -> f32 {
    let m = metrics(face);
    let units = if ASCII.contains(&(left as u32)) && ASCII.contains(&(right as u32)) {
        let row = (left as u32 - ASCII.start) as usize;
        let column = (right as u32 - ASCII.start) as usize;
        let width = ASCII.len();
        m.ascii_kerning
            .get(row * width + column)
            .copied()
            .unwrap_or(0)
    } else {
        kern_units(&m.face, left, right)
    };
    f32::from(units) / m.units_per_em * size
}

/// [`kerning`] in thousandths of the text size, as `TJ` takes it (negative: closer).
pub fn kerning_thousandths(face: FaceId, left: char, right: char) -> f32 {
    kerning(face, left, right, 1000.0)
}

/// The ascender of `face` in points at `size` (above the baseline).
pub fn ascender(face: FaceId, size: f32) -> f32 {
    let m = metrics(face);
    f32::from(m.face.ascender()) / m.units_per_em * size
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dejavu_covers_the_examples_symbols() {
        for c in [
            '☐', '☒', '↗', '–', '—', '“', '”', '’', '✓', '•', '◦', '▪', '↪', 'é', 'Ω', 'Ж',
        ] {
            assert!(has_glyph(FaceId::Sans, c), "Sans lacks {c}");
        }
        assert!(!has_glyph(FaceId::Sans, '手'));
    }

    #[test]
    fn widths_come_from_the_font() {
        // DejaVu Sans: 2048 units per em; 'M' advances 1767 units.
        let m = char_width(FaceId::Sans, 'M', 10.0);
        assert!((m - 8.628).abs() < 0.01, "{m}");
        // Monospace: every character the same width.
        assert_eq!(
            text_width(FaceId::Mono, "iiii", 10.0),
            text_width(FaceId::Mono, "MMMM", 10.0)
        );
        assert!(
            text_width(FaceId::SansBold, "Procedure", 10.0)
                > text_width(FaceId::Sans, "Procedure", 10.0)
        );
    }
}
