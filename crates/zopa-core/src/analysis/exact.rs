//! Exact utilities for additive utility functions.
//!
//! Scenario files write numbers in decimal (`0.333333333`, `0.1`), GeniusWeb computes
//! utilities in exact decimal arithmetic, and GENIUS divides evaluations by their maximum
//! (so `1/3` arrives as 0.3333333333333333). In binary floating point `0.1 + 0.2` and `0.3`
//! differ in the 17th digit, so two outcomes whose utilities are equal on paper would both
//! count as Pareto-optimal. Here every weight and evaluation is taken as the number it was
//! written as ([`Rational::from_f64`]), each weighted evaluation is an exact product, and
//! utilities are exact sums of integer multiples of one common denominator in 128-bit
//! integers. Only at the end is a utility turned into the `f64` nearest to it (correct
//! rounding), so equal exact utilities give identical `f64`s in every method and every
//! definition set.
//!
//! When a number is neither a decimal of at most [`MAX_SCALE`] places nor a small fraction,
//! or the sums could overflow, [`contributions`] returns `None` and the analysis says that it
//! compared in floating point.

use crate::issue::Value;
use crate::utility::{AdditiveUtility, Evaluator, NumericEvaluator, UtilityFunction};

use super::space::Grid;

/// The most decimal places a number may have (10^36 < 2^120 leaves room for sums).
pub(crate) const MAX_SCALE: u32 = 36;

/// The largest denominator tried when a 17-digit number is recognised as a fraction.
const MAX_FRACTION_DENOMINATOR: i128 = 1_000_000;

/// An exact rational number `numerator / denominator`, in lowest terms, denominator > 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Rational {
    numerator: i128,
    denominator: i128,
}

fn gcd(mut a: i128, mut b: i128) -> i128 {
    a = a.abs();
    b = b.abs();
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl Rational {
    pub(crate) const ZERO: Rational = Rational {
        numerator: 0,
        denominator: 1,
    };
    pub(crate) const ONE: Rational = Rational {
        numerator: 1,
        denominator: 1,
    };

    fn new(numerator: i128, denominator: i128) -> Option<Rational> {
        if denominator == 0 {
            return None;
        }
        let g = gcd(numerator, denominator).max(1);
        let sign = if denominator < 0 { -1 } else { 1 };
        Some(Rational {
            numerator: numerator / g * sign,
            denominator: denominator / g * sign,
        })
    }

    /// The number a file most plausibly wrote: the shortest decimal that reads back as `x`
    /// when it has at most 15 significant digits; otherwise a fraction with a denominator up
    /// to 10^6 that reads back as `x` (GENIUS divides evaluations by their maximum, so
    /// `1/3` arrives as 0.3333333333333333); otherwise the 17-digit decimal. `None` for
    /// non-finite numbers or ones needing more than [`MAX_SCALE`] decimal places.
    pub(crate) fn from_f64(x: f64) -> Option<Rational> {
        if !x.is_finite() {
            return None;
        }
        if x == 0.0 {
            return Some(Rational::ZERO);
        }
        // `{:e}` prints the shortest round-tripping digits: "-3.33333333e-1".
        let text = format!("{x:e}");
        let (digits, exp) = text.split_once('e')?;
        let exp: i64 = exp.parse().ok()?;
        let negative = digits.starts_with('-');
        let digits = digits.trim_start_matches('-');
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let significant = int.len() + frac.len();
        let mut mantissa: i128 = format!("{int}{frac}").parse().ok()?;
        if negative {
            mantissa = -mantissa;
        }
        if significant > 15 {
            if let Some(r) = fraction_of(x) {
                return Some(r);
            }
        }
        let exp = exp - frac.len() as i64;
        if exp >= 0 {
            let factor = 10i128.checked_pow(u32::try_from(exp).ok()?)?;
            Rational::new(mantissa.checked_mul(factor)?, 1)
        } else {
            let scale = u32::try_from(-exp).ok()?;
            (scale <= MAX_SCALE).then_some(())?;
            Rational::new(mantissa, 10i128.pow(scale))
        }
    }

    fn from_i64(x: i64) -> Rational {
        Rational {
            numerator: i128::from(x),
            denominator: 1,
        }
    }

    pub(crate) fn mul(self, other: Rational) -> Option<Rational> {
        let g1 = gcd(self.numerator, other.denominator).max(1);
        let g2 = gcd(other.numerator, self.denominator).max(1);
        Rational::new(
            (self.numerator / g1).checked_mul(other.numerator / g2)?,
            (self.denominator / g2).checked_mul(other.denominator / g1)?,
        )
    }

    fn add(self, other: Rational) -> Option<Rational> {
        let g = gcd(self.denominator, other.denominator).max(1);
        let a = self.numerator.checked_mul(other.denominator / g)?;
        let b = other.numerator.checked_mul(self.denominator / g)?;
        Rational::new(
            a.checked_add(b)?,
            (self.denominator / g).checked_mul(other.denominator)?,
        )
    }

    pub(crate) fn sub(self, other: Rational) -> Option<Rational> {
        self.add(other.neg())
    }

    /// `self / other`; `None` when `other` is 0 or the result overflows.
    pub(crate) fn div(self, other: Rational) -> Option<Rational> {
        if other.numerator == 0 {
            return None;
        }
        self.mul(Rational::new(other.denominator, other.numerator)?)
    }

    pub(crate) fn is_positive(&self) -> bool {
        self.numerator > 0
    }

    /// `|self|`.
    pub(crate) fn abs(self) -> Rational {
        if self.numerator < 0 {
            self.neg()
        } else {
            self
        }
    }

    fn neg(self) -> Rational {
        Rational {
            numerator: -self.numerator,
            denominator: self.denominator,
        }
    }

    /// The nearest `f64`.
    pub(crate) fn to_f64(self) -> f64 {
        to_f64(self.numerator, self.denominator)
    }

    /// Exact comparison; `None` when the cross products overflow.
    pub(crate) fn checked_cmp(&self, other: &Rational) -> Option<std::cmp::Ordering> {
        let a = self.numerator.checked_mul(other.denominator)?;
        let b = other.numerator.checked_mul(self.denominator)?;
        Some(a.cmp(&b))
    }

    pub(crate) fn product(xs: &[Rational]) -> Option<Rational> {
        xs.iter().try_fold(Rational::ONE, |acc, x| acc.mul(*x))
    }

    pub(crate) fn sum(xs: &[Rational]) -> Option<Rational> {
        xs.iter().try_fold(Rational::ZERO, |acc, x| acc.add(*x))
    }

    /// −Σ_{i<j} |x_i − x_j|.
    pub(crate) fn negated_spread(xs: &[Rational]) -> Option<Rational> {
        let mut total = Rational::ZERO;
        for i in 0..xs.len() {
            for j in i + 1..xs.len() {
                let d = xs[i].add(xs[j].neg())?;
                let d = if d.numerator < 0 { d.neg() } else { d };
                total = total.add(d)?;
            }
        }
        Some(total.neg())
    }

    fn clamp01(self) -> Rational {
        if self.numerator < 0 {
            Rational::ZERO
        } else if self.numerator > self.denominator {
            Rational::ONE
        } else {
            self
        }
    }
}

/// `reservation − cost · horizon` in exact arithmetic, correctly rounded; `None` when a number
/// is not a short decimal or small fraction, or the arithmetic overflows.
pub(crate) fn inside_option(reservation: f64, cost: f64, horizon: u32) -> Option<f64> {
    let delay = Rational::from_f64(cost)?.mul(Rational::from_i64(i64::from(horizon)))?;
    let d = Rational::from_f64(reservation)?.sub(delay)?;
    Some(d.to_f64())
}

/// The expected utility of a war that goes on until one side prevails,
/// `(prevail·win + lose·loss − cost) / (prevail + lose)` (`crate::NoDeal`), in exact
/// arithmetic, correctly rounded; `None` when a number is not a short decimal or small
/// fraction, the arithmetic overflows, or `prevail + lose` is 0.
pub(crate) fn no_deal_value(
    prevail: f64,
    lose: f64,
    cost: f64,
    win: f64,
    loss: f64,
) -> Option<f64> {
    let (p, l) = (Rational::from_f64(prevail)?, Rational::from_f64(lose)?);
    let gain = p
        .mul(Rational::from_f64(win)?)?
        .add(l.mul(Rational::from_f64(loss)?)?)?
        .sub(Rational::from_f64(cost)?)?;
    Some(gain.div(p.add(l)?)?.to_f64())
}

/// `part / (part + other)` in exact arithmetic, correctly rounded (the chance that a war of
/// periods ends with the party prevailing); `None` as for [`no_deal_value`].
pub(crate) fn share(part: f64, other: f64) -> Option<f64> {
    let p = Rational::from_f64(part)?;
    Some(p.div(p.add(Rational::from_f64(other)?)?)?.to_f64())
}

/// `1 / (a + b)` in exact arithmetic, correctly rounded (the expected length of a war of
/// periods); `None` as for [`no_deal_value`].
pub(crate) fn reciprocal_sum(a: f64, b: f64) -> Option<f64> {
    let sum = Rational::from_f64(a)?.add(Rational::from_f64(b)?)?;
    Some(Rational::ONE.div(sum)?.to_f64())
}

/// The expected utility of one decisive war, `p·win + (1 − p)·loss − cost`, in exact
/// arithmetic, correctly rounded; `None` as for [`no_deal_value`].
pub(crate) fn one_shot_value(p: f64, cost: f64, win: f64, loss: f64) -> Option<f64> {
    let p = Rational::from_f64(p)?;
    let v = p
        .mul(Rational::from_f64(win)?)?
        .add(Rational::ONE.sub(p)?.mul(Rational::from_f64(loss)?)?)?
        .sub(Rational::from_f64(cost)?)?;
    Some(v.to_f64())
}

/// A fraction p/q (q ≤ 10^6) that reads back as exactly `x`, by continued fractions.
fn fraction_of(x: f64) -> Option<Rational> {
    let (mut h0, mut h1): (i128, i128) = (0, 1);
    let (mut k0, mut k1): (i128, i128) = (1, 0);
    let mut rest = x;
    for _ in 0..40 {
        let a = rest.floor();
        if !a.is_finite() || a.abs() > 1e15 {
            return None;
        }
        let a = a as i128;
        (h0, h1) = (h1, a.checked_mul(h1)?.checked_add(h0)?);
        (k0, k1) = (k1, a.checked_mul(k1)?.checked_add(k0)?);
        if k1 > MAX_FRACTION_DENOMINATOR {
            return None;
        }
        if h1 as f64 / k1 as f64 == x {
            return Rational::new(h1, k1);
        }
        let f = rest - rest.floor();
        if f == 0.0 {
            return None;
        }
        rest = 1.0 / f;
    }
    None
}

/// The `f64` nearest to `units / denominator` (correctly rounded, so equal exact values give
/// equal `f64`s and a written `0.3` stays `0.3`).
pub(crate) fn to_f64(units: i128, denominator: i128) -> f64 {
    // Long division to 40 significant digits plus a sticky digit, then Rust's float parser
    // (which rounds correctly): the sticky digit keeps a truncated tail from looking like an
    // exact tie.
    let negative = (units < 0) != (denominator < 0);
    let (n, d) = (units.unsigned_abs(), denominator.unsigned_abs());
    if d == 0 {
        return f64::NAN;
    }
    let mut text = String::with_capacity(64);
    if negative && n != 0 {
        text.push('-');
    }
    text.push_str(&(n / d).to_string());
    text.push('.');
    let mut rem = n % d;
    let mut significant = if n / d > 0 { text.len() } else { 0 };
    let mut places = 0;
    while rem != 0 && significant < 40 && places < 400 {
        // rem < d ≤ 2^127, so rem * 10 may overflow u128: divide in two steps when needed.
        // Denominators stay below 2^120 (see `contributions`), so rem·10 fits.
        let Some(r) = rem.checked_mul(10) else {
            return units as f64 / denominator as f64 + 0.0;
        };
        let digit = r / d;
        rem = r % d;
        text.push(char::from(b'0' + digit as u8));
        if significant > 0 || digit > 0 {
            significant += 1;
        }
        places += 1;
    }
    if rem != 0 {
        text.push('1');
    }
    text.parse::<f64>().unwrap_or(f64::NAN) + 0.0
}

/// The exact evaluation of one value, when the evaluator's result is a decimal.
fn evaluation(e: &Evaluator, v: Value) -> Option<Rational> {
    match (e, v) {
        (Evaluator::Table(t), Value::Discrete(i)) => {
            Rational::from_f64(t.get(i as usize).copied().unwrap_or(0.0))
        }
        (
            Evaluator::Numeric(NumericEvaluator::Linear {
                slope,
                offset,
                origin,
                clamp,
            }),
            v,
        ) => {
            let x = match v {
                Value::Integer(x) => Rational::from_i64(x),
                other => Rational::from_f64(other.as_f64())?,
            };
            let y = Rational::from_f64(*slope)?
                .mul(x.add(Rational::from_f64(*origin)?.neg())?)?
                .add(Rational::from_f64(*offset)?)?;
            Some(if *clamp { y.clamp01() } else { y })
        }
        (Evaluator::Numeric(n), v) => {
            // Triangular and interpolated evaluations divide; their f64 result (GeniusWeb's
            // interpolation is already rounded to 8 decimals) is taken as written.
            Rational::from_f64(n.eval(v.as_f64()))
        }
        (Evaluator::Positional(p), Value::Discrete(i)) => p.exact_evaluation(i as usize),
        (Evaluator::Table(_) | Evaluator::Positional(_), _) => Some(Rational::ZERO),
    }
}

/// The utility of one outcome in exact arithmetic, correctly rounded; `None` when a number
/// is not a short decimal or small fraction.
pub(crate) fn additive_utility(a: &AdditiveUtility, outcome: &[Value]) -> Option<f64> {
    let mut sum = Rational::ZERO;
    for ((&w, e), &v) in a.weights.iter().zip(&a.evaluators).zip(outcome) {
        sum = sum.add(Rational::from_f64(w)?.mul(evaluation(e, v)?)?)?;
    }
    let mut u = to_f64(sum.numerator, sum.denominator);
    if a.cap_at_one && u > 1.0 {
        u = 1.0;
    }
    Some(u)
}

/// Exact per-issue contributions as integer multiples of `1 / denominator`.
pub(crate) struct Exact {
    /// The common denominator of every contribution (below 2^120).
    pub denominator: i128,
    /// As the floating-point contributions: per issue, per level, `n` parties' units.
    pub table: Vec<Vec<i128>>,
    /// `1` in units (for GENIUS's cap at one).
    pub one: i128,
}

impl Exact {
    pub fn to_f64(&self, units: i128) -> f64 {
        to_f64(units, self.denominator)
    }

    /// The decimal places every utility fits in, when the common denominator divides a power
    /// of ten (only factors 2 and 5: decimal inputs).
    pub fn decimal_places(&self) -> Option<u32> {
        let (mut d, mut twos, mut fives) = (self.denominator, 0, 0);
        while d % 2 == 0 {
            d /= 2;
            twos += 1;
        }
        while d % 5 == 0 {
            d /= 5;
            fives += 1;
        }
        (d == 1).then_some(twos.max(fives))
    }
}

/// Exact contributions of additive utilities, or `None` when a number is neither a short
/// decimal nor a small fraction, or sums could overflow 128 bits.
pub(crate) fn contributions(grid: &Grid, ufuns: &[&UtilityFunction]) -> Option<Exact> {
    let additive: Vec<_> = ufuns
        .iter()
        .map(|u| u.as_additive())
        .collect::<Option<_>>()?;
    let mut exact: Vec<Vec<Rational>> = Vec::with_capacity(grid.values.len());
    let mut denominator: i128 = 1;
    for (i, levels) in grid.values.iter().enumerate() {
        let weights: Vec<Rational> = additive
            .iter()
            .map(|a| Rational::from_f64(a.weights[i]))
            .collect::<Option<_>>()?;
        let mut row = Vec::with_capacity(levels.len() * additive.len());
        for &v in levels {
            for (a, w) in additive.iter().zip(&weights) {
                let c = w.mul(evaluation(&a.evaluators[i], v)?)?;
                if denominator % c.denominator != 0 {
                    let g = gcd(denominator, c.denominator);
                    denominator = (denominator / g).checked_mul(c.denominator)?;
                    (denominator < 1i128 << 120).then_some(())?;
                }
                row.push(c);
            }
        }
        exact.push(row);
    }
    let mut bound: i128 = 0;
    let mut table = Vec::with_capacity(exact.len());
    for row in exact {
        let units: Vec<i128> = row
            .iter()
            .map(|c| c.numerator.checked_mul(denominator / c.denominator))
            .collect::<Option<_>>()?;
        let widest = units.iter().map(|u| u.unsigned_abs()).max().unwrap_or(0);
        bound = bound.checked_add(i128::try_from(widest).ok()?)?;
        table.push(units);
    }
    // Every partial sum stays below 2^126, so additions in the frontier merge cannot overflow.
    (bound < 1i128 << 126).then_some(())?;
    Some(Exact {
        denominator,
        table,
        one: denominator,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn r(n: i128, d: i128) -> Rational {
        Rational::new(n, d).unwrap()
    }

    #[test]
    fn numbers_are_read_as_written() {
        assert_eq!(
            Rational::from_f64(0.333333333),
            Some(r(333333333, 1_000_000_000))
        );
        assert_eq!(Rational::from_f64(-2.5e-3), Some(r(-1, 400)));
        assert_eq!(Rational::from_f64(1200.0), Some(r(1200, 1)));
        assert_eq!(Rational::from_f64(1.0 / 3.0), Some(r(1, 3)));
        assert_eq!(Rational::from_f64(7.0 / 9.0), Some(r(7, 9)));
        assert!(Rational::from_f64(1e-300).is_none());
        assert!(Rational::from_f64(f64::NAN).is_none());
    }

    #[test]
    fn exact_sums_round_correctly() {
        let s = r(1, 10).add(r(2, 10)).unwrap();
        assert_eq!(to_f64(s.numerator, s.denominator), 0.3);
        assert_ne!(0.1 + 0.2, 0.3);
        let third = Rational::from_f64(1.0 / 3.0).unwrap();
        let two_thirds = Rational::from_f64(2.0 / 3.0).unwrap();
        let one = third.add(two_thirds).unwrap();
        assert_eq!(to_f64(one.numerator, one.denominator), 1.0);
        assert_eq!(to_f64(1, 3), 1.0 / 3.0);
        assert_eq!(to_f64(-7, 9), -7.0 / 9.0);
        assert_eq!(to_f64(123, 1), 123.0);
    }

    #[test]
    fn clamping_is_exact() {
        assert_eq!(r(5, 4).clamp01(), Rational::ONE);
        assert_eq!(r(-1, 2).clamp01(), Rational::ZERO);
        assert_eq!(r(3, 4).clamp01(), r(3, 4));
    }
}
