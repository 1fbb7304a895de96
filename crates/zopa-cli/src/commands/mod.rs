pub mod analyze;
pub mod convert;
pub mod forecast;
pub mod report;
pub mod run;
pub mod serve;
pub mod strategies;
pub mod tournament;

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
