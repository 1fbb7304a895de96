//! Runs the missing jobs of a plan on a rayon pool. Workers send finished rows to one writer
//! thread, which commits them in batches (every `batch` rows or half a second), so a kill -9
//! loses at most the negotiations in flight and the last half second; a rerun skips what is
//! stored and never stores a result twice.

use std::path::Path;
use std::sync::mpsc;
use std::sync::Arc;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use zopa_core::analysis::{analyze, Analysis, AnalysisConfig, Definitions};
use zopa_core::Scenario;
use zopa_mechanisms::{run, Deadline, Protocol, RunSpec, Spec};

use crate::config::{Tournament, TournamentError};
use crate::plan::{Job, Plan};
use crate::store::{Row, Store};

/// How to run.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Worker threads.
    pub jobs: usize,
    /// Run only shard `i` of `n`.
    pub shard: Option<(usize, usize)>,
    /// Rows per commit.
    pub batch: usize,
}

/// What a run did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Jobs of this plan (or shard).
    pub total: usize,
    /// Found already stored.
    pub skipped: usize,
    /// Run now.
    pub ran: usize,
}

/// A scenario with the two seated parties and the analysis used for metrics.
struct Prepared {
    scenario: Scenario,
    cache: Arc<zopa_mechanisms::outcomes::OutcomeCache>,
    seats: [usize; 2],
    analysis: Option<Analysis>,
}

fn prepare(path: &Path) -> Result<Prepared, TournamentError> {
    let scenario = zopa_formats::load(path, &zopa_formats::ReadOptions::genius())?;
    let negotiators = scenario.negotiators();
    if negotiators.len() < 2 {
        return Err(TournamentError::Plan(format!(
            "{}: fewer than two negotiators",
            path.display()
        )));
    }
    let seats = [negotiators[0], negotiators[1]];
    let mut config = AnalysisConfig::new(Definitions::Zopa);
    config.parties = Some(seats.to_vec());
    let analysis = analyze(&scenario, &config).ok();
    let cache = Arc::new(zopa_mechanisms::outcomes::OutcomeCache::new(
        scenario.parties.len(),
    ));
    Ok(Prepared {
        scenario,
        cache,
        seats,
        analysis,
    })
}

fn run_job(job: &Job, p: &Prepared, t: &Tournament, key: &str) -> Row {
    let spec = RunSpec {
        ratification: Default::default(),
        protocol: Protocol::Sao,
        negotiators: vec![
            Spec::parse(&job.first).expect("checked"),
            Spec::parse(&job.second).expect("checked"),
        ],
        parties: Some(p.seats.to_vec()),
        mediator: None,
        deadline: Deadline::rounds(t.rounds),
        seed: job.seed,
        cache: Some(Arc::clone(&p.cache)),
        record_trace: t.store_traces,
    };
    let [a, b] = p.seats;
    let (ra, rb) = (
        p.scenario.parties[a].reservation_value(),
        p.scenario.parties[b].reservation_value(),
    );
    // What every row says; a run that could not start keeps the reservation values.
    let base = Row {
        id: job.id.clone(),
        job: job.index,
        scenario: key.to_string(),
        first: job.first.clone(),
        second: job.second.clone(),
        party_first: p.scenario.parties[a].name.clone(),
        party_second: p.scenario.parties[b].name.clone(),
        repetition: job.repetition,
        rotated: job.rotated,
        seed: job.seed,
        end: "error".into(),
        agreement: None,
        utility_first: ra,
        utility_second: rb,
        reserved_first: ra,
        reserved_second: rb,
        welfare: 0.0,
        pareto_distance: None,
        nash_distance: None,
        rounds: 0,
        time: 0.0,
        error: None,
        trace: None,
    };
    let mut r = match run(&p.scenario, &spec) {
        Ok(r) => r,
        Err(e) => {
            return Row {
                error: Some(e.to_string()),
                ..base
            }
        }
    };
    if let Some(an) = &p.analysis {
        r.measure(an);
    }
    let agreement = r.agreement.as_ref().map(|o| {
        let map: serde_json::Map<String, serde_json::Value> = o
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                (
                    p.scenario.issues[i].name.clone(),
                    serde_json::Value::String(p.scenario.issues[i].display(v)),
                )
            })
            .collect();
        serde_json::Value::Object(map).to_string()
    });
    let trace = t.store_traces.then(|| {
        let lines: Vec<serde_json::Value> = r
            .trace
            .iter()
            .map(|e| serde_json::json!({"round": e.round, "time": e.time, "actor": e.actor, "action": e.action, "utilities": e.utilities, "note": e.note}))
            .collect();
        serde_json::Value::Array(lines).to_string()
    });
    let m = r.metrics.as_ref();
    Row {
        end: r.end.as_str().to_string(),
        agreement,
        utility_first: r.utilities[a],
        utility_second: r.utilities[b],
        welfare: r.utilities[a] + r.utilities[b],
        pareto_distance: m.and_then(|m| m.pareto_distance),
        nash_distance: m.and_then(|m| m.nash_distance),
        rounds: r.rounds,
        time: r.time,
        error: match &r.end {
            zopa_mechanisms::End::Error(e) => Some(e.clone()),
            _ => None,
        },
        trace,
        ..base
    }
}

/// Negotiations a worker runs before handing their rows to the writer.
const CHUNK: usize = 32;

/// Runs the tournament into `db`, calling `progress(done, total)` after every commit.
pub fn run_tournament(
    t: &Tournament,
    base: &Path,
    db: &Path,
    options: Options,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Summary, TournamentError> {
    let plan = Plan::new(t, base)?;
    let config = serde_json::to_string(t).expect("serialisable");
    let mut store = Store::open(db, &plan.hash, &config, plan.jobs.len())?;
    let done = store.done_ids()?;
    let mine: Vec<&Job> = match options.shard {
        Some((i, n)) => plan.shard(i, n).collect(),
        None => plan.jobs.iter().collect(),
    };
    let total = mine.len();
    let todo: Vec<&Job> = mine.into_iter().filter(|j| !done.contains(&j.id)).collect();
    let skipped = total - todo.len();
    if todo.is_empty() {
        progress(total, total);
        return Ok(Summary {
            total,
            skipped,
            ran: 0,
        });
    }
    let mut needed: Vec<usize> = todo.iter().map(|j| j.scenario).collect();
    needed.sort_unstable();
    needed.dedup();
    let mut prepared: Vec<Option<Arc<Prepared>>> = vec![None; plan.scenarios.len()];
    for s in needed {
        prepared[s] = Some(Arc::new(prepare(&plan.scenarios[s])?));
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.max(1))
        .build()
        .map_err(|e| {
            TournamentError::Plan(format!("cannot start {} worker threads: {e}", options.jobs))
        })?;
    // Rows travel to the writer in small chunks: one channel message (and one wake-up of the
    // writer) per chunk instead of per negotiation.
    let (tx, rx) = mpsc::channel::<Vec<Row>>();
    let ran = todo.len();
    let writer = std::thread::scope(|scope| -> Result<(), TournamentError> {
        let writer = scope.spawn(move || -> Result<(), TournamentError> {
            let mut batch = Vec::new();
            let mut last = Instant::now();
            let mut stored = skipped;
            loop {
                let next = rx.recv_timeout(Duration::from_millis(100));
                let closed = matches!(next, Err(mpsc::RecvTimeoutError::Disconnected));
                if let Ok(rows) = next {
                    batch.extend(rows);
                }
                if !batch.is_empty()
                    && (closed
                        || batch.len() >= options.batch
                        || last.elapsed() >= Duration::from_millis(500))
                {
                    store.insert(&batch)?;
                    stored += batch.len();
                    batch.clear();
                    last = Instant::now();
                    progress(stored, total);
                }
                if closed {
                    return Ok(());
                }
            }
        });
        pool.install(|| {
            todo.par_chunks(CHUNK).for_each_with(tx, |tx, jobs| {
                let rows: Vec<Row> = jobs
                    .iter()
                    .map(|job| {
                        let p = prepared[job.scenario].as_ref().expect("prepared");
                        run_job(job, p, t, &plan.scenario_keys[job.scenario])
                    })
                    .collect();
                // The writer only stops on a database error; the run then reports that error.
                let _ = tx.send(rows);
            });
        });
        writer
            .join()
            .unwrap_or_else(|_| Err(TournamentError::Plan("the database writer panicked".into())))
    });
    writer?;
    Ok(Summary {
        total,
        skipped,
        ran,
    })
}
