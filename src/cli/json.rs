//! `--json`: what commands print as data, in one place. The keys are stable and documented in
//! `docs/json.md`; a key is added, never renamed or removed, within a major version.
//!
//! Dates are `YYYY-MM-DD`; signing times are UTC, RFC 3339; versions are given in full
//! (`version`: `1.1.0`) and as SOPs number them (`display`: `1.1`); paths are shown as in the
//! text output (relative to the working directory when below it); commit ids are full.

use serde::Serialize;

use super::{CliError, Ui};

/// Prints `value` as pretty-printed JSON on stdout, followed by a newline.
///
/// # Errors
/// Stdout closed; a value serde cannot write (not expected for these types).
pub(crate) fn print(ui: &mut Ui, value: &impl Serialize) -> Result<(), CliError> {
    let json = serde_json::to_string_pretty(value)
        .map_err(|e| CliError::new("cannot write JSON").cause(e.to_string()))?;
    ui.line(&json)
}

/// One signature: an approval recorded with `sopctl approve`, or carried by a release.
#[derive(Debug, Serialize)]
pub(crate) struct Approval {
    /// The approver's name (git identity).
    pub(crate) name: String,
    /// The approver's e-mail (git identity).
    pub(crate) email: String,
    /// The role approved in, as `approvers` spells it.
    pub(crate) role: String,
    /// `authored`, `reviewed` or `approved`.
    pub(crate) meaning: String,
    /// UTC, RFC 3339.
    pub(crate) date: String,
    /// In a release made with `separation_of_duties = false`: why the approval counts although
    /// separation of duties would refuse it (`self-approved`, `second role`); `null` otherwise.
    pub(crate) exception: Option<String>,
}

impl From<crate::lifecycle::Approval> for Approval {
    fn from(a: crate::lifecycle::Approval) -> Approval {
        Approval {
            name: a.name,
            email: a.email,
            role: a.role,
            meaning: a.meaning,
            date: a.date,
            exception: a.exception,
        }
    }
}

/// A version in both forms: in full and as shown.
#[derive(Debug, Serialize)]
pub(crate) struct Version {
    /// In full, as in the tag: `1.1.0`.
    pub(crate) version: String,
    /// As SOPs number it: `1.1`.
    pub(crate) display: String,
}

impl From<&crate::version::DocVersion> for Version {
    fn from(v: &crate::version::DocVersion) -> Version {
        Version {
            version: v.full(),
            display: v.to_string(),
        }
    }
}
