//! A negotiation scenario: issues and the parties who care about them.

use crate::calendar::{self, Calendar, Date};
use crate::issue::{Issue, IssueKind};
use crate::outside::{NoDeal, NoDealKey, NoDealProblem, OutsideOption, ReservationChange};
use crate::position::Shape;
use crate::restriction::{Condition, Exclusion};
use crate::text::Text;
use crate::utility::{Evaluator, UtilityFunction};

/// Where a party stands in the negotiation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// Sits at the table: makes and answers offers.
    Negotiator,
    /// Runs the procedure (proposes single texts); may have preferences of its own.
    Mediator,
    /// Affected and scored on every outcome, but not at the table.
    Stakeholder,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Negotiator => "negotiator",
            Role::Mediator => "mediator",
            Role::Stakeholder => "stakeholder",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        match s {
            "negotiator" => Some(Role::Negotiator),
            "mediator" => Some(Role::Mediator),
            "stakeholder" => Some(Role::Stakeholder),
            _ => None,
        }
    }
}

/// One party: its role, preferences, outside option and impatience.
#[derive(Debug, Clone, PartialEq)]
pub struct Party {
    pub name: String,
    pub role: Role,
    pub utility: UtilityFunction,
    /// Utility of walking away (the BATNA): a number, or the expected utility of a model of
    /// the no-deal path. `None` when the source file gave none; analysis treats a missing
    /// value as 0, as GENIUS does.
    pub reservation: Option<OutsideOption>,
    /// Per-unit-time discount factor d: U(ω, t) = U(ω)·d^t. `None` means no discounting.
    pub discount: Option<f64>,
    /// Utility lost per round of negotiation (a cost of delay, e.g. of continued war):
    /// U(ω, round) = U(ω)·d^t − cost·round. `None` means no cost.
    pub cost_per_round: Option<f64>,
    /// Free text: who this party is, where its numbers come from.
    pub description: Option<String>,
    /// Power to shape the outcome, for stakeholder models (SMP, EUM); `None` if not given.
    pub capability: Option<f64>,
    /// How much the party cares about each issue (0–100, summing to at most 100), for
    /// stakeholder models; `None`: its utility weights (which always sum to 1).
    pub salience: Option<Vec<f64>>,
    /// Conditions every outcome the party accepts meets (`crate::restriction`): an outcome
    /// that breaches one is worth no more to it than walking away, so it rejects it.
    pub red_lines: Vec<Condition>,
    /// Issues the party controls (indices): its red lines on them bind every agreement,
    /// whether or not it is at the table. Each carries at least one red line.
    pub controls: Vec<usize>,
}

impl Party {
    /// The reservation value as a number (missing ⇒ 0; a no-deal model ⇒ its expected
    /// utility).
    pub fn reservation_value(&self) -> f64 {
        self.reservation.map_or(0.0, |o| o.value())
    }

    /// The model of the no-deal path, when the reservation value comes from one.
    pub fn no_deal(&self) -> Option<&NoDeal> {
        self.reservation.as_ref().and_then(OutsideOption::model)
    }
}

/// Issues plus parties; everything analysis and protocols need.
#[derive(Debug, Clone, PartialEq)]
pub struct Scenario {
    pub name: String,
    pub description: Option<String>,
    pub issues: Vec<Issue>,
    pub parties: Vec<Party>,
    /// Scheduled changes of a party's outside option (threats, aid, a partner cutting support).
    pub events: Vec<ScenarioEvent>,
    /// The dates of the rounds, when the talks are real ones with dated events.
    pub calendar: Option<Calendar>,
    /// Named drafts (a 28-point plan, a counter-plan), each a complete outcome, in file order.
    pub texts: Vec<Text>,
    /// Combinations of options that cannot stand together in one text, for anyone.
    pub exclusions: Vec<Exclusion>,
    /// What the reader noticed and tolerated (ignored files, repaired XML, skipped profiles).
    pub notes: Vec<String>,
    /// How far the modelling assumptions may be off, for sensitivity sweeps
    /// ([`crate::Ranges`]); empty unless the scenario declares them.
    pub ranges: crate::Ranges,
}

/// When a scheduled event happens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EventTime {
    /// At relative time t ∈ [0, 1] of the negotiation.
    Relative(f64),
    /// At the start of this round (0-based).
    Round(u32),
    /// At the first round whose date is on or after this date (needs the scenario's
    /// [`Calendar`]).
    Date(Date),
}

/// A scheduled change of one party's reservation value, from `at` until (optionally) it ends.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioEvent {
    pub name: String,
    pub party: usize,
    pub at: EventTime,
    /// When the change ends (a threat withdrawn, aid that runs out): from then on the party's
    /// reservation value is as if the event had not happened. `None`: it lasts.
    /// `Scenario::validate` keeps it after `at`.
    pub until: Option<EventTime>,
    /// How it moves the party's outside option; `None` for an event that moves only what
    /// the party states.
    pub change: Option<ReservationChange>,
    /// Positions the party states from now on (a public shift: the Berlin talks), on issues
    /// it evaluates by position. A stance is what a party says, not what it wants: these move
    /// no utility. `Scenario::validate` refuses them on an event that ends.
    pub stances: Vec<StanceMove>,
    pub description: Option<String>,
}

/// A position a party states from an event on.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StanceMove {
    /// Index into [`Scenario::issues`].
    pub issue: usize,
    /// On the issue's position scale; one of its values' positions.
    pub position: f64,
}

impl StanceMove {
    /// `top-tax-rate = 45% (position 50)`.
    pub fn describe(&self, issues: &[Issue]) -> String {
        let Some(issue) = issues.get(self.issue) else {
            return format!("issue #{} = position {}", self.issue, self.position);
        };
        let value = issue
            .positions
            .as_ref()
            .and_then(|ps| ps.iter().position(|&p| p == self.position))
            .map(|k| format!("{} ", issue.display(crate::Value::Discrete(k as u32))));
        format!(
            "{} = {}(position {})",
            issue.name,
            value.unwrap_or_default(),
            self.position
        )
    }
}

impl ScenarioEvent {
    /// Has the event happened by `round` / relative `time`? ([`EventTime::reached`] of `at`.)
    pub fn started(&self, round: u32, time: f64, calendar: Option<&Calendar>) -> bool {
        self.at.reached(round, time, calendar)
    }

    /// Has the event ended by `round` / relative `time`? Never without an `until`. In a
    /// scenario that validates, an event that has ended has also started (`until` is after
    /// `at`), so a driver can undo the change the first time this turns true.
    ///
    /// ```
    /// use zopa_core::{EventTime, ReservationChange, ScenarioEvent};
    /// let threat = ScenarioEvent {
    ///     name: "threat".into(),
    ///     party: 0,
    ///     at: EventTime::Round(10),
    ///     until: Some(EventTime::Round(20)),
    ///     change: Some(ReservationChange::Shift(0.1)),
    ///     stances: Vec::new(),
    ///     description: None,
    /// };
    /// assert!(threat.started(10, 0.0, None) && !threat.ended(19, 0.0, None));
    /// assert!(threat.ended(20, 0.0, None));
    /// ```
    pub fn ended(&self, round: u32, time: f64, calendar: Option<&Calendar>) -> bool {
        self.until.is_some_and(|u| u.reached(round, time, calendar))
    }

    /// What the event does, for people: `reservation → 0.3`, `reservation -0.1`,
    /// `no-deal model: …`, `states nato = 67`, joined by `; `.
    pub fn effect(&self, issues: &[Issue]) -> String {
        let mut parts = Vec::new();
        match self.change {
            Some(ReservationChange::Set(v)) => {
                parts.push(format!("reservation → {}", crate::round_for_display(v)))
            }
            Some(ReservationChange::Shift(d)) => {
                parts.push(format!("reservation {:+}", crate::round_for_display(d)))
            }
            Some(ReservationChange::Model(c)) => parts.push(format!("no-deal model: {c}")),
            None => {}
        }
        for m in &self.stances {
            parts.push(format!("states {}", m.describe(issues)));
        }
        parts.join("; ")
    }

    /// Is the change in force at `round` / relative `time`: started and not yet ended?
    pub fn active(&self, round: u32, time: f64, calendar: Option<&Calendar>) -> bool {
        self.started(round, time, calendar) && !self.ended(round, time, calendar)
    }
}

impl EventTime {
    /// Has the event happened by `round` / relative `time`? A dated event happens at the
    /// first round whose date is on or after its date ([`Calendar::round_of`]); without a
    /// calendar (which `Scenario::validate` refuses) it never happens.
    pub fn reached(self, round: u32, time: f64, calendar: Option<&Calendar>) -> bool {
        match self {
            EventTime::Relative(t) => time >= t,
            EventTime::Round(r) => round >= r,
            EventTime::Date(d) => calendar
                .and_then(|c| c.round_of(d))
                .is_some_and(|r| round >= r),
        }
    }

    /// The round this time falls in: a round itself, or a date's round by the calendar
    /// ([`Calendar::round_of`]); `None` for a relative time (which depends on the run's
    /// deadline) and for a date without a calendar.
    pub fn round(self, calendar: Option<&Calendar>) -> Option<u32> {
        match self {
            EventTime::Relative(_) => None,
            EventTime::Round(r) => Some(r),
            EventTime::Date(d) => calendar.and_then(|c| c.round_of(d)),
        }
    }

    /// When, for people: `t = 0.5`, `round 10`, or with a calendar `round 10 (2025-11-25)`
    /// and `2025-12-18 (round 33)`.
    pub fn describe(self, calendar: Option<&Calendar>) -> String {
        match self {
            EventTime::Relative(t) => format!("t = {t}"),
            EventTime::Round(r) => match calendar.and_then(|c| c.date_of(r)) {
                Some(d) => format!("round {r} ({d})"),
                None => format!("round {r}"),
            },
            EventTime::Date(d) => match calendar.and_then(|c| c.round_of(d)) {
                Some(r) => format!("{d} (round {r})"),
                None => d.to_string(),
            },
        }
    }
}

/// A scenario that does not hold together.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ScenarioError {
    #[error("a scenario needs at least one issue")]
    NoIssues,
    #[error("a scenario needs at least two parties with preferences, found {0}")]
    TooFewParties(usize),
    #[error("two parties are both named `{0}`; give each party a unique name")]
    DuplicateParty(String),
    #[error("two issues are both named `{0}`; give each issue a unique name")]
    DuplicateIssue(String),
    #[error("issue `{issue}` has no values; list at least one value")]
    EmptyIssue { issue: String },
    #[error("issue `{issue}` has its lower bound {min} above its upper bound {max}")]
    InvertedRange { issue: String, min: f64, max: f64 },
    #[error("issue `{issue}` has bounds [{min}, {max}]; a real issue needs finite bounds")]
    NonFiniteRange { issue: String, min: f64, max: f64 },
    #[error("party `{party}` scores {found} issues but the scenario has {expected}")]
    IssueCountMismatch {
        party: String,
        expected: usize,
        found: usize,
    },
    #[error("party `{party}`, issue `{issue}`: {problem}")]
    BadEvaluator {
        party: String,
        issue: String,
        problem: String,
    },
    #[error("party `{party}`: {problem}")]
    BadParty { party: String, problem: String },
    #[error("party `{party}`, no-deal model: {problem}")]
    BadNoDeal {
        party: String,
        problem: NoDealProblem,
    },
    #[error("event `{event}`: {problem}")]
    BadEvent { event: String, problem: String },
    #[error("calendar, key `{key}`: {problem}")]
    BadCalendar { key: CalendarKey, problem: String },
    #[error("two texts are both named `{0}`; give each text a unique name")]
    DuplicateText(String),
    #[error("text `{text}`: {problem}")]
    BadText { text: String, problem: String },
    #[error("text `{text}`, issue `{issue}`: {problem}")]
    BadTextValue {
        text: String,
        issue: String,
        problem: String,
    },
    /// A red line or a controlled issue that does not hold together: `what` names it
    /// (``red line `x >= a` ``, ``controlled issue `x` ``).
    #[error("party `{party}`, {what}: {problem}")]
    BadRestriction {
        party: String,
        what: String,
        problem: String,
    },
    #[error("two exclusions are both named `{0}`; give each exclusion a unique name")]
    DuplicateExclusion(String),
    #[error("exclusion `{exclusion}`: {problem}")]
    BadExclusion { exclusion: String, problem: String },
}

/// The start or the end of an event, for errors that say which.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Edge {
    Start,
    End,
}

/// A key of the scenario's calendar, for errors that name it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CalendarKey {
    Start,
    DaysPerRound,
    End,
}

impl CalendarKey {
    pub fn as_str(self) -> &'static str {
        match self {
            CalendarKey::Start => "start",
            CalendarKey::DaysPerRound => "days_per_round",
            CalendarKey::End => "end",
        }
    }
}

impl std::fmt::Display for CalendarKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

fn validate_calendar(c: &Calendar) -> Result<(), ScenarioError> {
    let bad = |key: CalendarKey, problem: String| ScenarioError::BadCalendar { key, problem };
    if c.days_per_round == 0 {
        return Err(bad(
            CalendarKey::DaysPerRound,
            "0 days per round would put every round on the same date; write \
             `days_per_round = 1` (or more)"
                .into(),
        ));
    }
    for (key, date) in [
        (CalendarKey::Start, Some(c.start)),
        (CalendarKey::End, c.end),
    ] {
        if let Some(date) = date.filter(|&d| !calendar::writable(d)) {
            return Err(bad(
                key,
                format!("{date} is outside the years 0000–9999; write dates as YYYY-MM-DD"),
            ));
        }
    }
    if let Some(end) = c.end.filter(|&end| end < c.start) {
        return Err(bad(
            CalendarKey::End,
            format!(
                "the end {end} is before the start {}; put `end` on or after `start`",
                c.start
            ),
        ));
    }
    Ok(())
}

impl Scenario {
    /// Checks the invariants every consumer relies on.
    pub fn validate(&self) -> Result<(), ScenarioError> {
        if self.issues.is_empty() {
            return Err(ScenarioError::NoIssues);
        }
        if self.parties.len() < 2 {
            return Err(ScenarioError::TooFewParties(self.parties.len()));
        }
        for (i, a) in self.issues.iter().enumerate() {
            if self.issues[..i].iter().any(|b| b.name == a.name) {
                return Err(ScenarioError::DuplicateIssue(a.name.clone()));
            }
            match &a.kind {
                IssueKind::Discrete { values, .. } if values.is_empty() => {
                    return Err(ScenarioError::EmptyIssue {
                        issue: a.name.clone(),
                    })
                }
                IssueKind::Integer { min, max } if min > max => {
                    return Err(ScenarioError::InvertedRange {
                        issue: a.name.clone(),
                        min: *min as f64,
                        max: *max as f64,
                    })
                }
                IssueKind::Real { min, max } if !min.is_finite() || !max.is_finite() => {
                    return Err(ScenarioError::NonFiniteRange {
                        issue: a.name.clone(),
                        min: *min,
                        max: *max,
                    })
                }
                IssueKind::Real { min, max } if min.partial_cmp(max).is_none_or(|o| o.is_gt()) => {
                    return Err(ScenarioError::InvertedRange {
                        issue: a.name.clone(),
                        min: *min,
                        max: *max,
                    })
                }
                _ => {}
            }
        }
        for (i, p) in self.parties.iter().enumerate() {
            if self.parties[..i].iter().any(|q| q.name == p.name) {
                return Err(ScenarioError::DuplicateParty(p.name.clone()));
            }
            self.validate_party(p)?;
        }
        if let Some(c) = &self.calendar {
            validate_calendar(c)?;
        }
        for e in &self.events {
            let Some(p) = self.parties.get(e.party) else {
                return Err(ScenarioError::BadEvent {
                    event: e.name.clone(),
                    problem: format!("party #{} does not exist", e.party),
                });
            };
            for (edge, time) in [(Edge::Start, Some(e.at)), (Edge::End, e.until)] {
                match time {
                    Some(EventTime::Relative(t)) if !(0.0..=1.0).contains(&t) => {
                        return Err(ScenarioError::BadEvent {
                            event: e.name.clone(),
                            problem: format!(
                                "{} {t} is outside [0, 1]",
                                match edge {
                                    Edge::Start => "relative time",
                                    Edge::End => "its end, relative time",
                                }
                            ),
                        });
                    }
                    Some(EventTime::Date(d)) => self.validate_date(&e.name, d, edge)?,
                    _ => {}
                }
            }
            self.validate_end(e)?;
            self.validate_stances(e, p)?;
            let v = match e.change {
                None => continue,
                Some(ReservationChange::Set(v) | ReservationChange::Shift(v)) => v,
                Some(ReservationChange::Model(c)) => {
                    p.check_no_deal_change(&c)
                        .map_err(|problem| ScenarioError::BadEvent {
                            event: e.name.clone(),
                            problem: problem.to_string(),
                        })?;
                    continue;
                }
            };
            if !v.is_finite() {
                return Err(ScenarioError::BadEvent {
                    event: e.name.clone(),
                    problem: format!("the change for `{}` is not a finite number", p.name),
                });
            }
        }
        for (i, p) in self.parties.iter().enumerate() {
            for corner in self.no_deal_corners(i) {
                corner.check().map_err(|inner| ScenarioError::BadNoDeal {
                    party: p.name.clone(),
                    problem: NoDealProblem {
                        key: inner.key,
                        problem: format!(
                            "its events can combine to {corner}, where {}",
                            inner.problem
                        ),
                        fix: format!(
                            "{} (each parameter is checked at the lowest and the highest \
                             value its events give it, since which events are in force together \
                             depends on the run)",
                            inner.fix
                        ),
                    },
                })?;
            }
        }
        for (i, t) in self.texts.iter().enumerate() {
            if self.texts[..i].iter().any(|u| u.name == t.name) {
                return Err(ScenarioError::DuplicateText(t.name.clone()));
            }
            t.validate(&self.issues)?;
        }
        for (i, e) in self.exclusions.iter().enumerate() {
            if self.exclusions[..i].iter().any(|f| f.name == e.name) {
                return Err(ScenarioError::DuplicateExclusion(e.name.clone()));
            }
            e.check(&self.issues)
                .map_err(|m| ScenarioError::BadExclusion {
                    exclusion: e.name.clone(),
                    problem: m.to_string(),
                })?;
        }
        Ok(())
    }

    /// An event's stated positions: on issues the party evaluates by position, each one of
    /// the issue's positions, and never on an event that ends (a stated position is not
    /// withdrawn; the next one is stated by a later event). An event moves something.
    fn validate_stances(&self, e: &ScenarioEvent, p: &Party) -> Result<(), ScenarioError> {
        let bad = |problem: String| ScenarioError::BadEvent {
            event: e.name.clone(),
            problem,
        };
        if e.change.is_none() && e.stances.is_empty() {
            return Err(bad(
                "it moves nothing; give it a change of the outside option (`reservation`, \
                 `shift` or no-deal parameters) or `stances = { issue = position }`"
                    .into(),
            ));
        }
        if !e.stances.is_empty() && e.until.is_some() {
            return Err(bad(
                "it states positions and ends; a stated position is not withdrawn: drop the \
                 end, or state the next positions in a later event"
                    .into(),
            ));
        }
        for m in &e.stances {
            let Some(issue) = self.issues.get(m.issue) else {
                return Err(bad(format!("issue #{} does not exist", m.issue)));
            };
            let positional = match &p.utility {
                UtilityFunction::Additive(a) => match a.evaluators.get(m.issue) {
                    Some(Evaluator::Positional(x)) => Some(x),
                    _ => None,
                },
                _ => None,
            };
            let Some(x) = positional else {
                return Err(bad(format!(
                    "`{}` does not evaluate `{}` by position, so it has no stance there to \
                     move; give its evaluation an `ideal` (docs/scenario-format.md) or drop \
                     the stance",
                    p.name, issue.name
                )));
            };
            if !x.positions().contains(&m.position) {
                let listed: Vec<String> = x.positions().iter().map(|p| p.to_string()).collect();
                return Err(bad(format!(
                    "the stance {} on `{}` is not one of the issue's positions ({}); give the \
                     position of the value the party now states",
                    m.position,
                    issue.name,
                    listed.join(", ")
                )));
            }
        }
        Ok(())
    }

    /// The corners of the box of no-deal models party `i`'s events can produce: each
    /// parameter at the lowest and at the highest value the model or any of its events gives
    /// it. Every model a run can reach (events firing and ending in any order) lies in the
    /// box, and the model's value, monotone in each parameter on its own, takes its least and
    /// greatest values over the box at corners. Empty without a model or without events that
    /// change it.
    pub fn no_deal_corners(&self, i: usize) -> Vec<NoDeal> {
        let Some(base) = self.parties.get(i).and_then(Party::no_deal) else {
            return Vec::new();
        };
        let changes: Vec<_> = self
            .events
            .iter()
            .filter(|e| e.party == i)
            .filter_map(|e| match e.change {
                Some(ReservationChange::Model(c)) => Some(c),
                _ => None,
            })
            .collect();
        if changes.is_empty() {
            return Vec::new();
        }
        // Per key of the model's form: (lowest, highest).
        let ranges: Vec<(NoDealKey, f64, f64)> = base
            .keys()
            .iter()
            .filter_map(|&k| {
                let x = base.get(k)?;
                let (lo, hi) = changes
                    .iter()
                    .filter_map(|c| c.get(k))
                    .fold((x, x), |(lo, hi), y| (lo.min(y), hi.max(y)));
                Some((k, lo, hi))
            })
            .collect();
        let mut corners = vec![*base];
        for (k, lo, hi) in ranges {
            if lo == hi {
                continue;
            }
            corners = corners
                .into_iter()
                .flat_map(|m| {
                    [lo, hi].map(|x| {
                        let mut c = crate::NoDealChange::default();
                        c.set(k, x);
                        m.with(&c)
                    })
                })
                .collect();
        }
        corners
    }

    /// The text named `name`.
    pub fn text(&self, name: &str) -> Option<&Text> {
        self.texts.iter().find(|t| t.name == name)
    }

    /// Indices of the texts in the order they were put on the table: by date, undated texts
    /// last, ties and undated texts in file order.
    pub fn texts_in_date_order(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.texts.len()).collect();
        // `None` sorts before `Some`: key undated texts as coming after every date.
        order.sort_by_key(|&i| (self.texts[i].date.is_none(), self.texts[i].date));
        order
    }

    /// A dated start or end needs a calendar, and its date must lie within it.
    fn validate_date(&self, event: &str, date: Date, edge: Edge) -> Result<(), ScenarioError> {
        let bad = |problem: String| ScenarioError::BadEvent {
            event: event.to_string(),
            problem,
        };
        let (its_date, keys) = match edge {
            Edge::Start => ("its date", "place the event with `at` or `round`"),
            Edge::End => (
                "its end date",
                "end the event with `until` or `until_round`",
            ),
        };
        let Some(c) = &self.calendar else {
            let dated = match edge {
                Edge::Start => "it is dated",
                Edge::End => "it ends on",
            };
            return Err(bad(format!(
                "{dated} {date} but the scenario has no calendar; add a [calendar] section \
                 with `start = \"YYYY-MM-DD\"` (the date of round 0), or {keys}"
            )));
        };
        if !calendar::writable(date) {
            return Err(bad(format!(
                "{its_date} {date} is outside the years 0000–9999; write dates as YYYY-MM-DD"
            )));
        }
        if date < c.start {
            return Err(bad(format!(
                "{its_date} {date} is before the calendar's start {}; date it on or after the \
                 start, or move `start` earlier",
                c.start
            )));
        }
        if let Some(end) = c.end.filter(|&end| date > end) {
            return Err(bad(format!(
                "{its_date} {date} is after the calendar's end {end}; date it on or before the \
                 end, or move `end` later"
            )));
        }
        Ok(())
    }

    /// An event ends after it starts: a later relative time, or a later round (dates count
    /// by the round they fall in, so an end in the round of the start is refused). Relative
    /// time and rounds or dates cannot be ordered before a run (relative time depends on the
    /// run's deadline), so an event that mixes them is refused.
    fn validate_end(&self, e: &ScenarioEvent) -> Result<(), ScenarioError> {
        let Some(until) = e.until else {
            return Ok(());
        };
        let bad = |problem: String| ScenarioError::BadEvent {
            event: e.name.clone(),
            problem,
        };
        let c = self.calendar.as_ref();
        let (start, end) = (e.at.describe(c), until.describe(c));
        match (e.at, until) {
            (EventTime::Relative(a), EventTime::Relative(b)) if b <= a => Err(bad(format!(
                "it ends at {end}, not after it starts at {start}; put `until` after `at`"
            ))),
            (EventTime::Relative(_), EventTime::Relative(_)) => Ok(()),
            (EventTime::Relative(_), _) | (_, EventTime::Relative(_)) => Err(bad(format!(
                "it starts at {start} and ends at {end}: relative time cannot be ordered with \
                 rounds or dates before a run (it depends on the run's deadline); use `at` with \
                 `until`, or `round`/`date` with `until_round`/`until_date`"
            ))),
            (a, b) => match (a.round(c), b.round(c)) {
                (Some(ra), Some(rb)) if rb <= ra => Err(bad(format!(
                    "it ends at {end}, not in a round after it starts ({start}); end it in a \
                     later round (a date counts from the first round on or after it)"
                ))),
                _ => Ok(()),
            },
        }
    }

    fn validate_party(&self, p: &Party) -> Result<(), ScenarioError> {
        let bad = |problem: String| ScenarioError::BadParty {
            party: p.name.clone(),
            problem,
        };
        p.check_restrictions(&self.issues)
            .map_err(|e| ScenarioError::BadRestriction {
                party: p.name.clone(),
                what: e.what,
                problem: e.misfit.to_string(),
            })?;
        match p.reservation {
            Some(OutsideOption::Fixed(rv)) if !rv.is_finite() => {
                return Err(bad(format!(
                    "reservation value {rv} is not a finite number"
                )));
            }
            Some(OutsideOption::NoDeal(m)) => {
                m.check().map_err(|problem| ScenarioError::BadNoDeal {
                    party: p.name.clone(),
                    problem,
                })?;
            }
            _ => {}
        }
        if let Some(c) = p.cost_per_round {
            if !c.is_finite() || c < 0.0 {
                return Err(bad(format!("cost per round {c} must be a number ≥ 0")));
            }
        }
        if let Some(d) = p.discount {
            if !(d > 0.0 && d <= 1.0) {
                return Err(bad(format!(
                    "discount factor {d} is outside (0, 1]; use 1 (or omit it) for no discounting"
                )));
            }
        }
        match &p.utility {
            UtilityFunction::Additive(a) => {
                let n = self.issues.len();
                if a.weights.len() != n || a.evaluators.len() != n {
                    return Err(ScenarioError::IssueCountMismatch {
                        party: p.name.clone(),
                        expected: n,
                        found: a.weights.len().min(a.evaluators.len()),
                    });
                }
                for ((issue, e), w) in self.issues.iter().zip(&a.evaluators).zip(&a.weights) {
                    let problem = |problem: String| ScenarioError::BadEvaluator {
                        party: p.name.clone(),
                        issue: issue.name.clone(),
                        problem,
                    };
                    if !w.is_finite() {
                        return Err(problem(format!("weight {w} is not a finite number")));
                    }
                    match (&issue.kind, e) {
                        (IssueKind::Discrete { values, .. }, Evaluator::Table(t)) => {
                            if t.len() != values.len() {
                                return Err(problem(format!(
                                    "{} evaluations for {} values; give one per value",
                                    t.len(),
                                    values.len()
                                )));
                            }
                            if let Some(x) = t.iter().find(|x| !x.is_finite()) {
                                return Err(problem(format!("evaluation {x} is not finite")));
                            }
                        }
                        (IssueKind::Discrete { .. }, Evaluator::Positional(e)) => {
                            match &issue.positions {
                                Some(positions) if positions == e.positions() => {}
                                Some(_) => {
                                    return Err(problem(
                                        "the positional evaluation was built on other positions \
                                         than the issue's; build it from the issue's `positions`"
                                            .into(),
                                    ))
                                }
                                None => {
                                    return Err(problem(
                                        "a positional evaluation needs the issue's `positions`; \
                                         give the issue one position (0–100) per value, or \
                                         score its values in a table"
                                            .into(),
                                    ))
                                }
                            }
                        }
                        (_, Evaluator::Positional(_)) => {
                            return Err(problem(
                                "a numeric issue needs an evaluation function, not positions"
                                    .into(),
                            ))
                        }
                        (_, Evaluator::Numeric(n)) if !n.parameters().iter().all(|x| x.is_finite()) => {
                            return Err(problem(format!(
                                "the evaluation function has a parameter that is not a finite number ({:?})",
                                n.parameters()
                            )))
                        }
                        (IssueKind::Discrete { .. }, Evaluator::Numeric(_)) => {
                            return Err(problem(
                                "a discrete issue needs a table of evaluations, not a function"
                                    .into(),
                            ))
                        }
                        (_, Evaluator::Table(_)) => {
                            return Err(problem(
                                "a numeric issue needs an evaluation function, not a table".into(),
                            ))
                        }
                        _ => {}
                    }
                }
                let (lo, hi) = self.additive_range(a);
                if !lo.is_finite() || !hi.is_finite() {
                    return Err(bad(format!(
                        "utilities reach [{lo}, {hi}], beyond what a number holds; scale weights and evaluations into [0, 1]"
                    )));
                }
            }
            UtilityFunction::Constraint(c) => {
                if !c.weight.is_finite()
                    || c.rectangles.iter().any(|r| {
                        !r.utility.is_finite()
                            || r.bounds.iter().any(|b| b.1.is_nan() || b.2.is_nan())
                    })
                {
                    return Err(bad(
                        "a constraint's utility, weight or bound is not a finite number".into(),
                    ));
                }
                if c.max_utility.is_nan() || c.max_utility <= 0.0 {
                    return Err(bad(format!(
                        "maximum utility {} must be positive",
                        c.max_utility
                    )));
                }
                for r in &c.rectangles {
                    if let Some(&(i, _, _)) = r.bounds.iter().find(|b| b.0 >= self.issues.len()) {
                        return Err(bad(format!(
                            "a constraint names issue #{i}, which does not exist"
                        )));
                    }
                }
            }
        }
        Ok(())
    }

    /// Lowest and highest utility an additive utility function gives any outcome (issue by
    /// issue: the sum of each issue's extreme weighted evaluations; capped at 1 where the
    /// function caps).
    pub fn additive_range(&self, a: &crate::utility::AdditiveUtility) -> (f64, f64) {
        let (mut lo, mut hi) = (0.0, 0.0);
        for ((issue, e), &w) in self.issues.iter().zip(&a.evaluators).zip(&a.weights) {
            let evals: Vec<f64> = match (&issue.kind, e) {
                (_, Evaluator::Table(t)) => t.clone(),
                (_, Evaluator::Positional(p)) => p.evaluations().to_vec(),
                (IssueKind::Integer { min, max }, Evaluator::Numeric(n)) => {
                    n.extremes(*min as f64, *max as f64)
                }
                (IssueKind::Real { min, max }, Evaluator::Numeric(n)) => n.extremes(*min, *max),
                (IssueKind::Discrete { .. }, Evaluator::Numeric(_)) => vec![0.0],
            };
            let scored = evals.iter().map(|x| w * x);
            lo += scored.clone().fold(f64::INFINITY, f64::min);
            hi += scored.fold(f64::NEG_INFINITY, f64::max);
        }
        if a.cap_at_one {
            (lo.min(1.0), hi.min(1.0))
        } else {
            (lo, hi)
        }
    }

    /// What a reader should say about numbers it accepted but that are unusual: utilities
    /// outside [0, 1], negative weights, reservation values no outcome (or every outcome)
    /// meets. Each is a sentence for the scenario's notes.
    pub fn range_notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        for p in &self.parties {
            let (lo, hi) = match &p.utility {
                UtilityFunction::Additive(a) => {
                    if let Some((i, w)) = a.weights.iter().enumerate().find(|(_, w)| **w < 0.0) {
                        notes.push(format!(
                            "party `{}` gives issue `{}` a negative weight ({w}); utilities are used as given",
                            p.name, self.issues[i].name
                        ));
                    }
                    self.additive_range(a)
                }
                UtilityFunction::Constraint(_) => (0.0, 1.0),
            };
            notes.extend(self.interior_monotone_notes(p));
            const EPS: f64 = 1e-9;
            if lo < -EPS || hi > 1.0 + EPS {
                notes.push(format!(
                    "party `{}`: utilities range over [{}, {}], outside [0, 1] (weights or evaluations beyond [0, 1]); they are used as given",
                    p.name,
                    crate::round_for_display(lo),
                    crate::round_for_display(hi)
                ));
            }
            if let Some(rv) = p.reservation.map(|o| o.value()) {
                if rv > hi + EPS {
                    notes.push(format!(
                        "party `{}`: reservation value {rv} is above every outcome's utility (at most {}), so it accepts no agreement",
                        p.name,
                        crate::round_for_display(hi)
                    ));
                } else if !(0.0..=1.0).contains(&rv) {
                    notes.push(format!(
                        "party `{}`: reservation value {rv} lies outside [0, 1]",
                        p.name
                    ));
                }
            }
        }
        notes
    }

    /// A note for each monotone evaluation whose ideal lies inside the issue's positions:
    /// it has two sides, and is scored as single-peaked at the ideal.
    fn interior_monotone_notes(&self, p: &Party) -> Vec<String> {
        self.issues
            .iter()
            .enumerate()
            .filter_map(|(i, issue)| {
                let e = p.positional(i)?;
                (e.shape() == Shape::Monotone && e.interior_ideal()).then(|| {
                    format!(
                        "party `{}`, issue `{}`: a monotone evaluation with its ideal {} inside \
                         the issue's positions is scored as single-peaked (both sides of the \
                         ideal fall); put the ideal at an end, or write `single-peaked`",
                        p.name,
                        issue.name,
                        e.ideal()
                    )
                })
            })
            .collect()
    }

    pub fn party_index(&self, name: &str) -> Option<usize> {
        self.parties.iter().position(|p| p.name == name)
    }

    /// Indices of the parties at the table.
    pub fn negotiators(&self) -> Vec<usize> {
        (0..self.parties.len())
            .filter(|&i| self.parties[i].role == Role::Negotiator)
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::parse_date;
    use crate::utility::AdditiveUtility;

    fn date(s: &str) -> Date {
        parse_date(s).unwrap()
    }

    fn two_parties() -> Scenario {
        let party = |name: &str| Party {
            name: name.into(),
            role: Role::Negotiator,
            utility: UtilityFunction::Additive(AdditiveUtility {
                weights: vec![1.0],
                evaluators: vec![Evaluator::Table(vec![0.0, 1.0])],
                cap_at_one: false,
            }),
            reservation: None,
            discount: None,
            cost_per_round: None,
            description: None,
            capability: None,
            salience: None,
            red_lines: Vec::new(),
            controls: Vec::new(),
        };
        Scenario {
            ranges: crate::Ranges::default(),
            name: "dated".into(),
            description: None,
            issues: vec![Issue::discrete("x", &["a", "b"])],
            parties: vec![party("A"), party("B")],
            events: Vec::new(),
            calendar: None,
            texts: Vec::new(),
            exclusions: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn dated(at: &str) -> ScenarioEvent {
        ScenarioEvent {
            name: "loan".into(),
            party: 1,
            at: EventTime::Date(date(at)),
            until: None,
            change: Some(ReservationChange::Shift(0.07)),
            stances: Vec::new(),
            description: None,
        }
    }

    fn calendar(start: &str, days_per_round: u32, end: Option<&str>) -> Option<Calendar> {
        Some(Calendar {
            start: date(start),
            days_per_round,
            end: end.map(date),
        })
    }

    /// Each case: the calendar, the event's date, and the error (or `None` for a valid one).
    #[test]
    fn calendars_and_dated_events_are_checked() {
        let cases: [(Option<Calendar>, Option<&str>, Option<&str>); 8] = [
            (calendar("2025-11-15", 1, Some("2026-01-31")), Some("2025-12-18"), None),
            (calendar("2025-11-15", 7, None), Some("2025-11-15"), None),
            (calendar("2025-11-15", 1, Some("2025-11-15")), Some("2025-11-15"), None),
            (
                None,
                Some("2025-12-18"),
                Some("event `loan`: it is dated 2025-12-18 but the scenario has no calendar; add a [calendar] section with `start = \"YYYY-MM-DD\"` (the date of round 0), or place the event with `at` or `round`"),
            ),
            (
                calendar("2025-11-15", 1, None),
                Some("2025-11-14"),
                Some("event `loan`: its date 2025-11-14 is before the calendar's start 2025-11-15; date it on or after the start, or move `start` earlier"),
            ),
            (
                calendar("2025-11-15", 1, Some("2026-01-31")),
                Some("2026-02-01"),
                Some("event `loan`: its date 2026-02-01 is after the calendar's end 2026-01-31; date it on or before the end, or move `end` later"),
            ),
            (
                calendar("2025-11-15", 0, None),
                None,
                Some("calendar, key `days_per_round`: 0 days per round would put every round on the same date; write `days_per_round = 1` (or more)"),
            ),
            (
                calendar("2025-11-15", 1, Some("2025-11-14")),
                None,
                Some("calendar, key `end`: the end 2025-11-14 is before the start 2025-11-15; put `end` on or after `start`"),
            ),
        ];
        for (calendar, event, expected) in cases {
            let mut s = two_parties();
            s.calendar = calendar;
            s.events = event.map(dated).into_iter().collect();
            let got = s.validate().err().map(|e| e.to_string());
            assert_eq!(got.as_deref(), expected, "{calendar:?} {event:?}");
        }
    }

    fn draft(name: &str, date: Option<&str>) -> Text {
        Text {
            name: name.into(),
            date: date.map(self::date),
            source: None,
            description: None,
            outcome: vec![crate::issue::Value::Discrete(0)],
            labels: vec![None],
        }
    }

    #[test]
    fn texts_are_named_once_and_ordered_by_date() {
        let mut s = two_parties();
        s.texts = vec![
            draft("undated", None),
            draft("counter", Some("2025-11-23")),
            draft("plan", Some("2025-11-20")),
            draft("also undated", None),
            draft("same day", Some("2025-11-23")),
        ];
        assert_eq!(s.validate(), Ok(()));
        assert_eq!(s.texts_in_date_order(), vec![2, 1, 4, 0, 3]);
        assert_eq!(
            s.text("counter").map(|t| t.date),
            Some(Some(date("2025-11-23")))
        );
        assert_eq!(s.text("nothing"), None);
        s.texts.push(draft("plan", None));
        assert_eq!(
            s.validate().unwrap_err().to_string(),
            "two texts are both named `plan`; give each text a unique name"
        );
        s.texts.pop();
        s.texts[0].outcome.clear();
        assert_eq!(
            s.validate().unwrap_err().to_string(),
            "text `undated`, issue `x`: no value; give every issue a value; a draft that leaves an issue open is not a text zopa can score"
        );
    }

    #[test]
    fn dates_outside_four_digit_years_are_refused() {
        let mut s = two_parties();
        s.calendar = Some(Calendar::new(Date::new(-1, 1, 1).unwrap()));
        assert_eq!(
            s.validate().unwrap_err(),
            ScenarioError::BadCalendar {
                key: CalendarKey::Start,
                problem: "-000001-01-01 is outside the years 0000–9999; write dates as YYYY-MM-DD"
                    .into()
            }
        );
    }

    /// Each case: when the event starts and ends, and the error (or `None` for a valid one).
    /// The calendar is weekly from 2025-11-15 to 2026-01-31: round 1 is 2025-11-22.
    #[test]
    fn an_event_ends_after_it_starts() {
        use EventTime::{Date as D, Relative as T, Round as R};
        let cases: Vec<(EventTime, EventTime, Option<&str>)> = vec![
            (T(0.2), T(0.8), None),
            (T(0.2), T(1.0), None),
            (R(3), R(4), None),
            (D(date("2025-11-16")), D(date("2025-11-23")), None),
            (R(1), D(date("2025-11-23")), None),
            (D(date("2025-11-15")), R(1), None),
            (
                T(0.5),
                T(0.5),
                Some("event `loan`: it ends at t = 0.5, not after it starts at t = 0.5; put `until` after `at`"),
            ),
            (
                T(0.5),
                T(1.5),
                Some("event `loan`: its end, relative time 1.5 is outside [0, 1]"),
            ),
            (
                R(4),
                R(3),
                Some("event `loan`: it ends at round 3 (2025-12-06), not in a round after it starts (round 4 (2025-12-13)); end it in a later round (a date counts from the first round on or after it)"),
            ),
            (
                D(date("2025-11-16")),
                D(date("2025-11-22")),
                Some("event `loan`: it ends at 2025-11-22 (round 1), not in a round after it starts (2025-11-16 (round 1)); end it in a later round (a date counts from the first round on or after it)"),
            ),
            (
                R(2),
                D(date("2025-11-22")),
                Some("event `loan`: it ends at 2025-11-22 (round 1), not in a round after it starts (round 2 (2025-11-29)); end it in a later round (a date counts from the first round on or after it)"),
            ),
            (
                T(0.1),
                R(40),
                Some("event `loan`: it starts at t = 0.1 and ends at round 40 (2026-08-22): relative time cannot be ordered with rounds or dates before a run (it depends on the run's deadline); use `at` with `until`, or `round`/`date` with `until_round`/`until_date`"),
            ),
            (
                R(1),
                D(date("2026-02-01")),
                Some("event `loan`: its end date 2026-02-01 is after the calendar's end 2026-01-31; date it on or before the end, or move `end` later"),
            ),
        ];
        for (at, until, expected) in cases {
            let mut s = two_parties();
            s.calendar = calendar("2025-11-15", 7, Some("2026-01-31"));
            let mut e = dated("2025-11-15");
            (e.at, e.until) = (at, Some(until));
            s.events = vec![e];
            let got = s.validate().err().map(|e| e.to_string());
            assert_eq!(got.as_deref(), expected, "{at:?} {until:?}");
        }
        let mut s = two_parties();
        let mut e = dated("2025-11-15");
        (e.at, e.until) = (R(1), Some(D(date("2025-12-01"))));
        s.events = vec![e];
        assert_eq!(
            s.validate().unwrap_err().to_string(),
            "event `loan`: it ends on 2025-12-01 but the scenario has no calendar; add a [calendar] section with `start = \"YYYY-MM-DD\"` (the date of round 0), or end the event with `until` or `until_round`"
        );
    }

    #[test]
    fn an_event_is_active_from_its_start_until_its_end() {
        let c = Calendar {
            days_per_round: 7,
            ..Calendar::new(date("2025-11-15"))
        };
        let mut e = dated("2025-11-20");
        e.until = Some(EventTime::Date(date("2025-12-06")));
        // Rounds 0, 1, 2, 3 fall on 11-15, 11-22, 11-29, 12-06.
        let active: Vec<bool> = (0..5).map(|r| e.active(r, 0.0, Some(&c))).collect();
        assert_eq!(active, [false, true, true, false, false]);
        assert!(e.ended(3, 0.0, Some(&c)) && !e.ended(2, 0.0, Some(&c)));
        e.until = None;
        assert!(!e.ended(u32::MAX, 1.0, Some(&c)));
        let relative = ScenarioEvent {
            at: EventTime::Relative(0.25),
            until: Some(EventTime::Relative(0.75)),
            ..e
        };
        assert!(!relative.active(99, 0.2, None));
        assert!(relative.active(0, 0.25, None));
        assert!(relative.ended(0, 0.75, None));
        assert_eq!(EventTime::Date(date("2025-11-20")).round(Some(&c)), Some(1));
        assert_eq!(EventTime::Date(date("2025-11-20")).round(None), None);
        assert_eq!(EventTime::Relative(0.5).round(Some(&c)), None);
        assert_eq!(EventTime::Round(4).round(None), Some(4));
    }

    fn model_event(party: usize, pairs: &[(NoDealKey, f64)]) -> ScenarioEvent {
        let mut c = crate::NoDealChange::default();
        for &(k, x) in pairs {
            c.set(k, x);
        }
        ScenarioEvent {
            name: "news".into(),
            party,
            at: EventTime::Round(3),
            until: None,
            change: Some(ReservationChange::Model(c)),
            stances: Vec::new(),
            description: None,
        }
    }

    /// Each case: party A's no-deal model (B has a fixed reservation value), the events, and
    /// the error (or `None` for a valid scenario).
    #[test]
    fn no_deal_models_and_their_events_are_checked() {
        use NoDealKey::{Cost, Lose, Prevail, P};
        let war = Some(NoDeal::markov(0.02, 0.01, 0.004));
        let cases: Vec<(Option<NoDeal>, Vec<ScenarioEvent>, Option<&str>)> = vec![
            (war, vec![model_event(0, &[(Prevail, 0.04), (Cost, 0.006)])], None),
            (war, vec![model_event(0, &[(Prevail, 0.5)]), model_event(0, &[(Lose, 0.5)])], None),
            (
                Some(NoDeal::markov(0.0, 0.0, 0.0)),
                vec![],
                Some("party `A`, no-deal model: `prevail` + `lose` = 0: the war never ends, so its expected utility is −∞ (or undefined when it costs nothing); give it a chance to end: make `prevail` or `lose` positive (a war that ends with 1 % a period lasts 100 periods on average)"),
            ),
            (
                war,
                vec![model_event(1, &[(Prevail, 0.04)])],
                Some("event `news`: it sets `prevail` of a no-deal model, but `B` has a fixed reservation value; declare `[parties.no_deal]` for `B`, or move its reservation value with `shift` or `reservation`"),
            ),
            (
                war,
                vec![model_event(0, &[(P, 0.7)])],
                Some("event `news`: `p` is not a parameter of this party's model, a war that ends each period with `prevail` or `lose`; set one of `prevail`, `lose`, `cost`, `win` or `loss`, or declare the party's model with `p`"),
            ),
            (
                war,
                vec![model_event(0, &[(Prevail, 1.5)])],
                Some("event `news`: `prevail` = 1.5 is outside [0, 1]; write a probability, e.g. `prevail = 0.02`"),
            ),
            (
                war,
                vec![model_event(0, &[(Prevail, 0.6)]), model_event(0, &[(Lose, 0.5)])],
                Some("party `A`, no-deal model: its events can combine to prevail 60 %/period, lose 50 %/period, cost 0.004/period, where `prevail` + `lose` = 1.1 is above 1: they are the probabilities that one period ends the war one way or the other; lower them so that prevail + lose ≤ 1 (a sum of 1 is one decisive period: write `p = …`, the one-shot war) (each parameter is checked at the lowest and the highest value its events give it, since which events are in force together depends on the run)"),
            ),
            (
                Some(NoDeal::markov(0.0, 0.01, 0.004)),
                vec![model_event(0, &[(Lose, 0.0)])],
                Some("party `A`, no-deal model: its events can combine to prevail 0 %/period, lose 0 %/period, cost 0.004/period, where `prevail` + `lose` = 0: the war never ends, so its expected utility is −∞ (or undefined when it costs nothing); give it a chance to end: make `prevail` or `lose` positive (a war that ends with 1 % a period lasts 100 periods on average) (each parameter is checked at the lowest and the highest value its events give it, since which events are in force together depends on the run)"),
            ),
        ];
        for (model, events, expected) in cases {
            let mut s = two_parties();
            s.parties[0].reservation = model.map(OutsideOption::NoDeal);
            s.parties[1].reservation = Some(0.3.into());
            s.events = events;
            let got = s.validate().err().map(|e| e.to_string());
            assert_eq!(got.as_deref(), expected, "{model:?}");
        }
    }

    #[test]
    fn the_corners_hold_every_value_a_run_can_reach() {
        use NoDealKey::{Cost, Prevail};
        let mut s = two_parties();
        s.parties[0].reservation = Some(OutsideOption::NoDeal(NoDeal::markov(0.02, 0.01, 0.004)));
        assert!(s.no_deal_corners(0).is_empty(), "no events, no box");
        s.events = vec![
            model_event(0, &[(Prevail, 0.04)]),
            model_event(0, &[(Cost, 0.001), (Prevail, 0.03)]),
        ];
        let corners = s.no_deal_corners(0);
        assert_eq!(corners.len(), 4);
        let values: Vec<f64> = corners.iter().map(NoDeal::value).collect();
        let (lo, hi) = values
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        // Lowest: prevail 0.02 at cost 0.004; highest: prevail 0.04 at cost 0.001.
        assert_eq!((lo, hi), (NoDeal::markov(0.02, 0.01, 0.004).value(), 0.78));
        assert!(s.no_deal_corners(1).is_empty(), "B has no model");
    }

    #[test]
    fn a_dated_event_happens_at_the_first_round_on_or_after_its_date() {
        let c = Calendar {
            days_per_round: 7,
            ..Calendar::new(date("2025-11-15"))
        };
        let at = EventTime::Date(date("2025-11-27"));
        // Round 1 is 2025-11-22, round 2 is 2025-11-29.
        assert!(!at.reached(1, 0.0, Some(&c)));
        assert!(at.reached(2, 0.0, Some(&c)));
        assert!(at.reached(3, 0.0, Some(&c)));
        // Without a calendar (which validation refuses) it never happens.
        assert!(!at.reached(1000, 1.0, None));
        assert!(EventTime::Round(2).reached(2, 0.0, None));
        assert!(EventTime::Relative(0.5).reached(0, 0.5, Some(&c)));
        assert_eq!(at.describe(Some(&c)), "2025-11-27 (round 2)");
        assert_eq!(at.describe(None), "2025-11-27");
        assert_eq!(
            EventTime::Round(2).describe(Some(&c)),
            "round 2 (2025-11-29)"
        );
        assert_eq!(EventTime::Round(2).describe(None), "round 2");
        assert_eq!(EventTime::Relative(0.5).describe(Some(&c)), "t = 0.5");
    }
}
