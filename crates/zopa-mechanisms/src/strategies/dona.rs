//! DoNA (Eden Erez & Erel Segal-haLevi; ANAC 2014 finalist), GENIUS
//! `agents/anac/y2014/DoNA/DoNA.java`, on spaces under 10⁶ outcomes its
//! `ClearDefaultStrategy.java` with `OpponentBidHistory.java` — "an agent that waits for the
//! last moment and then offers something".
//!
//! - Opponent model: each offer adds (T − t)·100 to the weight of each of its values (real
//!   issues in 10 bins), T = √(√(1 − rv)·√df) when 0 < rv < 1 and df < 1, else 1; it keeps the
//!   opponent's best offer, its number of distinct offers, and the mean time per offer.
//! - Strategy by the reservation value and discount: df ≥ 0.75 → last-moment strategy with
//!   floor 0.75; else rv ≥ 0.75 → walk away; rv ≤ 0.25 → fast strategy (walk down its order,
//!   taking the best of its next bid, the last offer, the opponent's best and rv); else, on a
//!   clock t/(T/1.2): early and still high, the fast strategy without walking away; then the
//!   last-moment strategy with floor 0.65; otherwise one step down its order per distinct
//!   offer the opponent made.
//! - Last moment: in the last two mean turn-times accept (or walk away below rv); in the two
//!   before, accept the last offer if it is the opponent's best, else re-offer that best; then
//!   the fast strategy; earlier, at 2^k mean turn-times from the end (k = 4 … 12), a target
//!   w·max + (1 − w)·(the opponent's best), w = range·(k − 1)/12 + floor, and among its
//!   outcomes at or above it the one the opponent model weighs most (the outcome nearest the
//!   target if none weighs anything); before all that its best outcome.
//!
//! Fidelity: adapted. The strategy for spaces of 10⁶ outcomes and more (100,000 random
//! samples and their own fast and last-moment variants) is not ported: `ClearDefaultStrategy`
//! runs at every size, over the exact bidding order (GENIUS lists every outcome). Integer
//! and real issues are weighed by level; it never accepts below rv.

use std::collections::HashSet;

use zopa_core::{IssueKind, Value};

use crate::bidding::{Bid, Span};
use crate::opponent::{outcome_key, OpponentModel};
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

/// Bins of a real issue in the opponent model (GENIUS's default discretisation).
const REAL_BINS: usize = 10;

/// GENIUS `OpponentBidHistory`'s value weights.
pub(crate) struct ValueWeights {
    issues: std::sync::Arc<Vec<zopa_core::Issue>>,
    weights: Vec<Vec<f64>>,
}

impl ValueWeights {
    fn new(issues: std::sync::Arc<Vec<zopa_core::Issue>>) -> ValueWeights {
        let weights = issues
            .iter()
            .map(|i| match &i.kind {
                IssueKind::Real { .. } => vec![0.0; REAL_BINS],
                _ => vec![0.0; crate::strategies::agentm::levels(i).min(1 << 20) as usize],
            })
            .collect();
        ValueWeights { issues, weights }
    }

    fn slot(&self, i: usize, v: Value) -> usize {
        let issue = &self.issues[i];
        let n = self.weights[i].len();
        match (&issue.kind, v) {
            (IssueKind::Real { min, max }, Value::Real(x)) if max > min => {
                // The first closed bin [lo + k·step, lo + (k + 1)·step] holding x.
                let step = (max - min) / REAL_BINS as f64;
                ((((x - min) / step).ceil() as i64 - 1).max(0) as usize).min(n - 1)
            }
            _ => (crate::strategies::agentm::level_of(issue, v) as usize).min(n - 1),
        }
    }

    /// The largest sum of value weights an outcome can collect.
    fn scale(&self) -> f64 {
        self.weights
            .iter()
            .map(|w| w.iter().copied().fold(0.0, f64::max))
            .sum()
    }

    fn add(&mut self, bid: &[Value], weight: f64) {
        for (i, &v) in bid.iter().enumerate().take(self.weights.len()) {
            let k = self.slot(i, v);
            self.weights[i][k] += weight;
        }
    }
}

impl OpponentModel for ValueWeights {
    fn name(&self) -> &'static str {
        "dona"
    }

    fn update(&mut self, bid: &[Value], time: f64) {
        self.add(bid, time);
    }

    /// The value weights' sum, over the most any outcome can collect (so in [0, 1], as the
    /// trait promises and opponent-model accuracy reads it; 0 before any offer). A positive
    /// scale: what DoNA bids by (the argmax, "above 0") is unchanged.
    fn utility(&self, outcome: &[Value]) -> f64 {
        let raw: f64 = outcome
            .iter()
            .enumerate()
            .take(self.weights.len())
            .map(|(i, &v)| self.weights[i][self.slot(i, v)])
            .sum();
        let scale = self.scale();
        if scale > 0.0 {
            raw / scale
        } else {
            0.0
        }
    }

    fn estimate(&self, values: &[Vec<Value>]) -> Option<zopa_core::bidding::Estimate> {
        let scale = self.scale();
        Some(crate::bidding::estimate(
            values,
            |i, v| self.weights[i][self.slot(i, v)],
            if scale > 0.0 { scale } else { 1.0 },
        ))
    }
}

pub struct Dona {
    own: Own,
    model: ValueWeights,
    /// GENIUS `theTimeIAmReadyToInvestInNegotiation`.
    ready: f64,
    last: Option<(Outcome, f64)>,
    best: Option<(Outcome, f64)>,
    distinct: HashSet<Vec<u64>>,
    offers: u32,
    /// Mean time per opponent offer.
    response: f64,
    /// Its place in its order for the fast strategies.
    count: u128,
}

/// What a sub-strategy decided.
enum Move {
    Accept,
    End,
    Offer(Outcome),
}

impl Dona {
    pub fn new(setup: &Setup) -> Dona {
        let rv = setup.reservation;
        let df = setup.discount.unwrap_or(1.0);
        let ready = if rv > 0.0 && rv < 1.0 && df < 1.0 {
            ((1.0 - rv).sqrt() * df.sqrt()).sqrt()
        } else {
            1.0
        };
        Dona {
            own: Own::new(setup),
            model: ValueWeights::new(std::sync::Arc::clone(&setup.issues)),
            ready,
            last: None,
            best: None,
            distinct: HashSet::new(),
            offers: 0,
            response: 0.0,
            count: 0,
        }
    }

    fn at(&self, rank: u128) -> Option<Bid> {
        self.own.bids.at_rank(rank)
    }

    fn last_u(&self) -> f64 {
        self.last.as_ref().map_or(0.0, |l| l.1)
    }

    /// GENIUS `EndNegotiationOrAcceptOrNewOfferr`.
    fn settle(&self, mine: Bid, rv: f64) -> Move {
        let last = self.last_u();
        let best = self.best.as_ref().map_or(self.own.worst().utility, |b| b.1);
        if rv >= mine.utility && rv >= best && rv >= last {
            Move::End
        } else if last >= best && last >= mine.utility && last >= rv {
            Move::Accept
        } else if best >= last && best >= mine.utility && best >= rv {
            match &self.best {
                Some(b) => Move::Offer(b.0.clone()),
                None => Move::Offer(mine.outcome),
            }
        } else {
            Move::Offer(mine.outcome)
        }
    }

    /// GENIUS `FastStrategy`: the next outcome of its order, settled.
    fn fast(&mut self, rv: f64) -> Move {
        let bid = self.at(self.count);
        self.count += 1;
        match bid {
            Some(b) => self.settle(b, rv),
            None => Move::End,
        }
    }

    /// The outcome at or above `u` the opponent model weighs most, if any weighs anything.
    fn choose(&self, u: f64) -> Option<Outcome> {
        let b = self.own.bids.best_for(&Span::at_least(u), &self.model)?;
        (self.model.utility(&b.outcome) > 0.0).then_some(b.outcome)
    }

    /// GENIUS `FastStrategyWithoutEndNegotiation`.
    fn fast_staying(&mut self, floor: f64, rv: f64) -> Move {
        let Some(best) = self.best.clone() else {
            return self.fast(rv);
        };
        let Some(mine) = self.at(self.count) else {
            return self.fast(rv);
        };
        let last = self.last_u();
        if last >= best.1 && last >= mine.utility && last >= floor {
            Move::Accept
        } else if best.1 >= last && best.1 >= mine.utility && best.1 >= floor {
            Move::Offer(best.0)
        } else if floor >= mine.utility && floor >= best.1 && floor >= last {
            match self.choose(mine.utility) {
                Some(b) => Move::Offer(b),
                None => self.settle(mine, rv),
            }
        } else {
            self.count += 1;
            Move::Offer(mine.outcome)
        }
    }

    /// GENIUS `FastLastMomentStrategyWithoutEndNegotiation`.
    fn fast_last_moment(&mut self, start: f64, min: f64, t: f64, rv: f64) -> Move {
        let delta = (start - min) / 11.0;
        for k in 2..=12 {
            if t >= 1.0 - 2f64.powi(k) * self.response {
                return self.fast_staying(min + f64::from(k - 2) * delta, rv);
            }
        }
        self.fast_staying(start, rv)
    }

    /// GENIUS `middleBid`.
    fn middle(&self, rounds_left: u32, min: f64) -> Outcome {
        let max = self.own.best().utility;
        let range = max - self.own.worst().utility;
        let best = self.best.as_ref().map_or(0.0, |b| b.1);
        let w = range * (f64::from(rounds_left) / 12.0) + min;
        let target = w * max + (1.0 - w) * best;
        self.choose(target)
            .unwrap_or_else(|| self.own.bids.nearest(target).outcome)
    }

    /// GENIUS `LastMomentStrategy`.
    fn last_moment(&mut self, min: f64, t: f64, rv: f64) -> Move {
        let avg = self.response;
        let Some((_, last)) = self.last.clone() else {
            // GENIUS reads the utility of a missing offer and falls to its exception
            // strategy.
            return self.fast_last_moment(1.0, 0.0, t, rv);
        };
        if t >= 1.0 - 2.0 * avg {
            return if rv > last { Move::End } else { Move::Accept };
        }
        if t >= 1.0 - 4.0 * avg {
            // (Set with `last`.)
            let best = self.best.clone().unwrap_or_else(|| (Vec::new(), last));
            if best.0.is_empty() {
                return Move::Accept;
            }
            return if rv > best.1 && rv > last {
                Move::End
            } else if last >= best.1 {
                Move::Accept
            } else {
                Move::Offer(best.0)
            };
        }
        if t >= 1.0 - 16.0 * avg {
            return self.fast(rv);
        }
        let mut bid = None;
        for k in 5..=13 {
            if t >= 1.0 - 2f64.powi(k) * avg {
                bid = Some(self.middle(k as u32 - 2, min));
                break;
            }
        }
        let Some(bid) = bid else {
            let best = self.own.best().clone();
            return if rv > best.utility {
                Move::End
            } else {
                Move::Offer(best.outcome)
            };
        };
        let u = self.own.setup.utility_of(&bid);
        if rv > u && rv > last {
            Move::End
        } else if last > u {
            Move::Accept
        } else {
            Move::Offer(bid)
        }
    }

    /// `ClearDefaultStrategy.chooseAction`.
    fn decide(&mut self, t: f64, rv: f64) -> Move {
        let df = self.own.setup.discount.unwrap_or(1.0);
        if df >= 0.75 {
            return self.last_moment(0.75, t, rv);
        }
        if rv >= 0.75 {
            return Move::End;
        }
        if rv <= 0.25 {
            return self.fast(rv);
        }
        let clock = t / (self.ready / 1.2);
        let next = self.at(self.count).map_or(0.0, |b| b.utility);
        if clock <= 0.25 && next >= 0.95 {
            self.fast_staying(0.95, rv)
        } else if clock <= 0.5 && next >= 0.85 {
            self.fast_last_moment(1.0, 0.85, clock * 2.0, rv)
        } else if clock > 0.75 {
            self.last_moment(0.65, clock, rv)
        } else {
            // GENIUS `OneStepStrategy`: one step down per distinct opponent offer.
            match self.at(self.distinct.len() as u128) {
                Some(b) => self.settle(b, rv),
                None => self.fast_last_moment(1.0, 0.0, t, rv),
            }
        }
    }
}

impl Negotiator for Dona {
    fn opponent_model(&self) -> Option<&dyn OpponentModel> {
        Some(&self.model)
    }

    fn act(&mut self, view: &View<'_>) -> Action {
        let standing = self.own.observe(view);
        let fresh: Vec<(Outcome, f64, f64)> = self
            .own
            .fresh()
            .map(|(b, &(t, u))| (b.clone(), t, u))
            .collect();
        for (bid, time, u) in fresh {
            self.model.add(&bid, (self.ready - time) * 100.0);
            if self.distinct.insert(outcome_key(&bid)) {
                // GENIUS keeps the first distinct offer, then any strictly better one.
                if self.best.as_ref().is_none_or(|b| u > b.1) {
                    self.best = Some((bid.clone(), u));
                }
            }
            self.offers += 1;
            self.response = time / f64::from(self.offers);
            self.last = Some((bid, u));
        }
        let (t, rv) = (view.time, view.reservation);
        match self.decide(t, rv) {
            Move::Accept if standing.is_some_and(|u| u >= rv) => Action::Accept,
            Move::End => Action::End,
            Move::Offer(o) => Action::Offer(o),
            // Nothing to accept (or below rv): its best.
            Move::Accept => Action::Offer(self.own.best().outcome.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_it_invests_shrinks_with_rv_and_discount() {
        let mut setup = crate::strategies::test_setup(&[3, 3], 0.0, 40);
        assert_eq!(Dona::new(&setup).ready, 1.0);
        setup.reservation = 0.36;
        setup.discount = Some(0.64);
        // √(√0.64 · √0.64) = √0.64 = 0.8.
        assert!((Dona::new(&setup).ready - 0.8).abs() < 1e-12);
    }

    #[test]
    fn it_offers_its_best_until_the_last_moments() {
        let setup = crate::strategies::test_setup(&[4, 4], 0.0, 40);
        let mut d = Dona::new(&setup);
        // No offer yet: the mean response time is 0, so every "last moment" lies at t = 1.
        d.last = Some((vec![Value::Discrete(0), Value::Discrete(0)], 0.0));
        d.best = d.last.clone();
        match d.last_moment(0.75, 0.5, 0.0) {
            Move::Offer(o) => assert_eq!(o, d.own.best().outcome),
            _ => panic!("expected its best"),
        }
        // With a mean of 0.025 per offer, t = 0.96 is within two means of the end: accept.
        d.response = 0.025;
        assert!(matches!(d.last_moment(0.75, 0.96, 0.0), Move::Accept));
        // Within four: the last offer is the opponent's best, so accept too.
        assert!(matches!(d.last_moment(0.75, 0.92, 0.0), Move::Accept));
    }

    #[test]
    fn it_ends_against_boulware() {
        crate::strategies::thefawkes::tests::duel_with_boulware("dona");
    }

    #[test]
    fn its_model_estimates_utilities_within_0_and_1() {
        use crate::opponent::OpponentModel;
        let setup = crate::strategies::test_setup(&[3, 4], 0.0, 40);
        let mut m = super::ValueWeights::new(std::sync::Arc::clone(&setup.issues));
        let d = zopa_core::Value::Discrete;
        assert_eq!(m.utility(&[d(0), d(0)]), 0.0);
        m.add(&[d(2), d(1)], 95.0);
        m.add(&[d(2), d(3)], 40.0);
        assert_eq!(m.utility(&[d(2), d(1)]), 1.0);
        assert!((m.utility(&[d(0), d(3)]) - 40.0 / 230.0).abs() < 1e-12);
        for a in 0..3 {
            for b in 0..4 {
                let u = m.utility(&[d(a), d(b)]);
                assert!((0.0..=1.0).contains(&u), "{u}");
            }
        }
    }
}
