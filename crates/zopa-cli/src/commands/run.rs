use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{bail, Context, Result};
use serde_json::{json, Value as Json};
use zopa_core::analysis::{analyze, AnalysisConfig, Definitions};
use zopa_core::Scenario;
use zopa_mechanisms::protocols::driver::{Stall, Tactics, Threat};
use zopa_mechanisms::protocols::shuttle::Candor;
use zopa_mechanisms::protocols::voting::VotingRule;
use zopa_mechanisms::runner::run_streaming;
use zopa_mechanisms::{Deadline, Protocol, RunResult, RunSpec, Spec, TraceAction, TraceEvent};

#[derive(clap::Args)]
pub struct Args {
    /// Scenario file or folder.
    scenario: PathBuf,
    /// Strategies, one per seated party in order (or one for all): boulware,conceder.
    #[arg(long, value_delimiter = ',', required = true)]
    negotiators: Vec<String>,
    /// sao (bilateral), stacked (multilateral), mediated (single text, open votes) or shuttle
    /// (the mediator visits the parties one at a time).
    #[arg(long, default_value = "sao")]
    protocol: String,
    /// Mediator strategy for --protocol mediated or shuttle (see `zopa strategies`).
    #[arg(long)]
    mediator: Option<String>,
    /// When the single text goes to the final vote: `settled` (as soon as the mediator can
    /// improve it no further) or `deadline` (it waits, and the events on the way change who
    /// ratifies).
    #[arg(long)]
    ratify: Option<String>,
    /// Which votes carry a text: unanimity (default), majority, qualified:K, veto:K:A+B.
    #[arg(long)]
    voting: Option<String>,
    /// Who votes (comma-separated names); default: the seated negotiators and the veto holders.
    /// A seated party that does not vote is consulted only.
    #[arg(long, value_delimiter = ',')]
    voters: Option<Vec<String>>,
    /// Shuttle: rounds without an accepted change before the mediator calls the vote.
    #[arg(long)]
    patience: Option<u32>,
    /// Shuttle: open with this named text of the scenario (`[[texts]]`) instead of the
    /// mediator's own first draft.
    #[arg(long)]
    opening: Option<String>,
    /// Shuttle: `truthful` or `strategic` critiques.
    #[arg(long)]
    critiques: Option<String>,
    /// Shuttle: when the package fails the final vote, vote on each issue separately and sign
    /// the issues carried (a partial agreement).
    #[arg(long)]
    split: bool,
    /// Run without the scenario's scheduled events (to see what they change).
    #[arg(long)]
    without_events: bool,
    /// PARTY:T — the party stalls until relative time T (repeatable).
    #[arg(long)]
    stall: Vec<String>,
    /// PARTY:T:SHIFT — at relative time T the party commits to an outside option moved by
    /// SHIFT (repeatable).
    #[arg(long)]
    threaten: Vec<String>,
    /// PARTY:T:SHIFT — as --threaten, but a bluff: only its stated outside option moves.
    #[arg(long)]
    bluff: Vec<String>,
    /// Longest one move may take (500ms, 2s); a party that overruns ends its negotiation.
    #[arg(long)]
    move_limit: Option<String>,
    /// Seat these parties (comma-separated names); default: the scenario's negotiators.
    #[arg(long, value_delimiter = ',')]
    parties: Option<Vec<String>>,
    /// Deadline in rounds (default: the scenario calendar's deadline, else 100, unless --time
    /// is given).
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

/// Options that apply to some protocols only: (flag, given?, the protocols it applies to).
fn protocol_options(args: &Args) -> [(&'static str, bool, &'static [Protocol]); 8] {
    const SINGLE_TEXT: &[Protocol] = &[Protocol::Mediated, Protocol::Shuttle];
    const SHUTTLE: &[Protocol] = &[Protocol::Shuttle];
    [
        ("--mediator", args.mediator.is_some(), SINGLE_TEXT),
        ("--ratify", args.ratify.is_some(), SINGLE_TEXT),
        ("--voting", args.voting.is_some(), SINGLE_TEXT),
        ("--voters", args.voters.is_some(), SINGLE_TEXT),
        ("--patience", args.patience.is_some(), SHUTTLE),
        ("--critiques", args.critiques.is_some(), SHUTTLE),
        ("--split", args.split, SHUTTLE),
        ("--opening", args.opening.is_some(), SHUTTLE),
    ]
}

/// A party by name, or an error listing the parties.
fn party(scenario: &Scenario, name: &str) -> Result<usize> {
    scenario.party_index(name.trim()).with_context(|| {
        let known: Vec<&str> = scenario.parties.iter().map(|p| p.name.as_str()).collect();
        format!(
            "no party named `{}`; the parties are: {}",
            name.trim(),
            known.join(", ")
        )
    })
}

/// `PARTY:T[:SHIFT]`, split from the right (party names may hold colons).
fn tactic(scenario: &Scenario, flag: &str, text: &str, parts: usize) -> Result<(usize, Vec<f64>)> {
    let form = if parts == 1 {
        "PARTY:T"
    } else {
        "PARTY:T:SHIFT"
    };
    let mut fields: Vec<&str> = text.rsplitn(parts + 1, ':').collect();
    if fields.len() != parts + 1 {
        bail!(
            "{flag} `{text}`: write {form}, e.g. Russia:0.5{}",
            if parts == 1 { "" } else { ":0.1" }
        );
    }
    fields.reverse();
    let who = party(scenario, fields[0])?;
    let mut numbers = Vec::new();
    for f in &fields[1..] {
        let x: f64 = f
            .trim()
            .parse()
            .ok()
            .filter(|x: &f64| x.is_finite())
            .with_context(|| format!("{flag} `{text}`: `{f}` is not a number; write {form}"))?;
        numbers.push(x);
    }
    if !(0.0..=1.0).contains(&numbers[0]) {
        bail!("{flag} `{text}`: T is a relative time in [0, 1]");
    }
    Ok((who, numbers))
}

pub fn run(args: Args) -> Result<()> {
    let mut scenario = super::load(&args.scenario, args.definitions)?;
    if args.without_events {
        scenario.events.clear();
    }
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
    for (flag, given, protocols) in protocol_options(&args) {
        if given && !protocols.contains(&protocol) {
            let names: Vec<&str> = protocols.iter().map(|p| p.as_str()).collect();
            bail!(
                "{flag} is only used by --protocol {}, not `{}`; drop {flag} or change --protocol",
                names.join(" or "),
                protocol.as_str()
            );
        }
    }
    let mediator = args.mediator.as_deref().map(Spec::parse).transpose()?;
    let ratify = args.ratify.as_deref().unwrap_or("settled");
    let ratification = zopa_mechanisms::Ratification::parse(ratify)
        .with_context(|| format!("unknown --ratify `{ratify}`; use settled or deadline"))?;
    let voting = match &args.voting {
        None => VotingRule::Unanimity,
        Some(v) => VotingRule::parse(v, &scenario).map_err(anyhow::Error::msg)?,
    };
    let names = |list: &Option<Vec<String>>| -> Result<Option<Vec<usize>>> {
        list.as_ref()
            .map(|names| names.iter().map(|n| party(&scenario, n)).collect())
            .transpose()
    };
    let parties = names(&args.parties)?;
    let voters = names(&args.voters)?;
    let candor = match args.critiques.as_deref() {
        None => Candor::Truthful,
        Some(c) => Candor::parse(c).with_context(|| {
            let all: Vec<&str> = Candor::ALL.iter().map(|c| c.as_str()).collect();
            format!("unknown --critiques `{c}`; use {}", all.join(" or "))
        })?,
    };
    let opening = match &args.opening {
        None => None,
        Some(name) => Some(
            scenario
                .text(name)
                .map(|t| t.outcome.clone())
                .with_context(|| {
                    if scenario.texts.is_empty() {
                        format!("--opening `{name}`: the scenario names no texts; add [[texts]] to it (docs/scenario-format.md)")
                    } else {
                        let known: Vec<&str> = scenario.texts.iter().map(|t| t.name.as_str()).collect();
                        format!("--opening `{name}`: no text of that name; the texts are: {}", known.join(", "))
                    }
                })?,
        ),
    };
    let mut tactics = Tactics::default();
    for s in &args.stall {
        let (party, t) = tactic(&scenario, "--stall", s, 1)?;
        tactics.stalls.push(Stall { party, until: t[0] });
    }
    for (flag, list, bluff) in [
        ("--threaten", &args.threaten, false),
        ("--bluff", &args.bluff, true),
    ] {
        for s in list {
            let (party, t) = tactic(&scenario, flag, s, 2)?;
            tactics.threats.push(Threat {
                party,
                at: t[0],
                shift: t[1],
                bluff,
            });
        }
    }
    let time = args.time.as_deref().map(duration).transpose()?;
    // Without --rounds or --time: the calendar's deadline, if the scenario has one, else 100.
    let rounds = match (args.rounds, time) {
        (None, None) => Some(scenario.default_rounds()),
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
        voting,
        voters,
        patience: args
            .patience
            .unwrap_or(zopa_mechanisms::runner::DEFAULT_PATIENCE),
        candor,
        opening,
        split: args.split,
        tactics,
        move_limit: args.move_limit.as_deref().map(duration).transpose()?,
        ..Default::default()
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
                    if matches!(
                        old.action,
                        TraceAction::Event
                            | TraceAction::EventEnds
                            | TraceAction::Threat
                            | TraceAction::Error
                    ) && self.folded.len() < FOLDED_EVENTS
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
        "action": e.action.as_str(),
        "outcome": e.outcome.as_ref().map(|o| super::json::outcome(scenario, o)),
        "utilities": e.utilities,
        "note": e.note,
        "audience": e.audience.as_str(),
        "date": scenario
            .calendar
            .as_ref()
            .and_then(|c| c.date_of(e.round))
            .map(|d| d.to_string()),
        "seen_by": e.seen_by.map(|p| &scenario.parties[p].name),
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
        "partial_agreement": r.partial.as_ref().map(|p| {
            p.iter()
                .enumerate()
                .map(|(i, v)| {
                    let value = v.map_or(Json::Null, |v| super::json::value(scenario, i, v));
                    (scenario.issues[i].name.clone(), value)
                })
                .collect::<serde_json::Map<_, _>>()
        }),
        "utilities": r.utilities,
        "payoffs": r.payoffs,
        "rounds": r.rounds,
        "time": r.time,
        "blame": r.blame.iter().map(|b| json!({
            "party": scenario.parties[b.party].name,
            "round": b.round,
            "utility": b.utility,
            "outside_option": b.outside_option,
        })).collect::<Vec<_>>(),
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
    if let Some(c) = &scenario.calendar {
        crate::outln!("calendar   {c}");
    }
    match &r.end {
        zopa_mechanisms::End::Error(e) => crate::outln!("end        error: {e}"),
        e => crate::outln!(
            "end        {} after {} round{} (t = {:.3})",
            e.as_str(),
            r.rounds,
            if r.rounds == 1 { "" } else { "s" },
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
    if let Some(p) = &r.partial {
        let deal: Vec<String> = scenario
            .issues
            .iter()
            .zip(p)
            .map(|(issue, v)| match v {
                Some(v) => format!("{} = {}", issue.name, issue.display(*v)),
                None => format!("{} = (none)", issue.name),
            })
            .collect();
        crate::outln!("partial    {}", deal.join("; "));
    }
    let us: Vec<String> = r
        .parties
        .iter()
        .zip(&r.utilities)
        .map(|(p, u)| format!("{p} {u:.4}"))
        .collect();
    crate::outln!("utilities  {}", us.join(", "));
    for b in &r.blame {
        crate::outln!(
            "blame      {} turned down a text worth {:.4} to it in round {}, above its outside option {:.4}",
            scenario.parties[b.party].name,
            b.utility,
            b.round,
            b.outside_option
        );
    }
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
        // A line without utilities (an event, a threat) says its note in the action column;
        // the others after their utilities (a critique's changes, a vote's yes or no). A
        // private line says who saw it.
        let note = e.note.as_deref().unwrap_or_default();
        let (action, tail) = match (&e.utilities, note) {
            (_, "") => (e.action.to_string(), String::new()),
            (None, n) => (format!("{}: {n}", e.action), String::new()),
            (Some(_), n) => (e.action.to_string(), format!("  {n}")),
        };
        let action = match e.seen_by {
            Some(p) => format!("{action} → {}", scenario.parties[p].name),
            None => action,
        };
        format!(
            "{:>5} {:>6.3}  {:<24} {:<16} {u}{tail}",
            e.round,
            e.time,
            truncate(&e.actor, 24),
            action
        )
        .trim_end()
        .to_string()
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
                "; the events and threats among them:"
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
