//! `sopctl show`: an SOP's source at a released version. Arrives with the release stage.

use crate::cli::{CliError, Env, Ui};

/// Arguments of `sopctl show`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl show 1.0\n  sopctl show SOP-OPS-007 latest\n  sopctl show SOP-OPS-007 v1.1.0 > old.md"
)]
pub struct ShowArgs {
    /// The SOP and the version (1, 1.1, 1.1.0, v1.1.0, a tag name or `latest`); the SOP may be left out when there is only one
    #[arg(num_args = 1..=2, value_names = ["DOC", "VERSION"], required = true)]
    pub args: Vec<String>,
}

/// Not available yet.
///
/// # Errors
/// Always: the release stage is still to come.
pub fn run(_env: &Env, _ui: &mut Ui, _args: &ShowArgs) -> Result<(), CliError> {
    Err(CliError::not_implemented("show"))
}
