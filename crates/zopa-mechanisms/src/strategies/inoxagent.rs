//! InoxAgent (van Zessen & Branco; ANAC 2013 finalist), GENIUS `agents/anac/y2013/InoxAgent/InoxAgent.java`, a BOA agent of
//! `boaframework/offeringstrategy/anac2013/InoxAgent_Offering.java`,
//! `acceptanceconditions/anac2013/AC_InoxAgent.java` and `opponentmodel/InoxAgent_OM.java`.
//!
//! - Median: the utility of the outcome halfway (by rank) between its best and the outcome
//!   nearest the opponent's first offer.
//! - Bidding: its best first. Then the opponent's best offer whenever that beats the worst
//!   bid it has made. Before t = 0.99: while the opponent is not conceding (its last offer
//!   the least of its last four) it offers its second-best outcome once, then its best; before
//!   t = 0.05 it steps down its order while the next outcome beats max(median, the opponent's
//!   best, rv) (GENIUS returns the outcome one past the step). Otherwise it searches a window
//!   of ±⌈N/100 + (N/10 − N/100)·t^(20·df)⌉ ranks around its last bid for the outcome of
//!   greatest min(own, a·model), a = e^(5 − 5t) (steeper when df < 0.75), among those at least
//!   0.12 above the model's estimate; the opponent's best offer when that is better.
//! - Acceptance: walks away when its worst bid so far, discounted, is below rv·df^t; accepts
//!   when that bid is at most the offer + 0.05·(1 − df), or when the offer reaches
//!   df^t − (df^t − f)·t^p, p = 27 (·0.3·df when discounted), f = max(the opponent's best, rv,
//!   median)·df^t discounted — f itself when fewer than 8 rounds seem left (from the last ten
//!   turn gaps).
//! - Opponent model: HardHeaded's frequency model whose learning coefficient starts at 0.4
//!   and drops by 0.2 each time the opponent repeats a bid unchanged; while few (≤ 20 %) of
//!   its offers were new moves, values are scored by a saturating map of their counts
//!   70 − 1/(c·(10,000/rounds per unit time)/15,000 + 1/70).
//!
//! Fidelity: faithful; adapted in that the search window is capped at ±10,000 ranks (GENIUS
//! lists every outcome; 10 % of a large space is not searchable each turn), ranks come from
//! zopa's exact order, integer and real issues enter the model by value, nothing is saved
//! between sessions (so the median is always this session's), a seat reached before any
//! offer was received offers its best, and it never accepts below rv. It keeps the distinct
//! moves of the opponent (to tell new ones).

use std::collections::{HashMap, HashSet};

use zopa_core::Value;

use crate::bidding::{Cut, Span};
use crate::opponent::{key, outcome_key, OpponentModel};
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

/// Largest half-window searched.
const MAX_WINDOW: u128 = 10_000;

/// GENIUS's `updateRoundsLeft` / `updateRoundEst`: the last ten gaps between calls.
#[derive(Default)]
struct Clock {
    gaps: std::collections::VecDeque<f64>,
    last: f64,
}

impl Clock {
    /// Records a call at `t`; returns the mean rate (calls per unit time) once ten are known.
    fn tick(&mut self, t: f64) -> Option<f64> {
        self.gaps.push_back(t - self.last);
        self.last = t;
        if self.gaps.len() > 10 {
            self.gaps.pop_front();
        }
        (self.gaps.len() >= 10).then(|| self.gaps.len() as f64 / self.gaps.iter().sum::<f64>())
    }
}

/// `InoxAgent_OM`.
pub(crate) struct InoxModel {
    weights: Vec<f64>,
    counts: Vec<HashMap<u64, f64>>,
    coef: f64,
    previous: Option<Vec<Value>>,
    /// The opponent's distinct new moves (GENIUS `smallHistory`).
    moves: HashSet<Vec<u64>>,
    bids: usize,
    rounds: f64,
    clock: Clock,
}

impl InoxModel {
    pub(crate) fn new(issues: usize) -> InoxModel {
        InoxModel {
            weights: vec![1.0 / issues.max(1) as f64; issues],
            counts: vec![HashMap::new(); issues],
            coef: 0.4,
            previous: None,
            moves: HashSet::new(),
            bids: 0,
            rounds: 15_000.0,
            clock: Clock::default(),
        }
    }

    fn count(&self, i: usize, v: Value) -> f64 {
        self.counts[i].get(&key(v)).copied().unwrap_or(1.0)
    }

    fn top(&self, i: usize) -> f64 {
        self.counts[i].values().copied().fold(1.0, f64::max)
    }

    /// GENIUS `mapToEval`.
    pub(crate) fn saturate(count: f64, rounds: f64) -> f64 {
        70.0 - 1.0 / ((10_000.0 / rounds) * count / 15_000.0 + 1.0 / 70.0)
    }
}

impl OpponentModel for InoxModel {
    fn name(&self) -> &'static str {
        "inoxagent"
    }

    fn update(&mut self, bid: &[Value], time: f64) {
        self.bids += 1;
        let Some(prev) = self.previous.replace(bid.to_vec()) else {
            self.moves.insert(outcome_key(bid));
            return;
        };
        if let Some(rate) = self.clock.tick(time) {
            // GENIUS truncates the estimate to an int (saturating, as Java's cast does).
            self.rounds = rate.min(f64::from(i32::MAX)).trunc();
        }
        let n = self.weights.len();
        let unchanged: Vec<bool> = bid.iter().zip(&prev).map(|(a, b)| a == b).collect();
        let same = unchanged.iter().filter(|&&u| u).count();
        if same == n {
            self.coef = (self.coef - 0.2).max(0.0);
        } else {
            self.coef = 0.4;
            self.moves.insert(outcome_key(bid));
        }
        let golden = self.coef / n as f64;
        let total = 1.0 + golden * same as f64;
        let max_w = 1.0 - n as f64 * golden / total;
        for (w, &s) in self.weights.iter_mut().zip(&unchanged) {
            *w = if s && *w < max_w {
                (*w + golden) / total
            } else {
                *w / total
            };
        }
        for (c, &v) in self.counts.iter_mut().zip(bid) {
            *c.entry(key(v)).or_insert(1.0) += 1.0;
        }
    }

    fn utility(&self, outcome: &[Value]) -> f64 {
        let frequencies = self.moves.len() as f64 > 0.2 * self.bids as f64;
        outcome
            .iter()
            .enumerate()
            .take(self.weights.len())
            .map(|(i, &v)| {
                let eval = if frequencies {
                    self.count(i, v) / self.top(i)
                } else {
                    Self::saturate(self.count(i, v), self.rounds)
                        / Self::saturate(self.top(i), self.rounds)
                };
                self.weights[i] * eval
            })
            .sum()
    }
}

pub struct InoxAgent {
    own: Own,
    model: InoxModel,
    median: Option<f64>,
    last_rank: u128,
    one_concession: bool,
    offer_clock: Clock,
    accept_clock: Clock,
    offer_rounds_left: f64,
    accept_rounds_left: f64,
    /// The opponent's best offer by discounted utility: (outcome, utility, discounted).
    best: Option<(Outcome, f64, f64)>,
    /// Its worst bid so far (utility).
    worst: Option<f64>,
    /// The opponent's last four utilities.
    recent: std::collections::VecDeque<f64>,
    df: f64,
}

impl InoxAgent {
    pub fn new(setup: &Setup) -> InoxAgent {
        InoxAgent {
            own: Own::new(setup),
            model: InoxModel::new(setup.issues.len()),
            median: None,
            last_rank: 0,
            one_concession: false,
            offer_clock: Clock::default(),
            accept_clock: Clock::default(),
            offer_rounds_left: f64::INFINITY,
            accept_rounds_left: f64::INFINITY,
            best: None,
            worst: None,
            recent: std::collections::VecDeque::new(),
            df: setup.discount.filter(|d| *d > 0.0).unwrap_or(1.0),
        }
    }

    fn at(&self, rank: u128) -> crate::bidding::Bid {
        self.own
            .bids
            .at_rank(rank)
            .unwrap_or_else(|| self.own.worst().clone())
    }

    /// The median utility, from the opponent's first offer of utility `first`.
    fn decide_median(&mut self, first: f64) -> f64 {
        *self.median.get_or_insert_with(|| {
            let near = self.own.bids.nearest(first);
            let rank = self.own.bids.count_before(&Cut::Before(near));
            self.own.bids.at_rank(rank / 2).map_or(first, |b| b.utility)
        })
    }

    /// GENIUS `windowSize` (capped).
    pub(crate) fn window(n: u128, t: f64, df: f64) -> u128 {
        let (start, fin) = (0.01 * n as f64, 0.1 * n as f64);
        let w = (start + (fin - start) * t.powf(df * 20.0)).ceil();
        (w.max(0.0) as u128).min(MAX_WINDOW)
    }

    /// The `a` of GENIUS `kalaiSmor`.
    pub(crate) fn kalai_weight(t: f64, df: f64) -> f64 {
        if df < 0.75 {
            (5.0 - 5.0 * (df.ln() / 0.75f64.ln()) * t).exp().max(1.0)
        } else {
            (5.0 - 5.0 * t).exp()
        }
    }

    /// `InoxAgent_Offering.determineNextBid`.
    fn next_bid(&mut self, t: f64, rv: f64) -> (Outcome, f64) {
        if let Some(left) = self.offer_clock.tick(t) {
            self.offer_rounds_left = ((1.0 - t) * left).trunc();
        }
        let Some(&(_, first)) = self.own.received.first() else {
            let b = self.own.best();
            return (b.outcome.clone(), b.utility);
        };
        let median = self.decide_median(first);
        let (best_bid, best_u) = match &self.best {
            Some((b, u, _)) => (b.clone(), *u),
            None => (self.own.best().outcome.clone(), f64::NEG_INFINITY),
        };
        if self.worst.is_some_and(|w| best_u > w) {
            return (best_bid, best_u);
        }
        let n = self.own.bids.len();
        if t < 0.99 {
            let last = self.recent.back().copied().unwrap_or(1.0);
            let least = self.recent.iter().copied().fold(1.0, f64::min);
            if least >= last {
                if !self.one_concession {
                    self.one_concession = true;
                    self.last_rank = 1.min(n - 1);
                    let b = self.at(self.last_rank);
                    return (b.outcome, b.utility);
                }
                self.last_rank = 0;
                let b = self.own.best();
                return (b.outcome.clone(), b.utility);
            } else if t < 0.05 {
                let bar = median.max(best_u).max(rv);
                let next = self.at((self.last_rank + 1).min(n - 1));
                if next.utility > bar {
                    self.last_rank += 1;
                    let b = self.at((self.last_rank + 1).min(n - 1));
                    return (b.outcome, b.utility);
                }
                let b = self.own.best();
                return (b.outcome.clone(), b.utility);
            }
        }
        let w = Self::window(n, t, self.df);
        let low = self.last_rank.saturating_sub(w);
        let high = (self.last_rank + w + 1).min(n);
        let a = Self::kalai_weight(t, self.df);
        let start = self.at(low);
        let span = Span {
            from: Some(Cut::Before(start)),
            to: None,
        };
        let mut opt: Option<(crate::bidding::Bid, f64)> = None;
        let mut opt_rank = None;
        for (k, b) in self
            .own
            .bids
            .iter(&span)
            .take((high - low).max(1) as usize)
            .enumerate()
        {
            let m = self.model.utility(&b.outcome);
            let kalai = b.utility.min(a * m);
            match &opt {
                None => opt = Some((b, kalai)),
                Some((_, best)) => {
                    if kalai > *best && b.utility >= m + 0.12 {
                        opt = Some((b, kalai));
                        opt_rank = Some(low + k as u128);
                    }
                }
            }
        }
        if let Some(r) = opt_rank {
            self.last_rank = r;
        }
        let send = opt.map_or_else(|| self.own.best().clone(), |(b, _)| b);
        if best_u > send.utility {
            return (best_bid, best_u);
        }
        (send.outcome, send.utility)
    }

    /// `AC_InoxAgent.acceptUtil`.
    fn accept_utility(&self, t: f64, rv: f64, median: f64) -> f64 {
        let best = self.best.as_ref().map_or(0.0, |b| b.1) * self.df.powf(t);
        let fin = best.max(rv * self.df.powf(t)).max(median * self.df.powf(t));
        if self.accept_rounds_left < 8.0 {
            return fin;
        }
        let start = self.df.powf(t);
        let mut power = 27.0;
        if self.df != 1.0 {
            power *= 0.3 * self.df;
        }
        start - (start - fin) * t.powf(power)
    }

    /// `AC_InoxAgent.determineAcceptability` for the offer of utility `u`: accept, walk
    /// away, or neither.
    fn decide(&mut self, u: f64, t: f64, rv: f64) -> Option<Action> {
        let first = self.own.received.first().map_or(u, |r| r.1);
        let median = self.decide_median(first);
        if let Some(left) = self.accept_clock.tick(t) {
            self.accept_rounds_left = ((1.0 - t) * left).trunc();
        }
        let disc = self.df.powf(t);
        let mine = self.worst.map_or(1.0, |w| w * disc);
        let offer = u * disc;
        if mine < rv * disc {
            return Some(Action::End);
        }
        if mine <= offer + 0.05 * (1.0 - self.df) || offer >= self.accept_utility(t, rv, median) {
            return (u >= rv).then_some(Action::Accept);
        }
        None
    }
}

impl Negotiator for InoxAgent {
    fn opponent_model(&self) -> Option<&dyn OpponentModel> {
        Some(&self.model)
    }

    fn act(&mut self, view: &View<'_>) -> Action {
        let offer = self.own.observe(view);
        let fresh: Vec<(Outcome, f64, f64)> = self
            .own
            .fresh()
            .map(|(b, &(t, u))| (b.clone(), t, u))
            .collect();
        for (bid, time, u) in fresh {
            self.model.update(&bid, time);
            let d = u * self.df.powf(time);
            if self.best.as_ref().is_none_or(|b| d > b.2) {
                self.best = Some((bid, u, d));
            }
            self.recent.push_back(u);
            if self.recent.len() > 4 {
                self.recent.pop_front();
            }
        }
        let (t, rv) = (view.time, view.reservation);
        let (bid, u) = if self.worst.is_none() {
            self.last_rank = 0;
            let b = self.own.best();
            (b.outcome.clone(), b.utility)
        } else {
            self.next_bid(t, rv)
        };
        if !self.own.received.is_empty() {
            let last = self.own.received[self.own.received.len() - 1].1;
            match self.decide(last, t, rv) {
                Some(Action::Accept) if offer.is_some() => return Action::Accept,
                Some(Action::End) => return Action::End,
                _ => {}
            }
        }
        self.worst = Some(self.worst.map_or(u, |w| w.min(u)));
        Action::Offer(bid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_grows_from_one_to_ten_percent() {
        assert_eq!(InoxAgent::window(1000, 0.0, 1.0), 10);
        // t^20 at t = 0.5 is ~1e−6, but the ceiling takes 10.00009 to 11.
        assert_eq!(InoxAgent::window(1000, 0.5, 1.0), 11);
        assert_eq!(InoxAgent::window(1000, 1.0, 1.0), 100);
        assert_eq!(InoxAgent::window(10_u128.pow(9), 1.0, 1.0), MAX_WINDOW);
    }

    #[test]
    fn the_kalai_weight_falls_from_e5_to_one() {
        assert!((InoxAgent::kalai_weight(0.0, 1.0) - 5f64.exp()).abs() < 1e-9);
        assert!((InoxAgent::kalai_weight(1.0, 1.0) - 1.0).abs() < 1e-12);
        // df = 0.5 < 0.75: steeper, floored at 1.
        assert_eq!(InoxAgent::kalai_weight(1.0, 0.5), 1.0);
    }

    #[test]
    fn the_acceptance_curve_runs_from_one_to_its_floor() {
        let setup = crate::strategies::test_setup(&[5, 5], 0.0, 100);
        let mut a = InoxAgent::new(&setup);
        a.best = Some((vec![Value::Discrete(0), Value::Discrete(0)], 0.3, 0.3));
        assert_eq!(a.accept_utility(0.0, 0.0, 0.4), 1.0);
        // f = max(0.3, 0, 0.4) = 0.4; t^27 at 0.5 is ~7e−9.
        assert!((a.accept_utility(0.5, 0.0, 0.4) - 1.0).abs() < 1e-8);
        assert!((a.accept_utility(1.0, 0.0, 0.4) - 0.4).abs() < 1e-12);
        // The saturating map: 0 for no count, rising toward 70.
        assert!(InoxModel::saturate(0.0, 15_000.0).abs() < 1e-12);
        assert!(InoxModel::saturate(10.0, 15_000.0) > InoxModel::saturate(1.0, 15_000.0));
    }

    #[test]
    fn it_opens_with_its_best_and_ends_against_boulware() {
        let setup = crate::strategies::test_setup(&[4, 4], 0.0, 40);
        let mut a = InoxAgent::new(&setup);
        let view = crate::strategies::opening_view();
        let best = a.own.best().outcome.clone();
        assert_eq!(a.act(&view), Action::Offer(best));
        crate::strategies::thefawkes::tests::duel_with_boulware("inoxagent");
    }
}
