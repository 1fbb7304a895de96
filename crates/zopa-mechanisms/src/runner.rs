//! One negotiation from names: which protocol, which strategies in which seats, the deadline
//! and the seed. The CLI and tournaments both go through [`run`].

use zopa_core::{Role, Scenario};

use crate::protocols::driver::{DriverConfig, Tactics};
use crate::protocols::shuttle::{self, Candor, Critic};
use crate::protocols::voting::VotingRule;
use crate::protocols::{alternating, mediated, TraceSink};
use crate::registry::{build, build_mediator, build_voter, Spec, SpecError};
use crate::session::Deadline;
use crate::session::Outcome;
use crate::trace::RunResult;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// Bilateral alternating offers (exactly two negotiators).
    Sao,
    /// Multilateral stacked alternating offers (three or more).
    Stacked,
    /// Mediated single text: the mediator proposes, every voter votes in the open.
    Mediated,
    /// Shuttle diplomacy: the mediator visits the parties one at a time with its draft.
    Shuttle,
}

impl Protocol {
    pub fn parse(s: &str) -> Option<Protocol> {
        match s {
            "sao" => Some(Protocol::Sao),
            "stacked" => Some(Protocol::Stacked),
            "mediated" => Some(Protocol::Mediated),
            "shuttle" => Some(Protocol::Shuttle),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Protocol::Sao => "sao",
            Protocol::Stacked => "stacked",
            Protocol::Mediated => "mediated",
            Protocol::Shuttle => "shuttle",
        }
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
    /// Mediator strategy for the mediated protocol (default `hill-climbing`).
    pub mediator: Option<Spec>,
    /// When the mediated protocol puts its text to ratification.
    pub ratification: crate::Ratification,
    pub deadline: Deadline,
    pub seed: u64,
    /// Outcome rankings shared across runs on this scenario (tournaments); `None` builds them.
    pub cache: Option<std::sync::Arc<crate::outcomes::OutcomeCache>>,
    /// Keep every action in the trace (events and errors are always kept).
    pub record_trace: bool,
    /// Which sets of yes votes carry a text (mediated and shuttle).
    pub voting: VotingRule,
    /// Who votes (mediated and shuttle); `None`: the seated negotiators and every veto holder.
    pub voters: Option<Vec<usize>>,
    /// Shuttle: stop after this many rounds without an accepted change.
    pub patience: u32,
    /// Shuttle: truthful or strategic critiques.
    pub candor: Candor,
    /// Shuttle: the first draft, instead of the mediator's own.
    pub opening: Option<Outcome>,
    /// Shuttle: when the package fails, vote on each issue separately.
    pub split: bool,
    /// Stalls and threats.
    pub tactics: Tactics,
    /// Longest one call into a party may take.
    pub move_limit: Option<std::time::Duration>,
}

impl Default for RunSpec {
    /// The CLI's defaults: alternating offers, 100 rounds, seed 0, no strategies yet.
    fn default() -> RunSpec {
        RunSpec {
            protocol: Protocol::Sao,
            negotiators: Vec::new(),
            parties: None,
            mediator: None,
            ratification: Default::default(),
            deadline: Deadline::rounds(100),
            seed: 0,
            cache: None,
            record_trace: true,
            voting: VotingRule::Unanimity,
            voters: None,
            patience: DEFAULT_PATIENCE,
            candor: Candor::Truthful,
            opening: None,
            split: false,
            tactics: Tactics::default(),
            move_limit: None,
        }
    }
}

/// Rounds a shuttle mediator goes on without an accepted change before it calls the vote.
pub const DEFAULT_PATIENCE: u32 = 10;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Spec(#[from] SpecError),
    #[error("{0}")]
    Seats(String),
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
        Protocol::Mediated | Protocol::Shuttle if seated.is_empty() => {
            return Err(RunError::Seats(format!("the {} protocol needs at least one voter; seat them with --parties (parties: {})", spec.protocol.as_str(), names())))
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
    let driver = DriverConfig {
        deadline: spec.deadline,
        seed: spec.seed,
        record_trace: spec.record_trace,
        move_limit: spec.move_limit,
        tactics: spec.tactics.clone(),
    };
    for p in spec
        .tactics
        .stalls
        .iter()
        .map(|s| s.party)
        .chain(spec.tactics.threats.iter().map(|t| t.party))
    {
        if !seated.contains(&p) {
            return Err(RunError::Seats(format!(
                "`{}` is given a tactic but has no seat; seat it with --parties",
                scenario.parties[p].name
            )));
        }
    }
    let mediator_party = scenario
        .parties
        .iter()
        .position(|p| p.role == Role::Mediator);
    let voters: Vec<usize> = match &spec.voters {
        Some(v) => v.clone(),
        None => seated
            .iter()
            .copied()
            .filter(|&p| {
                scenario.parties[p].role == Role::Negotiator
                    || matches!(&spec.voting, VotingRule::Veto { holders, .. } if holders.contains(&p))
            })
            .collect(),
    };
    if matches!(spec.protocol, Protocol::Mediated | Protocol::Shuttle) {
        for &v in &voters {
            if !seated.contains(&v) {
                return Err(RunError::Seats(format!(
                    "`{}` votes but has no seat; seat it with --parties",
                    scenario.parties[v].name
                )));
            }
        }
        spec.voting
            .check(&voters, scenario)
            .map_err(RunError::Seats)?;
    }
    match spec.protocol {
        Protocol::Sao | Protocol::Stacked => {
            let mut seats = Vec::new();
            for (&party, s) in seated.iter().zip(&specs) {
                seats.push(alternating::Seat {
                    party,
                    strategy: s.label(),
                    negotiator: build(s)?,
                });
            }
            let config = alternating::Config {
                driver,
                protocol: spec.protocol.as_str().into(),
                cache: spec.cache.clone(),
                history_window: alternating::HISTORY_WINDOW,
            };
            Ok(alternating::run_into(scenario, seats, &config, sink))
        }
        Protocol::Mediated => {
            let mut voter_seats = Vec::new();
            for (&party, s) in seated.iter().zip(&specs) {
                voter_seats.push(mediated::VoterSeat {
                    party,
                    strategy: s.label(),
                    voter: build_voter(s)?,
                });
            }
            let mspec = spec.mediator.clone().unwrap_or(Spec {
                name: "hill-climbing".into(),
                params: Vec::new(),
            });
            let mediator = build_mediator(&mspec)?;
            let config = mediated::Config {
                driver,
                mediator_party,
                mediator_name: mspec.label(),
                ratification: spec.ratification,
                voting: spec.voting.clone(),
            };
            Ok(mediated::run_into(
                scenario,
                voter_seats,
                mediator,
                &config,
                sink,
            ))
        }
        Protocol::Shuttle => {
            let mut seats = Vec::new();
            for (&party, s) in seated.iter().zip(&specs) {
                // A negotiator critiques through its offers; a voter through its votes.
                let critic = match build(s) {
                    Ok(n) => Critic::Negotiator(n),
                    Err(SpecError::Unknown { .. }) => Critic::Voter(build_voter(s)?),
                    Err(e) => return Err(e.into()),
                };
                seats.push(shuttle::Seat {
                    party,
                    strategy: s.label(),
                    critic,
                });
            }
            let mspec = spec.mediator.clone().unwrap_or(Spec {
                name: "hill-climbing".into(),
                params: Vec::new(),
            });
            let mediator = build_mediator(&mspec)?;
            let config = shuttle::Config {
                driver,
                mediator_party,
                mediator_name: mspec.label(),
                voting: spec.voting.clone(),
                voters,
                patience: spec.patience,
                candor: spec.candor,
                opening: spec.opening.clone(),
                cache: spec.cache.clone(),
                ratification: spec.ratification,
                split: spec.split,
            };
            Ok(shuttle::run_into(scenario, seats, mediator, &config, sink))
        }
    }
}
