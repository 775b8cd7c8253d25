//! The front-matter reader and its in-place edits: any bytes are read without a panic, and an
//! edit of a managed value (what `release` and `retire` write) either succeeds, leaving every
//! other value as it was, or is refused with an error.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use sopctl::doc::Sop;
use sopctl::doc::front_matter::{FrontMatter, Value};

/// What each top-level entry other than `skip` says, without where it sits.
fn meaning(fm: Option<&FrontMatter>, skip: &str) -> Vec<(String, Vec<String>)> {
    fm.map(|fm| {
        fm.entries
            .iter()
            .filter(|e| e.key != skip)
            .map(|e| {
                let said = match &e.value {
                    Value::Scalar(s) => vec![s.value.clone()],
                    Value::Sequence { items, .. } => items.iter().map(|s| s.value.clone()).collect(),
                    Value::Other { .. } => vec!["(other)".to_string()],
                };
                (e.key.clone(), said)
            })
            .collect()
    })
    .unwrap_or_default()
}

fuzz_target!(|data: &[u8]| {
    let Ok(sop) = Sop::from_bytes(Path::new("fuzz.md"), data.to_vec()) else {
        return;
    };
    let _ = sop.body();
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
            assert_eq!(sop.body(), edited.body(), "editing `{key}` changed the body");
        }
    }
});
