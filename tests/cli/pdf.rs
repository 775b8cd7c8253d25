//! The PDF rendition: fonts, text, contents, bookmarks, links, reproducible bytes, and the field
//! cases (B01, B02, B04, B05, B08, B09, B25), read back with poppler (`pdftotext`, `pdffonts`)
//! and qpdf.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::harness::{TestEnv, example, fixture};

pub(crate) fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} must be installed (CI installs it): {e}"));
    assert!(
        out.status.success(),
        "{name} {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn text_of(pdf: &Path) -> String {
    tool(
        "pdftotext",
        &["-layout", "-nodiag", pdf.to_str().expect("path"), "-"],
    )
}

/// A word box from `pdftotext -bbox-layout`, in points from the page's top-left.
#[derive(Debug)]
pub(crate) struct Word {
    pub(crate) page: usize,
    pub(crate) x_min: f32,
    pub(crate) y_min: f32,
    pub(crate) x_max: f32,
    pub(crate) y_max: f32,
    pub(crate) text: String,
}

fn attr(tag: &str, name: &str) -> f32 {
    let key = format!("{name}=\"");
    let start = tag.find(&key).map(|i| i + key.len()).expect("attribute");
    tag[start..start + tag[start..].find('"').expect("quote")]
        .parse()
        .expect("number")
}

pub(crate) fn words(pdf: &Path) -> Vec<Word> {
    let xml = tool(
        "pdftotext",
        &["-bbox-layout", pdf.to_str().expect("path"), "-"],
    );
    let mut out = Vec::new();
    let mut page = 0;
    for piece in xml.split('<').skip(1) {
        if piece.starts_with("page ") {
            page += 1;
        } else if piece.starts_with("word ") {
            let (tag, text) = piece.split_once('>').expect("word");
            let text = text
                .replace("&amp;", "&")
                .replace("&lt;", "<")
                .replace("&gt;", ">")
                .replace("&quot;", "\"")
                .replace("&apos;", "'");
            out.push(Word {
                page,
                x_min: attr(tag, "xMin"),
                y_min: attr(tag, "yMin"),
                x_max: attr(tag, "xMax"),
                y_max: attr(tag, "yMax"),
                text,
            });
        }
    }
    out
}

/// A4 margins as sopctl lays them out (20 mm sides; body between the header and footer bands).
const LEFT: f32 = 56.69;
const RIGHT: f32 = 595.28 - 56.69;

fn assert_within_margins(pdf: &Path, mark: &str) {
    for w in words(pdf) {
        if w.text == mark {
            continue; // the rotated watermark
        }
        assert!(
            w.x_min >= LEFT - 0.5 && w.x_max <= RIGHT + 0.5,
            "word outside the margins on page {}: {w:?}",
            w.page
        );
        assert!(
            w.y_min >= 20.0 && w.y_max <= 841.89 - 20.0,
            "word off the page: {w:?}"
        );
    }
}

fn render_case(env: &TestEnv, name: &str) -> PathBuf {
    env.write(name, fixture(&format!("cases/{name}")));
    let run = env.run(&["render", name, "--format", "pdf", "-o", "."]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    env.path(&name.replace(".md", ".pdf"))
}

fn released_example() -> TestEnv {
    let env = TestEnv::repo();
    env.write("sops/privacy.md", example());
    env.commit("Add the privacy SOP");
    env.run(&["release", "-m", "First"]).expect_code(0);
    env
}

#[test]
fn release_writes_a_pdf_with_subset_fonts_every_glyph_and_the_page_furniture() {
    let env = released_example();
    let pdf = env.path("dist/SOP-IT-001/1.0/SOP-IT-001-v1.0.pdf");
    let fonts = tool("pdffonts", &[pdf.to_str().expect("path")]);
    let rows: Vec<&str> = fonts.lines().skip(2).collect();
    assert!(rows.len() >= 3, "{fonts}");
    for row in &rows {
        assert!(
            row.contains("CID TrueType") && row.contains(" yes yes yes "),
            "not embedded and subset: {row}"
        );
        assert!(row.contains("+DejaVu"), "{row}");
    }
    let text = text_of(&pdf);
    for needle in [
        "☐",
        "☒",
        "↗",
        "Manage ↗",
        "Verifying Claude.ai Privacy Settings",
        "Step 4: Locate the Model Training Setting",
        "Export data",
        "Initial document creation",
    ] {
        assert!(text.contains(needle), "{needle} is not extractable");
    }
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    let commit = env.git(&["rev-parse", "--short=7", "HEAD"]);
    for (n, page) in pages.iter().enumerate() {
        assert!(
            page.contains("SOP-IT-001 · Verifying Claude.ai Privacy Settings · Version 1.0"),
            "header on page {}",
            n + 1
        );
        assert!(
            page.contains(&format!("Page {} of {}", n + 1, pages.len())),
            "page number on page {}",
            n + 1
        );
        assert!(
            page.contains("Uncontrolled when printed")
                && page.contains(&format!("Built from commit {}", commit.trim())),
            "footer on page {}",
            n + 1
        );
    }
    assert!(pages[0].contains("Contents"));
    let info = tool("pdfinfo", &[pdf.to_str().expect("path")]);
    assert!(
        info.contains("Title:           SOP-IT-001 Verifying Claude.ai Privacy Settings"),
        "{info}"
    );
    assert!(info.contains("Author:          Alex Example"), "{info}");
    assert!(info.contains("Creator:         sopctl "), "{info}");
    let size = std::fs::metadata(&pdf).expect("pdf").len();
    assert!(size < 150_000, "the example's PDF is {size} bytes");
    assert_within_margins(&pdf, "");
}

#[test]
fn bookmarks_are_nested_and_contents_entries_link_to_their_pages() {
    let env = released_example();
    let pdf = env.path("dist/SOP-IT-001/1.0/SOP-IT-001-v1.0.pdf");
    let json: serde_json::Value = serde_json::from_str(&tool(
        "qpdf",
        &["--json", "--json-key=outlines", pdf.to_str().expect("path")],
    ))
    .expect("qpdf json");
    let outlines = json["outlines"].as_array().expect("outlines");
    let titles: Vec<&str> = outlines
        .iter()
        .map(|o| o["title"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        titles[..4],
        [
            "Purpose",
            "Overview",
            "Prerequisites",
            "Step-by-Step Instructions"
        ]
    );
    let steps = &outlines[3]["kids"];
    assert_eq!(steps[0]["title"], "Step 1: Log Into Claude.ai");
    assert_eq!(steps.as_array().map(Vec::len), Some(5));
    assert!(steps[0]["destpageposfrom1"].as_i64().unwrap_or(0) >= 1);
    // Links: web links keep their URI; the contents entries go to pages inside the document.
    let objects = tool(
        "qpdf",
        &[
            "--qdf",
            "--object-streams=disable",
            pdf.to_str().expect("path"),
            "-",
        ],
    );
    assert!(objects.contains("/URI (https://claude.ai)"), "web link");
    assert!(objects.matches("/S /GoTo").count() >= 20, "contents links");
    assert!(
        !objects.contains("/C [ 0 1 1 ]"),
        "no visible border colour on links"
    );
}

#[test]
fn the_same_input_gives_byte_identical_pdfs_in_one_process_and_in_two() {
    let env = released_example();
    let run = |dir: &str| {
        env.run(&["render", "--version", "1.0", "--format", "pdf", "-o", dir])
            .expect_code(0);
        std::fs::read(env.path(&format!("{dir}/SOP-IT-001/1.0/SOP-IT-001-v1.0.pdf"))).expect("pdf")
    };
    let (a, b) = (run("a"), run("b"));
    assert!(a == b, "two processes gave different bytes");
    let released = std::fs::read(env.path("dist/SOP-IT-001/1.0/SOP-IT-001-v1.0.pdf")).expect("pdf");
    assert!(
        a == released,
        "render --version gives the bytes release wrote"
    );

    // In one process, twice (printpdf's own IDs come from a process-wide counter).
    let sop = sopctl::doc::Sop::from_bytes(Path::new("privacy.md"), example()).expect("sop");
    let files = |_: &Path| None;
    let settings = sopctl::render::RenderSettings {
        footer: "Uncontrolled when printed".to_string(),
        template_root: PathBuf::from("."),
        ..sopctl::render::RenderSettings::default()
    };
    let render = || {
        let job = sopctl::render::RenderJob::new(
            &settings,
            &sop,
            PathBuf::from("privacy.md"),
            &files,
            None,
        );
        sopctl::render::pdf::pdf(&job, 1_762_560_000)
            .expect("pdf")
            .bytes
    };
    let (x, y) = (render(), render());
    assert!(x == y, "two renders in one process differ");
}

// See: cases/README.md B01 — long URLs and tokens stay inside the margins, unhyphenated.
#[test]
fn b01_long_urls_and_tokens_break_inside_the_margins() {
    let env = TestEnv::new();
    let pdf = render_case(&env, "B01-long-url.md");
    assert_within_margins(&pdf, "DRAFT");
    let joined: String = words(&pdf).iter().map(|w| w.text.as_str()).collect();
    for token in [
        "https://records.example.com/quality/sterilisation/autoclave-2/validation/2024/annex-b/cycle-parameters-and-acceptance-criteria-for-wrapped-instrument-loads.html",
        "QX7Z4M2K9P1R8T5W3Y6V0B4N7C2X9L5J8H1G6F3D0S7A4Q2W9E5R1T8Y3U6I0O4P7L2K9J5H8G1F6D3S0A7Z4X2C9V5B8N1M6Q3W0E7R4T2Y9U5I8O1P6",
        "C:\\ProgramData\\Example\\Instruments\\Autoclave\\Logs\\Cycle_0000123456789_Validation_Run_Final_Approved_Copy.csv",
    ] {
        assert!(joined.contains(token), "{token} is not given back whole");
    }
    assert!(text_of(&pdf).contains("acceptance table"));
}

// See: cases/README.md B02 — a long code block wraps with a mark and continues across pages.
#[test]
fn b02_code_lines_wrap_with_a_mark_and_nothing_is_lost() {
    let env = TestEnv::new();
    let pdf = render_case(&env, "B02-long-code-block.md");
    assert_within_margins(&pdf, "DRAFT");
    let source = String::from_utf8(fixture("cases/B02-long-code-block.md")).expect("utf-8");
    let start = source.find("```").expect("fence");
    let body_start = source[start..].find('\n').expect("nl") + start + 1;
    let body_end = source[body_start..].find("```").expect("close") + body_start;
    let expected: Vec<String> = source[body_start..body_end]
        .lines()
        .map(|l| l.replace('\t', "    "))
        .collect();
    assert_eq!(expected.len(), 123);
    // Rebuild the code lines from the PDF: a line starting with ↪ continues the one before.
    // (Not -nodiag: poppler then drops the first word after the diagonal watermark.)
    let text = tool("pdftotext", &["-raw", pdf.to_str().expect("path"), "-"]);
    let lines: Vec<&str> = text.lines().collect();
    let first = lines
        .iter()
        .position(|l| expected[0].trim().starts_with(l.trim()) && !l.trim().is_empty())
        .expect("first code line");
    let mut rebuilt: Vec<String> = Vec::new();
    for l in &lines[first..] {
        if let Some(rest) = l.strip_prefix("↪") {
            if let Some(last) = rebuilt.last_mut() {
                last.push_str(rest.trim_start());
            }
        } else if l.starts_with("SOP-TEST-02")
            || l.starts_with("Uncontrolled")
            || l.trim().is_empty()
            || "DRAFT".contains(l.trim())
        {
            continue;
        } else {
            rebuilt.push(l.to_string());
        }
        if rebuilt.len() > expected.len() {
            break;
        }
    }
    let squeeze = |s: &str| s.split_whitespace().collect::<String>();
    for (i, want) in expected.iter().enumerate() {
        assert_eq!(squeeze(&rebuilt[i]), squeeze(want), "code line {}", i + 1);
    }
}

// See: cases/README.md B04 — no page ends with a heading.
#[test]
fn b04_a_heading_is_never_the_last_thing_on_a_page() {
    let tail = "## 5. Verification\n\nThe verifier signs the record after checking every entry in the log.\n";
    for n in 1..=80 {
        let mut text = String::from(
            "---\ntitle: Heading placement\nid: SOP-TEST-04\nversion: \"1.0\"\n---\n\n# Procedure\n\n",
        );
        for i in 1..=n {
            text.push_str(&format!("Filler line {i}.\n\n"));
        }
        text.push_str(tail);
        let sop =
            sopctl::doc::Sop::from_bytes(Path::new("b04.md"), text.into_bytes()).expect("sop");
        let doc = sopctl::model::Document::parse(sop.body(), sop.body_first_line());
        let meta = sopctl::render::RenderMeta::of(&sop, "", "Uncontrolled when printed", None);
        let files = |_: &Path| None;
        let laid = sopctl::render::pdf::layout::layout(
            &doc,
            &meta,
            &files,
            Path::new("b04.md"),
            sopctl::config::Paper::A4,
        );
        let dump = sopctl::render::pdf::layout::dump(&laid.doc);
        let page_of = |needle: &str| {
            dump.lines()
                .rfind(|l| l.contains(needle) && !l.contains("link"))
                .map(|l| l[1..l.find(' ').unwrap_or(2)].to_string())
        };
        let heading = page_of("\"5. Verification\"").expect("heading");
        let following = page_of("\"The verifier signs").expect("paragraph");
        assert_eq!(
            heading, following,
            "n = {n}: the heading is alone at the foot of page {heading}"
        );
        // No empty page is made.
        assert!(laid.doc.pages.iter().all(|p| p.items.iter().any(
            |i| matches!(i, sopctl::render::pdf::layout::Item::Text { angle, .. } if *angle == 0.0)
        )));
    }
}

// See: cases/README.md B05 — lists nested eight levels deep.
#[test]
fn b05_deep_lists_render_every_item_in_order() {
    let env = TestEnv::new();
    let pdf = render_case(&env, "B05-deep-nested-list.md");
    assert_within_margins(&pdf, "DRAFT");
    let source = String::from_utf8(fixture("cases/B05-deep-nested-list.md")).expect("utf-8");
    let text = text_of(&pdf)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    let mut at = 0;
    for line in source.lines().filter(|l| {
        l.trim_start().starts_with(['-', '*'])
            || l.trim_start()
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_digit())
    }) {
        let item = line
            .trim_start()
            .trim_start_matches(|c: char| {
                c == '-' || c == '*' || c.is_ascii_digit() || c == '.' || c == ')'
            })
            .trim_start();
        let item = item
            .trim_start_matches("[ ] ")
            .trim_start_matches("[x] ")
            .trim_start_matches("[X] ");
        let item = item.split_whitespace().collect::<Vec<_>>().join(" ");
        let found = text[at..]
            .find(&item)
            .unwrap_or_else(|| panic!("{item:?} missing or out of order"));
        at += found;
    }
}

// See: cases/README.md B08 — characters without a glyph are reported, never silently dropped.
#[test]
fn b08_missing_glyphs_are_reported_once_each_and_cjk_wraps_inside_the_margins() {
    let env = TestEnv::new();
    env.write("B08.md", fixture("cases/B08-missing-glyphs.md"));
    let run = env.run(&["render", "B08.md", "--format", "pdf", "-o", "."]);
    run.expect_code(0);
    assert!(run.stdout.contains("B08.md:19:12: warning: no glyph for U+6D88 '消' in the PDF fonts; it shows as an empty box"), "{}", run.stdout);
    assert_eq!(
        run.stdout.matches("U+6D88").count(),
        1,
        "once per code point"
    );
    assert!(run.stdout.contains("right-to-left"), "{}", run.stdout);
    let pdf = env.path("B08.pdf");
    assert_within_margins(&pdf, "DRAFT");
    let text = text_of(&pdf);
    assert!(text.contains("☐") && text.contains("café"), "{text}");
    let check = env.run(&["check", "B08.md", "--strict"]);
    check.expect_code(1);
    assert!(
        check
            .stdout
            .contains("warning: no glyph in the PDF fonts for U+6D88 '消'"),
        "{}",
        check.stdout
    );
}

// See: cases/README.md B09 — no-break spaces hold, soft hyphens are invisible.
#[test]
fn b09_no_break_spaces_and_soft_hyphens() {
    let env = TestEnv::new();
    let pdf = render_case(&env, "B09-nbsp-shy.md");
    assert_within_margins(&pdf, "DRAFT");
    let text = tool("pdftotext", &["-raw", pdf.to_str().expect("path"), "-"]);
    for l in text
        .lines()
        .filter(|l| !l.contains(". . .") && !l.contains("Page "))
    {
        let t = l.trim_end();
        assert!(
            !t.ends_with(" 10")
                && !t.ends_with(" 1")
                && !t.starts_with("mg ")
                && !t.starts_with("000")
                && !t.starts_with('%')
                && !t.starts_with('€'),
            "broke inside a no-break group: {l:?}"
        );
    }
    assert!(
        text.contains("cooperate") || text.replace('\u{ad}', "").contains("cooperate"),
        "the soft hyphen is invisible mid-line"
    );
    assert!(!text.contains("co-operate"));
}

// See: cases/README.md B25 — images scaled to the column and the page, never cut.
#[test]
fn b25_images_are_scaled_to_fit_and_paths_resolve_from_the_document() {
    let env = TestEnv::repo();
    for rel in [
        "sops/area-2/SOP-025.md",
        "sops/area-2/img/small-120x80.png",
        "sops/area-2/img/tall-300x5000.png",
        "assets/wide-4000x300.png",
    ] {
        env.write(rel, fixture(&format!("cases/B25-images/{rel}")));
    }
    let mut pdfs = Vec::new();
    for dir in [env.root.clone(), env.path("sops/area-2")] {
        let out = env.path("out").display().to_string();
        let run = env.run_in(
            &dir,
            &["render", "SOP-TEST-25", "--format", "pdf", "-o", &out],
            &[],
        );
        run.expect_code(1);
        pdfs.push(
            std::fs::read(env.path("out/drafts/SOP-TEST-25/SOP-TEST-25-working-copy.pdf"))
                .expect("pdf"),
        );
    }
    assert!(
        pdfs[0] == pdfs[1],
        "the same PDF from any working directory"
    );
    let sop = sopctl::doc::Sop::load(&env.path("sops/area-2/SOP-025.md")).expect("sop");
    let doc = sopctl::model::Document::parse(sop.body(), sop.body_first_line());
    let meta = sopctl::render::RenderMeta::of(&sop, "", "Uncontrolled when printed", None);
    let files = sopctl::render::images::WorkTree {
        root: env.root.clone(),
    };
    let laid = sopctl::render::pdf::layout::layout(
        &doc,
        &meta,
        &files,
        Path::new("sops/area-2/SOP-025.md"),
        sopctl::config::Paper::A4,
    );
    let geo = sopctl::render::pdf::layout::Geometry::for_paper(sopctl::config::Paper::A4);
    let images: Vec<(f32, f32, f32, f32)> = laid
        .doc
        .pages
        .iter()
        .flat_map(|p| &p.items)
        .filter_map(|i| match i {
            sopctl::render::pdf::layout::Item::Image { y, w, h, .. } => Some((y.0, w.0, h.0, 0.0)),
            _ => None,
        })
        .collect();
    assert_eq!(images.len(), 3);
    let text_width = geo.text_width().0;
    let (_, wide_w, wide_h, _) = images[1];
    assert!(
        (wide_w - text_width).abs() < 0.5,
        "wide image scaled to the text width"
    );
    assert!(
        ((wide_w / wide_h) - 4000.0 / 300.0).abs() / (4000.0 / 300.0) < 0.01,
        "aspect kept"
    );
    let (tall_y, tall_w, tall_h, _) = images[2];
    assert!(
        tall_y + tall_h <= geo.bottom.0 + 0.5 && tall_h <= (geo.bottom - geo.top).0,
        "tall image fits the page"
    );
    assert!(
        ((tall_w / tall_h) - 300.0 / 5000.0).abs() / (300.0 / 5000.0) < 0.01,
        "aspect kept"
    );
}

#[test]
#[ignore = "debugging aid: prints a layout dump"]
fn dump_layout_of_env_file() {
    let path = std::env::var("SOPCTL_DUMP").expect("SOPCTL_DUMP");
    let sop = sopctl::doc::Sop::load(Path::new(&path)).expect("sop");
    let doc = sopctl::model::Document::parse(sop.body(), sop.body_first_line());
    let meta = sopctl::render::RenderMeta::of(&sop, "", "Uncontrolled when printed", None);
    let files = |_: &Path| None;
    let laid = sopctl::render::pdf::layout::layout(
        &doc,
        &meta,
        &files,
        Path::new("x.md"),
        sopctl::config::Paper::A4,
    );
    std::fs::write(
        "/tmp/layout-dump.txt",
        sopctl::render::pdf::layout::dump(&laid.doc),
    )
    .expect("write");
}

/// The layout as data: a small SOP's positioned items, snapshotted (accept changes with
/// `cargo insta review`, never by hand).
#[test]
fn layout_of_a_small_sop_is_stable() {
    let text = "---\nid: SOP-LAY-001\ntitle: Layout sample\nversion: 1.2\nowner: QA\nstatus: effective\neffective: 2026-01-05\n---\n\n## Purpose\n\nKeep the **line** clean and record *every* check in `LOG-7`.\n\n## Procedure\n\n1. Wipe the belt\n   - [x] Gloves on\n   - [ ] Log the time\n2. Sign the [record](https://example.org/r)\n\n| Step | Who |\n| --- | ---: |\n| Wipe | Operator |\n\n```\nclean --all\n```\n";
    let sop =
        sopctl::doc::Sop::from_bytes(Path::new("lay.md"), text.as_bytes().to_vec()).expect("sop");
    let doc = sopctl::model::Document::parse(sop.body(), sop.body_first_line());
    let meta = sopctl::render::RenderMeta::of(
        &sop,
        "ACME Foods",
        "Uncontrolled when printed",
        Some("abc1234"),
    );
    let files = |_: &Path| None;
    let laid = sopctl::render::pdf::layout::layout(
        &doc,
        &meta,
        &files,
        Path::new("lay.md"),
        sopctl::config::Paper::A4,
    );
    insta::assert_snapshot!(
        "layout_small_sop",
        sopctl::render::pdf::layout::dump(&laid.doc)
    );
}

/// A PNG header claiming `width` × `height` pixels (enough for sopctl to size the image).
fn png_header(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend_from_slice(&13u32.to_be_bytes());
    png.extend_from_slice(b"IHDR");
    png.extend_from_slice(&width.to_be_bytes());
    png.extend_from_slice(&height.to_be_bytes());
    png.extend_from_slice(&[8, 2, 0, 0, 0]);
    png.extend_from_slice(&[0; 4]);
    png
}

#[test]
fn an_image_of_400_million_pixels_is_refused_with_its_alt_text_shown() {
    let env = TestEnv::new();
    env.write("huge.png", png_header(20_000, 20_000));
    env.write(
        "huge.md",
        "---\nid: SOP-001\ntitle: T\nowner: QA\n---\n\nBefore.\n\n![Floor plan](huge.png)\n",
    );
    let run = env.run(&["render", "huge.md", "--format", "pdf", "-o", "out"]);
    run.expect_code(0);
    assert!(
        run.stdout.starts_with("huge.md:9:1: warning: the image `huge.png` is 20,000 × 20,000 pixels, more than the 50 million an image may have; its alt text is shown instead: scale it down\n"),
        "{}",
        run.stdout
    );
    let text = text_of(&env.path("out/huge.pdf"));
    assert!(text.contains("[image: Floor plan]"), "{text}");
}

// Issue 13: a truncated, empty or damaged image, or one the PDF cannot take, no longer vanishes
// from the PDF: its alt text is printed in its place; the good image is embedded at full size.
#[test]
fn images_that_cannot_be_shown_leave_their_alt_text_in_the_pdf() {
    let env = crate::harness::images::broken_images_repo();
    env.run(&["render", "--format", "pdf", "-o", "out"])
        .expect_code(0);
    let pdf = env.path("out/drafts/SOP-1/SOP-1-working-copy.pdf");
    let text = text_of(&pdf);
    for alt in crate::harness::images::UNSHOWN {
        assert!(
            text.contains(&format!("[image: {alt}]")),
            "{alt} in\n{text}"
        );
    }
    assert!(!text.contains("[image: ok png]"), "{text}");
    // The SVG is drawn, as vectors: no alt text, no embedded picture.
    assert!(!text.contains("[image: logo svg]"), "{text}");
    let list = tool("pdfimages", &["-list", pdf.to_str().expect("path")]);
    let images: Vec<Vec<&str>> = list
        .lines()
        .skip(2)
        .map(|l| l.split_whitespace().take(7).collect())
        .collect();
    assert_eq!(
        images,
        [["1", "0", "image", "3", "2", "rgb", "3"]],
        "{list}"
    );
}
