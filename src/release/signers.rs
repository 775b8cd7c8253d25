//! Signatures a release needs when `sopctl.toml` says `signatures = "required"` (issue 15
//! item 2; 21 CFR 11.70 and 11.200: a signature linked to its record and unique to one person).
//!
//! The approvals it carries must be recorded by approval commits signed by the person each
//! names, with an SSH key the signers registry (`people.toml`, as committed when they approved)
//! lists for that person, who holds the role: checked by [`crate::verify::trust`], the rule
//! `sopctl verify` applies later, so a release never carries an approval that verify would call
//! broken. The release itself must be signed by the person releasing with a key the registry
//! (as committed now) lists for them ([`crate::people::signers::registered_signer`], as
//! `approve` requires).

use crate::lifecycle::Approval;
use crate::people::Signers;
use crate::people::signers::{SignerRefusal, has_signers, registered_signer};
use crate::repo::sign::SignWhen;
use crate::repo::{Identity, Repo};
use crate::verify::trust::Trust;
use crate::workspace::Workspace;

use super::Refusal;

/// When the release is signed: with signatures required, always unless `--no-sign` (which
/// [`release_signer`] then refuses), whatever `commit.gpgSign` and `tag.gpgSign` say, so that
/// the tag is never left unsigned; else as asked.
pub(super) fn sign_when(signers: &Signers, asked: SignWhen) -> SignWhen {
    match asked {
        SignWhen::Config if signers.required => SignWhen::Always,
        other => other,
    }
}

/// An approval that does not count, with what is wrong with its signature.
pub(super) type Rejected = (Approval, String);

/// `valid` split into the approvals whose commits are signed as the registry requires, and the
/// others, each with what is wrong with its signature. Without `signatures = "required"` every
/// approval counts.
pub(super) fn signed_approvals(
    signers: &Signers,
    repo: &Repo,
    valid: Vec<Approval>,
) -> (Vec<Approval>, Vec<Rejected>) {
    if !signers.required {
        return (valid, Vec::new());
    }
    let history = signers.history.clone().unwrap_or_default();
    let trust = Trust::registry(repo.verify_settings(), history, None);
    let mut counted = Vec::new();
    let mut rejected = Vec::new();
    for approval in valid {
        let stored = approval
            .commit
            .as_deref()
            .and_then(|c| repo.stored_commit(c));
        let problem = match &stored {
            None => Some("its approval commit cannot be read".to_string()),
            Some(commit) => {
                let who = (Some(approval.email.as_str()), Some(approval.role.as_str()));
                trust
                    .check(
                        repo,
                        &commit.id,
                        commit.signature.as_ref(),
                        commit.time,
                        who,
                    )
                    .problem
            }
        };
        match problem {
            None => counted.push(approval),
            Some(problem) => rejected.push((approval, problem)),
        }
    }
    (counted, rejected)
}

/// The refusal for an approval whose signature does not count.
pub(super) fn rejected_refusal((approval, problem): &Rejected) -> Refusal {
    Refusal::UnsignedApproval {
        approval: format!(
            "{} <{}> as {} on {}",
            approval.name, approval.email, approval.role, approval.date
        ),
        problem: problem.clone(),
    }
}

/// A refusal when the release would not be signed by the person releasing with a key of the
/// registry as committed; `None` when it would, or when signatures are not required.
pub(super) fn release_signer(
    ws: &Workspace,
    signers: &Signers,
    repo: &Repo,
    identity: &Identity,
    sign: SignWhen,
) -> Option<Refusal> {
    if !signers.required {
        return None;
    }
    let refusal = match signers.trusted(ws) {
        Err(e) => {
            return Some(Refusal::Signer {
                reason: e.to_string(),
                fix: Some(
                    "fix people.toml and commit it (sopctl check lists what is wrong)".into(),
                ),
            });
        }
        Ok(registry) if !has_signers(registry.as_ref()) => SignerRefusal::NoRegistry,
        Ok(registry) => {
            let registry = registry.unwrap_or_default();
            match registered_signer(repo, &registry, sign, identity) {
                Ok(_) => return None,
                Err(refusal) => refusal,
            }
        }
    };
    Some(Refusal::Signer {
        reason: refusal.to_string(),
        fix: refusal.fix(),
    })
}
