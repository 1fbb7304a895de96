//! `zopa forecast --model eum`: one issue from an `actor,capability,position,salience` CSV, or
//! every dimension of a spatial input, each its own run; as tables (the JSON is zopa-api's).

use anyhow::Result;
use zopa_api::forecast::{EumIssueForecast, EumSpatialForecast};
use zopa_forecast::eum;

/// One issue: the initial central positions, each round's moves, the outcome.
pub fn print_issue(f: &EumIssueForecast) -> Result<()> {
    let (actors, options, rounds, last) = (&f.actors, f.options, &f.rounds, &f.last);
    let (mean, median, condorcet) = (
        eum::weighted_mean(actors),
        eum::weighted_median(actors),
        eum::condorcet(actors),
    );
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
        eum::weighted_mean(last),
        eum::weighted_median(last)
    );
    Ok(())
}

/// Every dimension of a spatial input as its own single-issue run, positions on 0–100.
pub fn print_spatial(f: &EumSpatialForecast) -> Result<()> {
    let (s, options, salience_note, turns) = (&f.scenario, f.options, f.salience_note, f.turns);
    let dims = f.dimensions.as_slice();
    let final_of = |d: &zopa_api::forecast::EumDimension| f.final_of(d);
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
    for (name, d) in s.dimensions.iter().zip(dims) {
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
