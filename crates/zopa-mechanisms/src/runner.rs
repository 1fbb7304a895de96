//! One negotiation from names: which protocol, which strategies in which seats, the deadline
//! and the seed. The CLI and tournaments both go through [`run`].

use zopa_core::{Role, Scenario};

use crate::protocols::{alternating, mediated, TraceSink};
use crate::registry::{resolve, Kind, Resolved, Spec, SpecError, DEFAULT_MEDIATOR};
use crate::session::Deadline;
use crate::trace::RunResult;

/// Declares [`Protocol`] with its names, once: the variants, [`Protocol::ALL`] and
/// [`Protocol::as_str`] all come from this one list.
macro_rules! protocols {
    ($($(#[$doc:meta])* $variant:ident = $name:literal,)*) => {
        /// A negotiation protocol: who may do what, when, and when it ends.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Protocol {
            $($(#[$doc])* $variant,)*
        }

        impl Protocol {
            /// Every protocol, in the order `zopa` lists them.
            pub const ALL: &'static [Protocol] = &[$(Protocol::$variant,)*];

            /// The name used on the command line and in results.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Protocol::$variant => $name,)*
                }
            }
        }
    };
}

protocols! {
    /// Bilateral alternating offers (exactly two negotiators).
    Sao = "sao",
    /// Multilateral stacked alternating offers (three or more).
    Stacked = "stacked",
    /// Mediated single text: a mediator drafts, the parties vote.
    Mediated = "mediated",
    /// Shuttle diplomacy: the mediator meets the parties one by one, on private channels (not
    /// built yet).
    Shuttle = "shuttle",
}

impl Protocol {
    /// The protocol named `s` (as [`Protocol::as_str`] spells it).
    pub fn parse(s: &str) -> Option<Protocol> {
        Protocol::ALL.iter().copied().find(|p| p.as_str() == s)
    }

    /// The names of `protocols`, comma-separated: `sao, stacked, shuttle`.
    pub fn list(protocols: &[Protocol]) -> String {
        protocols
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl std::fmt::Display for Protocol {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Everything that defines one negotiation besides the scenario.
#[derive(Debug, Clone)]
pub struct RunSpec {
    pub protocol: Protocol,
    /// One strategy per seated party (or one for all of them).
    pub negotiators: Vec<Spec>,
    /// Seated parties by scenario index; `None` means every negotiator of the scenario.
    pub parties: Option<Vec<usize>>,
    /// Mediator strategy for the mediated protocol (default [`DEFAULT_MEDIATOR`]).
    pub mediator: Option<Spec>,
    /// When the mediated protocol puts its text to ratification.
    pub ratification: crate::Ratification,
    pub deadline: Deadline,
    pub seed: u64,
    /// Outcome rankings shared across runs on this scenario (tournaments); `None` builds them.
    pub cache: Option<std::sync::Arc<crate::outcomes::OutcomeCache>>,
    /// Keep every action in the trace (events and errors are always kept).
    pub record_trace: bool,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Spec(#[from] SpecError),
    #[error("{0}")]
    Seats(String),
    #[error("the {0} protocol is not built yet; use sao, stacked or mediated for now")]
    NotBuilt(Protocol),
}

/// Resolves each seat's spec as a strategy of `kind` that sits in `protocol`.
fn resolve_seats(
    specs: &[&Spec],
    kind: Kind,
    protocol: Protocol,
) -> Result<Vec<Resolved>, SpecError> {
    specs
        .iter()
        .map(|s| resolve(s, kind)?.seated_in(protocol))
        .collect()
}

/// Runs one negotiation.
pub fn run(scenario: &Scenario, spec: &RunSpec) -> Result<RunResult, RunError> {
    run_into(scenario, spec, TraceSink::Keep)
}

/// Runs one negotiation and hands every recorded trace event to `sink` as it happens instead
/// of keeping it: memory then stays bounded however long the run goes (`zopa run --trace`).
/// The result's `trace` is empty; everything else is as [`run`] gives it.
pub fn run_streaming(
    scenario: &Scenario,
    spec: &RunSpec,
    sink: &mut dyn FnMut(crate::TraceEvent),
) -> Result<RunResult, RunError> {
    run_into(scenario, spec, TraceSink::Stream(sink))
}

fn run_into(
    scenario: &Scenario,
    spec: &RunSpec,
    sink: TraceSink<'_>,
) -> Result<RunResult, RunError> {
    let seated: Vec<usize> = match &spec.parties {
        Some(p) => p.clone(),
        None => scenario.negotiators(),
    };
    let names = || {
        scenario
            .parties
            .iter()
            .map(|p| p.name.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (k, &p) in seated.iter().enumerate() {
        if seated[..k].contains(&p) {
            let name = scenario.parties.get(p).map_or("?", |p| p.name.as_str());
            return Err(RunError::Seats(format!(
                "party `{name}` is seated twice; a party cannot negotiate with itself: name each party once in --parties (parties: {})",
                names()
            )));
        }
        if p >= scenario.parties.len() {
            return Err(RunError::Seats(format!(
                "seat {p} is not a party of this scenario (parties: {})",
                names()
            )));
        }
    }
    match spec.protocol {
        Protocol::Sao if seated.len() != 2 => {
            return Err(RunError::Seats(format!(
                "sao needs exactly two negotiators, this scenario seats {}; pick two with --parties (parties: {}) or use --protocol stacked",
                seated.len(),
                names()
            )))
        }
        Protocol::Stacked if seated.len() < 2 => {
            return Err(RunError::Seats(format!("stacked needs two or more negotiators; seat them with --parties (parties: {})", names())))
        }
        Protocol::Mediated if seated.is_empty() => {
            return Err(RunError::Seats(format!("the mediated protocol needs at least one voter; seat them with --parties (parties: {})", names())))
        }
        _ => {}
    }
    let specs: Vec<&Spec> = match spec.negotiators.len() {
        1 => vec![&spec.negotiators[0]; seated.len()],
        n if n == seated.len() => spec.negotiators.iter().collect(),
        n => {
            let seat_names: Vec<&str> = seated
                .iter()
                .map(|&i| scenario.parties[i].name.as_str())
                .collect();
            return Err(RunError::Seats(format!(
                "{n} strategies for {} seats ({}); give one per seat, in that order, or one for all",
                seated.len(),
                seat_names.join(", ")
            )));
        }
    };
    match spec.protocol {
        Protocol::Sao | Protocol::Stacked => {
            let resolved = resolve_seats(&specs, Kind::Negotiator, spec.protocol)?;
            let mut seats = Vec::new();
            for (&party, r) in seated.iter().zip(resolved) {
                seats.push(alternating::Seat {
                    party,
                    strategy: r.label.clone(),
                    start: Box::new(move |setup| r.negotiator(setup)),
                });
            }
            let config = alternating::Config {
                deadline: spec.deadline,
                seed: spec.seed,
                protocol: spec.protocol.as_str().into(),
                cache: spec.cache.clone(),
                record_trace: spec.record_trace,
                history_window: alternating::HISTORY_WINDOW,
            };
            Ok(alternating::run_into(scenario, seats, &config, sink))
        }
        Protocol::Mediated => {
            let resolved = resolve_seats(&specs, Kind::Voter, spec.protocol)?;
            let mspec = spec.mediator.clone().unwrap_or(Spec {
                name: DEFAULT_MEDIATOR.into(),
                params: Vec::new(),
            });
            let mediator = resolve(&mspec, Kind::Mediator)?.seated_in(spec.protocol)?;
            let mut voters = Vec::new();
            for (&party, r) in seated.iter().zip(resolved) {
                voters.push(mediated::VoterSeat {
                    party,
                    strategy: r.label.clone(),
                    start: Box::new(move |setup| r.voter(setup)),
                });
            }
            let config = mediated::Config {
                deadline: spec.deadline,
                seed: spec.seed,
                mediator_party: scenario
                    .parties
                    .iter()
                    .position(|p| p.role == Role::Mediator),
                mediator_name: mediator.label.clone(),
                ratification: spec.ratification,
            };
            Ok(mediated::run_into(
                scenario,
                voters,
                Box::new(move |setup| mediator.mediator(setup)),
                &config,
                spec.record_trace,
                sink,
            ))
        }
        // Until the shuttle protocol lands (its driver replaces this arm).
        Protocol::Shuttle => Err(RunError::NotBuilt(Protocol::Shuttle)),
    }
}
