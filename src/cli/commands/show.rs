//! `sopctl show`: an SOP's source at a released version (SPEC §4).

use crate::cli::{CliError, Env, Ui};
use crate::version::VersionSpec;

/// Arguments of `sopctl show`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl show 1.0\n  sopctl show SOP-OPS-007 latest\n  sopctl show SOP-OPS-007 v1.1.0 > old.md\n\nA version is written 1, 1.1, 1.1.0, v1.1.0, as its tag name, or latest; 1.1 means exactly 1.1.0."
)]
pub struct ShowArgs {
    /// The SOP and the version (1, 1.1, 1.1.0, v1.1.0, a tag name or `latest`); the SOP may be left out when there is only one
    #[arg(num_args = 1..=2, value_names = ["DOC", "VERSION"], required = true)]
    pub args: Vec<String>,
}

/// Prints the document's bytes as they were in that release, following the document by its
/// ID when it has been renamed or moved since.
///
/// # Errors
/// No such document or version; no repository; a shallow clone.
pub fn run(env: &Env, ui: &mut Ui, args: &ShowArgs) -> Result<(), CliError> {
    let (doc, version) = match args.args.as_slice() {
        [version] => (None, version.as_str()),
        [doc, version, ..] => (Some(doc.as_str()), version.as_str()),
        [] => return Err(CliError::usage("name a version, e.g.  sopctl show 1.0")),
    };
    let ws = env.workspace()?;
    let sop = ws.find(doc)?;
    let Some(id) = sop.id() else {
        return Err(CliError::new(format!(
            "{} has no valid `id`",
            ws.display_path(sop.path()).display()
        )));
    };
    let releases = ws.releases(id)?;
    let record = releases
        .resolve(id, &VersionSpec::parse(version), version)
        .map_err(crate::workspace::WorkspaceError::from)?;
    let repo = ws
        .repo
        .as_ref()
        .ok_or_else(|| CliError::new("not a git repository"))?;
    let relative = repo.relative(sop.path());
    let (_, bytes) = repo
        .document_at(&record.commit, id, relative.as_deref())
        .ok_or_else(|| {
            CliError::new(format!(
                "the release {} ({}) holds no file with the ID {id}",
                record.version, record.tag
            ))
        })?;
    ui.raw(&bytes)
}
