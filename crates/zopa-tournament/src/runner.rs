//! Runs the missing jobs of a plan on a rayon pool. Finished rows are committed in batches
//! (every `batch` rows or half a second; [`crate::write`] says by whom), so a kill -9 loses at
//! most the negotiations in flight and the last half second or so; a rerun skips what is
//! stored and never stores a result twice.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use rayon::prelude::*;
use zopa_core::analysis::{analyze, Analysis, AnalysisConfig, Definitions};
use zopa_core::Scenario;
use zopa_mechanisms::outcomes::OutcomeCache;
use zopa_mechanisms::registry::External;
use zopa_mechanisms::runner::run_streaming;
use zopa_mechanisms::{Deadline, Protocol, RunSpec, Spec};

use crate::check::{Bounds, BOUNDS};
use crate::config::{Tournament, TournamentError};
use crate::plan::{Job, Plan};
use crate::store::{Row, Store};
pub use crate::write::Writing;
use crate::write::{write_rows, Flow};

/// How to run.
#[derive(Debug, Clone, Copy)]
pub struct Options {
    /// Worker threads.
    pub jobs: usize,
    /// Run only shard `i` of `n`.
    pub shard: Option<(usize, usize)>,
    /// Rows per commit (or every half second, whichever comes first).
    pub batch: usize,
    /// How rows reach the database; `None`: [`Writing::for_workers`] on this machine's cores.
    pub writing: Option<Writing>,
}

/// Rows per commit unless told otherwise: large commits rewrite fewer partly filled pages,
/// and the half-second flush bounds what a crash can lose when negotiations are slow.
pub const BATCH: usize = 2048;

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
    /// Seeds the outcome caches of the negotiations on this scenario (see [`Caches`]).
    seed: u64,
    seats: [usize; 2],
    analysis: Option<Analysis>,
    /// What the seated parties' utilities can be (stored for the report's checks).
    bounds: Bounds,
}

/// `seed` draws the samples of rankings too large to list, shared by every negotiation on the
/// scenario (derived from the tournament's master seed, so a row depends only on the plan).
fn prepare(path: &Path, seed: u64) -> Result<Prepared, TournamentError> {
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
    let bounds = Bounds::of(&scenario, &seats);
    Ok(Prepared {
        scenario,
        seed,
        seats,
        analysis,
        bounds,
    })
}

/// The spec of a strategy `label`: an external negotiator's label as it is, else parsed.
fn seat(label: &str, external: &[External]) -> Spec {
    if external.iter().any(|e| e.label == label) {
        Spec {
            name: label.to_string(),
            params: Vec::new(),
        }
    } else {
        Spec::parse(label).expect("checked")
    }
}

/// Each worker thread's outcome caches, one per scenario, made when the thread first runs a
/// negotiation on it. A cache's contents depend only on the scenario, the party and the
/// scenario's seed, so every thread builds the same ones and a row does not depend on which
/// thread ran it. Shared by all threads, the caches' reference counts (taken and dropped by
/// every negotiation) moved between the cores all the time: on two cores that cost about 4 %
/// of the rate (28,800 ANAC negotiations, medians of 7 runs). The price is one copy of each scenario's rankings per worker thread.
struct Caches {
    /// By `rayon::current_thread_index()`; a thread locks only its own (once a chunk).
    threads: Vec<std::sync::Mutex<Vec<Option<Arc<OutcomeCache>>>>>,
    scenarios: usize,
}

impl Caches {
    fn new(threads: usize, scenarios: usize) -> Caches {
        Caches {
            threads: (0..threads)
                .map(|_| std::sync::Mutex::new(vec![None; scenarios]))
                .collect(),
            scenarios,
        }
    }

    /// The calling worker thread's caches (a thread outside the pool gets fresh ones).
    fn with<T>(&self, f: impl FnOnce(&mut [Option<Arc<OutcomeCache>>]) -> T) -> T {
        match rayon::current_thread_index().and_then(|i| self.threads.get(i)) {
            Some(m) => f(&mut m.lock().unwrap_or_else(|e| e.into_inner())),
            None => f(&mut vec![None; self.scenarios]),
        }
    }
}

fn run_job(
    job: &Job,
    p: &Prepared,
    cache: &Arc<OutcomeCache>,
    t: &Tournament,
    key: &str,
    external: &[External],
) -> Row {
    let spec = RunSpec {
        ratification: Default::default(),
        protocol: Protocol::Sao,
        negotiators: vec![seat(&job.first, external), seat(&job.second, external)],
        external: external.to_vec(),
        parties: Some(p.seats.to_vec()),
        mediator: None,
        deadline: Deadline::rounds(t.rounds),
        seed: job.seed,
        cache: Some(Arc::clone(cache)),
        record_trace: t.store_traces,
        ..Default::default()
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
        model_first: None,
        model_second: None,
    };
    // A stored trace is written out event by event as the negotiation goes (no trace is kept
    // otherwise): the row's JSON array is the only copy.
    let mut trace = t.store_traces.then(|| String::from("["));
    let mut add = |e: zopa_mechanisms::TraceEvent| {
        if let Some(text) = trace.as_mut() {
            if text.len() > 1 {
                text.push(',');
            }
            let line = serde_json::json!({"round": e.round, "time": e.time, "actor": e.actor, "action": e.action.as_str(), "utilities": e.utilities, "note": e.note});
            text.push_str(&line.to_string());
        }
    };
    let mut r = match run_streaming(&p.scenario, &spec, &mut add) {
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
    let trace = trace.map(|mut text| {
        text.push(']');
        text
    });
    let m = r.metrics.as_ref();
    let score = |party: usize| {
        r.opponent_models[party]
            .as_ref()
            .map(|a| crate::store::ModelScore {
                model: a.model.to_string(),
                rmse: a.rmse,
                kendall_tau: a.kendall_tau,
                spearman: a.spearman,
                kendall_optimality: a.kendall_optimality,
            })
    };
    Row {
        model_first: score(a),
        model_second: score(b),
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

/// The stored positions of one shard (i of n), as runs of consecutive positions of the shard:
/// a resumed tournament keeps a few runs in memory, not one entry per stored negotiation.
struct Done {
    i: usize,
    n: usize,
    /// Runs [a, b) of k, for positions i + k·n, ascending.
    runs: Vec<(usize, usize)>,
}

impl Done {
    fn read(store: &Store, i: usize, n: usize, len: usize) -> Result<Done, TournamentError> {
        let mut runs: Vec<(usize, usize)> = Vec::new();
        store.for_each_job(|j| {
            if j >= len || j % n != i {
                return;
            }
            let k = (j - i) / n;
            match runs.last_mut() {
                Some(run) if run.1 == k => run.1 = k + 1,
                _ => runs.push((k, k + 1)),
            }
        })?;
        Ok(Done { i, n, runs })
    }

    /// The k of the shard's first position at or after `j`.
    fn step(&self, j: usize) -> usize {
        if j > self.i {
            (j - self.i).div_ceil(self.n)
        } else {
            0
        }
    }

    fn contains(&self, j: usize) -> bool {
        let k = (j - self.i) / self.n;
        let at = self.runs.partition_point(|r| r.1 <= k);
        self.runs.get(at).is_some_and(|r| r.0 <= k)
    }

    /// Stored positions of the shard within `range`.
    fn count_in(&self, range: std::ops::Range<usize>) -> usize {
        let (lo, hi) = (self.step(range.start), self.step(range.end));
        let from = self.runs.partition_point(|r| r.1 <= lo);
        self.runs[from..]
            .iter()
            .take_while(|r| r.0 < hi)
            .map(|r| r.1.min(hi) - r.0.max(lo))
            .sum()
    }
}

/// Most negotiations a worker runs before handing their rows on (to the writer thread: one
/// channel message and one wake-up per chunk; or to the queue the workers write in turns).
const CHUNK: usize = 128;

/// The chunk size for `ran` negotiations on `jobs` workers: [`CHUNK`] on large runs, smaller
/// ones so that every worker gets about sixteen chunks (a few heavy negotiations are not all
/// handed to one worker).
fn chunk_size(ran: usize, jobs: usize) -> usize {
    (ran / (16 * jobs.max(1))).clamp(1, CHUNK)
}

/// Runs the tournament into `db`, calling `progress(done, total)` after every commit.
///
/// The plan is walked lazily: only the positions of stored negotiations (8 bytes each) and
/// the negotiations in flight are in memory, however large the plan.
pub fn run_tournament(
    t: &Tournament,
    base: &Path,
    db: &Path,
    options: Options,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Summary, TournamentError> {
    run_tournament_with(t, base, db, options, &[], progress)
}

/// [`run_tournament`] with negotiators built outside the registry, seated where the
/// tournament's `strategies` name their labels (see [`Tournament::from_toml_with`]).
pub fn run_tournament_with(
    t: &Tournament,
    base: &Path,
    db: &Path,
    options: Options,
    external: &[External],
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Summary, TournamentError> {
    let plan = Plan::new(t, base)?;
    let config = serde_json::to_string(t).expect("serialisable");
    let store = Store::open(db, &plan.hash(), &config, plan.len())?;
    let (shard_i, shard_n) = options.shard.unwrap_or((0, 1));
    let done = Done::read(&store, shard_i, shard_n, plan.len())?;
    let total = Plan::shard_count(0..plan.len(), shard_i, shard_n);
    let skipped = done.count_in(0..plan.len());
    let ran = total - skipped;
    if ran == 0 {
        store.settle();
        progress(total, total);
        return Ok(Summary {
            total,
            skipped,
            ran: 0,
        });
    }
    // `exec:COMMAND` strategies: programs speaking the party protocol, one process per
    // negotiation seat.
    let mut external = external.to_vec();
    for s in &t.strategies {
        if let Some(command) = s.strip_prefix(zopa_party::EXEC_PREFIX) {
            if !external.iter().any(|e| &e.label == s) {
                external.push(zopa_party::exec::external(command, Some("sao"), None));
            }
        }
    }
    let external = &external[..];
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(options.jobs.max(1))
        .build()
        .map_err(|e| {
            TournamentError::Plan(format!("cannot start {} worker threads: {e}", options.jobs))
        })?;
    // Scenarios with work left in this shard, loaded and analysed on the workers (a few
    // milliseconds each that would otherwise run alone); an error is the first in plan order.
    let wanted: Vec<usize> = (0..plan.scenarios.len())
        .filter(|&s| {
            let range = plan.scenario_range(s);
            Plan::shard_count(range.clone(), shard_i, shard_n) > done.count_in(range)
        })
        .collect();
    let made: Vec<Result<Prepared, TournamentError>> = pool.install(|| {
        wanted
            .par_iter()
            .map(|&s| prepare(&plan.scenarios[s], plan.scenario_seed(s)))
            .collect()
    });
    let mut prepared: Vec<Option<Prepared>> = (0..plan.scenarios.len()).map(|_| None).collect();
    for (&s, p) in wanted.iter().zip(made) {
        let p = p?;
        store.set_meta(
            &format!("{BOUNDS}{}", plan.scenario_keys[s]),
            &p.bounds.to_string(),
        )?;
        prepared[s] = Some(p);
    }
    // The jobs left, a chunk at a time, read off the plan as workers ask for them. Rows go to
    // the database in those chunks ([`crate::write`]).
    let stop = AtomicBool::new(false);
    let mut todo = plan
        .shard_indices(shard_i, shard_n)
        .filter(|&j| !done.contains(j))
        .take_while(|_| !stop.load(Ordering::Relaxed));
    let size = chunk_size(ran, options.jobs);
    let chunks = std::iter::from_fn(|| {
        let chunk: Vec<usize> = todo.by_ref().take(size).collect();
        (!chunk.is_empty()).then_some(chunk)
    });
    let caches = Caches::new(options.jobs.max(1), plan.scenarios.len());
    let flow = Flow {
        workers: options.jobs.max(1),
        ran,
        skipped,
        total,
        batch: options.batch,
        progress,
        stop: &stop,
    };
    let writing = options.writing.unwrap_or_else(|| {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        Writing::for_workers(options.jobs, cores)
    });
    write_rows(store, &flow, writing, |give| {
        pool.install(|| {
            chunks.par_bridge().for_each(|chunk| {
                let rows: Vec<Row> = caches.with(|caches| {
                    chunk
                        .into_iter()
                        .map(|index| {
                            let job = plan.job(index);
                            let p = prepared[job.scenario].as_ref().expect("prepared");
                            let cache = caches[job.scenario].get_or_insert_with(|| {
                                Arc::new(OutcomeCache::new(p.scenario.parties.len(), p.seed))
                            });
                            let key = &plan.scenario_keys[job.scenario];
                            run_job(&job, p, cache, t, key, external)
                        })
                        .collect()
                });
                give(rows);
            });
        });
    })?;
    Ok(Summary {
        total,
        skipped,
        ran,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunks_are_large_on_large_runs_and_spread_small_ones_over_every_worker() {
        assert_eq!(chunk_size(144_000, 2), CHUNK);
        assert_eq!(chunk_size(20, 2), 1);
        assert_eq!(chunk_size(0, 1), 1);
        assert_eq!(chunk_size(640, 2), 20);
        assert_eq!(chunk_size(usize::MAX, 0), CHUNK);
    }
}
