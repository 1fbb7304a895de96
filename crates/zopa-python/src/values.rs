//! Outcomes between Rust and Python: `{issue: value}` dicts, discrete values by name, integers
//! as `int`, reals as `float` — as the JSON contracts write them.

use pyo3::prelude::*;
use pyo3::types::PyDict;
use zopa_core::{Issue, IssueKind, Value};

/// A value as Python sees it.
pub fn value_to_py<'py>(py: Python<'py>, issue: &Issue, v: Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match (&issue.kind, v) {
        (IssueKind::Discrete { values, .. }, Value::Discrete(i)) => {
            values[i as usize].as_str().into_pyobject(py)?.into_any()
        }
        (_, Value::Integer(x)) => x.into_pyobject(py)?.into_any(),
        (_, Value::Real(x)) => x.into_pyobject(py)?.into_any(),
        (_, Value::Discrete(i)) => i.into_pyobject(py)?.into_any(),
    })
}

/// An outcome as `{issue: value}`.
pub fn outcome_to_py<'py>(
    py: Python<'py>,
    issues: &[Issue],
    outcome: &[Value],
) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for (issue, &v) in issues.iter().zip(outcome) {
        d.set_item(&issue.name, value_to_py(py, issue, v)?)?;
    }
    Ok(d)
}

/// An outcome from `{issue: value}`: every issue once, each value one the issue has. The
/// error says what is wrong in words a Python user can act on.
pub fn outcome_from_py(issues: &[Issue], object: &Bound<'_, PyAny>) -> Result<Vec<Value>, String> {
    let dict = object.cast::<PyDict>().map_err(|_| {
        format!(
            "`{}` is not an outcome; give a dict {{issue: value}} over the issues {}",
            repr(object),
            names(issues)
        )
    })?;
    for key in dict.keys() {
        let known = key
            .extract::<String>()
            .is_ok_and(|k| issues.iter().any(|i| i.name == k));
        if !known {
            return Err(format!(
                "the outcome names `{}`, which is no issue; the issues are {}",
                repr(&key),
                names(issues)
            ));
        }
    }
    let mut outcome = Vec::with_capacity(issues.len());
    for issue in issues {
        let Some(v) = dict.get_item(&issue.name).ok().flatten() else {
            return Err(format!(
                "the outcome leaves issue `{}` out; give a value for every issue ({})",
                issue.name,
                names(issues)
            ));
        };
        outcome.push(value_from_py(issue, &v)?);
    }
    Ok(outcome)
}

/// One issue's value from Python.
fn value_from_py(issue: &Issue, v: &Bound<'_, PyAny>) -> Result<Value, String> {
    let bad = |accepts: String| {
        format!(
            "`{}` is not a value of issue `{}`; it takes {accepts}",
            repr(v),
            issue.name
        )
    };
    match &issue.kind {
        IssueKind::Discrete { values, .. } => {
            // A number names the value written as that number ("3" for 3).
            let text = match v.extract::<String>() {
                Ok(s) => Some(s),
                Err(_) if v.extract::<f64>().is_ok() => v.str().ok().map(|s| s.to_string()),
                Err(_) => None,
            };
            text.and_then(|t| values.iter().position(|x| *x == t))
                .map(|i| Value::Discrete(i as u32))
                .ok_or_else(|| {
                    let shown: Vec<String> =
                        values.iter().take(8).map(|x| format!("{x:?}")).collect();
                    let more = if values.len() > 8 { ", …" } else { "" };
                    bad(format!("one of {}{more}", shown.join(", ")))
                })
        }
        IssueKind::Integer { min, max } => v
            .extract::<i64>()
            .ok()
            .filter(|x| x >= min && x <= max)
            .map(Value::Integer)
            .ok_or_else(|| bad(format!("an integer from {min} to {max}"))),
        IssueKind::Real { min, max } => v
            .extract::<f64>()
            .ok()
            .filter(|x| x >= min && x <= max)
            .map(Value::Real)
            .ok_or_else(|| bad(format!("a number from {min} to {max}"))),
    }
}

fn names(issues: &[Issue]) -> String {
    let n: Vec<&str> = issues.iter().map(|i| i.name.as_str()).collect();
    n.join(", ")
}

/// `repr(object)`, or a stand-in when even that fails.
pub fn repr(object: &Bound<'_, PyAny>) -> String {
    object
        .repr()
        .map(|r| r.to_string())
        .unwrap_or_else(|_| "<unprintable object>".into())
}
