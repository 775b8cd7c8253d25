//! `sopctl man`: the manual page.

use clap::CommandFactory;

use crate::cli::{Cli, CliError, Env, Ui};

/// Arguments of `sopctl man`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl man | man -l -\n  sopctl man > /usr/local/share/man/man1/sopctl.1"
)]
pub struct ManArgs {}

/// Prints the manual page in roff.
///
/// # Errors
/// Only when stdout cannot be written.
pub fn run(_env: &Env, ui: &mut Ui, _args: &ManArgs) -> Result<(), CliError> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| CliError::new("cannot write the manual page").cause(e.to_string()))?;
    ui.raw(&out)
}
