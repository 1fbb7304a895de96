//! `zopa analyze`: options in words → [`AnalysisConfig`], and the `--json` contract.

use std::path::Path;

use serde_json::{json, Value as Json};
use zopa_core::analysis::{
    place_texts, Analysis, AnalysisConfig, Arithmetic, BigUint, Definitions, MethodChoice, Point,
    TextPlacement,
};
use zopa_core::{Restriction, Scenario, Value};

use crate::json::{outcome, value};
use crate::Error;

/// The options of `zopa analyze`, as the command line and Python give them.
#[derive(Debug, Clone, PartialEq)]
pub struct AnalyzeOptions {
    /// Whose definitions of Nash, Kalai and opposition to use.
    pub definitions: Definitions,
    /// Analyse only these parties, by name; `None`: the negotiators.
    pub parties: Option<Vec<String>>,
    /// `auto`, `enumeration`, `additive-frontier` or `constraint-search`.
    pub method: String,
    /// List at most this many frontier points in the JSON (its size is always exact).
    pub max_points: Option<usize>,
    /// Grid points per real issue.
    pub real_levels: u32,
    /// Partial outcomes the constraint search may visit in one search.
    pub max_nodes: u64,
    /// Rounds of delay until the deadline (zopa's definitions only).
    pub horizon: Option<u32>,
    /// Branches the additive merge may keep apart at one issue.
    pub max_branches: usize,
    /// Analyse the scenario as it stands at this moment: a date (with a calendar) or a round.
    pub at: Option<String>,
}

impl Default for AnalyzeOptions {
    /// `zopa analyze`'s defaults.
    fn default() -> AnalyzeOptions {
        AnalyzeOptions {
            definitions: Definitions::Zopa,
            parties: None,
            method: "auto".into(),
            max_points: None,
            real_levels: 11,
            max_nodes: 1_000_000,
            horizon: None,
            max_branches: 65_536,
            at: None,
        }
    }
}

impl AnalyzeOptions {
    /// The scenario as it stands at [`AnalyzeOptions::at`] (the events due by then applied),
    /// and that round; the scenario as it is without a moment.
    pub fn moment(
        &self,
        scenario: Scenario,
        path: &Path,
    ) -> Result<(Scenario, Option<u32>), Error> {
        let Some(at) = &self.at else {
            return Ok((scenario, None));
        };
        let round = scenario
            .round_at(at)
            .map_err(|e| Error::Option(format!("{}: --at {e}", path.display())))?;
        Ok((scenario.at(round, scenario.default_rounds()), Some(round)))
    }

    /// The analysis configuration these options ask for on `scenario` (read from `path`, which
    /// error messages name).
    pub fn config(&self, scenario: &Scenario, path: &Path) -> Result<AnalysisConfig, Error> {
        let mut config = AnalysisConfig::new(self.definitions);
        config.real_levels = self.real_levels;
        config.max_nodes = self.max_nodes;
        config.max_branches = self.max_branches;
        config.horizon = self.horizon;
        config.method = match self.method.as_str() {
            "auto" => MethodChoice::Auto,
            "enumeration" => MethodChoice::Enumeration,
            "additive-frontier" => MethodChoice::AdditiveFrontier,
            "constraint-search" => MethodChoice::ConstraintSearch,
            m => {
                return Err(Error::Option(format!(
                    "unknown method `{m}`; use auto, enumeration, additive-frontier or constraint-search"
                )))
            }
        };
        if let Some(names) = &self.parties {
            let mut idx = Vec::new();
            for (k, n) in names.iter().enumerate() {
                if names[..k].contains(n) {
                    return Err(Error::Option(format!(
                        "party `{n}` is named twice in --parties; name each party once"
                    )));
                }
                match scenario.party_index(n) {
                    Some(i) => idx.push(i),
                    None => {
                        let known: Vec<&str> =
                            scenario.parties.iter().map(|p| p.name.as_str()).collect();
                        return Err(Error::Option(format!(
                            "no party named `{n}` in {}; the parties are: {}",
                            path.display(),
                            known.join(", ")
                        )));
                    }
                }
            }
            config.parties = Some(idx);
        }
        Ok(config)
    }
}

/// Analyses `scenario` (read from `path`) as `options` ask.
pub fn analyze(
    scenario: &Scenario,
    options: &AnalyzeOptions,
    path: &Path,
) -> Result<Analysis, Error> {
    let config = options.config(scenario, path)?;
    zopa_core::analysis::analyze(scenario, &config)
        .map_err(|e| Error::Analysis(format!("{}: {e}", path.display())))
}

/// The `zopa analyze --json` document as printed: pretty JSON and a closing newline.
pub fn to_json_text(scenario: &Scenario, a: &Analysis, max_points: Option<usize>) -> String {
    let j = to_json(scenario, a, max_points);
    serde_json::to_string_pretty(&j).expect("a JSON value always serialises") + "\n"
}

fn point_json(scenario: &Scenario, p: &Option<Point>) -> Json {
    match p {
        Some(p) => {
            json!({"outcome": outcome(scenario, &p.outcome), "utilities": p.utilities})
        }
        None => Json::Null,
    }
}

/// A count as a JSON number where it is exact in one (≤ 2^53), else as a string of digits.
fn count_json(n: &BigUint) -> Json {
    match u64::try_from(n) {
        Ok(x) if x <= (1u64 << 53) => json!(x),
        _ => json!(n.to_string()),
    }
}

/// The `zopa analyze --json` contract (see the README).
pub fn to_json(scenario: &Scenario, a: &Analysis, max_points: Option<usize>) -> Json {
    let n_outcomes = match &a.n_outcomes {
        Some(n) => count_json(n),
        None => json!("infinite"),
    };
    let listed = max_points.unwrap_or(usize::MAX).min(a.frontier.len());
    let points: Vec<Json> = a.frontier[..listed]
        .iter()
        .map(|p| json!({"outcome": outcome(scenario, &p.outcome), "utilities": p.utilities}))
        .collect();
    json!({
        "scenario": scenario.name,
        "n_outcomes": n_outcomes,
        "analysed_outcomes": a.analysed_outcomes.to_string(),
        "real_levels": a.real_levels,
        "parties": a.parties.iter().map(|&i| scenario.parties[i].name.clone()).collect::<Vec<_>>(),
        "reserved_values": a.reserved,
        "outside_options": outside_options_json(scenario, a),
        "disagreement": a.disagreement,
        "horizon": a.horizon,
        "calendar": scenario.calendar.map(|c| json!({
            "start": c.start.to_string(),
            "days_per_round": c.days_per_round,
            "end": c.end.map(|d| d.to_string()),
            "rounds": c.rounds(),
        })),
        "method": a.method.as_str(),
        "arithmetic": {
            "exact": a.arithmetic != Arithmetic::Float,
            "description": arithmetic(a),
        },
        "definitions": a.definitions.as_str(),
        "ideal": a.ideal,
        "worst": a.worst,
        "pareto": {"size": a.frontier.len(), "rational": a.rational_frontier_size, "points": points},
        "nash": point_json(scenario, &a.nash),
        "kalai": point_json(scenario, &a.kalai),
        "egalitarian": point_json(scenario, &a.egalitarian),
        "max_welfare": point_json(scenario, &a.max_welfare),
        "opposition": a.opposition,
        "zopa": {"exists": a.zopa_exists},
        "admissible_outcomes": a.admissible_outcomes.as_ref().map(count_json),
        "analysed_admissible": a.analysed_admissible.to_string(),
        "restrictions": restrictions_json(scenario, a),
        "unrestricted_nash": point_json(scenario, &a.unrestricted_nash),
        "unrestricted_note": a.unrestricted_note,
        "texts": texts_json(scenario, a),
        "stances": stances_json(scenario),
        "notes": scenario.notes,
    })
}

/// `restrictions`: the red lines, controlled issues' lines and exclusions in force, in the
/// order of `Scenario::restrictions`.
fn restrictions_json(scenario: &Scenario, a: &Analysis) -> Json {
    let list: Vec<Json> = a
        .restrictions
        .iter()
        .map(|r| {
            let exclusion = match r.restriction {
                Restriction::Exclusion(k) => scenario.exclusions.get(k),
                _ => None,
            };
            json!({
                "kind": r.restriction.kind(),
                "party": r.restriction.party().map(|p| scenario.parties[p].name.clone()),
                "exclusion": exclusion.map(|e| e.name.clone()),
                "source": exclusion.and_then(|e| e.source.clone()),
                "conditions": r.restriction.conditions(scenario).iter()
                    .map(|c| c.text(&scenario.issues)).collect::<Vec<_>>(),
                "description": r.restriction.describe(scenario),
                "rules_out": count_json(&r.rules_out),
                "binds_at_nash": r.binds_at_nash,
            })
        })
        .collect();
    Json::Array(list)
}

/// `texts`: every named text placed against the analysis, in date order (undated last).
/// Per-party arrays follow `parties`, as `utilities` does everywhere in this output.
fn texts_json(scenario: &Scenario, a: &Analysis) -> Json {
    let names = |positions: Vec<usize>| -> Vec<&str> {
        positions
            .into_iter()
            .map(|i| scenario.parties[a.parties[i]].name.as_str())
            .collect()
    };
    let texts: Vec<Json> = place_texts(scenario, a)
        .into_iter()
        .map(|p: TextPlacement| {
            let t = &scenario.texts[p.text];
            let labels: serde_json::Map<String, Json> = scenario
                .issues
                .iter()
                .zip(&t.labels)
                .map(|(issue, l)| (issue.name.clone(), json!(l.map(|l| l.as_str()))))
                .collect();
            let change = p.change.map(|c| {
                json!({
                    "previous": scenario.texts[c.previous].name,
                    "delta": c.delta,
                    "gained": names(c.gained()),
                    "lost": names(c.lost()),
                })
            });
            json!({
                "name": t.name,
                "date": t.date.map(|d| d.to_string()),
                "source": t.source,
                "description": t.description,
                "outcome": outcome(scenario, &t.outcome),
                "labels": labels,
                "utilities": p.utilities,
                "surplus": p.surplus,
                "in_zopa": p.in_zopa,
                "breaches": p.breaches.iter().map(|r| r.breach(scenario)).collect::<Vec<_>>(),
                "pareto_distance": p.pareto_distance,
                "dominated_by": p.dominated_by.len(),
                "change": change,
                "notes": p.notes,
            })
        })
        .collect();
    Json::Array(texts)
}

/// Every stated stance: `(party, issue)` indices, in scenario order, parties first.
pub fn stances(scenario: &Scenario) -> Vec<(usize, usize)> {
    (0..scenario.parties.len())
        .flat_map(|p| (0..scenario.issues.len()).map(move |i| (p, i)))
        .filter(|&(p, i)| scenario.parties[p].stance_utility(i).is_some())
        .collect()
}

/// `stances`: each party's stated stance on each issue it scores by position, with its
/// evaluation there (its latest concession level on that issue, 0–1 before weighting: 1 at
/// its ideal). Every party, analysed or not.
fn stances_json(scenario: &Scenario) -> Json {
    let rows: Vec<Json> = stances(scenario)
        .into_iter()
        .filter_map(|(p, i)| {
            let party = &scenario.parties[p];
            let e = party.positional(i)?;
            let s = e.stance()?;
            Some(json!({
                "party": party.name,
                "issue": scenario.issues[i].name,
                "ideal": e.ideal(),
                "shape": e.shape().as_str(),
                "curve": e.curve().as_str(),
                "stance": s.position,
                "value": e.stance_value().map(|v| value(scenario, i, Value::Discrete(v))),
                "evaluation": e.stance_utility(),
                "date": s.date.map(|d| d.to_string()),
                "source": s.source,
                "label": s.label.map(|l| l.as_str()),
            }))
        })
        .collect();
    Json::Array(rows)
}

/// How utilities were added up, for people and for the JSON (`arithmetic`).
pub fn arithmetic(a: &Analysis) -> String {
    match a.arithmetic {
        Arithmetic::ExactDecimal { places } => format!("exact decimal ({places} places)"),
        Arithmetic::ExactRational { denominator } => {
            format!("exact fractions (common denominator {denominator})")
        }
        Arithmetic::Float => "floating point".to_string(),
    }
}

/// `outside_options`: per analysed party (in `parties` order), its reservation value and,
/// when that is the expected utility of a no-deal model, the model.
fn outside_options_json(scenario: &Scenario, a: &Analysis) -> Json {
    let rows: Vec<Json> = a
        .parties
        .iter()
        .zip(&a.reserved)
        .map(|(&i, &rv)| {
            let p = &scenario.parties[i];
            let model = p.no_deal().map(|m| {
                let mut o = serde_json::Map::new();
                o.insert("form".into(), json!(m.form.as_str()));
                for &key in m.keys() {
                    o.insert(key.as_str().into(), json!(m.get(key)));
                }
                o.insert("p_prevail".into(), json!(m.p_prevail()));
                o.insert("expected_periods".into(), json!(m.expected_periods()));
                Json::Object(o)
            });
            json!({"party": p.name, "value": rv, "model": model})
        })
        .collect();
    Json::Array(rows)
}
