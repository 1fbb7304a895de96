//! ValueModelAgent (ANAC 2011 finalist), GENIUS `agents/anac/y2011/ValueModelAgent/`
//! (`ValueModelAgent`, `ValueModeler`, `IssuesDecreases`, `ValueDecrease`,
//! `RealValuedecreaseProxy`, `OpponentModeler`, `ValueSeperatedBids`, `BidList`,
//! `BidWrapper`); negmas-genius-agents ports it as `anac/y2011/value_model_agent.py`.
//!
//! It models how much each of the opponent's values costs the opponent (a decrease from its
//! best, with a reliability and a deviation per value, learnt by temporal differences from
//! the concession it assumes in each new offer). It approves its outcomes down to a threshold
//! (0.98 of its best at first) and bids, of the approved ones it has not yet offered, the one
//! the model says the opponent likes best — every fifth bid the best of the approved outcomes
//! holding the value it offered least recently. From its fifth bid the threshold follows the
//! opponent's concession (the lesser of its offers' rise and the model's estimate), paced by
//! 20 segments of time and never below 0.7 or the opponent's best offer. Near the end it plays
//! "chicken": at t = 0.9, 0.96 and 0.99 it concedes 0, 50 and 80 % of the gap to the
//! opponent's best offer (no lower than 0.7, 0.65, 0.6), accepting within 0.01 of that or
//! offering the opponent's best back; after 0.995 it accepts 99 % of the opponent's best
//! offer or offers it back. It accepts an offer above its threshold (undiscounted: also above
//! 0.975), and raises its threshold when offers come within 1 % of it.
//!
//! Fidelity: adapted. Its outcome list is the bidding order, of which it keeps the approved
//! stretch (at most 50,000 outcomes; GENIUS lists every outcome); its chicken game cannot
//! wait for the clock as GENIUS does (`sleep` until a share of time is left): zopa's time
//! moves only with the rounds, so it acts at once. Quirks kept: `1/2` and `1/4` divide
//! integers (any positive reliability counts as above a half), its first four bids offer its
//! best while marking others as offered. One seeded stream serves GENIUS's two; it never
//! accepts below its reservation value.

use std::collections::HashMap;

use rand::RngExt;
use zopa_core::{IssueKind, Value};

use crate::bidding::{Cut, Span};
use crate::opponent::outcome_key;
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

/// Most approved outcomes it keeps.
const APPROVED_LIMIT: usize = 50_000;
const GAMMA: f64 = 0.1;

/// `ValueDecrease`: the opponent's utility loss for a value.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Decrease {
    pub decrease: f64,
    pub reliability: f64,
    pub deviation: f64,
}

impl Decrease {
    fn new(decrease: f64, reliability: f64, deviation: f64) -> Decrease {
        Decrease {
            decrease,
            reliability,
            deviation,
        }
    }

    /// `updateWithNewValue`.
    pub(crate) fn update(&mut self, value: f64, reliability: f64) {
        if self.reliability != 0.02 {
            let mut new_chunk = reliability * (1.0 - self.reliability);
            let temporal = self.reliability * GAMMA * reliability;
            new_chunk += temporal;
            let old_chunk = self.reliability - temporal;
            let sum = new_chunk + old_chunk;
            let decrease = (new_chunk * value + old_chunk * self.decrease) / sum;
            let change = (decrease - self.decrease).abs();
            let sq = |x: f64| x * x;
            let dev = ((old_chunk / 2.0 * sq(self.deviation + change)
                + old_chunk / 2.0 * sq(self.deviation - change)
                + new_chunk * sq(value - decrease))
                / sum)
                .sqrt();
            let temp = 1.0 - change / (2.0 * dev);
            self.reliability = old_chunk * temp.max(0.2);
            let temp = 1.0 - (decrease - value).abs() / (2.0 * dev);
            self.reliability += new_chunk * temp.max(0.0);
            self.decrease = decrease;
            self.deviation = dev;
        } else {
            self.decrease = value;
            self.reliability = reliability;
            self.deviation = 0.03;
        }
    }
}

/// One issue of the model: a decrease per discrete value, or one for the worst end of a
/// numeric range (scaled by how far toward it a value lies).
#[derive(Debug, Clone)]
enum IssueDecreases {
    Discrete(Vec<Decrease>),
    Numeric {
        worst: Decrease,
        low: f64,
        high: f64,
        going_down: bool,
    },
}

fn numeric(v: Value) -> f64 {
    match v {
        Value::Integer(x) => x as f64,
        Value::Real(x) => x,
        Value::Discrete(k) => f64::from(k),
    }
}

impl IssueDecreases {
    /// The value's decrease (a numeric issue's as (decrease, reliability, deviation) scaled).
    fn get(&self, v: Value) -> Decrease {
        match (self, v) {
            (IssueDecreases::Discrete(d), Value::Discrete(k)) => d
                .get(k as usize)
                .copied()
                .unwrap_or(Decrease::new(1.0, 0.01, 1.0)),
            (
                IssueDecreases::Numeric {
                    worst,
                    low,
                    high,
                    going_down,
                },
                _,
            ) => {
                let mut portion = if high > low {
                    (numeric(v) - low) / (high - low)
                } else {
                    0.0
                };
                if !going_down {
                    portion = 1.0 - portion;
                }
                Decrease::new(
                    worst.decrease * portion,
                    worst.reliability,
                    worst.deviation * portion,
                )
            }
            _ => Decrease::new(1.0, 0.01, 1.0),
        }
    }

    fn update(&mut self, v: Value, value: f64, reliability: f64) {
        match (self, v) {
            (IssueDecreases::Discrete(d), Value::Discrete(k)) => {
                if let Some(x) = d.get_mut(k as usize) {
                    x.update(value, reliability);
                }
            }
            (
                IssueDecreases::Numeric {
                    worst,
                    low,
                    high,
                    going_down,
                },
                _,
            ) => {
                let mut portion = if *high > *low {
                    (numeric(v) - *low) / (*high - *low)
                } else {
                    0.0
                };
                if !*going_down {
                    portion = 1.0 - portion;
                }
                if portion > 0.0 {
                    worst.update(value / portion, reliability);
                }
            }
            _ => {}
        }
    }

    fn weight(&self) -> f64 {
        match self {
            IssueDecreases::Discrete(d) => d.iter().map(|x| x.decrease).fold(0.0, f64::max),
            IssueDecreases::Numeric { worst, .. } => worst.decrease.max(0.0),
        }
    }

    /// `normalize(weight())`: the least decrease to 0, the largest kept.
    fn normalize(&mut self) {
        let w = self.weight();
        match self {
            IssueDecreases::Discrete(d) => {
                let min = d.iter().map(|x| x.decrease).fold(1.0, f64::min);
                if w == min {
                    d.iter_mut().for_each(|x| x.decrease = w);
                } else {
                    let ratio = w / (w - min);
                    d.iter_mut()
                        .for_each(|x| x.decrease = (x.decrease - min) * ratio);
                }
            }
            IssueDecreases::Numeric { worst, .. } => worst.decrease = w,
        }
    }
}

/// `ValueModeler`.
#[derive(Debug, Clone)]
pub(crate) struct ValueModel {
    issues: Vec<IssueDecreases>,
}

impl ValueModel {
    fn new(issues: &[zopa_core::Issue], first: &Outcome) -> ValueModel {
        let n = issues.len().max(1) as f64;
        let init = 1.0 / n;
        let issues = issues
            .iter()
            .zip(first)
            .map(|(issue, &v)| match issue.kind {
                IssueKind::Discrete { ref values, .. } => IssueDecreases::Discrete(
                    (0..values.len() as u32)
                        .map(|k| {
                            if Value::Discrete(k) == v {
                                Decrease::new(0.0, 0.9, 0.01)
                            } else {
                                Decrease::new(init, 0.02, init)
                            }
                        })
                        .collect(),
                ),
                IssueKind::Integer { min, max } => IssueDecreases::Numeric {
                    worst: Decrease::new(init, 0.1, init),
                    low: min as f64,
                    high: max as f64,
                    going_down: numeric(v) < (min as f64 + max as f64) / 2.0,
                },
                IssueKind::Real { min, max } => IssueDecreases::Numeric {
                    worst: Decrease::new(init, 0.1, init),
                    low: min,
                    high: max,
                    going_down: numeric(v) < (min + max) / 2.0,
                },
            })
            .collect();
        ValueModel { issues }
    }

    /// `reliabilityToDevUnits`, GENIUS's integer `1/2` and `1/4` kept (both 0).
    fn dev_units(&self, reliability: f64) -> f64 {
        if reliability > 0.0 {
            1.0 / (reliability * reliability) / self.issues.len().max(1) as f64
        } else {
            1000.0
        }
    }

    /// `utilityLoss`.
    pub(crate) fn loss(&self, bid: &[Value]) -> Decrease {
        let values: Vec<Decrease> = self
            .issues
            .iter()
            .zip(bid)
            .map(|(i, &v)| i.get(v))
            .collect();
        let dev = values.iter().map(|x| x.deviation).sum();
        let decrease = values.iter().map(|x| x.decrease).sum();
        let mut sum_sq = 0.0;
        for x in &values {
            let rel = if x.reliability > 0.0 {
                x.reliability
            } else {
                0.01
            };
            sum_sq += (1.0 / rel) * (1.0 / rel);
        }
        sum_sq /= values.len().max(1) as f64;
        Decrease::new(decrease, (1.0 / sum_sq).sqrt(), dev)
    }

    pub(crate) fn their_utility(&self, bid: &[Value]) -> f64 {
        1.0 - self.loss(bid).decrease
    }

    /// `assumeBidWorth`: moves each value's decrease toward the assumed total.
    fn assume(&mut self, bid: &[Value], expected: f64) {
        let values: Vec<Decrease> = self
            .issues
            .iter()
            .zip(bid)
            .map(|(i, &v)| i.get(v))
            .collect();
        let mut unit = 0.0;
        let mut max_reliable: f64 = 0.0;
        for x in &values {
            unit += self.dev_units(x.reliability) * x.deviation;
            if max_reliable < x.decrease && x.reliability > 0.8 {
                max_reliable = x.decrease;
            }
        }
        let orig = self.loss(bid);
        let units = (expected - orig.decrease) / unit;
        for (i, x) in values.iter().enumerate() {
            let new = x.decrease + self.dev_units(x.reliability) * x.deviation * units;
            let new = if x.reliability > 0.7 || max_reliable < new {
                new.max(0.0)
            } else {
                new
            };
            self.issues[i].update(bid[i], new, orig.reliability);
        }
        for issue in &mut self.issues {
            issue.normalize();
        }
    }
}

/// An approved outcome.
#[derive(Debug, Clone)]
struct Wrapper {
    outcome: Outcome,
    ours: f64,
    theirs: f64,
    sent: bool,
}

/// Per discrete value: the approved outcomes holding it and when it was last bid.
#[derive(Debug, Clone, Default)]
struct ValueData {
    approved: Vec<usize>,
    last_bidden: i64,
    changed: bool,
}

pub struct ValueModelAgent {
    own: Own,
    max_u: f64,
    /// The approved stretch of the bidding order (best first), and the approved list in the
    /// model's order.
    listed: Vec<Wrapper>,
    last_listed: Option<crate::bidding::Bid>,
    approved: Vec<usize>,
    separated: Vec<Option<Vec<ValueData>>>,
    model: Option<ValueModel>,
    lowest_acceptable: f64,
    lowest_approved: f64,
    start_util: f64,
    max_opp_util: f64,
    max_opp_bid: Option<Outcome>,
    no_change: u32,
    retreat: bool,
    bid_count: i64,
    /// The opponent's distinct offers, and the last 50 of them.
    their_bids: HashMap<Vec<u64>, ()>,
    their_recent: std::collections::VecDeque<Outcome>,
    their_max: [f64; 21],
    our_min: [f64; 21],
    last_action: Option<Action>,
    my_last: Option<Outcome>,
}

impl ValueModelAgent {
    pub fn new(setup: &Setup) -> ValueModelAgent {
        let own = Own::new(setup);
        let max_u = own.best().utility;
        let separated = setup
            .issues
            .iter()
            .map(|issue| match issue.kind {
                IssueKind::Discrete { ref values, .. } => Some(
                    (0..values.len())
                        .map(|_| ValueData {
                            last_bidden: -1,
                            ..ValueData::default()
                        })
                        .collect(),
                ),
                _ => None,
            })
            .collect();
        let mut a = ValueModelAgent {
            own,
            max_u: if max_u > 0.0 { max_u } else { 1.0 },
            listed: Vec::new(),
            last_listed: None,
            approved: Vec::new(),
            separated,
            model: None,
            lowest_acceptable: 0.7,
            lowest_approved: 1.0,
            start_util: 0.0,
            max_opp_util: 0.0,
            max_opp_bid: None,
            no_change: 0,
            retreat: false,
            bid_count: 0,
            their_bids: HashMap::new(),
            their_recent: std::collections::VecDeque::new(),
            their_max: [0.0; 21],
            our_min: [0.0; 21],
            last_action: None,
            my_last: None,
        };
        a.approve(0.98, false);
        a
    }

    /// `setApprovedThreshold`: approves the outcomes down to `threshold` (from scratch when
    /// `clear`); whether any was added.
    fn approve(&mut self, threshold: f64, clear: bool) -> bool {
        let before = if clear { 0 } else { self.approved.len() };
        if clear {
            self.approved.clear();
            for s in self.separated.iter_mut().flatten() {
                s.iter_mut().for_each(|d| d.approved.clear());
            }
        }
        let want = self
            .own
            .bids
            .count_at_least(threshold * self.max_u)
            .clamp(1, APPROVED_LIMIT as u128) as usize;
        if self.listed.len() < want {
            let span = match &self.last_listed {
                Some(b) => Span {
                    from: Some(Cut::After(b.clone())),
                    to: None,
                },
                None => Span::all(),
            };
            let more: Vec<crate::bidding::Bid> = self
                .own
                .bids
                .iter(&span)
                .take(want - self.listed.len())
                .collect();
            if let Some(last) = more.last() {
                self.last_listed = Some(last.clone());
            }
            for b in more {
                self.listed.push(Wrapper {
                    ours: b.utility / self.max_u,
                    outcome: b.outcome,
                    theirs: 0.0,
                    sent: false,
                });
            }
        }
        // The approved list always holds the first `approved.len()` listed outcomes.
        let mut i = before;
        while i < self.listed.len() && self.listed[i].ours >= threshold {
            self.approved.push(i);
            for (k, s) in self.separated.iter_mut().enumerate() {
                if let (Some(s), Value::Discrete(v)) = (s, self.listed[i].outcome[k]) {
                    if let Some(d) = s.get_mut(v as usize) {
                        d.approved.push(i);
                        d.changed = true;
                    }
                }
            }
            i += 1;
        }
        self.lowest_approved = threshold;
        before != i
    }

    /// Sorts `list` by the model's utility for the opponent, best first (stable).
    fn sort_by_model(&mut self, which: Option<(usize, usize)>) {
        let Some(model) = &self.model else { return };
        let list = match which {
            None => &mut self.approved,
            Some((k, v)) => match &mut self.separated[k] {
                Some(s) => &mut s[v].approved,
                None => return,
            },
        };
        for &i in list.iter() {
            self.listed[i].theirs = model.their_utility(&self.listed[i].outcome);
        }
        let listed = &self.listed;
        list.sort_by(|a, b| listed[*b].theirs.total_cmp(&listed[*a].theirs));
    }

    /// `bidSelected`.
    fn select(&mut self, i: usize) -> Outcome {
        self.listed[i].sent = true;
        let bid = self.listed[i].outcome.clone();
        self.bidden(&bid);
        self.my_last = Some(bid.clone());
        bid
    }

    fn bidden(&mut self, bid: &Outcome) {
        if self.model.is_none() {
            return;
        }
        for (k, s) in self.separated.iter_mut().enumerate() {
            if let (Some(s), Value::Discrete(v)) = (s, bid[k]) {
                if let Some(d) = s.get_mut(v as usize) {
                    d.last_bidden = self.bid_count;
                }
            }
        }
    }

    /// `bestScan`.
    fn best_scan(&mut self) -> Outcome {
        self.sort_by_model(None);
        if let Some(&i) = self.approved.iter().find(|&&i| !self.listed[i].sent) {
            return self.select(i);
        }
        let top = self.approved.len() / 4;
        let k = (self.own.rng.random::<f64>() * top as f64) as usize;
        let i = self.approved.get(k).copied().unwrap_or(0);
        self.select(i)
    }

    /// `exploreScan`: the approved outcomes of the value bid least recently.
    fn explore_scan(&mut self) -> Outcome {
        let round = self.bid_count;
        loop {
            let mut pick: Option<(usize, usize)> = None;
            let mut min_round = round;
            let mut most = 1;
            for (k, s) in self.separated.iter().enumerate() {
                let Some(s) = s else { continue };
                for (v, d) in s.iter().enumerate() {
                    let n = d.approved.len();
                    if n > 0
                        && (d.last_bidden < min_round || (d.last_bidden == min_round && most < n))
                    {
                        min_round = d.last_bidden;
                        most = n;
                        pick = Some((k, v));
                    }
                }
            }
            let Some((k, v)) = pick else {
                return self.best_scan();
            };
            let changed = self.separated[k].as_ref().is_some_and(|s| s[v].changed);
            if changed {
                self.sort_by_model(Some((k, v)));
                if let Some(s) = &mut self.separated[k] {
                    s[v].changed = false;
                }
            }
            if min_round == round {
                return self.best_scan();
            }
            let unsent = self.separated[k].as_ref().and_then(|s| {
                s[v].approved
                    .iter()
                    .copied()
                    .find(|&i| !self.listed[i].sent)
            });
            match unsent {
                Some(i) => return self.select(i),
                None => {
                    if let Some(s) = &mut self.separated[k] {
                        s[v].last_bidden = round;
                    }
                }
            }
        }
    }

    /// `OpponentModeler.guessCurrentBidUtil`.
    fn guess_current(&self, t: f64) -> f64 {
        let s2 = self.their_bids.len();
        if s2 == 0 {
            return 1.0;
        }
        let symmetric = self
            .own
            .bids
            .at_rank(s2 as u128)
            .map_or(0.0, |b| b.utility / self.max_u);
        let (mut sum, mut count) = (0.0, 0.0);
        if let Some(model) = &self.model {
            // GENIUS skips the latest offer and reads up to 48 before it.
            for b in self.their_recent.iter().rev().skip(1).take(48) {
                let loss = model.loss(b);
                if loss.reliability > 0.7 {
                    sum += 1.0 - loss.decrease;
                    count += 1.0;
                }
            }
        }
        let shield = (t * 0.6).max(0.03);
        let mut bound = symmetric;
        if count >= 5.0 && sum / count < bound {
            bound = sum / count;
        }
        bound.max(1.0 - shield)
    }

    /// `minConcessionMaker`.
    fn min_concession(&mut self, min_concession: f64, left: f64, t: f64) -> f64 {
        self.their_max[0] = self.start_util;
        self.our_min[0] = 1.0;
        let tind = ((t * 20.0) as usize + 1).min(20);
        let seg = (t - (tind as f64 - 1.0) * 0.05) / 0.05;
        if self.our_min[tind] == 0.0 {
            self.our_min[tind] = 1.0;
        }
        if self.our_min[tind - 1] == 0.0 {
            self.our_min[tind - 1] = self.lowest_approved;
        }
        if self.lowest_approved < self.our_min[tind] {
            self.our_min[tind] = self.lowest_approved;
        }
        if self.max_opp_util > self.their_max[tind] {
            self.their_max[tind] = self.max_opp_util;
        }
        let default = 1.0 - self.our_min[tind - 1];
        if tind == 1 || tind >= 19 {
            return default;
        }
        if self.our_min[tind - 2] == 0.0 {
            self.our_min[tind - 2] = self.lowest_approved;
        }
        let they_moved = self.their_max[tind] - self.their_max[tind - 2] > 0.01;
        let we_moved = self.our_min[tind - 2] - self.our_min[tind - 1] > 0.0;
        let mut result = default;
        let discounted = self.own.setup.discount.is_some_and(|d| d < 1.0);
        if !discounted {
            if tind > 2 && !we_moved && !they_moved && tind <= 16 {
                result = (default + 0.02).min(min_concession * 2.0 / 3.0);
            }
            if tind > 16 && !they_moved {
                result =
                    ((left - default) / (21 - tind) as f64 + default).min(min_concession + 0.05);
            }
        } else {
            let d = self.own.setup.discount.unwrap_or(1.0);
            let gain = self.their_max[tind - 1] - self.their_max[tind - 2] - d * 0.05;
            if tind <= 16 {
                result = default + 0.02;
                if default - gain > result {
                    result = default - gain;
                }
                if result > min_concession {
                    result = min_concession;
                }
            } else {
                result = (left - default) / (21 - tind) as f64 + default;
            }
        }
        default + (result - default) * seg
    }

    /// `chickenGame`: Some(action) when it accepts or offers the opponent's best back.
    fn chicken(&mut self, portion: f64, acceptable: f64, opp: f64) -> Option<Action> {
        let left = self.lowest_approved - self.max_opp_util;
        let planned = (self.lowest_approved - portion * left).max(acceptable);
        self.approve(planned, false);
        self.sort_by_model(None);
        if opp >= planned - 0.01 {
            return Some(Action::Accept);
        }
        if self.retreat || self.max_opp_util >= planned - 0.01 {
            return self.max_opp_bid.clone().map(Action::Offer);
        }
        None
    }

    fn choose(&mut self, view: &View<'_>) -> Action {
        let t = view.time;
        let offered = self.own.observe(view);
        let mut action: Option<Action> = None;
        if self.bid_count == 0 {
            let bid = self.listed[0].outcome.clone();
            self.select(0);
            action = Some(Action::Offer(bid));
        }
        let (Some(u), Some((_, bid))) = (offered, view.last_offer()) else {
            return action
                .or_else(|| self.last_action.clone())
                .unwrap_or(Action::Offer(self.own.best().outcome.clone()));
        };
        let bid = bid.clone();
        let opp = u / self.max_u;
        // `bidSelectedByOpponent`.
        if self.their_bids.insert(outcome_key(&bid), ()).is_none() {
            self.no_change = 0;
        } else {
            self.no_change += 1;
        }
        self.their_recent.push_back(bid.clone());
        if self.their_recent.len() > 50 {
            self.their_recent.pop_front();
        }
        if self.max_opp_util < opp {
            self.max_opp_util = opp;
            self.max_opp_bid = Some(bid.clone());
        }
        if self.model.is_some() {
            self.bidden(&bid);
        }
        match &mut self.model {
            None => {
                self.start_util = opp;
                self.model = Some(ValueModel::new(&self.own.setup.issues, &bid));
                self.sort_by_model(None);
            }
            Some(_) => {
                if self.no_change == 0 {
                    let expected = self.guess_current(t);
                    if let Some(m) = &mut self.model {
                        m.assume(&bid, 1.0 - expected);
                    }
                }
            }
        }
        let rational = u >= view.reservation;
        if t > 0.9 && t <= 0.96 {
            if let Some(a) = self.chicken(0.0, 0.7, opp) {
                action = Some(a);
            }
        }
        if t > 0.96 && t <= 0.97 {
            if let Some(a) = self.chicken(0.5, 0.65, opp) {
                action = Some(a);
            }
        }
        if t > 0.98 && t <= 0.99 {
            if opp >= self.lowest_approved - 0.01 && rational {
                return Action::Accept;
            }
            let b = if self.bid_count % 5 == 0 {
                self.explore_scan()
            } else {
                self.best_scan()
            };
            action = Some(Action::Offer(b));
        }
        if t > 0.99 && t <= 0.995 {
            if let Some(a) = self.chicken(0.8, 0.6, opp) {
                action = Some(a);
            }
        }
        if t > 0.995 {
            if self.max_opp_util > 0.55 {
                if opp >= self.max_opp_util * 0.99 && rational {
                    return Action::Accept;
                }
                if let Some(b) = &self.max_opp_bid {
                    return Action::Offer(b.clone());
                }
            }
            action = Some(Action::Offer(self.best_scan()));
        }
        if let Some(a) = action {
            if a != Action::Accept || rational {
                self.bid_count += 1;
                return a;
            }
        }
        let discounted = self.own.setup.discount.is_some_and(|d| d < 1.0);
        if opp > self.lowest_approved && (discounted || opp > 0.975) && rational {
            return Action::Accept;
        }
        if opp > self.lowest_approved * 0.99 && !discounted {
            let raised = self.lowest_approved + 0.01;
            self.approve(raised, true);
            self.retreat = true;
        }
        let mut bid_out: Option<Outcome> = None;
        if self.bid_count > 0 && self.bid_count < 4 {
            let k = (self.bid_count as usize).min(self.listed.len() - 1);
            self.select(k);
            bid_out = Some(self.listed[0].outcome.clone());
        }
        if self.bid_count >= 4 {
            let c1 = opp - self.start_util;
            let c2 = 1.0 - self.guess_current(t);
            let least = c1.min(c2);
            let least = self.min_concession(least, 1.0 - self.max_opp_util, t);
            if least > 1.0 - self.lowest_approved {
                let mut target = if self.lowest_acceptable > 1.0 - least {
                    self.lowest_acceptable
                } else {
                    1.0 - least
                };
                if target < self.max_opp_util {
                    target = self.max_opp_util + 0.001;
                }
                if self.approve(target, false) {
                    self.sort_by_model(None);
                }
            }
            bid_out = Some(if self.bid_count % 5 == 0 {
                self.explore_scan()
            } else {
                self.best_scan()
            });
        }
        self.bid_count += 1;
        match bid_out {
            Some(b) => Action::Offer(b),
            None => self
                .last_action
                .clone()
                .filter(|a| *a != Action::Accept)
                .unwrap_or_else(|| Action::Offer(self.own.best().outcome.clone())),
        }
    }
}

impl Negotiator for ValueModelAgent {
    fn act(&mut self, view: &View<'_>) -> Action {
        let action = self.choose(view);
        self.own.received.clear();
        if matches!(action, Action::Offer(_)) {
            self.last_action = Some(action.clone());
        }
        action
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_value_decrease_learns_by_temporal_differences() {
        // An unknown value (reliability 0.02) takes the first estimate as it is.
        let mut d = Decrease::new(0.5, 0.02, 0.5);
        d.update(0.3, 0.6);
        assert_eq!((d.decrease, d.reliability, d.deviation), (0.3, 0.6, 0.03));
        // Then it moves part of the way: weights r'(1 − r) + rγr' and r − rγr'.
        let mut d = Decrease::new(0.2, 0.5, 0.1);
        d.update(0.4, 0.5);
        let new_chunk = 0.5 * 0.5 + 0.5 * 0.1 * 0.5;
        let old_chunk = 0.5 - 0.5 * 0.1 * 0.5;
        let want = (new_chunk * 0.4 + old_chunk * 0.2) / (new_chunk + old_chunk);
        assert!((d.decrease - want).abs() < 1e-12);
    }

    #[test]
    fn the_model_starts_from_the_first_offer() {
        let issues = vec![zopa_core::Issue::discrete("a", &["x", "y", "z"])];
        let m = ValueModel::new(&issues, &vec![Value::Discrete(1)]);
        // The offered value costs nothing, the others 1/n with reliability 0.02.
        assert_eq!(m.their_utility(&[Value::Discrete(1)]), 1.0);
        assert_eq!(m.their_utility(&[Value::Discrete(0)]), 0.0);
    }

    #[test]
    fn it_approves_its_best_outcomes_first() {
        let a = ValueModelAgent::new(&crate::strategies::test_setup(&[11], 0.0, 100));
        // Only the best (1.0) is within 0.98 of its best.
        assert_eq!(a.approved.len(), 1);
        assert!((a.lowest_approved - 0.98).abs() < 1e-12);
    }

    #[test]
    fn it_ends_against_boulware() {
        crate::strategies::yushu::tests::ends_against_boulware("valuemodelagent");
    }
}
