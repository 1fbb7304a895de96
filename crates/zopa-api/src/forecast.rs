//! `zopa forecast`: the input read (KTAB CSV/XML, an expected-utility CSV, a zopa scenario
//! with capabilities), the model run with the options in words (`--set VotingRule=PropCbc`),
//! and the `--json` contract of each model.

use std::path::Path;

use serde_json::{json, Map, Value as Json};
use zopa_forecast::{eum, ktab, smp};

use crate::Error;

/// The options of `zopa forecast`, as the command line and Python give them.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastOptions {
    /// `smp` (KTAB's Spatial Model of Politics) or `eum` (the expected-utility model).
    pub model: String,
    /// Stop after this many turns (SMP; default 100) or rounds (EUM; default 10).
    pub max_turns: Option<usize>,
    /// `KEY=VALUE` each, as `--set` takes them.
    pub set: Vec<String>,
    /// Seed of the stochastic transitions (with `StateTransitions=Stochastic`).
    pub seed: Option<u64>,
}

impl Default for ForecastOptions {
    /// `zopa forecast`'s defaults.
    fn default() -> ForecastOptions {
        ForecastOptions {
            model: "smp".into(),
            max_turns: None,
            set: Vec::new(),
            seed: None,
        }
    }
}

impl ForecastOptions {
    /// Hands every `KEY=VALUE` to `set`, naming the bad one on error.
    fn each_set(&self, mut set: impl FnMut(&str, &str) -> Result<(), String>) -> Result<(), Error> {
        for kv in &self.set {
            let (k, v) = kv.split_once('=').ok_or_else(|| {
                Error::Option(format!(
                    "--set `{kv}`: expected KEY=VALUE, e.g. VotingRule=PropCbc or Variant=dmasad"
                ))
            })?;
            set(k.trim(), v.trim()).map_err(|e| Error::Option(format!("--set `{kv}`: {e}")))?;
        }
        Ok(())
    }

    /// `--set` and the seed over the SMP options the input gave.
    fn smp(&self, mut options: smp::Options) -> Result<smp::Options, Error> {
        self.each_set(|k, v| options.set(k, v))?;
        if let (Some(seed), Some(s)) = (self.seed, options.stochastic.as_mut()) {
            *s = seed;
        }
        Ok(options)
    }

    /// `--set` over the expected-utility model's defaults.
    fn eum(&self) -> Result<eum::EumOptions, Error> {
        let mut options = eum::EumOptions::default();
        self.each_set(|k, v| options.set(k, v))?;
        Ok(options)
    }
}

/// What a forecast input holds.
pub enum Input {
    /// One issue, `actor,capability,position,salience` (the expected-utility model's CSV).
    Issue(Vec<eum::Stakeholder>),
    /// Positions and saliences per dimension (KTAB CSV/XML or a zopa scenario).
    Spatial {
        scenario: ktab::KtabScenario,
        options: smp::Options,
        /// How the expected-utility model reads the saliences.
        salience: eum::SalienceRule,
    },
}

impl Input {
    /// Reads `path`; `note` hears what a KTAB XML file's reader noted.
    pub fn load(path: &Path, note: &mut dyn FnMut(&str)) -> Result<Input, Error> {
        let ext = |e: &str| path.extension().is_some_and(|x| x.eq_ignore_ascii_case(e));
        let read = || {
            std::fs::read_to_string(path)
                .map_err(|e| Error::Forecast(format!("cannot read {}: {e}", path.display())))
        };
        let bad = |e: &dyn std::fmt::Display| Error::Forecast(format!("{}: {e}", path.display()));
        if ext("xml") {
            let (scenario, options, notes) = ktab::parse_xml(&read()?).map_err(|e| bad(&e))?;
            for n in &notes {
                note(n);
            }
            return Ok(Input::Spatial {
                scenario,
                options,
                salience: eum::SalienceRule::AsGiven,
            });
        }
        if ext("csv") {
            let text = read()?;
            // KTAB's first line is `name, description, actors, dimensions`; the EUM CSV's a
            // header of four names.
            if ktab::is_ktab_csv(&text) {
                let scenario = ktab::parse_csv(&text).map_err(|e| bad(&e))?;
                return Ok(Input::Spatial {
                    scenario,
                    options: smp::Options::default(),
                    salience: eum::SalienceRule::AsGiven,
                });
            }
            let actors = eum::parse_csv(&text).map_err(|e| bad(&e))?;
            return Ok(Input::Issue(actors));
        }
        // A zopa scenario (TOML, GENIUS, …) with capabilities.
        let scenario = crate::load(path, zopa_core::analysis::Definitions::Zopa)?;
        let inputs = zopa_forecast::native::inputs(&scenario).map_err(|missing| {
            Error::Forecast(format!(
                "{}: cannot forecast: {}; add `capability = …` to every party (and `positions = […]` to issues whose values are not evenly spaced)",
                path.display(),
                missing.join("; ")
            ))
        })?;
        let salience = inputs.eum_salience();
        Ok(Input::Spatial {
            scenario: ktab::KtabScenario {
                name: scenario.name.clone(),
                description: scenario.description.clone().unwrap_or_default(),
                dimensions: inputs.dimensions,
                actors: inputs.actors,
                accommodation: None,
            },
            options: smp::Options::default(),
            salience,
        })
    }
}

/// A forecast, as one of the models ran it.
pub enum Forecast {
    Smp(SmpForecast),
    /// The expected-utility model on one issue.
    EumIssue(EumIssueForecast),
    /// The expected-utility model on every dimension of a spatial input.
    EumSpatial(EumSpatialForecast),
}

/// KTAB's SMP run.
pub struct SmpForecast {
    pub scenario: ktab::KtabScenario,
    pub options: smp::Options,
    pub run: smp::Run,
    /// The actor whose final position is the most probable: the predicted outcome.
    pub best: usize,
}

/// The expected-utility model on one issue.
pub struct EumIssueForecast {
    pub actors: Vec<eum::Stakeholder>,
    pub options: eum::EumOptions,
    pub rounds: Vec<eum::Round>,
    /// The actors at their positions after the last round.
    pub last: Vec<eum::Stakeholder>,
}

/// One dimension of a spatial input under the expected-utility model.
pub struct EumDimension {
    pub actors: Vec<eum::Stakeholder>,
    pub rounds: Vec<eum::Round>,
}

/// The expected-utility model on every dimension of a spatial input, positions on 0–100.
pub struct EumSpatialForecast {
    pub scenario: ktab::KtabScenario,
    pub options: eum::EumOptions,
    /// How saliences were read, in words.
    pub salience_note: &'static str,
    pub dimensions: Vec<EumDimension>,
    /// Rounds of the longest dimension's run.
    pub turns: usize,
}

impl EumSpatialForecast {
    /// Position of actor `a` on dimension `d` after `t` rounds (a run that stopped early — all
    /// at one position — stays where it stopped).
    pub fn at(&self, d: &EumDimension, t: usize, a: usize) -> f64 {
        match t
            .checked_sub(1)
            .and_then(|k| d.rounds.get(k).or(d.rounds.last()))
        {
            Some(r) => r.positions[a],
            None => d.actors[a].position,
        }
    }

    /// The actors of `d` at their positions after the last round.
    pub fn final_of(&self, d: &EumDimension) -> Vec<eum::Stakeholder> {
        eum::moved(
            &d.actors,
            &(0..d.actors.len())
                .map(|a| self.at(d, self.turns, a))
                .collect::<Vec<_>>(),
        )
    }
}

/// Runs `options.model` on the input at `path`; `note` hears what the reader noted.
pub fn forecast(
    path: &Path,
    options: &ForecastOptions,
    note: &mut dyn FnMut(&str),
) -> Result<Forecast, Error> {
    if !matches!(options.model.as_str(), "smp" | "eum") {
        return Err(Error::Option(format!(
            "unknown model `{}`; use smp or eum",
            options.model
        )));
    }
    match (options.model.as_str(), Input::load(path, note)?) {
        ("smp", Input::Spatial {
            scenario,
            options: given,
            ..
        }) => {
            let o = options.smp(given)?;
            let run = smp::run_accommodating(
                &scenario.actors,
                options.max_turns.unwrap_or(100),
                o,
                scenario.accommodation.as_deref(),
            );
            let last = run.turns.last().expect("at least the initial state");
            let best = (0..scenario.actors.len())
                .fold(0, |b, k| if last.prob[k] > last.prob[b] { k } else { b });
            Ok(Forecast::Smp(SmpForecast {
                scenario,
                options: o,
                run,
                best,
            }))
        }
        ("smp", Input::Issue(_)) => Err(Error::Forecast(format!(
            "{}: an actor,capability,position,salience CSV is an expected-utility input; use --model eum, or give SMP a KTAB CSV/XML or a zopa scenario",
            path.display()
        ))),
        (_, Input::Issue(actors)) => {
            let o = options.eum()?;
            let rounds = eum::run(&actors, options.max_turns.unwrap_or(10), o);
            let last = match rounds.last() {
                Some(r) => eum::moved(&actors, &r.positions),
                None => actors.clone(),
            };
            Ok(Forecast::EumIssue(EumIssueForecast {
                actors,
                options: o,
                rounds,
                last,
            }))
        }
        (_, Input::Spatial {
            scenario, salience, ..
        }) => {
            let o = options.eum()?;
            let salience_note = match salience {
                eum::SalienceRule::RelativeToLargest => {
                    "salience = the party's weight on the issue ÷ its largest weight"
                }
                eum::SalienceRule::AsGiven => "salience as given (0–100 → 0–1)",
            };
            let rounds_wanted = options.max_turns.unwrap_or(10);
            let dimensions: Vec<EumDimension> = (0..scenario.dimensions.len())
                .map(|d| {
                    let actors = eum::stakeholders(&scenario.actors, d, 100.0, salience);
                    let rounds = eum::run(&actors, rounds_wanted, o);
                    EumDimension { actors, rounds }
                })
                .collect();
            let turns = dimensions.iter().map(|d| d.rounds.len()).max().unwrap_or(0);
            Ok(Forecast::EumSpatial(EumSpatialForecast {
                scenario,
                options: o,
                salience_note,
                dimensions,
                turns,
            }))
        }
    }
}

impl Forecast {
    /// The `zopa forecast --json` document.
    pub fn to_json(&self) -> Json {
        match self {
            Forecast::Smp(f) => smp_json(f),
            Forecast::EumIssue(f) => eum_issue_json(f),
            Forecast::EumSpatial(f) => eum_spatial_json(f),
        }
    }

    /// The `zopa forecast --json` document as printed: pretty JSON and a closing newline.
    pub fn to_json_text(&self) -> String {
        serde_json::to_string_pretty(&self.to_json()).expect("a JSON value always serialises")
            + "\n"
    }
}

/// Positions ×100, rounded to six decimals (KTAB's 0–1 scale shown on 0–100).
fn scale(v: &[f64]) -> Vec<f64> {
    v.iter()
        .map(|x| (x * 100.0 * 1e6).round() / 1e6)
        .collect::<Vec<_>>()
}

fn smp_json(f: &SmpForecast) -> Json {
    let (s, r, options) = (&f.scenario, &f.run, &f.options);
    let last = r.turns.last().expect("at least the initial state");
    let turns: Vec<Json> = r
        .turns
        .iter()
        .map(|t| {
            let mut positions = Map::new();
            let mut prob = Map::new();
            let mut risk = Map::new();
            for (k, a) in s.actors.iter().enumerate() {
                positions.insert(a.name.clone(), json!(scale(&t.positions[k])));
                prob.insert(a.name.clone(), json!(t.prob[k]));
                risk.insert(a.name.clone(), json!(t.risk[k]));
            }
            let name = |i: usize| s.actors[i].name.clone();
            let challenges: Vec<Json> = t
                .challenges
                .iter()
                .enumerate()
                .filter_map(|(i, c)| {
                    c.as_ref().map(|c| {
                        json!({"challenger": name(i), "target": name(c.target),
                            "probability": c.probability, "expected_gain": c.gain,
                            "target_estimate": {"probability": c.target_view.0, "expected_gain": c.target_view.1}})
                    })
                })
                .collect();
            let bargains: Vec<Json> = t
                .proposals
                .iter()
                .map(|b| {
                    json!({"initiator": name(b.initiator), "receiver": name(b.receiver),
                        "view": format!("{:?}", b.view).to_lowercase(),
                        "initiator_adopts": scale(&b.positions.0), "receiver_adopts": scale(&b.positions.1)})
                })
                .collect();
            let adopted: Map<String, Json> = t
                .adopted
                .iter()
                .enumerate()
                .map(|(a, b)| (name(a), b.map_or(Json::Null, |b| json!(b))))
                .collect();
            json!({"positions": positions, "prob": prob, "risk": risk, "challenges": challenges,
                "bargains": bargains, "adopted": adopted})
        })
        .collect();
    let mut outcome = Map::new();
    for (k, d) in s.dimensions.iter().enumerate() {
        outcome.insert(d.clone(), json!(last.positions[f.best][k] * 100.0));
    }
    let opts: Map<String, Json> = options
        .named()
        .into_iter()
        .map(|(k, v)| (k.to_string(), json!(v)))
        .collect();
    json!({"model": "smp", "scenario": s.name, "options": opts, "turns": turns, "outcome": outcome, "fractional_changes": r.fractional_changes})
}

fn eum_issue_json(f: &EumIssueForecast) -> Json {
    let actors = &f.actors;
    let positions_at = |xs: &[f64]| -> Map<String, Json> {
        actors
            .iter()
            .zip(xs)
            .map(|(a, x)| (a.name.clone(), json!([x])))
            .collect()
    };
    let initial: Vec<f64> = actors.iter().map(|a| a.position).collect();
    let mut turns = vec![json!({"positions": positions_at(&initial)})];
    for r in &f.rounds {
        let moves: Vec<Json> = r
            .moves
            .iter()
            .enumerate()
            .filter_map(|(i, m)| m.map(|(j, kind, pos)| json!({"actor": actors[i].name, "kind": kind, "challenger": actors[j].name, "position": pos})))
            .collect();
        turns.push(json!({"positions": positions_at(&r.positions), "risk": r.risk, "moves": moves, "weighted_mean": r.mean}));
    }
    json!({"model": "eum", "variant": f.options.describe(), "turns": turns,
        "outcome": {"weighted_mean": eum::weighted_mean(&f.last), "weighted_median": eum::weighted_median(&f.last)},
        "initial": {"weighted_mean": eum::weighted_mean(actors), "weighted_median": eum::weighted_median(actors), "condorcet": eum::condorcet(actors)}})
}

fn eum_spatial_json(f: &EumSpatialForecast) -> Json {
    let s = &f.scenario;
    let turn_json: Vec<Json> = (0..=f.turns)
        .map(|t| {
            let positions: Map<String, Json> = s
                .actors
                .iter()
                .enumerate()
                .map(|(a, actor)| {
                    // On the input's 0–100 scale, without the ×100 round-off.
                    let xs: Vec<f64> = f
                        .dimensions
                        .iter()
                        .map(|d| (f.at(d, t, a) * 1e6).round() / 1e6)
                        .collect();
                    (actor.name.clone(), json!(xs))
                })
                .collect();
            json!({ "positions": positions })
        })
        .collect();
    let mut outcome = Map::new();
    let mut per_dim = Map::new();
    for (name, d) in s.dimensions.iter().zip(&f.dimensions) {
        let last = f.final_of(d);
        outcome.insert(name.clone(), json!(eum::weighted_mean(&last)));
        let moves: Vec<Json> = d
            .rounds
            .iter()
            .map(|r| {
                json!(r
                    .moves
                    .iter()
                    .enumerate()
                    .filter_map(|(i, m)| m.map(|(j, kind, pos)| json!({"actor": d.actors[i].name, "kind": kind, "challenger": d.actors[j].name, "position": pos})))
                    .collect::<Vec<_>>())
            })
            .collect();
        per_dim.insert(
            name.clone(),
            json!({
                "initial": {"weighted_mean": eum::weighted_mean(&d.actors), "weighted_median": eum::weighted_median(&d.actors), "condorcet": eum::condorcet(&d.actors)},
                "final": {"weighted_mean": eum::weighted_mean(&last), "weighted_median": eum::weighted_median(&last)},
                "moves": moves,
            }),
        );
    }
    json!({"model": "eum", "variant": f.options.describe(), "scenario": s.name,
        "salience": f.salience_note, "turns": turn_json, "outcome": outcome, "dimensions": per_dim})
}
