//! The body, block by block, down the pages.
//!
//! A [`Flow`] holds the pages made so far and a cursor (`y`, from the top of the page). Each
//! block asks for the room it needs; when the rest of the page is too small, a new page starts.
//! Rules implemented here:
//! - a heading is kept with the first two lines of what follows it, so no page ends with a
//!   heading (`cases/` B04); a heading already at the top of a page is never pushed further;
//! - lists indent 16 pt a level (block quotes 12 pt) until the text would get narrower than
//!   half the column, then stop indenting; bullets cycle • ◦ ▪ ‣ (`cases/` B05);
//! - code blocks wrap at the column's width with a visible `↪` on continuation lines, tabs
//!   expand to the next multiple of 4 columns, and the background is drawn per page (`cases/` B02);
//! - images are scaled down to the column's width and the page's height, keeping their aspect,
//!   and start a new page rather than being cut (`cases/` B25).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use unicode_normalization::UnicodeNormalization;

use super::super::fonts::{FaceId, text_width};
use super::super::text::{BrokenText, Fragment, LinkTarget, Span, Style, break_lines};
use super::marks::revision_style;
use super::structure::{Kid, Mark, Role, Structure};
use super::{Geometry, ImageData, Item, OutlineEntry, Page, Pt, Rgb};
use crate::doc::inline_html::Element;
use crate::model::{Block, Heading, Inline, List, Revision};
use crate::render::RenderWarning;
use crate::render::images::FileSource;

/// Body text size in points.
pub const BODY: f32 = 10.0;
/// Body line height in points.
pub const BODY_LH: f32 = 14.5;
/// Space after a paragraph, in points.
pub const PARA_GAP: f32 = 6.0;
pub(super) const CODE_SIZE: f32 = 8.5;
pub(super) const CODE_LH: f32 = 11.5;
const INDENT: f32 = 16.0;
const BULLETS: [char; 4] = ['•', '◦', '▪', '‣'];
/// How many line breaks [`Flow::break_spans`] keeps.
const KEPT_BREAKS: usize = 4;
/// The longest text (bytes) whose line break [`Flow::break_spans`] keeps.
const KEPT_TEXT: usize = 2_000;

/// How much smaller superscript and subscript text is than the text around it.
const SCRIPT_SCALE: f32 = 0.75;

/// Inline styling state while converting inlines to spans.
#[derive(Debug, Clone)]
pub(crate) struct Ctx {
    pub(crate) bold: bool,
    pub(crate) italic: bool,
    pub(crate) strike: bool,
    pub(crate) size: f32,
    pub(crate) color: Rgb,
    pub(crate) link: Option<LinkTarget>,
    /// A key (`<kbd>`): monospace on a light background, as a code span.
    pub(crate) key: bool,
    /// Baseline shift in points (positive: raised).
    pub(crate) rise: f32,
    pub(crate) underline: bool,
    pub(crate) highlight: bool,
    /// The redline's mark on this text, if any.
    pub(crate) revision: Option<Revision>,
}

impl Ctx {
    pub(crate) fn body() -> Ctx {
        Ctx {
            bold: false,
            italic: false,
            strike: false,
            size: BODY,
            color: Rgb::BLACK,
            link: None,
            key: false,
            rise: 0.0,
            underline: false,
            highlight: false,
            revision: None,
        }
    }

    /// The context inside `element` (see [`crate::doc::inline_html`]): superscript raised by
    /// a third of the surrounding size and subscript lowered by a sixth, both at
    /// [`SCRIPT_SCALE`] of it.
    fn marked(&self, element: Element) -> Ctx {
        let mut ctx = self.clone();
        match element {
            Element::Superscript => {
                ctx.rise += self.size * 0.33;
                ctx.size *= SCRIPT_SCALE;
            }
            Element::Subscript => {
                ctx.rise -= self.size * 0.17;
                ctx.size *= SCRIPT_SCALE;
            }
            Element::Keyboard => ctx.key = true,
            Element::Inserted => ctx.underline = true,
            Element::Deleted => ctx.strike = true,
            Element::Highlighted => ctx.highlight = true,
        }
        ctx
    }

    /// The style of plain (not monospace) text in this context.
    pub(crate) fn style_for_value(&self) -> Style {
        self.style(false)
    }

    pub(super) fn style(&self, mono: bool) -> Style {
        let mono = mono || self.key;
        Style {
            face: FaceId::styled(self.bold, self.italic, mono),
            size: if mono { self.size * 0.9 } else { self.size },
            color: if self.link.is_some() {
                Rgb::LINK
            } else {
                self.color
            },
            link: self.link.clone(),
            strike: self.strike,
            code: mono,
            rise: self.rise,
            underline: self.underline,
            highlight: self.highlight,
            revision: self.revision,
        }
    }
}

/// Inline content as styled spans.
pub(crate) fn spans(inlines: &[Inline], ctx: &Ctx, out: &mut Vec<Span>) {
    for inline in inlines {
        match inline {
            // Composed (NFC) so that a letter and its combining mark are one glyph where the
            // font has it (`cases/` B08: "cafe" + U+0301 prints as "café").
            Inline::Text(t) => out.push(Span {
                text: t.nfc().collect(),
                style: ctx.style(false),
            }),
            Inline::Code(c) => out.push(Span {
                text: c.clone(),
                style: ctx.style(true),
            }),
            Inline::Html(h) => out.push(Span {
                text: h.clone(),
                style: ctx.style(true),
            }),
            Inline::Emphasis(c) => spans(
                c,
                &Ctx {
                    italic: true,
                    ..ctx.clone()
                },
                out,
            ),
            Inline::Strong(c) => spans(
                c,
                &Ctx {
                    bold: true,
                    ..ctx.clone()
                },
                out,
            ),
            Inline::Strikethrough(c) => spans(
                c,
                &Ctx {
                    strike: true,
                    ..ctx.clone()
                },
                out,
            ),
            Inline::Marked(element, c) => spans(c, &ctx.marked(*element), out),
            Inline::Revised(revision, c) => spans(
                c,
                &Ctx {
                    revision: Some(*revision),
                    ..ctx.clone()
                },
                out,
            ),
            Inline::Link {
                target, content, ..
            } => {
                let link = if let Some(anchor) = target.strip_prefix('#') {
                    Some(LinkTarget::Anchor(anchor.to_string()))
                } else if crate::doc::links::is_safe(target) && !target.trim().is_empty() {
                    Some(LinkTarget::Uri(
                        crate::doc::links::href(target).into_owned(),
                    ))
                } else {
                    None
                };
                spans(
                    content,
                    &Ctx {
                        link,
                        ..ctx.clone()
                    },
                    out,
                );
            }
            Inline::Image { alt, .. } => {
                out.push(Span {
                    text: format!("[image: {alt}]"),
                    style: Ctx {
                        italic: true,
                        color: Rgb::GREY,
                        ..ctx.clone()
                    }
                    .style(false),
                });
            }
            Inline::SoftBreak => out.push(Span {
                text: " ".into(),
                style: ctx.style(false),
            }),
            Inline::LineBreak => out.push(Span {
                text: "\n".into(),
                style: ctx.style(false),
            }),
            Inline::FootnoteRef { number, .. } => {
                out.push(Span {
                    text: format!("[{number}]"),
                    style: Ctx {
                        size: ctx.size * 0.8,
                        ..ctx.clone()
                    }
                    .style(false),
                });
            }
        }
    }
}

/// The pages being filled.
pub struct Flow<'a> {
    /// Page geometry.
    pub geo: Geometry,
    /// Pages so far (the last is being filled).
    pub pages: Vec<Page>,
    /// The cursor: top of the next block, from the top of the page.
    pub y: Pt,
    /// Images embedded so far.
    pub images: Vec<ImageData>,
    /// Heading anchors placed so far.
    pub anchors: BTreeMap<String, (usize, Pt)>,
    /// Bookmarks so far.
    pub outline: Vec<OutlineEntry>,
    /// Characters no embedded face has.
    pub missing: BTreeSet<char>,
    /// Image problems.
    pub warnings: Vec<RenderWarning>,
    /// The images decoded so far, by reference and by file.
    pub(super) decoded: super::images::Decoded,
    /// The last few line breaks made: the spans, the width and the lines.
    broken: Vec<(Vec<Span>, Pt, BrokenText)>,
    /// The redline's mark on the blocks being laid out ([`Block::Revised`]), if any.
    pub(crate) revision: Option<Revision>,
    /// Where a change bar goes: page index, top and bottom of each changed line or block.
    pub(crate) change_bars: Vec<(usize, Pt, Pt)>,
    pub(super) files: &'a dyn FileSource,
    pub(super) doc_relative: &'a Path,
    /// The logical structure so far.
    pub structure: Structure,
    /// The structure element the items pushed now belong to; `None` for artifacts.
    pub(crate) current: Option<usize>,
    /// What the last [`Item::Mark`] on the page being filled says (`None`: no mark yet).
    page_mark: Option<Option<usize>>,
    /// The next marked-content identifier on the page being filled.
    next_mcid: u32,
    /// How many links the page being filled has.
    links_on_page: usize,
    /// The Link element made last and where it goes.
    last_link: Option<(usize, LinkTarget)>,
    /// The document's language's hyphenation, if hypher has it.
    pub(crate) hyphenation: Option<hypher::Lang>,
    /// Paragraphs are set flush to both margins (the `justify` setting).
    pub(crate) justify: bool,
}

impl<'a> Flow<'a> {
    /// An empty document with one page.
    pub fn new(geo: Geometry, files: &'a dyn FileSource, doc_relative: &'a Path) -> Flow<'a> {
        Flow {
            geo,
            pages: vec![Page::default()],
            y: geo.top,
            images: Vec::new(),
            anchors: BTreeMap::new(),
            outline: Vec::new(),
            missing: BTreeSet::new(),
            warnings: Vec::new(),
            decoded: Default::default(),
            broken: Vec::new(),
            revision: None,
            change_bars: Vec::new(),
            files,
            doc_relative,
            structure: Structure::default(),
            current: Some(0),
            page_mark: None,
            next_mcid: 0,
            links_on_page: 0,
            last_link: None,
            hyphenation: None,
            justify: false,
        }
    }

    /// Opens a structure element of `role` inside the current one and makes it current;
    /// returns the element it replaces, for [`Flow::restore`]. Inside an artifact, what is
    /// opened is an artifact too.
    pub(crate) fn open(&mut self, role: Role) -> Option<usize> {
        let outer = self.current;
        if let Some(parent) = outer {
            self.current = Some(self.structure.add(parent, role));
        }
        outer
    }

    /// Changes the current element's type (a table laid out as records becomes a group).
    pub(crate) fn retag(&mut self, role: Role) {
        if let Some(node) = self.current.and_then(|n| self.structure.nodes.get_mut(n)) {
            node.role = role;
        }
    }

    /// Makes `outer` (from [`Flow::open`] or [`Flow::artifact`]) current again.
    pub(crate) fn restore(&mut self, outer: Option<usize>) {
        self.current = outer;
    }

    /// Makes what is pushed from now on an artifact; returns the element it replaces.
    pub(crate) fn artifact(&mut self) -> Option<usize> {
        self.current.take()
    }

    /// Adds `item` to page `page` as an artifact, after what the page has (decoration drawn
    /// once the content is placed: a quotation's bar, change bars).
    pub(crate) fn push_artifact_to(&mut self, page: usize, item: Item) {
        let current = self.page_index();
        if let Some(p) = self.pages.get_mut(page) {
            p.items.push(Item::Mark(Mark::Artifact));
            p.items.push(item);
            if page == current {
                self.page_mark = Some(None);
            }
        }
    }

    /// Inserts `item` as an artifact at `index` of page `page`, before the items already
    /// there (a band drawn under the text placed on it).
    pub(crate) fn insert_artifact(&mut self, page: usize, index: usize, item: Item) {
        let current = self.page_index();
        if let Some(p) = self.pages.get_mut(page) {
            let at = index.min(p.items.len());
            if page == current && at == p.items.len() {
                self.page_mark = Some(None);
            }
            p.items.insert(at, item);
            p.items.insert(at, Item::Mark(Mark::Artifact));
        }
    }

    /// Index of the page being filled.
    pub fn page_index(&self) -> usize {
        self.pages.len() - 1
    }

    /// Adds an item to the current page, as content of the current structure element (a link,
    /// as its annotation) or as an artifact.
    pub fn push(&mut self, item: Item) {
        let page_index = self.page_index();
        let Some(page) = self.pages.last_mut() else {
            return;
        };
        if matches!(item, Item::Link { .. }) {
            // A link draws nothing: it is an annotation, not marked content.
            if let Some(node) = self.current.and_then(|n| self.structure.nodes.get_mut(n)) {
                node.kids.push(Kid::Annotation {
                    page: page_index,
                    index: self.links_on_page,
                });
            }
            self.links_on_page += 1;
            page.items.push(item);
            return;
        }
        if self.page_mark != Some(self.current) {
            let mark = match self
                .current
                .and_then(|n| Some((n, self.structure.nodes.get_mut(n)?)))
            {
                Some((n, node)) => {
                    let mcid = self.next_mcid;
                    self.next_mcid += 1;
                    node.kids.push(Kid::Content {
                        page: page_index,
                        mcid,
                    });
                    Mark::Content { node: n, mcid }
                }
                None => Mark::Artifact,
            };
            page.items.push(Item::Mark(mark));
            self.page_mark = Some(self.current);
        }
        page.items.push(item);
    }

    /// Starts a new page.
    pub fn new_page(&mut self) {
        // The finished page keeps only the room its items take (tens of thousands of pages).
        if let Some(page) = self.pages.last_mut() {
            page.items.shrink_to_fit();
        }
        self.pages.push(Page::default());
        self.y = self.geo.top;
        self.page_mark = None;
        self.next_mcid = 0;
        self.links_on_page = 0;
    }

    /// Room left on this page.
    pub fn remaining(&self) -> Pt {
        self.geo.bottom - self.y
    }

    /// Starts a new page unless `h` fits below the cursor; never leaves a page empty (a block
    /// taller than a page starts at the top and is split by its own rules).
    pub fn ensure(&mut self, h: Pt) -> bool {
        if h.0 > self.remaining().0 + 0.01 && self.y.0 > self.geo.top.0 + 0.5 {
            self.new_page();
            return true;
        }
        false
    }

    /// Breaks spans into lines, noting characters no face has. The last few breaks are kept:
    /// a document that repeats itself (the same heading, step or table cell again and again,
    /// and their entries in the contents) is broken once.
    pub fn break_spans(&mut self, spans: &[Span], width: Pt) -> BrokenText {
        let kept = self
            .broken
            .iter()
            .find(|(s, w, _)| *w == width && s.as_slice() == spans);
        let broken = match kept {
            Some((_, _, broken)) => broken.clone(),
            None => {
                let broken = break_lines(spans, width);
                // Only short text is kept: a long paragraph is seldom repeated.
                if spans.iter().map(|s| s.text.len()).sum::<usize>() <= KEPT_TEXT {
                    if self.broken.len() == KEPT_BREAKS {
                        self.broken.remove(0);
                    }
                    self.broken.push((spans.to_vec(), width, broken.clone()));
                }
                broken
            }
        };
        self.missing.extend(broken.missing.iter().copied());
        broken
    }

    /// Breaks prose (a paragraph, a table cell) into lines: hyphenated by the document's
    /// language when a line but the last would otherwise be left more than a fifth empty
    /// (a long word pushed to the next line), so that hyphens are made where they help and the
    /// words of most paragraphs are never looked up.
    pub fn break_prose(&mut self, spans: &[Span], width: Pt) -> BrokenText {
        let broken = self.break_spans(spans, width);
        let Some(lang) = self.hyphenation else {
            return broken;
        };
        let but_last = broken.lines.split_last().map_or(&[][..], |(_, rest)| rest);
        // Justified lines widen their spaces by what is left: hyphenate for less of it.
        let share = if self.justify { 0.08 } else { 0.2 };
        let ragged = but_last
            .iter()
            .any(|l| (width - l.width).0 > width.0 * share);
        // A word wider than the column was cut where it had to be: a line ends inside it.
        let cut = broken.lines.windows(2).any(|pair| match pair {
            [line, next] => {
                let end = line.fragments.last().and_then(|f| f.text.chars().last());
                let start = next.fragments.first().and_then(|f| f.text.chars().next());
                end.is_some_and(char::is_alphabetic) && start.is_some_and(char::is_alphabetic)
            }
            _ => false,
        });
        if !ragged && !cut {
            return broken;
        }
        match crate::render::pdf::hyphenate::hyphenated(spans, lang) {
            Some(hyphenated) => self.break_spans(&hyphenated, width),
            None => broken,
        }
    }

    /// Places lines at `x`, one `lh` apart, breaking pages between lines.
    pub fn place_lines(&mut self, broken: &BrokenText, x: Pt, lh: f32) {
        for line in &broken.lines {
            self.ensure(Pt(lh));
            let size = line
                .fragments
                .iter()
                .map(|f| f.style.size)
                .fold(BODY * 0.5, f32::max);
            let baseline = self.y + Pt(lh * 0.5 + size * 0.36);
            for f in &line.fragments {
                self.fragment(f, x + f.x, baseline, (self.y, Pt(lh)));
            }
            self.y += Pt(lh);
        }
    }

    /// Draws one fragment with its left edge at `x` on the line's `baseline`, with what its
    /// style adds: the background of a code span, key or highlight (drawn first, under the
    /// text), the raise or drop of superscript and subscript, underline, strike-through, and
    /// the clickable area of a link over the line's band `(top, height)`.
    pub(crate) fn fragment(&mut self, f: &Fragment, x: Pt, baseline: Pt, band: (Pt, Pt)) {
        let outer = self.current;
        if f.hyphen {
            // Drawn where a word was broken, not part of the word: an artifact.
            self.current = None;
        } else if let (Some(target), Some(parent)) = (&f.style.link, outer) {
            let link = self.link_element(parent, target);
            if let Some(node) = self.structure.nodes.get_mut(link) {
                node.text.push_str(&f.text);
            }
            self.current = Some(link);
        }
        self.draw_fragment(f, x, baseline, band);
        self.current = outer;
    }

    /// The Link element a fragment linking to `target` belongs to: the one just made inside
    /// `parent` when the fragment continues it (a link broken across lines), a new one
    /// otherwise.
    fn link_element(&mut self, parent: usize, target: &LinkTarget) -> usize {
        match &self.last_link {
            Some((link, last))
                if last == target && self.structure.last_child(parent) == Some(*link) =>
            {
                *link
            }
            _ => {
                let link = self.structure.add(parent, Role::Link);
                self.last_link = Some((link, target.clone()));
                link
            }
        }
    }

    fn draw_fragment(&mut self, f: &Fragment, x: Pt, baseline: Pt, band: (Pt, Pt)) {
        let revised;
        let style = match f.style.revision.or(self.revision) {
            Some(revision) => {
                self.change_bar(band.0, band.0 + band.1);
                revised = revision_style(&f.style, revision);
                &revised
            }
            None => &f.style,
        };
        let baseline = baseline - Pt(style.rise);
        let background = if style.code {
            Some(Rgb::BAND)
        } else if style.highlight {
            Some(Rgb::HIGHLIGHT)
        } else {
            None
        };
        if let Some(fill) = background {
            let pad = if style.code { 1.5 } else { 0.5 };
            self.push(Item::Rect {
                x: x - Pt(pad),
                y: baseline - Pt(style.size * 0.95),
                w: f.width + Pt(2.0 * pad),
                h: Pt(style.size * 1.3),
                fill,
            });
        }
        self.push(Item::Text {
            x,
            y: baseline,
            face: style.face,
            size: style.size,
            text: f.text.clone(),
            color: style.color,
            angle: 0.0,
        });
        let line_at = |offset: f32| Item::Line {
            x1: x,
            y1: baseline + Pt(style.size * offset),
            x2: x + f.width,
            y2: baseline + Pt(style.size * offset),
            width: Pt(0.6),
            color: style.color,
        };
        let double = matches!(
            style.revision.or(self.revision),
            Some(Revision::MovedTo | Revision::MovedFrom)
        );
        if style.strike {
            // A redline's strike runs above a hyphen's height, so that struck "2-3" still
            // reads "2-3" and not "2 3".
            let at = if style.revision.or(self.revision).is_some() {
                -0.42
            } else {
                -0.3
            };
            let item = line_at(at);
            self.push(item);
            if double {
                let item = line_at(at + 0.14);
                self.push(item);
            }
        }
        if style.underline {
            let item = line_at(0.15);
            self.push(item);
            if double {
                let item = line_at(0.27);
                self.push(item);
            }
        }
        if let Some(target) = &style.link {
            self.push(Item::Link {
                x,
                y: band.0,
                w: f.width,
                h: band.1,
                target: target.clone(),
            });
        }
    }

    /// Lays out blocks at `x` in a column `width` wide. `tight` lists put no gap after their
    /// paragraphs.
    pub fn blocks(&mut self, blocks: &[Block], x: Pt, width: Pt, depth: usize, tight: bool) {
        for (i, block) in blocks.iter().enumerate() {
            match block {
                Block::Heading(h) => {
                    let keep = self.lines_kept_with_heading(blocks.get(i + 1), width);
                    self.heading(h, x, width, keep);
                }
                Block::Paragraph(content) => {
                    if let [Inline::Image { source, alt, .. }] = content.as_slice() {
                        self.image(source, alt, x, width);
                        continue;
                    }
                    self.note_images_in_text(content);
                    let mut s = Vec::new();
                    spans(content, &Ctx::body(), &mut s);
                    let mut broken = self.break_prose(&s, width);
                    if self.justify {
                        for line in &mut broken.lines {
                            *line = super::super::text::justify(line, width);
                        }
                    }
                    // A paragraph that leads into a list or table ("Visual confirmation:")
                    // stays with its first two lines.
                    let leads_in = crate::model::inline_text(content).trim_end().ends_with(':')
                        && matches!(
                            blocks.get(i + 1),
                            Some(Block::List(_) | Block::Table(_) | Block::Code { .. })
                        );
                    let keep_after = if leads_in {
                        2.0 * BODY_LH + PARA_GAP
                    } else {
                        0.0
                    };
                    let outer = self.open(Role::P);
                    self.place_paragraph(&broken, x, BODY_LH, keep_after);
                    self.restore(outer);
                    if !(tight && i + 1 == blocks.len()) {
                        self.y += Pt(if tight { 2.0 } else { PARA_GAP });
                    }
                }
                Block::List(list) => {
                    let outer = self.open(Role::L);
                    self.list(list, x, width, depth);
                    self.restore(outer);
                }
                Block::BlockQuote(inner) => {
                    let outer = self.open(Role::BlockQuote);
                    self.quote(inner, x, width, depth);
                    self.restore(outer);
                }
                Block::Code { text, .. } | Block::Html(text) => {
                    let outer = self.open(Role::Code);
                    self.code(text, x, width);
                    self.restore(outer);
                }
                Block::Table(table) => {
                    let outer = self.open(Role::Table);
                    super::table::table(self, table, x, width);
                    self.restore(outer);
                }
                Block::Revised(revision, inner) => {
                    // Every line, image and rule inside is drawn marked, with a change bar.
                    let outer = self.revision.replace(*revision);
                    self.blocks(inner, x, width, depth, tight);
                    self.revision = outer;
                }
                Block::Rule => {
                    self.ensure(Pt(14.0));
                    if self.revision.is_some() {
                        self.change_bar(self.y + Pt(4.0), self.y + Pt(10.0));
                    }
                    self.y += Pt(7.0);
                    let outer = self.artifact();
                    self.push(Item::Line {
                        x1: x,
                        y1: self.y,
                        x2: x + width,
                        y2: self.y,
                        width: Pt(0.7),
                        color: Rgb::RULE,
                    });
                    self.restore(outer);
                    self.y += Pt(9.0);
                }
            }
        }
    }

    /// Heading sizes in points, by level.
    pub fn heading_size(level: u8) -> f32 {
        match level {
            1 => 17.0,
            2 => 14.0,
            3 => 12.0,
            4 => 11.0,
            _ => 10.0,
        }
    }

    /// A warning for each image inside `content`, a line of text, where the PDF shows the
    /// image's alt text ([`crate::render::images::ImageProblem::InText`]).
    pub(crate) fn note_images_in_text(&mut self, content: &[Inline]) {
        for inline in content {
            match inline {
                Inline::Image { source, .. } => self.warnings.push(RenderWarning::Image {
                    source: source.clone(),
                    problem: crate::render::images::ImageProblem::InText,
                }),
                Inline::Emphasis(c)
                | Inline::Strong(c)
                | Inline::Strikethrough(c)
                | Inline::Marked(_, c)
                | Inline::Link { content: c, .. } => self.note_images_in_text(c),
                _ => {}
            }
        }
    }

    /// How many body lines of `next` must fit below a heading for the heading to stay on the
    /// page: a paragraph of one to three lines cannot be split without leaving one line alone
    /// (an orphan or a widow, [`Flow::place_paragraph`]), so all of it; anything else, two.
    fn lines_kept_with_heading(&mut self, next: Option<&Block>, width: Pt) -> f32 {
        match next {
            Some(Block::Paragraph(content))
                if !matches!(content.as_slice(), [Inline::Image { .. }]) =>
            {
                let mut s = Vec::new();
                spans(content, &Ctx::body(), &mut s);
                // Longer than the breaks kept for reuse is far more than three lines: not
                // broken twice.
                if s.iter().map(|span| span.text.len()).sum::<usize>() > KEPT_TEXT {
                    return 2.0;
                }
                let lines = self.break_prose(&s, width).lines.len();
                if lines <= 3 { lines.max(1) as f32 } else { 2.0 }
            }
            _ => 2.0,
        }
    }

    fn heading(&mut self, h: &Heading, x: Pt, width: Pt, keep: f32) {
        self.note_images_in_text(&h.content);
        let size = Self::heading_size(h.level);
        let lh = size * 1.28;
        let before = match h.level {
            1 | 2 => 14.0,
            3 => 10.0,
            _ => 8.0,
        };
        let ctx = Ctx {
            bold: true,
            size,
            ..Ctx::body()
        };
        let mut s = Vec::new();
        spans(&h.content, &ctx, &mut s);
        let broken = self.break_spans(&s, width);
        let rule = if h.level <= 2 { 5.0 } else { 0.0 };
        // Keep the heading with the first two lines of what follows (cases/ B04).
        let needed = before + broken.lines.len() as f32 * lh + rule + 4.0 + keep * BODY_LH;
        let at_top = self.y.0 <= self.geo.top.0 + 0.5;
        if !at_top {
            if self.ensure(Pt(needed)) {
                // New page: no space before the heading.
            } else {
                self.y += Pt(before);
            }
        }
        let page = self.page_index();
        self.anchors.insert(h.anchor.clone(), (page, self.y));
        self.outline.push(OutlineEntry {
            level: h.level,
            title: h.text.clone(),
            page,
            y: self.y,
        });
        let outer = self.open(Role::H(h.level));
        self.place_lines(&broken, x, lh);
        self.restore(outer);
        if rule > 0.0 {
            self.y += Pt(2.0);
            let outer = self.artifact();
            self.push(Item::Line {
                x1: x,
                y1: self.y,
                x2: x + width,
                y2: self.y,
                width: Pt(if h.level == 1 { 1.0 } else { 0.5 }),
                color: Rgb::RULE,
            });
            self.restore(outer);
            self.y += Pt(rule - 2.0);
        }
        self.y += Pt(4.0);
    }

    fn list(&mut self, list: &List, x: Pt, width: Pt, depth: usize) {
        // Room for the widest marker: numbers past 9 ("10.", "1000.") need more than a bullet.
        let widest = if list.ordered {
            let last = list
                .start
                .saturating_add(list.items.len().saturating_sub(1));
            text_width(FaceId::Sans, &format!("{last}."), BODY) + 4.0
        } else {
            0.0
        };
        let wanted = INDENT.max(widest);
        // Stop indenting once the text would get narrower than half the column.
        let indent = if (width - Pt(wanted)).0 >= self.geo.text_width().0 * 0.5 {
            wanted
        } else {
            0.0
        };
        let child_x = x + Pt(indent.max(0.0));
        let child_w = width - Pt(indent);
        // A redline's removed items take no number.
        let mut number = list.start;
        for item in &list.items {
            let removed = item.is_removed();
            let marker = match item.task {
                _ if removed && list.ordered => String::new(),
                Some(true) => "☒".to_string(),
                Some(false) => "☐".to_string(),
                None if list.ordered => {
                    number += 1;
                    format!("{}.", number - 1)
                }
                None => BULLETS
                    .get(depth % BULLETS.len())
                    .copied()
                    .unwrap_or('•')
                    .to_string(),
            };
            self.ensure(Pt(BODY_LH));
            let mw = text_width(FaceId::Sans, &marker, BODY);
            // Indented: the marker hangs in the indent. Past the cap, a nested list keeps its
            // parent's left edge and its marker hangs in the parent's indent, so depth costs no
            // width; only a top-level list in a narrow column makes room for its marker.
            let hang = indent > 0.0 || depth > 0;
            let (mx, content_x, content_w) = if hang {
                (child_x - Pt(mw + 4.0), child_x, child_w)
            } else {
                let room = wanted.min(width.0 * 0.5);
                (x, x + Pt(room), width - Pt(room))
            };
            // A marker never hangs past the page's left margin.
            let mx = Pt(mx.0.max(self.geo.left.0));
            let baseline = self.y + Pt(BODY_LH * 0.5 + BODY * 0.36);
            let list_element = self.open(Role::LI);
            let item_element = self.open(Role::Lbl);
            self.push(Item::Text {
                x: mx,
                y: baseline,
                face: FaceId::Sans,
                size: BODY,
                text: marker,
                color: Rgb::BLACK,
                angle: 0.0,
            });
            self.restore(item_element);
            let item_element = self.open(Role::LBody);
            self.blocks(&item.blocks, content_x, content_w, depth + 1, list.tight);
            self.restore(item_element);
            self.restore(list_element);
        }
        if depth == 0 {
            self.y += Pt(PARA_GAP);
        }
    }

    fn quote(&mut self, inner: &[Block], x: Pt, width: Pt, depth: usize) {
        // As lists do: stop indenting once the text would get narrower than half the column;
        // quotes nested deeper share the bar of the last one drawn, and no text is pushed off
        // the page however deep the nesting.
        if (width - Pt(12.0)).0 < self.geo.text_width().0 * 0.5 {
            self.blocks(inner, x, width, depth, false);
            return;
        }
        let start_page = self.page_index();
        let start_y = self.y;
        self.blocks(inner, x + Pt(12.0), width - Pt(12.0), depth, false);
        let end_page = self.page_index();
        let end_y = self.y - Pt(PARA_GAP);
        for p in start_page..=end_page {
            let top = if p == start_page {
                start_y
            } else {
                self.geo.top
            };
            let bottom = if p == end_page {
                end_y
            } else {
                self.geo.bottom
            };
            self.push_artifact_to(
                p,
                Item::Line {
                    x1: x + Pt(2.0),
                    y1: top,
                    x2: x + Pt(2.0),
                    y2: bottom,
                    width: Pt(2.5),
                    color: Rgb::RULE,
                },
            );
        }
    }
}
