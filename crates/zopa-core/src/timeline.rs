//! The scenario's events in time: which have fired and which have ended, and each party's
//! outside option and stated positions as they leave them.
//!
//! The protocol driver advances one [`Timeline`] step by step during a run and logs what
//! happens; [`Scenario::at`] advances one to a round and returns the static picture (the
//! scenario as it stands then). Both read the same code, so an analysis "as of Dec 23" sees the
//! outside options a run sees on that day.

use crate::outside::{OutsideOption, OutsideState, ReservationChange};
use crate::scenario::{Scenario, ScenarioEvent};
use crate::{Evaluator, UtilityFunction};

/// Something that happened on the timeline.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Happening {
    /// Index into [`Scenario::events`].
    pub event: usize,
    /// The event ended (its change to the outside option undone) rather than started.
    pub ends: bool,
    /// The party's reservation value before and after (equal for an event that moves only
    /// stated positions).
    pub before: f64,
    pub after: f64,
}

/// Events fired and ended, and the outside options they leave.
#[derive(Debug, Clone)]
pub struct Timeline<'s> {
    scenario: &'s Scenario,
    /// Per event: the change it made to the reservation value, once it has fired.
    fired: Vec<Option<f64>>,
    /// Per event: has it ended (its change undone)?
    ended: Vec<bool>,
    /// The model events in force, in the order they fired: a model is rebuilt from them when
    /// one ends.
    in_force: Vec<usize>,
    /// Per party: its outside option now.
    outside: Vec<OutsideState>,
}

impl<'s> Timeline<'s> {
    /// Before the first round: no event has fired.
    pub fn new(scenario: &'s Scenario) -> Timeline<'s> {
        Timeline {
            scenario,
            fired: vec![None; scenario.events.len()],
            ended: vec![false; scenario.events.len()],
            in_force: Vec::new(),
            outside: scenario.parties.iter().map(OutsideState::of).collect(),
        }
    }

    /// Party `party`'s outside option now.
    pub fn outside(&self, party: usize) -> OutsideState {
        self.outside[party]
    }

    /// Has event `k` fired?
    pub fn fired(&self, k: usize) -> bool {
        self.fired[k].is_some()
    }

    /// Moves a party's reservation value by `delta` outside the scenario's events (a real
    /// threat made in a run); later events build on it.
    pub fn shift(&mut self, party: usize, delta: f64) {
        self.outside[party].value += delta;
    }

    /// Fires the events due by `round` / relative `time` and ends those whose end has come,
    /// in declaration order, calling `happened` for each.
    ///
    /// An event's change of the reservation value is computed, then made. A `shift` or
    /// `reservation` event that ends is undone by subtracting its change. A model event that
    /// ends restores the parameters instead: the party's model is rebuilt from the scenario's
    /// with the model events still in force, in the order they fired, and the reservation
    /// value moves by as much as the model's value does. (The value is not linear in the
    /// parameters — cost / (prevail + lose) — so subtracting the change would leave a value no
    /// parameters give once another event has moved the model meanwhile.)
    pub fn advance(&mut self, round: u32, time: f64, mut happened: impl FnMut(Happening)) {
        let scenario = self.scenario;
        let calendar = scenario.calendar.as_ref();
        for (k, e) in scenario.events.iter().enumerate() {
            if self.fired[k].is_none() && e.started(round, time, calendar) {
                let now = self.outside[e.party];
                let next = e.change.map_or(now, |c| c.apply(now));
                if matches!(e.change, Some(ReservationChange::Model(_))) {
                    self.in_force.push(k);
                }
                self.outside[e.party] = next;
                self.fired[k] = Some(next.value - now.value);
                happened(Happening {
                    event: k,
                    ends: false,
                    before: now.value,
                    after: next.value,
                });
            }
            // An event that ends undoes the change it made (checked after it fired, so one
            // that starts and ends within one step does both, in order).
            if let Some(delta) = self.fired[k] {
                if !self.ended[k] && e.ended(round, time, calendar) {
                    self.ended[k] = true;
                    let before = self.outside[e.party].value;
                    let after = match e.change {
                        Some(ReservationChange::Model(_)) => self.restore_model(k, e.party),
                        _ => before - delta,
                    };
                    self.outside[e.party].value = after;
                    happened(Happening {
                        event: k,
                        ends: true,
                        before,
                        after,
                    });
                }
            }
        }
    }

    /// Model event `k` of `party` has ended: its model becomes the scenario's with the model
    /// events still in force applied in the order they fired. Returns the new reservation
    /// value.
    fn restore_model(&mut self, k: usize, party: usize) -> f64 {
        self.in_force.retain(|&j| j != k);
        let now = self.outside[party];
        let Some(mut model) = self.scenario.parties[party].no_deal().copied() else {
            return now.value;
        };
        for &j in &self.in_force {
            let e: &ScenarioEvent = &self.scenario.events[j];
            if let (true, Some(ReservationChange::Model(c))) = (e.party == party, e.change) {
                model = model.with(&c);
            }
        }
        self.outside[party] = now.remodel(model);
        self.outside[party].value
    }
}

/// Rounds of a run when neither the caller nor the scenario's calendar gives a deadline.
pub const DEFAULT_ROUNDS: u32 = 100;

impl Scenario {
    /// The run's length when none is asked for: the calendar's deadline, else
    /// [`DEFAULT_ROUNDS`].
    pub fn default_rounds(&self) -> u32 {
        self.calendar
            .as_ref()
            .and_then(|c| c.rounds())
            .unwrap_or(DEFAULT_ROUNDS)
    }

    /// The round a moment names: a round number (`26`) or, with a calendar, a date
    /// (`2025-12-15`: the first round on or after it). `Err` says why not and what to write.
    pub fn round_at(&self, moment: &str) -> Result<u32, String> {
        if let Ok(r) = moment.trim().parse::<u32>() {
            return Ok(r);
        }
        let date = crate::parse_date(moment.trim()).map_err(|e| {
            format!("`{moment}` is neither a round number nor a date ({e}); write 26 or 2025-12-15")
        })?;
        let calendar = self.calendar.as_ref().ok_or_else(|| {
            format!(
                "`{moment}` is a date but the scenario has no [calendar] to place it; give a \
                 round number, or add a [calendar] (docs/scenario-format.md)"
            )
        })?;
        if date < calendar.start || calendar.end.is_some_and(|end| date > end) {
            return Err(format!(
                "{date} is outside the calendar ({calendar}); give a date within it"
            ));
        }
        calendar
            .round_of(date)
            .ok_or_else(|| format!("`{moment}` cannot be placed on the calendar"))
    }

    /// The scenario as it stands at the start of `round` (relative time `round / rounds`, for
    /// events placed in relative time): every event due by then has fired, in order, and every
    /// end due has come; each party's outside option and stated positions are what they left.
    /// The result is a static picture — it has no events (a note lists those that fired and
    /// those not yet due), and its calendar starts on that day, so that its deadline counts
    /// the rounds left — for analysing a moment of the talks (`zopa analyze --at`, a named
    /// text judged on its date). An outside option that
    /// is still exactly its no-deal model's value keeps the model; one that `shift` or
    /// `reservation` events moved becomes a number.
    pub fn at(&self, round: u32, rounds: u32) -> Scenario {
        let mut timeline = Timeline::new(self);
        let mut fired = Vec::new();
        for r in 0..=round {
            let time = if rounds == 0 {
                1.0
            } else {
                (r as f64 / rounds as f64).min(1.0)
            };
            timeline.advance(r, time, |h| {
                if !h.ends {
                    fired.push((h.event, r))
                }
            });
        }
        let mut s = self.clone();
        let mut said = Vec::new();
        let named = |ks: &mut dyn Iterator<Item = usize>| -> String {
            let names: Vec<&str> = ks.map(|k| self.events[k].name.as_str()).collect();
            if names.is_empty() {
                "none".into()
            } else {
                names.join(", ")
            }
        };
        let when = match self.calendar.as_ref().and_then(|c| c.date_of(round)) {
            Some(d) => format!("round {round} ({d})"),
            None => format!("round {round}"),
        };
        said.push(format!(
            "as of {when}: events fired: {}; not yet due: {}",
            named(&mut fired.iter().map(|&(k, _)| k)),
            named(&mut (0..self.events.len()).filter(|k| !timeline.fired(*k)))
        ));
        for (i, p) in s.parties.iter_mut().enumerate() {
            let now = timeline.outside(i);
            if now != OutsideState::of(p) {
                p.reservation = Some(match now.model {
                    Some(model) if now.value == model.value() => OutsideOption::NoDeal(model),
                    _ => now.value.into(),
                });
            }
        }
        for (k, r) in fired {
            let e = &self.events[k];
            let date = self.calendar.as_ref().and_then(|c| c.date_of(r));
            if let UtilityFunction::Additive(a) = &mut s.parties[e.party].utility {
                for m in &e.stances {
                    if let Some(Evaluator::Positional(p)) = a.evaluators.get_mut(m.issue) {
                        p.restate(m.position, date, &e.name);
                    }
                }
            }
        }
        s.events.clear();
        // The talks go on from that day: the calendar counts from it, so its deadline is the
        // rounds left.
        if let Some(c) = s.calendar.as_mut() {
            if let Some(d) = c.date_of(round) {
                c.start = d;
            }
        }
        s.notes.extend(said);
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        parse_date, AdditiveUtility, Calendar, Curve, EventTime, Issue, NoDeal, NoDealChange,
        Party, PositionalEvaluator, Role, ScenarioEvent, Shape, Stance, StanceMove,
    };

    /// Two parties on one issue of three positions (0, 50, 100), A's outside option a war,
    /// B's a number; a daily calendar of 30 rounds.
    fn talks() -> Scenario {
        let mut issue = Issue::discrete("line", &["hold", "split", "cede"]);
        issue.positions = Some(vec![0.0, 50.0, 100.0]);
        let party = |name: &str, ideal: f64, reservation: OutsideOption| Party {
            name: name.into(),
            role: Role::Negotiator,
            utility: UtilityFunction::Additive(AdditiveUtility {
                weights: vec![1.0],
                evaluators: vec![Evaluator::Positional(
                    PositionalEvaluator::new(
                        &[0.0, 50.0, 100.0],
                        ideal,
                        Shape::Monotone,
                        Curve::Linear,
                    )
                    .unwrap()
                    .with_stance(Stance::at(ideal))
                    .unwrap(),
                )],
                cap_at_one: false,
            }),
            reservation: Some(reservation),
            discount: None,
            cost_per_round: None,
            description: None,
            capability: None,
            salience: None,
            red_lines: Vec::new(),
            controls: Vec::new(),
        };
        Scenario {
            ranges: crate::Ranges::default(),
            name: "talks".into(),
            description: None,
            issues: vec![issue],
            parties: vec![
                party(
                    "A",
                    0.0,
                    OutsideOption::NoDeal(NoDeal::markov(0.01, 0.01, 0.001)),
                ),
                party("B", 100.0, OutsideOption::Fixed(0.4)),
            ],
            events: Vec::new(),
            calendar: Some(Calendar {
                end: Some(parse_date("2025-12-31").unwrap()),
                ..Calendar::new(parse_date("2025-12-01").unwrap())
            }),
            texts: Vec::new(),
            exclusions: Vec::new(),
            notes: Vec::new(),
        }
    }

    fn event(name: &str, party: usize, at: u32, until: Option<u32>) -> ScenarioEvent {
        ScenarioEvent {
            name: name.into(),
            party,
            at: EventTime::Round(at),
            until: until.map(EventTime::Round),
            change: None,
            stances: Vec::new(),
            description: None,
        }
    }

    #[test]
    fn the_scenario_at_a_round_has_the_outside_options_the_events_left() {
        let mut s = talks();
        let mut aid = event("aid", 0, 5, Some(10));
        aid.change = Some(ReservationChange::Model(NoDealChange {
            lose: Some(0.005),
            ..Default::default()
        }));
        let mut threat = event("threat", 1, 3, Some(8));
        threat.change = Some(ReservationChange::Set(0.3));
        let mut news = event("news", 1, 6, None);
        news.change = Some(ReservationChange::Shift(0.05));
        s.events = vec![aid, threat, news];
        s.validate().unwrap();
        let (a, b) = (s.parties[0].reservation_value(), 0.4);
        let rv = |r: u32| {
            let now = s.at(r, 30);
            assert!(now.events.is_empty());
            (
                now.parties[0].reservation_value(),
                now.parties[1].reservation_value(),
            )
        };
        assert_eq!(rv(2), (a, b));
        // The threat sets B's to 0.3; the news adds 0.05; the threat's end takes back its
        // own change (−0.1), not the news.
        assert_eq!(rv(3).1, 0.3);
        assert!((rv(6).1 - 0.35).abs() < 1e-12);
        assert!((rv(8).1 - 0.45).abs() < 1e-12);
        // Aid improves A's war while it lasts, and A's model is kept, not flattened.
        let helped = NoDeal::markov(0.01, 0.005, 0.001);
        assert_eq!(rv(5).0, helped.value());
        assert_eq!(s.at(5, 30).parties[0].no_deal(), Some(&helped));
        assert_eq!(rv(10).0, a);
        // A date names its round.
        assert_eq!(s.round_at("2025-12-06"), Ok(5));
        assert_eq!(s.round_at("5"), Ok(5));
        assert!(s
            .round_at("soon")
            .unwrap_err()
            .contains("write 26 or 2025-12-15"));
        assert_eq!(s.default_rounds(), 30);
        assert!(s
            .round_at("2026-02-01")
            .unwrap_err()
            .contains("outside the calendar"));
        assert!(s
            .round_at("2025-11-30")
            .unwrap_err()
            .contains("outside the calendar"));
        // From that day on: the calendar counts the rounds left, and a note names the events.
        let later = s.at(6, 30);
        assert_eq!(later.default_rounds(), 24);
        assert_eq!(
            later.notes.last().unwrap(),
            "as of round 6 (2025-12-07): events fired: threat, aid, news; not yet due: none"
        );
    }

    #[test]
    fn a_stance_event_moves_the_stated_position_and_nothing_else() {
        let mut s = talks();
        let mut berlin = event("berlin", 1, 4, None);
        berlin.stances = vec![StanceMove {
            issue: 0,
            position: 50.0,
        }];
        s.events = vec![berlin];
        s.validate().unwrap();
        let before = s.at(3, 30);
        let after = s.at(4, 30);
        let stance = |s: &Scenario| s.parties[1].positional(0).unwrap().stance().cloned();
        assert_eq!(stance(&before).unwrap().position, 100.0);
        let moved = stance(&after).unwrap();
        assert_eq!(moved.position, 50.0);
        assert_eq!(moved.date, Some(parse_date("2025-12-05").unwrap()));
        assert_eq!(moved.source.as_deref(), Some("event `berlin`"));
        // What B wants is unchanged: a stance is what a party says.
        let evals = |s: &Scenario| s.parties[1].positional(0).unwrap().evaluations().to_vec();
        assert_eq!(evals(&before), evals(&after));
        assert_eq!(
            s.events[0].effect(&s.issues),
            "states line = split (position 50)"
        );
    }

    #[test]
    fn stance_events_that_cannot_hold_are_refused() {
        let check = |mutate: &dyn Fn(&mut ScenarioEvent), party: usize| {
            let mut s = talks();
            let mut e = event("berlin", party, 4, None);
            e.stances = vec![StanceMove {
                issue: 0,
                position: 50.0,
            }];
            mutate(&mut e);
            s.events = vec![e];
            s.validate().map_err(|e| e.to_string())
        };
        let err = check(&|e| e.stances[0].position = 40.0, 1).unwrap_err();
        assert!(
            err.contains(
                "the stance 40 on `line` is not one of the issue's positions (0, 50, 100)"
            ),
            "{err}"
        );
        let err = check(&|e| e.until = Some(EventTime::Round(9)), 1).unwrap_err();
        assert!(err.contains("a stated position is not withdrawn"), "{err}");
        let err = check(&|e| e.stances.clear(), 1).unwrap_err();
        assert!(err.contains("it moves nothing"), "{err}");
        let mut s = talks();
        s.parties[0].utility = UtilityFunction::Additive(AdditiveUtility {
            weights: vec![1.0],
            evaluators: vec![Evaluator::Table(vec![1.0, 0.5, 0.0])],
            cap_at_one: false,
        });
        let mut e = event("berlin", 0, 4, None);
        e.stances = vec![StanceMove {
            issue: 0,
            position: 50.0,
        }];
        s.events = vec![e];
        let err = s.validate().unwrap_err().to_string();
        assert!(
            err.contains("`A` does not evaluate `line` by position"),
            "{err}"
        );
        assert!(check(&|_| {}, 1).is_ok());
    }
}
