//! Signing and hooks as git does them (issue 15 items 1 and 4, `cases/` B38): real SSH keys made
//! with `ssh-keygen`, checked with git's own `verify-commit` and `verify-tag`.

use std::path::PathBuf;

use crate::errors::refused;
use crate::harness::{TestEnv, sop};

/// A key pair made with `ssh-keygen` (no passphrase); returns the private key's path.
pub(crate) fn ssh_key(env: &TestEnv, name: &str) -> PathBuf {
    let key = env.path(&format!("../{name}"));
    let out = std::process::Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", "", "-C", name, "-f"])
        .arg(&key)
        .output()
        .expect("ssh-keygen (openssh-client) must be installed; CI installs it");
    assert!(out.status.success(), "ssh-keygen failed");
    key
}

/// A repository whose git settings ask for SSH-signed commits and tags with `key`, trusting
/// `key` for owner@example.org and dana@example.org.
pub(crate) fn signing_repo(key: &std::path::Path) -> TestEnv {
    let env = TestEnv::repo();
    let public = std::fs::read_to_string(key.with_extension("pub")).expect("public key");
    let allowed = env.path("../allowed_signers");
    std::fs::write(
        &allowed,
        format!("owner@example.org {public}dana@example.org {public}"),
    )
    .expect("allowed signers");
    for (k, v) in [
        ("gpg.format", "ssh"),
        ("user.signingKey", &key.display().to_string()),
        ("gpg.ssh.allowedSignersFile", &allowed.display().to_string()),
        ("commit.gpgSign", "true"),
        ("tag.gpgSign", "true"),
    ] {
        env.git(&["config", k, v]);
    }
    env
}

/// A repository signing with `owner`'s key, whose allowed signers trust `owner` for
/// owner@example.org and `dana` for dana@example.org: each person signs with their own key.
pub(crate) fn two_signers_repo(owner: &std::path::Path, dana: &std::path::Path) -> TestEnv {
    let env = signing_repo(owner);
    let public =
        |k: &std::path::Path| std::fs::read_to_string(k.with_extension("pub")).expect("pub");
    std::fs::write(
        env.path("../allowed_signers"),
        format!(
            "owner@example.org {}dana@example.org {}",
            public(owner),
            public(dana)
        ),
    )
    .expect("allowed signers");
    env
}

/// Runs `sopctl ARGS` as Dana Quality, signing with her key `dana`; git signs with `owner`
/// again afterwards.
pub(crate) fn as_dana(
    env: &TestEnv,
    dana: &std::path::Path,
    owner: &std::path::Path,
    args: &[&str],
) {
    env.git(&["config", "user.signingKey", &dana.display().to_string()]);
    env.run_in(&env.root, args, &crate::harness::DANA)
        .expect_code(0);
    env.git(&["config", "user.signingKey", &owner.display().to_string()]);
}

fn verifies(env: &TestEnv, args: &[&str]) -> bool {
    env.git_succeeds(args)
}

// See: cases/README.md B38 (a) — signing configured in git: sopctl's commits and tags are
// signed as git signs them.
#[test]
fn b38_records_are_signed_as_git_is_configured_and_git_verifies_them() {
    let keys = TestEnv::new();
    let key = ssh_key(&keys, "signer");
    let dana = ssh_key(&keys, "dana");
    let env = two_signers_repo(&key, &dana);
    env.write(
        "sops/a.md",
        crate::harness::sop_to_approve("SOP-1", "Alpha"),
    );
    env.commit("Add SOP-1");
    assert!(
        verifies(&env, &["verify-commit", "HEAD"]),
        "git's own commit"
    );
    as_dana(&env, &dana, &key, &["approve", "--role", "QA Manager"]);
    assert!(verifies(&env, &["verify-commit", "HEAD"]), "the approval");
    env.run(&["release", "-m", "First"]).expect_code(0);
    assert!(
        verifies(&env, &["verify-commit", "HEAD"]),
        "the release commit"
    );
    assert!(verifies(&env, &["verify-tag", "SOP-1/v1.0.0"]), "the tag");
    // The tag keeps its message and trailers under the signature.
    let message = env.git(&["tag", "-l", "--format=%(contents:subject)", "SOP-1/v1.0.0"]);
    assert_eq!(message, "First\n");
    env.run(&["review", "-m", "Still right"]).expect_code(0);
    assert!(verifies(&env, &["verify-commit", "HEAD"]), "the review");
    env.run(&["retire", "-m", "Gone"]).expect_code(0);
    assert!(verifies(&env, &["verify-commit", "HEAD"]), "the retirement");
    // --no-sign overrides the settings.
    let env2 = signing_repo(&key);
    env2.write("sops/a.md", sop("SOP-1", "Alpha"));
    env2.commit("Add SOP-1");
    env2.run(&["release", "-m", "First", "--no-sign"])
        .expect_code(0);
    assert!(!verifies(&env2, &["verify-commit", "HEAD"]));
    assert!(!verifies(&env2, &["verify-tag", "SOP-1/v1.0.0"]));
}

// Regression (issue 15): a signed tag's message ends with its signature, which hid its
// trailers, so `log` showed the release commit's subject instead of the summary.
#[test]
fn log_reads_the_trailers_of_a_signed_tag() {
    let env = TestEnv::new();
    let key = ssh_key(&env, "signer");
    let env = signing_repo(&key);
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    env.run(&["release", "-m", "First"]).expect_code(0);
    assert!(verifies(&env, &["verify-tag", "SOP-1/v1.0.0"]));
    let log = env.run(&["log", "--json"]);
    assert_eq!(
        crate::harness::json_column(&log.stdout, "summary"),
        ["First"]
    );
    assert_eq!(
        crate::harness::json_column(&log.stdout, "author"),
        ["Test Owner"]
    );
}

#[test]
fn sign_asks_for_a_signature_without_the_setting() {
    let env = TestEnv::new();
    let key = ssh_key(&env, "signer");
    let env = signing_repo(&key);
    env.git(&["config", "commit.gpgSign", "false"]);
    env.git(&["config", "tag.gpgSign", "false"]);
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    env.run(&["release", "-m", "First", "--sign"])
        .expect_code(0);
    assert!(verifies(&env, &["verify-commit", "HEAD"]));
    assert!(verifies(&env, &["verify-tag", "SOP-1/v1.0.0"]));
}

#[test]
fn signing_that_fails_refuses_and_changes_nothing() {
    let env = TestEnv::new();
    let key = ssh_key(&env, "signer");
    let env = signing_repo(&key);
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    std::fs::remove_file(&key).expect("remove the private key");
    let stderr = refused(&env, &["release", "-m", "First"], 1);
    let lines: Vec<&str> = stderr.lines().collect();
    assert!(
        lines[0].starts_with("error: ssh-keygen could not sign: "),
        "{stderr}"
    );
    assert!(lines[0].ends_with("; nothing was changed"), "{stderr}");
    assert_eq!(
        lines[1],
        format!(
            "hint: check that the key {} exists and, if it has a passphrase, that ssh-agent holds it (ssh-add); or run the command with --no-sign",
            key.display()
        )
    );
    // Without a key named at all.
    env.git(&["config", "--unset", "user.signingKey"]);
    assert_eq!(
        refused(&env, &["release", "-m", "First"], 1),
        "error: signing is asked for with SSH keys, but no key is set; nothing was changed\nhint: name your key:  git config user.signingKey ~/.ssh/id_ed25519.pub\n"
    );
}

fn hook(env: &TestEnv, name: &str, body: &str) {
    let path = env.path(&format!(".git/hooks/{name}"));
    std::fs::create_dir_all(path.parent().expect("hooks")).expect("hooks folder");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).expect("hook");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).expect("chmod");
}

// See: cases/README.md B38 (b) — a pre-commit hook that refuses every commit was bypassed.
#[test]
fn b38_hooks_run_as_git_runs_them_and_a_refusal_changes_nothing() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    hook(
        &env,
        "pre-commit",
        "echo \"pre-commit: commits are frozen by policy\" >&2\nexit 1",
    );
    assert_eq!(
        refused(&env, &["release", "-m", "First"], 1),
        "error: the repository's pre-commit hook refused the commit; nothing was changed\n  caused by: pre-commit: commits are frozen by policy\nhint: do what the hook asks; to skip the hooks for this command (as git commit --no-verify does), add --no-verify\n"
    );
    assert_eq!(
        refused(&env, &["review", "-m", "Fine"], 1),
        "error: the repository's pre-commit hook refused the commit; nothing was changed\n  caused by: pre-commit: commits are frozen by policy\nhint: do what the hook asks; to skip the hooks for this command (as git commit --no-verify does), add --no-verify\n"
    );
    // The hook sees the release's change staged, as with `git commit`.
    hook(
        &env,
        "pre-commit",
        "git diff --cached --name-only > ../staged.txt",
    );
    hook(
        &env,
        "commit-msg",
        "grep -q '^Document: SOP-1$' \"$1\" || { echo 'no trailer' >&2; exit 1; }\necho 'Checked-By: hook' >> \"$1\"",
    );
    hook(&env, "post-commit", "git rev-parse HEAD > ../post.txt");
    env.run(&["release", "-m", "First"]).expect_code(0);
    assert_eq!(
        std::fs::read_to_string(env.path("../staged.txt")).expect("staged"),
        "sops/a.md\n"
    );
    // commit-msg may add to the message, as in git.
    assert!(
        env.git(&["log", "-1", "--format=%B"])
            .ends_with("Checked-By: hook\n\n")
    );
    assert_eq!(
        std::fs::read_to_string(env.path("../post.txt")).expect("post"),
        env.git(&["rev-parse", "HEAD"])
    );
}

#[test]
fn a_failing_commit_msg_hook_refuses_and_no_verify_skips_it() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    hook(
        &env,
        "commit-msg",
        "echo 'commit-msg: no ticket number' >&2\nexit 1",
    );
    assert_eq!(
        refused(&env, &["release", "-m", "First"], 1),
        "error: the repository's commit-msg hook refused the commit; nothing was changed\n  caused by: commit-msg: no ticket number\nhint: do what the hook asks; to skip the hooks for this command (as git commit --no-verify does), add --no-verify\n"
    );
    env.run(&["release", "-m", "First", "--no-verify"])
        .expect_code(0);
    assert_eq!(env.git(&["tag", "-l"]), "SOP-1/v1.0.0\n");
}

#[test]
fn hooks_are_found_through_core_hooks_path() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    std::fs::create_dir_all(env.path("policy")).expect("policy");
    env.write(
        "policy/pre-commit",
        "#!/bin/sh\necho 'policy: frozen' >&2\nexit 1\n",
    );
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(
        env.path("policy/pre-commit"),
        std::fs::Permissions::from_mode(0o755),
    )
    .expect("chmod");
    env.commit("Policy");
    env.git(&["config", "core.hooksPath", "policy"]);
    let stderr = refused(&env, &["review", "-m", "Fine"], 1);
    assert!(stderr.contains("  caused by: policy: frozen\n"), "{stderr}");
}

#[test]
fn openpgp_signing_goes_through_gpg_as_git_does() {
    let env = TestEnv::repo();
    let gnupg = env.path("../gnupg");
    std::fs::create_dir_all(&gnupg).expect("gnupg");
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&gnupg, std::fs::Permissions::from_mode(0o700)).expect("chmod");
    let made = std::process::Command::new("gpg")
        .env("GNUPGHOME", &gnupg)
        .args([
            "--batch",
            "--passphrase",
            "",
            "--quick-gen-key",
            "Test Owner <owner@example.org>",
            "ed25519",
            "sign",
            "never",
        ])
        .output()
        .expect("gpg (gnupg) must be installed; CI installs it");
    assert!(
        made.status.success(),
        "{}",
        String::from_utf8_lossy(&made.stderr)
    );
    // git and sopctl both call this program, which points gpg at the test's keyring.
    let program = env.path("../gpg-test");
    std::fs::write(
        &program,
        format!(
            "#!/bin/sh\nGNUPGHOME='{}' exec gpg \"$@\"\n",
            gnupg.display()
        ),
    )
    .expect("wrapper");
    std::fs::set_permissions(&program, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    env.git(&["config", "gpg.program", &program.display().to_string()]);
    env.git(&["config", "commit.gpgSign", "true"]);
    env.git(&["config", "tag.gpgSign", "true"]);
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    env.run(&["release", "-m", "First"]).expect_code(0);
    assert!(
        verifies(&env, &["verify-commit", "HEAD"]),
        "the release commit"
    );
    assert!(verifies(&env, &["verify-tag", "SOP-1/v1.0.0"]), "the tag");
    // sopctl verify checks them through the same program (issue 15 item 7).
    let run = env.run(&["verify"]);
    run.expect_code(0);
    assert!(
        run.stdout
            .contains("): whole; tag signed by Test Owner <owner@example.org> (OpenPGP key "),
        "{}",
        run.stdout
    );
}
