//! Atlas3 (Mori & Ito; ANAC 2015 winner), GENIUS `agents/anac/y2015/Atlas3/`, as summarised in
//! `strategies.md` §1.6 (the GENIUS q formula, not NegoLog's divergent port).
//!
//! The threshold comes from a 2×2 "final offer" game: A11 = rv·df, A12 = df, A21 = C·df with C
//! the best utility the opponent has offered (rv·df when below rv), A22 = (A21 + A12)/2;
//! q = 1/(1 − (A11 − A21)/(A12 − A22)) (1 outside [0, 1]); target = (q·A21 + (1 − q)·A22)/df^t;
//! threshold = target + (1 − target)(1 − t) when df = 1, else max(1 − t/df, target). It accepts
//! at or above the threshold, walks away when its discounted reservation value beats the
//! threshold, and bids above the threshold the outcome whose values the opponent uses most
//! (frequency model). In the final phase (the last few expected turns) it re-offers, best first,
//! the opponent's own offers that clear its reservation value, and accepts anything above it.

use crate::opponent::FrequencyModel;
use crate::session::{Action, Negotiator, Setup, View};
use crate::strategies::Own;

pub struct Atlas3 {
    own: Own,
    model: FrequencyModel,
    final_index: usize,
}

impl Atlas3 {
    pub fn new(setup: &Setup) -> Atlas3 {
        Atlas3 {
            own: Own::keeping_bids(setup),
            model: FrequencyModel::new(setup.issues.len()),
            final_index: 0,
        }
    }

    fn threshold(t: f64, rv: f64, df: f64, best_offered: f64) -> f64 {
        let a11 = rv * df;
        let a12 = df;
        let a21 = if best_offered < rv {
            rv * df
        } else {
            best_offered * df
        };
        let a22 = 0.5 * a21 + 0.5 * a12;
        let mut q = 1.0 / (1.0 - (a11 - a21) / (a12 - a22));
        if !(0.0..=1.0).contains(&q) || !q.is_finite() {
            q = 1.0;
        }
        let target = (q * a21 + (1.0 - q) * a22) / df.powf(t);
        if df >= 1.0 {
            target + (1.0 - target) * (1.0 - t)
        } else {
            (1.0 - t / df).max(target)
        }
    }
}

impl Negotiator for Atlas3 {
    fn act(&mut self, view: &View<'_>) -> Action {
        let offer_u = self.own.observe_into(view, &mut self.model);
        let (own, model) = (&self.own, &self.model);
        let df = own.setup.discount.unwrap_or(1.0);
        let rv = view.reservation;
        let t = view.time;
        let best_offered = own.received.iter().map(|r| r.1).fold(0.0, f64::max);
        let threshold = Self::threshold(t, rv, df, best_offered);
        // Final phase: the time one exchange takes, times the candidates left (+1).
        let mut candidates: Vec<usize> = (0..own.received.len())
            .filter(|&i| own.received[i].1 >= rv)
            .collect();
        candidates.sort_by(|&a, &b| own.received[b].1.total_cmp(&own.received[a].1));
        candidates.dedup_by(|a, b| own.received_bids[*a] == own.received_bids[*b]);
        let step = if view.round > 0 {
            t / f64::from(view.round)
        } else {
            0.0
        };
        let final_phase = step > 0.0 && t > 1.0 - step * (candidates.len() as f64 + 1.0);
        if let Some(u) = offer_u {
            if u >= rv && (u >= threshold || (final_phase && u > rv)) {
                return Action::Accept;
            }
        }
        if rv * df.powf(t) >= threshold && rv > 0.0 {
            return Action::End;
        }
        if final_phase && self.final_index < candidates.len() {
            let i = candidates[self.final_index];
            self.final_index += 1;
            return Action::Offer(own.received_bids[i].clone());
        }
        let pick = own
            .best_for_opponent(&own.at_least(threshold), model)
            .unwrap_or_else(|| own.best().clone());
        Action::Offer(pick.outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::Atlas3;

    #[test]
    fn threshold_falls_with_time_and_respects_the_opponents_best_offer() {
        let early = Atlas3::threshold(0.1, 0.0, 1.0, 0.5);
        let late = Atlas3::threshold(0.9, 0.0, 1.0, 0.5);
        assert!(early > late && late >= 0.5, "{early} {late}");
        assert!(Atlas3::threshold(1.0, 0.0, 1.0, 0.7) >= 0.7);
    }
}
