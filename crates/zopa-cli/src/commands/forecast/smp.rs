//! `zopa forecast --model smp`: the run as a table (its JSON is zopa-api's).

use anyhow::Result;
use zopa_api::forecast::SmpForecast;

pub fn print(f: &SmpForecast) -> Result<()> {
    let (s, options, r, best) = (&f.scenario, f.options, &f.run, f.best);
    let last = r.turns.last().expect("at least the initial state");
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
