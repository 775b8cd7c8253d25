//! `check` and `release` agree (issue 14 item 1): for every SOP among the fixtures and field
//! cases (`tests/fixtures/**/*.md`), and for the repository-wide rules, the errors
//! `sopctl check FILE` prints are exactly the findings `sopctl release FILE --dry-run` refuses
//! on; a file that passes `check` is not refused for its content.

use std::path::{Path, PathBuf};

use crate::harness::{TestEnv, sop};

/// Every Markdown file under `tests/fixtures`, relative to it, sorted.
fn fixture_documents() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut found: Vec<PathBuf> = walkdir::WalkDir::new(&root)
        .into_iter()
        .flatten()
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| e.path().strip_prefix(&root).expect("below").to_path_buf())
        .collect();
    found.sort();
    found
}

/// A repository holding the fixture `rel` (relative to `tests/fixtures`), everything committed.
/// A field case kept as a folder (`cases/B25-images/sops/…`) is copied whole, so its images
/// and links are there; a single file goes into `sops/`. Returns the document's path in it.
fn repository_with(rel: &Path) -> (TestEnv, String) {
    let env = TestEnv::repo();
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let parts: Vec<_> = rel.components().collect();
    let doc = match parts.iter().position(|c| c.as_os_str() == "sops") {
        Some(at) => {
            let case: PathBuf = parts[..at].iter().collect();
            for entry in walkdir::WalkDir::new(fixtures.join(&case))
                .into_iter()
                .flatten()
            {
                if entry.file_type().is_file() {
                    let inside = entry
                        .path()
                        .strip_prefix(fixtures.join(&case))
                        .expect("below");
                    env.write(
                        inside.to_str().expect("UTF-8 name"),
                        std::fs::read(entry.path()).expect("fixture"),
                    );
                }
            }
            parts[at..].iter().collect::<PathBuf>()
        }
        None => {
            let doc = Path::new("sops").join(rel.file_name().expect("name"));
            env.write(
                doc.to_str().expect("UTF-8 name"),
                std::fs::read(fixtures.join(rel)).expect("fixture"),
            );
            doc
        }
    };
    env.commit("Add the document");
    (env, doc.to_str().expect("UTF-8 name").to_string())
}

/// The errors `check FILE` prints, as printed.
fn check_errors(env: &TestEnv, doc: &str) -> Vec<String> {
    let run = env.run(&["check", doc]);
    let errors: Vec<String> = run
        .stdout
        .lines()
        .filter(|l| l.contains(": error: "))
        .map(str::to_string)
        .collect();
    assert_eq!(run.code, i32::from(!errors.is_empty()), "{doc}: {run:?}");
    errors
}

/// What `release FILE --dry-run` refuses on for the document's content: the findings listed
/// under "sopctl check finds …", or the one error of a file that cannot be read at all
/// (written `file:line:col: message`, as a finding is without its `error:`). `None` when the
/// release goes ahead.
fn release_refusals(env: &TestEnv, doc: &str) -> Option<Vec<String>> {
    let run = env.run(&["release", doc, "-m", "Agreement", "--dry-run"]);
    if run.code == 0 {
        return None;
    }
    assert_eq!(run.code, 1, "{doc}: {run:?}");
    if !run.stderr.contains("cannot be released") {
        let line = run.stderr.lines().next().expect("a message");
        return Some(vec![line.trim_start_matches("error: ").to_string()]);
    }
    let findings: Vec<String> = run
        .stderr
        .lines()
        .skip_while(|l| !l.contains(". sopctl check finds "))
        .skip(1)
        .take_while(|l| l.starts_with("       "))
        .map(|l| l.trim_start().to_string())
        .collect();
    // Every refusal of a fresh repository with the document committed is about its content.
    let refusals = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("  ") && l.trim_start().starts_with(char::is_numeric))
        .count();
    assert_eq!(refusals, 1, "{doc}: {}", run.stderr);
    Some(findings)
}

/// `check`'s errors and `release`'s refusals for `doc` in `env`, side by side.
#[track_caller]
fn assert_agree(env: &TestEnv, doc: &str) -> Vec<String> {
    let errors = check_errors(env, doc);
    match release_refusals(env, doc) {
        None => assert_eq!(errors, Vec::<String>::new(), "{doc}: release went ahead"),
        Some(refused) if refused.len() == 1 && !refused[0].contains(": error: ") => {
            // A file that cannot be read: the same message, without `error:`.
            let as_check = errors
                .iter()
                .map(|e| e.replacen(": error: ", ": ", 1))
                .collect::<Vec<_>>();
            assert_eq!(as_check, refused, "{doc}");
        }
        Some(refused) => assert_eq!(errors, refused, "{doc}"),
    }
    errors
}

#[test]
fn check_and_release_agree_on_every_fixture_and_field_case() {
    let documents = fixture_documents();
    // The field cases are all found (28 when this test was written).
    assert!(documents.len() >= 28, "{documents:?}");
    let mut passing = 0;
    for rel in &documents {
        let (env, doc) = repository_with(rel);
        if assert_agree(&env, &doc).is_empty() {
            passing += 1;
        }
    }
    // Not every case is refused: some are released as they are.
    assert!(passing >= 3, "{passing} of {} pass", documents.len());
}

#[test]
fn check_and_release_agree_on_the_rules_of_the_repository_and_of_rewritten_values() {
    // A version written so that a release cannot rewrite it in place: check used to say
    // nothing, and release refused while editing the file.
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        sop("SOP-1", "Alpha").replace("version: 1.0", "version: >-\n  1.0"),
    );
    env.commit("Add");
    assert_eq!(
        assert_agree(&env, "sops/a.md"),
        [
            "sops/a.md:4:1: error: `version` is written as a block over several lines (after `|` or `>`); sopctl rewrites `version` on every release: write it on one line, `version: 1.0`"
        ]
    );

    // Two files with one ID, and a tag format without {id} that they would share.
    let env = TestEnv::repo();
    env.write("sopctl.toml", "tag_format = \"v{version}\"\n");
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.write("sops/b.md", sop("sop-1", "Beta"));
    env.commit("Add");
    let errors = assert_agree(&env, "sops/a.md");
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].starts_with("sopctl.toml:1:1: error: tag_format `v{version}` has no `{id}`"),
        "{errors:?}"
    );
    assert!(
        errors[1].starts_with(
            "sops/a.md:2:5: error: the ID `SOP-1` is also used by sops/b.md (as `sop-1`)"
        ),
        "{errors:?}"
    );

    // The same file named by a roundabout path: the same findings, naming it as found.
    assert_eq!(assert_agree(&env, "sops/../sops/a.md"), errors);

    // A file whose front matter gives no ID: release names what check finds, not only "not
    // an SOP".
    let env = TestEnv::repo();
    env.write("sops/a.md", "---\ntitle: Notes\nowner: QA\n---\nText.\n");
    env.commit("Add");
    assert_eq!(
        assert_agree(&env, "sops/a.md"),
        ["sops/a.md:1:1: error: the front matter has no `id`; add a line `id: …`"]
    );
}

#[test]
fn check_reports_what_release_refused_on_in_the_fresh_user_trial() {
    // Each used to pass `check` with no errors and be refused by `release`.
    let cases = [
        (
            "version: 1.0",
            "version: 1.0-x.lock",
            "sops/a.md:4:10: error: the version 1.0-x.lock would be released under the tag name SOP-1/v1.0.0-x.lock, which git does not accept; write the version without it (e.g. `1.0`)",
        ),
        (
            "status: effective",
            "status: superseded",
            "sops/a.md:6:9: error: status: superseded is set by  sopctl retire -m \"Why\"  (which records the reason), and SOP-1 was never retired; write `status: draft` (or leave the status out) until it is",
        ),
    ];
    for (from, line, expected) in cases {
        let env = TestEnv::repo();
        env.write("sops/a.md", sop("SOP-1", "Alpha").replace(from, line));
        env.commit("Add");
        assert_eq!(assert_agree(&env, "sops/a.md"), [expected], "{line}");
    }
    // The same approver twice (capitals aside): one approval fills both, so it is listed once.
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        sop("SOP-1", "Alpha").replace("owner: QA\n", "owner: QA\napprovers: [QA, qa]\n"),
    );
    env.commit("Add");
    let expected = "sops/a.md:6:17: error: the approver `qa` is listed twice (as `QA` before); list each role or person once";
    assert_eq!(check_errors(&env, "sops/a.md"), [expected]);
    let run = env.run(&["release", "sops/a.md", "-m", "x", "--dry-run"]);
    run.expect_code(1);
    assert!(
        run.stderr.contains(&format!("\n       {expected}\n")),
        "{}",
        run.stderr
    );
}
