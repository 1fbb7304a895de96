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
