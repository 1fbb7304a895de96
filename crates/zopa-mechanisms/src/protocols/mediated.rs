//! The single negotiating text (shuttle diplomacy; Fisher's one-text procedure; Klein et al.
//! 2003; GENIUS's mediator protocols). Each round the mediator proposes a whole text; each
//! party at the table votes on it (or tells the mediator whether it is better, the same or
//! worse than the previous text); a text every voter accepts (no voter finds worse) becomes
//! the standing text. Stakeholders are scored on every text but do not vote. At the end the
//! standing text is put to every voter once more, against its reservation value at that time
//! (which events may have moved): unanimous yes is an agreement, anything else a rejection.

use std::sync::Arc;

use zopa_core::{Scenario, UtilityFunction};

use crate::protocols::driver::{drive, Driver, DriverConfig, Machine, Step, Who};
use crate::protocols::voting::VotingRule;
use crate::protocols::{derive_seed, guarded, TraceSink};
use crate::session::{Deadline, Outcome, Setup};
use crate::trace::{End, RunResult, TraceAction};

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
    /// Told once, when the negotiation is over, how it ended. By default nothing is done.
    fn finished(&mut self, _ending: &crate::session::Ending<'_>) {}
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
    /// What it learned of each party it deals with in caucus (voters, or the shuttle's route,
    /// in order): their interests, as elicited, and their costs of delay.
    pub parties: Vec<Caucus>,
    /// Its own stake, when the scenario's mediator is a party with interests of its own.
    pub own: Option<Caucus>,
    /// Computations shared by the runs on this scenario (tournaments, a report's distributions).
    pub cache: Option<Arc<crate::outcomes::OutcomeCache>>,
    /// The public restrictions every text must meet besides the caucused parties' red lines:
    /// the scenario's exclusions, and the parties outside the caucus that control issues.
    pub exclusions: Vec<zopa_core::Exclusion>,
    pub controllers: Vec<Caucus>,
}

/// What a mediator learns of one party in caucus (the one-text procedure's first step: it asks
/// each side about interests, privately). zopa's caucus is truthful: the party's own utility
/// function; outside options come later, as stated (see [`Brief`]).
#[derive(Debug, Clone)]
pub struct Caucus {
    pub name: String,
    pub utility: Arc<UtilityFunction>,
    /// Its outside option as publicly known at the start.
    pub outside_option: f64,
    /// Utility it loses per round of delay.
    pub cost_per_round: f64,
    /// Does it vote?
    pub votes: bool,
    /// Its red lines (public statements: "the sole condition") and the issues it controls.
    pub red_lines: Vec<zopa_core::Condition>,
    pub controls: Vec<usize>,
}

impl Caucus {
    pub(crate) fn of(scenario: &Scenario, party: usize, votes: bool) -> Caucus {
        let p = &scenario.parties[party];
        Caucus {
            name: p.name.clone(),
            utility: Arc::new(p.utility.clone()),
            outside_option: p.reservation_value(),
            cost_per_round: p.cost_per_round.unwrap_or(0.0),
            votes,
            red_lines: p.red_lines.clone(),
            controls: p.controls.clone(),
        }
    }
}

/// What the mediator learns about its last proposal.
#[derive(Debug, Clone)]
pub enum Response {
    Votes(Vec<bool>),
    Feedback(Vec<Feedback>),
    /// Shuttle: what each party on the route said, in route order.
    Critiques(Vec<crate::protocols::shuttle::Critique>),
}

/// What a shuttle mediator knows before it drafts: the clock and the outside options the
/// parties have stated (events are public; bluffs are believed), in route order.
#[derive(Debug, Clone, PartialEq)]
pub struct Brief {
    pub round: u32,
    pub time: f64,
    /// Rounds left before the deadline, when it is in rounds.
    pub rounds_left: Option<u32>,
    pub stated: Vec<f64>,
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
    /// Shuttle: what it knows before drafting (by default, nothing it uses).
    fn brief(&mut self, _brief: &Brief) {}
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
    pub driver: DriverConfig,
    pub ratification: Ratification,
    /// The mediator's party in the scenario, if it has one (its utility guides biased mediators).
    pub mediator_party: Option<usize>,
    pub mediator_name: String,
    /// Which sets of yes votes carry a text (in every vote and at ratification).
    pub voting: VotingRule,
    /// Computations shared across runs on the same scenario; `None` computes them for this run.
    pub cache: Option<Arc<crate::outcomes::OutcomeCache>>,
}

pub fn run(
    scenario: &Scenario,
    voters: Vec<VoterSeat>,
    mediator: StartMediator,
    config: &Config,
) -> RunResult {
    run_into(scenario, voters, mediator, config, TraceSink::Keep)
}

/// [`run`], keeping or streaming the trace as `sink` says.
pub fn run_into(
    scenario: &Scenario,
    voters: Vec<VoterSeat>,
    mediator: StartMediator,
    config: &Config,
    sink: TraceSink<'_>,
) -> RunResult {
    let mut d = Driver::new(scenario, config.driver.clone(), sink, config.cache.as_ref());
    let mediator_who = mediator_who(scenario, config.mediator_party, &config.mediator_name);
    let mut seated = Vec::new();
    let (end, agreement) = match start(&mut d, voters, mediator, &mediator_who, config) {
        Err(end) => (end, None),
        Ok((mediator, voters)) => {
            let mut table = SingleText {
                voters,
                mediator,
                mediator_who,
                standing: None,
                previous: None,
                ratification: config.ratification,
                voting: config.voting.clone(),
                waiting: false,
            };
            let ended = drive(&mut d, &mut table);
            seated = table.voters;
            ended
        }
    };
    let rounds = d.round;
    let ending = crate::session::Ending {
        end: &end,
        agreement: agreement.as_ref(),
        rounds,
    };
    for seat in &mut seated {
        // A party that fails while being told has nothing left to spoil.
        let _ = guarded(|| seat.voter.finished(&ending));
    }
    d.finish("mediated", end, agreement, rounds)
}

/// What voter `party` sees now.
fn text_view<'a>(
    d: &Driver<'_, '_>,
    party: usize,
    standing: Option<&'a Outcome>,
    previous: Option<&'a Outcome>,
) -> TextView<'a> {
    TextView {
        round: d.round,
        time: d.time,
        reservation: d.reservation[party],
        standing,
        previous,
        rounds: d.config.deadline.rounds,
    }
}

/// The mediator as the trace names it: its party's name, or `mediator (strategy)`.
pub(crate) fn mediator_who(scenario: &Scenario, party: Option<usize>, strategy: &str) -> Who {
    Who {
        name: match party {
            Some(m) => scenario.parties[m].name.clone(),
            None => format!("mediator ({strategy})"),
        },
        strategy: strategy.to_string(),
    }
}

/// Builds the mediator from what it learns in caucus of each `(party, votes)` it deals with;
/// one that cannot start ends the negotiation.
pub(crate) fn start_mediator(
    d: &mut Driver<'_, '_>,
    start: StartMediator,
    who: &Who,
    party: Option<usize>,
    caucus: &[(usize, bool)],
    cache: Option<Arc<crate::outcomes::OutcomeCache>>,
) -> Result<Box<dyn Mediator>, End> {
    if let Some(m) = party {
        d.strategies[m] = Some(who.strategy.clone());
    }
    let setup = MediatorSetup {
        issues: Arc::clone(&d.issues),
        utility: party.map(|m| Arc::new(d.scenario.parties[m].utility.clone())),
        voters: caucus.len(),
        deadline: d.config.deadline,
        seed: derive_seed(d.config.seed, 1000),
        parties: caucus
            .iter()
            .map(|&(p, votes)| Caucus::of(d.scenario, p, votes))
            .collect(),
        own: party.map(|m| Caucus::of(d.scenario, m, false)),
        cache,
        exclusions: d.scenario.exclusions.clone(),
        controllers: (0..d.scenario.parties.len())
            .filter(|p| !caucus.iter().any(|(q, _)| q == p))
            .filter(|&p| !d.scenario.parties[p].controls.is_empty())
            .map(|p| Caucus::of(d.scenario, p, false))
            .collect(),
    };
    guarded(|| start(&setup)).map_err(|e| d.failed_to_start(who, &e))
}

/// Builds the mediator, then every voter, from their setups; one that cannot start ends the
/// negotiation.
fn start(
    d: &mut Driver<'_, '_>,
    seats: Vec<VoterSeat>,
    mediator: StartMediator,
    mediator_who: &Who,
    config: &Config,
) -> Result<(Box<dyn Mediator>, Vec<SeatedVoter>), End> {
    let caucus: Vec<(usize, bool)> = seats.iter().map(|v| (v.party, true)).collect();
    let mediator = start_mediator(
        d,
        mediator,
        mediator_who,
        config.mediator_party,
        &caucus,
        config.cache.clone(),
    )?;
    let n = seats.len();
    let mut voters = Vec::with_capacity(n);
    for (k, seat) in seats.into_iter().enumerate() {
        let party = seat.party;
        d.strategies[party] = Some(seat.strategy.clone());
        let setup = d.voter_setup(party, k, n);
        let who = Who {
            name: d.scenario.parties[party].name.clone(),
            strategy: seat.strategy.clone(),
        };
        match guarded(|| (seat.start)(&setup)) {
            Ok(voter) => voters.push(SeatedVoter {
                party,
                strategy: seat.strategy,
                voter,
            }),
            Err(e) => return Err(d.failed_to_start(&who, &e)),
        }
    }
    Ok((mediator, voters))
}

/// The single-text state machine: one [`Machine::step`] is one proposal and its votes.
struct SingleText {
    voters: Vec<SeatedVoter>,
    mediator: Box<dyn Mediator>,
    mediator_who: Who,
    /// The last text the voting rule carried.
    standing: Option<Outcome>,
    /// The text proposed before this one.
    previous: Option<Outcome>,
    ratification: Ratification,
    voting: VotingRule,
    /// The text is settled and waits for ratification at the deadline.
    waiting: bool,
}

impl SingleText {
    fn who(&self, d: &Driver<'_, '_>, k: usize) -> Who {
        let seat = &self.voters[k];
        Who {
            name: d.scenario.parties[seat.party].name.clone(),
            strategy: seat.strategy.clone(),
        }
    }

    /// Starts the mediator and every voter; one that cannot start ends the negotiation.
    /// The final yes or no of every voter on the standing text, against its outside option now.
    fn ratify(&mut self, d: &mut Driver<'_, '_>) -> (End, Option<Outcome>) {
        d.tick();
        let Some(text) = self.standing.clone() else {
            return (End::Deadline, None);
        };
        let voters: Vec<usize> = self.voters.iter().map(|v| v.party).collect::<Vec<_>>();
        if let Some(end) = d.cannot_stand(&self.mediator_who.name.clone(), &text, &voters) {
            return (end, None);
        }
        let mut votes = Vec::with_capacity(self.voters.len());
        for k in 0..self.voters.len() {
            let who = self.who(d, k);
            let view = text_view(d, self.voters[k].party, Some(&text), self.previous.as_ref());
            let stalling = d.stalling(self.voters[k].party);
            let voter = &mut self.voters[k].voter;
            let yes = if stalling {
                false
            } else {
                match d.call(&who, || voter.ratify(&view, &text)) {
                    Ok(yes) => yes,
                    Err(end) => return (end, None),
                }
            };
            // Its own red line makes it say no, whatever its strategy says.
            let breach = d.red_line_breached(self.voters[k].party, &text);
            let yes = yes && breach.is_none();
            let note = match &breach {
                Some(line) => format!("no: breaches its red line `{line}`"),
                None => if yes { "yes" } else { "no" }.to_string(),
            };
            d.record(&who.name, TraceAction::Ratify, Some(&text), Some(note));
            if yes {
                d.signed(self.voters[k].party);
            } else {
                d.turned_down(self.voters[k].party, &text);
            }
            votes.push((self.voters[k].party, yes));
        }
        if self.voting.passes(&votes) {
            (End::Agreement, Some(text))
        } else {
            (End::Rejected, None)
        }
    }
}

impl Machine for SingleText {
    fn step(&mut self, d: &mut Driver<'_, '_>) -> Step {
        if self.waiting {
            // Time passes to the deadline; each event fires at its own round.
            d.round += 1;
            return Step::Continue;
        }
        let who = self.mediator_who.clone();
        let (round, time) = (d.round, d.time);
        let standing = self.standing.as_ref();
        let mediator = &mut self.mediator;
        let text = match d.call(&who, || mediator.propose(round, time, standing)) {
            Err(end) => return Step::Done(end, None),
            Ok(Some(t)) => t,
            Ok(None) => {
                self.waiting = self.ratification == Ratification::AtDeadline
                    && self.standing.is_some()
                    && d.config.deadline.rounds.is_some();
                let note = if self.standing.is_none() {
                    "no text was carried; the mediator gives up"
                } else if self.waiting {
                    "the text cannot be improved further; it waits for the vote at the deadline"
                } else {
                    "the text cannot be improved further"
                };
                d.record(&who.name, TraceAction::Stop, None, Some(note.into()));
                if self.standing.is_none() {
                    return Step::Done(End::Impasse, None);
                }
                if self.waiting {
                    d.round += 1;
                    return Step::Continue;
                }
                let (end, agreement) = self.ratify(d);
                return Step::Done(end, agreement);
            }
        };
        if let Err(v) = d.check_offer(&text) {
            return Step::Done(d.violation(&who, &v), None);
        }
        d.record(&who.name, TraceAction::Propose, Some(&text), None);
        let feedback_mode = self.mediator.wants_feedback();
        let mut votes = Vec::with_capacity(self.voters.len());
        let mut feedback = Vec::new();
        let mut yes_no = Vec::new();
        for k in 0..self.voters.len() {
            let voter_who = self.who(d, k);
            let party = self.voters[k].party;
            let view = text_view(d, party, self.standing.as_ref(), self.previous.as_ref());
            let voter = &mut self.voters[k].voter;
            let (action, yes) = if d.stalling(party) {
                // Stalling: no answer, which counts as no; the mediator hears worse / no.
                if feedback_mode {
                    feedback.push(Feedback::Worse);
                } else {
                    yes_no.push(false);
                }
                (TraceAction::Stall, false)
            } else if feedback_mode {
                match d.call(&voter_who, || voter.feedback(&view, &text)) {
                    Err(end) => return Step::Done(end, None),
                    Ok(f) => {
                        feedback.push(f);
                        match f {
                            Feedback::Better => (TraceAction::FeedbackBetter, true),
                            Feedback::Same => (TraceAction::FeedbackSame, true),
                            Feedback::Worse => (TraceAction::FeedbackWorse, false),
                        }
                    }
                }
            } else {
                match d.call(&voter_who, || voter.vote(&view, &text)) {
                    Err(end) => return Step::Done(end, None),
                    Ok(v) => {
                        yes_no.push(v);
                        let action = if v {
                            TraceAction::VoteAccept
                        } else {
                            TraceAction::VoteReject
                        };
                        (action, v)
                    }
                }
            };
            d.record(&voter_who.name, action, Some(&text), None);
            if !yes && action != TraceAction::Stall {
                d.turned_down(party, &text);
            }
            votes.push((party, yes));
        }
        let mut accepted = self.voting.passes(&votes);
        if accepted {
            // A text that cannot stand — it breaches a voter's red line, an exclusion or a
            // controlling party's line — is never carried: the final vote could only reject it.
            let voters: Vec<usize> = self.voters.iter().map(|v| v.party).collect();
            let blocking: Vec<String> = d
                .scenario
                .breaches_for(&text, &voters)
                .into_iter()
                .map(|r| r.breach(d.scenario))
                .collect();
            if !blocking.is_empty() {
                let note = format!("not carried: it {}", blocking.join("; it "));
                d.record(&who.name, TraceAction::Blocked, Some(&text), Some(note));
                accepted = false;
            }
        }
        let response = if feedback_mode {
            Response::Feedback(feedback)
        } else {
            Response::Votes(yes_no)
        };
        if accepted {
            d.record(&who.name, TraceAction::Carried, Some(&text), None);
            self.standing = Some(text.clone());
        }
        let mediator = &mut self.mediator;
        if let Err(end) = d.call(&who, || mediator.observe(&text, &response, accepted)) {
            return Step::Done(end, None);
        }
        self.previous = Some(text);
        d.round += 1;
        Step::Continue
    }

    fn at_deadline(&mut self, d: &mut Driver<'_, '_>) -> (End, Option<Outcome>) {
        self.ratify(d)
    }
}
