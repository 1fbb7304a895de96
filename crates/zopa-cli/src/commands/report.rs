use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, Result};
use zopa_core::analysis::Definitions;

#[derive(clap::Args)]
pub struct Args {
    /// Scenario file or folder.
    scenario: PathBuf,
    /// Folder to write report.html and report.md into.
    #[arg(long)]
    out: PathBuf,
}

pub fn run(args: Args) -> Result<()> {
    let start = Instant::now();
    let scenario = super::load(&args.scenario, Definitions::Zopa)?;
    let bar = super::progress::bar(zopa_report::STEPS.len() as u64, "parts");
    let report = zopa_report::build_with(&scenario, &mut |done, _, next| {
        bar.set_position(done as u64);
        bar.set_message(next.to_string());
    })
    .map_err(|e| anyhow::anyhow!("{}: {e}", args.scenario.display()))?;
    bar.finish_and_clear();
    let md = zopa_report::markdown::render(&scenario, &report);
    let html = zopa_report::html::render(&scenario, &report, &md);
    std::fs::create_dir_all(&args.out)
        .with_context(|| format!("cannot create {}", args.out.display()))?;
    std::fs::write(args.out.join("report.md"), &md)?;
    std::fs::write(args.out.join("report.html"), &html)?;
    crate::outln!(
        "wrote {} and {} ({} simulated runs, {} sensitivity rows) in {:.2} s",
        args.out.join("report.html").display(),
        args.out.join("report.md").display(),
        report.simulations.len(),
        report.sensitivity.len(),
        start.elapsed().as_secs_f64()
    );
    Ok(())
}
