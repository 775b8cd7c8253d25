//! Property tests (issue 9): invariants that must hold for every input, checked on generated
//! documents by proptest. In-place front-matter edits change only the managed value; layout
//! never puts text outside the margins; the unified diff applies with `patch`; renders are
//! reproducible byte for byte; a release summary is text, never Markdown.

#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    clippy::unwrap_used,
    missing_docs,
    reason = "tests stop at the first broken step"
)]

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use sopctl::config::Paper;
use sopctl::doc::Sop;
use sopctl::doc::front_matter::Value;
use sopctl::model::Document;
use sopctl::render::images::WorkTree;
use sopctl::render::pdf::fonts::text_width;
use sopctl::render::pdf::layout::{Geometry, Item, layout};
use sopctl::render::{RenderJob, RenderMeta, RenderSettings};

#[path = "../fuzz/targets.rs"]
mod targets;

/// Every input saved in `fuzz/regressions/<target>/` (inputs that once crashed, hung or broke an
/// invariant) still runs through its fuzz target's code without a panic.
#[test]
fn fuzz_regressions_stay_fixed() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    type Target = fn(&[u8]);
    let runs: [(&str, Target); 5] = [
        ("front_matter", targets::front_matter),
        ("pdf", targets::pdf),
        ("html", targets::html),
        ("diff", targets::diff),
        ("version", targets::version),
    ];
    let mut replayed = 0;
    for (target, run) in runs {
        let Ok(entries) = std::fs::read_dir(root.join(target)) else {
            continue;
        };
        for entry in entries {
            let path = entry.expect("entry").path();
            run(&std::fs::read(&path).expect("saved input"));
            replayed += 1;
        }
    }
    assert!(
        replayed >= 2,
        "the saved inputs were not found in {}",
        root.display()
    );
}

fn config() -> ProptestConfig {
    // 48 cases in the normal run; PROPTEST_CASES=1000 runs longer.
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48);
    ProptestConfig {
        cases,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Front matter

/// A value as a person might write it: plain, quoted either way, with a comment after it.
fn yaml_value() -> impl Strategy<Value = String> {
    let word = prop::sample::select(vec![
        "QA",
        "1.0",
        "1.10",
        "0012",
        "Clean room",
        "Dana O'Neil",
        "yes",
        "2025-11-08",
        "~",
        "a: b",
        "x #y",
        "é ü 漢字",
    ]);
    (word, 0..4u8, any::<bool>()).prop_map(|(w, quoting, comment)| {
        let value = match quoting {
            0 if !w.contains(": ") && !w.contains(" #") && w != "~" => w.to_string(),
            1 => format!("'{}'", w.replace('\'', "''")),
            _ => format!("\"{w}\""),
        };
        if comment {
            format!("{value}   # note")
        } else {
            value
        }
    })
}

/// A front-matter block (keys in any order, maybe without the managed key, comments, blank
/// lines), a body, and the line ending.
fn sop_text() -> impl Strategy<Value = (String, bool)> {
    let keys = prop::sample::subsequence(
        vec![
            "title",
            "version",
            "owner",
            "status",
            "effective",
            "review_interval",
            "site",
            "department",
        ],
        2..=8,
    )
    .prop_shuffle();
    (
        keys,
        prop::collection::vec(yaml_value(), 8),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(keys, values, crlf, list, blank)| {
            let mut lines = vec!["---".to_string(), "id: SOP-7".to_string()];
            for (key, value) in keys.iter().zip(&values) {
                lines.push(format!("{key}: {value}"));
                if blank {
                    lines.push(String::new());
                }
            }
            if list {
                lines.push("approvers:\n  - QA Manager\n  - Site lead".to_string());
            }
            lines.push("# a comment line".to_string());
            lines.push("---".to_string());
            lines.push(String::new());
            lines.push("## Purpose".to_string());
            lines.push(String::new());
            lines.push("version: not front matter".to_string());
            let text = lines.join("\n") + "\n";
            let text = if crlf {
                text.replace('\n', "\r\n")
            } else {
                text
            };
            (text, crlf)
        })
}

use targets::meaning;

proptest! {
    #![proptest_config(config())]

    #[test]
    fn in_place_edits_change_only_the_managed_value(
        (text, crlf) in sop_text(),
        key in prop::sample::select(vec!["version", "status", "effective"]),
        value in prop::sample::select(vec!["2.0.0", "effective", "2026-11-29", "1.10.0"]),
    ) {
        let sop = Sop::from_bytes(Path::new("p.md"), text.clone().into_bytes()).expect("parses");
        let fm = sop.front_matter.as_ref().expect("front matter");
        let Some(edited) = sop.with_value(key, value, Some("title")).expect("editable") else {
            // Unchanged: the key already holds the value.
            let e = fm.get(key).expect("present");
            prop_assert!(matches!(&e.value, Value::Scalar(s) if s.value == value));
            return Ok(());
        };
        let new_text = edited.source.text();
        let old_text = sop.source.text();
        // The value reads back, and nothing else changed its meaning.
        let got = edited.front_matter.as_ref().and_then(|f| f.get(key)).map(|e| e.value.clone());
        prop_assert!(matches!(&got, Some(Value::Scalar(s)) if s.value == value), "{got:?}");
        prop_assert_eq!(meaning(sop.front_matter.as_ref(), key), meaning(edited.front_matter.as_ref(), key));
        prop_assert_eq!(sop.body(), edited.body());
        // The bytes that differ lie on the key's own line (or are a new line of their own).
        let prefix = old_text.bytes().zip(new_text.bytes()).take_while(|(a, b)| a == b).count();
        let suffix = old_text.bytes().rev().zip(new_text.bytes().rev())
            .take_while(|(a, b)| a == b).count().min(old_text.len().min(new_text.len()) - prefix);
        let changed_old = prefix..old_text.len() - suffix;
        let inserted = &new_text[prefix..new_text.len() - suffix];
        match fm.get(key) {
            Some(entry) => {
                let line_start = old_text.match_indices('\n').nth(entry.location.line.wrapping_sub(2)).map_or(0, |(i, _)| i + 1);
                prop_assert!(changed_old.start >= line_start && changed_old.end <= entry.line_end,
                    "changed {:?} outside the line {}..{}", changed_old, line_start, entry.line_end);
                prop_assert!(!inserted.contains('\n'), "a line break was added: {inserted:?}");
            }
            None => {
                // A new line of its own, in the file's line ending: taking out one line of the
                // new text gives back the old text exactly.
                let ending = if crlf { "\r\n" } else { "\n" };
                let starts = std::iter::once(0).chain(new_text.match_indices('\n').map(|(i, _)| i + 1));
                let found = starts.into_iter().any(|start| {
                    let rest = &new_text[start..];
                    rest.find(ending).is_some_and(|len| {
                        let line = &rest[..len + ending.len()];
                        line.starts_with(&format!("{key}:"))
                            && format!("{}{}", &new_text[..start], &rest[line.len()..]) == old_text
                    })
                });
                prop_assert!(found, "not one added line:\n{}", new_text);
            }
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Layout

fn word() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => "[a-z]{1,12}",
        1 => "[A-Za-z0-9/._-]{40,300}".prop_map(|s| format!("https://example.org/{s}")),
        1 => prop::sample::select(vec!["漢字かな交じり文", "😀👍", "Grüße", "x\u{ad}y\u{ad}z", "a\u{a0}b", "**bold**", "`code`"]).prop_map(str::to_string),
    ]
}

fn paragraph() -> impl Strategy<Value = String> {
    prop::collection::vec(word(), 1..60).prop_map(|w| w.join(" "))
}

fn block() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => paragraph(),
        1 => (1..=6usize, paragraph()).prop_map(|(l, p)| format!("{} {}", "#".repeat(l), p)),
        2 => (prop::collection::vec((0..8usize, paragraph()), 1..12)).prop_map(|items| {
            let mut depth = 0;
            items.into_iter().map(|(d, p)| {
                depth = d.min(depth + 1);
                format!("{}- {p}", "  ".repeat(depth))
            }).collect::<Vec<_>>().join("\n")
        }),
        // Numbered lists, starting anywhere up to CommonMark's nine digits.
        1 => (prop_oneof![Just(1u32), 1..=999_999_999u32], prop::collection::vec(paragraph(), 1..14)).prop_map(|(start, items)| {
            items.iter().enumerate().map(|(i, p)| {
                let n = u64::from(start) + i as u64;
                if i % 3 == 2 { format!("   {n}. {p}") } else { format!("{n}. {p}") }
            }).collect::<Vec<_>>().join("\n")
        }),
        1 => (1..12usize, paragraph()).prop_map(|(d, p)| format!("{}{p}", "> ".repeat(d))),
        1 => prop::collection::vec("[ -~]{0,200}", 1..20).prop_map(|l| format!("```\n{}\n```", l.join("\n"))),
        2 => (1..60usize, 1..6usize, prop::collection::vec(word(), 1..30)).prop_map(|(cols, rows, words)| {
            let cell = |i: usize| words[i % words.len()].replace('|', "");
            let mut t = format!("|{}\n|{}\n", (0..cols).map(|c| format!(" {} |", cell(c))).collect::<String>(), "---|".repeat(cols));
            for r in 0..rows {
                t.push_str(&format!("|{}\n", (0..cols).map(|c| format!(" {} |", cell(r * 7 + c))).collect::<String>()));
            }
            t
        }),
        1 => Just("---".to_string()),
    ]
}

fn body() -> impl Strategy<Value = String> {
    prop::collection::vec(block(), 1..12).prop_map(|b| b.join("\n\n") + "\n")
}

fn empty_root() -> PathBuf {
    let root = std::env::temp_dir().join("sopctl-properties-empty");
    std::fs::create_dir_all(&root).expect("temp dir");
    root
}

fn sop_with(body: &str) -> Sop {
    titled("Property", body)
}

/// An SOP with this title (quoted, so any text is a title) and body.
fn titled(title: &str, body: &str) -> Sop {
    let title = title.replace(['\\', '"'], "");
    let text =
        format!("---\nid: SOP-9\ntitle: \"{title}\"\nowner: QA\nversion: 1.2\n---\n\n{body}");
    Sop::from_bytes(Path::new("p.md"), text.into_bytes()).expect("parses")
}

/// The page layout of `sop` (no images: the repository is an empty folder).
fn lay_out(sop: &Sop, paper: Paper) -> sopctl::render::pdf::layout::Laid {
    let files = WorkTree { root: empty_root() };
    layout(
        &Document::parse(sop.body(), sop.body_first_line()),
        &RenderMeta::of(sop, "Org", "Uncontrolled when printed", None),
        &files,
        Path::new("p.md"),
        paper,
    )
}

/// Baselines of the header and footer bands: where page furniture sits outside the body.
fn band_baselines(paper: Paper) -> Vec<f32> {
    let laid = lay_out(&sop_with("Text.\n"), paper);
    let geo = Geometry::for_paper(paper);
    laid.doc.pages[0]
        .items
        .iter()
        .filter_map(|i| match i {
            Item::Text { y, angle, .. }
                if *angle == 0.0 && (y.0 < geo.top.0 || y.0 > geo.bottom.0) =>
            {
                Some(y.0)
            }
            _ => None,
        })
        .collect()
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn layout_never_places_text_outside_the_margins(
        body in body(),
        title in paragraph(),
        paper in prop::sample::select(vec![Paper::A4, Paper::Letter]),
    ) {
        let laid = lay_out(&titled(&title, &body), paper);
        let geo = Geometry::for_paper(paper);
        let bands = band_baselines(paper);
        for (n, page) in laid.doc.pages.iter().enumerate() {
            for item in &page.items {
                if let Item::Text { x, y, face, size, text, angle, .. } = item {
                    if *angle != 0.0 || text.trim().is_empty() {
                        continue;
                    }
                    let right = x.0 + text_width(*face, text.trim_end(), *size);
                    prop_assert!(x.0 >= geo.left.0 - 0.5 && right <= geo.right.0 + 0.5,
                        "page {}: {:?} spans {}..{} outside {}..{}", n + 1, text, x.0, right, geo.left.0, geo.right.0);
                    let in_body = y.0 >= geo.top.0 - 0.5 && y.0 <= geo.bottom.0 + 0.5;
                    let in_band = bands.iter().any(|b| (b - y.0).abs() < 0.5);
                    prop_assert!(in_body || in_band, "page {}: {:?} at y {} outside {}..{}", n + 1, text, y.0, geo.top.0, geo.bottom.0);
                }
            }
        }
    }

    #[test]
    fn renders_are_reproducible(body in body()) {
        let sop = sop_with(&body);
        let files = WorkTree { root: empty_root() };
        let settings = RenderSettings {
            organization: "Org".to_string(),
            footer: "Uncontrolled when printed".to_string(),
            template_root: empty_root(),
            ..RenderSettings::default()
        };
        let job = || RenderJob::new(&settings, &sop, PathBuf::from("p.md"), &files, Some("abc1234"));
        let pdf1 = sopctl::render::pdf::pdf(&job(), 1_700_000_000).expect("pdf");
        let pdf2 = sopctl::render::pdf::pdf(&job(), 1_700_000_000).expect("pdf");
        prop_assert!(pdf1.bytes == pdf2.bytes, "two PDFs of one input differ");
        let html1 = sopctl::render::html(&job()).expect("html");
        let html2 = sopctl::render::html(&job()).expect("html");
        prop_assert!(html1.bytes == html2.bytes, "two HTML pages of one input differ");
    }
}

// ---------------------------------------------------------------------------------------------
// Unified diff

fn lines() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(
        prop_oneof![4 => "[a-z ]{0,30}", 1 => Just(String::new()), 1 => Just("---".to_string())],
        0..40,
    )
}

/// Applies `edits` to `old`: each (position, kind, text) replaces, inserts or deletes a line.
fn edited(old: &[String], edits: &[(usize, u8, String)]) -> Vec<String> {
    let mut new = old.to_vec();
    for (at, kind, text) in edits {
        let at = if new.is_empty() {
            0
        } else {
            at % (new.len() + 1)
        };
        match kind % 3 {
            0 if at < new.len() => new[at] = text.clone(),
            1 if at < new.len() => {
                new.remove(at);
            }
            _ => new.insert(at, text.clone()),
        }
    }
    new
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn the_unified_diff_applies_with_patch(
        old in lines(),
        edits in prop::collection::vec((0..50usize, any::<u8>(), "[a-z ]{0,30}"), 0..8),
        final_newline in any::<bool>(),
    ) {
        let new = edited(&old, &edits);
        let join = |l: &[String], newline: bool| {
            let mut t = l.join("\n");
            if newline && !l.is_empty() { t.push('\n'); }
            t
        };
        let old_text = join(&old, true);
        let new_text = join(&new, final_newline);
        let patch = sopctl::diff::format::unified(&old_text, &new_text, "sops/p.md");
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("sops")).expect("sops");
        std::fs::write(dir.path().join("sops/p.md"), &old_text).expect("write");
        std::fs::write(dir.path().join("change.diff"), &patch).expect("write");
        if old_text != new_text {
            let out = std::process::Command::new("patch")
                .args(["-p1", "--quiet", "--force", "-i", "change.diff"])
                .current_dir(dir.path())
                .output()
                .expect("patch is installed");
            prop_assert!(out.status.success(), "patch failed: {}\n{patch}", String::from_utf8_lossy(&out.stdout));
        } else {
            prop_assert!(patch.is_empty(), "a diff of equal texts: {patch}");
        }
        let after = std::fs::read_to_string(dir.path().join("sops/p.md")).expect("read");
        prop_assert_eq!(after, new_text);
    }
}

// ---------------------------------------------------------------------------------------------
// Release summaries (issue 13)

/// A summary as a hostile tester types it: Markdown, HTML, entities, addresses, control
/// characters and line breaks among ordinary characters.
fn summary() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        prop::sample::select(vec![
            "\\",
            "|",
            "`",
            "*",
            "_",
            "~~",
            "[",
            "]",
            "](",
            "![",
            "<b>",
            "</b>",
            "<https://x.org>",
            "&amp;",
            "&#124;",
            "&#x7C;",
            "https://",
            "www.",
            "WWW.",
            "qa@x.org",
            "mailto:",
            "[^1]",
            "[ ]",
            "#",
            "!",
            "(",
            ")",
            " ",
            "\t",
            "\n",
            "\r\n",
            "\u{0}",
            "\u{1b}",
            "a",
            "1.",
            "-",
            ":",
            "../../etc/passwd",
            "javascript:alert(1)",
        ])
        .prop_map(String::from),
        any::<char>().prop_map(String::from),
    ];
    prop::collection::vec(piece, 0..24).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(config())]

    /// Whatever the summary, the regenerated revision table passes `check` and its cell shows
    /// exactly the summary's characters (white space collapsed, control characters as U+FFFD),
    /// as one run of text: no link, image, HTML, code or emphasis.
    #[test]
    fn a_summary_is_written_as_text(summary in summary()) {
        use sopctl::doc::revision_table::{HistoryEntry, regenerate};
        use sopctl::model::{Block, Inline};
        let sop = sop_with("## Procedure\n\nDo it.[^1]\n\n[^1]: A note.\n");
        let entry = HistoryEntry {
            version: sopctl::version::DocVersion::parse("1.2").expect("version"),
            date: "2026-01-15".into(),
            changes: summary.clone(),
            author: "Alex Example".into(),
            approved_by: Vec::new(),
        };
        let (source, _) = regenerate(&sop, &[entry], false);
        let released = Sop::from_bytes(Path::new("p.md"), source.text().as_bytes().to_vec())
            .expect("parses");
        let errors: Vec<_> = sopctl::check::document::check_document(&released, &empty_root())
            .into_iter()
            .filter(|f| f.severity == sopctl::doc::Severity::Error)
            .map(|f| f.to_string())
            .collect();
        prop_assert!(errors.is_empty(), "{errors:?}");
        let doc = Document::parse(released.body(), released.body_first_line());
        let Some(Block::Table(table)) = doc.blocks.iter().find(|b| matches!(b, Block::Table(_)))
        else {
            panic!("no table in {}", released.body());
        };
        let typed: String = summary
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .chars()
            .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
            .collect();
        let typed = if typed.is_empty() { "-".to_string() } else { typed };
        prop_assert_eq!(&table.rows[0][2], &vec![Inline::Text(typed)]);
    }
}
