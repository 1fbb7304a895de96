//! RandomDance (Kakimoto & Fujita; ANAC 2015 finalist), GENIUS
//! `agents/anac/y2015/RandomDance/RandomDance.java` (with its `PlayerDataLib`, `PlayerData` and
//! `IssueData`); NegoLog ports it as `agents/RandomDance/RandomDance.py`.
//!
//! Models: its own utility as value scores U(worst with that value) − U(worst), weighted by
//! 1/(1 − U(worst)); each opponent as three frequency models (each new distinct offer adds
//! 1, ×1.05 or ×0.95 compounding per issue, to the offered value's count; a value scores
//! count/max, an issue weighs its max count over the sum of max counts), one of the three
//! drawn at random whenever it is read. Each turn: the opponent whose last offer the others'
//! models like best is noted (the last 200 notes); opponent weights are drawn one of three
//! ways (the notes, all 1, alternating 1 / 0.01), then normalised. Target: of three searches
//! with every model weighted 1, the best own utility m; target = 1 − (1 − m)·t^df (t³ when
//! df > 0.99). Bid: for w = 0, 0.01, … below 9.999, its own weight w/(1 − w), the outcome that
//! maximises the weighted sum issue by issue; the first above the target, else its best.
//! Accept when the time left is under five of its own turns, or the offer beats the target;
//! walk away when the target is below the reservation value.
//!
//! Fidelity: faithful (GENIUS); zopa's `Math.random` is the seeded stream. Adaptations: it
//! never accepts without an offer on the table or below its reservation value (GENIUS's
//! last-turns rule accepts whatever is there); opponents are keyed by seat. NegoLog's port
//! never walks away (it leaves out `IsEndNegotiation`).

use std::collections::BTreeMap;

use rand::RngExt;
use zopa_core::Value;

use crate::outcomes::candidate_values;
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

const NASH_COUNT_MAX: usize = 200;
const ACCEPT_SAFETY: f64 = 5.0;
const TARGET_CHECKS: usize = 3;

/// GENIUS `IssueData`: per-value scores of one issue.
#[derive(Debug, Clone)]
struct IssueData {
    scores: Vec<f64>,
    weight: f64,
    max: f64,
    derta: f64,
    adder: f64,
}

impl IssueData {
    fn new(values: usize, derta: f64) -> IssueData {
        IssueData {
            scores: vec![0.0; values],
            weight: 1.0,
            max: 1.0,
            derta,
            adder: 1.0,
        }
    }

    fn update(&mut self, k: usize) {
        self.scores[k] += self.adder;
        self.max = self.max.max(self.scores[k]);
        self.adder *= self.derta;
    }

    fn weighted(&self, k: usize) -> f64 {
        self.scores[k] / self.max * self.weight
    }
}

/// GENIUS `PlayerData`: one party's model.
#[derive(Debug, Clone)]
struct PlayerData {
    issues: Vec<IssueData>,
    history: Vec<Vec<usize>>,
}

impl PlayerData {
    fn new(sizes: &[usize], derta: f64) -> PlayerData {
        PlayerData {
            issues: sizes.iter().map(|&n| IssueData::new(n, derta)).collect(),
            history: Vec::new(),
        }
    }

    fn utility(&self, bid: &[usize]) -> f64 {
        bid.iter()
            .enumerate()
            .map(|(i, &k)| self.issues[i].weighted(k))
            .sum()
    }

    fn add_bid(&mut self, bid: &[usize]) {
        if self.history.iter().any(|b| b == bid) {
            return;
        }
        self.history.push(bid.to_vec());
        let mut sum = 0.0;
        for (i, &k) in bid.iter().enumerate() {
            self.issues[i].update(k);
            sum += self.issues[i].max;
        }
        for d in &mut self.issues {
            d.weight = d.max / sum;
        }
    }
}

pub struct RandomDance {
    own: Own,
    values: Vec<Vec<Value>>,
    mine: PlayerData,
    /// Per opponent seat: its three models.
    opponents: BTreeMap<usize, [PlayerData; 3]>,
    /// Per opponent seat: the last offer on the table when it moved (GENIUS `olderBidMap`).
    older_bids: BTreeMap<usize, Vec<usize>>,
    /// The last offer another party made, as value indices (GENIUS `olderBid`).
    older_bid: Option<Vec<usize>>,
    nash: std::collections::VecDeque<usize>,
    older_time: f64,
}

impl RandomDance {
    pub fn new(setup: &Setup) -> RandomDance {
        let own = Own::new(setup);
        let values: Vec<Vec<Value>> = setup.issues.iter().map(candidate_values).collect();
        let sizes: Vec<usize> = values.iter().map(Vec::len).collect();
        let mut mine = PlayerData::new(&sizes, 1.0);
        // GENIUS SetMyUtility: scores against its worst outcome, weight 1/(1 − U(worst)).
        let worst = own.worst().clone();
        for (i, vs) in values.iter().enumerate() {
            for (k, &v) in vs.iter().enumerate() {
                let mut b = worst.outcome.clone();
                b[i] = v;
                mine.issues[i].scores[k] = setup.utility_of(&b) - worst.utility;
            }
            mine.issues[i].weight = 1.0 / (1.0 - worst.utility);
        }
        RandomDance {
            own,
            values,
            mine,
            opponents: BTreeMap::new(),
            older_bids: BTreeMap::new(),
            older_bid: None,
            nash: std::collections::VecDeque::new(),
            older_time: 0.0,
        }
    }

    fn indices(&self, outcome: &Outcome) -> Option<Vec<usize>> {
        outcome
            .iter()
            .enumerate()
            .map(|(i, v)| self.values[i].iter().position(|x| x == v))
            .collect()
    }

    fn outcome(&self, bid: &[usize]) -> Outcome {
        bid.iter()
            .enumerate()
            .map(|(i, &k)| self.values[i][k])
            .collect()
    }

    /// One of the three models of each opponent, drawn at random.
    fn draw_models(&mut self) -> Vec<(usize, usize)> {
        let seats: Vec<usize> = self.opponents.keys().copied().collect();
        seats
            .into_iter()
            .map(|s| (s, self.own.rng.random_range(0..3)))
            .collect()
    }

    fn model(&self, (seat, k): (usize, usize)) -> &PlayerData {
        &self.opponents[&seat][k]
    }

    /// GENIUS `SearchBidWithWeights`: issue by issue, the value of highest weighted score
    /// (the first of equals); its own model weighs `my_weight`.
    fn search_with_weights(
        &self,
        models: &[(usize, usize)],
        weights: &BTreeMap<usize, f64>,
        my_weight: f64,
    ) -> Vec<usize> {
        (0..self.values.len())
            .map(|i| {
                let mut best = (-1.0, None);
                for k in 0..self.values[i].len() {
                    let mut v = self.mine.issues[i].weighted(k) * my_weight;
                    for &m in models {
                        v += self.model(m).issues[i].weighted(k) * weights[&m.0];
                    }
                    if v > best.0 {
                        best = (v, Some(k));
                    }
                }
                best.1.unwrap_or(0)
            })
            .collect()
    }

    /// GENIUS `getWeights`.
    fn weights(&mut self) -> BTreeMap<usize, f64> {
        let seats: Vec<usize> = self.opponents.keys().copied().collect();
        match self.own.rng.random_range(0..3) {
            0 => {
                let mut w: BTreeMap<usize, f64> = seats.iter().map(|&s| (s, 0.0001)).collect();
                for s in &self.nash {
                    *w.entry(*s).or_insert(0.0001) += 1.0;
                }
                w
            }
            1 => seats.iter().map(|&s| (s, 1.0)).collect(),
            _ => {
                let mut flag = self.own.rng.random::<f64>() < 0.5;
                seats
                    .iter()
                    .map(|&s| {
                        let w = if flag { 1.0 } else { 0.01 };
                        flag = !flag;
                        (s, w)
                    })
                    .collect()
            }
        }
    }

    /// GENIUS `GetTarget`.
    fn target(&mut self, t: f64, df: f64) -> f64 {
        let mut m: f64 = 0.0;
        for _ in 0..TARGET_CHECKS {
            let models = self.draw_models();
            let ones: BTreeMap<usize, f64> = models.iter().map(|&(s, _)| (s, 1.0)).collect();
            let bid = self.search_with_weights(&models, &ones, 1.0);
            m = m.max(self.own.setup.utility_of(&self.outcome(&bid)));
        }
        if df > 0.99 {
            1.0 - (1.0 - m) * t.powi(3)
        } else {
            1.0 - (1.0 - m) * t.powf(df)
        }
    }

    /// GENIUS `SearchBid`.
    fn search(
        &self,
        target: f64,
        models: &[(usize, usize)],
        weights: &BTreeMap<usize, f64>,
    ) -> Outcome {
        let sum: f64 = weights.values().sum();
        let normal: BTreeMap<usize, f64> = weights.iter().map(|(&s, &w)| (s, w / sum)).collect();
        let mut w = 0.0;
        while w < 9.999 {
            let bid = self.outcome(&self.search_with_weights(models, &normal, w / (1.0 - w)));
            if self.own.setup.utility_of(&bid) > target {
                return bid;
            }
            w += 0.01;
        }
        self.own.best().outcome.clone()
    }
}

impl Negotiator for RandomDance {
    fn act(&mut self, view: &View<'_>) -> Action {
        let me = self.own.setup.index;
        let sizes: Vec<usize> = self.values.iter().map(Vec::len).collect();
        for m in self.own.unseen(view) {
            if m.actor == me {
                continue;
            }
            self.opponents.entry(m.actor).or_insert_with(|| {
                [
                    PlayerData::new(&sizes, 1.0),
                    PlayerData::new(&sizes, 1.05),
                    PlayerData::new(&sizes, 0.95),
                ]
            });
            if let Action::Offer(o) = &m.action {
                if let Some(b) = self.indices(o) {
                    self.older_bid = Some(b);
                }
            }
            if let Some(b) = &self.older_bid {
                self.older_bids.insert(m.actor, b.clone());
                if let Some(models) = self.opponents.get_mut(&m.actor) {
                    models.iter_mut().for_each(|d| d.add_bid(b));
                }
            }
        }
        let offer = self.own.observe(view);
        let models = self.draw_models();
        // The opponent whose last offer the other models like best.
        let mut best: Option<(f64, usize)> = None;
        for (&seat, bid) in &self.older_bids {
            let mut u = self.mine.utility(bid);
            for &m in models.iter().filter(|m| m.0 != seat) {
                u *= self.model(m).utility(bid);
            }
            if best.is_none_or(|(b, _)| u > b) {
                best = Some((u, seat));
            }
        }
        if let Some((_, seat)) = best {
            self.nash.push_back(seat);
        }
        while self.nash.len() > NASH_COUNT_MAX {
            self.nash.pop_front();
        }
        let weights = self.weights();
        let t = view.time;
        let df = self.own.setup.discount.unwrap_or(1.0);
        let target = self.target(t, df);
        let bid = self.search(target, &models, &weights);
        // GENIUS IsAccept (it moves the clock of its last turn on every call).
        let d = t - self.older_time;
        self.older_time = t;
        let accept = match offer {
            Some(u) => u >= view.reservation && (t + d * ACCEPT_SAFETY > 1.0 || u > target),
            None => false,
        };
        if target < view.reservation {
            return Action::End;
        }
        if accept {
            return Action::Accept;
        }
        Action::Offer(bid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn opponent_models_count_distinct_offers_with_compounding_steps() {
        let mut d = PlayerData::new(&[3, 2], 1.05);
        d.add_bid(&[0, 1]);
        d.add_bid(&[0, 1]); // seen: ignored
        d.add_bid(&[0, 0]);
        // Issue 0: value 0 got 1 + 1.05; issue 1: values 1 and 0 got 1 and 1.05.
        assert!((d.issues[0].scores[0] - 2.05).abs() < 1e-12);
        assert!((d.issues[1].scores[0] - 1.05).abs() < 1e-12);
        assert_eq!(d.issues[1].scores[1], 1.0);
        // Weights: max counts 2.05 and 1.05 over their sum.
        assert!((d.issues[0].weight - 2.05 / 3.1).abs() < 1e-12);
        // Value 0 of issue 1 scores 1.05 / 1.05 · its weight.
        assert!((d.utility(&[0, 0]) - (2.05 / 3.1 + 1.05 / 3.1)).abs() < 1e-12);
    }
}
