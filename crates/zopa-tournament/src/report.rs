//! Leaderboards from a results database, CSV export, and merging shard databases.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

use crate::config::TournamentError;
use crate::parquet::{write, Column, Writer, ROWS_PER_GROUP};
use crate::store::{ModelScore, Row, Store};

/// One strategy's record in one scope (a scenario, or `overall`).
#[derive(Debug, Clone, PartialEq)]
pub struct Standing {
    pub scope: String,
    pub strategy: String,
    /// Negotiations it took part in.
    pub n: usize,
    pub mean_utility: f64,
    /// Half-width of the 95 % confidence interval of the mean utility (normal approximation).
    pub ci95: f64,
    /// Mean of utility − reservation value.
    pub advantage: f64,
    pub welfare: f64,
    pub agreement_rate: f64,
    pub pareto_distance: Option<f64>,
    pub nash_distance: Option<f64>,
    pub rounds: f64,
    /// Negotiations in which it kept an opponent model (scored at their end).
    pub model_n: usize,
    /// Means over those of NegoLog's RMSE, Kendall τ and Spearman ρ and of ANL's normalised
    /// Kendall accuracy; `None` for a strategy without a model.
    pub model_rmse: Option<f64>,
    pub model_kendall_tau: Option<f64>,
    pub model_spearman: Option<f64>,
    pub model_kendall_optimality: Option<f64>,
}

/// One strategy's sums in one scope. Sums start at −0.0, as `Iterator::sum` does, so that a
/// leaderboard read row by row equals one summed over a list, bit for bit.
struct Acc {
    n: usize,
    utility: f64,
    /// Σ (utility − mean)², from the second pass.
    spread: f64,
    advantage: f64,
    welfare: f64,
    agreements: usize,
    pareto: (f64, usize),
    nash: (f64, usize),
    rounds: f64,
    /// Scored models: count, Σ RMSE, Σ τ, Σ ρ, Σ Kendall optimality.
    models: (usize, [f64; 4]),
}

impl Default for Acc {
    fn default() -> Acc {
        Acc {
            n: 0,
            utility: -0.0,
            spread: -0.0,
            advantage: 0.0,
            welfare: 0.0,
            agreements: 0,
            pareto: (0.0, 0),
            nash: (0.0, 0),
            rounds: 0.0,
            models: (0, [0.0; 4]),
        }
    }
}

impl Acc {
    fn add(&mut self, r: &Row, utility: f64, reserved: f64, model: Option<&ModelScore>) {
        if let Some(m) = model {
            self.models.0 += 1;
            for (sum, x) in self.models.1.iter_mut().zip([
                m.rmse,
                m.kendall_tau,
                m.spearman,
                m.kendall_optimality,
            ]) {
                *sum += x;
            }
        }
        self.n += 1;
        self.utility += utility;
        self.advantage += utility - reserved;
        self.welfare += r.welfare;
        self.agreements += usize::from(r.end == "agreement");
        if let Some(d) = r.pareto_distance {
            self.pareto.0 += d;
            self.pareto.1 += 1;
        }
        if let Some(d) = r.nash_distance {
            self.nash.0 += d;
            self.nash.1 += 1;
        }
        self.rounds += f64::from(r.rounds);
    }

    fn mean(&self) -> f64 {
        self.utility / self.n as f64
    }

    fn standing(&self, scope: &str, strategy: &str) -> Standing {
        let n = self.n;
        let nf = n as f64;
        let mean = self.mean();
        let ci95 = if n > 1 {
            let var = self.spread / (nf - 1.0);
            1.96 * (var / nf).sqrt()
        } else {
            0.0
        };
        let avg = |(s, k): (f64, usize)| (k > 0).then(|| s / k as f64);
        let (k, sums) = self.models;
        let model = |i: usize| avg((sums[i], k));
        Standing {
            scope: scope.to_string(),
            strategy: strategy.to_string(),
            n,
            mean_utility: mean,
            ci95,
            advantage: self.advantage / nf,
            welfare: self.welfare / nf,
            agreement_rate: self.agreements as f64 / nf,
            pareto_distance: avg(self.pareto),
            nash_distance: avg(self.nash),
            rounds: self.rounds / nf,
            model_n: k,
            model_rmse: model(0),
            model_kendall_tau: model(1),
            model_spearman: model(2),
            model_kendall_optimality: model(3),
        }
    }
}

/// A leaderboard built from rows read one at a time, in two passes over the same rows in the
/// same order: [`Board::add`] (sums and means), then [`Board::add_spread`] (deviations from
/// those means, for the confidence intervals). Memory grows with strategies × scenarios, not
/// with rows.
#[derive(Default)]
pub struct Board {
    /// scope → strategy → sums.
    scopes: BTreeMap<String, BTreeMap<String, Acc>>,
}

/// The (strategy, utility, reserved value, opponent-model score) of each seat of a row.
fn seats(r: &Row) -> [(&String, f64, f64, Option<&ModelScore>); 2] {
    [
        (
            &r.first,
            r.utility_first,
            r.reserved_first,
            r.model_first.as_ref(),
        ),
        (
            &r.second,
            r.utility_second,
            r.reserved_second,
            r.model_second.as_ref(),
        ),
    ]
}

impl Board {
    /// First pass.
    pub fn add(&mut self, r: &Row) {
        for (strategy, utility, reserved, model) in seats(r) {
            for scope in ["overall", r.scenario.as_str()] {
                let by_strategy = match self.scopes.get_mut(scope) {
                    Some(m) => m,
                    None => self.scopes.entry(scope.to_string()).or_default(),
                };
                let acc = match by_strategy.get_mut(strategy.as_str()) {
                    Some(a) => a,
                    None => by_strategy.entry(strategy.clone()).or_default(),
                };
                acc.add(r, utility, reserved, model);
            }
        }
    }

    /// Second pass, over the rows of the first in the same order.
    pub fn add_spread(&mut self, r: &Row) {
        for (strategy, utility, _, _) in seats(r) {
            for scope in ["overall", r.scenario.as_str()] {
                if let Some(acc) = self
                    .scopes
                    .get_mut(scope)
                    .and_then(|m| m.get_mut(strategy.as_str()))
                {
                    acc.spread += (utility - acc.mean()).powi(2);
                }
            }
        }
    }

    /// Standings overall (scope `overall`) and per scenario, each sorted by mean utility.
    pub fn standings(&self) -> Vec<Standing> {
        let mut out: Vec<Standing> = self
            .scopes
            .iter()
            .flat_map(|(scope, m)| m.iter().map(move |(s, acc)| acc.standing(scope, s)))
            .collect();
        out.sort_by(|a, b| {
            (a.scope != "overall")
                .cmp(&(b.scope != "overall"))
                .then(a.scope.cmp(&b.scope))
                .then(b.mean_utility.total_cmp(&a.mean_utility))
                .then(a.strategy.cmp(&b.strategy))
        });
        out
    }
}

/// Standings overall (scope `overall`) and per scenario, each sorted by mean utility.
pub fn leaderboard(rows: &[Row]) -> Vec<Standing> {
    let mut board = Board::default();
    for r in rows {
        board.add(r);
    }
    for r in rows {
        board.add_spread(r);
    }
    board.standings()
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

fn opt(x: Option<f64>) -> String {
    x.map_or(String::new(), |v| v.to_string())
}

pub fn leaderboard_csv(standings: &[Standing]) -> String {
    let mut o = String::from("scope,strategy,n,mean_utility,ci95,advantage,welfare,agreement_rate,pareto_distance,nash_distance,rounds,\
         model_n,model_rmse,model_kendall_tau,model_spearman,model_kendall_optimality\n");
    for s in standings {
        let _ = writeln!(
            o,
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}",
            csv_field(&s.scope),
            csv_field(&s.strategy),
            s.n,
            s.mean_utility,
            s.ci95,
            s.advantage,
            s.welfare,
            s.agreement_rate,
            opt(s.pareto_distance),
            opt(s.nash_distance),
            s.rounds,
            s.model_n,
            opt(s.model_rmse),
            opt(s.model_kendall_tau),
            opt(s.model_spearman),
            opt(s.model_kendall_optimality)
        );
    }
    o
}

/// The header line of `negotiations.csv` (with its newline).
pub const NEGOTIATIONS_CSV_HEADER: &str = "id,job,scenario,strategy_first,strategy_second,party_first,party_second,repetition,rotated,seed,end,agreement,\
     utility_first,utility_second,reserved_first,reserved_second,welfare,pareto_distance,nash_distance,rounds,time,error,\
     model_first,rmse_first,kendall_tau_first,spearman_first,kendall_optimality_first,\
     model_second,rmse_second,kendall_tau_second,spearman_second,kendall_optimality_second\n";

/// One row of `negotiations.csv` (with its newline).
pub fn negotiation_csv_line(r: &Row) -> String {
    format!(
        "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
        r.id,
        r.job,
        csv_field(&r.scenario),
        csv_field(&r.first),
        csv_field(&r.second),
        csv_field(&r.party_first),
        csv_field(&r.party_second),
        r.repetition,
        r.rotated,
        r.seed,
        r.end,
        csv_field(r.agreement.as_deref().unwrap_or("")),
        r.utility_first,
        r.utility_second,
        r.reserved_first,
        r.reserved_second,
        r.welfare,
        opt(r.pareto_distance),
        opt(r.nash_distance),
        r.rounds,
        r.time,
        csv_field(r.error.as_deref().unwrap_or("")),
        model_csv(r.model_first.as_ref()) + "," + &model_csv(r.model_second.as_ref())
    )
}

/// One seat's five model columns (empty without a model).
fn model_csv(m: Option<&ModelScore>) -> String {
    match m {
        Some(m) => format!(
            "{},{},{},{},{}",
            csv_field(&m.model),
            m.rmse,
            m.kendall_tau,
            m.spearman,
            m.kendall_optimality
        ),
        None => ",,,,".to_string(),
    }
}

pub fn negotiations_csv(rows: &[Row]) -> String {
    let mut o = String::from(NEGOTIATIONS_CSV_HEADER);
    for r in rows {
        o.push_str(&negotiation_csv_line(r));
    }
    o
}

/// The negotiations table's columns (the CSV's, nulls kept) for `rows`.
fn negotiation_columns(rows: &[Row]) -> Vec<(&'static str, Column)> {
    let text = |f: &dyn Fn(&Row) -> Option<String>| Column::Text(rows.iter().map(f).collect());
    let int = |f: &dyn Fn(&Row) -> i64| Column::Int(rows.iter().map(|r| Some(f(r))).collect());
    let float = |f: &dyn Fn(&Row) -> Option<f64>| Column::Float(rows.iter().map(f).collect());
    vec![
        ("id", text(&|r| Some(r.id.clone()))),
        ("job", int(&|r| r.job as i64)),
        ("scenario", text(&|r| Some(r.scenario.clone()))),
        ("strategy_first", text(&|r| Some(r.first.clone()))),
        ("strategy_second", text(&|r| Some(r.second.clone()))),
        ("party_first", text(&|r| Some(r.party_first.clone()))),
        ("party_second", text(&|r| Some(r.party_second.clone()))),
        ("repetition", int(&|r| i64::from(r.repetition))),
        (
            "rotated",
            Column::Bool(rows.iter().map(|r| Some(r.rotated)).collect()),
        ),
        ("seed", text(&|r| Some(r.seed.to_string()))),
        ("end", text(&|r| Some(r.end.clone()))),
        ("agreement", text(&|r| r.agreement.clone())),
        ("utility_first", float(&|r| Some(r.utility_first))),
        ("utility_second", float(&|r| Some(r.utility_second))),
        ("reserved_first", float(&|r| Some(r.reserved_first))),
        ("reserved_second", float(&|r| Some(r.reserved_second))),
        ("welfare", float(&|r| Some(r.welfare))),
        ("pareto_distance", float(&|r| r.pareto_distance)),
        ("nash_distance", float(&|r| r.nash_distance)),
        ("rounds", int(&|r| i64::from(r.rounds))),
        ("time", float(&|r| Some(r.time))),
        ("error", text(&|r| r.error.clone())),
        (
            "model_first",
            text(&|r| r.model_first.as_ref().map(|m| m.model.clone())),
        ),
        (
            "rmse_first",
            float(&|r| r.model_first.as_ref().map(|m| m.rmse)),
        ),
        (
            "kendall_tau_first",
            float(&|r| r.model_first.as_ref().map(|m| m.kendall_tau)),
        ),
        (
            "spearman_first",
            float(&|r| r.model_first.as_ref().map(|m| m.spearman)),
        ),
        (
            "kendall_optimality_first",
            float(&|r| r.model_first.as_ref().map(|m| m.kendall_optimality)),
        ),
        (
            "model_second",
            text(&|r| r.model_second.as_ref().map(|m| m.model.clone())),
        ),
        (
            "rmse_second",
            float(&|r| r.model_second.as_ref().map(|m| m.rmse)),
        ),
        (
            "kendall_tau_second",
            float(&|r| r.model_second.as_ref().map(|m| m.kendall_tau)),
        ),
        (
            "spearman_second",
            float(&|r| r.model_second.as_ref().map(|m| m.spearman)),
        ),
        (
            "kendall_optimality_second",
            float(&|r| r.model_second.as_ref().map(|m| m.kendall_optimality)),
        ),
    ]
}

/// The negotiations table as Parquet (same columns as the CSV, nulls kept).
pub fn negotiations_parquet(rows: &[Row]) -> Result<Vec<u8>, TournamentError> {
    write(&negotiation_columns(rows)).map_err(TournamentError::Export)
}

/// The negotiations table written to `out` as its rows come: a row group at a time, so that
/// an export of any size holds one group of rows ([`ROWS_PER_GROUP`]).
pub struct NegotiationsParquet<W: std::io::Write + Send> {
    writer: Writer<W>,
    rows: Vec<Row>,
}

impl<W: std::io::Write + Send> NegotiationsParquet<W> {
    pub fn new(out: W) -> Result<NegotiationsParquet<W>, TournamentError> {
        Ok(NegotiationsParquet {
            writer: Writer::new(out, &negotiation_columns(&[])).map_err(TournamentError::Export)?,
            rows: Vec::new(),
        })
    }

    pub fn push(&mut self, row: Row) -> Result<(), TournamentError> {
        self.rows.push(row);
        if self.rows.len() >= ROWS_PER_GROUP {
            self.flush()?;
        }
        Ok(())
    }

    fn flush(&mut self) -> Result<(), TournamentError> {
        if !self.rows.is_empty() {
            let columns = negotiation_columns(&self.rows);
            self.writer
                .group(&columns)
                .map_err(TournamentError::Export)?;
            self.rows.clear();
        }
        Ok(())
    }

    /// Writes the last group and the footer.
    pub fn finish(mut self) -> Result<(), TournamentError> {
        self.flush()?;
        self.writer.finish().map_err(TournamentError::Export)
    }
}

/// The leaderboard as Parquet.
pub fn leaderboard_parquet(standings: &[Standing]) -> Result<Vec<u8>, TournamentError> {
    let float =
        |f: &dyn Fn(&Standing) -> Option<f64>| Column::Float(standings.iter().map(f).collect());
    write(&[
        (
            "scope",
            Column::Text(standings.iter().map(|s| Some(s.scope.clone())).collect()),
        ),
        (
            "strategy",
            Column::Text(standings.iter().map(|s| Some(s.strategy.clone())).collect()),
        ),
        (
            "n",
            Column::Int(standings.iter().map(|s| Some(s.n as i64)).collect()),
        ),
        ("mean_utility", float(&|s| Some(s.mean_utility))),
        ("ci95", float(&|s| Some(s.ci95))),
        ("advantage", float(&|s| Some(s.advantage))),
        ("welfare", float(&|s| Some(s.welfare))),
        ("agreement_rate", float(&|s| Some(s.agreement_rate))),
        ("pareto_distance", float(&|s| s.pareto_distance)),
        ("nash_distance", float(&|s| s.nash_distance)),
        ("rounds", float(&|s| Some(s.rounds))),
        (
            "model_n",
            Column::Int(standings.iter().map(|s| Some(s.model_n as i64)).collect()),
        ),
        ("model_rmse", float(&|s| s.model_rmse)),
        ("model_kendall_tau", float(&|s| s.model_kendall_tau)),
        ("model_spearman", float(&|s| s.model_spearman)),
        (
            "model_kendall_optimality",
            float(&|s| s.model_kendall_optimality),
        ),
    ])
    .map_err(TournamentError::Export)
}

/// What a merge found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MergeSummary {
    pub merged: usize,
    pub total: usize,
    /// Job indices of the plan that no shard holds: the first [`MISSING_LISTED`] of them.
    pub missing: Vec<usize>,
    /// How many job indices no shard holds.
    pub missing_count: usize,
}

/// How many missing job indices a merge lists (it counts them all).
pub const MISSING_LISTED: usize = 1000;

/// Rows copied per transaction while merging.
const MERGE_BATCH: usize = 4096;

/// Merges shard databases of one plan into `out`; refuses a shard given twice, shards of
/// another plan and any negotiation stored twice. Rows are copied in batches, never all held
/// at once; on failure `out` is removed.
pub fn merge(out: &Path, shards: &[&Path]) -> Result<MergeSummary, TournamentError> {
    if out.exists() {
        return Err(TournamentError::Plan(format!(
            "{} exists; merge into a new file",
            out.display()
        )));
    }
    // The same file twice (however spelled) would only ever report its own rows as duplicates.
    let mut seen: Vec<(std::path::PathBuf, &Path)> = Vec::new();
    for path in shards {
        let real = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        if let Some((_, first)) = seen.iter().find(|(r, _)| *r == real) {
            let also = if first == path {
                String::new()
            } else {
                format!(" (also as {})", first.display())
            };
            return Err(TournamentError::Plan(format!(
                "{} is given twice{also}; name each shard database once",
                path.display()
            )));
        }
        seen.push((real, path));
    }
    let mut plan: Option<(String, String, usize)> = None;
    let mut stores = Vec::new();
    for path in shards {
        let s = Store::existing(path)?;
        let hash = s.meta("plan")?.ok_or_else(|| {
            TournamentError::Plan(format!(
                "{} is not a zopa tournament database",
                path.display()
            ))
        })?;
        let config = s.meta("config")?.unwrap_or_default();
        let total: usize = s.meta("total")?.and_then(|t| t.parse().ok()).unwrap_or(0);
        match &plan {
            None => plan = Some((hash, config, total)),
            Some((h, _, _)) if *h != hash => {
                return Err(TournamentError::Plan(format!(
                    "{} belongs to another plan ({hash}, not {h})",
                    path.display()
                )))
            }
            _ => {}
        }
        stores.push(s);
    }
    let Some((hash, config, total)) = plan else {
        return Err(TournamentError::Plan("no shard databases given".into()));
    };
    let result = copy_shards(out, &stores, &hash, &config, total);
    if result.is_err() {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = out.as_os_str().to_os_string();
            name.push(suffix);
            let _ = std::fs::remove_file(name);
        }
    }
    result
}

fn copy_shards(
    out: &Path,
    stores: &[Store],
    hash: &str,
    config: &str,
    total: usize,
) -> Result<MergeSummary, TournamentError> {
    let mut target = Store::open(out, hash, config, total)?;
    let mut merged = 0;
    for (k, s) in stores.iter().enumerate() {
        for (key, value) in s.meta_with_prefix(crate::check::BOUNDS)? {
            target.set_meta(&key, &value)?;
        }
        let mut batch = Vec::with_capacity(MERGE_BATCH);
        let mut flush = |batch: &mut Vec<Row>, target: &mut Store| {
            if let Err(e) = target.insert(batch) {
                // Which row is already there, and from which shard?
                for r in batch.iter() {
                    if let Some(id) = target.id_of(r.job)? {
                        let other = stores[..k]
                            .iter()
                            .find(|o| o.id_of(r.job).ok().flatten().is_some())
                            .map_or_else(
                                || "an earlier shard".to_string(),
                                |o| o.path.display().to_string(),
                            );
                        return Err(TournamentError::Plan(format!(
                            "negotiation {id} (job {}) is in both {other} and {}",
                            r.job,
                            s.path.display()
                        )));
                    }
                }
                return Err(e);
            }
            merged += batch.len();
            batch.clear();
            Ok(())
        };
        s.for_each_row(|r| {
            batch.push(r);
            if batch.len() >= MERGE_BATCH {
                flush(&mut batch, &mut target)?;
            }
            Ok::<_, TournamentError>(())
        })?;
        flush(&mut batch, &mut target)?;
    }
    let mut missing = Vec::new();
    let mut missing_count = 0;
    let mut next = 0usize;
    let mut gap = |from: usize, to: usize| {
        missing_count += to.saturating_sub(from);
        let room = MISSING_LISTED.saturating_sub(missing.len());
        missing.extend((from..to).take(room));
    };
    target.for_each_job(|j| {
        gap(next, j.min(total));
        next = next.max(j.saturating_add(1));
    })?;
    gap(next, total);
    target.settle();
    Ok(MergeSummary {
        merged,
        total,
        missing,
        missing_count,
    })
}
