//! The published site in a real Chromium: layout at a phone's and a desktop's width, axe-core's
//! accessibility rules in light and dark, keyboard focus, search and print.
//!
//! `tests/browser/check.mjs` (Node, playwright-core driving Debian's `/usr/bin/chromium`,
//! axe-core) runs one JSON job and answers with the measured values; the tests here judge them.
//! Its packages come from `npm ci --prefix tests/browser` (`.ci/run` runs it); a missing piece
//! is a failure, never a skip. Screenshots land in `target/browser-artifacts/<test>/`.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::{Value, json};

use crate::harness::{TestEnv, pdf_pages};

/// `tests/browser/`: check.mjs, its package.json and lock, and node_modules once installed.
fn browser_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/browser")
}

/// Runs `job` through `tests/browser/check.mjs` in one headless Chromium and returns its result
/// (see the top of check.mjs for both shapes). Panics, naming the fix, when Node or the packages
/// are missing or the harness itself fails; problems the checks find are in the result.
pub(crate) fn run_job(job: &Value) -> Value {
    let dir = browser_dir();
    for package in ["playwright-core", "axe-core"] {
        assert!(
            dir.join("node_modules").join(package).is_dir(),
            "tests/browser/node_modules/{package} is missing: run  npm ci --prefix tests/browser  \
             (Node 20 or later; .ci/run does this in CI)"
        );
    }
    let mut child = Command::new("node")
        .arg(dir.join("check.mjs"))
        .current_dir(&dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run node ({e}): install Node 20 or later (apt-get install nodejs npm), \
                 then run  npm ci --prefix tests/browser"
            )
        });
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(job.to_string().as_bytes())
        .expect("the job written to check.mjs");
    let out = child.wait_with_output().expect("check.mjs ends");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "tests/browser/check.mjs failed ({}):\n--- stderr ---\n{stderr}\n--- stdout ---\n{stdout}",
        out.status
    );
    serde_json::from_str(&stdout).unwrap_or_else(|e| {
        panic!("check.mjs printed no JSON ({e}):\n{stdout}\n--- stderr ---\n{stderr}")
    })
}

/// `<CARGO_TARGET_DIR or target>/browser-artifacts/<name>`, emptied: where a test leaves its
/// screenshots and PDFs for people to look at after the run.
pub(crate) fn artifacts_dir(name: &str) -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map_or_else(|| manifest.join("target"), |t| manifest.join(t));
    let dir = target.join("browser-artifacts").join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).expect("old artifacts removed");
    }
    std::fs::create_dir_all(&dir).expect("artifacts dir");
    dir
}

/// The pages of the example site looked at: name and path below `dist/`.
const PAGES: [(&str, &str); 4] = [
    ("index", "index.html"),
    ("sop", "SOP-IT-001/index.html"),
    ("rendition", "SOP-IT-001/1.1/SOP-IT-001-v1.1.html"),
    ("redline", "SOP-IT-001/1.1/SOP-IT-001-v1.1-redline.html"),
];

/// A phone (390 × 844 CSS px, touch, 3 device pixels per px) and a desktop.
const VIEWPORTS: [(&str, u64); 2] = [("phone", 390), ("desktop", 1280)];

fn viewports() -> Value {
    json!([
        {"name": "phone", "width": 390, "height": 844, "mobile": true},
        {"name": "desktop", "width": 1280, "height": 800, "mobile": false},
    ])
}

/// `sopctl init --example demo` published: the test environment and the site's folder.
fn example_site() -> (TestEnv, PathBuf) {
    let env = TestEnv::new();
    env.run(&["init", "--example", "demo"]).expect_code(0);
    let demo = env.path("demo");
    env.run_in(&demo, &["publish"], &[]).expect_code(0);
    let dist = demo.join("dist");
    for (_, page) in PAGES {
        assert!(dist.join(page).is_file(), "publish made no dist/{page}");
    }
    (env, dist)
}

fn url(path: &Path) -> String {
    format!("file://{}", path.display())
}

/// The job's `pages` for the example site in `dist`.
fn pages(dist: &Path) -> Value {
    PAGES
        .iter()
        .map(|(name, page)| json!({"name": name, "url": url(&dist.join(page))}))
        .collect()
}

/// The result of one page at one viewport; panics when the page could not be opened.
fn page_result<'a>(result: &'a Value, page: &str, viewport: &str) -> &'a Value {
    let r = &result["pages"][page][viewport];
    assert!(
        r.is_object(),
        "no result for {page} at {viewport}: {result}"
    );
    assert!(
        r.get("error").is_none(),
        "{page} at {viewport}: {}",
        r["error"]
    );
    r
}

/// One check's values; panics when the check itself failed.
fn check<'a>(r: &'a Value, name: &str, page: &str, viewport: &str) -> &'a Value {
    let c = &r[name];
    assert!(c.is_object(), "{page} at {viewport}: no {name} result: {r}");
    assert!(
        c.get("error").is_none(),
        "{page} at {viewport}: the {name} check failed: {}",
        c["error"]
    );
    c
}

fn is_empty(v: &Value) -> bool {
    v.as_array().is_some_and(Vec::is_empty)
}

/// A problem list for the assertion message, one item a line.
fn lines(v: &Value) -> String {
    v.as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| format!("\n      {i}"))
                .collect::<String>()
        })
        .unwrap_or_else(|| format!(" {v}"))
}

/// At 390 px (a phone, by device emulation: a headless window is never that narrow) and at
/// 1280 px, nothing on the index, an SOP's page, a rendition or a redline sticks out past the
/// right edge (a table may scroll inside its own box), the page does not scroll sideways, and
/// no SOP ID, ISO date or version breaks across lines. Screenshots:
/// `target/browser-artifacts/layout/`.
#[test]
#[ignore = "issue 20: the ISO dates in the example SOP's own revision-history table (a \
            Markdown table in the rendition and the redline) break at their hyphens at 390 px \
            (and at 1280 px once the table has an Approved-by column), e.g. 2025-10-/08; on the \
            SOP's page the release tag SOP-IT-/001/v1.1.0 breaks at 390 px and SHA-/256 in \
            'Checking a copy' at 1280 px"]
fn the_example_site_fits_a_phone_and_a_desktop() {
    let (_env, dist) = example_site();
    let shots = artifacts_dir("layout");
    let result = run_job(&json!({
        "pages": pages(&dist),
        "viewports": viewports(),
        "checks": ["layout"],
        "screenshots": shots,
    }));
    let mut problems = Vec::new();
    for (page, _) in PAGES {
        for (viewport, width) in VIEWPORTS {
            let r = page_result(&result, page, viewport);
            let layout = check(r, "layout", page, viewport);
            let inner = layout["innerWidth"].as_u64().expect("innerWidth");
            let scroll = layout["scrollWidth"].as_u64().expect("scrollWidth");
            let at = format!("{page} at {viewport} ({width} px)");
            if inner != width {
                problems.push(format!(
                    "{at}: the page is laid out {inner} px wide (a phone widens it to fit \
                     content wider than the screen)"
                ));
            }
            if scroll > inner {
                problems.push(format!("{at}: scrolls sideways: {scroll} px wide"));
            }
            if !is_empty(&layout["overflowing"]) {
                problems.push(format!(
                    "{at}: past the right edge:{}",
                    lines(&layout["overflowing"])
                ));
            }
            if !is_empty(&layout["broken"]) {
                problems.push(format!(
                    "{at}: broken across lines:{}",
                    lines(&layout["broken"])
                ));
            }
            if !is_empty(&r["errors"]) {
                problems.push(format!("{at}: script errors:{}", lines(&r["errors"])));
            }
            let shot = PathBuf::from(r["screenshot"].as_str().expect("screenshot path"));
            let size = std::fs::metadata(&shot).map_or(0, |m| m.len());
            // A blank page compresses to a few kilobytes; text and tables make it larger.
            if size <= 10_000 {
                problems.push(format!(
                    "{at}: the screenshot {} looks blank ({size} bytes)",
                    shot.display()
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{}\n(screenshots in {})",
        problems.join("\n"),
        shots.display()
    );
}

/// axe-core finds no serious or critical violation on any page at either width, and in the
/// dark colour scheme no text lacks contrast. Screenshots (light and dark):
/// `target/browser-artifacts/axe/`.
#[test]
#[ignore = "issue 20: at 390 px the rendition's and the redline's sideways-scrolling tables \
            (div.table) cannot be reached by keyboard except in Chromium (axe \
            scrollable-region-focusable, serious): give the box tabindex=\"0\", a role and a \
            name"]
fn the_example_site_passes_axe_in_light_and_dark() {
    let (_env, dist) = example_site();
    let shots = artifacts_dir("axe");
    let result = run_job(&json!({
        "pages": pages(&dist),
        "viewports": viewports(),
        "checks": ["axe", "dark"],
        "screenshots": shots,
    }));
    let mut problems = Vec::new();
    for (page, _) in PAGES {
        for (viewport, _) in VIEWPORTS {
            let r = page_result(&result, page, viewport);
            let axe = check(r, "axe", page, viewport);
            for v in axe["violations"].as_array().expect("violations") {
                let impact = v["impact"].as_str().unwrap_or("");
                if impact == "serious" || impact == "critical" {
                    problems.push(format!(
                        "{page} at {viewport}: {} ({impact}): {}{}",
                        v["id"],
                        v["help"],
                        lines(&v["nodes"])
                    ));
                }
            }
            let dark = check(r, "dark", page, viewport);
            for v in dark["violations"].as_array().expect("dark violations") {
                problems.push(format!(
                    "{page} at {viewport}, dark (text {} on {}): {} ({}): {}{}",
                    dark["color"],
                    dark["background"],
                    v["id"],
                    v["impact"],
                    v["help"],
                    lines(&v["nodes"])
                ));
            }
            if !is_empty(&r["errors"]) {
                problems.push(format!(
                    "{page} at {viewport}: script errors:{}",
                    lines(&r["errors"])
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "{}\n(screenshots in {})",
        problems.join("\n"),
        shots.display()
    );
}

/// Tab from the top of each page reaches every visible link and control, each shows that it
/// has the focus (an outline or a ring), scrolled into view and not hidden under anything.
#[test]
fn every_link_and_control_is_reached_by_tab_and_visibly_focused() {
    let (_env, dist) = example_site();
    let result = run_job(&json!({
        "pages": pages(&dist),
        "viewports": viewports(),
        "checks": ["keyboard"],
    }));
    let mut problems = Vec::new();
    for (page, _) in PAGES {
        for (viewport, _) in VIEWPORTS {
            let r = page_result(&result, page, viewport);
            let k = check(r, "keyboard", page, viewport);
            let reached = k["reached"].as_u64().expect("reached");
            let focusables = k["focusables"].as_u64().expect("focusables");
            let at = format!("{page} at {viewport}");
            if focusables == 0 {
                problems.push(format!("{at}: nothing to focus: not a page of the site?"));
            }
            if reached < focusables || !is_empty(&k["notReached"]) {
                problems.push(format!(
                    "{at}: Tab reaches {reached} of {focusables}; never:{}",
                    lines(&k["notReached"])
                ));
            }
            for (what, key) in [
                ("no visible focus", "invisible"),
                ("focused out of view", "outOfView"),
                ("focused under something else", "obscured"),
            ] {
                if !is_empty(&k[key]) {
                    problems.push(format!("{at}: {what}:{}", lines(&k[key])));
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The site's search box (`<input type="search" id="search">`, results as links in
/// `#search-results`, a live status line `#search-status`) finds the example SOP by a word of
/// its title on a phone, from the published files opened as file:// (no server), without a
/// script error.
#[test]
fn searching_privacy_on_a_phone_finds_the_example_sop() {
    let (_env, dist) = example_site();
    let result = run_job(&json!({
        "search": [{"url": url(&dist.join("index.html")), "query": "privacy"}],
    }));
    let s = &result["search"][0];
    assert!(s.get("error").is_none(), "search: {}\n{s}", s["error"]);
    assert!(
        is_empty(&s["errors"]),
        "search: script errors (a fetch blocked on file://?):{}",
        lines(&s["errors"])
    );
    let results = s["results"].as_array().expect("results");
    assert!(
        results.iter().any(|r| r["href"]
            .as_str()
            .is_some_and(|h| h.ends_with("SOP-IT-001/index.html"))),
        "no result links to SOP-IT-001/index.html: {s}"
    );
    assert!(
        matches!(s["statusLive"].as_str(), Some("polite" | "assertive")),
        "#search-status has no aria-live: {s}"
    );
    let status = s["status"].as_str().unwrap_or("");
    assert!(!status.is_empty(), "#search-status says nothing: {s}");
}

/// The words of a text, with the punctuation around them trimmed, counted.
fn words(text: &str) -> BTreeMap<String, usize> {
    let mut counts = BTreeMap::new();
    for w in text.split_whitespace() {
        let w = w.trim_matches(|c: char| !c.is_alphanumeric());
        if !w.is_empty() {
            *counts.entry(w.to_string()).or_insert(0) += 1;
        }
    }
    counts
}

/// Printing the rendition from the browser (A4, print media) loses no word of what the page
/// shows in print, and breaks none (a date cut as "2025-10-" and "08" is two other words).
/// The PDF: `target/browser-artifacts/print/`.
#[test]
#[ignore = "issue 20: printed on A4 the dates in the example SOP's revision-history table break \
            at their hyphens (2025-10-/08, 2026-01-/01), as they do at 390 px"]
fn printing_the_rendition_from_the_browser_keeps_every_word() {
    let (_env, dist) = example_site();
    let pdf = artifacts_dir("print").join("SOP-IT-001-v1.1.pdf");
    let result = run_job(&json!({
        "print": [{"url": url(&dist.join(PAGES[2].1)), "pdf": pdf}],
    }));
    let p = &result["print"][0];
    assert!(p.get("error").is_none(), "print: {}", p["error"]);
    assert!(
        is_empty(&p["errors"]),
        "print: script errors: {}",
        p["errors"]
    );
    assert!(p["bytes"].as_u64().expect("bytes") > 10_000, "print: {p}");
    let pages = pdf_pages(&pdf);
    assert!(
        pages.len() > 1,
        "the printed rendition has {} pages",
        pages.len()
    );
    let printed = words(&pages.join("\n"));
    let shown = words(p["text"].as_str().expect("print-media text"));
    let lost: Vec<String> = shown
        .iter()
        .filter(|(w, n)| printed.get(*w).copied().unwrap_or(0) < **n)
        .map(|(w, n)| {
            format!(
                "{w} ({n}× on the page, {}× printed)",
                printed.get(w).unwrap_or(&0)
            )
        })
        .collect();
    assert!(
        lost.is_empty(),
        "words of the page missing from the printout {}:\n  {}",
        pdf.display(),
        lost.join("\n  ")
    );
}
