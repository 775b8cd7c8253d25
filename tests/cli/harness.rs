//! `TestEnv`: a temporary folder (usually a git repository) and the real binary run in it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// The date every test runs on (`SOPCTL_TODAY`).
pub(crate) const TODAY: &str = "2026-01-15";

/// An approver's identity (git's environment variables), another person than the test
/// repository's owner: `env.run_in(&env.root, &["approve", …], &DANA)`.
pub(crate) const DANA: [(&str, &str); 4] = [
    ("GIT_COMMITTER_NAME", "Dana Quality"),
    ("GIT_COMMITTER_EMAIL", "dana@example.org"),
    ("GIT_AUTHOR_NAME", "Dana Quality"),
    ("GIT_AUTHOR_EMAIL", "dana@example.org"),
];

/// `sopctl init --example` made on [`TODAY`] releases 1.0 99 days before it...
pub(crate) const EXAMPLE_1_0: &str = "2025-10-08";
/// ...and 1.1 14 days before it...
pub(crate) const EXAMPLE_1_1: &str = "2026-01-01";
/// ...so its quarterly review is next due on this day, after [`TODAY`].
pub(crate) const EXAMPLE_NEXT_REVIEW: &str = "2026-04-01";

/// A temporary workspace for one test.
pub(crate) struct TestEnv {
    _dir: tempfile::TempDir,
    /// The folder commands run in by default.
    pub(crate) root: PathBuf,
    home: PathBuf,
}

/// What a run printed and how it ended.
#[derive(Debug)]
pub(crate) struct Run {
    pub(crate) stdout: String,
    pub(crate) stderr: String,
    pub(crate) code: i32,
}

impl Run {
    /// Asserts the exit code, showing the output on failure.
    #[track_caller]
    pub(crate) fn expect_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "unexpected exit code\n--- stdout ---\n{}\n--- stderr ---\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

impl TestEnv {
    /// An empty folder, not a git repository.
    pub(crate) fn new() -> TestEnv {
        // The system temp folder, not the target folder: that lies inside this project's own
        // git repository, which sopctl would find by walking up.
        let dir = tempfile::Builder::new()
            .prefix("sopctl-test-")
            .tempdir()
            .expect("temp dir");
        let root = dir.path().join("work");
        let home = dir.path().join("home");
        std::fs::create_dir_all(&root).expect("work");
        std::fs::create_dir_all(&home).expect("home");
        let root = root.canonicalize().expect("canonical");
        TestEnv {
            _dir: dir,
            root,
            home,
        }
    }

    /// A git repository with an identity and a default `sops/` folder.
    pub(crate) fn repo() -> TestEnv {
        let env = TestEnv::new();
        env.git(&["init", "-q", "-b", "main"]);
        env.git(&["config", "user.name", "Test Owner"]);
        env.git(&["config", "user.email", "owner@example.org"]);
        std::fs::create_dir_all(env.root.join("sops")).expect("sops");
        std::fs::write(env.root.join(".gitignore"), "/dist/\n/drafts/\n").expect(".gitignore");
        env
    }

    /// Writes a file (parents created) relative to the root.
    pub(crate) fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        let path = self.root.join(rel);
        std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
        std::fs::write(path, contents).expect("write");
        self
    }

    /// Reads a file relative to the root.
    pub(crate) fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.root.join(rel)).unwrap_or_else(|e| panic!("read {rel}: {e}"))
    }

    /// A path below the root.
    pub(crate) fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    fn hermetic(&self, cmd: &mut Command) {
        cmd.env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", &self.home)
            .env("XDG_CONFIG_HOME", self.home.join(".config"))
            .env("GIT_CONFIG_GLOBAL", "/dev/null")
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_DATE", "2025-11-08T09:00:00Z")
            .env("GIT_COMMITTER_DATE", "2025-11-08T09:00:00Z")
            .env("TZ", "UTC")
            .env("LANG", "C.UTF-8")
            .env("NO_COLOR", "1")
            .env("COLUMNS", "100")
            .env("SOURCE_DATE_EPOCH", "1762592400")
            .env("SOPCTL_TODAY", TODAY);
    }

    /// `program` to run in the root with the hermetic environment of every run here (for a
    /// run the helpers below do not cover: in the background, under strace, …).
    pub(crate) fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut cmd = Command::new(program);
        self.hermetic(&mut cmd);
        cmd.current_dir(&self.root);
        cmd
    }

    /// A new test environment whose root is a copy (`cp -a`) of this one's: the fast way to
    /// give each trial of a test the same repository.
    pub(crate) fn copy(&self) -> TestEnv {
        let env = TestEnv::new();
        std::fs::remove_dir(&env.root).expect("empty root");
        let out = Command::new("cp")
            .arg("-a")
            .arg(&self.root)
            .arg(&env.root)
            .output()
            .expect("cp runs");
        assert!(
            out.status.success(),
            "cp -a failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        env
    }

    /// Runs git in the root, hermetically.
    fn git_output(&self, args: &[&str]) -> std::process::Output {
        self.command("git").args(args).output().expect("git runs")
    }

    /// Runs git in the root; panics when it fails.
    pub(crate) fn git(&self, args: &[&str]) -> String {
        let out = self.git_output(args);
        assert!(
            out.status.success(),
            "git {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Commits everything with a message.
    pub(crate) fn commit(&self, message: &str) -> &Self {
        self.git(&["add", "-A"]);
        self.git(&["commit", "-q", "-m", message]);
        self
    }

    /// Runs sopctl in the root.
    pub(crate) fn run(&self, args: &[&str]) -> Run {
        self.run_in(&self.root, args, &[])
    }

    /// Runs sopctl in `dir` with extra environment variables.
    pub(crate) fn run_in(&self, dir: &Path, args: &[&str], vars: &[(&str, &str)]) -> Run {
        let mut cmd = self.command(env!("CARGO_BIN_EXE_sopctl"));
        for (k, v) in vars {
            cmd.env(k, v);
        }
        self.finish(cmd, args, dir)
    }

    /// Runs sopctl in the root at the fixed instant `now` (RFC 3339, e.g.
    /// `2026-01-15T11:30:00Z`) instead of the fixed day [`TODAY`]: git and sopctl take it as
    /// now (`GIT_COMMITTER_DATE`), so today's date depends on the time zone sopctl uses.
    pub(crate) fn run_at(&self, now: &str, args: &[&str], vars: &[(&str, &str)]) -> Run {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sopctl"));
        self.hermetic(&mut cmd);
        cmd.env_remove("SOPCTL_TODAY")
            .env("GIT_AUTHOR_DATE", now)
            .env("GIT_COMMITTER_DATE", now);
        for (k, v) in vars {
            cmd.env(k, v);
        }
        self.finish(cmd, args, &self.root)
    }

    fn finish(&self, mut cmd: Command, args: &[&str], dir: &Path) -> Run {
        let out = cmd
            .args(args)
            .current_dir(dir)
            .output()
            .expect("sopctl runs");
        let clean = |b: &[u8]| {
            String::from_utf8_lossy(b).replace(&self.root.display().to_string(), "[ROOT]")
        };
        Run {
            stdout: clean(&out.stdout),
            stderr: clean(&out.stderr),
            code: out.status.code().unwrap_or(-1),
        }
    }
}

/// What a run printed, stdout as bytes (a PDF written to standard output).
#[derive(Debug)]
pub(crate) struct RawRun {
    pub(crate) stdout: Vec<u8>,
    pub(crate) stderr: String,
    pub(crate) code: i32,
}

impl TestEnv {
    /// Runs sopctl in the root with `input` on its standard input; stdout is kept as bytes.
    pub(crate) fn run_raw(&self, args: &[&str], input: &[u8]) -> RawRun {
        use std::io::Write;
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_sopctl"));
        self.hermetic(&mut cmd);
        let mut child = cmd
            .args(args)
            .current_dir(&self.root)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("sopctl runs");
        // A command that does not read its input may end before it is written.
        let _ = child.stdin.take().expect("stdin").write_all(input);
        let out = child.wait_with_output().expect("sopctl ends");
        RawRun {
            stdout: out.stdout,
            stderr: String::from_utf8_lossy(&out.stderr)
                .replace(&self.root.display().to_string(), "[ROOT]"),
            code: out.status.code().unwrap_or(-1),
        }
    }
}

impl TestEnv {
    /// Everything a release could change: HEAD, every ref, the index, the status and every
    /// work-tree file's bytes. Equal snapshots before and after mean an unchanged repository.
    pub(crate) fn snapshot(&self) -> String {
        let mut out = String::new();
        out.push_str(&self.git(&["rev-parse", "--symbolic-full-name", "HEAD"]));
        out.push_str(&self.git_allow_fail(&["rev-parse", "HEAD"]));
        out.push_str(&self.git_allow_fail(&["show-ref"]));
        out.push_str(&self.git(&["ls-files", "-s"]));
        out.push_str(&self.git(&[
            "--no-optional-locks",
            "status",
            "--porcelain",
            "--untracked-files=all",
        ]));
        let mut files: Vec<_> = walkdir::WalkDir::new(&self.root)
            .into_iter()
            .filter_entry(|e| e.file_name() != ".git")
            .flatten()
            .filter(|e| e.file_type().is_file())
            .map(|e| e.path().to_path_buf())
            .collect();
        files.sort();
        for f in files {
            out.push_str(&format!("{}\n", f.display()));
            out.push_str(&String::from_utf8_lossy(&std::fs::read(&f).expect("read")));
        }
        out
    }

    /// Runs git; returns stdout even when it fails (e.g. `rev-parse HEAD` with no commits).
    pub(crate) fn git_allow_fail(&self, args: &[&str]) -> String {
        String::from_utf8_lossy(&self.git_output(args).stdout).into_owned()
    }

    /// Runs git in the root and says whether it succeeded.
    pub(crate) fn git_succeeds(&self, args: &[&str]) -> bool {
        self.git_output(args).status.success()
    }

    /// Runs a shell script from `tests/fixtures/` with `args`, in the root.
    pub(crate) fn script(&self, fixture_path: &str, args: &[&str]) {
        self.script_with(fixture_path, args, &[]);
    }

    /// As [`TestEnv::script`], with extra environment variables (`SOPCTL` names the binary
    /// under test for the scripts that run it).
    pub(crate) fn script_with(&self, fixture_path: &str, args: &[&str], vars: &[(&str, &str)]) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(fixture_path);
        let mut cmd = Command::new("sh");
        self.hermetic(&mut cmd);
        cmd.env("SOPCTL", env!("CARGO_BIN_EXE_sopctl"));
        for (k, v) in vars {
            cmd.env(k, v);
        }
        let out = cmd
            .arg(script)
            .args(args)
            .current_dir(&self.root)
            .output()
            .expect("sh runs");
        assert!(
            out.status.success(),
            "{fixture_path} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
}

/// A fixture file's bytes (`tests/fixtures/…`).
pub(crate) fn fixture(rel: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    std::fs::read(&path).unwrap_or_else(|e| panic!("fixture {}: {e}", path.display()))
}

/// The bundled example SOP.
pub(crate) fn example() -> Vec<u8> {
    std::fs::read(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples/privacy-settings-sop.md"),
    )
    .expect("example")
}

/// The text of each page of a PDF, as `pdftotext` extracts it.
pub(crate) fn pdf_pages(path: &std::path::Path) -> Vec<String> {
    let out = std::process::Command::new("pdftotext")
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext");
    assert!(out.status.success(), "pdftotext {}", path.display());
    String::from_utf8_lossy(&out.stdout)
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .map(str::to_string)
        .collect()
}

/// A small valid SOP.
pub(crate) fn sop(id: &str, title: &str) -> String {
    format!(
        "---\nid: {id}\ntitle: {title}\nversion: 1.0\nowner: QA\nstatus: effective\neffective: 2025-11-08\nreview_interval: 1 year\n---\n\n## Purpose\n\nWhy.\n"
    )
}

/// [`sop`] that needs the QA Manager's approval (`approvers: [QA Manager]`).
pub(crate) fn sop_to_approve(id: &str, title: &str) -> String {
    sop(id, title).replace(
        "review_interval: 1 year\n",
        "review_interval: 1 year\napprovers: [QA Manager]\n",
    )
}

/// A repository with one SOP, `SOP-1` "Alpha" in `sops/a.md`, released as 1.0.
pub(crate) fn released_sop() -> TestEnv {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    env.run(&["release", "-m", "First"]).expect_code(0);
    env
}

/// One field of every object in a JSON array printed by a command (`log --json`), as text.
pub(crate) fn json_column(stdout: &str, field: &str) -> Vec<String> {
    let json: serde_json::Value = serde_json::from_str(stdout).expect("JSON output");
    json.as_array()
        .expect("a JSON array")
        .iter()
        .map(|r| r[field].as_str().unwrap_or_default().to_string())
        .collect()
}

/// Image files for tests, made here rather than kept as binary fixtures.
pub(crate) mod images {
    /// A real `width` × `height` PNG of one colour.
    pub(crate) fn png(width: u32, height: u32) -> Vec<u8> {
        encode(width, height, image::ImageFormat::Png)
    }

    /// A real `width` × `height` JPEG of one colour.
    pub(crate) fn jpeg(width: u32, height: u32) -> Vec<u8> {
        encode(width, height, image::ImageFormat::Jpeg)
    }

    fn encode(width: u32, height: u32, format: image::ImageFormat) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        image::RgbImage::from_pixel(width, height, image::Rgb([40, 90, 160]))
            .write_to(&mut out, format)
            .expect("encode");
        out.into_inner()
    }

    /// A PNG whose header says 0 × 0, with every chunk whole.
    pub(crate) fn png_without_pixels() -> Vec<u8> {
        let mut png = png(1, 1);
        let ihdr = png.windows(4).position(|w| w == b"IHDR").expect("IHDR") + 4;
        png[ihdr..ihdr + 8].fill(0);
        png
    }

    /// A PNG whose compressed pixel data is damaged, with every chunk whole.
    pub(crate) fn png_damaged() -> Vec<u8> {
        let mut png = png(4, 4);
        let data = png.windows(4).position(|w| w == b"IDAT").expect("IDAT") + 4;
        png[data..data + 4].fill(0xA5);
        png
    }

    /// An SVG as drawing programs export it: an XML declaration, a long comment and a document
    /// type with an internal subset before the `<svg>` element, 1 KB in all.
    pub(crate) fn svg_with_a_long_prolog() -> String {
        let entities: String = (0..12)
            .map(|i| format!("\t<!ENTITY ns_{i} \"http://ns.example.com/Extensibility/{i}.0/\">\n"))
            .collect();
        format!(
            "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n\
             <!-- Generator: Example Illustrator 24.0.0, SVG Export Plug-In . SVG Version: 6.00 Build 0)  -->\n\
             <!DOCTYPE svg PUBLIC \"-//W3C//DTD SVG 1.1//EN\" \"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd\" [\n{entities}]>\n\
             <svg version=\"1.1\" xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\"><rect width=\"10\" height=\"10\"/></svg>\n"
        )
    }

    /// The alt texts of the images of [`broken_images_repo`] that cannot be shown, in order
    /// (the SVG is shown, in the PDF as vectors).
    pub(crate) const UNSHOWN: [&str; 6] = [
        "cut png",
        "zero png",
        "damaged png",
        "notes png",
        "huge png",
        "cut jpg",
    ];

    /// A repository whose SOP `SOP-1` (`sops/a.md`) shows, one per paragraph from line 15: a
    /// good PNG (3 × 2), a truncated PNG, a 0 × 0 PNG, a PNG with damaged data, a text file
    /// named `.png`, a 2 GB file (sparse, untracked) starting like a PNG, an SVG with a long
    /// prolog and a truncated JPEG (issue 13).
    pub(crate) fn broken_images_repo() -> super::TestEnv {
        let env = super::TestEnv::repo();
        let good = png(3, 2);
        let jpeg = jpeg(8, 8);
        env.write("sops/img/ok.png", &good);
        env.write("sops/img/cut.png", &good[..good.len() - 20]);
        env.write("sops/img/zero.png", png_without_pixels());
        env.write("sops/img/damaged.png", png_damaged());
        env.write("sops/img/notes.png", "Notes, not a picture.\n");
        env.write("sops/img/logo.svg", svg_with_a_long_prolog());
        env.write("sops/img/cut.jpg", &jpeg[..jpeg.len() / 2]);
        let body: String = [
            "ok.png",
            "cut.png",
            "zero.png",
            "damaged.png",
            "notes.png",
            "huge.png",
            "logo.svg",
            "cut.jpg",
        ]
        .iter()
        .map(|f| format!("![{}](img/{f})\n\n", f.replace('.', " ")))
        .collect();
        env.write(
            "sops/a.md",
            format!("{}\n{}", super::sop("SOP-1", "Alpha"), body.trim_end()),
        );
        env.commit("Add SOP-1 and its images");
        // Two gigabytes on paper, a few bytes on disk; never committed.
        env.write("sops/img/huge.png", &good[..33]);
        std::fs::OpenOptions::new()
            .write(true)
            .open(env.path("sops/img/huge.png"))
            .expect("open")
            .set_len(2 << 30)
            .expect("set_len");
        env
    }
}

/// The SHA-256 of a file as coreutils' `sha256sum` prints it.
pub(crate) fn sha256sum(path: &Path) -> String {
    let out = std::process::Command::new("sha256sum")
        .arg(path)
        .output()
        .expect("sha256sum");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap_or_default()
        .to_string()
}
