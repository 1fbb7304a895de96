//! Nice Tit for Tat (Baarslag, Hindriks & Jonker; ANAC 2011 finalist), GENIUS
//! `agents/anac/y2011/Nice_Tit_for_Tat/{NiceTitForTat,BilateralAgent,BidHistory}.java`;
//! NegoLog ports it as `agents/NiceTitForTat/NiceTitForTat.py`.
//!
//! It mirrors the opponent's concession toward its own estimate of the Nash point. With a
//! Bayesian model of the opponent, the Nash point's own utility N (the outcome maximising the
//! product of its utility and the model's, on spaces under 200,000 outcomes; 0.7 otherwise)
//! is scaled by 1.4 − 0.6·gap (gap = 1 − the least of the opponent's first offers, t ≤ 0.01)
//! and kept in [0.5, 1]. The opponent's concession c = max offered − its starting point, as a
//! share f = min(1, c / (N − start)) of the way to N; the target is 1 − f·(1 − N), lowered by
//! a bonus share of what is left above N (0.5 − 0.4·df, or 20·(t − 0.91) after t = 0.91 —
//! 0.85 on spaces above 3,000 outcomes). Bids: the outcomes of utility in [0.98·target, m],
//! m stepping by 0.01 from target + 0.05 until it holds two (or one once m ≥ 1); of them the
//! n best for the model (n = size/10 within [3, 20]), one at random; the opponent's best
//! offer instead when that is at least as good. It accepts an offer at least as good as its
//! planned bid, or after t = 0.98 one that none of the opponent's offers in the last 1 − t
//! beat while at most 10 (40 on spaces above 10,000) came in that time — offering the
//! opponent's best offer back instead, up to four times, while it is better.
//!
//! Fidelity: adapted in two places. The Bayesian model is zopa's scalable one
//! ([`crate::opponent::BayesianModel`]), not GENIUS's `BayesianOpponentModelScalable`; on spaces
//! above 10,000 outcomes the two outcomes of a range are the two best in the bidding order,
//! not the first two in GENIUS's issue-by-issue iteration. It never accepts below its
//! reservation value. The Nash search runs on every turn while the model may learn (until
//! t = 0.99, or 0.5 above 10,000 outcomes), as GENIUS does, best first and stopping where no
//! outcome left can beat the product found (GENIUS lists the whole space: the same point).

use crate::bidding::Span;
use crate::opponent::{BayesianModel, OpponentModel};
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

/// Spaces of at least this many outcomes get no Nash search (N = 0.7).
const NASH_LIMIT: u128 = 200_000;
/// Spaces above this many outcomes are "big".
const BIG: u128 = 10_000;

pub struct NiceTitForTat {
    own: Own,
    model: BayesianModel,
    size: u128,
    /// Its own bids so far.
    made: usize,
    nash: f64,
    initial_gap: f64,
    /// The opponent's offers: the best (outcome, utility), the least utility, the first
    /// offer's utility and the least utility of those of its first offers (t ≤ 0.01, u > 0).
    best: Option<(Outcome, f64)>,
    least: f64,
    first: Option<f64>,
    first_least: Option<f64>,
    offered_best_back: u32,
}

impl NiceTitForTat {
    pub fn new(setup: &Setup) -> NiceTitForTat {
        let own = Own::new(setup);
        let size = own.bids.len();
        NiceTitForTat {
            model: BayesianModel::new(std::sync::Arc::clone(&setup.issues)),
            own,
            size,
            made: 0,
            nash: 0.0,
            initial_gap: 0.0,
            best: None,
            least: f64::INFINITY,
            first: None,
            first_least: None,
            offered_best_back: 0,
        }
    }

    fn big(&self) -> bool {
        self.size > BIG
    }

    /// `getBonus`: the share of the gap to the Nash point given away.
    pub(crate) fn bonus(t: f64, df: f64, size: u128) -> f64 {
        let discount_bonus = 0.5 - 0.4 * df;
        let min_time = if size > 3000 { 0.85 } else { 0.91 };
        let time_bonus = if t > min_time {
            (20.0 * (t - min_time)).min(1.0)
        } else {
            0.0
        };
        discount_bonus.max(time_bonus).clamp(0.0, 1.0)
    }

    /// The target from the Nash utility, the opponent's starting point, its best offer so far
    /// and the bonus.
    pub(crate) fn target(nash: f64, start: f64, max_offered: f64, bonus: f64) -> f64 {
        let denominator = nash - start;
        let factor = if denominator == 0.0 {
            0.0
        } else {
            ((max_offered - start) / denominator).min(1.0)
        };
        let target = 1.0 - factor * (1.0 - nash);
        target - bonus * (target - nash).max(0.0)
    }

    /// `updateMyNashUtility`.
    fn update_nash(&mut self) {
        let mut nash = 0.7;
        if self.size < NASH_LIMIT {
            let mut best = 0.0;
            for b in self.own.bids.iter(&Span::all()) {
                // Best first: once even a model utility of 1 (its most, up to rounding) cannot
                // lift this outcome's product above the best one, no later outcome can — the
                // same Nash point, without listing the rest of the space.
                if b.utility * (1.0 + 1e-9) <= best {
                    break;
                }
                let product = b.utility * self.model.utility(&b.outcome);
                if product > best {
                    best = product;
                    nash = b.utility;
                }
            }
        }
        nash *= (1.4 - 0.6 * self.initial_gap).max(0.0);
        self.nash = nash.clamp(0.5, 1.0);
    }

    /// `getBidsOfUtility` then `getBestBidForOpponent`.
    fn bid_for(&mut self, target: f64) -> Outcome {
        let target = target.min(1.0);
        let min = target * 0.98;
        let mut max = target + 0.04;
        loop {
            max += 0.01;
            let span = Span::between(min, max);
            let size = self.own.bids.count(&span);
            if size > 1 || (max >= 1.0 && size > 0) {
                return self.best_for_opponent(&span, size);
            }
            if max > 1.0 {
                return self.own.best().outcome.clone();
            }
        }
    }

    fn best_for_opponent(&mut self, span: &Span, size: u128) -> Outcome {
        let listed: Vec<Outcome> = if self.big() {
            self.own
                .bids
                .iter(span)
                .take(2)
                .map(|b| b.outcome)
                .collect()
        } else {
            self.own.bids.iter(span).map(|b| b.outcome).collect()
        };
        let listed_size = if self.big() { size.min(2) } else { size } as f64;
        let n = ((listed_size / 10.0).round() as usize).clamp(3, 20);
        let mut scored: Vec<(f64, Outcome)> = listed
            .into_iter()
            .map(|b| (self.model.utility(&b), b))
            .collect();
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        scored.truncate(n);
        let k = crate::bidding::draw_below(&mut self.own.rng, scored.len() as u128) as usize;
        scored.swap_remove(k).1
    }

    /// `isAcceptable`: the offer against its planned bid, then the end-phase test.
    fn acceptable(&self, offered: f64, planned: f64, t: f64) -> bool {
        if offered >= planned {
            return true;
        }
        if t < 0.98 {
            return false;
        }
        let left = 1.0 - t;
        let recent: Vec<f64> = self
            .own
            .received
            .iter()
            .rev()
            .take_while(|r| r.0 > t - left)
            .filter(|r| r.0 <= t && r.1 > 0.0 && r.1 <= 1.0)
            .map(|r| r.1)
            .collect();
        let enough = if self.big() { 40 } else { 10 };
        if recent.len() > enough {
            return false;
        }
        let better: Vec<f64> = recent.into_iter().filter(|&u| u > offered).collect();
        let expected = if better.is_empty() {
            0.0
        } else {
            better.iter().sum::<f64>() / better.len() as f64
        };
        offered > expected
    }

    fn learn(&mut self) {
        let fresh: Vec<(Outcome, (f64, f64))> =
            self.own.fresh().map(|(b, r)| (b.clone(), *r)).collect();
        for (bid, (time, u)) in fresh {
            if self.best.as_ref().is_none_or(|b| u > b.1) {
                self.best = Some((bid, u));
            }
            self.least = self.least.min(u);
            self.first.get_or_insert(u);
            if time > 0.0 && time <= 0.01 && u > 0.0 && u <= 1.0 {
                self.first_least = Some(self.first_least.map_or(u, |m| m.min(u)));
            }
        }
        // Only the received offers it looks back at are kept: those of the end window
        // (t ≥ 0.98 looks back to 2t − 1 ≥ 0.96).
        let t = self.own.received.last().map_or(0.0, |r| r.0);
        if t < 0.9 {
            self.own.received.clear();
        }
    }
}

impl Negotiator for NiceTitForTat {
    fn opponent_model(&self) -> Option<&dyn OpponentModel> {
        Some(&self.model)
    }

    fn act(&mut self, view: &View<'_>) -> Action {
        let t = view.time;
        let offered = self.own.observe(view);
        let last = view.last_offer().map(|(_, b)| b.clone());
        self.learn();
        let (Some(u), Some(last)) = (offered, last) else {
            self.made += 1;
            return Action::Offer(self.own.best().outcome.clone());
        };
        let planned = if self.made == 0 {
            self.own.best().outcome.clone()
        } else {
            if t <= 0.99 && !(self.big() && t > 0.5) {
                self.model.update(&last, t);
                self.update_nash();
            }
            let start = self.first_least.or(self.first).unwrap_or(u);
            let max_offered = self.best.as_ref().map_or(u, |b| b.1);
            let df = self.own.setup.discount.unwrap_or(1.0);
            let bonus = Self::bonus(t, df, self.size);
            let target = Self::target(self.nash, start, max_offered, bonus);
            self.initial_gap = 1.0 - start;
            let mut bid = self.bid_for(target);
            if let Some((best, best_u)) = &self.best {
                if *best_u >= self.own.setup.utility_of(&bid) {
                    bid = best.clone();
                }
            }
            bid
        };
        let planned_u = self.own.setup.utility_of(&planned);
        if self.acceptable(u, planned_u, t) && u >= view.reservation {
            // `makeAcceptAction`: offer the opponent's best back while more offers may come.
            let recent = self
                .own
                .received
                .iter()
                .rev()
                .take_while(|r| r.0 > t - (1.0 - t))
                .filter(|r| r.0 <= t && r.1 > 0.0 && r.1 <= 1.0)
                .count();
            if let Some((best, best_u)) = &self.best {
                if recent > 1 && *best_u > u && self.offered_best_back <= 3 {
                    self.offered_best_back += 1;
                    self.made += 1;
                    return Action::Offer(best.clone());
                }
            }
            return Action::Accept;
        }
        self.made += 1;
        Action::Offer(planned)
    }
}

#[cfg(test)]
mod tests {
    use super::NiceTitForTat;

    #[test]
    fn the_bonus_grows_late_and_with_the_discount() {
        // Undiscounted: 0.1 until t = 0.91, then 20·(t − 0.91), at most 1.
        assert!((NiceTitForTat::bonus(0.5, 1.0, 100) - 0.1).abs() < 1e-12);
        assert!((NiceTitForTat::bonus(0.95, 1.0, 100) - 0.8).abs() < 1e-12);
        assert_eq!(NiceTitForTat::bonus(1.0, 1.0, 100), 1.0);
        // Big spaces start at 0.85; a discount of 0.5 gives 0.3 from the start.
        assert!((NiceTitForTat::bonus(0.9, 1.0, 5000) - 1.0).abs() < 1e-12);
        assert!((NiceTitForTat::bonus(0.0, 0.5, 100) - 0.3).abs() < 1e-12);
    }

    #[test]
    fn the_target_mirrors_the_opponents_concession_toward_nash() {
        // No concession yet: the target is 1, less the bonus share of 1 − N.
        assert!((NiceTitForTat::target(0.7, 0.3, 0.3, 0.0) - 1.0).abs() < 1e-12);
        assert!((NiceTitForTat::target(0.7, 0.3, 0.3, 0.1) - 0.97).abs() < 1e-12);
        // Half-way to N: half of 1 − N conceded.
        assert!((NiceTitForTat::target(0.7, 0.3, 0.5, 0.0) - 0.85).abs() < 1e-12);
        // All the way (or beyond): the target is N.
        assert!((NiceTitForTat::target(0.7, 0.3, 0.9, 0.0) - 0.7).abs() < 1e-12);
    }

    #[test]
    fn late_it_accepts_what_no_recent_offer_beat() {
        let mut n = NiceTitForTat::new(&crate::strategies::test_setup(&[4, 4], 0.0, 100));
        assert!(n.acceptable(0.6, 0.6, 0.5));
        assert!(!n.acceptable(0.5, 0.6, 0.5));
        n.own.received = vec![(0.97, 0.4), (0.985, 0.55)];
        // At t = 0.99 the window is (0.98, 0.99]: 0.55 beats 0.5, not 0.6.
        assert!(!n.acceptable(0.5, 0.9, 0.99));
        assert!(n.acceptable(0.6, 0.9, 0.99));
    }

    #[test]
    fn it_ends_against_boulware() {
        crate::strategies::yushu::tests::ends_against_boulware("nicetitfortat");
    }
}
