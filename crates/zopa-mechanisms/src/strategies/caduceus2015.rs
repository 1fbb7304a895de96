//! Caduceus2015 (Güneş; the 2015 agent the ANAC 2016 winner Caduceus consults), GENIUS
//! `agents/anac/y2016/caduceus/agents/Caduceus/Caduceus.java`; its helper classes
//! (`NashProductCalculator`, `CounterOfferGenerator`, `SaneUtilitySpace`, `Opponent`,
//! `UtilFunctions`) are not in the stored GENIUS source and follow NegoLog's port
//! (`agents/Caduceus2015/*.py`).
//!
//! Before t = 0.83·df it offers its best outcome. After, it computes a "Nash" outcome over its
//! own utility and one model per opponent (each model: per-value and per-issue scores, 1e−10
//! at first; each received offer adds the round value ⌈2t² − 101t + 100⌉ (three decimals) to
//! each offered value, and to an issue's weight when the offered value's name appears in the
//! opponent's previous offer; every model normalised in place, weights to sum 1 and each
//! issue's values to sum 1), then the counter-offer: from its best outcome's point (per issue
//! weight × value evaluation, normalised to sum 10) a step of length t toward the Nash point,
//! and the outcome nearest that point. A bid worth (discounted) less than max(0.75, rv) is
//! replaced by a random outcome worth at least that; it accepts when the last offer is worth
//! (discounted) more than its bid + 0.2.
//!
//! Fidelity: faithful to GENIUS's `Caduceus.java` and NegoLog's helpers, quirks included: the
//! Nash product is accumulated across outcomes (never reset), so the Nash outcome is the first
//! outcome, best first, with a positive product — its best; NegoLog's distance and norm read
//! the last coordinate only, and its `equals` is one-sided. With these the counter-offer is its
//! best outcome as long as its best is worth at least 0.75 (computed, not assumed: the scans
//! stop where nothing later can win). Adaptations: outcomes are scanned in zopa's bidding order
//! (NegoLog: its sorted list; ties ordered differently), at most
//! [`crate::strategies::OUTCOME_LIMIT`] of them; a utility that is not additive has no weights,
//! and its points use equal weights and the utility of its best outcome with that value.

use std::collections::BTreeMap;

use zopa_core::Value;

use crate::bidding::Span;
use crate::outcomes::candidate_values;
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::{Own, OUTCOME_LIMIT};

/// GENIUS/NegoLog `SaneUtilitySpace`: issue weights and per-value scores.
#[derive(Debug, Clone)]
struct Sane {
    weights: Vec<f64>,
    values: Vec<Vec<f64>>,
}

impl Sane {
    fn normalize(&mut self) {
        let total: f64 = self.weights.iter().sum();
        for (w, vs) in self.weights.iter_mut().zip(&mut self.values) {
            *w /= total;
            let sum: f64 = vs.iter().sum();
            vs.iter_mut().for_each(|v| *v /= sum);
        }
    }

    fn utility(&self, bid: &[usize]) -> f64 {
        bid.iter()
            .enumerate()
            .map(|(i, &k)| self.weights[i] * self.values[i][k])
            .sum()
    }
}

/// An opponent: its model and its last offer.
struct Opponent {
    model: Sane,
    last: Option<Outcome>,
}

pub struct Caduceus2015 {
    own: Own,
    values: Vec<Vec<Value>>,
    /// Its own weights and value evaluations (the preference the points are drawn from).
    preference: Sane,
    /// Its own sane space (a copy of `preference`, normalised in place by every Nash search).
    mine: Sane,
    opponents: BTreeMap<usize, Opponent>,
    /// The last offer another party made (GENIUS `previousBid`).
    previous: Option<Outcome>,
    self_reservation: f64,
}

/// GENIUS `getRoundValue`: 2t² − 101t + 100, rounded up to three decimals.
pub(crate) fn round_value(t: f64) -> f64 {
    ((2.0 * t * t - 101.0 * t + 100.0) * 1000.0).ceil() / 1000.0
}

/// NegoLog `getEuclideanDistance`: the distance on the last coordinate.
fn distance(a: &[f64], b: &[f64]) -> f64 {
    match (a.last(), b.last()) {
        (Some(x), Some(y)) => ((x - y) * (x - y)).sqrt(),
        _ => 0.0,
    }
}

/// NegoLog `equals`: no coordinate of `a` exceeds `b`'s by more than `precision`.
fn close(a: &[f64], b: &[f64], precision: f64) -> bool {
    a.iter().zip(b).all(|(x, y)| x - y <= precision)
}

impl Caduceus2015 {
    pub fn new(setup: &Setup) -> Caduceus2015 {
        let own = Own::new(setup);
        let values: Vec<Vec<Value>> = setup.issues.iter().map(candidate_values).collect();
        let n = values.len();
        let preference = match setup.utility.as_additive() {
            Some(a) if a.weights.len() == n => Sane {
                weights: a.weights.clone(),
                values: values
                    .iter()
                    .zip(&a.evaluators)
                    .map(|(vs, e)| vs.iter().map(|&v| e.eval(v)).collect())
                    .collect(),
            },
            _ => {
                let best = own.best().outcome.clone();
                Sane {
                    weights: vec![1.0 / n.max(1) as f64; n],
                    values: values
                        .iter()
                        .enumerate()
                        .map(|(i, vs)| {
                            vs.iter()
                                .map(|&v| {
                                    let mut b = best.clone();
                                    b[i] = v;
                                    setup.utility_of(&b)
                                })
                                .collect()
                        })
                        .collect(),
                }
            }
        };
        Caduceus2015 {
            own,
            values,
            mine: preference.clone(),
            preference,
            opponents: BTreeMap::new(),
            previous: None,
            self_reservation: setup.reservation.max(0.75),
        }
    }

    fn indices(&self, outcome: &[Value]) -> Option<Vec<usize>> {
        outcome
            .iter()
            .enumerate()
            .map(|(i, v)| self.values[i].iter().position(|x| x == v))
            .collect()
    }

    /// GENIUS `receiveMessage` for an offer by `seat` at time `t`.
    fn receive(&mut self, seat: usize, bid: &Outcome, t: f64) {
        let n = self.values.len();
        let sizes: Vec<usize> = self.values.iter().map(Vec::len).collect();
        let issues = std::sync::Arc::clone(&self.own.setup.issues);
        let Some(ks) = self.indices(bid) else { return };
        let opponent = self.opponents.entry(seat).or_insert_with(|| Opponent {
            model: Sane {
                weights: vec![1e-10; n],
                values: sizes.iter().map(|&m| vec![1e-10; m]).collect(),
            },
            last: None,
        });
        let step = round_value(t);
        for (i, &k) in ks.iter().enumerate() {
            opponent.model.values[i][k] += step;
            if let Some(prev) = &opponent.last {
                let name = issues[i].display(bid[i]);
                for (j, &pv) in prev.iter().enumerate() {
                    if issues[j].display(pv).eq_ignore_ascii_case(&name) {
                        opponent.model.weights[i] += step;
                    }
                }
            }
        }
        opponent.last = Some(bid.clone());
        self.previous = Some(bid.clone());
    }

    /// The point of an outcome: per issue weight × evaluation, normalised to sum 10.
    fn point(&self, bid: &[usize]) -> Vec<f64> {
        let raw: Vec<f64> = bid
            .iter()
            .enumerate()
            .map(|(i, &k)| self.preference.weights[i] * self.preference.values[i][k])
            .collect();
        let sum: f64 = raw.iter().sum();
        raw.iter().map(|x| x / sum * 10.0).collect()
    }

    /// NegoLog `NashProductCalculator.calculate`: the running product over the outcomes,
    /// best first; the outcome where it first exceeds its best so far.
    fn nash(&mut self) -> Option<Outcome> {
        self.mine.normalize();
        for o in self.opponents.values_mut() {
            o.model.normalize();
        }
        let mut product = 1.0;
        let mut best = 0.0;
        let mut nash = None;
        for b in self.own.bids.iter(&Span::all()).take(OUTCOME_LIMIT) {
            let Some(ks) = self.indices(&b.outcome) else {
                continue;
            };
            product *= self.mine.utility(&ks);
            for o in self.opponents.values() {
                product *= o.model.utility(&ks);
            }
            if product > best {
                best = product;
                nash = Some(b.outcome);
            }
            // Every factor is at most 1: once positive (or 0, or NaN) the product never
            // exceeds its best again.
            if product.is_nan() || product == 0.0 || nash.is_some() {
                break;
            }
        }
        nash
    }

    /// NegoLog `CounterOfferGenerator.generateBid(t)` from `nash`.
    fn counter_offer(&self, nash: &Outcome, t: f64) -> Outcome {
        let best = self.own.best().outcome.clone();
        let (Some(best_ks), Some(nash_ks)) = (self.indices(&best), self.indices(nash)) else {
            return best;
        };
        let max_point = self.point(&best_ks);
        let nash_point = self.point(&nash_ks);
        let diff: Vec<f64> = nash_point
            .iter()
            .zip(&max_point)
            .map(|(n, m)| n - m)
            .collect();
        let norm = diff.last().map_or(0.0, |x| (x * x).sqrt());
        let unit: Vec<f64> = if norm == 0.0 {
            diff.iter().map(|x| x * 0.0).collect()
        } else {
            diff.iter().map(|x| x / norm).collect()
        };
        let target: Vec<f64> = max_point
            .iter()
            .zip(&unit)
            .map(|(m, u)| m + u * t)
            .collect();
        let mut chosen: Option<(f64, Outcome)> = None;
        for b in self.own.bids.iter(&Span::all()).take(OUTCOME_LIMIT) {
            let Some(ks) = self.indices(&b.outcome) else {
                continue;
            };
            let p = self.point(&ks);
            let d = distance(&target, &p);
            match &chosen {
                None => chosen = Some((d, b.outcome)),
                Some((min, _)) => {
                    if !close(&p, &max_point, 0.1) && d < *min {
                        chosen = Some((d, b.outcome));
                    }
                }
            }
            // Distances are ≥ 0 and must fall strictly: nothing beats 0.
            if chosen.as_ref().is_some_and(|(min, _)| *min == 0.0) {
                break;
            }
        }
        chosen.map_or(best, |(_, o)| o)
    }
}

impl Negotiator for Caduceus2015 {
    fn act(&mut self, view: &View<'_>) -> Action {
        let me = self.own.setup.index;
        for m in self.own.unseen(view) {
            if let (Action::Offer(o), true) = (&m.action, m.actor != me) {
                self.receive(m.actor, o, m.time);
            }
        }
        let offer = self.own.observe(view);
        let t = view.time;
        let df = self.own.setup.discount.unwrap_or(1.0);
        if t < 0.83 * df {
            return Action::Offer(self.own.best().outcome.clone());
        }
        let discounted = |u: f64| u * df.powf(t);
        let nash = self
            .nash()
            .unwrap_or_else(|| self.own.best().outcome.clone());
        let mut bid = self.counter_offer(&nash, t);
        if discounted(self.own.setup.utility_of(&bid)) < self.self_reservation {
            let span = self.own.at_least(self.self_reservation);
            let own = &mut self.own;
            if let Some(b) = own.bids.random(&span, &mut own.rng) {
                bid = b.outcome;
            }
        }
        let bid_u = discounted(self.own.setup.utility_of(&bid));
        if let (Some(u), Some(_)) = (offer, &self.previous) {
            if u >= view.reservation && discounted(u) > bid_u + 0.2 {
                return Action::Accept;
            }
        }
        Action::Offer(bid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_round_value_falls_from_100_and_rounds_up() {
        assert_eq!(round_value(0.0), 100.0);
        // 2·0.25 − 50.5 + 100 = 50.
        assert_eq!(round_value(0.5), 50.0);
        // 2·0.0001 − 1.01 + 100 = 98.9902 → 98.991.
        assert_eq!(round_value(0.01), 98.991);
    }

    #[test]
    fn offers_its_best_before_the_portfolio_time_and_its_nash_step_after() {
        let setup = crate::strategies::test_setup(&[3, 3], 0.0, 100);
        let mut c = Caduceus2015::new(&setup);
        let best = c.own.best().outcome.clone();
        let history = vec![crate::session::Move {
            round: 0,
            time: 0.0,
            actor: 1,
            action: Action::Offer(vec![Value::Discrete(0), Value::Discrete(0)]),
        }];
        let h = history;
        let v = View {
            round: 50,
            time: 0.5,
            history: &h,
            offset: 0,
            reservation: 0.0,
        };
        assert_eq!(c.act(&v), Action::Offer(best.clone()));
        // The opponent's model learned its offer: value 0 of both issues.
        let model = &c.opponents[&1].model;
        assert!(model.values[0][0] > 99.0 && model.values[0][1] < 1e-9);
        // After 0.83: the Nash outcome is its best (the product's quirk), so is the step.
        let v = View {
            round: 90,
            time: 0.9,
            history: &h,
            offset: 0,
            reservation: 0.0,
        };
        assert_eq!(c.act(&v), Action::Offer(best));
    }
}
