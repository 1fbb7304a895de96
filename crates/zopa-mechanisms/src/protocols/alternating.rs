//! Stacked alternating offers, GENIUS semantics (`StackedAlternatingOffersProtocol.java`):
//! parties act in a fixed order, one turn each per round; the very first turn may not accept;
//! an offer is agreed when every other party accepts it in turn; anyone may walk away; the
//! deadline ends the negotiation. With two parties this is bilateral alternating offers.

use std::sync::Arc;
use std::time::Instant;

use zopa_core::Scenario;

use crate::protocols::{check_outcome, guarded, Table, TraceSink};
use crate::session::{Action, Deadline, Move, Negotiator, Outcome, Setup, View};
use crate::trace::{payoff, utilities, End, RunResult};

/// Builds a seat's negotiator from its setup, when the protocol seats it.
pub type Start = Box<dyn FnOnce(&Setup) -> Box<dyn Negotiator>>;

/// A negotiator's seat, before it is taken.
pub struct Seat {
    /// Index of its party in the scenario.
    pub party: usize,
    /// Its strategy's name, for the result.
    pub strategy: String,
    pub start: Start,
}

/// A seat taken: its negotiator built.
struct Seated {
    party: usize,
    strategy: String,
    negotiator: Box<dyn Negotiator>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub deadline: Deadline,
    pub seed: u64,
    /// `sao` or `stacked`, for the result.
    pub protocol: String,
    /// Rankings shared across runs on the same scenario; `None` builds them for this run.
    pub cache: Option<Arc<crate::outcomes::OutcomeCache>>,
    /// Keep every action in the trace (events and errors are always kept).
    pub record_trace: bool,
    /// Moves the protocol keeps beyond the last round before dropping the oldest (all of
    /// which every seat has been shown); [`HISTORY_WINDOW`] unless a test wants another.
    pub history_window: usize,
}

pub fn run(scenario: &Scenario, seats: Vec<Seat>, config: &Config) -> RunResult {
    run_into(scenario, seats, config, TraceSink::Keep)
}

/// Moves kept before the oldest are dropped (in batches of about this many): memory per
/// negotiation is bounded by this, not by the number of rounds.
pub const HISTORY_WINDOW: usize = 1024;

/// [`run`], with the trace kept or streamed as `sink` says.
pub fn run_into(
    scenario: &Scenario,
    seats: Vec<Seat>,
    config: &Config,
    sink: TraceSink<'_>,
) -> RunResult {
    let start = Instant::now();
    let n = seats.len();
    let mut table = Table::new(scenario, sink);
    table.record_actions = config.record_trace;
    let mut history: Vec<Move> = Vec::new();
    // Moves every seat has been shown are dropped in batches (see `View::history`), so memory
    // stays bounded however long the negotiation runs; `dropped` counts them.
    let mut dropped = 0usize;
    let mut strategies = vec![None; scenario.parties.len()];
    let mut end = None;
    let cache = config
        .cache
        .clone()
        .unwrap_or_else(|| Arc::new(crate::outcomes::OutcomeCache::new(scenario.parties.len())));
    let mut seated = Vec::with_capacity(n);
    for (k, seat) in seats.into_iter().enumerate() {
        strategies[seat.party] = Some(seat.strategy.clone());
        let p = &scenario.parties[seat.party];
        let setup = table.setup(
            seat.party,
            k,
            n,
            config.deadline,
            config.seed,
            crate::outcomes::Ranking::ready(cache.get(scenario, seat.party)),
        );
        match guarded(|| (seat.start)(&setup)) {
            Ok(negotiator) => seated.push(Seated {
                party: seat.party,
                strategy: seat.strategy,
                negotiator,
            }),
            Err(e) => {
                let why = format!("{} ({}) failed to start: {e}", p.name, seat.strategy);
                table.record(0, 0.0, &p.name, "error", None, Some(why.clone()));
                end = Some(End::Error(why));
                break;
            }
        }
    }
    let mut seats = seated;
    // The standing offer, as an index into `history` (offers are moved there, not copied).
    let mut last_offer: Option<usize> = None;
    let mut accepts = 0usize;
    let mut round = 0u32;
    let mut time = 0.0;
    // Round deadlines never read the clock inside the loop.
    let timed = config.deadline.time.is_some();
    let elapsed = || {
        if timed {
            start.elapsed()
        } else {
            std::time::Duration::ZERO
        }
    };
    'rounds: while end.is_none() {
        for (k, seat) in seats.iter_mut().enumerate() {
            let now = elapsed();
            if config.deadline.passed(round, now) {
                end = Some(End::Deadline);
                break 'rounds;
            }
            time = config.deadline.relative(round, now);
            table.fire_events(round, time);
            let name = scenario.parties[seat.party].name.as_str();
            let view = View {
                round,
                time,
                history: &history,
                offset: dropped,
                reservation: table.reservation[seat.party],
            };
            let action = match guarded(|| seat.negotiator.act(&view)) {
                Ok(a) => a,
                Err(e) => {
                    let why = format!("{name} ({}) panicked: {e}", seat.strategy);
                    table.record(round, time, name, "error", None, Some(why.clone()));
                    end = Some(End::Error(why));
                    break 'rounds;
                }
            };
            let violation = match (&action, last_offer) {
                (Action::Accept, None) => Some("accepted before any offer was made".to_string()),
                (Action::Offer(o), _) => check_outcome(scenario, o).err(),
                _ => None,
            };
            if let Some(v) = violation {
                let why = format!("{name} ({}) broke the protocol: {v}", seat.strategy);
                table.record(round, time, name, "error", None, Some(why.clone()));
                end = Some(End::Error(why));
                break 'rounds;
            }
            let standing = |i: Option<usize>| match i.map(|i| &history[i].action) {
                Some(Action::Offer(o)) => Some(o),
                _ => None,
            };
            match &action {
                Action::Offer(o) => {
                    table.record(round, time, name, "offer", Some(o), None);
                    last_offer = Some(history.len());
                    accepts = 0;
                }
                Action::Accept => {
                    table.record(round, time, name, "accept", standing(last_offer), None);
                    accepts += 1;
                }
                Action::End => table.record(round, time, name, "end", None, None),
            }
            let walked = action == Action::End;
            history.push(Move {
                round,
                time,
                actor: k,
                action,
            });
            if walked {
                end = Some(End::Walkaway);
                break 'rounds;
            }
            if accepts + 1 == n {
                end = Some(End::Agreement);
                break 'rounds;
            }
        }
        // After a full round every seat has been shown every move before the last n; keep
        // those n and the standing offer, dropping the rest once enough have piled up.
        if history.len() >= config.history_window.saturating_add(n) {
            let cut = (history.len() - n).min(last_offer.unwrap_or(usize::MAX));
            if cut > 0 {
                history.drain(..cut);
                dropped += cut;
                last_offer = last_offer.map(|i| i - cut);
            }
        }
        round += 1;
    }
    let last_offer = last_offer.and_then(|i| match &history[i].action {
        Action::Offer(o) => Some(o.clone()),
        _ => None,
    });
    let end = end.unwrap_or(End::Deadline);
    let agreement = (end == End::Agreement)
        .then(|| last_offer.clone())
        .flatten();
    let rounds = if history.is_empty() && dropped == 0 {
        0
    } else {
        round + u32::from(end != End::Deadline)
    };
    finish(
        scenario,
        table,
        &config.protocol,
        strategies,
        end,
        agreement,
        rounds,
        time,
        config.seed,
    )
}

/// Assembles a result from the final state of any protocol.
#[allow(clippy::too_many_arguments)] // one call site per protocol, all arguments named there
pub(crate) fn finish(
    scenario: &Scenario,
    table: Table<'_, '_>,
    protocol: &str,
    strategies: Vec<Option<String>>,
    end: End,
    agreement: Option<Outcome>,
    rounds: u32,
    time: f64,
    seed: u64,
) -> RunResult {
    let utilities = match &agreement {
        Some(o) => utilities(scenario, o),
        None => table.reservation.clone(),
    };
    let payoffs = utilities
        .iter()
        .enumerate()
        .map(|(i, &u)| payoff(scenario, i, u, time, rounds))
        .collect();
    RunResult {
        protocol: protocol.to_string(),
        parties: scenario.parties.iter().map(|p| p.name.clone()).collect(),
        strategies,
        end,
        agreement,
        utilities,
        payoffs,
        rounds,
        time,
        seed,
        trace: table.into_trace(),
        metrics: None,
    }
}
