use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value as Json};
use zopa_core::analysis::{analyze, AnalysisConfig, Definitions};
use zopa_core::Scenario;
use zopa_mechanisms::{run as run_negotiation, Deadline, Protocol, RunResult, RunSpec, Spec};

#[derive(clap::Args)]
pub struct Args {
    /// Scenario file or folder.
    scenario: PathBuf,
    /// Strategies, one per seated party in order (or one for all): boulware,conceder.
    #[arg(long, value_delimiter = ',', required = true)]
    negotiators: Vec<String>,
    /// sao (bilateral), stacked (multilateral) or mediated (single text).
    #[arg(long, default_value = "sao")]
    protocol: String,
    /// Mediator strategy for --protocol mediated.
    #[arg(long)]
    mediator: Option<String>,
    /// When the mediated text is put to ratification: `settled` (as soon as the mediator can
    /// improve it no further) or `deadline` (it waits, and the events on the way change who
    /// ratifies).
    #[arg(long, default_value = "settled")]
    ratify: String,
    /// Seat these parties (comma-separated names); default: the scenario's negotiators.
    #[arg(long, value_delimiter = ',')]
    parties: Option<Vec<String>>,
    /// Deadline in rounds (default 100 unless --time is given).
    #[arg(long)]
    rounds: Option<u32>,
    /// Wall-clock deadline: 500ms, 3s, 2m.
    #[arg(long)]
    time: Option<String>,
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Read the scenario (and measure the result) as these definitions do; `negmas` reads GENIUS
    /// evaluations raw, as NegMAS does.
    #[arg(long, default_value = "zopa", value_parser = super::parse_definitions)]
    definitions: Definitions,
    /// Print the result as JSON.
    #[arg(long)]
    json: bool,
    /// Also write the trace, one JSON object per line.
    #[arg(long)]
    trace: Option<PathBuf>,
}

fn duration(s: &str) -> Result<Duration> {
    let (num, unit) = s.trim().split_at(
        s.trim()
            .find(|c: char| c.is_ascii_alphabetic())
            .unwrap_or(s.len()),
    );
    let x: f64 = num
        .parse()
        .with_context(|| format!("`{s}` is not a duration like 500ms, 3s or 2m"))?;
    let secs = match unit {
        "ms" => x / 1000.0,
        "s" | "" => x,
        "m" => x * 60.0,
        _ => bail!("`{s}`: unknown unit `{unit}`; use ms, s or m"),
    };
    Ok(Duration::from_secs_f64(secs))
}

pub fn run(args: Args) -> Result<()> {
    let scenario = super::load(&args.scenario, args.definitions)?;
    let protocol = Protocol::parse(&args.protocol).with_context(|| {
        format!(
            "unknown protocol `{}`; use sao, stacked or mediated",
            args.protocol
        )
    })?;
    let negotiators = args
        .negotiators
        .iter()
        .map(|s| Spec::parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    let mediator = args.mediator.as_deref().map(Spec::parse).transpose()?;
    let ratification = zopa_mechanisms::Ratification::parse(&args.ratify).with_context(|| {
        format!(
            "unknown --ratify `{}`; use settled or deadline",
            args.ratify
        )
    })?;
    let parties = match &args.parties {
        None => None,
        Some(names) => Some(
            names
                .iter()
                .map(|n| {
                    scenario.party_index(n).with_context(|| {
                        let known: Vec<&str> =
                            scenario.parties.iter().map(|p| p.name.as_str()).collect();
                        format!(
                            "no party named `{n}`; the parties are: {}",
                            known.join(", ")
                        )
                    })
                })
                .collect::<Result<Vec<_>>>()?,
        ),
    };
    let time = args.time.as_deref().map(duration).transpose()?;
    let rounds = match (args.rounds, time) {
        (None, None) => Some(100),
        (r, _) => r,
    };
    let spec = RunSpec {
        ratification,
        protocol,
        negotiators,
        parties,
        mediator,
        deadline: Deadline { rounds, time },
        seed: args.seed,
        cache: None,
        record_trace: true,
    };
    let mut result = run_negotiation(&scenario, &spec)?;
    measure(&scenario, &mut result);
    let j = to_json(&scenario, &result);
    if let Some(path) = &args.trace {
        let mut f = std::io::BufWriter::new(
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?,
        );
        for e in j["trace"].as_array().into_iter().flatten() {
            writeln!(f, "{}", serde_json::to_string(e)?)?;
        }
    }
    if args.json {
        crate::outln!("{}", serde_json::to_string_pretty(&j)?);
    } else {
        print_summary(&scenario, &result)?;
    }
    Ok(())
}

/// Distances to the frontier and Nash point of the seated negotiators (zopa's definitions).
fn measure(scenario: &Scenario, result: &mut RunResult) {
    let seated: Vec<usize> = (0..scenario.parties.len())
        .filter(|&i| {
            result.strategies[i].is_some()
                && scenario.parties[i].role == zopa_core::Role::Negotiator
        })
        .collect();
    if seated.len() < 2 {
        return;
    }
    let mut config = AnalysisConfig::new(Definitions::Zopa);
    config.parties = Some(seated);
    if let Ok(a) = analyze(scenario, &config) {
        result.measure(&a);
    }
}

/// The `zopa run --json` contract.
pub fn to_json(scenario: &Scenario, r: &RunResult) -> Json {
    let trace: Vec<Json> = r
        .trace
        .iter()
        .map(|e| {
            json!({
                "round": e.round,
                "time": e.time,
                "actor": e.actor,
                "action": e.action,
                "outcome": e.outcome.as_ref().map(|o| super::json::outcome(scenario, o)),
                "utilities": e.utilities,
                "note": e.note,
            })
        })
        .collect();
    json!({
        "protocol": r.protocol,
        "parties": r.parties,
        "roles": scenario.parties.iter().map(|p| p.role.as_str()).collect::<Vec<_>>(),
        "strategies": r.strategies,
        "end": r.end.as_str(),
        "error": match &r.end { zopa_mechanisms::End::Error(e) => Some(e.clone()), _ => None },
        "agreement": r.agreement.as_ref().map(|o| super::json::outcome(scenario, o)),
        "utilities": r.utilities,
        "payoffs": r.payoffs,
        "rounds": r.rounds,
        "time": r.time,
        "seed": r.seed,
        "trace": trace,
        "metrics": r.metrics.as_ref().map(|m| json!({
            "pareto_distance": m.pareto_distance,
            "nash_distance": m.nash_distance,
            "welfare": m.welfare,
        })),
    })
}

fn print_summary(scenario: &Scenario, r: &RunResult) -> Result<()> {
    let who: Vec<String> = r
        .strategies
        .iter()
        .enumerate()
        .filter_map(|(i, s)| {
            s.as_ref()
                .map(|s| format!("{} ({s})", scenario.parties[i].name))
        })
        .collect();
    crate::outln!("scenario   {}", scenario.name);
    crate::outln!("protocol   {}   seed {}", r.protocol, r.seed);
    crate::outln!("seats      {}", who.join(", "));
    match &r.end {
        zopa_mechanisms::End::Error(e) => crate::outln!("end        error: {e}"),
        e => crate::outln!(
            "end        {} after {} rounds (t = {:.3})",
            e.as_str(),
            r.rounds,
            r.time
        ),
    }
    if let Some(o) = &r.agreement {
        let deal: Vec<String> = o
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
        crate::outln!("agreement  {}", deal.join("; "));
    }
    let us: Vec<String> = r
        .parties
        .iter()
        .zip(&r.utilities)
        .map(|(p, u)| format!("{p} {u:.4}"))
        .collect();
    crate::outln!("utilities  {}", us.join(", "));
    if let Some(m) = &r.metrics {
        let f = |x: Option<f64>| x.map_or("-".to_string(), |x| format!("{x:.4}"));
        crate::outln!(
            "metrics    welfare {:.4}, distance to Pareto {}, to Nash {}",
            m.welfare,
            f(m.pareto_distance),
            f(m.nash_distance)
        );
    }
    crate::outln!(
        "\n{:>5} {:>6}  {:<24} {:<16} utilities",
        "round",
        "t",
        "actor",
        "action"
    );
    let shown = 40usize;
    let n = r.trace.len();
    for (k, e) in r.trace.iter().enumerate() {
        if n > shown && k == shown / 2 {
            crate::outln!(
                "  … {} more lines (use --json or --trace FILE for all) …",
                n - shown
            );
        }
        if n > shown && k >= shown / 2 && k < n - shown / 2 {
            continue;
        }
        let u = e
            .utilities
            .as_ref()
            .map(|u| {
                u.iter()
                    .map(|x| format!("{x:.3}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default();
        let action = if e.action == "event" {
            format!("event: {}", e.note.clone().unwrap_or_default())
        } else {
            e.action.clone()
        };
        crate::outln!(
            "{:>5} {:>6.3}  {:<24} {:<16} {u}",
            e.round,
            e.time,
            truncate(&e.actor, 24),
            action
        );
    }
    Ok(())
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        s.chars().take(n - 1).collect::<String>() + "…"
    }
}
