//! Git under stress (issue 9): thousands of tags of every shape, detached HEAD, an unfinished
//! rebase, a repository owned by another user, an SOP deleted in the working copy.

use crate::harness::{json_column, released_sop, sop};

#[test]
fn ten_thousand_tags_of_other_tools_and_documents_leave_the_releases_exact() {
    let env = released_sop();
    let head = env.git(&["rev-parse", "HEAD"]);
    let head = head.trim();
    // 10,000 tags in the shapes other tools and people use, half of them packed.
    let mut commands = String::new();
    for n in 0..2_000 {
        for name in [
            format!("v{n}.0.0"),        // a whole-repository version
            format!("build-{n}"),       // a CI build number
            format!("SOP-10/v{n}.0.0"), // another SOP whose ID starts the same
            format!("SOP-1-v1.0.{n}"),  // ours written with a dash
            format!("SOP-1/vnext-{n}"), // ours in prefix, not a version
        ] {
            commands.push_str(&format!("create refs/tags/{name} {head}\n"));
        }
    }
    let mut git = std::process::Command::new("git");
    git.args(["update-ref", "--stdin"])
        .current_dir(&env.root)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .stdin(std::process::Stdio::piped());
    let mut child = git.spawn().expect("git update-ref");
    std::io::Write::write_all(child.stdin.as_mut().expect("stdin"), commands.as_bytes())
        .expect("write refs");
    assert!(child.wait().expect("wait").success());
    env.git(&["pack-refs", "--all"]);
    env.git(&["tag", "release-2026.1"]); // and a loose one after packing
    assert_eq!(env.git(&["tag", "--list"]).lines().count(), 10_002);

    let log = env.run(&["log", "SOP-1", "--json"]);
    log.expect_code(0);
    assert_eq!(json_column(&log.stdout, "tag"), ["SOP-1/v1.0.0"]);

    env.write(
        "sops/a.md",
        sop("SOP-1", "Alpha").replace("Why.", "Why we do it."),
    );
    let run = env.run(&["release", "--minor", "-m", "Say why"]);
    run.expect_code(0);
    assert!(
        run.stdout.contains("  version:    1.0 → 1.1\n"),
        "{}",
        run.stdout
    );
    assert_eq!(
        env.git(&["tag", "--list", "SOP-1/v1.*"]).trim(),
        "SOP-1/v1.0.0\nSOP-1/v1.1.0"
    );
    let list = env.run(&["list"]);
    assert!(list.stdout.contains("SOP-1  Alpha  1.1"), "{}", list.stdout);
}

#[test]
fn a_rebase_stopped_on_a_conflict_refuses_the_release_and_changes_nothing() {
    let env = released_sop();
    env.write("notes.txt", "base\n");
    env.commit("notes");
    env.git(&["checkout", "-q", "-b", "topic"]);
    env.write("notes.txt", "topic\n");
    env.commit("topic notes");
    env.git(&["checkout", "-q", "main"]);
    env.write("notes.txt", "main\n");
    env.commit("main notes");
    env.git(&["checkout", "-q", "topic"]);
    env.git_allow_fail(&["rebase", "main"]);
    assert!(
        env.path(".git/rebase-merge").exists(),
        "the rebase should stop on a conflict"
    );
    let before = env.snapshot();
    let run = env.run(&["release", "--minor", "-m", "Edit"]);
    run.expect_code(1);
    assert!(
        run.stderr.contains(
            "  1. a rebase is in progress in this repository\n     hint: finish it or abort it first (git status says how)\n"
        ),
        "{}",
        run.stderr
    );
    assert_eq!(env.snapshot(), before);
}

#[test]
fn reading_commands_work_on_a_detached_head() {
    let env = released_sop();
    env.git(&["checkout", "-q", "--detach"]);
    env.run(&["list"]).expect_code(0);
    env.run(&["check"]).expect_code(0);
    let log = env.run(&["log"]);
    log.expect_code(0);
    assert!(log.stdout.contains("SOP-1/v1.0.0"), "{}", log.stdout);
    env.run(&["show", "SOP-1", "1.0"]).expect_code(0);
    env.run(&["render", "--version", "1.0", "-o", "out"])
        .expect_code(0);
    assert!(env.path("out/SOP-1/1.0/SOP-1-v1.0.pdf").exists());
    env.run(&["publish", "-o", "site"]).expect_code(0);
    assert!(env.path("site/SOP-1/1.0/SOP-1-v1.0.html").exists());
}

#[cfg(unix)]
#[test]
fn a_repository_of_another_user_says_which_folder_to_trust() {
    let env = released_sop();
    let owner = std::process::Command::new("chown")
        .args(["65534", ".", ".git"])
        .current_dir(&env.root)
        .output()
        .expect("chown");
    if !owner.status.success() {
        // Only root can give a folder away; elsewhere the ownership check cannot be provoked.
        return;
    }
    let run = env.run_in(&env.path("sops"), &["list"], &[]);
    let _ = std::process::Command::new("chown")
        .args(["0", ".", ".git"])
        .current_dir(&env.root)
        .output();
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: the repository at [ROOT] belongs to another user, so git refuses to work in it\nhint: if you trust this folder, run:  git config --global --add safe.directory [ROOT]\n"
    );
}

#[test]
fn an_sop_deleted_in_the_working_copy_is_named_with_how_to_restore_it() {
    let env = released_sop();
    std::fs::remove_file(env.path("sops/a.md")).expect("delete");
    let hint = "hint: to bring it back:  git restore -- sops/a.md   (to withdraw an SOP, restore it and run  sopctl retire SOP-1)\n";
    for args in [
        vec!["release", "--minor", "-m", "x"],
        vec!["log", "SOP-1"],
        vec!["diff", "SOP-1", "1.0"],
        vec!["render"],
    ] {
        let run = env.run(&args);
        run.expect_code(1);
        assert_eq!(
            run.stderr,
            format!(
                "error: SOP-1 was deleted from the working copy (sops/a.md); it is still in the last commit\n{hint}"
            ),
            "{args:?}"
        );
    }
    let check = env.run(&["check"]);
    check.expect_code(0);
    assert_eq!(
        check.stdout,
        "sops/a.md:1:1: warning: SOP-1 is deleted from the working copy (it is still in the last commit); bring it back with  git restore -- sops/a.md  or, to withdraw the SOP, restore it and run  sopctl retire SOP-1\n"
    );
    let list = env.run(&["list"]);
    list.expect_code(0);
    assert_eq!(
        list.stderr,
        "warning: SOP-1 is left out: it is deleted from the working copy; run  sopctl check\n"
    );
    // From the SOPs' folder, the path is given as git restore takes it there.
    let run = env.run_in(&env.path("sops"), &["log", "SOP-1"], &[]);
    assert!(
        run.stderr.contains("git restore -- a.md "),
        "{}",
        run.stderr
    );
}

#[test]
fn lifecycle_records_commit_nothing_the_user_staged_and_wait_for_merges_and_branches() {
    let env = released_sop();
    env.write("notes.txt", "draft notes\n");
    env.git(&["add", "notes.txt"]);
    env.run(&["review", "-m", "Checked against practice"])
        .expect_code(0);
    let files = env.git(&["show", "--name-only", "--format=", "HEAD"]);
    assert_eq!(files.trim(), "", "the review commit holds no files");
    let status = env.git(&["status", "--porcelain"]);
    assert_eq!(status, "A  notes.txt\n", "the staged file stays staged");

    // A merge stopped on a conflict: the record waits.
    env.git(&["commit", "-q", "-m", "notes"]);
    env.git(&["checkout", "-q", "-b", "other"]);
    env.write("notes.txt", "theirs\n");
    env.commit("theirs");
    env.git(&["checkout", "-q", "main"]);
    env.write("notes.txt", "ours\n");
    env.commit("ours");
    env.git_allow_fail(&["merge", "-q", "other"]);
    let before = env.snapshot();
    let run = env.run(&["review", "-m", "Checked"]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: a merge is in progress in this repository; reviews are recorded as a commit, which must wait\nhint: finish it or abort it first (git status says how)\n"
    );
    assert_eq!(env.snapshot(), before);
    env.git(&["merge", "--abort"]);

    env.git(&["checkout", "-q", "--detach"]);
    let before = env.snapshot();
    let run = env.run(&["retire", "-m", "Withdrawn"]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: you are not on a branch (detached HEAD), and retirement is recorded as a commit on a branch\nhint: switch to your branch first, e.g.  git switch main\n"
    );
    assert_eq!(env.snapshot(), before);
}

#[test]
fn a_released_sop_removed_by_hand_is_named_by_check_and_publish() {
    let env = released_sop();
    env.git(&["rm", "-q", "sops/a.md"]);
    env.commit("Remove SOP-1 by hand");
    let message = "SOP-1 was released (last as 1.0, tag SOP-1/v1.0.0) but no file has its ID now, so it drops off the published site; bring it back with  git checkout SOP-1/v1.0.0 -- sops/a.md  and commit it; if it is no longer in use, then withdraw it with  sopctl retire SOP-1 -m \"why\"";
    let check = env.run(&["check"]);
    check.expect_code(1);
    assert_eq!(check.stdout, format!("sops/:1:1: error: {message}\n"));
    let publish = env.run(&["publish", "-o", "site"]);
    publish.expect_code(0);
    assert!(
        publish.stderr.contains(&format!("warning: {message}\n")),
        "{}",
        publish.stderr
    );
    // The way back works as the message says.
    env.git(&["checkout", "SOP-1/v1.0.0", "--", "sops/a.md"]);
    env.run(&["check"]).expect_code(0);
    env.commit("Bring SOP-1 back");
    env.run(&["retire", "SOP-1", "-m", "why"]).expect_code(0);

    // A file whose front matter cannot be read is still there: not reported as gone.
    let env = released_sop();
    let text = env
        .read("sops/a.md")
        .replace("title: Alpha", "title: [Draft] Alpha");
    env.write("sops/a.md", text);
    let check = env.run(&["check"]);
    check.expect_code(1);
    assert!(
        !check.stdout.contains("no file has its ID"),
        "{}",
        check.stdout
    );
    assert!(check.stdout.starts_with("sops/a.md:3:"), "{}", check.stdout);
}
