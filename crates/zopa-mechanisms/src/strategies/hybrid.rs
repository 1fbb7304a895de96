//! HybridAgent (Keskin, Çakan & Aydoğan 2021; ANAC 2022 entrant), NegoLog
//! `agents/HybridAgent/HybridAgent.py` (NegoLog's own agent; there is no GENIUS version).
//!
//! A time-based Bézier target TB(t) = (1 − t)²·1 + 2(1 − t)t·0.75 + t²·p2, p2 = max(0.55, rv),
//! mixed with a behaviour-based one once more than two offers were received: the own-utility
//! differences Δ of the opponent's last (up to four) consecutive offers, weighted by the
//! window W (1; 0.25, 0.75; 0.11, 0.22, 0.66; 0.05, 0.15, 0.3, 0.5 — most weight on the most
//! recent), move its last bid's utility: BB = U(last own bid) − (0.5 + 0.5t)·ΣWΔ. The target
//! is (1 − t²)·BB + t²·TB, never below rv. It accepts an offer worth at least the target
//! (AC_next on the target) and otherwise offers the outcome NegoLog's `get_bid_at` picks.
//!
//! Fidelity: faithful, with the adaptation of zopa's NegoLog Bézier agents: p2 follows the
//! current reservation value (events may move it), and NegoLog's own-utility history of
//! received offers is kept only as long as the window needs (the last five).

use crate::session::{Action, Negotiator, Setup, View};
use crate::strategies::Own;

/// The behaviour-based window, by the number of differences it weighs.
const WINDOWS: [&[f64]; 4] = [
    &[1.0],
    &[0.25, 0.75],
    &[0.11, 0.22, 0.66],
    &[0.05, 0.15, 0.3, 0.5],
];

pub struct HybridAgent {
    own: Own,
    /// Own utility of its last bid.
    last_bid: Option<f64>,
}

impl HybridAgent {
    pub fn new(setup: &Setup) -> HybridAgent {
        HybridAgent {
            own: Own::new(setup),
            last_bid: None,
        }
    }

    /// The time-based target.
    pub(crate) fn time_based(t: f64, rv: f64) -> f64 {
        let p2 = 0.55f64.max(rv);
        (1.0 - t) * (1.0 - t) + 2.0 * (1.0 - t) * t * 0.75 + t * t * p2
    }

    /// The behaviour-based target from the own utilities of the opponent's recent offers
    /// (oldest first) and of its own last bid.
    pub(crate) fn behaviour_based(t: f64, received: &[f64], last_bid: f64) -> f64 {
        let diffs: Vec<f64> = received.windows(2).map(|w| w[1] - w[0]).collect();
        let diffs = &diffs[diffs.len().saturating_sub(WINDOWS.len())..];
        let delta: f64 = match diffs.len() {
            0 => 0.0,
            n => diffs.iter().zip(WINDOWS[n - 1]).map(|(d, w)| d * w).sum(),
        };
        last_bid - (0.5 + 0.5 * t) * delta
    }
}

impl Negotiator for HybridAgent {
    fn act(&mut self, view: &View<'_>) -> Action {
        let offer = self.own.observe(view);
        let t = view.time;
        let rv = view.reservation;
        let mut target = Self::time_based(t, rv);
        let received = &self.own.received;
        if received.len() > 2 {
            if let Some(last) = self.last_bid {
                let recent: Vec<f64> = received[received.len().saturating_sub(WINDOWS.len() + 1)..]
                    .iter()
                    .map(|&(_, u)| u)
                    .collect();
                let behaviour = Self::behaviour_based(t, &recent, last);
                target = (1.0 - t * t) * behaviour + t * t * target;
            }
        }
        let target = target.max(rv);
        if offer.is_some_and(|u| target <= u) {
            return Action::Accept;
        }
        let bid = self.own.bids.negolog_bid_at(target);
        self.last_bid = Some(bid.utility);
        Action::Offer(bid.outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_time_based_target_is_the_bezier_curve() {
        assert_eq!(HybridAgent::time_based(0.0, 0.0), 1.0);
        // (1 + 2·0.75 + 0.55)/4 at t = 0.5.
        assert!((HybridAgent::time_based(0.5, 0.0) - 0.7625).abs() < 1e-12);
        assert!((HybridAgent::time_based(1.0, 0.0) - 0.55).abs() < 1e-12);
        assert!((HybridAgent::time_based(1.0, 0.7) - 0.7).abs() < 1e-12);
    }

    #[test]
    fn the_opponents_concessions_are_mirrored_through_the_window() {
        // Two differences (0.1, 0.2): Δ = 0.25·0.1 + 0.75·0.2 = 0.175; at t = 0 the last
        // bid moves down by 0.5Δ.
        let bb = HybridAgent::behaviour_based(0.0, &[0.3, 0.4, 0.6], 0.9);
        assert!((bb - (0.9 - 0.5 * 0.175)).abs() < 1e-12);
        // Five differences: only the last four count.
        let bb = HybridAgent::behaviour_based(1.0, &[0.0, 0.9, 0.9, 0.9, 0.9, 1.0], 0.8);
        assert!((bb - (0.8 - 1.0 * 0.5 * 0.1)).abs() < 1e-12);
    }

    #[test]
    fn it_ends_against_boulware() {
        let r = crate::strategies::agentgg::tests::against_boulware("hybridagent", 60);
        assert!(r.rounds <= 60);
    }
}
