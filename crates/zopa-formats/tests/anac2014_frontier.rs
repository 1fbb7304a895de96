//! ANAC 2014's nonlinear domains (hyper-rectangle utilities: 10^10 outcomes for ten issues,
//! 10^30 for thirty, 10^40 for the "50issues" ones, which have forty) analysed exactly by the
//! constraint search, against the `pareto.xml` frontiers the competition shipped beside them.
//! Three of the four ten-issue domains match point for point; in `10issueswithRV` zopa finds
//! one Pareto point the shipped frontier lacks, which is checked here by evaluating its
//! outcome and seeing that no shipped point dominates it. The shipped frontiers of the large
//! domains are approximations: most of their points lie strictly below zopa's frontier.

use std::path::PathBuf;

use zopa_core::analysis::{analyze, AnalysisConfig, AnalysisError, BigUint, Definitions, Method};
use zopa_core::Value;

fn domain(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/scenarios/negmas-genius/anac/y2014")
        .join(name)
}

/// The same domains as GENIUS's own templates ship them.
fn template(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/scenarios/NegotiatorGUI/etc/templates/anac/y2014")
        .join(name)
}

fn shipped(name: &str) -> Vec<(f64, f64)> {
    std::fs::read_to_string(domain(name).join("pareto.xml"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (a, b) = l.split_once(',').unwrap();
            (a.trim().parse().unwrap(), b.trim().parse().unwrap())
        })
        .collect()
}

#[test]
fn ten_issue_domains_match_the_shipped_frontiers() {
    for (name, extra) in [
        ("10issues", 0),
        ("10issuesDiscounted", 0),
        ("10issuesDiscountedwithRV", 0),
        ("10issueswithRV", 1),
    ] {
        let s = zopa_formats::load(&domain(name), &zopa_formats::ReadOptions::genius()).unwrap();
        let a = analyze(&s, &AnalysisConfig::new(Definitions::Zopa)).unwrap();
        assert_eq!(a.method, Method::ConstraintSearch, "{name}");
        assert_eq!(a.analysed_outcomes.to_string(), "10000000000");
        let ours: Vec<(f64, f64)> = a
            .frontier
            .iter()
            .map(|p| (p.utilities[0], p.utilities[1]))
            .collect();
        // The shipped values are printed as 32-bit floats.
        let same =
            |x: (f64, f64), y: (f64, f64)| (x.0 - y.0).abs() < 1e-6 && (x.1 - y.1).abs() < 1e-6;
        let theirs = shipped(name);
        for t in &theirs {
            assert!(
                ours.iter().any(|o| same(*o, *t)),
                "{name}: shipped point {t:?} missing"
            );
        }
        let unshipped: Vec<&(f64, f64)> = ours
            .iter()
            .filter(|o| !theirs.iter().any(|t| same(**o, *t)))
            .collect();
        assert_eq!(unshipped.len(), extra, "{name}: {unshipped:?}");
        for o in unshipped {
            assert!(
                !theirs.iter().any(|t| t.0 >= o.0 && t.1 >= o.1),
                "{name}: {o:?} is dominated by a shipped point"
            );
        }
        // Every frontier point is its outcome's utilities.
        for p in &a.frontier {
            for (k, &party) in a.parties.iter().enumerate() {
                let u = s.parties[party].utility.eval(&p.outcome);
                assert!((u - p.utilities[k]).abs() < 1e-12, "{name}");
            }
        }
    }
}

/// Where the search cannot close within its budget (30issues needs about 10^5 nodes), the
/// analysis says so instead of returning a partial frontier.
#[test]
fn an_intractable_search_is_refused_not_truncated() {
    let s = zopa_formats::load(&domain("30issues"), &zopa_formats::ReadOptions::genius()).unwrap();
    let mut cfg = AnalysisConfig::new(Definitions::Zopa);
    cfg.max_nodes = 2_000;
    match analyze(&s, &cfg) {
        Err(e @ AnalysisError::SearchTooLarge { .. }) => {
            assert!(e.to_string().contains("limit 2000"), "{e}");
        }
        other => panic!(
            "expected the search to give up, got {:?}",
            other.map(|a| a.frontier.len())
        ),
    }
}

/// How zopa's exact frontier of a large domain compares with the shipped `pareto.xml`:
/// (domain, issues, zopa's points, shipped points on zopa's frontier, shipped points strictly
/// dominated by one of zopa's, zopa's points the file lacks).
const LARGE: [(&str, u32, usize, usize, usize, usize); 8] = [
    ("30issues", 30, 14, 2, 8, 12),
    ("30issuesDiscounted", 30, 26, 9, 7, 17),
    ("30issuesDiscountedwithRV", 30, 52, 0, 34, 52),
    ("30issueswithRV", 30, 33, 17, 12, 16),
    ("50issues", 40, 23, 0, 12, 23),
    ("50issuesDiscounted", 40, 26, 3, 8, 23),
    ("50issuesDiscountedwithRV", 40, 69, 8, 26, 61),
    ("50issueswithRV", 40, 14, 4, 7, 10),
];

/// The 30- and 40-issue domains close within the default budget of the search, and every
/// frontier point is checked by brute force: its outcome's utilities (each party's own
/// `eval`) are the point's, bit for bit; no other frontier point, no shipped point, no
/// outcome one value away and none of 20,000 random outcomes dominates it. Every shipped
/// point is on zopa's frontier or strictly below it.
#[test]
fn large_domains_close_exactly_and_every_point_is_checked() {
    // The shipped values are printed as 32-bit floats.
    const TOL: f64 = 1e-6;
    let same = |x: (f64, f64), y: (f64, f64)| (x.0 - y.0).abs() < TOL && (x.1 - y.1).abs() < TOL;
    let dominates = |x: (f64, f64), y: (f64, f64)| {
        x.0 > y.0 - TOL && x.1 > y.1 - TOL && (x.0 > y.0 + TOL || x.1 > y.1 + TOL)
    };
    for (name, issues, points, on, below, extra) in LARGE {
        let s = zopa_formats::load(&domain(name), &zopa_formats::ReadOptions::genius()).unwrap();
        let a = analyze(&s, &AnalysisConfig::new(Definitions::Zopa)).unwrap();
        assert_eq!(a.method, Method::ConstraintSearch, "{name}");
        assert_eq!(
            a.analysed_outcomes,
            BigUint::from(10u32).pow(issues),
            "{name}"
        );
        assert!(a.search_nodes.is_some_and(|n| n < 1_000_000), "{name}");
        let ours: Vec<(f64, f64)> = a
            .frontier
            .iter()
            .map(|p| (p.utilities[0], p.utilities[1]))
            .collect();
        assert_eq!(ours.len(), points, "{name}: {ours:?}");
        for p in &a.frontier {
            for (k, &party) in a.parties.iter().enumerate() {
                assert_eq!(
                    s.parties[party].utility.eval(&p.outcome),
                    p.utilities[k],
                    "{name}"
                );
            }
        }
        for (i, &o) in ours.iter().enumerate() {
            for (j, &q) in ours.iter().enumerate() {
                assert!(
                    i == j || !(q.0 >= o.0 && q.1 >= o.1),
                    "{name}: {q:?} ≥ {o:?}"
                );
            }
        }
        // No outcome one value away from a frontier point, and none of 20,000 drawn at
        // random, dominates a frontier point.
        let eval = |o: &[Value]| -> (f64, f64) {
            let u = |k: usize| s.parties[a.parties[k]].utility.eval(o);
            (u(0), u(1))
        };
        let beaten = |u: (f64, f64)| {
            ours.iter()
                .any(|&o| u.0 >= o.0 && u.1 >= o.1 && (u.0 > o.0 || u.1 > o.1))
        };
        for p in &a.frontier {
            for i in 0..s.issues.len() {
                for v in 0..10 {
                    let mut o = p.outcome.clone();
                    o[i] = Value::Integer(v);
                    assert!(!beaten(eval(&o)), "{name}: {o:?}");
                }
            }
        }
        let mut state: u64 = 20141;
        for _ in 0..20_000 {
            let o: Vec<Value> = (0..s.issues.len())
                .map(|_| {
                    state = state
                        .wrapping_mul(6364136223846793005)
                        .wrapping_add(1442695040888963407);
                    Value::Integer(((state >> 33) % 10) as i64)
                })
                .collect();
            let u = eval(&o);
            assert!(
                u.0.is_finite() && u.1.is_finite() && !beaten(u),
                "{name}: {o:?}"
            );
        }
        let theirs = shipped(name);
        for &o in &ours {
            assert!(
                !theirs.iter().any(|&t| dominates(t, o)),
                "{name}: {o:?} is dominated by a shipped point"
            );
        }
        let counted = |f: &dyn Fn((f64, f64)) -> bool| theirs.iter().filter(|&&t| f(t)).count();
        let shipped_on = counted(&|t| ours.iter().any(|&o| same(o, t)));
        let shipped_below = counted(&|t| ours.iter().any(|&o| dominates(o, t)));
        assert_eq!(shipped_on + shipped_below, theirs.len(), "{name}");
        let unshipped = ours
            .iter()
            .filter(|&&o| !theirs.iter().any(|&t| same(o, t)))
            .count();
        assert_eq!(
            (shipped_on, shipped_below, unshipped),
            (on, below, extra),
            "{name}: {ours:?} vs {theirs:?}"
        );
    }
}

/// GENIUS's templates of two large domains (the same rectangles in files with other
/// comments) give the same frontier.
#[test]
fn the_template_copies_give_the_same_frontier() {
    for name in ["30issues", "50issues"] {
        let utilities = |path: PathBuf| -> Vec<Vec<f64>> {
            let s = zopa_formats::load(&path, &zopa_formats::ReadOptions::genius()).unwrap();
            let a = analyze(&s, &AnalysisConfig::new(Definitions::Zopa)).unwrap();
            a.frontier.into_iter().map(|p| p.utilities).collect()
        };
        assert_eq!(utilities(domain(name)), utilities(template(name)), "{name}");
    }
}
