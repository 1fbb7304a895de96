//! BRAMAgent (ANAC 2011 finalist), GENIUS
//! `agents/anac/y2011/BramAgent/BRAMAgent.java`; negmas-genius-agents ports it as
//! `anac/y2011/bram_agent.py`.
//!
//! Threshold: best − (best − worst listed)·p, p = 0.07, 0.15, 0.3, 0.8 before 60, 150, 175 and
//! 180 seconds of a 180-second clock (as shares of the deadline), utilities discounted by
//! d^t; until its outcome list is built the threshold is its best. It accepts an offer at or
//! above the threshold or at least as good as its next bid. While fewer than ten offers have
//! come it bids its best; then, from the opponent's last ten offers, it draws ten outcomes
//! issue by issue (each value with the share of those offers that hold it) and bids the best
//! of them above the threshold; when none is, it walks its outcome list (best first): a
//! random step of −4…3 (−1…1 on lists of at most 50) from its last place, skipping places
//! offered as often as it consulted the list, its last bid again when the place falls below
//! the threshold.
//!
//! Fidelity: adapted. Its outcome list is the whole bidding order (GENIUS collects random
//! distinct outcomes for two seconds of wall clock — every outcome of a small space — and
//! sorts them); the list walk never runs past its end (GENIUS's does, which throws and makes
//! it accept); an issue's values are drawn in level order, as shares of the last ten offers
//! (GENIUS walks a hash map, and on integer and real issues its `≤` boundary can pick a value
//! none of them held). One seeded stream serves GENIUS's three; it never accepts below its
//! reservation value.

use std::collections::{HashMap, VecDeque};

use crate::opponent::key;
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

const WINDOW: usize = 10;

pub struct BramAgent {
    own: Own,
    /// The opponent's last ten offers, and per issue how many of them hold each value.
    window: VecDeque<Outcome>,
    counts: Vec<HashMap<u64, u32>>,
    /// Whether the outcome list has been built (GENIUS fills it on first use).
    listed: bool,
    interval: u32,
    offset: i64,
    last_place: u128,
    proposals: u32,
    /// How often each place of the list was offered.
    offered: HashMap<u128, u32>,
    previous: Outcome,
}

impl BramAgent {
    pub fn new(setup: &Setup) -> BramAgent {
        let own = Own::new(setup);
        let previous = own.best().outcome.clone();
        BramAgent {
            own,
            window: VecDeque::new(),
            counts: vec![HashMap::new(); setup.issues.len()],
            listed: false,
            interval: 8,
            offset: 4,
            last_place: 0,
            proposals: 0,
            offered: HashMap::new(),
            previous,
        }
    }

    fn discounted(&self, u: f64, t: f64) -> f64 {
        match self.own.setup.discount {
            Some(d) if d > 0.0 && d < 1.0 => u * d.powf(t),
            _ => u,
        }
    }

    /// `getNewThreshold`.
    pub(crate) fn threshold_at(t: f64, max: f64, min: f64) -> f64 {
        let p = if t < 60.0 / 180.0 {
            0.07
        } else if t < 150.0 / 180.0 {
            0.15
        } else if t < 175.0 / 180.0 {
            0.3
        } else {
            0.8
        };
        max - (max - min) * p
    }

    fn threshold(&self, t: f64) -> f64 {
        let max = self.discounted(self.own.best().utility, t);
        let min = if self.listed {
            self.discounted(self.own.worst().utility, t)
        } else {
            max
        };
        Self::threshold_at(t, max, min)
    }

    fn count(&mut self, bid: &Outcome, by: i64) {
        for (i, &v) in bid.iter().enumerate() {
            let c = self.counts[i].entry(key(v)).or_insert(0);
            *c = (i64::from(*c) + by).max(0) as u32;
        }
    }

    /// `createBidByOpponentModeling`: each issue's value drawn with its share of the window.
    fn modelled(&mut self) -> Outcome {
        let issues = std::sync::Arc::clone(&self.own.setup.issues);
        let best = self.own.best().outcome.clone();
        let mut bid = best.clone();
        for (i, issue) in issues.iter().enumerate() {
            let index = rand::RngExt::random_range(&mut self.own.rng, 0..WINDOW as u32);
            let levels = issue
                .cardinality()
                .map_or(crate::outcomes::REAL_LEVELS, |c| c as u32);
            let mut last = 0;
            let mut found = false;
            for level in 0..levels {
                let v = issue.value_at(level, crate::outcomes::REAL_LEVELS);
                let first = last;
                last = first + self.counts[i].get(&key(v)).copied().unwrap_or(0);
                if index >= first && index < last {
                    bid[i] = v;
                    found = true;
                    break;
                }
            }
            if !found {
                // A value off the grid (a real issue): the most recent offer's.
                if let Some(b) = self.window.back() {
                    bid[i] = b[i];
                }
            }
        }
        bid
    }

    /// `selectCurrentBidFromOurBidsArray`.
    fn walk_list(&mut self, threshold: f64, t: f64) -> Outcome {
        let size = self.own.bids.len();
        if !self.listed {
            self.listed = true;
            if size <= 50 {
                self.interval = 3;
                self.offset = 1;
            }
        }
        self.proposals += 1;
        let step = i64::from(rand::RngExt::random_range(
            &mut self.own.rng,
            0..self.interval,
        )) - self.offset;
        let mut place = if step < 0 {
            self.last_place.saturating_sub(step.unsigned_abs() as u128)
        } else {
            (self.last_place + step as u128).min(size - 1)
        };
        // GENIUS's test `count / proposals > 0.2` divides integers: it skips a place offered
        // at least as often as the list was consulted.
        while place + 1 < size && self.offered.get(&place).copied().unwrap_or(0) >= self.proposals {
            place += 1;
        }
        let Some(bid) = self.own.bids.at_rank(place) else {
            return self.previous.clone();
        };
        if self.discounted(bid.utility, t) < threshold {
            *self.offered.entry(self.last_place).or_insert(0) += 1;
            self.previous.clone()
        } else {
            self.previous = bid.outcome.clone();
            self.last_place = place;
            *self.offered.entry(place).or_insert(0) += 1;
            bid.outcome
        }
    }

    /// `getBidToOffer`.
    fn bid_to_offer(&mut self, threshold: f64, t: f64) -> Outcome {
        let mut best: Option<(Outcome, f64)> = None;
        for _ in 0..10 {
            let b = self.modelled();
            let u = self.discounted(self.own.setup.utility_of(&b), t);
            if u > best.as_ref().map_or(threshold, |x| x.1) {
                best = Some((b, u));
            }
        }
        match best {
            Some((b, _)) => b,
            None => self.walk_list(threshold, t),
        }
    }
}

impl Negotiator for BramAgent {
    fn act(&mut self, view: &View<'_>) -> Action {
        let offered = self.own.observe(view);
        self.own.received.clear();
        let t = view.time;
        let threshold = self.threshold(t);
        let (Some(u), Some((_, offer))) = (offered, view.last_offer()) else {
            return Action::Offer(self.own.best().outcome.clone());
        };
        let offer = offer.clone();
        let discounted = self.discounted(u, t);
        let rational = u >= view.reservation;
        if discounted >= threshold && rational {
            return Action::Accept;
        }
        let bid = if self.window.len() < WINDOW {
            self.count(&offer, 1);
            self.window.push_back(offer);
            self.own.best().outcome.clone()
        } else {
            if let Some(old) = self.window.pop_front() {
                self.count(&old, -1);
            }
            self.count(&offer, 1);
            self.window.push_back(offer);
            self.bid_to_offer(threshold, t)
        };
        if rational && discounted >= self.discounted(self.own.setup.utility_of(&bid), t) {
            return Action::Accept;
        }
        Action::Offer(bid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zopa_core::Value;

    #[test]
    fn the_threshold_widens_in_four_steps() {
        assert!((BramAgent::threshold_at(0.0, 1.0, 0.0) - 0.93).abs() < 1e-12);
        assert!((BramAgent::threshold_at(0.5, 1.0, 0.0) - 0.85).abs() < 1e-12);
        assert!((BramAgent::threshold_at(0.9, 1.0, 0.0) - 0.7).abs() < 1e-12);
        assert!((BramAgent::threshold_at(1.0, 1.0, 0.0) - 0.2).abs() < 1e-12);
        // Before its list is built, its best.
        let b = BramAgent::new(&crate::strategies::test_setup(&[5], 0.0, 100));
        assert_eq!(b.threshold(0.5), 1.0);
    }

    #[test]
    fn modelled_bids_hold_only_values_of_the_window() {
        let mut b = BramAgent::new(&crate::strategies::test_setup(&[5, 5], 0.0, 100));
        for k in 0..10u32 {
            let bid = vec![Value::Discrete(k % 2), Value::Discrete(3)];
            b.count(&bid, 1);
            b.window.push_back(bid);
        }
        for _ in 0..50 {
            let m = b.modelled();
            assert!(matches!(m[0], Value::Discrete(0 | 1)), "{m:?}");
            assert_eq!(m[1], Value::Discrete(3));
        }
    }

    #[test]
    fn it_ends_against_boulware() {
        crate::strategies::yushu::tests::ends_against_boulware("bramagent");
    }
}
