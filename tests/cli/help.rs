//! The command surface: help, usage errors, completions, man page, commands still to come.

use crate::harness::TestEnv;

#[test]
fn every_command_has_help_with_examples() {
    let env = TestEnv::new();
    for cmd in [
        "init",
        "new",
        "list",
        "check",
        "release",
        "log",
        "show",
        "diff",
        "render",
        "publish",
        "approve",
        "review",
        "retire",
        "copy",
        "people",
        "completions",
        "man",
    ] {
        let run = env.run(&[cmd, "--help"]);
        run.expect_code(0);
        assert!(
            run.stdout.contains("Examples:"),
            "{cmd} --help has no examples"
        );
        assert!(
            run.stdout.contains("--color <WHEN>"),
            "{cmd} --help lacks --color"
        );
    }
}

#[test]
fn a_usage_error_exits_2() {
    let env = TestEnv::new();
    let run = env.run(&["release", "--major", "--minor", "-m", "x"]);
    run.expect_code(2);
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
    env.run(&["no-such-command"]).expect_code(2);
}

#[test]
fn completions_and_man_page_are_generated() {
    let env = TestEnv::new();
    let bash = env.run(&["completions", "bash"]);
    bash.expect_code(0);
    assert!(
        bash.stdout.contains("_clap_complete_sopctl()"),
        "bash completion function"
    );
    let man = env.run(&["man"]);
    man.expect_code(0);
    assert!(
        man.stdout.starts_with(".ie \\n(.g .ds Aq \\(aq") || man.stdout.contains(".TH sopctl"),
        "{}",
        &man.stdout[..200.min(man.stdout.len())]
    );
}

#[test]
fn color_always_colours_findings_and_never_does_not() {
    let env = TestEnv::repo();
    env.write("sops/a.md", "---\nid: SOP-001\ntitle: A\n---\n");
    let coloured = env.run(&["check", "--color", "always"]);
    assert!(coloured.stdout.contains("\u{1b}["), "{:?}", coloured.stdout);
    let plain = env.run(&["check", "--color", "never"]);
    assert!(!plain.stdout.contains("\u{1b}["));
    let quiet = env.run(&["check", "-q"]);
    assert_eq!(quiet.stderr, "");
    assert_eq!(quiet.stdout, plain.stdout);
}
