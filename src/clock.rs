//! TODAY: what day it is, counted in the repository's one reference time zone (`cases/` B34).
//!
//! Takes a [`Clock`] (an instant, or a fixed day) and a time zone (`timezone` in sopctl.toml,
//! an IANA name such as `Europe/Berlin`; default [`DEFAULT_ZONE`]) and returns the calendar
//! date there. Every date sopctl writes comes from that date, never from the machine's local
//! zone: the effective date of a release, the date of a review, and the "today" that decides
//! whether a review is overdue in `list`, `check` and on the site. So two people who release
//! seconds apart in Kiritimati (UTC+14) and Los Angeles (UTC−8) write the same date, and dates
//! never go backwards from one release to the next.
//!
//! Zone names are looked up in the copy of the IANA time zone database built into sopctl
//! (jiff's `tzdb-bundle-always`), not in the machine's `/usr/share/zoneinfo`: a date does not
//! depend on whether a machine has the zone files or how old they are. A new sopctl release
//! brings a newer copy.
//!
//! This module does not read the environment or the system clock: the command line makes the
//! [`Clock`] (`SOPCTL_TODAY`, else the instant git records for a commit).

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::{TimeZone, TimeZoneDatabase};

/// The reference zone when `timezone` is not set.
pub const DEFAULT_ZONE: &str = "UTC";

/// What time it is for a command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// An instant: now, or the commit time git will record (`GIT_COMMITTER_DATE`). Its date
    /// depends on the zone it is counted in.
    At(Timestamp),
    /// A fixed day, whatever the zone (`SOPCTL_TODAY=YYYY-MM-DD`, for tests and demos).
    Day(Date),
}

impl Clock {
    /// Today's date in `zone`.
    pub fn today(&self, zone: &TimeZone) -> Date {
        match self {
            Clock::At(instant) => zone.to_datetime(*instant).date(),
            Clock::Day(day) => *day,
        }
    }
}

impl From<Date> for Clock {
    fn from(day: Date) -> Clock {
        Clock::Day(day)
    }
}

/// A zone name that the IANA time zone database does not hold.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("\"{name}\" is not a time zone name{}", suggestion.as_ref().map(|s| format!("; did you mean \"{s}\"?")).unwrap_or_default())]
pub struct UnknownZone {
    /// The name as written.
    pub name: String,
    /// A zone name it is probably a typo or a short form of (`Berlin`: `Europe/Berlin`).
    pub suggestion: Option<String>,
}

/// The zone of an IANA time zone name (`Europe/Berlin`, `America/New_York`, `UTC`; any case),
/// from the database built into sopctl.
///
/// # Errors
/// [`UnknownZone`] for a name the database does not hold, and for `Etc/Unknown` (the
/// database's name for "no zone").
pub fn zone(name: &str) -> Result<TimeZone, UnknownZone> {
    let found = TimeZoneDatabase::bundled()
        .get(name.trim())
        .ok()
        .filter(|tz| !tz.is_unknown());
    found.ok_or_else(|| UnknownZone {
        name: name.to_string(),
        suggestion: suggest(name),
    })
}

/// The zone's name as shown in messages (`UTC`, `Europe/Berlin`).
pub fn zone_name(zone: &TimeZone) -> &str {
    zone.iana_name().unwrap_or(DEFAULT_ZONE)
}

/// The zone name `name` most probably means: the one whose last part it is (`Berlin`,
/// `new york`), else the nearest by spelling (`Europe/Berln`).
fn suggest(name: &str) -> Option<String> {
    let names: Vec<String> = TimeZoneDatabase::bundled()
        .available()
        .map(|n| n.as_str().to_string())
        .collect();
    let city = name.trim().replace(' ', "_");
    if city.is_empty() {
        return None;
    }
    names
        .iter()
        .find(|n| {
            n.contains('/')
                && n.rsplit('/')
                    .next()
                    .is_some_and(|last| last.eq_ignore_ascii_case(&city))
        })
        .cloned()
        .or_else(|| {
            crate::suggest::nearest(name.trim(), names.iter().map(String::as_str))
                .map(str::to_string)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2026-01-15 11:30 UTC.
    fn instant() -> Timestamp {
        "2026-01-15T11:30:00Z".parse().expect("instant")
    }

    #[test]
    fn an_instant_is_counted_in_the_reference_zone() {
        let at = Clock::At(instant());
        let day = |name: &str| at.today(&zone(name).expect(name)).to_string();
        assert_eq!(day("UTC"), "2026-01-15");
        assert_eq!(day("Pacific/Kiritimati"), "2026-01-16");
        assert_eq!(day("America/Los_Angeles"), "2026-01-15");
        assert_eq!(day("Pacific/Pago_Pago"), "2026-01-15");
        let early = Clock::At("2026-01-15T05:00:00Z".parse().expect("instant"));
        assert_eq!(
            early
                .today(&zone("America/Los_Angeles").expect("LA"))
                .to_string(),
            "2026-01-14"
        );
    }

    #[test]
    fn a_fixed_day_is_the_same_in_every_zone() {
        let day = Clock::from(jiff::civil::date(2026, 1, 15));
        for name in ["UTC", "Pacific/Kiritimati", "America/Los_Angeles"] {
            assert_eq!(
                day.today(&zone(name).expect(name)).to_string(),
                "2026-01-15"
            );
        }
    }

    #[test]
    fn names_are_read_in_any_case_and_shown_as_the_database_writes_them() {
        assert_eq!(
            zone_name(&zone("europe/berlin").expect("Berlin")),
            "Europe/Berlin"
        );
        assert_eq!(zone_name(&zone("utc").expect("UTC")), "UTC");
        assert_eq!(zone_name(&zone(" UTC ").expect("UTC")), "UTC");
    }

    #[test]
    fn unknown_names_are_refused_with_the_likely_zone() {
        let refused = |name: &str| zone(name).expect_err(name).to_string();
        assert_eq!(
            refused("Europe/Berln"),
            "\"Europe/Berln\" is not a time zone name; did you mean \"Europe/Berlin\"?"
        );
        assert_eq!(
            refused("Berlin"),
            "\"Berlin\" is not a time zone name; did you mean \"Europe/Berlin\"?"
        );
        assert_eq!(
            refused("new york"),
            "\"new york\" is not a time zone name; did you mean \"America/New_York\"?"
        );
        assert_eq!(refused("local"), "\"local\" is not a time zone name");
        assert_eq!(
            refused("Etc/Unknown"),
            "\"Etc/Unknown\" is not a time zone name"
        );
        assert_eq!(refused(""), "\"\" is not a time zone name");
    }
}
