//! How well an opponent model predicted the opponent's real utilities, measured when a
//! bilateral negotiation ends.
//!
//! Four numbers, over the same outcomes, each as the platform that reports it defines it:
//!
//! * **RMSE**, **Kendall τ** and **Spearman ρ** as NegoLog reports them
//!   (`nenv/OpponentModel/AbstractOpponentModel.py`, `calculate_error`): RMSE between real and
//!   estimated utilities; τ and ρ between the real ranking of the outcomes (best first, ties in
//!   the real utility kept in enumeration order, as NegoLog's stable sort of its bids keeps
//!   them) and the estimated ranking (ties in the estimate broken at random: NegoLog shuffles
//!   before its stable sort; here the shuffle is drawn from the run's seed). Both rankings are
//!   total orders, so τ = 1 − 4·inversions / (n(n − 1)) and ρ = 1 − 6·Σd² / (n(n² − 1)).
//! * **Kendall optimality**, ANL's normalised Kendall accuracy (NegMAS
//!   `preferences/ops.py`, `compare_ufuns(method="kendall_optimality")`): (τ_b + 1) / 2 of the
//!   utilities, each normalised to [0, 1] first, τ_b counting ties (SciPy's `kendalltau`); when
//!   τ_b is undefined (either side constant) it is 0, as NegMAS scores it.
//!
//! **Which outcomes.** Every outcome when the space is countable and has at most
//! [`ACCURACY_OUTCOMES`] of them (the ranking that NegoLog scores); otherwise
//! [`ACCURACY_OUTCOMES`] outcomes drawn uniformly from the run's seed (ChaCha8, stream
//! [`ACCURACY_STREAM`] of the seed derived for [`ACCURACY_SEED`]), the same draw for both sides
//! of a negotiation. [`ModelAccuracy::sampled`] says which.

use zopa_core::{Issue, IssueKind, Value};

use crate::opponent::OpponentModel;
use crate::session::Outcome;

/// Most outcomes an accuracy is computed over; larger spaces are sampled.
pub const ACCURACY_OUTCOMES: usize = 4_096;
/// `derive_seed(seed, ACCURACY_SEED)` seeds the sample and the tie-breaking shuffle.
pub const ACCURACY_SEED: u64 = 0xACC;
/// The ChaCha stream of the sample; the shuffle uses the next one.
pub const ACCURACY_STREAM: u64 = 11;

/// How well one negotiator's opponent model predicted its opponent, at the end.
#[derive(Debug, Clone, PartialEq)]
pub struct ModelAccuracy {
    /// The model's name (`frequency`, `windowed`, `bayesian`).
    pub model: &'static str,
    /// How many outcomes were scored.
    pub outcomes: usize,
    /// Whether they were a sample (the space was larger than [`ACCURACY_OUTCOMES`]).
    pub sampled: bool,
    /// √(mean (real − estimated)²), NegoLog's RMSE.
    pub rmse: f64,
    /// NegoLog's Kendall τ of the real and the estimated ranking, in [−1, 1].
    pub kendall_tau: f64,
    /// NegoLog's Spearman ρ of the real and the estimated ranking, in [−1, 1].
    pub spearman: f64,
    /// ANL's normalised Kendall accuracy (τ_b + 1) / 2, in [0, 1].
    pub kendall_optimality: f64,
}

/// The outcomes an accuracy is computed over (see the module's documentation), and whether
/// they are a sample.
pub fn accuracy_outcomes(issues: &[Issue], seed: u64) -> (Vec<Outcome>, bool) {
    let sizes: Option<Vec<u64>> = issues.iter().map(Issue::cardinality).collect();
    let count = sizes
        .as_ref()
        .and_then(|s| s.iter().try_fold(1u64, |acc, &n| acc.checked_mul(n)));
    if let (Some(sizes), Some(total)) = (sizes, count) {
        if total <= ACCURACY_OUTCOMES as u64 {
            let all = (0..total)
                .map(|mut r| {
                    let mut o = vec![Value::Discrete(0); issues.len()];
                    for d in (0..issues.len()).rev() {
                        let level = (r % sizes[d]) as u32;
                        r /= sizes[d];
                        o[d] = issues[d].value_at(level, 2);
                    }
                    o
                })
                .collect();
            return (all, false);
        }
    }
    use rand::RngExt;
    let mut rng = crate::rng(
        crate::protocols::derive_seed(seed, ACCURACY_SEED),
        ACCURACY_STREAM,
    );
    let sample = (0..ACCURACY_OUTCOMES)
        .map(|_| {
            issues
                .iter()
                .map(|issue| match &issue.kind {
                    IssueKind::Discrete { values, .. } => {
                        Value::Discrete(rng.random_range(0..values.len().max(1) as u32))
                    }
                    IssueKind::Integer { min, max } => {
                        Value::Integer(rng.random_range(*min..=*max))
                    }
                    IssueKind::Real { min, max } => Value::Real(if max > min {
                        rng.random_range(*min..=*max)
                    } else {
                        *min
                    }),
                })
                .collect()
        })
        .collect();
    (sample, true)
}

/// The accuracy of `model` against the real utility `truth`, over `outcomes`; `None` with
/// fewer than two outcomes (no ranking to compare), or when the model or the utility gives a
/// number that is not finite (nothing meaningful to report, and nothing that would make a
/// stored row look damaged).
pub fn model_accuracy(
    model: &dyn OpponentModel,
    truth: impl Fn(&[Value]) -> f64,
    outcomes: &[Outcome],
    sampled: bool,
    seed: u64,
) -> Option<ModelAccuracy> {
    let real: Vec<f64> = outcomes.iter().map(|o| truth(o)).collect();
    let estimated: Vec<f64> = outcomes.iter().map(|o| model.utility(o)).collect();
    if real.iter().chain(&estimated).any(|x| !x.is_finite()) {
        return None;
    }
    let m = measure(&real, &estimated, seed)?;
    Some(ModelAccuracy {
        model: model.name(),
        outcomes: outcomes.len(),
        sampled,
        rmse: m.rmse,
        kendall_tau: m.kendall_tau,
        spearman: m.spearman,
        kendall_optimality: m.kendall_optimality,
    })
}

/// The four numbers of two utility vectors (real, estimated).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Measures {
    pub rmse: f64,
    pub kendall_tau: f64,
    pub spearman: f64,
    pub kendall_optimality: f64,
}

/// [`Measures`] of `real` against `estimated` (equal lengths); ties in the estimate are broken
/// by a shuffle drawn from `seed`. `None` with fewer than two values.
pub fn measure(real: &[f64], estimated: &[f64], seed: u64) -> Option<Measures> {
    let n = real.len();
    if n < 2 || estimated.len() != n {
        return None;
    }
    let rmse = (real
        .iter()
        .zip(estimated)
        .map(|(r, e)| (r - e) * (r - e))
        .sum::<f64>()
        / n as f64)
        .sqrt();
    // NegoLog: the real ranking is the bids sorted by real utility (stable); position k of the
    // estimated ranking holds the bid whose real position is perm[k].
    let mut by_real: Vec<usize> = (0..n).collect();
    by_real.sort_by(|&a, &b| real[b].total_cmp(&real[a]));
    let mut real_position = vec![0usize; n];
    for (k, &i) in by_real.iter().enumerate() {
        real_position[i] = k;
    }
    let mut by_estimate: Vec<usize> = (0..n).collect();
    {
        use rand::seq::SliceRandom;
        let mut rng = crate::rng(
            crate::protocols::derive_seed(seed, ACCURACY_SEED),
            ACCURACY_STREAM + 1,
        );
        by_estimate.shuffle(&mut rng);
    }
    by_estimate.sort_by(|&a, &b| estimated[b].total_cmp(&estimated[a]));
    let perm: Vec<u64> = by_estimate
        .iter()
        .map(|&i| real_position[i] as u64)
        .collect();
    let nf = n as f64;
    let d2: f64 = perm
        .iter()
        .enumerate()
        .map(|(k, &p)| {
            let d = k as f64 - p as f64;
            d * d
        })
        .sum();
    let spearman = 1.0 - 6.0 * d2 / (nf * (nf * nf - 1.0));
    let kendall_tau = 1.0 - 4.0 * inversions(&mut perm.clone()) as f64 / (nf * (nf - 1.0));
    let kendall_optimality =
        tau_b(&normalised(real), &normalised(estimated)).map_or(0.0, |t| (t + 1.0) / 2.0);
    Some(Measures {
        rmse,
        kendall_tau,
        spearman,
        kendall_optimality,
    })
}

/// NegMAS's normalisation before comparing: to [0, 1], or all zeros when the range is below
/// 1e−10.
fn normalised(v: &[f64]) -> Vec<f64> {
    let min = v.iter().copied().fold(f64::INFINITY, f64::min);
    let max = v.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    if max - min > 1e-10 {
        v.iter().map(|x| (x - min) / (max - min)).collect()
    } else {
        vec![0.0; v.len()]
    }
}

/// Pairs i < j with v[i] > v[j], counted by merge sort (v ends sorted).
fn inversions<T: PartialOrd + Copy>(v: &mut [T]) -> u64 {
    let n = v.len();
    if n < 2 {
        return 0;
    }
    let mut buf = v.to_vec();
    let mut count = 0u64;
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut i, mut j, mut k) = (start, mid, start);
            while i < mid && j < end {
                if v[j] < v[i] {
                    buf[k] = v[j];
                    count += (mid - i) as u64;
                    j += 1;
                } else {
                    buf[k] = v[i];
                    i += 1;
                }
                k += 1;
            }
            buf[k..k + mid - i].copy_from_slice(&v[i..mid]);
            k += mid - i;
            buf[k..k + end - j].copy_from_slice(&v[j..end]);
            start = end;
        }
        v.copy_from_slice(&buf);
        width *= 2;
    }
    count
}

/// Pairs tied within each run of equal values of a sorted slice.
fn tied_pairs(sorted: &[f64]) -> u64 {
    let mut total = 0u64;
    let mut run = 1u64;
    for w in sorted.windows(2) {
        if w[0] == w[1] {
            run += 1;
        } else {
            total += run * (run - 1) / 2;
            run = 1;
        }
    }
    total + run * (run - 1) / 2
}

/// Kendall's τ_b of `x` and `y` in O(n log n) (Knight's algorithm, as SciPy computes it);
/// `None` when either is constant.
pub fn tau_b(x: &[f64], y: &[f64]) -> Option<f64> {
    let n = x.len() as u64;
    let mut idx: Vec<usize> = (0..x.len()).collect();
    idx.sort_by(|&a, &b| x[a].total_cmp(&x[b]).then(y[a].total_cmp(&y[b])));
    let xs: Vec<f64> = idx.iter().map(|&i| x[i]).collect();
    let x_ties = tied_pairs(&xs);
    let mut joint = 0u64;
    let mut run = 1u64;
    for w in idx.windows(2) {
        if x[w[0]] == x[w[1]] && y[w[0]] == y[w[1]] {
            run += 1;
        } else {
            joint += run * (run - 1) / 2;
            run = 1;
        }
    }
    joint += run * (run - 1) / 2;
    let mut ys: Vec<f64> = idx.iter().map(|&i| y[i]).collect();
    let discordant = inversions(&mut ys);
    let y_ties = tied_pairs(&ys);
    let total = n * (n.saturating_sub(1)) / 2;
    let (px, py) = ((total - x_ties) as f64, (total - y_ties) as f64);
    if px == 0.0 || py == 0.0 {
        return None;
    }
    let concordant_minus_discordant =
        total as f64 - x_ties as f64 - y_ties as f64 + joint as f64 - 2.0 * discordant as f64;
    Some((concordant_minus_discordant / (px * py).sqrt()).clamp(-1.0, 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn check(real: &[f64], estimated: &[f64], expect: (f64, f64, f64, f64)) {
        let m = measure(real, estimated, 7).unwrap();
        let got = (m.rmse, m.kendall_tau, m.spearman, m.kendall_optimality);
        for (g, e) in [got.0, got.1, got.2, got.3]
            .iter()
            .zip([expect.0, expect.1, expect.2, expect.3])
        {
            assert!((g - e).abs() < 1e-12, "{got:?} vs {expect:?}");
        }
    }

    #[test]
    fn a_perfect_model_and_a_reversed_one() {
        let real = [0.9, 0.1, 0.5, 0.3, 0.7];
        check(&real, &real, (0.0, 1.0, 1.0, 1.0));
        let reversed: Vec<f64> = real.iter().map(|u| 1.0 - u).collect();
        let rmse = (real
            .iter()
            .zip(&reversed)
            .map(|(a, b)| (a - b) * (a - b))
            .sum::<f64>()
            / 5.0)
            .sqrt();
        check(&real, &reversed, (rmse, -1.0, -1.0, 0.0));
        // A model that ranks right on another scale: no RMSE 0, but the rankings agree.
        let scaled: Vec<f64> = real.iter().map(|u| u / 2.0).collect();
        let m = measure(&real, &scaled, 1).unwrap();
        assert!(m.rmse > 0.1 && m.kendall_tau == 1.0 && m.spearman == 1.0);
    }

    #[test]
    fn a_constant_model_scores_zero_in_anl_and_about_zero_in_negolog() {
        let real: Vec<f64> = (0..200).map(|i| f64::from(i) / 199.0).collect();
        let flat = vec![0.5; 200];
        let m = measure(&real, &flat, 3).unwrap();
        assert_eq!(m.kendall_optimality, 0.0);
        assert!(m.kendall_tau.abs() < 0.15, "{m:?}");
        assert!(m.spearman.abs() < 0.2, "{m:?}");
    }

    /// A model that answers NaN is left unscored rather than stored as a damaged row.
    #[test]
    fn a_model_that_is_not_finite_is_not_scored() {
        struct Broken;
        impl OpponentModel for Broken {
            fn name(&self) -> &'static str {
                "broken"
            }
            fn update(&mut self, _bid: &[Value], _time: f64) {}
            fn utility(&self, _outcome: &[Value]) -> f64 {
                f64::NAN
            }
        }
        let issues = vec![Issue::discrete("a", &["x", "y", "z"])];
        let (outcomes, sampled) = accuracy_outcomes(&issues, 0);
        assert_eq!(
            model_accuracy(&Broken, |o| o.len() as f64, &outcomes, sampled, 0),
            None
        );
    }

    #[test]
    fn fewer_than_two_outcomes_have_no_ranking() {
        assert_eq!(measure(&[0.3], &[0.3], 0), None);
        assert_eq!(measure(&[], &[], 0), None);
    }

    /// τ_b, O(n²), straight from its definition.
    fn brute_tau_b(x: &[f64], y: &[f64]) -> Option<f64> {
        let (mut c, mut d, mut tx, mut ty) = (0.0, 0.0, 0.0, 0.0);
        for i in 0..x.len() {
            for j in i + 1..x.len() {
                let (a, b) = (x[i] - x[j], y[i] - y[j]);
                if a == 0.0 && b == 0.0 {
                    continue;
                } else if a == 0.0 {
                    tx += 1.0;
                } else if b == 0.0 {
                    ty += 1.0;
                } else if a * b > 0.0 {
                    c += 1.0;
                } else {
                    d += 1.0;
                }
            }
        }
        let den: f64 = (c + d + tx) * (c + d + ty);
        (den > 0.0).then(|| (c - d) / den.sqrt())
    }

    proptest! {
        /// Against brute force: RMSE, NegoLog's τ and ρ over the two rankings (here built by
        /// sorting and compared pair by pair), ANL's τ_b over the utilities (with ties: values
        /// on a coarse grid).
        #[test]
        fn measures_equal_brute_force(
            pairs in proptest::collection::vec((0u8..6, 0u8..6), 2..60),
            seed in any::<u64>(),
        ) {
            let real: Vec<f64> = pairs.iter().map(|p| f64::from(p.0) / 5.0).collect();
            let est: Vec<f64> = pairs.iter().map(|p| f64::from(p.1) / 5.0).collect();
            let m = measure(&real, &est, seed).unwrap();
            let n = real.len();
            let rmse = (real.iter().zip(&est).map(|(a, b)| (a - b) * (a - b)).sum::<f64>() / n as f64).sqrt();
            prop_assert!((m.rmse - rmse).abs() < 1e-12);
            match brute_tau_b(&real, &est) {
                Some(t) => prop_assert!((m.kendall_optimality - (t + 1.0) / 2.0).abs() < 1e-9, "{} vs {}", m.kendall_optimality, t),
                None => prop_assert_eq!(m.kendall_optimality, 0.0),
            }
            // NegoLog's rankings are total orders: τ and ρ of positions, whatever the
            // tie-break, lie in [−1, 1], and with no ties in either they equal τ_b and the
            // rank correlation.
            prop_assert!((-1.0..=1.0).contains(&m.kendall_tau) && (-1.0..=1.0).contains(&m.spearman));
            let distinct = |v: &[f64]| { let mut s = v.to_vec(); s.sort_by(f64::total_cmp); s.windows(2).all(|w| w[0] != w[1]) };
            if distinct(&real) && distinct(&est) {
                let t = brute_tau_b(&real, &est).unwrap();
                prop_assert!((m.kendall_tau - t).abs() < 1e-9);
                let rank = |v: &[f64]| { let mut r = vec![0.0; v.len()]; for (i, x) in v.iter().enumerate() { r[i] = v.iter().filter(|y| *y > x).count() as f64; } r };
                let (ra, rb) = (rank(&real), rank(&est));
                let mean = (n as f64 - 1.0) / 2.0;
                let cov: f64 = ra.iter().zip(&rb).map(|(a, b)| (a - mean) * (b - mean)).sum();
                let var: f64 = ra.iter().map(|a| (a - mean) * (a - mean)).sum();
                prop_assert!((m.spearman - cov / var).abs() < 1e-9);
            }
        }

        /// Merge-sort inversions equal the O(n²) count.
        #[test]
        fn inversions_equal_brute_force(v in proptest::collection::vec(0u32..20, 0..80)) {
            let brute = (0..v.len()).flat_map(|i| (i + 1..v.len()).map(move |j| (i, j))).filter(|&(i, j)| v[i] > v[j]).count() as u64;
            prop_assert_eq!(inversions(&mut v.clone()), brute);
        }
    }

    #[test]
    fn small_spaces_are_listed_whole_and_large_ones_sampled_from_the_seed() {
        let small = vec![
            Issue::discrete("a", &["x", "y", "z"]),
            Issue::discrete("b", &["p", "q"]),
        ];
        let (all, sampled) = accuracy_outcomes(&small, 1);
        assert!(!sampled);
        assert_eq!(all.len(), 6);
        let values: Vec<String> = (0..10).map(|i| format!("v{i}")).collect();
        let names: Vec<&str> = values.iter().map(String::as_str).collect();
        let large: Vec<Issue> = (0..5)
            .map(|k| Issue::discrete(format!("i{k}"), &names))
            .collect();
        let (a, sa) = accuracy_outcomes(&large, 9);
        let (b, _) = accuracy_outcomes(&large, 9);
        let (c, _) = accuracy_outcomes(&large, 10);
        assert!(sa);
        assert_eq!(a.len(), ACCURACY_OUTCOMES);
        assert_eq!(a, b);
        assert_ne!(a, c);
    }
}
