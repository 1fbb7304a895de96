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
    /// The disagreement point the solutions were measured from.
    pub disagreement: Vec<f64>,
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

/// Index of the first of the largest scores (`None` scores are ineligible).
fn first_max<S: PartialOrd>(scores: impl Iterator<Item = Option<S>>) -> Option<usize> {
    let mut best: Option<(usize, S)> = None;
    for (i, s) in scores.enumerate() {
        if let Some(s) = s {
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

/// A solution concept of zopa's definitions, scored from the disagreement point d.
#[derive(Debug, Clone, Copy)]
enum Concept {
    /// Π (u_i − d_i).
    Nash,
    /// min_i (u_i − d_i).
    Egalitarian,
    /// min_i (u_i − d_i) / (I_i − d_i), 1 where I_i ≤ d_i (Kalai–Smorodinsky).
    Kalai,
}

/// The minimum of exact numbers; `None` for none or when a comparison overflows.
fn exact_min(xs: impl Iterator<Item = Option<Rational>>) -> Option<Rational> {
    let mut least: Option<Rational> = None;
    for x in xs {
        let x = x?;
        least = Some(match least {
            Some(m) if m.checked_cmp(&x)?.is_le() => m,
            _ => x,
        });
    }
    least
}

/// zopa's scores of individually rational points: in `f64`, and exact where the utilities,
/// d and the ideal point are short decimals or small fractions (utilities equal on paper are
/// equal `f64`s, read back here as the numbers they are) and the arithmetic fits.
struct ZopaScoring<'a> {
    d: &'a [f64],
    ideal: &'a [f64],
    exact: ExactPoints,
}

impl ZopaScoring<'_> {
    fn float(&self, concept: Concept, u: &[f64]) -> f64 {
        let gains = u.iter().zip(self.d).map(|(x, y)| x - y);
        match concept {
            Concept::Nash => gains.product(),
            Concept::Egalitarian => gains.fold(f64::INFINITY, f64::min),
            Concept::Kalai => gains
                .zip(self.d)
                .zip(self.ideal)
                .map(|((g, dd), i)| if i > dd { g / (i - dd) } else { 1.0 })
                .fold(f64::INFINITY, f64::min),
        }
    }

    fn exact(&self, concept: Concept, u: &[f64]) -> Score {
        let exact = || -> Option<Rational> {
            let g: Vec<Rational> = u
                .iter()
                .zip(self.exact.d.as_ref()?)
                .map(|(&x, &y)| Rational::from_f64(x)?.sub(y))
                .collect::<Option<_>>()?;
            match concept {
                Concept::Nash => Rational::product(&g),
                Concept::Egalitarian => exact_min(g.iter().map(|&x| Some(x))),
                Concept::Kalai => exact_min(g.iter().zip(self.exact.scale.as_ref()?).map(
                    |(g, s)| match s {
                        Some(s) => g.div(*s),
                        None => Some(Rational::ONE),
                    },
                )),
            }
        };
        exact().map_or_else(|| Score::Float(self.float(concept, u)), Score::Exact)
    }

    /// The first of the best-scoring points among `eligible` ones. A pass in `f64` finds the
    /// best score; only the points within a margin of it — far wider than the rounding of a
    /// few products and quotients — are scored exactly, so exact ties and near-ties are
    /// decided exactly at the cost of a handful of exact scores.
    fn best(&self, concept: Concept, points: &[Point], eligible: &[bool]) -> Option<usize> {
        let floats: Vec<Option<f64>> = points
            .iter()
            .zip(eligible)
            .map(|(p, &ok)| ok.then(|| self.float(concept, &p.utilities)))
            .collect();
        let top = floats
            .iter()
            .flatten()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        if !top.is_finite() {
            return first_max(floats.into_iter());
        }
        let floor = top - 1e-6 * top.abs().max(1.0);
        first_max(floats.iter().zip(points).map(|(f, p)| {
            f.filter(|&f| f >= floor)
                .map(|_| self.exact(concept, &p.utilities))
        }))
    }
}

/// d and the Kalai–Smorodinsky scale I − d in exact arithmetic, when they are exact.
struct ExactPoints {
    d: Option<Vec<Rational>>,
    /// I_i − d_i where it is positive; `None` entries score 1 (no room to gain).
    scale: Option<Vec<Option<Rational>>>,
}

impl ExactPoints {
    fn new(d: &[f64], ideal: &[f64]) -> ExactPoints {
        let d: Option<Vec<Rational>> = d.iter().map(|&x| Rational::from_f64(x)).collect();
        let scale = d.as_ref().and_then(|d| {
            ideal
                .iter()
                .zip(d)
                .map(|(&i, &dd)| {
                    if !i.is_finite() {
                        return Some(None);
                    }
                    let s = Rational::from_f64(i)?.sub(dd)?;
                    Some(s.is_positive().then_some(s))
                })
                .collect()
        });
        ExactPoints { d, scale }
    }
}

pub(crate) fn solve(
    frontier: Vec<Point>,
    reserved: &[f64],
    inside: Option<&[f64]>,
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
    // Disagreement point and the ideal point within the rational region. Inside options
    // (a horizon) come only with zopa's definitions (`analyze` refuses the others).
    let d: Vec<f64> = match (inside, definitions) {
        (Some(inside), _) => inside.to_vec(),
        (None, Definitions::Negmas) => reserved
            .iter()
            .zip(worst)
            .map(|(&r, &w)| if r >= w { r } else { w })
            .collect(),
        (None, Definitions::Negolog | Definitions::Geniusweb) => vec![0.0; n],
        (None, Definitions::Zopa | Definitions::Genius) => reserved.to_vec(),
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
    // zopa's own definitions compare their scores exactly (equal on paper, equal here: ties
    // go to the first point in frontier order whatever d is); the platforms' sets keep the
    // platforms' floating point.
    let eligible: Vec<bool> = frontier.iter().map(|p| is_rational(&p.utilities)).collect();
    let scoring = ZopaScoring {
        d: &d,
        ideal: &rational_ideal,
        exact: ExactPoints::new(&d, &rational_ideal),
    };
    let zopa_best = |concept: Concept| scoring.best(concept, &frontier, &eligible);
    let nash = match definitions {
        Definitions::Zopa => zopa_best(Concept::Nash),
        Definitions::Geniusweb => argmax_in(&frontier, ascending(), |u| {
            let p = Score::of(u, Rational::product, |u| u.iter().product());
            (p > Score::Float(0.0)).then_some(p)
        }),
        Definitions::Negolog => argmax(&frontier, |u| Some(product(u))),
        _ => argmax(&frontier, |u| is_rational(u).then(|| product(u))),
    };
    let egalitarian = match definitions {
        Definitions::Zopa => zopa_best(Concept::Egalitarian),
        _ => argmax(&frontier, |u| is_rational(u).then(|| min_gain(u))),
    };
    let max_welfare = match definitions {
        Definitions::Geniusweb => argmax_in(&frontier, ascending(), |u| {
            Some(Score::of(u, Rational::sum, |u| u.iter().sum()))
        }),
        _ => argmax(&frontier, |u| Some(welfare(u))),
    };
    let kalai = match definitions {
        Definitions::Zopa => zopa_best(Concept::Kalai),
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
        disagreement: d,
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
