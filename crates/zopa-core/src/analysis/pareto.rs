//! Pareto filtering of utility vectors (maximisation in every coordinate).
//!
//! Candidates are given as a flat slice of utilities (`n` per candidate) and a tie key. Among
//! candidates with identical utility vectors the one with the smallest key is kept; every kept
//! candidate is dominated by no other candidate. Two parties use an O(N log N) sweep, three a
//! sweep over a 2-D staircase, more a sorted filter against the kept set.

use std::cmp::Ordering;
use std::collections::BTreeMap;

/// A utility as the frontier machinery sees it: `f64`, or exact fixed-point units (`i128`,
/// see `exact.rs`).
pub(crate) trait Utility: Copy + PartialOrd + std::ops::Add<Output = Self> {
    const ZERO: Self;
    fn total_cmp(&self, other: &Self) -> Ordering;
    /// −self, exactly (for minima as maxima of negated sums: rounding to nearest is
    /// symmetric, so (−a) + (−b) is −(a + b) bit for bit).
    fn neg(self) -> Self;
}

impl Utility for f64 {
    const ZERO: f64 = 0.0;
    fn total_cmp(&self, other: &Self) -> Ordering {
        f64::total_cmp(self, other)
    }
    fn neg(self) -> f64 {
        -self
    }
}

impl Utility for i128 {
    const ZERO: i128 = 0;
    fn total_cmp(&self, other: &Self) -> Ordering {
        self.cmp(other)
    }
    fn neg(self) -> i128 {
        -self
    }
}

/// Indices of the non-dominated candidates, deduplicated by utility vector, in descending
/// lexicographic order of their utility vectors.
pub(crate) fn pareto_indices<T: Utility, K: Ord>(
    utils: &[T],
    n: usize,
    key: impl Fn(usize) -> K,
) -> Vec<usize> {
    let count = utils.len().checked_div(n).unwrap_or(0);
    let row = |i: usize| &utils[i * n..(i + 1) * n];
    let mut order: Vec<usize> = (0..count).collect();
    order.sort_unstable_by(|&a, &b| lex_desc(row(a), row(b)).then_with(|| key(a).cmp(&key(b))));
    order.dedup_by(|b, a| lex_desc(row(*a), row(*b)) == Ordering::Equal);
    match n {
        0 => Vec::new(),
        1 => order.into_iter().take(1).collect(),
        2 => sweep2(&order, |i| row(i)[1]),
        3 => sweep3(&order, |i| (row(i)[1], row(i)[2])),
        _ => filter_sorted(&order, row),
    }
}

/// Descending lexicographic order by `total_cmp`.
pub(crate) fn lex_desc<T: Utility>(a: &[T], b: &[T]) -> Ordering {
    for (x, y) in a.iter().zip(b) {
        match y.total_cmp(x) {
            Ordering::Equal => {}
            o => return o,
        }
    }
    Ordering::Equal
}

fn sweep2<T: Utility>(order: &[usize], second: impl Fn(usize) -> T) -> Vec<usize> {
    let mut kept = Vec::new();
    let mut best = T::ZERO;
    for &i in order {
        let u2 = second(i);
        if kept.is_empty() || u2.total_cmp(&best).is_gt() {
            best = u2;
            kept.push(i);
        }
    }
    kept
}

#[derive(Clone, Copy)]
struct Key<T>(T);
impl<T: Utility> PartialEq for Key<T> {
    fn eq(&self, other: &Self) -> bool {
        self.0.total_cmp(&other.0).is_eq()
    }
}
impl<T: Utility> Eq for Key<T> {}
impl<T: Utility> PartialOrd for Key<T> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<T: Utility> Ord for Key<T> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.total_cmp(&other.0)
    }
}

fn sweep3<T: Utility>(order: &[usize], rest: impl Fn(usize) -> (T, T)) -> Vec<usize> {
    // Staircase of (u2 → u3) over the points seen so far, u3 strictly decreasing in u2.
    let mut stairs: BTreeMap<Key<T>, T> = BTreeMap::new();
    let mut kept = Vec::new();
    for &i in order {
        let (u2, u3) = rest(i);
        if let Some((_, &z)) = stairs.range(Key(u2)..).next() {
            if z.total_cmp(&u3).is_ge() {
                continue; // an earlier point (u1' ≥ u1) has u2' ≥ u2 and u3' ≥ u3
            }
        }
        kept.push(i);
        let covered = stairs
            .range(..=Key(u2))
            .rev()
            .take_while(|(_, &z)| z.total_cmp(&u3).is_le())
            .map(|(k, _)| *k)
            .collect::<Vec<Key<T>>>();
        for k in covered {
            stairs.remove(&k);
        }
        stairs.insert(Key(u2), u3);
    }
    kept
}

fn filter_sorted<'a, T: Utility + 'a>(
    order: &[usize],
    row: impl Fn(usize) -> &'a [T],
) -> Vec<usize> {
    let mut kept: Vec<usize> = Vec::new();
    for &i in order {
        let u = row(i);
        let dominated = kept
            .iter()
            .any(|&j| row(j).iter().zip(u).all(|(a, b)| a.total_cmp(b).is_ge()));
        if !dominated {
            kept.push(i);
        }
    }
    kept
}

#[cfg(test)]
/// `a` weakly dominates `b` and differs from it.
pub(crate) fn dominates(a: &[f64], b: &[f64]) -> bool {
    a.iter().zip(b).all(|(x, y)| x >= y) && a.iter().zip(b).any(|(x, y)| x > y)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn brute(utils: &[f64], n: usize) -> Vec<Vec<f64>> {
        let rows: Vec<&[f64]> = utils.chunks(n).collect();
        let mut out: Vec<Vec<f64>> = rows
            .iter()
            .filter(|r| !rows.iter().any(|q| dominates(q, r)))
            .map(|r| r.to_vec())
            .collect();
        out.sort_by(|a, b| lex_desc(a, b));
        out.dedup();
        out
    }

    fn fast(utils: &[f64], n: usize) -> Vec<Vec<f64>> {
        pareto_indices(utils, n, |i| i)
            .into_iter()
            .map(|i| utils[i * n..(i + 1) * n].to_vec())
            .collect()
    }

    proptest! {
        #[test]
        fn equals_brute_force(n in 1usize..6, raw in prop::collection::vec(0u8..6, 0..240)) {
            // Small integer grid: many ties and duplicates, the hard cases.
            let len = raw.len() / n * n;
            let utils: Vec<f64> = raw[..len].iter().map(|&x| f64::from(x) / 5.0).collect();
            prop_assert_eq!(fast(&utils, n), brute(&utils, n));
        }
    }

    #[test]
    fn keeps_smallest_key_among_duplicates() {
        let utils = [1.0, 0.0, 0.5, 0.5, 0.5, 0.5, 0.0, 1.0];
        assert_eq!(pareto_indices(&utils, 2, |i| i), vec![0, 1, 3]);
        assert_eq!(pareto_indices(&utils, 2, std::cmp::Reverse), vec![0, 2, 3]);
    }
}
