//! `signatures = "required"` (issue 15, item 2): approvals and changes to the signers registry
//! signed with a key the committed registry lists, for the person and the role; the first
//! registry signed by its first person. Real SSH keys made by `ssh-keygen`, checked by git.

use crate::errors::refused;
use crate::harness::{DANA, TestEnv, sop};
use crate::people::{ADD_DANA, ADD_OWNER, fingerprint};
use crate::signing::ssh_key;

/// Erin Ops's git identity (a third person).
pub(crate) const ERIN: [(&str, &str); 4] = [
    ("GIT_COMMITTER_NAME", "Erin Ops"),
    ("GIT_COMMITTER_EMAIL", "erin@example.org"),
    ("GIT_AUTHOR_NAME", "Erin Ops"),
    ("GIT_AUTHOR_EMAIL", "erin@example.org"),
];

/// A repository whose SOP-1 needs approval by `approvers` (a YAML list), authored by the
/// repository's owner (Test Owner), with `settings` in sopctl.toml.
pub(crate) fn repo(approvers: &str, settings: &str) -> TestEnv {
    let env = TestEnv::repo();
    env.write("sopctl.toml", settings);
    env.write(
        "sops/a.md",
        sop("SOP-1", "Alpha").replace(
            "owner: QA\n",
            &format!("owner: QA\napprovers: {approvers}\n"),
        ),
    );
    env.commit("Add SOP-1");
    env
}

pub(crate) fn approve(env: &TestEnv, role: &str, who: &[(&str, &str)]) {
    env.run_in(&env.root, &["approve", "--role", role], who)
        .expect_code(0);
}

/// Sets git's SSH signing key of the test repository (commits signed).
fn sign_with(env: &TestEnv, key: &std::path::Path) {
    env.git(&["config", "gpg.format", "ssh"]);
    env.git(&["config", "user.signingKey", &key.display().to_string()]);
    env.git(&["config", "commit.gpgSign", "true"]);
}

#[test]
fn required_signatures_need_a_registered_key_of_the_role() {
    let env = repo("[QA Manager, Site Director]", "signatures = \"required\"\n");
    let owner = ssh_key(&env, "owner");
    let dana = ssh_key(&env, "dana");
    let erin = ssh_key(&env, "erin");
    let check = env.run(&["check"]);
    check.expect_code(1);
    assert_eq!(
        check.stdout,
        "sopctl.toml:1:1: error: signatures = \"required\", but people.toml lists no one with a key, so no approval can be made; the first person adds themselves with  sopctl people add \"Name\" --email EMAIL --role ROLE --key KEY.pub --sign\n"
    );
    sign_with(&env, &owner);
    // The first registry: its first person adds themselves, signing with the key they add.
    let add_dana = ADD_DANA;
    assert_eq!(
        refused(&env, &add_dana, 1),
        format!(
            "error: people.toml lists no one with a key yet, so its first person adds themselves and signs with the key they add; this change adds dana@example.org and would be signed by owner@example.org with the key {}\nhint: add yourself first, under your own git identity and with the key you sign with:  sopctl people add \"Your Name\" --email you@example.org --role ROLE --key ~/.ssh/id_ed25519.pub --sign\n",
            fingerprint(&owner)
        )
    );
    env.run(&ADD_OWNER).expect_code(0);
    env.run(&add_dana).expect_code(0);
    // git itself verifies the registry's commits against the registry's keys.
    let allowed = env.path("../allowed_signers");
    std::fs::write(
        &allowed,
        format!("owner@example.org {}\n", super::people::public(&owner)),
    )
    .expect("allowed signers");
    env.git(&[
        "config",
        "gpg.ssh.allowedSignersFile",
        &allowed.display().to_string(),
    ]);
    assert!(env.git_succeeds(&["verify-commit", "HEAD"]));

    // Erin's key is not registered: her approval, and her change of the registry, are refused.
    sign_with(&env, &erin);
    let stderr = refused_as(&env, &["approve", "--role", "QA Manager"], &ERIN);
    assert_eq!(
        stderr,
        format!(
            "error: your signing key {} is not in the signers registry (people.toml), so it cannot sign records of this repository\nhint: ask a registered person to add your public key with  sopctl people add  (sopctl people list shows the keys registered)\n",
            fingerprint(&erin)
        )
    );
    let erin_adds = [
        "people",
        "add",
        "Erin Ops",
        "--email",
        "erin@example.org",
        "--key",
        "../erin.pub",
    ];
    assert!(refused_as(&env, &erin_adds, &ERIN).starts_with(&format!(
        "error: your signing key {} is not in",
        fingerprint(&erin)
    )));
    // A key added by hand without a commit makes no one a signer.
    let text = env.read("people.toml");
    env.write("people.toml", format!("{text}\n[[person]]\nname = \"Erin Ops\"\nemail = \"erin@example.org\"\nroles = [\"QA Manager\"]\nkeys = [\"{}\"]\n", super::people::public(&erin)));
    assert!(
        refused_as(&env, &["approve", "--role", "QA Manager"], &ERIN)
            .contains("is not in the signers registry")
    );
    env.write("people.toml", text);

    // Dana: unsigned, then in a role she does not hold, then signed in her role.
    sign_with(&env, &dana);
    assert_eq!(
        refused_as(
            &env,
            &["approve", "--role", "QA Manager", "--no-sign"],
            &DANA
        ),
        "error: this repository requires signed records (signatures = \"required\" in sopctl.toml), and git is not set to sign this one\nhint: set up signing once:  git config gpg.format ssh  and  git config user.signingKey ~/.ssh/id_ed25519.pub  and  git config commit.gpgSign true  (or add --sign to this command)\n"
    );
    assert_eq!(
        refused_as(&env, &["approve", "--role", "Site Director"], &DANA),
        "error: Dana Quality may not sign as Site Director: their roles in people.toml are QA Manager\nhint: approve in a role you hold, or ask a registered person to register the role for you (sopctl people remove, then sopctl people add with --role)\n"
    );
    // The owner's git identity with Dana's key: not the person who makes the record.
    assert!(refused(&env, &["approve", "--role", "QA Manager"], 1).starts_with(&format!(
        "error: your signing key {} belongs to Dana Quality <dana@example.org> in people.toml, but git's identity is owner@example.org",
        fingerprint(&dana)
    )));
    approve(&env, "QA Manager", &DANA);
}

/// As [`refused`], run as another person (`who`: git's identity variables).
#[track_caller]
fn refused_as(env: &TestEnv, args: &[&str], who: &[(&str, &str)]) -> String {
    let before = env.snapshot();
    let run = env.run_in(&env.root, args, who);
    run.expect_code(1);
    assert_eq!(run.stdout, "", "{args:?}");
    assert_eq!(env.snapshot(), before, "{args:?} changed the repository");
    run.stderr
}

/// A repository needing the QA Manager's approval with `signatures = "required"`, whose
/// registry lists the owner (no role) and Dana (QA Manager), committed signed by the owner;
/// git's allowed signers trust both keys, and commits and tags are signed with the owner's key.
fn registered(env: &TestEnv) -> (std::path::PathBuf, std::path::PathBuf) {
    let owner = ssh_key(env, "owner");
    let dana = ssh_key(env, "dana");
    sign_with(env, &owner);
    env.git(&["config", "tag.gpgSign", "true"]);
    env.run(&ADD_OWNER).expect_code(0);
    env.run(&ADD_DANA).expect_code(0);
    let allowed = env.path("../allowed_signers");
    let lines = format!(
        "owner@example.org {}\ndana@example.org {}\n",
        super::people::public(&owner),
        super::people::public(&dana)
    );
    std::fs::write(&allowed, lines).expect("allowed signers");
    env.git(&[
        "config",
        "gpg.ssh.allowedSignersFile",
        &allowed.display().to_string(),
    ]);
    (owner, dana)
}

/// Commits, with git itself, an approval of SOP-1's current text in the name of `name` and
/// `email` as QA Manager, signed with `key` (or unsigned): an approval that `approve` would
/// have refused, as a forger would get it into the history.
fn forge_approval(env: &TestEnv, who: (&str, &str), key: Option<&std::path::Path>) {
    forge_approval_at(env, who, key, None);
}

/// As [`forge_approval`], committed at `date` (git's date format) when one is given.
fn forge_approval_at(
    env: &TestEnv,
    (name, email): (&str, &str),
    key: Option<&std::path::Path>,
    date: Option<&str>,
) {
    let path = env.path("sops/a.md");
    let sop = sopctl::doc::Sop::from_bytes(&path, std::fs::read(&path).expect("sop")).expect("sop");
    let message = format!(
        "SOP-1: approved by {name} (QA Manager)\n\nApproval-Document: SOP-1\nApproval-Role: QA Manager\nApproval-Meaning: approved\nApproval-Name: {name}\nApproval-Email: {email}\nApproval-Date: 2026-01-10T09:00:00Z\nApproval-Content: {}\n",
        sopctl::lifecycle::content_hash(&sop)
    );
    let file = env.path("../forged-message");
    std::fs::write(&file, message).expect("message");
    let mut args: Vec<String> = Vec::new();
    match key {
        Some(key) => {
            args.push("-c".into());
            args.push(format!("user.signingKey={}", key.display()));
            args.extend(["commit".into(), "-S".into()]);
        }
        None => args.extend(["commit".into(), "--no-gpg-sign".into()]),
    }
    args.extend(["-q", "--allow-empty", "-F"].map(String::from));
    args.push(file.display().to_string());
    let mut commit = env.command("git");
    commit.args(&args);
    if let Some(date) = date {
        commit
            .env("GIT_COMMITTER_DATE", date)
            .env("GIT_AUTHOR_DATE", date);
    }
    assert!(commit.status().expect("git").success());
}

#[test]
fn a_release_under_required_signatures_counts_only_approvals_signed_by_a_registered_holder_of_the_role()
 {
    let env = repo("[QA Manager]", "signatures = \"required\"\n");
    let (owner, dana) = registered(&env);
    let erin = ssh_key(&env, "erin");
    // A forged approval: Dana's name and e-mail without her key.
    forge_approval(&env, ("Dana Quality", "dana@example.org"), None);
    sign_with(&env, &owner);
    let stderr = refused(&env, &["release", "-m", "First issue"], 1);
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines[0],
        "error: SOP-1 cannot be released (2 problems); nothing was changed"
    );
    assert!(
        lines[1].starts_with("  1. the approval by Dana Quality <dana@example.org> as QA Manager on ")
            && lines[1].ends_with(" does not count: it is not signed, and this repository requires records signed by registered people (signatures = \"required\" in sopctl.toml)"),
        "{stderr}"
    );
    assert!(
        lines[2].starts_with(
            "     hint: the approver approves again, signing with their registered key"
        ),
        "{stderr}"
    );
    assert_eq!(lines[3], "  2. approval missing from: QA Manager");

    // Signed, but by Erin's key, which the registry does not list.
    forge_approval(&env, ("Dana Quality", "dana@example.org"), Some(&erin));
    sign_with(&env, &owner);
    let stderr = refused(&env, &["release", "-m", "First issue"], 1);
    assert!(
        stderr.contains(&format!(
            " does not count: it is signed with SSH key {}, which the signers registry (people.toml) does not list\n",
            fingerprint(&erin)
        )),
        "{stderr}"
    );

    // Signed by the owner, registered but not a QA Manager, under the owner's own name.
    forge_approval(&env, ("Test Owner", "owner@example.org"), Some(&owner));
    let stderr = refused(&env, &["release", "-m", "First issue"], 1);
    assert!(
        stderr.contains("the approval by Test Owner <owner@example.org> as QA Manager on ")
            && stderr.contains(" does not count: it is signed by Test Owner <owner@example.org>, who may not sign as QA Manager: people.toml gives them no role\n"),
        "{stderr}"
    );

    // Dana approves with her key: the approval counts; an unsigned release is still refused.
    sign_with(&env, &dana);
    approve(&env, "QA Manager", &DANA);
    sign_with(&env, &owner);
    assert_eq!(
        refused(&env, &["release", "-m", "First issue", "--no-sign"], 1),
        "error: SOP-1 cannot be released (1 problem); nothing was changed\n  1. this repository requires signed records (signatures = \"required\" in sopctl.toml), and git is not set to sign this one\n     hint: set up signing once:  git config gpg.format ssh  and  git config user.signingKey ~/.ssh/id_ed25519.pub  and  git config commit.gpgSign true  (or add --sign to this command)\n"
    );
    // Signed by the owner with Dana's key: not the person who releases.
    sign_with(&env, &dana);
    assert!(
        refused(&env, &["release", "-m", "First issue"], 1).contains(&format!(
            "  1. your signing key {} belongs to Dana Quality <dana@example.org> in people.toml, but git's identity is owner@example.org",
            fingerprint(&dana)
        ))
    );
    sign_with(&env, &owner);
    env.run(&["release", "-m", "First issue"]).expect_code(0);
    assert!(env.git_succeeds(&["verify-tag", "SOP-1/v1.0.0"]));
    assert!(env.git_succeeds(&["verify-commit", "HEAD"]));
    assert_eq!(
        env.git(&["tag", "-l", "--format=%(contents:body)", "SOP-1/v1.0.0"])
            .lines()
            .filter(|l| l.starts_with("Approved-by:"))
            .count(),
        1
    );

    // verify names the three forged approvals (newest first), and nothing else.
    let run = env.run(&["verify"]);
    run.expect_code(1);
    let broken: Vec<&str> = run
        .stdout
        .lines()
        .filter(|l| l.starts_with("  commit "))
        .collect();
    assert_eq!(broken.len(), 3, "{}", run.stdout);
    assert!(
        broken[2].contains(
            "it is not signed, and this repository requires records signed by registered people"
        ),
        "{}",
        run.stdout
    );
    assert!(
        broken[1].contains("which the signers registry (people.toml) does not list"),
        "{}",
        run.stdout
    );
    assert!(
        broken[0].contains("who may not sign as QA Manager"),
        "{}",
        run.stdout
    );
}

#[test]
fn the_bundled_example_under_required_signatures_with_two_registered_people() {
    let env = TestEnv::new();
    env.run(&["init", "demo", "--example"]).expect_code(0);
    let demo = env.path("demo");
    let at = demo.display().to_string();
    let git = |args: &[&str]| {
        let mut all = vec!["-C", at.as_str()];
        all.extend_from_slice(args);
        env.git(&all)
    };
    let sign = |key: &std::path::Path| {
        git(&["config", "gpg.format", "ssh"]);
        git(&["config", "user.signingKey", &key.display().to_string()]);
        git(&["config", "commit.gpgSign", "true"]);
        git(&["config", "tag.gpgSign", "true"]);
    };
    let run = |args: &[&str], who: &[(&str, &str)]| env.run_in(&demo, args, who);
    let (owner, dana, erin) = (
        ssh_key(&env, "owner"),
        ssh_key(&env, "dana"),
        ssh_key(&env, "erin"),
    );
    let public = |key: &std::path::Path| key.with_extension("pub").display().to_string();

    git(&["config", "user.name", "Test Owner"]);
    git(&["config", "user.email", "owner@example.org"]);
    // Two registered people: the owner, and Dana, who approves as QA Manager.
    sign(&owner);
    let owner_pub = public(&owner);
    let dana_pub = public(&dana);
    run(
        &[
            "people",
            "add",
            "Test Owner",
            "--email",
            "owner@example.org",
            "--key",
            &owner_pub,
        ],
        &[],
    )
    .expect_code(0);
    run(
        &[
            "people",
            "add",
            "Dana Quality",
            "--email",
            "dana@example.org",
            "--role",
            "QA Manager",
            "--key",
            &dana_pub,
        ],
        &[],
    )
    .expect_code(0);
    // Signatures required from now on; the next version needs the QA Manager's approval.
    let settings = std::fs::read_to_string(demo.join("sopctl.toml")).expect("settings");
    let settings = settings.replace("signatures = \"optional\"", "signatures = \"required\"");
    std::fs::write(demo.join("sopctl.toml"), settings).expect("settings");
    // The example's releases need the QA Manager's approval already (`approvers`); the next
    // version changes the time a check takes.
    let file = demo.join("sops/privacy-settings-sop.md");
    let text = std::fs::read_to_string(&file).expect("sop");
    assert!(text.contains("approvers:\n  - QA Manager\n"));
    let text = text.replacen(
        "**Estimated Time:** 3-5 minutes",
        "**Estimated Time:** 5 minutes",
        1,
    );
    std::fs::write(&file, text).expect("sop");
    git(&[
        "commit",
        "-qam",
        "Require signed records; a check takes 5 minutes",
    ]);

    // The forged approvals: Dana's name without a signature, and with Erin's key.
    let before = git(&["rev-parse", "HEAD"]);
    let unsigned = run(&["approve", "--role", "QA Manager", "--no-sign"], &DANA);
    unsigned.expect_code(1);
    assert!(
        unsigned
            .stderr
            .starts_with("error: this repository requires signed records"),
        "{}",
        unsigned.stderr
    );
    sign(&erin);
    let other_key = run(&["approve", "--role", "QA Manager"], &DANA);
    other_key.expect_code(1);
    assert!(
        other_key.stderr.contains("is not in the signers registry"),
        "{}",
        other_key.stderr
    );
    assert_eq!(git(&["rev-parse", "HEAD"]), before);
    // Without an approval the release is refused.
    sign(&owner);
    let refused = run(&["release", "--minor", "-m", "Ask QA to approve"], &[]);
    refused.expect_code(1);
    assert!(
        refused.stderr.contains("approval missing from: QA Manager"),
        "{}",
        refused.stderr
    );

    // Dana's signed approval lets the owner's signed release through.
    sign(&dana);
    run(&["approve", "--role", "QA Manager"], &DANA).expect_code(0);
    sign(&owner);
    // With signatures required, the release is signed even where git is not set to sign.
    git(&["config", "commit.gpgSign", "false"]);
    git(&["config", "tag.gpgSign", "false"]);
    run(&["release", "--minor", "-m", "Ask QA to approve"], &[]).expect_code(0);
    let allowed = env.path("../allowed_signers");
    let lines = format!(
        "owner@example.org {}\ndana@example.org {}\n",
        super::people::public(&owner),
        super::people::public(&dana)
    );
    std::fs::write(&allowed, lines).expect("allowed signers");
    git(&[
        "config",
        "gpg.ssh.allowedSignersFile",
        &allowed.display().to_string(),
    ]);
    assert!(env.git_succeeds(&["-C", &at, "verify-tag", "SOP-IT-001/v1.2.0"]));
    let verify = run(&["verify"], &[]);
    verify.expect_code(0);
    assert!(
        verify
            .stdout
            .contains("SOP-IT-001 1.2 (SOP-IT-001/v1.2.0, commit ")
            && verify
                .stdout
                .contains("whole; tag signed by owner@example.org (SSH key "),
        "{}",
        verify.stdout
    );
    // The downloaded 1.0 PDF: genuine, and superseded.
    let pdf = demo
        .join("dist/SOP-IT-001/1.0/SOP-IT-001-v1.0.pdf")
        .display()
        .to_string();
    let copy = run(&["verify", &pdf], &[]);
    copy.expect_code(0);
    assert!(
        copy.stdout.ends_with(": SOP-IT-001 version 1.0, genuine: its bytes match the release record SOP-IT-001/v1.0.0 (which is not signed, so it shows what the repository holds, not who vouched for it); superseded by 1.2\n"),
        "{}",
        copy.stdout
    );

    // A tag whose message was altered and re-created: verify exits 1 naming it.
    let message = git(&["tag", "-l", "--format=%(contents)", "SOP-IT-001/v1.2.0"]);
    let altered = message
        .lines()
        .take_while(|l| !l.starts_with("-----BEGIN"))
        .collect::<Vec<_>>()
        .join("\n")
        .replace("Ask QA to approve", "Nothing to approve");
    let message_file = env.path("../message");
    std::fs::write(&message_file, altered).expect("message");
    git(&[
        "tag",
        "-f",
        "-a",
        "--no-sign",
        "-F",
        &message_file.display().to_string(),
        "SOP-IT-001/v1.2.0",
        "SOP-IT-001/v1.2.0^{commit}",
    ]);
    let broken = run(&["verify"], &[]);
    broken.expect_code(1);
    assert!(
        broken.stdout.contains("  tag SOP-IT-001/v1.2.0: "),
        "{}",
        broken.stdout
    );
}

#[test]
fn a_registry_changed_without_a_registered_signature_or_a_setting_switched_off_changes_nothing() {
    let env = repo("[QA Manager]", "signatures = \"required\"\n");
    let (owner, _dana) = registered(&env);
    let mallory = ssh_key(&env, "mallory");
    let mallory_id = [
        ("GIT_COMMITTER_NAME", "Mallory"),
        ("GIT_COMMITTER_EMAIL", "mallory@example.org"),
        ("GIT_AUTHOR_NAME", "Mallory"),
        ("GIT_AUTHOR_EMAIL", "mallory@example.org"),
    ];
    // Mallory adds herself by hand, as QA Manager, in an unsigned commit.
    let text = env.read("people.toml");
    env.write(
        "people.toml",
        format!(
            "{text}\n[[person]]\nname = \"Mallory\"\nemail = \"mallory@example.org\"\nroles = [\"QA Manager\"]\nkeys = [\"{}\"]\n",
            super::people::public(&mallory)
        ),
    );
    env.git(&["add", "people.toml"]);
    let mut commit = env.command("git");
    commit
        .args(["commit", "-q", "--no-gpg-sign", "-m", "registry"])
        .envs(mallory_id);
    assert!(commit.status().expect("git").success());
    let edit = short_head(&env);
    sign_with(&env, &mallory);
    let stderr = refused_as(&env, &["approve", "--role", "QA Manager"], &mallory_id);
    assert!(
        stderr.starts_with(&format!(
            "error: your signing key {} is not in the signers registry (people.toml)",
            fingerprint(&mallory)
        )),
        "{stderr}"
    );
    let check = env.run(&["check"]);
    check.expect_code(1);
    assert!(
        check.stdout.contains(&format!(
            "people.toml:1:1: error: commit {edit}: it changes people.toml, but it is not signed by a registered person: the change is not trusted"
        )),
        "{}",
        check.stdout
    );
    let verify = env.run(&["verify"]);
    verify.expect_code(1);
    assert!(
        verify.stdout.contains(&format!(
            "signers registry (people.toml):\n  commit {edit}: it changes people.toml, but it is not signed by a registered person"
        )),
        "{}",
        verify.stdout
    );

    // Deleting the registry does not start a first registry again.
    env.git(&["rm", "-q", "people.toml"]);
    let mut commit = env.command("git");
    commit
        .args(["commit", "-q", "--no-gpg-sign", "-m", "cleanup"])
        .envs(mallory_id);
    assert!(commit.status().expect("git").success());
    let key_file = mallory.with_extension("pub").display().to_string();
    let add = [
        "people",
        "add",
        "Mallory",
        "--email",
        "mallory@example.org",
        "--role",
        "QA Manager",
        "--key",
        &key_file,
    ];
    assert!(refused_as(&env, &add, &mallory_id).contains("is not in the signers registry"));

    // A commit that switches the setting off does not lift the requirement.
    env.git(&["checkout", "-q", "HEAD~2", "--", "people.toml"]);
    sign_with(&env, &owner);
    env.write("sopctl.toml", "signatures = \"optional\"\n");
    env.commit("Relax");
    assert!(
        refused_as(
            &env,
            &["approve", "--role", "QA Manager", "--no-sign"],
            &DANA
        )
        .starts_with("error: this repository requires signed records")
    );
}

/// The first 7 hex digits of HEAD.
fn short_head(env: &TestEnv) -> String {
    env.git(&["rev-parse", "--short=7", "HEAD"])
        .trim()
        .to_string()
}

#[test]
fn a_signed_record_prints_the_registered_name() {
    let env = repo("[QA Manager]", "signatures = \"required\"\n");
    let (_owner, dana) = registered(&env);
    sign_with(&env, &dana);
    let as_alex = [
        ("GIT_COMMITTER_NAME", "Alex Example"),
        ("GIT_COMMITTER_EMAIL", "dana@example.org"),
        ("GIT_AUTHOR_NAME", "Alex Example"),
        ("GIT_AUTHOR_EMAIL", "dana@example.org"),
    ];
    assert_eq!(
        refused_as(&env, &["approve", "--role", "QA Manager"], &as_alex),
        "error: git's name for you is \"Alex Example\", but people.toml registers your key for \"Dana Quality\"; signed records print the registered name\nhint: set your name as registered:  git config user.name \"Dana Quality\"\n"
    );
    approve(&env, "QA Manager", &DANA);
}

/// A person added to the registry on a side branch signs nothing on the current branch before
/// the merge that brings the change in: each record is judged by the registry of its own
/// history, not by the changes made elsewhere before it in time (a helper's case).
#[test]
fn a_person_added_on_a_side_branch_is_not_registered_on_the_current_one_before_the_merge() {
    let env = repo("[QA Manager]", "signatures = \"required\"\n");
    let (owner, _dana) = registered(&env);
    let erin = ssh_key(&env, "erin");
    fn at(date: &str) -> [(&str, &str); 2] {
        [("GIT_COMMITTER_DATE", date), ("GIT_AUTHOR_DATE", date)]
    }
    env.git(&["checkout", "-q", "-b", "side"]);
    let add_erin = [
        "people",
        "add",
        "Erin Ops",
        "--email",
        "erin@example.org",
        "--role",
        "QA Manager",
        "--key",
        "../erin.pub",
    ];
    env.run_in(&env.root, &add_erin, &at("2026-01-05T10:00:00Z"))
        .expect_code(0);
    env.git(&["checkout", "-q", "main"]);
    // Erin's approval on main, after her registration on the side branch in time.
    forge_approval_at(
        &env,
        ("Erin Ops", "erin@example.org"),
        Some(&erin),
        Some("2026-01-06T10:00:00Z"),
    );
    let mut merge = env.command("git");
    merge
        .args(["-c", &format!("user.signingKey={}", owner.display())])
        .args(["merge", "-q", "--no-edit", "-S", "side"])
        .envs(at("2026-01-07T10:00:00Z"));
    assert!(merge.status().expect("git").success());
    let verify = env.run(&["verify"]);
    verify.expect_code(1);
    let approval = env.git(&["log", "-1", "--format=%h", "--grep=approved by Erin"]);
    let short = approval.trim();
    assert!(
        verify.stdout.contains(&format!(
            "  commit {short}: it is signed with SSH key {}, which the signers registry (people.toml) does not list\n",
            super::people::fingerprint(&erin)
        )),
        "{}",
        verify.stdout
    );
}
