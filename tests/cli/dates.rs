//! Dates: one reference time zone (`timezone` in sopctl.toml) decides what today is for every
//! date sopctl writes, whatever the machine's zone (issue 14 item 4, `cases/` B34); effective
//! dates never go backwards.

use crate::errors::refused;
use crate::harness::{TestEnv, json_column, released_sop, sop};

/// 11:30 UTC: already the 16th in Kiritimati (UTC+14), still the 15th in Los Angeles (UTC−8).
const NOW: &str = "2026-01-15T11:30:00Z";
const KIRITIMATI: &str = "Pacific/Kiritimati";
const LOS_ANGELES: &str = "America/Los_Angeles";

/// Runs the B34 case at [`NOW`], with `timezone = zone` when given; returns the repository.
fn b34(env: &TestEnv, zone: Option<&str>) -> std::path::PathBuf {
    let dir = env.path("b34");
    let mut vars = vec![("NOW", NOW)];
    if let Some(zone) = zone {
        vars.push(("ZONE", zone));
    }
    env.script_with(
        "cases/B34-timezone-dates.sh",
        &[&dir.display().to_string(), KIRITIMATI, LOS_ANGELES],
        &vars,
    );
    dir.join("repo")
}

/// Every date B34 leaves behind: the front matter, the revision table, `log` under three
/// machine zones, the tags and the review record.
fn assert_every_date_is(env: &TestEnv, repo: &std::path::Path, day: &str) {
    let text = std::fs::read_to_string(repo.join("sops/SOP-034.md")).expect("SOP");
    assert!(text.contains(&format!("\neffective: {day}\n")), "{text}");
    assert!(
        text.ends_with(&format!(
            "| 1.0 | {day} | First issue | Test Author |\n| 1.1 | {day} | Reword step | Test Author |\n"
        )),
        "{text}"
    );
    for zone in ["UTC", KIRITIMATI, LOS_ANGELES] {
        let log = env.run_in(repo, &["log", "--json"], &[("TZ", zone)]);
        log.expect_code(0);
        assert_eq!(
            json_column(&log.stdout, "date"),
            [day, day],
            "log under {zone}"
        );
    }
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(repo)
            .output()
            .expect("git");
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let tag = git(&["cat-file", "-p", "SOP-034/v1.1.0"]);
    assert!(tag.contains(&format!("\nDate: {day}\n")), "{tag}");
    let review = git(&["log", "-1", "--format=%B"]);
    assert!(
        review.contains(&format!("\nReview-Date: {day}\n")),
        "{review}"
    );
}

// See: cases/README.md B34 — two releases seconds apart on machines in UTC+14 and UTC−8.
// Before, 1.0 was dated the 16th (Kiritimati's day) and 1.1 the 15th (Los Angeles' day).
#[test]
fn b34_releases_seconds_apart_in_two_zones_carry_the_same_utc_date() {
    let env = TestEnv::new();
    let repo = b34(&env, None);
    assert_every_date_is(&env, &repo, "2026-01-15");
}

// See: cases/README.md B34 — the repository's reference zone, not a machine's, makes the date.
#[test]
fn b34_the_timezone_setting_decides_the_day_for_every_releaser() {
    let env = TestEnv::new();
    let repo = b34(&env, Some(KIRITIMATI));
    assert_every_date_is(&env, &repo, "2026-01-16");
}

#[test]
fn the_reference_zone_decides_whether_a_review_is_overdue() {
    let env = TestEnv::repo();
    env.write(
        "sops/a.md",
        sop("SOP-1", "Alpha").replace("effective: 2025-11-08", "effective: 2025-01-15"),
    );
    env.commit("Add SOP-1");
    let list = |zone_setting: &str, machine: &str| {
        env.write("sopctl.toml", zone_setting);
        let run = env.run_at(NOW, &["list", "--json"], &[("TZ", machine)]);
        run.expect_code(0);
        let v: serde_json::Value = serde_json::from_str(&run.stdout).expect("json");
        (v[0]["next_review"].clone(), v[0]["overdue"].clone())
    };
    // Due on the 15th: on time in UTC, whichever zone the machine is in...
    assert_eq!(list("", KIRITIMATI), ("2026-01-15".into(), false.into()));
    // ...and a day late where the repository says it is already the 16th.
    assert_eq!(
        list("timezone = \"Pacific/Kiritimati\"\n", LOS_ANGELES),
        ("2026-01-15".into(), true.into())
    );
}

#[test]
fn a_review_dated_after_today_in_the_reference_zone_is_refused() {
    let env = released_sop();
    let before = env.snapshot();
    // The machine's day (Kiritimati) is the 16th; the repository's (UTC) is the 15th.
    let run = env.run_at(
        NOW,
        &["review", "-m", "Checked", "--date", "2026-01-16"],
        &[("TZ", KIRITIMATI)],
    );
    run.expect_code(2);
    assert_eq!(
        run.stderr,
        "error: --date 2026-01-16 is after today (2026-01-15 in the time zone UTC); record a review once it has taken place\n\
         hint: leave out --date to record it today; `timezone` in sopctl.toml sets the time zone sopctl counts days in\n"
    );
    assert_eq!(env.snapshot(), before);
}

#[test]
fn a_release_dated_today_before_the_last_release_is_refused() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    // Released ahead of time, to take effect on the 20th.
    env.run(&["release", "-m", "First", "--date", "2026-01-20"])
        .expect_code(0);
    env.write(
        "sops/a.md",
        env.read("sops/a.md").replace("Why.", "Why not."),
    );
    env.commit("Edit");
    assert_eq!(
        refused(&env, &["release", "--minor", "-m", "Second"], 1),
        "error: SOP-1 cannot be released (1 problem); nothing was changed\n\
         \x20 1. the effective date would be today, 2026-01-15 (in the time zone UTC), which is before the last release 1.0 (2026-01-20)\n\
         \x20    hint: give an effective date on or after the last release's, e.g.  --effective 2026-01-20  (a release waiting for its effective date is replaced by one taking effect on the same day or later)\n"
    );
    env.run(&["release", "--minor", "-m", "Second", "--date", "2026-01-20"])
        .expect_code(0);
}

#[test]
fn an_unknown_time_zone_is_a_settings_error_naming_the_line() {
    let env = TestEnv::repo();
    env.write("sops/a.md", sop("SOP-1", "Alpha"));
    env.commit("Add SOP-1");
    for (setting, message) in [
        (
            "organization = \"ACME\"\ntimezone = \"Europe/Berln\"\n",
            "error: sopctl.toml:2:12: `timezone` \"Europe/Berln\" is not a time zone name; did you mean \"Europe/Berlin\"?\n",
        ),
        (
            "timezone = \"Berlin\"\n",
            "error: sopctl.toml:1:12: `timezone` \"Berlin\" is not a time zone name; did you mean \"Europe/Berlin\"?\n",
        ),
        (
            "timezone = \"local\"\n",
            "error: sopctl.toml:1:12: `timezone` \"local\" is not a time zone name\n",
        ),
    ] {
        env.write("sopctl.toml", setting);
        assert_eq!(
            refused(&env, &["check"], 1),
            format!(
                "{message}hint: write a name of the IANA time zone database, e.g.  timezone = \"Europe/Berlin\"  or  timezone = \"America/New_York\"; without the setting sopctl counts days in UTC\n"
            ),
            "{setting}"
        );
    }
    env.write("sopctl.toml", "timezone = 1\n");
    assert_eq!(
        refused(&env, &["check"], 1),
        "error: sopctl.toml:1:12: `timezone` must be text in quotes, e.g.  timezone = \"UTC\"\n"
    );
}
