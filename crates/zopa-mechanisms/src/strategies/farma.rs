//! Farma (ANAC 2016 finalist), GENIUS `agents/anac/y2016/farma/Farma.java` with
//! `etc/negotiationInfo.java`, `etc/negotiationStrategy.java`, `etc/bidSearch.java` and
//! `etc/CntBySender.java` — an Atlas3 descendant.
//!
//! - Per opponent: mean, variance and deviation of its offers' utilities (to Farma), and its
//!   first offer; its own mean and variance likewise.
//! - Emax = m + (1 − m)·w, w = √(3/(m − m²))·sd (√12·sd at m ∈ {0, 1}). Threshold: discounted,
//!   min(0.95, 1 − (1 − df)·ln(1 + t(e − 1))); undiscounted, the least over opponents of
//!   1 − (1 − Emax)·t^α, α = max(0.1, 3.5 + rv − ((mine − theirs mean) − (mine − theirs
//!   variance))); never below max(0.30 or 0.55 + 0.2·rv, least Emax), ×0.85 after t = 0.99
//!   when rv = 0. It accepts at or above it and walks away when rv·df^t reaches it (or, after
//!   t = 0.5 with rv > 2·df, when every opponent's Emax is below the distance of its first
//!   offer from 1).
//! - Bidding: its best outcome on its first three turns and every ⌊75/df⌋-th; else among the
//!   outcomes it gathered around the opponents' offers (every one-value change of each offer
//!   at or above rv, and each of those moved to an opponent's most frequent value of an
//!   issue) those within [threshold, threshold + 0.125), preferring the one most accepted
//!   and offered by important opponents (importance 1 − accept rate + distance of the first
//!   offer), then the most similar to an opponent's most frequent values; failing that
//!   Atlas3's relative-utility search and the same choice among its frequency variants; its
//!   best when that falls below the threshold.
//!
//! Fidelity: faithful, quirks kept: value counts are keyed by value alone, so equal values of
//! different issues share a count; the accept rate divides integers; only the last opponent's
//! similarity counts. Adapted: its best outcome comes from the exact order and the
//! non-linear fallback is the least outcome at or above the threshold (Atlas3's adaptations,
//! reused: `RelativeSearch`), so the frequency step starts from its best when the search
//! falls short (GENIUS: from the short result); integer and real issues range over zopa's
//! candidate values (GENIUS lists an integer issue wrongly and fails); the gathered outcomes
//! stop at 50,000 (GENIUS: unbounded) and are kept in the order found (GENIUS: hash order);
//! seeded random draws; never accepts below rv.

use std::collections::{HashMap, HashSet};

use zopa_core::{IssueKind, Value};

use crate::opponent::outcome_key;
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::atlas3::RelativeSearch;
use crate::strategies::Own;

/// Most outcomes gathered around the opponents' offers.
const GATHERED: usize = 50_000;
const EPS: f64 = 0.125;

/// A value as GENIUS's `Value.equals` tells them apart: by kind and text, not by issue.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum ValueKey {
    Discrete(String),
    Integer(i64),
    Real(u64),
}

#[derive(Debug, Clone, Default)]
struct Stats {
    n: usize,
    sum: f64,
    pow_sum: f64,
    mean: f64,
    var: f64,
    sd: f64,
    first: Option<f64>,
}

impl Stats {
    fn add(&mut self, u: f64) {
        self.n += 1;
        self.sum += u;
        self.pow_sum += u * u;
        self.mean = self.sum / self.n as f64;
        self.var = (self.pow_sum / self.n as f64 - self.mean * self.mean).max(0.0);
        self.sd = self.var.sqrt();
        self.first.get_or_insert(u);
    }
}

pub struct Farma {
    own: Own,
    search: RelativeSearch,
    /// Opponents by seat, in the order first heard.
    opponents: Vec<usize>,
    stats: HashMap<usize, Stats>,
    mine: Stats,
    accepts: HashMap<usize, u32>,
    accept_sum: u32,
    bid_accepts: HashMap<Vec<u64>, HashMap<usize, u32>>,
    value_counts: HashMap<ValueKey, HashMap<usize, u32>>,
    gathered: Vec<(Outcome, f64)>,
    gathered_keys: HashSet<Vec<u64>>,
    offered: Option<Outcome>,
    round: u32,
}

impl Farma {
    pub fn new(setup: &Setup) -> Farma {
        Farma {
            own: Own::new(setup),
            search: RelativeSearch::new(setup),
            opponents: Vec::new(),
            stats: HashMap::new(),
            mine: Stats::default(),
            accepts: HashMap::new(),
            accept_sum: 0,
            bid_accepts: HashMap::new(),
            value_counts: HashMap::new(),
            gathered: Vec::new(),
            gathered_keys: HashSet::new(),
            offered: None,
            round: 0,
        }
    }

    fn key(&self, i: usize, v: Value) -> ValueKey {
        match (&self.own.setup.issues[i].kind, v) {
            (IssueKind::Discrete { values, .. }, Value::Discrete(k)) => {
                ValueKey::Discrete(values.get(k as usize).cloned().unwrap_or_default())
            }
            (_, Value::Integer(x)) => ValueKey::Integer(x),
            (_, Value::Real(x)) => ValueKey::Real(x.to_bits()),
            (_, Value::Discrete(k)) => ValueKey::Discrete(k.to_string()),
        }
    }

    fn discounted(&self) -> bool {
        self.own.setup.discount.is_some_and(|d| d > 0.0 && d < 1.0)
    }

    fn df(&self) -> f64 {
        self.own.setup.discount.filter(|d| *d > 0.0).unwrap_or(1.0)
    }

    fn meet(&mut self, seat: usize) {
        if !self.opponents.contains(&seat) {
            self.opponents.push(seat);
            self.stats.insert(seat, Stats::default());
        }
    }

    pub(crate) fn width(m: f64, sd: f64) -> f64 {
        if m > 0.0 && m < 1.0 {
            (3.0 / (m - m * m)).sqrt() * sd
        } else {
            12f64.sqrt() * sd
        }
    }

    fn emax(&self, seat: usize) -> f64 {
        let s = &self.stats[&seat];
        s.mean + (1.0 - s.mean) * Self::width(s.mean, s.sd)
    }

    /// 1 − its utility of the opponent's first offer (0 before one).
    fn distance(&self, seat: usize) -> f64 {
        self.stats[&seat].first.map_or(0.0, |u| 1.0 - u)
    }

    fn lower_limit(&self, t: f64, rv: f64) -> f64 {
        let mut lower = if self.discounted() {
            0.30 + rv * 0.2
        } else {
            0.55 + rv * 0.2
        };
        let min_emax = self
            .opponents
            .iter()
            .map(|&s| self.emax(s))
            .fold(1.0, f64::min);
        lower = lower.max(min_emax);
        if rv == 0.0 && t > 0.99 {
            lower *= 0.85;
        }
        lower
    }

    /// `negotiationStrategy.getThreshold`.
    pub(crate) fn threshold(&self, t: f64, rv: f64) -> f64 {
        let lower = self.lower_limit(t, rv);
        let threshold = if self.discounted() {
            let df = self.df();
            0.95f64.min(1.0 - (1.0 - df) * (t * (std::f64::consts::E - 1.0)).ln_1p())
        } else {
            let mut threshold: f64 = 1.0;
            for &s in &self.opponents {
                let o = &self.stats[&s];
                let assertive = self.mine.var - o.var;
                let cooperative = self.mine.mean - o.mean;
                let alpha = (3.5 + rv - (cooperative - assertive)).max(0.1);
                let target = 1.0 - (1.0 - self.emax(s)) * t.powf(alpha);
                threshold = threshold.min(target);
            }
            threshold
        };
        threshold.max(lower)
    }

    fn walks_away(&self, t: f64, rv: f64) -> bool {
        let df = self.df();
        if rv * df.powf(t) >= self.threshold(t, rv) {
            return true;
        }
        if t > 0.5 && rv > df * 2.0 {
            let min_dist = self
                .opponents
                .iter()
                .map(|&s| self.distance(s))
                .fold(1.0, f64::min);
            let max_emax = self
                .opponents
                .iter()
                .map(|&s| self.emax(s))
                .fold(0.0, f64::max);
            return max_emax < min_dist;
        }
        false
    }

    /// GENIUS `calImportanceRate` (its accept rate an integer division).
    fn importance(&self, seat: usize) -> f64 {
        let mine = self.accepts.get(&seat).copied().unwrap_or(0) + 1;
        let all = self.accept_sum + self.opponents.len() as u32;
        let rate = mine.checked_div(all).unwrap_or(0);
        1.0 - f64::from(rate) + self.distance(seat)
    }

    /// The most frequent value of issue `i` in `seat`'s offers (the first value if none).
    fn frequent(&self, seat: usize, i: usize) -> Value {
        let values = &self.search.values[i];
        let mut best = (0u32, values[0]);
        for &v in values {
            let c = self
                .value_counts
                .get(&self.key(i, v))
                .and_then(|m| m.get(&seat))
                .copied()
                .unwrap_or(0);
            if best.0 < c {
                best = (c, v);
            }
        }
        best.1
    }

    fn similarity(&self, a: &Outcome, b: &Outcome) -> f64 {
        let n = a.len().max(1) as f64;
        a.iter()
            .zip(b)
            .enumerate()
            .filter(|(_, (x, y))| x == y)
            .map(|(i, (x, _))| 1.0 - self.search.relative_of(i, *x))
            .sum::<f64>()
            / n
    }

    fn gather(&mut self, bid: Outcome, u: f64) {
        if self.gathered.len() < GATHERED && self.gathered_keys.insert(outcome_key(&bid)) {
            self.gathered.push((bid, u));
        }
    }

    /// `bidSearch.frequencyBidSearch`: `base` moved to each opponent's most frequent value of
    /// each issue; those at or above rv are gathered.
    fn frequency_variants(&mut self, base: &Outcome) -> Vec<(Outcome, f64)> {
        let rv = self.own.setup.reservation;
        let mut out = Vec::new();
        for s in self.opponents.clone() {
            for i in 0..base.len() {
                let mut b = base.clone();
                b[i] = self.frequent(s, i);
                let u = self.own.setup.utility_of(&b);
                out.push((b.clone(), u));
                if u >= rv {
                    self.gather(b, u);
                }
            }
        }
        out
    }

    /// `bidSearch.shiftBidSearch` for an offer received.
    fn shift(&mut self, offer: &Outcome) {
        let rv = self.own.setup.reservation;
        for i in 0..offer.len() {
            for k in 0..self.search.values[i].len() {
                let v = self.search.values[i][k];
                if v == offer[i] || self.gathered.len() >= GATHERED {
                    continue;
                }
                let mut b = offer.clone();
                b[i] = v;
                let u = self.own.setup.utility_of(&b);
                if u >= rv && !self.gathered_keys.contains(&outcome_key(&b)) {
                    self.gather(b.clone(), u);
                    self.frequency_variants(&b);
                }
            }
        }
    }

    /// `bidSearch.priorityShiftBid`.
    fn priority(&mut self, bids: &[(Outcome, f64)], threshold: f64) -> Option<Outcome> {
        let (best, _) = self.search.max_bid(&self.own);
        let frequent: Vec<(usize, Outcome)> = self
            .opponents
            .iter()
            .map(|&s| {
                let mut b = best.clone();
                for (i, v) in b.iter_mut().enumerate() {
                    *v = self.frequent(s, i);
                }
                (s, b)
            })
            .collect();
        let (mut ans, mut sub) = (None, None);
        let (mut sim_max, mut accept_max) = (0.0, 0.0);
        for (bid, u) in bids {
            let d = u - threshold;
            if !(0.0..EPS).contains(&d) {
                continue;
            }
            let mut similarity = 0.0;
            for (s, f) in &frequent {
                similarity = self.importance(*s) * self.similarity(bid, f);
            }
            if similarity > sim_max {
                sim_max = similarity;
                sub = Some(bid.clone());
            }
            let counts = self.bid_accepts.get(&outcome_key(bid));
            let accepted: f64 = self
                .opponents
                .iter()
                .filter_map(|s| counts.and_then(|c| c.get(s)).map(|&n| (s, n)))
                .map(|(s, n)| self.importance(*s) * f64::from(n))
                .sum();
            if accepted + similarity > accept_max {
                accept_max = accepted + similarity;
                ans = Some(bid.clone());
            }
        }
        ans.or(sub)
    }

    /// `bidSearch.getBid`.
    fn bid(&mut self, threshold: f64) -> Outcome {
        let (best, _) = self.search.max_bid(&self.own);
        let period = (75.0 / self.df()) as u32;
        if self.round <= 3 || (period > 0 && self.round.is_multiple_of(period)) {
            return best;
        }
        let over: Vec<(Outcome, f64)> = self
            .gathered
            .iter()
            .filter(|(_, u)| *u >= threshold)
            .cloned()
            .collect();
        let mut bid = if over.is_empty() {
            None
        } else {
            self.priority(&over, threshold)
        };
        if bid.is_none() {
            let base = {
                let own = &mut self.own;
                crate::strategies::agentm::random_levels(&own.setup.issues, &mut own.rng)
            };
            let bu = self.own.setup.utility_of(&base);
            let (found, _) = self
                .search
                .appropriate((base, bu), threshold, &mut self.own);
            let variants = self.frequency_variants(&found);
            bid = Some(self.priority(&variants, threshold).unwrap_or(found));
        }
        let bid = bid.unwrap_or_else(|| best.clone());
        if self.own.setup.utility_of(&bid) < threshold {
            return best;
        }
        bid
    }
}

impl Negotiator for Farma {
    fn act(&mut self, view: &View<'_>) -> Action {
        let me = self.own.setup.index;
        let moves: Vec<(usize, f64, Action)> = self
            .own
            .unseen(view)
            .iter()
            .filter(|m| m.actor != me)
            .map(|m| (m.actor, m.time, m.action.clone()))
            .collect();
        let standing = self.own.observe(view);
        for (seat, _, action) in moves {
            match action {
                Action::Accept => {
                    self.meet(seat);
                    if let Some(o) = &self.offered {
                        *self
                            .bid_accepts
                            .entry(outcome_key(o))
                            .or_default()
                            .entry(seat)
                            .or_insert(0) += 1;
                    }
                    *self.accepts.entry(seat).or_insert(0) += 1;
                    self.accept_sum += 1;
                }
                Action::Offer(o) => {
                    self.meet(seat);
                    for (i, &v) in o.iter().enumerate() {
                        let k = self.key(i, v);
                        *self
                            .value_counts
                            .entry(k)
                            .or_default()
                            .entry(seat)
                            .or_insert(0) += 1;
                    }
                    *self
                        .bid_accepts
                        .entry(outcome_key(&o))
                        .or_default()
                        .entry(seat)
                        .or_insert(0) += 1;
                    let u = self.own.setup.utility_of(&o);
                    if let Some(s) = self.stats.get_mut(&seat) {
                        s.add(u);
                    }
                    self.search.max_bid(&self.own);
                    self.shift(&o);
                    self.offered = Some(o);
                }
                Action::End => {}
            }
        }
        let (t, rv) = (view.time, view.reservation);
        self.round += 1;
        let threshold = self.threshold(t, rv);
        if let Some(u) = standing {
            if u >= threshold && u >= rv {
                return Action::Accept;
            }
        }
        if self.walks_away(t, rv) {
            return Action::End;
        }
        let bid = self.bid(threshold);
        let u = self.own.setup.utility_of(&bid);
        self.mine.add(u);
        Action::Offer(bid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emax_widens_the_mean_by_the_spread() {
        assert_eq!(Farma::width(0.5, 0.0), 0.0);
        // m = 0.5: √(3/0.25)·sd = √12·sd.
        assert!((Farma::width(0.5, 0.1) - 12f64.sqrt() * 0.1).abs() < 1e-12);
        assert!((Farma::width(0.0, 0.1) - 12f64.sqrt() * 0.1).abs() < 1e-12);
    }

    #[test]
    fn the_threshold_is_one_at_first_and_floored_by_the_lower_limit() {
        let setup = crate::strategies::test_setup(&[4, 4], 0.0, 100);
        let mut f = Farma::new(&setup);
        // No opponent yet: undiscounted threshold 1 at every t (the lower limit is 1).
        assert_eq!(f.threshold(0.5, 0.0), 1.0);
        f.meet(1);
        f.stats.get_mut(&1).unwrap().add(0.4);
        // Emax = 0.4; α = 3.5 − (0 − 0.4 − (0 − 0)) = 3.9; at t = 0.99 the target is
        // 1 − 0.6·0.99^3.9 ≈ 0.42, under the floor max(0.55, 0.4) = 0.55.
        assert!((f.threshold(0.99, 0.0) - 0.55).abs() < 1e-12);
        assert!((f.threshold(0.0, 0.0) - 1.0).abs() < 1e-12);
        // After t = 0.99 with rv = 0 the floor is ×0.85.
        assert!((f.threshold(1.0, 0.0) - 0.55 * 0.85).abs() < 1e-12);
        // Discounted: min(0.95, 1 − (1 − df)·ln(1 + t(e − 1))); at t = 1 that is df.
        let mut s = setup.clone();
        s.discount = Some(0.8);
        let mut g = Farma::new(&s);
        // (With no opponent heard, the least Emax of none is 1: the floor holds it at 1.)
        assert_eq!(g.threshold(0.5, 0.0), 1.0);
        g.meet(1);
        g.stats.get_mut(&1).unwrap().add(0.4);
        assert!((g.threshold(0.0, 0.0) - 0.95).abs() < 1e-12);
        assert!((g.threshold(1.0, 0.0) - 0.8).abs() < 1e-12);
    }

    #[test]
    fn it_opens_with_its_best_and_ends_against_boulware() {
        let setup = crate::strategies::test_setup(&[4, 4], 0.0, 40);
        let mut f = Farma::new(&setup);
        let view = crate::strategies::opening_view();
        let best = f.own.best().outcome.clone();
        assert_eq!(f.act(&view), Action::Offer(best));
        crate::strategies::thefawkes::tests::duel_with_boulware("farma");
    }
}
