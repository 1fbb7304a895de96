//! The countable outcome space analysis works on: each issue as a list of levels.

use num_bigint::BigUint;

use crate::issue::{IssueKind, Value};
use crate::scenario::Scenario;

/// Issues laid out as levels 0..k (real issues on a grid of `real_levels` points).
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    /// The value at each level of each issue.
    pub values: Vec<Vec<Value>>,
    /// Whether any real issue was put on a grid.
    pub discretized: bool,
}

impl Grid {
    pub fn new(scenario: &Scenario, real_levels: u32) -> Grid {
        let mut discretized = false;
        let values = scenario
            .issues
            .iter()
            .map(|issue| {
                let k = match issue.kind {
                    IssueKind::Real { .. } => {
                        discretized = true;
                        real_levels.max(1)
                    }
                    _ => issue.cardinality().unwrap_or(1).min(u64::from(u32::MAX)) as u32,
                };
                (0..k).map(|l| issue.value_at(l, k)).collect()
            })
            .collect();
        Grid {
            values,
            discretized,
        }
    }

    pub fn sizes(&self) -> Vec<u64> {
        self.values.iter().map(|v| v.len() as u64).collect()
    }

    /// Number of grid points, exactly.
    pub fn count(&self) -> BigUint {
        self.values
            .iter()
            .fold(BigUint::from(1u32), |acc, v| acc * BigUint::from(v.len()))
    }

    /// Number of grid points if it fits in a u64.
    pub fn count_u64(&self) -> Option<u64> {
        self.values
            .iter()
            .try_fold(1u64, |acc, v| acc.checked_mul(v.len() as u64))
    }

    pub fn outcome(&self, levels: &[u32]) -> Vec<Value> {
        levels
            .iter()
            .zip(&self.values)
            .map(|(&l, vals)| vals[l as usize])
            .collect()
    }
}

/// Exact number of outcomes of a scenario; `None` when an issue is continuous.
pub fn outcome_count(scenario: &Scenario) -> Option<BigUint> {
    scenario
        .issues
        .iter()
        .try_fold(BigUint::from(1u32), |acc, issue| {
            issue.cardinality().map(|k| acc * BigUint::from(k))
        })
}
