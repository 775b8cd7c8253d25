//! `sopctl completions`: shell completion scripts.

use clap::CommandFactory;

use crate::cli::{Cli, CliError, Env, Ui};

/// Arguments of `sopctl completions`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl completions bash > ~/.local/share/bash-completion/completions/sopctl\n  sopctl completions zsh > ~/.zfunc/_sopctl\n  sopctl completions fish > ~/.config/fish/completions/sopctl.fish"
)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Prints the completion script.
///
/// # Errors
/// Only when stdout cannot be written.
pub fn run(_env: &Env, ui: &mut Ui, args: &CompletionsArgs) -> Result<(), CliError> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "sopctl", &mut out);
    ui.raw(&out)
}
