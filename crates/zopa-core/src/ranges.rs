//! Ranges of assumptions a scenario declares for sensitivity analysis: how far each modelling
//! choice may be off (a reservation value, a party's weights, an ideal point, a curve, the
//! size of an event). Reports sweep them and state where a verdict flips.
//!
//! Each range applies to a copy of the scenario ([`Range::apply`]): the analysis stays exact
//! at every point of the sweep.

use crate::outside::{OutsideOption, ReservationChange};
use crate::position::{Curve, PositionalEvaluator};
use crate::scenario::Scenario;
use crate::utility::{Evaluator, UtilityFunction};

/// The scenario's declared ranges, with how many random draws a weights range takes and the
/// seed they come from.
#[derive(Debug, Clone, PartialEq)]
pub struct Ranges {
    pub ranges: Vec<Range>,
    /// Random draws per `weights` range (default [`Ranges::DEFAULT_DRAWS`]).
    pub draws: u32,
    /// Seed of those draws (default 0).
    pub seed: u64,
}

impl Ranges {
    pub const DEFAULT_DRAWS: u32 = 40;
    /// Points tried across a numeric range (both ends included) before bisection refines
    /// where a verdict flips.
    pub const STEPS: u32 = 11;
}

impl Default for Ranges {
    fn default() -> Ranges {
        Ranges {
            ranges: Vec::new(),
            draws: Ranges::DEFAULT_DRAWS,
            seed: 0,
        }
    }
}

/// One assumption and how far it may be off.
#[derive(Debug, Clone, PartialEq)]
pub struct Range {
    pub varies: Varies,
    /// Why this range (a source, or "assumption").
    pub source: Option<String>,
}

/// What a range varies.
#[derive(Debug, Clone, PartialEq)]
pub enum Varies {
    /// A party's reservation value, from `low` to `high` (a no-deal model is replaced by the
    /// number).
    Reservation { party: usize, low: f64, high: f64 },
    /// A party's issue weights: each multiplied by a factor drawn uniformly from
    /// [1 − spread, 1 + spread], then all rescaled to their old sum.
    Weights { party: usize, spread: f64 },
    /// A party's ideal point on an issue it evaluates by position, from `low` to `high`.
    Ideal {
        party: usize,
        issue: usize,
        low: f64,
        high: f64,
    },
    /// The curve of every positional evaluation of a party, each of `curves` in turn.
    Curve { party: usize, curves: Vec<Curve> },
    /// The size of an event's change, scaled by a factor from `low` to `high` (0: the event
    /// does nothing; 1: as declared). For a model event each parameter moves that share of
    /// the way from the party's declared model to the event's value.
    Event { event: usize, low: f64, high: f64 },
}

/// The key that names a range's kind in scenario files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VariesKey {
    Reservation,
    Weights,
    Ideal,
    Curve,
    Scale,
}

impl VariesKey {
    pub const ALL: [VariesKey; 5] = [
        VariesKey::Reservation,
        VariesKey::Weights,
        VariesKey::Ideal,
        VariesKey::Curve,
        VariesKey::Scale,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            VariesKey::Reservation => "reservation",
            VariesKey::Weights => "weights",
            VariesKey::Ideal => "ideal",
            VariesKey::Curve => "curve",
            VariesKey::Scale => "scale",
        }
    }
}

/// A point of a range: a number along it, a draw of weight factors, or one of a list.
#[derive(Debug, Clone, PartialEq)]
pub enum Point {
    /// A value of a numeric range (reservation value, ideal, scale factor).
    Value(f64),
    /// The k-th random draw of a weights range: one factor per issue.
    Draw(u32, Vec<f64>),
    /// The k-th curve of a curve range.
    Choice(usize),
}

impl Varies {
    /// The numeric span, for ranges along a number.
    pub fn span(&self) -> Option<(f64, f64)> {
        match *self {
            Varies::Reservation { low, high, .. }
            | Varies::Ideal { low, high, .. }
            | Varies::Event { low, high, .. } => Some((low, high)),
            Varies::Weights { .. } | Varies::Curve { .. } => None,
        }
    }

    /// What it varies, for people: `Russia's reservation value`, `Ukraine's weights (±30 %)`.
    pub fn describe(&self, s: &Scenario) -> String {
        let party = |p: usize| s.parties.get(p).map_or("?", |p| p.name.as_str());
        match self {
            Varies::Reservation { party: p, .. } => format!("{}'s reservation value", party(*p)),
            Varies::Weights { party: p, spread } => {
                format!("{}'s weights (each ±{:.0} %)", party(*p), spread * 100.0)
            }
            Varies::Ideal {
                party: p, issue, ..
            } => format!(
                "{}'s ideal on {}",
                party(*p),
                s.issues.get(*issue).map_or("?", |i| i.name.as_str())
            ),
            Varies::Curve { party: p, .. } => format!("{}'s utility curve", party(*p)),
            Varies::Event { event, .. } => format!(
                "the size of event {}",
                s.events.get(*event).map_or("?", |e| e.name.as_str())
            ),
        }
    }

    /// The points a sweep tries: [`Ranges::STEPS`] values across a numeric range, each
    /// curve, or `draws` draws of weight factors, each factor 1 + spread·(2u − 1) for a
    /// uniform u ∈ [0, 1) that `uniform` gives (the caller's seeded generator: this crate
    /// draws nothing itself).
    pub fn points(&self, s: &Scenario, draws: u32, uniform: &mut dyn FnMut() -> f64) -> Vec<Point> {
        match self {
            Varies::Weights { spread, .. } => (0..draws)
                .map(|k| {
                    let factors = (0..s.issues.len())
                        .map(|_| 1.0 + spread * (2.0 * uniform() - 1.0))
                        .collect();
                    Point::Draw(k, factors)
                })
                .collect(),
            Varies::Curve { curves, .. } => (0..curves.len()).map(Point::Choice).collect(),
            _ => {
                let (low, high) = self.span().unwrap_or((0.0, 0.0));
                let n = Ranges::STEPS - 1;
                (0..=n)
                    .map(|k| Point::Value(low + (high - low) * k as f64 / n as f64))
                    .collect()
            }
        }
    }

    /// A point for people: `0.45`, `draw 3`, `concave`.
    pub fn label(&self, point: &Point) -> String {
        match (self, point) {
            (_, Point::Value(x)) => format!("{}", crate::round_for_display(*x)),
            (_, Point::Draw(k, _)) => format!("draw {k}"),
            (Varies::Curve { curves, .. }, Point::Choice(k)) => {
                curves.get(*k).map_or("?", |c| c.as_str()).to_string()
            }
            (_, Point::Choice(k)) => format!("choice {k}"),
        }
    }

    /// The scenario with this assumption at `point`. A point that does not fit (an ideal
    /// outside the issue's positions) leaves the scenario as it is.
    pub fn apply(&self, s: &Scenario, point: &Point) -> Scenario {
        let mut s = s.clone();
        match (self, point) {
            (Varies::Reservation { party, .. }, Point::Value(x)) => {
                if let Some(p) = s.parties.get_mut(*party) {
                    p.reservation = Some(OutsideOption::Fixed(*x));
                }
            }
            (Varies::Weights { party, .. }, Point::Draw(_, factors)) => {
                if let Some(UtilityFunction::Additive(a)) =
                    s.parties.get_mut(*party).map(|p| &mut p.utility)
                {
                    let sum: f64 = a.weights.iter().sum();
                    for (w, f) in a.weights.iter_mut().zip(factors) {
                        *w *= f;
                    }
                    let new: f64 = a.weights.iter().sum();
                    if new > 0.0 {
                        for w in a.weights.iter_mut() {
                            *w *= sum / new;
                        }
                    }
                }
            }
            (
                Varies::Ideal {
                    party, issue: i, ..
                },
                Point::Value(x),
            ) => {
                if let Some(UtilityFunction::Additive(a)) =
                    s.parties.get_mut(*party).map(|p| &mut p.utility)
                {
                    if let Some(Evaluator::Positional(e)) = a.evaluators.get_mut(*i) {
                        if let Some(moved) = refit(e, Some(*x), None) {
                            *e = moved;
                        }
                    }
                }
            }
            (Varies::Curve { party, curves }, Point::Choice(k)) => {
                if let (Some(UtilityFunction::Additive(a)), Some(&curve)) = (
                    s.parties.get_mut(*party).map(|p| &mut p.utility),
                    curves.get(*k),
                ) {
                    for e in a.evaluators.iter_mut() {
                        if let Evaluator::Positional(p) = e {
                            if let Some(moved) = refit(p, None, Some(curve)) {
                                *p = moved;
                            }
                        }
                    }
                }
            }
            (Varies::Event { event, .. }, Point::Value(x)) => {
                let party = s.events.get(*event).map(|e| e.party);
                let declared = party.map(|p| {
                    (
                        s.parties[p].reservation_value(),
                        s.parties[p].no_deal().copied(),
                    )
                });
                if let (Some(e), Some((rv, model))) = (s.events.get_mut(*event), declared) {
                    e.change = e.change.map(|c| scale(c, *x, rv, model));
                }
            }
            _ => {}
        }
        s
    }
}

/// A positional evaluation with another ideal or curve, its stance kept.
fn refit(
    e: &PositionalEvaluator,
    ideal: Option<f64>,
    curve: Option<Curve>,
) -> Option<PositionalEvaluator> {
    let fresh = PositionalEvaluator::new(
        e.positions(),
        ideal.unwrap_or(e.ideal()),
        e.shape(),
        curve.unwrap_or(e.curve()),
    )
    .ok()?;
    match e.stance() {
        Some(st) => fresh.with_stance(st.clone()).ok(),
        None => Some(fresh),
    }
}

/// An event's change at `k` times its size, measured from the party's declared outside
/// option: a shift times `k`; a new value `k` of the way from the declared reservation value
/// `rv`; each model parameter the event sets `k` of the way from the declared model's.
pub fn scale(
    c: ReservationChange,
    k: f64,
    rv: f64,
    model: Option<crate::NoDeal>,
) -> ReservationChange {
    match c {
        ReservationChange::Shift(d) => ReservationChange::Shift(d * k),
        ReservationChange::Set(v) => ReservationChange::Set(rv + k * (v - rv)),
        ReservationChange::Model(mut m) => {
            if let Some(model) = model {
                for key in crate::NoDealKey::ALL {
                    if let (Some(to), Some(from)) = (m.get(key), model.get(key)) {
                        m.set(key, from + k * (to - from));
                    }
                }
            }
            ReservationChange::Model(m)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        AdditiveUtility, EventTime, Issue, NoDeal, NoDealChange, Party, Role, ScenarioEvent, Shape,
        Stance,
    };

    fn scenario() -> Scenario {
        let mut x = Issue::discrete("x", &["a", "b", "c"]);
        x.positions = Some(vec![0.0, 50.0, 100.0]);
        let evaluator = |ideal: f64| {
            Evaluator::Positional(
                PositionalEvaluator::new(
                    &[0.0, 50.0, 100.0],
                    ideal,
                    Shape::Monotone,
                    Curve::Linear,
                )
                .unwrap()
                .with_stance(Stance::at(50.0))
                .unwrap(),
            )
        };
        let party = |name: &str, ideal: f64, reservation: OutsideOption| Party {
            name: name.into(),
            role: Role::Negotiator,
            utility: UtilityFunction::Additive(AdditiveUtility {
                weights: vec![0.25, 0.75],
                evaluators: vec![evaluator(ideal), Evaluator::Table(vec![1.0, 0.0])],
                cap_at_one: false,
            }),
            reservation: Some(reservation),
            discount: None,
            cost_per_round: None,
            description: None,
            capability: None,
            salience: None,
            red_lines: Vec::new(),
            controls: Vec::new(),
        };
        let event = |name: &str, party: usize, change: ReservationChange| ScenarioEvent {
            name: name.into(),
            party,
            at: EventTime::Round(2),
            until: None,
            change: Some(change),
            stances: Vec::new(),
            description: None,
        };
        Scenario {
            name: "r".into(),
            description: None,
            issues: vec![x, Issue::discrete("y", &["p", "q"])],
            parties: vec![
                party("A", 0.0, OutsideOption::Fixed(0.3)),
                party(
                    "B",
                    100.0,
                    OutsideOption::NoDeal(NoDeal::markov(0.02, 0.01, 0.001)),
                ),
            ],
            events: vec![
                event("shift", 0, ReservationChange::Shift(-0.1)),
                event("set", 0, ReservationChange::Set(0.5)),
                event(
                    "model",
                    1,
                    ReservationChange::Model(NoDealChange {
                        prevail: Some(0.04),
                        ..Default::default()
                    }),
                ),
            ],
            calendar: None,
            texts: Vec::new(),
            exclusions: Vec::new(),
            notes: Vec::new(),
            ranges: Ranges::default(),
        }
    }

    fn weights(s: &Scenario, p: usize) -> Vec<f64> {
        match &s.parties[p].utility {
            UtilityFunction::Additive(a) => a.weights.clone(),
            _ => unreachable!(),
        }
    }

    #[test]
    fn numeric_ranges_are_tried_at_evenly_spaced_points_both_ends_included() {
        let s = scenario();
        let r = Varies::Reservation {
            party: 0,
            low: 0.2,
            high: 0.7,
        };
        let points = r.points(&s, 40, &mut || 0.5);
        assert_eq!(points.len(), Ranges::STEPS as usize);
        assert_eq!(points[0], Point::Value(0.2));
        assert_eq!(points[10], Point::Value(0.7));
        assert_eq!(
            r.apply(&s, &Point::Value(0.45)).parties[0].reservation_value(),
            0.45
        );
        assert_eq!(r.label(&points[10]), "0.7");
    }

    #[test]
    fn drawn_weights_keep_their_sum_and_move_within_the_spread() {
        let s = scenario();
        let r = Varies::Weights {
            party: 0,
            spread: 0.2,
        };
        let mut u = [0.0, 0.99].into_iter().cycle();
        let points = r.points(&s, 3, &mut || u.next().unwrap());
        assert_eq!(points.len(), 3);
        let Point::Draw(0, f) = &points[0] else {
            panic!("{points:?}")
        };
        assert_eq!(f.len(), 2);
        assert!(
            (f[0] - 0.8).abs() < 1e-12 && (f[1] - 1.196).abs() < 1e-12,
            "{f:?}"
        );
        let w = weights(&r.apply(&s, &points[0]), 0);
        assert!((w.iter().sum::<f64>() - 1.0).abs() < 1e-12, "{w:?}");
        assert!(w[0] < 0.25 && w[1] > 0.75, "{w:?}");
        assert_eq!(weights(&r.apply(&s, &points[0]), 1), weights(&s, 1));
    }

    #[test]
    fn an_ideal_or_a_curve_refits_the_evaluation_and_keeps_the_stance() {
        let s = scenario();
        let moved = Varies::Ideal {
            party: 0,
            issue: 0,
            low: 0.0,
            high: 50.0,
        }
        .apply(&s, &Point::Value(50.0));
        let x = moved.parties[0].positional(0).unwrap();
        assert_eq!((x.ideal(), x.evaluations()), (50.0, &[0.0, 1.0, 0.0][..]));
        assert_eq!(x.stance().unwrap().position, 50.0);
        let concave = Varies::Curve {
            party: 1,
            curves: vec![Curve::Linear, Curve::Concave],
        }
        .apply(&s, &Point::Choice(1));
        let x = concave.parties[1].positional(0).unwrap();
        assert_eq!(x.curve(), Curve::Concave);
        assert_eq!(x.evaluations(), [0.0, 0.75, 1.0]);
        // A point that does not fit leaves the scenario as it is.
        let outside = Varies::Ideal {
            party: 0,
            issue: 0,
            low: 0.0,
            high: 50.0,
        }
        .apply(&s, &Point::Value(150.0));
        assert_eq!(outside, s);
    }

    #[test]
    fn a_scaled_event_moves_its_share_of_the_way() {
        let s = scenario();
        let scaled = |event: usize, k: f64| {
            Varies::Event {
                event,
                low: 0.0,
                high: 2.0,
            }
            .apply(&s, &Point::Value(k))
            .events[event]
                .change
        };
        assert_eq!(scaled(0, 2.0), Some(ReservationChange::Shift(-0.2)));
        assert_eq!(scaled(0, 0.0), Some(ReservationChange::Shift(-0.0)));
        // Set 0.5 from the declared 0.3: half the size is 0.4.
        let Some(ReservationChange::Set(v)) = scaled(1, 0.5) else {
            panic!()
        };
        assert!((v - 0.4).abs() < 1e-12, "{v}");
        // prevail 0.02 → 0.04: half the size is 0.03; none, the declared 0.02.
        let prevail = |k: f64| match scaled(2, k) {
            Some(ReservationChange::Model(c)) => c.prevail.unwrap(),
            other => panic!("{other:?}"),
        };
        assert!((prevail(0.5) - 0.03).abs() < 1e-12);
        assert_eq!(prevail(0.0), 0.02);
    }
}
