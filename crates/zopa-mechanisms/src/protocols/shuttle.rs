//! Shuttle diplomacy: the single-negotiating-text procedure with private channels
//! (`../shared/notes/protocols.md` §8; Fisher's one-text procedure, Kissinger's shuttles, Camp
//! David's drafts).
//!
//! Each round the mediator drafts a text nobody is bound to (round 0: its own, or a named
//! opening text), then visits the parties one at a time along a route. Each party sees only the
//! draft the mediator shows it and answers only to the mediator (the trace records who saw
//! what): it accepts the draft as is, asks for changes (issue, value, intensity), or vetoes a
//! draft below its outside option. A party that stalls skips the visit. A draft the voting rule
//! carries becomes the standing text. The mediator redrafts from what it heard; when it can
//! improve the text no further, when `patience` rounds pass without an accepted change, or at
//! the deadline, the standing text is put to a final vote against each voter's *current*
//! outside option.
//!
//! Any negotiator or voter strategy takes a seat. A voter's verdict is its vote; a negotiator is
//! shown the draft as an offer and its answer is read as a critique: accepting is accepting as
//! is, a counter-offer asks for the issues where it differs (so a time-dependent strategy
//! critiques toward its current target), walking away is a veto. The changes a party asks for
//! and their intensities (its own utility gain from each single change) are computed from its
//! own preferences only. Truthful critiques report true gains and veto below the true outside
//! option; strategic ones double every intensity and veto below the *stated* one (a bluff
//! holds).

use std::sync::Arc;

use zopa_core::{Scenario, Value};

use crate::outcomes::{OutcomeCache, Ranking};
use crate::protocols::alternating::Start;
use crate::protocols::driver::{drive, Driver, DriverConfig, Machine, Step, Who};
use crate::protocols::mediated::{
    mediator_who, start_mediator, Mediator, Ratification, Response, StartMediator, StartVoter,
    TextView, Voter,
};
use crate::protocols::voting::VotingRule;
use crate::protocols::{guarded, TraceSink};
use crate::session::{Action, Move, Negotiator, Outcome, View};
use crate::trace::{Audience, End, RunResult, TraceAction};

use crate::protocols::critique::{asked_changes, describe};
pub use crate::protocols::critique::{Candor, Change, Critique, Verdict, MAX_CHANGES};

/// A party's strategy in its shuttle seat.
enum Critic {
    Negotiator(Box<dyn Negotiator>),
    Voter(Box<dyn Voter>),
}

/// Builds a seat's strategy from its setup, when the mediator first visits.
pub enum StartCritic {
    Negotiator(Start),
    Voter(StartVoter),
}

/// A party on the route, before its seat is taken.
pub struct Seat {
    pub party: usize,
    pub strategy: String,
    pub start: StartCritic,
}

/// A seat taken.
struct Seated {
    party: usize,
    strategy: String,
    critic: Critic,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub driver: DriverConfig,
    /// The mediator's party in the scenario, if it has one.
    pub mediator_party: Option<usize>,
    pub mediator_name: String,
    /// Which sets of yes votes carry a draft and the final text.
    pub voting: VotingRule,
    /// The parties who vote (scenario indices); the others on the route are consulted only.
    pub voters: Vec<usize>,
    /// Stop after this many rounds without an accepted change.
    pub patience: u32,
    pub candor: Candor,
    /// The first draft, when the mediator does not draft its own.
    pub opening: Option<Outcome>,
    /// When the standing text goes to the final vote: as soon as it settles (the mediator can
    /// improve it no further, or `patience` runs out), or at the deadline — the mediator is
    /// briefed and asked again every round, so what happens on the way can still move it.
    pub ratification: Ratification,
    /// When the package fails, put each issue of it to a separate vote (Camp David's two
    /// frameworks): the issues carried are signed, the rest left to the outside options.
    pub split: bool,
    /// Rankings shared across runs on the same scenario; `None` builds them for this run.
    pub cache: Option<Arc<OutcomeCache>>,
}

pub fn run(
    scenario: &Scenario,
    seats: Vec<Seat>,
    mediator: StartMediator,
    config: &Config,
) -> RunResult {
    run_into(scenario, seats, mediator, config, TraceSink::Keep)
}

/// [`run`], keeping or streaming the trace as `sink` says.
pub fn run_into(
    scenario: &Scenario,
    seats: Vec<Seat>,
    mediator: StartMediator,
    config: &Config,
    sink: TraceSink<'_>,
) -> RunResult {
    let mut d = Driver::new(scenario, config.driver.clone(), sink, config.cache.as_ref());
    let mediator_who = mediator_who(scenario, config.mediator_party, &config.mediator_name);
    let mut seated = Vec::new();
    let (end, agreement, partial) = match start(&mut d, seats, mediator, &mediator_who, config) {
        Err(end) => (end, None, None),
        Ok((mediator, seats)) => {
            let mut shuttle = Shuttle {
                seats,
                mediator,
                mediator_who,
                standing: None,
                previous: None,
                idle: 0,
                waiting: false,
                partial: None,
                config: config.clone(),
            };
            let (end, agreement) = drive(&mut d, &mut shuttle);
            seated = shuttle.seats;
            (end, agreement, shuttle.partial.take())
        }
    };
    let rounds = d.round;
    let ending = crate::session::Ending {
        end: &end,
        agreement: agreement.as_ref(),
        rounds,
    };
    for state in &mut seated {
        // A party that fails while being told has nothing left to spoil.
        let _ = guarded(|| match &mut state.seat.critic {
            Critic::Negotiator(n) => n.finished(&ending),
            Critic::Voter(v) => v.finished(&ending),
        });
    }
    d.finish_with("shuttle", end, agreement, partial, rounds)
}

/// Builds the mediator (it learns each party's interests in caucus), then every seat's
/// strategy; one that cannot start ends the negotiation.
fn start(
    d: &mut Driver<'_, '_>,
    seats: Vec<Seat>,
    mediator: StartMediator,
    mediator_who: &Who,
    config: &Config,
) -> Result<(Box<dyn Mediator>, Vec<SeatState>), End> {
    let caucus: Vec<(usize, bool)> = seats
        .iter()
        .map(|s| (s.party, config.voters.contains(&s.party)))
        .collect();
    let mediator = start_mediator(
        d,
        mediator,
        mediator_who,
        config.mediator_party,
        &caucus,
        config.cache.clone(),
    )?;
    let cache = config
        .cache
        .clone()
        .unwrap_or_else(|| Arc::new(OutcomeCache::new(d.scenario.parties.len(), d.config.seed)));
    let n = seats.len();
    let mut seated = Vec::with_capacity(n);
    for (k, seat) in seats.into_iter().enumerate() {
        let party = seat.party;
        d.strategies[party] = Some(seat.strategy.clone());
        let who = Who {
            name: d.scenario.parties[party].name.clone(),
            strategy: seat.strategy.clone(),
        };
        let built = match seat.start {
            StartCritic::Negotiator(start) => {
                // Each party negotiates with the mediator alone: seat 0 of two.
                let mut setup = d.setup(party, k, 2, Ranking::ready(cache.get(d.scenario, party)));
                setup.index = 0;
                guarded(|| Critic::Negotiator(start(&setup)))
            }
            StartCritic::Voter(start) => {
                let setup = d.voter_setup(party, k, n);
                guarded(|| Critic::Voter(start(&setup)))
            }
        };
        match built {
            Ok(critic) => seated.push(SeatState {
                seat: Seated {
                    party,
                    strategy: seat.strategy,
                    critic,
                },
                history: Vec::new(),
                dropped: 0,
            }),
            Err(e) => return Err(d.failed_to_start(&who, &e)),
        }
    }
    Ok((mediator, seated))
}

/// A seat with its private channel: the drafts it was shown and its answers.
struct SeatState {
    seat: Seated,
    history: Vec<Move>,
    dropped: usize,
}

/// Moves kept per private channel before the oldest are dropped.
const CHANNEL_WINDOW: usize = 256;

struct Shuttle {
    seats: Vec<SeatState>,
    mediator: Box<dyn Mediator>,
    mediator_who: Who,
    /// The last draft the voting rule carried.
    standing: Option<Outcome>,
    /// The draft shown before this one.
    previous: Option<Outcome>,
    /// Rounds since the last accepted change.
    idle: u32,
    /// The text has settled and waits for the deadline (said once in the trace).
    waiting: bool,
    /// The separable agreements signed when the package failed.
    partial: Option<Vec<Option<Value>>>,
    config: Config,
}

impl Shuttle {
    fn who(&self, d: &Driver<'_, '_>, k: usize) -> Who {
        let seat = &self.seats[k].seat;
        Who {
            name: d.scenario.parties[seat.party].name.clone(),
            strategy: seat.strategy.clone(),
        }
    }

    /// The outside option a party's critiques and final vote hold the draft to.
    fn bar(&self, d: &Driver<'_, '_>, party: usize) -> f64 {
        match self.config.candor {
            Candor::Truthful => d.reservation[party],
            Candor::Strategic => d.stated[party].max(d.reservation[party]),
        }
    }

    /// Shows `text` to seat `k` and hears its critique.
    fn visit(&mut self, d: &mut Driver<'_, '_>, k: usize, text: &Outcome) -> Result<Critique, End> {
        let party = self.seats[k].seat.party;
        let who = self.who(d, k);
        d.record_for(
            &self.mediator_who.name,
            TraceAction::Show,
            Some(text),
            None,
            Audience::Party,
            Some(party),
        );
        if d.stalling(party) {
            d.record_for(
                &who.name,
                TraceAction::Stall,
                None,
                Some("does not receive the mediator".into()),
                Audience::Mediator,
                None,
            );
            return Ok(Critique {
                party,
                verdict: Verdict::Absent,
                changes: Vec::new(),
            });
        }
        let bar = self.bar(d, party);
        let utility = &d.scenario.parties[party].utility;
        let u = utility.eval(text);
        let (round, time) = (d.round, d.time);
        let state = &mut self.seats[k];
        let (accepts, wanted): (bool, Option<Outcome>) = match &mut state.seat.critic {
            Critic::Voter(v) => {
                let view = TextView {
                    round,
                    time,
                    reservation: bar,
                    standing: self.standing.as_ref(),
                    previous: self.previous.as_ref(),
                    rounds: d.config.deadline.rounds,
                };
                (d.call(&who, || v.vote(&view, text))?, None)
            }
            Critic::Negotiator(n) => {
                // The draft arrives as an offer from the other side of its private table.
                state.history.push(Move {
                    round,
                    time,
                    actor: 1,
                    action: Action::Offer(text.clone()),
                });
                let view = View {
                    round,
                    time,
                    history: &state.history,
                    offset: state.dropped,
                    reservation: bar,
                };
                let action = d.call(&who, || n.act(&view))?;
                let answer = match &action {
                    Action::Accept => (true, None),
                    Action::Offer(o) => {
                        if let Err(v) = d.check_offer(o) {
                            return Err(d.violation(&who, &v));
                        }
                        (false, Some(o.clone()))
                    }
                    Action::End => (false, Some(text.clone())),
                };
                let walked = action == Action::End;
                state.history.push(Move {
                    round,
                    time,
                    actor: 0,
                    action,
                });
                if state.history.len() > CHANNEL_WINDOW + 2 {
                    let cut = state.history.len() - 2;
                    state.history.drain(..cut);
                    state.dropped += cut;
                }
                if walked {
                    (false, None)
                } else {
                    answer
                }
            }
        };
        // A red line of its own is a veto whatever the utility.
        let breach = d.scenario.parties[party]
            .breaches(&d.scenario.issues, text)
            .map(|c| c.text(&d.scenario.issues));
        let veto = u < bar || breach.is_some();
        let verdict = if veto {
            Verdict::Veto
        } else if accepts {
            Verdict::Accept
        } else {
            Verdict::Object
        };
        let mut changes = if verdict == Verdict::Accept {
            Vec::new()
        } else {
            asked_changes(d, party, text, wanted.as_ref())
        };
        if self.config.candor == Candor::Strategic {
            for c in &mut changes {
                c.intensity *= 2.0;
            }
        }
        let mut note = describe(d, verdict, &changes);
        if let Some(line) = &breach {
            note = format!("vetoes: breaches its red line `{line}`");
        }
        let action = if verdict == Verdict::Veto {
            TraceAction::Veto
        } else {
            TraceAction::Critique
        };
        d.record_for(
            &who.name,
            action,
            Some(text),
            Some(note),
            Audience::Mediator,
            None,
        );
        // A voter that will not take the text as it is refuses it (its blame when the text was
        // better for it than walking away and could stand); a party consulted without a vote
        // refuses nothing.
        if verdict != Verdict::Accept && self.config.voters.contains(&party) {
            d.turned_down(party, text);
        }
        Ok(Critique {
            party,
            verdict,
            changes,
        })
    }

    /// The final yes or no of every voter on the standing text.
    fn ratify(&mut self, d: &mut Driver<'_, '_>) -> (End, Option<Outcome>) {
        d.tick();
        let Some(text) = self.standing.clone() else {
            return (End::Deadline, None);
        };
        let voters: Vec<usize> = self.config.voters.clone();
        if let Some(end) = d.cannot_stand(&self.mediator_who.name.clone(), &text, &voters) {
            return (end, None);
        }
        let mut votes = Vec::new();
        for k in 0..self.seats.len() {
            let party = self.seats[k].seat.party;
            if !self.config.voters.contains(&party) {
                continue;
            }
            let who = self.who(d, k);
            let bar = self.bar(d, party);
            let yes = if d.stalling(party) {
                false
            } else {
                let view = TextView {
                    round: d.round,
                    time: d.time,
                    reservation: bar,
                    standing: Some(&text),
                    previous: self.previous.as_ref(),
                    rounds: d.config.deadline.rounds,
                };
                let asked = match &mut self.seats[k].seat.critic {
                    Critic::Voter(v) => d.call(&who, || Some(v.ratify(&view, &text))),
                    // A negotiator signs what beats its bar, unless it decides for itself.
                    Critic::Negotiator(n) => d.call(&who, || n.ratify(&view, &text)),
                };
                match asked {
                    Ok(Some(yes)) => yes,
                    Ok(None) => d.scenario.parties[party].utility.eval(&text) >= bar,
                    Err(end) => return (end, None),
                }
            };
            // Its own red line makes it say no, whatever its strategy says.
            let breach = d.red_line_breached(party, &text);
            let yes = yes && breach.is_none();
            let note = match &breach {
                Some(line) => format!("no: breaches its red line `{line}`"),
                None => if yes { "yes" } else { "no" }.to_string(),
            };
            d.record(&who.name, TraceAction::Ratify, Some(&text), Some(note));
            if yes {
                d.signed(party);
            } else {
                d.turned_down(party, &text);
            }
            votes.push((party, yes));
        }
        if self.config.voting.passes(&votes) {
            (End::Agreement, Some(text))
        } else if self.config.split {
            self.split(d, &text)
        } else {
            (End::Rejected, None)
        }
    }

    /// The package failed: each issue goes to a separate vote. A voter signs issue i when its
    /// value there is worth at least its outside option (so that the agreement on i alone beats
    /// walking away on i).
    fn split(&mut self, d: &mut Driver<'_, '_>, text: &Outcome) -> (End, Option<Outcome>) {
        let mediator = self.mediator_who.name.clone();
        d.record(
            &mediator,
            TraceAction::Split,
            Some(text),
            Some("the package failed; each issue goes to a separate vote".into()),
        );
        let mut partial: Vec<Option<Value>> = vec![None; text.len()];
        for (i, value) in text.iter().enumerate() {
            let mut votes = Vec::new();
            for seat in &self.seats {
                let p = seat.seat.party;
                if !self.config.voters.contains(&p) {
                    continue;
                }
                let yes = !d.stalling(p)
                    && match d.scenario.parties[p].utility.as_additive() {
                        Some(a) => {
                            a.evaluators[i].eval(*value) >= self.bar(d, p) || a.weights[i] == 0.0
                        }
                        None => false,
                    };
                votes.push((p, yes));
            }
            if self.config.voting.passes(&votes) {
                partial[i] = Some(*value);
            }
            let issue = &d.scenario.issues[i];
            let yes: Vec<&str> = votes
                .iter()
                .filter(|v| v.1)
                .map(|v| d.scenario.parties[v.0].name.as_str())
                .collect();
            let note = format!(
                "{} = {}: {} (yes: {})",
                issue.name,
                issue.display(*value),
                if partial[i].is_some() {
                    "signed"
                } else {
                    "not signed"
                },
                if yes.is_empty() {
                    "nobody".to_string()
                } else {
                    yes.join(", ")
                }
            );
            d.record(&mediator, TraceAction::Split, None, Some(note));
        }
        if partial.iter().all(Option::is_none) {
            return (End::Rejected, None);
        }
        self.partial = Some(partial);
        (End::Partial, None)
    }
}

impl Shuttle {
    /// The text has settled: to the vote now, or (ratification at the deadline) it waits while
    /// the mediator is still briefed and asked every round.
    /// `played`: this round's visits took place (the vote comes in the next round).
    fn settle(&mut self, d: &mut Driver<'_, '_>, why: &str, played: bool) -> Step {
        if self.standing.is_none() && !self.waiting {
            let note = "no draft was carried; the mediator gives up";
            d.record(
                &self.mediator_who.name,
                TraceAction::Stop,
                None,
                Some(note.into()),
            );
            d.round += u32::from(played);
            return Step::Done(End::Impasse, None);
        }
        let waits = self.config.ratification == Ratification::AtDeadline
            && d.config.deadline.rounds.is_some();
        if !waits {
            d.record(
                &self.mediator_who.name,
                TraceAction::Stop,
                None,
                Some(why.into()),
            );
            d.round += u32::from(played);
            let (end, agreement) = self.ratify(d);
            return Step::Done(end, agreement);
        }
        if !self.waiting {
            self.waiting = true;
            let note = format!("{why}; it waits for the vote at the deadline");
            d.record(&self.mediator_who.name, TraceAction::Stop, None, Some(note));
        }
        d.round += 1;
        Step::Continue
    }
}

impl Machine for Shuttle {
    fn step(&mut self, d: &mut Driver<'_, '_>) -> Step {
        let who = self.mediator_who.clone();
        let brief = crate::protocols::mediated::Brief {
            round: d.round,
            time: d.time,
            rounds_left: d.config.deadline.rounds.map(|r| r.saturating_sub(d.round)),
            stated: self.seats.iter().map(|s| d.stated[s.seat.party]).collect(),
        };
        let mediator = &mut self.mediator;
        if let Err(end) = d.call(&who, || mediator.brief(&brief)) {
            return Step::Done(end, None);
        }
        let opening = (d.round == 0)
            .then(|| self.config.opening.clone())
            .flatten();
        let text = match opening {
            Some(t) => t,
            None => {
                let (round, time) = (d.round, d.time);
                let standing = self.standing.as_ref();
                let mediator = &mut self.mediator;
                match d.call(&who, || mediator.propose(round, time, standing)) {
                    Err(end) => return Step::Done(end, None),
                    Ok(Some(t)) => t,
                    Ok(None) => {
                        return self.settle(d, "the text cannot be improved further", false)
                    }
                }
            }
        };
        if let Err(v) = d.check_offer(&text) {
            return Step::Done(d.violation(&who, &v), None);
        }
        let mut critiques = Vec::with_capacity(self.seats.len());
        for k in 0..self.seats.len() {
            match self.visit(d, k, &text) {
                Ok(c) => critiques.push(c),
                Err(end) => return Step::Done(end, None),
            }
        }
        let votes: Vec<(usize, bool)> = critiques
            .iter()
            .filter(|c| self.config.voters.contains(&c.party))
            .map(|c| (c.party, c.verdict == Verdict::Accept))
            .collect();
        let accepted = self.config.voting.passes(&votes);
        let changed = accepted && self.standing.as_ref() != Some(&text);
        if accepted {
            d.record(&who.name, TraceAction::Carried, Some(&text), None);
            self.standing = Some(text.clone());
        }
        let response = Response::Critiques(critiques);
        let mediator = &mut self.mediator;
        if let Err(end) = d.call(&who, || mediator.observe(&text, &response, accepted)) {
            return Step::Done(end, None);
        }
        self.previous = Some(text);
        self.idle = if changed { 0 } else { self.idle + 1 };
        if self.idle >= self.config.patience && self.standing.is_some() {
            let note = format!("no accepted change for {} rounds", self.idle);
            return self.settle(d, &note, true);
        }
        d.round += 1;
        Step::Continue
    }

    fn at_deadline(&mut self, d: &mut Driver<'_, '_>) -> (End, Option<Outcome>) {
        self.ratify(d)
    }
}
