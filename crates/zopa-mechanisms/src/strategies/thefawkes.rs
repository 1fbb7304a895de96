//! TheFawkes (a TU Delft student group, "Group3" in its source; ANAC 2013 winner), GENIUS
//! `agents/anac/y2013/TheFawkes/TheFawkes.java`, a BOA agent of
//! `boaframework/offeringstrategy/anac2013/Fawkes_Offering.java` (bidding),
//! `acceptanceconditions/anac2013/AC_TheFawkes.java` (acceptance),
//! `opponentmodel/TheFawkes_OM.java` (opponent model) and `omstrategy/TheFawkes_OMS.java`
//! (choice among bids), with the JWave Daubechies transform and SSJ's smoothing cubic spline
//! it ships (`offeringstrategy/anac2013/TheFawkes/`).
//!
//! - Opponent model: HardHeaded's frequency model with learning coefficient 0.8, learning from
//!   the opponent's second bid on. After each bid it also forecasts the opponent's concession:
//!   the utilities the opponent offered, placed on a grid of `rounds` cells (100 per second
//!   on a time deadline), go through a Daubechies-8 wavelet transform; a smoothing cubic
//!   spline (ρ = 10⁻¹⁶) through the transform is α, and the ratios α(i)/χ(i) give a spread.
//! - Target (the paper's formulas 7–14): reserved utility R(t) = rv + (1 − t^(1/β))·(max·df^ν
//!   − rv), β = 0.002, ν = 0.2; estimated received utility E(t) = α(t·cells)·(1 + sd(ratios)).
//!   Over the next ten steps of the longest gap between opponent bids (at most 0.1), the time
//!   where discounted E most exceeds discounted R (optimistic), else where they are nearest
//!   if E/ρ still beats R there (ρ = 0.8), else none. With an estimate (t̂, û) the target
//!   runs from its last bid toward it: û + (u_last − û)·(t − t̂)/(t_last − t̂); without, R(t).
//! - Bidding: its best outcome until the opponent has made two offers; then the outcomes of
//!   utility ≥ (1 − t/10 − k/(10·own bids))·target, of which the one the model rates best for
//!   the opponent — the second best when the last ten such picks all had this utility (k
//!   counts those times, from 1); its last bid again when none qualifies.
//! - Acceptance: never below the mean utility of all outcomes; accepts when the offer is at
//!   least the utility of its next bid (which it computes a second time, as GENIUS's AC does,
//!   so the ten-pick memory moves twice a turn), or, in the last gap, when the offer is the
//!   best the opponent made in the last ten gaps.
//!
//! Fidelity: faithful. Adapted only where GENIUS could not run: outcomes are read from the
//! exact bidding order (the best and second best for the opponent by two searches, not a
//! sort of the list); the mean utility of a space too large to list is computed issue by
//! issue (additive utilities); integer and real issues enter the frequency model by value; a
//! negotiator seated before it has offered (stacked, three parties) bids its best; it never
//! accepts below its reservation value. It keeps (time, utility) of every offer received:
//! the wavelet transform reads them all.

use crate::bidding::{Cut, Span};
use crate::opponent::{FrequencyModel, OpponentModel};
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

const BETA: f64 = 0.002;
const RHO: f64 = 0.8;
const NU: f64 = 0.2;
/// HardHeaded's learning coefficient as TheFawkes sets it.
const LEARN: f64 = 0.8;

/// GENIUS `JWave_Daubechie` (order 8 in JWave's naming): the low-pass scales before
/// division by √2.
const DAUBECHIES: [f64; 8] = [
    0.32580343,
    1.01094572,
    0.8922014,
    -0.03967503,
    -0.2645071,
    0.0436163,
    0.0465036,
    -0.01498699,
];

/// JWave's discrete wavelet transform with TheFawkes's Daubechies wavelet: the forward step
/// applied to the first h values, h halving while it is at least the wave length.
pub(crate) fn wavelet(values: &[f64]) -> Vec<f64> {
    let sqrt2 = std::f64::consts::SQRT_2;
    let scales: Vec<f64> = DAUBECHIES.iter().map(|s| s / sqrt2).collect();
    let n = scales.len();
    let coeffs: Vec<f64> = (0..n)
        .map(|j| {
            let s = scales[n - 1 - j];
            if j % 2 == 0 {
                s
            } else {
                -s
            }
        })
        .collect();
    let mut out = values.to_vec();
    let mut h = values.len();
    while h >= n {
        let input = out[..h].to_vec();
        let half = h >> 1;
        let mut step = vec![0.0; h];
        for i in 0..half {
            for j in 0..n {
                let k = ((i << 1) + j) % h;
                step[i] += input[k] * scales[j];
                step[i + half] += input[k] * coeffs[j];
            }
        }
        out[..h].copy_from_slice(&step);
        h >>= 1;
    }
    out
}

/// SSJ's `SmoothingCubicSpline` (Pollock's algorithm) as TheFawkes ships it, evaluations
/// clamped to [0, 1].
pub(crate) struct Spline {
    x: Vec<f64>,
    /// Polynomial coefficients, constant term first.
    pieces: Vec<[f64; 4]>,
}

fn poly(c: &[f64; 4], x: f64) -> f64 {
    c[0] + x * (c[1] + x * (c[2] + x * c[3]))
}

fn poly_derivative(c: &[f64; 4], x: f64) -> f64 {
    c[1] + x * (2.0 * c[2] + x * 3.0 * c[3])
}

impl Spline {
    /// The spline through (x, y) with unit weights and smoothing ρ. At least two points.
    pub(crate) fn new(x: &[f64], y: &[f64], rho: f64) -> Spline {
        let len = x.len();
        let sigma = vec![1.0; len];
        let mut h = vec![0.0; len];
        let mut r = vec![0.0; len];
        let mut u = vec![0.0; len];
        let mut v = vec![0.0; len];
        let mut w = vec![0.0; len];
        let mut q = vec![0.0; len + 1];
        let n = len - 1;
        let mu = if rho <= 0.0 {
            1.0e100
        } else {
            2.0 * (1.0 - rho) / (3.0 * rho)
        };
        h[0] = x[1] - x[0];
        r[0] = 3.0 / h[0];
        for i in 1..n {
            h[i] = x[i + 1] - x[i];
            r[i] = 3.0 / h[i];
            q[i] = 3.0 * (y[i + 1] - y[i]) / h[i] - 3.0 * (y[i] - y[i - 1]) / h[i - 1];
        }
        for i in 1..n {
            let a = r[i - 1] + r[i];
            u[i] =
                r[i - 1] * r[i - 1] * sigma[i - 1] + a * a * sigma[i] + r[i] * r[i] * sigma[i + 1];
            u[i] = mu * u[i] + 2.0 * (x[i + 1] - x[i - 1]);
            v[i] = -a * r[i] * sigma[i] - r[i] * (r[i] + r[i + 1]) * sigma[i + 1];
            v[i] = mu * v[i] + h[i];
            w[i] = mu * r[i] * r[i + 1] * sigma[i + 1];
        }
        quincunx(&mut u, &mut v, &mut w, &mut q);
        let mut pieces = vec![[0.0; 4]; len + 1];
        let p0 = y[0] - mu * r[0] * q[1] * sigma[0];
        let d = y[1] - mu * ((-r[0] - r[1]) * q[1] + r[1] * q[2]) * sigma[1];
        pieces[0] = [p0, (d - p0) / h[0] - q[1] * h[0] / 3.0, 0.0, 0.0];
        pieces[1] = [
            p0,
            (d - p0) / h[0] - q[1] * h[0] / 3.0,
            0.0,
            q[1] / (3.0 * h[0]),
        ];
        for j in 1..n {
            let c3 = (q[j + 1] - q[j]) / (3.0 * h[j]);
            let c2 = q[j];
            let c1 = (q[j] + q[j - 1]) * h[j - 1] + pieces[j][1];
            let c0 = r[j - 1] * q[j - 1] + (-r[j - 1] - r[j]) * q[j] + r[j] * q[j + 1];
            pieces[j + 1] = [y[j] - mu * c0 * sigma[j], c1, c2, c3];
        }
        let last = pieces[n];
        let dx = x[n] - x[n - 1];
        pieces[n + 1] = [poly(&last, dx), poly_derivative(&last, dx), 0.0, 0.0];
        Spline {
            x: x.to_vec(),
            pieces,
        }
    }

    /// SSJ's `getFitPolynomialIndex`: a bisection over the knots as they are (TheFawkes's
    /// last knot is 0, so every z > 0 falls on the last, linear piece).
    fn index(&self, z: f64) -> usize {
        let mut j = self.x.len() as i64 - 1;
        if z > self.x[j as usize] {
            return j as usize + 1;
        }
        let (mut tmp, mut i) = (0i64, 0i64);
        // Bounded: each pass halves j − i (the guard only keeps an index off the ends).
        for _ in 0..200 {
            if i + 1 == j {
                break;
            }
            if z > self.x[tmp.clamp(0, j) as usize] {
                i = tmp;
            } else {
                j = tmp;
            }
            tmp = i + (j - i) / 2;
            if j == 0 {
                i -= 1;
            }
        }
        (i + 1).max(0) as usize
    }

    pub(crate) fn evaluate(&self, z: f64) -> f64 {
        let i = self.index(z).min(self.pieces.len() - 1);
        let origin = if i == 0 { self.x[0] } else { self.x[i - 1] };
        let y = poly(&self.pieces[i], z - origin);
        if y.is_nan() || y < 0.0 {
            0.0
        } else if y > 1.0 {
            1.0
        } else {
            y
        }
    }
}

/// SSJ's pentadiagonal solver (`Quincunx`), in place.
fn quincunx(u: &mut [f64], v: &mut [f64], w: &mut [f64], q: &mut [f64]) {
    let len = u.len();
    u[0] = 0.0;
    if len > 1 {
        v[1] /= u[1];
        w[1] /= u[1];
    }
    for j in 2..len.saturating_sub(1) {
        u[j] = u[j] - u[j - 2] * w[j - 2] * w[j - 2] - u[j - 1] * v[j - 1] * v[j - 1];
        v[j] = (v[j] - u[j - 1] * v[j - 1] * w[j - 1]) / u[j];
        w[j] /= u[j];
    }
    q[1] -= v[0] * q[0];
    for j in 2..len.saturating_sub(1) {
        q[j] = q[j] - v[j - 1] * q[j - 1] - w[j - 2] * q[j - 2];
    }
    for j in 1..len.saturating_sub(1) {
        q[j] /= u[j];
    }
    q[len - 1] = 0.0;
    let mut j = len as i64 - 3;
    while j > 0 {
        let k = j as usize;
        q[k] = q[k] - v[k] * q[k + 1] - w[k] * q[k + 2];
        j -= 1;
    }
}

/// GENIUS `Fawkews_Math.getStandardDeviation`: population deviation, 0 below two values.
fn deviation(values: &[f64]) -> f64 {
    if values.len() < 2 {
        return 0.0;
    }
    let mean = values.iter().sum::<f64>() / values.len() as f64;
    let sum: f64 = values.iter().map(|v| (v - mean) * (v - mean)).sum();
    (sum / values.len() as f64).sqrt()
}

/// Mean own utility over every outcome: the listing's mean, or for an additive order too
/// large to list, issue by issue around its best outcome.
pub(crate) fn mean_utility(own: &Own) -> f64 {
    match &**own.bids {
        crate::bidding::Bidding::Additive(a) => {
            let base = own.best().outcome.clone();
            let u0 = own.setup.utility_of(&base);
            let mut mean = u0;
            for (i, values) in a.values().iter().enumerate() {
                let mut o = base.clone();
                let sum: f64 = values
                    .iter()
                    .map(|&v| {
                        o[i] = v;
                        own.setup.utility_of(&o)
                    })
                    .sum();
                mean += sum / values.len().max(1) as f64 - u0;
            }
            mean
        }
        bids => {
            let n = bids.len().max(1) as f64;
            bids.iter(&Span::all()).map(|b| b.utility).sum::<f64>() / n
        }
    }
}

/// TheFawkes's forecast of the opponent (the wavelet part of `TheFawkes_OM`).
struct Forecast {
    alpha: Spline,
    ratio: Vec<f64>,
}

pub struct TheFawkes {
    own: Own,
    model: FrequencyModel,
    /// Cells per unit of time (GENIUS `timeIndexFactor`).
    cells: f64,
    forecast: Option<Forecast>,
    /// Longest gap between consecutive opponent offers.
    max_gap: f64,
    /// Utilities of its last ten picks (GENIUS `TheFawkes_OMS.lastTen`).
    last_ten: std::collections::VecDeque<f64>,
    second_best: u32,
    /// Its last offer: (outcome, utility, time).
    last: Option<(Outcome, f64, f64)>,
    offers: usize,
    minimum: f64,
    max_utility: f64,
    df: f64,
}

impl TheFawkes {
    pub fn new(setup: &Setup) -> TheFawkes {
        let own = Own::new(setup);
        let d = setup.deadline;
        let cells = match (d.rounds, d.time) {
            (Some(r), _) => f64::from(r.max(1)),
            (None, Some(t)) => (100.0 * t.as_secs_f64()).max(1.0),
            (None, None) => 100.0,
        };
        let minimum = mean_utility(&own);
        let max_utility = own.best().utility;
        TheFawkes {
            own,
            model: FrequencyModel::with_learning(setup.issues.len(), LEARN),
            cells,
            forecast: None,
            max_gap: 0.0,
            last_ten: std::collections::VecDeque::with_capacity(11),
            second_best: 1,
            last: None,
            offers: 0,
            minimum,
            max_utility,
            df: setup.discount.filter(|d| *d > 0.0).unwrap_or(1.0),
        }
    }

    fn best(&self) -> (Outcome, f64) {
        let b = self.own.best();
        (b.outcome.clone(), b.utility)
    }

    fn gap(&self) -> f64 {
        self.max_gap.min(0.1)
    }

    /// Formula 7.
    pub(crate) fn reserved(&self, t: f64, rv: f64) -> f64 {
        rv + (1.0 - t.powf(1.0 / BETA)) * (self.max_utility * self.df.powf(NU) - rv)
    }

    fn discounted(&self, u: f64, t: f64) -> f64 {
        u * self.df.powf(t)
    }

    /// Formula 8.
    fn received(&self, t: f64) -> f64 {
        match &self.forecast {
            Some(f) => f.alpha.evaluate((t * self.cells).floor()) * (1.0 + deviation(&f.ratio)),
            None => 0.0,
        }
    }

    /// `TheFawkes_OM.updateModel` after the opponent's latest offer (from its second on).
    fn learn(&mut self) {
        let received = &self.own.received;
        if received.len() < 2 {
            return;
        }
        let mut prev = received[received.len() - 1].0;
        let mut chi_len = 0usize;
        for &(t, _) in received.iter().rev() {
            self.max_gap = self.max_gap.max(prev - t);
            prev = t;
            chi_len = chi_len.max((t * self.cells).floor().max(0.0) as usize + 1);
        }
        let mut chi = vec![0.0; chi_len];
        // Filled newest first, as GENIUS fills its map: of two offers in one cell, the older
        // is kept.
        for &(t, u) in received.iter().rev() {
            chi[(t * self.cells).floor().max(0.0) as usize] = u;
        }
        let decomposition = wavelet(&chi);
        let n = decomposition.len();
        // GENIUS sizes x and y one longer than the transform and leaves the last knot (0, 0).
        let mut x = vec![0.0; n + 1];
        let mut y = vec![0.0; n + 1];
        for i in 0..n {
            x[i] = i as f64;
            y[i] = decomposition[i];
        }
        let alpha = Spline::new(&x, &y, 1e-16);
        let ratio = (0..chi_len)
            .map(|i| {
                let r = alpha.evaluate(i as f64) / chi[i];
                if r.is_infinite() {
                    0.0
                } else if r.is_nan() {
                    1.0
                } else {
                    r
                }
            })
            .collect();
        self.forecast = Some(Forecast { alpha, ratio });
    }

    /// `Fawkes_Offering.getTargetUtility`.
    fn target(&self, t: f64, rv: f64) -> f64 {
        let gap = self.gap();
        let (mut max_diff, mut min_diff) = (f64::MIN_POSITIVE, f64::MAX);
        let (mut opt_t, mut opt_u, mut pes_t, mut pes_u) = (0.0, 0.0, 0.0, 0.0);
        let end = (t + gap * 10.0).min(1.0);
        let mut time = t;
        while gap > 0.0 && time < end {
            let reserved = self.discounted(self.reserved(time, rv), time);
            let received = self.received(time);
            let diff = self.discounted(received, time) - reserved;
            if diff >= 0.0 && diff > max_diff {
                max_diff = diff;
                opt_t = time;
                opt_u = received;
            }
            if max_diff == f64::MIN_POSITIVE && diff.abs() < min_diff {
                min_diff = diff.abs();
                pes_t = time;
                pes_u = received;
            }
            time += gap;
        }
        let estimate = if max_diff == f64::MIN_POSITIVE {
            let xsi = self.discounted(pes_u, pes_t)
                / RHO
                / self.discounted(self.reserved(pes_t, rv), pes_t);
            (xsi > 1.0).then_some((pes_t, pes_u))
        } else {
            Some((opt_t, opt_u))
        };
        match (estimate, &self.last) {
            (Some((et, eu)), Some((_, last_u, last_t))) => {
                eu + (last_u - eu) * (t - et) / (last_t - et)
            }
            _ => self.reserved(t, rv),
        }
    }

    /// `Fawkes_Offering.determineNextBid` with `TheFawkes_OMS.getBid`.
    fn next_bid(&mut self, t: f64, rv: f64) -> (Outcome, f64) {
        if self.own.received.len() < 2 || self.offers == 0 {
            return self.best();
        }
        let target = self.target(t, rv);
        let inertia = f64::from(self.second_best) / (self.offers as f64 * 10.0);
        let lower = (1.0 - t / 10.0 - inertia) * target;
        // No outcome qualifies (GENIUS's range is empty when the bound is NaN): the last bid.
        let first = if lower.is_nan() {
            None
        } else {
            self.own.bids.best_for(&Span::at_least(lower), &self.model)
        };
        let Some(first) = first else {
            return match &self.last {
                Some((o, u, _)) => (o.clone(), *u),
                None => self.best(),
            };
        };
        let span = Span::at_least(lower);
        let mut pick = first.clone();
        if self.last_ten.iter().all(|&u| u == first.utility) {
            self.second_best += 1;
            let before = Span {
                from: span.from.clone(),
                to: Some(Cut::Before(first.clone())),
            };
            let after = span.after(&first);
            let a = self.own.bids.best_for(&before, &self.model);
            let b = self.own.bids.best_for(&after, &self.model);
            let m = |x: &crate::bidding::Bid| self.model.utility(&x.outcome);
            pick = match (a, b) {
                (Some(a), Some(b)) => {
                    if m(&b) > m(&a) {
                        b
                    } else {
                        a
                    }
                }
                (Some(a), None) => a,
                (None, Some(b)) => b,
                (None, None) => first,
            };
        }
        self.last_ten.push_back(pick.utility);
        if self.last_ten.len() > 10 {
            self.last_ten.pop_front();
        }
        (pick.outcome, pick.utility)
    }

    /// `AC_TheFawkes.determineAcceptability` for an offer of utility `u`.
    fn accepts(&mut self, u: f64, t: f64, rv: f64) -> bool {
        let (_, next) = self.next_bid(t, rv);
        if u < self.minimum {
            return false;
        }
        if u >= next {
            return true;
        }
        let gap = self.gap();
        if t >= 1.0 - gap {
            let from = t - gap * 10.0;
            let best = self
                .own
                .received
                .iter()
                .filter(|(bt, _)| from < *bt && *bt <= t)
                .map(|r| r.1)
                .fold(f64::NEG_INFINITY, f64::max);
            return u >= best;
        }
        false
    }
}

impl Negotiator for TheFawkes {
    fn opponent_model(&self) -> Option<&dyn OpponentModel> {
        Some(&self.model)
    }

    fn act(&mut self, view: &View<'_>) -> Action {
        let offer = self.own.observe(view);
        let fresh: Vec<(usize, Outcome)> = {
            let n = self.own.received.len();
            let k = self.own.fresh().count();
            self.own
                .fresh()
                .enumerate()
                .map(|(j, (b, _))| (n - k + j, b.clone()))
                .collect()
        };
        for (index, bid) in fresh {
            if index == 0 {
                self.model.remember(&bid);
            } else {
                self.model.update(&bid, 0.0);
            }
        }
        if self.own.fresh().count() > 0 {
            self.learn();
        }
        let (t, rv) = (view.time, view.reservation);
        let (bid, u) = if self.offers == 0 {
            self.best()
        } else {
            self.next_bid(t, rv)
        };
        if let Some(ou) = offer {
            if ou >= rv && self.accepts(ou, t, rv) {
                return Action::Accept;
            }
        }
        self.offers += 1;
        self.last = Some((bid.clone(), u, t));
        Action::Offer(bid)
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// `name` against `boulware` on the laptop sale (a discrete, an integer and a real issue)
    /// and on GENIUS's job domain, both seatings: each run ends without an error.
    pub(crate) fn duel_with_boulware(name: &str) {
        use std::path::PathBuf;
        let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/examples");
        let options = zopa_formats::ReadOptions::genius();
        for file in ["laptop-sale.toml", "genius-job"] {
            let scenario = zopa_formats::load(&root.join(file), &options).unwrap();
            for order in [[name, "boulware"], [("boulware"), name]] {
                let spec = crate::RunSpec {
                    negotiators: order
                        .iter()
                        .map(|s| crate::Spec::parse(s).unwrap())
                        .collect(),
                    deadline: crate::Deadline::rounds(60),
                    seed: 3,
                    ..Default::default()
                };
                let r = crate::run(&scenario, &spec).unwrap();
                assert!(
                    !matches!(r.end, crate::End::Error(_)),
                    "{file}: {:?}",
                    r.end
                );
                assert!(r.rounds <= 60);
            }
        }
    }

    /// The ANAC 2013–2017 ports (this group).
    pub(crate) const GROUP: [&str; 11] = [
        "thefawkes",
        "metaagent",
        "tmfagent",
        "inoxagent",
        "agentm",
        "dona",
        "gangster",
        "whaleagent",
        "pokerface",
        "farma",
        "caduceusdc16",
    ];

    /// `name` (seat 0) against `boulware` (seat 1) on `a` / `b`, driven turn by turn for
    /// `rounds` rounds on the clock t = round/rounds: no panic, and never an accept below rv.
    fn drive(name: &str, a: &Setup, b: &Setup, rounds: u32) {
        use crate::registry::{resolve, Kind, Spec};
        use crate::session::Move;
        let mut seats = [
            resolve(&Spec::parse(name).unwrap(), Kind::Negotiator)
                .unwrap()
                .negotiator(a),
            resolve(&Spec::parse("boulware").unwrap(), Kind::Negotiator)
                .unwrap()
                .negotiator(b),
        ];
        let mut history: Vec<Move> = Vec::new();
        for r in 0..rounds {
            for (k, seat) in seats.iter_mut().enumerate() {
                let t = f64::from(r) / f64::from(rounds);
                let rv = [a, b][k].reservation;
                let view = View {
                    round: r,
                    time: t,
                    history: &history,
                    offset: 0,
                    reservation: rv,
                };
                match seat.act(&view) {
                    Action::Offer(o) => history.push(Move {
                        round: r,
                        time: t,
                        actor: k,
                        action: Action::Offer(o),
                    }),
                    Action::Accept => {
                        if let Some((_, o)) = view.last_offer() {
                            let u = [a, b][k].utility_of(o);
                            assert!(u >= rv, "{name}: accepted {u} below rv {rv}");
                        }
                        return;
                    }
                    Action::End => return,
                }
            }
        }
    }

    fn seated(mut s: Setup, index: usize) -> Setup {
        s.index = index;
        s.name = format!("P{index}");
        s
    }
    #[test]
    fn every_port_of_the_group_survives_odd_spaces() {
        let [single, real, nonlinear] = crate::strategies::odd_spaces();
        // 10^10 additive outcomes (never listed).
        let big = {
            let mut s = crate::strategies::test_setup(&[10; 10], 0.0, 30);
            s.deadline = crate::session::Deadline {
                rounds: None,
                time: Some(std::time::Duration::from_secs(3)),
            };
            s
        };
        for name in GROUP {
            for (s, rounds) in [(&single, 12), (&real, 30), (&big, 12), (&nonlinear, 12)] {
                drive(name, &seated(s.clone(), 0), &seated(s.clone(), 1), rounds);
            }
        }
    }

    #[test]
    fn reserved_utility_falls_only_at_the_very_end() {
        let setup = crate::strategies::test_setup(&[3, 3], 0.2, 100);
        let f = TheFawkes::new(&setup);
        assert_eq!(f.reserved(0.0, 0.2), 1.0);
        // t^500 is nothing at t = 0.5 and everything at t = 1.
        assert!((f.reserved(0.5, 0.2) - 1.0).abs() < 1e-12);
        assert!((f.reserved(1.0, 0.2) - 0.2).abs() < 1e-12);
        // The mean of 9 outcomes of utilities (a + b)/4, a, b ∈ {0, 1, 2}: 0.5.
        assert!((f.minimum - 0.5).abs() < 1e-12);
    }

    #[test]
    fn the_wavelet_keeps_a_constant_signal_in_its_approximation() {
        // A constant signal of 8 has (up to the 8-digit coefficients) no detail: its energy
        // goes to the approximation, Σ scales = √2 per coefficient.
        let out = wavelet(&[1.0; 8]);
        let sum: f64 = DAUBECHIES.iter().sum::<f64>() / std::f64::consts::SQRT_2;
        for a in &out[..4] {
            assert!((a - sum).abs() < 1e-12, "{out:?}");
        }
        assert!((sum - std::f64::consts::SQRT_2).abs() < 1e-3);
        for d in &out[4..] {
            assert!(d.abs() < 1e-4, "{out:?}");
        }
        // Shorter than the wave: untouched.
        assert_eq!(wavelet(&[0.3, 0.4]), vec![0.3, 0.4]);
    }

    #[test]
    fn the_spline_interpolates_when_rho_is_tiny() {
        let x = [0.0, 1.0, 2.0, 3.0, 4.0];
        let y = [0.1, 0.3, 0.5, 0.7, 0.9];
        let s = Spline::new(&x, &y, 1e-16);
        for (xi, yi) in x.iter().zip(&y).take(4) {
            assert!((s.evaluate(*xi) - yi).abs() < 1e-6, "{xi}");
        }
        // Clamped to [0, 1].
        assert!(s.evaluate(100.0) <= 1.0);
    }

    #[test]
    fn it_bids_its_best_first_and_ends_against_boulware() {
        let setup = crate::strategies::test_setup(&[4, 4], 0.0, 40);
        let mut f = TheFawkes::new(&setup);
        let view = crate::strategies::opening_view();
        let best = f.own.best().outcome.clone();
        assert_eq!(f.act(&view), Action::Offer(best));
        duel_with_boulware("thefawkes");
    }
}
