//! `sopctl log`: the releases of an SOP. Arrives with the release stage.

use crate::cli::{CliError, Env, Ui};

/// Arguments of `sopctl log`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  sopctl log\n  sopctl log SOP-OPS-007 --json")]
pub struct LogArgs {
    /// The SOP, by ID or path (may be left out when there is only one)
    pub doc: Option<String>,
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

/// Not available yet.
///
/// # Errors
/// Always: the release stage is still to come.
pub fn run(_env: &Env, _ui: &mut Ui, _args: &LogArgs) -> Result<(), CliError> {
    Err(CliError::not_implemented("log"))
}
