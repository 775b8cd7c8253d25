//! Markdown → document model → page layout → PDF bytes, on any input: never a panic, and the
//! writer always produces a file that starts as a PDF does.
#![no_main]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sopctl::config::Paper;
use sopctl::doc::Sop;
use sopctl::render::RenderMeta;
use sopctl::render::images::WorkTree;
use sopctl::render::ir::Document;
use sopctl::render::pdf::{layout, write};

/// An empty folder as the repository: images are looked up and not found.
fn files() -> &'static WorkTree {
    static FILES: OnceLock<WorkTree> = OnceLock::new();
    FILES.get_or_init(|| {
        let root = std::env::temp_dir().join("sopctl-fuzz-empty");
        let _ = std::fs::create_dir_all(&root);
        WorkTree { root }
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(sop) = Sop::from_bytes(Path::new("fuzz.md"), data.to_vec()) else {
        return;
    };
    let doc = Document::parse(sop.body(), sop.body_first_line());
    let meta = RenderMeta::of(&sop, "Fuzz Org", "Uncontrolled when printed", None);
    let laid = layout::layout(&doc, &meta, files(), &PathBuf::from("fuzz.md"), Paper::A4);
    let info = write::DocInfo {
        title: meta.title.clone(),
        author: String::new(),
        subject: String::new(),
        keywords: Vec::new(),
        date: 0,
        lang: "en".into(),
    };
    if let Ok(bytes) = write::write(&laid.doc, &info) {
        assert!(bytes.starts_with(b"%PDF-"));
    }
});
