//! Every error and warning a document owner can meet in `check`, `release`, `diff`, `render`,
//! `publish` and the lifecycle commands, asserted word for word (issue 9, item 5), for the
//! messages that no other test asserts exactly. Each test shows one command's messages; a change
//! of wording fails here, so `docs/troubleshooting.md` can be kept in step.

use crate::harness::{DANA, Run, TestEnv, released_sop, sop};

/// Runs `args`, expects exit `code`, an empty stdout and an unchanged repository; returns stderr.
#[track_caller]
pub(crate) fn refused(env: &TestEnv, args: &[&str], code: i32) -> String {
    let before = env.snapshot();
    let run = env.run(args);
    run.expect_code(code);
    assert_eq!(run.stdout, "", "{args:?}");
    assert_eq!(env.snapshot(), before, "{args:?} changed the repository");
    run.stderr
}

/// Each row: the arguments, the exit code and the whole stderr.
#[track_caller]
fn table(env: &TestEnv, rows: &[(&[&str], i32, &str)]) {
    for (args, code, expected) in rows {
        assert_eq!(refused(env, args, *code), *expected, "{args:?}");
    }
}

/// Replaces the first `from` in a file by `to`.
fn edit(env: &TestEnv, rel: &str, from: &str, to: &str) {
    let text = env.read(rel);
    assert!(text.contains(from), "{from} not in {rel}");
    env.write(rel, text.replacen(from, to, 1));
}

/// Sets or removes git's `user.name` and `user.email` of the test repository.
fn identity(env: &TestEnv, name: bool, email: bool) {
    for (key, wanted, value) in [
        ("user.name", name, "Test Owner"),
        ("user.email", email, "owner@example.org"),
    ] {
        if wanted {
            env.git(&["config", key, value]);
        } else {
            env.git_allow_fail(&["config", "--unset", key]);
        }
    }
}

// ------------------------------------------------------------------------------------------
// release

#[test]
fn release_refuses_what_other_tests_do_not_spell_out() {
    // A part of the version at the largest number a version holds.
    let env = released_sop();
    edit(&env, "sops/a.md", "Why.", "Why not.");
    env.commit("Edit");
    env.run(&[
        "release",
        "--set-version",
        "18446744073709551615.0.0",
        "-m",
        "Huge",
        "--no-render",
    ])
    .expect_code(0);
    edit(&env, "sops/a.md", "Why not.", "Why so.");
    env.commit("Edit again");
    table(
        &env,
        &[(
            &["release", "--major", "-m", "Bigger"],
            1,
            "error: SOP-1 cannot be released (1 problem); nothing was changed\n\
             \x20 1. 18446744073709551615.0 cannot be raised further: a part of it is at the largest number a version holds\n\
             \x20    hint: bump a smaller part (--minor or --patch), or give the new version with  --set-version\n",
        )],
    );

    // A tag name git refuses, made from a pre-release version.
    let env = TestEnv::repo();
    env.write("sopctl.toml", "tag_format = \"{version}\"\n");
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    table(
        &env,
        &[(
            &["release", "--set-version", "1.0.0-x.lock", "-m", "First"],
            1,
            "error: SOP-1 cannot be released (1 problem); nothing was changed\n\
             \x20 1. the tag name 1.0.0-x.lock is not one git accepts\n\
             \x20    hint: choose another version, or change `tag_format` in sopctl.toml, e.g.  tag_format = \"{id}/v{version}\"\n",
        )],
    );

    // A document outside the repository's folder: named by its resolved path (no `..`).
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.write("../outside/o.md", sop("SOP-9", "Outside"));
    env.commit("Add SOP-1");
    let outside = env.root.parent().expect("parent").join("outside/o.md");
    table(
        &env,
        &[(
            &["release", "../outside/o.md", "-m", "First"],
            1,
            &format!(
                "error: SOP-9 cannot be released (1 problem); nothing was changed\n\
                 \x20 1. {} is outside the git repository\n\
                 \x20    hint: move the document into the repository\n",
                outside.display()
            ),
        )],
    );
}

#[test]
fn release_refuses_a_retired_sop_and_an_approval_voided_by_a_later_edit_with_their_hints() {
    let env = released_sop();
    env.run(&["retire", "-m", "Gone"]).expect_code(0);
    edit(&env, "sops/a.md", "Why.", "Why not.");
    env.commit("Edit");
    table(
        &env,
        &[(
            &["release", "--minor", "-m", "Revive"],
            1,
            "error: SOP-1 cannot be released (1 problem); nothing was changed\n\
             \x20 1. the document is obsolete: a retired document is not released again\n\
             \x20    hint: write a new SOP for the procedure that replaces it (sopctl new)\n",
        )],
    );

    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        sop("SOP-1", "Alpha").replace("owner: QA\n", "owner: QA\napprovers: [QA Manager]\n"),
    );
    env.commit("Add SOP-1");
    env.run_in(&env.root, &["approve", "--role", "QA Manager"], &DANA)
        .expect_code(0);
    edit(&env, "sops/a.md", "Why.", "Why not.");
    env.commit("Edit after the approval");
    table(
        &env,
        &[(
            &["release", "-m", "First"],
            1,
            "error: SOP-1 cannot be released (1 problem); nothing was changed\n\
             \x20 1. approval missing from: QA Manager (the approval by Dana Quality (QA Manager) on 2025-11-08 was for the text before a later edit)\n\
             \x20    hint: each of them approves the current content with  sopctl approve --role='QA Manager'  (an edit after an approval voids it)\n",
        )],
    );
}

#[test]
fn release_refuses_during_a_bisect() {
    let env = released_sop();
    edit(&env, "sops/a.md", "Why.", "Why not.");
    env.commit("Edit");
    env.git(&["bisect", "start"]);
    table(
        &env,
        &[(
            &["release", "--minor", "-m", "Edit"],
            1,
            "error: SOP-1 cannot be released (1 problem); nothing was changed\n\
             \x20 1. a bisect is in progress in this repository\n\
             \x20    hint: finish it or abort it first (git status says how)\n",
        )],
    );
}

#[test]
fn release_in_a_shallow_clone_and_reading_commands_there_say_how_to_fetch_the_history() {
    let env = released_sop();
    edit(&env, "sops/a.md", "Why.", "Why not.");
    env.commit("Edit");
    let url = format!("file://{}", env.root.display());
    env.git(&["clone", "-q", "--depth", "1", &url, "../clone"]);
    let clone = env.root.join("../clone");
    let git = |args: &[&str]| {
        let mut all = vec!["-C", "../clone"];
        all.extend_from_slice(args);
        env.git(&all);
    };
    git(&["config", "user.name", "Test Owner"]);
    git(&["config", "user.email", "owner@example.org"]);
    let fetch = "hint: fetch the full history and the tags:  git fetch --unshallow --tags\n";
    let run = env.run_in(&clone, &["release", "--minor", "-m", "Edit"], &[]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        format!(
            "error: SOP-1 cannot be released (1 problem); nothing was changed\n\
             \x20 1. this is a shallow clone: its history and release tags are incomplete, so the next version cannot be worked out\n\
             \x20    {fetch}"
        )
    );
    for args in [
        vec!["diff", "1.0"],
        vec!["render", "--version", "1.0"],
        vec!["publish"],
    ] {
        let run = env.run_in(&clone, &args, &[]);
        run.expect_code(1);
        assert_eq!(
            run.stderr,
            format!(
                "error: this is a shallow clone: its history and release tags are incomplete\n{fetch}"
            ),
            "{args:?}"
        );
    }
}

#[test]
fn release_options_that_are_not_a_version_or_a_date() {
    let env = released_sop();
    table(
        &env,
        &[
            (
                &["release", "--set-version", "", "-m", "x"],
                2,
                "error: --set-version: the version is empty\n",
            ),
            (
                &["release", "--set-version", "one", "-m", "x"],
                2,
                "error: --set-version: `one` is not a version: write it as 1, 1.1 or 1.1.0\n",
            ),
            (
                &["release", "--set-version", "1.0+b", "-m", "x"],
                2,
                "error: --set-version: `1.0+b` has build metadata (`+…`), which document versions do not use; remove the `+…` part\n",
            ),
            (
                &["release", "--minor", "--effective", "1/2/2025", "-m", "x"],
                2,
                "error: --effective: `1/2/2025` is not a date; write it as YYYY-MM-DD, e.g. 2025-11-08\n",
            ),
            (
                &["release", "--minor", "--date", "2025-02-30", "-m", "x"],
                2,
                "error: --effective: `2025-02-30` is not a real calendar date\n",
            ),
        ],
    );
}

#[test]
fn release_without_a_name_when_several_sops_could_be_meant() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.write("sops/b.md", sop("SOP-2", "Beta"));
    env.commit("Add two");
    table(
        &env,
        &[(
            &["release", "-m", "First"],
            1,
            "error: more than one SOP could be released; name one of: SOP-1, SOP-2\n\
             hint: sopctl release SOP-1 -m \"…\"\n",
        )],
    );
}

// ------------------------------------------------------------------------------------------
// finding the SOP and the version: diff, render, release, show

#[test]
fn naming_an_sop_or_a_version_that_does_not_exist() {
    let env = released_sop();
    env.write("notes.md", "Just notes.\n");
    env.write(
        "sops/untitled.md",
        "---\ntitle: No ID\nowner: QA\n---\nBody\n",
    );
    env.commit("Notes");
    let list = "hint: `sopctl list` shows every SOP with its ID\n";
    let not_an_sop =
        "hint: an SOP starts with a front-matter block giving its `id`, `title` and `owner`\n";
    table(
        &env,
        &[
            (
                &["diff", "ZZZ-999", "1.0"],
                1,
                &format!("error: no SOP has the ID or path `ZZZ-999`\n{list}"),
            ),
            (
                &["render", "SOP-2"],
                1,
                &format!("error: no SOP has the ID or path `SOP-2`; did you mean `SOP-1`?\n{list}"),
            ),
            (
                &["diff", "sops/untitled.md", "1.0"],
                1,
                &format!(
                    "error: sops/untitled.md is not an SOP: its front matter has no valid `id`\n{not_an_sop}"
                ),
            ),
            (
                &["retire", "notes.md", "-m", "x"],
                1,
                &format!(
                    "error: notes.md is not an SOP: its front matter has no valid `id`\n{not_an_sop}"
                ),
            ),
            (
                &["diff", "1.0"],
                1,
                "error: more than one SOP could be meant; name one of: SOP-1, sops/untitled.md\n\
                 hint: name one of them after the command (a file path always works)\n",
            ),
            (
                &["diff", "SOP-1", "9.9"],
                1,
                "error: SOP-1 has no release 9.9; its releases are 1.0\nhint: `sopctl log` lists the released versions\n",
            ),
            (
                &["render", "SOP-1", "--version", "2.0"],
                1,
                "error: SOP-1 has no release 2.0; its releases are 1.0\nhint: `sopctl log` lists the released versions\n",
            ),
            (
                &["render", "notes.md", "--version", "1.0"],
                1,
                "error: notes.md is not an SOP of a repository, so it has no released versions\n",
            ),
        ],
    );

    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    table(
        &env,
        &[(
            &["diff", "1.0"],
            1,
            "error: SOP-1 has no release 1.0 (it has no releases yet)\nhint: `sopctl log` lists the released versions\n",
        )],
    );
}

#[test]
fn a_release_tag_made_by_hand_on_a_commit_without_the_sop() {
    let env = TestEnv::repo();
    env.git(&["commit", "-q", "--allow-empty", "-m", "Start"]);
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    env.git(&["tag", "-a", "SOP-1/v1.0.0", "HEAD~1", "-m", "By hand"]);
    let missing = "error: the release 1.0 (SOP-1/v1.0.0) holds no file with the ID SOP-1\n\
                   hint: the tag was probably made by hand: look at it with  git show SOP-1/v1.0.0  and delete a wrong one with  git tag -d SOP-1/v1.0.0\n";
    table(
        &env,
        &[
            (&["diff", "1.0"], 1, missing),
            (&["render", "--version", "1.0"], 1, missing),
            (
                &["publish"],
                1,
                "error: the release SOP-1/v1.0.0 holds no readable file with the ID SOP-1\nhint: the tag was probably made by hand: look at it with  git show SOP-1/v1.0.0  and delete a wrong one with  git tag -d SOP-1/v1.0.0\n",
            ),
        ],
    );
}

#[test]
fn an_sop_without_a_valid_id_has_no_releases_to_show() {
    let env = TestEnv::repo();
    env.write("sops/a.md", "---\ntitle: No ID\nowner: QA\n---\nBody\n");
    env.commit("Add");
    let message = "error: sops/a.md has no valid `id`\n\
                   hint: give it a line such as  id: SOP-001  in its front matter;  sopctl check  says what is wrong with the one it has\n";
    table(
        &env,
        &[
            (&["diff", "1.0"], 1, message),
            (&["show", "1.0"], 1, message),
        ],
    );
}

#[test]
fn commands_that_need_git_history_outside_a_git_repository() {
    let env = TestEnv::new();
    env.write("sopctl.toml", "");
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    let history = "error: [ROOT] is not in a git repository, so it has no releases\nhint: start one with  sopctl init  (or  git init)\n";
    for (args, expected) in [
        (vec!["diff", "1.0"], history),
        (vec!["render", "--version", "1.0"], history),
        (vec!["publish"], history),
        (
            vec!["approve", "--role", "QA"],
            "error: approvals are recorded in git, and this is not a git repository\n\
             hint: start one with  sopctl init  (or  git init)\n",
        ),
        (
            vec!["review", "-m", "Checked"],
            "error: reviews are recorded in git, and this is not a git repository\n\
             hint: start one with  sopctl init  (or  git init)\n",
        ),
        (
            vec!["retire", "-m", "Gone"],
            "error: retirement is recorded in git, and this is not a git repository\n\
             hint: start one with  sopctl init  (or  git init)\n",
        ),
    ] {
        let run = env.run(&args);
        run.expect_code(1);
        assert_eq!(run.stderr, expected, "{args:?}");
    }
    assert_eq!(env.read("sops/a.md"), sop("SOP-1", "Alpha"));
}

#[test]
fn a_repository_without_sops() {
    let env = TestEnv::repo();
    env.commit("Start");
    let none = "error: there are no SOPs in sops/\nhint: create one with  sopctl new \"Title of the procedure\"\n";
    table(
        &env,
        &[
            (&["check"], 1, none),
            (&["release", "-m", "x"], 1, none),
            (&["diff", "1.0"], 1, none),
            (&["render"], 1, none),
            (&["approve", "--role", "QA"], 1, none),
            (&["review", "-m", "x"], 1, none),
            (&["retire", "-m", "x"], 1, none),
        ],
    );
}

#[test]
fn a_named_file_that_cannot_be_read_as_an_sop() {
    let env = TestEnv::repo();
    env.write(
        "sops/latin1.md",
        b"---\nid: SOP-1\ntitle: T\nowner: Caf\xe9\n---\nBody\n".as_slice(),
    );
    env.write(
        "sops/open.md",
        "---\nid: SOP-2\ntitle: T\nowner: QA\nBody\n",
    );
    std::fs::create_dir_all(env.path("sops/folder.md")).expect("folder");
    env.commit("Add");
    table(
        &env,
        &[
            (
                &["render", "sops/latin1.md"],
                1,
                "error: sops/latin1.md:4:11: the file is not UTF-8 text (byte 0xE9)\n\
                 hint: open the file in your editor and save it with the encoding UTF-8\n",
            ),
            (
                &["diff", "sops/latin1.md", "1.0"],
                1,
                "error: sops/latin1.md:4:11: the file is not UTF-8 text (byte 0xE9)\n\
                 hint: open the file in your editor and save it with the encoding UTF-8\n",
            ),
            (
                &["render", "sops/open.md"],
                1,
                "error: sops/open.md:1:1: front matter opened on line 1 is not closed: add a line `---` after the last `key: value` line\n",
            ),
            (
                &["render", "sops/folder.md"],
                1,
                "error: cannot read [ROOT]/sops/folder.md\n  caused by: this is a folder, not a file\n\
                 hint: give the name of a file in it\n",
            ),
        ],
    );
}

// ------------------------------------------------------------------------------------------
// sopctl.toml

#[test]
fn settings_that_cannot_be_used_stop_every_command_with_their_place() {
    let env = released_sop();
    for (settings, expected) in [
        (
            "paper = \"A5\"\n",
            "error: sopctl.toml:1:9: `paper` must be \"A4\" or \"Letter\", e.g.  paper = \"A4\"\n",
        ),
        (
            "allow_html = \"yes\"\n",
            "error: sopctl.toml:1:14: `allow_html` must be true or false, without quotes, e.g.  allow_html = false\n",
        ),
        (
            "docs = sops\n",
            "error: sopctl.toml:1:8: `docs` must be a list of folders, each in quotes, e.g.  docs = [\"sops\"]\n",
        ),
        (
            "tag_format = \"{id}\"\n",
            "error: sopctl.toml: tag_format `{id}` must contain `{version}`, e.g. \"{id}/v{version}\"\n",
        ),
        (
            "tag_format = \"{id} v{version}\"\n",
            "error: sopctl.toml: tag_format `{id} v{version}` makes tag names git does not accept (such as `SOP-1 v1.0.0`); use letters, digits, `-`, `_`, `.` and `/`, e.g. \"{id}/v{version}\"\n",
        ),
        (
            "docs = []\n",
            "error: sopctl.toml: docs must name at least one folder, e.g. docs = [\"sops\"]\n",
        ),
    ] {
        env.write("sopctl.toml", settings);
        for args in [vec!["check"], vec!["release", "-m", "x"], vec!["publish"]] {
            let run = env.run(&args);
            run.expect_code(1);
            assert_eq!(run.stderr, expected, "{settings} {args:?}");
        }
    }
}

// ------------------------------------------------------------------------------------------
// check

/// `sopctl check` on one file: exit 1 (errors found) and the whole list of findings.
#[track_caller]
fn check_finds(env: &TestEnv, expected: &str) -> Run {
    let run = env.run(&["check"]);
    run.expect_code(1);
    assert_eq!(run.stdout, expected);
    run
}

#[test]
fn check_findings_in_the_body() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        format!(
            "{}\nText שלום here.\n\n##\n\n\
             See [nothing]() and ![pic]() and [f](file:///C:/x.pdf) and [d](C:\\docs\\x.pdf).\n\n\
             See [x](data:text/html,hi) and ![gone](img/gone.png) and [v](vbscript:x).\n\n\
             Text 消 here.\n\n\
             ## Revision History\n\n\
             | Version | Date | Changes | Author |\n\
             | --- | --- | --- | --- |\n\
             | 1.0 | 2025-11-08 | First | QA |\n\
             Notes typed under\n",
            sop("SOP-1", "Alpha")
        ),
    );
    check_finds(
        &env,
        "sops/a.md:15:6: warning: this line has right-to-left text (Hebrew, Arabic, …), which the PDF shows left to right and with its letters unjoined\n\
         sops/a.md:17:1: warning: this heading is empty; write its text after the #, or delete the line\n\
         sops/a.md:19:5: warning: this link has no target; put the address between the ( ), or remove the link\n\
         sops/a.md:19:21: warning: this image has no target; put the address between the ( ), or remove the image\n\
         sops/a.md:19:34: error: the link `file:///C:/x.pdf` points to a file on one computer, which others cannot open; copy the file into the repository and link to the copy\n\
         sops/a.md:19:60: error: the link `C:\\docs\\x.pdf` points to a file on one computer, which others cannot open; copy the file into the repository and link to the copy\n\
         sops/a.md:21:5: error: `data:` link targets are not allowed in SOPs; link to a page or a file instead\n\
         sops/a.md:21:32: error: the image `img/gone.png` does not exist (looked for sops/img/gone.png)\n\
         sops/a.md:21:58: error: `vbscript:` link targets are not allowed in SOPs; link to a page or a file instead\n\
         sops/a.md:23:6: warning: no glyph in the PDF fonts for U+6D88 '消': the PDF shows an empty box instead\n\
         sops/a.md:30:1: error: this revision history row does not start with a version (`Notes typed under`); a line typed right under the table becomes a row: leave a blank line between them, or delete the row\n",
    );
}

#[test]
fn check_findings_in_the_front_matter() {
    let env = TestEnv::repo();
    let doc = |name: &str, front: &str| {
        env.write(
            &format!("sops/{name}.md"),
            format!("---\n{front}\n---\n\n## Purpose\n\nWhy.\n"),
        );
    };
    doc("a", "id: \"-SOP\"\ntitle: T\nowner: O");
    doc("b", "id: SOP..1\ntitle: T\nowner: O");
    doc(
        "c",
        &format!("id: SOP-{}\ntitle: T\nowner: O", "x".repeat(61)),
    );
    doc("d", "id: SOP-4\ntitle:\n  - A\n  - B\nowner: O");
    doc("e", "id: SOP-5\ntitle: T\nowner: O\napprovers:\n  lead: QA");
    doc("f", "id: SOP-6\ntitle: T\nowner: O\nsuperseded_by: SOP 2");
    doc("g", "id: SOP-7\ntitle: Cleaning: the mixer\nowner: O");
    doc("h", "id: SOP-8\ntitle: [unclosed\nowner: O");
    doc("i", "id: SOP-9\ntitle: T\nowner: O\nversion: 1.0+build");
    doc(
        "j",
        "id: SOP-10\ntitle: T\nowner: O\nreview_interval: 0 days",
    );
    env.write("sops/k.md", "---\nJust a rule\n---\n\nBody.\n");
    check_finds(
        &env,
        &format!(
            "sops/a.md:2:5: error: the ID `-SOP` must start with a letter or a digit\n\
             sops/b.md:2:5: error: the ID `SOP..1` contains `..`, which is not allowed; use a single `.`\n\
             sops/c.md:2:5: error: the ID `SOP-{}` is longer than 64 characters; shorten it\n\
             sops/d.md:4:3: error: `title` must be a single value, written `title: value`\n\
             sops/e.md:6:3: error: `approvers` must be a list of roles or names, one `- name` per line\n\
             sops/f.md:5:16: error: superseded_by: the ID `SOP 2` contains a space; use only letters A–Z, digits, `-`, `_` and `.`\n\
             sops/g.md:3:16: error: front matter is not valid YAML: a value that contains a colon and a space must be in quotes, e.g. title: \"Cleaning: the mixer\"\n\
             sops/h.md:4:6: error: front matter is not valid YAML: a value that starts with `[` is read as a list, and this one is not closed with `]`; put the value in quotes, e.g. title: \"[Draft] Cleaning\"\n\
             sops/i.md:5:10: error: version: `1.0+build` has build metadata (`+…`), which document versions do not use; remove the `+…` part\n\
             sops/j.md:5:18: error: review_interval: `0 days` is not a review interval: write e.g. `90 days`, `6 months`, `1 year`, `quarterly` or `annually`\n\
             sops/k.md:1:1: error: lines 1 to 3 start with `---` but are not `key: value` front matter, so they are read as body text; start the file with a front-matter block (`---`, then `id:`, `title:` and `owner:` lines, then `---`)\n",
            "x".repeat(61)
        ),
    );
}

// Issue 13: invisible characters and sizes just over the limit, in plain words.
#[test]
fn control_characters_and_sizes_over_the_limit_are_named_plainly() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        sop("SOP-1", "Alpha").replace("title: Alpha", "title: Al\0pha"),
    );
    env.write(
        "sops/b.md",
        sop("SOP-2", "Beta").replace("owner: QA", "owner: Q\u{1b}A"),
    );
    let mut big = sop("SOP-3", "Gamma").into_bytes();
    big.resize(10_000_001, b'x');
    env.write("sops/c.md", big);
    env.commit("Add three SOPs");
    check_finds(
        &env,
        "sops/a.md:3:10: error: the front matter holds a NUL character (U+0000), an invisible control character that YAML does not allow; delete it (retyping the line removes it)\n\
         sops/b.md:5:9: error: the front matter holds an escape character (U+001B), an invisible control character that YAML does not allow; delete it (retyping the line removes it)\n\
         sops/c.md:1:1: error: the file is 10,000,001 bytes, more than the 10 MB (10,000,000 bytes) an SOP may be; split it into several SOPs, or attach large data as files instead of pasting it in\n",
    );
    table(
        &env,
        &[
            (
                &["render", "sops/a.md"],
                1,
                "error: sops/a.md:3:10: the front matter holds a NUL character (U+0000), an invisible control character that YAML does not allow; delete it (retyping the line removes it)\n",
            ),
            (
                &["render", "sops/c.md"],
                1,
                "error: sops/c.md is 10,000,001 bytes, more than the 10 MB (10,000,000 bytes) an SOP may be\n\
                 hint: split it into several SOPs, or attach large data as files instead of pasting it in\n",
            ),
        ],
    );
}

#[test]
fn check_findings_against_the_history_in_git() {
    // No revision history section in a released SOP: a warning.
    let env = released_sop();
    let text = env.read("sops/a.md");
    let cut = text.find("## Revision History").expect("a table");
    env.write("sops/a.md", &text[..cut]);
    let run = env.run(&["check"]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "sops/a.md:1:1: warning: the document has no Revision History section; the next `sopctl release` adds it\n"
    );

    // A status set by hand that a command records.
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        sop("SOP-1", "Alpha").replace("status: effective", "status: draft"),
    );
    env.commit("Draft");
    edit(&env, "sops/a.md", "status: draft", "status: effective");
    check_finds(
        &env,
        "sops/a.md:6:9: error: status: draft → effective is made by  sopctl release  (which records the version and date); put back `draft`\n",
    );

    // A status made obsolete by hand and committed, then set back: no move out of it.
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        sop("SOP-1", "Alpha").replace("status: effective", "status: obsolete"),
    );
    env.commit("Obsolete by hand");
    edit(&env, "sops/a.md", "status: obsolete", "status: draft");
    check_finds(
        &env,
        "sops/a.md:6:9: error: status: obsolete cannot change to draft; a retired SOP stays retired (write a new SOP instead)\n",
    );
}

// ------------------------------------------------------------------------------------------
// render and publish

#[test]
fn render_names_each_image_and_character_problem_at_its_place() {
    let env = TestEnv::repo();
    env.write("../outside.png", "not read");
    env.write(
        "sops/a.md",
        format!(
            "{}\nשלום and 消.\n\n![gone](img/gone.png)\n\n![web](https://example.org/x.png)\n\n![out](../../outside.png)\n",
            sop("SOP-1", "Alpha")
        ),
    );
    env.commit("Add");
    let run = env.run(&["render"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "sops/a.md:17:1: warning: the image `img/gone.png` does not exist; its alt text is shown instead\n\
         sops/a.md:19:1: warning: the image `https://example.org/x.png` is on the web and is not downloaded; its alt text is shown instead\n\
         sops/a.md:21:1: error: the image `../../outside.png` is outside the repository; it is not read or embedded; copy it into the repository\n\
         sops/a.md:15:10: warning: no glyph for U+6D88 '消' in the PDF fonts; it shows as an empty box\n\
         sops/a.md:15:1: warning: this line has right-to-left text (Hebrew, Arabic, …), which the PDF shows left to right and with its letters unjoined\n\
         drafts/SOP-1/SOP-1-working-copy.pdf\n\
         drafts/SOP-1/SOP-1-working-copy.html\n"
    );
    assert_eq!(run.stderr, "");
}

// Issue 13: an image that cannot be shown is named, with what is wrong with it, by `check`
// and `render` alike (both decode PNG and JPEG).
#[test]
fn check_and_render_say_what_is_wrong_with_each_image() {
    let env = crate::harness::images::broken_images_repo();
    let alt = "renditions show its alt text instead";
    let again = "save it again from the program that made it";
    let check = env.run(&["check"]);
    check.expect_code(0);
    assert_eq!(
        check.stdout,
        format!(
            "sops/a.md:17:1: warning: the image `img/cut.png` is a PNG file that ends early (truncated); {alt}: {again}\n\
             sops/a.md:19:1: warning: the image `img/zero.png` is a PNG image with no pixels (0 × 0); {alt}: {again}\n\
             sops/a.md:21:1: warning: the image `img/damaged.png` is not a readable PNG image: it could not be decoded (corrupt deflate stream. BadZlibHeader); {alt}: {again}\n\
             sops/a.md:23:1: warning: the image `img/notes.png` is not a PNG, JPEG, GIF, WebP or SVG image; {alt}: save it as PNG or JPEG\n\
             sops/a.md:25:1: warning: the image `img/huge.png` is 2,147,483,648 bytes, more than the 20 MB (20,000,000 bytes) an image may be; {alt}: save it smaller (fewer pixels, or JPEG for a photograph)\n\
             sops/a.md:29:1: warning: the image `img/cut.jpg` is a JPEG file that ends early (truncated); {alt}: {again}\n"
        )
    );
    assert_eq!(check.stderr, "checked 1 SOP: 0 errors, 6 warnings\n");

    let render = env.run(&["render"]);
    render.expect_code(0);
    let alt = "its alt text is shown instead";
    assert_eq!(
        render.stdout,
        format!(
            "sops/a.md:17:1: warning: the image `img/cut.png` is a PNG file that ends early (truncated); {alt}: {again}\n\
             sops/a.md:19:1: warning: the image `img/zero.png` is a PNG image with no pixels (0 × 0); {alt}: {again}\n\
             sops/a.md:21:1: warning: the image `img/damaged.png` is not a readable PNG image: it could not be decoded (corrupt deflate stream. BadZlibHeader); {alt}: {again}\n\
             sops/a.md:23:1: warning: the image `img/notes.png` is not a PNG, JPEG, GIF, WebP or SVG image; {alt}: save it as PNG or JPEG\n\
             sops/a.md:25:1: warning: the image `img/huge.png` is 2,147,483,648 bytes, more than the 20 MB (20,000,000 bytes) an image may be; {alt}: save it smaller (fewer pixels, or JPEG for a photograph)\n\
             sops/a.md:29:1: warning: the image `img/cut.jpg` is a JPEG file that ends early (truncated); {alt}: {again}\n\
             drafts/SOP-1/SOP-1-working-copy.pdf\n\
             drafts/SOP-1/SOP-1-working-copy.html\n"
        )
    );
    assert_eq!(render.stderr, "");
}

// Issue 13 item 8: a truncated GIF or WebP and an SVG of no size are named too (the HTML
// would show nothing where they are).
#[test]
fn check_names_a_cut_gif_or_webp_and_an_svg_of_no_size() {
    let env = TestEnv::repo();
    let mut gif = Vec::new();
    image::RgbaImage::from_pixel(2, 2, image::Rgba([0, 0, 0, 255]))
        .write_to(&mut std::io::Cursor::new(&mut gif), image::ImageFormat::Gif)
        .expect("a GIF");
    env.write("sops/img/ok.gif", gif.as_slice());
    env.write("sops/img/cut.gif", &gif[..gif.len() - 6]);
    let mut webp =
        b"RIFF\x40\x00\x00\x00WEBPVP8X\x0a\x00\x00\x00\x00\x00\x00\x00\x01\x00\x00\x01\x00\x00"
            .to_vec();
    webp.truncate(30);
    env.write("sops/img/cut.webp", &webp);
    env.write(
        "sops/img/none.svg",
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"0\" height=\"0\"></svg>\n",
    );
    env.write(
        "sops/a.md",
        format!(
            "{}\n![ok](img/ok.gif)\n\n![cut](img/cut.gif)\n\n![cut webp](img/cut.webp)\n\n![none](img/none.svg)\n",
            sop("SOP-1", "Alpha")
        ),
    );
    env.commit("Add");
    let check = env.run(&["check"]);
    check.expect_code(0);
    let alt = "renditions show its alt text instead";
    let again = "save it again from the program that made it";
    assert_eq!(
        check.stdout,
        format!(
            "sops/a.md:17:1: warning: the image `img/cut.gif` is a GIF file that ends early (truncated); {alt}: {again}\n\
             sops/a.md:19:1: warning: the image `img/cut.webp` is a WebP file that ends early (truncated); {alt}: {again}\n\
             sops/a.md:21:1: warning: the image `img/none.svg` is an SVG image with no pixels (0 × 0); {alt}: {again}\n"
        )
    );
}

#[test]
fn a_broken_template_of_the_repository_stops_render_and_publish() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.write("templates/page.html", "{{ nosuch.thing }}\n");
    env.commit("Add");
    table(
        &env,
        &[(
            &["render", "--format", "html"],
            1,
            "error: cannot make the rendition\n  caused by: template [ROOT]/templates/page.html: undefined value: `nosuch` is undefined (in page.html:1)\n\
             hint: fix the template in templates/ of the repository, or delete it to use the built-in one\n",
        )],
    );
    std::fs::remove_file(env.path("templates/page.html")).expect("remove page.html");
    env.write("templates/site-index.html", "{% if %}\n");
    env.commit("A broken front page");
    env.run(&["release", "-m", "First", "--no-render"])
        .expect_code(0);
    let run = env.run(&["publish"]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: cannot publish the site\n  caused by: template [ROOT]/templates/site-index.html: syntax error: unexpected end of block (in site-index.html:1)\n\
         hint: fix the template in templates/ of the repository, or delete it to use the built-in one\n"
    );
}

#[test]
fn publish_shares_that_are_not_k_of_n() {
    let env = released_sop();
    let more = "\n\nFor more information, try '--help'.\n";
    table(
        &env,
        &[
            (
                &["publish", "--shard", "x"],
                2,
                &format!(
                    "error: invalid value 'x' for '--shard <K/N>': `x` is not a shard: write K/N, e.g. 1/4 for the first of four{more}"
                ),
            ),
            (
                &["publish", "--shard", "1/0"],
                2,
                &format!(
                    "error: invalid value '1/0' for '--shard <K/N>': `1/0`: the number of shards must be at least 1{more}"
                ),
            ),
            (
                &["publish", "--shard", "0/2"],
                2,
                &format!(
                    "error: invalid value '0/2' for '--shard <K/N>': `0/2`: the shard number must be from 1 to the number of shards (2){more}"
                ),
            ),
        ],
    );
}

#[test]
fn output_folders_that_cannot_take_renditions_with_both_hints() {
    let env = released_sop();
    env.write("notes/readme.txt", "kept in git");
    env.commit("Notes");
    let option = "hint: choose a folder of its own for the renditions, e.g.  -o dist\n";
    table(
        &env,
        &[
            (
                &["publish", "-o", "."],
                1,
                &format!("error: the output folder . is the repository itself\n{option}"),
            ),
            (
                &["render", "-o", ".."],
                1,
                &format!("error: the output folder .. holds the whole repository\n{option}"),
            ),
            (
                &["publish", "-o", ".git/site"],
                1,
                &format!(
                    "error: the output folder .git/site is inside git's own folder (.git)\n{option}"
                ),
            ),
            (
                &["publish", "-o", "notes"],
                1,
                &format!(
                    "error: the output folder notes holds files kept in git (such as notes/readme.txt)\n{option}"
                ),
            ),
            (
                &["render", "-o", "sops/site"],
                1,
                &format!(
                    "error: the output folder sops/site is where the SOPs are kept (sops/)\n{option}"
                ),
            ),
        ],
    );
    env.write("sopctl.toml", "out = \"notes\"\n");
    table(
        &env,
        &[(
            &["render"],
            1,
            "error: the output folder notes holds files kept in git (such as notes/readme.txt)\n\
             hint: set `out` in sopctl.toml to a folder of its own, e.g.  out = \"dist\"\n",
        )],
    );
}

#[cfg(target_os = "linux")]
#[test]
fn a_file_where_an_output_folder_should_be() {
    let env = released_sop();
    env.write("afile", "");
    table(
        &env,
        &[
            (
                &["render", "-o", "afile", "--format", "html"],
                1,
                "error: the output folder afile is a file, not a folder\n\
                 hint: choose a folder of its own for the renditions, e.g.  -o dist\n",
            ),
            (
                &["diff", "1.0", "-o", "sops"],
                1,
                "error: sops is a folder; the output needs a file name\n\
                 hint: give the name of a new file, e.g.  -o changes.txt\n",
            ),
        ],
    );
}

#[test]
fn an_output_folder_that_is_a_file_kept_in_git() {
    let env = released_sop();
    env.write("notes.txt", "kept in git");
    env.commit("Notes");
    let message = "error: the output folder notes.txt is a file, not a folder\n";
    let option = "hint: choose a folder of its own for the renditions, e.g.  -o dist\n";
    table(
        &env,
        &[
            (
                &["render", "-o", "notes.txt"],
                1,
                &format!("{message}{option}"),
            ),
            (
                &["publish", "-o", "notes.txt"],
                1,
                &format!("{message}{option}"),
            ),
        ],
    );
    env.write("sopctl.toml", "out = \"notes.txt\"\n");
    table(
        &env,
        &[(
            &["render"],
            1,
            &format!(
                "{message}hint: set `out` in sopctl.toml to a folder of its own, e.g.  out = \"dist\"\n"
            ),
        )],
    );
}

// ------------------------------------------------------------------------------------------
// approve, review, retire

#[test]
fn approve_refuses_a_meaning_or_role_it_cannot_record() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        sop("SOP-1", "Alpha").replace("owner: QA\n", "owner: QA\napprovers: [Test Owner]\n"),
    );
    env.commit("Add");
    table(
        &env,
        &[
            (
                &["approve", "--role", "QA", "--meaning", "liked"],
                2,
                "error: --meaning `liked`: use authored, reviewed or approved\n",
            ),
            (
                &["approve", "--role", " "],
                2,
                "error: --role: name the role you approve in\n",
            ),
        ],
    );
}

#[test]
fn review_refuses_a_missing_note_a_bad_date_and_a_withdrawn_sop() {
    let env = released_sop();
    table(
        &env,
        &[
            (
                &["review", "-m", " "],
                2,
                "error: a review needs a note of what was checked (-m)\n",
            ),
            (
                &["review", "-m", "x", "--date", "08.11.2025"],
                2,
                "error: --date: `08.11.2025` is not a date; write it as YYYY-MM-DD, e.g. 2025-11-08\n",
            ),
            (
                &["review", "-m", "x", "--date", "2026-02-30"],
                2,
                "error: --date: `2026-02-30` is not a real calendar date\n",
            ),
            (
                &["review", "-m", "x", "--date", "2026-01-16"],
                2,
                "error: --date 2026-01-16 is after today (2026-01-15 in the time zone UTC); record a review once it has taken place\n\
                 hint: leave out --date to record it today; `timezone` in sopctl.toml sets the time zone sopctl counts days in\n",
            ),
        ],
    );
    env.run(&["retire", "-m", "Gone"]).expect_code(0);
    table(
        &env,
        &[(
            &["review", "-m", "Checked"],
            1,
            "error: SOP-1 is obsolete; a withdrawn SOP has no periodic review\n",
        )],
    );

    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        sop("SOP-1", "Alpha").replace("review_interval: 1 year\n", ""),
    );
    env.commit("Add");
    let run = env.run(&["review", "-m", "Checked"]);
    run.expect_code(0);
    assert_eq!(
        run.stderr,
        "warning: SOP-1 has no `review_interval`, so no next review date follows from this review\n\
         recorded the review of SOP-1 on 2026-01-15\n"
    );
}

#[test]
fn retire_refusals_with_their_hints() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.write("../outside/o.md", sop("SOP-9", "Outside"));
    env.commit("Add");
    edit(&env, "sops/a.md", "Why.", "Why not.");
    table(
        &env,
        &[
            (
                &["retire", "-m", " "],
                2,
                "error: say why the SOP is withdrawn (-m)\n",
            ),
            (
                &["retire", "--superseded-by", "SOP-404", "-m", "x"],
                1,
                "error: no other SOP has the ID SOP-404\nhint: `sopctl list` shows every SOP with its ID\n",
            ),
            (
                &["retire", "-m", "x"],
                1,
                "error: sops/a.md has changes that are not committed; retiring would commit them unreviewed\n\
                 hint: commit them first (git commit), then retire\n",
            ),
            (
                &["retire", "../outside/o.md", "-m", "x"],
                1,
                "error: ../outside/o.md is outside the git repository\n\
                 hint: move the document into the repository and commit it\n",
            ),
        ],
    );
    env.commit("Edit");
    env.run(&["retire", "-m", "Gone"]).expect_code(0);
    table(
        &env,
        &[(
            &["retire", "-m", "Again"],
            1,
            "error: SOP-1 is already obsolete; a retired SOP stays retired\n\
             hint: the moves a status can make: draft → in-review → approved → effective → superseded or obsolete\n",
        )],
    );

    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        sop("SOP-1", "Alpha").replace("status: effective", "status: [effective]"),
    );
    env.commit("Add");
    table(
        &env,
        &[(
            &["retire", "-m", "Gone"],
            1,
            "error: `status` on line 6 is not a single value; write it as `status: value`\n",
        )],
    );
}

#[test]
fn lifecycle_commands_and_render_of_a_version_refuse_an_sop_whose_id_is_not_valid() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        sop("SOP 1", "Alpha").replace("owner: QA\n", "owner: QA\napprovers: [QA Manager]\n"),
    );
    env.commit("Add");
    let message = "error: sops/a.md has no valid `id`\n\
                   hint: give it a line such as  id: SOP-001  in its front matter;  sopctl check  says what is wrong with the one it has\n";
    table(
        &env,
        &[
            (&["approve", "--role", "QA Manager"], 1, message),
            (&["review", "-m", "Checked"], 1, message),
            (&["retire", "-m", "Gone"], 1, message),
            (&["render", "--version", "1.0"], 1, message),
        ],
    );
    // With the ID put right, the same approval is recorded: the ID was the only obstacle.
    edit(&env, "sops/a.md", "id: SOP 1", "id: SOP-1");
    env.commit("Fix the ID");
    env.run_in(&env.root, &["approve", "--role", "QA Manager"], &DANA)
        .expect_code(0);
}

#[test]
fn lifecycle_commands_refuse_a_document_outside_the_repository() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    let text =
        sop("SOP-9", "Outside").replace("owner: QA\n", "owner: QA\napprovers: [QA Manager]\n");
    env.write("../outside/o.md", &text);
    env.commit("Add SOP-1");
    let outside = "error: ../outside/o.md is outside the git repository\n\
                   hint: move the document into the repository and commit it\n";
    table(
        &env,
        &[
            (&["review", "../outside/o.md", "-m", "Checked"], 1, outside),
            (
                &["approve", "../outside/o.md", "--role", "QA Manager"],
                1,
                outside,
            ),
            (&["retire", "../outside/o.md", "-m", "Gone"], 1, outside),
        ],
    );
    assert_eq!(env.read("../outside/o.md"), text);
}

#[test]
fn lifecycle_commands_say_how_to_tell_git_who_you_are() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        sop("SOP-1", "Alpha").replace("owner: QA\n", "owner: QA\napprovers: [QA Manager]\n"),
    );
    env.commit("Add");
    let hint = "hint: set them once with:  git config --global user.name \"Your Name\"  and  git config --global user.email you@example.org\n";
    for (name, email, missing) in [
        (false, true, "user.name is"),
        (true, false, "user.email is"),
        (false, false, "user.name and user.email are"),
    ] {
        identity(&env, name, email);
        for args in [
            vec!["approve", "--role", "QA Manager"],
            vec!["review", "-m", "Checked"],
            vec!["retire", "-m", "Gone"],
        ] {
            let expected =
                format!("error: git does not know who you are: {missing} not set\n{hint}");
            assert_eq!(refused(&env, &args, 1), expected, "{args:?}");
        }
    }
}

// ------------------------------------------------------------------------------------------
// new, init and list (outside the commands of the issue, asserted while here)

#[test]
fn new_and_init_refuse_an_empty_title_or_id_and_a_file_for_a_folder() {
    let env = TestEnv::repo();
    env.commit("Start");
    env.write("afile", "");
    table(
        &env,
        &[
            (
                &["new", " "],
                2,
                "error: the title is empty\nhint: sopctl new \"Cleaning the mixer\"\n",
            ),
            (
                &["new", "Title", "--id", ""],
                1,
                "error: the ID is empty; write one such as SOP-001\n",
            ),
            (
                &["init", "afile"],
                1,
                "error: [ROOT]/afile is a file, not a folder\nhint: name a folder for the new repository\n",
            ),
            (
                &["init", "--example", "."],
                1,
                "error: [ROOT]/. is a git repository that already has history; the example adds commits and tags of its own\n\
                 hint: make the example in a new folder:  sopctl init --example another-name\n",
            ),
        ],
    );

    // The next free ID's file name is taken by a file that is not an SOP.
    env.write("sops/x1.md", sop("X-1", "One"));
    env.write("sops/X-2.md", "Plain notes.\n");
    env.commit("Add");
    table(
        &env,
        &[(
            &["new", "Two"],
            1,
            "error: sops/X-2.md already exists\nhint: choose another ID with --id\n",
        )],
    );
    env.write("templates/skeleton.md", "{{ nope }}\n");
    table(
        &env,
        &[(
            &["new", "Two", "--id", "Y-1"],
            1,
            "error: cannot fill in the new-SOP template\n  caused by: template [ROOT]/templates/skeleton.md: undefined value: `nope` is undefined (in skeleton.md:1)\n\
             hint: fix the template in templates/ of the repository, or delete it to use the built-in one\n",
        )],
    );
}

#[test]
fn list_warns_about_sops_it_shows_with_defaults_or_leaves_out() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        sop("SOP-1", "Alpha").replace("status: effective", "status: active"),
    );
    env.write(
        "sops/b.md",
        b"---\nid: SOP-2\ntitle: T\nowner: Caf\xe9\n---\n".as_slice(),
    );
    let run = env.run(&["list"]);
    run.expect_code(0);
    assert_eq!(
        run.stderr,
        "warning: sops/a.md has errors in its front matter, so some values show as - or a default; run  sopctl check\n\
         warning: sops/b.md is left out: it is not UTF-8 text; run  sopctl check\n"
    );
    // Every file left out: no advice to create one, as if there were none.
    std::fs::remove_file(env.path("sops/a.md")).expect("remove");
    env.write("sops/c.md", "---\nid: SOP-3\ntitle: [Draft] x\n---\n");
    let run = env.run(&["list"]);
    run.expect_code(0);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "warning: sops/b.md is left out: it is not UTF-8 text; run  sopctl check\n\
         warning: sops/c.md is left out: its front matter cannot be read; run  sopctl check\n"
    );
}
