//! `sopctl publish`: the static download site from the releases (SPEC §7).

use std::path::PathBuf;

use crate::cli::{CliError, Env, Ui};

/// Arguments of `sopctl publish`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  sopctl publish\n  sopctl publish -o /srv/intranet/sops")]
pub struct PublishArgs {
    /// Output folder (default: `out` from sopctl.toml, i.e. dist/)
    #[arg(short = 'o', long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

/// Not available yet.
///
/// # Errors
/// Always: publishing is still to come.
pub fn run(_env: &Env, _ui: &mut Ui, _args: &PublishArgs) -> Result<(), CliError> {
    Err(CliError::not_implemented("publish"))
}
