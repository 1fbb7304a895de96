//! The SQLite store: the tournament's config and plan, and one row per negotiation.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};

use crate::config::TournamentError;

mod columns;

use columns::{
    bind_row, column_names, insert_sql, migrate, read_row, INSERT_ROWS, ROW_PARAMETERS, SCHEMA,
};
pub use columns::{COLUMNS, MODEL_COLUMNS};

/// One finished negotiation, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    pub id: String,
    pub job: usize,
    pub scenario: String,
    pub first: String,
    pub second: String,
    pub party_first: String,
    pub party_second: String,
    pub repetition: u32,
    pub rotated: bool,
    pub seed: u64,
    pub end: String,
    /// `{issue: value}` JSON, or `None`.
    pub agreement: Option<String>,
    pub utility_first: f64,
    pub utility_second: f64,
    pub reserved_first: f64,
    pub reserved_second: f64,
    pub welfare: f64,
    pub pareto_distance: Option<f64>,
    pub nash_distance: Option<f64>,
    pub rounds: u32,
    pub time: f64,
    pub error: Option<String>,
    pub trace: Option<String>,
    /// How well the first seat's opponent model predicted the second seat; `None` when it
    /// keeps no model (and in databases written before these columns existed).
    pub model_first: Option<ModelScore>,
    /// The same for the second seat's model of the first.
    pub model_second: Option<ModelScore>,
}

/// One seat's opponent-model accuracy at the end of its negotiation (zopa-mechanisms'
/// `accuracy` module defines each number).
#[derive(Debug, Clone, PartialEq)]
pub struct ModelScore {
    /// The model's name (`frequency`, `windowed`, `bayesian`).
    pub model: String,
    /// NegoLog's RMSE.
    pub rmse: f64,
    /// NegoLog's Kendall τ.
    pub kendall_tau: f64,
    /// NegoLog's Spearman ρ.
    pub spearman: f64,
    /// ANL's normalised Kendall accuracy, (τ_b + 1) / 2.
    pub kendall_optimality: f64,
}

/// Reads the schema: where opening a database actually happens (SQLite opens lazily).
fn probe(conn: &Connection) -> rusqlite::Result<()> {
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))
}

/// `path` with `suffix` appended to its file name (`x.sqlite` → `x.sqlite-wal`).
fn sibling(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// A path as the path part of an SQLite `file:` URI (absolute, percent-encoded).
fn uri_path(path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let text = abs.to_string_lossy().replace('\\', "/");
    let mut out = String::new();
    if !text.starts_with('/') {
        out.push('/');
    }
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || b"/-._~:".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub struct Store {
    pub conn: Connection,
    pub path: PathBuf,
    /// Whether the table has the opponent-model columns (a read-only database written before
    /// them has not; its rows read `None` there).
    models: bool,
}

/// Pages in the write-ahead log after which it is folded into the file (SQLite's default).
pub const FOLD_PAGES: i32 = 1000;

/// A connection of its own that folds a database's write-ahead log into the file (a
/// passive checkpoint: it waits for no reader and no writer), from another thread than the
/// one writing; see [`Store::fold_elsewhere`].
pub struct Folder(Connection);

impl Folder {
    pub fn fold(&self) {
        let _ = self
            .0
            .query_row("PRAGMA wal_checkpoint(PASSIVE)", [], |_| Ok(()));
    }
}

fn db(path: &Path) -> impl Fn(rusqlite::Error) -> TournamentError + '_ {
    move |error| TournamentError::Database {
        path: path.to_path_buf(),
        error,
    }
}

impl Store {
    /// Opens (creating if needed) the database of a plan; refuses one that holds another plan.
    pub fn open(
        path: &Path,
        plan_hash: &str,
        config_json: &str,
        total: usize,
    ) -> Result<Store, TournamentError> {
        let conn = Connection::open(path).map_err(db(path))?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(db(path))?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(db(path))?;
        conn.execute_batch(SCHEMA).map_err(db(path))?;
        migrate(&conn).map_err(db(path))?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
            models: true,
        };
        match store.meta("plan")? {
            Some(h) if h != plan_hash => {
                return Err(TournamentError::Plan(format!(
                    "{} holds results of another tournament plan ({h}, this one is {plan_hash}); use another --db",
                    path.display()
                )))
            }
            Some(_) => {}
            None => {
                for (k, v) in [
                    ("plan", plan_hash.to_string()),
                    ("config", config_json.to_string()),
                    ("zopa_version", env!("CARGO_PKG_VERSION").to_string()),
                    ("total", total.to_string()),
                ] {
                    store.conn.execute("INSERT INTO meta (key, value) VALUES (?1, ?2)", params![k, v]).map_err(db(path))?;
                }
            }
        }
        Ok(store)
    }

    /// Opens an existing database read-only (for reports and merges), without writing
    /// anything beside it: a finished database on a read-only mount can be reported.
    pub fn existing(path: &Path) -> Result<Store, TournamentError> {
        if !path.exists() {
            return Err(TournamentError::Plan(format!(
                "{} does not exist",
                path.display()
            )));
        }
        if path.is_dir() {
            return Err(TournamentError::Plan(format!(
                "{} is a folder, not a tournament database",
                path.display()
            )));
        }
        use rusqlite::OpenFlags;
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX;
        let conn = Connection::open_with_flags(path, flags).map_err(db(path))?;
        let first = match probe(&conn) {
            Ok(()) => return Store::reading(conn, path),
            Err(e) => e,
        };
        // A database left in WAL mode needs `-shm` beside it, which SQLite cannot create in a
        // read-only folder. With no pending write-ahead log the file alone is complete: read
        // it as immutable (nothing written, nothing locked).
        let cannot_open = matches!(
            first.sqlite_error_code(),
            Some(rusqlite::ErrorCode::CannotOpen | rusqlite::ErrorCode::ReadOnly)
        );
        if !cannot_open {
            return Err(db(path)(first));
        }
        Store::immutable(path).map_err(|e| match e {
            TournamentError::Plan(why) => TournamentError::Plan(format!("{why} ({first})")),
            e => e,
        })
    }

    /// Opens a database as an immutable file (SQLite's `immutable=1`: no lock, no `-shm`, no
    /// write), as a read-only mount holds it. Refused while a write-ahead log beside it holds
    /// results not yet in the file, which this way would go unread.
    pub fn immutable(path: &Path) -> Result<Store, TournamentError> {
        use rusqlite::OpenFlags;
        let wal = sibling(path, "-wal");
        if std::fs::metadata(&wal).is_ok_and(|m| m.len() > 0) {
            return Err(TournamentError::Plan(format!(
                "{}: cannot read it here: {} holds results not yet written into the database, and SQLite cannot create its shared-memory file beside it (read-only folder?); copy the database together with its -wal file to a writable folder and report it there",
                path.display(),
                wal.display()
            )));
        }
        let uri = format!("file:{}?immutable=1", uri_path(path));
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY
            | OpenFlags::SQLITE_OPEN_NO_MUTEX
            | OpenFlags::SQLITE_OPEN_URI;
        let conn = Connection::open_with_flags(uri, flags).map_err(db(path))?;
        probe(&conn).map_err(db(path))?;
        Store::reading(conn, path)
    }

    /// A store read as it is, old schema or new.
    fn reading(conn: Connection, path: &Path) -> Result<Store, TournamentError> {
        let names = column_names(&conn).map_err(db(path))?;
        // A file without the table reads as new: its first read names what is missing.
        let models = names.is_empty() || MODEL_COLUMNS.iter().all(|c| names.iter().any(|n| n == c));
        Ok(Store {
            conn,
            path: path.to_path_buf(),
            models,
        })
    }

    /// The columns a row is read from: [`COLUMNS`], then [`MODEL_COLUMNS`] (NULLs for a
    /// database written before them).
    fn select_list(&self) -> String {
        let models: Vec<&str> = if self.models {
            MODEL_COLUMNS.to_vec()
        } else {
            vec!["NULL"; MODEL_COLUMNS.len()]
        };
        format!("{COLUMNS}, {}", models.join(", "))
    }

    /// Writes a meta key (replacing its value).
    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), TournamentError> {
        self.conn
            .execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)",
                params![key, value],
            )
            .map(drop)
            .map_err(db(&self.path))
    }

    /// Every meta key starting with `prefix`, with its value, by key.
    pub fn meta_with_prefix(&self, prefix: &str) -> Result<Vec<(String, String)>, TournamentError> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT key, value FROM meta WHERE substr(key, 1, length(?1)) = ?1 ORDER BY key",
            )
            .map_err(db(&self.path))?;
        let rows = stmt
            .query_map(params![prefix], |r| Ok((r.get(0)?, r.get(1)?)))
            .map_err(db(&self.path))?;
        rows.collect::<Result<_, _>>().map_err(db(&self.path))
    }

    /// Folds the write-ahead log into the file and leaves it in rollback-journal mode, so
    /// that the finished database is one self-contained file (readable on a read-only mount,
    /// copyable alone). Best effort: a reader holding it open keeps WAL mode.
    pub fn settle(&self) {
        self.fold_log("TRUNCATE");
        let _ = self
            .conn
            .query_row("PRAGMA journal_mode = DELETE", [], |_| Ok(()));
    }

    /// Folds what the write-ahead log holds into the file now, without waiting for readers
    /// (best effort): a run does it shortly before its end, while its workers still run, so
    /// that [`Store::settle`] has little left to fold after them.
    pub fn fold_early(&self) {
        self.fold_log("PASSIVE");
    }

    /// Leaves the folding of the write-ahead log to another connection (see [`Folder`]):
    /// after a commit that leaves [`FOLD_PAGES`] pages or more in the log, this connection
    /// calls `wake` instead of folding the log itself, and the commit returns without
    /// waiting for the disk. Should the other connection fall behind (a log of four times
    /// that), the committing connection folds it itself, so the log stays bounded.
    pub fn fold_elsewhere(
        &mut self,
        wake: impl Fn() + Send + 'static,
    ) -> Result<Folder, TournamentError> {
        let folder = Folder(Connection::open(&self.path).map_err(db(&self.path))?);
        self.conn
            .wal_hook(Some(move |wal: &mut rusqlite::hooks::Wal, pages| {
                if pages >= 4 * FOLD_PAGES {
                    // Busy when the other connection is folding it: then it soon is folded.
                    let _ = wal.checkpoint_v2(rusqlite::wal::CheckpointMode::PASSIVE);
                } else if pages >= FOLD_PAGES {
                    wake();
                }
                Ok(())
            }))
            .map_err(db(&self.path))?;
        Ok(folder)
    }

    /// This connection folds the log itself again (SQLite's automatic checkpoint).
    pub fn fold_here(&mut self) {
        type Hook = fn(&mut rusqlite::hooks::Wal, std::ffi::c_int) -> rusqlite::Result<()>;
        let _ = self.conn.wal_hook(None::<Hook>);
        let _ = self
            .conn
            .pragma_update(None, "wal_autocheckpoint", FOLD_PAGES);
    }

    fn fold_log(&self, mode: &str) {
        let _ = self
            .conn
            .query_row(&format!("PRAGMA wal_checkpoint({mode})"), [], |_| Ok(()));
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>, TournamentError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(db(&self.path))
    }

    /// Calls `f` with the plan position (`job`) of every stored negotiation, ascending,
    /// reading them one at a time. A database holds one plan, where a position determines the
    /// negotiation.
    pub fn for_each_job(&self, mut f: impl FnMut(usize)) -> Result<(), TournamentError> {
        let mut stmt = self
            .conn
            .prepare("SELECT job FROM negotiations ORDER BY job")
            .map_err(db(&self.path))?;
        let mut rows = stmt.query([]).map_err(db(&self.path))?;
        while let Some(r) = rows.next().map_err(db(&self.path))? {
            let j: i64 = r.get(0).map_err(db(&self.path))?;
            f(usize::try_from(j).unwrap_or(usize::MAX));
        }
        Ok(())
    }

    /// The id stored for plan position `job`, if any.
    pub fn id_of(&self, job: usize) -> Result<Option<String>, TournamentError> {
        self.conn
            .query_row(
                "SELECT id FROM negotiations WHERE job = ?1",
                params![job as i64],
                |r| r.get(0),
            )
            .optional()
            .map_err(db(&self.path))
    }

    /// Inserts rows in one transaction.
    pub fn insert(&mut self, rows: &[Row]) -> Result<(), TournamentError> {
        self.insert_all(rows.iter())
    }

    /// [`Store::insert`] of rows wherever they lie (a tournament's writer takes them in the
    /// workers' chunks, without copying them into one list first).
    pub fn insert_all<'r>(
        &mut self,
        rows: impl IntoIterator<Item = &'r Row>,
    ) -> Result<(), TournamentError> {
        let rows: Vec<&Row> = rows.into_iter().collect();
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(db(&path))?;
        {
            // Rows go in INSERT_ROWS to a statement: one statement per row spent a good part
            // of the cost of writing a row starting and ending statements.
            let mut chunks = rows.chunks_exact(INSERT_ROWS);
            let mut many = tx
                .prepare_cached(&insert_sql(INSERT_ROWS))
                .map_err(db(&path))?;
            for chunk in chunks.by_ref() {
                for (k, r) in chunk.iter().enumerate() {
                    bind_row(&mut many, k * ROW_PARAMETERS, r).map_err(db(&path))?;
                }
                many.raw_execute().map_err(db(&path))?;
            }
            let mut one = tx.prepare_cached(&insert_sql(1)).map_err(db(&path))?;
            for r in chunks.remainder() {
                bind_row(&mut one, 0, r).map_err(db(&path))?;
                one.raw_execute().map_err(db(&path))?;
            }
        }
        tx.commit().map_err(db(&path))
    }

    /// Runs `f` inside one read transaction: every read in it sees the same rows, even while a
    /// run is adding more (reports read the table twice).
    pub fn snapshot<T, E: From<TournamentError>>(
        &self,
        f: impl FnOnce(&Store) -> Result<T, E>,
    ) -> Result<T, E> {
        self.conn.execute_batch("BEGIN").map_err(db(&self.path))?;
        let out = f(self);
        // A read transaction has nothing to keep: ending it cannot lose anything.
        let _ = self.conn.execute_batch("COMMIT");
        out
    }

    /// The negotiation stored for plan position `job`, if any.
    pub fn row(&self, job: usize) -> Result<Option<Row>, TournamentError> {
        self.conn
            .query_row(
                &format!(
                    "SELECT {} FROM negotiations WHERE job = ?1",
                    self.select_list()
                ),
                params![job as i64],
                read_row,
            )
            .optional()
            .map_err(db(&self.path))
    }

    /// The first `limit` stored negotiations by job index, and how many are stored in all.
    pub fn head(&self, limit: usize) -> Result<(Vec<Row>, usize), TournamentError> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {} FROM negotiations ORDER BY job LIMIT ?1",
                self.select_list()
            ))
            .map_err(db(&self.path))?;
        let rows = stmt
            .query_map(params![limit as i64], read_row)
            .map_err(db(&self.path))?
            .collect::<Result<Vec<_>, _>>()
            .map_err(db(&self.path))?;
        let total: i64 = self
            .conn
            .query_row("SELECT COUNT(*) FROM negotiations", [], |r| r.get(0))
            .map_err(db(&self.path))?;
        Ok((rows, usize::try_from(total).unwrap_or(0)))
    }

    /// Every stored negotiation, ordered by job index.
    pub fn rows(&self) -> Result<Vec<Row>, TournamentError> {
        let mut out = Vec::new();
        self.for_each_row(|r| {
            out.push(r);
            Ok::<_, TournamentError>(())
        })?;
        Ok(out)
    }

    /// Calls `f` with every stored negotiation, ordered by job index, one at a time (memory
    /// does not grow with the table); stops at the first error `f` returns.
    pub fn for_each_row<E: From<TournamentError>>(
        &self,
        mut f: impl FnMut(Row) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut stmt = self
            .conn
            .prepare(&format!(
                "SELECT {} FROM negotiations ORDER BY job",
                self.select_list()
            ))
            .map_err(db(&self.path))?;
        let mut rows = stmt.query([]).map_err(db(&self.path))?;
        while let Some(r) = rows.next().map_err(db(&self.path))? {
            f(read_row(r).map_err(db(&self.path))?)?;
        }
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A row for job `job`, its fields varied with it (models, errors, traces on some).
    pub(crate) fn row(job: usize) -> Row {
        let model = |k: f64| ModelScore {
            model: "frequency".into(),
            rmse: 0.1 * k,
            kendall_tau: 0.2 * k,
            spearman: 0.3 * k,
            kendall_optimality: 0.4 * k,
        };
        Row {
            id: format!("{job:016x}"),
            job,
            scenario: format!("s{}", job % 3),
            first: "boulware".into(),
            second: "aspiration:exp=4".into(),
            party_first: "A".into(),
            party_second: "B".into(),
            repetition: (job / 3) as u32,
            rotated: !job.is_multiple_of(2),
            seed: u64::MAX - job as u64,
            end: if job.is_multiple_of(5) {
                "deadline"
            } else {
                "agreement"
            }
            .into(),
            agreement: (!job.is_multiple_of(5)).then(|| format!("{{\"i\":\"v{job}\"}}")),
            utility_first: 0.5 + job as f64 * 1e-3,
            utility_second: 0.25,
            reserved_first: 0.0,
            reserved_second: 0.1,
            welfare: 0.75 + job as f64 * 1e-3,
            pareto_distance: (!job.is_multiple_of(7)).then_some(0.01),
            nash_distance: None,
            rounds: job as u32,
            time: 0.5,
            error: (job == 41).then(|| "a party panicked".into()),
            trace: (job == 3).then(|| "[]".into()),
            model_first: job.is_multiple_of(2).then(|| model(job as f64)),
            model_second: job.is_multiple_of(3).then(|| model(1.0)),
        }
    }

    #[test]
    fn rows_written_many_to_a_statement_read_back_as_written() {
        let path = std::env::temp_dir().join(format!("zopa-store-{}.sqlite", std::process::id()));
        let _ = std::fs::remove_file(&path);
        // Two full statements of INSERT_ROWS and a remainder, then one batch smaller than one.
        let rows: Vec<Row> = (0..2 * INSERT_ROWS + 6).map(row).collect();
        let more: Vec<Row> = (rows.len()..rows.len() + 5).map(row).collect();
        {
            let mut store = Store::open(&path, "plan", "{}", rows.len() + more.len()).unwrap();
            store.insert(&rows).unwrap();
            store.insert(&more).unwrap();
        }
        let store = Store::immutable(&path).unwrap();
        let read = store.rows().unwrap();
        for end in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{end}", path.display()));
        }
        let want: Vec<Row> = rows.into_iter().chain(more).collect();
        assert_eq!(read, want);
    }

    /// Commit `c` of 300 rows of about a page each (a 3,000-byte trace).
    fn commit_of_pages(c: usize) -> Vec<Row> {
        (c * 300..(c + 1) * 300)
            .map(|j| Row {
                trace: Some("x".repeat(3000)),
                ..row(j)
            })
            .collect()
    }

    #[test]
    fn a_log_folded_elsewhere_is_folded_when_woken_and_stays_small() {
        let path =
            std::env::temp_dir().join(format!("zopa-store-fold-{}.sqlite", std::process::id()));
        let wal = format!("{}-wal", path.display());
        let _ = std::fs::remove_file(&path);
        let woken = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let mut store = Store::open(&path, "plan", "{}", 12_001).unwrap();
        let count = std::sync::Arc::clone(&woken);
        let folder = store
            .fold_elsewhere(move || {
                count.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            })
            .unwrap();
        // Rows of a page each (a 3,000-byte trace), 300 to a commit, 40 commits: folded
        // whenever woken, the log is reused from its start and never holds much more than
        // FOLD_PAGES pages and a commit.
        let page = 4096;
        let mut largest = 0;
        let mut folds = 0;
        for c in 0..40 {
            let rows = commit_of_pages(c);
            store.insert(&rows).unwrap();
            if woken.load(std::sync::atomic::Ordering::Relaxed) > folds {
                folds += 1;
                folder.fold();
            }
            largest = largest.max(std::fs::metadata(&wal).map_or(0, |m| m.len()));
        }
        assert!(folds >= 5, "woken {folds} times");
        let bound = (FOLD_PAGES as u64 + 2 * 300 + 100) * (page + 24);
        assert!(
            largest <= bound,
            "the log grew to {largest} bytes (bound {bound})"
        );
        // Given back (the folder closed), the connection folds the log itself, and settles it.
        drop(folder);
        store.fold_here();
        store.insert(&[row(12_000)]).unwrap();
        store.settle();
        drop(store);
        assert!(
            !std::path::Path::new(&wal).exists(),
            "the log outlived settle"
        );
        let read = Store::immutable(&path).unwrap().rows().unwrap();
        assert_eq!(read.len(), 12_001);
        let _ = std::fs::remove_file(&path);
    }

    #[test]
    fn a_log_whose_folder_falls_behind_is_folded_by_the_writer() {
        let path = std::env::temp_dir().join(format!(
            "zopa-store-fold-behind-{}.sqlite",
            std::process::id()
        ));
        let wal = format!("{}-wal", path.display());
        let _ = std::fs::remove_file(&path);
        let mut store = Store::open(&path, "plan", "{}", 12_000).unwrap();
        // Woken, the folder never folds: the log must still stop growing near four times
        // FOLD_PAGES (rows of a page each, 300 to a commit, 40 commits).
        let folder = store.fold_elsewhere(|| {}).unwrap();
        let mut largest = 0;
        for c in 0..40 {
            let rows = commit_of_pages(c);
            store.insert(&rows).unwrap();
            largest = largest.max(std::fs::metadata(&wal).map_or(0, |m| m.len()));
        }
        let bound = (4 * FOLD_PAGES as u64 + 2 * 300 + 100) * (4096 + 24);
        assert!(
            largest <= bound,
            "the log grew to {largest} bytes (bound {bound})"
        );
        assert!(
            largest > FOLD_PAGES as u64 * 4096,
            "the log was folded early: {largest}"
        );
        drop(folder);
        drop(store);
        for end in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{end}", path.display()));
        }
    }
}
