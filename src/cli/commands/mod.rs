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

use crate::cli::CliError;
use crate::doc::Sop;
use crate::workspace::{Workspace, WorkspaceError};

/// The SOP a command names (SPEC §4), with the plain "not in a repository of SOPs" refusal when
/// the command runs outside one.
pub(crate) fn find_doc(ws: &Workspace, name: Option<&str>) -> Result<Sop, CliError> {
    match ws.find(name) {
        Ok(sop) => Ok(sop),
        Err(WorkspaceError::NoDocuments { .. } | WorkspaceError::UnknownDocument { .. })
            if !ws.is_sop_repository() =>
        {
            Err(new::not_a_repository())
        }
        Err(e) => Err(e.into()),
    }
}
