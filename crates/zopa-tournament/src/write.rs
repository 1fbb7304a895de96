//! How a run's rows reach the database: by a writer thread of their own, or by the workers
//! themselves, in turns.
//!
//! Either way rows are committed in batches of [`Flow::batch`] rows, or sooner once rows have
//! waited half a second, so a kill loses what was in flight and the rows of the last half
//! second or so (the workers, should the disk fall behind, wait for it rather than queue more
//! than two batches); once less than a batch is still to come, each chunk goes in as it comes,
//! and the write-ahead log is folded once early, so that little is left to write after the last
//! negotiation.
//!
//! Which way is [`Writing::for_workers`]'s choice: a writer thread needs a core, and costs
//! more than it saves when the workers already hold every core. Measured on two cores, 144,000
//! ANAC negotiations (`bench/speed.py`'s tournament row, paired runs, medians of 5): two
//! workers and a writer thread 1.08–1.13 s; two workers writing in turns 1.07–1.10 s, and with
//! the write-ahead log folded by a second connection on a keeper thread that mostly waits
//! (woken by a commit that grew the log; [`crate::store::Store::fold_elsewhere`]) 1.05–1.09 s,
//! no core idle while the disk syncs. On one worker, the writer thread lets it go on
//! negotiating meanwhile.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::config::TournamentError;
use crate::runner::BATCH;
use crate::store::{Row, Store};

/// How rows travel from the workers to the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Writing {
    /// A thread of its own receives the workers' chunks over a channel and commits them.
    Thread,
    /// A worker that finishes a chunk leaves its rows in a shared queue and, when the
    /// database is free and a batch is due, commits the queue itself; a worker that finds the
    /// database busy goes back to negotiating.
    Turns,
}

impl Writing {
    /// A writer thread when there is a core for it (more cores than workers) or a single
    /// worker (whose negotiations then go on during a checkpoint's wait for the disk);
    /// otherwise the workers write in turns.
    pub fn for_workers(jobs: usize, cores: usize) -> Writing {
        if jobs <= 1 || jobs < cores {
            Writing::Thread
        } else {
            Writing::Turns
        }
    }
}

/// What the writing knows of the run.
pub struct Flow<'a> {
    /// Worker threads.
    pub workers: usize,
    /// Rows this run will produce.
    pub ran: usize,
    /// Rows already stored before it (progress counts from there).
    pub skipped: usize,
    /// Rows of the whole plan or shard.
    pub total: usize,
    /// Rows per commit.
    pub batch: usize,
    pub progress: &'a (dyn Fn(usize, usize) + Sync),
    /// Set when writing failed: the workers stop taking jobs.
    pub stop: &'a AtomicBool,
}

impl Flow<'_> {
    /// Whether fewer than a batch of rows (at most [`BATCH`], however large the batches
    /// asked for) are still to come once `produced` have been.
    fn tail(&self, produced: usize) -> bool {
        self.ran.saturating_sub(produced) < self.batch.min(BATCH)
    }
}

/// Runs `produce`, which hands every chunk of rows to the function it is given, and writes
/// the rows into `store` the way `writing` says; settles the database at the end.
pub fn write_rows(
    store: Store,
    flow: &Flow<'_>,
    writing: Writing,
    produce: impl FnOnce(&(dyn Fn(Vec<Row>) + Sync)),
) -> Result<(), TournamentError> {
    match writing {
        Writing::Thread => on_own_thread(store, flow, produce),
        Writing::Turns => in_turns(store, flow, produce),
    }
}

/// Rows wait at most about this long to be committed (then a commit may hold a single chunk).
const WAIT: Duration = Duration::from_millis(500);

/// How often the thread that commits late rows looks at them.
const TICK: Duration = Duration::from_millis(100);

fn in_turns(
    mut store: Store,
    flow: &Flow<'_>,
    produce: impl FnOnce(&(dyn Fn(Vec<Row>) + Sync)),
) -> Result<(), TournamentError> {
    // A keeper thread, asleep but for a moment ten times a second: it folds the log when a commit
    // has grown it (its waits for the disk then hold up no worker; without the second
    // connection, the committing worker folds it), and commits rows that have waited half a
    // second (no worker may finish a chunk for a while).
    let (wake, woken) = mpsc::sync_channel::<()>(1);
    let hook = wake.clone();
    let folder = store
        .fold_elsewhere(move || {
            let _ = hook.try_send(());
        })
        .ok();
    let turns = Turns {
        queue: Mutex::new(Queue {
            chunks: Vec::new(),
            rows: 0,
            produced: 0,
            oldest: None,
        }),
        store: Mutex::new(Written {
            store,
            stored: flow.skipped,
            folded: false,
        }),
        failed: Mutex::new(None),
        flow,
    };
    let finished = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (turns, finished) = (&turns, &finished);
        // The keeper owns the second connection: it is closed once the keeper is joined.
        let keeper = scope.spawn(move || loop {
            let folding = woken.recv_timeout(TICK).is_ok();
            if finished.load(Ordering::Relaxed) {
                return;
            }
            if let (true, Some(f)) = (folding, &folder) {
                f.fold();
            }
            turns.write(false);
        });
        // Finished however `produce` ends: should it panic, the keeper stops too, and the
        // panic goes on once the scope has joined it.
        let _finish = Finish(finished);
        produce(&|rows| turns.give(rows));
        drop(_finish);
        let _ = wake.try_send(());
        let _ = keeper.join();
    });
    turns.write(true);
    let Turns { store, failed, .. } = turns;
    let mut store = store
        .into_inner()
        .unwrap_or_else(PoisonError::into_inner)
        .store;
    store.fold_here();
    match failed.into_inner().unwrap_or_else(PoisonError::into_inner) {
        Some(e) => Err(e),
        // The second connection closed, the database can leave WAL mode.
        None => {
            store.settle();
            Ok(())
        }
    }
}

fn on_own_thread(
    mut store: Store,
    flow: &Flow<'_>,
    produce: impl FnOnce(&(dyn Fn(Vec<Row>) + Sync)),
) -> Result<(), TournamentError> {
    // The channel holds sixteen chunks a worker (at most 128 rows each: a few milliseconds of
    // the fastest negotiations, so a checkpoint's fsync does not stall the workers), and a
    // slow disk slows the workers instead of filling memory.
    let (tx, rx) = mpsc::sync_channel::<Vec<Row>>(16 * flow.workers.max(1));
    std::thread::scope(|scope| {
        let writer = scope.spawn(move || -> Result<(), TournamentError> {
            // The chunks as they came: their rows are not copied into one list.
            let mut batch: Vec<Vec<Row>> = Vec::new();
            let mut rows_in_batch = 0;
            let mut folded = false;
            let mut last = Instant::now();
            let mut stored = flow.skipped;
            loop {
                let next = rx.recv_timeout(TICK);
                let closed = matches!(next, Err(mpsc::RecvTimeoutError::Disconnected));
                if let Ok(rows) = next {
                    rows_in_batch += rows.len();
                    batch.push(rows);
                }
                let tail = flow.tail(stored - flow.skipped + rows_in_batch);
                if rows_in_batch > 0
                    && (closed || rows_in_batch >= flow.batch || tail || last.elapsed() >= WAIT)
                {
                    store.insert_all(batch.iter().flatten())?;
                    stored += rows_in_batch;
                    batch.clear();
                    rows_in_batch = 0;
                    last = Instant::now();
                    (flow.progress)(stored, flow.total);
                    if !folded && tail {
                        store.fold_early();
                        folded = true;
                    }
                }
                if closed {
                    store.settle();
                    return Ok(());
                }
            }
        });
        // The writer only stops on a database error; the run then stops taking jobs and
        // reports that error.
        produce(&|rows| {
            if tx.send(rows).is_err() {
                flow.stop.store(true, Ordering::Relaxed);
            }
        });
        // The channel closes: the writer commits what is left and settles the database.
        drop(tx);
        writer
            .join()
            .unwrap_or_else(|_| Err(TournamentError::Plan("the database writer panicked".into())))
    })
}

/// Sets its flag when dropped, unwinding included.
struct Finish<'a>(&'a AtomicBool);

impl Drop for Finish<'_> {
    fn drop(&mut self) {
        self.0.store(true, Ordering::Relaxed);
    }
}

/// Rows waiting for a worker to write them.
struct Queue {
    chunks: Vec<Vec<Row>>,
    rows: usize,
    /// Rows produced so far (written or waiting).
    produced: usize,
    /// When the oldest row waiting came: rows waiting [`WAIT`] are due.
    oldest: Option<Instant>,
}

struct Written {
    store: Store,
    stored: usize,
    folded: bool,
}

struct Turns<'f> {
    queue: Mutex<Queue>,
    store: Mutex<Written>,
    failed: Mutex<Option<TournamentError>>,
    flow: &'f Flow<'f>,
}

impl Turns<'_> {
    fn give(&self, rows: Vec<Row>) {
        let backed_up = {
            let mut q = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
            q.rows += rows.len();
            q.produced += rows.len();
            q.oldest.get_or_insert_with(Instant::now);
            q.chunks.push(rows);
            q.rows >= self.flow.batch.max(1).saturating_mul(2)
        };
        // Two batches waiting (the disk is slow): this worker waits its turn to write rather
        // than let the queue grow.
        self.write(backed_up);
    }

    /// Commits the queue if it is due (a batch, the tail, or rows that waited [`WAIT`]); with
    /// `all`, whatever it holds, waiting for the database if another thread is writing.
    /// Without, a thread that finds the database busy leaves the rows to the one writing (or
    /// to the keeper, within [`WAIT`]).
    fn write(&self, all: bool) {
        let written = if all {
            Some(self.store.lock().unwrap_or_else(PoisonError::into_inner))
        } else {
            self.store.try_lock().ok()
        };
        let Some(mut w) = written else { return };
        loop {
            let (chunks, tail) = {
                let mut q = self.queue.lock().unwrap_or_else(PoisonError::into_inner);
                let tail = self.flow.tail(q.produced);
                let due = q.rows >= self.flow.batch
                    || tail
                    || q.oldest.is_some_and(|t| t.elapsed() >= WAIT);
                if q.rows == 0 || !(all || due) {
                    return;
                }
                q.rows = 0;
                q.oldest = None;
                (std::mem::take(&mut q.chunks), tail)
            };
            if self.flow.stop.load(Ordering::Relaxed) {
                return;
            }
            let n: usize = chunks.iter().map(Vec::len).sum();
            if let Err(e) = w.store.insert_all(chunks.iter().flatten()) {
                self.flow.stop.store(true, Ordering::Relaxed);
                *self.failed.lock().unwrap_or_else(PoisonError::into_inner) = Some(e);
                return;
            }
            w.stored += n;
            (self.flow.progress)(w.stored, self.flow.total);
            if !w.folded && tail {
                w.store.fold_early();
                w.folded = true;
            }
            // Rows that came meanwhile and are due now are written now.
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::tests::row;

    /// A run of 100 rows on two workers, in batches of 50.
    fn hundred_rows(stop: &AtomicBool) -> Flow<'_> {
        Flow {
            workers: 2,
            ran: 100,
            skipped: 0,
            total: 100,
            batch: 50,
            progress: &|_, _| {},
            stop,
        }
    }

    #[test]
    fn rows_written_in_turns_wait_at_most_about_half_a_second() {
        let path =
            std::env::temp_dir().join(format!("zopa-write-wait-{}.sqlite", std::process::id()));
        for end in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{end}", path.display()));
        }
        let store = Store::open(&path, "plan", "{}", 100).unwrap();
        let stop = AtomicBool::new(false);
        let flow = hundred_rows(&stop);
        let count = || -> i64 {
            let c = rusqlite::Connection::open(&path).unwrap();
            c.query_row("SELECT count(*) FROM negotiations", [], |r| r.get(0))
                .unwrap()
        };
        write_rows(store, &flow, Writing::Turns, |give| {
            // Ten rows, far from a batch and from the end, then no chunk for a while: the
            // keeper commits them within about half a second.
            let given = Instant::now();
            give((0..10).map(row).collect());
            assert_eq!(count(), 0, "ten rows were committed as a batch");
            while count() < 10 {
                assert!(
                    given.elapsed() < Duration::from_secs(3),
                    "rows waited {:?}",
                    given.elapsed()
                );
                std::thread::sleep(Duration::from_millis(20));
            }
            assert!(
                given.elapsed() >= WAIT,
                "committed after {:?}",
                given.elapsed()
            );
            give((10..100).map(row).collect());
        })
        .unwrap();
        let read = Store::immutable(&path).unwrap().rows().unwrap();
        assert_eq!(read, (0..100).map(row).collect::<Vec<_>>());
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn a_panic_while_producing_rows_in_turns_goes_on_and_hangs_nothing() {
        let path =
            std::env::temp_dir().join(format!("zopa-write-panic-{}.sqlite", std::process::id()));
        let _ = std::fs::remove_file(&path);
        let (done, finished) = mpsc::channel();
        let at = path.clone();
        std::thread::spawn(move || {
            let store = Store::open(&at, "plan", "{}", 100).unwrap();
            let stop = AtomicBool::new(false);
            let flow = hundred_rows(&stop);
            let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                write_rows(store, &flow, Writing::Turns, |give| {
                    give((0..10).map(row).collect());
                    panic!("a worker panicked");
                })
            }));
            let _ = done.send(result.is_err());
        });
        let panicked = finished
            .recv_timeout(Duration::from_secs(10))
            .expect("writing in turns hung after a panic");
        assert!(panicked, "the panic was swallowed");
        for end in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{end}", path.display()));
        }
    }

    #[test]
    fn a_writer_thread_only_where_a_core_is_free_for_it_or_one_worker_negotiates() {
        assert_eq!(Writing::for_workers(1, 1), Writing::Thread);
        assert_eq!(Writing::for_workers(1, 2), Writing::Thread);
        assert_eq!(Writing::for_workers(2, 4), Writing::Thread);
        assert_eq!(Writing::for_workers(2, 2), Writing::Turns);
        assert_eq!(Writing::for_workers(8, 2), Writing::Turns);
        assert_eq!(Writing::for_workers(0, 0), Writing::Thread);
    }
}
