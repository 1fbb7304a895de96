//! The `zopa` command: parse arguments, call the library, print, set the exit code.

// The CLI is the one crate that prints.
#![allow(clippy::print_stdout, clippy::print_stderr)]

mod commands;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// mimalloc: per-thread heaps, and a fraction of glibc malloc's cost on the many small
/// allocations of a negotiation (measured in bench/speed.py).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "zopa", version, about = "Model, analyse and run negotiations")]
struct Cli {
    /// Draw no progress bars (they are drawn on stderr only while it is a terminal).
    #[arg(long, short, global = true)]
    quiet: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Outcome count, Pareto frontier, Nash / Kalai–Smorodinsky / egalitarian / max-welfare
    /// points, opposition and the zone of possible agreement.
    Analyze(commands::analyze::Args),
    /// Write any readable scenario in zopa's native TOML format.
    Convert(commands::convert::Args),
    /// Forecast how stakeholder positions move (KTAB's SMP; expected-utility central positions).
    Forecast(commands::forecast::Args),
    /// Run one negotiation and show every offer.
    Run(Box<commands::run::Args>),
    /// Write a self-contained HTML report (and its Markdown twin) of a scenario.
    Report(commands::report::Args),
    /// A local web app: browse scenarios, start negotiations, watch them live, play a seat.
    Serve(commands::serve::Args),
    /// List every strategy, voter and mediator with its parameters.
    Strategies(commands::strategies::Args),
    /// Tournaments: plan, run (parallel, resumable, SQLite), report, merge shards.
    Tournament(commands::tournament::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    commands::progress::set_quiet(cli.quiet);
    let result = match cli.command {
        Command::Analyze(args) => commands::analyze::run(args),
        Command::Convert(args) => commands::convert::run(args),
        Command::Run(args) => commands::run::run(*args),
        Command::Forecast(args) => commands::forecast::run(args),
        Command::Report(args) => commands::report::run(args),
        Command::Serve(args) => commands::serve::run(args),
        Command::Strategies(args) => commands::strategies::run(args),
        Command::Tournament(args) => commands::tournament::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        // `zopa … | head`: the reader left; that is not an error.
        Err(e)
            if e.downcast_ref::<std::io::Error>()
                .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe) =>
        {
            ExitCode::SUCCESS
        }
        Err(e) if e.downcast_ref::<commands::NegotiationFailed>().is_some() => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(2)
        }
    }
}
