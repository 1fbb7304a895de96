//! Which single change of ±0.1 to a negotiator's weight on one issue, or to its reservation
//! value, creates or destroys the zone of possible agreement, or moves the Nash deal.

use zopa_core::analysis::{analyze, Analysis, AnalysisConfig, Definitions};
use zopa_core::{Scenario, UtilityFunction};

/// One change that mattered.
#[derive(Debug, Clone, PartialEq)]
pub struct Sensitivity {
    pub party: String,
    /// e.g. "weight on `nato` +0.1" or "reservation −0.1".
    pub change: String,
    pub zopa_before: bool,
    pub zopa_after: bool,
    /// Issues on which the Nash deal takes another value.
    pub nash_moves: Vec<String>,
}

pub(crate) fn sensitivity(scenario: &Scenario, base: &Analysis) -> Vec<Sensitivity> {
    let mut out = Vec::new();
    let config = AnalysisConfig {
        parties: Some(base.parties.clone()),
        ..AnalysisConfig::new(Definitions::Zopa)
    };
    for &p in &base.parties {
        let mut changes: Vec<(String, Scenario)> = Vec::new();
        for delta in [0.1, -0.1] {
            let mut s = scenario.clone();
            let rv = s.parties[p].reservation_value();
            s.parties[p].reservation = Some((rv + delta).into());
            changes.push((format!("reservation {delta:+.1}"), s));
        }
        if let UtilityFunction::Additive(a) = &scenario.parties[p].utility {
            for (i, issue) in scenario.issues.iter().enumerate() {
                for delta in [0.1, -0.1] {
                    let w = a.weights[i];
                    let new = (w + delta).clamp(0.0, 1.0);
                    let rest: f64 = a.weights.iter().sum::<f64>() - w;
                    if (new - w).abs() < 1e-12 || rest <= 0.0 {
                        continue;
                    }
                    let scale = (a.weights.iter().sum::<f64>() - new) / rest;
                    let mut s = scenario.clone();
                    if let UtilityFunction::Additive(b) = &mut s.parties[p].utility {
                        for (k, x) in b.weights.iter_mut().enumerate() {
                            *x = if k == i { new } else { *x * scale };
                        }
                    }
                    changes.push((format!("weight on `{}` {delta:+.1}", issue.name), s));
                }
            }
        }
        for (change, s) in changes {
            let Ok(after) = analyze(&s, &config) else {
                continue;
            };
            let nash_moves: Vec<String> = match (&base.nash, &after.nash) {
                (Some(x), Some(y)) => scenario
                    .issues
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| x.outcome[*i] != y.outcome[*i])
                    .map(|(_, issue)| issue.name.clone())
                    .collect(),
                _ => Vec::new(),
            };
            if after.zopa_exists != base.zopa_exists || !nash_moves.is_empty() {
                out.push(Sensitivity {
                    party: scenario.parties[p].name.clone(),
                    change,
                    zopa_before: base.zopa_exists,
                    zopa_after: after.zopa_exists,
                    nash_moves,
                });
            }
        }
    }
    out
}
