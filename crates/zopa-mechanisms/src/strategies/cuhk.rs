//! CUHKAgent (Hao & Leung; ANAC 2012 winner), after GENIUS
//! `agents/anac/y2012/CUHKAgent/{CUHKAgent,OpponentBidHistory}.java` and `strategies.md` §1.5.
//!
//! - Concession time c₀ = 0.08 + 0.92·df^β (β = 1.8 if df > 0.75, 1.5 if df > 0.5, else 1.2),
//!   raised every turn by the opponent's toughness: c = c₀ + 0.1·(1 − c₀)·d¹⁰, where d is the
//!   share of the last ten distinct opponent bids offered only once, squared (fewer than ten
//!   distinct bids: (their number / 10)²).
//! - Threshold τ = Umax − (Umax − Umax·df^(1−c))·(t/c)² up to c, Umax·df^(1−t) after. In an
//!   undiscounted domain of more than 3,000 outcomes τ is floored at Umax − 0.05 instead
//!   (Umax − 0.25 from t = 0.98 above 10,000 outcomes); in a small undiscounted one τ stays at
//!   Umax — CUHKAgent concedes there only in its last rounds.
//! - Bid: the opponent's best offer when it clears τ; otherwise, among its outcomes between τ
//!   (floored to the 0.01 grid) and Umax, the one whose values the opponent has offered most
//!   often (counts from its first 100 distinct bids; ties broken by a coin flip, 200 sampled
//!   when there are more; 5 % of the time a random one).
//! - Accept when U ≥ τ or U ≥ its next bid, or when the opponent's best offer, discounted,
//!   beats Umax·df after c (or τ·df^t) and U is within 0.01 of it. End the negotiation when the
//!   reservation value clears τ or its next bid (or, discounted, Umax·df after c).
//! - Last rounds (fewer than 10 left): with fewer than 5 left and t > 0.9985 it offers the
//!   opponent's best bid — or, when that is below 0.85, a bid in [Umax − 0.15, Umax − 0.02].
//!
//! GENIUS's `concedeToOpponent` flag is always cleared by `TerminateCurrentNegotiation` before
//! it is read, so it never acts; zopa leaves it out. Rounds left are counted from the round
//! deadline (GENIUS estimates them from its turn times).

use std::collections::HashMap;

use rand::RngExt;

use crate::bidding::{draw_below, Bid, Cut, Span};
use crate::opponent::{key, outcome_key};
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

/// The opponent's bids as CUHKAgent keeps them.
#[derive(Default)]
struct History {
    /// Distinct bids, in order of first appearance.
    distinct: Vec<Outcome>,
    /// How often each bid was offered.
    count: HashMap<Vec<u64>, u32>,
    /// Per issue, how often each value was offered (while ≤ 100 distinct bids are known).
    values: Vec<HashMap<u64, u32>>,
    /// The best bid for us so far and its utility.
    best: Option<(Outcome, f64)>,
}

impl History {
    fn add(&mut self, bid: &Outcome, u: f64) {
        let n = self.count.entry(outcome_key(bid)).or_insert(0);
        *n += 1;
        if *n == 1 {
            self.distinct.push(bid.clone());
        }
        if self.best.as_ref().is_none_or(|b| u > b.1) {
            self.best = Some((bid.clone(), u));
        }
        if self.distinct.len() <= 100 {
            self.values.resize_with(bid.len(), HashMap::new);
            for (counts, v) in self.values.iter_mut().zip(bid) {
                *counts.entry(key(*v)).or_insert(0) += 1;
            }
        }
    }

    /// `getConcessionDegree`.
    fn toughness(&self) -> f64 {
        let n = self.distinct.len();
        let once = if n > 10 {
            self.distinct[n - 10..]
                .iter()
                .filter(|b| self.count.get(&outcome_key(b)) == Some(&1))
                .count()
        } else {
            n
        };
        (once as f64 / 10.0).powi(2)
    }

    /// How familiar a bid's values are to the opponent.
    fn score(&self, bid: &Outcome) -> u32 {
        self.values
            .iter()
            .zip(bid)
            .map(|(c, v)| c.get(&key(*v)).copied().unwrap_or(0))
            .sum()
    }
}

pub struct CuhkAgent {
    own: Own,
    history: History,
    /// The standing threshold (GENIUS keeps it between turns).
    threshold: f64,
    /// c₀ and the current c.
    concede_time: (f64, f64),
    /// Number of outcomes in the domain.
    size: f64,
    offered: usize,
}

impl CuhkAgent {
    pub fn new(setup: &Setup) -> CuhkAgent {
        let own = Own::new(setup);
        let df = Self::df(&own);
        let beta = if df > 0.75 {
            1.8
        } else if df > 0.5 {
            1.5
        } else {
            1.2
        };
        let c0 = 0.08 + 0.92 * df.powf(beta);
        CuhkAgent {
            threshold: own.best().utility,
            concede_time: (c0, c0),
            size: setup
                .issues
                .iter()
                .map(|i| i.cardinality().map_or(f64::INFINITY, |c| c as f64))
                .product(),
            own,
            history: History::default(),
            offered: 0,
        }
    }

    fn df(own: &Own) -> f64 {
        own.setup
            .discount
            .filter(|d| *d > 0.0 && *d <= 1.0)
            .unwrap_or(1.0)
    }

    /// `BidToOffer`: updates the threshold; returns the bid and the lower bound used.
    fn bid_to_offer(&mut self, t: f64) -> Outcome {
        let own = &mut self.own;
        let umax = own.best().utility;
        let df = Self::df(own);
        let c = self.concede_time.1;
        let minimum = if df == 1.0 && self.size > 3000.0 {
            let floor = if self.size > 10_000.0 && t >= 0.98 {
                umax - 0.25
            } else {
                umax - 0.05
            };
            self.threshold = self.threshold.min(floor);
            floor
        } else {
            self.threshold = if t <= c {
                let min_threshold = umax * df / df.powf(c);
                umax - (umax - min_threshold) * (t / c).powi(2)
            } else {
                umax * df / df.powf(t)
            };
            self.threshold
        };
        if let Some((bid, u)) = &self.history.best {
            if *u >= self.threshold || *u >= minimum {
                return bid.clone();
            }
        }
        // Outcomes in [minimum floored to the 0.01 grid, umax].
        let lower = (minimum / 0.01).floor() * 0.01;
        let span = own.at_least(lower - 1e-12);
        choose_bid(own, &self.history, &span)
    }
}

/// `ChooseBid`: the candidate whose values the opponent offered most often. Up to 200
/// candidates are read in order; of more, 200 drawn at random (with replacement, as GENIUS).
fn choose_bid(own: &mut Own, history: &History, span: &Span) -> Outcome {
    let n = own.bids.count(span);
    let start = span.from.as_ref().map_or(0, |c| own.bids.count_before(c));
    let mut listed = own.bids.iter(span);
    let mut best: Option<(Bid, u32)> = None;
    for _ in 0..n.min(200) {
        let candidate = if n > 200 {
            own.bids.at_rank(start + draw_below(&mut own.rng, n))
        } else {
            listed.next()
        };
        let Some(candidate) = candidate else { break };
        let s = history.score(&candidate.outcome);
        best = match best {
            Some((_, b)) if s < b => best,
            Some((_, b)) if s == b && !own.rng.random_bool(0.5) => best,
            _ => Some((candidate, s)),
        };
    }
    drop(listed);
    let chosen = match best {
        Some((b, _)) if own.rng.random_bool(0.95) => Some(b),
        _ => own.bids.at_rank(start + draw_below(&mut own.rng, n.max(1))),
    };
    chosen.unwrap_or_else(|| own.best().clone()).outcome
}

impl Negotiator for CuhkAgent {
    fn act(&mut self, view: &View<'_>) -> Action {
        let own = &mut self.own;
        let offer_u = own.observe(view);
        for (bid, (_, u)) in own.fresh() {
            self.history.add(bid, *u);
        }
        let Some(u) = offer_u else {
            // We open: our best bid.
            self.offered += 1;
            return Action::Offer(own.best().outcome.clone());
        };
        let (c0, _) = self.concede_time;
        self.concede_time.1 = (c0 + 0.1 * (1.0 - c0) * self.history.toughness().powi(10)).min(1.0);
        if self.offered == 0 {
            self.offered += 1;
            return Action::Offer(own.best().outcome.clone());
        }
        let t = view.time;
        let rounds_left = own
            .setup
            .deadline
            .rounds
            .map_or(u32::MAX, |r| r.saturating_sub(view.round));
        let bid = if rounds_left <= 10 && t > 0.9985 && rounds_left < 5 {
            let own = &mut self.own;
            let umax = own.best().utility;
            let (best, best_u) = self.history.best.clone().expect("an offer was received");
            if best_u < 0.85 && rounds_left >= 2 {
                // [umax − 0.15, umax − 0.02], widened by 1e−12 at both ends.
                let span = Span {
                    from: Some(Cut::Utility(umax - 0.02 + 1e-12)),
                    to: Some(Cut::Utility(umax - 0.15 - 1e-12)),
                };
                if own.bids.count(&span) > 0 {
                    choose_bid(own, &self.history, &span)
                } else {
                    best
                }
            } else {
                best
            }
        } else {
            self.bid_to_offer(t)
        };
        let own = &self.own;
        let next_u = own.setup.utility_of(&bid);
        let umax = own.best().utility;
        let df = Self::df(own);
        let c = self.concede_time.1;
        let best_u = self.history.best.as_ref().map_or(0.0, |b| b.1);
        let discounted_best = best_u * df.powf(t);
        let accept = u >= self.threshold
            || u >= next_u
            || ((discounted_best > umax * df && t > c)
                || discounted_best > self.threshold * df.powf(t))
                && u >= best_u - 0.01;
        let rv = view.reservation.max(0.0);
        let terminate =
            rv >= self.threshold || rv >= next_u || (rv * df.powf(t) > umax * df && t > c);
        self.offered += 1;
        match (accept, terminate) {
            (true, false) => Action::Accept,
            (false, true) => Action::End,
            (true, true) if u > rv => Action::Accept,
            (true, true) => Action::End,
            (false, false) => Action::Offer(bid),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zopa_core::Value::Discrete;

    #[test]
    fn toughness_counts_bids_offered_once_among_the_last_ten_distinct() {
        let mut h = History::default();
        let bid = |i: u32| vec![Discrete(i)];
        // Five distinct bids: (5/10)².
        for i in 0..5 {
            h.add(&bid(i), 0.1);
        }
        assert_eq!(h.toughness(), 0.25);
        // Twelve distinct bids; of the last ten, three were offered again: (7/10)².
        for i in 5..12 {
            h.add(&bid(i), 0.1);
        }
        h.add(&bid(3), 0.1);
        h.add(&bid(7), 0.1);
        h.add(&bid(9), 0.1);
        assert!((h.toughness() - 0.49).abs() < 1e-12, "{}", h.toughness());
        assert_eq!(h.score(&bid(7)), 2);
        assert_eq!(
            h.best.as_ref().unwrap().0,
            bid(0),
            "strictly better replaces"
        );
    }
}
