//! `sopctl list`.

use crate::harness::{TestEnv, sop};

#[test]
fn list_shows_each_sop_with_next_review_and_unreleased_changes() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-001", "Cleaning"));
    env.write(
        "sops/b.md",
        "---\nid: SOP-002\ntitle: Hand hygiene\nversion: 1.1.1\nowner: QA\nstatus: effective\neffective: 2025-01-10\nreview_interval: 6 months\n---\n",
    );
    env.commit("add SOPs");
    env.git(&["tag", "-a", "SOP-001/v1.0.0", "-m", "release"]);
    let run = env.run(&["list"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "ID       TITLE         VERSION  STATUS     EFFECTIVE   NEXT REVIEW           UNRELEASED\n\
         SOP-001  Cleaning      1.0      effective  2025-11-08  2026-11-08            no\n\
         SOP-002  Hand hygiene  1.1.1    effective  2025-01-10  2025-07-10 (overdue)  yes\n"
    );

    env.write(
        "sops/a.md",
        sop("SOP-001", "Cleaning").replace("Why.", "Why, edited."),
    );
    let json = env.run(&["list", "--json"]);
    json.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(v[0]["id"], "SOP-001");
    assert_eq!(v[0]["version"], "1.0");
    assert_eq!(v[0]["unreleased_changes"], true);
    assert_eq!(v[1]["next_review"], "2025-07-10");
    assert_eq!(v[1]["overdue"], true);
    assert_eq!(v[1]["path"], "sops/b.md");
}

#[test]
fn list_of_an_empty_repository_says_how_to_start() {
    let env = TestEnv::repo();
    let run = env.run(&["list"]);
    run.expect_code(0);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "no SOPs in sops/\nhint: create one with  sopctl new \"Title of the procedure\"\n"
    );
}
