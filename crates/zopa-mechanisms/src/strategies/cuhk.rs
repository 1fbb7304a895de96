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
//! it is read, so it never acts; zopa leaves it out by default. Rounds left are counted from
//! the round deadline (GENIUS estimates them from its turn times).
//!
//! Options matching NegoLog's port (`agents/CUHKAgent/CUHKAgent.py`):
//! - `concede` (NegoLog acts on `concedeToOpponent`): when, with more than ten rounds left, an
//!   offer fails the acceptance test only because it is more than 0.01 below the opponent's
//!   best offer while that best beats Umax·df after c (or τ·df^t), it offers that best offer
//!   and marks the opponent tough; a tough opponent's offer is accepted in the last rounds
//!   (t > 0.9985, fewer than five left); any other offer in the normal rounds clears the mark.
//! - `sample` (NegoLog above 20,000 outcomes): the candidates are the outcomes, in the utility
//!   interval asked, of 20,001 uniform draws from the space made once (seeded), not the
//!   exact stretch of the bidding order; its best outcome when none falls in it.

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
    /// NegoLog's `concedeToOpponent` acts (see the module docs).
    concede: bool,
    /// Whether it last conceded to the opponent's best offer (NegoLog `toughAgent`).
    tough: bool,
    /// NegoLog's sample of 20,001 outcomes above 20,000 (see the module docs): drawn on first
    /// use when `sample` is set.
    sample: Option<Vec<Bid>>,
    sampling: bool,
}

/// NegoLog samples the space above this many outcomes…
const SAMPLE_ABOVE: f64 = 20_000.0;
/// …drawing this many outcomes (its `while limits <= 20000`).
const SAMPLE_SIZE: usize = 20_001;

impl CuhkAgent {
    pub fn new(setup: &Setup) -> CuhkAgent {
        CuhkAgent::with(false, false, setup)
    }

    /// `concede`: act on `concedeToOpponent`; `sample`: NegoLog's 20,001-outcome sample.
    pub fn with(concede: bool, sample: bool, setup: &Setup) -> CuhkAgent {
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
            concede,
            tough: false,
            sample: None,
            sampling: sample,
        }
    }

    /// Its candidates in `span`, whose utilities are `[low, high]`: from the sample when it
    /// samples, else the exact span.
    fn choose(&mut self, span: &Span, low: f64, high: f64) -> Outcome {
        if self.sampling && self.size > SAMPLE_ABOVE {
            let own = &mut self.own;
            let sample = self.sample.get_or_insert_with(|| {
                (0..SAMPLE_SIZE)
                    .filter_map(|_| own.bids.random(&Span::all(), &mut own.rng))
                    .collect()
            });
            let candidates: Vec<&Bid> = sample
                .iter()
                .filter(|b| b.utility >= low && b.utility <= high)
                .collect();
            if candidates.is_empty() {
                return own.best().outcome.clone();
            }
            return choose_among(own, &self.history, &candidates);
        }
        choose_bid(&mut self.own, &self.history, span)
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
        self.choose(&span, lower - 1e-12, umax)
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

/// `ChooseBid` over a listed set of candidates (NegoLog's sample): the same rule as
/// [`choose_bid`].
fn choose_among(own: &mut Own, history: &History, candidates: &[&Bid]) -> Outcome {
    let n = candidates.len();
    let mut best: Option<(&Bid, u32)> = None;
    for i in 0..n.min(200) {
        let k = if n > 200 {
            draw_below(&mut own.rng, n as u128) as usize
        } else {
            i
        };
        let candidate = candidates[k];
        let s = history.score(&candidate.outcome);
        best = match best {
            Some((_, b)) if s < b => best,
            Some((_, b)) if s == b && !own.rng.random_bool(0.5) => best,
            _ => Some((candidate, s)),
        };
    }
    let chosen = match best {
        Some((b, _)) if own.rng.random_bool(0.95) => b,
        _ => candidates[draw_below(&mut own.rng, n as u128) as usize],
    };
    chosen.outcome.clone()
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
                    self.choose(&span, umax - 0.15 - 1e-12, umax - 0.02 + 1e-12)
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
        let late =
            (discounted_best > umax * df && t > c) || discounted_best > self.threshold * df.powf(t);
        let accept = u >= self.threshold || u >= next_u || late && u >= best_u - 0.01;
        // NegoLog's `concedeToOpponent`: the late test failed only on the 0.01 margin.
        let concedes = self.concede && !accept && late;
        let last_rounds = rounds_left < 5 && t > 0.9985;
        let rv = view.reservation.max(0.0);
        let terminate =
            rv >= self.threshold || rv >= next_u || (rv * df.powf(t) > umax * df && t > c);
        self.offered += 1;
        if self.concede && !terminate {
            if rounds_left > 10 {
                if concedes {
                    self.tough = true;
                    let (best, _) = self.history.best.clone().expect("an offer was received");
                    return Action::Offer(best);
                }
                if !accept {
                    self.tough = false;
                }
            } else if last_rounds && !accept && self.tough && u >= rv {
                return Action::Accept;
            }
        }
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

#[cfg(test)]
mod option_tests {
    use zopa_core::Value::Discrete;

    use super::*;
    use crate::session::Move;

    /// CUHKAgent in seat 1 of a 4,096-outcome undiscounted space (16³), 1,000 rounds: the
    /// opponent offers (15, 15, 14) (worth 0.978, above the floor 0.95) at round 0, then
    /// (0, 0, 0) at rounds 500 and 999. Its answers at 500 and 999.
    fn answers(concede: bool) -> (Action, Action) {
        let mut setup = crate::strategies::test_setup(&[16, 16, 16], 0.0, 1000);
        setup.index = 1;
        let mut c = CuhkAgent::with(concede, false, &setup);
        let mut history = Vec::new();
        let mut answer = |round: u32, bid: [u32; 3], history: &mut Vec<Move>| {
            let time = f64::from(round) / 1000.0;
            history.push(Move {
                round,
                time,
                actor: 0,
                action: Action::Offer(bid.iter().map(|&k| Discrete(k)).collect()),
            });
            let a = c.act(&View {
                round,
                time,
                history,
                offset: 0,
                reservation: 0.0,
            });
            if let Action::Offer(o) = &a {
                history.push(Move {
                    round,
                    time,
                    actor: 1,
                    action: Action::Offer(o.clone()),
                });
            }
            a
        };
        answer(0, [15, 15, 14], &mut history);
        let mid = answer(500, [0, 0, 0], &mut history);
        let last = answer(999, [0, 0, 0], &mut history);
        (mid, last)
    }

    #[test]
    fn concede_to_opponent_marks_it_tough_and_accepts_in_the_last_rounds() {
        let best = Action::Offer(vec![Discrete(15), Discrete(15), Discrete(14)]);
        // Both offer the opponent's best back at round 500 (it clears the threshold) …
        let (mid, last) = answers(false);
        assert_eq!(mid, best);
        // … GENIUS's agent keeps offering it in its last rounds …
        assert_eq!(last, best);
        // … NegoLog's, having conceded to a tough opponent, accepts there.
        let (mid, last) = answers(true);
        assert_eq!(mid, best);
        assert_eq!(last, Action::Accept);
    }

    #[test]
    fn above_20000_outcomes_the_sample_holds_the_candidates() {
        // 30³ = 27,000 outcomes.
        let setup = crate::strategies::test_setup(&[30, 30, 30], 0.0, 100);
        let mut exact = CuhkAgent::with(
            false,
            true,
            &crate::strategies::test_setup(&[16; 3], 0.0, 100),
        );
        let span = exact.own.at_least(0.9);
        exact.choose(&span, 0.9, 1.0);
        assert!(exact.sample.is_none(), "4,096 outcomes are not sampled");
        let mut c = CuhkAgent::with(false, true, &setup);
        let span = c.own.at_least(0.9);
        for _ in 0..20 {
            let bid = c.choose(&span, 0.9, 1.0);
            let u = c.own.setup.utility_of(&bid);
            assert!((0.9..=1.0).contains(&u), "{u}");
            let sample = c.sample.as_ref().expect("drawn on first use");
            assert_eq!(sample.len(), 20_001);
            assert!(sample.iter().any(|b| b.outcome == bid));
        }
    }
}
