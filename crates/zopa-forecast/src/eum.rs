//! Bueno de Mesquita's expected-utility model in the Scholz, Calbert & Smith (2011)
//! formulation (`../shared/notes/forecasting.md` §2): central positions, and rounds of
//! challenges and offers.
//!
//! The public ports disagree; zopa follows jmckib's "faithful to Scholz' code" port: P from
//! the all-triples vote denominator, Q = T = 1, security from the others' EU of challenging
//! (all r = 1), r = (1 − R/3)/(1 + R/3), and an actor judging a challenge against it with its
//! *own* risk exponent. Offers: confrontation (E_ji > E_ij > 0: move to the challenger),
//! compromise (E_ji > 0 > E_ij, E_ji > |E_ij|: move |E_ij/E_ji| of the way), preferred in that
//! order, then least movement. jmckib's capitulation test can never be true (it compares E_ji
//! with |E_ji|); `capitulation: false` reproduces that, `true` enables capitulation
//! (E_ji > 0 > E_ij, |E_ij| > E_ji: move to the challenger). On the EU car-emissions example
//! this reproduces jmckib's round-1 risk exponents and moves and its means for rounds 1–3; from
//! round 4 on the ports' set-order effects make the runs part (see the test).

/// One stakeholder on a single issue.
#[derive(Debug, Clone, PartialEq)]
pub struct Stakeholder {
    pub name: String,
    pub capability: f64,
    pub position: f64,
    /// In [0, 1].
    pub salience: f64,
}

/// Σ c·s·x / Σ c·s.
pub fn weighted_mean(actors: &[Stakeholder]) -> f64 {
    let w: f64 = actors.iter().map(|a| a.capability * a.salience).sum();
    actors
        .iter()
        .map(|a| a.capability * a.salience * a.position)
        .sum::<f64>()
        / w
}

/// The first position, in ascending order, at which the cumulative normalised c·s reaches ½.
pub fn weighted_median(actors: &[Stakeholder]) -> f64 {
    let mut sorted: Vec<&Stakeholder> = actors.iter().collect();
    sorted.sort_by(|a, b| a.position.total_cmp(&b.position));
    let total: f64 = actors.iter().map(|a| a.capability * a.salience).sum();
    let mut acc = 0.0;
    for a in &sorted {
        acc += a.capability * a.salience / total;
        if acc >= 0.5 {
            return a.position;
        }
    }
    sorted.last().map_or(0.0, |a| a.position)
}

/// The Condorcet winner among the actors' positions: the one no other position beats in the
/// pairwise vote Σ c·s·(|x − x_k| − |x − x_j|)/Δ (ties: the lower position).
pub fn condorcet(actors: &[Stakeholder]) -> f64 {
    let lo = actors
        .iter()
        .map(|a| a.position)
        .fold(f64::INFINITY, f64::min);
    let hi = actors
        .iter()
        .map(|a| a.position)
        .fold(f64::NEG_INFINITY, f64::max);
    let delta = (hi - lo).max(1e-12);
    let mut candidates: Vec<f64> = actors.iter().map(|a| a.position).collect();
    candidates.sort_by(f64::total_cmp);
    candidates.dedup();
    let vote = |j: f64, k: f64| -> f64 {
        actors
            .iter()
            .map(|a| {
                a.capability * a.salience * ((a.position - k).abs() - (a.position - j).abs())
                    / delta
            })
            .sum()
    };
    candidates
        .iter()
        .copied()
        .max_by(|&a, &b| {
            let wins = |x: f64| candidates.iter().filter(|&&y| vote(x, y) > 0.0).count();
            wins(a).cmp(&wins(b)).then(b.total_cmp(&a))
        })
        .unwrap_or(lo)
}

/// Reads `name, capability, position, salience` rows (a header line first).
pub fn parse_csv(text: &str) -> Result<Vec<Stakeholder>, String> {
    let mut out = Vec::new();
    for (k, line) in text.lines().enumerate().skip(1) {
        if line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split(',').map(str::trim).collect();
        if f.len() < 4 {
            return Err(format!(
                "line {}: expected name, capability, position, salience",
                k + 1
            ));
        }
        let num = |i: usize| {
            f[i].parse::<f64>()
                .map_err(|_| format!("line {}: `{}` is not a number", k + 1, f[i]))
        };
        out.push(Stakeholder {
            name: f[0].to_string(),
            capability: num(1)?,
            position: num(2)?,
            salience: num(3)?,
        });
    }
    Ok(out)
}

/// The expected-utility model's options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EumOptions {
    /// Enable capitulation offers (jmckib's port never makes them).
    pub capitulation: bool,
}

/// One round's outcome.
#[derive(Debug, Clone, PartialEq)]
pub struct Round {
    /// Risk exponents r used this round.
    pub risk: Vec<f64>,
    /// Each actor's move: (challenger, kind, new position), if it moved.
    pub moves: Vec<Option<(usize, &'static str, f64)>>,
    /// Positions after the round.
    pub positions: Vec<f64>,
    pub mean: f64,
}

fn eu(a: &[Stakeholder], x: &[f64], r: &[f64], i: usize, j: usize, ri: f64, delta: f64) -> f64 {
    let n = a.len();
    let w = |k: usize| a[k].capability * a[k].salience;
    let dist = |k: usize, m: usize| ((x[k] - x[m]).abs() / delta).powf(r[k]);
    let num: f64 = (0..n)
        .map(|k| (w(k) * (dist(k, j) - dist(k, i))).max(0.0))
        .sum();
    let mut den = 0.0;
    for k in 0..n {
        for p in 0..n {
            for q in 0..n {
                den += (w(k) * (dist(k, q) - dist(k, p))).abs();
            }
        }
    }
    let p = if den > 0.0 { num / den } else { 0.0 };
    let d = (x[i] - x[j]).abs() / delta;
    let us = 2.0 - 4.0 * (0.5 - 0.5 * d).powf(ri);
    let uf = 2.0 - 4.0 * (0.5 + 0.5 * d).powf(ri);
    let usq = 2.0 - 4.0 * 0.5f64.powf(ri);
    a[j].salience * (p * us + (1.0 - p) * uf) + (1.0 - a[j].salience) * us - usq
}

/// Runs `rounds` rounds of challenges and offers.
pub fn run(actors: &[Stakeholder], rounds: usize, o: EumOptions) -> Vec<Round> {
    let n = actors.len();
    let mut x: Vec<f64> = actors.iter().map(|a| a.position).collect();
    let mut out = Vec::new();
    for _ in 0..rounds {
        let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let delta = hi - lo;
        if delta <= 0.0 {
            break;
        }
        let ones = vec![1.0; n];
        let security: Vec<f64> = (0..n)
            .map(|i| {
                (0..n)
                    .filter(|&j| j != i)
                    .map(|j| eu(actors, &x, &ones, j, i, 1.0, delta))
                    .sum()
            })
            .collect();
        let smax = security.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let smin = security.iter().copied().fold(f64::INFINITY, f64::min);
        let risk: Vec<f64> = security
            .iter()
            .map(|&s| {
                let big_r = if smax > smin {
                    (2.0 * s - smax - smin) / (smax - smin)
                } else {
                    0.0
                };
                (1.0 - big_r / 3.0) / (1.0 + big_r / 3.0)
            })
            .collect();
        let mut next = x.clone();
        let mut moves = vec![None; n];
        for i in 0..n {
            // (preference, movement, position, challenger, kind)
            let mut best: Option<(u8, f64, f64, usize, &'static str)> = None;
            for j in (0..n).filter(|&j| j != i) {
                let eij = eu(actors, &x, &risk, i, j, risk[i], delta);
                let eji = eu(actors, &x, &risk, j, i, risk[i], delta);
                let offer = if eji > eij && eij > 0.0 {
                    Some((0, x[j], "loses to"))
                } else if eji > 0.0 && 0.0 > eij && eji > eij.abs() {
                    Some((
                        1,
                        x[i] + (x[j] - x[i]) * (eij / eji).abs(),
                        "compromises with",
                    ))
                } else if o.capitulation && eji > 0.0 && 0.0 > eij && eij.abs() > eji {
                    Some((2, x[j], "capitulates to"))
                } else {
                    None
                };
                if let Some((rank, pos, kind)) = offer {
                    let cand = (rank, (pos - x[i]).abs(), pos, j, kind);
                    if best.is_none_or(|b| (cand.0, cand.1) < (b.0, b.1)) {
                        best = Some(cand);
                    }
                }
            }
            if let Some((_, _, pos, j, kind)) = best {
                next[i] = pos;
                moves[i] = Some((j, kind, pos));
            }
        }
        x = next;
        let moved: Vec<Stakeholder> = actors
            .iter()
            .zip(&x)
            .map(|(a, &p)| Stakeholder {
                position: p,
                ..a.clone()
            })
            .collect();
        out.push(Round {
            risk,
            moves,
            positions: x.clone(),
            mean: weighted_mean(&moved),
        });
    }
    out
}
