//! The record transaction in the git layouts users have (issue 13, items 1 and 4): a separate
//! git dir, submodules, git's lock files left by other programs, and an interrupted record that
//! cannot be finished until its cause is fixed. The kill-at-every-step proof is in `crash.rs`.

use crate::errors::refused;
use crate::harness::{TestEnv, sop};

fn identity(env: &TestEnv) {
    env.git(&["config", "user.name", "Test Owner"]);
    env.git(&["config", "user.email", "owner@example.org"]);
}

// From issue 13: "A repository with a separate git dir (`.git` is a file) refuses every release
// with a false 'other files have uncommitted changes'."
#[test]
fn a_separate_git_dir_releases_and_records_like_any_repository() {
    let env = TestEnv::new();
    env.git(&[
        "init",
        "-q",
        "-b",
        "main",
        "--separate-git-dir",
        "../gitdir",
    ]);
    identity(&env);
    assert!(env.path(".git").is_file());
    env.write(".gitignore", "/dist/\n");
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    env.run(&["release", "-m", "First"]).expect_code(0);
    assert_eq!(env.git(&["tag", "-l"]), "SOP-1/v1.0.0\n");
    assert_eq!(env.git(&["status", "--porcelain"]), "");
    env.run(&["review", "-m", "Still right"]).expect_code(0);
    assert_eq!(
        env.git(&["log", "-1", "--format=%s"]),
        "SOP-1: periodic review\n"
    );
    // sopctl's lock and journal live in the git dir, not in the work tree.
    assert!(env.path("../gitdir/sopctl/lock").exists());
    assert!(!env.path("../gitdir/sopctl/journal.json").exists());
}

/// A superproject whose `handbook` is a submodule holding `sops/SOP-001.md`, plus an SOP of
/// its own in `sops/`.
fn superproject() -> TestEnv {
    let env = TestEnv::new();
    let inner = env.path("../inner");
    std::fs::create_dir_all(inner.join("sops")).expect("inner");
    std::fs::write(inner.join("sops/SOP-001.md"), sop("SOP-001", "Handbook")).expect("write");
    for args in [
        &["init", "-q", "-b", "main"][..],
        &["config", "user.name", "Test Owner"],
        &["config", "user.email", "owner@example.org"],
        &["add", "-A"],
        &["commit", "-q", "-m", "Handbook"],
    ] {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(&inner)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .output()
            .expect("git");
        assert!(out.status.success(), "{args:?}");
    }
    env.git(&["init", "-q", "-b", "main"]);
    identity(&env);
    env.git(&[
        "-c",
        "protocol.file.allow=always",
        "submodule",
        "add",
        "-q",
        "../inner",
        "handbook",
    ]);
    env.write("sopctl.toml", "docs = [\"sops\", \"handbook/sops\"]\n");
    env.write("sops/b.md", sop("SOP-002", "Own"));
    env.write(".gitignore", "/dist/\n");
    env.commit("Superproject");
    env
}

// From issue 13: "Releasing from a superproject whose `docs` points into a submodule replaced
// the submodule with a plain folder in the commit."
#[test]
fn an_sop_inside_a_submodule_is_refused_in_the_superproject_and_released_in_the_submodule() {
    let env = superproject();
    let gitlink = env.git(&["ls-tree", "HEAD", "handbook"]);
    assert!(gitlink.starts_with("160000 commit "), "{gitlink}");
    assert_eq!(
        refused(&env, &["release", "SOP-001", "-m", "First"], 1),
        "error: handbook/sops/SOP-001.md lies inside the submodule handbook, which is a repository of its own; nothing was changed\nhint: release and record it from inside the submodule: cd handbook and run the command there\n"
    );
    // The superproject's own SOP is released with the submodule kept as a submodule.
    env.run(&["release", "SOP-002", "-m", "First"])
        .expect_code(0);
    assert_eq!(env.git(&["ls-tree", "HEAD", "handbook"]), gitlink);
    assert_eq!(env.git(&["status", "--porcelain"]), "");
    // From inside the submodule, its SOP is released in the submodule's repository.
    let run = env.run_in(
        &env.path("handbook"),
        &["release", "-m", "First"],
        &[
            ("GIT_COMMITTER_NAME", "Test Owner"),
            ("GIT_COMMITTER_EMAIL", "owner@example.org"),
        ],
    );
    run.expect_code(0);
    let tags = std::process::Command::new("git")
        .args(["tag", "-l"])
        .current_dir(env.path("handbook"))
        .output()
        .expect("git");
    assert_eq!(String::from_utf8_lossy(&tags.stdout), "SOP-001/v1.0.0\n");
}

#[test]
fn a_git_lock_file_of_another_program_is_named_with_what_to_do() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    // What git itself leaves in index.lock: an index being written.
    env.write(".git/index.lock", b"DIRC\0\0\0\x02");
    assert_eq!(
        refused(&env, &["release", "-m", "First"], 1),
        "error: git's lock file [ROOT]/.git/index.lock is in the way: another git program is working in this repository, or one stopped before it finished; nothing was changed\nhint: wait for the other git program to finish; if none is running, delete [ROOT]/.git/index.lock and run the command again\n"
    );
    std::fs::remove_file(env.path(".git/index.lock")).expect("remove");
    env.run(&["release", "-m", "First"]).expect_code(0);
}

#[test]
fn an_interrupted_record_that_cannot_be_finished_is_an_error_in_check_until_it_is() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    // Stopped at the commit point, before the renditions were moved into place …
    let run = env.run_in(
        &env.root,
        &["release", "-m", "First"],
        &[("SOPCTL_TEST_FAIL_AT", "branch")],
    );
    run.expect_code(1);
    // … and the folder they go to is now a file, so the release cannot be finished.
    std::fs::create_dir_all(env.path("dist")).expect("dist");
    env.write("dist/SOP-1", "in the way");
    let check = env.run(&["check"]);
    check.expect_code(1);
    let cause =
        "sopctl could not write [ROOT]/dist/SOP-1/1.0: a part of the path is a file, not a folder";
    assert_eq!(
        check.stderr,
        format!(
            "warning: a record that an interrupted sopctl left unfinished could not be resolved: {cause}\nchecked 1 SOP: 1 error, 0 warnings\n"
        )
    );
    assert_eq!(
        check.stdout,
        format!(
            ".git/sopctl/journal.json:1:1: error: the release SOP-1/v1.0.0 was interrupted and could not be finished: {cause}; fix that cause, then run any sopctl command to finish it\n"
        )
    );
    std::fs::remove_file(env.path("dist/SOP-1")).expect("remove");
    let list = env.run(&["list"]);
    list.expect_code(0);
    assert_eq!(
        list.stderr,
        "note: the release SOP-1/v1.0.0 had been interrupted after it was recorded; it is now complete\n"
    );
    assert!(env.path("dist/SOP-1/1.0/SOP-1-v1.0.pdf").exists());
    assert_eq!(env.git(&["status", "--porcelain"]), "");
    env.run(&["check"]).expect_code(0);
}

/// A repository whose git converts line endings as `config` and `attributes` say, with one SOP
/// checked out by git itself (so the work tree has git's line endings).
fn converting(config: &[(&str, &str)], attributes: Option<&str>) -> TestEnv {
    let env = TestEnv::repo();
    for (key, value) in config {
        env.git(&["config", key, value]);
    }
    if let Some(attributes) = attributes {
        env.write(".gitattributes", attributes);
    }
    env.write(
        "sops/a.md",
        "---\nid: SOP-036\ntitle: Line endings\nowner: QA\nversion: 1.0\n---\n\n## Procedure\n\n1. Stop the line.\n2. Drain the tank.\n",
    );
    env.commit("Draft");
    std::fs::remove_file(env.path("sops/a.md")).expect("remove");
    env.git(&["checkout", "--", "sops/a.md"]);
    env
}

fn crs(bytes: &str) -> usize {
    bytes.matches('\r').count()
}

// See: cases/README.md B36 — `core.autocrlf=true`, `eol=crlf` and `-text`: blobs as `git add`
// would store them, a clean status after each release, one edited line between releases.
#[test]
fn b36_releases_store_what_git_add_would_and_leave_a_clean_status() {
    // (config, attributes, CRs in the work tree, CRs in the blobs)
    type Case<'a> = (&'a [(&'a str, &'a str)], Option<&'a str>, bool, bool);
    let cases: [Case<'_>; 3] = [
        (&[("core.autocrlf", "true")], None, true, false),
        (&[], Some("* text eol=crlf\n"), true, false),
        (
            &[("core.autocrlf", "true")],
            Some("*.md -text\n"),
            false,
            false,
        ),
    ];
    for (config, attributes, crlf_in_work_tree, crlf_in_blob) in cases {
        let env = converting(config, attributes);
        let label = format!("{config:?} {attributes:?}");
        assert_eq!(
            crs(&env.read("sops/a.md")) > 0,
            crlf_in_work_tree,
            "{label}"
        );
        env.run(&["release", "-m", "First issue"]).expect_code(0);
        assert_eq!(env.git(&["status", "--porcelain"]), "", "{label}");
        let listed = env.run(&["list", "--json"]);
        assert!(
            listed.stdout.contains("\"unreleased_changes\": false"),
            "{label}: {}",
            listed.stdout
        );
        let text = env.read("sops/a.md");
        env.write(
            "sops/a.md",
            text.replace("Drain the tank.", "Drain the tank, checked."),
        );
        env.git(&["commit", "-q", "-am", "Edit"]);
        env.run(&["release", "--minor", "-m", "Check step two"])
            .expect_code(0);
        assert_eq!(env.git(&["status", "--porcelain"]), "", "{label}");
        let blob = env.git(&["show", "HEAD:sops/a.md"]);
        assert_eq!(crs(&blob) > 0, crlf_in_blob, "{label}");
        assert_eq!(
            crs(&env.read("sops/a.md")) > 0,
            crlf_in_work_tree,
            "{label}"
        );
        // Between the releases: the version, the date and the new row, and the edit.
        assert_eq!(
            env.git(&["diff", "--numstat", "SOP-036/v1.0.0", "SOP-036/v1.1.0"]),
            "3\t2\tsops/a.md\n",
            "{label}"
        );
    }
}

// Issue 15 item 6: the release records each rendition's SHA-256 in its tag.
#[test]
fn a_release_tag_records_the_checksum_of_each_rendition() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    env.run(&["release", "-m", "First"]).expect_code(0);
    let trailers = env.git(&[
        "tag",
        "-l",
        "--format=%(contents:trailers:key=Rendition,valueonly)",
        "SOP-1/v1.0.0",
    ]);
    let sum = |name: &str| {
        use sha2::Digest;
        let bytes = std::fs::read(env.path(&format!("dist/SOP-1/1.0/{name}"))).expect("rendition");
        sha2::Sha256::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect::<String>()
    };
    assert_eq!(
        trailers,
        format!(
            "SOP-1-v1.0.pdf sha256:{}\nSOP-1-v1.0.html sha256:{}\n\n",
            sum("SOP-1-v1.0.pdf"),
            sum("SOP-1-v1.0.html")
        )
    );
    // Without renditions, there is nothing to record.
    env.write(
        "sops/a.md",
        env.read("sops/a.md").replace("Why.", "Why not."),
    );
    env.commit("Edit");
    env.run(&["release", "--minor", "-m", "Edit", "--no-render"])
        .expect_code(0);
    assert_eq!(
        env.git(&[
            "tag",
            "-l",
            "--format=%(contents:trailers:key=Rendition,valueonly)",
            "SOP-1/v1.1.0"
        ]),
        "\n"
    );
}

// From the issue-13 trial: a repository copied after an interrupted release is finished where
// it is now; the original is not touched.
#[test]
fn a_repository_copied_after_an_interruption_is_finished_in_place() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    env.run_in(
        &env.root,
        &["release", "-m", "First"],
        &[("SOPCTL_TEST_FAIL_AT", "branch")],
    )
    .expect_code(1);
    let copy = env.path("../copy");
    let out = std::process::Command::new("cp")
        .args(["-a"])
        .arg(&env.root)
        .arg(&copy)
        .output()
        .expect("cp");
    assert!(out.status.success());
    let run = env.run_in(&copy, &["list"], &[]);
    run.expect_code(0);
    assert!(run.stderr.starts_with("note: the release SOP-1/v1.0.0 had been interrupted after it was recorded; it is now complete\n"), "{}", run.stderr);
    assert!(copy.join("dist/SOP-1/1.0/SOP-1-v1.0.pdf").exists());
    assert!(!copy.join(".git/index.lock").exists());
    // The original still waits for its own next command.
    assert!(!env.path("dist/SOP-1/1.0/SOP-1-v1.0.pdf").exists());
    assert!(env.path(".git/sopctl/journal.json").exists());
    env.run(&["list"]).expect_code(0);
    assert!(env.path("dist/SOP-1/1.0/SOP-1-v1.0.pdf").exists());
    assert_eq!(env.git(&["status", "--porcelain"]), "");
}

// From the issue-13 trial: a rendition that could not be written after the commit point left
// the release half done; it is now refused before, with nothing changed.
#[test]
fn a_rendition_folder_in_the_way_refuses_the_release_before_anything_changes() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    env.write("dist/SOP-1", "a file where the folder goes");
    assert_eq!(
        refused(&env, &["release", "-m", "First"], 1),
        "error: sopctl could not write [ROOT]/dist/SOP-1: a part of the path is a file, not a folder; nothing was changed\n"
    );
}

#[test]
fn records_of_an_sop_inside_a_submodule_are_refused() {
    let env = superproject();
    for args in [
        &["review", "SOP-001", "-m", "Fine"][..],
        &["retire", "SOP-001", "-m", "Gone"],
    ] {
        let stderr = refused(&env, args, 1);
        assert!(
            stderr.starts_with("error: handbook/sops/SOP-001.md lies inside the submodule handbook, which is a repository of its own"),
            "{stderr}"
        );
    }
}
