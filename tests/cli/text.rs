//! What people type is shown as text, never as markup (issue 13): release summaries, approvers'
//! names and roles, in the revision-history table, the PDF, the HTML, the site and `log`. After
//! each release `check` passes and the next release works.

use crate::harness::{TestEnv, json_column, sop};

/// Summaries that were once written into the table as Markdown and broke the document.
const HOSTILE: [&str; 7] = [
    "[x](javascript:alert(1))",
    "![i](../../etc/passwd)",
    "a | b",
    "<b>bold</b> &amp;",
    "two\nlines",
    r"C:\temp\ and \| and \\",
    "*e* _e_ `c` www.example.org",
];

/// `text` without any white space: the PDF wraps a table cell wherever it likes.
fn squeezed(text: &str) -> String {
    text.chars().filter(|c| !c.is_whitespace()).collect()
}

fn pdftotext(path: &std::path::Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// HTML with the character references the writer and the templates use turned back into
/// characters (minijinja also escapes `/`).
fn unescaped(html: &str) -> String {
    html.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&amp;", "&")
}

/// `check` finds nothing at all after a release that wrote `typed` into the table.
#[track_caller]
fn check_passes(env: &TestEnv, typed: &str) {
    let check = env.run(&["check"]);
    assert_eq!(
        (check.code, check.stdout.as_str()),
        (0, ""),
        "after writing {typed:?}: {}",
        check.stderr
    );
}

/// The page has no image and no link other than to its own headings.
#[track_caller]
fn no_images_or_links_out(html: &str) {
    assert!(!html.contains("<img"), "{html}");
    assert_eq!(
        html.matches("<a href=\"").count(),
        html.matches("<a href=\"#").count(),
        "{html}"
    );
}

#[test]
fn summaries_with_markup_are_written_as_text_and_every_later_release_works() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    env.run(&["release", "-m", "First", "--no-render"])
        .expect_code(0);
    for (n, summary) in HOSTILE.iter().enumerate() {
        let text = env.read("sops/a.md");
        let step = format!("## Purpose\n\nStep {n}.\n\n");
        env.write("sops/a.md", text.replacen("## Purpose\n\n", &step, 1));
        env.commit(&format!("Edit {n}"));
        let release = env.run(&["release", "--minor", "-m", summary, "--no-render"]);
        release.expect_code(0);
        check_passes(&env, summary);
    }
    let table = env.read("sops/a.md");
    assert!(
        table.ends_with(concat!(
            "| 1.1 | 2026-01-15 | \\[x\\](javascript:alert(1)) | Test Owner |\n",
            "| 1.2 | 2026-01-15 | !\\[i\\](../../etc/passwd) | Test Owner |\n",
            "| 1.3 | 2026-01-15 | a \\| b | Test Owner |\n",
            "| 1.4 | 2026-01-15 | \\<b>bold\\</b> \\&amp; | Test Owner |\n",
            "| 1.5 | 2026-01-15 | two lines | Test Owner |\n",
            "| 1.6 | 2026-01-15 | C:\\\\temp\\\\ and \\\\\\| and \\\\\\\\ | Test Owner |\n",
            "| 1.7 | 2026-01-15 | \\*e\\* \\_e\\_ \\`c\\` www\\.example.org | Test Owner |\n",
        )),
        "{table}"
    );
    let log = env.run(&["log", "--json"]);
    log.expect_code(0);
    let mut expected = vec!["First".to_string()];
    expected.extend(HOSTILE.iter().map(|s| s.replace('\n', " ")));
    assert_eq!(json_column(&log.stdout, "summary"), expected);

    // The terminal shows a control character, never obeys it.
    let text = env.read("sops/a.md");
    env.write("sops/a.md", text.replacen("Why.", "Why not.", 1));
    env.commit("Edit again");
    env.run(&["release", "--minor", "-m", "a\u{1b}[2Jb", "--no-render"])
        .expect_code(0);
    let log = env.run(&["log"]);
    assert!(log.stdout.contains(" a\u{FFFD}[2Jb "), "{}", log.stdout);
    assert!(
        env.read("sops/a.md")
            .contains("| 1.8 | 2026-01-15 | a\u{FFFD}\\[2Jb | Test Owner |\n")
    );
    env.run(&["check"]).expect_code(0);

    env.run(&["render", "-o", "out"]).expect_code(0);
    let pdf = squeezed(&pdftotext(&env.path("out/SOP-1/1.8/SOP-1-v1.8.pdf")));
    let html = env.read("out/SOP-1/1.8/SOP-1-v1.8.html");
    no_images_or_links_out(&html);
    assert!(!html.contains("<b>"), "{html}");
    let html = unescaped(&html);
    for summary in HOSTILE {
        assert!(pdf.contains(&squeezed(summary)), "{summary:?} in\n{pdf}");
        let cell = format!("<td>{}</td>", summary.replace('\n', " "));
        assert!(html.contains(&cell), "{cell} in\n{html}");
    }

    env.run(&["publish", "-o", "site"]).expect_code(0);
    let site = env.read("site/SOP-1/index.html");
    no_images_or_links_out(&site.replace("<a href=\"../", "<a href=\"#"));
    assert!(!site.contains("<b>"), "{site}");
    let site = unescaped(&site);
    for summary in HOSTILE {
        let cell = format!(
            "<td data-label=\"Changes\">{}</td>",
            summary.replace('\n', " ")
        );
        assert!(site.contains(&cell), "{cell} in\n{site}");
    }
}

#[test]
fn approvers_names_and_roles_with_markup_are_text_in_the_table_the_manifest_and_the_page() {
    let env = TestEnv::repo();
    let role = "QA *Lead* [x](javascript:alert(1))";
    env.write(
        "sops/a.md",
        sop("SOP-1", "Alpha").replacen(
            "review_interval: 1 year\n",
            &format!("review_interval: 1 year\napprovers: [\"{role}\"]\n"),
            1,
        ),
    );
    env.commit("Add SOP-1");
    let name = "Dana _Q_ ![i](../../etc/passwd)";
    let dana = [
        ("GIT_COMMITTER_NAME", name),
        ("GIT_COMMITTER_EMAIL", "dana@example.org"),
        ("GIT_AUTHOR_NAME", name),
        ("GIT_AUTHOR_EMAIL", "dana@example.org"),
    ];
    env.run_in(
        &env.root,
        &[
            "approve",
            "--role",
            role,
            "-m",
            "<b>ok</b> [y](javascript:x)",
        ],
        &dana,
    )
    .expect_code(0);
    env.run(&["release", "-m", "First"]).expect_code(0);
    check_passes(&env, name);
    let text = env.read("sops/a.md");
    assert!(
        text.ends_with(
            "| 1.0 | 2025-11-08 | First | Test Owner | Dana \\_Q\\_ !\\[i\\](../../etc/passwd) (QA \\*Lead\\* \\[x\\](javascript:alert(1))) |\n"
        ),
        "{text}"
    );
    let pdf = squeezed(&pdftotext(&env.path("dist/SOP-1/1.0/SOP-1-v1.0.pdf")));
    assert!(
        pdf.contains(&squeezed(&format!("{name} ({role})"))),
        "{pdf}"
    );
    assert!(
        pdf.contains(&squeezed(&format!("{name}{role}approved"))),
        "{pdf}"
    );
    let html = env.read("dist/SOP-1/1.0/SOP-1-v1.0.html");
    no_images_or_links_out(&html);
    assert!(
        unescaped(&html).contains(&format!(
            "<tr><td data-label=\"Name\">{name}</td><td data-label=\"Role\">{role}</td><td data-label=\"Meaning\">approved</td>"
        )),
        "{html}"
    );
}
