//! Tables: column widths from content, wrapped cells, the header row repeated on every page the
//! table continues on, and no row split across pages when it fits on one.
//!
//! Column widths follow the automatic table layout of CSS 2.1 (§17.5.2.2) in outline: each
//! column's minimum is its longest unbreakable word, its maximum its longest cell on one line;
//! when the maxima fit, columns get them (and the spare width in proportion); otherwise every
//! column gets its minimum and the rest is shared by water-filling, so short cells stay on one
//! line and the widest columns wrap.
//!
//! Two cases keep every word on the page where a grid cannot: a table with so many columns
//! that they cannot each get [`MIN_COLUMN_TEXT`] is laid out as records (one wrapped paragraph a
//! row, each value after its column's header), and a row taller than a page is split between
//! pages line by line, the header repeated above each part.

use super::super::text::{BrokenText, Span, break_lines, min_content_width};
use super::flow::{Ctx, Flow, spans};
use super::structure::{Role, Scope};
use super::{Item, Pt, Rgb};
use crate::model::{Align, Inline, Table};

const SIZE: f32 = 9.0;
const LH: f32 = 12.5;
const PAD_X: f32 = 5.0;
const PAD_Y: f32 = 4.0;

/// The narrowest text a column may get before the table is laid out as records instead, in
/// points: about three letters at the table's 9-point size (or the column's longest word, if
/// shorter).
pub const MIN_COLUMN_TEXT: f32 = 18.0;

/// Whether columns with these (minimum, maximum) content widths cannot share `width` points
/// with at least [`MIN_COLUMN_TEXT`] each (or their longest word, if shorter), plus padding.
pub fn too_many_columns(bounds: &[(f32, f32)], width: f32) -> bool {
    let needed: f32 = bounds
        .iter()
        .map(|b| b.0.min(MIN_COLUMN_TEXT) + 2.0 * PAD_X)
        .sum();
    needed > width
}

fn cell_spans(cell: &[Inline], header: bool) -> Vec<Span> {
    let mut out = Vec::new();
    spans(
        cell,
        &Ctx {
            size: SIZE,
            bold: header,
            ..Ctx::body()
        },
        &mut out,
    );
    out
}

/// Minimum (longest word) and maximum (one line) widths of a cell's content, in points.
fn cell_bounds(s: &[Span]) -> (f32, f32) {
    let one_line = break_lines(s, Pt(f32::MAX / 4.0));
    let max = one_line.lines.iter().map(|l| l.width.0).fold(0.0, f32::max);
    let min = min_content_width(s).0;
    (min.min(max), max)
}

/// Column widths for `columns` columns filling `width` (see the module docs).
#[allow(
    clippy::indexing_slicing,
    reason = "`mins`, `maxs`, `widths` and `order` all have one entry per column"
)]
pub fn column_widths(bounds: &[(f32, f32)], width: f32) -> Vec<f32> {
    let pads = 2.0 * PAD_X;
    // A very long word (a URL, a token) must not claim the whole table: beyond a third of the
    // width it is split inside the cell instead.
    let mins: Vec<f32> = bounds.iter().map(|b| b.0.min(width / 3.0) + pads).collect();
    let maxs: Vec<f32> = bounds.iter().map(|b| b.1 + pads).collect();
    let (sum_min, sum_max): (f32, f32) = (mins.iter().sum(), maxs.iter().sum());
    if sum_max <= width {
        // Everything fits on one line: share the spare width in proportion to content.
        let spare = width - sum_max;
        return maxs
            .iter()
            .map(|m| m + spare * m / sum_max.max(1.0))
            .collect();
    }
    if sum_min >= width {
        // Even the longest words do not fit: every column keeps its floor (its longest word, or
        // MIN_COLUMN_TEXT, whichever is less: a glyph always fits) and the rest is shared in
        // proportion to what each wants above it (words will be split).
        let floors: Vec<f32> = bounds
            .iter()
            .map(|b| b.0.min(MIN_COLUMN_TEXT) + pads)
            .collect();
        let extra = (width - floors.iter().sum::<f32>()).max(0.0);
        let wants: Vec<f32> = mins
            .iter()
            .zip(&floors)
            .map(|(m, f)| (m - f).max(0.0))
            .collect();
        let sum_wants = wants.iter().sum::<f32>().max(f32::EPSILON);
        return floors
            .iter()
            .zip(&wants)
            .map(|(f, w)| f + w * extra / sum_wants)
            .collect();
    }
    // Water-filling: columns that want little more than their minimum get all of it (short
    // cells stay on one line); the widest columns share what is left equally.
    let mut order: Vec<usize> = (0..mins.len()).collect();
    order.sort_by(|a, b| (maxs[*a] - mins[*a]).total_cmp(&(maxs[*b] - mins[*b])));
    let mut widths = mins.clone();
    let mut spare = width - sum_min;
    for (k, &c) in order.iter().enumerate() {
        let share = spare / (order.len() - k) as f32;
        let give = (maxs[c] - mins[c]).min(share);
        widths[c] += give;
        spare -= give;
    }
    widths
}

/// Lays out a table at `x`, `width` wide.
#[allow(
    clippy::indexing_slicing,
    reason = "`bounds` has one entry per column and every row is padded to `columns` cells"
)]
pub fn table(flow: &mut Flow<'_>, table: &Table, x: Pt, width: Pt) {
    for cell in table.header.iter().chain(table.rows.iter().flatten()) {
        flow.note_images_in_text(cell);
    }
    let columns = table
        .header
        .len()
        .max(table.rows.iter().map(Vec::len).max().unwrap_or(0));
    if columns == 0 {
        return;
    }
    let header: Vec<Vec<Span>> = (0..columns)
        .map(|c| {
            table
                .header
                .get(c)
                .map(|cell| cell_spans(cell, true))
                .unwrap_or_default()
        })
        .collect();
    let rows: Vec<Vec<Vec<Span>>> = table
        .rows
        .iter()
        .map(|row| {
            (0..columns)
                .map(|c| {
                    row.get(c)
                        .map(|cell| cell_spans(cell, false))
                        .unwrap_or_default()
                })
                .collect()
        })
        .collect();
    let mut bounds = vec![(0.0f32, 0.0f32); columns];
    for row in std::iter::once(&header).chain(&rows) {
        for (c, cell) in row.iter().enumerate() {
            let (mi, ma) = cell_bounds(cell);
            bounds[c].0 = bounds[c].0.max(mi);
            bounds[c].1 = bounds[c].1.max(ma);
        }
    }
    let has_header = table.header.iter().any(|c| !c.is_empty());
    if too_many_columns(&bounds, width.0) {
        records(flow, &header, &rows, has_header, x, width);
        return;
    }
    let widths = column_widths(&bounds, width.0);
    let lay_row = |flow: &mut Flow<'_>, row: &[Vec<Span>]| -> Vec<BrokenText> {
        row.iter()
            .zip(&widths)
            .map(|(cell, w)| flow.break_prose(cell, Pt(w - 2.0 * PAD_X)))
            .collect()
    };
    let header_cells = lay_row(flow, &header);
    let header_h = row_height(&header_cells);
    let page_h = (flow.geo.bottom - flow.geo.top).0;
    // A header taller than a third of a page is shown once, not above every part.
    let repeat = (has_header && header_h <= page_h / 3.0).then_some(header_cells.as_slice());
    let grid = Grid {
        widths: &widths,
        x,
        aligns: &table.alignments,
    };

    flow.y += Pt(2.0);
    // The header and the first row start on the same page.
    let first_h = rows.first().map_or(0.0, |r| row_height(&lay_row(flow, r)));
    flow.ensure(Pt(header_h + first_h));
    if has_header {
        grid.place(flow, &header_cells, true, None);
    }
    for row in &rows {
        let cells = lay_row(flow, row);
        let h = row_height(&cells);
        let fresh = page_h - repeat.map_or(0.0, row_height);
        if h > flow.remaining().0 + 0.01 && h <= fresh {
            flow.new_page();
            if let Some(header) = repeat {
                grid.draw(flow, header, row_height(header), true, None);
            }
        }
        grid.place(flow, &cells, false, repeat);
    }
    flow.y += Pt(8.0);
}

/// The height of a row of laid-out cells, in points: its tallest cell plus padding.
fn row_height(cells: &[BrokenText]) -> f32 {
    cells
        .iter()
        .map(|c| c.lines.len())
        .max()
        .unwrap_or(1)
        .max(1) as f32
        * LH
        + 2.0 * PAD_Y
}

/// Where a table's columns are.
struct Grid<'t> {
    widths: &'t [f32],
    x: Pt,
    aligns: &'t [Align],
}

impl Grid<'_> {
    /// Places a row at the cursor; a row taller than the room left is split between pages
    /// line by line (at least one line a page, so layout always moves on), with `repeat` (the
    /// header) above each continuation.
    fn place(
        &self,
        flow: &mut Flow<'_>,
        cells: &[BrokenText],
        header: bool,
        repeat: Option<&[BrokenText]>,
    ) {
        let h = row_height(cells);
        // The row and its cells, made once however many pages the row is split across.
        let row = flow.open(Role::TR);
        let role = if header {
            Role::TH(Scope::Column)
        } else {
            Role::TD
        };
        let elements: Option<Vec<usize>> = flow.current.map(|tr| {
            (0..cells.len())
                .map(|_| flow.structure.add(tr, role))
                .collect()
        });
        flow.restore(row);
        let elements = elements.as_deref();
        if h <= flow.remaining().0 + 0.01 {
            self.draw(flow, cells, h, header, elements);
            return;
        }
        let total = cells.iter().map(|c| c.lines.len()).max().unwrap_or(0);
        let mut start = 0;
        while start < total {
            let room = ((flow.remaining().0 - 2.0 * PAD_Y) / LH + 0.001).floor();
            let at_top = flow.y.0 <= flow.geo.top.0 + 0.5;
            if room < 1.0 && !at_top {
                flow.new_page();
                if let Some(r) = repeat {
                    self.draw(flow, r, row_height(r), true, None);
                }
                continue;
            }
            let end = total.min(start + (room as usize).max(1));
            let part: Vec<BrokenText> = cells
                .iter()
                .map(|c| BrokenText {
                    lines: c
                        .lines
                        .get(start..end.min(c.lines.len()))
                        .map_or_else(Vec::new, <[_]>::to_vec),
                    missing: std::collections::BTreeSet::new(),
                })
                .collect();
            let h = (end - start) as f32 * LH + 2.0 * PAD_Y;
            self.draw(flow, &part, h, header, elements);
            start = end;
        }
    }

    /// Draws a row of `cells`, the text of each the content of its element in `elements`
    /// (none: a header repeated on a continuation page, an artifact).
    fn draw(
        &self,
        flow: &mut Flow<'_>,
        cells: &[BrokenText],
        h: f32,
        header: bool,
        elements: Option<&[usize]>,
    ) {
        draw_row(
            flow,
            cells,
            (self.widths, self.x, self.aligns),
            h,
            header,
            elements,
        );
    }
}

/// A table with too many columns for the page ([`too_many_columns`]), as records: a short note,
/// then for each row one paragraph `Header: value · Header: value …` (columns without a header
/// are called `Column N`), rows separated by rules. Every value stays readable at full width.
fn records(
    flow: &mut Flow<'_>,
    header: &[Vec<Span>],
    rows: &[Vec<Vec<Span>>],
    has_header: bool,
    x: Pt,
    width: Pt,
) {
    let plain = Ctx {
        size: SIZE,
        ..Ctx::body()
    };
    let note_style = Ctx {
        italic: true,
        color: Rgb::GREY,
        ..plain.clone()
    }
    .style_for_value();
    let bold = Ctx {
        bold: true,
        ..plain.clone()
    }
    .style_for_value();
    let plain = plain.style_for_value();
    let text_width = Pt(width.0 - 2.0 * PAD_X);
    // Not a table any more: a note and a paragraph a record.
    flow.retag(Role::Div);
    flow.y += Pt(2.0);
    let note = flow.break_spans(
        &[Span {
            text: format!(
                "A table of {} columns, too many to print side by side: each row follows as a record.",
                header.len()
            ),
            style: note_style,
        }],
        text_width,
    );
    flow.ensure(Pt(note.lines.len() as f32 * LH + 3.0 * LH));
    let outer = flow.open(Role::P);
    flow.place_lines(&note, x + Pt(PAD_X), LH);
    flow.restore(outer);
    for row in rows {
        let mut spans = Vec::new();
        for (c, cell) in row.iter().enumerate() {
            if cell.is_empty() {
                continue;
            }
            if !spans.is_empty() {
                spans.push(Span {
                    // Glued to the value before it, so no line starts with the dot.
                    text: "\u{a0}·   ".to_string(),
                    style: plain.clone(),
                });
            }
            match header.get(c) {
                Some(label) if has_header && !label.is_empty() => {
                    spans.extend(label.iter().cloned())
                }
                _ => spans.push(Span {
                    text: format!("Column {}", c + 1),
                    style: bold.clone(),
                }),
            }
            spans.push(Span {
                // A label stays on the line of its value.
                text: ":\u{a0}".to_string(),
                style: bold.clone(),
            });
            spans.extend(cell.iter().cloned());
        }
        let broken = flow.break_spans(&spans, text_width);
        flow.ensure(Pt(LH.min(broken.lines.len() as f32 * LH) + 2.0 * PAD_Y));
        let outer = flow.artifact();
        flow.push(Item::Line {
            x1: x,
            y1: flow.y,
            x2: x + width,
            y2: flow.y,
            width: Pt(0.5),
            color: Rgb::RULE,
        });
        flow.restore(outer);
        flow.y += Pt(PAD_Y);
        let outer = flow.open(Role::P);
        flow.place_lines(&broken, x + Pt(PAD_X), LH);
        flow.restore(outer);
        flow.y += Pt(PAD_Y);
    }
    flow.y += Pt(8.0);
}

fn draw_row(
    flow: &mut Flow<'_>,
    cells: &[BrokenText],
    (widths, x, aligns): (&[f32], Pt, &[Align]),
    h: f32,
    header: bool,
    elements: Option<&[usize]>,
) {
    let top = flow.y;
    let total: f32 = widths.iter().sum();
    // The band and borders are artifacts; each cell's text is its element's content.
    let outer = flow.artifact();
    if header {
        flow.push(Item::Rect {
            x,
            y: top,
            w: Pt(total),
            h: Pt(h),
            fill: Rgb::BAND,
        });
    }
    let mut cx = x;
    for (c, (cell, w)) in cells.iter().zip(widths).enumerate() {
        flow.current = elements.and_then(|e| e.get(c).copied());
        let mut ly = top + Pt(PAD_Y);
        for line in &cell.lines {
            let free = w - 2.0 * PAD_X - line.width.0;
            let shift = match aligns.get(c) {
                Some(Align::Right) => free.max(0.0),
                Some(Align::Center) => (free / 2.0).max(0.0),
                _ => 0.0,
            };
            let baseline = ly + Pt(LH * 0.5 + SIZE * 0.36);
            for f in &line.fragments {
                flow.fragment(f, cx + Pt(PAD_X + shift) + f.x, baseline, (ly, Pt(LH)));
            }
            ly += Pt(LH);
        }
        cx += Pt(*w);
    }
    flow.current = None;
    // Borders: top, bottom and the verticals.
    let bottom = top + Pt(h);
    let border = |x1: Pt, y1: Pt, x2: Pt, y2: Pt| Item::Line {
        x1,
        y1,
        x2,
        y2,
        width: Pt(0.5),
        color: Rgb::RULE,
    };
    flow.push(border(x, top, x + Pt(total), top));
    flow.push(border(x, bottom, x + Pt(total), bottom));
    let mut vx = x;
    flow.push(border(vx, top, vx, bottom));
    for w in widths {
        vx += Pt(*w);
        flow.push(border(vx, top, vx, bottom));
    }
    flow.restore(outer);
    flow.y = bottom;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_come_from_content() {
        // Narrow content keeps its width share; wide content wraps.
        let w = column_widths(&[(20.0, 30.0), (50.0, 400.0)], 300.0);
        assert!((w.iter().sum::<f32>() - 300.0).abs() < 0.01);
        assert!(
            (w[0] - 40.0).abs() < 0.01,
            "the short column gets its whole line: {w:?}"
        );
        let fits = column_widths(&[(20.0, 30.0), (20.0, 60.0)], 300.0);
        assert!((fits[1] / fits[0] - 70.0 / 40.0).abs() < 0.01, "{fits:?}");
    }

    #[test]
    fn a_shrunk_column_keeps_room_for_its_glyphs() {
        let bounds = [(5.0, 5.0), (300.0, 300.0), (9.0, 9.0), (300.0, 900.0)];
        let w = column_widths(&bounds, 120.0);
        assert!((w.iter().sum::<f32>() - 120.0).abs() < 0.01, "{w:?}");
        for (b, w) in bounds.iter().zip(&w) {
            assert!(w - 2.0 * PAD_X >= b.0.min(MIN_COLUMN_TEXT) - 0.01, "{w:?}");
        }
        assert!(!too_many_columns(&bounds, 120.0));
        assert!(too_many_columns(&bounds, 80.0));
    }
}
