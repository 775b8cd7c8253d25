//! `sopctl review`: record a periodic review without a content change (SPEC §8).

use crate::cli::{CliError, Env, Ui};

/// Arguments of `sopctl review`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl review -m \"Still matches the settings page\"\n  sopctl review SOP-OPS-007 -m \"Annual review, no change\" --date 2026-03-01"
)]
pub struct ReviewArgs {
    /// The SOP, by ID or path (may be left out when there is only one)
    pub doc: Option<String>,
    /// What the review found
    #[arg(short = 'm', long = "message", value_name = "NOTE", required = true)]
    pub note: String,
    /// The review date, YYYY-MM-DD (default: today)
    #[arg(long)]
    pub date: Option<String>,
}

/// Not available yet.
///
/// # Errors
/// Always: the lifecycle stage is still to come.
pub fn run(_env: &Env, _ui: &mut Ui, _args: &ReviewArgs) -> Result<(), CliError> {
    Err(CliError::not_implemented("review"))
}
