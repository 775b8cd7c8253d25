//! Document versions (SPEC §3): how they are written, shown, compared and bumped.
//!
//! A version is stored in full (`1.1.0`) in the front matter and in tags, and shown the way SOPs
//! are numbered: `MAJOR.MINOR` when PATCH is 0 (`1.0`, `1.1`, `2.0`), in full otherwise
//! (`1.1.1`). Versions may be written shorter (`1`, `1.1`) or with a leading `v`; `1.1` means
//! `1.1.0`. Ordering is semver precedence (pre-releases before the release); build metadata
//! (`+build`) is refused because it has no place in document control and breaks equality.

use std::fmt;
use std::str::FromStr;

/// A document's version: a semantic version without build metadata.
///
/// `Display` gives the SOP form (`1.0`, `1.1.1`, `2.0-rc.1`); [`DocVersion::full`] gives the
/// stored form (`1.0.0`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocVersion(semver::Version);

/// Why a written version was not understood.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    /// Nothing was written.
    #[error("the version is empty")]
    Empty,
    /// The text is not a version.
    #[error("`{text}` is not a version: write it as 1, 1.1 or 1.1.0")]
    Malformed {
        /// What was written.
        text: String,
    },
    /// Build metadata (`+…`) is not allowed.
    #[error(
        "`{text}` has build metadata (`+…`), which document versions do not use; remove the `+…` part"
    )]
    BuildMetadata {
        /// What was written.
        text: String,
    },
}

impl DocVersion {
    /// Builds `major.minor.patch`.
    pub fn new(major: u64, minor: u64, patch: u64) -> Self {
        DocVersion(semver::Version::new(major, minor, patch))
    }

    /// Reads a version as a person writes it: `1`, `1.1`, `1.1.0`, `v1.1.0`, `1.1.0-rc.1`.
    /// Missing parts are zero. Surrounding white space is ignored.
    ///
    /// # Errors
    /// [`VersionError`] when the text is empty, not a version, or carries build metadata.
    pub fn parse(text: &str) -> Result<Self, VersionError> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            return Err(VersionError::Empty);
        }
        let malformed = || VersionError::Malformed {
            text: trimmed.to_string(),
        };
        if trimmed.contains('+') {
            return Err(VersionError::BuildMetadata {
                text: trimmed.to_string(),
            });
        }
        let bare = trimmed.strip_prefix(['v', 'V']).unwrap_or(trimmed);
        let (core, pre) = match bare.split_once('-') {
            Some((core, pre)) => (core, Some(pre)),
            None => (bare, None),
        };
        let parts: Vec<&str> = core.split('.').collect();
        if parts.is_empty() || parts.len() > 3 {
            return Err(malformed());
        }
        let mut numbers = [0u64; 3];
        for (slot, part) in numbers.iter_mut().zip(&parts) {
            if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
                return Err(malformed());
            }
            *slot = part.parse().map_err(|_| malformed())?;
        }
        let mut version = semver::Version::new(numbers[0], numbers[1], numbers[2]);
        if let Some(pre) = pre {
            version.pre = semver::Prerelease::new(pre).map_err(|_| malformed())?;
        }
        Ok(DocVersion(version))
    }

    /// Reads a version the way it is stored in a tag: exactly `MAJOR.MINOR.PATCH[-PRE]`.
    ///
    /// # Errors
    /// [`VersionError::Malformed`] for anything else (`1.0`, `v1.0.0`, `1.2.0_final`, `1.0.0.1`).
    pub fn parse_full(text: &str) -> Result<Self, VersionError> {
        let version = semver::Version::parse(text).map_err(|_| VersionError::Malformed {
            text: text.to_string(),
        })?;
        if !version.build.is_empty() {
            return Err(VersionError::BuildMetadata {
                text: text.to_string(),
            });
        }
        Ok(DocVersion(version))
    }

    /// The stored form, always three numbers: `1.1.0`, `1.1.1`, `2.0.0-rc.1`.
    pub fn full(&self) -> String {
        self.0.to_string()
    }

    /// The underlying semantic version.
    pub fn semver(&self) -> &semver::Version {
        &self.0
    }

    /// The version after a bump (pre-release parts are dropped, as semver says); `None` when
    /// the part to raise is already the largest number a version holds (2^64 − 1).
    pub fn bumped(&self, bump: Bump) -> Option<DocVersion> {
        let v = &self.0;
        Some(match bump {
            Bump::Major => DocVersion::new(v.major.checked_add(1)?, 0, 0),
            Bump::Minor => DocVersion::new(v.major, v.minor.checked_add(1)?, 0),
            Bump::Patch => DocVersion::new(v.major, v.minor, v.patch.checked_add(1)?),
        })
    }
}

impl fmt::Display for DocVersion {
    /// The SOP form: `1.0` when PATCH is 0, `1.1.1` otherwise; a pre-release is appended.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = &self.0;
        if v.patch == 0 {
            write!(f, "{}.{}", v.major, v.minor)?;
        } else {
            write!(f, "{}.{}.{}", v.major, v.minor, v.patch)?;
        }
        if !v.pre.is_empty() {
            write!(f, "-{}", v.pre)?;
        }
        Ok(())
    }
}

impl FromStr for DocVersion {
    type Err = VersionError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DocVersion::parse(s)
    }
}

impl serde::Serialize for DocVersion {
    /// Serialised in the stored form (`1.1.0`).
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.full())
    }
}

/// How much a release moves the version (SPEC §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bump {
    /// A changed procedure that needs retraining: `1.4` → `2.0`.
    Major,
    /// A clarification or addition: `1.4` → `1.5`.
    Minor,
    /// An editorial fix: `1.4` → `1.4.1`.
    Patch,
}

/// A version as named on the command line (SPEC §3): a version, a tag name, `latest` or
/// `current`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VersionSpec {
    /// A version written `1`, `1.1`, `1.1.0` or `v1.1.0`; `1.1` means exactly `1.1.0`.
    Exact(DocVersion),
    /// The newest release by semver precedence.
    Latest,
    /// The version in force today: the newest release whose effective date has come (issue 16);
    /// it differs from [`VersionSpec::Latest`] while a release waits for its effective date.
    Current,
    /// Anything else: looked up as a tag name when versions are resolved against a repository.
    TagName(String),
}

impl VersionSpec {
    /// Reads a command-line version. Never fails: text that is not a version is kept as a
    /// tag name, to be resolved (or refused, with the known versions listed) against the tags.
    pub fn parse(text: &str) -> VersionSpec {
        let trimmed = text.trim();
        if trimmed.eq_ignore_ascii_case("latest") {
            return VersionSpec::Latest;
        }
        if trimmed.eq_ignore_ascii_case("current") {
            return VersionSpec::Current;
        }
        match DocVersion::parse(trimmed) {
            Ok(v) => VersionSpec::Exact(v),
            Err(_) => VersionSpec::TagName(trimmed.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &str) -> DocVersion {
        DocVersion::parse(s).expect(s)
    }

    #[test]
    fn short_forms_are_padded_and_shown_the_sop_way() {
        assert_eq!(v("1").full(), "1.0.0");
        assert_eq!(v("1.1").full(), "1.1.0");
        assert_eq!(v("v1.1.0").full(), "1.1.0");
        assert_eq!(v("1.10").full(), "1.10.0");
        assert_eq!(v("1.0").to_string(), "1.0");
        assert_eq!(v("1.1.0").to_string(), "1.1");
        assert_eq!(v("2").to_string(), "2.0");
        assert_eq!(v("1.1.1").to_string(), "1.1.1");
        assert_eq!(v("1.1.0-rc.1").to_string(), "1.1-rc.1");
        assert_eq!(v("0012").full(), "12.0.0");
    }

    #[test]
    fn malformed_versions_are_refused_with_the_text() {
        for bad in [
            "",
            "1.",
            "1..2",
            "a.b",
            "1.0.0.1",
            "1.2.0_final",
            "v",
            "1.2.3.4",
            "-1",
        ] {
            assert!(DocVersion::parse(bad).is_err(), "{bad:?} should be refused");
        }
        assert_eq!(
            DocVersion::parse("1.0+b5"),
            Err(VersionError::BuildMetadata {
                text: "1.0+b5".into()
            })
        );
        assert_eq!(
            DocVersion::parse("abc").map_err(|e| e.to_string()),
            Err("`abc` is not a version: write it as 1, 1.1 or 1.1.0".into())
        );
    }

    #[test]
    fn tags_must_hold_the_full_form() {
        assert_eq!(
            DocVersion::parse_full("1.2.0").map(|v| v.full()),
            Ok("1.2.0".into())
        );
        for bad in ["1.0", "v1.0.0", "1.0.0.1", "1.2.0_final", "2"] {
            assert!(DocVersion::parse_full(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ordering_is_semver_precedence_not_string_order() {
        let mut list = [
            v("1.10"),
            v("1.9"),
            v("1.0.0-rc.10"),
            v("1.0.0-rc.2"),
            v("1.0"),
            v("0.9"),
        ];
        list.sort();
        let shown: Vec<String> = list.iter().map(DocVersion::full).collect();
        assert_eq!(
            shown,
            [
                "0.9.0",
                "1.0.0-rc.2",
                "1.0.0-rc.10",
                "1.0.0",
                "1.9.0",
                "1.10.0"
            ]
        );
    }

    #[test]
    fn bumps_follow_semver() {
        assert_eq!(v("1.4").bumped(Bump::Major).unwrap().full(), "2.0.0");
        assert_eq!(v("1.4.2").bumped(Bump::Minor).unwrap().full(), "1.5.0");
        assert_eq!(v("1.4").bumped(Bump::Patch).unwrap().full(), "1.4.1");
        assert_eq!(v("1.2.3-rc.1").bumped(Bump::Minor).unwrap().full(), "1.3.0");
        assert_eq!(v("18446744073709551615.0").bumped(Bump::Major), None);
        assert_eq!(
            v("1.18446744073709551615")
                .bumped(Bump::Patch)
                .map(|v| v.full()),
            Some("1.18446744073709551615.1".to_string())
        );
    }

    #[test]
    fn command_line_versions() {
        assert_eq!(VersionSpec::parse("latest"), VersionSpec::Latest);
        assert_eq!(VersionSpec::parse("Current"), VersionSpec::Current);
        assert_eq!(VersionSpec::parse("LATEST"), VersionSpec::Latest);
        assert_eq!(VersionSpec::parse("1.1"), VersionSpec::Exact(v("1.1.0")));
        assert_eq!(VersionSpec::parse("v1.1.0"), VersionSpec::Exact(v("1.1.0")));
        assert_eq!(
            VersionSpec::parse("SOP-001/v1.1.0"),
            VersionSpec::TagName("SOP-001/v1.1.0".into())
        );
    }
}
