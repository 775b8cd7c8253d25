//! Markdown → HTML page on any input: never a panic, and the page is always a whole document.
#![no_main]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use sopctl::config::Paper;
use sopctl::doc::Sop;
use sopctl::render::images::WorkTree;
use sopctl::render::{self, RenderJob, RenderMeta};

fn root() -> &'static PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let root = std::env::temp_dir().join("sopctl-fuzz-empty");
        let _ = std::fs::create_dir_all(&root);
        root
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(sop) = Sop::from_bytes(Path::new("fuzz.md"), data.to_vec()) else {
        return;
    };
    let files = WorkTree { root: root().clone() };
    for allow_html in [false, true] {
        let job = RenderJob {
            sop: &sop,
            doc_relative: PathBuf::from("fuzz.md"),
            files: &files,
            meta: RenderMeta::of(&sop, "Fuzz Org", "Uncontrolled when printed", None),
            allow_html,
            paper: Paper::A4,
            template_root: root().clone(),
            sop_links: &BTreeMap::new(),
        };
        if let Ok(page) = render::html(&job) {
            let text = String::from_utf8_lossy(&page.bytes);
            assert!(text.trim_end().ends_with("</html>"), "page not closed");
        }
    }
});
