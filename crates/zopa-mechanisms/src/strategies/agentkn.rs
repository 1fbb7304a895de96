//! AgentKN (Keita Nakamura; ANAC 2017 finalist, Nash category), NegoLog `agents/AgentKN/`
//! (`AgentKN.py`, `etc/negotiationStrategy.py`, `etc/bidSearch.py`, `etc/negotiatingInfo.py`).
//! GENIUS's Java (`agents/anac/y2017/agentkn/`) was not found among the sources at hand;
//! fidelity is to NegoLog's port.
//!
//! From the mean μ and standard deviation σ of the own utilities of the offers received it
//! estimates the opponent's range d = √3·σ / (√(μ(1 − μ)) + 10⁻¹⁰) and the most it may
//! concede, emax = μ + (1 − μ)d.
//!
//! * Threshold: 1 − (1 − 0.7·emax)·t⁵ (the strategy's emax is scaled by 0.7).
//! * Accepts an offer worth at least the threshold.
//! * Bids at max(emax, threshold): Atlas3's relative-utility search from its best outcome
//!   (issues and values in random order, each value taken while the concession stays above
//!   threshold − 1), run eleven times as NegoLog does (the first search, then ten from random
//!   bases) and the second result kept; its best outcome when that falls short. A search that
//!   falls short marks the space non-linear, and from then on the least outcome at or above
//!   the threshold is taken.
//!
//! Fidelity: faithful to NegoLog, with Atlas3's adaptations ([`super::atlas3`]: its best
//! outcome from the bidding order rather than simulated annealing, the annealing fallback of
//! non-linear spaces taken as the least utility at or above the threshold), a seeded stream,
//! μ(1 − μ) floored at 0 (NegoLog would fail on a utility above 1), and it never accepts
//! below its reservation value. NegoLog keeps none of GENIUS's frequency scoring of the ten
//! candidates (it takes the first), and neither does this port.

use crate::session::{Action, Negotiator, Setup, View};
use crate::strategies::atlas3::RelativeSearch;
use crate::strategies::Own;

pub struct AgentKN {
    own: Own,
    search: RelativeSearch,
    /// Offers received, the sum of their utilities and of their squares.
    count: usize,
    sum: f64,
    squares: f64,
}

impl AgentKN {
    pub fn new(setup: &Setup) -> AgentKN {
        AgentKN {
            own: Own::new(setup),
            search: RelativeSearch::new(setup),
            count: 0,
            sum: 0.0,
            squares: 0.0,
        }
    }

    /// NegoLog `bidSearch.emax` for mean `mu` and standard deviation `sd`.
    pub(crate) fn emax(mu: f64, sd: f64) -> f64 {
        let d = 3f64.sqrt() * sd / ((mu * (1.0 - mu)).max(0.0).sqrt() + 1e-10);
        mu + (1.0 - mu) * d
    }

    /// NegoLog `strategy.getThreshold`: 1 − (1 − 0.7·emax)·t⁵.
    pub(crate) fn threshold(t: f64, mu: f64, sd: f64) -> f64 {
        1.0 - (1.0 - 0.7 * Self::emax(mu, sd)) * t.powi(5)
    }

    fn stats(&self) -> (f64, f64) {
        if self.count == 0 {
            return (0.0, 0.0);
        }
        let n = self.count as f64;
        let mu = self.sum / n;
        let var = (self.squares / n - mu * mu).max(0.0);
        (mu, var.sqrt())
    }
}

impl Negotiator for AgentKN {
    fn act(&mut self, view: &View<'_>) -> Action {
        let offer = self.own.observe(view);
        for (_, &(_, u)) in self.own.fresh() {
            self.count += 1;
            self.sum += u;
            self.squares += u * u;
        }
        let (mu, sd) = self.stats();
        let threshold = Self::threshold(view.time, mu, sd);
        if offer.is_some_and(|u| u >= threshold && u >= view.reservation) {
            return Action::Accept;
        }
        let target = Self::emax(mu, sd).max(threshold);
        let best = self.search.max_bid(&self.own);
        // NegoLog's getBid: one search, ten more from random bases, the first of those kept.
        let mut kept = self.search.appropriate(best.clone(), target, &mut self.own);
        for k in 0..10 {
            let bid = self.search.appropriate(best.clone(), target, &mut self.own);
            if k == 0 {
                kept = bid;
            }
        }
        if kept.1 < target {
            kept = self.search.max_bid(&self.own);
        }
        Action::Offer(kept.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_threshold_falls_late_toward_the_estimated_best_offer() {
        // No offers yet: emax = 0, threshold 1 − t⁵.
        assert_eq!(AgentKN::threshold(0.0, 0.0, 0.0), 1.0);
        assert!((AgentKN::threshold(0.5, 0.0, 0.0) - (1.0 - 1.0 / 32.0)).abs() < 1e-12);
        assert!(AgentKN::threshold(1.0, 0.0, 0.0).abs() < 1e-12);
        // μ = 0.5, σ = 0.1: d = √3·0.1/0.5, emax = 0.5 + 0.5d.
        let d = 3f64.sqrt() * 0.1 / (0.25f64.sqrt() + 1e-10);
        let emax = 0.5 + 0.5 * d;
        assert!((AgentKN::emax(0.5, 0.1) - emax).abs() < 1e-12);
        assert!((AgentKN::threshold(1.0, 0.5, 0.1) - 0.7 * emax).abs() < 1e-12);
    }

    #[test]
    fn bids_clear_the_target() {
        let setup = crate::strategies::test_setup(&[5, 5, 5], 0.0, 100);
        let mut a = AgentKN::new(&setup);
        let view = View {
            round: 10,
            time: 0.1,
            history: &[],
            offset: 0,
            reservation: 0.0,
        };
        for _ in 0..10 {
            let Action::Offer(o) = a.act(&view) else {
                panic!("offers")
            };
            assert!(setup.utility_of(&o) >= AgentKN::threshold(0.1, 0.0, 0.0) - 1e-12);
        }
    }

    #[test]
    fn it_ends_against_boulware() {
        let r = crate::strategies::agentgg::tests::against_boulware("agentkn", 60);
        assert!(r.rounds <= 60);
    }
}
