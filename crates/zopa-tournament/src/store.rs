//! The SQLite store: the tournament's config and plan, and one row per negotiation.

use std::path::{Path, PathBuf};

use rusqlite::{params, Connection, OptionalExtension};

use crate::config::TournamentError;

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
}

// `job` (the plan position) is the key: rows arrive nearly in job order, so inserts append
// instead of scattering through an index of random-looking ids; a database only ever holds
// one plan (checked on open), where job and id determine each other.
pub const COLUMNS: &str = "id, job, scenario, strategy_first, strategy_second, party_first, party_second, repetition, rotated, seed, \
    end_reason, agreement, utility_first, utility_second, reserved_first, reserved_second, welfare, pareto_distance, nash_distance, \
    rounds, time, error, trace";

const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS negotiations (
    id TEXT NOT NULL,
    job INTEGER PRIMARY KEY,
    scenario TEXT NOT NULL,
    strategy_first TEXT NOT NULL,
    strategy_second TEXT NOT NULL,
    party_first TEXT NOT NULL,
    party_second TEXT NOT NULL,
    repetition INTEGER NOT NULL,
    rotated INTEGER NOT NULL,
    seed TEXT NOT NULL,
    end_reason TEXT NOT NULL,
    agreement TEXT,
    utility_first REAL NOT NULL,
    utility_second REAL NOT NULL,
    reserved_first REAL NOT NULL,
    reserved_second REAL NOT NULL,
    welfare REAL NOT NULL,
    pareto_distance REAL,
    nash_distance REAL,
    rounds INTEGER NOT NULL,
    time REAL NOT NULL,
    error TEXT,
    trace TEXT
);";

pub struct Store {
    pub conn: Connection,
    pub path: PathBuf,
}

fn db(path: &Path) -> impl Fn(rusqlite::Error) -> TournamentError + '_ {
    move |source| TournamentError::Database {
        path: path.to_path_buf(),
        source,
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
        let store = Store {
            conn,
            path: path.to_path_buf(),
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

    /// Opens an existing database read-only (for reports and merges).
    pub fn existing(path: &Path) -> Result<Store, TournamentError> {
        if !path.exists() {
            return Err(TournamentError::Plan(format!(
                "{} does not exist",
                path.display()
            )));
        }
        let conn = Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
            .map_err(db(path))?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn meta(&self, key: &str) -> Result<Option<String>, TournamentError> {
        self.conn
            .query_row("SELECT value FROM meta WHERE key = ?1", params![key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(db(&self.path))
    }

    pub fn done_ids(&self) -> Result<std::collections::HashSet<String>, TournamentError> {
        let mut stmt = self
            .conn
            .prepare("SELECT id FROM negotiations")
            .map_err(db(&self.path))?;
        let ids = stmt
            .query_map([], |r| r.get::<_, String>(0))
            .map_err(db(&self.path))?;
        ids.collect::<Result<_, _>>().map_err(db(&self.path))
    }

    /// Inserts rows in one transaction.
    pub fn insert(&mut self, rows: &[Row]) -> Result<(), TournamentError> {
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(db(&path))?;
        {
            let sql = format!("INSERT INTO negotiations ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23)");
            let mut stmt = tx.prepare_cached(&sql).map_err(db(&path))?;
            for r in rows {
                stmt.execute(params![
                    r.id,
                    r.job as i64,
                    r.scenario,
                    r.first,
                    r.second,
                    r.party_first,
                    r.party_second,
                    r.repetition,
                    r.rotated,
                    r.seed.to_string(),
                    r.end,
                    r.agreement,
                    r.utility_first,
                    r.utility_second,
                    r.reserved_first,
                    r.reserved_second,
                    r.welfare,
                    r.pareto_distance,
                    r.nash_distance,
                    r.rounds,
                    r.time,
                    r.error,
                    r.trace
                ])
                .map_err(db(&path))?;
            }
        }
        tx.commit().map_err(db(&path))
    }

    /// Every stored negotiation, ordered by job index.
    pub fn rows(&self) -> Result<Vec<Row>, TournamentError> {
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM negotiations ORDER BY job"))
            .map_err(db(&self.path))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(Row {
                    id: r.get(0)?,
                    job: r.get::<_, i64>(1)? as usize,
                    scenario: r.get(2)?,
                    first: r.get(3)?,
                    second: r.get(4)?,
                    party_first: r.get(5)?,
                    party_second: r.get(6)?,
                    repetition: r.get(7)?,
                    rotated: r.get(8)?,
                    seed: r.get::<_, String>(9)?.parse().unwrap_or(0),
                    end: r.get(10)?,
                    agreement: r.get(11)?,
                    utility_first: r.get(12)?,
                    utility_second: r.get(13)?,
                    reserved_first: r.get(14)?,
                    reserved_second: r.get(15)?,
                    welfare: r.get(16)?,
                    pareto_distance: r.get(17)?,
                    nash_distance: r.get(18)?,
                    rounds: r.get(19)?,
                    time: r.get(20)?,
                    error: r.get(21)?,
                    trace: r.get(22)?,
                })
            })
            .map_err(db(&self.path))?;
        rows.collect::<Result<_, _>>().map_err(db(&self.path))
    }
}
