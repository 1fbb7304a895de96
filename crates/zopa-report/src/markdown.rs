//! The report as Markdown (the HTML page's twin).

use std::fmt::Write as _;

use zopa_core::{IssueKind, Scenario, UtilityFunction};

use crate::Report;

fn deal_value(scenario: &Scenario, issue: usize, outcome: &[zopa_core::Value]) -> String {
    scenario.issues[issue].display(outcome[issue])
}

pub(crate) fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Top weights of a party, as "issue 0.18, …".
pub(crate) fn top_weights(scenario: &Scenario, party: usize, n: usize) -> String {
    match &scenario.parties[party].utility {
        UtilityFunction::Additive(a) => {
            let mut w: Vec<(usize, f64)> = a.weights.iter().copied().enumerate().collect();
            w.sort_by(|x, y| y.1.total_cmp(&x.1));
            w.iter()
                .take(n)
                .map(|(i, x)| format!("{} {x:.2}", scenario.issues[*i].name))
                .collect::<Vec<_>>()
                .join(", ")
        }
        UtilityFunction::Constraint(_) => "nonlinear (constraints)".into(),
    }
}

pub fn render(scenario: &Scenario, r: &Report) -> String {
    let mut o = String::new();
    let a = &r.analysis;
    let names: Vec<&str> = a
        .parties
        .iter()
        .map(|&i| scenario.parties[i].name.as_str())
        .collect();
    let _ = writeln!(o, "# {}\n", scenario.name);
    if let Some(d) = &scenario.description {
        let _ = writeln!(o, "{d}\n");
    }
    crate::summary::summary(&mut o, scenario, r);
    let _ = writeln!(o, "## Issues\n\n| issue | options |\n|---|---|");
    for issue in &scenario.issues {
        let options = match &issue.kind {
            IssueKind::Discrete {
                values,
                descriptions,
            } => values
                .iter()
                .zip(descriptions)
                .map(|(v, d)| match d {
                    Some(d) => format!("`{v}` — {d}"),
                    None => format!("`{v}`"),
                })
                .collect::<Vec<_>>()
                .join("<br>"),
            IssueKind::Integer { min, max } => format!("integers {min}…{max}"),
            IssueKind::Real { min, max } => format!("numbers in [{min}, {max}]"),
        };
        let title = issue
            .description
            .as_deref()
            .map(|d| format!("<br>{d}"))
            .unwrap_or_default();
        let _ = writeln!(
            o,
            "| **{}**{} | {} |",
            cell(&issue.name),
            cell(&title),
            cell(&options)
        );
    }
    let _ = writeln!(o, "\n## Parties\n\n| party | role | reservation value | cost per round | highest weights |\n|---|---|---|---|---|");
    for (i, p) in scenario.parties.iter().enumerate() {
        let _ = writeln!(
            o,
            "| {} | {} | {:.3} | {} | {} |",
            cell(&p.name),
            p.role.as_str(),
            p.reservation_value(),
            p.cost_per_round.map_or("–".into(), |c| format!("{c}")),
            cell(&top_weights(scenario, i, 3))
        );
    }
    if !scenario.events.is_empty() {
        let _ = writeln!(o, "\n### Scheduled events\n\n| event | party | when | effect | note |\n|---|---|---|---|---|");
        for e in &scenario.events {
            let when = e.at.describe(scenario.calendar.as_ref());
            let effect = e.effect(&scenario.issues);
            let _ = writeln!(
                o,
                "| {} | {} | {when} | {effect} | {} |",
                cell(&e.name),
                cell(&scenario.parties[e.party].name),
                cell(e.description.as_deref().unwrap_or(""))
            );
        }
    }
    let count = a
        .n_outcomes
        .as_ref()
        .map_or("infinite".to_string(), |n| n.to_string());
    let _ = writeln!(o, "\n## Outcome space\n");
    let _ = writeln!(
        o,
        "- outcomes: **{count}** (analysed by {})",
        a.method.as_str()
    );
    let _ = writeln!(o, "- negotiators: {}", names.join(", "));
    let _ = writeln!(
        o,
        "- zone of possible agreement: **{}**",
        if a.zopa_exists {
            "exists"
        } else {
            "none — no outcome gives every negotiator its reservation value"
        }
    );
    let _ = writeln!(
        o,
        "- Pareto frontier: {} points, {} individually rational",
        a.frontier.len(),
        a.rational_frontier_size
    );
    if let Some(x) = a.opposition {
        let _ = writeln!(o, "- opposition: {x:.4}");
    }
    let _ = writeln!(o, "\n## Solution deals\n");
    if r.deals.is_empty() {
        let _ = writeln!(
            o,
            "No individually rational outcome: no deal beats every negotiator's reservation value."
        );
    } else {
        let _ = write!(o, "| issue |");
        for d in &r.deals {
            let _ = write!(o, " {} |", d.label);
        }
        let _ = writeln!(o, "\n|---|{}", "---|".repeat(r.deals.len()));
        for i in 0..scenario.issues.len() {
            let _ = write!(o, "| {} |", cell(&scenario.issues[i].name));
            for d in &r.deals {
                let _ = write!(o, " {} |", cell(&deal_value(scenario, i, &d.point.outcome)));
            }
            let _ = writeln!(o);
        }
        for (k, p) in scenario.parties.iter().enumerate() {
            let _ = write!(
                o,
                "| *utility of {} ({})* |",
                cell(&p.name),
                p.role.as_str()
            );
            for d in &r.deals {
                let _ = write!(o, " {:.4} |", d.all_utilities[k]);
            }
            let _ = writeln!(o);
        }
    }
    let _ = writeln!(o);
    crate::summary::all_parties(&mut o, scenario, r);
    crate::summary::texts(&mut o, scenario, r);
    let _ = writeln!(o, "## Simulated negotiations\n");
    let _ = write!(o, "| # | setting | protocol | end | rounds | seed |");
    for p in &scenario.parties {
        let _ = write!(o, " {} |", cell(&p.name));
    }
    let _ = writeln!(
        o,
        "\n|---|---|---|---|---|---|{}",
        "---|".repeat(scenario.parties.len())
    );
    for (k, s) in r.simulations.iter().enumerate() {
        let _ = write!(
            o,
            "| {} | {} | {} | {} | {} | {} |",
            k + 1,
            cell(&s.label),
            s.result.protocol,
            s.result.end.as_str(),
            s.result.rounds,
            s.spec.seed
        );
        for u in &s.result.utilities {
            let _ = write!(o, " {u:.3} |");
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(o, "\nUtilities are of the agreement, or each party's reservation value at the end when there is none. Each run replays with:\n");
    for (k, s) in r.simulations.iter().enumerate() {
        let _ = writeln!(o, "{}. `{}`", k + 1, s.command(scenario));
    }
    let _ = writeln!(o);
    for (k, s) in r.simulations.iter().enumerate() {
        if let Some(deal) = &s.result.agreement {
            let text: Vec<String> = (0..scenario.issues.len())
                .map(|i| {
                    format!(
                        "{} = {}",
                        scenario.issues[i].name,
                        deal_value(scenario, i, deal)
                    )
                })
                .collect();
            let _ = writeln!(o, "- run {}: {}", k + 1, text.join("; "));
        }
    }
    let _ = writeln!(o);
    crate::summary::distributions(&mut o, scenario, r);
    crate::summary::thresholds(&mut o, scenario, r);
    let _ = writeln!(o, "## Sensitivity\n");
    if r.sensitivity.is_empty() {
        let _ = writeln!(o, "No single change of ±0.1 to a negotiator's issue weight or reservation value creates or destroys the zone of possible agreement or moves the Nash deal.");
    } else {
        let _ = writeln!(o, "Single changes of ±0.1 to one negotiator's weight on one issue (the others rescaled to keep the sum) or to its reservation value that matter:\n");
        let _ = writeln!(
            o,
            "| party | change | ZOPA | Nash deal moves on |\n|---|---|---|---|"
        );
        for s in &r.sensitivity {
            let zopa = if s.zopa_before == s.zopa_after {
                if s.zopa_after {
                    "exists".into()
                } else {
                    "none".into()
                }
            } else if s.zopa_after {
                "**created**".to_string()
            } else {
                "**destroyed**".to_string()
            };
            let _ = writeln!(
                o,
                "| {} | {} | {zopa} | {} |",
                cell(&s.party),
                cell(&s.change),
                cell(&s.nash_moves.join(", "))
            );
        }
    }
    // Which parties each text breaches (red lines do not move along the ranges).
    let mut breached = vec![Vec::new(); scenario.texts.len()];
    for t in &r.insight.texts {
        breached[t.placement.text] = t.breaches.iter().map(|b| b.party).collect();
    }
    crate::sweeps::write(&mut o, scenario, &r.sweeps, &breached);
    if let Some(f) = &r.forecast {
        let _ = writeln!(o, "\n## Forecast (stakeholder models)\n");
        let (smp_salience, eum_salience) = if f.declared_salience {
            (
                "the saliences the parties declare",
                "the declared saliences",
            )
        } else {
            (
                "the issue weights as saliences",
                "salience = the party's weight on the issue ÷ its largest weight",
            )
        };
        let _ = writeln!(
            o,
            "Every party with a capability takes part (mediator and stakeholders too), at its best value on each issue. **SMP**: KTAB's Spatial Model of Politics with its default options and {smp_salience}; stopped after {} turns; the forecast is the most probable final position. **EUM**: the expected-utility model (jmckib's port of Scholz et al.), each issue on its own, {eum_salience}; the forecast is the weighted mean after {} rounds (the model oscillates rather than settles).\n",
            f.turns,
            crate::EUM_ROUNDS
        );
        let _ = writeln!(
            o,
            "| issue | SMP (0–100) | nearest option | EUM (0–100) | nearest option |\n|---|---|---|---|---|"
        );
        for (k, &i) in f.issues.iter().enumerate() {
            let _ = writeln!(
                o,
                "| {} | {:.1} | {} | {:.1} | {} |",
                cell(&scenario.issues[i].name),
                f.outcome[k],
                cell(&f.nearest[k]),
                f.eum[k],
                cell(&f.eum_nearest[k])
            );
        }
    }
    if !scenario.notes.is_empty() {
        let _ = writeln!(o, "\n## Notes from reading the scenario\n");
        for n in &scenario.notes {
            let _ = writeln!(o, "- {}", cell(n));
        }
    }
    o
}
