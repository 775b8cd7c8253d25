//! YAML in the front matter beyond `key: value` (issue 14 item 3 and the YAML half of item 7):
//! anchors and aliases (`cases/` B33), blocks, duplicate keys at any depth, a second YAML
//! document, and escapes double quotes do not know. `check` and `release` report each at the
//! same place in the same words.

use crate::errors::refused;
use crate::harness::{TestEnv, fixture, sop};

const B33: &str = "sops/B33-yaml-anchors.md";

/// The B33 field case in a repository, committed.
fn b33() -> TestEnv {
    let env = TestEnv::repo();
    env.write(B33, fixture("cases/B33-yaml-anchors.md"));
    env.commit("Add SOP-033");
    env
}

const B33_FINDING: &str = "sops/B33-yaml-anchors.md:9:12: error: `effective` carries the YAML anchor `&issued`, which line 10 repeats as `*issued`; sopctl rewrites `effective` on every release, and line 10 would change with it: write the value itself in each place, `effective: 2025-01-10` here and `first_issued: 2025-01-10` on line 10";

// See: cases/README.md B33 — today `check` found nothing and `release` refused naming the
// line's form. Values are read through the anchors; the anchored value that release rewrites
// is one finding, the same in `check` and `release`.
#[test]
fn b33_an_anchored_effective_date_is_the_same_finding_in_check_and_release() {
    let env = b33();
    let run = env.run(&["check"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        format!(
            "{B33_FINDING}\n\
             sops/B33-yaml-anchors.md:12:1: warning: the periodic review was due on 2026-01-10 (1 year after the last release or review); review the SOP and record it with  sopctl review -m \"What was checked\"\n"
        )
    );
    assert_eq!(
        refused(&env, &["release", "--minor", "-m", "Second"], 1),
        format!(
            "error: SOP-033 cannot be released (1 problem); nothing was changed\n\
             \x20 1. sopctl check finds 1 error\n\
             \x20      {B33_FINDING}\n\
             \x20    hint: fix them, then run  sopctl check  to confirm\n"
        )
    );

    // Written out as the finding says, the SOP releases and `first_issued` keeps its date.
    let text = env
        .read(B33)
        .replace("&issued 2025-01-10", "2025-01-10")
        .replace("*issued", "2025-01-10");
    env.write(B33, text);
    env.commit("Write the dates out");
    env.run(&["release", "--minor", "-m", "Second", "--no-render"])
        .expect_code(0);
    let released = env.read(B33);
    assert!(
        released.contains("version: 1.1.0\nstatus: effective\neffective: 2026-01-15\nfirst_issued: 2025-01-10\nreviewed_by: *owner\n"),
        "{released}"
    );
}

// See: cases/README.md B33 — the typed values come through the aliases and the folded title.
#[test]
fn b33_values_are_read_through_anchors_aliases_and_folded_lines() {
    let env = b33();
    let run = env.run(&["list", "--json"]);
    run.expect_code(0);
    let list: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(
        list[0]["title"],
        "Anchors, aliases and folded values in the front matter"
    );
    assert_eq!(list[0]["effective"], "2025-01-10");
    assert_eq!(list[0]["next_review"], "2026-01-10");
}

/// A repository with `sops/{name}.md` for each row: a small SOP with the ID `SOP-{n}` and
/// `title`, in which `from` is replaced by `to`; committed.
fn sops(rows: &[(&str, &str, &str, &str)]) -> TestEnv {
    let env = TestEnv::repo();
    for (n, (name, title, from, to)) in rows.iter().enumerate() {
        let text = sop(&format!("SOP-{}", n + 1), title);
        assert!(text.contains(from), "{from}");
        env.write(&format!("sops/{name}.md"), text.replacen(from, to, 1));
    }
    env.commit("Add");
    env
}

#[test]
fn values_release_rewrites_are_refused_as_aliases_blocks_or_anchors() {
    let env = sops(&[
        ("a", "Alpha", "version: 1.0\n", "version: >-\n  1.0\n"),
        (
            "b",
            "Beta",
            "status: effective\n",
            "first: &st effective\nstatus: *st\n",
        ),
        (
            "c",
            "Gamma",
            "status: effective\n",
            "status: &st effective\n",
        ),
    ]);
    let run = env.run(&["check"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "sops/a.md:4:1: error: `version` is written as a block over several lines (after `|` or `>`); sopctl rewrites `version` on every release: write it on one line, `version: 1.0`\n\
         sops/b.md:7:9: error: `status` is written as `*st`, which repeats the value anchored on line 6; sopctl rewrites `status` on release and retirement: write the value itself, `status: effective`\n\
         sops/c.md:6:9: error: `status` carries the YAML anchor `&st`, which sopctl cannot keep when it rewrites `status` (on release and retirement); write `status: effective` without the anchor\n"
    );
    let stderr = refused(&env, &["release", "sops/a.md", "-m", "First"], 1);
    assert!(
        stderr.contains("\n       sops/a.md:4:1: error: `version` is written as a block over several lines (after `|` or `>`); sopctl rewrites `version` on every release: write it on one line, `version: 1.0`\n"),
        "{stderr}"
    );
}

#[test]
fn duplicate_keys_a_second_document_and_unknown_escapes_are_named() {
    let env = sops(&[
        (
            "a",
            "Alpha",
            "owner: QA\n",
            "owner: QA\nextra:\n  kit: A\n  kit: B\n",
        ),
        ("b", "Beta", "owner: QA\n", "--- # more\nowner: QA\n"),
        // From a real template set: a title escaped as Markdown, in double quotes.
        ("c", "\"\\<Software Title\\> Release Procedure\"", "", ""),
        // A key indented by mistake, and text after a closing quote: both were reported as
        // something else (a colon inside a value, a quote not closed).
        ("d", "Delta", "owner: QA\n", "  owner: QA\n"),
        ("e", "'Clean' room 3", "", ""),
    ]);
    let run = env.run(&["check"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "sops/a.md:8:3: error: `kit` is given twice (lines 7 and 8); keep one\n\
         sops/b.md:5:1: error: line 5 starts a second YAML document (a line that begins with `---` or `...`), which sopctl does not read; the front matter is one block of `key: value` lines: delete that line, or if the front matter ends there, leave `---` alone on it\n\
         sops/c.md:3:9: error: front matter is not valid YAML: `\\<` is not a YAML escape (between double quotes a backslash starts one, such as `\\\"` or `\\n`); drop the backslash, or put the value in single quotes, which keep every character as written\n\
         sops/d.md:5:3: error: front matter is not valid YAML: this line is indented, so YAML reads it as more of the value above it; start it at the beginning of the line, as the other keys\n\
         sops/e.md:3:16: error: front matter is not valid YAML: the value ends at its closing quote mark, and more text follows it on the line: put all of the value inside the quotes, e.g. title: \"'Clean' room 3\"\n"
    );
}
