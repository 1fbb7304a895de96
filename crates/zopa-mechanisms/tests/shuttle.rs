//! Shuttle diplomacy, voting rules in runs, threats, blame, and the flagship scenario: the
//! mediator's draft moves with the outside options, a late threat flips the final vote, a veto
//! holder is never outvoted, and who saw what is in the trace.

mod common;

use common::{pie, repo};
use zopa_core::Scenario;
use zopa_mechanisms::protocols::driver::{Stall, Tactics, Threat};
use zopa_mechanisms::protocols::voting::VotingRule;
use zopa_mechanisms::{
    run, Audience, Deadline, End, Protocol, Ratification, RunResult, RunSpec, Spec, TraceAction,
};

fn specs(names: &[&str]) -> Vec<Spec> {
    names.iter().map(|n| Spec::parse(n).unwrap()).collect()
}

fn shuttle(negotiators: &[&str], mediator: &str, rounds: u32) -> RunSpec {
    RunSpec {
        protocol: Protocol::Shuttle,
        negotiators: specs(negotiators),
        mediator: Some(Spec::parse(mediator).unwrap()),
        deadline: Deadline::rounds(rounds),
        seed: 3,
        ..Default::default()
    }
}

fn ukraine(file: &str) -> Scenario {
    zopa_formats::load(&repo(file), &zopa_formats::ReadOptions::genius()).unwrap()
}

fn ratified(r: &RunResult, party: &str) -> Option<String> {
    r.trace
        .iter()
        .rev()
        .find(|e| e.action == TraceAction::Ratify && e.actor == party)
        .and_then(|e| e.note.clone())
}

#[test]
fn each_party_sees_only_the_drafts_shown_to_it_and_answers_only_the_mediator() {
    let s = pie(10, (0.2, 0.2));
    let r = run(
        &s,
        &shuttle(&["boulware", "hill-climber"], "bargaining", 30),
    )
    .unwrap();
    let shows: Vec<_> = r
        .trace
        .iter()
        .filter(|e| e.action == TraceAction::Show)
        .collect();
    assert!(!shows.is_empty());
    for e in &shows {
        assert_eq!(e.audience, Audience::Party);
        assert!(e.seen_by.is_some(), "a draft shown to nobody in particular");
    }
    // Both parties are visited, in route order, every round.
    let first_round: Vec<usize> = shows
        .iter()
        .filter(|e| e.round == 0)
        .filter_map(|e| e.seen_by)
        .collect();
    assert_eq!(first_round, [0, 1]);
    for e in r
        .trace
        .iter()
        .filter(|e| matches!(e.action, TraceAction::Critique | TraceAction::Veto))
    {
        assert_eq!(e.audience, Audience::Mediator, "{e:?}");
    }
    // The open parts of the protocol (the final vote) are heard by the table.
    for e in r.trace.iter().filter(|e| e.action == TraceAction::Ratify) {
        assert_eq!(e.audience, Audience::Table);
    }
}

#[test]
fn a_late_threat_flips_the_final_vote() {
    let s = pie(10, (0.0, 0.0));
    let base = RunSpec {
        ratification: Ratification::AtDeadline,
        ..shuttle(&["hill-climber"], "bargaining", 20)
    };
    let calm = run(&s, &base).unwrap();
    assert_eq!(calm.end, End::Agreement, "{:?}", calm.trace);
    assert_eq!(calm.utilities, [0.5, 0.5], "the Nash split of the pie");
    // At t = 0.8 A commits to an outside option worth 0.6: the standing text (0.5 for A) no
    // longer beats it, and the mediator's new draft (better for A) is refused by B.
    let threatened = RunSpec {
        tactics: Tactics {
            threats: vec![Threat {
                party: 0,
                at: 0.8,
                shift: 0.6,
                bluff: false,
            }],
            ..Default::default()
        },
        ..base.clone()
    };
    let r = run(&s, &threatened).unwrap();
    assert_eq!(r.end, End::Rejected);
    assert_eq!(ratified(&r, "A").as_deref(), Some("no"));
    assert_eq!(ratified(&r, "B").as_deref(), Some("yes"));
    assert!(r.trace.iter().any(|e| e.action == TraceAction::Threat));
    // A's outside option is now 0.6: its result says so.
    assert!((r.utilities[0] - 0.6).abs() < 1e-12);
    // The same threat as a bluff moves only what A says: A still signs the standing text.
    let bluffed = RunSpec {
        tactics: Tactics {
            threats: vec![Threat {
                bluff: true,
                ..threatened.tactics.threats[0]
            }],
            ..Default::default()
        },
        ..base
    };
    let r = run(&s, &bluffed).unwrap();
    assert_eq!(r.end, End::Agreement);
}

#[test]
fn blame_falls_on_the_party_that_refused_texts_better_than_its_outside_option() {
    let s = pie(10, (0.2, 0.2));
    // A accepts every draft above its outside option; B, a hardliner, accepts only its best.
    let r = run(
        &s,
        &shuttle(&["hill-climber", "hardliner"], "bargaining", 20),
    )
    .unwrap();
    assert_ne!(r.end, End::Agreement);
    assert_eq!(r.blame.len(), 1, "{:?}", r.blame);
    let b = r.blame[0];
    assert_eq!(b.party, 1, "B is the culprit");
    assert!(b.utility > b.outside_option);
    assert_eq!(b.outside_option, 0.2);
    // After an agreement nobody is blamed.
    let r = run(&s, &shuttle(&["hill-climber"], "bargaining", 20)).unwrap();
    assert_eq!(r.end, End::Agreement);
    assert!(r.blame.is_empty());
}

#[test]
fn majority_carries_a_text_unanimity_does_not() {
    let mut s = pie(10, (0.0, 0.0));
    // A third party that gets nothing from any split and wants out (outside option 0.5).
    let mut c = s.parties[1].clone();
    c.name = "C".into();
    if let zopa_core::UtilityFunction::Additive(a) = &mut c.utility {
        a.evaluators = vec![zopa_core::Evaluator::Table(vec![0.0; 11])];
    }
    c.reservation = Some(0.5.into());
    s.parties.push(c);
    let unanimous = run(&s, &shuttle(&["hill-climber"], "bargaining", 10)).unwrap();
    assert_ne!(unanimous.end, End::Agreement);
    assert!(
        unanimous.blame.is_empty(),
        "C never saw a text worth its while"
    );
    let majority = RunSpec {
        voting: VotingRule::Majority,
        ..shuttle(&["hill-climber"], "hill-climbing", 10)
    };
    let r = run(&s, &majority).unwrap();
    assert_eq!(r.end, End::Agreement, "{:?}", r.trace);
    assert_eq!(ratified(&r, "C").as_deref(), Some("no"));
}

#[test]
fn a_party_that_stalls_is_absent_and_nothing_carries_meanwhile() {
    let s = pie(10, (0.0, 0.0));
    let spec = RunSpec {
        tactics: Tactics {
            stalls: vec![Stall {
                party: 1,
                until: 0.5,
            }],
            ..Default::default()
        },
        ..shuttle(&["hill-climber"], "bargaining", 20)
    };
    let r = run(&s, &spec).unwrap();
    assert_eq!(r.end, End::Agreement);
    let stalls = r
        .trace
        .iter()
        .filter(|e| e.action == TraceAction::Stall)
        .count();
    assert_eq!(stalls, 10, "B skips the visits of rounds 0–9");
    assert!(r.rounds > 10, "no text carried while B stalled");
}

#[test]
fn the_flagship_draft_moves_with_its_events() {
    let s = ukraine("scenarios/ukraine-2025/scenario.toml");
    // The final vote at the calendar's deadline, against the outside options of that day.
    let spec = RunSpec {
        ratification: Ratification::AtDeadline,
        ..shuttle(&["boulware"], "bargaining", 73)
    };
    let with_events = run(&s, &spec).unwrap();
    assert_eq!(with_events.protocol, "shuttle");
    let mut calm = s.clone();
    calm.events.clear();
    let without = run(&calm, &spec).unwrap();
    assert!(
        with_events.agreement != without.agreement || with_events.utilities != without.utilities,
        "the threats, the cut in support and the loan changed nothing: {:?}",
        with_events.utilities
    );
}

#[test]
fn europe_holding_a_veto_is_never_outvoted() {
    let s = ukraine("scenarios/ukraine-2025/variants/europe-at-table.toml");
    let europe = s.party_index("Europe").unwrap();
    let voting = VotingRule::parse("veto:3:Europe", &s).unwrap();
    let mut agreements = 0;
    for negotiators in [["boulware"], ["conceder"], ["hill-climber"], ["linear"]] {
        for mediator in ["bargaining", "hill-climbing"] {
            let spec = RunSpec {
                voting: voting.clone(),
                ..shuttle(&negotiators, mediator, 40)
            };
            let r = run(&s, &spec).unwrap();
            assert!(!matches!(r.end, End::Error(_)), "{:?}", r.end);
            if let Some(text) = &r.agreement {
                agreements += 1;
                let u = s.parties[europe].utility.eval(text);
                let rv = s.parties[europe].reservation_value();
                assert!(u >= rv, "{negotiators:?}/{mediator}: Europe {u} < {rv}");
                assert_eq!(ratified(&r, "Europe").as_deref(), Some("yes"));
            }
        }
    }
    assert!(agreements > 0, "no run reached an agreement to check");
}

#[test]
fn a_failed_package_is_split_into_the_agreements_that_carry() {
    use zopa_core::{
        AdditiveUtility, Evaluator, EventTime, Issue, ReservationChange, ScenarioEvent,
        UtilityFunction,
    };
    // Two issues: how to split x (A gets x), and y, which both want. The package is acceptable
    // until both outside options jump to 0.8 at t = 0.5; then only y still beats walking away.
    let mut s = pie(10, (0.3, 0.3));
    s.issues.push(Issue::discrete("y", &["no", "yes"]));
    for p in &mut s.parties {
        if let UtilityFunction::Additive(a) = &mut p.utility {
            *a = AdditiveUtility {
                weights: vec![0.5, 0.5],
                evaluators: vec![a.evaluators[0].clone(), Evaluator::Table(vec![0.0, 1.0])],
                cap_at_one: false,
            };
        }
    }
    for party in [0, 1] {
        s.events.push(ScenarioEvent {
            name: format!("war goes well for {party}"),
            party,
            at: EventTime::Relative(0.5),
            until: None,
            change: Some(ReservationChange::Set(0.8)),
            stances: Vec::new(),
            description: None,
        });
    }
    let spec = RunSpec {
        ratification: Ratification::AtDeadline,
        ..shuttle(&["hill-climber"], "bargaining", 10)
    };
    let package = run(&s, &spec).unwrap();
    assert_eq!(package.end, End::Rejected);
    let split = run(
        &s,
        &RunSpec {
            split: true,
            ..spec
        },
    )
    .unwrap();
    assert_eq!(split.end, End::Partial, "{:?}", split.trace);
    let partial = split.partial.as_ref().unwrap();
    assert_eq!(
        partial[1],
        Some(zopa_core::Value::Discrete(1)),
        "y is signed"
    );
    assert_eq!(partial[0], None, "x is left to the outside options");
    // Each party: y's half at full value, x's half at its outside option.
    for u in &split.utilities {
        assert!((u - (0.5 + 0.5 * 0.8)).abs() < 1e-12, "{u}");
    }
    assert!(split.trace.iter().any(|e| e.action == TraceAction::Split));
}

#[test]
fn a_consulted_stakeholder_shapes_the_draft_without_a_vote() {
    let s = ukraine("scenarios/ukraine-2025/scenario.toml");
    let europe = s.party_index("Europe").unwrap();
    let (russia, ukraine_) = (
        s.party_index("Russia").unwrap(),
        s.party_index("Ukraine").unwrap(),
    );
    let excluded = run(&s, &shuttle(&["hill-climber"], "bargaining", 30)).unwrap();
    let consulted = run(
        &s,
        &RunSpec {
            parties: Some(vec![russia, ukraine_, europe]),
            ..shuttle(&["hill-climber"], "bargaining", 30)
        },
    )
    .unwrap();
    for r in [&excluded, &consulted] {
        assert_eq!(r.end, End::Agreement, "{:?}", r.end);
        assert_eq!(ratified(r, "Europe"), None, "Europe voted");
    }
    // Europe's interests enter the mediator's bargaining point once it is consulted.
    assert!(
        consulted.utilities[europe] > excluded.utilities[europe],
        "consulted {:?} vs excluded {:?}",
        consulted.utilities,
        excluded.utilities
    );
    assert!(consulted
        .trace
        .iter()
        .any(|e| e.action == TraceAction::Show && e.seen_by == Some(europe)));
}

#[test]
fn a_named_opening_text_is_the_first_draft() {
    let s = pie(10, (0.0, 0.0));
    let opening = vec![zopa_core::Value::Discrete(9)];
    let spec = RunSpec {
        opening: Some(opening.clone()),
        ..shuttle(&["boulware"], "bargaining", 20)
    };
    let r = run(&s, &spec).unwrap();
    let first = r
        .trace
        .iter()
        .find(|e| e.action == TraceAction::Show)
        .unwrap();
    assert_eq!(first.outcome.as_ref(), Some(&opening));
    // The mediator's own draft follows: the Nash split.
    let second = r
        .trace
        .iter()
        .find(|e| e.action == TraceAction::Show && e.round == 1)
        .unwrap();
    assert_eq!(second.outcome, Some(vec![zopa_core::Value::Discrete(5)]));
}

#[test]
fn a_biased_bargaining_mediator_drafts_toward_its_own_stake() {
    let s = ukraine("scenarios/ukraine-2025/scenario.toml");
    let us = s.party_index("United States").unwrap();
    let neutral = run(&s, &shuttle(&["hill-climber"], "bargaining", 30)).unwrap();
    let biased = run(
        &s,
        &shuttle(&["hill-climber"], "bargaining:biased=true", 30),
    )
    .unwrap();
    assert_eq!(biased.end, End::Agreement, "{:?}", biased.end);
    assert!(
        biased.utilities[us] > neutral.utilities[us] + 0.1,
        "biased {:?} vs neutral {:?}",
        biased.utilities,
        neutral.utilities
    );
    // Every voter still gets its outside option: the bias works inside the zone.
    for (i, p) in s.parties.iter().enumerate() {
        if p.role == zopa_core::Role::Negotiator {
            assert!(biased.utilities[i] >= p.reservation_value());
        }
    }
}

#[test]
fn red_lines_exclusions_and_controlled_issues_hold_in_the_shuttle() {
    let s = zopa_formats::load(
        &repo("scenarios/examples/red-lines.toml"),
        &zopa_formats::ReadOptions::genius(),
    )
    .unwrap();
    // Open with every issue at its first value: it breaches a red line.
    let opening: Vec<zopa_core::Value> = s
        .issues
        .iter()
        .map(|_| zopa_core::Value::Discrete(0))
        .collect();
    let negotiators = s.negotiators();
    assert!(!s.admissible_for(&opening, &negotiators));
    let spec = RunSpec {
        opening: Some(opening),
        ..shuttle(&["hill-climber"], "bargaining", 30)
    };
    let r = run(&s, &spec).unwrap();
    assert!(
        r.trace.iter().any(|e| e.action == TraceAction::Veto
            && e.note.as_deref().is_some_and(|n| n.contains("red line"))),
        "no veto on the red line"
    );
    // The bargaining mediator drafts inside every restriction: the deal is admissible.
    assert_eq!(r.end, End::Agreement, "{:?}", r.end);
    let deal = r.agreement.unwrap();
    assert!(
        s.admissible_for(&deal, &negotiators),
        "{:?}",
        s.breaches_for(&deal, &negotiators)
    );
}
