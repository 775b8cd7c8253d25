//! Command-line conventions (issue 14, item 10): `-o -` and `render -`, `-q` and `-v`, the
//! global options described once, `diff`'s usage line, one manual page per command, and shell
//! completion of SOP IDs and released versions.

use crate::errors::refused;
use crate::harness::{TestEnv, released_sop, sop};

/// `released_sop` with a second release, 1.1, that adds a sentence to the purpose.
fn two_releases() -> TestEnv {
    let env = released_sop();
    env.write(
        "sops/a.md",
        env.read("sops/a.md").replace("Why.", "Why it matters."),
    );
    env.commit("Explain why");
    env.run(&["release", "--minor", "-m", "Explain why"])
        .expect_code(0);
    env
}

#[test]
fn diff_o_dash_writes_to_standard_output_as_without_o() {
    let env = two_releases();
    for format in ["text", "unified", "json", "html"] {
        let plain = env.run(&["diff", "1.0", "1.1", "--format", format]);
        plain.expect_code(0);
        let dash = env.run(&["diff", "1.0", "1.1", "--format", format, "-o", "-"]);
        dash.expect_code(0);
        assert_eq!(dash.stdout, plain.stdout, "--format {format}");
        assert_eq!(dash.stderr, "", "--format {format}");
    }
    assert!(!env.path("-").exists(), "no file named `-`");
    let unified = env.run(&["diff", "1.0", "1.1", "--format", "unified", "-o", "-"]);
    assert_eq!(
        unified.stdout,
        "--- a/sops/a.md\n+++ b/sops/a.md\n@@ -1,19 +1,20 @@\n ---\n id: SOP-1\n title: Alpha\n-version: 1.0.0\n+version: 1.1.0\n owner: QA\n status: effective\n-effective: 2025-11-08\n+effective: 2026-01-15\n review_interval: 1 year\n ---\n \n ## Purpose\n \n-Why.\n+Why it matters.\n \n ## Revision History\n \n | Version | Date | Changes | Author |\n | --- | --- | --- | --- |\n | 1.0 | 2025-11-08 | First | Test Owner |\n+| 1.1 | 2026-01-15 | Explain why | Test Owner |\n"
    );
}

#[test]
fn render_o_dash_writes_the_one_rendition_to_standard_output() {
    let env = released_sop();
    std::fs::remove_dir_all(env.path("dist")).expect("the release's renditions");
    let pdf = env.run_raw(&["render", "--format", "pdf", "-o", "-"], b"");
    assert_eq!(pdf.code, 0, "{}", pdf.stderr);
    assert_eq!(pdf.stderr, "");
    assert!(!env.path("dist").exists(), "nothing written to dist/");
    // The same bytes as the file `render` writes (the PDF is reproducible).
    env.run(&["render"]).expect_code(0);
    let file = std::fs::read(env.path("dist/SOP-1/1.0/SOP-1-v1.0.pdf")).expect("pdf");
    assert!(pdf.stdout.starts_with(b"%PDF-"));
    assert!(
        pdf.stdout == file,
        "the PDF on stdout differs from the file"
    );

    let html = env.run(&["render", "SOP-1", "--format", "html", "-o", "-"]);
    html.expect_code(0);
    assert_eq!(html.stdout, env.read("dist/SOP-1/1.0/SOP-1-v1.0.html"));
}

#[test]
fn render_o_dash_refuses_more_than_one_rendition() {
    let env = released_sop();
    assert_eq!(
        refused(&env, &["render", "-o", "-"], 2),
        "error: -o - writes one rendition to standard output, and both PDF and HTML are asked for\nhint: choose one format, e.g.  --format pdf -o -\n"
    );
    assert_eq!(
        refused(
            &env,
            &["render", "SOP-1", "sops/a.md", "--format", "pdf", "-o", "-"],
            2
        ),
        "error: -o - writes one rendition to standard output, and 2 documents are named\nhint: name one document, or give a folder for the renditions, e.g.  -o dist\n"
    );
}

#[test]
fn render_dash_reads_a_lone_markdown_file_from_standard_input() {
    let env = TestEnv::new();
    let input = b"# Notes from the line\n\nCheck the [guard](#missing).\n";
    // To standard output: the findings go to stderr, only the HTML to stdout.
    let run = env.run_raw(&["render", "-", "--format", "html", "-o", "-"], input);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        run.stderr,
        "stdin:1:1: warning: no front matter: the title block shows the first heading as the title and leaves ID, version and owner blank\n"
    );
    let html = String::from_utf8(run.stdout).expect("UTF-8");
    assert!(html.starts_with("<!DOCTYPE html>"), "{html}");
    assert!(
        html.contains("<title>Notes from the line (draft)</title>"),
        "{html}"
    );
    assert!(
        html.contains("Check the <a href=\"#missing\">guard</a>."),
        "{html}"
    );
    assert_eq!(std::fs::read_dir(&env.root).expect("root").count(), 0);

    // Into the output folder, named after standard input.
    let run = env.run_raw(&["render", "-", "--format", "pdf"], input);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert_eq!(
        String::from_utf8_lossy(&run.stdout),
        "stdin:1:1: warning: no front matter: the title block shows the first heading as the title and leaves ID, version and owner blank\ndist/stdin.pdf\n"
    );
    assert!(
        std::fs::read(env.path("dist/stdin.pdf"))
            .expect("pdf")
            .starts_with(b"%PDF-")
    );

    let run = env.run_raw(&["render", "-", "--version", "1.0"], input);
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "error: a document read from standard input has no released versions; leave out --version\n"
    );
}

/// Regression: `show` and `render -o -` wrote through the colour filter, which (with colour
/// off) took out what looked like colour codes: a PDF on stdout came out damaged, and so did a
/// document holding an escape character.
#[test]
fn data_on_standard_output_is_written_byte_for_byte() {
    let env = TestEnv::repo();
    let text = sop("SOP-1", "Alpha").replace("Why.", "Why \u{1b}[31mred\u{1b}[0m.");
    env.write("sops/a.md", &text);
    env.commit("Add SOP-1");
    let shown = env.run_raw(&["show", "SOP-1"], b"");
    assert_eq!(shown.code, 0, "{}", shown.stderr);
    assert_eq!(String::from_utf8(shown.stdout).expect("UTF-8"), text);
}

#[test]
fn verbose_says_what_is_read_decided_and_written_and_quiet_says_nothing() {
    let env = released_sop();
    let check = env.run(&["check", "-v"]);
    check.expect_code(0);
    assert_eq!(
        check.stderr,
        "no sopctl.toml found: the default settings apply\ngit repository: [ROOT]\nSOPs are read from sops/\ntoday is 2026-01-15\nchecking sops/a.md\nchecked 1 SOP: no problems found\n"
    );
    // Before the command or after it: the same option.
    assert_eq!(env.run(&["-v", "check"]).stderr, check.stderr);

    env.write(
        "sops/a.md",
        env.read("sops/a.md").replace("Why.", "Why it matters."),
    );
    env.commit("Explain why");
    let plan = env.run(&["release", "--minor", "-m", "Explain why", "--dry-run", "-v"]);
    plan.expect_code(0);
    assert_eq!(
        plan.stderr,
        "no sopctl.toml found: the default settings apply\ngit repository: [ROOT]\nSOPs are read from sops/\ntoday is 2026-01-15\nthe SOP to release: SOP-1 (sops/a.md)\nplanned SOP-1 1.1: 1.0 raised by --minor\ndry run: nothing was changed\n"
    );
    let quiet = env.run(&["release", "--minor", "-m", "Explain why", "-q"]);
    quiet.expect_code(0);
    assert_eq!(quiet.stderr, "");
    let commit = env.git(&["rev-parse", "--short=7", "HEAD"]);
    assert_eq!(
        quiet.stdout,
        format!(
            "released SOP-1 1.1 (tag SOP-1/v1.1.0, commit {})\n",
            commit.trim()
        )
    );

    let both = env.run(&["check", "-q", "-v"]);
    both.expect_code(2);
    assert!(
        both.stderr
            .starts_with("error: the argument '--quiet' cannot be used with '--verbose'\n"),
        "{}",
        both.stderr
    );
}

#[test]
fn the_global_options_are_described_in_full_once() {
    let env = TestEnv::new();
    let main = env.run(&["--help"]);
    main.expect_code(0);
    assert!(
        main.stdout.contains("NO_COLOR") && main.stdout.contains("- always: Always colour"),
        "{}",
        main.stdout
    );
    for cmd in ["release", "diff", "check", "man"] {
        let help = env.run(&[cmd, "-h"]);
        help.expect_code(0);
        assert!(
            help.stdout.contains("\nGlobal options:\n      --color <WHEN>  When to colour the output: auto, always or never\n  -q, --quiet         Print only results and errors, no progress or hints\n  -v, --verbose       Also say what is read, written and decided (on standard error)\n"),
            "{cmd}: {}",
            help.stdout
        );
        let long = env.run(&[cmd, "--help"]);
        long.expect_code(0);
        assert!(
            !long.stdout.contains("NO_COLOR") && !long.stdout.contains("Always colour"),
            "{cmd}: {}",
            long.stdout
        );
    }
    // A command's own copy still reaches the global option.
    let env = TestEnv::repo();
    env.write("sops/a.md", "---\nid: SOP-001\ntitle: A\n---\n");
    assert!(
        env.run(&["check", "--color", "always"])
            .stdout
            .contains("\u{1b}[")
    );
    assert!(
        env.run(&["--color", "always", "check"])
            .stdout
            .contains("\u{1b}[")
    );
}

#[test]
fn diff_usage_shows_the_sop_as_optional() {
    let env = TestEnv::new();
    let help = env.run(&["diff", "--help"]);
    help.expect_code(0);
    assert!(
        help.stdout
            .contains("Usage: sopctl diff [OPTIONS] [DOC] [FROM] [TO]\n"),
        "{}",
        help.stdout
    );
    let env = two_releases();
    // No version: the working copy against the last release.
    let since = env.run(&["diff"]);
    since.expect_code(0);
    assert!(
        since.stdout.starts_with("SOP-1: 1.1 → working copy\n"),
        "{}",
        since.stdout
    );
    // The words fill DOC, FROM and TO from the left, as before.
    let by_id = env.run(&["diff", "SOP-1", "1.0", "1.1"]);
    by_id.expect_code(0);
    assert_eq!(by_id.stdout, env.run(&["diff", "1.0", "1.1"]).stdout);
}

/// The main page and one page per command, in `dir`, sorted.
fn pages(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .expect("man dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// A manual page as `man` shows it (groff, plain ASCII text, 100 columns, bold and underline
/// taken out).
fn formatted(page: &std::path::Path) -> String {
    let out = std::process::Command::new("groff")
        .args(["-man", "-Tascii", "-P-c", "-rLL=100n", "-rHY=0"])
        .arg(page)
        .output()
        .expect("groff must be installed (CI installs it)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Bold is `X\bX`, underline `_\bX`: keep the character after each backspace.
    let text = String::from_utf8_lossy(&out.stdout);
    let mut plain = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if chars.peek() == Some(&'\u{8}') {
            chars.next();
        } else {
            plain.push(c);
        }
    }
    plain
}

#[test]
fn man_dir_writes_one_page_per_command_and_see_also_names_only_those() {
    let env = TestEnv::new();
    let run = env.run(&["man", "--dir", "man1"]);
    run.expect_code(0);
    let commands = [
        "ack",
        "approve",
        "check",
        "completions",
        "copy",
        "diff",
        "init",
        "list",
        "log",
        "man",
        "new",
        "people",
        "preview",
        "publish",
        "release",
        "render",
        "retire",
        "review",
        "show",
        "training",
        "verify",
    ];
    let mut expected: Vec<String> = commands.iter().map(|c| format!("sopctl-{c}.1")).collect();
    expected.push("sopctl.1".to_string());
    expected.sort();
    assert_eq!(pages(&env.path("man1")), expected);
    assert_eq!(run.stdout.lines().count(), 22, "{}", run.stdout);
    assert_eq!(
        run.stderr,
        "wrote 22 manual pages; read one with  man -l man1/sopctl-release.1\n"
    );

    let main = formatted(&env.path("man1/sopctl.1"));
    let see_also = main
        .split("SEE ALSO\n")
        .nth(1)
        .expect("SEE ALSO")
        .split("\n\n")
        .next()
        .expect("its paragraph");
    let mut named: Vec<String> = see_also
        .split(',')
        .map(|s| s.split_whitespace().collect::<String>())
        .map(|s| format!("{}.1", s.trim_end_matches("(1)")))
        .collect();
    named.push("sopctl.1".to_string());
    named.sort();
    assert_eq!(named, expected, "{see_also}");
    assert!(!main.contains("sopctl-help"), "{main}");

    // Examples are kept line for line, with their spacing, not run together.
    let release = formatted(&env.path("man1/sopctl-release.1"));
    assert!(
        release.contains("\nEXAMPLES\n         sopctl release -m \"First release under sopctl\"        release the version in the front matter\n         sopctl release --minor -m \"Add FAQ for enterprise plans\"\n"),
        "{release}"
    );
    assert!(
        release.contains("\nSEE ALSO\n       sopctl(1)\n"),
        "{release}"
    );
    let synopsis: Vec<&str> = release
        .split("SYNOPSIS\n")
        .nth(1)
        .expect("SYNOPSIS")
        .split_whitespace()
        .take(2)
        .collect();
    assert_eq!(synopsis, ["sopctl", "release"], "{release}");

    // Printed alone, the main page names no pages that were not written.
    let alone = env.run(&["man"]);
    alone.expect_code(0);
    assert!(alone.stdout.contains(".SH COMMANDS"));
    assert!(
        !alone.stdout.contains("SEE ALSO") && !alone.stdout.contains("sopctl\\-init("),
        "{}",
        alone.stdout
    );
}

/// Two SOPs: SOP-1 released as 1.0 and 1.1, SOP-2 released as 1.0.
fn two_sops() -> TestEnv {
    let env = two_releases();
    env.write("sops/b.md", sop("SOP-2", "Beta"));
    env.commit("Add SOP-2");
    env.run(&["release", "SOP-2", "-m", "Adopted"])
        .expect_code(0);
    env
}

/// What fish is offered for the command line `words` (the last is the word being typed).
fn offered(env: &TestEnv, words: &[&str]) -> String {
    let mut args = vec!["--", "sopctl"];
    args.extend_from_slice(words);
    let run = env.run_in(&env.root, &args, &[("COMPLETE", "fish")]);
    run.expect_code(0);
    assert_eq!(run.stderr, "");
    run.stdout
}

#[test]
fn completion_offers_sop_ids_and_released_versions() {
    let env = two_sops();
    assert_eq!(
        offered(&env, &["log", "SOP"]),
        "SOP-1\tAlpha\nSOP-2\tBeta\n"
    );
    assert_eq!(
        offered(&env, &["retire", "--superseded-by", "SOP-"]),
        "SOP-1\tAlpha\nSOP-2\tBeta\n"
    );
    // A file may be named too.
    assert_eq!(offered(&env, &["check", "sops/"]), "sops/a.md\nsops/b.md\n");
    // The versions of the SOP named on the line.
    assert_eq!(
        offered(&env, &["diff", "SOP-1", "1"]),
        "1.1\treleased 2026-01-15: Explain why\n1.0\treleased 2025-11-08: First\n"
    );
    assert_eq!(
        offered(&env, &["show", "SOP-2", "1"]),
        "1.0\treleased 2025-11-08: Adopted\n"
    );
    assert_eq!(
        offered(&env, &["render", "SOP-1", "--version", "l"]),
        "latest\tthe newest release\n"
    );
    // No SOP named: the versions of every SOP, each once.
    assert_eq!(
        offered(&env, &["diff", "1.0", "1."]),
        "1.1\tSOP-1, released 2026-01-15\n1.0\tSOP-1, released 2025-11-08\n"
    );
    // Outside a repository there is nothing to offer, and nothing goes wrong.
    let empty = TestEnv::new();
    assert_eq!(offered(&empty, &["log", "S"]), "");
}

#[test]
fn completions_print_the_script_that_asks_sopctl() {
    let env = TestEnv::new();
    let bash = env.run(&["completions", "bash"]);
    bash.expect_code(0);
    assert!(
        bash.stdout.contains(
            "complete -o nospace -o bashdefault -o nosort -F _clap_complete_sopctl sopctl\n"
        ),
        "{}",
        bash.stdout
    );
    assert!(bash.stdout.contains("COMPLETE=\"bash\""), "{}", bash.stdout);
    // The same script as the shell gets from `COMPLETE=bash sopctl`, which calls the program
    // by the path it was started with (here the test binary's).
    let registration = env.run_in(&env.root, &[], &[("COMPLETE", "bash")]);
    registration.expect_code(0);
    assert_eq!(
        registration
            .stdout
            .replace(env!("CARGO_BIN_EXE_sopctl"), "sopctl"),
        bash.stdout
    );
    for shell in ["zsh", "fish", "elvish", "powershell"] {
        let run = env.run(&["completions", shell]);
        run.expect_code(0);
        assert!(run.stdout.contains("COMPLETE"), "{shell}: {}", run.stdout);
    }
}
