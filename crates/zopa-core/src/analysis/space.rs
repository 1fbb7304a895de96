//! The countable outcome space analysis works on: each issue as a list of levels.

use num_bigint::BigUint;

use crate::issue::{Issue, IssueKind, Value};
use crate::scenario::Scenario;

/// Issues laid out as levels 0..k (real issues on a grid of `real_levels` points).
#[derive(Debug, Clone)]
pub(crate) struct Grid {
    /// The value at each level of each issue.
    pub values: Vec<Vec<Value>>,
    /// Whether any real issue was put on a grid.
    pub discretized: bool,
}

/// The most values one issue may have in an analysis (each is scored once per party).
pub const MAX_ISSUE_VALUES: u64 = 1 << 24;

/// An issue with more values than an analysis lays out: `(issue name, its value count)`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct IssueTooLarge(pub String, pub u128);

impl Grid {
    /// Every issue's levels; refuses an issue with more than [`MAX_ISSUE_VALUES`] values.
    pub fn try_new(scenario: &Scenario, real_levels: u32) -> Result<Grid, IssueTooLarge> {
        Grid::from_issues(&scenario.issues, real_levels)
    }

    /// [`Grid::try_new`] for issues without their scenario.
    pub fn from_issues(issues: &[Issue], real_levels: u32) -> Result<Grid, IssueTooLarge> {
        let mut discretized = false;
        let mut values = Vec::with_capacity(issues.len());
        for issue in issues {
            let k = match issue.kind {
                IssueKind::Real { .. } => {
                    discretized = true;
                    u64::from(real_levels.max(1))
                }
                _ => {
                    let n = issue.exact_cardinality().unwrap_or(1);
                    if n > u128::from(MAX_ISSUE_VALUES) {
                        return Err(IssueTooLarge(issue.name.clone(), n));
                    }
                    n as u64
                }
            };
            let k = k as u32;
            values.push((0..k).map(|l| issue.value_at(l, k)).collect());
        }
        Ok(Grid {
            values,
            discretized,
        })
    }

    /// [`Grid::try_new`] for scenarios known to be small (tests).
    #[cfg(test)]
    pub fn new(scenario: &Scenario, real_levels: u32) -> Grid {
        Grid::try_new(scenario, real_levels).expect("a small test scenario")
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
            issue.exact_cardinality().map(|k| acc * BigUint::from(k))
        })
}
