//! One file per command, each with its arguments (`XxxArgs`) and
//! `pub fn run(env: &Env, ui: &mut Ui, args: &XxxArgs) -> Result<(), CliError>`.

pub mod ack;
pub mod approve;
pub mod check;
pub mod completions;
pub mod copy;
pub mod diff;
pub mod init;
pub mod list;
pub mod log;
pub mod man;
pub mod new;
pub mod people;
pub mod preview;
pub mod publish;
pub mod release;
pub mod render;
pub mod retire;
pub mod review;
pub mod show;
pub mod training;
pub mod verify;

use crate::cli::CliError;
use crate::doc::Sop;
use crate::paths::OutputDirError;
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

/// The folder renditions go to: `-o DIR` (relative to the working directory, anywhere that
/// passes [`crate::paths::check_output_dir`]) or the `out` setting (relative to the repository,
/// and inside it: [`crate::paths::output_setting`]). `command` names the command for the hint.
pub(crate) fn output_folder(
    ws: &Workspace,
    cwd: &std::path::Path,
    option: Option<&std::path::Path>,
    command: &str,
) -> Result<std::path::PathBuf, CliError> {
    if let Some(o) = option {
        let out = cwd.join(o);
        crate::paths::check_output_dir(ws, &out).map_err(|e| {
            CliError::new(e.to_string())
                .hint("choose a folder of its own for the renditions, e.g.  -o dist")
        })?;
        return Ok(out);
    }
    crate::paths::output_setting(ws).map_err(|e| {
        let fix = crate::paths::out_setting_fix(&e);
        let hint = match &e {
            OutputDirError::OutsideRepository(outside) => format!(
                "{fix}; to write elsewhere, give the folder on the command line:  sopctl {command} -o {}",
                crate::shell::quote_path(&outside.target)
            ),
            _ => fix,
        };
        CliError::new(e.to_string()).hint(hint)
    })
}

/// Refuses, before anything is written, when a template in the repository's `templates/`
/// leads outside the repository ([`crate::templates::verify`]).
pub(crate) fn templates_inside(ws: &Workspace) -> Result<(), CliError> {
    crate::templates::verify(&ws.root).map_err(CliError::from)
}

/// How a record command signs and runs hooks: the flags of `git commit`.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct RecordArgs {
    /// Sign the commit (and tag) even when git's settings do not ask for it
    #[arg(long, conflicts_with = "no_sign")]
    pub sign: bool,
    /// Do not sign, even when git's settings (commit.gpgSign, tag.gpgSign) ask for it
    #[arg(long)]
    pub no_sign: bool,
    /// Skip the repository's pre-commit and commit-msg hooks, as `git commit --no-verify`
    #[arg(long)]
    pub no_verify: bool,
}

impl RecordArgs {
    /// The options these flags give.
    pub fn options(&self) -> crate::repo::transaction::RecordOptions {
        use crate::repo::sign::SignWhen;
        crate::repo::transaction::RecordOptions {
            sign: if self.sign {
                SignWhen::Always
            } else if self.no_sign {
                SignWhen::Never
            } else {
                SignWhen::Config
            },
            hooks: !self.no_verify,
        }
    }

    /// The recorder for a command holding `lock` (see [`held`]).
    pub(crate) fn recorder<'l>(
        &self,
        lock: Option<&'l crate::repo::lock::RecordLock>,
    ) -> Result<crate::repo::transaction::Recorder<'l>, CliError> {
        Ok(crate::repo::transaction::Recorder {
            lock: held(lock)?,
            options: self.options(),
        })
    }
}

/// The record lock a record command took with [`crate::cli::Env::record_workspace`], or the
/// refusal for a folder that is not a git repository.
pub(crate) fn held(
    lock: Option<&crate::repo::lock::RecordLock>,
) -> Result<&crate::repo::lock::RecordLock, CliError> {
    lock.ok_or_else(|| {
        CliError::new("records are kept in git, and this is not a git repository")
            .hint("run  git init  here, or work in the repository that holds the SOPs")
    })
}

/// The valid ID of `sop`, or the one error every command gives for an SOP without one.
pub(crate) fn require_id(ws: &Workspace, sop: &Sop) -> Result<crate::doc::DocId, CliError> {
    sop.id().cloned().ok_or_else(|| {
        CliError::new(format!(
            "{} has no valid `id`",
            ws.display_path(sop.path()).display()
        ))
        .hint("give it a line such as  id: SOP-001  in its front matter;  sopctl check  says what is wrong with the one it has")
    })
}

/// The git repository and `sop`'s path in it, for the commands that record their work in git
/// (`what`: "approvals are", "reviews are", "retirement is").
pub(crate) fn recording_repo<'w>(
    ws: &'w Workspace,
    sop: &Sop,
    what: &str,
) -> Result<(&'w crate::repo::Repo, std::path::PathBuf), CliError> {
    let repo = ws.repo.as_ref().ok_or_else(|| {
        CliError::new(format!(
            "{what} recorded in git, and this is not a git repository"
        ))
        .hint("start one with  sopctl init  (or  git init)")
    })?;
    if let Some(operation) = repo.unfinished_operation() {
        let err = CliError::new(format!(
            "{operation} is in progress in this repository; {what} recorded as a commit, which must wait"
        ));
        // The same way out as release's refusal.
        return Err(
            match crate::cli::error::refusal_hint(&crate::release::Refusal::Unfinished(operation)) {
                Some(hint) => err.hint(hint),
                None => err,
            },
        );
    }
    if repo.head_detached() {
        return Err(CliError::new(format!(
            "you are not on a branch (detached HEAD), and {what} recorded as a commit on a branch"
        ))
        .hint("switch to your branch first, e.g.  git switch main"));
    }
    let relative = repo.relative(sop.path()).ok_or_else(|| {
        CliError::new(format!(
            "{} is outside the git repository",
            ws.display_path(sop.path()).display()
        ))
        .hint("move the document into the repository and commit it")
    })?;
    if let Some(submodule) = repo.nested_repository_of(&relative) {
        return Err(CliError::from(crate::repo::RepoError::InSubmodule {
            file: relative,
            submodule,
        }));
    }
    Ok((repo, relative))
}

/// The released copy of `sop` named by `version` (`1.0`, `v1.0.0`, a tag name, `latest` or
/// `current`):
/// its release record, and the path and bytes of the document in that release (followed by ID
/// across renames). Shared by `show`, `diff` and `render --version`.
pub(crate) fn released_copy(
    ws: &Workspace,
    sop: &Sop,
    version: &str,
) -> Result<(crate::repo::ReleaseRecord, std::path::PathBuf, Vec<u8>), CliError> {
    let id = &require_id(ws, sop)?;
    let releases = ws.releases(id)?;
    let record = releases
        .resolve(
            id,
            &crate::version::VersionSpec::parse(version),
            version,
            ws.today,
        )
        .map_err(WorkspaceError::from)?
        .clone();
    let repo = ws.require_repo()?;
    let relative = repo.relative(sop.path());
    let (path, bytes) = repo
        .document_at(&record.commit, id, relative.as_deref())
        .ok_or_else(|| {
            CliError::new(format!(
                "the release {} ({}) holds no file with the ID {id}",
                record.version, record.tag
            ))
            .hint(crate::cli::error::hand_made_tag_hint(&record.tag))
        })?;
    Ok((record, path, bytes))
}
