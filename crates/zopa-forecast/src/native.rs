//! zopa scenarios as SMP inputs. Each discrete issue is a dimension; its values sit at the
//! issue's declared `positions` (0–100), or evenly spaced in their listed order when none are
//! declared. A party's position is the value it scores highest — or, where it scores an issue
//! by position, the stance it last stated (its latest concession) —, its salience the `salience` it
//! declares for the issue (0–100) or else its weight on the issue, its capability the
//! scenario's `capability`. Every party with a capability takes part,
//! mediators and stakeholders included.

use zopa_core::{IssueKind, Scenario, UtilityFunction};

use crate::smp::Actor;

/// SMP inputs built from a scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct Inputs {
    pub dimensions: Vec<String>,
    /// Position of each value of each dimension, 0–100.
    pub scales: Vec<Vec<f64>>,
    pub actors: Vec<Actor>,
    /// Whether every actor declared its saliences (otherwise some are utility weights).
    pub declared_salience: bool,
}

impl Inputs {
    /// How the expected-utility model reads these saliences: as declared, or — where issue
    /// weights stand in — relative to each party's largest.
    pub fn eum_salience(&self) -> crate::eum::SalienceRule {
        if self.declared_salience {
            crate::eum::SalienceRule::AsGiven
        } else {
            crate::eum::SalienceRule::RelativeToLargest
        }
    }
}

/// Builds the inputs, or says what the scenario lacks.
pub fn inputs(s: &Scenario) -> Result<Inputs, Vec<String>> {
    let mut missing = Vec::new();
    let dims: Vec<usize> = (0..s.issues.len())
        .filter(|&i| matches!(s.issues[i].kind, IssueKind::Discrete { .. }))
        .collect();
    if dims.is_empty() {
        missing.push("no discrete issue to use as a dimension".to_string());
    }
    let scales: Vec<Vec<f64>> = dims
        .iter()
        .map(|&i| match (&s.issues[i].kind, &s.issues[i].positions) {
            (_, Some(p)) => p.clone(),
            (IssueKind::Discrete { values, .. }, None) => {
                let n = values.len();
                (0..n)
                    .map(|k| {
                        if n > 1 {
                            100.0 * k as f64 / (n - 1) as f64
                        } else {
                            50.0
                        }
                    })
                    .collect()
            }
            _ => Vec::new(),
        })
        .collect();
    let mut actors = Vec::new();
    for p in &s.parties {
        let Some(capability) = p.capability else {
            missing.push(format!("party `{}` has no `capability`", p.name));
            continue;
        };
        let UtilityFunction::Additive(a) = &p.utility else {
            missing.push(format!(
                "party `{}` has a nonlinear utility; SMP needs issue weights",
                p.name
            ));
            continue;
        };
        let mut position = Vec::new();
        let mut salience = Vec::new();
        for (d, &i) in dims.iter().enumerate() {
            let stance = a.evaluators[i]
                .as_positional()
                .and_then(|e| e.stance())
                .map(|s| s.position);
            let Some(t) = a.evaluators[i].evaluations() else {
                continue;
            };
            let best = (0..t.len()).fold(0, |b, k| if t[k] > t[b] { k } else { b });
            position.push(stance.unwrap_or(scales[d][best]) / 100.0);
            salience.push(match &p.salience {
                Some(declared) => declared[i] / 100.0,
                None => a.weights[i].max(0.0),
            });
        }
        let total: f64 = salience.iter().sum();
        if p.salience.is_none() && total > 1.0 + 1e-9 {
            for x in &mut salience {
                *x /= total;
            }
        }
        let actor = Actor {
            name: p.name.clone(),
            capability,
            position,
            salience,
        };
        match actor.check() {
            Ok(()) => actors.push(actor),
            Err(problem) => missing.push(problem),
        }
    }
    if !missing.is_empty() {
        return Err(missing);
    }
    Ok(Inputs {
        dimensions: dims.iter().map(|&i| s.issues[i].name.clone()).collect(),
        scales,
        actors,
        declared_salience: s
            .parties
            .iter()
            .filter(|p| p.capability.is_some())
            .all(|p| p.salience.is_some()),
    })
}
