//! The simulated negotiations a report shows: shuttle diplomacy (a bargaining mediator drafting
//! the Nash point of the outside options as they are stated, the parties critiquing as
//! Boulware negotiators, so that time passes and the events on the way move the draft), delay
//! (Boulware) against conceding, with and without the scheduled events, and with stakeholders
//! seated.

use zopa_core::{Role, Scenario};
use zopa_mechanisms::{run, Deadline, Protocol, RunResult, RunSpec, Spec};

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

/// One simulated negotiation: what was run, and what came of it.
#[derive(Debug, Clone)]
pub struct Simulation {
    pub label: String,
    pub variant: Variant,
    pub spec: RunSpec,
    pub result: RunResult,
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

pub(crate) fn simulations(scenario: &Scenario) -> Vec<Simulation> {
    let negotiators = scenario.negotiators();
    let name = |i: usize| scenario.parties[i].name.clone();
    let has_events = !scenario.events.is_empty();
    let has_stakeholders = scenario.parties.iter().any(|p| p.role == Role::Stakeholder);
    let mediator = scenario
        .parties
        .iter()
        .find(|p| p.role == Role::Mediator)
        .map(|p| p.name.clone());
    let drafted = match &mediator {
        Some(m) => format!("{m} shuttles a draft (Nash point of the stated outside options)"),
        None => {
            "a mediator shuttles a draft (Nash point of the stated outside options)".to_string()
        }
    };
    let with = Variant {
        without_events: false,
        stakeholders_seated: false,
    };
    // Every simulation runs with seed 1; so are large spaces sampled.
    let cache = std::sync::Arc::new(zopa_mechanisms::outcomes::OutcomeCache::new(
        scenario.parties.len(),
        1,
    ));
    let mut plan: Vec<(String, Variant, RunSpec)> = Vec::new();
    if !negotiators.is_empty() {
        plan.push((
            drafted.clone(),
            with,
            spec(Protocol::Shuttle, &["boulware"], None, 100, &cache),
        ));
        if has_events {
            plan.push((
                format!("{drafted}, without the events"),
                Variant {
                    without_events: true,
                    ..with
                },
                spec(Protocol::Shuttle, &["boulware"], None, 100, &cache),
            ));
        }
        if has_events {
            let mut at_deadline = spec(Protocol::Shuttle, &["hill-climber"], None, 100, &cache);
            at_deadline.ratification = zopa_mechanisms::Ratification::AtDeadline;
            plan.push((
                format!("{drafted}, parties that accept any gain (hill-climbers), voted at the deadline"),
                with,
                at_deadline,
            ));
        }
        if has_stakeholders {
            plan.push((
                format!("{drafted}, stakeholders at the table"),
                Variant {
                    stakeholders_seated: true,
                    ..with
                },
                spec(Protocol::Shuttle, &["boulware"], None, 100, &cache),
            ));
        }
    }
    if negotiators.len() >= 2 {
        let (a, b) = (negotiators[0], negotiators[1]);
        let seats = Some(vec![a, b]);
        plan.push((
            format!("{} delays (Boulware), {} concedes", name(a), name(b)),
            with,
            spec(
                Protocol::Sao,
                &["boulware", "conceder"],
                seats.clone(),
                100,
                &cache,
            ),
        ));
        if has_events {
            plan.push((
                format!(
                    "{} delays (Boulware), {} concedes, without the events",
                    name(a),
                    name(b)
                ),
                Variant {
                    without_events: true,
                    ..with
                },
                spec(
                    Protocol::Sao,
                    &["boulware", "conceder"],
                    seats.clone(),
                    100,
                    &cache,
                ),
            ));
        }
        plan.push((
            format!("{} concedes, {} delays (Boulware)", name(a), name(b)),
            with,
            spec(
                Protocol::Sao,
                &["conceder", "boulware"],
                seats.clone(),
                100,
                &cache,
            ),
        ));
        plan.push((
            "both delay (Boulware against Boulware)".to_string(),
            with,
            spec(
                Protocol::Sao,
                &["boulware", "boulware"],
                seats.clone(),
                100,
                &cache,
            ),
        ));
        plan.push((
            "both concede linearly".to_string(),
            with,
            spec(Protocol::Sao, &["linear", "linear"], seats, 100, &cache),
        ));
    }
    plan.into_iter()
        .filter_map(|(label, variant, spec)| {
            let s = variant.apply(scenario);
            run(&s, &spec).ok().map(|result| Simulation {
                label,
                variant,
                spec,
                result,
            })
        })
        .collect()
}
