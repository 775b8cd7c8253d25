//! PEOPLE: the signers registry, `people.toml` beside `sopctl.toml` (issue 15, item 2; issue 17
//! reuses it for training).
//!
//! Takes the registry's text; gives the people in it (name, e-mail, roles, public keys) and
//! every located problem, so `check` can list them all and a command can refuse on the first.
//! The file is committed with the SOPs and changed only through `sopctl people`, each change a
//! record of its own ([`record`]), signed as git is configured. It does not verify signatures
//! (`sopctl verify` does) and does not decide who may sign what: [`signers`] applies the
//! `signatures = "required"` setting to a record about to be made.
//!
//! ```toml
//! [[person]]
//! name = "Dana Quality"
//! email = "dana@example.org"
//! roles = ["QA Manager"]
//! keys = ["ssh-ed25519 AAAAC3Nz… dana@laptop"]
//! ```
//!
//! A person is known by their e-mail address (compared without regard to capitals), which is
//! unique in the file; a key belongs to one person only.

pub mod edit;
pub mod history;
pub mod keys;
pub mod record;
pub mod signers;

use std::path::{Path, PathBuf};

use serde::Deserialize;
use toml::Spanned;

use crate::doc::{Finding, Location};
use crate::fsx::FsError;
use crate::workspace::Workspace;
pub use keys::Key;

/// The registry's file name, in the folder of `sopctl.toml` (the repository's root).
pub const FILE_NAME: &str = "people.toml";

/// The keys a `[[person]]` may hold, for suggestions.
pub const PERSON_KEYS: [&str; 4] = ["name", "email", "roles", "keys"];

/// One person of the registry.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Person {
    /// The name as it is printed on records.
    pub name: String,
    /// The e-mail address: the person's identity in git (`user.email`) and in the registry.
    pub email: String,
    /// The roles the person may sign for, as `approvers` lists them (`QA Manager`).
    pub roles: Vec<String>,
    /// Their public keys (OpenSSH form): what their signatures are checked against.
    pub keys: Vec<Key>,
    /// The line of their `[[person]]` in the file, from 1.
    #[serde(skip)]
    pub line: usize,
}

impl Person {
    /// Whether the person may sign as `approver`: one of their roles, or their own name (an
    /// entry of `approvers` may name a person), without regard to capitals.
    pub fn holds(&self, approver: &str) -> bool {
        let approver = approver.trim();
        self.roles.iter().any(|r| r.eq_ignore_ascii_case(approver))
            || self.name.eq_ignore_ascii_case(approver)
    }

    /// Whether `email` is this person's address (capitals aside).
    pub fn has_email(&self, email: &str) -> bool {
        self.email.eq_ignore_ascii_case(email.trim())
    }

    /// `Dana Quality <dana@example.org>`.
    pub fn label(&self) -> String {
        format!("{} <{}>", self.name, self.email)
    }
}

/// The people of a registry file, in the file's order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Registry {
    /// Everyone listed.
    pub people: Vec<Person>,
}

/// What is wrong in a registry file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// Not TOML, or a value of the wrong kind; in plain words.
    #[error("{0}")]
    Unreadable(String),
    /// A key sopctl does not know.
    #[error("unknown key `{key}`{}", suggestion.map(|s| format!("; did you mean `{s}`?")).unwrap_or_default())]
    UnknownKey {
        /// The key as written.
        key: String,
        /// The nearest key of a `[[person]]`.
        suggestion: Option<&'static str>,
    },
    /// A `[[person]]` without a required key.
    #[error("this [[person]] has no `{0}`; each person needs a name and an e-mail address")]
    Missing(String),
    /// An empty name.
    #[error("the name is empty")]
    EmptyName,
    /// An e-mail address that is not one.
    #[error("`{0}` is not an e-mail address such as dana@example.org")]
    BadEmail(String),
    /// The same e-mail address twice.
    #[error("{email} is listed twice (first on line {first}); each person is listed once")]
    DuplicateEmail {
        /// The address.
        email: String,
        /// The line of its first `[[person]]`.
        first: usize,
    },
    /// An empty role.
    #[error("a role of {0} is empty")]
    EmptyRole(String),
    /// A name or role with a `|` or a line break, which records cannot hold: `|` separates the
    /// parts of an `Approved-by:` trailer, and each trailer is one line.
    #[error(
        "`{0}` holds a `|` or a line break, which sopctl's records use to separate their parts; write it without one (e.g. `QA / Lab`)"
    )]
    Separator(String),
    /// A key that is not an OpenSSH public key.
    #[error("a key of {email}: {error}")]
    BadKey {
        /// Whose key.
        email: String,
        /// What is wrong.
        error: keys::KeyError,
    },
    /// A key listed for two people (or twice for one): a signature must name one person.
    #[error(
        "the key {fingerprint} is also listed for {other}; a signing key belongs to one person, once"
    )]
    SharedKey {
        /// The key's fingerprint.
        fingerprint: String,
        /// The person it was listed for first.
        other: String,
    },
}

/// A problem and where it is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    /// Where, in the registry file.
    pub location: Location,
    /// What.
    pub problem: Problem,
}

/// The file as serde reads it, with the place of each value.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileShape {
    #[serde(default)]
    person: Vec<Spanned<PersonShape>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PersonShape {
    name: Spanned<String>,
    email: Spanned<String>,
    #[serde(default)]
    roles: Vec<Spanned<String>>,
    #[serde(default)]
    keys: Vec<Spanned<String>>,
}

impl Registry {
    /// Reads a registry's text: the people, and every problem with its place. A file that is
    /// not TOML of the right shape gives no people and its first problem.
    pub fn parse(text: &str) -> (Registry, Vec<Located>) {
        let at = |offset: usize| crate::doc::source::location_in(text, offset);
        let shape: FileShape = match toml::from_str(text) {
            Ok(shape) => shape,
            Err(err) => {
                let span = err.span().unwrap_or(0..0);
                let written = text
                    .get(span.clone())
                    .unwrap_or("")
                    .trim_matches(['"', '\'']);
                let problem = shape_problem(err.message(), written, line_key(text, span.start));
                let location = at(span.start);
                return (Registry::default(), vec![Located { location, problem }]);
            }
        };
        let mut problems = Vec::new();
        let mut people: Vec<Person> = Vec::new();
        for entry in shape.person {
            let line = at(entry.span().start).line;
            let p = entry.into_inner();
            let mut problem = |offset: usize, problem: Problem| {
                problems.push(Located {
                    location: at(offset),
                    problem,
                });
            };
            let email = p.email.get_ref().trim().to_string();
            let separator = |t: &str| t.contains('|') || t.chars().any(char::is_control);
            if p.name.get_ref().trim().is_empty() {
                problem(p.name.span().start, Problem::EmptyName);
            } else if separator(p.name.get_ref()) {
                problem(
                    p.name.span().start,
                    Problem::Separator(p.name.get_ref().clone()),
                );
            }
            if !is_email(&email) {
                problem(p.email.span().start, Problem::BadEmail(email.clone()));
            } else if let Some(first) = people.iter().find(|o| o.has_email(&email)) {
                let first = first.line;
                problem(
                    p.email.span().start,
                    Problem::DuplicateEmail {
                        email: email.clone(),
                        first,
                    },
                );
            }
            for role in p.roles.iter().filter(|r| r.get_ref().trim().is_empty()) {
                problem(role.span().start, Problem::EmptyRole(email.clone()));
            }
            for role in p.roles.iter().filter(|r| separator(r.get_ref())) {
                problem(
                    role.span().start,
                    Problem::Separator(role.get_ref().clone()),
                );
            }
            let mut person_keys: Vec<Key> = Vec::new();
            for written in &p.keys {
                match keys::parse(written.get_ref()) {
                    Ok(key) => {
                        let other = people
                            .iter()
                            .chain(std::iter::once(&Person {
                                name: p.name.get_ref().trim().to_string(),
                                email: email.clone(),
                                roles: Vec::new(),
                                keys: person_keys.clone(),
                                line,
                            }))
                            .find(|o| o.keys.iter().any(|k| k.fingerprint == key.fingerprint))
                            .map(Person::label);
                        match other {
                            Some(other) => problem(
                                written.span().start,
                                Problem::SharedKey {
                                    fingerprint: key.fingerprint.clone(),
                                    other,
                                },
                            ),
                            None => person_keys.push(key),
                        }
                    }
                    Err(error) => problem(
                        written.span().start,
                        Problem::BadKey {
                            email: email.clone(),
                            error,
                        },
                    ),
                }
            }
            people.push(Person {
                name: p.name.get_ref().trim().to_string(),
                email,
                roles: p
                    .roles
                    .iter()
                    .map(|r| r.get_ref().trim().to_string())
                    .collect(),
                keys: person_keys,
                line,
            });
        }
        (Registry { people }, problems)
    }

    /// The person with this e-mail address (capitals aside).
    pub fn person(&self, email: &str) -> Option<&Person> {
        self.people.iter().find(|p| p.has_email(email))
    }

    /// The person one of whose keys has this fingerprint (`SHA256:…`).
    pub fn holder_of(&self, fingerprint: &str) -> Option<&Person> {
        self.people
            .iter()
            .find(|p| p.keys.iter().any(|k| k.fingerprint == fingerprint))
    }

    /// The people who may sign as `approver` ([`Person::holds`]), in the file's order.
    pub fn in_role<'a>(&'a self, approver: &'a str) -> impl Iterator<Item = &'a Person> + 'a {
        self.people.iter().filter(move |p| p.holds(approver))
    }
}

/// Whether `text` is shaped like an e-mail address: one `@` with text on both sides, and no
/// spaces, angle brackets or commas (it is written into `Name <email>` trailers).
pub fn is_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && !domain.is_empty()
        && !domain.contains('@')
        && !text
            .chars()
            .any(|c| c.is_whitespace() || "<>,\"".contains(c))
}

/// The key written at the start of the line holding byte `offset`, if any.
fn line_key(text: &str, offset: usize) -> Option<String> {
    let start = text.get(..offset)?.rfind('\n').map_or(0, |i| i + 1);
    let line = text.get(start..)?.lines().next()?;
    let (key, _) = line.split_once('=')?;
    Some(key.trim().trim_matches(['"', '\'']).to_string())
}

/// What the TOML reader's `message` means, in the words of the registry; `written` is the text
/// at the problem's place, `key` the key of its line.
fn shape_problem(message: &str, written: &str, key: Option<String>) -> Problem {
    if message.starts_with("unknown field") {
        let candidates = PERSON_KEYS.iter().copied().chain(["person"]);
        return Problem::UnknownKey {
            key: written.to_string(),
            suggestion: crate::suggest::nearest(written, candidates),
        };
    }
    if let Some(rest) = message.strip_prefix("missing field `") {
        return Problem::Missing(rest.trim_end_matches('`').to_string());
    }
    let what = match key.as_deref() {
        Some(k @ ("roles" | "keys")) => {
            format!("`{k}` must be a list of texts in quotes, e.g.  {k} = [\"…\"]")
        }
        Some(k @ ("name" | "email")) => format!("`{k}` must be text in quotes"),
        _ => format!(
            "this is not a registry sopctl can read (each person is a [[person]] block with name, email, roles and keys): {message}"
        ),
    };
    Problem::Unreadable(what)
}

/// Why the registry cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum RegistryError {
    /// The file cannot be read.
    #[error(transparent)]
    Io(#[from] FsError),
    /// The file has problems; the first is shown, with how many there are.
    #[error("{}:{}:{}: {}{}", path.display(), first.location.line, first.location.column, first.problem, if *more > 0 { format!(" (and {more} more {})", if *more == 1 { "problem" } else { "problems" }) } else { String::new() })]
    Invalid {
        /// The file, as shown.
        path: PathBuf,
        /// The first problem.
        first: Box<Located>,
        /// How many more there are.
        more: usize,
    },
}

/// The registry file of the workspace: `people.toml` in its root.
pub fn path(ws: &Workspace) -> PathBuf {
    ws.root.join(FILE_NAME)
}

/// Reads the registry from `text`, refusing a file with problems (shown as `shown`).
///
/// # Errors
/// [`RegistryError::Invalid`] naming the first problem.
pub fn from_text(text: &str, shown: &Path) -> Result<Registry, RegistryError> {
    let (registry, problems) = Registry::parse(text);
    let mut problems = problems.into_iter();
    match problems.next() {
        None => Ok(registry),
        Some(first) => Err(RegistryError::Invalid {
            path: shown.to_path_buf(),
            first: Box::new(first),
            more: problems.count(),
        }),
    }
}

/// The registry in the work tree, or `None` when there is no file.
///
/// # Errors
/// The file cannot be read or has problems.
pub fn load(ws: &Workspace) -> Result<Option<Registry>, RegistryError> {
    let file = path(ws);
    if !file.exists() {
        return Ok(None);
    }
    let bytes = crate::fsx::read(&file)?;
    from_text(&String::from_utf8_lossy(&bytes), &ws.display_path(&file)).map(Some)
}

/// The registry as committed on the current branch (what a record is judged by: an edit not
/// committed cannot make anyone a signer), or `None` when the last commit has no file.
///
/// # Errors
/// The committed file has problems.
pub fn committed(ws: &Workspace) -> Result<Option<Registry>, RegistryError> {
    let file = path(ws);
    let Some(repo) = &ws.repo else {
        return Ok(None);
    };
    let (Some(head), Some(relative)) = (repo.head_commit(), relative(ws)) else {
        return Ok(None);
    };
    let Some(bytes) = repo.file_at_commit(&head, &relative) else {
        return Ok(None);
    };
    from_text(&String::from_utf8_lossy(&bytes), &ws.display_path(&file)).map(Some)
}

/// The registry through the history of the current branch ([`history::RegistryHistory`]), or
/// `None` outside a repository.
pub fn history(ws: &Workspace) -> Option<history::RegistryHistory> {
    let repo = ws.repo.as_ref()?;
    let (registry, settings) = watched(ws)?;
    Some(history::RegistryHistory::read(repo, &registry, &settings))
}

/// The registry file's and the settings file's paths relative to the git work tree: what a
/// walk of the history watches for [`history::RegistryHistory::from_walk`].
pub fn watched(ws: &Workspace) -> Option<(PathBuf, PathBuf)> {
    let repo = ws.repo.as_ref()?;
    let settings = repo.relative(&ws.root.join(crate::config::FILE_NAME))?;
    Some((relative(ws)?, settings))
}

/// Who may sign records now, read from one walk of the history: whether signatures are
/// required, and the registry's history (what it is trusted as at each commit).
#[derive(Debug, Clone)]
pub struct Signers {
    /// Records must be signed by registered people: the settings say `signatures =
    /// "required"`, or a commit of the current branch said so (the requirement holds from then
    /// on, whatever a later commit or the working copy says).
    pub required: bool,
    /// The registry through the history; `None` outside a repository.
    pub history: Option<history::RegistryHistory>,
}

impl Signers {
    /// The signers of `ws`, from one walk of its history.
    pub fn of(ws: &Workspace) -> Signers {
        let history = history(ws);
        let required = ws.settings.signatures == crate::config::Signatures::Required
            || history.as_ref().is_some_and(|h| h.required_since.is_some());
        Signers { required, history }
    }

    /// The registry a record is judged by: as last changed by a registered person's signed
    /// commit ([`history::RegistryHistory::current`]); `None` outside a repository.
    ///
    /// # Errors
    /// The committed file has problems ([`committed`]).
    pub fn trusted(&self, ws: &Workspace) -> Result<Option<Registry>, RegistryError> {
        let committed = committed(ws)?;
        Ok(match &self.history {
            Some(h) => Some(h.current().clone()),
            None => committed,
        })
    }
}

/// The registry file's path relative to the git work tree.
pub fn relative(ws: &Workspace) -> Option<PathBuf> {
    let repo = ws.repo.as_ref()?;
    repo.relative(&ws.root).map(|r| r.join(FILE_NAME))
}

/// `check`'s findings for the registry: each problem in `people.toml`, and, when the settings
/// require signatures, a registry that lists no one with a key (an error at the `signatures`
/// line of `sopctl.toml`).
pub fn findings(ws: &Workspace) -> Vec<Finding> {
    let file = path(ws);
    let shown = ws.display_path(&file);
    let mut findings = Vec::new();
    let mut anyone = false;
    if file.exists() {
        match crate::fsx::read(&file) {
            Ok(bytes) => {
                let (registry, problems) = Registry::parse(&String::from_utf8_lossy(&bytes));
                anyone = registry.people.iter().any(|p| !p.keys.is_empty());
                findings.extend(
                    problems
                        .into_iter()
                        .map(|p| Finding::error(shown.clone(), p.location, p.problem.to_string())),
                );
            }
            Err(e) => findings.push(Finding::error(
                shown.clone(),
                Location { line: 1, column: 1 },
                e.to_string(),
            )),
        }
    }
    let Signers { required, history } = Signers::of(ws);
    if required {
        for change in history.iter().flat_map(|h| &h.untrusted) {
            findings.push(Finding::error(
                shown.clone(),
                Location { line: 1, column: 1 },
                format!(
                    "commit {}: {}; have a registered person make the change again with  sopctl people add  or  sopctl people remove, signed",
                    change.commit.get(..7).unwrap_or(&change.commit),
                    change.reason
                ),
            ));
        }
    }
    if required && !anyone && findings.is_empty() {
        let (settings, location) = crate::check::repository::settings_line(ws, "signatures");
        findings.push(Finding::error(
            settings,
            location,
            format!(
                "signatures = \"required\", but {} lists no one with a key, so no approval can be made; the first person adds themselves with  sopctl people add \"Name\" --email EMAIL --role ROLE --key KEY.pub --sign",
                shown.display()
            ),
        ));
    }
    findings
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &str = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINNB4p82+dmnnMcktYKadeOdNAZ/49DBhNewI39Ol2tQ dana@laptop";

    fn problems(text: &str) -> Vec<String> {
        Registry::parse(text)
            .1
            .iter()
            .map(|p| format!("{}:{}: {}", p.location.line, p.location.column, p.problem))
            .collect()
    }

    #[test]
    fn people_are_read_with_roles_keys_and_lines() {
        let text = format!(
            "# Signers\n\n[[person]]\nname = \"Dana Quality\"\nemail = \"dana@example.org\"\nroles = [\"QA Manager\"]\nkeys = [\"{KEY}\"]\n\n[[person]]\nname = \"Erin\"\nemail = \"erin@example.org\"\n"
        );
        let (registry, problems) = Registry::parse(&text);
        assert_eq!(problems, []);
        let dana = registry.person("DANA@example.org").expect("dana");
        assert_eq!(
            (dana.name.as_str(), dana.line, dana.roles.as_slice()),
            ("Dana Quality", 3, &["QA Manager".to_string()][..])
        );
        assert!(dana.holds("qa manager") && dana.holds("Dana Quality") && !dana.holds("Cook"));
        assert_eq!(
            registry
                .holder_of("SHA256:RtgS5MHawoaRvSY7B5utzVQraqHLDNWDV3as7p/F3pc")
                .map(Person::label),
            Some("Dana Quality <dana@example.org>".to_string())
        );
        assert_eq!(registry.people[1].line, 9);
        assert_eq!(registry.in_role("QA Manager").count(), 1);
    }

    #[test]
    fn every_problem_is_located() {
        let text = format!(
            "[[person]]\nname = \"\"\nemail = \"dana\"\nroles = [\" \"]\nkeys = [\"{KEY}\", \"nonsense\"]\n\n[[person]]\nname = \"B\"\nemail = \"b@x.org\"\nkeys = [\"{KEY}\"]\n\n[[person]]\nname = \"C\"\nemail = \"B@x.org\"\n"
        );
        assert_eq!(
            problems(&text),
            [
                "2:8: the name is empty",
                "3:9: `dana` is not an e-mail address such as dana@example.org",
                "4:10: a role of dana is empty",
                "5:105: a key of dana: this is not an OpenSSH public key (it starts with `nonsense` where a key type such as ssh-ed25519 belongs)",
                "10:9: the key SHA256:RtgS5MHawoaRvSY7B5utzVQraqHLDNWDV3as7p/F3pc is also listed for  <dana>; a signing key belongs to one person, once",
                "14:9: B@x.org is listed twice (first on line 7); each person is listed once",
            ]
        );
    }

    #[test]
    fn a_file_of_the_wrong_shape_says_what_to_write() {
        assert_eq!(
            problems("[[person]]\nname = \"A\"\nemail = \"a@x.org\"\nrole = [\"QA\"]\n"),
            ["4:1: unknown key `role`; did you mean `roles`?"]
        );
        assert_eq!(
            problems("[[person]]\nname = \"A\"\nroles = \"QA\"\n"),
            ["3:9: `roles` must be a list of texts in quotes, e.g.  roles = [\"…\"]"]
        );
        assert_eq!(
            problems("[[person]]\nname = \"A\"\n"),
            ["1:1: this [[person]] has no `email`; each person needs a name and an e-mail address"]
        );
        assert!(is_email("a.b+c@x.org") && !is_email("a@b@c") && !is_email("Dana <d@x.org>"));
    }
}
