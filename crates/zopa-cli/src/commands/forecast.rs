use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use serde_json::{json, Map, Value as Json};
use zopa_forecast::{eum, ktab, smp};

#[derive(clap::Args)]
pub struct Args {
    /// A KTAB SMP CSV or XML file, a zopa scenario with party capabilities (smp), or an
    /// `actor,capability,position,salience` CSV (eum).
    scenario: PathBuf,
    /// smp (KTAB's Spatial Model of Politics) or eum (expected-utility central positions).
    #[arg(long, default_value = "smp")]
    model: String,
    #[arg(long)]
    json: bool,
    /// Stop after this many turns at most (KTAB's default is 100).
    #[arg(long, default_value_t = 100)]
    max_turns: usize,
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
    let r = smp::run_accommodating(
        &s.actors,
        args.max_turns,
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
                let challenges: Vec<Json> = t
                    .challenges
                    .iter()
                    .enumerate()
                    .filter_map(|(i, c)| c.map(|(j, p, g)| json!({"challenger": s.actors[i].name, "target": s.actors[j].name, "probability": p, "expected_gain": g})))
                    .collect();
                json!({"positions": positions, "prob": prob, "risk": risk, "challenges": challenges})
            })
            .collect();
        let mut outcome = Map::new();
        for (k, d) in s.dimensions.iter().enumerate() {
            outcome.insert(d.clone(), json!(last.positions[best][k] * 100.0));
        }
        let j = json!({"model": "smp", "scenario": s.name, "turns": turns, "outcome": outcome, "fractional_changes": r.fractional_changes});
        crate::outln!("{}", serde_json::to_string_pretty(&j)?);
        return Ok(());
    }
    crate::outln!(
        "{} — KTAB Spatial Model of Politics, default options, {} actors, {} dimensions",
        s.name,
        s.actors.len(),
        s.dimensions.len()
    );
    crate::outln!(
        "stopped after {} turns; fractional changes {:?}",
        r.fractional_changes.len(),
        r.fractional_changes
            .iter()
            .map(|c| (c * 1e4).round() / 1e4)
            .collect::<Vec<_>>()
    );
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
    let rounds = eum::run(&actors, args.max_turns.min(10), eum::EumOptions::default());
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
        let j = json!({"model": "eum", "variant": "jmckib (Scholz et al. 2011), capitulation off", "turns": turns,
            "outcome": {"weighted_mean": eum::weighted_mean(&last), "weighted_median": eum::weighted_median(&last)},
            "initial": {"weighted_mean": mean, "weighted_median": median, "condorcet": condorcet}});
        crate::outln!("{}", serde_json::to_string_pretty(&j)?);
    } else {
        crate::outln!(
            "expected-utility model (jmckib's port of Scholz et al. 2011), {} actors",
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
