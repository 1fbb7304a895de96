//! KakeSoba (ANAC 2019 finalist), GENIUS `agents/anac/y2019/kakesoba/KakeSoba.java`;
//! negmas-genius-agents ports it as `negotiators/anac/y2019/kake_soba.py`.
//!
//! It counts its own offers' values per issue and, after opening with its best outcome, offers
//! among the outcomes worth (discounted) between 0.85 and 1 and at least its reservation value
//! the one that makes the count profile — each issue's counts divided by their maximum — closest
//! (sum of absolute differences) to its own value evaluations, so that a frequency model of its
//! offers learns its preferences; its best outcome stays unless another is strictly closer. It
//! accepts an offer worth (discounted) at least 0.85 and its reservation value, and, with a
//! round deadline and not having moved first, anything above its reservation value in the last
//! round. On a non-additive utility or with a non-discrete issue it only offers random outcomes
//! (GENIUS's `isInvalid`).
//!
//! Fidelity: adapted. The search is GENIUS's over the same outcomes, run as a bound search on
//! the bidding order (the distance is a sum of per-issue terms, an additive estimate) instead
//! of iterating the whole space; equally close outcomes go to the first in the bidding order
//! (GENIUS: iteration order). Evaluations are each issue's values divided by the issue's best
//! (GENIUS reads them raw from its utility space, which for KakeSoba's own estimates is
//! normalised so). Its uncertainty-league utility estimation (a tabu search over additive
//! spaces fitted to a bid ranking) is not needed: zopa negotiators know their utility. It never
//! accepts below its reservation value. Memory: one count per issue value.

use zopa_core::{IssueKind, Value};

use crate::bidding::{Bid, Span};
use crate::opponent::OpponentModel;
use crate::session::{Action, Negotiator, Setup, View};
use crate::strategies::Own;

const LOWER_BOUND: f64 = 0.85;

/// The distance of the count profile from the evaluations after one more offer, as an
/// additive estimate: per issue and value, the issue's largest distance minus its distance
/// when that value is counted once more (larger is closer).
struct Closeness {
    terms: Vec<Vec<f64>>,
    /// Per issue, the largest distance (the offsets of the terms).
    offsets: Vec<f64>,
}

impl Closeness {
    fn term(&self, i: usize, v: Value) -> f64 {
        match v {
            Value::Discrete(k) => self.terms[i].get(k as usize).copied().unwrap_or(0.0),
            _ => 0.0,
        }
    }

    /// The distance GENIUS's `getErrorWithNewBid` computes for `outcome`.
    fn error(&self, outcome: &[Value]) -> f64 {
        outcome
            .iter()
            .enumerate()
            .map(|(i, &v)| self.offsets[i] - self.term(i, v))
            .sum()
    }
}

impl OpponentModel for Closeness {
    fn name(&self) -> &'static str {
        "kakesoba-closeness"
    }

    fn update(&mut self, _bid: &[Value], _time: f64) {}

    fn utility(&self, outcome: &[Value]) -> f64 {
        outcome
            .iter()
            .enumerate()
            .map(|(i, &v)| self.term(i, v))
            .sum::<f64>()
    }

    fn estimate(&self, values: &[Vec<Value>]) -> Option<zopa_core::bidding::Estimate> {
        Some(crate::bidding::estimate(
            values,
            |i, v| self.term(i, v),
            1.0,
        ))
    }
}

pub struct KakeSoba {
    own: Own,
    /// Per issue, its value evaluations over their maximum; None when GENIUS's agent is invalid.
    evaluations: Option<Vec<Vec<f64>>>,
    counts: Vec<Vec<f64>>,
    turns: u32,
    first_party: bool,
    df: f64,
}

impl KakeSoba {
    pub fn new(setup: &Setup) -> KakeSoba {
        let discrete = setup
            .issues
            .iter()
            .all(|i| matches!(i.kind, IssueKind::Discrete { .. }));
        let evaluations = setup
            .utility
            .as_additive()
            .filter(|_| discrete)
            .and_then(|a| {
                a.evaluators
                    .iter()
                    .map(|e| {
                        let vs = e.evaluations()?;
                        let max = vs.iter().copied().fold(f64::NEG_INFINITY, f64::max);
                        Some(
                            vs.iter()
                                .map(|&x| if max > 0.0 { x / max } else { x })
                                .collect::<Vec<f64>>(),
                        )
                    })
                    .collect::<Option<Vec<_>>>()
            });
        let counts = evaluations
            .as_ref()
            .map(|e| e.iter().map(|vs| vec![0.0; vs.len()]).collect())
            .unwrap_or_default();
        KakeSoba {
            own: Own::new(setup),
            evaluations,
            counts,
            turns: 0,
            first_party: false,
            df: setup.discount.unwrap_or(1.0),
        }
    }

    /// GENIUS `getError` of counts `c` against evaluations `e` for one issue.
    pub(crate) fn issue_error(c: &[f64], e: &[f64]) -> f64 {
        let max = c.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        c.iter().zip(e).map(|(x, y)| (x / max - y).abs()).sum()
    }

    fn closeness(&self) -> Closeness {
        let evaluations = self.evaluations.as_deref().unwrap_or(&[]);
        let mut terms = Vec::with_capacity(evaluations.len());
        let mut offsets = Vec::with_capacity(evaluations.len());
        for (c, e) in self.counts.iter().zip(evaluations) {
            let errors: Vec<f64> = (0..c.len())
                .map(|k| {
                    let mut c = c.clone();
                    c[k] += 1.0;
                    Self::issue_error(&c, e)
                })
                .collect();
            let top = errors.iter().copied().fold(0.0, f64::max);
            terms.push(errors.iter().map(|x| top - x).collect());
            offsets.push(top);
        }
        Closeness { terms, offsets }
    }

    fn count(&mut self, outcome: &[Value]) {
        for (c, v) in self.counts.iter_mut().zip(outcome) {
            if let Value::Discrete(k) = v {
                if let Some(x) = c.get_mut(*k as usize) {
                    *x += 1.0;
                }
            }
        }
    }

    /// GENIUS `generateBid`.
    fn generate(&mut self, t: f64, rv: f64) -> Bid {
        let d = self.df.powf(t).max(f64::MIN_POSITIVE);
        let model = self.closeness();
        let best = self.own.best().clone();
        let span = Span::between(LOWER_BOUND.max(rv * d) / d, 1.0 / d);
        match self.own.best_for_opponent(&span, &model) {
            Some(b) if model.error(&b.outcome) < model.error(&best.outcome) => b,
            _ => best,
        }
    }
}

impl Negotiator for KakeSoba {
    fn act(&mut self, view: &View<'_>) -> Action {
        let offer = self.own.observe(view);
        let t = view.time;
        self.turns += 1;
        if self.evaluations.is_none() {
            let own = &mut self.own;
            let b = own
                .bids
                .random(&Span::all(), &mut own.rng)
                .unwrap_or_else(|| own.best().clone());
            return Action::Offer(b.outcome);
        }
        let me = self.own.setup.index;
        let last_other = view.history.iter().rev().find(|m| m.actor != me);
        match last_other.map(|m| &m.action) {
            Some(Action::Offer(_)) | Some(Action::Accept) => {}
            _ => self.first_party = true,
        }
        let rv = view.reservation;
        if let (Some(u), Some(Action::Offer(_))) = (offer, last_other.map(|m| &m.action)) {
            let d = self.df.powf(t);
            if u * d >= LOWER_BOUND && u >= rv {
                return Action::Accept;
            }
            let last_round = self
                .own
                .setup
                .deadline
                .rounds
                .is_some_and(|r| self.own.setup.deadline.time.is_none() && view.round + 1 >= r);
            if last_round && !self.first_party && u > rv {
                return Action::Accept;
            }
        }
        let bid = if self.turns == 1 {
            self.own.best().clone()
        } else {
            self.generate(t, rv)
        };
        self.count(&bid.outcome);
        Action::Offer(bid.outcome)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issue_error_compares_normalised_counts_with_evaluations() {
        // Counts (2, 1, 0) → (1, 0.5, 0) against evaluations (0, 0.5, 1): 1 + 0 + 1.
        assert_eq!(
            KakeSoba::issue_error(&[2.0, 1.0, 0.0], &[0.0, 0.5, 1.0]),
            2.0
        );
        assert_eq!(
            KakeSoba::issue_error(&[0.0, 1.0, 2.0], &[0.0, 0.5, 1.0]),
            0.0
        );
    }

    #[test]
    fn its_offers_spread_to_mirror_its_evaluations() {
        // Three issues of five values (0, 0.25, …, 1): at or above 0.85 only the best outcome
        // and those with one issue at 0.75. After the best, (3, 4, 4) brings issue 0's counts
        // (0, 0, 0, 1, 1) closer to its evaluations: error 1 instead of 1.5 (and so do the
        // two other issues' equivalents; the bidding order decides among them).
        let mut k = KakeSoba::new(&crate::strategies::test_setup(&[5, 5, 5], 0.0, 100));
        let mut offers = Vec::new();
        for _ in 0..6 {
            let b = if k.turns == 0 {
                k.own.best().clone()
            } else {
                k.generate(0.5, 0.0)
            };
            k.turns += 1;
            assert!(b.utility >= 0.85 - 1e-12, "{}", b.utility);
            k.count(&b.outcome);
            offers.push(b.outcome);
        }
        let mut second = offers[1].clone();
        second.sort_by_key(|v| match v {
            Value::Discrete(k) => *k,
            _ => 0,
        });
        assert_eq!(
            second,
            vec![Value::Discrete(3), Value::Discrete(4), Value::Discrete(4)]
        );
        let threes = k.counts.iter().map(|c| c[3]).sum::<f64>();
        assert!(threes >= 2.0, "{offers:?}");
        assert!(
            k.counts.iter().all(|c| c[..3].iter().all(|&x| x == 0.0)),
            "{offers:?}"
        );
    }

    #[test]
    fn a_negotiation_against_boulware_ends() {
        let r = crate::strategies::versus_boulware("kakesoba", &[5, 5, 4], 60);
        assert!(!matches!(r.end, crate::End::Error(_)), "{:?}", r.end);
    }
}
