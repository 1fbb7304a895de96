//! Every registered strategy in every protocol it declares, on a small shipped scenario
//! (`scenarios/examples/laptop-sale.toml`: a discrete, an integer and a real issue): each run
//! ends without an error. The list comes from the registry, so a new strategy is run here as
//! soon as it is registered.

use std::path::PathBuf;

use zopa_core::Scenario;
use zopa_mechanisms::registry::{self, Kind, Strategy, DEFAULT_MEDIATOR};
use zopa_mechanisms::{run, Deadline, End, Protocol, RunError, RunSpec, Spec};

fn laptop_sale() -> Scenario {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/examples/laptop-sale.toml");
    zopa_formats::load(&path, &zopa_formats::ReadOptions::genius()).unwrap()
}

/// The laptop sale with a second buyer, so that stacked offers has three seats.
fn three_parties() -> Scenario {
    let mut s = laptop_sale();
    let mut second = s.parties[0].clone();
    second.name = format!("{} 2", second.name);
    s.parties.push(second);
    s
}

/// `strategy` in `protocol`: in every seat if it negotiates or votes (beside the default
/// mediator), as the mediator of hill-climber voters if it mediates.
fn spec(strategy: &Strategy, protocol: Protocol) -> RunSpec {
    let own = Spec::parse(strategy.name).unwrap();
    let (negotiators, mediator) = match strategy.kind() {
        Kind::Negotiator | Kind::Voter => (vec![own], None),
        Kind::Mediator => (vec![Spec::parse("hill-climber").unwrap()], Some(own)),
    };
    RunSpec {
        ratification: Default::default(),
        protocol,
        negotiators,
        parties: None,
        mediator,
        deadline: Deadline::rounds(40),
        seed: 11,
        cache: None,
        record_trace: true,
        ..Default::default()
    }
}

#[test]
fn every_strategy_runs_in_every_protocol_it_declares() {
    let (two, three) = (laptop_sale(), three_parties());
    let mut runs = 0;
    for strategy in registry::strategies() {
        for &protocol in strategy.protocols {
            let scenario = match protocol {
                Protocol::Stacked => &three,
                Protocol::Sao | Protocol::Mediated | Protocol::Shuttle => &two,
            };
            let r = run(scenario, &spec(strategy, protocol))
                .unwrap_or_else(|e| panic!("{} in {protocol}: {e}", strategy.name));
            assert!(
                !matches!(r.end, End::Error(_)),
                "{} in {protocol}: {:?}",
                strategy.name,
                r.end
            );
            // Seats record their strategy; a mediator without a party acts under its name.
            let seated = r.strategies.iter().flatten().any(|s| s == strategy.name);
            let acted = r.trace.iter().any(|e| e.actor.contains(strategy.name));
            assert!(seated || acted, "{} in {protocol}: not seen", strategy.name);
            runs += 1;
        }
    }
    assert!(runs > registry::strategies().len(), "{runs} runs");
}

#[test]
fn a_strategy_outside_its_protocols_is_refused_before_anything_runs() {
    let s = laptop_sale();
    let voter = registry::find("hill-climber").unwrap();
    let mut spec = spec(voter, Protocol::Sao);
    // A voter's name at an alternating-offers table is no negotiator.
    match run(&s, &spec) {
        Err(RunError::Spec(e)) => {
            let e = e.to_string();
            assert!(
                e.contains("`hill-climber` is a voter, not a negotiator") && e.contains("boulware"),
                "{e}"
            );
        }
        other => panic!("a voter was seated at an sao table: {other:?}"),
    }
    // A negotiator's name as the mediator is refused too, naming the mediators.
    spec.protocol = Protocol::Mediated;
    spec.mediator = Some(Spec::parse("boulware").unwrap());
    let e = run(&s, &spec).unwrap_err().to_string();
    assert!(
        e.contains("`boulware` is a negotiator, not a mediator") && e.contains(DEFAULT_MEDIATOR),
        "{e}"
    );
}

#[test]
fn every_protocol_is_named_once() {
    for &p in Protocol::ALL {
        assert_eq!(Protocol::parse(p.as_str()), Some(p));
    }
    assert_eq!(Protocol::parse("shuttle"), Some(Protocol::Shuttle));
}
