//! What each fuzz target does with its input, shared by the cargo-fuzz targets in
//! `fuzz_targets/` and by the replay of saved inputs in `tests/properties.rs`
//! (`fuzz_regressions_stay_fixed`). Each function must return without a panic for any input.

#![allow(dead_code, reason = "each user takes the functions it needs")]

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use sopctl::config::Paper;
use sopctl::diff::{self, format};
use sopctl::doc::Sop;
use sopctl::doc::front_matter::{FrontMatter, Value};
use sopctl::model::Document;
use sopctl::render::images::WorkTree;
use sopctl::render::pdf::{layout, write};
use sopctl::render::{self, RenderJob, RenderMeta, RenderSettings};
use sopctl::version::{Bump, DocVersion, VersionSpec};

/// An empty folder as the repository: images are looked up and not found.
fn empty_root() -> &'static PathBuf {
    static ROOT: OnceLock<PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let root = std::env::temp_dir().join("sopctl-fuzz-empty");
        let _ = std::fs::create_dir_all(&root);
        root
    })
}

/// What each top-level entry other than `skip` says, without where it sits.
pub(crate) fn meaning(fm: Option<&FrontMatter>, skip: &str) -> Vec<(String, Vec<String>)> {
    fm.map(|fm| {
        fm.entries
            .iter()
            .filter(|e| e.key != skip)
            .map(|e| {
                let said = match &e.value {
                    Value::Scalar(s) => vec![s.value.clone()],
                    Value::Sequence { items, .. } => {
                        items.iter().map(|s| s.value.clone()).collect()
                    }
                    Value::Other { .. } => vec!["(other)".to_string()],
                };
                (e.key.clone(), said)
            })
            .collect()
    })
    .unwrap_or_default()
}

/// The front-matter reader and its in-place edits: any bytes are read without a panic, and an
/// edit of a managed value (what `release` and `retire` write) either succeeds, leaving every
/// other value and the body as they were, or is refused with an error.
pub(crate) fn front_matter(data: &[u8]) {
    let Ok(sop) = Sop::from_bytes(Path::new("fuzz.md"), data.to_vec()) else {
        return;
    };
    let _ = sop.body_first_line();
    for (key, value, after) in [
        ("version", "1.2.0", Some("title")),
        ("status", "effective", Some("version")),
        ("effective", "2026-11-29", Some("status")),
    ] {
        if let Ok(Some(edited)) = sop.with_value(key, value, after) {
            let before = meaning(sop.front_matter.as_ref(), key);
            let now = meaning(edited.front_matter.as_ref(), key);
            assert_eq!(before, now, "editing `{key}` changed another value");
            assert_eq!(
                sop.body(),
                edited.body(),
                "editing `{key}` changed the body"
            );
        }
    }
}

/// Markdown → document model → page layout → PDF bytes: no text beyond the side margins, and
/// the writer always produces a file that starts as a PDF does.
pub(crate) fn pdf(data: &[u8]) {
    let Ok(sop) = Sop::from_bytes(Path::new("fuzz.md"), data.to_vec()) else {
        return;
    };
    let files = WorkTree {
        root: empty_root().clone(),
    };
    let doc = Document::parse(sop.body(), sop.body_first_line());
    let meta = RenderMeta::of(&sop, "Fuzz Org", "Uncontrolled when printed", None);
    let laid = layout::layout(&doc, &meta, &files, Path::new("fuzz.md"), Paper::A4);
    // No text beyond the side margins (the rotated watermark aside).
    let geo = layout::Geometry::for_paper(Paper::A4);
    for item in laid.doc.pages.iter().flat_map(|p| &p.items) {
        if let layout::Item::Text {
            x,
            face,
            size,
            text,
            angle,
            ..
        } = item
            && *angle == 0.0
        {
            let right = x.0 + sopctl::render::pdf::fonts::text_width(*face, text.trim_end(), *size);
            assert!(
                x.0 >= geo.left.0 - 0.5 && right <= geo.right.0 + 0.5,
                "{text:?} spans {}..{} outside {}..{}",
                x.0,
                right,
                geo.left.0,
                geo.right.0
            );
        }
    }
    let info = write::DocInfo {
        title: meta.title.clone(),
        author: String::new(),
        subject: String::new(),
        keywords: Vec::new(),
        date: 0,
        lang: "en".into(),
        identity: Vec::new(),
    };
    if let Ok(bytes) = write::write(laid.doc, &info) {
        assert!(bytes.starts_with(b"%PDF-"));
    }
}

/// Markdown → HTML page, with raw HTML refused and allowed: the page is always whole.
pub(crate) fn html(data: &[u8]) {
    let Ok(sop) = Sop::from_bytes(Path::new("fuzz.md"), data.to_vec()) else {
        return;
    };
    let files = WorkTree {
        root: empty_root().clone(),
    };
    for allow_html in [false, true] {
        let settings = RenderSettings {
            organization: "Fuzz Org".to_string(),
            footer: "Uncontrolled when printed".to_string(),
            allow_html,
            template_root: empty_root().clone(),
            ..RenderSettings::default()
        };
        let job = RenderJob::new(&settings, &sop, PathBuf::from("fuzz.md"), &files, None);
        if let Ok(page) = render::html(&job) {
            let text = String::from_utf8_lossy(&page.bytes);
            assert!(text.trim_end().ends_with("</html>"), "page not closed");
        }
    }
}

/// The document diff of two inputs (cut at the first NUL byte, or in half) in every format.
pub(crate) fn diff(data: &[u8]) {
    let cut = data.iter().position(|&b| b == 0).unwrap_or(data.len() / 2);
    let (a, b) = data.split_at(cut);
    let b = b.strip_prefix(&[0]).unwrap_or(b);
    let (Ok(old), Ok(new)) = (
        Sop::from_bytes(Path::new("old.md"), a.to_vec()),
        Sop::from_bytes(Path::new("new.md"), b.to_vec()),
    ) else {
        return;
    };
    let d = diff::compare(&old, &new, "1.0", "1.1");
    let _ = format::managed_line(&d);
    let _ = format::counts_line(&d);
    let _ = format::text(&d, "fuzz", false);
    let _ = format::text(&d, "fuzz", true);
    // The redline document, whole and limited to the changed sections.
    let old_doc = Document::parse(old.body(), old.body_first_line());
    let new_doc = Document::parse(new.body(), new.body_first_line());
    let marked = diff::redline::redline(&old_doc, &new_doc, "1.1");
    let _ = diff::redline::limit_context(marked.blocks, 1);
    let _ = diff::redline::summary::summary(&d, &Default::default());
    let _ = format::json(&d);
    if let (Ok(old_text), Ok(new_text)) = (std::str::from_utf8(a), std::str::from_utf8(b)) {
        let _ = format::unified(old_text, new_text, "fuzz.md");
    }
}

/// Version parsing as a person writes it: every accepted version reads back the same from its
/// full form, and bumps never overflow.
pub(crate) fn version(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = VersionSpec::parse(text);
    let _ = DocVersion::parse_full(text);
    if let Ok(version) = DocVersion::parse(text) {
        let again = DocVersion::parse(&version.full());
        assert_eq!(
            again.as_ref(),
            Ok(&version),
            "{text:?} → {}",
            version.full()
        );
        let _ = version.to_string();
        for bump in [Bump::Major, Bump::Minor, Bump::Patch] {
            let _ = version.bumped(bump);
        }
    }
}
