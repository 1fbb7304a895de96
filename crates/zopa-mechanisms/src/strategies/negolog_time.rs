//! NegoLog's time-based concession agents (`agents/boulware/Boulware.py`,
//! `agents/conceder/Conceder.py`, `agents/LinearAgent/LinearAgent.py` of aniltrue/NegoLog):
//! a Bézier target after Vahidov, Kersten & Yu 2017, not Faratin's curve of zopa's own
//! `boulware` / `conceder` / `linear` (see `time_dependent.rs`).
//!
//! TU(t) = (1 − t)²·P0 + 2(1 − t)t·P1 + t²·P2, with P0 = 1 and P2 = 0.4; P1 = 0.85 (Boulware),
//! 0.7 (Linear), 0.55 (Conceder). When the reservation value rv is above P2, P2 becomes rv and
//! P1 is scaled by ((P0 + rv)/2) / ((P0 + P2)/2); the target is never below rv. It accepts
//! when the target is at most the utility of the offer on the table (NegoLog's AC_next
//! compares the *target*, not the bid it would make) and otherwise offers the outcome
//! NegoLog's `Preference.get_bid_at` picks ([`crate::bidding::Bidding::negolog_bid_at`]).
//!
//! Fidelity: faithful, with one adaptation: NegoLog reads its reservation value once; zopa's
//! can move with the scenario's events, and the curve is recomputed from the current one each
//! turn (the same curve when nothing moves it). The outcome offered is NegoLog's, ties
//! included, up to floating point: zopa's utilities are correctly rounded exact sums, NegoLog's
//! Python float sums, and near a half-way target or inside a class of equal utility the two can
//! round apart (checked against NegoLog's own `get_bid_at` on its 30 domains at 201 targets
//! each: the same outcome at 6,023 of 6,030, the same utility at 6,025).

use crate::session::{Action, Negotiator, Setup, View};
use crate::strategies::Own;

/// The three control points of the Bézier target.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Bezier {
    pub p0: f64,
    pub p1: f64,
    pub p2: f64,
}

impl Bezier {
    /// The points after NegoLog's reservation-value update: P2 raised to rv when below it,
    /// P1 scaled by the rise of the midpoint of P0 and P2.
    pub fn for_reservation(self, rv: f64) -> Bezier {
        if rv > self.p2 {
            let ratio = (self.p0 + self.p2) / 2.0;
            let updated = (self.p0 + rv) / 2.0;
            Bezier {
                p1: updated / ratio * self.p1,
                p2: rv,
                ..self
            }
        } else {
            self
        }
    }

    /// TU(t), before the floor at the reservation value.
    pub fn target(&self, t: f64) -> f64 {
        (1.0 - t) * (1.0 - t) * self.p0 + 2.0 * (1.0 - t) * t * self.p1 + t * t * self.p2
    }
}

pub struct NegologTimeDependent {
    curve: Bezier,
    own: Own,
}

impl NegologTimeDependent {
    pub fn new(curve: Bezier, setup: &Setup) -> NegologTimeDependent {
        NegologTimeDependent {
            curve,
            own: Own::new(setup),
        }
    }
}

impl Negotiator for NegologTimeDependent {
    fn act(&mut self, view: &View<'_>) -> Action {
        let offer_u = self.own.observe(view);
        let rv = view.reservation;
        let target = self.curve.for_reservation(rv).target(view.time).max(rv);
        if offer_u.is_some_and(|u| target <= u) {
            return Action::Accept;
        }
        Action::Offer(self.own.bids.negolog_bid_at(target).outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const BOULWARE: Bezier = Bezier {
        p0: 1.0,
        p1: 0.85,
        p2: 0.4,
    };

    #[test]
    fn the_curve_runs_from_p0_to_p2_and_a_high_reservation_lifts_both_late_points() {
        assert_eq!(BOULWARE.target(0.0), 1.0);
        assert!((BOULWARE.target(1.0) - 0.4).abs() < 1e-12);
        // t = 0.5: (1 + 2·0.85 + 0.4)/4.
        assert!((BOULWARE.target(0.5) - 0.775).abs() < 1e-12);
        let lifted = BOULWARE.for_reservation(0.6);
        assert_eq!(lifted.p2, 0.6);
        // P1 × ((1 + 0.6)/2) / ((1 + 0.4)/2).
        assert!((lifted.p1 - 0.85 * 0.8 / 0.7).abs() < 1e-12);
        assert_eq!(BOULWARE.for_reservation(0.3), BOULWARE);
    }
}
