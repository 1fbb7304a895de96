//! One of zopa's strategies in one seat, moved turn by turn from Python: the other platforms'
//! mechanisms (NegMAS's `SAOMechanism`, through `zopa.negmas.Negotiator`) drive it, telling it
//! the round, the relative time and the moves it has not seen yet, and it answers as it would
//! at a zopa table.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::{Arc, Mutex};

use pyo3::prelude::*;
use pyo3::types::PyString;
use zopa_mechanisms::bidding::Bidding;
use zopa_mechanisms::outcomes::Ranking;
use zopa_mechanisms::registry::Kind;
use zopa_mechanisms::session::Negotiator;
use zopa_mechanisms::{Action, Deadline, Move, Protocol, Setup, Spec, View};

use crate::errors::{OptionError, ZopaError};
use crate::scenario::PyScenario;
use crate::values::{outcome_from_py, outcome_to_py};

/// A zopa strategy (`"aspiration"`, `"boulware:e=0.1"`) playing party `party` of `scenario` at
/// an alternating-offers table of `negotiators` seats, in seat `index`, with a deadline of
/// `rounds` rounds: what a zopa run builds for a seat, driven from outside by `act`.
#[pyclass(name = "Strategy", module = "zopa")]
pub struct PyStrategy {
    /// Behind a lock so the object may be dropped, or moved, on any thread.
    negotiator: Mutex<Box<dyn Negotiator>>,
    setup: Arc<Setup>,
    history: Vec<Move>,
    label: String,
}

#[pymethods]
impl PyStrategy {
    #[new]
    #[pyo3(signature = (scenario, party, spec, rounds=None, index=0, negotiators=2, seed=0))]
    fn new(
        scenario: &Bound<'_, PyScenario>,
        party: &str,
        spec: &str,
        rounds: Option<u32>,
        index: usize,
        negotiators: usize,
        seed: u64,
    ) -> PyResult<PyStrategy> {
        let s = &scenario.get().scenario;
        let p = s.party_index(party).ok_or_else(|| {
            let known: Vec<&str> = s.parties.iter().map(|p| p.name.as_str()).collect();
            OptionError::new_err(format!(
                "no party named `{party}`; the parties are: {}",
                known.join(", ")
            ))
        })?;
        if index >= negotiators {
            return Err(OptionError::new_err(format!(
                "seat {index} does not exist at a table of {negotiators}"
            )));
        }
        let bad = |e: &dyn std::fmt::Display| OptionError::new_err(e.to_string());
        let resolved = Spec::parse(spec)
            .and_then(|s| zopa_mechanisms::resolve(&s, Kind::Negotiator))
            .and_then(|r| r.seated_in(Protocol::Sao))
            .map_err(|e| bad(&e))?;
        let party_ = &s.parties[p];
        // As a zopa run seats it (protocols::driver::Driver::setup), with the ranking a run
        // seeded `seed` builds.
        let setup = Setup {
            name: party_.name.clone(),
            index,
            negotiators,
            issues: Arc::new(s.issues.clone()),
            utility: Arc::new(party_.utility.clone()),
            reservation: party_.reservation_value(),
            discount: party_.discount,
            cost_per_round: party_.cost_per_round.unwrap_or(0.0),
            deadline: Deadline { rounds, time: None },
            seed: zopa_mechanisms::protocols::derive_seed(seed, index as u64),
            red_lines: party_.red_lines.clone(),
            outcomes: Arc::new(Ranking::ready(Arc::new(Bidding::for_party(s, p, seed)))),
        };
        let negotiator = catch_unwind(AssertUnwindSafe(|| resolved.negotiator(&setup)))
            .map_err(|_| ZopaError::new_err(format!("`{spec}` could not start")))?;
        Ok(PyStrategy {
            negotiator: Mutex::new(negotiator),
            setup: Arc::new(setup),
            history: Vec::new(),
            label: resolved.label,
        })
    }

    /// Its move on its turn at `round` (from 0), relative time `time` ∈ [0, 1], after `moves`:
    /// the moves made since its last turn (its own included or not: its own are ignored),
    /// oldest first, each `(actor, move)` with `actor` a seat index and `move` an outcome dict,
    /// `"accept"` or `"end"`. Returns an outcome dict (its offer, which turns the standing
    /// offer down), `"accept"` or `"end"`.
    fn act<'py>(
        &mut self,
        py: Python<'py>,
        round: u32,
        time: f64,
        moves: Vec<(usize, Bound<'py, PyAny>)>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let me = self.setup.index;
        for (actor, m) in moves {
            if actor == me {
                continue;
            }
            let action = if let Ok(word) = m.cast::<PyString>() {
                match word.to_str()? {
                    "accept" => Action::Accept,
                    "end" => Action::End,
                    other => {
                        return Err(OptionError::new_err(format!(
                            "`{other}` is no move; give an outcome dict, \"accept\" or \"end\""
                        )))
                    }
                }
            } else {
                Action::Offer(
                    outcome_from_py(&self.setup.issues, &m).map_err(OptionError::new_err)?,
                )
            };
            self.history.push(Move {
                round,
                time,
                actor,
                action,
            });
        }
        let view = View {
            round,
            time,
            history: &self.history,
            offset: 0,
            reservation: self.setup.reservation,
        };
        let failed = || ZopaError::new_err(format!("`{}` failed on its turn", self.label));
        let mut negotiator = self.negotiator.lock().map_err(|_| failed())?;
        let action =
            catch_unwind(AssertUnwindSafe(|| negotiator.act(&view))).map_err(|_| failed())?;
        drop(negotiator);
        let answer = match &action {
            Action::Offer(o) => outcome_to_py(py, &self.setup.issues, o)?.into_any(),
            Action::Accept => "accept".into_pyobject(py)?.into_any(),
            Action::End => "end".into_pyobject(py)?.into_any(),
        };
        self.history.push(Move {
            round,
            time,
            actor: me,
            action,
        });
        Ok(answer)
    }

    /// Its own utility of `outcome`.
    fn utility(&self, outcome: &Bound<'_, PyAny>) -> PyResult<f64> {
        let o = outcome_from_py(&self.setup.issues, outcome).map_err(OptionError::new_err)?;
        Ok(self.setup.utility_of(&o))
    }

    /// The strategy as written (`"boulware:e=0.1"`).
    #[getter]
    fn label(&self) -> &str {
        &self.label
    }

    fn __repr__(&self) -> String {
        format!("<zopa.Strategy {} as {}>", self.label, self.setup.name)
    }
}
