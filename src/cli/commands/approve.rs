//! `sopctl approve`: record an approval bound to the current content (SPEC §8).

use crate::cli::{CliError, Env, Ui};

/// Arguments of `sopctl approve`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl approve --role \"QA Manager\"\n  sopctl approve SOP-OPS-007 --role Reviewer --meaning reviewed -m \"Checked against the line layout\""
)]
pub struct ApproveArgs {
    /// The SOP, by ID or path (may be left out when there is only one)
    pub doc: Option<String>,
    /// The role you approve in, as listed in `approvers`
    #[arg(long)]
    pub role: String,
    /// What your signature means: authored, reviewed or approved
    #[arg(long, default_value = "approved")]
    pub meaning: String,
    /// A comment kept with the approval
    #[arg(short = 'm', long = "message", value_name = "COMMENT")]
    pub comment: Option<String>,
}

/// Not available yet.
///
/// # Errors
/// Always: the lifecycle stage is still to come.
pub fn run(_env: &Env, _ui: &mut Ui, _args: &ApproveArgs) -> Result<(), CliError> {
    Err(CliError::not_implemented("approve"))
}
