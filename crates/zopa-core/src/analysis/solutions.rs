//! Bargaining solutions read off a Pareto frontier, under each platform's definitions.
//!
//! Every argmax/argmin breaks ties by frontier order (first party's utility descending, then
//! the next party's …), which is also NegoLog's rule (first bid found, bids sorted by u_A
//! descending).

use super::exact::Rational;
use super::Point;

/// Whose definitions of the solution concepts to use (see `../shared/notes/metrics.md`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Definitions {
    /// Textbook: Nash over individually rational outcomes with d = reservation values,
    /// Kalai–Smorodinsky (max–min of normalised gains), egalitarian, opposition as the
    /// minimum normalised distance to the ideal point.
    Zopa,
    /// GENIUS `BidSpace`: Nash with reservation values, "Kalai" = min Σ|u_i − u_j|.
    Genius,
    /// NegoLog: Nash without reservation values, "Kalai" = max social welfare, opposition =
    /// distance from (1, 1) to that point.
    Negolog,
    /// NegMAS `calc_scenario_stats`: rational frontier, d = max(reserved, min utility),
    /// "Kalai" = egalitarian on gains.
    Negmas,
    /// The statistics files (`specials.json`) of GeniusWeb-era domain collections: the
    /// frontier read in ascending order of the first party's utility; Nash = the first point
    /// with the largest product of utilities (no reservation values); "Kalai" = the first
    /// point with the smallest |u1 − u2| (GENIUS's); opposition = the distance from (1, 1)
    /// to that point; scores compared in exact arithmetic.
    Geniusweb,
}

impl Definitions {
    pub fn as_str(self) -> &'static str {
        match self {
            Definitions::Zopa => "zopa",
            Definitions::Genius => "genius",
            Definitions::Negolog => "negolog",
            Definitions::Negmas => "negmas",
            Definitions::Geniusweb => "geniusweb",
        }
    }

    /// Every definition set, in the order the CLI lists them.
    pub const ALL: [Definitions; 5] = [
        Definitions::Zopa,
        Definitions::Genius,
        Definitions::Negolog,
        Definitions::Negmas,
        Definitions::Geniusweb,
    ];

    pub fn parse(s: &str) -> Option<Definitions> {
        match s {
            "zopa" => Some(Definitions::Zopa),
            "genius" => Some(Definitions::Genius),
            "negolog" => Some(Definitions::Negolog),
            "negmas" => Some(Definitions::Negmas),
            "geniusweb" => Some(Definitions::Geniusweb),
            _ => None,
        }
    }
}

pub(crate) struct Solved {
    pub frontier: Vec<Point>,
    pub ideal: Vec<f64>,
    pub nash: Option<Point>,
    pub kalai: Option<Point>,
    pub egalitarian: Option<Point>,
    pub max_welfare: Option<Point>,
    pub opposition: Option<f64>,
    pub zopa_exists: bool,
    pub rational: usize,
}

/// Index of the first point with the largest score (`None` scores are ineligible).
fn argmax(points: &[Point], score: impl Fn(&[f64]) -> Option<f64>) -> Option<usize> {
    argmax_in(points, 0..points.len(), score)
}

/// [`argmax`] over `order` (an iteration order of `points`), for any ordered score.
fn argmax_in<S: PartialOrd>(
    points: &[Point],
    order: impl Iterator<Item = usize>,
    score: impl Fn(&[f64]) -> Option<S>,
) -> Option<usize> {
    let mut best: Option<(usize, S)> = None;
    for i in order {
        if let Some(s) = score(&points[i].utilities) {
            if best.as_ref().is_none_or(|(_, b)| s > *b) {
                best = Some((i, s));
            }
        }
    }
    best.map(|(i, _)| i)
}

/// GENIUS's "Kalai" spread: Σ_{i<j} |u_i − u_j|.
fn spread(u: &[f64]) -> f64 {
    let mut spread = 0.0;
    for i in 0..u.len() {
        for j in i + 1..u.len() {
            spread += (u[i] - u[j]).abs();
        }
    }
    spread
}

/// A score compared exactly where the utilities are exact decimals or small fractions and
/// the arithmetic fits, in floating point otherwise.
#[derive(Debug, Clone, Copy)]
enum Score {
    Exact(Rational),
    Float(f64),
}

impl Score {
    fn of(
        u: &[f64],
        exact: fn(&[Rational]) -> Option<Rational>,
        float: fn(&[f64]) -> f64,
    ) -> Score {
        let rationals: Option<Vec<Rational>> = u.iter().map(|&x| Rational::from_f64(x)).collect();
        match rationals.as_deref().and_then(exact) {
            Some(r) => Score::Exact(r),
            None => Score::Float(float(u)),
        }
    }

    fn to_f64(self) -> f64 {
        match self {
            Score::Exact(r) => r.to_f64(),
            Score::Float(x) => x,
        }
    }
}

impl PartialEq for Score {
    fn eq(&self, other: &Self) -> bool {
        self.partial_cmp(other) == Some(std::cmp::Ordering::Equal)
    }
}

impl PartialOrd for Score {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        match (self, other) {
            (Score::Exact(a), Score::Exact(b)) => match a.checked_cmp(b) {
                Some(o) => Some(o),
                None => self.to_f64().partial_cmp(&other.to_f64()),
            },
            _ => self.to_f64().partial_cmp(&other.to_f64()),
        }
    }
}

fn rational(u: &[f64], reserved: &[f64]) -> bool {
    u.iter().zip(reserved).all(|(x, r)| x >= r)
}

pub(crate) fn solve(
    frontier: Vec<Point>,
    reserved: &[f64],
    worst: &[f64],
    definitions: Definitions,
) -> Solved {
    let n = reserved.len();
    let ideal: Vec<f64> = (0..n)
        .map(|i| {
            frontier
                .iter()
                .map(|p| p.utilities[i])
                .fold(f64::NEG_INFINITY, f64::max)
        })
        .collect();
    let is_rational = |u: &[f64]| rational(u, reserved);
    let n_rational = frontier
        .iter()
        .filter(|p| is_rational(&p.utilities))
        .count();
    let frontier: Vec<Point> = match definitions {
        Definitions::Negmas => frontier
            .into_iter()
            .filter(|p| rational(&p.utilities, reserved))
            .collect(),
        _ => frontier,
    };
    // Disagreement point and the ideal point within the rational region.
    let d: Vec<f64> = match definitions {
        Definitions::Negmas => reserved
            .iter()
            .zip(worst)
            .map(|(&r, &w)| if r >= w { r } else { w })
            .collect(),
        Definitions::Negolog => vec![0.0; n],
        _ => reserved.to_vec(),
    };
    let rational_ideal: Vec<f64> = (0..n)
        .map(|i| {
            frontier
                .iter()
                .filter(|p| is_rational(&p.utilities))
                .map(|p| p.utilities[i])
                .fold(f64::NEG_INFINITY, f64::max)
        })
        .collect();
    let gains = |u: &[f64]| -> Vec<f64> { u.iter().zip(&d).map(|(x, y)| x - y).collect() };
    let product = |u: &[f64]| gains(u).iter().product::<f64>();
    let welfare = |u: &[f64]| u.iter().sum::<f64>();
    let min_gain = |u: &[f64]| gains(u).into_iter().fold(f64::INFINITY, f64::min);

    // GeniusWeb-era statistics read the frontier by ascending first utility and keep the
    // first strict improvement; scores are exact (utilities are correctly rounded exact
    // values, read back as the decimals or fractions they are).
    let ascending = || (0..frontier.len()).rev();
    let nash = match definitions {
        Definitions::Geniusweb => argmax_in(&frontier, ascending(), |u| {
            let p = Score::of(u, Rational::product, |u| u.iter().product());
            (p > Score::Float(0.0)).then_some(p)
        }),
        Definitions::Negolog => argmax(&frontier, |u| Some(product(u))),
        _ => argmax(&frontier, |u| is_rational(u).then(|| product(u))),
    };
    let egalitarian = argmax(&frontier, |u| is_rational(u).then(|| min_gain(u)));
    let max_welfare = match definitions {
        Definitions::Geniusweb => argmax_in(&frontier, ascending(), |u| {
            Some(Score::of(u, Rational::sum, |u| u.iter().sum()))
        }),
        _ => argmax(&frontier, |u| Some(welfare(u))),
    };
    let kalai = match definitions {
        Definitions::Zopa => argmax(&frontier, |u| {
            is_rational(u).then(|| {
                u.iter()
                    .zip(&d)
                    .zip(&rational_ideal)
                    .map(|((x, dd), i)| if i > dd { (x - dd) / (i - dd) } else { 1.0 })
                    .fold(f64::INFINITY, f64::min)
            })
        }),
        Definitions::Genius => argmax(&frontier, |u| Some(-spread(u))),
        Definitions::Negolog => max_welfare,
        Definitions::Negmas => egalitarian,
        Definitions::Geniusweb => argmax_in(&frontier, ascending(), |u| {
            Some(Score::of(u, Rational::negated_spread, |u| -spread(u)))
        }),
    };
    let distance_to_ideal = |u: &[f64], scale: &[f64]| -> f64 {
        u.iter()
            .zip(scale)
            .map(|(x, m)| {
                let r = if *m != 0.0 { x / m } else { *x };
                (1.0 - r) * (1.0 - r)
            })
            .sum::<f64>()
            .sqrt()
    };
    let opposition = match definitions {
        Definitions::Negolog => {
            max_welfare.map(|i| distance_to_ideal(&frontier[i].utilities, &vec![1.0; n]))
        }
        Definitions::Geniusweb => {
            kalai.map(|i| distance_to_ideal(&frontier[i].utilities, &vec![1.0; n]))
        }
        Definitions::Negmas => frontier
            .iter()
            .map(|p| distance_to_ideal(&p.utilities, &ideal))
            .reduce(f64::min),
        Definitions::Zopa | Definitions::Genius => frontier
            .iter()
            .map(|p| distance_to_ideal(&p.utilities, &ideal))
            .reduce(f64::min),
    };
    let pick = |i: Option<usize>| i.map(|i| frontier[i].clone());
    Solved {
        nash: pick(nash),
        kalai: pick(kalai),
        egalitarian: pick(egalitarian),
        max_welfare: pick(max_welfare),
        opposition,
        zopa_exists: n_rational > 0,
        rational: n_rational,
        ideal,
        frontier,
    }
}
