use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use serde_json::{json, Map, Value as Json};
use zopa_forecast::{eum, ktab, smp};

#[derive(clap::Args)]
pub struct Args {
    /// A KTAB SMP CSV or XML file, a zopa scenario with party capabilities (smp), or an
    /// `actor,capability,position,salience` CSV (eum).
    scenario: PathBuf,
    /// smp (KTAB's Spatial Model of Politics) or eum (the expected-utility model).
    #[arg(long, default_value = "smp")]
    model: String,
    #[arg(long)]
    json: bool,
    /// Stop after this many turns (SMP; KTAB's default is 100) or rounds (EUM; default 10, as
    /// the ports publish) at most.
    #[arg(long)]
    max_turns: Option<usize>,
    /// A model option (repeatable). SMP: as KTAB's XML names it, over the file's own:
    /// `--set VotingRule=PropCbc --set BargnModel=InitRcvrInterp`; keys VictoryProbModel,
    /// PCEModel, VotingRule, BigRRange, BigRAdjust, ThirdPartyCommit, InterVecBrgn, BargnModel,
    /// StateTransitions. EUM: `Variant=jmckib|dmasad`, `Capitulation=on|off`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Seed of the stochastic transitions (with `--set StateTransitions=Stochastic`).
    #[arg(long)]
    seed: Option<u64>,
}

/// Applies `--set` and `--seed` over the options the input gave.
fn with_overrides(args: &Args, mut options: smp::Options) -> Result<smp::Options> {
    for kv in &args.set {
        let (k, v) = kv.split_once('=').with_context(|| {
            format!("--set `{kv}`: expected KEY=VALUE, e.g. VotingRule=PropCbc")
        })?;
        options
            .set(k.trim(), v.trim())
            .map_err(|e| anyhow::anyhow!("--set `{kv}`: {e}"))?;
    }
    if let (Some(seed), Some(s)) = (args.seed, options.stochastic.as_mut()) {
        *s = seed;
    }
    Ok(options)
}

pub fn run(args: Args) -> Result<()> {
    let text = if args.scenario.is_file() {
        std::fs::read_to_string(&args.scenario)
            .with_context(|| format!("cannot read {}", args.scenario.display()))?
    } else {
        String::new()
    };
    let ext = |e: &str| {
        args.scenario
            .extension()
            .is_some_and(|x| x.eq_ignore_ascii_case(e))
    };
    if ext("xml") && args.model == "smp" {
        let (s, options, notes) = ktab::parse_xml(&text)
            .map_err(|e| anyhow::anyhow!("{}: {e}", args.scenario.display()))?;
        for n in &notes {
            eprintln!("note: {n}");
        }
        return smp_report(&args, &s, options);
    }
    if !ext("csv") {
        if args.model != "smp" {
            bail!(
                "{}: the eum model reads actor,capability,position,salience CSV files",
                args.scenario.display()
            );
        }
        // A zopa scenario (TOML, GENIUS, …) with capabilities.
        let scenario = super::load(&args.scenario, zopa_core::analysis::Definitions::Zopa)?;
        let inputs = zopa_forecast::native::inputs(&scenario).map_err(|missing| {
            anyhow::anyhow!(
                "{}: cannot forecast: {}; add `capability = …` to every party (and `positions = […]` to issues whose values are not evenly spaced)",
                args.scenario.display(),
                missing.join("; ")
            )
        })?;
        let k = ktab::KtabScenario {
            name: scenario.name.clone(),
            description: scenario.description.clone().unwrap_or_default(),
            dimensions: inputs.dimensions.clone(),
            actors: inputs.actors.clone(),
            accommodation: None,
        };
        return smp_report(&args, &k, zopa_forecast::smp::Options::default());
    }
    match args.model.as_str() {
        "smp" => smp_cmd(&args, &text),
        "eum" => eum_cmd(&args, &text),
        m => bail!("unknown model `{m}`; use smp or eum"),
    }
}

fn smp_cmd(args: &Args, text: &str) -> Result<()> {
    let s =
        ktab::parse_csv(text).map_err(|e| anyhow::anyhow!("{}: {e}", args.scenario.display()))?;
    smp_report(args, &s, smp::Options::default())
}

fn smp_report(args: &Args, s: &ktab::KtabScenario, options: smp::Options) -> Result<()> {
    let options = with_overrides(args, options)?;
    let r = smp::run_accommodating(
        &s.actors,
        args.max_turns.unwrap_or(100),
        options,
        s.accommodation.as_deref(),
    );
    let last = r.turns.last().expect("at least the initial state");
    // The predicted outcome: the most probable position of the final state.
    let best = (0..s.actors.len()).fold(0, |b, k| if last.prob[k] > last.prob[b] { k } else { b });
    let scale = |v: &[f64]| {
        v.iter()
            .map(|x| (x * 100.0 * 1e6).round() / 1e6)
            .collect::<Vec<_>>()
    };
    if args.json {
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
            outcome.insert(d.clone(), json!(last.positions[best][k] * 100.0));
        }
        let opts: Map<String, Json> = options
            .named()
            .into_iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        let j = json!({"model": "smp", "scenario": s.name, "options": opts, "turns": turns, "outcome": outcome, "fractional_changes": r.fractional_changes});
        crate::outln!("{}", serde_json::to_string_pretty(&j)?);
        return Ok(());
    }
    crate::outln!(
        "{} — KTAB Spatial Model of Politics, {} actors, {} dimensions",
        s.name,
        s.actors.len(),
        s.dimensions.len()
    );
    let opts: Vec<String> = options
        .named()
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    crate::outln!("options: {}", opts.join(" "));
    crate::outln!(
        "stopped after {} turns; fractional changes {:?}",
        r.fractional_changes.len(),
        r.fractional_changes
            .iter()
            .map(|c| (c * 1e4).round() / 1e4)
            .collect::<Vec<_>>()
    );
    crate::outln!("\nchallenges and bargains per turn (positions 0–100):");
    let coords = |v: &[f64]| {
        v.iter()
            .map(|x| format!("{:.1}", x * 100.0))
            .collect::<Vec<_>>()
            .join(" ")
    };
    for (t, turn) in r.turns.iter().enumerate() {
        if turn.challenges.iter().all(Option::is_none) {
            continue;
        }
        crate::outln!("  turn {t}");
        for (i, c) in turn.challenges.iter().enumerate() {
            let Some(c) = c else { continue };
            crate::outln!(
                "    {} challenges {}: p(win) {:.4}, expected gain {:+.4} ({} thinks {:.4}, {:+.4})",
                s.actors[i].name,
                s.actors[c.target].name,
                c.probability,
                c.gain,
                s.actors[c.target].name,
                c.target_view.0,
                c.target_view.1
            );
        }
        for (b, p) in turn.proposals.iter().enumerate() {
            let takers: Vec<&str> = (0..s.actors.len())
                .filter(|&a| turn.adopted[a] == Some(b))
                .map(|a| s.actors[a].name.as_str())
                .collect();
            crate::outln!(
                "    bargain {}:{} ({:?} view): {} → [{}], {} → [{}]{}",
                s.actors[p.initiator].name,
                s.actors[p.receiver].name,
                p.view,
                s.actors[p.initiator].name,
                coords(&p.positions.0),
                s.actors[p.receiver].name,
                coords(&p.positions.1),
                if takers.is_empty() {
                    String::new()
                } else {
                    format!("; adopted by {}", takers.join(", "))
                }
            );
        }
    }
    crate::outln!("\nposition history (0–100) and final probability:");
    for (k, a) in s.actors.iter().enumerate() {
        for (d, name) in s.dimensions.iter().enumerate() {
            let hist: Vec<String> = r
                .turns
                .iter()
                .map(|t| format!("{:5.1}", t.positions[k][d] * 100.0))
                .collect();
            crate::outln!("  {:<12} {:<8} {}", a.name, name, hist.join(" "));
        }
        crate::outln!("  {:<12} {:<8} p = {:.4}", a.name, "prob", last.prob[k]);
    }
    let outcome: Vec<String> = s
        .dimensions
        .iter()
        .enumerate()
        .map(|(d, n)| format!("{n} {:.1}", last.positions[best][d] * 100.0))
        .collect();
    crate::outln!(
        "\npredicted outcome (most probable final position): {}",
        outcome.join(", ")
    );
    Ok(())
}

fn eum_cmd(args: &Args, text: &str) -> Result<()> {
    let actors =
        eum::parse_csv(text).map_err(|e| anyhow::anyhow!("{}: {e}", args.scenario.display()))?;
    let mut options = eum::EumOptions::default();
    for kv in &args.set {
        let (k, v) = kv
            .split_once('=')
            .with_context(|| format!("--set `{kv}`: expected KEY=VALUE, e.g. Variant=dmasad"))?;
        options
            .set(k.trim(), v.trim())
            .map_err(|e| anyhow::anyhow!("--set `{kv}`: {e}"))?;
    }
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
    let last: Vec<eum::Stakeholder> = match rounds.last() {
        Some(r) => actors
            .iter()
            .zip(&r.positions)
            .map(|(a, &p)| eum::Stakeholder {
                position: p,
                ..a.clone()
            })
            .collect(),
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
