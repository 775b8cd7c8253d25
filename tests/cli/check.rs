//! `sopctl check`: the example passes; each kind of bad input fails with a located message.

use crate::harness::{TestEnv, example, sop};

#[test]
fn the_bundled_example_passes() {
    let env = TestEnv::repo();
    env.write("sops/privacy-settings-sop.md", example());
    let run = env.run(&["check"]);
    run.expect_code(0);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "checked 1 SOP: no problems found\n");
}

#[test]
fn missing_keys_are_reported_at_line_1_with_what_to_add() {
    let env = TestEnv::repo();
    env.write("sops/a.md", "---\nid: SOP-001\nversion: 1.0\n---\nBody\n");
    let run = env.run(&["check"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "sops/a.md:1:1: error: the front matter has no `title`; add a line `title: …`\n\
         sops/a.md:1:1: error: the front matter has no `owner`; add a line `owner: …`\n"
    );
    assert_eq!(run.stderr, "checked 1 SOP: 2 errors, 0 warnings\n");
}

#[test]
fn duplicate_ids_are_reported_in_each_file() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-001", "A"));
    env.write("sops/sub/b.md", sop("SOP-001", "B"));
    let run = env.run(&["check"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "sops/a.md:2:5: error: the ID `SOP-001` is also used by sops/sub/b.md; every SOP needs its own ID\n\
         sops/sub/b.md:2:5: error: the ID `SOP-001` is also used by sops/a.md; every SOP needs its own ID\n"
    );
}

#[test]
fn malformed_yaml_is_located() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        "---\nid: SOP-001\ntitle: \"unclosed\nowner: QA\n---\nBody\n",
    );
    let run = env.run(&["check"]);
    run.expect_code(1);
    assert!(run.stdout.starts_with("sops/a.md:"), "{}", run.stdout);
    assert!(
        run.stdout
            .contains(": error: front matter is not valid YAML: "),
        "{}",
        run.stdout
    );
}

#[test]
fn non_utf8_bytes_are_located_with_a_hint_to_save_as_utf8() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        b"---\nid: SOP-001\ntitle: Caf\xe9\nowner: QA\n---\n".as_slice(),
    );
    let run = env.run(&["check"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "sops/a.md:3:11: error: the file is not UTF-8 text (byte 0xE9); save it as UTF-8 in your editor\n"
    );
}

#[test]
fn an_empty_file_named_directly_is_an_error_not_a_panic() {
    let env = TestEnv::repo();
    env.write("notes/empty.md", "");
    let run = env.run(&["check", "notes/empty.md"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "notes/empty.md:1:1: error: the file has no front matter: an SOP starts with a line `---`, then `id:`, `title:` and `owner:` lines, then `---`\n"
    );
}

#[test]
fn a_folder_where_a_file_is_expected_is_named() {
    let env = TestEnv::repo();
    std::fs::create_dir_all(env.path("sops/folder.md")).expect("mkdir");
    env.write("sops/ok.md", sop("SOP-001", "A"));
    let run = env.run(&["check", "sops/folder.md"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "sops/folder.md:1:1: error: cannot read [ROOT]/sops/folder.md: this is a folder, not a file\n"
    );
}

#[test]
fn an_unknown_id_suggests_the_nearest() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-OPS-007", "A"));
    let run = env.run(&["check", "SOP-OPS-07"]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: no SOP has the ID or path `SOP-OPS-07`; did you mean `SOP-OPS-007`?\nhint: `sopctl list` shows every SOP with its ID\n"
    );
}

#[test]
fn broken_links_and_anchors_fail_and_warnings_fail_only_with_strict() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        format!(
            "{}\nSee [the form](forms/f1.pdf) and [scope](#scope).\n",
            sop("SOP-001", "A")
        ),
    );
    let run = env.run(&["check"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "sops/a.md:15:5: error: the link `forms/f1.pdf` does not exist (looked for sops/forms/f1.pdf)\n\
         sops/a.md:15:34: error: no heading has the anchor `#scope`\n"
    );

    env.write(
        "sops/a.md",
        format!(
            "{}\n![diagram](https://example.org/d.png)\n",
            sop("SOP-001", "A")
        ),
    );
    env.run(&["check"]).expect_code(0);
    let strict = env.run(&["check", "--strict"]);
    strict.expect_code(1);
    assert!(
        strict
            .stderr
            .contains("hint: --strict counts warnings as errors"),
        "{}",
        strict.stderr
    );
}

#[test]
fn an_unknown_setting_names_the_file_line_and_nearest_key() {
    let env = TestEnv::repo();
    env.write("sopctl.toml", "orgnization = \"ACME\"\n");
    env.write("sops/a.md", sop("SOP-001", "A"));
    let run = env.run(&["check"]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: sopctl.toml:1:1: unknown setting `orgnization`; did you mean `organization`?\n\
         hint: the settings sopctl.toml may hold are: organization, docs, tag_format, out, paper, footer, allow_html, timezone, signatures, separation_of_duties, training_days, retrain_on_patch, toc_depth, language, justify\n"
    );
}

#[test]
fn json_output_carries_the_findings() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        "---\nid: SOP-001\ntitle: A\nowner: QA\nstatus: live\n---\n",
    );
    let run = env.run(&["check", "--json"]);
    run.expect_code(1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(v["checked"], 1);
    assert_eq!(v["errors"], 1);
    assert_eq!(v["findings"][0]["location"]["line"], 5);
    assert_eq!(v["findings"][0]["severity"], "error");
}

#[test]
fn naming_an_id_that_two_files_use_lists_both() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-001", "A"));
    env.write("sops/copy.md", sop("SOP-001", "A"));
    let run = env.run(&["check", "SOP-001"]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: more than one SOP could be meant; name one of: sops/a.md, sops/copy.md\n\
         hint: name one of them after the command (a file path always works)\n"
    );
}

#[test]
fn a_file_with_front_matter_but_no_id_is_reported_not_skipped() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        sop("SOP-001", "A").replace("id: SOP-001", "ID: SOP-001"),
    );
    let run = env.run(&["check"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "sops/a.md:1:1: error: the front matter has no `id`; add a line `id: …`\n\
         sops/a.md:2:1: warning: keys are written in lower case: `ID` is read as an unknown key; write `id`\n"
    );
    let list = env.run(&["list"]);
    assert!(list.stderr.starts_with("warning: sops/a.md is left out: its front matter has no valid `id`; run  sopctl check\n"), "{}", list.stderr);
}

#[test]
fn overdue_review_is_a_warning_and_an_error_with_strict() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        sop("SOP-001", "A").replace("effective: 2025-11-08", "effective: 2020-01-15"),
    );
    let run = env.run(&["check"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "sops/a.md:8:1: warning: the periodic review was due on 2021-01-15 (1 year after the last release or review); review the SOP and record it with  sopctl review -m \"What was checked\"\n"
    );
    env.run(&["check", "--strict"]).expect_code(1);
}

#[test]
fn version_and_revision_table_are_checked_against_the_release_tags() {
    let env = TestEnv::repo();
    env.write("sops/a.md", format!("{}\n## Revision History\n\n| Version | Date | Changes | Author |\n| --- | --- | --- | --- |\n", sop("SOP-001", "A")));
    env.commit("add");
    env.run(&["release", "-m", "First"]).expect_code(0);
    // Someone sets the version back by hand and drops the table row.
    let text = env
        .read("sops/a.md")
        .replace("version: 1.0.0", "version: 0.9")
        .replace("| 1.0 | 2025-11-08 | First | Test Owner |\n", "");
    env.write("sops/a.md", text);
    let run = env.run(&["check"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "sops/a.md:4:10: error: the version 0.9 is older than the last release 1.0 (tag SOP-001/v1.0.0)\n\
         sops/a.md:15:1: warning: the revision history has no row for the release 1.0; the next `sopctl release` writes it\n"
    );
}

#[test]
fn a_hand_edited_revision_row_is_reported() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-001", "A"));
    env.commit("add");
    env.run(&["release", "-m", "First"]).expect_code(0);
    env.write(
        "sops/a.md",
        env.read("sops/a.md").replace("Why.", "Why, edited."),
    );
    env.run(&["release", "--minor", "-m", "Second"])
        .expect_code(0);
    env.write(
        "sops/a.md",
        env.read("sops/a.md")
            .replace("| Second |", "| Second, tidied |"),
    );
    let run = env.run(&["check"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "sops/a.md:15:1: warning: the revision history row for 1.1 differs from its release record (2026-01-15 | Second | Test Owner); the next `sopctl release` writes the record's values back\n"
    );
}

#[test]
fn a_docs_folder_that_does_not_exist_is_named_with_the_setting_to_fix() {
    let env = TestEnv::repo();
    env.write("sopctl.toml", "docs = [\"procedures\"]\n");
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    let run = env.run(&["check"]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: there are no SOPs in procedures/ (which does not exist)\nhint: `docs` in sopctl.toml names procedures/, which does not exist: create the folder, or set `docs` to the folders that hold your SOPs\n"
    );
    let list = env.run(&["list"]);
    list.expect_code(0);
    assert!(
        list.stderr
            .contains("`docs` in sopctl.toml names procedures/"),
        "{}",
        list.stderr
    );
}

// Issue 13 trial: a release made on another branch made `check` on main say only that the
// version is older than the last release.
#[test]
fn a_release_made_on_another_branch_is_named_as_such() {
    let env = crate::harness::released_sop();
    env.git(&["switch", "-q", "-c", "other"]);
    env.write(
        "sops/a.md",
        env.read("sops/a.md").replace("Why.", "Why not."),
    );
    env.commit("Edit on another branch");
    env.run(&["release", "--minor", "-m", "Other"])
        .expect_code(0);
    env.git(&["switch", "-q", "-"]);
    let run = env.run(&["check"]);
    run.expect_code(1);
    assert!(
        run.stdout.contains("error: the version 1.0 is older than the last release 1.1 (tag SOP-1/v1.1.0), which was made on another branch: bring that branch in (git merge) before releasing from this one, or release from it; `git branch --contains SOP-1/v1.1.0` names it\n"),
        "{}",
        run.stdout
    );
}

// Break-it trial (issue 13): a Hebrew SOP got one warning per line from `check` and `render`
// (52,000 for a long one); the rule is now said once, where the text starts, in both.
#[test]
fn right_to_left_text_is_reported_once_by_check_and_render() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        format!(
            "{}\nשלום עולם\n\nשלום\n\nEnglish.\n\nעולם\n",
            sop("SOP-1", "Alpha")
        ),
    );
    env.commit("Add");
    let expected = "sops/a.md:15:1: warning: this line and 2 more have right-to-left text (Hebrew, Arabic, …), which the PDF shows left to right and with its letters unjoined\n";
    let check = env.run(&["check"]);
    check.expect_code(0);
    assert_eq!(check.stdout, expected);
    let render = env.run(&["render", "--format", "pdf"]);
    render.expect_code(0);
    assert!(render.stdout.starts_with(expected), "{}", render.stdout);
    assert_eq!(render.stdout.lines().count(), 2, "{}", render.stdout);
}
