//! AgentLG (ANAC 2012 finalist), GENIUS
//! `agents/anac/y2012/AgentLG/{AgentLG,BidChooser,OpponentBids,BidStatistic}.java`;
//! negmas-genius-agents ports it as `anac/y2012/agent_lg.py`.
//!
//! Its bids are the best of its outcomes, down to best − 0.75·(best − u(opponent's first
//! offer)) and its reservation value (the share shrunk by 0.85 while 160,000 or more remain),
//! walked best first in a cycle whose length it extends. Before t = 0.6 it extends the cycle
//! every 0.1 of time, while the next outcome is within a quarter of the way from its best to
//! the opponent's first offer, past the outcomes worth no less now than the cycle's last one
//! will be worth in 0.1 (under a discount). From t = 0.6 it extends the cycle, at most every
//! 0.05, when the opponent's best offer improved (or under a discount every 0.1), to the first
//! outcome the opponent is expected to like as much as any in the cycle — expected from a
//! frequency count per value (count / the issue's top count, summed over issues). From t = 0.9
//! it stops cycling at the cycle's end, its end moved to the outcome the opponent likes best
//! among those above the mean of its best and the opponent's first offer. After t = 0.9995 it
//! offers the opponent's best offer (its cycle's last outcome if that is worth less than its
//! reservation value). Once it offers an outcome the opponent offered, it repeats it. It
//! accepts an offer worth 99 % of its last bid, 90 % after t = 0.999, or no less than its
//! cycle's last outcome (utilities discounted by d^t).
//!
//! Fidelity: faithful; outcomes of equal utility come in the bidding order's tie order (GENIUS:
//! its issue-by-issue generation order), real and integer issues on the bidding order's grid
//! (GENIUS: 11 points). It keeps the set of the opponent's distinct offers (to know when it
//! repeats one), and never accepts below its reservation value.

use std::collections::{HashMap, HashSet};

use crate::bidding::{Cut, Span};
use crate::opponent::{key, outcome_key};
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

/// Its bid list is shrunk while it holds this many outcomes.
const MIN_SIZE: u128 = 160_000;

pub struct AgentLg {
    own: Own,
    /// Per issue, how often the opponent offered each value.
    counts: Vec<HashMap<u64, u32>>,
    offered: HashSet<Vec<u64>>,
    first: Option<Outcome>,
    best_for_me: Option<(Outcome, f64)>,
    max_last: Option<Outcome>,
    /// The bid list: the `size` best outcomes; `None` until the opponent's first offer.
    size: Option<u128>,
    index: u128,
    possible: u128,
    last_time: f64,
    my_last: Option<Outcome>,
    repeat: bool,
}

impl AgentLg {
    pub fn new(setup: &Setup) -> AgentLg {
        AgentLg {
            own: Own::new(setup),
            counts: vec![HashMap::new(); setup.issues.len()],
            offered: HashSet::new(),
            first: None,
            best_for_me: None,
            max_last: None,
            size: None,
            index: 0,
            possible: 0,
            last_time: 0.0,
            my_last: None,
            repeat: false,
        }
    }

    /// How many of its best outcomes its bid list holds (`getAllBids`' filter).
    pub(crate) fn list_size(&self, first_u: f64, reservation: f64) -> u128 {
        let best = self.own.best().utility;
        let mut fraction = 0.75;
        loop {
            let down = best - (best - first_u) * fraction;
            let n = self.own.bids.count_at_least(down.max(reservation));
            if n < MIN_SIZE || fraction < 1e-9 {
                return n.max(1);
            }
            fraction *= 0.85;
        }
    }

    /// The opponent's expected utility of `bid` (`getOpponentBidUtility`).
    pub(crate) fn opponent_utility(&self, bid: &[zopa_core::Value]) -> f64 {
        bid.iter()
            .zip(&self.counts)
            .map(|(&v, counts)| {
                let top = counts.values().copied().max().unwrap_or(0);
                match counts.get(&key(v)) {
                    Some(&c) if top > 0 => f64::from(c) / f64::from(top),
                    _ => 0.0,
                }
            })
            .sum()
    }

    fn at(&self, rank: u128) -> Outcome {
        self.own
            .bids
            .at_rank(rank.min(self.size.unwrap_or(1).saturating_sub(1)))
            .map_or_else(|| self.own.best().outcome.clone(), |b| b.outcome)
    }

    /// The opponent's expected utilities of the list's outcomes `from..=to`, in order.
    fn opponent_utilities(&self, from: u128, to: u128) -> Vec<f64> {
        let Some(start) = self.own.bids.at_rank(from) else {
            return Vec::new();
        };
        let span = Span {
            from: Some(Cut::Before(start)),
            to: None,
        };
        let n = (to + 1).saturating_sub(from) as usize;
        self.own
            .bids
            .iter(&span)
            .take(n)
            .map(|b| self.opponent_utility(&b.outcome))
            .collect()
    }

    fn discounted(&self, u: f64, t: f64) -> f64 {
        match self.own.setup.discount {
            Some(d) if d > 0.0 && d < 1.0 => u * d.powf(t),
            _ => u,
        }
    }

    fn u(&self, b: &[zopa_core::Value]) -> f64 {
        self.own.setup.utility_of(b)
    }

    /// `getNextOptimicalBid` (before t = 0.6).
    fn optimal_bid(&mut self, t: f64) -> Outcome {
        let size = self.size.unwrap_or(1);
        let bid = self.at(self.index);
        self.index += 1;
        let my_best = self.discounted(self.own.best().utility, t);
        let first_u = self.first.as_ref().map_or(0.0, |f| self.u(f));
        let opp_best = self.discounted(first_u, t);
        let down = my_best - (my_best - opp_best) / 4.0;
        if t - self.last_time > 0.1
            && self.possible + 1 < size
            && down <= self.discounted(self.u(&self.at(self.possible + 1)), t)
        {
            let future = self.discounted(self.u(&self.at(self.possible)), t + 0.1);
            while self.discounted(self.u(&self.at(self.possible)), t) >= future
                && self.possible + 1 < size
            {
                self.possible += 1;
            }
            self.last_time = t;
        }
        if self.index > self.possible {
            self.index = 0;
        }
        self.max_last = self.best_for_me.as_ref().map(|b| b.0.clone());
        bid
    }

    /// `getNextBid` (from t = 0.6).
    fn next_bid(&mut self, t: f64) -> Outcome {
        let size = self.size.unwrap_or(1);
        let bid = self.at(self.index);
        self.index += 1;
        if self.index <= self.possible {
            return bid;
        }
        if t >= 0.9 {
            if t - self.last_time > 0.008 {
                let first_u = self.first.as_ref().map_or(0.0, |f| self.u(f));
                let avg = (self.own.best().utility + first_u) / 2.0;
                if self.index >= size {
                    self.index = size - 1;
                } else if self.u(&self.at(self.index)) < avg {
                    self.index -= 1;
                    let mut max = 0.0;
                    let mut at = self.possible;
                    for (i, u) in self
                        .opponent_utilities(self.possible, self.index)
                        .into_iter()
                        .enumerate()
                    {
                        if u > max {
                            max = u;
                            at = self.possible + i as u128;
                        }
                    }
                    self.possible = at;
                } else {
                    self.index -= 1;
                }
            } else {
                self.index = 0;
            }
            return bid;
        }
        self.index = 0;
        let discounted = self.own.setup.discount.is_some_and(|d| d < 1.0);
        if t - self.last_time > 0.05 {
            let (Some(best), Some(last)) = (&self.best_for_me, &self.max_last) else {
                return bid;
            };
            if best.1 > self.u(last) || (discounted && t - self.last_time > 0.1) {
                let max = self
                    .opponent_utilities(0, self.possible)
                    .into_iter()
                    .fold(0.0, f64::max);
                if let Some(k) = self
                    .opponent_utilities(self.possible + 1, size - 1)
                    .into_iter()
                    .position(|u| u >= max)
                {
                    self.possible += 1 + k as u128;
                }
                self.max_last = Some(best.0.clone());
                self.last_time = t;
            }
        }
        bid
    }

    fn choose(&mut self, view: &View<'_>, offered: Option<f64>) -> Action {
        let t = view.time;
        let (Some(u), Some(my_last)) = (offered, self.my_last.clone()) else {
            return Action::Offer(self.own.best().outcome.clone());
        };
        if self.size.is_none() {
            let first_u = self.first.as_ref().map_or(u, |f| self.u(f));
            self.size = Some(self.list_size(first_u, self.own.setup.reservation));
        }
        let opponent = self.discounted(u, t);
        let mine = self.discounted(self.u(&my_last), t);
        let floor = self.discounted(self.u(&self.at(self.possible)), t);
        let accept =
            opponent >= mine * 0.99 || (t > 0.999 && opponent >= mine * 0.9) || floor <= opponent;
        if accept && u >= view.reservation {
            return Action::Accept;
        }
        let bid = if self.repeat {
            my_last
        } else if t < 0.6 {
            self.optimal_bid(t)
        } else if t >= 0.9995 {
            let best = self.best_for_me.as_ref().map_or(my_last, |b| b.0.clone());
            if self.discounted(self.u(&best), t) < self.discounted(view.reservation, t) {
                self.at(self.possible)
            } else {
                best
            }
        } else {
            self.next_bid(t)
        };
        Action::Offer(bid)
    }
}

impl Negotiator for AgentLg {
    fn act(&mut self, view: &View<'_>) -> Action {
        let offered = self.own.observe(view);
        let fresh: Vec<(Outcome, f64)> = self.own.fresh().map(|(b, r)| (b.clone(), r.1)).collect();
        for (bid, u) in fresh {
            for (i, &v) in bid.iter().enumerate() {
                *self.counts[i].entry(key(v)).or_insert(0) += 1;
            }
            if self.best_for_me.as_ref().is_none_or(|b| b.1 < u) {
                self.best_for_me = Some((bid.clone(), u));
            }
            self.offered.insert(outcome_key(&bid));
            self.first.get_or_insert(bid);
        }
        let action = self.choose(view, offered);
        if let Action::Offer(b) = &action {
            if self.offered.contains(&outcome_key(b)) {
                self.repeat = true;
            }
            self.my_last = Some(b.clone());
        }
        action
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zopa_core::Value;

    #[test]
    fn the_bid_list_reaches_three_quarters_of_the_way_to_the_opponents_first_offer() {
        // One issue of 11 values worth 0, 0.1, …, 1: from 1 down to 1 − 0.75·(1 − 0.2) = 0.4.
        let a = AgentLg::new(&crate::strategies::test_setup(&[11], 0.0, 100));
        assert_eq!(a.list_size(0.2, 0.0), 7);
        // The reservation value cuts it shorter.
        assert_eq!(a.list_size(0.2, 0.75), 3);
    }

    #[test]
    fn the_opponent_model_counts_values_against_the_top_count() {
        let mut a = AgentLg::new(&crate::strategies::test_setup(&[3, 3], 0.0, 100));
        let d = Value::Discrete;
        for bid in [[d(0), d(1)], [d(0), d(2)], [d(1), d(2)], [d(0), d(2)]] {
            for (i, &v) in bid.iter().enumerate() {
                *a.counts[i].entry(key(v)).or_insert(0) += 1;
            }
        }
        // Issue 0: 0 offered 3 times (1), 1 once (1/3); issue 1: 2 three times, 1 once.
        assert!((a.opponent_utility(&[d(0), d(2)]) - 2.0).abs() < 1e-12);
        assert!((a.opponent_utility(&[d(1), d(1)]) - 2.0 / 3.0).abs() < 1e-12);
        assert_eq!(a.opponent_utility(&[d(2), d(0)]), 0.0);
    }

    #[test]
    fn it_ends_against_boulware() {
        crate::strategies::yushu::tests::ends_against_boulware("agentlg");
    }
}
