//! LuckyAgent2022 (Arash Ebrahimnezhad & Faria Nassiri-Mofakham; ANAC 2022 runner-up),
//! NegoLog `agents/LuckyAgent2022/` (`LuckyAgent2022.py`, `OpponentModel.py`; the ANAC 2022
//! original ran on GeniusWeb, not GENIUS). NegoLog keeps its within-session strategy; the
//! stop-learning bandit that tuned it across sessions is not part of the port.
//!
//! * Thresholds with P(t) = 0.7 + 0.3(1 − t^(1/0.05)): high = P(t), acceptance = P(t) −
//!   0.1(t + 10⁻⁷), low = P(t) − 0.1(t + 10⁻⁷)·|sin 60t|.
//! * Bids: one of six utility goals (low + k(high − low)/5, k = 0..4, and high) drawn
//!   uniformly; the outcomes NegoLog's `get_bids_at(goal, ±0.01)` lists (from the outcome
//!   nearest goal + 0.01 to the one nearest goal − 0.01, whole classes of equal utility); one
//!   of them drawn with weight the opponent model's utility (10⁻⁵ when not positive). Before
//!   any offer is received it offers its best outcome.
//! * Accepts (never below rv) an offer worth at least the acceptance threshold, or more than
//!   0.6 after t = 0.97, or at least the bid it would make (AC_next).
//! * Opponent model: per issue, the weight (c_max − n/k)/(n − n/k) (n offers, k values, c_max
//!   the commonest value's count) and value utilities ((c + 1)^(1 − w) − 1)/((c_max + 1)^(1 − w)
//!   − 1), weights normalised to sum 1; a value not yet offered keeps NegoLog's prior, the
//!   inverse of its own evaluation (1 − e(v), over the issue's largest; 0 for utilities that
//!   are not additive).
//!
//! Fidelity: faithful to NegoLog on listed orders (additive spaces of at most 65,536
//! outcomes: the window listed, one weighted draw), with two adaptations: on a searched order
//! a window of more than 2,000 outcomes is never listed — 16 uniform seeded draws from it are
//! resampled by the same weights (sampling-importance-resampling: the same distribution in the
//! limit); an issue with one value (NegoLog divides 0 by 0) has weight 0. The window's ends
//! are the utilities NegoLog's binary search lands on, found without listing their classes.

use std::collections::HashMap;

use rand::RngExt;
use zopa_core::Value;

use crate::bidding::Span;
use crate::opponent::{key, OpponentModel};
use crate::session::{Action, Negotiator, Setup, View};
use crate::strategies::Own;

/// Utility goals between low and high (NegoLog `NUMBER_OF_GOALS`), plus high itself.
const GOALS: usize = 5;
/// Largest window of a searched order listed for the weighted choice (a listed order's
/// windows are always listed).
const LIST_LIMIT: u128 = 2000;
/// Outcomes drawn from a larger window and resampled by weight.
const SAMPLE: usize = 16;

/// LuckyAgent2022's opponent model (NegoLog `OpponentModel.py`).
#[derive(Debug, Clone)]
pub struct LuckyModel {
    /// Per issue: its number of values, the offers seen, the counts of each value.
    values: Vec<f64>,
    offers: f64,
    counts: Vec<HashMap<u64, f64>>,
    /// Per issue: the utility of each value before it is offered (NegoLog's estimate starts
    /// as the inverse of its own evaluations, normalised by the issue's largest).
    prior: Vec<HashMap<u64, f64>>,
}

impl LuckyModel {
    pub fn new(issues: &[zopa_core::Issue], utility: &zopa_core::UtilityFunction) -> LuckyModel {
        let additive = utility.as_additive();
        let prior = issues
            .iter()
            .enumerate()
            .map(|(i, issue)| {
                let Some(e) = additive.and_then(|a| a.evaluators.get(i)) else {
                    return HashMap::new();
                };
                let values = crate::outcomes::candidate_values(issue);
                let inverse: Vec<f64> = values.iter().map(|&v| 1.0 - e.eval(v)).collect();
                let max = inverse.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                values
                    .iter()
                    .zip(&inverse)
                    .map(|(&v, &x)| (key(v), if max == 0.0 { 1.0 } else { x / max }))
                    .collect()
            })
            .collect();
        LuckyModel {
            prior,
            values: issues
                .iter()
                .map(|i| {
                    i.cardinality()
                        .unwrap_or(u64::from(crate::outcomes::REAL_LEVELS))
                        as f64
                })
                .collect(),
            offers: 0.0,
            counts: vec![HashMap::new(); issues.len()],
        }
    }

    fn max_count(&self, i: usize) -> f64 {
        self.counts[i].values().copied().fold(0.0, f64::max)
    }

    /// The raw weight of issue `i`.
    fn weight(&self, i: usize) -> f64 {
        let equal = self.offers / self.values[i];
        let below = self.offers - equal;
        if below > 0.0 {
            (self.max_count(i) - equal) / below
        } else {
            0.0
        }
    }

    /// The utility of value `v` of issue `i`, after normalisation by the best value's.
    fn value(&self, i: usize, v: Value) -> f64 {
        let max = self.max_count(i);
        let Some(&c) = self.counts[i].get(&key(v)) else {
            return self.prior[i].get(&key(v)).copied().unwrap_or(0.0);
        };
        let w = self.weight(i);
        if w < 1.0 {
            ((c + 1.0).powf(1.0 - w) - 1.0) / ((max + 1.0).powf(1.0 - w) - 1.0)
        } else {
            1.0
        }
    }
}

impl OpponentModel for LuckyModel {
    fn name(&self) -> &'static str {
        "lucky"
    }

    fn update(&mut self, bid: &[Value], _time: f64) {
        self.offers += 1.0;
        for (c, &v) in self.counts.iter_mut().zip(bid) {
            *c.entry(key(v)).or_insert(0.0) += 1.0;
        }
    }

    fn utility(&self, outcome: &[Value]) -> f64 {
        let n = self.counts.len();
        let weights: Vec<f64> = (0..n).map(|i| self.weight(i)).collect();
        let total: f64 = weights.iter().sum();
        outcome
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                let w = if total == 0.0 {
                    1.0 / n as f64
                } else {
                    weights[i] / total
                };
                w * self.value(i, v)
            })
            .sum()
    }
}

pub struct LuckyAgent2022 {
    own: Own,
    model: LuckyModel,
}

impl LuckyAgent2022 {
    pub fn new(setup: &Setup) -> LuckyAgent2022 {
        LuckyAgent2022 {
            own: Own::new(setup),
            model: LuckyModel::new(&setup.issues, &setup.utility),
        }
    }

    /// (low, acceptance, high) at `t`.
    pub(crate) fn thresholds(t: f64) -> (f64, f64, f64) {
        let (min, max, e) = (0.7, 1.0, 0.05);
        let high = min + (1.0 - t.powf(1.0 / e)) * (max - min);
        let drop = 0.1 * (t + 0.0000001);
        (high - drop * (t * 60.0).sin().abs(), high - drop, high)
    }

    /// NegoLog `find_bid`.
    fn find_bid(&mut self, low: f64, high: f64) -> (crate::session::Outcome, f64) {
        let step = (high - low) / GOALS as f64;
        let k = self.own.rng.random_range(0..=GOALS);
        let goal = if k == GOALS {
            high
        } else {
            low + step * k as f64
        };
        let bids = &self.own.bids;
        // The utilities NegoLog's binary search lands on (`nearest` picks the same class as
        // `negolog_bid_at`, without listing it: only the window's ends matter here).
        let top = bids.nearest(goal + 0.01);
        let bottom = bids.nearest(goal - 0.01);
        let window = Span::between(bottom.utility, top.utility);
        // NegoLog's `random.choices(options, weights)`: the window listed when small, else a
        // seeded sample of it resampled by the same weights.
        let bidding: &crate::bidding::Bidding = bids;
        // A listing or a hyper-rectangle order's sample: the window is listed.
        let listed = !matches!(bidding, crate::bidding::Bidding::Additive(_));
        let options: Vec<crate::bidding::Bid> = if listed || bids.count(&window) <= LIST_LIMIT {
            bids.iter(&window).collect()
        } else {
            (0..SAMPLE)
                .filter_map(|_| bids.random(&window, &mut self.own.rng))
                .collect()
        };
        let weights: Vec<f64> = options
            .iter()
            .map(|b| {
                let w = self.model.utility(&b.outcome);
                if w > 0.0 {
                    w
                } else {
                    0.00001
                }
            })
            .collect();
        let total: f64 = weights.iter().sum();
        let mut x = self.own.rng.random::<f64>() * total;
        let mut pick = options.len().saturating_sub(1);
        for (k, w) in weights.iter().enumerate() {
            if x < *w {
                pick = k;
                break;
            }
            x -= w;
        }
        let b = options.into_iter().nth(pick).unwrap_or(top);
        (b.outcome, b.utility)
    }
}

impl Negotiator for LuckyAgent2022 {
    fn act(&mut self, view: &View<'_>) -> Action {
        let offer = self.own.observe(view);
        for (bid, &(t, _)) in self.own.fresh() {
            self.model.update(bid, t);
        }
        let t = view.time;
        let (low, acceptance, high) = Self::thresholds(t);
        if self.own.received.is_empty() {
            return Action::Offer(self.own.best().outcome.clone());
        }
        let (next, next_u) = self.find_bid(low, high);
        if let Some(u) = offer {
            let rational = u >= view.reservation;
            if rational && (u >= acceptance || (t > 0.97 && u > 0.6) || u >= next_u) {
                return Action::Accept;
            }
        }
        Action::Offer(next)
    }

    fn opponent_model(&self) -> Option<&dyn OpponentModel> {
        Some(&self.model)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thresholds_hold_high_then_fall_to_their_floor() {
        let (low, acc, high) = LuckyAgent2022::thresholds(0.0);
        assert!((high - 1.0).abs() < 1e-12 && (acc - (1.0 - 1e-8)).abs() < 1e-12);
        assert!((low - 1.0).abs() < 1e-12);
        // t = 0.5: 0.5^20 is negligible; acceptance 0.1·0.5 lower.
        let (_, acc, high) = LuckyAgent2022::thresholds(0.5);
        assert!((high - (0.7 + 0.3 * (1.0 - 0.5f64.powi(20)))).abs() < 1e-12);
        assert!((acc - (high - 0.1 * 0.5000001)).abs() < 1e-12);
        let (low, acc, high) = LuckyAgent2022::thresholds(1.0);
        assert!((high - 0.7).abs() < 1e-12);
        assert!((acc - (0.7 - 0.1 * 1.0000001)).abs() < 1e-12);
        assert!((low - (0.7 - 0.1 * 1.0000001 * 60f64.sin().abs())).abs() < 1e-12);
    }

    #[test]
    fn the_model_weights_issues_the_opponent_keeps() {
        let issues = vec![
            zopa_core::Issue::discrete("a", &["0", "1", "2"]),
            zopa_core::Issue::discrete("b", &["0", "1", "2"]),
        ];
        let utility = zopa_core::UtilityFunction::Additive(zopa_core::AdditiveUtility {
            weights: vec![0.5, 0.5],
            evaluators: vec![zopa_core::Evaluator::Table(vec![1.0, 0.5, 0.0]); 2],
            cap_at_one: false,
        });
        let mut m = LuckyModel::new(&issues, &utility);
        let d = Value::Discrete;
        for k in 0..6 {
            m.update(&[d(0), d(k % 3)], 0.0);
        }
        // Issue a: c_max = 6, n/k = 2: weight 1; issue b spread evenly: weight 0.
        assert!((m.weight(0) - 1.0).abs() < 1e-12 && m.weight(1).abs() < 1e-12);
        assert!((m.utility(&[d(0), d(2)]) - 1.0).abs() < 1e-12);
        // Value 1 of issue a, never offered, keeps its prior: (1 − 0.5)/1.
        assert!((m.utility(&[d(1), d(2)]) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn it_ends_against_boulware() {
        let r = crate::strategies::agentgg::tests::against_boulware("luckyagent2022", 60);
        assert!(r.rounds <= 60);
    }
}
