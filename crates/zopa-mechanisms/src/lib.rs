//! zopa-mechanisms: running negotiations.
//!
//! * [`session`]: what a negotiator may see — its own [`Setup`](session::Setup) (issues, its own
//!   utility function, reservation value, deadline) and a [`View`](session::View) of the moves
//!   so far. Nobody reads another party's preferences.
//! * [`protocols`]: alternating offers (bilateral SAOP and multilateral stacked), and the
//!   mediated single-text procedure (shuttle diplomacy) with voters and mediators.
//! * [`strategies`]: negotiators from the literature, composable from the BOA parts in
//!   [`acceptance`] and [`opponent`], each built from its typed parameters and its setup;
//!   [`registry`] declares every one of them once and resolves CLI specs (`boulware:e=0.1`).
//! * [`accuracy`]: how well a negotiator's opponent model predicted its opponent.
//! * [`trace`]: every move with its utility to every party, the end, and metrics.
//!
//! Every random choice flows from one seed through named ChaCha generators.

pub mod acceptance;
pub mod accuracy;
pub mod bidding;
pub mod opponent;
pub mod outcomes;
pub mod protocols;
pub mod registry;
pub mod runner;
pub mod session;
pub mod strategies;
pub mod trace;

pub use protocols::mediated::Ratification;
pub use registry::{resolve, Resolved, Spec, SpecError};
pub use runner::{run, Protocol, RunError, RunSpec};
pub use session::{Action, Deadline, Move, Setup, View};
pub use trace::{Audience, Blame, End, RunResult, TraceAction, TraceEvent};

/// The one random generator type: portable across platforms and rand versions.
pub type Rng = rand::rngs::ChaCha8Rng;

/// A generator for `stream` of a run seeded with `seed` (one stream per party and role).
pub fn rng(seed: u64, stream: u64) -> Rng {
    use rand::SeedableRng;
    let mut r = Rng::seed_from_u64(seed);
    r.set_stream(stream);
    r
}
