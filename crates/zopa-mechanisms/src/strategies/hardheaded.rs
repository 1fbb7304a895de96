//! HardHeaded (van Krimpen, Looije & Hajizadeh; ANAC 2011 winner), GENIUS
//! `agents/anac/y2011/HardHeaded/KLH.java`, as summarised in `strategies.md` §1.3.
//!
//! A very late concession curve p(t) = min + (1 − F(t))·(max − min) with
//! F(t) = Ka + (1 − Ka)·(t/df)^(1/e), Ka = 0.05, e = 0.05 and min = max(0.585, reservation).
//! With a discount factor df < 0.9 the curve concedes faster after t = df (e = 30 there). Each
//! turn it walks one step down its ranking while staying above p(t); among the outcomes within
//! 0.01 above p(t) it proposes the one its HardHeaded frequency model expects the opponent to
//! like best; if the opponent already offered something at least as good, it proposes that.
//! It accepts an offer better than the worst it has proposed so far, or at least as good as its
//! next proposal. Simplifications against KLH: no −1e−8 tie offsets (ties keep enumeration
//! order), and the four-bid shortlist is folded into the model-based choice.

use crate::opponent::FrequencyModel;
use crate::session::{Action, Negotiator, Setup, View};
use crate::strategies::{ready, Own};

const KA: f64 = 0.05;
const E: f64 = 0.05;
const MIN_UTILITY: f64 = 0.585;

#[derive(Default)]
pub struct HardHeaded {
    own: Option<Own>,
    model: Option<FrequencyModel>,
    /// Position in the ranking of its latest step down.
    step: usize,
    lowest_offered: f64,
}

impl HardHeaded {
    fn p(&self, t: f64, own: &Own, reservation: f64) -> f64 {
        let max = own.sorted.best();
        let min = MIN_UTILITY.max(reservation).min(max);
        let df = own.setup.discount.unwrap_or(1.0);
        let f = if df >= 0.9 {
            KA + (1.0 - KA) * (t / df).min(1.0).powf(1.0 / E)
        } else if t <= df {
            KA + (1.0 - KA) * (t / df).powf(df / E)
        } else {
            KA + (1.0 - KA) * t.powf(1.0 / 30.0)
        };
        min + (1.0 - f.min(1.0)) * (max - min)
    }
}

impl Negotiator for HardHeaded {
    fn init(&mut self, setup: &Setup) {
        self.own = Some(Own::new(setup));
        self.model = Some(FrequencyModel::new(setup.issues.len()));
        self.lowest_offered = f64::INFINITY;
    }

    fn act(&mut self, view: &View<'_>) -> Action {
        let (own, model) = (ready(&mut self.own), ready(&mut self.model));
        let offer_u = own.observe_into(view, model);
        let own = self.own.as_ref().expect("initialised");
        let p = self.p(view.time, own, view.reservation);
        // One step down the ranking, but not below p.
        let mut next = (self.step + 1).min(own.sorted.len() - 1);
        if own.sorted.utils[next] < p {
            next = self.step;
        }
        let window_end = own.sorted.count_at_least(p).max(next + 1);
        let window_start = own.sorted.count_at_least(p + 0.01).min(next);
        let model = self.model.as_ref().expect("initialised");
        let mut pick = own
            .best_for_opponent(window_start..window_end, model)
            .unwrap_or(next);
        if self.step == 0 && view.history.iter().all(|m| m.actor != own.setup.index) {
            pick = 0; // the opening bid is its best
        }
        let next_u = own.sorted.utils[pick];
        if let Some(u) = offer_u {
            if u >= view.reservation && (u > self.lowest_offered || u >= next_u) {
                return Action::Accept;
            }
        }
        // The opponent's best offer so far, if at least as good as the planned bid.
        let best_theirs = own
            .received
            .iter()
            .enumerate()
            .max_by(|a, b| a.1 .1.total_cmp(&b.1 .1))
            .filter(|(_, (_, u))| *u >= next_u)
            .map(|(i, _)| own.received_bids[i].clone());
        self.step = next;
        let bid = best_theirs.unwrap_or_else(|| own.sorted.outcomes[pick].clone());
        self.lowest_offered = self.lowest_offered.min(own.setup.utility_of(&bid));
        Action::Offer(bid)
    }
}
