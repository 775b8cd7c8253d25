//! Where each released version stands on a given day (issue 16): in force, pending (released
//! to take effect later), superseded by a later version, or withdrawn with its SOP; and what a
//! copy of a version no longer in force must say on every page.
//!
//! The rules, in one place for `list`, `check`, the site, controlled copies and `verify FILE`:
//!
//! - The version **in force** on a day is the newest release (semver precedence) whose
//!   effective date has come ([`crate::repo::Releases::current`]); nothing needs to be
//!   committed on the day a pending release takes effect.
//! - A release dated later is **pending** until its day; the version before stays in force.
//!   Effective dates never go backwards (`release` refuses), so a second release while one is
//!   pending takes effect on the same day or later; a pending release replaced by one of the
//!   same day is never in force, and is superseded by it.
//! - A version before the one in force is **superseded** by the first later release that has
//!   taken effect: `Superseded by version 1.1, effective 2026-03-01`. The successor named never
//!   changes once that version has taken effect, so a stamped copy stays the same after later
//!   releases.
//! - Every version of a **withdrawn** SOP (`sopctl retire`) is withdrawn: `Withdrawn: superseded
//!   by SOP-QA-010 Line clearance` or `Withdrawn: obsolete, no longer in use`.

use jiff::civil::Date;

use crate::doc::Status;
use crate::repo::{ReleaseRecord, Releases};
use crate::version::DocVersion;

/// Where a released version stands on a day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Standing {
    /// The version in force.
    InForce,
    /// Released to take effect on a later day.
    Pending {
        /// The day it takes effect.
        effective: Date,
    },
    /// A later version has taken effect.
    Superseded {
        /// The version that took over from it.
        by: DocVersion,
        /// The day that version took effect.
        effective: Date,
    },
    /// The SOP is withdrawn.
    Withdrawn {
        /// `superseded` or `obsolete`.
        status: Status,
        /// The SOP that replaces it (ID), for `superseded`.
        successor: Option<String>,
    },
}

/// How an SOP was withdrawn, as the standing of its versions needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withdrawal {
    /// `superseded` or `obsolete`.
    pub status: Status,
    /// The ID of the SOP that replaces it.
    pub successor: Option<String>,
}

impl Standing {
    /// Where `record`, one of `releases`, stands on `today`, for an SOP withdrawn as
    /// `withdrawal` (if it is).
    pub fn of(
        releases: &Releases,
        record: &ReleaseRecord,
        today: Date,
        withdrawal: Option<&Withdrawal>,
    ) -> Standing {
        if let Some(w) = withdrawal {
            return Standing::Withdrawn {
                status: w.status,
                successor: w.successor.clone(),
            };
        }
        if let Some(by) = releases.successor(record, today) {
            return Standing::Superseded {
                by: by.version.clone(),
                effective: by.date,
            };
        }
        if record.date > today {
            return Standing::Pending {
                effective: record.date,
            };
        }
        Standing::InForce
    }

    /// A word for `--json` and the site: `in-force`, `pending`, `superseded`, `withdrawn`.
    pub fn name(&self) -> &'static str {
        match self {
            Standing::InForce => "in-force",
            Standing::Pending { .. } => "pending",
            Standing::Superseded { .. } => "superseded",
            Standing::Withdrawn { .. } => "withdrawn",
        }
    }

    /// What a copy of the version must carry, when it is no longer in force: its status (the
    /// SUPERSEDED or OBSOLETE watermark) and the notice on every page. `title` gives a
    /// successor SOP's title by ID. `None` for a version in force or pending.
    pub fn stamp(&self, title: &dyn Fn(&str) -> Option<String>) -> Option<Stamp> {
        match self {
            Standing::InForce | Standing::Pending { .. } => None,
            Standing::Superseded { by, effective } => Some(Stamp {
                status: Status::Superseded,
                notice: format!("Superseded by version {by}, effective {effective}"),
            }),
            Standing::Withdrawn {
                status,
                successor: Some(successor),
            } => Some(Stamp {
                status: *status,
                notice: match title(successor).filter(|t| !t.trim().is_empty()) {
                    Some(t) => format!("Withdrawn: superseded by {successor} {}", t.trim()),
                    None => format!("Withdrawn: superseded by {successor}"),
                },
            }),
            Standing::Withdrawn {
                status,
                successor: None,
            } => Some(Stamp {
                status: *status,
                notice: format!("Withdrawn: {status}, no longer in use"),
            }),
        }
    }
}

/// What a copy of a version no longer in force says: the status that gives its watermark, and
/// the notice printed on every page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    /// `superseded` or `obsolete`.
    pub status: Status,
    /// `Superseded by version 1.1, effective 2026-03-01`.
    pub notice: String,
}

impl Stamp {
    /// The word a stamped copy's file name ends in: `SOP-1-v1.0-superseded.pdf`.
    pub fn suffix(&self) -> String {
        self.status.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(version: &str, date: &str) -> ReleaseRecord {
        recorded(version, date, date)
    }

    /// A release of `version` effective on `date`, recorded on `on`.
    fn recorded(version: &str, date: &str, on: &str) -> ReleaseRecord {
        ReleaseRecord {
            version: DocVersion::parse(version).expect("version"),
            date: date.parse().expect("date"),
            recorded: on.parse().expect("day"),
            author: String::new(),
            summary: String::new(),
            approvals: Vec::new(),
            tag: format!("SOP-1/v{version}"),
            commit: "0".repeat(40),
            by_sopctl: true,
            adopted: false,
            retrain: None,
        }
    }

    fn day(d: &str) -> Date {
        d.parse().expect("date")
    }

    #[test]
    fn a_pending_release_leaves_the_one_before_in_force_until_its_day() {
        let releases = Releases {
            records: vec![
                record("1.0", "2026-01-10"),
                record("1.1", "2026-03-01"),
                record("1.2", "2026-12-07"),
            ],
            skipped: Vec::new(),
        };
        let [a, b, c] = [0, 1, 2].map(|i| releases.records[i].clone());
        let before = day("2026-12-06");
        assert_eq!(
            releases.current(before).map(|r| r.version.to_string()),
            Some("1.1".into())
        );
        assert_eq!(
            releases.latest().map(|r| r.version.to_string()),
            Some("1.2".into())
        );
        assert_eq!(Standing::of(&releases, &b, before, None), Standing::InForce);
        assert_eq!(
            Standing::of(&releases, &c, before, None),
            Standing::Pending {
                effective: day("2026-12-07")
            }
        );
        // 1.0 stays superseded by 1.1, whatever comes later.
        let by_11 = Standing::Superseded {
            by: DocVersion::parse("1.1").expect("v"),
            effective: day("2026-03-01"),
        };
        assert_eq!(Standing::of(&releases, &a, before, None), by_11);
        let on = day("2026-12-07");
        assert_eq!(Standing::of(&releases, &a, on, None), by_11);
        assert_eq!(Standing::of(&releases, &c, on, None), Standing::InForce);
        let stamp = Standing::of(&releases, &b, on, None)
            .stamp(&|_| None)
            .expect("stamp");
        assert_eq!(
            stamp.notice,
            "Superseded by version 1.2, effective 2026-12-07"
        );
        assert_eq!(stamp.suffix(), "superseded");
    }

    #[test]
    fn a_pending_release_replaced_before_its_day_is_never_in_force() {
        let releases = Releases {
            records: vec![
                record("1.0", "2026-01-10"),
                recorded("1.1", "2026-12-07", "2026-11-30"),
                recorded("1.2", "2026-12-07", "2026-12-01"),
            ],
            skipped: Vec::new(),
        };
        let b = releases.records[1].clone();
        let on = day("2026-12-07");
        assert_eq!(
            releases.current(on).map(|r| r.version.to_string()),
            Some("1.2".into())
        );
        assert!(matches!(
            Standing::of(&releases, &b, on, None),
            Standing::Superseded { .. }
        ));
        // Before the day, 1.1 waits no more: 1.2 replaced it, and its copies say so.
        let before = day("2026-12-01");
        let pending: Vec<String> = releases
            .pending(before)
            .iter()
            .map(|r| r.version.to_string())
            .collect();
        assert_eq!(pending, ["1.2"]);
        let stamp = Standing::of(&releases, &b, before, None)
            .stamp(&|_| None)
            .expect("stamp");
        assert_eq!(
            stamp.notice,
            "Superseded by version 1.2, effective 2026-12-07"
        );
        // 1.0 is superseded by 1.2, the version in force from that day.
        let a = releases.records[0].clone();
        assert_eq!(
            Standing::of(&releases, &a, on, None),
            Standing::Superseded {
                by: DocVersion::parse("1.2").expect("v"),
                effective: on
            }
        );
        assert!(releases.current(day("2026-01-09")).is_none());
        // Released one after the other on the day they take effect, each was in force in turn.
        let same_day = Releases {
            records: vec![
                record("1.0", "2026-01-15"),
                record("1.1", "2026-01-15"),
                record("1.2", "2026-01-15"),
            ],
            skipped: Vec::new(),
        };
        let first = same_day.records[0].clone();
        assert_eq!(
            Standing::of(&same_day, &first, day("2026-01-15"), None),
            Standing::Superseded {
                by: DocVersion::parse("1.1").expect("v"),
                effective: day("2026-01-15")
            }
        );
    }

    #[test]
    fn every_version_of_a_withdrawn_sop_names_its_successor_and_title() {
        let releases = Releases {
            records: vec![record("1.0", "2026-01-10")],
            skipped: Vec::new(),
        };
        let a = releases.records[0].clone();
        let withdrawn = Withdrawal {
            status: Status::Superseded,
            successor: Some("SOP-9".into()),
        };
        let stamp = Standing::of(&releases, &a, day("2026-02-01"), Some(&withdrawn))
            .stamp(&|id| (id == "SOP-9").then(|| "Line clearance".to_string()))
            .expect("stamp");
        assert_eq!(
            stamp.notice,
            "Withdrawn: superseded by SOP-9 Line clearance"
        );
        let obsolete = Withdrawal {
            status: Status::Obsolete,
            successor: None,
        };
        let stamp = Standing::of(&releases, &a, day("2026-02-01"), Some(&obsolete))
            .stamp(&|_| None)
            .expect("stamp");
        assert_eq!(stamp.notice, "Withdrawn: obsolete, no longer in use");
        assert_eq!(stamp.suffix(), "obsolete");
    }
}
