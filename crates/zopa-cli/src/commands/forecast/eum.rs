//! `zopa forecast --model eum`: one issue from an `actor,capability,position,salience` CSV, or
//! every dimension of a spatial input, each its own run.

use anyhow::Result;
use serde_json::{json, Map, Value as Json};
use zopa_forecast::{eum, ktab};

use super::Args;

/// `--set` over the expected-utility model's defaults.
fn options(args: &Args) -> Result<eum::EumOptions> {
    let mut options = eum::EumOptions::default();
    super::each_set(args, |k, v| options.set(k, v))?;
    Ok(options)
}

pub fn single(args: &Args, actors: &[eum::Stakeholder]) -> Result<()> {
    let actors = actors.to_vec();
    let options = options(args)?;
    let rounds = eum::run(&actors, args.max_turns.unwrap_or(10), options);
    let (mean, median, condorcet) = (
        eum::weighted_mean(&actors),
        eum::weighted_median(&actors),
        eum::condorcet(&actors),
    );
    let positions_at = |xs: &[f64]| -> Map<String, Json> {
        actors
            .iter()
            .zip(xs)
            .map(|(a, x)| (a.name.clone(), json!([x])))
            .collect()
    };
    let initial: Vec<f64> = actors.iter().map(|a| a.position).collect();
    let last = match rounds.last() {
        Some(r) => eum::moved(&actors, &r.positions),
        None => actors.clone(),
    };
    if args.json {
        let mut turns = vec![json!({"positions": positions_at(&initial)})];
        for r in &rounds {
            let moves: Vec<Json> = r
                .moves
                .iter()
                .enumerate()
                .filter_map(|(i, m)| m.map(|(j, kind, pos)| json!({"actor": actors[i].name, "kind": kind, "challenger": actors[j].name, "position": pos})))
                .collect();
            turns.push(json!({"positions": positions_at(&r.positions), "risk": r.risk, "moves": moves, "weighted_mean": r.mean}));
        }
        let j = json!({"model": "eum", "variant": options.describe(), "turns": turns,
            "outcome": {"weighted_mean": eum::weighted_mean(&last), "weighted_median": eum::weighted_median(&last)},
            "initial": {"weighted_mean": mean, "weighted_median": median, "condorcet": condorcet}});
        crate::outln!("{}", serde_json::to_string_pretty(&j)?);
    } else {
        crate::outln!(
            "expected-utility model ({}), {} actors",
            options.describe(),
            actors.len()
        );
        crate::outln!(
            "  initial: weighted mean {mean}, weighted median {median}, Condorcet {condorcet}"
        );
        for (k, r) in rounds.iter().enumerate() {
            let moves: Vec<String> = r
                .moves
                .iter()
                .enumerate()
                .filter_map(|(i, m)| {
                    m.map(|(j, kind, pos)| {
                        format!("{} {kind} {} → {pos:.4}", actors[i].name, actors[j].name)
                    })
                })
                .collect();
            crate::outln!(
                "  round {:>2}: mean {:.6}  {}",
                k + 1,
                r.mean,
                moves.join("; ")
            );
        }
        crate::outln!(
            "  outcome: weighted mean {:.6}, weighted median {}",
            eum::weighted_mean(&last),
            eum::weighted_median(&last)
        );
    }
    Ok(())
}

/// Every dimension of a spatial input as its own single-issue run, positions on 0–100.
pub fn spatial(args: &Args, s: &ktab::KtabScenario, rule: eum::SalienceRule) -> Result<()> {
    let options = options(args)?;
    let salience_note = match rule {
        eum::SalienceRule::RelativeToLargest => {
            "salience = the party's weight on the issue ÷ its largest weight"
        }
        eum::SalienceRule::AsGiven => "salience as given (0–100 → 0–1)",
    };
    let rounds_wanted = args.max_turns.unwrap_or(10);
    struct Dim {
        actors: Vec<eum::Stakeholder>,
        rounds: Vec<eum::Round>,
    }
    let dims: Vec<Dim> = (0..s.dimensions.len())
        .map(|d| {
            let actors = eum::stakeholders(&s.actors, d, 100.0, rule);
            let rounds = eum::run(&actors, rounds_wanted, options);
            Dim { actors, rounds }
        })
        .collect();
    // Position of actor `a` on dimension `d` after `t` rounds (a run that stopped early — all
    // at one position — stays where it stopped).
    let at = |d: &Dim, t: usize, a: usize| -> f64 {
        match t
            .checked_sub(1)
            .and_then(|k| d.rounds.get(k).or(d.rounds.last()))
        {
            Some(r) => r.positions[a],
            None => d.actors[a].position,
        }
    };
    let turns = dims.iter().map(|d| d.rounds.len()).max().unwrap_or(0);
    let final_of = |d: &Dim| {
        eum::moved(
            &d.actors,
            &(0..d.actors.len())
                .map(|a| at(d, turns, a))
                .collect::<Vec<_>>(),
        )
    };
    if args.json {
        let turn_json: Vec<Json> = (0..=turns)
            .map(|t| {
                let positions: Map<String, Json> = s
                    .actors
                    .iter()
                    .enumerate()
                    .map(|(a, actor)| {
                        // On the input's 0–100 scale, without the ×100 round-off.
                        let xs: Vec<f64> = dims
                            .iter()
                            .map(|d| (at(d, t, a) * 1e6).round() / 1e6)
                            .collect();
                        (actor.name.clone(), json!(xs))
                    })
                    .collect();
                json!({ "positions": positions })
            })
            .collect();
        let mut outcome = Map::new();
        let mut per_dim = Map::new();
        for (name, d) in s.dimensions.iter().zip(&dims) {
            let last = final_of(d);
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
        let j = json!({"model": "eum", "variant": options.describe(), "scenario": s.name,
            "salience": salience_note, "turns": turn_json, "outcome": outcome, "dimensions": per_dim});
        crate::outln!("{}", serde_json::to_string_pretty(&j)?);
        return Ok(());
    }
    crate::outln!(
        "{} — expected-utility model ({}), {} actors, each of {} dimensions on its own; {salience_note}",
        s.name,
        options.describe(),
        s.actors.len(),
        s.dimensions.len()
    );
    crate::outln!(
        "\n  {:<24} {:^27} │ {:^17} │",
        "",
        "initial",
        format!("after {turns} rounds")
    );
    crate::outln!(
        "  {:<24} {:>8} {:>8} {:>9} │ {:>8} {:>8} │ {:>5}",
        "dimension (0–100)",
        "mean",
        "median",
        "Condorcet",
        "mean",
        "median",
        "moves"
    );
    for (name, d) in s.dimensions.iter().zip(&dims) {
        let last = final_of(d);
        let moves: usize = d
            .rounds
            .iter()
            .map(|r| r.moves.iter().flatten().count())
            .sum();
        crate::outln!(
            "  {:<24} {:>8.1} {:>8.1} {:>9.1} │ {:>8.1} {:>8.1} │ {moves:>5}",
            name,
            eum::weighted_mean(&d.actors),
            eum::weighted_median(&d.actors),
            eum::condorcet(&d.actors),
            eum::weighted_mean(&last),
            eum::weighted_median(&last)
        );
    }
    crate::outln!("\npredicted outcome: the weighted mean after the last round, per dimension");
    Ok(())
}
