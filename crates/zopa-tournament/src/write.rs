//! How a run's rows reach the database: by a writer thread of their own, or by the workers
//! themselves, in turns.
//!
//! Either way rows are committed in batches (at most [`Flow::batch`] rows, or what came in
//! half a second), so a kill loses at most a batch and what was in flight; once less than a
//! batch is still to come, each chunk goes in as it comes, and the write-ahead log is folded
//! once early, so that little is left to write after the last negotiation.
//!
//! Which way is [`Writing::for_workers`]'s choice: a writer thread needs a core, and costs
//! more than it saves when the workers already hold every core. Measured on two cores, 144,000
//! ANAC negotiations (`bench/speed.py`'s tournament row; medians of 5 paired runs): two
//! workers and a writer thread 1.10 s; two workers writing in turns 1.07–1.10 s, and with the
//! write-ahead log folded on a thread that mostly waits for the disk (woken by a commit that
//! grew the log; [`crate::store::Store::fold_elsewhere`]) 1.05–1.09 s, no core idle while
//! the disk syncs. On one worker, the writer thread lets it go on negotiating meanwhile.

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
    mut store: Store,
    flow: &Flow<'_>,
    writing: Writing,
    produce: impl FnOnce(&(dyn Fn(Vec<Row>) + Sync)),
) -> Result<(), TournamentError> {
    match writing {
        Writing::Thread => on_own_thread(store, flow, produce),
        Writing::Turns => {
            // The log is folded on a thread of its own, woken when a commit has grown it: its
            // waits for the disk then hold up no worker. Without it (the second connection
            // did not open), the committing worker folds it.
            let (wake, woken) = mpsc::sync_channel::<()>(1);
            let folder = store
                .fold_elsewhere(move || {
                    let _ = wake.try_send(());
                })
                .ok();
            let turns = Turns {
                queue: Mutex::new(Queue {
                    chunks: Vec::new(),
                    rows: 0,
                    produced: 0,
                    taken: Instant::now(),
                }),
                store: Mutex::new(Written {
                    store,
                    stored: flow.skipped,
                    folded: false,
                }),
                failed: Mutex::new(None),
                flow,
            };
            std::thread::scope(|scope| {
                // Ends when the store drops its hook (and with it the waking end).
                let folding = folder.map(|folder| {
                    scope.spawn(move || {
                        while woken.recv().is_ok() {
                            folder.fold();
                        }
                    })
                });
                produce(&|rows| turns.give(rows));
                turns.write(true);
                let Turns { store, failed, .. } = turns;
                let mut store = store
                    .into_inner()
                    .unwrap_or_else(PoisonError::into_inner)
                    .store;
                store.fold_here();
                // Its connection closed, the database can leave WAL mode.
                if let Some(f) = folding {
                    let _ = f.join();
                }
                match failed.into_inner().unwrap_or_else(PoisonError::into_inner) {
                    Some(e) => Err(e),
                    None => {
                        store.settle();
                        Ok(())
                    }
                }
            })
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
                let next = rx.recv_timeout(Duration::from_millis(100));
                let closed = matches!(next, Err(mpsc::RecvTimeoutError::Disconnected));
                if let Ok(rows) = next {
                    rows_in_batch += rows.len();
                    batch.push(rows);
                }
                let tail = flow.tail(stored - flow.skipped + rows_in_batch);
                if rows_in_batch > 0
                    && (closed
                        || rows_in_batch >= flow.batch
                        || tail
                        || last.elapsed() >= Duration::from_millis(500))
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

/// Rows waiting for a worker to write them.
struct Queue {
    chunks: Vec<Vec<Row>>,
    rows: usize,
    /// Rows produced so far (written or waiting).
    produced: usize,
    /// When rows were last taken to be written: rows are not kept waiting more than half a
    /// second beyond it (slow negotiations then commit chunk by chunk).
    taken: Instant,
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
            q.chunks.push(rows);
            q.rows >= 2 * self.flow.batch.max(1)
        };
        // Two batches waiting (the disk is slow): this worker waits its turn to write rather
        // than let the queue grow.
        self.write(backed_up);
    }

    /// Commits the queue if a batch is due; with `all`, whatever it holds, waiting for the
    /// database if another worker is writing. Without, a worker that finds the database busy
    /// leaves its rows to the one writing.
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
                    || q.taken.elapsed() >= Duration::from_millis(500);
                if q.rows == 0 || !(all || due) {
                    return;
                }
                q.rows = 0;
                q.taken = Instant::now();
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
            // Rows that came while this worker wrote and make another batch due are written
            // now rather than left for the next chunk's end.
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
