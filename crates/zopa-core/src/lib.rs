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
pub mod bidding;
mod calendar;
mod issue;
mod outside;
mod position;
mod ranges;
mod restriction;
mod scenario;
mod text;
mod timeline;
mod utility;

pub use calendar::{parse_date, Calendar, Date, DateError};
pub use issue::{Issue, IssueKind, Misfit, Value};
pub use outside::{
    NoDeal, NoDealChange, NoDealForm, NoDealKey, NoDealProblem, OutsideOption, OutsideState,
    ReservationChange,
};
pub use position::{Curve, PositionalEvaluator, Shape, Stance};
pub use ranges::{scale as scale_event, Point, Range, Ranges, Varies, VariesKey};
pub use restriction::{
    Condition, Exclusion, Restriction, RestrictionKey, RestrictionProblem, Test, CONDITION_GRAMMAR,
};
pub use scenario::{
    CalendarKey, EventTime, Party, Role, Scenario, ScenarioError, ScenarioEvent, StanceMove,
};
pub use text::{Label, Text};
pub use timeline::{Happening, Timeline, DEFAULT_ROUNDS};
pub use utility::{
    AdditiveUtility, Aggregation, ConstraintUtility, Evaluator, HyperRectangle, NumericEvaluator,
    RectangleKind, Scorer, UtilityFunction,
};

/// A utility rounded for people to read: 12 significant digits, so that `0.30000000000000004`
/// reads `0.3` while every difference that matters in a negotiation stays visible. JSON keeps
/// full precision; text output uses this.
pub fn round_for_display(x: f64) -> f64 {
    if !x.is_finite() || x == 0.0 {
        return x;
    }
    format!("{x:.11e}").parse().unwrap_or(x) + 0.0
}
