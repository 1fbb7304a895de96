//! Tactics that bite: a staller whose delay costs it and one whose patience pays, both
//! measured against the same run without the stall; the time-dependent family reads costs of
//! delay, so the side that can wait longer gains.

mod common;

use common::pie;
use zopa_core::Scenario;
use zopa_mechanisms::protocols::driver::{Stall, Tactics};
use zopa_mechanisms::{run, Deadline, End, Protocol, RunResult, RunSpec, Spec};

/// The pie with outside options 0.3 each and costs of delay per round.
fn costly_pie(cost_a: f64, cost_b: f64) -> Scenario {
    let mut s = pie(100, (0.3, 0.3));
    s.parties[0].cost_per_round = Some(cost_a);
    s.parties[1].cost_per_round = Some(cost_b);
    s
}

fn sao(s: &Scenario, a: &str, b: &str, stall_a: Option<f64>) -> RunResult {
    let spec = RunSpec {
        protocol: Protocol::Sao,
        negotiators: vec![Spec::parse(a).unwrap(), Spec::parse(b).unwrap()],
        deadline: Deadline::rounds(100),
        tactics: Tactics {
            stalls: stall_a
                .map(|until| Stall { party: 0, until })
                .into_iter()
                .collect(),
            ..Default::default()
        },
        ..Default::default()
    };
    run(s, &spec).unwrap()
}

#[test]
fn the_side_that_can_wait_longer_gains() {
    // Two linear concessors; only the costs of delay differ.
    let cheap_a = sao(&costly_pie(0.0005, 0.004), "linear", "linear", None);
    let cheap_b = sao(&costly_pie(0.004, 0.0005), "linear", "linear", None);
    let free = sao(&costly_pie(0.0, 0.0), "linear", "linear", None);
    assert_eq!(free.utilities, [0.5, 0.5]);
    assert!(cheap_a.utilities[0] > 0.5 && cheap_a.utilities[0] > cheap_a.utilities[1]);
    assert!(cheap_b.utilities[1] > 0.5 && cheap_b.utilities[1] > cheap_b.utilities[0]);
    // Ignoring their costs (`delay=false`), both concede as if they had none …
    let s = costly_pie(0.0005, 0.004);
    let blind = sao(&s, "linear:delay=false", "linear:delay=false", None);
    assert_eq!(blind.utilities, [0.5, 0.5]);
    // … and the impatient side that reads its cost gives more away.
    let b_blind = sao(&s, "linear", "linear:delay=false", None);
    assert!(b_blind.utilities[0] < cheap_a.utilities[0]);
}

#[test]
fn a_patient_staller_gains() {
    // A loses little per round, B much: while A stalls, B concedes on its urgent clock.
    let s = costly_pie(0.0005, 0.004);
    let plain = sao(&s, "linear", "linear", None);
    let stalled = sao(&s, "linear", "linear", Some(0.6));
    assert_eq!(
        (plain.end.clone(), stalled.end.clone()),
        (End::Agreement, End::Agreement)
    );
    assert!(
        stalled.rounds > plain.rounds,
        "the stall delayed the agreement"
    );
    assert!(
        stalled.payoffs[0] > plain.payoffs[0] + 0.02,
        "patience did not pay: {} vs {}",
        stalled.payoffs[0],
        plain.payoffs[0]
    );
    // B pays for the delay and the concessions.
    assert!(stalled.payoffs[1] < plain.payoffs[1]);
    // The stalled turns repeat A's offer and say so.
    assert!(stalled
        .trace
        .iter()
        .any(|e| e.note.as_deref() == Some("stalls: repeats its last offer")));
}

#[test]
fn an_impatient_staller_pays_for_its_delay() {
    // A loses much per round: whatever the stall wrings out of B, the rounds cost A more.
    let s = costly_pie(0.008, 0.0005);
    let plain = sao(&s, "conceder", "conceder", None);
    let short = sao(&s, "conceder", "conceder", Some(0.5));
    let long = sao(&s, "conceder", "conceder", Some(0.9));
    // A gets a larger share of the pie the longer it stalls …
    assert!(long.utilities[0] > short.utilities[0] && short.utilities[0] > plain.utilities[0]);
    // … and ends worse off: utility less the cost of every round.
    assert!(
        short.payoffs[0] < plain.payoffs[0],
        "{:?} vs {:?}",
        short.payoffs,
        plain.payoffs
    );
    assert!(
        long.payoffs[0] < short.payoffs[0],
        "{:?} vs {:?}",
        long.payoffs,
        short.payoffs
    );
}
