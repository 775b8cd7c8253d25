//! Field cases from `shared/cases/` (README there): front-matter boundaries (B10), byte-order
//! mark and line endings (B11), thematic breaks in the body (B13), paths written
//! percent-encoded or with spaces (B31). Inputs are copied to `tests/fixtures/cases/`.

use std::path::Path;

use sopctl::doc::Sop;
use sopctl::doc::markdown::scan;

use crate::harness::{TestEnv, fixture};

fn load(name: &str) -> Sop {
    Sop::from_bytes(Path::new(name), fixture(&format!("cases/{name}"))).expect(name)
}

fn check_case(name: &str) -> crate::harness::Run {
    let env = TestEnv::repo();
    env.write(&format!("cases/{name}"), fixture(&format!("cases/{name}")));
    env.run(&["check", &format!("cases/{name}")])
}

// See: cases/README.md B10a — an empty file.
#[test]
fn b10a_empty_file_is_an_error_that_metadata_is_missing() {
    let run = check_case("B10a-empty.md");
    run.expect_code(1);
    assert!(
        run.stdout
            .contains("B10a-empty.md:1:1: error: the file has no front matter"),
        "{}",
        run.stdout
    );
}

// See: cases/README.md B10b — front matter only, no final newline.
#[test]
fn b10b_front_matter_only_gives_the_metadata_and_an_empty_body() {
    let sop = load("B10b-fm-only-no-final-newline.md");
    assert_eq!(sop.metadata.title.as_deref(), Some("Placeholder SOP"));
    assert_eq!(
        sop.metadata
            .version
            .as_ref()
            .map(ToString::to_string)
            .as_deref(),
        Some("0.1")
    );
    assert_eq!(sop.body(), "");
    assert_eq!(scan(sop.body(), sop.body_first_line()).headings, []);
}

// See: cases/README.md B10c — unclosed front matter.
#[test]
fn b10c_unclosed_front_matter_is_an_error_and_never_body_text() {
    let run = check_case("B10c-fm-unclosed.md");
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "cases/B10c-fm-unclosed.md:1:1: error: front matter opened on line 1 is not closed: add a line `---` after the last `key: value` line\n"
    );
}

// See: cases/README.md B10d — delimiters with trailing white space are accepted.
#[test]
fn b10d_delimiters_with_trailing_whitespace_are_accepted() {
    let sop = load("B10d-fm-delimiter-trailing-ws.md");
    assert_eq!(sop.metadata.title.as_deref(), Some("Cleaning SOP"));
    let headings: Vec<String> = scan(sop.body(), sop.body_first_line())
        .headings
        .into_iter()
        .map(|h| h.text)
        .collect();
    assert_eq!(headings, ["Purpose"]);
    assert_eq!(sop.body().trim(), "# Purpose\n\nBody text.");
}

// See: cases/README.md B10e — a leading rule that is not front matter stays in the body.
#[test]
fn b10e_a_leading_rule_is_not_front_matter_and_nothing_is_dropped() {
    let sop = load("B10e-leading-rule-no-fm.md");
    assert!(sop.front_matter.is_none());
    assert!(
        sop.body()
            .contains("Intro paragraph that is body text, not metadata.")
    );
    let run = check_case("B10e-leading-rule-no-fm.md");
    run.expect_code(1);
    assert!(run.stdout.starts_with("cases/B10e-leading-rule-no-fm.md:1:1: error: lines 1 to 5 start with `---` but are not `key: value` front matter"), "{}", run.stdout);
}

// See: cases/README.md B11 — BOM + CRLF give the same metadata as the LF reference.
#[test]
fn b11_bom_and_crlf_give_the_same_metadata_as_the_reference() {
    let crlf = load("B11-bom-crlf.md");
    let lf = load("B11-lf-reference.md");
    assert!(crlf.source.has_bom());
    assert_eq!(crlf.metadata, lf.metadata);
    assert_eq!(crlf.metadata.title.as_deref(), Some("Hand hygiene"));
    let heads = |s: &Sop| {
        scan(s.body(), s.body_first_line())
            .headings
            .into_iter()
            .map(|h| (h.text, h.location))
            .collect::<Vec<_>>()
    };
    assert_eq!(heads(&crlf), heads(&lf));
}

// See: cases/README.md B11 — an in-place version edit keeps the BOM and CRLF and changes one line.
#[test]
fn b11_version_edit_changes_only_the_version_line() {
    let original = fixture("cases/B11-bom-crlf.md");
    let sop = load("B11-bom-crlf.md");
    let fm = sop.front_matter.as_ref().expect("front matter");
    let edited = fm
        .set_value(&sop.source, "version", "1.5.0", None)
        .expect("edit")
        .to_bytes();
    assert!(edited.starts_with(b"\xEF\xBB\xBF---\r\n"));
    let before = String::from_utf8(original).expect("utf-8");
    let after = String::from_utf8(edited).expect("utf-8");
    let changed: Vec<(&str, &str)> = before
        .split("\r\n")
        .zip(after.split("\r\n"))
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(changed, [("version: \"1.4\"", "version: \"1.5.0\"")]);
    assert_eq!(before.split("\r\n").count(), after.split("\r\n").count());
    assert!(
        !after.replace("\r\n", "").contains('\n'),
        "no bare LF introduced"
    );
}

// See: cases/README.md B11c — LF front matter, CRLF body and a lone CR.
#[test]
fn b11c_mixed_line_endings_read_like_the_reference() {
    let mixed = load("B11c-mixed-endings.md");
    assert_eq!(mixed.metadata.title.as_deref(), Some("Hand hygiene"));
    let heads = scan(mixed.body(), mixed.body_first_line()).headings;
    assert_eq!(
        heads.iter().map(|h| h.text.as_str()).collect::<Vec<_>>(),
        ["Hand hygiene"]
    );
    assert!(!heads[0].text.contains('\r'));
}

// See: cases/README.md B11d — a tab used for YAML indentation.
#[test]
fn b11d_tab_indentation_is_an_error_at_line_4() {
    let run = check_case("B11d-tab-indent.md");
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "cases/B11d-tab-indent.md:4:1: error: front matter is not valid YAML: a tab is used for indentation; YAML allows only spaces there\n"
    );
}

// See: cases/README.md B13 — `---` in the body is a thematic break, never metadata.
#[test]
fn b13_thematic_breaks_in_the_body_are_not_metadata() {
    let sop = load("B13-body-thematic-breaks.md");
    assert_eq!(
        sop.metadata.version.as_ref().map(|v| v.full()).as_deref(),
        Some("2.3.0")
    );
    let fm = sop.front_matter.as_ref().expect("front matter");
    assert!(fm.get("kit").is_none());
    let heads: Vec<(u8, String)> = scan(sop.body(), sop.body_first_line())
        .headings
        .into_iter()
        .map(|h| (h.level, h.text))
        .collect();
    assert_eq!(
        heads,
        [
            (1, "Spill response".to_string()),
            (3, "Small spills".to_string()),
            (3, "Large spills".to_string()),
            (2, "Setext heading that must stay a heading".to_string()),
        ]
    );
    assert!(
        sop.body()
            .contains("```yaml\n---\nkit: spill-kit-B\nversion: \"9.9\"\n---\n```")
    );
}

/// The files of the B31 case, relative to the repository root (`sops/…`), in a fixed order.
const B31_FILES: [&str; 7] = [
    "sops/SOP-031.md",
    "sops/annex/form A.pdf",
    "sops/img/a+b.png",
    "sops/img/schéma.png",
    "sops/img/step 1.png",
    "sops/img/step 2.png",
    "sops/photos de ligne/vue.png",
];

/// The images of an HTML rendition, as the bytes of its `data:` URIs, in document order.
fn embedded_images(html: &str) -> Vec<Vec<u8>> {
    use base64::Engine as _;
    html.split("<img src=\"data:image/png;base64,")
        .skip(1)
        .map(|rest| {
            let data = &rest[..rest.find('"').expect("closing quote")];
            base64::engine::general_purpose::STANDARD
                .decode(data)
                .expect("base64")
        })
        .collect()
}

// See: cases/README.md B31 — paths written percent-encoded, with spaces or accents, and a `+`.
#[test]
fn b31_encoded_spaced_and_accented_paths_are_found_by_check_render_release_and_publish() {
    let env = TestEnv::repo();
    for rel in B31_FILES {
        env.write(rel, fixture(&format!("cases/B31-image-paths/{rel}")));
    }
    env.commit("Add SOP-031");
    // The six images in the order the document shows them: red, green, blue twice, orange,
    // purple (`a+b.png`: a plus sign, not a space).
    let expected: Vec<Vec<u8>> = [
        "img/step 1.png",
        "img/step 2.png",
        "img/schéma.png",
        "img/schéma.png",
        "photos de ligne/vue.png",
        "img/a+b.png",
    ]
    .iter()
    .map(|rel| fixture(&format!("cases/B31-image-paths/sops/{rel}")))
    .collect();

    let run = env.run(&["check"]);
    run.expect_code(0);
    assert_eq!(
        (run.stdout.as_str(), run.stderr.as_str()),
        ("", "checked 1 SOP: no problems found\n")
    );

    let run = env.run(&["render", "SOP-031", "-o", "out"]);
    run.expect_code(0);
    assert_eq!(run.stderr, "");
    let draft = env.read("out/drafts/SOP-031/SOP-031-working-copy.html");
    assert_eq!(embedded_images(&draft), expected);
    assert!(!draft.contains("[image:"), "{draft}");
    // Both ways of writing the attachment's name make one working URL.
    assert_eq!(draft.matches("<a href=\"annex/form%20A.pdf\">").count(), 2);

    let sop = sopctl::doc::Sop::load(&env.path("sops/SOP-031.md")).expect("sop");
    let laid = sopctl::render::pdf::layout::layout(
        &sopctl::model::Document::parse(sop.body(), sop.body_first_line()),
        &sopctl::render::RenderMeta::of(&sop, "", "", None),
        &sopctl::render::images::WorkTree {
            root: env.root.clone(),
        },
        Path::new("sops/SOP-031.md"),
        sopctl::config::Paper::A4,
    );
    let pdf_images = laid
        .doc
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter(|i| matches!(i, sopctl::render::pdf::layout::Item::Image { .. }))
        .count();
    assert_eq!((pdf_images, laid.warnings.len()), (6, 0));

    let run = env.run(&["release", "-m", "First release"]);
    run.expect_code(0);
    assert!(
        !run.stdout.contains("error:") && !run.stdout.contains("warning:"),
        "{}",
        run.stdout
    );
    let released = env.read("dist/SOP-031/1.0/SOP-031-v1.0.html");
    assert_eq!(embedded_images(&released), expected);

    // The site renders the released version from git's objects, not the working copy.
    let run = env.run(&["publish", "-o", "site"]);
    run.expect_code(0);
    assert_eq!(
        run.stderr,
        "published 1 SOP: 2 files made (renditions and redlines), 0 already there\n"
    );
    let published = env.read("site/SOP-031/1.0/SOP-031-v1.0.html");
    assert_eq!(embedded_images(&published), expected);
}
