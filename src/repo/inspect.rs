//! Records as stored, for `sopctl verify` (issue 15 item 5): tag objects and commits with the
//! signature each carries and the exact bytes it signs, ancestry between commits, and the
//! settings git verifies signatures with. It only reads; what a signature is worth is decided
//! in [`crate::verify`].
//!
//! A signed tag keeps its signature at the end of its message (git's `tag.c`): what is signed is
//! the object up to the line that opens the signature ([`records::signature_start`]). A signed
//! commit keeps it in its `gpgsig` header, and what is signed is the commit without that header
//! (libgit2's `git_commit_extract_signature`).

use std::path::{Path, PathBuf};

use super::records::{self, Message};
use super::{Repo, RepoError};

/// A signature as stored in a git object.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredSignature {
    /// The armored signature, from `-----BEGIN … -----` to `-----END … -----`.
    pub armor: String,
    /// The bytes it signs, as git hands them to the program that verifies it.
    pub payload: Vec<u8>,
}

/// A release commit as its message records it (`Document` and `Version` trailers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReleaseCommit {
    /// The commit (hex id).
    pub commit: String,
    /// The SOP's ID, as written.
    pub document: String,
    /// The version, as written (`1.3.0`).
    pub version: String,
}

/// What one walk of the current branch's history found ([`Repo::walk_history`]).
#[derive(Debug, Clone, Default)]
pub struct HistoryWalk {
    /// The commits holding one of the record trailers asked for, newest first.
    pub records: Vec<StoredCommit>,
    /// Every release commit, newest first.
    pub releases: Vec<ReleaseCommit>,
    /// The changes to the paths watched, oldest first.
    pub changes: Vec<FileChange>,
    /// Every commit's id and its first parent's, oldest first, from the first change to a
    /// watched path on: the commits before it are the ones not listed (empty when no watched
    /// path ever changed).
    pub order: Vec<(String, Option<String>)>,
}

/// A commit of the current branch that changed one of the files watched by
/// [`Repo::walk_history`].
#[derive(Debug, Clone)]
pub struct FileChange {
    /// The commit (hex id).
    pub commit: String,
    /// Which of the watched paths it changed (its index among them).
    pub path: usize,
    /// The file's bytes after the commit; `None` when the commit deleted it.
    pub bytes: Option<Vec<u8>>,
    /// The commit's signature.
    pub signature: Option<StoredSignature>,
    /// The committer's e-mail address.
    pub committer_email: String,
}

impl StoredSignature {
    /// The SHA-256 fingerprint (`SHA256:…`) of the SSH key that made this signature, when it
    /// is an intact SSH signature of its record for git (namespace `git`); `None` for OpenPGP,
    /// X.509, or a signature that does not match its record. Whose key it is is not checked
    /// here (that is [`crate::verify::signature`]'s work).
    pub fn ssh_key_fingerprint(&self) -> Option<String> {
        let sig = ssh_key::SshSig::from_pem(self.armor.trim_end()).ok()?;
        if sig.namespace() != "git" {
            return None;
        }
        let key = ssh_key::PublicKey::from(sig.public_key().clone());
        key.verify("git", &self.payload, &sig).ok()?;
        Some(key.fingerprint(ssh_key::HashAlg::Sha256).to_string())
    }
}

/// A name and e-mail as git records them (tagger, author).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Person {
    /// The name.
    pub name: String,
    /// The e-mail, without the angle brackets.
    pub email: String,
}

/// A tag as stored.
#[derive(Debug, Clone)]
pub struct StoredTag {
    /// The tag's name, without `refs/tags/`.
    pub name: String,
    /// The tag object's id (40 hex digits); `None` for a lightweight tag, which is only a name.
    pub object: Option<String>,
    /// The commit the tag points at, if it points at one.
    pub commit: Option<String>,
    /// The message without its signature (empty for a lightweight tag).
    pub message: Message,
    /// Who made the tag (annotated tags).
    pub tagger: Option<Person>,
    /// When the tag was made (the tagger's time), seconds since the Unix epoch; the commit's
    /// time for a lightweight tag.
    pub time: i64,
    /// The signature, for a signed tag.
    pub signature: Option<StoredSignature>,
}

/// A commit as stored.
#[derive(Debug, Clone)]
pub struct StoredCommit {
    /// The commit's id (40 hex digits).
    pub id: String,
    /// The whole message, decoded (see [`records::decode_message`]).
    pub text: String,
    /// The message split into text and trailers.
    pub message: Message,
    /// The author.
    pub author: Person,
    /// The committer's time, seconds since the Unix epoch.
    pub time: i64,
    /// The first parent, if any.
    pub first_parent: Option<String>,
    /// The signature, for a signed commit.
    pub signature: Option<StoredSignature>,
}

/// The settings `git verify-commit` and `git verify-tag` read (git-config(1)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifySettings {
    /// `gpg.ssh.allowedSignersFile`: the SSH keys trusted, with the principals (e-mails) each
    /// signs for; `~/` is expanded, and a relative path is taken from the work tree's root.
    pub allowed_signers: Option<PathBuf>,
    /// The OpenPGP program: `gpg.openpgp.program`, else `gpg.program`, else `gpg`.
    pub openpgp_program: String,
    /// The X.509 program: `gpg.x509.program`, else `gpgsm`.
    pub x509_program: String,
}

/// `Name <email>` split, as in a tagger or author line.
fn person(name: Option<&str>, email: Option<&str>) -> Person {
    Person {
        name: name.unwrap_or("").to_string(),
        email: email.unwrap_or("").to_string(),
    }
}

impl Repo {
    /// The tag `name` as stored: its message without the signature, the signature and the bytes
    /// it signs; `None` when there is no such tag.
    pub fn stored_tag(&self, name: &str) -> Option<StoredTag> {
        let object = self.inner.find_object(self.tag_target(name)?, None).ok()?;
        let commit = object.peel_to_commit().ok();
        let commit_id = commit.as_ref().map(|c| c.id().to_string());
        let Some(tag) = object.as_tag() else {
            return Some(StoredTag {
                name: name.to_string(),
                object: None,
                commit: commit_id,
                message: Message::default(),
                tagger: None,
                time: commit.map_or(0, |c| c.time().seconds()),
                signature: None,
            });
        };
        let odb = self.inner.odb().ok()?;
        let raw = odb.read(tag.id()).ok()?;
        let data = raw.data();
        // The message starts after the first blank line of the object.
        let body = data
            .windows(2)
            .position(|w| w == b"\n\n")
            .map_or(data.len(), |i| i + 2);
        let start = records::signature_start(data).max(body);
        let signature = (start < data.len()).then(|| StoredSignature {
            armor: String::from_utf8_lossy(data.get(start..).unwrap_or_default()).into_owned(),
            payload: data.get(..start).unwrap_or_default().to_vec(),
        });
        let message = data.get(body..start).unwrap_or_default();
        let tagger = tag.tagger();
        Some(StoredTag {
            name: name.to_string(),
            object: Some(tag.id().to_string()),
            commit: commit_id,
            message: Message::parse(&records::decode_message(message, None)),
            tagger: tagger
                .as_ref()
                .map(|t| person(t.name().ok(), t.email().ok())),
            time: tagger.as_ref().map_or(0, |t| t.when().seconds()),
            signature,
        })
    }

    /// The commit `id` (hex) as stored, with its signature and the bytes it signs.
    pub fn stored_commit(&self, id: &str) -> Option<StoredCommit> {
        let oid = git2::Oid::from_str(id).ok()?;
        let commit = self.inner.find_commit(oid).ok()?;
        Some(self.stored(&commit))
    }

    fn stored(&self, commit: &git2::Commit<'_>) -> StoredCommit {
        let text = records::decode_message(
            commit.message_raw_bytes(),
            commit.message_encoding().ok().flatten(),
        );
        // Only a commit with a `gpgsig` header is read again for what it signs.
        let signed = commit.header_field_bytes("gpgsig").is_ok();
        let signature = signed
            .then(|| self.inner.extract_signature(&commit.id(), None).ok())
            .flatten()
            .map(|(sig, data)| StoredSignature {
                armor: String::from_utf8_lossy(&sig).into_owned(),
                payload: data.to_vec(),
            });
        let author = commit.author();
        StoredCommit {
            id: commit.id().to_string(),
            message: Message::parse(&text),
            text,
            author: person(author.name().ok(), author.email().ok()),
            time: commit.time().seconds(),
            first_parent: commit.parent_id(0).ok().map(|p| p.to_string()),
            signature,
        }
    }

    /// Whether commit `ancestor` is `descendant` or one of its ancestors (both hex ids).
    pub fn is_ancestor(&self, ancestor: &str, descendant: &str) -> bool {
        let (Ok(a), Ok(d)) = (
            git2::Oid::from_str(ancestor),
            git2::Oid::from_str(descendant),
        ) else {
            return false;
        };
        a == d || self.inner.graph_descendant_of(d, a).unwrap_or(false)
    }

    /// One walk of the current branch's history (reachable from HEAD): the commits whose
    /// message has one of the trailers `keys` (the lifecycle's records: approvals, reviews,
    /// retirements) and every release commit (`Document` and `Version` trailers), newest first;
    /// and the commits that changed one of `paths` (relative to the work tree's root) against
    /// their first parent, oldest first, with every commit's id oldest first, so that a caller
    /// can tell what held at any commit. Each commit is read once; each tree once.
    ///
    /// # Errors
    /// [`RepoError::Git`] when the history cannot be read.
    pub fn walk_history(&self, keys: &[&str], paths: &[&Path]) -> Result<HistoryWalk, RepoError> {
        let mut walk = self
            .inner
            .revwalk()
            .map_err(|e| RepoError::git("read the history", &e))?;
        let mut out = HistoryWalk::default();
        // An empty repository has no HEAD: nothing to walk.
        if walk.push_head().is_err() {
            return Ok(out);
        }
        // git's date order (`git log --date-order`): the registry's history is read in this
        // order, so commits of the same second on two branches keep the order libgit2 gives.
        let _ = walk.set_sorting(git2::Sort::TOPOLOGICAL | git2::Sort::TIME);
        let has = |raw: &[u8], k: &str| {
            raw.windows(k.len() + 1)
                .any(|w| w.get(..k.len()) == Some(k.as_bytes()) && w.last() == Some(&b':'))
        };
        // Each commit's first parent and the blobs at `paths`, to find the changes afterwards.
        let mut seen: Vec<(git2::Oid, Option<git2::Oid>, Vec<Option<git2::Oid>>)> = Vec::new();
        for oid in walk.flatten() {
            let Ok(commit) = self.inner.find_commit(oid) else {
                continue;
            };
            if !paths.is_empty() {
                let tree = commit.tree().ok();
                let blobs = paths
                    .iter()
                    .map(|p| {
                        tree.as_ref()
                            .and_then(|t| t.get_path(p).ok())
                            .map(|e| e.id())
                    })
                    .collect();
                seen.push((oid, commit.parent_id(0).ok(), blobs));
            }
            // Cheap test on the raw bytes first: most commits carry no record.
            let raw = commit.message_raw_bytes();
            if has(raw, "Version") {
                let message = Message::parse(&records::decode_message(
                    raw,
                    commit.message_encoding().ok().flatten(),
                ));
                if let (Some(document), Some(version)) =
                    (message.trailer("Document"), message.trailer("Version"))
                {
                    out.releases.push(ReleaseCommit {
                        commit: oid.to_string(),
                        document: document.to_string(),
                        version: version.to_string(),
                    });
                }
            }
            if !keys.iter().any(|k| has(raw, k)) {
                continue;
            }
            let stored = self.stored(&commit);
            if keys.iter().any(|k| stored.message.trailer(k).is_some()) {
                out.records.push(stored);
            }
        }
        let blobs_of: std::collections::HashMap<git2::Oid, &Vec<Option<git2::Oid>>> =
            seen.iter().map(|(oid, _, blobs)| (*oid, blobs)).collect();
        for (oid, parent, blobs) in seen.iter().rev() {
            let before = parent.and_then(|p| blobs_of.get(&p).copied());
            for (index, now) in blobs.iter().enumerate() {
                let was = before.and_then(|b| b.get(index).copied().flatten());
                if *now == was {
                    continue;
                }
                let Ok(commit) = self.inner.find_commit(*oid) else {
                    continue;
                };
                out.changes.push(FileChange {
                    commit: oid.to_string(),
                    path: index,
                    bytes: now
                        .and_then(|b| self.inner.find_blob(b).ok().map(|b| b.content().to_vec())),
                    signature: self.stored(&commit).signature,
                    committer_email: commit.committer().email().unwrap_or("").to_string(),
                });
            }
            // Before the first change, every commit has the watched files as the first had them.
            if !out.changes.is_empty() {
                out.order
                    .push((oid.to_string(), parent.map(|p| p.to_string())));
            }
        }
        Ok(out)
    }

    /// The settings git verifies signatures with.
    pub fn verify_settings(&self) -> VerifySettings {
        let config = self.inner.config().ok();
        let text = |key: &str| {
            config
                .as_ref()
                .and_then(|c| c.get_string(key).ok())
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let allowed_signers = text("gpg.ssh.allowedSignersFile").map(|p| {
            let path = match (p.strip_prefix("~/"), std::env::var_os("HOME")) {
                (Some(rest), Some(home)) => PathBuf::from(home).join(rest),
                _ => PathBuf::from(&p),
            };
            self.workdir.join(path)
        });
        VerifySettings {
            allowed_signers,
            openpgp_program: text("gpg.openpgp.program")
                .or_else(|| text("gpg.program"))
                .unwrap_or_else(|| "gpg".into()),
            x509_program: text("gpg.x509.program").unwrap_or_else(|| "gpgsm".into()),
        }
    }
}
