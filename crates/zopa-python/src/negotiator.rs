//! Python negotiators in zopa's protocols.
//!
//! A Python object with `propose(state)` and `respond(state, offer)` (a `zopa.Negotiator`, or
//! any object shaped like one; a class is instantiated once per seat) becomes an external
//! negotiator of zopa-mechanisms: a Rust `Negotiator` holding the object. Each of its turns
//! takes the GIL for the Python calls only. When the object raises, or returns something that
//! is no move, the turn unwinds with a `PartyFailure` and the driver ends that negotiation — and
//! only that one — with an `error` naming the party and its label.

use std::panic::resume_unwind;
use std::sync::Arc;

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList, PyType};
use zopa_mechanisms::protocols::PartyFailure;
use zopa_mechanisms::registry::External;
use zopa_mechanisms::{Action, Setup, View};

use crate::errors::OptionError;
use crate::values::{outcome_from_py, outcome_to_py, repr};

/// The negotiators argument of `run`: registry specs (`"boulware:e=0.1"`, or several in one
/// comma-separated string) and Python negotiators. Returns the spec of each seat and the
/// external negotiators those specs name.
pub fn seats(negotiators: &Bound<'_, PyAny>) -> PyResult<(Vec<String>, Vec<External>)> {
    // One name, one negotiator or one class (for every seat), or a list of them.
    let single = negotiators.extract::<String>().is_ok()
        || negotiators.is_instance_of::<PyType>()
        || negotiators.hasattr("propose")?;
    let items: Vec<Bound<'_, PyAny>> = if single {
        vec![negotiators.clone()]
    } else {
        negotiators
            .try_iter()
            .map_err(|_| {
                OptionError::new_err(format!(
                    "negotiators must be a list of strategy names and Python negotiators, not `{}`",
                    repr(negotiators)
                ))
            })?
            .collect::<PyResult<_>>()?
    };
    let mut names = Vec::new();
    let mut external: Vec<(External, Py<PyAny>)> = Vec::new();
    for item in items {
        if let Ok(text) = item.extract::<String>() {
            names.extend(text.split(',').map(|s| s.to_string()));
            continue;
        }
        let (label, is_class) = label(&item)?;
        if let Some((_, other)) = external.iter().find(|(e, _)| e.label == label) {
            if !other.bind(item.py()).is(&item) {
                return Err(OptionError::new_err(format!(
                    "two different Python negotiators are both labelled `{label}`; give them different `name`s"
                )));
            }
        } else {
            external.push((build(&item, &label, is_class), item.clone().unbind()));
        }
        names.push(label);
    }
    Ok((names, external.into_iter().map(|(e, _)| e).collect()))
}

/// A Python negotiator (an object or a class) as an external negotiator labelled `label`.
fn build(item: &Bound<'_, PyAny>, label: &str, is_class: bool) -> External {
    let object = Arc::new(item.clone().unbind());
    let build_label = label.to_string();
    let build = Arc::new(
        move |setup: &Setup| -> Box<dyn zopa_mechanisms::session::Negotiator> {
            match Python::attach(|py| start(py, &object, is_class, setup)) {
                Ok(n) => Box::new(n),
                Err(why) => resume_unwind(Box::new(PartyFailure(format!("{build_label}: {why}")))),
            }
        },
    );
    External {
        label: label.to_string(),
        build,
        // Python negotiators make offers; they do not vote at single-text tables.
        vote: None,
    }
}

/// A tournament's `strategies`: names stay as they are, Python negotiators become their
/// labels. Returns the names and labels, and the external negotiators.
pub fn strategies(list: &Bound<'_, PyAny>) -> PyResult<(Vec<String>, Vec<External>)> {
    let mut names = Vec::new();
    let mut external: Vec<External> = Vec::new();
    for item in list.try_iter()? {
        let item = item?;
        if let Ok(text) = item.extract::<String>() {
            names.push(text);
            continue;
        }
        let (label, is_class) = label(&item)?;
        if external.iter().any(|e| e.label == label) {
            return Err(OptionError::new_err(format!(
                "two Python negotiators in `strategies` are both labelled `{label}`; give them different `name`s"
            )));
        }
        external.push(build(&item, &label, is_class));
        names.push(label);
    }
    Ok((names, external))
}

/// A Python negotiator's label in results, `python:<name>` (its `name` attribute, else its
/// class name) — or, for the seats `zopa.negmas` builds, its `__zopa_label__` as written
/// (`negmas:negmas.sao.AspirationNegotiator`) — and whether it is a class to instantiate per
/// seat.
fn label(item: &Bound<'_, PyAny>) -> PyResult<(String, bool)> {
    let is_class = item.is_instance_of::<PyType>();
    for method in ["propose", "respond"] {
        if !item.hasattr(method)? {
            return Err(OptionError::new_err(format!(
                "`{}` is neither a strategy name nor a negotiator: it has no `{method}` method; subclass zopa.Negotiator",
                repr(item)
            )));
        }
    }
    let given = item
        .getattr("__zopa_label__")
        .ok()
        .and_then(|n| n.extract::<String>().ok());
    if let Some(label) = given {
        return Ok((label, is_class));
    }
    let named = item
        .getattr("name")
        .ok()
        .filter(|n| !n.is_none())
        .and_then(|n| n.extract::<String>().ok());
    let name = match named {
        Some(n) => n,
        None if is_class => item.getattr("__name__")?.extract()?,
        None => item.get_type().name()?.to_string(),
    };
    Ok((format!("python:{name}"), is_class))
}

/// The Rust side of one seat taken by a Python negotiator.
fn start(
    py: Python<'_>,
    object: &Py<PyAny>,
    is_class: bool,
    setup: &Setup,
) -> Result<PythonNegotiator, String> {
    let object = if is_class {
        object
            .bind(py)
            .call0()
            .map_err(|e| format!("creating it raised {e}"))?
            .unbind()
    } else {
        object.clone_ref(py)
    };
    Ok(PythonNegotiator {
        object,
        setup: Arc::new(setup.clone()),
        offers: PyList::empty(py).unbind(),
        seen: 0,
    })
}

struct PythonNegotiator {
    object: Py<PyAny>,
    setup: Arc<Setup>,
    /// Every offer of the negotiation so far, `(actor, outcome)`, shared with each `State`.
    offers: Py<PyList>,
    /// Moves of the negotiation read into `offers`.
    seen: usize,
}

impl zopa_mechanisms::session::Negotiator for PythonNegotiator {
    fn act(&mut self, view: &View<'_>) -> Action {
        match Python::attach(|py| self.act_py(py, view)) {
            Ok(action) => action,
            Err(why) => resume_unwind(Box::new(PartyFailure(why))),
        }
    }
}

impl PythonNegotiator {
    fn act_py(&mut self, py: Python<'_>, view: &View<'_>) -> Result<Action, String> {
        let issues = &self.setup.issues;
        let offers = self.offers.bind(py);
        let from = self
            .seen
            .saturating_sub(view.offset)
            .min(view.history.len());
        let failed = |e: PyErr| format!("could not record the offers: {e}");
        for m in &view.history[from..] {
            if let Action::Offer(o) = &m.action {
                let outcome = outcome_to_py(py, issues, o).map_err(failed)?;
                let entry = (m.actor, outcome).into_pyobject(py).map_err(failed)?;
                offers.append(entry).map_err(failed)?;
            }
        }
        self.seen = view.offset + view.history.len();
        let me = self.setup.index;
        let standing = view.last_offer().filter(|&(actor, _)| actor != me);
        let state = State {
            round: view.round,
            time: view.time,
            reservation: view.reservation,
            offers: self.offers.clone_ref(py),
            setup: Arc::clone(&self.setup),
        };
        let state = Py::new(py, state).map_err(|e| format!("could not build its state: {e}"))?;
        let object = self.object.bind(py);
        if let Some((_, offer)) = standing {
            let offer = outcome_to_py(py, issues, offer).map_err(failed)?;
            let answer = object
                .call_method1("respond", (state.clone_ref(py), offer))
                .map_err(|e| format!("respond raised {e}"))?;
            match answer.extract::<String>().as_deref() {
                Ok("accept") => return Ok(Action::Accept),
                Ok("end") => return Ok(Action::End),
                Ok("reject") => {}
                _ => {
                    return Err(format!(
                        "respond returned {}; return \"accept\", \"reject\" or \"end\"",
                        repr(&answer)
                    ))
                }
            }
        }
        let proposal = object
            .call_method1("propose", (state,))
            .map_err(|e| format!("propose raised {e}"))?;
        let outcome =
            outcome_from_py(issues, &proposal).map_err(|e| format!("propose returned {e}"))?;
        Ok(Action::Offer(outcome))
    }
}

/// What a Python negotiator knows on its turn — exactly what a Rust strategy's setup and view
/// carry: the round, the relative time, its own reservation value and utility function, the
/// offers so far. Nothing about the other parties' preferences.
#[pyclass(module = "zopa", frozen)]
pub struct State {
    /// The round (from 0).
    #[pyo3(get)]
    round: u32,
    /// Relative time t ∈ [0, 1]: the share of the rounds (or of the time) used.
    #[pyo3(get)]
    time: f64,
    /// Its current reservation value (events may have moved it).
    #[pyo3(get)]
    reservation: f64,
    offers: Py<PyList>,
    setup: Arc<Setup>,
}

#[pymethods]
impl State {
    /// Its own party name.
    #[getter]
    fn party(&self) -> &str {
        &self.setup.name
    }

    /// Its place in the turn order (the `actor` of its own offers).
    #[getter]
    fn index(&self) -> usize {
        self.setup.index
    }

    /// How many negotiators sit at the table.
    #[getter]
    fn negotiators(&self) -> usize {
        self.setup.negotiators
    }

    /// The issues' names, in order.
    #[getter]
    fn issues(&self) -> Vec<String> {
        self.setup.issues.iter().map(|i| i.name.clone()).collect()
    }

    /// The issues as `Scenario.issues` gives them (names, kinds, values or bounds): the
    /// outcome space it negotiates over.
    #[getter]
    fn space<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        crate::scenario::issues_to_py(py, &self.setup.issues)
    }

    /// The deadline in rounds, if there is one.
    #[getter]
    fn rounds(&self) -> Option<u32> {
        self.setup.deadline.rounds
    }

    /// Every offer so far, oldest first, as `(actor, outcome)`: `actor` is the offerer's place
    /// in the turn order. Read it; do not change it.
    #[getter]
    fn offers<'py>(&self, py: Python<'py>) -> Bound<'py, PyList> {
        self.offers.bind(py).clone()
    }

    /// Its own utility of `outcome` (a dict `{issue: value}`).
    fn utility(&self, outcome: &Bound<'_, PyAny>) -> PyResult<f64> {
        let o = outcome_from_py(&self.setup.issues, outcome).map_err(OptionError::new_err)?;
        Ok(self.setup.utility_of(&o))
    }

    /// Its best outcome (of its utility; of equals, the one of the lowest value indices).
    fn best<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.near(py, f64::INFINITY)
    }

    /// The outcome whose own utility is nearest to `utility` (GENIUS's `getBidNearUtility`).
    fn near<'py>(&self, py: Python<'py>, utility: f64) -> PyResult<Bound<'py, PyDict>> {
        let setup = Arc::clone(&self.setup);
        // Building the bidding order the first time may take a while: without the GIL.
        let bid = py.detach(|| setup.outcomes.nearest(utility));
        outcome_to_py(py, &self.setup.issues, &bid.outcome)
    }

    fn __repr__(&self) -> String {
        format!(
            "<zopa.State {} round {} t={:.3}>",
            self.setup.name, self.round, self.time
        )
    }
}
