//! The training matrix (issue 17 item 4): for each SOP with an `audience` and each registered
//! person who holds one of its roles, whether they are trained on the version they must know,
//! and by when they must be.
//!
//! The rules:
//!
//! - The version to know is the newest release that is in force or waiting for its day
//!   ([`Requirement::target`]); it is the one `sopctl ack` records.
//! - A person is trained when they acknowledged that version, or any release from the last one
//!   that needed retraining ([`super::needs_training`]) on: after a release with
//!   `--no-retrain` (or a patch) an earlier acknowledgement still counts.
//! - Otherwise their training is due `training_days` after the release that needed it took
//!   effect, or on its effective date when it was released ahead of that day (people train
//!   before such a version takes effect); pending until then, overdue after.
//! - A withdrawn SOP, or one without a release, asks nobody to train.

use jiff::civil::Date;

use super::{Acks, Brief};
use crate::people::{Person, Registry};
use crate::repo::{ReleaseRecord, Releases};
use crate::version::DocVersion;

/// What an SOP asks of its audience today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Requirement {
    /// The version to read and acknowledge now: the newest release, in force or waiting.
    pub target: ReleaseRecord,
    /// The oldest version whose acknowledgement still counts: the last release, up to the
    /// target, that needed retraining.
    pub since: DocVersion,
    /// By when an untrained person must have acknowledged it.
    pub due: Date,
}

/// What `releases` ask of their audience on `today`: `None` without releases.
pub fn requirement(
    releases: &Releases,
    today: Date,
    training_days: u32,
    retrain_on_patch: bool,
) -> Option<Requirement> {
    let records = &releases.records;
    let target = records.last()?.clone();
    let needing = (0..records.len())
        .rev()
        .find(|i| super::needs_training(records, *i, retrain_on_patch))
        .and_then(|i| records.get(i))
        .unwrap_or(&target);
    // Released ahead of its day: people train before it takes effect, so it is due that day.
    let due = if needing.date > today || needing.recorded < needing.date {
        needing.date
    } else {
        needing
            .date
            .checked_add(jiff::Span::new().days(i64::from(training_days)))
            .unwrap_or(needing.date)
    };
    Some(Requirement {
        since: needing.version.clone(),
        target,
        due,
    })
}

/// Where one person stands on one SOP.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum State {
    /// Acknowledged a version that counts.
    Trained {
        /// The version acknowledged.
        version: DocVersion,
        /// The day.
        date: Date,
    },
    /// Not yet, and not late.
    Pending {
        /// By when.
        due: Date,
    },
    /// Not yet, and late.
    Overdue {
        /// By when it was due.
        due: Date,
    },
}

impl State {
    /// `trained`, `pending` or `overdue`.
    pub fn name(&self) -> &'static str {
        match self {
            State::Trained { .. } => "trained",
            State::Pending { .. } => "pending",
            State::Overdue { .. } => "overdue",
        }
    }
}

/// One cell of the matrix: a person and an SOP.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    /// The SOP.
    pub id: String,
    /// Its title.
    pub title: String,
    /// The version to know now.
    pub version: DocVersion,
    /// The person's name.
    pub name: String,
    /// The person's e-mail address.
    pub email: String,
    /// The audience roles of the SOP the person holds.
    pub roles: Vec<String>,
    /// Where they stand.
    pub state: State,
}

/// An SOP as the matrix needs it.
#[derive(Debug, Clone)]
pub struct Subject {
    /// The ID.
    pub id: String,
    /// The title.
    pub title: String,
    /// The roles that must train (`audience`).
    pub audience: Vec<String>,
    /// What it asks today; `None` for a withdrawn or unreleased SOP.
    pub requirement: Option<Requirement>,
}

/// The audience roles of `subject` that `person` holds (by role only, without regard to
/// capitals).
fn roles_held(person: &Person, subject: &Subject) -> Vec<String> {
    subject
        .audience
        .iter()
        .filter(|role| person.roles.iter().any(|r| r.eq_ignore_ascii_case(role)))
        .cloned()
        .collect()
}

/// Where the person whose file is `key` ([`super::file_name`]) stands on `subject` given the
/// acknowledgements `acks` (`None` when the SOP asks nothing).
fn state_of(acks: &Acks, key: &str, subject: &Subject, today: Date) -> Option<State> {
    let req = subject.requirement.as_ref()?;
    let counted: Option<&Brief> = acks
        .of(key, &subject.id)
        .iter()
        .filter(|a| a.version >= req.since && a.version <= req.target.version)
        .max_by(|a, b| a.version.cmp(&b.version));
    Some(match counted {
        Some(ack) => State::Trained {
            version: ack.version.clone(),
            date: ack.date,
        },
        None if today <= req.due => State::Pending { due: req.due },
        None => State::Overdue { due: req.due },
    })
}

/// The matrix: every registered person who holds an audience role of a subject, by SOP and
/// then by name.
pub fn matrix(registry: &Registry, acks: &Acks, subjects: &[Subject], today: Date) -> Vec<Cell> {
    let mut cells = Vec::new();
    let mut people: Vec<(&Person, String)> = registry
        .people
        .iter()
        .map(|p| (p, super::file_name(&p.email)))
        .collect();
    people.sort_by(|(a, _), (b, _)| a.name.cmp(&b.name).then(a.email.cmp(&b.email)));
    for subject in subjects {
        let Some(req) = &subject.requirement else {
            continue;
        };
        for (person, key) in &people {
            let roles = roles_held(person, subject);
            if roles.is_empty() {
                continue;
            }
            let Some(state) = state_of(acks, key, subject, today) else {
                continue;
            };
            cells.push(Cell {
                id: subject.id.clone(),
                title: subject.title.clone(),
                version: req.target.version.clone(),
                name: person.name.clone(),
                email: person.email.clone(),
                roles,
                state,
            });
        }
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(version: &str, date: &str, retrain: Option<bool>) -> ReleaseRecord {
        ReleaseRecord {
            version: DocVersion::parse(version).expect("version"),
            date: date.parse().expect("date"),
            recorded: date.parse().expect("date"),
            author: String::new(),
            summary: String::new(),
            approvals: Vec::new(),
            tag: String::new(),
            commit: String::new(),
            by_sopctl: true,
            adopted: false,
            retrain,
        }
    }

    fn day(d: &str) -> Date {
        d.parse().expect("day")
    }

    #[test]
    fn a_patch_or_a_no_retrain_release_keeps_earlier_training_and_a_minor_one_asks_again() {
        let mut releases = Releases {
            records: vec![record("1.0", "2026-01-10", None)],
            skipped: Vec::new(),
        };
        let req = requirement(&releases, day("2026-01-20"), 30, false).expect("req");
        assert_eq!(req.since.to_string(), "1.0");
        assert_eq!(req.due, day("2026-02-09"));
        releases.records.push(record("1.0.1", "2026-02-01", None));
        let req = requirement(&releases, day("2026-02-02"), 30, false).expect("req");
        assert_eq!(req.since.to_string(), "1.0");
        assert_eq!(req.target.version.to_string(), "1.0.1");
        let req = requirement(&releases, day("2026-02-02"), 30, true).expect("req");
        assert_eq!(req.since.to_string(), "1.0.1");
        releases
            .records
            .push(record("1.1", "2026-03-01", Some(false)));
        let req = requirement(&releases, day("2026-03-02"), 30, false).expect("req");
        assert_eq!(req.since.to_string(), "1.0");
        let mut ahead = record("1.2", "2026-04-01", None);
        ahead.recorded = day("2026-03-15");
        releases.records.push(ahead);
        // Released ahead of its day: due on that day, before and after it.
        for today in ["2026-03-20", "2026-04-01", "2026-04-02"] {
            let req = requirement(&releases, day(today), 30, false).expect("req");
            assert_eq!(req.since.to_string(), "1.2");
            assert_eq!(req.due, day("2026-04-01"), "{today}");
        }
    }
}
