//! `sopctl init`.

use crate::harness::TestEnv;

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
        "# renditions made by sopctl\n/dist/\n"
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
        "target/\n# renditions made by sopctl\n/dist/\n"
    );
    let again = env.run(&["init"]);
    again.expect_code(0);
    assert!(again.stderr.contains("nothing to add"), "{}", again.stderr);
}

#[test]
fn init_example_is_refused_until_release_exists_and_writes_nothing() {
    let env = TestEnv::new();
    let run = env.run(&["init", "demo", "--example"]);
    run.expect_code(1);
    assert!(
        run.stderr
            .starts_with("error: `sopctl init --example` is not available yet"),
        "{}",
        run.stderr
    );
    assert!(!env.path("demo").exists());
}
