//! NegMAS's time-based negotiators (`BoulwareTBNegotiator`, `LinearTBNegotiator`,
//! `ConcederTBNegotiator`; `negmas.gb.negotiators.timebased`), reproduced so that runs can be
//! checked against NegMAS itself.
//!
//! Aspiration a(t) = 1 − t^exp (exp 4 Boulware, 1 linear, 0.25 conceder) on NegMAS's clock
//! t = (round + 1)/(rounds + 1), scaled into [min, max] where max is the best utility and min
//! the worst utility or the reservation value if higher; the band is [a·(max − min) + min −
//! 10⁻⁴, max]. It accepts an offer inside the band and proposes the worst outcome inside it
//! (`stochastic=False`), or its best outcome when the band is empty. Faratin's e and NegMAS's
//! exp are reciprocal: `aspiration:exp=4` concedes like `boulware:e=0.25`, but offers the
//! worst rather than the nearest outcome and accepts on the curve rather than by AC_next.

use crate::session::{Action, Negotiator, Setup, View};
use crate::strategies::Own;

const EPS: f64 = 1e-4;

pub struct Aspiration {
    pub exponent: f64,
    own: Own,
}

impl Aspiration {
    /// An aspiration negotiator conceding with `exponent` (> 0).
    pub fn new(exponent: f64, setup: &Setup) -> Aspiration {
        Aspiration {
            exponent,
            own: Own::scores_only(setup),
        }
    }
}

impl Negotiator for Aspiration {
    fn act(&mut self, view: &View<'_>) -> Action {
        let exponent = self.exponent;
        let own = &mut self.own;
        let offer_u = own.observe(view);
        let t = match own.setup.deadline.rounds {
            Some(r) => (f64::from(view.round) + 1.0) / (f64::from(r) + 1.0),
            None => view.time,
        }
        .min(1.0);
        let max = own.best().utility;
        let min = own.worst().utility.max(view.reservation);
        let aspiration = 1.0 - crate::strategies::powers::powf(t, exponent);
        let low = (aspiration * (max - min) + min - EPS).clamp(min, max);
        if let Some(u) = offer_u {
            if u >= low && u <= max + EPS {
                return Action::Accept;
            }
        }
        // The worst outcome inside the band (its best when the band is empty).
        let pick = own
            .bids
            .worst_at_least(low)
            .unwrap_or_else(|| own.best().clone());
        Action::Offer(pick.outcome)
    }
}
