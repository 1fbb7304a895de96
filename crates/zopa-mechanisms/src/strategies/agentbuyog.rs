//! AgentBuyog (ANAC 2015 runner-up, individual utility), GENIUS
//! `agents/anac/y2015/agentBuyogV2/AgentBuyogMain.java`, `OpponentInfo.java` and
//! `LearningFunction.java`; NegoLog ports it as `agents/AgentBuyog/AgentBuyog.py`.
//!
//! Threshold: m + (1 − m)(1 − t^1.8) with m = 0.7·df + 0.3·rv, halved when at most three
//! rounds remain (rounds left estimated as (1 − t) / (t / turns so far)), never below rv —
//! and when it would be, with a discount and more than three rounds left, it walks away. With
//! an offer on the table it accepts the last bid of the negotiation (the last offer received)
//! when it reaches the threshold and the best bid both opponents offered, if at most three
//! rounds remain. It bids that common bid when it beats the threshold, else a uniformly random
//! outcome at or above the threshold, and accepts instead when the last bid is at least as
//! good as that bid too.
//!
//! Opponents: the first two messages (offers or accepts) create opponents A and B. At a table
//! of two both are the one opponent, of which only A ever hears offers, so no bid is ever
//! common and B is never modelled: the threshold keeps the form above, as in GENIUS. With two
//! opponents each is modelled after each of its messages (GENIUS `updateOpponentModel`): issue
//! weights gain 0.3(1 − t^(1.3 + df))/n when unchanged (HardHeaded's rule), the offered discrete
//! value's raw evaluation gains ⌊100(1 − t^(1.3 + df))⌋, integer issues tilt their linear
//! evaluation toward the offered end; the Kalai point of its own and the estimated utilities
//! (Pareto point of least |difference|), raised by 0.1 up to 0.4 and 0.05 up to 0.7, or the
//! opponent's best offer if higher, is its domain competitiveness; from its 50th bid a fit of
//! u₀ + e^α·x^β to its best-so-far utilities gives a leniency 2·atan(slope at t)/(π/2) (at most
//! 1), mixed in with weight 1 − leniency^1.75. Once both have a difficulty, m = df × the lower
//! and the random bid becomes the outcome in [threshold, 1] nearest (1, 1) in the two
//! estimates, each axis weighted by 1 − that opponent's difficulty.
//!
//! Fidelity: faithful at a table of two. With more parties, adapted: Flanagan's simplex (the
//! fit) is a standard Nelder–Mead with its coefficients, start (0, 0), steps 0.005 and
//! tolerance; the Kalai point is computed over the whole space up to 10,000 outcomes (10,000
//! uniform draws beyond, drawn once), and the bid nearest it is searched among the best 10,000
//! outcomes of the window; a negative fitted slope, for which GENIUS's difficulty is NaN (and
//! it then fails), counts as leniency 0. An empty window (threshold above its best outcome,
//! where GENIUS throws) gives its best outcome; it never accepts below its reservation value.
//! NegoLog's port uses m = 0.7 + 0.3·rv (no df), one RMSprop step for the fit and the Kalai
//! point every fifth update. Memory: each opponent's distinct offers (for the common-bid
//! test) and, with two opponents, one best-so-far point per bid each (for the fit).

use std::collections::HashSet;

use zopa_core::{IssueKind, Value};

use crate::bidding::Span;
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

const TIME_CONCESSION: f64 = 1.8;
const LAST_SECOND_FACTOR: f64 = 0.5;

/// Most outcomes the Kalai estimate and the search for the bid nearest it read.
const MODEL_LIMIT: u128 = 10_000;
const MINIMUM_HISTORY: usize = 50;
const ISSUE_WEIGHTS_CONSTANT: f64 = 0.3;
const ISSUE_VALUES_CONSTANT: f64 = 100.0;
const LEARNING_TIME: f64 = 1.3;
const DOMAIN_WEIGHT: f64 = 1.75;
const KALAI_CORRECTION: f64 = 0.1;
const BID_POINT_WEIGHT: f64 = 300.0;

/// One issue of an opponent estimate.
#[derive(Debug, Clone)]
enum Eval {
    /// Discrete: raw evaluations, read over their maximum (GENIUS `EvaluatorDiscrete`).
    Table(Vec<f64>),
    /// Integer: linear from `low` at the lower bound to `high` at the upper.
    Linear {
        lower: i64,
        upper: i64,
        low: f64,
        high: f64,
    },
    /// Real issues keep its own evaluation (GENIUS copies its own utility space and resets
    /// only the discrete and integer issues).
    Own,
}

/// GENIUS `OpponentInfo` and what `updateOpponentModel` learns into it.
#[derive(Debug, Clone)]
struct Model {
    weights: Vec<f64>,
    evals: Vec<Eval>,
    /// (time, own utility of the best bid so far) after each of its bids (GENIUS `bestBids`).
    best: Vec<(f64, f64)>,
    /// Own utility of its first bid.
    first: Option<f64>,
    bids: usize,
    last: Option<Outcome>,
    previous: Option<Outcome>,
    leniency: f64,
    difficulty: Option<f64>,
}

impl Model {
    fn new(setup: &Setup) -> Model {
        let n = setup.issues.len();
        Model {
            weights: vec![1.0 / n.max(1) as f64; n],
            evals: setup
                .issues
                .iter()
                .map(|i| match &i.kind {
                    IssueKind::Discrete { values, .. } => Eval::Table(vec![1.0; values.len()]),
                    IssueKind::Integer { min, max } => Eval::Linear {
                        lower: *min,
                        upper: *max,
                        low: 0.5,
                        high: 0.5,
                    },
                    IssueKind::Real { .. } => Eval::Own,
                })
                .collect(),
            best: Vec::new(),
            first: None,
            bids: 0,
            last: None,
            previous: None,
            leniency: -1.0,
            difficulty: None,
        }
    }

    /// The estimated utility of `bid` (own evaluations on real issues: `own`).
    fn utility(&self, bid: &[Value], own: Option<&zopa_core::AdditiveUtility>) -> f64 {
        let mut u = 0.0;
        for (i, (e, &v)) in self.evals.iter().zip(bid).enumerate() {
            let x = match (e, v) {
                (Eval::Table(t), Value::Discrete(k)) => {
                    let max = t.iter().copied().fold(0.0, f64::max);
                    let raw = t.get(k as usize).copied().unwrap_or(0.0);
                    if max > 0.0 {
                        raw / max
                    } else {
                        0.0
                    }
                }
                (
                    Eval::Linear {
                        lower,
                        upper,
                        low,
                        high,
                    },
                    Value::Integer(x),
                ) => {
                    if upper == lower {
                        *low
                    } else {
                        low + (high - low) * (x - lower) as f64 / (upper - lower) as f64
                    }
                }
                (Eval::Own, v) => own.map_or(0.5, |a| a.evaluators[i].eval(v)),
                _ => 0.0,
            };
            u += self.weights[i] * x;
        }
        u
    }

    /// GENIUS `updateOpponentBidHistory`.
    fn heard(&mut self, bid: &Outcome, u: f64, t: f64) {
        self.bids += 1;
        self.first.get_or_insert(u);
        let best = self.best.last().map_or(u, |b| b.1.max(u));
        self.best.push((t, best));
        self.previous = self.last.replace(bid.clone());
    }

    /// GENIUS's concession fit: y = u₀ + e^α·x^β on the best-so-far series by Flanagan's
    /// simplex (all weights 300), turned into a leniency in [−1, 1] from its slope at `t`.
    fn fit_leniency(&self, t: f64) -> f64 {
        let u0 = self.first.unwrap_or(0.0);
        let sse = |p: [f64; 2]| {
            let e = p[0].exp();
            let s: f64 = self
                .best
                .iter()
                .map(|&(x, y)| ((y - (u0 + e * x.powf(p[1]))) / BID_POINT_WEIGHT).powi(2))
                .sum();
            if s.is_finite() {
                s
            } else {
                f64::INFINITY
            }
        };
        let [alpha, beta] = nelder_mead(sse, [0.0, 0.0], [0.005, 0.005]);
        let slope = alpha.exp() * beta * t.powf(beta - 1.0);
        let unit = slope.atan() / std::f64::consts::FRAC_PI_2;
        (unit + unit).min(1.0)
    }
}

/// Nelder–Mead minimisation of `f` in two dimensions (Flanagan's coefficients: reflection 1,
/// expansion 2, contraction 0.5; shrink 0.5), from `start` with the initial steps `step`, until
/// the standard deviation of the vertex values is below 1e-9 or after 3000 iterations.
pub(crate) fn nelder_mead(
    f: impl Fn([f64; 2]) -> f64,
    start: [f64; 2],
    step: [f64; 2],
) -> [f64; 2] {
    let mut simplex = [
        start,
        [start[0] + step[0], start[1]],
        [start[0], start[1] + step[1]],
    ];
    let mut values = simplex.map(&f);
    for _ in 0..3000 {
        let mut order = [0, 1, 2];
        order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
        let (lo, mid, hi) = (order[0], order[1], order[2]);
        let mean = (values[0] + values[1] + values[2]) / 3.0;
        let sd = (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / 3.0).sqrt();
        if sd.is_finite() && sd < 1e-9 {
            break;
        }
        let centre = [
            (simplex[lo][0] + simplex[mid][0]) / 2.0,
            (simplex[lo][1] + simplex[mid][1]) / 2.0,
        ];
        let toward = |k: f64| {
            [
                centre[0] + k * (simplex[hi][0] - centre[0]),
                centre[1] + k * (simplex[hi][1] - centre[1]),
            ]
        };
        let reflected = toward(-1.0);
        let fr = f(reflected);
        if fr < values[lo] {
            let expanded = toward(-2.0);
            let fe = f(expanded);
            if fe < fr {
                (simplex[hi], values[hi]) = (expanded, fe);
            } else {
                (simplex[hi], values[hi]) = (reflected, fr);
            }
        } else if fr < values[mid] {
            (simplex[hi], values[hi]) = (reflected, fr);
        } else {
            let contracted = if fr < values[hi] {
                toward(-0.5)
            } else {
                toward(0.5)
            };
            let fc = f(contracted);
            if fc < values[hi].min(fr) {
                (simplex[hi], values[hi]) = (contracted, fc);
            } else {
                for k in [mid, hi] {
                    simplex[k] = [
                        (simplex[k][0] + simplex[lo][0]) / 2.0,
                        (simplex[k][1] + simplex[lo][1]) / 2.0,
                    ];
                    values[k] = f(simplex[k]);
                }
            }
        }
    }
    let best = (0..3)
        .min_by(|&a, &b| values[a].total_cmp(&values[b]))
        .unwrap_or(0);
    simplex[best]
}

/// GENIUS `BidSpace.getKalaiSmorodinsky().getUtilityA()`: of the Pareto frontier of
/// (own, estimated) utilities, the point with the least |difference| (the first of equals,
/// by own utility ascending); its own utility.
pub(crate) fn kalai(points: impl Iterator<Item = (f64, f64)>) -> Option<f64> {
    let mut all: Vec<(f64, f64)> = points.collect();
    // Own utility descending, the estimate descending: a sweep keeps the frontier.
    all.sort_by(|a, b| b.0.total_cmp(&a.0).then(b.1.total_cmp(&a.1)));
    let mut frontier = Vec::new();
    let mut top = f64::NEG_INFINITY;
    for p in all {
        if p.1 > top {
            top = p.1;
            frontier.push(p);
        }
    }
    frontier.reverse();
    let mut best: Option<(f64, f64)> = None;
    for p in frontier {
        let asym = (p.0 - p.1).abs();
        if best.is_none_or(|b| asym < b.1) {
            best = Some((p.0, asym));
        }
    }
    best.map(|b| b.0)
}

pub struct AgentBuyog {
    own: Own,
    /// GENIUS infoA and infoB: a seat and the bids heard from it.
    infos: Vec<(usize, HashSet<Vec<u64>>)>,
    /// GENIUS's opponent models of infoA and infoB, kept when they are two parties.
    models: [Model; 2],
    /// Outcomes the Kalai estimate is computed over, with their own utilities.
    kalai_points: Option<Vec<(Outcome, f64)>>,
    /// The best bid both opponents offered, with its utility.
    common: Option<(Outcome, f64)>,
    /// The last bid of the negotiation (received or its own), with its utility.
    last: Option<(Outcome, f64)>,
    turns: u32,
    df: f64,
}

impl AgentBuyog {
    pub fn new(setup: &Setup) -> AgentBuyog {
        AgentBuyog {
            own: Own::new(setup),
            infos: Vec::new(),
            models: [Model::new(setup), Model::new(setup)],
            kalai_points: None,
            common: None,
            last: None,
            turns: 0,
            df: setup.discount.unwrap_or(1.0),
        }
    }

    /// The acceptance threshold before the reservation floor, with m = 0.7·df + 0.3·rv.
    #[cfg(test)]
    pub(crate) fn threshold(df: f64, rv: f64, t: f64, remaining: f64) -> f64 {
        Self::threshold_from(df * 0.7 + rv * 0.3, t, remaining)
    }

    /// m + (1 − m)(1 − t^1.8), halved when at most three rounds remain.
    fn threshold_from(m: f64, t: f64, remaining: f64) -> f64 {
        let a = m + (1.0 - m) * (1.0 - t.powf(TIME_CONCESSION));
        if remaining <= 3.0 {
            a * LAST_SECOND_FACTOR
        } else {
            a
        }
    }

    /// Whether infoA and infoB are two parties (otherwise GENIUS's model has no effect).
    fn distinct(&self) -> bool {
        self.infos.len() == 2 && self.infos[0].0 != self.infos[1].0
    }

    /// The outcomes the Kalai estimate reads: all of them up to [`MODEL_LIMIT`], else as many
    /// uniform draws (drawn once).
    fn ensure_kalai_points(&mut self) {
        if self.kalai_points.is_some() {
            return;
        }
        let own = &mut self.own;
        let all = Span::all();
        let points: Vec<(Outcome, f64)> = if own.bids.len() <= MODEL_LIMIT {
            own.bids
                .iter(&all)
                .map(|b| (b.outcome, b.utility))
                .collect()
        } else {
            (0..MODEL_LIMIT)
                .filter_map(|_| own.bids.random(&all, &mut own.rng))
                .map(|b| (b.outcome, b.utility))
                .collect()
        };
        self.kalai_points = Some(points);
    }

    /// GENIUS `updateOpponentModel` for model `k` at time `t`.
    fn learn(&mut self, k: usize, t: f64) {
        self.ensure_kalai_points();
        let utility = std::sync::Arc::clone(&self.own.setup.utility);
        let additive = utility.as_additive();
        let df = self.df;
        let m = &mut self.models[k];
        m.leniency = if m.bids >= MINIMUM_HISTORY {
            m.fit_leniency(t)
        } else {
            -1.0
        };
        let (Some(last), Some(prev), true) = (m.last.clone(), m.previous.clone(), m.bids >= 2)
        else {
            return;
        };
        let n = m.weights.len();
        let learn = 1.0 - t.powf(LEARNING_TIME + df);
        let golden = ISSUE_WEIGHTS_CONSTANT * learn / n.max(1) as f64;
        // Real issues are not compared (GENIUS's `determineDifference` skips them).
        let unchanged: Vec<Option<bool>> = m
            .evals
            .iter()
            .enumerate()
            .map(|(i, e)| (!matches!(e, Eval::Own)).then(|| last[i] == prev[i]))
            .collect();
        let count = unchanged.iter().filter(|u| **u == Some(true)).count() as f64;
        let total = 1.0 + golden * count;
        let max_weight = 1.0 - n as f64 * golden / total;
        for (w, u) in m.weights.iter_mut().zip(&unchanged) {
            match u {
                Some(true) if *w < max_weight => *w = (*w + golden) / total,
                Some(_) => *w /= total,
                None => {}
            }
        }
        for (e, &v) in m.evals.iter_mut().zip(&last) {
            match (e, v) {
                (Eval::Table(t), Value::Discrete(x)) => {
                    if let Some(raw) = t.get_mut(x as usize) {
                        // Java's (int) of the sum.
                        *raw = (ISSUE_VALUES_CONSTANT * learn + *raw).trunc();
                    }
                }
                (
                    Eval::Linear {
                        lower,
                        upper,
                        low,
                        high,
                    },
                    Value::Integer(x),
                ) => {
                    let step = ISSUE_VALUES_CONSTANT / 10000.0;
                    // Java: ceil(lower + (upper − lower) / 2) + 1, in ints.
                    let mid = (*lower + (*upper - *lower) / 2) as f64 + 1.0;
                    let x = x as f64;
                    if mid > x {
                        let norm = (mid - x) / (mid - *lower as f64);
                        let new_low = *low + step * norm * learn;
                        let total = if new_low > 1.0 { new_low + *high } else { 1.0 };
                        (*low, *high) = (new_low / total, *high / total);
                    } else {
                        let norm = (x - mid + 1.0) / (*upper as f64 - mid + 1.0);
                        let new_high = *high + step * norm * learn;
                        let total = if new_high > 1.0 { new_high + *low } else { 1.0 };
                        (*low, *high) = (*low / total, new_high / total);
                    }
                }
                _ => {}
            }
        }
        let points = self.kalai_points.as_deref().unwrap_or(&[]);
        let m = &mut self.models[k];
        let estimate = kalai(points.iter().map(|(o, u)| (*u, m.utility(o, additive))));
        let Some(mut point) = estimate else { return };
        if point <= 0.4 {
            point += KALAI_CORRECTION;
        } else if point <= 0.7 {
            point += KALAI_CORRECTION / 2.0;
        }
        let best = m.best.last().map_or(0.0, |b| b.1);
        let competitiveness = if point > best { point } else { best };
        m.difficulty = Some(if m.bids >= MINIMUM_HISTORY {
            // A negative fitted slope gives GENIUS a NaN difficulty (and a failure): 0 here.
            let leniency = m.leniency.max(0.0);
            let domain = 1.0 - leniency.powf(DOMAIN_WEIGHT);
            (1.0 - domain) * leniency + domain * competitiveness
        } else {
            competitiveness
        });
    }

    /// GENIUS `findNearestBidToKalai(window, 1, 1)`: the outcome in [threshold, 1] (read best
    /// first, at most [`MODEL_LIMIT`]) nearest (1, 1) in the two estimates, each axis weighted
    /// by 1 − that opponent's difficulty.
    fn nearest_to_kalai(&self, threshold: f64, da: f64, db: f64) -> Option<(Outcome, f64)> {
        let additive = self.own.setup.utility.as_additive();
        let mut best: Option<(f64, Outcome, f64)> = None;
        for b in self
            .own
            .bids
            .iter(&Span::between(threshold, 1.0))
            .take(MODEL_LIMIT as usize)
        {
            let ua = self.models[0].utility(&b.outcome, additive);
            let ub = self.models[1].utility(&b.outcome, additive);
            let d = ((1.0 - da) * (ua - 1.0).powi(2) + (1.0 - db) * (ub - 1.0).powi(2)).sqrt();
            if best.as_ref().is_none_or(|x| d < x.0) {
                best = Some((d, b.outcome, b.utility));
            }
        }
        best.map(|(_, o, u)| (o, u))
    }

    fn read(&mut self, view: &View<'_>) {
        let me = self.own.setup.index;
        for m in self.own.unseen(view) {
            if m.actor == me {
                continue;
            }
            let bid = match &m.action {
                Action::Offer(o) => {
                    let u = self.own.setup.utility_of(o);
                    self.last = Some((o.clone(), u));
                    Some(o.clone())
                }
                Action::Accept => self.last.as_ref().map(|l| l.0.clone()),
                Action::End => continue,
            };
            if self.infos.len() < 2 {
                self.infos.push((m.actor, HashSet::new()));
            }
            let Some(bid) = bid else { continue };
            let key = crate::opponent::outcome_key(&bid);
            let sender = self.infos.iter().position(|(s, _)| *s == m.actor);
            let other = match sender {
                Some(0) => 1,
                Some(_) => 0,
                None => continue,
            };
            let Some(k) = sender else { continue };
            self.infos[k].1.insert(key.clone());
            let modelled = self.infos.len() < 2 || self.distinct();
            if modelled {
                let u = self.own.setup.utility_of(&bid);
                self.models[k].heard(&bid, u, m.time);
            }
            if self
                .infos
                .get(other)
                .is_some_and(|(_, seen)| seen.contains(&key))
            {
                let u = self.own.setup.utility_of(&bid);
                if self.common.as_ref().is_none_or(|c| u > c.1) {
                    self.common = Some((bid, u));
                }
            }
            if self.distinct() {
                self.learn(k, m.time);
            }
        }
    }
}

impl Negotiator for AgentBuyog {
    fn act(&mut self, view: &View<'_>) -> Action {
        self.read(view);
        let offer = self.own.observe(view);
        let t = view.time;
        let rv = view.reservation;
        self.turns += 1;
        let per_turn = t / f64::from(self.turns);
        let remaining = (1.0 - t) / per_turn;
        let common_u = self.common.as_ref().map_or(0.0, |c| c.1);
        let recent = self.last.as_ref().map_or(0.0, |l| l.1);
        // Both opponents modelled: m is df × the difficulty of the easier (GENIUS: A when
        // A's ≤ B's).
        let difficulties = match (self.models[0].difficulty, self.models[1].difficulty) {
            (Some(a), Some(b)) if self.distinct() => Some((a, b)),
            _ => None,
        };
        let m = match difficulties {
            Some((a, b)) => self.df * if a <= b { a } else { b },
            None => self.df * 0.7 + self.own.setup.reservation * 0.3,
        };
        let mut threshold = Self::threshold_from(m, t, remaining);
        if threshold < rv {
            threshold = rv;
            if self.df < 1.0 && remaining > 3.0 {
                return Action::End;
            }
        }
        let can_accept = offer.is_some_and(|u| u >= rv);
        if can_accept && recent >= threshold && recent >= common_u && remaining <= 3.0 {
            return Action::Accept;
        }
        let bid = match &self.common {
            Some(c) if c.1 > threshold => c.clone(),
            _ if difficulties.is_some() => {
                let (a, b) = difficulties.unwrap_or((0.0, 0.0));
                self.nearest_to_kalai(threshold, a, b).unwrap_or_else(|| {
                    let best = self.own.best();
                    (best.outcome.clone(), best.utility)
                })
            }
            _ => {
                let own = &mut self.own;
                let span = own.at_least(threshold);
                let b = own
                    .bids
                    .random(&span, &mut own.rng)
                    .unwrap_or_else(|| own.best().clone());
                (b.outcome, b.utility)
            }
        };
        if can_accept && recent >= threshold && recent >= common_u && recent >= bid.1 {
            return Action::Accept;
        }
        self.last = Some(bid.clone());
        Action::Offer(bid.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_threshold_concedes_to_its_floor_and_halves_at_the_end() {
        // m = 0.7 with df = 1, rv = 0.
        assert_eq!(AgentBuyog::threshold(1.0, 0.0, 0.0, f64::INFINITY), 1.0);
        let half = 0.7 + 0.3 * (1.0 - 0.5f64.powf(1.8));
        assert!((AgentBuyog::threshold(1.0, 0.0, 0.5, 100.0) - half).abs() < 1e-12);
        assert!((AgentBuyog::threshold(1.0, 0.0, 1.0, 100.0) - 0.7).abs() < 1e-12);
        // Three rounds or fewer left: halved.
        assert!((AgentBuyog::threshold(1.0, 0.0, 1.0, 3.0) - 0.35).abs() < 1e-12);
        // m = 0.7·df + 0.3·rv.
        assert!((AgentBuyog::threshold(0.5, 0.5, 1.0, 100.0) - 0.5).abs() < 1e-12);
    }

    #[test]
    fn at_a_table_of_two_no_bid_is_ever_common() {
        let mut a = AgentBuyog::new(&crate::strategies::test_setup(&[3, 3], 0.0, 100));
        let d = zopa_core::Value::Discrete;
        let mut history = Vec::new();
        for round in 0..4u32 {
            history.push(crate::session::Move {
                round,
                time: f64::from(round) / 100.0,
                actor: 1,
                action: Action::Offer(vec![d(2), d(2)]),
            });
            let view = View {
                round,
                time: f64::from(round) / 100.0,
                history: &history,
                offset: 0,
                reservation: 0.0,
            };
            let _ = a.act(&view);
        }
        assert_eq!(a.infos.len(), 2);
        assert_eq!(a.infos[0].0, a.infos[1].0);
        assert!(a.infos[1].1.is_empty());
        assert!(a.common.is_none());
    }

    #[test]
    fn nelder_mead_finds_a_quadratic_minimum() {
        let [x, y] = nelder_mead(
            |p| (p[0] - 1.0).powi(2) + (p[1] + 2.0).powi(2),
            [0.0, 0.0],
            [0.005, 0.005],
        );
        assert!((x - 1.0).abs() < 1e-3 && (y + 2.0).abs() < 1e-3, "{x} {y}");
    }

    #[test]
    fn the_kalai_point_is_the_frontier_point_of_least_asymmetry() {
        let points = [(1.0, 0.0), (0.8, 0.6), (0.6, 0.7), (0.3, 0.9), (0.5, 0.5)];
        // (0.5, 0.5) is dominated by (0.6, 0.7), whose asymmetry 0.1 is the least.
        assert_eq!(kalai(points.into_iter()), Some(0.6));
    }

    #[test]
    fn the_concession_fit_recovers_a_power_curve() {
        let mut m = Model::new(&crate::strategies::test_setup(&[3], 0.0, 100));
        // Best-so-far utilities 0.3 + 0.5·x² at 60 times.
        for k in 0..60 {
            let x = f64::from(k) / 60.0;
            m.heard(&vec![Value::Discrete(0)], 0.3 + 0.5 * x * x, x);
        }
        // Slope at t = 0.5: e^α·β·t^(β − 1) = 0.5; leniency 2·atan(0.5)/(π/2).
        let expected = 2.0 * 0.5f64.atan() / std::f64::consts::FRAC_PI_2;
        let got = m.fit_leniency(0.5);
        assert!((got - expected).abs() < 0.05, "{got} vs {expected}");
    }

    #[test]
    fn with_two_opponents_it_models_both_and_bids_near_the_kalai_point() {
        let mut setup = crate::strategies::test_setup(&[4, 4], 0.0, 100);
        setup.negotiators = 3;
        let mut a = AgentBuyog::new(&setup);
        let d = Value::Discrete;
        let mut history = Vec::new();
        let mut last = Action::End;
        for round in 0..6u32 {
            let time = f64::from(round) / 100.0;
            for (actor, bid) in [(1, vec![d(0), d(3)]), (2, vec![d(3), d(0)])] {
                history.push(crate::session::Move {
                    round,
                    time,
                    actor,
                    action: Action::Offer(bid),
                });
            }
            let view = View {
                round,
                time,
                history: &history,
                offset: 0,
                reservation: 0.0,
            };
            last = a.act(&view);
            if let Action::Offer(o) = &last {
                history.push(crate::session::Move {
                    round,
                    time,
                    actor: 0,
                    action: Action::Offer(o.clone()),
                });
            }
        }
        assert!(a.distinct());
        assert!(a.models.iter().all(|m| m.difficulty.is_some()));
        // Opponent 1 repeats value 0 on issue 0: its estimate favours it.
        assert!(
            a.models[0].utility(&[d(0), d(3)], None) > a.models[0].utility(&[d(1), d(3)], None)
        );
        assert!(matches!(last, Action::Offer(_)));
    }

    #[test]
    fn a_negotiation_against_boulware_ends() {
        let r = crate::strategies::versus_boulware("agentbuyog", &[5, 5, 4], 60);
        assert!(!matches!(r.end, crate::End::Error(_)), "{:?}", r.end);
    }
}
