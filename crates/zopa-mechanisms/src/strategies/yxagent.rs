//! YXAgent (ANAC 2016 runner-up, individual utility), GENIUS
//! `agents/anac/y2016/yxagent/YXAgent.java`; NegoLog ports it as `agents/YXAgent/YXAgent.py`.
//!
//! Threshold: max(0.7, 1 − 0.1·opponents, rv). Moving first it offers a random outcome worth
//! at least 0.7; afterwards a random outcome at or above the threshold. It accepts an offer
//! above the threshold; from its 11th turn, above max(threshold, the toughest opponent's
//! estimated utility of the offer − 0.075·opponents). At its second turn it walks away when
//! the discount factor is a two-decimal number whose reservation bar it clears (with one
//! opponent the bar starts at 0.95 for df = 1 and falls as (bar − 0.005)·0.998 per 0.01 of df;
//! 0.86 − 0.006 per step with two; 0.75 − 0.005 with three or more).
//!
//! Opponent model per opponent: issue weights start equal; from its 10th turn on an issue the
//! opponent left unchanged gains 1/(100n) (1/(10n) in domains with integer issues, where an
//! integer issue counts as unchanged when both values fall in the same fifth of its range),
//! then weights are normalised. Each offered value gains 1/30000 (1/955 with integer issues),
//! values normalised by their issue's maximum; integer issues instead get, at its 10th turn, a
//! linear ramp toward the end of the range (lower or upper half) the opponent's first offers
//! favoured. The toughest opponent is the one whose values are furthest below 1 summed over
//! issues.
//!
//! Fidelity: faithful to GENIUS's behaviour. GENIUS's clock is ⌊elapsed ms / 180000⌋, an
//! integer that stays 0 for its whole (3-minute) session, so every time-dependent increment is
//! taken at t = 0 and the "t ≤ 0.9" test always holds — zopa does the same (NegoLog's port uses
//! the real time and deducts 0.2 per opponent instead of GENIUS's 0.1). Random outcomes are
//! drawn uniformly among those at or above the bar (GENIUS redraws random bids until one is);
//! when none is, its best. Value equality replaces Java's reference comparison of values; real
//! issues (which GENIUS's model cannot hold) are modelled like discrete ones; ties for the
//! toughest opponent go to the first seen. Memory: each opponent's last offer only.

use std::collections::HashMap;

use zopa_core::{IssueKind, Value};

use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

const MINIMAL_THRESHOLD: f64 = 0.7;
const DEDUCT_THRESHOLD: f64 = 0.1;

/// An opponent's estimated evaluation of one issue's values.
#[derive(Debug, Clone)]
enum Values {
    /// Discrete issues: one entry per value, all 1 at the start.
    Table(Vec<f64>),
    /// Real issues: values seen, and what every unseen value is worth.
    Seen {
        seen: HashMap<u64, f64>,
        unseen: f64,
    },
    /// Integer issues: unknown until the 10th turn, then a ramp toward one end.
    Ramp {
        lower: i64,
        upper: i64,
        /// Which end is worth 1; None before the ramp is set.
        lower_best: Option<bool>,
        /// Offers at or below the middle, above it (first ten turns).
        low: u32,
        high: u32,
    },
}

impl Values {
    fn get(&self, v: Value) -> Option<f64> {
        match (self, v) {
            (Values::Table(t), Value::Discrete(i)) => t.get(i as usize).copied(),
            (Values::Seen { seen, unseen }, v) => Some(
                seen.get(&crate::opponent::key(v))
                    .copied()
                    .unwrap_or(*unseen),
            ),
            (
                Values::Ramp {
                    lower,
                    upper,
                    lower_best: Some(lb),
                    ..
                },
                Value::Integer(x),
            ) => {
                if x < *lower || x > *upper {
                    return None;
                }
                if upper == lower {
                    // GENIUS writes both ends into one key; the second (0) stays.
                    return Some(0.0);
                }
                let step = 1.0 / (*upper - *lower) as f64;
                // GENIUS accumulates the step from the near end; the ends are 1 and 0.
                let from_lower = (x - *lower) as f64 * step;
                Some(match (*lb, x == *lower, x == *upper) {
                    (true, true, _) => 1.0,
                    (true, _, true) => 0.0,
                    (true, _, _) => 1.0 - from_lower,
                    (false, true, _) => 0.0,
                    (false, _, true) => 1.0,
                    (false, _, _) => from_lower,
                })
            }
            _ => None,
        }
    }

    /// Adds `inc` to the value offered, then divides every value by the largest.
    fn reinforce(&mut self, v: Value, inc: f64) {
        match self {
            Values::Table(t) => {
                if let (Value::Discrete(i), true) = (v, inc > 0.0) {
                    if let Some(x) = t.get_mut(i as usize) {
                        *x += inc;
                    }
                }
                let max = t.iter().copied().fold(0.0, f64::max);
                if max > 0.0 {
                    t.iter_mut().for_each(|x| *x /= max);
                }
            }
            Values::Seen { seen, unseen } => {
                if inc > 0.0 {
                    *seen.entry(crate::opponent::key(v)).or_insert(*unseen) += inc;
                }
                let max = seen.values().copied().fold(*unseen, f64::max);
                if max > 0.0 {
                    seen.values_mut().for_each(|x| *x /= max);
                    *unseen /= max;
                }
            }
            Values::Ramp { .. } => {}
        }
    }

    /// The largest 1 − value of the issue (0 for integer issues, which GENIUS skips).
    fn max_diff(&self) -> f64 {
        match self {
            Values::Table(t) => t.iter().map(|x| 1.0 - x).fold(0.0, f64::max),
            Values::Seen { seen, unseen } => seen
                .values()
                .map(|x| 1.0 - x)
                .fold(1.0 - unseen, f64::max)
                .max(0.0),
            Values::Ramp { .. } => 0.0,
        }
    }
}

#[derive(Debug, Clone)]
struct Opponent {
    seat: usize,
    weights: Vec<f64>,
    values: Vec<Values>,
    last: Option<Outcome>,
}

pub struct YxAgent {
    own: Own,
    opponents: Vec<Opponent>,
    with_integers: bool,
    rounds: u32,
    searched_discount: bool,
    /// The utility of the last offer received.
    opp_utility: f64,
    last_opponent_bid: Option<Outcome>,
}

impl YxAgent {
    pub fn new(setup: &Setup) -> YxAgent {
        let with_integers = setup
            .issues
            .iter()
            .any(|i| matches!(i.kind, IssueKind::Integer { .. }));
        YxAgent {
            own: Own::new(setup),
            opponents: Vec::new(),
            with_integers,
            rounds: 0,
            searched_discount: false,
            opp_utility: 0.0,
            last_opponent_bid: None,
        }
    }

    fn new_opponent(&self, seat: usize) -> Opponent {
        let n = self.own.setup.issues.len();
        let values = self
            .own
            .setup
            .issues
            .iter()
            .map(|issue| match &issue.kind {
                IssueKind::Discrete { values, .. } => Values::Table(vec![1.0; values.len()]),
                IssueKind::Integer { min, max } => Values::Ramp {
                    lower: *min,
                    upper: *max,
                    lower_best: None,
                    low: 0,
                    high: 0,
                },
                IssueKind::Real { .. } => Values::Seen {
                    seen: HashMap::new(),
                    unseen: 1.0,
                },
            })
            .collect();
        Opponent {
            seat,
            weights: vec![1.0 / n.max(1) as f64; n],
            values,
            last: None,
        }
    }

    /// GENIUS `incrementIntegerIssueWeight`: both values in the same fifth of the range.
    pub(crate) fn same_section(lower: i64, upper: i64, past: i64, current: i64) -> bool {
        // Java's int division, then a double.
        let formula = ((upper - lower + 1) / 5) as f64;
        let mut slots = [0.0; 5];
        let mut inc = lower as f64 + formula;
        for s in slots.iter_mut().take(4) {
            *s = inc;
            inc += formula;
        }
        slots[4] = upper as f64;
        let (p, c) = (past as f64, current as f64);
        (p <= slots[0] && c <= slots[0])
            || (1..5)
                .any(|k| p <= slots[k] && c <= slots[k] && p > slots[k - 1] && c > slots[k - 1])
    }

    /// GENIUS `updateOpp` for an offer `bid` of opponent `k`.
    fn update(&mut self, k: usize, bid: &Outcome) {
        let n = self.own.setup.issues.len();
        let rounds = self.rounds;
        let with_integers = self.with_integers;
        let o = &mut self.opponents[k];
        // Integer issues: the first ten turns' offers choose the ramp's end.
        if rounds <= 10 {
            for (vals, v) in o.values.iter_mut().zip(bid) {
                if let (
                    Values::Ramp {
                        lower,
                        upper,
                        low,
                        high,
                        ..
                    },
                    Value::Integer(x),
                ) = (vals, *v)
                {
                    // Java's int division truncates toward zero.
                    let mid = (*lower + *upper) / 2;
                    if x <= mid {
                        *low += 1;
                    } else {
                        *high += 1;
                    }
                }
            }
        }
        // Issue weights.
        if let (Some(prev), true) = (&o.last, rounds >= 10) {
            let formula = 1.0 / (n as f64 * 100.0);
            let integer = 1.0 / (n as f64 * 10.0);
            for (i, issue) in self.own.setup.issues.iter().enumerate() {
                let (p, c) = (prev[i], bid[i]);
                let inc = match (&issue.kind, p, c) {
                    (IssueKind::Integer { min, max }, Value::Integer(a), Value::Integer(b)) => {
                        Self::same_section(*min, *max, a, b).then_some(integer)
                    }
                    _ if p == c => Some(if with_integers { integer } else { formula }),
                    _ => None,
                };
                if let Some(inc) = inc {
                    o.weights[i] += inc;
                }
            }
            let sum: f64 = o.weights.iter().sum();
            if sum > 0.0 {
                o.weights.iter_mut().for_each(|w| *w /= sum);
            }
        }
        // Value evaluations.
        let inc = if with_integers {
            1.0 / 955.0
        } else {
            1.0 / 30000.0
        };
        for (vals, v) in o.values.iter_mut().zip(bid) {
            vals.reinforce(*v, inc);
        }
        o.last = Some(bid.clone());
        // At the 10th turn every opponent's integer issues get their ramp.
        if rounds == 10 {
            for o in &mut self.opponents {
                for vals in &mut o.values {
                    if let Values::Ramp {
                        lower_best,
                        low,
                        high,
                        ..
                    } = vals
                    {
                        if lower_best.is_none() {
                            *lower_best = Some(*low > *high);
                        }
                    }
                }
            }
        }
    }

    /// GENIUS `retrieveToughestOpp`: the opponent with the largest positive sum of max diffs.
    fn toughest(&self) -> Option<usize> {
        let mut best = (0.0, None);
        for (k, o) in self.opponents.iter().enumerate() {
            let sum: f64 = o.values.iter().map(Values::max_diff).sum();
            if sum > best.0 {
                best = (sum, Some(k));
            }
        }
        best.1
    }

    /// GENIUS `evaluateDiscountFactorNReservationValue`: walk away at the start?
    pub(crate) fn walks_away(df: f64, rv: f64, opponents: usize) -> bool {
        let (mut bar, step): (f64, fn(f64) -> f64) = match opponents {
            0 => return false,
            1 => (0.95, |b| (b - 0.005) * 0.998),
            2 => (0.86, |b| b - 0.006),
            _ => (0.75, |b| b - 0.005),
        };
        let mut end = false;
        let mut i = 1.0f64;
        while i >= 0.0 {
            let rounded: f64 = format!("{i:.2}").parse().unwrap_or(i);
            if df == rounded && rv >= bar {
                end = true;
            }
            bar = step(bar);
            i -= 0.01;
        }
        end
    }

    /// A uniformly random outcome worth at least `bar` (its best when none is).
    fn random_above(&mut self, bar: f64) -> Outcome {
        let own = &mut self.own;
        let span = own.at_least(bar);
        own.bids
            .random(&span, &mut own.rng)
            .unwrap_or_else(|| own.best().clone())
            .outcome
    }

    fn read(&mut self, view: &View<'_>) {
        let me = self.own.setup.index;
        for m in self.own.unseen(view) {
            if m.actor == me {
                continue;
            }
            let k = match self.opponents.iter().position(|o| o.seat == m.actor) {
                Some(k) => k,
                None => {
                    let o = self.new_opponent(m.actor);
                    self.opponents.push(o);
                    self.opponents.len() - 1
                }
            };
            if let Action::Offer(bid) = &m.action {
                self.opp_utility = self.own.setup.utility_of(bid);
                self.last_opponent_bid = Some(bid.clone());
                self.update(k, bid);
            }
        }
    }
}

impl Negotiator for YxAgent {
    fn act(&mut self, view: &View<'_>) -> Action {
        self.read(view);
        let offer = self.own.observe(view);
        self.rounds += 1;
        let rv = view.reservation;
        let n = self.opponents.len() as f64;
        let threshold = MINIMAL_THRESHOLD.max(1.0 - n * DEDUCT_THRESHOLD).max(rv);
        let Some(u) = offer else {
            return Action::Offer(self.random_above(MINIMAL_THRESHOLD));
        };
        if !self.searched_discount && self.rounds > 1 && !self.opponents.is_empty() {
            self.searched_discount = true;
            let df = self.own.setup.discount.unwrap_or(1.0);
            if Self::walks_away(df, self.own.setup.reservation, self.opponents.len()) {
                return Action::End;
            }
        }
        let test_bid = self.random_above(threshold);
        let mut bar = threshold;
        if self.rounds > 10 {
            if let (Some(k), Some(last)) = (self.toughest(), &self.last_opponent_bid) {
                let o = &self.opponents[k];
                let estimate: f64 = last
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| o.weights[i] * o.values[i].get(v).unwrap_or(0.0))
                    .sum();
                bar = bar.max(estimate - n * DEDUCT_THRESHOLD * 3.0 / 4.0);
            }
        }
        if u > bar && u >= rv {
            return Action::Accept;
        }
        Action::Offer(test_bid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn it_walks_away_only_on_a_listed_discount_with_a_high_reservation_value() {
        // One opponent, df = 1: the bar is 0.95.
        assert!(YxAgent::walks_away(1.0, 0.95, 1));
        assert!(!YxAgent::walks_away(1.0, 0.94, 1));
        // df = 0.99: the bar after one step is (0.95 − 0.005)·0.998.
        let bar = (0.95 - 0.005) * 0.998;
        assert!(YxAgent::walks_away(0.99, bar + 1e-9, 1));
        assert!(!YxAgent::walks_away(0.99, bar - 1e-6, 1));
        // A discount factor that is no two-decimal number never triggers it.
        assert!(!YxAgent::walks_away(0.995, 1.0, 1));
        // Two opponents, df = 1: 0.86.
        assert!(YxAgent::walks_away(1.0, 0.86, 2));
    }

    #[test]
    fn integer_values_in_the_same_fifth_of_the_range() {
        // Range 0..=9: fifths at 2, 4, 6, 8, 9.
        assert!(YxAgent::same_section(0, 9, 0, 2));
        assert!(!YxAgent::same_section(0, 9, 2, 3));
        assert!(YxAgent::same_section(0, 9, 9, 9));
    }

    #[test]
    fn the_threshold_and_the_model_after_ten_turns() {
        let mut a = YxAgent::new(&crate::strategies::test_setup(&[3, 3], 0.0, 100));
        let d = Value::Discrete;
        let mut history = Vec::new();
        let mut action = Action::End;
        // The opponent repeats (0, 0), worth 0 to it: it is never accepted.
        for round in 0..12u32 {
            history.push(crate::session::Move {
                round,
                time: f64::from(round) / 100.0,
                actor: 1,
                action: Action::Offer(vec![d(0), d(0)]),
            });
            let view = View {
                round,
                time: f64::from(round) / 100.0,
                history: &history,
                offset: 0,
                reservation: 0.0,
            };
            action = a.act(&view);
            if let Action::Offer(o) = &action {
                // One opponent: the threshold is 0.9.
                assert!(a.own.setup.utility_of(o) >= 0.9);
            }
        }
        assert!(matches!(action, Action::Offer(_)));
        let o = &a.opponents[0];
        // Unchanged issues gain equally: weights stay equal; the offered value is worth 1.
        assert!((o.weights[0] - 0.5).abs() < 1e-12);
        assert_eq!(o.values[0].get(d(0)), Some(1.0));
        assert!(o.values[0].get(d(1)).unwrap() < 1.0);
    }

    #[test]
    fn a_negotiation_against_boulware_ends() {
        let r = crate::strategies::versus_boulware("yxagent", &[5, 5, 4], 60);
        assert!(!matches!(r.end, crate::End::Error(_)), "{:?}", r.end);
    }
}
