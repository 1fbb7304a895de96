//! The exact bilateral frontier of hyper-rectangle ("constraint", ANAC 2014) utilities over
//! spaces far too large to enumerate.
//!
//! Each utility is a sum of rectangles: a rectangle adds its value when every bounded issue
//! lies inside its bounds (`Include`) or when one lies outside (`Exclude`). The frontier is
//! found by ε-constraint: the first point maximises B's utility (then A's); each next one
//! maximises B's utility among outcomes where A gets strictly more than at the last point. A
//! point found so is non-dominated, and every frontier point is found. Each step is a
//! depth-first branch and bound over the issues: values of an issue that no rectangle tells
//! apart are one branch, and a partial outcome is cut when the best either party could still
//! reach cannot beat the incumbent. Minima are found the same way, with values negated.
//!
//! Only sum-aggregated utilities qualify ([`Searchable::new`] says which).
//!
//! Restrictions (`restrict.rs`): levels a single-issue restriction rules out are never
//! branched on; levels are told apart by the joint exclusions as by the rectangles, and a
//! partial outcome that completes a joint exclusion is cut. The bounds stay upper bounds of
//! the admissible completions, so the search stays exact.

use crate::utility::{Aggregation, ConstraintUtility, RectangleKind};

use super::restrict::Plan;
use super::space::Grid;

/// A bound placed in the search: (place in the issue order, issue, lo, hi).
type Placed = (usize, usize, f64, f64);

/// A joint exclusion as the search checks it: per issue it names, the levels where its
/// conditions there hold.
type Completion = Vec<(usize, Vec<bool>)>;

/// Frontier points as (levels, utilities) and each party's minimum.
type Found = (Vec<(Vec<u32>, Vec<f64>)>, Vec<f64>);

/// One rectangle, with the value it adds (unscaled: the files' integers, so sums are exact).
struct Rect {
    value: f64,
    include: bool,
    /// `(issue, lo, hi)`, inclusive.
    bounds: Vec<(usize, f64, f64)>,
}

/// Two sum-aggregated constraint utilities over a grid, ready for search.
pub struct Searchable {
    rects: [Vec<Rect>; 2],
    /// Each party's utility = its sum of rectangle values × this (1 / `max_utility`).
    scale: [f64; 2],
    /// Per issue, classes of levels no rectangle tells apart: (representative level, members).
    classes: Vec<Vec<u32>>,
    /// Per issue, the value of each level.
    values: Vec<Vec<f64>>,
    /// Issue order of the search: most constrained first.
    order: Vec<usize>,
    /// Per issue, the rectangles bounding it: (party, rectangle, lo, hi).
    by_issue: Vec<Vec<(usize, usize, f64, f64)>>,
    /// Per party and rectangle, its bounds sorted by the issue's place in `order`:
    /// (place, issue, lo, hi).
    placed: [Vec<Vec<Placed>>; 2],
    /// Per place in `order`, the joint exclusions its issue completes.
    completes: Vec<Vec<Completion>>,
}

/// Where a rectangle stands under a partial outcome.
#[derive(Clone, Copy, PartialEq)]
enum Status {
    /// Some bounded issue is assigned outside its bounds.
    Broken,
    /// Every bounded issue assigned so far is inside; `n` are still unassigned.
    Open(u32),
}

impl Searchable {
    /// `None` unless both utilities are sum-aggregated constraint utilities. Only outcomes
    /// `plan` admits are searched.
    pub fn new(
        grid: &Grid,
        a: &ConstraintUtility,
        b: &ConstraintUtility,
        plan: &Plan,
    ) -> Option<Searchable> {
        if a.aggregation != Aggregation::Sum || b.aggregation != Aggregation::Sum {
            return None;
        }
        let rects = |u: &ConstraintUtility| -> Vec<Rect> {
            u.rectangles
                .iter()
                .map(|r| Rect {
                    value: r.utility * u.weight,
                    include: r.kind == RectangleKind::Include,
                    bounds: r.bounds.clone(),
                })
                .collect()
        };
        let rects = [rects(a), rects(b)];
        let values: Vec<Vec<f64>> = grid
            .values
            .iter()
            .map(|vs| vs.iter().map(|v| v.as_f64()).collect())
            .collect();
        let n = values.len();
        // Levels the restrictions leave, with the same inside/outside pattern over every
        // rectangle bounding the issue and the same truth of every joint exclusion there.
        let classes = (0..n)
            .map(|i| {
                let mut seen: Vec<(Vec<bool>, u32)> = Vec::new();
                let groups = plan.groups(i, values[i].len());
                for (signature, level) in groups
                    .iter()
                    .flat_map(|g| g.levels.iter().map(move |&l| (&g.signature, l as usize)))
                {
                    let x = values[i][level];
                    let pattern: Vec<bool> = rects
                        .iter()
                        .flatten()
                        .flat_map(|r| r.bounds.iter())
                        .filter(|b| b.0 == i)
                        .map(|&(_, lo, hi)| x >= lo && x <= hi)
                        .chain(signature.iter().copied())
                        .collect();
                    if !seen.iter().any(|(p, _)| *p == pattern) {
                        seen.push((pattern, level as u32));
                    }
                }
                let mut levels: Vec<u32> = seen.into_iter().map(|(_, l)| l).collect();
                levels.sort_unstable();
                levels
            })
            .collect();
        let mut order: Vec<usize> = (0..n).collect();
        let weight = |i: usize| -> f64 {
            rects
                .iter()
                .flatten()
                .filter(|r| r.bounds.iter().any(|b| b.0 == i))
                .map(|r| r.value.abs())
                .sum()
        };
        order.sort_by(|&x, &y| weight(y).total_cmp(&weight(x)).then(x.cmp(&y)));
        let mut by_issue = vec![Vec::new(); n];
        for (p, rs) in rects.iter().enumerate() {
            for (k, r) in rs.iter().enumerate() {
                for &(i, lo, hi) in &r.bounds {
                    if i < n {
                        by_issue[i].push((p, k, lo, hi));
                    }
                }
            }
        }
        let mut place = vec![0usize; n];
        for (k, &i) in order.iter().enumerate() {
            place[i] = k;
        }
        let placed = [0, 1].map(|p| {
            rects[p]
                .iter()
                .map(|r| {
                    let mut b: Vec<Placed> = r
                        .bounds
                        .iter()
                        .filter(|b| b.0 < n)
                        .map(|&(i, lo, hi)| (place[i], i, lo, hi))
                        .collect();
                    b.sort_by_key(|x| x.0);
                    b
                })
                .collect()
        });
        let mut completes = vec![Vec::new(); n];
        for j in &plan.joint {
            let last = j.issues.iter().map(|&i| place[i]).max().unwrap_or(0);
            completes[last].push(
                j.issues
                    .iter()
                    .copied()
                    .zip(j.holds.iter().cloned())
                    .collect(),
            );
        }
        Some(Searchable {
            rects,
            scale: [1.0 / a.max_utility, 1.0 / b.max_utility],
            classes,
            values,
            order,
            by_issue,
            placed,
            completes,
        })
    }

    /// The frontier as (levels, [u_A, u_B]) and each party's minimum utility; `Err(nodes)`
    /// when one step would visit more than `limit` partial outcomes.
    pub fn frontier(&self, limit: u64) -> Result<Found, u64> {
        let mut raw = Vec::new();
        let mut floor = f64::NEG_INFINITY;
        while let Some((levels, ua, ub)) = self.best(1, 0, floor, 1.0, limit)? {
            raw.push((levels, [ua, ub]));
            floor = ua;
        }
        // Utilities are capped at 1 (GENIUS); capping the exact frontier and dropping what the
        // cap makes dominated (or equal to an earlier point) gives the exact capped frontier.
        let capped: Vec<(Vec<u32>, [f64; 2])> = raw
            .into_iter()
            .map(|(l, [a, b])| {
                (
                    l,
                    [(a * self.scale[0]).min(1.0), (b * self.scale[1]).min(1.0)],
                )
            })
            .collect();
        let mut points = Vec::new();
        for (k, (levels, u)) in capped.iter().enumerate() {
            let dominated = capped.iter().enumerate().any(|(j, (_, v))| {
                let weakly = v[0] >= u[0] && v[1] >= u[1];
                weakly && (v != u || j < k)
            });
            if !dominated {
                points.push((levels.clone(), u.to_vec()));
            }
        }
        let mut mins = Vec::new();
        for p in 0..2 {
            let m = self.best(p, 1 - p, f64::NEG_INFINITY, -1.0, limit)?;
            let raw = m.map_or(0.0, |(_, ua, ub)| if p == 0 { ua } else { ub });
            mins.push((raw * self.scale[p]).min(1.0));
        }
        Ok((points, mins))
    }

    /// Maximises `sign`·u_primary, then `sign`·u_other, subject to u_A > `floor_a` (when
    /// `sign` is 1; minimisation ignores the floor). Returns (levels, u_A, u_B), unscaled.
    #[allow(clippy::type_complexity)]
    fn best(
        &self,
        primary: usize,
        other: usize,
        floor_a: f64,
        sign: f64,
        limit: u64,
    ) -> Result<Option<(Vec<u32>, f64, f64)>, u64> {
        let mut status: [Vec<Status>; 2] = [0, 1].map(|p| {
            self.rects[p]
                .iter()
                .map(|r| Status::Open(r.bounds.len() as u32))
                .collect()
        });
        let mut levels = vec![0u32; self.values.len()];
        let mut best: Option<(Vec<u32>, f64, f64)> = None;
        let mut search = Search {
            s: self,
            primary,
            other,
            floor_a,
            sign,
            nodes: 0,
            limit,
        };
        search.descend(0, &mut levels, &mut status, &mut best);
        if search.nodes > limit {
            return Err(search.nodes);
        }
        Ok(best)
    }
}

struct Search<'a> {
    s: &'a Searchable,
    primary: usize,
    other: usize,
    floor_a: f64,
    sign: f64,
    /// Partial outcomes visited, and the most allowed.
    nodes: u64,
    limit: u64,
}

impl Search<'_> {
    /// The most `sign`·u_p can still reach with issues from place `depth` on unassigned.
    ///
    /// Decided rectangles count exactly. Each open `Include` rectangle worth something is
    /// charged to its first unassigned issue, and each such issue adds the best any one of its
    /// value classes collects — rectangles that need different values of one issue are not
    /// counted together. Open `Exclude` rectangles count when worth something.
    fn bound(&self, p: usize, status: &[Status], depth: usize) -> f64 {
        let mut total = 0.0;
        // (issue, lo, hi, share of value) for the first-issue and the split charging.
        let mut first: Vec<(usize, f64, f64, f64)> = Vec::new();
        let mut split: Vec<(usize, f64, f64, f64)> = Vec::new();
        for (k, (r, st)) in self.s.rects[p].iter().zip(status).enumerate() {
            let v = self.sign * r.value;
            match (r.include, *st) {
                (true, Status::Broken) | (false, Status::Open(0)) => {}
                (true, Status::Open(0)) | (false, Status::Broken) => total += v,
                (false, Status::Open(_)) => total += v.max(0.0),
                (true, Status::Open(n)) if v > 0.0 => {
                    let open = self.s.placed[p][k].iter().filter(|b| b.0 >= depth);
                    for (j, &(_, i, lo, hi)) in open.enumerate() {
                        if j == 0 {
                            first.push((i, lo, hi, v));
                        }
                        split.push((i, lo, hi, v / f64::from(n)));
                    }
                }
                (true, Status::Open(_)) => {}
            }
        }
        total + self.per_issue(&mut first).min(self.per_issue(&mut split))
    }

    /// Σ over issues of the most any one value class of the issue collects.
    fn per_issue(&self, charged: &mut [(usize, f64, f64, f64)]) -> f64 {
        charged.sort_by_key(|c| c.0);
        let mut total = 0.0;
        let mut start = 0;
        while start < charged.len() {
            let issue = charged[start].0;
            let end = start + charged[start..].iter().take_while(|c| c.0 == issue).count();
            let best = self.s.classes[issue]
                .iter()
                .map(|&level| {
                    let x = self.s.values[issue][level as usize];
                    charged[start..end]
                        .iter()
                        .filter(|c| x >= c.1 && x <= c.2)
                        .map(|c| c.3)
                        .sum::<f64>()
                })
                .fold(0.0, f64::max);
            total += best;
            start = end;
        }
        total
    }

    /// The exact utility (unsigned) once every issue is assigned.
    fn exact(&self, p: usize, status: &[Status]) -> f64 {
        self.s.rects[p]
            .iter()
            .zip(status)
            .map(|(r, st)| match (r.include, *st) {
                (true, Status::Open(0)) | (false, Status::Broken) => r.value,
                _ => 0.0,
            })
            .sum()
    }

    fn descend(
        &mut self,
        depth: usize,
        levels: &mut Vec<u32>,
        status: &mut [Vec<Status>; 2],
        best: &mut Option<(Vec<u32>, f64, f64)>,
    ) {
        self.nodes += 1;
        if self.nodes > self.limit {
            return;
        }
        if depth == self.s.order.len() {
            let (ua, ub) = (self.exact(0, &status[0]), self.exact(1, &status[1]));
            let u = [ua, ub];
            if self.sign > 0.0 && ua <= self.floor_a {
                return;
            }
            let key = (self.sign * u[self.primary], self.sign * u[self.other]);
            let better = match best {
                None => true,
                Some((_, ba, bb)) => {
                    let b = [*ba, *bb];
                    let bk = (self.sign * b[self.primary], self.sign * b[self.other]);
                    key.0 > bk.0 || (key.0 == bk.0 && key.1 > bk.1)
                }
            };
            if better {
                *best = Some((levels.clone(), ua, ub));
            }
            return;
        }
        let issue = self.s.order[depth];
        // Try each class, most promising first.
        let mut options: Vec<(f64, u32)> = Vec::new();
        for &level in &self.s.classes[issue] {
            let undo = self.assign(issue, level, status);
            let hp = self.bound(self.primary, &status[self.primary], depth + 1);
            self.unassign(&undo, status);
            options.push((hp, level));
        }
        options.sort_by(|x, y| y.0.total_cmp(&x.0));
        for (_, level) in options {
            levels[issue] = level;
            let excluded = self.s.completes[depth].iter().any(|exclusion| {
                exclusion
                    .iter()
                    .all(|(i, holds)| holds[levels[*i] as usize])
            });
            if excluded {
                continue;
            }
            let undo = self.assign(issue, level, status);
            if !self.pruned(status, best, depth + 1) {
                self.descend(depth + 1, levels, status, best);
            }
            self.unassign(&undo, status);
        }
    }

    fn pruned(
        &self,
        status: &[Vec<Status>; 2],
        best: &Option<(Vec<u32>, f64, f64)>,
        depth: usize,
    ) -> bool {
        // Bounds split values into shares, so they carry round-off; leaves are exact sums.
        const SLACK: f64 = 1e-9;
        if self.sign > 0.0 && self.bound(0, &status[0], depth) + SLACK <= self.floor_a {
            return true;
        }
        let Some((_, ba, bb)) = best else {
            return false;
        };
        let b = [*ba, *bb];
        let hp = self.bound(self.primary, &status[self.primary], depth);
        let bp = self.sign * b[self.primary];
        if hp + SLACK < bp {
            return true;
        }
        hp <= bp + SLACK
            && self.bound(self.other, &status[self.other], depth) + SLACK
                <= self.sign * b[self.other]
    }

    /// Assigns `level` to `issue`; returns what changed, to undo.
    fn assign(
        &self,
        issue: usize,
        level: u32,
        status: &mut [Vec<Status>; 2],
    ) -> Vec<(usize, usize, Status)> {
        let x = self.s.values[issue][level as usize];
        let mut undo = Vec::new();
        for &(p, k, lo, hi) in &self.s.by_issue[issue] {
            let before = status[p][k];
            if let Status::Open(n) = before {
                undo.push((p, k, before));
                status[p][k] = if x >= lo && x <= hi {
                    Status::Open(n - 1)
                } else {
                    Status::Broken
                };
            }
        }
        undo
    }

    fn unassign(&self, undo: &[(usize, usize, Status)], status: &mut [Vec<Status>; 2]) {
        for &(p, k, st) in undo.iter().rev() {
            status[p][k] = st;
        }
    }
}
