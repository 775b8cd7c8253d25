//! The inline HTML that real SOPs hold (issue 14 item 7): `<br>` in table cells, the way
//! GitHub breaks a line in a cell and converted Word tables do throughout, and the other tags
//! GitHub renders (`<sup>`, `<sub>`, `<kbd>`, `<ins>`, `<del>`, `<mark>`), shown as their
//! meaning in HTML and PDF without `allow_html`; every other tag stays text.

use std::path::Path;

use sopctl::render::pdf::layout::{Item, Rgb};

use crate::harness::TestEnv;
use crate::pdf::{tool, words};

/// A 6-column checklist as converted from Word: several references in a cell, one a line.
fn checklist(rows: usize) -> String {
    let mut text = String::from(
        "---\nid: SOP-070\ntitle: Clinical evaluation checklist\nowner: QA\n---\n\n## Checklist\n\n\
         | No. | Requirement | Standard | Evidence | Responsible | Status |\n\
         | --- | --- | --- | --- | --- | --- |\n",
    );
    for n in 1..=rows {
        text.push_str(&format!(
            "| {n} | Clinical evaluation plan per Annex XIV,<br>updated yearly | EU MDR 2017/745,<br>ISO 14155:2020,<br>MEDDEV 2.7/1 rev 4 | CEP-{n:03}<br/>CER-{n:03} | Clinical Affairs<br />Regulatory | open |\n"
        ));
    }
    text
}

fn pdftotext(pdf: &Path, args: &[&str]) -> String {
    let mut args = args.to_vec();
    args.extend([pdf.to_str().expect("path"), "-"]);
    tool("pdftotext", &args)
}

// Issue 14 item 7: a 6-column checklist of a real template set took 92 pages, every `<br>`
// printed as text and glued to its neighbours into tokens that squeezed the other columns.
#[test]
fn br_in_table_cells_breaks_the_line_in_pdf_and_html() {
    let env = TestEnv::repo();
    env.write("checklist.md", checklist(12));
    env.run(&["render", "checklist.md", "-o", "out"])
        .expect_code(0);

    let html = env.read("out/drafts/SOP-070/SOP-070-working-copy.html");
    assert!(
        html.contains("<tr><td>1</td><td>Clinical evaluation plan per Annex XIV,<br>\nupdated yearly</td><td>EU MDR 2017/745,<br>\nISO 14155:2020,<br>\nMEDDEV <span class=\"nowrap\">2.7</span>/1 rev 4</td><td><span class=\"nowrap\">CEP-001</span><br>\n<span class=\"nowrap\">CER-001</span></td><td>Clinical Affairs<br>\nRegulatory</td><td>open</td></tr>\n"),
        "{html}"
    );
    assert!(!html.contains("&lt;br"), "{html}");

    let pdf = env.path("out/drafts/SOP-070/SOP-070-working-copy.pdf");
    let text = pdftotext(&pdf, &["-layout"]);
    assert!(!text.contains("<br"), "{text}");
    assert_eq!(text.matches('\u{c}').count(), 2, "two pages:\n{text}");
    // Each part of a cell starts a line of its own, at the cell's left edge.
    let words = words(&pdf);
    let at = |word: &str| {
        words
            .iter()
            .find(|w| w.text == word)
            .unwrap_or_else(|| panic!("{word} in {words:?}"))
    };
    for (upper, lower) in [
        ("2017/745,", "MEDDEV"),
        ("CEP-001", "CER-001"),
        ("Affairs", "Regulatory"),
    ] {
        let (upper_word, lower_word) = (at(upper), at(lower));
        assert!(
            lower_word.y_min > upper_word.y_min + 5.0,
            "{lower_word:?} is not below {upper_word:?}"
        );
    }
    assert!((at("EU").x_min - at("MEDDEV").x_min).abs() < 0.01);
    assert!((at("CEP-001").x_min - at("CER-001").x_min).abs() < 0.01);
}

const TAGS: &str = "Water is H<sub>2</sub>O; the area is 3 m<sup>2</sup>. Press <kbd>Ctrl</kbd>+<KBD>S</KBD>.\nText <ins>added</ins> and <del>removed</del>, and a <mark>highlight</mark>.\nOther tags stay: <span>s</span>, <sup class=\"x\">a</sup>, an unclosed <sup>b.\n";

const TAGS_OUT: &str = "out/drafts/SOP-071/SOP-071-working-copy.html";

fn tags_sop() -> String {
    format!("---\nid: SOP-071\ntitle: Tags\nowner: QA\n---\n\n{TAGS}")
}

#[test]
fn sup_sub_kbd_ins_del_and_mark_are_elements_in_html_and_other_tags_stay_text() {
    let env = TestEnv::repo();
    env.write("tags.md", tags_sop());
    env.run(&["render", "tags.md", "--format", "html", "-o", "out"])
        .expect_code(0);
    let expected = "<main>\n<p>Water is H<sub>2</sub>O; the area is 3 m<sup>2</sup>. Press <kbd>Ctrl</kbd>+<kbd>S</kbd>.\nText <ins>added</ins> and <del>removed</del>, and a <mark>highlight</mark>.\nOther tags stay: &lt;span&gt;s&lt;/span&gt;, &lt;sup class=&quot;x&quot;&gt;a&lt;/sup&gt;, an unclosed &lt;sup&gt;b.</p>\n</main>";
    let html = env.read(TAGS_OUT);
    assert!(html.contains(expected), "{html}");

    // With `allow_html` the sanitiser keeps the same elements.
    env.write("sopctl.toml", "allow_html = true\n");
    env.run(&["render", "tags.md", "--format", "html", "-o", "out"])
        .expect_code(0);
    let html = env.read(TAGS_OUT);
    assert!(
        html.contains("<p>Water is H<sub>2</sub>O; the area is 3 m<sup>2</sup>. Press <kbd>Ctrl</kbd>+<kbd>S</kbd>.\nText <ins>added</ins> and <del>removed</del>, and a <mark>highlight</mark>."),
        "{html}"
    );
}

#[test]
fn sup_sub_kbd_ins_del_and_mark_are_drawn_as_their_meaning_in_the_pdf() {
    let env = TestEnv::repo();
    env.write("tags.md", tags_sop());
    env.run(&["render", "tags.md", "--format", "pdf", "-o", "out"])
        .expect_code(0);
    let text = pdftotext(&env.path(&TAGS_OUT.replace(".html", ".pdf")), &[])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        text.contains(
            "Water is H2O; the area is 3 m2. Press Ctrl+S. Text added and removed, and a highlight."
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "Other tags stay: <span>s</span>, <sup class=\"x\">a</sup>, an unclosed <sup>b."
        ),
        "{text}"
    );

    // The layout as data: where each marked word is drawn and what is drawn with it.
    let sop =
        sopctl::doc::Sop::from_bytes(Path::new("tags.md"), tags_sop().into_bytes()).expect("sop");
    let doc = sopctl::model::Document::parse(sop.body(), sop.body_first_line());
    let meta = sopctl::render::RenderMeta::of(&sop, "", "", None);
    let files = |_: &Path| None;
    let laid = sopctl::render::pdf::layout::layout(
        &doc,
        &meta,
        &files,
        Path::new("tags.md"),
        sopctl::config::Paper::A4,
    );
    let items: Vec<&Item> = laid.doc.pages.iter().flat_map(|p| &p.items).collect();
    let text_at = |wanted: &str| -> (f32, f32, f32, &'static str) {
        items
            .iter()
            .find_map(|i| match i {
                Item::Text {
                    x,
                    y,
                    size,
                    text,
                    face,
                    ..
                } if text == wanted => Some((x.0, y.0, *size, face.name())),
                _ => None,
            })
            .unwrap_or_else(|| panic!("{wanted} is not drawn"))
    };
    let (_, line, body, _) = text_at("Water is H");
    assert_eq!(body, 10.0);
    // Tenths of a point are what the layout promises.
    let tenths = |v: f32| (v * 10.0).round() / 10.0;
    let sub = text_at("2");
    assert_eq!((sub.2, tenths(sub.1 - line)), (7.5, 1.7));
    let (_, sup_y, sup_size, _) = items
        .iter()
        .filter_map(|i| match i {
            Item::Text { y, size, text, .. } if text == "2" => Some(((), y.0, *size, ())),
            _ => None,
        })
        .nth(1)
        .expect("the superscript 2");
    assert_eq!((sup_size, tenths(sup_y - line)), (7.5, -3.3));
    assert_eq!(text_at("Ctrl").3, text_at("S").3);
    assert_ne!(
        text_at("Ctrl").3,
        text_at("Water is H").3,
        "keys are monospace"
    );

    // Under "added" a line (underline), through "removed" a line, behind "highlight" a yellow box.
    let added = text_at("added");
    let removed = text_at("removed");
    let highlight = text_at("highlight");
    let lines: Vec<(f32, f32)> = items
        .iter()
        .filter_map(|i| match i {
            Item::Line { x1, y1, y2, .. } if y1 == y2 => Some((tenths(x1.0), tenths(y1.0))),
            _ => None,
        })
        .collect();
    let under = (tenths(added.0), tenths(added.1 + 1.5));
    let through = (tenths(removed.0), tenths(removed.1 - 3.0));
    assert!(lines.contains(&under), "{under:?} not in {lines:?}");
    assert!(lines.contains(&through), "{through:?} not in {lines:?}");
    let highlighted = items.iter().any(|i| {
        matches!(i, Item::Rect { x, fill, .. }
            if *fill == Rgb::HIGHLIGHT && (x.0 - (highlight.0 - 0.5)).abs() < 0.01)
    });
    assert!(highlighted, "no highlight behind {highlight:?}");
}
