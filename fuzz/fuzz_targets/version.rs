//! Version parsing as a person writes it (`1`, `1.1`, `v1.1.0`, a tag name): never a panic, and
//! every accepted version reads back the same from its full form.
#![no_main]

use libfuzzer_sys::fuzz_target;
use sopctl::version::{Bump, DocVersion, VersionSpec};

fuzz_target!(|text: &str| {
    let _ = VersionSpec::parse(text);
    let _ = DocVersion::parse_full(text);
    if let Ok(version) = DocVersion::parse(text) {
        let again = DocVersion::parse(&version.full());
        assert_eq!(again.as_ref(), Ok(&version), "{text:?} → {}", version.full());
        let _ = version.to_string();
        for bump in [Bump::Major, Bump::Minor, Bump::Patch] {
            let _ = version.bumped(bump);
        }
    }
});
