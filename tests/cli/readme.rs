//! The README's commands stay true: the main job on the bundled example, and the test command.

use std::path::Path;

use crate::harness::{EXAMPLE_1_1, EXAMPLE_NEXT_REVIEW, TestEnv};

#[test]
fn readme_names_the_commands_that_ci_and_this_test_run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    assert!(readme.contains("cargo run --locked -- init --example sop-demo"));
    assert!(readme.contains("npm ci --prefix tests/browser && cargo test --locked"));
    let ci = std::fs::read_to_string(root.join(".ci/run")).expect(".ci/run");
    assert!(ci.contains("npm ci --prefix tests/browser"));
    assert!(ci.contains("cargo test --locked"));
}

#[test]
fn readme_main_job_on_the_example_succeeds_as_documented() {
    let env = TestEnv::new();
    let run = env.run(&["init", "--example", "sop-demo"]);
    run.expect_code(0);
    let demo = env.path("sop-demo");
    let log = env.run_in(&demo, &["log"], &[]);
    log.expect_code(0);
    assert_eq!(log.stdout.lines().count(), 3, "{}", log.stdout);
    let check = env.run_in(&demo, &["check"], &[]);
    check.expect_code(0);
    assert_eq!(check.stdout, "");
    let list = env.run_in(&demo, &["list"], &[]);
    assert!(
        list.stdout.contains(&format!("SOP-IT-001  Verifying Claude.ai Privacy Settings  1.1      effective  {EXAMPLE_1_1}  {EXAMPLE_NEXT_REVIEW}")),
        "{}",
        list.stdout
    );
}
