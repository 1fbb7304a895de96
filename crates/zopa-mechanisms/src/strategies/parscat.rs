//! ParsCat (ANAC 2016 runner-up, individual utility), GENIUS
//! `agents/anac/y2016/parscat/ParsCat.java`; NegoLog ports it as `agents/ParsCat/ParsCat.py`.
//!
//! Bidding: its best outcome until it has received an offer; then a random outcome within
//! tresh ± w, where (t₁ the time of the last offer received) tresh = 1 − t₁/4 (w = 0.01)
//! before 0.5, 0.9 − t₁/5 to 0.8, 0.7 + t₁/5 to 0.9, 0.8 + t₁/5 to 0.95, 1 − t₁/4 − 0.01 after
//! (w = 0.02), 0.5 at t₁ = 1; capped at 1 (w = 0.01) and from 0.5 down set to 0.49
//! (w = 0.01). When no outcome is found it lowers tresh by 0.01 and searches again. At a
//! table of two, when that bid is worth less than the best offer received, it bids that
//! offer instead.
//!
//! Acceptance: the offer is accepted when it is the bid it would make, when it is worth
//! exactly what its bid is worth, or when it reaches a zigzag in time: 1 − 0.4t to 0.25, up to
//! 0.95 at 0.375, down to 0.9 at 0.5, 0.8 at 0.6, up to 1 at 0.7, down to 0.7 at 0.8, up to
//! 0.8 at 0.9, down to 0.5 at 0.95, then up by 4 per unit of time.
//!
//! Fidelity: faithful to GENIUS's behaviour. GENIUS draws random outcomes until one falls in
//! the window, lowering it after 1000 misses; zopa draws uniformly from the window and lowers
//! it while the window is empty (at the 0.49 floor, where GENIUS would draw forever, the
//! outcome nearest it). GENIUS's random integer values never reach the upper bound and it
//! fails on real issues (then offering its best outcome forever); zopa draws from the whole
//! space. It never accepts below its reservation value. NegoLog's port differs: its t₁ is the
//! time of its own previous turn. Memory: the last and the best offer received.

use crate::bidding::Span;
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

pub struct ParsCat {
    own: Own,
    /// Time of the last offer received.
    t1: f64,
    /// The best offer received and its utility (first of equals).
    best_received: Option<(Outcome, f64)>,
}

impl ParsCat {
    pub fn new(setup: &Setup) -> ParsCat {
        ParsCat {
            own: Own::new(setup),
            t1: 0.0,
            best_received: None,
        }
    }

    /// GENIUS `isAcceptable`'s time curve.
    pub(crate) fn acceptance(t: f64) -> f64 {
        let u = if t <= 0.25 {
            1.0 - t * 0.4
        } else if t <= 0.375 {
            0.9 + (t - 0.25) * 0.4
        } else if t <= 0.5 {
            0.95 - (t - 0.375) * 0.4
        } else if t <= 0.6 {
            0.9 - (t - 0.5)
        } else if t <= 0.7 {
            0.8 + (t - 0.6) * 2.0
        } else if t <= 0.8 {
            1.0 - (t - 0.7) * 3.0
        } else if t <= 0.9 {
            0.7 + (t - 0.8)
        } else if t <= 0.95 {
            0.8 - (t - 0.9) * 6.0
        } else {
            0.5 + (t - 0.95) * 4.0
        };
        if u > 1.0 {
            0.8
        } else {
            u
        }
    }

    /// GENIUS `getRandomBid`'s window (tresh, w) at t₁, lowered by `check`.
    pub(crate) fn window(t1: f64, check: f64) -> (f64, f64) {
        let (mut tresh, mut w) = if t1 == 1.0 {
            (0.5, 0.05)
        } else if t1 < 0.5 {
            (1.0 - t1 / 4.0, 0.01)
        } else if t1 < 0.8 {
            (0.9 - t1 / 5.0, 0.02)
        } else if t1 < 0.9 {
            (0.7 + t1 / 5.0, 0.02)
        } else if t1 < 0.95 {
            (0.8 + t1 / 5.0, 0.02)
        } else {
            (1.0 - t1 / 4.0 - 0.01, 0.02)
        };
        tresh -= check;
        if tresh > 1.0 {
            tresh = 1.0;
            w = 0.01;
        }
        if tresh <= 0.5 {
            tresh = 0.49;
            w = 0.01;
        }
        (tresh, w)
    }

    /// GENIUS `getRandomBid`.
    fn random_bid(&mut self) -> (Outcome, f64) {
        let mut check = 0.0;
        let bid = loop {
            let (tresh, w) = Self::window(self.t1, check);
            let own = &mut self.own;
            if let Some(b) = own
                .bids
                .random(&Span::between(tresh - w, tresh + w), &mut own.rng)
            {
                break (b.outcome, b.utility);
            }
            if tresh <= 0.49 {
                let b = own.bids.nearest(tresh);
                break (b.outcome, b.utility);
            }
            check += 0.01;
        };
        match &self.best_received {
            Some(best) if bid.1 < best.1 && self.own.setup.negotiators == 2 => best.clone(),
            _ => bid,
        }
    }

    fn read(&mut self, view: &View<'_>) {
        let me = self.own.setup.index;
        for m in self.own.unseen(view) {
            if let (Action::Offer(o), true) = (&m.action, m.actor != me) {
                let u = self.own.setup.utility_of(o);
                self.t1 = m.time;
                if self.best_received.as_ref().is_none_or(|b| u > b.1) {
                    self.best_received = Some((o.clone(), u));
                }
            }
        }
    }
}

impl Negotiator for ParsCat {
    fn act(&mut self, view: &View<'_>) -> Action {
        self.read(view);
        let offer = self.own.observe(view);
        if self.best_received.is_none() {
            return Action::Offer(self.own.best().outcome.clone());
        }
        let (bid, mine) = self.random_bid();
        if let (Some(u), Some((_, last))) = (offer, view.last_offer()) {
            let acceptable = *last == bid || u == mine || u >= Self::acceptance(view.time);
            if acceptable && u >= view.reservation {
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
    fn the_acceptance_curve_zigzags() {
        assert_eq!(ParsCat::acceptance(0.0), 1.0);
        assert!((ParsCat::acceptance(0.25) - 0.9).abs() < 1e-12);
        assert!((ParsCat::acceptance(0.375) - 0.95).abs() < 1e-12);
        assert!((ParsCat::acceptance(0.5) - 0.9).abs() < 1e-12);
        assert!((ParsCat::acceptance(0.7) - 1.0).abs() < 1e-12);
        assert!((ParsCat::acceptance(0.95) - 0.5).abs() < 1e-12);
        assert!((ParsCat::acceptance(1.0) - 0.7).abs() < 1e-12);
    }

    #[test]
    fn the_bid_window_follows_the_last_offer_time() {
        assert_eq!(ParsCat::window(0.0, 0.0), (1.0, 0.01));
        let (tresh, w) = ParsCat::window(0.5, 0.0);
        assert!((tresh - 0.8).abs() < 1e-12 && w == 0.02);
        // t₁ = 1 sets 0.5, which the floor turns into 0.49 (w = 0.01).
        assert_eq!(ParsCat::window(1.0, 0.0), (0.49, 0.01));
        // Lowered past 0.5 it sticks at 0.49.
        assert_eq!(ParsCat::window(0.0, 0.6), (0.49, 0.01));
    }

    #[test]
    fn it_bids_in_the_window_or_the_best_offer_received() {
        let mut a = ParsCat::new(&crate::strategies::test_setup(&[11, 11], 0.0, 100));
        let (_, u) = a.random_bid();
        assert!((u - 1.0).abs() <= 0.01 + 1e-9, "{u}");
        a.t1 = 0.5;
        a.best_received = Some((vec![zopa_core::Value::Discrete(10); 2], 1.0));
        // Two at the table: the best offer received beats any bid near 0.8.
        assert_eq!(a.random_bid().1, 1.0);
    }

    #[test]
    fn a_negotiation_against_boulware_ends() {
        let r = crate::strategies::versus_boulware("parscat", &[5, 5, 4], 60);
        assert!(!matches!(r.end, crate::End::Error(_)), "{:?}", r.end);
    }
}
