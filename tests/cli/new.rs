//! `sopctl new`.

use crate::harness::{TestEnv, sop};

#[test]
fn new_writes_the_skeleton_with_the_first_id_and_it_passes_check() {
    let env = TestEnv::repo();
    let run = env.run(&[
        "new",
        "Cleaning the mixer: daily",
        "--owner",
        "Production Manager",
    ]);
    run.expect_code(0);
    assert_eq!(run.stdout, "sops/SOP-001.md\n");
    let text = env.read("sops/SOP-001.md");
    assert!(
        text.starts_with("---\nid: SOP-001\ntitle: \"Cleaning the mixer: daily\"\nversion: 1.0\nowner: Production Manager\nstatus: draft\n"),
        "{text}"
    );
    for section in [
        "## Purpose",
        "## Scope",
        "## Responsibilities",
        "## Definitions",
        "## Procedure",
        "## References",
        "## Revision History",
    ] {
        assert!(text.contains(section), "missing {section}");
    }
    // check points at each placeholder sentence still to be written over, as an error: a
    // template nobody wrote over is not released (issue 14 item 9).
    let check = env.run(&["check"]);
    check.expect_code(1);
    let placeholder = "error: this line is still the placeholder text that  sopctl new  wrote; replace it with the procedure's own words, or delete it";
    let lines: Vec<&str> = check.stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{}", check.stdout);
    assert!(
        lines.iter().all(|l| l.ends_with(placeholder)),
        "{}",
        check.stdout
    );
    let steps = text
        .lines()
        .position(|l| l == "1. First step.")
        .expect("step")
        + 1;
    assert!(
        check
            .stdout
            .contains(&format!("SOP-001.md:{steps}:1: {placeholder}")),
        "{}",
        check.stdout
    );
    env.commit("Draft");
    let release = env.run(&["release", "-m", "First"]);
    release.expect_code(1);
    assert!(
        release
            .stderr
            .contains("this line is still the placeholder text that  sopctl new  wrote"),
        "{}",
        release.stderr
    );
    assert_eq!(env.git(&["tag", "-l"]), "");
    // Written over, the errors go.
    env.write(
        "sops/SOP-001.md",
        text.replace("1. First step.", "1. Switch the mixer off."),
    );
    let check = env.run(&["check"]);
    assert_eq!(check.stdout.lines().count(), 5, "{}", check.stdout);
}

#[test]
fn new_takes_the_next_free_id_in_the_repository_scheme() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-OPS-007", "A"));
    env.write("sops/b.md", sop("SOP-OPS-002", "B"));
    let run = env.run(&["new", "Line clearance"]);
    run.expect_code(0);
    assert_eq!(run.stdout, "sops/SOP-OPS-008.md\n");
    assert!(
        env.read("sops/SOP-OPS-008.md")
            .contains("owner: Test Owner\n"),
        "owner from git user.name"
    );
}

#[test]
fn new_refuses_a_taken_or_invalid_id() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-001", "A"));
    let run = env.run(&["new", "X", "--id", "SOP-001"]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: the ID SOP-001 is already used by sops/a.md\nhint: leave out --id to take the next free one\n"
    );
    let run = env.run(&["new", "X", "--id", "../evil"]);
    run.expect_code(1);
    assert!(
        run.stderr
            .starts_with("error: the ID `../evil` contains '/'"),
        "{}",
        run.stderr
    );
}

#[test]
fn new_without_an_owner_or_git_name_says_how_to_give_one() {
    let env = TestEnv::new();
    env.write("sopctl.toml", "");
    let run = env.run(&["new", "X"]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: who owns this SOP? sopctl cannot tell: git has no user.name\nhint: give the owner:  sopctl new \"…\" --owner \"Quality Manager\"\n"
    );
}

#[test]
fn new_outside_any_repository_of_sops_is_refused() {
    let env = TestEnv::new();
    let run = env.run(&["new", "Forgot to cd", "--owner", "QA"]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: this folder is not in a repository of SOPs (no sopctl.toml and no git repository here or above)\nhint: go to your SOP repository first (cd …), or start one here with  sopctl init\n"
    );
    assert!(!env.path("sops").exists());
}

#[test]
fn an_id_is_never_given_twice_not_in_other_capitals_nor_after_its_file_is_gone() {
    let env = crate::harness::released_sop();
    let run = env.run(&["new", "Beta", "--id", "sop-1", "--owner", "QA"]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: the ID sop-1 is already used by sops/a.md\nhint: leave out --id to take the next free one\n"
    );
    // The released SOP's file is removed and committed: its ID stays taken by its releases.
    env.git(&["rm", "-q", "sops/a.md"]);
    env.commit("Remove SOP-1 by hand");
    let run = env.run(&["new", "Gamma", "--id", "SOP-1", "--owner", "QA"]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: the ID SOP-1 belongs to an SOP released before (SOP-1); an ID is never given to another SOP\nhint: leave out --id to take the next free one\n"
    );
    env.run(&["new", "Gamma", "--owner", "QA"]).expect_code(0);
    assert!(
        env.path("sops/SOP-2.md").exists(),
        "the next free ID after the released SOP-1"
    );
}
