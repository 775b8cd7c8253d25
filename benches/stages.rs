//! Benchmarks of each stage on the bundled example and on a 20,000-line SOP with a 2,000-row
//! table (written by `benches/gen_large_sop.py`): parse (front matter and metadata), model
//! (Markdown to the shared document model) and HTML. Run with `cargo bench --bench stages`.
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
use sopctl::render::images::WorkTree;
use sopctl::render::ir::Document;
use sopctl::render::{self, RenderJob, RenderMeta};

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
        if !path.exists() {
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
    bencher.bench(|| {
        let job = RenderJob {
            sop: &sop,
            doc_relative: PathBuf::from(path.file_name().expect("name")),
            files: &files,
            meta: RenderMeta::of(&sop, "", "Uncontrolled when printed", None),
            allow_html: false,
            paper: Paper::A4,
            template_root: root.clone(),
            sop_links: &std::collections::BTreeMap::new(),
        };
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
    };
    bencher.bench(|| sopctl::render::pdf::write::write(&laid.doc, &info).expect("writes"));
}
