//! Controlled copies (issue 16 item 3): `copy issue`, `copy return`, `copy list` and
//! `copy print`, and the recall list in `release`, `retire` and `check`.

use serde_json::{Value, json};

use crate::errors::refused;
use crate::harness::{TODAY, TestEnv, released_sop, sop};

fn parse(stdout: &str) -> Value {
    serde_json::from_str(stdout).unwrap_or_else(|e| panic!("not JSON ({e}): {stdout}"))
}

fn head(env: &TestEnv) -> String {
    env.git(&["rev-parse", "HEAD"]).trim().to_string()
}

/// HEAD and every ref, as `git rev-parse HEAD` and `git for-each-ref` print them.
fn refs(env: &TestEnv) -> String {
    env.git(&["rev-parse", "HEAD"]) + &env.git(&["for-each-ref"])
}

/// `SOP-1` "Alpha" with a body long enough for several pages, released as 1.0.
fn released_long_sop() -> TestEnv {
    let env = TestEnv::repo();
    let steps: String = (1..=12)
        .map(|i| {
            format!(
                "## Step {i}\n\n{}\n\n",
                "Clean the part, check it against the list and sign the sheet. ".repeat(25)
            )
        })
        .collect();
    env.write(
        "sops/a.md",
        format!("{}\n{}", sop("SOP-1", "Alpha"), steps.trim_end()),
    );
    env.commit("Add SOP-1");
    env.run(&["release", "-m", "First"]).expect_code(0);
    env
}

/// Replaces `from` in `sops/a.md` and commits the edit.
fn edit(env: &TestEnv, from: &str, to: &str) {
    let text = env.read("sops/a.md");
    assert!(text.contains(from), "{from}");
    env.write("sops/a.md", text.replacen(from, to, 1));
    env.commit("Edit SOP-1");
}

/// The text `pdftotext` finds in a PDF, and its number of pages (`pdfinfo`).
fn pdf_text(env: &TestEnv, rel: &str) -> (String, usize) {
    let text = env
        .command("pdftotext")
        .arg(env.path(rel))
        .arg("-")
        .output();
    let info = env.command("pdfinfo").arg(env.path(rel)).output();
    let (text, info) = (text.expect("pdftotext runs"), info.expect("pdfinfo runs"));
    let pages = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| {
            l.strip_prefix("Pages:")
                .map(|n| n.trim().parse().expect("pages"))
        })
        .expect("a page count");
    (String::from_utf8_lossy(&text.stdout).into_owned(), pages)
}

#[test]
fn copies_are_issued_numbered_returned_and_recalled_when_a_new_version_or_the_retirement_comes() {
    let env = released_long_sop();
    let issued = env.run(&["copy", "issue", "--to", "Line 3", "--count", "2"]);
    issued.expect_code(0);
    assert_eq!(
        issued.stdout,
        "copies/SOP-1/SOP-1-v1.0-copy-1.pdf\ncopies/SOP-1/SOP-1-v1.0-copy-2.pdf\n"
    );
    let first_issue = head(&env);
    assert_eq!(
        issued.stderr,
        format!(
            "issued controlled copies No. 1-2 of SOP-1 1.0 to Line 3 (commit {})\n\
             hint: add the line  /copies/  to .gitignore, so that the printed copies are not committed\n",
            &first_issue[..7]
        )
    );
    assert_eq!(
        env.git(&["log", "-1", "--format=%B"]),
        "SOP-1: controlled copies 1-2 of 1.0 issued to Line 3\n\n\
         Copy-Document: SOP-1\nCopy-Version: 1.0.0\nCopy-Holder: Line 3\nCopy-Issued: 2026-01-15\n\
         Copy-By: Test Owner <owner@example.org>\nCopy-Number: 1\nCopy-Number: 2\n\n"
    );
    assert_eq!(
        env.git(&["show", "--format=", "--name-only", "HEAD"]),
        "",
        "an issue changes no file"
    );

    env.write(".gitignore", "/dist/\n/copies/\n");
    env.commit("Ignore the copies");
    let office = env.run(&["copy", "issue", "SOP-1", "--to", "  QA   office ", "--json"]);
    office.expect_code(0);
    assert_eq!(
        office.stderr,
        format!(
            "issued controlled copy No. 3 of SOP-1 1.0 to QA office (commit {})\n",
            &head(&env)[..7]
        )
    );
    assert_eq!(
        parse(&office.stdout),
        json!({
            "id": "SOP-1",
            "version": "1.0.0",
            "display": "1.0",
            "holder": "QA office",
            "issued": TODAY,
            "numbers": [3],
            "files": ["copies/SOP-1/SOP-1-v1.0-copy-3.pdf"],
            "commit": head(&env),
        })
    );

    let list = env.run(&["copy", "list", "--json"]);
    list.expect_code(0);
    let copy = |number: u32, holder: &str, commit: &str| {
        json!({
            "id": "SOP-1",
            "number": number,
            "version": "1.0.0",
            "display": "1.0",
            "holder": holder,
            "issued": TODAY,
            "issued_by": "Test Owner <owner@example.org>",
            "returned": null,
            "recall": false,
            "recall_reason": null,
            "recall_note": null,
            "issue_commit": commit,
            "return_commit": null,
        })
    };
    assert_eq!(
        parse(&list.stdout),
        json!([
            copy(1, "Line 3", &first_issue),
            copy(2, "Line 3", &first_issue),
            copy(3, "QA office", &head(&env)),
        ])
    );

    // The footer of every page names the copy; the uncontrolled notice is gone.
    let (text, pages) = pdf_text(&env, "copies/SOP-1/SOP-1-v1.0-copy-1.pdf");
    assert!(pages >= 2, "{pages} pages");
    assert_eq!(
        text.matches("Controlled copy No. 1, issued to Line 3 on 2026-01-15")
            .count(),
        pages,
        "{text}"
    );
    assert!(!text.contains("Uncontrolled when printed"), "{text}");
    let (text, _) = pdf_text(&env, "copies/SOP-1/SOP-1-v1.0-copy-3.pdf");
    assert!(text.contains("Controlled copy No. 3, issued to QA office on 2026-01-15"));

    let back = env.run(&["copy", "return", "2"]);
    back.expect_code(0);
    assert_eq!(
        back.stderr,
        "recorded the return of controlled copy No. 2 of SOP-1 (Line 3, issued 2026-01-15, version 1.0) on 2026-01-15\n\
         hint: 2 more copies of SOP-1 are out:  sopctl copy list SOP-1 --outstanding\n"
    );
    assert_eq!(
        env.git(&["log", "-1", "--format=%B"]),
        "SOP-1: controlled copy 2 returned\n\n\
         Copy-Document: SOP-1\nCopy-Number: 2\nCopy-Returned: 2026-01-15\nCopy-By: Test Owner <owner@example.org>\n\n"
    );

    // Refusals change nothing: no commit, no ref moved.
    let before = refs(&env);
    assert_eq!(
        refused(&env, &["copy", "return", "SOP-1", "2"], 1),
        "error: controlled copy No. 2 of SOP-1 was returned on 2026-01-15\n\
         hint: sopctl copy list SOP-1 --outstanding  shows the copies still out\n"
    );
    assert_eq!(
        refused(&env, &["copy", "return", "99"], 1),
        "error: SOP-1 has no controlled copy No. 99\nhint: the copies of SOP-1 still out are No. 1, 3\n"
    );
    assert_eq!(refs(&env), before);

    // A new version in force today: copies 1 and 3 are to be recalled.
    edit(&env, "Why.", "Why it matters.");
    let release = env.run(&[
        "release",
        "--minor",
        "-m",
        "Second",
        "--no-render",
        "--json",
    ]);
    release.expect_code(0);
    assert_eq!(
        release.stderr,
        "warning: SOP-1 1.1 is in force: recall these controlled copies: \
         No. 1 (Line 3, issued 2026-01-15, version 1.0), No. 3 (QA office, issued 2026-01-15, version 1.0)\n\
         hint: record each copy that comes back with  sopctl copy return SOP-1 NUMBER\n"
    );
    let recall = &parse(&release.stdout)["recall"];
    assert_eq!(recall[0]["number"], json!(1));
    assert_eq!(recall[1]["number"], json!(3));
    assert_eq!(recall[1]["recall_reason"], json!("newer-version"));
    assert_eq!(
        recall[1]["recall_note"],
        json!("1.1 is in force since 2026-01-15")
    );

    let out = env.run(&["copy", "list", "--outstanding"]);
    out.expect_code(0);
    assert_eq!(
        out.stdout,
        "SOP    NO.  VERSION  HOLDER     ISSUED      RETURNED  RECALL\n\
         SOP-1  1    1.0      Line 3     2026-01-15  out       recall: 1.1 is in force since 2026-01-15\n\
         SOP-1  3    1.0      QA office  2026-01-15  out       recall: 1.1 is in force since 2026-01-15\n"
    );

    let check = env.run(&["check"]);
    check.expect_code(0);
    assert_eq!(
        check.stdout,
        "sops/a.md:4:10: warning: controlled copy No. 1 of SOP-1 (version 1.0, issued to Line 3 on 2026-01-15) must be recalled: 1.1 is in force since 2026-01-15; when it comes back, record it with  sopctl copy return SOP-1 1\n\
         sops/a.md:4:10: warning: controlled copy No. 3 of SOP-1 (version 1.0, issued to QA office on 2026-01-15) must be recalled: 1.1 is in force since 2026-01-15; when it comes back, record it with  sopctl copy return SOP-1 3\n"
    );
    let check_json = parse(&env.run(&["check", "--json"]).stdout);
    assert_eq!(check_json["warnings"], json!(2));
    assert_eq!(check_json["findings"][1]["severity"], json!("warning"));

    // Withdrawn: nothing more is issued, and what is out comes back.
    let retire = env.run(&["retire", "-m", "Line closed", "--json"]);
    retire.expect_code(0);
    let recall = &parse(&retire.stdout)["recall"];
    assert_eq!(recall.as_array().map(Vec::len), Some(2));
    assert_eq!(recall[0]["recall_reason"], json!("withdrawn"));
    assert_eq!(recall[0]["recall_note"], json!("the SOP is obsolete"));
    assert!(
        retire.stderr.contains(
            "warning: SOP-1 is withdrawn: recall these controlled copies: \
             No. 1 (Line 3, issued 2026-01-15, version 1.0), No. 3 (QA office, issued 2026-01-15, version 1.0)\n"
        ),
        "{}",
        retire.stderr
    );
    let before = refs(&env);
    assert_eq!(
        refused(&env, &["copy", "issue", "--to", "Line 3"], 1),
        "error: SOP-1 is obsolete; controlled copies are issued only of an SOP in force\n\
         hint: a withdrawn SOP is not issued again; its copies still out are listed by  sopctl copy list --outstanding\n"
    );
    assert_eq!(refs(&env), before);
    env.run(&["copy", "return", "SOP-1", "1"]).expect_code(0);
    let left = env.run(&["copy", "list", "--outstanding", "--json"]);
    let left = parse(&left.stdout);
    assert_eq!(left.as_array().map(Vec::len), Some(1));
    assert_eq!(left[0]["number"], json!(3));
    assert_eq!(left[0]["recall_reason"], json!("withdrawn"));
}

/// [`released_sop`] with copies/ ignored, as `sopctl init` writes `.gitignore`.
fn released_sop_ignoring_copies() -> TestEnv {
    let env = released_sop();
    env.write(".gitignore", "/dist/\n/copies/\n");
    env.commit("Ignore the copies");
    env
}

#[test]
fn a_release_dated_later_makes_the_copies_recallable_only_from_its_effective_date() {
    let env = released_sop_ignoring_copies();
    env.run(&["copy", "issue", "--to", "Line 3"]).expect_code(0);
    edit(&env, "Why.", "Why it matters.");
    let release = env.run(&[
        "release",
        "--minor",
        "-m",
        "Second",
        "--date",
        "2026-03-01",
        "--no-render",
        "-q",
    ]);
    release.expect_code(0);
    // A dry run names the copies too, and when they are to be recalled.
    edit(&env, "Why it matters.", "Why it matters most.");
    let plan = env.run(&[
        "release",
        "--patch",
        "-m",
        "Third",
        "--date",
        "2026-04-01",
        "--dry-run",
        "--json",
    ]);
    plan.expect_code(0);
    assert_eq!(
        plan.stderr,
        "warning: when SOP-1 1.1.1 takes effect on 2026-04-01, recall these controlled copies: \
         No. 1 (Line 3, issued 2026-01-15, version 1.0)\n\
         hint: record each copy that comes back with  sopctl copy return SOP-1 NUMBER\n\
         dry run: nothing was changed\n"
    );
    assert_eq!(parse(&plan.stdout)["recall"][0]["number"], json!(1));

    // Before 1.1 takes effect, 1.0 is in force: its copies stay out, and new ones are of 1.0.
    let list = parse(&env.run(&["copy", "list", "--json"]).stdout);
    assert_eq!(list[0]["recall"], json!(false));
    assert_eq!(env.run(&["check"]).stdout, "");
    let issued = env.run(&["copy", "issue", "--to", "QA office"]);
    issued.expect_code(0);
    assert_eq!(issued.stdout, "copies/SOP-1/SOP-1-v1.0-copy-2.pdf\n");
    assert!(
        issued.stderr.contains(
            "warning: SOP-1 1.1 takes effect on 2026-03-01: these copies must be recalled then\n"
        ),
        "{}",
        issued.stderr
    );

    // On the day, both are to be recalled, and a new copy is of 1.1.
    let on_the_day = [("SOPCTL_TODAY", "2026-03-01")];
    let list = env.run_in(&env.root, &["copy", "list", "--json"], &on_the_day);
    let list = parse(&list.stdout);
    for copy in list.as_array().expect("a list") {
        assert_eq!(copy["recall_reason"], json!("newer-version"));
        assert_eq!(
            copy["recall_note"],
            json!("1.1 is in force since 2026-03-01")
        );
    }
    let check = env.run_in(&env.root, &["check"], &on_the_day);
    assert_eq!(
        check.stdout.matches("must be recalled").count(),
        2,
        "{}",
        check.stdout
    );
    let issued = env.run_in(&env.root, &["copy", "issue", "--to", "Line 3"], &on_the_day);
    issued.expect_code(0);
    assert_eq!(issued.stdout, "copies/SOP-1/SOP-1-v1.1-copy-3.pdf\n");
}

#[test]
fn numbers_are_never_given_twice_and_a_copy_is_printed_again_byte_for_byte() {
    let env = released_sop();
    env.run(&["copy", "issue", "--to", "Line 3", "--count", "2"])
        .expect_code(0);
    env.run(&["copy", "return", "2"]).expect_code(0);
    let next = env.run(&["copy", "issue", "--to", "Line 4"]);
    next.expect_code(0);
    assert_eq!(next.stdout, "copies/SOP-1/SOP-1-v1.0-copy-3.pdf\n");

    let first = std::fs::read(env.path("copies/SOP-1/SOP-1-v1.0-copy-1.pdf")).expect("copy 1");
    std::fs::remove_file(env.path("copies/SOP-1/SOP-1-v1.0-copy-1.pdf")).expect("rm");
    let head_before = head(&env);
    let again = env.run(&["copy", "print", "1"]);
    again.expect_code(0);
    assert_eq!(again.stdout, "copies/SOP-1/SOP-1-v1.0-copy-1.pdf\n");
    assert!(
        again
            .stderr
            .starts_with("wrote 1 controlled copy again; nothing was recorded\n"),
        "{}",
        again.stderr
    );
    assert_eq!(
        std::fs::read(env.path("copies/SOP-1/SOP-1-v1.0-copy-1.pdf")).expect("again"),
        first
    );
    assert_eq!(head(&env), head_before, "printing again records nothing");
    // An inspector's check of the copy at the line: genuine, and which copy it is.
    let verify = env.run(&["verify", "copies/SOP-1/SOP-1-v1.0-copy-1.pdf"]);
    verify.expect_code(0);
    assert!(
        verify.stdout.starts_with(
            "copies/SOP-1/SOP-1-v1.0-copy-1.pdf: SOP-1 version 1.0, genuine controlled copy No. 1, issued to Line 3 on 2026-01-15; current"
        ),
        "{}",
        verify.stdout
    );
    let mut changed = first.clone();
    let at = changed.len() / 2;
    changed[at] ^= 1;
    env.write("changed.pdf", &changed);
    let altered = env.run(&["verify", "changed.pdf"]);
    altered.expect_code(1);
    assert!(altered.stdout.contains("ALTERED"), "{}", altered.stdout);
    assert_eq!(
        refused(&env, &["copy", "print", "2"], 1),
        "error: controlled copy No. 2 of SOP-1 was returned on 2026-01-15\n\
         hint: sopctl copy list SOP-1 --outstanding  shows the copies still out\n"
    );
}

#[test]
fn a_pdf_that_cannot_be_written_after_the_issue_is_recorded_says_how_to_print_it_again() {
    let env = released_sop();
    // A file where the SOP's folder of copies would go.
    env.write("copies/SOP-1", "in the way");
    let run = env.run(&["copy", "issue", "--to", "Line 3"]);
    run.expect_code(1);
    let issue = head(&env);
    assert_eq!(
        run.stderr,
        format!(
            "error: the issue is recorded (commit {}), but the PDF of controlled copy No. 1 could not be written: cannot create folder [ROOT]/copies/SOP-1\n\
             \x20 caused by: a file of that name is in the way\n\
             hint: give the name of a folder, or move the file away\n\
             hint: once the cause is fixed, write the PDFs with  sopctl copy print SOP-1 1\n",
            &issue[..7]
        )
    );
    assert!(
        env.git(&["log", "-1", "--format=%s"])
            .contains("controlled copy 1 of 1.0")
    );
    std::fs::remove_file(env.path("copies/SOP-1")).expect("rm");
    env.run(&["copy", "print", "SOP-1", "1"]).expect_code(0);
    assert!(env.path("copies/SOP-1/SOP-1-v1.0-copy-1.pdf").is_file());
}

#[test]
fn copy_issue_refuses_without_a_version_in_force_a_holder_or_a_place_of_its_own() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    assert_eq!(
        refused(&env, &["copy", "issue", "--to", "Line 3"], 1),
        "error: SOP-1 has no version in force on 2026-01-15 (it has no release)\n\
         hint: release it first:  sopctl release SOP-1 -m \"…\"\n"
    );
    env.run(&[
        "release",
        "-m",
        "First",
        "--date",
        "2026-02-01",
        "--no-render",
    ])
    .expect_code(0);
    assert_eq!(
        refused(&env, &["copy", "issue", "--to", "Line 3"], 1),
        "error: SOP-1 has no version in force on 2026-01-15: 1.0 takes effect on 2026-02-01\n\
         hint: issue the copies on or after that day; until then no version is in force\n"
    );

    let env = released_sop();
    assert_eq!(
        refused(&env, &["copy", "issue", "--to", "  "], 2),
        "error: the holder is empty: name the person, place or line that receives the copies\n"
    );
    assert_eq!(
        refused(&env, &["copy", "issue", "--to", "Line\n3"], 2),
        "error: the holder `Line\n3` holds a line break, a tab or a character that turns the text's direction\n"
    );
    assert_eq!(
        refused(
            &env,
            &["copy", "issue", "--to", "Line 3", "--count", "0"],
            2
        ),
        "error: the number of copies must be from 1 to 100, not 0\n"
    );
    let long = "The second shift of the packaging line in the north building ".repeat(2);
    let stderr = refused(&env, &["copy", "issue", "--to", long.trim()], 1);
    assert!(
        stderr.ends_with(
            "is too long to be printed whole in the page footer\n\
             hint: give a shorter holder with --to, e.g. a short name for the place or line\n"
        ),
        "{stderr}"
    );
    assert_eq!(
        refused(
            &env,
            &["copy", "issue", "--to", "Line 3", "-o", "dist/copies"],
            1
        ),
        "error: dist/copies is in the published site (dist, `out` in sopctl.toml), where every copy is uncontrolled; controlled copies never go there\n\
         hint: leave out -o to write them to copies/, or give a folder outside the site\n"
    );
    assert_eq!(
        refused(&env, &["copy", "issue", "--to", "Line 3", "-o", "sops"], 1),
        "error: the output folder sops is where the SOPs are kept (sops/)\n\
         hint: choose a folder of its own for the controlled copies, e.g.  -o copies\n"
    );
    let list = env.run(&["copy", "list"]);
    list.expect_code(0);
    assert_eq!(list.stdout, "");
    assert_eq!(
        list.stderr,
        "no controlled copies have been issued\nhint: issue one with  sopctl copy issue ID --to \"Holder\"\n"
    );
}

#[test]
fn a_number_issued_on_two_branches_merged_since_is_named_by_check_and_copy_list() {
    let env = released_sop();
    env.git(&["checkout", "-q", "-b", "line-4"]);
    env.run(&["copy", "issue", "--to", "Line 4"]).expect_code(0);
    env.git(&["checkout", "-q", "main"]);
    env.run(&["copy", "issue", "--to", "Line 3"]).expect_code(0);
    env.git(&["merge", "-q", "--no-edit", "line-4"]);
    // Which of the two the register keeps depends on the order git walks them: both named.
    let check = env.run(&["check"]);
    let warning = check
        .stdout
        .lines()
        .find(|l| l.contains("warning: controlled copy No. 1 of SOP-1 was issued twice: to Line "))
        .unwrap_or_else(|| panic!("{}", check.stdout));
    assert!(
        warning.contains("Line 3")
            && warning.contains("Line 4")
            && warning.contains("issue them a new one with  sopctl copy issue SOP-1 --to 'Line "),
        "{warning}"
    );
    let list = env.run(&["copy", "list"]);
    list.expect_code(0);
    assert!(
        list.stderr
            .contains("warning: controlled copy No. 1 of SOP-1 was also issued to Line "),
        "{}",
        list.stderr
    );
    // The copy on disk is genuine whichever of the two it is.
    env.run(&["verify", "copies/SOP-1/SOP-1-v1.0-copy-1.pdf"])
        .expect_code(0);
    // Once the holder left out of the register has a copy of their own, the clash is settled.
    let holder = warning
        .split("collect the copy held by ")
        .nth(1)
        .and_then(|rest| rest.split(" and issue").next())
        .expect("holder")
        .to_string();
    env.run(&["copy", "issue", "--to", &holder]).expect_code(0);
    let check = env.run(&["check"]);
    assert!(!check.stdout.contains("issued twice"), "{}", check.stdout);
}

#[test]
fn a_holder_the_pdf_cannot_print_or_that_turns_the_text_is_refused() {
    let env = released_sop();
    let before = head(&env);
    let cjk = env.run(&["copy", "issue", "--to", "生产线 3"]);
    cjk.expect_code(2);
    assert!(
        cjk.stderr.starts_with(
            "error: the holder `生产线 3` holds characters the PDF cannot print (生产线)\n"
        ),
        "{}",
        cjk.stderr
    );
    let turned = env.run(&["copy", "issue", "--to", "Line \u{202e}3"]);
    turned.expect_code(2);
    assert_eq!(head(&env), before);
    env.run(&["copy", "issue", "--to", "Ligne 3 — Zoë"])
        .expect_code(0);
}
