//! Stacked alternating offers, GENIUS semantics (`StackedAlternatingOffersProtocol.java`):
//! parties act in a fixed order, one turn each per round; the very first turn may not accept;
//! an offer is agreed when every other party accepts it in turn; anyone may walk away; the
//! deadline ends the negotiation. With two parties this is bilateral alternating offers.

use std::sync::Arc;

use zopa_core::Scenario;

use crate::protocols::driver::{
    blame_matters, drive, Driver, DriverConfig, Machine, Refusal, Step, Who,
};
use crate::protocols::{guarded, TraceSink};
use crate::session::{Action, Ending, Move, Negotiator, Outcome, Setup, View};
use crate::trace::{End, RunResult, TraceAction};

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
    who: Who,
    negotiator: Box<dyn Negotiator>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub driver: DriverConfig,
    /// `sao` or `stacked`, for the result.
    pub protocol: String,
    /// Rankings shared across runs on the same scenario; `None` builds them for this run.
    pub cache: Option<Arc<crate::outcomes::OutcomeCache>>,
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
    let cache = config.cache.clone().unwrap_or_else(|| {
        Arc::new(crate::outcomes::OutcomeCache::new(
            scenario.parties.len(),
            config.driver.seed,
        ))
    });
    let mut d = Driver::new(scenario, config.driver.clone(), sink, Some(&cache));
    let mut table = Alternating::new(config.history_window);
    // A move per seat a round, and at most a refusal per move (within the window).
    let moves = (seats.len() * config.driver.deadline.rounds_to_reserve())
        .min(config.history_window.saturating_add(seats.len()));
    table.history.reserve(moves);
    table.refusals.reserve(moves);
    let started = table.start(&mut d, seats, &cache);
    let (end, agreement) = match started {
        Err(end) => (end, None),
        Ok(()) => drive(&mut d, &mut table),
    };
    if blame_matters(&end, agreement.is_some()) {
        table.weigh_refusals(&mut d, usize::MAX);
    }
    let rounds = if table.history.is_empty() && table.dropped == 0 {
        0
    } else {
        d.round + u32::from(end != End::Deadline)
    };
    let models = table.model_accuracy(d.scenario, config.driver.seed);
    let ending = Ending {
        end: &end,
        agreement: agreement.as_ref(),
        rounds,
    };
    for seat in &mut table.seats {
        // A party that fails while being told has nothing left to spoil.
        let _ = guarded(|| seat.negotiator.finished(&ending));
    }
    let mut result = d.finish(&config.protocol, end, agreement, rounds);
    for (party, accuracy) in models {
        result.opponent_models[party] = Some(accuracy);
    }
    result
}

/// The alternating-offers state machine: one [`Machine::step`] is one seat's turn.
struct Alternating {
    seats: Vec<Seated>,
    /// The moves every seat may still be shown; older ones are dropped (see `View::history`).
    history: Vec<Move>,
    /// How many moves were dropped from the front of `history`.
    dropped: usize,
    /// The standing offer, as an index into `history` (offers are moved there, not copied).
    last_offer: Option<usize>,
    /// Accepts of the standing offer so far.
    accepts: usize,
    /// Whose turn it is.
    turn: usize,
    window: usize,
    /// Offers turned down and not yet weighed, each `at` its move's number from the start
    /// (weighed at the end, or before their moves are dropped).
    refusals: Vec<Refusal>,
}

impl Alternating {
    fn new(window: usize) -> Alternating {
        Alternating {
            seats: Vec::new(),
            history: Vec::new(),
            dropped: 0,
            last_offer: None,
            accepts: 0,
            turn: 0,
            window,
            refusals: Vec::new(),
        }
    }

    /// Builds every seat's negotiator from its setup; a seat that cannot start ends the
    /// negotiation.
    fn start(
        &mut self,
        d: &mut Driver<'_, '_>,
        seats: Vec<Seat>,
        cache: &crate::outcomes::OutcomeCache,
    ) -> Result<(), End> {
        let n = seats.len();
        for (k, seat) in seats.into_iter().enumerate() {
            d.strategies[seat.party] = Some(seat.strategy.clone());
            let setup = d.setup(
                seat.party,
                k,
                n,
                crate::outcomes::Ranking::ready(cache.get(d.scenario, seat.party)),
            );
            let who = Who {
                name: d.scenario.parties[seat.party].name.clone(),
                strategy: seat.strategy.clone(),
            };
            match guarded(|| (seat.start)(&setup)) {
                Ok(negotiator) => self.seats.push(Seated {
                    party: seat.party,
                    who,
                    negotiator,
                }),
                Err(e) => return Err(d.failed_to_start(&who, &e)),
            }
        }
        Ok(())
    }

    /// At a bilateral table, how well each seat's opponent model (if it keeps one) predicts
    /// the other seat's utility (see [`crate::accuracy`]), by party. A model that fails while
    /// being scored is left unscored.
    fn model_accuracy(
        &self,
        scenario: &Scenario,
        seed: u64,
    ) -> Vec<(usize, crate::accuracy::ModelAccuracy)> {
        use crate::accuracy::{accuracy_outcomes, model_accuracy};
        if self.seats.len() != 2
            || self
                .seats
                .iter()
                .all(|s| s.negotiator.opponent_model().is_none())
        {
            return Vec::new();
        }
        let (outcomes, sampled) = accuracy_outcomes(&scenario.issues, seed);
        let mut out = Vec::new();
        for (k, seat) in self.seats.iter().enumerate() {
            let opponent = &scenario.parties[self.seats[1 - k].party].utility;
            let scored = guarded(|| {
                seat.negotiator
                    .opponent_model()
                    .and_then(|m| model_accuracy(m, |o| opponent.eval(o), &outcomes, sampled, seed))
            });
            if let Ok(Some(a)) = scored {
                out.push((seat.party, a));
            }
        }
        out
    }

    /// Weighs the refusals of offers made before move `before` (see [`Driver::weigh_refusals`]).
    fn weigh_refusals(&mut self, d: &mut Driver<'_, '_>, before: usize) {
        let k = self.refusals.partition_point(|r| r.at < before);
        let (history, dropped) = (&self.history, self.dropped);
        d.weigh_refusals(&self.refusals[..k], |at| {
            match &history.get(at - dropped)?.action {
                Action::Offer(o) => Some(o),
                _ => None,
            }
        });
        self.refusals.drain(..k);
    }

    /// The standing offer.
    fn standing(&self) -> Option<&Outcome> {
        match self.last_offer.map(|i| &self.history[i].action) {
            Some(Action::Offer(o)) => Some(o),
            _ => None,
        }
    }

    /// After a full round every seat has been shown every move before the last n; keep those n
    /// and the standing offer, dropping the rest once enough have piled up.
    fn forget(&mut self, d: &mut Driver<'_, '_>) {
        let n = self.seats.len();
        if self.history.len() >= self.window.saturating_add(n) {
            let cut = (self.history.len() - n).min(self.last_offer.unwrap_or(usize::MAX));
            if cut > 0 {
                self.weigh_refusals(d, self.dropped + cut);
                self.history.drain(..cut);
                self.dropped += cut;
                self.last_offer = self.last_offer.map(|i| i - cut);
            }
        }
    }
}

impl Machine for Alternating {
    fn step(&mut self, d: &mut Driver<'_, '_>) -> Step {
        let k = self.turn;
        let n = self.seats.len();
        let seat = &mut self.seats[k];
        let party = seat.party;
        let view = View {
            round: d.round,
            time: d.time,
            history: &self.history,
            offset: self.dropped,
            reservation: d.reservation[party],
        };
        // Stalling: it repeats its last offer without listening (once it has made one).
        let stalled_offer = if d.stalling(party) {
            self.history.iter().rev().find_map(|m| match &m.action {
                Action::Offer(o) if m.actor == k => Some(o.clone()),
                _ => None,
            })
        } else {
            None
        };
        let stalled = stalled_offer.is_some();
        let action = match stalled_offer {
            Some(o) => Action::Offer(o),
            None => match d.call(&seat.who, || seat.negotiator.act(&view)) {
                Ok(a) => a,
                Err(end) => return Step::Done(end, None),
            },
        };
        let who = &self.seats[k].who;
        let violation = match (&action, self.last_offer) {
            (Action::Accept, None) => Some("accepted before any offer was made".to_string()),
            (Action::Offer(o), _) => d.check_offer(o).err(),
            _ => None,
        };
        if let Some(v) = violation {
            return Step::Done(d.violation(who, &v), None);
        }
        // Countering or leaving an offer another party made turns it down.
        if !matches!(action, Action::Accept) {
            if let Some(i) = self.last_offer.filter(|&i| self.history[i].actor != k) {
                self.refusals.push(d.refusal(party, self.dropped + i));
            }
        }
        match &action {
            Action::Offer(o) => {
                let note = stalled.then(|| "stalls: repeats its last offer".to_string());
                d.record(&who.name, TraceAction::Offer, Some(o), note);
                self.last_offer = Some(self.history.len());
                self.accepts = 0;
            }
            Action::Accept => {
                let standing = self.standing().cloned();
                d.record(&who.name, TraceAction::Accept, standing.as_ref(), None);
                self.accepts += 1;
            }
            Action::End => d.record(&who.name, TraceAction::End, None, None),
        }
        let walked = action == Action::End;
        self.history.push(Move {
            round: d.round,
            time: d.time,
            actor: k,
            action,
        });
        if walked {
            return Step::Done(End::Walkaway, None);
        }
        if self.accepts + 1 == n {
            return Step::Done(End::Agreement, self.standing().cloned());
        }
        self.turn += 1;
        if self.turn == n {
            self.turn = 0;
            self.forget(d);
            d.round += 1;
        }
        Step::Continue
    }

    fn at_deadline(&mut self, _d: &mut Driver<'_, '_>) -> (End, Option<Outcome>) {
        (End::Deadline, None)
    }
}
