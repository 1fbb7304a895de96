//! ParsAgent (Khosravimehr & Nassiri-Mofakham; ANAC 2015 runner-up), GENIUS
//! `agents/anac/y2015/ParsAgent/ParsAgent.java`; NegoLog ports it as
//! `agents/ParsAgent/ParsAgent.py`.
//!
//! Target: max(0.7, 1 − t^(1/e)), e = 0.15 (0.2 when the first offer received is discounted).
//! It opens with its best outcome; afterwards it accepts an offer above the target, and
//! otherwise builds a bid: the best of the bids others accepted with one issue (drawn in
//! proportion to its weight) set to a random value, when above the target; else, per issue,
//! the value the two first opponents both repeat most (their top value, or in a second pass
//! one of their top two), the issue's first value where they agree on none (GENIUS's
//! `MyBestValue` returns index 0 whatever it finds); that bid when above the target, else its
//! best outcome with one issue (drawn in inverse proportion to its weight, from a draw of
//! 0–100) set to a random value keeping the bid above the target. When the bid built is below
//! the target (and the last move was an offer) it offers the latter kind of bid instead.
//!
//! Fidelity: faithful to GENIUS's behaviour, adapted where GENIUS depends on the machine or
//! on Java's hash order: GENIUS tries random values for ~1 ms (`(now − start)·1000 > 3`) and
//! keeps the last when none clears the target — zopa draws uniformly among the values that
//! clear it, a uniformly random value when none does (the same distribution, with no clock);
//! the first mover's opening (GENIUS reaches its best outcome through two caught
//! `NullPointerException`s) is its best outcome; ties between equally repeated values go to
//! the lower value index (Java: hash order). NegoLog's port differs: its `MyBestValue` takes
//! each issue's best value (so it offers its best outcome), and it tries each value of the
//! chosen issue once in random order.

use std::collections::BTreeMap;

use rand::RngExt;
use zopa_core::Value;

use crate::outcomes::candidate_values;
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

/// Issue weights of `setup`'s own utility (equal when it is not additive), as ParsAgent and
/// its descendants (MengWan) read them.
pub(crate) fn issue_weights(setup: &Setup, issues: usize) -> Vec<f64> {
    match setup.utility.as_additive() {
        Some(a) if a.weights.len() == issues => a.weights.clone(),
        _ => vec![1.0 / issues.max(1) as f64; issues],
    }
}

/// GENIUS `addBidToList`: `bid` inserted after the last bid no better than it (so the list is
/// not kept sorted), unless that bid is the same.
pub(crate) fn add_accepted(accepted: &mut Vec<(Outcome, f64)>, bid: Outcome, u: f64) {
    let mut index = accepted.len();
    for (i, (b, bu)) in accepted.iter().enumerate() {
        if *bu <= u {
            if *b != bid {
                index = i;
            } else {
                return;
            }
        }
    }
    accepted.insert(index, (bid, u));
}

/// GENIUS `chooseBestIssue`: an issue drawn with probability ∝ its weight, scanning from the
/// last; None where GENIUS returns its invalid index 0.
pub(crate) fn best_issue(weights: &[f64], rng: &mut crate::Rng) -> Option<usize> {
    let r = rng.random::<f64>();
    let mut sum = 0.0;
    for i in (0..weights.len()).rev() {
        sum += weights[i];
        if sum > r {
            return Some(i);
        }
    }
    None
}

/// GENIUS `chooseWorstIssue`: scanning from the last, the first issue where the sum of
/// inverse weights passes a draw of 0–100, else the lightest.
pub(crate) fn worst_issue(weights: &[f64], rng: &mut crate::Rng) -> usize {
    let r = rng.random::<f64>() * 100.0;
    let mut sum = 0.0;
    let (mut min, mut min_i) = (1.0, 0);
    for i in (0..weights.len()).rev() {
        sum += 1.0 / weights[i];
        if weights[i] < min {
            min = weights[i];
            min_i = i;
        }
        if sum > r {
            return i;
        }
    }
    min_i
}

pub struct ParsAgent {
    own: Own,
    values: Vec<Vec<Value>>,
    /// Issue weights of its own utility (equal when it is not additive).
    weights: Vec<f64>,
    /// The last offer another party made.
    last_bid: Option<Outcome>,
    /// Whether the last move another party made was an accept.
    last_was_accept: bool,
    /// Seats of its first two opponents (GENIUS oppA, oppB) and their value counts per issue.
    opponents: Vec<(usize, Vec<BTreeMap<usize, u32>>)>,
    /// Bids others accepted, with their utilities (GENIUS `opponentAB`, in its insertion order).
    accepted: Vec<(Outcome, f64)>,
    with_discount: Option<bool>,
}

impl ParsAgent {
    pub fn new(setup: &Setup) -> ParsAgent {
        let values: Vec<Vec<Value>> = setup.issues.iter().map(candidate_values).collect();
        let n = values.len();
        let weights = issue_weights(setup, n);
        ParsAgent {
            own: Own::new(setup),
            values,
            weights,
            last_bid: None,
            last_was_accept: false,
            opponents: Vec::new(),
            accepted: Vec::new(),
            with_discount: None,
        }
    }

    fn e(&self) -> f64 {
        if self.with_discount == Some(true) {
            0.2
        } else {
            0.15
        }
    }

    /// max(0.7, 1 − t^(1/e)).
    pub(crate) fn target(t: f64, e: f64) -> f64 {
        (1.0 - t.powf(1.0 / e)).max(0.7)
    }

    fn read(&mut self, view: &View<'_>) {
        let me = self.own.setup.index;
        for m in self.own.unseen(view) {
            if m.actor == me {
                continue;
            }
            match &m.action {
                Action::Offer(o) => {
                    if self.with_discount.is_none() {
                        let df = self.own.setup.discount.unwrap_or(1.0);
                        self.with_discount = Some(df < 1.0 && m.time > 0.0);
                    }
                    let pos = match self.opponents.iter().position(|(s, _)| *s == m.actor) {
                        Some(p) => Some(p),
                        None if self.opponents.len() < 2 => {
                            self.opponents
                                .push((m.actor, vec![BTreeMap::new(); self.values.len()]));
                            Some(self.opponents.len() - 1)
                        }
                        None => None,
                    };
                    if let Some(p) = pos {
                        for (i, v) in o.iter().enumerate() {
                            if let Some(k) = self.values[i].iter().position(|x| x == v) {
                                *self.opponents[p].1[i].entry(k).or_insert(0) += 1;
                            }
                        }
                    }
                    self.last_bid = Some(o.clone());
                    self.last_was_accept = false;
                }
                Action::Accept => {
                    if let Some(b) = self.last_bid.clone() {
                        let u = self.own.setup.utility_of(&b);
                        add_accepted(&mut self.accepted, b, u);
                    }
                    self.last_was_accept = true;
                }
                Action::End => self.last_was_accept = false,
            }
        }
    }

    /// The two most repeated values of a count map (first of equals: lowest index).
    fn top_two(counts: &BTreeMap<usize, u32>) -> [(u32, Option<usize>); 2] {
        let mut top = [(0, None), (0, None)];
        for (&k, &c) in counts {
            if c > top[0].0 {
                top[0] = (c, Some(k));
            } else if c > top[1].0 {
                top[1] = (c, Some(k));
            }
        }
        top
    }

    /// GENIUS `getMutualIssues`: per issue, a value both first opponents repeat most.
    fn mutual(&self) -> Vec<Option<usize>> {
        let n = self.values.len();
        let a = self.opponents.first().map(|o| &o.1);
        let b = self.opponents.get(1).map(|o| &o.1);
        let mut cycle: i32 = 2;
        let mut list = vec![None; n];
        while cycle > 0 {
            list = vec![None; n];
            for (i, slot) in list.iter_mut().enumerate() {
                let a_counts = a.map(|a| &a[i]).filter(|c| !c.is_empty());
                if let (Some(ac), Some(bc)) = (a_counts, b.map(|b| &b[i])) {
                    let ta = Self::top_two(ac);
                    let tb = Self::top_two(bc);
                    if cycle == 2 {
                        if ta[0].1.is_some() && ta[0].1 == tb[0].1 {
                            *slot = ta[0].1;
                        }
                    } else {
                        'found: for x in &ta {
                            for y in &tb {
                                if x.1.is_some() && x.1 == y.1 {
                                    *slot = x.1;
                                    break 'found;
                                }
                            }
                        }
                    }
                }
                // GENIUS tests opponent A's counts twice (for A and for B).
                if a_counts.is_none() {
                    cycle -= 1;
                }
            }
            if cycle != 0 {
                cycle -= 1;
                if self.accepted.is_empty() {
                    let agreed = list.iter().filter(|s| s.is_some()).count() as f64;
                    if agreed / n.max(1) as f64 >= 0.5 {
                        cycle -= 1;
                    }
                } else {
                    cycle -= 1;
                }
            }
        }
        list
    }

    /// GENIUS `getMybestBid(max, 0)`: its best outcome with one issue changed.
    fn near_best(&mut self, target: f64) -> Outcome {
        let best = self.own.best().outcome.clone();
        if self.values.is_empty() {
            return best;
        }
        let i = worst_issue(&self.weights, &mut self.own.rng);
        let good: Vec<usize> = (0..self.values[i].len())
            .filter(|&k| {
                let mut b = best.clone();
                b[i] = self.values[i][k];
                self.own.setup.utility_of(&b) > target
            })
            .collect();
        let k = if good.is_empty() {
            self.own.rng.random_range(0..self.values[i].len().max(1))
        } else {
            good[self.own.rng.random_range(0..good.len())]
        };
        let mut b = best;
        if let Some(&v) = self.values[i].get(k) {
            b[i] = v;
        }
        b
    }

    /// GENIUS `getNNBid`.
    fn near_accepted(&mut self, target: f64) -> Option<Outcome> {
        let mut best: Option<(Outcome, f64)> = None;
        for _ in 0..self.values.len() {
            let Some(i) = best_issue(&self.weights, &mut self.own.rng) else {
                continue;
            };
            for j in 0..self.accepted.len() {
                let mut b = self.accepted[j].0.clone();
                let k = self.own.rng.random_range(0..self.values[i].len().max(1));
                if let Some(&v) = self.values[i].get(k) {
                    b[i] = v;
                }
                let u = self.own.setup.utility_of(&b);
                if u > target && best.as_ref().is_none_or(|(_, bu)| u > *bu) {
                    best = Some((b, u));
                }
            }
        }
        best.map(|(b, _)| b)
    }

    /// GENIUS `offerMyNewBid`.
    fn new_bid(&mut self, target: f64) -> Outcome {
        if !self.accepted.is_empty() {
            if let Some(b) = self.near_accepted(target) {
                return b;
            }
        }
        let bid: Outcome = self
            .mutual()
            .iter()
            .enumerate()
            .map(|(i, m)| self.values[i][m.unwrap_or(0)])
            .collect();
        if self.own.setup.utility_of(&bid) > target {
            return bid;
        }
        self.near_best(target)
    }
}

impl Negotiator for ParsAgent {
    fn act(&mut self, view: &View<'_>) -> Action {
        self.read(view);
        let offer = self.own.observe(view);
        if self.last_bid.is_none() {
            return Action::Offer(self.own.best().outcome.clone());
        }
        let target = Self::target(view.time, self.e());
        if offer.is_some_and(|u| u > target && u >= view.reservation) {
            return Action::Accept;
        }
        let b = self.new_bid(target);
        if !self.last_was_accept && self.own.setup.utility_of(&b) < target {
            return Action::Offer(self.near_best(target));
        }
        Action::Offer(b)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_falls_late_to_its_floor() {
        assert_eq!(ParsAgent::target(0.0, 0.15), 1.0);
        // 0.5^(1/0.15) ≈ 0.0098.
        assert!((ParsAgent::target(0.5, 0.15) - (1.0 - 0.5f64.powf(1.0 / 0.15))).abs() < 1e-12);
        assert_eq!(ParsAgent::target(0.99, 0.15), 0.7);
    }

    #[test]
    fn accepted_bids_are_inserted_after_the_last_no_better_one() {
        let mut p = ParsAgent::new(&crate::strategies::test_setup(&[4], 0.0, 10));
        let bid = |k: u32| vec![Value::Discrete(k)];
        super::add_accepted(&mut p.accepted, bid(0), 0.9);
        super::add_accepted(&mut p.accepted, bid(1), 0.5);
        super::add_accepted(&mut p.accepted, bid(2), 0.3);
        super::add_accepted(&mut p.accepted, bid(3), 0.6);
        super::add_accepted(&mut p.accepted, bid(2), 0.3); // the same bid: not added again
        let order: Vec<f64> = p.accepted.iter().map(|x| x.1).collect();
        assert_eq!(order, vec![0.9, 0.5, 0.6, 0.3]);
    }

    #[test]
    fn bids_near_its_best_keep_above_the_target() {
        // Two issues of four values; the bid changes one issue of the best outcome.
        let mut p = ParsAgent::new(&crate::strategies::test_setup(&[4, 4], 0.0, 10));
        for target in [0.7, 0.8, 0.9] {
            for _ in 0..20 {
                let b = p.near_best(target);
                assert!(p.own.setup.utility_of(&b) > target, "{target}");
            }
        }
        // No opponent has offered: every issue falls back to its first value (worth 0), so
        // the new bid is the near-best one.
        let b = p.new_bid(0.8);
        assert!(p.own.setup.utility_of(&b) > 0.8);
    }
}
