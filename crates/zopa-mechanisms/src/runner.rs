//! One negotiation from names: which protocol, which strategies in which seats, the deadline
//! and the seed. The CLI and tournaments both go through [`run`].

use zopa_core::{Role, Scenario};

use crate::protocols::driver::{DriverConfig, Tactics};
use crate::protocols::shuttle::{self, Candor, StartCritic};
use crate::protocols::voting::VotingRule;
use crate::protocols::{alternating, mediated, TraceSink};
use crate::registry::{find, resolve, External, Kind, Resolved, Spec, SpecError, DEFAULT_MEDIATOR};
use crate::session::{Deadline, Outcome};
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
    /// Shuttle diplomacy: the mediator meets the parties one by one, on private channels.
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
    /// Negotiators built outside the registry: a spec named as one's label, without
    /// parameters, seats it (before any registry name).
    pub external: Vec<External>,
    /// Seated parties by scenario index; `None` means every negotiator of the scenario.
    pub parties: Option<Vec<usize>>,
    /// Mediator strategy for the mediated and shuttle protocols (default [`DEFAULT_MEDIATOR`]).
    pub mediator: Option<Spec>,
    /// When the single text goes to the final vote.
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
            external: Vec::new(),
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

/// The external negotiator `spec` names, if any.
fn external<'e>(spec: &Spec, external: &'e [External]) -> Option<&'e External> {
    if !spec.params.is_empty() {
        return None;
    }
    external.iter().find(|e| e.label == spec.name)
}

/// Seats `spec` as a negotiator in `protocol`: an external one by its label, else from the
/// registry. Returns its label and constructor.
fn negotiator_seat(
    spec: &Spec,
    externals: &[External],
    protocol: Protocol,
) -> Result<(String, alternating::Start), SpecError> {
    if let Some(e) = external(spec, externals) {
        if !e.protocols().contains(&protocol) {
            return Err(SpecError::NotInProtocol {
                spec: e.label.clone(),
                protocol,
                sits_in: Protocol::list(e.protocols()),
            });
        }
        let build = std::sync::Arc::clone(&e.build);
        return Ok((e.label.clone(), Box::new(move |setup| build(setup))));
    }
    let r = resolve(spec, Kind::Negotiator)?.seated_in(protocol)?;
    Ok((r.label.clone(), Box::new(move |setup| r.negotiator(setup))))
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
            return Err(RunError::Seats(format!("the {} protocol needs at least one voter; seat them with --parties (parties: {})", spec.protocol, names())))
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
    if let Some(m) = mediator_party.filter(|m| seated.contains(m)) {
        if matches!(spec.protocol, Protocol::Mediated | Protocol::Shuttle) {
            return Err(RunError::Seats(format!(
                "`{}` is the scenario's mediator: it drafts the texts and takes no seat; leave it out of --parties",
                scenario.parties[m].name
            )));
        }
    }
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
    let single_text = matches!(spec.protocol, Protocol::Mediated | Protocol::Shuttle);
    if single_text {
        for &v in &voters {
            if !seated.contains(&v) {
                return Err(RunError::Seats(format!(
                    "`{}` votes but has no seat; seat it with --parties",
                    scenario.parties[v].name
                )));
            }
        }
        if voters.len() < 2 {
            return Err(RunError::Seats(format!(
                "the {} protocol needs at least two voters, or its text would bind parties that had no say; {} votes (seat more negotiators with --parties, or give seated parties a vote with --voters)",
                spec.protocol,
                if voters.is_empty() {
                    "nobody".to_string()
                } else {
                    format!("only `{}`", scenario.parties[voters[0]].name)
                }
            )));
        }
        spec.voting
            .check(&voters, scenario)
            .map_err(RunError::Seats)?;
    }
    let mediator = || -> Result<Resolved, SpecError> {
        let mspec = spec.mediator.clone().unwrap_or(Spec {
            name: DEFAULT_MEDIATOR.into(),
            params: Vec::new(),
        });
        resolve(&mspec, Kind::Mediator)?.seated_in(spec.protocol)
    };
    match spec.protocol {
        Protocol::Sao | Protocol::Stacked => {
            let mut seats = Vec::new();
            for (&party, s) in seated.iter().zip(&specs) {
                let (strategy, start) = negotiator_seat(s, &spec.external, spec.protocol)?;
                seats.push(alternating::Seat {
                    party,
                    strategy,
                    start,
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
            let mediator = mediator()?;
            let mut seats = Vec::new();
            for (&party, s) in seated.iter().zip(&specs) {
                if let Some(e) = external(s, &spec.external) {
                    let Some(vote) = e.vote.clone() else {
                        return Err(SpecError::NotInProtocol {
                            spec: e.label.clone(),
                            protocol: spec.protocol,
                            sits_in: Protocol::list(e.protocols()),
                        }
                        .into());
                    };
                    seats.push(mediated::VoterSeat {
                        party,
                        strategy: e.label.clone(),
                        start: Box::new(move |setup| vote(setup)),
                    });
                    continue;
                }
                let r = resolve(s, Kind::Voter)?.seated_in(spec.protocol)?;
                seats.push(mediated::VoterSeat {
                    party,
                    strategy: r.label.clone(),
                    start: Box::new(move |setup| r.voter(setup)),
                });
            }
            let config = mediated::Config {
                driver,
                mediator_party,
                mediator_name: mediator.label.clone(),
                ratification: spec.ratification,
                voting: spec.voting.clone(),
                cache: spec.cache.clone(),
            };
            Ok(mediated::run_into(
                scenario,
                seats,
                Box::new(move |setup| mediator.mediator(setup)),
                &config,
                sink,
            ))
        }
        Protocol::Shuttle => {
            let mediator = mediator()?;
            let mut seats = Vec::new();
            for (&party, s) in seated.iter().zip(&specs) {
                if external(s, &spec.external).is_some() {
                    let (strategy, start) = negotiator_seat(s, &spec.external, spec.protocol)?;
                    seats.push(shuttle::Seat {
                        party,
                        strategy,
                        start: StartCritic::Negotiator(start),
                    });
                    continue;
                }
                // A negotiator critiques through its offers; a voter through its votes.
                let kind = match find(&s.name).map(|st| st.kind()) {
                    Some(Kind::Voter) => Kind::Voter,
                    _ => Kind::Negotiator,
                };
                let r = resolve(s, kind)?.seated_in(spec.protocol)?;
                let label = r.label.clone();
                let start = match r.strategy.kind() {
                    Kind::Voter => StartCritic::Voter(Box::new(move |setup| r.voter(setup))),
                    _ => StartCritic::Negotiator(Box::new(move |setup| r.negotiator(setup))),
                };
                seats.push(shuttle::Seat {
                    party,
                    strategy: label,
                    start,
                });
            }
            let config = shuttle::Config {
                driver,
                mediator_party,
                mediator_name: mediator.label.clone(),
                voting: spec.voting.clone(),
                voters,
                patience: spec.patience,
                candor: spec.candor,
                opening: spec.opening.clone(),
                ratification: spec.ratification,
                split: spec.split,
                cache: spec.cache.clone(),
            };
            Ok(shuttle::run_into(
                scenario,
                seats,
                Box::new(move |setup| mediator.mediator(setup)),
                &config,
                sink,
            ))
        }
    }
}
