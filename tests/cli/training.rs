//! Training records (issue 17): `sopctl ack`, `sopctl training`, retraining by kind of release.

use crate::harness::{TestEnv, sop};

/// Olga Operator's git identity.
const OLGA: [(&str, &str); 4] = [
    ("GIT_COMMITTER_NAME", "Olga Operator"),
    ("GIT_COMMITTER_EMAIL", "olga@example.org"),
    ("GIT_AUTHOR_NAME", "Olga Operator"),
    ("GIT_AUTHOR_EMAIL", "olga@example.org"),
];

/// Records made on TODAY by git's clock too: a release's tag time tells whether it was made
/// ahead of its effective day (then training is due on that day).
const ON_TODAY: [(&str, &str); 2] = [
    ("GIT_COMMITTER_DATE", "2026-01-15T10:00:00Z"),
    ("GIT_AUTHOR_DATE", "2026-01-15T10:00:00Z"),
];

/// A repository with SOP-1 (audience Operators), released as 1.0 on TODAY, and two Operators
/// registered: Olga and "Piet, Jr." (a name with a comma).
fn trained_repo() -> TestEnv {
    let env = TestEnv::repo();
    let text = sop("SOP-1", "Line clearance")
        .replace("effective: 2025-11-08\n", "")
        .replace("owner: QA\n", "owner: QA\naudience: [Operators]\n");
    env.write("sops/a.md", text);
    env.commit("Add SOP-1");
    env.run_in(&env.root, &["release", "-m", "First"], &ON_TODAY)
        .expect_code(0);
    for (name, email) in [
        ("Olga Operator", "olga@example.org"),
        ("Piet, Jr.", "piet@example.org"),
    ] {
        env.run(&[
            "people",
            "add",
            name,
            "--email",
            email,
            "--role",
            "Operators",
        ])
        .expect_code(0);
    }
    env
}

/// `training --json` as (email, state, trained_version, due) rows.
fn matrix(env: &TestEnv, vars: &[(&str, &str)]) -> Vec<(String, String, String, String)> {
    let run = env.run_in(&env.root, &["training", "--json"], vars);
    run.expect_code(0);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    json.as_array()
        .expect("list")
        .iter()
        .map(|c| {
            let s = |k: &str| c[k].as_str().unwrap_or("-").to_string();
            (s("email"), s("state"), s("trained_version"), s("due"))
        })
        .collect()
}

/// Edits SOP-1 and releases it with `args`.
fn release(env: &TestEnv, edit: &str, args: &[&str]) {
    let text = env.read("sops/a.md");
    env.write("sops/a.md", text.replace("Why.", &format!("Why. {edit}")));
    env.commit(edit);
    let mut all = vec!["release"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["-m", edit]);
    env.run_in(&env.root, &all, &ON_TODAY).expect_code(0);
}

fn row(email: &str, state: &str, version: &str, due: &str) -> (String, String, String, String) {
    (email.into(), state.into(), version.into(), due.into())
}

#[test]
fn acknowledgements_follow_the_kind_of_release_and_never_touch_the_sops_history() {
    let env = trained_repo();
    let ack = env.run_in(
        &env.root,
        &["ack", "SOP-1", "-m", "Read with the lead"],
        &OLGA,
    );
    ack.expect_code(0);
    assert!(
        ack.stderr
            .starts_with("recorded that Olga Operator has read and understood SOP-1 1.0 (commit "),
        "{}",
        ack.stderr
    );
    // The record is on its own branch, with its trailers; the SOPs' history has none.
    let main_log = env.git(&["log", "--format=%B", "HEAD"]);
    assert!(!main_log.contains("Ack-"), "{main_log}");
    let record = env.git(&["log", "-1", "--format=%B", "sopctl/training"]);
    assert!(
        record.starts_with("SOP-1: Olga Operator read and understood 1.0\n\nRead with the lead\n\nAck-Document: SOP-1\nAck-Version: 1.0.0\nAck-Content: sha256:"),
        "{record}"
    );
    let file = env.git(&["show", "sopctl/training:acks/olga@example.org"]);
    assert!(file.starts_with("SOP-1\t1.0.0\tsha256:"), "{file}");
    assert_eq!(
        matrix(&env, &[]),
        [
            row("olga@example.org", "trained", "1.0", "-"),
            row("piet@example.org", "pending", "-", "2026-02-14"),
        ]
    );

    // Again: nothing to do, nothing changed.
    let refs = env.git(&["for-each-ref"]);
    let again = env.run_in(&env.root, &["ack", "SOP-1"], &OLGA);
    again.expect_code(0);
    assert!(
        again.stderr.contains(
            "Olga Operator already recorded reading SOP-1 1.0 on 2026-01-15: nothing to do"
        ),
        "{}",
        again.stderr
    );
    assert_eq!(env.git(&["for-each-ref"]), refs);
    // Refused, every ref unchanged: a person not registered, another version.
    let stranger = env.run(&["ack", "SOP-1"]);
    stranger.expect_code(1);
    assert!(
        stranger
            .stderr
            .starts_with("error: owner@example.org is not in people.toml")
            || stranger
                .stderr
                .contains("is not in people.toml, so their training is not recorded"),
        "{}",
        stranger.stderr
    );
    let other = env.run_in(&env.root, &["ack", "SOP-1", "--version", "0.9"], &OLGA);
    other.expect_code(1);
    assert!(
        other
            .stderr
            .starts_with("error: SOP-1 0.9 is not the version to know: 1.0 is in force"),
        "{}",
        other.stderr
    );
    assert_eq!(env.git(&["for-each-ref"]), refs);

    // A patch, then a minor release without retraining: Olga's 1.0 still counts.
    release(&env, "Typo", &["--patch"]);
    release(&env, "Wording", &["--minor", "--no-retrain"]);
    let tag = env.git(&["tag", "-l", "-n99", "SOP-1/v1.1.0"]);
    assert!(tag.contains("Retrain: no"), "{tag}");
    assert_eq!(
        matrix(&env, &[])[0],
        row("olga@example.org", "trained", "1.0", "-")
    );
    // A minor release: everyone again.
    release(&env, "New step", &["--minor"]);
    assert_eq!(
        matrix(&env, &[]),
        [
            row("olga@example.org", "pending", "-", "2026-02-14"),
            row("piet@example.org", "pending", "-", "2026-02-14"),
        ]
    );
    let list = env.run(&["list"]);
    assert!(list.stdout.contains("TRAINING"), "{}", list.stdout);
    assert!(list.stdout.contains(" 2 pending"), "{}", list.stdout);
    // Nobody holds a misspelt audience role: check says so.
    let text = env.read("sops/a.md");
    env.write(
        "sops/a.md",
        text.replace("audience: [Operators]", "audience: [Operators, Operatorz]"),
    );
    let check = env.run(&["check"]);
    assert!(
        check
            .stdout
            .contains("warning: nobody in people.toml holds the audience role `Operatorz`"),
        "{}",
        check.stdout
    );
    env.write("sops/a.md", text);
    // Someone not registered has no to-do list.
    let stranger = env.run(&["training", "--me"]);
    stranger.expect_code(1);
    assert!(
        stranger.stderr.starts_with(
            "error: you (owner@example.org, your git user.email) are not in people.toml"
        ),
        "{}",
        stranger.stderr
    );

    // Released ahead of its day: due on that day, and overdue the day after.
    release(&env, "Ahead", &["--minor", "--effective", "2026-01-20"]);
    for (today, state) in [
        ("2026-01-19", "pending"),
        ("2026-01-20", "pending"),
        ("2026-01-21", "overdue"),
    ] {
        assert_eq!(
            matrix(&env, &[("SOPCTL_TODAY", today)])[1],
            row("piet@example.org", state, "-", "2026-01-20"),
            "{today}"
        );
    }
    let later = [("SOPCTL_TODAY", "2026-03-01")];
    assert_eq!(
        matrix(&env, &later)[1],
        row("piet@example.org", "overdue", "-", "2026-01-20")
    );
    let ci = env.run_in(&env.root, &["training", "--exit-code"], &later);
    ci.expect_code(1);
    assert!(
        ci.stderr.contains("error: 2 trainings are overdue"),
        "{}",
        ci.stderr
    );
    env.run(&["training", "--exit-code"]).expect_code(0);

    // A withdrawn SOP is not trained on.
    env.run(&["retire", "SOP-1", "-m", "No longer done"])
        .expect_code(0);
    let withdrawn = env.run_in(&env.root, &["ack", "SOP-1"], &OLGA);
    withdrawn.expect_code(1);
    assert!(
        withdrawn
            .stderr
            .starts_with("error: SOP-1 is obsolete: a withdrawn SOP is not trained on"),
        "{}",
        withdrawn.stderr
    );
}

#[test]
fn the_csv_opens_in_a_spreadsheet_and_me_is_a_to_do_list() {
    let env = trained_repo();
    env.run_in(&env.root, &["ack", "SOP-1"], &OLGA)
        .expect_code(0);
    let csv = env.run(&["training", "--csv"]);
    csv.expect_code(0);
    assert!(
        csv.stdout.ends_with("\r\n"),
        "RFC 4180 ends lines with CRLF"
    );
    let lines: Vec<&str> = csv.stdout.lines().collect();
    assert_eq!(
        lines[0],
        "sop,title,version,name,email,roles,state,trained_version,trained_on,due"
    );
    assert_eq!(
        lines[1],
        "SOP-1,Line clearance,1.0,Olga Operator,olga@example.org,Operators,trained,1.0,2026-01-15,"
    );
    assert_eq!(
        lines[2],
        "SOP-1,Line clearance,1.0,\"Piet, Jr.\",piet@example.org,Operators,pending,,,2026-02-14"
    );
    // Python's csv module, as a spreadsheet would, reads the quoted name as one cell.
    env.write("t.csv", &csv.stdout);
    let out = env
        .command("python3")
        .args([
            "-c",
            "import csv,sys; rows=list(csv.reader(open(sys.argv[1]))); print(len(rows), rows[2][3])",
            "t.csv",
        ])
        .current_dir(&env.root)
        .output()
        .expect("python3");
    assert_eq!(String::from_utf8_lossy(&out.stdout), "3 Piet, Jr.\n");

    let me = env.run_in(&env.root, &["training", "--me"], &OLGA);
    me.expect_code(0);
    assert_eq!(
        me.stdout,
        "Nothing to read: you are trained on every SOP you must know.\nDone:\n  SOP-1 \"Line clearance\": trained 2026-01-15 (1.0)\n"
    );
}

/// Piet's git identity.
const PIET: [(&str, &str); 4] = [
    ("GIT_COMMITTER_NAME", "Piet, Jr."),
    ("GIT_COMMITTER_EMAIL", "piet@example.org"),
    ("GIT_AUTHOR_NAME", "Piet, Jr."),
    ("GIT_AUTHOR_EMAIL", "piet@example.org"),
];

#[test]
fn records_made_in_two_clones_are_read_together_and_joined_by_the_next_record() {
    let origin = trained_repo();
    let text = sop("SOP-2", "Changeover")
        .replace("effective: 2025-11-08\n", "")
        .replace("owner: QA\n", "owner: QA\naudience: [Operators]\n");
    origin.write("sops/b.md", text);
    origin.commit("Add SOP-2");
    origin
        .run(&["release", "SOP-2", "-m", "First"])
        .expect_code(0);
    // Olga acknowledges in the first repository, Piet in a clone of it.
    origin
        .run_in(&origin.root, &["ack", "SOP-1"], &OLGA)
        .expect_code(0);
    let clone = origin.path("clone");
    origin.git(&["clone", "-q", origin.root.to_str().expect("path"), "clone"]);
    origin.git(&[
        "-C",
        "clone",
        "update-ref",
        "-d",
        "refs/remotes/origin/sopctl/training",
    ]);
    origin
        .run_in(&clone, &["ack", "SOP-1"], &PIET)
        .expect_code(0);
    // Fetched, both records count in the clone without any merge.
    origin.git(&["-C", "clone", "fetch", "-q", "origin"]);
    let run = origin.run_in(&clone, &["training", "SOP-1", "--json"], &[]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    let states: Vec<&str> = json
        .as_array()
        .expect("list")
        .iter()
        .map(|c| c["state"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(states, ["trained", "trained"]);
    // Acknowledging again records nothing new, but joins the fetched branch: a merge holding
    // both people's files, so that the branch can be pushed.
    let again = origin.run_in(&clone, &["ack", "SOP-1"], &PIET);
    again.expect_code(0);
    assert!(
        again
            .stderr
            .contains("joined the training records fetched from elsewhere"),
        "{}",
        again.stderr
    );
    let parents = origin.git(&["-C", "clone", "log", "-1", "--format=%P", "sopctl/training"]);
    assert_eq!(parents.split_whitespace().count(), 2, "{parents}");
    let files = origin.git(&[
        "-C",
        "clone",
        "ls-tree",
        "--name-only",
        "sopctl/training",
        "acks/",
    ]);
    assert_eq!(files, "acks/olga@example.org\nacks/piet@example.org\n");
    // The next record is an ordinary commit on top.
    origin
        .run_in(&clone, &["ack", "SOP-2"], &PIET)
        .expect_code(0);
    let piet = origin.git(&[
        "-C",
        "clone",
        "show",
        "sopctl/training:acks/piet@example.org",
    ]);
    assert_eq!(piet.lines().count(), 2, "{piet}");
    // The merged branch goes back with a plain push.
    origin.git(&["-C", "clone", "push", "-q", "origin", "sopctl/training"]);
}

#[test]
fn verify_names_a_record_added_to_the_training_branch_by_hand() {
    let env = trained_repo();
    env.run_in(&env.root, &["ack", "SOP-1"], &OLGA)
        .expect_code(0);
    let whole = env.run(&["verify"]);
    whole.expect_code(0);
    // Someone writes Piet's "acknowledgement" by hand: a line in Piet's file.
    let forged = "SOP-1\t1.0.0\tsha256:0000\t2026-01-15T10:00:00Z\t2026-01-15\tPiet, Jr.\t\n";
    env.write("forged.txt", forged);
    let blob = env.git(&["hash-object", "-w", "forged.txt"]);
    let tip = env.git(&["rev-parse", "sopctl/training"]);
    let tree = env.git(&["rev-parse", "sopctl/training^{tree}"]);
    let acks = env.git(&["rev-parse", &format!("{}:acks", tree.trim())]);
    let listing = format!(
        "{}100644 blob {}\tpiet@example.org\n",
        env.git(&["ls-tree", acks.trim()]),
        blob.trim()
    );
    env.write("listing.txt", &listing);
    let out = env
        .command("git")
        .args(["mktree"])
        .stdin(std::fs::File::open(env.path("listing.txt")).expect("listing"))
        .current_dir(&env.root)
        .output()
        .expect("mktree");
    let new_acks = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let root = format!("040000 tree {new_acks}\tacks\n");
    env.write("root.txt", &root);
    let out = env
        .command("git")
        .args(["mktree"])
        .stdin(std::fs::File::open(env.path("root.txt")).expect("root"))
        .current_dir(&env.root)
        .output()
        .expect("mktree");
    let new_root = String::from_utf8_lossy(&out.stdout).trim().to_string();
    let commit = env.git(&["commit-tree", &new_root, "-p", tip.trim(), "-m", "Add Piet"]);
    env.git(&["update-ref", "refs/heads/sopctl/training", commit.trim()]);
    let trailers = env.git(&[
        "commit-tree",
        &new_root,
        "-p",
        tip.trim(),
        "-m",
        "SOP-1: Piet read and understood 1.0",
        "-m",
        "Ack-Document: SOP-1\nAck-Version: 1.0.0\nAck-Content: sha256:0000\nAck-Name: Piet, Jr.\nAck-Email: piet@example.org\nAck-Date: 2026-01-15T10:00:00Z",
    ]);
    let later = env.copy();
    later.git(&["update-ref", "refs/heads/sopctl/training", trailers.trim()]);
    let unbound = later.run(&["verify"]);
    unbound.expect_code(1);
    assert!(
        unbound.stdout.contains(&format!(
            "  commit {}: the acknowledgement of SOP-1 1.0.0 is not bound to the released text",
            &trailers.trim()[..7]
        )),
        "{}",
        unbound.stdout
    );

    // The matrix counts what the branch holds; the inspector's check names the commit.
    let broken = env.run(&["verify"]);
    broken.expect_code(1);
    assert!(
        broken.stdout.contains(&format!(
            "training records (sopctl/training):\n  commit {}: a commit on the training branch that is not an acknowledgement",
            &commit.trim()[..7]
        )),
        "{}",
        broken.stdout
    );
}
