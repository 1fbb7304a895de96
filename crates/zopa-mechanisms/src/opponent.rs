//! Opponent models: estimates of the other party's utility from its offers alone.

use std::collections::HashMap;

use zopa_core::Value;

/// An estimate of an opponent's utility function, learned from its bids.
pub trait OpponentModel: Send {
    fn name(&self) -> &'static str;
    /// Learn from the opponent's next bid, made at relative time `time`.
    fn update(&mut self, bid: &[Value], time: f64);
    /// Estimated opponent utility of an outcome, in [0, 1].
    fn utility(&self, outcome: &[Value]) -> f64;
    /// The model as per-issue terms over `values` (each issue's values by level) whose sum in
    /// issue order, divided by the estimate's scale, is [`OpponentModel::utility`] bit for
    /// bit; `None` for a model that is not additive. Bidding searches with it.
    fn estimate(&self, _values: &[Vec<Value>]) -> Option<zopa_core::bidding::Estimate> {
        None
    }
}

/// A value as a hashable key (each issue holds one kind of value, so keys never collide).
pub(crate) fn key(v: Value) -> u64 {
    match v {
        Value::Discrete(i) => u64::from(i),
        Value::Integer(x) => x as u64,
        Value::Real(x) => x.to_bits(),
    }
}

/// An outcome as a hashable key.
pub(crate) fn outcome_key(outcome: &[Value]) -> Vec<u64> {
    outcome.iter().map(|&v| key(v)).collect()
}

/// The HardHeaded frequency model (GENIUS `HardHeadedFrequencyModel`, ANAC 2011): issues the
/// opponent keeps unchanged gain weight; values it offers often gain evaluation.
#[derive(Debug, Clone)]
pub struct FrequencyModel {
    weights: Vec<f64>,
    counts: Vec<HashMap<u64, f64>>,
    previous: Option<Vec<Value>>,
    /// Learning coefficient l (0.2 in HardHeaded).
    learning: f64,
}

impl FrequencyModel {
    pub fn new(issues: usize) -> FrequencyModel {
        FrequencyModel {
            weights: vec![1.0 / issues.max(1) as f64; issues],
            counts: vec![HashMap::new(); issues],
            previous: None,
            learning: 0.2,
        }
    }

    /// The model with learning coefficient `learning` (HardHeaded's is 0.2; TheFawkes's 0.8).
    pub fn with_learning(issues: usize, learning: f64) -> FrequencyModel {
        FrequencyModel {
            learning,
            ..FrequencyModel::new(issues)
        }
    }

    pub fn weights(&self) -> &[f64] {
        &self.weights
    }

    /// Notes `bid` as the latest without learning from it (KLH learns from an opponent's
    /// second bid on).
    pub fn remember(&mut self, bid: &[Value]) {
        self.previous = Some(bid.to_vec());
    }

    /// Evaluation of value `v` of issue `i`: count / max count (unseen values count 1).
    pub fn evaluation(&self, i: usize, v: Value) -> f64 {
        let c = &self.counts[i];
        let max = c.values().copied().fold(1.0, f64::max);
        c.get(&key(v)).copied().unwrap_or(1.0) / max
    }
}

impl OpponentModel for FrequencyModel {
    fn name(&self) -> &'static str {
        "frequency"
    }

    fn update(&mut self, bid: &[Value], _time: f64) {
        let n = self.weights.len();
        if let Some(prev) = &self.previous {
            let unchanged: Vec<bool> = bid.iter().zip(prev).map(|(a, b)| a == b).collect();
            let golden = self.learning / n as f64;
            let total = 1.0 + golden * unchanged.iter().filter(|&&u| u).count() as f64;
            let max_w = 1.0 - n as f64 * golden / total;
            for (w, &same) in self.weights.iter_mut().zip(&unchanged) {
                *w = if same && *w < max_w {
                    (*w + golden) / total
                } else {
                    *w / total
                };
            }
        }
        for (c, &v) in self.counts.iter_mut().zip(bid) {
            *c.entry(key(v)).or_insert(1.0) += 1.0;
        }
        self.previous = Some(bid.to_vec());
    }

    fn utility(&self, outcome: &[Value]) -> f64 {
        let total: f64 = self.weights.iter().sum();
        outcome
            .iter()
            .enumerate()
            .map(|(i, &v)| self.weights[i] * self.evaluation(i, v))
            .sum::<f64>()
            / total.max(1e-12)
    }

    fn estimate(&self, values: &[Vec<Value>]) -> Option<zopa_core::bidding::Estimate> {
        let total: f64 = self.weights.iter().sum();
        Some(crate::bidding::estimate(
            values,
            |i, v| self.weights[i] * self.evaluation(i, v),
            total.max(1e-12),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unchanged_issues_gain_weight_and_offered_values_gain_evaluation() {
        let mut m = FrequencyModel::new(2);
        let d = Value::Discrete;
        m.update(&[d(0), d(0)], 0.0);
        m.update(&[d(0), d(1)], 0.1);
        m.update(&[d(0), d(2)], 0.2);
        assert!(m.weights()[0] > m.weights()[1], "{:?}", m.weights());
        assert!((m.weights().iter().sum::<f64>() - 1.0).abs() < 1e-12);
        assert!(m.utility(&[d(0), d(0)]) > m.utility(&[d(1), d(0)]));
    }
}

/// Position of a value on its issue in [0, 1] (discrete values by index order).
fn position(issue: &zopa_core::Issue, v: Value) -> f64 {
    use zopa_core::IssueKind;
    match (&issue.kind, v) {
        (IssueKind::Discrete { values, .. }, Value::Discrete(i)) if values.len() > 1 => {
            f64::from(i) / (values.len() - 1) as f64
        }
        (IssueKind::Integer { min, max }, Value::Integer(x)) if max > min => {
            (x - min) as f64 / (max - min) as f64
        }
        (IssueKind::Real { min, max }, Value::Real(x)) if max > min => (x - min) / (max - min),
        _ => 0.5,
    }
}

/// Windowed frequency model (Tunalı, Aydoğan & Sanchez-Anguix 2017; NegoLog
/// `WindowedFrequencyOpponentModel`): bids are compared in consecutive disjoint windows of 48.
/// Issues whose value distribution did not change (χ² test at 5 %, critical value by the
/// Wilson–Hilferty approximation) while the opponent conceded gain α(1 − t^β) weight (α = 10,
/// β = 5); value evaluations are count^γ / max count^γ (γ = 0.25); no learning after t = 0.8.
#[derive(Debug, Clone)]
pub struct WindowedFrequencyModel {
    weights: Vec<f64>,
    counts: Vec<HashMap<u64, f64>>,
    window: Vec<Vec<Value>>,
    previous: Option<Vec<Vec<Value>>>,
    pub window_size: usize,
}

impl WindowedFrequencyModel {
    pub fn new(issues: usize) -> WindowedFrequencyModel {
        WindowedFrequencyModel {
            weights: vec![1.0 / issues.max(1) as f64; issues],
            counts: vec![HashMap::new(); issues],
            window: Vec::new(),
            previous: None,
            window_size: 48,
        }
    }

    fn evaluation(&self, i: usize, v: Value) -> f64 {
        let c = &self.counts[i];
        let max = c.values().copied().fold(1.0, f64::max).powf(0.25);
        c.get(&key(v)).copied().unwrap_or(1.0).powf(0.25) / max
    }

    /// Laplace-smoothed frequencies of issue `i` over `bids`, on the union of values seen.
    fn frequencies(bids: &[Vec<Value>], i: usize, keys: &[u64]) -> Vec<f64> {
        let total = bids.len() as f64 + keys.len() as f64;
        keys.iter()
            .map(|k| (bids.iter().filter(|b| key(b[i]) == *k).count() as f64 + 1.0) / total)
            .collect()
    }

    fn utility_of_window(&self, bids: &[Vec<Value>]) -> f64 {
        bids.iter().map(|b| self.utility(b)).sum::<f64>() / bids.len().max(1) as f64
    }

    fn close_window(&mut self, time: f64) {
        let current = std::mem::take(&mut self.window);
        if let Some(prev) = self.previous.take() {
            let n = self.weights.len();
            let mut unchanged = vec![false; n];
            let mut any_changed = false;
            for (i, slot) in unchanged.iter_mut().enumerate() {
                let mut keys: Vec<u64> = prev.iter().chain(&current).map(|b| key(b[i])).collect();
                keys.sort_unstable();
                keys.dedup();
                let p = Self::frequencies(&prev, i, &keys);
                let q = Self::frequencies(&current, i, &keys);
                let stat: f64 = p
                    .iter()
                    .zip(&q)
                    .map(|(e, o)| (o - e) * (o - e) / e)
                    .sum::<f64>()
                    * current.len() as f64;
                let df = (keys.len().max(2) - 1) as f64;
                let z = 1.645;
                let critical =
                    df * (1.0 - 2.0 / (9.0 * df) + z * (2.0 / (9.0 * df)).sqrt()).powi(3);
                *slot = stat <= critical;
                any_changed |= !*slot;
            }
            let conceded = self.utility_of_window(&current) < self.utility_of_window(&prev);
            if any_changed && conceded {
                let bump = 10.0 * (1.0 - time.powi(5));
                for (w, &same) in self.weights.iter_mut().zip(&unchanged) {
                    if same {
                        *w += bump;
                    }
                }
                let total: f64 = self.weights.iter().sum();
                for w in &mut self.weights {
                    *w /= total;
                }
            }
        }
        self.previous = Some(current);
    }
}

impl OpponentModel for WindowedFrequencyModel {
    fn name(&self) -> &'static str {
        "windowed"
    }

    fn update(&mut self, bid: &[Value], time: f64) {
        if time > 0.8 {
            return;
        }
        for (c, &v) in self.counts.iter_mut().zip(bid) {
            *c.entry(key(v)).or_insert(1.0) += 1.0;
        }
        self.window.push(bid.to_vec());
        if self.window.len() >= self.window_size {
            self.close_window(time);
        }
    }

    fn utility(&self, outcome: &[Value]) -> f64 {
        outcome
            .iter()
            .enumerate()
            .map(|(i, &v)| self.weights[i] * self.evaluation(i, v))
            .sum()
    }

    fn estimate(&self, values: &[Vec<Value>]) -> Option<zopa_core::bidding::Estimate> {
        Some(crate::bidding::estimate(
            values,
            |i, v| self.weights[i] * self.evaluation(i, v),
            1.0,
        ))
    }
}

/// Bayesian opponent model (Hindriks & Tykhonov 2008; GENIUS `BayesianOpponentModel`), in the
/// scalable, per-issue form. Per issue: 11 weight hypotheses j/10 with prior ∝ (1 − (j+1)/11)³
/// (plus a small floor so no hypothesis starts impossible), and evaluation hypotheses over the
/// value's position on the issue: uphill, downhill and triangular peaks at ¼, ½, ¾. The
/// opponent is assumed to concede: the expected utility of its n-th bid is 1 − 0.003·n. Each
/// bid updates weights, then evaluations, with likelihood N((U_exp − U_h)/U_exp; 0, 0.25).
#[derive(Debug, Clone)]
pub struct BayesianModel {
    issues: std::sync::Arc<Vec<zopa_core::Issue>>,
    weight_post: Vec<Vec<f64>>,
    eval_post: Vec<Vec<f64>>,
    bids: usize,
}

const SHAPES: usize = 5;

fn shape(h: usize, x: f64) -> f64 {
    match h {
        0 => x,
        1 => 1.0 - x,
        _ => {
            let peak = [0.25, 0.5, 0.75][h - 2];
            if x <= peak {
                x / peak
            } else {
                (1.0 - x) / (1.0 - peak)
            }
        }
    }
}

impl BayesianModel {
    pub fn new(issues: std::sync::Arc<Vec<zopa_core::Issue>>) -> BayesianModel {
        let n = issues.len();
        let prior: Vec<f64> = (0..11)
            .map(|j| (1.0 - (j as f64 + 1.0) / 11.0).powi(3) + 1e-3)
            .collect();
        let total: f64 = prior.iter().sum();
        BayesianModel {
            weight_post: vec![prior.iter().map(|p| p / total).collect(); n],
            eval_post: vec![vec![1.0 / SHAPES as f64; SHAPES]; n],
            issues,
            bids: 0,
        }
    }

    fn expected_weight(&self, i: usize) -> f64 {
        self.weight_post[i]
            .iter()
            .enumerate()
            .map(|(j, p)| p * j as f64 / 10.0)
            .sum()
    }

    fn expected_eval(&self, i: usize, x: f64) -> f64 {
        self.eval_post[i]
            .iter()
            .enumerate()
            .map(|(h, p)| p * shape(h, x))
            .sum()
    }

    fn normalise(v: &mut [f64]) {
        let total: f64 = v.iter().sum();
        if total > 0.0 {
            for x in v.iter_mut() {
                *x /= total;
            }
        }
    }
}

impl OpponentModel for BayesianModel {
    fn name(&self) -> &'static str {
        "bayesian"
    }

    fn update(&mut self, bid: &[Value], _time: f64) {
        let expected = (1.0 - 0.003 * self.bids as f64).max(0.05);
        self.bids += 1;
        let n = self.issues.len();
        let xs: Vec<f64> = (0..n).map(|i| position(&self.issues[i], bid[i])).collect();
        let likelihood = |u: f64| {
            let x = (expected - u) / expected;
            (-(x * x) / (2.0 * 0.25 * 0.25)).exp()
        };
        let parts: Vec<f64> = (0..n)
            .map(|i| self.expected_weight(i) * self.expected_eval(i, xs[i]))
            .collect();
        let all: f64 = parts.iter().sum();
        for i in 0..n {
            let rest = all - parts[i];
            let ev = self.expected_eval(i, xs[i]);
            for (j, p) in self.weight_post[i].iter_mut().enumerate() {
                *p *= likelihood(rest + j as f64 / 10.0 * ev);
            }
            Self::normalise(&mut self.weight_post[i]);
        }
        let parts: Vec<f64> = (0..n)
            .map(|i| self.expected_weight(i) * self.expected_eval(i, xs[i]))
            .collect();
        let all: f64 = parts.iter().sum();
        for i in 0..n {
            let rest = all - parts[i];
            let w = self.expected_weight(i);
            for (h, p) in self.eval_post[i].iter_mut().enumerate() {
                *p *= likelihood(rest + w * shape(h, xs[i]));
            }
            Self::normalise(&mut self.eval_post[i]);
        }
    }

    fn utility(&self, outcome: &[Value]) -> f64 {
        let n = self.issues.len();
        let total: f64 = (0..n)
            .map(|i| self.expected_weight(i))
            .sum::<f64>()
            .max(1e-12);
        (0..n)
            .map(|i| {
                self.expected_weight(i)
                    * self.expected_eval(i, position(&self.issues[i], outcome[i]))
            })
            .sum::<f64>()
            / total
    }

    fn estimate(&self, values: &[Vec<Value>]) -> Option<zopa_core::bidding::Estimate> {
        let n = self.issues.len();
        let total: f64 = (0..n)
            .map(|i| self.expected_weight(i))
            .sum::<f64>()
            .max(1e-12);
        Some(crate::bidding::estimate(
            values,
            |i, v| self.expected_weight(i) * self.expected_eval(i, position(&self.issues[i], v)),
            total,
        ))
    }
}

/// Which opponent model a strategy learns with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelKind {
    /// [`FrequencyModel`] (HardHeaded's, GENIUS).
    Frequency,
    /// [`WindowedFrequencyModel`] (Tunalı et al. 2017).
    Windowed,
    /// [`BayesianModel`] (Hindriks & Tykhonov 2008).
    Bayesian,
}

/// A fresh model of `kind` for a negotiation over `issues`.
pub fn model(
    kind: ModelKind,
    issues: &std::sync::Arc<Vec<zopa_core::Issue>>,
) -> Box<dyn OpponentModel> {
    match kind {
        ModelKind::Frequency => Box::new(FrequencyModel::new(issues.len())),
        ModelKind::Windowed => Box::new(WindowedFrequencyModel::new(issues.len())),
        ModelKind::Bayesian => Box::new(BayesianModel::new(std::sync::Arc::clone(issues))),
    }
}

#[cfg(test)]
mod learning_tests {
    use std::sync::Arc;

    use super::*;
    use zopa_core::Issue;

    /// An opponent that always wants value 0 on issue a and concedes on issue b learns that a
    /// matters more and that a = v0 is good for it.
    fn learns(mut m: Box<dyn OpponentModel>) {
        let d = Value::Discrete;
        for k in 0..120u32 {
            m.update(&[d(0), d(k % 5)], f64::from(k) / 200.0);
        }
        let good = m.utility(&[d(0), d(2)]);
        let bad = m.utility(&[d(4), d(2)]);
        assert!(good > bad, "{}: {good} vs {bad}", m.name());
    }

    #[test]
    fn every_model_learns_a_stubborn_issue() {
        let issues = Arc::new(vec![
            Issue::discrete("a", &["v0", "v1", "v2", "v3", "v4"]),
            Issue::discrete("b", &["v0", "v1", "v2", "v3", "v4"]),
        ]);
        for kind in [
            ModelKind::Frequency,
            ModelKind::Windowed,
            ModelKind::Bayesian,
        ] {
            learns(model(kind, &issues));
        }
    }
}
