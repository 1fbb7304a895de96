//! zopa-api: what `zopa analyze`, `zopa run` and `zopa forecast` do, without the command line.
//!
//! Both front ends — the `zopa` binary (zopa-cli) and the Python module (zopa-python) — take
//! their options in the same words (`--method additive-frontier`, `boulware:e=0.1`,
//! `--bluff seller:0.3:0.2`), turn them into a configuration here, and write their results
//! with the JSON contracts here. That is why `zopa.run(...)` in Python and `zopa run --json`
//! print the same bytes: there is one writer.
//!
//! * [`load`]: a scenario read as a set of definitions reads it (NegMAS reads GENIUS
//!   evaluations raw).
//! * [`analyze`]: [`AnalyzeOptions`](analyze::AnalyzeOptions) → `AnalysisConfig`, and the
//!   `zopa analyze --json` document.
//! * [`run`]: [`RunOptions`](run::RunOptions) → `RunSpec`, the metrics of a finished run, and
//!   the `zopa run --json` document, streamed as the run goes.
//! * [`forecast`]: [`ForecastOptions`](forecast::ForecastOptions), the input read, the model
//!   run, and the `zopa forecast --json` document of each model.
//! * [`tournament`]: a tournament database read whole, as the leaderboard and the Parquet
//!   exports of `zopa tournament report`.
//! * [`json`]: values and outcomes as `{issue: value}`.

pub mod analyze;
pub mod forecast;
pub mod json;
pub mod run;
pub mod tournament;

use std::path::Path;

use zopa_core::analysis::Definitions;
use zopa_core::Scenario;
use zopa_formats::{GeniusEvaluations, LoadError, ReadOptions};

/// Why a command could not run. Each message is what `zopa` prints after `error: `.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The scenario could not be read: file, place, problem and fix.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// A strategy spec that does not resolve (`boulware:e=x`).
    #[error(transparent)]
    Spec(#[from] zopa_mechanisms::SpecError),
    /// The run cannot seat what was asked (two seats for sao, a voter without a seat, …).
    #[error(transparent)]
    Run(#[from] zopa_mechanisms::RunError),
    /// An option the command cannot use: the message names it and what to write instead.
    #[error("{0}")]
    Option(String),
    /// The analysis refused the scenario (too large for the method asked, …).
    #[error("{0}")]
    Analysis(String),
    /// A tournament file or database that cannot be used.
    #[error(transparent)]
    Tournament(#[from] zopa_tournament::config::TournamentError),
    /// A forecast input that cannot be read or used: the file and what is missing.
    #[error("{0}")]
    Forecast(String),
}

/// How the definitions `definitions` read a scenario file: NegMAS reads GENIUS evaluations
/// raw, as NegMAS does; every other set as GENIUS normalises them.
pub fn read_options(definitions: Definitions) -> ReadOptions {
    ReadOptions {
        genius_evaluations: match definitions {
            Definitions::Negmas => GeniusEvaluations::Raw,
            _ => GeniusEvaluations::Normalized,
        },
    }
}

/// Loads a scenario as `definitions` read it (see [`read_options`]).
pub fn load(path: &Path, definitions: Definitions) -> Result<Scenario, LoadError> {
    zopa_formats::load(path, &read_options(definitions))
}

/// The definitions named `s`, or a message listing them.
pub fn parse_definitions(s: &str) -> Result<Definitions, String> {
    Definitions::parse(s).ok_or_else(|| {
        let all: Vec<&str> = Definitions::ALL.iter().map(|d| d.as_str()).collect();
        format!("unknown definitions `{s}`; use one of: {}", all.join(", "))
    })
}
