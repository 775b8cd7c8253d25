//! `sopctl diff`: documents compared as documents; field cases B22, B23, B24.

use crate::harness::{EXAMPLE_1_0, EXAMPLE_1_1, TestEnv, fixture};

/// A repository where `v1` is released as 1.0 and `v2` as 1.1 (tags made by git, the way other
/// tools make them), the file at the root.
pub(crate) fn pair(v1: &[u8], v2: &[u8]) -> TestEnv {
    let env = TestEnv::repo();
    env.git(&["config", "core.autocrlf", "false"]);
    env.write(
        "sopctl.toml",
        "docs = [\".\"]\ntag_format = \"v{version}\"\n",
    );
    env.write("SOP.md", v1);
    env.commit("1.0");
    env.git(&["tag", "-a", "v1.0.0", "-m", "Release 1.0"]);
    env.write("SOP.md", v2);
    env.commit("1.1");
    env.git(&["tag", "-a", "v1.1.0", "-m", "Release 1.1"]);
    env
}

fn text_diff(env: &TestEnv) -> String {
    let run = env.run(&["diff", "1.0", "1.1"]);
    run.expect_code(0);
    run.stdout
}

#[test]
fn the_example_edit_shows_word_by_word_under_its_section_path() {
    let env = TestEnv::new();
    env.run(&["init", "--example", "demo"]).expect_code(0);
    let demo = env.path("demo");
    let run = env.run_in(&demo, &["diff", "1.0", "1.1"], &[]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        format!(
            "SOP-IT-001: 1.0 → 1.1\n  version 1.0 → 1.1, effective {EXAMPLE_1_0} → {EXAMPLE_1_1}, revision history updated\n\n"
        ) + "Prerequisites\n  ~ Estimated Time: [-2-3-]{+3-5+} minutes\n\n\
         Step-by-Step Instructions › Step 5: Verify or Change the Setting\n  + {+5. Take a screenshot of the Privacy page showing the setting and file it with your records+}\n\n\
         Frequently Asked Questions › Q: I use Claude through my company's Enterprise plan. Do I need to do anything?  (added)\n  + {+Your organization's administrator manages this setting for everyone. Follow your company's data-handling policy, and ask your IT department if you are unsure whether it applies to you.+}\n\n\
         Document Revision History  (moved)\n\n\
         2 sections changed, 1 added, 0 removed, 1 moved; 47 words inserted, 2 words deleted\n"
    );
    // The unified patch applies to 1.0 and gives 1.1.
    let patch = env.run_in(&demo, &["diff", "1.0", "1.1", "--format", "unified"], &[]);
    patch.expect_code(0);
    std::fs::write(env.path("u.patch"), &patch.stdout).expect("patch");
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(&demo)
            .output()
            .expect("git");
        assert!(
            out.status.success(),
            "git {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    git(&[
        "checkout",
        "-q",
        "SOP-IT-001/v1.0.0",
        "--",
        "sops/privacy-settings-sop.md",
    ]);
    git(&["apply", env.path("u.patch").to_str().expect("path")]);
    assert_eq!(
        git(&["diff", "HEAD", "--stat"]),
        "",
        "applying the patch to 1.0 gives 1.1 exactly"
    );
    // JSON, HTML and --exit-code.
    let json = env.run_in(&demo, &["diff", "1.0", "1.1", "--format", "json"], &[]);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(v["counts"]["changed"], 2);
    assert_eq!(v["sections"][0]["path"][0], "Prerequisites");
    assert_eq!(
        v["sections"][0]["units"][0]["runs"][1],
        serde_json::json!({"kind": "delete", "text": "2-3"})
    );
    env.run_in(
        &demo,
        &[
            "diff",
            "1.0",
            "1.1",
            "--format",
            "html",
            "-o",
            "redline.html",
        ],
        &[],
    )
    .expect_code(0);
    let html = std::fs::read_to_string(demo.join("redline.html")).expect("html");
    // The whole document, its changes marked (issue 18 item 1).
    assert!(
        html.contains(
            "<del class=\"rl rl-deleted\">2-3</del>\u{2009}<ins class=\"rl rl-inserted\">3-5</ins>"
        ),
        "{html}"
    );
    assert!(html.contains(
        "<li><ins class=\"rl rl-inserted rl-block\">\nTake a screenshot of the Privacy page"
    ));
    assert!(
        html.contains("Step 1: Log Into Claude.ai"),
        "unchanged sections are shown"
    );
    env.run_in(&demo, &["diff", "1.0", "1.1", "--exit-code"], &[])
        .expect_code(1);
    env.run_in(&demo, &["diff", "1.1", "--exit-code"], &[])
        .expect_code(0);
}

#[test]
fn a_moved_section_is_reported_as_moved_with_its_edits() {
    let v1 = "---\nid: SOP-1\ntitle: T\nowner: QA\n---\n## Scope\n\nAll lines.\n\n## Cleaning\n\nWipe the belt.\n\n## Records\n\nSign the log.\n";
    let v2 = "---\nid: SOP-1\ntitle: T\nowner: QA\n---\n## Records\n\nSign the log daily.\n\n## Scope\n\nAll lines.\n\n## Cleaning\n\nWipe the belt.\n";
    let env = pair(v1.as_bytes(), v2.as_bytes());
    assert_eq!(
        text_diff(&env),
        "SOP-1: 1.0 → 1.1\n\nRecords  (moved)\n  ~ Sign the log{+ daily+}.\n\n0 sections changed, 0 added, 0 removed, 1 moved; 1 word inserted, 0 words deleted\n"
    );
}

#[test]
fn a_renamed_section_is_matched_by_its_content() {
    let v1 = "---\nid: SOP-1\ntitle: T\nowner: QA\n---\n## Cleaning\n\nWipe the belt with a damp cloth and dry it before the next shift starts.\n";
    let v2 = "---\nid: SOP-1\ntitle: T\nowner: QA\n---\n## Belt cleaning\n\nWipe the belt with a damp cloth and dry it before the next shift starts.\n";
    let env = pair(v1.as_bytes(), v2.as_bytes());
    let out = text_diff(&env);
    assert!(
        out.contains("Belt cleaning  (renamed from \"Cleaning\")"),
        "{out}"
    );
    assert!(
        !out.contains("(added)") && !out.contains("(removed)"),
        "{out}"
    );
}

// See: cases/README.md B22 — line endings, reflow, trailing spaces and hard breaks.
#[test]
fn b22_line_endings_reflow_and_hard_breaks() {
    let a = text_diff(&pair(
        &fixture("cases/B22a-v1-crlf.md"),
        &fixture("cases/B22a-v2-lf.md"),
    ));
    assert!(
        a.contains("line endings CRLF → LF (no change to the content)"),
        "{a}"
    );
    assert!(
        a.contains("{+nitrile +}") || a.contains("{+ nitrile+}") || a.contains("{+nitrile+}"),
        "{a}"
    );
    assert!(
        a.ends_with(
            "1 section changed, 0 added, 0 removed, 0 moved; 1 word inserted, 0 words deleted\n"
        ),
        "{a}"
    );

    let b = text_diff(&pair(
        &fixture("cases/B22b-v1-wrapped40.md"),
        &fixture("cases/B22b-v2-wrapped72.md"),
    ));
    assert!(b.contains("no change to the text"), "{b}");
    assert!(b.contains("version 1.0 → 1.1"), "{b}");

    let c = text_diff(&pair(
        &fixture("cases/B22b-v1-wrapped40.md"),
        &fixture("cases/B22c-v2-reflow-plus-one-word.md"),
    ));
    assert!(c.contains("[-30-]{+45+}"), "{c}");
    assert!(
        c.ends_with(
            "1 section changed, 0 added, 0 removed, 0 moved; 1 word inserted, 1 word deleted\n"
        ),
        "{c}"
    );

    let d = text_diff(&pair(
        &fixture("cases/B22b-v1-wrapped40.md"),
        &fixture("cases/B22d-v2-hard-break.md"),
    ));
    assert!(d.contains("⏎"), "a hard line break is a change: {d}");
}

// See: cases/README.md B24 — whole grapheme clusters are marked; NFC and NFD are no change.
#[test]
fn b24_grapheme_clusters_and_normalisation() {
    let out = text_diff(&pair(
        &fixture("cases/B24-v1.md"),
        &fixture("cases/B24-v2.md"),
    ));
    for (old, new) in [
        ("👩\u{200d}🔬", "👨\u{200d}🔬"),
        ("🇩🇪", "🇦🇹"),
        ("👍🏻", "👍🏿"),
        ("1️⃣", "2️⃣"),
    ] {
        assert!(
            out.contains(&format!("[-{old}-]{{+{new}+}}")),
            "{old} → {new} in:\n{out}"
        );
    }
    let composed: String = unicode_normalization::UnicodeNormalization::nfc(out.as_str()).collect();
    assert!(composed.contains("[-café-]{+cafè+}"), "{out}");
    assert!(!out.contains("[-\u{301}"), "never a lone combining mark");
    let nfc = text_diff(&pair(
        &fixture("cases/B24-nfc.md"),
        &fixture("cases/B24-nfd.md"),
    ));
    assert!(
        nfc.contains("no textual change (Unicode normalisation only)"),
        "{nfc}"
    );
}

// See: cases/README.md B23 — very large inputs finish and stay correct (no timing asserted).
#[test]
fn b23_large_inputs_give_the_exact_changes() {
    let env = TestEnv::new();
    env.script(
        "cases/B23-large-diff-gen.sh",
        &[&env.path("b23").display().to_string()],
    );
    for (name, expect) in [
        ("same", "[-checksum-]{+CHECKSUM+}"),
        ("oneline", "[-word51-]{+CHANGED+}"),
    ] {
        let v1 = std::fs::read(env.path(&format!("b23/{name}-a.md"))).expect("a");
        let v2 = std::fs::read(env.path(&format!("b23/{name}-b.md"))).expect("b");
        let p = pair(&v1, &v2);
        let out = text_diff(&p);
        assert!(
            out.contains(expect),
            "{name}: {}",
            &out[..out.len().min(400)]
        );
        assert!(
            out.contains("1 word inserted, 1 word deleted"),
            "{name}: {}",
            &out[..out.len().min(400)]
        );
        let patch = p.run(&["diff", "1.0", "1.1", "--format", "unified"]);
        assert!(patch.stdout.starts_with("--- a/SOP.md\n+++ b/SOP.md\n"));
    }
    let v1 = std::fs::read(env.path("b23/disjoint-a.md")).expect("a");
    let v2 = std::fs::read(env.path("b23/disjoint-b.md")).expect("b");
    let p = pair(&v1, &v2);
    let run = p.run(&["diff", "1.0", "1.1", "--format", "json"]);
    run.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(v["counts"]["changed"], 1);
}

/// A small deterministic generator (a linear congruential generator), so the property tests
/// are the same on every run.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((self.0 >> 33) as usize) % n.max(1)
    }
}

/// Applies a unified diff (as `sopctl diff --format unified` writes it) to `old`.
fn apply(old: &str, patch: &str) -> String {
    let lines: Vec<&str> = old.split_inclusive('\n').collect();
    let mut out = String::new();
    let mut at = 0usize;
    let mut patch_lines = patch.split_inclusive('\n').skip(2).peekable();
    while let Some(line) = patch_lines.next() {
        if let Some(rest) = line.strip_prefix("@@ -") {
            let start: usize = rest
                .split([',', ' '])
                .next()
                .and_then(|n| n.parse().ok())
                .expect("hunk start");
            let start = start.saturating_sub(1).max(at);
            while at < start {
                out.push_str(lines[at]);
                at += 1;
            }
            while let Some(l) = patch_lines.peek() {
                if l.starts_with("@@") {
                    break;
                }
                let l = patch_lines.next().expect("line");
                if l.starts_with("\\ No newline") {
                    if out.ends_with('\n') {
                        out.pop();
                    }
                    continue;
                }
                match l.as_bytes().first() {
                    Some(b' ') => {
                        out.push_str(lines[at]);
                        at += 1;
                    }
                    Some(b'-') => at += 1,
                    Some(b'+') => out.push_str(&l[1..]),
                    _ => {}
                }
            }
        }
    }
    while at < lines.len() {
        out.push_str(lines[at]);
        at += 1;
    }
    out
}

#[test]
fn property_the_unified_diff_applies_and_reflow_is_no_change() {
    let words = [
        "rinse", "the", "vessel", "with", "water", "for", "30", "minutes", "record", "log", "sign",
        "café", "👍🏽", "and",
    ];
    let mut rng = Lcg(7);
    let head = "---\nid: SOP-P\ntitle: P\nowner: QA\n---\n";
    for case in 0..12 {
        let mut paragraphs: Vec<Vec<&str>> = (0..4)
            .map(|_| {
                (0..(5 + rng.next(12)))
                    .map(|_| words[rng.next(words.len())])
                    .collect()
            })
            .collect();
        let render = |ps: &[Vec<&str>], width: usize| {
            let mut s = String::from(head);
            for (i, p) in ps.iter().enumerate() {
                s.push_str(&format!("## Part {i}\n\n"));
                for chunk in p.chunks(width) {
                    s.push_str(&chunk.join(" "));
                    s.push('\n');
                }
                s.push('\n');
            }
            s
        };
        let old = render(&paragraphs, 5);
        // A pure reflow: no change.
        let env = pair(old.as_bytes(), render(&paragraphs, 3).as_bytes());
        assert!(
            text_diff(&env).contains("no change to the text"),
            "case {case}: reflow reported as a change"
        );
        // Random edits: the unified diff applied to the old text gives the new text.
        for _ in 0..3 {
            let p = rng.next(paragraphs.len());
            let w = rng.next(paragraphs[p].len());
            match rng.next(3) {
                0 => paragraphs[p][w] = words[rng.next(words.len())],
                1 => paragraphs[p].insert(w, words[rng.next(words.len())]),
                _ => {
                    if paragraphs[p].len() > 1 {
                        paragraphs[p].remove(w);
                    }
                }
            }
        }
        let new = render(&paragraphs, 5);
        let env = pair(old.as_bytes(), new.as_bytes());
        let patch = env.run(&["diff", "1.0", "1.1", "--format", "unified"]);
        patch.expect_code(0);
        assert_eq!(
            apply(&old, &patch.stdout),
            new,
            "case {case}: the patch does not give the new text"
        );
    }
}

// See: cases/README.md B37 — an inserted step, a table cell and row, a moved paragraph.
#[test]
fn b37_an_inserted_step_is_one_insertion_and_a_moved_paragraph_is_moved() {
    let env = pair(&fixture("cases/B37-v1.md"), &fixture("cases/B37-v2.md"));
    let text = text_diff(&env);
    let procedure = text
        .split("\nProcedure\n")
        .nth(1)
        .and_then(|rest| rest.split("\n\n").next())
        .unwrap_or_else(|| panic!("{text}"));
    assert_eq!(procedure, "  + {+3. Lock out the feed pump.+}", "{text}");
    assert!(
        text.contains(
            "\nNotes\n  > Gamma paragraph: waste water goes to the neutralisation pit.\n"
        ),
        "{text}"
    );
    assert!(
        text.contains("  ~ Rinse temperature | [-65-]{+70+} | °C\n"),
        "{text}"
    );
    // Every item written `1.`: the same single insertion.
    let ones = |v: &[u8]| {
        let text = String::from_utf8_lossy(v).into_owned();
        let mut out = String::new();
        for line in text.lines() {
            let digits = line.bytes().take_while(u8::is_ascii_digit).count();
            if digits > 0 && line[digits..].starts_with(". ") {
                out.push_str(&format!("1{}\n", &line[digits..]));
            } else {
                out.push_str(line);
                out.push('\n');
            }
        }
        out.into_bytes()
    };
    let env = pair(
        &ones(&fixture("cases/B37-v1.md")),
        &ones(&fixture("cases/B37-v2.md")),
    );
    let text = text_diff(&env);
    assert!(
        text.contains("\nProcedure\n  + {+3. Lock out the feed pump.+}\n\n"),
        "{text}"
    );
}
