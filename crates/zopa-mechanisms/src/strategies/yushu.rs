//! Yushu (An & Lesser; ANAC 2010 runner-up), GENIUS `agents/anac/y2010/Yushu/Yushu.java`;
//! negmas-genius-agents ports it as `anac/y2010/yushu.py`.
//!
//! It times its own turns: τ = max(mean time between its turns, mean of the last three), and
//! rounds left = (1 − t)/τ. A floor falls with the rounds left (0.93, 0.90, 0.86, 0.8, 0.6 of
//! its best utility), lowered by (0.75 − ō)/2.5 when late and the opponent's mean offer ō
//! (at least 0.3) is below 0.75, never below 0.5, scaled by min(0.75, ō)/3 + 0.75 and never
//! below ō. Target = best − (best − floor)·t^1.2, raised above the opponent's best offer while
//! more than 50 rounds are left. When the opponent's best offer reaches the target (or 95 % of
//! it with fewer than 10 rounds left), it suggests that offer back (or, when it offered it in
//! its last four bids, a random one of the opponent's ten best at or above the target), and
//! once a bid is suggested it keeps offering the latest suggestion. It accepts an offer at or
//! above the target or at or above 0.96 (0.92 with under 15 rounds left) of its best, unless
//! its suggestion is better while more than 8 rounds are left. Bids: the least outcome above
//! the target, after its tenth bid a uniformly random one of those strictly between a lower
//! bound and 1.08·target (that least one counted among them).
//!
//! Fidelity: faithful. It keeps only the opponent's ten best offers and its own last four bids
//! (the Java keeps every offer and indexes into the list); random draws come from its seeded
//! stream; it never accepts below its reservation value.

use std::collections::VecDeque;

use rand::RngExt;

use crate::bidding::{draw_below, Cut, Span};
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

const EAGERNESS: f64 = 1.2;

pub struct Yushu {
    own: Own,
    /// The opponent's ten best offers by own utility, best first (ties: older first).
    best_ten: Vec<(Outcome, f64)>,
    /// Sum and count of the opponent's offers' utilities.
    total: f64,
    offers: usize,
    /// Time between its own turns.
    resp_times: Vec<f64>,
    previous_time: f64,
    /// Its own last four bids, and how many it made.
    mine: VecDeque<Outcome>,
    made: usize,
    suggest: Option<Outcome>,
    rounds_left: f64,
    /// `Utility.MINIMUM_BID_UTILITY` and `ACCEPTABLEU`.
    minimum: f64,
    acceptable: f64,
    best_u: f64,
}

impl Yushu {
    pub fn new(setup: &Setup) -> Yushu {
        let own = Own::new(setup);
        let best_u = own.best().utility;
        Yushu {
            own,
            best_ten: Vec::new(),
            total: 0.0,
            offers: 0,
            resp_times: Vec::new(),
            previous_time: 0.0,
            mine: VecDeque::new(),
            made: 0,
            suggest: None,
            rounds_left: 0.0,
            minimum: 0.0,
            acceptable: 1.0,
            best_u,
        }
    }

    /// `updateBelief`: inserts after every offer at least as good, keeps ten.
    fn remember(&mut self, bid: Outcome, u: f64) {
        let at = self
            .best_ten
            .iter()
            .position(|b| u > b.1)
            .unwrap_or(self.best_ten.len());
        self.best_ten.insert(at, (bid, u));
        self.best_ten.truncate(10);
    }

    /// The floor (`MINIMUM_BID_UTILITY`) from the rounds left, the time left in rounds and the
    /// opponent's mean offer `mean` (already at least 0.3), with `late` true when that mean
    /// may lower it (more than three offers seen and within 20 + 200(1 − ō) rounds of the end).
    pub(crate) fn floor(best: f64, rounds_left: f64, mean: f64, late: bool) -> f64 {
        let mut floor = if rounds_left > 6.7 {
            0.93
        } else if rounds_left > 5.0 {
            0.90
        } else if rounds_left > 3.0 {
            0.86
        } else if rounds_left > 2.3 {
            0.8
        } else {
            0.6
        } * best;
        if late && mean < 0.75 {
            floor -= (0.75 - mean) / 2.5;
        }
        floor = floor.max(0.5);
        floor *= mean.min(0.75) / 3.0 + 0.75;
        floor.max(mean)
    }

    /// `getTargetUtility`.
    fn target(&mut self, t: f64) -> f64 {
        let mean_of = |v: &[f64], from: usize| {
            if v.len() < from.max(1) {
                0.0
            } else {
                let tail = &v[v.len() - if from == 0 { v.len() } else { from }..];
                tail.iter().sum::<f64>() / tail.len() as f64
            }
        };
        let tround = mean_of(&self.resp_times, 0).max(mean_of(&self.resp_times, 3));
        let left = 1.0 - t;
        self.rounds_left = left / tround;
        let mean = (self.total / self.offers.max(1) as f64).max(0.30);
        let rte = 20.0 + (1.0 - mean) / 0.10 * 20.0;
        let late = left < rte * tround && self.offers > 3;
        self.minimum = Self::floor(self.best_u, self.rounds_left, mean, late);
        self.acceptable = if left < 15.0 * tround { 0.92 } else { 0.96 } * self.best_u;
        let mut target = self.best_u - (self.best_u - self.minimum) * t.powf(EAGERNESS);
        let (top, top_u) = self.best_ten[0].clone();
        if left < 1.6 * tround {
            self.suggest = Some(top);
            return target;
        }
        if left > 50.0 * tround {
            target = target.max(top_u * 1.001);
        }
        let near = left < 10.0 * tround && top_u > target * 0.95;
        if near || top_u >= target {
            let new_target = if near { target * 0.95 } else { target };
            if self.mine.contains(&top) {
                let candidates: Vec<&Outcome> = self
                    .best_ten
                    .iter()
                    .filter(|b| b.1 >= new_target)
                    .map(|b| &b.0)
                    .collect();
                let k = (self.own.rng.random::<f64>() * candidates.len() as f64) as usize;
                self.suggest = candidates.get(k).map(|b| (*b).clone()).or(Some(top));
            } else {
                self.suggest = Some(top);
            }
            target = new_target;
        }
        target
    }

    /// `getNextBid`: the least outcome above `target`; after ten bids a random one of the
    /// outcomes strictly between the lower bound and 1.08·target, or that least outcome.
    fn next_bid(&mut self, target: f64) -> Outcome {
        let least = self
            .own
            .bids
            .worst_at_least(target.next_up())
            .unwrap_or_else(|| self.own.best().clone());
        if self.made <= 10 {
            return least.outcome;
        }
        let low = if self.rounds_left > 30.0 {
            self.best_ten[0].1.max(target)
        } else {
            0.96 * target
        };
        let span = Span {
            from: Some(Cut::Utility(1.08 * target)),
            to: Some(Cut::Utility(low.next_up())),
        };
        let n = self.own.bids.count(&span);
        let k = draw_below(&mut self.own.rng, n + 1);
        if k == n {
            return least.outcome;
        }
        let first = self.own.bids.count_before(span.from.as_ref().expect("set"));
        self.own
            .bids
            .at_rank(first + k)
            .map_or(least.outcome, |b| b.outcome)
    }
}

impl Negotiator for Yushu {
    fn act(&mut self, view: &View<'_>) -> Action {
        let t = view.time;
        self.resp_times.push(t - self.previous_time);
        self.previous_time = t;
        let offer = self.own.observe(view);
        let action = match (offer, view.last_offer()) {
            (Some(u), Some((_, bid))) => {
                let bid = bid.clone();
                self.total += u;
                self.offers += 1;
                self.remember(bid, u);
                let target = if self.made == 0 { 1.0 } else { self.target(t) };
                let suggest_u = self.suggest.as_ref().map(|s| self.own.setup.utility_of(s));
                let accept = (u >= target || u >= self.acceptable)
                    && (suggest_u.is_none()
                        || self.rounds_left < 8.0
                        || (self.rounds_left > 8.0 && suggest_u.is_some_and(|s| s <= u)));
                if accept && u >= view.reservation {
                    Action::Accept
                } else if let Some(s) = &self.suggest {
                    Action::Offer(s.clone())
                } else if target >= self.best_u {
                    Action::Offer(self.own.best().outcome.clone())
                } else {
                    Action::Offer(self.next_bid(target))
                }
            }
            _ => Action::Offer(self.own.best().outcome.clone()),
        };
        if let Action::Offer(b) = &action {
            self.made += 1;
            self.mine.push_back(b.clone());
            if self.mine.len() > 4 {
                self.mine.pop_front();
            }
        }
        action
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::Yushu;

    /// A two-party scenario of two issues (3 × 4 values), opposed preferences.
    pub(crate) fn scenario() -> zopa_core::Scenario {
        use zopa_core::{AdditiveUtility, Evaluator, Issue, Party, Role, UtilityFunction};
        let party = |name: &str, tables: Vec<Vec<f64>>| Party {
            name: name.into(),
            role: Role::Negotiator,
            utility: UtilityFunction::Additive(AdditiveUtility {
                weights: vec![0.6, 0.4],
                evaluators: tables.into_iter().map(Evaluator::Table).collect(),
                cap_at_one: false,
            }),
            reservation: Some(zopa_core::OutsideOption::Fixed(0.2)),
            discount: None,
            cost_per_round: None,
            description: None,
            capability: None,
            salience: None,
            red_lines: Vec::new(),
            controls: Vec::new(),
        };
        zopa_core::Scenario {
            ranges: zopa_core::Ranges::default(),
            name: "small".into(),
            description: None,
            issues: vec![
                Issue::discrete("x", &["a", "b", "c"]),
                Issue::discrete("y", &["0", "1", "2", "3"]),
            ],
            parties: vec![
                party("A", vec![vec![1.0, 0.5, 0.0], vec![1.0, 0.7, 0.3, 0.0]]),
                party("B", vec![vec![0.0, 0.6, 1.0], vec![0.0, 0.4, 0.8, 1.0]]),
            ],
            events: Vec::new(),
            notes: Vec::new(),
            calendar: None,
            texts: Vec::new(),
            exclusions: Vec::new(),
        }
    }

    /// A scenario of `sizes.len()` issues of those sizes, equal weights, opposed
    /// preferences, no reservation value.
    pub(crate) fn sized(sizes: &[usize]) -> zopa_core::Scenario {
        use zopa_core::{AdditiveUtility, Evaluator, Issue, UtilityFunction};
        let mut s = scenario();
        let names: Vec<Vec<String>> = sizes
            .iter()
            .map(|&n| (0..n).map(|k| k.to_string()).collect())
            .collect();
        s.issues = names
            .iter()
            .enumerate()
            .map(|(i, vs)| {
                let vs: Vec<&str> = vs.iter().map(String::as_str).collect();
                Issue::discrete(format!("i{i}"), &vs)
            })
            .collect();
        for (p, party) in s.parties.iter_mut().enumerate() {
            party.reservation = None;
            party.utility = UtilityFunction::Additive(AdditiveUtility {
                weights: vec![1.0 / sizes.len() as f64; sizes.len()],
                evaluators: sizes
                    .iter()
                    .enumerate()
                    .map(|(i, &n)| {
                        let up = (i + p) % 2 == 0;
                        Evaluator::Table(
                            (0..n)
                                .map(|k| {
                                    let x = k as f64 / (n.max(2) - 1) as f64;
                                    if up {
                                        x
                                    } else {
                                        1.0 - x
                                    }
                                })
                                .collect(),
                        )
                    })
                    .collect(),
                cap_at_one: false,
            });
        }
        s
    }

    /// `name` against boulware on [`scenario`], both openings: each run ends without an
    /// error, and any agreement is worth at least each side's reservation value. Then on a
    /// space of one outcome, one issue, and 10^6 outcomes (20 rounds): no error.
    pub(crate) fn ends_against_boulware(name: &str) {
        use crate::{run, Deadline, End, RunSpec, Spec};
        let check = |s: &zopa_core::Scenario, rounds: u32, reservation: f64| {
            for order in [[name, "boulware"], ["boulware", name], [name, name]] {
                for seed in [1, 2] {
                    let spec = RunSpec {
                        negotiators: order.iter().map(|n| Spec::parse(n).unwrap()).collect(),
                        deadline: Deadline::rounds(rounds),
                        seed,
                        ..Default::default()
                    };
                    let r = run(s, &spec).unwrap();
                    assert!(!matches!(r.end, End::Error(_)), "{name}: {:?}", r.end);
                    if r.agreement.is_some() {
                        assert!(
                            r.utilities.iter().all(|u| *u >= reservation - 1e-12),
                            "{r:?}"
                        );
                    }
                }
            }
        };
        check(&scenario(), 60, 0.2);
        check(&sized(&[1]), 10, 0.0);
        check(&sized(&[7]), 30, 0.0);
        check(&sized(&[10; 6]), 20, 0.0);
    }

    #[test]
    fn the_floor_steps_down_with_the_rounds_left() {
        // Many rounds left, a generous opponent (ō = 0.75): 0.93 · (0.25 + 0.75).
        assert!((Yushu::floor(1.0, 100.0, 0.75, true) - 0.93).abs() < 1e-12);
        // ō = 0.3: 0.93 scaled by 0.85; late, lowered first by 0.45/2.5.
        assert!((Yushu::floor(1.0, 100.0, 0.3, false) - 0.93 * 0.85).abs() < 1e-12);
        assert!((Yushu::floor(1.0, 100.0, 0.3, true) - (0.93 - 0.18) * 0.85).abs() < 1e-12);
        // Two rounds left: 0.6, raised to 0.5 at least, then scaled; never below ō.
        assert!((Yushu::floor(1.0, 2.0, 0.3, true) - 0.5 * 0.85).abs() < 1e-12);
        assert!((Yushu::floor(1.0, 2.0, 0.9, true) - 0.9).abs() < 1e-12);
    }

    #[test]
    fn the_target_falls_from_its_best_to_its_floor() {
        let mut y = Yushu::new(&crate::strategies::test_setup(&[5, 5], 0.0, 100));
        y.remember(vec![zopa_core::Value::Discrete(0); 2], 0.0);
        y.offers = 1;
        // One turn every 0.02: 50 rounds left at t = 0, none at t = 1.
        y.resp_times = vec![0.02; 4];
        assert!((y.target(0.0) - 1.0).abs() < 1e-12);
        let floor = Yushu::floor(1.0, 25.0, 0.3, false);
        let want = 1.0 - (1.0 - floor) * 0.5f64.powf(1.2);
        assert!((y.target(0.5) - want).abs() < 1e-12);
        // With under 1.6 rounds left it suggests the opponent's best offer back.
        y.target(0.99);
        assert_eq!(y.suggest, Some(vec![zopa_core::Value::Discrete(0); 2]));
    }

    #[test]
    fn the_opponents_ten_best_are_kept_best_first() {
        let mut y = Yushu::new(&crate::strategies::test_setup(&[12], 0.0, 100));
        for k in 0..12u32 {
            y.remember(vec![zopa_core::Value::Discrete(k)], f64::from(k % 4));
        }
        let us: Vec<f64> = y.best_ten.iter().map(|b| b.1).collect();
        assert_eq!(us, vec![3.0, 3.0, 3.0, 2.0, 2.0, 2.0, 1.0, 1.0, 1.0, 0.0]);
        // Ties keep the older first.
        assert_eq!(y.best_ten[0].0, vec![zopa_core::Value::Discrete(3)]);
    }

    #[test]
    fn it_ends_against_boulware() {
        ends_against_boulware("yushu");
    }
}
