//! Time-dependent concession: Faratin, Sierra & Jennings (1998), "Negotiation decision functions
//! for autonomous agents"; GENIUS `TimeDependentAgent` / `TimeDependent_Offering`.
//!
//! f(t) = k + (1 − k)·t^(1/e) (f = k when e = 0), target p(t) = P_min + (P_max − P_min)·(1 − f(t)),
//! offer the outcome nearest to p(t). e < 1 concedes late (Boulware, e = 0.2), e = 1 linearly,
//! e > 1 early (Conceder, e = 2); e = 0 never concedes (Hardliner). P_min is the current
//! reservation value, so a threat that moves it moves the curve. Acceptance is pluggable
//! (AC_next by default); an optional opponent model (frequency, windowed frequency or
//! Bayesian) picks, among outcomes within `window` of
//! the target, the one it expects the opponent to like best (GENIUS's BOA offering with OMS).
//!
//! Costs of delay (zopa's reading of Faratin et al.'s resource-dependent tactics): a party that
//! loses `c` per round of a negotiation of R rounds would burn λ = c·R / (P_max − P_min) of its
//! bargaining range by waiting to the deadline; it concedes on a clock sped up by 1 + λ,
//! t′ = min(1, t·(1 + λ)). Without a cost (every GENIUS and NegMAS scenario) t′ = t. So the side
//! that can wait longer concedes more slowly, and gains.

use crate::acceptance::{Acceptance, Situation};
use crate::bidding::{Cut, Span};
use crate::opponent::{self, ModelKind, OpponentModel};
use crate::session::{Action, Negotiator, Setup, View};
use crate::strategies::Own;

/// The parameters of a time-dependent negotiator.
#[derive(Debug, Clone, PartialEq)]
pub struct TimeDependentConfig {
    /// Concession exponent (≥ 0).
    pub e: f64,
    /// Initial concession.
    pub k: f64,
    pub acceptance: Acceptance,
    /// Opponent model used to choose among near-target outcomes, if any.
    pub model: Option<ModelKind>,
    /// Utility window around the target searched when a model is used.
    pub window: f64,
    /// Concede faster the more delay costs it (see the module docs).
    pub reads_delay: bool,
}

impl TimeDependentConfig {
    /// Exponent `e`, no initial concession, AC_next, no opponent model.
    pub fn new(e: f64) -> TimeDependentConfig {
        TimeDependentConfig {
            e,
            k: 0.0,
            acceptance: Acceptance::Next { a: 1.0, b: 0.0 },
            model: None,
            window: 0.02,
            reads_delay: true,
        }
    }

    /// f(t) of Faratin et al.
    pub fn concession(&self, t: f64) -> f64 {
        concession(self.e, self.k, t)
    }

    /// The target utility p(t) between `p_min` and `p_max`.
    pub fn target(&self, t: f64, p_min: f64, p_max: f64) -> f64 {
        p_min + (p_max - p_min) * (1.0 - self.concession(t))
    }
}

pub struct TimeDependent {
    config: TimeDependentConfig,
    own: Own,
    model: Option<Box<dyn OpponentModel>>,
}

impl TimeDependent {
    pub fn new(config: TimeDependentConfig, setup: &Setup) -> TimeDependent {
        // Without a model it reads only the utilities of the offers it receives.
        let own = match config.model {
            Some(_) => Own::new(setup),
            None => Own::scores_only(setup),
        };
        TimeDependent {
            model: config.model.map(|k| opponent::model(k, &setup.issues)),
            own,
            config,
        }
    }

    pub fn config(&self) -> &TimeDependentConfig {
        &self.config
    }
}

/// The clock a party with cost of delay `cost` per round concedes on: t·(1 + λ), capped at 1,
/// with λ = cost·rounds / range (range = P_max − P_min, its bargaining range).
pub fn urgent_time(t: f64, cost: f64, rounds: Option<u32>, range: f64) -> f64 {
    match rounds {
        Some(r) if cost > 0.0 && range > 0.0 => {
            let lambda = cost * f64::from(r) / range;
            (t * (1.0 + lambda)).min(1.0)
        }
        _ => t,
    }
}

/// f(t) = k + (1 − k)·t^(1/e); f = k when e = 0.
pub fn concession(e: f64, k: f64, t: f64) -> f64 {
    if e == 0.0 {
        k
    } else {
        k + (1.0 - k) * crate::strategies::powers::powf(t.clamp(0.0, 1.0), 1.0 / e)
    }
}

impl Negotiator for TimeDependent {
    fn opponent_model(&self) -> Option<&dyn crate::opponent::OpponentModel> {
        self.model.as_deref()
    }

    fn act(&mut self, view: &View<'_>) -> Action {
        let TimeDependentConfig {
            e,
            k,
            acceptance,
            window,
            reads_delay,
            ..
        } = self.config;
        let own = &mut self.own;
        let offer_u = own.observe(view);
        if let Some(model) = self.model.as_mut() {
            for (bid, &(t, _)) in own.fresh() {
                model.update(bid, t);
            }
        }
        let p_max = own.best().utility;
        let p_min = own.floor(view);
        let t = if reads_delay {
            let setup = &own.setup;
            urgent_time(
                view.time,
                setup.cost_per_round,
                setup.deadline.rounds,
                p_max - p_min,
            )
        } else {
            view.time
        };
        let target = p_min + (p_max - p_min) * (1.0 - concession(e, k, t));
        let mut pick = own.near(target, view);
        if let Some(model) = &self.model {
            // From the outcomes within `window` of the target (never below P_min), stretched
            // to hold the nearest one.
            let (high, low) = (target + window, (target - window).max(p_min));
            let span = Span {
                from: Some(if pick.utility < high {
                    Cut::Utility(high)
                } else {
                    Cut::Before(pick.clone())
                }),
                to: Some(if pick.utility >= low {
                    Cut::Utility(low)
                } else {
                    Cut::After(pick.clone())
                }),
            };
            if let Some(b) = own.best_for_opponent(&span, model.as_ref()) {
                pick = b;
            }
        }
        let next_bid = pick.utility;
        if let Some(u) = offer_u {
            let s = Situation {
                time: view.time,
                offer: u,
                next_bid,
                received: &own.received,
            };
            if u >= view.reservation && acceptance.accepts(&s) {
                return Action::Accept;
            }
        }
        Action::Offer(pick.outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn faratin_curve_shapes() {
        let boulware = TimeDependentConfig::new(0.2);
        let conceder = TimeDependentConfig::new(2.0);
        let linear = TimeDependentConfig::new(1.0);
        let hardliner = TimeDependentConfig::new(0.0);
        assert_eq!(boulware.target(0.0, 0.2, 1.0), 1.0);
        assert!((linear.target(0.5, 0.2, 1.0) - 0.6).abs() < 1e-12);
        assert!(boulware.target(0.5, 0.2, 1.0) > linear.target(0.5, 0.2, 1.0));
        assert!(conceder.target(0.5, 0.2, 1.0) < linear.target(0.5, 0.2, 1.0));
        assert_eq!(hardliner.target(0.99, 0.2, 1.0), 1.0);
        assert!((boulware.target(1.0, 0.2, 1.0) - 0.2).abs() < 1e-12);
    }
}
