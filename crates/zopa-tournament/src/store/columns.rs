//! How a [`Row`] meets the `negotiations` table: its columns, the schema and its migration,
//! binding a row to an INSERT and reading one back.

use rusqlite::Connection;

use super::{ModelScore, Row};

// `job` (the plan position) is the key: rows arrive nearly in job order, so inserts append
// instead of scattering through an index of random-looking ids; a database only ever holds
// one plan (checked on open), where job and id determine each other.
pub const COLUMNS: &str = "id, job, scenario, strategy_first, strategy_second, party_first, party_second, repetition, rotated, seed, \
    end_reason, agreement, utility_first, utility_second, reserved_first, reserved_second, welfare, pareto_distance, nash_distance, \
    rounds, time, error, trace";

/// The opponent-model columns (nullable), added after the others: a database written before
/// them is migrated when opened for writing (`ALTER TABLE … ADD COLUMN`) and read with NULLs
/// in their place when opened read-only.
pub const MODEL_COLUMNS: [&str; 10] = [
    "model_first",
    "rmse_first",
    "kendall_tau_first",
    "spearman_first",
    "kendall_optimality_first",
    "model_second",
    "rmse_second",
    "kendall_tau_second",
    "spearman_second",
    "kendall_optimality_second",
];

/// SQL type of each of [`MODEL_COLUMNS`].
fn model_column_type(name: &str) -> &'static str {
    if name.starts_with("model_") {
        "TEXT"
    } else {
        "REAL"
    }
}

pub(super) const SCHEMA: &str = "
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
    trace TEXT,
    model_first TEXT,
    rmse_first REAL,
    kendall_tau_first REAL,
    spearman_first REAL,
    kendall_optimality_first REAL,
    model_second TEXT,
    rmse_second REAL,
    kendall_tau_second REAL,
    spearman_second REAL,
    kendall_optimality_second REAL
);";

/// Parameters one row binds: [`COLUMNS`] and [`MODEL_COLUMNS`].
pub(super) const ROW_PARAMETERS: usize = 33;

/// Rows one INSERT statement writes (33 parameters each, within SQLite's limit of 32,766).
pub(super) const INSERT_ROWS: usize = 32;

/// `INSERT INTO negotiations (…) VALUES (?, …), …` for `rows` rows.
pub(super) fn insert_sql(rows: usize) -> String {
    let one = format!("({})", vec!["?"; ROW_PARAMETERS].join(", "));
    format!(
        "INSERT INTO negotiations ({COLUMNS}, {}) VALUES {}",
        MODEL_COLUMNS.join(", "),
        vec![one; rows].join(", ")
    )
}

/// Binds `r` to parameters `at + 1 ..= at + ROW_PARAMETERS` of `stmt`.
pub(super) fn bind_row(
    stmt: &mut rusqlite::CachedStatement<'_>,
    at: usize,
    r: &Row,
) -> rusqlite::Result<()> {
    let (a, b) = (r.model_first.as_ref(), r.model_second.as_ref());
    let values: [&dyn rusqlite::ToSql; ROW_PARAMETERS] = [
        &r.id,
        &(r.job as i64),
        &r.scenario,
        &r.first,
        &r.second,
        &r.party_first,
        &r.party_second,
        &r.repetition,
        &r.rotated,
        &r.seed.to_string(),
        &r.end,
        &r.agreement,
        &r.utility_first,
        &r.utility_second,
        &r.reserved_first,
        &r.reserved_second,
        &r.welfare,
        &r.pareto_distance,
        &r.nash_distance,
        &r.rounds,
        &r.time,
        &r.error,
        &r.trace,
        &a.map(|m| &m.model),
        &a.map(|m| m.rmse),
        &a.map(|m| m.kendall_tau),
        &a.map(|m| m.spearman),
        &a.map(|m| m.kendall_optimality),
        &b.map(|m| &m.model),
        &b.map(|m| m.rmse),
        &b.map(|m| m.kendall_tau),
        &b.map(|m| m.spearman),
        &b.map(|m| m.kendall_optimality),
    ];
    for (k, v) in values.iter().enumerate() {
        stmt.raw_bind_parameter(at + k + 1, v)?;
    }
    Ok(())
}

/// The columns of the `negotiations` table.
pub(super) fn column_names(conn: &Connection) -> rusqlite::Result<Vec<String>> {
    let mut stmt = conn.prepare("SELECT name FROM pragma_table_info('negotiations')")?;
    let names = stmt
        .query_map([], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(names)
}

/// Adds the opponent-model columns a database written before them lacks.
pub(super) fn migrate(conn: &Connection) -> rusqlite::Result<()> {
    let names = column_names(conn)?;
    for c in MODEL_COLUMNS {
        if !names.iter().any(|n| n == c) {
            conn.execute_batch(&format!(
                "ALTER TABLE negotiations ADD COLUMN {c} {}",
                model_column_type(c)
            ))?;
        }
    }
    Ok(())
}

pub(super) fn read_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Row> {
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
        model_first: read_model(r, 23)?,
        model_second: read_model(r, 28)?,
    })
}

/// The five model columns from `at`: a score when the model's name and every number are
/// there.
fn read_model(r: &rusqlite::Row<'_>, at: usize) -> rusqlite::Result<Option<ModelScore>> {
    let model: Option<String> = r.get(at)?;
    let numbers: [Option<f64>; 4] = [
        r.get(at + 1)?,
        r.get(at + 2)?,
        r.get(at + 3)?,
        r.get(at + 4)?,
    ];
    Ok(match (model, numbers) {
        (
            Some(model),
            [Some(rmse), Some(kendall_tau), Some(spearman), Some(kendall_optimality)],
        ) => Some(ModelScore {
            model,
            rmse,
            kendall_tau,
            spearman,
            kendall_optimality,
        }),
        _ => None,
    })
}
