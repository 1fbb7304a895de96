//! zopa's errors as Python exceptions: `ZopaError` and, under it, `LoadError` (a scenario
//! that cannot be read: `path`, `place`, `problem`, `fix`), `OptionError` (an option the
//! command cannot use) and `AnalysisError`. Each message is what `zopa` prints after
//! `error: `.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(
    zopa,
    ZopaError,
    PyException,
    "Every error zopa raises; the message is what the `zopa` command prints."
);
create_exception!(
    zopa,
    LoadError,
    ZopaError,
    "A scenario that cannot be read; `path`, `place`, `problem` and `fix` say where and what to do."
);
create_exception!(
    zopa,
    OptionError,
    ZopaError,
    "An option that cannot be used (an unknown strategy, a party the scenario lacks, …)."
);
create_exception!(
    zopa,
    AnalysisError,
    ZopaError,
    "The analysis refused the scenario (too large for the method asked, …)."
);

/// The Python exception for a zopa-api error.
pub fn to_py(e: zopa_api::Error) -> PyErr {
    match e {
        zopa_api::Error::Load(e) => load_error(&e),
        zopa_api::Error::Analysis(m) => AnalysisError::new_err(m),
        // A forecast input that cannot be used: the file and what it lacks.
        zopa_api::Error::Forecast(m) => ZopaError::new_err(m),
        // A tournament scenario that cannot be read is a load error like any other.
        zopa_api::Error::Tournament(zopa_tournament::TournamentError::Scenario(e)) => {
            load_error(&e)
        }
        e @ zopa_api::Error::Tournament(_) => ZopaError::new_err(e.to_string()),
        e @ (zopa_api::Error::Spec(_) | zopa_api::Error::Run(_) | zopa_api::Error::Option(_)) => {
            OptionError::new_err(e.to_string())
        }
    }
}

/// A `LoadError` carrying the file, the place, the problem and the fix as attributes.
pub fn load_error(e: &zopa_formats::LoadError) -> PyErr {
    let err = LoadError::new_err(e.to_string());
    Python::attach(|py| {
        let value = err.value(py);
        let attributes = [
            ("path", Some(e.path.display().to_string())),
            ("place", e.place.clone()),
            ("problem", Some(e.problem.clone())),
            ("fix", e.fix.clone()),
        ];
        for (name, v) in attributes {
            // Setting an attribute on a fresh exception object cannot fail.
            let _ = value.setattr(name, v);
        }
    });
    err
}
