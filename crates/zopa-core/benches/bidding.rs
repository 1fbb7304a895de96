//! `cargo bench -p zopa-core --bench bidding`: each bidding operation of
//! `zopa_core::bidding::AdditiveBids` on spaces of 10^3, 10^6, 10^9 and 10^15 outcomes (3, 6,
//! 9 and 15 issues of 10 values; two-decimal weights and evaluations from a fixed linear
//! congruential generator, so utilities tie as they do in real scenarios). Targets sit at
//! 0.3, 0.5 and 0.8 of the utility range, each iteration asking about one of them in turn.
//!
//! Searches inside the range of a 10^15 space (15 issues: 10^11 searched prefixes against a
//! block of 10^4) do not finish in 40 s — the subset-sum worst case the module docs describe —
//! so those operations run at 10^3, 10^6 and 10^9 only (`SEARCHED`).

use zopa_core::bidding::{AdditiveBids, Estimate, Span};
use zopa_core::{AdditiveUtility, Evaluator, Issue};

fn main() {
    divan::main();
}

const SIZES: [usize; 4] = [3, 6, 9, 15];
const SEARCHED: [usize; 3] = [3, 6, 9];

fn space(issues: usize) -> AdditiveBids {
    let mut state: u64 = 20_251_129;
    let mut next = move || {
        state = (state * 1_103_515_245 + 12_345) % (1 << 31);
        state as f64 / (1u64 << 31) as f64
    };
    let names: Vec<String> = (0..10).map(|v| format!("v{v}")).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let list: Vec<Issue> = (0..issues)
        .map(|i| Issue::discrete(format!("i{i}"), &names))
        .collect();
    let raw: Vec<f64> = (0..issues)
        .map(|_| (10.0 + 90.0 * next()).round())
        .collect();
    let total: f64 = raw.iter().sum();
    let utility = AdditiveUtility {
        weights: raw
            .iter()
            .map(|r| (r / total * 100.0).round() / 100.0)
            .collect(),
        evaluators: (0..issues)
            .map(|_| {
                Evaluator::Table(
                    (0..10)
                        .map(|v| {
                            let e = (f64::from(v) / 9.0 + 0.2 * next() - 0.1).clamp(0.0, 1.0);
                            (e * 100.0).round() / 100.0
                        })
                        .collect(),
                )
            })
            .collect(),
        cap_at_one: false,
    };
    AdditiveBids::new(&list, &utility, 11).expect("10 values per issue")
}

/// Utilities at 0.3, 0.5 and 0.8 of the range.
fn targets(b: &AdditiveBids) -> [f64; 3] {
    let (lo, hi) = (b.worst().utility, b.best().utility);
    [0.3, 0.5, 0.8].map(|f| lo + f * (hi - lo))
}

fn cycle<T>(bencher: divan::Bencher, issues: usize, f: impl Fn(&AdditiveBids, f64) -> T + Sync) {
    let b = space(issues);
    let ts = targets(&b);
    let k = std::sync::atomic::AtomicUsize::new(0);
    bencher.bench(|| {
        let i = k.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 3;
        f(&b, ts[i])
    });
}

#[divan::bench(args = SIZES)]
fn build(bencher: divan::Bencher, issues: usize) {
    bencher.bench(|| space(issues));
}

#[divan::bench(args = SIZES)]
fn best(bencher: divan::Bencher, issues: usize) {
    cycle(bencher, issues, |b, _| b.best());
}

#[divan::bench(args = SEARCHED, sample_count = 20)]
fn nearest(bencher: divan::Bencher, issues: usize) {
    cycle(bencher, issues, |b, u| b.nearest(u));
}

#[divan::bench(args = SEARCHED, sample_count = 20)]
fn worst_at_least(bencher: divan::Bencher, issues: usize) {
    cycle(bencher, issues, |b, u| b.worst_at_least(u));
}

#[divan::bench(args = SEARCHED, sample_count = 20)]
fn count_at_least(bencher: divan::Bencher, issues: usize) {
    cycle(bencher, issues, |b, u| b.count_at_least(u));
}

#[divan::bench(args = SIZES)]
fn top_10(bencher: divan::Bencher, issues: usize) {
    cycle(bencher, issues, |b, _| b.top(10));
}

/// The first 10 outcomes of [u, u + 0.01], in order.
#[divan::bench(args = SEARCHED, sample_count = 20)]
fn interval_first_10(bencher: divan::Bencher, issues: usize) {
    cycle(bencher, issues, |b, u| {
        b.iter(&Span::between(u, u + 0.01)).take(10).count()
    });
}

/// A uniformly random outcome of [u, u + 0.01].
#[divan::bench(args = SEARCHED, sample_count = 10)]
fn random_in_interval(bencher: divan::Bencher, issues: usize) {
    cycle(bencher, issues, |b, u| {
        b.random(&Span::between(u, u + 0.01), |n| n / 3)
    });
}

/// The best outcome of utility ≥ u for an opposed estimate (1 − own evaluation per issue).
#[divan::bench(args = SEARCHED, sample_count = 20)]
fn best_for_estimate(bencher: divan::Bencher, issues: usize) {
    let b = space(issues);
    let ts = targets(&b);
    let own: Vec<Vec<f64>> = b
        .values()
        .iter()
        .enumerate()
        .map(|(i, vs)| {
            vs.iter()
                .enumerate()
                .map(|(l, _)| {
                    let mut levels = vec![0u32; b.values().len()];
                    levels[i] = l as u32;
                    b.utility(&levels)
                })
                .collect()
        })
        .collect();
    let estimate = Estimate {
        terms: own
            .iter()
            .map(|t| {
                let hi = t.iter().copied().fold(f64::MIN, f64::max);
                t.iter().map(|x| hi - x).collect()
            })
            .collect(),
        scale: 1.0,
    };
    let k = std::sync::atomic::AtomicUsize::new(0);
    bencher.bench(|| {
        let i = k.fetch_add(1, std::sync::atomic::Ordering::Relaxed) % 3;
        b.best_for(&Span::at_least(ts[i]), &estimate)
    });
}
