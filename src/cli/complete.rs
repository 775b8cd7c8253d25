//! Shell completion that knows the repository: SOP IDs and released versions, through
//! clap_complete's dynamic completion.
//!
//! The shell's completion script (`sopctl completions bash`, or the same from
//! `COMPLETE=bash sopctl`) runs `COMPLETE=bash sopctl -- sopctl diff SOP-0` each time the user
//! presses Tab; [`answer`] sees `COMPLETE`, asks the completers below and prints the
//! candidates. The completers read the repository around the working directory the way every
//! command does; when that fails (no repository, a bad `sopctl.toml`) they offer nothing, or
//! file names where a file may be named. They never write and never print an error.

use std::ffi::OsStr;

use clap_complete::engine::{ArgValueCompleter, CompletionCandidate, PathCompleter};

use crate::workspace::Workspace;

/// Answers a completion request when the shell asked for one (`COMPLETE` is set): returns
/// `Ok(true)` after printing the candidates (or the registration script), `Ok(false)` for an
/// ordinary run.
///
/// # Errors
/// `COMPLETE` names a shell clap_complete does not know.
pub fn answer() -> Result<bool, clap::Error> {
    let cwd = std::env::current_dir().ok();
    clap_complete::CompleteEnv::with_factory(super::command)
        .try_complete(std::env::args_os(), cwd.as_deref())
}

/// The registration script of `shell`, as `COMPLETE=<shell> sopctl` prints it: the shell calls
/// `sopctl` (found on `PATH`) for every completion.
///
/// # Errors
/// Only when the script cannot be written to `out`.
pub fn registration(
    shell: clap_complete::Shell,
    out: &mut dyn std::io::Write,
) -> std::io::Result<()> {
    use clap_complete::env::EnvCompleter;
    let completer: &dyn EnvCompleter = match shell {
        clap_complete::Shell::Bash => &clap_complete::env::Bash,
        clap_complete::Shell::Elvish => &clap_complete::env::Elvish,
        clap_complete::Shell::Fish => &clap_complete::env::Fish,
        clap_complete::Shell::PowerShell => &clap_complete::env::Powershell,
        clap_complete::Shell::Zsh => &clap_complete::env::Zsh,
        // A shell added to clap_complete later: its static script, without IDs and versions.
        other => {
            clap_complete::generate(other, &mut super::command(), "sopctl", out);
            return Ok(());
        }
    };
    completer.write_registration("COMPLETE", "sopctl", "sopctl", "sopctl", out)
}

/// Where an SOP is named: its ID, or the path of a Markdown file.
pub(crate) fn sop() -> ArgValueCompleter {
    ArgValueCompleter::new(|current: &OsStr| {
        let mut out = ids(current);
        out.extend(markdown_paths(current));
        out
    })
}

/// Where another SOP is named by ID only (`retire --superseded-by`).
pub(crate) fn sop_id() -> ArgValueCompleter {
    ArgValueCompleter::new(ids)
}

/// Where a released version is named (`render --version`).
pub(crate) fn version() -> ArgValueCompleter {
    ArgValueCompleter::new(versions)
}

/// `show [DOC] [VERSION]` and `diff [DOC] FROM [TO]`: the first word is an SOP or a version,
/// the later ones versions.
pub(crate) fn sop_or_version() -> ArgValueCompleter {
    ArgValueCompleter::new(SopThenVersions)
}

struct SopThenVersions;

impl clap_complete::engine::ValueCompleter for SopThenVersions {
    fn complete(&self, current: &OsStr) -> Vec<CompletionCandidate> {
        self.complete_at(0, current)
    }

    fn complete_at(&self, arg_index: usize, current: &OsStr) -> Vec<CompletionCandidate> {
        let mut out = Vec::new();
        if arg_index == 0 {
            out.extend(ids(current));
        }
        out.extend(versions(current));
        if arg_index == 0 {
            out.extend(markdown_paths(current));
        }
        out
    }
}

/// The workspace around the working directory, on the day sopctl takes for today.
fn workspace() -> Option<Workspace> {
    let env = super::Env::from_process().ok()?;
    Workspace::discover(&env.cwd, env.clock).ok()
}

/// The IDs of the SOPs that start with `current`, each with its title.
fn ids(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(ws) = workspace() else {
        return Vec::new();
    };
    let typed = current.to_string_lossy();
    let mut out: Vec<CompletionCandidate> = ws
        .documents()
        .into_iter()
        .filter_map(|e| e.sop.ok())
        .filter_map(|sop| {
            let id = sop.id()?.to_string();
            id.starts_with(typed.as_ref()).then(|| {
                CompletionCandidate::new(id).help(sop.metadata.title.clone().map(Into::into))
            })
        })
        .collect();
    out.sort_by(|a, b| a.get_value().cmp(b.get_value()));
    out
}

/// The released versions (display form, `latest` and `current`) that start with `current`: of the SOP
/// named elsewhere on the command line, else of the only SOP, else of every SOP.
fn versions(current: &OsStr) -> Vec<CompletionCandidate> {
    let Some(ws) = workspace() else {
        return Vec::new();
    };
    let typed = current.to_string_lossy();
    let sops: Vec<crate::doc::Sop> = ws
        .documents()
        .into_iter()
        .filter_map(|e| e.sop.ok())
        .filter(|s| s.id().is_some())
        .collect();
    // The words of the command line being completed follow the `--` the shell script passes.
    let words: Vec<String> = std::env::args().skip_while(|w| w != "--").skip(1).collect();
    let named: Vec<&crate::doc::Sop> = sops
        .iter()
        .filter(|s| {
            s.id()
                .is_some_and(|id| words.iter().any(|w| w == id.as_str()))
        })
        .collect();
    let chosen: Vec<&crate::doc::Sop> = if named.is_empty() {
        sops.iter().collect()
    } else {
        named
    };
    let mut out: Vec<CompletionCandidate> = Vec::new();
    let mut any = false;
    for sop in &chosen {
        let Some(id) = sop.id() else { continue };
        let Ok(releases) = ws.releases(id) else {
            continue;
        };
        any |= !releases.records.is_empty();
        for record in releases.records.iter().rev() {
            let shown = record.version.to_string();
            if shown.starts_with(typed.as_ref())
                && !out.iter().any(|c| c.get_value() == shown.as_str())
            {
                let help = if chosen.len() == 1 {
                    format!("released {}: {}", record.date, record.summary)
                } else {
                    format!("{id}, released {}", record.date)
                };
                out.push(CompletionCandidate::new(shown).help(Some(help.into())));
            }
        }
    }
    if any && "latest".starts_with(typed.as_ref()) {
        out.push(CompletionCandidate::new("latest").help(Some("the newest release".into())));
    }
    if any && "current".starts_with(typed.as_ref()) {
        out.push(
            CompletionCandidate::new("current").help(Some("the version in force today".into())),
        );
    }
    out
}

/// Markdown files whose path starts with `current`, then the folders on the way to them.
fn markdown_paths(current: &OsStr) -> Vec<CompletionCandidate> {
    use clap_complete::engine::ValueCompleter;
    PathCompleter::any()
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "md" || e == "markdown"))
        .complete(current)
}
