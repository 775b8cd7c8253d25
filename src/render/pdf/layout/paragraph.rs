//! A paragraph's lines down the pages, never leaving one line alone (issue 19 item 3).

use super::Pt;
use super::flow::Flow;
use crate::render::pdf::text::BrokenText;

impl Flow<'_> {
    /// Places a paragraph's lines as [`Flow::place_lines`] does, without leaving one line of it
    /// alone: a first line alone at the foot of a page (an orphan) goes to the next page with
    /// the rest, and a last line that would stand alone at the head of the next page (a widow)
    /// takes the line before it along. `keep_after` (points) is room the block after it needs
    /// on the same page: a lead-in paragraph moves to the next page rather than stand at the
    /// foot of one with its list on the next. A paragraph taller than a page breaks where it
    /// must.
    pub fn place_paragraph(&mut self, broken: &BrokenText, x: Pt, lh: f32, keep_after: f32) {
        let n = broken.lines.len();
        let at_top = self.y.0 <= self.geo.top.0 + 0.5;
        let page_lines = ((self.geo.bottom - self.geo.top).0 / lh).floor() as usize;
        let fits = ((self.remaining().0 + 0.01) / lh).floor().max(0.0) as usize;
        if !at_top && n <= page_lines {
            let whole = n as f32 * lh + keep_after;
            // One line alone either way: at the foot (an orphan), or at the head of the next
            // page when no more than two would stay here (a widow with nothing to take along).
            let orphan = n >= 2 && (fits == 1 || (fits < n && n - fits == 1 && fits <= 2));
            let lead_in = keep_after > 0.0 && whole > self.remaining().0 + 0.01;
            if orphan || (lead_in && whole <= (self.geo.bottom - self.geo.top).0) {
                self.new_page();
            }
        }
        let fits = ((self.remaining().0 + 0.01) / lh).floor().max(0.0) as usize;
        // A widow: all but the last line fit; the line before it goes along.
        let split = (fits < n && n - fits == 1 && fits >= 3).then(|| fits - 1);
        match split {
            Some(k) => {
                let (first, rest) = broken.lines.split_at(k);
                let head = BrokenText {
                    lines: first.to_vec(),
                    missing: Default::default(),
                };
                let tail = BrokenText {
                    lines: rest.to_vec(),
                    missing: Default::default(),
                };
                self.place_lines(&head, x, lh);
                self.new_page();
                self.place_lines(&tail, x, lh);
            }
            None => self.place_lines(broken, x, lh),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::flow::{BODY_LH, Ctx, spans};
    use super::super::{Geometry, Item};
    use super::*;
    use crate::config::Paper;
    use crate::model::Inline;

    /// The page each line of a paragraph of `words` words lands on, laid out from `lines_left`
    /// lines above the foot of a page, followed by room `keep_after`.
    fn pages_of_lines(words: usize, lines_left: f32, keep_after: f32) -> Vec<usize> {
        let files = crate::render::images::WorkTree {
            root: std::path::PathBuf::from("."),
        };
        let path = std::path::Path::new("a.md");
        let mut flow = Flow::new(Geometry::for_paper(Paper::A4), &files, path);
        flow.y = flow.geo.bottom - Pt(lines_left * BODY_LH);
        let text: Vec<String> = (0..words).map(|i| format!("word{i}")).collect();
        let mut s = Vec::new();
        spans(&[Inline::Text(text.join(" "))], &Ctx::body(), &mut s);
        let width = flow.geo.text_width();
        let broken = flow.break_spans(&s, width);
        flow.place_paragraph(&broken, flow.geo.left, BODY_LH, keep_after);
        let mut out = Vec::new();
        for (n, page) in flow.pages.iter().enumerate() {
            let mut ys: Vec<i32> = page
                .items
                .iter()
                .filter_map(|i| match i {
                    Item::Text { y, .. } => Some(y.0 as i32),
                    _ => None,
                })
                .collect();
            ys.dedup();
            out.extend(std::iter::repeat_n(n, ys.len()));
        }
        out
    }

    #[test]
    fn no_line_of_a_paragraph_is_left_alone_at_a_foot_or_a_head() {
        // About 14 words a line: 45 words make four lines.
        assert_eq!(pages_of_lines(45, 1.2, 0.0), vec![1, 1, 1, 1], "orphan");
        assert_eq!(pages_of_lines(45, 3.2, 0.0), vec![0, 0, 1, 1], "widow");
        assert_eq!(
            pages_of_lines(45, 2.2, 0.0),
            vec![0, 0, 1, 1],
            "two and two"
        );
        assert_eq!(
            pages_of_lines(30, 2.2, 0.0)
                .iter()
                .filter(|p| **p == 0)
                .count(),
            0,
            "three lines, two fit"
        );
        assert_eq!(pages_of_lines(45, 5.2, 0.0), vec![0, 0, 0, 0], "all fit");
    }

    #[test]
    fn a_lead_in_goes_with_what_it_introduces() {
        assert_eq!(pages_of_lines(5, 1.5, 2.0 * BODY_LH), vec![1], "lead-in");
        assert_eq!(pages_of_lines(5, 1.5, 0.0), vec![0], "not a lead-in");
    }
}
