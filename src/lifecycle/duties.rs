//! Separation of duties (issue 15, item 3; EU GMP Annex 11 and 21 CFR 211.22 ask that a change
//! be approved by someone other than its author): which approvals a release may carry.
//!
//! Takes the document's `approvers`, its valid approvals (newest first) and the people who
//! changed it since its last release; gives one approval per entry of `approvers`, or the
//! reasons it cannot. By default:
//!
//! - an approval by someone who **authored a change** to the document since its last release
//!   does not count: the authors of the commits that changed the file since the last release
//!   tag, the release commit itself left out ([`crate::repo::Repo::changes_of`]);
//! - **one person fills one approver role** of a release: approving as QA Manager and as Site
//!   Director, the same person counts once.
//!
//! Where several people approved, the choice that fills every role with a different person is
//! found if there is one (a matching of roles to people, newest approvals first). With
//! `separation_of_duties = false` in `sopctl.toml` such approvals count, and each is marked in
//! the release record (`exception: self-approved` or `second role`), so the revision history
//! and `sopctl log` show it. People are told apart by [`identity_of`]: by e-mail address, and
//! when records are signed, by the signing key's fingerprint too ([`People`]).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use super::Approval;
use crate::doc::{DocId, Sop};
use crate::release::Refusal;
use crate::workspace::Workspace;

/// The mark of an approval by an author of the change.
pub const SELF_APPROVED: &str = "self-approved";
/// The mark of an approval by a person who fills another role of the same release.
pub const SECOND_ROLE: &str = "second role";

/// The identity an approval is counted under: the person [`for_release`] found for it
/// ([`People`]), else its e-mail address, capitals aside.
pub fn identity_of(approval: &Approval) -> String {
    approval
        .person
        .clone()
        .unwrap_or_else(|| email_identity(&approval.email))
}

/// An e-mail address as an identity (the form [`identity_of`] gives).
fn email_identity(email: &str) -> String {
    email.trim().to_ascii_lowercase()
}

/// Who is who among the approvers and authors of a release (issue 15 item 3): records are one
/// person when they share an e-mail address or a signing key. An author who signs commits with
/// the key an approval is signed with is the approver, whatever address each names; so is one
/// who writes the approver's address. (Records joined by shared addresses and keys, as a union
/// of sets; each person is named by one of their addresses.)
#[derive(Debug, Clone, Default)]
pub struct People {
    /// Each address or key (`key:SHA256:…`) → one it is joined to, up to the person's name.
    joined: BTreeMap<String, String>,
}

impl People {
    /// Notes a record by `email`, signed with the key `key` (its fingerprint) when signed.
    pub fn saw(&mut self, email: &str, key: Option<&str>) {
        let address = self.root(&email_identity(email));
        if let Some(key) = key {
            let key = self.root(&format!("key:{key}"));
            if key != address {
                // An address names the person rather than a key.
                let (from, to) = if key.starts_with("key:") {
                    (key, address)
                } else {
                    (address, key)
                };
                self.joined.insert(from, to);
            }
        }
    }

    /// The person a record by `email` belongs to: one of their addresses.
    pub fn of(&self, email: &str) -> String {
        self.root(&email_identity(email))
    }

    fn root(&self, node: &str) -> String {
        let mut at = node.to_string();
        while let Some(next) = self.joined.get(&at) {
            at = next.clone();
        }
        at
    }
}

/// The people who changed a document since its last release: identity → the short ids of the
/// commits they authored, newest first.
pub type Authors = BTreeMap<String, Vec<String>>;

/// The approvals a release carries and the refusals separation of duties gives.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Duties {
    /// One approval per entry of `approvers` that has one, in the list's order.
    pub signatures: Vec<Approval>,
    /// Why an approval does not count (empty when the setting allows it).
    pub refusals: Vec<Refusal>,
}

/// The people who changed `sop` (at `relative` in the work tree) since its last release, told
/// apart as `people` tells them (after noting there the SSH keys their commits are signed
/// with). An unreadable history gives no one.
pub fn authors(ws: &Workspace, sop: &Sop, relative: &Path, people: &mut People) -> Authors {
    let mut authors = Authors::new();
    let (Some(repo), Some(id)) = (&ws.repo, sop.id()) else {
        return authors;
    };
    let since = ws
        .releases(id)
        .ok()
        .and_then(|r| r.latest().map(|l| l.commit.clone()));
    let changes = repo
        .changes_of(relative, since.as_deref())
        .unwrap_or_default();
    for change in &changes {
        people.saw(&change.email, signing_key(repo, &change.commit).as_deref());
    }
    for change in changes {
        let short = change.commit.get(..7).unwrap_or(&change.commit).to_string();
        authors
            .entry(people.of(&change.email))
            .or_default()
            .push(short);
    }
    authors
}

/// The fingerprint of the SSH key that signed `commit`, when an intact SSH signature does.
fn signing_key(repo: &crate::repo::Repo, commit: &str) -> Option<String> {
    repo.stored_commit(commit)?.signature?.ssh_key_fingerprint()
}

/// The approvals the release of `sop` carries, chosen from `valid`, with separation of duties
/// applied as the settings say: the one step release planning calls. People are told apart by
/// e-mail address and by the keys their approvals and changes are signed with ([`People`]).
pub fn for_release(ws: &Workspace, sop: &Sop, relative: &Path, valid: &[Approval]) -> Duties {
    let Some(id) = sop.id() else {
        return Duties::default();
    };
    let mut people = People::default();
    for approval in valid {
        let key = ws
            .repo
            .as_ref()
            .zip(approval.commit.as_deref())
            .and_then(|(repo, commit)| signing_key(repo, commit));
        people.saw(&approval.email, key.as_deref());
    }
    let authors = authors(ws, sop, relative, &mut people);
    let valid: Vec<Approval> = valid
        .iter()
        .map(|a| Approval {
            person: Some(people.of(&a.email)),
            ..a.clone()
        })
        .collect();
    let mut duties = choose(
        id,
        &sop.metadata.approvers,
        &valid,
        &authors,
        ws.settings.separation_of_duties,
    );
    // The person is how this release told people apart, not part of the approval.
    for approval in &mut duties.signatures {
        approval.person = None;
    }
    duties
}

/// One approval for each entry of `approvers` from `valid` (newest first). With `enforce`, an
/// author's approval does not count and each entry needs a different person, else a
/// [`Refusal::SelfApproval`] or [`Refusal::SamePerson`] says who and why; without, such
/// approvals are taken and marked ([`SELF_APPROVED`], [`SECOND_ROLE`]). An entry no valid
/// approval covers is left out (release reports it as missing).
pub fn choose(
    id: &DocId,
    approvers: &[String],
    valid: &[Approval],
    authors: &Authors,
    enforce: bool,
) -> Duties {
    let is_author = |a: &Approval| authors.contains_key(&identity_of(a));
    // The people who may fill each entry, in order of preference: one per person, newest
    // approval first, authors last (left out when enforcing).
    let candidates: Vec<Vec<&Approval>> = approvers
        .iter()
        .map(|entry| {
            let mut seen = BTreeSet::new();
            let mut list: Vec<&Approval> = valid
                .iter()
                .filter(|a| a.covers(entry) && seen.insert(identity_of(a)))
                .collect();
            list.sort_by_key(|a| is_author(a));
            if enforce {
                list.retain(|a| !is_author(a));
            }
            list
        })
        .collect();
    let chosen = matching(&candidates);
    let mut duties = Duties::default();
    let mut same_person: Vec<(Approval, Vec<String>)> = Vec::new();
    for (entry, (pick, list)) in approvers.iter().zip(chosen.iter().zip(&candidates)) {
        let covering = valid.iter().find(|a| a.covers(entry));
        let approval = match (pick, covering) {
            (Some(a), _) => (*a).clone(),
            (None, None) => continue,
            (None, Some(newest)) if enforce => {
                match list.first() {
                    // Everyone who approved changed the document.
                    None => duties.refusals.push(Refusal::SelfApproval {
                        id: id.clone(),
                        role: entry.clone(),
                        name: newest.name.clone(),
                        email: newest.email.clone(),
                        commits: authors
                            .get(&identity_of(newest))
                            .cloned()
                            .unwrap_or_default(),
                    }),
                    // Everyone who approved fills another role.
                    Some(other) => {
                        let roles = chosen_roles(approvers, &chosen, other);
                        match same_person
                            .iter_mut()
                            .find(|(p, _)| identity_of(p) == identity_of(other))
                        {
                            Some((_, r)) => r.push(entry.clone()),
                            None => same_person
                                .push(((*other).clone(), [roles, vec![entry.clone()]].concat())),
                        }
                    }
                }
                continue;
            }
            (None, Some(_)) => match list.first() {
                Some(a) => (*a).clone(),
                None => continue,
            },
        };
        let mut marks = Vec::new();
        if is_author(&approval) {
            marks.push(SELF_APPROVED);
        }
        let earlier = duties
            .signatures
            .iter()
            .find(|s| identity_of(s) == identity_of(&approval));
        if let Some(earlier) = earlier {
            if (Approval {
                exception: None,
                ..earlier.clone()
            }) == approval
            {
                // One approval that covers two entries (a role and a name) is carried once.
                continue;
            }
            marks.push(SECOND_ROLE);
        }
        duties.signatures.push(Approval {
            exception: (!marks.is_empty()).then(|| marks.join(", ")),
            ..approval
        });
    }
    duties.refusals.extend(
        same_person
            .into_iter()
            .map(|(p, roles)| Refusal::SamePerson {
                name: p.name,
                email: p.email,
                roles,
            }),
    );
    duties
}

/// The entries of `approvers` that the person of `approval` fills in `chosen`.
fn chosen_roles(
    approvers: &[String],
    chosen: &[Option<&Approval>],
    approval: &Approval,
) -> Vec<String> {
    approvers
        .iter()
        .zip(chosen)
        .filter(|(_, pick)| pick.is_some_and(|p| identity_of(p) == identity_of(approval)))
        .map(|(entry, _)| entry.clone())
        .collect()
}

/// A choice of one candidate per entry, each person at most once, filling as many entries as
/// can be filled (Kuhn's augmenting paths; entries and people are few), preferring earlier
/// entries and earlier candidates.
fn matching<'a>(candidates: &[Vec<&'a Approval>]) -> Vec<Option<&'a Approval>> {
    let mut owner: BTreeMap<String, usize> = BTreeMap::new();
    for entry in 0..candidates.len() {
        let mut seen = BTreeSet::new();
        augment(entry, candidates, &mut owner, &mut seen);
    }
    let mut chosen = vec![None; candidates.len()];
    for (person, entry) in &owner {
        let pick = candidates
            .get(*entry)
            .and_then(|list| list.iter().find(|a| identity_of(a) == *person));
        if let (Some(slot), Some(pick)) = (chosen.get_mut(*entry), pick) {
            *slot = Some(*pick);
        }
    }
    chosen
}

fn augment(
    entry: usize,
    candidates: &[Vec<&Approval>],
    owner: &mut BTreeMap<String, usize>,
    seen: &mut BTreeSet<String>,
) -> bool {
    let Some(list) = candidates.get(entry) else {
        return false;
    };
    for approval in list {
        let person = identity_of(approval);
        if !seen.insert(person.clone()) {
            continue;
        }
        let free = match owner.get(&person).copied() {
            None => true,
            Some(other) => augment(other, candidates, owner, seen),
        };
        if free {
            owner.insert(person, entry);
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn approval(name: &str, role: &str) -> Approval {
        Approval {
            name: name.into(),
            email: format!("{}@example.org", name.to_ascii_lowercase()),
            role: role.into(),
            meaning: "approved".into(),
            date: "2026-01-10T09:00:00Z".into(),
            content: "sha256:x".into(),
            files: None,
            exception: None,
            commit: None,
            person: None,
        }
    }

    #[test]
    fn records_sharing_an_address_or_a_key_are_one_person() {
        let mut people = super::People::default();
        people.saw("Dana@Example.org", Some("SHA256:k1"));
        people.saw("alias@example.org", Some("SHA256:k1"));
        people.saw("erin@example.org", None);
        people.saw("erin@example.org", Some("SHA256:k2"));
        assert_eq!(
            people.of("alias@example.org"),
            people.of("dana@example.org")
        );
        assert_ne!(people.of("erin@example.org"), people.of("dana@example.org"));
        assert_eq!(people.of("erin@example.org"), "erin@example.org");
        assert_eq!(people.of("nobody@example.org"), "nobody@example.org");
    }

    fn roles(list: &[&str]) -> Vec<String> {
        list.iter().map(|r| r.to_string()).collect()
    }

    fn labels(duties: &Duties) -> Vec<String> {
        duties.signatures.iter().map(Approval::label).collect()
    }

    fn id() -> DocId {
        DocId::parse("SOP-1").expect("id")
    }

    #[test]
    fn each_role_gets_a_different_person_when_there_is_a_way() {
        // Dana approved both roles (newest first), Erin only the second: Dana must take the
        // first so that Erin can take the second.
        let valid = [
            approval("Dana", "Site Director"),
            approval("Dana", "QA Manager"),
            approval("Erin", "Site Director"),
        ];
        let duties = choose(
            &id(),
            &roles(&["Site Director", "QA Manager"]),
            &valid,
            &Authors::new(),
            true,
        );
        assert_eq!(
            labels(&duties),
            ["Erin (Site Director)", "Dana (QA Manager)"]
        );
        assert_eq!(duties.refusals, []);
    }

    /// Dana approves in two roles and the author, Owner, in a third.
    fn dana_twice_and_the_author(enforce: bool) -> Duties {
        let valid = [
            approval("Dana", "QA Manager"),
            approval("Dana", "Site Director"),
            approval("Owner", "Reviewer"),
        ];
        let authors =
            Authors::from([("owner@example.org".to_string(), vec!["abc1234".to_string()])]);
        let approvers = roles(&["QA Manager", "Site Director", "Reviewer"]);
        choose(&id(), &approvers, &valid, &authors, enforce)
    }

    #[test]
    fn an_author_and_a_person_in_two_roles_are_refused_with_who_and_why() {
        let duties = dana_twice_and_the_author(true);
        assert_eq!(labels(&duties), ["Dana (QA Manager)"]);
        assert_eq!(
            duties
                .refusals
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>(),
            [
                "the approval as Reviewer by Owner <owner@example.org> does not count: they changed SOP-1 since its last release (commit abc1234), and an approver may not approve their own change",
                "Dana <dana@example.org> approved as QA Manager and Site Director: one person fills only one approver role of a release",
            ]
        );
    }

    #[test]
    fn without_separation_of_duties_the_exceptions_are_marked() {
        let duties = dana_twice_and_the_author(false);
        assert_eq!(
            labels(&duties),
            [
                "Dana (QA Manager)",
                "Dana (Site Director, second role)",
                "Owner (Reviewer, self-approved)"
            ]
        );
        assert_eq!(duties.refusals, []);
        // One approval covering a role and the same person's name is carried once.
        let valid = [approval("Dana", "QA Manager")];
        let duties = choose(
            &id(),
            &roles(&["QA Manager", "Dana"]),
            &valid,
            &Authors::new(),
            false,
        );
        assert_eq!(labels(&duties), ["Dana (QA Manager)"]);
    }
}
