//! The command line: the only part of sopctl that knows clap, colours, `--json` and exit codes.
//!
//! Each command lives in its own file under [`commands`], with its arguments and a `run`
//! function of the same shape; this module parses the arguments, builds the [`Env`], runs the
//! command and turns its result into output and an exit code (SPEC §4: 0 success, 1 refused or
//! errors found, 2 usage error).

pub mod commands;
pub mod complete;
pub mod error;
pub(crate) mod json;
pub mod ui;

use std::path::PathBuf;
use std::process::ExitCode;

use crate::clock::Clock;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

pub use error::CliError;
pub use ui::{ColorWhen, Ui};

/// The help heading of the options every command takes.
const GLOBAL: &str = "Global options";

/// Options every command takes (SPEC §4). `sopctl --help` describes them in full; each
/// command's help lists them in one line each under "Global options" ([`command`]).
#[derive(Debug, Clone, clap::Args)]
pub struct GlobalArgs {
    /// When to colour the output: auto, always or never
    #[arg(
        long,
        value_enum,
        global = true,
        default_value_t = ColorWhen::Auto,
        value_name = "WHEN",
        help_heading = GLOBAL,
        long_help = "When to colour the output. `auto` colours on a terminal unless NO_COLOR is set in the environment; `always` colours also into a file or a pipe; `never` does not colour"
    )]
    pub color: ColorWhen,
    /// Print only results and errors, no progress or hints
    #[arg(short, long, global = true, help_heading = GLOBAL, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Also say what is read, written and decided (on standard error)
    #[arg(short, long, global = true, help_heading = GLOBAL)]
    pub verbose: bool,
}

/// The command line as clap parses it: [`Cli`], with the global options described in full
/// only in the main help. Each command gets its own one-line copy of them (clap hands a
/// command's value to the global option of the same name), so `sopctl release --help` does not
/// repeat the list of colour choices.
pub fn command() -> clap::Command {
    let top = Cli::command();
    let brief: Vec<clap::Arg> = top
        .get_arguments()
        .filter(|a| a.is_global_set())
        .map(|a| {
            let brief = a.clone().global(false).long_help(None);
            if a.get_action().takes_values() {
                brief.hide_possible_values(true).hide_default_value(true)
            } else {
                brief
            }
        })
        .collect();
    top.mut_subcommands(|sub| with_brief(sub, &brief))
}

/// `cmd` and the commands below it (`sopctl people add`) with the one-line global options.
fn with_brief(cmd: clap::Command, brief: &[clap::Arg]) -> clap::Command {
    brief
        .iter()
        .cloned()
        .fold(cmd, clap::Command::arg)
        .mut_subcommands(|sub| with_brief(sub, brief))
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
    /// Serve the site on this computer with the drafts, rebuilt as you edit
    Preview(commands::preview::PreviewArgs),
    /// Record your approval of an SOP's current content
    Approve(commands::approve::ApproveArgs),
    /// Record a periodic review of an SOP that needs no change
    Review(commands::review::ReviewArgs),
    /// Withdraw an SOP: superseded by another, or obsolete
    Retire(commands::retire::RetireArgs),
    /// Record that you have read and understood an SOP's version to know
    Ack(commands::ack::AckArgs),
    /// The training matrix: who is trained on which SOP, who is pending or overdue
    Training(commands::training::TrainingArgs),
    /// Controlled copies: issue numbered PDFs to their holders, record returns, list and recall
    Copy(commands::copy::CopyArgs),
    /// The signers registry: add, remove and list the people who sign records
    People(commands::people::PeopleArgs),
    /// Check the record: signatures, release tags, approvals, revision histories; or a copy
    Verify(commands::verify::VerifyArgs),
    /// Print shell completions
    Completions(commands::completions::CompletionsArgs),
    /// Print the manual page (roff), or write one page per command into a folder
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
        describe(ui, &ws);
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
        describe(ui, &ws);
        report_recovery(ui, &ws);
        Ok((ws, lock))
    }
}

/// With `-v`: where the command works, which settings it read and what day it takes for today.
fn describe(ui: &mut Ui, ws: &crate::workspace::Workspace) {
    if !ui.is_verbose() {
        return;
    }
    match &ws.settings_path {
        Some(path) => ui.verbose(&format!(
            "read the settings in {}",
            ws.display_path(path).display()
        )),
        None => ui.verbose("no sopctl.toml found: the default settings apply"),
    }
    match &ws.repo {
        Some(repo) => ui.verbose(&format!("git repository: {}", repo.workdir().display())),
        None => ui.verbose("not in a git repository"),
    }
    if ws.is_sop_repository() {
        ui.verbose(&format!("SOPs are read from {}", ws.describe_folders()));
    }
    ui.verbose(&format!("today is {}", ws.today));
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

/// Runs sopctl with the process's arguments and returns its exit code. With `COMPLETE=SHELL`
/// in the environment it answers the shell's completion request instead ([`complete`]).
pub fn main() -> ExitCode {
    match complete::answer() {
        Ok(false) => {}
        Ok(true) => return ExitCode::from(error::EXIT_OK),
        Err(err) => {
            let _ = err.print();
            return ExitCode::from(error::EXIT_USAGE);
        }
    }
    let parsed = command()
        .try_get_matches()
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
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
    let mut ui = Ui::new(cli.global.color, cli.global.quiet, cli.global.verbose);
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
        Command::Preview(a) => c::preview::run(env, ui, a),
        Command::Approve(a) => c::approve::run(env, ui, a),
        Command::Review(a) => c::review::run(env, ui, a),
        Command::Retire(a) => c::retire::run(env, ui, a),
        Command::Ack(a) => c::ack::run(env, ui, a),
        Command::Training(a) => c::training::run(env, ui, a),
        Command::Copy(a) => c::copy::run(env, ui, a),
        Command::People(a) => c::people::run(env, ui, a),
        Command::Verify(a) => c::verify::run(env, ui, a),
        Command::Completions(a) => c::completions::run(env, ui, a),
        Command::Man(a) => c::man::run(env, ui, a),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_command_line_definition_is_consistent() {
        command().debug_assert();
    }

    #[test]
    fn every_command_has_examples_in_its_help() {
        let cmd = command();
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
