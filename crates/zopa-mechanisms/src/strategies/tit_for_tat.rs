//! Tit-for-tat: Faratin, Sierra & Jennings (1998) behaviour-dependent tactics, in utility space.
//!
//! It opens with its best outcome, then mirrors the opponent's last concession. The opponent's
//! concession is read from its offers alone (a zero-sum view: what the opponent gives up is
//! what this negotiator gains): c = U(opp offer now) − U(opp offer before).
//! * absolute: the own target drops by c (rises when the opponent retracts);
//! * relative: the own target changes by the same percentage as the opponent's (estimated)
//!   own utility, (1 − U(now)) / (1 − U(before)).
//!
//! The target stays within [reservation, best]; acceptance is AC_next.

use crate::acceptance::{Acceptance, Situation};
use crate::session::{Action, Negotiator, Setup, View};
use crate::strategies::Own;

pub struct TitForTat {
    pub relative: bool,
    own: Own,
    target: f64,
}

impl TitForTat {
    /// Mirrors percentage concessions when `relative`, absolute ones otherwise.
    pub fn new(relative: bool, setup: &Setup) -> TitForTat {
        let own = Own::new(setup);
        TitForTat {
            relative,
            target: own.best().utility,
            own,
        }
    }
}

impl Negotiator for TitForTat {
    fn act(&mut self, view: &View<'_>) -> Action {
        let own = &mut self.own;
        let offer_u = own.observe(view);
        let r = &own.received;
        if r.len() >= 2 {
            let (now, before) = (r[r.len() - 1].1, r[r.len() - 2].1);
            self.target = if self.relative {
                if before < 1.0 {
                    self.target * (1.0 - now) / (1.0 - before)
                } else {
                    self.target
                }
            } else {
                self.target - (now - before)
            };
        }
        let floor = own.floor(view);
        self.target = self.target.clamp(floor, own.best().utility.max(floor));
        let pick = own.near(self.target, view);
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
