//! Errors as the user sees them: `error: …`, `  caused by: …`, `hint: …`, and an exit code.
//!
//! All wording for library errors lives here, in one place: each `From` impl adds the hint a
//! document owner needs to act (what to type next), in their words rather than git's or Rust's.

use crate::config::ConfigError;
use crate::doc::DocError;
use crate::fsx::FsError;
use crate::paths::OutputDirError;
use crate::release::Refusal;
use crate::repo::RepoError;
use crate::shell;
use crate::templates::TemplateError;
use crate::workspace::WorkspaceError;

/// Exit code for success.
pub const EXIT_OK: u8 = 0;
/// Exit code when sopctl refuses, or `check` finds errors (SPEC §4).
pub const EXIT_REFUSED: u8 = 1;
/// Exit code for a usage error (SPEC §4; clap uses it too).
pub const EXIT_USAGE: u8 = 2;

/// An error on its way to the terminal.
#[derive(Debug)]
pub struct CliError {
    /// The exit code.
    pub exit: u8,
    /// The main message, without the `error:` prefix.
    pub message: String,
    /// Underlying reasons, outermost first.
    pub causes: Vec<String>,
    /// What to do next.
    pub hints: Vec<String>,
    /// Set when stdout was closed by the reader (e.g. `| head`): exit quietly.
    pub broken_pipe: bool,
}

impl CliError {
    /// A refusal or failure (exit 1).
    pub fn new(message: impl Into<String>) -> Self {
        CliError {
            exit: EXIT_REFUSED,
            message: message.into(),
            causes: Vec::new(),
            hints: Vec::new(),
            broken_pipe: false,
        }
    }

    /// A usage error (exit 2).
    pub fn usage(message: impl Into<String>) -> Self {
        CliError {
            exit: EXIT_USAGE,
            ..CliError::new(message)
        }
    }

    /// Adds a hint.
    #[must_use]
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hints.push(hint.into());
        self
    }

    /// Adds a cause.
    #[must_use]
    pub fn cause(mut self, cause: impl Into<String>) -> Self {
        self.causes.push(cause.into());
        self
    }

    /// Findings were printed already; this only sets the exit code.
    pub fn silent(exit: u8) -> Self {
        CliError {
            exit,
            ..CliError::new("")
        }
    }
}

impl From<std::io::Error> for CliError {
    fn from(err: std::io::Error) -> Self {
        if err.kind() == std::io::ErrorKind::BrokenPipe {
            CliError {
                broken_pipe: true,
                exit: EXIT_OK,
                ..CliError::new("")
            }
        } else {
            CliError::new(format!("cannot write the output: {err}"))
        }
    }
}

impl From<FsError> for CliError {
    fn from(err: FsError) -> Self {
        let (cause, hint) = crate::fsx::plain_reason(&err.source);
        let out = CliError::new(format!("{} {}", err.action, err.path.display())).cause(cause);
        match hint {
            Some(h) => out.hint(h),
            None => out,
        }
    }
}

impl From<DocError> for CliError {
    fn from(err: DocError) -> Self {
        match err {
            DocError::Io(e) => e.into(),
            DocError::NotUtf8(e) => CliError::new(e.to_string())
                .hint("open the file in your editor and save it with the encoding UTF-8"),
            e @ DocError::FrontMatter { .. } => CliError::new(e.to_string()),
            e @ DocError::SymbolicLink { .. } => CliError::new(e.to_string())
                .hint("copy the SOP into the repository in place of the link"),
            e @ DocError::TooLarge { .. } => CliError::new(e.to_string()).hint(
                "split it into several SOPs, or attach large data as files instead of pasting it in",
            ),
        }
    }
}

/// What to do about a template that leads outside the repository
/// ([`crate::templates::TemplateError::Outside`], [`Refusal::TemplateOutside`]).
pub(crate) const TEMPLATE_OUTSIDE_HINT: &str = "sopctl reads templates only from the repository: put the file itself in templates/ in place of the link, or delete the link to use the built-in template";

impl From<TemplateError> for CliError {
    fn from(err: TemplateError) -> Self {
        match err {
            TemplateError::Io(e) => e.into(),
            e @ TemplateError::Outside(_) => CliError::new(e.to_string()).hint(TEMPLATE_OUTSIDE_HINT),
            e @ TemplateError::Render { .. } => CliError::new(e.to_string()).hint(
                "fix the template in templates/ of the repository, or delete it to use the built-in one",
            ),
        }
    }
}

impl From<ConfigError> for CliError {
    fn from(err: ConfigError) -> Self {
        match err {
            ConfigError::Io(e) => e.into(),
            e @ ConfigError::UnknownKey { .. } => CliError::new(e.to_string()).hint(format!(
                "the settings sopctl.toml may hold are: {}",
                crate::config::KEYS.join(", ")
            )),
            e @ ConfigError::UnknownTimeZone { .. } => CliError::new(e.to_string()).hint(format!(
                "write a name of the IANA time zone database, e.g.  timezone = \"Europe/Berlin\"  or  timezone = \"America/New_York\"; without the setting sopctl counts days in {}",
                crate::clock::DEFAULT_ZONE
            )),
            e => CliError::new(e.to_string()),
        }
    }
}

impl From<RepoError> for CliError {
    fn from(err: RepoError) -> Self {
        match &err {
            RepoError::NotOwned { path } => CliError::new(err.to_string()).hint(format!(
                "if you trust this folder, run:  git config --global --add safe.directory {}",
                shell::quote_path(path)
            )),
            RepoError::NoIdentity { .. } => CliError::new(err.to_string()).hint(
                "set them once with:  git config --global user.name \"Your Name\"  and  git config --global user.email you@example.org",
            ),
            RepoError::Locked { path } => CliError::new(err.to_string()).hint(format!(
                "wait for the other git program to finish; if none is running, delete {} and run the command again",
                path.display()
            )),
            RepoError::InSubmodule { submodule, .. } => CliError::new(err.to_string()).hint(format!(
                "release and record it from inside the submodule: cd {} and run the command there",
                submodule.display()
            )),
            RepoError::Unfinished { .. } | RepoError::State { .. } => CliError::new(err.to_string()),
            RepoError::Signing { hint, .. } => CliError::new(err.to_string()).hint(hint.clone()),
            RepoError::Hook { hook, output } => {
                let error = CliError::new(err.to_string());
                let error = if output.is_empty() {
                    error
                } else {
                    error.cause(output.clone())
                };
                error.hint(match *hook {
                    "pre-commit" | "commit-msg" => "do what the hook asks; to skip the hooks for this command (as git commit --no-verify does), add --no-verify",
                    _ => "see what the hook printed",
                })
            }
            RepoError::Moved { .. } => CliError::new(err.to_string())
                .hint("nothing was changed; run the command again to release on top of the new state"),
            RepoError::Injected(_) | RepoError::Git { .. } => CliError::new(err.to_string()),
        }
    }
}

impl From<WorkspaceError> for CliError {
    fn from(err: WorkspaceError) -> Self {
        match err {
            WorkspaceError::Config(e) => e.into(),
            WorkspaceError::Repo(e) => e.into(),
            WorkspaceError::Doc(e) => e.into(),
            e @ WorkspaceError::UnknownDocument { .. } => {
                CliError::new(e.to_string()).hint("`sopctl list` shows every SOP with its ID")
            }
            WorkspaceError::Deleted { ref id, ref path } => {
                let hint = format!(
                    "to bring it back:  git restore -- {}   (to withdraw an SOP, restore it and run  sopctl retire {})",
                    shell::quote_path(path),
                    shell::quote(id.as_str())
                );
                CliError::new(err.to_string()).hint(hint)
            }
            WorkspaceError::NoDocuments { ref hint, .. } => {
                let hint = hint.clone();
                CliError::new(err.to_string()).hint(hint)
            }
            e @ WorkspaceError::Ambiguous { .. } => CliError::new(e.to_string())
                .hint("name one of them after the command (a file path always works)"),
            e @ WorkspaceError::NotARepository { .. } => {
                CliError::new(e.to_string()).hint("start one with  sopctl init  (or  git init)")
            }
            e @ WorkspaceError::Shallow => CliError::new(e.to_string())
                .hint("fetch the full history and the tags:  git fetch --unshallow --tags"),
            e @ WorkspaceError::UnknownVersion(_) => {
                CliError::new(e.to_string()).hint("`sopctl log` lists the released versions")
            }
            e @ WorkspaceError::NotAnSop { .. } => CliError::new(e.to_string()).hint(
                "an SOP starts with a front-matter block giving its `id`, `title` and `owner`",
            ),
            WorkspaceError::DocsOutside(ref outside) => {
                let hint = if outside.through_link {
                    "sopctl reads SOPs only from the repository: put the folder itself in the repository in place of the link, or set `docs` in sopctl.toml to folders inside the repository, e.g.  docs = [\"sops\"]"
                } else {
                    "sopctl reads SOPs only from the repository: set `docs` in sopctl.toml to folders inside it, e.g.  docs = [\"sops\"]"
                };
                CliError::new(err.to_string()).hint(hint)
            }
        }
    }
}

/// What to do about a tag named like a release that holds no copy of the SOP: look at it, and
/// delete a wrong one (the tag name quoted for the shell).
pub(crate) fn hand_made_tag_hint(tag: &str) -> String {
    let tag = shell::quote(tag);
    format!(
        "the tag was probably made by hand: look at it with  git show {tag}  and delete a wrong one with  git tag -d {tag}"
    )
}

/// What to type next after a refusal, in a document owner's words.
pub(crate) fn refusal_hint(refusal: &Refusal) -> Option<String> {
    Some(match refusal {
        Refusal::NotARepository { .. } => "start one with  sopctl init  (or  git init)".to_string(),
        Refusal::Shallow => "fetch the full history and the tags:  git fetch --unshallow --tags".to_string(),
        Refusal::Unfinished(_) => "finish it or abort it first (git status says how)".to_string(),
        Refusal::DetachedHead => "switch to your branch first:  git switch main".to_string(),
        Refusal::OtherChanges(files) => {
            // Plain `git stash` would put the SOP's own edits aside too; `:/` names each file
            // from the repository's top, wherever the command is typed.
            let named: Vec<String> = files
                .iter()
                .take(5)
                .map(|f| shell::quote(&format!(":/{}", f.display())).into_owned())
                .collect();
            let more = if files.len() > named.len() { " …" } else { "" };
            format!(
                "commit them first (git commit), or put only them aside with  git stash push -- {}{more}  (a plain  git stash  would put the SOP's edits aside too)",
                named.join(" ")
            )
        }
        Refusal::NothingChanged { .. } => "edit the document first; a release records a change".to_string(),
        Refusal::NoBump { .. } => "e.g.  sopctl release --minor -m \"What changed and why\"".to_string(),
        Refusal::BadTagName(_) => "choose another version, or change `tag_format` in sopctl.toml, e.g.  tag_format = \"{id}/v{version}\"".to_string(),
        Refusal::BadOutputFolder(e @ OutputDirError::OutsideRepository(outside)) => format!(
            "{}; to put renditions elsewhere, release with --no-render, then run  sopctl publish -o {}",
            crate::paths::out_setting_fix(e),
            shell::quote_path(&outside.target)
        ),
        Refusal::BadOutputFolder(e) => crate::paths::out_setting_fix(e),
        Refusal::TemplateOutside(_) => TEMPLATE_OUTSIDE_HINT.to_string(),
        Refusal::CannotBump { .. } => "bump a smaller part (--minor or --patch), or give the new version with  --set-version".to_string(),
        Refusal::NotHigher { latest, .. } => format!("choose a version above {latest}, or use --major, --minor or --patch"),
        Refusal::Retired(_) => "write a new SOP for the procedure that replaces it (sopctl new)".to_string(),
        Refusal::MissingApprovals { missing, .. } => format!(
            "each of them approves the current content with  sopctl approve --role={}  (an edit after an approval voids it)",
            shell::quote(missing.first().map_or("Role", String::as_str))
        ),
        Refusal::SelfApproval { role, .. } => format!(
            "another person who holds the role approves with  sopctl approve --role {}; if your procedures let an author approve, set  separation_of_duties = false  in sopctl.toml (the release record then marks the approval)",
            shell::quote(role)
        ),
        Refusal::SamePerson { roles, .. } => format!(
            "another person approves as {} with  sopctl approve --role {}; if your procedures allow one person in two roles, set  separation_of_duties = false  in sopctl.toml (the release record then marks it)",
            roles.last().map_or("the other role", String::as_str),
            shell::quote(roles.last().map_or("Role", String::as_str))
        ),
        Refusal::DateBeforeLastRelease { .. } => {
            "leave out --effective to use today, or give a later day: on or after both today and the last release's".to_string()
        }
        Refusal::DateInThePast { .. } => {
            "leave out --effective to make it take effect today, or give a later day: the version in force on past days stays the one people worked by".to_string()
        }
        Refusal::TodayBeforeLastRelease { latest_date, .. } => {
            format!("give an effective date on or after the last release's, e.g.  --effective {latest_date}  (a release waiting for its effective date is replaced by one taking effect on the same day or later)")
        }
        Refusal::AuthorNotInRow { version, .. } => format!(
            "leave out --author, or correct the Author cell of the {version} row and commit it first"
        ),
        Refusal::UnsignedApproval { .. } => "the approver approves again, signing with their registered key (sopctl approve --role …; docs/getting-started.md, \"Signed records\", shows the set-up); sopctl people list shows who holds which role".to_string(),
        Refusal::Signer { fix, .. } => return fix.clone(),
        Refusal::TagExists(_) => "that version was released already; choose a higher one".to_string(),
        Refusal::NoSummary => "add one:  -m \"What changed and why\"".to_string(),
        Refusal::NoIdentity { .. } => "set them once with:  git config --global user.name \"Your Name\"  and  git config --global user.email you@example.org  (--author only changes the name in the revision history; git still signs the commit with your identity)".to_string(),
        Refusal::CheckFailed(_) => "fix them, then run  sopctl check  to confirm".to_string(),
        Refusal::OutsideRepository { .. } => "move the document into the repository".to_string(),
    })
}

/// Every refusal of a release as one error: a numbered list, each with its hint, and the
/// findings of a failed check.
pub fn refusals_error(name: &str, refusals: &[Refusal]) -> CliError {
    let count = refusals.len();
    let mut message = format!(
        "{name} cannot be released ({count} {}); nothing was changed",
        if count == 1 { "problem" } else { "problems" }
    );
    for (i, refusal) in refusals.iter().enumerate() {
        message.push_str(&format!("\n  {}. {refusal}", i + 1));
        if let Refusal::CheckFailed(findings) = refusal {
            for f in findings {
                message.push_str(&format!("\n       {f}"));
            }
        }
        if let Some(hint) = refusal_hint(refusal) {
            message.push_str(&format!("\n     hint: {hint}"));
        }
    }
    CliError::new(message)
}

impl From<crate::people::RegistryError> for CliError {
    fn from(err: crate::people::RegistryError) -> Self {
        match err {
            crate::people::RegistryError::Io(e) => e.into(),
            e @ crate::people::RegistryError::Invalid { .. } => CliError::new(e.to_string()).hint(
                "fix people.toml (sopctl check lists every problem), or undo an edit by hand with  git restore people.toml",
            ),
        }
    }
}

impl From<crate::people::keys::KeyFileError> for CliError {
    fn from(err: crate::people::keys::KeyFileError) -> Self {
        use crate::people::keys::KeyFileError as E;
        match err {
            E::Io(e) => e.into(),
            E::Private { ref path } => {
                let hint = format!(
                    "give its public half instead, the .pub file ssh-keygen made beside it, e.g.  --key {}.pub",
                    shell::quote_path(path)
                );
                CliError::new(err.to_string()).hint(hint)
            }
            e @ E::NotAKey { .. } => CliError::new(e.to_string())
                .hint("give the .pub file that ssh-keygen made, e.g.  --key ~/.ssh/id_ed25519.pub"),
            e @ E::SeveralKeys { .. } => CliError::new(e.to_string())
                .hint("put each key in a file of its own and give each with --key"),
        }
    }
}

impl From<crate::people::signers::SignerRefusal> for CliError {
    fn from(err: crate::people::signers::SignerRefusal) -> Self {
        use crate::people::signers::SignerRefusal as S;
        let err = match err {
            S::Signing(e) => return e.into(),
            other => other,
        };
        let hint = err.fix().unwrap_or_default();
        CliError::new(err.to_string()).hint(hint)
    }
}

impl From<crate::people::record::PeopleError> for CliError {
    fn from(err: crate::people::record::PeopleError) -> Self {
        use crate::people::record::PeopleError as P;
        match err {
            P::Registry(e) => e.into(),
            P::Workspace(e) => e.into(),
            P::Repo(e) => e.into(),
            P::Signer(e) => e.into(),
            e @ P::Edit(_) => CliError::new(e.to_string()),
            e @ P::Uncommitted { .. } => CliError::new(e.to_string()).hint(
                "commit them first (git commit people.toml), or undo them with  git restore people.toml",
            ),
            e @ P::UnknownEmail { .. } => {
                CliError::new(e.to_string()).hint("sopctl people list  shows who is registered")
            }
            P::DuplicateEmail { ref email, .. } => {
                let hint = format!(
                    "to change their roles or keys, remove them with  sopctl people remove {}  and add them again",
                    shell::quote(email)
                );
                CliError::new(err.to_string()).hint(hint)
            }
            e @ P::KeyTaken { .. } => CliError::new(e.to_string())
                .hint("each person registers their own key; sopctl people list shows whose keys are registered"),
        }
    }
}
