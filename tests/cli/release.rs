//! `sopctl release`, `log` and `show`: releases, every refusal with an unchanged repository,
//! the transaction undone at each step, documents followed by ID, and two releases at once.

use crate::harness::{TestEnv, example, json_column, sop};

/// A repository holding the example, committed, not yet released.
fn example_repo() -> TestEnv {
    let env = TestEnv::repo();
    env.write("sops/privacy.md", example());
    env.commit("Add the privacy SOP");
    env
}

fn edit(env: &TestEnv, rel: &str, from: &str, to: &str) {
    let text = env.read(rel);
    assert!(text.contains(from), "{from} not in {rel}");
    env.write(rel, text.replacen(from, to, 1));
}

#[test]
fn first_release_then_an_edit_and_a_minor_release() {
    let env = example_repo();
    let run = env.run(&["release", "-m", "Brought under sopctl"]);
    run.expect_code(0);
    let head = env.git(&["rev-parse", "--short=7", "HEAD"]);
    assert!(
        run.stdout
            .starts_with("Released SOP-IT-001 \"Verifying Claude.ai Privacy Settings\"\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(&format!(
            "  commit:     {} \"SOP-IT-001: release 1.0\" on branch main\n",
            head.trim()
        )),
        "{}",
        run.stdout
    );
    // No remote: nowhere to push to, no hint.
    assert_eq!(run.stderr, "");
    // Adoption: the effective date and the row written before sopctl stay as they were.
    let text = env.read("sops/privacy.md");
    assert!(text.contains("\nversion: 1.0.0\n"));
    assert!(text.contains("\neffective: 2025-11-08\n"));
    assert!(text.contains("| 1.0 | 2025-11-08 | Initial document creation | - |\n"));
    let log = env.run(&["log"]);
    assert!(
        log.stdout
            .contains("1.0      2025-11-08  -       Brought under sopctl"),
        "{}",
        log.stdout
    );

    edit(&env, "sops/privacy.md", "2-3 minutes", "3-5 minutes");
    let run = env.run(&[
        "release",
        "--minor",
        "-m",
        "Longer time estimate",
        "--date",
        "2026-02-01",
    ]);
    run.expect_code(0);
    let text = env.read("sops/privacy.md");
    assert!(
        text.contains("\nversion: 1.1.0\n"),
        "version written in full"
    );
    assert!(text.contains("\neffective: 2026-02-01\n"));
    assert!(text.contains(
        "| 1.0 | 2025-11-08 | Initial document creation | - |\n| 1.1 | 2026-02-01 | Longer time estimate | Test Owner |\n"
    ));
    assert_eq!(
        env.git(&["tag", "-l"]),
        "SOP-IT-001/v1.0.0\nSOP-IT-001/v1.1.0\n"
    );
    assert_eq!(env.git(&["status", "--porcelain"]), "", "clean work tree");
    assert_eq!(
        env.git(&["cat-file", "-t", "SOP-IT-001/v1.1.0"]),
        "tag\n",
        "annotated"
    );
    // The rendition checksums that close the trailers are tested in records.rs.
    let contents = env.git(&["tag", "-l", "--format=%(contents)", "SOP-IT-001/v1.1.0"]);
    let without_checksums: String = contents
        .lines()
        .filter(|l| !l.starts_with("Rendition: "))
        .map(|l| format!("{l}\n"))
        .collect();
    assert_eq!(
        without_checksums,
        "Longer time estimate\n\nDocument: SOP-IT-001\nVersion: 1.1.0\nDate: 2026-02-01\nAuthor: Test Owner\nRetrain: yes\n\n"
    );
    assert_eq!(contents.matches("\nRendition: SOP-IT-001-v1.1.").count(), 2);

    let log = env.run(&["log", "--json"]);
    log.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&log.stdout).expect("json");
    assert_eq!(v[1]["version"], "1.1.0");
    assert_eq!(v[1]["display"], "1.1");
    assert_eq!(v[1]["date"], "2026-02-01");
    assert_eq!(v[1]["author"], "Test Owner");
    assert_eq!(v[1]["summary"], "Longer time estimate");
    assert_eq!(v[1]["tag"], "SOP-IT-001/v1.1.0");
    assert_eq!(v[1]["commit"], env.git(&["rev-parse", "HEAD"]).trim());

    for spec in ["1.0", "1.0.0", "v1.0.0", "SOP-IT-001/v1.0.0"] {
        let shown = env.run(&["show", "SOP-IT-001", spec]);
        shown.expect_code(0);
        assert!(shown.stdout.contains("2-3 minutes"), "{spec}");
    }
    assert!(env.run(&["show", "latest"]).stdout.contains("3-5 minutes"));
}

#[test]
fn dry_run_prints_the_plan_and_changes_nothing() {
    let env = example_repo();
    let before = env.snapshot();
    let run = env.run(&[
        "release",
        "--dry-run",
        "-m",
        "Initial document creation",
        "--date",
        "2025-11-08",
    ]);
    run.expect_code(0);
    assert_eq!(
        run.stdout,
        "Would release SOP-IT-001 \"Verifying Claude.ai Privacy Settings\"\n\
         \x20 version:    1.0 (first release: the document comes under sopctl as it is)\n\
         \x20 status:     effective\n\
         \x20 effective:  2025-11-08\n\
         \x20 author:     -\n\
         \x20 summary:    Initial document creation\n\
         \x20 commit:     \"SOP-IT-001: release 1.0\" on branch main\n\
         \x20 tag:        SOP-IT-001/v1.0.0 (annotated)\n\
         \x20 writes:     sops/privacy.md (version, revision history)\n\
         \x20 renditions: dist/SOP-IT-001/1.0/SOP-IT-001-v1.0.pdf, dist/SOP-IT-001/1.0/SOP-IT-001-v1.0.html\n\
         \n\
         Revision history:\n\
         \x20 | Version | Date | Changes | Author |\n\
         \x20 | --- | --- | --- | --- |\n\
         \x20 | 1.0 | 2025-11-08 | Initial document creation | - |\n"
    );
    assert_eq!(run.stderr, "dry run: nothing was changed\n");
    assert_eq!(env.snapshot(), before);
}

/// Runs a release that must be refused, and checks exit 1, the message and an unchanged repository.
fn refused(env: &TestEnv, args: &[&str], expected_stderr: &str) {
    let before = env.snapshot();
    let run = env.run(args);
    run.expect_code(1);
    assert_eq!(run.stderr, expected_stderr);
    assert_eq!(env.snapshot(), before, "the repository changed");
}

#[test]
fn refusal_other_files_have_uncommitted_changes() {
    let env = example_repo();
    env.write("notes.txt", "a");
    env.commit("notes");
    env.write("notes.txt", "b");
    refused(
        &env,
        &["release", "-m", "First"],
        "error: SOP-IT-001 cannot be released (1 problem); nothing was changed\n  1. other files have uncommitted changes: notes.txt\n     hint: commit them first (git commit), or put only them aside with  git stash push -- :/notes.txt  (a plain  git stash  would put the SOP's edits aside too)\n",
    );
    // The hint works as typed, from a folder below the top too, and leaves the SOP's edit.
    env.write("sops/sub/keep.txt", "x");
    env.commit("keep");
    env.write("sops/sub/keep.txt", "y");
    env.write("notes.txt", "c");
    let sop = env.read("sops/privacy.md");
    env.write(
        "sops/privacy.md",
        sop.replace("## Purpose", "## Purpose\n\nEdited."),
    );
    let run = env.run(&["release", "-m", "First"]);
    assert!(
        run.stderr
            .contains("git stash push -- :/notes.txt :/sops/sub/keep.txt "),
        "{}",
        run.stderr
    );
    let mut stash = env.command("git");
    stash.current_dir(env.path("sops")).args([
        "stash",
        "push",
        "--",
        ":/notes.txt",
        ":/sops/sub/keep.txt",
    ]);
    assert!(stash.status().expect("git").success());
    assert!(env.read("sops/privacy.md").contains("Edited."));
    env.git(&["commit", "-qam", "Edit"]);
    env.run(&["release", "-m", "First"]).expect_code(0);
}

#[test]
fn refusal_no_summary_and_nothing_changed_and_no_bump() {
    let env = example_repo();
    refused(
        &env,
        &["release"],
        "error: SOP-IT-001 cannot be released (1 problem); nothing was changed\n  1. a release needs a summary of what changed and why (-m)\n     hint: add one:  -m \"What changed and why\"\n",
    );
    env.run(&["release", "-m", "First"]).expect_code(0);
    // Without a size either: only that nothing changed (not also "say how much").
    refused(
        &env,
        &["release", "-m", "Again"],
        "error: SOP-IT-001 cannot be released (1 problem); nothing was changed\n  1. nothing changed in SOP-IT-001 since its release 1.0\n     hint: edit the document first; a release records a change\n",
    );
    refused(
        &env,
        &["release", "--minor", "-m", "Again"],
        "error: SOP-IT-001 cannot be released (1 problem); nothing was changed\n  1. nothing changed in SOP-IT-001 since its release 1.0\n     hint: edit the document first; a release records a change\n",
    );
    edit(&env, "sops/privacy.md", "2-3 minutes", "3-5 minutes");
    refused(
        &env,
        &["release", "-m", "Edit"],
        "error: SOP-IT-001 cannot be released (1 problem); nothing was changed\n  1. say how much SOP-IT-001 changed since 1.0: --major, --minor or --patch (or --set-version)\n     hint: e.g.  sopctl release --minor -m \"What changed and why\"\n",
    );
    refused(
        &env,
        &["release", "--set-version", "0.9", "-m", "Edit"],
        "error: SOP-IT-001 cannot be released (1 problem); nothing was changed\n  1. the new version 0.9 is not higher than the last release 1.0\n     hint: choose a version above 1.0, or use --major, --minor or --patch\n",
    );
}

#[test]
fn refusal_a_tag_format_shared_by_two_sops() {
    let env = TestEnv::repo();
    env.write("sopctl.toml", "tag_format = \"v{version}\"\n");
    env.write("sops/a.md", sop("SOP-001", "A"));
    env.write("sops/b.md", sop("SOP-002", "B"));
    env.commit("two SOPs");
    // A second SOP under a format without `{id}`: refused before any tag could clash.
    env.write("sopctl.toml", "tag_format = \"{id}/v{version}\"\n");
    env.commit("settings");
    env.run(&["release", "SOP-002", "-m", "B first"])
        .expect_code(0);
    env.write("sopctl.toml", "tag_format = \"v{version}\"\n");
    env.commit("settings back");
    refused(
        &env,
        &["release", "SOP-001", "-m", "A first"],
        "error: SOP-001 cannot be released (1 problem); nothing was changed\n  1. sopctl check finds 1 error\n       sopctl.toml:1:1: error: tag_format `v{version}` has no `{id}`, and this repository holds 2 SOPs: their releases would share tag names; write it as e.g. tag_format = \"{id}/v{version}\" and rename the tags already made to that form first (docs/troubleshooting.md, \"Changing the tag format\", shows how)\n     hint: fix them, then run  sopctl check  to confirm\n",
    );
}

#[test]
fn refusal_check_errors_and_several_problems_at_once() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        "---\nid: SOP-001\ntitle: A\n---\nSee [x](missing.md).\n",
    );
    env.write("notes.txt", "a");
    env.commit("start");
    env.write("notes.txt", "b");
    refused(
        &env,
        &["release", "SOP-001"],
        "error: SOP-001 cannot be released (3 problems); nothing was changed\n\
         \x20 1. other files have uncommitted changes: notes.txt\n\
         \x20    hint: commit them first (git commit), or put only them aside with  git stash push -- :/notes.txt  (a plain  git stash  would put the SOP's edits aside too)\n\
         \x20 2. a release needs a summary of what changed and why (-m)\n\
         \x20    hint: add one:  -m \"What changed and why\"\n\
         \x20 3. sopctl check finds 2 errors\n\
         \x20      sops/a.md:1:1: error: the front matter has no `owner`; add a line `owner: …`\n\
         \x20      sops/a.md:5:5: error: the link `missing.md` does not exist (looked for sops/missing.md)\n\
         \x20    hint: fix them, then run  sopctl check  to confirm\n",
    );
}

#[test]
fn refusal_not_a_git_repository() {
    let env = TestEnv::new();
    env.write("sops/a.md", sop("SOP-001", "A"));
    let run = env.run(&["release", "-m", "First"]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: SOP-001 cannot be released (1 problem); nothing was changed\n  1. sops/a.md is not in a git repository\n     hint: start one with  sopctl init  (or  git init)\n"
    );
    assert_eq!(env.read("sops/a.md"), sop("SOP-001", "A"));
}

// See: cases/README.md B19 — no committer identity configured.
#[test]
fn b19_no_identity_is_refused_with_how_to_set_one_and_env_identity_works() {
    let env = TestEnv::new();
    env.script(
        "cases/B19-missing-identity.sh",
        &[&env.path("b19").display().to_string()],
    );
    let expected = "error: SOP-019 cannot be released (1 problem); nothing was changed\n  1. git does not know who you are: user.name and user.email are not set\n     hint: set them once with:  git config --global user.name \"Your Name\"  and  git config --global user.email you@example.org  (--author only changes the name in the revision history; git still signs the commit with your identity)\n";
    for dir in ["b19/repo", "b19/repo-empty-name"] {
        let repo = env.path(dir);
        add_owner(&repo.join("SOP-019.md"));
        let before = snapshot_of(&repo);
        let run = env.run_in(
            &repo,
            &["release", "--minor", "SOP-019.md", "-m", "Edit"],
            &[],
        );
        run.expect_code(1);
        assert_eq!(run.stderr, expected, "{dir}");
        assert_eq!(snapshot_of(&repo), before, "{dir} changed");
    }
    let repo = env.path("b19/repo");
    let vars = [
        ("GIT_AUTHOR_NAME", "Env Author"),
        ("GIT_AUTHOR_EMAIL", "env.author@example.org"),
        ("GIT_COMMITTER_NAME", "Env Committer"),
        ("GIT_COMMITTER_EMAIL", "env.committer@example.org"),
    ];
    // Tags of the fixture are `v1.0.0`: configure the format as the case says.
    std::fs::write(
        repo.join("sopctl.toml"),
        "docs = [\".\"]\ntag_format = \"v{version}\"\n",
    )
    .expect("settings");
    git_in(&repo, &["add", "sopctl.toml"]);
    git_in(
        &repo,
        &[
            "-c",
            "user.name=Fixture",
            "-c",
            "user.email=f@example.invalid",
            "commit",
            "-q",
            "-m",
            "settings",
        ],
    );
    let run = env.run_in(
        &repo,
        &["release", "--minor", "SOP-019.md", "-m", "Edit"],
        &vars,
    );
    run.expect_code(0);
    assert_eq!(
        git_in(&repo, &["log", "-1", "--format=%cn <%ce>"]),
        "Env Committer <env.committer@example.org>\n"
    );
    assert_eq!(
        git_in(
            &repo,
            &[
                "tag",
                "-l",
                "--format=%(taggername) %(taggeremail)",
                "v1.1.0"
            ]
        ),
        "Env Committer <env.committer@example.org>\n"
    );
}

/// The field cases' documents have no `owner` (SPEC §1 requires one): add it in the working
/// copy, so the case tests exactly what it is about.
fn add_owner(file: &std::path::Path) {
    let text = std::fs::read_to_string(file).expect("doc");
    std::fs::write(file, text.replacen("---\n", "---\nowner: QA\n", 1)).expect("write");
}

fn git_in(dir: &std::path::Path, args: &[&str]) -> String {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("git");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn snapshot_of(dir: &std::path::Path) -> String {
    let mut s = git_in(dir, &["show-ref"]);
    s.push_str(&git_in(dir, &["status", "--porcelain"]));
    s.push_str(&git_in(dir, &["rev-parse", "HEAD"]));
    s.push_str(&std::fs::read_to_string(dir.join("SOP-019.md")).expect("doc"));
    s
}

/// The repository's state with its own root written as `ROOT`, to compare two repositories.
fn state_of(env: &TestEnv) -> String {
    env.snapshot()
        .replace(&env.root.display().to_string(), "ROOT")
}

#[test]
fn a_failure_before_the_commit_point_leaves_the_repository_as_it_was() {
    for point in ["objects", "file", "index", "tag"] {
        let env = example_repo();
        env.run(&["release", "-m", "First"]).expect_code(0);
        edit(&env, "sops/privacy.md", "2-3 minutes", "3-5 minutes");
        let before = env.snapshot();
        let run = env.run_in(
            &env.root,
            &["release", "--minor", "-m", "Edit"],
            &[("SOPCTL_TEST_FAIL_AT", point)],
        );
        run.expect_code(1);
        assert_eq!(
            run.stderr,
            format!("error: injected failure at {point}; nothing was changed\n"),
            "{point}"
        );
        assert_eq!(
            env.snapshot(),
            before,
            "repository changed after a failure at {point}"
        );
        // Not even an empty folder for the renditions is left behind (issue 13).
        assert!(!env.path("dist/SOP-IT-001/1.1").exists(), "{point}");
        let next = env.run(&["release", "--minor", "-m", "Edit"]);
        next.expect_code(0);
        assert!(!next.stderr.contains("note:"), "{}", next.stderr);
    }
}

#[test]
fn a_stop_after_the_commit_point_is_finished_by_the_next_command() {
    let reference = example_repo();
    reference.run(&["release", "-m", "First"]).expect_code(0);
    edit(&reference, "sops/privacy.md", "2-3 minutes", "3-5 minutes");
    reference
        .run(&["release", "--minor", "-m", "Edit"])
        .expect_code(0);
    let after = state_of(&reference);
    for point in ["branch", "renditions"] {
        let env = example_repo();
        env.run(&["release", "-m", "First"]).expect_code(0);
        edit(&env, "sops/privacy.md", "2-3 minutes", "3-5 minutes");
        let run = env.run_in(
            &env.root,
            &["release", "--minor", "-m", "Edit"],
            &[("SOPCTL_TEST_FAIL_AT", point)],
        );
        run.expect_code(1);
        assert_eq!(
            run.stderr,
            format!("error: injected failure at {point}; the next sopctl command finishes it\n"),
            "{point}"
        );
        // Whatever git may do now cannot revert the release: either its index is still locked,
        // or the index already holds the released text.
        let staged = env.git(&["ls-files", "-s", "sops/privacy.md"]);
        let released = env.git(&["rev-parse", "HEAD:sops/privacy.md"]);
        let locked = env.path(".git/index.lock").exists();
        assert!(
            locked || staged.contains(released.trim()),
            "{point}: the index holds an older text and is not locked"
        );
        let list = env.run(&["list"]);
        list.expect_code(0);
        assert_eq!(
            list.stderr,
            "note: the release SOP-IT-001/v1.1.0 had been interrupted after it was recorded; it is now complete\n",
            "{point}"
        );
        let state = state_of(&env);
        let differs = state.lines().zip(after.lines()).find(|(a, b)| a != b);
        assert!(
            state == after,
            "{point}: the finished release differs from an uninterrupted one: {differs:?}"
        );
    }
}

#[test]
fn a_document_is_followed_by_its_id_across_a_move() {
    let env = example_repo();
    env.run(&["release", "-m", "First"]).expect_code(0);
    std::fs::create_dir_all(env.path("sops/it")).expect("mkdir");
    env.git(&["mv", "sops/privacy.md", "sops/it/privacy-settings.md"]);
    env.commit("move");
    edit(
        &env,
        "sops/it/privacy-settings.md",
        "2-3 minutes",
        "3-5 minutes",
    );
    env.run(&["release", "--patch", "-m", "Time estimate"])
        .expect_code(0);
    let log = env.run(&["log", "SOP-IT-001"]);
    let versions: Vec<&str> = log
        .stdout
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().next().unwrap_or(""))
        .collect();
    assert_eq!(versions, ["1.0", "1.0.1"]);
    let old = env.run(&["show", "SOP-IT-001", "1.0"]);
    old.expect_code(0);
    assert!(old.stdout.contains("2-3 minutes"));
    let table = env.read("sops/it/privacy-settings.md");
    assert!(
        table.contains("| 1.0 | 2025-11-08 |") || table.contains("| 1.0 | 2026-01-15 |"),
        "{table}"
    );
    assert!(table.contains("| 1.0.1 | 2026-01-15 | Time estimate | Test Owner |"));
}

#[test]
fn a_release_waits_for_another_command_holding_the_record_lock() {
    let env = example_repo();
    std::fs::create_dir_all(env.path(".git/sopctl")).expect("state folder");
    let lock = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(env.path(".git/sopctl/lock"))
        .expect("lock file");
    lock.lock().expect("lock");
    let before = env.snapshot();
    let stderr = env.path("../release.err");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_sopctl"))
        .args(["release", "-m", "First"])
        .current_dir(&env.root)
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&stderr).expect("stderr file"))
        .spawn()
        .expect("spawn");
    // The release says it waits, and waits: it has changed nothing while the lock is held.
    let said = "waiting for another sopctl command in this repository to finish…\n";
    while std::fs::read_to_string(&stderr).expect("stderr") != said {
        assert!(
            child.try_wait().expect("child").is_none(),
            "the release did not wait"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    assert!(child.try_wait().expect("child").is_none());
    assert_eq!(env.snapshot(), before);
    drop(lock);
    assert!(child.wait().expect("child").success());
    assert_eq!(env.git(&["tag", "-l"]), "SOP-IT-001/v1.0.0\n");
}

#[test]
fn two_releases_at_once_give_one_release_and_a_sound_repository() {
    let env = example_repo();
    let spawn = || {
        std::process::Command::new(env!("CARGO_BIN_EXE_sopctl"))
            .args(["release", "-m", "First"])
            .current_dir(&env.root)
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("NO_COLOR", "1")
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("spawn")
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (
        a.wait_with_output().expect("a"),
        b.wait_with_output().expect("b"),
    );
    let successes = [a.status.success(), b.status.success()]
        .iter()
        .filter(|s| **s)
        .count();
    assert_eq!(
        successes,
        1,
        "a: {}\nb: {}",
        String::from_utf8_lossy(&a.stderr),
        String::from_utf8_lossy(&b.stderr)
    );
    assert_eq!(env.git(&["tag", "-l"]), "SOP-IT-001/v1.0.0\n");
    env.git(&["fsck", "--no-progress"]);
    assert_eq!(env.git(&["status", "--porcelain"]), "");
}

// See: cases/README.md B16 — tag discovery with prefixes, non-semver, lightweight tags.
#[test]
fn b16_tags_of_other_shapes_are_ignored_or_warned_and_versions_are_found() {
    let env = TestEnv::new();
    env.script(
        "cases/B16-tag-discovery.sh",
        &[&env.path("b16").display().to_string()],
    );
    let repo = env.path("b16");
    std::fs::write(
        repo.join("sopctl.toml"),
        "tag_format = \"{id}/{version}\"\n",
    )
    .expect("settings");
    git_in(&repo, &["config", "user.name", "Owner"]);
    git_in(&repo, &["config", "user.email", "owner@example.org"]);
    let log = env.run_in(&repo, &["log", "SOP-001", "--json"], &[]);
    log.expect_code(0);
    assert_eq!(
        log.stderr,
        "warning: the tag SOP-001/1.2.0_final is not a version (x.y.z), so it is ignored\nwarning: the tag SOP-001/v2 is not a version (x.y.z), so it is ignored\n"
    );
    let v: serde_json::Value = serde_json::from_str(&log.stdout).expect("json");
    assert_eq!(
        json_column(&log.stdout, "version"),
        ["1.1.0", "1.1.1", "1.2.0"]
    );
    assert_eq!(v[0]["date"], "2024-02-11", "annotated: tagger date");
    assert_eq!(v[2]["date"], "2024-03-10", "lightweight: commit date");
    assert_eq!(
        v[0]["commit"], v[1]["commit"],
        "1.1.1 peels through both tag objects"
    );
    let same = env.run_in(&repo, &["show", "SOP-001", "1.1"], &[]);
    assert!(same.stdout.contains("version: \"1.1.0\""));
    let dry = env.run_in(
        &repo,
        &["release", "SOP-001", "--minor", "-m", "x", "--dry-run"],
        &[],
    );
    // The working copy is the 1.2.0 release, unchanged: refused, but the plan's version shows in
    // the message of a changed copy.
    dry.expect_code(1);
    assert!(
        dry.stderr
            .contains("nothing changed in SOP-001 since its release 1.2"),
        "{}",
        dry.stderr
    );
    let text = std::fs::read_to_string(repo.join("sops/SOP-001.md")).expect("doc");
    std::fs::write(
        repo.join("sops/SOP-001.md"),
        text.replace("detergent", "mild detergent"),
    )
    .expect("edit");
    add_owner(&repo.join("sops/SOP-001.md"));
    let dry = env.run_in(
        &repo,
        &["release", "SOP-001", "--minor", "-m", "x", "--dry-run"],
        &[],
    );
    dry.expect_code(0);
    assert!(
        dry.stdout.contains("  version:    1.2 → 1.3\n"),
        "{}",
        dry.stdout
    );
}

// See: cases/README.md B18 — no tags yet; shallow clone.
#[test]
fn b18_no_tags_full_and_shallow_repositories() {
    let env = TestEnv::new();
    env.script(
        "cases/B18-no-tags-shallow.sh",
        &[&env.path("b18").display().to_string()],
    );
    for dir in ["notags", "full", "shallow"] {
        std::fs::write(
            env.path(&format!("b18/{dir}/sopctl.toml")),
            "docs = [\".\"]\ntag_format = \"v{version}\"\n",
        )
        .expect("settings");
    }
    let notags = env.path("b18/notags");
    let log = env.run_in(&notags, &["log"], &[]);
    log.expect_code(0);
    assert_eq!(log.stdout, "VERSION  DATE  AUTHOR  SUMMARY  TAG  COMMIT\n");
    assert!(
        log.stderr
            .starts_with("SOP-018 has no released versions yet\n"),
        "{}",
        log.stderr
    );

    let full = env.path("b18/full");
    git_in(&full, &["config", "user.name", "Owner"]);
    git_in(&full, &["config", "user.email", "owner@example.org"]);
    add_owner(&full.join("SOP-018.md"));
    let log = env.run_in(&full, &["log", "--json"], &[]);
    log.expect_code(0);
    assert_eq!(
        json_column(&log.stdout, "version"),
        ["1.0.0", "1.1.0", "1.2.0", "1.3.0"]
    );
    let dry = env.run_in(
        &full,
        &["release", "--minor", "-m", "Revision 5", "--dry-run"],
        &[],
    );
    dry.expect_code(0);
    assert!(
        dry.stdout.contains("  version:    1.3 → 1.4\n"),
        "{}",
        dry.stdout
    );

    let shallow = env.path("b18/shallow");
    for args in [vec!["log"], vec!["release", "--minor", "-m", "x"]] {
        let run = env.run_in(&shallow, &args, &[]);
        run.expect_code(1);
        assert!(run.stderr.contains("shallow clone"), "{}", run.stderr);
        assert!(
            run.stderr.contains("git fetch --unshallow --tags"),
            "{}",
            run.stderr
        );
    }

    // The first release of a repository without tags releases the front-matter version.
    let git = |args: &[&str]| git_in(&notags, args);
    git(&["config", "user.name", "Owner"]);
    git(&["config", "user.email", "owner@example.org"]);
    git(&["add", "sopctl.toml"]);
    git(&["commit", "-q", "-m", "settings"]);
    add_owner(&notags.join("SOP-018.md"));
    let run = env.run_in(
        &notags,
        &["release", "-m", "First release under sopctl"],
        &[],
    );
    run.expect_code(0);
    assert_eq!(git(&["tag", "-l"]), "v1.4.0\n");
}

// See: cases/README.md B20 — commit messages that are not valid UTF-8.
#[test]
fn b20_messages_that_are_not_utf8_are_decoded_never_dropped() {
    let env = TestEnv::new();
    env.script(
        "cases/B20-non-utf8-commit.sh",
        &[&env.path("b20").display().to_string()],
    );
    let repo = env.path("b20");
    std::fs::write(
        repo.join("sopctl.toml"),
        "docs = [\".\"]\ntag_format = \"v{version}\"\n",
    )
    .expect("settings");
    let log = env.run_in(&repo, &["log", "--json"], &[]);
    log.expect_code(0);
    let v: serde_json::Value = serde_json::from_str(&log.stdout).expect("json");
    assert_eq!(
        v[1]["summary"],
        "R\u{FFFD}vision du proc\u{FFFD}d\u{FFFD} de nettoyage"
    );
    assert_eq!(v[2]["summary"], "Révision du procédé de nettoyage");
    assert_eq!(
        v[3]["summary"],
        "Step 4 \u{FFFD} corrected (UTF-8 text: été)"
    );
    let text = env.run_in(&repo, &["log"], &[]);
    text.expect_code(0);
    assert!(text.stdout.contains("Révision du procédé de nettoyage"));
}

#[test]
fn a_version_typed_into_the_front_matter_is_released_when_no_bump_is_given() {
    let env = example_repo();
    env.run(&["release", "-m", "First"]).expect_code(0);
    edit(&env, "sops/privacy.md", "version: 1.0.0", "version: 1.5");
    let run = env.run(&["release", "-m", "Jump to 1.5", "--dry-run"]);
    run.expect_code(0);
    assert!(
        run.stdout.contains("  version:    1.0 → 1.5\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn refusal_effective_date_before_the_last_release() {
    let env = example_repo();
    env.run(&["release", "-m", "First"]).expect_code(0);
    edit(&env, "sops/privacy.md", "2-3 minutes", "3-5 minutes");
    refused(
        &env,
        &["release", "--minor", "-m", "Edit", "--date", "2020-01-01"],
        "error: SOP-IT-001 cannot be released (1 problem); nothing was changed\n  1. the effective date 2020-01-01 is before the last release 1.0 (2025-11-08)\n     hint: leave out --effective to use today, or give a later day: on or after both today and the last release's\n",
    );
}

#[test]
fn status_change_and_quiet_output() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        sop("SOP-001", "A").replace("status: effective", "status: draft"),
    );
    env.commit("draft");
    let dry = env.run(&["release", "-m", "First", "--dry-run"]);
    assert!(
        dry.stdout.contains("  status:     draft → effective\n"),
        "{}",
        dry.stdout
    );
    let quiet = env.run(&["release", "-m", "First", "-q"]);
    quiet.expect_code(0);
    let head = env.git(&["rev-parse", "--short=7", "HEAD"]);
    assert_eq!(
        quiet.stdout,
        format!(
            "released SOP-001 1.0 (tag SOP-001/v1.0.0, commit {})\n",
            head.trim()
        )
    );
    assert_eq!(quiet.stderr, "");
    assert!(env.read("sops/a.md").contains("\nstatus: effective\n"));
}

#[test]
fn log_show_and_release_outside_a_repository_say_so() {
    let env = TestEnv::new();
    for args in [vec!["log"], vec!["show", "1.0"], vec!["release", "-m", "x"]] {
        let run = env.run(&args);
        run.expect_code(1);
        assert!(
            run.stderr
                .starts_with("error: this folder is not in a repository of SOPs"),
            "{args:?}: {}",
            run.stderr
        );
    }
}

#[test]
fn show_without_a_version_prints_the_working_copy() {
    let env = example_repo();
    env.run(&["release", "-m", "First"]).expect_code(0);
    edit(&env, "sops/privacy.md", "2-3 minutes", "3-5 minutes");
    assert!(
        env.run(&["show", "SOP-IT-001"])
            .stdout
            .contains("3-5 minutes")
    );
    assert!(env.run(&["show"]).stdout.contains("3-5 minutes"));
    assert!(env.run(&["show", "1.0"]).stdout.contains("2-3 minutes"));
}

#[test]
fn refusal_detached_head_and_merge_in_progress() {
    let env = example_repo();
    env.run(&["release", "-m", "First"]).expect_code(0);
    edit(&env, "sops/privacy.md", "2-3 minutes", "3-5 minutes");
    env.git(&["checkout", "-q", "--detach"]);
    refused(
        &env,
        &["release", "--minor", "-m", "Edit"],
        "error: SOP-IT-001 cannot be released (1 problem); nothing was changed\n  1. you are not on a branch (detached HEAD), so the release commit would belong to no branch\n     hint: switch to your branch first:  git switch main\n",
    );
    env.git(&["checkout", "-q", "main"]);
    env.git(&["stash", "-q"]);
    // A merge that stops on a conflict in another file.
    env.git(&["checkout", "-q", "-b", "other"]);
    env.write("notes.txt", "theirs\n");
    env.commit("theirs");
    env.git(&["checkout", "-q", "main"]);
    env.write("notes.txt", "ours\n");
    env.commit("ours");
    let mut cmd = std::process::Command::new("git");
    cmd.args(["merge", "-q", "other"])
        .current_dir(&env.root)
        .env("GIT_CONFIG_GLOBAL", "/dev/null");
    assert!(
        !cmd.output().expect("git merge").status.success(),
        "the merge should stop on a conflict"
    );
    let before = env.snapshot();
    let run = env.run(&["release", "--minor", "-m", "Edit"]);
    run.expect_code(1);
    assert!(run.stderr.contains("a merge is in progress in this repository\n     hint: finish it or abort it first (git status says how)\n"), "{}", run.stderr);
    assert_eq!(env.snapshot(), before);
}

#[test]
fn the_push_hint_is_given_where_there_is_a_remote() {
    let env = example_repo();
    env.git(&["remote", "add", "origin", "../shared.git"]);
    let run = env.run(&["release", "-m", "First"]);
    run.expect_code(0);
    assert_eq!(run.stderr, "hint: share it with:  git push --follow-tags\n");
}
