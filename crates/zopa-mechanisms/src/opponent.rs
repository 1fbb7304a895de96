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
}

fn key(v: Value) -> u64 {
    match v {
        Value::Discrete(i) => u64::from(i),
        Value::Integer(x) => x as u64,
        Value::Real(x) => x.to_bits(),
    }
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

    pub fn weights(&self) -> &[f64] {
        &self.weights
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
