//! Exact bidding on additive utilities without listing the outcome space.
//!
//! A negotiator bids from its *bidding order*: every outcome, best first by its own utility,
//! ties broken by value indices (the lexicographically smallest level vector first, the first
//! issue most significant). The utility is the one the negotiator scores offers with,
//! [`AdditiveUtility::eval`]: per-issue contributions `wᵢ·eᵢ(vᵢ)` added in issue order in `f64`
//! (capped at 1 when GENIUS caps), so a bid's utility is bit for bit the utility the negotiator
//! accepts with, and the order is exactly the one a stable sort of the listed space gives.
//!
//! [`AdditiveBids`] answers questions about that order from the issue structure alone:
//! the first and last outcome of a [`Span`] (a stretch of the order between two [`Cut`]s: "the
//! outcomes with utility ≥ x", "after this bid"), which gives the best and worst outcome, the
//! worst outcome at or above a target, the best one below it and so the nearest to it; the
//! number of outcomes in a span, counted exactly; the outcome at a rank and so a uniformly
//! random outcome of a span; the outcome of a span an additive estimate of another party's
//! utility rates best ([`AdditiveBids::best_for`]); and lazy listing in the bidding order
//! ([`AdditiveBids::iter`]).
//!
//! # How
//!
//! Per issue the contributions are tabulated and sorted. `f64` addition rounds monotonically,
//! so the highest utility any completion of a partial outcome reaches is the utility of the
//! completion with each open issue at its highest contribution: bounds on a subtree are exact,
//! computed in O(issues). The last issues, as many as have at most [`BLOCK_LIMIT`] joint values,
//! form a *block*: their sums listed once and sorted. The other issues (the prefix) are searched
//! depth first, widest range of contributions first, in sorted order, pruning subtrees whose
//! bounds miss the span or cannot beat the best outcome found; each complete prefix meets the
//! block in the middle by binary search. An outcome's utility is its prefix's sum continued
//! through the block, so prefixes with equal sums share the block's answer (kept per search).
//! Where there are at most [`SORTED_PREFIXES`] complete prefixes (a space of up to about 8·10^9
//! outcomes), they are listed once with their sums and sorted too, and a search cut at
//! utilities (the nearest outcome, the worst at or above a target, the best below it) walks
//! only the stretch of that list whose completions can reach the span, from the side nearest
//! the target, stopping where no prefix left can beat the best found: no partial outcomes, no
//! bounds recomputed (ANAC-sized and the flagship's 2·10^8 outcomes: 14,400 prefixes).
//! Block sums are added in another order than `eval` adds them, so they are compared with a proven
//! slack (4·(n + 2)·ε·Σ max |contribution|) and an outcome within the slack of a boundary is always
//! evaluated exactly before it is kept; a space that fits in the block is its own sorted listing
//! (no slack). The rank of an outcome is found by bisecting on the utility (≤ 64 counts) and, in
//! the class of that utility, fixing levels issue by issue by counting. [`AdditiveBids::best_for`]
//! searches on two utilities: the estimate's exact bound, and Lagrangian bounds
//! `estimate + λ·(own − low)` for a few λ, the least of which caps what a subtree can give.
//!
//! # Cost
//!
//! Memory: the tables, O(issues × values), plus the block (≤ [`BLOCK_LIMIT`] entries of 16
//! bytes and their levels), plus the listed prefixes (≤ [`SORTED_PREFIXES`] of 16 bytes; about
//! √space where the block is full), plus what is returned. Time: finding or counting the outcomes of a span is
//! subset-sum-like — NP-hard in the worst case. A search visits each prefix whose range of
//! reachable utilities straddles a boundary of the span, in the worst case every one:
//! O(space / block · (issues + log block)). Ties cost too: utilities equal in exact decimals
//! are often unequal in `f64` (0.1 + 0.2 ≠ 0.3), and since the order follows the `f64` scores the
//! negotiator accepts with, every member of such a class near a boundary is evaluated. Measured
//! (`benches/bidding.rs`, release, medians over targets at 0.3, 0.5 and 0.8 of the range, two-decimal
//! tables of 10 values per issue; 2026-11-30): the nearest outcome 160 ns, 11.4 µs and 1.05 ms at
//! 10^3, 10^6 and 10^9 outcomes (the listed prefixes; 175 ns, 39 µs and 7.8 ms by the prefix
//! search), the worst at or above a target 95 ns, 5.7 µs and 0.50 ms, a count 118 ns, 17.8 µs and
//! 3.6 ms; at 10^15 (10^11 prefixes, too many to list) a search inside the range does not finish
//! in 40 s; the best and the k best outcomes take microseconds at any size.
//! An estimate exactly opposed to the own utility is the hardest case of `best_for` (its
//! Lagrangian bounds are flat): seconds at 10^9.

mod prefixes;

use std::collections::HashMap;

use crate::issue::{Issue, Value};
use crate::utility::AdditiveUtility;
use prefixes::partition_near;

/// Most values of one issue the tables hold.
pub const MAX_LEVELS: u128 = 1 << 20;

/// Most joint contributions listed in the block.
pub const BLOCK_LIMIT: u128 = 1 << 16;

/// Most complete prefixes listed and sorted (16 bytes each) for searches cut at utilities.
pub const SORTED_PREFIXES: u128 = 1 << 17;

/// A level not yet fixed in a partial outcome.
const OPEN: u32 = u32::MAX;

/// Why the tables cannot be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BiddingError {
    #[error("issue `{issue}` has {levels} values; exact bidding tabulates at most {MAX_LEVELS}")]
    TooManyValues { issue: String, levels: u128 },
    #[error("the utility function scores {got} issues, the scenario has {want}")]
    Shape { got: usize, want: usize },
}

/// An outcome with its place in the bidding order: its value levels and its utility.
#[derive(Debug, Clone, PartialEq)]
pub struct Bid {
    /// One level per issue (the index of the value; see [`AdditiveBids::values`]).
    pub levels: Vec<u32>,
    /// The negotiator's own utility, as [`AdditiveUtility::eval`] computes it.
    pub utility: f64,
}

/// A point of the bidding order, between two neighbouring outcomes.
#[derive(Debug, Clone, PartialEq)]
pub enum Cut {
    /// After every outcome of utility ≥ x, before every outcome below it.
    Utility(f64),
    /// Just before this bid.
    Before(Bid),
    /// Just after this bid.
    After(Bid),
}

/// Does the outcome (`utility`, `levels`) come before `(k, l)` in the bidding order?
fn precedes(utility: f64, levels: &[u32], k: f64, l: &[u32]) -> bool {
    utility > k || (utility == k && levels < l)
}

impl Cut {
    /// Does the cut come after this outcome (does the outcome precede it)?
    pub fn comes_after(&self, utility: f64, levels: &[u32]) -> bool {
        match self {
            Cut::Utility(x) => utility >= *x,
            Cut::Before(b) => precedes(utility, levels, b.utility, &b.levels),
            Cut::After(b) => precedes(utility, levels, b.utility, &b.levels) || levels == b.levels,
        }
    }

    fn utility(&self) -> f64 {
        match self {
            Cut::Utility(x) => *x,
            Cut::Before(b) | Cut::After(b) => b.utility,
        }
    }
}

/// A stretch of the bidding order: the outcomes after `from` (from the start when `None`) and
/// before `to` (to the end when `None`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Span {
    pub from: Option<Cut>,
    pub to: Option<Cut>,
}

impl Span {
    /// Every outcome.
    pub fn all() -> Span {
        Span::default()
    }

    /// The outcomes of utility ≥ `u`.
    pub fn at_least(u: f64) -> Span {
        Span {
            from: None,
            to: Some(Cut::Utility(u)),
        }
    }

    /// The outcomes of utility < `u`.
    pub fn below(u: f64) -> Span {
        Span {
            from: Some(Cut::Utility(u)),
            to: None,
        }
    }

    /// The outcomes of utility in `[low, high]`.
    pub fn between(low: f64, high: f64) -> Span {
        Span {
            from: Some(Cut::Utility(next_up(high))),
            to: Some(Cut::Utility(low)),
        }
    }

    /// The outcomes after `bid`, up to where this span ends.
    pub fn after(&self, bid: &Bid) -> Span {
        Span {
            from: Some(Cut::After(bid.clone())),
            to: self.to.clone(),
        }
    }

    /// Is the outcome in the span?
    pub fn contains(&self, utility: f64, levels: &[u32]) -> bool {
        self.from
            .as_ref()
            .is_none_or(|c| !c.comes_after(utility, levels))
            && self
                .to
                .as_ref()
                .is_none_or(|c| c.comes_after(utility, levels))
    }

    /// Is the span cut at utilities only (so that an outcome is in it by its utility alone)?
    fn by_utility(&self) -> bool {
        [&self.from, &self.to]
            .iter()
            .all(|c| matches!(c, None | Some(Cut::Utility(_))))
    }

    /// Utilities outside `[low, high]` are outside the span.
    fn utilities(&self) -> (f64, f64) {
        (
            self.to.as_ref().map_or(f64::NEG_INFINITY, Cut::utility),
            self.from.as_ref().map_or(f64::INFINITY, Cut::utility),
        )
    }

    /// Is every outcome with a utility in `[min, max]` in the span?
    fn holds(&self, min: f64, max: f64) -> bool {
        let from = self.from.as_ref().is_none_or(|c| max < c.utility());
        let to = self.to.as_ref().is_none_or(|c| match c {
            Cut::Utility(x) => min >= *x,
            Cut::Before(b) | Cut::After(b) => min > b.utility,
        });
        from && to
    }
}

/// The smallest `f64` above `x` (`f64::next_up`, stable only from Rust 1.86).
pub fn next_up(x: f64) -> f64 {
    if x.is_nan() || x == f64::INFINITY {
        return x;
    }
    if x == 0.0 {
        return f64::from_bits(1);
    }
    let bits = x.to_bits();
    f64::from_bits(if x > 0.0 { bits + 1 } else { bits - 1 })
}

/// `f64`s as integers in their order (finite numbers only).
fn ordered(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | 1 << 63
    }
}

fn unordered(o: u64) -> f64 {
    f64::from_bits(if o >> 63 == 1 { o & !(1 << 63) } else { !o })
}

/// The listed block: joint contributions of the narrowest issues.
#[derive(Debug, Clone)]
struct Block {
    issues: Vec<usize>,
    /// (approximate sum of contributions, code), highest sum first, then lowest code.
    entries: Vec<(f64, u32)>,
    /// The levels of each code, `issues.len()` a code (a block issue has at most
    /// [`BLOCK_LIMIT`] values, so a level fits in 16 bits): read instead of dividing.
    levels: Vec<u16>,
}

/// The bidding order of one additive utility function over a grid of values.
#[derive(Debug, Clone)]
pub struct AdditiveBids {
    values: Vec<Vec<Value>>,
    /// Per issue, per level: `wᵢ · eᵢ(value)`, the product `eval` adds.
    contributions: Vec<Vec<f64>>,
    cap: bool,
    best_level: Vec<u32>,
    worst_level: Vec<u32>,
    /// Issues searched level by level, widest range of contributions first.
    prefix: Vec<usize>,
    /// Per issue, its levels by contribution, highest first (ties: lower level first).
    sorted: Vec<Vec<u32>>,
    block: Block,
    /// Every complete prefix — (sum of its contributions in issue order, code: its levels
    /// read as one number, issue 0 most significant) — highest sum first, then lowest code;
    /// listed when there are at most [`SORTED_PREFIXES`] (else empty: prefixes are searched).
    prefixes: Vec<(f64, u32)>,
    slack: f64,
    size: u128,
}

impl AdditiveBids {
    /// The bidding order of `utility` over `issues`, each issue's values at levels
    /// `0..cardinality` ([`Issue::value_at`] with `real_levels` grid points on a real issue).
    pub fn new(
        issues: &[Issue],
        utility: &AdditiveUtility,
        real_levels: u32,
    ) -> Result<AdditiveBids, BiddingError> {
        AdditiveBids::with_block_limit(issues, utility, real_levels, BLOCK_LIMIT)
    }

    /// [`AdditiveBids::new`] with a block of at most `limit` joint contributions (tests use
    /// small blocks to exercise the search).
    pub(crate) fn with_block_limit(
        issues: &[Issue],
        utility: &AdditiveUtility,
        real_levels: u32,
        limit: u128,
    ) -> Result<AdditiveBids, BiddingError> {
        let n = issues.len();
        if utility.weights.len() != n || utility.evaluators.len() != n {
            return Err(BiddingError::Shape {
                got: utility.weights.len().min(utility.evaluators.len()),
                want: n,
            });
        }
        let mut values = Vec::with_capacity(n);
        let mut contributions = Vec::with_capacity(n);
        for (i, issue) in issues.iter().enumerate() {
            let levels = issue
                .exact_cardinality()
                .unwrap_or(u128::from(real_levels.max(1)));
            if levels > MAX_LEVELS || levels == 0 {
                return Err(BiddingError::TooManyValues {
                    issue: issue.name.clone(),
                    levels,
                });
            }
            let vs: Vec<Value> = (0..levels as u32)
                .map(|l| issue.value_at(l, real_levels))
                .collect();
            let (w, e) = (utility.weights[i], &utility.evaluators[i]);
            contributions.push(vs.iter().map(|&v| w * e.eval(v)).collect::<Vec<f64>>());
            values.push(vs);
        }
        Ok(AdditiveBids::from_tables(
            values,
            contributions,
            utility.cap_at_one,
            limit,
        ))
    }

    fn from_tables(
        values: Vec<Vec<Value>>,
        contributions: Vec<Vec<f64>>,
        cap: bool,
        limit: u128,
    ) -> Self {
        let n = contributions.len();
        let mut sorted = Vec::with_capacity(n);
        let (mut best_level, mut worst_level) = (Vec::new(), Vec::new());
        let mut spread = Vec::with_capacity(n);
        let mut widest = 0.0f64;
        for c in &contributions {
            let mut order: Vec<u32> = (0..c.len() as u32).collect();
            order.sort_by(|&a, &b| c[b as usize].total_cmp(&c[a as usize]).then(a.cmp(&b)));
            let (hi, lo) = (order[0], order[order.len() - 1]);
            best_level.push(hi);
            worst_level.push(lo);
            spread.push(c[hi as usize] - c[lo as usize]);
            widest += c[hi as usize].abs().max(c[lo as usize].abs());
            sorted.push(order);
        }
        // The block: the longest run of last issues with at most `limit` joint values (so an
        // outcome's utility is the prefix's sum continued through the block, and prefixes of
        // equal sums share their block's answer). The prefix is searched widest spread first.
        let mut split = n;
        let mut block_size: u128 = 1;
        while split > 0 {
            let s = contributions[split - 1].len() as u128;
            if split < n && block_size * s > limit {
                break;
            }
            block_size *= s;
            split -= 1;
        }
        let mut prefix: Vec<usize> = (0..split).collect();
        prefix.sort_by(|&a, &b| spread[b].total_cmp(&spread[a]).then(a.cmp(&b)));
        let block_issues: Vec<usize> = (split..n).collect();
        let sizes: Vec<u32> = block_issues
            .iter()
            .map(|&i| contributions[i].len() as u32)
            .collect();
        let mut entries: Vec<(f64, u32)> = (0..block_size as u32)
            .map(|code| {
                let mut levels = vec![0; block_issues.len()];
                let mut rest = code;
                for k in (0..block_issues.len()).rev() {
                    levels[k] = rest % sizes[k];
                    rest /= sizes[k];
                }
                let mut sum = 0.0;
                for (k, &i) in block_issues.iter().enumerate() {
                    sum += contributions[i][levels[k] as usize];
                }
                (sum, code)
            })
            .collect();
        entries.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        let k = block_issues.len();
        let mut block_levels = vec![0u16; block_size as usize * k];
        for (code, levels) in block_levels.chunks_exact_mut(k.max(1)).enumerate() {
            let mut rest = code as u32;
            for j in (0..k).rev() {
                levels[j] = (rest % sizes[j]) as u16;
                rest /= sizes[j];
            }
        }
        let prefixes = Self::sorted_prefixes(&contributions[..split]);
        let mut below = vec![block_size; prefix.len() + 1];
        for d in (0..prefix.len()).rev() {
            below[d] = below[d + 1].saturating_mul(contributions[prefix[d]].len() as u128);
        }
        AdditiveBids {
            values,
            // No slack when the block is every issue: its sums are the utilities.
            slack: if split == 0 {
                0.0
            } else {
                4.0 * (n as f64 + 2.0) * f64::EPSILON * (widest + 1.0)
            },
            size: below[0],
            contributions,
            cap,
            best_level,
            worst_level,
            prefix,
            sorted,
            block: Block {
                issues: block_issues,
                entries,
                levels: block_levels,
            },
            prefixes,
        }
    }

    /// How many outcomes there are (saturating at `u128::MAX`).
    pub fn len(&self) -> u128 {
        self.size
    }

    /// Never: a space has at least one outcome.
    pub fn is_empty(&self) -> bool {
        self.size == 0
    }

    /// The values of each issue, by level.
    pub fn values(&self) -> &[Vec<Value>] {
        &self.values
    }

    /// The outcome of `levels`.
    pub fn outcome(&self, levels: &[u32]) -> Vec<Value> {
        levels
            .iter()
            .zip(&self.values)
            .map(|(&l, vs)| vs[l as usize])
            .collect()
    }

    /// The utility of `levels`, bit for bit [`AdditiveUtility::eval`] of its outcome.
    pub fn utility(&self, levels: &[u32]) -> f64 {
        let mut u = 0.0;
        for (c, &l) in self.contributions.iter().zip(levels) {
            u += c[l as usize];
        }
        self.capped(u)
    }

    fn capped(&self, u: f64) -> f64 {
        if self.cap {
            u.min(1.0)
        } else {
            u
        }
    }

    fn bid(&self, levels: Vec<u32>) -> Bid {
        Bid {
            utility: self.utility(&levels),
            levels,
        }
    }

    /// The lowest and highest utility of the completions of `partial` (exact: `f64` addition
    /// rounds monotonically).
    fn range(&self, partial: &[u32]) -> (f64, f64) {
        let (mut lo, mut hi) = (0.0, 0.0);
        for (i, (c, &l)) in self.contributions.iter().zip(partial).enumerate() {
            if l == OPEN {
                lo += c[self.worst_level[i] as usize];
                hi += c[self.best_level[i] as usize];
            } else {
                lo += c[l as usize];
                hi += c[l as usize];
            }
        }
        (self.capped(lo), self.capped(hi))
    }

    /// Decodes block entry `code` into `partial`.
    fn decode(&self, code: u32, partial: &mut [u32]) {
        let k = self.block.issues.len();
        let levels = &self.block.levels[code as usize * k..][..k];
        for (&i, &l) in self.block.issues.iter().zip(levels) {
            partial[i] = u32::from(l);
        }
    }

    /// The utility of block entry `e` after a prefix whose issues add up to `prefix`.
    fn entry_utility(&self, prefix: f64, e: &(f64, u32)) -> f64 {
        if self.prefix.is_empty() {
            // The block is every issue: its sums, added in issue order from 0, are utilities.
            self.capped(e.0)
        } else {
            self.block_utility(prefix, e.1)
        }
    }

    /// The utility of block entry `code` after a prefix whose issues add up to `prefix`.
    fn block_utility(&self, prefix: f64, code: u32) -> f64 {
        let issues = &self.block.issues;
        let k = issues.len();
        let levels = &self.block.levels[code as usize * k..][..k];
        let mut u = prefix;
        for (&i, &l) in issues.iter().zip(levels) {
            u += self.contributions[i][l as usize];
        }
        self.capped(u)
    }

    /// The sum, in issue order, of the prefix issues' contributions (all fixed).
    fn prefix_sum(&self, partial: &[u32]) -> f64 {
        let split = self.block.issues.first().copied().unwrap_or(partial.len());
        let mut u = 0.0;
        for (c, &l) in self.contributions[..split].iter().zip(partial) {
            u += c[l as usize];
        }
        u
    }

    fn open_block(&self, partial: &mut [u32]) {
        for &i in &self.block.issues {
            partial[i] = OPEN;
        }
    }

    /// The best outcome (highest utility; of equals, the lowest levels).
    pub fn best(&self) -> Bid {
        self.first(&Span::all())
            .unwrap_or_else(|| self.bid(self.best_level.clone()))
    }

    /// The worst outcome (lowest utility; of equals, the highest levels).
    pub fn worst(&self) -> Bid {
        self.last(&Span::all())
            .unwrap_or_else(|| self.bid(self.worst_level.clone()))
    }

    /// The first outcome of `span` in the bidding order.
    pub fn first(&self, span: &Span) -> Option<Bid> {
        self.extreme(span, false)
    }

    /// The last outcome of `span` in the bidding order.
    pub fn last(&self, span: &Span) -> Option<Bid> {
        self.extreme(span, true)
    }

    /// The worst outcome of utility ≥ `u`.
    pub fn worst_at_least(&self, u: f64) -> Option<Bid> {
        self.last(&Span::at_least(u))
    }

    /// The worst outcome of utility > `u`.
    pub fn worst_above(&self, u: f64) -> Option<Bid> {
        self.last(&Span::at_least(next_up(u)))
    }

    /// The best outcome of utility < `u`.
    pub fn best_below(&self, u: f64) -> Option<Bid> {
        self.first(&Span::below(u))
    }

    /// The outcome whose utility is nearest to `u` (GENIUS `getBidNearUtility`): of the worst
    /// outcome at or above `u` and the best below it, the nearer; the one above when equally
    /// near.
    pub fn nearest(&self, u: f64) -> Bid {
        match self.neighbours(u) {
            (Some(a), Some(b)) => {
                if (a.utility - u).abs() <= (u - b.utility).abs() {
                    a
                } else {
                    b
                }
            }
            (Some(a), None) => a,
            (None, Some(b)) => b,
            (None, None) => self.best(),
        }
    }

    /// The worst outcome at or above `u` and the best below it, in one search: a prefix is
    /// searched while it can improve either.
    pub fn neighbours(&self, u: f64) -> (Option<Bid>, Option<Bid>) {
        let (above, below) = (Span::at_least(u), Span::below(u));
        if self.sorted(&above) {
            return (
                self.extreme_sorted(&above, true),
                self.extreme_sorted(&below, false),
            );
        }
        let mut searches = [
            Extreme {
                span: &above,
                last: true,
                best: None,
                memo: HashMap::new(),
                by_sum: !self.prefix.is_empty(),
            },
            Extreme {
                span: &below,
                last: false,
                best: None,
                memo: HashMap::new(),
                by_sum: !self.prefix.is_empty(),
            },
        ];
        let mut partial = vec![OPEN; self.contributions.len()];
        self.neighbours_at(0, &mut partial, &mut searches);
        let [a, b] = searches.map(|s| s.best.map(|(utility, levels)| Bid { levels, utility }));
        (a, b)
    }

    /// Can the completions of `partial`, of utilities in `[lo, hi]`, improve `search`?
    fn may_improve(&self, lo: f64, hi: f64, partial: &[u32], search: &Extreme<'_>) -> bool {
        let (low, high) = search.span.utilities();
        if hi < low || lo > high {
            return false;
        }
        match &search.best {
            None => true,
            Some((k, l)) => {
                let (edge, beaten) = if search.last {
                    (lo, lo > *k)
                } else {
                    (hi, hi < *k)
                };
                !(beaten || (edge == *k && !Self::may_pass(partial, l, search.last)))
            }
        }
    }

    fn neighbours_at(&self, depth: usize, partial: &mut Vec<u32>, searches: &mut [Extreme<'_>; 2]) {
        let (lo, hi) = self.range(partial);
        let useful = searches
            .each_ref()
            .map(|s| self.may_improve(lo, hi, partial, s));
        if !useful[0] && !useful[1] {
            return;
        }
        if depth == self.prefix.len() {
            let prefix = self.prefix_sum(partial);
            for (search, _) in searches.iter_mut().zip(useful).filter(|(_, u)| *u) {
                self.meet_block(prefix, partial, search);
            }
            return;
        }
        let i = self.prefix[depth];
        for k in 0..self.sorted[i].len() {
            partial[i] = self.sorted[i][k];
            self.neighbours_at(depth + 1, partial, searches);
        }
        partial[i] = OPEN;
    }

    /// The block's answer for a complete prefix (summing to `prefix`), kept when it improves
    /// the search.
    fn meet_block(&self, prefix: f64, partial: &mut [u32], search: &mut Extreme<'_>) {
        let last = search.last;
        let found = if search.by_sum {
            match search.memo.get(&prefix.to_bits()) {
                Some(found) => *found,
                None => {
                    let found = self.extreme_in_block(prefix, Some(partial), search.span, last);
                    search.memo.insert(prefix.to_bits(), found);
                    found
                }
            }
        } else {
            self.extreme_in_block(prefix, Some(partial), search.span, last)
        };
        if let Some((u, code)) = found {
            self.decode(code, partial);
            if Self::improves(u, partial, &search.best, last) {
                search.best = Some((u, partial.to_vec()));
            }
            self.open_block(partial);
        }
    }

    fn extreme(&self, span: &Span, last: bool) -> Option<Bid> {
        if self.sorted(span) {
            return self.extreme_sorted(span, last);
        }
        let mut partial = vec![OPEN; self.contributions.len()];
        let mut search = Extreme {
            span,
            last,
            best: None,
            memo: HashMap::new(),
            by_sum: span.by_utility() && !self.prefix.is_empty(),
        };
        self.extreme_at(0, &mut partial, &mut search);
        search.best.map(|(utility, levels)| Bid { levels, utility })
    }

    /// Is `(u, levels)` better than `best` for the search (earlier when `!last`)?
    fn improves(u: f64, levels: &[u32], best: &Option<(f64, Vec<u32>)>, last: bool) -> bool {
        match best {
            None => true,
            Some((k, l)) if last => u < *k || (u == *k && levels > l.as_slice()),
            Some((k, l)) => u > *k || (u == *k && levels < l.as_slice()),
        }
    }

    /// Can a completion of `partial` be lexicographically below (`!last`) or above `levels`?
    fn may_pass(partial: &[u32], levels: &[u32], last: bool) -> bool {
        for (&p, &l) in partial.iter().zip(levels) {
            if p == OPEN || p != l {
                return p == OPEN || (p < l) != last;
            }
        }
        false
    }

    fn extreme_at(&self, depth: usize, partial: &mut Vec<u32>, search: &mut Extreme<'_>) {
        let (lo, hi) = self.range(partial);
        if !self.may_improve(lo, hi, partial, search) {
            return;
        }
        let last = search.last;
        if depth == self.prefix.len() {
            let prefix = self.prefix_sum(partial);
            self.meet_block(prefix, partial, search);
            return;
        }
        let i = self.prefix[depth];
        let n = self.sorted[i].len();
        for k in 0..n {
            let l = self.sorted[i][if last { n - 1 - k } else { k }];
            partial[i] = l;
            self.extreme_at(depth + 1, partial, search);
        }
        partial[i] = OPEN;
    }

    /// The first (`!last`) or last outcome of `span` among the completions of `partial` (its
    /// prefix fixed, adding up to `prefix`): the block entry's utility and code.
    fn extreme_in_block(
        &self,
        prefix: f64,
        partial: Option<&mut [u32]>,
        span: &Span,
        last: bool,
    ) -> Option<(f64, u32)> {
        self.extreme_in_block_near(prefix, partial, span, last, None, &mut None)
    }

    /// [`AdditiveBids::extreme_in_block`], its boundary in the block searched from `near`
    /// outwards (where the previous, nearby prefix found its own) and left there; entries
    /// that cannot equal or beat utility `bound` (the best found elsewhere) are not evaluated.
    fn extreme_in_block_near(
        &self,
        prefix: f64,
        mut partial: Option<&mut [u32]>,
        span: &Span,
        last: bool,
        bound: Option<f64>,
        near: &mut Option<usize>,
    ) -> Option<(f64, u32)> {
        let entries = &self.block.entries;
        let total = |e: &(f64, u32)| self.capped(prefix + e.0);
        let (low, high) = span.utilities();
        let slack = self.slack;
        let mut best: Option<(f64, u32)> = None;
        let mut visit = |e: &(f64, u32), best: &mut Option<(f64, u32)>| {
            let u = self.entry_utility(prefix, e);
            let better = match *best {
                None => true,
                Some((k, c)) if last => u < k || (u == k && e.1 > c),
                Some((k, c)) => u > k || (u == k && e.1 < c),
            };
            if better {
                // Without a partial outcome the span is cut at utilities only.
                let inside = match partial.as_deref_mut() {
                    Some(partial) => {
                        self.decode(e.1, partial);
                        span.contains(u, partial)
                    }
                    None => span.contains(u, &[]),
                };
                if inside {
                    *best = Some((u, e.1));
                }
            }
        };
        if last {
            let end = partition_near(entries, |e| total(e) >= low - slack, near);
            let high = bound.map_or(high, |b| b.min(high));
            for e in entries[..end].iter().rev() {
                let ceiling = best.map_or(high, |b| b.0.min(high));
                if total(e) - slack > ceiling {
                    break;
                }
                visit(e, &mut best);
            }
        } else {
            let start = partition_near(entries, |e| total(e) > high + slack, near);
            let low = bound.map_or(low, |b| b.max(low));
            for e in &entries[start..] {
                let floor = best.map_or(low, |b| b.0.max(low));
                if total(e) + slack < floor {
                    break;
                }
                visit(e, &mut best);
            }
        }
        if let Some(partial) = partial {
            self.open_block(partial);
        }
        best
    }

    /// How many outcomes `span` holds, exactly.
    pub fn count(&self, span: &Span) -> u128 {
        self.count_completions(&mut vec![OPEN; self.contributions.len()], span)
    }

    /// How many outcomes of `span` complete `partial` (levels fixed, or [`OPEN`]).
    fn count_completions(&self, partial: &mut Vec<u32>, span: &Span) -> u128 {
        let mut memo = (span.by_utility() && !self.prefix.is_empty()).then(HashMap::new);
        self.count_at(0, partial, span, &mut memo)
    }

    /// How many completions `partial` has from prefix position `depth` on.
    fn open_below(&self, depth: usize, partial: &[u32]) -> u128 {
        self.prefix[depth..]
            .iter()
            .chain(&self.block.issues)
            .filter(|&&i| partial[i] == OPEN)
            .fold(1u128, |n, &i| {
                n.saturating_mul(self.contributions[i].len() as u128)
            })
    }

    /// How many outcomes have utility ≥ `u`.
    pub fn count_at_least(&self, u: f64) -> u128 {
        self.count(&Span::at_least(u))
    }

    fn count_at(
        &self,
        depth: usize,
        partial: &mut Vec<u32>,
        span: &Span,
        memo: &mut Option<HashMap<u64, u128>>,
    ) -> u128 {
        let (lo, hi) = self.range(partial);
        let (low, high) = span.utilities();
        if hi < low || lo > high {
            return 0;
        }
        if span.holds(lo, hi) {
            return self.open_below(depth, partial);
        }
        if depth == self.prefix.len() {
            let prefix = self.prefix_sum(partial);
            return match memo {
                Some(memo) => *memo
                    .entry(prefix.to_bits())
                    .or_insert_with(|| self.count_in_block(prefix, partial, span)),
                None => self.count_in_block(prefix, partial, span),
            };
        }
        let i = self.prefix[depth];
        if partial[i] != OPEN {
            return self.count_at(depth + 1, partial, span, memo);
        }
        let mut n: u128 = 0;
        for k in 0..self.sorted[i].len() {
            partial[i] = self.sorted[i][k];
            n = n.saturating_add(self.count_at(depth + 1, partial, span, memo));
        }
        partial[i] = OPEN;
        n
    }

    fn count_in_block(&self, prefix: f64, partial: &mut [u32], span: &Span) -> u128 {
        let entries = &self.block.entries;
        let total = |e: &(f64, u32)| self.capped(prefix + e.0);
        let (low, high) = span.utilities();
        let slack = self.slack;
        // [0, i1): above `high`; [i1, i2): near it; [i2, j1): inside; [j1, j2): near `low`.
        let i1 = entries.partition_point(|e| total(e) > high + slack);
        let i2 = entries.partition_point(|e| total(e) >= high - slack);
        let j1 = entries.partition_point(|e| total(e) > low + slack);
        let j2 = entries.partition_point(|e| total(e) >= low - slack);
        // Block levels fixed by the caller: only entries with those levels count.
        let fixed: Vec<(usize, u32)> = self
            .block
            .issues
            .iter()
            .filter(|&&i| partial[i] != OPEN)
            .map(|&i| (i, partial[i]))
            .collect();
        let mut check = |range: std::ops::Range<usize>| -> u128 {
            let mut n = 0;
            for e in &entries[range] {
                self.decode(e.1, partial);
                if fixed.iter().all(|&(i, l)| partial[i] == l)
                    && span.contains(self.entry_utility(prefix, e), partial)
                {
                    n += 1;
                }
            }
            n
        };
        let n = if i2 < j1 && fixed.is_empty() {
            (j1 - i2) as u128 + check(i1..i2) + check(j1..j2.max(j1))
        } else {
            check(i1..j2.max(i1))
        };
        self.open_block(partial);
        for (i, l) in fixed {
            partial[i] = l;
        }
        n
    }

    /// The outcome at `rank` (0: the best) in the bidding order.
    pub fn at_rank(&self, rank: u128) -> Option<Bid> {
        if rank >= self.size {
            return None;
        }
        // The utility of the outcome at `rank`: the highest u with more than `rank` outcomes
        // at or above it.
        let best = self.best().utility;
        let (mut lo, mut hi) = (ordered(self.worst().utility), ordered(best));
        let above = if self.count_at_least(best) > rank {
            lo = hi;
            0
        } else {
            // count(≥ unordered(lo)) > rank ≥ count(≥ unordered(hi)).
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if self.count_at_least(unordered(mid)) > rank {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            self.count_at_least(unordered(hi))
        };
        // Among the outcomes of that utility (in the order of their levels), the one at
        // `rank − above`: fix the levels issue by issue, counting each level's outcomes.
        let u = unordered(lo);
        let ties = Span::between(u, u);
        let mut left = rank - above;
        let mut partial = vec![OPEN; self.contributions.len()];
        for i in 0..partial.len() {
            let mut chosen = false;
            for l in 0..self.contributions[i].len() as u32 {
                partial[i] = l;
                let n = self.count_completions(&mut partial, &ties);
                if left < n {
                    chosen = true;
                    break;
                }
                left -= n;
            }
            if !chosen {
                return None;
            }
        }
        Some(self.bid(partial))
    }

    /// The outcomes before `cut`.
    pub fn count_before(&self, cut: &Cut) -> u128 {
        self.count(&Span {
            from: None,
            to: Some(cut.clone()),
        })
    }

    /// A uniformly random outcome of `span`: `draw(n)` returns a number in `0..n` (from the
    /// caller's seeded stream); the outcome is the one at that place within the span.
    pub fn random(&self, span: &Span, draw: impl FnOnce(u128) -> u128) -> Option<Bid> {
        let n = self.count(span);
        if n == 0 {
            return None;
        }
        let start = span.from.as_ref().map_or(0, |c| self.count_before(c));
        self.at_rank(start + draw(n).min(n - 1))
    }

    /// The outcomes of `span` in the bidding order, found one at a time.
    pub fn iter<'a>(&'a self, span: &Span) -> impl Iterator<Item = Bid> + 'a {
        let span = span.clone();
        let mut next = self.first(&span);
        std::iter::from_fn(move || {
            let bid = next.take()?;
            next = self.first(&span.after(&bid));
            Some(bid)
        })
    }

    /// The `k` best outcomes, best first.
    pub fn top(&self, k: usize) -> Vec<Bid> {
        self.iter(&Span::all()).take(k).collect()
    }

    /// Of the outcomes in `span`, the one `estimate` rates highest; of equals, the first in the
    /// bidding order.
    pub fn best_for(&self, span: &Span, estimate: &Estimate) -> Option<Bid> {
        let n = self.contributions.len();
        if !(estimate.scale > 0.0 && estimate.scale.is_finite())
            || estimate.terms.len() != n
            || estimate
                .terms
                .iter()
                .zip(&self.contributions)
                .any(|(t, c)| t.len() != c.len())
        {
            return None;
        }
        // Per issue: levels by estimated term, highest first (ties: own contribution, level).
        let order: Vec<Vec<u32>> = (0..n)
            .map(|i| {
                let (t, c) = (&estimate.terms[i], &self.contributions[i]);
                let mut o: Vec<u32> = (0..t.len() as u32).collect();
                o.sort_by(|&a, &b| {
                    let (a, b) = (a as usize, b as usize);
                    t[b].total_cmp(&t[a])
                        .then(c[b].total_cmp(&c[a]))
                        .then(a.cmp(&b))
                });
                o
            })
            .collect();
        let search: Vec<usize> = self
            .prefix
            .iter()
            .chain(&self.block.issues)
            .copied()
            .collect();
        // Lagrangian bounds: for λ ≥ 0 and every outcome of own utility ≥ `low`, estimate ≤
        // estimate + λ·(own − low) ≤ Σ over issues of max(term/scale + λ·contribution) − λ·low.
        let low = span.utilities().0;
        let lambdas: &[f64] = if low.is_finite() {
            &LAMBDAS
        } else {
            &LAMBDAS[..1]
        };
        let rest: Vec<Vec<f64>> = lambdas
            .iter()
            .map(|&lambda| {
                let mut r = vec![0.0; search.len() + 1];
                for d in (0..search.len()).rev() {
                    let (t, c) = (&estimate.terms[search[d]], &self.contributions[search[d]]);
                    let top = t
                        .iter()
                        .zip(c)
                        .map(|(t, c)| t / estimate.scale + lambda * c)
                        .fold(f64::NEG_INFINITY, f64::max);
                    r[d] = r[d + 1] + top;
                }
                r
            })
            .collect();
        let magnitude: f64 = (0..n)
            .map(|i| {
                let t = estimate.terms[i].iter().fold(0.0f64, |a, x| a.max(x.abs()));
                let c = self.contributions[i]
                    .iter()
                    .fold(0.0f64, |a, x| a.max(x.abs()));
                t / estimate.scale.abs() + LAMBDAS[LAMBDAS.len() - 1] * c
            })
            .sum::<f64>()
            + low.abs().min(f64::MAX) * LAMBDAS[LAMBDAS.len() - 1];
        let mut partial = vec![OPEN; n];
        let mut best: Option<(f64, f64, Vec<u32>)> = None;
        let mut ctx = Choice {
            span,
            estimate,
            order: &order,
            search: &search,
            best: &mut best,
            lambdas,
            rest: &rest,
            low,
            slack: 8.0 * (n as f64 + 4.0) * f64::EPSILON * (magnitude + 1.0),
        };
        self.choose_at(0, 0.0, 0.0, &mut partial, &mut ctx);
        best.map(|(_, utility, levels)| Bid { levels, utility })
    }

    fn choose_at(
        &self,
        depth: usize,
        terms: f64,
        own: f64,
        partial: &mut Vec<u32>,
        ctx: &mut Choice<'_>,
    ) {
        if let Some((m, _, _)) = ctx.best.as_ref() {
            let bound = ctx
                .lambdas
                .iter()
                .zip(ctx.rest)
                .map(|(&lambda, rest)| {
                    let below = if lambda == 0.0 {
                        0.0
                    } else {
                        lambda * (own - ctx.low)
                    };
                    terms + below + rest[depth]
                })
                .fold(f64::INFINITY, f64::min);
            if bound + ctx.slack < *m {
                return;
            }
        }
        let (lo, hi) = self.range(partial);
        let (low, high) = ctx.span.utilities();
        if hi < low || lo > high {
            return;
        }
        let top = ctx.estimate.bound(partial, ctx.order);
        if let Some((m, k, l)) = ctx.best.as_ref() {
            if top < *m
                || (top == *m && (hi < *k || (hi == *k && !Self::may_pass(partial, l, false))))
            {
                return;
            }
        }
        if depth == ctx.search.len() {
            let u = self.utility(partial);
            if !ctx.span.contains(u, partial) {
                return;
            }
            let m = ctx.estimate.utility(partial);
            let better = match ctx.best.as_ref() {
                None => true,
                Some((bm, bk, bl)) => m > *bm || (m == *bm && precedes(u, partial, *bk, bl)),
            };
            if better {
                *ctx.best = Some((m, u, partial.clone()));
            }
            return;
        }
        let i = ctx.search[depth];
        for k in 0..ctx.order[i].len() {
            let l = ctx.order[i][k];
            partial[i] = l;
            let t = terms + ctx.estimate.terms[i][l as usize] / ctx.estimate.scale;
            let o = own + self.contributions[i][l as usize];
            self.choose_at(depth + 1, t, o, partial, ctx);
        }
        partial[i] = OPEN;
    }
}

/// The state of a search for the first or last outcome of a span.
struct Extreme<'a> {
    span: &'a Span,
    last: bool,
    best: Option<(f64, Vec<u32>)>,
    /// Block answers by prefix sum (bits), when the span is cut at utilities only.
    memo: HashMap<u64, Option<(f64, u32)>>,
    by_sum: bool,
}

struct Choice<'a> {
    span: &'a Span,
    estimate: &'a Estimate,
    order: &'a [Vec<u32>],
    search: &'a [usize],
    best: &'a mut Option<(f64, f64, Vec<u32>)>,
    lambdas: &'a [f64],
    /// Per λ, per depth: the bound's part from the open issues.
    rest: &'a [Vec<f64>],
    low: f64,
    slack: f64,
}

/// Multipliers of the Lagrangian bounds [`AdditiveBids::best_for`] takes the least of.
const LAMBDAS: [f64; 10] = [0.0, 0.125, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0, 16.0, 32.0];

/// An additive estimate of a utility over the same levels (an opponent model): per issue, per
/// level, a term; the estimate of an outcome is the sum of its terms in issue order divided by
/// `scale` (> 0), computed as `terms.map(..).sum::<f64>() / scale`. It rises with every term,
/// so its highest completion of a partial outcome is exact.
#[derive(Debug, Clone, PartialEq)]
pub struct Estimate {
    pub terms: Vec<Vec<f64>>,
    pub scale: f64,
}

impl Estimate {
    /// The estimate of `levels`.
    pub fn utility(&self, levels: &[u32]) -> f64 {
        self.terms
            .iter()
            .zip(levels)
            .map(|(t, &l)| t[l as usize])
            .sum::<f64>()
            / self.scale
    }

    /// The highest estimate of a completion of `partial` (`order`: levels by term, best first).
    fn bound(&self, partial: &[u32], order: &[Vec<u32>]) -> f64 {
        self.terms
            .iter()
            .zip(partial)
            .zip(order)
            .map(|((t, &l), o)| t[if l == OPEN { o[0] } else { l } as usize])
            .sum::<f64>()
            / self.scale
    }
}

#[cfg(test)]
mod tests;
