//! The published site's record behind each version and its folder holding only what belongs
//! (issue 20 items 3 and 4).

use std::path::Path;

use crate::harness::{EXAMPLE_1_0, EXAMPLE_1_1, TestEnv, sha256sum, sop};

fn index(dist: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dist.join("index.json")).expect("index.json"))
        .expect("json")
}

/// The bundled example's two versions on its page and in `index.json`: the QA Manager's
/// approval of each, the review of 1.0 that asked for 1.1, the redline, every file's SHA-256
/// (as `sha256sum` reads the file) and how to check a copy.
#[test]
fn each_version_shows_its_approvals_reviews_redline_and_checksums() {
    let env = TestEnv::new();
    env.run(&["init", "--example", "demo"]).expect_code(0);
    let demo = env.path("demo");
    env.run_in(&demo, &["publish"], &[]).expect_code(0);
    let dist = demo.join("dist");
    let index = index(&dist);
    let versions = &index["sops"][0]["versions"];
    assert_eq!(
        versions[0]["approvals"],
        serde_json::json!([{
            "name": "Sam Quality",
            "email": "sam.quality@example.org",
            "role": "QA Manager",
            "meaning": "approved",
            "signed": format!("{EXAMPLE_1_1}T08:30:00Z"),
            "exception": null,
        }])
    );
    assert_eq!(
        versions[1]["approvals"][0]["signed"],
        format!("{EXAMPLE_1_0}T08:30:00Z")
    );
    assert_eq!(versions[0]["reviews"], serde_json::json!([]));
    let review = &versions[1]["reviews"][0];
    assert_eq!(review["date"], "2025-12-16");
    assert_eq!(review["by"], "Alex Example <alex.example@example.org>");
    assert!(
        review["note"]
            .as_str()
            .expect("note")
            .starts_with("Quarterly review: the steps still match the Claude.ai settings page."),
        "{review}"
    );
    assert_eq!(index["sops"][0]["withdrawal"], serde_json::Value::Null);

    let page = std::fs::read_to_string(dist.join("SOP-IT-001/index.html")).expect("page");
    for text in [
        "<h2 id=\"v1.1-title\">Version 1.1 <strong class=\"current\">in force</strong></h2>".to_string(),
        "<h2 id=\"v1.0-title\">Version 1.0 <span class=\"superseded\">superseded</span></h2>".to_string(),
        format!(
            "<td data-label=\"Name\">Sam Quality <span class=\"email\">&lt;sam.quality@example.org&gt;</span></td>\n<td data-label=\"Role\">QA Manager</td>\n<td data-label=\"Meaning\">approved</td>\n<td data-label=\"Signed (UTC)\" class=\"keep\">{EXAMPLE_1_1} 08:30:00</td>"
        ),
        "<li><span class=\"keep\">2025-12-16</span>, Alex Example &lt;alex.example@example.org&gt;: Quarterly review:".to_string(),
        "No periodic review was recorded while this version was in force.".to_string(),
        "The first release: there is no version before it.".to_string(),
        "run <code>sopctl verify FILE</code>".to_string(),
    ] {
        assert!(page.contains(&text), "missing {text}\n{page}");
    }
    // Every file offered and every record copy, with the SHA-256 of its bytes.
    let mut files = 0;
    for v in versions.as_array().expect("versions") {
        for (path, sum) in [
            (&v["pdf"], &v["pdf_sha256"]),
            (&v["html"], &v["html_sha256"]),
            (&v["record"]["pdf"], &v["record"]["pdf_sha256"]),
            (&v["record"]["html"], &v["record"]["html_sha256"]),
        ] {
            let path = path.as_str().expect("path");
            let sum = sum.as_str().expect("a checksum");
            assert_eq!(sum, sha256sum(&dist.join(path)), "{path}");
            let name = path.rsplit('/').next().expect("name");
            assert!(
                page.contains(&format!("\">{name}</a>"))
                    && page.contains(&format!("<code class=\"checksum\">{sum}</code>")),
                "{path} and its checksum are not on the page"
            );
            files += 1;
        }
    }
    assert_eq!(files, 8);
}

/// A withdrawn SOP's page and `index.json` say when, why and by what it was replaced (named,
/// not linked, while the successor has no release); a review dated before the version took
/// effect says so.
#[test]
fn a_withdrawn_sop_says_when_and_why() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Line clearance"));
    env.commit("Add SOP-1");
    env.run(&["release", "SOP-1", "--no-render", "-m", "First"])
        .expect_code(0);
    // A review dated before the version took effect is listed with it, and said to be earlier.
    env.run(&[
        "review",
        "SOP-1",
        "-m",
        "Checked early",
        "--date",
        "2025-06-01",
    ])
    .expect_code(0);
    // The successor has no release yet: named, not linked.
    env.write("sops/b.md", sop("SOP-2", "Line clearance, new hall"));
    env.commit("Add SOP-2");
    env.run(&[
        "retire",
        "SOP-1",
        "--superseded-by",
        "SOP-2",
        "-m",
        "Line 3 closed in the move to the new hall",
    ])
    .expect_code(0);
    let day = env.git(&["log", "-1", "--format=%cd", "--date=short"]);
    env.run(&["publish"]).expect_code(0);
    let dist = env.path("dist");
    let withdrawal = &index(&dist)["sops"][0]["withdrawal"];
    assert_eq!(withdrawal["status"], "superseded");
    assert_eq!(withdrawal["date"], day.trim());
    assert_eq!(
        withdrawal["reason"],
        "Line 3 closed in the move to the new hall"
    );
    assert_eq!(withdrawal["successor"], "SOP-2");
    let sop1 = &index(&dist)["sops"][0];
    assert_eq!(sop1["successor_on_site"], false);
    assert_eq!(sop1["versions"][0]["reviews"][0]["date"], "2025-06-01");
    assert_eq!(sop1["versions"][0]["reviews"][0]["early"], true);
    assert_eq!(withdrawal["commit"].as_str().map(str::len), Some(7));
    let page = std::fs::read_to_string(dist.join("SOP-1/index.html")).expect("page");
    let said = format!(
        "<h3>Withdrawal</h3>\n<p>Superseded on <span class=\"keep\">{}</span>, replaced by SOP-2 (not released yet). Reason: Line 3 closed in the move to the new hall</p>",
        day.trim()
    );
    assert!(page.contains(&said), "{page}");
    assert!(
        page.contains("<li><span class=\"keep\">2025-06-01</span> (dated before this version took effect), Test Owner &lt;owner@example.org&gt;: Checked early</li>"),
        "{page}"
    );
    assert!(!page.contains("href=\"../SOP-2/index.html\""), "{page}");
    assert!(
        page.contains(&format!(
            "Do not work from it. Withdrawn on <span class=\"keep\">{}</span>: Line 3 closed in the move to the new hall</p>",
            day.trim()
        )),
        "{page}"
    );
}

/// A draft is written beside the site, never in it. `publish` removes from its folder the
/// files it wrote that no release accounts for any more (a release whose tag was deleted) and
/// the drafts an older sopctl left in `dist/drafts/`, says so, and leaves alone every file it
/// did not write there, whatever its name.
#[test]
fn the_site_folder_holds_only_what_the_releases_account_for() {
    let env = TestEnv::new();
    env.run(&["init", "--example", "demo"]).expect_code(0);
    let demo = env.path("demo");
    env.run_in(&demo, &["publish"], &[]).expect_code(0);
    let dist = demo.join("dist");
    let manifest: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dist.join(".sopctl-site.json")).expect("manifest"),
    )
    .expect("json");
    assert_eq!(
        manifest["repository"],
        env.git(&["-C", "demo", "rev-list", "--max-parents=0", "HEAD"])
            .trim()
    );
    assert_eq!(manifest["files"].as_array().map(Vec::len), Some(12));
    for planted in [
        "drafts/SOP-IT-001/SOP-IT-001-working-copy.pdf",
        "SOP-OLD-9/1.0/SOP-OLD-9-v1.0.html",
        "SOP-IT-001/1.1/SOP-IT-001-v1.1-annotated.pdf",
        "notes.txt",
        ".htaccess",
    ] {
        let path = dist.join(planted);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, "mine").expect("write");
    }
    // A draft of an edit goes to drafts/ beside dist/, which git ignores.
    let file = demo.join("sops/privacy-settings-sop.md");
    let text = std::fs::read_to_string(&file).expect("sop");
    std::fs::write(&file, text.replace("3-5 minutes", "5 minutes")).expect("edit");
    let render = env.run_in(&demo, &["render", "--format", "html"], &[]);
    render.expect_code(0);
    assert_eq!(
        render.stdout,
        "drafts/SOP-IT-001/SOP-IT-001-working-copy.html\n"
    );
    assert_eq!(
        env.git(&["-C", "demo", "status", "--porcelain"]),
        " M sops/privacy-settings-sop.md\n"
    );

    // Release 1.1 taken back (its tag deleted): its files and 1.0's stamped copies go.
    env.git(&["-C", "demo", "tag", "-d", "SOP-IT-001/v1.1.0"]);
    let publish = env.run_in(&demo, &["publish", "--json"], &[]);
    publish.expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&publish.stdout).expect("json");
    // 1.0 is in force again: its stamped copies go as stamped copies do (`removed`).
    let mut removed: Vec<String> = json["removed"]
        .as_array()
        .expect("removed")
        .iter()
        .map(|p| p.as_str().expect("path").to_string())
        .collect();
    removed.sort();
    assert_eq!(
        removed,
        [
            "dist/SOP-IT-001/1.0/SOP-IT-001-v1.0-superseded.html",
            "dist/SOP-IT-001/1.0/SOP-IT-001-v1.0-superseded.pdf"
        ]
    );
    assert_eq!(
        json["stale"],
        serde_json::json!([
            "dist/SOP-IT-001/1.1/SOP-IT-001-v1.1-redline.html",
            "dist/SOP-IT-001/1.1/SOP-IT-001-v1.1-redline.pdf",
            "dist/SOP-IT-001/1.1/SOP-IT-001-v1.1.html",
            "dist/SOP-IT-001/1.1/SOP-IT-001-v1.1.pdf",
            "dist/drafts/SOP-IT-001/SOP-IT-001-working-copy.pdf"
        ])
    );
    assert_eq!(
        json["foreign"],
        serde_json::json!([
            "dist/SOP-IT-001/1.1/SOP-IT-001-v1.1-annotated.pdf",
            "dist/SOP-OLD-9/1.0/SOP-OLD-9-v1.0.html",
            "dist/notes.txt"
        ])
    );
    assert_eq!(json["not_pruned"], serde_json::Value::Null);
    for kept in [
        "SOP-OLD-9/1.0/SOP-OLD-9-v1.0.html",
        "SOP-IT-001/1.1/SOP-IT-001-v1.1-annotated.pdf",
        "notes.txt",
        ".htaccess",
        "SOP-IT-001/1.0/SOP-IT-001-v1.0.pdf",
    ] {
        assert!(dist.join(kept).is_file(), "{kept}");
    }
    assert!(
        demo.join("drafts/SOP-IT-001/SOP-IT-001-working-copy.html")
            .is_file()
    );

    // Said in words.
    let again = env.run_in(&demo, &["publish"], &[]);
    again.expect_code(0);
    assert!(!again.stderr.contains("removed"), "{}", again.stderr);
    assert!(
        again.stderr.contains(
            "warning: dist holds 3 files that sopctl did not put there (e.g. dist/SOP-IT-001/1.1/SOP-IT-001-v1.1-annotated.pdf): left as they are, and copied with the site; keep your own files elsewhere\n"
        ),
        "{}",
        again.stderr
    );

    // While the SOP's file cannot be read it is not on the site, and its files stay.
    let text = std::fs::read_to_string(&file).expect("sop");
    std::fs::write(&file, text.replacen("title:", "title [unclosed", 1)).expect("typo");
    let broken = env.run_in(&demo, &["publish"], &[]);
    broken.expect_code(0);
    assert!(
        broken.stderr.contains(
            "warning: sops/privacy-settings-sop.md cannot be read as an SOP, so it is not on the site: "
        ) && !broken.stderr.contains("removed"),
        "{}",
        broken.stderr
    );
    assert!(dist.join("SOP-IT-001/1.0/SOP-IT-001-v1.0.pdf").is_file());
}

/// `publish -o` naming a folder by mistake (a home folder) removes nothing from it, however
/// often it runs, not even files shaped like a site's; a second repository publishing into a
/// site of another removes nothing of it.
#[test]
fn publishing_into_a_folder_sopctl_did_not_fill_removes_nothing() {
    let env = TestEnv::new();
    env.run(&["init", "--example", "demo"]).expect_code(0);
    let demo = env.path("demo");
    let home = env.path("home");
    let mine = [
        "Documents/thesis.docx",
        "project/index.html",
        "drafts/plan.pdf",
        "SOP-IT-001/1.0/SOP-IT-001-v1.0-annotated.pdf",
    ];
    for file in mine {
        let path = home.join(file);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(&path, "mine").expect("write");
    }
    for _ in 0..2 {
        let run = env.run_in(&demo, &["publish", "-o", "../home", "--json"], &[]);
        run.expect_code(0);
        let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
        assert_eq!(json["stale"], serde_json::json!([]));
    }
    for file in mine {
        assert_eq!(
            std::fs::read_to_string(home.join(file)).expect("kept"),
            "mine"
        );
    }

    // Another repository into the same folder: its files are added, nothing of the first goes.
    let other = env.path("other");
    std::fs::create_dir_all(other.join("sops")).expect("mkdir");
    let git = |args: &[&str]| {
        let ok = std::process::Command::new("git")
            .args(args)
            .current_dir(&other)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("HOME", &other)
            .status()
            .expect("git")
            .success();
        assert!(ok, "git {args:?}");
    };
    git(&["init", "-q", "-b", "main"]);
    git(&["config", "user.name", "Other Owner"]);
    git(&["config", "user.email", "other@example.org"]);
    std::fs::write(other.join("sops/b.md"), sop("SOP-2", "Line clearance")).expect("write");
    git(&["add", "-A"]);
    git(&["commit", "-qm", "Add SOP-2"]);
    env.run_in(
        &other,
        &["release", "SOP-2", "--no-render", "-m", "First"],
        &[],
    )
    .expect_code(0);
    let run = env.run_in(&other, &["publish", "-o", "../home", "--json"], &[]);
    run.expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(json["stale"], serde_json::json!([]));
    assert!(
        json["not_pruned"].as_str().is_some_and(|why| why
            .starts_with("it holds a site published from another repository")),
        "{json}"
    );
    assert!(home.join("SOP-IT-001/1.1/SOP-IT-001-v1.1.pdf").is_file());
}
