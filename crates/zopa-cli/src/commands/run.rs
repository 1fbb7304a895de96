use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value as Json};
use zopa_core::analysis::{analyze, AnalysisConfig, Definitions};
use zopa_core::Scenario;
use zopa_mechanisms::runner::run_streaming;
use zopa_mechanisms::{Deadline, Protocol, RunResult, RunSpec, Spec, TraceEvent};

#[derive(clap::Args)]
pub struct Args {
    /// Scenario file or folder.
    scenario: PathBuf,
    /// Strategies, one per seated party in order (or one for all): boulware,conceder.
    #[arg(long, value_delimiter = ',', required = true)]
    negotiators: Vec<String>,
    /// sao (bilateral), stacked (multilateral), mediated (single text) or shuttle (not built
    /// yet).
    #[arg(long, default_value = "sao")]
    protocol: String,
    /// Mediator strategy for --protocol mediated (refused with the other protocols).
    #[arg(long)]
    mediator: Option<String>,
    /// When the mediated text is put to ratification: `settled` (as soon as the mediator can
    /// improve it no further) or `deadline` (it waits, and the events on the way change who
    /// ratifies).
    #[arg(long)]
    ratify: Option<String>,
    /// Seat these parties (comma-separated names); default: the scenario's negotiators.
    #[arg(long, value_delimiter = ',')]
    parties: Option<Vec<String>>,
    /// Deadline in rounds (default 100 unless --time is given).
    #[arg(long, conflicts_with = "time")]
    rounds: Option<u32>,
    /// Wall-clock deadline: 500ms, 3s, 2m (instead of --rounds).
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
            "unknown protocol `{}`; use {}",
            args.protocol,
            Protocol::list(Protocol::ALL)
        )
    })?;
    let negotiators = args
        .negotiators
        .iter()
        .map(|s| Spec::parse(s))
        .collect::<Result<Vec<_>, _>>()?;
    if args.mediator.is_some() && protocol != Protocol::Mediated {
        bail!(
            "--mediator is only used by --protocol mediated, not `{}`; drop --mediator or add --protocol mediated",
            protocol.as_str()
        );
    }
    let mediator = args.mediator.as_deref().map(Spec::parse).transpose()?;
    if args.ratify.is_some() && protocol != Protocol::Mediated {
        bail!(
            "--ratify is only used by --protocol mediated, not `{}`; drop --ratify or add --protocol mediated",
            protocol.as_str()
        );
    }
    let ratify = args.ratify.as_deref().unwrap_or("settled");
    let ratification = zopa_mechanisms::Ratification::parse(ratify)
        .with_context(|| format!("unknown --ratify `{ratify}`; use settled or deadline"))?;
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
    // The trace is streamed as it happens (to the --trace file, to stdout with --json); only
    // the lines the summary shows are kept, so memory does not grow with the rounds.
    let mut out = Output {
        scenario: &scenario,
        json: args
            .json
            .then(|| std::io::BufWriter::new(std::io::stdout())),
        json_events: 0,
        trace_path: args.trace.clone(),
        trace_file: None,
        shown: Shown::default(),
        protocol,
        seed: args.seed,
    };
    let mut result = run_streaming(&scenario, &spec, &mut |e| out.event(&e))?;
    measure(&scenario, &mut result);
    out.finish(&result)?;
    if !args.json {
        print_summary(&scenario, &result, &out.shown)?;
    }
    Ok(())
}

/// The first and last trace lines, as many as the summary shows, and how many there were.
#[derive(Default)]
struct Shown {
    head: Vec<TraceEvent>,
    tail: std::collections::VecDeque<TraceEvent>,
    /// Events and errors that fell between head and tail: never hidden in the fold.
    folded: Vec<TraceEvent>,
    total: usize,
}

/// Most events and errors listed from the folded middle of a trace.
const FOLDED_EVENTS: usize = 200;

/// Lines of the trace the text summary shows (half from the start, half from the end).
const SHOWN: usize = 40;

impl Shown {
    fn push(&mut self, e: &TraceEvent) {
        self.total += 1;
        if self.head.len() < SHOWN / 2 {
            self.head.push(e.clone());
        } else {
            if self.tail.len() == SHOWN / 2 {
                if let Some(old) = self.tail.pop_front() {
                    if matches!(old.action.as_str(), "event" | "error")
                        && self.folded.len() < FOLDED_EVENTS
                    {
                        self.folded.push(old);
                    }
                }
            }
            self.tail.push_back(e.clone());
        }
    }
}

/// Where a streamed run goes: `--json` to stdout, `--trace` to a JSONL file, the summary's lines.
struct Output<'a> {
    scenario: &'a Scenario,
    json: Option<std::io::BufWriter<std::io::Stdout>>,
    json_events: usize,
    trace_path: Option<PathBuf>,
    trace_file: Option<std::io::BufWriter<std::fs::File>>,
    shown: Shown,
    protocol: Protocol,
    seed: u64,
}

impl Output<'_> {
    /// One trace event, as it happens. A failed write ends the process at once (the run cannot
    /// be stopped from here, and a closed pipe means nobody reads the rest).
    fn event(&mut self, e: &TraceEvent) {
        if let Err(err) = self.write_event(e) {
            self.flush_quietly();
            exit_on(err);
        }
    }

    fn write_event(&mut self, e: &TraceEvent) -> Result<()> {
        self.shown.push(e);
        if self.json.is_none() && self.trace_path.is_none() {
            return Ok(());
        }
        let j = event_json(self.scenario, e);
        if let Some(path) = &self.trace_path {
            if self.trace_file.is_none() {
                let f = std::fs::File::create(path)
                    .with_context(|| format!("cannot write {}", path.display()))?;
                self.trace_file = Some(std::io::BufWriter::new(f));
            }
            let f = self.trace_file.as_mut().expect("opened above");
            writeln!(f, "{}", serde_json::to_string(&j)?)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        if self.json.is_some() {
            if self.json_events == 0 {
                self.json_head()?;
            }
            let out = self.json.as_mut().expect("checked");
            let sep = if self.json_events == 0 { "" } else { "," };
            write!(
                out,
                "{sep}\n    {}",
                indent(&serde_json::to_string_pretty(&j)?, 4)
            )?;
            self.json_events += 1;
        }
        Ok(())
    }

    /// `{`, the keys known before the run, and the opening of `"trace"`.
    fn json_head(&mut self) -> Result<()> {
        let s = self.scenario;
        let head = [
            ("protocol", json!(self.protocol.as_str())),
            (
                "parties",
                json!(s.parties.iter().map(|p| &p.name).collect::<Vec<_>>()),
            ),
            (
                "roles",
                json!(s
                    .parties
                    .iter()
                    .map(|p| p.role.as_str())
                    .collect::<Vec<_>>()),
            ),
            ("seed", json!(self.seed)),
        ];
        let out = self.json.as_mut().expect("checked");
        write!(out, "{{")?;
        for (k, v) in head {
            write!(
                out,
                "\n  {}: {},",
                json!(k),
                indent(&serde_json::to_string_pretty(&v)?, 2)
            )?;
        }
        write!(out, "\n  \"trace\": [")?;
        Ok(())
    }

    /// Closes the trace file and the JSON document (the keys known after the run).
    fn finish(&mut self, r: &RunResult) -> Result<()> {
        if let Some(mut f) = self.trace_file.take() {
            f.flush().with_context(|| {
                format!(
                    "cannot write {}",
                    self.trace_path
                        .as_deref()
                        .unwrap_or(Path::new(""))
                        .display()
                )
            })?;
        } else if let Some(path) = &self.trace_path {
            // A run without a single event still leaves its (empty) trace file.
            std::fs::File::create(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
        }
        if self.json.is_none() {
            return Ok(());
        }
        if self.json_events == 0 {
            self.json_head()?;
        }
        let tail = tail_json(self.scenario, r);
        let out = self.json.as_mut().expect("checked");
        write!(out, "{}]", if self.json_events == 0 { "" } else { "\n  " })?;
        for (k, v) in tail.as_object().expect("an object") {
            write!(
                out,
                ",\n  {}: {}",
                json!(k),
                indent(&serde_json::to_string_pretty(v)?, 2)
            )?;
        }
        writeln!(out, "\n}}")?;
        out.flush()?;
        Ok(())
    }

    fn flush_quietly(&mut self) {
        if let Some(f) = self.trace_file.as_mut() {
            let _ = f.flush();
        }
    }
}

/// Ends the process on a write error met while streaming: quietly for a closed pipe
/// (`zopa run … --json | head`), as `main` reports errors otherwise.
fn exit_on(e: anyhow::Error) -> ! {
    let closed = e
        .downcast_ref::<std::io::Error>()
        .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe);
    if closed {
        std::process::exit(0);
    }
    eprintln!("error: {e:#}");
    std::process::exit(2);
}

/// Indents every line after the first (JSON strings hold no raw newlines).
fn indent(text: &str, by: usize) -> String {
    text.replace('\n', &format!("\n{}", " ".repeat(by)))
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

/// One trace line of the `zopa run --json` contract (and of `--trace FILE.jsonl`).
pub fn event_json(scenario: &Scenario, e: &TraceEvent) -> Json {
    json!({
        "round": e.round,
        "time": e.time,
        "actor": e.actor,
        "action": e.action,
        "outcome": e.outcome.as_ref().map(|o| super::json::outcome(scenario, o)),
        "utilities": e.utilities,
        "note": e.note,
    })
}

/// The keys of the `zopa run --json` contract known only after the run (the others,
/// `protocol`, `parties`, `roles`, `seed` and `trace`, are written before and while it runs).
pub fn tail_json(scenario: &Scenario, r: &RunResult) -> Json {
    json!({
        "strategies": r.strategies,
        "end": r.end.as_str(),
        "error": match &r.end { zopa_mechanisms::End::Error(e) => Some(e.clone()), _ => None },
        "agreement": r.agreement.as_ref().map(|o| super::json::outcome(scenario, o)),
        "utilities": r.utilities,
        "payoffs": r.payoffs,
        "rounds": r.rounds,
        "time": r.time,
        "metrics": r.metrics.as_ref().map(|m| json!({
            "pareto_distance": m.pareto_distance,
            "nash_distance": m.nash_distance,
            "welfare": m.welfare,
        })),
    })
}

fn print_summary(scenario: &Scenario, r: &RunResult, shown: &Shown) -> Result<()> {
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
    // One utility column per party, headed by its name (cut to the column's width).
    let widths: Vec<usize> = r
        .parties
        .iter()
        .map(|p| p.chars().count().clamp(5, 14))
        .collect();
    let heads: Vec<String> = r
        .parties
        .iter()
        .zip(&widths)
        .map(|(p, &w)| format!("{:>w$}", truncate(p, w)))
        .collect();
    crate::outln!(
        "\n{:>5} {:>6}  {:<24} {:<16} {}",
        "round",
        "t",
        "actor",
        "action",
        heads.join(" ")
    );
    let line = |e: &TraceEvent| -> String {
        let u = e
            .utilities
            .as_ref()
            .map(|u| {
                u.iter()
                    .zip(&widths)
                    .map(|(x, &w)| format!("{x:>w$.3}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .unwrap_or_default();
        let action = if e.action == "event" {
            format!("event: {}", e.note.clone().unwrap_or_default())
        } else {
            e.action.clone()
        };
        format!(
            "{:>5} {:>6.3}  {:<24} {:<16} {u}",
            e.round,
            e.time,
            truncate(&e.actor, 24),
            action
        )
    };
    for e in &shown.head {
        crate::outln!("{}", line(e));
    }
    if shown.total > SHOWN {
        crate::outln!(
            "  … {} more lines (use --json or --trace FILE for all){} …",
            shown.total - SHOWN,
            if shown.folded.is_empty() {
                ""
            } else {
                "; the events among them:"
            }
        );
        for e in &shown.folded {
            crate::outln!("{}", line(e));
        }
        if !shown.folded.is_empty() {
            crate::outln!("  …");
        }
    }
    for e in &shown.tail {
        crate::outln!("{}", line(e));
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
