//! `sopctl diff`: a reviewer's redline between versions (SPEC §6). Arrives with the diff stage.

use std::path::PathBuf;

use crate::cli::{CliError, Env, Ui};

/// Output formats of `sopctl diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DiffFormat {
    /// Changed sections with deleted and inserted words marked
    Text,
    /// A unified diff of the Markdown that `git apply` accepts
    Unified,
    /// A standalone redline page
    Html,
    /// The changes as data
    Json,
}

/// Arguments of `sopctl diff`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl diff 1.0 1.1\n  sopctl diff SOP-OPS-007 1.0            compare 1.0 with the working copy\n  sopctl diff 1.0 1.1 --format html -o redline.html"
)]
pub struct DiffArgs {
    /// [DOC] FROM [TO]: the SOP (may be left out when there is only one), the older version, and the newer one (default: the working copy)
    #[arg(num_args = 1..=3, value_names = ["DOC", "FROM", "TO"], required = true)]
    pub args: Vec<String>,
    /// Output format
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub format: DiffFormat,
    /// Write to this file instead of the terminal
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Exit with 1 when the versions differ
    #[arg(long)]
    pub exit_code: bool,
}

/// Not available yet.
///
/// # Errors
/// Always: the diff stage is still to come.
pub fn run(_env: &Env, _ui: &mut Ui, _args: &DiffArgs) -> Result<(), CliError> {
    Err(CliError::not_implemented("diff"))
}
