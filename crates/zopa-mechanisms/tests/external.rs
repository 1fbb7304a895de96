//! Negotiators built outside the registry (Python objects, through zopa-python): seated by
//! label in the protocols negotiators sit in, refused elsewhere, and a `PartyFailure` ends only
//! its own negotiation with an error naming the party, the label and the reason.

use std::path::PathBuf;
use std::sync::Arc;

use zopa_core::Scenario;
use zopa_mechanisms::protocols::PartyFailure;
use zopa_mechanisms::registry::External;
use zopa_mechanisms::session::Negotiator;
use zopa_mechanisms::{run, Action, End, Protocol, RunError, RunSpec, Spec, SpecError, View};

fn job() -> Scenario {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/examples/genius-job");
    zopa_formats::load(&path, &zopa_formats::ReadOptions::genius()).unwrap()
}

/// Offers its best outcome, then fails on its `fail_at`th turn (never when `None`).
struct Stubborn {
    best: Vec<zopa_core::Value>,
    turns: usize,
    fail_at: Option<usize>,
}

impl Negotiator for Stubborn {
    fn act(&mut self, _view: &View<'_>) -> Action {
        self.turns += 1;
        if Some(self.turns) == self.fail_at {
            std::panic::resume_unwind(Box::new(PartyFailure("propose raised KeyError".into())));
        }
        Action::Offer(self.best.clone())
    }
}

fn external(label: &str, fail_at: Option<usize>) -> External {
    External {
        label: label.into(),
        build: Arc::new(move |setup| {
            let best = setup.outcomes.best().outcome;
            Box::new(Stubborn {
                best,
                turns: 0,
                fail_at,
            })
        }),
        vote: None,
    }
}

fn spec(protocol: Protocol, negotiators: &[&str], externals: Vec<External>) -> RunSpec {
    RunSpec {
        protocol,
        negotiators: negotiators
            .iter()
            .map(|s| Spec {
                name: s.to_string(),
                params: Vec::new(),
            })
            .collect(),
        external: externals,
        ..Default::default()
    }
}

#[test]
fn an_external_negotiator_is_seated_by_its_label() {
    let s = job();
    let r = run(
        &s,
        &spec(
            Protocol::Sao,
            &["python:stubborn", "conceder"],
            vec![external("python:stubborn", None)],
        ),
    )
    .unwrap();
    assert_eq!(
        r.strategies,
        vec![
            Some("python:stubborn".to_string()),
            Some("conceder".to_string())
        ]
    );
    assert!(
        matches!(r.end, End::Agreement | End::Deadline),
        "{:?}",
        r.end
    );
}

#[test]
fn a_party_failure_ends_its_negotiation_with_an_error_naming_it() {
    let s = job();
    let r = run(
        &s,
        &spec(
            Protocol::Sao,
            &["python:stubborn", "boulware"],
            vec![external("python:stubborn", Some(3))],
        ),
    )
    .unwrap();
    let End::Error(why) = &r.end else {
        panic!("not an error: {:?}", r.end)
    };
    let party = &s.parties[0].name;
    assert!(
        why.contains(party.as_str()) && why.contains("python:stubborn"),
        "{why}"
    );
    assert!(why.contains("failed: propose raised KeyError"), "{why}");
    assert!(!why.contains("panicked"), "{why}");
    assert_eq!(r.trace.last().unwrap().action.as_str(), "error");
}

#[test]
fn an_external_negotiator_does_not_vote() {
    let s = job();
    let e = run(
        &s,
        &spec(
            Protocol::Mediated,
            &["python:stubborn"],
            vec![external("python:stubborn", None)],
        ),
    )
    .unwrap_err();
    assert!(
        matches!(&e, RunError::Spec(SpecError::NotInProtocol { spec, .. }) if spec == "python:stubborn"),
        "{e}"
    );
}
