//! Positional evaluations: where a party wants an issue to end up (its *ideal* point on the
//! issue's position scale), where it last said it would settle (its *stance*: the latest
//! concession, dated and sourced), and how its utility falls with the distance from the ideal.
//!
//! The two are different things. An evaluation symmetric around the stance scores outcomes
//! *better* than the stance — closer to the ideal — as losses. Here the stance does not shape
//! the curve: a value at distance d from the ideal scores 1 − d/D (linear) or 1 − (d/D)²
//! (concave), D being the largest distance from the ideal to any of the issue's positions, so
//! the ideal scores 1, the farthest position 0, and the stance whatever the curve gives it
//! ([`PositionalEvaluator::stance_utility`]: the party's latest concession level).
//!
//! Evaluations are computed in exact arithmetic and rounded once, so positions written as
//! short decimals (the small integers of a 0–100 scale) give utilities the exact analysis adds
//! up exactly.

use crate::analysis::Rational;
use crate::calendar::{self, Date};
use crate::issue::Misfit;
use crate::scenario::Party;
use crate::text::Label;
use crate::utility::{Evaluator, UtilityFunction};

/// Which outcomes of an issue a party prefers, around its ideal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Shape {
    /// The nearer the ideal the better, with the ideal at an end of the issue's positions:
    /// every move toward that end is a gain, and no outcome lies beyond the ideal. An ideal
    /// inside the positions has two sides, and is scored as [`Shape::SinglePeaked`].
    Monotone,
    /// A peak at the ideal; utility falls on both sides.
    SinglePeaked,
}

impl Shape {
    /// Every shape, in the order documented.
    pub const ALL: [Shape; 2] = [Shape::Monotone, Shape::SinglePeaked];

    /// The name written in scenario files and printed: `monotone`, `single-peaked`.
    pub fn as_str(self) -> &'static str {
        match self {
            Shape::Monotone => "monotone",
            Shape::SinglePeaked => "single-peaked",
        }
    }

    /// The shape written `s` (exactly as [`Shape::as_str`] spells it).
    ///
    /// ```
    /// use zopa_core::Shape;
    /// assert_eq!(Shape::parse("single-peaked"), Some(Shape::SinglePeaked));
    /// assert_eq!(Shape::parse("peaked"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

impl std::fmt::Display for Shape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// How fast utility falls with the distance d from the ideal (D: the largest distance).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Curve {
    /// 1 − d/D: every step away costs the same.
    Linear,
    /// 1 − (d/D)²: small concessions cost little, large ones much (risk-averse).
    Concave,
}

impl Curve {
    /// Every curve, in the order documented.
    pub const ALL: [Curve; 2] = [Curve::Linear, Curve::Concave];

    /// The name written in scenario files and printed: `linear`, `concave`.
    pub fn as_str(self) -> &'static str {
        match self {
            Curve::Linear => "linear",
            Curve::Concave => "concave",
        }
    }

    /// The curve written `s` (exactly as [`Curve::as_str`] spells it).
    pub fn parse(s: &str) -> Option<Curve> {
        Curve::ALL.into_iter().find(|x| x.as_str() == s)
    }

    /// The score at distance `d` from the ideal when the farthest position is `far` away.
    fn score(self, d: f64, far: f64) -> f64 {
        if far <= 0.0 {
            return 1.0;
        }
        let r = d / far;
        let loss = match self {
            Curve::Linear => r,
            Curve::Concave => r * r,
        };
        1.0 - loss + 0.0
    }

    /// [`Curve::score`] in exact arithmetic; `None` when it overflows.
    fn score_exact(self, d: Rational, far: Rational) -> Option<Rational> {
        if !far.is_positive() {
            return Some(Rational::ONE);
        }
        let r = d.div(far)?;
        let loss = match self {
            Curve::Linear => r,
            Curve::Concave => r.mul(r)?,
        };
        Rational::ONE.sub(loss)
    }
}

impl std::fmt::Display for Curve {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The position a party last stated on an issue — its latest concession — with when, where
/// and how it is known.
#[derive(Debug, Clone, PartialEq)]
pub struct Stance {
    /// On the issue's position scale; one of its values' positions.
    pub position: f64,
    /// When the party stated it.
    pub date: Option<Date>,
    /// Where it is reported.
    pub source: Option<String>,
    /// How it is known: reported, mapped onto the scale, or assumed.
    pub label: Option<Label>,
}

impl Stance {
    /// A stance at `position`, undated, unsourced and unlabelled.
    pub fn at(position: f64) -> Stance {
        Stance {
            position,
            date: None,
            source: None,
            label: None,
        }
    }
}

/// A party's evaluation of a discrete issue from its values' positions: an ideal point, a
/// [`Shape`] and a [`Curve`], and optionally the [`Stance`] it last stated.
///
/// Built with [`PositionalEvaluator::new`] from the issue's positions, so that every value it
/// holds is consistent: the ideal lies within the positions, the stance is one of them.
///
/// ```
/// use zopa_core::{Curve, PositionalEvaluator, Shape, Stance};
/// // Ukraine on NATO: ideal an open door (0), latest concession dropping the bid (67).
/// let nato = PositionalEvaluator::new(&[0.0, 33.0, 67.0, 100.0], 0.0, Shape::Monotone, Curve::Concave)
///     .unwrap()
///     .with_stance(Stance::at(67.0))
///     .unwrap();
/// assert_eq!(nato.evaluations(), [1.0, 0.8911, 0.5511, 0.0]);
/// assert_eq!(nato.stance_utility(), Some(0.5511));
/// // Better than the stance is better: the open door scores above dropping the bid.
/// assert!(nato.eval(0) > nato.eval(2));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct PositionalEvaluator {
    /// The issue's positions, one per value.
    positions: Vec<f64>,
    ideal: f64,
    shape: Shape,
    curve: Curve,
    stance: Option<Stance>,
    /// One per value: the `f64` nearest to its exact evaluation.
    evaluations: Vec<f64>,
    /// One per value, exactly; `None` when a number is not a short decimal or small fraction.
    exact: Option<Vec<Rational>>,
}

/// Numbers for people: `0, 25, 50`.
fn listing(xs: &[f64]) -> String {
    let cells: Vec<String> = xs.iter().map(|x| x.to_string()).collect();
    cells.join(", ")
}

impl PositionalEvaluator {
    /// The evaluation of an issue whose values sit at `positions` (finite numbers, one per
    /// value), for a party whose ideal is `ideal`, somewhere from the lowest position to the
    /// highest. `Err` says what does not fit and how to fix it.
    pub fn new(
        positions: &[f64],
        ideal: f64,
        shape: Shape,
        curve: Curve,
    ) -> Result<PositionalEvaluator, Misfit> {
        let misfit = |problem: String, fix: String| Err(Misfit { problem, fix });
        if positions.is_empty() {
            return misfit(
                "the issue has no positions".into(),
                "give the issue one position per value".into(),
            );
        }
        if let Some(x) = positions.iter().find(|x| !x.is_finite()) {
            return misfit(
                format!("the issue's position {x} is not a finite number"),
                "give each value a position on the issue's scale (0–100)".into(),
            );
        }
        let lo = positions.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = positions.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        if !(lo..=hi).contains(&ideal) {
            return misfit(
                format!("the ideal {ideal} lies outside the issue's positions ({lo}–{hi})"),
                format!(
                    "put the ideal between {lo} and {hi}; a party that wants all the scale \
                     gives has its ideal at an end"
                ),
            );
        }
        let exact = exact_evaluations(positions, ideal, curve);
        let evaluations = match &exact {
            Some(exact) => exact.iter().map(|r| r.to_f64() + 0.0).collect(),
            None => {
                let far = positions
                    .iter()
                    .map(|p| (p - ideal).abs())
                    .fold(0.0, f64::max);
                positions
                    .iter()
                    .map(|p| curve.score((p - ideal).abs(), far))
                    .collect()
            }
        };
        Ok(PositionalEvaluator {
            positions: positions.to_vec(),
            ideal,
            shape,
            curve,
            stance: None,
            evaluations,
            exact,
        })
    }

    /// The same evaluation with the stance the party last stated, which must be one of the
    /// issue's positions (dated, when dated, within the years 0000–9999).
    pub fn with_stance(mut self, stance: Stance) -> Result<PositionalEvaluator, Misfit> {
        if !self.positions.contains(&stance.position) {
            return Err(Misfit {
                problem: format!(
                    "the stance {} is not one of the issue's positions ({})",
                    stance.position,
                    listing(&self.positions)
                ),
                fix: "give the position of the value the party last stated".into(),
            });
        }
        if let Some(date) = stance.date.filter(|&d| !calendar::writable(d)) {
            return Err(Misfit {
                problem: format!("the stance's date {date} is outside the years 0000–9999"),
                fix: "write dates as YYYY-MM-DD".into(),
            });
        }
        self.stance = Some(stance);
        Ok(self)
    }

    /// The party states a new position (an event moved it): `position` is one of the issue's
    /// positions (`Scenario::validate` checks events), `date` when it was stated, `event` the
    /// event's name, kept as the stance's source. The ideal and the evaluations stay: a
    /// stance is what a party says, not what it wants.
    pub fn restate(&mut self, position: f64, date: Option<Date>, event: &str) {
        self.stance = Some(Stance {
            position,
            date,
            source: Some(format!("event `{event}`")),
            label: None,
        });
    }

    /// The issue's positions, one per value, as given to [`PositionalEvaluator::new`].
    pub fn positions(&self) -> &[f64] {
        &self.positions
    }

    pub fn ideal(&self) -> f64 {
        self.ideal
    }

    /// The shape as declared (see [`PositionalEvaluator::interior_ideal`]).
    pub fn shape(&self) -> Shape {
        self.shape
    }

    pub fn curve(&self) -> Curve {
        self.curve
    }

    pub fn stance(&self) -> Option<&Stance> {
        self.stance.as_ref()
    }

    /// One evaluation per value, in the issue's order: 1 at the ideal, 0 at the farthest
    /// position.
    pub fn evaluations(&self) -> &[f64] {
        &self.evaluations
    }

    /// The evaluation of the value with index `value` (0 for an index the issue lacks).
    pub fn eval(&self, value: u32) -> f64 {
        self.evaluations.get(value as usize).copied().unwrap_or(0.0)
    }

    /// Does the ideal lie strictly inside the positions? Then a [`Shape::Monotone`]
    /// evaluation is scored as single-peaked at the ideal: both sides fall.
    pub fn interior_ideal(&self) -> bool {
        let lo = self.positions.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = self
            .positions
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        lo < self.ideal && self.ideal < hi
    }

    /// The index of the (first) value at the stance's position.
    pub fn stance_value(&self) -> Option<u32> {
        let s = self.stance.as_ref()?;
        let i = self.positions.iter().position(|&p| p == s.position)?;
        u32::try_from(i).ok()
    }

    /// The evaluation at the stance: the party's latest concession level on this issue
    /// (before weighting), or `None` without a stance.
    pub fn stance_utility(&self) -> Option<f64> {
        self.stance_value().map(|v| self.eval(v))
    }

    /// The exact evaluation of the value with index `value` (0 for an index the issue
    /// lacks, as [`PositionalEvaluator::eval`]); `None` when a number is not a short decimal
    /// or small fraction.
    pub(crate) fn exact_evaluation(&self, value: usize) -> Option<Rational> {
        let exact = self.exact.as_ref()?;
        Some(exact.get(value).copied().unwrap_or(Rational::ZERO))
    }
}

/// Every value's evaluation in exact arithmetic; `None` when a number is not a short decimal
/// or small fraction, or the arithmetic overflows.
fn exact_evaluations(positions: &[f64], ideal: f64, curve: Curve) -> Option<Vec<Rational>> {
    let ideal = Rational::from_f64(ideal)?;
    let distances: Vec<Rational> = positions
        .iter()
        .map(|&p| Some(Rational::from_f64(p)?.sub(ideal)?.abs()))
        .collect::<Option<_>>()?;
    let far = distances.iter().try_fold(Rational::ZERO, |far, d| {
        Some(if d.checked_cmp(&far)?.is_gt() {
            *d
        } else {
            far
        })
    })?;
    distances
        .iter()
        .map(|&d| curve.score_exact(d, far))
        .collect()
}

impl Evaluator {
    /// The positional evaluation, when this is one.
    pub fn as_positional(&self) -> Option<&PositionalEvaluator> {
        match self {
            Evaluator::Positional(p) => Some(p),
            Evaluator::Table(_) | Evaluator::Numeric(_) => None,
        }
    }
}

impl Party {
    /// The party's positional evaluation of issue `issue` (an index into the scenario's
    /// issues), when it scores that issue by position.
    pub fn positional(&self, issue: usize) -> Option<&PositionalEvaluator> {
        match &self.utility {
            UtilityFunction::Additive(a) => a.evaluators.get(issue)?.as_positional(),
            UtilityFunction::Constraint(_) => None,
        }
    }

    /// The party's evaluation of its own stance on issue `issue`: its latest concession level
    /// there (0–1, before weighting), when it states one.
    pub fn stance_utility(&self, issue: usize) -> Option<f64> {
        self.positional(issue)?.stance_utility()
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const FIVE: [f64; 5] = [0.0, 25.0, 50.0, 75.0, 100.0];

    /// Positions, ideal, shape, curve, and the evaluations.
    type Case = (&'static [f64], f64, Shape, Curve, Vec<f64>);

    /// The issue's positions, the positions an evaluation was built on, and the error.
    type Fit = (Option<Vec<f64>>, &'static [f64], Option<&'static str>);

    fn eval(positions: &[f64], ideal: f64, shape: Shape, curve: Curve) -> Vec<f64> {
        PositionalEvaluator::new(positions, ideal, shape, curve)
            .unwrap()
            .evaluations()
            .to_vec()
    }

    /// Each case: positions, ideal, shape, curve, and the evaluations.
    #[test]
    fn each_shape_and_curve_scores_by_distance_from_the_ideal() {
        use Curve::{Concave, Linear};
        use Shape::{Monotone, SinglePeaked};
        let cases: Vec<Case> = vec![
            (
                &FIVE,
                0.0,
                Monotone,
                Linear,
                vec![1.0, 0.75, 0.5, 0.25, 0.0],
            ),
            (
                &FIVE,
                0.0,
                Monotone,
                Concave,
                vec![1.0, 0.9375, 0.75, 0.4375, 0.0],
            ),
            (
                &FIVE,
                100.0,
                Monotone,
                Linear,
                vec![0.0, 0.25, 0.5, 0.75, 1.0],
            ),
            (
                &FIVE,
                100.0,
                Monotone,
                Concave,
                vec![0.0, 0.4375, 0.75, 0.9375, 1.0],
            ),
            // An interior ideal: the far side decides D, both sides fall.
            (
                &FIVE,
                25.0,
                SinglePeaked,
                Linear,
                vec![2.0 / 3.0, 1.0, 2.0 / 3.0, 1.0 / 3.0, 0.0],
            ),
            (
                &FIVE,
                25.0,
                SinglePeaked,
                Concave,
                vec![8.0 / 9.0, 1.0, 8.0 / 9.0, 5.0 / 9.0, 0.0],
            ),
            (
                &FIVE,
                50.0,
                SinglePeaked,
                Linear,
                vec![0.0, 0.5, 1.0, 0.5, 0.0],
            ),
            (
                &FIVE,
                50.0,
                SinglePeaked,
                Concave,
                vec![0.0, 0.75, 1.0, 0.75, 0.0],
            ),
            // Monotone with an interior ideal is single-peaked at it.
            (&FIVE, 50.0, Monotone, Linear, vec![0.0, 0.5, 1.0, 0.5, 0.0]),
            // Ukraine's NATO scale; exact decimals.
            (
                &[0.0, 33.0, 67.0, 100.0],
                0.0,
                Monotone,
                Linear,
                vec![1.0, 0.67, 0.33, 0.0],
            ),
            (
                &[0.0, 33.0, 67.0, 100.0],
                0.0,
                Monotone,
                Concave,
                vec![1.0, 0.8911, 0.5511, 0.0],
            ),
            // An ideal between two positions scores no value 1; unordered positions are fine.
            (
                &[100.0, 0.0, 40.0],
                20.0,
                SinglePeaked,
                Linear,
                vec![0.0, 0.75, 0.75],
            ),
            // One position, or all at the ideal: nothing to lose.
            (&[50.0], 50.0, Monotone, Concave, vec![1.0]),
            (&[30.0, 30.0], 30.0, SinglePeaked, Linear, vec![1.0, 1.0]),
        ];
        for (positions, ideal, shape, curve, expected) in cases {
            assert_eq!(
                eval(positions, ideal, shape, curve),
                expected,
                "{positions:?} {ideal} {shape} {curve}"
            );
        }
    }

    #[test]
    fn the_stance_is_recorded_not_used_for_the_curve() {
        let bare = PositionalEvaluator::new(&FIVE, 0.0, Shape::Monotone, Curve::Linear).unwrap();
        let stance = Stance {
            position: 50.0,
            date: calendar::parse_date("2025-12-14").ok(),
            source: Some("Berlin talks".into()),
            label: Some(Label::Reported),
        };
        let stated = bare.clone().with_stance(stance.clone()).unwrap();
        assert_eq!(stated.evaluations(), bare.evaluations());
        assert_eq!(stated.stance(), Some(&stance));
        assert_eq!(stated.stance_value(), Some(2));
        assert_eq!(stated.stance_utility(), Some(0.5));
        assert_eq!(bare.stance_utility(), None);
        // Russia leaving (0) scores above the stance (50), ceding (100) below it.
        assert!(stated.eval(0) > 0.5 && stated.eval(4) < 0.5);
    }

    #[test]
    fn misfits_say_what_to_give() {
        let err = |r: Result<PositionalEvaluator, Misfit>| r.unwrap_err().to_string();
        let new = |positions: &[f64], ideal| {
            PositionalEvaluator::new(positions, ideal, Shape::Monotone, Curve::Linear)
        };
        assert_eq!(
            err(new(&FIVE, 120.0)),
            "the ideal 120 lies outside the issue's positions (0–100); put the ideal between 0 \
             and 100; a party that wants all the scale gives has its ideal at an end"
        );
        assert_eq!(
            err(new(&[25.0, 75.0], 0.0)),
            "the ideal 0 lies outside the issue's positions (25–75); put the ideal between 25 \
             and 75; a party that wants all the scale gives has its ideal at an end"
        );
        assert_eq!(
            err(new(&FIVE, f64::NAN)),
            "the ideal NaN lies outside the issue's positions (0–100); put the ideal between 0 \
             and 100; a party that wants all the scale gives has its ideal at an end"
        );
        assert_eq!(
            err(new(&[], 0.0)),
            "the issue has no positions; give the issue one position per value"
        );
        assert_eq!(
            err(new(&[0.0, f64::INFINITY], 0.0)),
            "the issue's position inf is not a finite number; give each value a position on \
             the issue's scale (0–100)"
        );
        assert_eq!(
            err(new(&FIVE, 0.0).unwrap().with_stance(Stance::at(30.0))),
            "the stance 30 is not one of the issue's positions (0, 25, 50, 75, 100); give the \
             position of the value the party last stated"
        );
        let mut late = Stance::at(25.0);
        late.date = Date::new(-1, 1, 1).ok();
        assert_eq!(
            err(new(&FIVE, 0.0).unwrap().with_stance(late)),
            "the stance's date -000001-01-01 is outside the years 0000–9999; write dates as \
             YYYY-MM-DD"
        );
    }

    #[test]
    fn names_read_back_as_written() {
        for s in Shape::ALL {
            assert_eq!(Shape::parse(s.as_str()), Some(s));
            assert_eq!(s.to_string(), s.as_str());
        }
        for c in Curve::ALL {
            assert_eq!(Curve::parse(c.as_str()), Some(c));
            assert_eq!(c.to_string(), c.as_str());
        }
        assert_eq!(Curve::parse("Linear"), None);
    }

    #[test]
    fn evaluations_are_the_exact_values_rounded_once() {
        // 1 − (34/67)² = 3333/4489: a fraction, not a decimal.
        let e = PositionalEvaluator::new(
            &[0.0, 33.0, 67.0, 100.0],
            33.0,
            Shape::SinglePeaked,
            Curve::Concave,
        )
        .unwrap();
        assert_eq!(
            e.evaluations(),
            [3400.0 / 4489.0, 1.0, 3333.0 / 4489.0, 0.0]
        );
        assert_eq!(e.exact_evaluation(2).map(Rational::to_f64), Some(e.eval(2)));
        assert!(e.interior_ideal());
        assert_eq!(e.eval(9), 0.0);
        assert_eq!(e.exact_evaluation(9), Some(Rational::ZERO));
    }

    /// A scenario whose party `A` scores issue `x` (values a, b, c) with `evaluator`.
    fn scored(positions: Option<Vec<f64>>, evaluator: Evaluator) -> crate::Scenario {
        use crate::{AdditiveUtility, Issue, Role, Scenario};
        let party = |name: &str, e: Evaluator| Party {
            name: name.into(),
            role: Role::Negotiator,
            utility: UtilityFunction::Additive(AdditiveUtility {
                weights: vec![1.0],
                evaluators: vec![e],
                cap_at_one: false,
            }),
            reservation: None,
            discount: None,
            cost_per_round: None,
            description: None,
            capability: None,
            salience: None,
            red_lines: Vec::new(),
            controls: Vec::new(),
        };
        let mut x = Issue::discrete("x", &["a", "b", "c"]);
        x.positions = positions;
        Scenario {
            ranges: crate::Ranges::default(),
            name: "s".into(),
            description: None,
            issues: vec![x],
            parties: vec![
                party("A", evaluator),
                party("B", Evaluator::Table(vec![0.0, 0.5, 1.0])),
            ],
            events: Vec::new(),
            calendar: None,
            texts: Vec::new(),
            exclusions: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// Each case: the issue's positions, the positions the evaluation was built on, and the
    /// error (or `None`).
    #[test]
    fn a_positional_evaluation_fits_its_issue() {
        let cases: [Fit; 3] = [
            (Some(vec![0.0, 50.0, 100.0]), &[0.0, 50.0, 100.0], None),
            (
                None,
                &[0.0, 50.0, 100.0],
                Some("party `A`, issue `x`: a positional evaluation needs the issue's `positions`; give the issue one position (0–100) per value, or score its values in a table"),
            ),
            (
                Some(vec![0.0, 40.0, 100.0]),
                &[0.0, 50.0, 100.0],
                Some("party `A`, issue `x`: the positional evaluation was built on other positions than the issue's; build it from the issue's `positions`"),
            ),
        ];
        for (issue, built, expected) in cases {
            let e = PositionalEvaluator::new(built, 0.0, Shape::Monotone, Curve::Linear).unwrap();
            let s = scored(issue.clone(), Evaluator::Positional(e));
            let got = s.validate().err().map(|e| e.to_string());
            assert_eq!(got.as_deref(), expected, "{issue:?} {built:?}");
        }
        let e = PositionalEvaluator::new(&[0.0, 50.0, 100.0], 0.0, Shape::Monotone, Curve::Linear)
            .unwrap();
        let mut s = scored(None, Evaluator::Positional(e));
        s.issues[0] = crate::Issue::integer("x", 0, 2);
        assert_eq!(
            s.validate().unwrap_err().to_string(),
            "party `A`, issue `x`: a numeric issue needs an evaluation function, not positions"
        );
    }

    #[test]
    fn a_monotone_evaluation_with_an_interior_ideal_is_noted() {
        let positions = vec![0.0, 50.0, 100.0];
        let e = |ideal, shape| {
            Evaluator::Positional(
                PositionalEvaluator::new(&positions, ideal, shape, Curve::Linear).unwrap(),
            )
        };
        let s = scored(Some(positions.clone()), e(50.0, Shape::Monotone));
        assert_eq!(
            s.range_notes(),
            [
                "party `A`, issue `x`: a monotone evaluation with its ideal 50 inside the issue's \
              positions is scored as single-peaked (both sides of the ideal fall); put the ideal \
              at an end, or write `single-peaked`"
            ]
        );
        let s = scored(Some(positions.clone()), e(50.0, Shape::SinglePeaked));
        assert!(s.range_notes().is_empty());
        let s = scored(Some(positions.clone()), e(100.0, Shape::Monotone));
        assert!(s.range_notes().is_empty());
        assert_eq!(s.parties[0].positional(0).map(|p| p.ideal()), Some(100.0));
        assert_eq!(s.parties[1].positional(0), None);
        assert_eq!(s.parties[0].stance_utility(0), None);
    }

    /// Positions on the 0–100 scale (whole numbers, some repeated), unordered.
    fn positions() -> impl Strategy<Value = Vec<f64>> {
        prop::collection::vec(0u8..=100, 2..8)
            .prop_map(|xs| xs.into_iter().map(f64::from).collect())
    }

    fn curve() -> impl Strategy<Value = Curve> {
        prop::sample::select(Curve::ALL.to_vec())
    }

    proptest! {
        /// A monotone evaluation never scores an outcome better than the stance (closer to
        /// the ideal) below the stance; strictly closer scores strictly more. (An evaluation
        /// symmetric around the stance fails this whenever the stance is not the ideal.)
        #[test]
        fn monotone_never_scores_better_than_the_stance_below_it(
            positions in positions(),
            at_top in any::<bool>(),
            pick in any::<prop::sample::Index>(),
            curve in curve(),
        ) {
            let lo = positions.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = positions.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            let ideal = if at_top { hi } else { lo };
            let stance = positions[pick.index(positions.len())];
            let e = PositionalEvaluator::new(&positions, ideal, Shape::Monotone, curve)
                .unwrap()
                .with_stance(Stance::at(stance))
                .unwrap();
            let at_stance = e.stance_utility().unwrap();
            let to_stance = (stance - ideal).abs();
            for (k, &x) in positions.iter().enumerate() {
                let u = e.eval(k as u32);
                let d = (x - ideal).abs();
                if d <= to_stance {
                    prop_assert!(u >= at_stance, "{x} is no farther than {stance} but scores {u} < {at_stance}");
                }
                if d < to_stance {
                    prop_assert!(u > at_stance);
                }
                prop_assert!((0.0..=1.0).contains(&u));
            }
        }

        /// At an interior ideal a single-peaked evaluation rises toward the ideal from below
        /// and falls away from it above; the ideal scores 1, the farthest position 0.
        #[test]
        fn single_peaked_falls_on_both_sides_of_an_interior_ideal(
            positions in positions(),
            pick in any::<prop::sample::Index>(),
            curve in curve(),
            monotone in any::<bool>(),
        ) {
            let mut sorted = positions.clone();
            sorted.sort_by(f64::total_cmp);
            sorted.dedup();
            prop_assume!(sorted.len() >= 3);
            let ideal = sorted[1 + pick.index(sorted.len() - 2)];
            let shape = if monotone { Shape::Monotone } else { Shape::SinglePeaked };
            let e = PositionalEvaluator::new(&sorted, ideal, shape, curve).unwrap();
            prop_assert!(e.interior_ideal());
            let u = e.evaluations();
            let peak = sorted.iter().position(|&x| x == ideal).unwrap();
            prop_assert_eq!(u[peak], 1.0);
            for k in 0..peak {
                prop_assert!(u[k] < u[k + 1], "rises below the ideal: {:?}", u);
            }
            for k in peak..sorted.len() - 1 {
                prop_assert!(u[k] > u[k + 1], "falls above the ideal: {:?}", u);
            }
            prop_assert!(u[0] == 0.0 || u[sorted.len() - 1] == 0.0);
            prop_assert!(u.iter().all(|x| (0.0..=1.0).contains(x)));
        }

        /// Evaluations are exact: the `f64` of each is the exact value rounded once.
        #[test]
        fn evaluations_equal_their_exact_values(
            positions in positions(),
            pick in any::<prop::sample::Index>(),
            curve in curve(),
        ) {
            let ideal = positions[pick.index(positions.len())];
            let e = PositionalEvaluator::new(&positions, ideal, Shape::SinglePeaked, curve).unwrap();
            for k in 0..positions.len() {
                prop_assert_eq!(e.exact_evaluation(k).map(Rational::to_f64), Some(e.eval(k as u32)));
            }
        }
    }
}
