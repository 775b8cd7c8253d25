//! `sopctl verify` (issue 15 items 5 and 6): the record checked with real SSH keys and git's
//! allowed-signers file, broken in the ways an inspector must catch; downloaded copies of the
//! bundled example checked against the checksums their release tags record.

use std::path::Path;

use crate::harness::{DANA, TestEnv, sop_to_approve};
use crate::people::fingerprint;
use crate::signing::{as_dana, signing_repo, ssh_key, two_signers_repo};

/// A signed repository (the owner's key and Dana's, each trusted for its person) with `SOP-1`
/// needing the QA Manager's approval, approved by Dana with her key and released by the owner
/// as 1.0; the folder holding the keys (keep it while the repository is used); the owner's
/// key's fingerprint and Dana's.
fn approved_release() -> (TestEnv, TestEnv, String, String) {
    let keys = TestEnv::new();
    let key = ssh_key(&keys, "signer");
    let dana = ssh_key(&keys, "dana");
    let env = two_signers_repo(&key, &dana);
    env.write("sops/a.md", sop_to_approve("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    as_dana(&env, &dana, &key, &["approve", "--role", "QA Manager"]);
    env.run(&["release", "-m", "First"]).expect_code(0);
    (env, keys, fingerprint(&key), fingerprint(&dana))
}

/// Makes the annotated tag `tag` again on the same commit with `message`, as `git tag -f -a`
/// does (signed when `tag.gpgSign` asks).
fn retag(env: &TestEnv, tag: &str, message: &str) {
    retag_at(env, tag, message, None);
}

/// [`retag`], made at `date` (git's `GIT_COMMITTER_DATE`) when given.
fn retag_at(env: &TestEnv, tag: &str, message: &str, date: Option<&str>) {
    let file = env.path("../message");
    std::fs::write(&file, message).expect("message");
    let mut retag = env.command("git");
    retag
        .args(["tag", "-f", "-a", "-F", &file.display().to_string()])
        .args([tag, &format!("{tag}^{{commit}}")]);
    if let Some(date) = date {
        retag.env("GIT_COMMITTER_DATE", date);
    }
    assert!(retag.status().expect("git").success());
}

/// The message of the annotated tag `tag`, without its signature.
fn tag_message(env: &TestEnv, tag: &str) -> String {
    env.git(&[
        "tag",
        "-l",
        "--format=%(contents:subject)%0a%0a%(contents:body)",
        tag,
    ])
}

/// The first 7 hex digits of a revision.
fn short(env: &TestEnv, rev: &str) -> String {
    env.git(&["rev-parse", "--short=7", rev]).trim().to_string()
}

#[test]
fn a_whole_record_verifies_with_every_signature_named() {
    let (env, _keys, key, dana) = approved_release();
    env.run(&["review", "-m", "Still right"]).expect_code(0);
    let run = env.run(&["verify"]);
    run.expect_code(0);
    let (release, approval, review) = (
        short(&env, "SOP-1/v1.0.0^{commit}"),
        short(&env, "SOP-1/v1.0.0^{commit}^"),
        short(&env, "HEAD"),
    );
    assert_eq!(
        run.stdout.replace(&key, "KEY").replace(&dana, "DANA-KEY"),
        format!(
            "SOP-1 1.0 (SOP-1/v1.0.0, commit {release}): whole; tag signed by owner@example.org (SSH key KEY)\n\
             review of SOP-1 (periodic review on 2026-01-15, commit {review}): whole; signed by owner@example.org (SSH key KEY)\n\
             approval of SOP-1 (approved by Dana Quality (QA Manager), commit {approval}): whole; signed by dana@example.org (SSH key DANA-KEY)\n"
        )
    );
    assert_eq!(
        run.stderr,
        "the record is whole: 1 release and 2 approval, review and retirement records checked\n"
    );
    let json: serde_json::Value =
        serde_json::from_str(&env.run(&["verify", "--json"]).stdout).expect("json");
    assert_eq!(json["whole"], true);
    assert_eq!(json["releases"][0]["signature"]["state"], "good");
    assert_eq!(json["releases"][0]["signature"]["format"], "ssh");
    assert_eq!(json["releases"][0]["approvals"][0]["name"], "Dana Quality");
    assert_eq!(
        json["releases"][0]["approvals"][0]["commit"],
        env.git(&["rev-parse", "SOP-1/v1.0.0^{commit}^"]).trim()
    );
    assert_eq!(json["records"][0]["kind"], "review");
}

// The tag's message changed and the tag made again (`git tag -f -a`, signed again by git as
// tag.gpgSign asks): the signature is good, but the tag no longer agrees with its commit.
#[test]
fn a_tag_whose_message_was_altered_and_re_created_is_named() {
    let (env, _keys, _, _) = approved_release();
    let message = env.git(&["tag", "-l", "--format=%(contents:body)", "SOP-1/v1.0.0"]);
    let altered = format!("First, reviewed\n\n{}", message.trim());
    retag(&env, "SOP-1/v1.0.0", &altered);
    assert!(env.git_succeeds(&["verify-tag", "SOP-1/v1.0.0"]));
    let run = env.run(&["verify", "SOP-1"]);
    run.expect_code(1);
    let release = short(&env, "SOP-1/v1.0.0^{commit}");
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].starts_with(&format!(
        "SOP-1 1.0 (SOP-1/v1.0.0, commit {release}): 1 problem; tag signed by"
    )));
    assert_eq!(
        lines[1],
        format!(
            "  tag SOP-1/v1.0.0: its summary \"First, reviewed\" differs from the release commit {release}'s \"First\": the tag was changed after the release"
        )
    );
    assert_eq!(
        run.stderr,
        "error: the record is broken: 1 problem found\nhint: each problem names its tag or commit; look at one with  git show NAME  and ask the SOP's owner how it came about\n"
    );
}

#[test]
fn a_tag_with_a_paragraph_added_after_its_record_is_still_checked_as_sopctl_s() {
    // The trailers are no longer the message's last paragraph: the tag used to be taken for
    // one made by another tool, and only its signature was checked.
    let (env, _keys, _, _) = approved_release();
    let message = tag_message(&env, "SOP-1/v1.0.0");
    let altered = format!("{}\n\nNote: summary corrected later\n", message.trim());
    retag(&env, "SOP-1/v1.0.0", &altered);
    let run = env.run(&["verify", "SOP-1"]);
    run.expect_code(1);
    let release = short(&env, "SOP-1/v1.0.0^{commit}");
    assert!(
        run.stdout.contains(&format!(
            "  tag SOP-1/v1.0.0: its message does not end with the release record (Version, Document, Date and Author trailers) that the release commit {release} holds: the tag was changed after the release\n"
        )),
        "{}",
        run.stdout
    );
    assert!(
        !run.stdout.contains("made by another tool"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_deleted_release_tag_is_named_at_its_release_commit() {
    let (env, _keys, _, _) = approved_release();
    let release = short(&env, "SOP-1/v1.0.0^{commit}");
    env.git(&["tag", "-d", "SOP-1/v1.0.0"]);
    let run = env.run(&["verify"]);
    run.expect_code(1);
    assert!(
        run.stdout.contains(&format!(
            "  commit {release}: it is the release of SOP-1 1.0, but there is no release tag SOP-1/v1.0.0 for it: the tag was deleted, so the release is missing from the record\n"
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn a_forged_approval_trailer_in_the_tag_is_reported() {
    let (env, _keys, _, _) = approved_release();
    let message = env.git(&["tag", "-l", "--format=%(contents)", "SOP-1/v1.0.0"]);
    let message = message.split("-----BEGIN").next().expect("message");
    let forged = format!(
        "{}Approved-by: Site Boss <boss@example.org> | role: Site Director | meaning: approved | date: 2026-01-10T08:00:00Z\n",
        message
    );
    retag(&env, "SOP-1/v1.0.0", &forged);
    let run = env.run(&["verify"]);
    run.expect_code(1);
    assert!(
        run.stdout.contains(
            "  tag SOP-1/v1.0.0: it lists an approval by Site Boss <boss@example.org> as Site Director on 2026-01-10T08:00:00Z, but no approval commit since the release before records it\n"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("  tag SOP-1/v1.0.0: its Approved-by trailers ("),
        "{}",
        run.stdout
    );
}

// The approver's name and e-mail, but not their key: the approval commit is signed with a key
// the allowed signers list for someone else.
#[test]
fn a_forged_approval_signed_with_another_persons_key_is_reported() {
    let env = TestEnv::new();
    let owner_key = ssh_key(&env, "owner");
    let dana_key = ssh_key(&env, "dana");
    let env = signing_repo(&owner_key);
    let public = |k: &Path| std::fs::read_to_string(k.with_extension("pub")).expect("pub");
    std::fs::write(
        env.path("../allowed_signers"),
        format!(
            "owner@example.org {}dana@example.org {}",
            public(&owner_key),
            public(&dana_key)
        ),
    )
    .expect("allowed signers");
    env.write("sops/a.md", sop_to_approve("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    // The owner records an approval in Dana's name, signing with the owner's own key.
    env.run_in(&env.root, &["approve", "--role", "QA Manager"], &DANA)
        .expect_code(0);
    let approval = short(&env, "HEAD");
    // The release refuses it (the owner's key makes the approver the author); verify names it.
    let run = env.run(&["verify"]);
    run.expect_code(1);
    assert!(
        run.stdout.contains(&format!(
            "  commit {approval}: it names dana@example.org, but it is signed with the SSH key of owner@example.org ({})\n",
            fingerprint(&owner_key)
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn a_revision_table_edited_by_hand_after_release_is_reported() {
    let env = crate::harness::released_sop();
    env.write(
        "sops/a.md",
        env.read("sops/a.md").replace("Why.", "Why not."),
    );
    env.commit("Edit");
    env.run(&["release", "--minor", "-m", "Second"])
        .expect_code(0);
    let text = env.read("sops/a.md");
    assert!(text.ends_with(
        "| 1.0 | 2025-11-08 | First | Test Owner |\n| 1.1 | 2026-01-15 | Second | Test Owner |\n"
    ));
    env.write(
        "sops/a.md",
        text.replace("| First |", "| First, approved by QA |")
            .replace("| Second |", "| Second, with training |"),
    );
    env.commit("Tidy the history");
    let run = env.run(&["verify"]);
    run.expect_code(1);
    let head = short(&env, "HEAD");
    assert_eq!(
        run.stdout,
        format!(
            "SOP-1 1.0 (SOP-1/v1.0.0, commit {}): whole; tag unsigned\n\
             SOP-1 1.1 (SOP-1/v1.1.0, commit {}): whole; tag unsigned\n\
             current files:\n\
             \x20 sops/a.md at HEAD (commit {head}): the revision history's row for 1.0 reads \"1.0 | 2025-11-08 | First, approved by QA | Test Owner\", but the release that adopted the SOP kept it as \"1.0 | 2025-11-08 | First | Test Owner\"\n\
             \x20 sops/a.md at HEAD (commit {head}): the revision history shows changes as \"Second, with training\" for 1.1, but the release record says \"Second\"\n",
            short(&env, "SOP-1/v1.0.0^{commit}"),
            short(&env, "SOP-1/v1.1.0^{commit}"),
        )
    );
}

#[test]
fn malformed_lifecycle_records_are_named() {
    let env = crate::harness::released_sop();
    env.git(&[
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "SOP-1: periodic review\n\nReview-Document: SOP-1\nReview-Date: 2026-13-45\nReview-By: someone",
    ]);
    env.git(&[
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        "SOP-1: superseded\n\nRetired-Document: SOP-1\nRetired-Status: superseded",
    ]);
    let (review, retirement) = (short(&env, "HEAD^"), short(&env, "HEAD"));
    let run = env.run(&["verify"]);
    run.expect_code(1);
    let lines: Vec<&str> = run.stdout.lines().skip(1).collect();
    assert_eq!(
        lines,
        [
            format!(
                "retirement of SOP-1 (withdrawn as superseded, commit {retirement}): 1 problem; unsigned"
            ),
            format!("  commit {retirement}: it says superseded but has no Superseded-By trailer"),
            format!(
                "review of SOP-1 (periodic review on 2026-13-45, commit {review}): 2 problems; unsigned"
            ),
            format!("  commit {review}: its date `2026-13-45` is not a date (YYYY-MM-DD)"),
            format!(
                "  commit {review}: its Review-By `someone` is not a name and e-mail (Name <email>)"
            ),
        ]
    );
}

/// The bundled example: 1.0 and 1.1, their renditions in dist/.
fn example() -> TestEnv {
    let env = TestEnv::new();
    env.run(&["init", "demo", "--example"]).expect_code(0);
    env
}

#[test]
fn downloaded_copies_of_the_example_are_genuine_altered_or_superseded() {
    let env = example();
    let demo = env.path("demo");
    let pdf_1_0 = env.path("demo/dist/SOP-IT-001/1.0/SOP-IT-001-v1.0.pdf");
    let downloads = env.path("../downloads");
    std::fs::create_dir_all(&downloads).expect("downloads");
    std::fs::copy(&pdf_1_0, downloads.join("SOP-IT-001-v1.0.pdf")).expect("copy");
    std::fs::copy(
        env.path("demo/dist/SOP-IT-001/1.1/SOP-IT-001-v1.1.html"),
        downloads.join("SOP-IT-001-v1.1.html"),
    )
    .expect("copy");
    let mut altered = std::fs::read(&pdf_1_0).expect("pdf");
    let middle = altered.len() / 2;
    altered[middle] ^= 0x01;
    std::fs::write(downloads.join("altered.pdf"), altered).expect("altered");
    for (file, code, line) in [
        (
            "SOP-IT-001-v1.0.pdf",
            0,
            "SOP-IT-001 version 1.0, genuine: its bytes match the release record SOP-IT-001/v1.0.0 (which is not signed, so it shows what the repository holds, not who vouched for it); superseded by 1.1",
        ),
        (
            "SOP-IT-001-v1.1.html",
            0,
            "SOP-IT-001 version 1.1, genuine: its bytes match the release record SOP-IT-001/v1.1.0 (which is not signed, so it shows what the repository holds, not who vouched for it); current",
        ),
        (
            "altered.pdf",
            1,
            "claims to be SOP-IT-001 version 1.0, but it is ALTERED: its bytes match none of the renditions the release record SOP-IT-001/v1.0.0 lists; superseded by 1.1",
        ),
    ] {
        let path = downloads.join(file).display().to_string();
        let run = env.run_in(&demo, &["verify", &path], &[]);
        run.expect_code(code);
        assert_eq!(run.stdout, format!("[ROOT]/../downloads/{file}: {line}\n"));
        let stderr = if code == 0 {
            ""
        } else {
            "error: 1 copy is not the copy its release recorded\nhint: use only a copy that  sopctl verify  says is genuine and current; the SOP's owner can publish the current version with  sopctl publish\n"
        };
        assert_eq!(run.stderr, stderr, "{file}");
    }
    // The record itself is whole.
    env.run_in(&demo, &["verify"], &[]).expect_code(0);
}

#[test]
fn a_copy_that_names_no_sop_or_a_version_never_released_is_not_genuine() {
    let env = example();
    let demo = env.path("demo");
    let page = env.path("../page.html");
    std::fs::write(&page, "<html><head><title>x</title></head></html>").expect("page");
    let run = env.run_in(&demo, &["verify", &page.display().to_string()], &[]);
    run.expect_code(1);
    assert!(run.stdout.ends_with(
        "page.html: this HTML does not say which SOP it is (no SOP-ID in its metadata), so it is not a copy of an SOP that sopctl made: a redline or a page of the download site is not one, and renditions made before sopctl recorded their ID do not say it\n"
    ), "{}", run.stdout);
    let html = std::fs::read_to_string(env.path("demo/dist/SOP-IT-001/1.1/SOP-IT-001-v1.1.html"))
        .expect("html")
        .replace("content=\"1.1\"", "content=\"1.2\"");
    std::fs::write(&page, html).expect("page");
    let run = env.run_in(
        &demo,
        &["verify", &page.display().to_string(), "--json"],
        &[],
    );
    run.expect_code(1);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
    assert_eq!(json["whole"], false);
    assert_eq!(json["copies"][0]["finding"], "not-released");
    assert_eq!(json["copies"][0]["genuine"], false);
    assert_eq!(
        json["copies"][0]["summary"],
        "claims to be SOP-IT-001 version 1.2, which was never released (its releases are 1.0, 1.1)"
    );
}

// The tag object edited under its signature (not signed again): the signature no longer
// matches what it signs.
#[test]
fn a_tag_changed_under_its_signature_is_named() {
    let (env, _keys, _, _) = approved_release();
    let raw = env.git(&["cat-file", "tag", "SOP-1/v1.0.0"]);
    let changed = raw.replacen("\n\nFirst\n", "\n\nFirst, corrected\n", 1);
    assert_ne!(raw, changed);
    let mut hash = env
        .command("git")
        .args(["hash-object", "-t", "tag", "-w", "--stdin"])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("git");
    use std::io::Write;
    hash.stdin
        .take()
        .expect("stdin")
        .write_all(changed.as_bytes())
        .expect("write");
    let out = hash.wait_with_output().expect("git ends");
    let id = String::from_utf8_lossy(&out.stdout).trim().to_string();
    env.git(&["update-ref", "refs/tags/SOP-1/v1.0.0", &id]);
    assert!(!env.git_succeeds(&["verify-tag", "SOP-1/v1.0.0"]));
    let run = env.run(&["verify"]);
    run.expect_code(1);
    assert!(
        run.stdout.contains(
            "  tag SOP-1/v1.0.0: its signature is broken: it does not match the record: the record was changed after it was signed\n"
        ),
        "{}",
        run.stdout
    );
}

// A repository's own page template that leaves the identity out still gets it, after <head>.
#[test]
fn renditions_carry_their_identity_even_with_a_page_template_of_the_repository() {
    let env = crate::harness::released_sop();
    env.write(
        "templates/page.html",
        "<!DOCTYPE html>\n<html><head><title>{{ meta.title }}</title></head><body>{{ body }}</body></html>\n",
    );
    let run = env.run(&["render", "--format", "html", "-o", "-"]);
    run.expect_code(0);
    assert!(
        run.stdout.starts_with(
            "<!DOCTYPE html>\n<html><head>\n<meta name=\"sop-id\" content=\"SOP-1\">\n<meta name=\"sop-version\" content=\"1.0\">\n<meta name=\"sop-status\" content=\"effective\">\n<title>Alpha</title>"
        ),
        "{}",
        run.stdout
    );
}

#[test]
fn a_tag_made_again_later_with_the_same_message_is_named() {
    // The release's owner re-signs the tag months later (say with another copy's checksum):
    // its message agrees with the commit, but sopctl writes tag and commit at one time.
    let (env, _keys, _, _) = approved_release();
    let message = tag_message(&env, "SOP-1/v1.0.0");
    retag_at(
        &env,
        "SOP-1/v1.0.0",
        message.trim(),
        Some("2027-06-01T10:00:00Z"),
    );
    let run = env.run(&["verify", "SOP-1"]);
    run.expect_code(1);
    let release = short(&env, "SOP-1/v1.0.0^{commit}");
    assert!(
        run.stdout.contains(&format!(
            "  tag SOP-1/v1.0.0: it was made at 2027-06-01 10:00:00 UTC, but its release commit {release} at "
        )) && run.stdout.contains(": the tag was made again after the release\n"),
        "{}",
        run.stdout
    );
    // A copy checked against that tag is not called genuine.
    let pdf = env
        .path("dist/SOP-1/1.0/SOP-1-v1.0.pdf")
        .display()
        .to_string();
    let copy = env.run(&["verify", &pdf]);
    copy.expect_code(1);
    assert!(
        copy.stdout
            .contains("the tag was made again after the release")
            && !copy.stdout.contains("genuine"),
        "{}",
        copy.stdout
    );
}

#[test]
fn a_copy_checked_outside_any_repository_says_where_to_check_it() {
    let env = example();
    std::fs::copy(
        env.path("demo/dist/SOP-IT-001/1.0/SOP-IT-001-v1.0.pdf"),
        env.path("SOP-IT-001-v1.0.pdf"),
    )
    .expect("copy");
    let run = env.run(&["verify", "SOP-IT-001-v1.0.pdf"]);
    run.expect_code(1);
    assert_eq!(
        run.stderr,
        "error: [ROOT] is not in a git repository, so there are no release records to check SOP-IT-001-v1.0.pdf against\nhint: run it inside a copy (git clone) of the repository the SOP comes from:  cd REPOSITORY  then  sopctl verify FILE\n"
    );
}
