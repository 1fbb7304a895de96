//! A negotiation scenario: issues and the parties who care about them.

use crate::issue::{Issue, IssueKind};
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
    /// Utility of walking away (the BATNA). `None` when the source file gave none; analysis
    /// treats a missing value as 0, as GENIUS does.
    pub reservation: Option<f64>,
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
}

impl Party {
    /// The reservation value as a number (missing ⇒ 0).
    pub fn reservation_value(&self) -> f64 {
        self.reservation.unwrap_or(0.0)
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
    /// What the reader noticed and tolerated (ignored files, repaired XML, skipped profiles).
    pub notes: Vec<String>,
}

/// When a scheduled event happens.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum EventTime {
    /// At relative time t ∈ [0, 1] of the negotiation.
    Relative(f64),
    /// At the start of this round (0-based).
    Round(u32),
}

/// How an event moves a party's reservation value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ReservationChange {
    /// The reservation value becomes this.
    Set(f64),
    /// The reservation value moves by this much (negative: the outside option worsens).
    Shift(f64),
}

/// A scheduled change of one party's reservation value.
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioEvent {
    pub name: String,
    pub party: usize,
    pub at: EventTime,
    pub change: ReservationChange,
    pub description: Option<String>,
}

impl EventTime {
    /// Has the event happened by `round` / relative `time`?
    pub fn reached(self, round: u32, time: f64) -> bool {
        match self {
            EventTime::Relative(t) => time >= t,
            EventTime::Round(r) => round >= r,
        }
    }
}

impl ReservationChange {
    pub fn apply(self, rv: f64) -> f64 {
        match self {
            ReservationChange::Set(v) => v,
            ReservationChange::Shift(d) => rv + d,
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
    #[error("event `{event}`: {problem}")]
    BadEvent { event: String, problem: String },
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
        for e in &self.events {
            let Some(p) = self.parties.get(e.party) else {
                return Err(ScenarioError::BadEvent {
                    event: e.name.clone(),
                    problem: format!("party #{} does not exist", e.party),
                });
            };
            if let EventTime::Relative(t) = e.at {
                if !(0.0..=1.0).contains(&t) {
                    return Err(ScenarioError::BadEvent {
                        event: e.name.clone(),
                        problem: format!("relative time {t} is outside [0, 1]"),
                    });
                }
            }
            let v = match e.change {
                ReservationChange::Set(v) | ReservationChange::Shift(v) => v,
            };
            if !v.is_finite() {
                return Err(ScenarioError::BadEvent {
                    event: e.name.clone(),
                    problem: format!("the change for `{}` is not a finite number", p.name),
                });
            }
        }
        Ok(())
    }

    fn validate_party(&self, p: &Party) -> Result<(), ScenarioError> {
        let bad = |problem: String| ScenarioError::BadParty {
            party: p.name.clone(),
            problem,
        };
        if let Some(rv) = p.reservation {
            if !rv.is_finite() {
                return Err(bad(format!(
                    "reservation value {rv} is not a finite number"
                )));
            }
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
            const EPS: f64 = 1e-9;
            if lo < -EPS || hi > 1.0 + EPS {
                notes.push(format!(
                    "party `{}`: utilities range over [{}, {}], outside [0, 1] (weights or evaluations beyond [0, 1]); they are used as given",
                    p.name,
                    crate::round_for_display(lo),
                    crate::round_for_display(hi)
                ));
            }
            if let Some(rv) = p.reservation {
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
