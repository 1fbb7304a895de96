//! CaduceusDC16 (ANAC 2017 runner-up), GENIUS
//! `agents/anac/y2017/caduceusdc16/CaduceusDC16.java`: Caduceus's portfolio idea with the
//! ANAC 2016 finalists as experts — YXAgent, ParsCat, Farma, MyAgent and Atlas3 2016, scores
//! normalise([5, 4, 3, 2, 1]).
//!
//! Until t = 0.83·df it offers its best outcome while the experts only hear the offers. Then
//! every expert acts: it accepts when the accepting experts outscore the bidding ones and the
//! offer is worth at least 0.75 to it (GENIUS: its mean utility over earlier sessions, 0.75
//! in the first); when the bidders outscore them it offers, issue by issue, the value the
//! bidders proposed with the most weight (a value's first proposer counts 1, each further one
//! its score — GENIUS's quirk); otherwise its best.
//!
//! Experts are zopa's strategies of those names, looked up in the registry when it is built:
//! `yxagent`, `parscat`, `farma`, `myagent`, and `atlas3` standing in for Atlas3 2016 (zopa
//! has GENIUS's 2015 Atlas3). An expert zopa does not register abstains — it counts for
//! neither accepting nor bidding — as does one that walks away.
//!
//! Fidelity: adapted — the experts (above); they hear the offers made before they are first
//! consulted all at once, with their times (as `caduceus` does); ties between values are
//! broken by first proposer (GENIUS: hash order); no data is carried between sessions; it
//! never accepts below its reservation value.

use crate::registry::{Kind, Spec};
use crate::session::{Action, Move, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

/// The portfolio in score order, by registry name.
pub const EXPERTS: [&str; 5] = ["yxagent", "parscat", "farma", "myagent", "atlas3"];
const SCORES: [f64; 5] = [5.0, 4.0, 3.0, 2.0, 1.0];
/// Its least acceptable utility without earlier sessions (GENIUS `selfReservationValue`).
const SELF_RESERVATION: f64 = 0.75;

pub struct CaduceusDc16 {
    /// Expert k, when zopa registers it.
    experts: Vec<Option<Box<dyn Negotiator>>>,
    own: Own,
    /// Every move until the experts are first consulted (then given to them at once).
    heard: Option<Vec<Move>>,
    /// Its best-offer phase ends at this time (0.83·df).
    until: f64,
}

impl CaduceusDc16 {
    pub fn new(setup: &Setup) -> CaduceusDc16 {
        let experts = EXPERTS
            .iter()
            .enumerate()
            .map(|(k, name)| {
                let spec = Spec::parse(name).ok()?;
                let r = crate::registry::resolve(&spec, Kind::Negotiator).ok()?;
                let mut s = setup.clone();
                s.seed = crate::protocols::derive_seed(setup.seed, 100 + k as u64);
                Some(r.negotiator(&s))
            })
            .collect();
        let df = setup.discount.filter(|d| *d > 0.0).unwrap_or(1.0);
        CaduceusDc16 {
            experts,
            own: Own::new(setup),
            heard: Some(Vec::new()),
            until: 0.83 * df,
        }
    }

    fn score(k: usize) -> f64 {
        SCORES[k] / SCORES.iter().sum::<f64>()
    }

    /// GENIUS `getMostProposedBidWithWeight` over the bids of the experts `bidders`.
    pub(crate) fn most_proposed(bidders: &[(usize, Outcome)]) -> Option<Outcome> {
        let issues = bidders.first()?.1.len();
        let mut bid = Vec::with_capacity(issues);
        for i in 0..issues {
            let mut weights: Vec<(zopa_core::Value, f64)> = Vec::new();
            for (k, b) in bidders {
                let v = *b.get(i)?;
                match weights.iter_mut().find(|(x, _)| *x == v) {
                    Some((_, w)) => *w += Self::score(*k),
                    None => weights.push((v, 1.0)),
                }
            }
            let mut best = weights.first()?;
            for w in &weights {
                if w.1 > best.1 {
                    best = w;
                }
            }
            bid.push(best.0);
        }
        Some(bid)
    }

    /// What the experts say: accept (when allowed), a bid, or nothing (its best).
    pub(crate) fn vote(actions: &[Option<Action>], offer_ok: bool) -> Option<Action> {
        let mut accept = 0.0;
        let mut bid = 0.0;
        let mut bidders = Vec::new();
        for (k, a) in actions.iter().enumerate() {
            match a {
                Some(Action::Accept) => accept += Self::score(k),
                Some(Action::Offer(o)) => {
                    bid += Self::score(k);
                    bidders.push((k, o.clone()));
                }
                _ => {}
            }
        }
        if accept > bid && offer_ok {
            return Some(Action::Accept);
        }
        if bid > accept {
            return Self::most_proposed(&bidders).map(Action::Offer);
        }
        None
    }
}

impl Negotiator for CaduceusDc16 {
    fn act(&mut self, view: &View<'_>) -> Action {
        if let Some(heard) = &mut self.heard {
            heard.extend_from_slice(self.own.unseen(view));
        }
        let offer = self.own.observe(view);
        if view.time < self.until {
            return Action::Offer(self.own.best().outcome.clone());
        }
        let actions: Vec<Option<Action>> = match self.heard.take() {
            Some(heard) => {
                let all = View {
                    history: &heard,
                    offset: 0,
                    ..*view
                };
                self.experts
                    .iter_mut()
                    .map(|e| e.as_mut().map(|e| e.act(&all)))
                    .collect()
            }
            None => self
                .experts
                .iter_mut()
                .map(|e| e.as_mut().map(|e| e.act(view)))
                .collect(),
        };
        let offer_ok = offer.is_some_and(|u| u >= SELF_RESERVATION && u >= view.reservation);
        match Self::vote(&actions, offer_ok) {
            Some(a) => a,
            None => Action::Offer(self.own.best().outcome.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use zopa_core::Value;

    use super::*;

    fn offer(levels: &[u32]) -> Option<Action> {
        Some(Action::Offer(
            levels.iter().map(|&l| Value::Discrete(l)).collect(),
        ))
    }

    #[test]
    fn accepts_need_the_score_and_its_own_floor() {
        // YXAgent (5) and ParsCat (4) accepting outscore Farma, MyAgent and Atlas3 (6 of 15).
        let actions = [
            Some(Action::Accept),
            Some(Action::Accept),
            offer(&[0]),
            offer(&[1]),
            offer(&[2]),
        ];
        assert_eq!(CaduceusDc16::vote(&actions, true), Some(Action::Accept));
        // Below its floor it does not accept, and the bidders do not outscore: its best.
        assert_eq!(CaduceusDc16::vote(&actions, false), None);
        // Absent experts abstain.
        let actions = [None, None, offer(&[2]), Some(Action::Accept), None];
        assert_eq!(CaduceusDc16::vote(&actions, true), offer(&[2]));
    }

    #[test]
    fn the_most_proposed_value_counts_one_then_scores() {
        // Issue 0: value 1 by YXAgent (1) and ParsCat (+4/15) beats value 2 by Farma (1).
        // Issue 1: three values proposed once each: the first proposer's (1 each, first kept).
        let bidders = vec![
            (0, vec![Value::Discrete(1), Value::Discrete(0)]),
            (1, vec![Value::Discrete(1), Value::Discrete(1)]),
            (2, vec![Value::Discrete(2), Value::Discrete(2)]),
        ];
        assert_eq!(
            CaduceusDc16::most_proposed(&bidders),
            Some(vec![Value::Discrete(1), Value::Discrete(0)])
        );
    }

    #[test]
    fn it_offers_its_best_until_083_and_ends_against_boulware() {
        let setup = crate::strategies::test_setup(&[4, 4], 0.0, 40);
        let mut c = CaduceusDc16::new(&setup);
        assert!(c.experts[2].is_some(), "farma is registered");
        let view = View {
            round: 0,
            time: 0.5,
            history: &[],
            offset: 0,
            reservation: 0.0,
        };
        let best = c.own.best().outcome.clone();
        assert_eq!(c.act(&view), Action::Offer(best));
        crate::strategies::thefawkes::tests::duel_with_boulware("caduceusdc16");
    }
}
