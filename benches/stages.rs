//! Benchmarks of each stage on the bundled example and on a 20,000-line SOP with a 2,000-row
//! table (written by `benches/gen_large_sop.py`): parse (front matter and metadata), model
//! (Markdown to the shared document model), PDF layout, PDF write, HTML, diff (the large SOP
//! against its next version), release planning and publish (on the example's repository with
//! its two releases). Run with `cargo bench --bench stages`.
//! Side-by-side comparisons with other tools are in `benches/peers.sh`.

#![allow(missing_docs, reason = "benchmark functions")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    reason = "benchmarks stop on a broken setup"
)]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use sopctl::config::Paper;
use sopctl::doc::Sop;
use sopctl::model::Document;
use sopctl::render::images::WorkTree;
use sopctl::render::{self, RenderJob, RenderMeta, RenderSettings};

fn main() {
    divan::main();
}

fn example() -> &'static (PathBuf, Vec<u8>) {
    static EXAMPLE: OnceLock<(PathBuf, Vec<u8>)> = OnceLock::new();
    EXAMPLE.get_or_init(|| {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples/privacy-settings-sop.md");
        let bytes = std::fs::read(&path).expect("example");
        (path, bytes)
    })
}

fn large() -> &'static (PathBuf, Vec<u8>) {
    static LARGE: OnceLock<(PathBuf, Vec<u8>)> = OnceLock::new();
    LARGE.get_or_init(|| {
        let dir = std::env::temp_dir().join("sopctl-bench-large");
        let path = dir.join("large.md");
        if !path.exists() || !dir.join("large-v2.md").exists() {
            let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/gen_large_sop.py");
            let status = std::process::Command::new("python3")
                .arg(script)
                .arg(&dir)
                .status()
                .expect("python3");
            assert!(status.success(), "gen_large_sop.py failed");
        }
        let bytes = std::fs::read(&path).expect("large");
        (path, bytes)
    })
}

fn input(name: &str) -> &'static (PathBuf, Vec<u8>) {
    if name == "example" {
        example()
    } else {
        large()
    }
}

const INPUTS: [&str; 2] = ["example", "large"];

#[divan::bench(args = INPUTS)]
fn parse(bencher: divan::Bencher<'_, '_>, name: &str) {
    let (path, bytes) = input(name);
    bencher.bench(|| Sop::from_bytes(path, bytes.clone()).expect("parses"));
}

#[divan::bench(args = INPUTS)]
fn model(bencher: divan::Bencher<'_, '_>, name: &str) {
    let (path, bytes) = input(name);
    let sop = Sop::from_bytes(path, bytes.clone()).expect("parses");
    bencher.bench(|| Document::parse(sop.body(), sop.body_first_line()));
}

#[divan::bench(args = INPUTS)]
fn html(bencher: divan::Bencher<'_, '_>, name: &str) {
    let (path, bytes) = input(name);
    let sop = Sop::from_bytes(path, bytes.clone()).expect("parses");
    let root = path.parent().expect("folder").to_path_buf();
    let files = WorkTree { root: root.clone() };
    let settings = RenderSettings {
        footer: "Uncontrolled when printed".to_string(),
        template_root: root.clone(),
        ..RenderSettings::default()
    };
    bencher.bench(|| {
        let job = RenderJob::new(
            &settings,
            &sop,
            PathBuf::from(path.file_name().expect("name")),
            &files,
            None,
        );
        render::html(&job).expect("renders")
    });
}

#[divan::bench(args = INPUTS)]
fn pdf_layout(bencher: divan::Bencher<'_, '_>, name: &str) {
    let (path, bytes) = input(name);
    let sop = Sop::from_bytes(path, bytes.clone()).expect("parses");
    let root = path.parent().expect("folder").to_path_buf();
    let files = WorkTree { root };
    let doc = Document::parse(sop.body(), sop.body_first_line());
    let meta = RenderMeta::of(&sop, "", "Uncontrolled when printed", None);
    let relative = PathBuf::from(path.file_name().expect("name"));
    bencher
        .bench(|| sopctl::render::pdf::layout::layout(&doc, &meta, &files, &relative, Paper::A4));
}

#[divan::bench(args = INPUTS, sample_count = 10)]
fn pdf_write(bencher: divan::Bencher<'_, '_>, name: &str) {
    let (path, bytes) = input(name);
    let sop = Sop::from_bytes(path, bytes.clone()).expect("parses");
    let root = path.parent().expect("folder").to_path_buf();
    let files = WorkTree { root };
    let doc = Document::parse(sop.body(), sop.body_first_line());
    let meta = RenderMeta::of(&sop, "", "Uncontrolled when printed", None);
    let relative = PathBuf::from(path.file_name().expect("name"));
    let laid = sopctl::render::pdf::layout::layout(&doc, &meta, &files, &relative, Paper::A4);
    let info = sopctl::render::pdf::write::DocInfo {
        title: "bench".into(),
        author: "QA".into(),
        subject: String::new(),
        keywords: Vec::new(),
        date: 0,
        lang: "en".into(),
        identity: Vec::new(),
    };
    bencher
        .with_inputs(|| laid.doc.clone())
        .bench_values(|doc| sopctl::render::pdf::write::write(doc, &info).expect("writes"));
}

/// The large SOP's next version (5% of paragraphs edited, a section moved), or for the example
/// its version 1.1.
fn next_version(name: &str) -> Sop {
    let (path, bytes) = input(name);
    if name == "example" {
        let text = String::from_utf8(bytes.clone()).expect("UTF-8");
        let next = sopctl::example::edit_to_1_1(&text).expect("edits fit");
        Sop::from_bytes(path, next.into_bytes()).expect("parses")
    } else {
        let v2 = path.with_file_name("large-v2.md");
        Sop::from_bytes(&v2, std::fs::read(&v2).expect("large-v2.md")).expect("parses")
    }
}

#[divan::bench(args = INPUTS)]
fn diff(bencher: divan::Bencher<'_, '_>, name: &str) {
    let (path, bytes) = input(name);
    let old = Sop::from_bytes(path, bytes.clone()).expect("parses");
    let new = next_version(name);
    bencher.bench(|| sopctl::diff::compare(&old, &new, "1.0", "1.1"));
}

/// The example's repository (`sopctl init --example`): 1.0 and 1.1 released, then an edit.
fn example_repository() -> &'static PathBuf {
    static REPO: OnceLock<PathBuf> = OnceLock::new();
    REPO.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("sopctl-bench-repo-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("sops")).expect("temp dir");
        sopctl::repo::Repo::init(&dir).expect("git init");
        let today = jiff::civil::date(2026, 11, 29);
        sopctl::example::create(&dir, today).expect("example repository");
        let doc = dir.join("sops/privacy-settings-sop.md");
        let text = std::fs::read_to_string(&doc).expect("example");
        std::fs::write(&doc, text.replacen("Purpose", "Purpose and scope", 1)).expect("edit");
        dir
    })
}

#[divan::bench]
fn release_planning(bencher: divan::Bencher<'_, '_>) {
    let dir = example_repository();
    let today = jiff::civil::date(2026, 11, 29);
    bencher.bench(|| {
        let ws = sopctl::workspace::Workspace::discover(dir, today).expect("workspace");
        let doc = dir.join("sops/privacy-settings-sop.md");
        let sop = Sop::from_bytes(&doc, std::fs::read(&doc).expect("doc")).expect("parses");
        let request = sopctl::release::ReleaseRequest {
            bump: Some(sopctl::version::Bump::Minor),
            summary: Some("bench".into()),
            ..Default::default()
        };
        sopctl::release::plan::prepare(&ws, &sop, &request).map(|p| p.commit_message.len())
    });
}

#[divan::bench(sample_count = 10)]
fn publish(bencher: divan::Bencher<'_, '_>) {
    let dir = example_repository();
    let today = jiff::civil::date(2026, 11, 29);
    let out = dir.join("site");
    bencher.bench(|| {
        // A git handle cannot be shared between benchmark threads: each run opens its own.
        let ws = sopctl::workspace::Workspace::discover(dir, today).expect("workspace");
        let _ = std::fs::remove_dir_all(&out);
        sopctl::publish::publish(&ws, &out, &|_| {}).expect("publishes")
    });
}
