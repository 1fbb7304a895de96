pub mod analyze;
pub mod convert;
pub mod forecast;
pub mod json;
pub mod report;
pub mod run;
pub mod strategies;
pub mod tournament;

use std::path::Path;

use anyhow::Result;
use zopa_core::analysis::Definitions;
use zopa_core::Scenario;
use zopa_formats::{GeniusEvaluations, ReadOptions};

/// Loads a scenario; NegMAS definitions read GENIUS evaluations raw, as NegMAS does.
pub fn load(path: &Path, definitions: Definitions) -> Result<Scenario> {
    let options = ReadOptions {
        genius_evaluations: match definitions {
            Definitions::Negmas => GeniusEvaluations::Raw,
            _ => GeniusEvaluations::Normalized,
        },
    };
    Ok(zopa_formats::load(path, &options)?)
}

pub fn parse_definitions(s: &str) -> Result<Definitions, String> {
    Definitions::parse(s).ok_or_else(|| {
        let all: Vec<&str> = Definitions::ALL.iter().map(|d| d.as_str()).collect();
        format!("unknown definitions `{s}`; use one of: {}", all.join(", "))
    })
}

/// `println!` that reports a closed pipe as an error instead of panicking.
#[macro_export]
macro_rules! outln {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        writeln!(std::io::stdout().lock(), $($arg)*)?;
    }};
}
