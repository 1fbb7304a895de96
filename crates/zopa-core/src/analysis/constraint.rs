//! The exact bilateral frontier of hyper-rectangle ("constraint", ANAC 2014) utilities over
//! spaces far too large to enumerate, and the exact extremes one such utility reaches
//! (what bidding on it needs: `constraint_bid.rs`).
//!
//! Each utility is a sum of rectangles: a rectangle adds its value when every bounded issue
//! lies inside its bounds (`Include`) or when one lies outside (`Exclude`). The search is a
//! depth-first branch and bound over the issues; values of an issue that no rectangle (and
//! no restriction) tells apart are one branch.
//!
//! **Bounds.** At every partial outcome, for each of a few directions d ≥ 0 (weights of the
//! two parties' utilities), a mini-bucket bound (`minibucket.rs`) caps d·u over all its
//! completions. The utility pairs a subtree can still reach lie in the polygon
//! {u : d·u ≤ H_d for every d}.
//!
//! **Frontier.** One search keeps the non-dominated points found so far (a staircase). A new
//! point is wanted only where no point found weakly dominates it: above one of the
//! staircase's corners. A subtree is cut when the polygon of its bounds holds none of the
//! corners (the polygon is closed downwards, so holding a corner is the test). Every
//! outcome cut is weakly dominated by a point found, so the staircase at the end is the
//! whole frontier; of outcomes with equal utilities, the first found is kept.
//!
//! **Dominated values.** A value class of an issue that another class beats for every party
//! the search maximises (each rectangle bounding the issue gives at least as much; same
//! joint-exclusion truths) is not branched on ([`Keep::Unbeaten`]): swapping it for the
//! better class in any outcome loses for no one, so every frontier vector (every maximum,
//! every minimum with the sense reversed) is still reached. On ANAC 2014's 30-issue domains
//! this leaves 10^11 of 10^24 class combinations. Utilities are capped at 1, so dominance is
//! taken between sums capped at `max_utility`.
//!
//! **Extremes.** The best or worst utility of one party, optionally within a utility
//! interval, is the same search with one direction and its opposite.
//!
//! Bounds carry round-off (moment matching averages), so a cut needs a margin (`slack`).
//! Where every rectangle value is an integer (the ANAC files), outcome sums are exact, a
//! strict improvement is one by at least 1, and a utility interval is an interval of integer
//! sums, so a search for the outcome nearest a target ends when it hits the integer next to
//! it.
//!
//! Only sum-aggregated utilities qualify ([`Searchable::new`] says which).
//!
//! Restrictions (`restrict.rs`): levels a single-issue restriction rules out are never
//! branched on; levels are told apart by the joint exclusions as by the rectangles, and a
//! partial outcome that completes a joint exclusion is cut. The bounds stay upper bounds of
//! the admissible completions, so the search stays exact.

use crate::utility::{Aggregation, ConstraintUtility, RectangleKind};

use super::minibucket::{table_size, Heuristic, Table};
use super::restrict::Plan;
use super::space::Grid;

/// A joint exclusion as the search checks it: per issue it names, the levels where its
/// conditions there hold.
type Completion = Vec<(usize, Vec<bool>)>;

/// Frontier points as (levels, utilities) and each party's minimum.
type Found = (Vec<(Vec<u32>, Vec<f64>)>, Vec<f64>);

/// The largest table built for one rectangle; a rectangle over more value combinations is
/// bounded on its first issues only (a relaxation: still an upper bound).
const RECTANGLE_TABLE: usize = 1 << 14;

/// The largest table of one mini-bucket (a rectangle whose own table is larger is a
/// mini-bucket alone).
const MINI_BUCKET_TABLE: usize = 1 << 12;

/// Directions of the frontier search's bounds: weights of (A, B) — each party alone and five
/// mixtures, so that the polygon of the bounds can follow the bend of the frontier.
const DIRECTIONS: [[f64; 2]; 7] = [
    [1.0, 0.0],
    [4.0, 1.0],
    [2.0, 1.0],
    [1.0, 1.0],
    [1.0, 2.0],
    [1.0, 4.0],
    [0.0, 1.0],
];

/// One rectangle, with the value it adds (`utility × weight`, as `ConstraintUtility::eval`
/// computes it, so sums are the same numbers).
struct Rect {
    value: f64,
    include: bool,
    /// `(issue, lo, hi)`, inclusive.
    bounds: Vec<(usize, f64, f64)>,
}

/// One rectangle as a table over the value classes of the issues it bounds: `hi` is an upper
/// and `lo` a lower bound of its value given those issues (equal unless relaxed).
struct Factor {
    party: usize,
    scope: Vec<usize>,
    hi: Vec<f64>,
    lo: Vec<f64>,
}

/// Sum-aggregated constraint utilities (one or two) over a grid, ready for search.
pub(crate) struct Searchable {
    rects: Vec<Vec<Rect>>,
    /// Each party's utility = min(its sum of rectangle values / this, 1).
    max_utility: Vec<f64>,
    /// Per issue, classes of levels no rectangle tells apart: a representative level each.
    classes: Vec<Vec<u32>>,
    /// Per issue and class, the truth of each joint exclusion naming the issue there.
    signatures: Vec<Vec<Vec<bool>>>,
    /// Per issue, the value of each level.
    values: Vec<Vec<f64>>,
    /// The joint exclusions: per issue they name, the levels where their conditions hold.
    joint: Vec<Completion>,
    /// Every rectangle value is an integer (and their sums are exact in `f64`).
    integral: bool,
    /// Margin for round-off in bounds.
    slack: f64,
}

/// Which value classes a search branches on.
#[derive(Clone, Copy)]
pub(crate) enum Keep<'a> {
    /// Every class: needed where a target is to be met, not exceeded.
    All,
    /// Classes no other class beats for every one of `parties` (`maximise`: by giving each
    /// rectangle of theirs at least as much; else at most as much). A beaten class can be
    /// swapped for its better one in any outcome without losing for any of them, so the
    /// best (or worst) utilities, and the non-dominated pairs, are all still reached.
    Unbeaten {
        parties: &'a [usize],
        maximise: bool,
    },
}

/// The classes one search branches on, in its issue order, with the rectangles as tables
/// over them.
pub(crate) struct Space {
    /// Per issue, the representative levels of the classes kept.
    classes: Vec<Vec<u32>>,
    /// Issue order of the search.
    order: Vec<usize>,
    /// Number of classes at each place of `order`.
    sizes: Vec<usize>,
    factors: Vec<Factor>,
    /// Per place in `order`, the joint exclusions its issue completes.
    completes: Vec<Vec<Completion>>,
}

/// What a search looks for.
enum Goal {
    /// The non-dominated (u_A, u_B) (raw sums), sorted by u_A ascending.
    Pareto(Vec<(Vec<u32>, [f64; 2])>),
    /// The largest (`maximise`) or smallest raw sum of `party` among outcomes whose utility
    /// lies in `[at_least, at_most]`.
    Extreme {
        party: usize,
        maximise: bool,
        at_least: f64,
        at_most: f64,
        /// The raw sums allowed, where that is sharper than the utilities (integers).
        raw: (f64, f64),
        best: Option<(Vec<u32>, f64)>,
    },
}

/// The outcome of one extreme search: its levels and raw sum, and the nodes visited.
pub(crate) struct Extreme {
    pub found: Option<(Vec<u32>, f64)>,
    pub nodes: u64,
}

impl Searchable {
    /// `None` unless every utility is a sum-aggregated constraint utility. Only outcomes
    /// `plan` admits are searched.
    pub fn new(grid: &Grid, utilities: &[&ConstraintUtility], plan: &Plan) -> Option<Searchable> {
        if utilities.iter().any(|u| u.aggregation != Aggregation::Sum) {
            return None;
        }
        let rects: Vec<Vec<Rect>> = utilities
            .iter()
            .map(|u| {
                u.rectangles
                    .iter()
                    .map(|r| Rect {
                        value: r.utility * u.weight,
                        include: r.kind == RectangleKind::Include,
                        bounds: r.bounds.clone(),
                    })
                    .collect()
            })
            .collect();
        let values: Vec<Vec<f64>> = grid
            .values
            .iter()
            .map(|vs| vs.iter().map(|v| v.as_f64()).collect())
            .collect();
        let n = values.len();
        // Levels the restrictions leave, with the same inside/outside pattern over every
        // rectangle bounding the issue and the same truth of every joint exclusion there.
        let mut classes: Vec<Vec<u32>> = Vec::with_capacity(n);
        let mut signatures: Vec<Vec<Vec<bool>>> = Vec::with_capacity(n);
        for (i, levels) in values.iter().enumerate() {
            let mut seen: Vec<(Vec<bool>, u32, Vec<bool>)> = Vec::new();
            let groups = plan.groups(i, levels.len());
            for (signature, level) in groups
                .iter()
                .flat_map(|g| g.levels.iter().map(move |&l| (&g.signature, l as usize)))
            {
                let x = levels[level];
                let pattern: Vec<bool> = rects
                    .iter()
                    .flatten()
                    .flat_map(|r| r.bounds.iter())
                    .filter(|b| b.0 == i)
                    .map(|&(_, lo, hi)| x >= lo && x <= hi)
                    .chain(signature.iter().copied())
                    .collect();
                if !seen.iter().any(|(p, _, _)| *p == pattern) {
                    seen.push((pattern, level as u32, signature.clone()));
                }
            }
            seen.sort_by_key(|x| x.1);
            classes.push(seen.iter().map(|x| x.1).collect());
            signatures.push(seen.into_iter().map(|x| x.2).collect());
        }
        let joint = plan
            .joint
            .iter()
            .map(|j| {
                j.issues
                    .iter()
                    .copied()
                    .zip(j.holds.iter().cloned())
                    .collect()
            })
            .collect();
        let all: Vec<f64> = rects.iter().flatten().map(|r| r.value).collect();
        let total: f64 = all.iter().map(|v| v.abs()).sum();
        let integral = all.iter().all(|v| v.fract() == 0.0) && total < 2f64.powi(50);
        // Bounds average max-marginals (`minibucket.rs`), so they are not integers even
        // then: their round-off needs a margin.
        let slack = 1e-9 * (1.0 + total);
        Some(Searchable {
            rects,
            max_utility: utilities.iter().map(|u| u.max_utility).collect(),
            classes,
            signatures,
            values,
            joint,
            integral,
            slack,
        })
    }

    /// The classes `keep` asks for, an issue order and the rectangles as tables over them.
    pub fn space(&self, keep: Keep) -> Space {
        let n = self.values.len();
        let classes: Vec<Vec<u32>> = (0..n)
            .map(|i| match keep {
                Keep::All => self.classes[i].clone(),
                Keep::Unbeaten { parties, maximise } => self.unbeaten(i, parties, maximise),
            })
            .collect();
        let order = search_order(&self.rects, &classes);
        let mut place = vec![0usize; n];
        for (k, &i) in order.iter().enumerate() {
            place[i] = k;
        }
        let sizes: Vec<usize> = order.iter().map(|&i| classes[i].len()).collect();
        let mut completes = vec![Vec::new(); n];
        for j in &self.joint {
            let last = j.iter().map(|&(i, _)| place[i]).max().unwrap_or(0);
            completes[last].push(j.clone());
        }
        let mut space = Space {
            classes,
            order,
            sizes,
            factors: Vec::new(),
            completes,
        };
        if !space.empty() {
            space.factors = self.factors(&space, &place);
        }
        space
    }

    /// The classes of issue `i` that no other class beats for `parties` (see [`Keep`]);
    /// of classes alike for them, the first.
    fn unbeaten(&self, i: usize, parties: &[usize], maximise: bool) -> Vec<u32> {
        let classes = &self.classes[i];
        // Per class, per rectangle of `parties` bounding i: is the class on its better side?
        let good: Vec<Vec<bool>> = classes
            .iter()
            .map(|&level| {
                let x = self.values[i][level as usize];
                parties
                    .iter()
                    .flat_map(|&p| &self.rects[p])
                    .filter(|r| r.bounds.iter().any(|b| b.0 == i))
                    .map(|r| {
                        let inside = r
                            .bounds
                            .iter()
                            .filter(|b| b.0 == i)
                            .all(|&(_, lo, hi)| x >= lo && x <= hi);
                        // Inside adds the value (Include) or takes the chance of adding it
                        // away (Exclude).
                        let inside_adds = r.include == (r.value >= 0.0);
                        inside == (inside_adds == maximise)
                    })
                    .collect()
            })
            .collect();
        let sig = &self.signatures[i];
        let beats = |a: usize, b: usize| {
            sig[a] == sig[b] && good[a].iter().zip(&good[b]).all(|(&x, &y)| x || !y)
        };
        (0..classes.len())
            .filter(|&b| {
                !(0..classes.len()).any(|a| a != b && beats(a, b) && (!beats(b, a) || a < b))
            })
            .map(|b| classes[b])
            .collect()
    }
}

impl Space {
    /// Whether no outcome is admissible (some issue has no level left).
    fn empty(&self) -> bool {
        self.sizes.contains(&0)
    }
}

impl Searchable {
    /// Each rectangle as a table over its issues' value classes in `space`.
    fn factors(&self, space: &Space, place: &[usize]) -> Vec<Factor> {
        let n = self.values.len();
        let mut factors = Vec::new();
        for (party, rects) in self.rects.iter().enumerate() {
            for r in rects {
                // A bound on an issue the grid lacks is never met (as in `eval`).
                let never = r.bounds.iter().any(|b| b.0 >= n);
                let mut scope: Vec<usize> = if never {
                    Vec::new()
                } else {
                    r.bounds.iter().map(|b| place[b.0]).collect()
                };
                scope.sort_unstable();
                scope.dedup();
                // Too many combinations: keep the first places, bound over the rest.
                let mut kept = scope.clone();
                while table_size(&kept, &space.sizes) > RECTANGLE_TABLE {
                    kept.pop();
                }
                let rest: Vec<usize> = scope[kept.len()..].to_vec();
                // Over the rest: can every bounded issue there be inside, can one be outside?
                let inside_at = |p: usize, c: usize| {
                    let i = space.order[p];
                    let x = self.values[i][space.classes[i][c] as usize];
                    r.bounds
                        .iter()
                        .filter(|b| b.0 == i)
                        .all(|&(_, lo, hi)| x >= lo && x <= hi)
                };
                let rest_in = rest
                    .iter()
                    .all(|&p| (0..space.sizes[p]).any(|c| inside_at(p, c)));
                let rest_out = rest
                    .iter()
                    .any(|&p| (0..space.sizes[p]).any(|c| !inside_at(p, c)));
                let size = table_size(&kept, &space.sizes);
                let mut hi = Vec::with_capacity(size);
                let mut lo = Vec::with_capacity(size);
                for k in 0..size {
                    let mut rem = k;
                    let mut inside = !never;
                    for &p in kept.iter().rev() {
                        let c = rem % space.sizes[p];
                        rem /= space.sizes[p];
                        inside &= inside_at(p, c);
                    }
                    // The values the rectangle can still take.
                    let mut can = Vec::with_capacity(2);
                    let hit_in = if r.include { r.value } else { 0.0 };
                    let hit_out = if r.include { 0.0 } else { r.value };
                    if inside {
                        if rest_in {
                            can.push(hit_in);
                        }
                        if rest_out {
                            can.push(hit_out);
                        }
                    } else {
                        can.push(hit_out);
                    }
                    hi.push(can.iter().copied().fold(f64::NEG_INFINITY, f64::max));
                    lo.push(can.iter().copied().fold(f64::INFINITY, f64::min));
                }
                factors.push(Factor {
                    party,
                    scope: kept,
                    hi,
                    lo,
                });
            }
        }
        factors
    }

    /// The mini-bucket bound of d·u (`direction[p]` weighs party p).
    fn heuristic(&self, space: &Space, direction: &[f64]) -> Heuristic {
        let functions = space
            .factors
            .iter()
            .filter(|f| direction[f.party] != 0.0)
            .map(|f| {
                let d = direction[f.party];
                let t = if d > 0.0 { &f.hi } else { &f.lo };
                Table::new(
                    f.scope.clone(),
                    &space.sizes,
                    t.iter().map(|&v| d * v).collect(),
                )
            })
            .collect();
        Heuristic::new(
            direction.to_vec(),
            functions,
            &space.sizes,
            MINI_BUCKET_TABLE,
        )
    }

    /// Party `p`'s utility of a raw sum, as `ConstraintUtility::eval` gives it.
    pub fn utility(&self, p: usize, raw: f64) -> f64 {
        (raw / self.max_utility[p]).min(1.0)
    }

    /// The frontier as (levels, [u_A, u_B]) and each party's minimum utility; `Err(nodes)`
    /// when one search would visit more than `limit` partial outcomes. Also the nodes the
    /// searches visited.
    pub fn frontier(&self, limit: u64) -> Result<(Found, u64), u64> {
        let space = self.space(Keep::Unbeaten {
            parties: &[0, 1],
            maximise: true,
        });
        if space.empty() {
            return Ok(((Vec::new(), vec![0.0; 2]), 0));
        }
        let hs: Vec<Heuristic> = DIRECTIONS
            .iter()
            .map(|d| self.heuristic(&space, d))
            .collect();
        let (goal, mut nodes) = self.search(&space, &hs, Goal::Pareto(Vec::new()), limit)?;
        let Goal::Pareto(raw) = goal else {
            unreachable!("a Pareto search returns its staircase")
        };
        // Utilities are capped at 1 (GENIUS); capping the exact frontier and dropping what the
        // cap makes dominated (or equal to an earlier point) gives the exact capped frontier.
        let capped: Vec<(Vec<u32>, [f64; 2])> = raw
            .into_iter()
            .map(|(l, [a, b])| (l, [self.utility(0, a), self.utility(1, b)]))
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
            let space = self.space(Keep::Unbeaten {
                parties: &[p],
                maximise: false,
            });
            let hs = self.extreme_bounds(&space, p);
            let e = self.extreme(
                &space,
                &hs,
                p,
                false,
                (f64::NEG_INFINITY, f64::INFINITY),
                limit,
            )?;
            nodes += e.nodes;
            mins.push(e.found.map_or(0.0, |(_, raw)| self.utility(p, raw)));
        }
        Ok(((points, mins), nodes))
    }

    /// Bounds for extremes of party `p` in `space`: of u_p and of −u_p.
    pub fn extreme_bounds(&self, space: &Space, p: usize) -> [Heuristic; 2] {
        let mut d = vec![0.0; self.rects.len()];
        d[p] = 1.0;
        let up = self.heuristic(space, &d);
        d[p] = -1.0;
        [up, self.heuristic(space, &d)]
    }

    /// The outcome with the largest (`maximise`) or smallest raw sum of party `p` among those
    /// whose utility lies in `[within.0, within.1]`, searched in `space` with the bounds `hs`
    /// ([`Searchable::extreme_bounds`]); `Err(nodes)` past `limit` nodes.
    pub fn extreme(
        &self,
        space: &Space,
        hs: &[Heuristic; 2],
        p: usize,
        maximise: bool,
        within: (f64, f64),
        limit: u64,
    ) -> Result<Extreme, u64> {
        if space.empty() {
            return Ok(Extreme {
                found: None,
                nodes: 0,
            });
        }
        let (raw_lo, raw_hi) = self.raw_range(p, within);
        if raw_lo > raw_hi {
            return Ok(Extreme {
                found: None,
                nodes: 0,
            });
        }
        let goal = Goal::Extreme {
            party: p,
            maximise,
            at_least: within.0,
            at_most: within.1,
            raw: (raw_lo, raw_hi),
            best: None,
        };
        let (goal, nodes) = self.search(space, hs, goal, limit)?;
        let Goal::Extreme { best, .. } = goal else {
            unreachable!("an extreme search returns its best")
        };
        Ok(Extreme { found: best, nodes })
    }

    /// The raw sums of party `p` whose utility lies in `within`, as an interval: on integers,
    /// from the least integer to the greatest (empty when no integer fits); otherwise
    /// unbounded (the search then tests utilities).
    fn raw_range(&self, p: usize, within: (f64, f64)) -> (f64, f64) {
        let (at_least, at_most) = within;
        let u = |raw: f64| self.utility(p, raw);
        let max = self.max_utility[p];
        let lo = if !self.integral || at_least == f64::NEG_INFINITY {
            f64::NEG_INFINITY
        } else if at_least > 1.0 {
            f64::INFINITY
        } else {
            // Division rounds, so step to the exact first integer.
            let mut r = (at_least * max).ceil();
            while u(r - 1.0) >= at_least {
                r -= 1.0;
            }
            while u(r) < at_least {
                r += 1.0;
            }
            r
        };
        let hi = if !self.integral || at_most >= 1.0 {
            f64::INFINITY
        } else {
            let mut r = (at_most * max).floor();
            while u(r + 1.0) <= at_most {
                r += 1.0;
            }
            while u(r) > at_most {
                r -= 1.0;
            }
            r
        };
        (lo, hi)
    }

    /// Runs one search; `Err(nodes)` past `limit` nodes.
    fn search(
        &self,
        space: &Space,
        hs: &[Heuristic],
        goal: Goal,
        limit: u64,
    ) -> Result<(Goal, u64), u64> {
        let n = space.order.len();
        let mut search = Search {
            s: self,
            sp: space,
            hs,
            goal,
            nodes: 0,
            limit,
            cls: vec![0; n],
            levels: vec![0; n],
            h: vec![0.0; (n + 1) * hs.len()],
            children: vec![Vec::new(); n],
            grain: if self.integral { 1.0 } else { 0.0 },
        };
        for (k, h) in hs.iter().enumerate() {
            search.h[k] = h.root;
        }
        if search.open(0) {
            search.descend(0);
        }
        if search.nodes > limit {
            return Err(search.nodes);
        }
        Ok((search.goal, search.nodes))
    }

    /// The raw sum of party `p` at a complete outcome, summed in rectangle order as
    /// `ConstraintUtility::eval` sums it.
    fn raw(&self, p: usize, levels: &[u32]) -> f64 {
        let mut acc = 0.0;
        for r in &self.rects[p] {
            let inside = r.bounds.iter().all(|&(i, lo, hi)| {
                let x = levels
                    .get(i)
                    .map_or(f64::NAN, |&l| self.values[i][l as usize]);
                x >= lo && x <= hi
            });
            acc += if inside == r.include { r.value } else { 0.0 };
        }
        acc
    }
}

/// The search order: repeatedly the issue most tied to those placed already (by the value
/// of the rectangles joining them), first the one with the most rectangle value — so that
/// rectangles close early and the mini-buckets' messages stay local.
fn search_order(rects: &[Vec<Rect>], classes: &[Vec<u32>]) -> Vec<usize> {
    let n = classes.len();
    let mut weight = vec![0.0; n];
    let mut scopes: Vec<(Vec<usize>, f64)> = Vec::new();
    for r in rects.iter().flatten() {
        let mut scope: Vec<usize> = r.bounds.iter().map(|b| b.0).filter(|&i| i < n).collect();
        scope.sort_unstable();
        scope.dedup();
        for &i in &scope {
            weight[i] += r.value.abs();
        }
        scopes.push((scope, r.value.abs()));
    }
    let mut placed = vec![false; n];
    let mut order = Vec::with_capacity(n);
    for _ in 0..n {
        // Tie to the placed issues: value of rectangles with a placed issue, shared by the
        // issues they still need.
        let mut tie = vec![0.0; n];
        for (scope, v) in &scopes {
            let open: Vec<usize> = scope.iter().copied().filter(|&i| !placed[i]).collect();
            if open.len() < scope.len() && !open.is_empty() {
                for &i in &open {
                    tie[i] += v / open.len() as f64;
                }
            }
        }
        let next = (0..n)
            .filter(|&i| !placed[i])
            .max_by(|&x, &y| {
                tie[x]
                    .total_cmp(&tie[y])
                    .then(weight[x].total_cmp(&weight[y]))
                    .then(y.cmp(&x))
            })
            .expect("an issue is left");
        placed[next] = true;
        order.push(next);
    }
    order
}

struct Search<'a> {
    s: &'a Searchable,
    sp: &'a Space,
    hs: &'a [Heuristic],
    goal: Goal,
    /// Partial outcomes visited, and the most allowed.
    nodes: u64,
    limit: u64,
    /// Class index at each place.
    cls: Vec<u16>,
    /// Level of each issue.
    levels: Vec<u32>,
    /// Bounds at each depth: `h[depth * hs.len() + k]` for direction k.
    h: Vec<f64>,
    /// Per depth, the children to try: (ordering key, class).
    children: Vec<Vec<(f64, u16)>>,
    /// What a strict improvement adds at least (1 on integers, else 0: not strict).
    grain: f64,
}

impl Search<'_> {
    fn bounds(&self, depth: usize) -> &[f64] {
        let m = self.hs.len();
        &self.h[depth * m..(depth + 1) * m]
    }

    /// Whether the subtree at `depth` (bounds computed) may hold something the goal wants.
    fn open(&self, depth: usize) -> bool {
        let h = self.bounds(depth);
        let slack = self.s.slack;
        let g = self.grain;
        match &self.goal {
            Goal::Pareto(front) => {
                // A corner (a, b) wants u_A > a and u_B > b; with −∞ for "anything".
                let fits = |a: f64, b: f64| {
                    let q = [a + g, b + g];
                    self.hs.iter().zip(h).all(|(heur, &bound)| {
                        let mut need = 0.0;
                        for (d, x) in heur.direction.iter().zip(q) {
                            if *d != 0.0 {
                                need += d * x;
                            }
                        }
                        need <= bound + slack
                    })
                };
                // Utilities are capped at 1: nothing beats a corner at the cap there.
                let fits = |a: f64, b: f64| {
                    a < self.s.max_utility[0] && b < self.s.max_utility[1] && fits(a, b)
                };
                let inf = f64::NEG_INFINITY;
                let m = front.len();
                if m == 0 {
                    return true;
                }
                if fits(inf, front[0].1[1]) || fits(front[m - 1].1[0], inf) {
                    return true;
                }
                front.windows(2).any(|w| fits(w[0].1[0], w[1].1[1]))
            }
            Goal::Extreme {
                party,
                maximise,
                at_least,
                at_most,
                raw,
                best,
            } => {
                let (up, down) = (h[0] + slack, -h[1] - slack);
                if self.s.utility(*party, up) < *at_least
                    || self.s.utility(*party, down) > *at_most
                    || up < raw.0
                    || down > raw.1
                {
                    return false;
                }
                // Only a strict improvement is wanted. On integers, none is left once the
                // next integer past the best leaves the interval (the target was hit).
                match best {
                    None => true,
                    Some((_, b)) if *maximise => {
                        if g > 0.0 {
                            up >= b + g && b + g <= raw.1
                        } else {
                            up > *b
                        }
                    }
                    Some((_, b)) => {
                        if g > 0.0 {
                            down <= b - g && b - g >= raw.0
                        } else {
                            down < *b
                        }
                    }
                }
            }
        }
    }

    /// The ordering key of a child (larger first).
    fn key(&self, depth: usize) -> f64 {
        let h = self.bounds(depth);
        match &self.goal {
            // The balanced direction.
            Goal::Pareto(_) => h[3],
            // Towards the target first when there is one: the middle of what the child
            // can still reach nearest it, so that the target stays reachable either way.
            Goal::Extreme {
                party,
                maximise,
                at_least,
                at_most,
                ..
            } => {
                let target = if *maximise { *at_most } else { *at_least };
                if target.is_finite() {
                    let middle = (h[0] - h[1]) / 2.0;
                    -(middle - target * self.s.max_utility[*party]).abs()
                } else if *maximise {
                    h[0]
                } else {
                    h[1]
                }
            }
        }
    }

    fn descend(&mut self, depth: usize) {
        self.nodes += 1;
        if self.nodes > self.limit {
            return;
        }
        let n = self.sp.order.len();
        if depth == n {
            self.leaf();
            return;
        }
        let issue = self.sp.order[depth];
        let mut children = std::mem::take(&mut self.children[depth]);
        children.clear();
        for c in 0..self.sp.sizes[depth] {
            self.cls[depth] = c as u16;
            self.fill(depth);
            children.push((self.key(depth + 1), c as u16));
        }
        children.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        for &(_, c) in &children {
            self.cls[depth] = c;
            self.levels[issue] = self.sp.classes[issue][usize::from(c)];
            let excluded = self.sp.completes[depth].iter().any(|exclusion| {
                exclusion
                    .iter()
                    .all(|(i, holds)| holds[self.levels[*i] as usize])
            });
            if excluded {
                continue;
            }
            self.fill(depth);
            if self.open(depth + 1) {
                self.descend(depth + 1);
                if self.nodes > self.limit {
                    break;
                }
            }
        }
        self.children[depth] = children;
    }

    /// Bounds at `depth + 1` from those at `depth` and the class at `depth`.
    fn fill(&mut self, depth: usize) {
        let m = self.hs.len();
        for (k, heur) in self.hs.iter().enumerate() {
            let before = self.h[depth * m + k];
            self.h[(depth + 1) * m + k] = heur.step(before, depth, &self.cls);
        }
    }

    fn leaf(&mut self) {
        let levels = &self.levels;
        match &mut self.goal {
            Goal::Pareto(front) => {
                // Dominance between capped sums (the utility is the capped sum / the cap).
                let cap = &self.s.max_utility;
                let u = [
                    self.s.raw(0, levels).min(cap[0]),
                    self.s.raw(1, levels).min(cap[1]),
                ];
                if front.iter().any(|(_, v)| v[0] >= u[0] && v[1] >= u[1]) {
                    return;
                }
                front.retain(|(_, v)| !(u[0] >= v[0] && u[1] >= v[1]));
                let at = front.partition_point(|(_, v)| v[0] < u[0]);
                front.insert(at, (levels.clone(), u));
            }
            Goal::Extreme {
                party,
                maximise,
                at_least,
                at_most,
                best,
                ..
            } => {
                let raw = self.s.raw(*party, levels);
                let u = self.s.utility(*party, raw);
                if u < *at_least || u > *at_most {
                    return;
                }
                let better = match best {
                    None => true,
                    Some((_, b)) => {
                        if *maximise {
                            raw > *b
                        } else {
                            raw < *b
                        }
                    }
                };
                if better {
                    *best = Some((levels.clone(), raw));
                }
            }
        }
    }
}
