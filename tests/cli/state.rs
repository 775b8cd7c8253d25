//! A repository's whole state as text, comparable between two copies of it (issue 13): where
//! HEAD points, every ref, every commit reachable from them, the index, `git status` and the
//! bytes of every work-tree file (a PDF by the text `pdftotext` reads from it).
//!
//! Commit ids are replaced by labels made from what a commit holds (its tree, its parents'
//! labels, author, committer and message) but not from when it was made: `sopctl release`
//! stamps its commit and tag with the clock (approve, review and retire take
//! `GIT_COMMITTER_DATE`), so the same release made twice has two ids. The renditions print the
//! commit's short id; it is replaced by the label as well. Tag objects are shown by their name,
//! tagger and message, not their id. Empty folders are not part of the state (git does not see
//! them either).

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use sha2::{Digest, Sha256};

use crate::harness::TestEnv;

/// The state of `env`'s repository (its root's git directory and work tree), as described in
/// the module docs. Two states are equal when the repositories hold the same records.
pub(crate) fn state(env: &TestEnv) -> String {
    let labels = commit_labels(env);
    let mut out = String::new();
    let head = env.git_allow_fail(&["symbolic-ref", "-q", "HEAD"]);
    writeln!(out, "HEAD: {}", head.trim()).expect("text");
    out.push_str("refs:\n");
    let refs = env.git(&[
        "for-each-ref",
        "--format=%(refname)%00%(objecttype)%00%(objectname)%00%(*objectname)%00%(taggername) %(taggeremail)%00%(contents)%1e",
    ]);
    for record in refs.split('\x1e').map(str::trim_start) {
        let f: Vec<&str> = record.split('\0').collect();
        if let [name, kind, id, peeled, tagger, message] = f[..] {
            if kind == "tag" {
                writeln!(out, "  {name} -> tag by {tagger} of {peeled}").expect("text");
                quote(&mut out, message);
            } else {
                writeln!(out, "  {name} -> {kind} {id}").expect("text");
            }
        }
    }
    out.push_str("commits:\n");
    // By label, not by id: an id depends on the time the commit was made.
    let mut commits: Vec<&(String, String)> = labels.values().collect();
    commits.sort();
    for (label, text) in commits {
        writeln!(out, "  {label} {text}").expect("text");
    }
    out.push_str("index:\n");
    quote(&mut out, &env.git(&["ls-files", "-s"]));
    out.push_str("status:\n");
    quote(
        &mut out,
        &env.git(&[
            "--no-optional-locks",
            "status",
            "--porcelain=v1",
            "-uall",
            "--ignored",
        ]),
    );
    out.push_str("files:\n");
    files(&env.root, &mut out);
    // Commit ids, whole and as the 7-digit short form the renditions print, become labels.
    for (id, (label, _)) in &labels {
        out = out.replace(id.as_str(), label);
        if let Some(short) = id.get(..7) {
            out = out.replace(short, label);
        }
    }
    mask_temp_names(&out)
}

/// `sops/.sopctl-WoPnXb.tmp` → `sops/.sopctl-*.tmp`: a temporary file left behind is part of
/// the state, its random name is not (so that the same leftover reads the same in every trial).
fn mask_temp_names(text: &str) -> String {
    const START: &str = ".sopctl-";
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(START) {
        let (head, tail) = rest.split_at(at + START.len());
        out.push_str(head);
        let name_len = tail
            .find(|c: char| !c.is_ascii_alphanumeric())
            .unwrap_or(tail.len());
        if tail[name_len..].starts_with(".tmp") && name_len > 0 {
            out.push('*');
            rest = &tail[name_len..];
        } else {
            rest = tail;
        }
    }
    out.push_str(rest);
    out
}

/// Every commit reachable from a ref: its id → (label, description). Parents come first in
/// git's `--topo-order --reverse`, so their labels are known when a child's is made.
fn commit_labels(env: &TestEnv) -> BTreeMap<String, (String, String)> {
    let log = env.git_allow_fail(&[
        "log",
        "--all",
        "--topo-order",
        "--reverse",
        "--format=%H%x00%T%x00%P%x00%an <%ae>%x00%cn <%ce>%x00%B%x1e",
    ]);
    let mut labels: BTreeMap<String, (String, String)> = BTreeMap::new();
    for record in log.split('\x1e').map(str::trim_start) {
        let f: Vec<&str> = record.split('\0').collect();
        let [id, tree, parents, author, committer, message] = f[..] else {
            continue;
        };
        let parents: Vec<String> = parents
            .split_whitespace()
            .map(|p| labels.get(p).map_or(p.to_string(), |l| l.0.clone()))
            .collect();
        let mut text = format!(
            "tree {tree} parents [{}] author {author} committer {committer}\n",
            parents.join(" ")
        );
        quote(&mut text, message);
        let digest = Sha256::digest(text.as_bytes());
        let hex: String = digest.iter().take(5).map(|b| format!("{b:02x}")).collect();
        labels.insert(id.to_string(), (format!("<commit {hex}>"), text));
    }
    labels
}

/// Appends `text` indented, each line behind `| `.
fn quote(out: &mut String, text: &str) {
    for line in text.lines() {
        writeln!(out, "    | {line}").expect("text");
    }
}

/// Every file below `root` outside `.git`, sorted by path, with its contents.
fn files(root: &Path, out: &mut String) {
    let mut paths: Vec<_> = walkdir::WalkDir::new(root)
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git")
        .flatten()
        .filter(|e| !e.file_type().is_dir())
        .map(|e| e.path().to_path_buf())
        .collect();
    paths.sort();
    for path in paths {
        let rel = path.strip_prefix(root).unwrap_or(&path).display();
        if path.extension().is_some_and(|e| e == "pdf") {
            writeln!(out, "  {rel} (text of the PDF)").expect("text");
            quote(out, &pdf_text(&path));
        } else {
            writeln!(out, "  {rel}").expect("text");
            let bytes = std::fs::read(&path).unwrap_or_default();
            quote(out, &String::from_utf8_lossy(&bytes));
        }
    }
}

/// What `pdftotext -layout` reads from a PDF, or why it cannot.
fn pdf_text(path: &Path) -> String {
    let out = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext (poppler-utils) is installed");
    if out.status.success() {
        String::from_utf8_lossy(&out.stdout).into_owned()
    } else {
        format!(
            "unreadable PDF: {}",
            String::from_utf8_lossy(&out.stderr).trim()
        )
    }
}

/// Lock files git or sopctl left in the git directory (`index.lock`, `HEAD.lock`,
/// `refs/heads/main.lock`, …), as paths relative to it. sopctl's own lock files (named
/// `sopctl*.lock`) are left out: they are held with `flock`, which the kernel releases with
/// the process, so the file staying behind blocks no one.
pub(crate) fn stale_locks(env: &TestEnv) -> Vec<String> {
    let git_dir = env.root.join(".git");
    let mut locks: Vec<String> = walkdir::WalkDir::new(&git_dir)
        .into_iter()
        .flatten()
        .filter(|e| {
            let name = e.file_name().to_string_lossy();
            name.ends_with(".lock") && !name.starts_with("sopctl")
        })
        .map(|e| {
            e.path()
                .strip_prefix(&git_dir)
                .unwrap_or(e.path())
                .display()
                .to_string()
        })
        .collect();
    locks.sort();
    locks
}

/// A unified diff from `a` to `b` with one line of context, for a failure message.
pub(crate) fn diff(a: &str, b: &str) -> String {
    similar::TextDiff::from_lines(a, b)
        .unified_diff()
        .context_radius(1)
        .to_string()
}

#[test]
fn temporary_names_are_masked() {
    assert_eq!(
        mask_temp_names("?? sops/.sopctl-WoPnXb.tmp\n.sopctl-x\n"),
        "?? sops/.sopctl-*.tmp\n.sopctl-x\n"
    );
}
