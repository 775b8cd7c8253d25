//! `sopctl render`: PDF and HTML renditions (SPEC §7). Arrives with the rendering stages.

use std::path::PathBuf;

use crate::cli::{CliError, Env, Ui};

/// Rendition formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RenderFormat {
    /// PDF for printing and filing
    Pdf,
    /// One self-contained HTML file
    Html,
}

/// Arguments of `sopctl render`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl render                          every format of the only SOP\n  sopctl render SOP-OPS-007 --version 1.0 --format pdf\n  sopctl render notes.md -o out/         a lone Markdown file"
)]
pub struct RenderArgs {
    /// SOPs by ID or path, or Markdown files (default: the only SOP)
    pub docs: Vec<String>,
    /// Render a released version instead of the working copy
    #[arg(long, value_name = "VERSION")]
    pub version: Option<String>,
    /// Formats to write
    #[arg(long, value_enum, value_delimiter = ',', default_values_t = [RenderFormat::Pdf, RenderFormat::Html])]
    pub format: Vec<RenderFormat>,
    /// Output folder (default: `out` from sopctl.toml, i.e. dist/)
    #[arg(short = 'o', long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

/// Not available yet.
///
/// # Errors
/// Always: the rendering stages are still to come.
pub fn run(_env: &Env, _ui: &mut Ui, _args: &RenderArgs) -> Result<(), CliError> {
    Err(CliError::not_implemented("render"))
}
