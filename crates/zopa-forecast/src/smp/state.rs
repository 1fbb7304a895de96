//! One SMP state — positions and ideals — and what each turn computes from it: distances,
//! risk attitudes, every actor's estimates, challenges and bargain interpolations.

use super::pce::{pce, utility};
use super::{Actor, BargnModel, BigRAdjust, BigRRange, InterVecBrgn, Options, ThirdPartyCommit};

/// Salience-weighted normalised distance from `ideal` to position `x` (`bvDiff`).
pub(super) fn distance(ideal: &[f64], salience: &[f64], x: &[f64]) -> f64 {
    let mut num = 0.0;
    let mut den = 0.0;
    for ((a, s), b) in ideal.iter().zip(salience).zip(x) {
        let ds = (a - b) * s;
        num += ds * ds;
        den += s * s;
    }
    if den > 0.0 {
        (num / den).sqrt()
    } else {
        0.0
    }
}

/// A pair of new positions: what the initiator and the receiver would adopt.
pub type Pair = (Vec<f64>, Vec<f64>);

pub(super) struct State<'a> {
    pub actors: &'a [Actor],
    /// Each actor's total salience S and its power S·c (the challenge vote weight).
    pub salience: Vec<f64>,
    pub power: Vec<f64>,
    pub x: Vec<Vec<f64>>,
    /// Ideal points: distances are measured from them.
    pub ideal: Vec<Vec<f64>>,
    pub o: Options,
}

impl<'a> State<'a> {
    pub fn new(actors: &'a [Actor], o: Options) -> Self {
        let salience: Vec<f64> = actors.iter().map(|a| a.salience.iter().sum()).collect();
        let power = actors
            .iter()
            .zip(&salience)
            .map(|(a, s)| s * a.capability)
            .collect();
        State {
            actors,
            salience,
            power,
            x: actors.iter().map(|a| a.position.clone()).collect(),
            ideal: actors.iter().map(|a| a.position.clone()).collect(),
            o,
        }
    }

    pub fn n(&self) -> usize {
        self.actors.len()
    }

    pub fn capabilities(&self) -> Vec<f64> {
        self.actors.iter().map(|a| a.capability).collect()
    }

    /// d[i][j]: distance from i's ideal to j's position.
    pub fn distances(&self) -> Vec<Vec<f64>> {
        (0..self.n())
            .map(|i| {
                (0..self.n())
                    .map(|j| distance(&self.ideal[i], &self.actors[i].salience, &self.x[j]))
                    .collect()
            })
            .collect()
    }

    /// Risk attitudes from a capability-weighted PCE over the risk-neutral values, mapped by
    /// BigRRange (`bigRfromProb`).
    pub fn risk(&self, d: &[Vec<f64>]) -> Vec<f64> {
        let value: Vec<Vec<f64>> = d
            .iter()
            .map(|row| row.iter().map(|&x| utility(x, 0.0)).collect())
            .collect();
        let p = pce(&value, &self.capabilities(), &self.o);
        let (lo, hi) = p
            .iter()
            .fold((1.0f64, 0.0f64), |(l, h), &x| (l.min(x), h.max(x)));
        p.iter()
            .map(|&x| {
                if hi <= lo {
                    return 0.0;
                }
                match self.o.big_r_range {
                    BigRRange::Min => (x - lo) / (hi - lo),
                    BigRRange::Mid => (3.0 * x - (hi + 2.0 * lo)) / (2.0 * (hi - lo)),
                    BigRRange::Max => (2.0 * x - (hi + lo)) / (hi - lo),
                }
            })
            .collect()
    }

    /// h's estimate of i's risk attitude (BigRAdjust).
    pub fn perceived_risk(&self, h: usize, i: usize, r: &[f64]) -> f64 {
        match self.o.big_r_adjust {
            BigRAdjust::Full => r[i],
            BigRAdjust::TwoThirds => (r[h] + 2.0 * r[i]) / 3.0,
            BigRAdjust::Half => (r[h] + r[i]) / 2.0,
            BigRAdjust::OneThird => (2.0 * r[h] + r[i]) / 3.0,
            BigRAdjust::None => r[h],
        }
    }

    /// h's estimate of the risk-aware utility matrix U^h(i, j).
    pub fn estimate(&self, h: usize, d: &[Vec<f64>], r: &[f64]) -> Vec<Vec<f64>> {
        (0..self.n())
            .map(|i| {
                let ri = self.perceived_risk(h, i, r);
                (0..self.n()).map(|j| utility(d[i][j], ri)).collect()
            })
            .collect()
    }

    /// `probEduChlg` with k = i: the probability that i beats j and i's expected gain from
    /// challenging, as estimated by whoever `u` belongs to.
    pub fn challenge(&self, i: usize, j: usize, u: &[Vec<f64>]) -> (f64, f64) {
        let w = |k: usize| self.power[k];
        let (mut cij, mut cji) = (1e-10, 1e-10);
        let vi = self.o.vote(w(i), u[i][i] - u[i][j]);
        let vj = self.o.vote(w(j), u[j][i] - u[j][j]);
        for v in [vi, vj] {
            if v > 0.0 {
                cij += v;
            }
            if v < 0.0 {
                cji -= v;
            }
        }
        let (base_ij, base_ji) = (cij, cji);
        for k in (0..self.n()).filter(|&k| k != i && k != j) {
            // k's little contest: the principals plus k alone.
            let vk = self.o.vote(w(k), u[k][i] - u[k][j]);
            let ci = if vk > 0.0 { base_ij + vk } else { base_ij };
            let cj = if vk < 0.0 { base_ji - vk } else { base_ji };
            let p = ci / (ci + cj);
            let (uki, ukj, ukk) = (u[k][i], u[k][j], u[k][k]);
            // What k expects if it joins i (ik > j, j > ik) or j (i > jk, jk > i).
            let (ik_wins, j_wins, i_wins, jk_wins) = match self.o.third_party {
                ThirdPartyCommit::FullCommit => (
                    uki + uki + uki,
                    ukj + ukj + ukj,
                    uki + uki + uki,
                    ukj + ukj + ukj,
                ),
                ThirdPartyCommit::SemiCommit => (
                    uki + uki + ukk,
                    ukj + ukj + ukj,
                    uki + uki + uki,
                    ukj + ukj + ukk,
                ),
                ThirdPartyCommit::NoCommit => (
                    uki + uki + ukk,
                    ukj + ukj + ukk,
                    uki + uki + ukk,
                    ukj + ukj + ukk,
                ),
            };
            let q = 1.0 - p;
            let with_i = p * ik_wins + q * j_wins;
            let with_j = p * i_wins + q * jk_wins;
            let v = self.o.vote(w(k), with_i - with_j);
            if v > 0.0 {
                cij += v;
            }
            if v < 0.0 {
                cji -= v;
            }
        }
        let p = cij / (cij + cji);
        let sj = self.salience[j];
        let sq = u[i][i] + u[i][j];
        let victory = u[i][i] + u[i][i];
        let contest = p * victory + (cji / (cij + cji)) * (u[i][j] + u[i][j]);
        let chlg = (1.0 - sj) * victory + sj * contest;
        (p, chlg - sq)
    }

    /// `interpolateBrgn`: the bargain between i and j when i's side is weighted by `pi` and
    /// j's by `pj`, dimension by dimension.
    pub fn interpolate(&self, i: usize, j: usize, pi: f64, pj: f64) -> Pair {
        let round4 = |x: f64| ((0.5 + x * 10_000.0) as i32) as f64 / 10_000.0;
        let mut bi = Vec::new();
        let mut bj = Vec::new();
        for k in 0..self.x[i].len() {
            let (ti, si) = (self.x[i][k], self.actors[i].salience[k]);
            let (tj, sj) = (self.x[j][k], self.actors[j].salience[k]);
            let snpm = |n: i32, m: i32| {
                let wi = si.powi(n) * pi.powi(m);
                let wj = sj.powi(n) * pj.powi(m);
                (
                    round4(((wi + 1e-6) * ti + wj * tj) / (wi + 1e-6 + wj)),
                    round4((wi * ti + (1e-6 + wj) * tj) / (wi + 1e-6 + wj)),
                )
            };
            let (a, b) = match self.o.bargain {
                InterVecBrgn::S1P1 => snpm(1, 1),
                InterVecBrgn::S2P2 => snpm(2, 2),
                InterVecBrgn::S2PMax => {
                    // Only the side less likely to win concedes, by the probability gap.
                    let di = if pj > pi { pj - pi } else { 0.0 };
                    let dj = if pi > pj { pi - pj } else { 0.0 };
                    let (si2, sj2) = (si * si, sj * sj);
                    let dik = (di * sj2) / ((di * sj2) + 1e-6 + ((1.0 - di) * si2));
                    let djk = (dj * si2) / ((dj * si2) + 1e-6 + ((1.0 - dj) * sj2));
                    (ti + dik * (tj - ti), tj + djk * (ti - tj))
                }
            };
            bi.push(a);
            bj.push(b);
        }
        (bi, bj)
    }

    /// The three bargains KTAB forms for i challenging j, and the one(s) the BargnModel
    /// proposes. `p_ij` is i's estimate that it wins; `gain_by_j` is j's estimate of i's
    /// expected gain, which KTAB passes where j's view of i's probability is meant
    /// (`smpbcn.cpp`: `pjiJ = get<1>(Vjij)`); zopa does the same, to reproduce KTAB.
    pub fn bargains(&self, i: usize, j: usize, p_ij: f64, gain_by_j: f64) -> Views {
        let initiator = self.interpolate(i, j, p_ij, 1.0 - p_ij);
        let receiver = self.interpolate(i, j, gain_by_j, 1.0 - gain_by_j);
        // Power weights c·S; KTAB takes the receiver's capability from the receiver view's
        // initiator, which is i — reproduced as is.
        let wi = self.actors[i].capability * self.salience[i];
        let wj = self.actors[i].capability * self.salience[j];
        let mix = |a: &[f64], b: &[f64]| -> Vec<f64> {
            a.iter()
                .zip(b)
                .map(|(x, y)| (wi * x + wj * y) / (wi + wj))
                .collect()
        };
        let compromise = (
            mix(&initiator.0, &receiver.0),
            mix(&initiator.1, &receiver.1),
        );
        Views {
            initiator,
            receiver,
            compromise,
        }
    }

    /// KTAB's reported probabilities (`pDist(-1)`): a PCE with proportional votes over the
    /// unique positions (Euclidean tolerance 1e−3), each actor valuing them with its own
    /// risk-aware utilities, mapped back to actors.
    pub fn reported_prob(&self, d: &[Vec<f64>], r: &[f64]) -> Vec<f64> {
        let n = self.n();
        let mut reps: Vec<usize> = Vec::new();
        let mut of = vec![0usize; n];
        for (i, slot) in of.iter_mut().enumerate() {
            let same = |q: &usize| {
                let d2: f64 = self.x[*q]
                    .iter()
                    .zip(&self.x[i])
                    .map(|(a, b)| (a - b) * (a - b))
                    .sum();
                d2.sqrt() < 1e-3
            };
            match reps.iter().position(same) {
                Some(k) => *slot = k,
                None => {
                    *slot = reps.len();
                    reps.push(i);
                }
            }
        }
        let value: Vec<Vec<f64>> = (0..n)
            .map(|k| {
                let rk = self.perceived_risk(k, k, r);
                reps.iter().map(|&q| utility(d[k][q], rk)).collect()
            })
            .collect();
        let o = Options {
            voting: super::VotingRule::Prop,
            ..self.o
        };
        let p = pce(&value, &self.capabilities(), &o);
        of.iter().map(|&k| p[k]).collect()
    }
}

/// The bargains KTAB forms for one challenge.
#[derive(Debug, Clone, PartialEq)]
pub struct Views {
    /// Interpolated from the initiator's view (its probability of winning).
    pub initiator: Pair,
    /// Interpolated from the receiver's view.
    pub receiver: Pair,
    /// The power-weighted compromise of the two.
    pub compromise: Pair,
}

impl Views {
    /// The bargains the model puts on both queues, with which view each is.
    pub fn proposed(&self, model: BargnModel) -> Vec<(super::View, &Pair)> {
        use super::View;
        match model {
            BargnModel::InitOnlyInterp => vec![(View::Initiator, &self.initiator)],
            BargnModel::InitRcvrInterp => vec![
                (View::Initiator, &self.initiator),
                (View::Receiver, &self.receiver),
            ],
            BargnModel::PWCompInterp => vec![(View::Compromise, &self.compromise)],
        }
    }
}
