//! Link and image destinations as written in a document: what kind of target each is.
//!
//! One set of rules for every stage that follows a link: `check` reports on targets
//! ([`crate::check::links`]), the renditions write them ([`crate::render`]) and images are
//! looked up with them ([`crate::render::images`]). A destination is a `#fragment` of the
//! document, a URL with a scheme ([`scheme`]; the [`UNSAFE_SCHEMES`] never become a link), or a
//! file named relative to the document ([`local_file`]: percent-decoded, as a browser reads it).
//! A rendition writes a destination as a URL ([`href`]).
//!
//! This module reads text only; it does not look at the file system.

use std::borrow::Cow;

/// Link schemes that run a script or carry a page of their own (`javascript:`, `vbscript:`,
/// `data:`): never a link in an SOP, and never an `href` in a rendition. (An image may be a
/// `data:` URL; it is then not a link.)
pub const UNSAFE_SCHEMES: [&str; 3] = ["javascript", "vbscript", "data"];

/// The scheme `target` starts with (`https`, `mailto`), lower-cased, if it starts with one
/// (RFC 3986 §3.1: a letter, then letters, digits, `+`, `-` and `.`, then `:`). A one-letter
/// "scheme" is a Windows drive (`C:`), not a scheme.
pub fn scheme(target: &str) -> Option<String> {
    let (name, _) = target.split_once(':')?;
    let mut chars = name.chars();
    let first = chars.next()?;
    let valid = first.is_ascii_alphabetic()
        && name.len() > 1
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| name.to_ascii_lowercase())
}

/// The unsafe scheme ([`UNSAFE_SCHEMES`]) `target` starts with, however it is written: letter
/// case, white space and control characters inside it are ignored, as browsers ignore them
/// (comrak has already decoded character references in the destination).
pub fn unsafe_scheme(target: &str) -> Option<&'static str> {
    let squeezed: String = target
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .take(16)
        .collect::<String>()
        .to_ascii_lowercase();
    UNSAFE_SCHEMES.into_iter().find(|s| {
        squeezed
            .strip_prefix(s)
            .is_some_and(|rest| rest.starts_with(':'))
    })
}

/// Whether a link target may be written as an `href` or a PDF link: not one of the
/// [`UNSAFE_SCHEMES`], however written ([`unsafe_scheme`]).
pub fn is_safe(target: &str) -> bool {
    unsafe_scheme(target).is_none()
}

/// The file a local destination names, as it is looked up: the part before `?` or `#`,
/// percent-decoded as UTF-8 (`img/step%202.png` is `img/step 2.png`, `sch%C3%A9ma.png` is
/// `schéma.png`), the way browsers and GitHub read the link (`cases/` B31). A `+` stays a `+`
/// (it means a space only in form data, never in a path). A `%` that does not start an escape
/// stays as written; so does the whole part when its escapes do not decode to UTF-8 text
/// without control characters, which no file name of an SOP repository holds.
pub fn local_file(target: &str) -> Cow<'_, str> {
    let part = target.split(['?', '#']).next().unwrap_or(target);
    match percent_encoding::percent_decode_str(part).decode_utf8() {
        Ok(decoded) if !decoded.chars().any(char::is_control) => match decoded {
            // Borrowed: nothing was decoded, so the part itself (no allocation).
            Cow::Borrowed(_) => Cow::Borrowed(part),
            Cow::Owned(text) => Cow::Owned(text),
        },
        _ => Cow::Borrowed(part),
    }
}

/// `target` as a URL for an `href` or a PDF link: every byte that a URL may not hold as it is
/// (a space, a non-ASCII letter's UTF-8 bytes, `"`, `<`, `>`, `\`, `^`, `` ` ``, `{`, `|`, `}`,
/// control characters, and a `%` that does not start an escape) is percent-encoded; escapes
/// already written stay as they are. So `<annex/form A.pdf>` and `annex/form%20A.pdf` both
/// become `annex/form%20A.pdf`, which works in every browser and PDF reader (PDF 32000-1
/// §12.6.4.7 asks for 7-bit ASCII). A link within the document (`#anchor`) is kept as written:
/// it names an element's id, which may hold any letter.
pub fn href(target: &str) -> Cow<'_, str> {
    if target.starts_with('#') {
        return Cow::Borrowed(target);
    }
    let bytes = target.as_bytes();
    let is_escape = |at: usize| {
        bytes
            .get(at + 1..at + 3)
            .is_some_and(|hex| hex.iter().all(u8::is_ascii_hexdigit))
    };
    let keep = |at: usize, byte: u8| match byte {
        b'%' => is_escape(at),
        b if b.is_ascii_alphanumeric() => true,
        b => b"-._~!$&'()*+,;=:@/?#[]".contains(&b),
    };
    if bytes.iter().enumerate().all(|(at, &b)| keep(at, b)) {
        return Cow::Borrowed(target);
    }
    let mut out = String::with_capacity(target.len() + 8);
    for (at, &byte) in bytes.iter().enumerate() {
        if keep(at, byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dangerous_link_targets_are_recognised_however_written() {
        for (bad, scheme) in [
            ("javascript:alert(1)", "javascript"),
            ("JaVaScRiPt:alert(1)", "javascript"),
            (" javascript:x", "javascript"),
            ("java\tscript:x", "javascript"),
            ("java\u{0}script:x", "javascript"),
            ("vbscript:x", "vbscript"),
            ("data:text/html,x", "data"),
            ("DATA:x", "data"),
        ] {
            assert_eq!(unsafe_scheme(bad), Some(scheme), "{bad:?}");
            assert!(!is_safe(bad), "{bad:?}");
        }
        for ok in [
            "https://example.org",
            "#scope",
            "forms/f1.pdf",
            "mailto:qa@example.org",
            "../x.md",
            "database.md",
            "javascripts/guide.md",
        ] {
            assert!(is_safe(ok), "{ok}");
        }
    }

    #[test]
    fn schemes_are_read_as_rfc_3986_writes_them() {
        assert_eq!(scheme("HTTPS://example.org").as_deref(), Some("https"));
        assert_eq!(scheme("mailto:qa@example.org").as_deref(), Some("mailto"));
        assert_eq!(scheme("svn+ssh://host/x").as_deref(), Some("svn+ssh"));
        assert_eq!(scheme("C:\\Docs\\form.pdf"), None);
        assert_eq!(scheme("img/a:b.png"), None);
        assert_eq!(scheme("forms/f1.pdf"), None);
    }

    #[test]
    fn local_files_are_percent_decoded_and_a_plus_stays_a_plus() {
        assert_eq!(local_file("img/step%202.png"), "img/step 2.png");
        assert_eq!(local_file("img/sch%C3%A9ma.png"), "img/schéma.png");
        assert_eq!(local_file("img/schéma.png"), "img/schéma.png");
        assert_eq!(local_file("img/a+b.png"), "img/a+b.png");
        assert_eq!(local_file("img/step 1.png"), "img/step 1.png");
        assert_eq!(local_file("annex/form%20A.pdf#page=2"), "annex/form A.pdf");
        assert_eq!(local_file("a.md?x=%20#y"), "a.md");
        // Not escapes, or not UTF-8 text: as written.
        assert_eq!(local_file("100%.png"), "100%.png");
        assert_eq!(local_file("img/%FF.png"), "img/%FF.png");
        assert_eq!(local_file("img/%00.png"), "img/%00.png");
        // An encoded `/` or `..` is decoded, and then contained like any other path.
        assert_eq!(local_file("..%2F..%2Fetc"), "../../etc");
    }

    #[test]
    fn an_href_is_a_url_whichever_way_the_destination_was_written() {
        assert_eq!(href("annex/form A.pdf"), "annex/form%20A.pdf");
        assert_eq!(href("annex/form%20A.pdf"), "annex/form%20A.pdf");
        assert_eq!(href("img/schéma.png"), "img/sch%C3%A9ma.png");
        assert_eq!(href("img/a+b.png"), "img/a+b.png");
        assert_eq!(href("100%.png"), "100%25.png");
        assert_eq!(
            href("https://example.org/a?b=c&d=e#f"),
            "https://example.org/a?b=c&d=e#f"
        );
        assert_eq!(href("a\"b<c>"), "a%22b%3Cc%3E");
        assert_eq!(href("#schéma"), "#schéma");
        assert!(matches!(href("https://example.org/x"), Cow::Borrowed(_)));
    }
}
