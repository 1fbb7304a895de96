//! The random negotiator: the baseline every platform ships (GENIUS `RandomParty`, NegMAS
//! `RandomNegotiator`). It offers a uniformly random outcome among those it finds acceptable
//! (utility ≥ its reservation value) and accepts an offer at least as good as the random bid
//! it would make next (AC_next). All draws come from its own seeded stream.

use crate::acceptance::{Acceptance, Situation};
use crate::session::{Action, Negotiator, Setup, View};
use crate::strategies::Own;

pub struct RandomNegotiator {
    own: Own,
}

impl RandomNegotiator {
    pub fn new(setup: &Setup) -> RandomNegotiator {
        RandomNegotiator {
            own: Own::new(setup),
        }
    }
}

impl Negotiator for RandomNegotiator {
    fn act(&mut self, view: &View<'_>) -> Action {
        let own = &mut self.own;
        let offer_u = own.observe(view);
        // A uniformly random acceptable outcome (the best when none is).
        let span = own.at_least(view.reservation);
        let pick = own
            .bids
            .random(&span, &mut own.rng)
            .unwrap_or_else(|| own.best().clone());
        let next_bid = pick.utility;
        if let Some(u) = offer_u {
            let s = Situation {
                time: view.time,
                offer: u,
                next_bid,
                received: &own.received,
            };
            if u >= view.reservation && (Acceptance::Next { a: 1.0, b: 0.0 }).accepts(&s) {
                return Action::Accept;
            }
        }
        Action::Offer(pick.outcome)
    }
}
