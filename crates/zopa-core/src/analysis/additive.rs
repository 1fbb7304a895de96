//! Exact Pareto frontier of additive utilities without enumerating the outcome space.
//!
//! With additive utilities an outcome's utility vector is the sum of one contribution vector
//! per issue. If a partial outcome (values for issues 0..k) is dominated by another partial
//! outcome, every completion of it is dominated by the same completion of the other, so only
//! the frontier of each prefix needs to be kept: F_k = Pareto(F_{k-1} ⊕ C_k). Sums are formed
//! in issue order, exactly as enumeration forms them, so both methods give bit-identical
//! utilities. Among outcomes with equal utility vectors the lexicographically smallest
//! (by value index, first issue most significant) is kept, again as enumeration does.
//!
//! Restrictions (`restrict.rs`): levels a single-issue restriction rules out are never
//! options; prefixes are compared only with prefixes that armed the same joint exclusions
//! (the same branch), since only those have the same admissible completions, and an option
//! that completes an armed exclusion is dropped. The dominance argument above then holds
//! within each branch, so the result is the exact frontier of the admissible outcomes. The
//! last issue finishes every exclusion, so the final layer is one branch.

use std::collections::HashMap;

use super::pareto::{pareto_indices, Utility};
use super::restrict::{Armed, Plan};

/// Why the merge stopped: too many candidate prefixes, or too many branches, at `issue`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TooLarge {
    Candidates { issue: usize, candidates: usize },
    Branches { issue: usize, branches: usize },
}

/// One kept prefix: its parent in the previous layer and its value at this issue.
#[derive(Clone, Copy)]
struct Link {
    parent: u32,
    level: u32,
}

/// Frontier points as `(levels, utilities)`.
pub(crate) type Points<T = f64> = Vec<(Vec<u32>, Vec<T>)>;

/// What the merge may build in one step.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Limits {
    pub candidates: usize,
    pub branches: usize,
}

/// `contributions[i]` holds, for every level of issue `i`, the `n` parties' weighted
/// evaluations (flat, `n` per level). Only outcomes `plan` admits take part.
pub(crate) fn frontier<T: Utility>(
    contributions: &[Vec<T>],
    n: usize,
    limits: Limits,
    plan: &Plan,
) -> Result<Points<T>, TooLarge> {
    let width = n.max(1);
    let mut layers: Vec<Vec<Link>> = Vec::with_capacity(contributions.len());
    // The current layer, in lexicographic order of the prefixes (so a prefix's position is
    // its rank): utilities (`n` each) and branch (index into `branches`).
    let mut utils: Vec<T> = vec![T::ZERO; n];
    let mut branch_of: Vec<u32> = vec![0];
    let mut branches: Vec<Armed> = vec![Vec::new()];
    for (issue, c) in contributions.iter().enumerate() {
        let levels = c.len() / width;
        // Options dominated within their group can never complete a frontier outcome: a
        // group's options move a prefix to the same branch.
        let groups: Vec<(Vec<bool>, Vec<u32>)> = plan
            .groups(issue, levels)
            .into_iter()
            .map(|g| {
                let flat: Vec<T> = g
                    .levels
                    .iter()
                    .flat_map(|&l| c[l as usize * n..(l as usize + 1) * n].iter().copied())
                    .collect();
                let mut kept: Vec<u32> = pareto_indices(&flat, n, |o| g.levels[o])
                    .into_iter()
                    .map(|o| g.levels[o])
                    .collect();
                kept.sort_unstable();
                (g.signature, kept)
            })
            .filter(|(_, kept)| !kept.is_empty())
            .collect();
        let mut members: Vec<Vec<u32>> = vec![Vec::new(); branches.len()];
        for (p, &b) in branch_of.iter().enumerate() {
            members[b as usize].push(p as u32);
        }
        // Each next branch, fed by (branch, group) pairs.
        let mut next: Vec<Armed> = Vec::new();
        let mut index: HashMap<Armed, usize> = HashMap::new();
        let mut feeds: Vec<Vec<(usize, usize)>> = Vec::new();
        let mut candidates = 0usize;
        for (b, armed) in branches.iter().enumerate() {
            if members[b].is_empty() {
                continue;
            }
            for (g, (signature, options)) in groups.iter().enumerate() {
                let Some(after) = plan.step(issue, armed, signature) else {
                    continue;
                };
                let k = *index.entry(after.clone()).or_insert_with(|| {
                    next.push(after);
                    feeds.push(Vec::new());
                    next.len() - 1
                });
                feeds[k].push((b, g));
                candidates = candidates.saturating_add(members[b].len() * options.len());
            }
        }
        if next.len() > limits.branches {
            return Err(TooLarge::Branches {
                issue,
                branches: next.len(),
            });
        }
        if candidates > limits.candidates {
            return Err(TooLarge::Candidates { issue, candidates });
        }
        // Each branch's candidates, Pareto-filtered within the branch.
        let mut kept: Vec<(Link, u32, usize)> = Vec::new();
        let mut kept_utils: Vec<T> = Vec::new();
        for (k, feed) in feeds.iter().enumerate() {
            let size: usize = feed
                .iter()
                .map(|&(b, g)| members[b].len() * groups[g].1.len())
                .sum();
            let mut cand_utils = Vec::with_capacity(size * n);
            let mut cand_links = Vec::with_capacity(size);
            for &(b, g) in feed {
                for &p in &members[b] {
                    let prefix = &utils[p as usize * n..(p as usize + 1) * n];
                    for &o in &groups[g].1 {
                        let add = &c[o as usize * n..(o as usize + 1) * n];
                        cand_utils.extend(prefix.iter().zip(add).map(|(&a, &b)| a + b));
                        cand_links.push(Link {
                            parent: p,
                            level: o,
                        });
                    }
                }
            }
            let key = |i: usize| (cand_links[i].parent, cand_links[i].level);
            for i in pareto_indices(&cand_utils, n, key) {
                kept.push((cand_links[i], k as u32, kept_utils.len()));
                kept_utils.extend_from_slice(&cand_utils[i * n..(i + 1) * n]);
            }
        }
        // Order the kept prefixes lexicographically so their position is their rank.
        kept.sort_unstable_by_key(|(l, _, _)| (l.parent, l.level));
        utils = kept
            .iter()
            .flat_map(|&(_, _, at)| kept_utils[at..at + n].iter().copied())
            .collect();
        branch_of = kept.iter().map(|&(_, b, _)| b).collect();
        branches = next;
        layers.push(kept.iter().map(|&(l, _, _)| l).collect());
    }
    let Some(last) = layers.last() else {
        return Ok(Vec::new());
    };
    let mut points = Vec::with_capacity(last.len());
    for (j, u) in utils.chunks_exact(width).enumerate().take(last.len()) {
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

/// Each party's lowest utility over the outcomes `plan` admits (uncapped), by the same merge
/// on negated contributions, one party at a time; `None` when no outcome is admissible.
pub(crate) fn minimum<T: Utility>(
    contributions: &[Vec<T>],
    n: usize,
    limits: Limits,
    plan: &Plan,
) -> Result<Option<Vec<T>>, TooLarge> {
    let mut lowest = Vec::with_capacity(n);
    for p in 0..n {
        let negated: Vec<Vec<T>> = contributions
            .iter()
            .map(|c| c.chunks_exact(n).map(|r| r[p].neg()).collect())
            .collect();
        match frontier(&negated, 1, limits, plan)?.first() {
            Some((_, u)) => lowest.push(u[0].neg()),
            None => return Ok(None),
        }
    }
    Ok(Some(lowest))
}
