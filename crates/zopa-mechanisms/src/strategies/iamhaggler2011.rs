//! IAMhaggler2011 (Williams, Robu, Gerding & Jennings; ANAC 2011 finalist), GENIUS
//! `agents/anac/y2011/IAMhaggler2011/{IAMhaggler2011,RandomBidCreator}.java`;
//! negmas-genius-agents ports it (simplified, without the regression) as
//! `anac/y2011/iam_haggler.py`.
//!
//! It learns when the opponent will concede. Time is cut into 36 slots; the best utility the
//! opponent offered in each past slot is a data point at the slot's centre, and a Gaussian
//! process (Matérn 3/2 plus noise, around the line from the first slot's value to 0.9 at
//! t = 1) predicts the opponent's future offers at t = 0, 0.01, …, 1 with their variances.
//! From those it gets, for 100 utility levels u and each future time, the probability that
//! the opponent offers about u (a normal band of width 0.01) and at least u; times u³·d^t
//! (risk-averse, discounted) these are expected gains. The best future time is the column of
//! greatest summed gain; the best utility the level of greatest cumulative gain there. Its
//! target moves from its last target in a straight line toward that point (1 − t/2 in the
//! first slot). It bids a random outcome within ±0.025 of the target (the opponent's best
//! offer when the target first falls to it), and accepts an offer that, times 1.02, reaches
//! its last bid, 0.9, or its next bid.
//!
//! Fidelity: adapted. GENIUS's regression (gp4j's `GaussianProcessRegressionBMC`, a Bayesian
//! Monte Carlo mixture over the kernel's hyperparameters) is implemented here: the mixture is
//! taken over the priors' grid — length scale 0.252 and signal scale 0.166 each at 11 points
//! e^(±2·0.5) around their means, noise 0.01 — each GP weighted by its prior times its
//! marginal likelihood (gp4j's quadrature weights differ). erf is computed to about 1e−7.
//! Random bids are GENIUS's rejection sampling replayed on uniform ranks of the bidding order
//! (the range widened by 0.01 every 500 draws, as GENIUS does). It never accepts below its
//! reservation value.

use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

const RISK: f64 = 3.0;
const SLOTS: f64 = 36.0;
const MAXIMUM_ASPIRATION: f64 = 0.9;
const ACCEPT_MULTIPLIER: f64 = 1.02;
const UTILITY_SAMPLES: usize = 100;
const TIME_SAMPLES: usize = 101;

/// erf to about 1.2e−7 (Numerical Recipes' Chebyshev fit of erfc).
pub(crate) fn erf(x: f64) -> f64 {
    if x > 6.0 {
        return 1.0;
    }
    if x < -6.0 {
        return -1.0;
    }
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let erfc = t
        * (-z * z - 1.265_512_23
            + t * (1.000_023_68
                + t * (0.374_091_96
                    + t * (0.096_784_18
                        + t * (-0.186_288_06
                            + t * (0.278_868_07
                                + t * (-1.135_203_98
                                    + t * (1.488_515_87
                                        + t * (-0.822_152_23 + t * 0.170_872_77)))))))))
            .exp();
    let e = 1.0 - erfc;
    if x >= 0.0 {
        e
    } else {
        -e
    }
}

/// A Gaussian process with a Matérn 3/2 kernel plus noise, mixed over a grid of
/// hyperparameters by prior times marginal likelihood: the mean and variance at each of
/// `at`.
pub(crate) fn gp_mixture(x: &[f64], y: &[f64], at: &[f64]) -> (Vec<f64>, Vec<f64>) {
    let grid: Vec<f64> = (0..11).map(|k| -2.0 + 0.4 * k as f64).collect();
    let noise = 0.01f64;
    let mut fits = Vec::new();
    for &a in &grid {
        for &b in &grid {
            let length = 0.252 * (0.5 * a).exp();
            let scale = 0.166 * (0.5 * b).exp();
            let log_prior = -(a * a + b * b) / 2.0;
            if let Some((lml, mean, var)) = gp(x, y, at, length, scale, noise) {
                fits.push((log_prior + lml, mean, var));
            }
        }
    }
    let n = at.len();
    if fits.is_empty() {
        return (vec![0.0; n], vec![noise * noise; n]);
    }
    let top = fits.iter().map(|f| f.0).fold(f64::NEG_INFINITY, f64::max);
    let weights: Vec<f64> = fits.iter().map(|f| (f.0 - top).exp()).collect();
    let total: f64 = weights.iter().sum();
    let mut mean = vec![0.0; n];
    let mut second = vec![0.0; n];
    for (w, (_, m, v)) in weights.iter().zip(&fits) {
        for j in 0..n {
            mean[j] += w / total * m[j];
            second[j] += w / total * (v[j] + m[j] * m[j]);
        }
    }
    let var = (0..n)
        .map(|j| (second[j] - mean[j] * mean[j]).max(1e-12))
        .collect();
    (mean, var)
}

/// One GP: (log marginal likelihood, means, variances at `at`), `None` when its covariance
/// is not positive definite.
fn gp(
    x: &[f64],
    y: &[f64],
    at: &[f64],
    length: f64,
    scale: f64,
    noise: f64,
) -> Option<(f64, Vec<f64>, Vec<f64>)> {
    let k = |a: f64, b: f64| {
        let r = 3f64.sqrt() * (a - b).abs() / length;
        scale * scale * (1.0 + r) * (-r).exp()
    };
    let n = x.len();
    // Cholesky factor of K + σ²I.
    let mut l = vec![0.0; n * n];
    for i in 0..n {
        for j in 0..=i {
            let mut s = k(x[i], x[j]) + if i == j { noise * noise } else { 0.0 };
            for m in 0..j {
                s -= l[i * n + m] * l[j * n + m];
            }
            if i == j {
                if s <= 0.0 {
                    return None;
                }
                l[i * n + i] = s.sqrt();
            } else {
                l[i * n + j] = s / l[j * n + j];
            }
        }
    }
    let solve_lower = |b: &[f64]| {
        let mut z = vec![0.0; n];
        for i in 0..n {
            let mut s = b[i];
            for m in 0..i {
                s -= l[i * n + m] * z[m];
            }
            z[i] = s / l[i * n + i];
        }
        z
    };
    let z = solve_lower(y);
    // α = L⁻ᵀ z.
    let mut alpha = vec![0.0; n];
    for i in (0..n).rev() {
        let mut s = z[i];
        for m in i + 1..n {
            s -= l[m * n + i] * alpha[m];
        }
        alpha[i] = s / l[i * n + i];
    }
    let lml = -0.5 * z.iter().map(|v| v * v).sum::<f64>()
        - (0..n).map(|i| l[i * n + i].ln()).sum::<f64>()
        - n as f64 / 2.0 * (2.0 * std::f64::consts::PI).ln();
    let mut means = Vec::with_capacity(at.len());
    let mut vars = Vec::with_capacity(at.len());
    for &s in at {
        let ks: Vec<f64> = x.iter().map(|&xi| k(s, xi)).collect();
        means.push(ks.iter().zip(&alpha).map(|(a, b)| a * b).sum());
        let v = solve_lower(&ks);
        vars.push(k(s, s) + noise * noise - v.iter().map(|e| e * e).sum::<f64>());
    }
    Some((lml, means, vars))
}

pub struct IamHaggler2011 {
    own: Own,
    /// u_i³·d^t_j, row-major (100 × 101).
    gain: Vec<f64>,
    slot_times: Vec<f64>,
    slot_utilities: Vec<f64>,
    last_slot: Option<i64>,
    slot_max: f64,
    means: Vec<f64>,
    variances: Vec<f64>,
    last_time: f64,
    last_utility: f64,
    max_utility: f64,
    best_received: Option<Outcome>,
    previous_target: f64,
    my_last: Option<Outcome>,
}

fn utility_sample(i: usize) -> f64 {
    1.0 - (i as f64 + 0.5) / (UTILITY_SAMPLES as f64 + 1.0)
}

fn time_sample(j: usize) -> f64 {
    j as f64 / (TIME_SAMPLES - 1) as f64
}

impl IamHaggler2011 {
    pub fn new(setup: &Setup) -> IamHaggler2011 {
        let d = setup.discount.filter(|d| *d != 0.0).unwrap_or(1.0);
        // The risk function u³, normalised over [0, 1] (which leaves it u³).
        let mut gain = Vec::with_capacity(UTILITY_SAMPLES * TIME_SAMPLES);
        for i in 0..UTILITY_SAMPLES {
            for j in 0..TIME_SAMPLES {
                gain.push(utility_sample(i).powf(RISK) * d.powf(time_sample(j)));
            }
        }
        IamHaggler2011 {
            own: Own::new(setup),
            gain,
            slot_times: Vec::new(),
            slot_utilities: Vec::new(),
            last_slot: None,
            slot_max: 0.0,
            means: Vec::new(),
            variances: Vec::new(),
            last_time: 0.0,
            last_utility: 1.0,
            max_utility: 0.0,
            best_received: None,
            previous_target: 1.0,
            my_last: None,
        }
    }

    /// `getExpectedBestAgreement` from the predicted means and variances: (time, utility).
    pub(crate) fn best_agreement(&self, time: f64) -> (f64, f64) {
        let first = (0..TIME_SAMPLES)
            .find(|&j| time_sample(j) > time)
            .unwrap_or(TIME_SAMPLES);
        let interval = 1.0 / UTILITY_SAMPLES as f64;
        let p = |u: f64, m: f64, s: f64| 1.0 - 0.5 * (1.0 + erf((u - m) / s));
        let mut best_col = first;
        let mut best_sum = 0.0;
        let mut cumulative = vec![0.0; UTILITY_SAMPLES * TIME_SAMPLES];
        for j in first..TIME_SAMPLES {
            let s = (2.0 * self.variances[j]).sqrt();
            let m = self.means[j];
            let minp = p(utility_sample(0) + interval / 2.0, m, s);
            let maxp = p(utility_sample(UTILITY_SAMPLES - 1) - interval / 2.0, m, s);
            let mut sum = 0.0;
            for i in 0..UTILITY_SAMPLES {
                let u = utility_sample(i);
                let g = self.gain[i * TIME_SAMPLES + j];
                let p1 = p(u - interval / 2.0, m, s);
                let p2 = p(u + interval / 2.0, m, s);
                sum += (p1 - p2) / (maxp - minp) * g;
                cumulative[i * TIME_SAMPLES + j] = (p(u, m, s) - minp) / (maxp - minp) * g;
            }
            if sum >= best_sum {
                best_sum = sum;
                best_col = j;
            }
        }
        let best_col = best_col.min(TIME_SAMPLES - 1);
        let mut best_row = 0;
        let mut best_value = 0.0;
        for i in 0..UTILITY_SAMPLES {
            let v = cumulative[i * TIME_SAMPLES + best_col];
            if v > best_value {
                best_value = v;
                best_row = i;
            }
        }
        (time_sample(best_col), utility_sample(best_row))
    }

    /// `getTarget`.
    fn target(&mut self, opponent_u: f64, time: f64) -> f64 {
        let slot = (time * SLOTS).floor() as i64;
        let mut update = self.last_slot.is_none();
        if Some(slot) != self.last_slot {
            if let Some(last) = self.last_slot {
                self.slot_times.push((last as f64 + 0.5) / SLOTS);
                self.slot_utilities.push(self.slot_max);
                update = true;
            }
            self.last_slot = Some(slot);
            self.slot_max = 0.0;
        }
        self.slot_max = self.slot_max.max(opponent_u);
        if slot == 0 {
            return 1.0 - time / 2.0;
        }
        if update && !self.slot_times.is_empty() {
            let intercept = self.slot_utilities[0];
            let gradient = 0.9 - intercept;
            let y: Vec<f64> = self
                .slot_times
                .iter()
                .zip(&self.slot_utilities)
                .map(|(&x, &u)| u - (intercept + gradient * x))
                .collect();
            let at: Vec<f64> = (0..TIME_SAMPLES).map(time_sample).collect();
            let (mean, var) = gp_mixture(&self.slot_times, &y, &at);
            self.means = mean
                .iter()
                .zip(&at)
                .map(|(m, &t)| m + intercept + gradient * t)
                .collect();
            self.variances = var;
        }
        if self.means.is_empty() {
            return 1.0 - time / 2.0;
        }
        let (best_time, best_u) = self.best_agreement(time);
        let target = if best_time > self.last_time {
            self.last_utility
                + (time - self.last_time) * (best_u - self.last_utility)
                    / (best_time - self.last_time)
        } else {
            best_u
        };
        self.last_utility = target;
        self.last_time = time;
        target
    }

    /// `RandomBidCreator.getBid(min, max)`: uniform draws until one is in [min, max], max
    /// widened by 0.01 every 500 draws; for max ≥ 1, at least min, lowered by 0.01 every 500.
    fn random_bid(&mut self, mut min: f64, mut max: f64) -> Outcome {
        let bids = &self.own.bids;
        let total = bids.len();
        let range = |min: f64, max: f64| {
            if max >= 1.0 {
                (0, bids.count_at_least(min))
            } else {
                (bids.count_at_least(max.next_up()), bids.count_at_least(min))
            }
        };
        let (mut high, mut low) = range(min, max);
        for tries in 1..=200_000u32 {
            let k = crate::bidding::draw_below(&mut self.own.rng, total);
            if (high..low).contains(&k) {
                if let Some(b) = bids.at_rank(k) {
                    return b.outcome;
                }
            }
            if tries % 500 == 0 {
                if max >= 1.0 {
                    min -= 0.01;
                } else {
                    max += 0.01;
                }
                (high, low) = range(min, max);
            }
        }
        self.own.best().outcome.clone()
    }

    /// `proposeNextBid`.
    fn next_bid(&mut self, offer: &Outcome, u: f64, time: f64) -> Outcome {
        if u > self.max_utility {
            self.best_received = Some(offer.clone());
            self.max_utility = u;
        }
        let target = self.target(u, time);
        if target <= self.max_utility && self.previous_target > self.max_utility {
            if let Some(b) = &self.best_received {
                return b.clone();
            }
        }
        self.previous_target = target;
        self.random_bid(target - 0.025, target + 0.025)
    }

    fn choose(&mut self, view: &View<'_>, offered: Option<f64>) -> Action {
        let (Some(u), Some((_, offer)), Some(last)) =
            (offered, view.last_offer(), self.my_last.as_ref())
        else {
            return Action::Offer(self.own.best().outcome.clone());
        };
        let rational = u >= view.reservation;
        let scaled = u * ACCEPT_MULTIPLIER;
        if rational && (scaled >= self.own.setup.utility_of(last) || scaled >= MAXIMUM_ASPIRATION) {
            return Action::Accept;
        }
        let offer = offer.clone();
        let planned = self.next_bid(&offer, u, view.time);
        if rational && scaled >= self.own.setup.utility_of(&planned) {
            return Action::Accept;
        }
        Action::Offer(planned)
    }
}

impl Negotiator for IamHaggler2011 {
    fn act(&mut self, view: &View<'_>) -> Action {
        let offered = self.own.observe(view);
        self.own.received.clear();
        let action = self.choose(view, offered);
        if let Action::Offer(b) = &action {
            self.my_last = Some(b.clone());
        }
        action
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn erf_matches_known_values() {
        assert!(erf(0.0).abs() < 1e-7);
        assert!((erf(0.5) - 0.520_499_877_8).abs() < 2e-7);
        assert!((erf(1.0) - 0.842_700_792_9).abs() < 2e-7);
        assert!((erf(-2.0) + 0.995_322_265_0).abs() < 2e-7);
        assert_eq!(erf(7.0), 1.0);
    }

    #[test]
    fn the_regression_fits_its_data_and_widens_away_from_it() {
        let x = [0.1, 0.2, 0.3, 0.4];
        let y = [0.0, 0.05, 0.1, 0.15];
        let (mean, var) = gp_mixture(&x, &y, &[0.2, 0.9]);
        assert!((mean[0] - 0.05).abs() < 0.02, "{mean:?}");
        assert!(var[1] > var[0], "{var:?}");
    }

    #[test]
    fn the_first_slot_concedes_linearly_then_the_target_follows_the_prediction() {
        let mut h = IamHaggler2011::new(&crate::strategies::test_setup(&[5, 5], 0.0, 100));
        // Slot 0 (t < 1/36): 1 − t/2.
        assert_eq!(h.target(0.3, 0.0), 1.0);
        assert!((h.target(0.3, 0.02) - 0.99).abs() < 1e-12);
        // Slot 1: a regression on slot 0's best (0.3); the target moves from 1 toward a point
        // below 1, never above it.
        let t = h.target(0.35, 0.03);
        assert!(t < 1.0 && t > 0.0, "{t}");
    }

    #[test]
    fn it_ends_against_boulware() {
        crate::strategies::yushu::tests::ends_against_boulware("iamhaggler2011");
    }
}
