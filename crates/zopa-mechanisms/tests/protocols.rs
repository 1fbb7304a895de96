//! Protocol and strategy behaviour: determinism, the Faratin curve, tit-for-tat mirroring,
//! MiCRO's concession rule, errors that never take the process down, events, stakeholders.

mod common;

use common::{party, pie, shared};
use zopa_core::{EventTime, ReservationChange, Role, Scenario, ScenarioEvent, Value};
use zopa_mechanisms::protocols::alternating::{self, Seat};
use zopa_mechanisms::protocols::driver::DriverConfig;
use zopa_mechanisms::registry::{self, Kind};
use zopa_mechanisms::session::{Action, Negotiator, View};
use zopa_mechanisms::strategies::{TimeDependent, TimeDependentConfig};
use zopa_mechanisms::{run, Deadline, End, Protocol, RunResult, RunSpec, Spec, TraceAction};

fn england_zimbabwe() -> Scenario {
    zopa_formats::load(
        &shared("scenarios/NegotiatorGUI/etc/templates/anac/y2010/EnglandZimbabwe"),
        &zopa_formats::ReadOptions::genius(),
    )
    .unwrap()
}

fn sao(scenario: &Scenario, a: &str, b: &str, rounds: u32, seed: u64) -> RunResult {
    let spec = RunSpec {
        ratification: Default::default(),
        protocol: Protocol::Sao,
        cache: None,
        record_trace: true,
        negotiators: vec![Spec::parse(a).unwrap(), Spec::parse(b).unwrap()],
        parties: None,
        mediator: None,
        deadline: Deadline::rounds(rounds),
        seed,
        ..Default::default()
    };
    run(scenario, &spec).unwrap()
}

/// The names of every registered strategy of `kind`.
fn registered(kind: Kind) -> Vec<&'static str> {
    registry::strategies()
        .iter()
        .filter(|s| s.kind() == kind)
        .map(|s| s.name)
        .collect()
}

/// Offers made by `actor`, with their time and the offerer's own utility.
fn offers(r: &RunResult, actor: &str, party: usize) -> Vec<(f64, f64)> {
    r.trace
        .iter()
        .filter(|e| e.actor == actor && e.action == TraceAction::Offer)
        .map(|e| (e.time, e.utilities.as_ref().unwrap()[party]))
        .collect()
}

#[test]
fn same_seed_same_trace_for_every_strategy() {
    let s = england_zimbabwe();
    for a in registered(Kind::Negotiator) {
        for b in ["random", "conceder", "agentk"] {
            let x = sao(&s, a, b, 60, 7);
            let y = sao(&s, a, b, 60, 7);
            assert_eq!(x, y, "{a} vs {b} is not deterministic");
        }
    }
    let x = sao(&s, "random", "random", 60, 1);
    let y = sao(&s, "random", "random", 60, 2);
    assert_ne!(
        x.trace, y.trace,
        "different seeds should give different random play"
    );
}

#[test]
fn time_dependent_offers_follow_the_faratin_curve() {
    let s = pie(1000, (0.2, 0.0));
    for (name, e) in [
        ("boulware", 0.2),
        ("linear", 1.0),
        ("conceder", 2.0),
        ("time-dependent:e=0.5", 0.5),
    ] {
        let r = sao(&s, name, "hardliner", 50, 0);
        let td = TimeDependentConfig::new(e);
        let mine = offers(&r, "A", 0);
        assert!(mine.len() >= 40, "{name}: {} offers", mine.len());
        for (t, u) in mine {
            let target = td.target(t, 0.2, 1.0);
            assert!(
                (u - target).abs() <= 0.0005 + 1e-12,
                "{name} at t = {t}: offered {u}, target {target}"
            );
        }
    }
}

#[test]
fn tit_for_tat_mirrors_concessions() {
    let s = pie(1000, (0.0, 0.0));
    let r = sao(&s, "tit-for-tat", "linear", 40, 0);
    let mine = offers(&r, "A", 0);
    // A's utility of B's offers: what B concedes to A.
    let theirs: Vec<f64> = r
        .trace
        .iter()
        .filter(|e| e.actor == "B" && e.action == TraceAction::Offer)
        .map(|e| e.utilities.as_ref().unwrap()[0])
        .collect();
    let mut checked = 0;
    for k in 2..mine.len().min(theirs.len()) {
        // A's k-th offer answers B's offers k−1 and k−2 (A moves first each round).
        let their_concession = theirs[k - 1] - theirs[k - 2];
        let my_concession = mine[k - 1].1 - mine[k].1;
        assert!(
            (my_concession - their_concession).abs() <= 0.0011,
            "round {k}: conceded {my_concession}, opponent {their_concession}"
        );
        checked += 1;
    }
    assert!(checked > 10);
}

#[test]
fn micro_concedes_only_as_far_as_the_opponent() {
    let s = england_zimbabwe();
    for opponent in ["conceder", "boulware", "random"] {
        let r = sao(&s, "micro", opponent, 100, 3);
        let mut mine: Vec<&Vec<Value>> = Vec::new();
        let mut theirs: Vec<&Vec<Value>> = Vec::new();
        for e in &r.trace {
            let Some(o) = &e.outcome else { continue };
            if e.action != TraceAction::Offer {
                continue;
            }
            if e.actor == "England" {
                if !mine.contains(&o) {
                    assert!(
                        theirs.len() >= mine.len() || mine.is_empty(),
                        "vs {opponent}: new offer #{} after only {} distinct opponent offers",
                        mine.len() + 1,
                        theirs.len()
                    );
                    mine.push(o);
                }
            } else if !theirs.contains(&o) {
                theirs.push(o);
            }
        }
    }
}

struct Panicker;
impl Negotiator for Panicker {
    fn act(&mut self, _view: &View<'_>) -> Action {
        panic!("strategy bug")
    }
}

struct Cheater;
impl Negotiator for Cheater {
    fn act(&mut self, _view: &View<'_>) -> Action {
        Action::Accept
    }
}

#[test]
fn a_misbehaving_negotiator_ends_its_negotiation_with_a_recorded_error() {
    let s = pie(10, (0.0, 0.0));
    let config = alternating::Config {
        driver: DriverConfig::new(Deadline::rounds(10), 0),
        cache: None,
        protocol: "sao".into(),
        history_window: alternating::HISTORY_WINDOW,
    };
    for (bad, expect) in [
        (Box::new(Panicker) as Box<dyn Negotiator>, "strategy bug"),
        (Box::new(Cheater), "accepted before any offer"),
    ] {
        let seats = vec![
            Seat {
                party: 0,
                strategy: "bad".into(),
                start: Box::new(move |_| bad),
            },
            Seat {
                party: 1,
                strategy: "linear".into(),
                start: Box::new(|s| Box::new(TimeDependent::new(TimeDependentConfig::new(1.0), s))),
            },
        ];
        let r = alternating::run(&s, seats, &config);
        match &r.end {
            End::Error(e) => assert!(e.contains('A') && e.contains(expect), "{e}"),
            other => panic!("expected an error, got {other:?}"),
        }
        assert_eq!(r.trace.last().unwrap().action, TraceAction::Error);
    }
}

/// A strategy is built when the protocol seats it; a constructor that panics ends the run
/// with an error naming the party, as a panicking turn does, and nobody acts.
#[test]
fn a_constructor_that_panics_ends_the_run_as_failed_to_start() {
    let s = pie(10, (0.0, 0.0));
    let config = alternating::Config {
        driver: DriverConfig::new(Deadline::rounds(10), 0),
        cache: None,
        protocol: "sao".into(),
        history_window: alternating::HISTORY_WINDOW,
    };
    let seats = vec![
        Seat {
            party: 0,
            strategy: "linear".into(),
            start: Box::new(|s| Box::new(TimeDependent::new(TimeDependentConfig::new(1.0), s))),
        },
        Seat {
            party: 1,
            strategy: "broken".into(),
            start: Box::new(|_| panic!("no outcomes to rank")),
        },
    ];
    let r = alternating::run(&s, seats, &config);
    assert_eq!(
        r.end,
        End::Error("B (broken) failed to start: no outcomes to rank".into())
    );
    assert_eq!(r.rounds, 0);
    let actions: Vec<&str> = r.trace.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["error"]);

    use zopa_mechanisms::protocols::mediated::{self, VoterSeat};
    use zopa_mechanisms::strategies::voters::HillClimber;
    let config = mediated::Config {
        driver: DriverConfig::new(Deadline::rounds(10), 0),
        ratification: Default::default(),
        mediator_party: None,
        mediator_name: "broken".into(),
        voting: Default::default(),
        cache: None,
    };
    let voters = || {
        (0..2)
            .map(|party| VoterSeat {
                party,
                strategy: "hill-climber".into(),
                start: Box::new(|s: &_| Box::new(HillClimber::new(s)) as Box<_>),
            })
            .collect()
    };
    let r = mediated::run(&s, voters(), Box::new(|_| panic!("no text")), &config);
    assert_eq!(
        r.end,
        End::Error("mediator (broken) failed to start: no text".into())
    );
    // The error is in the trace, as in every protocol (it used to be missing here).
    let actions: Vec<&str> = r.trace.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["error"]);
}

#[test]
fn events_move_reservation_values_and_show_in_the_trace() {
    let mut s = pie(100, (0.1, 0.1));
    s.events.push(ScenarioEvent {
        name: "threat".into(),
        party: 0,
        at: EventTime::Relative(0.5),
        until: None,
        change: Some(ReservationChange::Set(0.8)),
        stances: Vec::new(),
        description: None,
    });
    let r = sao(&s, "linear", "hardliner", 40, 0);
    let event = r
        .trace
        .iter()
        .find(|e| e.action == TraceAction::Event)
        .expect("the event is in the trace");
    assert!((event.time - 0.5).abs() < 1e-9 && event.note.as_ref().unwrap().contains("0.8"));
    for (t, u) in offers(&r, "A", 0) {
        if t >= 0.5 {
            assert!(u >= 0.8 - 1e-9, "after the threat A offered {u} at {t}");
        }
    }
    assert_eq!(r.end, End::Deadline);
    assert_eq!(
        r.utilities[0], 0.8,
        "no deal: A keeps its new outside option"
    );
}

#[test]
fn stacked_protocol_needs_every_other_party_to_accept() {
    let mut s = pie(10, (0.0, 0.0));
    s.parties
        .push(party("C", Role::Negotiator, vec![0.5; 11], 0.0));
    let spec = RunSpec {
        ratification: Default::default(),
        protocol: Protocol::Stacked,
        cache: None,
        record_trace: true,
        negotiators: vec![Spec::parse("conceder").unwrap()],
        parties: None,
        mediator: None,
        deadline: Deadline::rounds(30),
        seed: 0,
        ..Default::default()
    };
    let r = run(&s, &spec).unwrap();
    assert_eq!(r.end, End::Agreement);
    let tail: Vec<&str> = r
        .trace
        .iter()
        .rev()
        .take(2)
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(tail, ["accept", "accept"]);
}

#[test]
fn mediated_single_text_scores_stakeholders_without_their_vote() {
    let mut s = pie(20, (0.2, 0.2));
    s.parties.push(party(
        "Europe",
        Role::Stakeholder,
        (0..=20).map(|i| if i == 10 { 1.0 } else { 0.0 }).collect(),
        0.0,
    ));
    let pairs = registered(Kind::Mediator)
        .into_iter()
        .flat_map(|m| registered(Kind::Voter).into_iter().map(move |v| (m, v)));
    for (mediator, voter) in pairs {
        let spec = RunSpec {
            ratification: Default::default(),
            protocol: Protocol::Mediated,
            cache: None,
            record_trace: true,
            negotiators: vec![Spec::parse(voter).unwrap()],
            parties: None,
            mediator: Some(Spec::parse(mediator).unwrap()),
            deadline: Deadline::rounds(60),
            seed: 5,
            ..Default::default()
        };
        let r = run(&s, &spec).unwrap();
        assert!(
            r.trace.iter().all(|e| e.actor != "Europe"),
            "{mediator}/{voter}: the stakeholder acted"
        );
        let proposals: Vec<_> = r
            .trace
            .iter()
            .filter(|e| e.action == TraceAction::Propose)
            .collect();
        assert!(!proposals.is_empty());
        assert!(
            proposals
                .iter()
                .all(|e| e.utilities.as_ref().unwrap().len() == 3),
            "every text is scored for all three"
        );
        if r.end == End::Agreement {
            assert!(
                r.utilities[0] >= 0.2 && r.utilities[1] >= 0.2,
                "{mediator}/{voter}: ratified below a reservation value"
            );
        }
        assert_eq!(
            r,
            run(&s, &spec).unwrap(),
            "{mediator}/{voter} is not deterministic"
        );
    }
}

/// A text that settles early is ratified at once, before a late threat; held to the deadline,
/// the threat fires first and the threatened party no longer ratifies it.
#[test]
fn ratification_at_the_deadline_lets_late_events_bite() {
    let mut s = pie(20, (0.2, 0.2));
    s.events.push(ScenarioEvent {
        name: "late-threat".into(),
        party: 0,
        at: EventTime::Relative(0.9),
        until: None,
        change: Some(ReservationChange::Set(0.95)),
        stances: Vec::new(),
        description: None,
    });
    let spec = |ratification| RunSpec {
        ratification,
        protocol: Protocol::Mediated,
        cache: None,
        record_trace: true,
        negotiators: vec![Spec::parse("hill-climber").unwrap()],
        parties: None,
        mediator: Some(Spec::parse("hill-climbing").unwrap()),
        deadline: Deadline::rounds(200),
        seed: 5,
        ..Default::default()
    };
    let settled = run(&s, &spec(zopa_mechanisms::Ratification::WhenSettled)).unwrap();
    assert_eq!(settled.end, End::Agreement);
    assert!(
        settled.rounds < 180,
        "settles before the threat: {}",
        settled.rounds
    );
    assert!(settled.trace.iter().all(|e| e.action != TraceAction::Event));

    let waited = run(&s, &spec(zopa_mechanisms::Ratification::AtDeadline)).unwrap();
    assert_eq!(waited.end, End::Rejected);
    assert_eq!(waited.rounds, 200);
    let actions: Vec<&str> = waited
        .trace
        .iter()
        .filter(|e| matches!(e.action.as_str(), "stop" | "event" | "ratify"))
        .map(|e| e.action.as_str())
        .collect();
    assert_eq!(actions, ["stop", "event", "ratify", "ratify"]);
    let event = waited
        .trace
        .iter()
        .find(|e| e.action == TraceAction::Event)
        .unwrap();
    assert_eq!(event.round, 180, "the threat fires at its own round");
    let a = waited
        .trace
        .iter()
        .find(|e| e.action == TraceAction::Ratify && e.actor == "A")
        .unwrap();
    assert_eq!(a.note.as_deref(), Some("no"));
}

/// CUHKAgent on a discounted pie (df = 0.5) against a hardliner: its offers follow GENIUS's
/// threshold τ(t) = 1 − (1 − df^(1−c))(t/c)² up to c = 0.08 + 0.92·df^1.5, then df^(1−t) —
/// down to df^(1−c) ≈ 0.66 at c and back up towards 1 — offering in [τ floored to 0.01, 1].
#[test]
fn cuhkagent_offers_follow_its_discount_driven_threshold() {
    let mut s = pie(100, (0.0, 0.0));
    s.parties[0].discount = Some(0.5);
    let r = sao(&s, "cuhkagent", "hardliner", 200, 3);
    let df: f64 = 0.5;
    let c = 0.08 + 0.92 * df.powf(1.5);
    let tau = |t: f64| {
        if t <= c {
            1.0 - (1.0 - df.powf(1.0 - c)) * (t / c).powi(2)
        } else {
            df.powf(1.0 - t)
        }
    };
    let offers = offers(&r, "A", 0);
    assert!(offers.len() > 150);
    for &(t, u) in &offers[1..] {
        assert!(
            u >= tau(t) - 0.01 - 1e-9,
            "offered {u} at t = {t}, τ = {}",
            tau(t)
        );
    }
    let lowest = offers.iter().map(|o| o.1).fold(1.0, f64::min);
    // Candidates in [τ, 1] all look alike to a frequency count of a hardliner's one bid, so the
    // coin-flip tie-break spreads offers over the band; the band reaches down to df^(1−c).
    assert!(
        lowest < 0.75 && lowest >= df.powf(1.0 - c) - 0.01,
        "lowest offer {lowest}"
    );
    let late = offers.iter().rev().find(|o| o.0 < 0.95).unwrap();
    assert!(
        late.1 > 0.9,
        "recovers towards 1 as the discount bites: {late:?}"
    );
}

/// HardHeaded never offers below its concession curve p(t) = 0.585 + (1 − F)(max − 0.585),
/// F = 0.05 + 0.95·t^20 (undiscounted): against a hardliner it stays near its best bids for
/// most of the negotiation and concedes only late.
#[test]
fn hardheaded_offers_stay_above_its_concession_curve() {
    let s = england_zimbabwe();
    let r = sao(&s, "hardheaded", "hardliner", 150, 2);
    let max = 1.0;
    let p = |t: f64| 0.585 + (1.0 - (0.05 + 0.95 * t.powf(20.0))) * (max - 0.585);
    let offers = offers(&r, "England", 0);
    assert!(offers.len() > 100);
    for &(t, u) in &offers {
        assert!(u >= p(t) - 1e-6, "offered {u} at t = {t}, p = {}", p(t));
    }
    // Hard-headed indeed: near the top until late, then down towards 0.585 as t^20 grows.
    let early = offers
        .iter()
        .filter(|o| o.0 < 0.5)
        .map(|o| o.1)
        .fold(1.0, f64::min);
    let late = offers.iter().map(|o| o.1).fold(1.0, f64::min);
    assert!(early > 0.95 && late < 0.93, "early {early}, late {late}");
}

/// The blame a run reports, found again from its trace: each party's last refusal — an offer
/// or a walk-away while another party's offer stands — of an offer worth more to it than its
/// outside option; none when the run agreed or failed.
fn blame_from_trace(s: &Scenario, r: &RunResult) -> Vec<zopa_mechanisms::Blame> {
    if r.agreement.is_some() || matches!(r.end, End::Error(_)) {
        return Vec::new();
    }
    let index = |name: &str| s.parties.iter().position(|p| p.name == name).unwrap();
    let mut blame = vec![None; s.parties.len()];
    let mut standing: Option<(usize, Vec<f64>)> = None;
    for e in &r.trace {
        if !matches!(e.action, TraceAction::Offer | TraceAction::End) {
            continue;
        }
        let me = index(&e.actor);
        if let Some((by, utilities)) = &standing {
            let outside_option = s.parties[me].reservation_value();
            if *by != me && utilities[me] > outside_option {
                blame[me] = Some(zopa_mechanisms::Blame {
                    party: me,
                    round: e.round,
                    utility: utilities[me],
                    outside_option,
                });
            }
        }
        if e.action == TraceAction::Offer {
            standing = Some((me, e.utilities.clone().unwrap()));
        }
    }
    blame.into_iter().flatten().collect()
}

/// Dropping moves every seat has seen changes nothing: every negotiator against itself and
/// against partners of each kind (a time-dependent curve, a frequency model, a counter of
/// distinct offers, a relative-utility search), on each side, 1,500 rounds on EnglandZimbabwe,
/// gives the same trace (and blame) with a window of 2 moves as with the whole history kept. (Every pair
/// of the 59 negotiators was 3,481 pairs: minutes, for a property of each strategy alone.)
#[test]
fn dropping_seen_moves_changes_no_trace() {
    let s = england_zimbabwe();
    let names = registered(Kind::Negotiator);
    assert!(names.len() >= 10, "{names:?}");
    let run = |a: &str, b: &str, window: usize| {
        let seats = [a, b]
            .iter()
            .enumerate()
            .map(|(party, name)| {
                let r = registry::resolve(&Spec::parse(name).unwrap(), Kind::Negotiator).unwrap();
                Seat {
                    party,
                    strategy: r.label.clone(),
                    start: Box::new(move |setup| r.negotiator(setup)),
                }
            })
            .collect();
        let config = alternating::Config {
            driver: DriverConfig::new(Deadline::rounds(1500), 7),
            cache: None,
            protocol: "sao".into(),
            history_window: window,
        };
        alternating::run(&s, seats, &config)
    };
    let mut long = 0;
    let mut blamed = 0;
    let partners = ["boulware", "hardheaded", "micro", "atlas3"];
    let mut pairs: Vec<(&str, &str)> = Vec::new();
    for &a in &names {
        pairs.push((a, a));
        for &b in &partners {
            pairs.extend([(a, b), (b, a)]);
        }
    }
    for (a, b) in pairs {
        let whole = run(a, b, usize::MAX);
        let windowed = run(a, b, 2);
        assert_eq!(
            format!("{:?}", whole.trace),
            format!("{:?}", windowed.trace),
            "{a} vs {b}"
        );
        assert_eq!(whole.utilities, windowed.utilities, "{a} vs {b}");
        // Texts turned down are weighed at the end, or before their moves are dropped.
        assert_eq!(whole.blame, windowed.blame, "{a} vs {b}");
        assert_eq!(whole.blame, blame_from_trace(&s, &whole), "{a} vs {b}");
        blamed += usize::from(!whole.blame.is_empty());
        if whole.rounds > 100 {
            long += 1;
        }
    }
    assert!(
        long > 20,
        "too few long negotiations ({long}) to exercise the window"
    );
    assert!(blamed > 20, "too few runs ({blamed}) blame anyone");
}

#[test]
fn an_event_that_ends_undoes_its_change() {
    let mut s = pie(100, (0.1, 0.1));
    s.events.push(ScenarioEvent {
        name: "aid".into(),
        party: 0,
        at: EventTime::Relative(0.2),
        change: Some(ReservationChange::Shift(0.3)),
        stances: Vec::new(),
        description: None,
        until: Some(EventTime::Relative(0.6)),
    });
    // Two hardliners never agree: the result holds the outside options at the end.
    let r = sao(&s, "hardliner", "hardliner", 40, 0);
    assert_eq!(r.end, End::Deadline);
    let lines: Vec<(TraceAction, u32, &str)> = r
        .trace
        .iter()
        .filter(|e| matches!(e.action, TraceAction::Event | TraceAction::EventEnds))
        .map(|e| (e.action, e.round, e.note.as_deref().unwrap()))
        .collect();
    assert_eq!(
        lines,
        [
            (
                TraceAction::Event,
                8,
                "aid: reservation value of A 0.1 → 0.4"
            ),
            (
                TraceAction::EventEnds,
                24,
                "aid ends: reservation value of A 0.4 → 0.1"
            ),
        ]
    );
    assert!((r.utilities[0] - 0.1).abs() < 1e-12, "{:?}", r.utilities);
}
