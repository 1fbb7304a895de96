//! AgreeableAgent2018 (Sahar Mirzayi, University of Tehran; ANAC 2018 winner), GENIUS
//! `agents/anac/y2018/agreeableagent2018/AgreeableAgent2018.java`,
//! `FrequencyBasedOpponentModel.java` and `Constants.java`; negmas-genius-agents ports it as
//! `negotiators/anac/y2018/agreeable_agent.py`.
//!
//! Target: 1 until t = 0.2, then p_min + (p_max − p_min)(1 − t'^10) with t' = (t − 0.2)/0.8
//! (p_min, p_max its worst and best utilities), never below 0.8. Before the model time (t ≥ 0.2,
//! 0.3 or 0.4 for spaces of under 1,000, under 10,000 or more outcomes) it bids the outcome
//! nearest the target; afterwards (all-discrete domains only) a roulette over the outcomes
//! within target ± 0.05·(1 − (p_min + (p_max − p_min)(1 − t^10))) (GENIUS uses the raw time
//! here), each weighted by the sum of its two opponent models' estimates — an empty range, or
//! estimates summing to nothing, send it to its best outcome (GENIUS's exception path, which
//! also skips the acceptance test). It accepts an offer worth at least its next bid, or from
//! t = 0.99 at least its reservation value; it opens with its best outcome.
//!
//! Opponent models (first and second sender of offers — at a table of two the one opponent,
//! the second model from its second offer on): value counts per issue; issue weights are the
//! standard deviation of the issue's counts; an outcome's estimate is
//! Σ (count / offers)·(w_i / Σw) / issues.
//!
//! Fidelity: adapted. GENIUS lists the outcomes in range; zopa lists them up to 20,000 and
//! above that runs the roulette over 20,000 uniform draws from the range. Ties of the nearest
//! outcome follow the bidding order (GENIUS: generation order); it never accepts below its
//! reservation value. Memory: value counts only.

use rand::RngExt;
use zopa_core::{IssueKind, Value};

use crate::bidding::{Bid, Span};
use crate::session::{Action, Negotiator, Setup, View};
use crate::strategies::Own;

const TIME_TO_CONCEDE: f64 = 0.2;
const CONCESSION_FACTOR: f64 = 0.1;
const MINIMUM_UTILITY: f64 = 0.8;
const NEIGHBOURHOOD: f64 = 0.05;
/// Most outcomes of the range the roulette lists (beyond, it samples as many).
const ROULETTE_LIMIT: u128 = 20_000;

/// GENIUS `FrequencyBasedOpponentModel`.
#[derive(Debug, Clone)]
pub(crate) struct FrequencyModel {
    counts: Vec<Vec<u32>>,
    total: u32,
    weights: Vec<f64>,
}

impl FrequencyModel {
    pub(crate) fn new(sizes: &[usize]) -> FrequencyModel {
        FrequencyModel {
            counts: sizes.iter().map(|&n| vec![0; n]).collect(),
            total: 0,
            weights: vec![0.0; sizes.len()],
        }
    }

    pub(crate) fn update(&mut self, bid: &[Value]) {
        self.total += 1;
        for (c, v) in self.counts.iter_mut().zip(bid) {
            if let Value::Discrete(i) = v {
                if let Some(x) = c.get_mut(*i as usize) {
                    *x += 1;
                }
            }
        }
        for (w, c) in self.weights.iter_mut().zip(&self.counts) {
            let n = c.len().max(1) as f64;
            let mean = c.iter().map(|&x| f64::from(x)).sum::<f64>() / n;
            let sum2: f64 = c.iter().map(|&x| (mean - f64::from(x)).powi(2)).sum();
            *w = if sum2 != 0.0 { (sum2 / n).sqrt() } else { 0.0 };
        }
    }

    /// The estimate (NaN when every weight is 0, as in GENIUS).
    pub(crate) fn utility(&self, bid: &[Value]) -> f64 {
        if self.total == 0 {
            return 0.0;
        }
        let sum_w: f64 = self.weights.iter().sum();
        let s: f64 = bid
            .iter()
            .enumerate()
            .map(|(i, v)| {
                let count = match v {
                    Value::Discrete(k) => self.counts[i].get(*k as usize).copied().unwrap_or(0),
                    _ => 0,
                };
                f64::from(count) / f64::from(self.total) * (self.weights[i] / sum_w)
            })
            .sum();
        s / self.counts.len().max(1) as f64
    }
}

pub struct AgreeableAgent2018 {
    own: Own,
    p_min: f64,
    p_max: f64,
    /// Discrete issue sizes when every issue is discrete (GENIUS `canUseModel`).
    sizes: Option<Vec<usize>>,
    model_time: f64,
    ids: [Option<usize>; 2],
    models: [FrequencyModel; 2],
    received: bool,
}

impl AgreeableAgent2018 {
    pub fn new(setup: &Setup) -> AgreeableAgent2018 {
        let own = Own::new(setup);
        let sizes: Option<Vec<usize>> = setup
            .issues
            .iter()
            .map(|i| match &i.kind {
                IssueKind::Discrete { values, .. } => Some(values.len()),
                _ => None,
            })
            .collect();
        let domain: u128 = setup
            .issues
            .iter()
            .map(|i| i.exact_cardinality().unwrap_or(u128::MAX))
            .fold(1u128, |a, b| a.saturating_mul(b));
        let model_time = if domain < 1000 {
            0.2
        } else if domain < 10_000 {
            0.3
        } else {
            0.4
        };
        let blank = FrequencyModel::new(sizes.as_deref().unwrap_or(&[]));
        AgreeableAgent2018 {
            p_min: own.worst().utility,
            p_max: own.best().utility,
            own,
            sizes,
            model_time,
            ids: [None, None],
            models: [blank.clone(), blank],
            received: false,
        }
    }

    fn f(t: f64) -> f64 {
        t.powf(1.0 / CONCESSION_FACTOR)
    }

    /// GENIUS `getUtilityByTime`, floored at 0.8 as `getNextBid` does.
    pub(crate) fn target(t: f64, p_min: f64, p_max: f64) -> f64 {
        let u = if t < TIME_TO_CONCEDE {
            1.0
        } else {
            let tn = (t - TIME_TO_CONCEDE) / (1.0 - TIME_TO_CONCEDE);
            p_min + (p_max - p_min) * (1.0 - Self::f(tn))
        };
        u.max(MINIMUM_UTILITY)
    }

    /// GENIUS `getExplorableNeighbourhood` (on the raw time).
    pub(crate) fn neighbourhood(t: f64, p_min: f64, p_max: f64) -> f64 {
        if t < TIME_TO_CONCEDE {
            0.0
        } else {
            NEIGHBOURHOOD * (1.0 - (p_min + (p_max - p_min) * (1.0 - Self::f(t))))
        }
    }

    fn estimate(&self, bid: &[Value]) -> f64 {
        self.models[0].utility(bid) + self.models[1].utility(bid)
    }

    /// GENIUS `tuneBidByOpponentModel`; None on its exception path.
    fn roulette(&mut self, target: f64, t: f64) -> Option<Bid> {
        let nb = Self::neighbourhood(t, self.p_min, self.p_max);
        let span = Span::between(target - nb, target + nb);
        let n = self.own.bids.count(&span);
        if n == 0 {
            return None;
        }
        if n == 1 {
            return self.own.bids.first(&span);
        }
        let candidates: Vec<Bid> = if n <= ROULETTE_LIMIT {
            self.own.bids.iter(&span).collect()
        } else {
            let own = &mut self.own;
            (0..ROULETTE_LIMIT)
                .filter_map(|_| own.bids.random(&span, &mut own.rng))
                .collect()
        };
        let sums: Vec<f64> = candidates
            .iter()
            .map(|b| self.estimate(&b.outcome))
            .collect();
        let total: f64 = sums.iter().sum();
        let r: f64 = self.own.rng.random();
        let mut integrate = 0.0;
        for (b, s) in candidates.into_iter().zip(&sums) {
            integrate += s / total;
            if integrate >= r {
                return Some(b);
            }
        }
        None
    }

    /// GENIUS `getNextBid`; None on its exception path.
    fn next_bid(&mut self, t: f64) -> Option<Bid> {
        let target = Self::target(t, self.p_min, self.p_max);
        if self.sizes.is_some() && t >= self.model_time {
            self.roulette(target, t)
        } else {
            Some(self.own.bids.nearest(target))
        }
    }

    fn read(&mut self, view: &View<'_>) {
        let me = self.own.setup.index;
        for m in self.own.unseen(view) {
            let (Action::Offer(o), true) = (&m.action, m.actor != me) else {
                continue;
            };
            self.received = true;
            if self.sizes.is_none() {
                continue;
            }
            if self.ids[0].is_none() {
                self.ids[0] = Some(m.actor);
            } else if self.ids[1].is_none() {
                self.ids[1] = Some(m.actor);
            }
            for k in 0..2 {
                if self.ids[k] == Some(m.actor) {
                    self.models[k].update(o);
                }
            }
        }
    }
}

impl Negotiator for AgreeableAgent2018 {
    fn act(&mut self, view: &View<'_>) -> Action {
        self.read(view);
        let offer = self.own.observe(view);
        if !self.received {
            return Action::Offer(self.own.best().outcome.clone());
        }
        let Some(bid) = self.next_bid(view.time) else {
            return Action::Offer(self.own.best().outcome.clone());
        };
        if let Some(u) = offer {
            let good = u >= bid.utility || (view.time >= 0.99 && u >= self.own.setup.reservation);
            if good && u >= view.reservation {
                return Action::Accept;
            }
        }
        Action::Offer(bid.outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_holds_then_concedes_late_to_its_floor() {
        assert_eq!(AgreeableAgent2018::target(0.1, 0.0, 1.0), 1.0);
        assert_eq!(AgreeableAgent2018::target(0.2, 0.0, 1.0), 1.0);
        // t = 0.6: t' = 0.5, 1 − 0.5^10.
        let mid = 1.0 - 0.5f64.powi(10);
        assert!((AgreeableAgent2018::target(0.6, 0.0, 1.0) - mid).abs() < 1e-12);
        assert_eq!(AgreeableAgent2018::target(1.0, 0.0, 1.0), 0.8);
        // The neighbourhood uses the raw time: 0.05·t^10 with p_min = 0, p_max = 1.
        let nb = AgreeableAgent2018::neighbourhood(0.5, 0.0, 1.0);
        assert!((nb - 0.05 * 0.5f64.powi(10)).abs() < 1e-15);
        assert_eq!(AgreeableAgent2018::neighbourhood(0.1, 0.0, 1.0), 0.0);
    }

    #[test]
    fn issue_weights_are_the_spread_of_value_counts() {
        let mut m = FrequencyModel::new(&[2, 2]);
        let d = Value::Discrete;
        m.update(&[d(0), d(0)]);
        m.update(&[d(0), d(1)]);
        // Issue 0 counts (2, 0): sd 1; issue 1 counts (1, 1): sd 0.
        assert_eq!(m.weights, vec![1.0, 0.0]);
        // (count 2 / 2 offers)·(1 / 1) / 2 issues.
        assert!((m.utility(&[d(0), d(1)]) - 0.5).abs() < 1e-12);
        assert_eq!(m.utility(&[d(1), d(1)]), 0.0);
    }

    #[test]
    fn a_negotiation_against_boulware_ends() {
        let r = crate::strategies::versus_boulware("agreeableagent2018", &[5, 5, 4], 60);
        assert!(!matches!(r.end, crate::End::Error(_)), "{:?}", r.end);
    }
}
