//! The single negotiating text (shuttle diplomacy; Fisher's one-text procedure; Klein et al.
//! 2003; GENIUS's mediator protocols). Each round the mediator proposes a whole text; each
//! party at the table votes on it (or tells the mediator whether it is better, the same or
//! worse than the previous text); a text every voter accepts (no voter finds worse) becomes
//! the standing text. Stakeholders are scored on every text but do not vote. At the end the
//! standing text is put to every voter once more, against its reservation value at that time
//! (which events may have moved): unanimous yes is an agreement, anything else a rejection.

use std::sync::Arc;
use std::time::Instant;

use zopa_core::{Scenario, UtilityFunction};

use crate::protocols::alternating::finish;
use crate::protocols::{check_outcome, derive_seed, guarded, Table, TraceSink};
use crate::session::{Deadline, Outcome, Setup};
use crate::trace::{End, RunResult};

/// A voter's answer in feedback mode.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feedback {
    Better,
    Same,
    Worse,
}

/// What a voter sees: the round, time, its reservation value and the standing text.
#[derive(Debug, Clone, Copy)]
pub struct TextView<'a> {
    pub round: u32,
    pub time: f64,
    pub reservation: f64,
    /// The last text every voter accepted, if any.
    pub standing: Option<&'a Outcome>,
    /// The text proposed before this one, if any.
    pub previous: Option<&'a Outcome>,
    /// Total rounds, when the deadline is in rounds.
    pub rounds: Option<u32>,
}

/// A party at a single-text table, built from its [`Setup`] when the protocol seats it.
pub trait Voter: Send {
    /// Accept or reject the proposed text.
    fn vote(&mut self, view: &TextView<'_>, text: &Outcome) -> bool;
    /// Is the text better, the same or worse than the previous one?
    fn feedback(&mut self, view: &TextView<'_>, text: &Outcome) -> Feedback;
    /// The final yes/no on the whole package: by default, yes iff it beats walking away.
    fn ratify(&mut self, view: &TextView<'_>, text: &Outcome) -> bool;
}

/// What the mediator knows at the start.
#[derive(Debug, Clone)]
pub struct MediatorSetup {
    pub issues: Arc<Vec<zopa_core::Issue>>,
    /// The mediator's own preferences, when the scenario gives it some.
    pub utility: Option<Arc<UtilityFunction>>,
    pub voters: usize,
    pub deadline: Deadline,
    pub seed: u64,
}

/// What the mediator learns about its last proposal.
#[derive(Debug, Clone)]
pub enum Response {
    Votes(Vec<bool>),
    Feedback(Vec<Feedback>),
}

/// The party that drafts texts, built from its [`MediatorSetup`] when the protocol starts.
pub trait Mediator: Send {
    /// Ask for feedback rather than votes.
    fn wants_feedback(&self) -> bool {
        false
    }
    /// The next text, or `None` when it cannot improve the text any further.
    fn propose(&mut self, round: u32, time: f64, standing: Option<&Outcome>) -> Option<Outcome>;
    /// How the parties answered its last proposal.
    fn observe(&mut self, text: &Outcome, response: &Response, accepted: bool);
}

/// Builds a seat's voter from its setup, when the protocol seats it.
pub type StartVoter = Box<dyn FnOnce(&Setup) -> Box<dyn Voter>>;

/// Builds the mediator from its setup, when the protocol starts.
pub type StartMediator = Box<dyn FnOnce(&MediatorSetup) -> Box<dyn Mediator>>;

/// A voter's seat, before it is taken.
pub struct VoterSeat {
    pub party: usize,
    pub strategy: String,
    pub start: StartVoter,
}

/// A seat taken: its voter built.
struct SeatedVoter {
    party: usize,
    strategy: String,
    voter: Box<dyn Voter>,
}

/// When the standing text is put to ratification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Ratification {
    /// As soon as the mediator can improve it no further.
    #[default]
    WhenSettled,
    /// At the deadline: a settled text waits, and the events scheduled on the way (threats,
    /// costs of delay) change what each party will ratify. With a wall-clock deadline only, the
    /// text is ratified when it settles.
    AtDeadline,
}

impl Ratification {
    pub fn parse(s: &str) -> Option<Ratification> {
        match s {
            "settled" => Some(Ratification::WhenSettled),
            "deadline" => Some(Ratification::AtDeadline),
            _ => None,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Config {
    pub deadline: Deadline,
    pub seed: u64,
    pub ratification: Ratification,
    /// The mediator's party in the scenario, if it has one (its utility guides biased mediators).
    pub mediator_party: Option<usize>,
    pub mediator_name: String,
}

pub fn run(
    scenario: &Scenario,
    voters: Vec<VoterSeat>,
    mediator: StartMediator,
    config: &Config,
) -> RunResult {
    run_into(scenario, voters, mediator, config, true, TraceSink::Keep)
}

/// [`run`], recording proposals, votes and ratifications only if `record_actions` (events are
/// always recorded), and keeping or streaming the trace as `sink` says.
pub fn run_into(
    scenario: &Scenario,
    voters: Vec<VoterSeat>,
    mediator: StartMediator,
    config: &Config,
    record_actions: bool,
    sink: TraceSink<'_>,
) -> RunResult {
    let start = Instant::now();
    let mut table = Table::new(scenario, sink);
    table.record_actions = record_actions;
    let mut strategies = vec![None; scenario.parties.len()];
    let actor = match config.mediator_party {
        Some(m) => {
            strategies[m] = Some(config.mediator_name.clone());
            scenario.parties[m].name.clone()
        }
        None => format!("mediator ({})", config.mediator_name),
    };
    let mut end = None;
    let msetup = MediatorSetup {
        issues: Arc::clone(&table.issues),
        utility: config
            .mediator_party
            .map(|m| Arc::new(scenario.parties[m].utility.clone())),
        voters: voters.len(),
        deadline: config.deadline,
        seed: derive_seed(config.seed, 1000),
    };
    let mut mediator = match guarded(|| mediator(&msetup)) {
        Ok(m) => Some(m),
        Err(e) => {
            end = Some(End::Error(format!("{actor} failed to start: {e}")));
            None
        }
    };
    let n = voters.len();
    let mut seated = Vec::with_capacity(n);
    for (k, seat) in voters.into_iter().enumerate() {
        strategies[seat.party] = Some(seat.strategy.clone());
        let p = &scenario.parties[seat.party];
        // Voters judge texts by utility and never rank the space: built only if read.
        let outcomes = crate::outcomes::Ranking::lazy(
            Arc::clone(&table.issues),
            Arc::new(p.utility.clone()),
            seat.party,
        );
        let setup = table.setup(seat.party, k, n, config.deadline, config.seed, outcomes);
        match guarded(|| (seat.start)(&setup)) {
            Ok(voter) => seated.push(SeatedVoter {
                party: seat.party,
                strategy: seat.strategy,
                voter,
            }),
            Err(e) => {
                end.get_or_insert(End::Error(format!(
                    "{} ({}) failed to start: {e}",
                    p.name, seat.strategy
                )));
            }
        }
    }
    let mut voters = seated;
    let mut standing: Option<Outcome> = None;
    let mut previous: Option<Outcome> = None;
    let mut round = 0u32;
    let mut time = 0.0;
    while end.is_none() && !config.deadline.passed(round, start.elapsed()) {
        // A mediator that failed to start has ended the run already.
        let Some(mediator) = mediator.as_mut() else {
            break;
        };
        time = config.deadline.relative(round, start.elapsed());
        table.fire_events(round, time);
        let text = match guarded(|| mediator.propose(round, time, standing.as_ref())) {
            Ok(Some(t)) => t,
            Ok(None) => {
                let waits = config.ratification == Ratification::AtDeadline
                    && standing.is_some()
                    && config.deadline.rounds.is_some();
                table.record(
                    round,
                    time,
                    &actor,
                    "stop",
                    None,
                    Some(if waits {
                        "the text cannot be improved further; it waits for ratification at the deadline"
                    } else {
                        "the text cannot be improved further"
                    }
                    .into()),
                );
                if let (true, Some(last)) = (waits, config.deadline.rounds) {
                    // Time passes to the deadline; each event fires at its own round.
                    while round < last {
                        round += 1;
                        table.fire_events(round, config.deadline.relative(round, start.elapsed()));
                    }
                }
                break;
            }
            Err(e) => {
                end = Some(End::Error(format!("{actor} panicked: {e}")));
                break;
            }
        };
        if let Err(v) = check_outcome(scenario, &text) {
            end = Some(End::Error(format!("{actor} broke the protocol: {v}")));
            break;
        }
        table.record(round, time, &actor, "propose", Some(&text), None);
        let feedback_mode = mediator.wants_feedback();
        let mut votes = Vec::new();
        let mut feedback = Vec::new();
        for seat in voters.iter_mut() {
            let name = scenario.parties[seat.party].name.clone();
            let view = TextView {
                round,
                time,
                reservation: table.reservation[seat.party],
                standing: standing.as_ref(),
                previous: previous.as_ref(),
                rounds: config.deadline.rounds,
            };
            let answer = if feedback_mode {
                guarded(|| seat.voter.feedback(&view, &text)).map(|f| {
                    feedback.push(f);
                    match f {
                        Feedback::Better => "feedback-better",
                        Feedback::Same => "feedback-same",
                        Feedback::Worse => "feedback-worse",
                    }
                })
            } else {
                guarded(|| seat.voter.vote(&view, &text)).map(|v| {
                    votes.push(v);
                    if v {
                        "vote-accept"
                    } else {
                        "vote-reject"
                    }
                })
            };
            match answer {
                Ok(a) => table.record(round, time, &name, a, Some(&text), None),
                Err(e) => {
                    end = Some(End::Error(format!(
                        "{name} ({}) panicked: {e}",
                        seat.strategy
                    )));
                    break;
                }
            }
        }
        if end.is_some() {
            break;
        }
        let (accepted, response) = if feedback_mode {
            (
                feedback.iter().all(|f| *f != Feedback::Worse),
                Response::Feedback(feedback),
            )
        } else {
            (votes.iter().all(|&v| v), Response::Votes(votes))
        };
        if accepted {
            standing = Some(text.clone());
        }
        if let Err(e) = guarded(|| mediator.observe(&text, &response, accepted)) {
            end = Some(End::Error(format!("{actor} panicked: {e}")));
            break;
        }
        previous = Some(text);
        round += 1;
    }
    // Ratification of the standing text.
    let mut agreement = None;
    let end = match (end, standing) {
        (Some(e), _) => e,
        (None, None) => End::Deadline,
        (None, Some(text)) => {
            time = config.deadline.relative(round, start.elapsed());
            table.fire_events(round, time);
            let mut all = true;
            for seat in voters.iter_mut() {
                let name = scenario.parties[seat.party].name.clone();
                let view = TextView {
                    round,
                    time,
                    reservation: table.reservation[seat.party],
                    standing: Some(&text),
                    previous: previous.as_ref(),
                    rounds: config.deadline.rounds,
                };
                let yes = guarded(|| seat.voter.ratify(&view, &text)).unwrap_or(false);
                table.record(
                    round,
                    time,
                    &name,
                    "ratify",
                    Some(&text),
                    Some(if yes { "yes" } else { "no" }.into()),
                );
                all &= yes;
            }
            if all {
                agreement = Some(text);
                End::Agreement
            } else {
                End::Rejected
            }
        }
    };
    finish(
        scenario,
        table,
        "mediated",
        strategies,
        end,
        agreement,
        round,
        time,
        config.seed,
    )
}
