//! CUHKAgent (Hao & Leung; ANAC 2012 winner), GENIUS `agents/anac/y2012/CUHKAgent/CUHKAgent.java`,
//! as summarised in `strategies.md` §1.5.
//!
//! Concession time c = 0.08 + 0.92·df^β (β = 1.8 if df > 0.75, 1.5 if df > 0.5, else 1.2).
//! Threshold τ(t) = Umax − (Umax − Umax·df^(1−c))·(t/c)² before c, Umax·df^(1−t) after. In
//! undiscounted domains τ would never move, so the large-domain rule (floor Umax − 0.05, then
//! Umax − 0.25 from t = 0.98) is applied to every undiscounted domain. It offers the opponent's
//! best offer when that clears τ, otherwise the outcome in [τ, Umax] whose values the opponent
//! has offered most often. It accepts when U ≥ τ, when U ≥ its next bid, or late (t > c) when U
//! is within 0.01 of the best offer received. Not reproduced: the opponent-toughness
//! adjustment of c and the adaptive `concedeToOpponent` rule; see docs/strategies.md.

use crate::opponent::FrequencyModel;
use crate::session::{Action, Negotiator, Setup, View};
use crate::strategies::{ready, Own};

#[derive(Default)]
pub struct CuhkAgent {
    own: Option<Own>,
    model: Option<FrequencyModel>,
}

impl CuhkAgent {
    fn threshold(&self, t: f64, own: &Own) -> f64 {
        let umax = own.sorted.best();
        match own.setup.discount {
            Some(df) if df < 1.0 => {
                let beta = if df > 0.75 {
                    1.8
                } else if df > 0.5 {
                    1.5
                } else {
                    1.2
                };
                let c = 0.08 + 0.92 * df.powf(beta);
                if t <= c {
                    umax - (umax - umax * df.powf(1.0 - c)) * (t / c).powi(2)
                } else {
                    umax * df.powf(1.0 - t)
                }
            }
            _ => {
                if t < 0.98 {
                    umax - 0.05 * (t / 0.98)
                } else {
                    umax - 0.25
                }
            }
        }
    }
}

impl Negotiator for CuhkAgent {
    fn init(&mut self, setup: &Setup) {
        self.own = Some(Own::new(setup));
        self.model = Some(FrequencyModel::new(setup.issues.len()));
    }

    fn act(&mut self, view: &View<'_>) -> Action {
        let (own, model) = (ready(&mut self.own), ready(&mut self.model));
        let offer_u = own.observe_into(view, model);
        let own = self.own.as_ref().expect("initialised");
        let model = self.model.as_ref().expect("initialised");
        let tau = self.threshold(view.time, own).max(view.reservation);
        let best_received = own
            .received
            .iter()
            .map(|r| r.1)
            .fold(f64::NEG_INFINITY, f64::max);
        let count = own.sorted.count_at_least(tau).max(1);
        let pick = own.best_for_opponent(0..count, model).unwrap_or(0);
        let next_u = own.sorted.utils[pick];
        if let Some(u) = offer_u {
            let late = view.time > 0.98 && u >= best_received - 0.01;
            if u >= view.reservation && (u >= tau || u >= next_u || late) {
                return Action::Accept;
            }
        }
        if best_received >= tau {
            let i = (0..own.received.len())
                .max_by(|&a, &b| own.received[a].1.total_cmp(&own.received[b].1))
                .unwrap_or(0);
            return Action::Offer(own.received_bids[i].clone());
        }
        Action::Offer(own.sorted.outcomes[pick].clone())
    }
}
