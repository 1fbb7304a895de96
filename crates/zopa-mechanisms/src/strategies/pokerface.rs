//! PokerFace (ANAC 2015 finalist), GENIUS `agents/anac/y2015/pokerface/PokerFace.java` (with
//! `OpponentBidLists.java`, `Pair.java`).
//!
//! - Threshold: 0.5 + x^(1/4)/2, x = (rounds left − 1)/((rounds − 1)·0.4) on a round deadline
//!   (turns left / (turns in all · 0.4) on a time deadline, turns timed by a moving average) —
//!   above 1 (never accepting) until the last 40 % of the turns, falling to 0.5 at the end.
//! - It accepts an offer at or above the threshold; if it did not open the negotiation, also
//!   anything on its last turn.
//! - Bidding: during the first 60 % of its turns a weighted random walk over the outcomes of
//!   utility ≥ 0.85, each weighted by how far its per-issue weighted evaluations lie from the
//!   column sums, the columns weighted by their (GENIUS-formula) variance; afterwards its best
//!   outcome (GENIUS's conceder step reads the opponent's value counts from a map it never
//!   fills — the single list is stored under the list itself, looked up by sender — so it
//!   always concedes nothing and offers its best, after one discarded walker draw).
//!
//! Fidelity: faithful, quirks included. Adapted: when no outcome reaches 0.85 the walker
//! offers its best (GENIUS indexes an empty list and fails); above 100,000 such outcomes, or
//! for a non-additive utility (GENIUS requires an additive one), the walk draws uniformly
//! among them; random draws come from its seeded stream; it never accepts below rv.

use rand::RngExt;

use crate::bidding::Span;
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

const WALKER: f64 = 0.6;
const WALKER_MIN: f64 = 0.85;
/// Most outcomes the weighted walk weighs.
const WEIGHED: u128 = 100_000;

pub struct PokerFace {
    own: Own,
    /// Cumulative walker weights by rank among the outcomes ≥ 0.85; `None` to draw uniformly.
    walk: Option<Option<Vec<f64>>>,
    /// Own turns so far.
    turns: u32,
    opened: Option<bool>,
    /// Time deadline: moving average of turn times (seconds), last ten.
    times: [f64; 10],
    average: f64,
    now: f64,
}

impl PokerFace {
    pub fn new(setup: &Setup) -> PokerFace {
        PokerFace {
            own: Own::new(setup),
            walk: None,
            turns: 0,
            opened: None,
            times: [0.0; 10],
            average: 0.001,
            now: 0.0,
        }
    }

    /// GENIUS `getWeights` over the per-issue weighted evaluations of each outcome.
    pub(crate) fn weights(rows: &[Vec<f64>]) -> Vec<f64> {
        let n = rows.len();
        let k = rows.first().map_or(0, Vec::len);
        let mut mean = vec![0.0; k];
        for r in rows {
            for j in 0..k {
                mean[j] += r[j];
            }
        }
        let mut dist = vec![vec![0.0; k]; n];
        let (mut sum, mut sum_sq) = (vec![0.0; k], vec![0.0; k]);
        for (i, r) in rows.iter().enumerate() {
            for j in 0..k {
                dist[i][j] = (r[j] - mean[j]).abs();
                sum[j] += dist[i][j];
                sum_sq[j] += sum[j] * sum[j];
            }
        }
        let mut var: Vec<f64> = (0..k)
            .map(|j| (sum_sq[j] - sum[j] * sum[j] / n as f64) / (n as f64 - 1.0))
            .collect();
        let total: f64 = var.iter().sum();
        var.iter_mut().for_each(|v| *v /= total);
        dist.iter()
            .map(|d| (0..k).map(|j| d[j] / sum[j] * var[j]).sum())
            .collect()
    }

    fn span(&self) -> Span {
        self.own.at_least(WALKER_MIN)
    }

    /// GENIUS `randomWalker`.
    fn walker(&mut self) -> Outcome {
        let span = self.span();
        if self.walk.is_none() {
            let count = self.own.bids.count(&span);
            let additive = self.own.setup.utility.as_additive().cloned();
            self.walk = Some(match additive {
                Some(a) if count <= WEIGHED => {
                    let rows: Vec<Vec<f64>> = self
                        .own
                        .bids
                        .iter(&span)
                        .map(|b| {
                            b.outcome
                                .iter()
                                .enumerate()
                                .map(|(j, &v)| a.weights[j] * a.evaluators[j].eval(v))
                                .collect()
                        })
                        .collect();
                    let mut acc = 0.0;
                    Some(
                        Self::weights(&rows)
                            .into_iter()
                            .map(|w| {
                                acc += w;
                                acc
                            })
                            .collect(),
                    )
                }
                _ => None,
            });
        }
        let draw = self.own.rng.random::<f64>();
        let rank = match self.walk.as_ref().and_then(Option::as_ref) {
            // The first whose running sum exceeds the draw; the last when none does.
            Some(cum) => cum
                .iter()
                .position(|&c| c > draw)
                .unwrap_or(cum.len().saturating_sub(1)) as u128,
            None => {
                let n = self.own.bids.count(&span).max(1);
                crate::bidding::draw_below(&mut self.own.rng, n)
            }
        };
        let start = span
            .from
            .as_ref()
            .map_or(0, |c| self.own.bids.count_before(c));
        self.own
            .bids
            .at_rank(start + rank)
            .map_or_else(|| self.own.best().outcome.clone(), |b| b.outcome)
    }

    /// (turns left, turns after the walker, share of turns done) on the deadline: a round
    /// deadline counts its own turns (GENIUS's discrete timeline), a time deadline alone
    /// estimates them from the moving average of turn times.
    fn clock(&self, t: f64) -> (f64, f64, f64) {
        let d = self.own.setup.deadline;
        match (d.rounds, d.time) {
            (None, Some(time)) => {
                let total = time.as_secs_f64().max(1e-9);
                let left = ((total - t * total) / self.average).floor();
                (
                    left,
                    total / self.average * (1.0 - WALKER),
                    self.now / total,
                )
            }
            // Without any deadline (t stays 0) it counts on 100 rounds.
            (rounds, _) => {
                let total = f64::from(rounds.unwrap_or(100).max(1));
                let left = total - f64::from(self.turns) - 1.0;
                (
                    left,
                    (total - 1.0) * (1.0 - WALKER),
                    f64::from(self.turns) / total,
                )
            }
        }
    }

    pub(crate) fn threshold(left: f64, after: f64, discrete: bool) -> f64 {
        let x = if discrete {
            (left - 1.0) / after
        } else {
            left / after
        };
        0.5 + x.powf(0.25) / 2.0
    }
}

impl Negotiator for PokerFace {
    fn act(&mut self, view: &View<'_>) -> Action {
        let standing = self.own.observe(view);
        let t = view.time;
        let discrete = !matches!(
            (self.own.setup.deadline.rounds, self.own.setup.deadline.time),
            (None, Some(_))
        );
        let (left, after, done) = self.clock(t);
        let threshold = Self::threshold(left, after, discrete);
        let last = self.own.received.last().map_or(1.0, |r| r.1);
        let opened = *self.opened.get_or_insert(standing.is_none());
        let accept = standing.is_some()
            && !(last < threshold && (left > 1.0 || opened))
            && last >= view.reservation;
        // GENIUS's `updateTime` (turn count; on a time deadline the moving average).
        self.turns += 1;
        if !discrete {
            let now = t * self
                .own
                .setup
                .deadline
                .time
                .map_or(1.0, |d| d.as_secs_f64());
            let k = self.turns as usize % self.times.len();
            self.average -= self.times[k] / self.times.len() as f64;
            self.times[k] = (now - self.now) / f64::from(self.turns);
            self.average += self.times[k] / self.times.len() as f64;
            self.now = now;
        }
        if accept {
            return Action::Accept;
        }
        let bid = if done < WALKER {
            self.walker()
        } else if (left as i64) < 3 {
            self.own.best().outcome.clone()
        } else {
            // The conceder step: one walker draw, then its best outcome (see the module docs).
            let _ = self.walker();
            self.own.best().outcome.clone()
        };
        Action::Offer(bid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_threshold_waits_for_the_last_forty_percent() {
        // 100 rounds: 39.6 turns after the walker.
        let after = 99.0 * 0.4;
        assert!(PokerFace::threshold(98.0, after, true) > 1.0);
        assert!((PokerFace::threshold(after + 1.0, after, true) - 1.0).abs() < 1e-12);
        assert!((PokerFace::threshold(1.0, after, true) - 0.5).abs() < 1e-12);
        // Past the end the fourth root of a negative is NaN: nothing is below it.
        assert!(PokerFace::threshold(0.0, after, true).is_nan());
    }

    #[test]
    fn the_walker_weights_form_a_distribution() {
        let rows = vec![
            vec![0.5, 0.4],
            vec![0.5, 0.3],
            vec![0.4, 0.45],
            vec![0.45, 0.4],
        ];
        let w = PokerFace::weights(&rows);
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{w:?}");
        assert!(w.iter().all(|&x| x >= 0.0));
    }

    #[test]
    fn it_walks_high_then_offers_its_best_and_ends_against_boulware() {
        let setup = crate::strategies::test_setup(&[5, 5], 0.0, 40);
        let mut p = PokerFace::new(&setup);
        for _ in 0..10 {
            let o = p.walker();
            assert!(setup.utility_of(&o) >= 0.85);
        }
        crate::strategies::thefawkes::tests::duel_with_boulware("pokerface");
    }
}
