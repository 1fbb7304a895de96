//! Where the scenario's named texts (the real drafts) stand in an analysis: each analysed
//! party's utility and share of its surplus, individual rationality, the distance to the
//! Pareto frontier, and who gained and who lost from one text to the next.

use num_bigint::BigUint;

use super::exact::Rational;
use super::Analysis;
use crate::restriction::Restriction;
use crate::scenario::Scenario;

/// One text placed against an [`Analysis`]; vectors are in the order of
/// [`Analysis::parties`].
#[derive(Debug, Clone, PartialEq)]
pub struct TextPlacement {
    /// Index into [`Scenario::texts`].
    pub text: usize,
    /// Each analysed party's utility of the text (as the analysis computes utilities: exact
    /// where the numbers are short decimals or small fractions).
    pub utilities: Vec<f64>,
    /// Each party's share of what it could gain over walking away, `(u − rv) / (best − rv)`
    /// with `rv` its reservation value and `best` its best utility over the analysed
    /// outcomes ([`Analysis::ideal`]): 0 at the reservation value, 1 at its best, negative
    /// below the reservation value. `None` (with a note) when `best ≤ rv`, where there is no
    /// surplus to share.
    pub surplus: Vec<Option<f64>>,
    /// Every analysed party gets at least its reservation value and the text breaches no
    /// restriction of the analysis: it is in the zone of possible agreement.
    pub in_zopa: bool,
    /// The restrictions of the analysis the text breaches ([`Scenario::breaches_for`] the
    /// analysed parties), in the order of [`Analysis::restrictions`]; empty: admissible.
    pub breaches: Vec<Restriction>,
    /// Euclidean distance in utility space to the nearest point of [`Analysis::frontier`]; 0
    /// on the frontier. `None` (with a note) when the frontier is empty (under the negmas
    /// definitions, when no outcome is individually rational).
    pub pareto_distance: Option<f64>,
    /// Positions in [`Analysis::frontier`] of the frontier deals that dominate the text: as
    /// good for every analysed party and better for one. Empty on the frontier.
    pub dominated_by: Vec<usize>,
    /// The change from the text before it in date order; `None` for the first.
    pub change: Option<TextChange>,
    /// Why a number is missing, for people.
    pub notes: Vec<String>,
}

/// How utilities moved from one text to the next.
#[derive(Debug, Clone, PartialEq)]
pub struct TextChange {
    /// Index into [`Scenario::texts`] of the text before.
    pub previous: usize,
    /// This text's utility minus the previous one's, per analysed party; `None` (with a note)
    /// where the difference is too large for a number.
    pub delta: Vec<Option<f64>>,
}

impl TextChange {
    /// Positions (in [`Analysis::parties`]) of the parties this text gives more.
    pub fn gained(&self) -> Vec<usize> {
        (0..self.delta.len())
            .filter(|&i| self.delta[i].is_some_and(|d| d > 0.0))
            .collect()
    }

    /// Positions (in [`Analysis::parties`]) of the parties this text gives less.
    pub fn lost(&self) -> Vec<usize> {
        (0..self.delta.len())
            .filter(|&i| self.delta[i].is_some_and(|d| d < 0.0))
            .collect()
    }
}

/// `a − b`, exactly where both are short decimals or small fractions, rounded once (so
/// `0.64 − 0.12` is `0.52`, not `0.52000000000000004`); `None` when it is not a finite number.
fn difference(a: f64, b: f64) -> Option<f64> {
    let d = Rational::from_f64(a)
        .zip(Rational::from_f64(b))
        .and_then(|(a, b)| a.sub(b))
        .map_or(a - b, Rational::to_f64)
        + 0.0;
    d.is_finite().then_some(d)
}

/// `(u − rv) / (best − rv)`, exactly where the numbers allow; `None` when `best ≤ rv` or the
/// result is not a finite number.
fn surplus_share(u: f64, rv: f64, best: f64) -> Option<f64> {
    if best.partial_cmp(&rv)?.is_le() {
        return None;
    }
    let exact = || {
        let (u, rv, best) = (
            Rational::from_f64(u)?,
            Rational::from_f64(rv)?,
            Rational::from_f64(best)?,
        );
        Some(u.sub(rv)?.div(best.sub(rv)?)?.to_f64())
    };
    let share = exact().unwrap_or_else(|| (u - rv) / (best - rv)) + 0.0;
    share.is_finite().then_some(share)
}

/// The Euclidean distance from `u` to `p`, through `hypot` (no overflow for utilities near
/// the largest numbers), from differences taken by `diff`.
fn distance(u: &[f64], p: &[f64], diff: impl Fn(f64, f64) -> Option<f64>) -> Option<f64> {
    u.iter()
        .zip(p)
        .try_fold(0.0f64, |acc, (&a, &b)| Some(acc.hypot(diff(a, b)?)))
}

/// The Euclidean distance from `u` to the nearest of `points`: found in floating point, then
/// measured from exact differences (so 0.5 from 0.6 is 0.1); `None` for no points.
fn nearest_distance<'a>(u: &[f64], points: impl Iterator<Item = &'a [f64]>) -> Option<f64> {
    let float = |a: f64, b: f64| Some(a - b);
    let nearest = points
        .filter_map(|p| Some((distance(u, p, float)?, p)))
        .min_by(|a, b| a.0.total_cmp(&b.0))?
        .1;
    distance(u, nearest, difference)
}

/// Places every text of `scenario` against `analysis` (made of that scenario), in date
/// order ([`Scenario::texts_in_date_order`]): undated texts last, in file order.
///
/// ```
/// use zopa_core::analysis::{analyze, place_texts, AnalysisConfig, Definitions};
/// use zopa_core::{
///     AdditiveUtility, Evaluator, Issue, Party, Role, Scenario, Text, UtilityFunction, Value,
/// };
/// let party = |name: &str, table: Vec<f64>| Party {
///     name: name.into(),
///     role: Role::Negotiator,
///     utility: UtilityFunction::Additive(AdditiveUtility {
///         weights: vec![1.0],
///         evaluators: vec![Evaluator::Table(table)],
///         cap_at_one: false,
///     }),
///     reservation: Some(0.25.into()),
///     discount: None,
///     cost_per_round: None,
///     description: None,
///     capability: None,
///     salience: None,
///     red_lines: Vec::new(),
///     controls: Vec::new(),
/// };
/// let s = Scenario {
///     name: "split".into(),
///     description: None,
///     issues: vec![Issue::discrete("share", &["low", "mid", "high"])],
///     parties: vec![party("A", vec![0.0, 0.5, 1.0]), party("B", vec![1.0, 0.5, 0.0])],
///     events: Vec::new(),
///     calendar: None,
///     texts: vec![Text {
///         name: "even".into(),
///         date: None,
///         source: None,
///         description: None,
///         outcome: vec![Value::Discrete(1)],
///         labels: vec![None],
///     }],
///     exclusions: Vec::new(),
///     notes: Vec::new(),
///     ranges: Default::default(),
/// };
/// let a = analyze(&s, &AnalysisConfig::new(Definitions::Zopa)).unwrap();
/// let even = &place_texts(&s, &a)[0];
/// assert_eq!(even.utilities, [0.5, 0.5]);
/// assert_eq!(even.surplus, [Some(1.0 / 3.0), Some(1.0 / 3.0)]);
/// assert!(even.in_zopa);
/// assert_eq!(even.pareto_distance, Some(0.0));
/// ```
pub fn place_texts(scenario: &Scenario, analysis: &Analysis) -> Vec<TextPlacement> {
    let mut placed: Vec<TextPlacement> = Vec::with_capacity(scenario.texts.len());
    for k in scenario.texts_in_date_order() {
        let text = &scenario.texts[k];
        let mut notes = Vec::new();
        let utilities: Vec<f64> = analysis
            .parties
            .iter()
            .map(|&p| scenario.parties[p].utility.eval_exact(&text.outcome))
            .collect();
        let surplus = (0..utilities.len())
            .map(|i| {
                let (u, rv, best) = (utilities[i], analysis.reserved[i], analysis.ideal[i]);
                let share = surplus_share(u, rv, best);
                if share.is_none() {
                    let party = &scenario.parties[analysis.parties[i]].name;
                    notes.push(if analysis.frontier.is_empty() && !best.is_finite() {
                        format!(
                            "`{party}` has no surplus to share: no outcome meets the restrictions \
                             of this analysis"
                        )
                    } else if best.partial_cmp(&rv).is_none_or(|o| o.is_le()) {
                        format!(
                            "`{party}` has no surplus to share: no outcome gives it more than \
                             its reservation value {rv} (its best is {best})"
                        )
                    } else {
                        format!(
                            "`{party}`'s surplus share is too large for a number (utility {u}, \
                             reservation value {rv}, best {best})"
                        )
                    });
                }
                share
            })
            .collect();
        let breaches = scenario.breaches_for(&text.outcome, &analysis.parties);
        let in_zopa = breaches.is_empty()
            && utilities
                .iter()
                .zip(&analysis.reserved)
                .all(|(u, rv)| u >= rv);
        let pareto_distance = nearest_distance(
            &utilities,
            analysis.frontier.iter().map(|p| p.utilities.as_slice()),
        )
        .filter(|d| d.is_finite());
        if pareto_distance.is_none() {
            notes.push(if analysis.analysed_admissible == BigUint::ZERO {
                "no distance to the Pareto frontier: the frontier is empty (no outcome meets \
                 the restrictions of this analysis)"
                    .to_string()
            } else if analysis.frontier.is_empty() {
                "no distance to the Pareto frontier: the frontier is empty (no outcome is \
                 individually rational under these definitions)"
                    .to_string()
            } else {
                "the distance to the Pareto frontier is too large for a number".to_string()
            });
        }
        if let Some(i) = utilities.iter().position(|u| !u.is_finite()) {
            let party = &scenario.parties[analysis.parties[i]].name;
            notes.push(format!(
                "`{party}`'s utility of this text is not a finite number"
            ));
        }
        let change = placed.last().map(|before| TextChange {
            previous: before.text,
            delta: utilities
                .iter()
                .zip(&before.utilities)
                .map(|(&now, &then)| difference(now, then))
                .collect(),
        });
        if let Some(i) = change
            .as_ref()
            .and_then(|c| c.delta.iter().position(Option::is_none))
        {
            let party = &scenario.parties[analysis.parties[i]].name;
            notes.push(format!(
                "`{party}`'s change from the text before is too large for a number"
            ));
        }
        let dominated_by = analysis
            .frontier
            .iter()
            .enumerate()
            .filter(|(_, f)| {
                f.utilities.iter().zip(&utilities).all(|(a, b)| a >= b)
                    && f.utilities.iter().zip(&utilities).any(|(a, b)| a > b)
            })
            .map(|(i, _)| i)
            .collect();
        placed.push(TextPlacement {
            text: k,
            utilities,
            surplus,
            in_zopa,
            breaches,
            pareto_distance,
            dominated_by,
            change,
            notes,
        });
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, AnalysisConfig, Definitions};
    use crate::calendar::parse_date;
    use crate::issue::{Issue, Value};
    use crate::scenario::{Party, Role};
    use crate::text::Text;
    use crate::utility::{AdditiveUtility, Evaluator, UtilityFunction};

    fn party(name: &str, x: [f64; 3], y: [f64; 2], rv: f64) -> Party {
        Party {
            name: name.into(),
            role: Role::Negotiator,
            utility: UtilityFunction::Additive(AdditiveUtility {
                weights: vec![0.5, 0.5],
                evaluators: vec![Evaluator::Table(x.to_vec()), Evaluator::Table(y.to_vec())],
                cap_at_one: false,
            }),
            reservation: Some(rv.into()),
            discount: None,
            cost_per_round: None,
            description: None,
            capability: None,
            salience: None,
            red_lines: Vec::new(),
            controls: Vec::new(),
        }
    }

    fn text(name: &str, date: Option<&str>, x: u32, y: u32) -> Text {
        Text {
            name: name.into(),
            date: date.map(|d| parse_date(d).unwrap()),
            source: None,
            description: None,
            outcome: vec![Value::Discrete(x), Value::Discrete(y)],
            labels: vec![None, None],
        }
    }

    /// Frontier (A, B): (0, 1), (0.25, 0.75), (0.5, 0.6), (0.75, 0.35), (1, 0.1); (c, p) at
    /// (0.5, 0.5) is dominated by (a, q). Reservation values A 0.2, B 0.3.
    fn scenario(rv_b: f64) -> Scenario {
        Scenario {
            ranges: crate::Ranges::default(),
            name: "two issues".into(),
            description: None,
            issues: vec![
                Issue::discrete("x", &["a", "b", "c"]),
                Issue::discrete("y", &["p", "q"]),
            ],
            parties: vec![
                party("A", [0.0, 0.5, 1.0], [0.0, 1.0], 0.2),
                party("B", [1.0, 0.5, 0.0], [1.0, 0.2], rv_b),
            ],
            events: Vec::new(),
            calendar: None,
            texts: vec![
                text("undated", None, 1, 1),
                text("c-p", Some("2025-11-23"), 2, 0),
                text("a-p", Some("2025-11-20"), 0, 0),
            ],
            exclusions: Vec::new(),
            notes: Vec::new(),
        }
    }

    #[test]
    fn texts_are_placed_in_date_order_against_the_frontier() {
        let s = scenario(0.3);
        s.validate().unwrap();
        let a = analyze(&s, &AnalysisConfig::new(Definitions::Zopa)).unwrap();
        let placed = place_texts(&s, &a);
        let order: Vec<&str> = placed
            .iter()
            .map(|p| s.texts[p.text].name.as_str())
            .collect();
        assert_eq!(order, ["a-p", "c-p", "undated"]);
        // (utilities, surplus, in zopa, distance)
        let expected = [
            ([0.0, 1.0], [Some(-0.25), Some(1.0)], false, Some(0.0)),
            ([0.5, 0.5], [Some(0.375), Some(2.0 / 7.0)], true, Some(0.1)),
            (
                [0.75, 0.35],
                [Some(0.6875), Some(1.0 / 14.0)],
                true,
                Some(0.0),
            ),
        ];
        for (p, (u, surplus, in_zopa, d)) in placed.iter().zip(expected) {
            assert_eq!(p.utilities, u);
            assert_eq!(p.surplus, surplus);
            assert_eq!(p.in_zopa, in_zopa);
            assert_eq!(p.pareto_distance, d);
            assert!(p.notes.is_empty(), "{:?}", p.notes);
            // Dominated exactly when off the frontier, by frontier deals that dominate it.
            assert_eq!(p.dominated_by.is_empty(), d == Some(0.0));
            for &f in &p.dominated_by {
                let fu = &a.frontier[f].utilities;
                assert!(fu.iter().zip(&p.utilities).all(|(x, y)| x >= y));
                assert!(fu.iter().zip(&p.utilities).any(|(x, y)| x > y));
            }
        }
        assert_eq!(placed[0].change, None);
        let change = placed[1].change.as_ref().unwrap();
        assert_eq!(change.previous, 2);
        assert_eq!(change.delta, [Some(0.5), Some(-0.5)]);
        assert_eq!((change.gained(), change.lost()), (vec![0], vec![1]));
        // Exact differences: 0.35 − 0.5 is −0.15, not −0.15000000000000002.
        let change = placed[2].change.as_ref().unwrap();
        assert_eq!(change.delta, [Some(0.25), Some(-0.15)]);
    }

    #[test]
    fn missing_numbers_are_none_with_a_note() {
        // B's reservation value is its best utility: no surplus to share.
        let s = scenario(1.0);
        let a = analyze(&s, &AnalysisConfig::new(Definitions::Zopa)).unwrap();
        let placed = place_texts(&s, &a);
        assert_eq!(placed[0].surplus[1], None);
        assert_eq!(
            placed[0].notes,
            ["`B` has no surplus to share: no outcome gives it more than its reservation value 1 (its best is 1)"]
        );
        // Under negmas's definitions only rational outcomes make the frontier; here none is.
        let a = analyze(&s, &AnalysisConfig::new(Definitions::Negmas)).unwrap();
        assert!(a.frontier.is_empty());
        let placed = place_texts(&s, &a);
        assert_eq!(placed[1].pareto_distance, None);
        assert!(placed[1]
            .notes
            .iter()
            .any(|n| n.starts_with("no distance to the Pareto frontier")));
    }

    #[test]
    fn distances_and_differences_hold_at_the_extremes() {
        // Squares of 1e200 overflow; hypot does not.
        let far = nearest_distance(&[3e200, 4e200], [[0.0, 0.0].as_slice()].into_iter());
        assert!(
            far.is_some_and(|d| (d / 5e200 - 1.0).abs() < 1e-15),
            "{far:?}"
        );
        assert_eq!(difference(f64::MAX, -f64::MAX), None);
        assert_eq!(difference(0.64, 0.12), Some(0.52));
        assert_eq!(surplus_share(0.5, 0.5, 0.5), None);
        assert_eq!(surplus_share(0.5, f64::NAN, 1.0), None);
        assert_eq!(surplus_share(0.4, 0.3, 0.7), Some(0.25));
        assert_eq!(nearest_distance(&[0.5], std::iter::empty()), None);
    }
}
