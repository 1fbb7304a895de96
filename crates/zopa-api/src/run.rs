//! `zopa run`: options in words → [`RunSpec`], the metrics of a finished run, and the `--json`
//! contract, written as the run goes so that a long trace costs no memory.

use std::io::Write;
use std::time::Duration;

use serde_json::{json, Value as Json};
use zopa_core::analysis::{analyze, AnalysisConfig, Definitions};
use zopa_core::Scenario;
use zopa_mechanisms::protocols::driver::{Stall, Tactics, Threat};
use zopa_mechanisms::protocols::shuttle::Candor;
use zopa_mechanisms::protocols::voting::VotingRule;
use zopa_mechanisms::registry::External;
use zopa_mechanisms::runner::run_streaming;
use zopa_mechanisms::{Deadline, Protocol, RunResult, RunSpec, Spec, TraceEvent};

use crate::json::{outcome, value};
use crate::Error;

/// Returns an [`Error::Option`] with a formatted message.
macro_rules! bail {
    ($($arg:tt)*) => {
        return Err(Error::Option(format!($($arg)*)))
    };
}

/// The options of `zopa run`, as the command line and Python give them (flags in words).
#[derive(Clone, Default)]
pub struct RunOptions {
    /// Strategies, one per seated party in order (or one for all): `boulware`,
    /// `boulware:e=0.1`, or the label of one of [`RunOptions::external`].
    pub negotiators: Vec<String>,
    /// Negotiators built outside the registry (Python objects), seated where `negotiators`
    /// names their label.
    pub external: Vec<External>,
    /// `sao`, `stacked`, `mediated` or `shuttle`; `None`: sao.
    pub protocol: Option<String>,
    pub mediator: Option<String>,
    pub ratify: Option<String>,
    pub voting: Option<String>,
    pub voters: Option<Vec<String>>,
    pub patience: Option<u32>,
    pub opening: Option<String>,
    pub critiques: Option<String>,
    pub split: bool,
    /// Run without the scenario's scheduled events.
    pub without_events: bool,
    /// `PARTY:T` each.
    pub stall: Vec<String>,
    /// `PARTY:T:SHIFT` each.
    pub threaten: Vec<String>,
    /// `PARTY:T:SHIFT` each.
    pub bluff: Vec<String>,
    /// `500ms`, `2s`.
    pub move_limit: Option<String>,
    pub parties: Option<Vec<String>>,
    /// Deadline in rounds; with neither this nor `time`: the calendar's deadline, else 100.
    pub rounds: Option<u32>,
    /// Wall-clock deadline: `500ms`, `3s`, `2m`.
    pub time: Option<String>,
    pub seed: u64,
}

fn duration(s: &str) -> Result<Duration, Error> {
    let (num, unit) = s.trim().split_at(
        s.trim()
            .find(|c: char| c.is_ascii_alphabetic())
            .unwrap_or(s.len()),
    );
    let x: f64 = num
        .parse()
        .map_err(|e| Error::Option(format!("`{s}` is not a duration like 500ms, 3s or 2m: {e}")))?;
    let secs = match unit {
        "ms" => x / 1000.0,
        "s" | "" => x,
        "m" => x * 60.0,
        _ => bail!("`{s}`: unknown unit `{unit}`; use ms, s or m"),
    };
    Ok(Duration::from_secs_f64(secs))
}

/// Options that apply to some protocols only: (flag, given?, the protocols it applies to).
fn protocol_options(args: &RunOptions) -> [(&'static str, bool, &'static [Protocol]); 8] {
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
fn party(scenario: &Scenario, name: &str) -> Result<usize, Error> {
    scenario.party_index(name.trim()).ok_or_else(|| {
        let known: Vec<&str> = scenario.parties.iter().map(|p| p.name.as_str()).collect();
        Error::Option(format!(
            "no party named `{}`; the parties are: {}",
            name.trim(),
            known.join(", ")
        ))
    })
}

/// `PARTY:T[:SHIFT]`, split from the right (party names may hold colons).
fn tactic(
    scenario: &Scenario,
    flag: &str,
    text: &str,
    parts: usize,
) -> Result<(usize, Vec<f64>), Error> {
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
            .ok_or_else(|| {
                Error::Option(format!(
                    "{flag} `{text}`: `{f}` is not a number; write {form}"
                ))
            })?;
        numbers.push(x);
    }
    if !(0.0..=1.0).contains(&numbers[0]) {
        bail!("{flag} `{text}`: T is a relative time in [0, 1]");
    }
    Ok((who, numbers))
}

impl RunOptions {
    /// The run these options ask for on `scenario`: drops the scenario's events when
    /// [`RunOptions::without_events`] says so, checks every option against the scenario and
    /// the protocol, and builds the spec. Errors name the flag and what to write.
    pub fn apply(&self, scenario: &mut Scenario) -> Result<RunSpec, Error> {
        if self.without_events {
            scenario.events.clear();
        }
        let scenario = &*scenario;
        let protocol_name = self.protocol.as_deref().unwrap_or("sao");
        let Some(protocol) = Protocol::parse(protocol_name) else {
            bail!(
                "unknown protocol `{protocol_name}`; use {}",
                Protocol::list(Protocol::ALL)
            );
        };
        let move_limit = self.move_limit.as_deref().map(duration).transpose()?;
        // `exec:COMMAND` seats a program speaking the party protocol (docs/party-protocol.md).
        let mut external = self.external.clone();
        for s in &self.negotiators {
            if let Some(command) = s.strip_prefix(zopa_party::EXEC_PREFIX) {
                zopa_party::exec::split(command)
                    .map_err(|e| Error::Option(format!("`{s}`: {e}")))?;
                if !external.iter().any(|e| &e.label == s) {
                    external.push(zopa_party::exec::external(
                        command,
                        Some(protocol.as_str()),
                        move_limit,
                    ));
                }
            }
        }
        let negotiators = self
            .negotiators
            .iter()
            .map(|s| match external.iter().find(|e| &e.label == s) {
                Some(e) => Ok(Spec {
                    name: e.label.clone(),
                    params: Vec::new(),
                }),
                None => Spec::parse(s),
            })
            .collect::<Result<Vec<_>, _>>()?;
        for (flag, given, protocols) in protocol_options(self) {
            if given && !protocols.contains(&protocol) {
                let names: Vec<&str> = protocols.iter().map(|p| p.as_str()).collect();
                bail!(
                    "{flag} is only used by --protocol {}, not `{}`; drop {flag} or change --protocol",
                    names.join(" or "),
                    protocol.as_str()
                );
            }
        }
        let mediator = self.mediator.as_deref().map(Spec::parse).transpose()?;
        let ratify = self.ratify.as_deref().unwrap_or("settled");
        let Some(ratification) = zopa_mechanisms::Ratification::parse(ratify) else {
            bail!("unknown --ratify `{ratify}`; use settled or deadline");
        };
        let voting = match &self.voting {
            None => VotingRule::Unanimity,
            Some(v) => VotingRule::parse(v, scenario).map_err(Error::Option)?,
        };
        let names = |list: &Option<Vec<String>>| -> Result<Option<Vec<usize>>, Error> {
            list.as_ref()
                .map(|names| names.iter().map(|n| party(scenario, n)).collect())
                .transpose()
        };
        let parties = names(&self.parties)?;
        let voters = names(&self.voters)?;
        let candor = match self.critiques.as_deref() {
            None => Candor::Truthful,
            Some(c) => Candor::parse(c).ok_or_else(|| {
                let all: Vec<&str> = Candor::ALL.iter().map(|c| c.as_str()).collect();
                Error::Option(format!(
                    "unknown --critiques `{c}`; use {}",
                    all.join(" or ")
                ))
            })?,
        };
        let opening = match &self.opening {
            None => None,
            Some(name) => Some(scenario.text(name).map(|t| t.outcome.clone()).ok_or_else(|| {
                Error::Option(if scenario.texts.is_empty() {
                    format!("--opening `{name}`: the scenario names no texts; add [[texts]] to it (docs/scenario-format.md)")
                } else {
                    let known: Vec<&str> = scenario.texts.iter().map(|t| t.name.as_str()).collect();
                    format!("--opening `{name}`: no text of that name; the texts are: {}", known.join(", "))
                })
            })?),
        };
        let mut tactics = Tactics::default();
        for s in &self.stall {
            let (party, t) = tactic(scenario, "--stall", s, 1)?;
            tactics.stalls.push(Stall { party, until: t[0] });
        }
        for (flag, list, bluff) in [
            ("--threaten", &self.threaten, false),
            ("--bluff", &self.bluff, true),
        ] {
            for s in list {
                let (party, t) = tactic(scenario, flag, s, 2)?;
                tactics.threats.push(Threat {
                    party,
                    at: t[0],
                    shift: t[1],
                    bluff,
                });
            }
        }
        let time = self.time.as_deref().map(duration).transpose()?;
        // Without rounds or time: the calendar's deadline, if the scenario has one, else 100.
        let rounds = match (self.rounds, time) {
            (None, None) => Some(scenario.default_rounds()),
            (r, _) => r,
        };
        Ok(RunSpec {
            ratification,
            protocol,
            negotiators,
            external,
            parties,
            mediator,
            deadline: Deadline { rounds, time },
            seed: self.seed,
            voting,
            voters,
            patience: self
                .patience
                .unwrap_or(zopa_mechanisms::runner::DEFAULT_PATIENCE),
            candor,
            opening,
            split: self.split,
            tactics,
            move_limit,
            ..Default::default()
        })
    }
}

/// Distances to the frontier and Nash point of the seated negotiators (zopa's definitions).
pub fn measure(scenario: &Scenario, result: &mut RunResult) {
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

/// Runs `spec` on `scenario` and returns the result with its metrics and the `zopa run --json`
/// document exactly as the command prints it (closing newline included).
pub fn run_json(scenario: &Scenario, spec: &RunSpec) -> Result<(RunResult, String), Error> {
    let mut stream = JsonStream::new(scenario, spec, Vec::new());
    let mut failed = None;
    let mut result = run_streaming(scenario, spec, &mut |e| {
        if failed.is_none() {
            failed = stream.event(&e).err();
        }
    })?;
    measure(scenario, &mut result);
    let bytes = match failed {
        Some(e) => Err(e),
        None => stream.finish(&result),
    }
    .expect("writing to memory does not fail");
    let text = String::from_utf8(bytes).expect("serde_json writes UTF-8");
    Ok((result, text))
}

/// The `zopa run --json` document, written as the run goes: the keys known before it
/// (`protocol`, `parties`, `roles`, `seed`), each trace event as it happens, the keys known
/// after it. The bytes equal `serde_json::to_string_pretty` of the whole document plus a
/// newline.
pub struct JsonStream<'s, W: Write> {
    scenario: &'s Scenario,
    out: W,
    events: usize,
    protocol: Protocol,
    seed: u64,
}

impl<'s, W: Write> JsonStream<'s, W> {
    pub fn new(scenario: &'s Scenario, spec: &RunSpec, out: W) -> JsonStream<'s, W> {
        JsonStream {
            scenario,
            out,
            events: 0,
            protocol: spec.protocol,
            seed: spec.seed,
        }
    }

    /// One trace event.
    pub fn event(&mut self, e: &TraceEvent) -> std::io::Result<()> {
        self.event_json(&event_json(self.scenario, e))
    }

    /// One trace event already rendered by [`event_json`].
    pub fn event_json(&mut self, j: &Json) -> std::io::Result<()> {
        if self.events == 0 {
            self.head()?;
        }
        let sep = if self.events == 0 { "" } else { "," };
        write!(
            self.out,
            "{sep}\n    {}",
            indent(&serde_json::to_string_pretty(j)?, 4)
        )?;
        self.events += 1;
        Ok(())
    }

    /// `{`, the keys known before the run, and the opening of `"trace"`.
    fn head(&mut self) -> std::io::Result<()> {
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
        write!(self.out, "{{")?;
        for (k, v) in head {
            write!(
                self.out,
                "\n  {}: {},",
                json!(k),
                indent(&serde_json::to_string_pretty(&v)?, 2)
            )?;
        }
        write!(self.out, "\n  \"trace\": [")?;
        Ok(())
    }

    /// Closes the document with the keys known after the run; returns the writer, flushed.
    pub fn finish(mut self, r: &RunResult) -> std::io::Result<W> {
        if self.events == 0 {
            self.head()?;
        }
        let tail = tail_json(self.scenario, r);
        write!(self.out, "{}]", if self.events == 0 { "" } else { "\n  " })?;
        for (k, v) in tail.as_object().expect("an object") {
            write!(
                self.out,
                ",\n  {}: {}",
                json!(k),
                indent(&serde_json::to_string_pretty(v)?, 2)
            )?;
        }
        writeln!(self.out, "\n}}")?;
        self.out.flush()?;
        Ok(self.out)
    }
}

/// Indents every line after the first (JSON strings hold no raw newlines).
fn indent(text: &str, by: usize) -> String {
    text.replace('\n', &format!("\n{}", " ".repeat(by)))
}

/// One trace line of the `zopa run --json` contract (and of `--trace FILE.jsonl`).
pub fn event_json(scenario: &Scenario, e: &TraceEvent) -> Json {
    json!({
        "round": e.round,
        "time": e.time,
        "actor": e.actor,
        "action": e.action.as_str(),
        "outcome": e.outcome.as_ref().map(|o| outcome(scenario, o)),
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
        "agreement": r.agreement.as_ref().map(|o| outcome(scenario, o)),
        "partial_agreement": r.partial.as_ref().map(|p| {
            p.iter()
                .enumerate()
                .map(|(i, v)| {
                    let value = v.map_or(Json::Null, |v| value(scenario, i, v));
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
        "opponent_models": r.opponent_models.iter().map(|a| a.as_ref().map(model_accuracy_json)).collect::<Vec<_>>(),
    })
}

/// How well one party's opponent model predicted its opponent (`opponent_models` in
/// `zopa run --json`; zopa-mechanisms' `accuracy` module says how each number is defined).
pub fn model_accuracy_json(a: &zopa_mechanisms::accuracy::ModelAccuracy) -> Json {
    json!({
        "model": a.model,
        "outcomes": a.outcomes,
        "sampled": a.sampled,
        "rmse": a.rmse,
        "kendall_tau": a.kendall_tau,
        "spearman": a.spearman,
        "kendall_optimality": a.kendall_optimality,
    })
}
