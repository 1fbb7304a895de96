//! `cargo bench -p zopa-mechanisms`: one negotiation per protocol on the shipped laptop sale
//! (3 issues, 2 parties): alternating offers between two hardliners held to 1,000 and 10,000
//! rounds (they never agree, so this is the time per turn with the driver's bookkeeping), the
//! open single text, and shuttle diplomacy with the bargaining mediator.

use std::path::PathBuf;

use zopa_core::Scenario;
use zopa_mechanisms::{run, Deadline, Protocol, RunSpec, Spec};

fn main() {
    divan::main();
}

fn laptop_sale() -> Scenario {
    let path =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/examples/laptop-sale.toml");
    zopa_formats::load(&path, &zopa_formats::ReadOptions::genius()).expect("shipped example")
}

fn spec(protocol: Protocol, negotiators: &[&str], mediator: Option<&str>, rounds: u32) -> RunSpec {
    RunSpec {
        protocol,
        negotiators: negotiators
            .iter()
            .map(|n| Spec::parse(n).unwrap())
            .collect(),
        mediator: mediator.map(|m| Spec::parse(m).unwrap()),
        deadline: Deadline::rounds(rounds),
        record_trace: false,
        ..Default::default()
    }
}

#[divan::bench(args = [1_000, 10_000])]
fn sao_hardliners(bencher: divan::Bencher, rounds: u32) {
    let s = laptop_sale();
    let spec = spec(Protocol::Sao, &["hardliner"], None, rounds);
    bencher.bench(|| run(&s, &spec).unwrap());
}

#[divan::bench]
fn mediated_hill_climbers(bencher: divan::Bencher) {
    let s = laptop_sale();
    let spec = spec(
        Protocol::Mediated,
        &["hill-climber"],
        Some("hill-climbing"),
        200,
    );
    bencher.bench(|| run(&s, &spec).unwrap());
}

#[divan::bench]
fn shuttle_bargaining(bencher: divan::Bencher) {
    let s = laptop_sale();
    let spec = spec(Protocol::Shuttle, &["boulware"], Some("bargaining"), 100);
    bencher.bench(|| run(&s, &spec).unwrap());
}
