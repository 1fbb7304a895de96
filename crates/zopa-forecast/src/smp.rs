//! KTAB's Spatial Model of Politics, default options only (see the crate docs). Positions and
//! saliences are on [0, 1] (file values / 100). Every step follows
//! `../shared/notes/forecasting.md` §1.2, epsilons included, so runs reproduce KTAB's logs.

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

/// Conditional PCE with Prop votes and Linear victory probabilities over options whose value
/// to voter k is `value[k][a]`, voters weighted by `weight`.
pub fn pce(value: &[Vec<f64>], weight: &[f64]) -> Vec<f64> {
    let m = value.first().map_or(0, Vec::len);
    let coalition = |a: usize, b: usize| -> f64 {
        1e-8 + value
            .iter()
            .zip(weight)
            .map(|(v, w)| (w * (v[a] - v[b])).max(0.0))
            .sum::<f64>()
    };
    let mut c = vec![vec![0.0; m]; m];
    for (a, row) in c.iter_mut().enumerate() {
        for (b, x) in row.iter_mut().enumerate() {
            *x = coalition(a, b);
        }
    }
    let mut p: Vec<f64> = (0..m)
        .map(|a| {
            (0..m)
                .map(|b| {
                    if a == b {
                        0.5
                    } else {
                        c[a][b] / (c[a][b] + c[b][a])
                    }
                })
                .product()
        })
        .collect();
    let total: f64 = p.iter().sum();
    for x in &mut p {
        *x /= total;
    }
    p
}

struct Model<'a> {
    actors: &'a [Actor],
    x: Vec<Vec<f64>>,
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
                    .map(|j| distance(&self.x[i], &self.actors[i].salience, &self.x[j]))
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
        let p = pce(&value, &caps);
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
                let ri = (2.0 * r[h] + r[i]) / 3.0;
                (0..self.n()).map(|j| utility(d[i][j], ri)).collect()
            })
            .collect()
    }

    /// Probability that i beats j and i's expected gain, as estimated with utilities `u`.
    fn challenge(&self, i: usize, j: usize, u: &[Vec<f64>]) -> (f64, f64) {
        let w = |k: usize| self.total_salience(k) * self.actors[k].capability;
        let (mut cij, mut cji) = (1e-10, 1e-10);
        let vi = w(i) * (u[i][i] - u[i][j]);
        let vj = w(j) * (u[j][i] - u[j][j]);
        for v in [vi, vj] {
            if v > 0.0 {
                cij += v;
            } else {
                cji -= v;
            }
        }
        let (base_ij, base_ji) = (cij, cji);
        for k in (0..self.n()).filter(|&k| k != i && k != j) {
            let vk = w(k) * (u[k][i] - u[k][j]);
            let p = (base_ij + vk.max(0.0)) / (base_ij + vk.max(0.0) + base_ji + (-vk).max(0.0));
            let with_i = p * (2.0 * u[k][i] + u[k][k]) + (1.0 - p) * 3.0 * u[k][j];
            let with_j = p * 3.0 * u[k][i] + (1.0 - p) * (2.0 * u[k][j] + u[k][k]);
            let v = w(k) * (with_i - with_j);
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
            let wi = si * si * p * p;
            let wj = sj * sj * (1.0 - p) * (1.0 - p);
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
        let p = pce(&value, &caps);
        of.iter().map(|&k| p[k]).collect()
    }
}

/// A proposed bargain: the initiator's and the receiver's new positions, and who they are.
type Bargain = (Vec<f64>, Vec<f64>, usize, usize);

/// Runs the model until KTAB's stopping rule (or `max_turns`).
pub fn run(actors: &[Actor], max_turns: usize) -> Run {
    let n = actors.len();
    let mut model = Model {
        actors,
        x: actors.iter().map(|a| a.position.clone()).collect(),
    };
    let mut turns = Vec::new();
    let mut changes = Vec::new();
    let mut first_move = None;
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
        let util_of =
            |a: usize, pos: &[f64]| utility(distance(&model.x[a], &actors[a].salience, pos), r[a]);
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
            let p = pce(&value, &caps);
            let win = (0..p.len()).fold(0, |b, k| if p[k] > p[b] { k } else { b });
            if let Some((bi, bj, i, _)) = queue.get(win) {
                next[a] = if *i == a { bi.clone() } else { bj.clone() };
            }
        }
        turns.push(Turn {
            positions: model.x.clone(),
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
