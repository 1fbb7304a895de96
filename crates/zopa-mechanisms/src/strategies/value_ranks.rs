//! Where each value of each issue stands in a negotiator's own ranking — what AgentGG's and
//! AhBuNeAgent's importance maps read off the ranking of every outcome (their answer to the
//! 2019–2020 preference-uncertainty leagues, which NegoLog feeds with the full ranking).
//!
//! A listed order (additive utilities up to [`crate::bidding::LISTED_ADDITIVE`] outcomes,
//! others up to [`super::OUTCOME_LIMIT`]) and the seeded sample of a larger hyper-rectangle
//! order ([`crate::bidding::Bidding::Sampled`], places within the sample) are read in one
//! pass. A searched additive order is never listed: the mean place of a value is
//! estimated from [`SAMPLES_PER_VALUE`] seeded random outcomes with that value swapped in (the
//! same outcomes for every value of an issue), and its best and worst places are those of the
//! best and worst outcomes holding it (the own best or worst outcome with that value swapped
//! in, exact for additive utilities), ties counted ahead of it; places are read off the count
//! of outcomes at or above a utility, taken at 129 utilities from the worst to the best and
//! interpolated between them.

use std::collections::HashMap;

use zopa_core::bidding::next_up;
use zopa_core::Value;

use crate::bidding::Span;
use crate::opponent::key;
use crate::strategies::Own;

/// Random outcomes ranked per value when the order is searched, not listed.
pub const SAMPLES_PER_VALUE: usize = 16;

/// Points of the count of outcomes at or above a utility, read off a searched order.
const CURVE_POINTS: usize = 129;

/// How many outcomes are worth at least u, counted at [`CURVE_POINTS`] utilities evenly
/// spread from the worst to the best and interpolated linearly between (exact at the points,
/// the best and the worst).
struct RankCurve {
    us: Vec<f64>,
    counts: Vec<f64>,
}

impl RankCurve {
    fn new(bids: &crate::bidding::Bidding, worst: f64, best: f64) -> RankCurve {
        let us: Vec<f64> = (0..CURVE_POINTS)
            .map(|k| worst + (best - worst) * k as f64 / (CURVE_POINTS - 1) as f64)
            .collect();
        let counts = us.iter().map(|&u| bids.count_at_least(u) as f64).collect();
        RankCurve { us, counts }
    }

    fn at_least(&self, u: f64) -> f64 {
        let k = self.us.partition_point(|&x| x < u);
        if k == 0 {
            return self.counts[0];
        }
        if k >= self.us.len() {
            return 0.0;
        }
        let (u0, u1) = (self.us[k - 1], self.us[k]);
        let (c0, c1) = (self.counts[k - 1], self.counts[k]);
        if u1 > u0 {
            c0 + (c1 - c0) * (u - u0) / (u1 - u0)
        } else {
            c1
        }
    }
}

pub(crate) struct ValueRanks {
    /// The values of each issue (all of a discrete issue's, in order; a grid or spread of
    /// numeric ones: [`crate::outcomes::candidate_values`]).
    pub values: Vec<Vec<Value>>,
    index: Vec<HashMap<u64, usize>>,
    /// Outcomes in the order (a listing's sample counts its size).
    pub n: u128,
    /// Mean place of the outcomes holding each value, counted from the worst (worst = 1,
    /// best = n); `None` for a value no outcome read holds.
    pub mean: Vec<Vec<Option<f64>>>,
    /// Best place (0 = the best outcome) of an outcome holding each value.
    pub best: Vec<Vec<Option<u128>>>,
    /// Place counted from the worst (0 = the worst outcome) of the worst outcome holding it.
    pub worst: Vec<Vec<Option<u128>>>,
}

impl ValueRanks {
    pub fn new(own: &Own) -> ValueRanks {
        let issues = &own.setup.issues;
        let values: Vec<Vec<Value>> = issues
            .iter()
            .map(crate::outcomes::candidate_values)
            .collect();
        let index: Vec<HashMap<u64, usize>> = values
            .iter()
            .map(|vs| vs.iter().enumerate().map(|(k, &v)| (key(v), k)).collect())
            .collect();
        let bids = &own.bids;
        let n = bids.len();
        let zeros: Vec<Vec<f64>> = values.iter().map(|vs| vec![0.0; vs.len()]).collect();
        let nones: Vec<Vec<Option<u128>>> = values.iter().map(|vs| vec![None; vs.len()]).collect();
        let mut sums = zeros.clone();
        let mut counts = zeros;
        let mut best = nones.clone();
        let mut worst = nones;
        let at = |i: usize, v: Value| index[i].get(&key(v)).copied();
        let bidding: &crate::bidding::Bidding = &own.bids;
        // A listing, or the seeded sample of a hyper-rectangle order: read whole.
        if !matches!(bidding, crate::bidding::Bidding::Additive(_)) {
            for (rank, b) in bids.iter(&Span::all()).enumerate() {
                let rank = rank as u128;
                for (i, &v) in b.outcome.iter().enumerate() {
                    if let Some(k) = at(i, v) {
                        sums[i][k] += (n - rank) as f64;
                        counts[i][k] += 1.0;
                        best[i][k].get_or_insert(rank);
                        worst[i][k] = Some(n - 1 - rank);
                    }
                }
            }
        } else {
            let mut rng = crate::rng(own.setup.seed, 1);
            let curve = RankCurve::new(bidding, own.worst().utility, own.best().utility);
            let (top, bottom) = (own.best().outcome.clone(), own.worst().outcome.clone());
            for (i, vs) in values.iter().enumerate() {
                // The same random outcomes for every value of the issue (common random
                // numbers): for an additive utility the means then keep the values' order.
                for _ in 0..SAMPLES_PER_VALUE {
                    let mut o = crate::outcomes::random_outcome(issues, &mut rng);
                    for (k, &v) in vs.iter().enumerate() {
                        o[i] = v;
                        let u = own.setup.utility_of(&o);
                        sums[i][k] += n as f64 - curve.at_least(next_up(u));
                        counts[i][k] += 1.0;
                    }
                }
                for (k, &v) in vs.iter().enumerate() {
                    let mut b = top.clone();
                    b[i] = v;
                    best[i][k] = Some(curve.at_least(next_up(own.setup.utility_of(&b))) as u128);
                    let mut w = bottom.clone();
                    w[i] = v;
                    let at_least = curve.at_least(own.setup.utility_of(&w)).ceil() as u128;
                    worst[i][k] = Some(n.saturating_sub(at_least));
                }
            }
        }
        let mean = sums
            .iter()
            .zip(&counts)
            .map(|(s, c)| {
                s.iter()
                    .zip(c)
                    .map(|(s, c)| (*c > 0.0).then(|| s / c))
                    .collect()
            })
            .collect();
        ValueRanks {
            values,
            index,
            n,
            mean,
            best,
            worst,
        }
    }

    /// The place of value `v` in issue `i`'s list.
    pub fn index_of(&self, i: usize, v: Value) -> Option<usize> {
        self.index.get(i)?.get(&key(v)).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn listed_and_searched_orders_agree_on_where_values_stand() {
        // 3 × 3 listed: value 2 of issue 0 holds the best outcome, value 0 the worst.
        let own = Own::new(&crate::strategies::test_setup(&[3, 3], 0.0, 10));
        let r = ValueRanks::new(&own);
        assert_eq!(r.n, 9);
        assert_eq!(r.best[0][2], Some(0));
        assert_eq!(r.worst[0][0], Some(0));
        assert!(r.mean[0][2].unwrap() > r.mean[0][1].unwrap());
        // 20⁶ outcomes, searched: the same shape.
        let own = Own::new(&crate::strategies::test_setup(&[20; 6], 0.0, 10));
        let r = ValueRanks::new(&own);
        assert_eq!(r.best[0][19], Some(0));
        assert_eq!(r.worst[0][0], Some(0));
        assert!(r.mean[0][19].unwrap() > r.mean[0][0].unwrap());
        assert!(r.best[0][0].unwrap() > 0);
    }
}
