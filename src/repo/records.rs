//! Release records: the annotated tags that are the source of truth for history (SPEC §3).
//!
//! sopctl writes each release as an annotated tag whose message is the summary followed by
//! trailers:
//!
//! ```text
//! Add FAQ for enterprise plans
//!
//! Document: SOP-IT-001
//! Version: 1.1.0
//! Date: 2026-02-01
//! Author: Alex Example
//! ```
//!
//! Tags made by other tools are read too (`cases/` B16, B18, B20): for those the date is the
//! tagger's date (annotated) or the commit's (lightweight), the author the tagger's or the
//! commit author's name, and the summary the subject of the commit, since such tag messages
//! ("Release 1.1.0") say nothing about the change. Messages that are not UTF-8 are decoded by
//! their `encoding` header when they have one, else lossily (bad bytes become U+FFFD), never
//! dropped.

use jiff::civil::Date;

use crate::version::DocVersion;

/// One released version of a document.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ReleaseRecord {
    /// The version released.
    pub version: DocVersion,
    /// The effective date.
    pub date: Date,
    /// The day the release was recorded: its tag's time (the commit's, for a lightweight
    /// tag), in the offset it was made in. A release recorded before another one's effective
    /// day replaced that one before it took effect (issue 16).
    pub recorded: Date,
    /// Who released it (the revision history's Author column).
    pub author: String,
    /// Why this version exists (the Changes column).
    pub summary: String,
    /// Approvals recorded for it (`Approved-by:` trailers), as written.
    pub approvals: Vec<String>,
    /// The tag's name.
    pub tag: String,
    /// The full id of the commit the tag points at.
    pub commit: String,
    /// Whether sopctl made the tag (it has a `Version:` trailer).
    pub by_sopctl: bool,
    /// Whether this release brought an existing document under sopctl (`Adopted: yes`): its
    /// revision-history row was written before sopctl and is kept as it is.
    pub adopted: bool,
    /// Whether the release said its audience must train on it again (`Retrain: yes` or `no`,
    /// issue 17); `None` for a tag that does not say (then the kind of release decides:
    /// [`crate::training::needs_training`]).
    pub retrain: Option<bool>,
}

impl ReleaseRecord {
    /// The short commit id (first 7 hex digits), as printed on renditions.
    pub fn short_commit(&self) -> &str {
        &self.commit[..self.commit.len().min(7)]
    }

    /// The release date at 00:00 UTC in seconds since the Unix epoch: the creation date its
    /// PDF copies carry, so that a copy made again is the same bytes.
    pub fn pdf_date(&self) -> i64 {
        self.date
            .to_zoned_datetime(jiff::tz::TimeZone::UTC)
            .map_or(0, |z| z.timestamp().as_second())
    }
}

/// A tag or commit message split into its text and its trailers (`Key: value` lines in the
/// last paragraph, as git's `interpret-trailers` reads them).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Message {
    /// The text before the trailers, trimmed.
    pub text: String,
    /// The trailers in order.
    pub trailers: Vec<(String, String)>,
}

impl Message {
    /// Splits a message.
    pub fn parse(message: &str) -> Message {
        let normalized = message.replace("\r\n", "\n");
        let trimmed = normalized.trim_end();
        let (body, last) = match trimmed.rfind("\n\n") {
            Some(i) => (&trimmed[..i], &trimmed[i + 2..]),
            None => ("", trimmed),
        };
        let parsed: Option<Vec<(String, String)>> = last
            .lines()
            .map(|line| {
                let (key, value) = line.split_once(':')?;
                let key_ok =
                    !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
                key_ok.then(|| (key.to_string(), value.trim().to_string()))
            })
            .collect();
        match parsed {
            Some(trailers) if !trailers.is_empty() && !body.trim().is_empty() => Message {
                text: body.trim().to_string(),
                trailers,
            },
            _ => Message {
                text: trimmed.trim().to_string(),
                trailers: Vec::new(),
            },
        }
    }

    /// The first trailer with this key (case-insensitive).
    pub fn trailer(&self, key: &str) -> Option<&str> {
        self.trailers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.as_str())
    }

    /// Every trailer with this key.
    pub fn all(&self, key: &str) -> Vec<String> {
        self.trailers
            .iter()
            .filter(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The text after its first paragraph (the subject): a record's note or reason, trimmed;
    /// empty when there is none.
    pub fn body(&self) -> &str {
        self.text
            .split_once("\n\n")
            .map_or("", |(_, rest)| rest.trim())
    }

    /// The text's first paragraph on one line: what the revision history shows.
    pub fn summary(&self) -> String {
        self.text
            .split("\n\n")
            .next()
            .unwrap_or("")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// The message of a release tag: summary, a blank line, then the trailers.
pub fn release_message(summary: &str, trailers: &[(&str, String)]) -> String {
    let mut out = summary.trim().to_string();
    out.push_str("\n\n");
    for (key, value) in trailers {
        out.push_str(key);
        out.push_str(": ");
        out.push_str(value);
        out.push('\n');
    }
    out
}

/// The lines that open a signature in a git object, as git's `gpg-interface.c` knows them:
/// OpenPGP (`-----BEGIN PGP SIGNATURE-----`, and `PGP MESSAGE` from old versions), X.509
/// (`-----BEGIN SIGNED MESSAGE-----`) and SSH (`-----BEGIN SSH SIGNATURE-----`).
pub const SIGNATURE_STARTS: [&str; 4] = [
    "-----BEGIN PGP SIGNATURE-----",
    "-----BEGIN PGP MESSAGE-----",
    "-----BEGIN SIGNED MESSAGE-----",
    "-----BEGIN SSH SIGNATURE-----",
];

/// Where the signature of a signed tag starts in `bytes` (a tag object or its message): the
/// last line that opens one ([`SIGNATURE_STARTS`]), as git's `parse_signed_buffer` finds it.
/// `bytes.len()` when the tag is not signed. Everything before it is what was signed.
pub fn signature_start(bytes: &[u8]) -> usize {
    let mut found = bytes.len();
    let mut at = 0;
    while at < bytes.len() {
        let rest = bytes.get(at..).unwrap_or_default();
        if SIGNATURE_STARTS
            .iter()
            .any(|s| rest.starts_with(s.as_bytes()))
        {
            found = at;
        }
        at += rest
            .iter()
            .position(|b| *b == b'\n')
            .map_or(rest.len(), |i| i + 1);
    }
    found
}

/// Decodes a git message: by its `encoding` header when it names something other than UTF-8,
/// else as UTF-8 with each invalid byte replaced by U+FFFD (as `git log` shows it).
pub fn decode_message(bytes: &[u8], encoding: Option<&str>) -> String {
    if let Some(label) = encoding
        && let Some(enc) = encoding_rs::Encoding::for_label(label.trim().as_bytes())
        && enc != encoding_rs::UTF_8
    {
        return enc.decode_without_bom_handling(bytes).0.into_owned();
    }
    String::from_utf8_lossy(bytes).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trailers_are_split_from_the_summary() {
        let m = Message::parse(
            "Add FAQ for\nenterprise plans\n\nVersion: 1.1.0\nDate: 2026-02-01\nApproved-by: A\nApproved-by: B\n",
        );
        assert_eq!(m.summary(), "Add FAQ for enterprise plans");
        assert_eq!(m.trailer("version"), Some("1.1.0"));
        assert_eq!(m.all("Approved-by"), ["A", "B"]);
        let plain = Message::parse("Release 1.0.0\n");
        assert_eq!(plain.trailers, []);
        assert_eq!(plain.summary(), "Release 1.0.0");
        let only_colon = Message::parse("Step 4: corrected");
        assert_eq!(only_colon.summary(), "Step 4: corrected");
    }

    #[test]
    fn release_messages_round_trip() {
        let text = release_message(
            "First release",
            &[("Version", "1.0.0".into()), ("Author", "Alex".into())],
        );
        assert_eq!(text, "First release\n\nVersion: 1.0.0\nAuthor: Alex\n");
        let m = Message::parse(&text);
        assert_eq!(
            (m.summary(), m.trailer("Author")),
            ("First release".to_string(), Some("Alex"))
        );
    }

    #[test]
    fn a_tag_signature_is_found_at_the_last_line_that_opens_one() {
        let signed = b"Summary\n\nVersion: 1.0.0\n-----BEGIN SSH SIGNATURE-----\nAAAA\n-----END SSH SIGNATURE-----\n";
        assert_eq!(signature_start(signed), 24);
        assert_eq!(
            Message::parse(&String::from_utf8_lossy(&signed[..24])).trailer("Version"),
            Some("1.0.0")
        );
        let quoted = b"Quotes -----BEGIN PGP SIGNATURE----- in a line\n";
        assert_eq!(signature_start(quoted), quoted.len());
        let twice = b"a\n-----BEGIN PGP SIGNATURE-----\nx\n-----BEGIN PGP SIGNATURE-----\ny\n";
        assert_eq!(signature_start(twice), 34);
    }

    // See: cases/README.md B20 — commit messages that are not UTF-8.
    #[test]
    fn messages_are_decoded_by_header_or_lossily() {
        let latin1 = b"R\xe9vision du proc\xe9d\xe9 de nettoyage";
        assert_eq!(
            decode_message(latin1, Some("ISO-8859-1")),
            "Révision du procédé de nettoyage"
        );
        assert_eq!(
            decode_message(latin1, None),
            "R\u{FFFD}vision du proc\u{FFFD}d\u{FFFD} de nettoyage"
        );
        assert_eq!(
            decode_message("Step 4 \u{FF}".as_bytes(), Some("UTF-8")),
            "Step 4 \u{FF}"
        );
        assert_eq!(
            decode_message(
                b"Step 4 \xff corrected (UTF-8 text: \xc3\xa9t\xc3\xa9)",
                None
            ),
            "Step 4 \u{FFFD} corrected (UTF-8 text: été)"
        );
    }
}
