//! AgentBuyog (ANAC 2015 runner-up, individual utility), GENIUS
//! `agents/anac/y2015/agentBuyogV2/AgentBuyogMain.java` and `OpponentInfo.java`; NegoLog ports
//! it as `agents/AgentBuyog/AgentBuyog.py`.
//!
//! Threshold: m + (1 − m)(1 − t^1.8) with m = 0.7·df + 0.3·rv, halved when at most three
//! rounds remain (rounds left estimated as (1 − t) / (t / turns so far)), never below rv —
//! and when it would be, with a discount and more than three rounds left, it walks away. With
//! an offer on the table it accepts the last bid of the negotiation (the last offer received)
//! when it reaches the threshold and the best bid both opponents offered, if at most three
//! rounds remain. It bids that common bid when it beats the threshold, else a uniformly random
//! outcome at or above the threshold, and accepts instead when the last bid is at least as
//! good as that bid too.
//!
//! GENIUS's opponent bookkeeping is kept: the first two messages (offers or accepts) create
//! opponents A and B — at a table of two both are the one opponent, of which only A ever hears
//! offers, so no bid is ever common and the threshold keeps its first form, as in GENIUS.
//!
//! Fidelity: faithful at a table of two. Adapted at larger tables: GENIUS's opponent-difficulty
//! model (a frequency model of each opponent, its Kalai point estimated over the whole outcome
//! space, its concession fitted by Flanagan's simplex regression), which replaces m by the
//! harder opponent's difficulty and the random bid by the bid nearest the Kalai point, is not
//! ported: the threshold keeps its first form and bids stay random. An empty window (threshold
//! above its best outcome, where GENIUS throws) gives its best outcome; it never accepts below
//! its reservation value. NegoLog's port uses m = 0.7 + 0.3·rv (no df). Memory: each
//! opponent's distinct offers (for the common-bid test).

use std::collections::HashSet;

use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

const TIME_CONCESSION: f64 = 1.8;
const LAST_SECOND_FACTOR: f64 = 0.5;

pub struct AgentBuyog {
    own: Own,
    /// GENIUS infoA and infoB: a seat and the bids heard from it.
    infos: Vec<(usize, HashSet<Vec<u64>>)>,
    /// The best bid both opponents offered, with its utility.
    common: Option<(Outcome, f64)>,
    /// The last bid of the negotiation (received or its own), with its utility.
    last: Option<(Outcome, f64)>,
    turns: u32,
    df: f64,
}

impl AgentBuyog {
    pub fn new(setup: &Setup) -> AgentBuyog {
        AgentBuyog {
            own: Own::new(setup),
            infos: Vec::new(),
            common: None,
            last: None,
            turns: 0,
            df: setup.discount.unwrap_or(1.0),
        }
    }

    /// The acceptance threshold before the reservation floor.
    pub(crate) fn threshold(df: f64, rv: f64, t: f64, remaining: f64) -> f64 {
        let m = df * 0.7 + rv * 0.3;
        let a = m + (1.0 - m) * (1.0 - t.powf(TIME_CONCESSION));
        if remaining <= 3.0 {
            a * LAST_SECOND_FACTOR
        } else {
            a
        }
    }

    fn read(&mut self, view: &View<'_>) {
        let me = self.own.setup.index;
        for m in self.own.unseen(view) {
            if m.actor == me {
                continue;
            }
            let bid = match &m.action {
                Action::Offer(o) => {
                    let u = self.own.setup.utility_of(o);
                    self.last = Some((o.clone(), u));
                    Some(o.clone())
                }
                Action::Accept => self.last.as_ref().map(|l| l.0.clone()),
                Action::End => continue,
            };
            if self.infos.len() < 2 {
                self.infos.push((m.actor, HashSet::new()));
            }
            let Some(bid) = bid else { continue };
            let key = crate::opponent::outcome_key(&bid);
            let sender = self.infos.iter().position(|(s, _)| *s == m.actor);
            let other = match sender {
                Some(0) => 1,
                Some(_) => 0,
                None => continue,
            };
            if let Some(k) = sender {
                self.infos[k].1.insert(key.clone());
            }
            if self
                .infos
                .get(other)
                .is_some_and(|(_, seen)| seen.contains(&key))
            {
                let u = self.own.setup.utility_of(&bid);
                if self.common.as_ref().is_none_or(|c| u > c.1) {
                    self.common = Some((bid, u));
                }
            }
        }
    }
}

impl Negotiator for AgentBuyog {
    fn act(&mut self, view: &View<'_>) -> Action {
        self.read(view);
        let offer = self.own.observe(view);
        let t = view.time;
        let rv = view.reservation;
        self.turns += 1;
        let per_turn = t / f64::from(self.turns);
        let remaining = (1.0 - t) / per_turn;
        let common_u = self.common.as_ref().map_or(0.0, |c| c.1);
        let recent = self.last.as_ref().map_or(0.0, |l| l.1);
        let mut threshold = Self::threshold(self.df, self.own.setup.reservation, t, remaining);
        if threshold < rv {
            threshold = rv;
            if self.df < 1.0 && remaining > 3.0 {
                return Action::End;
            }
        }
        let can_accept = offer.is_some_and(|u| u >= rv);
        if can_accept && recent >= threshold && recent >= common_u && remaining <= 3.0 {
            return Action::Accept;
        }
        let bid = match &self.common {
            Some(c) if c.1 > threshold => c.clone(),
            _ => {
                let own = &mut self.own;
                let span = own.at_least(threshold);
                let b = own
                    .bids
                    .random(&span, &mut own.rng)
                    .unwrap_or_else(|| own.best().clone());
                (b.outcome, b.utility)
            }
        };
        if can_accept && recent >= threshold && recent >= common_u && recent >= bid.1 {
            return Action::Accept;
        }
        self.last = Some(bid.clone());
        Action::Offer(bid.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_threshold_concedes_to_its_floor_and_halves_at_the_end() {
        // m = 0.7 with df = 1, rv = 0.
        assert_eq!(AgentBuyog::threshold(1.0, 0.0, 0.0, f64::INFINITY), 1.0);
        let half = 0.7 + 0.3 * (1.0 - 0.5f64.powf(1.8));
        assert!((AgentBuyog::threshold(1.0, 0.0, 0.5, 100.0) - half).abs() < 1e-12);
        assert!((AgentBuyog::threshold(1.0, 0.0, 1.0, 100.0) - 0.7).abs() < 1e-12);
        // Three rounds or fewer left: halved.
        assert!((AgentBuyog::threshold(1.0, 0.0, 1.0, 3.0) - 0.35).abs() < 1e-12);
        // m = 0.7·df + 0.3·rv.
        assert!((AgentBuyog::threshold(0.5, 0.5, 1.0, 100.0) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn at_a_table_of_two_no_bid_is_ever_common() {
        let mut a = AgentBuyog::new(&crate::strategies::test_setup(&[3, 3], 0.0, 100));
        let d = zopa_core::Value::Discrete;
        let mut history = Vec::new();
        for round in 0..4u32 {
            history.push(crate::session::Move {
                round,
                time: f64::from(round) / 100.0,
                actor: 1,
                action: Action::Offer(vec![d(2), d(2)]),
            });
            let view = View {
                round,
                time: f64::from(round) / 100.0,
                history: &history,
                offset: 0,
                reservation: 0.0,
            };
            let _ = a.act(&view);
        }
        assert_eq!(a.infos.len(), 2);
        assert_eq!(a.infos[0].0, a.infos[1].0);
        assert!(a.infos[1].1.is_empty());
        assert!(a.common.is_none());
    }

    #[test]
    fn a_negotiation_against_boulware_ends() {
        let r = crate::strategies::versus_boulware("agentbuyog", &[5, 5, 4], 60);
        assert!(!matches!(r.end, crate::End::Error(_)), "{:?}", r.end);
    }
}
