//! What a negotiator knows: its own setup, and the public moves of the negotiation so far.

use std::sync::Arc;

use zopa_core::{Issue, UtilityFunction, Value};

/// A complete outcome: one value per issue, in scenario order.
pub type Outcome = Vec<Value>;

/// Most rounds [`Deadline::rounds_to_reserve`] reserves room for.
pub const RESERVED_ROUNDS: usize = 256;

/// When the negotiation ends. Relative time t = max(round / rounds, elapsed / time) over the
/// limits that are set (NegoLog's rule); with neither set, t stays 0.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Deadline {
    pub rounds: Option<u32>,
    pub time: Option<std::time::Duration>,
}

impl Deadline {
    pub fn rounds(n: u32) -> Deadline {
        Deadline {
            rounds: Some(n),
            time: None,
        }
    }

    /// Relative time at the start of `round`, `elapsed` after the start.
    pub fn relative(&self, round: u32, elapsed: std::time::Duration) -> f64 {
        let by_round = self.rounds.map(|r| f64::from(round) / f64::from(r.max(1)));
        let by_time = self
            .time
            .map(|d| elapsed.as_secs_f64() / d.as_secs_f64().max(1e-12));
        match (by_round, by_time) {
            (Some(a), Some(b)) => a.max(b),
            (Some(a), None) => a,
            (None, Some(b)) => b,
            (None, None) => 0.0,
        }
        .min(1.0)
    }

    /// Room to reserve up front for a list that grows by one a round: the deadline's rounds,
    /// at most [`RESERVED_ROUNDS`] (a longer negotiation grows its lists as it goes; one
    /// without a round limit starts them empty). Growing a list a few times a negotiation was
    /// 4 % of a 10^3-outcome tournament's instructions (callgrind).
    pub fn rounds_to_reserve(&self) -> usize {
        self.rounds.map_or(0, |r| {
            usize::try_from(r)
                .unwrap_or(usize::MAX)
                .min(RESERVED_ROUNDS)
        })
    }

    /// Has the negotiation run out of rounds or time?
    pub fn passed(&self, round: u32, elapsed: std::time::Duration) -> bool {
        self.rounds.is_some_and(|r| round >= r) || self.time.is_some_and(|d| elapsed >= d)
    }
}

/// Everything one negotiator is told at the start: nothing about the others' preferences.
#[derive(Debug, Clone)]
pub struct Setup {
    /// This negotiator's party name.
    pub name: String,
    /// Its position in the turn order.
    pub index: usize,
    /// How many negotiators sit at the table.
    pub negotiators: usize,
    pub issues: Arc<Vec<Issue>>,
    /// Its own utility function.
    pub utility: Arc<UtilityFunction>,
    /// Its own reservation value at the start (events may move it; see [`View::reservation`]).
    pub reservation: f64,
    pub discount: Option<f64>,
    /// Utility it loses per round of negotiation (its cost of delay; 0 when none).
    pub cost_per_round: f64,
    pub deadline: Deadline,
    /// Seed of this negotiator's own random stream.
    pub seed: u64,
    /// Its own red lines (public statements: "the sole condition"), which make it refuse any
    /// text that breaches them whatever its strategy answers.
    pub red_lines: Vec<zopa_core::Condition>,
    /// Its own ranking of the outcomes, built on first use (see
    /// [`crate::outcomes::OutcomeCache`]).
    pub outcomes: Arc<crate::outcomes::Ranking>,
}

impl Setup {
    pub fn utility_of(&self, outcome: &[Value]) -> f64 {
        self.utility.eval(outcome)
    }
}

/// One public action.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Propose an outcome.
    Offer(Outcome),
    /// Accept the most recent offer.
    Accept,
    /// Walk away.
    End,
}

/// An action as everyone at the table saw it.
#[derive(Debug, Clone, PartialEq)]
pub struct Move {
    pub round: u32,
    pub time: f64,
    /// Turn-order index of the actor.
    pub actor: usize,
    pub action: Action,
}

/// What a negotiator sees when it is its turn.
#[derive(Debug, Clone, Copy)]
pub struct View<'a> {
    pub round: u32,
    /// Relative time t ∈ [0, 1].
    pub time: f64,
    /// The recent moves, oldest first: every move since the last one each negotiator has
    /// already been shown, and always the standing offer. Older moves are dropped so that a
    /// long negotiation's memory does not grow with its length; `history[0]` is move number
    /// [`View::offset`] of the negotiation.
    pub history: &'a [Move],
    /// How many earlier moves were dropped from `history`.
    pub offset: usize,
    /// Its own current reservation value (after any events).
    pub reservation: f64,
}

impl<'a> View<'a> {
    /// The most recent offer and who made it.
    pub fn last_offer(&self) -> Option<(usize, &'a Outcome)> {
        self.history.iter().rev().find_map(|m| match &m.action {
            Action::Offer(o) => Some((m.actor, o)),
            _ => None,
        })
    }

    /// Offers made by others than `me`, oldest first.
    pub fn offers_by_others(&self, me: usize) -> impl Iterator<Item = &'a Outcome> + 'a {
        self.history.iter().filter_map(move |m| match &m.action {
            Action::Offer(o) if m.actor != me => Some(o),
            _ => None,
        })
    }

    /// Offers made by `me`, oldest first.
    pub fn my_offers(&self, me: usize) -> impl Iterator<Item = &'a Outcome> + 'a {
        self.history.iter().filter_map(move |m| match &m.action {
            Action::Offer(o) if m.actor == me => Some(o),
            _ => None,
        })
    }
}

/// A negotiator at an alternating-offers table. It is built from its [`Setup`] when the
/// protocol seats it (see [`crate::registry`]), so it is ready from its first turn.
pub trait Negotiator: Send {
    /// Called on each of its turns.
    fn act(&mut self, view: &View<'_>) -> Action;

    /// Shuttle: its final yes or no on the standing text. `None` (the default, every
    /// built-in strategy) lets the protocol decide by its utility against the bar; a party
    /// that decides for itself (a person, a program) answers.
    fn ratify(
        &mut self,
        _view: &crate::protocols::mediated::TextView<'_>,
        _text: &Outcome,
    ) -> Option<bool> {
        None
    }

    /// Told once, when the negotiation is over, how it ended. By default nothing is done.
    fn finished(&mut self, _ending: &Ending<'_>) {}

    /// The model it keeps of its opponent's utility, if it keeps one (default: none). At the
    /// end of a bilateral negotiation the protocol scores it against the opponent's real
    /// utility ([`crate::accuracy`]); it is never shown to anyone during the negotiation.
    fn opponent_model(&self) -> Option<&dyn crate::opponent::OpponentModel> {
        None
    }
}

/// How a negotiation ended, as each party is told at the end: what every party may know.
#[derive(Debug, Clone, Copy)]
pub struct Ending<'a> {
    pub end: &'a crate::trace::End,
    /// The signed outcome, when the whole package was agreed.
    pub agreement: Option<&'a Outcome>,
    pub rounds: u32,
}
