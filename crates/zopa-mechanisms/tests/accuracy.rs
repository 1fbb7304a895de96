//! Opponent-model accuracy at the end of a bilateral negotiation: a model equal to the
//! opponent's utility scores RMSE 0 and τ = ρ = Kendall optimality = 1, a reversed one
//! τ = ρ = −1 and Kendall optimality 0, through the whole driver; the strategies that keep a
//! model are scored and the others are not; small spaces are scored whole, large ones over a
//! sample drawn from the seed; nothing is scored outside bilateral alternating offers.

mod common;

use std::sync::Arc;

use common::{pie, shared};
use zopa_core::{UtilityFunction, Value};
use zopa_mechanisms::accuracy::ACCURACY_OUTCOMES;
use zopa_mechanisms::opponent::OpponentModel;
use zopa_mechanisms::registry::External;
use zopa_mechanisms::session::Negotiator;
use zopa_mechanisms::{run, Action, Deadline, Protocol, RunSpec, Spec, View};

/// A model that knows the opponent's utility (or its reverse): only a test can build one.
struct Oracle {
    truth: Arc<UtilityFunction>,
    reversed: bool,
}

impl OpponentModel for Oracle {
    fn name(&self) -> &'static str {
        "oracle"
    }
    fn update(&mut self, _bid: &[Value], _time: f64) {}
    fn utility(&self, outcome: &[Value]) -> f64 {
        let u = self.truth.eval(outcome);
        if self.reversed {
            1.0 - u
        } else {
            u
        }
    }
}

/// Offers its best outcome every turn, keeping an [`Oracle`].
struct Knowing {
    best: Vec<Value>,
    model: Oracle,
}

impl Negotiator for Knowing {
    fn act(&mut self, _view: &View<'_>) -> Action {
        Action::Offer(self.best.clone())
    }
    fn opponent_model(&self) -> Option<&dyn OpponentModel> {
        Some(&self.model)
    }
}

fn knowing(label: &str, truth: Arc<UtilityFunction>, reversed: bool) -> External {
    External {
        label: label.into(),
        build: Arc::new(move |setup| {
            Box::new(Knowing {
                best: setup.outcomes.best().outcome,
                model: Oracle {
                    truth: Arc::clone(&truth),
                    reversed,
                },
            })
        }),
        vote: None,
    }
}

fn spec(a: &str, b: &str, external: Vec<External>, seed: u64) -> RunSpec {
    RunSpec {
        protocol: Protocol::Sao,
        negotiators: [a, b]
            .iter()
            .map(|n| match external.iter().any(|e| e.label == *n) {
                true => Spec {
                    name: n.to_string(),
                    params: Vec::new(),
                },
                false => Spec::parse(n).unwrap(),
            })
            .collect(),
        external,
        deadline: Deadline::rounds(30),
        seed,
        ..Default::default()
    }
}

#[test]
fn a_true_model_scores_perfectly_and_a_reversed_one_worst() {
    // 101 outcomes, no two alike for B: the rankings have no ties.
    let s = pie(100, (0.0, 0.0));
    let truth = Arc::new(s.parties[1].utility.clone());
    for (reversed, expect) in [
        (false, (0.0, 1.0, 1.0, 1.0)),
        (true, (f64::NAN, -1.0, -1.0, 0.0)),
    ] {
        let r = run(
            &s,
            &spec(
                "python:oracle",
                "boulware",
                vec![knowing("python:oracle", Arc::clone(&truth), reversed)],
                3,
            ),
        )
        .unwrap();
        let a = r.opponent_models[0].as_ref().expect("the oracle is scored");
        assert_eq!((a.model, a.outcomes, a.sampled), ("oracle", 101, false));
        if !reversed {
            assert_eq!(a.rmse, 0.0);
        } else {
            // |u − (1 − u)| over u = 1 − i/100.
            let brute = ((0..=100)
                .map(|i| {
                    let u = 1.0 - f64::from(i) / 100.0;
                    (2.0 * u - 1.0).powi(2)
                })
                .sum::<f64>()
                / 101.0)
                .sqrt();
            assert!((a.rmse - brute).abs() < 1e-12, "{} vs {brute}", a.rmse);
        }
        assert_eq!((a.kendall_tau, a.spearman), (expect.1, expect.2), "{a:?}");
        assert!((a.kendall_optimality - expect.3).abs() < 1e-12, "{a:?}");
        assert_eq!(r.opponent_models[1], None, "boulware keeps no model");
    }
}

#[test]
fn strategies_with_a_model_are_scored_over_the_whole_small_space() {
    let s = zopa_formats::load(
        &shared("scenarios/negmas-genius/anac/y2010/EnglandZimbabwe"),
        &zopa_formats::ReadOptions::genius(),
    )
    .unwrap();
    for (a, b, models) in [
        ("hardheaded", "boulware", [Some("frequency"), None]),
        (
            "boulware",
            "linear:model=bayesian",
            [None, Some("bayesian")],
        ),
        (
            "hardheaded",
            "linear:model=windowed",
            [Some("frequency"), Some("windowed")],
        ),
        ("micro", "atlas3", [None, None]),
        ("caduceus", "agentk", [None, None]),
    ] {
        let r = run(&s, &spec(a, b, Vec::new(), 11)).unwrap();
        let got: Vec<Option<&str>> = r
            .opponent_models
            .iter()
            .map(|m| m.as_ref().map(|m| m.model))
            .collect();
        assert_eq!(got, models, "{a} vs {b}");
        for m in r.opponent_models.iter().flatten() {
            assert_eq!((m.outcomes, m.sampled), (576, false));
            assert!(m.rmse.is_finite() && m.rmse >= 0.0, "{m:?}");
            assert!((-1.0..=1.0).contains(&m.kendall_tau), "{m:?}");
            assert!((-1.0..=1.0).contains(&m.spearman), "{m:?}");
            assert!((0.0..=1.0).contains(&m.kendall_optimality), "{m:?}");
        }
        // A run is a function of its seed, its scores too.
        assert_eq!(run(&s, &spec(a, b, Vec::new(), 11)).unwrap(), r);
    }
}

#[test]
fn a_large_space_is_scored_over_a_sample_drawn_from_the_seed() {
    let s = zopa_formats::load(
        &shared("scenarios/negmas-genius/anac/y2011/Car"),
        &zopa_formats::ReadOptions::genius(),
    )
    .unwrap();
    let r = run(&s, &spec("hardheaded", "conceder", Vec::new(), 1)).unwrap();
    let m = r.opponent_models[0].as_ref().unwrap();
    assert_eq!((m.outcomes, m.sampled), (ACCURACY_OUTCOMES, true));
}

#[test]
fn nothing_is_scored_outside_bilateral_alternating_offers() {
    let s = pie(20, (0.1, 0.1));
    let spec = RunSpec {
        protocol: Protocol::Mediated,
        negotiators: vec![Spec::parse("hill-climber").unwrap()],
        ..Default::default()
    };
    let r = run(&s, &spec).unwrap();
    assert!(r.opponent_models.iter().all(Option::is_none));
    assert_eq!(r.opponent_models.len(), s.parties.len());
}
