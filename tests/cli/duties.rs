//! Separation of duties (issue 15, item 3): an approval by an author of the change, or one person
//! in two approver roles, does not count; `separation_of_duties = false` allows and marks them.

use crate::errors::refused;
use crate::harness::DANA;
use crate::signers::{ERIN, approve, repo};

#[test]
fn an_approval_by_the_author_of_the_change_does_not_count() {
    let env = repo("[QA Manager]", "");
    approve(&env, "QA Manager", &[]);
    let commit = env.git(&["log", "-1", "--format=%h", "--", "sops/a.md"]);
    assert_eq!(
        refused(&env, &["release", "-m", "First"], 1),
        format!(
            "error: SOP-1 cannot be released (1 problem); nothing was changed\n\
             \x20 1. the approval as QA Manager by Test Owner <owner@example.org> does not count: they changed SOP-1 since its last release (commit {}), and an approver may not approve their own change\n\
             \x20    hint: another person who holds the role approves with  sopctl approve --role 'QA Manager'; if your procedures let an author approve, set  separation_of_duties = false  in sopctl.toml (the release record then marks the approval)\n",
            commit.trim()
        )
    );
    // Another person's approval counts; the release itself is no change of the next version, so
    // the owner who released may approve the next one, which Dana writes.
    approve(&env, "QA Manager", &DANA);
    env.run(&["release", "-m", "First"]).expect_code(0);
    env.write(
        "sops/a.md",
        env.read("sops/a.md").replace("Why.", "Why not."),
    );
    env.git(&["add", "-A"]);
    let mut commit = env.command("git");
    commit
        .args(["commit", "-q", "-m", "Dana's edit"])
        .envs(DANA);
    assert!(commit.status().expect("git").success());
    let run = env.run_in(&env.root, &["approve", "--role", "QA Manager"], &DANA);
    run.expect_code(0);
    assert!(
        run.stderr.contains("hint: the release would refuse this: the approval as QA Manager by Dana Quality <dana@example.org> does not count"),
        "{}",
        run.stderr
    );
    approve(&env, "QA Manager", &[]);
    env.run(&["release", "--minor", "-m", "Second"])
        .expect_code(0);
    let log = env.run(&["log"]);
    let row = log.stdout.lines().nth(2).unwrap_or("").to_string();
    assert!(
        row.starts_with(
            "1.1      2026-01-15  Test Owner  Second   Test Owner (QA Manager)    SOP-1/v1.1.0"
        ),
        "{}",
        log.stdout
    );
}

#[test]
fn one_person_in_two_roles_counts_once() {
    let env = repo("[QA Manager, Site Director]", "");
    approve(&env, "QA Manager", &DANA);
    approve(&env, "Site Director", &DANA);
    let stderr = refused(&env, &["release", "-m", "First"], 1);
    assert_eq!(
        stderr,
        "error: SOP-1 cannot be released (1 problem); nothing was changed\n\
         \x20 1. Dana Quality <dana@example.org> approved as QA Manager and Site Director: one person fills only one approver role of a release\n\
         \x20    hint: another person approves as Site Director with  sopctl approve --role 'Site Director'; if your procedures allow one person in two roles, set  separation_of_duties = false  in sopctl.toml (the release record then marks it)\n"
    );
    // Erin approves as QA Manager: Dana then fills Site Director, and the release goes through.
    approve(&env, "QA Manager", &ERIN);
    env.run(&["release", "-m", "First"]).expect_code(0);
    assert!(
        env.read("sops/a.md")
            .contains("| 1.0 | 2025-11-08 | First | Test Owner | Erin Ops (QA Manager), Dana Quality (Site Director) |\n")
    );
}

#[test]
fn the_setting_allows_both_and_the_record_marks_them() {
    let env = repo(
        "[QA Manager, Site Director, Reviewer]",
        "separation_of_duties = false\n",
    );
    approve(&env, "QA Manager", &DANA);
    approve(&env, "Site Director", &DANA);
    approve(&env, "Reviewer", &[]);
    env.run(&["release", "-m", "First"]).expect_code(0);
    let row = "| 1.0 | 2025-11-08 | First | Test Owner | Dana Quality (QA Manager), Dana Quality (Site Director, second role), Test Owner (Reviewer, self-approved) |\n";
    assert!(
        env.read("sops/a.md").contains(row),
        "{}",
        env.read("sops/a.md")
    );
    let trailers = env.git(&["tag", "-l", "--format=%(contents:body)", "SOP-1/v1.0.0"]);
    let approved: Vec<&str> = trailers
        .lines()
        .filter(|l| l.starts_with("Approved-by:"))
        .map(|l| l.rsplit(" | ").next().unwrap_or(""))
        .collect();
    assert_eq!(
        approved,
        [
            "date: 2025-11-08T09:00:00Z",
            "exception: second role",
            "exception: self-approved"
        ]
    );
    let log = env.run(&["log"]);
    assert!(
        log.stdout.contains("Dana Quality (QA Manager), Dana Quality (Site Director, second role), Test Owner (Reviewer, self-approved)"),
        "{}",
        log.stdout
    );
    let json = env.run(&["log", "--json"]);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(
        value[0]["approvals"][0].get("exception"),
        Some(&serde_json::Value::Null)
    );
    assert_eq!(value[0]["approvals"][2]["exception"], "self-approved");
    // The approvals block of the released PDF and HTML, where the signatures are shown.
    let pdf = env.path("dist/SOP-1/1.0/SOP-1-v1.0.pdf");
    let out = env
        .command("pdftotext")
        .args(["-raw", "-nodiag"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("Dana Quality Site Director (second role) approved")
            && text.contains("Test Owner Reviewer (self-approved) approved"),
        "{text}"
    );
    let html = env.read("dist/SOP-1/1.0/SOP-1-v1.0.html");
    assert!(
        html.contains(
            "<td data-label=\"Name\">Test Owner</td><td data-label=\"Role\">Reviewer (self-approved)</td>"
        ),
        "{html}"
    );
}

#[test]
fn a_signing_key_tells_people_apart_whatever_address_they_write() {
    // The owner wrote the change under a second address, signing with their key, and then
    // approved as "Dana" with the same key: one person, so the approval does not count.
    let env = crate::harness::TestEnv::repo();
    let key = crate::signing::ssh_key(&env, "owner");
    env.git(&["config", "gpg.format", "ssh"]);
    env.git(&["config", "user.signingKey", &key.display().to_string()]);
    env.write(
        "sops/a.md",
        crate::harness::sop("SOP-1", "Alpha")
            .replace("owner: QA\n", "owner: QA\napprovers: [QA Manager]\n"),
    );
    env.git(&["add", "-A"]);
    let mut commit = env.command("git");
    commit
        .args(["commit", "-q", "-S", "-m", "Add SOP-1"])
        .envs(ERIN);
    assert!(commit.status().expect("git").success());
    env.run_in(
        &env.root,
        &["approve", "--role", "QA Manager", "--sign"],
        &DANA,
    )
    .expect_code(0);
    let stderr = refused(&env, &["release", "-m", "First"], 1);
    assert!(
        stderr.contains("  1. the approval as QA Manager by Dana Quality <dana@example.org> does not count: they changed SOP-1 since its last release (commit "),
        "{stderr}"
    );
    // Unsigned, the two addresses are two people.
    let env2 = crate::harness::TestEnv::repo();
    env2.write(
        "sops/a.md",
        crate::harness::sop("SOP-1", "Alpha")
            .replace("owner: QA\n", "owner: QA\napprovers: [QA Manager]\n"),
    );
    env2.git(&["add", "-A"]);
    let mut commit = env2.command("git");
    commit.args(["commit", "-q", "-m", "Add SOP-1"]).envs(ERIN);
    assert!(commit.status().expect("git").success());
    approve(&env2, "QA Manager", &DANA);
    env2.run(&["release", "-m", "First"]).expect_code(0);
}

#[test]
fn an_approver_taken_off_the_list_approves_that_change() {
    let env = repo("[QA Manager]", "");
    // Before a first release the hint names no size: a first release is the version written.
    let first = env.run_in(&env.root, &["approve", "--role", "QA Manager"], &DANA);
    first.expect_code(0);
    assert!(
        first.stderr.ends_with("hint: every approver has approved this content; its owner can release it with  sopctl release -m \"…\"\n"),
        "{}",
        first.stderr
    );
    env.run(&["release", "-m", "First"]).expect_code(0);
    // The owner drops the approvers to release alone.
    env.write(
        "sops/a.md",
        env.read("sops/a.md")
            .replace("approvers: [QA Manager]\n", ""),
    );
    env.commit("No more approvals");
    let stderr = refused(&env, &["release", "--minor", "-m", "Alone"], 1);
    assert!(
        stderr.contains("  1. approval missing from: QA Manager (QA Manager was taken off `approvers` since the last release, and approves that change too)\n"),
        "{stderr}"
    );
    approve(&env, "QA Manager", &DANA);
    env.run(&["release", "--minor", "-m", "Alone"])
        .expect_code(0);
    // From then on the list is empty: the next release needs no approval.
    env.write(
        "sops/a.md",
        env.read("sops/a.md").replace("Why.", "Why not."),
    );
    env.commit("Edit");
    env.run(&["release", "--minor", "-m", "Edit"])
        .expect_code(0);
}
