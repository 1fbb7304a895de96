//! `cargo bench -p zopa-formats --bench anac2014`: the exact frontier of ANAC 2014's 30-issue
//! (10^30 outcomes) and "50issues" (forty issues, 10^40 outcomes) hyper-rectangle domains by
//! the constraint search, and exact bids on one of their utilities (the best outcome, the
//! outcome nearest a target). Before the mini-bucket search the frontier was refused after
//! 10^6 nodes (4.6 s on 30issues, 2.8 s on 50issues) and did not close within 10^8.
//! Reading the files is outside the timings.

use std::path::PathBuf;

use zopa_core::analysis::{analyze, AnalysisConfig, ConstraintBidder, Definitions};
use zopa_core::{Scenario, UtilityFunction};
use zopa_formats::{load, ReadOptions};

fn main() {
    divan::main();
}

const DOMAINS: [&str; 4] = [
    "30issues",
    "30issuesDiscountedwithRV",
    "50issues",
    "50issuesDiscountedwithRV",
];

fn scenario(name: &str) -> Scenario {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/scenarios/negmas-genius/anac/y2014")
        .join(name);
    load(&path, &ReadOptions::genius()).expect("the ANAC 2014 domains are in ../shared")
}

#[divan::bench(args = DOMAINS, sample_count = 5, sample_size = 1)]
fn frontier(bencher: divan::Bencher, name: &str) {
    let s = scenario(name);
    let config = AnalysisConfig::new(Definitions::Zopa);
    bencher.bench(|| analyze(&s, &config).expect("the domain closes"));
}

fn bidder(name: &str) -> ConstraintBidder {
    let s = scenario(name);
    let UtilityFunction::Constraint(u) = &s.parties[1].utility else {
        panic!("ANAC 2014 profiles are constraint utilities")
    };
    ConstraintBidder::new(&s.issues, u).expect("a sum of rectangles")
}

#[divan::bench(args = DOMAINS, sample_count = 5, sample_size = 1)]
fn bid_best(bencher: divan::Bencher, name: &str) {
    let b = bidder(name);
    bencher.bench(|| b.best().expect("an outcome"));
}

#[divan::bench(args = DOMAINS, sample_count = 5, sample_size = 1)]
fn bid_nearest_0_9(bencher: divan::Bencher, name: &str) {
    let b = bidder(name);
    bencher.bench(|| b.nearest(0.9).expect("within the node budget"));
}
