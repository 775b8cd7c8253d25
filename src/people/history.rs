//! The signers registry through the history of the current branch: which version of
//! `people.toml` is trusted at each commit, and since when `signatures = "required"` holds
//! (issue 15 item 2; 21 CFR 11.10(d): access to the signing system limited to authorised
//! people, 11.300: controls for identification codes).
//!
//! A change to `people.toml` is trusted when its commit carries an intact SSH signature by a
//! key that the registry trusted before it lists for the committer (same e-mail address). While
//! the trusted registry lists no one with a key, the first change is trusted when it is signed
//! by a key it adds for the committer ("How the first registry is trusted",
//! docs/file-format.md). Any other change, an edit or a deletion, is not trusted: the registry
//! stays as it was before it, for every record after it, and the change is reported. So a hand
//! edit committed without a registered person's signature makes no one a signer, and deleting
//! the file does not start a new first registry.
//!
//! `signatures = "required"` holds from the first commit whose `sopctl.toml` says so, for every
//! record after it, even if a later commit (or the working copy) relaxes the setting.
//!
//! What holds at a commit is what its own history left: the registry trusted at its first
//! parent, changed by the commit itself when that change is trusted (judged against the first
//! parent's registry). A change made on a branch counts for the commits of that branch, and for
//! the current branch from the merge that brings it in, where it is judged again as the merge's
//! own change: whoever merges a change to the registry must be a registered person. So a person
//! added on a side branch signs nothing on the current branch before the merge.

use std::collections::HashMap;
use std::path::Path;

use super::Registry;
use crate::config::Signatures;
use crate::repo::Repo;
use crate::repo::inspect::HistoryWalk;

/// A change to `people.toml` that is not trusted, and why, in plain words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UntrustedChange {
    /// The commit (hex id).
    pub commit: String,
    /// Why it is not trusted.
    pub reason: String,
}

/// The trusted registry at each commit of the current branch, and the setting's history.
#[derive(Debug, Clone, Default)]
pub struct RegistryHistory {
    /// Each trusted version, oldest first; the first is the empty registry.
    versions: Vec<Registry>,
    /// The version trusted after each commit, by the commit.
    at: HashMap<String, usize>,
    /// The version trusted after the newest commit (HEAD).
    head: usize,
    /// The changes not trusted, oldest first.
    pub untrusted: Vec<UntrustedChange>,
    /// The first commit whose settings required signatures.
    pub required_since: Option<String>,
}

impl RegistryHistory {
    /// Reads the history of `registry` and `settings` (paths relative to the work tree's root).
    pub fn read(repo: &Repo, registry: &Path, settings: &Path) -> RegistryHistory {
        let walk = repo
            .walk_history(&[], &[registry, settings])
            .unwrap_or_default();
        RegistryHistory::from_walk(walk, settings)
    }

    /// The history from a walk that watched the registry and then the settings file at
    /// `settings` ([`Repo::walk_history`] with those two paths, in that order).
    pub fn from_walk(walk: HistoryWalk, settings: &Path) -> RegistryHistory {
        let mut history = RegistryHistory {
            versions: vec![Registry::default()],
            ..RegistryHistory::default()
        };
        let mut changes = walk.changes.into_iter().peekable();
        for (commit, parent) in walk.order {
            // A first parent not listed was made before the first change: the empty registry.
            let mut now = parent
                .and_then(|p| history.at.get(&p).copied())
                .unwrap_or(0);
            while let Some(change) = changes.next_if(|c| c.commit == commit) {
                if change.path == 1 {
                    history.note_settings(&change.commit, change.bytes.as_deref(), settings);
                } else {
                    now = history.note_registry(change, now);
                }
            }
            history.at.insert(commit, now);
            history.head = now;
        }
        history
    }

    /// The trusted registry after `commit` (the empty registry for a commit not on the branch,
    /// and for one made before the registry's first change).
    pub fn at(&self, commit: &str) -> &Registry {
        let index = self.at.get(commit).copied().unwrap_or(0);
        self.versions
            .get(index)
            .or_else(|| self.versions.first())
            .unwrap_or_else(|| unreachable_registry())
    }

    /// The registry trusted now: after the newest commit (HEAD).
    pub fn current(&self) -> &Registry {
        self.versions
            .get(self.head)
            .unwrap_or_else(|| unreachable_registry())
    }

    fn note_settings(&mut self, commit: &str, bytes: Option<&[u8]>, path: &Path) {
        if self.required_since.is_some() {
            return;
        }
        let required = bytes.is_some_and(|b| {
            crate::config::Settings::from_toml(path, &String::from_utf8_lossy(b))
                .is_ok_and(|s| s.signatures == Signatures::Required)
        });
        if required {
            self.required_since = Some(commit.to_string());
        }
    }

    /// Judges `change` against the version `base` (its commit's first parent's): the version
    /// trusted after it, a new one when the change is trusted, else `base`.
    fn note_registry(&mut self, change: crate::repo::inspect::FileChange, base: usize) -> usize {
        let trusted = self.versions.get(base).cloned().unwrap_or_default();
        let changed = change
            .bytes
            .as_deref()
            .map(|b| Registry::parse(&String::from_utf8_lossy(b)).0);
        let key = change
            .signature
            .as_ref()
            .and_then(|s| s.ssh_key_fingerprint());
        let email = &change.committer_email;
        let first = !super::signers::has_signers(Some(&trusted));
        // While no one has a key, a registry without keys gives no one the power to sign.
        if first && !super::signers::has_signers(changed.as_ref()) {
            self.versions.push(changed.unwrap_or_default());
            return self.versions.len() - 1;
        }
        // Whose key signs it: a person of the trusted registry, or, for the first registry,
        // a person it adds.
        let judge = if first {
            changed.as_ref()
        } else {
            Some(&trusted)
        };
        let signer = key
            .as_deref()
            .and_then(|k| judge.and_then(|r| r.holder_of(k)));
        let reason = match (&key, signer) {
            (_, Some(person)) if person.has_email(email) => None,
            (_, Some(person)) => Some(format!(
                "it is signed with the key of {}, but committed as {email}",
                person.label()
            )),
            (None, None) => Some("it is not signed by a registered person".to_string()),
            (Some(k), None) if first => Some(format!(
                "the first registry must be signed by a person it adds, with the key it adds; it is signed with {k}"
            )),
            (Some(k), None) => Some(format!(
                "it is signed with {k}, which the registry before it does not list"
            )),
        };
        match reason {
            None => {
                self.versions.push(changed.unwrap_or_default());
                self.versions.len() - 1
            }
            Some(reason) => {
                self.untrusted.push(UntrustedChange {
                    commit: change.commit,
                    reason: format!(
                        "it {} people.toml, but {reason}: the change is not trusted, and records after it are judged by the registry as it was before",
                        if change.bytes.is_some() { "changes" } else { "deletes" }
                    ),
                });
                base
            }
        }
    }
}

/// The empty registry, for lookups before any version (never reached: `versions` always holds
/// the empty registry first).
fn unreachable_registry() -> &'static Registry {
    static EMPTY: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    EMPTY.get_or_init(Registry::default)
}
