//! What a stored row can say, and which rows say something impossible (a corrupted byte, a
//! hand edit): the report leaves those out and names them instead of averaging them.
//!
//! Checks that need nothing but the row: known end, agreement present exactly when agreed,
//! finite numbers, welfare = the sum of the two utilities, distances ≥ 0 and the Pareto
//! distance at most the Nash distance (the Nash point is on the frontier), time in [0, 1].
//! From the stored tournament: rounds and repetition within the file's. From the bounds
//! stored per scenario when it ran (meta keys `bounds:<scenario>`): each utility within what
//! the party's utility function can give (for an agreement) or what its reservation value
//! can become (otherwise), the reservation value as the scenario sets it, distances within
//! the span of those utilities.

use std::collections::HashMap;

use serde_json::{json, Value as Json};
use zopa_core::{
    Aggregation, Evaluator, IssueKind, NumericEvaluator, ReservationChange, Scenario,
    UtilityFunction,
};

use crate::config::TournamentError;
use crate::store::{Row, Store};

/// Meta key prefix of a scenario's bounds.
pub const BOUNDS: &str = "bounds:";

/// What the seated parties of one scenario can score, as stored with the results.
#[derive(Debug, Clone, PartialEq)]
pub struct Bounds(Json);

/// Smallest interval holding both.
fn hull(a: (f64, f64), b: (f64, f64)) -> (f64, f64) {
    (a.0.min(b.0), a.1.max(b.1))
}

/// The interval `w · [lo, hi]`.
fn scale(w: f64, (lo, hi): (f64, f64)) -> (f64, f64) {
    let (x, y) = (w * lo, w * hi);
    (x.min(y), x.max(y))
}

/// Every value an evaluator can give over an issue's values (an enclosing interval).
fn evaluator_range(e: &Evaluator, kind: &IssueKind) -> Option<(f64, f64)> {
    match e {
        Evaluator::Table(_) | Evaluator::Positional(_) => e
            .evaluations()?
            .iter()
            .map(|&x| (x, x))
            .reduce(hull)
            .or(Some((0.0, 0.0))),
        Evaluator::Numeric(n) => {
            let (lo, hi) = match kind {
                IssueKind::Integer { min, max } => (*min as f64, *max as f64),
                IssueKind::Real { min, max } => (*min, *max),
                IssueKind::Discrete { .. } => return None,
            };
            Some(match *n {
                NumericEvaluator::Linear { clamp: true, .. } => {
                    let (a, b) = (n.eval(lo), n.eval(hi));
                    (a.min(b), a.max(b))
                }
                NumericEvaluator::Linear { .. } => {
                    let (a, b) = (n.eval(lo), n.eval(hi));
                    (a.min(b), a.max(b))
                }
                NumericEvaluator::Triangular { .. } => (0.0, 1.0),
                NumericEvaluator::Constant(c) => (c, c),
                NumericEvaluator::Interpolated {
                    low_utility,
                    high_utility,
                    ..
                } => hull(
                    (0.0, 0.0),
                    (low_utility.min(high_utility), low_utility.max(high_utility)),
                ),
            })
        }
    }
}

/// An interval holding every utility `u` can give; `None` when it cannot be bounded.
pub fn utility_range(u: &UtilityFunction, scenario: &Scenario) -> Option<(f64, f64)> {
    let (lo, hi) = match u {
        UtilityFunction::Additive(a) => {
            let mut sum = (0.0, 0.0);
            for ((w, e), issue) in a.weights.iter().zip(&a.evaluators).zip(&scenario.issues) {
                let (x, y) = scale(*w, evaluator_range(e, &issue.kind)?);
                sum = (sum.0 + x, sum.1 + y);
            }
            if a.cap_at_one {
                (sum.0.min(1.0), sum.1.min(1.0))
            } else {
                sum
            }
        }
        UtilityFunction::Constraint(c) => {
            let parts = c.rectangles.iter().map(|r| r.utility * c.weight);
            let (lo, hi) = match c.aggregation {
                Aggregation::Sum => {
                    parts.fold((0.0, 0.0), |(lo, hi), x| (lo + x.min(0.0), hi + x.max(0.0)))
                }
                Aggregation::Min | Aggregation::Max => {
                    parts.fold((0.0, 0.0), |acc, x| hull(acc, (x, x)))
                }
            };
            if c.max_utility == 0.0 || !c.max_utility.is_finite() {
                return None;
            }
            let (lo, hi) = scale(1.0 / c.max_utility, (lo, hi));
            (lo.min(1.0), hi.min(1.0))
        }
    };
    (lo.is_finite() && hi.is_finite()).then_some((lo, hi))
}

/// Every reservation value party `i` can have: its own, and what any of its scheduled events
/// can make of it (fired or not, in order). For a party whose events move its no-deal model:
/// the model's values over the box of models the events can make
/// ([`Scenario::no_deal_corners`]), plus what its `shift` and `reservation` events add.
pub fn reservation_range(scenario: &Scenario, i: usize) -> (f64, f64) {
    let models = scenario
        .no_deal_corners(i)
        .iter()
        .map(|m| (m.value(), m.value()))
        .reduce(hull);
    let rv = scenario.parties[i].reservation_value();
    // Without model events, the range of the value itself; with them, of what the other
    // events add to the model's value.
    let mut range = if models.is_some() {
        (0.0, 0.0)
    } else {
        (rv, rv)
    };
    let (lo, hi) = models.unwrap_or((0.0, 0.0));
    for e in scenario.events.iter().filter(|e| e.party == i) {
        let moved = match e.change {
            Some(ReservationChange::Set(v)) => (v - hi, v - lo),
            Some(ReservationChange::Shift(d)) => (range.0 + d, range.1 + d),
            Some(ReservationChange::Model(_)) | None => range,
        };
        range = hull(range, moved);
    }
    (range.0 + lo, range.1 + hi)
}

impl Bounds {
    /// The bounds of the parties in `seats`.
    pub fn of(scenario: &Scenario, seats: &[usize]) -> Bounds {
        let mut parties = serde_json::Map::new();
        for &i in seats {
            let p = &scenario.parties[i];
            let (lo, hi) = reservation_range(scenario, i);
            parties.insert(
                p.name.clone(),
                json!({
                    "utility": utility_range(&p.utility, scenario).map(|(a, b)| [a, b]),
                    "reservation": [lo, hi],
                    "reserved": p.reservation_value(),
                }),
            );
        }
        Bounds(json!({ "parties": parties }))
    }

    fn parse(text: &str) -> Option<Bounds> {
        serde_json::from_str(text).ok().map(Bounds)
    }

    fn interval(&self, party: &str, key: &str) -> Option<(f64, f64)> {
        let v = self.0.get("parties")?.get(party)?.get(key)?;
        Some((v.get(0)?.as_f64()?, v.get(1)?.as_f64()?))
    }

    fn reserved(&self, party: &str) -> Option<f64> {
        self.0.get("parties")?.get(party)?.get("reserved")?.as_f64()
    }
}

impl std::fmt::Display for Bounds {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// What the checks know besides the rows: the tournament's rounds and repetitions, the plan
/// size and each scenario's bounds.
#[derive(Debug, Clone, Default)]
pub struct Checks {
    rounds: Option<u64>,
    repetitions: Option<u64>,
    total: Option<usize>,
    bounds: HashMap<String, Bounds>,
}

/// Room for rounding: results are computed, never typed in.
fn near(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-9 * a.abs().max(b.abs()).max(1.0)
}

fn within(x: f64, (lo, hi): (f64, f64)) -> bool {
    let slack = 1e-9 * lo.abs().max(hi.abs()).max(1.0);
    x >= lo - slack && x <= hi + slack
}

const ENDS: [&str; 5] = ["agreement", "deadline", "walkaway", "rejected", "error"];

impl Checks {
    /// Reads what a database says about its tournament (older databases store no bounds; their
    /// rows get the checks that need none).
    pub fn of(store: &Store) -> Result<Checks, TournamentError> {
        let config: Option<Json> = store
            .meta("config")?
            .and_then(|c| serde_json::from_str(&c).ok());
        let key = |k: &str| {
            config
                .as_ref()
                .and_then(|c| c.get(k))
                .and_then(Json::as_u64)
        };
        let mut bounds = HashMap::new();
        for (k, v) in store.meta_with_prefix(BOUNDS)? {
            if let Some(b) = Bounds::parse(&v) {
                bounds.insert(k[BOUNDS.len()..].to_string(), b);
            }
        }
        Ok(Checks {
            rounds: key("rounds"),
            repetitions: key("repetitions"),
            total: store.meta("total")?.and_then(|t| t.parse().ok()),
            bounds,
        })
    }

    /// What is impossible about `r` (empty when nothing is).
    pub fn problems(&self, r: &Row) -> Vec<String> {
        let mut out = Vec::new();
        if !ENDS.contains(&r.end.as_str()) {
            out.push(format!("end `{}` is none of {}", r.end, ENDS.join(", ")));
        }
        match (r.end == "agreement", &r.agreement) {
            (true, None) => out.push("an agreement without its outcome".into()),
            (false, Some(_)) => out.push(format!("an outcome stored for end `{}`", r.end)),
            _ => {}
        }
        let numbers = [
            ("utility_first", Some(r.utility_first)),
            ("utility_second", Some(r.utility_second)),
            ("reserved_first", Some(r.reserved_first)),
            ("reserved_second", Some(r.reserved_second)),
            ("welfare", Some(r.welfare)),
            ("pareto_distance", r.pareto_distance),
            ("nash_distance", r.nash_distance),
            ("time", Some(r.time)),
        ];
        for (name, x) in numbers {
            if let Some(x) = x.filter(|x| !x.is_finite()) {
                out.push(format!("{name} {x} is not a finite number"));
            }
        }
        for (side, m) in [("first", &r.model_first), ("second", &r.model_second)] {
            let Some(m) = m else { continue };
            for (name, x, lo, hi) in [
                ("rmse", m.rmse, 0.0, f64::INFINITY),
                ("kendall_tau", m.kendall_tau, -1.0, 1.0),
                ("spearman", m.spearman, -1.0, 1.0),
                ("kendall_optimality", m.kendall_optimality, 0.0, 1.0),
            ] {
                if !x.is_finite() {
                    out.push(format!("{name}_{side} {x} is not a finite number"));
                } else if x < lo - 1e-9 || x > hi + 1e-9 {
                    out.push(format!("{name}_{side} {x} is outside [{lo}, {hi}]"));
                }
            }
        }
        if r.welfare.is_finite() && !near(r.welfare, r.utility_first + r.utility_second) {
            out.push(format!(
                "welfare {} is not utility_first + utility_second = {}",
                r.welfare,
                r.utility_first + r.utility_second
            ));
        }
        for (name, d) in [
            ("pareto_distance", r.pareto_distance),
            ("nash_distance", r.nash_distance),
        ] {
            if let Some(d) = d.filter(|d| *d < 0.0) {
                out.push(format!("{name} {d} is negative"));
            }
        }
        if let (Some(p), Some(n)) = (r.pareto_distance, r.nash_distance) {
            if p >= 0.0 && n >= 0.0 && p > n && !near(p, n) {
                out.push(format!(
                    "pareto_distance {p} exceeds nash_distance {n} (the Nash point is on the frontier)"
                ));
            }
        }
        if !(0.0..=1.0).contains(&r.time) && r.time.is_finite() {
            out.push(format!("time {} is outside [0, 1]", r.time));
        }
        if let Some(n) = self.rounds.filter(|&n| u64::from(r.rounds) > n) {
            out.push(format!("{} rounds in a tournament of {n}", r.rounds));
        }
        if let Some(n) = self.repetitions.filter(|&n| u64::from(r.repetition) >= n) {
            out.push(format!(
                "repetition {} in a tournament of {n} repetitions",
                r.repetition
            ));
        }
        if let Some(n) = self.total.filter(|&n| r.job >= n) {
            out.push(format!("job {} in a plan of {n}", r.job));
        }
        if let Some(b) = self.bounds.get(&r.scenario) {
            let mut span = Vec::new();
            for (party, utility, reserved) in [
                (&r.party_first, r.utility_first, r.reserved_first),
                (&r.party_second, r.utility_second, r.reserved_second),
            ] {
                let key = if r.end == "agreement" {
                    "utility"
                } else {
                    "reservation"
                };
                let can = b.interval(party, key);
                if let Some(range) = can {
                    if utility.is_finite() && !within(utility, range) {
                        out.push(format!(
                            "utility {utility} of {party} is outside what it can be here ({} to {})",
                            range.0, range.1
                        ));
                    }
                }
                if let Some(rv) = b.reserved(party) {
                    if reserved.is_finite() && !near(reserved, rv) {
                        out.push(format!(
                            "reservation value {reserved} of {party} is not the scenario's {rv}"
                        ));
                    }
                }
                span.push(
                    b.interval(party, "utility")
                        .zip(b.interval(party, "reservation"))
                        .map(|(u, rv)| hull(u, rv)),
                );
            }
            if let [Some(x), Some(y)] = span[..] {
                let diagonal = ((x.1 - x.0).powi(2) + (y.1 - y.0).powi(2)).sqrt();
                for (name, d) in [
                    ("pareto_distance", r.pareto_distance),
                    ("nash_distance", r.nash_distance),
                ] {
                    if let Some(d) =
                        d.filter(|d| d.is_finite() && *d > diagonal && !near(*d, diagonal))
                    {
                        out.push(format!(
                            "{name} {d} is farther than any two possible results are apart ({diagonal})"
                        ));
                    }
                }
            }
        }
        out
    }

    /// Splits rows into those that can be and those that cannot (with what is wrong).
    pub fn split(&self, rows: Vec<Row>) -> (Vec<Row>, Vec<(Row, Vec<String>)>) {
        let mut good = Vec::with_capacity(rows.len());
        let mut bad = Vec::new();
        for r in rows {
            let p = self.problems(&r);
            if p.is_empty() {
                good.push(r);
            } else {
                bad.push((r, p));
            }
        }
        (good, bad)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The Fearon pie: A's one-shot war falls from p = 0.6 to 0.5 (0.5 → 0.4); aid halves
    /// B's chance of losing a period for a while (0.25 → 0.025 / 0.07), and a sanction on top
    /// moves B by −0.05 whatever its model gives.
    #[test]
    fn reservation_ranges_hold_what_model_events_can_make() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../scenarios/examples/fearon-pie.toml");
        let mut s = zopa_formats::load(&path, &zopa_formats::ReadOptions::genius()).unwrap();
        assert_eq!(reservation_range(&s, 0), (0.4, 0.5));
        let aid = zopa_core::NoDeal::markov(0.04, 0.03, 0.015).value();
        assert_eq!(reservation_range(&s, 1), (0.25, aid));
        let mut sanction = s.events[1].clone();
        sanction.name = "sanction".into();
        sanction.change = Some(ReservationChange::Shift(-0.05));
        s.events.push(sanction);
        let (lo, hi) = reservation_range(&s, 1);
        assert!((lo - 0.2).abs() < 1e-15 && hi == aid, "{lo} {hi}");
    }
}
