//! Line breaking: styled text into lines that fit a width, by font metrics and the Unicode
//! line-breaking algorithm (UAX #14, through the unicode-linebreak crate).
//!
//! - Lines break only at UAX #14 opportunities, so a no-break space (U+00A0, U+202F) never
//!   breaks and a mandatory break (a hard line break) always does.
//! - A soft hyphen (U+00AD) is invisible and takes no width; where a line breaks after one, the
//!   line ends with a visible `-` (`cases/` B09).
//! - A word wider than the line (a long URL, batch token or path, `cases/` B01) is split: after
//!   one of `/ . - _ ? & = \` when such a point fits, else between two grapheme clusters (UAX #29),
//!   so a cluster (an emoji sequence, a letter with its marks) is never cut. No hyphen is added:
//!   joining the pieces gives back the original text.
//! - A character the face lacks is drawn with the first embedded face that has it; when none
//!   has it, it is reported (see [`BrokenText::missing`]) and drawn as the font's missing-glyph box.

use std::collections::BTreeSet;

use unicode_linebreak::{BreakOpportunity, linebreaks};
use unicode_segmentation::UnicodeSegmentation;

use super::fonts::{FaceId, char_width, has_glyph, kerning};
use super::layout::{Pt, Rgb};

/// Where a link goes.
#[derive(Debug, Clone, PartialEq)]
pub enum LinkTarget {
    /// A web address (or any URI).
    Uri(String),
    /// A heading of the document, by anchor.
    Anchor(String),
}

/// How a run of text looks.
#[derive(Debug, Clone, PartialEq)]
pub struct Style {
    /// The face.
    pub face: FaceId,
    /// Font size in points.
    pub size: f32,
    /// Text colour.
    pub color: Rgb,
    /// The link this text belongs to.
    pub link: Option<LinkTarget>,
    /// Struck through.
    pub strike: bool,
    /// A code span or a key (drawn on a light background).
    pub code: bool,
    /// How far the baseline is raised, in points (negative: lowered), for `<sup>` and `<sub>`.
    pub rise: f32,
    /// Underlined (`<ins>`).
    pub underline: bool,
    /// Highlighted (`<mark>`): drawn on a yellow background.
    pub highlight: bool,
    /// How a redline marks this text (inserted, deleted, moved), if it does: its colour and
    /// lines, and a change bar beside its line ([`crate::diff::redline`]).
    pub revision: Option<crate::model::Revision>,
}

impl Style {
    /// Plain text in `face` at `size` points in `color`: no link, no lines, no background, on
    /// the baseline.
    pub fn plain(face: FaceId, size: f32, color: Rgb) -> Style {
        Style {
            face,
            size,
            color,
            link: None,
            strike: false,
            code: false,
            rise: 0.0,
            underline: false,
            highlight: false,
            revision: None,
        }
    }
}

/// A run of text in one style.
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    /// The text; `\n` is a hard line break.
    pub text: String,
    /// Its style.
    pub style: Style,
}

/// A piece of a line in one style, positioned from the line's start.
#[derive(Debug, Clone, PartialEq)]
pub struct Fragment {
    /// The text to draw.
    pub text: String,
    /// Its style (the face may be a fallback that has the glyphs).
    pub style: Style,
    /// Offset from the start of the line, in points.
    pub x: Pt,
    /// Width in points.
    pub width: Pt,
    /// A hyphen the line breaker drew at a soft hyphen: not part of the text, so that what reads
    /// the text (a screen reader, a search) reads the word whole.
    pub hyphen: bool,
}

/// One line.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    /// The fragments, left to right.
    pub fragments: Vec<Fragment>,
    /// The line's width in points.
    pub width: Pt,
    /// The text was wrapped at its end (at a space or a hyphen): it is neither the last line nor
    /// one that ends at a hard line break, and may be justified ([`justify`]).
    pub wrapped: bool,
}

/// Text broken into lines.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BrokenText {
    /// The lines.
    pub lines: Vec<Line>,
    /// Characters no embedded face can draw.
    pub missing: BTreeSet<char>,
}

const SOFT_HYPHEN: char = '\u{ad}';

/// The face that draws `c` for `face`: itself, else the other sans or mono face that has it.
fn face_for(face: FaceId, c: char) -> Option<FaceId> {
    if has_glyph(face, c) {
        return Some(face);
    }
    [FaceId::Sans, FaceId::Mono]
        .into_iter()
        .find(|f| has_glyph(*f, c))
}

#[derive(Clone, Copy)]
struct Glyph {
    byte: usize,
    c: char,
    /// Its advance with the kerning before the next glyph ([`Glyph::kern`]).
    width: f32,
    span: usize,
    /// The kerning with the next glyph included in `width`: not drawn when a line ends here.
    kern: f32,
}

/// Breaks `spans` into lines at most `width` points wide (see the module docs).
#[allow(
    clippy::indexing_slicing,
    reason = "glyph indices come from `partition_point` and line-break offsets within `glyphs`, one per character of `text`"
)]
pub fn break_lines(spans: &[Span], width: Pt) -> BrokenText {
    let width = width.0.max(1.0);
    let mut text = String::new();
    let mut glyphs: Vec<Glyph> = Vec::new();
    let mut missing = BTreeSet::new();
    // The glyph before, its face and size: a pair in one face and size is kerned, the
    // adjustment added to the first one's advance, as the writer draws it.
    let mut before: Option<(usize, char, FaceId, f32)> = None;
    for (i, span) in spans.iter().enumerate() {
        for c in span.text.chars() {
            // A tab in prose is a space; other control characters draw nothing (no box).
            let c = if c == '\t' { ' ' } else { c };
            if c.is_control() && c != '\n' {
                continue;
            }
            let mut c = c;
            let w = if c == SOFT_HYPHEN || c == '\n' {
                if c == '\n' {
                    before = None;
                }
                0.0
            } else {
                let face = face_for(span.style.face, c).unwrap_or_else(|| {
                    if !c.is_control() {
                        missing.insert(c);
                    }
                    span.style.face
                });
                // Measured and broken as what is drawn: the missing mark for a character no
                // face has.
                c = super::fonts::drawn(face, c);
                let size = span.style.size;
                if let Some((at, b, f, s)) = before
                    && f == face
                    && s == size
                    && let Some(g) = glyphs.get_mut(at)
                {
                    g.kern = kerning(face, b, c, size);
                    g.width += g.kern;
                }
                before = Some((glyphs.len(), c, face, size));
                char_width(face, c, size)
            };
            glyphs.push(Glyph {
                byte: text.len(),
                c,
                width: w,
                span: i,
                kern: 0.0,
            });
            text.push(c);
        }
    }
    if let Some(lines) = total_fit_lines(spans, &glyphs, &text, width) {
        return BrokenText {
            lines: built(spans, &glyphs, lines),
            missing,
        };
    }
    // A word wider than the line: filled greedily, the word split where it must be.
    let mut lines: Vec<(usize, usize, bool)> = Vec::new(); // glyph ranges, ends with hyphen
    let index_of = |byte: usize| glyphs.partition_point(|g| g.byte < byte);
    let mut line_start = 0usize;
    let mut line_width = 0.0f32;
    let mut last_end = 0usize;
    let mut last_hyphen = false;
    for (byte, opportunity) in linebreaks(&text) {
        let seg_end = index_of(byte);
        let (content, trailing) = measure(&glyphs[last_end..seg_end]);
        // A piece that ends at a soft hyphen may end the line with a visible '-': leave room.
        let (ends_with_shy, hyphen) = soft_hyphen(spans, &glyphs[..seg_end]);
        if line_width + content + hyphen > width + 0.01 && last_end > line_start {
            lines.push((line_start, last_end, last_hyphen));
            line_start = last_end;
            line_width = 0.0;
        }
        if line_width == 0.0 && content > width + 0.01 {
            // A word wider than the whole line: split it.
            let mut start = last_end;
            for cut in split_long(&glyphs[last_end..seg_end], &text, width) {
                lines.push((start, last_end + cut, false));
                start = last_end + cut;
            }
            line_start = start;
            line_width = glyphs[start..seg_end].iter().map(|g| g.width).sum();
            // Only the word's trailing space is left: it ends the last piece, not a line alone.
            let only_space = glyphs[start..seg_end]
                .iter()
                .all(|g| g.c.is_whitespace() && g.c != '\n');
            if only_space
                && start < seg_end
                && let Some(last) = lines.last_mut()
            {
                last.1 = seg_end;
                line_start = seg_end;
                line_width = 0.0;
            }
        } else {
            line_width += content + trailing;
        }
        last_end = seg_end;
        last_hyphen = ends_with_shy;
        if opportunity == BreakOpportunity::Mandatory && seg_end < glyphs.len() {
            lines.push((line_start, seg_end, false));
            line_start = seg_end;
            line_width = 0.0;
        }
    }
    if line_start < glyphs.len() || lines.is_empty() {
        lines.push((line_start, glyphs.len(), false));
    }
    BrokenText {
        lines: built(spans, &glyphs, lines),
        missing,
    }
}

/// The lines of glyph ranges (start, end, ends with a hyphen), each but the last marked wrapped
/// unless it ends at a hard line break.
fn built(spans: &[Span], glyphs: &[Glyph], ranges: Vec<(usize, usize, bool)>) -> Vec<Line> {
    let count = ranges.len();
    ranges
        .into_iter()
        .enumerate()
        .map(|(i, (a, b, h))| {
            let range = glyphs.get(a..b).unwrap_or_default();
            let mut line = build_line(spans, range, h);
            line.wrapped = i + 1 < count && range.last().is_none_or(|g| g.c != '\n');
            line
        })
        .collect()
}

/// `line` set flush to both ends of `width` points, when it was wrapped (not a paragraph's last
/// line, nor one before a hard break) and has spaces to widen: its fragments are split after
/// each space, and the room left is shared between the spaces. A line that would need spaces
/// wider than three times the text size stays as it is (a gap that wide reads as a break).
pub fn justify(line: &Line, width: Pt) -> Line {
    let last = line.fragments.len().saturating_sub(1);
    // The spaces widened: every one inside the line, not the one it ends with.
    let inside = |i: usize, f: &Fragment, piece_end: usize, piece: &str| {
        piece.ends_with(' ') && !(i == last && piece_end == f.text.len())
    };
    let mut spaces = 0usize;
    for (i, f) in line.fragments.iter().enumerate() {
        let mut end = 0;
        for piece in f.text.split_inclusive(' ') {
            end += piece.len();
            spaces += usize::from(inside(i, f, end, piece));
        }
    }
    let room = width.0 - line.width.0;
    let size = line
        .fragments
        .iter()
        .map(|f| f.style.size)
        .fold(0.0, f32::max);
    if !line.wrapped || spaces == 0 || room <= 0.0 || room / spaces as f32 > 3.0 * size {
        return line.clone();
    }
    let extra = room / spaces as f32;
    let mut fragments = Vec::new();
    let mut shift = 0.0;
    for (i, f) in line.fragments.iter().enumerate() {
        let mut x = f.x.0 + shift;
        let mut end = 0;
        for piece in f.text.split_inclusive(' ') {
            end += piece.len();
            let w = super::fonts::text_width(f.style.face, piece, f.style.size);
            fragments.push(Fragment {
                text: piece.to_string(),
                style: f.style.clone(),
                x: Pt(x),
                width: Pt(w),
                hyphen: f.hyphen,
            });
            x += w;
            if inside(i, f, end, piece) {
                x += extra;
                shift += extra;
            }
        }
    }
    Line {
        fragments,
        width,
        wrapped: true,
    }
}

/// The widest piece between two line-break opportunities (its trailing white space not
/// counted), in points: the narrowest a column can be without splitting a word.
#[allow(
    clippy::indexing_slicing,
    reason = "`widths` holds one entry per byte of `text`, and break offsets lie within it"
)]
pub fn min_content_width(spans: &[Span]) -> Pt {
    let mut text = String::new();
    let mut widths = Vec::new();
    for span in spans {
        for c in span.text.chars() {
            let face = face_for(span.style.face, c).unwrap_or(span.style.face);
            let w = if c == SOFT_HYPHEN {
                0.0
            } else {
                char_width(face, c, span.style.size)
            };
            // The character's width at its first byte, zeros for its other bytes.
            widths.push(w);
            widths.extend(std::iter::repeat_n(0.0, c.len_utf8() - 1));
            text.push(c);
        }
    }
    let mut widest = 0.0f32;
    let mut start = 0;
    for (end, _) in linebreaks(&text) {
        let segment = &text[start..end];
        let trimmed = segment.trim_end().len();
        let w: f32 = widths[start..start + trimmed].iter().sum();
        widest = widest.max(w);
        start = end;
    }
    Pt(widest)
}

/// The lines of the text, as glyph ranges and whether each ends with a hyphen, broken by
/// total fit ([`super::fit`]) between its hard line breaks; `None` when a piece between two
/// break opportunities is wider than the line (a long URL or token, split by the greedy
/// breaker).
#[allow(
    clippy::indexing_slicing,
    reason = "glyph indices come from `partition_point` over `glyphs`; piece indices from `total_fit` over `chunk`"
)]
fn total_fit_lines(
    spans: &[Span],
    glyphs: &[Glyph],
    text: &str,
    width: f32,
) -> Option<Vec<(usize, usize, bool)>> {
    let index_of = |byte: usize| glyphs.partition_point(|g| g.byte < byte);
    let mut lines = Vec::new();
    let mut chunk: Vec<(usize, usize, bool)> = Vec::new();
    let mut pieces = Vec::new();
    let mut last_end = 0usize;
    for (byte, opportunity) in linebreaks(text) {
        let seg_end = index_of(byte);
        let (content, trailing) = measure(&glyphs[last_end..seg_end]);
        let (shy, hyphen) = soft_hyphen(spans, &glyphs[..seg_end]);
        chunk.push((last_end, seg_end, shy));
        pieces.push(super::fit::Piece {
            content,
            trailing,
            hyphen,
        });
        last_end = seg_end;
        if opportunity == BreakOpportunity::Mandatory {
            let mut start = 0;
            for end in super::fit::total_fit(&pieces, width)? {
                lines.push((chunk[start].0, chunk[end - 1].1, chunk[end - 1].2));
                start = end;
            }
            chunk.clear();
            pieces.clear();
        }
    }
    if lines.is_empty() {
        lines.push((0, glyphs.len(), false));
    }
    Some(lines)
}

/// Whether the text up to a break opportunity ends with a soft hyphen, and the width of the
/// hyphen drawn when a line ends there (0 otherwise), in points.
fn soft_hyphen(spans: &[Span], before: &[Glyph]) -> (bool, f32) {
    match before.last() {
        Some(g) if g.c == SOFT_HYPHEN => {
            let width = spans
                .get(g.span)
                .map_or(0.0, |s| char_width(s.style.face, '-', s.style.size));
            (true, width)
        }
        _ => (false, 0.0),
    }
}

/// Width of a segment without and with its trailing white space.
fn measure(segment: &[Glyph]) -> (f32, f32) {
    let total: f32 = segment.iter().map(|g| g.width).sum();
    // What is drawn only when more follows on the line: its trailing white space, and the
    // kerning of its last glyph with the next one.
    let trailing: f32 = segment
        .iter()
        .rev()
        .take_while(|g| g.c.is_whitespace() && g.c != '\u{a0}' && g.c != '\u{202f}')
        .map(|g| g.width)
        .sum::<f32>()
        + segment
            .last()
            .filter(|g| !g.c.is_whitespace())
            .map_or(0.0, |g| g.kern);
    (total - trailing, trailing)
}

/// Cut points (glyph counts from the start) that split an over-long word into pieces that fit.
#[allow(
    clippy::indexing_slicing,
    reason = "boundaries are glyph indices within `word`, from its own grapheme walk"
)]
fn split_long(word: &[Glyph], text: &str, width: f32) -> Vec<usize> {
    let Some(first) = word.first() else {
        return Vec::new();
    };
    let start_byte = first.byte;
    let end_byte = word.last().map_or(start_byte, |g| g.byte + g.c.len_utf8());
    // Glyph index at each grapheme boundary.
    let mut boundaries = Vec::new();
    let mut gi = 0;
    for (offset, grapheme) in text[start_byte..end_byte].grapheme_indices(true) {
        while gi < word.len() && word[gi].byte < start_byte + offset {
            gi += 1;
        }
        let _ = grapheme;
        boundaries.push(gi);
    }
    boundaries.push(word.len());
    let mut cuts = Vec::new();
    let mut piece_start = 0usize;
    let mut acc = 0.0f32;
    let mut best: Option<usize> = None;
    let mut b = 1;
    while b < boundaries.len() {
        let (from, to) = (boundaries[b - 1], boundaries[b]);
        let w: f32 = word[from..to].iter().map(|g| g.width).sum();
        // Ending the line here, its last glyph is drawn without the kerning with the next.
        let end_kern = word[to - 1].kern;
        if acc + w - end_kern > width && from > piece_start {
            let cut = best.filter(|c| *c > piece_start).unwrap_or(from);
            cuts.push(cut);
            acc = word[cut..from].iter().map(|g| g.width).sum();
            piece_start = cut;
            best = None;
            continue;
        }
        acc += w;
        if word[to - 1..to]
            .iter()
            .any(|g| matches!(g.c, '/' | '.' | '-' | '_' | '?' | '&' | '=' | '\\'))
        {
            best = Some(to);
        }
        b += 1;
    }
    cuts.retain(|c| *c < word.len());
    cuts
}

#[allow(
    clippy::indexing_slicing,
    reason = "indices run over `glyphs` and the spans they point into"
)]
fn build_line(spans: &[Span], glyphs: &[Glyph], hyphen: bool) -> Line {
    // Drop trailing white space and line breaks.
    let mut end = glyphs.len();
    while end > 0
        && (glyphs[end - 1].c.is_whitespace()
            && glyphs[end - 1].c != '\u{a0}'
            && glyphs[end - 1].c != '\u{202f}'
            || glyphs[end - 1].c == '\n')
    {
        end -= 1;
    }
    // A line that ends between words ends with one space, drawn after its last glyph and not
    // counted in its width: what reads the text (a screen reader, a search, a copy) keeps the
    // words apart (ISO 32000-1 §14.8.2.5, identifying word breaks).
    let word_break = end < glyphs.len();
    let glyphs = &glyphs[..end];
    let mut fragments: Vec<Fragment> = Vec::new();
    let mut x = 0.0f32;
    for (i, g) in glyphs.iter().enumerate() {
        if g.c == SOFT_HYPHEN || g.c == '\n' {
            continue;
        }
        // The line's last glyph is not kerned with the next line's first.
        let last_width = g.width - g.kern;
        let g = &Glyph {
            width: if i + 1 == glyphs.len() {
                last_width
            } else {
                g.width
            },
            ..*g
        };
        let style = &spans[g.span].style;
        let face = face_for(style.face, g.c).unwrap_or(style.face);
        match fragments.last_mut() {
            Some(f) if f.style.face == face && same_look(&f.style, style) => {
                f.text.push(g.c);
                f.width.0 += g.width;
            }
            _ => {
                let mut s = style.clone();
                s.face = face;
                fragments.push(Fragment {
                    text: g.c.to_string(),
                    style: s,
                    x: Pt(x),
                    width: Pt(g.width),
                    hyphen: false,
                });
            }
        }
        x += g.width;
    }
    if hyphen && let Some(last) = glyphs.last() {
        let style = spans[last.span].style.clone();
        let w = char_width(style.face, '-', style.size);
        fragments.push(Fragment {
            text: "-".into(),
            style,
            x: Pt(x),
            width: Pt(w),
            hyphen: true,
        });
        x += w;
    }
    if word_break
        && !hyphen
        && let Some(last) = fragments.last_mut()
    {
        last.text.push(' ');
    }
    Line {
        fragments,
        width: Pt(x),
        wrapped: false,
    }
}

fn same_look(a: &Style, b: &Style) -> bool {
    a.size == b.size
        && a.color == b.color
        && a.link == b.link
        && a.strike == b.strike
        && a.code == b.code
        && a.rise == b.rise
        && a.underline == b.underline
        && a.highlight == b.highlight
        && a.revision == b.revision
}

#[cfg(test)]
mod tests {
    use super::*;

    fn style() -> Style {
        Style::plain(FaceId::Sans, 10.0, Rgb::BLACK)
    }

    fn lines(text: &str, width: f32) -> Vec<String> {
        let spans = [Span {
            text: text.to_string(),
            style: style(),
        }];
        break_lines(&spans, Pt(width))
            .lines
            .iter()
            .map(|l| l.fragments.iter().map(|f| f.text.as_str()).collect())
            .collect()
    }

    #[test]
    fn a_column_too_narrow_for_one_glyph_still_takes_one_glyph_a_line() {
        for width in [0.0, -12.0, 0.5, f32::NAN] {
            let got = lines("ab cd", width);
            assert_eq!(
                got.concat().replace(' ', ""),
                "abcd",
                "width {width}: {got:?}"
            );
            assert!(got.iter().all(|l| !l.is_empty()), "width {width}: {got:?}");
            assert!(got.len() <= 5, "width {width}: {got:?}");
        }
    }

    #[test]
    fn words_wrap_at_spaces_and_lines_fit() {
        let spans = [Span {
            text: "Operators check the line and record the batch number before each shift.".into(),
            style: style(),
        }];
        let broken = break_lines(&spans, Pt(120.0));
        assert!(broken.lines.len() > 2);
        for l in &broken.lines {
            assert!(l.width.0 <= 120.01, "{l:?}");
        }
        let joined: Vec<String> = broken
            .lines
            .iter()
            .map(|l| l.fragments.iter().map(|f| f.text.as_str()).collect())
            .collect();
        // Each line but the last ends with the space it broke at, not counted in its width.
        assert_eq!(joined.concat(), spans[0].text);
        for line in &joined[..joined.len() - 1] {
            assert!(line.ends_with(' ') && !line.ends_with("  "), "{line:?}");
        }
        assert!(!joined[joined.len() - 1].ends_with(' '));
    }

    // See: cases/README.md B01 — long URLs and tokens are split without a hyphen.
    #[test]
    fn long_urls_break_after_slashes_and_tokens_anywhere() {
        let url = "https://intranet.example.com/quality/documents/sops/acceptance/tables/2025/very-long-path-segment/index.html";
        let pieces = lines(url, 150.0);
        assert!(pieces.len() > 1);
        assert_eq!(
            pieces.concat(),
            url,
            "joining the pieces gives the URL back"
        );
        assert!(
            pieces[..pieces.len() - 1]
                .iter()
                .all(|p| p.ends_with(['/', '.', '-', '_'])),
            "{pieces:?}"
        );
        let token = "X".repeat(120);
        let pieces = lines(&token, 150.0);
        assert_eq!(pieces.concat(), token);
        assert!(pieces.len() > 2);
    }

    // See: cases/README.md B09 — no-break spaces hold, soft hyphens show only at a break.
    #[test]
    fn no_break_spaces_hold_and_soft_hyphens_hide() {
        let text = "Dose 10\u{a0}mg twice a day, co\u{ad}operate";
        let one = lines(text, 1000.0);
        assert_eq!(one, ["Dose 10\u{a0}mg twice a day, cooperate"]);
        for w in 60..200 {
            for line in lines(text, w as f32) {
                assert!(
                    !line.ends_with("10") && !line.starts_with("mg"),
                    "broke inside 10 mg at {w}: {line:?}"
                );
            }
        }
        let narrow = lines("co\u{ad}operate", 48.0);
        assert_eq!(narrow, ["co-", "operate"]);
    }

    #[test]
    fn a_justified_line_reaches_the_right_margin_and_the_last_line_stays_ragged() {
        let spans = [Span {
            text: "Operators check the line and record the batch number before each shift, then sign the log.\nA new line.".into(),
            style: style(),
        }];
        let width = Pt(150.0);
        let broken = break_lines(&spans, width);
        assert!(broken.lines.len() > 3);
        let wrapped: Vec<bool> = broken.lines.iter().map(|l| l.wrapped).collect();
        // The line before the hard break and the last line are not wrapped.
        let n = wrapped.len();
        assert!(!wrapped[n - 1] && !wrapped[n - 2], "{wrapped:?}");
        assert!(wrapped[..n - 2].iter().all(|w| *w), "{wrapped:?}");
        for line in &broken.lines {
            let set = justify(line, width);
            let text: String = set.fragments.iter().map(|f| f.text.as_str()).collect();
            let before: String = line.fragments.iter().map(|f| f.text.as_str()).collect();
            assert_eq!(text, before, "the words are kept");
            let last = set.fragments.last().expect("a fragment");
            let right = last.x.0
                + super::super::fonts::text_width(
                    last.style.face,
                    last.text.trim_end(),
                    last.style.size,
                );
            if line.wrapped {
                assert!((right - width.0).abs() < 0.5, "{right} for {before:?}");
            } else {
                assert_eq!(&set, line);
            }
        }
    }

    #[test]
    fn a_tab_is_a_space_and_control_characters_draw_nothing() {
        assert_eq!(
            lines("Tab\tseparated\u{1}words\u{7f}", 500.0),
            ["Tab separatedwords"]
        );
    }

    #[test]
    fn hard_breaks_and_missing_glyphs() {
        assert_eq!(lines("one\ntwo", 500.0), ["one ", "two"]);
        let spans = [Span {
            text: "手順 ok".into(),
            style: style(),
        }];
        let broken = break_lines(&spans, Pt(500.0));
        assert_eq!(broken.missing.into_iter().collect::<String>(), "手順");
    }
}
