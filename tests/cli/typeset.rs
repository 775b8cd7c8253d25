//! Typesetting (issue 19 item 3): hyphenation by the document's language where a column is too
//! narrow for a word, never inside code, IDs or addresses, and none in a language hypher has no
//! patterns for, read back with `pdftotext`. Total-fit line breaking and keep-with-next are
//! unit-tested in `render/pdf/fit.rs` and `render/pdf/layout/paragraph.rs`.

use crate::harness::{TestEnv, fixture};
use crate::pdf::{Word, words};

/// The words of the hyphenation fixture's PDF in language `lang` (`pdftotext -bbox-layout`),
/// and each word a line ends with a hyphen joined to the word below it in its column.
fn hyphenated_in(lang: &str) -> (Vec<Word>, Vec<String>, Vec<String>) {
    let env = TestEnv::repo();
    let text = String::from_utf8(fixture("typeset/hyphenation.md"))
        .expect("UTF-8")
        .replace("owner: QA\n", &format!("owner: QA\nlang: {lang}\n"));
    env.write("sops/h.md", text);
    env.commit("Hyphenation");
    env.run(&["render", "SOP-TY-001", "--format", "pdf", "-o", "out"])
        .expect_code(0);
    let pdf = env.path("out/drafts/SOP-TY-001/SOP-TY-001-working-copy.pdf");
    let structure = crate::pdf::tool("pdfinfo", &["-struct-text", pdf.to_str().expect("path")])
        .lines()
        .map(|l| l.trim().to_string())
        .collect();
    let words = words(&pdf);
    let joined = words
        .iter()
        .filter(|w| w.text.len() > 1 && w.text.ends_with('-'))
        .filter_map(|w| {
            let below = words
                .iter()
                .filter(|b| (b.x_min - w.x_min).abs() < 1.0 && b.y_min > w.y_min)
                .min_by(|a, b| a.y_min.total_cmp(&b.y_min))?;
            Some(format!("{}{}", w.text, below.text))
        })
        .collect();
    (words, joined, structure)
}

#[test]
fn words_too_wide_for_a_column_are_hyphenated_between_syllables_and_ids_and_code_never() {
    let (words, broken, structure) = hyphenated_in("en");
    // The hyphen drawn at the break is not part of the word a screen reader is given.
    let at = structure
        .iter()
        .position(|l| l == "\"Documenta\"")
        .unwrap_or_else(|| panic!("{structure:?}"));
    assert_eq!(structure[at + 1], "\"tion\"");
    assert!(!structure.iter().any(|l| l.contains("Documenta-")));
    for word in [
        "Documentation",
        "Acknowledgement",
        "Responsibilities",
        "Supervisor",
    ] {
        let hyphenated = broken
            .iter()
            .find(|b| b.replace('-', "") == word)
            .unwrap_or_else(|| panic!("{word} is not hyphenated: {broken:?}"));
        let syllables = hypher::hyphenate(word, hypher::Lang::English).collect::<Vec<_>>();
        let (head, _) = hyphenated.split_once('-').expect("a hyphen");
        let mut at = 0;
        assert!(
            syllables.iter().any(|s| {
                at += s.len();
                at == head.len()
            }),
            "{hyphenated} is not broken between syllables of {syllables:?}"
        );
    }
    // Words that fit their column stay whole; no hyphen is added to code, an ID or an address.
    for whole in ["Decontamination", "Verification", "SOP-IT-001"] {
        assert!(words.iter().any(|w| w.text == whole), "{whole} is split");
    }
    assert!(
        !words.iter().any(|w| w.text.ends_with('-')
            && (w.text.starts_with("config") || w.text.contains("example"))),
        "{broken:?}"
    );
}

#[test]
fn a_language_without_patterns_is_not_hyphenated() {
    let (_, broken, _) = hyphenated_in("tlh");
    assert_eq!(broken, Vec::<String>::new());
}

#[test]
fn with_justify_set_a_paragraphs_lines_end_at_the_right_margin_and_by_default_they_do_not() {
    let paragraph = "Operators check the filling line and record the batch number, the time and the reading of every gauge before each shift, then sign the log with their initials and hand it to the supervisor, who checks it against the plan. ".repeat(3);
    let right_edges = |settings: &str| {
        let env = TestEnv::repo();
        env.write("sopctl.toml", settings);
        env.write(
            "sops/j.md",
            format!("---\nid: SOP-TY-002\ntitle: Justified\nowner: QA\n---\n\n## Checks\n\n{paragraph}\n"),
        );
        env.commit("Justify");
        env.run(&["render", "SOP-TY-002", "--format", "pdf", "-o", "out"])
            .expect_code(0);
        let words = words(&env.path("out/drafts/SOP-TY-002/SOP-TY-002-working-copy.pdf"));
        // The right end of each line of the paragraph (words below its heading, by baseline).
        let heading = words
            .iter()
            .filter(|w| w.page == 1 && w.text == "Checks")
            .map(|w| w.y_max)
            .fold(0.0, f32::max);
        let mut lines: Vec<(i32, f32)> = Vec::new();
        for w in words
            .iter()
            .filter(|w| w.page == 1 && w.y_min > heading && w.y_min < 760.0)
        {
            let key = w.y_min.round() as i32;
            match lines.iter_mut().find(|(y, _)| *y == key) {
                Some((_, right)) => *right = right.max(w.x_max),
                None => lines.push((key, w.x_max)),
            }
        }
        lines.sort_by_key(|(y, _)| *y);
        lines.into_iter().map(|(_, r)| r).collect::<Vec<f32>>()
    };
    // The column ends 20 mm from the page's right edge (595.28 − 56.69 points).
    let margin = 595.28 - 56.69;
    let justified = right_edges("justify = true\n");
    assert!(justified.len() > 5, "{justified:?}");
    for right in &justified[..justified.len() - 1] {
        assert!((right - margin).abs() < 1.0, "{right} in {justified:?}");
    }
    assert!(
        justified[justified.len() - 1] < margin - 20.0,
        "the last line stays short"
    );
    let ragged = right_edges("");
    let short = ragged[..ragged.len() - 1]
        .iter()
        .filter(|r| **r < margin - 3.0)
        .count();
    assert!(short > 0, "ragged right by default: {ragged:?}");
}

// Keep-with-next: a heading followed by a paragraph of three lines (which cannot be split
// without leaving one line alone) is never the last thing on a page.
#[test]
fn a_heading_is_kept_with_a_paragraph_that_cannot_be_split() {
    let env = TestEnv::new();
    env.write("pb.md", fixture("typeset/heading-keep.md"));
    env.run(&["render", "pb.md", "--format", "pdf", "-o", "out"])
        .expect_code(0);
    let pages = crate::harness::pdf_pages(&env.path("out/pb.pdf"));
    assert!(pages.len() > 5);
    for (n, page) in pages.iter().enumerate() {
        let body: Vec<&str> = page
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("Uncontrolled") && !l.starts_with("Page "))
            .collect();
        let last = body.last().copied().unwrap_or_default();
        assert!(
            !last.starts_with("Section "),
            "page {} ends with {last:?}",
            n + 1
        );
    }
}
