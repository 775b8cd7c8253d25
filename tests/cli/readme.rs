//! The README's commands stay true: the main job on the bundled example, and the test command.

use std::path::Path;
use std::process::Command;

#[test]
fn readme_names_the_commands_that_ci_and_this_test_run() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let readme = std::fs::read_to_string(root.join("README.md")).expect("README");
    assert!(readme.contains("cargo run --locked -- check docs/examples/privacy-settings-sop.md"));
    assert!(readme.contains("cargo test --locked"));
    let ci = std::fs::read_to_string(root.join(".ci/run")).expect(".ci/run");
    assert!(ci.contains("cargo test --locked"));
}

#[test]
fn readme_main_job_on_the_example_succeeds_as_documented() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let out = Command::new(env!("CARGO_BIN_EXE_sopctl"))
        .args(["check", "docs/examples/privacy-settings-sop.md"])
        .current_dir(root)
        .env("NO_COLOR", "1")
        .output()
        .expect("runs");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stderr),
        "checked 1 SOP: no problems found\n"
    );
}
