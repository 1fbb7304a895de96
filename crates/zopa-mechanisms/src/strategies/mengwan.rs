//! MengWan (GENIUS `Agent36`; ANAC 2018 runner-up), GENIUS
//! `agents/anac/y2018/meng_wan/Agent36.java`, a descendant of ParsAgent; negmas-genius-agents
//! ports it as `negotiators/anac/y2018/meng_wan.py`.
//!
//! Target: max(c, 1 − t⁵), c = 0.8, set to 0.75 from t = 0.95 and 0.7 after t = 0.98, and (before
//! t = 0.9) raised to the last offer received when that reaches the target just after another
//! party accepted. It accepts nothing before t = 0.9; from then on the last offer received
//! when it reaches the target. From t = 0.9 it re-offers the best of the bids others accepted
//! (worth more than 0.7, each once) when that reaches the target. Otherwise it bids, when
//! others have accepted bids, the best of those bids with one issue (drawn in proportion to its
//! weight) set to a random value, when that clears the target; else its best outcome with one
//! issue (drawn in inverse proportion to its weight, from a draw of 0–100) set to a random
//! value that clears the target when one does.
//!
//! What GENIUS actually runs: `offerMyNewBid(false)` builds its ParsAgent-style bid from
//! `getMutualIssues(false)`, which never fills its list (the filling call is reserved for the
//! "50 %" strategy) and, at a table of two, dereferences the second opponent's missing value
//! counts; the null it returns makes `new Offer(…, null)` throw, and the catch-all offers
//! `getMybestBid(maxBid)` — its best outcome with one issue changed. zopa ports that effective
//! behaviour: no opponent value model (it has no effect), the catch-all bid wherever GENIUS
//! reaches it.
//!
//! Fidelity: adapted. GENIUS tries random values for ~1 ms (`(now − start)·1000 > 3`) and keeps
//! the last when none clears the target: zopa draws uniformly among the values that clear it, a
//! uniformly random value when none does (the same distribution, with no clock). It never
//! accepts below its reservation value. The negmas-genius-agents port differs (a Boulware
//! 1 − t⁵ window and an opponent model that GENIUS never reaches). Memory: the bids others
//! accepted.

use rand::RngExt;
use zopa_core::Value;

use crate::outcomes::candidate_values;
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::parsagent::{add_accepted, best_issue, issue_weights, worst_issue};
use crate::strategies::Own;

pub struct MengWan {
    own: Own,
    values: Vec<Vec<Value>>,
    weights: Vec<f64>,
    change_target: f64,
    /// The last offer another party made.
    last_bid: Option<Outcome>,
    /// Whether the last move another party made was an accept.
    last_was_accept: bool,
    /// Bids others accepted (GENIUS `opponentAB`, in its insertion order) with utilities.
    accepted: Vec<(Outcome, f64)>,
    /// Those worth more than 0.7, not yet re-offered (GENIUS `opponentABC`).
    accepted_good: Vec<(Outcome, f64)>,
}

impl MengWan {
    pub fn new(setup: &Setup) -> MengWan {
        let values: Vec<Vec<Value>> = setup.issues.iter().map(candidate_values).collect();
        let n = values.len();
        let weights = issue_weights(setup, n);
        MengWan {
            own: Own::new(setup),
            values,
            weights,
            change_target: 0.8,
            last_bid: None,
            last_was_accept: false,
            accepted: Vec::new(),
            accepted_good: Vec::new(),
        }
    }

    /// GENIUS `getMyutility`.
    pub(crate) fn target(change: f64, t: f64) -> f64 {
        change.max(1.0 - t.powi(5))
    }

    fn random_value(&mut self, issue: usize) -> Option<Value> {
        let vs = &self.values[issue];
        (!vs.is_empty()).then(|| vs[self.own.rng.random_range(0..vs.len())])
    }

    /// GENIUS `getMybestBid(maxBid)`: its best outcome with one issue changed.
    fn near_best(&mut self, target: f64) -> Outcome {
        let best = self.own.best().outcome.clone();
        if self.values.is_empty() {
            return best;
        }
        let i = worst_issue(&self.weights, &mut self.own.rng);
        let good: Vec<usize> = (0..self.values[i].len())
            .filter(|&k| {
                let mut b = best.clone();
                b[i] = self.values[i][k];
                self.own.setup.utility_of(&b) > target
            })
            .collect();
        let v = if good.is_empty() {
            self.random_value(i)
        } else {
            Some(self.values[i][good[self.own.rng.random_range(0..good.len())]])
        };
        let mut b = best;
        if let Some(v) = v {
            b[i] = v;
        }
        b
    }

    /// GENIUS `getNNBid`: the best accepted bid with one weighted-random issue redrawn.
    fn near_accepted(&mut self, target: f64) -> Option<Outcome> {
        let mut best: Option<(Outcome, f64)> = None;
        for _ in 0..self.values.len() {
            let Some(i) = best_issue(&self.weights, &mut self.own.rng) else {
                continue;
            };
            for j in 0..self.accepted.len() {
                let mut b = self.accepted[j].0.clone();
                if let Some(v) = self.random_value(i) {
                    b[i] = v;
                }
                let u = self.own.setup.utility_of(&b);
                if u > target && u > best.as_ref().map_or(0.0, |x| x.1) {
                    best = Some((b, u));
                }
            }
        }
        best.map(|(b, _)| b)
    }

    /// GENIUS `offerMyNewBid(false)` as it runs (see the module docs).
    fn new_bid(&mut self, target: f64) -> Outcome {
        if !self.accepted.is_empty() {
            if let Some(b) = self.near_accepted(target) {
                return b;
            }
        }
        self.near_best(target)
    }

    fn read(&mut self, view: &View<'_>) {
        let me = self.own.setup.index;
        for m in self.own.unseen(view) {
            if m.actor == me {
                continue;
            }
            match &m.action {
                Action::Offer(o) => {
                    self.last_bid = Some(o.clone());
                    self.last_was_accept = false;
                }
                Action::Accept => {
                    if let Some(b) = self.last_bid.clone() {
                        let u = self.own.setup.utility_of(&b);
                        add_accepted(&mut self.accepted, b.clone(), u);
                        if u > 0.7 {
                            self.accepted_good.push((b, u));
                        }
                    }
                    self.last_was_accept = true;
                }
                Action::End => self.last_was_accept = false,
            }
        }
    }
}

impl Negotiator for MengWan {
    fn act(&mut self, view: &View<'_>) -> Action {
        self.read(view);
        let offer = self.own.observe(view);
        let t = view.time;
        let Some(last) = self.last_bid.clone() else {
            let target = Self::target(self.change_target, t);
            return Action::Offer(self.near_best(target));
        };
        if t >= 0.95 {
            self.change_target = 0.75;
        }
        if t > 0.98 {
            self.change_target = 0.7;
        }
        let u = self.own.setup.utility_of(&last);
        if u >= Self::target(self.change_target, t) {
            if t < 0.9 {
                if self.last_was_accept {
                    self.change_target = u;
                }
            } else if offer.is_some_and(|o| o >= view.reservation) {
                return Action::Accept;
            }
        }
        let target = Self::target(self.change_target, t);
        if t >= 0.9 && !self.accepted_good.is_empty() {
            let mut k = 0;
            let mut max = 0.0;
            for (i, (_, bu)) in self.accepted_good.iter().enumerate() {
                if *bu > max {
                    max = *bu;
                    k = i;
                }
            }
            if self.accepted_good[k].1 >= target {
                let (b, _) = self.accepted_good.remove(k);
                return Action::Offer(b);
            }
        }
        Action::Offer(self.new_bid(target))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_is_boulware_over_a_stepped_floor() {
        assert_eq!(MengWan::target(0.8, 0.0), 1.0);
        assert!((MengWan::target(0.8, 0.5) - (1.0 - 0.5f64.powi(5))).abs() < 1e-12);
        assert_eq!(MengWan::target(0.8, 0.99), 0.8);
        assert_eq!(MengWan::target(0.7, 1.0), 0.7);
    }

    #[test]
    fn it_accepts_nothing_before_t_09() {
        let d = Value::Discrete;
        for (time, expect_accept) in [(0.5, false), (0.92, true)] {
            let history = [crate::session::Move {
                round: 1,
                time,
                actor: 1,
                action: Action::Offer(vec![d(2), d(2)]),
            }];
            let view = View {
                round: 1,
                time,
                history: &history,
                offset: 0,
                reservation: 0.0,
            };
            let mut a = MengWan::new(&crate::strategies::test_setup(&[3, 3], 0.0, 100));
            // Its best outcome is offered: worth 1, above every target.
            assert_eq!(a.act(&view) == Action::Accept, expect_accept, "{time}");
        }
    }

    #[test]
    fn bids_change_one_issue_of_its_best_and_clear_the_target_when_they_can() {
        let mut a = MengWan::new(&crate::strategies::test_setup(&[4, 4], 0.0, 100));
        for _ in 0..20 {
            let b = a.new_bid(0.8);
            assert!(a.own.setup.utility_of(&b) > 0.8);
        }
    }

    #[test]
    fn a_negotiation_against_boulware_ends() {
        let r = crate::strategies::versus_boulware("mengwan", &[5, 5, 4], 60);
        assert!(!matches!(r.end, crate::End::Error(_)), "{:?}", r.end);
    }
}
