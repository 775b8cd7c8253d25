//! Whom signatures are checked against: git's allowed signers (`gpg.ssh.allowedSignersFile`),
//! or, with `signatures = "required"` in `sopctl.toml` (issue 15 item 2), the signers registry
//! (`people.toml`) as it was committed in each record's commit, so that a person later removed
//! from the registry still signed their past records validly, and a key added later does not
//! make an earlier forged record good.
//!
//! The requirement holds from the first commit whose `sopctl.toml` says `signatures =
//! "required"` on: records made before it (a repository's history from before it adopted
//! signed records) are checked against git's allowed signers as before; records made after it
//! are held to the registry even if the setting was relaxed in between, so that switching the
//! setting off for one commit does not let an unsigned record through.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use super::signature::{Verdict, Verifier, signer_problem};
use crate::people::Registry;
use crate::repo::Repo;
use crate::repo::inspect::{StoredSignature, VerifySettings};

/// A registry as committed, with the verifier whose trust list it is.
type Committed = Arc<(Registry, Verifier)>;

/// The registry's place in the repository and the registries read so far, by their bytes.
#[derive(Debug)]
struct RegistryTrust {
    /// The first commit that required signatures; `None`: every record.
    since: Option<String>,
    relative: PathBuf,
    settings: VerifySettings,
    read: Mutex<HashMap<Vec<u8>, Committed>>,
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
        Trust {
            git: Verifier::new(settings),
            registry: None,
        }
    }

    /// The signers registry at `relative` (from the work tree's root), as committed in each
    /// record's commit, for the records of the commit `since` (a hex id) and its descendants, or
    /// for every record when `since` is `None`.
    pub fn registry(settings: VerifySettings, relative: PathBuf, since: Option<String>) -> Trust {
        Trust {
            git: Verifier::new(settings.clone()),
            registry: Some(RegistryTrust {
                since,
                relative,
                settings,
                read: Mutex::new(HashMap::new()),
            }),
        }
    }

    /// The trust of the repository `ws` is set up for: the registry from the first commit whose
    /// settings required signatures (the work tree's settings too must require them now).
    pub fn of(ws: &crate::workspace::Workspace, repo: &Repo) -> Trust {
        let required = ws.settings.signatures == crate::config::Signatures::Required;
        let settings_file = ws.root.join(crate::config::FILE_NAME);
        let since = repo
            .relative(&settings_file)
            .filter(|_| required)
            .and_then(|path| {
                repo.first_commit_where(&path, &|bytes| {
                    let text = String::from_utf8_lossy(bytes);
                    crate::config::Settings::from_toml(&path, &text)
                        .is_ok_and(|s| s.signatures == crate::config::Signatures::Required)
                })
            });
        match (crate::people::relative(ws), since) {
            (Some(relative), Some(since)) if required => {
                Trust::registry(repo.verify_settings(), relative, Some(since))
            }
            _ => Trust::git(repo.verify_settings()),
        }
    }

    /// The registry for every record, whenever made: what a release applies to the approvals
    /// it carries now (`None` when the repository has no registry file's place).
    pub fn registry_for_all(ws: &crate::workspace::Workspace, repo: &Repo) -> Option<Trust> {
        let relative = crate::people::relative(ws)?;
        Some(Trust::registry(repo.verify_settings(), relative, None))
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
        let committed = trust.at(repo, at);
        let (registry, verifier) = &*committed;
        let verdict = verifier.check(signature, time);
        let problem = signer_problem(&verdict, email, role, Some(registry));
        Checked { verdict, problem }
    }
}

impl RegistryTrust {
    /// The registry as committed in `commit` (empty when it has none), read once per content.
    fn at(&self, repo: &Repo, commit: &str) -> Committed {
        let bytes = repo
            .file_at_commit(commit, &self.relative)
            .unwrap_or_default();
        let mut read = self.read.lock().unwrap_or_else(|e| e.into_inner());
        read.entry(bytes)
            .or_insert_with_key(|bytes| {
                let (registry, _) = Registry::parse(&String::from_utf8_lossy(bytes));
                let verifier = Verifier::for_registry(self.settings.clone(), &registry);
                Arc::new((registry, verifier))
            })
            .clone()
    }
}
