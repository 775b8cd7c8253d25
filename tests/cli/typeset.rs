//! Typesetting (issue 19 item 3): hyphenation by the document's language where a column is too
//! narrow for a word, never inside code, IDs or addresses, and none in a language hypher has no
//! patterns for, read back with `pdftotext`. Total-fit line breaking and keep-with-next are
//! unit-tested in `render/pdf/fit.rs` and `render/pdf/layout/paragraph.rs`.

use crate::harness::{TestEnv, fixture};
use crate::pdf::{Word, words};

/// The words of the hyphenation fixture's PDF in language `lang` (`pdftotext -bbox-layout`),
/// and each word a line ends with a hyphen joined to the word below it in its column.
fn hyphenated_in(lang: &str) -> (Vec<Word>, Vec<String>) {
    let env = TestEnv::repo();
    let text = String::from_utf8(fixture("typeset/hyphenation.md"))
        .expect("UTF-8")
        .replace("owner: QA\n", &format!("owner: QA\nlang: {lang}\n"));
    env.write("sops/h.md", text);
    env.commit("Hyphenation");
    env.run(&["render", "SOP-TY-001", "--format", "pdf", "-o", "out"])
        .expect_code(0);
    let words = words(&env.path("out/drafts/SOP-TY-001/SOP-TY-001-working-copy.pdf"));
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
    (words, joined)
}

#[test]
fn words_too_wide_for_a_column_are_hyphenated_between_syllables_and_ids_and_code_never() {
    let (words, broken) = hyphenated_in("en");
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
    let (_, broken) = hyphenated_in("tlh");
    assert_eq!(broken, Vec::<String>::new());
}
