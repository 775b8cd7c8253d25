//! The training records on the branch `sopctl/training` (issue 17), checked commit by commit:
//! `sopctl training` counts the lines of each person's file, so each line must have come from
//! an acknowledgement commit of that person, signed as the settings require.
//!
//! - An acknowledgement commit (one parent) changes one file, the file of the person its
//!   `Ack-Email` trailer names ([`crate::training::file_name`]), by adding exactly one line,
//!   which says what its trailers say (SOP, version, content hash, person). Its signature is
//!   checked as every record's is ([`super::trust`]); with `signatures = "required"` it must be
//!   signed by that person with a key the signers registry (as committed at HEAD) lists.
//! - A merge (two or more parents, made when a fetched copy of the branch is joined) adds no
//!   line that no parent had.
//!
//! A line added any other way (a commit made by hand, by someone else, unsigned while signing
//! is required) is reported with its commit.

use std::collections::HashMap;

use super::trust::Trust;
use super::{Kind, Problem, commit_place};
use crate::repo::Repo;
use crate::repo::inspect::StoredCommit;
use crate::repo::side::{Files, SideCommit};
use crate::training::{Ack, BRANCH, file_name};
use crate::workspace::Workspace;

/// What is wrong on the training branch: one problem per commit that breaks a rule above.
///
/// # Errors
/// None: a branch that cannot be read is itself reported.
pub(crate) fn check(
    ws: &Workspace,
    repo: &Repo,
    trust: &Trust,
    head: Option<&str>,
) -> Vec<Problem> {
    let tips = repo.side_tips(BRANCH);
    let mut problems = Vec::new();
    let mut released = Released {
        ws,
        repo,
        hashes: HashMap::new(),
    };
    let walked = repo.side_walk(&tips, "acks", &mut |c: &SideCommit| {
        let place = commit_place(&c.id);
        let text = match c.parent_files.len() {
            // Each commit read once, for its trailers and its signature.
            0 | 1 => match repo.stored_commit(&c.id) {
                Some(stored) => acknowledgement(repo, trust, head, c, &stored)
                    .or_else(|| bound(&mut released, &stored)),
                None => Some("the commit cannot be read".to_string()),
            },
            _ => merge(c),
        };
        if let Some(text) = text {
            problems.push(Problem::new(&place, Kind::Record, text));
        }
    });
    if let Err(e) = walked {
        problems.push(Problem::new(
            &format!("branch {BRANCH}"),
            Kind::Record,
            format!("the training records cannot be read: {e}"),
        ));
    }
    problems
}

/// The content hashes of released versions, read once each.
struct Released<'w> {
    ws: &'w Workspace,
    repo: &'w Repo,
    /// (SOP, full version) → its content hash; `None` for a version never released.
    hashes: HashMap<(String, String), Option<String>>,
}

impl Released<'_> {
    /// The content hash of `id` at `version` as released, `None` when it was not released.
    fn hash(&mut self, id: &str, version: &str) -> Option<String> {
        let key = (id.to_string(), version.to_string());
        if let Some(known) = self.hashes.get(&key) {
            return known.clone();
        }
        let found = crate::doc::DocId::parse(id).ok().and_then(|doc| {
            let releases = self.ws.releases(&doc).ok()?;
            let record = releases
                .records
                .iter()
                .find(|r| r.version.full() == version)?;
            let sop = crate::render::released::load(self.repo, &doc, None, record).ok()?;
            Some(crate::lifecycle::content_hash(&sop))
        });
        self.hashes.insert(key, found.clone());
        found
    }
}

/// What is wrong with what an acknowledgement says it read: a version never released, or
/// another text than that version's (its `Ack-Content` is not the released content hash).
fn bound(released: &mut Released<'_>, stored: &StoredCommit) -> Option<String> {
    let m = &stored.message;
    let (id, version) = (m.trailer("Ack-Document")?, m.trailer("Ack-Version")?.trim());
    match released.hash(id, version) {
        None => Some(format!(
            "the acknowledgement of {id} {version} names a version that was never released"
        )),
        Some(hash) if m.trailer("Ack-Content") != Some(hash.as_str()) => Some(format!(
            "the acknowledgement of {id} {version} is not bound to the released text: its Ack-Content is not that version's content hash"
        )),
        Some(_) => None,
    }
}

/// The lines of a file, as a set.
fn lines(bytes: &[u8]) -> std::collections::HashSet<&[u8]> {
    bytes
        .split(|b| *b == b'\n')
        .filter(|l| !l.is_empty())
        .collect()
}

/// What is wrong with a merge: a line no parent had.
fn merge(c: &SideCommit) -> Option<String> {
    for (name, bytes) in &c.files {
        let before: Vec<std::collections::HashSet<&[u8]>> = c
            .parent_files
            .iter()
            .filter_map(|p| p.get(name).map(|b| lines(b)))
            .collect();
        for line in lines(bytes) {
            if !before.iter().any(|set| set.contains(line)) {
                return Some(format!(
                    "this merge of the training records adds a record of {name} that none of the branches it joins holds"
                ));
            }
        }
    }
    None
}

/// What is wrong with an acknowledgement commit, if anything.
fn acknowledgement(
    repo: &Repo,
    trust: &Trust,
    head: Option<&str>,
    c: &SideCommit,
    stored: &StoredCommit,
) -> Option<String> {
    let empty = Files::new();
    let parent = c.parent_files.first().unwrap_or(&empty);
    let m = &stored.message;
    let (Some(id), Some(version), Some(email)) = (
        m.trailer("Ack-Document"),
        m.trailer("Ack-Version"),
        m.trailer("Ack-Email"),
    ) else {
        return Some(
            "a commit on the training branch that is not an acknowledgement (no Ack-Document, Ack-Version or Ack-Email trailer)"
                .to_string(),
        );
    };
    let changed: Vec<&String> = c
        .files
        .iter()
        .filter(|(name, bytes)| parent.get(*name) != Some(*bytes))
        .map(|(name, _)| name)
        .chain(parent.keys().filter(|name| !c.files.contains_key(*name)))
        .collect();
    let own = file_name(email);
    if changed.len() != 1 || changed.first().is_none_or(|name| **name != own) {
        return Some(format!(
            "the acknowledgement of {id} by {email} changes other records than one line of their own (acks/{own})"
        ));
    }
    let before = parent.get(&own).map(Vec::as_slice).unwrap_or_default();
    let after = c.files.get(&own).map(Vec::as_slice).unwrap_or_default();
    let added = after.strip_prefix(before).map(|rest| {
        rest.split(|b| *b == b'\n')
            .filter(|l| !l.is_empty())
            .collect::<Vec<_>>()
    });
    let line = match added.as_deref() {
        Some([one]) => Ack::parse(&String::from_utf8_lossy(one), email),
        _ => None,
    };
    let matches = line.as_ref().is_some_and(|a| {
        a.id == id
            && a.version.full() == version.trim()
            && m.trailer("Ack-Content") == Some(a.content.as_str())
    });
    if !matches {
        return Some(format!(
            "the acknowledgement of {id} {version} by {email} does not add exactly the one record its trailers describe"
        ));
    }
    let at = head.unwrap_or(&c.id);
    let checked = trust.check(
        repo,
        at,
        stored.signature.as_ref(),
        stored.time,
        (Some(email), None),
    );
    checked.problem
}
