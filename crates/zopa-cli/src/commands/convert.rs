use std::path::PathBuf;

use anyhow::{Context, Result};
use zopa_core::analysis::Definitions;

#[derive(clap::Args)]
pub struct Args {
    /// Scenario file or folder (zopa TOML, GENIUS XML, GeniusWeb JSON, NegoLog JSON).
    input: PathBuf,
    /// Where to write the native TOML scenario (`-` for standard output).
    output: PathBuf,
    /// Read GENIUS evaluations the way these definitions do (`negmas` reads them raw).
    #[arg(long, default_value = "genius", value_parser = super::parse_definitions)]
    definitions: Definitions,
}

pub fn run(args: Args) -> Result<()> {
    let scenario = super::load(&args.input, args.definitions)?;
    let text = zopa_formats::to_toml(&scenario);
    if args.output.as_os_str() == "-" {
        {
            use std::io::Write as _;
            write!(std::io::stdout().lock(), "{text}")?;
        }
    } else {
        std::fs::write(&args.output, text)
            .with_context(|| format!("cannot write {}", args.output.display()))?;
        for note in &scenario.notes {
            eprintln!("note: {note}");
        }
        eprintln!(
            "wrote {} ({} issues, {} parties)",
            args.output.display(),
            scenario.issues.len(),
            scenario.parties.len()
        );
    }
    Ok(())
}
