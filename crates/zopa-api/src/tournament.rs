//! Tournaments for front ends other than the CLI's streaming report: the stored negotiations
//! and the leaderboard of a database, checked as `zopa tournament report` checks them, as the
//! Parquet files its `--parquet` export writes.

use std::path::Path;

use zopa_tournament::check::Checks;
use zopa_tournament::report::{leaderboard_parquet, negotiations_parquet, Board, Standing};
use zopa_tournament::store::{Row, Store};

use crate::Error;

/// A tournament database read whole.
pub struct Results {
    /// The negotiations the leaderboard counts, in stored order.
    pub negotiations: Vec<Row>,
    /// Per strategy, overall and per scenario (as `zopa tournament report` prints it).
    pub standings: Vec<Standing>,
    /// Negotiations stored.
    pub stored: usize,
    /// Negotiations of the plan.
    pub total: usize,
    /// Rows left out because their stored values cannot be right, with what is wrong.
    pub damaged: Vec<(Row, Vec<String>)>,
}

/// Reads `db` as `zopa tournament report` does: every row checked against the plan's bounds,
/// the damaged ones left out of the leaderboard and the exports.
pub fn results(db: &Path) -> Result<Results, Error> {
    let store = Store::existing(db)?;
    let checks = Checks::of(&store)?;
    let mut board = Board::default();
    let mut negotiations = Vec::new();
    let mut damaged = Vec::new();
    let mut stored = 0usize;
    store.snapshot(|store| -> Result<(), Error> {
        store.for_each_row(|r| -> Result<(), Error> {
            stored += 1;
            let problems = checks.problems(&r);
            if problems.is_empty() {
                board.add(&r);
                negotiations.push(r);
            } else {
                damaged.push((r, problems));
            }
            Ok(())
        })
    })?;
    for r in &negotiations {
        board.add_spread(r);
    }
    let total = store
        .meta("total")?
        .and_then(|t| t.parse().ok())
        .unwrap_or(stored);
    Ok(Results {
        standings: board.standings(),
        negotiations,
        stored,
        total,
        damaged,
    })
}

impl Results {
    /// `negotiations.parquet` of `zopa tournament report --parquet`, byte for byte.
    pub fn negotiations_parquet(&self) -> Result<Vec<u8>, crate::Error> {
        Ok(negotiations_parquet(&self.negotiations)?)
    }

    /// `leaderboard.parquet` of `zopa tournament report --parquet`, byte for byte.
    pub fn leaderboard_parquet(&self) -> Result<Vec<u8>, crate::Error> {
        Ok(leaderboard_parquet(&self.standings)?)
    }
}
