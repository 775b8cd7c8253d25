//! `sopctl show`: an SOP's source at a released version, or its working copy (SPEC §3, §4).

use crate::cli::{CliError, Env, Ui};

/// Arguments of `sopctl show`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl show 1.0                      the only SOP, as released in 1.0\n  sopctl show SOP-OPS-007 latest        the newest release\n  sopctl show SOP-OPS-007 v1.1.0 > old.md\n  sopctl show SOP-OPS-007               the working copy\n\nA version is written 1, 1.1, 1.1.0, v1.1.0, as its tag name, or latest; 1.1 means exactly 1.1.0.\nLeaving the version out means the working copy."
)]
pub struct ShowArgs {
    /// The document and the version (both optional), as typed.
    #[arg(
        num_args = 0..=2,
        value_names = ["DOC", "VERSION"],
        add = crate::cli::complete::sop_or_version(),
        help = "[DOC] [VERSION]: the SOP (may be left out when there is only one) and the version (1, 1.1, 1.1.0, v1.1.0, a tag name or `latest`; default: the working copy)"
    )]
    pub args: Vec<String>,
}

/// Prints the document's bytes as they were in that release, following the document by its
/// ID when it has been renamed or moved since; without a version, the working copy.
///
/// # Errors
/// No such document or version; no repository; a shallow clone.
pub fn run(env: &Env, ui: &mut Ui, args: &ShowArgs) -> Result<(), CliError> {
    let ws = env.workspace(ui)?;
    let (doc, version) = match args.args.as_slice() {
        [] => (None, None),
        [one] => {
            // One word: an SOP (by ID or path) shown as it is now, or a version of the only SOP.
            let names_a_doc = ws.cwd.join(one).is_file()
                || ws.documents().iter().any(|e| {
                    e.sop
                        .as_ref()
                        .ok()
                        .and_then(|s| s.id())
                        .is_some_and(|id| id.as_str() == one)
                });
            if names_a_doc {
                (Some(one.as_str()), None)
            } else {
                (None, Some(one.as_str()))
            }
        }
        [doc, version, ..] => (Some(doc.as_str()), Some(version.as_str())),
    };
    let sop = super::find_doc(&ws, doc)?;
    let Some(version) = version else {
        return ui.raw(&sop.source.to_bytes());
    };
    let (_, _, bytes) = super::released_copy(&ws, &sop, version)?;
    ui.raw(&bytes)
}
