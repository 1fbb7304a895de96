//! Rubick (Okan Tunalı; ANAC 2017 finalist), GENIUS `agents/anac/y2017/rubick/Rubick.java`;
//! NegoLog ports it as `agents/Rubick/Rubick.py`.
//!
//! Target: each turn a power p is drawn (2 when a uniform draw exceeds 0.95 + 0.05·m, 3 when
//! it exceeds 0.93 + 0.07·m, else 10, m the bar below) and the target is
//! m + (1 − m)(1 − t^p·|N(0, 1)|/3), where m is the best discounted utility received × 0.95
//! (from the reservation value, raised to 0.8 once an offer has been received twice). It
//! accepts, from its second offer received on, a discounted offer above the target, and any
//! offer after t = 0.999.
//!
//! Bidding: after t = 0.995 one of the (up to) three best bids other parties accepted, drawn
//! uniformly; otherwise, once it has three offers, a search of the outcomes at or above the
//! target for the most values in common with a "bag" per opponent — per issue one value drawn
//! among those the opponent offered at least as often as the issue's count sum divided by the
//! number of issues (an opponent not yet modelled, as the second of a bilateral table always
//! is, has every value in its bag); when the search finds fewer than two outcomes, the
//! outcome nearest the target.
//!
//! Fidelity: faithful to GENIUS's behaviour, quirks included: the first offer of each
//! opponent is not counted (its name is registered after counting), the mean divides by the
//! number of issues, and the search keeps GENIUS's selection, which compares a candidate's
//! score with the index of the last one kept (once that index reaches the largest possible
//! score nothing later can change the choice, and the scan stops). Adapted: no history of earlier sessions (zopa negotiations are
//! single sessions: GENIUS's first-session branch), an issue whose counts all fall below the
//! mean (GENIUS throws) draws among its most offered values, non-discrete issues are counted
//! over their candidate values (GENIUS supports discrete issues only), the search stops after
//! 20,000 outcomes, and it never accepts below its reservation value. NegoLog's port differs:
//! it takes the median, searches bilaterally with one bag, and takes the true best score.

use std::collections::HashMap;

use rand::RngExt;
use zopa_core::Value;

use crate::bidding::Span;
use crate::opponent::key;
use crate::outcomes::candidate_values;
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

/// Most outcomes the candidate search reads.
const SEARCH_LIMIT: usize = 20_000;

/// One issue's value counts for one opponent, in first-listed order.
#[derive(Debug, Clone, Default)]
struct Counts {
    values: Vec<(Value, u32)>,
    index: HashMap<u64, usize>,
}

impl Counts {
    fn new(values: Vec<Value>) -> Counts {
        let mut c = Counts::default();
        for v in values {
            c.slot(v);
        }
        c
    }

    fn slot(&mut self, v: Value) -> usize {
        let n = self.values.len();
        let k = *self.index.entry(key(v)).or_insert(n);
        if k == n {
            self.values.push((v, 0));
        }
        k
    }
}

pub struct Rubick {
    own: Own,
    /// The two first opponents by seat, and their counts per issue.
    opponents: Vec<(usize, Vec<Counts>)>,
    received: u32,
    max_received: f64,
    /// The best bids others accepted, best first (the three best kept).
    best_accepted: Vec<(Outcome, f64)>,
    bags: [Vec<Value>; 2],
    df: f64,
}

impl Rubick {
    pub fn new(setup: &Setup) -> Rubick {
        Rubick {
            own: Own::new(setup),
            opponents: Vec::new(),
            received: 0,
            max_received: setup.reservation,
            best_accepted: Vec::new(),
            bags: [Vec::new(), Vec::new()],
            df: setup.discount.unwrap_or(1.0),
        }
    }

    /// GENIUS `takeTheChance`: the power of time for a draw `chance`.
    pub(crate) fn power(chance: f64, max_received: f64) -> i32 {
        if chance > 0.95 + 0.05 * max_received {
            2
        } else if chance > 0.93 + 0.07 * max_received {
            3
        } else {
            10
        }
    }

    /// The target for bar m, power p, time t and a standard normal draw z.
    pub(crate) fn target(m: f64, p: i32, t: f64, z: f64) -> f64 {
        m + (1.0 - m) * (1.0 - t.powi(p) * (z / 3.0).abs())
    }

    fn gaussian(&mut self) -> f64 {
        // Box–Muller from two uniform draws of its own stream.
        let u1: f64 = self.own.rng.random::<f64>().max(f64::MIN_POSITIVE);
        let u2: f64 = self.own.rng.random::<f64>();
        (-2.0 * u1.ln()).sqrt() * (2.0 * std::f64::consts::PI * u2).cos()
    }

    fn new_counts(&self) -> Vec<Counts> {
        self.own
            .setup
            .issues
            .iter()
            .map(|i| Counts::new(candidate_values(i)))
            .collect()
    }

    /// GENIUS `extractOpponentPreferences`.
    fn extract(&mut self) {
        let n = self.own.setup.issues.len();
        let mut bags = [Vec::with_capacity(n), Vec::with_capacity(n)];
        for i in 0..n {
            for (k, bag) in bags.iter_mut().enumerate() {
                let blank;
                let counts = match self.opponents.get(k) {
                    Some((_, c)) => &c[i],
                    None => {
                        blank = Counts::new(candidate_values(&self.own.setup.issues[i]));
                        &blank
                    }
                };
                let sum: f64 = counts.values.iter().map(|&(_, c)| f64::from(c)).sum();
                let mean = sum / n as f64;
                let mut priors: Vec<Value> = counts
                    .values
                    .iter()
                    .filter(|&&(_, c)| f64::from(c) >= mean)
                    .map(|&(v, _)| v)
                    .collect();
                if priors.is_empty() {
                    let top = counts.values.iter().map(|&(_, c)| c).max().unwrap_or(0);
                    priors = counts
                        .values
                        .iter()
                        .filter(|&&(_, c)| c == top)
                        .map(|&(v, _)| v)
                        .collect();
                }
                if !priors.is_empty() {
                    let pick = self.own.rng.random_range(0..priors.len());
                    bag.push(priors[pick]);
                }
            }
        }
        self.bags = bags;
    }

    fn read(&mut self, view: &View<'_>) {
        let me = self.own.setup.index;
        let start = view.history.len() - self.own.unseen(view).len();
        // The standing offer as each move was made, for the accepts among them.
        let mut standing: Option<&Outcome> = None;
        for (at, m) in view.history.iter().enumerate() {
            match &m.action {
                Action::Offer(o) => {
                    standing = Some(o);
                    if at < start || m.actor == me {
                        continue;
                    }
                    let u = self.own.setup.utility_of(o) * self.df.powf(m.time);
                    if self.max_received < u {
                        self.max_received = u * 0.95;
                    }
                    self.received += 1;
                    // Counted only for opponents already registered (GENIUS registers a
                    // party after counting its offer).
                    if let Some(k) = self.opponents.iter().position(|(s, _)| *s == m.actor) {
                        for (c, v) in self.opponents[k].1.iter_mut().zip(o) {
                            let slot = c.slot(*v);
                            c.values[slot].1 += 1;
                        }
                    }
                    if self.received > 2 {
                        self.extract();
                    }
                    let known = self.opponents.iter().any(|(s, _)| *s == m.actor);
                    if self.opponents.len() < 2 && !known {
                        let counts = self.new_counts();
                        self.opponents.push((m.actor, counts));
                        self.opponents.sort_by_key(|(s, _)| *s);
                    }
                }
                Action::Accept if at >= start && m.actor != me => {
                    if let Some(bid) = standing {
                        self.accepted(bid.clone());
                    }
                }
                _ => {}
            }
        }
    }

    /// GENIUS's insertion into `bestAcceptedBids` (kept sorted, best first).
    fn accepted(&mut self, bid: Outcome) {
        if self.best_accepted.iter().any(|(b, _)| *b == bid) {
            return;
        }
        let u = self.own.setup.utility_of(&bid);
        let at = self
            .best_accepted
            .iter()
            .position(|(_, x)| u > *x)
            .unwrap_or(self.best_accepted.len());
        self.best_accepted.insert(at, (bid, u));
        self.best_accepted.truncate(3);
    }

    /// GENIUS `searchCandidateBids`.
    fn search(&self, target: f64) -> Option<Outcome> {
        let span = Span::at_least(target);
        if self.own.bids.count(&span) < 2 {
            return None;
        }
        let top = 2 * self.own.setup.issues.len() as i64;
        let mut kept: Option<(i64, Outcome)> = None;
        for (i, b) in self.own.bids.iter(&span).take(SEARCH_LIMIT).enumerate() {
            let score: i64 = b
                .outcome
                .iter()
                .enumerate()
                .map(|(k, v)| {
                    i64::from(self.bags[0].get(k) == Some(v))
                        + i64::from(self.bags[1].get(k) == Some(v))
                })
                .sum();
            let m = kept.as_ref().map_or(-1, |(m, _)| *m);
            if m < score {
                kept = Some((i as i64, b.outcome));
            }
            if kept.as_ref().is_some_and(|(m, _)| *m >= top) {
                break;
            }
        }
        kept.map(|(_, b)| b)
    }

    fn bid(&mut self, target: f64, t: f64) -> Outcome {
        if t > 0.995 && !self.best_accepted.is_empty() {
            let k = self
                .own
                .rng
                .random_range(0..self.best_accepted.len().min(3));
            return self.best_accepted[k].0.clone();
        }
        if !self.bags[0].is_empty() && !self.bags[1].is_empty() {
            if let Some(b) = self.search(target) {
                return b;
            }
        }
        self.own.bids.nearest(target).outcome
    }
}

impl Negotiator for Rubick {
    fn act(&mut self, view: &View<'_>) -> Action {
        self.read(view);
        let offer = self.own.observe(view);
        let t = view.time;
        let chance: f64 = self.own.rng.random();
        let p = Self::power(chance, self.max_received);
        let z = self.gaussian();
        if self.received < 2 {
            return Action::Offer(self.bid(1.0, t));
        }
        if self.max_received < 0.8 {
            self.max_received = 0.8;
        }
        let target = Self::target(self.max_received, p, t, z);
        if let Some(u) = offer {
            let discounted = u * self.df.powf(t);
            if (discounted > target || t > 0.999) && u >= view.reservation {
                return Action::Accept;
            }
        }
        Action::Offer(self.bid(target, t))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_power_is_mostly_ten_and_the_target_stays_above_the_bar() {
        assert_eq!(Rubick::power(0.5, 0.8), 10);
        assert_eq!(Rubick::power(0.98, 0.8), 10);
        assert_eq!(Rubick::power(0.988, 0.8), 3);
        assert_eq!(Rubick::power(0.995, 0.8), 2);
        // At t = 0 the target is 1; at t = 1 with z = 3 it is the bar m.
        assert_eq!(Rubick::target(0.8, 10, 0.0, 1.0), 1.0);
        assert!((Rubick::target(0.8, 10, 1.0, 3.0) - 0.8).abs() < 1e-12);
        // t = 0.5, p = 2, z = 1.5: 0.8 + 0.2·(1 − 0.25·0.5).
        assert!((Rubick::target(0.8, 2, 0.5, 1.5) - 0.975).abs() < 1e-12);
    }

    #[test]
    fn the_search_keeps_genius_index_comparison() {
        let mut r = Rubick::new(&crate::strategies::test_setup(&[3, 3], 0.0, 100));
        let d = Value::Discrete;
        // Bags matching the best outcome (2, 2) twice. At or above 0.5, in order: (2, 2)
        // scores 4, (1, 2) 2, (2, 1) 2, (0, 2) 2, (1, 1) 0, (2, 0) 2. GENIUS keeps index i
        // when the last kept index is below its score: 0, then 1 (0 < 2), then 2 (1 < 2),
        // then none (2 < 2 fails): (2, 1), not the best-scoring (2, 2).
        r.bags = [vec![d(2), d(2)], vec![d(2), d(2)]];
        assert_eq!(r.search(0.5), Some(vec![d(2), d(1)]));
        // Fewer than two outcomes at or above the target: no search.
        assert_eq!(r.search(1.0), None);
    }

    #[test]
    fn accepted_bids_are_kept_best_first_three_at_most() {
        let mut r = Rubick::new(&crate::strategies::test_setup(&[5], 0.0, 100));
        for k in [1u32, 4, 2, 3, 0] {
            r.accepted(vec![Value::Discrete(k)]);
        }
        let kept: Vec<f64> = r.best_accepted.iter().map(|b| b.1).collect();
        assert_eq!(kept, vec![1.0, 0.75, 0.5]);
    }

    #[test]
    fn a_negotiation_against_boulware_ends() {
        let r = crate::strategies::versus_boulware("rubick", &[5, 5, 4], 60);
        assert!(!matches!(r.end, crate::End::Error(_)), "{:?}", r.end);
    }
}
