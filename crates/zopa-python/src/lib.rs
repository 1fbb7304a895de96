//! `zopa._zopa`: the native half of the `zopa` Python package (python/zopa).
//!
//! A thin layer over zopa-api: Python's keyword arguments become the same option structs the
//! CLI fills from its flags, and results are the same JSON documents, so `zopa.run(...)`
//! equals `zopa run --json` byte for byte. Python negotiators (`negotiator.rs`) sit in the
//! Rust protocols as external negotiators. The GIL is released for every run and analysis and
//! taken again only inside a call into Python.

mod errors;
mod negotiator;
mod scenario;
mod strategy;
mod tournament;
mod values;

use std::path::PathBuf;

use pyo3::prelude::*;
use zopa_api::run::RunOptions;

use crate::errors::to_py;
use crate::scenario::PyScenario;

/// `zopa run --json` as a string, byte for byte (see `zopa.run`).
#[pyfunction]
#[pyo3(signature = (
    scenario, negotiators, *, protocol="sao", rounds=None, time=None, seed=0, definitions="zopa",
    parties=None, mediator=None, ratify=None, voting=None, voters=None, patience=None,
    opening=None, critiques=None, split=false, without_events=false, stall=Vec::new(),
    threaten=Vec::new(), bluff=Vec::new(), move_limit=None
))]
#[allow(clippy::too_many_arguments)] // Python's keyword arguments, one per `zopa run` flag.
fn run_json(
    py: Python<'_>,
    scenario: &Bound<'_, PyAny>,
    negotiators: &Bound<'_, PyAny>,
    protocol: &str,
    rounds: Option<u32>,
    time: Option<&Bound<'_, PyAny>>,
    seed: u64,
    definitions: &str,
    parties: Option<Vec<String>>,
    mediator: Option<String>,
    ratify: Option<String>,
    voting: Option<String>,
    voters: Option<Vec<String>>,
    patience: Option<u32>,
    opening: Option<String>,
    critiques: Option<String>,
    split: bool,
    without_events: bool,
    stall: Vec<String>,
    threaten: Vec<String>,
    bluff: Vec<String>,
    move_limit: Option<&Bound<'_, PyAny>>,
) -> PyResult<String> {
    let definitions = scenario::definitions(definitions)?;
    let mut s = scenario::resolve(scenario, definitions)?;
    let (names, external) = negotiator::seats(negotiators)?;
    let options = RunOptions {
        negotiators: names,
        external,
        protocol: Some(protocol.to_string()),
        mediator,
        ratify,
        voting,
        voters,
        patience,
        opening,
        critiques,
        split,
        without_events,
        stall,
        threaten,
        bluff,
        move_limit: move_limit.map(duration).transpose()?,
        parties,
        rounds,
        time: time.map(duration).transpose()?,
        seed,
    };
    let spec = options.apply(&mut s).map_err(to_py)?;
    // Rust negotiators run without the GIL; a Python negotiator takes it for its own calls.
    let (_, text) = py
        .detach(|| zopa_api::run::run_json(&s, &spec))
        .map_err(to_py)?;
    Ok(text)
}

/// `zopa forecast --json` as a string, byte for byte (see `zopa.forecast`).
#[pyfunction]
#[pyo3(signature = (path, model="smp", options=None, max_turns=None, seed=None))]
fn forecast_json(
    py: Python<'_>,
    path: PathBuf,
    model: &str,
    options: Option<&Bound<'_, pyo3::types::PyDict>>,
    max_turns: Option<usize>,
    seed: Option<u64>,
) -> PyResult<String> {
    let mut set = Vec::new();
    if let Some(options) = options {
        for (k, v) in options.iter() {
            set.push(format!("{}={}", k.str()?, v.str()?));
        }
    }
    let options = zopa_api::forecast::ForecastOptions {
        model: model.to_string(),
        max_turns,
        set,
        seed,
    };
    let mut notes = Vec::new();
    let forecast = py
        .detach(|| {
            zopa_api::forecast::forecast(&path, &options, &mut |n| notes.push(n.to_string()))
        })
        .map_err(to_py)?;
    for n in notes {
        let message = std::ffi::CString::new(n).unwrap_or_default();
        PyErr::warn(
            py,
            &py.get_type::<pyo3::exceptions::PyUserWarning>(),
            &message,
            1,
        )?;
    }
    Ok(forecast.to_json_text())
}

/// A duration given as text (`"500ms"`, `"3s"`) or as seconds (a number).
fn duration(value: &Bound<'_, PyAny>) -> PyResult<String> {
    if let Ok(text) = value.extract::<String>() {
        return Ok(text);
    }
    let seconds: f64 = value.extract().map_err(|_| {
        errors::OptionError::new_err(format!(
            "`{value}` is not a duration; give seconds (1.5) or text like \"500ms\", \"3s\", \"2m\""
        ))
    })?;
    Ok(format!("{seconds}s"))
}

/// `(name, kind)` of every strategy, voter and mediator the registry declares, in the order
/// `zopa strategies` lists them.
#[pyfunction]
fn strategy_names() -> Vec<(String, String)> {
    zopa_mechanisms::registry::strategies()
        .iter()
        .map(|s| (s.name.to_string(), s.kind().as_str().to_string()))
        .collect()
}

/// Reads a scenario file or folder in any format zopa reads.
#[pyfunction]
#[pyo3(signature = (path, definitions="zopa"))]
fn load(path: PathBuf, definitions: &str) -> PyResult<PyScenario> {
    PyScenario::load(path, scenario::definitions(definitions)?)
}

#[pymodule]
fn _zopa(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add_class::<PyScenario>()?;
    m.add_class::<negotiator::State>()?;
    m.add_class::<strategy::PyStrategy>()?;
    m.add_function(wrap_pyfunction!(load, m)?)?;
    m.add_function(wrap_pyfunction!(run_json, m)?)?;
    m.add_function(wrap_pyfunction!(strategy_names, m)?)?;
    m.add_function(wrap_pyfunction!(forecast_json, m)?)?;
    m.add_function(wrap_pyfunction!(tournament::tournament, m)?)?;
    m.add_function(wrap_pyfunction!(tournament::results_parquet, m)?)?;
    m.add("ZopaError", py.get_type::<errors::ZopaError>())?;
    m.add("LoadError", py.get_type::<errors::LoadError>())?;
    m.add("OptionError", py.get_type::<errors::OptionError>())?;
    m.add("AnalysisError", py.get_type::<errors::AnalysisError>())?;
    Ok(())
}
