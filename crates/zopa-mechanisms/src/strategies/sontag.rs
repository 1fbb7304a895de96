//! Sontag (ANAC 2018 finalist), GENIUS `agents/anac/y2018/sontag/Sontag.java`;
//! negmas-genius-agents ports it as `negotiators/anac/y2018/sontag.py`.
//!
//! Lower bound: t/2.5 − log₁₀(t/2 + 0.1) — 1 at t = 0, about 0.656 at 0.5, its least (about
//! 0.620) near t = 0.886, about 0.622 at 1. It accepts the last offer received when it is worth
//! at least that bound; it opens with its best outcome and then offers a uniformly random
//! outcome worth between the bound and 1.
//!
//! Fidelity: faithful. GENIUS redraws random outcomes until one falls in [bound, 1], which is
//! a uniform draw among them: zopa draws it directly; when none exists (where GENIUS would
//! loop forever) it offers its best outcome. It never accepts below its reservation value.
//! Memory: nothing but the last offer.

use crate::bidding::Span;
use crate::session::{Action, Negotiator, Setup, View};
use crate::strategies::Own;

pub struct Sontag {
    own: Own,
    /// Own utility of the last offer received.
    last_received: Option<f64>,
    turns: u32,
}

impl Sontag {
    pub fn new(setup: &Setup) -> Sontag {
        Sontag {
            own: Own::new(setup),
            last_received: None,
            turns: 0,
        }
    }

    /// GENIUS `getLowerBound`.
    pub(crate) fn lower_bound(t: f64) -> f64 {
        t / 2.5 - (t / 2.0 + 0.1).log10()
    }
}

impl Negotiator for Sontag {
    fn act(&mut self, view: &View<'_>) -> Action {
        let offer = self.own.observe(view);
        if let Some(&(_, u)) = self.own.fresh().last().map(|(_, r)| r) {
            self.last_received = Some(u);
        }
        let t = view.time;
        self.turns += 1;
        let bound = Self::lower_bound(t);
        // GENIUS accepts its last offer received; zopa can accept only the one on the table.
        if let (Some(u), Some(_)) = (self.last_received, offer) {
            if u >= bound && u >= view.reservation {
                return Action::Accept;
            }
        }
        if self.turns == 1 {
            return Action::Offer(self.own.best().outcome.clone());
        }
        let own = &mut self.own;
        let bid = own
            .bids
            .random(&Span::between(bound, 1.0), &mut own.rng)
            .unwrap_or_else(|| own.best().clone());
        Action::Offer(bid.outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lower_bound_falls_from_one_to_about_0_62() {
        assert!((Sontag::lower_bound(0.0) - 1.0).abs() < 1e-12);
        let half = 0.2 - 0.35f64.log10();
        assert!((Sontag::lower_bound(0.5) - half).abs() < 1e-12);
        assert!((Sontag::lower_bound(1.0) - (0.4 - 0.6f64.log10())).abs() < 1e-12);
        assert!(Sontag::lower_bound(0.886) < Sontag::lower_bound(1.0));
    }

    #[test]
    fn a_negotiation_against_boulware_ends() {
        let r = crate::strategies::versus_boulware("sontag", &[5, 5, 4], 60);
        assert!(!matches!(r.end, crate::End::Error(_)), "{:?}", r.end);
    }
}
