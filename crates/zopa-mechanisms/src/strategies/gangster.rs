//! Gangster (Dave de Jonge; ANAC 2014 finalist), GENIUS `agents/anac/y2014/Gangster/` —
//! `Gangster.java`, `GenAlg.java`, `BidStorage.java`, `ExtendedBidDetails.java`, `Utils.java`.
//!
//! On a linear (additive) utility it plays GENIUS's fallback: it accepts an offer above 0.8
//! and otherwise offers a uniformly random outcome. On a non-linear (hyper-rectangle)
//! utility, ANAC 2014's kind:
//!
//! - Target: from 0.995, moving each turn toward (h − u*)·(t* − t)^0.3 + u* (h halfway
//!   between u* and 1) in proportion to the time left to t* = df − 0.01, u* the best offer of
//!   the last (1 − t) + 0.01 of time; after t*, u* itself. It accepts an offer at or above it.
//! - Search: a genetic algorithm (120 samples, 10 survivors at Manhattan distance ≥ 1 from
//!   each other, uniform crossover of every pair and with a fresh sample, 10 generations).
//!   Global searches (samples drawn without replacement per issue from a gene table) run
//!   until some found outcome beats the target; each turn a local search around the
//!   opponent's last offer (random walks of up to `maxDistance` level steps, crossover kept
//!   within it) adds more; `maxDistance` starts at 1.5·issues and drops by one (to 5) after a
//!   turn whose local search found more than four outcomes above 0.9·target.
//! - Bidding: an opponent offer of the recent window at or above the target is re-offered
//!   first; else, of the stored outcomes above the target, the farthest from the opponent's
//!   offers when even that is within `maxDistance`, else the farthest from its own bids.
//!
//! Fidelity: adapted. Values are walked and measured by level (GENIUS's issues are integer);
//! storage ties are broken by value order (GENIUS: `Bid.toString()`); a gene table refills
//! per issue (GENIUS swaps tables when the first issue's empties and fails if another empties
//! first); the global search stops after 20 fruitless runs and then bids the best outcome it
//! stored (GENIUS loops on, its real clock lowering the target); walks and crossovers stop
//! after 500 fruitless steps; GENIUS's quirks otherwise kept (its lists of offers collapse to
//! one entry past 3,000; the reproposal set keeps one offer per utility); seeded draws; no
//! acceptance below rv.

use rand::RngExt;
use zopa_core::{Issue, Value};

use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::agentm::{level_of, levels, random_levels};
use crate::strategies::Own;

const INITIAL_TARGET: f64 = 0.995;
const DEADLINE_MARGIN: f64 = 0.01;
const GENERATION: usize = 120;
const SURVIVORS: usize = 10;
const GENERATIONS: usize = 10;
const MAX_CAPACITY: usize = 2000;
const AFTER_CLEANING: usize = 500;
const MAX_NOT_SELFISH: usize = 5000;
const NOT_SELFISH_AFTER_CLEANING: usize = 1000;
const BINS: usize = 100;
/// Fruitless global searches before it settles for what it stored.
const GLOBAL_RUNS: usize = 20;

type Levels = Vec<i64>;

fn manhattan(a: &[i64], b: &[i64]) -> u32 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y).unsigned_abs() as u32)
        .sum()
}

#[derive(Debug, Clone)]
struct Sample {
    levels: Levels,
    u: f64,
}

#[derive(Debug, Clone)]
struct Stored {
    s: Sample,
    distance: u32,
    diversity: u32,
}

#[derive(Debug, Clone)]
struct Offered {
    outcome: Outcome,
    u: f64,
    time: f64,
}

/// GENIUS's lists of offers: past 3,000 entries its rebuild loop leaves one.
fn push_capped(list: &mut Vec<Levels>, item: Levels) {
    list.push(item);
    if list.len() > 3000 {
        let keep = list[list.len() / 2].clone();
        *list = vec![keep];
    }
}

pub struct Gangster {
    own: Own,
    issues: std::sync::Arc<Vec<Issue>>,
    linear: bool,
    last: Option<(Outcome, f64)>,
    max_distance: u32,
    good_local: usize,
    last_proposed: Option<Outcome>,
    prev_time: f64,
    prev_target: f64,
    // Bid storage.
    selfish: Vec<Stored>,
    not_selfish: Vec<Stored>,
    by_opponent: Vec<Levels>,
    by_us: Vec<Levels>,
    bins: Vec<Option<Vec<Offered>>>,
    /// The best offer of each bin, at most one per utility, best first.
    main: Vec<Offered>,
    first_bin: usize,
    target: f64,
    // Genetic algorithm.
    genes: Vec<Vec<u32>>,
    spent: Vec<Vec<u32>>,
}

impl Gangster {
    pub fn new(setup: &Setup) -> Gangster {
        let linear = setup.utility.as_additive().is_some();
        let genes = setup
            .issues
            .iter()
            .map(|i| (0..levels(i).min(1 << 16)).collect())
            .collect();
        Gangster {
            own: Own::new(setup),
            issues: std::sync::Arc::clone(&setup.issues),
            linear,
            last: None,
            max_distance: (1.5 * setup.issues.len() as f64).round() as u32,
            good_local: 0,
            last_proposed: None,
            prev_time: 0.0,
            prev_target: INITIAL_TARGET,
            selfish: Vec::new(),
            not_selfish: Vec::new(),
            by_opponent: Vec::new(),
            by_us: Vec::new(),
            bins: vec![None; BINS],
            main: Vec::new(),
            first_bin: 0,
            target: 0.0,
            spent: vec![Vec::new(); setup.issues.len()],
            genes,
        }
    }

    fn levels_of(&self, o: &[Value]) -> Levels {
        self.issues
            .iter()
            .zip(o)
            .map(|(i, &v)| i64::from(level_of(i, v)))
            .collect()
    }

    fn outcome(&self, l: &[i64]) -> Outcome {
        self.issues
            .iter()
            .zip(l)
            .map(|(i, &x)| i.value_at(x as u32, crate::outcomes::REAL_LEVELS))
            .collect()
    }

    fn sample(&self, l: Levels) -> Sample {
        let u = self.own.setup.utility_of(&self.outcome(&l));
        Sample { levels: l, u }
    }

    // --- Target (Gangster.getTargetUtility) ---

    fn best_offered(&self, t: f64, window: f64) -> f64 {
        self.main
            .iter()
            .find(|o| o.time >= t - window)
            .map_or(0.0, |o| o.u)
    }

    pub(crate) fn target_step(
        t: f64,
        t_star: f64,
        u_star: f64,
        prev_time: f64,
        prev_target: f64,
    ) -> f64 {
        let high = 0.5 * (1.0 + u_star);
        let fin = (high - u_star) * (t_star - t).powf(0.3) + u_star;
        let ratio = (t_star - t) / (t_star - prev_time);
        ratio * (prev_target - fin) + fin
    }

    fn target_at(&mut self, t: f64) -> f64 {
        let df = self.own.setup.discount.unwrap_or(1.0);
        let t_star = df - DEADLINE_MARGIN;
        let u_star = self.best_offered(t, 1.0 - t + 0.01);
        if t < t_star {
            let u = Self::target_step(t, t_star, u_star, self.prev_time, self.prev_target);
            self.prev_time = t;
            self.prev_target = u;
            u
        } else {
            u_star
        }
    }

    // --- Bid storage ---

    fn set_target(&mut self, target: f64) {
        self.target = target;
        // The not-selfish-enough outcomes now above it move to the selfish ones.
        self.not_selfish
            .sort_by(|a, b| a.s.u.total_cmp(&b.s.u).then(a.s.levels.cmp(&b.s.levels)));
        while self.not_selfish.last().is_some_and(|e| e.s.u > target) {
            let mut e = self.not_selfish.pop().expect("non-empty");
            for o in &self.by_opponent {
                e.distance = e.distance.min(manhattan(&e.s.levels, o));
            }
            for o in &self.by_us {
                e.diversity = e.diversity.min(manhattan(&e.s.levels, o));
            }
            self.insert_selfish(e);
        }
    }

    fn insert_selfish(&mut self, e: Stored) {
        if !self.selfish.iter().any(|x| x.s.levels == e.s.levels) {
            self.selfish.push(e);
        }
    }

    fn add(&mut self, s: Sample) {
        let mut e = Stored {
            s,
            distance: u32::MAX,
            diversity: u32::MAX,
        };
        if e.s.u > self.target {
            for o in &self.by_opponent {
                e.distance = e.distance.min(manhattan(&e.s.levels, o));
            }
            for o in &self.by_us {
                e.diversity = e.diversity.min(manhattan(&e.s.levels, o));
            }
            self.insert_selfish(e);
        } else if !self.not_selfish.iter().any(|x| x.s.levels == e.s.levels) {
            self.not_selfish.push(e);
        }
        if self.not_selfish.len() > MAX_NOT_SELFISH {
            self.not_selfish
                .sort_by(|a, b| b.s.u.total_cmp(&a.s.u).then(b.s.levels.cmp(&a.s.levels)));
            self.not_selfish.truncate(NOT_SELFISH_AFTER_CLEANING);
        }
        if self.selfish.len() > MAX_CAPACITY {
            // Keep the most diverse and the farthest from the opponent, 250 of each.
            let n = AFTER_CLEANING / 2;
            let mut keep: Vec<Stored> = Vec::new();
            let mut by_div = self.selfish.clone();
            by_div.sort_by(|a, b| {
                b.diversity
                    .cmp(&a.diversity)
                    .then(b.s.levels.cmp(&a.s.levels))
            });
            let mut by_dist = self.selfish.clone();
            by_dist.sort_by(|a, b| {
                b.distance
                    .cmp(&a.distance)
                    .then(b.s.levels.cmp(&a.s.levels))
            });
            for e in by_div
                .into_iter()
                .take(n)
                .chain(by_dist.into_iter().take(n))
            {
                if !keep.iter().any(|k| k.s.levels == e.s.levels) {
                    keep.push(e);
                }
            }
            self.selfish = keep;
        }
    }

    fn add_opponent(&mut self, o: Offered) {
        let l = self.levels_of(&o.outcome);
        push_capped(&mut self.by_opponent, l.clone());
        for e in &mut self.selfish {
            e.distance = e.distance.min(manhattan(&e.s.levels, &l));
        }
        let i = ((o.time * BINS as f64).floor() as usize).min(BINS - 1);
        let bin = self.bins[i].get_or_insert_with(Vec::new);
        match bin.iter().map(|b| b.u).reduce(f64::max) {
            Some(old) => {
                if o.u > old {
                    self.main.retain(|m| m.u != old);
                    Self::main_insert(&mut self.main, o.clone());
                }
            }
            None => Self::main_insert(&mut self.main, o.clone()),
        }
        bin.push(o);
    }

    /// A TreeSet ordered by utility, best first: an offer of a utility already held is not
    /// added.
    fn main_insert(main: &mut Vec<Offered>, o: Offered) {
        if main.iter().any(|m| m.u == o.u) {
            return;
        }
        let at = main.iter().position(|m| m.u < o.u).unwrap_or(main.len());
        main.insert(at, o);
    }

    fn proposed(&mut self, bid: &Outcome) {
        let l = self.levels_of(bid);
        push_capped(&mut self.by_us, l.clone());
        for e in &mut self.selfish {
            e.diversity = e.diversity.min(manhattan(&e.s.levels, &l));
        }
    }

    fn reproposable(&mut self, t: f64, target: f64, window: f64) -> Option<Offered> {
        let min_time = t - window;
        let j = (min_time * BINS as f64).floor();
        if j > 0.0 {
            let j = (j as usize).min(BINS);
            for k in self.first_bin..j {
                self.bins[k] = None;
            }
            self.first_bin = j;
        }
        while let Some(p) = self.main.first().cloned() {
            if p.u < target {
                return None;
            }
            self.main.remove(0);
            if p.time > min_time {
                let i = ((p.time * BINS as f64).floor() as usize).min(BINS - 1);
                if let Some(bin) = &mut self.bins[i] {
                    if let Some(k) = bin.iter().position(|b| b.time == p.time && b.u == p.u) {
                        bin.remove(k);
                    }
                    if let Some(top) = bin.iter().max_by(|a, b| a.u.total_cmp(&b.u)).cloned() {
                        Self::main_insert(&mut self.main, top);
                    }
                }
                return Some(p);
            }
        }
        None
    }

    fn next_stored(&self) -> Option<usize> {
        let far = (0..self.selfish.len()).max_by(|&a, &b| {
            let (x, y) = (&self.selfish[a], &self.selfish[b]);
            x.distance
                .cmp(&y.distance)
                .then(x.s.levels.cmp(&y.s.levels))
        })?;
        if self.selfish[far].distance < self.max_distance {
            return Some(far);
        }
        (0..self.selfish.len()).max_by(|&a, &b| {
            let (x, y) = (&self.selfish[a], &self.selfish[b]);
            x.diversity
                .cmp(&y.diversity)
                .then(x.s.levels.cmp(&y.s.levels))
        })
    }

    // --- Genetic algorithm ---

    /// GENIUS `GenAlg.getRandomBid`: each issue's value drawn without replacement from its
    /// gene table (refilled when spent).
    fn gene_sample(&mut self) -> Levels {
        let mut l = Vec::with_capacity(self.genes.len());
        for i in 0..self.genes.len() {
            if self.genes[i].is_empty() {
                std::mem::swap(&mut self.genes[i], &mut self.spent[i]);
            }
            if self.genes[i].is_empty() {
                l.push(0);
                continue;
            }
            let k = self.own.rng.random_range(0..self.genes[i].len());
            let v = self.genes[i].remove(k);
            self.spent[i].push(v);
            l.push(i64::from(v));
        }
        l
    }

    /// GENIUS `GenAlg.getRandomBid(reference, maxDistance)`.
    fn walk(&mut self, reference: &[i64], max_distance: u32) -> Levels {
        let n = reference.len();
        let mut directions = vec![0i64; n];
        let mut out = reference.to_vec();
        let steps = self.own.rng.random_range(0..max_distance.max(1)) + 1;
        let (mut done, mut tries) = (0, 0);
        while done < steps && tries < 500 + steps {
            tries += 1;
            let i = self.own.rng.random_range(0..n);
            if directions[i] == 0 {
                directions[i] = 2 * self.own.rng.random_range(0..2i64) - 1;
            }
            let top = i64::from(levels(&self.issues[i]) - 1);
            let old = reference[i];
            if (old == top && directions[i] == 1) || (old == 0 && directions[i] == -1) {
                continue;
            }
            // GENIUS moves from the reference value each time, not the running one.
            out[i] = old + directions[i];
            done += 1;
        }
        out
    }

    fn crossover(&mut self, a: &[i64], b: &[i64]) -> [Levels; 2] {
        let (mut x, mut y) = (a.to_vec(), b.to_vec());
        for i in 0..a.len() {
            if !self.own.rng.random::<bool>() {
                std::mem::swap(&mut x[i], &mut y[i]);
            }
        }
        [x, y]
    }

    /// GENIUS's local crossover: swap genes until both children lie within `max_distance`
    /// of the reference.
    fn crossover_near(
        &mut self,
        r: &[i64],
        max_distance: u32,
        a: &[i64],
        b: &[i64],
    ) -> [Levels; 2] {
        let [mut x, mut y] = self.crossover(a, b);
        let n = r.len();
        let d = |v: &[i64], i: usize| (v[i] - r[i]).unsigned_abs() as u32;
        let total = |v: &[i64]| manhattan(v, r);
        let mut counter = 0;
        while (total(&x) > max_distance || total(&y) > max_distance) && counter <= 500 {
            let first = total(&x) > total(&y);
            let mut k = 0;
            for _ in 0..10_000 {
                k = self.own.rng.random_range(0..n);
                let (dx, dy) = (d(&x, k), d(&y, k));
                if (first && dx >= dy) || (!first && dx <= dy) {
                    break;
                }
            }
            std::mem::swap(&mut x[k], &mut y[k]);
            counter += 1;
        }
        [x, y]
    }

    fn draw(&mut self, around: Option<&(Levels, u32)>) -> Sample {
        let l = match around {
            Some((r, d)) => self.walk(r, *d),
            None => self.gene_sample(),
        };
        self.sample(l)
    }

    /// GENIUS `fillSurvivorList`: the best, then the next best at distance ≥ 1 from all kept.
    fn survivors(mut generation: Vec<Sample>) -> Vec<Sample> {
        generation.sort_by(|a, b| b.u.total_cmp(&a.u));
        let mut out: Vec<Sample> = Vec::new();
        let mut remaining = generation.len();
        let mut it = generation.into_iter();
        if let Some(first) = it.next() {
            out.push(first);
            remaining -= 1;
        }
        let mut l = 1;
        while out.len() < SURVIVORS && l < remaining {
            let Some(s) = it.next() else { break };
            remaining -= 1;
            l += 1;
            if out.iter().all(|k| manhattan(&k.levels, &s.levels) >= 1) {
                out.push(s);
            }
        }
        out
    }

    /// GENIUS `GenAlg.go`: global when `around` is `None`, else local.
    fn search(&mut self, around: Option<(Levels, u32)>) -> Vec<Sample> {
        let around = around.as_ref();
        let mut generation: Vec<Sample> = (0..GENERATION).map(|_| self.draw(around)).collect();
        let mut survivors: Vec<Sample> = Vec::new();
        for _ in 1..GENERATIONS {
            let fresh = Self::survivors(generation);
            if fresh.len() < SURVIVORS {
                return survivors;
            }
            survivors = fresh;
            let mut next = Vec::new();
            let pair = |me: &mut Self, a: &Levels, b: &Levels| match around {
                None => me.crossover(a, b),
                Some((r, d)) => me.crossover_near(r, *d, a, b),
            };
            for i in 0..SURVIVORS {
                for j in i + 1..SURVIVORS {
                    let (a, b) = (survivors[i].levels.clone(), survivors[j].levels.clone());
                    for c in pair(self, &a, &b) {
                        next.push(self.sample(c));
                    }
                }
            }
            let random = self.draw(around);
            let kept: Vec<Levels> = survivors.iter().map(|s| s.levels.clone()).collect();
            for a in &kept {
                for c in pair(self, a, &random.levels) {
                    next.push(self.sample(c));
                }
            }
            next.extend(survivors.iter().cloned());
            generation = next;
        }
        let fresh = Self::survivors(generation);
        if fresh.len() < SURVIVORS {
            survivors
        } else {
            fresh
        }
    }

    fn nonlinear(&mut self, t: f64, rv: f64, standing: Option<f64>) -> Action {
        let mut target = self.target_at(t);
        self.set_target(target);
        if let (Some(u), Some((_, last))) = (standing, &self.last) {
            if *last >= target && u >= rv {
                return Action::Accept;
            }
        }
        if self.good_local > 4 && self.max_distance > 5 {
            self.max_distance -= 1;
        }
        let mut runs = 0;
        while self.selfish.is_empty() && runs < GLOBAL_RUNS {
            runs += 1;
            for s in self.search(None) {
                self.add(s);
            }
            target = self.target_at(t);
            self.set_target(target);
        }
        if self.selfish.is_empty() {
            // Nothing above the target: the best it stored (see the module docs).
            self.set_target(f64::NEG_INFINITY);
        }
        if let Some((bid, _)) = self.last.clone() {
            let r = self.levels_of(&bid);
            let local = self.search(Some((r, self.max_distance)));
            self.good_local = local.iter().filter(|s| s.u > 0.9 * target).count();
            for s in local {
                self.add(s);
            }
        }
        if let Some(p) = self.reproposable(t, target, 1.0 - t + 0.01) {
            self.proposed(&p.outcome);
            return Action::Offer(p.outcome);
        }
        match self.next_stored() {
            Some(k) => {
                let e = self.selfish.remove(k);
                let bid = self.outcome(&e.s.levels);
                self.proposed(&bid);
                self.last_proposed = Some(bid.clone());
                Action::Offer(bid)
            }
            None => Action::Offer(
                self.last_proposed
                    .clone()
                    .unwrap_or_else(|| self.own.best().outcome.clone()),
            ),
        }
    }
}

impl Negotiator for Gangster {
    fn act(&mut self, view: &View<'_>) -> Action {
        let standing = self.own.observe(view);
        let fresh: Vec<(Outcome, f64, f64)> = self
            .own
            .fresh()
            .map(|(b, &(t, u))| (b.clone(), t, u))
            .collect();
        let rv = view.reservation;
        for (bid, time, u) in fresh {
            if !self.linear && u > self.own.setup.reservation {
                self.add_opponent(Offered {
                    outcome: bid.clone(),
                    u,
                    time,
                });
            }
            self.last = Some((bid, u));
        }
        if self.linear {
            if let (Some(u), Some((_, last))) = (standing, &self.last) {
                if *last > 0.8 && u >= rv {
                    return Action::Accept;
                }
            }
            let issues = std::sync::Arc::clone(&self.issues);
            return Action::Offer(random_levels(&issues, &mut self.own.rng));
        }
        self.nonlinear(view.time, rv, standing)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_moves_toward_its_end_point_in_proportion_to_time() {
        // At t = 0 from the start it stays at the initial target.
        assert_eq!(Gangster::target_step(0.0, 0.99, 0.0, 0.0, 0.995), 0.995);
        // Halfway, the end point (h − u*)(t* − t)^0.3 + u* with u* = 0.6, h = 0.8.
        let fin = 0.2 * 0.495f64.powf(0.3) + 0.6;
        let step = Gangster::target_step(0.495, 0.99, 0.6, 0.0, 0.995);
        assert!((step - (0.5 * (0.995 - fin) + fin)).abs() < 1e-12);
    }

    #[test]
    fn survivors_are_the_best_distinct_samples() {
        let s = |l: Vec<i64>, u: f64| Sample { levels: l, u };
        let mut generation: Vec<Sample> = (0..30)
            .map(|k| s(vec![k % 12, 0], k as f64 / 30.0))
            .collect();
        generation.push(s(vec![0, 0], 2.0));
        let out = Gangster::survivors(generation);
        assert_eq!(out.len(), SURVIVORS);
        assert_eq!(out[0].u, 2.0);
        for (i, a) in out.iter().enumerate() {
            for b in &out[i + 1..] {
                assert!(manhattan(&a.levels, &b.levels) >= 1);
            }
        }
    }

    /// Four integer issues 0..=9 under three hyper-rectangles (ANAC 2014's kind).
    fn nonlinear(rounds: u32) -> Setup {
        use zopa_core::{Aggregation, ConstraintUtility, HyperRectangle, RectangleKind};
        let rect = |utility: f64, bounds: Vec<(usize, f64, f64)>| HyperRectangle {
            kind: RectangleKind::Include,
            utility,
            bounds,
        };
        crate::strategies::test_setup_over(
            (0..4)
                .map(|i| Issue::integer(format!("x{i}"), 0, 9))
                .collect(),
            zopa_core::UtilityFunction::Constraint(ConstraintUtility {
                rectangles: vec![
                    rect(60.0, vec![(0, 6.0, 9.0), (1, 5.0, 9.0)]),
                    rect(40.0, vec![(2, 0.0, 3.0), (3, 7.0, 9.0)]),
                    rect(30.0, vec![(0, 0.0, 4.0), (2, 4.0, 9.0)]),
                ],
                aggregation: Aggregation::Sum,
                weight: 1.0,
                max_utility: 100.0,
            }),
            0.0,
            rounds,
        )
    }

    #[test]
    fn on_a_non_linear_utility_it_searches_bids_above_its_target_and_accepts_once_it_sinks() {
        use crate::session::Move;
        let rounds = 30;
        let setup = nonlinear(rounds);
        let mut g = Gangster::new(&setup);
        assert!(!g.linear);
        let theirs = vec![
            Value::Integer(0),
            Value::Integer(0),
            Value::Integer(5),
            Value::Integer(0),
        ];
        let mut history: Vec<Move> = Vec::new();
        let mut accepted = false;
        for r in 0..rounds {
            let t = f64::from(r) / f64::from(rounds);
            history.push(Move {
                round: r,
                time: t,
                actor: 1,
                action: Action::Offer(theirs.clone()),
            });
            let view = View {
                round: r,
                time: t,
                history: &history,
                offset: 0,
                reservation: 0.0,
            };
            match g.act(&view) {
                Action::Offer(o) => {
                    // Early on it proposes what its genetic search found above 0.9.
                    if r < 5 {
                        assert!(setup.utility_of(&o) >= 0.9, "round {r}: {o:?}");
                    }
                    history.push(Move {
                        round: r,
                        time: t,
                        actor: 0,
                        action: Action::Offer(o),
                    });
                }
                Action::Accept => {
                    // Only once its target has sunk to the offer's 0.3: GENIUS's reproposal
                    // set keeps one offer per utility, so once the first 0.3 offer leaves its
                    // window the best recent offer reads 0 and the target heads there.
                    assert!(
                        r >= rounds / 2 && g.target <= 0.3,
                        "round {r}: {}",
                        g.target
                    );
                    accepted = true;
                    break;
                }
                Action::End => panic!("Gangster never walks away"),
            }
        }
        assert!(accepted, "the target reaches the offer before the deadline");
    }

    #[test]
    fn on_a_linear_utility_it_offers_at_random_and_ends_against_boulware() {
        let setup = crate::strategies::test_setup(&[4, 4], 0.0, 40);
        let g = Gangster::new(&setup);
        assert!(g.linear);
        crate::strategies::thefawkes::tests::duel_with_boulware("gangster");
    }
}
