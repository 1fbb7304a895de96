//! GeniusWeb JSON: a domain (`issuesValues`) and `LinearAdditiveUtilitySpace` profiles, in
//! both the old (`discreteutils`) and the class-name (`DiscreteValueSetUtilities`) spelling.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value as Json};
use zopa_core::{
    AdditiveUtility, Evaluator, Issue, IssueKind, NumericEvaluator, OutsideOption, Party, Role,
    Scenario, UtilityFunction,
};

use crate::error::{read_text, LoadError};

pub(crate) fn parse_json(path: &Path) -> Result<Json, LoadError> {
    let text = read_text(path)?;
    serde_json::from_str(&text).map_err(|e| {
        LoadError::new(path, format!("malformed JSON: {e}"))
            .at(format!("line {}, column {}", e.line(), e.column()))
            .fix("repair the JSON at that place")
    })
}

/// Reads a GeniusWeb scenario from the folder's JSON files, already parsed and known (by
/// their keys) to be GeniusWeb domains or profiles.
pub(crate) fn read(
    dir: &Path,
    files: Vec<(PathBuf, Json)>,
    mut notes: Vec<String>,
) -> Result<Scenario, LoadError> {
    let mut domain: Option<(PathBuf, Json)> = None;
    let mut profiles = Vec::new();
    for (f, json) in files {
        if json.get("issuesValues").is_some() {
            if let Some((first, _)) = &domain {
                return Err(LoadError::new(
                    &f,
                    format!(
                        "a second GeniusWeb domain in the folder (the first is {})",
                        crate::file_name(first)
                    ),
                )
                .fix("keep one domain file per scenario folder"));
            }
            domain = Some((f, json));
        } else if let Some(space) = json.get("LinearAdditiveUtilitySpace") {
            profiles.push((f, space.clone()));
        }
    }
    // A profile embeds its domain; use it when there is no separate domain file.
    let (domain_path, domain_json) = match domain {
        Some(d) => d,
        None => match profiles
            .first()
            .and_then(|(p, s)| s.get("domain").map(|d| (p.clone(), d.clone())))
        {
            Some(d) => d,
            None => {
                return Err(LoadError::new(
                    dir,
                    "no GeniusWeb domain (an object with `issuesValues`)",
                )
                .fix("add the domain JSON file beside the profiles"))
            }
        },
    };
    let issues = read_domain(&domain_path, &domain_json)?;
    let mut parties = Vec::new();
    for (p, space) in &profiles {
        match read_profile(p, space, &issues) {
            Ok(party) => parties.push(party),
            Err(e) => notes.push(format!("skipped profile {}: {e}", crate::file_name(p))),
        }
    }
    if parties.len() < 2 {
        return Err(LoadError::new(
            dir,
            format!(
                "fewer than two usable GeniusWeb profiles ({})",
                notes.join("; ")
            ),
        )
        .fix("put two or more LinearAdditiveUtilitySpace profiles beside the domain"));
    }
    let name = domain_json
        .get("name")
        .and_then(Json::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| crate::file_name(dir));
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

fn read_domain(path: &Path, json: &Json) -> Result<Vec<Issue>, LoadError> {
    let Some(map) = json.get("issuesValues").and_then(Json::as_object) else {
        return Err(LoadError::new(path, "`issuesValues` is not an object")
            .at("key issuesValues")
            .fix("write {\"issuesValues\": {\"issue\": {\"values\": [...]}}}"));
    };
    let mut issues = Vec::new();
    for (name, spec) in map {
        let place = format!("key issuesValues.{name}");
        let kind = if let Some(values) = spec.get("values").and_then(Json::as_array) {
            let values: Vec<String> = values.iter().map(json_string).collect();
            IssueKind::Discrete {
                descriptions: vec![None; values.len()],
                values,
            }
        } else if let Some(range) = spec.get("range") {
            let (lo, hi, step) = range_of(range).ok_or_else(|| {
                LoadError::new(path, "a number range needs low, high and step")
                    .at(place.clone())
                    .fix("write {\"range\": [low, high, step]}")
            })?;
            if step.is_nan() || step <= 0.0 || hi < lo {
                return Err(LoadError::new(
                    path,
                    format!("range [{lo}, {hi}] with step {step} is empty"),
                )
                .at(place)
                .fix("use low ≤ high and a positive step"));
            }
            // A stepped number set is a finite list of numbers.
            let count = ((hi - lo) / step + 1e-9).floor() + 1.0;
            if count.is_nan() || count > MAX_RANGE_VALUES as f64 {
                return Err(LoadError::new(
                    path,
                    format!("range [{lo}, {hi}] with step {step} has {count:.3e} values, more than zopa lists ({MAX_RANGE_VALUES})"),
                )
                .at(place)
                .fix("use a coarser step or a narrower range"));
            }
            let n = count as usize;
            let values: Vec<String> = (0..n)
                .map(|k| format!("{}", lo + step * k as f64))
                .collect();
            IssueKind::Discrete {
                descriptions: vec![None; values.len()],
                values,
            }
        } else {
            return Err(LoadError::new(path, "an issue needs `values` or `range`")
                .at(place)
                .fix("write {\"values\": [\"a\", \"b\"]} or {\"range\": [low, high, step]}"));
        };
        issues.push(Issue {
            name: name.clone(),
            kind,
            description: None,
            positions: None,
        });
    }
    Ok(issues)
}

/// The most values a stepped GeniusWeb number range may expand to.
const MAX_RANGE_VALUES: u64 = 10_000_000;

fn range_of(range: &Json) -> Option<(f64, f64, f64)> {
    let num = |j: &Json| {
        j.as_f64()
            .or_else(|| j.as_str().and_then(|s| s.parse().ok()))
    };
    match range {
        Json::Array(a) if a.len() == 3 => Some((num(&a[0])?, num(&a[1])?, num(&a[2])?)),
        Json::Object(o) => Some((
            num(o.get("low").or(o.get("min"))?)?,
            num(o.get("high").or(o.get("max"))?)?,
            num(o.get("step")?)?,
        )),
        _ => None,
    }
}

fn json_string(j: &Json) -> String {
    match j {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn read_profile(path: &Path, space: &Json, issues: &[Issue]) -> Result<Party, LoadError> {
    let obj = |key: &str| -> Result<&Map<String, Json>, LoadError> {
        space.get(key).and_then(Json::as_object).ok_or_else(|| {
            LoadError::new(path, format!("`{key}` is missing or not an object"))
                .at(format!("key LinearAdditiveUtilitySpace.{key}"))
                .fix(format!("add \"{key}\": {{\"issue\": …}}"))
        })
    };
    let weights_map = obj("issueWeights")?;
    let utils = obj("issueUtilities")?;
    let mut weights = Vec::new();
    let mut evaluators = Vec::new();
    for issue in issues {
        let place = format!("key issueUtilities.{}", issue.name);
        let w = weights_map
            .get(&issue.name)
            .and_then(Json::as_f64)
            .ok_or_else(|| {
                LoadError::new(path, format!("no weight for issue `{}`", issue.name))
                    .at(format!("key issueWeights.{}", issue.name))
                    .fix("give every issue of the domain a weight")
            })?;
        let spec = utils
            .get(&issue.name)
            .and_then(Json::as_object)
            .ok_or_else(|| {
                LoadError::new(path, format!("no utilities for issue `{}`", issue.name))
                    .at(place.clone())
                    .fix("give every issue of the domain its value utilities")
            })?;
        let (kind, body) = spec.iter().next().ok_or_else(|| {
            LoadError::new(path, "empty utilities object")
                .at(place.clone())
                .fix("wrap the utilities in {\"discreteutils\": …} or {\"numberutils\": …}")
        })?;
        let evaluator = match kind.as_str() {
            "discreteutils" | "DiscreteValueSetUtilities" => {
                let map = body.get("valueUtilities").and_then(Json::as_object).ok_or_else(|| {
                    LoadError::new(path, "`valueUtilities` missing").at(place.clone())
                        .fix("write {\"valueUtilities\": {\"value\": utility}}")
                })?;
                let IssueKind::Discrete { values, .. } = &issue.kind else { unreachable!("GeniusWeb issues are discrete") };
                let mut table = vec![0.0; values.len()];
                let index: HashMap<&str, usize> =
                    values.iter().enumerate().map(|(i, v)| (v.as_str(), i)).collect();
                for (v, u) in map {
                    let k = index.get(v.as_str()).copied().ok_or_else(|| {
                        LoadError::new(path, format!("value `{v}` is not in the domain")).at(place.clone())
                            .fix(format!("use one of: {}", values.join(", ")))
                    })?;
                    table[k] = u.as_f64().ok_or_else(|| {
                        LoadError::new(path, format!("utility of `{v}` is not a number")).at(place.clone())
                            .fix("write a number in [0, 1]")
                    })?;
                }
                Evaluator::Table(table)
            }
            "numberutils" | "NumberValueSetUtilities" => {
                let f = |k: &str| body.get(k).and_then(|j| j.as_f64().or_else(|| j.as_str().and_then(|s| s.parse().ok()))).ok_or_else(|| {
                    LoadError::new(path, format!("`{k}` missing or not a number")).at(place.clone())
                        .fix("give lowValue, lowUtility, highValue and highUtility")
                });
                let e = NumericEvaluator::Interpolated {
                    low_value: f("lowValue")?,
                    low_utility: f("lowUtility")?,
                    high_value: f("highValue")?,
                    high_utility: f("highUtility")?,
                };
                let IssueKind::Discrete { values, .. } = &issue.kind else { unreachable!("GeniusWeb issues are discrete") };
                Evaluator::Table(values.iter().map(|v| e.eval(v.parse().unwrap_or(f64::NAN))).map(|u| if u.is_nan() { 0.0 } else { u }).collect())
            }
            other => {
                return Err(LoadError::new(path, format!("unknown value-set utilities `{other}`")).at(place)
                    .fix("use discreteutils / DiscreteValueSetUtilities or numberutils / NumberValueSetUtilities"))
            }
        };
        weights.push(w);
        evaluators.push(evaluator);
    }
    let utility = AdditiveUtility {
        weights,
        evaluators,
        cap_at_one: false,
    };
    // The reservation bid's utility is the reservation value (wiki v218).
    let reservation = match space
        .get("reservationBid")
        .and_then(|b| b.get("issuevalues"))
        .and_then(Json::as_object)
    {
        Some(bid) => {
            let mut outcome = Vec::new();
            for issue in issues {
                let v = bid.get(&issue.name).map(json_string).ok_or_else(|| {
                    LoadError::new(
                        path,
                        format!("the reservation bid lacks issue `{}`", issue.name),
                    )
                    .at("key reservationBid")
                    .fix("give the reservation bid a value for every issue")
                })?;
                let k = issue.value_index(&v).ok_or_else(|| {
                    LoadError::new(
                        path,
                        format!("reservation bid value `{v}` is not in the domain"),
                    )
                    .at("key reservationBid")
                    .fix("use a value the domain lists")
                })?;
                outcome.push(zopa_core::Value::Discrete(k));
            }
            Some(utility.eval(&outcome))
        }
        None => None,
    };
    let name = space
        .get("name")
        .and_then(Json::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
    Ok(Party {
        name,
        role: Role::Negotiator,
        utility: UtilityFunction::Additive(utility),
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
