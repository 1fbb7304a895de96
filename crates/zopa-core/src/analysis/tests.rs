//! Closed-form bargaining answers (`../shared/notes/bargaining.md`) and method equivalence.

use proptest::prelude::*;

use super::*;
use crate::analysis::inside_option;
use crate::{AdditiveUtility, Evaluator, Issue, Party, Role, Scenario, UtilityFunction};

pub(super) fn party(name: &str, weights: Vec<f64>, tables: Vec<Vec<f64>>, rv: f64) -> Party {
    Party {
        name: name.into(),
        role: Role::Negotiator,
        utility: UtilityFunction::Additive(AdditiveUtility {
            weights,
            evaluators: tables.into_iter().map(Evaluator::Table).collect(),
            cap_at_one: false,
        }),
        reservation: Some(rv.into()),
        discount: None,
        cost_per_round: None,
        capability: None,
        salience: None,
        red_lines: Vec::new(),
        controls: Vec::new(),
        description: None,
    }
}

/// One issue x ∈ {0, 1/k, …, 1}; party utilities f(x), g(x).
pub(super) fn pie(
    k: usize,
    f: impl Fn(f64) -> f64,
    g: impl Fn(f64) -> f64,
    d: (f64, f64),
) -> Scenario {
    let xs: Vec<f64> = (0..=k).map(|i| i as f64 / k as f64).collect();
    let names: Vec<String> = (0..=k).map(|i| i.to_string()).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    Scenario {
        ranges: crate::Ranges::default(),
        name: "pie".into(),
        description: None,
        issues: vec![Issue::discrete("x", &names)],
        parties: vec![
            party(
                "A",
                vec![1.0],
                vec![xs.iter().map(|&x| f(x)).collect()],
                d.0,
            ),
            party(
                "B",
                vec![1.0],
                vec![xs.iter().map(|&x| g(x)).collect()],
                d.1,
            ),
        ],
        notes: Vec::new(),
        events: Vec::new(),
        calendar: None,
        texts: Vec::new(),
        exclusions: Vec::new(),
    }
}

fn check(point: &Option<Point>, expected: [f64; 2], tol: f64) {
    let u = &point.as_ref().expect("a solution point").utilities;
    assert!(
        (u[0] - expected[0]).abs() < tol && (u[1] - expected[1]).abs() < tol,
        "got {u:?}, expected {expected:?}"
    );
}

fn zopa(s: &Scenario) -> Analysis {
    analyze(s, &AnalysisConfig::new(Definitions::Zopa)).unwrap()
}

#[test]
fn n1_split_the_pie() {
    let a = zopa(&pie(1000, |x| x, |x| 1.0 - x, (0.0, 0.0)));
    check(&a.nash, [0.5, 0.5], 1e-9);
    check(&a.kalai, [0.5, 0.5], 1e-9);
    assert_eq!(a.frontier.len(), 1001);
}

#[test]
fn n2_pie_with_disagreement_point() {
    let a = zopa(&pie(1000, |x| x, |x| 1.0 - x, (0.2, 0.1)));
    check(&a.nash, [0.55, 0.45], 1e-9);
}

#[test]
fn n3_k3_e3_sqrt_frontier() {
    let a = zopa(&pie(30000, |x| x, |x| (1.0 - x).sqrt(), (0.0, 0.0)));
    check(&a.nash, [2.0 / 3.0, 0.577_350], 1e-4);
    let g = (5f64.sqrt() - 1.0) / 2.0;
    check(&a.kalai, [g, g], 1e-4);
    check(&a.egalitarian, [g, g], 1e-4);
}

#[test]
fn n4_n5_linear_frontier() {
    let a = zopa(&pie(3000, |x| 2.0 * x, |x| 1.0 - x, (0.0, 0.0)));
    check(&a.nash, [1.0, 0.5], 1e-9);
    check(&a.kalai, [1.0, 0.5], 1e-9);
    check(&a.egalitarian, [2.0 / 3.0, 2.0 / 3.0], 1e-3);
    let b = zopa(&pie(3000, |x| 2.0 * x, |x| 1.0 - x, (0.4, 0.1)));
    check(&b.nash, [1.1, 0.45], 1e-9);
    check(&b.kalai, [1.1, 0.45], 1e-9);
    check(&b.egalitarian, [0.866_667, 0.566_667], 1e-3);
}

#[test]
fn no_zopa_when_reservations_exceed_the_pie() {
    let a = zopa(&pie(100, |x| x, |x| 1.0 - x, (0.6, 0.6)));
    assert!(!a.zopa_exists);
    assert!(a.nash.is_none());
    assert!(a.max_welfare.is_some());
}

#[test]
fn negolog_kalai_is_max_welfare() {
    let s = pie(4, |x| x, |x| (1.0 - x).sqrt(), (0.0, 0.0));
    let a = analyze(&s, &AnalysisConfig::new(Definitions::Negolog)).unwrap();
    assert_eq!(a.kalai, a.max_welfare);
}

/// Random additive parties over discrete issues of `sizes` values, from `raw` bytes. Every
/// other issue has positions (multiples of 10 on the 0–100 scale), which each party scores
/// either by a table or by a positional evaluation (ideal, shape and curve from `raw`).
pub(super) fn random_scenario(n_parties: usize, sizes: &[usize], raw: &[u8]) -> Scenario {
    let mut it = raw.iter().cycle();
    let mut byte = move || *it.next().unwrap();
    let issues: Vec<Issue> = sizes
        .iter()
        .enumerate()
        .map(|(i, &k)| {
            let names: Vec<String> = (0..k).map(|v| format!("v{v}")).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let mut issue = Issue::discrete(format!("i{i}"), &names);
            if i % 2 == 1 {
                issue.positions = Some((0..k).map(|_| f64::from(byte() % 11) * 10.0).collect());
            }
            issue
        })
        .collect();
    let parties = (0..n_parties)
        .map(|p| {
            let weights: Vec<f64> = sizes
                .iter()
                .map(|_| f64::from(byte() % 7) / 6.0 / sizes.len() as f64)
                .collect();
            let evaluators = issues
                .iter()
                .map(|issue| match &issue.positions {
                    Some(positions) if byte() % 2 == 0 => {
                        let lo = positions.iter().copied().fold(f64::INFINITY, f64::min);
                        let hi = positions.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                        let ideal = lo + (hi - lo) * f64::from(byte() % 5) / 4.0;
                        let shape = crate::Shape::ALL[usize::from(byte() % 2)];
                        let curve = crate::Curve::ALL[usize::from(byte() % 2)];
                        Evaluator::Positional(
                            crate::PositionalEvaluator::new(positions, ideal, shape, curve)
                                .unwrap(),
                        )
                    }
                    _ => Evaluator::Table(
                        (0..issue.cardinality().unwrap_or(0))
                            .map(|_| f64::from(byte() % 7) / 6.0)
                            .collect(),
                    ),
                })
                .collect();
            let rv = f64::from(byte() % 7) / 6.0 * 0.3;
            let mut party = party(&format!("p{p}"), weights, Vec::new(), rv);
            if let UtilityFunction::Additive(a) = &mut party.utility {
                a.evaluators = evaluators;
            }
            party
        })
        .collect();
    Scenario {
        ranges: crate::Ranges::default(),
        name: "random".into(),
        description: None,
        issues,
        parties,
        notes: Vec::new(),
        events: Vec::new(),
        calendar: None,
        texts: Vec::new(),
        exclusions: Vec::new(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// The additive frontier equals enumeration exactly: same utility vectors, same
    /// representative outcomes, same solution points.
    #[test]
    fn additive_frontier_equals_enumeration(
        n_parties in 2usize..5,
        sizes in prop::collection::vec(1usize..5, 1..6),
        raw in prop::collection::vec(any::<u8>(), 16..64),
    ) {
        let s = random_scenario(n_parties, &sizes, &raw);
        for defs in [Definitions::Zopa, Definitions::Genius, Definitions::Negolog, Definitions::Negmas] {
            let mut cfg = AnalysisConfig::new(defs);
            cfg.method = MethodChoice::Enumeration;
            let e = analyze(&s, &cfg).unwrap();
            cfg.method = MethodChoice::AdditiveFrontier;
            let a = analyze(&s, &cfg).unwrap();
            prop_assert_eq!(&e.frontier, &a.frontier);
            prop_assert_eq!(&e.nash, &a.nash);
            prop_assert_eq!(&e.kalai, &a.kalai);
            prop_assert_eq!(&e.egalitarian, &a.egalitarian);
            prop_assert_eq!(&e.max_welfare, &a.max_welfare);
            prop_assert_eq!(e.opposition, a.opposition);
            prop_assert_eq!(&e.worst, &a.worst);
            // Brute force over every outcome: nothing dominates a frontier point, and every
            // outcome is matched or dominated by one.
            let grid = space::Grid::new(&s, 2);
            let sizes = grid.sizes();
            let total: u64 = sizes.iter().product();
            let all: Vec<Vec<f64>> = (0..total).map(|mut r| {
                let mut levels = vec![0u32; sizes.len()];
                for d in (0..sizes.len()).rev() {
                    levels[d] = (r % sizes[d]) as u32;
                    r /= sizes[d];
                }
                let outcome = grid.outcome(&levels);
                a.parties.iter().map(|&i| s.parties[i].utility.eval_exact(&outcome)).collect()
            }).collect();
            let frontier: Vec<&Point> = if defs == Definitions::Negmas { Vec::new() } else { a.frontier.iter().collect() };
            for p in &frontier {
                prop_assert!(!all.iter().any(|u| pareto::dominates(u, &p.utilities)));
                let direct: Vec<f64> = a.parties.iter()
                    .map(|&i| s.parties[i].utility.eval_exact(&p.outcome)).collect();
                prop_assert_eq!(&direct, &p.utilities);
            }
            for u in all.iter().filter(|_| !frontier.is_empty()) {
                prop_assert!(frontier.iter().any(|p| p.utilities == *u || pareto::dominates(&p.utilities, u)));
            }
        }
    }
}

/// Two parties with hyper-rectangle utilities over `sizes` integer issues, from `raw` bytes:
/// rectangles include or exclude, with positive or negative values.
pub(super) fn rectangle_scenario(sizes: &[i64], raw: &[u8]) -> Scenario {
    use crate::utility::{Aggregation, ConstraintUtility, HyperRectangle, RectangleKind};
    let mut k = 0usize;
    let mut next = || {
        k += 1;
        raw[k % raw.len()].wrapping_add(k as u8)
    };
    let issues: Vec<Issue> = sizes
        .iter()
        .enumerate()
        .map(|(i, &n)| Issue {
            name: format!("i{i}"),
            kind: crate::IssueKind::Integer { min: 0, max: n - 1 },
            description: None,
            positions: None,
        })
        .collect();
    let mut utility = |_: usize| {
        let rects = (0..2 + next() as usize % 5)
            .map(|_| {
                let bounds = (0..1 + next() as usize % 2)
                    .map(|_| {
                        let i = next() as usize % sizes.len();
                        let a = f64::from(next()) % sizes[i] as f64;
                        let b = f64::from(next()) % sizes[i] as f64;
                        (i, a.min(b), a.max(b))
                    })
                    .collect();
                HyperRectangle {
                    kind: if next() % 5 == 0 {
                        RectangleKind::Exclude
                    } else {
                        RectangleKind::Include
                    },
                    utility: f64::from(next() % 40) - 8.0,
                    bounds,
                }
            })
            .collect();
        UtilityFunction::Constraint(ConstraintUtility {
            rectangles: rects,
            aggregation: Aggregation::Sum,
            weight: 1.0,
            max_utility: 30.0,
        })
    };
    let mut parties = vec![
        party("A", vec![1.0], vec![vec![0.0]], 0.0),
        party("B", vec![1.0], vec![vec![0.0]], 0.0),
    ];
    parties[0].utility = utility(0);
    parties[1].utility = utility(1);
    Scenario {
        ranges: crate::Ranges::default(),
        name: "rectangles".into(),
        description: None,
        issues,
        parties,
        notes: Vec::new(),
        events: Vec::new(),
        calendar: None,
        texts: Vec::new(),
        exclusions: Vec::new(),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// The exact constraint search finds the frontier enumeration finds — same utility
    /// vectors, capped at 1 — and the same extremes, on random rectangle utilities.
    #[test]
    fn constraint_search_equals_enumeration(
        sizes in prop::collection::vec(1i64..6, 1..5),
        raw in prop::collection::vec(any::<u8>(), 8..40),
    ) {
        let s = rectangle_scenario(&sizes, &raw);
        let mut cfg = AnalysisConfig::new(Definitions::Zopa);
        cfg.method = MethodChoice::Enumeration;
        let e = analyze(&s, &cfg).unwrap();
        cfg.method = MethodChoice::ConstraintSearch;
        let c = analyze(&s, &cfg).unwrap();
        let utilities = |a: &Analysis| -> Vec<Vec<f64>> {
            a.frontier.iter().map(|p| p.utilities.clone()).collect()
        };
        let close = |x: &[Vec<f64>], y: &[Vec<f64>]| {
            x.len() == y.len()
                && x.iter().zip(y).all(|(p, q)| p.iter().zip(q).all(|(a, b)| (a - b).abs() < 1e-12))
        };
        prop_assert!(close(&utilities(&e), &utilities(&c)), "{:?} vs {:?}", utilities(&e), utilities(&c));
        for (a, b) in e.worst.iter().zip(&c.worst) {
            prop_assert!((a - b).abs() < 1e-12, "worst {:?} vs {:?}", e.worst, c.worst);
        }
        // Every point's utilities are its outcome's.
        for p in &c.frontier {
            for (k, &party) in c.parties.iter().enumerate() {
                prop_assert!((s.parties[party].utility.eval(&p.outcome) - p.utilities[k]).abs() < 1e-12);
            }
        }
    }
}

/// Every outcome of a small integer space, as value lists.
fn every_outcome(s: &Scenario) -> Vec<Vec<Value>> {
    let mut all: Vec<Vec<Value>> = vec![Vec::new()];
    for issue in &s.issues {
        let k = issue.exact_cardinality().unwrap() as u32;
        all = all
            .into_iter()
            .flat_map(|o| {
                (0..k).map(move |l| {
                    let mut o = o.clone();
                    o.push(issue.value_at(l, 2));
                    o
                })
            })
            .collect();
    }
    all
}

/// The bidding operations on one constraint utility against brute force: the utilities of
/// the best, the worst, the worst at or above, the best at or below and the nearest outcome
/// for targets at every reachable utility, between them and beyond them; each bid's outcome
/// has the utility reported, bit for bit.
fn check_bidder(s: &Scenario, party: usize) -> Result<(), TestCaseError> {
    let UtilityFunction::Constraint(u) = &s.parties[party].utility else {
        return Err(TestCaseError::fail("a constraint utility"));
    };
    let bidder = ConstraintBidder::new(&s.issues, u).unwrap();
    let mut all: Vec<f64> = every_outcome(s).iter().map(|o| u.eval(o)).collect();
    all.sort_by(f64::total_cmp);
    all.dedup();
    let check = |bid: &Bid| -> Result<(), TestCaseError> {
        prop_assert_eq!(u.eval(&bid.outcome), bid.utility);
        Ok(())
    };
    let best = bidder.best().unwrap();
    check(&best)?;
    prop_assert_eq!(best.utility, *all.last().unwrap());
    let worst = bidder.worst().unwrap();
    check(&worst)?;
    prop_assert_eq!(worst.utility, all[0]);
    let mut targets: Vec<f64> = all.clone();
    targets.extend(all.windows(2).map(|w| (w[0] + w[1]) / 2.0));
    targets.extend(all.windows(2).map(|w| w[0] + (w[1] - w[0]) / 3.0));
    targets.extend([all[0] - 1.0, all[all.len() - 1] + 1.0]);
    for t in targets {
        let above = all.iter().copied().find(|&x| x >= t);
        let below = all.iter().rev().copied().find(|&x| x <= t);
        let got = bidder.at_least(t).unwrap();
        prop_assert_eq!(got.as_ref().map(|b| b.utility), above, "at least {}", t);
        if let Some(b) = &got {
            check(b)?;
        }
        let got = bidder.at_most(t).unwrap();
        prop_assert_eq!(got.as_ref().map(|b| b.utility), below, "at most {}", t);
        if let Some(b) = &got {
            check(b)?;
        }
        let nearest = match (above, below) {
            (Some(a), Some(b)) => {
                if a - t <= t - b {
                    a
                } else {
                    b
                }
            }
            (a, b) => a.or(b).unwrap(),
        };
        let got = bidder.nearest(t).unwrap();
        check(&got)?;
        prop_assert_eq!(got.utility, nearest, "nearest {}", t);
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]
    /// Exact bidding on random rectangle utilities (Include and Exclude, negative values,
    /// sums past the maximum, so capped at 1) equals brute-force enumeration, with integer
    /// rectangle values and with fractional ones (where the frontier search is compared with
    /// enumeration too).
    #[test]
    fn constraint_bids_equal_brute_force(
        sizes in prop::collection::vec(1i64..6, 1..5),
        raw in prop::collection::vec(any::<u8>(), 8..40),
    ) {
        let mut s = rectangle_scenario(&sizes, &raw);
        check_bidder(&s, 0)?;
        check_bidder(&s, 1)?;
        // Rectangle values that are not integers: bounds compared with a margin.
        for party in &mut s.parties {
            if let UtilityFunction::Constraint(c) = &mut party.utility {
                c.weight = 0.37;
            }
        }
        check_bidder(&s, 0)?;
        check_bidder(&s, 1)?;
        let mut cfg = AnalysisConfig::new(Definitions::Zopa);
        cfg.method = MethodChoice::Enumeration;
        let e = analyze(&s, &cfg).unwrap();
        cfg.method = MethodChoice::ConstraintSearch;
        let c = analyze(&s, &cfg).unwrap();
        let utilities = |a: &Analysis| -> Vec<Vec<f64>> {
            a.frontier.iter().map(|p| p.utilities.clone()).collect()
        };
        prop_assert_eq!(utilities(&e), utilities(&c));
        prop_assert_eq!(&e.worst, &c.worst);
    }
}

/// A rectangle over sixteen issues has more value combinations than the search tabulates
/// for one rectangle: it is bounded on its first issues only. Frontier and bids still equal
/// enumeration of the 2^16 outcomes.
#[test]
fn a_rectangle_over_many_issues_is_bounded_and_still_exact() {
    use crate::utility::{Aggregation, ConstraintUtility, HyperRectangle, RectangleKind};
    let mut s = rectangle_scenario(&[2; 16], &[1, 2, 3]);
    let rect = |kind, utility, bounds: Vec<(usize, f64, f64)>| HyperRectangle {
        kind,
        utility,
        bounds,
    };
    let all = |bit: f64| (0..16).map(|i| (i, bit, bit)).collect::<Vec<_>>();
    let utility = |rectangles| {
        UtilityFunction::Constraint(ConstraintUtility {
            rectangles,
            aggregation: Aggregation::Sum,
            weight: 1.0,
            max_utility: 20.0,
        })
    };
    s.parties[0].utility = utility(vec![
        rect(RectangleKind::Include, 9.0, all(1.0)),
        rect(
            RectangleKind::Include,
            4.0,
            vec![(3, 0.0, 0.0), (7, 0.0, 0.0)],
        ),
        rect(RectangleKind::Exclude, 3.0, all(0.0)),
        rect(RectangleKind::Include, -2.0, vec![(15, 1.0, 1.0)]),
    ]);
    s.parties[1].utility = utility(vec![
        rect(RectangleKind::Include, 7.0, all(0.0)),
        rect(RectangleKind::Exclude, 5.0, all(1.0)),
        rect(
            RectangleKind::Include,
            2.0,
            vec![(0, 1.0, 1.0), (9, 0.0, 0.0)],
        ),
    ]);
    let mut cfg = AnalysisConfig::new(Definitions::Zopa);
    cfg.method = MethodChoice::Enumeration;
    let e = analyze(&s, &cfg).unwrap();
    cfg.method = MethodChoice::ConstraintSearch;
    let c = analyze(&s, &cfg).unwrap();
    let utilities = |a: &Analysis| -> Vec<Vec<f64>> {
        a.frontier.iter().map(|p| p.utilities.clone()).collect()
    };
    assert_eq!(utilities(&e), utilities(&c));
    assert_eq!(e.worst, c.worst);
    check_bidder(&s, 0).unwrap();
    check_bidder(&s, 1).unwrap();
}

/// 0.1 + 0.2 and 0.3 are one utility: the two outcomes below tie exactly (each party gets
/// 0.3 from one and 0.1 + 0.2 from the other), so the frontier has 3 points, not the 4 that
/// binary floating point would report.
#[test]
fn decimal_ties_are_one_frontier_point() {
    let issues = vec![
        Issue::discrete("a", &["p", "q"]),
        Issue::discrete("b", &["r", "s"]),
    ];
    let s = Scenario {
        ranges: crate::Ranges::default(),
        name: "ties".into(),
        description: None,
        issues,
        parties: vec![
            party(
                "A",
                vec![1.0, 1.0],
                vec![vec![0.1, 0.3], vec![0.2, 0.0]],
                0.0,
            ),
            party(
                "B",
                vec![1.0, 1.0],
                vec![vec![0.3, 0.1], vec![0.0, 0.2]],
                0.0,
            ),
        ],
        notes: Vec::new(),
        events: Vec::new(),
        calendar: None,
        texts: Vec::new(),
        exclusions: Vec::new(),
    };
    assert_ne!(
        0.1 + 0.2,
        0.3,
        "the premise: floating point tells them apart"
    );
    for method in [MethodChoice::Enumeration, MethodChoice::AdditiveFrontier] {
        let mut cfg = AnalysisConfig::new(Definitions::Zopa);
        cfg.method = method;
        let a = analyze(&s, &cfg).unwrap();
        let utils: Vec<Vec<f64>> = a.frontier.iter().map(|p| p.utilities.clone()).collect();
        assert_eq!(
            utils,
            vec![vec![0.5, 0.1], vec![0.3, 0.3], vec![0.1, 0.5]],
            "{method:?}"
        );
        assert_eq!(a.arithmetic, Arithmetic::ExactDecimal { places: 1 });
    }
}

/// Integer brute force: with weights and evaluations in thousandths, utilities are exact
/// integers in millionths.
fn exact_frontier(
    weights: &[Vec<i64>],
    tables: &[Vec<Vec<i64>>],
    sizes: &[usize],
) -> Vec<Vec<i64>> {
    let total: usize = sizes.iter().product();
    let all: Vec<Vec<i64>> = (0..total)
        .map(|mut r| {
            let mut levels = vec![0usize; sizes.len()];
            for d in (0..sizes.len()).rev() {
                levels[d] = r % sizes[d];
                r /= sizes[d];
            }
            weights
                .iter()
                .zip(tables)
                .map(|(w, t)| (0..sizes.len()).map(|i| w[i] * t[i][levels[i]]).sum())
                .collect()
        })
        .collect();
    let dominates = |a: &Vec<i64>, b: &Vec<i64>| a.iter().zip(b).all(|(x, y)| x >= y) && a != b;
    let mut front: Vec<Vec<i64>> = all
        .iter()
        .filter(|u| !all.iter().any(|v| dominates(v, u)))
        .cloned()
        .collect();
    front.sort();
    front.dedup();
    front
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    /// Decimal weights and evaluations (thousandths, chosen from few values so that exact
    /// ties are common): the frontier is the exact one, point for point, in every definition
    /// set and both methods.
    #[test]
    fn frontier_is_exact_on_decimal_ties(
        n_parties in 2usize..4,
        sizes in prop::collection::vec(1usize..4, 1..5),
        raw in prop::collection::vec(0usize..6, 64),
    ) {
        // Few distinct decimals whose float sums are noisy: 0.1, 0.2, 0.3, 0.7, 0.35, 0.05.
        const PICK: [i64; 6] = [100, 200, 300, 700, 350, 50];
        let mut it = raw.iter().cycle();
        let mut next = || PICK[*it.next().unwrap()];
        let weights: Vec<Vec<i64>> = (0..n_parties).map(|_| sizes.iter().map(|_| next()).collect()).collect();
        let tables: Vec<Vec<Vec<i64>>> = (0..n_parties)
            .map(|_| sizes.iter().map(|&k| (0..k).map(|_| next()).collect()).collect())
            .collect();
        let issues: Vec<Issue> = sizes.iter().enumerate().map(|(i, &k)| {
            let names: Vec<String> = (0..k).map(|v| format!("v{v}")).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            Issue::discrete(format!("i{i}"), &names)
        }).collect();
        let thousandths = |x: i64| x as f64 / 1000.0;
        let parties = (0..n_parties).map(|p| party(
            &format!("p{p}"),
            weights[p].iter().map(|&w| thousandths(w)).collect(),
            tables[p].iter().map(|t| t.iter().map(|&e| thousandths(e)).collect()).collect(),
            0.0,
        )).collect();
        let s = Scenario { name: "ties".into(), description: None, issues, parties, notes: Vec::new(), events: Vec::new(), calendar: None, texts: Vec::new(), exclusions: Vec::new(), ranges: crate::Ranges::default() };
        let expected: Vec<Vec<f64>> = exact_frontier(&weights, &tables, &sizes)
            .iter()
            .map(|u| u.iter().map(|&x| format!("{x}e-6").parse().unwrap()).collect())
            .collect();
        for defs in [Definitions::Zopa, Definitions::Genius, Definitions::Negolog] {
            for method in [MethodChoice::Enumeration, MethodChoice::AdditiveFrontier] {
                let mut cfg = AnalysisConfig::new(defs);
                cfg.method = method;
                let a = analyze(&s, &cfg).unwrap();
                let mut got: Vec<Vec<f64>> = a.frontier.iter().map(|p| p.utilities.clone()).collect();
                got.sort_by(|a, b| a.partial_cmp(b).unwrap());
                prop_assert_eq!(&got, &expected);
            }
        }
    }
}

/// A positional evaluation in ten-thousandths, by integer arithmetic: positions are multiples
/// of 5 that include 0 and 100 and the ideal is 0, 50 or 100, so the largest distance D is 50
/// or 100 and 10⁴·(1 − d/D) and 10⁴·(1 − (d/D)²) are whole numbers.
fn positional_ten_thousandths(positions: &[i64], ideal: i64, curve: crate::Curve) -> Vec<i64> {
    let far = positions
        .iter()
        .map(|p| (p - ideal).abs())
        .max()
        .unwrap_or(0);
    positions
        .iter()
        .map(|p| {
            let d = (p - ideal).abs();
            match curve {
                crate::Curve::Linear => 10_000 * (far - d) / far,
                crate::Curve::Concave => 10_000 * (far * far - d * d) / (far * far),
            }
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    /// Positional evaluations on a 0–100 scale stay exact: the analysis adds them up in
    /// exact decimals (`Analysis::arithmetic`), and the frontier is the one integer brute
    /// force finds, in every definition set and both methods. Weights are decimals chosen
    /// from few values whose float sums are noisy, so exact ties are common.
    #[test]
    fn frontier_is_exact_on_positional_evaluations(
        n_parties in 2usize..4,
        sizes in prop::collection::vec(2usize..5, 1..4),
        raw in prop::collection::vec(0usize..6, 64),
    ) {
        const PICK: [i64; 6] = [100, 200, 300, 700, 350, 50];
        let mut it = raw.iter().cycle();
        let mut next = || *it.next().unwrap();
        // Positions: 0, 100 and multiples of 5 between.
        let positions: Vec<Vec<i64>> = sizes.iter().map(|&k| {
            (0..k).map(|v| match v { 0 => 0, 1 => 100, _ => 5 * (next() as i64 * 3 + 1) }).collect()
        }).collect();
        let weights: Vec<Vec<i64>> = (0..n_parties).map(|_| sizes.iter().map(|_| PICK[next()]).collect()).collect();
        let mut tables: Vec<Vec<Vec<i64>>> = Vec::new();
        let mut evaluators: Vec<Vec<Evaluator>> = Vec::new();
        for _ in 0..n_parties {
            let (mut t, mut e) = (Vec::new(), Vec::new());
            for ps in &positions {
                let ideal = [0, 50, 100][next() % 3];
                let curve = crate::Curve::ALL[next() % 2];
                let shape = crate::Shape::ALL[next() % 2];
                let xs: Vec<f64> = ps.iter().map(|&p| p as f64).collect();
                t.push(positional_ten_thousandths(ps, ideal, curve));
                e.push(Evaluator::Positional(
                    crate::PositionalEvaluator::new(&xs, ideal as f64, shape, curve).unwrap(),
                ));
            }
            tables.push(t);
            evaluators.push(e);
        }
        let issues: Vec<Issue> = sizes.iter().zip(&positions).enumerate().map(|(i, (&k, ps))| {
            let names: Vec<String> = (0..k).map(|v| format!("v{v}")).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let mut issue = Issue::discrete(format!("i{i}"), &names);
            issue.positions = Some(ps.iter().map(|&p| p as f64).collect());
            issue
        }).collect();
        let parties = (0..n_parties).map(|p| {
            let mut q = party(&format!("p{p}"), weights[p].iter().map(|&w| w as f64 / 1000.0).collect(), Vec::new(), 0.0);
            if let UtilityFunction::Additive(a) = &mut q.utility {
                a.evaluators = evaluators[p].clone();
            }
            q
        }).collect();
        let s = Scenario { name: "positions".into(), description: None, issues, parties, notes: Vec::new(), events: Vec::new(), calendar: None, texts: Vec::new(), exclusions: Vec::new(), ranges: crate::Ranges::default() };
        prop_assert_eq!(s.validate(), Ok(()));
        // Utilities in units of 10⁻⁷ (thousandths times ten-thousandths).
        let expected: Vec<Vec<f64>> = exact_frontier(&weights, &tables, &sizes)
            .iter()
            .map(|u| u.iter().map(|&x| format!("{x}e-7").parse().unwrap()).collect())
            .collect();
        for defs in [Definitions::Zopa, Definitions::Genius, Definitions::Negolog] {
            for method in [MethodChoice::Enumeration, MethodChoice::AdditiveFrontier] {
                let mut cfg = AnalysisConfig::new(defs);
                cfg.method = method;
                let a = analyze(&s, &cfg).unwrap();
                prop_assert!(matches!(a.arithmetic, Arithmetic::ExactDecimal { places } if places <= 7), "{:?}", a.arithmetic);
                let mut got: Vec<Vec<f64>> = a.frontier.iter().map(|p| p.utilities.clone()).collect();
                got.sort_by(|a, b| a.partial_cmp(b).unwrap());
                prop_assert_eq!(&got, &expected);
            }
        }
    }
}

/// The shape of scenarios/ukraine-2025's issues (positions 0, 33, 67, 100 and 0, 25, …, 100):
/// ideals at an end give exact decimals; an interior ideal (D = 67) exact fractions. Either
/// way the analysis is exact, and utilities match the evaluations' exact values.
#[test]
fn positional_scenarios_are_analysed_exactly() {
    use crate::{Curve, PositionalEvaluator, Shape, Stance};
    let nato = [0.0, 33.0, 67.0, 100.0];
    let land = [0.0, 25.0, 50.0, 75.0, 100.0];
    let mut issues = vec![
        Issue::discrete("nato", &["open", "consensus", "dropped", "ban"]),
        Issue::discrete("land", &["withdrawal", "freeze", "zone", "dmz", "control"]),
    ];
    issues[0].positions = Some(nato.to_vec());
    issues[1].positions = Some(land.to_vec());
    let positional = |positions: &[f64], ideal, curve, stance| {
        Evaluator::Positional(
            PositionalEvaluator::new(positions, ideal, Shape::Monotone, curve)
                .unwrap()
                .with_stance(Stance::at(stance))
                .unwrap(),
        )
    };
    let with = |name: &str, evaluators: Vec<Evaluator>| {
        let mut p = party(name, vec![0.6, 0.4], Vec::new(), 0.3);
        if let UtilityFunction::Additive(a) = &mut p.utility {
            a.evaluators = evaluators;
        }
        p
    };
    let mut s = Scenario {
        ranges: crate::Ranges::default(),
        name: "positions".into(),
        description: None,
        issues,
        parties: vec![
            with(
                "UA",
                vec![
                    positional(&nato, 0.0, Curve::Concave, 67.0),
                    positional(&land, 0.0, Curve::Linear, 25.0),
                ],
            ),
            with(
                "RU",
                vec![
                    positional(&nato, 100.0, Curve::Linear, 100.0),
                    positional(&land, 100.0, Curve::Concave, 100.0),
                ],
            ),
        ],
        notes: Vec::new(),
        events: Vec::new(),
        calendar: None,
        texts: Vec::new(),
        exclusions: Vec::new(),
    };
    assert_eq!(s.validate(), Ok(()));
    assert_eq!(s.parties[0].stance_utility(0), Some(0.5511));
    assert_eq!(s.parties[0].stance_utility(1), Some(0.75));
    let a = zopa(&s);
    assert_eq!(a.arithmetic, Arithmetic::ExactDecimal { places: 5 });
    // Russia leaving everything beats Ukraine's stance on both issues: its best outcome.
    let ua_best = a
        .frontier
        .iter()
        .map(|p| p.utilities[0])
        .fold(0.0, f64::max);
    assert_eq!(ua_best, 1.0);
    // An interior ideal: the common denominator has 67² in it.
    let us = with(
        "US",
        vec![
            Evaluator::Positional(
                PositionalEvaluator::new(&nato, 33.0, Shape::SinglePeaked, Curve::Concave).unwrap(),
            ),
            positional(&land, 75.0, Curve::Linear, 75.0),
        ],
    );
    s.parties.push(us);
    let mut cfg = AnalysisConfig::new(Definitions::Zopa);
    cfg.parties = Some(vec![0, 1, 2]);
    let a = analyze(&s, &cfg).unwrap();
    assert!(
        matches!(a.arithmetic, Arithmetic::ExactRational { denominator } if denominator % 4489 == 0),
        "{:?}",
        a.arithmetic
    );
    for p in &a.frontier {
        let direct: Vec<f64> = s
            .parties
            .iter()
            .map(|q| q.utility.eval_exact(&p.outcome))
            .collect();
        assert_eq!(direct, p.utilities);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]
    /// `--definitions geniusweb` follows the GeniusWeb-era `calculate_specials`: the frontier
    /// by ascending u_A, the first strict improvement of the product (Nash), of −|u_A − u_B|
    /// ("Kalai") and of the sum (welfare), opposition = the distance from (1, 1) to that
    /// "Kalai" point — here in exact integer arithmetic on utilities in millionths.
    #[test]
    fn geniusweb_definitions_follow_calculate_specials(
        sizes in prop::collection::vec(1usize..4, 1..4),
        raw in prop::collection::vec(0usize..6, 48),
    ) {
        const PICK: [i64; 6] = [100, 200, 300, 700, 350, 50];
        let mut it = raw.iter().cycle();
        let mut next = || PICK[*it.next().unwrap()];
        let weights: Vec<Vec<i64>> = (0..2).map(|_| sizes.iter().map(|_| next()).collect()).collect();
        let tables: Vec<Vec<Vec<i64>>> = (0..2)
            .map(|_| sizes.iter().map(|&k| (0..k).map(|_| next()).collect()).collect())
            .collect();
        let issues: Vec<Issue> = sizes.iter().enumerate().map(|(i, &k)| {
            let names: Vec<String> = (0..k).map(|v| format!("v{v}")).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            Issue::discrete(format!("i{i}"), &names)
        }).collect();
        let th = |x: i64| x as f64 / 1000.0;
        let parties = (0..2).map(|p| party(
            &format!("p{p}"),
            weights[p].iter().map(|&w| th(w)).collect(),
            tables[p].iter().map(|t| t.iter().map(|&e| th(e)).collect()).collect(),
            0.0,
        )).collect();
        let s = Scenario { name: "gw".into(), description: None, issues, parties, notes: Vec::new(), events: Vec::new(), calendar: None, texts: Vec::new(), exclusions: Vec::new(), ranges: crate::Ranges::default() };
        // The frontier, ascending by u_A (the generator's final sort).
        let mut front = exact_frontier(&weights, &tables, &sizes);
        front.sort_by_key(|u| u[0]);
        let first_best = |score: &dyn Fn(&[i64]) -> i128, floor: Option<i128>| -> Option<Vec<i64>> {
            let mut best: Option<(i128, &Vec<i64>)> = None;
            for u in &front {
                let v = score(u);
                let beats = match best { Some((b, _)) => v > b, None => floor.is_none_or(|f| v > f) };
                if beats { best = Some((v, u)); }
            }
            best.map(|(_, u)| u.clone())
        };
        let nash = first_best(&|u| i128::from(u[0]) * i128::from(u[1]), Some(0));
        let kalai = first_best(&|u| -i128::from((u[0] - u[1]).abs()), None);
        let welfare = first_best(&|u| i128::from(u[0] + u[1]), None);
        let a = analyze(&s, &AnalysisConfig::new(Definitions::Geniusweb)).unwrap();
        let millionths = |p: &Option<Point>| p.as_ref().map(|p| p.utilities.iter().map(|x| (x * 1e6).round() as i64).collect::<Vec<_>>());
        prop_assert_eq!(millionths(&a.nash), nash);
        prop_assert_eq!(millionths(&a.kalai), kalai.clone());
        prop_assert_eq!(millionths(&a.max_welfare), welfare);
        let k = kalai.unwrap();
        let opposition = ((1.0 - k[0] as f64 / 1e6).powi(2) + (1.0 - k[1] as f64 / 1e6).powi(2)).sqrt();
        prop_assert!((a.opposition.unwrap() - opposition).abs() < 1e-12);
    }
}

// ---- Costs of delay: inside options over a horizon (docs/analysis.md) ----

/// `pie` with costs per round; B's utilities are (k − i)/k correctly rounded (not the float
/// noise of 1 − i/k), so that ties on paper are ties here.
fn pie_with_costs(k: usize, rv: (f64, f64), costs: (f64, f64)) -> Scenario {
    let mut s = pie(k, |x| x, |x| 1.0 - x, rv);
    s.parties[1].utility = UtilityFunction::Additive(AdditiveUtility {
        weights: vec![1.0],
        evaluators: vec![Evaluator::Table(
            (0..=k).map(|i| (k - i) as f64 / k as f64).collect(),
        )],
        cap_at_one: false,
    });
    s.parties[0].cost_per_round = Some(costs.0);
    s.parties[1].cost_per_round = Some(costs.1);
    s
}

fn with_horizon(s: &Scenario, horizon: Option<u32>) -> Analysis {
    let mut cfg = AnalysisConfig::new(Definitions::Zopa);
    cfg.horizon = horizon;
    analyze(s, &cfg).unwrap()
}

/// Split the pie (u_A = x, u_B = 1 − x) with costs per round c_A, c_B over R rounds: the
/// inside options are d_i = rv_i − c_i·R, and Nash gives A x = (1 + d_A − d_B)/2, which with
/// equal reservation values is (1 + (c_B − c_A)·R)/2 — the more patient side gets more —
/// unless an outside option binds (u_i ≥ rv_i), when the solution sits on that constraint.
#[test]
fn inside_options_split_the_pie_in_closed_form() {
    // (rv_A, rv_B, c_A, c_B, R, A's share by Nash, A's share by egalitarian)
    let cases = [
        (0.0, 0.0, 0.001, 0.003, 50, 0.55, 0.55),
        (0.0, 0.0, 0.003, 0.001, 50, 0.45, 0.45),
        (0.0, 0.0, 0.0, 0.002, 100, 0.6, 0.6),
        (0.0, 0.0, 0.002, 0.002, 80, 0.5, 0.5),
        (0.0, 0.0, 0.001, 0.003, 0, 0.5, 0.5),
        (0.2, 0.1, 0.001, 0.004, 20, 0.58, 0.58),
        // B's outside option binds: unconstrained x = 0.75, but u_B ≥ 0.5 caps x at 0.5.
        (0.0, 0.5, 0.0, 0.01, 100, 0.5, 0.5),
        // A huge cost for B: A takes everything B's outside option leaves.
        (0.0, 0.3, 0.0, 1.0, 10, 0.7, 0.7),
    ];
    for (rv_a, rv_b, c_a, c_b, r, nash, egalitarian) in cases {
        let s = pie_with_costs(100, (rv_a, rv_b), (c_a, c_b));
        let a = with_horizon(&s, Some(r));
        let label = format!("rv ({rv_a}, {rv_b}), costs ({c_a}, {c_b}), R = {r}");
        assert_eq!(
            a.disagreement,
            vec![inside_option(rv_a, c_a, r), inside_option(rv_b, c_b, r)],
            "{label}"
        );
        assert_eq!(a.reserved, vec![rv_a, rv_b], "{label}");
        assert_eq!(a.horizon, Some(r));
        check(&a.nash, [nash, 1.0 - nash], 1e-12);
        check(&a.egalitarian, [egalitarian, 1.0 - egalitarian], 1e-12);
        // The ZOPA is the same with or without a horizon.
        let b = with_horizon(&s, None);
        assert_eq!(a.zopa_exists, b.zopa_exists, "{label}");
        assert_eq!(
            a.rational_frontier_size, b.rational_frontier_size,
            "{label}"
        );
        assert_eq!(a.frontier, b.frontier, "{label}");
    }
    // The formula at a finer grid: A's Nash share is (1 + (c_B − c_A)·R)/2.
    for (c_a, c_b, r) in [
        (0.001, 0.002, 100),
        (0.0005, 0.0015, 300),
        (0.004, 0.001, 30),
    ] {
        let a = with_horizon(&pie_with_costs(1000, (0.0, 0.0), (c_a, c_b)), Some(r));
        let x = (1.0 + (c_b - c_a) * f64::from(r)) / 2.0;
        check(&a.nash, [x, 1.0 - x], 1e-9);
    }
}

/// Kalai–Smorodinsky from inside options: the gains are in proportion to I_i − d_i, with I
/// the ideal point over the individually rational outcomes.
#[test]
fn kalai_smorodinsky_from_inside_options() {
    // d = (−0.05, −0.15), I = (1, 1): (x + 0.05)/1.05 = (1.15 − x)/1.15 gives x = 0.5227…;
    // on a grid of thousandths the max–min picks 0.523.
    let a = with_horizon(&pie_with_costs(1000, (0.0, 0.0), (0.001, 0.003)), Some(50));
    check(&a.kalai, [0.523, 0.477], 1e-12);
}

#[test]
fn without_a_horizon_the_disagreement_point_is_what_the_definitions_say() {
    let s = pie_with_costs(10, (0.2, 0.1), (0.01, 0.02));
    let a = with_horizon(&s, None);
    assert_eq!(a.disagreement, vec![0.2, 0.1]);
    assert_eq!(a.horizon, None);
    let negolog = analyze(&s, &AnalysisConfig::new(Definitions::Negolog)).unwrap();
    assert_eq!(negolog.disagreement, vec![0.0, 0.0]);
}

/// A horizon belongs to zopa's definitions; the platforms' sets refuse it, naming the set.
#[test]
fn a_horizon_is_refused_under_platform_definitions() {
    let s = pie_with_costs(10, (0.0, 0.0), (0.01, 0.02));
    for defs in Definitions::ALL {
        let mut cfg = AnalysisConfig::new(defs);
        cfg.horizon = Some(10);
        let r = analyze(&s, &cfg);
        if defs == Definitions::Zopa {
            assert!(r.is_ok());
        } else {
            let e = r.unwrap_err();
            assert_eq!(e, AnalysisError::HorizonNeedsZopaDefinitions(defs.as_str()));
            assert!(e.to_string().contains("--definitions zopa"), "{e}");
        }
    }
}

/// Inside options are exact: a 0.1 reservation less 3 rounds at 0.07 is −0.11, not the
/// float noise around it.
#[test]
fn inside_options_are_computed_exactly() {
    assert_eq!(inside_option(0.0, 0.01, 30), -0.3);
    assert_eq!(inside_option(0.1, 0.07, 3), -0.11);
    assert_ne!(
        0.1 - 0.07 * 3.0,
        -0.11,
        "the premise: floating point misses it"
    );
    assert_eq!(inside_option(0.7, 0.0, u32::MAX), 0.7);
    assert_eq!(inside_option(0.0, 0.0, 0), 0.0);
    // A number that is no short decimal falls back to floating point.
    let x = 0.1f64.sqrt();
    assert_eq!(inside_option(x, 0.0, 5), x);
}

/// Exact ties: A's Nash share (1 + d_A − d_B)/2 falls halfway between two levels, both
/// products are equal on paper, and the first in frontier order (A's utility descending)
/// wins, as everywhere in zopa. In floating point the second case goes the other way:
/// (0.4 − 0)·(0.6 − 0.19) comes out larger than (0.41 − 0)·(0.59 − 0.19).
#[test]
fn exact_ties_from_inside_options_go_to_frontier_order() {
    // (rv, costs, R, d, A's share)
    let cases = [
        ((0.0, 0.0), (0.002, 0.005), 50, [-0.1, -0.25], 0.58),
        ((0.0, 0.2), (0.0, 0.001), 10, [0.0, 0.19], 0.41),
    ];
    for (rv, costs, r, d, x) in cases {
        let a = with_horizon(&pie_with_costs(100, rv, costs), Some(r));
        assert_eq!(a.disagreement, d);
        check(&a.nash, [x, 1.0 - x], 1e-12);
    }
    let float_product = |u: [f64; 2], d: [f64; 2]| (u[0] - d[0]) * (u[1] - d[1]);
    assert!(
        float_product([0.4, 0.6], [0.0, 0.19]) > float_product([0.41, 0.59], [0.0, 0.19]),
        "the premise: floating point breaks the tie the other way"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    /// Equal costs move every inside option by the same amount. On the pie that changes
    /// none of the solutions (Nash x = (1 + d_A − d_B)/2, and d_A − d_B is unchanged), and
    /// on any frontier it changes no egalitarian point (every gain moves by the same amount).
    /// Costs of zero change nothing at all.
    #[test]
    fn equal_costs_change_no_solution(
        k in 1usize..120,
        rv in (0u32..40, 0u32..40),
        cost in 0u32..30,
        horizon in 0u32..60,
        n_parties in 2usize..4,
        sizes in prop::collection::vec(1usize..5, 1..4),
        raw in prop::collection::vec(any::<u8>(), 16..48),
    ) {
        let c = f64::from(cost) / 1000.0;
        let rv = (f64::from(rv.0) / 100.0, f64::from(rv.1) / 100.0);
        let s = pie_with_costs(k, rv, (c, c));
        let (a, b) = (with_horizon(&s, Some(horizon)), with_horizon(&s, None));
        prop_assert_eq!(&a.nash, &b.nash);
        prop_assert_eq!(&a.kalai, &b.kalai);
        prop_assert_eq!(&a.egalitarian, &b.egalitarian);
        prop_assert_eq!(&a.max_welfare, &b.max_welfare);
        prop_assert_eq!(a.zopa_exists, b.zopa_exists);

        let mut s = random_scenario(n_parties, &sizes, &raw);
        for p in &mut s.parties {
            p.cost_per_round = Some(c);
        }
        let (a, b) = (with_horizon(&s, Some(horizon)), with_horizon(&s, None));
        prop_assert_eq!(&a.egalitarian, &b.egalitarian);
        prop_assert_eq!(&a.frontier, &b.frontier);
        for p in &mut s.parties {
            p.cost_per_round = Some(0.0);
        }
        let (a, b) = (with_horizon(&s, Some(horizon)), with_horizon(&s, None));
        prop_assert_eq!(&a.nash, &b.nash);
        prop_assert_eq!(&a.kalai, &b.kalai);
        prop_assert_eq!(&a.egalitarian, &b.egalitarian);
        prop_assert_eq!(&a.disagreement, &b.disagreement);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(96))]
    /// With a horizon, Nash, egalitarian and Kalai–Smorodinsky are measured from the inside
    /// options exactly: integer brute force in millionths (utilities, reservation values and
    /// costs as decimals chosen from few values, so exact ties are common) finds the same
    /// points, ties going to the first in frontier order.
    #[test]
    fn inside_option_solutions_match_integer_brute_force(
        sizes in prop::collection::vec(1usize..4, 1..4),
        raw in prop::collection::vec(0usize..6, 48),
        rv in (0i64..4, 0i64..4),
        costs in (0i64..5, 0i64..5),
        horizon in 0u32..40,
    ) {
        const PICK: [i64; 6] = [100, 200, 300, 700, 350, 50];
        let mut it = raw.iter().cycle();
        let mut next = || PICK[*it.next().unwrap()];
        let weights: Vec<Vec<i64>> = (0..2).map(|_| sizes.iter().map(|_| next()).collect()).collect();
        let tables: Vec<Vec<Vec<i64>>> = (0..2)
            .map(|_| sizes.iter().map(|&k| (0..k).map(|_| next()).collect()).collect())
            .collect();
        let issues: Vec<Issue> = sizes.iter().enumerate().map(|(i, &k)| {
            let names: Vec<String> = (0..k).map(|v| format!("v{v}")).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            Issue::discrete(format!("i{i}"), &names)
        }).collect();
        let th = |x: i64| x as f64 / 1000.0;
        // Reservation values in tenths of the sum of weights' reach (0, 0.1, 0.2, 0.3)·…,
        // costs in thousandths per round.
        let rv_m = [rv.0 * 50_000, rv.1 * 50_000];
        let cost_m = [costs.0 * 1000, costs.1 * 1000];
        let parties = (0..2).map(|p| {
            let mut q = party(
                &format!("p{p}"),
                weights[p].iter().map(|&w| th(w)).collect(),
                tables[p].iter().map(|t| t.iter().map(|&e| th(e)).collect()).collect(),
                rv_m[p] as f64 / 1e6,
            );
            q.cost_per_round = Some(cost_m[p] as f64 / 1e6);
            q
        }).collect();
        let s = Scenario { name: "delay".into(), description: None, issues, parties, notes: Vec::new(), events: Vec::new(), calendar: None, texts: Vec::new(), exclusions: Vec::new(), ranges: crate::Ranges::default() };
        let a = with_horizon(&s, Some(horizon));
        let d = [0, 1].map(|p| rv_m[p] - cost_m[p] * i64::from(horizon));
        let millionths = |x: f64| (x * 1e6).round() as i64;
        prop_assert_eq!(a.disagreement.iter().map(|&x| millionths(x)).collect::<Vec<_>>(), d.to_vec());
        // The frontier in frontier order (u_A descending), the rational part of it.
        let mut front = exact_frontier(&weights, &tables, &sizes);
        front.sort_by(|x, y| y.cmp(x));
        let rational: Vec<&Vec<i64>> = front.iter().filter(|u| u[0] >= rv_m[0] && u[1] >= rv_m[1]).collect();
        let gains = |u: &Vec<i64>| [i128::from(u[0] - d[0]), i128::from(u[1] - d[1])];
        // First maximum by an exact comparison `better(new, best)`.
        let first_best = |better: &dyn Fn(&Vec<i64>, &Vec<i64>) -> bool| -> Option<Vec<i64>> {
            let mut best: Option<&Vec<i64>> = None;
            for &u in &rational {
                if best.is_none_or(|b| better(u, b)) {
                    best = Some(u);
                }
            }
            best.cloned()
        };
        let nash = first_best(&|u, b| { let (g, h) = (gains(u), gains(b)); g[0] * g[1] > h[0] * h[1] });
        let egalitarian = first_best(&|u, b| gains(u)[0].min(gains(u)[1]) > gains(b)[0].min(gains(b)[1]));
        // Kalai–Smorodinsky: min_i g_i / s_i with s_i = I_i − d_i over the rational ideal.
        let ideal = [0, 1].map(|i| rational.iter().map(|u| u[i]).max().unwrap_or(i64::MIN));
        let ks = |u: &Vec<i64>| -> (i128, i128) {
            let g = gains(u);
            let ratio = |i: usize| {
                let s = i128::from(ideal[i] - d[i]);
                if s > 0 { (g[i], s) } else { (1, 1) }
            };
            let (r0, r1) = (ratio(0), ratio(1));
            if r0.0 * r1.1 <= r1.0 * r0.1 { r0 } else { r1 }
        };
        let kalai = first_best(&|u, b| { let (x, y) = (ks(u), ks(b)); x.0 * y.1 > y.0 * x.1 });
        let got = |p: &Option<Point>| p.as_ref().map(|p| p.utilities.iter().map(|&x| millionths(x)).collect::<Vec<_>>());
        prop_assert_eq!(got(&a.nash), nash);
        prop_assert_eq!(got(&a.egalitarian), egalitarian);
        prop_assert_eq!(got(&a.kalai), kalai);
    }
}
