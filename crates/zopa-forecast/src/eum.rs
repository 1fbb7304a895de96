//! Bueno de Mesquita's expected-utility model: the central positions (Scholz, Calbert & Smith
//! 2011 formulation; `../shared/notes/forecasting.md` §2). The round-by-round challenge and
//! offer dynamics are not built yet.

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
