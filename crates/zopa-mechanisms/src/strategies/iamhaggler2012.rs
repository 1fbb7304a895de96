//! IAMhaggler2012 (Williams, Robu, Gerding & Jennings; ANAC 2012 finalist), GENIUS
//! `agents/anac/y2012/IAMhaggler2012/IAMhaggler2012.java` over its own copy of the 2011 agent
//! (`agents2011/IAMhaggler2011.java`, `agents2011/SouthamptonAgent.java`,
//! `agents2011/southampton/utils/RandomBidCreator.java`); NegoLog ports it as
//! `agents/IAMhaggler/IAMhaggler.py`.
//!
//! Target: time is cut into 36 slots; the best utility the opponent offered in each finished
//! slot is regressed on the slot's middle time by a Gaussian process (Matérn 3/2 plus noise)
//! around the line from max(0.5, first slot's best) at t = 0 to 0.9 at t = 1. On a grid of 100
//! utilities × 101 times, the predicted chance that the opponent offers at least u at time t
//! (normal, from the GP's mean and variance, rescaled to the grid) times u·df^t picks the
//! future time whose expected utility sums highest and, at that time, the utility whose
//! cumulative expectation is highest; the target moves on the straight line from the last
//! target to that point. In the first slot the target is 1 − t/2. It never falls below
//! 1 − (spread of the opponent's offers + 0.1), nor (2012) below rv·df^t.
//!
//! Acceptance (GENIUS `SouthamptonAgent.handleOffer`): it opens with its best outcome (walks
//! away if that is below its reservation value); afterwards it accepts when 1.02 × the
//! offer's utility reaches its last bid's, or 0.9; otherwise it plans a bid and accepts when
//! 1.02 × the offer's utility reaches the plan's. Bidding: the opponent's best offer when the
//! target first drops to it; else a uniformly random outcome within target ± 0.025 (the upper
//! end widened by 0.01 while none is, the lower end lowered once the upper reaches 1); its
//! best outcome when that bid is below its reservation value.
//!
//! Fidelity: adapted. GENIUS integrates the GP's hyperparameters by Bayesian Monte Carlo over
//! gp4j priors (length scale 0.252 and signal scale 0.166 at 11 points each, noise 0.01, the
//! same in the 2012 copy as in the 2011 agent): zopa takes `iamhaggler2011`'s likelihood-weighted
//! mixture on the priors' grid ([`gp_mixture`]), and its erf (to 1.2e-7). With `negolog_gp`
//! the hyperparameters are fitted as NegoLog's scikit-learn port does instead: the marginal
//! likelihood's local maximum from length scale 1, noise 1 (amplitude 1, bounds 1e-5..1e5,
//! jitter 1e-6), reached by a pattern search in place of L-BFGS. GENIUS's random bid draws
//! (500 tries before widening the range) become a uniform draw from the range itself. Before
//! any slot has finished (a deadline of fewer than 36 turns) GENIUS and NegoLog fail; zopa
//! then uses the GP prior around the line from 0.5. The acceptance and the target follow
//! GENIUS (NegoLog compares offers with its previous target rather than its last bid, and
//! checks acceptance after planning). Memory: one (time, utility) pair per slot.

use crate::bidding::Span;
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::iamhaggler2011::{erf, gp_mixture};
use crate::strategies::Own;

/// Utility samples (rows) and time samples (columns − 1) of the grid.
const ROWS: usize = 100;
const COLS: usize = 101;
const SLOTS: f64 = 36.0;
const MAXIMUM_ASPIRATION: f64 = 0.9;
const ACCEPT_MULTIPLIER: f64 = 1.02;

fn utility_sample(i: usize) -> f64 {
    1.0 - (i as f64 + 0.5) / (ROWS as f64 + 1.0)
}

fn time_sample(j: usize) -> f64 {
    j as f64 / (COLS - 1) as f64
}

/// A Gaussian process with a Matérn 3/2 kernel (amplitude 1) plus white noise, fitted to
/// (x, y) by maximising the log marginal likelihood from length scale 1, noise 1.
pub(crate) struct Gp {
    xs: Vec<f64>,
    length: f64,
    noise: f64,
    /// Cholesky factor of K + (noise + jitter)·I, row-major lower triangle.
    chol: Vec<f64>,
    /// K⁻¹ y.
    alpha: Vec<f64>,
}

const JITTER: f64 = 1e-6;

fn matern(r: f64, length: f64) -> f64 {
    let a = 3f64.sqrt() * r / length;
    (1.0 + a) * (-a).exp()
}

/// Cholesky factor of a symmetric n×n matrix, or None when it is not positive definite.
fn cholesky(k: &[f64], n: usize) -> Option<Vec<f64>> {
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let s: f64 = (0..j).map(|m| l[i * n + m] * l[j * n + m]).sum();
            if i == j {
                let d = k[i * n + i] - s;
                if d <= 0.0 || !d.is_finite() {
                    return None;
                }
                l[i * n + i] = d.sqrt();
            } else {
                l[i * n + j] = (k[i * n + j] - s) / l[j * n + j];
            }
        }
    }
    Some(l)
}

/// Solves L v = b (forward substitution).
fn forward(l: &[f64], n: usize, b: &[f64]) -> Vec<f64> {
    let mut v = vec![0.0; n];
    for i in 0..n {
        let s: f64 = (0..i).map(|m| l[i * n + m] * v[m]).sum();
        v[i] = (b[i] - s) / l[i * n + i];
    }
    v
}

/// Solves Lᵀ v = b (back substitution).
fn backward(l: &[f64], n: usize, b: &[f64]) -> Vec<f64> {
    let mut v = vec![0.0; n];
    for i in (0..n).rev() {
        let s: f64 = (i + 1..n).map(|m| l[m * n + i] * v[m]).sum();
        v[i] = (b[i] - s) / l[i * n + i];
    }
    v
}

impl Gp {
    /// The Matérn part of the covariance of `xs` (symmetric, row-major).
    fn kernel(xs: &[f64], length: f64) -> Vec<f64> {
        let n = xs.len();
        let mut k = vec![0.0; n * n];
        for i in 0..n {
            k[i * n + i] = 1.0;
            for j in 0..i {
                let v = matern((xs[i] - xs[j]).abs(), length);
                k[i * n + j] = v;
                k[j * n + i] = v;
            }
        }
        k
    }

    /// Cholesky factor, K⁻¹y and log marginal likelihood for the Matérn part `k` plus noise.
    fn factor(mut k: Vec<f64>, ys: &[f64], noise: f64) -> Option<(Vec<f64>, Vec<f64>, f64)> {
        let n = ys.len();
        for i in 0..n {
            k[i * n + i] += noise + JITTER;
        }
        let l = cholesky(&k, n)?;
        let alpha = backward(&l, n, &forward(&l, n, ys));
        let fit: f64 = ys.iter().zip(&alpha).map(|(y, a)| y * a).sum();
        let logdet: f64 = (0..n).map(|i| l[i * n + i].ln()).sum();
        let lml = -0.5 * fit - logdet - 0.5 * n as f64 * (2.0 * std::f64::consts::PI).ln();
        Some((l, alpha, lml))
    }

    /// Fits the hyperparameters (log space, bounds 1e-5..1e5) by a pattern search from
    /// (1, 1): the best of the four neighbours at the current step (doubled after a move, up
    /// to 4), halving the step when none improves, until it is below 1e-3.
    pub(crate) fn fit(xs: &[f64], ys: &[f64]) -> Gp {
        let bound = 1e5f64.ln();
        // The Matérn part at the current length scale, reused by the noise moves.
        let mut base = (0.0, Gp::kernel(xs, 1.0));
        let lml = |p: [f64; 2], base: &(f64, Vec<f64>)| {
            let k = if p[0] == base.0 {
                base.1.clone()
            } else {
                Gp::kernel(xs, p[0].exp())
            };
            Gp::factor(k, ys, p[1].exp()).map_or(f64::NEG_INFINITY, |f| f.2)
        };
        let mut at = [0.0, 0.0];
        let mut best = lml(at, &base);
        let mut step = 1.0;
        let mut evaluations = 0;
        while step > 1e-3 && evaluations < 2000 {
            let mut moved = None;
            for (c, s) in [(0, step), (0, -step), (1, step), (1, -step)] {
                let mut p = at;
                p[c] = (p[c] + s).clamp(-bound, bound);
                let v = lml(p, &base);
                evaluations += 1;
                if v > moved.map_or(best, |(_, b)| b) {
                    moved = Some((p, v));
                }
            }
            match moved {
                Some((p, v)) => {
                    if p[0] != at[0] {
                        base = (p[0], Gp::kernel(xs, p[0].exp()));
                    }
                    at = p;
                    best = v;
                    step = (step * 2.0).min(4.0);
                }
                None => step /= 2.0,
            }
        }
        Gp::with(xs, ys, at[0].exp(), at[1].exp())
    }

    fn with(xs: &[f64], ys: &[f64], length: f64, noise: f64) -> Gp {
        let (chol, alpha) = match Gp::factor(Gp::kernel(xs, length), ys, noise) {
            Some((l, a, _)) => (l, a),
            None => (Vec::new(), Vec::new()),
        };
        let xs = if alpha.is_empty() {
            Vec::new()
        } else {
            xs.to_vec()
        };
        Gp {
            xs,
            length,
            noise,
            chol,
            alpha,
        }
    }

    /// The prior (no data): mean 0, variance 1 + noise at length scale 1, noise 1.
    pub(crate) fn prior() -> Gp {
        Gp::with(&[], &[], 1.0, 1.0)
    }

    /// Predicted mean and variance (noise included) at x.
    pub(crate) fn predict(&self, x: f64) -> (f64, f64) {
        let n = self.xs.len();
        let ks: Vec<f64> = self
            .xs
            .iter()
            .map(|&xi| matern((x - xi).abs(), self.length))
            .collect();
        let mean: f64 = ks.iter().zip(&self.alpha).map(|(k, a)| k * a).sum();
        let v = if n == 0 {
            Vec::new()
        } else {
            forward(&self.chol, n, &ks)
        };
        let var = 1.0 + self.noise - v.iter().map(|x| x * x).sum::<f64>();
        (mean, var.max(0.0))
    }
}

/// Per time sample, what `getExpectedBestAgreement` reads of the acceptance grid (GENIUS
/// `generateProbabilityAccept`), before the discount: the column's sum of P(offer in the
/// utility sample's interval) × utility, and the row of the highest P(offer ≥ utility) ×
/// utility (the first of equals; row 0 when none is positive). Both are fixed until the
/// regression changes, and a discount multiplies a column by one positive factor, which
/// moves no row's rank: they are computed once per regression, not per turn.
#[derive(Debug, Clone, Default)]
pub(crate) struct Columns {
    sums: Vec<f64>,
    rows: Vec<usize>,
}

impl Columns {
    pub(crate) fn new(means: &[f64], variances: &[f64]) -> Columns {
        let interval = 1.0 / ROWS as f64;
        let tail = |u: f64, m: f64, s: f64| 1.0 - 0.5 * (1.0 + erf((u - m) / s));
        let mut cols = Columns::default();
        for j in 0..COLS {
            let s = (2.0 * variances[j]).sqrt();
            let m = means[j];
            let minp = tail(utility_sample(0) + interval / 2.0, m, s);
            let maxp = tail(utility_sample(ROWS - 1) - interval / 2.0, m, s);
            let range = maxp - minp;
            let usable = range != 0.0 && range.is_finite();
            let (mut sum, mut row, mut best) = (0.0, 0, 0.0);
            for i in 0..ROWS {
                let u = utility_sample(i);
                if !usable {
                    continue;
                }
                let cum = (tail(u, m, s) - minp) / range;
                let prob =
                    (tail(u - interval / 2.0, m, s) - tail(u + interval / 2.0, m, s)) / range;
                sum += prob * u;
                if cum * u > best {
                    best = cum * u;
                    row = i;
                }
            }
            cols.sums.push(sum);
            cols.rows.push(row);
        }
        cols
    }

    /// The expected best agreement (time, utility) at time `t` for discount `df` (GENIUS
    /// `getExpectedBestAgreement`): of the future time samples, the last whose discounted
    /// sum is highest, and that column's best utility.
    pub(crate) fn best_agreement(&self, df: f64, t: f64) -> (f64, f64) {
        let first = (0..COLS).find(|&j| time_sample(j) > t).unwrap_or(COLS - 1);
        let (mut best_col, mut best_sum) = (first, 0.0);
        for j in first..COLS {
            let sum = self.sums[j] * df.powf(time_sample(j));
            if sum >= best_sum {
                best_sum = sum;
                best_col = j;
            }
        }
        (time_sample(best_col), utility_sample(self.rows[best_col]))
    }
}

/// The expected best agreement (time, utility) from the predicted means and variances at the
/// time samples, for discount `df` at time `t`.
#[cfg(test)]
pub(crate) fn best_agreement(means: &[f64], variances: &[f64], df: f64, t: f64) -> (f64, f64) {
    Columns::new(means, variances).best_agreement(df, t)
}

pub struct IamHaggler2012 {
    own: Own,
    /// NegoLog's regression (hyperparameters by maximum likelihood) instead of GENIUS's.
    negolog_gp: bool,
    df: f64,
    max_utility: f64,
    best_received: Option<Outcome>,
    previous_target: f64,
    last_regression_time: f64,
    last_regression_utility: f64,
    /// Middle time and the opponent's best utility of each finished slot (at most 36).
    slot_times: Vec<f64>,
    slot_utilities: Vec<f64>,
    max_in_slot: f64,
    last_slot: Option<i64>,
    intercept: f64,
    /// The acceptance grid's columns for the current regression (empty before the first).
    columns: Option<Columns>,
    max_offered: f64,
    min_offered: f64,
    /// Its last bid and that bid's utility.
    last_bid: Option<(Outcome, f64)>,
}

impl IamHaggler2012 {
    pub fn new(setup: &Setup) -> IamHaggler2012 {
        IamHaggler2012::with(false, setup)
    }

    /// With `negolog_gp`, the GP's hyperparameters are fitted by maximum likelihood as
    /// NegoLog's port does; otherwise GENIUS's Bayesian Monte Carlo mixture
    /// ([`gp_mixture`], shared with `iamhaggler2011`).
    pub fn with(negolog_gp: bool, setup: &Setup) -> IamHaggler2012 {
        let df = match setup.discount {
            Some(d) if d > 0.0 && d <= 1.0 => d,
            _ => 1.0,
        };
        IamHaggler2012 {
            own: Own::new(setup),
            negolog_gp,
            df,
            max_utility: 0.0,
            best_received: None,
            previous_target: 1.0,
            last_regression_time: 0.0,
            last_regression_utility: 1.0,
            slot_times: Vec::new(),
            slot_utilities: Vec::new(),
            max_in_slot: 0.0,
            last_slot: None,
            intercept: 0.5,
            columns: None,
            // Java's Double.MIN_VALUE and MAX_VALUE.
            max_offered: f64::from_bits(1),
            min_offered: f64::MAX,
            last_bid: None,
        }
    }

    /// The GP's predictions at the time samples, around the intercept line.
    fn regress(&mut self) {
        let gradient = 0.9 - self.intercept;
        let ys: Vec<f64> = self
            .slot_times
            .iter()
            .zip(&self.slot_utilities)
            .map(|(x, y)| y - self.intercept - gradient * x)
            .collect();
        let at: Vec<f64> = (0..COLS).map(time_sample).collect();
        let (mut means, variances) = if self.negolog_gp {
            let gp = if ys.is_empty() {
                Gp::prior()
            } else {
                Gp::fit(&self.slot_times, &ys)
            };
            at.iter().map(|&t| gp.predict(t)).unzip()
        } else {
            gp_mixture(&self.slot_times, &ys, &at)
        };
        for (m, &t) in means.iter_mut().zip(&at) {
            *m += self.intercept + gradient * t;
        }
        self.columns = Some(Columns::new(&means, &variances));
    }

    /// GENIUS `IAMhaggler2011.getTarget` (2011 agent's 2012 copy), without the 2012 floor.
    fn target_2011(&mut self, u: f64, t: f64) -> f64 {
        self.max_offered = self.max_offered.max(u);
        self.min_offered = self.min_offered.min(u);
        let slot = (t * SLOTS).floor() as i64;
        let mut update = self.last_slot.is_none();
        if self.last_slot != Some(slot) {
            if let Some(last) = self.last_slot {
                self.slot_times.push((last as f64 + 0.5) / SLOTS);
                if self.slot_utilities.is_empty() {
                    self.intercept = self.max_in_slot.max(0.5);
                }
                self.slot_utilities.push(self.max_in_slot);
                update = true;
            }
            self.last_slot = Some(slot);
            self.max_in_slot = 0.0;
        }
        self.max_in_slot = self.max_in_slot.max(u);
        if slot == 0 {
            return 1.0 - t / 2.0;
        }
        if update || self.columns.is_none() {
            self.regress();
        }
        let (best_time, best_utility) = match &self.columns {
            Some(c) => c.best_agreement(self.df, t),
            None => (1.0, utility_sample(0)),
        };
        let span = best_time - self.last_regression_time;
        let target = if span != 0.0 {
            self.last_regression_utility
                + (t - self.last_regression_time) * (best_utility - self.last_regression_utility)
                    / span
        } else {
            best_utility
        };
        self.last_regression_utility = target;
        self.last_regression_time = t;
        let limit = 1.0 - ((self.max_offered - self.min_offered) + 0.1);
        target.max(limit)
    }

    /// A uniformly random outcome in [min, max] (GENIUS `RandomBidCreator.getRandomBid`): the
    /// upper end widened by 0.01 while the range is empty; from max ≥ 1 on, any outcome of at
    /// least min, min lowered by 0.01 while there is none.
    fn random_in(&mut self, mut min: f64, mut max: f64) -> (Outcome, f64) {
        let own = &mut self.own;
        let worst = own.worst().utility;
        while max < 1.0 {
            if let Some(b) = own.bids.random(&Span::between(min, max), &mut own.rng) {
                return (b.outcome, b.utility);
            }
            max += 0.01;
        }
        loop {
            if let Some(b) = own.bids.random(&Span::at_least(min), &mut own.rng) {
                return (b.outcome, b.utility);
            }
            if min < worst {
                let b = own.best().clone();
                return (b.outcome, b.utility);
            }
            min -= 0.01;
        }
    }

    /// Its best outcome, or None when even that is below its reservation value.
    fn initial(&self, rv: f64) -> Option<(Outcome, f64)> {
        let b = self.own.best();
        (b.utility >= rv).then(|| (b.outcome.clone(), b.utility))
    }

    /// GENIUS `proposeNextBid` (2012 over 2011).
    fn next_bid(&mut self, offer: &Outcome, u: f64, t: f64, rv: f64) -> Option<(Outcome, f64)> {
        if u > self.max_utility {
            self.best_received = Some(offer.clone());
            self.max_utility = u;
        }
        let target = self.target_2011(u, t).max(rv * self.df.powf(t));
        let bid = match &self.best_received {
            Some(b) if target <= self.max_utility && self.previous_target > self.max_utility => {
                (b.clone(), self.max_utility)
            }
            _ => {
                self.previous_target = target;
                self.random_in(target - 0.025, target + 0.025)
            }
        };
        if bid.1 < rv {
            return self.initial(rv);
        }
        Some(bid)
    }

    fn decide(&mut self, view: &View<'_>) -> Action {
        let offer = self.own.observe(view);
        let rv = view.reservation;
        let last = self.last_bid.clone();
        let Some(last) = last else {
            return match self.initial(rv) {
                Some(b) => {
                    self.last_bid = Some(b.clone());
                    Action::Offer(b.0)
                }
                None => Action::End,
            };
        };
        let (Some(u), Some((_, bid))) = (offer, view.last_offer()) else {
            return Action::Offer(last.0);
        };
        let good = |x: f64| u * ACCEPT_MULTIPLIER >= x && u >= rv;
        if good(last.1) || good(MAXIMUM_ASPIRATION) {
            return Action::Accept;
        }
        let Some(planned) = self.next_bid(bid, u, view.time, rv) else {
            return Action::End;
        };
        if good(planned.1) {
            return Action::Accept;
        }
        self.last_bid = Some(planned.clone());
        Action::Offer(planned.0)
    }
}

impl Negotiator for IamHaggler2012 {
    fn act(&mut self, view: &View<'_>) -> Action {
        self.decide(view)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_first_slot_concedes_half_of_time_and_the_target_never_passes_the_limit() {
        for negolog_gp in [false, true] {
            let mut a = IamHaggler2012::with(
                negolog_gp,
                &crate::strategies::test_setup(&[5, 5], 0.0, 100),
            );
            // t = 0 and t = 0.02 are in slot 0: 1 − t/2.
            assert_eq!(a.target_2011(0.3, 0.0), 1.0);
            assert!((a.target_2011(0.3, 0.02) - 0.99).abs() < 1e-12);
            // Later, with offers spread 0.3..0.4, the target stays ≥ 1 − (0.1 + 0.1).
            for k in 1..20 {
                let t = f64::from(k) * 0.05;
                let target = a.target_2011(0.3 + 0.1 * t, t);
                assert!(target >= 0.8 - 1e-9, "{t}: {target}");
                assert!(target <= 1.0 + 1e-9, "{t}: {target}");
            }
            assert!(a.slot_times.len() <= 36);
        }
    }

    #[test]
    fn the_gp_fits_through_its_points_and_widens_away_from_them() {
        let xs = [0.1, 0.2, 0.3, 0.4];
        let ys = [0.0, 0.05, 0.1, 0.15];
        let gp = Gp::fit(&xs, &ys);
        let (m, v) = gp.predict(0.25);
        assert!((m - 0.075).abs() < 0.03, "{m}");
        let (_, far) = gp.predict(0.95);
        assert!(far >= v, "{far} < {v}");
        let prior = Gp::prior().predict(0.5);
        assert_eq!(prior, (0.0, 2.0));
    }

    #[test]
    fn the_best_agreement_is_in_the_future_and_on_the_grid() {
        // An opponent predicted to offer 0.6 (sd 0.03): u · P(offer ≥ u) peaks a little below
        // the mean (at 0.54: 0.54 · 0.97).
        let means = vec![0.6; COLS];
        let variances = vec![0.001; COLS];
        let (time, utility) = best_agreement(&means, &variances, 1.0, 0.5);
        assert!(time > 0.5);
        assert!(utility > 0.5 && utility < 0.6, "{utility}");
    }

    #[test]
    fn it_accepts_what_reaches_its_last_bid_within_two_percent() {
        let mut a = IamHaggler2012::new(&crate::strategies::test_setup(&[5], 0.0, 100));
        a.last_bid = Some((vec![zopa_core::Value::Discrete(3)], 0.75));
        let offer = vec![zopa_core::Value::Discrete(3)];
        let history = [crate::session::Move {
            round: 1,
            time: 0.1,
            actor: 1,
            action: Action::Offer(offer),
        }];
        let view = View {
            round: 1,
            time: 0.1,
            history: &history,
            offset: 0,
            reservation: 0.0,
        };
        // 0.75 · 1.02 ≥ 0.75.
        assert_eq!(a.act(&view), Action::Accept);
    }

    #[test]
    fn a_negotiation_against_boulware_ends() {
        let r = crate::strategies::versus_boulware("iamhaggler2012", &[5, 5, 4], 60);
        assert!(!matches!(r.end, crate::End::Error(_)), "{:?}", r.end);
        let ml =
            crate::strategies::versus_boulware("iamhaggler2012:negolog_gp=true", &[5, 5, 4], 60);
        assert!(!matches!(ml.end, crate::End::Error(_)), "{:?}", ml.end);
        let short = crate::strategies::versus_boulware("iamhaggler2012", &[3], 8);
        assert!(
            !matches!(short.end, crate::End::Error(_)),
            "{:?}",
            short.end
        );
    }
}
