//! What surrounds the body: the title block and table of contents on the first page, and on
//! every page the header (ID · title · version), the footer (uncontrolled-copy notice, status,
//! the commit a released version was built from, page X of Y) and, for a document not in effect,
//! the diagonal watermark (SPEC §7).

use super::super::fonts::{FaceId, text_width};
use super::super::text::{LinkTarget, Span};
use super::flow::{BODY, Ctx, Flow};
use super::structure::{Mark, Role, Scope};
use super::{Item, Pt, Rgb};
use crate::model::{Align, Inline, Table};
use crate::render::RenderMeta;

/// A page number to fill in once the body is laid out: the TOC entry's item and right edge.
pub struct Patch {
    page: usize,
    item: usize,
    right: Pt,
    anchor: String,
}

/// One table-of-contents entry.
pub struct TocEntry {
    /// Heading level.
    pub level: u8,
    /// Heading text.
    pub text: String,
    /// Heading anchor.
    pub anchor: String,
}

/// The title block: organisation, title, and the metadata in a grid.
pub fn title_block(flow: &mut Flow<'_>, meta: &RenderMeta) {
    let x = flow.geo.left;
    let width = flow.geo.text_width();
    if !meta.organization.is_empty() {
        let outer = flow.open(Role::P);
        small_caps(flow, x, &meta.organization.to_uppercase());
        flow.restore(outer);
        flow.y += Pt(4.0);
    }
    let title = if meta.title.is_empty() {
        "Untitled document"
    } else {
        meta.title.as_str()
    };
    let s = vec![Span {
        text: title.to_string(),
        style: super::super::text::Style::plain(FaceId::SansBold, 20.0, Rgb::BLACK),
    }];
    let broken = flow.break_spans(&s, width);
    let outer = flow.open(Role::H(1));
    flow.place_lines(&broken, x, 25.0);
    flow.restore(outer);
    flow.y += Pt(8.0);
    let dash = |v: &str| {
        if v.is_empty() {
            "—".to_string()
        } else {
            v.to_string()
        }
    };
    let version = if meta.unreleased {
        format!("{} (unreleased changes)", dash(&meta.version))
    } else {
        dash(&meta.version)
    };
    let cells = [
        ("ID", dash(&meta.id)),
        ("VERSION", version),
        ("EFFECTIVE", dash(&meta.effective)),
        ("OWNER", dash(&meta.owner)),
        ("STATUS", dash(&meta.status)),
        ("NEXT REVIEW", dash(&meta.next_review)),
    ];
    let col = width.0 / 3.0;
    // A table of six rows, each label the header of the value after it.
    let grid = flow.open(Role::Table);
    for row in cells.chunks(3) {
        let values: Vec<_> = row
            .iter()
            .map(|(_, value)| {
                let v = vec![Span {
                    text: value.clone(),
                    style: Ctx {
                        bold: true,
                        ..Ctx::body()
                    }
                    .style_for_value(),
                }];
                flow.break_spans(&v, Pt(col - 10.0))
            })
            .collect();
        // The row starts on the page where its label and first value line fit (a very long
        // title may have pushed the grid to the foot of a page).
        let lines = values.iter().map(|b| b.lines.len()).max().unwrap_or(1);
        flow.ensure(Pt(11.0 + 13.5 * lines.min(3) as f32));
        let top = flow.y;
        let mut lowest = top;
        for (i, ((label, _), broken)) in row.iter().zip(&values).enumerate() {
            flow.y = top;
            let cx = x + Pt(col * i as f32);
            // A row of the table each label and value: the label heads only its value.
            let table_row = flow.open(Role::TR);
            let cell = flow.open(Role::TH(Scope::Row));
            small_caps(flow, cx, label);
            flow.restore(cell);
            let cell = flow.open(Role::TD);
            flow.place_lines(broken, cx, 13.5);
            flow.restore(cell);
            flow.restore(table_row);
            if flow.y.0 > lowest.0 {
                lowest = flow.y;
            }
        }
        flow.y = lowest + Pt(6.0);
    }
    flow.restore(grid);
    if !meta.notice.is_empty() {
        // A copy of a version no longer in force says so under its title (issue 16).
        let span = Span {
            text: meta.notice.clone(),
            style: super::super::text::Style {
                face: FaceId::SansBold,
                size: 11.0,
                color: Rgb::MARK,
                ..Ctx::body().style_for_value()
            },
        };
        let broken = flow.break_spans(&[span], width);
        flow.ensure(Pt(15.0));
        let outer = flow.open(Role::P);
        flow.place_lines(&broken, x, 15.0);
        flow.restore(outer);
        flow.y += Pt(6.0);
    }
    if !meta.approvals.is_empty() {
        // The signature manifest (21 CFR 11.50): name, role, meaning, date and time, as a
        // labelled table that splits across pages with its header repeated (issue 19 item 4).
        flow.ensure(Pt(11.0 + 3.0 * 19.0));
        let outer = flow.open(Role::P);
        small_caps(flow, x, "APPROVALS");
        flow.restore(outer);
        let text = |t: &str| vec![Inline::Text(t.to_string())];
        let rows = meta
            .approvals
            .iter()
            .map(|a| {
                // An approval separation of duties would refuse says so where it is signed.
                let role = match &a.exception {
                    Some(exception) => format!("{} ({exception})", a.role),
                    None => a.role.clone(),
                };
                let date = a.date.replace('T', " ").replace('Z', " UTC");
                // The printed name is part of the signature manifest: never shortened.
                vec![
                    vec![Inline::Strong(text(&a.name))],
                    text(&role),
                    text(&a.meaning),
                    text(&date),
                ]
            })
            .collect();
        let table = Table {
            alignments: vec![Align::None; 4],
            header: ["Name", "Role", "Meaning", "Signed (UTC)"]
                .map(text)
                .to_vec(),
            rows,
        };
        // A printed name is never hyphenated, nor a role.
        let outer = flow.open(Role::Table);
        let hyphenation = flow.hyphenation.take();
        super::table::table(flow, &table, x, width);
        flow.hyphenation = hyphenation;
        flow.restore(outer);
        flow.y += Pt(4.0);
    }
    flow.y += Pt(2.0);
    let outer = flow.artifact();
    flow.push(Item::Line {
        x1: x,
        y1: flow.y,
        x2: x + width,
        y2: flow.y,
        width: Pt(1.8),
        color: Rgb::BLACK,
    });
    flow.restore(outer);
    flow.y += Pt(16.0);
}

fn small_caps(flow: &mut Flow<'_>, x: Pt, text: &str) {
    let baseline = flow.y + Pt(8.0);
    flow.push(Item::Text {
        x,
        y: baseline,
        face: FaceId::Sans,
        size: 7.0,
        text: text.to_string(),
        color: Rgb::GREY,
        angle: 0.0,
    });
    flow.y += Pt(11.0);
}

/// The table of contents, with room for page numbers, which [`fill_page_numbers`] writes later.
pub fn toc(flow: &mut Flow<'_>, entries: &[TocEntry]) -> Vec<Patch> {
    let mut patches = Vec::new();
    if entries.is_empty() {
        return patches;
    }
    let x = flow.geo.left;
    let right = flow.geo.right;
    flow.ensure(Pt(60.0));
    let s = vec![Span {
        text: "Contents".into(),
        style: Ctx {
            bold: true,
            size: 13.0,
            ..Ctx::body()
        }
        .style_for_value(),
    }];
    let broken = flow.break_spans(&s, flow.geo.text_width());
    let outer = flow.open(Role::P);
    flow.place_lines(&broken, x, 18.0);
    flow.restore(outer);
    flow.y += Pt(4.0);
    let lh = 15.0;
    let contents = flow.open(Role::TOC);
    for e in entries {
        let indent = if e.level >= 3 { 14.0 } else { 0.0 };
        let size = if e.level >= 3 { 9.5 } else { BODY };
        let ctx = Ctx {
            size,
            ..Ctx::body()
        };
        let s = vec![Span {
            text: e.text.clone(),
            style: ctx.style_for_value(),
        }];
        let broken = flow.break_spans(&s, flow.geo.text_width() - Pt(indent + 40.0));
        let top = flow.y;
        let page_before = flow.page_index();
        let entry = flow.open(Role::TOCI);
        let link = flow.open(Role::Link);
        if let Some(node) = flow.current.and_then(|n| flow.structure.nodes.get_mut(n)) {
            node.text = e.text.clone();
        }
        flow.place_lines(&broken, x + Pt(indent), lh);
        let page = flow.page_index();
        let top = if page == page_before {
            top
        } else {
            flow.geo.top
        };
        let last_width = broken.lines.last().map_or(0.0, |l| l.width.0);
        let baseline = flow.y - Pt(lh) + Pt(lh * 0.5 + size * 0.36);
        // Dotted leader from the end of the text to the page number.
        let leader_x = x + Pt(indent + last_width + 6.0);
        let dot_w = text_width(FaceId::Sans, ". ", size);
        let n = (((right - Pt(28.0) - leader_x).0) / dot_w).floor().max(0.0) as usize;
        if n > 0 {
            let within = flow.artifact();
            flow.push(Item::Text {
                x: leader_x,
                y: baseline,
                face: FaceId::Sans,
                size,
                text: ". ".repeat(n).trim_end().to_string(),
                color: Rgb::RULE,
                angle: 0.0,
            });
            flow.restore(within);
        }
        flow.push(Item::Text {
            x: right,
            y: baseline,
            face: FaceId::Sans,
            size,
            text: String::new(),
            color: Rgb::BLACK,
            angle: 0.0,
        });
        // The page number's item, pushed after the mark that may precede it.
        let item = flow
            .pages
            .get(page)
            .map_or(0, |p| p.items.len().saturating_sub(1));
        flow.push(Item::Link {
            x: x + Pt(indent),
            y: top,
            w: right - x - Pt(indent),
            h: flow.y - top,
            target: LinkTarget::Anchor(e.anchor.clone()),
        });
        flow.restore(link);
        flow.restore(entry);
        patches.push(Patch {
            page,
            item,
            right,
            anchor: e.anchor.clone(),
        });
    }
    flow.restore(contents);
    flow.y += Pt(14.0);
    patches
}

/// Writes the page numbers into the table of contents, right-aligned.
pub fn fill_page_numbers(flow: &mut Flow<'_>, patches: &[Patch]) {
    for p in patches {
        let Some(&(page, _)) = flow.anchors.get(&p.anchor) else {
            continue;
        };
        let number = (page + 1).to_string();
        if let Some(Item::Text {
            x,
            text,
            face,
            size,
            ..
        }) = flow
            .pages
            .get_mut(p.page)
            .and_then(|pg| pg.items.get_mut(p.item))
        {
            *x = p.right - Pt(text_width(*face, &number, *size));
            *text = number;
        }
    }
}

/// `text` cut to at most `width` points in `face` at `size`, ending in "…" when cut (at a
/// grapheme boundary, so no character is split).
fn fit(text: &str, face: FaceId, size: f32, width: f32) -> String {
    use unicode_segmentation::UnicodeSegmentation;
    if text_width(face, text, size) <= width {
        return text.to_string();
    }
    let room = width - text_width(face, "…", size);
    let mut out = String::new();
    let mut used = 0.0;
    for grapheme in text.graphemes(true) {
        let w = text_width(face, grapheme, size);
        if used + w > room {
            break;
        }
        used += w;
        out.push_str(grapheme);
    }
    format!("{}…", out.trim_end())
}

/// The size of the header and footer text, in points.
const CHROME_SIZE: f32 = 7.5;
/// The room kept between the header or footer text and what sits at the page's right edge
/// (the status mark, the page number), in points.
const CHROME_GAP: f32 = 12.0;

/// Whether `notice` is printed whole in the footer of every page on `paper` ([`chrome`]
/// shortens the footer with "…" where it would run into the page number): it fits beside the
/// widest page number of a document of up to 9,999 pages. What follows the notice in the
/// footer (the status, the commit) gives way first. A controlled copy's notice must be whole.
pub fn notice_fits(notice: &str, paper: crate::config::Paper) -> bool {
    let geo = super::Geometry::for_paper(paper);
    let number_room = text_width(FaceId::Sans, "Page 9999 of 9999", CHROME_SIZE) + CHROME_GAP;
    text_width(FaceId::Sans, notice, CHROME_SIZE) <= geo.text_width().0 - number_room
}

/// Header, footer and watermark on every page, now that the number of pages is known. The
/// header (ID · title · version) and the footer notice are shortened with "…" where they would
/// run into the status mark or the page number: the title gives way first.
pub fn chrome(flow: &mut Flow<'_>, meta: &RenderMeta) {
    let geo = flow.geo;
    let total = flow.pages.len();
    let mark = meta.status_mark();
    let size = CHROME_SIZE;
    let gap = CHROME_GAP;
    let header_room =
        geo.text_width().0 - mark.map_or(0.0, |m| text_width(FaceId::SansBold, m, size) + gap);
    let version = (!meta.version.is_empty()).then(|| format!("Version {}", meta.version));
    let join = |title: &str| {
        [Some(meta.id.as_str()), Some(title), version.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" · ")
    };
    let without_title = text_width(FaceId::Sans, &join(""), size);
    let separator = if meta.title.is_empty() {
        0.0
    } else {
        text_width(FaceId::Sans, " · ", size)
    };
    let title = fit(
        &meta.title,
        FaceId::Sans,
        size,
        (header_room - without_title - separator).max(0.0),
    );
    let header = fit(&join(&title), FaceId::Sans, size, header_room);
    let number_room = text_width(FaceId::Sans, &format!("Page {total} of {total}"), size) + gap;
    for (n, page) in flow.pages.iter_mut().enumerate() {
        let head_y = geo.top - Pt(14.0);
        let foot_y = geo.bottom + Pt(22.0);
        let mut chrome = vec![Item::Mark(Mark::Artifact)];
        if let Some(mark) = mark {
            // Diagonal across the page centre, pale, behind everything.
            let wsize = 96.0;
            let w = text_width(FaceId::SansBold, mark, wsize);
            let angle: f32 = 45.0;
            let (sin, cos) = angle.to_radians().sin_cos();
            let cx = geo.width.0 / 2.0;
            let cy = geo.height.0 / 2.0;
            // Start so that the text's middle sits on the centre (y grows downwards here).
            let x = cx - cos * w / 2.0 + sin * wsize * 0.35;
            let y = cy + sin * w / 2.0 + cos * wsize * 0.35;
            chrome.push(Item::Text {
                x: Pt(x),
                y: Pt(y),
                face: FaceId::SansBold,
                size: wsize,
                text: mark.to_string(),
                color: Rgb::WATERMARK,
                angle,
            });
        }
        chrome.push(Item::Text {
            x: geo.left,
            y: head_y,
            face: FaceId::Sans,
            size,
            text: header.clone(),
            color: Rgb::GREY,
            angle: 0.0,
        });
        if let Some(mark) = mark {
            let w = text_width(FaceId::SansBold, mark, size);
            chrome.push(Item::Text {
                x: geo.right - Pt(w),
                y: head_y,
                face: FaceId::SansBold,
                size,
                text: mark.to_string(),
                color: Rgb::MARK,
                angle: 0.0,
            });
        }
        chrome.push(Item::Line {
            x1: geo.left,
            y1: head_y + Pt(5.0),
            x2: geo.right,
            y2: head_y + Pt(5.0),
            width: Pt(0.5),
            color: Rgb::RULE,
        });
        chrome.push(Item::Line {
            x1: geo.left,
            y1: foot_y - Pt(11.0),
            x2: geo.right,
            y2: foot_y - Pt(11.0),
            width: Pt(0.5),
            color: Rgb::RULE,
        });
        let left = meta.footer_line();
        chrome.push(Item::Text {
            x: geo.left,
            y: foot_y,
            face: FaceId::Sans,
            size,
            text: fit(&left, FaceId::Sans, size, geo.text_width().0 - number_room),
            color: Rgb::GREY,
            angle: 0.0,
        });
        let number = format!("Page {} of {total}", n + 1);
        let w = text_width(FaceId::Sans, &number, size);
        chrome.push(Item::Text {
            x: geo.right - Pt(w),
            y: foot_y,
            face: FaceId::Sans,
            size,
            text: number,
            color: Rgb::GREY,
            angle: 0.0,
        });
        // The watermark goes first (behind the text), the rest after.
        let rest = std::mem::take(&mut page.items);
        let (watermark, front): (Vec<Item>, Vec<Item>) = chrome
            .into_iter()
            .partition(|i| matches!(i, Item::Text { angle, .. } if *angle != 0.0));
        // Exactly as many as there are: a long document has tens of thousands of pages.
        let mut items = Vec::with_capacity(watermark.len() + 1 + rest.len() + front.len());
        if !watermark.is_empty() {
            items.push(Item::Mark(Mark::Artifact));
            items.extend(watermark);
        }
        items.extend(rest);
        items.extend(front);
        page.items = items;
    }
}
