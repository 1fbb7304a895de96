//! Tournaments started from the web app: a tournament file run into a database of its own on a
//! thread, its progress polled, its leaderboard read as `zopa tournament report` reads it.

use std::path::{Path as FsPath, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json as AxumJson;
use serde_json::{json, Value as Json};

use crate::{error, token, App, KEPT};

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
            .map(FsPath::to_path_buf)
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
                batch: zopa_tournament::runner::BATCH,
                writing: None,
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

/// `POST /api/tournaments` with `{"file": "examples/tournament.toml"}` (a path on this machine,
/// relative to where the server was started): runs it on every core into a database of its own
/// and returns its id; `GET /api/tournaments/{id}` says how far it is and, once it has ended,
/// its overall leaderboard.
pub(crate) async fn api_start(State(app): State<Arc<App>>, body: crate::Body) -> Response {
    let body = match crate::json_body(body) {
        Ok(body) => body,
        Err(why) => return crate::error(StatusCode::BAD_REQUEST, why),
    };
    let Some(file) = body["file"].as_str() else {
        return error(
            StatusCode::BAD_REQUEST,
            "give `file`, the path of a tournament file",
        );
    };
    let file = PathBuf::from(file);
    if !file.is_file() {
        return error(
            StatusCode::BAD_REQUEST,
            format!("{}: no such tournament file", file.display()),
        );
    }
    let Ok(mut all) = app.tournaments.lock() else {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the server's state is poisoned",
        );
    };
    if all.len() >= KEPT {
        return error(
            StatusCode::TOO_MANY_REQUESTS,
            format!("{KEPT} tournaments were started; restart the server"),
        );
    }
    let id = all.len();
    let db = std::env::temp_dir().join(format!(
        "zopa-serve-{}-{}-{id}.sqlite",
        std::process::id(),
        token()
    ));
    let running = Arc::new(Running {
        file,
        db,
        done: Default::default(),
        total: Default::default(),
        outcome: Mutex::new(None),
    });
    all.push(Arc::clone(&running));
    drop(all);
    if let Err(e) = std::thread::Builder::new()
        .name(format!("tournament-{id}"))
        .spawn(move || run(&running))
    {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            format!("cannot start the tournament's thread: {e}"),
        );
    }
    AxumJson(json!({"id": id})).into_response()
}

pub(crate) async fn api_status(State(app): State<Arc<App>>, Path(id): Path<usize>) -> Response {
    let running = app.tournaments.lock().ok().and_then(|t| t.get(id).cloned());
    match running {
        Some(t) => AxumJson(t.status()).into_response(),
        None => error(StatusCode::NOT_FOUND, format!("no tournament {id}")),
    }
}

/// Negotiations listed on the tournament page (the leaderboard counts them all).
const LISTED: usize = 500;

/// A tournament's negotiations: the first [`LISTED`] of them, each with whether its trace was
/// stored (`store_traces = true` in the file), and how many there are.
pub(crate) async fn api_negotiations(
    State(app): State<Arc<App>>,
    Path(id): Path<usize>,
) -> Response {
    let Some(t) = app.tournaments.lock().ok().and_then(|t| t.get(id).cloned()) else {
        return error(StatusCode::NOT_FOUND, format!("no tournament {id}"));
    };
    let db = t.db.clone();
    let read = tokio::task::spawn_blocking(move || {
        zopa_tournament::store::Store::existing(&db).and_then(|s| s.head(LISTED))
    })
    .await;
    match read {
        Ok(Ok((rows, total))) => AxumJson(json!({
            "negotiations": rows.iter().map(|row| json!({
                "job": row.job,
                "scenario": row.scenario,
                "first": row.first,
                "second": row.second,
                "end": row.end,
                "utilities": [row.utility_first, row.utility_second],
                "trace": row.trace.is_some(),
            })).collect::<Vec<_>>(),
            "total": total,
        }))
        .into_response(),
        Ok(Err(e)) => error(StatusCode::BAD_REQUEST, e.to_string()),
        Err(_) => error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "reading the tournament failed",
        ),
    }
}

/// One stored negotiation's trace, for the replay page.
pub(crate) async fn api_negotiation(
    State(app): State<Arc<App>>,
    Path((id, job)): Path<(usize, usize)>,
) -> Response {
    let Some(t) = app.tournaments.lock().ok().and_then(|t| t.get(id).cloned()) else {
        return error(StatusCode::NOT_FOUND, format!("no tournament {id}"));
    };
    let db = t.db.clone();
    let read = tokio::task::spawn_blocking(move || {
        zopa_tournament::store::Store::existing(&db).and_then(|s| s.row(job))
    })
    .await;
    let row = match read {
        Ok(Ok(Some(row))) => row,
        Ok(Ok(None)) => {
            return error(
                StatusCode::NOT_FOUND,
                format!("no negotiation {job} in tournament {id}"),
            )
        }
        _ => {
            return error(
                StatusCode::BAD_REQUEST,
                "the tournament's database cannot be read",
            )
        }
    };
    let Some(trace) = row
        .trace
        .as_deref()
        .and_then(|t| serde_json::from_str::<Json>(t).ok())
    else {
        return error(
            StatusCode::NOT_FOUND,
            "its trace was not stored: set `store_traces = true` in the tournament file",
        );
    };
    AxumJson(json!({
        "parties": [row.party_first, row.party_second],
        "trace": trace,
    }))
    .into_response()
}
