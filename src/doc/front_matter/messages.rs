//! saphyr's YAML errors in a document owner's words, at the place of the fault.
//!
//! saphyr names the construct it was reading ("while parsing a quoted scalar, …") and points at
//! its start; the owner needs the fault itself and what to type. Where the fault can be found
//! in the text (a tab in the indentation, an escape double quotes do not know), the location
//! is moved onto it.

use std::ops::Range;

use super::{CharOffsets, FrontMatterError};
use crate::doc::source::location_in;

/// The error for `err`, met while reading the YAML at `range` of `text`.
pub(super) fn yaml_error(
    text: &str,
    range: &Range<usize>,
    offsets: &CharOffsets,
    err: &saphyr_parser::ScanError,
) -> FrontMatterError {
    let reported = offsets.byte(err.marker().index());
    if (err.info().contains("escape") || err.info().contains("hexadecimal"))
        && let Some((at, escape)) = bad_escape(text, reported, range.end)
    {
        return FrontMatterError::Yaml {
            location: location_in(text, at),
            message: escape_message(&escape),
        };
    }
    if err.info().contains("mapping values are not allowed")
        && let Some(key) = indented_key(text, reported)
    {
        return FrontMatterError::Yaml {
            location: location_in(text, key),
            message: "this line is indented, so YAML reads it as more of the value above it; start it at the beginning of the line, as the other keys".to_string(),
        };
    }
    // The reader may stop a line early on a tab: point at the tab itself.
    let at = if err.info().contains("tab") {
        first_indenting_tab(text, reported, range.end).unwrap_or(reported)
    } else {
        reported
    };
    FrontMatterError::Yaml {
        location: location_in(text, at),
        message: plain_yaml_message(err.info()),
    }
}

/// Where the key starts when the colon at `colon` is the first `: ` of an indented line: a
/// key indented by mistake (YAML then reads the line as the value above it going on), not a
/// colon inside a value.
fn indented_key(text: &str, colon: usize) -> Option<usize> {
    let start = text.get(..colon)?.rfind(['\n', '\r']).map_or(0, |i| i + 1);
    let before = text.get(start..colon)?;
    let key = before.trim_start_matches(' ');
    let indented = key.len() < before.len();
    (indented && !key.is_empty() && !key.contains(": ") && !key.starts_with(['-', '#']))
        .then_some(colon - key.len())
}

/// The escapes YAML knows in a double-quoted value (YAML 1.2 §5.7), after the backslash; `x`,
/// `u` and `U` take 2, 4 and 8 hexadecimal digits.
const ESCAPES: &str = "0abt\tnvfre \"/\\N_LPxuU";

/// The first escape YAML does not know in the double-quoted value that starts at `from` (the
/// opening quote), with its offset: `\<`, or `\x4` where digits are missing. A backslash at
/// the end of a line (which joins the lines) is an escape too.
fn bad_escape(text: &str, from: usize, end: usize) -> Option<(usize, String)> {
    let value = text.get(from..end)?;
    let mut chars = value.char_indices().skip(1);
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return None,
            '\\' => {
                let (_, next) = chars.next()?;
                if matches!(next, '\n' | '\r') {
                    continue;
                }
                if !ESCAPES.contains(next) {
                    return Some((from + i, format!("\\{next}")));
                }
                let digits = match next {
                    'x' => 2,
                    'u' => 4,
                    'U' => 8,
                    _ => continue,
                };
                let hex: String = value
                    .get(i + 2..)?
                    .chars()
                    .take(digits)
                    .take_while(char::is_ascii_hexdigit)
                    .collect();
                let code = u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32);
                if hex.len() < digits || code.is_none() {
                    return Some((from + i, format!("\\{next}{hex}")));
                }
                for _ in 0..digits {
                    chars.next();
                }
            }
            _ => {}
        }
    }
    None
}

/// What to say about an escape YAML does not know.
fn escape_message(escape: &str) -> String {
    let what = if escape.chars().count() > 2 || matches!(escape, "\\x" | "\\u" | "\\U") {
        "is not a YAML escape: `\\x`, `\\u` and `\\U` are followed by 2, 4 and 8 hexadecimal digits of a character".to_string()
    } else {
        "is not a YAML escape (between double quotes a backslash starts one, such as `\\\"` or `\\n`)".to_string()
    };
    format!(
        "`{escape}` {what}; drop the backslash, or put the value in single quotes, which keep every character as written"
    )
}

/// The offset of the first tab in the leading white space of a line, from the line holding
/// `from` up to `end`.
fn first_indenting_tab(text: &str, from: usize, end: usize) -> Option<usize> {
    let start = text.get(..from)?.rfind('\n').map_or(0, |i| i + 1);
    let mut offset = start;
    for line in text.get(start..end)?.split_inclusive('\n') {
        let indent = line.len() - line.trim_start_matches([' ', '\t']).len();
        if let Some(tab) = line.get(..indent).and_then(|lead| lead.find('\t')) {
            return Some(offset + tab);
        }
        offset += line.len();
    }
    None
}

/// saphyr's messages in a document owner's words where we know a better one.
fn plain_yaml_message(info: &str) -> String {
    if info.contains("tab") {
        "a tab is used for indentation; YAML allows only spaces there".to_string()
    } else if info.contains("mapping values are not allowed") {
        "a value that contains a colon and a space must be in quotes, e.g. title: \"Cleaning: the mixer\"".to_string()
    } else if info.contains("illegal placement of ':'")
        || info.contains("flow sequence")
        || info.contains("',' or ']'")
    {
        "a value that starts with `[` is read as a list, and this one is not closed with `]`; put the value in quotes, e.g. title: \"[Draft] Cleaning\"".to_string()
    } else if info.contains("flow mapping") || info.contains("',' or '}'") {
        "a value that starts with `{` is read as a group of keys, and this one is not closed with `}`; put the value in quotes".to_string()
    } else if info.contains("trailing content after") {
        "the value ends at its closing quote mark, and more text follows it on the line: put all of the value inside the quotes, e.g. title: \"'Clean' room 3\"".to_string()
    } else if info.contains("escape") || info.contains("hexadecimal") {
        "a backslash between double quotes starts an escape YAML does not know; drop the backslash, or put the value in single quotes, which keep every character as written".to_string()
    } else if info.contains("quoted scalar") {
        "a quoted value is not closed: end it with the same quote mark it starts with".to_string()
    } else if let Some(c) = info
        .strip_prefix("unexpected character: `")
        .and_then(|rest| rest.chars().next())
    {
        format!("a value that starts with `{c}` must be in quotes, e.g. title: \"{c}…\"")
    } else if info.contains("unknown anchor") {
        "a value that starts with `*` must be in quotes (YAML reads it as a reference)".to_string()
    } else if info.contains("':' must be followed by") {
        "put a space after the colon (a tab does not count), e.g. title: Cleaning".to_string()
    } else if info.contains("did not find expected key") {
        "this value cannot be read as written (it starts with a sign YAML gives a meaning, such as `[`, `{`, `&`, `!` or a quote); put the whole value in quotes, e.g. title: \"[Draft] Cleaning\"".to_string()
    } else if info.contains("expect ':'") || info.contains("expected ':'") {
        "this line is neither `key: value` nor part of the value above it: check for a missing colon, or put the value in quotes".to_string()
    } else {
        format!("{info} (putting the value in quotes usually helps)")
    }
}
