//! `sopctl completions`: the shell's completion script.

use crate::cli::{CliError, Env, Ui};

/// Arguments of `sopctl completions`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  echo 'source <(sopctl completions bash)' >> ~/.bashrc\n  echo 'source <(sopctl completions zsh)' >> ~/.zshrc\n  sopctl completions fish > ~/.config/fish/completions/sopctl.fish\n\nThe script asks sopctl for the candidates each time Tab is pressed, so it offers the SOP IDs\nand released versions of the repository you are in. COMPLETE=bash sopctl prints the same."
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
    crate::cli::complete::registration(args.shell, &mut out)?;
    ui.raw(&out)
}
