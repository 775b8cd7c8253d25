//! The command line: the only part of sopctl that knows clap, colours, `--json` and exit codes.
//!
//! Each command lives in its own file under [`commands`], with its arguments and a `run`
//! function of the same shape; this module parses the arguments, builds the [`Env`], runs the
//! command and turns its result into output and an exit code (SPEC §4: 0 success, 1 refused or
//! errors found, 2 usage error).

pub mod commands;
pub mod error;
pub mod ui;

use std::path::PathBuf;
use std::process::ExitCode;

use crate::clock::Clock;
use clap::{Parser, Subcommand};

pub use error::CliError;
pub use ui::{ColorWhen, Ui};

/// Options every command takes.
#[derive(Debug, Clone, clap::Args)]
pub struct GlobalArgs {
    /// When to colour the output; NO_COLOR in the environment turns colour off for `auto`
    #[arg(long, value_enum, global = true, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
    /// Print only results and errors, no progress or hints
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

/// sopctl: standard operating procedures in Markdown and git.
#[derive(Debug, Parser)]
#[command(
    name = "sopctl",
    version,
    about = "Standard operating procedures in Markdown and git: check, release, compare and publish them",
    long_about = "sopctl takes a standard operating procedure (SOP) through its life: written in \
Markdown, kept in git, approved, released under a version number with a generated revision \
history, compared between versions, and published as PDF and HTML.",
    after_help = "Examples:\n  sopctl init my-sops                start a repository of SOPs\n  sopctl init demo --example         a repository with the example SOP and its history\n  sopctl new \"Cleaning the mixer\"    write a new SOP from the template\n  sopctl check                       check every SOP\n  sopctl list                        list the SOPs with version and status\n  sopctl release --minor -m \"Why\"    release the next version"
)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// The command.
    #[command(subcommand)]
    pub command: Command,
}

/// The commands of SPEC §4.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Start a repository of SOPs: sopctl.toml, sops/, .gitignore and a git repository
    Init(commands::init::InitArgs),
    /// Write a new SOP from the template, with the next free ID
    New(commands::new::NewArgs),
    /// List every SOP with its version, status, effective date and next review
    List(commands::list::ListArgs),
    /// Check SOPs for problems: front matter, IDs, links, images, anchors
    Check(commands::check::CheckArgs),
    /// Release a new version: set version and date, regenerate the revision history, commit and tag
    Release(commands::release::ReleaseArgs),
    /// Show the released versions of an SOP
    Log(commands::log::LogArgs),
    /// Print an SOP as it was at a released version
    Show(commands::show::ShowArgs),
    /// Compare two versions of an SOP as a reviewer's redline
    Diff(commands::diff::DiffArgs),
    /// Make the PDF and HTML renditions of SOPs
    Render(commands::render::RenderArgs),
    /// Build the static download site from the releases
    Publish(commands::publish::PublishArgs),
    /// Record your approval of an SOP's current content
    Approve(commands::approve::ApproveArgs),
    /// Record a periodic review of an SOP that needs no change
    Review(commands::review::ReviewArgs),
    /// Withdraw an SOP: superseded by another, or obsolete
    Retire(commands::retire::RetireArgs),
    /// Print shell completions
    Completions(commands::completions::CompletionsArgs),
    /// Print the manual page (roff)
    Man(commands::man::ManArgs),
}

/// What a command gets from the environment: where it runs and what time it is.
#[derive(Debug, Clone)]
pub struct Env {
    /// The working directory.
    pub cwd: PathBuf,
    /// Now: the instant git records for a commit (`GIT_COMMITTER_DATE` when it is an RFC 3339
    /// timestamp, else the system clock), or the fixed day `SOPCTL_TODAY=YYYY-MM-DD` (tests and
    /// demos). The workspace turns it into today's date in the repository's time zone, never
    /// the machine's.
    pub clock: Clock,
}

impl Env {
    /// Reads the working directory and the clock.
    ///
    /// # Errors
    /// When the working directory is gone or `SOPCTL_TODAY` is not a date.
    pub fn from_process() -> Result<Env, CliError> {
        let cwd = std::env::current_dir()
            .map_err(|e| CliError::new("cannot read the current folder").cause(e.to_string()))?;
        let clock = match std::env::var("SOPCTL_TODAY") {
            Ok(text) => Clock::Day(
                crate::doc::metadata::parse_date(&text)
                    .map_err(|msg| CliError::usage(format!("SOPCTL_TODAY: {msg}")))?,
            ),
            Err(_) => Clock::At(crate::lifecycle::signing_time()),
        };
        Ok(Env { cwd, clock })
    }

    /// The workspace around the working directory.
    ///
    /// # Errors
    /// A bad `sopctl.toml`, or a repository git refuses.
    pub fn workspace(&self, ui: &mut Ui) -> Result<crate::workspace::Workspace, CliError> {
        let ws = crate::workspace::Workspace::discover(&self.cwd, self.clock)?;
        report_recovery(ui, &ws);
        Ok(ws)
    }

    /// The workspace for a command that writes a record, with the repository's record lock
    /// held (`None` outside a git repository): a second record command waits, saying so.
    ///
    /// # Errors
    /// As [`Env::workspace`]; the lock cannot be taken.
    pub fn record_workspace(
        &self,
        ui: &mut Ui,
    ) -> Result<
        (
            crate::workspace::Workspace,
            Option<crate::repo::lock::RecordLock>,
        ),
        CliError,
    > {
        let (ws, lock) =
            crate::workspace::Workspace::discover_for_record(&self.cwd, self.clock, &mut || {
                ui.status("waiting for another sopctl command in this repository to finish…");
            })?;
        report_recovery(ui, &ws);
        Ok((ws, lock))
    }
}

/// Says what opening the repository did with a record a killed sopctl left unfinished.
fn report_recovery(ui: &mut Ui, ws: &crate::workspace::Workspace) {
    match &ws.recovery {
        Some(Ok(outcome)) => ui.status(&format!("note: {outcome}")),
        Some(Err(message)) => ui.warning(&format!(
            "a record that an interrupted sopctl left unfinished could not be resolved: {message}"
        )),
        None => {}
    }
}

/// Runs sopctl with the process's arguments and returns its exit code.
pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(if err.use_stderr() {
                error::EXIT_USAGE
            } else {
                error::EXIT_OK
            });
        }
    };
    let mut ui = Ui::new(cli.global.color, cli.global.quiet);
    let result = Env::from_process().and_then(|env| run(&cli, &env, &mut ui));
    match result {
        Ok(()) => ExitCode::from(error::EXIT_OK),
        Err(e) if e.broken_pipe => ExitCode::from(error::EXIT_OK),
        Err(e) => {
            ui.error(&e);
            ExitCode::from(e.exit)
        }
    }
}

/// Runs one parsed command.
///
/// # Errors
/// The command's error, to be printed by the caller.
pub fn run(cli: &Cli, env: &Env, ui: &mut Ui) -> Result<(), CliError> {
    use commands as c;
    match &cli.command {
        Command::Init(a) => c::init::run(env, ui, a),
        Command::New(a) => c::new::run(env, ui, a),
        Command::List(a) => c::list::run(env, ui, a),
        Command::Check(a) => c::check::run(env, ui, a),
        Command::Release(a) => c::release::run(env, ui, a),
        Command::Log(a) => c::log::run(env, ui, a),
        Command::Show(a) => c::show::run(env, ui, a),
        Command::Diff(a) => c::diff::run(env, ui, a),
        Command::Render(a) => c::render::run(env, ui, a),
        Command::Publish(a) => c::publish::run(env, ui, a),
        Command::Approve(a) => c::approve::run(env, ui, a),
        Command::Review(a) => c::review::run(env, ui, a),
        Command::Retire(a) => c::retire::run(env, ui, a),
        Command::Completions(a) => c::completions::run(env, ui, a),
        Command::Man(a) => c::man::run(env, ui, a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_command_has_examples_in_its_help() {
        let cmd = Cli::command();
        for sub in cmd.get_subcommands() {
            let help = sub
                .get_after_help()
                .map(ToString::to_string)
                .unwrap_or_default();
            assert!(
                help.contains("Examples:"),
                "`sopctl {}` has no examples",
                sub.get_name()
            );
        }
    }
}
