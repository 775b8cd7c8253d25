//! `sopctl publish`: the site from the releases; every link resolves; seen in a real browser.

use std::path::{Path, PathBuf};

use crate::harness::{EXAMPLE_1_1, EXAMPLE_NEXT_REVIEW, TestEnv, sha256sum, sop};

fn example_site() -> (TestEnv, PathBuf) {
    let env = TestEnv::new();
    env.run(&["init", "--example", "demo"]).expect_code(0);
    let demo = env.path("demo");
    (env, demo)
}

/// Every `href` and `src` in every HTML file of the site points at a file (and an anchor) that
/// exists. Returns the number of links checked.
fn check_links(site: &Path) -> usize {
    let mut checked = 0;
    let pages: Vec<PathBuf> = walkdir::WalkDir::new(site)
        .into_iter()
        .flatten()
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| e.path().to_path_buf())
        .collect();
    for page in &pages {
        let html = std::fs::read_to_string(page).expect("page");
        for attr in ["href=\"", "src=\""] {
            for (i, _) in html.match_indices(attr) {
                let start = i + attr.len();
                let target = &html[start..start + html[start..].find('"').expect("closing quote")];
                if target.starts_with("http://")
                    || target.starts_with("https://")
                    || target.starts_with("mailto:")
                    || target.starts_with("data:image/")
                    // The site's empty icon (no request for /favicon.ico).
                    || target == "data:,"
                {
                    continue;
                }
                let (file, anchor) = target.split_once('#').unwrap_or((target, ""));
                let resolved = if file.is_empty() {
                    page.clone()
                } else {
                    page.parent().expect("dir").join(file)
                };
                assert!(
                    resolved.is_file(),
                    "{}: link {target} does not resolve",
                    page.display()
                );
                if !anchor.is_empty() {
                    let body = std::fs::read_to_string(&resolved).expect("target");
                    assert!(
                        body.contains(&format!("id=\"{anchor}\"")),
                        "{}: anchor #{anchor} missing",
                        page.display()
                    );
                }
                checked += 1;
            }
        }
    }
    checked
}

#[test]
fn publish_builds_the_site_from_the_releases_and_every_link_resolves() {
    let (env, demo) = example_site();
    // An edit that is not released must not reach the site.
    let doc = demo.join("sops/privacy-settings-sop.md");
    std::fs::write(
        &doc,
        std::fs::read_to_string(&doc)
            .expect("doc")
            .replace("3-5 minutes", "UNRELEASED EDIT"),
    )
    .expect("edit");
    let run = env.run_in(&demo, &["publish"], &[]);
    run.expect_code(0);
    assert_eq!(run.stdout, "dist/index.html\n");
    // The example's releases made their PDF and HTML: the redline is new, and the stamped
    // copies of 1.0, superseded by 1.1 (issue 16).
    assert_eq!(
        run.stderr,
        "published 1 SOP: 4 files made (renditions and redlines), 4 already there\n"
    );
    let site = demo.join("dist");
    for rel in [
        "index.html",
        "index.json",
        "SOP-IT-001/index.html",
        "SOP-IT-001/1.0/SOP-IT-001-v1.0.html",
        "SOP-IT-001/1.1/SOP-IT-001-v1.1.html",
    ] {
        assert!(site.join(rel).is_file(), "{rel}");
    }
    let links = check_links(&site);
    assert!(
        links > 40,
        "the site and renditions link to each other ({links} links)"
    );
    let v11 =
        std::fs::read_to_string(site.join("SOP-IT-001/1.1/SOP-IT-001-v1.1.html")).expect("1.1");
    assert!(v11.contains("3-5 minutes") && !v11.contains("UNRELEASED EDIT"));
    let v10 =
        std::fs::read_to_string(site.join("SOP-IT-001/1.0/SOP-IT-001-v1.0.html")).expect("1.0");
    assert!(v10.contains("2-3 minutes"));

    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("index.json")).expect("json"))
            .expect("json");
    let sop = &index["sops"][0];
    assert_eq!(sop["id"], "SOP-IT-001");
    assert_eq!(sop["version"], "1.1");
    assert_eq!(sop["effective"], EXAMPLE_1_1);
    assert_eq!(sop["owner"], "Alex Example");
    assert_eq!(sop["status"], "effective");
    assert_eq!(sop["next_review"], EXAMPLE_NEXT_REVIEW);
    assert_eq!(sop["versions"][1]["author"], "-", "1.0 as its row names it");
    assert_eq!(
        sop["versions"][0]["html"],
        "SOP-IT-001/1.1/SOP-IT-001-v1.1.html"
    );
    assert_eq!(sop["versions"][1]["summary"], "Initial document creation");

    let page = std::fs::read_to_string(site.join("SOP-IT-001/index.html")).expect("sop page");
    assert!(
        page.contains(
            "Changes since version 1.0: <a href=\"../SOP-IT-001/1.1/SOP-IT-001-v1.1-redline.pdf\">PDF<span class=\"visually-hidden\"> redline of version 1.1</span></a> · <a href=\"../SOP-IT-001/1.1/SOP-IT-001-v1.1-redline.html\">HTML<span class=\"visually-hidden\"> redline of version 1.1</span></a>"
        ),
        "redline links: {page}"
    );
    // The redline beside 1.1's downloads (issue 18 item 5): the whole document, the changes
    // marked, in PDF and HTML.
    let redline = std::fs::read_to_string(site.join("SOP-IT-001/1.1/SOP-IT-001-v1.1-redline.html"))
        .expect("redline");
    assert!(
        redline.contains(
            "<del class=\"rl rl-deleted\">2-3</del>\u{2009}<ins class=\"rl rl-inserted\">3-5</ins>"
        ),
        "{redline}"
    );
    assert!(redline.contains("Redline 1.0 → 1.1, for review only"));
    let pdf = crate::harness::pdf_pages(&site.join("SOP-IT-001/1.1/SOP-IT-001-v1.1-redline.pdf"))
        .concat();
    assert!(pdf.contains("Estimated Time: 2-3 3-5 minutes"), "{pdf}");
    assert!(
        pdf.contains("Changes from version 1.0 to version 1.1"),
        "{pdf}"
    );
    assert_eq!(
        index["sops"][0]["versions"][0]["redline_pdf"],
        "SOP-IT-001/1.1/SOP-IT-001-v1.1-redline.pdf"
    );
    let front = std::fs::read_to_string(site.join("index.html")).expect("index");
    assert!(front.contains(
        "<td data-label=\"ID\" class=\"keep\"><a href=\"SOP-IT-001/index.html\">SOP-IT-001</a></td>"
    ));
    assert!(front.contains("<a href=\"SOP-IT-001/1.1/SOP-IT-001-v1.1.html\">HTML</a>"));
    assert!(front.contains("<a href=\"SOP-IT-001/1.1/SOP-IT-001-v1.1.pdf\">PDF</a>"));
    // 1.0 is offered stamped, with its own checksums; the record copies keep theirs.
    let index: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("index.json")).expect("json"))
            .expect("index.json");
    let old = &index["sops"][0]["versions"][1];
    assert_eq!(old["standing"], "superseded");
    assert_eq!(old["pdf"], "SOP-IT-001/1.0/SOP-IT-001-v1.0-superseded.pdf");
    assert_eq!(
        old["pdf_sha256"],
        sha256sum(&site.join("SOP-IT-001/1.0/SOP-IT-001-v1.0-superseded.pdf"))
    );
    assert_eq!(
        old["record"]["pdf_sha256"],
        sha256sum(&site.join("SOP-IT-001/1.0/SOP-IT-001-v1.0.pdf"))
    );
    assert_eq!(index["sops"][0]["versions"][0]["standing"], "in-force");

    let again = env.run_in(&demo, &["publish"], &[]);
    assert_eq!(
        again.stderr, "published 1 SOP: 0 files made (renditions and redlines), 8 already there\n",
        "only what is missing is rendered"
    );
}

#[test]
fn publish_leaves_out_unreleased_sops_with_a_warning() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-001", "A"));
    env.write("sops/b.md", sop("SOP-002", "B"));
    env.commit("two");
    env.run(&["release", "SOP-001", "-m", "First"])
        .expect_code(0);
    let run = env.run(&["publish", "-o", "site"]);
    run.expect_code(0);
    assert_eq!(
        run.stderr,
        "warning: SOP-002 has no release yet, so it is not on the site\npublished 1 SOP: 2 files made (renditions and redlines), 0 already there\n"
    );
    assert!(env.path("site/SOP-001/1.0/SOP-001-v1.0.html").is_file());
    assert!(!env.path("site/SOP-002").exists());
    check_links(&env.path("site"));
}

/// Every file below `dir`, by path relative to it, with its bytes.
fn tree(dir: &Path) -> std::collections::BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                e.path().strip_prefix(dir).expect("below").to_path_buf(),
                std::fs::read(e.path()).expect("read"),
            )
        })
        .collect()
}

#[test]
fn three_shards_together_make_exactly_the_files_of_one_full_run() {
    let env = TestEnv::repo();
    for (id, title) in [("SOP-001", "A"), ("SOP-002", "B"), ("SOP-003", "C")] {
        env.write(&format!("sops/{id}.md"), sop(id, title));
    }
    env.commit("Add three SOPs");
    for id in ["SOP-001", "SOP-002", "SOP-003"] {
        env.run(&["release", id, "--no-render", "-m", "First"])
            .expect_code(0);
        let text = env.read(&format!("sops/{id}.md"));
        env.write(
            &format!("sops/{id}.md"),
            text.replace("Why.", "Why, and when."),
        );
        env.commit("Say when");
        env.run(&["release", id, "--minor", "--no-render", "-m", "Say when"])
            .expect_code(0);
    }
    let full = env.run(&["publish", "-o", "full"]);
    full.expect_code(0);
    assert!(
        full.stderr
            .contains("published 3 SOPs: 24 files made (renditions and redlines), 0 already there"),
        "{}",
        full.stderr
    );
    let mut merged = std::collections::BTreeMap::new();
    let mut made = 0;
    for k in 1..=3 {
        let dir = format!("shard-{k}");
        let run = env.run(&["publish", "-o", &dir, "--shard", &format!("{k}/3")]);
        run.expect_code(0);
        assert!(
            run.stderr.contains(&format!("(share {k} of 3)")),
            "{}",
            run.stderr
        );
        let files = tree(&env.path(&dir));
        made += files
            .keys()
            .filter(|p| {
                !p.ends_with("index.html")
                    && !p.ends_with("index.json")
                    && !p.ends_with("search-index.js")
                    && !p.ends_with(".sopctl-site.json")
            })
            .count();
        for (path, bytes) in files {
            if let Some(earlier) = merged.insert(path.clone(), bytes.clone()) {
                assert_eq!(earlier, bytes, "{} differs between shards", path.display());
            }
        }
    }
    // Per SOP: the PDF and HTML of 1.0 and 1.1, the stamped PDF and HTML of 1.0 (superseded
    // by 1.1) and the redline in PDF and HTML.
    assert_eq!(made, 24, "each rendition is made by exactly one shard");
    let whole = tree(&env.path("full"));
    assert_eq!(
        merged.keys().collect::<Vec<_>>(),
        whole.keys().collect::<Vec<_>>()
    );
    assert!(
        merged == whole,
        "the merged shards differ from the full run"
    );

    let bad = env.run(&["publish", "--shard", "4/3"]);
    bad.expect_code(2);
    assert!(
        bad.stderr
            .contains("`4/3`: the shard number must be from 1 to the number of shards (3)"),
        "{}",
        bad.stderr
    );
}
