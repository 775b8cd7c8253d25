//! Link and image destinations as written in a document: what kind of target each is.
//!
//! One set of rules for every stage that follows a link: `check` reports on targets
//! ([`crate::check::links`]), the renditions write them ([`crate::render`]) and images are
//! looked up with them ([`crate::render::images`]). A destination is a `#fragment` of the
//! document, a URL with a scheme ([`scheme`]; the [`UNSAFE_SCHEMES`] never become a link), or a
//! file named relative to the document.
//!
//! This module reads text only; it does not look at the file system.

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
}
