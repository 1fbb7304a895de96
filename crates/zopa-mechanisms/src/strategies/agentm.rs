//! AgentM (S. Hourmann; ANAC 2014 finalist), GENIUS `agents/anac/y2014/AgentM/AgentM.java`.
//!
//! ANAC 2014's domains had integer issues and non-linear utilities; AgentM searches them by
//! random sampling and simulated annealing (temperature 0.01·(1 − i/1000)², acceptance
//! e^(−Δu/T)) and offers the best bid it keeps, `bidmax`:
//!
//! - first turn: the best of up to 1,000 random outcomes (stopping above 0.98), then 1,000
//!   annealing steps from the last drawn outcome, each moving ⌊issues/10⌋ random issues one
//!   level up or down, raising `bidmax` on improvement, while it is below 0.999;
//! - later turns: again the best of up to 1,000 random outcomes if one beats `bidmax`; then
//!   with concession c = (u(opponent's worst) − u(opponent's best))² + t/10, annealing steps
//!   (while `bidmax`'s utility stays below 0.999 − c, at most 1,000) whose moves also set,
//!   ⌊issues/5⌋ times, a random issue to the opponent's most frequent value or its best offer's
//!   value and another to its best offer's value; any step within c of `bidmax` replaces it.
//! - It accepts an offer better than the worst bid it has made (this turn's included).
//!
//! Fidelity: faithful, adapted to zopa's issues: values are walked by level (an integer issue
//! by value − min, as GENIUS's 0-based domains had; discrete by index; real on zopa's grid of
//! 11), and the opponent's frequencies are counted over every level (GENIUS counts into 10
//! slots and looks for the most frequent below the upper bound only, a quirk kept); random
//! draws come from its seeded stream; no bid is carried from a previous session; it never
//! accepts below its reservation value.

use rand::RngExt;
use zopa_core::{Issue, IssueKind, Value};

use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

const ITERATIONS: usize = 1000;

/// Levels of an issue as AgentM's walk sees them (integer issues by value − min; real issues
/// on a grid of 11).
pub(crate) fn levels(issue: &Issue) -> u32 {
    issue
        .cardinality()
        .map_or(crate::outcomes::REAL_LEVELS, |c| {
            c.min(u64::from(u32::MAX)) as u32
        })
        .max(1)
}

/// The level of value `v` of `issue`.
pub(crate) fn level_of(issue: &Issue, v: Value) -> u32 {
    let top = levels(issue) - 1;
    match (&issue.kind, v) {
        (IssueKind::Discrete { .. }, Value::Discrete(i)) => i.min(top),
        (IssueKind::Integer { min, .. }, Value::Integer(x)) => {
            (i128::from(x) - i128::from(*min)).clamp(0, i128::from(top)) as u32
        }
        (IssueKind::Real { min, max }, Value::Real(x)) if max > min => {
            ((x - min) / (max - min) * f64::from(top))
                .round()
                .clamp(0.0, f64::from(top)) as u32
        }
        _ => 0,
    }
}

/// A uniformly random outcome over the levels (GENIUS `Domain.getRandomBid`).
pub(crate) fn random_levels(issues: &[Issue], rng: &mut crate::Rng) -> Outcome {
    issues
        .iter()
        .map(|i| i.value_at(rng.random_range(0..levels(i)), crate::outcomes::REAL_LEVELS))
        .collect()
}

/// GENIUS `nextOptionIndex`: one level up or down at random, inward at the bounds.
pub(crate) fn step(level: u32, top: u32, rng: &mut crate::Rng) -> u32 {
    if top == 0 {
        return level;
    }
    let up = rng.random::<bool>();
    if level + 1 > top {
        level - 1
    } else if level == 0 || up {
        level + 1
    } else {
        level - 1
    }
}

/// The annealing acceptance probability.
pub(crate) fn probability(current: f64, next: f64, temperature: f64) -> f64 {
    let diff = current - next;
    if diff > 0.0 {
        (-diff / temperature).exp()
    } else {
        1.0
    }
}

pub(crate) fn temperature(i: usize) -> f64 {
    0.01 * (1.0 - i as f64 / ITERATIONS as f64).powi(2)
}

pub struct AgentM {
    own: Own,
    bidmax: Option<(Outcome, f64)>,
    /// Utility of the worst bid it made.
    my_worst: f64,
    opp_best: Option<(Outcome, f64)>,
    opp_worst: f64,
    /// The opponent's offers per issue and level.
    counts: Vec<Vec<u32>>,
    /// Per issue, the level the opponent offered most (below the top level).
    favourite: Vec<u32>,
}

impl AgentM {
    pub fn new(setup: &Setup) -> AgentM {
        let counts = setup
            .issues
            .iter()
            .map(|i| vec![0; levels(i).min(1 << 16) as usize])
            .collect();
        AgentM {
            own: Own::new(setup),
            bidmax: None,
            my_worst: f64::INFINITY,
            opp_best: None,
            opp_worst: f64::INFINITY,
            counts,
            favourite: vec![0; setup.issues.len()],
        }
    }

    fn u(&self, o: &[Value]) -> f64 {
        self.own.setup.utility_of(o)
    }

    /// GENIUS `nextBid`: ⌊issues/10⌋ random issues one level up or down.
    fn neighbour(&mut self, bid: &Outcome) -> Outcome {
        let issues = std::sync::Arc::clone(&self.own.setup.issues);
        let mut next = bid.clone();
        for _ in 0..issues.len() / 10 {
            let i = self.own.rng.random_range(0..issues.len());
            let top = levels(&issues[i]) - 1;
            let l = step(level_of(&issues[i], bid[i]), top, &mut self.own.rng);
            next[i] = issues[i].value_at(l, crate::outcomes::REAL_LEVELS);
        }
        next
    }

    /// Up to 1,000 random outcomes, `bidmax` raised on improvement; returns the last drawn
    /// (with its utility) and the best utility found (0 when none beat `bidmax`).
    fn sample(&mut self) -> (Outcome, f64, f64) {
        let issues = std::sync::Arc::clone(&self.own.setup.issues);
        let mut max = 0.0;
        let mut last = (Vec::new(), 0.0);
        for _ in 0..ITERATIONS {
            let bid = random_levels(&issues, &mut self.own.rng);
            let u = self.u(&bid);
            last = (bid.clone(), u);
            if self.bidmax.as_ref().is_none_or(|b| b.1 < u) {
                self.bidmax = Some((bid, u));
                max = u;
                if max > 0.98 {
                    break;
                }
            }
        }
        (last.0, last.1, max)
    }

    /// GENIUS `getRandomBid` at time `t`.
    fn next_bid(&mut self, t: f64) -> (Outcome, f64) {
        let issues = std::sync::Arc::clone(&self.own.setup.issues);
        let first = self.bidmax.is_none();
        let (mut bid, mut current, mut max) = self.sample();
        if first {
            let mut i = 0;
            while i < ITERATIONS && max < 0.999 {
                i += 1;
                let next = self.neighbour(&bid);
                let nu = self.u(&next);
                let p = probability(current, nu, temperature(i));
                if p > self.own.rng.random::<f64>() {
                    bid = next.clone();
                    current = nu;
                    if nu > max {
                        self.bidmax = Some((next, nu));
                        max = nu;
                    }
                }
            }
        } else if let Some((best, best_u)) = self.opp_best.clone() {
            let c = (self.opp_worst - best_u).powi(2) + t / 10.0;
            let endpoint = 0.999 - c;
            let mut i = 0;
            loop {
                let go = i < ITERATIONS && max < 0.999 - c;
                i += 1;
                if !(go || (i < ITERATIONS && max < endpoint)) {
                    break;
                }
                let mut next = self.neighbour(&bid);
                for j in 0..issues.len() / 5 {
                    let k = self.own.rng.random_range(0..issues.len());
                    // GENIUS draws a step here and discards it.
                    let _ = step(
                        level_of(&issues[k], bid[k]),
                        levels(&issues[k]) - 1,
                        &mut self.own.rng,
                    );
                    next[k] = if j % 2 == 0 {
                        issues[k].value_at(self.favourite[k], crate::outcomes::REAL_LEVELS)
                    } else {
                        best[k]
                    };
                    let k = self.own.rng.random_range(0..issues.len());
                    next[k] = best[k];
                }
                let nu = self.u(&next);
                let p = probability(current, nu, temperature(i));
                if p > self.own.rng.random::<f64>() {
                    bid = next.clone();
                    current = nu;
                    let kept = self.bidmax.as_ref().map_or(0.0, |b| b.1);
                    if nu > kept - c {
                        self.bidmax = Some((next, nu));
                        max = nu;
                    }
                }
            }
        }
        let chosen = self.bidmax.clone().unwrap_or_else(|| {
            let b = self.own.best();
            (b.outcome.clone(), b.utility)
        });
        self.my_worst = self.my_worst.min(chosen.1);
        chosen
    }

    /// GENIUS `isAcceptable`'s frequency update for the opponent's last offer.
    fn count(&mut self, bid: &[Value]) {
        let issues = std::sync::Arc::clone(&self.own.setup.issues);
        for (i, issue) in issues.iter().enumerate() {
            let l = level_of(issue, bid[i]) as usize;
            if let Some(c) = self.counts[i].get_mut(l) {
                *c += 1;
            }
            // The most offered level below the upper bound (first of equals, 0 if none).
            let below = self.counts[i].len().saturating_sub(1);
            let (mut best, mut most) = (0, 0);
            for (j, &c) in self.counts[i][..below].iter().enumerate() {
                if most < c {
                    best = j as u32;
                    most = c;
                }
            }
            self.favourite[i] = best;
        }
    }
}

impl Negotiator for AgentM {
    fn act(&mut self, view: &View<'_>) -> Action {
        let offer = self.own.observe(view);
        let fresh: Vec<(Outcome, f64)> = self
            .own
            .fresh()
            .map(|(b, &(_, u))| (b.clone(), u))
            .collect();
        let mut last = None;
        for (bid, u) in fresh {
            if self.opp_best.as_ref().is_none_or(|b| u > b.1) {
                self.opp_best = Some((bid.clone(), u));
            }
            self.opp_worst = self.opp_worst.min(u);
            last = Some(bid);
        }
        let (bid, _) = self.next_bid(view.time);
        if let (Some(u), Some(last)) = (
            offer,
            last.or_else(|| view.last_offer().map(|o| o.1.clone())),
        ) {
            self.count(&last);
            if u > self.my_worst && u >= view.reservation {
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
    fn annealing_accepts_worse_steps_less_as_it_cools() {
        assert_eq!(probability(0.5, 0.6, 0.01), 1.0);
        assert!((probability(0.6, 0.5, 0.01) - (-10f64).exp()).abs() < 1e-15);
        assert!((temperature(0) - 0.01).abs() < 1e-15);
        assert!((temperature(500) - 0.0025).abs() < 1e-15);
        assert_eq!(temperature(1000), 0.0);
    }

    #[test]
    fn a_step_moves_one_level_inward_at_the_bounds() {
        let mut rng = crate::rng(1, 0);
        for _ in 0..20 {
            assert_eq!(step(0, 4, &mut rng), 1);
            assert_eq!(step(4, 4, &mut rng), 3);
            let s = step(2, 4, &mut rng);
            assert!(s == 1 || s == 3);
            assert_eq!(step(0, 0, &mut rng), 0);
        }
    }

    #[test]
    fn it_accepts_only_above_its_worst_bid_and_ends_against_boulware() {
        let setup = crate::strategies::test_setup(&[4, 4], 0.0, 40);
        let mut a = AgentM::new(&setup);
        let (bid, u) = a.next_bid(0.0);
        // 1,000 draws of 16 outcomes find the best (utility 1).
        assert_eq!(u, 1.0);
        assert_eq!(a.my_worst, 1.0);
        assert_eq!(setup.utility_of(&bid), 1.0);
        crate::strategies::thefawkes::tests::duel_with_boulware("agentm");
    }
}
