//! Footnotes (field case B26, issue 14 item 8): referenced from a paragraph, table cells (one
//! note twice), a list item and a nested one; a note of two paragraphs; a reference to a note
//! that is not written and a note nobody refers to. Every note referred to appears once, numbered
//! by its first reference, its paragraphs kept, in PDF and HTML; the HTML's ids are unique and
//! every in-page link has its target; `check` warns about the other two.

use std::path::Path;
use std::process::Command;

use crate::harness::{TestEnv, fixture};
use crate::html_ids::assert_ids_unique_and_links_resolve;

const CASE: &str = "B26-footnotes.md";

/// Renders B26 (SOP-026) in `format`; returns the path of the file, relative to the root.
fn render(env: &TestEnv, format: &str) -> String {
    env.write(&format!("sops/{CASE}"), fixture(&format!("cases/{CASE}")));
    render_draft(env, "SOP-026", format)
}

fn render_draft(env: &TestEnv, id: &str, format: &str) -> String {
    env.run(&["render", id, "--format", format, "-o", "out"])
        .expect_code(0);
    format!("out/drafts/{id}/{id}-working-copy.{format}")
}

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext")
        .args(["-layout", "-nodiag"])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// The start of each note's text, in the order numbered (by first reference).
const NOTES: [&str; 5] = [
    "This note belongs to the Purpose section.",
    "Calibrated probe, checked every month. Referenced twice.",
    "The timer starts after the last nozzle closes.",
    "Use the solution within 4 hours.",
    "Measured from the nozzle tip.",
];

// See: cases/README.md B26 — two references to one note gave two elements `id="fnref-2"`.
#[test]
fn b26_html_ids_are_unique_and_every_in_page_link_has_its_target() {
    let env = TestEnv::repo();
    let html = env.read(&render(&env, "html"));
    let ids = assert_ids_unique_and_links_resolve(&html);
    let notes: Vec<&str> = ids
        .iter()
        .map(String::as_str)
        .filter(|id| id.starts_with("fn"))
        .collect();
    assert_eq!(
        notes,
        [
            "fnref:1",
            "fnref:2",
            "fnref:3",
            "fnref:2:2",
            "fnref:4",
            "fnref:5",
            "fn:1",
            "fn:2",
            "fn:3",
            "fn:4",
            "fn:5"
        ]
    );
    // The note referred to twice links back to both references.
    assert!(html.contains("<li id=\"fn:2\">\n<p>Calibrated probe, checked every month. Referenced twice. <a href=\"#fnref:2\" class=\"footnote-back\" aria-label=\"Back to reference 1\">↩<sup>1</sup></a> <a href=\"#fnref:2:2\" class=\"footnote-back\" aria-label=\"Back to reference 2\">↩<sup>2</sup></a></p>\n</li>"), "{html}");
}

// See: cases/README.md B26 — the HTML joined a note's two paragraphs into one.
#[test]
fn b26_html_shows_each_note_once_in_order_with_its_paragraphs() {
    let env = TestEnv::repo();
    let html = env.read(&render(&env, "html"));
    let mut last = 0;
    for note in NOTES {
        assert_eq!(html.matches(note).count(), 1, "{note}\n{html}");
        let at = html.find(note).expect("note");
        assert!(at > last, "{note} out of order");
        last = at;
    }
    assert!(
        html.contains("<li id=\"fn:4\">\n<p>Use the solution within 4 hours.</p>\n<p>A second paragraph inside the same note. <a href=\"#fnref:4\""),
        "{html}"
    );
    assert!(!html.contains("never referenced"), "{html}");
    assert!(html.contains("see [^missing].</p>"), "{html}");
}

// See: cases/README.md B26 — each note once, numbered by first reference, both paragraphs.
#[test]
fn b26_pdf_shows_each_note_once_numbered_with_both_paragraphs() {
    let env = TestEnv::repo();
    let text = pdftotext(&env.path(&render(&env, "pdf")));
    for note in NOTES {
        assert_eq!(text.matches(note).count(), 1, "{note}\n{text}");
    }
    assert!(!text.contains("never referenced"), "{text}");
    // The references as drawn: [2] in two table cells, one number per note.
    assert_eq!(text.matches("[2]").count(), 2, "{text}");
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let first = lines
        .iter()
        .position(|l| l.starts_with("1. This note"))
        .expect("notes");
    assert_eq!(
        lines[first..first + 7],
        [
            "1. This note belongs to the Purpose section.",
            "2. Calibrated probe, checked every month. Referenced twice.",
            "3. The timer starts after the last nozzle closes.",
            "4. Use the solution within 4 hours.",
            // A gap: the second paragraph is a paragraph, not a wrapped line.
            "",
            "A second paragraph inside the same note.",
            "5. Measured from the nozzle tip.",
        ]
    );
}

// See: cases/README.md B26 — `check` said nothing about the missing note or the unused one.
#[test]
fn b26_check_warns_about_a_reference_without_a_note_and_a_note_never_referred_to() {
    let env = TestEnv::repo();
    env.write(&format!("sops/{CASE}"), fixture(&format!("cases/{CASE}")));
    let run = env.run(&["check"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "sops/B26-footnotes.md:28:48: warning: the footnote `[^missing]` is not written anywhere, so the PDF and HTML show `[^missing]` as typed; write the note on a line `[^missing]: …` at the end of the document, or remove the reference\n\
         sops/B26-footnotes.md:37:1: warning: the footnote `[^unused]` is never referred to, so the PDF and HTML leave it out; refer to it with `[^unused]` where it belongs, or delete it\n"
    );
    assert_eq!(run.stderr, "checked 1 SOP: 0 errors, 2 warnings\n");
}

#[test]
fn a_note_written_twice_is_a_warning_naming_the_one_shown() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        "---\nid: SOP-1\ntitle: Alpha\nowner: QA\n---\n\nRinse at 65 °C.[^t]\n\n[^t]: Old probe.\n[^T]: Calibrated probe.\n",
    );
    let run = env.run(&["check"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "sops/a.md:9:1: warning: the footnote `[^t]` is written twice and only the one on line 10 is shown; delete one of them, or give this one a label of its own\n"
    );
    let html = env.read(&render_draft(&env, "SOP-1", "html"));
    assert!(
        html.contains("<p>Calibrated probe. <a href=\"#fnref:1\""),
        "{html}"
    );
    assert!(!html.contains("Old probe"), "{html}");
}
