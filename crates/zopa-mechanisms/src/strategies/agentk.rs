//! Agent K2 (Kawaguchi, Fujita & Ito; ANAC 2011 version of the ANAC 2010 winner AgentK), GENIUS
//! `agents/anac/y2011/AgentK2/Agent_K2.java`, as summarised in `strategies.md` §1.4.
//!
//! From the utilities of the opponent's offers it estimates how far the opponent will go
//! (mean μ, deviation d = √(12σ²), estMax = μ + (1 − μ)·d) and sets a target that falls from 1
//! towards estMax with exponent α = 1 + τ + 10μ − 2τμ (τ = 2). It accepts with probability
//! p = t^α/5 + (U − estMax) + (U − target) (p < 0.1 counts as 0); it bids a random earlier
//! opponent offer above the target, or a random outcome above a jittered bid target, lowering
//! the bar by 0.01 every 500 failed draws. All draws use its own seeded stream.

use rand::RngExt;

use crate::session::{Action, Negotiator, Setup, View};
use crate::strategies::Own;

const TAU: f64 = 2.0;

pub struct AgentK {
    own: Own,
}

impl AgentK {
    pub fn new(setup: &Setup) -> AgentK {
        AgentK {
            own: Own::keeping_bids(setup),
        }
    }
}

impl Negotiator for AgentK {
    fn act(&mut self, view: &View<'_>) -> Action {
        let own = &mut self.own;
        let offer_u = own.observe(view);
        let t = view.time;
        let us: Vec<f64> = own.received.iter().map(|r| r.1).collect();
        let (mean, var) = if us.is_empty() {
            (0.0, 0.0)
        } else {
            let m = us.iter().sum::<f64>() / us.len() as f64;
            (
                m,
                us.iter().map(|u| (u - m).powi(2)).sum::<f64>() / us.len() as f64,
            )
        };
        let d = (12.0 * var).sqrt();
        let est_max = mean + (1.0 - mean) * d;
        let alpha = 1.0 + TAU + 10.0 * mean - 2.0 * TAU * mean;
        let beta = alpha + own.rng.random::<f64>() * TAU - TAU / 2.0;
        let target_of = |exp: f64| {
            let pre = 1.0 - t.powf(exp) * (1.0 - est_max);
            let ratio = if pre < 1.0 {
                ((d + 0.1) / (1.0 - pre)).min(2.0)
            } else {
                2.0
            };
            let mut target = ratio * pre + 1.0 - ratio;
            if target > est_max {
                let r = target - est_max;
                let denom = 400.0 - 300.0 * t.powi(3);
                let f = (1.0 / (r * r)).min(denom);
                target -= r * f / denom;
            } else {
                target = est_max;
            }
            let df = own.setup.discount.unwrap_or(1.0);
            target * df.powf(t)
        };
        let floor = view.reservation;
        let target = target_of(alpha).max(floor);
        let bid_target = target_of(beta).max(floor);
        if let Some(u) = offer_u {
            let p = t.powf(alpha) / 5.0 + (u - est_max) + (u - target);
            let p = if p < 0.1 { 0.0 } else { p };
            if u >= floor && own.rng.random::<f64>() < p {
                return Action::Accept;
            }
        }
        // A random earlier opponent offer above the target.
        let above: Vec<usize> = (0..own.received.len())
            .filter(|&i| own.received[i].1 > target)
            .collect();
        if !above.is_empty() {
            let i = above[own.rng.random_range(0..above.len())];
            return Action::Offer(own.received_bids[i].clone());
        }
        // Random search above the bid target, lowering it by 0.01 every 500 draws.
        // A uniformly random outcome of the whole space is above the bar exactly when its rank
        // is below the number of outcomes above the bar.
        let space = own.bids.len();
        let mut bar = bid_target;
        let mut above = own.bids.count_at_least(bar.max(floor));
        for tries in 1..=20_000 {
            let k = crate::bidding::draw_below(&mut own.rng, space);
            if k < above {
                if let Some(b) = own.bids.at_rank(k) {
                    return Action::Offer(b.outcome);
                }
            }
            if tries % 500 == 0 {
                bar -= 0.01;
                above = own.bids.count_at_least(bar.max(floor));
            }
        }
        let rational = own
            .bids
            .worst_at_least(floor)
            .unwrap_or_else(|| own.best().clone());
        Action::Offer(rational.outcome)
    }
}
