//! OMAC (Chen & Weiss; ANAC 2012 finalist), GENIUS
//! `agents/anac/y2012/OMACagent/{OMACagent,TimeBidHistory}.java`; negmas-genius-agents ports
//! it as `anac/y2012/omac_agent.py`.
//!
//! It splits time into 100 blocks and records the best (undiscounted) utility the opponent
//! offered in each. Its own curve: u(t) = min + (1 − t^(1/0.033))·(max − min), min = 0.69
//! (with a discount d < 0.845: from d^0.2 down to 1.05·0.59, exponent 1/0.04). Until t = 0.75
//! (d/3 under a heavy discount) it bids its best (around 0.95·best when its reservation value
//! is above 0.3). Then, once per block, it predicts the opponent's next best from a
//! three-block moving average of the block maxima plus the mean and a scaled deviation of the
//! residuals: at 1 or more it returns to its best, above its own curve it aims along the line
//! from its curve now to that prediction, else it follows its curve. Bids are random outcomes
//! within ±1 % of the aim (discounted by d^t), the aim raised by 20 % while the opponent made a
//! new best offer in the last 1.5 of 180 seconds; the opponent's best offer instead when it is
//! worth as much, or after t = 0.999 when it is worth more than 0.59·d^t. It accepts an offer
//! worth at least its next bid, or (after t = 0.97, or always under a heavy discount) one of
//! its own earlier bids.
//!
//! Fidelity: faithful. Random outcomes are drawn as GENIUS draws them — uniformly over the
//! space, up to 4,000 draws, the upper bound widened by 0.005 every 500 draws after 1,000 — but
//! over the bidding order (a uniform rank; real issues on its grid where GENIUS's code always
//! picks one value); its seeded stream stands for GENIUS's `Random(100)`. It keeps the set of
//! its own distinct bids, and never accepts below its reservation value.

use std::collections::HashSet;

use crate::opponent::outcome_key;
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

const DISCOUNT_THRESHOLD: f64 = 0.845;
const MAX_TIME: f64 = 180.0;
const TIME_INT: f64 = 1.0 / 100.0;

pub struct OmacAgent {
    own: Own,
    minimum: f64,
    res_u: f64,
    eu: f64,
    discount: f64,
    max_u: f64,
    /// Best undiscounted opponent utility per block of 0.01.
    blocks: [f64; 100],
    best_opp: Option<(Outcome, f64)>,
    /// Time of the opponent's last new best offer.
    mc_time: Option<f64>,
    mine: HashSet<Vec<u64>>,
    my_last: Option<Outcome>,
    t_count: u32,
    next_uti: f64,
    /// (est_t, est_u, est_mu, est_mt).
    est: (f64, f64, f64, f64),
}

impl OmacAgent {
    pub fn new(setup: &Setup) -> OmacAgent {
        let own = Own::new(setup);
        let res_u = setup.reservation;
        let mut minimum = 0.59;
        if minimum < res_u {
            minimum = res_u * 1.06;
        }
        let discount = setup
            .discount
            .filter(|d| *d > 0.0 && *d <= 1.0)
            .unwrap_or(1.0);
        let max_u = own.best().utility;
        OmacAgent {
            own,
            minimum,
            res_u,
            eu: 0.95 * max_u,
            discount,
            max_u,
            blocks: [0.0; 100],
            best_opp: None,
            mc_time: None,
            mine: HashSet::new(),
            my_last: None,
            t_count: 0,
            next_uti: 0.96,
            est: (0.0, 0.0, 0.0, 0.0),
        }
    }

    /// `getOriU`: its own concession curve.
    pub(crate) fn curve(t: f64, max_u: f64, minimum: f64, discount: f64) -> f64 {
        if discount >= DISCOUNT_THRESHOLD {
            let mut min = 0.69;
            if min < minimum {
                min = minimum * 1.05;
            }
            min + (1.0 - t.powf(1.0 / 0.033)) * (max_u - min)
        } else {
            let (high, low) = (discount.powf(0.2), minimum * 1.05);
            low + (1.0 - t.powf(1.0 / 0.04)) * (high - low)
        }
    }

    fn ori(&self, t: f64) -> f64 {
        Self::curve(t, self.max_u, self.minimum, self.discount)
    }

    /// `getPre`: the predicted next block maximum, −1 before three blocks have passed.
    pub(crate) fn predict(blocks: &[f64], t: f64) -> f64 {
        let n = ((t * 100.0).floor() as usize).min(blocks.len());
        if n < 3 {
            return -1.0;
        }
        let max = &blocks[..n];
        let mut ma = vec![0.0; n];
        for i in 2..n {
            ma[i] = (max[i] + max[i - 1] + max[i - 2]) / 3.0;
        }
        let res: Vec<f64> = (0..n).map(|i| max[i] - ma[i]).collect();
        let avg = |a: &[f64]| a.iter().sum::<f64>() / a.len() as f64;
        let len = n as f64;
        let squares: f64 = res.iter().map(|r| r * r).sum();
        let std = (len / (len - 1.0) * (squares / len - avg(&res).powi(2))).sqrt();
        ma[n - 1]
            + avg(&res)
            + std * (1.0 - max[n - 1].powi(4)) * (1.3 + 0.66 * (1.0 - t * t).powf(0.4))
    }

    /// `getNextUti`.
    fn next_uti(&mut self, t: f64) -> f64 {
        let later = self.ori(t + TIME_INT);
        let exma = Self::predict(&self.blocks, t);
        if exma >= 1.0 {
            -3.0
        } else if exma > later {
            self.est = (t + TIME_INT, exma, self.ori(t), t);
            -2.0
        } else {
            -1.0
        }
    }

    /// `genRanBid`: uniform draws over the space until one falls in [min, fmax].
    fn random_bid(&mut self, min: f64, max: f64) -> Option<Outcome> {
        let total = self.own.bids.len();
        let mut fmax = max;
        let mut limit = 1000;
        let low = self.own.bids.count_at_least(min);
        let mut high = self.own.bids.count_at_least(fmax.next_up());
        for counter in 1..=4001u32 {
            let k = crate::bidding::draw_below(&mut self.own.rng, total);
            if (high..low).contains(&k) {
                return self.own.bids.at_rank(k).map(|b| b.outcome);
            }
            if counter > limit {
                limit += 500;
                fmax += 0.005;
                high = self.own.bids.count_at_least(fmax.next_up());
            }
        }
        self.my_last.clone()
    }

    fn around(&mut self, aim: f64) -> Option<Outcome> {
        self.random_bid(aim * 0.99, aim * 1.01)
    }

    /// `getFinalBid`.
    fn final_bid(&mut self, t: f64) -> Option<Outcome> {
        let d = self.discount;
        let best = self.own.best().outcome.clone();
        if d >= DISCOUNT_THRESHOLD {
            if t <= 0.75 {
                if self.res_u <= 0.3 {
                    return Some(best);
                }
                return self.around(self.eu);
            } else if t > 0.01 * f64::from(self.t_count + 75) {
                self.next_uti = self.next_uti(t);
                self.t_count += 1;
            }
        } else if t <= d / 3.0 {
            if self.res_u <= 0.3 {
                return Some(best);
            }
            return self.random_bid(self.eu * 0.98, self.eu * 1.02);
        } else if t > 0.01 * f64::from(self.t_count + (d / 3.0 * 100.0).floor() as u32) {
            self.next_uti = self.next_uti(t);
            self.t_count += 1;
        }
        let val = if self.next_uti == -3.0 {
            if self.res_u <= 0.3 {
                return Some(best);
            }
            self.eu
        } else if self.next_uti == -2.0 {
            let (et, eu, emu, emt) = self.est;
            emu + (t - emt) * (eu - emu) / (et - emt)
        } else if self.next_uti == -1.0 {
            self.ori(t)
        } else {
            0.0
        };
        let la_time = self.mc_time.unwrap_or(0.0) * MAX_TIME;
        let bid = if t * MAX_TIME - la_time > 1.5 || t > 0.995 {
            self.around(val * d.powf(t))
        } else if val * 0.99 * 1.2 >= self.max_u {
            Some(best)
        } else {
            self.around(1.2 * val * d.powf(t))
        };
        let bid = bid.or_else(|| self.my_last.clone())?;
        if let Some((opp, _)) = &self.best_opp {
            let opp_u = self.own.setup.utility_of(opp);
            if opp_u >= self.own.setup.utility_of(&bid)
                || (t > 0.999 && opp_u > self.minimum * d.powf(t))
            {
                return Some(opp.clone());
            }
        }
        Some(bid)
    }

    /// `chooseBidAction`.
    fn bid(&mut self, t: f64) -> Action {
        let bid = if t <= 0.02 {
            Some(self.own.best().outcome.clone())
        } else {
            self.final_bid(t)
        };
        match bid {
            Some(b) => {
                self.mine.insert(outcome_key(&b));
                self.my_last = Some(b.clone());
                Action::Offer(b)
            }
            None => Action::End,
        }
    }
}

impl Negotiator for OmacAgent {
    fn act(&mut self, view: &View<'_>) -> Action {
        let offered = self.own.observe(view);
        let t = view.time;
        let fresh: Vec<(Outcome, (f64, f64))> =
            self.own.fresh().map(|(b, r)| (b.clone(), *r)).collect();
        for (bid, (time, u)) in fresh {
            let undiscounted = u / self.discount.powf(time);
            if self.best_opp.as_ref().is_none_or(|b| undiscounted > b.1) {
                self.best_opp = Some((bid, undiscounted));
                self.mc_time = Some(time);
            }
            let block = ((time.min(0.99999)) * 100.0).floor() as usize;
            let block = block.min(99);
            if self.blocks[block] < undiscounted {
                self.blocks[block] = undiscounted;
            }
        }
        self.own.received.clear();
        let (Some(u), Some((_, bid))) = (offered, view.last_offer()) else {
            return self.bid(0.0);
        };
        let rational = u >= view.reservation;
        if (self.discount < DISCOUNT_THRESHOLD || t > 0.97)
            && self.mine.contains(&outcome_key(bid))
            && rational
        {
            return Action::Accept;
        }
        let action = self.bid(t);
        if let Action::Offer(mine) = &action {
            if u >= self.own.setup.utility_of(mine) && rational {
                return Action::Accept;
            }
        }
        action
    }
}

#[cfg(test)]
mod tests {
    use super::OmacAgent;

    #[test]
    fn its_curve_holds_until_late_then_drops_to_its_minimum() {
        // Undiscounted, best 1: 0.69 + (1 − t^(1/0.033))·0.31.
        assert_eq!(OmacAgent::curve(0.0, 1.0, 0.59, 1.0), 1.0);
        let half = 0.69 + (1.0 - 0.5f64.powf(1.0 / 0.033)) * 0.31;
        assert!((OmacAgent::curve(0.5, 1.0, 0.59, 1.0) - half).abs() < 1e-12);
        assert!((OmacAgent::curve(1.0, 1.0, 0.59, 1.0) - 0.69).abs() < 1e-12);
        // A reservation value of 0.7 makes the minimum 0.742, the floor 1.05 times that.
        assert!((OmacAgent::curve(1.0, 1.0, 0.742, 1.0) - 0.7791).abs() < 1e-12);
        // A heavy discount: from d^0.2 to 1.05·0.59.
        assert!((OmacAgent::curve(0.0, 1.0, 0.59, 0.5) - 0.5f64.powf(0.2)).abs() < 1e-12);
        assert!((OmacAgent::curve(1.0, 1.0, 0.59, 0.5) - 0.6195).abs() < 1e-12);
    }

    #[test]
    fn the_prediction_follows_the_moving_average_of_block_maxima() {
        assert_eq!(OmacAgent::predict(&[0.5; 100], 0.02), -1.0);
        // Constant maxima 0.5 over three blocks: ma = [0, 0, 0.5], residuals [0.5, 0.5, 0],
        // mean 1/3, deviation √(3/2·(1/6 − 1/9)) = √(1/12).
        let t: f64 = 0.03;
        let std = (1.0f64 / 12.0).sqrt();
        let want = 0.5 + 1.0 / 3.0 + std * (1.0 - 0.0625) * (1.3 + 0.66 * (1.0 - t * t).powf(0.4));
        assert!((OmacAgent::predict(&[0.5; 100], t) - want).abs() < 1e-12);
    }

    #[test]
    fn it_ends_against_boulware() {
        crate::strategies::yushu::tests::ends_against_boulware("omacagent");
    }
}
