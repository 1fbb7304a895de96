//! `zopa.Scenario`: a scenario read by zopa, its issues and parties, utilities, native TOML and
//! the analysis.

use std::path::{Path, PathBuf};

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use zopa_api::analyze::AnalyzeOptions;
use zopa_core::analysis::Definitions;
use zopa_core::{Issue, IssueKind, Scenario};
use zopa_formats::GeniusEvaluations;

use crate::errors::{load_error, to_py, OptionError};
use crate::values::{outcome_from_py, value_to_py};

/// A negotiation scenario: issues, parties with their utility functions and reservation
/// values, events and texts. Read one with `zopa.load(path)`, or build one with
/// `Scenario.from_toml(text)` or `Scenario.from_dict(d)`.
#[pyclass(name = "Scenario", module = "zopa", frozen)]
pub struct PyScenario {
    pub scenario: Scenario,
    /// The file or folder it was read from (errors name it); `<string>` when built in Python.
    pub path: PathBuf,
    /// Whether it was read from a file, and how GENIUS evaluations were read: a scenario read
    /// one way is read again from its file when definitions need the other (NegMAS's raw
    /// evaluations), as `zopa analyze --definitions negmas` reads it.
    pub read_as: Option<GeniusEvaluations>,
}

/// The definitions named `name`, or an `OptionError` listing them.
pub fn definitions(name: &str) -> PyResult<Definitions> {
    zopa_api::parse_definitions(name).map_err(OptionError::new_err)
}

impl PyScenario {
    pub fn load(path: PathBuf, definitions: Definitions) -> PyResult<PyScenario> {
        let scenario = zopa_api::load(&path, definitions).map_err(|e| load_error(&e))?;
        Ok(PyScenario {
            scenario,
            read_as: Some(zopa_api::read_options(definitions).genius_evaluations),
            path,
        })
    }

    /// The scenario as `definitions` read it: itself, or read again from its file.
    pub fn read_for(&self, definitions: Definitions) -> PyResult<Scenario> {
        let wanted = zopa_api::read_options(definitions).genius_evaluations;
        match self.read_as {
            Some(read) if read != wanted => {
                Ok(PyScenario::load(self.path.clone(), definitions)?.scenario)
            }
            _ => Ok(self.scenario.clone()),
        }
    }

    fn from_text(text: &str, path: &Path) -> PyResult<PyScenario> {
        let scenario = zopa_formats::from_toml(path, text).map_err(|e| load_error(&e))?;
        Ok(PyScenario {
            scenario,
            path: path.to_path_buf(),
            read_as: None,
        })
    }
}

/// A dict (of TOML's types) as TOML text, through JSON; `path` names it in errors.
pub fn dict_to_toml(py: Python<'_>, data: &Bound<'_, PyAny>, path: &str) -> PyResult<String> {
    let json: String = py
        .import("json")?
        .call_method1("dumps", (data,))?
        .extract()?;
    let bad = |e: &dyn std::fmt::Display| {
        OptionError::new_err(format!("{path}: the dict cannot be laid out as TOML: {e}"))
    };
    let value: toml::Value = serde_json::from_str(&json).map_err(|e| bad(&e))?;
    toml::to_string(&value).map_err(|e| bad(&e))
}

/// Issues as Python sees them: `{"name", "kind": "discrete", "values"}` or `{"name", "kind":
/// "integer" | "real", "min", "max"}`, in order.
pub fn issues_to_py<'py>(py: Python<'py>, issues: &[Issue]) -> PyResult<Bound<'py, PyList>> {
    let list = PyList::empty(py);
    for issue in issues {
        let d = PyDict::new(py);
        d.set_item("name", &issue.name)?;
        match &issue.kind {
            IssueKind::Discrete { values, .. } => {
                d.set_item("kind", "discrete")?;
                d.set_item("values", values)?;
            }
            IssueKind::Integer { min, max } => {
                d.set_item("kind", "integer")?;
                d.set_item("min", min)?;
                d.set_item("max", max)?;
            }
            IssueKind::Real { min, max } => {
                d.set_item("kind", "real")?;
                d.set_item("min", min)?;
                d.set_item("max", max)?;
            }
        }
        list.append(d)?;
    }
    Ok(list)
}

/// A scenario argument: a `Scenario`, or a path to read as `definitions` read it.
pub fn resolve(object: &Bound<'_, PyAny>, definitions: Definitions) -> PyResult<Scenario> {
    if let Ok(s) = object.cast::<PyScenario>() {
        return s.get().read_for(definitions);
    }
    let path: PathBuf = object.extract().map_err(|_| {
        OptionError::new_err(format!(
            "`{}` is not a scenario; give a zopa.Scenario or the path of a scenario file or folder",
            crate::values::repr(object)
        ))
    })?;
    Ok(PyScenario::load(path, definitions)?.scenario)
}

#[pymethods]
impl PyScenario {
    /// Reads a scenario in zopa's native TOML; `path` is the name errors give it.
    #[staticmethod]
    #[pyo3(signature = (text, path="<string>"))]
    fn from_toml(text: &str, path: &str) -> PyResult<PyScenario> {
        PyScenario::from_text(text, Path::new(path))
    }

    /// Builds a scenario from a dict laid out as the native TOML is (`name`, `issues`,
    /// `parties`, …; docs/scenario-format.md).
    #[staticmethod]
    #[pyo3(signature = (data, path="<dict>"))]
    fn from_dict(py: Python<'_>, data: &Bound<'_, PyAny>, path: &str) -> PyResult<PyScenario> {
        let text = dict_to_toml(py, data, path)?;
        PyScenario::from_text(&text, Path::new(path))
    }

    /// The scenario's name.
    #[getter]
    fn name(&self) -> &str {
        &self.scenario.name
    }

    /// The file or folder it was read from (`<string>` or `<dict>` when built in Python).
    #[getter]
    fn path(&self) -> String {
        self.path.display().to_string()
    }

    /// The issues, in order: `{"name", "kind": "discrete" | "integer" | "real", "values"}` for
    /// discrete issues, `{"name", "kind", "min", "max"}` for the others.
    #[getter]
    fn issues<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        issues_to_py(py, &self.scenario.issues)
    }

    /// The parties, in order: `{"name", "role", "reservation_value"}` (the reservation value
    /// every consumer reads: a fixed one or the expected utility of a no-deal model).
    #[getter]
    fn parties<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for p in &self.scenario.parties {
            let d = PyDict::new(py);
            d.set_item("name", &p.name)?;
            d.set_item("role", p.role.as_str())?;
            d.set_item("reservation_value", p.reservation_value())?;
            list.append(d)?;
        }
        Ok(list)
    }

    /// The notes zopa made while reading (unusual numbers it accepted).
    #[getter]
    fn notes(&self) -> Vec<String> {
        self.scenario.notes.clone()
    }

    /// `party`'s utility of `outcome`, a dict `{issue: value}` naming every issue.
    fn utility(&self, party: &str, outcome: &Bound<'_, PyAny>) -> PyResult<f64> {
        let s = &self.scenario;
        let p = s.party_index(party).ok_or_else(|| {
            let known: Vec<&str> = s.parties.iter().map(|p| p.name.as_str()).collect();
            OptionError::new_err(format!(
                "no party named `{party}`; the parties are: {}",
                known.join(", ")
            ))
        })?;
        let o = outcome_from_py(&s.issues, outcome).map_err(OptionError::new_err)?;
        Ok(s.parties[p].utility.eval(&o))
    }

    /// `party`'s utility function as data, for other platforms to rebuild it (`zopa.negmas`):
    /// `{"kind": "additive", "weights": [...], "evaluators": [...], "cap_at_one"}` with one
    /// evaluator per issue — `{"table": [score of each value, in order]}` (positional
    /// evaluations as the table they compute), `{"linear": {"slope", "offset", "origin",
    /// "clamp"}}`, `{"triangular": {"low", "high", "peak"}}`, `{"constant": c}` or
    /// `{"interpolated": {...}}` — or `{"kind": "constraints", "aggregation", "weight",
    /// "max_utility", "rectangles": [{"include", "utility", "bounds": [(issue, lo, hi)]}]}`;
    /// and `"discount"` (or `None`). The numbers are the `f64`s zopa scores offers with.
    fn utility_function<'py>(&self, py: Python<'py>, party: &str) -> PyResult<Bound<'py, PyDict>> {
        use zopa_core::{Aggregation, Evaluator, NumericEvaluator, RectangleKind, UtilityFunction};
        let s = &self.scenario;
        let p = s.party_index(party).ok_or_else(|| {
            let known: Vec<&str> = s.parties.iter().map(|p| p.name.as_str()).collect();
            OptionError::new_err(format!(
                "no party named `{party}`; the parties are: {}",
                known.join(", ")
            ))
        })?;
        let d = PyDict::new(py);
        match &s.parties[p].utility {
            UtilityFunction::Additive(a) => {
                d.set_item("kind", "additive")?;
                d.set_item("weights", &a.weights)?;
                d.set_item("cap_at_one", a.cap_at_one)?;
                let evaluators = PyList::empty(py);
                for e in &a.evaluators {
                    let ev = PyDict::new(py);
                    match e {
                        Evaluator::Table(_) | Evaluator::Positional(_) => {
                            ev.set_item("table", e.evaluations().unwrap_or_default())?;
                        }
                        Evaluator::Numeric(n) => {
                            let f = PyDict::new(py);
                            let name = match *n {
                                NumericEvaluator::Linear {
                                    slope,
                                    offset,
                                    origin,
                                    clamp,
                                } => {
                                    f.set_item("slope", slope)?;
                                    f.set_item("offset", offset)?;
                                    f.set_item("origin", origin)?;
                                    f.set_item("clamp", clamp)?;
                                    "linear"
                                }
                                NumericEvaluator::Triangular { low, high, peak } => {
                                    f.set_item("low", low)?;
                                    f.set_item("high", high)?;
                                    f.set_item("peak", peak)?;
                                    "triangular"
                                }
                                NumericEvaluator::Constant(c) => {
                                    ev.set_item("constant", c)?;
                                    evaluators.append(ev)?;
                                    continue;
                                }
                                NumericEvaluator::Interpolated {
                                    low_value,
                                    low_utility,
                                    high_value,
                                    high_utility,
                                } => {
                                    f.set_item("low_value", low_value)?;
                                    f.set_item("low_utility", low_utility)?;
                                    f.set_item("high_value", high_value)?;
                                    f.set_item("high_utility", high_utility)?;
                                    "interpolated"
                                }
                            };
                            ev.set_item(name, f)?;
                        }
                    }
                    evaluators.append(ev)?;
                }
                d.set_item("evaluators", evaluators)?;
            }
            UtilityFunction::Constraint(c) => {
                d.set_item("kind", "constraints")?;
                let aggregation = match c.aggregation {
                    Aggregation::Sum => "sum",
                    Aggregation::Min => "min",
                    Aggregation::Max => "max",
                };
                d.set_item("aggregation", aggregation)?;
                d.set_item("weight", c.weight)?;
                d.set_item("max_utility", c.max_utility)?;
                let rectangles = PyList::empty(py);
                for r in &c.rectangles {
                    let rd = PyDict::new(py);
                    rd.set_item("include", r.kind == RectangleKind::Include)?;
                    rd.set_item("utility", r.utility)?;
                    rd.set_item("bounds", &r.bounds)?;
                    rectangles.append(rd)?;
                }
                d.set_item("rectangles", rectangles)?;
            }
        }
        d.set_item("discount", s.parties[p].discount)?;
        Ok(d)
    }

    /// Every outcome's value of `issue` in order, as outcomes give them (for building offers).
    fn values<'py>(&self, py: Python<'py>, issue: &str) -> PyResult<Vec<Bound<'py, PyAny>>> {
        let s = &self.scenario;
        let Some(i) = s.issues.iter().find(|i| i.name == issue) else {
            return Err(OptionError::new_err(format!("no issue named `{issue}`")));
        };
        zopa_mechanisms::outcomes::candidate_values(i)
            .into_iter()
            .map(|v| value_to_py(py, i, v))
            .collect()
    }

    /// The scenario in zopa's native TOML (lossless: `Scenario.from_toml` reads it back equal).
    fn to_toml(&self) -> String {
        zopa_formats::to_toml(&self.scenario)
    }

    /// `zopa analyze --json` as a string, byte for byte (see `analyze`).
    #[pyo3(signature = (
        definitions="zopa", parties=None, method="auto", max_points=None, real_levels=11,
        max_nodes=1_000_000, horizon=None, max_branches=65_536, at=None
    ))]
    #[allow(clippy::too_many_arguments)] // Python's keyword arguments, one per flag.
    fn analyze_json(
        &self,
        py: Python<'_>,
        definitions: &str,
        parties: Option<Vec<String>>,
        method: &str,
        max_points: Option<usize>,
        real_levels: u32,
        max_nodes: u64,
        horizon: Option<u32>,
        max_branches: usize,
        at: Option<&Bound<'_, PyAny>>,
    ) -> PyResult<String> {
        let options = AnalyzeOptions {
            definitions: self::definitions(definitions)?,
            parties,
            method: method.to_string(),
            max_points,
            real_levels,
            max_nodes,
            horizon,
            max_branches,
            // A round (an int) or a date, as `--at` takes it.
            at: at.map(|a| a.str().map(|s| s.to_string())).transpose()?,
        };
        let scenario = self.read_for(options.definitions)?;
        let path = &self.path;
        py.detach(|| {
            let (scenario, _) = options.moment(scenario, path)?;
            let a = zopa_api::analyze::analyze(&scenario, &options, path)?;
            Ok(zopa_api::analyze::to_json_text(
                &scenario,
                &a,
                options.max_points,
            ))
        })
        .map_err(to_py)
    }

    /// `zopa analyze --json` as a dict; the keyword arguments are those of `analyze_json`.
    #[pyo3(signature = (**options))]
    fn analyze<'py>(
        slf: &Bound<'py, Self>,
        options: Option<&Bound<'py, PyDict>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let text = slf.call_method("analyze_json", (), options)?;
        slf.py().import("json")?.call_method1("loads", (text,))
    }

    fn __repr__(&self) -> String {
        format!(
            "<zopa.Scenario {:?}: {} issues, {} parties>",
            self.scenario.name,
            self.scenario.issues.len(),
            self.scenario.parties.len()
        )
    }
}
