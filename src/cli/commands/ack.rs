//! `sopctl ack`: record that you have read and understood the version of an SOP you must know
//! (issue 17 item 2).

use crate::cli::{CliError, Env, Ui};
use crate::training::{self, AckPlan, AckRefusal};

/// Arguments of `sopctl ack`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  sopctl ack SOP-OPS-007\n  sopctl ack SOP-OPS-007 -m \"Read with the line lead\"\n\nRecords that you (your git user.email, registered in people.toml) have read and understood\nthe newest release of the SOP: the version in force, or the one taking effect soon. The record\nis a commit on the branch sopctl/training, away from the SOPs' history; share it with\n  git push origin sopctl/training"
)]
pub struct AckArgs {
    /// The SOP, by ID or path (may be left out when there is only one)
    #[arg(add = crate::cli::complete::sop())]
    pub doc: Option<String>,
    /// The version you read (default: the newest release); another one is refused
    #[arg(long, value_name = "VERSION")]
    pub version: Option<String>,
    /// A note for the record
    #[arg(short = 'm', long = "message", value_name = "NOTE")]
    pub note: Option<String>,
    /// Signing and hooks.
    #[command(flatten)]
    pub record: super::RecordArgs,
    /// Print the record as JSON
    #[arg(long)]
    pub json: bool,
}

/// `ack --json` (keys in docs/json.md).
#[derive(serde::Serialize)]
struct AckJson<'a> {
    id: &'a str,
    #[serde(flatten)]
    version: crate::cli::json::Version,
    name: &'a str,
    email: &'a str,
    /// When, UTC.
    time: &'a str,
    content: &'a str,
    note: &'a str,
    /// Whether this run recorded it (false: it was recorded before).
    recorded: bool,
    /// The commit made on sopctl/training (the record, or a merge of fetched records); null
    /// when nothing was committed.
    commit: Option<String>,
}

/// Records the acknowledgement, or says it is recorded already.
///
/// # Errors
/// No repository or identity; a withdrawn or unreleased SOP; another version; a person not in
/// the registry; signing or a hook refused.
pub fn run(env: &Env, ui: &mut Ui, args: &AckArgs) -> Result<(), CliError> {
    let version = match &args.version {
        Some(v) => Some(
            crate::version::DocVersion::parse(v)
                .map_err(|e| CliError::usage(format!("--version: {e}")))?,
        ),
        None => None,
    };
    let (ws, _lock) = env.record_workspace(ui)?;
    let sop = super::find_doc(&ws, args.doc.as_deref())?;
    let id = super::require_id(&ws, &sop)?;
    let repo = ws.require_repo()?;
    let identity = repo.identity()?;
    let earlier = training::Acks::read_person(repo, &identity.email)?;
    let now = crate::lifecycle::signing_time();
    let time = now.strftime("%Y-%m-%dT%H:%M:%SZ").to_string();
    let plan = training::plan_ack(
        &ws,
        &sop,
        &id,
        version.as_ref(),
        &identity,
        args.note.as_deref().unwrap_or(""),
        (&time, ws.today),
        &earlier,
    )?
    .map_err(refusal)?;
    let options = record_options(&ws, repo, &identity, &args.record)?;
    let (ack, commit, recorded) = match plan {
        AckPlan::Already(earlier) => {
            // Records fetched from another copy are joined even so, so that a push goes through.
            let joined = training::join_fetched(repo, &identity, now.as_second(), options)
                .map_err(super::release::record_error)?;
            match &joined {
                Some(commit) => ui.status(&format!(
                    "{} already recorded reading {id} {} on {}; joined the training records fetched from elsewhere (commit {})",
                    earlier.name,
                    earlier.version,
                    earlier.date,
                    &commit[..commit.len().min(7)]
                )),
                None => ui.status(&format!(
                    "{} already recorded reading {id} {} on {}: nothing to do",
                    earlier.name, earlier.version, earlier.date
                )),
            }
            (earlier, joined, false)
        }
        AckPlan::Record {
            ack,
            message,
            in_audience,
        } => {
            let commit = training::record(repo, &ack, &message, now.as_second(), options)
                .map_err(super::release::record_error)?;
            if !in_audience {
                ui.warning(&format!(
                    "{} holds none of the roles {id} must be trained in ({}); the record is kept, but the training matrix does not ask it of them",
                    ack.name,
                    sop.metadata.audience.join(", ")
                ));
            }
            ui.status(&format!(
                "recorded that {} has read and understood {id} {} (commit {} on {})",
                ack.name,
                ack.version,
                &commit[..commit.len().min(7)],
                training::BRANCH
            ));
            if repo.has_remote() {
                ui.hint(&format!(
                    "share it with:  git push origin {}",
                    training::BRANCH
                ));
            }
            (ack, Some(commit), true)
        }
    };
    if args.json {
        crate::cli::json::print(
            ui,
            &AckJson {
                id: &ack.id,
                version: (&ack.version).into(),
                name: &ack.name,
                email: &ack.email,
                time: &ack.time,
                content: &ack.content,
                note: &ack.note,
                recorded,
                commit,
            },
        )?;
    }
    Ok(())
}

/// How the record is committed: as `--sign`, `--no-sign` and `--no-verify` say; with
/// signatures required, always signed, by a key the signers registry lists for the person.
///
/// # Errors
/// The registry cannot be read, or the person cannot sign as it requires.
fn record_options(
    ws: &crate::workspace::Workspace,
    repo: &crate::repo::Repo,
    identity: &crate::repo::Identity,
    args: &super::RecordArgs,
) -> Result<crate::repo::transaction::RecordOptions, CliError> {
    let mut options = args.options();
    let signers = crate::people::Signers::of(ws);
    if signers.required {
        options.sign = match options.sign {
            crate::repo::sign::SignWhen::Config => crate::repo::sign::SignWhen::Always,
            other => other,
        };
        if let Some(registry) = signers.trusted(ws)? {
            crate::people::signers::registered_signer(repo, &registry, options.sign, identity)?;
        }
    }
    Ok(options)
}

/// A refusal in the user's words, with what to do.
fn refusal(r: AckRefusal) -> CliError {
    let hint = match &r {
        AckRefusal::NotReleased { .. } => {
            "an SOP is trained on once it is released (sopctl release)".to_string()
        }
        AckRefusal::Withdrawn { .. } => {
            "train on the SOP that replaces it (sopctl list shows it)".to_string()
        }
        AckRefusal::NotCurrent { current, .. } => {
            format!("read and acknowledge {current}: leave out --version")
        }
        AckRefusal::NoRegistry | AckRefusal::NotRegistered { .. } => {
            "the SOP's owner registers you with  sopctl people add \"Your Name\" --email you@example.org --role ROLE  (your git user.email)".to_string()
        }
    };
    CliError::new(r.to_string()).hint(hint)
}
