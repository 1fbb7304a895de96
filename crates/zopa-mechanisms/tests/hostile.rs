//! Hostile inputs to one negotiation (issue 10): a party seated twice is refused; a trace
//! that is not recorded is not kept (in either protocol), and a streamed trace is handed over
//! event by event instead of piling up in the result.

use std::path::PathBuf;

use zopa_core::Scenario;
use zopa_mechanisms::runner::run_streaming;
use zopa_mechanisms::{run, Deadline, End, Protocol, RunError, RunSpec, Spec, TraceEvent};

fn england_zimbabwe() -> Scenario {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/scenarios/NegotiatorGUI/etc/templates/anac/y2010/EnglandZimbabwe");
    zopa_formats::load(&path, &zopa_formats::ReadOptions::genius()).unwrap()
}

fn spec(protocol: Protocol, negotiators: &[&str], rounds: u32, record: bool) -> RunSpec {
    RunSpec {
        ratification: Default::default(),
        protocol,
        negotiators: negotiators
            .iter()
            .map(|s| Spec::parse(s).unwrap())
            .collect(),
        parties: None,
        mediator: None,
        deadline: Deadline::rounds(rounds),
        seed: 7,
        cache: None,
        record_trace: record,
        ..Default::default()
    }
}

#[test]
fn a_party_seated_twice_is_refused_by_name() {
    let s = england_zimbabwe();
    let england = s.party_index("England").unwrap();
    for protocol in [Protocol::Sao, Protocol::Stacked, Protocol::Mediated] {
        let mut spec = spec(protocol, &["boulware"], 20, true);
        if protocol == Protocol::Mediated {
            spec.negotiators = vec![Spec::parse("hill-climber").unwrap()];
        }
        spec.parties = Some(vec![england, england]);
        match run(&s, &spec) {
            Err(RunError::Seats(e)) => {
                assert!(e.contains("England") && e.contains("twice"), "{e}")
            }
            other => panic!("{protocol:?}: England against itself was run: {other:?}"),
        }
    }
}

#[test]
fn a_streamed_trace_is_handed_over_not_kept() {
    let s = england_zimbabwe();
    for (protocol, negotiators) in [
        (Protocol::Sao, ["agentk", "random"]),
        (Protocol::Mediated, ["hill-climber", "annealer"]),
    ] {
        let spec = spec(protocol, &negotiators, 60, true);
        let kept = run(&s, &spec).unwrap();
        let mut streamed: Vec<TraceEvent> = Vec::new();
        let r = run_streaming(&s, &spec, &mut |e| streamed.push(e)).unwrap();
        assert!(
            r.trace.is_empty(),
            "{protocol:?}: the streamed trace was kept too"
        );
        assert!(!streamed.is_empty());
        assert_eq!(streamed, kept.trace, "{protocol:?}: the stream differs");
        assert_eq!(
            RunResultWithoutTrace::of(&r),
            RunResultWithoutTrace::of(&kept)
        );
    }
}

#[test]
fn an_unrecorded_trace_is_not_kept_in_either_protocol() {
    let s = england_zimbabwe();
    for (protocol, negotiators) in [
        (Protocol::Sao, ["hardliner", "hardliner"]),
        (Protocol::Mediated, ["hill-climber", "annealer"]),
    ] {
        let r = run(&s, &spec(protocol, &negotiators, 500, false)).unwrap();
        assert!(!matches!(r.end, End::Error(_)), "{protocol:?}: {:?}", r.end);
        // Events and errors would still be kept; this scenario schedules none.
        assert!(
            r.trace.is_empty(),
            "{protocol:?}: {} trace lines kept without recording",
            r.trace.len()
        );
    }
}

/// Everything a result says besides its trace.
#[derive(Debug, PartialEq)]
struct RunResultWithoutTrace {
    end: End,
    utilities: Vec<f64>,
    rounds: u32,
    agreement: Option<Vec<zopa_core::Value>>,
}

impl RunResultWithoutTrace {
    fn of(r: &zopa_mechanisms::RunResult) -> RunResultWithoutTrace {
        RunResultWithoutTrace {
            end: r.end.clone(),
            utilities: r.utilities.clone(),
            rounds: r.rounds,
            agreement: r.agreement.clone(),
        }
    }
}
