//! Exact Pareto frontier of additive utilities without enumerating the outcome space.
//!
//! With additive utilities an outcome's utility vector is the sum of one contribution vector
//! per issue. If a partial outcome (values for issues 0..k) is dominated by another partial
//! outcome, every completion of it is dominated by the same completion of the other, so only
//! the frontier of each prefix needs to be kept: F_k = Pareto(F_{k-1} ⊕ C_k). Sums are formed
//! in issue order, exactly as enumeration forms them, so both methods give bit-identical
//! utilities. Among outcomes with equal utility vectors the lexicographically smallest
//! (by value index, first issue most significant) is kept, again as enumeration does.

use super::pareto::{pareto_indices, Utility};

/// The frontier grew past the candidate budget.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TooLarge {
    pub issue: usize,
    pub candidates: usize,
}

/// One kept prefix: its parent in the previous layer and its value at this issue.
#[derive(Clone, Copy)]
struct Link {
    parent: u32,
    level: u32,
}

/// Frontier points as `(levels, utilities)`.
pub(crate) type Points<T = f64> = Vec<(Vec<u32>, Vec<T>)>;

/// `contributions[i]` holds, for every level of issue `i`, the `n` parties' weighted
/// evaluations (flat, `n` per level).
pub(crate) fn frontier<T: Utility>(
    contributions: &[Vec<T>],
    n: usize,
    max_candidates: usize,
) -> Result<Points<T>, TooLarge> {
    let mut layers: Vec<Vec<Link>> = Vec::with_capacity(contributions.len());
    let mut utils: Vec<T> = vec![T::ZERO; n];
    let mut ranks: Vec<u32> = vec![0];
    for (issue, c) in contributions.iter().enumerate() {
        // Options dominated within the issue can never complete a frontier outcome.
        let mut options = pareto_indices(c, n, |o| o);
        options.sort_unstable();
        let candidates = ranks.len() * options.len();
        if candidates > max_candidates {
            return Err(TooLarge { issue, candidates });
        }
        let mut cand_utils = Vec::with_capacity(candidates * n);
        let mut cand_links = Vec::with_capacity(candidates);
        for (p, prefix) in utils.chunks_exact(n.max(1)).enumerate() {
            for &o in &options {
                let add = &c[o * n..(o + 1) * n];
                cand_utils.extend(prefix.iter().zip(add).map(|(&a, &b)| a + b));
                cand_links.push(Link {
                    parent: p as u32,
                    level: o as u32,
                });
            }
        }
        let key = |i: usize| (ranks[cand_links[i].parent as usize], cand_links[i].level);
        let mut kept = pareto_indices(&cand_utils, n, key);
        // Order the kept prefixes lexicographically so their position is their rank.
        kept.sort_unstable_by_key(|&i| key(i));
        ranks = (0..kept.len() as u32).collect();
        utils = kept
            .iter()
            .flat_map(|&i| cand_utils[i * n..(i + 1) * n].iter().copied())
            .collect();
        layers.push(kept.iter().map(|&i| cand_links[i]).collect());
    }
    let Some(last) = layers.last() else {
        return Ok(Vec::new());
    };
    let mut points = Vec::with_capacity(last.len());
    for (j, u) in utils.chunks_exact(n.max(1)).enumerate() {
        let mut levels = vec![0u32; layers.len()];
        let mut at = j;
        for (issue, layer) in layers.iter().enumerate().rev() {
            levels[issue] = layer[at].level;
            at = layer[at].parent as usize;
        }
        points.push((levels, u.to_vec()));
    }
    Ok(points)
}
