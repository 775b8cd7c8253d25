//! `--json` on the commands that make records or the site (issue 14, item 10): the keys of
//! docs/json.md, read back with serde_json and compared whole.

use serde_json::{Value, json};

use crate::harness::DANA;
use crate::harness::{TestEnv, released_sop, sop};

fn parse(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

fn head(env: &TestEnv) -> String {
    env.git(&["rev-parse", "HEAD"]).trim().to_string()
}

#[test]
fn release_json_is_the_plan_with_dry_run_and_the_release_made_without() {
    let env = released_sop();
    env.write(
        "sops/a.md",
        env.read("sops/a.md").replace("Why.", "Why it matters."),
    );
    env.commit("Explain why");
    let before = env.snapshot();
    let plan = env.run(&[
        "release",
        "--minor",
        "-m",
        "Explain why",
        "--dry-run",
        "--json",
    ]);
    plan.expect_code(0);
    assert_eq!(plan.stderr, "dry run: nothing was changed\n");
    assert_eq!(env.snapshot(), before, "a dry run changes nothing");
    let mut expected = json!({
        "dry_run": true,
        "id": "SOP-1",
        "title": "Alpha",
        "path": "sops/a.md",
        "version": "1.1.0",
        "display": "1.1",
        "from": {"version": "1.0.0", "display": "1.0"},
        "adopting": false,
        "status_before": "effective",
        "effective": "2026-01-15",
        "author": "Test Owner",
        "summary": "Explain why",
        "approvals": [],
        "branch": "main",
        "tag": "SOP-1/v1.1.0",
        "commit": null,
        "changed_keys": ["version", "effective"],
        "renditions": ["dist/SOP-1/1.1/SOP-1-v1.1.pdf", "dist/SOP-1/1.1/SOP-1-v1.1.html"],
        "revision_history": "| Version | Date | Changes | Author |\n| --- | --- | --- | --- |\n| 1.0 | 2025-11-08 | First | Test Owner |\n| 1.1 | 2026-01-15 | Explain why | Test Owner |\n",
        "recall": [],
    });
    assert_eq!(parse(&plan.stdout), expected);

    let done = env.run(&["release", "--minor", "-m", "Explain why", "--json"]);
    done.expect_code(0);
    assert_eq!(done.stderr, "");
    expected["dry_run"] = json!(false);
    expected["commit"] = json!(head(&env));
    assert_eq!(parse(&done.stdout), expected);
    assert_eq!(
        env.git(&["rev-list", "-n", "1", "SOP-1/v1.1.0"]).trim(),
        head(&env)
    );
}

#[test]
fn release_json_of_a_first_release_has_no_from() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    let run = env.run(&["release", "-m", "First", "--no-render", "--json", "-q"]);
    run.expect_code(0);
    assert_eq!(run.stderr, "");
    let out = parse(&run.stdout);
    assert_eq!(out["from"], Value::Null);
    assert_eq!(out["adopting"], json!(true));
    assert_eq!(out["version"], json!("1.0.0"));
    assert_eq!(out["renditions"], json!([]));
    assert_eq!(out["commit"], json!(head(&env)));
}

#[test]
fn publish_json_says_what_was_made_and_kept() {
    let env = released_sop();
    env.write("sops/b.md", sop("SOP-2", "Beta"));
    env.commit("Add SOP-2");
    std::fs::remove_dir_all(env.path("dist")).expect("the release's renditions");
    let first = env.run(&["publish", "--json", "-q"]);
    first.expect_code(0);
    assert_eq!(first.stderr, "");
    let written = [
        "dist/SOP-1/1.0/SOP-1-v1.0.pdf",
        "dist/SOP-1/1.0/SOP-1-v1.0.html",
        "dist/SOP-1/index.html",
        "dist/index.html",
        "dist/search-index.js",
        "dist/index.json",
        "dist/.sopctl-site.json",
    ];
    let out = parse(&first.stdout);
    let mut shown: Vec<String> = out["written"]
        .as_array()
        .expect("written")
        .iter()
        .map(|p| p.as_str().expect("path").to_string())
        .collect();
    shown.sort();
    let mut expected_written: Vec<String> = written.iter().map(ToString::to_string).collect();
    expected_written.sort();
    assert_eq!(shown, expected_written);
    let mut without_written = out.clone();
    without_written
        .as_object_mut()
        .expect("object")
        .remove("written");
    assert_eq!(
        without_written,
        json!({
            "index": "dist/index.html",
            "removed": [],
            "stale": [],
            "foreign": [],
            "not_pruned": null,
            "sops": 1,
            "rendered": 2,
            "kept": 0,
            "unreleased": ["SOP-2"],
            "missing": [],
            "shard": null,
        })
    );

    let again = env.run(&["publish", "--json", "--shard", "1/2"]);
    again.expect_code(0);
    let out = parse(&again.stdout);
    assert_eq!(out["rendered"], json!(0));
    assert_eq!(out["kept"], json!(2));
    assert_eq!(out["shard"], json!({"index": 1, "count": 2}));
}

#[test]
fn approve_review_and_retire_print_the_record_they_made() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        sop("SOP-1", "Alpha").replace(
            "review_interval: 1 year\n",
            "review_interval: 1 year\napprovers: [QA Manager, Production Lead]\n",
        ),
    );
    env.write("sops/b.md", sop("SOP-2", "Beta"));
    env.commit("Add two SOPs");

    let approved = env.run_in(
        &env.root,
        &["approve", "SOP-1", "--role", "qa manager", "--json"],
        &DANA,
    );
    approved.expect_code(0);
    let content = env.git(&[
        "log",
        "-1",
        "--format=%(trailers:key=Approval-Content,valueonly)",
    ]);
    assert!(content.starts_with("sha256:"), "{content}");
    assert_eq!(
        parse(&approved.stdout),
        json!({
            "id": "SOP-1",
            "name": "Dana Quality",
            "email": "dana@example.org",
            "role": "QA Manager",
            "meaning": "approved",
            "date": "2025-11-08T09:00:00Z",
            "exception": null,
            "content": content.trim(),
            "commit": head(&env),
            "still_to_approve": ["Production Lead"],
        })
    );

    let reviewed = env.run(&["review", "SOP-2", "-m", "Still right", "--json"]);
    reviewed.expect_code(0);
    assert_eq!(
        parse(&reviewed.stdout),
        json!({
            "id": "SOP-2",
            "date": "2026-01-15",
            "note": "Still right",
            "name": "Test Owner",
            "email": "owner@example.org",
            "next_review": "2027-01-15",
            "commit": head(&env),
        })
    );

    let superseded = env.run(&[
        "retire",
        "SOP-1",
        "--superseded-by",
        "SOP-2",
        "-m",
        "Merged into SOP-2",
        "--json",
    ]);
    superseded.expect_code(0);
    assert_eq!(
        parse(&superseded.stdout),
        json!({
            "id": "SOP-1",
            "status": "superseded",
            "superseded_by": "SOP-2",
            "reason": "Merged into SOP-2",
            "commit": head(&env),
            "recall": [],
        })
    );
    let obsolete = env.run(&["retire", "SOP-2", "-m", "Line closed", "--json", "-q"]);
    obsolete.expect_code(0);
    assert_eq!(obsolete.stderr, "");
    assert_eq!(
        parse(&obsolete.stdout),
        json!({
            "id": "SOP-2",
            "status": "obsolete",
            "superseded_by": null,
            "reason": "Line closed",
            "commit": head(&env),
            "recall": [],
        })
    );
}
