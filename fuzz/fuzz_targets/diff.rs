//! The document diff of two inputs (the fuzz input cut at its first NUL byte, or in half):
//! never a panic in comparing or in any output format.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use sopctl::diff::{self, format};
use sopctl::doc::Sop;

fuzz_target!(|data: &[u8]| {
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
    let _ = format::html(&d, "fuzz", "");
    let _ = format::json(&d);
    let (Ok(old_text), Ok(new_text)) = (std::str::from_utf8(a), std::str::from_utf8(b)) else {
        return;
    };
    let _ = format::unified(old_text, new_text, "fuzz.md");
});
