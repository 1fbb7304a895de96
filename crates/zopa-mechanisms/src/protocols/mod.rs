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
mod critique;
pub mod driver;
pub mod mediated;
pub mod shuttle;
pub mod voting;

use std::panic::{catch_unwind, AssertUnwindSafe};

use zopa_core::{IssueKind, Scenario, Value};

use crate::session::Outcome;
use crate::trace::TraceEvent;

/// How a party that lives outside Rust — a Python object — says that its move failed (it
/// raised, or returned something that is no move): it unwinds with this payload through
/// [`std::panic::resume_unwind`], which runs no panic hook, and the driver ends the
/// negotiation with an error naming the party, `… failed: <why>`, as it does for a panic.
#[derive(Debug, Clone, PartialEq)]
pub struct PartyFailure(pub String);

/// A party call that did not return: a panic, or a [`PartyFailure`].
pub(crate) struct Fault {
    pub why: String,
    /// A panic (rather than a [`PartyFailure`]).
    pub panicked: bool,
}

/// Runs `f`, catching a panic or a [`PartyFailure`].
pub(crate) fn caught<T>(f: impl FnOnce() -> T) -> Result<T, Fault> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|e| match e.downcast::<PartyFailure>() {
        Ok(failure) => Fault {
            why: failure.0,
            panicked: false,
        },
        Err(e) => Fault {
            why: e
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| e.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "panicked".to_string()),
            panicked: true,
        },
    })
}

/// Runs `f`, turning a panic (or a [`PartyFailure`]) into an error message.
pub(crate) fn guarded<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    caught(f).map_err(|fault| fault.why)
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

/// Seed of stream `k` of a run seeded `seed` (SplitMix64, so streams differ widely).
pub fn derive_seed(seed: u64, k: u64) -> u64 {
    let mut z = seed.wrapping_add(0x9E37_79B9_7F4A_7C15u64.wrapping_mul(k.wrapping_add(1)));
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}
