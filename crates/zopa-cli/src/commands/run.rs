use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use zopa_api::run::{event_json, JsonStream, RunOptions};
use zopa_core::analysis::Definitions;
use zopa_core::Scenario;
use zopa_mechanisms::runner::run_streaming;
use zopa_mechanisms::{RunResult, TraceAction, TraceEvent};

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

pub fn run(args: Args) -> Result<()> {
    let mut scenario = super::load(&args.scenario, args.definitions)?;
    let options = RunOptions {
        negotiators: args.negotiators,
        external: Vec::new(),
        protocol: Some(args.protocol),
        mediator: args.mediator,
        ratify: args.ratify,
        voting: args.voting,
        voters: args.voters,
        patience: args.patience,
        opening: args.opening,
        critiques: args.critiques,
        split: args.split,
        without_events: args.without_events,
        stall: args.stall,
        threaten: args.threaten,
        bluff: args.bluff,
        move_limit: args.move_limit,
        parties: args.parties,
        rounds: args.rounds,
        time: args.time,
        seed: args.seed,
    };
    let spec = options.apply(&mut scenario)?;
    let scenario = scenario;
    // The trace is streamed as it happens (to the --trace file, to stdout with --json); only
    // the lines the summary shows are kept, so memory does not grow with the rounds.
    let mut out = Output {
        scenario: &scenario,
        json: args
            .json
            .then(|| JsonStream::new(&scenario, &spec, std::io::BufWriter::new(std::io::stdout()))),
        trace_path: args.trace.clone(),
        trace_file: None,
        shown: Shown::default(),
    };
    let mut result = run_streaming(&scenario, &spec, &mut |e| out.event(&e))?;
    zopa_api::run::measure(&scenario, &mut result);
    out.finish(&result)?;
    if !args.json {
        print_summary(&scenario, &result, &out.shown)?;
    }
    match &result.end {
        // Printed in full above (or in the JSON); the exit code tells scripts.
        zopa_mechanisms::End::Error(why) => Err(super::NegotiationFailed(why.clone()).into()),
        _ => Ok(()),
    }
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
    json: Option<JsonStream<'a, std::io::BufWriter<std::io::Stdout>>>,
    trace_path: Option<PathBuf>,
    trace_file: Option<std::io::BufWriter<std::fs::File>>,
    shown: Shown,
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
        if let Some(json) = self.json.as_mut() {
            json.event_json(&j)?;
        }
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
        if let Some(json) = self.json.take() {
            json.finish(r)?;
        }
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
    for (party, a) in r
        .parties
        .iter()
        .zip(&r.opponent_models)
        .filter_map(|(p, a)| Some((p, a.as_ref()?)))
    {
        crate::outln!(
            "model      {party}'s {} model of its opponent: RMSE {:.4}, Kendall τ {:.4}, Spearman ρ {:.4}, Kendall optimality {:.4} ({} {} outcomes)",
            a.model,
            a.rmse,
            a.kendall_tau,
            a.spearman,
            a.kendall_optimality,
            if a.sampled { "over a sample of" } else { "over all" },
            a.outcomes
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
