//! The protocol driver: what every protocol shares.
//!
//! A protocol is a state machine ([`Machine`]): one [`Machine::step`] is one turn or one
//! round, and [`Machine::at_deadline`] says what happens when time runs out. The driver owns the
//! rest, the same for every protocol:
//!
//! * the clock: rounds and wall-clock deadlines, relative time, the round counter;
//! * the scenario's events (which move outside options, and may end), and the parties'
//!   *current* and *stated* outside options (a threat moves the stated one; a bluff only that);
//! * every call into a party ([`Driver::call`]): a panic, an overrun of the move limit or (via
//!   [`Driver::violation`]) a protocol violation ends the negotiation with [`End::Error`] naming
//!   the party and its strategy, always recorded in the trace;
//! * the trace, typed ([`TraceAction`]), recorded or not, kept or streamed;
//! * blame: who turned down a text better for it than its outside option at that moment;
//! * the result, with payoffs net of discounting and the costs of delay.

use std::sync::Arc;
use std::time::{Duration, Instant};

use zopa_core::{Issue, IssueKind, Scenario, Timeline, Value};

use crate::protocols::{caught, check_outcome, TraceSink};
use crate::session::{Deadline, Outcome};
use crate::trace::{payoff, utilities, Audience, Blame, End, RunResult, TraceAction, TraceEvent};

/// What the driver needs besides the scenario.
#[derive(Debug, Clone)]
pub struct DriverConfig {
    pub deadline: Deadline,
    pub seed: u64,
    /// Keep every action in the trace (events and errors are always kept).
    pub record_trace: bool,
    /// Longest one call into a party may take. A party in this process cannot be interrupted,
    /// so an overrun is found when the call returns; it ends the negotiation as an error.
    pub move_limit: Option<Duration>,
    /// Stalls and threats chosen for the parties.
    pub tactics: Tactics,
}

impl DriverConfig {
    pub fn new(deadline: Deadline, seed: u64) -> DriverConfig {
        DriverConfig {
            deadline,
            seed,
            record_trace: true,
            move_limit: None,
            tactics: Tactics::default(),
        }
    }
}

/// Tactics as choices of the run, the same in every protocol.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Tactics {
    pub stalls: Vec<Stall>,
    pub threats: Vec<Threat>,
}

/// A party stalls until relative time `until`: at alternating offers it repeats its last
/// offer without listening, at a single text it does not vote, on a shuttle route it does not
/// receive the mediator. Every round it stalls costs both sides their costs of delay.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Stall {
    pub party: usize,
    pub until: f64,
}

/// At relative time `at` a party announces that its outside option has moved by `shift`. A
/// real threat (a commitment) moves its outside option; a bluff moves only what it states —
/// what mediators and strategic critiques read.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threat {
    pub party: usize,
    pub at: f64,
    pub shift: f64,
    pub bluff: bool,
}

/// Whether a negotiation that ended with `end` is anyone's fault: not when something was
/// `agreed` (in whole or in part), nor after an error, which names the party that failed.
pub fn blame_matters(end: &End, agreed: bool) -> bool {
    !agreed && !matches!(end, End::Error(_))
}

/// A text turned down, weighed later ([`Driver::refusal`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Refusal {
    pub party: usize,
    /// Where the protocol keeps the text.
    pub at: usize,
    round: u32,
    outside_option: f64,
}

/// Who is being called: for error messages and the trace.
#[derive(Debug, Clone)]
pub(crate) struct Who {
    /// Its name in the trace.
    pub name: String,
    /// Its strategy's label.
    pub strategy: String,
}

impl Who {
    fn describe(&self) -> String {
        if self.name.contains(&self.strategy) {
            self.name.clone()
        } else {
            format!("{} ({})", self.name, self.strategy)
        }
    }
}

/// The outcome of one step of a protocol.
pub(crate) enum Step {
    /// Go on: the next turn or round.
    Continue,
    /// The negotiation is over.
    Done(End, Option<Outcome>),
}

/// A protocol as a state machine on the [`Driver`].
pub(crate) trait Machine {
    /// One turn or round at the driver's current round and time (events have fired).
    fn step(&mut self, d: &mut Driver<'_, '_>) -> Step;
    /// The deadline has passed: how the negotiation ends.
    fn at_deadline(&mut self, d: &mut Driver<'_, '_>) -> (End, Option<Outcome>);
}

/// Runs `machine` until it is done or the deadline passes.
pub(crate) fn drive(d: &mut Driver<'_, '_>, machine: &mut dyn Machine) -> (End, Option<Outcome>) {
    loop {
        if d.passed() {
            return machine.at_deadline(d);
        }
        d.tick();
        if let Step::Done(end, agreement) = machine.step(d) {
            return (end, agreement);
        }
    }
}

/// The state every protocol shares.
pub(crate) struct Driver<'s, 'k> {
    pub scenario: &'s Scenario,
    /// The scenario's issues, shared with every party's setup.
    pub issues: Arc<Vec<Issue>>,
    pub config: DriverConfig,
    start: Instant,
    pub round: u32,
    /// Relative time of the current step.
    pub time: f64,
    /// Current outside options (reservation values), by scenario party.
    pub reservation: Vec<f64>,
    /// Outside options as the parties have announced them: equal to `reservation` until a
    /// party threatens (a bluff moves only this one).
    pub stated: Vec<f64>,
    /// The scenario's events fired and ended, and the outside options they leave.
    timeline: Timeline<'s>,
    /// Per threat of the tactics: has it been made?
    threatened: Vec<bool>,
    trace: Vec<TraceEvent>,
    sink: TraceSink<'k>,
    /// Strategy label of each party that took part, by scenario party.
    pub strategies: Vec<Option<String>>,
    blame: Vec<Option<Blame>>,
    /// Does the scenario restrict anything (a red line, an exclusion)? Read once: every text
    /// turned down asks.
    restricted: bool,
    /// Where the issues and the parties' utility functions are shared from, when they are
    /// (see [`Driver::new`]).
    shared: Option<Arc<crate::outcomes::OutcomeCache>>,
    /// Each party's utility made ready to score the texts it turns down, made on first use.
    scorers: Vec<std::cell::OnceCell<zopa_core::Scorer>>,
    /// How many values each issue has, when every issue is discrete: offers are checked
    /// against it every move ([`Driver::check_offer`]).
    value_counts: Option<Vec<u32>>,
}

impl<'s, 'k> Driver<'s, 'k> {
    /// The driver of one negotiation on `scenario`. With a `cache`, the issues and the
    /// parties' utility functions come from it (copied once for every negotiation sharing it:
    /// each copied them afresh, 6 % of a 10^3-outcome negotiation's instructions).
    pub fn new(
        scenario: &'s Scenario,
        config: DriverConfig,
        sink: TraceSink<'k>,
        cache: Option<&Arc<crate::outcomes::OutcomeCache>>,
    ) -> Self {
        let reservation: Vec<f64> = scenario
            .parties
            .iter()
            .map(|p| p.reservation_value())
            .collect();
        let threats = config.tactics.threats.len();
        Driver {
            scenario,
            issues: match cache {
                Some(cache) => cache.issues(scenario),
                None => Arc::new(scenario.issues.clone()),
            },
            config,
            start: Instant::now(),
            round: 0,
            time: 0.0,
            stated: reservation.clone(),
            reservation,
            timeline: Timeline::new(scenario),
            threatened: vec![false; threats],
            trace: Vec::new(),
            sink,
            strategies: vec![None; scenario.parties.len()],
            blame: vec![None; scenario.parties.len()],
            restricted: scenario.has_restrictions(),
            shared: cache.cloned(),
            scorers: vec![std::cell::OnceCell::new(); scenario.parties.len()],
            value_counts: scenario
                .issues
                .iter()
                .map(|i| match &i.kind {
                    IssueKind::Discrete { values, .. } => u32::try_from(values.len()).ok(),
                    _ => None,
                })
                .collect(),
        }
    }

    /// Is `o` a complete outcome of the scenario? [`check_outcome`], with its common case
    /// (every issue discrete) read off one list.
    pub fn check_offer(&self, o: &Outcome) -> Result<(), String> {
        if let Some(counts) = &self.value_counts {
            let fits = |(v, &n): (&Value, &u32)| matches!(*v, Value::Discrete(i) if i < n);
            if o.len() == counts.len() && o.iter().zip(counts).all(fits) {
                return Ok(());
            }
        }
        check_outcome(self.scenario, o)
    }

    /// Party `party`'s utility function, to hand to it.
    fn utility(&self, party: usize) -> Arc<zopa_core::UtilityFunction> {
        match &self.shared {
            Some(cache) => cache.utility(self.scenario, party),
            None => Arc::new(self.scenario.parties[party].utility.clone()),
        }
    }

    /// What the party in seat `index` of `negotiators` is told at the start: its own
    /// preferences, its current reservation value, the deadline and its seed.
    pub fn setup(
        &self,
        party: usize,
        index: usize,
        negotiators: usize,
        outcomes: crate::outcomes::Ranking,
    ) -> crate::session::Setup {
        let p = &self.scenario.parties[party];
        crate::session::Setup {
            name: p.name.clone(),
            index,
            negotiators,
            issues: Arc::clone(&self.issues),
            utility: self.utility(party),
            reservation: self.reservation[party],
            discount: p.discount,
            cost_per_round: p.cost_per_round.unwrap_or(0.0),
            deadline: self.config.deadline,
            seed: crate::protocols::derive_seed(self.config.seed, index as u64),
            red_lines: p.red_lines.clone(),
            outcomes: Arc::new(outcomes),
        }
    }

    /// [`Driver::setup`] for a voter: voters judge texts by utility and never rank the space,
    /// so their ranking is built only if read.
    pub fn voter_setup(
        &self,
        party: usize,
        index: usize,
        negotiators: usize,
    ) -> crate::session::Setup {
        let outcomes = crate::outcomes::Ranking::lazy(
            Arc::clone(&self.issues),
            self.utility(party),
            party,
            self.config.seed,
        );
        self.setup(party, index, negotiators, outcomes)
    }

    /// Time since the start; round deadlines never read the clock.
    fn elapsed(&self) -> Duration {
        if self.config.deadline.time.is_some() {
            self.start.elapsed()
        } else {
            Duration::ZERO
        }
    }

    /// Has the negotiation run out of rounds or time?
    pub fn passed(&self) -> bool {
        self.config.deadline.passed(self.round, self.elapsed())
    }

    /// Reads the clock and fires the events and threats due.
    pub fn tick(&mut self) {
        self.time = self.config.deadline.relative(self.round, self.elapsed());
        self.fire_events();
        for k in 0..self.config.tactics.threats.len() {
            let t = self.config.tactics.threats[k];
            if !self.threatened[k] && self.time >= t.at {
                self.threatened[k] = true;
                if !t.bluff {
                    self.reservation[t.party] += t.shift;
                    self.timeline.shift(t.party, t.shift);
                }
                let stated = self.stated[t.party] + t.shift;
                self.threaten(t.party, stated, t.bluff);
            }
        }
    }

    /// Is `party` stalling now?
    pub fn stalling(&self, party: usize) -> bool {
        self.config
            .tactics
            .stalls
            .iter()
            .any(|s| s.party == party && self.time < s.until)
    }

    /// Fires the events due by the current round and time and ends those whose end has come,
    /// in declaration order ([`Timeline::advance`]), and logs them.
    fn fire_events(&mut self) {
        if self.scenario.events.is_empty() {
            return;
        }
        let mut happened = Vec::new();
        self.timeline
            .advance(self.round, self.time, |h| happened.push(h));
        for h in happened {
            let e = &self.scenario.events[h.event];
            self.move_outside_option(e.party, h.after);
            let action = if h.ends {
                TraceAction::EventEnds
            } else {
                TraceAction::Event
            };
            self.log_event(action, h.event, h.before, h.after);
        }
    }

    /// Sets a party's outside option to `value`, and (events being public) moves its stated
    /// one by as much.
    fn move_outside_option(&mut self, party: usize, value: f64) {
        self.stated[party] += value - self.reservation[party];
        self.reservation[party] = value;
    }

    fn log_event(&mut self, action: TraceAction, k: usize, before: f64, after: f64) {
        let scenario = self.scenario;
        let e = &scenario.events[k];
        let party = &scenario.parties[e.party];
        let ends = if action == TraceAction::EventEnds {
            " ends"
        } else {
            ""
        };
        let mut said = Vec::new();
        if e.change.is_some() {
            // For a party with a no-deal model, the parameters that give the new value.
            let model = match &self.timeline.outside(e.party).model {
                Some(m) => format!(" (no-deal model: {m})"),
                None => String::new(),
            };
            said.push(format!(
                "reservation value of {} {} → {}{model}",
                party.name,
                zopa_core::round_for_display(before),
                zopa_core::round_for_display(after)
            ));
        }
        for m in &e.stances {
            said.push(format!(
                "{} now states {}",
                party.name,
                m.describe(&scenario.issues)
            ));
        }
        let note = format!("{}{ends}: {}", e.name, said.join("; "));
        self.push(TraceEvent {
            round: self.round,
            time: self.time,
            actor: "scenario".into(),
            action,
            outcome: None,
            utilities: None,
            note: Some(note),
            audience: Audience::Table,
            seen_by: None,
        });
    }

    /// A party announces that its outside option is now `stated` (true or a bluff).
    fn threaten(&mut self, party: usize, stated: f64, bluff: bool) {
        let before = self.stated[party];
        self.stated[party] = stated;
        let name = self.scenario.parties[party].name.clone();
        let note = format!(
            "{name} says its outside option is now {} (was {}){}",
            zopa_core::round_for_display(stated),
            zopa_core::round_for_display(before),
            if bluff { "; a bluff" } else { "" }
        );
        self.record(&name, TraceAction::Threat, None, Some(note));
    }

    fn push(&mut self, event: TraceEvent) {
        match &mut self.sink {
            TraceSink::Keep => self.trace.push(event),
            TraceSink::Stream(f) => f(event),
        }
    }

    /// Logs an action every party at the table saw.
    pub fn record(
        &mut self,
        actor: &str,
        action: TraceAction,
        outcome: Option<&Outcome>,
        note: Option<String>,
    ) {
        self.record_for(actor, action, outcome, note, Audience::Table, None);
    }

    /// Logs an action heard by `audience` only (with [`Audience::Party`], by `seen_by`).
    pub fn record_for(
        &mut self,
        actor: &str,
        action: TraceAction,
        outcome: Option<&Outcome>,
        note: Option<String>,
        audience: Audience,
        seen_by: Option<usize>,
    ) {
        let always = matches!(
            action,
            TraceAction::Error | TraceAction::Event | TraceAction::EventEnds
        );
        if !self.config.record_trace && !always {
            return;
        }
        let utilities = outcome.map(|o| utilities(self.scenario, o));
        self.push(TraceEvent {
            round: self.round,
            time: self.time,
            actor: actor.to_string(),
            action,
            outcome: outcome.cloned(),
            utilities,
            note,
            audience,
            seen_by,
        });
    }

    /// Calls into a party. A panic, a [`PartyFailure`](crate::protocols::PartyFailure) or an
    /// overrun of the move limit is recorded and returned as the [`End::Error`] that ends the
    /// negotiation.
    pub fn call<T>(&mut self, who: &Who, f: impl FnOnce() -> T) -> Result<T, End> {
        // The clock is read only when there is a limit to hold the move to.
        let began = self.config.move_limit.map(|limit| (limit, Instant::now()));
        let result = caught(f);
        let overrun = began.and_then(|(limit, began)| {
            let took = began.elapsed();
            (took > limit).then_some((limit, took))
        });
        match (result, overrun) {
            (Err(e), _) if e.panicked => Err(self.fail(who, &format!("panicked: {}", e.why))),
            (Err(e), _) => Err(self.fail(who, &format!("failed: {}", e.why))),
            (Ok(_), Some((limit, took))) => Err(self.fail(
                who,
                &format!(
                    "took {:.3} s for one move; the limit is {:.3} s",
                    took.as_secs_f64(),
                    limit.as_secs_f64()
                ),
            )),
            (Ok(x), None) => Ok(x),
        }
    }

    /// A party broke the protocol: recorded, and the [`End::Error`] that ends the negotiation.
    pub fn violation(&mut self, who: &Who, what: &str) -> End {
        self.fail(who, &format!("broke the protocol: {what}"))
    }

    /// A party could not be started (its constructor panicked).
    pub fn failed_to_start(&mut self, who: &Who, why: &str) -> End {
        self.fail(who, &format!("failed to start: {why}"))
    }

    fn fail(&mut self, who: &Who, what: &str) -> End {
        let why = format!("{} {what}", who.describe());
        self.record(&who.name, TraceAction::Error, None, Some(why.clone()));
        End::Error(why)
    }

    /// Can `text` stand as an agreement among `voters`? A restriction that is no voter's own
    /// red line — an exclusion, the line of a party on an issue it controls — is recorded
    /// against the mediator `actor` and ends the vote as a rejection.
    pub fn cannot_stand(&mut self, actor: &str, text: &Outcome, voters: &[usize]) -> Option<End> {
        let blocking = self.blocking(text, voters);
        if blocking.is_empty() {
            return None;
        }
        let note = format!("the text cannot stand: it {}", blocking.join("; it "));
        self.record(actor, TraceAction::Stop, Some(text), Some(note));
        Some(End::Rejected)
    }

    /// What keeps `text` from standing among `voters` besides their own red lines (which they
    /// veto themselves): exclusions and the lines of parties on issues they control, in words.
    pub fn blocking(&self, text: &Outcome, voters: &[usize]) -> Vec<String> {
        let scenario = self.scenario;
        scenario
            .breaches_for(text, voters)
            .into_iter()
            .filter(|r| {
                !matches!(r, zopa_core::Restriction::RedLine { party, .. } if voters.contains(party))
            })
            .map(|r| r.breach(scenario))
            .collect()
    }

    /// A voter's own red line that `text` breaches, as text.
    pub fn red_line_breached(&self, party: usize, text: &Outcome) -> Option<String> {
        let issues = &self.scenario.issues;
        self.scenario.parties[party]
            .breaches(issues, text)
            .map(|c| c.text(issues))
    }

    /// `party` said yes to the final text: what it turned down on the way is not why the
    /// negotiation failed.
    pub fn signed(&mut self, party: usize) {
        self.blame[party] = None;
    }

    /// `party` turned `text` down (rejected, vetoed, countered or walked away from it): if it
    /// was better for the party than its outside option now, that is its blame — unless the
    /// text could not stand anyway: it breaches the red line of the party or of another party
    /// taking part, an exclusion, or a controlling party's line.
    pub fn turned_down(&mut self, party: usize, text: &Outcome) {
        let r = self.refusal(party, 0);
        if let Some(b) = self.blame_for(&r, text) {
            self.blame[party] = Some(b);
        }
    }

    /// `party` turns down the text at `at` (a place the protocol keeps it under), to be
    /// weighed later by [`Driver::weigh_refusals`]: most texts turned down never matter (the
    /// negotiation ends in agreement, or a later text outweighs them), so they are not
    /// scored as they are turned down.
    pub fn refusal(&self, party: usize, at: usize) -> Refusal {
        Refusal {
            party,
            at,
            round: self.round,
            outside_option: self.reservation[party],
        }
    }

    /// What [`Driver::turned_down`] would have made of `refusals` (oldest first) one by one:
    /// each party's blame is its last refusal that blames it; `text` finds a refused text
    /// (a refusal whose text it does not find blames nobody).
    pub fn weigh_refusals<'o>(
        &mut self,
        refusals: &[Refusal],
        text: impl Fn(usize) -> Option<&'o Outcome>,
    ) {
        let mut weighed = vec![false; self.blame.len()];
        for r in refusals.iter().rev() {
            if weighed[r.party] {
                continue;
            }
            if let Some(b) = text(r.at).and_then(|t| self.blame_for(r, t)) {
                self.blame[r.party] = Some(b);
                weighed[r.party] = true;
            }
        }
    }

    /// The blame for refusing `text`, when it was better for the party than its outside
    /// option then — unless the text could not stand anyway (see [`Driver::turned_down`]).
    fn blame_for(&self, r: &Refusal, text: &Outcome) -> Option<Blame> {
        let party = r.party;
        let taking_part = |p: usize| p == party || self.strategies[p].is_some();
        if self.restricted && !self.scenario.admissible_where(text, taking_part) {
            return None;
        }
        let utility = self.scorers[party]
            .get_or_init(|| zopa_core::Scorer::new(self.utility(party)))
            .eval(text);
        (utility > r.outside_option).then_some(Blame {
            party,
            round: r.round,
            utility,
            outside_option: r.outside_option,
        })
    }

    /// Each party's utility of a partial agreement: for an additive utility, the agreed
    /// issues' weighted values plus the outside option's share of the weight left; a party
    /// whose utility is not additive keeps its outside option.
    pub fn partial_utilities(&self, partial: &[Option<zopa_core::Value>]) -> Vec<f64> {
        self.scenario
            .parties
            .iter()
            .enumerate()
            .map(|(p, party)| {
                let rv = self.reservation[p];
                match party.utility.as_additive() {
                    Some(a) => partial
                        .iter()
                        .enumerate()
                        .map(|(i, v)| match v {
                            Some(v) => a.weights[i] * a.evaluators[i].eval(*v),
                            None => a.weights[i] * rv,
                        })
                        .sum(),
                    None => rv,
                }
            })
            .collect()
    }

    /// Assembles the result.
    pub fn finish(
        self,
        protocol: &str,
        end: End,
        agreement: Option<Outcome>,
        rounds: u32,
    ) -> RunResult {
        self.finish_with(protocol, end, agreement, None, rounds)
    }

    /// [`Driver::finish`] with a partial agreement.
    pub fn finish_with(
        self,
        protocol: &str,
        end: End,
        agreement: Option<Outcome>,
        partial: Option<Vec<Option<zopa_core::Value>>>,
        rounds: u32,
    ) -> RunResult {
        let scenario = self.scenario;
        let utilities = match (&agreement, &partial) {
            (Some(o), _) => utilities(scenario, o),
            (None, Some(p)) => self.partial_utilities(p),
            (None, None) => self.reservation.clone(),
        };
        let payoffs = utilities
            .iter()
            .enumerate()
            .map(|(i, &u)| payoff(scenario, i, u, self.time, rounds))
            .collect();
        let blame = if blame_matters(&end, agreement.is_some() || partial.is_some()) {
            self.blame.iter().flatten().copied().collect()
        } else {
            Vec::new()
        };
        RunResult {
            protocol: protocol.to_string(),
            parties: scenario.parties.iter().map(|p| p.name.clone()).collect(),
            strategies: self.strategies,
            end,
            agreement,
            partial,
            utilities,
            payoffs,
            rounds,
            time: self.time,
            seed: self.config.seed,
            trace: self.trace,
            metrics: None,
            blame,
            opponent_models: vec![None; scenario.parties.len()],
        }
    }
}
