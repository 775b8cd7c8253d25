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

/// One controlled copy in the distribution register: `copy list`, and the `recall` lists of
/// `release` and `retire`.
#[derive(Debug, Serialize)]
pub(crate) struct Copy {
    /// The SOP.
    pub(crate) id: String,
    /// The copy's number (per SOP, from 1).
    pub(crate) number: u32,
    /// The version printed on it.
    #[serde(flatten)]
    pub(crate) version: Version,
    /// Who holds it.
    pub(crate) holder: String,
    /// The day it was issued.
    pub(crate) issued: String,
    /// Who issued it: `Name <email>`.
    pub(crate) issued_by: String,
    /// The day it came back; null while it is out.
    pub(crate) returned: Option<String>,
    /// Whether it must be recalled.
    pub(crate) recall: bool,
    /// Why: `newer-version`, `withdrawn` or `not-in-force`; null when it need not be.
    pub(crate) recall_reason: Option<&'static str>,
    /// Why, in words (`1.2 is in force since 2026-03-01`); null when it need not be.
    pub(crate) recall_note: Option<String>,
    /// The commit that records the issue.
    pub(crate) issue_commit: String,
    /// The commit that records the return; null while it is out.
    pub(crate) return_commit: Option<String>,
}

impl Copy {
    /// `copy`, with why it must be recalled, if it must.
    pub(crate) fn new(
        copy: &crate::lifecycle::copies::ControlledCopy,
        recall: Option<&crate::lifecycle::copies::RecallReason>,
    ) -> Copy {
        Copy {
            id: copy.id.clone(),
            number: copy.number,
            version: (&copy.version).into(),
            holder: copy.holder.clone(),
            issued: copy.issued.to_string(),
            issued_by: copy.issued_by.clone(),
            returned: copy.returned.map(|d| d.to_string()),
            recall: recall.is_some(),
            recall_reason: recall.map(crate::lifecycle::copies::RecallReason::code),
            recall_note: recall.map(ToString::to_string),
            issue_commit: copy.issue_commit.clone(),
            return_commit: copy.return_commit.clone(),
        }
    }

    /// The copies of a recall list.
    pub(crate) fn recalls(recalls: &[crate::lifecycle::copies::Recall]) -> Vec<Copy> {
        recalls
            .iter()
            .map(|r| Copy::new(&r.copy, Some(&r.reason)))
            .collect()
    }
}
