//! Findings: what `check` (and the lenient readers behind `render`) report about a document.

use std::fmt;
use std::path::PathBuf;

use super::source::Location;

/// How serious a finding is. `check --strict` treats warnings as errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Worth fixing; does not stop a release.
    Warning,
    /// Must be fixed before the document can be released.
    Error,
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Severity::Warning => "warning",
            Severity::Error => "error",
        })
    }
}

/// One problem in one file, at one place. Displays as `file:line:col: error: message`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Finding {
    /// The file, as sopctl was given or found it.
    pub path: PathBuf,
    /// Where in the file.
    pub location: Location,
    /// Error or warning.
    pub severity: Severity,
    /// What is wrong and, where it helps, what to write instead.
    pub message: String,
}

impl Finding {
    /// An error at `location`.
    pub fn error(path: impl Into<PathBuf>, location: Location, message: impl Into<String>) -> Self {
        Finding {
            path: path.into(),
            location,
            severity: Severity::Error,
            message: message.into(),
        }
    }

    /// A warning at `location`.
    pub fn warning(
        path: impl Into<PathBuf>,
        location: Location,
        message: impl Into<String>,
    ) -> Self {
        Finding {
            path: path.into(),
            location,
            severity: Severity::Warning,
            message: message.into(),
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}: {}",
            self.path.display(),
            self.location.line,
            self.location.column,
            self.severity,
            self.message
        )
    }
}

/// Appends to `list` each finding of `more` that it does not hold yet, in order, in one pass
/// (a right-to-left SOP gives a warning per line: comparing each with all before was quadratic).
pub fn extend_unique(list: &mut Vec<Finding>, more: impl IntoIterator<Item = Finding>) {
    let key = |f: &Finding| {
        (
            f.path.clone(),
            f.location.line,
            f.location.column,
            f.message.clone(),
        )
    };
    let mut seen: std::collections::HashSet<_> = list.iter().map(key).collect();
    for finding in more {
        if seen.insert(key(&finding)) {
            list.push(finding);
        }
    }
}
