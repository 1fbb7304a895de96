//! Frontier by enumeration, in bounded memory: outcomes are scored in chunks and each chunk's
//! frontier is merged into the running one.

use super::pareto::{pareto_indices, Utility};
use super::restrict::Plan;
use super::space::Grid;
use crate::utility::UtilityFunction;

const CHUNK: usize = 1 << 16;

/// What one pass over every outcome yields.
pub(crate) struct Enumerated<T> {
    /// Frontier points as `(levels, utilities)`.
    pub points: Vec<(Vec<u32>, Vec<T>)>,
    /// Minimum utility of each party over all outcomes.
    pub mins: Vec<T>,
}

/// How outcomes are scored during enumeration.
pub(crate) enum Scoring<'a, T> {
    /// Additive utilities: prefix sums of per-issue contributions in issue order, each party
    /// capped at its `caps` value when it has one.
    Additive {
        contributions: &'a [Vec<T>],
        caps: Vec<Option<T>>,
    },
    /// Any utility function, evaluated on the outcome (floating point).
    Direct(&'a [&'a UtilityFunction]),
}

/// Scores every outcome of `grid` that `plan` admits for `n` parties (inadmissible outcomes
/// take no part: not in the frontier, not in the minima).
pub(crate) fn enumerate<T: Utility>(
    grid: &Grid,
    n: usize,
    scoring: Scoring<'_, T>,
    direct: impl Fn(&UtilityFunction, &[crate::issue::Value]) -> T,
    plan: &Plan,
) -> Enumerated<T> {
    let free = plan.is_free();
    let sizes = grid.sizes();
    let k = sizes.len();
    let mut levels = vec![0u32; k];
    let mut rank: u64 = 0;
    let mut mins: Vec<Option<T>> = vec![None; n];
    let mut front_utils: Vec<T> = Vec::new();
    let mut front_ranks: Vec<u64> = Vec::new();
    let mut chunk_utils: Vec<T> = Vec::with_capacity(CHUNK * n);
    let mut chunk_ranks: Vec<u64> = Vec::with_capacity(CHUNK);
    // prefix[d*n..] = sum of contributions of issues 0..=d
    let mut prefix = vec![T::ZERO; k * n];
    let mut dirty_from = 0usize;
    let empty = sizes.contains(&0);
    loop {
        if empty {
            break;
        }
        let admitted = free || plan.admissible(&levels);
        match &scoring {
            Scoring::Additive {
                contributions: c,
                caps,
            } => {
                for d in dirty_from..k {
                    let add = &c[d][levels[d] as usize * n..(levels[d] as usize + 1) * n];
                    for p in 0..n {
                        let base = if d == 0 {
                            T::ZERO
                        } else {
                            prefix[(d - 1) * n + p]
                        };
                        prefix[d * n + p] = base + add[p];
                    }
                }
                for (p, cap) in caps.iter().enumerate() {
                    let mut u = prefix[(k - 1) * n + p];
                    if let Some(cap) = *cap {
                        if u.total_cmp(&cap).is_gt() {
                            u = cap;
                        }
                    }
                    chunk_utils.push(u);
                }
            }
            Scoring::Direct(ufuns) => {
                if admitted {
                    let outcome = grid.outcome(&levels);
                    chunk_utils.extend(ufuns.iter().map(|u| direct(u, &outcome)));
                }
            }
        }
        if admitted {
            let row = &chunk_utils[chunk_utils.len() - n..];
            for (m, &u) in mins.iter_mut().zip(row) {
                if m.is_none_or(|m| u.total_cmp(&m).is_lt()) {
                    *m = Some(u);
                }
            }
            chunk_ranks.push(rank);
        } else if matches!(scoring, Scoring::Additive { .. }) {
            // The prefix sums stay current; the outcome's row is dropped.
            chunk_utils.truncate(chunk_utils.len() - n);
        }
        if chunk_ranks.len() == CHUNK {
            merge(
                &mut front_utils,
                &mut front_ranks,
                &mut chunk_utils,
                &mut chunk_ranks,
                n,
            );
        }
        // Odometer step, last issue fastest (so ranks follow lexicographic order).
        rank += 1;
        let mut d = k;
        let mut done = true;
        while d > 0 {
            d -= 1;
            levels[d] += 1;
            if u64::from(levels[d]) < sizes[d] {
                done = false;
                break;
            }
            levels[d] = 0;
        }
        if done {
            break;
        }
        dirty_from = d;
    }
    merge(
        &mut front_utils,
        &mut front_ranks,
        &mut chunk_utils,
        &mut chunk_ranks,
        n,
    );
    let points = front_ranks
        .iter()
        .zip(front_utils.chunks_exact(n.max(1)))
        .map(|(&r, u)| (unrank(r, &sizes), u.to_vec()))
        .collect();
    Enumerated {
        points,
        mins: mins.into_iter().map(|m| m.unwrap_or(T::ZERO)).collect(),
    }
}

fn merge<T: Utility>(
    front_utils: &mut Vec<T>,
    front_ranks: &mut Vec<u64>,
    chunk_utils: &mut Vec<T>,
    chunk_ranks: &mut Vec<u64>,
    n: usize,
) {
    front_utils.append(chunk_utils);
    front_ranks.append(chunk_ranks);
    let kept = pareto_indices(front_utils, n, |i| front_ranks[i]);
    let utils = kept
        .iter()
        .flat_map(|&i| front_utils[i * n..(i + 1) * n].iter().copied())
        .collect();
    let ranks = kept.iter().map(|&i| front_ranks[i]).collect();
    *front_utils = utils;
    *front_ranks = ranks;
}

fn unrank(mut r: u64, sizes: &[u64]) -> Vec<u32> {
    let mut levels = vec![0u32; sizes.len()];
    for d in (0..sizes.len()).rev() {
        levels[d] = (r % sizes[d]) as u32;
        r /= sizes[d];
    }
    levels
}
