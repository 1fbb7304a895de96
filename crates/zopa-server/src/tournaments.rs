//! Tournaments started from the web app: a tournament file run into a database of its own on a
//! thread, its progress polled, its leaderboard read as `zopa tournament report` reads it.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use serde_json::{json, Value as Json};

/// One tournament's state.
pub struct Running {
    pub file: PathBuf,
    pub db: PathBuf,
    pub done: AtomicUsize,
    pub total: AtomicUsize,
    /// `Some` once it has ended: the leaderboard, or why it failed.
    pub outcome: Mutex<Option<Result<Json, String>>>,
}

impl Running {
    pub fn status(&self) -> Json {
        let outcome = self.outcome.lock().ok().and_then(|o| o.clone());
        json!({
            "file": self.file.display().to_string(),
            "db": self.db.display().to_string(),
            "done": self.done.load(Ordering::Relaxed),
            "total": self.total.load(Ordering::Relaxed),
            "finished": outcome.is_some(),
            "leaderboard": outcome.as_ref().and_then(|o| o.as_ref().ok()).cloned(),
            "error": outcome.and_then(|o| o.err()),
        })
    }
}

/// Runs `t.file` into `t.db` on every core, then reads its overall leaderboard.
pub fn run(t: &Running) {
    let outcome = (|| -> Result<Json, String> {
        let tournament = zopa_tournament::Tournament::load(&t.file).map_err(|e| e.to_string())?;
        let base = t
            .file
            .parent()
            .map(Path::to_path_buf)
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or_else(|| PathBuf::from("."));
        let jobs = std::thread::available_parallelism().map_or(1, |n| n.get());
        let progress = |done: usize, total: usize| {
            t.done.store(done, Ordering::Relaxed);
            t.total.store(total, Ordering::Relaxed);
        };
        zopa_tournament::runner::run_tournament(
            &tournament,
            &base,
            &t.db,
            zopa_tournament::runner::Options {
                jobs,
                shard: None,
                batch: 256,
            },
            &progress,
        )
        .map_err(|e| e.to_string())?;
        let results = zopa_api::tournament::results(&t.db).map_err(|e| e.to_string())?;
        Ok(json!(results
            .standings
            .iter()
            .filter(|s| s.scope == "overall")
            .map(|s| json!({
                "strategy": s.strategy,
                "n": s.n,
                "mean_utility": s.mean_utility,
                "ci95": s.ci95,
                "advantage": s.advantage,
                "agreement_rate": s.agreement_rate,
            }))
            .collect::<Vec<_>>()))
    })();
    if let Ok(mut o) = t.outcome.lock() {
        *o = Some(outcome);
    }
}
