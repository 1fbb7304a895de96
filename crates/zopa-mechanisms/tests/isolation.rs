//! A party that panics, overruns its move limit or breaks the protocol ends its own
//! negotiation — in every protocol — as `End::Error` naming the party and its strategy, with an
//! `error` line in the trace; nothing unwinds past the driver.

mod common;

use std::time::Duration;

use common::pie;
use zopa_core::Scenario;
use zopa_mechanisms::protocols::alternating::{self, Seat};
use zopa_mechanisms::protocols::driver::DriverConfig;
use zopa_mechanisms::protocols::mediated::{
    self, Feedback, Mediator, Response, TextView, Voter, VoterSeat,
};
use zopa_mechanisms::protocols::shuttle::{self, Candor, StartCritic};
use zopa_mechanisms::session::{Action, Negotiator, Outcome, View};
use zopa_mechanisms::strategies::voters::HillClimber;
use zopa_mechanisms::strategies::{TimeDependent, TimeDependentConfig};
use zopa_mechanisms::{Deadline, End, RunResult, TraceAction};

/// How a misbehaving party misbehaves.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Fault {
    Panic,
    Slow,
    Violation,
}

const FAULTS: [Fault; 3] = [Fault::Panic, Fault::Slow, Fault::Violation];

/// What the error must say for each fault.
fn expected(fault: Fault) -> &'static str {
    match fault {
        Fault::Panic => "panicked: the strategy fell over",
        Fault::Slow => "took",
        Fault::Violation => "broke the protocol",
    }
}

fn misbehave(fault: Fault) -> Outcome {
    match fault {
        Fault::Panic => panic!("the strategy fell over"),
        Fault::Slow => std::thread::sleep(Duration::from_millis(40)),
        Fault::Violation => return vec![zopa_core::Value::Discrete(99)],
    }
    vec![zopa_core::Value::Discrete(0)]
}

struct BadNegotiator(Fault);

impl Negotiator for BadNegotiator {
    fn act(&mut self, _view: &View<'_>) -> Action {
        Action::Offer(misbehave(self.0))
    }
}

struct BadVoter(Fault);

impl Voter for BadVoter {
    fn vote(&mut self, _view: &TextView<'_>, _text: &Outcome) -> bool {
        misbehave(self.0);
        true
    }
    fn feedback(&mut self, _view: &TextView<'_>, _text: &Outcome) -> Feedback {
        misbehave(self.0);
        Feedback::Same
    }
    fn ratify(&mut self, _view: &TextView<'_>, _text: &Outcome) -> bool {
        misbehave(self.0);
        true
    }
}

struct BadMediator(Fault);

impl Mediator for BadMediator {
    fn propose(&mut self, _round: u32, _time: f64, _standing: Option<&Outcome>) -> Option<Outcome> {
        Some(misbehave(self.0))
    }
    fn observe(&mut self, _text: &Outcome, _response: &Response, _accepted: bool) {}
}

/// A mediator that always proposes the same valid text.
struct Steady;

impl Mediator for Steady {
    fn propose(&mut self, _round: u32, _time: f64, _standing: Option<&Outcome>) -> Option<Outcome> {
        Some(vec![zopa_core::Value::Discrete(5)])
    }
    fn observe(&mut self, _text: &Outcome, _response: &Response, _accepted: bool) {}
}

fn driver() -> DriverConfig {
    DriverConfig {
        move_limit: Some(Duration::from_millis(20)),
        ..DriverConfig::new(Deadline::rounds(10), 1)
    }
}

/// The run ended as an error naming `who`, and the trace's last line says so.
fn check(r: &RunResult, who: &str, fault: Fault, protocol: &str) {
    let End::Error(why) = &r.end else {
        panic!("{protocol}/{fault:?}: ended {:?}", r.end);
    };
    assert!(why.starts_with(who), "{protocol}/{fault:?}: {why}");
    assert!(why.contains(expected(fault)), "{protocol}/{fault:?}: {why}");
    let last = r.trace.last().expect("a trace");
    assert_eq!(last.action, TraceAction::Error, "{protocol}/{fault:?}");
    assert_eq!(last.note.as_deref(), Some(why.as_str()));
}

fn linear(s: &zopa_mechanisms::session::Setup) -> Box<dyn Negotiator> {
    Box::new(TimeDependent::new(TimeDependentConfig::new(1.0), s))
}

fn alternating_run(s: &Scenario, fault: Fault, protocol: &str) -> RunResult {
    let mut seats = vec![Seat {
        party: 0,
        strategy: "linear".into(),
        start: Box::new(linear),
    }];
    for party in 1..s.parties.len() {
        seats.push(Seat {
            party,
            strategy: "bad".into(),
            start: Box::new(move |_| Box::new(BadNegotiator(fault))),
        });
    }
    let config = alternating::Config {
        driver: driver(),
        protocol: protocol.into(),
        cache: None,
        history_window: alternating::HISTORY_WINDOW,
    };
    alternating::run(s, seats, &config)
}

#[test]
fn sao_and_stacked() {
    let two = pie(10, (0.0, 0.0));
    let mut three = two.clone();
    let mut c = three.parties[1].clone();
    c.name = "C".into();
    three.parties.push(c);
    for fault in FAULTS {
        check(
            &alternating_run(&two, fault, "sao"),
            "B (bad)",
            fault,
            "sao",
        );
        check(
            &alternating_run(&three, fault, "stacked"),
            "B (bad)",
            fault,
            "stacked",
        );
    }
}

fn mediated_config(name: &str) -> mediated::Config {
    mediated::Config {
        driver: driver(),
        ratification: Default::default(),
        mediator_party: None,
        mediator_name: name.into(),
        voting: Default::default(),
        cache: None,
    }
}

#[test]
fn mediated_voter_and_mediator() {
    let s = pie(10, (0.0, 0.0));
    for fault in [Fault::Panic, Fault::Slow] {
        let voters = vec![
            VoterSeat {
                party: 0,
                strategy: "hill-climber".into(),
                start: Box::new(|s: &_| Box::new(HillClimber::new(s)) as Box<dyn Voter>),
            },
            VoterSeat {
                party: 1,
                strategy: "bad".into(),
                start: Box::new(move |_: &_| Box::new(BadVoter(fault)) as Box<dyn Voter>),
            },
        ];
        let r = mediated::run(
            &s,
            voters,
            Box::new(|_| Box::new(Steady)),
            &mediated_config("steady"),
        );
        check(&r, "B (bad)", fault, "mediated voter");
    }
    for fault in FAULTS {
        let voters = (0..2)
            .map(|party| VoterSeat {
                party,
                strategy: "hill-climber".into(),
                start: Box::new(|s: &_| Box::new(HillClimber::new(s)) as Box<dyn Voter>),
            })
            .collect();
        let r = mediated::run(
            &s,
            voters,
            Box::new(move |_| Box::new(BadMediator(fault))),
            &mediated_config("bad"),
        );
        check(&r, "mediator (bad)", fault, "mediated mediator");
    }
}

#[test]
fn a_voter_that_panics_when_ratifying_is_an_error_not_a_no() {
    // Accepts every proposal, then falls over at the final vote.
    struct RatifyPanics;
    impl Voter for RatifyPanics {
        fn vote(&mut self, _: &TextView<'_>, _: &Outcome) -> bool {
            true
        }
        fn feedback(&mut self, _: &TextView<'_>, _: &Outcome) -> Feedback {
            Feedback::Same
        }
        fn ratify(&mut self, _: &TextView<'_>, _: &Outcome) -> bool {
            panic!("the strategy fell over")
        }
    }
    struct Once(bool);
    impl Mediator for Once {
        fn propose(&mut self, _: u32, _: f64, _: Option<&Outcome>) -> Option<Outcome> {
            std::mem::replace(&mut self.0, false).then(|| vec![zopa_core::Value::Discrete(5)])
        }
        fn observe(&mut self, _: &Outcome, _: &Response, _: bool) {}
    }
    let s = pie(10, (0.0, 0.0));
    let voters = (0..2)
        .map(|party| VoterSeat {
            party,
            strategy: "sly".into(),
            start: Box::new(|_: &_| Box::new(RatifyPanics) as Box<dyn Voter>),
        })
        .collect();
    let r = mediated::run(
        &s,
        voters,
        Box::new(|_| Box::new(Once(true))),
        &mediated_config("once"),
    );
    check(&r, "A (sly)", Fault::Panic, "mediated ratify");
}

fn shuttle_config(name: &str) -> shuttle::Config {
    shuttle::Config {
        driver: driver(),
        mediator_party: None,
        mediator_name: name.into(),
        voting: Default::default(),
        voters: vec![0, 1],
        patience: 10,
        candor: Candor::Truthful,
        opening: None,
        ratification: Default::default(),
        split: false,
        cache: None,
    }
}

#[test]
fn shuttle_seats_and_mediator() {
    let s = pie(10, (0.0, 0.0));
    for fault in FAULTS {
        // A negotiator in a shuttle seat: its counter-offer is read as a critique.
        let seats = vec![
            shuttle::Seat {
                party: 0,
                strategy: "linear".into(),
                start: StartCritic::Negotiator(Box::new(linear)),
            },
            shuttle::Seat {
                party: 1,
                strategy: "bad".into(),
                start: StartCritic::Negotiator(Box::new(move |_| Box::new(BadNegotiator(fault)))),
            },
        ];
        let r = shuttle::run(
            &s,
            seats,
            Box::new(|_| Box::new(Steady)),
            &shuttle_config("steady"),
        );
        check(&r, "B (bad)", fault, "shuttle negotiator");
        let seats = (0..2)
            .map(|party| shuttle::Seat {
                party,
                strategy: "hill-climber".into(),
                start: StartCritic::Voter(Box::new(|s: &_| {
                    Box::new(HillClimber::new(s)) as Box<dyn Voter>
                })),
            })
            .collect();
        let r = shuttle::run(
            &s,
            seats,
            Box::new(move |_| Box::new(BadMediator(fault))),
            &shuttle_config("bad"),
        );
        check(&r, "mediator (bad)", fault, "shuttle mediator");
    }
}
