//! `sopctl retire`: mark an SOP superseded or obsolete (SPEC §8).

use crate::cli::{CliError, Env, Ui};

/// Arguments of `sopctl retire`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl retire SOP-OPS-007 --superseded-by SOP-OPS-019 -m \"Merged into the line-clearance SOP\"\n  sopctl retire SOP-OPS-003 -m \"Machine decommissioned\""
)]
pub struct RetireArgs {
    /// The SOP, by ID or path (may be left out when there is only one)
    pub doc: Option<String>,
    /// The ID of the SOP that replaces this one
    #[arg(long, value_name = "ID")]
    pub superseded_by: Option<String>,
    /// Why the SOP is withdrawn
    #[arg(short = 'm', long = "message", value_name = "REASON", required = true)]
    pub reason: String,
}

/// Not available yet.
///
/// # Errors
/// Always: the lifecycle stage is still to come.
pub fn run(_env: &Env, _ui: &mut Ui, _args: &RetireArgs) -> Result<(), CliError> {
    Err(CliError::not_implemented("retire"))
}
