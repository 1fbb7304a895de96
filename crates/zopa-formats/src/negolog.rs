//! NegoLog JSON: `profileA.json` and `profileB.json`, whose keys are the domain. Issue order is
//! the key order of `issueWeights` (NegoLog's `Preference`), value order that of profile A.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use zopa_core::{
    AdditiveUtility, Evaluator, Issue, IssueKind, Party, Role, Scenario, UtilityFunction,
};

use crate::error::LoadError;
use crate::geniusweb::parse_json;

pub(crate) fn read(dir: &Path, files: &[PathBuf]) -> Result<Scenario, LoadError> {
    let mut notes = Vec::new();
    let profile_paths: Vec<&PathBuf> = files
        .iter()
        .filter(|f| {
            let n = crate::file_name(f);
            n.starts_with("profile") && n.ends_with(".json")
        })
        .collect();
    for f in files {
        let n = crate::file_name(f);
        if n.ends_with(".json") && !n.starts_with("profile") {
            notes.push(format!(
                "ignored {n} (precomputed statistics or other data)"
            ));
        }
    }
    let first = parse_json(profile_paths[0])?;
    let issues = domain_of(profile_paths[0], &first)?;
    let mut parties = Vec::new();
    for p in profile_paths {
        let json = parse_json(p)?;
        parties.push(read_profile(p, &json, &issues)?);
    }
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Scenario {
        name,
        description: None,
        issues,
        parties,
        notes,
        events: Vec::new(),
    })
}

fn domain_of(path: &Path, json: &Json) -> Result<Vec<Issue>, LoadError> {
    let weights = json
        .get("issueWeights")
        .and_then(Json::as_object)
        .ok_or_else(|| {
            LoadError::new(path, "`issueWeights` missing or not an object")
                .at("key issueWeights")
                .fix("write {\"issueWeights\": {\"issue\": weight}}")
        })?;
    let mut issues = Vec::new();
    for name in weights.keys() {
        let values = json
            .get("issues")
            .and_then(|i| i.get(name))
            .and_then(Json::as_object)
            .ok_or_else(|| {
                LoadError::new(path, format!("no value utilities for issue `{name}`"))
                    .at(format!("key issues.{name}"))
                    .fix("give every weighted issue its {value: utility} table")
            })?;
        let values: Vec<String> = values.keys().cloned().collect();
        issues.push(Issue {
            name: name.clone(),
            kind: IssueKind::Discrete {
                descriptions: vec![None; values.len()],
                values,
            },
            description: None,
            positions: None,
        });
    }
    Ok(issues)
}

fn read_profile(path: &Path, json: &Json, issues: &[Issue]) -> Result<Party, LoadError> {
    let mut weights = Vec::new();
    let mut evaluators = Vec::new();
    for issue in issues {
        let place = format!("key issues.{}", issue.name);
        let w = json
            .get("issueWeights")
            .and_then(|w| w.get(&issue.name))
            .and_then(Json::as_f64)
            .ok_or_else(|| {
                LoadError::new(path, format!("no weight for issue `{}`", issue.name))
                    .at(format!("key issueWeights.{}", issue.name))
                    .fix("both profiles must weight the same issues")
            })?;
        let IssueKind::Discrete { values, .. } = &issue.kind else {
            unreachable!("NegoLog issues are discrete")
        };
        let table = values
            .iter()
            .map(|v| {
                json.get("issues")
                    .and_then(|i| i.get(&issue.name))
                    .and_then(|t| t.get(v))
                    .and_then(Json::as_f64)
                    .ok_or_else(|| {
                        LoadError::new(path, format!("no utility for value `{v}`"))
                            .at(place.clone())
                            .fix("both profiles must score the same values")
                    })
            })
            .collect::<Result<Vec<f64>, _>>()?;
        weights.push(w);
        evaluators.push(Evaluator::Table(table));
    }
    let reservation = json.get("reservationValue").and_then(Json::as_f64);
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Party {
        name,
        role: Role::Negotiator,
        utility: UtilityFunction::Additive(AdditiveUtility {
            weights,
            evaluators,
            cap_at_one: false,
        }),
        reservation,
        discount: None,
        cost_per_round: None,
        capability: None,
        salience: None,
        description: None,
    })
}
