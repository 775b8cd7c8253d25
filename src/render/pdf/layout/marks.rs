//! A redline's marks on the page ([`crate::model::Revision`]): the look of marked text and the
//! change bars in the left margin beside every changed line.

use super::flow::Flow;
use super::{Item, Pt, Rgb};
use crate::model::Revision;
use crate::render::pdf::text::Style;

/// `style` as a redline marks it (see [`Revision`]): deleted text red and struck through,
/// inserted text blue and underlined, moved text green (the lines are doubled when drawn).
pub(super) fn revision_style(style: &Style, revision: Revision) -> Style {
    let (color, strike, underline) = match revision {
        Revision::Inserted => (Rgb::INSERTED, style.strike, true),
        Revision::Deleted => (Rgb::DELETED, true, style.underline),
        Revision::MovedTo => (Rgb::MOVED, style.strike, true),
        Revision::MovedFrom => (Rgb::MOVED, true, style.underline),
    };
    Style {
        color,
        strike,
        underline,
        revision: Some(revision),
        ..style.clone()
    }
}

impl Flow<'_> {
    /// Notes a change bar beside the band from `top` to `bottom` of the page being filled.
    pub(crate) fn change_bar(&mut self, top: Pt, bottom: Pt) {
        let page = self.page_index();
        match self.change_bars.last_mut() {
            // Lines of one change run on: one bar.
            Some((p, _, end)) if *p == page && top.0 <= end.0 + 0.5 => {
                *end = Pt(end.0.max(bottom.0));
            }
            _ => self.change_bars.push((page, top, bottom)),
        }
    }

    /// Draws the change bars noted so far in the left margin, 9 pt from the text, 1.6 pt wide,
    /// overlapping ones as one (the change bar of legal and eQMS redlines).
    pub(crate) fn draw_change_bars(&mut self) {
        let mut bars = std::mem::take(&mut self.change_bars);
        bars.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.0.total_cmp(&b.1.0)));
        let mut merged: Vec<(usize, Pt, Pt)> = Vec::new();
        for (page, top, bottom) in bars {
            match merged.last_mut() {
                Some((p, _, end)) if *p == page && top.0 <= end.0 + 0.5 => {
                    *end = Pt(end.0.max(bottom.0));
                }
                _ => merged.push((page, top, bottom)),
            }
        }
        let x = self.geo.left - Pt(9.0);
        for (page, top, bottom) in merged {
            self.push_artifact_to(
                page,
                Item::Line {
                    x1: x,
                    y1: top,
                    x2: x,
                    y2: bottom,
                    width: Pt(1.6),
                    color: Rgb::BLACK,
                },
            );
        }
    }
}
