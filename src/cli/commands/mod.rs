//! One file per command, each with its arguments (`XxxArgs`) and
//! `pub fn run(env: &Env, ui: &mut Ui, args: &XxxArgs) -> Result<(), CliError>`.

pub mod approve;
pub mod check;
pub mod completions;
pub mod diff;
pub mod init;
pub mod list;
pub mod log;
pub mod man;
pub mod new;
pub mod publish;
pub mod release;
pub mod render;
pub mod retire;
pub mod review;
pub mod show;
