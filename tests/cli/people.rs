//! The signers registry, `people.toml` (issue 15, item 2): `sopctl people add`, `remove` and
//! `list` with real SSH keys made by `ssh-keygen`, each change a commit; refusals that leave the
//! repository unchanged; `check` of the registry file.

use std::path::Path;

use crate::errors::refused;
use crate::harness::{TestEnv, sop};
use crate::signing::ssh_key;

/// The SHA-256 fingerprint `ssh-keygen -l` gives for the public half of `key`.
pub(crate) fn fingerprint(key: &Path) -> String {
    let out = std::process::Command::new("ssh-keygen")
        .arg("-lf")
        .arg(key.with_extension("pub"))
        .output()
        .expect("ssh-keygen");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .nth(1)
        .expect("fingerprint")
        .to_string()
}

/// The public key line of `key` as `ssh-keygen` wrote it.
pub(crate) fn public(key: &Path) -> String {
    std::fs::read_to_string(key.with_extension("pub"))
        .expect("public key")
        .trim()
        .to_string()
}

/// A repository with one SOP committed.
fn repo() -> TestEnv {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    env
}

/// `people add` of the repository's owner, Test Owner, with no role and the key `../owner.pub`.
pub(crate) const ADD_OWNER: [&str; 7] = [
    "people",
    "add",
    "Test Owner",
    "--email",
    "owner@example.org",
    "--key",
    "../owner.pub",
];

/// `people add` of Dana Quality, QA Manager, with the key `../dana.pub`.
pub(crate) const ADD_DANA: [&str; 9] = [
    "people",
    "add",
    "Dana Quality",
    "--email",
    "dana@example.org",
    "--role",
    "QA Manager",
    "--key",
    "../dana.pub",
];

const HEADER: &str = "# The signers registry: who may sign this repository's records, in which roles, with which\n# keys. Change it with  sopctl people add  and  sopctl people remove  (each change is a record).\n";

#[test]
fn people_are_added_listed_and_removed_each_as_a_commit() {
    let env = repo();
    let dana = ssh_key(&env, "dana");
    let dana_fp = fingerprint(&dana);
    let run = env.run(&["people", "list"]);
    run.expect_code(0);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "no one is registered in people.toml\nhint: add the people who sign records with  sopctl people add \"Name\" --email EMAIL --role ROLE --key KEY.pub\n"
    );

    let run = env.run(&ADD_DANA);
    run.expect_code(0);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        format!(
            "added Dana Quality <dana@example.org> to people.toml (roles: QA Manager; keys: {dana_fp})\n"
        )
    );
    let dana_block = format!(
        "\n[[person]]\nname = \"Dana Quality\"\nemail = \"dana@example.org\"\nroles = [\"QA Manager\"]\nkeys = [\n    \"{}\",\n]\n",
        public(&dana)
    );
    assert_eq!(env.read("people.toml"), format!("{HEADER}{dana_block}"));
    assert_eq!(
        env.git(&["log", "-1", "--format=%an <%ae>%n%B"]),
        format!(
            "Test Owner <owner@example.org>\npeople: add Dana Quality <dana@example.org>\n\nPeople-Change: add dana@example.org\nPeople-Name: Dana Quality\nPeople-Role: QA Manager\nPeople-Key: {dana_fp}\n\n"
        )
    );
    assert_eq!(env.git(&["status", "--porcelain"]), "");

    let run = env.run(&[
        "people",
        "add",
        "  Erin   Ops ",
        "--email",
        "erin@example.org",
        "--role",
        "Reviewer",
        "--role",
        "Shift Lead",
        "--json",
    ]);
    run.expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(json["change"], "add");
    assert_eq!(json["person"]["name"], "Erin Ops");
    assert_eq!(json["commit"], env.git(&["rev-parse", "HEAD"]).trim());
    assert_eq!(
        run.stderr,
        "added Erin Ops <erin@example.org> to people.toml (roles: Reviewer, Shift Lead; keys: none)\n"
    );

    let list = env.run(&["people", "list"]);
    list.expect_code(0);
    let width = "Dana Quality".len();
    assert_eq!(
        list.stdout,
        format!(
            "{:width$}  EMAIL             ROLES                 KEYS\nDana Quality  dana@example.org  QA Manager            {dana_fp}\nErin Ops      erin@example.org  Reviewer, Shift Lead  -\n",
            "NAME"
        )
    );
    assert_eq!(list.stderr, "");
    let json = env.run(&["people", "list", "--json"]);
    json.expect_code(0);
    let value: serde_json::Value = serde_json::from_str(&json.stdout).expect("json");
    assert_eq!(
        value,
        serde_json::json!([
            {
                "name": "Dana Quality",
                "email": "dana@example.org",
                "roles": ["QA Manager"],
                "keys": [{ "openssh": public(&dana), "fingerprint": dana_fp }]
            },
            { "name": "Erin Ops", "email": "erin@example.org", "roles": ["Reviewer", "Shift Lead"], "keys": [] }
        ])
    );

    let run = env.run(&["people", "remove", "DANA@example.org"]);
    run.expect_code(0);
    assert_eq!(
        run.stderr,
        "removed Dana Quality <dana@example.org> from people.toml; their past records stay as they are\n"
    );
    assert_eq!(
        env.read("people.toml"),
        format!(
            "{HEADER}\n[[person]]\nname = \"Erin Ops\"\nemail = \"erin@example.org\"\nroles = [\"Reviewer\", \"Shift Lead\"]\nkeys = []\n"
        )
    );
    assert_eq!(
        env.git(&["log", "-1", "--format=%B"]),
        "people: remove Dana Quality <dana@example.org>\n\nPeople-Change: remove dana@example.org\nPeople-Name: Dana Quality\n\n"
    );
    let check = env.run(&["check"]);
    check.expect_code(0);
    assert_eq!(check.stderr, "checked 1 SOP: no problems found\n");
    // The global options work below `people` too.
    assert_eq!(
        env.run(&["people", "list", "-q"]).stdout,
        env.run(&["people", "list"]).stdout
    );
    let help = env.run(&["people", "add", "--help"]);
    assert!(help.stdout.contains("Examples:") && help.stdout.contains("--color <WHEN>"));
}

#[test]
fn refused_changes_leave_the_repository_unchanged() {
    let env = repo();
    let dana = ssh_key(&env, "dana");
    let dana_fp = fingerprint(&dana);
    env.run(&[
        "people",
        "add",
        "Dana Quality",
        "--email",
        "dana@example.org",
        "--key",
        "../dana.pub",
    ])
    .expect_code(0);
    let rows: [(&[&str], i32, String); 7] = [
        (
            &["people", "add", "Dana Q", "--email", "Dana@example.org"],
            1,
            "error: Dana@example.org is in people.toml already, as Dana Quality\nhint: to change their roles or keys, remove them with  sopctl people remove Dana@example.org  and add them again\n".into(),
        ),
        (
            &["people", "remove", "erin@example.org"],
            1,
            "error: no one in people.toml has the e-mail address erin@example.org\nhint: sopctl people list  shows who is registered\n".into(),
        ),
        (
            &["people", "remove", "dana@exmaple.org"],
            1,
            "error: no one in people.toml has the e-mail address dana@exmaple.org; did you mean dana@example.org?\nhint: sopctl people list  shows who is registered\n".into(),
        ),
        (
            &["people", "add", "Erin", "--email", "erin@example.org", "--key", "../dana.pub"],
            1,
            format!("error: the key {dana_fp} is registered to Dana Quality <dana@example.org> already; a signing key belongs to one person\nhint: each person registers their own key; sopctl people list shows whose keys are registered\n"),
        ),
        // A private key given by mistake: refused, and never shown.
        (
            &["people", "add", "Erin", "--email", "erin@example.org", "--key", "../dana"],
            1,
            "error: ../dana is a private key, which must stay secret and never goes into the registry\nhint: give its public half instead, the .pub file ssh-keygen made beside it, e.g.  --key ../dana.pub\n".into(),
        ),
        (
            &["people", "add", "Erin", "--email", "erin@example.org", "--key", "../notes.txt"],
            1,
            "error: ../notes.txt:2:1: this is not an OpenSSH public key (it starts with `Erin's` where a key type such as ssh-ed25519 belongs)\nhint: give the .pub file that ssh-keygen made, e.g.  --key ~/.ssh/id_ed25519.pub\n".into(),
        ),
        (
            &["people", "add", "Erin", "--email", "erin at example.org"],
            2,
            "error: --email `erin at example.org` is not an e-mail address such as dana@example.org\n".into(),
        ),
    ];
    std::fs::write(
        env.path("../notes.txt"),
        "# a note\nErin's key is on her laptop\n",
    )
    .expect("notes");
    for (args, code, expected) in &rows {
        assert_eq!(refused(&env, args, *code), *expected, "{args:?}");
    }
    // An edit by hand that is not committed is not folded into a record.
    let text = env.read("people.toml");
    env.write("people.toml", text.replace("Dana Quality", "Dana Q."));
    assert_eq!(
        refused(&env, &["people", "remove", "dana@example.org"], 1),
        "error: people.toml has changes that are not committed; sopctl people records each change as a commit of its own\nhint: commit them first (git commit people.toml), or undo them with  git restore people.toml\n"
    );
    // A committed registry with a problem: the change is refused at the problem's place.
    env.write(
        "people.toml",
        format!("{text}\n[[person]]\nname = \"Erin\"\nemail = \"erin\"\n"),
    );
    env.commit("Erin by hand");
    assert_eq!(
        refused(
            &env,
            &["people", "add", "Fay", "--email", "fay@example.org"],
            1
        ),
        "error: people.toml:14:9: `erin` is not an e-mail address such as dana@example.org\nhint: fix people.toml (sopctl check lists every problem), or undo an edit by hand with  git restore people.toml\n"
    );
}

#[test]
fn check_reports_every_problem_of_the_registry() {
    let env = repo();
    let dana = ssh_key(&env, "dana");
    env.write(
        "people.toml",
        format!(
            "[[person]]\nname = \"Dana\"\nemail = \"dana@example.org\"\nkeys = [\"{}\"]\n\n[[person]]\nname = \"Erin\"\nemail = \"erin@example.org\"\nkeys = [\"{}\", \"ssh-ed25519 AAAAC3NzaC1lZDI1\"]\n",
            public(&dana),
            public(&dana)
        ),
    );
    let run = env.run(&["check"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        format!(
            "people.toml:9:9: error: the key {} is also listed for Dana <dana@example.org>; a signing key belongs to one person, once\npeople.toml:9:{}: error: a key of erin@example.org: this is not an OpenSSH public key (the key's letters after the type are damaged or cut off)\n",
            fingerprint(&dana),
            9 + public(&dana).len() + 4
        )
    );
    env.write(
        "people.toml",
        "[[person]]\nname = \"Dana\"\nemail = \"dana@example.org\"\nrole = \"QA\"\n",
    );
    let run = env.run(&["check"]);
    run.expect_code(1);
    assert_eq!(
        run.stdout,
        "people.toml:4:1: error: unknown key `role`; did you mean `roles`?\n"
    );
}

#[test]
fn a_bar_that_would_split_an_approval_record_is_refused_everywhere() {
    // `|` separates the parts of an `Approved-by:` trailer: a role or name holding one used to
    // be released, and verify then called the release broken.
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        sop("SOP-1", "Alpha").replace("owner: QA\n", "owner: QA\napprovers: [\"QA | Lab\"]\n"),
    );
    env.commit("Add SOP-1");
    let check = env.run(&["check"]);
    check.expect_code(1);
    assert!(
        check
            .stdout
            .starts_with("sops/a.md:6:13: error: the approver `QA | Lab` holds a `|`"),
        "{}",
        check.stdout
    );
    assert_eq!(
        refused(
            &env,
            &[
                "people",
                "add",
                "Erin Ops",
                "--email",
                "erin@example.org",
                "--role",
                "QA | Lab"
            ],
            2
        ),
        "error: --role `QA | Lab` holds a `|`, which separates the parts of an approval in the release record; write it without one (e.g. `QA / Lab`)\n"
    );
    env.git(&["config", "user.name", "Dana | Quality"]);
    assert_eq!(
        refused(&env, &["approve", "--role", "QA Manager"], 1),
        "error: your git name `Dana | Quality` holds a `|`, which separates the parts of an approval in the release record\nhint: set your name without it:  git config user.name \"Your Name\"\n"
    );
}
