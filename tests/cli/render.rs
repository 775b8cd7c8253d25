//! `sopctl render` and the HTML written by `release`: self-contained, safe, faithful.

use crate::harness::{TestEnv, example, fixture, sop};

fn released_example() -> TestEnv {
    let env = TestEnv::repo();
    env.write("sops/privacy.md", example());
    env.commit("Add the privacy SOP");
    env.run(&["release", "-m", "First"]).expect_code(0);
    env
}

/// Asserts a page has no script element, no event-handler attribute and no dangerous link
/// target in any real tag (escaped text such as `&lt;script&gt;` is harmless and allowed).
fn assert_safe(html: &str) {
    let lower = html.to_ascii_lowercase();
    let mut rest = lower.as_str();
    while let Some(start) = rest.find('<') {
        let tag_end = rest[start..]
            .find('>')
            .map_or(rest.len(), |e| start + e + 1);
        let tag = &rest[start..tag_end];
        rest = &rest[tag_end..];
        if !tag[1..].starts_with(|c: char| c.is_ascii_alphabetic()) {
            continue;
        }
        assert!(!tag.starts_with("<script"), "script element: {tag}");
        let has_handler = tag
            .split_whitespace()
            .skip(1)
            .any(|attr| attr.starts_with("on") && attr.contains('='));
        assert!(!has_handler, "event handler: {tag}");
        for bad in [
            "href=\"javascript",
            "href=\"vbscript",
            "href=\"data:",
            "src=\"javascript",
        ] {
            assert!(!tag.contains(bad), "{bad}: {tag}");
        }
    }
}

#[test]
fn release_writes_a_self_contained_html_rendition() {
    let env = released_example();
    let commit = env.git(&["rev-parse", "--short=7", "HEAD"]);
    let html = env.read("dist/SOP-IT-001/1.0/SOP-IT-001-v1.0.html");
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(
        html.contains(
            "<title>SOP-IT-001 Verifying Claude.ai Privacy Settings — version 1.0</title>"
        )
    );
    assert!(html.contains("<dt>Effective</dt><dd>2025-11-08</dd>"));
    assert!(html.contains("<dt>Next review</dt><dd>2026-02-08</dd>"));
    assert!(html.contains(&format!("built from commit {}", commit.trim())));
    assert!(html.contains("<h2 id=\"step-by-step-instructions\">Step-by-Step Instructions</h2>"));
    assert!(
        html.contains("<a href=\"#step-by-step-instructions\">Step-by-Step Instructions</a>"),
        "table of contents"
    );
    assert!(html.contains("<td>Help improve Claude</td>") && html.contains("<td>☐</td>"));
    assert!(
        html.contains("<style>") && !html.contains("<link"),
        "styles inlined"
    );
    assert!(
        !html.contains("src=\"http"),
        "nothing loaded from elsewhere"
    );
    assert!(
        !html.contains("class=\"status-mark\""),
        "an effective document has no mark"
    );
    assert_safe(&html);
}

#[test]
fn hostile_markdown_yields_no_script_with_or_without_allow_html() {
    let hostile = format!(
        "{}\n<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>\n\n[a](javascript:alert(1)) [b](JAVASCRIPT:alert(1)) [c](&#x6A;avascript:alert(1)) [d](java%0ascript:x) [e](<java script:alert(1)>) [f](vbscript:x) [g](data:text/html;base64,PHNjcmlwdD4=)\n\nInline <span onmouseover=\"x()\">html</span> and <a href=\"javascript:x\">raw link</a>.\n",
        sop("SOP-001", "Hostile")
    );
    for allow in [false, true] {
        let env = TestEnv::repo();
        env.write("sopctl.toml", format!("allow_html = {allow}\n"));
        env.write("sops/a.md", &hostile);
        let run = env.run(&["render"]);
        run.expect_code(0);
        let html = env.read("drafts/SOP-001/SOP-001-working-copy.html");
        assert_safe(&html);
        assert!(
            !html.contains("href=\"javascript") && !html.contains("href=\"JAVASCRIPT"),
            "allow_html={allow}"
        );
        if !allow {
            assert!(
                html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"),
                "raw HTML is shown as text"
            );
        }
    }
}

#[test]
fn render_of_a_released_version_comes_from_git() {
    let env = released_example();
    env.write(
        "sops/privacy.md",
        env.read("sops/privacy.md")
            .replace("2-3 minutes", "3-5 minutes"),
    );
    let run = env.run(&["render", "--version", "1.0", "-o", "out"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "out/SOP-IT-001/1.0/SOP-IT-001-v1.0.pdf\nout/SOP-IT-001/1.0/SOP-IT-001-v1.0.html\n"
    );
    let html = env.read("out/SOP-IT-001/1.0/SOP-IT-001-v1.0.html");
    assert!(html.contains("2-3 minutes") && !html.contains("3-5 minutes"));
    let draft = env.run(&["render", "-o", "out", "--format", "html"]);
    assert_eq!(
        draft.stdout,
        "out/drafts/SOP-IT-001/SOP-IT-001-working-copy.html\n"
    );
    let html = env.read("out/drafts/SOP-IT-001/SOP-IT-001-working-copy.html");
    assert!(
        html.contains("3-5 minutes")
            && html.contains("class=\"status-mark\"")
            && html.contains(">DRAFT</div>")
    );
}

#[test]
fn a_lone_markdown_file_outside_any_repository_renders_with_blank_metadata() {
    let env = TestEnv::new();
    env.write("notes.md", "# Notes\n\nJust text.\n");
    let run = env.run(&["render", "notes.md", "-o", "."]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "notes.md:1:1: warning: no front matter: the title block shows the first heading as the title and leaves ID, version and owner blank\nnotes.pdf\nnotes.html\n"
    );
    let html = env.read("notes.html");
    assert!(html.contains("<h1 id=\"notes\">Notes</h1>") && html.contains("<dt>ID</dt><dd>—</dd>"));
    assert!(
        html.contains("<title>Notes (draft)</title>"),
        "titled by its first heading"
    );
    env.write("bad.md", "---\ntitle: Bad\nstatus: effectve\n---\nText\n");
    let bad = env.run(&["render", "bad.md", "-o", ".", "--format", "html"]);
    bad.expect_code(0);
    assert!(
        bad.stdout
            .contains("bad.md:3:9: warning: `effectve` is not a status"),
        "{}",
        bad.stdout
    );
}

#[test]
fn headings_get_unique_stable_anchors() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        format!("{}\n## Purpose\n\n## Scope & Purpose\n\n## Scope: Purpose\n\n## Scope Purpose\n\n## 手順\n\n## ☐ ☒\n\n## ★\n", sop("SOP-001", "A")),
    );
    env.run(&["render"]).expect_code(0);
    let html = env.read("drafts/SOP-001/SOP-001-working-copy.html");
    let main = &html[html.find("<main>").expect("main")..];
    let ids: Vec<&str> = main
        .match_indices("<h2 id=\"")
        .map(|(i, _)| &main[i + 8..i + 8 + main[i + 8..].find('"').unwrap_or(0)])
        .collect();
    assert_eq!(
        ids,
        [
            "purpose",
            "purpose-1",
            "scope--purpose",
            "scope-purpose",
            "scope-purpose-1",
            "手順",
            "-",
            "section"
        ]
    );
    env.run(&["render"]).expect_code(0);
    assert_eq!(
        env.read("drafts/SOP-001/SOP-001-working-copy.html"),
        html,
        "stable from run to run"
    );
}

// See: cases/README.md B25 — images relative to the document, outside the repository, remote.
#[test]
fn b25_images_resolve_from_the_document_and_nothing_outside_is_read() {
    let env = TestEnv::repo();
    for rel in [
        "sops/area-2/SOP-025.md",
        "sops/area-2/img/small-120x80.png",
        "sops/area-2/img/tall-300x5000.png",
        "assets/wide-4000x300.png",
    ] {
        env.write(rel, fixture(&format!("cases/B25-images/{rel}")));
    }
    let mut outputs = Vec::new();
    for dir in [env.root.clone(), env.path("sops/area-2")] {
        let run = env.run_in(
            &dir,
            &[
                "render",
                "SOP-TEST-25",
                "-o",
                env.path("out").to_str().unwrap_or("out"),
            ],
            &[],
        );
        run.expect_code(1);
        assert!(run.stdout.contains("SOP-025.md:27:1: error: the image `../../../../../../etc/hostname` is outside the repository"), "{}", run.stdout);
        assert!(
            run.stdout.contains(
                "SOP-025.md:23:1: warning: the image `img/does-not-exist.png` does not exist"
            ),
            "{}",
            run.stdout
        );
        assert!(
            run.stdout.contains(
                "SOP-025.md:31:1: warning: the image `https://example.com/figure.png` is on the web"
            ),
            "{}",
            run.stdout
        );
        outputs.push(env.read("out/drafts/SOP-TEST-25/SOP-TEST-25-working-copy.html"));
    }
    assert_eq!(
        outputs[0], outputs[1],
        "the same page from any working directory"
    );
    let html = &outputs[0];
    assert_eq!(html.matches("<img src=\"data:image/png;base64,").count(), 3);
    assert!(
        html.contains("[image: missing figure]")
            && html.contains("[image: outside]")
            && html.contains("[image: remote]")
    );
}

// See: cases/README.md B02 — code blocks are kept byte for byte, tabs included.
#[test]
fn b02_code_block_text_is_byte_identical() {
    let env = TestEnv::new();
    env.write("b02.md", fixture("cases/B02-long-code-block.md"));
    env.run(&["render", "b02.md", "-o", "."]).expect_code(0);
    let html = env.read("b02.html");
    let source = String::from_utf8(fixture("cases/B02-long-code-block.md")).expect("utf-8");
    let start = source.find("```").expect("fence");
    let code_start = source[start..].find('\n').expect("line") + start + 1;
    let code_end = source[code_start..].find("```").expect("close") + code_start;
    let code = &source[code_start..code_end];
    let escaped = code
        .replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;");
    assert!(html.contains(&escaped), "code block not byte-identical");
    assert!(code.contains('\t'));
}

// See: cases/README.md B05 — lists nested eight levels.
#[test]
fn b05_deep_lists_nest_in_html() {
    let env = TestEnv::new();
    env.write("b05.md", fixture("cases/B05-deep-nested-list.md"));
    env.run(&["render", "b05.md", "-o", "."]).expect_code(0);
    let html = env.read("b05.html");
    let mut depth = 0;
    let mut deepest = 0;
    for (i, _) in html.match_indices('<') {
        if html[i..].starts_with("<ul") {
            depth += 1;
            deepest = deepest.max(depth);
        } else if html[i..].starts_with("</ul>") {
            depth -= 1;
        }
    }
    assert_eq!(deepest, 8);
    assert!(html.contains("<span class=\"task-box\" role=\"img\" aria-label=\"done\">☒</span>"));
}

// See: cases/README.md B13 — rules and headings in the body.
#[test]
fn b13_rules_headings_and_yaml_code_in_html() {
    let env = TestEnv::new();
    env.write("b13.md", fixture("cases/B13-body-thematic-breaks.md"));
    env.run(&["render", "b13.md", "-o", "."]).expect_code(0);
    let html = env.read("b13.html");
    let main = &html[html.find("<main>").expect("main")..];
    assert_eq!(main.matches("<hr>").count(), 2);
    assert!(
        main.contains("<h3 id=\"small-spills\">Small spills</h3>")
            && main.contains("<h3 id=\"large-spills\">Large spills</h3>")
    );
    assert!(main.contains("<pre><code class=\"language-yaml\">---\nkit: spill-kit-B\nversion: &quot;9.9&quot;\n---\n</code></pre>"));
    assert!(main.contains("<h2 id=\"setext-heading-that-must-stay-a-heading\">"));
}

// See: cases/README.md B09 — no-break spaces and soft hyphens are kept.
#[test]
fn b09_special_spaces_are_kept() {
    let env = TestEnv::new();
    env.write("b09.md", fixture("cases/B09-nbsp-shy.md"));
    env.run(&["render", "b09.md", "-o", "."]).expect_code(0);
    let html = env.read("b09.html");
    assert!(html.contains("10\u{a0}mg") && html.contains('\u{202f}') && html.contains('\u{ad}'));
}

#[test]
fn a_link_to_another_sop_file_goes_to_its_page_on_the_site() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        format!(
            "{}\nSee [the storage SOP](sub/b.md#scope) and [the form](forms/f.pdf).\n",
            sop("SOP-001", "A")
        ),
    );
    env.write("sops/sub/b.md", sop("SOP-002", "B"));
    env.write("sops/forms/f.pdf", "%PDF-1.4\n");
    env.commit("two");
    env.run(&["release", "SOP-001", "-m", "First"])
        .expect_code(0);
    env.run(&["release", "SOP-002", "-m", "First"])
        .expect_code(0);
    env.run(&["publish"]).expect_code(0);
    let html = env.read("dist/SOP-001/1.0/SOP-001-v1.0.html");
    assert!(
        html.contains("<a href=\"../../SOP-002/index.html\">the storage SOP</a>"),
        "{}",
        &html[html.find("storage").unwrap_or(0).saturating_sub(80)..]
    );
    assert!(
        env.path("dist/SOP-002/index.html").is_file(),
        "the link resolves on the published site"
    );
    assert!(
        html.contains("<a href=\"forms/f.pdf\">the form</a>"),
        "other files keep their link as written"
    );
}

// Issue 13: in the HTML, an image that cannot be shown is its alt text (never a broken picture
// or a 2 GB page), and an SVG with a long prolog is embedded as the SVG it is.
#[test]
fn images_that_cannot_be_shown_are_their_alt_text_in_the_html() {
    let env = crate::harness::images::broken_images_repo();
    env.run(&["render", "--format", "html", "-o", "out"])
        .expect_code(0);
    let html = env.read("out/drafts/SOP-1/SOP-1-working-copy.html");
    let imgs: Vec<&str> = html
        .match_indices("<img src=\"data:")
        .map(|(i, _)| html[i + 15..].split(';').next().unwrap_or(""))
        .collect();
    assert_eq!(imgs, ["image/png", "image/svg+xml"]);
    for alt in crate::harness::images::UNSHOWN {
        assert!(
            html.contains(&format!(
                "<span class=\"image-missing\" role=\"img\" aria-label=\"{alt}\">[image: {alt}]</span>"
            )),
            "{alt}"
        );
    }
    assert!(
        html.len() < 100_000,
        "nothing large embedded: {} bytes",
        html.len()
    );
}

// Break-it trial (issue 13): an image inside a sentence or a table cell became its alt text in
// the PDF without a word.
#[test]
fn an_image_inside_text_is_named_where_the_pdf_shows_its_alt_text() {
    let env = TestEnv::repo();
    env.write("sops/img/ok.png", crate::harness::images::png(3, 2));
    env.write(
        "sops/a.md",
        format!(
            "{}\nStep ![inline](img/ok.png) here.\n\n| Step | Picture |\n| --- | --- |\n| 1 | ![cell](img/ok.png) |\n\n![alone](img/ok.png)\n",
            sop("SOP-1", "Alpha")
        ),
    );
    env.commit("Add");
    let run = env.run(&["render", "--format", "pdf"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "sops/a.md:15:6: warning: the image `img/ok.png` is inside a line of text (a sentence, a heading or a table cell), where the PDF shows its alt text (the HTML shows it); its alt text is shown instead: for the PDF to show it, put the image in a paragraph of its own\ndrafts/SOP-1/SOP-1-working-copy.pdf\n"
    );
    // The HTML shows all three.
    env.run(&["render", "--format", "html"]).expect_code(0);
    let html = env.read("drafts/SOP-1/SOP-1-working-copy.html");
    assert_eq!(html.matches("<img src=\"data:image/png;base64,").count(), 3);
}

// Issue 19 item 3: how deep the table of contents goes is a setting.
#[test]
fn toc_depth_sets_the_deepest_heading_the_contents_list() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        "---\nid: SOP-1\ntitle: Depth\nowner: QA\n---\n## Procedure\n\nText.\n\n### Cleaning the mixer\n\nMore.\n",
    );
    env.write(".gitignore", "out/\n");
    env.commit("Add");
    let contents = |env: &TestEnv| {
        env.run(&["render", "SOP-1", "-o", "out"]).expect_code(0);
        let pdf = crate::harness::pdf_pages(&env.path("out/drafts/SOP-1/SOP-1-working-copy.pdf"));
        let html = env.read("out/drafts/SOP-1/SOP-1-working-copy.html");
        let toc = html
            .split("<nav class=\"toc\"")
            .nth(1)
            .and_then(|t| t.split("</nav>").next())
            .unwrap_or_default()
            .to_string();
        (pdf[0].clone(), toc)
    };
    let (pdf, toc) = contents(&env);
    assert!(
        pdf.contains("Cleaning the mixer . ") || pdf.contains("Cleaning the mixer  "),
        "{pdf}"
    );
    assert!(toc.contains("Cleaning the mixer"), "{toc}");
    env.write("sopctl.toml", "toc_depth = 2\n");
    env.commit("Shallower contents");
    let (pdf, toc) = contents(&env);
    assert_eq!(
        pdf.matches("Cleaning the mixer").count(),
        1,
        "only the heading: {pdf}"
    );
    assert!(
        toc.contains("Procedure") && !toc.contains("Cleaning the mixer"),
        "{toc}"
    );
    env.write("sopctl.toml", "toc_depth = 9\n");
    let run = env.run(&["render", "SOP-1", "-o", "out"]);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("toc_depth 9 is not a heading level: use 1 to 6, e.g. toc_depth = 3"),
        "{}",
        run.stderr
    );
}

/// A working copy as released renders as its release did, approvals included: `render` with
/// nothing unreleased writes the record copies again byte for byte, and `verify` still finds
/// them genuine (the bundled example's releases carry an approval).
#[test]
fn a_working_copy_as_released_renders_the_record_copies_byte_for_byte() {
    let env = TestEnv::new();
    env.run(&["init", "--example", "demo"]).expect_code(0);
    let demo = env.path("demo");
    let pdf = demo.join("dist/SOP-IT-001/1.1/SOP-IT-001-v1.1.pdf");
    let html = demo.join("dist/SOP-IT-001/1.1/SOP-IT-001-v1.1.html");
    let before = (
        std::fs::read(&pdf).expect("pdf"),
        std::fs::read(&html).expect("html"),
    );
    let run = env.run_in(&demo, &["render"], &[]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "dist/SOP-IT-001/1.1/SOP-IT-001-v1.1.pdf\ndist/SOP-IT-001/1.1/SOP-IT-001-v1.1.html\n"
    );
    assert!(
        std::fs::read(&pdf).expect("pdf") == before.0,
        "the PDF changed"
    );
    assert!(
        std::fs::read(&html).expect("html") == before.1,
        "the HTML changed"
    );
    let verify = env.run_in(
        &demo,
        &["verify", "dist/SOP-IT-001/1.1/SOP-IT-001-v1.1.pdf"],
        &[],
    );
    verify.expect_code(0);
    assert!(verify.stdout.contains("genuine"), "{}", verify.stdout);
}
