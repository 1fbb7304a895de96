//! zopa-tournament: every strategy against every other, on many scenarios, in both roles,
//! many times — planned up front, run in parallel, stored in SQLite as it goes, resumable.
//!
//! * [`config`]: the tournament file (`docs/tournaments.md`).
//! * [`plan`]: the job list; every negotiation has a stable id and its own seed derived from
//!   the master seed, so any one can be replayed alone and shards can be merged.
//! * [`store`]: the SQLite database (config, version, one row per negotiation).
//! * [`runner`]: runs the missing jobs of a plan (or of one shard) on a rayon pool and commits
//!   results in batches, so a kill loses at most what was in flight.
//! * [`write`]: how rows reach the database (a writer thread, or the workers in turns).
//! * [`report`]: leaderboards, CSV and Parquet export ([`parquet`] is a small writer).
//! * [`check`]: which stored rows hold impossible values (the report leaves them out).

pub mod check;
pub mod config;
pub mod parquet;
pub mod plan;
pub mod report;
pub mod runner;
pub mod store;
pub mod write;

pub use config::{Tournament, TournamentError};
pub use plan::{Job, Plan};
