//! AgentGG (Shaobo Xu; ANAC 2019 winner, individual utility), NegoLog `agents/AgentGG/`
//! (`AgentGG.py`, `ImpMap.py`), after GENIUS `agents/anac/y2019/agentgg/AgentGG.java`.
//!
//! AgentGG reasons in *importance*, not utility: each value's importance is the mean rank
//! weight of the outcomes holding it (its own ranking, worst = 1 … best = n, the 2019
//! answer to preference uncertainty), an outcome's importance the sum over its values, and
//! ratios are normalised between the least and the most important outcome. The opponent's
//! importance map counts the values it offered before t = 0.3.
//!
//! * Thresholds (lower ratio; the upper is lower + 0.1) by time: 0.9999 before 0.01, 0.99
//!   before 0.02, 0.99 − 0.5(t − 0.02) before 0.2, then piecewise-linear runs toward the
//!   estimated Nash ratio N = (1 − m)/1.7 + m (m: the best ratio the opponent offered in its
//!   first 0.003 of time), floored at rv + 0.3, rv + 0.25 and finally rv + 0.2.
//! * Accepts an offer whose ratio reaches the last lower threshold, or past t = 0.9989 one
//!   above rv + 0.2.
//! * Bids: before t = 0.2 a uniformly random outcome in the ratio band; later, of 2·n draws
//!   from the band (n its size) the one the opponent's map rates highest (three tries), else a
//!   random outcome above the lower ratio, else NegoLog's random bid above it by utility.
//!
//! Fidelity: adapted. (1) The importance of each value is exact (every outcome ranked) on
//! listed orders; on searched (large additive) ones it is the mean rank weight of 16 seeded
//! random outcomes per value ([`super::value_ranks`]). Ties in the ranking are in zopa's
//! order, not NegoLog's. (2) The band is a span of an importance order ([`Bidding`] over the
//! additive importance), never a list; above 500 outcomes in the band, the 2·n draws are
//! replaced by their limit, the band's outcome the opponent's map rates highest. (3) Issues
//! that are not discrete have no value table: there the ratio is the normalised own utility.
//! (4) The Nash estimate follows GENIUS (it starts timing at the first offer received);
//! NegoLog's port never starts the clock (an `elif` for GENIUS's `else`), so N stays 0 there:
//! the `negolog` flag reproduces that. (5) It never accepts below its reservation value.

use std::collections::HashMap;

use zopa_core::{AdditiveUtility, Evaluator, IssueKind, UtilityFunction, Value};

use crate::bidding::{Bidding, Span};
use crate::opponent::{key, OpponentModel};
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

/// Largest band drawn from 2·n times, as NegoLog does; larger bands take the draws' limit.
const DRAW_LIMIT: u128 = 500;

/// What AgentGG's ratios are measured in.
enum Scale {
    /// Its importance map (discrete issues): per-issue terms, the least and most important
    /// sums, and the order of outcomes by normalised importance.
    Importance {
        terms: Vec<Vec<f64>>,
        min: f64,
        max: f64,
        order: Box<Bidding>,
    },
    /// Normalised own utility (an issue without a value table).
    Utility,
}

/// The opponent's importance map: how often each value was offered (GENIUS `ImpMap`'s
/// `opponent_update`).
#[derive(Debug, Clone)]
pub struct OpponentImpMap {
    counts: Vec<HashMap<u64, f64>>,
    updates: usize,
}

impl OpponentImpMap {
    pub fn new(issues: usize) -> OpponentImpMap {
        OpponentImpMap {
            counts: vec![HashMap::new(); issues],
            updates: 0,
        }
    }

    /// The raw importance: the sum of the counts of the outcome's values.
    pub fn importance(&self, outcome: &[Value]) -> f64 {
        outcome
            .iter()
            .zip(&self.counts)
            .map(|(&v, c)| c.get(&key(v)).copied().unwrap_or(0.0))
            .sum()
    }

    fn scale(&self) -> f64 {
        (self.updates * self.counts.len()).max(1) as f64
    }
}

impl OpponentModel for OpponentImpMap {
    fn name(&self) -> &'static str {
        "agentgg-impmap"
    }

    fn update(&mut self, bid: &[Value], _time: f64) {
        for (c, &v) in self.counts.iter_mut().zip(bid) {
            *c.entry(key(v)).or_insert(0.0) += 1.0;
        }
        self.updates += 1;
    }

    fn utility(&self, outcome: &[Value]) -> f64 {
        self.importance(outcome) / self.scale()
    }

    fn estimate(&self, values: &[Vec<Value>]) -> Option<zopa_core::bidding::Estimate> {
        Some(crate::bidding::estimate(
            values,
            |i, v| self.counts[i].get(&key(v)).copied().unwrap_or(0.0),
            self.scale(),
        ))
    }
}

pub struct AgentGG {
    own: Own,
    negolog: bool,
    scale: Scale,
    opponent: OpponentImpMap,
    lower: f64,
    higher: f64,
    offer_randomly: bool,
    nash_got: bool,
    initial_pass: bool,
    start: f64,
    max_offered: f64,
    nash: f64,
    received: Option<Outcome>,
    last_received: Option<Outcome>,
}

impl AgentGG {
    pub fn new(negolog: bool, setup: &Setup) -> AgentGG {
        let own = Own::new(setup);
        let scale = Self::importance(&own);
        AgentGG {
            own,
            negolog,
            scale,
            opponent: OpponentImpMap::new(setup.issues.len()),
            lower: 1.0,
            higher: 1.1,
            offer_randomly: true,
            nash_got: false,
            initial_pass: false,
            start: 0.0,
            max_offered: 0.0,
            nash: 0.0,
            received: None,
            last_received: None,
        }
    }

    /// Its own importance map (GENIUS `ImpMap.self_update` over its ranking).
    fn importance(own: &Own) -> Scale {
        let issues = &own.setup.issues;
        let discrete = issues
            .iter()
            .all(|i| matches!(&i.kind, IssueKind::Discrete { values, .. } if !values.is_empty()));
        if !discrete {
            return Scale::Utility;
        }
        let ranks = super::value_ranks::ValueRanks::new(own);
        let terms: Vec<Vec<f64>> = ranks
            .mean
            .iter()
            .map(|m| m.iter().map(|x| x.unwrap_or(0.0)).collect())
            .collect();
        let lows: Vec<f64> = terms
            .iter()
            .map(|t| t.iter().copied().fold(f64::INFINITY, f64::min))
            .collect();
        let highs: Vec<f64> = terms
            .iter()
            .map(|t| t.iter().copied().fold(f64::NEG_INFINITY, f64::max))
            .collect();
        let (min, max): (f64, f64) = (lows.iter().sum(), highs.iter().sum());
        let span = (max - min).max(f64::MIN_POSITIVE);
        // Normalised importance as an additive utility: its order answers the band questions.
        let utility = UtilityFunction::Additive(AdditiveUtility {
            weights: lows
                .iter()
                .zip(&highs)
                .map(|(l, h)| (h - l) / span)
                .collect(),
            evaluators: terms
                .iter()
                .zip(lows.iter().zip(&highs))
                .map(|(t, (l, h))| {
                    Evaluator::Table(
                        t.iter()
                            .map(|x| if h > l { (x - l) / (h - l) } else { 0.0 })
                            .collect(),
                    )
                })
                .collect(),
            cap_at_one: false,
        });
        let order = Bidding::new(
            issues,
            &utility,
            super::OUTCOME_LIMIT,
            &mut crate::rng(own.setup.seed, 2),
        );
        Scale::Importance {
            terms,
            min,
            max,
            order: Box::new(order),
        }
    }

    /// The normalised importance (ratio) of `outcome` for itself.
    fn ratio(&self, outcome: &[Value]) -> f64 {
        match &self.scale {
            Scale::Importance {
                terms, min, max, ..
            } => {
                let imp: f64 = outcome
                    .iter()
                    .zip(terms)
                    .map(|(v, t)| match v {
                        Value::Discrete(k) => t.get(*k as usize).copied().unwrap_or(0.0),
                        _ => 0.0,
                    })
                    .sum();
                if max > min {
                    (imp - min) / (max - min)
                } else {
                    1.0
                }
            }
            Scale::Utility => {
                let (best, worst) = (self.own.best().utility, self.own.worst().utility);
                let u = self.own.setup.utility_of(outcome);
                if best > worst {
                    (u - worst) / (best - worst)
                } else {
                    1.0
                }
            }
        }
    }

    /// The order ratios are read in.
    fn order(&self) -> &Bidding {
        match &self.scale {
            Scale::Importance { order, .. } => order,
            Scale::Utility => &self.own.bids,
        }
    }

    /// A ratio as a point of [`AgentGG::order`].
    fn point(&self, r: f64) -> f64 {
        match &self.scale {
            Scale::Importance { .. } => r,
            Scale::Utility => {
                let (best, worst) = (self.own.best().utility, self.own.worst().utility);
                worst + r * (best - worst)
            }
        }
    }

    /// GENIUS `getThreshold`: the lower ratio at `t` for Nash estimate `nash` and reservation
    /// value `rv`, and whether random bidding ends (t in [0.2, 0.5)).
    pub(crate) fn threshold(t: f64, nash: f64, rv: f64) -> (f64, bool) {
        let at = |share: f64| share * (1.0 - nash) + nash;
        if t < 0.01 {
            (0.9999, false)
        } else if t < 0.02 {
            (0.99, false)
        } else if t < 0.2 {
            (0.99 - 0.5 * (t - 0.02), false)
        } else if t < 0.5 {
            let p2 = at(0.3);
            (0.9 - (0.9 - p2) / (0.5 - 0.2) * (t - 0.2), true)
        } else if t < 0.9 {
            let (p1, p2) = (at(0.15), at(0.05));
            (
                (p1 - (p1 - p2) / (0.98 - 0.9) * (t - 0.9)).max(rv + 0.3),
                false,
            )
        } else if t < 0.995 {
            let (p1, p2) = (at(0.05), at(0.0));
            (
                (p1 - (p1 - p2) / (0.995 - 0.98) * (t - 0.98)).max(rv + 0.25),
                false,
            )
        } else if t < 0.999 {
            let (p1, p2) = (at(0.0), at(-0.35));
            (
                (p1 - (p1 - p2) / (0.9989 - 0.995) * (t - 0.995)).max(rv + 0.25),
                false,
            )
        } else {
            (at(-0.4).max(rv + 0.2), false)
        }
    }

    /// GENIUS `getMaxOppoBidImpForMe`: the best ratio offered in the first 0.003 of time
    /// after the first offer gives the Nash estimate.
    fn watch_opponent(&mut self, t: f64, ratio: f64) {
        self.max_offered = self.max_offered.max(ratio);
        if self.initial_pass {
            if t - self.start > 3.0 / 1000.0 {
                self.nash = (1.0 - self.max_offered) / 1.7 + self.max_offered;
                self.nash_got = true;
            }
        } else if !self.negolog && self.last_received != self.received {
            self.initial_pass = true;
            self.start = t;
        }
    }

    /// GENIUS `getNeededRandomBid`.
    fn needed_random_bid(&mut self, lower: f64, upper: f64, view: &View<'_>) -> Outcome {
        let band = Span::between(self.point(lower), self.point(upper));
        let above = Span::at_least(self.point(lower));
        let order: &Bidding = match &self.scale {
            Scale::Importance { order, .. } => order,
            Scale::Utility => &self.own.bids,
        };
        let rng = &mut self.own.rng;
        let n = order.count(&band);
        if n > 0 {
            if self.offer_randomly {
                if let Some(b) = order.random(&band, rng) {
                    return b.outcome;
                }
            } else if n <= DRAW_LIMIT {
                for _ in 0..3 {
                    let mut best: Option<(f64, Outcome)> = None;
                    for _ in 0..2 * n {
                        let Some(b) = order.random(&band, rng) else {
                            break;
                        };
                        let imp = self.opponent.importance(&b.outcome);
                        if imp > best.as_ref().map_or(0.0, |x| x.0) {
                            best = Some((imp, b.outcome));
                        }
                    }
                    if let Some((_, o)) = best {
                        return o;
                    }
                }
            } else if let Some(b) = order.best_for(&band, &self.opponent) {
                if self.opponent.importance(&b.outcome) > 0.0 {
                    return b.outcome;
                }
            }
        }
        // Random above the lower ratio, else NegoLog's random bid above it by utility.
        if let Some(b) = order.random(&above, rng) {
            return b.outcome;
        }
        let low = self.lower.max(view.reservation).max(0.0);
        let high = 1.0f64;
        let (low, high) = if low > high { (high, low) } else { (low, high) };
        let x: f64 = rand::RngExt::random(&mut self.own.rng);
        self.own.bids.negolog_bid_at(x * (high - low) + low).outcome
    }
}

impl Negotiator for AgentGG {
    fn act(&mut self, view: &View<'_>) -> Action {
        let offer = self.own.observe(view);
        if let Some(o) = self.own.received_bids.last() {
            self.received = Some(o.clone());
        }
        let Some(received) = self.received.clone() else {
            return Action::Offer(self.order().best().outcome);
        };
        let t = view.time;
        let rv = view.reservation;
        let ratio = self.ratio(&received);
        let rational = offer.is_some_and(|u| u >= rv);
        if rational && ratio >= self.lower {
            return Action::Accept;
        }
        if !self.nash_got {
            self.watch_opponent(t, ratio);
        }
        if t < 0.3 && offer.is_some() {
            self.opponent.update(&received, t);
        }
        let (lower, ends_random) = Self::threshold(t, self.nash, rv);
        self.lower = lower;
        self.higher = lower + 0.1;
        if ends_random {
            self.offer_randomly = false;
        }
        if t >= 0.9989 && rational && ratio > rv + 0.2 {
            return Action::Accept;
        }
        let bid = self.needed_random_bid(self.lower, self.higher, view);
        self.last_received = Some(received);
        Action::Offer(bid)
    }

    fn opponent_model(&self) -> Option<&dyn OpponentModel> {
        Some(&self.opponent)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::session::Setup;

    /// `name` (a registered spec) in seat 0 against `boulware` on GENIUS's job domain over
    /// `rounds` rounds.
    pub(crate) fn against_boulware(name: &str, rounds: u32) -> crate::RunResult {
        let path = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("../../scenarios/examples/genius-job");
        let scenario = zopa_formats::load(&path, &zopa_formats::ReadOptions::genius()).unwrap();
        let spec = crate::RunSpec {
            protocol: crate::Protocol::Sao,
            negotiators: vec![
                crate::Spec::parse(name).unwrap(),
                crate::Spec::parse("boulware").unwrap(),
            ],
            deadline: crate::Deadline::rounds(rounds),
            seed: 5,
            record_trace: true,
            ..Default::default()
        };
        let r = crate::run(&scenario, &spec).unwrap();
        assert!(!matches!(r.end, crate::End::Error(_)), "{:?}", r.end);
        r
    }

    /// NegoLog's set (this group).
    const GROUP: [&str; 9] = [
        "agentgg",
        "agentgg:negolog=true",
        "ponpokoagent",
        "agentkn",
        "saga",
        "hybridagent",
        "luckyagent2022",
        "ahbuneagent",
        "ahbuneagent:negolog=true",
    ];

    /// `name` (seat 0) against `boulware` (seat 1), turn by turn for `rounds` rounds on the
    /// clock t = round/rounds: no panic, every offer complete, never an accept below rv.
    fn drive(name: &str, a: &Setup, b: &Setup, rounds: u32) {
        use crate::registry::{resolve, Kind, Spec};
        use crate::session::Move;
        let resolved = [name, "boulware"]
            .map(|n| resolve(&Spec::parse(n).unwrap(), Kind::Negotiator).unwrap());
        let mut seats = [resolved[0].negotiator(a), resolved[1].negotiator(b)];
        let mut history: Vec<Move> = Vec::new();
        for round in 0..rounds {
            for (k, seat) in seats.iter_mut().enumerate() {
                let time = f64::from(round) / f64::from(rounds);
                let own = [a, b][k];
                let view = View {
                    round,
                    time,
                    history: &history,
                    offset: 0,
                    reservation: own.reservation,
                };
                match seat.act(&view) {
                    Action::Offer(o) => {
                        assert_eq!(o.len(), own.issues.len(), "{name}");
                        history.push(Move {
                            round,
                            time,
                            actor: k,
                            action: Action::Offer(o),
                        });
                    }
                    Action::Accept => {
                        if let Some((_, o)) = view.last_offer() {
                            let u = own.utility_of(o);
                            assert!(u >= own.reservation, "{name}: accepted {u} below rv");
                        }
                        return;
                    }
                    Action::End => return,
                }
            }
        }
    }
    fn seated(mut s: Setup, index: usize) -> Setup {
        s.index = index;
        s
    }

    #[test]
    fn every_port_of_the_group_survives_odd_spaces() {
        let [single, real, nonlinear] = crate::strategies::odd_spaces();
        // 10^10 additive outcomes (never listed), a high reservation value.
        let big = crate::strategies::test_setup(&[10; 10], 0.8, 12);
        for name in GROUP {
            for (s, rounds) in [(&single, 12), (&real, 30), (&big, 12), (&nonlinear, 12)] {
                drive(name, &seated(s.clone(), 0), &seated(s.clone(), 1), rounds);
            }
        }
    }

    #[test]
    fn thresholds_run_from_near_one_to_the_nash_estimate() {
        assert_eq!(AgentGG::threshold(0.0, 0.5, 0.0), (0.9999, false));
        assert!((AgentGG::threshold(0.1, 0.5, 0.0).0 - 0.95).abs() < 1e-12);
        // [0.2, 0.5): from 0.9 toward 0.3(1 − N) + N, and random bidding ends.
        let (l, ends) = AgentGG::threshold(0.35, 0.5, 0.0);
        assert!((l - (0.9 - (0.9 - 0.65) / 0.3 * 0.15)).abs() < 1e-12 && ends);
        // t = 0.5: p1 − (p1 − p2)/0.08·(0.5 − 0.9) with p1 = 0.575, p2 = 0.525.
        assert!((AgentGG::threshold(0.5, 0.5, 0.0).0 - 0.825).abs() < 1e-12);
        // … floored at rv + 0.3.
        assert!((AgentGG::threshold(0.5, 0.5, 0.6).0 - 0.9).abs() < 1e-12);
        // t = 1: −0.4(1 − N) + N, floored at rv + 0.2.
        assert!((AgentGG::threshold(1.0, 0.5, 0.0).0 - 0.3).abs() < 1e-12);
        assert!((AgentGG::threshold(1.0, 0.5, 0.2).0 - 0.4).abs() < 1e-12);
    }

    #[test]
    fn importance_ranks_values_of_a_small_space_by_mean_rank() {
        // Two issues of three values worth 0, ½, 1 (equal weights): value 2 holds the best
        // outcomes, so its importance is highest; the best outcome has ratio 1, the worst 0.
        let gg = AgentGG::new(false, &crate::strategies::test_setup(&[3, 3], 0.0, 10));
        let d = Value::Discrete;
        assert!((gg.ratio(&[d(2), d(2)]) - 1.0).abs() < 1e-12);
        assert!(gg.ratio(&[d(0), d(0)]).abs() < 1e-12);
        assert!(gg.ratio(&[d(2), d(0)]) > gg.ratio(&[d(1), d(0)]));
        assert_eq!(gg.order().best().outcome, vec![d(2), d(2)]);
    }

    #[test]
    fn a_large_space_is_sampled_and_still_ordered() {
        let gg = AgentGG::new(false, &crate::strategies::test_setup(&[20; 6], 0.0, 10));
        let d = Value::Discrete;
        assert!(gg.ratio(&[d(19); 6]) > 0.95);
        assert!(gg.ratio(&[d(0); 6]) < 0.05);
    }

    #[test]
    fn the_opponent_map_counts_offered_values() {
        let mut m = OpponentImpMap::new(2);
        let d = Value::Discrete;
        m.update(&[d(0), d(1)], 0.0);
        m.update(&[d(0), d(2)], 0.1);
        assert_eq!(m.importance(&[d(0), d(1)]), 3.0);
        assert_eq!(m.importance(&[d(1), d(0)]), 0.0);
    }

    #[test]
    fn it_ends_against_boulware() {
        for name in ["agentgg", "agentgg:negolog=true"] {
            let r = against_boulware(name, 60);
            assert!(r.rounds <= 60);
        }
    }
}
