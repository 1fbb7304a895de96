//! Frontier by enumeration, in bounded memory: outcomes are scored in chunks and each chunk's
//! frontier is merged into the running one.

use super::pareto::pareto_indices;
use super::space::Grid;
use crate::utility::UtilityFunction;

const CHUNK: usize = 1 << 16;

/// What one pass over every outcome yields.
pub(crate) struct Enumerated {
    /// Frontier points as `(levels, utilities)`.
    pub points: super::additive::Points,
    /// Minimum utility of each party over all outcomes.
    pub mins: Vec<f64>,
}

/// Scores every outcome of `grid` for `ufuns`. With `contributions` (all additive) utilities are
/// prefix sums in issue order; otherwise each utility function is evaluated on the outcome.
pub(crate) fn enumerate(
    grid: &Grid,
    ufuns: &[&UtilityFunction],
    contributions: Option<&[Vec<f64>]>,
) -> Enumerated {
    let n = ufuns.len();
    let sizes = grid.sizes();
    let k = sizes.len();
    let mut levels = vec![0u32; k];
    let mut rank: u64 = 0;
    let mut mins = vec![f64::INFINITY; n];
    let mut front_utils: Vec<f64> = Vec::new();
    let mut front_ranks: Vec<u64> = Vec::new();
    let mut chunk_utils: Vec<f64> = Vec::with_capacity(CHUNK * n);
    let mut chunk_ranks: Vec<u64> = Vec::with_capacity(CHUNK);
    // prefix[d*n..] = sum of contributions of issues 0..=d
    let mut prefix = vec![0.0; k * n];
    let mut dirty_from = 0usize;
    let caps: Vec<bool> = ufuns
        .iter()
        .map(|u| u.as_additive().is_some_and(|a| a.cap_at_one))
        .collect();
    let empty = sizes.contains(&0);
    loop {
        if empty {
            break;
        }
        match contributions {
            Some(c) => {
                for d in dirty_from..k {
                    let add = &c[d][levels[d] as usize * n..(levels[d] as usize + 1) * n];
                    for p in 0..n {
                        let base = if d == 0 { 0.0 } else { prefix[(d - 1) * n + p] };
                        prefix[d * n + p] = base + add[p];
                    }
                }
                for p in 0..n {
                    let mut u = prefix[(k - 1) * n + p];
                    if caps[p] {
                        u = u.min(1.0);
                    }
                    chunk_utils.push(u);
                }
            }
            None => {
                let outcome = grid.outcome(&levels);
                chunk_utils.extend(ufuns.iter().map(|u| u.eval(&outcome) + 0.0));
            }
        }
        let row = &chunk_utils[chunk_utils.len() - n..];
        for (m, &u) in mins.iter_mut().zip(row) {
            *m = m.min(u);
        }
        chunk_ranks.push(rank);
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
    Enumerated { points, mins }
}

fn merge(
    front_utils: &mut Vec<f64>,
    front_ranks: &mut Vec<u64>,
    chunk_utils: &mut Vec<f64>,
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
