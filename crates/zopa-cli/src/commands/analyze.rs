use std::path::PathBuf;

use anyhow::Result;
use zopa_api::analyze::{arithmetic, stances, AnalyzeOptions};
use zopa_core::analysis::{place_texts, Analysis, BigUint, Definitions};
use zopa_core::{NoDealForm, Scenario, Value};

#[derive(clap::Args)]
pub struct Args {
    /// Scenario file or folder (zopa TOML, GENIUS XML, GeniusWeb JSON, NegoLog JSON).
    scenario: PathBuf,
    /// Print JSON (the stable contract for scripts) instead of a summary.
    #[arg(long)]
    json: bool,
    /// Whose definitions of Nash, Kalai and opposition to use: zopa, genius, negolog, negmas
    /// or geniusweb (docs/analysis.md).
    #[arg(long, default_value = "zopa", value_parser = super::parse_definitions)]
    definitions: Definitions,
    /// Analyse only these parties (comma-separated names); default: the negotiators.
    #[arg(long, value_delimiter = ',')]
    parties: Option<Vec<String>>,
    /// auto, enumeration, additive-frontier or constraint-search.
    #[arg(long, default_value = "auto")]
    method: String,
    /// List at most this many frontier points (the size is always exact).
    #[arg(long)]
    max_points: Option<usize>,
    /// Grid points per real (continuous) issue.
    #[arg(long, default_value_t = 11)]
    real_levels: u32,
    /// Partial outcomes the constraint search may visit in one search before giving up.
    #[arg(long, default_value_t = 1_000_000)]
    max_nodes: u64,
    /// Rounds of delay until the deadline: measure Nash, Kalai–Smorodinsky and egalitarian
    /// from the inside options, reservation value − cost per round × N, over the outcomes
    /// every party prefers to walking away (zopa's definitions only; docs/analysis.md).
    #[arg(long, value_name = "N")]
    horizon: Option<u32>,
    /// Branches the additive merge may keep apart at one issue: one per combination of
    /// exclusions over several issues that a partial outcome may still match.
    #[arg(long, default_value_t = 65_536)]
    max_branches: usize,
    /// Analyse the scenario as it stands at this moment of the talks: a date (with a
    /// [calendar]) or a round. The events due by then have moved outside options and stated
    /// positions; events in relative time are placed as in a run to the calendar's deadline
    /// (else 100 rounds).
    #[arg(long, value_name = "DATE|ROUND")]
    at: Option<String>,
}

pub fn run(args: Args) -> Result<()> {
    let scenario = super::load(&args.scenario, args.definitions)?;
    let options = AnalyzeOptions {
        at: args.at,
        definitions: args.definitions,
        parties: args.parties,
        method: args.method,
        max_points: args.max_points,
        real_levels: args.real_levels,
        max_nodes: args.max_nodes,
        horizon: args.horizon,
        max_branches: args.max_branches,
    };
    let (scenario, moment) = options.moment(scenario, &args.scenario)?;
    let size = zopa_core::analysis::outcome_count(&scenario).map_or_else(
        || "a continuous space".to_string(),
        |n| format!("{n} outcomes"),
    );
    let spinner =
        super::progress::spinner(&format!("analysing {} ({size})", args.scenario.display()));
    let a = zopa_api::analyze::analyze(&scenario, &options, &args.scenario);
    spinner.finish_and_clear();
    let a = a?;
    if args.json {
        let text = zopa_api::analyze::to_json_text(&scenario, &a, options.max_points);
        crate::out!("{text}");
    } else {
        if let Some(round) = moment {
            // The scenario as of the moment counts its calendar from that day.
            let date = scenario.calendar.as_ref().map(|c| c.start);
            crate::outln!(
                "at           round {round}{}: outside options and stated positions as the \
                 events due by then left them",
                date.map_or(String::new(), |d| format!(" ({d})"))
            );
        }
        print_summary(&scenario, &a, options.max_points.unwrap_or(10))?;
    }
    Ok(())
}

/// The `stances` section: per party, each issue's value at its stated stance and the party's
/// evaluation of it (1 at its ideal).
fn print_stances(scenario: &Scenario) -> Result<()> {
    let all = stances(scenario);
    if all.is_empty() {
        return Ok(());
    }
    crate::outln!(
        "stances      each party's evaluation of its latest stated position (1 = its ideal)"
    );
    for (p, party) in scenario.parties.iter().enumerate() {
        let cells: Vec<String> = all
            .iter()
            .filter(|(q, _)| *q == p)
            .filter_map(|&(_, i)| {
                let e = party.positional(i)?;
                let issue = &scenario.issues[i];
                let value = issue.display(Value::Discrete(e.stance_value()?));
                Some(format!(
                    "{} = {value} {}",
                    issue.name,
                    fmt4(e.stance_utility())
                ))
            })
            .collect();
        if !cells.is_empty() {
            crate::outln!("{:<12}   {}: {}", "", party.name, cells.join("; "));
        }
    }
    Ok(())
}

/// Utilities to four decimals, each labelled with its party.
fn fmt_utils(names: &[&str], u: &[f64]) -> String {
    let parts: Vec<String> = names
        .iter()
        .zip(u)
        .map(|(n, x)| format!("{n} {:.4}", zopa_core::round_for_display(*x)))
        .collect();
    parts.join(", ")
}

fn print_summary(scenario: &Scenario, a: &Analysis, max_points: usize) -> Result<()> {
    let names: Vec<&str> = a
        .parties
        .iter()
        .map(|&i| scenario.parties[i].name.as_str())
        .collect();
    crate::outln!("scenario     {}", scenario.name);
    crate::outln!("issues       {}", scenario.issues.len());
    match &a.n_outcomes {
        Some(n) => crate::outln!("outcomes     {n}"),
        None => crate::outln!(
            "outcomes     infinite (real issues analysed on {} points each)",
            a.real_levels.unwrap_or(0)
        ),
    }
    if !a.restrictions.is_empty() {
        let of = match &a.admissible_outcomes {
            Some(n) => n.to_string(),
            None => format!("{} analysed", a.analysed_admissible),
        };
        crate::outln!("admissible   {of} (meeting every restriction below)");
    }
    if let Some(c) = &scenario.calendar {
        crate::outln!("calendar     {c}");
    }
    for (k, e) in scenario.events.iter().enumerate() {
        let change = e.effect(&scenario.issues);
        let calendar = scenario.calendar.as_ref();
        let until = match e.until {
            Some(u) => format!(" until {}", u.describe(calendar)),
            None => String::new(),
        };
        crate::outln!(
            "{:<12} {}: {}, {}{until}, {change}",
            if k == 0 { "events" } else { "" },
            e.name,
            scenario.parties[e.party].name,
            e.at.describe(calendar)
        );
    }
    crate::outln!("parties      {}", names.join(", "));
    crate::outln!("reservation  {}", fmt_utils(&names, &a.reserved));
    print_no_deal(scenario, a)?;
    crate::outln!(
        "disagreement {} ({})",
        fmt_utils(&names, &a.disagreement),
        disagreement_source(a)
    );
    print_restrictions(scenario, a)?;
    crate::outln!(
        "method       {} ({} definitions, {} arithmetic)",
        a.method.as_str(),
        a.definitions.as_str(),
        arithmetic(a)
    );
    crate::outln!(
        "zopa         {}",
        if a.zopa_exists {
            "exists"
        } else if a.analysed_admissible == BigUint::ZERO {
            "none: no outcome meets every restriction"
        } else {
            "none: no outcome satisfies every reservation value"
        }
    );
    crate::outln!(
        "pareto       {} points ({} individually rational)",
        a.frontier.len(),
        a.rational_frontier_size
    );
    let kalai = match a.definitions {
        Definitions::Zopa => "kalai-smor.",
        _ => "kalai",
    };
    for (label, p) in [
        ("nash", &a.nash),
        (kalai, &a.kalai),
        ("egalitarian", &a.egalitarian),
        ("max welfare", &a.max_welfare),
    ] {
        match p {
            Some(p) => {
                let deal: Vec<String> = p
                    .outcome
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| {
                        format!(
                            "{} = {}",
                            scenario.issues[i].name,
                            scenario.issues[i].display(v)
                        )
                    })
                    .collect();
                crate::outln!("{label:<12} {}", fmt_utils(&names, &p.utilities));
                crate::outln!("{:<12} {}", "", deal.join("; "));
            }
            None => crate::outln!("{label:<12} none"),
        }
    }
    if a.restrictions.iter().any(|r| r.binds_at_nash == Some(true)) {
        if let Some(p) = &a.unrestricted_nash {
            crate::outln!("{:<12} {}", "free nash", fmt_utils(&names, &p.utilities));
            crate::outln!("{:<12} {}", "", fmt_outcome(scenario, &p.outcome, &[]));
            let breaches: Vec<String> = scenario
                .breaches_for(&p.outcome, &a.parties)
                .iter()
                .map(|r| r.breach(scenario))
                .collect();
            crate::outln!(
                "{:<12} (without restrictions; it {})",
                "",
                breaches.join("; ")
            );
        }
    }
    if let Some(o) = a.opposition {
        crate::outln!("opposition   {:.4}", zopa_core::round_for_display(o));
    }
    print_texts(scenario, a, &names)?;
    print_stances(scenario)?;
    if !a.frontier.is_empty() {
        crate::outln!(
            "\nfrontier (first {} of {}):",
            max_points.min(a.frontier.len()),
            a.frontier.len()
        );
        for p in a.frontier.iter().take(max_points) {
            crate::outln!("  {}", fmt_utils(&names, &p.utilities));
        }
    }
    for note in &scenario.notes {
        crate::outln!("note: {note}");
    }
    if let Some(hint) = horizon_hint(scenario, a) {
        crate::outln!("note: {hint}");
    }
    Ok(())
}

/// `no deal`: for each analysed party whose reservation value is the expected utility of a
/// no-deal model, the model and what it gives.
fn print_no_deal(scenario: &Scenario, a: &Analysis) -> Result<()> {
    let r = zopa_core::round_for_display;
    let models = a.parties.iter().zip(&a.reserved).filter_map(|(&i, &rv)| {
        let p = &scenario.parties[i];
        p.no_deal().map(|m| (p.name.as_str(), rv, m))
    });
    for (k, (name, rv, m)) in models.enumerate() {
        let outlook = match m.form {
            NoDealForm::Markov { .. } => format!(
                "; prevails in the end with {:.4}, after {} periods on average",
                r(m.p_prevail()),
                r(m.expected_periods())
            ),
            NoDealForm::OneShot { .. } => String::new(),
        };
        crate::outln!(
            "{:<12} {name} {:.4} = no-deal model: {m}{outlook}",
            if k == 0 { "no deal" } else { "" },
            r(rv)
        );
    }
    Ok(())
}

/// A number to four decimals, or `n/a` (its note says why).
fn fmt4(x: Option<f64>) -> String {
    match x.filter(|x| x.is_finite()) {
        Some(x) => format!("{:.4}", zopa_core::round_for_display(x)),
        None => "n/a".into(),
    }
}

/// An outcome as `issue = value; …`, each value followed by its label when it has one.
fn fmt_outcome(
    scenario: &Scenario,
    outcome: &[Value],
    labels: &[Option<zopa_core::Label>],
) -> String {
    let cells: Vec<String> = outcome
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            let issue = &scenario.issues[i];
            match labels.get(i).copied().flatten() {
                Some(l) => format!("{} = {} [{l}]", issue.name, issue.display(v)),
                None => format!("{} = {}", issue.name, issue.display(v)),
            }
        })
        .collect();
    cells.join("; ")
}

/// The `texts` section: each named text in date order, with what it gives each analysed
/// party, whether it is in the zone of agreement, how far it is from the frontier, and who
/// gained and lost since the text before.
fn print_texts(scenario: &Scenario, a: &Analysis, names: &[&str]) -> Result<()> {
    for (k, p) in place_texts(scenario, a).into_iter().enumerate() {
        let t = &scenario.texts[p.text];
        let about: Vec<String> = t
            .date
            .map(|d| d.to_string())
            .into_iter()
            .chain(t.source.clone())
            .collect();
        let about = if about.is_empty() {
            String::new()
        } else {
            format!(" ({})", about.join("; "))
        };
        crate::outln!(
            "{:<12} {}{about}",
            if k == 0 { "texts" } else { "" },
            t.name
        );
        let row = |label: &str, body: String| format!("{:<12}   {label:<9}{body}", "");
        crate::outln!(
            "{:<12}   {}",
            "",
            fmt_outcome(scenario, &t.outcome, &t.labels)
        );
        crate::outln!("{}", row("utility", fmt_utils(names, &p.utilities)));
        let surplus: Vec<String> = names
            .iter()
            .zip(&p.surplus)
            .map(|(n, s)| format!("{n} {}", fmt4(*s)))
            .collect();
        crate::outln!("{}", row("surplus", surplus.join(", ")));
        let zopa = if p.in_zopa {
            "inside: every party gets at least its reservation value".to_string()
        } else {
            let below: Vec<&str> = names
                .iter()
                .zip(p.utilities.iter().zip(&a.reserved))
                .filter(|(_, (u, rv))| u < rv)
                .map(|(n, _)| *n)
                .collect();
            let below = (!below.is_empty())
                .then(|| format!("below the reservation value of {}", below.join(", ")));
            let why: Vec<String> = below
                .into_iter()
                .chain(p.breaches.iter().map(|r| r.breach(scenario)))
                .collect();
            format!("outside: {}", why.join("; "))
        };
        crate::outln!("{}", row("zopa", zopa));
        let pareto = match p.pareto_distance {
            Some(0.0) => "on the frontier".to_string(),
            d => format!(
                "{} from the nearest frontier point; {} frontier deal{} at least as good for every party and better for one",
                fmt4(d),
                p.dominated_by.len(),
                if p.dominated_by.len() == 1 { " is" } else { "s are" }
            ),
        };
        crate::outln!("{}", row("pareto", pareto));
        if let Some(c) = &p.change {
            let deltas: Vec<String> = names
                .iter()
                .zip(&c.delta)
                .map(|(n, d)| match d {
                    Some(d) => format!("{n} {:+.4}", zopa_core::round_for_display(*d)),
                    None => format!("{n} n/a"),
                })
                .collect();
            let who = |label: &str, positions: Vec<usize>| {
                let named: Vec<&str> = positions.into_iter().map(|i| names[i]).collect();
                (!named.is_empty()).then(|| format!("{label} {}", named.join(", ")))
            };
            let verdict: Vec<String> = [who("gained:", c.gained()), who("lost:", c.lost())]
                .into_iter()
                .flatten()
                .collect();
            let verdict = if verdict.is_empty() {
                "no one gained or lost".to_string()
            } else {
                verdict.join("; ")
            };
            crate::outln!(
                "{}",
                row(
                    "change",
                    format!(
                        "since {}: {} ({verdict})",
                        scenario.texts[c.previous].name,
                        deltas.join(", ")
                    )
                )
            );
        }
        for note in &p.notes {
            crate::outln!("{}", row("note", note.clone()));
        }
    }
    Ok(())
}

/// The `restrictions` section: each restriction in force, how many outcomes it rules out on
/// its own, and whether it binds at the Nash point.
fn print_restrictions(scenario: &Scenario, a: &Analysis) -> Result<()> {
    for (k, r) in a.restrictions.iter().enumerate() {
        let binds = match r.binds_at_nash {
            Some(true) => "; binds at the Nash point",
            Some(false) | None => "",
        };
        crate::outln!(
            "{:<12} {}: rules out {} outcomes{binds}",
            if k == 0 { "restrictions" } else { "" },
            r.restriction.describe(scenario),
            r.rules_out
        );
    }
    if let Some(note) = &a.unrestricted_note {
        crate::outln!("{:<12} (binding at the Nash point unknown: {note})", "");
    }
    Ok(())
}

/// Where the disagreement point comes from, for the text summary.
fn disagreement_source(a: &Analysis) -> String {
    match (a.horizon, a.definitions) {
        (Some(r), _) => format!(
            "inside options: reservation value − cost per round × {r} round{}",
            if r == 1 { "" } else { "s" }
        ),
        (None, Definitions::Zopa | Definitions::Genius) => "the reservation values".into(),
        (None, Definitions::Negolog | Definitions::Geniusweb) => {
            format!("0, as the {} definitions have it", a.definitions.as_str())
        }
        (None, Definitions::Negmas) => {
            "max(reservation value, worst utility), as negmas has it".into()
        }
    }
}

/// When analysed parties pay for delay but no horizon was asked for, say that `--horizon`
/// takes the costs in (never applied silently, not even from the calendar's deadline).
fn horizon_hint(scenario: &Scenario, a: &Analysis) -> Option<String> {
    if a.horizon.is_some() || a.definitions != Definitions::Zopa {
        return None;
    }
    let paying: Vec<&str> = a
        .parties
        .iter()
        .map(|&i| &scenario.parties[i])
        .filter(|p| p.cost_per_round.is_some_and(|c| c > 0.0))
        .map(|p| p.name.as_str())
        .collect();
    if paying.is_empty() {
        return None;
    }
    let deadline = match scenario.calendar.and_then(|c| Some((c.end?, c.rounds()?))) {
        Some((end, rounds)) => {
            format!("; the calendar's deadline {end} is {rounds} rounds away (--horizon {rounds})")
        }
        None => String::new(),
    };
    Some(format!(
        "{} lose{} utility per round of delay, which this analysis leaves out; --horizon N \
         measures the solutions from the inside options (reservation value − cost per round × \
         N){deadline}",
        paying.join(", "),
        if paying.len() == 1 { "s" } else { "" }
    ))
}
