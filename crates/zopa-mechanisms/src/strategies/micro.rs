//! MiCRO: de Jonge (2022), "An analysis of the linear bilateral ANAC domains using the MiCRO
//! benchmark strategy" (ANAC 2022); NegoLog's port `agents/MICRO/MICRO.py`.
//!
//! Outcomes are ranked by own utility. MiCRO concedes (proposes the next outcome in its
//! ranking, one it has never proposed) only when the opponent has made at least as many
//! distinct offers as MiCRO has; otherwise it repeats one of its own earlier proposals at
//! random. When it concedes and the opponent has itself offered something at least as good,
//! it proposes the best such offer instead. It accepts an offer at least as good as the
//! outcome it would concede to next, and never goes below its reservation value. No opponent
//! model, no clock.
//!
//! `counts_best` (NegoLog's port): its best outcome counts as proposed from the start, so that
//! moving second, with the opponent's first offer made, it is ready to concede at once and
//! opens with its second outcome; zopa's default counts only what it has proposed, and opens
//! with its best either way.

use rand::RngExt;

use crate::bidding::Bid;
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

pub struct Micro {
    /// Concede to an equal-or-better opponent offer first (NegoLog's port); NegMAS's MiCRO
    /// always proposes the next outcome of its ranking.
    pub prefer_theirs: bool,
    /// Count its best outcome as proposed before it has proposed anything (NegoLog).
    pub counts_best: bool,
    own: Own,
    /// How many outcomes of the ranking it has proposed (it proposes them in order).
    conceded: u128,
    /// The last outcome of the ranking it proposed, and the next one.
    last: Option<Bid>,
    next: Option<Bid>,
    mine: Vec<Outcome>,
    /// The distinct offers received so far.
    distinct: Vec<Outcome>,
}

impl Micro {
    pub fn new(prefer_theirs: bool, counts_best: bool, setup: &Setup) -> Micro {
        Micro {
            prefer_theirs,
            counts_best,
            own: Own::keeping_bids(setup),
            conceded: 0,
            last: None,
            next: None,
            mine: Vec::new(),
            distinct: Vec::new(),
        }
    }
}

impl Negotiator for Micro {
    fn act(&mut self, view: &View<'_>) -> Action {
        let own = &mut self.own;
        let offer_u = own.observe(view);
        for (b, _) in own.fresh() {
            if !self.distinct.contains(b) {
                self.distinct.push(b.clone());
            }
        }
        let distinct = &self.distinct;
        if self.conceded == 0 && self.next.is_none() {
            let best = own.best().clone();
            if self.counts_best {
                // NegoLog's index starts at 1: the best is counted as proposed.
                self.next = own.bids.next_after(&best);
                self.mine.push(best.outcome.clone());
                self.last = Some(best);
                self.conceded = 1;
            } else {
                self.next = Some(best);
            }
        }
        // It may concede to the next outcome of its ranking while that is acceptable (its
        // first proposal always).
        let can_concede = match &self.next {
            Some(next) => self.conceded == 0 || next.utility >= view.reservation,
            None => false,
        };
        let ready_to_concede = distinct.len() >= self.mine.len();
        let will_concede = (ready_to_concede || self.mine.is_empty()) && can_concede;
        // The worst outcome it would propose now: the next concession, or its worst so far.
        let threshold = match (&self.next, &self.last) {
            (Some(next), _) if will_concede => next.utility,
            (_, Some(last)) => last.utility,
            _ => own.best().utility,
        };
        if let Some(u) = offer_u {
            if u >= view.reservation && u >= threshold {
                return Action::Accept;
            }
        }
        if let Some(next_bid) = self.next.take_if(|_| will_concede) {
            let next_u = threshold;
            let next = next_bid.outcome.clone();
            self.next = own.bids.next_after(&next_bid);
            self.last = Some(next_bid);
            self.conceded += 1;
            // An opponent offer at least as good as the next concession is proposed instead.
            let theirs = if self.prefer_theirs {
                own.received_bids
                    .iter()
                    .zip(&own.received)
                    .filter(|(b, (_, u))| *u >= next_u && !self.mine.contains(b))
                    .max_by(|a, b| a.1 .1.total_cmp(&b.1 .1))
                    .map(|(b, _)| b.clone())
            } else {
                None
            };
            let bid = theirs.unwrap_or(next);
            if !self.mine.contains(&bid) {
                self.mine.push(bid.clone());
            }
            return Action::Offer(bid);
        }
        let k = own.rng.random_range(0..self.mine.len().max(1));
        match self.mine.get(k) {
            Some(b) => Action::Offer(b.clone()),
            None => Action::Offer(own.best().outcome.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use zopa_core::Value;

    use super::*;
    use crate::session::Move;

    /// Micro moving second: its answer to the opponent's first offer.
    fn answer(counts_best: bool) -> Action {
        let mut setup = crate::strategies::test_setup(&[4], 0.0, 10);
        setup.index = 1;
        let mut m = Micro::new(true, counts_best, &setup);
        let history = vec![Move {
            round: 0,
            time: 0.0,
            actor: 0,
            action: Action::Offer(vec![Value::Discrete(0)]),
        }];
        m.act(&View {
            round: 0,
            time: 0.0,
            history: &history,
            offset: 0,
            reservation: 0.0,
        })
    }

    #[test]
    fn moving_second_negolog_counts_its_best_as_proposed() {
        // Values worth 0, 1/3, 2/3, 1: zopa opens with its best, NegoLog's count with the next.
        assert_eq!(answer(false), Action::Offer(vec![Value::Discrete(3)]));
        assert_eq!(answer(true), Action::Offer(vec![Value::Discrete(2)]));
    }
}
