use std::path::PathBuf;

use anyhow::{bail, Context, Result};
use zopa_forecast::{ktab, smp as smp_model};

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

/// Hands every `--set KEY=VALUE` to `set`, naming the bad one on error.
fn each_set(args: &Args, mut set: impl FnMut(&str, &str) -> Result<(), String>) -> Result<()> {
    for kv in &args.set {
        let (k, v) = kv.split_once('=').with_context(|| {
            format!("--set `{kv}`: expected KEY=VALUE, e.g. VotingRule=PropCbc or Variant=dmasad")
        })?;
        set(k.trim(), v.trim()).map_err(|e| anyhow::anyhow!("--set `{kv}`: {e}"))?;
    }
    Ok(())
}

/// Applies `--set` and `--seed` over the options the input gave.
fn with_overrides(args: &Args, mut options: smp_model::Options) -> Result<smp_model::Options> {
    each_set(args, |k, v| options.set(k, v))?;
    if let (Some(seed), Some(s)) = (args.seed, options.stochastic.as_mut()) {
        *s = seed;
    }
    Ok(options)
}

/// What a forecast input holds.
pub enum Input {
    /// One issue, `actor,capability,position,salience` (the expected-utility model's CSV).
    Issue(Vec<zopa_forecast::eum::Stakeholder>),
    /// Positions and saliences per dimension (KTAB CSV/XML or a zopa scenario).
    Spatial {
        scenario: ktab::KtabScenario,
        options: smp_model::Options,
        /// How the expected-utility model reads the saliences.
        salience: zopa_forecast::eum::SalienceRule,
    },
}

impl Input {
    fn load(args: &Args) -> Result<Input> {
        let path = &args.scenario;
        let ext = |e: &str| path.extension().is_some_and(|x| x.eq_ignore_ascii_case(e));
        let read = || {
            std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))
        };
        let bad = |e: &dyn std::fmt::Display| anyhow::anyhow!("{}: {e}", path.display());
        if ext("xml") {
            let (scenario, options, notes) = ktab::parse_xml(&read()?).map_err(|e| bad(&e))?;
            for n in &notes {
                eprintln!("note: {n}");
            }
            return Ok(Input::Spatial {
                scenario,
                options,
                salience: zopa_forecast::eum::SalienceRule::AsGiven,
            });
        }
        if ext("csv") {
            let text = read()?;
            // KTAB's first line is `name, description, actors, dimensions`; the EUM CSV's a
            // header of four names.
            if ktab::is_ktab_csv(&text) {
                let scenario = ktab::parse_csv(&text).map_err(|e| bad(&e))?;
                return Ok(Input::Spatial {
                    scenario,
                    options: smp_model::Options::default(),
                    salience: zopa_forecast::eum::SalienceRule::AsGiven,
                });
            }
            let actors = zopa_forecast::eum::parse_csv(&text).map_err(|e| bad(&e))?;
            return Ok(Input::Issue(actors));
        }
        // A zopa scenario (TOML, GENIUS, …) with capabilities.
        let scenario = super::load(path, zopa_core::analysis::Definitions::Zopa)?;
        let inputs = zopa_forecast::native::inputs(&scenario).map_err(|missing| {
            anyhow::anyhow!(
                "{}: cannot forecast: {}; add `capability = …` to every party (and `positions = […]` to issues whose values are not evenly spaced)",
                path.display(),
                missing.join("; ")
            )
        })?;
        let salience = inputs.eum_salience();
        Ok(Input::Spatial {
            scenario: ktab::KtabScenario {
                name: scenario.name.clone(),
                description: scenario.description.clone().unwrap_or_default(),
                dimensions: inputs.dimensions,
                actors: inputs.actors,
                accommodation: None,
            },
            options: smp_model::Options::default(),
            salience,
        })
    }
}

pub fn run(args: Args) -> Result<()> {
    if !matches!(args.model.as_str(), "smp" | "eum") {
        bail!("unknown model `{}`; use smp or eum", args.model);
    }
    match (args.model.as_str(), Input::load(&args)?) {
        ("smp", Input::Spatial {
            scenario, options, ..
        }) => smp::report(&args, &scenario, options),
        ("smp", Input::Issue(_)) => bail!(
            "{}: an actor,capability,position,salience CSV is an expected-utility input; use --model eum, or give SMP a KTAB CSV/XML or a zopa scenario",
            args.scenario.display()
        ),
        (_, Input::Issue(actors)) => eum::single(&args, &actors),
        (_, Input::Spatial {
            scenario, salience, ..
        }) => eum::spatial(&args, &scenario, salience),
    }
}
