//! `cargo bench -p zopa-forecast`: whole SMP runs (KTAB's defaults, to its stopping rule) on
//! KTAB's own inputs: 7 actors × 3 dimensions, and 40 and 160 actors × 1 dimension.

use zopa_forecast::{ktab, smp};

fn main() {
    divan::main();
}

fn actors(file: &str) -> Vec<smp::Actor> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/scenarios/ktab/smp")
        .join(file);
    let text = std::fs::read_to_string(&path).expect("the shared KTAB inputs beside the repo");
    ktab::parse_csv(&text).expect("a KTAB CSV").actors
}

#[divan::bench(args = ["dummyData_3Dim.csv", "dummyData-a040.csv", "dummyData-a160.csv"], sample_count = 5)]
fn smp_run(bencher: divan::Bencher, file: &str) {
    let a = actors(file);
    bencher.bench(|| smp::run(divan::black_box(&a), 100));
}
