//! Errors as the user sees them: `error: …`, `  caused by: …`, `hint: …`, and an exit code.
//!
//! All wording for library errors lives here, in one place: each `From` impl adds the hint a
//! document owner needs to act (what to type next), in their words rather than git's or Rust's.

use crate::config::ConfigError;
use crate::doc::DocError;
use crate::fsx::FsError;
use crate::repo::RepoError;
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

    /// A command that a later version of sopctl brings.
    pub fn not_implemented(command: &str) -> Self {
        CliError::new(format!(
            "`sopctl {command}` is not available yet in this version of sopctl"
        ))
        .hint("this version can: init, new, list, check, completions, man (see CHANGELOG.md)")
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
        let hint = match err.source.kind() {
            std::io::ErrorKind::NotFound => Some("check the spelling of the path"),
            std::io::ErrorKind::PermissionDenied => {
                Some("check that you may read and write this file")
            }
            _ => None,
        };
        let out = CliError::new(format!("{} {}", err.action, err.path.display()))
            .cause(err.source.to_string());
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
            e => CliError::new(e.to_string()),
        }
    }
}

impl From<RepoError> for CliError {
    fn from(err: RepoError) -> Self {
        match &err {
            RepoError::NotOwned { path } => CliError::new(err.to_string()).hint(format!(
                "if you trust this folder, run:  git config --global --add safe.directory {}",
                path.display()
            )),
            RepoError::Git { .. } => CliError::new(err.to_string()),
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
            e @ WorkspaceError::NoDocuments { .. } => CliError::new(e.to_string())
                .hint("create one with  sopctl new \"Title of the procedure\""),
            e @ WorkspaceError::Ambiguous { .. } => CliError::new(e.to_string()),
            e @ WorkspaceError::NotAnSop { .. } => CliError::new(e.to_string()).hint(
                "an SOP starts with a front-matter block giving its `id`, `title` and `owner`",
            ),
        }
    }
}
