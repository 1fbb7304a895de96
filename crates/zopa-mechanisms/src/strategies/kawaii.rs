//! Kawaii (Baba et al.; ANAC 2015 runner-up), GENIUS `agents/anac/y2015/fairy/` —
//! `kawaii.java` (the turn), `strategy.java` (threshold, accept, walk away) and `bidSearch.java`
//! (the bid search, Atlas3's without the neighbourhood search and the frequency list); NegoLog
//! ports it as `agents/Kawaii/`.
//!
//! Threshold: 1 − (1 − 0.8)·t², lowered toward 0.8 by the share of the other parties that
//! accepted since its last turn (GENIUS clears that count each time it computes the threshold,
//! so only the acceptance test sees it), times df^t, never below 0.8. It accepts at or above
//! the threshold, walks away when rv·df^t is above it, and otherwise bids the relative-utility
//! search's outcome for the threshold (Atlas3's `RelativeSearch`).
//!
//! Fidelity: faithful, with Atlas3's adaptations (its best outcome from the bidding order, not
//! simulated annealing; the annealing fallback of non-linear spaces taken as the least utility
//! at or above the threshold; seeded random streams).

use crate::session::{Action, Negotiator, Setup, View};
use crate::strategies::atlas3::RelativeSearch;
use crate::strategies::Own;

/// Kawaii's lowest threshold.
const MIN_THRESHOLD: f64 = 0.8;

pub struct Kawaii {
    own: Own,
    search: RelativeSearch,
    /// Parties whose last move was an accept (GENIUS `opponentsBool`), cleared when read.
    accepted: Vec<bool>,
}

impl Kawaii {
    pub fn new(setup: &Setup) -> Kawaii {
        Kawaii {
            own: Own::new(setup),
            search: RelativeSearch::new(setup),
            accepted: vec![false; setup.negotiators],
        }
    }

    /// GENIUS `strategy.getThreshold` with `accepts` of `others` having accepted.
    pub(crate) fn threshold(t: f64, df: f64, accepts: usize, others: usize) -> f64 {
        let mut threshold = 1.0 - (1.0 - MIN_THRESHOLD) * t.powf(1.0 / 0.5);
        if others > 0 {
            threshold -= (threshold - MIN_THRESHOLD) * accepts as f64 / others as f64;
        }
        threshold *= df.powf(t);
        threshold.max(MIN_THRESHOLD)
    }

    fn threshold_now(&mut self, t: f64, df: f64) -> f64 {
        let accepts = self.accepted.iter().filter(|&&a| a).count();
        self.accepted.iter_mut().for_each(|a| *a = false);
        Self::threshold(t, df, accepts, self.own.setup.negotiators.saturating_sub(1))
    }
}

impl Negotiator for Kawaii {
    fn act(&mut self, view: &View<'_>) -> Action {
        let me = self.own.setup.index;
        for m in self.own.unseen(view) {
            if m.actor != me && m.actor < self.accepted.len() {
                match m.action {
                    Action::Accept => self.accepted[m.actor] = true,
                    Action::Offer(_) => self.accepted[m.actor] = false,
                    Action::End => {}
                }
            }
        }
        let offer = self.own.observe(view);
        let t = view.time;
        let rv = view.reservation;
        let df = self.own.setup.discount.unwrap_or(1.0);
        if let Some(u) = offer {
            if u >= rv && u >= self.threshold_now(t, df) {
                return Action::Accept;
            }
        }
        if rv * df.powf(t) > self.threshold_now(t, df) {
            return Action::End;
        }
        let threshold = self.threshold_now(t, df);
        self.search.max_bid(&self.own);
        if self.search.has_real {
            return Action::Offer(self.search.random_above(threshold, &mut self.own));
        }
        let base = {
            let own = &mut self.own;
            let b = own
                .bids
                .random(&crate::bidding::Span::all(), &mut own.rng)
                .unwrap_or_else(|| own.best().clone());
            (b.outcome, b.utility)
        };
        let (bid, _) = self.search.appropriate(base, threshold, &mut self.own);
        Action::Offer(bid)
    }
}

#[cfg(test)]
mod tests {
    use super::Kawaii;

    #[test]
    fn the_threshold_falls_from_one_to_its_floor_and_accepts_pull_it_down() {
        assert_eq!(Kawaii::threshold(0.0, 1.0, 0, 1), 1.0);
        // 1 − 0.2·0.25 at t = 0.5.
        assert!((Kawaii::threshold(0.5, 1.0, 0, 1) - 0.95).abs() < 1e-12);
        assert!((Kawaii::threshold(1.0, 1.0, 0, 1) - 0.8).abs() < 1e-12);
        // One of two others accepted: halfway to 0.8.
        assert!((Kawaii::threshold(0.5, 1.0, 1, 2) - 0.875).abs() < 1e-12);
        // A discount pulls it to the floor, never below.
        assert_eq!(Kawaii::threshold(0.9, 0.5, 0, 1), 0.8);
    }
}
