//! zopa-server: `zopa serve`, a local web app. It lists the scenarios under the paths it was
//! given, shows each one's frontier and solution deals, starts negotiations in which a seat is
//! a built-in strategy, a person (this browser, or an invitation link) or an outside program
//! (the party protocol over a WebSocket, `docs/party-protocol.md`), and shows them live.
//!
//! Security for a local tool: it binds to loopback unless told otherwise; a seat is joined only
//! with its unguessable token and sees only its own utility function (the party protocol's
//! boundary); the organiser's live view needs the negotiation's key; every message is
//! validated, and a malformed one ends only that seat's negotiation.
//!
//! Tokio lives in this crate only. A negotiation runs on its own thread (the protocol driver
//! is synchronous); WebSocket tasks bridge its outside seats.

pub mod catalogue;
pub mod negotiation;
mod pages;
pub mod tournaments;
mod what_if;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json as AxumJson, Router};
use serde_json::{json, Value as Json};
use tokio::sync::broadcast;
use zopa_mechanisms::registry::{find, Kind};
use zopa_mechanisms::{resolve, Protocol, Spec};

use catalogue::Entry;
use negotiation::{Bridge, Negotiation, Seat, SeatKind};

/// How long a person or a remote program may take for one move.
pub const SEAT_MOVE_LIMIT: Duration = Duration::from_secs(600);

/// Longest negotiation the app runs (its trace is kept in memory while it is listed).
const MAX_ROUNDS: u64 = 10_000;

/// Longest message a seat may send.
const MAX_MESSAGE: usize = 1 << 20;

/// Negotiations kept (the oldest finished ones are dropped beyond this).
pub(crate) const KEPT: usize = 256;

/// The server's state.
pub struct App {
    pub scenarios: Vec<Entry>,
    /// What could not be read under the given paths.
    pub notes: Vec<String>,
    negotiations: Mutex<HashMap<u64, Arc<Negotiation>>>,
    pub(crate) tournaments: Mutex<Vec<Arc<tournaments::Running>>>,
    next: AtomicU64,
}

impl App {
    /// The scenarios under `paths`.
    pub fn new(paths: &[PathBuf]) -> App {
        let (scenarios, notes) = catalogue::find(paths);
        App {
            scenarios,
            notes,
            negotiations: Mutex::new(HashMap::new()),
            tournaments: Mutex::new(Vec::new()),
            next: AtomicU64::new(1),
        }
    }

    fn negotiation(&self, id: u64) -> Option<Arc<Negotiation>> {
        self.negotiations.lock().ok()?.get(&id).cloned()
    }
}

/// An unguessable token: 128 bits from the operating system.
pub(crate) fn token() -> String {
    use rand::TryRng;
    let mut bytes = [0u8; 16];
    rand::rngs::SysRng
        .try_fill_bytes(&mut bytes)
        .expect("the operating system gives random bytes");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The routes.
pub fn router(app: Arc<App>) -> Router {
    Router::new()
        .route("/", get(pages::index))
        .route("/scenario/{id}", get(pages::scenario))
        .route("/watch/{id}", get(pages::watch))
        .route("/replay", get(pages::replay))
        .route("/tournaments", get(pages::tournaments))
        .route("/api/tournaments", post(tournaments::api_start))
        .route("/api/tournaments/{id}", get(tournaments::api_status))
        .route(
            "/api/tournaments/{id}/negotiations",
            get(tournaments::api_negotiations),
        )
        .route(
            "/api/tournaments/{id}/negotiations/{job}",
            get(tournaments::api_negotiation),
        )
        .route("/play/{id}/{token}", get(pages::play))
        .route("/assets/app.js", get(pages::script))
        .route("/api/scenarios", get(api_scenarios))
        .route("/api/scenarios/{id}", get(api_scenario))
        .route("/api/scenarios/{id}/what-if", post(what_if::api_what_if))
        .route("/api/negotiations", post(api_create))
        .route("/api/negotiations/{id}", get(api_negotiation))
        .route("/ws/watch/{id}", get(ws_watch))
        .route("/ws/play/{id}/{token}", get(ws_play))
        .with_state(app)
}

/// Binds `addr` and serves until the process ends; `ready` gets the bound address first.
pub async fn serve(
    app: Arc<App>,
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let bound = listener.local_addr()?;
    ready(bound);
    // Bound to loopback, only this machine's own names are answered: a web page elsewhere that
    // points a name of its own at 127.0.0.1 (DNS rebinding) gets nothing.
    let hosts: Option<Arc<Vec<String>>> = bound.ip().is_loopback().then(|| {
        let p = bound.port();
        Arc::new(vec![
            format!("127.0.0.1:{p}"),
            format!("localhost:{p}"),
            format!("[::1]:{p}"),
        ])
    });
    let routes = router(app).layer(axum::middleware::from_fn(
        move |request: axum::extract::Request, next: axum::middleware::Next| {
            let hosts = hosts.clone();
            async move {
                let host = request
                    .headers()
                    .get(axum::http::header::HOST)
                    .and_then(|h| h.to_str().ok())
                    .unwrap_or("");
                match &hosts {
                    Some(allowed) if !allowed.iter().any(|a| a == host) => error(
                        StatusCode::MISDIRECTED_REQUEST,
                        format!("this server answers only to {}", allowed.join(", ")),
                    ),
                    _ => next.run(request).await,
                }
            }
        },
    ));
    axum::serve(listener, routes).await
}

/// Serves `paths` on `addr` until the process ends, on a runtime of its own (callers need no
/// async code): `ready` gets the bound address and the number of scenarios found.
pub fn run_blocking(
    paths: &[PathBuf],
    addr: SocketAddr,
    ready: impl FnOnce(SocketAddr, &App),
) -> std::io::Result<()> {
    let app = Arc::new(App::new(paths));
    if app.scenarios.is_empty() {
        return Err(std::io::Error::other(format!(
            "no scenario under {}; give scenario files or folders (e.g. `zopa serve scenarios/`){}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            app.notes
                .iter()
                .map(|n| format!("\n  note: {n}"))
                .collect::<String>()
        )));
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let shown = Arc::clone(&app);
    runtime.block_on(serve(app, addr, move |bound| ready(bound, &shown)))
}

pub(crate) fn error(status: StatusCode, message: impl Into<String>) -> Response {
    (status, AxumJson(json!({"error": message.into()}))).into_response()
}

async fn api_scenarios(State(app): State<Arc<App>>) -> AxumJson<Json> {
    AxumJson(json!({
        "scenarios": app.scenarios.iter().map(Entry::row).collect::<Vec<_>>(),
        "notes": app.notes,
    }))
}

async fn api_scenario(State(app): State<Arc<App>>, Path(id): Path<usize>) -> Response {
    let Some(entry) = app.scenarios.get(id) else {
        return error(StatusCode::NOT_FOUND, format!("no scenario {id}"));
    };
    let app2 = Arc::clone(&app);
    let summary = tokio::task::spawn_blocking(move || app2.scenarios[id].summary().clone())
        .await
        .unwrap_or(Json::Null);
    let mut row = entry.row();
    row["analysis"] = summary;
    AxumJson(row).into_response()
}

/// A JSON request body, as axum extracts it.
pub(crate) type Body = Result<AxumJson<Json>, axum::extract::rejection::JsonRejection>;

/// The body, or why it is no JSON (refused with a 400 `{"error": …}`, as every refusal).
pub(crate) fn json_body(body: Body) -> Result<Json, String> {
    body.map(|AxumJson(b)| b).map_err(|e| e.body_text())
}

/// `POST /api/negotiations` with `{"scenario": id, "protocol": "sao" | "stacked" | "mediated" |
/// "shuttle", "mediator": "bargaining" (single-text protocols only; optional), "rounds": 100,
/// "seed": 0, "seats": [{"party": "A", "kind": "boulware" | "hill-climber" | "person" |
/// "program"}, …]}`: starts it and returns its id, the organiser's key and a link per person or
/// program seat. A strategy seat names a registry strategy that sits in the protocol (voters at
/// mediated tables; negotiators or voters on shuttle routes).
async fn api_create(State(app): State<Arc<App>>, body: Body) -> Response {
    let body = match json_body(body) {
        Ok(body) => body,
        Err(why) => return crate::error(StatusCode::BAD_REQUEST, why),
    };
    match create(&app, &body) {
        Ok(j) => AxumJson(j).into_response(),
        Err(e) => error(StatusCode::BAD_REQUEST, e),
    }
}

fn create(app: &Arc<App>, body: &Json) -> Result<Json, String> {
    let sid = body["scenario"]
        .as_u64()
        .ok_or("give `scenario`, a scenario id from /api/scenarios")? as usize;
    let entry = app
        .scenarios
        .get(sid)
        .ok_or_else(|| format!("no scenario {sid}"))?;
    let scenario = Arc::clone(&entry.scenario);
    let protocol = body["protocol"].as_str().unwrap_or("sao").to_string();
    let proto = Protocol::parse(&protocol).ok_or_else(|| {
        format!(
            "no protocol `{protocol}`; use one of {}",
            Protocol::list(Protocol::ALL)
        )
    })?;
    let single_text = matches!(proto, Protocol::Mediated | Protocol::Shuttle);
    let mediator = match &body["mediator"] {
        Json::Null => None,
        m => {
            let m = m.as_str().ok_or("`mediator` is a mediator's name")?;
            if !single_text {
                return Err(format!(
                    "{protocol} has no mediator; choose mediated or shuttle to seat `{m}`"
                ));
            }
            Spec::parse(m)
                .and_then(|sp| resolve(&sp, Kind::Mediator))
                .and_then(|r| r.seated_in(proto))
                .map_err(|e| format!("mediator: {e}"))?;
            Some(m.to_string())
        }
    };
    let rounds = match &body["rounds"] {
        Json::Null => 100,
        r => r
            .as_u64()
            .filter(|r| (1..=MAX_ROUNDS).contains(r))
            .ok_or_else(|| format!("`rounds` is a whole number from 1 to {MAX_ROUNDS}, not {r}"))?
            as u32,
    };
    let seed = match &body["seed"] {
        Json::Null => 0,
        x => x
            .as_u64()
            .ok_or_else(|| format!("`seed` is a whole number ≥ 0, not {x}"))?,
    };
    let list = body["seats"].as_array().ok_or(
        "give `seats`: [{\"party\": …, \"kind\": \"boulware\" | \"person\" | \"program\"}]",
    )?;
    let mut seats = Vec::new();
    for s in list {
        let name = s["party"].as_str().ok_or("each seat needs a `party`")?;
        let party = scenario
            .party_index(name)
            .ok_or_else(|| format!("no party named `{name}`"))?;
        if seats.iter().any(|x: &Seat| x.party == party) {
            return Err(format!("party `{name}` is seated twice"));
        }
        let kind = s["kind"].as_str().ok_or_else(|| {
            format!(
                "the seat of `{name}` needs a `kind`: a strategy's name, \"person\" or \"program\""
            )
        })?;
        if kind.starts_with(zopa_party::EXEC_PREFIX) {
            return Err(format!(
                "seat of `{name}`: a web request never starts a program on this machine; seat \
                 it as \"program\" and connect the program to the seat's WebSocket (the party \
                 protocol; python/zopa_party has a client)"
            ));
        }
        let kind = SeatKind::parse(kind);
        // Only built-in strategies: a web request never starts a program on this machine
        // (`exec:`) or anything else outside the registry.
        if let SeatKind::Strategy(spec) = &kind {
            Spec::parse(spec)
                .and_then(|sp| {
                    // Single texts seat voters; shuttle routes negotiators or voters.
                    let voter = find(&sp.name).is_some_and(|st| st.kind() == Kind::Voter);
                    let kind = match proto {
                        Protocol::Mediated => Kind::Voter,
                        Protocol::Shuttle if voter => Kind::Voter,
                        _ => Kind::Negotiator,
                    };
                    resolve(&sp, kind)
                })
                .and_then(|r| r.seated_in(proto))
                .map_err(|e| format!("seat of `{name}`: {e}; or \"person\" or \"program\""))?;
        }
        let token = (!matches!(kind, SeatKind::Strategy(_))).then(token);
        seats.push(Seat { party, kind, token });
    }
    let (fits, needed) = match proto {
        Protocol::Sao => (seats.len() == 2, "exactly two"),
        Protocol::Stacked => (seats.len() >= 3, "three or more"),
        Protocol::Mediated | Protocol::Shuttle => (seats.len() >= 2, "two or more"),
    };
    if !fits {
        return Err(format!(
            "{protocol} seats {needed} parties, and {} {} given",
            seats.len(),
            if seats.len() == 1 { "was" } else { "were" }
        ));
    }
    let id = app.next.fetch_add(1, Ordering::Relaxed);
    // Outside seats become external negotiators bridged to their WebSockets.
    let mut external = Vec::new();
    let mut bridges = Vec::new();
    let mut labels = Vec::new();
    for s in &seats {
        let party = &scenario.parties[s.party].name;
        match (&s.kind, &s.token) {
            (SeatKind::Strategy(spec), _) => labels.push(spec.clone()),
            (kind, Some(token)) => {
                let label = format!("{}:{party}", kind.label());
                let (bridge, ends) = Bridge::new(format!("{} at {party}'s seat", kind.label()));
                external.push(negotiation::external(
                    label.clone(),
                    bridge,
                    protocol.clone(),
                    SEAT_MOVE_LIMIT,
                ));
                bridges.push((token.clone(), Some(ends)));
                labels.push(label);
            }
            _ => unreachable!("outside seats have tokens"),
        }
    }
    let options = zopa_api::run::RunOptions {
        negotiators: labels,
        external,
        protocol: Some(protocol.clone()),
        mediator,
        parties: Some(
            seats
                .iter()
                .map(|s| scenario.parties[s.party].name.clone())
                .collect(),
        ),
        rounds: Some(rounds),
        seed,
        ..Default::default()
    };
    let mut owned = (*scenario).clone();
    let spec = options.apply(&mut owned).map_err(|e| e.to_string())?;
    let (events, _) = broadcast::channel(1024);
    let key = token();
    let n = Arc::new(Negotiation {
        id,
        scenario: Arc::new(owned),
        scenario_id: sid,
        protocol,
        rounds,
        seed,
        seats,
        trace: Mutex::new(Vec::new()),
        result: Mutex::new(None),
        events,
        bridges: Mutex::new(bridges),
        key: key.clone(),
    });
    {
        let mut all = app
            .negotiations
            .lock()
            .map_err(|_| "the server's state is poisoned")?;
        if all.len() >= KEPT {
            let finished: Vec<u64> = all
                .iter()
                .filter(|(_, n)| n.result.lock().is_ok_and(|r| r.is_some()))
                .map(|(&k, _)| k)
                .collect();
            if let Some(&oldest) = finished.iter().min() {
                all.remove(&oldest);
            } else {
                return Err(format!(
                    "{KEPT} negotiations are running; wait for one to end"
                ));
            }
        }
        all.insert(id, Arc::clone(&n));
    }
    let runner = Arc::clone(&n);
    std::thread::Builder::new()
        .name(format!("negotiation-{id}"))
        .spawn(move || negotiation::run(&runner, &spec))
        .map_err(|e| format!("cannot start the negotiation's thread: {e}"))?;
    Ok(json!({
        "id": id,
        "key": key,
        "watch": format!("/watch/{id}?key={key}"),
        "seats": n.seats.iter().map(|s| json!({
            "party": n.scenario.parties[s.party].name,
            "kind": s.kind.label(),
            "play": s.token.as_ref().map(|t| format!("/play/{id}/{t}")),
            "socket": s.token.as_ref().map(|t| format!("/ws/play/{id}/{t}")),
        })).collect::<Vec<_>>(),
    }))
}

/// The negotiation `id` for its organiser (who holds its key), or why not.
fn organiser(
    app: &App,
    id: u64,
    key: &Option<String>,
) -> Result<Arc<Negotiation>, (StatusCode, String)> {
    let n = app
        .negotiation(id)
        .ok_or_else(|| (StatusCode::NOT_FOUND, format!("no negotiation {id}")))?;
    if key.as_deref() != Some(n.key.as_str()) {
        return Err((
            StatusCode::FORBIDDEN,
            "the organiser's view needs the negotiation's key (?key=…)".into(),
        ));
    }
    Ok(n)
}

async fn api_negotiation(
    State(app): State<Arc<App>>,
    Path(id): Path<u64>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    match organiser(&app, id, &q.get("key").cloned()) {
        Ok(n) => AxumJson(n.snapshot()).into_response(),
        Err((status, why)) => error(status, why),
    }
}

async fn ws_watch(
    ws: WebSocketUpgrade,
    State(app): State<Arc<App>>,
    Path(id): Path<u64>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let n = match organiser(&app, id, &q.get("key").cloned()) {
        Ok(n) => n,
        Err((status, why)) => return error(status, why),
    };
    ws.max_message_size(MAX_MESSAGE)
        .on_upgrade(move |socket| watch_socket(socket, n))
}

async fn watch_socket(mut socket: WebSocket, n: Arc<Negotiation>) {
    // Subscribe before the snapshot so that nothing falls between them; events already in
    // the snapshot are skipped by their index.
    let mut rx = n.events.subscribe();
    let snapshot = n.snapshot();
    let seen = snapshot["trace"].as_array().map_or(0, Vec::len);
    if socket
        .send(Message::Text(snapshot.to_string().into()))
        .await
        .is_err()
    {
        return;
    }
    loop {
        match rx.recv().await {
            Ok(msg) => {
                if msg["index"].as_u64().is_some_and(|i| (i as usize) < seen) {
                    continue;
                }
                if socket
                    .send(Message::Text(msg.to_string().into()))
                    .await
                    .is_err()
                {
                    return;
                }
                if msg["type"] == "end" {
                    return;
                }
            }
            Err(broadcast::error::RecvError::Lagged(_)) => {
                // A slow watcher: start it again from a snapshot.
                let _ = socket
                    .send(Message::Text(n.snapshot().to_string().into()))
                    .await;
            }
            Err(broadcast::error::RecvError::Closed) => return,
        }
    }
}

async fn ws_play(
    ws: WebSocketUpgrade,
    State(app): State<Arc<App>>,
    Path((id, token)): Path<(u64, String)>,
) -> Response {
    let Some(n) = app.negotiation(id) else {
        return error(StatusCode::NOT_FOUND, format!("no negotiation {id}"));
    };
    let Some(seat) = n.seat_of(&token) else {
        return error(StatusCode::FORBIDDEN, "no seat has this token");
    };
    let person = seat.kind == SeatKind::Person;
    let Some(ends) = n.take_ends(&token) else {
        return error(
            StatusCode::CONFLICT,
            "this seat is open in another window (or its negotiation is over)",
        );
    };
    ws.max_message_size(MAX_MESSAGE)
        .on_upgrade(move |socket| play_socket(socket, n, ends, token, person))
}

/// Forwards a seat's messages both ways until its negotiation ends or the party leaves; then
/// sends the result (what every party may see once it is over). A person who leaves the page
/// while the negotiation goes on gives the seat back: reloading the page takes it again, and
/// is sent the settings and the move or vote still due. A program that leaves is gone.
async fn play_socket(
    mut socket: WebSocket,
    n: Arc<Negotiation>,
    mut ends: negotiation::BridgeEnds,
    token: String,
    person: bool,
) {
    let mut results = n.events.subscribe();
    for msg in ends.replay() {
        if socket
            .send(Message::Text(msg.to_string().into()))
            .await
            .is_err()
        {
            break;
        }
    }
    // The negotiation closes the party's channel when it is over; the result follows.
    let mut open = true;
    loop {
        if let Some(result) = n.result.lock().ok().and_then(|r| r.clone()) {
            if !open {
                let msg = json!({"type": "result", "result": result});
                let _ = socket.send(Message::Text(msg.to_string().into())).await;
                return;
            }
        }
        tokio::select! {
            out = ends.to_party.recv(), if open => {
                match out {
                    Some(msg) => {
                        ends.sent(&msg);
                        if socket.send(Message::Text(msg.to_string().into())).await.is_err() {
                            break;
                        }
                    }
                    None => open = false,
                }
            }
            incoming = socket.recv() => {
                match incoming {
                    Some(Ok(Message::Text(text))) => {
                        ends.received(&text);
                        // Nothing listens any more once the negotiation is over.
                        let _ = ends.from_party.send(text.to_string());
                    }
                    Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break,
                    Some(Ok(_)) => {}
                }
            }
            ev = results.recv() => {
                match ev {
                    Ok(ev) if ev["type"] == "end" => {
                        // What the negotiation still had for the party, then the result.
                        while let Ok(msg) = ends.to_party.try_recv() {
                            let _ = socket.send(Message::Text(msg.to_string().into())).await;
                        }
                        let msg = json!({"type": "result", "result": ev["result"]});
                        let _ = socket.send(Message::Text(msg.to_string().into())).await;
                        return;
                    }
                    Ok(_) | Err(broadcast::error::RecvError::Lagged(_)) => {}
                    Err(broadcast::error::RecvError::Closed) => open = false,
                }
            }
        }
    }
    // The party left. A person's seat waits for them (within its move limit); a program's
    // channel closes, which ends its negotiation.
    let over = n.result.lock().map_or(true, |r| r.is_some());
    if person && open && !over {
        n.return_ends(&token, ends);
    }
}
