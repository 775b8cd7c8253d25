//! Record commands started at the same moment (issue 13): 50 trials each, so that the races
//! the lock must close are met many times over. What is asserted holds whatever the timing:
//!
//! - two releases of two different SOPs both succeed (the second waits for the first) and
//!   leave a clean index: no release undone by a lost index update;
//! - the same SOP released at once from the main worktree and a linked one gives exactly one
//!   release: one success, one tag, and the success's tag names the commit it printed.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Child, Output, Stdio};

use crate::harness::{TestEnv, sop};

/// How many times each race is run.
const TRIALS: usize = 50;

/// Starts sopctl with `args` in `dir`, in `env`'s hermetic environment.
fn start(env: &TestEnv, dir: &Path, args: &[&str]) -> Child {
    env.command(env!("CARGO_BIN_EXE_sopctl"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sopctl starts")
}

/// Starts both commands, then waits for both.
fn race(env: &TestEnv, a: (&Path, &[&str]), b: (&Path, &[&str])) -> [Output; 2] {
    let (first, second) = (start(env, a.0, a.1), start(env, b.0, b.1));
    [
        first.wait_with_output().expect("sopctl ends"),
        second.wait_with_output().expect("sopctl ends"),
    ]
}

/// One run's exit status and what it printed, for a failure message.
fn shown(out: &Output) -> String {
    format!(
        "{}\n    stdout: {:?}\n    stderr: {:?}",
        out.status,
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

/// Fails with how often each kind of broken trial happened, and the first of each in full.
fn verdict(what: &str, broken: &BTreeMap<String, (usize, String)>) {
    if broken.is_empty() {
        return;
    }
    let mut text = format!("{what}: in {TRIALS} trials:\n");
    for (kind, (count, example)) in broken {
        text.push_str(&format!("\n* {count}×: {kind}\n  first seen:\n{example}\n"));
    }
    panic!("{text}");
}

/// SOP-1 (`sops/one.md`) and SOP-2 (`sops/two.md`), committed, never released.
fn two_sops() -> TestEnv {
    let env = TestEnv::repo();
    env.write("sops/one.md", sop("SOP-1", "Alpha"));
    env.write("sops/two.md", sop("SOP-2", "Beta"));
    env.commit("Add SOP-1 and SOP-2");
    env
}

const RELEASE_ONE: [&str; 6] = ["release", "SOP-1", "-m", "One", "--no-render", "-q"];
const RELEASE_TWO: [&str; 6] = ["release", "SOP-2", "-m", "Two", "--no-render", "-q"];

#[test]
fn two_releases_of_two_sops_at_once_both_succeed_and_no_index_update_is_lost() {
    let template = two_sops();
    // What HEAD must hold afterwards: both documents as two releases one after the other
    // write them.
    let expected = template.copy();
    expected.run(&RELEASE_ONE).expect_code(0);
    expected.run(&RELEASE_TWO).expect_code(0);
    let (one, two) = (expected.read("sops/one.md"), expected.read("sops/two.md"));

    let mut broken: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for _ in 0..TRIALS {
        let env = template.copy();
        let outs = race(&env, (&env.root, &RELEASE_ONE), (&env.root, &RELEASE_TWO));
        let status = env.git(&["status", "--porcelain=v1"]);
        let staged = env.git(&["diff", "--cached", "--name-status"]);
        let tags = env.git(&["tag", "-l"]);
        let head_one = env.git_allow_fail(&["show", "HEAD:sops/one.md"]);
        let head_two = env.git_allow_fail(&["show", "HEAD:sops/two.md"]);
        let mut kinds = Vec::new();
        for (out, id) in outs.iter().zip(["SOP-1", "SOP-2"]) {
            if !out.status.success() {
                kinds.push(format!("the release of {id} did not succeed"));
            }
        }
        if !status.is_empty() || !staged.is_empty() {
            kinds.push("the work tree or index differs from HEAD (a lost index update)".into());
        }
        if tags != "SOP-1/v1.0.0\nSOP-2/v1.0.0\n" {
            kinds.push("the tags are not SOP-1/v1.0.0 and SOP-2/v1.0.0".into());
        }
        if head_one != one || head_two != two {
            kinds.push("HEAD does not hold both released documents".into());
        }
        if !kinds.is_empty() {
            let example = format!(
                "  SOP-1: {}\n  SOP-2: {}\n  git status: {status:?}\n  staged: {staged:?}\n  tags: {tags:?}\n  log: {:?}",
                shown(&outs[0]),
                shown(&outs[1]),
                env.git(&["log", "--format=%s"]),
            );
            let entry = broken.entry(kinds.join("; ")).or_insert((0, example));
            entry.0 += 1;
        }
    }
    verdict("two releases of two SOPs at once", &broken);
}

/// A repository with SOP-1 committed on `main`, and a linked worktree on branch `linked`
/// (beside the main one) at the same commit; returns it and the linked worktree's folder.
fn main_and_linked_worktree() -> (TestEnv, std::path::PathBuf) {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    let linked = env.root.with_file_name("linked");
    let linked_arg = linked.to_str().expect("a UTF-8 temp path");
    env.git(&["worktree", "add", "-q", "-b", "linked", linked_arg]);
    (env, linked)
}

/// The value of a `  key: value` line of a release's report, up to the first space.
fn reported<'a>(stdout: &'a str, key: &str) -> Option<&'a str> {
    stdout
        .lines()
        .find_map(|l| l.trim_start().strip_prefix(key))
        .and_then(|v| v.split_whitespace().next())
}

#[test]
fn the_same_sop_released_at_once_from_two_worktrees_is_released_once() {
    const RELEASE: [&str; 4] = ["release", "-m", "First", "--no-render"];
    let mut broken: BTreeMap<String, (usize, String)> = BTreeMap::new();
    for _ in 0..TRIALS {
        let (env, linked) = main_and_linked_worktree();
        let outs = race(&env, (&env.root, &RELEASE), (&linked, &RELEASE));
        let tags = env.git(&["tag", "-l"]);
        let mut kinds = Vec::new();
        let successes = outs.iter().filter(|o| o.status.success()).count();
        if successes != 1 {
            kinds.push(format!("{successes} releases succeeded"));
        }
        if tags != "SOP-1/v1.0.0\n" {
            kinds.push(format!("the tags are {tags:?}"));
        }
        for (out, dir) in outs.iter().zip([env.root.as_path(), linked.as_path()]) {
            let where_ = if dir == env.root { "main" } else { "linked" };
            let clean = env
                .command("git")
                .args(["status", "--porcelain=v1"])
                .current_dir(dir)
                .output()
                .expect("git runs");
            if !clean.stdout.is_empty() {
                kinds.push(format!("the {where_} worktree is not clean afterwards"));
            }
            if !out.status.success() {
                continue;
            }
            let stdout = String::from_utf8_lossy(&out.stdout);
            let tag = reported(&stdout, "tag:").unwrap_or_default();
            let commit = reported(&stdout, "commit:").unwrap_or_default();
            let tagged = env.git_allow_fail(&["rev-parse", "--short=7", &format!("{tag}^{{}}")]);
            if tag.is_empty() || commit.is_empty() || tagged.trim() != commit {
                kinds.push(format!(
                    "the release reported in the {where_} worktree does not have its tag"
                ));
            }
        }
        if !kinds.is_empty() {
            let example = format!(
                "  main: {}\n  linked: {}\n  tags: {tags:?}\n  main log: {:?}\n  linked log: {:?}",
                shown(&outs[0]),
                shown(&outs[1]),
                env.git(&["log", "--format=%h %s", "main"]),
                env.git(&["log", "--format=%h %s", "linked"]),
            );
            let entry = broken.entry(kinds.join("; ")).or_insert((0, example));
            entry.0 += 1;
        }
    }
    verdict("one SOP released at once from two worktrees", &broken);
}
