//! Gahboninho (ANAC 2011 runner-up), GENIUS
//! `agents/anac/y2011/Gahboninho/{Gahboninho,IssueManager,OpponnentModel}.java`;
//! negmas-genius-agents ports it as `anac/y2011/gahboninho.py`.
//!
//! From the opponent's first offer it lists the outcomes whose every value is worth at least
//! the offer's value to it, keyed by utility, and bids the least of them at or above a target.
//! For its first 40 bids before t = 0.15 the target steps from 1 to 0.925; then it follows a
//! recommendation: between min = d^(2t)·max(best offer received, 0.9125) and
//! max = min·(1 + 6·noise·d⁵), falling with t, moving at most 0.0009 down (0.005 up) per turn,
//! with stages at 0.85, 0.92 and 0.94 of d and a panic phase near the end (the floor 0.84,
//! 0.775, 0.7, then the opponent's best, 3.5/8 of it when that is below 3/8), and in the last
//! moments the opponent's best offer itself. "Noise" — how much the opponent's offers vary —
//! is re-estimated every 20 offers from how alike its values are to its own bids'. A variance
//! model of the opponent (values it repeats and issues it keeps) filters the list late (to
//! the outcomes the model rates within 84 % of the best one). It accepts at or above 0.95 of
//! its best in its first 40 turns, else at or above the recommendation times 0.95 (0.91–0.95).
//!
//! Fidelity: adapted. GENIUS builds its list until 5 % of the clock (× d^0.6) has passed; zopa's
//! clock does not run while a strategy thinks, so the list holds the first 50,000 outcomes of
//! that enumeration (values in a seeded random
//! order per issue, as GENIUS inserts them) and its build time counts as zero; equal utilities
//! are ordered by a seeded random key (GENIUS perturbs colliding keys at random). A value's
//! evaluation is its evaluator's on additive utilities, else the utility of its best outcome
//! with that value; the model's numeric bins are clamped to the 21 it has (GENIUS's index can
//! run past them and throw). One seeded stream serves GENIUS's six; it never accepts below its
//! reservation value.

use std::collections::{BTreeMap, HashMap, HashSet};

use rand::RngExt;
use zopa_core::{IssueKind, UtilityFunction, Value};

use crate::opponent::outcome_key;
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

const PLAYERS: f64 = 8.0;
const COUNTDOWN: u32 = 20;
const STEPS: f64 = 20.0;
const BINS: usize = 21;
/// Most outcomes its list holds (GENIUS stops listing after a share of the clock).
const LIST_LIMIT: usize = 50_000;

/// A list key: utility, then a random tie-breaker.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Key(f64, u64);

impl Eq for Key {}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0).then(self.1.cmp(&other.1))
    }
}

/// The opponent model's view of one issue.
#[derive(Debug, Clone)]
enum IssueModel {
    Discrete {
        counts: Vec<u32>,
        first: Option<usize>,
        updates: u32,
        most: u32,
        variance: f64,
    },
    Numeric {
        min: f64,
        max: f64,
        bins: [u32; BINS],
        first: Option<f64>,
        index_sum: f64,
        updates: u32,
        variance: f64,
    },
}

impl IssueModel {
    fn importance(counts: &[u32], first: Option<usize>, updates: u32, i: usize) -> u32 {
        let bonus = updates / counts.len().max(1) as u32;
        counts[i] + if first == Some(i) { bonus } else { 0 }
    }

    fn update(&mut self, v: Value) {
        match self {
            IssueModel::Discrete {
                counts,
                first,
                updates,
                most,
                variance,
            } => {
                let Value::Discrete(i) = v else { return };
                let i = (i as usize).min(counts.len() - 1);
                *updates += 1;
                first.get_or_insert(i);
                counts[i] += 1;
                let n = counts.len();
                *most = 0;
                let mut total = 0u32;
                // GENIUS's TreeMap from importance to option: equal importances keep the last.
                let mut by_importance: BTreeMap<u32, usize> = BTreeMap::new();
                for k in 0..n {
                    let imp = Self::importance(counts, *first, *updates, k);
                    *most = (*most).max(imp);
                    by_importance.insert(imp, k);
                    total += imp;
                }
                let total = f64::from(total.max(1));
                let mut average = 0.0;
                for (rank, &k) in by_importance.values().enumerate() {
                    average +=
                        rank as f64 * f64::from(Self::importance(counts, *first, *updates, k));
                }
                average /= total;
                *variance = 0.0;
                for (rank, &k) in by_importance.values().enumerate() {
                    let d = (average - rank as f64) / n as f64;
                    *variance += f64::from(counts[k]) * d * d;
                }
                *variance /= total;
            }
            IssueModel::Numeric {
                min,
                max,
                bins,
                first,
                index_sum,
                updates,
                variance,
            } => {
                let x = match v {
                    Value::Integer(x) => x as f64,
                    Value::Real(x) => x,
                    Value::Discrete(_) => return,
                };
                *updates += 1;
                first.get_or_insert(if *max - x >= x - *min { *max } else { *min });
                let width = *max / (BINS - 1) as f64;
                let index = if width > 0.0 {
                    (((x - *min) / width) as usize).min(BINS - 1)
                } else {
                    0
                };
                bins[index] += 1;
                *index_sum += index as f64;
                let average = *index_sum / f64::from(*updates);
                *variance = 0.0;
                for (i, &f) in bins.iter().enumerate() {
                    let d = (average - i as f64) / (BINS - 1) as f64;
                    *variance += f64::from(f) * d * d;
                }
            }
        }
    }

    fn variance(&self) -> f64 {
        match self {
            IssueModel::Discrete { variance, .. } | IssueModel::Numeric { variance, .. } => {
                *variance
            }
        }
    }

    fn expected(&self, v: Value) -> f64 {
        match (self, v) {
            (
                IssueModel::Discrete {
                    counts,
                    first,
                    updates,
                    most,
                    ..
                },
                Value::Discrete(i),
            ) => {
                let i = (i as usize).min(counts.len() - 1);
                if *most == 0 {
                    return 0.0;
                }
                f64::from(Self::importance(counts, *first, *updates, i)) / f64::from(*most)
            }
            (IssueModel::Numeric { first, .. }, Value::Integer(_) | Value::Real(_)) => {
                let x = match v {
                    Value::Integer(x) => x as f64,
                    Value::Real(x) => x,
                    Value::Discrete(_) => 0.0,
                };
                first.map_or(0.0, |f| (1.0 - (x - f).abs()).clamp(0.0, 1.0))
            }
            _ => 0.0,
        }
    }
}

pub struct Gahboninho {
    own: Own,
    d: f64,
    noise: f64,
    /// The list, keyed by utility; built at the opponent's first offer.
    bids: BTreeMap<Key, Outcome>,
    filtered: bool,
    first_actions: i32,
    rounds: u32,
    opponent_offers: u32,
    last_offer: Option<Outcome>,
    // Recommendation (IssueManager).
    first_offer_given: bool,
    compromising: f64,
    time_diff: (f64, f64),
    rounds_before_panic: f64,
    previous: f64,
    max_decrease: f64,
    in_frenzy: bool,
    best_opp_u: f64,
    best_opp: Option<Outcome>,
    // Noise estimation.
    noise_rate: f64,
    countdown: u32,
    incoming: Vec<HashMap<i64, u32>>,
    outgoing: Vec<HashMap<i64, u32>>,
    outgoing_count: u32,
    previous_distance: f64,
    previous_best: f64,
    worst_eval: f64,
    previous_worst_eval: f64,
    previous_round_worst_eval: f64,
    // Opponent model.
    model: Vec<IssueModel>,
    weights: Vec<f64>,
    seen: HashSet<Vec<u64>>,
}

impl Gahboninho {
    pub fn new(setup: &Setup) -> Gahboninho {
        let own = Own::new(setup);
        let d = setup
            .discount
            .filter(|d| *d > 0.001 && *d <= 1.0)
            .unwrap_or(1.0);
        let model = setup
            .issues
            .iter()
            .map(|issue| match issue.kind {
                IssueKind::Discrete { ref values, .. } => IssueModel::Discrete {
                    counts: vec![0; values.len().max(1)],
                    first: None,
                    updates: 0,
                    most: 1,
                    variance: 0.0,
                },
                IssueKind::Integer { min, max } => IssueModel::Numeric {
                    min: min as f64,
                    max: max as f64,
                    bins: [0; BINS],
                    first: None,
                    index_sum: 0.0,
                    updates: 0,
                    variance: 0.0,
                },
                IssueKind::Real { min, max } => IssueModel::Numeric {
                    min,
                    max,
                    bins: [0; BINS],
                    first: None,
                    index_sum: 0.0,
                    updates: 0,
                    variance: 0.0,
                },
            })
            .collect();
        let n = setup.issues.len();
        Gahboninho {
            own,
            d,
            noise: 0.4 * d,
            bids: BTreeMap::new(),
            filtered: false,
            first_actions: 40,
            rounds: 0,
            opponent_offers: 0,
            last_offer: None,
            first_offer_given: false,
            compromising: 0.95,
            time_diff: (-1.0, -1.0),
            rounds_before_panic: 1.0,
            previous: 1.0,
            max_decrease: 0.0009,
            in_frenzy: false,
            best_opp_u: 0.0,
            best_opp: None,
            noise_rate: 0.01,
            countdown: COUNTDOWN,
            incoming: vec![HashMap::new(); n],
            outgoing: vec![HashMap::new(); n],
            outgoing_count: 0,
            previous_distance: 0.2,
            previous_best: 1.0,
            worst_eval: 1.0,
            previous_worst_eval: 1.0,
            previous_round_worst_eval: 1.0,
            model,
            weights: vec![0.0; n],
            seen: HashSet::new(),
        }
    }

    fn u(&self, b: &[Value]) -> f64 {
        self.own.setup.utility_of(b)
    }

    /// A value's evaluation on issue `i`.
    fn eval(&self, i: usize, v: Value) -> f64 {
        match &*self.own.setup.utility {
            UtilityFunction::Additive(a) => a.evaluators[i].eval(v),
            _ => {
                let mut b = self.own.best().outcome.clone();
                b[i] = v;
                self.u(&b)
            }
        }
    }

    /// The values `learnBids` tries on issue `i` (GENIUS: every discrete value, 20 points of
    /// a numeric range), with how much each adds to the effective domain size.
    fn candidates(&self, i: usize) -> (Vec<Value>, f64) {
        match self.own.setup.issues[i].kind {
            IssueKind::Discrete { ref values, .. } => {
                ((0..values.len() as u32).map(Value::Discrete).collect(), 1.0)
            }
            IssueKind::Integer { min, max } => {
                let span = (max - min).max(0);
                let steps = (STEPS as i64 - 1).min(span).max(1);
                let step = (span / steps).max(1);
                let mut v = Vec::new();
                let mut x = min;
                while x <= max && v.len() < 1000 {
                    v.push(Value::Integer(x));
                    x = x.saturating_add(step);
                }
                (v, 0.0)
            }
            IssueKind::Real { min, max } => (
                (0..STEPS as u32)
                    .map(|k| Value::Real(min + f64::from(k) * (max - min) / (STEPS - 1.0)))
                    .collect(),
                1000.0,
            ),
        }
    }

    /// `learnBids`: the outcomes whose every value is worth at least the first offer's.
    fn learn(&mut self, first: &Outcome) {
        let n = first.len();
        let mut relevant: Vec<Vec<Value>> = Vec::with_capacity(n);
        let mut effective = 1.0;
        for (i, &theirs) in first.iter().enumerate() {
            let floor = self.eval(i, theirs);
            let (values, per_value) = self.candidates(i);
            let mut list: Vec<Value> = Vec::new();
            let mut added = 0.0;
            for v in values {
                if self.eval(i, v) >= floor {
                    let at = if list.is_empty() {
                        0
                    } else {
                        self.own.rng.random_range(0..list.len())
                    };
                    list.insert(at, v);
                    added += per_value;
                }
            }
            if let IssueKind::Integer { min, max } = self.own.setup.issues[i].kind {
                added = (max - min).unsigned_abs() as f64;
            }
            if list.is_empty() {
                list.push(theirs);
            }
            effective *= added;
            relevant.push(list);
        }
        let mut places = vec![0usize; n];
        'build: for _ in 0..LIST_LIMIT {
            let bid: Outcome = (0..n).map(|i| relevant[i][places[i]]).collect();
            let k = Key(self.u(&bid), self.own.rng.random());
            self.bids.insert(k, bid);
            // The next combination, the last issue fastest (GENIUS's recursion).
            for i in (0..n).rev() {
                places[i] += 1;
                if places[i] < relevant[i].len() {
                    continue 'build;
                }
                places[i] = 0;
            }
            break;
        }
        self.noise_rate = (0.01 * effective / 400.0).clamp(0.003, 0.015);
    }

    /// `GenerateBidWithAtleastUtilityOf`: the least listed outcome at or above `u`.
    fn at_least(&self, u: f64) -> Outcome {
        self.bids
            .range(Key(u, 0)..)
            .next()
            .map_or_else(|| self.own.best().outcome.clone(), |(_, b)| b.clone())
    }

    /// `GetNextRecommendedOfferUtility`.
    fn recommend(&mut self, t: f64) -> f64 {
        if !self.first_offer_given {
            self.first_offer_given = true;
            return 1.0;
        }
        let d = self.d;
        let best = self.best_opp_u;
        let mut min = d.powf(2.0 * t);
        let mut max = min * (1.0 + 6.0 * self.noise * d.powi(5));
        let panic_allowed = best <= 2.0 / PLAYERS
            || t <= 1.0 - 3.0 * (self.time_diff.1 - self.time_diff.0) / self.rounds_before_panic;
        if t < 0.85 * d {
            min *= best.max(0.9125);
        } else if t <= 0.92 * d {
            self.compromising = 0.94;
            min *= best.max(0.84);
            max /= min;
        } else if t <= 0.94 * d {
            self.compromising = 0.93;
            min *= best.max(0.775);
            max /= min;
        } else if t <= 0.985 * min && panic_allowed {
            self.compromising = 0.91;
            self.max_decrease = 0.001;
            min *= best.max(0.7);
            max /= min;
            self.time_diff = (t, t);
        } else if t <= 0.9996 && panic_allowed {
            self.time_diff.1 = t;
            self.rounds_before_panic += 1.0;
            self.max_decrease = 0.001 + 0.01 * (t - 0.985) / 0.015;
            if 3.0 / PLAYERS > best {
                min *= 3.5 / PLAYERS;
                self.compromising = 0.8;
            } else {
                min *= best;
                self.compromising = 0.95;
            }
            max /= min;
        } else {
            self.compromising = 0.92;
            if best < 2.0 / PLAYERS {
                min = 2.0 / PLAYERS;
                max = 1.0;
            } else {
                max = best;
                min = best;
                self.in_frenzy = true;
            }
            self.max_decrease = 1.0;
        }
        max = max.max(min);
        let mut next = (max - (max - min) * t).min(1.0);
        if next + self.max_decrease < self.previous {
            next = self.previous - self.max_decrease;
        } else if next - 0.005 > self.previous {
            next = self.previous + 0.005;
        }
        self.previous = next;
        next
    }

    /// `EstimateValue`: the statistics key of a value.
    fn estimate(&self, i: usize, v: Value) -> i64 {
        match (&self.own.setup.issues[i].kind, v) {
            (_, Value::Discrete(k)) => i64::from(k),
            (IssueKind::Integer { min, max }, Value::Integer(x)) => {
                let span = (max - min) as f64;
                if span == 0.0 {
                    0
                } else {
                    let steps = STEPS.min(span + 1.0);
                    (x as f64 / (span / steps)) as i64
                }
            }
            (IssueKind::Real { min, max }, Value::Real(x)) => {
                let span = max - min;
                if span == 0.0 {
                    0
                } else {
                    (x / (span / STEPS)) as i64
                }
            }
            _ => 0,
        }
    }

    fn distinct_values(&self, i: usize) -> f64 {
        match self.own.setup.issues[i].kind {
            IssueKind::Discrete { ref values, .. } => values.len().max(1) as f64,
            IssueKind::Integer { min, max } => STEPS.min((max - min) as f64 + 1.0),
            IssueKind::Real { .. } => STEPS,
        }
    }

    fn add_my_bid(&mut self, bid: &Outcome) {
        self.outgoing_count += 1;
        for (i, &v) in bid.iter().enumerate() {
            let k = self.estimate(i, v);
            *self.outgoing[i].entry(k).or_insert(0) += 1;
        }
    }

    /// The model's estimate of the opponent's utility (`EvaluateOpponentUtility`).
    pub(crate) fn opponent_utility(&self, bid: &[Value]) -> f64 {
        bid.iter()
            .enumerate()
            .map(|(i, &v)| self.weights[i] * self.model[i].expected(v))
            .sum()
    }

    /// `OpponnentModel.UpdateImportance`: per-issue statistics, then weights from variances.
    fn update_model(&mut self, bid: &Outcome) {
        if !self.seen.insert(outcome_key(bid)) {
            return;
        }
        let n = self.model.len();
        let mut total = 0.0;
        let mut min_nonzero = f64::MAX;
        let mut zeros = 0.0;
        for (i, &v) in bid.iter().enumerate() {
            self.model[i].update(v);
            let var = self.model[i].variance();
            total += var;
            if var == 0.0 {
                zeros += 1.0;
            } else {
                min_nonzero = min_nonzero.min(var);
            }
        }
        total /= min_nonzero / 3.0;
        total += zeros;
        if total != zeros {
            let unit = min_nonzero / 3.0;
            for i in (0..n).rev() {
                let var = self.model[i].variance();
                self.weights[i] = if var == 0.0 { 1.0 } else { unit / var };
            }
            let sum: f64 = self.weights.iter().sum();
            for w in &mut self.weights {
                *w /= sum;
            }
        } else {
            for w in &mut self.weights {
                *w = 1.0 / n.max(1) as f64;
            }
        }
    }

    /// `IssueManager.ProcessOpponentBid`: statistics for 20 offers, then the noise update.
    fn process(&mut self, bid: &Outcome, u: f64) {
        if self.countdown > 0 {
            if u > self.best_opp_u {
                self.best_opp_u = u;
                self.best_opp = Some(bid.clone());
                self.bids.insert(Key(u, 0), bid.clone());
            }
            let e = self.opponent_utility(bid);
            if self.previous_round_worst_eval < e {
                self.previous_round_worst_eval = e;
            }
            if self.worst_eval > e {
                self.worst_eval = e;
            }
            self.countdown -= 1;
            for (i, &v) in bid.iter().enumerate() {
                let k = self.estimate(i, v);
                *self.incoming[i].entry(k).or_insert(0) += 1;
            }
            return;
        }
        let n = bid.len().max(1) as f64;
        let mut similarity = 0.0;
        for i in 0..bid.len() {
            for (k, &out) in &self.outgoing[i] {
                if let Some(&inc) = self.incoming[i].get(k) {
                    let o = out as f32 / self.outgoing_count.max(1) as f32;
                    let c = inc as f32 / COUNTDOWN as f32;
                    let diff = o - c;
                    similarity +=
                        (1.0 / n) * (1.0 / self.distinct_values(i)) * f64::from(1.0 - diff * diff);
                }
            }
        }
        if similarity > self.previous_distance {
            self.noise += 0.05;
        } else if self.best_opp_u < self.previous_best || self.worst_eval < self.previous_worst_eval
        {
            self.noise += self.noise_rate;
        } else {
            self.noise -= self.noise_rate;
            if self.previous_round_worst_eval > self.worst_eval * 1.2 {
                self.noise -= self.noise_rate;
            }
            if similarity * 1.1 < self.previous_distance {
                self.noise -= self.noise_rate;
            }
        }
        self.noise = self.noise.clamp(0.0, 1.0);
        self.previous_distance = similarity;
        self.countdown = COUNTDOWN;
        self.previous_best = self.best_opp_u;
        self.previous_round_worst_eval = 1.0;
        self.previous_worst_eval = self.worst_eval;
        for m in &mut self.incoming {
            m.clear();
        }
    }

    /// `FilterBids`: from the top, the outcomes the model rates within 84 % of the best yet.
    fn filter(&mut self, desired: f64) {
        let mut kept: BTreeMap<Key, Outcome> = BTreeMap::new();
        let mut best_opp: Option<f64> = None;
        for (k, b) in self.bids.iter().rev() {
            let o = self.opponent_utility(b);
            match best_opp {
                None => {
                    best_opp = Some(o);
                    kept.insert(*k, b.clone());
                }
                Some(best) if o >= best * 0.84 => {
                    kept.insert(*k, b.clone());
                    if o > best {
                        best_opp = Some(o);
                    }
                }
                _ => {}
            }
        }
        if (kept.len() as f64) >= (desired / 10.0).floor() && kept.len() >= 20 {
            self.bids = kept;
        }
    }
}

impl Negotiator for Gahboninho {
    fn act(&mut self, view: &View<'_>) -> Action {
        let offered = self.own.observe(view);
        let fresh: Vec<(Outcome, f64)> = self.own.fresh().map(|(b, r)| (b.clone(), r.1)).collect();
        self.own.received.clear();
        for (bid, u) in fresh {
            if self.opponent_offers == 0 {
                self.learn(&bid);
            } else {
                self.process(&bid, u);
                self.update_model(&bid);
            }
            self.opponent_offers += 1;
            self.last_offer = Some(bid);
        }
        let t = view.time;
        let rational = |u: f64| u >= view.reservation;
        if let Some(u) = offered {
            if self.first_actions > 0 && u > 0.95 && rational(u) {
                return Action::Accept;
            }
        }
        let threshold = self.compromising * self.recommend(t);
        if let Some(u) = offered {
            if u >= threshold && rational(u) {
                return Action::Accept;
            }
        }
        self.rounds += 1;
        if !self.filtered && t > self.d * 0.9 {
            self.filtered = true;
            let desired = (f64::from(self.rounds) * (1.0 - t)).floor();
            if self.bids.len() > 200 {
                self.filter(desired);
            }
        }
        let bid = if self.opponent_offers < 2 {
            self.own.best().outcome.clone()
        } else if self.first_actions >= 0 && t < 0.15 {
            let step = (1.0 - 0.925) / 40.0;
            let b = self.at_least(0.925 + step * f64::from(self.first_actions));
            self.first_actions -= 1;
            b
        } else {
            let target = self.recommend(t);
            let b = self.at_least(target);
            match (&self.best_opp, self.in_frenzy) {
                (Some(best), true) => best.clone(),
                _ => b,
            }
        };
        self.add_my_bid(&bid);
        Action::Offer(bid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_recommendation_starts_at_one_and_falls_slowly() {
        let mut g = Gahboninho::new(&crate::strategies::test_setup(&[5], 0.0, 100));
        assert_eq!(g.recommend(0.0), 1.0);
        // Undiscounted, noise 0.4, nothing offered: min 0.9125, max min·3.4: still 1 at 0.5.
        assert_eq!(g.recommend(0.5), 1.0);
        // Without noise max = min = 0.9125, but it falls at most 0.0009 a turn.
        g.noise = 0.0;
        assert!((g.recommend(0.5) - (1.0 - 0.0009)).abs() < 1e-12);
        // At the very end, an opponent best of 0.6: its best offer exactly (frenzy).
        g.best_opp_u = 0.6;
        g.previous = 0.6;
        assert!((g.recommend(0.9999) - 0.6).abs() < 1e-12);
        assert!(g.in_frenzy);
    }

    #[test]
    fn the_list_holds_what_beats_the_first_offer_on_every_issue() {
        let mut g = Gahboninho::new(&crate::strategies::test_setup(&[4, 4], 0.0, 100));
        let d = Value::Discrete;
        g.learn(&vec![d(2), d(1)]);
        // Values 2..3 on issue 0, 1..3 on issue 1: six outcomes.
        assert_eq!(g.bids.len(), 6);
        assert!(g
            .bids
            .values()
            .all(|b| matches!(b[0], Value::Discrete(2 | 3)) && b[1] != d(0)));
        // The least listed at or above 0.6: (2/3 + 2/3)/2.
        let b = g.at_least(0.6);
        assert!((g.u(&b) - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn the_model_weights_the_issue_the_opponent_keeps() {
        let mut g = Gahboninho::new(&crate::strategies::test_setup(&[5, 5], 0.0, 100));
        let d = Value::Discrete;
        for k in 0..5u32 {
            g.update_model(&vec![d(0), d(k)]);
        }
        assert!(g.weights[0] > g.weights[1], "{:?}", g.weights);
        assert!(g.opponent_utility(&[d(0), d(2)]) > g.opponent_utility(&[d(3), d(2)]));
    }

    #[test]
    fn it_ends_against_boulware() {
        crate::strategies::yushu::tests::ends_against_boulware("gahboninho");
    }
}
