//! GENIUS semantics: the test vectors of formats.md §1.3 and the derived table of
//! metrics.md §10 (Nash, GENIUS "Kalai", opposition (a), outcome count, frontier size).

mod common;

use zopa_core::analysis::{analyze, AnalysisConfig, Definitions};
use zopa_core::{Scenario, Value};
use zopa_formats::{load, ReadOptions};

const T: &str = "scenarios/NegotiatorGUI/etc/templates/";

fn genius(rel: &str) -> Scenario {
    load(
        &common::shared(&format!("{T}{rel}")),
        &ReadOptions::genius(),
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn outcome(s: &Scenario, values: &[&str]) -> Vec<Value> {
    s.issues
        .iter()
        .zip(values)
        .map(|(issue, v)| match &issue.kind {
            zopa_core::IssueKind::Discrete { .. } => {
                Value::Discrete(issue.value_index(v).unwrap_or_else(|| panic!("{v}")))
            }
            zopa_core::IssueKind::Integer { .. } => Value::Integer(v.parse().unwrap()),
            zopa_core::IssueKind::Real { .. } => Value::Real(v.parse().unwrap()),
        })
        .collect()
}

#[test]
fn fifty_fifty_normalises_integer_scores_and_discounts() {
    let s = genius("anac/y2012/FiftyFifty/FiftyFifty-A-domain.xml");
    let p = &s.parties[0];
    let u = p.utility.eval(&outcome(&s, &["60_40"]));
    assert!(common::close(u, 0.6, 1e-12), "{u}");
    assert_eq!(p.discount, Some(0.5));
    assert!(common::close(u * 0.5f64.powf(1.0), 0.3, 1e-12));
    assert_eq!(p.reservation, Some(0.5.into()));
}

#[test]
fn killer_robot_integer_issue() {
    let s = genius("ANAC2015/group9-killer_robot");
    let u1 = s
        .parties
        .iter()
        .find(|p| p.name == "KillerRobot_util1")
        .unwrap();
    let bid = outcome(&s, &["Humanoid", "Legs", "10", "Railgun", "Red", "25"]);
    let u = u1.utility.eval(&bid);
    assert!(common::close(u, 0.63339, 5e-5), "{u}");
}

#[test]
fn son_real_issues() {
    let s = genius("SON/son_domain.xml");
    let buyer = s.parties.iter().find(|p| p.name == "son_buyer").unwrap();
    let u = buyer
        .utility
        .eval(&outcome(&s, &["0.2", "0.5", "0.0", "1.0"]));
    assert!(common::close(u, 0.5, 1e-12), "{u}");
}

#[test]
fn geniusweb_reservation_bid_is_the_reservation_value() {
    let s = load(
        &common::shared("scenarios/negmas-genius/geniusweb/FlightBooking"),
        &ReadOptions::genius(),
    )
    .unwrap();
    let p = s
        .parties
        .iter()
        .find(|p| p.name == "flightbooking1")
        .unwrap();
    assert!(
        common::close(p.reservation_value(), 0.70845, 1e-12),
        "{:?}",
        p.reservation
    );
}

struct Row {
    folder: &'static str,
    bids: u64,
    nash: [f64; 2],
    kalai: [f64; 2],
    opposition: f64,
    frontier: usize,
}

#[test]
fn metrics_table_of_anac_domains() {
    let rows = [
        Row {
            folder: "anac/y2012/FiftyFifty/FiftyFifty-A-domain.xml",
            bids: 11,
            nash: [0.5, 0.5],
            kalai: [0.5, 0.5],
            opposition: std::f64::consts::FRAC_1_SQRT_2,
            frontier: 11,
        },
        Row {
            folder: "anac/y2011/Laptop",
            bids: 27,
            nash: [1.0, 0.8151],
            kalai: [0.874, 0.874],
            opposition: 0.1596,
            frontier: 4,
        },
        Row {
            folder: "anac/y2012/FlightBooking/FlightBooking-A-domain.xml",
            bids: 48,
            nash: [0.7375, 0.9],
            kalai: [0.825, 0.725],
            opposition: 0.2809,
            frontier: 6,
        },
        Row {
            folder: "anac/y2013/Coffee",
            bids: 112,
            nash: [0.9242, 0.5592],
            kalai: [0.6428, 0.6710],
            opposition: 0.4473,
            frontier: 17,
        },
        Row {
            folder: "anac/y2010/ItexvsCypress",
            bids: 180,
            nash: [0.6705, 0.7215],
            kalai: [0.6705, 0.7215],
            opposition: 0.4315,
            frontier: 18,
        },
        Row {
            folder: "anac/y2011/Camera",
            bids: 3600,
            nash: [0.8154, 0.8808],
            kalai: [0.8342, 0.8098],
            opposition: 0.2197,
            frontier: 16,
        },
        Row {
            folder: "ANAC2015/group9-killer_robot",
            bids: 240000,
            nash: [0.8441, 0.9707],
            kalai: [0.8966, 0.8948],
            opposition: 0.1449,
            frontier: 96,
        },
        Row {
            folder: "anac/y2011/Energy",
            bids: 390625,
            nash: [0.625, 0.7543],
            kalai: [0.6825, 0.684],
            opposition: 0.4454,
            // metrics.md's 210 was derived in floating point ("check independently"): six of
            // those points are float noise. In exact arithmetic (every evaluation k/4, weights
            // in hundredths) the frontier has 204 points; an independent Python `Fraction`
            // merge gives 204 too.
            frontier: 204,
        },
    ];
    for r in rows {
        let mut s = genius(r.folder);
        // The table ignores reservation values ("rv ignored for Nash").
        for p in &mut s.parties {
            p.reservation = None;
        }
        // u1, u2 = the first two profile files in alphabetical order.
        let mut config = AnalysisConfig::new(Definitions::Genius);
        config.parties = Some(vec![0, 1]);
        let a = analyze(&s, &config).unwrap();
        let name = r.folder;
        assert_eq!(
            a.n_outcomes.as_ref().unwrap().to_string(),
            r.bids.to_string(),
            "{name}"
        );
        assert_eq!(a.frontier.len(), r.frontier, "{name}: frontier size");
        let nash = &a.nash.as_ref().unwrap().utilities;
        let kalai = &a.kalai.as_ref().unwrap().utilities;
        for k in 0..2 {
            assert!(
                common::close(nash[k], r.nash[k], 6e-5),
                "{name}: nash {nash:?} vs {:?}",
                r.nash
            );
            assert!(
                common::close(kalai[k], r.kalai[k], 6e-5),
                "{name}: kalai {kalai:?} vs {:?}",
                r.kalai
            );
        }
        assert!(
            common::close(a.opposition.unwrap(), r.opposition, 6e-5),
            "{name}: opposition {:?}",
            a.opposition
        );
    }
}

#[test]
fn nice_or_die_nash_tie_is_broken_towards_the_first_party() {
    let s = genius("anac/y2011/NiceOrDie");
    let a = analyze(&s, &AnalysisConfig::new(Definitions::Genius)).unwrap();
    let nash = &a.nash.unwrap().utilities;
    assert!(
        common::close(nash[0], 1.0, 1e-9) && common::close(nash[1], 0.16, 1e-9),
        "{nash:?}"
    );
    assert!(common::close(a.kalai.unwrap().utilities[0], 0.299, 1e-9));
}
