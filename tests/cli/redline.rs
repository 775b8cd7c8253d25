//! The reviewer's redline (issue 18): the whole document with its changes marked, as PDF and
//! HTML; nothing a person wrote hidden; moves reported as moves.

use std::path::Path;

use crate::diff::pair;
use crate::harness::{TestEnv, fixture, pdf_pages};

/// The example repository (releases 1.0 and 1.1) and the PDF redline of 1.1 against 1.0,
/// made with `extra` arguments.
fn example_redline(extra: &[&str]) -> (TestEnv, Vec<String>) {
    let env = TestEnv::new();
    env.run(&["init", "--example", "demo"]).expect_code(0);
    let demo = env.path("demo");
    let mut args = vec!["diff", "1.0", "1.1", "--format", "pdf", "-o", "redline.pdf"];
    args.extend(extra);
    let run = env.run_in(&demo, &args, &[]);
    run.expect_code(0);
    assert_eq!(run.stderr, "wrote redline.pdf\n");
    let pages = pdf_pages(&demo.join("redline.pdf"));
    (env, pages)
}

/// Text with its runs of white space as single spaces.
fn squeezed(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn the_example_redline_pdf_sums_up_then_shows_the_whole_document_marked_in_reading_order() {
    let (_env, pages) = example_redline(&[]);
    let first = squeezed(&pages[0]);
    for expected in [
        "Verifying Claude.ai Privacy Settings",
        "Redline 1.0 → 1.1, for review only",
        "A redline is for review: work to the released copy of a version, not to this document.",
        "Changes from version 1.0 to version 1.1",
        "Version 1.0 1.1",
        "Status effective (as released) effective (as released)",
        "Changed by: Alex Example",
        "What changed: 2 sections changed, 1 added, 0 removed, 1 moved; 47 words inserted, 2 words deleted.",
        "How to read it: inserted text underlined; deleted text struck through; moved away struck twice; moved here underlined twice; a bar in the left margin marks each line with a change.",
    ] {
        assert!(
            first.contains(expected),
            "page 1 lacks {expected:?}:\n{first}"
        );
    }
    let all = squeezed(&pages.concat());
    // Deleted words first, then the inserted ones, where they stand in the text.
    assert!(all.contains("Estimated Time: 2-3 3-5 minutes"), "{all}");
    assert!(
        all.contains("4. The setting saves automatically (no save button required) 5. Take a screenshot of the Privacy page showing the setting and file it with your records Visual Confirmation:"),
        "{all}"
    );
    // Unchanged text is there too: the whole document.
    assert!(all.contains("Step 1: Log Into Claude.ai 1. Open your web browser"));
    let faq = all
        .find("Q: I use Claude through my company's Enterprise plan.")
        .expect("the added question");
    let before = all
        .find("Q: What if I don't see the")
        .expect("the question before");
    assert!(before < faq, "the added question is where 1.1 has it");
}

/// Page images (`pdftoppm -r 100`, PPM) of a PDF: width, height and RGB bytes per page.
pub(crate) fn page_images(pdf: &Path) -> Vec<(usize, usize, Vec<u8>)> {
    let dir = pdf.with_extension("pages");
    std::fs::create_dir_all(&dir).expect("dir");
    let status = std::process::Command::new("pdftoppm")
        .args(["-r", "100"])
        .arg(pdf)
        .arg(dir.join("p"))
        .status()
        .expect("pdftoppm (poppler-utils) is installed");
    assert!(status.success());
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .expect("pages")
        .map(|e| e.expect("entry").path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            let bytes = std::fs::read(f).expect("ppm");
            // P6\n<width> <height>\n255\n<pixels>
            let mut fields = Vec::new();
            let mut at = 0;
            while fields.len() < 4 {
                let start = at;
                while !bytes[at].is_ascii_whitespace() {
                    at += 1;
                }
                fields.push(String::from_utf8_lossy(&bytes[start..at]).into_owned());
                at += 1;
            }
            assert_eq!(fields[0], "P6");
            let (w, h) = (fields[1].parse().expect("w"), fields[2].parse().expect("h"));
            (w, h, bytes[at..].to_vec())
        })
        .collect()
}

// The colours a redline draws changed text in (`Rgb::INSERTED`, `DELETED`, `MOVED`).
const MARKED: [[u8; 3]; 3] = [[0, 69, 204], [204, 0, 0], [0, 128, 51]];

#[test]
fn change_bars_stand_beside_the_changed_lines_and_nowhere_else() {
    let (env, _) = example_redline(&[]);
    let pages = page_images(&env.path("demo/redline.pdf"));
    // At 100 dpi on A4: the text starts 20 mm (79 px) from the left edge; the bar is drawn
    // 9 pt to its left, in the margin, where nothing else is.
    let (bar_from, bar_to, text_from) = (60, 74, 79);
    let (mut bars_seen, mut marked_seen) = (0, 0);
    for (n, (w, h, px)) in pages.iter().enumerate() {
        let at = |x: usize, y: usize| {
            let i = (y * w + x) * 3;
            [px[i], px[i + 1], px[i + 2]]
        };
        let bar: Vec<bool> = (0..*h)
            .map(|y| (bar_from..bar_to).any(|x| at(x, y).iter().all(|c| *c < 90)))
            .collect();
        let marked: Vec<bool> = (0..*h)
            .map(|y| {
                (text_from..*w - 79).any(|x| {
                    let p = at(x, y);
                    MARKED
                        .iter()
                        .any(|m| m.iter().zip(p).all(|(a, b)| a.abs_diff(b) <= 20))
                })
            })
            .collect();
        let near = |rows: &[bool], y: usize, d: usize| {
            (y.saturating_sub(d)..(y + d + 1).min(*h)).any(|r| rows[r])
        };
        // The legend on the first page shows the marks but is not a change: no bar beside it.
        let mut marked = marked;
        if n == 0 {
            let first = marked.iter().position(|m| *m).expect("the legend");
            for y in first..(first + 40).min(*h) {
                assert!(!bar[y], "a change bar beside the legend at row {y}");
                marked[y] = false;
            }
        }
        for y in 0..*h {
            if marked[y] {
                marked_seen += 1;
                assert!(
                    near(&bar, y, 2),
                    "page {}: changed text at row {y} has no change bar beside it",
                    n + 1
                );
            }
            if bar[y] {
                bars_seen += 1;
                assert!(
                    near(&marked, y, 12),
                    "page {}: a change bar at row {y} stands beside no changed text",
                    n + 1
                );
            }
        }
    }
    assert!(
        bars_seen > 100 && marked_seen > 50,
        "{bars_seen} {marked_seen}"
    );
}

#[test]
fn context_shows_only_the_changed_sections_and_their_neighbours() {
    let (_env, whole) = example_redline(&[]);
    let (_env, pages) = example_redline(&["--context", "0"]);
    let all = squeezed(&pages.concat());
    assert!(pages.len() < whole.len(), "{} pages", pages.len());
    assert!(all.contains("Estimated Time: 2-3 3-5 minutes"));
    assert!(!all.contains("1. Open your web browser"), "{all}");
    assert!(
        all.contains("[2 unchanged sections not shown: Purpose, Overview] Prerequisites")
            // A section shown keeps the headings above it.
            && all.contains("Step-by-Step Instructions [4 unchanged sections not shown: Step 1: Log Into Claude.ai, Step 2: Access Settings, Step 3: Navigate to Privacy Settings, Step 4: Locate the Model Training Setting]")
            && all.contains("Frequently Asked Questions [4 unchanged sections not shown: Q: Does this affect"),
        "{all}"
    );
    // Next comes Step 5, after nothing but a page's footer and the next one's header.
    let left_out = "Step 4: Locate the Model Training Setting]";
    let after = &all[all.find(left_out).expect("listed") + left_out.len()..];
    let next = after
        .find("Step 5: Verify or Change the Setting")
        .expect("step 5");
    let between = after[..next].trim();
    assert!(
        between.is_empty()
            || (between.starts_with("Redline 1.0 → 1.1, for review only")
                && between.ends_with("Version 1.0 → 1.1")),
        "{between}"
    );
}

#[test]
fn context_is_for_the_pdf_and_html_redline_only() {
    let (env, _) = example_redline(&[]);
    let run = env.run_in(
        &env.path("demo"),
        &["diff", "1.0", "1.1", "--context", "1"],
        &[],
    );
    run.expect_code(2);
    assert_eq!(
        run.stderr,
        "error: --context shapes the PDF and HTML redline only\nhint: add --format pdf or --format html, or leave out --context\n"
    );
}

const HISTORY_V1: &str = "---\nid: SOP-1\ntitle: Line clearance\nowner: QA\nstatus: effective\napprovers: [QA Manager]\n---\n## Procedure\n\nClear the line.\n\n## Revision history\n\n| Version | Date | Changes | Author |\n|---|---|---|---|\n| 1.0 | 2026-01-01 | First | Dana |\n";

#[test]
fn a_paragraph_typed_below_the_revision_table_is_shown_as_text() {
    let v2 = HISTORY_V1.to_string()
        + "| 1.1 | 2026-02-01 | Second | Dana |\n\nVersion 1.0 was also signed on paper, kept in binder 4.\n";
    let env = pair(HISTORY_V1.as_bytes(), v2.as_bytes());
    let run = env.run(&["diff", "1.0", "1.1"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "SOP-1: 1.0 → 1.1\n  revision history updated\n\nRevision history\n  + {+Version 1.0 was also signed on paper, kept in binder 4.+}\n\n1 section changed, 0 added, 0 removed, 0 moved; 11 words inserted, 0 words deleted\n"
    );
    env.run(&["diff", "1.0", "1.1", "--format", "pdf", "-o", "r.pdf"])
        .expect_code(0);
    let text = squeezed(&pdf_pages(&env.path("r.pdf")).concat());
    assert!(
        text.contains(
            "1.1 2026-02-01 Second Dana Version 1.0 was also signed on paper, kept in binder 4."
        ),
        "{text}"
    );
}

#[test]
fn front_matter_a_person_writes_is_shown_as_metadata_changes_at_the_top() {
    let v2 = HISTORY_V1
        .replace(
            "approvers: [QA Manager]\n",
            "approvers: [QA Manager, Site Director]\naudience: [Operators]\n",
        )
        .replace("owner: QA\n", "owner: Quality Assurance\n");
    let env = pair(HISTORY_V1.as_bytes(), v2.as_bytes());
    let run = env.run(&["diff", "1.0", "1.1"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "SOP-1: 1.0 → 1.1\n  owner QA → Quality Assurance, approvers QA Manager → QA Manager, Site Director, audience (none) → Operators\n\nno change to the text (line breaks and spacing are not changes)\n"
    );
    let json = env.run(&["diff", "1.0", "1.1", "--format", "json", "-o", "-"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(value["managed"][1]["what"], "approvers");
    assert_eq!(value["managed"][1]["to"], "QA Manager, Site Director");
    env.run(&["diff", "1.0", "1.1", "--format", "pdf", "-o", "r.pdf"])
        .expect_code(0);
    let first = squeezed(&pdf_pages(&env.path("r.pdf"))[0]);
    assert!(
        first.contains("Front matter changed: Value Before After owner QA Quality Assurance approvers QA Manager QA Manager, Site Director audience — Operators"),
        "{first}"
    );
}

#[test]
fn a_paragraph_moved_to_another_section_is_reported_moved_with_its_edits() {
    let v1 = "---\nid: SOP-1\ntitle: T\nowner: QA\n---\n## Preparation\n\nWear gloves when you handle the sample tubes.\n\nSwitch on the centrifuge.\n\n## Procedure\n\nLoad the rotor.\n";
    let v2 = "---\nid: SOP-1\ntitle: T\nowner: QA\n---\n## Preparation\n\nSwitch on the centrifuge.\n\n## Procedure\n\nLoad the rotor.\n\nWear nitrile gloves when you handle the sample tubes.\n";
    let env = pair(v1.as_bytes(), v2.as_bytes());
    let run = env.run(&["diff", "1.0", "1.1"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "SOP-1: 1.0 → 1.1\n\nProcedure\n  > Wear {+nitrile +}gloves when you handle the sample tubes.\n    (moved from Preparation)\n\n1 section changed, 0 added, 0 removed, 0 moved; 1 word inserted, 0 words deleted; 1 passage moved\n"
    );
    env.run(&["diff", "1.0", "1.1", "--format", "html", "-o", "r.html"])
        .expect_code(0);
    let html = env.read("r.html");
    assert!(
        html.contains("<del class=\"rl rl-moved-from rl-block\">\n<p>Wear gloves when you handle the sample tubes.</p>\n</del>"),
        "{html}"
    );
    assert!(
        html.contains("<ins class=\"rl rl-moved-to rl-block\">\n<p>Wear <ins class=\"rl rl-inserted\">nitrile </ins>gloves when you handle the sample tubes.</p>\n</ins>"),
        "{html}"
    );
}

#[test]
fn b37_redline_numbers_the_steps_as_the_later_version_does() {
    let env = pair(&fixture("cases/B37-v1.md"), &fixture("cases/B37-v2.md"));
    env.run(&["diff", "1.0", "1.1", "--format", "pdf", "-o", "r.pdf"])
        .expect_code(0);
    let text = squeezed(&pdf_pages(&env.path("r.pdf")).concat());
    assert!(
        text.contains("3. Lock out the feed pump. 4."),
        "one step inserted, the next renumbered without a mark: {text}"
    );
}

/// A front matter and `body`, as a released file.
fn doc(body: &str) -> String {
    format!("---\nid: SOP-1\ntitle: T\nowner: QA\nstatus: effective\n---\n{body}")
}

// Found by a break-it trial: a word changed inside a code block, or a table that gained a
// column, sent the redline into endless recursion (a stack overflow that also stopped
// `publish`); changes to formatting, a link's target, an image, a footnote or a heading's level
// were reported as no change (and `--exit-code` said 0).
#[test]
fn every_change_a_reader_sees_is_reported_and_drawn() {
    let cases: [(&str, &str, &str); 7] = [
        (
            "# C\n\n```\na b c\nline two\n```\n",
            "# C\n\n```\na d c\nline two\n```\n",
            "C\n  ~ a [-b-]{+d+} c\n",
        ),
        (
            "# C\n\n| A | B |\n|---|---|\n| x | y |\n",
            "# C\n\n| A | B | C |\n|---|---|---|\n| x | y | n |\n",
            "C\n  ~ A | B{+ | C+}\n  ~ x | y{+ | n+}\n",
        ),
        (
            "# C\n\nTurn the knob.\n",
            "# C\n\nTurn the **knob**.\n",
            "C\n  ~ Turn the {+**+}knob{+**+}.\n",
        ),
        (
            "# C\n\nSee [the manual](https://example.org/old).\n",
            "# C\n\nSee [the manual](https://example.org/new).\n",
            "C\n  ~ See [the manual](https://example.org/[-old-]{+new+}).\n",
        ),
        (
            "# C\n\nDone.[^a]\n\n[^a]: Write it in the old log.\n",
            "# C\n\nDone.[^a]\n\n[^a]: Write it in the new log.\n",
            "Footnotes\n  ~ [^a]: Write it in the [-old-]{+new+} log.\n",
        ),
        (
            "# C\n\n## Level\n\nText.\n",
            "# C\n\n### Level\n\nText.\n",
            "C › Level\n  ~ [-## -]{+### +}Level\n",
        ),
        (
            "# C\n\n![Dot](red.png)\n",
            "# C\n\n![Dot](blue.png)\n",
            "C\n  ~ ![Dot]([-red.png-]{+blue.png+})\n",
        ),
    ];
    for (v1, v2, expected) in cases {
        let env = pair(doc(v1).as_bytes(), doc(v2).as_bytes());
        let run = env.run(&["diff", "1.0", "1.1", "--exit-code"]);
        run.expect_code(1);
        assert!(run.stdout.contains(expected), "{v2}\n{}", run.stdout);
        for format in ["pdf", "html"] {
            env.run(&[
                "diff",
                "1.0",
                "1.1",
                "--format",
                format,
                "-o",
                &format!("r.{format}"),
            ])
            .expect_code(0);
        }
    }
}

#[test]
fn a_code_block_is_compared_line_by_line_in_the_redline() {
    let env = pair(
        doc("# C\n\n```\nkeep one\nold two\nkeep three\n```\n").as_bytes(),
        doc("# C\n\n```\nkeep one\nnew two\nkeep three\n```\n").as_bytes(),
    );
    env.run(&["diff", "1.0", "1.1", "--format", "html", "-o", "r.html"])
        .expect_code(0);
    let html = env.read("r.html");
    assert!(
        html.contains("<pre><code>keep one\n</code></pre>\n<del class=\"rl rl-deleted rl-block\">\n<pre><code>old two\n</code></pre>\n</del>\n<ins class=\"rl rl-inserted rl-block\">\n<pre><code>new two\n</code></pre>\n</ins>\n<pre><code>keep three\n</code></pre>"),
        "{html}"
    );
}

#[test]
fn an_earlier_revision_history_row_edited_is_shown_not_summed_up() {
    let v2 = HISTORY_V1.replace(
        "| 1.0 | 2026-01-01 | First | Dana |\n",
        "| 1.0 | 2025-05-05 | Forged entry | Mallory |\n| 1.1 | 2026-02-01 | Second | Dana |\n",
    );
    let env = pair(HISTORY_V1.as_bytes(), v2.as_bytes());
    let run = env.run(&["diff", "1.0", "1.1"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "SOP-1: 1.0 → 1.1\n  revision history updated\n\nRevision history\n  ~ 1.0 | [-2026-01-01 | First | Dana-]{+2025-05-05 | Forged entry | Mallory+}\n\n1 section changed, 0 added, 0 removed, 0 moved; 6 words inserted, 5 words deleted\n"
    );
    env.run(&["diff", "1.0", "1.1", "--format", "html", "-o", "r.html"])
        .expect_code(0);
    let html = env.read("r.html");
    assert!(
        html.contains("<del class=\"rl rl-deleted\">First</del>"),
        "{html}"
    );
    // The row release added is not marked.
    assert!(
        html.contains("<tr><td><span class=\"nowrap\">1.1</span></td><td><span class=\"nowrap\">2026-02-01</span></td><td>Second</td><td>Dana</td></tr>"),
        "{html}"
    );
}

/// The `<main>` of an HTML redline, without its summary.
fn body_of(html: &str) -> String {
    let main = html.split("</section>\n").nth(1).unwrap_or(html);
    main.split("</main>").next().unwrap_or(main).to_string()
}

// Found by a second break-it trial: sections are aligned by their headings before their
// blocks are compared, so a paragraph added to one section is not drawn inside the section
// deleted after it, and a paragraph moved into a renamed section is a move.
#[test]
fn the_redline_compares_section_by_section() {
    let env = pair(
        doc("## S3\n\nStays three.\n\n## S4\n\nDoomed section text.\n\n## S5\n\nStays five.\n")
            .as_bytes(),
        doc("## S3\n\nStays three.\n\nNew last paragraph of S3.\n\n## S5\n\nStays five.\n")
            .as_bytes(),
    );
    env.run(&["diff", "1.0", "1.1", "--format", "html", "-o", "r.html"])
        .expect_code(0);
    assert_eq!(
        body_of(&env.read("r.html")),
        "<h2 id=\"s3\">S3</h2>\n<p>Stays three.</p>\n<ins class=\"rl rl-inserted rl-block\">\n<p>New last paragraph of S3.</p>\n</ins>\n<h2 id=\"was-s4\"><del class=\"rl rl-deleted\">S4</del></h2>\n<del class=\"rl rl-deleted rl-block\">\n<p>Doomed section text.</p>\n</del>\n<h2 id=\"s5\">S5</h2>\n<p>Stays five.</p>\n"
    );
    let env = pair(
        doc("## Alpha\n\nKeep this paragraph here.\n\nMove me to the other section please.\n\n## Beta\n\nBeta body text.\n").as_bytes(),
        doc("## Alpha\n\nKeep this paragraph here.\n\n## Gamma\n\nBeta body text.\n\nMove me to the other section please.\n").as_bytes(),
    );
    env.run(&["diff", "1.0", "1.1", "--format", "html", "-o", "r.html"])
        .expect_code(0);
    assert_eq!(
        body_of(&env.read("r.html")),
        "<h2 id=\"alpha\">Alpha</h2>\n<p>Keep this paragraph here.</p>\n<del class=\"rl rl-moved-from rl-block\">\n<p>Move me to the other section please.</p>\n</del>\n<h2 id=\"gamma\"><del class=\"rl rl-deleted\">Beta</del>\u{2009}<ins class=\"rl rl-inserted\">Gamma</ins></h2>\n<p>Beta body text.</p>\n<ins class=\"rl rl-moved-to rl-block\">\n<p>Move me to the other section please.</p>\n</ins>\n"
    );
}

#[test]
fn a_revision_history_row_typed_in_by_hand_is_a_change_and_a_row_taken_out_stays_in_place() {
    let v1 = HISTORY_V1.replace(
        "| 1.0 | 2026-01-01 | First | Dana |\n",
        "| 0.9 | 2025-12-01 | Draft | Dana |\n| 1.0 | 2026-01-01 | First | Dana |\n",
    );
    let v2 = HISTORY_V1.replace(
        "| 1.0 | 2026-01-01 | First | Dana |\n",
        "| 0.95 | 2025-12-15 | Fake middle | Zed |\n| 1.0 | 2026-01-01 | First | Dana |\n| 1.1 | 2026-02-01 | Second | Dana |\n",
    );
    let env = pair(v1.as_bytes(), v2.as_bytes());
    let run = env.run(&["diff", "1.0", "1.1"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "SOP-1: 1.0 → 1.1\n  revision history updated\n\nRevision history\n  - [-0.9 | 2025-12-01 | Draft | Dana-]\n  + {+0.95 | 2025-12-15 | Fake middle | Zed+}\n\n1 section changed, 0 added, 0 removed, 0 moved; 7 words inserted, 6 words deleted\n"
    );
    env.run(&["diff", "1.0", "1.1", "--format", "html", "-o", "r.html"])
        .expect_code(0);
    let html = env.read("r.html");
    assert!(
        html.contains("<tbody>\n<tr><td><ins class=\"rl rl-inserted\"><span class=\"nowrap\">0.95</span></ins></td><td><ins class=\"rl rl-inserted\"><span class=\"nowrap\">2025-12-15</span></ins></td><td><ins class=\"rl rl-inserted\">Fake middle</ins></td><td><ins class=\"rl rl-inserted\">Zed</ins></td></tr>\n<tr><td><del class=\"rl rl-deleted\"><span class=\"nowrap\">0.9</span></del></td><td><del class=\"rl rl-deleted\"><span class=\"nowrap\">2025-12-01</span></del></td><td><del class=\"rl rl-deleted\">Draft</del></td><td><del class=\"rl rl-deleted\">Dana</del></td></tr>\n<tr><td><span class=\"nowrap\">1.0</span></td><td><span class=\"nowrap\">2026-01-01</span></td><td>First</td><td>Dana</td></tr>\n<tr><td><span class=\"nowrap\">1.1</span></td><td><span class=\"nowrap\">2026-02-01</span></td><td>Second</td><td>Dana</td></tr>\n</tbody>"),
        "{html}"
    );
}

#[test]
fn escaped_markup_a_code_language_and_titles_are_changes() {
    for (v1, v2, expected) in [
        (
            "A \\*star\\* word.\n",
            "A *star* word.\n",
            "  ~ A [-*-]star[-*-] word.\n",
        ),
        (
            "```\nx = 1\n```\n",
            "```python\nx = 1\n```\n",
            "  ~ ```{+python+}\n",
        ),
        (
            "See [it](https://example.org \"Old\").\n",
            "See [it](https://example.org \"New\").\n",
            "  ~ See [it](https://example.org \"[-Old-]{+New+}\").\n",
        ),
    ] {
        let env = pair(doc(v1).as_bytes(), doc(v2).as_bytes());
        let run = env.run(&["diff", "1.0", "1.1", "--exit-code"]);
        run.expect_code(1);
        assert!(run.stdout.contains(expected), "{v2}\n{}", run.stdout);
    }
}
