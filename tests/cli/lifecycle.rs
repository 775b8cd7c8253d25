//! The SOP lifecycle (SPEC §8): approvals bound to content, the signature manifest, periodic
//! review, retirement and the status moves `check` allows.

use crate::harness::{DANA, TestEnv, example, pdf_pages, sop};

/// The example, released once as 1.0, then given `approvers: [QA Manager]` and an edit.
fn example_needing_approval() -> TestEnv {
    let env = TestEnv::repo();
    env.write("sops/privacy.md", example());
    env.commit("Add the privacy SOP");
    env.run(&["release", "-m", "Brought under sopctl"])
        .expect_code(0);
    let text = env.read("sops/privacy.md").replacen(
        "review_interval: quarterly\n",
        "review_interval: quarterly\napprovers: [QA Manager]\n",
        1,
    );
    let text = text.replacen("2-3 minutes", "3-5 minutes", 1);
    env.write("sops/privacy.md", text);
    env.commit("Ask QA to approve; allow more time");
    env
}

fn approve_as_dana(env: &TestEnv, args: &[&str]) -> crate::harness::Run {
    let mut all = vec!["approve"];
    all.extend_from_slice(args);
    env.run_in(&env.root, &all, &DANA)
}

#[test]
fn release_waits_for_each_approver_and_then_names_them_in_tag_table_log_pdf_and_html() {
    let env = example_needing_approval();
    let before = env.snapshot();
    let refused = env.run(&["release", "--minor", "-m", "Allow more time"]);
    refused.expect_code(1);
    assert_eq!(
        refused.stderr,
        "error: SOP-IT-001 cannot be released (1 problem); nothing was changed\n  1. approval missing from: QA Manager\n     hint: each of them approves the current content with  sopctl approve --role='QA Manager'  (an edit after an approval voids it)\n"
    );
    assert_eq!(env.snapshot(), before, "a refused release changes nothing");

    // The role is recorded as `approvers` spells it, whatever case was typed.
    let approved = approve_as_dana(&env, &["--role", "qa manager", "-m", "Checked"]);
    approved.expect_code(0);
    assert_eq!(
        approved.stderr,
        "approving SOP-IT-001 as committed; its changes since 1.0: 1 section changed, 0 added, 0 removed, 0 moved; 2 words inserted, 2 words deleted\n  and in the front matter: approvers (none) → QA Manager\nread them whole, marked:  sopctl diff SOP-IT-001 1.0 --format pdf -o SOP-IT-001-redline.pdf\nrecorded: Dana Quality approved SOP-IT-001 as QA Manager (2025-11-08T09:00:00Z)\nhint: every approver has approved this content; its owner can release it with  sopctl release --minor -m \"…\"  (or --patch, --major)\n"
    );
    let record = env.git(&["log", "-1", "--format=%an|%B"]);
    assert!(
        record.starts_with(
            "Dana Quality|SOP-IT-001: approved by Dana Quality (QA Manager)\n\nChecked\n"
        ),
        "{record}"
    );
    assert!(record.contains("\nApproval-Role: QA Manager\n"), "{record}");
    assert!(record.contains("\nApproval-Content: sha256:"), "{record}");

    env.run(&["release", "--minor", "-m", "Allow more time"])
        .expect_code(0);
    let tag = env.git(&["tag", "-l", "--format=%(contents)", "SOP-IT-001/v1.1.0"]);
    assert!(
        tag.contains("\nApproved-by: Dana Quality <dana@example.org> | role: QA Manager | meaning: approved | date: 2025-11-08T09:00:00Z\n"),
        "{tag}"
    );
    let text = env.read("sops/privacy.md");
    assert!(
        text.contains("| Version | Date | Changes | Author | Approved by |\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "| 1.1 | 2026-01-15 | Allow more time | Test Owner | Dana Quality (QA Manager) |\n"
        ),
        "{text}"
    );
    let log = env.run(&["log", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&log.stdout).expect("json");
    assert_eq!(
        json[1]["approvals"],
        serde_json::json!([{
            "name": "Dana Quality",
            "email": "dana@example.org",
            "role": "QA Manager",
            "meaning": "approved",
            "date": "2025-11-08T09:00:00Z",
            "exception": null
        }])
    );
    assert_eq!(json[0]["approvals"], serde_json::json!([]));

    // The signature manifest (21 CFR 11.50): name, role, meaning, date and time in UTC.
    let pdf = env.path("dist/SOP-IT-001/1.1/SOP-IT-001-v1.1.pdf");
    let out = std::process::Command::new("pdftotext")
        .args(["-layout", "-f", "1", "-l", "1"])
        .arg(&pdf)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    let page = String::from_utf8_lossy(&out.stdout);
    let line = page
        .lines()
        .find(|l| l.contains("Dana Quality"))
        .unwrap_or_else(|| panic!("no signature on page 1:\n{page}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    assert_eq!(
        words,
        [
            "Dana",
            "Quality",
            "QA",
            "Manager",
            "approved",
            "2025-11-08",
            "09:00:00",
            "UTC"
        ]
    );
    let html = env.read("dist/SOP-IT-001/1.1/SOP-IT-001-v1.1.html");
    assert!(
        html.contains("<tr><td data-label=\"Name\">Dana Quality</td><td data-label=\"Role\">QA Manager</td><td data-label=\"Meaning\">approved</td><td data-label=\"Signed (UTC)\"><span class=\"nowrap\">2025-11-08</span> 09:00:00 UTC</td></tr>"),
        "{html}"
    );
}

#[test]
fn an_edit_after_an_approval_voids_it() {
    let env = example_needing_approval();
    approve_as_dana(&env, &["--role", "QA Manager"]).expect_code(0);
    let text = env.read("sops/privacy.md");
    env.write(
        "sops/privacy.md",
        text.replacen("3-5 minutes", "5 minutes", 1),
    );
    let before = env.snapshot();
    let run = env.run(&["release", "--minor", "-m", "x"]);
    run.expect_code(1);
    assert!(
        run.stderr.contains("  1. approval missing from: QA Manager (the approval by Dana Quality (QA Manager) on 2025-11-08 was for the text before a later edit)\n"),
        "{}",
        run.stderr
    );
    assert_eq!(env.snapshot(), before);
    // An approval covers committed text only.
    let run = approve_as_dana(&env, &["--role", "QA Manager"]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: sops/privacy.md has changes that are not committed; an approval covers committed text only\nhint: ask the author to commit the text (git commit), then approve it\n"
    );
    assert_eq!(env.snapshot(), before);
    // Approving the new, committed content lets it through.
    env.commit("Five minutes");
    approve_as_dana(&env, &["--role", "QA Manager"]).expect_code(0);
    env.run(&["release", "--minor", "-m", "Allow five minutes"])
        .expect_code(0);
}

#[test]
fn approve_refuses_a_document_that_fails_its_checks() {
    let env = example_needing_approval();
    let text = env.read("sops/privacy.md");
    env.write(
        "sops/privacy.md",
        text.replacen(
            "## Purpose",
            "## Purpose\n\nSee [the form](missing-form.pdf).",
            1,
        ),
    );
    env.commit("Link the form");
    let before = env.snapshot();
    let run = approve_as_dana(&env, &["--role", "QA Manager"]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: SOP-IT-001 has 1 error that  sopctl check  reports; an approval is for a document that passes its checks\nhint: ask the author to fix and commit them, then approve\n"
    );
    assert_eq!(env.snapshot(), before);
}

#[test]
fn approve_refuses_a_role_that_is_not_an_approver_and_an_unknown_meaning() {
    let env = example_needing_approval();
    let before = env.snapshot();
    let run = approve_as_dana(&env, &["--role", "Cook"]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: `Cook` is not one of the approvers of SOP-IT-001\nhint: the approvers are: QA Manager\n"
    );
    let run = approve_as_dana(&env, &["--role", "QA Manager", "--meaning", "liked"]);
    run.expect_code(2);
    assert!(
        run.stderr
            .contains("--meaning `liked`: use authored, reviewed or approved"),
        "{}",
        run.stderr
    );
    assert_eq!(env.snapshot(), before);
}

#[test]
fn a_review_moves_the_next_review_date_in_list_check_and_json() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        sop("SOP-001", "A").replace("effective: 2025-11-08", "effective: 2024-06-01"),
    );
    env.commit("Add A");
    let list = env.run(&["list", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&list.stdout).expect("json");
    assert_eq!(json[0]["next_review"], "2025-06-01");
    assert_eq!(json[0]["overdue"], true);
    env.run(&["check", "--strict"]).expect_code(1);

    let bad = env.run(&["review", "-m", "ok", "--date", "2026-02-30"]);
    bad.expect_code(2);
    let run = env.run(&[
        "review",
        "-m",
        "Still matches the line layout",
        "--date",
        "2026-01-10",
    ]);
    run.expect_code(0);
    assert_eq!(
        run.stderr,
        "recorded the review of SOP-001 on 2026-01-10; the next review is due on 2027-01-10\n"
    );
    let message = env.git(&["log", "-1", "--format=%B"]);
    assert!(message.contains("\nReview-Date: 2026-01-10\n"), "{message}");
    assert_eq!(
        env.git(&["status", "--porcelain"]),
        "",
        "a review changes no file"
    );
    let list = env.run(&["list", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&list.stdout).expect("json");
    assert_eq!(json[0]["next_review"], "2027-01-10");
    assert_eq!(json[0]["overdue"], false);
    env.run(&["check", "--strict"]).expect_code(0);
}

/// Two released SOPs; A is to be replaced by B.
fn two_released() -> TestEnv {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-001", "Old line clearance"));
    env.write("sops/b.md", sop("SOP-002", "Line clearance"));
    env.commit("Add A and B");
    env.run(&["release", "SOP-001", "-m", "First"])
        .expect_code(0);
    env.run(&["release", "SOP-002", "-m", "First"])
        .expect_code(0);
    env
}

#[test]
fn retire_marks_superseded_and_publish_moves_it_to_the_archive_with_the_watermark() {
    let env = two_released();
    let record_copy = std::fs::read(env.path("dist/SOP-001/1.0/SOP-001-v1.0.pdf")).expect("pdf");
    let before = env.snapshot();
    let run = env.run(&["retire", "SOP-001", "--superseded-by", "SOP-404", "-m", "x"]);
    run.expect_code(1);
    assert!(
        run.stderr
            .starts_with("error: no other SOP has the ID SOP-404\n"),
        "{}",
        run.stderr
    );
    assert_eq!(env.snapshot(), before);

    let run = env.run(&[
        "retire",
        "SOP-001",
        "--superseded-by",
        "SOP-002",
        "-m",
        "Merged into SOP-002",
    ]);
    run.expect_code(0);
    assert_eq!(
        run.stderr,
        "SOP-001 is now superseded, replaced by SOP-002\nhint: renditions now carry the watermark; run  sopctl publish  to move it to the site's archive\n"
    );
    let text = env.read("sops/a.md");
    assert!(
        text.contains("\nstatus: superseded\nsuperseded_by: SOP-002\n"),
        "{text}"
    );
    let message = env.git(&["log", "-1", "--format=%B"]);
    assert!(
        message.starts_with("SOP-001: superseded\n\nMerged into SOP-002\n"),
        "{message}"
    );
    assert!(message.contains("\nSuperseded-By: SOP-002\n"), "{message}");
    assert_eq!(env.git(&["status", "--porcelain"]), "");

    // Refusals: retiring twice, releasing a retired SOP.
    let before = env.snapshot();
    let again = env.run(&["retire", "SOP-001", "-m", "again"]);
    again.expect_code(1);
    assert!(
        again
            .stderr
            .starts_with("error: SOP-001 is already superseded; a retired SOP stays retired\n"),
        "{}",
        again.stderr
    );
    let release = env.run(&["release", "SOP-001", "--minor", "-m", "x"]);
    release.expect_code(1);
    let approve = env.run(&["approve", "SOP-001", "--role", "QA"]);
    approve.expect_code(1);
    assert_eq!(
        approve.stderr,
        "error: SOP-001 is superseded; a retired SOP is not approved again\n"
    );
    assert_eq!(env.snapshot(), before);

    // The list shows no next review for it.
    let list = env.run(&["list", "--json"]);
    let json: serde_json::Value = serde_json::from_str(&list.stdout).expect("json");
    assert_eq!(json[0]["status"], "superseded");
    assert_eq!(json[0]["next_review"], serde_json::Value::Null);

    env.run(&["publish"]).expect_code(0);
    let index = env.read("dist/index.html");
    let (current, archive) = index
        .split_once("Archive: withdrawn SOPs")
        .expect("an archive section");
    assert!(current.contains("SOP-002") && !current.contains(">SOP-001<"));
    assert!(archive.contains(">SOP-001<") && archive.contains("SOP-002/index.html"));
    // The site offers the stamped copy: the watermark, and the successor on every page; the
    // record copy is left as the release made it (issue 16).
    assert!(
        archive.contains("SOP-001/1.0/SOP-001-v1.0-superseded.pdf"),
        "{archive}"
    );
    let pages = pdf_pages(&env.path("dist/SOP-001/1.0/SOP-001-v1.0-superseded.pdf"));
    assert!(!pages.is_empty());
    for page in &pages {
        assert!(page.contains("SUPERSEDED"), "{page}");
        assert!(
            page.contains("Withdrawn: superseded by SOP-002 Line clearance"),
            "{page}"
        );
    }
    let record = pdf_pages(&env.path("dist/SOP-001/1.0/SOP-001-v1.0.pdf")).join("\n");
    assert!(!record.contains("SUPERSEDED"), "{record}");
    assert!(!record.contains("Withdrawn"), "{record}");
    // The record copy is byte for byte the one the release made, after retirement and two
    // publications.
    env.run(&["publish"]).expect_code(0);
    assert!(
        std::fs::read(env.path("dist/SOP-001/1.0/SOP-001-v1.0.pdf")).expect("pdf") == record_copy,
        "the record copy changed"
    );
}

#[test]
fn status_moves_made_by_hand_are_checked_against_the_last_commit() {
    let env = two_released();
    let edit = |from: &str, to: &str| {
        let text = env.read("sops/a.md");
        env.write("sops/a.md", text.replacen(from, to, 1));
    };
    // effective → in-review starts a new revision: allowed.
    edit("status: effective", "status: in-review");
    env.run(&["check"]).expect_code(0);
    // Retirement by hand skips the recorded reason.
    edit("status: in-review", "status: obsolete");
    let run = env.run(&["check"]);
    run.expect_code(1);
    assert!(
        run.stdout.contains(
            "sops/a.md:6:9: error: status: obsolete is set by  sopctl retire -m \"Why\"  (which records the reason); put back `effective` and run it\n"
        ),
        "{}",
        run.stdout
    );
    // Out of a retired status there is no move.
    edit("status: obsolete", "status: effective");
    env.run(&["retire", "SOP-001", "-m", "Withdrawn"])
        .expect_code(0);
    edit("status: obsolete", "status: draft");
    let retired_at = env.git(&["rev-parse", "--short=7", "HEAD"]);
    let expected = format!(
        "sops/a.md:6:9: error: status: draft, but SOP-001 was withdrawn as obsolete in commit {}; a retired SOP stays retired: put back `status: obsolete` (write a new SOP instead)\n",
        retired_at.trim()
    );
    let run = env.run(&["check"]);
    run.expect_code(1);
    assert!(run.stdout.contains(&expected), "{}", run.stdout);
    // Committing the hand edit does not bring it back: the retirement is on record.
    env.commit("Bring A back");
    let _ = std::fs::remove_dir_all(env.path("dist"));
    let before = env.snapshot();
    let run = env.run(&["check"]);
    run.expect_code(1);
    assert!(run.stdout.contains(&expected), "{}", run.stdout);
    let release = env.run(&["release", "SOP-001", "--minor", "-m", "Revive"]);
    release.expect_code(1);
    assert!(
        release
            .stderr
            .contains("the document is obsolete: a retired document is not released again"),
        "{}",
        release.stderr
    );
    env.run(&["review", "SOP-001", "-m", "x"]).expect_code(1);
    env.run(&["publish"]).expect_code(0);
    let index = env.read("dist/index.html");
    let (_, archive) = index
        .split_once("Archive: withdrawn SOPs")
        .expect("archive");
    assert!(archive.contains(">SOP-001<"), "{archive}");
    std::fs::remove_dir_all(env.path("dist")).expect("rm dist");
    assert_eq!(env.snapshot(), before);
}

#[test]
fn a_review_cannot_be_dated_in_the_future_and_approval_needs_approvers() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-001", "A"));
    env.commit("Add A");
    let before = env.snapshot();
    let run = env.run(&["review", "-m", "x", "--date", "2026-01-16"]);
    run.expect_code(2);
    assert!(
        run.stderr.contains(
            "--date 2026-01-16 is after today (2026-01-15 in the time zone UTC); record a review once it has taken place"
        ),
        "{}",
        run.stderr
    );
    let run = env.run(&["approve", "--role", "QA"]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: SOP-001 lists no approvers, so its release needs no approval\nhint: to require approval, add a line such as  approvers: [QA Manager]  to its front matter and commit it\n"
    );
    assert_eq!(env.snapshot(), before);
}

#[test]
fn a_long_approver_name_is_printed_whole_in_the_signature_manifest() {
    let env = example_needing_approval();
    let name = "Dr. Maria-Theresia Konstantinopoulou-Vandenberghe von Habsburg-Lothringen";
    let run = env.run_in(
        &env.root,
        &["approve", "--role", "QA Manager"],
        &[
            ("GIT_COMMITTER_NAME", name),
            ("GIT_COMMITTER_EMAIL", "mt@example.org"),
            ("GIT_AUTHOR_NAME", name),
            ("GIT_AUTHOR_EMAIL", "mt@example.org"),
        ],
    );
    run.expect_code(0);
    env.run(&["release", "--minor", "-m", "More time"])
        .expect_code(0);
    let out = std::process::Command::new("pdftotext")
        .args(["-f", "1", "-l", "1"])
        .arg(env.path("dist/SOP-IT-001/1.1/SOP-IT-001-v1.1.pdf"))
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    let page = String::from_utf8_lossy(&out.stdout);
    // pdftotext joins a word broken after its hyphen and drops the hyphen: compare without them.
    let words: String = page
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace('-', "");
    assert!(!words.contains('…'), "shortened:\n{page}");
    for part in name.split_whitespace() {
        assert!(
            words.contains(&part.replace('-', "")),
            "{part} missing:\n{page}"
        );
    }
}

// Break-it trial (issue 15): an image swapped after the approval was released as approved.
#[test]
fn an_image_changed_after_an_approval_voids_it() {
    use crate::harness::images::png;
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        format!(
            "{}\n![The valve](img/valve.png)\n",
            crate::harness::sop_to_approve("SOP-1", "Alpha")
        ),
    );
    env.write("sops/img/valve.png", png(8, 8));
    env.commit("Add SOP-1");
    approve_as_dana(&env, &["--role", "QA Manager"]).expect_code(0);
    let approval = env.git(&["log", "-1", "--format=%B"]);
    assert!(approval.contains("\nApproval-Files: sha256:"), "{approval}");
    // The picture is replaced and committed: the approval no longer counts.
    env.write("sops/img/valve.png", png(9, 9));
    env.commit("Another picture");
    let run = env.run(&["release", "-m", "First"]);
    run.expect_code(1);
    assert!(
        run.stderr.contains("approval missing from: QA Manager"),
        "{}",
        run.stderr
    );
    // Approved again with the new picture, it is released; verify finds the record whole.
    approve_as_dana(&env, &["--role", "QA Manager"]).expect_code(0);
    env.run(&["release", "-m", "First"]).expect_code(0);
    env.run(&["verify"]).expect_code(0);
}
