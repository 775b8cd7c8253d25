//! The typed values of the front matter (SPEC §1): document ID, status, review interval.

use std::fmt;

/// A document ID such as `SOP-OPS-007` (SPEC §1): ASCII letters, digits, `-`, `_` and `.`,
/// starting with a letter or digit, never containing `..`, at most 64 characters.
///
/// The ID becomes part of a git tag name and of output folder names, so these rules also keep
/// every path and ref sopctl makes from it safe. Beyond SPEC §1, and for the same reason: an ID
/// does not end with `.` or `.lock` (git refuses such ref components, `git check-ref-format`),
/// is not a name sopctl gives its own outputs ([`DocId::RESERVED`]) and is not a device name
/// Windows reserves for itself (`CON`, `NUL`, `COM1`, …, with or without an extension), which
/// cannot be a folder there.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(transparent)]
pub struct DocId(String);

/// Why a text is not a valid document ID.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocIdError {
    /// Nothing was written.
    #[error("the ID is empty; write one such as SOP-001")]
    Empty,
    /// Longer than [`DocId::MAX_LEN`].
    #[error("the ID `{0}` is longer than 64 characters; shorten it")]
    TooLong(String),
    /// Starts with something other than a letter or digit.
    #[error("the ID `{0}` must start with a letter or a digit")]
    BadStart(String),
    /// Holds a character outside the allowed set.
    #[error("the ID `{id}` contains {shown}; use only letters A–Z, digits, `-`, `_` and `.`")]
    BadCharacter {
        /// The ID.
        id: String,
        /// The character, described for a reader (`a space`, `'/'`).
        shown: String,
    },
    /// Contains `..`.
    #[error("the ID `{0}` contains `..`, which is not allowed; use a single `.`")]
    DoubleDot(String),
    /// Ends with `.` or `.lock`, which git does not allow in a tag name.
    #[error("the ID `{0}` ends with `{1}`, which git does not allow in a tag name")]
    BadEnd(String, &'static str),
    /// A name of sopctl's own outputs, or a device name on Windows.
    #[error("the ID `{0}` cannot be used: {1}")]
    Reserved(String, &'static str),
}

impl DocId {
    /// The longest ID accepted.
    pub const MAX_LEN: usize = 64;

    /// Names of what sopctl writes beside the documents' folders in an output folder
    /// (`drafts/`, the site's `index.html`, `index.json` and `search-index.js`), compared
    /// without regard to letter case.
    pub const RESERVED: [&'static str; 4] =
        ["drafts", "index.html", "index.json", "search-index.js"];

    /// Device names Windows reserves in every folder, compared without regard to letter case
    /// and with any extension removed (`nul.txt` is `NUL` too).
    const WINDOWS_DEVICES: [&'static str; 22] = [
        "CON", "PRN", "AUX", "NUL", "COM1", "COM2", "COM3", "COM4", "COM5", "COM6", "COM7", "COM8",
        "COM9", "LPT1", "LPT2", "LPT3", "LPT4", "LPT5", "LPT6", "LPT7", "LPT8", "LPT9",
    ];

    /// Checks and wraps an ID.
    ///
    /// # Errors
    /// [`DocIdError`] saying which rule the text breaks.
    pub fn parse(text: &str) -> Result<DocId, DocIdError> {
        let Some(first) = text.chars().next() else {
            return Err(DocIdError::Empty);
        };
        if text.chars().count() > Self::MAX_LEN {
            return Err(DocIdError::TooLong(text.to_string()));
        }
        if let Some(bad) = text
            .chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        {
            let shown = match bad {
                ' ' => "a space".to_string(),
                '\t' => "a tab".to_string(),
                c => format!("'{c}'"),
            };
            return Err(DocIdError::BadCharacter {
                id: text.to_string(),
                shown,
            });
        }
        if !first.is_ascii_alphanumeric() {
            return Err(DocIdError::BadStart(text.to_string()));
        }
        if text.contains("..") {
            return Err(DocIdError::DoubleDot(text.to_string()));
        }
        if text.ends_with('.') {
            return Err(DocIdError::BadEnd(text.to_string(), "."));
        }
        if text.to_ascii_lowercase().ends_with(".lock") {
            return Err(DocIdError::BadEnd(text.to_string(), ".lock"));
        }
        if Self::RESERVED.iter().any(|r| r.eq_ignore_ascii_case(text)) {
            return Err(DocIdError::Reserved(
                text.to_string(),
                "sopctl names its own output with it; choose another ID",
            ));
        }
        let stem = text.split('.').next().unwrap_or(text);
        if Self::WINDOWS_DEVICES
            .iter()
            .any(|d| d.eq_ignore_ascii_case(stem))
        {
            return Err(DocIdError::Reserved(
                text.to_string(),
                "Windows reserves this name for a device, so it cannot be a folder there; choose another ID",
            ));
        }
        Ok(DocId(text.to_string()))
    }

    /// The ID as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Where a document stands in its life (SPEC §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Being written; not for use.
    Draft,
    /// Sent to reviewers.
    InReview,
    /// Approved, not yet in effect.
    Approved,
    /// The version in use.
    Effective,
    /// Replaced by another SOP (`superseded_by`).
    Superseded,
    /// Withdrawn without replacement.
    Obsolete,
}

impl Status {
    /// Every status, in lifecycle order.
    pub const ALL: [Status; 6] = [
        Status::Draft,
        Status::InReview,
        Status::Approved,
        Status::Effective,
        Status::Superseded,
        Status::Obsolete,
    ];

    /// The name written in front matter: `draft`, `in-review`, …
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::InReview => "in-review",
            Status::Approved => "approved",
            Status::Effective => "effective",
            Status::Superseded => "superseded",
            Status::Obsolete => "obsolete",
        }
    }

    /// The statuses this one may move to (SPEC §8): forward along
    /// `draft → in-review → approved → effective`, back to `draft` or `in-review` when a new
    /// revision starts, and from any live status to `superseded` or `obsolete`, which are final.
    /// `effective` is reached by `sopctl release`, retirement by `sopctl retire`.
    pub fn moves(self) -> &'static [Status] {
        use Status::{Approved, Draft, Effective, InReview, Obsolete, Superseded};
        match self {
            Draft => &[InReview, Approved, Effective, Superseded, Obsolete],
            InReview => &[Draft, Approved, Effective, Superseded, Obsolete],
            Approved => &[Draft, InReview, Effective, Superseded, Obsolete],
            Effective => &[Draft, InReview, Approved, Superseded, Obsolete],
            Superseded | Obsolete => &[],
        }
    }

    /// Whether a document may move from this status to `next` (staying put is always allowed).
    pub fn can_move_to(self, next: Status) -> bool {
        self == next || self.moves().contains(&next)
    }

    /// Reads a status name; case and `_` for `-` are forgiven (`In_Review`).
    pub fn parse(text: &str) -> Option<Status> {
        let norm = text.trim().to_ascii_lowercase().replace('_', "-");
        Status::ALL.into_iter().find(|s| s.as_str() == norm)
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The periodic review cycle (`review_interval`): `90 days`, `6 months`, `1 year`, `2 weeks`,
/// or one of `monthly`, `quarterly`, `semiannually`, `annually`, `yearly`.
///
/// Durations are read by jiff's "friendly" duration format; calendar units are kept as such,
/// so `6 months` after 31 August is 28 or 29 February (jiff's constrain rule), not 182 days.
#[derive(Debug, Clone)]
pub struct ReviewInterval {
    written: String,
    span: jiff::Span,
}

impl PartialEq for ReviewInterval {
    fn eq(&self, other: &Self) -> bool {
        self.written == other.written
    }
}

impl Eq for ReviewInterval {}

impl ReviewInterval {
    /// Reads an interval.
    ///
    /// # Errors
    /// A message for the user when the text is not an interval or is not positive.
    pub fn parse(text: &str) -> Result<ReviewInterval, String> {
        let norm = text.trim().to_ascii_lowercase();
        let named = match norm.as_str() {
            "monthly" => Some(jiff::Span::new().months(1)),
            "quarterly" => Some(jiff::Span::new().months(3)),
            "semiannually" | "semi-annually" | "half-yearly" => Some(jiff::Span::new().months(6)),
            "annually" | "yearly" => Some(jiff::Span::new().years(1)),
            "biennially" => Some(jiff::Span::new().years(2)),
            _ => None,
        };
        let refused = || {
            format!(
                "`{text}` is not a review interval: write e.g. `90 days`, `6 months`, `1 year`, `quarterly` or `annually`"
            )
        };
        let span = match named {
            Some(span) => span,
            None => norm.parse::<jiff::Span>().map_err(|_| refused())?,
        };
        let has_time = span.get_hours() != 0
            || span.get_minutes() != 0
            || span.get_seconds() != 0
            || span.get_milliseconds() != 0
            || span.get_microseconds() != 0
            || span.get_nanoseconds() != 0;
        if has_time || !span.is_positive() {
            return Err(refused());
        }
        Ok(ReviewInterval {
            written: text.trim().to_string(),
            span,
        })
    }

    /// The date one interval after `from`.
    ///
    /// # Errors
    /// When the date would fall outside the years jiff supports (−9999 to 9999).
    pub fn after(&self, from: jiff::civil::Date) -> Result<jiff::civil::Date, jiff::Error> {
        from.checked_add(self.span)
    }

    /// The interval as written.
    pub fn as_str(&self) -> &str {
        &self.written
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_follow_spec_section_1() {
        for ok in ["SOP-OPS-007", "0012", "a.b_c-d", "SOP-IT-001"] {
            assert_eq!(DocId::parse(ok).map(|d| d.to_string()), Ok(ok.to_string()));
        }
        assert_eq!(DocId::parse(""), Err(DocIdError::Empty));
        assert_eq!(
            DocId::parse("-SOP"),
            Err(DocIdError::BadStart("-SOP".into()))
        );
        assert_eq!(
            DocId::parse("SOP..1"),
            Err(DocIdError::DoubleDot("SOP..1".into()))
        );
        assert_eq!(
            DocId::parse("SOP 1").map_err(|e| e.to_string()),
            Err(
                "the ID `SOP 1` contains a space; use only letters A–Z, digits, `-`, `_` and `.`"
                    .into()
            )
        );
        assert!(DocId::parse("../etc").is_err());
        assert!(DocId::parse("SOP/1").is_err());
        assert!(DocId::parse("SÖP-1").is_err());
        assert!(DocId::parse(&"A".repeat(65)).is_err());
    }

    #[test]
    fn ids_that_would_make_a_bad_tag_or_folder_are_refused() {
        let refused = |id: &str| DocId::parse(id).map_err(|e| e.to_string());
        assert_eq!(
            refused("SOP-1."),
            Err("the ID `SOP-1.` ends with `.`, which git does not allow in a tag name".into())
        );
        assert_eq!(
            refused("SOP-1.LOCK"),
            Err(
                "the ID `SOP-1.LOCK` ends with `.lock`, which git does not allow in a tag name"
                    .into()
            )
        );
        assert_eq!(
            refused("Drafts"),
            Err("the ID `Drafts` cannot be used: sopctl names its own output with it; choose another ID".into())
        );
        assert!(refused("index.json").is_err());
        assert_eq!(
            refused("nul.txt"),
            Err("the ID `nul.txt` cannot be used: Windows reserves this name for a device, so it cannot be a folder there; choose another ID".into())
        );
        for id in ["CON", "com1", "LPT9.md", "aux"] {
            assert!(refused(id).is_err(), "{id}");
        }
        for id in [
            "CONTROL-1",
            "COM10",
            "SOP.lockout",
            "drafts-2",
            "index",
            "NUL-001",
        ] {
            assert!(DocId::parse(id).is_ok(), "{id}");
        }
    }

    #[test]
    fn statuses() {
        assert_eq!(Status::parse("In_Review"), Some(Status::InReview));
        assert_eq!(Status::parse("effective"), Some(Status::Effective));
        assert_eq!(Status::parse("active"), None);
    }

    #[test]
    fn review_intervals_add_calendar_units() {
        let date = |s: &str| s.parse::<jiff::civil::Date>().expect("date");
        let after = |text: &str, from: &str| {
            ReviewInterval::parse(text)
                .expect(text)
                .after(date(from))
                .expect("in range")
                .to_string()
        };
        assert_eq!(after("quarterly", "2025-11-08"), "2026-02-08");
        assert_eq!(after("90 days", "2025-11-08"), "2026-02-06");
        assert_eq!(after("6 months", "2025-08-31"), "2026-02-28");
        assert_eq!(after("1 year", "2024-02-29"), "2025-02-28");
        assert_eq!(after("annually", "2025-11-08"), "2026-11-08");
        assert_eq!(after("2 weeks", "2025-11-08"), "2025-11-22");
        assert!(ReviewInterval::parse("sometimes").is_err());
        assert!(ReviewInterval::parse("0 days").is_err());
        assert!(ReviewInterval::parse("3 hours").is_err());
    }
}
