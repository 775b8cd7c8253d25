//! A change to the registry as a record: `sopctl people add` and `remove` edit `people.toml` in
//! place ([`super::edit`]) and commit it through the record transaction, with trailers that say
//! what changed:
//!
//! ```text
//! people: add Dana Quality <dana@example.org>
//!
//! People-Change: add dana@example.org
//! People-Name: Dana Quality
//! People-Role: QA Manager
//! People-Key: SHA256:RtgS5MHawoaRvSY7B5utzVQraqHLDNWDV3as7p/F3pc
//! ```
//!
//! Every refusal comes before anything is written, so a refused change leaves the repository
//! as it was.

use std::path::PathBuf;

use super::signers::{self, SignerRefusal};
use super::{Person, Registry, RegistryError, edit};
use crate::repo::transaction::{FaultPoint, Recorder};
use crate::repo::{Identity, RepoError};
use crate::workspace::{Workspace, WorkspaceError};

/// Why a change to the registry is refused or failed.
#[derive(Debug, thiserror::Error)]
pub enum PeopleError {
    /// The registry file cannot be read or has problems.
    #[error(transparent)]
    Registry(#[from] RegistryError),
    /// The file cannot be edited in place.
    #[error(transparent)]
    Edit(#[from] edit::EditError),
    /// No repository, or git refused.
    #[error(transparent)]
    Workspace(#[from] WorkspaceError),
    /// The commit could not be made.
    #[error(transparent)]
    Repo(#[from] RepoError),
    /// Signatures are required and this change may not be made by this signer.
    #[error(transparent)]
    Signer(#[from] SignerRefusal),
    /// The registry file has changes that are not committed.
    #[error("{} has changes that are not committed; sopctl people records each change as a commit of its own", path.display())]
    Uncommitted {
        /// The file, as shown.
        path: PathBuf,
    },
    /// No person has this e-mail address.
    #[error("no one in {} has the e-mail address {email}{}", path.display(), suggestion.as_ref().map(|s| format!("; did you mean {s}?")).unwrap_or_default())]
    UnknownEmail {
        /// The file, as shown.
        path: PathBuf,
        /// The address given.
        email: String,
        /// The nearest address in the file.
        suggestion: Option<String>,
    },
    /// The e-mail address is registered already.
    #[error("{email} is in {} already, as {name}", path.display())]
    DuplicateEmail {
        /// The file, as shown.
        path: PathBuf,
        /// The address given.
        email: String,
        /// The name it is registered with.
        name: String,
    },
    /// A key given is registered to someone already.
    #[error(
        "the key {fingerprint} is registered to {holder} already; a signing key belongs to one person"
    )]
    KeyTaken {
        /// The key's fingerprint.
        fingerprint: String,
        /// Its holder, `Name <email>`.
        holder: String,
    },
}

/// What a change recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The person added or removed.
    pub person: Person,
    /// The commit (full id).
    pub commit: String,
    /// The registry file, as shown.
    pub path: PathBuf,
}

/// The registry in the work tree, refusing one with uncommitted changes, and the registry as
/// committed; with the file's path relative to the work tree and its text.
struct Current {
    relative: PathBuf,
    shown: PathBuf,
    text: String,
    registry: Registry,
    committed: Option<Registry>,
    /// Signatures by registered people are required ([`super::Signers`]).
    required: bool,
}

fn current(ws: &Workspace) -> Result<Current, PeopleError> {
    let repo = ws.require_repo()?;
    let file = super::path(ws);
    let shown = ws.display_path(&file);
    let relative = super::relative(ws).ok_or_else(|| WorkspaceError::NotARepository {
        path: ws.root.clone(),
    })?;
    let in_head = repo
        .head_commit()
        .and_then(|head| repo.file_at_commit(&head, &relative))
        .is_some();
    if (file.exists() || in_head) && repo.file_changed_since_head(&relative) {
        return Err(PeopleError::Uncommitted { path: shown });
    }
    let text = if file.exists() {
        String::from_utf8_lossy(&crate::fsx::read(&file).map_err(RegistryError::Io)?).into_owned()
    } else {
        String::new()
    };
    let registry = super::from_text(&text, &shown)?;
    // The registry as a registered person last changed it: an unsigned edit counts for nothing.
    let signers = super::Signers::of(ws);
    let committed = signers.trusted(ws)?;
    Ok(Current {
        relative,
        shown,
        text,
        registry,
        committed,
        required: signers.required,
    })
}

/// Adds `person` to the registry and commits it as `identity`.
///
/// # Errors
/// [`PeopleError`]: uncommitted or broken registry, a registered e-mail address or key, a
/// signer the settings refuse, git failures.
pub fn add(
    ws: &Workspace,
    recorder: &Recorder<'_>,
    identity: &Identity,
    person: Person,
) -> Result<Recorded, PeopleError> {
    let now = current(ws)?;
    if let Some(other) = now.registry.person(&person.email) {
        return Err(PeopleError::DuplicateEmail {
            path: now.shown,
            email: person.email,
            name: other.name.clone(),
        });
    }
    for key in &person.keys {
        if let Some(holder) = now.registry.holder_of(&key.fingerprint) {
            return Err(PeopleError::KeyTaken {
                fingerprint: key.fingerprint.clone(),
                holder: holder.label(),
            });
        }
    }
    let text = edit::add(&now.text, &person)?;
    let mut message = format!(
        "people: add {}\n\nPeople-Change: add {}\nPeople-Name: {}\n",
        person.label(),
        person.email,
        person.name
    );
    for role in &person.roles {
        message.push_str(&format!("People-Role: {role}\n"));
    }
    for key in &person.keys {
        message.push_str(&format!("People-Key: {}\n", key.fingerprint));
    }
    let what = format!("the addition of {} to the registry", person.email);
    let change = Change {
        text,
        message,
        what,
        person,
        adds: true,
    };
    commit(ws, recorder, identity, now, change)
}

/// Removes the person with e-mail address `email` from the registry and commits it as
/// `identity`.
///
/// # Errors
/// As [`add`]; [`PeopleError::UnknownEmail`].
pub fn remove(
    ws: &Workspace,
    recorder: &Recorder<'_>,
    identity: &Identity,
    email: &str,
) -> Result<Recorded, PeopleError> {
    let now = current(ws)?;
    let Some(person) = now.registry.person(email).cloned() else {
        // A typing slip of one or two letters, not another person's address.
        let suggestion = now
            .registry
            .people
            .iter()
            .map(|p| (strsim::damerau_levenshtein(&p.email, email), &p.email))
            .filter(|(d, _)| *d <= 2)
            .min()
            .map(|(_, e)| e.clone());
        return Err(PeopleError::UnknownEmail {
            path: now.shown,
            email: email.to_string(),
            suggestion,
        });
    };
    let text = edit::remove(&now.text, &person.email)?;
    let message = format!(
        "people: remove {}\n\nPeople-Change: remove {}\nPeople-Name: {}\n",
        person.label(),
        person.email,
        person.name
    );
    let what = format!("the removal of {} from the registry", person.email);
    let change = Change {
        adds: false,
        person,
        what,
        message,
        text,
    };
    commit(ws, recorder, identity, now, change)
}

/// A change worked out: the file's new text, the commit message, the record in words, and
/// the person it adds (`adds`) or removes.
struct Change {
    text: String,
    message: String,
    what: String,
    person: Person,
    adds: bool,
}

fn commit(
    ws: &Workspace,
    recorder: &Recorder<'_>,
    identity: &Identity,
    now: Current,
    change: Change,
) -> Result<Recorded, PeopleError> {
    let repo = ws.require_repo()?;
    // The registry as changed keeps every rule of the file (a role with a `|`, …).
    super::from_text(&change.text, &now.shown)?;
    if now.required {
        let added = change.adds.then_some(&change.person);
        let sign = recorder.options.sign;
        signers::may_change_registry(repo, now.committed.as_ref(), added, sign, identity)?;
    }
    let time = Some(crate::lifecycle::signing_time().as_second());
    let mut write = recorder.write(change.what, &change.message, identity, time);
    write.files.push((now.relative, change.text.into_bytes()));
    let written = repo.write_record(recorder.lock, &write, FaultPoint::from_env())?;
    Ok(Recorded {
        person: change.person,
        commit: written.commit,
        path: now.shown,
    })
}
