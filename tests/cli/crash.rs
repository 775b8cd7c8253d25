//! Fault injection (issue 13): each record command is killed with SIGKILL at each of its
//! writing system calls in turn, and the repository must then be whole.
//!
//! For a command and a system call SC that the command makes `count` times (counted once
//! with `strace -f -c`), trial N (N = 1, 2, … until a run is no longer killed) copies the
//! template repository, runs the command under
//! `strace -f -e trace=SC -e inject=SC:signal=KILL:when=N` (strace counts each thread
//! apart), then the next command a user would type (`sopctl list`, which must finish or undo
//! the interrupted record), and asserts:
//!
//! - the state ([`crate::state`]) is exactly the one before the command or the one after an
//!   uninterrupted run of it (refs, commits, index, status, work tree, renditions);
//! - when the killed run had left it half done, `sopctl list` said so (`note: …`);
//! - no git lock file is left in `.git`;
//! - an ordinary `git commit` of a new file then commits that file and nothing else (a stale
//!   index would revert the release in HEAD).
//!
//! Every broken trial is collected; the test fails with them grouped by what broke (command,
//! system call, the values of N) and a diff of the state against both references. The whole
//! report is also written to `target/tmp/crash-*.txt`. Needs `strace` and `pdftotext`.

use std::collections::BTreeMap;
use std::os::unix::process::ExitStatusExt;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::harness::{DANA, TestEnv, sop};
use crate::state::{diff, stale_locks, state};

/// The system calls that write, or make, remove or rename files and folders: the places where
/// a killed process can leave something half done. A `?` lets strace accept a name the
/// machine's architecture does not have (aarch64 has no `rename`, `open`, …).
const WRITING: [&str; 23] = [
    "write",
    "writev",
    "pwrite64",
    "pwritev",
    "rename",
    "renameat",
    "renameat2",
    "unlink",
    "unlinkat",
    "link",
    "linkat",
    "symlink",
    "mkdir",
    "mkdirat",
    "rmdir",
    "fsync",
    "fdatasync",
    "ftruncate",
    "open",
    "openat",
    "creat",
    "fchmod",
    "utimensat",
];

/// One record command, as a user types it, with the identity it runs as.
struct Case {
    args: &'static [&'static str],
    vars: &'static [(&'static str, &'static str)],
}

/// A repository where every case succeeds: SOP-1 needs QA's approval, was released as 1.0
/// with renditions, then edited, committed and approved again.
fn template() -> TestEnv {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        sop("SOP-1", "Alpha").replace("owner: QA\n", "owner: QA\napprovers: [QA Manager]\n"),
    );
    env.commit("Add SOP-1");
    let approve = ["approve", "--role", "QA Manager"];
    env.run_in(&env.root, &approve, &DANA).expect_code(0);
    env.run(&["release", "-m", "First"]).expect_code(0);
    let text = env.read("sops/a.md");
    env.write("sops/a.md", text.replacen("Why.", "Why not.", 1));
    env.commit("Edit");
    env.run_in(&env.root, &approve, &DANA).expect_code(0);
    env
}

/// Fails the test, saying what to install, when strace is missing or cannot trace.
fn require_strace() {
    let out = std::process::Command::new("strace").arg("-V").output();
    assert!(
        out.is_ok_and(|o| o.status.success()),
        "strace is not installed: install it (apt-get install strace) to run the fault-injection \
         tests; .ci/run installs it in CI"
    );
}

/// Runs `case` once under `strace -f -c` in a copy of `template`: how often it makes each
/// writing system call (those it never makes are left out), and the copy after the run.
fn count_syscalls(template: &TestEnv, case: &Case) -> (BTreeMap<String, u32>, TestEnv) {
    let env = template.copy();
    let counts = env.root.with_file_name("strace-counts.txt");
    let trace: Vec<String> = WRITING.iter().map(|s| format!("?{s}")).collect();
    let out = env
        .command("strace")
        .args(["-f", "-c", "-o"])
        .arg(&counts)
        .arg("-e")
        .arg(format!("trace={}", trace.join(",")))
        .arg(env!("CARGO_BIN_EXE_sopctl"))
        .args(case.args)
        .envs(case.vars.iter().copied())
        .output()
        .expect("strace runs");
    assert!(
        out.status.success(),
        "{:?} failed under strace -c:\n{}",
        case.args,
        String::from_utf8_lossy(&out.stderr)
    );
    let table = std::fs::read_to_string(&counts).expect("strace's counts");
    let mut found = BTreeMap::new();
    // `% time  seconds  usecs/call  calls  [errors]  syscall`: calls is the fourth column.
    for line in table.lines() {
        let cols: Vec<&str> = line.split_whitespace().collect();
        if let (Some(name), Some(calls)) = (cols.last(), cols.get(3))
            && WRITING.contains(name)
            && let Ok(calls) = calls.parse::<u32>()
        {
            found.insert((*name).to_string(), calls);
        }
    }
    assert!(
        found.contains_key("write"),
        "no write counted in strace's table:\n{table}"
    );
    (found, env)
}

/// The two states a trial may end in.
struct References {
    before: String,
    after: String,
}

/// One killed (or, at the last N, completed) run and what was wrong afterwards.
struct Trial {
    syscall: String,
    n: u32,
    killed: bool,
    /// Empty when the repository was whole.
    problems: String,
}

/// Runs trial N of `syscall` for `case` in a copy of `template`.
fn trial(template: &TestEnv, case: &Case, refs: &References, syscall: &str, n: u32) -> Trial {
    let env = template.copy();
    let out = env
        .command("strace")
        .args(["-f", "-o", "/dev/null", "-e"])
        .arg(format!("trace={syscall}"))
        .arg("-e")
        .arg(format!("inject={syscall}:signal=KILL:when={n}"))
        .arg(env!("CARGO_BIN_EXE_sopctl"))
        .args(case.args)
        .envs(case.vars.iter().copied())
        .output()
        .expect("strace runs");
    let killed = out.status.signal() == Some(9) || out.status.code() == Some(128 + 9);
    let mut problems = String::new();
    if !killed && !out.status.success() {
        problems.push_str(&format!(
            "- not killed, but failed ({}): {}\n",
            out.status,
            String::from_utf8_lossy(&out.stderr)
        ));
    }
    let left = state(&env);
    let list = env.run(&["list"]);
    let now = state(&env);
    let half_left = left != refs.before && left != refs.after;
    if !killed && left != refs.after {
        problems.push_str(&format!(
            "- the run was not killed, yet the repository is not as after the command:\n{}",
            indent(&diff(&left, &refs.after))
        ));
    }
    if list.code != 0 {
        problems.push_str(&format!(
            "- the next command, `sopctl list`, failed (exit {}): {}",
            list.code, list.stderr
        ));
    }
    if now != refs.before && now != refs.after {
        problems.push_str(&format!(
            "- after `sopctl list` (stderr: {:?}) the repository is neither as before nor as after the command\n  from the state before:\n{}  to the state after:\n{}",
            list.stderr,
            indent(&diff(&refs.before, &now)),
            indent(&diff(&now, &refs.after)),
        ));
    } else if half_left && !list.stderr.contains("note:") {
        problems.push_str(&format!(
            "- the killed run left a half-done record, which `sopctl list` mended without a note (stderr: {:?})\n",
            list.stderr
        ));
    }
    let locks = stale_locks(&env);
    if !locks.is_empty() {
        problems.push_str(&format!("- lock files left in .git: {locks:?}\n"));
    }
    let committed = commit_a_new_file(&env);
    if committed != "notes.txt\n" {
        problems.push_str(&format!(
            "- an ordinary `git commit` of notes.txt committed: {}\n",
            committed.trim_end().replace('\n', ", ")
        ));
    }
    Trial {
        syscall: syscall.to_string(),
        n,
        killed,
        problems: problems.replace(&env.root.display().to_string(), "[ROOT]"),
    }
}

/// Commits a new file the ordinary way (`git add`, `git commit`); returns the files that
/// commit changed, one a line, or what git said when it could not commit.
fn commit_a_new_file(env: &TestEnv) -> String {
    env.write("notes.txt", "notes\n");
    for args in [
        &["add", "notes.txt"][..],
        &["commit", "-q", "-m", "Add notes"],
    ] {
        let out = env.command("git").args(args).output().expect("git runs");
        if !out.status.success() {
            let said = String::from_utf8_lossy(&out.stderr);
            return format!(
                "nothing: git {} failed: {}",
                args.first().unwrap_or(&""),
                said.lines().next().unwrap_or_default()
            );
        }
    }
    env.git(&["diff", "--name-only", "HEAD~1", "HEAD"])
}

/// A diff, indented under a problem line and cut to 60 lines.
fn indent(diff: &str) -> String {
    let mut out: String = diff
        .lines()
        .take(60)
        .map(|l| format!("      {l}\n"))
        .collect();
    if diff.lines().count() > 60 {
        out.push_str("      …\n");
    }
    out
}

/// Runs `jobs` (system call, N) on a few threads; returns the trials in any order.
fn run_trials(
    template: &TestEnv,
    case: &Case,
    refs: &References,
    jobs: &[(String, u32)],
) -> Vec<Trial> {
    let next = AtomicUsize::new(0);
    let done = Mutex::new(Vec::new());
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get().clamp(1, 4));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                while let Some((syscall, n)) = jobs.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let t = trial(template, case, refs, syscall, *n);
                    done.lock().expect("results").push(t);
                }
            });
        }
    });
    done.into_inner().expect("results")
}

/// Kills `sopctl ARGS` (run with the environment variables `vars`) at every writing system
/// call in turn and fails with every broken trial.
fn kill_at_every_write(args: &'static [&'static str], vars: &'static [(&str, &str)]) {
    let case = &Case { args, vars };
    let name = args.join(" ");
    require_strace();
    let template = template();
    let before = state(&template);
    let (counts, after_env) = count_syscalls(&template, case);
    let refs = References {
        before,
        after: state(&after_env),
    };
    assert_ne!(refs.before, refs.after, "{name} changed nothing");
    // Every N up to one past the count: the last one should run to the end.
    let jobs: Vec<(String, u32)> = counts
        .iter()
        .flat_map(|(sc, count)| (1..=count + 1).map(move |n| (sc.clone(), n)))
        .collect();
    let mut trials = run_trials(&template, case, &refs, &jobs);
    // Where the last N was still killed (a count that varies), go on one N at a time.
    for (sc, count) in &counts {
        let mut n = count + 1;
        while trials
            .iter()
            .any(|t| &t.syscall == sc && t.n == n && t.killed)
        {
            assert!(n < count + 50, "{name}: still killed at {sc} N={n}");
            n += 1;
            trials.push(trial(&template, case, &refs, sc, n));
        }
    }
    report(&name, &counts, trials);
}

/// Fails with the broken trials grouped by what broke; writes the whole report to a file.
fn report(name: &str, counts: &BTreeMap<String, u32>, mut trials: Vec<Trial>) {
    trials.sort_by(|a, b| (&a.syscall, a.n).cmp(&(&b.syscall, b.n)));
    let total = trials.len();
    let killed = trials.iter().filter(|t| t.killed).count();
    let mut groups: BTreeMap<&str, BTreeMap<&str, Vec<u32>>> = BTreeMap::new();
    for t in trials.iter().filter(|t| !t.problems.is_empty()) {
        groups
            .entry(&t.problems)
            .or_default()
            .entry(&t.syscall)
            .or_default()
            .push(t.n);
    }
    if groups.is_empty() {
        return;
    }
    let broken: usize = groups.values().flat_map(|g| g.values()).map(Vec::len).sum();
    let mut text = format!(
        "`sopctl {name}`: {broken} of {total} trials ({killed} killed) left the repository broken; \
         system calls counted: {counts:?}\n"
    );
    for (problems, at) in &groups {
        let points: Vec<String> = at
            .iter()
            .map(|(sc, ns)| format!("{sc} N={}", ranges(ns)))
            .collect();
        text.push_str(&format!("\n* killed at {}:\n{problems}", points.join("; ")));
    }
    let slug: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    let file = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("crash-{slug}.txt"));
    let _ = std::fs::write(&file, &text);
    panic!("{text}\n(this report is also in {})", file.display());
}

/// `1,2,3,5` → `1..3,5`.
fn ranges(ns: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while let Some(&start) = ns.get(i) {
        let mut end = start;
        while ns.get(i + 1) == Some(&(end + 1)) {
            end += 1;
            i += 1;
        }
        parts.push(if end == start {
            start.to_string()
        } else {
            format!("{start}..{end}")
        });
        i += 1;
    }
    parts.join(",")
}

#[test]
fn a_release_with_renditions_killed_at_any_write_is_finished_or_undone_by_the_next_command() {
    kill_at_every_write(&["release", "--minor", "-m", "Second"], &[]);
}

#[test]
fn a_release_without_renditions_killed_at_any_write_is_finished_or_undone_by_the_next_command() {
    kill_at_every_write(&["release", "--minor", "-m", "Second", "--no-render"], &[]);
}

#[test]
fn an_approval_killed_at_any_write_is_finished_or_undone_by_the_next_command() {
    kill_at_every_write(&["approve", "--role", "QA Manager", "-m", "Checked"], &DANA);
}

#[test]
fn a_review_killed_at_any_write_is_finished_or_undone_by_the_next_command() {
    kill_at_every_write(&["review", "-m", "Still right"], &[]);
}

#[test]
fn a_retirement_killed_at_any_write_is_finished_or_undone_by_the_next_command() {
    kill_at_every_write(&["retire", "-m", "Withdrawn"], &[]);
}

#[test]
fn ranges_are_shown_compactly() {
    assert_eq!(ranges(&[1, 2, 3, 5, 7, 8]), "1..3,5,7..8");
    assert_eq!(ranges(&[]), "");
}
