//! Bueno de Mesquita's expected-utility model in the Scholz, Calbert & Smith (2011)
//! formulation (`../shared/notes/forecasting.md` §2): central positions, and rounds of
//! challenges and offers.
//!
//! The public ports disagree; zopa builds both as named variants ([`EumVariant`]). Common to
//! both: Q = T = 1, security from the others' EU of challenging (all r = 1),
//! r = (1 − R/3)/(1 + R/3), Δ the inputs' position range. jmckib's port ("faithful to Scholz'
//! code", the default): P from the all-triples vote denominator, an actor judging a challenge
//! against it with its *own* risk exponent; confrontation (E_ji > E_ij > 0: move to the
//! challenger) before compromise (E_ji > 0 > E_ij, E_ji > |E_ij|: move |E_ij/E_ji| of the
//! way), compromises ranked by Scholz's EU-weighted position. Its capitulation test can never
//! be true (it compares E_ji with |E_ji|); `capitulation: false` reproduces that, `true`
//! enables capitulation (E_ji > 0 > E_ij, |E_ij| > E_ji). dmasad's port: P as a share of
//! votes, the best incoming offer by the sender's EU. On the EU car-emissions example both
//! reproduce their port's published numbers (see `tests/ktab.rs`).

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
        let a = Stakeholder {
            name: f[0].to_string(),
            capability: num(1)?,
            position: num(2)?,
            salience: num(3)?,
        };
        if !(a.capability.is_finite() && a.capability > 0.0) {
            return Err(format!(
                "line {}: capability {} of `{}` must be a positive number",
                k + 1,
                a.capability,
                a.name
            ));
        }
        if !(0.0..=1.0).contains(&a.salience) || !a.position.is_finite() {
            return Err(format!(
                "line {}: `{}` needs a finite position and a salience between 0 and 1 (got {}, {})",
                k + 1,
                a.name,
                a.position,
                a.salience
            ));
        }
        out.push(a);
    }
    if out.len() < 2 {
        return Err(format!(
            "{} stakeholder rows; the expected-utility model needs at least two (name, capability, position, salience under a header line)",
            out.len()
        ));
    }
    if out.iter().all(|a| a.salience == 0.0) {
        return Err("every salience is 0, so no stakeholder cares and every mean is undefined; give some stakeholder a salience above 0".into());
    }
    Ok(out)
}

/// Which public port of the model's rounds to follow (`forecasting.md` §2); they disagree.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum EumVariant {
    /// jmckib's port ("faithful to Scholz' code"): P over the all-triples vote denominator
    /// with each voter's risk exponent, an actor judging both sides of a dyad with its own
    /// exponent, offers ranked confrontation > compromise > capitulation.
    #[default]
    Jmckib,
    /// dmasad's port: P as a share of the capability·salience-weighted votes, each actor's
    /// EU with its own exponent, and each actor answering the incoming challenge with the
    /// highest EU (ties: the least move).
    Dmasad,
}

/// The expected-utility model's options.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct EumOptions {
    pub variant: EumVariant,
    /// Enable capitulation offers in the jmckib variant (that port never makes them; dmasad's
    /// does).
    pub capitulation: bool,
}

impl EumOptions {
    /// Parses `Variant=jmckib|dmasad` or `Capitulation=on|off` (`zopa forecast --set`).
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        match (
            key.to_ascii_lowercase().as_str(),
            value.to_ascii_lowercase().as_str(),
        ) {
            ("variant", "jmckib") => self.variant = EumVariant::Jmckib,
            ("variant", "dmasad") => self.variant = EumVariant::Dmasad,
            ("capitulation", "on" | "true" | "yes") => self.capitulation = true,
            ("capitulation", "off" | "false" | "no") => self.capitulation = false,
            ("variant", _) => {
                return Err(format!("Variant `{value}` is not one of jmckib, dmasad"))
            }
            ("capitulation", _) => return Err(format!("Capitulation `{value}` is not on or off")),
            _ => {
                return Err(format!(
                    "unknown expected-utility option `{key}`; known: Variant, Capitulation"
                ))
            }
        }
        Ok(())
    }

    /// A one-line description of the options in force.
    pub fn describe(&self) -> String {
        let variant = match self.variant {
            EumVariant::Jmckib => "jmckib's port of Scholz et al. (2011)",
            EumVariant::Dmasad => "dmasad's port of Scholz et al. (2011)",
        };
        let capitulation = match (self.variant, self.capitulation) {
            (EumVariant::Dmasad, _) | (_, true) => "capitulation on",
            _ => "capitulation off",
        };
        format!("{variant}, {capitulation}")
    }
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

const LOSES: &str = "loses to";
const COMPROMISES: &str = "compromises with";
const CAPITULATES: &str = "capitulates to";

/// The probability that position x_i beats x_j, by variant.
fn probability(
    a: &[Stakeholder],
    x: &[f64],
    r: &[f64],
    i: usize,
    j: usize,
    v: EumVariant,
    delta: f64,
) -> f64 {
    let n = a.len();
    let w = |k: usize| a[k].capability * a[k].salience;
    if x[i] == x[j] {
        return 0.0;
    }
    match v {
        EumVariant::Jmckib => {
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
            if den > 0.0 {
                num / den
            } else {
                0.0
            }
        }
        EumVariant::Dmasad => {
            let (mut top, mut bottom) = (0.0, 0.0);
            for k in 0..n {
                let d = (x[k] - x[j]).abs() - (x[k] - x[i]).abs();
                top += w(k) * d;
                bottom += w(k) * d.abs();
            }
            if bottom > 0.0 {
                top.max(0.0) / bottom
            } else {
                // No voter with salience cares between x_i and x_j: neither side has votes,
                // so each wins with probability ½ (dmasad's code divides by zero here).
                0.5
            }
        }
    }
}

/// EU of i challenging j, evaluated with risk exponent `ri` (Q = T = 1).
#[allow(clippy::too_many_arguments)]
fn eu(
    a: &[Stakeholder],
    x: &[f64],
    r: &[f64],
    i: usize,
    j: usize,
    ri: f64,
    delta: f64,
    v: EumVariant,
) -> f64 {
    let p = probability(a, x, r, i, j, v, delta);
    let d = (x[i] - x[j]).abs() / delta;
    let us = 2.0 - 4.0 * (0.5 - 0.5 * d).powf(ri);
    let uf = 2.0 - 4.0 * (0.5 + 0.5 * d).powf(ri);
    let usq = 2.0 - 4.0 * 0.5f64.powf(ri);
    a[j].salience * (p * us + (1.0 - p) * uf) + (1.0 - a[j].salience) * us - usq
}

/// The stakeholders at these positions (e.g. after a round).
pub fn moved(actors: &[Stakeholder], positions: &[f64]) -> Vec<Stakeholder> {
    actors
        .iter()
        .zip(positions)
        .map(|(a, &p)| Stakeholder {
            position: p,
            ..a.clone()
        })
        .collect()
}

/// Runs `rounds` rounds of challenges and offers. Δ, the position range, is the inputs'
/// range throughout, as in both ports.
pub fn run(actors: &[Stakeholder], rounds: usize, o: EumOptions) -> Vec<Round> {
    let n = actors.len();
    let mut x: Vec<f64> = actors.iter().map(|a| a.position).collect();
    let lo = x.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = x.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let delta = hi - lo;
    let mut out = Vec::new();
    if delta <= 0.0 {
        return out;
    }
    let v = o.variant;
    for _ in 0..rounds {
        // Security: the others' EU of challenging i, everyone risk-neutral.
        let ones = vec![1.0; n];
        let security: Vec<f64> = (0..n)
            .map(|i| {
                (0..n)
                    .filter(|&j| j != i)
                    .map(|j| eu(actors, &x, &ones, j, i, 1.0, delta, v))
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
        let moves = match v {
            EumVariant::Jmckib => jmckib_offers(actors, &x, &risk, delta, o.capitulation),
            EumVariant::Dmasad => dmasad_offers(actors, &x, &risk, delta),
        };
        for (i, m) in moves.iter().enumerate() {
            if let Some((_, _, pos)) = m {
                x[i] = *pos;
            }
        }
        out.push(Round {
            risk,
            moves,
            positions: x.clone(),
            mean: weighted_mean(&moved(actors, &x)),
        });
    }
    out
}

type Move = Option<(usize, &'static str, f64)>;

/// jmckib: i judges every j with its own exponent. Confrontations first (the least move),
/// then compromises — ranked, as in Scholz's code, by the EU-weighted mean of the two
/// positions rather than by the move — then capitulations (the least move).
fn jmckib_offers(
    a: &[Stakeholder],
    x: &[f64],
    r: &[f64],
    delta: f64,
    capitulation: bool,
) -> Vec<Move> {
    let n = a.len();
    let v = EumVariant::Jmckib;
    (0..n)
        .map(|i| {
            // (rank, key, position, challenger, kind)
            let mut best: Option<(u8, f64, f64, usize, &'static str)> = None;
            for j in (0..n).filter(|&j| j != i && x[j] != x[i]) {
                let eij = eu(a, x, r, i, j, r[i], delta, v);
                let eji = eu(a, x, r, j, i, r[i], delta, v);
                let offer = if eji > eij && eij > 0.0 {
                    Some((0, (x[j] - x[i]).abs(), x[j], LOSES))
                } else if eji > 0.0 && 0.0 > eij && eji > eij.abs() {
                    let pos = x[i] + (x[j] - x[i]) * (eij / eji).abs();
                    let key = (eij.abs() * x[i] + eji.abs() * x[j]) / (eij.abs() + eji.abs());
                    Some((1, key, pos, COMPROMISES))
                } else if capitulation && eji > 0.0 && 0.0 > eij && eij.abs() > eji {
                    Some((2, (x[j] - x[i]).abs(), x[j], CAPITULATES))
                } else {
                    None
                };
                if let Some((rank, key, pos, kind)) = offer {
                    if best.is_none_or(|b| (rank, key) < (b.0, b.1)) {
                        best = Some((rank, key, pos, j, kind));
                    }
                }
            }
            best.map(|(_, _, pos, j, kind)| (j, kind, pos))
        })
        .collect()
}

/// dmasad: every j with a positive EU of challenging i (its own view) sends i an offer; i
/// answers the one with the highest EU (ties: the least move, then the first) by comparing it
/// with its own EU of challenging that sender.
fn dmasad_offers(a: &[Stakeholder], x: &[f64], r: &[f64], delta: f64) -> Vec<Move> {
    let n = a.len();
    let v = EumVariant::Dmasad;
    let e: Vec<Vec<f64>> = (0..n)
        .map(|i| {
            (0..n)
                .map(|j| {
                    if i == j {
                        0.0
                    } else {
                        eu(a, x, r, i, j, r[i], delta, v)
                    }
                })
                .collect()
        })
        .collect();
    (0..n)
        .map(|i| {
            let offers: Vec<usize> = (0..n).filter(|&j| j != i && e[j][i] > 0.0).collect();
            let top = offers
                .iter()
                .map(|&j| e[j][i])
                .fold(f64::NEG_INFINITY, f64::max);
            let j = offers
                .iter()
                .copied()
                .filter(|&j| e[j][i] == top)
                .min_by(|&p, &q| (x[i] - x[p]).abs().total_cmp(&(x[i] - x[q]).abs()))?;
            let (ui, uj) = (e[i][j], e[j][i]);
            if ui > 0.0 && ui < uj {
                Some((j, LOSES, x[j]))
            } else if ui < 0.0 && ui.abs() < uj {
                Some((j, COMPROMISES, x[i] + (x[j] - x[i]) * (ui / uj).abs()))
            } else if ui < 0.0 && ui.abs() > uj {
                Some((j, CAPITULATES, x[j]))
            } else {
                None
            }
        })
        .collect()
}

/// How a multi-dimensional input's per-dimension saliences become the model's saliences.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SalienceRule {
    /// As given (KTAB's saliences, already 0–1 attention per dimension).
    AsGiven,
    /// Divided by the actor's largest: its most important issue counts 1 (for zopa's issue
    /// weights, which are shares of one utility, not independent saliences).
    RelativeToLargest,
}

/// The stakeholders of dimension `dim` of a spatial (SMP-style) input, positions on `scale`
/// (100: KTAB's and zopa's 0–100).
pub fn stakeholders(
    actors: &[crate::smp::Actor],
    dim: usize,
    scale: f64,
    rule: SalienceRule,
) -> Vec<Stakeholder> {
    actors
        .iter()
        .map(|a| {
            let largest = a.salience.iter().copied().fold(0.0, f64::max);
            let s = a.salience[dim];
            Stakeholder {
                name: a.name.clone(),
                capability: a.capability,
                position: a.position[dim] * scale,
                salience: match rule {
                    SalienceRule::AsGiven => s,
                    SalienceRule::RelativeToLargest if largest > 0.0 => s / largest,
                    SalienceRule::RelativeToLargest => 0.0,
                },
            }
        })
        .collect()
}
