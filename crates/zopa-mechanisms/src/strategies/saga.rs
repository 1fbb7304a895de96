//! SAGA (Yuta Hosokawa; ANAC 2019 finalist), NegoLog `agents/SAGA/SAGAAgent.py`, after
//! GENIUS `agents/anac/y2019/saga/SAGA.java`.
//!
//! SAGA's genetic algorithm estimates its own preferences under 2019's preference
//! uncertainty; with its utility known (NegoLog leaves the algorithm switched off) it bids on
//! time alone:
//!
//! * Target: m + (1 − m)(1 − t⁵), with m = u₁ + 0.6(1 − u₁) (u₁: own utility of the first
//!   offer received, 0.95 before one) and m ≥ rv.
//! * Offers NegoLog's random bid above the target: a utility drawn uniformly in
//!   [max(target, rv), 1] and the outcome NegoLog's `get_bid_at` picks for it.
//! * Accepts (never below rv) with a probability: up to t = 0.6,
//!   ((u − T)/(1 − T))^(3^(1 − 2t)); from t = 0.997, u²; between, with
//!   P = 0.15((t − 0.6)/0.4)² and base B = T − (1 − T)(t − 0.6)/0.4: P + (1 − P)·((u −
//!   T)/(1 − T))^(3^(1 − 2t)) above the target, P((u − B)/(T − B))² between B and T, else 0.
//!   (A negative base raised to a fractional power is NaN: no acceptance, as in NegoLog.)
//!
//! Fidelity: faithful to NegoLog (its probabilities keep NegoLog's 10⁻¹⁰ guards), with draws
//! from its seeded stream.

use rand::RngExt;

use crate::session::{Action, Negotiator, Setup, View};
use crate::strategies::Own;

pub struct Saga {
    own: Own,
    /// Own utility of the first offer received (0.95 before one).
    first: Option<f64>,
}

impl Saga {
    pub fn new(setup: &Setup) -> Saga {
        Saga {
            own: Own::new(setup),
            first: None,
        }
    }

    /// NegoLog `getTarget`.
    pub(crate) fn target(t: f64, first: f64, rv: f64) -> f64 {
        let min = (first + 0.6 * (1.0 - first)).max(rv);
        min + (1.0 - min) * (1.0 - t.powi(5))
    }

    /// NegoLog `isAcceptable`'s probability of accepting utility `u` at `t` (target `target`).
    pub(crate) fn accept_probability(t: f64, target: f64, u: f64) -> f64 {
        let (a, b) = (0.6, 0.997);
        let exponent = 3f64.powf((0.5 - t) * 2.0);
        if t <= a {
            return ((u - target) / (1.0 - target + 1e-10)).powf(exponent);
        }
        if t >= b {
            return u * u;
        }
        let share = (t - a) / (1.0 - a + 1e-10);
        let at_t = 0.15 * share * share;
        let base = target - (1.0 - target) * share;
        if u > target {
            at_t + (1.0 - at_t) * ((u - target) / (1.0 - target + 1e-10)).powf(exponent)
        } else if u > base {
            at_t * ((u - base) / (target - base + 1e-10)).powi(2)
        } else {
            0.0
        }
    }
}

impl Negotiator for Saga {
    fn act(&mut self, view: &View<'_>) -> Action {
        let offer = self.own.observe(view);
        if self.first.is_none() {
            self.first = self.own.received.first().map(|&(_, u)| u);
        }
        let rv = view.reservation;
        let target = Self::target(view.time, self.first.unwrap_or(0.95), rv);
        if let Some(u) = offer {
            if u >= rv {
                let p = Self::accept_probability(view.time, target, u);
                let draw: f64 = self.own.rng.random();
                if draw < p {
                    return Action::Accept;
                }
            }
        }
        // NegoLog `get_random_bid(lower_bound = target)`.
        let (mut low, mut high) = (target.max(rv).max(0.0), 1.0f64);
        if low > high {
            std::mem::swap(&mut low, &mut high);
        }
        let x: f64 = self.own.rng.random();
        Action::Offer(self.own.bids.negolog_bid_at(x * (high - low) + low).outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_target_falls_from_one_to_its_floor() {
        // u₁ = 0.5: floor 0.8.
        assert_eq!(Saga::target(0.0, 0.5, 0.0), 1.0);
        assert!((Saga::target(0.5, 0.5, 0.0) - (0.8 + 0.2 * (1.0 - 1.0 / 32.0))).abs() < 1e-12);
        assert!((Saga::target(1.0, 0.5, 0.0) - 0.8).abs() < 1e-12);
        assert!((Saga::target(1.0, 0.5, 0.9) - 0.9).abs() < 1e-12);
    }

    #[test]
    fn acceptance_grows_with_utility_and_time() {
        // t = 0.5: exponent 1, so (u − T)/(1 − T).
        let p = Saga::accept_probability(0.5, 0.8, 0.9);
        assert!((p - 0.1 / (0.2 + 1e-10)).abs() < 1e-9);
        // Below the target before 0.6: NaN, never accepted.
        assert!(Saga::accept_probability(0.3, 0.8, 0.7).is_nan());
        // After 0.997: u².
        assert!((Saga::accept_probability(0.999, 0.8, 0.5) - 0.25).abs() < 1e-12);
        // t = 0.8, T = 0.8: P = 0.15·0.25, base 0.8 − 0.2·0.5 = 0.7; u = 0.75 halfway.
        let share: f64 = 0.2 / (0.4 + 1e-10);
        let at_t = 0.15 * share * share;
        let base = 0.8 - 0.2 * share;
        let want: f64 = at_t * ((0.75f64 - base) / (0.8 - base + 1e-10)).powi(2);
        assert!((Saga::accept_probability(0.8, 0.8, 0.75) - want).abs() < 1e-12);
        assert_eq!(Saga::accept_probability(0.8, 0.8, 0.6), 0.0);
    }

    #[test]
    fn it_ends_against_boulware() {
        let r = crate::strategies::agentgg::tests::against_boulware("saga", 60);
        assert!(r.rounds <= 60);
    }
}
