//! ANAC 2014's nonlinear domains (hyper-rectangle utilities, 10^10 outcomes for ten issues)
//! analysed exactly by the constraint search, against the `pareto.xml` frontiers the
//! competition shipped beside them. Three of the four ten-issue domains match point for point;
//! in `10issueswithRV` zopa finds one Pareto point the shipped frontier lacks, which is checked
//! here by evaluating its outcome and seeing that no shipped point dominates it.

use std::path::PathBuf;

use zopa_core::analysis::{analyze, AnalysisConfig, AnalysisError, Definitions, Method};

fn domain(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/scenarios/negmas-genius/anac/y2014")
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

/// Where the rectangles overlap too much for the search to close within its budget, the
/// analysis says so instead of returning a partial frontier.
#[test]
fn an_intractable_search_is_refused_not_truncated() {
    let s = zopa_formats::load(&domain("30issues"), &zopa_formats::ReadOptions::genius()).unwrap();
    let mut cfg = AnalysisConfig::new(Definitions::Zopa);
    cfg.max_nodes = 20_000;
    match analyze(&s, &cfg) {
        Err(e @ AnalysisError::SearchTooLarge { .. }) => {
            assert!(e.to_string().contains("limit 20000"), "{e}");
        }
        other => panic!(
            "expected the search to give up, got {:?}",
            other.map(|a| a.frontier.len())
        ),
    }
}
