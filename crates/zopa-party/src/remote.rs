//! A negotiator whose moves come from outside: each turn it sends `turn` over a [`Channel`]
//! and waits for the party's action, answering its `utility` questions meanwhile.
//!
//! A party that fails — silence past the move limit, a closed channel, malformed JSON, a reply
//! that is no move, an offer that is not the scenario's, `accept` with nothing to accept — ends
//! its own negotiation: the negotiator unwinds with a [`PartyFailure`] that the protocol driver
//! records as an `error` naming the party (no panic hook runs), and the process goes on.

use std::time::{Duration, Instant};

use serde_json::Value as Json;
use zopa_mechanisms::protocols::PartyFailure;
use zopa_mechanisms::session::{Action, Negotiator};
use zopa_mechanisms::{Setup, View};

use crate::protocol::{self, Reply};

/// Questions a party may ask in one turn before it is taken to be stuck.
pub const MAX_QUESTIONS: usize = 1_000_000;

/// Where messages to and from one outside party go: a subprocess's pipes, a WebSocket.
pub trait Channel: Send {
    /// Sends one message. `Err` says why it could not be delivered.
    fn send(&mut self, message: &Json) -> Result<(), String>;
    /// The party's next message, waiting at most `timeout`. `Err` says what went wrong (timed
    /// out, the party left) in words for the trace.
    fn receive(&mut self, timeout: Duration) -> Result<String, String>;
}

/// A negotiator played by an outside party.
pub struct RemoteNegotiator<C: Channel> {
    channel: C,
    setup: Setup,
    /// Longest the party may take for one move.
    move_limit: Duration,
    /// Moves of the negotiation it has been shown.
    shown: usize,
}

/// Ends this party's negotiation with an error naming what it did.
fn fail(why: String) -> ! {
    std::panic::resume_unwind(Box::new(PartyFailure(why)))
}

impl<C: Channel> RemoteNegotiator<C> {
    /// Seats the party: sends it `settings`. A party that cannot be told fails to start.
    pub fn new(
        mut channel: C,
        setup: &Setup,
        protocol: Option<&str>,
        move_limit: Duration,
    ) -> RemoteNegotiator<C> {
        if let Err(e) = channel.send(&protocol::settings(setup, protocol)) {
            fail(format!("could not be sent its settings: {e}"));
        }
        RemoteNegotiator {
            channel,
            setup: setup.clone(),
            move_limit,
            shown: 0,
        }
    }

    /// The channel, for hosts that send more (`zopa serve` sends the result at the end).
    pub fn channel(&mut self) -> &mut C {
        &mut self.channel
    }
}

impl<C: Channel> Negotiator for RemoteNegotiator<C> {
    fn act(&mut self, view: &View<'_>) -> Action {
        let turn = protocol::turn(&self.setup, view, self.shown);
        self.shown = view.offset + view.history.len();
        if let Err(e) = self.channel.send(&turn) {
            fail(format!("could not be sent its turn: {e}"));
        }
        let began = Instant::now();
        for _ in 0..MAX_QUESTIONS {
            let left = self.move_limit.saturating_sub(began.elapsed());
            let line = match self.channel.receive(left) {
                Ok(line) => line,
                Err(e) => fail(e),
            };
            match protocol::read_reply(&self.setup.issues, &line) {
                Ok(Reply::Utility(question)) => {
                    let answer = match question {
                        Ok(outcome) => protocol::utility_answer(&self.setup, &outcome),
                        Err(p) => protocol::problem(&p),
                    };
                    if let Err(e) = self.channel.send(&answer) {
                        fail(format!("could not be sent an answer: {e}"));
                    }
                }
                Ok(Reply::Action(Action::Accept))
                    if view
                        .last_offer()
                        .is_none_or(|(by, _)| by == self.setup.index) =>
                {
                    fail("accepted when no other party's offer was on the table".into())
                }
                Ok(Reply::Action(action)) => return action,
                Err(p) => fail(p.0),
            }
        }
        fail(format!(
            "asked {MAX_QUESTIONS} questions in one turn without moving"
        ))
    }
}

impl<C: Channel> Drop for RemoteNegotiator<C> {
    fn drop(&mut self) {
        // Best effort: the party may be gone already.
        let _ = self.channel.send(&protocol::end());
    }
}
