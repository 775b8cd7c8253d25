//! The front matter of two versions compared (issue 18 item 2): the values `release` writes
//! (version, effective date, status) and every value a person writes (title, owner, approvers,
//! audience, review interval and any key of the team's own), each reported as before and after.

use super::Change;
use crate::doc::Sop;
use crate::doc::front_matter::{FrontMatter, Value};

/// Keys compared by their meaning ([`changes`] reads them from the metadata), not as written.
const READ: [&str; 7] = [
    "id",
    "version",
    "effective",
    "status",
    "title",
    "owner",
    "review_interval",
];

/// The front-matter values that differ between `old` and `new`: version, effective date,
/// status, title, owner and review interval as the metadata reads them, then every other key
/// as written, in the later version's order (keys only in the earlier one last). A key is named
/// with spaces for underscores (`review interval`).
pub(super) fn changes(old: &Sop, new: &Sop) -> Vec<Change> {
    let mut managed = Vec::new();
    let (mo, mn) = (&old.metadata, &new.metadata);
    let pairs: [(&str, String, String); 6] = [
        (
            "version",
            mo.version
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
            mn.version
                .as_ref()
                .map(ToString::to_string)
                .unwrap_or_default(),
        ),
        (
            "effective",
            mo.effective.map(|d| d.to_string()).unwrap_or_default(),
            mn.effective.map(|d| d.to_string()).unwrap_or_default(),
        ),
        (
            "status",
            mo.status_or_default().to_string(),
            mn.status_or_default().to_string(),
        ),
        (
            "title",
            mo.title.clone().unwrap_or_default(),
            mn.title.clone().unwrap_or_default(),
        ),
        (
            "owner",
            mo.owner.clone().unwrap_or_default(),
            mn.owner.clone().unwrap_or_default(),
        ),
        (
            "review interval",
            mo.review_interval
                .as_ref()
                .map(|i| i.as_str().to_string())
                .unwrap_or_default(),
            mn.review_interval
                .as_ref()
                .map(|i| i.as_str().to_string())
                .unwrap_or_default(),
        ),
    ];
    for (what, from, to) in pairs {
        if from != to {
            managed.push(Change {
                what: what.to_string(),
                from,
                to,
            });
        }
    }
    let (fo, fn_) = (old.front_matter.as_ref(), new.front_matter.as_ref());
    let mut keys: Vec<&str> = Vec::new();
    for fm in [fn_, fo].into_iter().flatten() {
        for e in &fm.entries {
            if !READ.contains(&e.key.as_str()) && !keys.contains(&e.key.as_str()) {
                keys.push(&e.key);
            }
        }
    }
    for key in keys {
        let from = fo.and_then(|fm| written(old, fm, key)).unwrap_or_default();
        let to = fn_.and_then(|fm| written(new, fm, key)).unwrap_or_default();
        if from != to {
            managed.push(Change {
                what: key.replace('_', " "),
                from,
                to,
            });
        }
    }
    managed
}

/// A key's value as written: a single value as it reads, a list's items joined by `, `, and
/// anything else (a mapping) as its lines, spacing squeezed.
fn written(sop: &Sop, fm: &FrontMatter, key: &str) -> Option<String> {
    let entry = fm.get(key)?;
    Some(match &entry.value {
        Value::Scalar(s) if s.is_null() => String::new(),
        Value::Scalar(s) => s.value.trim().to_string(),
        Value::Sequence { items, .. } => items
            .iter()
            .map(|i| i.value.trim())
            .collect::<Vec<_>>()
            .join(", "),
        Value::Other { .. } => {
            let text = sop.source.text();
            let start: usize = text
                .split_inclusive('\n')
                .take(entry.location.line.saturating_sub(1))
                .map(str::len)
                .sum();
            let raw = text.get(start..entry.line_end).unwrap_or_default();
            let value = raw.split_once(':').map_or(raw, |(_, v)| v);
            value.split_whitespace().collect::<Vec<_>>().join(" ")
        }
    })
}
