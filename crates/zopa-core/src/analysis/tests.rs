//! Closed-form bargaining answers (`../shared/notes/bargaining.md`) and method equivalence.

use proptest::prelude::*;

use super::*;
use crate::{AdditiveUtility, Evaluator, Issue, Party, Role, Scenario, UtilityFunction};

fn party(name: &str, weights: Vec<f64>, tables: Vec<Vec<f64>>, rv: f64) -> Party {
    Party {
        name: name.into(),
        role: Role::Negotiator,
        utility: UtilityFunction::Additive(AdditiveUtility {
            weights,
            evaluators: tables.into_iter().map(Evaluator::Table).collect(),
            cap_at_one: false,
        }),
        reservation: Some(rv),
        discount: None,
        cost_per_round: None,
        capability: None,
        salience: None,
        description: None,
    }
}

/// One issue x ∈ {0, 1/k, …, 1}; party utilities f(x), g(x).
fn pie(k: usize, f: impl Fn(f64) -> f64, g: impl Fn(f64) -> f64, d: (f64, f64)) -> Scenario {
    let xs: Vec<f64> = (0..=k).map(|i| i as f64 / k as f64).collect();
    let names: Vec<String> = (0..=k).map(|i| i.to_string()).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    Scenario {
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

fn random_scenario(n_parties: usize, sizes: &[usize], raw: &[u8]) -> Scenario {
    let mut it = raw.iter().cycle();
    let mut next = || f64::from(*it.next().unwrap() % 7) / 6.0;
    let issues: Vec<Issue> = sizes
        .iter()
        .enumerate()
        .map(|(i, &k)| {
            let names: Vec<String> = (0..k).map(|v| format!("v{v}")).collect();
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            Issue::discrete(format!("i{i}"), &names)
        })
        .collect();
    let parties = (0..n_parties)
        .map(|p| {
            let weights: Vec<f64> = sizes.iter().map(|_| next() / sizes.len() as f64).collect();
            let tables = sizes
                .iter()
                .map(|&k| (0..k).map(|_| next()).collect())
                .collect();
            party(&format!("p{p}"), weights, tables, next() * 0.3)
        })
        .collect();
    Scenario {
        name: "random".into(),
        description: None,
        issues,
        parties,
        notes: Vec::new(),
        events: Vec::new(),
        calendar: None,
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
fn rectangle_scenario(sizes: &[i64], raw: &[u8]) -> Scenario {
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
        name: "rectangles".into(),
        description: None,
        issues,
        parties,
        notes: Vec::new(),
        events: Vec::new(),
        calendar: None,
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
        let s = Scenario { name: "ties".into(), description: None, issues, parties, notes: Vec::new(), events: Vec::new(), calendar: None };
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
        let s = Scenario { name: "gw".into(), description: None, issues, parties, notes: Vec::new(), events: Vec::new(), calendar: None };
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
