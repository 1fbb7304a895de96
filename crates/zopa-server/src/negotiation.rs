//! One negotiation the web app runs: its seats (built-in strategies, people, outside programs),
//! the thread that runs it on the protocol driver, and what watchers and players receive.
//!
//! A person's or a remote program's seat is a [`Bridge`]: the negotiation thread talks to it as
//! to any outside party (the party protocol, `zopa_party::RemoteNegotiator`); the WebSocket
//! that holds the seat's token forwards the messages both ways. Until someone joins, the
//! messages wait; a seat nobody answers within its move limit ends the negotiation with an
//! error naming it, as any outside party's.

use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{json, Value as Json};
use tokio::sync::broadcast;
use zopa_core::Scenario;
use zopa_mechanisms::protocols::mediated::Voter;
use zopa_mechanisms::registry::External;
use zopa_mechanisms::session::Negotiator;
use zopa_mechanisms::Setup;
use zopa_party::{Channel, RemoteNegotiator};

/// Who takes a seat.
#[derive(Debug, Clone, PartialEq)]
pub enum SeatKind {
    /// A registry strategy spec (`boulware:e=0.1`).
    Strategy(String),
    /// A person in a browser, joining with the seat's link.
    Person,
    /// A program joining over a WebSocket with the seat's token (the party protocol).
    Program,
}

impl SeatKind {
    pub fn parse(s: &str) -> SeatKind {
        match s {
            "person" => SeatKind::Person,
            "program" => SeatKind::Program,
            spec => SeatKind::Strategy(spec.to_string()),
        }
    }

    pub fn label(&self) -> String {
        match self {
            SeatKind::Strategy(s) => s.clone(),
            SeatKind::Person => "person".into(),
            SeatKind::Program => "program".into(),
        }
    }
}

/// A seat of a negotiation, as the organiser sees it.
#[derive(Debug, Clone)]
pub struct Seat {
    /// Scenario party index.
    pub party: usize,
    pub kind: SeatKind,
    /// The token that joins it (people and programs only).
    pub token: Option<String>,
}

/// The two ends of an outside seat's messages, until a WebSocket takes them.
pub struct BridgeEnds {
    /// Messages for the party (settings, turns, answers, end).
    pub to_party: tokio::sync::mpsc::UnboundedReceiver<Json>,
    /// What the party says, line by line.
    pub from_party: Sender<String>,
    /// The settings the party was sent, and the turn or vote it has not answered yet: what a
    /// person who reloads the page (and takes the seat again) is sent first.
    pub settings: Option<Json>,
    pub pending: Option<Json>,
}

impl BridgeEnds {
    /// Notes a message on its way to the party (for a rejoin).
    pub fn sent(&mut self, message: &Json) {
        match message["type"].as_str() {
            Some("settings") => self.settings = Some(message.clone()),
            Some("turn" | "vote") => self.pending = Some(message.clone()),
            _ => {}
        }
    }

    /// Notes a message from the party: a move or a vote answers what was pending.
    pub fn received(&mut self, text: &str) {
        let kind = serde_json::from_str::<Json>(text)
            .ok()
            .and_then(|j| j["type"].as_str().map(str::to_string));
        if kind.as_deref() != Some("utility") {
            self.pending = None;
        }
    }

    /// What a socket that takes the seat again is sent first.
    pub fn replay(&self) -> impl Iterator<Item = &Json> {
        self.settings.iter().chain(self.pending.iter())
    }
}

/// The negotiation thread's side of an outside seat.
pub struct Bridge {
    to_party: tokio::sync::mpsc::UnboundedSender<Json>,
    from_party: Receiver<String>,
    who: String,
}

impl Bridge {
    /// A bridge and the ends a WebSocket will take.
    pub fn new(who: String) -> (Bridge, BridgeEnds) {
        let (to_tx, to_rx) = tokio::sync::mpsc::unbounded_channel();
        let (from_tx, from_rx) = mpsc::channel();
        (
            Bridge {
                to_party: to_tx,
                from_party: from_rx,
                who,
            },
            BridgeEnds {
                to_party: to_rx,
                from_party: from_tx,
                settings: None,
                pending: None,
            },
        )
    }
}

impl Channel for Bridge {
    fn send(&mut self, message: &Json) -> Result<(), String> {
        // The receiving end lives in the negotiation's seat table until the socket takes it
        // (and after it leaves), so this fails only once the negotiation is dropped.
        self.to_party
            .send(message.clone())
            .map_err(|_| format!("{} is gone", self.who))
    }

    fn receive(&mut self, timeout: Duration) -> Result<String, String> {
        match self.from_party.recv_timeout(timeout) {
            Ok(line) => Ok(line),
            Err(RecvTimeoutError::Timeout) => Err(format!(
                "{} did not move within {:.0} s (the move limit)",
                self.who,
                crate::SEAT_MOVE_LIMIT.max(timeout).as_secs_f64()
            )),
            Err(RecvTimeoutError::Disconnected) => Err(format!("{} left", self.who)),
        }
    }
}

/// A negotiation's state, shared by its thread, its watchers and its players.
pub struct Negotiation {
    pub id: u64,
    pub scenario: Arc<Scenario>,
    pub scenario_id: usize,
    pub protocol: String,
    pub rounds: u32,
    pub seed: u64,
    pub seats: Vec<Seat>,
    /// Trace events so far (the `trace` entries of `zopa run --json`), while it runs; emptied
    /// at the end, when the result holds them.
    pub trace: Mutex<Vec<Json>>,
    /// The finished run's JSON document (`zopa run --json`), once it is over.
    pub result: Mutex<Option<Json>>,
    /// Trace events and the end, as they happen, for watchers.
    pub events: broadcast::Sender<Json>,
    /// Per outside seat (by token): its ends, until a WebSocket takes them.
    pub bridges: Mutex<Vec<(String, Option<BridgeEnds>)>>,
    /// The organiser's key: the live view of every side needs it.
    pub key: String,
}

impl Negotiation {
    /// The seat a token joins, if any.
    pub fn seat_of(&self, token: &str) -> Option<&Seat> {
        self.seats
            .iter()
            .find(|s| s.token.as_deref() == Some(token))
    }

    /// Takes the ends of the outside seat `token` (a second join of the same seat gets `None`).
    pub fn take_ends(&self, token: &str) -> Option<BridgeEnds> {
        let mut bridges = self.bridges.lock().ok()?;
        bridges
            .iter_mut()
            .find(|(t, _)| t == token)
            .and_then(|(_, ends)| ends.take())
    }

    /// Gives the ends of seat `token` back (its person left the page): the seat can be taken
    /// again while the negotiation waits for its move.
    pub fn return_ends(&self, token: &str, ends: BridgeEnds) {
        if let Ok(mut bridges) = self.bridges.lock() {
            if let Some((_, slot)) = bridges.iter_mut().find(|(t, _)| t == token) {
                *slot = Some(ends);
            }
        }
    }

    /// What a watcher is sent first: the negotiation as it stands.
    pub fn snapshot(&self) -> Json {
        let result = self.result.lock().ok().and_then(|r| r.clone());
        // Once it is over, the trace lives in the result only (kept once, not twice).
        let trace = match &result {
            Some(r) => r["trace"].as_array().cloned().unwrap_or_default(),
            None => self.trace.lock().map(|t| t.clone()).unwrap_or_default(),
        };
        json!({
            "type": "snapshot",
            "id": self.id,
            "protocol": self.protocol,
            "rounds": self.rounds,
            "seed": self.seed,
            "parties": self.scenario.parties.iter().map(|p| p.name.clone()).collect::<Vec<_>>(),
            "seats": self.seats.iter().map(|s| json!({
                "party": self.scenario.parties[s.party].name,
                "kind": s.kind.label(),
            })).collect::<Vec<_>>(),
            "trace": trace,
            "result": result,
        })
    }
}

/// An outside seat as an [`External`] party — a negotiator, or a voter at a single-text
/// table: the bridge is handed over when the protocol seats it.
pub fn external(label: String, bridge: Bridge, protocol: String, move_limit: Duration) -> External {
    let bridge = Arc::new(Mutex::new(Some(bridge)));
    let seat = move |setup: &Setup| {
        let bridge = bridge
            .lock()
            .ok()
            .and_then(|mut b| b.take())
            .unwrap_or_else(|| {
                std::panic::resume_unwind(Box::new(zopa_mechanisms::protocols::PartyFailure(
                    "seated twice".into(),
                )))
            });
        RemoteNegotiator::new(bridge, setup, Some(&protocol), move_limit)
    };
    let voter = seat.clone();
    External {
        label,
        build: Arc::new(move |setup: &Setup| -> Box<dyn Negotiator> { Box::new(seat(setup)) }),
        vote: Some(Arc::new(move |setup: &Setup| -> Box<dyn Voter> {
            Box::new(voter(setup))
        })),
    }
}

/// Runs the negotiation to its end on this thread: each trace event is stored, streamed to
/// watchers (`{"type": "event", "index", "event"}`) and written into the `zopa run --json`
/// document, which is stored and sent (`{"type": "end", "result"}`) when it is over.
pub fn run(n: &Negotiation, spec: &zopa_mechanisms::RunSpec) {
    let scenario = &*n.scenario;
    let mut stream = zopa_api::run::JsonStream::new(scenario, spec, Vec::new());
    let outcome = zopa_mechanisms::runner::run_streaming(scenario, spec, &mut |e| {
        let j = zopa_api::run::event_json(scenario, &e);
        let _ = stream.event_json(&j);
        let index = match n.trace.lock() {
            Ok(mut t) => {
                t.push(j.clone());
                t.len() - 1
            }
            Err(_) => 0,
        };
        let _ = n
            .events
            .send(json!({"type": "event", "index": index, "event": j}));
    });
    let result = match outcome {
        Ok(mut r) => {
            zopa_api::run::measure(scenario, &mut r);
            stream
                .finish(&r)
                .ok()
                .and_then(|bytes| serde_json::from_slice::<Json>(&bytes).ok())
                .unwrap_or_else(
                    || json!({"end": "error", "error": "the result could not be written"}),
                )
        }
        Err(e) => json!({"end": "error", "error": e.to_string(), "parties": [], "utilities": []}),
    };
    if let Ok(mut r) = n.result.lock() {
        *r = Some(result.clone());
    }
    if let Ok(mut t) = n.trace.lock() {
        *t = Vec::new();
    }
    let _ = n.events.send(json!({"type": "end", "result": result}));
}
