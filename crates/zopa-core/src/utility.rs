//! Utility functions: linear additive and the ANAC 2014 hyper-rectangle (constraint) form.

use std::sync::Arc;

use crate::issue::Value;
use crate::position::PositionalEvaluator;

/// A party's preferences over complete outcomes.
#[derive(Debug, Clone, PartialEq)]
pub enum UtilityFunction {
    /// Σ_i w_i · e_i(v_i), optionally capped at 1 (GENIUS caps; others do not).
    Additive(AdditiveUtility),
    /// Sum (or min/max) of hyper-rectangle rewards, divided by a maximum (ANAC 2014).
    Constraint(ConstraintUtility),
}

/// Linear additive utility: issue weights times per-issue value evaluations.
#[derive(Debug, Clone, PartialEq)]
pub struct AdditiveUtility {
    /// One weight per issue of the scenario, in scenario order (0 for issues the party ignores).
    pub weights: Vec<f64>,
    /// One evaluator per issue of the scenario, in scenario order.
    pub evaluators: Vec<Evaluator>,
    /// `min(1, Σ …)`, as GENIUS's `AdditiveUtilitySpace.getUtility` does.
    pub cap_at_one: bool,
}

/// How one issue's value is scored (before weighting).
#[derive(Debug, Clone, PartialEq)]
pub enum Evaluator {
    /// One evaluation per discrete value, by value index.
    Table(Vec<f64>),
    /// A function of a numeric (integer or real) value.
    Numeric(NumericEvaluator),
    /// By the distance of a discrete value's position from the party's ideal point, with the
    /// party's stated stance recorded beside it (`position.rs`).
    Positional(PositionalEvaluator),
}

/// Per-issue evaluation of a number.
#[derive(Debug, Clone, PartialEq)]
pub enum NumericEvaluator {
    /// `slope · (x − origin) + offset`, clamped to [0, 1] when `clamp` is set (GENIUS clamps).
    /// GENIUS integer issues use `origin` = the issue's lower bound, real issues 0.
    Linear {
        slope: f64,
        offset: f64,
        origin: f64,
        clamp: bool,
    },
    /// 0 outside `[low, high]`, rising linearly to 1 at `peak` and falling back to 0 at `high`
    /// (GENIUS `EVALFUNCTYPE.evalTriangular`).
    Triangular { low: f64, high: f64, peak: f64 },
    /// A constant evaluation.
    Constant(f64),
    /// Linear interpolation from `(low_value, low_utility)` to `(high_value, high_utility)`,
    /// 0 outside `[low_value, high_value]` (GeniusWeb `NumberValueSetUtilities`).
    Interpolated {
        low_value: f64,
        low_utility: f64,
        high_value: f64,
        high_utility: f64,
    },
}

/// ANAC 2014 nonlinear utility: rectangles of the (integer) outcome space that add utility.
#[derive(Debug, Clone, PartialEq)]
pub struct ConstraintUtility {
    pub rectangles: Vec<HyperRectangle>,
    pub aggregation: Aggregation,
    /// Multiplies every rectangle's utility (the `<ufun weight=..>`).
    pub weight: f64,
    /// The aggregate is divided by this (the `<utility maxutility=..>`); a result above 1 is
    /// 1, as GENIUS computes it.
    pub max_utility: f64,
}

/// One constraint: bounds on some issues and the utility it contributes.
#[derive(Debug, Clone, PartialEq)]
pub struct HyperRectangle {
    pub kind: RectangleKind,
    pub utility: f64,
    /// `(issue index, min, max)`, inclusive.
    pub bounds: Vec<(usize, f64, f64)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RectangleKind {
    /// Contributes when every bounded issue lies inside its bounds.
    Include,
    /// Contributes when at least one bounded issue lies outside its bounds.
    Exclude,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Aggregation {
    Sum,
    Min,
    Max,
}

impl NumericEvaluator {
    /// The function's numeric parameters (for finiteness checks).
    pub fn parameters(&self) -> Vec<f64> {
        match *self {
            NumericEvaluator::Linear {
                slope,
                offset,
                origin,
                ..
            } => vec![slope, offset, origin],
            NumericEvaluator::Triangular { low, high, peak } => vec![low, high, peak],
            NumericEvaluator::Constant(c) => vec![c],
            NumericEvaluator::Interpolated {
                low_value,
                low_utility,
                high_value,
                high_utility,
            } => vec![low_value, low_utility, high_value, high_utility],
        }
    }

    /// Evaluations at the points where the function can take its extremes on `[lo, hi]`.
    pub fn extremes(&self, lo: f64, hi: f64) -> Vec<f64> {
        let mut xs = vec![lo, hi];
        match *self {
            NumericEvaluator::Triangular { low, high, peak } => xs.extend([low, high, peak]),
            NumericEvaluator::Interpolated {
                low_value,
                high_value,
                ..
            } => xs.extend([low_value, high_value]),
            _ => {}
        }
        xs.into_iter()
            .filter(|x| (lo..=hi).contains(x))
            .map(|x| self.eval(x))
            .collect()
    }

    pub fn eval(&self, x: f64) -> f64 {
        match *self {
            NumericEvaluator::Linear {
                slope,
                offset,
                origin,
                clamp,
            } => {
                let y = slope * (x - origin) + offset;
                if clamp {
                    y.clamp(0.0, 1.0)
                } else {
                    y
                }
            }
            NumericEvaluator::Triangular { low, high, peak } => {
                if x < low {
                    0.0
                } else if x < peak {
                    (x - low) / (peak - low)
                } else if x < high {
                    1.0 - (x - peak) / (high - peak)
                } else {
                    0.0
                }
            }
            NumericEvaluator::Constant(c) => c,
            NumericEvaluator::Interpolated {
                low_value,
                low_utility,
                high_value,
                high_utility,
            } => {
                if x < low_value || x > high_value {
                    0.0
                } else {
                    let u = low_utility
                        + (high_utility - low_utility) * (x - low_value) / (high_value - low_value);
                    (u * 1e8).round() / 1e8
                }
            }
        }
    }
}

impl Evaluator {
    /// The evaluation of `value`. A table's lookup is inlined where it is called (every offer
    /// is scored through here); the other kinds are a call away.
    #[inline]
    pub fn eval(&self, value: Value) -> f64 {
        match (self, value) {
            (Evaluator::Table(t), Value::Discrete(i)) => t.get(i as usize).copied().unwrap_or(0.0),
            _ => self.eval_other(value),
        }
    }

    #[inline(never)]
    fn eval_other(&self, value: Value) -> f64 {
        match (self, value) {
            (Evaluator::Table(t), Value::Discrete(i)) => t.get(i as usize).copied().unwrap_or(0.0),
            (Evaluator::Numeric(n), v) => n.eval(v.as_f64()),
            (Evaluator::Positional(p), Value::Discrete(i)) => p.eval(i),
            // `Scenario::validate` rejects tables and positions on numeric issues.
            (
                Evaluator::Table(_) | Evaluator::Positional(_),
                Value::Integer(_) | Value::Real(_),
            ) => 0.0,
        }
    }

    /// One evaluation per discrete value, for a table or a positional evaluation.
    pub fn evaluations(&self) -> Option<&[f64]> {
        match self {
            Evaluator::Table(t) => Some(t),
            Evaluator::Positional(p) => Some(p.evaluations()),
            Evaluator::Numeric(_) => None,
        }
    }
}

impl AdditiveUtility {
    #[inline]
    pub fn eval(&self, outcome: &[Value]) -> f64 {
        let mut u = 0.0;
        for ((w, e), &v) in self.weights.iter().zip(&self.evaluators).zip(outcome) {
            u += w * e.eval(v);
        }
        if self.cap_at_one {
            u.min(1.0)
        } else {
            u
        }
    }
}

impl ConstraintUtility {
    pub fn eval(&self, outcome: &[Value]) -> f64 {
        let mut acc: Option<f64> = None;
        for r in &self.rectangles {
            let inside = r.bounds.iter().all(|&(i, lo, hi)| {
                let x = outcome.get(i).map_or(f64::NAN, |v| v.as_f64());
                x >= lo && x <= hi
            });
            let hit = match r.kind {
                RectangleKind::Include => inside,
                RectangleKind::Exclude => !inside,
            };
            let contribution = if hit { r.utility * self.weight } else { 0.0 };
            acc = Some(match (acc, self.aggregation) {
                (None, _) => contribution,
                (Some(a), Aggregation::Sum) => a + contribution,
                (Some(a), Aggregation::Min) => a.min(contribution),
                (Some(a), Aggregation::Max) => a.max(contribution),
            });
        }
        // GENIUS's NonlinearUtilitySpace caps at 1 where rectangles add up past `maxutility`.
        (acc.unwrap_or(0.0) / self.max_utility).min(1.0)
    }
}

impl UtilityFunction {
    /// Utility of a complete outcome (one value per issue, in scenario order).
    pub fn eval(&self, outcome: &[Value]) -> f64 {
        match self {
            UtilityFunction::Additive(a) => a.eval(outcome),
            UtilityFunction::Constraint(c) => c.eval(outcome),
        }
    }

    /// Utility of a complete outcome as the analysis computes it: for additive utilities in
    /// exact decimal arithmetic (every number taken as the decimal it was written as),
    /// rounded once to the nearest `f64`, so outcomes whose utilities are equal on paper get
    /// equal numbers. Slower than [`UtilityFunction::eval`]; meant for results, not for
    /// inner loops. Falls back to [`UtilityFunction::eval`] where a number is not a short
    /// decimal, and for hyper-rectangle utilities.
    pub fn eval_exact(&self, outcome: &[Value]) -> f64 {
        match self {
            UtilityFunction::Additive(a) => {
                crate::analysis::exact_utility(a, outcome).unwrap_or_else(|| a.eval(outcome) + 0.0)
            }
            UtilityFunction::Constraint(c) => c.eval(outcome),
        }
    }

    pub fn as_additive(&self) -> Option<&AdditiveUtility> {
        match self {
            UtilityFunction::Additive(a) => Some(a),
            UtilityFunction::Constraint(_) => None,
        }
    }
}

/// A utility function made ready to score many complete outcomes (every offer of a
/// negotiation is scored by the party that receives it). An additive utility whose issues are
/// all scored by tables or positions becomes a table of weighted evaluations per issue, read
/// once per issue; its scores equal [`UtilityFunction::eval`]'s bit for bit (the same products,
/// added in the same order). Any other utility, or a table larger than [`Scorer::MOST`], is
/// scored by [`UtilityFunction::eval`].
#[derive(Debug, Clone)]
pub struct Scorer {
    utility: Arc<UtilityFunction>,
    flat: Option<WeightedTable>,
}

#[derive(Debug, Clone)]
struct WeightedTable {
    /// Per issue, its weighted evaluations by value index.
    issues: Vec<Box<[f64]>>,
    cap_at_one: bool,
}

impl Scorer {
    /// Most weighted evaluations a scorer tabulates: a scorer is made per negotiation, and a
    /// larger table would cost more to make than it saves.
    pub const MOST: usize = 4096;

    pub fn new(utility: Arc<UtilityFunction>) -> Scorer {
        let flat = utility.as_additive().and_then(WeightedTable::of);
        Scorer { utility, flat }
    }

    /// [`UtilityFunction::eval`] of `outcome`.
    #[inline]
    pub fn eval(&self, outcome: &[Value]) -> f64 {
        match self.flat.as_ref().and_then(|f| f.eval(outcome)) {
            Some(u) => u,
            None => self.utility.eval(outcome),
        }
    }
}

impl WeightedTable {
    fn of(a: &AdditiveUtility) -> Option<WeightedTable> {
        // Checked first: nothing is made for a utility that cannot be tabulated.
        let mut size = 0;
        for (&w, e) in a.weights.iter().zip(&a.evaluators) {
            size += e.evaluations()?.len();
            if !w.is_finite() || size > Scorer::MOST {
                return None;
            }
        }
        let issues = a
            .weights
            .iter()
            .zip(&a.evaluators)
            .map(|(&w, e)| {
                let values = e.evaluations().unwrap_or_default();
                values.iter().map(|v| w * v).collect()
            })
            .collect();
        Some(WeightedTable {
            issues,
            cap_at_one: a.cap_at_one,
        })
    }

    /// `None` for a value that is not an index (scored the slow way).
    #[inline]
    fn eval(&self, outcome: &[Value]) -> Option<f64> {
        let mut u = 0.0;
        for (values, &v) in self.issues.iter().zip(outcome) {
            let Value::Discrete(i) = v else {
                return None;
            };
            // An index the issue lacks scores `w · 0 = 0` in `AdditiveUtility::eval`, and
            // adding 0 leaves the sum as it is (the sum is never −0: it starts at +0).
            if let Some(x) = values.get(i as usize) {
                u += x;
            }
        }
        Some(if self.cap_at_one { u.min(1.0) } else { u })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn additive() -> impl Strategy<Value = (UtilityFunction, Vec<Vec<Value>>)> {
        (1usize..5).prop_flat_map(|issues| {
            let evaluator = prop_oneof![
                6 => prop::collection::vec(-0.5f64..1.0, 1..6).prop_map(Evaluator::Table),
                1 => (0.0f64..1.0).prop_map(|x| Evaluator::Numeric(NumericEvaluator::Constant(x))),
            ];
            (
                // Weights up to 1.5, so that capped sums do pass 1.
                prop::collection::vec(0.0f64..1.5, issues),
                prop::collection::vec(evaluator, issues),
                any::<bool>(),
                prop::collection::vec(
                    prop::collection::vec(
                        prop_oneof![
                            4 => (0u32..7).prop_map(Value::Discrete),
                            1 => (0i64..3).prop_map(Value::Integer),
                        ],
                        issues - 1..issues + 2,
                    ),
                    1..20,
                ),
            )
                .prop_map(|(weights, evaluators, cap_at_one, outcomes)| {
                    let u = UtilityFunction::Additive(AdditiveUtility {
                        weights,
                        evaluators,
                        cap_at_one,
                    });
                    (u, outcomes)
                })
        })
    }

    proptest! {
        /// A scorer's table gives the very bits `eval` gives, on indices in and out of range,
        /// short and long outcomes, numeric values and numeric evaluators.
        #[test]
        fn scorer_equals_eval_bit_for_bit((u, outcomes) in additive()) {
            let scorer = Scorer::new(Arc::new(u.clone()));
            for o in &outcomes {
                prop_assert_eq!(scorer.eval(o).to_bits(), u.eval(o).to_bits());
            }
        }
    }

    #[test]
    fn scorer_tabulates_tables_and_not_numbers_or_huge_tables() {
        let table = |n: usize| Evaluator::Table((0..n).map(|i| i as f64 / n as f64).collect());
        let make = |evaluators: Vec<Evaluator>| {
            Scorer::new(Arc::new(UtilityFunction::Additive(AdditiveUtility {
                weights: vec![0.5; evaluators.len()],
                evaluators,
                cap_at_one: false,
            })))
        };
        assert!(make(vec![table(3), table(4)]).flat.is_some());
        assert!(make(vec![
            table(3),
            Evaluator::Numeric(NumericEvaluator::Constant(1.0))
        ])
        .flat
        .is_none());
        assert!(make(vec![table(Scorer::MOST), table(1)]).flat.is_none());
        let s = make(vec![table(3), table(4)]);
        assert_eq!(
            s.eval(&[Value::Discrete(2), Value::Discrete(3)]),
            0.5 * (2.0 / 3.0) + 0.5 * 0.75
        );
    }

    #[test]
    fn triangular_peaks_at_top() {
        let t = NumericEvaluator::Triangular {
            low: 0.0,
            high: 10.0,
            peak: 4.0,
        };
        assert_eq!(t.eval(-1.0), 0.0);
        assert_eq!(t.eval(2.0), 0.5);
        assert_eq!(t.eval(4.0), 1.0);
        assert_eq!(t.eval(7.0), 0.5);
        assert_eq!(t.eval(10.0), 0.0);
    }

    #[test]
    fn linear_clamps_only_when_asked() {
        let clamped = NumericEvaluator::Linear {
            slope: 2.0,
            offset: 0.0,
            origin: 0.0,
            clamp: true,
        };
        let raw = NumericEvaluator::Linear {
            slope: 2.0,
            offset: 0.0,
            origin: 0.0,
            clamp: false,
        };
        assert_eq!(clamped.eval(0.75), 1.0);
        assert_eq!(raw.eval(0.75), 1.5);
        assert_eq!(clamped.eval(-1.0), 0.0);
    }

    #[test]
    fn interpolated_is_zero_outside_its_range() {
        let e = NumericEvaluator::Interpolated {
            low_value: 12.0,
            low_utility: 0.3,
            high_value: 18.0,
            high_utility: 0.6,
        };
        assert_eq!(e.eval(11.0), 0.0);
        assert!((e.eval(15.0) - 0.45).abs() < 1e-12);
        assert_eq!(e.eval(19.0), 0.0);
    }

    #[test]
    fn exclude_rectangle_fires_when_any_bound_is_violated() {
        let u = ConstraintUtility {
            rectangles: vec![HyperRectangle {
                kind: RectangleKind::Exclude,
                utility: 10.0,
                bounds: vec![(0, 1.0, 3.0), (1, 0.0, 0.0)],
            }],
            aggregation: Aggregation::Sum,
            weight: 1.0,
            max_utility: 10.0,
        };
        assert_eq!(u.eval(&[Value::Integer(2), Value::Integer(0)]), 0.0);
        assert_eq!(u.eval(&[Value::Integer(2), Value::Integer(1)]), 1.0);
    }
}
