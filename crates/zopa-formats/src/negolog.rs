//! NegoLog JSON: `profileA.json` and `profileB.json`, whose keys are the domain. Issue order is
//! the key order of `issueWeights` (NegoLog's `Preference`), value order that of profile A.

use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use zopa_core::{
    AdditiveUtility, Evaluator, Issue, IssueKind, OutsideOption, Party, Role, Scenario,
    UtilityFunction,
};

use crate::error::LoadError;

/// Reads a NegoLog scenario from its profiles, already parsed and known (by their keys) to be
/// NegoLog profiles.
pub(crate) fn read(
    dir: &Path,
    profiles: Vec<(PathBuf, Json)>,
    notes: Vec<String>,
) -> Result<Scenario, LoadError> {
    let [(first_path, first), ..] = profiles.as_slice() else {
        return Err(LoadError::new(dir, "no NegoLog profile in this folder")
            .fix("add profileA.json and profileB.json"));
    };
    if profiles.len() < 2 {
        return Err(LoadError::new(
            first_path,
            "only one NegoLog profile in this folder; a negotiation needs two",
        )
        .fix(
            "add the other party's profile (NegoLog names them profileA.json and profileB.json)",
        ));
    }
    let issues = domain_of(first_path, first)?;
    let mut parties = Vec::new();
    for (p, json) in &profiles {
        parties.push(read_profile(p, json, &issues)?);
    }
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Scenario {
        ranges: zopa_core::Ranges::default(),
        name,
        description: None,
        issues,
        parties,
        notes,
        events: Vec::new(),
        calendar: None,
        texts: Vec::new(),
        exclusions: Vec::new(),
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
        reservation: reservation.map(OutsideOption::Fixed),
        discount: None,
        cost_per_round: None,
        capability: None,
        salience: None,
        red_lines: Vec::new(),
        controls: Vec::new(),
        description: None,
    })
}
