//! Protocols: who may do what, when, and when it ends.
//!
//! * [`alternating`]: GENIUS's stacked alternating offers — bilateral (`sao`) and multilateral
//!   (`stacked`, n ≥ 3).
//! * [`mediated`]: the single negotiating text (shuttle diplomacy): a mediator proposes whole
//!   texts, the parties vote or give feedback, stakeholders are scored but do not vote.
//!
//! A negotiator that panics or breaks the rules ends its negotiation with a recorded error
//! naming it; the process goes on.

pub mod alternating;
pub mod mediated;

use std::panic::{catch_unwind, AssertUnwindSafe};

use zopa_core::{IssueKind, Scenario, Value};

use crate::session::Outcome;
use crate::trace::{utilities, TraceEvent};

/// Runs `f`, turning a panic into an error message.
pub(crate) fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|e| {
        e.downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| e.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panicked".to_string())
    })
}

/// Is `o` a complete outcome of the scenario?
pub(crate) fn check_outcome(scenario: &Scenario, o: &Outcome) -> Result<(), String> {
    if o.len() != scenario.issues.len() {
        return Err(format!(
            "an offer with {} values for {} issues",
            o.len(),
            scenario.issues.len()
        ));
    }
    for (issue, v) in scenario.issues.iter().zip(o) {
        let ok = match (&issue.kind, v) {
            (IssueKind::Discrete { values, .. }, Value::Discrete(i)) => {
                (*i as usize) < values.len()
            }
            (IssueKind::Integer { min, max }, Value::Integer(x)) => x >= min && x <= max,
            (IssueKind::Real { min, max }, Value::Real(x)) => x >= min && x <= max,
            _ => false,
        };
        if !ok {
            return Err(format!(
                "value {v} is not a value of issue `{}`",
                issue.name
            ));
        }
    }
    Ok(())
}

/// Where the recorded trace goes: kept for the result, or handed to the caller event by event
/// and not kept (so that a long run's memory does not grow with its trace).
pub enum TraceSink<'k> {
    /// Kept in [`crate::RunResult::trace`].
    Keep,
    /// Each event is passed on as it happens; [`crate::RunResult::trace`] stays empty.
    Stream(&'k mut dyn FnMut(TraceEvent)),
}

/// The state every protocol shares: current reservation values, scheduled events, the trace.
pub(crate) struct Table<'s, 'k> {
    pub scenario: &'s Scenario,
    pub reservation: Vec<f64>,
    fired: Vec<bool>,
    trace: Vec<TraceEvent>,
    sink: TraceSink<'k>,
    /// The scenario's issues, shared with every negotiator's setup.
    pub issues: std::sync::Arc<Vec<zopa_core::Issue>>,
    /// Log offers, accepts and votes (tournaments that store no traces turn this off).
    pub record_actions: bool,
}

impl<'s, 'k> Table<'s, 'k> {
    pub fn new(scenario: &'s Scenario, sink: TraceSink<'k>) -> Table<'s, 'k> {
        Table {
            scenario,
            reservation: scenario
                .parties
                .iter()
                .map(|p| p.reservation_value())
                .collect(),
            fired: vec![false; scenario.events.len()],
            trace: Vec::new(),
            sink,
            issues: std::sync::Arc::new(scenario.issues.clone()),
            record_actions: true,
        }
    }

    fn push(&mut self, event: TraceEvent) {
        match &mut self.sink {
            TraceSink::Keep => self.trace.push(event),
            TraceSink::Stream(f) => f(event),
        }
    }

    /// The kept trace (empty when it was streamed).
    pub fn into_trace(self) -> Vec<TraceEvent> {
        self.trace
    }

    /// What the party in seat `index` of `negotiators` is told at the start: its own
    /// preferences, its current reservation value, the deadline and its seed.
    pub fn setup(
        &self,
        party: usize,
        index: usize,
        negotiators: usize,
        deadline: crate::session::Deadline,
        seed: u64,
        outcomes: crate::outcomes::Ranking,
    ) -> crate::session::Setup {
        let p = &self.scenario.parties[party];
        crate::session::Setup {
            name: p.name.clone(),
            index,
            negotiators,
            issues: std::sync::Arc::clone(&self.issues),
            utility: std::sync::Arc::new(p.utility.clone()),
            reservation: self.reservation[party],
            discount: p.discount,
            deadline,
            seed: derive_seed(seed, index as u64),
            outcomes: std::sync::Arc::new(outcomes),
        }
    }

    /// Applies the events due by `round` / `time`, in declaration order, and logs them.
    pub fn fire_events(&mut self, round: u32, time: f64) {
        for (k, e) in self.scenario.events.iter().enumerate() {
            if !self.fired[k] && e.at.reached(round, time, self.scenario.calendar.as_ref()) {
                self.fired[k] = true;
                let before = self.reservation[e.party];
                let after = e.change.apply(before);
                self.reservation[e.party] = after;
                let party = &self.scenario.parties[e.party].name;
                self.push(TraceEvent {
                    round,
                    time,
                    actor: "scenario".into(),
                    action: "event".into(),
                    outcome: None,
                    utilities: None,
                    note: Some(format!(
                        "{}: reservation value of {party} {} → {}",
                        e.name,
                        zopa_core::round_for_display(before),
                        zopa_core::round_for_display(after)
                    )),
                });
            }
        }
    }

    pub fn record(
        &mut self,
        round: u32,
        time: f64,
        actor: &str,
        action: &str,
        outcome: Option<&Outcome>,
        note: Option<String>,
    ) {
        if !self.record_actions && action != "error" {
            return;
        }
        let utilities = outcome.map(|o| utilities(self.scenario, o));
        self.push(TraceEvent {
            round,
            time,
            actor: actor.to_string(),
            action: action.to_string(),
            outcome: outcome.cloned(),
            utilities,
            note,
        });
    }
}

/// Seed of stream `k` of a run seeded `seed` (SplitMix64, so streams differ widely).
pub fn derive_seed(seed: u64, k: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15u64.wrapping_mul(k.wrapping_add(1)));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
