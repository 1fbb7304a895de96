//! Issues (the dimensions of the outcome space) and their values.

use std::fmt;

/// One negotiated issue.
#[derive(Debug, Clone, PartialEq)]
pub struct Issue {
    pub name: String,
    pub kind: IssueKind,
    /// A one-line description of the issue, when the scenario gives one.
    pub description: Option<String>,
    /// Where each discrete value sits on a 0–100 position scale (for stakeholder models such as
    /// SMP); `None` when the scenario gives no scale.
    pub positions: Option<Vec<f64>>,
}

/// What values an issue can take.
#[derive(Debug, Clone, PartialEq)]
pub enum IssueKind {
    /// Named values; `descriptions[i]` optionally explains `values[i]`.
    Discrete {
        values: Vec<String>,
        descriptions: Vec<Option<String>>,
    },
    /// Every integer in `min..=max`.
    Integer { min: i64, max: i64 },
    /// Every real number in `[min, max]`.
    Real { min: f64, max: f64 },
}

/// The value one issue takes in an outcome.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    /// Index into the issue's discrete values.
    Discrete(u32),
    Integer(i64),
    Real(f64),
}

impl Issue {
    pub fn discrete(name: impl Into<String>, values: &[&str]) -> Issue {
        Issue {
            name: name.into(),
            kind: IssueKind::Discrete {
                values: values.iter().map(|v| v.to_string()).collect(),
                descriptions: vec![None; values.len()],
            },
            description: None,
            positions: None,
        }
    }

    pub fn integer(name: impl Into<String>, min: i64, max: i64) -> Issue {
        Issue {
            name: name.into(),
            kind: IssueKind::Integer { min, max },
            description: None,
            positions: None,
        }
    }

    pub fn real(name: impl Into<String>, min: f64, max: f64) -> Issue {
        Issue {
            name: name.into(),
            kind: IssueKind::Real { min, max },
            description: None,
            positions: None,
        }
    }

    /// Number of values (at most `u64::MAX`: the full `i64` range saturates), or `None` for a
    /// continuous issue.
    pub fn cardinality(&self) -> Option<u64> {
        self.exact_cardinality()
            .map(|n| u64::try_from(n).unwrap_or(u64::MAX))
    }

    /// Number of values, exactly (an integer issue over all of `i64` has 2^64), or `None` for
    /// a continuous issue.
    pub fn exact_cardinality(&self) -> Option<u128> {
        match &self.kind {
            IssueKind::Discrete { values, .. } => Some(values.len() as u128),
            IssueKind::Integer { min, max } => {
                Some((i128::from(*max) - i128::from(*min)).unsigned_abs() + 1)
            }
            IssueKind::Real { .. } => None,
        }
    }

    /// The `level`-th value of a countable issue (for real issues: of a grid of `levels` points).
    pub fn value_at(&self, level: u32, real_levels: u32) -> Value {
        match &self.kind {
            IssueKind::Discrete { .. } => Value::Discrete(level),
            IssueKind::Integer { min, .. } => Value::Integer(min.saturating_add(i64::from(level))),
            IssueKind::Real { min, max } => {
                if real_levels <= 1 {
                    Value::Real(*min)
                } else {
                    let t = f64::from(level) / f64::from(real_levels - 1);
                    Value::Real(min + t * (max - min))
                }
            }
        }
    }

    /// Index of a discrete value by name.
    pub fn value_index(&self, name: &str) -> Option<u32> {
        match &self.kind {
            IssueKind::Discrete { values, .. } => {
                values.iter().position(|v| v == name).map(|i| i as u32)
            }
            _ => None,
        }
    }

    /// Human-readable text of a value of this issue.
    pub fn display(&self, value: Value) -> String {
        match (&self.kind, value) {
            (IssueKind::Discrete { values, .. }, Value::Discrete(i)) => values
                .get(i as usize)
                .cloned()
                .unwrap_or_else(|| format!("<value #{i}>")),
            (_, v) => v.to_string(),
        }
    }
}

/// Why a value is not one an issue has, and what to give instead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misfit {
    pub problem: String,
    pub fix: String,
}

/// `problem; fix`.
impl fmt::Display for Misfit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; {}", self.problem, self.fix)
    }
}

impl Issue {
    /// Is `value` one of this issue's values: a discrete value by an index it has, a whole
    /// number in an integer issue's range, a finite number in a real issue's range?
    ///
    /// ```
    /// use zopa_core::{Issue, Value};
    /// let army = Issue::integer("army", 0, 100);
    /// assert!(army.check(Value::Integer(60)).is_ok());
    /// assert_eq!(
    ///     army.check(Value::Integer(101)).unwrap_err().to_string(),
    ///     "101 is outside the issue's range [0, 100]; give a whole number in it"
    /// );
    /// ```
    pub fn check(&self, value: Value) -> Result<(), Misfit> {
        let misfit = |problem: String, fix: String| Err(Misfit { problem, fix });
        let one_of = |values: &[String]| format!("use one of: {}", values.join(", "));
        match (&self.kind, value) {
            (IssueKind::Discrete { values, .. }, Value::Discrete(i))
                if i as usize >= values.len() =>
            {
                misfit(
                    format!("value #{i} is not one of its {} values", values.len()),
                    one_of(values),
                )
            }
            (IssueKind::Discrete { values, .. }, Value::Integer(_) | Value::Real(_)) => misfit(
                format!("{value} is a number but the issue is discrete"),
                one_of(values),
            ),
            (IssueKind::Integer { min, max }, Value::Integer(x)) if x < *min || x > *max => misfit(
                format!("{x} is outside the issue's range [{min}, {max}]"),
                "give a whole number in it".into(),
            ),
            (IssueKind::Integer { min, max }, Value::Discrete(_) | Value::Real(_)) => misfit(
                format!("{} is not a whole number", self.display(value)),
                format!("give a whole number in [{min}, {max}]"),
            ),
            (IssueKind::Real { min, max }, Value::Real(x)) if !x.is_finite() => misfit(
                format!("{x} is not a finite number"),
                format!("give a number in [{min}, {max}]"),
            ),
            (IssueKind::Real { min, max }, Value::Real(x)) if x < *min || x > *max => misfit(
                format!("{x} is outside the issue's range [{min}, {max}]"),
                "give a number in it".into(),
            ),
            (IssueKind::Real { min, max }, Value::Discrete(_) | Value::Integer(_)) => misfit(
                format!("{} is not a real number", self.display(value)),
                format!("give a number in [{min}, {max}]"),
            ),
            _ => Ok(()),
        }
    }
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Discrete(i) => write!(f, "#{i}"),
            Value::Integer(x) => write!(f, "{x}"),
            Value::Real(x) => write!(f, "{x}"),
        }
    }
}

impl Value {
    /// The value as a number (discrete values by their index).
    pub fn as_f64(self) -> f64 {
        match self {
            Value::Discrete(i) => f64::from(i),
            Value::Integer(x) => x as f64,
            Value::Real(x) => x,
        }
    }
}
