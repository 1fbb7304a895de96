//! TMF-Agent (ANAC 2013 third place), GENIUS
//! `agents/anac/y2013/TMFAgent/TMFAgent.java` (with `ComparableBid.java`).
//!
//! - Opponent model: per issue a score for each value, raised by 1 − t each time a bid the
//!   opponent had not offered before carries it; the estimate of an outcome is the mean over
//!   issues of score / the issue's top score. Integer issues are bucketed into min(10, range)
//!   + 1 buckets, real issues into 11.
//! - Hardness α = (1 − w·t^65 − (1 − w)·y³) / (t·y + 1), w = (1 − u₀)·2/3 with u₀ its utility
//!   of the opponent's first offer and y = 1 − df (0 undiscounted).
//! - Bidding: its best outcome on its first turn if no offer has come yet; then, among the
//!   outcomes at or above max(u₀, rv) — the best and the next 6,999 in its order (GENIUS's
//!   window, its last proposal index never moving from 0) — the one maximising
//!   α·own + (1 − α)·estimate (first of equals). It accepts when the last offer is better than
//!   that outcome, walks away when that outcome is below rv.
//! - Timing: a round-trip estimate from the gaps between the opponent's moves (TCP's: 0.6/0.4
//!   mean, 0.75/0.25 deviation). With time for at most two more proposals it accepts the last
//!   offer if it is the best the opponent made and above rv, else re-offers the opponent's
//!   best offer if above rv, else walks away; with time for at most one, it accepts the last
//!   offer above rv or walks away.
//!
//! Fidelity: faithful, adapted where zopa differs from GENIUS: outcomes come from the exact
//! bidding order (GENIUS lists every bid, integer and real issues at 11 representative
//! values; zopa's order has its own levels for real issues); the model keys an integer value
//! by its bucket when scoring as when learning (GENIUS scores it by raw value, a key it never
//! stored, which throws and cuts the sum short); no data is carried between sessions (GENIUS
//! reloads the model from the previous session with the same opponent). It remembers the
//! distinct offers received (to learn from each once).

use std::collections::{HashMap, HashSet};

use zopa_core::{IssueKind, Value};

use crate::bidding::Span;
use crate::opponent::{key, outcome_key};
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

/// Outcomes it weighs each turn, from its best.
const WINDOW: usize = 7000;

pub struct TmfAgent {
    own: Own,
    /// Per issue, score of each value (bucket).
    scores: Vec<HashMap<u64, f64>>,
    top: Vec<f64>,
    seen: HashSet<Vec<u64>>,
    /// The last offer received and its utility.
    last: Option<(Outcome, f64)>,
    best: Option<(Outcome, f64)>,
    first_utility: f64,
    /// Least utility of the outcomes it still considers (set at the first offer).
    relevant: f64,
    rtt: f64,
    dev: f64,
    prev_time: f64,
    first_bid: bool,
}

impl TmfAgent {
    pub fn new(setup: &Setup) -> TmfAgent {
        let scores: Vec<HashMap<u64, f64>> = setup
            .issues
            .iter()
            .map(|issue| match &issue.kind {
                IssueKind::Discrete { values, .. } => {
                    (0..values.len() as u64).map(|k| (k, 0.0)).collect()
                }
                _ => HashMap::new(),
            })
            .collect();
        TmfAgent {
            own: Own::new(setup),
            top: vec![0.0; scores.len()],
            scores,
            seen: HashSet::new(),
            last: None,
            best: None,
            first_utility: 0.0,
            relevant: f64::NEG_INFINITY,
            rtt: 0.0,
            dev: 0.0,
            prev_time: 0.0,
            first_bid: true,
        }
    }

    /// The model's key of value `v` of issue `i`: discrete values by index, numbers by bucket.
    fn bucket(&self, i: usize, v: Value) -> u64 {
        let issue = &self.own.setup.issues[i];
        match (&issue.kind, v) {
            (IssueKind::Integer { min, max }, Value::Integer(x)) => {
                let range = (max - min).max(0);
                let k = range.min(10) as f64;
                if range == 0 {
                    return 0;
                }
                ((x - min) as f64 / range as f64 * k).round() as u64
            }
            (IssueKind::Real { min, max }, Value::Real(x)) => {
                let range = max - min;
                if range <= 0.0 {
                    return 0;
                }
                ((x - min) / range * 10.0).round() as u64
            }
            _ => key(v),
        }
    }

    /// GENIUS `AddOpponentBidToModel` for a bid not seen before, at time `t`.
    fn learn(&mut self, bid: &[Value], t: f64) {
        for (i, &v) in bid.iter().enumerate().take(self.scores.len()) {
            let b = self.bucket(i, v);
            let score = self.scores[i].entry(b).or_insert(0.0);
            *score += 1.0 - t;
            if *score > self.top[i] {
                self.top[i] = *score;
            }
        }
    }

    /// GENIUS `GetEstimatedOpponentUtility` (0/0 stays NaN, as in Java, before any offer).
    fn estimate(&self, bid: &[Value]) -> f64 {
        let n = self.scores.len();
        let sum: f64 = (0..n)
            .map(|i| {
                let s = self.scores[i]
                    .get(&self.bucket(i, bid[i]))
                    .copied()
                    .unwrap_or(0.0);
                s / self.top[i]
            })
            .sum();
        sum / n as f64
    }

    /// GENIUS `getHardness`.
    pub(crate) fn hardness(t: f64, df: f64, first_utility: f64) -> f64 {
        let y = if df <= 0.0 { 0.0 } else { 1.0 - df };
        let w = (1.0 - first_utility) * 2.0 / 3.0;
        (1.0 - w * t.powi(65) - (1.0 - w) * y.powi(3)) / (t * y + 1.0)
    }

    /// GENIUS `HaveMoreTimeToBid`.
    fn time_for(&self, t: f64, two: bool) -> bool {
        let need = if two { 2.0 * self.rtt } else { self.rtt };
        1.0 - t > need + self.dev
    }

    /// GENIUS `ReceiveMessage` for each move another party made.
    fn hear(&mut self, view: &View<'_>) {
        let me = self.own.setup.index;
        let moves: Vec<(f64, Option<Outcome>)> = self
            .own
            .unseen(view)
            .iter()
            .filter(|m| m.actor != me)
            .map(|m| {
                let bid = match &m.action {
                    Action::Offer(o) => Some(o.clone()),
                    _ => None,
                };
                (m.time, bid)
            })
            .collect();
        for (time, bid) in moves {
            let rtt = time - self.prev_time;
            self.prev_time = time;
            self.rtt = 0.6 * self.rtt + 0.4 * rtt;
            self.dev = 0.75 * self.dev + 0.25 * (rtt - self.rtt).abs();
            let Some(bid) = bid else { continue };
            self.first_bid = false;
            let u = self.own.setup.utility_of(&bid);
            if self.seen.insert(outcome_key(&bid)) {
                self.learn(&bid, time);
            }
            if self.last.is_none() {
                self.relevant = u.max(self.own.setup.reservation);
                self.best = Some((bid.clone(), u));
                self.first_utility = u;
            }
            if self.best.as_ref().is_some_and(|b| b.1 < u) {
                self.best = Some((bid.clone(), u));
            }
            self.last = Some((bid, u));
        }
    }
}

impl Negotiator for TmfAgent {
    fn act(&mut self, view: &View<'_>) -> Action {
        self.hear(view);
        let standing = self.own.observe(view);
        let (t, rv) = (view.time, view.reservation);
        // Accepting needs an offer by another party on the table.
        let accept = |u: f64| standing.is_some() && u > rv;
        let last_u = self.last.as_ref().map(|l| l.1);
        if !self.time_for(t, true) {
            if let (Some(best), Some(last)) = (&self.best, last_u) {
                if best.1 <= last {
                    if accept(last) {
                        return Action::Accept;
                    }
                } else if best.1 > rv {
                    return Action::Offer(best.0.clone());
                }
            }
            return Action::End;
        }
        if !self.time_for(t, false) {
            return match last_u {
                Some(u) if accept(u) => Action::Accept,
                _ => Action::End,
            };
        }
        if self.first_bid {
            self.first_bid = false;
            return Action::Offer(self.own.best().outcome.clone());
        }
        let df = self.own.setup.discount.unwrap_or(1.0);
        let alpha = Self::hardness(t, df, self.first_utility);
        let mut chosen: Option<(Outcome, f64, f64)> = None;
        let span = if self.own.best().utility >= self.relevant {
            Span::at_least(self.relevant)
        } else {
            Span::through(self.own.best())
        };
        for b in self.own.bids.iter(&span).take(WINDOW) {
            let score = alpha * b.utility + (1.0 - alpha) * self.estimate(&b.outcome);
            // GENIUS starts from the best outcome's score and takes strictly better ones (a
            // NaN score never replaces it).
            if chosen.as_ref().is_none_or(|c| score > c.2) {
                chosen = Some((b.outcome, b.utility, score));
            }
        }
        let (bid, u, _) = chosen.unwrap_or_else(|| {
            let b = self.own.best();
            (b.outcome.clone(), b.utility, 0.0)
        });
        match last_u {
            Some(l) if l > u && standing.is_some() && l >= rv => Action::Accept,
            _ if u < rv => Action::End,
            _ => Action::Offer(bid),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hardness_falls_late_and_by_the_first_offer() {
        assert_eq!(TmfAgent::hardness(0.0, 1.0, 0.4), 1.0);
        // w = 0.4: at t = 0.5 the t^65 term is negligible, at t = 1 α = 1 − w.
        assert!((TmfAgent::hardness(0.5, 1.0, 0.4) - 1.0).abs() < 1e-12);
        assert!((TmfAgent::hardness(1.0, 1.0, 0.4) - 0.6).abs() < 1e-12);
        // Discounted (df = 0.5, y = 0.5) at t = 1: (1 − 0.4 − 0.6·0.125) / 1.5.
        assert!((TmfAgent::hardness(1.0, 0.5, 0.4) - 0.525 / 1.5).abs() < 1e-12);
    }

    #[test]
    fn the_model_scores_new_bids_by_time_and_normalises_by_the_top() {
        let setup = crate::strategies::test_setup(&[3, 3], 0.0, 100);
        let mut a = TmfAgent::new(&setup);
        let d = Value::Discrete;
        a.learn(&[d(0), d(1)], 0.0);
        a.learn(&[d(0), d(2)], 0.5);
        // Issue 0: value 0 scored 1.5 (the top); issue 1: value 1 scored 1 of a top of 1.
        assert!((a.estimate(&[d(0), d(1)]) - 1.0).abs() < 1e-12);
        assert!((a.estimate(&[d(0), d(2)]) - 0.75).abs() < 1e-12);
        assert!((a.estimate(&[d(1), d(0)]) - 0.0).abs() < 1e-12);
    }

    #[test]
    fn it_opens_with_its_best_and_ends_against_boulware() {
        let setup = crate::strategies::test_setup(&[4, 4], 0.0, 40);
        let mut a = TmfAgent::new(&setup);
        let view = crate::strategies::opening_view();
        let best = a.own.best().outcome.clone();
        assert_eq!(a.act(&view), Action::Offer(best));
        crate::strategies::thefawkes::tests::duel_with_boulware("tmfagent");
    }
}
