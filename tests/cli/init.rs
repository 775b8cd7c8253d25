//! `sopctl init`.

use crate::harness::{EXAMPLE_1_0, EXAMPLE_1_1, EXAMPLE_NEXT_REVIEW, TestEnv};

#[test]
fn init_creates_settings_folder_gitignore_and_repository() {
    let env = TestEnv::new();
    let run = env.run(&["init", "quality-sops"]);
    run.expect_code(0);
    assert_eq!(
        run.stderr,
        "created a git repository in quality-sops\n\
         created sopctl.toml, sops/, .gitignore in quality-sops\n\
         hint: next, write your first SOP:  cd quality-sops && sopctl new \"Title of the procedure\"\n"
    );
    assert!(env.path("quality-sops/.git").is_dir());
    assert!(env.path("quality-sops/sops").is_dir());
    assert_eq!(
        env.read("quality-sops/.gitignore"),
        "# renditions made by sopctl\n/dist/\n# working copies rendered by sopctl render, marked DRAFT\n/drafts/\n# controlled copies printed by sopctl copy issue\n/copies/\n"
    );
    assert!(
        env.read("quality-sops/sopctl.toml")
            .contains("tag_format = \"{id}/v{version}\"")
    );
}

#[test]
fn init_keeps_what_exists_and_adds_only_what_is_missing() {
    let env = TestEnv::repo();
    env.write("sopctl.toml", "organization = \"ACME\"\n");
    env.write(".gitignore", "target/");
    let run = env.run(&["init"]);
    run.expect_code(0);
    assert_eq!(env.read("sopctl.toml"), "organization = \"ACME\"\n");
    assert_eq!(
        env.read(".gitignore"),
        "target/\n# renditions made by sopctl\n/dist/\n# working copies rendered by sopctl render, marked DRAFT\n/drafts/\n# controlled copies printed by sopctl copy issue\n/copies/\n"
    );
    let again = env.run(&["init"]);
    again.expect_code(0);
    assert!(again.stderr.contains("nothing to add"), "{}", again.stderr);
}

#[test]
fn init_example_builds_a_real_history_of_two_releases() {
    let env = TestEnv::new();
    let run = env.run(&["init", "demo", "--example"]);
    run.expect_code(0);
    let demo = env.path("demo");
    let log = env.run_in(&demo, &["log"], &[]);
    log.expect_code(0);
    let lines: Vec<&str> = log.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", log.stdout);
    // 1.0 was adopted with its row as written, so its author is the row's "-" everywhere.
    assert!(
        lines[1].starts_with(&format!(
            "1.0      {EXAMPLE_1_0}  -             Initial document creation"
        )),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with(&format!("1.1      {EXAMPLE_1_1}  Alex Example  Add a record-keeping step and an FAQ for enterprise plans")),
        "{}",
        lines[2]
    );
    let text = env.read("demo/sops/privacy-settings-sop.md");
    assert!(text.contains("version: 1.1.0\n"));
    assert!(text.contains(&format!("effective: {EXAMPLE_1_1}\n")));
    assert!(text.ends_with(&format!(
        "| 1.0 | {EXAMPLE_1_0} | Initial document creation | - | - |\n\
         | 1.1 | {EXAMPLE_1_1} | Add a record-keeping step and an FAQ for enterprise plans | Alex Example | Sam Quality (QA Manager) |\n"
    )));
    // The history ends recently: a new user's first look shows a healthy repository.
    let list = env.run_in(&demo, &["list"], &[]);
    assert_eq!(
        list.stdout,
        format!(
            "ID          TITLE                                 VERSION  STATUS     EFFECTIVE   NEXT REVIEW  UNRELEASED\n\
             SOP-IT-001  Verifying Claude.ai Privacy Settings  1.1      effective  {EXAMPLE_1_1}  {EXAMPLE_NEXT_REVIEW}   no\n"
        )
    );
    let check = env.run_in(&demo, &["check"], &[]);
    check.expect_code(0);
    assert_eq!(check.stdout, "");
    assert_eq!(
        env.git(&["-C", "demo", "log", "--format=%ad %s", "--date=short"]),
        format!(
            "{EXAMPLE_1_1} SOP-IT-001: release 1.1\n\
             {EXAMPLE_1_1} SOP-IT-001: approved by Sam Quality (QA Manager)\n\
             2025-12-20 Add a record-keeping step and an FAQ for enterprise plans\n\
             2025-12-16 SOP-IT-001: periodic review\n\
             {EXAMPLE_1_0} SOP-IT-001: release 1.0\n\
             {EXAMPLE_1_0} SOP-IT-001: approved by Sam Quality (QA Manager)\n\
             2025-10-07 Add SOP-IT-001 Verifying Claude.ai Privacy Settings\n"
        )
    );
    let status = std::process::Command::new("git")
        .args(["status", "--porcelain"])
        .current_dir(&demo)
        .output()
        .expect("git");
    assert_eq!(
        String::from_utf8_lossy(&status.stdout),
        "",
        "clean work tree"
    );
    let shown = env.run_in(&demo, &["show", "1.0"], &[]);
    shown.expect_code(0);
    assert!(
        shown.stdout.contains("version: 1.0.0\n")
            && shown.stdout.contains("**Estimated Time:** 2-3 minutes")
    );
    let again = env.run(&["init", "demo", "--example"]);
    again.expect_code(1);
    assert!(
        again.stderr.contains("already has history"),
        "{}",
        again.stderr
    );
}

// A user who follows the README from inside the cloned sopctl repository: the example gets a
// repository of its own instead of failing half-way.
#[test]
fn init_example_inside_another_repository_makes_its_own() {
    let env = TestEnv::repo();
    env.write("README.md", "outer project\n");
    env.commit("outer");
    let run = env.run(&["init", "--example", "sop-demo"]);
    run.expect_code(0);
    assert!(env.path("sop-demo/.git").is_dir());
    let log = env.run_in(&env.path("sop-demo"), &["log"], &[]);
    assert_eq!(log.stdout.lines().count(), 3, "{}", log.stdout);
    assert_eq!(
        env.git(&["status", "--porcelain"]),
        "?? sop-demo/\n",
        "the outer repository only sees a new folder"
    );
}
