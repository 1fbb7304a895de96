//! Events that move a no-deal model's parameters in a run: the reservation value follows the
//! model's closed form, the trace says so, and an event that ends restores the parameters.

mod common;

use common::pie;
use zopa_core::{
    EventTime, NoDeal, NoDealChange, OutsideOption, ReservationChange, Scenario, ScenarioEvent,
};
use zopa_mechanisms::{run, Deadline, End, Protocol, RunResult, RunSpec, Spec, TraceAction};

/// Two hardliners over 40 rounds: they never agree, so the result holds each party's
/// reservation value at the end.
fn stalemate(scenario: &Scenario) -> RunResult {
    let spec = RunSpec {
        protocol: Protocol::Sao,
        record_trace: true,
        negotiators: vec![
            Spec::parse("hardliner").unwrap(),
            Spec::parse("hardliner").unwrap(),
        ],
        deadline: Deadline::rounds(40),
        seed: 0,
        ..Default::default()
    };
    let r = run(scenario, &spec).unwrap();
    assert_eq!(r.end, End::Deadline);
    r
}

/// The pie with A's outside option a war that ends each period with 2 % (A prevails) or 1 %
/// (B does), costing A 0.004 a period: (0.02 − 0.004) / 0.03 = 8/15.
fn war() -> Scenario {
    let mut s = pie(100, (0.0, 0.1));
    s.parties[0].reservation = Some(OutsideOption::NoDeal(NoDeal::markov(0.02, 0.01, 0.004)));
    s
}

fn event(name: &str, at: f64, until: Option<f64>, change: ReservationChange) -> ScenarioEvent {
    ScenarioEvent {
        name: name.into(),
        party: 0,
        at: EventTime::Relative(at),
        until: until.map(EventTime::Relative),
        change: Some(change),
        stances: Vec::new(),
        description: None,
    }
}

fn sets(prevail: Option<f64>, cost: Option<f64>) -> ReservationChange {
    ReservationChange::Model(NoDealChange {
        prevail,
        cost,
        ..Default::default()
    })
}

/// The `event` and `event-ends` notes of a run, with their rounds.
fn event_lines(r: &RunResult) -> Vec<(TraceAction, u32, String)> {
    r.trace
        .iter()
        .filter(|e| matches!(e.action, TraceAction::Event | TraceAction::EventEnds))
        .map(|e| (e.action, e.round, e.note.clone().unwrap()))
        .collect()
}

/// Battlefield news doubles A's chance of prevailing: its reservation value rises by
/// (0.04 − 0.004)/0.05 − (0.02 − 0.004)/0.03 = 0.72 − 8/15, the closed-form amount.
#[test]
fn raising_prevail_raises_the_reservation_value_by_the_closed_form_amount() {
    let mut s = war();
    s.events
        .push(event("offensive", 0.2, None, sets(Some(0.04), None)));
    assert_eq!(s.validate(), Ok(()));
    let r = stalemate(&s);
    assert_eq!(
        event_lines(&r),
        [(
            TraceAction::Event,
            8,
            "offensive: reservation value of A 0.533333333333 → 0.72 (no-deal model: prevail \
             4 %/period, lose 1 %/period, cost 0.004/period)"
                .to_string()
        )]
    );
    let before = NoDeal::markov(0.02, 0.01, 0.004).value();
    assert_eq!(before, 8.0 / 15.0);
    let raise = (0.04 - 0.004) / 0.05 - (0.02 - 0.004) / 0.03;
    assert!((r.utilities[0] - before - raise).abs() < 1e-15);
    // Exactly the new model's value, not the old value plus a rounded difference.
    assert_eq!(r.utilities, [0.72, 0.1]);
}

/// Aid raises `prevail` from t = 0.2 to 0.6; from t = 0.4 the war costs more. When the aid
/// ends, the model is the scenario's with the cost increase alone: (0.02 − 0.006) / 0.03 =
/// 7/15. Subtracting the aid's change instead would leave 0.72 − 0.04 − (0.72 − 8/15) ≈
/// 0.4933, a value no parameters give.
#[test]
fn an_event_that_ends_restores_the_parameters_it_set() {
    let mut s = war();
    s.events
        .push(event("aid", 0.2, Some(0.6), sets(Some(0.04), None)));
    s.events
        .push(event("attrition", 0.4, None, sets(None, Some(0.006))));
    let r = stalemate(&s);
    let lines = event_lines(&r);
    let notes: Vec<&str> = lines.iter().map(|(_, _, n)| n.as_str()).collect();
    assert_eq!(
        notes,
        [
            "aid: reservation value of A 0.533333333333 → 0.72 (no-deal model: prevail 4 %/period, lose 1 %/period, cost 0.004/period)",
            "attrition: reservation value of A 0.72 → 0.68 (no-deal model: prevail 4 %/period, lose 1 %/period, cost 0.006/period)",
            "aid ends: reservation value of A 0.68 → 0.466666666667 (no-deal model: prevail 2 %/period, lose 1 %/period, cost 0.006/period)",
        ]
    );
    assert_eq!(
        lines.iter().map(|l| (l.0, l.1)).collect::<Vec<_>>(),
        [
            (TraceAction::Event, 8),
            (TraceAction::Event, 16),
            (TraceAction::EventEnds, 24)
        ]
    );
    assert_eq!(r.utilities[0], 7.0 / 15.0);
    assert_eq!(r.utilities[0], NoDeal::markov(0.02, 0.01, 0.006).value());
}

/// A `shift` on a party with a model stays in force when the model moves: the value is the
/// model's plus the shift.
#[test]
fn shifts_and_model_events_add_up() {
    let mut s = war();
    s.events.push(event(
        "sanctions",
        0.1,
        None,
        ReservationChange::Shift(-0.1),
    ));
    s.events
        .push(event("offensive", 0.2, None, sets(Some(0.04), None)));
    let r = stalemate(&s);
    assert!(
        (r.utilities[0] - (0.72 - 0.1)).abs() < 1e-15,
        "{:?}",
        r.utilities
    );
    // Ending a model event with a shift in force keeps the shift too.
    let mut s = war();
    s.events.push(event(
        "sanctions",
        0.1,
        None,
        ReservationChange::Shift(-0.1),
    ));
    s.events
        .push(event("offensive", 0.2, Some(0.5), sets(Some(0.04), None)));
    let r = stalemate(&s);
    assert!(
        (r.utilities[0] - (8.0 / 15.0 - 0.1)).abs() < 1e-15,
        "{:?}",
        r.utilities
    );
}
