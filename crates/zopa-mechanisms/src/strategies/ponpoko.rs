//! PonPokoAgent (Takaki Matsune; ANAC 2017 winner, individual utility), NegoLog
//! `agents/PonPoko/PonPoko.py`, after GENIUS `agents/anac/y2017/ponpokoagent/PonPokoAgent.java`.
//!
//! At the start it draws one of six threshold patterns (a band [low, high] of own utility
//! over time t):
//! 0. high 1 − 0.1t, low high − 0.1|sin 40t|;
//! 1. high 1, low 1 − 0.22t;
//! 2. high 1 − 0.1t, low high − 0.15|sin 20t|;
//! 3. high 1 − 0.05t, low 1 − 0.1t (1 − 0.3t after t = 0.99);
//! 4. high 1 − 0.15t|sin 20t|, low 1 − 0.21t|sin 20t|;
//! 5. high 1 − 0.1t, low 1 − 0.2|sin 40t|.
//!
//! It accepts an offer worth more than low, and otherwise offers a uniformly random outcome
//! of utility in [low, high], lowering low by 0.0001 until the band holds one.
//!
//! Fidelity: faithful to NegoLog, with three guards: it never accepts below its reservation
//! value; the band is a span of the bidding order (the 0.0001 steps are taken on the number
//! alone, then one draw); when no outcome is worth at most high (NegoLog would loop forever)
//! it offers its worst outcome. NegoLog draws among six patterns; GENIUS (as negmas-genius-
//! agents translates it) among the first five.

use rand::RngExt;

use crate::bidding::{Cut, Span};
use crate::session::{Action, Negotiator, Setup, View};
use crate::strategies::Own;

/// How many threshold patterns NegoLog draws among.
const PATTERNS: u32 = 6;

pub struct PonPoko {
    own: Own,
    pattern: u32,
}

impl PonPoko {
    pub fn new(setup: &Setup) -> PonPoko {
        let mut own = Own::new(setup);
        let pattern = own.rng.random_range(0..PATTERNS);
        PonPoko { own, pattern }
    }

    /// The band (low, high) of `pattern` at time `t`.
    pub(crate) fn band(pattern: u32, t: f64) -> (f64, f64) {
        let s40 = (t * 40.0).sin().abs();
        let s20 = (t * 20.0).sin().abs();
        match pattern {
            0 => (1.0 - 0.1 * t - 0.1 * s40, 1.0 - 0.1 * t),
            1 => (1.0 - 0.22 * t, 1.0),
            2 => (1.0 - 0.1 * t - 0.15 * s20, 1.0 - 0.1 * t),
            3 => {
                let low = if t > 0.99 {
                    1.0 - 0.3 * t
                } else {
                    1.0 - 0.1 * t
                };
                (low, 1.0 - 0.05 * t)
            }
            4 => (1.0 - 0.21 * t * s20, 1.0 - 0.15 * t * s20),
            _ => (1.0 - 0.2 * s40, 1.0 - 0.1 * t),
        }
    }
}

impl Negotiator for PonPoko {
    fn act(&mut self, view: &View<'_>) -> Action {
        let offer = self.own.observe(view);
        let (mut low, high) = Self::band(self.pattern, view.time);
        if offer.is_some_and(|u| u > low && u >= view.reservation) {
            return Action::Accept;
        }
        let bids = &self.own.bids;
        // The best outcome worth at most `high`: lowering `low` reaches it first.
        let Some(top) = bids.first(&Span {
            from: Some(Cut::Utility(zopa_core::bidding::next_up(high))),
            to: None,
        }) else {
            return Action::Offer(self.own.worst().outcome.clone());
        };
        if low - top.utility > 1.0 {
            low = top.utility;
        }
        while low > top.utility {
            low -= 0.0001;
        }
        let band = Span::between(low, high);
        let bid = bids.random(&band, &mut self.own.rng).unwrap_or(top).outcome;
        Action::Offer(bid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_start_at_the_top_and_follow_their_pattern() {
        for p in 0..PATTERNS {
            let (low, high) = PonPoko::band(p, 0.0);
            assert_eq!(high, 1.0, "{p}");
            assert!((0.8..=1.0).contains(&low), "{p}");
        }
        // Pattern 1 at t = 0.5: [0.89, 1].
        let (low, high) = PonPoko::band(1, 0.5);
        assert!((low - 0.89).abs() < 1e-12 && high == 1.0);
        // Pattern 3 drops late: 1 − 0.3t after 0.99.
        assert!((PonPoko::band(3, 1.0).0 - 0.7).abs() < 1e-12);
        assert!((PonPoko::band(3, 0.5).0 - 0.95).abs() < 1e-12);
        // Pattern 0 at t = 1: high 0.9, low 0.9 − 0.1|sin 40|.
        let (low, high) = PonPoko::band(0, 1.0);
        assert!((high - 0.9).abs() < 1e-12);
        assert!((low - (0.9 - 0.1 * 40f64.sin().abs())).abs() < 1e-12);
    }

    #[test]
    fn bids_stay_in_the_band_lowered_until_it_holds_one() {
        let setup = crate::strategies::test_setup(&[5, 5], 0.0, 100);
        let mut p = PonPoko::new(&setup);
        p.pattern = 1;
        let view = View {
            round: 50,
            time: 0.5,
            history: &[],
            offset: 0,
            reservation: 0.0,
        };
        // [0.89, 1]: only the best outcome (utility 1; the next is 0.875).
        for _ in 0..10 {
            let Action::Offer(o) = p.act(&view) else {
                panic!("offers")
            };
            assert_eq!(setup.utility_of(&o), 1.0);
        }
    }

    #[test]
    fn it_ends_against_boulware() {
        let r = crate::strategies::agentgg::tests::against_boulware("ponpokoagent", 60);
        assert!(r.rounds <= 60);
    }
}
