//! The typed view of the front matter (SPEC §1), read leniently: every problem becomes a
//! [`Finding`] and the value is left blank, so `render` can still show a document while
//! `check` and `release` refuse it.

use std::collections::HashMap;
use std::path::Path;

use jiff::civil::Date;

use super::fields::{DocId, ReviewInterval, Status};
use super::finding::Finding;
use super::front_matter::{EditError, FrontMatter, REWRITTEN_KEYS, Scalar, Value};
use super::source::Location;
use crate::version::DocVersion;

/// The keys SPEC §1 gives a meaning to. Other keys are kept as they are and not checked.
pub const KNOWN_KEYS: [&str; 10] = [
    "id",
    "title",
    "version",
    "owner",
    "status",
    "effective",
    "review_interval",
    "approvers",
    "superseded_by",
    "audience",
];

/// The known key an unknown one is probably a misspelling of. A key more than twice as long as
/// the longest known key (15 characters) is too far from all of them to be compared: edit
/// distance costs time and memory in the product of the lengths, and a key may be megabytes.
fn near_known_key(key: &str) -> Option<&'static str> {
    (key.len() <= 32)
        .then(|| crate::suggest::nearest(key, KNOWN_KEYS))
        .flatten()
}

/// What the front matter says, typed. A value that is missing or wrong is `None` (and a
/// finding says why).
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize)]
pub struct Metadata {
    /// `id`, required.
    pub id: Option<DocId>,
    /// `title`, required.
    pub title: Option<String>,
    /// `version`; `None` when absent (the document is then at 1.0) or invalid.
    pub version: Option<DocVersion>,
    /// `owner`, required.
    pub owner: Option<String>,
    /// `status`; `None` when absent (the document is then a draft) or invalid.
    pub status: Option<Status>,
    /// `effective`: the date the current version took effect.
    pub effective: Option<Date>,
    /// `review_interval`, as written.
    #[serde(serialize_with = "interval_as_str")]
    pub review_interval: Option<ReviewInterval>,
    /// `approvers`: roles or names whose approval a release needs.
    pub approvers: Vec<String>,
    /// `audience`: the roles whose people must be trained on the SOP (issue 17), as the
    /// signers registry names roles (`Operators`).
    pub audience: Vec<String>,
    /// `superseded_by`: the ID of the SOP that replaces this one.
    pub superseded_by: Option<DocId>,
}

fn interval_as_str<S: serde::Serializer>(
    v: &Option<ReviewInterval>,
    s: S,
) -> Result<S::Ok, S::Error> {
    match v {
        Some(i) => s.serialize_str(i.as_str()),
        None => s.serialize_none(),
    }
}

impl Metadata {
    /// The version, or 1.0.0 when the front matter does not give one (SPEC §1).
    pub fn version_or_default(&self) -> DocVersion {
        self.version
            .clone()
            .unwrap_or_else(|| DocVersion::new(1, 0, 0))
    }

    /// The status, or `draft` when the front matter does not give one (SPEC §1).
    pub fn status_or_default(&self) -> Status {
        self.status.unwrap_or(Status::Draft)
    }

    /// The date of the next periodic review: one `review_interval` after `since` (the later of
    /// the last release and the last review, SPEC §8). `None` without an interval.
    pub fn next_review(&self, since: Option<Date>) -> Option<Date> {
        let interval = self.review_interval.as_ref()?;
        interval.after(since?).ok()
    }

    /// Reads the typed values from `front_matter` (`None`: the file has none). Findings name
    /// `path` and the place of each problem; a missing required key is reported at line 1.
    pub fn read(path: &Path, front_matter: Option<&FrontMatter>) -> (Metadata, Vec<Finding>) {
        let mut meta = Metadata::default();
        let mut findings = Vec::new();
        let Some(fm) = front_matter else {
            return (meta, findings);
        };
        let top = Location { line: 1, column: 1 };

        let seen: HashMap<&str, usize> = fm
            .entries
            .iter()
            .map(|e| (e.key.as_str(), e.location.line))
            .collect();
        for dup in &fm.duplicates {
            findings.push(Finding::error(
                path,
                dup.location,
                format!(
                    "`{}` is given twice (lines {} and {}); keep one",
                    dup.key, dup.first_line, dup.location.line
                ),
            ));
        }
        // Values sopctl rewrites must be written once, on their own line (`cases/` B33); a
        // list or mapping is reported below, as for every key that takes a single value.
        for (key, _) in REWRITTEN_KEYS {
            match fm.rewritable(key) {
                Ok(()) | Err(EditError::NotASingleValue { .. }) => {}
                Err(e) => findings.push(Finding::error(path, e.location(), e.to_string())),
            }
        }

        let single = |key: &str, findings: &mut Vec<Finding>| -> Option<Scalar> {
            let entry = fm.get(key)?;
            match &entry.value {
                Value::Scalar(s) if s.is_null() || s.value.trim().is_empty() => None,
                Value::Scalar(s) => Some(s.clone()),
                other => {
                    findings.push(Finding::error(
                        path,
                        other.location(),
                        format!("`{key}` must be a single value, written `{key}: value`"),
                    ));
                    None
                }
            }
        };

        for entry in &fm.entries {
            if KNOWN_KEYS.contains(&entry.key.as_str()) {
                continue;
            }
            let lower = entry.key.to_lowercase();
            if KNOWN_KEYS.contains(&lower.as_str()) {
                findings.push(Finding::warning(
                    path,
                    entry.location,
                    format!("keys are written in lower case: `{}` is read as an unknown key; write `{lower}`", entry.key),
                ));
            } else if let Some(near) = near_known_key(&entry.key)
                && !seen.contains_key(near)
            {
                findings.push(Finding::warning(
                    path,
                    entry.location,
                    format!("unknown key `{}`; did you mean `{near}`?", entry.key),
                ));
            }
        }

        for key in ["id", "title", "owner"] {
            if single(key, &mut Vec::new()).is_none()
                && !matches!(
                    fm.get(key).map(|e| &e.value),
                    Some(Value::Sequence { .. } | Value::Other { .. })
                )
            {
                let at = fm.get(key).map_or(top, |e| e.location);
                findings.push(Finding::error(
                    path,
                    at,
                    format!("the front matter has no `{key}`; add a line `{key}: …`"),
                ));
            }
        }

        if let Some(s) = single("id", &mut findings) {
            match DocId::parse(s.value.trim()) {
                Ok(id) => meta.id = Some(id),
                Err(e) => findings.push(Finding::error(path, s.location, e.to_string())),
            }
        }
        meta.title = single("title", &mut findings).map(|s| s.value.trim().to_string());
        meta.owner = single("owner", &mut findings).map(|s| s.value.trim().to_string());
        if let Some(s) = single("version", &mut findings) {
            match DocVersion::parse(&s.value) {
                Ok(v) => meta.version = Some(v),
                Err(e) => findings.push(Finding::error(path, s.location, format!("version: {e}"))),
            }
        }
        if let Some(s) = single("status", &mut findings) {
            match Status::parse(&s.value) {
                Some(st) => meta.status = Some(st),
                None => findings.push(Finding::error(
                    path,
                    s.location,
                    format!(
                        "`{}` is not a status; use one of: {}",
                        s.value,
                        Status::ALL.map(Status::as_str).join(", ")
                    ),
                )),
            }
        }
        if let Some(s) = single("effective", &mut findings) {
            match parse_date(&s.value) {
                Ok(d) => meta.effective = Some(d),
                Err(msg) => findings.push(Finding::error(
                    path,
                    s.location,
                    format!("effective: {msg}"),
                )),
            }
        }
        if let Some(s) = single("review_interval", &mut findings) {
            match ReviewInterval::parse(&s.value) {
                Ok(i) => meta.review_interval = Some(i),
                Err(msg) => findings.push(Finding::error(
                    path,
                    s.location,
                    format!("review_interval: {msg}"),
                )),
            }
        }
        meta.approvers = roles(fm, "approvers", path, &mut findings);
        meta.audience = roles(fm, "audience", path, &mut findings);
        if let Some(s) = single("superseded_by", &mut findings) {
            match DocId::parse(s.value.trim()) {
                Ok(id) => meta.superseded_by = Some(id),
                Err(e) => findings.push(Finding::error(
                    path,
                    s.location,
                    format!("superseded_by: {e}"),
                )),
            }
        }
        (meta, findings)
    }
}

/// Reads an ISO calendar date `YYYY-MM-DD` (no time, no time zone).
///
/// # Errors
/// A message for the user, e.g. for `2025-13-01`, `08.11.2025` or `2025-11-08T10:00Z`.
pub fn parse_date(text: &str) -> Result<Date, String> {
    let t = text.trim();
    let shaped = t.len() == 10
        && t.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(format!(
            "`{t}` is not a date; write it as YYYY-MM-DD, e.g. 2025-11-08"
        ));
    }
    t.parse::<Date>()
        .map_err(|_| format!("`{t}` is not a real calendar date"))
}

/// The roles listed under `key` (`approvers`, `audience`): a list, or one value. A role listed
/// twice (in any capitals: roles are matched without regard to them) is an error at its
/// second place, as is one that [`role`] refuses.
fn roles(fm: &FrontMatter, key: &str, path: &Path, findings: &mut Vec<Finding>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let Some(entry) = fm.get(key) else {
        return out;
    };
    let noun = if key == "approvers" {
        "approver"
    } else {
        "audience role"
    };
    match &entry.value {
        Value::Sequence { items, .. } => {
            // Each role by its lower-case form: the first spelling met (40,000 approvers are
            // read in linear time).
            let mut seen: std::collections::HashMap<String, usize> = Default::default();
            for item in items {
                let Some(role) = role(item, noun, path, findings) else {
                    continue;
                };
                if let Some(first) = seen
                    .get(&role.to_ascii_lowercase())
                    .and_then(|i| out.get(*i))
                {
                    findings.push(Finding::error(
                        path,
                        item.location,
                        format!("the {noun} `{role}` is listed twice (as `{first}` before); list each role or person once"),
                    ));
                    continue;
                }
                seen.insert(role.to_ascii_lowercase(), out.len());
                out.push(role);
            }
        }
        Value::Scalar(s) if s.is_null() => {}
        Value::Scalar(s) => out.extend(role(s, noun, path, findings)),
        Value::Other { location } => findings.push(Finding::error(
            path,
            *location,
            format!("`{key}` must be a list of roles or names, one `- name` per line"),
        )),
    }
    out
}

/// One entry of `approvers` or `audience` (`noun` names it in messages), trimmed; `None` when
/// empty, or, with an error at its place, when it holds a line break or another control
/// character (a role is written on records, the approval commit's trailers, the tag, the
/// revision history's cells, one line each, and `approve --role` could never name it) or a
/// `|` (which separates the parts of an `Approved-by:` trailer).
fn role(item: &Scalar, noun: &str, path: &Path, findings: &mut Vec<Finding>) -> Option<String> {
    let role = item.value.trim();
    if role.chars().any(char::is_control) {
        findings.push(Finding::error(
            path,
            item.location,
            format!(
                "the {noun} {:?} holds a line break or another control character; write each role or name on one line",
                role
            ),
        ));
        return None;
    }
    if role.contains('|') {
        findings.push(Finding::error(
            path,
            item.location,
            format!(
                "the {noun} `{role}` holds a `|`, which separates the parts of an approval in the release record; write it without one (e.g. `QA / Lab`)"
            ),
        ));
        return None;
    }
    (!role.is_empty()).then(|| role.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doc::front_matter::split;
    use crate::doc::source::SourceText;

    fn read(text: &str) -> (Metadata, Vec<String>) {
        let src =
            SourceText::from_bytes(Path::new("s.md"), text.as_bytes().to_vec()).expect("utf-8");
        let split = split(&src).expect("front matter");
        let (meta, findings) = Metadata::read(Path::new("s.md"), split.front_matter.as_ref());
        (meta, findings.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn a_complete_front_matter_is_read_as_written() {
        let (meta, findings) = read(
            "---\nid: SOP-IT-001\ntitle: Privacy\nversion: 1.10\nowner: QA\nstatus: effective\neffective: 2025-11-08\nreview_interval: quarterly\napprovers: [QA Manager]\n---\n",
        );
        assert_eq!(findings, Vec::<String>::new());
        assert_eq!(meta.id.as_ref().map(DocId::as_str), Some("SOP-IT-001"));
        assert_eq!(
            meta.version.as_ref().map(DocVersion::full).as_deref(),
            Some("1.10.0")
        );
        assert_eq!(meta.status, Some(Status::Effective));
        assert_eq!(
            meta.effective.map(|d| d.to_string()).as_deref(),
            Some("2025-11-08")
        );
        assert_eq!(meta.approvers, ["QA Manager"]);
        assert_eq!(
            meta.next_review(meta.effective)
                .map(|d| d.to_string())
                .as_deref(),
            Some("2026-02-08")
        );
    }

    #[test]
    fn an_approver_written_over_two_lines_is_an_error_at_its_place() {
        let (meta, findings) = read(
            "---\nid: A\ntitle: T\nowner: QA\napprovers: [\"QA\\nManager\", Site Director]\n---\n",
        );
        assert_eq!(
            findings,
            [
                "s.md:5:13: error: the approver \"QA\\nManager\" holds a line break or another control character; write each role or name on one line"
            ]
        );
        assert_eq!(meta.approvers, ["Site Director"]);
    }

    #[test]
    fn each_problem_is_located() {
        let (meta, findings) = read(
            "---\nid: SOP 1\nversion: one\nstatus: active\neffective: 2025-13-01\nreview_interval: often\nid: B\n---\n",
        );
        assert_eq!(meta.id, None);
        assert_eq!(
            findings,
            [
                "s.md:7:1: error: `id` is given twice (lines 2 and 7); keep one",
                "s.md:1:1: error: the front matter has no `title`; add a line `title: …`",
                "s.md:1:1: error: the front matter has no `owner`; add a line `owner: …`",
                "s.md:2:5: error: the ID `SOP 1` contains a space; use only letters A–Z, digits, `-`, `_` and `.`",
                "s.md:3:10: error: version: `one` is not a version: write it as 1, 1.1 or 1.1.0",
                "s.md:4:9: error: `active` is not a status; use one of: draft, in-review, approved, effective, superseded, obsolete",
                "s.md:5:12: error: effective: `2025-13-01` is not a real calendar date",
                "s.md:6:18: error: review_interval: `often` is not a review interval: write e.g. `90 days`, `6 months`, `1 year`, `quarterly` or `annually`",
            ]
        );
    }

    // See: cases/README.md B33 — values are read through aliases; an anchored value that
    // release rewrites is an error at the anchor; keys given twice in a nested mapping too.
    #[test]
    fn aliases_anchors_and_nested_duplicate_keys() {
        let (meta, findings) = read(
            "---\nid: A\ntitle: T\nowner: &o QA\nreviewed_by: *o\nstatus: &s draft\nextra:\n  k: 1\n  k: 2\n---\n",
        );
        assert_eq!(meta.owner.as_deref(), Some("QA"));
        assert_eq!(meta.status, Some(Status::Draft));
        assert_eq!(
            findings,
            [
                "s.md:9:3: error: `k` is given twice (lines 8 and 9); keep one",
                "s.md:6:9: error: `status` carries the YAML anchor `&s`, which sopctl cannot keep when it rewrites `status` (on release and retirement); write `status: draft` without the anchor",
            ]
        );
    }

    #[test]
    fn misspelt_and_capitalised_keys_are_warned_about() {
        let (_, findings) = read(
            "---\nid: A\ntitle: T\nOwner: QA\nstaus: draft\nreview_intervall: 1 year\nreviewer: Bob\n---\n",
        );
        assert_eq!(
            findings,
            [
                "s.md:4:1: warning: keys are written in lower case: `Owner` is read as an unknown key; write `owner`",
                "s.md:5:1: warning: unknown key `staus`; did you mean `status`?",
                "s.md:6:1: warning: unknown key `review_intervall`; did you mean `review_interval`?",
                "s.md:1:1: error: the front matter has no `owner`; add a line `owner: …`",
            ]
        );
    }

    #[test]
    fn dates_have_no_time_or_zone() {
        assert!(parse_date("2025-11-08").is_ok());
        assert!(parse_date("2025-11-08T10:00:00Z").is_err());
        assert!(parse_date("08.11.2025").is_err());
        assert!(parse_date("2025-02-29").is_err());
    }
}
