//! TheNegotiator Reloaded (Dirkzwager & Hendrikx; ANAC 2012 finalist), GENIUS
//! `agents/anac/y2012/TheNegotiatorReloaded/TheNegotiatorReloaded.java` (a BOA agent) with
//! `boaframework/offeringstrategy/anac2012/TheNegotiatorReloaded_Offering.java` and its
//! `TheNegotiatorReloaded/{TimeManager,DomainAnalyzer,BSPredictor,TimeDependentFunction}.java`,
//! `acceptanceconditions/anac2012/AC_TheNegotiatorReloaded.java`, `omstrategy/NullStrategy`;
//! negmas-genius-agents ports it as `anac/y2012/the_negotiator_reloaded.py`.
//!
//! Bidding: a time-dependent target p(t) = min + (max − min)(1 − t^(1/e)), e by the opponent's
//! behaviour and the discount (a hardliner opponent: 1.9, 1.2, 0.05 for heavy, medium and
//! light discounts; a conceder: 1.7, 0.8, 0.05). Every 3 of 180 seconds a window closes: the
//! opponent is a hardliner when its best offer of the window improved on the previous
//! window's by at most 1/120, and min becomes max(rv, the Kalai–Smorodinsky point's own
//! utility × d) — the KS point of its utility against a Bayesian model of the opponent,
//! learnt until t = 0.35 (0.7 without a model or before the first window). The bid is the
//! best outcome in [p, p + 0.01] when that holds 100 outcomes, else in [p, p + 0.02], widened
//! by 0.01 while empty (spaces of 200,000 outcomes and more: the outcome nearest to p). It
//! walks away when its next bid is worth no more than its (discounted) reservation value,
//! accepts an offer of 0.98 or more, or at least its next bid (× 1.05 under a discount below
//! 0.95), and, discounted, after t = 0.99 an offer as good as the best of the last 1 − t.
//!
//! Fidelity: adapted. The opponent model is zopa's Bayesian model
//! ([`crate::opponent::BayesianModel`]), not GENIUS's `IAMhagglerBayesianModel`; the KS point
//! is the Pareto point (own utility against the model's) with the least gap between the two
//! utilities. It never accepts below its reservation value.

use crate::bidding::Span;
use crate::opponent::{BayesianModel, OpponentModel};
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

const WINDOWS: f64 = 60.0;
const MODEL_LIMIT: u128 = 200_000;
/// The model learns until this time (GENIUS `NullStrategy(0.35)`).
const LEARN_UNTIL: f64 = 0.35;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Opponent {
    Hardliner,
    Conceder,
}

pub struct TheNegotiatorReloaded {
    own: Own,
    model: Option<BayesianModel>,
    discount: f64,
    min_target: f64,
    max_target: f64,
    kalai: f64,
    opponent: Opponent,
    window: u32,
    /// Best utility of the opponent's offers since the last window closed, and the previous
    /// window's best.
    window_best: Option<f64>,
    previous_best: Option<f64>,
    made: usize,
}

impl TheNegotiatorReloaded {
    pub fn new(setup: &Setup) -> TheNegotiatorReloaded {
        let own = Own::new(setup);
        let model = (own.bids.len() < MODEL_LIMIT)
            .then(|| BayesianModel::new(std::sync::Arc::clone(&setup.issues)));
        // GENIUS reads an undiscounted domain's factor as 1.
        let discount = setup.discount.unwrap_or(1.0);
        let (min_target, opponent) = if discount > 0.001 {
            ((discount * 0.7).max(0.4), Opponent::Hardliner)
        } else {
            (0.7, Opponent::Conceder)
        };
        TheNegotiatorReloaded {
            own,
            model,
            discount,
            min_target,
            max_target: 1.0,
            kalai: 0.7,
            opponent,
            window: 0,
            window_best: None,
            previous_best: None,
            made: 0,
        }
    }

    /// The exponent for the opponent's behaviour and the discount.
    pub(crate) fn exponent(opponent_hardliner: bool, discount: f64) -> f64 {
        let heavy = (0.0001..=0.4).contains(&discount);
        let medium = discount > 0.4 && discount < 0.85;
        match (opponent_hardliner, heavy, medium) {
            (true, true, _) => 1.9,
            (true, _, true) => 1.2,
            (false, true, _) => 1.7,
            (false, _, true) => 0.8,
            _ => 0.05,
        }
    }

    pub(crate) fn target(t: f64, e: f64, min: f64, max: f64) -> f64 {
        min + (max - min) * (1.0 - t.powf(1.0 / e))
    }

    /// The Kalai–Smorodinsky point's own utility: of the Pareto-optimal outcomes (own utility
    /// against the model's), the one whose two utilities are closest.
    fn kalai_point(&self) -> f64 {
        let Some(model) = &self.model else {
            return 0.7;
        };
        let mut best_other = f64::NEG_INFINITY;
        let mut point = (f64::INFINITY, 0.7);
        for b in self.own.bids.iter(&Span::all()) {
            // Best first: a Pareto outcome from here on has own utility at most this one's and
            // the model's above `best_other`, so its gap exceeds best_other − utility; once
            // that reaches the closest gap found, none can be closer (the same point as
            // listing the whole space).
            if best_other - b.utility >= point.0 {
                break;
            }
            let other = model.utility(&b.outcome);
            if other > best_other {
                best_other = other;
                let gap = (b.utility - other).abs();
                if gap < point.0 {
                    point = (gap, b.utility);
                }
            }
        }
        point.1
    }

    /// `TimeManager.checkEndOfWindow` and the offering strategy's update.
    fn close_window(&mut self, t: f64) {
        if (t * 180.0 / (180.0 / WINDOWS)).floor() as u32 == self.window {
            return;
        }
        if t < LEARN_UNTIL {
            self.kalai = self.kalai_point();
        }
        self.opponent = match self.window_best.take() {
            None => Opponent::Hardliner,
            Some(best) => {
                let concession = match self.previous_best {
                    None => 1.0 - best,
                    Some(previous) => best - previous,
                };
                self.previous_best = Some(best);
                if concession <= 1.0 / WINDOWS / 2.0 {
                    Opponent::Hardliner
                } else {
                    Opponent::Conceder
                }
            }
        };
        self.window += 1;
        let mut kalai = self.kalai;
        if self.discount > 0.0001 {
            kalai *= self.discount;
        }
        self.min_target = self.own.setup.reservation.max(kalai);
        self.max_target = 1.0;
        if self.max_target < self.min_target {
            self.max_target = self.min_target + 0.05;
        }
    }

    /// `OMStrategy.getBid(space, target)` with the null strategy: the best outcome in
    /// [p, p + 0.01] if it holds 100, else in [p, p + 0.02], widened while empty.
    fn bid_at(&self, target: f64) -> Outcome {
        if self.model.is_none() {
            return self.own.bids.nearest(target).outcome;
        }
        let count = |upper: f64| self.own.bids.count(&Span::between(target, upper));
        let mut upper = target + 0.01;
        if count(upper) < 100 && upper < 1.01 {
            upper += 0.01;
            while count(upper) == 0 {
                if upper >= 1.01 {
                    return self.own.best().outcome.clone();
                }
                upper += 0.01;
            }
        }
        self.own
            .bids
            .first(&Span::between(target, upper))
            .map_or_else(|| self.own.best().outcome.clone(), |b| b.outcome)
    }

    fn discounted(&self, u: f64, t: f64) -> f64 {
        if self.discount > 0.0 && self.discount < 1.0 {
            u * self.discount.powf(t)
        } else {
            u
        }
    }
}

impl Negotiator for TheNegotiatorReloaded {
    fn opponent_model(&self) -> Option<&dyn OpponentModel> {
        self.model.as_ref().map(|m| m as &dyn OpponentModel)
    }

    fn act(&mut self, view: &View<'_>) -> Action {
        let offered = self.own.observe(view);
        let t = view.time;
        let fresh: Vec<(Outcome, (f64, f64))> =
            self.own.fresh().map(|(b, r)| (b.clone(), *r)).collect();
        for (bid, (time, u)) in fresh {
            self.window_best = Some(self.window_best.map_or(u, |b| b.max(u)));
            if time < LEARN_UNTIL {
                if let Some(m) = &mut self.model {
                    m.update(&bid, time);
                }
            }
        }
        let next = if self.made == 0 {
            self.own.best().outcome.clone()
        } else {
            self.close_window(t);
            let e = Self::exponent(self.opponent == Opponent::Hardliner, self.discount);
            self.bid_at(Self::target(t, e, self.min_target, self.max_target))
        };
        if let Some(u) = offered {
            let next_u = self.own.setup.utility_of(&next);
            let rv = self.discounted(view.reservation, t);
            if self.discounted(next_u, t) <= rv {
                return Action::End;
            }
            let discount_mode = self.discount > 0.001 && self.discount < 0.95;
            let rational = u >= view.reservation;
            let mut accept = u >= 0.98;
            if !discount_mode {
                accept |= u >= next_u;
            } else {
                if self.discount <= 0.4 && rv > 0.85 {
                    return Action::End;
                }
                accept |= 1.05 * u >= next_u;
                if !accept && t > 0.99 {
                    let window = 1.0 - t;
                    let recent = self
                        .own
                        .received
                        .iter()
                        .rev()
                        .take_while(|r| r.0 > t - window)
                        .filter(|r| r.0 <= t)
                        .map(|r| r.1)
                        .fold(None, |m: Option<f64>, u| Some(m.map_or(u, |m| m.max(u))));
                    accept = u >= recent.unwrap_or(0.5);
                }
            }
            if accept && rational {
                return Action::Accept;
            }
        }
        // Only the offers of the end window (t ≥ 0.99 looks back to 2t − 1) are kept.
        if t < 0.95 {
            self.own.received.clear();
        }
        self.made += 1;
        Action::Offer(next)
    }
}

#[cfg(test)]
mod tests {
    use super::TheNegotiatorReloaded as R;

    #[test]
    fn the_exponent_follows_the_opponent_and_the_discount() {
        assert_eq!(R::exponent(true, 1.0), 0.05);
        assert_eq!(R::exponent(false, 1.0), 0.05);
        assert_eq!(R::exponent(true, 0.3), 1.9);
        assert_eq!(R::exponent(false, 0.3), 1.7);
        assert_eq!(R::exponent(true, 0.6), 1.2);
        assert_eq!(R::exponent(false, 0.6), 0.8);
    }

    #[test]
    fn the_target_is_time_dependent_between_its_bounds() {
        assert_eq!(R::target(0.0, 0.05, 0.7, 1.0), 1.0);
        assert!((R::target(0.5, 1.0, 0.7, 1.0) - 0.85).abs() < 1e-12);
        assert!((R::target(1.0, 0.05, 0.7, 1.0) - 0.7).abs() < 1e-12);
    }

    #[test]
    fn bids_are_the_best_of_a_narrow_range_above_the_target() {
        let r = R::new(&crate::strategies::test_setup(&[11], 0.0, 100));
        // Utilities 0, 0.1, …, 1: [0.5, 0.52] holds 0.5 alone; the best of it is 0.5.
        let b = r.bid_at(0.5);
        assert!((r.own.setup.utility_of(&b) - 0.5).abs() < 1e-12);
        // [0.55, 0.57] is empty: widened to 0.6.
        let b = r.bid_at(0.55);
        assert!((r.own.setup.utility_of(&b) - 0.6).abs() < 1e-12);
    }

    #[test]
    fn it_ends_against_boulware() {
        crate::strategies::yushu::tests::ends_against_boulware("thenegotiatorreloaded");
    }
}
