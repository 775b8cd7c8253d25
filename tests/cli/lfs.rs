//! Images kept in Git LFS (`cases/` B40, issue 14 item 6): renditions made from git objects (a
//! released version, `publish`) read the image from the LFS store, not the pointer.

use std::process::Command;

use crate::harness::TestEnv;

/// A 40 × 20 red PNG.
fn png() -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD
        .decode("iVBORw0KGgoAAAANSUhEUgAAACgAAAAUCAIAAABwJOjsAAAAJElEQVR4nGM4ISc3IIhh1OJRi0ctHrV41OJRi0ctHrV45FgMAFLhLK5mrmiuAAAAAElFTkSuQmCC")
        .expect("png")
}

fn images_in(pdf: &std::path::Path) -> usize {
    let out = Command::new("pdfimages")
        .arg("-list")
        .arg(pdf)
        .output()
        .expect("pdfimages (poppler-utils) must be installed; CI installs it");
    String::from_utf8_lossy(&out.stdout).lines().skip(2).count()
}

// See: cases/README.md B40 — images kept in Git LFS vanished from every published PDF.
/// The field case B40 made in a new environment: `b40/repo` holds SOP-040, released as 1.0,
/// whose image `img/panel.png` (a real PNG) is kept in Git LFS.
fn b40() -> TestEnv {
    let env = TestEnv::new();
    let png_path = env.path("../panel.png");
    std::fs::write(&png_path, png()).expect("png");
    env.script(
        "cases/B40-lfs-images.sh",
        &[
            &env.path("b40").display().to_string(),
            &png_path.display().to_string(),
        ],
    );
    env
}

#[test]
fn b40_publish_reads_lfs_images_from_the_lfs_store() {
    assert!(
        Command::new("git-lfs").arg("version").output().is_ok(),
        "git-lfs must be installed (CI installs it)"
    );
    let env = b40();
    let repo = env.path("b40/repo");
    let pointer = Command::new("git")
        .args(["show", "HEAD~1:sops/img/panel.png"])
        .current_dir(&repo)
        .output()
        .expect("git");
    assert!(
        String::from_utf8_lossy(&pointer.stdout)
            .starts_with("version https://git-lfs.github.com/spec/v1"),
        "the image is not in LFS"
    );
    assert_eq!(
        images_in(&repo.join("dist/SOP-040/1.0/SOP-040-v1.0.pdf")),
        1,
        "the published PDF has the image"
    );
}

#[test]
fn b40_an_lfs_image_whose_object_is_missing_is_named_with_git_lfs_pull() {
    let env = b40();
    let repo = env.path("b40/repo");
    std::fs::remove_dir_all(repo.join(".git/lfs/objects")).expect("remove the LFS store");
    let run = env.run_in(
        &repo,
        &["render", "SOP-040", "--version", "1.0", "-o", "../out"],
        &[],
    );
    run.expect_code(0);
    assert!(
        run.stdout.starts_with("sops/SOP-040.md:14:1: warning: the image `img/panel.png` is kept in Git LFS, and its content is not in this copy of the repository; its alt text is shown instead: run  git lfs pull  to fetch it\n"),
        "{}",
        run.stderr
    );
    assert_eq!(
        images_in(&env.path("b40/out/SOP-040/1.0/SOP-040-v1.0.pdf")),
        0
    );
}

// Issue 14 item 6: `publish` and `release` report the image problems of what they render.
#[test]
fn publish_and_release_report_the_images_they_cannot_draw() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        crate::harness::sop("SOP-1", "Alpha").replace("Why.", "Why.\n\n![The panel](panel.png)"),
    );
    // A PNG signature and nothing else: a file that ends early.
    env.write("sops/panel.png", b"\x89PNG\r\n\x1a\n");
    env.commit("Add SOP-1");
    let release = env.run(&["release", "-m", "First"]);
    release.expect_code(0);
    let expected = "sops/a.md:15:1: warning: the image `panel.png` is a PNG file that ends early (truncated); its alt text is shown instead: save it again from the program that made it\n";
    assert!(release.stdout.starts_with(expected), "{}", release.stdout);
    std::fs::remove_dir_all(env.path("dist")).expect("dist");
    let publish = env.run(&["publish"]);
    publish.expect_code(0);
    assert!(publish.stdout.contains(expected), "{}", publish.stdout);
    assert_eq!(
        publish.stdout.matches("warning:").count(),
        1,
        "{}",
        publish.stdout
    );
}

// Fresh-user trial (issue 14): with an LFS object missing, publish put a PDF without its image
// on the site, which verify called ALTERED, and kept it after the image came back.
#[test]
fn publish_puts_only_the_copies_a_release_recorded_on_the_site() {
    let env = b40();
    let repo = env.path("b40/repo");
    let store = repo.join(".git/lfs/objects");
    let kept = env.path("lfs-objects");
    std::fs::rename(&store, &kept).expect("put the LFS store aside");
    let _ = std::fs::remove_dir_all(repo.join("dist"));
    let pdf = repo.join("dist/SOP-040/1.0/SOP-040-v1.0.pdf");
    let run = env.run_in(&repo, &["publish"], &[]);
    run.expect_code(1);
    assert!(
        run.stdout.contains("warning: the image `img/panel.png` is kept in Git LFS")
            && run.stdout.contains(": error: the PDF of SOP-040 1.0 made now is not the copy its release recorded (see the problems above), so it is not published; fix them (for an image in Git LFS: git lfs pull) and publish again\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stderr.contains(
            "error: 2 released copies could not be made as released, so the site lacks them\n"
        ),
        "{}",
        run.stderr
    );
    assert!(!pdf.exists(), "no copy without its image on the site");
    // A copy on the site that is not the recorded one is made again once the image is back.
    std::fs::create_dir_all(pdf.parent().expect("folder")).expect("folder");
    std::fs::write(&pdf, "%PDF-1.7 not the released copy\n").expect("stale copy");
    std::fs::rename(&kept, &store).expect("the LFS store back");
    env.run_in(&repo, &["publish"], &[]).expect_code(0);
    let verify = env.run_in(&repo, &["verify", "dist/SOP-040/1.0/SOP-040-v1.0.pdf"], &[]);
    verify.expect_code(0);
    assert!(verify.stdout.contains(", genuine: "), "{}", verify.stdout);
}

// Fresh-user trial (issue 14): in a clone made without LFS content the work tree holds the
// pointer: check called it "not a PNG", and release recorded a version without its image.
#[test]
fn a_clone_without_lfs_content_names_the_pointer_and_release_waits_for_git_lfs_pull() {
    let env = b40();
    let mut clone = env.command("git");
    clone
        .args(["clone", "-q", "b40/repo", "clone"])
        .env("GIT_LFS_SKIP_SMUDGE", "1");
    assert!(clone.status().expect("git clone").success());
    let repo = env.path("clone");
    let check = env.run_in(&repo, &["check"], &[]);
    check.expect_code(0);
    assert!(
        check.stdout.contains("warning: the image `img/panel.png` is kept in Git LFS, and its content is not in this copy of the repository; renditions show its alt text instead: run  git lfs pull  to fetch it\n"),
        "{}",
        check.stdout
    );
    let sop = repo.join("sops/SOP-040.md");
    let text = std::fs::read_to_string(&sop).expect("sop");
    std::fs::write(
        &sop,
        text.replace("start position", "start position (lamp on)"),
    )
    .expect("edit");
    let mut commit = env.command("git");
    commit
        .current_dir(&repo)
        .args(["commit", "-qam", "Edit"])
        .envs(crate::harness::DANA);
    assert!(commit.status().expect("git").success());
    let head = env.git(&["-C", "clone", "rev-parse", "HEAD"]);
    let release = env.run_in(
        &repo,
        &["release", "--patch", "-m", "Lamp"],
        &crate::harness::DANA,
    );
    release.expect_code(1);
    assert!(
        release.stderr.contains("the image img/panel.png is kept in Git LFS, and its content is not in this copy of the repository, so the released copies would lack it; run  git lfs pull  and release again"),
        "{}",
        release.stderr
    );
    assert_eq!(env.git(&["-C", "clone", "rev-parse", "HEAD"]), head);
    assert_eq!(env.git(&["-C", "clone", "tag", "-l", "SOP-040/v1.0.1"]), "");
}
