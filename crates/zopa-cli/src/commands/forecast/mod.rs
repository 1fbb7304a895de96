use std::path::PathBuf;

use anyhow::Result;
use zopa_api::forecast::{Forecast, ForecastOptions};

mod eum;
mod smp;

#[derive(clap::Args)]
pub struct Args {
    /// A KTAB SMP CSV or XML file, a zopa scenario with party capabilities (smp), or an
    /// `actor,capability,position,salience` CSV (eum).
    scenario: PathBuf,
    /// smp (KTAB's Spatial Model of Politics) or eum (the expected-utility model).
    #[arg(long, default_value = "smp")]
    model: String,
    #[arg(long)]
    json: bool,
    /// Stop after this many turns (SMP; KTAB's default is 100) or rounds (EUM; default 10, as
    /// the ports publish) at most.
    #[arg(long)]
    max_turns: Option<usize>,
    /// A model option (repeatable). SMP: as KTAB's XML names it, over the file's own:
    /// `--set VotingRule=PropCbc --set BargnModel=InitRcvrInterp`; keys VictoryProbModel,
    /// PCEModel, VotingRule, BigRRange, BigRAdjust, ThirdPartyCommit, InterVecBrgn, BargnModel,
    /// StateTransitions. EUM: `Variant=jmckib|dmasad`, `Capitulation=on|off`.
    #[arg(long = "set", value_name = "KEY=VALUE")]
    set: Vec<String>,
    /// Seed of the stochastic transitions (with `--set StateTransitions=Stochastic`).
    #[arg(long)]
    seed: Option<u64>,
}

pub fn run(args: Args) -> Result<()> {
    let options = ForecastOptions {
        model: args.model,
        max_turns: args.max_turns,
        set: args.set,
        seed: args.seed,
    };
    let forecast =
        zopa_api::forecast::forecast(&args.scenario, &options, &mut |n| eprintln!("note: {n}"))?;
    if args.json {
        crate::out!("{}", forecast.to_json_text());
        return Ok(());
    }
    match &forecast {
        Forecast::Smp(f) => smp::print(f),
        Forecast::EumIssue(f) => eum::print_issue(f),
        Forecast::EumSpatial(f) => eum::print_spatial(f),
    }
}
