//! `sopctl release`: a new version (SPEC §5). Arrives with the release stage.

use crate::cli::{CliError, Env, Ui};

/// Arguments of `sopctl release`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl release -m \"First release under sopctl\"        release the version in the front matter\n  sopctl release --minor -m \"Add FAQ for enterprise plans\"\n  sopctl release SOP-OPS-007 --major -m \"New cleaning agent\" --dry-run"
)]
#[command(group(clap::ArgGroup::new("bump").args(["major", "minor", "patch", "set_version"])))]
pub struct ReleaseArgs {
    /// The SOP, by ID or path (may be left out when only one has changes)
    pub doc: Option<String>,
    /// A changed procedure that needs retraining: 1.4 → 2.0
    #[arg(long)]
    pub major: bool,
    /// A clarification or addition: 1.4 → 1.5
    #[arg(long)]
    pub minor: bool,
    /// An editorial fix: 1.4 → 1.4.1
    #[arg(long)]
    pub patch: bool,
    /// Release exactly this version
    #[arg(long, value_name = "VERSION")]
    pub set_version: Option<String>,
    /// Why this version exists: one line for the revision history
    #[arg(short = 'm', long = "message", value_name = "SUMMARY")]
    pub summary: Option<String>,
    /// The author recorded in the revision history (default: your git name)
    #[arg(long)]
    pub author: Option<String>,
    /// The effective date, YYYY-MM-DD (default: today)
    #[arg(long)]
    pub date: Option<String>,
    /// Show what would be done, change nothing
    #[arg(long)]
    pub dry_run: bool,
    /// Do not write the PDF and HTML renditions
    #[arg(long)]
    pub no_render: bool,
}

/// Not available yet.
///
/// # Errors
/// Always: the release stage is still to come.
pub fn run(_env: &Env, _ui: &mut Ui, _args: &ReleaseArgs) -> Result<(), CliError> {
    Err(CliError::not_implemented("release"))
}
