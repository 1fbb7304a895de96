//! zopa-core: the negotiation scenario model and its exact analysis.
//!
//! This crate does no I/O. Readers live in `zopa-formats`, printing in the CLI.
//!
//! * [`Scenario`]: issues, parties with their roles and utility functions.
//! * [`analysis::analyze`]: the outcome count, the Pareto frontier, Nash, Kalai–Smorodinsky,
//!   egalitarian and max-welfare points, opposition and the zone of possible agreement, either
//!   by enumeration or, for additive utilities, by an exact issue-by-issue frontier merge that
//!   never enumerates the outcome space.

pub mod analysis;
mod issue;
mod scenario;
mod utility;

pub use issue::{Issue, IssueKind, Value};
pub use scenario::{
    EventTime, Party, ReservationChange, Role, Scenario, ScenarioError, ScenarioEvent,
};
pub use utility::{
    AdditiveUtility, Aggregation, ConstraintUtility, Evaluator, HyperRectangle, NumericEvaluator,
    RectangleKind, UtilityFunction,
};
