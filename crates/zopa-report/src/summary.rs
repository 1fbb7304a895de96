//! The report's plain-word sections: the summary at the top, the named texts, the
//! distributions, the thresholds and the solutions with every party.

use std::fmt::Write as _;

use zopa_core::Scenario;

use crate::insight::{Reason, Verdict};
use crate::markdown::cell;
use crate::Report;

fn pct(x: Option<f64>) -> String {
    // Rounded first, so that a share just below zero does not print as "-0 %".
    x.map_or("–".into(), |x| {
        format!("{:.0} %", (100.0 * x).round() + 0.0)
    })
}

/// Names of the analysed parties.
fn analysed(scenario: &Scenario, r: &Report) -> Vec<String> {
    r.analysis
        .parties
        .iter()
        .map(|&i| scenario.parties[i].name.clone())
        .collect()
}

/// The summary: where agreement is possible, on whose terms, what tactics change, who is
/// blamed, what the named texts meet.
pub(crate) fn summary(o: &mut String, scenario: &Scenario, r: &Report) {
    let s = &r.insight;
    let names = analysed(scenario, r);
    let _ = writeln!(o, "## Summary\n");
    // Where.
    if r.analysis.zopa_exists {
        let ranges: Vec<String> = s
            .zopa
            .iter()
            .map(|z| {
                format!(
                    "{} {:.3}–{:.3}",
                    scenario.parties[z.party].name, z.low, z.high
                )
            })
            .collect();
        let _ = writeln!(
            o,
            "- **Where agreement is possible.** A deal exists that every negotiator ({}) prefers to walking away. On the efficient deals inside that zone: {}.",
            names.join(", "),
            ranges.join("; ")
        );
    } else {
        let _ = writeln!(
            o,
            "- **Where agreement is possible.** Nowhere: no deal gives every negotiator ({}) its outside option.",
            names.join(", ")
        );
    }
    // On whose terms.
    if !s.terms.is_empty() {
        let rows: Vec<String> = s
            .terms
            .iter()
            .map(|t| {
                let shares: Vec<String> = names
                    .iter()
                    .zip(&t.shares)
                    .map(|(n, x)| format!("{n} {}", pct(*x)))
                    .collect();
                format!("{}: {}", t.label, shares.join(", "))
            })
            .collect();
        let _ = writeln!(
            o,
            "- **On whose terms** (each negotiator's share of what it could gain over walking away): {}.",
            rows.join("; ")
        );
    }
    // Tactics.
    for e in &s.effects {
        let changed: Vec<String> = e
            .deltas
            .iter()
            .enumerate()
            .filter(|(_, d)| d.abs() >= 0.0005)
            .map(|(i, d)| format!("{} {d:+.3}", scenario.parties[i].name))
            .collect();
        let moves = if changed.is_empty() {
            "moves no median utility".to_string()
        } else {
            format!("moves the median utilities by {}", changed.join(", "))
        };
        let rate = if e.agreement.0 == e.agreement.1 {
            format!("the agreement rate stays {:.0} %", 100.0 * e.agreement.0)
        } else {
            format!(
                "agreements in {:.0} % of runs instead of {:.0} %",
                100.0 * e.agreement.0,
                100.0 * e.agreement.1
            )
        };
        let mut factor = e.factor.clone();
        if let Some(first) = factor.get(..1) {
            factor = first.to_uppercase() + &factor[1..];
        }
        let _ = writeln!(
            o,
            "- **{factor}** (setting {} against {}) {moves}; {rate}.",
            e.setting + 1,
            e.baseline + 1
        );
    }
    // Blame.
    if s.failed == 0 {
        let _ = writeln!(
            o,
            "- **Who is blamed.** No one: all {} simulated runs reached an agreement.",
            s.runs
        );
    } else {
        let blamed: Vec<String> = s
            .blamed
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(i, n)| format!("{} in {n}", scenario.parties[i].name))
            .collect();
        let _ = writeln!(
            o,
            "- **Who is blamed.** Talks failed in {} of {} simulated runs; {}.",
            s.failed,
            s.runs,
            if blamed.is_empty() {
                "in none did a party turn down a text better for it than its outside option"
                    .to_string()
            } else {
                format!(
                    "a party turned down a text better for it than its outside option: {}",
                    blamed.join(", ")
                )
            }
        );
    }
    // Texts.
    for t in &s.texts {
        let text = &scenario.texts[t.placement.text];
        let date = text.date.map(|d| format!(" ({d})")).unwrap_or_default();
        let verdict = if t.rejections.is_empty() && t.breaches.is_empty() {
            "every negotiator would sign it".to_string()
        } else {
            let why: Vec<String> = t
                .rejections
                .iter()
                .map(|j| {
                    let who = &scenario.parties[j.party].name;
                    match j.reason {
                        Reason::BelowOutsideOption { outside_option } => {
                            let blocked = t.breaches.iter().any(|b| b.party == j.party);
                            let gap = outside_option - j.utility;
                            let what_if = if blocked {
                                format!("even without its line, that option would have to fall by {gap:.3}")
                            } else {
                                format!("it would sign only if that option fell by {gap:.3}")
                            };
                            let then = scenario.texts[t.placement.text]
                                .date
                                .map_or(String::new(), |d| format!(" on {d}"));
                            format!(
                                "{who} rejects it: {:.3} is below its outside option{then}, {outside_option:.3} ({what_if})",
                                j.utility
                            )
                        }
                        Reason::BetterOffWaiting { expects, cost_of_delay } => format!(
                            "{who} is better off waiting: it expects {expects:.3} from negotiating on (costs of delay {cost_of_delay:.3} included) against {:.3}",
                            j.utility
                        ),
                    }
                })
                .collect();
            let lines = t.breaches.iter().map(|b| {
                format!(
                    "{} cannot sign it: it {}",
                    scenario.parties[b.party].name, b.what
                )
            });
            lines.chain(why).collect::<Vec<_>>().join("; ")
        };
        let _ = writeln!(o, "- **{}**{date}: {verdict}.", cell(&text.name));
    }
    let _ = writeln!(o);
}

/// The named texts side by side with the Nash deal, issues as rows.
pub(crate) fn texts(o: &mut String, scenario: &Scenario, r: &Report) {
    if scenario.texts.is_empty() {
        return;
    }
    let order: Vec<usize> = r.insight.texts.iter().map(|t| t.placement.text).collect();
    let _ = writeln!(o, "## Named texts\n");
    let _ = write!(o, "| issue |");
    for &t in &order {
        let _ = write!(o, " {} |", cell(&scenario.texts[t].name));
    }
    let nash = r.analysis.nash.as_ref();
    if nash.is_some() {
        let _ = write!(o, " Nash |");
    }
    let cols = order.len() + usize::from(nash.is_some());
    let _ = writeln!(o, "\n|---|{}", "---|".repeat(cols));
    for (i, issue) in scenario.issues.iter().enumerate() {
        let _ = write!(o, "| {} |", cell(&issue.name));
        for &t in &order {
            let text = &scenario.texts[t];
            let label = text.labels[i]
                .map(|l| format!(" [{l}]"))
                .unwrap_or_default();
            let _ = write!(o, " {}{label} |", cell(&issue.display(text.outcome[i])));
        }
        if let Some(n) = nash {
            let _ = write!(o, " {} |", cell(&issue.display(n.outcome[i])));
        }
        let _ = writeln!(o);
    }
    for (k, &party) in r.analysis.parties.iter().enumerate() {
        let _ = write!(
            o,
            "| *utility of {}* |",
            cell(&scenario.parties[party].name)
        );
        for t in &r.insight.texts {
            let _ = write!(o, " {:.4} |", t.placement.utilities[k]);
        }
        if let Some(n) = nash {
            let _ = write!(o, " {:.4} |", n.utilities[k]);
        }
        let _ = writeln!(o);
    }
    let _ = write!(o, "| *in the ZOPA* |");
    for t in &r.insight.texts {
        let _ = write!(o, " {} |", if t.placement.in_zopa { "yes" } else { "no" });
    }
    if nash.is_some() {
        let _ = write!(o, " yes |");
    }
    let _ = writeln!(o);
    let _ = write!(o, "| *rejected by* |");
    for t in &r.insight.texts {
        let who: Vec<&str> = t
            .rejections
            .iter()
            .map(|j| scenario.parties[j.party].name.as_str())
            .collect();
        let _ = write!(
            o,
            " {} |",
            if who.is_empty() {
                "nobody".into()
            } else {
                who.join(", ")
            }
        );
    }
    if nash.is_some() {
        let _ = write!(o, " |");
    }
    let _ = writeln!(o, "\n\nCells are labelled as the scenario labels them ([reported], [mapped], [assumption]).\n");
}

/// Each setting over several seeds and mediators.
pub(crate) fn distributions(o: &mut String, scenario: &Scenario, r: &Report) {
    let _ = writeln!(o, "## Distributions\n");
    let _ = writeln!(
        o,
        "Each setting run with seeds {:?} and, for the single-text protocols, the mediators {}: median utility [lowest–highest].\n",
        crate::SEEDS,
        crate::MEDIATORS.join(", ")
    );
    let _ = write!(o, "| # | runs | agreements |");
    for p in &scenario.parties {
        let _ = write!(o, " {} |", cell(&p.name));
    }
    let _ = writeln!(
        o,
        "\n|---|---|---|{}",
        "---|".repeat(scenario.parties.len())
    );
    for (k, s) in r.simulations.iter().enumerate() {
        let d = &s.distribution;
        let _ = write!(o, "| {} | {} | {} |", k + 1, d.runs, d.agreements);
        for i in 0..scenario.parties.len() {
            match (d.median.get(i), d.low.get(i), d.high.get(i)) {
                (Some(m), Some(l), Some(h)) => {
                    let _ = write!(o, " {m:.3} [{l:.3}–{h:.3}] |");
                }
                _ => {
                    let _ = write!(o, " – |");
                }
            }
        }
        let _ = writeln!(o);
    }
    let _ = writeln!(o);
}

/// The reservation values at which a verdict flips.
pub(crate) fn thresholds(o: &mut String, scenario: &Scenario, r: &Report) {
    if r.insight.thresholds.is_empty() {
        return;
    }
    let _ = writeln!(o, "## Thresholds\n");
    let _ = writeln!(o, "| party | verdict | holds while its reservation value is at most | its reservation value now (for a text: on the text's date) |\n|---|---|---|---|");
    for t in &r.insight.thresholds {
        let verdict = match &t.verdict {
            Verdict::ZopaExists => "a zone of possible agreement exists".to_string(),
            Verdict::TextAcceptable(k) => {
                format!("{} is worth its outside option", scenario.texts[*k].name)
            }
        };
        let _ = writeln!(
            o,
            "| {} | {} | {:.3} | {:.3} |",
            cell(&scenario.parties[t.party].name),
            cell(&verdict),
            t.value,
            t.now
        );
    }
    let _ = writeln!(o);
}

/// Solutions over every party of the scenario, beside the negotiators'.
pub(crate) fn all_parties(o: &mut String, scenario: &Scenario, r: &Report) {
    let Some(a) = &r.insight.all_parties else {
        return;
    };
    let _ = writeln!(
        o,
        "## Solutions with every party\n\nThe bargaining solutions when every party of the scenario counts (mediator and stakeholders too), beside the negotiators' own:\n"
    );
    let _ = write!(o, "| solution |");
    for p in &scenario.parties {
        let _ = write!(o, " {} |", cell(&p.name));
    }
    let _ = writeln!(o, "\n|---|{}", "---|".repeat(scenario.parties.len()));
    let all = |p: &zopa_core::analysis::Point| -> Vec<f64> {
        scenario
            .parties
            .iter()
            .map(|q| q.utility.eval(&p.outcome))
            .collect()
    };
    for (label, negotiators, everyone) in [
        ("Nash", &r.analysis.nash, &a.nash),
        ("Kalai–Smorodinsky", &r.analysis.kalai, &a.kalai),
        ("egalitarian", &r.analysis.egalitarian, &a.egalitarian),
    ] {
        for (who, p) in [("negotiators", negotiators), ("every party", everyone)] {
            if let Some(p) = p {
                let _ = write!(o, "| {label} ({who}) |");
                for u in all(p) {
                    let _ = write!(o, " {u:.3} |");
                }
                let _ = writeln!(o);
            }
        }
    }
    let _ = writeln!(o);
}
