//! Who may sign: `signatures = "required"` (in `sopctl.toml`) applied to a record about to be
//! made, before anything is written.
//!
//! The record must be signed (git's settings or `--sign`) with an SSH key (`gpg.format = ssh`):
//! the public half of `user.signingKey` ([`super::keys::signing_key`]) is compared by
//! fingerprint with the keys of the registry as committed, never as edited in the work tree. The
//! person holding the key must be the git identity making the record (same e-mail address), and
//! for an approval must hold the role. A change to the registry must be signed by a registered
//! person, except while no one in it has a key: then the first person adds themselves and signs
//! with the key they add (docs/file-format.md, "How the first registry is trusted").
//!
//! The signature itself is made by the record transaction and checked later by `sopctl verify`.

use super::keys::{self, Key, SigningKeyError};
use super::{Person, Registry};
use crate::repo::sign::{Format, SignWhen, Signed};
use crate::repo::{Identity, Repo, RepoError};

/// Why a record may not be made while signatures are required.
#[derive(Debug, thiserror::Error)]
pub enum SignerRefusal {
    /// The committed registry lists no one with a key.
    #[error(
        "this repository requires records signed by registered people (signatures = \"required\" in sopctl.toml), but people.toml lists no one with a key"
    )]
    NoRegistry,
    /// The record would not be signed.
    #[error(
        "this repository requires signed records (signatures = \"required\" in sopctl.toml), and git is not set to sign this one"
    )]
    NotSigned,
    /// git signs with OpenPGP or X.509; the registry holds SSH keys.
    #[error(
        "this repository requires records signed with a registered SSH key (signatures = \"required\" in sopctl.toml), and git signs with {format} here"
    )]
    NotSsh {
        /// `openpgp` or `x509`.
        format: &'static str,
    },
    /// git's signing settings are wrong (as the record transaction would say).
    #[error(transparent)]
    Signing(#[from] RepoError),
    /// `user.signingKey` names no readable key.
    #[error(transparent)]
    KeyUnreadable(#[from] SigningKeyError),
    /// The signing key is not in the registry.
    #[error(
        "your signing key {fingerprint} is not in the signers registry (people.toml), so it cannot sign records of this repository"
    )]
    UnknownKey {
        /// The key's fingerprint.
        fingerprint: String,
    },
    /// The signing key belongs to someone other than the git identity.
    #[error(
        "your signing key {fingerprint} belongs to {holder} in people.toml, but git's identity is {email}; a record is signed by the person who makes it"
    )]
    OtherPerson {
        /// The key's fingerprint.
        fingerprint: String,
        /// Whom the registry lists for the key.
        holder: String,
        /// The git identity's e-mail address.
        email: String,
    },
    /// git's name for the person differs from the registry's: records print the name, so it must
    /// be the registered one (21 CFR 11.50: the printed name of the signer).
    #[error(
        "git's name for you is \"{git}\", but people.toml registers your key for \"{registered}\"; signed records print the registered name"
    )]
    OtherName {
        /// `user.name`.
        git: String,
        /// The registry's name.
        registered: String,
    },
    /// The signer does not hold the role approved in.
    #[error("{name} may not sign as {role}: {}", if roles.is_empty() { "people.toml gives them no role".to_string() } else { format!("their roles in people.toml are {}", roles.join(", ")) })]
    RoleNotHeld {
        /// The signer.
        name: String,
        /// The role asked for.
        role: String,
        /// The roles they hold.
        roles: Vec<String>,
    },
    /// The first registry: its first person must add themselves and sign with the key added.
    #[error(
        "people.toml lists no one with a key yet, so its first person adds themselves and signs with the key they add; this change adds {email} and would be signed by {identity} with the key {fingerprint}"
    )]
    FirstNotSelf {
        /// The signing key's fingerprint.
        fingerprint: String,
        /// The person being added.
        email: String,
        /// The git identity's e-mail address.
        identity: String,
    },
}

/// How to set up signing with an SSH key, for the fixes of `signatures = "required"`.
const SSH_SIGNING_SETUP: &str =
    "git config gpg.format ssh  and  git config user.signingKey ~/.ssh/id_ed25519.pub";

impl SignerRefusal {
    /// What to do about it, in a document owner's words (the command line's hint); `None` for
    /// a signing setting, whose error says it.
    pub fn fix(&self) -> Option<String> {
        Some(match self {
                SignerRefusal::Signing(_) => return None,
                SignerRefusal::NoRegistry => "the first person adds themselves, signing with the key they add:  sopctl people add \"Your Name\" --email you@example.org --role ROLE --key ~/.ssh/id_ed25519.pub --sign".to_string(),
                SignerRefusal::NotSigned => format!("set up signing once:  {SSH_SIGNING_SETUP}  and  git config commit.gpgSign true  (or add --sign to this command)"),
                SignerRefusal::NotSsh { .. } => format!("sign with an SSH key that the registry lists:  {SSH_SIGNING_SETUP}"),
                SignerRefusal::KeyUnreadable(_) => format!("name your key file:  {SSH_SIGNING_SETUP}"),
                SignerRefusal::UnknownKey { .. } => "ask a registered person to add your public key with  sopctl people add  (sopctl people list shows the keys registered)".to_string(),
                SignerRefusal::OtherName { registered, .. } => format!("set your name as registered:  git config user.name \"{registered}\""),
                SignerRefusal::OtherPerson { .. } => "sign with your own key (git config user.signingKey) under your own identity (git config user.email)".to_string(),
                SignerRefusal::RoleNotHeld { .. } => "approve in a role you hold, or ask a registered person to register the role for you (sopctl people remove, then sopctl people add with --role)".to_string(),
                SignerRefusal::FirstNotSelf { .. } => "add yourself first, under your own git identity and with the key you sign with:  sopctl people add \"Your Name\" --email you@example.org --role ROLE --key ~/.ssh/id_ed25519.pub --sign".to_string(),
            })
    }
}

/// The registered person who will sign a commit by `identity` with git's settings (and
/// `--sign`/`--no-sign` as `sign`), with the key they sign with.
///
/// # Errors
/// Every [`SignerRefusal`] but the role's and the first registry's.
pub fn registered_signer<'r>(
    repo: &Repo,
    registry: &'r Registry,
    sign: SignWhen,
    identity: &Identity,
) -> Result<(&'r Person, Key), SignerRefusal> {
    let signer = repo
        .signer(Signed::Commit, sign, identity)?
        .ok_or(SignerRefusal::NotSigned)?;
    match signer.format {
        Format::Ssh => {}
        Format::OpenPgp => return Err(SignerRefusal::NotSsh { format: "openpgp" }),
        Format::X509 => return Err(SignerRefusal::NotSsh { format: "x509" }),
    }
    let key = keys::signing_key(&signer.key)?;
    let holder = registry
        .holder_of(&key.fingerprint)
        .ok_or_else(|| SignerRefusal::UnknownKey {
            fingerprint: key.fingerprint.clone(),
        })?;
    if !holder.has_email(&identity.email) {
        return Err(SignerRefusal::OtherPerson {
            fingerprint: key.fingerprint,
            holder: holder.label(),
            email: identity.email.clone(),
        });
    }
    let same = |a: &str, b: &str| {
        let words = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
        words(a).eq_ignore_ascii_case(&words(b))
    };
    if !same(&holder.name, &identity.name) {
        return Err(SignerRefusal::OtherName {
            git: identity.name.clone(),
            registered: holder.name.clone(),
        });
    }
    Ok((holder, key))
}

/// Whether anyone in `registry` can sign (has a key).
pub fn has_signers(registry: Option<&Registry>) -> bool {
    registry.is_some_and(|r| r.people.iter().any(|p| !p.keys.is_empty()))
}

/// May `identity` approve in `role`, signing as git is set to? `committed` is the registry as
/// committed.
///
/// # Errors
/// [`SignerRefusal::NoRegistry`], [`SignerRefusal::RoleNotHeld`], and those of
/// [`registered_signer`].
pub fn may_approve(
    repo: &Repo,
    committed: Option<&Registry>,
    sign: SignWhen,
    identity: &Identity,
    role: &str,
) -> Result<(), SignerRefusal> {
    let Some(registry) = committed.filter(|r| has_signers(Some(r))) else {
        return Err(SignerRefusal::NoRegistry);
    };
    let (person, _) = registered_signer(repo, registry, sign, identity)?;
    if person.holds(role) {
        Ok(())
    } else {
        Err(SignerRefusal::RoleNotHeld {
            name: person.name.clone(),
            role: role.to_string(),
            roles: person.roles.clone(),
        })
    }
}

/// May `identity` change the registry, signing as git is set to? `committed` is the registry as
/// committed; `added` the person an `add` brings in (for the first registry).
///
/// # Errors
/// [`SignerRefusal::FirstNotSelf`] for a first registry not signed by its first person, and
/// those of [`registered_signer`].
pub fn may_change_registry(
    repo: &Repo,
    committed: Option<&Registry>,
    added: Option<&Person>,
    sign: SignWhen,
    identity: &Identity,
) -> Result<(), SignerRefusal> {
    if let Some(registry) = committed.filter(|r| has_signers(Some(r))) {
        return registered_signer(repo, registry, sign, identity).map(|_| ());
    }
    let Some(added) = added else {
        return Err(SignerRefusal::NoRegistry);
    };
    let first = Registry {
        people: vec![added.clone()],
    };
    match registered_signer(repo, &first, sign, identity) {
        Ok(_) => Ok(()),
        Err(SignerRefusal::UnknownKey { fingerprint })
        | Err(SignerRefusal::OtherPerson { fingerprint, .. }) => Err(SignerRefusal::FirstNotSelf {
            fingerprint,
            email: added.email.clone(),
            identity: identity.email.clone(),
        }),
        Err(other) => Err(other),
    }
}
