//! Tournaments from Python: run one (a tournament file, or a dict laid out as one) into a
//! SQLite database with every core, and read a database back as the Parquet files of
//! `zopa tournament report --parquet` (the Python half opens them as pyarrow tables).

use std::path::{Path, PathBuf};

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};
use zopa_tournament::runner::{run_tournament_with, Options};
use zopa_tournament::Tournament;

use crate::errors::{to_py, OptionError};

/// Runs (or resumes) a tournament into `db`; returns `{"db", "total", "ran", "skipped"}`. A
/// dict's `strategies` may hold Python negotiators (labelled `python:<name>`).
///
/// `seats`: Python negotiators a tournament *file* names by their labels among its
/// `strategies` (`zopa.negmas` seats `negmas:<module>.<Class>` this way).
#[pyfunction]
#[pyo3(signature = (config, db=PathBuf::from("results.sqlite"), jobs=None, progress=None, seats=None))]
pub fn tournament<'py>(
    py: Python<'py>,
    config: &Bound<'py, PyAny>,
    db: PathBuf,
    jobs: Option<usize>,
    progress: Option<Py<PyAny>>,
    seats: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyDict>> {
    let mut external = Vec::new();
    let (t, base) = if let Ok(dict) = config.cast::<PyDict>() {
        // Python negotiators among the strategies enter by their labels.
        let dict = dict.copy()?;
        if let Some(list) = dict.get_item("strategies")? {
            let (names, ext) = crate::negotiator::strategies(&list)?;
            dict.set_item("strategies", names)?;
            external = ext;
        }
        let text = crate::scenario::dict_to_toml(py, dict.as_any(), "<dict>")?;
        let labels: Vec<String> = external.iter().map(|e| e.label.clone()).collect();
        let t = Tournament::from_toml_with(Path::new("<dict>"), &text, &labels)
            .map_err(|e| to_py(e.into()))?;
        (t, PathBuf::from("."))
    } else {
        let path: PathBuf = config.extract().map_err(|_| {
            OptionError::new_err(format!(
                "`{}` is not a tournament; give the path of a tournament file or a dict laid out as one",
                crate::values::repr(config)
            ))
        })?;
        let t = match seats {
            Some(seats) => {
                let (labels, ext) = crate::negotiator::strategies(seats)?;
                external = ext;
                match std::fs::read_to_string(&path) {
                    Ok(text) => Tournament::from_toml_with(&path, &text, &labels),
                    // Unreadable: the error `load` gives.
                    Err(_) => Tournament::load(&path),
                }
            }
            None => Tournament::load(&path),
        }
        .map_err(|e| to_py(e.into()))?;
        let base = path
            .parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."));
        (t, base)
    };
    let jobs = jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let report = |done: usize, total: usize| {
        if let Some(p) = &progress {
            // A progress callback that raises is not the tournament's failure: it is ignored.
            Python::attach(|py| {
                let _ = p.call1(py, (done, total));
            });
        }
    };
    let summary = py
        .detach(|| {
            run_tournament_with(
                &t,
                &base,
                &db,
                Options {
                    jobs,
                    shard: None,
                    batch: zopa_tournament::runner::BATCH,
                    writing: None,
                },
                &external,
                &report,
            )
        })
        .map_err(|e| to_py(e.into()))?;
    let d = PyDict::new(py);
    d.set_item("db", db.display().to_string())?;
    d.set_item("total", summary.total)?;
    d.set_item("ran", summary.ran)?;
    d.set_item("skipped", summary.skipped)?;
    Ok(d)
}

/// The database `db` as `(negotiations.parquet, leaderboard.parquet, info)`: the bytes `zopa
/// tournament report --parquet` writes, and `{"stored", "total", "damaged"}` (damaged rows are
/// left out, as the report leaves them out).
#[pyfunction]
pub fn results_parquet<'py>(
    py: Python<'py>,
    db: PathBuf,
) -> PyResult<(Bound<'py, PyBytes>, Bound<'py, PyBytes>, Bound<'py, PyDict>)> {
    let (negotiations, leaderboard, stored, total, damaged) = py
        .detach(|| -> Result<_, zopa_api::Error> {
            let r = zopa_api::tournament::results(&db)?;
            let damaged: Vec<(String, Vec<String>)> = r
                .damaged
                .iter()
                .map(|(row, p)| (row.id.clone(), p.clone()))
                .collect();
            Ok((
                r.negotiations_parquet()?,
                r.leaderboard_parquet()?,
                r.stored,
                r.total,
                damaged,
            ))
        })
        .map_err(to_py)?;
    let info = PyDict::new(py);
    info.set_item("stored", stored)?;
    info.set_item("total", total)?;
    info.set_item("damaged", damaged)?;
    Ok((
        PyBytes::new(py, &negotiations),
        PyBytes::new(py, &leaderboard),
        info,
    ))
}
