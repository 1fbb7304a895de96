//! Exact bidding against brute force on real and large spaces: the additive bidding order
//! equals the sorted listing on every GENIUS scenario of the NegMAS cross-check, and a
//! 10^6-outcome Boulware negotiation bids exactly what the enumerated, sorted space gives.

mod common;

use std::path::PathBuf;
use std::sync::Arc;

use zopa_core::{AdditiveUtility, Evaluator, Issue, Party, Role, Scenario, UtilityFunction};
use zopa_formats::{load, GeniusEvaluations, ReadOptions};
use zopa_mechanisms::bidding::{Bidding, Span};
use zopa_mechanisms::outcomes::{OutcomeCache, SortedOutcomes};
use zopa_mechanisms::{run, Deadline, Protocol, RunSpec, Spec};

fn shared(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/scenarios/negmas-genius")
        .join(rel)
}

/// The listing, whole: brute force.
fn listed(s: &Scenario, party: usize) -> SortedOutcomes {
    let mut rng = zopa_mechanisms::rng(0, 0);
    let l = SortedOutcomes::new(&s.issues, &s.parties[party].utility, usize::MAX, &mut rng);
    assert!(l.complete);
    l
}

#[test]
fn the_additive_order_is_the_listing_on_genius_scenarios() {
    for rel in [
        "anac/y2010/EnglandZimbabwe",
        "anac/y2010/ItexvsCypress",
        "anac/y2011/Camera",
        "anac/y2012/LaptopC",
        "anac/y2013/Coffee",
    ] {
        let s = load(
            &shared(rel),
            &ReadOptions {
                genius_evaluations: GeniusEvaluations::Raw,
            },
        )
        .unwrap();
        for p in 0..s.parties.len() {
            let l = listed(&s, p);
            // The searched order (small spaces are listed when a run seats them).
            let additive = s.parties[p].utility.as_additive().unwrap();
            let b = Bidding::Additive(
                zopa_core::bidding::AdditiveBids::new(
                    &s.issues,
                    additive,
                    zopa_mechanisms::outcomes::REAL_LEVELS,
                )
                .unwrap(),
            );
            let all = b.top(l.len() + 1);
            assert_eq!(all.len(), l.len(), "{rel}");
            for (k, bid) in all.iter().enumerate() {
                assert_eq!(
                    (&bid.outcome, bid.utility),
                    (&l.outcomes[k], l.utils[k]),
                    "{rel} party {p} rank {k}"
                );
            }
            for k in (0..l.len()).step_by(7) {
                let u = l.utils[k];
                assert_eq!(b.count_at_least(u), l.count_at_least(u) as u128);
                assert_eq!(b.nearest(u - 0.003).outcome, l.outcomes[l.near(u - 0.003)]);
                assert_eq!(b.at_rank(k as u128).unwrap().outcome, l.outcomes[k]);
                let span = Span::between(u - 0.05, u);
                let want = l.utils.iter().filter(|&&x| x >= u - 0.05 && x <= u).count();
                assert_eq!(b.count(&span), want as u128, "{rel} party {p} at {u}");
            }
        }
    }
}

/// 6 issues of 10 values (10^6 outcomes), two parties with opposed two-decimal preferences.
fn million() -> Scenario {
    let mut state: u64 = 7;
    let mut next = move || {
        state = (state * 1_103_515_245 + 12_345) % (1 << 31);
        state as f64 / (1u64 << 31) as f64
    };
    let names: Vec<String> = (0..10).map(|v| format!("v{v}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let issues: Vec<Issue> = (0..6)
        .map(|i| Issue::discrete(format!("i{i}"), &names))
        .collect();
    let party = |name: &str, flip: bool, next: &mut dyn FnMut() -> f64| {
        let raw: Vec<f64> = (0..6).map(|_| (10.0 + 90.0 * next()).round()).collect();
        let total: f64 = raw.iter().sum();
        let weights: Vec<f64> = raw
            .iter()
            .map(|r| (r / total * 100.0).round() / 100.0)
            .collect();
        let evaluators = (0..6)
            .map(|_| {
                Evaluator::Table(
                    (0..10)
                        .map(|v| {
                            let e = (f64::from(v) / 9.0 + 0.2 * next() - 0.1).clamp(0.0, 1.0);
                            let e = (e * 100.0).round() / 100.0;
                            if flip {
                                ((1.0 - e) * 100.0).round() / 100.0
                            } else {
                                e
                            }
                        })
                        .collect(),
                )
            })
            .collect();
        Party {
            utility: UtilityFunction::Additive(AdditiveUtility {
                weights,
                evaluators,
                cap_at_one: false,
            }),
            ..common::party(name, Role::Negotiator, Vec::new(), 0.2)
        }
    };
    let a = party("A", false, &mut next);
    let b = party("B", true, &mut next);
    let mut s = common::pie(1, (0.0, 0.0));
    s.name = "million".into();
    s.issues = issues;
    s.parties = vec![a, b];
    s
}

#[test]
fn a_million_outcome_boulware_trace_is_the_brute_force_trace() {
    let s = million();
    let spec = |cache: Arc<OutcomeCache>| RunSpec {
        protocol: Protocol::Sao,
        negotiators: vec![
            Spec::parse("boulware").unwrap(),
            Spec::parse("boulware").unwrap(),
        ],
        deadline: Deadline::rounds(72),
        cache: Some(cache),
        ..Default::default()
    };
    let exact = run(&s, &spec(Arc::new(OutcomeCache::new(2, 0)))).unwrap();
    let brute = Arc::new(OutcomeCache::new(2, 0));
    for p in 0..2 {
        assert!(brute.preset(p, Arc::new(Bidding::Listed(listed(&s, p)))));
    }
    let enumerated = run(&s, &spec(brute)).unwrap();
    assert!(exact.trace.len() > 100, "{}", exact.trace.len());
    assert_eq!(exact.trace, enumerated.trace);
    assert_eq!(exact.agreement, enumerated.agreement);
}

/// A hyper-rectangle utility over a space too large to list is sampled, but the first and the
/// last outcome of a span cut by utilities — best, worst, worst at or above, best below,
/// nearest — are exact: equal in utility to the whole listing's (brute force) at every target,
/// where the sample alone misses them.
#[test]
fn a_sampled_hyper_rectangle_order_bids_exactly_by_utility() {
    use zopa_core::{Aggregation, ConstraintUtility, HyperRectangle, IssueKind, RectangleKind};
    let issues: Vec<Issue> = (0..3)
        .map(|i| Issue {
            name: format!("i{i}"),
            kind: IssueKind::Integer { min: 0, max: 19 },
            description: None,
            positions: None,
        })
        .collect();
    // A fixed generator: rectangles of 1–3 issues with integer rewards.
    let mut state = 20261129u64;
    let mut next = |n: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    let rectangles: Vec<HyperRectangle> = (0..12)
        .map(|_| {
            let mut bounds = Vec::new();
            for i in 0..3 {
                if next(2) == 0 {
                    let lo = next(15) as f64;
                    bounds.push((i, lo, lo + next(6) as f64));
                }
            }
            HyperRectangle {
                kind: RectangleKind::Include,
                utility: 1.0 + next(9) as f64,
                bounds: if bounds.is_empty() {
                    vec![(0, 0.0, 9.0)]
                } else {
                    bounds
                },
            }
        })
        .collect();
    let total: f64 = rectangles.iter().map(|r| r.utility).sum();
    let utility = UtilityFunction::Constraint(ConstraintUtility {
        rectangles,
        aggregation: Aggregation::Sum,
        weight: 1.0,
        max_utility: total,
    });
    let mut rng = zopa_mechanisms::rng(1, 0);
    let sampled = Bidding::new(&issues, &utility, 300, &mut rng);
    assert!(
        matches!(sampled, Bidding::Sampled { .. }),
        "8,000 outcomes, 300 listed"
    );
    let mut rng = zopa_mechanisms::rng(1, 0);
    let whole = Bidding::new(&issues, &utility, usize::MAX, &mut rng);
    assert!(whole.complete());
    let u = |b: Option<zopa_mechanisms::bidding::Bid>| b.map(|b| b.utility);
    assert_eq!(sampled.best().utility, whole.best().utility);
    assert_eq!(sampled.worst().utility, whole.worst().utility);
    let mut beyond_the_sample = 0;
    for k in 0..=40 {
        let t = f64::from(k) / 40.0;
        assert_eq!(
            u(sampled.worst_at_least(t)),
            u(whole.worst_at_least(t)),
            "at least {t}"
        );
        assert_eq!(
            u(sampled.best_below(t)),
            u(whole.best_below(t)),
            "below {t}"
        );
        let near = sampled.nearest(t);
        assert_eq!(near.utility, whole.nearest(t).utility, "nearest {t}");
        assert_eq!(utility.eval(&near.outcome), near.utility);
        let span = Span::between(t, t + 0.1);
        assert_eq!(
            u(sampled.first(&span)),
            u(whole.first(&span)),
            "first of [{t}, {t} + 0.1]"
        );
        assert_eq!(
            u(sampled.last(&span)),
            u(whole.last(&span)),
            "last of [{t}, {t} + 0.1]"
        );
        if let Bidding::Sampled { sample, .. } = &sampled {
            let listed_only = sample.utils.get(sample.near(t)).copied();
            beyond_the_sample += usize::from(listed_only != Some(near.utility));
        }
    }
    assert!(
        beyond_the_sample > 0,
        "the sample alone would have answered every target"
    );
}
