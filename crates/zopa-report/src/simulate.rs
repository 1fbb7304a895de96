//! The simulated negotiations a report shows, and their distributions.
//!
//! Each *setting* is one way the talks could be run: shuttle diplomacy (a bargaining mediator
//! drafting the Nash point of the outside options as they are stated; the parties critique as
//! Boulware negotiators, so time passes and the events on the way move the draft), with one
//! factor changed at a time — without the events, with a negotiator stalling or bluffing, with
//! the stakeholders consulted or voting —, and alternating offers between delay and
//! concession. A setting's *sample run* (seed 1) is shown with its trace and can be replayed
//! with `zopa run`; its *distribution* runs it over several seeds and, for the single-text
//! protocols, several mediators, and gives each party's median and range, the agreement rate and
//! who was blamed when talks failed.

use zopa_core::{Role, Scenario};
use zopa_mechanisms::protocols::driver::{Stall, Tactics, Threat};
use zopa_mechanisms::protocols::shuttle::Candor;
use zopa_mechanisms::{run, Deadline, End, Protocol, RunResult, RunSpec, Spec};

/// How a simulation's scenario differs from the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Variant {
    /// The scheduled events are removed.
    pub without_events: bool,
    /// Stakeholders sit at the table (as negotiators / voters).
    pub stakeholders_seated: bool,
}

impl Variant {
    /// The scenario this variant runs on.
    pub fn apply(self, scenario: &Scenario) -> Scenario {
        let mut s = scenario.clone();
        if self.without_events {
            s.events.clear();
        }
        if self.stakeholders_seated {
            for p in &mut s.parties {
                if p.role == Role::Stakeholder {
                    p.role = Role::Negotiator;
                }
            }
        }
        s
    }
}

/// One setting: what was run (its sample run, seed 1), and what came of it over many runs.
#[derive(Debug, Clone)]
pub struct Simulation {
    pub label: String,
    pub variant: Variant,
    pub spec: RunSpec,
    pub result: RunResult,
    /// The setting this one differs from in one factor, and that factor in words.
    pub compared: Option<(usize, String)>,
    pub distribution: Distribution,
}

impl Simulation {
    /// The `zopa run` command that replays the sample run (`SCENARIO` stands for the file).
    pub fn command(&self, scenario: &Scenario) -> String {
        let name = |p: usize| {
            let n = &scenario.parties[p].name;
            if n.contains(' ') {
                format!("\"{n}\"")
            } else {
                n.clone()
            }
        };
        let spec = &self.spec;
        let mut c = format!("zopa run SCENARIO --protocol {}", spec.protocol);
        let strategies: Vec<String> = spec.negotiators.iter().map(|s| s.label()).collect();
        c += &format!(" --negotiators {}", strategies.join(","));
        if let Some(m) = &spec.mediator {
            c += &format!(" --mediator {}", m.label());
        }
        let stakeholders: Vec<usize> = (0..scenario.parties.len())
            .filter(|&i| scenario.parties[i].role == Role::Stakeholder)
            .collect();
        let seated: Option<Vec<usize>> = match (&spec.parties, self.variant.stakeholders_seated) {
            (Some(p), _) => Some(p.clone()),
            (None, true) => Some(
                scenario
                    .negotiators()
                    .into_iter()
                    .chain(stakeholders)
                    .collect(),
            ),
            (None, false) => None,
        };
        if let Some(p) = &seated {
            let names: Vec<String> = p.iter().map(|&i| name(i)).collect();
            c += &format!(" --parties {}", names.join(","));
            if self.variant.stakeholders_seated {
                c += &format!(" --voters {}", names.join(","));
            }
        }
        if let Some(r) = spec.deadline.rounds {
            c += &format!(" --rounds {r}");
        }
        if let Some(o) = &spec.opening {
            if let Some(t) = scenario.texts.iter().find(|t| &t.outcome == o) {
                c += &format!(" --opening \"{}\"", t.name);
            }
        }
        if spec.ratification == zopa_mechanisms::Ratification::AtDeadline {
            c += " --ratify deadline";
        }
        if spec.candor == Candor::Strategic {
            c += " --critiques strategic";
        }
        for st in &spec.tactics.stalls {
            c += &format!(" --stall {}:{}", name(st.party), st.until);
        }
        for t in &spec.tactics.threats {
            let flag = if t.bluff { "--bluff" } else { "--threaten" };
            c += &format!(" {flag} {}:{}:{}", name(t.party), t.at, t.shift);
        }
        if self.variant.without_events {
            c += " --without-events";
        }
        c + &format!(" --seed {}", spec.seed)
    }
}

/// A setting over several seeds (and mediators, for the single-text protocols).
#[derive(Debug, Clone, PartialEq)]
pub struct Distribution {
    /// The mediators it was run with (empty for alternating offers).
    pub mediators: Vec<String>,
    pub seeds: Vec<u64>,
    pub runs: usize,
    pub agreements: usize,
    /// Per party of the scenario: median, lowest and highest utility over the runs (empty
    /// when no run could be made).
    pub median: Vec<f64>,
    pub low: Vec<f64>,
    pub high: Vec<f64>,
    /// Per party of the scenario: in how many failed runs it turned down a text better for it
    /// than its outside option.
    pub blamed: Vec<usize>,
    /// Median number of rounds the runs took (0 without runs).
    pub median_rounds: f64,
}

/// The mediators a single-text setting's distribution runs with: the bargaining mediator
/// drafting the Nash point and the Kalai–Smorodinsky point of the stated outside options.
/// (The hill-climbing mediator is left out: on shuttle routes it reached an impasse in every
/// run on the flagship, which made every comparison of agreement rates about it.)
pub const MEDIATORS: &[&str] = &["bargaining", "bargaining:point=kalai"];

/// The seeds of every distribution.
pub const SEEDS: &[u64] = &[1, 2, 3, 4, 5];

/// The median of `xs` (the mean of the middle two when even); `xs` is not empty.
pub fn median(xs: &mut [f64]) -> f64 {
    xs.sort_by(f64::total_cmp);
    let n = xs.len();
    if n % 2 == 1 {
        xs[n / 2]
    } else {
        (xs[n / 2 - 1] + xs[n / 2]) / 2.0
    }
}

impl Distribution {
    /// Runs `spec` on `scenario` over [`SEEDS`] (and [`MEDIATORS`] when it has a mediator).
    pub fn of(scenario: &Scenario, spec: &RunSpec) -> Distribution {
        // Every single-text setting runs with every mediator of [`MEDIATORS`]; a setting about a
        // mediator's parameter (`biased=true`) runs each with that parameter, so that settings
        // compared side by side differ in that one factor only.
        let mediators: Vec<String> = match (spec.protocol, &spec.mediator) {
            (Protocol::Mediated | Protocol::Shuttle, m) => MEDIATORS
                .iter()
                .map(|base| {
                    let mut one = Spec::parse(base).expect("built-in mediator");
                    for (k, v) in m.iter().flat_map(|m| m.params.iter()) {
                        if !one.params.iter().any(|(key, _)| key == k) {
                            one.params.push((k.clone(), v.clone()));
                        }
                    }
                    one.label()
                })
                .collect(),
            _ => Vec::new(),
        };
        let mut specs: Vec<RunSpec> = Vec::new();
        for &seed in SEEDS {
            let mut one = spec.clone();
            one.seed = seed;
            one.record_trace = false;
            if mediators.is_empty() {
                specs.push(one);
            } else {
                for m in &mediators {
                    one.mediator = Some(Spec::parse(m).expect("built-in mediator"));
                    specs.push(one.clone());
                }
            }
        }
        // In parallel; collected in order, so the distribution is the same on any thread count.
        use rayon::prelude::*;
        let results: Vec<RunResult> = specs
            .par_iter()
            .filter_map(|one| run(scenario, one).ok())
            .collect();
        // No run at all (every one refused): empty columns, which the page shows as such.
        let n = if results.is_empty() {
            0
        } else {
            scenario.parties.len()
        };
        let column = |i: usize| -> Vec<f64> { results.iter().map(|r| r.utilities[i]).collect() };
        let mut median_ = Vec::with_capacity(n);
        let (mut low, mut high) = (Vec::with_capacity(n), Vec::with_capacity(n));
        for i in 0..n {
            let mut c = column(i);
            low.push(c.iter().copied().fold(f64::INFINITY, f64::min));
            high.push(c.iter().copied().fold(f64::NEG_INFINITY, f64::max));
            median_.push(median(&mut c));
        }
        let mut blamed = vec![0; scenario.parties.len()];
        for r in &results {
            for b in &r.blame {
                blamed[b.party] += 1;
            }
        }
        let mut rounds: Vec<f64> = results.iter().map(|r| f64::from(r.rounds)).collect();
        let median_rounds = if rounds.is_empty() {
            0.0
        } else {
            median(&mut rounds)
        };
        Distribution {
            median_rounds,
            mediators,
            seeds: SEEDS.to_vec(),
            runs: results.len(),
            agreements: results
                .iter()
                .filter(|r| matches!(r.end, End::Agreement | End::Partial))
                .count(),
            median: median_,
            low,
            high,
            blamed,
        }
    }
}

fn spec(
    protocol: Protocol,
    negotiators: &[&str],
    parties: Option<Vec<usize>>,
    rounds: u32,
    cache: &std::sync::Arc<zopa_mechanisms::outcomes::OutcomeCache>,
) -> RunSpec {
    RunSpec {
        ratification: Default::default(),
        protocol,
        negotiators: negotiators
            .iter()
            .map(|n| Spec::parse(n).expect("built-in spec"))
            .collect(),
        parties,
        mediator: (protocol == Protocol::Shuttle)
            .then(|| Spec::parse("bargaining").expect("built-in spec")),
        deadline: Deadline::rounds(rounds),
        seed: 1,
        // Rankings depend on issues and utilities only, which no variant changes.
        cache: Some(std::sync::Arc::clone(cache)),
        record_trace: true,
        ..Default::default()
    }
}

/// One planned setting: its label, the variant, the spec, and what it is compared with.
struct Planned {
    label: String,
    variant: Variant,
    spec: RunSpec,
    compared: Option<(usize, String)>,
}

pub(crate) fn simulations(scenario: &Scenario) -> Vec<Simulation> {
    let negotiators = scenario.negotiators();
    let name = |i: usize| scenario.parties[i].name.clone();
    let has_events = !scenario.events.is_empty();
    let stakeholders: Vec<usize> = (0..scenario.parties.len())
        .filter(|&i| scenario.parties[i].role == Role::Stakeholder)
        .collect();
    let mediator = scenario
        .parties
        .iter()
        .find(|p| p.role == Role::Mediator)
        .map(|p| p.name.clone());
    let from = scenario
        .texts_in_date_order()
        .first()
        .map(|&t| format!(", opening from the {}", scenario.texts[t].name))
        .unwrap_or_default();
    let drafted = match &mediator {
        Some(m) => format!("{m} shuttles a draft (Nash point of the stated outside options){from}"),
        None => {
            format!("a mediator shuttles a draft (Nash point of the stated outside options){from}")
        }
    };
    let with = Variant {
        without_events: false,
        stakeholders_seated: false,
    };
    // Every simulation runs with seed 1 (and the bidding orders of large hyper-rectangle
    // spaces are sampled from it).
    let cache = std::sync::Arc::new(zopa_mechanisms::outcomes::OutcomeCache::new(
        scenario.parties.len(),
        1,
    ));
    // The calendar's deadline, when the scenario has one: the shuttle's final vote is then, on
    // the outside options of that day.
    let deadline = scenario.calendar.as_ref().and_then(|c| c.rounds());
    let rounds = deadline.unwrap_or(100);
    let mut plan: Vec<Planned> = Vec::new();
    let mut add = |label: String, variant, spec, compared: Option<(usize, &str)>| {
        plan.push(Planned {
            label,
            variant,
            spec,
            compared: compared.map(|(k, f)| (k, f.to_string())),
        });
        plan.len() - 1
    };
    if !negotiators.is_empty() {
        let mut shuttle = spec(Protocol::Shuttle, &["boulware"], None, rounds, &cache);
        if deadline.is_some() {
            shuttle.ratification = zopa_mechanisms::Ratification::AtDeadline;
        }
        // The talks open from the scenario's first real draft, when it names one.
        let opening = scenario
            .texts_in_date_order()
            .first()
            .map(|&t| scenario.texts[t].clone());
        if let Some(t) = &opening {
            shuttle.opening = Some(t.outcome.clone());
        }
        let base = add(drafted.clone(), with, shuttle.clone(), None);
        if has_events {
            add(
                format!("{drafted}, without the events"),
                Variant {
                    without_events: true,
                    ..with
                },
                shuttle.clone(),
                Some((base, "removing the scheduled events (shuttle)")),
            );
        }
        if mediator.is_some() {
            let biased = RunSpec {
                mediator: Some(Spec::parse("bargaining:biased=true").expect("built-in spec")),
                ..shuttle.clone()
            };
            add(
                format!("{drafted}, the mediator counting its own stake (biased)"),
                with,
                biased,
                Some((base, "a mediator that counts its own stake")),
            );
        }
        let first = negotiators[0];
        let stalled = RunSpec {
            tactics: Tactics {
                stalls: vec![Stall {
                    party: first,
                    until: 0.5,
                }],
                ..Default::default()
            },
            ..shuttle.clone()
        };
        add(
            format!(
                "{drafted}, {} stalls until halfway to the deadline",
                name(first)
            ),
            with,
            stalled,
            Some((base, &format!("a stall by {} until halfway", name(first)))),
        );
        let bluff = RunSpec {
            tactics: Tactics {
                threats: vec![Threat {
                    party: first,
                    at: 0.3,
                    shift: 0.1,
                    bluff: true,
                }],
                ..Default::default()
            },
            candor: Candor::Strategic,
            ..shuttle.clone()
        };
        add(
            format!(
                "{drafted}, {} bluffs at t = 0.3 that its outside option is 0.1 higher (strategic critiques)",
                name(first)
            ),
            with,
            bluff,
            Some((base, &format!("a bluffed threat by {}", name(first)))),
        );
        if !stakeholders.is_empty() {
            let consulted = RunSpec {
                parties: Some(negotiators.iter().chain(&stakeholders).copied().collect()),
                ..shuttle.clone()
            };
            add(
                format!("{drafted}, stakeholders consulted (no vote)"),
                with,
                consulted,
                Some((base, "consulting the stakeholders")),
            );
            add(
                format!("{drafted}, stakeholders at the table with a vote"),
                Variant {
                    stakeholders_seated: true,
                    ..with
                },
                shuttle.clone(),
                Some((base, "seating the stakeholders with a vote")),
            );
        }
    }
    if negotiators.len() >= 2 {
        let (a, b) = (negotiators[0], negotiators[1]);
        let seats = Some(vec![a, b]);
        let sao = |x: &str, y: &str| spec(Protocol::Sao, &[x, y], seats.clone(), rounds, &cache);
        let delays = add(
            format!("{} delays (Boulware), {} concedes", name(a), name(b)),
            with,
            sao("boulware", "conceder"),
            None,
        );
        if has_events {
            add(
                format!(
                    "{} delays (Boulware), {} concedes, without the events",
                    name(a),
                    name(b)
                ),
                Variant {
                    without_events: true,
                    ..with
                },
                sao("boulware", "conceder"),
                Some((delays, "removing the scheduled events (alternating offers)")),
            );
        }
        add(
            format!("{} concedes, {} delays (Boulware)", name(a), name(b)),
            with,
            sao("conceder", "boulware"),
            Some((delays, "swapping who delays and who concedes")),
        );
        add(
            "both delay (Boulware against Boulware)".to_string(),
            with,
            sao("boulware", "boulware"),
            None,
        );
        add(
            "both concede linearly".to_string(),
            with,
            sao("linear", "linear"),
            None,
        );
    }
    // A setting that cannot run (a scenario the protocol refuses) is left out, and so is any
    // comparison with it.
    let mut kept: Vec<Option<usize>> = Vec::with_capacity(plan.len());
    let mut out: Vec<Simulation> = Vec::new();
    for p in plan {
        let s = p.variant.apply(scenario);
        let Ok(result) = run(&s, &p.spec) else {
            kept.push(None);
            continue;
        };
        kept.push(Some(out.len()));
        let distribution = Distribution::of(&s, &p.spec);
        let compared = p
            .compared
            .and_then(|(k, factor)| kept[k].map(|k| (k, factor)));
        out.push(Simulation {
            label: p.label,
            variant: p.variant,
            spec: p.spec,
            result,
            compared,
            distribution,
        });
    }
    out
}
