//! Calendars and dated events in the native format: the shipped example, and bad dates
//! refused with the file, the key and the fix.

use std::path::{Path, PathBuf};

use zopa_core::{parse_date, CalendarKey, EventTime};
use zopa_formats::{from_toml, load, to_toml, ReadOptions};

fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

#[test]
fn the_dated_example_loads_with_its_calendar() {
    let s = load(
        &repo("scenarios/examples/dated-talks.toml"),
        &ReadOptions::genius(),
    )
    .unwrap();
    let c = s.calendar.expect("a calendar");
    assert_eq!(c.start, parse_date("2026-03-02").unwrap());
    assert_eq!(c.days_per_round, 7);
    assert_eq!(c.end, Some(parse_date("2026-06-29").unwrap()));
    assert_eq!(c.rounds(), Some(17));
    let e = &s.events[0];
    assert_eq!(e.at, EventTime::Date(parse_date("2026-04-15").unwrap()));
    assert_eq!(e.at.describe(Some(&c)), "2026-04-15 (round 7)");
    assert_eq!(c.date_of(7), Some(parse_date("2026-04-20").unwrap()));
    assert!(s.notes.is_empty(), "{:?}", s.notes);
    // And it survives the round trip.
    let back = from_toml(Path::new("again.toml"), &to_toml(&s)).unwrap();
    assert_eq!(back, s);
}

const BASE: &str = r#"
name = "t"
[[issues]]
name = "x"
values = ["a", "b"]
[[parties]]
name = "A"
weights = { x = 1.0 }
evaluations = { x = { a = 0.0, b = 1.0 } }
[[parties]]
name = "B"
weights = { x = 1.0 }
evaluations = { x = { a = 1.0, b = 0.0 } }
"#;

fn load_text(extra: &str) -> Result<zopa_core::Scenario, zopa_formats::LoadError> {
    let dir = std::env::temp_dir().join(format!("zopa-calendar-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("c{:x}.toml", fxhash(extra)));
    std::fs::write(&path, format!("{BASE}{extra}")).unwrap();
    load(&path, &ReadOptions::genius())
}

fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

/// Every way to write a calendar or a date wrong: the error names the file, the key and how
/// to write it.
#[test]
fn bad_dates_are_refused_with_key_and_fix() {
    let dated = |date: &str| {
        format!("[calendar]\nstart = \"2025-11-15\"\n[[events]]\nname = \"loan\"\nparty = \"B\"\ndate = {date}\nshift = 0.07\n")
    };
    // (the TOML added, the place, the problem, the fix)
    let cases: Vec<(String, Option<&str>, &str, &str)> = vec![
        (
            "[calendar]\nstart = \"2025-11-31\"\n".into(),
            Some("key calendar.start"),
            "`2025-11-31` is not a date written YYYY-MM-DD (that month has no such day)",
            "write dates as YYYY-MM-DD, e.g. \"2025-11-15\"",
        ),
        (
            "[calendar]\nstart = \"15/11/2025\"\n".into(),
            Some("key calendar.start"),
            "`15/11/2025` is not a date written YYYY-MM-DD (expected four digits, a dash, two digits, a dash, two digits)",
            "write dates as YYYY-MM-DD, e.g. \"2025-11-15\"",
        ),
        (
            "[calendar]\nstart = 2025-11-15T10:00:00\n".into(),
            Some("key calendar.start"),
            "expected a date, found the date and time 2025-11-15T10:00:00",
            "write dates as YYYY-MM-DD, e.g. \"2025-11-15\"",
        ),
        (
            "[calendar]\nstart = 20251115\n".into(),
            Some("key calendar.start"),
            "expected a date, found integer",
            "write dates as YYYY-MM-DD, e.g. \"2025-11-15\"",
        ),
        (
            "[calendar]\nstart = \"2025-11-15\"\nend = \"2026-1-31\"\n".into(),
            Some("key calendar.end"),
            "`2026-1-31` is not a date written YYYY-MM-DD (expected four digits, a dash, two digits, a dash, two digits)",
            "write dates as YYYY-MM-DD, e.g. \"2025-11-15\"",
        ),
        (
            "[calendar]\nend = \"2026-01-31\"\n".into(),
            Some("key calendar"),
            "the calendar has no `start`",
            "add `start = \"YYYY-MM-DD\"`, the date of round 0",
        ),
        (
            "[calendar]\nstart = \"2025-11-15\"\ndays_per_round = -7\n".into(),
            Some("key calendar.days_per_round"),
            "expected a whole number of days, found -7",
            "write `days_per_round = 1` for daily rounds, 7 for weekly ones",
        ),
        (
            "[calendar]\nstart = \"2025-11-15\"\nround = \"1 week\"\n".into(),
            Some("key calendar.round"),
            "[calendar] has no key `round`",
            "the calendar takes `start` (the date of round 0), `days_per_round` and `end`",
        ),
        (
            dated("\"2025-12-32\""),
            Some("key events.loan.date"),
            "`2025-12-32` is not a date written YYYY-MM-DD (that month has no such day)",
            "write dates as YYYY-MM-DD, e.g. \"2025-11-15\"",
        ),
        (
            dated("\"2025-12-18\"\nround = 3"),
            Some("key events.loan"),
            "an event needs exactly one of `at` (relative time in [0, 1]), `round` (a round number ≥ 0) or `date` (with a [calendar])",
            "write `at = 0.5`, `round = 10` or `date = \"2025-12-18\"`",
        ),
        // What holds together is `Scenario::validate`'s to say, with the key and the fix.
        (
            "[calendar]\nstart = \"2025-11-15\"\ndays_per_round = 0\n".into(),
            None,
            "calendar, key `days_per_round`: 0 days per round would put every round on the same date; write `days_per_round = 1` (or more)",
            "correct the scenario so that it holds together",
        ),
        (
            "[calendar]\nstart = \"2025-11-15\"\nend = \"2025-11-01\"\n".into(),
            None,
            "calendar, key `end`: the end 2025-11-01 is before the start 2025-11-15; put `end` on or after `start`",
            "correct the scenario so that it holds together",
        ),
        (
            dated("\"2025-11-01\""),
            None,
            "event `loan`: its date 2025-11-01 is before the calendar's start 2025-11-15; date it on or after the start, or move `start` earlier",
            "correct the scenario so that it holds together",
        ),
        (
            "[[events]]\nname = \"loan\"\nparty = \"B\"\ndate = \"2025-12-18\"\nshift = 0.07\n".into(),
            None,
            "event `loan`: it is dated 2025-12-18 but the scenario has no calendar; add a [calendar] section with `start = \"YYYY-MM-DD\"` (the date of round 0), or place the event with `at` or `round`",
            "correct the scenario so that it holds together",
        ),
    ];
    for (extra, place, problem, fix) in cases {
        let e = load_text(&extra).expect_err(&extra);
        assert!(
            e.path.ends_with(format!("c{:x}.toml", fxhash(&extra))),
            "{e}"
        );
        assert_eq!(e.place.as_deref(), place, "{extra}");
        assert_eq!(e.problem, problem, "{extra}");
        assert_eq!(e.fix.as_deref(), Some(fix), "{extra}");
    }
}

#[test]
fn dates_may_be_text_or_toml_dates_and_days_per_round_defaults_to_one() {
    let s = load_text(
        "[calendar]\nstart = 2025-11-15\nend = \"2026-01-31\"\n[[events]]\nname = \"loan\"\nparty = \"B\"\ndate = 2025-12-18\nshift = 0.07\n",
    )
    .unwrap();
    let c = s.calendar.unwrap();
    assert_eq!(c.days_per_round, 1);
    assert_eq!(c.rounds(), Some(77));
    assert_eq!(c.round_of(parse_date("2025-12-18").unwrap()), Some(33));
    assert_eq!(CalendarKey::DaysPerRound.to_string(), "days_per_round");
    let written = to_toml(&s);
    assert!(
        written.contains(
            "[calendar]\nstart = \"2025-11-15\"\ndays_per_round = 1\nend = \"2026-01-31\"\n"
        ),
        "{written}"
    );
    assert!(written.contains("date = \"2025-12-18\"\n"), "{written}");
}

/// An event may end: `until` (relative time), `until_round` or `until_date`, read back as
/// written; mixing is fine where rounds order the two (a round and a date), and every bad
/// end is refused with the key and the fix.
#[test]
fn events_end_by_time_round_or_date() {
    let event = |when: &str| {
        format!("[calendar]\nstart = \"2025-11-15\"\ndays_per_round = 7\n[[events]]\nname = \"aid\"\nparty = \"B\"\nshift = 0.07\n{when}\n")
    };
    for (when, at, until) in [
        ("at = 0.2\nuntil = 0.8", "t = 0.2", "t = 0.8"),
        (
            "round = 2\nuntil_round = 40",
            "round 2 (2025-11-29)",
            "round 40 (2026-08-22)",
        ),
        (
            "date = \"2025-11-20\"\nuntil_date = 2026-01-10",
            "2025-11-20 (round 1)",
            "2026-01-10 (round 8)",
        ),
        (
            "round = 1\nuntil_date = \"2025-11-23\"",
            "round 1 (2025-11-22)",
            "2025-11-23 (round 2)",
        ),
    ] {
        let s = load_text(&event(when)).unwrap_or_else(|e| panic!("{when}: {e}"));
        let (e, c) = (&s.events[0], s.calendar.as_ref());
        assert_eq!(e.at.describe(c), at);
        assert_eq!(e.until.map(|u| u.describe(c)).as_deref(), Some(until));
        let back = from_toml(Path::new("again.toml"), &to_toml(&s)).unwrap();
        assert_eq!(back, s, "{when}");
    }
    assert_eq!(load_text(&event("at = 0.2")).unwrap().events[0].until, None);

    // (the timing, the place, the problem, the fix)
    let fix = "write `until = 0.8`, `until_round = 40` or `until_date = \"2026-01-10\"`";
    let cases = [
        (
            "at = 0.2\nuntil = 0.8\nuntil_round = 3",
            Some("key events.aid"),
            "an event ends with at most one of `until` (relative time in [0, 1]), `until_round` (a round number ≥ 0) or `until_date` (with a [calendar])",
            fix,
        ),
        (
            "round = 1\nuntil_round = -3",
            Some("key events.aid"),
            "an event ends with at most one of `until` (relative time in [0, 1]), `until_round` (a round number ≥ 0) or `until_date` (with a [calendar])",
            fix,
        ),
        (
            "at = 0.2\nuntil = \"later\"",
            Some("key events.aid.until"),
            "expected a number, found string",
            "write a number such as 0.5",
        ),
        (
            "round = 1\nuntil_date = \"2026-02-30\"",
            Some("key events.aid.until_date"),
            "`2026-02-30` is not a date written YYYY-MM-DD (that month has no such day)",
            "write dates as YYYY-MM-DD, e.g. \"2025-11-15\"",
        ),
        (
            "at = 0.5\nuntil = 0.5",
            None,
            "event `aid`: it ends at t = 0.5, not after it starts at t = 0.5; put `until` after `at`",
            "correct the scenario so that it holds together",
        ),
        (
            "date = \"2025-11-20\"\nuntil_date = \"2025-11-22\"",
            None,
            "event `aid`: it ends at 2025-11-22 (round 1), not in a round after it starts (2025-11-20 (round 1)); end it in a later round (a date counts from the first round on or after it)",
            "correct the scenario so that it holds together",
        ),
        (
            "at = 0.1\nuntil_round = 4",
            None,
            "event `aid`: it starts at t = 0.1 and ends at round 4 (2025-12-13): relative time cannot be ordered with rounds or dates before a run (it depends on the run's deadline); use `at` with `until`, or `round`/`date` with `until_round`/`until_date`",
            "correct the scenario so that it holds together",
        ),
    ];
    for (when, place, problem, fix) in cases {
        let extra = event(when);
        let e = load_text(&extra).expect_err(when);
        assert_eq!(e.place.as_deref(), place, "{when}");
        assert_eq!(e.problem, problem, "{when}");
        assert_eq!(e.fix.as_deref(), Some(fix), "{when}");
    }
}
