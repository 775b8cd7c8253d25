//! Settings: `sopctl.toml` (SPEC §2).
//!
//! The file is found by walking up from the working directory, as git finds `.git`, and the
//! walk stops at the root of the git work tree (a `sopctl.toml` above the repository does not
//! apply to it). Without a file every default applies. An unknown key is an error that names
//! the file, the place and the nearest valid key, so a typo is never silently ignored.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::doc::Location;
use crate::fsx::{self, FsError};

/// The settings file's name.
pub const FILE_NAME: &str = "sopctl.toml";

/// Paper size for the PDF rendition (SPEC §2's default: A4).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
pub enum Paper {
    /// ISO A4, 210 × 297 mm.
    #[default]
    #[serde(alias = "a4")]
    A4,
    /// US Letter, 8.5 × 11 in (215.9 × 279.4 mm).
    #[serde(alias = "letter", alias = "LETTER")]
    Letter,
}

/// Whether records must be signed by the people of the signers registry (issue 15, item 2).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Signatures {
    /// Records are signed as git is configured; nothing is required (the default).
    #[default]
    Optional,
    /// `approve` and `sopctl people` refuse unless git signs the record with a key that the
    /// registry (`people.toml`, see [`crate::people`]) lists for the person, in the role.
    Required,
}

/// The settings of a repository of SOPs, with SPEC §2's defaults.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields)]
pub struct Settings {
    /// Shown on the title block and the site. Default: empty.
    pub organization: String,
    /// Folders, relative to the repository root, searched recursively for SOPs. Default `["sops"]`.
    pub docs: Vec<PathBuf>,
    /// How release tags are named; `{id}` and `{version}` are replaced. Default `{id}/v{version}`.
    pub tag_format: String,
    /// Where `release` and `render` write renditions, relative to the root. Default `dist`.
    pub out: PathBuf,
    /// Paper size of the PDF. Default A4.
    pub paper: Paper,
    /// The notice in every PDF page's footer. Default `Uncontrolled when printed`.
    pub footer: String,
    /// Whether raw HTML in Markdown passes (sanitised) into renditions. Default false.
    pub allow_html: bool,
    /// The reference time zone, an IANA name (`Europe/Berlin`): it decides what today's date
    /// is for every date sopctl writes ([`crate::clock`]). Default `UTC`.
    pub timezone: String,
    /// Whether records must be signed by registered people. Default `optional`.
    pub signatures: Signatures,
    /// Whether an approval by an author of the change, or one person approving in two roles,
    /// is refused by `release` ([`crate::lifecycle::duties`]). Default true; when false, such
    /// approvals count and are marked in the release record.
    pub separation_of_duties: bool,
    /// Days after a version takes effect by which its audience must have read and understood
    /// it (issue 17). Default 30.
    pub training_days: u32,
    /// Whether a patch release needs retraining, as a minor or major release does (issue 17).
    /// Default false.
    pub retrain_on_patch: bool,
    /// The deepest heading level the table of contents lists, 1 to 6 (issue 19 item 3).
    /// Default 3.
    pub toc_depth: u8,
    /// The language the SOPs are written in, a BCP 47 tag (`en`, `de`, `en-GB`): the PDF's and
    /// HTML's language for screen readers (PDF/UA-1 §7.2) and the hyphenation's. A document's
    /// own `lang` in its front matter comes first. Default `en`.
    pub language: String,
    /// Whether the PDF's paragraphs are justified (set flush to both margins) instead of
    /// ragged right (issue 19 item 3). Default false: ragged right reads more evenly in the
    /// narrow, short paragraphs of a procedure, with no widened gaps between words.
    pub justify: bool,
}

/// Whether `tag` has the shape of a BCP 47 language tag (RFC 5646 §2.1): a primary language of
/// 2 or 3 letters (an ISO 639 code: `en`, `de`, `fil`; the longer forms RFC 5646 reserves are
/// not in use), then subtags of 1 to 8 letters or digits, joined by hyphens.
pub fn is_language_tag(tag: &str) -> bool {
    let mut parts = tag.split('-');
    let primary = parts.next().unwrap_or("");
    (2..=3).contains(&primary.len())
        && primary.chars().all(|c| c.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

/// The language code to suggest for `tag`, which is not one: `de_DE` → `de-DE`, else `en`.
pub fn suggested_language(tag: &str) -> String {
    match tag.trim().replace('_', "-") {
        fixed if is_language_tag(&fixed) => fixed,
        _ => "en".to_string(),
    }
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            organization: String::new(),
            docs: vec![PathBuf::from("sops")],
            tag_format: "{id}/v{version}".to_string(),
            out: PathBuf::from("dist"),
            paper: Paper::A4,
            footer: "Uncontrolled when printed".to_string(),
            allow_html: false,
            timezone: crate::clock::DEFAULT_ZONE.to_string(),
            signatures: Signatures::Optional,
            separation_of_duties: true,
            training_days: 30,
            retrain_on_patch: false,
            toc_depth: 3,
            language: "en".to_string(),
            justify: false,
        }
    }
}

/// The keys `sopctl.toml` accepts, for suggestions.
pub const KEYS: [&str; 15] = [
    "organization",
    "docs",
    "tag_format",
    "out",
    "paper",
    "footer",
    "allow_html",
    "timezone",
    "signatures",
    "separation_of_duties",
    "training_days",
    "retrain_on_patch",
    "toc_depth",
    "language",
    "justify",
];

/// A settings file that cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file cannot be read.
    #[error(transparent)]
    Io(#[from] FsError),
    /// A key that sopctl does not know.
    #[error("{}:{}:{}: unknown setting `{key}`{}", path.display(), location.line, location.column, suggestion.as_ref().map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownKey {
        /// The settings file.
        path: PathBuf,
        /// Where the key is.
        location: Location,
        /// The key as written.
        key: String,
        /// The nearest valid key, if one is close.
        suggestion: Option<String>,
    },
    /// Not valid TOML, or a value of the wrong kind.
    #[error("{}:{}:{}: {message}", path.display(), location.line, location.column)]
    Invalid {
        /// The settings file.
        path: PathBuf,
        /// Where the problem is.
        location: Location,
        /// What the TOML reader said.
        message: String,
    },
    /// `timezone` is not a name of the IANA time zone database.
    #[error("{}:{}:{}: `timezone` {zone}", path.display(), location.line, location.column)]
    UnknownTimeZone {
        /// The settings file.
        path: PathBuf,
        /// Where the value is.
        location: Location,
        /// The name, and the zone it probably means.
        zone: crate::clock::UnknownZone,
    },
    /// A value that is well-formed TOML but not a valid setting.
    #[error("{}: {message}", path.display())]
    BadValue {
        /// The settings file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
}

impl Settings {
    /// Reads settings from TOML text; `path` is used in messages.
    ///
    /// # Errors
    /// [`ConfigError::UnknownKey`] for a key sopctl does not know, [`ConfigError::Invalid`] for
    /// malformed TOML or a value of the wrong type, [`ConfigError::BadValue`] for a tag format
    /// without `{version}` or one that makes names git refuses (`git check-ref-format`), or an
    /// empty `docs` list, [`ConfigError::UnknownTimeZone`] for a `timezone` that names no zone.
    pub fn from_toml(path: &Path, text: &str) -> Result<Settings, ConfigError> {
        let settings: Settings = toml::from_str(text).map_err(|err| {
            let span = err.span().unwrap_or(0..0);
            let location = crate::doc::source::location_in(text, span.start);
            let message = err.message().to_string();
            if message.starts_with("unknown field") {
                let key = text
                    .get(span.clone())
                    .unwrap_or("")
                    .trim_matches(['"', '\''])
                    .to_string();
                let suggestion = crate::suggest::nearest(&key, KEYS).map(str::to_string);
                ConfigError::UnknownKey {
                    path: path.to_path_buf(),
                    location,
                    key,
                    suggestion,
                }
            } else {
                // The key written on the line the reader stopped at, if it is one of ours.
                let key = text
                    .lines()
                    .nth(location.line.saturating_sub(1))
                    .and_then(|line| line.split_once('='))
                    .map(|(k, _)| k.trim().trim_matches(['"', '\'']))
                    .filter(|k| KEYS.contains(k));
                ConfigError::Invalid {
                    path: path.to_path_buf(),
                    location,
                    message: plain_message(key, &message),
                }
            }
        })?;
        if !settings.tag_format.contains("{version}") {
            return Err(ConfigError::BadValue {
                path: path.to_path_buf(),
                message: format!(
                    "tag_format `{}` must contain `{{version}}`, e.g. \"{{id}}/v{{version}}\"",
                    settings.tag_format
                ),
            });
        }
        let sample = settings
            .tag_format
            .replace("{id}", "SOP-1")
            .replace("{version}", "1.0.0");
        if !git2::Reference::is_valid_name(&format!("refs/tags/{sample}")) {
            return Err(ConfigError::BadValue {
                path: path.to_path_buf(),
                message: format!(
                    "tag_format `{}` makes tag names git does not accept (such as `{sample}`); use letters, digits, `-`, `_`, `.` and `/`, e.g. \"{{id}}/v{{version}}\"",
                    settings.tag_format
                ),
            });
        }
        if settings.docs.is_empty() {
            return Err(ConfigError::BadValue {
                path: path.to_path_buf(),
                message: "docs must name at least one folder, e.g. docs = [\"sops\"]".to_string(),
            });
        }
        if !is_language_tag(&settings.language) {
            let example = suggested_language(&settings.language);
            return Err(ConfigError::BadValue {
                path: path.to_path_buf(),
                message: format!(
                    "language `{}` is not a language code: use a two- or three-letter code such as \"en\", \"de\" or \"en-GB\", e.g. language = \"{example}\"",
                    settings.language
                ),
            });
        }
        if !(1..=6).contains(&settings.toc_depth) {
            return Err(ConfigError::BadValue {
                path: path.to_path_buf(),
                message: format!(
                    "toc_depth {} is not a heading level: use 1 to 6, e.g. toc_depth = 3",
                    settings.toc_depth
                ),
            });
        }
        if let Err(zone) = crate::clock::zone(&settings.timezone) {
            return Err(ConfigError::UnknownTimeZone {
                path: path.to_path_buf(),
                location: value_location(text, "timezone"),
                zone,
            });
        }
        Ok(settings)
    }

    /// Reads a settings file; messages name it as `shown` (e.g. relative to the working
    /// directory).
    ///
    /// # Errors
    /// As [`Settings::from_toml`], and [`ConfigError::Io`] when it cannot be read.
    pub fn load(path: &Path, shown: &Path) -> Result<Settings, ConfigError> {
        let bytes = fsx::read(path)?;
        let text = String::from_utf8_lossy(&bytes);
        Settings::from_toml(shown, &text)
    }
}

impl Settings {
    /// The reference time zone (`timezone`), from the database built into sopctl. Settings
    /// read by [`Settings::from_toml`] always name a zone; other settings that do not get UTC.
    pub fn time_zone(&self) -> jiff::tz::TimeZone {
        crate::clock::zone(&self.timezone).unwrap_or(jiff::tz::TimeZone::UTC)
    }
}

/// Where the value of the top-level `key` starts in the settings text (its line when the value
/// cannot be found; 1:1 when the key cannot).
fn value_location(text: &str, key: &str) -> Location {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let rest = line.trim_start();
        let after_key = [format!("\"{key}\""), format!("'{key}'"), key.to_string()]
            .iter()
            .find_map(|k| rest.strip_prefix(k.as_str()));
        if let Some(value) = after_key.and_then(|r| r.trim_start().strip_prefix('=')) {
            let at = line.len() - value.trim_start().len();
            return crate::doc::source::location_in(text, offset + at);
        }
        offset += line.len();
    }
    Location { line: 1, column: 1 }
}

/// Finds `sopctl.toml` by walking up from `start`; the walk stops after `ceiling` (the git work
/// tree root) when given. Returns the file's path.
pub fn discover(start: &Path, ceiling: Option<&Path>) -> Option<PathBuf> {
    for dir in start.ancestors() {
        let candidate = dir.join(FILE_NAME);
        if candidate.is_file() {
            return Some(candidate);
        }
        if ceiling.is_some_and(|c| c == dir) {
            break;
        }
    }
    None
}

/// What the TOML reader said about `key`'s line, in a document owner's words, with the key's
/// line from [`DEFAULT_FILE`] as the example (`paper = "A4"`). Messages about no key of ours
/// are kept, after a plain lead-in.
fn plain_message(key: Option<&str>, message: &str) -> String {
    let Some(key) = key else {
        return format!(
            "this line is not a setting sopctl can read (write settings as  key = \"value\"): {message}"
        );
    };
    if message.contains("duplicate key") {
        return format!("`{key}` is given twice; keep one");
    }
    let what = match key {
        "paper" => "`paper` must be \"A4\" or \"Letter\"".to_string(),
        "training_days" => {
            "`training_days` must be a whole number of days, without quotes".to_string()
        }
        "toc_depth" => {
            "`toc_depth` must be a heading level from 1 to 6, without quotes".to_string()
        }
        "allow_html" | "separation_of_duties" | "retrain_on_patch" | "justify" => {
            format!("`{key}` must be true or false, without quotes")
        }
        "signatures" => "`signatures` must be \"optional\" or \"required\"".to_string(),
        "docs" => "`docs` must be a list of folders, each in quotes".to_string(),
        _ => format!("`{key}` must be text in quotes"),
    };
    let example = DEFAULT_FILE
        .lines()
        .find(|line| line.starts_with(&format!("{key} ")))
        .map(|line| line.split(" #").next().unwrap_or(line).trim_end());
    match example {
        Some(example) => format!("{what}, e.g.  {example}"),
        None => what,
    }
}

/// The text `sopctl init` writes: every setting at its default, commented for a reader.
pub const DEFAULT_FILE: &str = r#"# sopctl settings. Every key is optional; the values below are the defaults.

organization = ""                      # shown on the title block and the site
docs = ["sops"]                        # folders searched (recursively) for SOPs
tag_format = "{id}/v{version}"         # how release tags are named
out = "dist"                           # where release and render write PDF and HTML
paper = "A4"                           # or "Letter"
footer = "Uncontrolled when printed"   # notice in every PDF page footer
allow_html = false                     # raw HTML in Markdown: escaped unless true (then sanitised)
timezone = "UTC"                       # the time zone that decides today's date, e.g. "Europe/Berlin"
signatures = "optional"                # "required": approvals, releases and people.toml changes signed by registered people
separation_of_duties = true            # an author's own approval, or one person in two roles, does not count
training_days = 30                     # days after a version takes effect to read and understand it
retrain_on_patch = false               # true: a patch release needs retraining, as minor and major ones do
toc_depth = 3                          # the deepest heading level the table of contents lists (1 to 6)
language = "en"                        # the language SOPs are written in, for screen readers and hyphenation (a front matter lang wins)
justify = false                        # true: the PDF's paragraphs are set flush to both margins (default: ragged right)
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_follow_spec_section_2() {
        let s = Settings::from_toml(Path::new("sopctl.toml"), "").expect("empty is fine");
        assert_eq!(s, Settings::default());
        assert_eq!(s.docs, [PathBuf::from("sops")]);
        assert_eq!(s.tag_format, "{id}/v{version}");
        assert_eq!(s.footer, "Uncontrolled when printed");
        assert_eq!(
            Settings::from_toml(Path::new("x"), DEFAULT_FILE).expect("default file"),
            s
        );
    }

    #[test]
    fn an_unknown_key_names_file_place_and_nearest_key() {
        let err = Settings::from_toml(
            Path::new("repo/sopctl.toml"),
            "paper = \"Letter\"\ntag_fromat = \"v{version}\"\n",
        )
        .expect_err("typo");
        assert_eq!(
            err.to_string(),
            "repo/sopctl.toml:2:1: unknown setting `tag_fromat`; did you mean `tag_format`?"
        );
        let err =
            Settings::from_toml(Path::new("sopctl.toml"), "colour = 1\n").expect_err("unknown");
        assert_eq!(err.to_string(), "sopctl.toml:1:1: unknown setting `colour`");
    }

    #[test]
    fn wrong_values_are_located() {
        let err =
            Settings::from_toml(Path::new("sopctl.toml"), "paper = \"A5\"\n").expect_err("A5");
        assert_eq!(
            err.to_string(),
            "sopctl.toml:1:9: `paper` must be \"A4\" or \"Letter\", e.g.  paper = \"A4\""
        );
        let err = Settings::from_toml(Path::new("sopctl.toml"), "tag_format = \"{id}\"\n")
            .expect_err("no version");
        assert!(
            err.to_string().contains("must contain `{version}`"),
            "{err}"
        );
    }

    #[test]
    fn an_unknown_time_zone_is_located_at_its_value() {
        let err = Settings::from_toml(
            Path::new("sopctl.toml"),
            "paper = \"A4\"\n  \"timezone\"  =   \"Mars/Base\" # where we work\n",
        )
        .expect_err("no such zone");
        assert_eq!(
            err.to_string(),
            "sopctl.toml:2:19: `timezone` \"Mars/Base\" is not a time zone name"
        );
        let ok = Settings::from_toml(Path::new("x"), "timezone = \"asia/tokyo\"\n").expect("zone");
        assert_eq!(ok.timezone, "asia/tokyo");
        assert_eq!(ok.time_zone().iana_name(), Some("Asia/Tokyo"));
        assert_eq!(Settings::default().time_zone().iana_name(), Some("UTC"));
    }

    #[test]
    fn signed_record_settings_have_safe_defaults_and_plain_errors() {
        let s = Settings::from_toml(Path::new("x"), "").expect("defaults");
        assert_eq!(
            (s.signatures, s.separation_of_duties),
            (Signatures::Optional, true)
        );
        let s = Settings::from_toml(
            Path::new("x"),
            "signatures = \"required\"\nseparation_of_duties = false\n",
        )
        .expect("set");
        assert_eq!(
            (s.signatures, s.separation_of_duties),
            (Signatures::Required, false)
        );
        let err = Settings::from_toml(Path::new("sopctl.toml"), "signatures = \"yes\"\n")
            .expect_err("yes");
        assert_eq!(
            err.to_string(),
            "sopctl.toml:1:14: `signatures` must be \"optional\" or \"required\", e.g.  signatures = \"optional\""
        );
        let err = Settings::from_toml(Path::new("sopctl.toml"), "separation_of_duties = \"no\"\n")
            .expect_err("no");
        assert_eq!(
            err.to_string(),
            "sopctl.toml:1:24: `separation_of_duties` must be true or false, without quotes, e.g.  separation_of_duties = true"
        );
    }

    #[test]
    fn letter_paper_is_accepted_in_any_common_spelling() {
        for text in ["paper = \"Letter\"", "paper = \"letter\""] {
            assert_eq!(
                Settings::from_toml(Path::new("x"), text).expect(text).paper,
                Paper::Letter
            );
        }
    }

    #[test]
    fn discovery_walks_up_and_stops_at_the_ceiling() {
        let dir = tempfile::tempdir().expect("tmp");
        let repo = dir.path().join("repo");
        std::fs::create_dir_all(repo.join("sops/a")).expect("mkdir");
        std::fs::write(dir.path().join(FILE_NAME), "").expect("outer");
        assert_eq!(discover(&repo.join("sops/a"), Some(&repo)), None);
        std::fs::write(repo.join(FILE_NAME), "").expect("inner");
        assert_eq!(
            discover(&repo.join("sops/a"), Some(&repo)),
            Some(repo.join(FILE_NAME))
        );
    }
}
