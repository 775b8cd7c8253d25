//! Versions in force (issue 16): superseded copies that say so on every page, record copies
//! that never change, and releases that wait for their effective date.

use crate::harness::{TODAY, TestEnv, pdf_pages, sop};

/// An SOP long enough to fill several pages.
fn long_sop(id: &str, title: &str) -> String {
    let mut text = sop(id, title);
    text.push_str("\n## Procedure\n\n");
    for n in 1..=60 {
        text.push_str(&format!(
            "{n}. Check the line, the label and the batch record, and sign the log for step {n}.\n"
        ));
    }
    text
}

/// The site's `index.json`.
fn index(env: &TestEnv) -> serde_json::Value {
    serde_json::from_str(&env.read("dist/index.json")).expect("index.json")
}

/// Every record copy (the PDF and HTML a release made) under `dist/`, by path.
fn record_copies(env: &TestEnv) -> std::collections::BTreeMap<String, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    for version in ["1.0", "1.1", "1.2"] {
        for ext in ["pdf", "html"] {
            let rel = format!("dist/SOP-001/{version}/SOP-001-v{version}.{ext}");
            out.insert(rel.clone(), std::fs::read(env.path(&rel)).expect(&rel));
        }
    }
    out
}

/// Records made on [`TODAY`] (git's clock and sopctl's agree): a release's tag time is the
/// day it was recorded, which tells whether a later release of the same effective day replaced
/// it before it took effect.
const ON_TODAY: [(&str, &str); 2] = [
    ("GIT_COMMITTER_DATE", "2026-01-15T10:00:00Z"),
    ("GIT_AUTHOR_DATE", "2026-01-15T10:00:00Z"),
];

/// Runs sopctl on [`TODAY`] by git's clock too.
fn run_today(env: &TestEnv, args: &[&str]) {
    env.run_in(&env.root, args, &ON_TODAY).expect_code(0);
}

/// Edits SOP-001 and releases it as the next minor version.
fn release_minor(env: &TestEnv, step: &str, extra: &[&str]) {
    let text = env.read("sops/a.md");
    env.write("sops/a.md", text.replace("Why.", &format!("Why. {step}")));
    env.commit(step);
    let mut args = vec!["release", "SOP-001", "--minor", "-m", step];
    args.extend_from_slice(extra);
    run_today(env, &args);
}

#[test]
fn after_three_releases_and_a_retirement_every_offered_copy_says_whether_it_is_in_force() {
    let env = TestEnv::repo();
    env.write("sops/a.md", long_sop("SOP-001", "Line clearance"));
    env.write("sops/b.md", sop("SOP-002", "Line clearance and changeover"));
    env.commit("Add SOP-001 and SOP-002");
    run_today(&env, &["release", "SOP-001", "-m", "First"]);
    run_today(&env, &["release", "SOP-002", "-m", "First"]);
    release_minor(&env, "Second", &[]);
    release_minor(&env, "Third", &[]);
    env.run(&["publish"]).expect_code(0);
    let json = index(&env);
    let versions = &json["sops"][0]["versions"];
    let offered = |n: usize| {
        env.path(&format!(
            "dist/{}",
            versions[n]["pdf"].as_str().expect("pdf")
        ))
    };
    assert_eq!(versions[0]["version"], "1.2");
    assert_eq!(versions[0]["standing"], "in-force");
    let current = pdf_pages(&offered(0));
    assert!(current.len() >= 2, "a document of several pages");
    for page in &current {
        assert!(page.contains("Uncontrolled when printed"), "{page}");
        assert!(
            !page.contains("SUPERSEDED") && !page.contains("Superseded"),
            "{page}"
        );
    }
    for (n, successor) in [(1, "1.2"), (2, "1.1")] {
        assert_eq!(versions[n]["standing"], "superseded");
        let notice = format!("Superseded by version {successor}, effective {TODAY}");
        assert_eq!(versions[n]["notice"], notice.as_str());
        let pages = pdf_pages(&offered(n));
        assert_eq!(pages.len(), current.len());
        for page in &pages {
            assert!(page.contains("SUPERSEDED"), "{page}");
            assert!(page.contains(&notice), "{page}");
        }
    }
    // The copies offered are genuine, and say which version is in force.
    let verify = env.run(&[
        "verify",
        versions[2]["pdf"]
            .as_str()
            .map(|p| format!("dist/{p}"))
            .as_deref()
            .expect("pdf"),
    ]);
    verify.expect_code(0);
    assert!(
        verify.stdout.contains(&format!(
            "SOP-001 version 1.0, genuine stamped copy (\"Superseded by version 1.1, effective {TODAY}\")"
        )) && verify.stdout.ends_with("; superseded by 1.2\n"),
        "{}",
        verify.stdout
    );

    // Retirement and publishing again never rewrite a record copy.
    let records = record_copies(&env);
    let earlier_stamp = std::fs::read(offered(2)).expect("stamped 1.0");
    env.write("downloaded-1.0.pdf", &earlier_stamp);
    env.run(&[
        "retire",
        "SOP-001",
        "--superseded-by",
        "SOP-002",
        "-m",
        "Merged into SOP-002",
    ])
    .expect_code(0);
    env.run(&["publish"]).expect_code(0);
    env.run(&["publish"]).expect_code(0);
    assert!(record_copies(&env) == records, "a record copy changed");
    let json = index(&env);
    let versions = &json["sops"][0]["versions"];
    for n in 0..3 {
        assert_eq!(versions[n]["standing"], "withdrawn");
        let path = env.path(&format!(
            "dist/{}",
            versions[n]["pdf"].as_str().expect("pdf")
        ));
        for page in pdf_pages(&path) {
            assert!(page.contains("SUPERSEDED"), "{page}");
            assert!(
                page.contains("Withdrawn: superseded by SOP-002 Line clearance and changeover"),
                "{page}"
            );
        }
    }
    // A copy stamped before the retirement is still recognised.
    let earlier = env.run(&["verify", "downloaded-1.0.pdf"]);
    earlier.expect_code(0);
    assert!(
        earlier.stdout.contains(&format!(
            "genuine stamped copy (\"Superseded by version 1.1, effective {TODAY}\")"
        )) && earlier
            .stdout
            .ends_with("; withdrawn (superseded, replaced by SOP-002)\n"),
        "{}",
        earlier.stdout
    );
    // A stamped copy with one byte changed is altered.
    let stamped = env.path("dist/SOP-001/1.2/SOP-001-v1.2-superseded.pdf");
    let mut bytes = std::fs::read(&stamped).expect("stamped");
    let at = bytes.len() / 2;
    bytes[at] ^= 1;
    env.write("changed.pdf", &bytes);
    let altered = env.run(&["verify", "changed.pdf"]);
    altered.expect_code(1);
    assert!(
        altered
            .stdout
            .starts_with("changed.pdf: claims to be SOP-001 version 1.2, but it is ALTERED"),
        "{}",
        altered.stdout
    );
}

#[test]
fn a_release_waits_for_its_effective_date_while_the_version_before_stays_in_force() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-001", "Line clearance"));
    env.commit("Add SOP-001");
    run_today(&env, &["release", "SOP-001", "-m", "First"]);
    release_minor(&env, "Second", &["--effective", "2026-01-22"]);
    let tag = env.git(&["tag", "-l", "-n99", "SOP-001/v1.1.0"]);
    assert!(tag.contains("Date: 2026-01-22"), "{tag}");

    // Until then 1.0 is in force: list, show `current`, the site.
    let list = env.run(&["list", "--json"]);
    let rows: serde_json::Value = serde_json::from_str(&list.stdout).expect("json");
    assert_eq!(rows[0]["version"], "1.0");
    assert_eq!(rows[0]["coming"][0]["version"], "1.1");
    assert_eq!(rows[0]["coming"][0]["effective"], "2026-01-22");
    let table = env.run(&["list"]);
    assert!(
        table.stdout.contains(" 1.0 (1.1 from 2026-01-22) "),
        "{}",
        table.stdout
    );
    let current = env.run(&["show", "SOP-001", "current"]);
    current.expect_code(0);
    assert!(
        current.stdout.contains("\nversion: 1.0.0\n"),
        "{}",
        current.stdout
    );
    let latest = env.run(&["show", "SOP-001", "latest"]);
    assert!(
        latest.stdout.contains("\nversion: 1.1.0\n"),
        "{}",
        latest.stdout
    );
    env.run(&["publish"]).expect_code(0);
    let json = index(&env);
    assert_eq!(json["sops"][0]["version"], "1.0");
    assert_eq!(json["sops"][0]["latest"], "1.1");
    assert_eq!(json["sops"][0]["coming"][0]["effective"], "2026-01-22");
    assert_eq!(json["sops"][0]["versions"][0]["standing"], "pending");
    assert_eq!(json["sops"][0]["versions"][1]["standing"], "in-force");
    let front = env.read("dist/index.html");
    assert!(
        front.contains("<span class=\"coming\">1.1 effective from 2026-01-22</span>"),
        "{front}"
    );
    let record_1_0 = env.path("dist/SOP-001/1.0/SOP-001-v1.0.pdf");
    let verify = env.run(&["verify", "dist/SOP-001/1.0/SOP-001-v1.0.pdf"]);
    verify.expect_code(0);
    assert!(verify.stdout.ends_with("; current\n"), "{}", verify.stdout);
    let pending = env.run(&["verify", "dist/SOP-001/1.1/SOP-001-v1.1.pdf"]);
    assert!(
        pending
            .stdout
            .ends_with("; not yet in force: it takes effect on 2026-01-22\n"),
        "{}",
        pending.stdout
    );

    // A second release while 1.1 waits takes effect on its day or later.
    let text = env.read("sops/a.md");
    env.write("sops/a.md", text.replace("Why.", "Why, again."));
    env.commit("Third");
    let before = env.snapshot();
    let refused = env.run(&["release", "SOP-001", "--minor", "-m", "Third"]);
    refused.expect_code(1);
    assert!(
        refused
            .stderr
            .contains("before the last release 1.1 (2026-01-22)"),
        "{}",
        refused.stderr
    );
    let refused = env.run(&[
        "release",
        "SOP-001",
        "--minor",
        "-m",
        "Third",
        "--effective",
        "2026-01-21",
    ]);
    refused.expect_code(1);
    assert_eq!(env.snapshot(), before);

    // On the day, 1.1 is in force with no new commit, and 1.0's copies on the site say so.
    let day = [("SOPCTL_TODAY", "2026-01-22")];
    let list = env.run_in(&env.root, &["list", "--json"], &day);
    let rows: serde_json::Value = serde_json::from_str(&list.stdout).expect("json");
    assert_eq!(rows[0]["version"], "1.1");
    assert_eq!(rows[0]["coming"], serde_json::json!([]));
    env.run_in(&env.root, &["publish"], &day).expect_code(0);
    let json = index(&env);
    assert_eq!(json["sops"][0]["version"], "1.1");
    assert_eq!(json["sops"][0]["versions"][1]["standing"], "superseded");
    let stamped = env.path("dist/SOP-001/1.0/SOP-001-v1.0-superseded.pdf");
    for page in pdf_pages(&stamped) {
        assert!(
            page.contains("Superseded by version 1.1, effective 2026-01-22"),
            "{page}"
        );
    }
    let verify = env.run_in(
        &env.root,
        &["verify", &record_1_0.display().to_string()],
        &day,
    );
    assert!(
        verify.stdout.ends_with("; superseded by 1.1\n"),
        "{}",
        verify.stdout
    );
}

#[test]
fn a_release_replaced_before_its_day_is_never_in_force_and_its_copies_say_so() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-001", "Line clearance"));
    env.commit("Add SOP-001");
    run_today(&env, &["release", "SOP-001", "-m", "First"]);
    let text = env.read("sops/a.md");
    env.write("sops/a.md", text.replace("Why.", "Why. Second"));
    env.commit("Second");
    let before = env.snapshot();
    // A back-dated release is refused: it would change which version people worked by.
    let refused = env.run(&[
        "release",
        "SOP-001",
        "--minor",
        "-m",
        "Third",
        "--effective",
        "2026-01-10",
    ]);
    refused.expect_code(1);
    assert!(
        refused
            .stderr
            .contains("the effective date 2026-01-10 is before today (2026-01-15)"),
        "{}",
        refused.stderr
    );
    assert_eq!(env.snapshot(), before);

    run_today(
        &env,
        &[
            "release",
            "SOP-001",
            "--minor",
            "-m",
            "Second",
            "--effective",
            "2026-01-22",
        ],
    );
    // A correction released for the same day replaces 1.1 before it takes effect.
    release_minor(&env, "Corrected", &["--effective", "2026-01-22"]);
    let list = env.run(&["list"]);
    assert!(
        list.stdout.contains(" 1.0 (1.2 from 2026-01-22) "),
        "{}",
        list.stdout
    );
    env.run(&["publish"]).expect_code(0);
    let json = index(&env);
    let versions = &json["sops"][0]["versions"];
    assert_eq!(versions[0]["standing"], "pending");
    assert_eq!(versions[1]["version"], "1.1");
    assert_eq!(versions[1]["standing"], "superseded");
    assert_eq!(
        versions[1]["notice"],
        "Superseded by version 1.2, effective 2026-01-22"
    );
    assert_eq!(versions[2]["standing"], "in-force");
    // On the day, 1.0 is superseded by 1.2: 1.1 was never in force.
    let day = [("SOPCTL_TODAY", "2026-01-22")];
    env.run_in(&env.root, &["publish"], &day).expect_code(0);
    let json = index(&env);
    assert_eq!(
        json["sops"][0]["versions"][2]["notice"],
        "Superseded by version 1.2, effective 2026-01-22"
    );
}

#[test]
fn a_first_release_waiting_for_its_day_is_published_as_coming_and_old_stamps_go() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-001", "Line clearance"));
    env.write(
        "sops/b.md",
        sop("SOP-002", "Changeover").replace("version: 1.0\n", "version: 0.9\n"),
    );
    env.commit("Add SOP-001 and SOP-002");
    run_today(&env, &["release", "SOP-001", "-m", "First"]);
    release_minor(&env, "Second", &[]);
    // SOP-002's first release takes effect later: the site lists it as coming.
    let text = env.read("sops/b.md").replace("effective: 2025-11-08\n", "");
    env.write("sops/b.md", text);
    env.commit("Not yet effective");
    run_today(
        &env,
        &[
            "release",
            "SOP-002",
            "--set-version",
            "1.0",
            "-m",
            "First",
            "--effective",
            "2026-02-01",
        ],
    );
    let publish = env.run(&["publish"]);
    publish.expect_code(0);
    let json = index(&env);
    let second = &json["sops"][1];
    assert_eq!(second["id"], "SOP-002");
    assert_eq!(second["version"], "");
    assert_eq!(second["status"], "pending");
    assert_eq!(second["coming"][0]["effective"], "2026-02-01");
    let front = env.read("dist/index.html");
    assert!(
        front.contains("<span class=\"coming\">1.0 effective from 2026-02-01</span>"),
        "{front}"
    );
    let show = env.run(&["show", "SOP-002", "current"]);
    show.expect_code(1);
    assert!(
        show.stderr.starts_with(
            "error: SOP-002 has no version in force yet: 1.0 takes effect on 2026-02-01\n"
        ),
        "{}",
        show.stderr
    );
    // Withdrawn as obsolete, SOP-001's 1.0 is stamped otherwise: the stale stamp goes.
    assert!(
        env.path("dist/SOP-001/1.0/SOP-001-v1.0-superseded.pdf")
            .exists()
    );
    env.run(&["retire", "SOP-001", "-m", "No longer done"])
        .expect_code(0);
    let publish = env.run(&["publish"]);
    publish.expect_code(0);
    assert!(
        publish.stderr.contains(
            "removed dist/SOP-001/1.0/SOP-001-v1.0-superseded.pdf: the site no longer offers it"
        ),
        "{}",
        publish.stderr
    );
    assert!(
        !env.path("dist/SOP-001/1.0/SOP-001-v1.0-superseded.pdf")
            .exists()
    );
    for page in pdf_pages(&env.path("dist/SOP-001/1.0/SOP-001-v1.0-obsolete.pdf")) {
        assert!(page.contains("OBSOLETE"), "{page}");
        assert!(
            page.contains("Withdrawn: obsolete, no longer in use"),
            "{page}"
        );
    }
}
