//! Which values sopctl can rewrite in place, and what to write instead of one it cannot.
//!
//! sopctl replaces the text of a managed value and nothing else (SPEC §1). That is an edit of
//! the value only when the value is written once, on one line: an anchored value (`&issued`)
//! is repeated by its aliases, an alias (`*issued`) is not the value itself, and a block
//! (`|`, `>`) spans lines. `check` reports these for every key in [`REWRITTEN_KEYS`], so that
//! `release` and `retire` never meet them (issue 14 item 3, `cases/` B33).

use super::{EditError, FrontMatter, Quoting, Value};

/// The keys sopctl rewrites in place, with when it does (SPEC §5, §8).
pub const REWRITTEN_KEYS: [(&str, &str); 4] = [
    ("version", "on every release"),
    ("effective", "on every release"),
    ("status", "on release and retirement"),
    ("superseded_by", "when the SOP is retired"),
];

impl FrontMatter {
    /// Whether `key`'s value can be rewritten in place; a missing key or an empty value can
    /// (it is added, or filled in).
    ///
    /// # Errors
    /// [`EditError::NotASingleValue`] for a list or a mapping, [`EditError::Alias`] for an
    /// alias, [`EditError::Anchored`] for a value with an anchor, [`EditError::Block`] for a
    /// block scalar.
    pub fn rewritable(&self, key: &str) -> Result<(), EditError> {
        let Some(entry) = self.get(key) else {
            return Ok(());
        };
        let s = match &entry.value {
            Value::Scalar(s) => s,
            Value::Sequence { .. } | Value::Other { .. } => {
                return Err(EditError::NotASingleValue {
                    key: key.to_string(),
                    line: entry.location.line,
                });
            }
        };
        let value = s.value.trim().to_string();
        if let Some(alias) = &s.alias {
            return Err(EditError::Alias {
                key: key.to_string(),
                location: s.location,
                value,
                anchor: alias.name.clone(),
                anchor_line: alias.anchor.line,
            });
        }
        if let Some(anchor) = &s.anchor {
            // The keys written as an alias, by place: one pass, however many aliases there are.
            let keys: std::collections::BTreeMap<super::Location, &str> = self
                .entries
                .iter()
                .filter_map(|e| match &e.value {
                    Value::Scalar(s) if s.alias.is_some() => Some((s.location, e.key.as_str())),
                    _ => None,
                })
                .collect();
            let mut aliases: Vec<(usize, Option<String>)> = anchor
                .aliases
                .iter()
                .take(MAX_SHOWN)
                .map(|at| (at.line, keys.get(at).map(|k| (*k).to_string())))
                .collect();
            let more = anchor.aliases.len().saturating_sub(MAX_SHOWN);
            aliases.dedup();
            return Err(EditError::Anchored {
                key: key.to_string(),
                location: s.location,
                value,
                anchor: anchor.name.clone(),
                aliases,
                more,
            });
        }
        if s.quoting == Quoting::Block {
            return Err(EditError::Block {
                key: key.to_string(),
                // The key's line, which holds the `|` or `>`.
                location: entry.location,
                value,
            });
        }
        Ok(())
    }
}

/// The most aliases a message names (the first ones in the file).
const MAX_SHOWN: usize = 5;

/// When sopctl rewrites `key`.
fn when(key: &str) -> &'static str {
    REWRITTEN_KEYS
        .iter()
        .find(|(k, _)| *k == key)
        .map_or("when it releases the SOP", |(_, when)| when)
}

/// `key: value` as it should be written, or `key: …` when there is no value to show (none,
/// several lines, or more than 64 characters: sopctl's own values are short).
fn line(key: &str, value: &str) -> String {
    if value.is_empty() || value.contains('\n') || value.chars().count() > 64 {
        format!("`{key}: …`")
    } else {
        format!("`{key}: {value}`")
    }
}

/// `line 10`, `lines 10 and 12`, `lines 10, 12 and 14`; with `more`, `lines 10, 12 and 3 more`.
fn lines(numbers: &[usize], more: usize) -> String {
    let mut shown: Vec<String> = numbers.iter().map(ToString::to_string).collect();
    if more > 0 {
        shown.push(format!("{more} more"));
    }
    match shown.as_slice() {
        [] => String::new(),
        [one] if more == 0 => format!("line {one}"),
        [rest @ .., last] => format!("lines {} and {last}", rest.join(", ")),
    }
}

/// The message of [`EditError::Anchored`]: `aliases` are the lines of the aliases, each with
/// the top-level key written as it when there is one.
pub(super) fn anchored(
    key: &str,
    value: &str,
    anchor: &str,
    aliases: &[(usize, Option<String>)],
    more: usize,
) -> String {
    let when = when(key);
    if aliases.is_empty() {
        return format!(
            "`{key}` carries the YAML anchor `&{anchor}`, which sopctl cannot keep when it rewrites `{key}` ({when}); write {} without the anchor",
            line(key, value)
        );
    }
    let numbers: Vec<usize> = aliases.iter().map(|(n, _)| *n).collect();
    let at = lines(&numbers, more);
    let mut fixes = vec![format!("{} here", line(key, value))];
    fixes.extend(aliases.iter().map(|(n, alias_key)| match alias_key {
        Some(k) => format!("{} on line {n}", line(k, value)),
        None => format!("the value itself on line {n}"),
    }));
    let fixes = match fixes.as_slice() {
        [rest @ .., last] if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => fixes.join(""),
    };
    format!(
        "`{key}` carries the YAML anchor `&{anchor}`, which {at} repeat{} as `*{anchor}`; sopctl rewrites `{key}` {when}, and {at} would change with it: write the value itself in each place, {fixes}",
        if numbers.len() + more == 1 { "s" } else { "" },
    )
}

pub(super) fn alias(key: &str, value: &str, anchor: &str, anchor_line: usize) -> String {
    format!(
        "`{key}` is written as `*{anchor}`, which repeats the value anchored on line {anchor_line}; sopctl rewrites `{key}` {}: write the value itself, {}",
        when(key),
        line(key, value)
    )
}

pub(super) fn block(key: &str, value: &str) -> String {
    format!(
        "`{key}` is written as a block over several lines (after `|` or `>`); sopctl rewrites `{key}` {}: write it on one line, {}",
        when(key),
        line(key, value)
    )
}
