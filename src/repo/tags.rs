//! Release tag names: `tag_format` from `sopctl.toml` (SPEC §2), both ways.
//!
//! The format holds `{version}` and usually `{id}` (`{id}/v{version}`, the default; `v{version}`
//! for a one-document repository; `{id}/{version}` as other tools write them). Formatting puts
//! the full version in (`SOP-001/v1.1.0`). Parsing a tag name takes it apart again and accepts
//! only a full semantic version there: `SOP-001/v2` or `SOP-001/1.2.0_final` match the shape but
//! are not versions, and are reported so the caller can warn; tags of other shapes belong to
//! other tools and are ignored.

use crate::doc::DocId;
use crate::version::DocVersion;

/// A checked `tag_format`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TagFormat {
    format: String,
}

/// What a tag name is, read against a format for one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TagMatch {
    /// A release of the document, at this version.
    Release(DocVersion),
    /// Shaped like the document's tags, but the version part is not a full version
    /// (`1.2.0_final`, `v2`): skipped with a warning.
    NotAVersion(String),
    /// Not one of the document's tags.
    Other,
}

impl TagFormat {
    /// Whether git accepts `tag` as a tag's name (`git check-ref-format` of `refs/tags/TAG`):
    /// the one rule `check` and `release` both apply.
    pub fn is_valid_name(tag: &str) -> bool {
        git2::Reference::is_valid_name(&format!("refs/tags/{tag}"))
    }

    /// Wraps a format; `{version}` must occur exactly once, `{id}` at most once (checked by
    /// the settings when they are read).
    pub fn new(format: &str) -> TagFormat {
        TagFormat {
            format: format.to_string(),
        }
    }

    /// Whether the format names the document (`{id}`), so that tags of several documents can
    /// live side by side.
    pub fn has_id(&self) -> bool {
        self.format.contains("{id}")
    }

    /// The tag name for a release: `SOP-001/v1.1.0`.
    pub fn name(&self, id: &DocId, version: &DocVersion) -> String {
        self.format
            .replace("{id}", id.as_str())
            .replace("{version}", &version.full())
    }

    /// The document ID a release tag names (`SOP-001` from `SOP-001/v1.1.0`), if the tag has
    /// this format's shape with a valid ID and a version; `None` for a format without `{id}`.
    pub fn id_of(&self, tag: &str) -> Option<DocId> {
        let (before, after) = self.format.split_once("{id}")?;
        let (between, _) = after.split_once("{version}")?;
        let rest = tag.strip_prefix(before)?;
        let cut = if between.is_empty() {
            return None;
        } else {
            rest.rfind(between)?
        };
        let id = DocId::parse(rest.get(..cut)?).ok()?;
        matches!(self.parse(&id, tag), TagMatch::Release(_)).then_some(id)
    }

    /// The text every tag of document `id` starts with, when the format puts `{id}` before
    /// `{version}` (`SOP-001/` of `{id}/v{version}`): tags sorted by name hold the document's
    /// tags together, from this text on. `None` for a format without `{id}` or with the
    /// version first.
    pub fn prefix_of(&self, id: &DocId) -> Option<String> {
        let (before, _) = self.format.split_once("{id}")?;
        (!before.contains("{version}")).then(|| format!("{before}{}", id.as_str()))
    }

    /// Reads a tag name as a tag of document `id`.
    pub fn parse(&self, id: &DocId, tag: &str) -> TagMatch {
        // Most names in a repository of many documents are other documents' tags: those are
        // told apart by the text up to the ID, without building the pattern.
        if let Some((before, _)) = self.format.split_once("{id}")
            && !before.contains("{version}")
            && !tag
                .strip_prefix(before)
                .is_some_and(|rest| rest.starts_with(id.as_str()))
        {
            return TagMatch::Other;
        }
        let pattern = self.format.replace("{id}", id.as_str());
        let Some((prefix, suffix)) = pattern.split_once("{version}") else {
            return TagMatch::Other;
        };
        let Some(rest) = tag.strip_prefix(prefix) else {
            return TagMatch::Other;
        };
        let Some(version_part) = rest.strip_suffix(suffix) else {
            return TagMatch::Other;
        };
        if version_part.is_empty() || version_part.contains('/') {
            return TagMatch::Other;
        }
        match DocVersion::parse_full(version_part) {
            Ok(v) => TagMatch::Release(v),
            Err(_) if version_part.starts_with(|c: char| c.is_ascii_digit() || c == 'v') => {
                TagMatch::NotAVersion(tag.to_string())
            }
            Err(_) => TagMatch::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_documents_tags_start_with_its_prefix() {
        let id = DocId::parse("SOP-001").expect("id");
        assert_eq!(
            TagFormat::new("{id}/v{version}").prefix_of(&id).as_deref(),
            Some("SOP-001")
        );
        assert_eq!(
            TagFormat::new("release-{id}-{version}")
                .prefix_of(&id)
                .as_deref(),
            Some("release-SOP-001")
        );
        assert_eq!(TagFormat::new("v{version}").prefix_of(&id), None);
        assert_eq!(TagFormat::new("{version}/{id}").prefix_of(&id), None);
    }

    #[test]
    fn the_id_of_a_release_tag() {
        let f = TagFormat::new("{id}/v{version}");
        let id = |t: &str| f.id_of(t).map(|i| i.to_string());
        assert_eq!(id("SOP-001/v1.1.0").as_deref(), Some("SOP-001"));
        assert_eq!(id("SOP-OPS.7/v2.0.0").as_deref(), Some("SOP-OPS.7"));
        assert_eq!(id("SOP-001/vnext"), None);
        assert_eq!(id("v1.0.0"), None);
        assert_eq!(id("release-2"), None);
        assert_eq!(TagFormat::new("v{version}").id_of("v1.0.0"), None);
        let dashed = TagFormat::new("{id}-{version}");
        assert_eq!(
            dashed
                .id_of("SOP-001-1.0.0")
                .map(|i| i.to_string())
                .as_deref(),
            Some("SOP-001")
        );
    }

    fn id(s: &str) -> DocId {
        DocId::parse(s).expect("id")
    }

    #[test]
    fn names_hold_the_full_version() {
        let f = TagFormat::new("{id}/v{version}");
        assert_eq!(
            f.name(&id("SOP-001"), &DocVersion::parse("1.1").expect("v")),
            "SOP-001/v1.1.0"
        );
        assert_eq!(
            TagFormat::new("v{version}").name(&id("X"), &DocVersion::new(2, 0, 0)),
            "v2.0.0"
        );
    }

    // See: cases/README.md B16 — prefixes, non-semver tags.
    #[test]
    fn parsing_sorts_tags_into_releases_near_misses_and_others() {
        let f = TagFormat::new("{id}/{version}");
        let sop = id("SOP-001");
        let release = |v: &str| TagMatch::Release(DocVersion::parse_full(v).expect("v"));
        assert_eq!(f.parse(&sop, "SOP-001/1.1.0"), release("1.1.0"));
        assert_eq!(f.parse(&sop, "SOP-001/1.2.0"), release("1.2.0"));
        assert_eq!(
            f.parse(&sop, "SOP-001/1.2.0_final"),
            TagMatch::NotAVersion("SOP-001/1.2.0_final".into())
        );
        assert_eq!(
            f.parse(&sop, "SOP-001/v2"),
            TagMatch::NotAVersion("SOP-001/v2".into())
        );
        for other in [
            "release-2",
            "v1.0",
            "SOP-002/v0.3.0",
            "v1.0.0.1",
            "SOP-0011/1.0.0",
        ] {
            assert_eq!(f.parse(&sop, other), TagMatch::Other, "{other}");
        }
        let v = TagFormat::new("v{version}");
        assert_eq!(v.parse(&sop, "v1.3.0"), release("1.3.0"));
        assert_eq!(v.parse(&sop, "v1.0"), TagMatch::NotAVersion("v1.0".into()));
        assert_eq!(v.parse(&sop, "SOP-001/v1.0.0"), TagMatch::Other);
    }
}
