//! `zopa forecast --model smp`: the run as a table or as JSON.

use anyhow::Result;
use serde_json::{json, Map, Value as Json};
use zopa_forecast::{ktab, smp};

use super::{with_overrides, Args};

pub fn report(args: &Args, s: &ktab::KtabScenario, options: smp::Options) -> Result<()> {
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
