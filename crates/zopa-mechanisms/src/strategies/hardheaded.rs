//! HardHeaded (van Krimpen, Looije & Hajizadeh; ANAC 2011 winner), after GENIUS
//! `agents/anac/y2011/HardHeaded/{KLH,BidSelector}.java` and `strategies.md` §1.3.
//!
//! - Bids are keyed as KLH's `BidSelector` keys them: built issue by issue, each bid's key its
//!   utility minus 1e−8 times its place in the generation order, so that ties never collide
//!   (the "−1e−8 offsets"); the keys, not the utilities, drive the walk below.
//! - p(t) = min + (1 − F)(max − min), F = Ka + (1 − Ka)(t/df)^(1/e), Ka = e = 0.05, min = 0.585
//!   (KLH's field order leaves the reservation value unused). Below df < 0.9 the curve splits
//!   at t = df: e/df and a raised minimum before, e = 30 and a lowered maximum after.
//! - When its queue of bids is empty it steps to the next lower key below its last bid (a
//!   random earlier bid of its own instead when that falls below p), gathers the bids within
//!   0.01 below that key and above p, and queues them — or, with more than four, the five the
//!   HardHeaded frequency model likes best for the opponent; the opponent's best offer goes
//!   first when its key beats the queue's head.
//! - It accepts an offer better than the lowest utility it has offered, or at least as good
//!   as the head of its queue.
//!
//! Spaces above 200,000 outcomes (KLH enumerates every bid) walk zopa's exact bidding order
//! instead ([`crate::bidding`]), keyed by utility alone: a step goes to the best outcome of
//! lower utility, and a queue gathers at most [`GATHERED`] such steps.

use std::collections::{BTreeMap, HashMap, VecDeque};

use rand::RngExt;

use crate::opponent::{outcome_key, FrequencyModel, OpponentModel};
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

const KA: f64 = 0.05;
const E: f64 = 0.05;
const MIN_UTILITY: f64 = 0.585;
const TOLERANCE: f64 = 0.01;
const TOP_SELECTED: usize = 4;
/// Most steps a queue gathers on a space walked in the bidding order.
const GATHERED: usize = 1000;

/// A TreeMap key: an f64 ordered totally.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Key(f64);

impl Eq for Key {}

impl PartialOrd for Key {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Key {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

type Entry = (f64, Outcome);

/// The number of values of each issue KLH lists; `None` above
/// [`crate::strategies::OUTCOME_LIMIT`] outcomes.
fn levels(own: &Own) -> Option<Vec<u32>> {
    let levels: Vec<u32> = own
        .setup
        .issues
        .iter()
        .map(|i| {
            i.cardinality()
                .map_or(crate::outcomes::REAL_LEVELS, |c| c as u32)
        })
        .collect();
    let size = levels.iter().map(|&l| f64::from(l)).product::<f64>();
    (size <= crate::strategies::OUTCOME_LIMIT as f64).then_some(levels)
}

/// KLH's `BidSelector`: every bid under its offset key.
fn bid_list(own: &Own, levels: &[u32]) -> BTreeMap<Key, Outcome> {
    let issues = &own.setup.issues;
    let mut list = BTreeMap::new();
    let first: Outcome = issues
        .iter()
        .map(|i| i.value_at(0, crate::outcomes::REAL_LEVELS))
        .collect();
    list.insert(Key(own.setup.utility_of(&first)), first);
    for (d, issue) in issues.iter().enumerate() {
        let mut next = BTreeMap::new();
        let mut offset = -1e-8;
        for bid in list.values() {
            for level in 0..levels[d] {
                let mut b = bid.clone();
                b[d] = issue.value_at(level, crate::outcomes::REAL_LEVELS);
                next.insert(Key(own.setup.utility_of(&b) + offset), b);
                offset -= 1e-8;
            }
        }
        list = next;
    }
    list
}

/// The bids HardHeaded walks: KLH's keyed list, or the bidding order keyed by utility.
enum Bids {
    /// KLH's list, shared by the negotiations that share the bidding order
    /// ([`crate::strategies::derived`]): it depends on the utility function alone.
    Keyed(std::sync::Arc<KeyedBids>),
    Ordered,
}

struct KeyedBids {
    list: BTreeMap<Key, Outcome>,
    key_of: HashMap<Vec<u64>, f64>,
}

impl Bids {
    /// The bid of the highest key.
    fn top(&self, own: &Own) -> Option<Entry> {
        match self {
            Bids::Keyed(k) => k.list.iter().next_back().map(|(k, b)| (k.0, b.clone())),
            Bids::Ordered => Some((own.best().utility, own.best().outcome.clone())),
        }
    }

    /// The bid of the next lower key.
    fn lower(&self, own: &Own, key: f64) -> Option<Entry> {
        match self {
            Bids::Keyed(k) => k
                .list
                .range(..Key(key))
                .next_back()
                .map(|(k, b)| (k.0, b.clone())),
            Bids::Ordered => own.bids.best_below(key).map(|b| (b.utility, b.outcome)),
        }
    }

    /// The key of `bid`.
    fn key_of(&self, own: &Own, bid: &Outcome) -> Option<f64> {
        match self {
            Bids::Keyed(k) => k.key_of.get(&outcome_key(bid)).copied(),
            Bids::Ordered => Some(own.setup.utility_of(bid)),
        }
    }
}

pub struct HardHeaded {
    own: Own,
    model: FrequencyModel,
    list: Bids,
    queue: VecDeque<Entry>,
    mine: Vec<Entry>,
    lowest_yet: f64,
    max_util: f64,
    opponent_best: Option<(Outcome, f64)>,
    opponent_last: Option<Outcome>,
    started: bool,
}

impl HardHeaded {
    pub fn new(setup: &Setup) -> HardHeaded {
        let own = Own::new(setup);
        let list = match levels(&own) {
            Some(levels) => Bids::Keyed(crate::strategies::derived(&own, "hardheaded", || {
                let list = bid_list(&own, &levels);
                KeyedBids {
                    key_of: list.iter().map(|(k, b)| (outcome_key(b), k.0)).collect(),
                    list,
                }
            })),
            None => Bids::Ordered,
        };
        let max_util = list.top(&own).map_or(1.0, |(_, b)| setup.utility_of(&b));
        HardHeaded {
            own,
            model: FrequencyModel::new(setup.issues.len()),
            list,
            queue: VecDeque::new(),
            mine: Vec::new(),
            lowest_yet: 1.0,
            max_util,
            opponent_best: None,
            opponent_last: None,
            started: false,
        }
    }

    fn p(&self, t: f64) -> f64 {
        let df = self
            .own
            .setup
            .discount
            .filter(|d| *d > 0.0 && *d <= 1.0)
            .unwrap_or(1.0);
        let (max, min) = (self.max_util, MIN_UTILITY);
        if df >= 0.9 {
            let fa = KA + (1.0 - KA) * (t / df).powf(1.0 / E);
            min + (1.0 - fa) * (max - min)
        } else if t <= df {
            let fa = KA + (1.0 - KA) * (t / df).powf(df / E);
            let low = min + (max - min).abs() * df;
            low + (1.0 - fa) * (max - low)
        } else {
            let fa = KA + (1.0 - KA) * ((t - df) / (1.0 - df)).powf(1.0 / 30.0);
            let high = min + (max - min).abs() * df;
            min + (1.0 - fa) * (high - min)
        }
    }

    fn lower(&self, key: f64) -> Option<Entry> {
        self.list.lower(&self.own, key)
    }

    /// Refills the queue (KLH `chooseAction`, the branch for an empty queue).
    fn refill(&mut self, p: f64) {
        let last = self.mine.last().map_or(f64::INFINITY, |e| e.0);
        let Some(first) = self.lower(last).or_else(|| self.mine.last().cloned()) else {
            return;
        };
        let mut picked: BTreeMap<Key, Outcome> = BTreeMap::new();
        picked.insert(Key(first.0), first.1.clone());
        if first.0 < p && !self.mine.is_empty() {
            let own = &mut self.own;
            let k = (self.mine.len() as f64 * own.rng.random::<f64>()).floor() as usize;
            picked.remove(&Key(first.0));
            let back = self.mine[k.min(self.mine.len() - 1)].clone();
            picked.insert(Key(back.0), back.1);
        }
        let mut add = self.lower(first.0);
        let steps = match self.list {
            Bids::Keyed { .. } => usize::MAX,
            Bids::Ordered => GATHERED,
        };
        for _ in 0..steps {
            let Some((k, b)) = add else { break };
            if first.0 - k >= TOLERANCE || k < p {
                break;
            }
            picked.insert(Key(k), b);
            add = self.lower(k);
        }
        if picked.len() <= TOP_SELECTED {
            self.queue.extend(picked.into_iter().map(|(k, b)| (k.0, b)));
        } else {
            let model = &self.model;
            for _ in 0..=TOP_SELECTED {
                let Some((&top, _)) = picked.iter().next_back() else {
                    break;
                };
                let mut best = top;
                for (k, b) in &picked {
                    if model.utility(b) > model.utility(&picked[&best]) {
                        best = *k;
                    }
                }
                let b = picked.remove(&best).expect("present");
                self.queue.push_back((best.0, b));
            }
        }
        if let Some((bid, _)) = &self.opponent_best {
            let key = self.list.key_of(&self.own, bid);
            if let (Some(k), Some(head)) = (key, self.queue.front()) {
                if head.0 < k {
                    self.queue.push_front((k, bid.clone()));
                }
            }
        }
    }
}

impl Negotiator for HardHeaded {
    fn opponent_model(&self) -> Option<&dyn crate::opponent::OpponentModel> {
        Some(&self.model)
    }

    fn act(&mut self, view: &View<'_>) -> Action {
        let own = &mut self.own;
        own.observe(view);
        let fresh: Vec<(Outcome, f64)> = own.fresh().map(|(b, r)| (b.clone(), r.1)).collect();
        let model = &mut self.model;
        for (bid, u) in fresh {
            if self.opponent_last.is_some() {
                model.update(&bid, 0.0);
            } else {
                model.remember(&bid);
            }
            if self.opponent_best.as_ref().is_none_or(|b| u > b.1) {
                self.opponent_best = Some((bid.clone(), u));
            }
            self.opponent_last = Some(bid);
        }
        let p = self.p(view.time);
        if !self.started {
            self.started = true;
            if let Some(top) = self.list.top(&self.own) {
                self.queue.push_back(top);
            }
        } else if self.queue.is_empty() {
            self.refill(p);
        }
        let own = &self.own;
        let last_u = self.opponent_last.as_ref().map(|b| own.setup.utility_of(b));
        let Some(head) = self.queue.front() else {
            // KLH's fallback when nothing could be queued: its best bid.
            return Action::Offer(own.best().outcome.clone());
        };
        if let Some(u) = last_u {
            if u > self.lowest_yet || own.setup.utility_of(&head.1) <= u {
                return Action::Accept;
            }
        }
        let offer = self.queue.pop_front().expect("a head");
        if offer.0 < self.lowest_yet {
            self.lowest_yet = own.setup.utility_of(&offer.1);
        }
        self.mine.push(offer.clone());
        Action::Offer(offer.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use zopa_core::{AdditiveUtility, Evaluator, Issue, UtilityFunction};

    fn setup(weights: Vec<f64>, tables: Vec<Vec<f64>>) -> Setup {
        let issues: Vec<Issue> = tables
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let names: Vec<String> = (0..t.len()).map(|k| k.to_string()).collect();
                let names: Vec<&str> = names.iter().map(String::as_str).collect();
                Issue::discrete(format!("i{i}"), &names)
            })
            .collect();
        let utility = UtilityFunction::Additive(AdditiveUtility {
            weights,
            evaluators: tables.into_iter().map(Evaluator::Table).collect(),
            cap_at_one: false,
        });
        let issues = Arc::new(issues);
        let utility = Arc::new(utility);
        Setup {
            name: "A".into(),
            index: 0,
            negotiators: 2,
            issues: Arc::clone(&issues),
            utility: Arc::clone(&utility),
            reservation: 0.0,
            discount: None,
            cost_per_round: 0.0,
            deadline: crate::session::Deadline::rounds(100),
            seed: 1,
            red_lines: Vec::new(),
            outcomes: Arc::new(crate::outcomes::Ranking::lazy(issues, utility, 0, 1)),
        }
    }

    #[test]
    fn bid_selector_keys_ties_apart_in_generation_order() {
        // Two issues of two values, every bid worth 0.5: KLH's keys are 0.5 − k·1e−8 in the
        // order the last level generates them.
        let s = setup(vec![0.5, 0.5], vec![vec![0.5, 0.5], vec![0.5, 0.5]]);
        let own = Own::new(&s);
        let list = bid_list(&own, &levels(&own).unwrap());
        assert_eq!(list.len(), 4);
        let keys: Vec<f64> = list.keys().map(|k| k.0).collect();
        for (k, want) in keys
            .iter()
            .rev()
            .zip([0.5 - 1e-8, 0.5 - 2e-8, 0.5 - 3e-8, 0.5 - 4e-8])
        {
            assert!((k - want).abs() < 1e-15, "{keys:?}");
        }
    }

    #[test]
    fn negotiations_reading_one_order_share_one_keyed_list() {
        let keyed = |h: &HardHeaded| match &h.list {
            Bids::Keyed(k) => Arc::clone(k),
            Bids::Ordered => panic!("a small space is keyed"),
        };
        let s = setup(vec![0.4, 0.6], vec![vec![0.0, 1.0], vec![1.0, 0.0, 0.5]]);
        // A clone shares the order (as a tournament's runs share its cache).
        let (a, b) = (HardHeaded::new(&s), HardHeaded::new(&s.clone()));
        assert!(Arc::ptr_eq(&keyed(&a), &keyed(&b)));
        // Another order of the same utility gets a list of its own, equal to it.
        let mut other = s.clone();
        other.outcomes = Arc::new(crate::outcomes::Ranking::lazy(
            Arc::clone(&s.issues),
            Arc::clone(&s.utility),
            0,
            1,
        ));
        let c = HardHeaded::new(&other);
        assert!(!Arc::ptr_eq(&keyed(&a), &keyed(&c)));
        assert_eq!(keyed(&a).list, keyed(&c).list);
    }

    #[test]
    fn the_concession_curve_splits_at_the_discount_factor() {
        let mut s = setup(vec![1.0], vec![vec![0.0, 1.0]]);
        let h = HardHeaded::new(&s);
        assert_eq!(h.max_util, 1.0);
        // Undiscounted: p(0) = min + 0.95·(max − min); p(1) = min.
        assert!((h.p(0.0) - (0.585 + 0.95 * 0.415)).abs() < 1e-12);
        assert!((h.p(1.0) - 0.585).abs() < 1e-12);
        s.discount = Some(0.5);
        let h = HardHeaded::new(&s);
        let low = 0.585 + 0.415 * 0.5;
        assert!((h.p(0.0) - (low + 0.95 * (1.0 - low))).abs() < 1e-12);
        assert!(
            (h.p(0.5) - low).abs() < 1e-12,
            "at t = df the raised minimum"
        );
        // After df: e = 30 on the rest of the clock, between min and the lowered maximum.
        let fa = 0.05 + 0.95 * (0.25f64 / 0.5).powf(1.0 / 30.0);
        assert!((h.p(0.75) - (0.585 + (1.0 - fa) * (low - 0.585))).abs() < 1e-12);
    }
}
