//! A calendar: round k of a negotiation falls on a date.
//!
//! Real talks have dated events (a summit, a loan decision, a deadline). A scenario with a
//! [`Calendar`] lets an event be placed at a date; protocols still count rounds, and the
//! calendar says which round a date is. Dates are `jiff`'s civil (time-zone-free) dates;
//! every date zopa reads or writes is `YYYY-MM-DD`.

use std::fmt;

pub use jiff::civil::Date;

/// The dates of a negotiation's rounds: round k falls on `start + k · days_per_round` days.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Calendar {
    /// The date of round 0.
    pub start: Date,
    /// Days from one round to the next; at least 1 (`Scenario::validate` refuses 0).
    pub days_per_round: u32,
    /// The deadline, if any: the negotiation has the rounds that begin before it
    /// ([`Calendar::rounds`]).
    pub end: Option<Date>,
}

/// A date that is not written `YYYY-MM-DD` or does not exist.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{text}` is not a date written YYYY-MM-DD ({reason})")]
pub struct DateError {
    /// What was written.
    pub text: String,
    /// Why it is not a date.
    pub reason: String,
}

/// Reads a date written `YYYY-MM-DD` (four-digit year, two-digit month and day) and nothing
/// else: no times, no time zones, no `20251115`.
///
/// ```
/// use zopa_core::parse_date;
/// assert_eq!(parse_date("2025-12-18").unwrap().to_string(), "2025-12-18");
/// assert!(parse_date("2025-02-30").is_err());
/// assert!(parse_date("2025-12-18T10:00").is_err());
/// ```
pub fn parse_date(text: &str) -> Result<Date, DateError> {
    let bad = |reason: &str| DateError {
        text: text.to_string(),
        reason: reason.to_string(),
    };
    let b = text.as_bytes();
    let shaped = b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit());
    if !shaped {
        return Err(bad(
            "expected four digits, a dash, two digits, a dash, two digits",
        ));
    }
    // The shape guarantees the numbers fit: year ≤ 9999, month and day ≤ 99.
    let number = |s: &str| s.parse::<i16>().unwrap_or(0);
    let (year, month, day) = (number(&text[..4]), number(&text[5..7]), number(&text[8..]));
    Date::new(year, month as i8, day as i8).map_err(|_| {
        if !(1..=12).contains(&month) {
            bad("the month is not 01–12")
        } else {
            bad("that month has no such day")
        }
    })
}

/// Does `date` print as `YYYY-MM-DD` (years 0000–9999), so that [`parse_date`] reads it back?
pub(crate) fn writable(date: Date) -> bool {
    (0..=9999).contains(&date.year())
}

/// Whole days from `a` to `b` (negative when `b` is earlier).
fn days_between(a: Date, b: Date) -> i64 {
    // Civil dates have no time of day and no time zone: every day is 24 hours.
    a.duration_until(b).as_hours() / 24
}

impl Calendar {
    /// One round a day from `start`, no deadline.
    pub fn new(start: Date) -> Calendar {
        Calendar {
            start,
            days_per_round: 1,
            end: None,
        }
    }

    /// The date of `round` (round 0 is `start`); `None` past the last date `jiff` holds
    /// (9999-12-31).
    ///
    /// ```
    /// use zopa_core::{parse_date, Calendar};
    /// let c = Calendar { days_per_round: 7, ..Calendar::new(parse_date("2025-11-15").unwrap()) };
    /// assert_eq!(c.date_of(2).unwrap().to_string(), "2025-11-29");
    /// ```
    pub fn date_of(&self, round: u32) -> Option<Date> {
        let days = i64::from(round).checked_mul(i64::from(self.days_per_round))?;
        let span = jiff::Span::new().try_days(days).ok()?;
        self.start.checked_add(span).ok()
    }

    /// The first round whose date is on or after `date`: 0 for a date up to `start`; `None`
    /// only when `days_per_round` is 0 (a calendar `Scenario::validate` refuses).
    ///
    /// ```
    /// use zopa_core::{parse_date, Calendar};
    /// let c = Calendar { days_per_round: 7, ..Calendar::new(parse_date("2025-11-15").unwrap()) };
    /// assert_eq!(c.round_of(parse_date("2025-11-22").unwrap()), Some(1));
    /// assert_eq!(c.round_of(parse_date("2025-11-23").unwrap()), Some(2));
    /// ```
    pub fn round_of(&self, date: Date) -> Option<u32> {
        if self.days_per_round == 0 {
            return None;
        }
        let days = days_between(self.start, date);
        if days <= 0 {
            return Some(0);
        }
        // At most ~7.3·10^6 days between two dates jiff holds: the quotient fits.
        let per = i64::from(self.days_per_round);
        u32::try_from((days + per - 1) / per).ok()
    }

    /// The number of rounds before the deadline `end`: the rounds that begin before it,
    /// which is `round_of(end)` (a round on the deadline itself is past it). `None` without
    /// an `end`.
    ///
    /// ```
    /// use zopa_core::{parse_date, Calendar};
    /// let c = Calendar {
    ///     end: Some(parse_date("2026-01-31").unwrap()),
    ///     ..Calendar::new(parse_date("2025-11-15").unwrap())
    /// };
    /// assert_eq!(c.rounds(), Some(77));
    /// ```
    pub fn rounds(&self) -> Option<u32> {
        self.round_of(self.end?)
    }
}

/// `from 2025-11-15, 1 day per round, until 2026-01-31 (77 rounds)`.
impl fmt::Display for Calendar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = if self.days_per_round == 1 {
            "day"
        } else {
            "days"
        };
        write!(
            f,
            "from {}, {} {unit} per round",
            self.start, self.days_per_round
        )?;
        if let Some(end) = self.end {
            write!(f, ", until {end}")?;
            if let Some(r) = self.rounds() {
                let unit = if r == 1 { "round" } else { "rounds" };
                write!(f, " ({r} {unit})")?;
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    fn weekly(start: &str) -> Calendar {
        Calendar {
            days_per_round: 7,
            ..Calendar::new(d(start))
        }
    }

    #[test]
    fn dates_are_read_strictly() {
        for (text, ok) in [
            ("2025-11-15", true),
            ("2024-02-29", true),
            ("0000-01-01", true),
            ("2025-02-29", false),
            ("2025-13-01", false),
            ("2025-00-10", false),
            ("2025-1-15", false),
            ("20251115", false),
            ("2025-11-15T00:00", false),
            ("2025-11-15Z", false),
            (" 2025-11-15", false),
            ("+2025-11-15", false),
            ("2025-١١-15", false),
            ("", false),
        ] {
            assert_eq!(parse_date(text).is_ok(), ok, "{text:?}");
        }
        let e = parse_date("2025-02-30").unwrap_err();
        assert_eq!(
            e.to_string(),
            "`2025-02-30` is not a date written YYYY-MM-DD (that month has no such day)"
        );
    }

    #[test]
    fn rounds_and_dates_convert_both_ways() {
        let c = weekly("2025-11-15");
        for (round, date) in [(0, "2025-11-15"), (1, "2025-11-22"), (7, "2026-01-03")] {
            assert_eq!(c.date_of(round), Some(d(date)));
            assert_eq!(c.round_of(d(date)), Some(round));
        }
        // Between two rounds: the next one; before the start: round 0.
        assert_eq!(c.round_of(d("2025-11-16")), Some(1));
        assert_eq!(c.round_of(d("2025-11-21")), Some(1));
        assert_eq!(c.round_of(d("2020-01-01")), Some(0));
        // Leap days count.
        let daily = Calendar::new(d("2024-02-28"));
        assert_eq!(daily.date_of(2), Some(d("2024-03-01")));
        assert_eq!(daily.round_of(d("2024-03-01")), Some(2));
    }

    #[test]
    fn arithmetic_never_panics_at_the_edges() {
        let c = Calendar {
            days_per_round: u32::MAX,
            ..Calendar::new(d("9999-12-31"))
        };
        assert_eq!(c.date_of(u32::MAX), None);
        assert_eq!(c.date_of(0), Some(d("9999-12-31")));
        let zero = Calendar {
            days_per_round: 0,
            ..Calendar::new(d("2025-01-01"))
        };
        assert_eq!(zero.round_of(d("2025-06-01")), None);
        assert_eq!(zero.date_of(5), Some(d("2025-01-01")));
        let far = Calendar::new(d("0000-01-01"));
        assert_eq!(far.round_of(d("9999-12-31")), Some(3_652_424));
    }

    #[test]
    fn the_deadline_gives_the_rounds_before_it() {
        let daily = Calendar {
            end: Some(d("2026-01-31")),
            ..Calendar::new(d("2025-11-15"))
        };
        assert_eq!(daily.rounds(), Some(77));
        assert_eq!(
            daily.to_string(),
            "from 2025-11-15, 1 day per round, until 2026-01-31 (77 rounds)"
        );
        // 77 days are 11 weeks; one day more starts a 12th round.
        let mut c = weekly("2025-11-15");
        c.end = Some(d("2026-01-31"));
        assert_eq!(c.rounds(), Some(11));
        c.end = Some(d("2026-02-01"));
        assert_eq!(c.rounds(), Some(12));
        assert_eq!(weekly("2025-11-15").rounds(), None);
        assert_eq!(
            weekly("2025-11-15").to_string(),
            "from 2025-11-15, 7 days per round"
        );
    }
}
