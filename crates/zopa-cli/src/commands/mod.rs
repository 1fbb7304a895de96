pub mod analyze;
pub mod convert;
pub mod forecast;
pub mod progress;
pub mod report;
pub mod run;
pub mod serve;
pub mod strategies;
pub mod tournament;

/// A negotiation that ended in an error (a party failed or broke the protocol): its result was
/// printed; `zopa` exits with 1 (other errors exit with 2).
#[derive(Debug)]
pub struct NegotiationFailed(pub String);

impl std::fmt::Display for NegotiationFailed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "the negotiation ended in an error: {}", self.0)
    }
}

impl std::error::Error for NegotiationFailed {}

use std::path::Path;

use anyhow::Result;
use zopa_core::analysis::Definitions;
use zopa_core::Scenario;

/// Loads a scenario; NegMAS definitions read GENIUS evaluations raw, as NegMAS does.
pub fn load(path: &Path, definitions: Definitions) -> Result<Scenario> {
    Ok(zopa_api::load(path, definitions)?)
}

pub fn parse_definitions(s: &str) -> Result<Definitions, String> {
    zopa_api::parse_definitions(s)
}

/// `println!` that reports a closed pipe as an error instead of panicking.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)?;
    }};
}

/// `print!` that reports a closed pipe as an error instead of panicking.
#[macro_export]
macro_rules! out {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        write!(std::io::stdout().lock(), $($arg)*)?;
    }};
}
