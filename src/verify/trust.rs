//! Whom signatures are checked against: git's allowed signers (`gpg.ssh.allowedSignersFile`),
//! or, with `signatures = "required"` in `sopctl.toml` (issue 15 item 2), the signers registry
//! (`people.toml`) as it was trusted at each record's commit ([`RegistryHistory`]: changed only
//! by registered people's signed commits), so that a person later removed from the registry
//! still signed their past records validly, a key added later does not make an earlier forged
//! record good, and a hand edit makes no one a signer.
//!
//! The requirement holds from the first commit whose `sopctl.toml` says `signatures =
//! "required"` on: records made before it (a repository's history from before it adopted
//! signed records) are checked against git's allowed signers as before; records made after it
//! are held to the registry even if the setting was relaxed in between, so that switching the
//! setting off for one commit does not let an unsigned record through.

use std::sync::{Arc, Mutex};

use super::signature::{IntactSignatures, Verdict, Verifier, signer_problem};
use crate::people::Registry;
use crate::people::history::RegistryHistory;
use crate::repo::Repo;
use crate::repo::inspect::{StoredSignature, VerifySettings};

/// The trusted registry at each commit, with a verifier for each of its versions.
#[derive(Debug)]
struct RegistryTrust {
    /// The first commit that required signatures; `None`: every record.
    since: Option<String>,
    history: RegistryHistory,
    settings: VerifySettings,
    /// A verifier for each version of the registry seen so far, by its people.
    verifiers: Mutex<Vec<(Registry, Arc<Verifier>)>>,
    /// The SSH signatures checked so far, shared by every verifier.
    intact: Arc<IntactSignatures>,
}

/// The trust a record's signature is checked against; shared by the threads of `verify`.
#[derive(Debug)]
pub struct Trust {
    git: Verifier,
    registry: Option<RegistryTrust>,
}

/// A signature's worth and, when the signer may not sign the record, why, in plain words.
#[derive(Debug, Clone)]
pub struct Checked {
    /// What the signature is worth.
    pub verdict: Verdict,
    /// What is wrong with the signer ([`signer_problem`]); `None` when nothing is.
    pub problem: Option<String>,
}

impl Trust {
    /// Git's allowed signers only (`signatures = "optional"`).
    pub fn git(settings: VerifySettings) -> Trust {
        Trust::git_sharing(settings, Arc::default())
    }

    /// As [`Trust::git`], with the SSH signatures checked so far in this run.
    fn git_sharing(settings: VerifySettings, intact: Arc<IntactSignatures>) -> Trust {
        Trust {
            git: Verifier::sharing(settings, intact),
            registry: None,
        }
    }

    /// The signers registry as trusted at each record's commit ([`RegistryHistory::at`]), for
    /// the records of the commit `since` (a hex id) and its descendants, or for every record
    /// when `since` is `None`.
    pub fn registry(
        settings: VerifySettings,
        history: RegistryHistory,
        since: Option<String>,
    ) -> Trust {
        Trust::registry_sharing(settings, history, since, Arc::default())
    }

    /// As [`Trust::registry`], with the SSH signatures checked so far in this run.
    fn registry_sharing(
        settings: VerifySettings,
        history: RegistryHistory,
        since: Option<String>,
        intact: Arc<IntactSignatures>,
    ) -> Trust {
        Trust {
            git: Verifier::sharing(settings.clone(), intact.clone()),
            registry: Some(RegistryTrust {
                since,
                history,
                settings,
                verifiers: Mutex::new(Vec::new()),
                intact,
            }),
        }
    }

    /// The trust of the repository `ws`: the registry from the first commit whose settings
    /// required signatures on ([`mod@crate::people::history`]), whatever the working copy or a
    /// later commit says; git's allowed signers before it, and when no commit ever did.
    pub fn of(ws: &crate::workspace::Workspace, repo: &Repo) -> Trust {
        Trust::from_history(repo, crate::people::history(ws).unwrap_or_default())
    }

    /// As [`Trust::of`], from a history already read.
    pub fn from_history(repo: &Repo, history: RegistryHistory) -> Trust {
        Trust::from_history_sharing(repo, history, Arc::default())
    }

    /// As [`Trust::from_history`], taking the SSH signatures already checked against their
    /// records in this run (`intact`) instead of checking them again.
    pub fn from_history_sharing(
        repo: &Repo,
        history: RegistryHistory,
        intact: Arc<IntactSignatures>,
    ) -> Trust {
        match history.required_since.clone() {
            Some(since) => {
                Trust::registry_sharing(repo.verify_settings(), history, Some(since), intact)
            }
            None => Trust::git_sharing(repo.verify_settings(), intact),
        }
    }

    /// The changes of the registry that are not trusted, when the registry is in force.
    pub fn untrusted(&self) -> &[crate::people::history::UntrustedChange] {
        self.registry
            .as_ref()
            .map_or(&[], |r| r.history.untrusted.as_slice())
    }

    /// Checks `signature` of a record made at `time` (seconds since the epoch) in the commit
    /// `at` (a tag: the commit it names), which says it was signed by `email` in `role`.
    pub fn check(
        &self,
        repo: &Repo,
        at: &str,
        signature: Option<&StoredSignature>,
        time: i64,
        (email, role): (Option<&str>, Option<&str>),
    ) -> Checked {
        let held = self.registry.as_ref().filter(|trust| {
            trust
                .since
                .as_deref()
                .is_none_or(|since| repo.is_ancestor(since, at))
        });
        let Some(trust) = held else {
            let verdict = self.git.check(signature, time);
            let problem = signer_problem(&verdict, email, role, None);
            return Checked { verdict, problem };
        };
        let registry = trust.history.at(at);
        let verifier = trust.verifier(registry);
        let verdict = verifier.check(signature, time);
        let problem = signer_problem(&verdict, email, role, Some(registry));
        Checked { verdict, problem }
    }
}

impl RegistryTrust {
    /// The verifier whose trust list is `registry`, made once for each version.
    fn verifier(&self, registry: &Registry) -> Arc<Verifier> {
        let mut made = self.verifiers.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, verifier)) = made.iter().find(|(r, _)| r == registry) {
            return verifier.clone();
        }
        let verifier = Arc::new(Verifier::for_registry(
            self.settings.clone(),
            registry,
            self.intact.clone(),
        ));
        made.push((registry.clone(), verifier.clone()));
        verifier
    }
}
