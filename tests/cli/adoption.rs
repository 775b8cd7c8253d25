//! Adopting an SOP that already has a revision history: its first release keeps the row of its
//! version as written, and that row's author is the version's author everywhere: the table,
//! `log` and the site (issue 14 item 11).

use crate::errors::refused;
use crate::harness::{TestEnv, json_column, sop};

/// An SOP at 1.0 whose revision history was written before sopctl, committed.
fn adoptable(author_cell: &str) -> TestEnv {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        format!(
            "{}\n## Revision History\n\n| Version | Date | Changes | Author |\n| --- | --- | --- | --- |\n| 0.9 | 2024-06-01 | Draft on paper | J. Smith |\n| 1.0 | 2025-11-08 | Paper original | {author_cell} |\n",
            sop("SOP-1", "Alpha")
        ),
    );
    env.commit("Add SOP-1 as it was on paper");
    env
}

/// The author of each version in `log --json`, in the tag of 1.0, and on the site.
fn authors(env: &TestEnv) -> (Vec<String>, String, Vec<String>) {
    let log = env.run(&["log", "--json"]);
    log.expect_code(0);
    let tag = env.git(&["tag", "-l", "--format=%(contents)", "SOP-1/v1.0.0"]);
    let tag_author = tag
        .lines()
        .find_map(|l| l.strip_prefix("Author: "))
        .unwrap_or("(none)")
        .to_string();
    env.run(&["publish"]).expect_code(0);
    let index: serde_json::Value =
        serde_json::from_str(&env.read("dist/index.json")).expect("index.json");
    let mut site: Vec<String> = index["sops"][0]["versions"]
        .as_array()
        .expect("versions")
        .iter()
        .map(|v| v["author"].as_str().expect("author").to_string())
        .collect();
    site.reverse();
    (json_column(&log.stdout, "author"), tag_author, site)
}

// Before: the table said "J. Smith" while `log` and the site named whoever ran the release.
#[test]
fn an_adopted_version_has_its_rows_author_in_the_table_log_and_site() {
    let env = adoptable("J. Smith");
    env.run(&["release", "-m", "Brought under sopctl"])
        .expect_code(0);
    assert!(
        env.read("sops/a.md")
            .ends_with("| 0.9 | 2024-06-01 | Draft on paper | J. Smith |\n| 1.0 | 2025-11-08 | Paper original | J. Smith |\n"),
        "{}",
        env.read("sops/a.md")
    );
    assert_eq!(
        authors(&env),
        (
            vec!["J. Smith".into()],
            "J. Smith".into(),
            vec!["J. Smith".into()]
        )
    );
    let page = env.read("dist/SOP-1/index.html");
    assert!(
        page.contains("<td data-label=\"Author\">J. Smith</td>"),
        "{page}"
    );
    assert!(!page.contains("Test Owner"), "{page}");

    // The next release is sopctl's own: its author is the releaser, in every place too.
    env.write(
        "sops/a.md",
        env.read("sops/a.md").replace("Why.", "Why not."),
    );
    env.commit("Edit");
    env.run(&["release", "--minor", "-m", "Second", "--no-render"])
        .expect_code(0);
    assert!(
        env.read("sops/a.md")
            .ends_with("| 1.0 | 2025-11-08 | Paper original | J. Smith |\n| 1.1 | 2026-01-15 | Second | Test Owner |\n")
    );
    let (log, _, site) = authors(&env);
    assert_eq!(log, ["J. Smith", "Test Owner"]);
    assert_eq!(site, log);
}

#[test]
fn a_row_that_names_no_author_names_none_in_log_and_site_either() {
    for cell in ["-", ""] {
        let env = adoptable(cell);
        env.run(&["release", "-m", "Brought under sopctl"])
            .expect_code(0);
        assert_eq!(
            authors(&env),
            (vec!["-".into()], "-".into(), vec!["-".into()]),
            "cell {cell:?}"
        );
    }
}

#[test]
fn an_author_cell_with_an_escaped_pipe_is_read_as_text() {
    let env = adoptable("Quality \\| Production");
    env.run(&["release", "-m", "Brought under sopctl"])
        .expect_code(0);
    let (log, tag, _) = authors(&env);
    assert_eq!(log, ["Quality | Production"]);
    assert_eq!(tag, "Quality | Production");
    assert!(
        env.read("sops/a.md")
            .ends_with("| 1.0 | 2025-11-08 | Paper original | Quality \\| Production |\n")
    );
}

#[test]
fn adopting_with_another_author_than_the_rows_is_refused() {
    let env = adoptable("J. Smith");
    assert_eq!(
        refused(
            &env,
            &[
                "release",
                "-m",
                "Brought under sopctl",
                "--author",
                "Dana Quality"
            ],
            1
        ),
        "error: SOP-1 cannot be released (1 problem); nothing was changed\n\
         \x20 1. --author \"Dana Quality\" is not the author the revision history gives for 1.0 (J. Smith), and the row of a version released before sopctl stays as written\n\
         \x20    hint: leave out --author, or correct the Author cell of the 1.0 row and commit it first\n"
    );
    env.run(&[
        "release",
        "-m",
        "Brought under sopctl",
        "--author",
        " J.  Smith ",
    ])
    .expect_code(0);
    assert_eq!(authors(&env).0, ["J. Smith"]);
}

#[test]
fn adopting_a_version_the_table_has_no_row_for_adds_one_with_the_releaser() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    env.run(&["release", "-m", "First", "--author", "Dana Quality"])
        .expect_code(0);
    assert!(
        env.read("sops/a.md")
            .ends_with("| 1.0 | 2025-11-08 | First | Dana Quality |\n")
    );
    assert_eq!(authors(&env).0, ["Dana Quality"]);
}

// Fresh-user trial (issue 14): an adopted SOP without an `effective` date was dated today in
// its front matter and title block, while its kept row said 2024-01-01.
#[test]
fn an_adopted_version_without_an_effective_date_takes_its_rows_date() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        format!(
            "{}\n## Revision History\n\n| Version | Date | Changes | Author |\n| --- | --- | --- | --- |\n| 1.0 | 2024-01-01 | Old wording | J. Doe |\n",
            sop("SOP-1", "Alpha").replace("effective: 2025-11-08\n", "")
        ),
    );
    env.commit("Add SOP-1 as it was on paper");
    env.run(&["release", "-m", "Brought under sopctl"])
        .expect_code(0);
    let text = env.read("sops/a.md");
    assert!(text.contains("\neffective: 2024-01-01\n"), "{text}");
    assert!(
        text.contains("| 1.0 | 2024-01-01 | Old wording | J. Doe |"),
        "{text}"
    );
    let log = env.run(&["log", "--json"]);
    assert!(
        log.stdout.contains("\"date\": \"2024-01-01\""),
        "{}",
        log.stdout
    );
}
