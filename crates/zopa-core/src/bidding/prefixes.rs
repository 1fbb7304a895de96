//! Searches through the listed prefixes: every complete prefix (the issues before the block)
//! with its sum, sorted, walked in the order of the sums by the searches cut at utilities (see
//! the parent module's docs).

use super::{AdditiveBids, Bid, Span, SORTED_PREFIXES};

impl AdditiveBids {
    /// Every complete prefix of `contributions` (the prefix issues' tables) with its sum, in
    /// issue order as `eval` adds, highest first (ties: lowest code); empty when there are
    /// none or more than [`SORTED_PREFIXES`].
    pub(super) fn sorted_prefixes(contributions: &[Vec<f64>]) -> Vec<(f64, u32)> {
        let count = contributions
            .iter()
            .fold(1u128, |n, c| n.saturating_mul(c.len() as u128));
        if contributions.is_empty() || count > SORTED_PREFIXES {
            return Vec::new();
        }
        let mut levels = vec![0usize; contributions.len()];
        let mut prefixes = Vec::with_capacity(count as usize);
        for code in 0..count as u32 {
            let mut sum = 0.0;
            for (c, &l) in contributions.iter().zip(&levels) {
                sum += c[l];
            }
            prefixes.push((sum, code));
            // The next code's levels: the last issue counts fastest.
            for i in (0..levels.len()).rev() {
                levels[i] += 1;
                if levels[i] < contributions[i].len() {
                    break;
                }
                levels[i] = 0;
            }
        }
        prefixes.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        prefixes
    }

    /// Decodes prefix code `code` (see [`AdditiveBids::prefixes`]) into `partial`.
    fn decode_prefix(&self, code: u32, partial: &mut [u32]) {
        let split = self.block.issues.first().copied().unwrap_or(partial.len());
        let mut rest = code;
        for i in (0..split).rev() {
            let size = self.contributions[i].len() as u32;
            partial[i] = rest % size;
            rest /= size;
        }
    }

    /// The first (`!last`) or last outcome of `span`, cut at utilities only, by the listed
    /// prefixes: those whose completions can reach the span and beat the best found, in the
    /// order of their sums, each meeting the block; prefixes of equal sums share its answer.
    pub(super) fn extreme_sorted(&self, span: &Span, last: bool) -> Option<Bid> {
        let (prefixes, entries) = (&self.prefixes, &self.block.entries);
        let (top, bottom) = (entries[0].0, entries[entries.len() - 1].0);
        let (low, high) = span.utilities();
        let slack = self.slack;
        // The utilities of a prefix's completions lie within these.
        let reach_hi = |p: f64| self.capped(p + top) + slack;
        let reach_lo = |p: f64| self.capped(p + bottom) - slack;
        let mut best: Option<(f64, u32, u32)> = None;
        let mut memo: Option<(u64, Option<(f64, u32)>)> = None;
        // Prefixes come in the order of their sums, so each one's boundary in the block is
        // near the previous one's.
        let mut near = None;
        let mut meet = |p: f64, code: u32, best: &mut Option<(f64, u32, u32)>| {
            let found = match memo {
                Some((bits, found)) if bits == p.to_bits() => found,
                _ => {
                    let bound = best.map(|b| b.0);
                    let found = self.extreme_in_block_near(p, None, span, last, bound, &mut near);
                    memo = Some((p.to_bits(), found));
                    found
                }
            };
            if let Some((u, block)) = found {
                let better = match *best {
                    None => true,
                    Some((k, kp, kb)) if last => u < k || (u == k && (code, block) > (kp, kb)),
                    Some((k, kp, kb)) => u > k || (u == k && (code, block) < (kp, kb)),
                };
                if better {
                    *best = Some((u, code, block));
                }
            }
        };
        if last {
            // From the lowest prefix that reaches `low` upwards, while one can still be lower.
            let end = prefixes.partition_point(|&(p, _)| reach_hi(p) >= low);
            for &(p, code) in prefixes[..end].iter().rev() {
                if reach_lo(p) > best.map_or(high, |b| b.0.min(high)) {
                    break;
                }
                meet(p, code, &mut best);
            }
        } else {
            let start = prefixes.partition_point(|&(p, _)| reach_lo(p) > high);
            for &(p, code) in &prefixes[start..] {
                if reach_hi(p) < best.map_or(low, |b| b.0.max(low)) {
                    break;
                }
                meet(p, code, &mut best);
            }
        }
        best.map(|(utility, code, block)| {
            let mut levels = vec![0; self.contributions.len()];
            self.decode_prefix(code, &mut levels);
            self.decode(block, &mut levels);
            Bid { levels, utility }
        })
    }

    /// The same order, searched without the listed prefixes (tests of the prefix search).
    #[cfg(test)]
    pub(crate) fn without_sorted_prefixes(mut self) -> Self {
        self.prefixes.clear();
        self
    }

    /// Can spans cut at utilities be searched through the listed prefixes?
    pub(super) fn sorted(&self, span: &Span) -> bool {
        !self.prefixes.is_empty() && span.by_utility()
    }
}

/// `slice.partition_point(pred)`, searched from `near` outwards by doubling steps (then by
/// halving), and left in `near`: O(log distance) when the answer is close to the last one.
pub(super) fn partition_near<T>(
    slice: &[T],
    pred: impl Fn(&T) -> bool,
    near: &mut Option<usize>,
) -> usize {
    let n = slice.len();
    let found = match *near {
        None => slice.partition_point(&pred),
        Some(at) => {
            let at = at.min(n);
            // The answer is in lo..=hi: every index below lo holds, none from hi on.
            let (mut lo, mut hi);
            if at < n && pred(&slice[at]) {
                (lo, hi) = (at + 1, at + 1);
                let mut step = 1;
                while hi < n && pred(&slice[hi]) {
                    lo = hi + 1;
                    hi = (hi + step).min(n);
                    step *= 2;
                }
            } else {
                (lo, hi) = (at, at);
                let mut step = 1;
                while lo > 0 && !pred(&slice[lo - 1]) {
                    hi = lo - 1;
                    lo = lo.saturating_sub(step);
                    step *= 2;
                }
            }
            lo + slice[lo..hi].partition_point(&pred)
        }
    };
    *near = Some(found);
    found
}
