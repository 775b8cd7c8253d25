//! Code blocks: monospace lines on a band, long lines wrapped with a mark.

use super::flow::{CODE_LH, CODE_SIZE, Flow, PARA_GAP};
use super::{Item, Pt, Rgb};
use crate::render::pdf::fonts::{FaceId, char_width};
use crate::render::pdf::text::{Fragment, Span, Style};

impl Flow<'_> {
    pub(super) fn code(&mut self, text: &str, x: Pt, width: Pt) {
        let pad = 6.0;
        let char_w = char_width(FaceId::Mono, 'M', CODE_SIZE);
        let mark_w = char_w * 2.0;
        let columns = (((width.0 - 2.0 * pad - mark_w) / char_w).floor() as usize).max(8);
        let mut lines: Vec<(String, bool)> = Vec::new();
        for source in text.strip_suffix('\n').unwrap_or(text).split('\n') {
            let mut expanded = String::new();
            let mut col = 0;
            for c in source.chars() {
                if c == '\t' {
                    let n = 4 - col % 4;
                    expanded.extend(std::iter::repeat_n(' ', n));
                    col += n;
                } else if c != '\r' {
                    expanded.push(c);
                    col += 1;
                }
            }
            let chars: Vec<char> = expanded.chars().collect();
            if chars.is_empty() {
                lines.push((String::new(), false));
            }
            for (n, chunk) in chars.chunks(columns).enumerate() {
                lines.push((chunk.iter().collect(), n > 0));
            }
        }
        self.y += Pt(2.0);
        self.ensure(Pt(CODE_LH * 2.0 + 2.0 * pad));
        let mut band_page = self.page_index();
        let mut band_index = self.pages.last().map_or(0, |p| p.items.len());
        let mut band_top = self.y;
        self.y += Pt(pad);
        for (i, (text, continued)) in lines.iter().enumerate() {
            // A line the source ends (not one cut to fit) ends with a space, not counted in its
            // width: what reads the text keeps the code's lines apart.
            let ends_line = lines.get(i + 1).is_some_and(|(_, next)| !next);
            if self.remaining().0 < CODE_LH + pad {
                self.close_band(
                    band_page,
                    band_index,
                    band_top,
                    self.y + Pt(pad * 0.5),
                    x,
                    width,
                );
                self.new_page();
                band_page = self.page_index();
                band_index = 0;
                band_top = self.y;
                self.y += Pt(pad);
            }
            let baseline = self.y + Pt(CODE_LH * 0.5 + CODE_SIZE * 0.36);
            if *continued {
                // The wrap mark is not part of the code.
                let outer = self.artifact();
                self.push(Item::Text {
                    x: x + Pt(pad),
                    y: baseline,
                    face: FaceId::Mono,
                    size: CODE_SIZE,
                    text: "↪".into(),
                    color: Rgb::GREY,
                    angle: 0.0,
                });
                self.restore(outer);
            }
            if !text.is_empty() {
                let mut s = vec![Span {
                    text: text.clone(),
                    style: Style::plain(FaceId::Mono, CODE_SIZE, Rgb::BLACK),
                }];
                let broken = self.break_spans(&s, Pt(f32::MAX / 4.0));
                let fragments: Vec<&Fragment> =
                    broken.lines.iter().flat_map(|l| &l.fragments).collect();
                let count = fragments.len();
                for (k, f) in fragments.into_iter().enumerate() {
                    let mut f = Fragment {
                        style: Style {
                            size: CODE_SIZE,
                            color: Rgb::BLACK,
                            ..f.style.clone()
                        },
                        ..f.clone()
                    };
                    if ends_line && k + 1 == count {
                        f.text.push(' ');
                    }
                    self.fragment(
                        &f,
                        x + Pt(pad + mark_w) + f.x,
                        baseline,
                        (self.y, Pt(CODE_LH)),
                    );
                }
                s.clear();
            }
            self.y += Pt(CODE_LH);
        }
        self.y += Pt(pad);
        self.close_band(band_page, band_index, band_top, self.y, x, width);
        self.y += Pt(PARA_GAP + 2.0);
    }

    fn close_band(&mut self, page: usize, index: usize, top: Pt, bottom: Pt, x: Pt, width: Pt) {
        self.insert_artifact(
            page,
            index,
            Item::Rect {
                x,
                y: top,
                w: width,
                h: bottom - top,
                fill: Rgb::BAND,
            },
        );
    }
}
