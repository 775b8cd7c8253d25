//! Integration tests: the real `sopctl` binary run in temporary git repositories.
//!
//! One test binary, a module per command (see `tests/README.md`). Every run is hermetic: the
//! environment is cleared, git's global and system configuration are blocked, the time zone,
//! today's date and colour are fixed, and the git identity lives in the temp repository.

#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "a test stops at the first broken step or setup, and says which"
)]

mod harness;

mod adoption;
mod agreement;
mod archive;
mod browser;
mod cases;
mod check;
mod concurrency;
mod conventions;
mod copies;
mod crash;
mod dates;
mod diff;
mod duties;
mod errors;
mod footnotes;
mod git;
mod help;
mod html_ids;
mod html_tags;
mod images;
mod in_force;
mod init;
mod json;
mod lfs;
mod lifecycle;
mod limits;
mod list;
mod new;
mod paths;
mod pdf;
mod people;
mod publish;
mod readme;
mod records;
mod redline;
mod release;
mod render;
mod signers;
mod signing;
mod site;
mod state;
mod text;
mod training;
mod typeset;
mod verify;
mod yaml;

/// Every `tests/cli/*.rs` file is registered above (a forgotten module would never run).
#[test]
fn no_forgotten_test_files() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cli");
    let main = std::fs::read_to_string(dir.join("main.rs")).expect("main.rs");
    for entry in std::fs::read_dir(&dir).expect("tests/cli") {
        let name = entry
            .expect("entry")
            .file_name()
            .to_string_lossy()
            .into_owned();
        if let Some(module) = name.strip_suffix(".rs")
            && module != "main"
        {
            assert!(
                main.contains(&format!("mod {module};")),
                "tests/cli/{name} is not registered in main.rs"
            );
        }
    }
}
