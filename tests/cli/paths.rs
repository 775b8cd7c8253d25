//! Paths and names (issue 9, SPEC §9): an ID is checked before it becomes a tag or a folder,
//! nothing is read from outside the repository, and renditions never land in the repository's
//! own files.

use std::path::{Path, PathBuf};

use crate::errors::refused;
use crate::harness::{TestEnv, fixture, released_sop, sop};

#[test]
fn ids_that_would_make_a_bad_tag_or_folder_are_errors_in_check() {
    let env = TestEnv::repo();
    for (file, id) in [
        ("a.md", "SOP-1.lock"),
        ("b.md", "drafts"),
        ("c.md", "CON"),
        ("d.md", "../../etc"),
        ("e.md", "SOP/1"),
        ("f.md", "SOP-2."),
    ] {
        env.write(&format!("sops/{file}"), sop(id, "T"));
    }
    let run = env.run(&["check"]);
    run.expect_code(1);
    for line in [
        "sops/a.md:2:5: error: the ID `SOP-1.lock` ends with `.lock`, which git does not allow in a tag name",
        "sops/b.md:2:5: error: the ID `drafts` cannot be used: sopctl names its own output with it; choose another ID",
        "sops/c.md:2:5: error: the ID `CON` cannot be used: Windows reserves this name for a device, so it cannot be a folder there; choose another ID",
        "sops/d.md:2:5: error: the ID `../../etc` contains '/'; use only letters A–Z, digits, `-`, `_` and `.`",
        "sops/e.md:2:5: error: the ID `SOP/1` contains '/'; use only letters A–Z, digits, `-`, `_` and `.`",
        "sops/f.md:2:5: error: the ID `SOP-2.` ends with `.`, which git does not allow in a tag name",
    ] {
        assert!(
            run.stdout.contains(line),
            "missing {line:?} in\n{}",
            run.stdout
        );
    }
}

#[test]
fn a_bad_id_is_never_released_and_nothing_is_written() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("index.json", "T"));
    env.commit("Add");
    let before = env.snapshot();
    let run = env.run(&["release", "sops/a.md", "-m", "First"]);
    run.expect_code(1);
    assert!(
        run.stderr
            .contains("sops/a.md is not an SOP: its front matter has no valid `id`")
            || run.stderr.contains("the ID `index.json` cannot be used"),
        "{}",
        run.stderr
    );
    assert_eq!(env.snapshot(), before);
    assert!(!env.path("dist").exists());
}

#[test]
fn ids_differing_only_in_capitals_are_one_id() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-OPS-1", "Alpha"));
    env.write("sops/b.md", sop("sop-ops-1", "Beta"));
    let run = env.run(&["check"]);
    run.expect_code(1);
    assert!(run.stdout.contains(
        "sops/a.md:2:5: error: the ID `SOP-OPS-1` is also used by sops/b.md (as `sop-ops-1`); every SOP needs its own ID (IDs that differ only in capitals are the same folder on Windows and macOS)"
    ), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "sops/b.md:2:5: error: the ID `sop-ops-1` is also used by sops/a.md (as `SOP-OPS-1`)"
        ),
        "{}",
        run.stdout
    );
    // Neither is released while the other shares its ID: their tags would be one on Windows.
    env.commit("Two SOPs");
    let before = env.snapshot();
    let release = env.run(&["release", "sops/b.md", "-m", "First"]);
    release.expect_code(1);
    assert!(release.stderr.contains(
        "sops/b.md:2:5: error: the ID `sop-ops-1` is also used by sops/a.md (as `SOP-OPS-1`); every SOP needs its own ID"
    ), "{}", release.stderr);
    assert_eq!(env.snapshot(), before);
}

#[test]
fn a_tag_format_git_refuses_is_a_settings_error() {
    let env = TestEnv::repo();
    env.write("sopctl.toml", "tag_format = \"{id} v{version}\"\n");
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    let run = env.run(&["check"]);
    run.expect_code(1);
    assert!(run.stderr.contains(
        "tag_format `{id} v{version}` makes tag names git does not accept (such as `SOP-1 v1.0.0`); use letters, digits, `-`, `_`, `.` and `/`, e.g. \"{id}/v{version}\""
    ), "{}", run.stderr);
}

#[test]
fn the_output_folder_is_never_the_repository_or_its_tracked_files() {
    let env = released_sop();
    env.write("notes/readme.txt", "kept in git");
    env.commit("Notes");
    let before = env.snapshot();
    for (args, message, hint) in [
        (
            vec!["publish", "-o", "."],
            "error: the output folder . is the repository itself",
            "choose a folder of its own for the renditions, e.g.  -o dist",
        ),
        (
            vec!["publish", "-o", ".."],
            "error: the output folder .. holds the whole repository",
            "-o dist",
        ),
        (
            // `..` in the part that does not exist yet is worked out, not taken as written.
            vec!["render", "-o", "nothing/../.."],
            "error: the output folder nothing/../.. holds the whole repository",
            "-o dist",
        ),
        (
            vec!["render", "-o", ".git/site"],
            "error: the output folder .git/site is inside git's own folder (.git)",
            "-o dist",
        ),
        (
            vec!["render", "-o", "notes"],
            "error: the output folder notes holds files kept in git (such as notes/readme.txt)",
            "-o dist",
        ),
        (
            vec!["publish", "-o", "sops/site"],
            "error: the output folder sops/site is where the SOPs are kept (sops/)",
            "-o dist",
        ),
        (
            vec!["publish", "-o", "dist/../sops"],
            "error: the output folder dist/../sops is where the SOPs are kept (sops/)",
            "-o dist",
        ),
    ] {
        let run = env.run(&args);
        run.expect_code(1);
        assert!(run.stderr.starts_with(message), "{args:?}: {}", run.stderr);
        assert!(run.stderr.contains(hint), "{args:?}: {}", run.stderr);
        assert_eq!(env.snapshot(), before, "{args:?} changed the repository");
    }
}

#[cfg(unix)]
#[test]
fn an_output_folder_reached_through_a_symbolic_link_is_checked_where_it_leads() {
    let env = released_sop();
    std::os::unix::fs::symlink(env.path("sops"), env.path("site")).expect("symlink");
    let run = env.run(&["publish", "-o", "site"]);
    run.expect_code(1);
    assert!(
        run.stderr
            .starts_with("error: the output folder site is where the SOPs are kept (sops/)"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_out_setting_pointing_into_the_sops_is_refused_by_release_with_nothing_changed() {
    let env = TestEnv::repo();
    env.write("sopctl.toml", "out = \"sops\"\n");
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add");
    let check = env.run(&["check"]);
    check.expect_code(1);
    assert_eq!(
        check.stdout,
        "sopctl.toml:1:1: error: the output folder sops is where the SOPs are kept (sops/); set `out` in sopctl.toml to a folder of its own, e.g.  out = \"dist\"\n"
    );
    let before = env.snapshot();
    let run = env.run(&["release", "-m", "First"]);
    run.expect_code(1);
    assert!(
        run.stderr.contains(
            "the output folder sops is where the SOPs are kept (sops/)\n     hint: set `out` in sopctl.toml to a folder of its own, e.g.  out = \"dist\""
        ),
        "{}",
        run.stderr
    );
    assert_eq!(env.snapshot(), before);
}

#[cfg(unix)]
#[test]
fn images_and_links_through_symbolic_links_out_of_the_repository_are_refused() {
    let env = TestEnv::repo();
    let outside = env.root.parent().expect("parent").join("secret");
    std::fs::create_dir_all(&outside).expect("outside");
    std::fs::write(
        outside.join("pixel.png"),
        fixture("cases/B25-images/sops/area-2/img/small-120x80.png"),
    )
    .expect("png");
    std::fs::write(outside.join("plan.pdf"), "private").expect("pdf");
    std::os::unix::fs::symlink(&outside, env.path("sops/shared")).expect("symlink");
    let mut text = sop("SOP-1", "Alpha");
    text.push_str("\n![Pixel](shared/pixel.png)\n\nSee [the plan](shared/plan.pdf).\n");
    env.write("sops/a.md", text);
    let run = env.run(&["check"]);
    run.expect_code(1);
    assert!(run.stdout.contains(
        "sops/a.md:15:1: error: the image `shared/pixel.png` points outside the repository; copy the file into the repository and link to the copy"
    ), "{}", run.stdout);
    assert!(
        run.stdout.contains(
            "sops/a.md:17:5: error: the link `shared/plan.pdf` points outside the repository"
        ),
        "{}",
        run.stdout
    );
    let render = env.run(&["render", "--format", "html"]);
    let html = std::fs::read(env.path("drafts/SOP-1/SOP-1-working-copy.html")).expect("html");
    let html = String::from_utf8_lossy(&html);
    assert!(
        !html.contains("data:image/png"),
        "embedded:\n{}",
        render.stdout
    );
    assert!(
        render
            .stdout
            .contains("the image `shared/pixel.png` is outside the repository"),
        "{}",
        render.stdout
    );
}

#[cfg(unix)]
#[test]
fn an_sop_that_is_a_symbolic_link_is_reported_and_never_read() {
    let env = TestEnv::repo();
    let outside = env.root.parent().expect("parent").join("outside-sop.md");
    std::fs::write(&outside, sop("SOP-9", "Kept outside")).expect("outside");
    std::os::unix::fs::symlink(&outside, env.path("sops/linked.md")).expect("symlink");
    let finding = "sops/linked.md:1:1: error: this is a symbolic link, which sopctl does not follow (git keeps the link, not the text, and it may lead out of the repository); put the SOP itself here\n";
    let check = env.run(&["check"]);
    check.expect_code(1);
    assert_eq!(check.stdout, finding);
    let named = env.run(&["check", "sops/linked.md"]);
    named.expect_code(1);
    assert_eq!(named.stdout, finding);
    for args in [
        vec!["render", "sops/linked.md"],
        vec!["release", "sops/linked.md", "-m", "x"],
    ] {
        let run = env.run(&args);
        run.expect_code(1);
        assert_eq!(
            run.stderr,
            "error: sops/linked.md is a symbolic link; an SOP must be a file of the repository itself\nhint: copy the SOP into the repository in place of the link\n",
            "{args:?}"
        );
    }
    assert!(!env.path("dist").exists(), "nothing rendered");
    let list = env.run(&["list"]);
    assert!(!list.stdout.contains("SOP-9"), "{}", list.stdout);
}

#[test]
fn a_redline_is_never_written_over_the_repositorys_own_files() {
    let env = released_sop();
    env.write(
        "sops/a.md",
        sop("SOP-1", "Alpha").replace("Why.", "Why we do it."),
    );
    env.write("sops/draft.md", sop("SOP-2", "Beta"));
    let before = env.snapshot();
    for (target, message) in [
        (
            "sops/a.md",
            "error: sops/a.md is a file of the repository; writing the output there would replace it",
        ),
        (
            "sops/draft.md",
            "error: sops/draft.md is in a folder of SOPs, where a Markdown file is an SOP; the output goes elsewhere",
        ),
        (
            "sops/redline.md",
            "error: sops/redline.md is in a folder of SOPs, where a Markdown file is an SOP; the output goes elsewhere",
        ),
        (
            ".gitignore",
            "error: .gitignore is a file of the repository; writing the output there would replace it",
        ),
        (
            ".git/config",
            "error: .git/config is inside git's own folder (.git), which sopctl never writes into",
        ),
        (
            "sops",
            "error: sops is a folder; the output needs a file name",
        ),
    ] {
        let run = env.run(&["diff", "SOP-1", "1.0", "--format", "html", "-o", target]);
        run.expect_code(1);
        assert_eq!(
            run.stderr,
            format!("{message}\nhint: give the name of a new file, e.g.  -o redline.html\n"),
            "{target}"
        );
        assert_eq!(env.snapshot(), before, "{target}");
    }
    env.run(&[
        "diff",
        "SOP-1",
        "1.0",
        "--format",
        "html",
        "-o",
        "redline.html",
    ])
    .expect_code(0);
    assert!(
        env.read("redline.html")
            .contains("<ins class=\"rl rl-inserted\">")
    );
}

#[test]
fn a_tag_format_without_the_id_is_refused_once_a_second_sop_arrives() {
    let env = TestEnv::repo();
    env.write(
        "sopctl.toml",
        "organization = \"Acme\"\ntag_format = \"v{version}\"\n",
    );
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("One SOP");
    env.run(&["release", "-m", "First"]).expect_code(0);
    assert_eq!(env.git(&["tag"]).trim(), "v1.0.0");
    env.write("sops/b.md", sop("SOP-2", "Beta"));
    env.commit("A second SOP");
    let finding = "sopctl.toml:2:1: error: tag_format `v{version}` has no `{id}`, and this repository holds 2 SOPs: their releases would share tag names; write it as e.g. tag_format = \"{id}/v{version}\" and rename the tags already made to that form first (docs/troubleshooting.md, \"Changing the tag format\", shows how)";
    let check = env.run(&["check"]);
    check.expect_code(1);
    assert!(check.stdout.contains(finding), "{}", check.stdout);
    let before = env.snapshot();
    let release = env.run(&["release", "SOP-2", "-m", "First"]);
    release.expect_code(1);
    assert!(release.stderr.contains(finding), "{}", release.stderr);
    assert_eq!(env.snapshot(), before);
}

#[test]
fn files_sharing_an_id_are_named_by_their_paths_when_release_asks_which() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-9", "Alpha"));
    env.write("sops/b.md", sop("SOP-9", "Beta"));
    env.commit("Two files, one ID");
    let run = env.run(&["release", "-m", "First"]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: more than one SOP could be released; name one of: sops/a.md, sops/b.md\nhint: sopctl release sops/a.md -m \"…\"\n"
    );
}

// ------------------------------------------------------------------------------------------
// Nothing outside the repository (issue 13): templates, `docs` and `out` are followed through
// symbolic links and must stay in the repository; only `-o` names a folder elsewhere.

/// A folder next to the test repository (outside it), created, canonical.
fn outside_folder(env: &TestEnv, name: &str) -> PathBuf {
    let dir = env.root.parent().expect("parent").join(name);
    std::fs::create_dir_all(&dir).expect("outside folder");
    dir.canonicalize().expect("canonical")
}

#[cfg(unix)]
fn link(target: &Path, env: &TestEnv, rel: &str) {
    std::fs::create_dir_all(env.path(rel).parent().expect("parent")).expect("mkdir");
    std::os::unix::fs::symlink(target, env.path(rel)).expect("symlink");
}

#[cfg(unix)]
#[test]
fn a_template_linked_outside_the_repository_is_refused_and_never_inlined() {
    let env = TestEnv::repo();
    let secret = outside_folder(&env, "secret").join("style.css");
    std::fs::write(&secret, "body { content: 'SECRET' }").expect("secret");
    link(&secret, &env, "templates/style.css");
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("An SOP and a stylesheet linked from elsewhere");
    let problem = format!(
        "leads outside the repository through a symbolic link (to {})",
        secret.display()
    );
    let check = env.run(&["check"]);
    check.expect_code(1);
    assert_eq!(
        check.stdout,
        format!(
            "templates/style.css:1:1: error: this template {problem}; sopctl does not read it: put the file itself here, or delete the link to use the built-in template\n"
        )
    );
    let refusal = format!("the template templates/style.css {problem}");
    let hint = "sopctl reads templates only from the repository: put the file itself in templates/ in place of the link, or delete the link to use the built-in template";
    for args in [
        vec!["render"],
        vec!["render", "--format", "pdf,html"],
        vec!["publish"],
    ] {
        assert_eq!(
            refused(&env, &args, 1),
            format!("error: {refusal}\nhint: {hint}\n"),
            "{args:?}"
        );
    }
    assert_eq!(
        refused(&env, &["release", "-m", "First"], 1),
        format!(
            "error: SOP-1 cannot be released (1 problem); nothing was changed\n  1. {refusal}\n     hint: {hint}\n"
        )
    );
    assert!(!env.path("dist").exists(), "nothing rendered");
    // The new-SOP skeleton is a template too.
    std::fs::remove_file(env.path("templates/style.css")).expect("rm");
    link(&secret, &env, "templates/skeleton.md");
    env.commit("The skeleton linked instead");
    assert_eq!(
        refused(&env, &["new", "Beta", "--id", "SOP-2"], 1),
        format!(
            "error: the template templates/skeleton.md leads outside the repository through a symbolic link (to {})\nhint: {hint}\n",
            secret.display()
        )
    );
}

#[cfg(unix)]
#[test]
fn an_out_setting_outside_the_repository_is_refused_and_dash_o_still_writes_there() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    let parent = env.root.parent().expect("parent").to_path_buf();
    let elsewhere = parent.join("elsewhere");
    let linked = outside_folder(&env, "linked-site");
    link(&linked, &env, "published");
    env.commit("An SOP and a link to a folder elsewhere");
    let abs = elsewhere.display().to_string();
    let into_link = format!(
        "leads outside the repository through a symbolic link (to {}/site)",
        linked.display()
    );
    for (setting, problem, target) in [
        (
            abs.as_str(),
            "is outside the repository".to_string(),
            abs.clone(),
        ),
        (
            "../elsewhere",
            "is outside the repository".to_string(),
            abs.clone(),
        ),
        (
            "published/site",
            into_link,
            format!("{}/site", linked.display()),
        ),
    ] {
        env.write("sopctl.toml", format!("out = \"{setting}\"\n"));
        env.commit("Set out");
        let error = format!("the output folder {setting} (`out` in sopctl.toml) {problem}");
        // A link names itself as the cause (the trial's user had `out = "dist"` already).
        let fix = if setting == "published/site" {
            "`published/site` leads out of the repository through a symbolic link: make the linked folder an ordinary folder (delete the link), or set `out` to another folder inside the repository".to_string()
        } else {
            "set `out` in sopctl.toml to a folder inside the repository, e.g.  out = \"dist\""
                .to_string()
        };
        let check = env.run(&["check"]);
        check.expect_code(1);
        assert_eq!(
            check.stdout,
            format!(
                "sopctl.toml:1:1: error: {error}; {fix}; give a folder elsewhere on the command line with -o\n"
            )
        );
        for command in ["render", "publish"] {
            assert_eq!(
                refused(&env, &[command], 1),
                format!(
                    "error: {error}\nhint: {fix}; to write elsewhere, give the folder on the command line:  sopctl {command} -o {target}\n"
                ),
                "{setting}"
            );
        }
        assert_eq!(
            refused(&env, &["release", "-m", "First"], 1),
            format!(
                "error: SOP-1 cannot be released (1 problem); nothing was changed\n  1. {error}\n     hint: {fix}; to put renditions elsewhere, release with --no-render, then run  sopctl publish -o {target}\n"
            )
        );
        assert!(!elsewhere.exists(), "{setting}: wrote outside");
        assert_eq!(
            std::fs::read_dir(&linked).expect("list").count(),
            0,
            "{setting}"
        );
    }
    // A folder elsewhere given on the command line is the user's own choice.
    env.run(&["render", "--format", "html", "-o", &abs])
        .expect_code(0);
    assert!(
        elsewhere
            .join("drafts/SOP-1/SOP-1-working-copy.html")
            .is_file()
    );
    env.run(&["release", "-m", "First", "--no-render"])
        .expect_code(0);
    env.run(&["publish", "-o", &abs]).expect_code(0);
    assert!(elsewhere.join("SOP-1/1.0/SOP-1-v1.0.pdf").is_file());
}

#[cfg(unix)]
#[test]
fn a_docs_setting_outside_the_repository_is_refused_by_every_command() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    let shared = outside_folder(&env, "shared");
    std::fs::write(shared.join("b.md"), sop("SOP-9", "Kept elsewhere")).expect("outside SOP");
    link(&shared, &env, "procedures");
    env.commit("An SOP and a link to SOPs elsewhere");
    let abs = shared.display().to_string();
    let set_docs = "set `docs` in sopctl.toml to folders inside";
    for (setting, problem, hint) in [
        (
            "../shared",
            "is outside the repository".to_string(),
            format!("{set_docs} it, e.g.  docs = [\"sops\"]"),
        ),
        (
            abs.as_str(),
            "is outside the repository".to_string(),
            format!("{set_docs} it, e.g.  docs = [\"sops\"]"),
        ),
        (
            "procedures",
            format!("leads outside the repository through a symbolic link (to {abs})"),
            format!(
                "put the folder itself in the repository in place of the link, or {set_docs} the repository, e.g.  docs = [\"sops\"]"
            ),
        ),
    ] {
        env.write("sopctl.toml", format!("docs = [\"sops\", \"{setting}\"]\n"));
        env.commit("Set docs");
        let expected = format!(
            "error: the SOP folder {setting} (`docs` in sopctl.toml) {problem}\nhint: sopctl reads SOPs only from the repository: {hint}\n"
        );
        for args in [
            vec!["check"],
            vec!["list"],
            vec!["render", "SOP-9"],
            vec!["publish"],
            vec!["release", "SOP-1", "-m", "First"],
            vec!["new", "Gamma"],
        ] {
            assert_eq!(refused(&env, &args, 1), expected, "{setting}: {args:?}");
        }
    }
    assert_eq!(std::fs::read_dir(&shared).expect("list").count(), 1);
    // Outside any repository there is nothing to stay inside: a lone file still renders.
    let lone = TestEnv::new();
    link(&shared, &lone, "sops");
    lone.write("notes.md", "# Notes\n\nText.\n");
    lone.run(&["render", "notes.md", "--format", "html", "-o", "out"])
        .expect_code(0);
    assert!(lone.path("out/notes.html").is_file());
}

#[test]
fn hints_quote_document_text_so_that_pasting_them_runs_nothing_else() {
    // A role written to run a command when a hint is copied into a terminal (issue 13).
    let env = TestEnv::repo();
    let text = sop("SOP-1", "Alpha").replacen(
        "review_interval: 1 year\n",
        "review_interval: 1 year\napprovers: [\"QA $(touch pwned)\"]\n",
        1,
    );
    env.write("sops/a.md", text);
    env.commit("Add");
    let stderr = refused(&env, &["release", "-m", "First"], 1);
    let hint = "sopctl approve --role='QA $(touch pwned)'";
    assert!(
        stderr.contains(&format!(
            "approves the current content with  {hint}  (an edit"
        )),
        "{stderr}"
    );
    // Pasted into a shell (with printf in place of sopctl), the role stays one word.
    let pasted = std::process::Command::new("sh")
        .arg("-c")
        .arg(hint.replacen("sopctl", "printf '[%s]\\n'", 1))
        .current_dir(&env.root)
        .output()
        .expect("sh");
    assert_eq!(
        String::from_utf8_lossy(&pasted.stdout),
        "[approve]\n[--role=QA $(touch pwned)]\n"
    );
    assert!(!env.path("pwned").exists(), "the hint ran a command");

    // A path with a space: the hint's git command brings the file back as it is shown.
    let env = TestEnv::repo();
    env.write("sopctl.toml", "docs = [\"my sops\"]\n");
    env.write("my sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add");
    std::fs::remove_file(env.path("my sops/a.md")).expect("rm");
    let check = env.run(&["check"]);
    assert_eq!(
        check.stdout,
        "my sops/a.md:1:1: warning: SOP-1 is deleted from the working copy (it is still in the last commit); bring it back with  git restore -- 'my sops/a.md'  or, to withdraw the SOP, restore it and run  sopctl retire SOP-1\n"
    );
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg("git restore -- 'my sops/a.md'")
        .current_dir(&env.root)
        .status()
        .expect("sh");
    assert!(status.success());
    assert_eq!(env.read("my sops/a.md"), sop("SOP-1", "Alpha"));
}
