//! KTAB's Spatial Model of Politics, default options only (see the crate docs). Positions and
//! saliences are on [0, 1] (file values / 100). Every step follows
//! `../shared/notes/forecasting.md` §1.2, epsilons included, so runs reproduce KTAB's logs.

/// KTAB's model options, named as in its XML `<ModelParameters>`; `Default` is KTAB's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    pub victory: VictoryProbModel,
    pub pce: PceModel,
    pub voting: VotingRule,
    pub big_r_range: BigRRange,
    pub big_r_adjust: BigRAdjust,
    pub third_party: ThirdPartyCommit,
    pub bargain: InterVecBrgn,
    /// `Some(seed)`: Stochastic state transitions, sampling each queue's winner from its PCE
    /// with a ChaCha8 stream (not KTAB's PRNG, so such runs differ from KTAB's); `None`:
    /// Deterministic (the most probable bargain wins).
    pub stochastic: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VictoryProbModel {
    #[default]
    Linear,
    Square,
    Quartic,
    Octic,
    /// A 10 % margin of coalition strength wins outright, linear inside it (our reading of the
    /// KTAB tutorial; not cross-checked against a KTAB run).
    Binary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PceModel {
    #[default]
    Conditional,
    MarkovUniform,
    MarkovIncentive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VotingRule {
    #[default]
    Prop,
    Binary,
    PropBin,
    PropCbc,
    Cubic,
    ASymProsp,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BigRRange {
    Min,
    #[default]
    Mid,
    Max,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BigRAdjust {
    Full,
    TwoThirds,
    Half,
    #[default]
    OneThird,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThirdPartyCommit {
    FullCommit,
    #[default]
    SemiCommit,
    NoCommit,
}

/// How a bargain interpolates per dimension: weights s²P² (S2P2) or s·P (S1P1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InterVecBrgn {
    S1P1,
    #[default]
    S2P2,
}

impl Options {
    /// Parses one `<ModelParameters>` entry; unknown names are errors naming the choices.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let bad = |choices: &str| Err(format!("{key} `{value}` is not one of {choices}"));
        match key {
            "VictoryProbModel" => {
                self.victory = match value {
                    "Linear" => VictoryProbModel::Linear,
                    "Square" => VictoryProbModel::Square,
                    "Quartic" => VictoryProbModel::Quartic,
                    "Octic" => VictoryProbModel::Octic,
                    "Binary" => VictoryProbModel::Binary,
                    _ => return bad("Linear, Square, Quartic, Octic, Binary"),
                }
            }
            "PCEModel" => {
                self.pce = match value {
                    "Conditional" | "ConditionalPCM" => PceModel::Conditional,
                    "MarkovUniform" | "MarkovUPCM" | "MarkovPCM" => PceModel::MarkovUniform,
                    "MarkovIncentive" | "MarkovIPCM" => PceModel::MarkovIncentive,
                    _ => return bad("Conditional, MarkovUniform, MarkovIncentive"),
                }
            }
            "VotingRule" => {
                self.voting = match value {
                    "Prop" | "Proportional" => VotingRule::Prop,
                    "Binary" => VotingRule::Binary,
                    "PropBin" => VotingRule::PropBin,
                    "PropCbc" => VotingRule::PropCbc,
                    "Cubic" => VotingRule::Cubic,
                    "ASymProsp" => VotingRule::ASymProsp,
                    _ => return bad("Prop, Binary, PropBin, PropCbc, Cubic, ASymProsp"),
                }
            }
            "BigRRange" => {
                self.big_r_range = match value {
                    "Min" => BigRRange::Min,
                    "Mid" => BigRRange::Mid,
                    "Max" => BigRRange::Max,
                    _ => return bad("Min, Mid, Max"),
                }
            }
            "BigRAdjust" => {
                self.big_r_adjust = match value {
                    "Full" => BigRAdjust::Full,
                    "TwoThirds" => BigRAdjust::TwoThirds,
                    "Half" => BigRAdjust::Half,
                    "OneThird" => BigRAdjust::OneThird,
                    "None" => BigRAdjust::None,
                    _ => return bad("Full, TwoThirds, Half, OneThird, None"),
                }
            }
            "ThirdPartyCommit" => {
                self.third_party = match value {
                    "FullCommit" => ThirdPartyCommit::FullCommit,
                    "SemiCommit" => ThirdPartyCommit::SemiCommit,
                    "NoCommit" => ThirdPartyCommit::NoCommit,
                    _ => return bad("FullCommit, SemiCommit, NoCommit"),
                }
            }
            "InterVecBrgn" => {
                self.bargain = match value {
                    "S1P1" => InterVecBrgn::S1P1,
                    "S2P2" => InterVecBrgn::S2P2,
                    _ => return bad("S1P1, S2P2 (S2PMax is not implemented)"),
                }
            }
            "StateTransitions" => {
                self.stochastic = match value {
                    "Deterministic" => None,
                    "Stochastic" => Some(self.stochastic.unwrap_or(0)),
                    _ => return bad("Deterministic, Stochastic"),
                }
            }
            // Initiator-only interpolated bargains are the only ones built.
            "BargnModel" if value == "InitOnlyInterp" => {}
            "BargnModel" => {
                return Err(format!(
                    "BargnModel `{value}` is not implemented (only InitOnlyInterp)"
                ))
            }
            _ => return Err(format!("unknown model parameter `{key}`")),
        }
        Ok(())
    }

    fn vote(&self, w: f64, du: f64) -> f64 {
        let bin = (du / 1e-10).clamp(-1.0, 1.0);
        match self.voting {
            VotingRule::Prop => w * du,
            VotingRule::Binary => w * bin,
            VotingRule::PropBin => w * (0.8 * du + 0.2 * bin),
            VotingRule::PropCbc => w * (0.5 * du + 0.5 * du * du * du),
            VotingRule::Cubic => w * du * du * du,
            VotingRule::ASymProsp => {
                if du < 0.0 {
                    w * du
                } else {
                    w * du * 2.0 / 3.0
                }
            }
        }
    }

    fn victory(&self, cab: f64, cba: f64) -> f64 {
        let pow = |k: i32| cab.powi(k) / (cab.powi(k) + cba.powi(k));
        match self.victory {
            VictoryProbModel::Linear => cab / (cab + cba),
            VictoryProbModel::Square => pow(2),
            VictoryProbModel::Quartic => pow(4),
            VictoryProbModel::Octic => pow(8),
            VictoryProbModel::Binary => {
                let x = (cab - cba) / (0.1 * cab.max(cba));
                (1.0 + x.clamp(-1.0, 1.0)) / 2.0
            }
        }
    }
}

/// A stakeholder.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    pub name: String,
    pub capability: f64,
    /// Position per dimension, in [0, 1].
    pub position: Vec<f64>,
    /// Salience per dimension, in [0, 1], summing to at most 1.
    pub salience: Vec<f64>,
}

/// One turn's state and what happened in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Turn {
    /// Positions at the start of the turn (turn 0: the inputs).
    pub positions: Vec<Vec<f64>>,
    /// Ideal points at the start of the turn (equal to the positions unless ideals accommodate).
    pub ideals: Vec<Vec<f64>>,
    /// Risk attitudes inferred at this state.
    pub risk: Vec<f64>,
    /// KTAB's reported probability of each actor's position (over unique positions).
    pub prob: Vec<f64>,
    /// Each actor's best challenge: (target, probability of winning, expected gain), if any.
    pub challenges: Vec<Option<(usize, f64, f64)>>,
}

/// A whole run.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub turns: Vec<Turn>,
    /// Final positions.
    pub positions: Vec<Vec<f64>>,
    /// "Fractional change compared to first step" after each turn.
    pub fractional_changes: Vec<f64>,
}

/// u(d, R) = (1 − d)(1 + dR) for d ≤ 1, (1 − d)(1 + R) beyond.
pub fn utility(d: f64, r: f64) -> f64 {
    if d <= 1.0 {
        (1.0 - d) * (1.0 + d * r)
    } else {
        (1.0 - d) * (1.0 + r)
    }
}

/// Salience-weighted normalised distance from actor `i`'s ideal to position `x`.
fn distance(ideal: &[f64], salience: &[f64], x: &[f64]) -> f64 {
    let mut num = 0.0;
    let mut den = 0.0;
    for ((a, s), b) in ideal.iter().zip(salience).zip(x) {
        num += s * s * (a - b) * (a - b);
        den += s * s;
    }
    if den > 0.0 {
        (num / den).sqrt()
    } else {
        0.0
    }
}

/// Markov-chain PCE iteration from the uniform distribution: q = step(p), p ← (p + q)/2, until
/// the largest change |q − p| is at most `tol` (or a million iterations).
fn markov(m: usize, tol: f64, step: impl Fn(&[f64]) -> Vec<f64>) -> Vec<f64> {
    let mut p = vec![1.0 / m as f64; m];
    for _ in 0..1_000_000 {
        let q = step(&p);
        let delta = p
            .iter()
            .zip(&q)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max);
        for (x, y) in p.iter_mut().zip(&q) {
            *x = (*x + y) / 2.0;
        }
        if delta <= tol {
            break;
        }
    }
    p
}

/// A probabilistic Condorcet election over options whose value to voter k is
/// `value[k][a]`, voters weighted by `weight`, under the model's vote rule, victory model and
/// PCE variant.
pub fn pce(value: &[Vec<f64>], weight: &[f64], o: &Options) -> Vec<f64> {
    let m = value.first().map_or(0, Vec::len);
    let coalition = |a: usize, b: usize| -> f64 {
        1e-8 + value
            .iter()
            .zip(weight)
            .map(|(v, w)| o.vote(*w, v[a] - v[b]).max(0.0))
            .sum::<f64>()
    };
    let mut c = vec![vec![0.0; m]; m];
    for (a, row) in c.iter_mut().enumerate() {
        for (b, x) in row.iter_mut().enumerate() {
            *x = coalition(a, b);
        }
    }
    let v = |a: usize, b: usize| {
        if a == b {
            0.5
        } else {
            o.victory(c[a][b], c[b][a])
        }
    };
    let normalise = |p: &mut Vec<f64>| {
        let total: f64 = p.iter().sum();
        for x in p.iter_mut() {
            *x /= total;
        }
    };
    match o.pce {
        PceModel::Conditional => {
            let mut p: Vec<f64> = (0..m).map(|a| (0..m).map(|b| v(a, b)).product()).collect();
            normalise(&mut p);
            p
        }
        PceModel::MarkovUniform => {
            let mut p = markov(m, 1e-6, |p| {
                (0..m)
                    .map(|a| (0..m).map(|b| v(a, b) * (p[a] + p[b])).sum::<f64>() / m as f64)
                    .collect()
            });
            normalise(&mut p);
            p
        }
        PceModel::MarkovIncentive => {
            // n[a→b] = C(a:b)·V(a,b) (+1e−10 on the diagonal); P[a→b|b] = n[a→b] / Σ_z n[z→b].
            let n: Vec<Vec<f64>> = (0..m)
                .map(|a| {
                    (0..m)
                        .map(|b| c[a][b] * v(a, b) + if a == b { 1e-10 } else { 0.0 })
                        .collect()
                })
                .collect();
            let col: Vec<f64> = (0..m).map(|b| (0..m).map(|z| n[z][b]).sum()).collect();
            let cond = |a: usize, b: usize| n[a][b] / col[b];
            let ct = |a: usize, b: usize, p: &[f64]| p[a] * cond(b, a);
            let mut p = markov(m, 1e-8, |p| {
                (0..m)
                    .map(|a| (0..m).map(|b| v(a, b) * (ct(a, b, p) + ct(b, a, p))).sum())
                    .collect()
            });
            normalise(&mut p);
            p
        }
    }
}

struct Model<'a> {
    actors: &'a [Actor],
    x: Vec<Vec<f64>>,
    /// Ideal points: distances are measured from them.
    ideal: Vec<Vec<f64>>,
    o: Options,
}

impl Model<'_> {
    fn n(&self) -> usize {
        self.actors.len()
    }

    fn total_salience(&self, i: usize) -> f64 {
        self.actors[i].salience.iter().sum()
    }

    /// d[i][j]: distance from i's ideal (= its position) to j's position.
    fn distances(&self) -> Vec<Vec<f64>> {
        (0..self.n())
            .map(|i| {
                (0..self.n())
                    .map(|j| distance(&self.ideal[i], &self.actors[i].salience, &self.x[j]))
                    .collect()
            })
            .collect()
    }

    /// BigRRange Mid from a capability-weighted PCE over the risk-neutral values.
    fn risk(&self, d: &[Vec<f64>]) -> Vec<f64> {
        let value: Vec<Vec<f64>> = d
            .iter()
            .map(|row| row.iter().map(|&x| utility(x, 0.0)).collect())
            .collect();
        let caps: Vec<f64> = self.actors.iter().map(|a| a.capability).collect();
        let p = pce(&value, &caps, &self.o);
        let (lo, hi) = p
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &x| {
                (l.min(x), h.max(x))
            });
        p.iter()
            .map(|&x| {
                if hi > lo {
                    (3.0 * x - (hi + 2.0 * lo)) / (2.0 * (hi - lo))
                } else {
                    0.0
                }
            })
            .collect()
    }

    /// h's estimate of the risk-aware utility matrix (BigRAdjust OneThird).
    fn estimate(&self, h: usize, d: &[Vec<f64>], r: &[f64]) -> Vec<Vec<f64>> {
        (0..self.n())
            .map(|i| {
                let ri = match self.o.big_r_adjust {
                    BigRAdjust::Full => r[i],
                    BigRAdjust::TwoThirds => (r[h] + 2.0 * r[i]) / 3.0,
                    BigRAdjust::Half => (r[h] + r[i]) / 2.0,
                    BigRAdjust::OneThird => (2.0 * r[h] + r[i]) / 3.0,
                    BigRAdjust::None => r[h],
                };
                (0..self.n()).map(|j| utility(d[i][j], ri)).collect()
            })
            .collect()
    }

    /// Probability that i beats j and i's expected gain, as estimated with utilities `u`.
    fn challenge(&self, i: usize, j: usize, u: &[Vec<f64>]) -> (f64, f64) {
        let w = |k: usize| self.total_salience(k) * self.actors[k].capability;
        let (mut cij, mut cji) = (1e-10, 1e-10);
        let vi = self.o.vote(w(i), u[i][i] - u[i][j]);
        let vj = self.o.vote(w(j), u[j][i] - u[j][j]);
        for v in [vi, vj] {
            if v > 0.0 {
                cij += v;
            } else {
                cji -= v;
            }
        }
        let (base_ij, base_ji) = (cij, cji);
        for k in (0..self.n()).filter(|&k| k != i && k != j) {
            let vk = self.o.vote(w(k), u[k][i] - u[k][j]);
            let p = (base_ij + vk.max(0.0)) / (base_ij + vk.max(0.0) + base_ji + (-vk).max(0.0));
            let (uki, ukj, ukk) = (u[k][i], u[k][j], u[k][k]);
            // KTAB's commitment models: what k expects if it joins i (ik > j) or j (i > jk).
            let (ik_wins, j_wins, i_wins, jk_wins) = match self.o.third_party {
                ThirdPartyCommit::FullCommit => (3.0 * uki, 3.0 * ukj, 3.0 * uki, 3.0 * ukj),
                ThirdPartyCommit::SemiCommit => {
                    (2.0 * uki + ukk, 3.0 * ukj, 3.0 * uki, 2.0 * ukj + ukk)
                }
                ThirdPartyCommit::NoCommit => (
                    2.0 * uki + ukk,
                    2.0 * ukj + ukk,
                    2.0 * uki + ukk,
                    2.0 * ukj + ukk,
                ),
            };
            let with_i = p * ik_wins + (1.0 - p) * j_wins;
            let with_j = p * i_wins + (1.0 - p) * jk_wins;
            let v = self.o.vote(w(k), with_i - with_j);
            if v > 0.0 {
                cij += v;
            } else {
                cji -= v;
            }
        }
        let p = cij / (cij + cji);
        let sj = self.total_salience(j);
        let sq = u[i][i] + u[i][j];
        let contest = p * 2.0 * u[i][i] + (1.0 - p) * 2.0 * u[i][j];
        let chlg = (1.0 - sj) * 2.0 * u[i][i] + sj * contest;
        (p, chlg - sq)
    }

    /// S2P2 interpolation from the initiator's view, rounded to 4 decimals.
    fn bargain(&self, i: usize, j: usize, p: f64) -> (Vec<f64>, Vec<f64>) {
        let round = |v: f64| (v * 10_000.0).round() / 10_000.0;
        let mut bi = Vec::new();
        let mut bj = Vec::new();
        for k in 0..self.x[i].len() {
            let si = self.actors[i].salience[k];
            let sj = self.actors[j].salience[k];
            let (wi, wj) = match self.o.bargain {
                InterVecBrgn::S2P2 => (si * si * p * p, sj * sj * (1.0 - p) * (1.0 - p)),
                InterVecBrgn::S1P1 => (si * p, sj * (1.0 - p)),
            };
            let (xi, xj) = (self.x[i][k], self.x[j][k]);
            bi.push(round(((wi + 1e-6) * xi + wj * xj) / (wi + 1e-6 + wj)));
            bj.push(round((wi * xi + (wj + 1e-6) * xj) / (wi + wj + 1e-6)));
        }
        (bi, bj)
    }

    /// KTAB's reported probabilities: a PCE over unique positions with each actor's own
    /// risk-aware utilities, mapped back to actors.
    fn reported_prob(&self, d: &[Vec<f64>], r: &[f64]) -> Vec<f64> {
        let n = self.n();
        let mut reps: Vec<usize> = Vec::new();
        let mut of = vec![0usize; n];
        for (i, slot) in of.iter_mut().enumerate() {
            match reps.iter().position(|&q| {
                self.x[q]
                    .iter()
                    .zip(&self.x[i])
                    .all(|(a, b)| (a - b).abs() < 1e-3)
            }) {
                Some(k) => *slot = k,
                None => {
                    *slot = reps.len();
                    reps.push(i);
                }
            }
        }
        let value: Vec<Vec<f64>> = (0..n)
            .map(|k| reps.iter().map(|&q| utility(d[k][q], r[k])).collect())
            .collect();
        let caps: Vec<f64> = self.actors.iter().map(|a| a.capability).collect();
        let p = pce(&value, &caps, &self.o);
        of.iter().map(|&k| p[k]).collect()
    }
}

/// A proposed bargain: the initiator's and the receiver's new positions, and who they are.
type Bargain = (Vec<f64>, Vec<f64>, usize, usize);

/// Runs the model with KTAB's default options until its stopping rule (or `max_turns`).
pub fn run(actors: &[Actor], max_turns: usize) -> Run {
    run_with(actors, max_turns, Options::default())
}

/// Runs the model with the given options until KTAB's stopping rule (or `max_turns`).
pub fn run_with(actors: &[Actor], max_turns: usize, o: Options) -> Run {
    run_accommodating(actors, max_turns, o, None)
}

/// Like [`run_with`], with KTAB's ideal-accommodation matrix A (`<IdealAdjustment>`): after
/// each turn ideal_i ← Σ_j A_ij·x_j(new) + (1 − Σ_j A_ij)·ideal_i(old). `None` is the identity:
/// ideals follow positions.
pub fn run_accommodating(
    actors: &[Actor],
    max_turns: usize,
    o: Options,
    accommodation: Option<&[Vec<f64>]>,
) -> Run {
    let n = actors.len();
    let mut model = Model {
        actors,
        x: actors.iter().map(|a| a.position.clone()).collect(),
        ideal: actors.iter().map(|a| a.position.clone()).collect(),
        o,
    };
    let mut turns = Vec::new();
    let mut changes = Vec::new();
    let mut first_move = None;
    let mut rng = o.stochastic.map(|seed| {
        use rand::SeedableRng;
        rand::rngs::ChaCha8Rng::seed_from_u64(seed)
    });
    for turn in 0..max_turns {
        let d = model.distances();
        let r = model.risk(&d);
        let prob = model.reported_prob(&d, &r);
        // Each actor's best target, with its own estimates.
        let mut challenges = vec![None; n];
        let mut queues: Vec<Vec<Bargain>> = vec![Vec::new(); n];
        for i in 0..n {
            let u = model.estimate(i, &d, &r);
            let mut best: Option<(usize, f64, f64)> = None;
            for j in (0..n).filter(|&j| j != i) {
                let (p, gain) = model.challenge(i, j, &u);
                if best.is_none_or(|b| gain > b.2) {
                    best = Some((j, p, gain));
                }
            }
            if let Some((j, p, gain)) = best {
                if gain > 1e-5 {
                    challenges[i] = Some((j, p, gain));
                    let (bi, bj) = model.bargain(i, j, p);
                    queues[i].push((bi.clone(), bj.clone(), i, j));
                    queues[j].push((bi, bj, i, j));
                }
            }
        }
        // Risk-aware utilities of positions (objective).
        let util_of = |a: usize, pos: &[f64]| {
            utility(distance(&model.ideal[a], &actors[a].salience, pos), r[a])
        };
        let caps: Vec<f64> = actors.iter().map(|a| a.capability).collect();
        let mut next = model.x.clone();
        for (a, queue) in queues.iter().enumerate() {
            if queue.is_empty() {
                continue;
            }
            // Options: each bargain, then the status quo.
            let value: Vec<Vec<f64>> = (0..n)
                .map(|v| {
                    let sq: f64 = (0..n).map(|m| util_of(v, &model.x[m])).sum::<f64>() / n as f64;
                    let mut row: Vec<f64> = queue
                        .iter()
                        .map(|(bi, bj, i, j)| {
                            (0..n)
                                .map(|m| {
                                    if m == *i {
                                        util_of(v, bi)
                                    } else if m == *j {
                                        util_of(v, bj)
                                    } else {
                                        util_of(v, &model.x[m])
                                    }
                                })
                                .sum::<f64>()
                                / n as f64
                        })
                        .collect();
                    row.push(sq);
                    row
                })
                .collect();
            let p = pce(&value, &caps, &o);
            let win = match rng.as_mut() {
                None => (0..p.len()).fold(0, |b, k| if p[k] > p[b] { k } else { b }),
                Some(rng) => {
                    use rand::RngExt;
                    let mut draw = rng.random::<f64>();
                    (0..p.len())
                        .find(|&k| {
                            draw -= p[k];
                            draw <= 0.0
                        })
                        .unwrap_or(p.len() - 1)
                }
            };
            if let Some((bi, bj, i, _)) = queue.get(win) {
                next[a] = if *i == a { bi.clone() } else { bj.clone() };
            }
        }
        turns.push(Turn {
            positions: model.x.clone(),
            ideals: model.ideal.clone(),
            risk: r,
            prob,
            challenges,
        });
        let moved: f64 = next
            .iter()
            .zip(&model.x)
            .map(|(a, b)| {
                a.iter()
                    .zip(b)
                    .map(|(p, q)| (p - q) * (p - q))
                    .sum::<f64>()
                    .sqrt()
            })
            .sum();
        model.x = next;
        model.ideal = match accommodation {
            None => model.x.clone(),
            Some(a) => (0..n)
                .map(|i| {
                    let total: f64 = a[i].iter().sum();
                    (0..model.x[i].len())
                        .map(|k| {
                            (0..n).map(|j| a[i][j] * model.x[j][k]).sum::<f64>()
                                + (1.0 - total) * model.ideal[i][k]
                        })
                        .collect()
                })
                .collect(),
        };
        let first = *first_move.get_or_insert(moved);
        let change = moved / (first + 1e-4);
        changes.push(change);
        if turn >= 1 && change < 0.02 {
            break;
        }
    }
    // The state after the last turn, for the position history and the reported probabilities.
    let d = model.distances();
    let r = model.risk(&d);
    let prob = model.reported_prob(&d, &r);
    turns.push(Turn {
        positions: model.x.clone(),
        ideals: model.ideal.clone(),
        risk: r,
        prob,
        challenges: vec![None; n],
    });
    Run {
        positions: model.x,
        turns,
        fractional_changes: changes,
    }
}
