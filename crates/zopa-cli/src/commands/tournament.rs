use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Subcommand;
use zopa_tournament::check::Checks;
use zopa_tournament::report::{
    leaderboard_csv, leaderboard_parquet, merge, negotiation_csv_line, Board, NegotiationsParquet,
    NEGOTIATIONS_CSV_HEADER,
};
use zopa_tournament::runner::{run_tournament, Options};
use zopa_tournament::store::{Row, Store};
use zopa_tournament::{Plan, Tournament};

#[derive(clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run (or resume) a tournament into a SQLite database.
    Run {
        file: PathBuf,
        #[arg(long, default_value = "results.sqlite")]
        db: PathBuf,
        /// Worker threads (default: every core).
        #[arg(long)]
        jobs: Option<usize>,
        /// Run only shard I of N (0 ≤ I < N): every N-th negotiation starting at I.
        #[arg(long)]
        shard: Option<String>,
    },
    /// Print the job list: one line per negotiation with its id and seed.
    Plan {
        file: PathBuf,
        #[arg(long)]
        json: bool,
    },
    /// Leaderboards per strategy, overall and per scenario; exports.
    Report {
        db: PathBuf,
        /// Write DIR/negotiations.csv and DIR/leaderboard.csv.
        #[arg(long)]
        csv: Option<PathBuf>,
        /// Write DIR/negotiations.parquet and DIR/leaderboard.parquet.
        #[arg(long)]
        parquet: Option<PathBuf>,
    },
    /// Merge shard databases of one plan into a new database.
    Merge { out: PathBuf, shards: Vec<PathBuf> },
}

/// Rows with impossible values a report lists by id (it counts them all).
const LISTED: usize = 20;

fn base_of(file: &Path) -> PathBuf {
    file.parent()
        .map(Path::to_path_buf)
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or_else(|| PathBuf::from("."))
}

fn shard(text: &str) -> Result<(usize, usize)> {
    let (i, n) = text
        .split_once('/')
        .with_context(|| format!("--shard `{text}`: write I/N, e.g. 0/4"))?;
    let (i, n): (usize, usize) = (i.trim().parse()?, n.trim().parse()?);
    if n == 0 || i >= n {
        bail!("--shard {text}: need 0 ≤ I < N");
    }
    Ok((i, n))
}

pub fn run(args: Args) -> Result<()> {
    match args.command {
        Command::Run {
            file,
            db,
            jobs,
            shard: s,
        } => {
            let t = Tournament::load(&file)?;
            let shard = s.as_deref().map(shard).transpose()?;
            let jobs =
                jobs.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
            let start = Instant::now();
            let bar = super::progress::bar(0, "negotiations");
            let progress = |done: usize, total: usize| {
                bar.set_length(total as u64);
                bar.set_position(done as u64);
            };
            let summary = run_tournament(
                &t,
                &base_of(&file),
                &db,
                Options {
                    jobs,
                    shard,
                    batch: zopa_tournament::runner::BATCH,
                    writing: None,
                },
                &progress,
            )?;
            bar.finish_and_clear();
            let secs = start.elapsed().as_secs_f64();
            crate::outln!(
                "{} negotiations in {}: {} run now in {:.2} s ({:.0}/s on {jobs} thread{}), {} already stored",
                summary.total,
                db.display(),
                summary.ran,
                secs,
                summary.ran as f64 / secs.max(1e-9),
                if jobs == 1 { "" } else { "s" },
                summary.skipped
            );
        }
        Command::Plan { file, json } => {
            let t = Tournament::load(&file)?;
            let plan = Plan::new(&t, &base_of(&file))?;
            // Streamed: each job is computed as it is printed, the hash as the ids go by.
            let mut hash = plan.hasher();
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            for j in plan.iter_jobs() {
                hash.add(&j.id);
                if json {
                    let line = serde_json::json!({"index": j.index, "id": j.id, "scenario": plan.scenario_keys[j.scenario], "first": j.first, "second": j.second, "rotated": j.rotated, "repetition": j.repetition, "seed": j.seed.to_string()});
                    writeln!(out, "{line}")?;
                } else {
                    writeln!(
                        out,
                        "{:>6} {} {} {} vs {} rep {} seed {}",
                        j.index,
                        j.id,
                        plan.scenario_keys[j.scenario],
                        j.first,
                        j.second,
                        j.repetition,
                        j.seed
                    )?;
                }
            }
            if !json {
                writeln!(out, "{} negotiations, plan {}", plan.len(), hash.finish())?;
            }
            out.flush()?;
        }
        Command::Report { db, csv, parquet } => {
            // Rows are read one at a time, twice (sums, then spreads around the means); only
            // the leaderboard's sums and the rows a Parquet export needs are held.
            let store = Store::existing(&db)?;
            let checks = Checks::of(&store)?;
            let mut board = Board::default();
            let mut stored = 0usize;
            let mut bad: Vec<(Row, Vec<String>)> = Vec::new();
            let mut bad_count = 0usize;
            // The Parquet export is written a row group at a time as the rows are read.
            let mut parquet_out = match &parquet {
                Some(dir) => {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("cannot create {}", dir.display()))?;
                    let path = dir.join("negotiations.parquet");
                    let f = std::fs::File::create(&path)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    Some(NegotiationsParquet::new(std::io::BufWriter::new(f))?)
                }
                None => None,
            };
            let mut csv_out = match &csv {
                Some(dir) => {
                    std::fs::create_dir_all(dir)
                        .with_context(|| format!("cannot create {}", dir.display()))?;
                    let path = dir.join("negotiations.csv");
                    let f = std::fs::File::create(&path)
                        .with_context(|| format!("cannot write {}", path.display()))?;
                    let mut w = std::io::BufWriter::new(f);
                    w.write_all(NEGOTIATIONS_CSV_HEADER.as_bytes())?;
                    Some(w)
                }
                None => None,
            };
            store.snapshot(|store| -> Result<()> {
                store.for_each_row(|r| -> Result<()> {
                    stored += 1;
                    let problems = checks.problems(&r);
                    if !problems.is_empty() {
                        bad_count += 1;
                        if bad.len() < LISTED {
                            bad.push((r, problems));
                        }
                        return Ok(());
                    }
                    board.add(&r);
                    if let Some(w) = csv_out.as_mut() {
                        w.write_all(negotiation_csv_line(&r).as_bytes())?;
                    }
                    if let Some(w) = parquet_out.as_mut() {
                        w.push(r)?;
                    }
                    Ok(())
                })?;
                if let Some(mut w) = csv_out.take() {
                    w.flush()?;
                }
                if let Some(w) = parquet_out.take() {
                    w.finish()?;
                }
                store.for_each_row(|r| -> Result<()> {
                    if checks.problems(&r).is_empty() {
                        board.add_spread(&r);
                    }
                    Ok(())
                })
            })?;
            let standings = board.standings();
            let total: usize = store
                .meta("total")?
                .and_then(|t| t.parse().ok())
                .unwrap_or(stored);
            crate::outln!(
                "{} of {} negotiations stored in {}\n",
                stored,
                total,
                db.display()
            );
            if bad_count > 0 {
                crate::outln!(
                    "{bad_count} of them left out of the leaderboard and the exports: their stored values cannot be right (a damaged database?):"
                );
                for (r, problems) in &bad {
                    crate::outln!(
                        "  negotiation {} (job {}): {}",
                        r.id,
                        r.job,
                        problems.join("; ")
                    );
                }
                if bad_count > bad.len() {
                    crate::outln!("  … and {} more", bad_count - bad.len());
                }
            }
            // The strategy column is as wide as the longest label (`exec:python3 …` included).
            let w = standings
                .iter()
                .map(|s| s.strategy.chars().count())
                .max()
                .unwrap_or(0)
                .max(28);
            let mut scope = String::new();
            for s in &standings {
                if s.scope != scope {
                    scope = s.scope.clone();
                    crate::outln!("\n{scope}");
                    crate::outln!(
                        "  {:<w$} {:>5} {:>16} {:>9} {:>8} {:>7} {:>7} {:>7} {:>6}",
                        "strategy",
                        "n",
                        "utility ± 95%",
                        "advantage",
                        "welfare",
                        "agree",
                        "pareto",
                        "nash",
                        "rounds"
                    );
                }
                let f = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{v:.3}"));
                crate::outln!(
                    "  {:<w$} {:>5} {:>8.3} ± {:<5.3} {:>9.3} {:>8.3} {:>6.0}% {:>7} {:>7} {:>6.1}",
                    s.strategy,
                    s.n,
                    s.mean_utility,
                    s.ci95,
                    s.advantage,
                    s.welfare,
                    100.0 * s.agreement_rate,
                    f(s.pareto_distance),
                    f(s.nash_distance),
                    s.rounds
                );
            }
            let modelled: Vec<_> = standings
                .iter()
                .filter(|s| s.scope == "overall" && s.model_n > 0)
                .collect();
            if !modelled.is_empty() {
                crate::outln!("\nopponent models (overall; the negotiations in which the strategy kept one, scored at their end)");
                crate::outln!(
                    "  {:<28} {:>5} {:>7} {:>9} {:>10} {:>12}",
                    "strategy",
                    "n",
                    "RMSE",
                    "Kendall τ",
                    "Spearman ρ",
                    "Kendall opt."
                );
                let f = |x: Option<f64>| x.map_or("-".to_string(), |v| format!("{v:.3}"));
                for s in modelled {
                    crate::outln!(
                        "  {:<28} {:>5} {:>7} {:>9} {:>10} {:>12}",
                        s.strategy,
                        s.model_n,
                        f(s.model_rmse),
                        f(s.model_kendall_tau),
                        f(s.model_spearman),
                        f(s.model_kendall_optimality)
                    );
                }
            }
            if let Some(dir) = csv {
                std::fs::write(dir.join("leaderboard.csv"), leaderboard_csv(&standings))?;
                crate::outln!(
                    "\nwrote {} and {}",
                    dir.join("negotiations.csv").display(),
                    dir.join("leaderboard.csv").display()
                );
            }
            if let Some(dir) = parquet {
                std::fs::write(
                    dir.join("leaderboard.parquet"),
                    leaderboard_parquet(&standings)?,
                )?;
                crate::outln!(
                    "\nwrote {} and {}",
                    dir.join("negotiations.parquet").display(),
                    dir.join("leaderboard.parquet").display()
                );
            }
        }
        Command::Merge { out, shards } => {
            let refs: Vec<&Path> = shards.iter().map(PathBuf::as_path).collect();
            let m = merge(&out, &refs)?;
            crate::outln!(
                "merged {} of {} negotiations into {}",
                m.merged,
                m.total,
                out.display()
            );
            if m.missing_count > 0 {
                let shown: Vec<String> = m.missing.iter().take(20).map(|j| j.to_string()).collect();
                crate::outln!(
                    "missing {} negotiations (plan indices {}{})",
                    m.missing_count,
                    shown.join(", "),
                    if m.missing_count > 20 { ", …" } else { "" }
                );
                bail!("the merged database is incomplete: rerun the shards that hold the missing jobs");
            }
        }
    }
    Ok(())
}
