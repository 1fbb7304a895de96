//! What-if: a scenario with other reservation values or weights, analysed exactly on every
//! move of a slider, and saved as TOML.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json as AxumJson;
use serde_json::{json, Value as Json};

use crate::{error, App};

/// `POST /api/scenarios/{id}/what-if` with `{"reservation": {party: value}, "weights": {party:
/// {issue: weight}}}`: the scenario with those changes (weights rescaled to their old sum),
/// analysed exactly — the negotiators' frontier, ZOPA and Nash deal — and, with `"toml":
/// true`, the changed scenario in zopa's native format, to save.
pub(crate) async fn api_what_if(
    State(app): State<Arc<App>>,
    Path(id): Path<usize>,
    body: crate::Body,
) -> Response {
    let body = match crate::json_body(body) {
        Ok(body) => body,
        Err(why) => return crate::error(StatusCode::BAD_REQUEST, why),
    };
    let Some(entry) = app.scenarios.get(id) else {
        return error(StatusCode::NOT_FOUND, format!("no scenario {id}"));
    };
    let scenario = Arc::clone(&entry.scenario);
    let answer = tokio::task::spawn_blocking(move || what_if(&scenario, &body)).await;
    match answer {
        Ok(Ok(j)) => AxumJson(j).into_response(),
        Ok(Err(e)) => error(StatusCode::BAD_REQUEST, e),
        Err(_) => error(StatusCode::INTERNAL_SERVER_ERROR, "the analysis failed"),
    }
}

/// Removes events that no longer move anything, and the sensitivity ranges that scaled them
/// (the others renumbered), so that the scenario still holds together.
fn drop_idle_events(s: &mut zopa_core::Scenario) {
    let kept: Vec<Option<usize>> = {
        let mut next = 0;
        s.events
            .iter()
            .map(|e| {
                (e.change.is_some() || !e.stances.is_empty()).then(|| {
                    next += 1;
                    next - 1
                })
            })
            .collect()
    };
    s.events
        .retain(|e| e.change.is_some() || !e.stances.is_empty());
    s.ranges.ranges.retain_mut(|r| match &mut r.varies {
        zopa_core::Varies::Event { event, .. } => match kept.get(*event).copied().flatten() {
            Some(k) => {
                *event = k;
                true
            }
            None => false,
        },
        _ => true,
    });
}

fn what_if(scenario: &zopa_core::Scenario, body: &Json) -> Result<Json, String> {
    let started = std::time::Instant::now();
    let mut s = scenario.clone();
    if let Some(m) = body["reservation"].as_object() {
        for (name, v) in m {
            let p = s
                .party_index(name)
                .ok_or_else(|| format!("no party named `{name}`"))?;
            let x = v
                .as_f64()
                .filter(|x| (0.0..=1.0).contains(x))
                .ok_or_else(|| {
                    format!(
                        "the reservation value of `{name}` must be a number from 0 to 1, not {v}"
                    )
                })?;
            s.parties[p].reservation = Some(x.into());
            // The value stands throughout: events that would move it (a no-deal model's
            // parameters above all) are set aside, as along a sensitivity range.
            for e in s.events.iter_mut().filter(|e| e.party == p) {
                e.change = None;
            }
            drop_idle_events(&mut s);
        }
    }
    if let Some(m) = body["weights"].as_object() {
        for (name, ws) in m {
            let p = s
                .party_index(name)
                .ok_or_else(|| format!("no party named `{name}`"))?;
            let zopa_core::UtilityFunction::Additive(a) = &mut s.parties[p].utility else {
                return Err(format!(
                    "`{name}` has no issue weights (its utility is not additive)"
                ));
            };
            // The old sum as written (weights are decimals: 0.35 + 0.65 is 1, not the float
            // sum's 1.0000000000000002), so that rescaling does not carry float noise past 1.
            let sum: f64 = a.weights.iter().sum();
            let sum = format!("{sum:.12}").parse::<f64>().unwrap_or(sum);
            for (issue, w) in ws
                .as_object()
                .ok_or("weights are {party: {issue: weight}}")?
            {
                let i = s
                    .issues
                    .iter()
                    .position(|x| &x.name == issue)
                    .ok_or_else(|| format!("`{issue}` is not an issue"))?;
                a.weights[i] = w
                    .as_f64()
                    .filter(|w| w.is_finite() && *w >= 0.0)
                    .ok_or_else(|| format!("the weight of `{issue}` must be a number ≥ 0"))?;
            }
            let new: f64 = a.weights.iter().sum();
            if new <= 0.0 {
                return Err(format!("`{name}` would weigh no issue"));
            }
            if !new.is_finite() {
                return Err(format!(
                    "the weights of `{name}` add up to more than a number can hold; give weights \
                     on the scale of the others (they are rescaled to their old sum)"
                ));
            }
            for w in a.weights.iter_mut() {
                *w *= sum / new;
            }
            // Rescaling rounds: the largest weight takes up the difference, so that the sum
            // is the old one and no outcome is worth more than 1.
            let total: f64 = a.weights.iter().sum();
            if let Some(k) =
                (0..a.weights.len()).max_by(|&i, &j| a.weights[i].total_cmp(&a.weights[j]))
            {
                a.weights[k] -= total - sum;
            }
        }
    }
    s.validate().map_err(|e| e.to_string())?;
    let config = zopa_core::analysis::AnalysisConfig {
        parties: Some(s.negotiators()),
        ..zopa_core::analysis::AnalysisConfig::new(zopa_core::analysis::Definitions::Zopa)
    };
    let a = zopa_core::analysis::analyze(&s, &config).map_err(|e| e.to_string())?;
    let mut j = json!({
        "zopa": a.zopa_exists,
        "frontier": a.frontier.iter().map(|p| &p.utilities).collect::<Vec<_>>(),
        "reserved": a.reserved,
        "nash": a.nash.as_ref().map(|p| json!({
            "utilities": p.utilities,
            "outcome": zopa_api::json::outcome(&s, &p.outcome),
        })),
        "milliseconds": started.elapsed().as_secs_f64() * 1000.0,
    });
    if body["toml"] == true {
        j["toml"] = json!(zopa_formats::to_toml(&s));
    }
    Ok(j)
}
