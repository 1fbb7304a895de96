//! A negotiator whose moves come from outside: each turn it sends `turn` over a [`Channel`]
//! and waits for the party's action, answering its `utility` questions meanwhile. At a
//! single-text table it is a voter: each text put to it is a `vote` message, answered by
//! `vote` (or `feedback`). When the negotiation is over it is sent `end` with the result.
//!
//! A party that fails — silence past the move limit, a closed channel, malformed JSON, a reply
//! that is no move, an offer that is not the scenario's, `accept` with nothing to accept — ends
//! its own negotiation: the negotiator unwinds with a [`PartyFailure`] that the protocol driver
//! records as an `error` naming the party (no panic hook runs), and the process goes on.

use std::time::{Duration, Instant};

use serde_json::Value as Json;
use zopa_mechanisms::protocols::mediated::{Feedback, TextView, Voter};
use zopa_mechanisms::protocols::PartyFailure;
use zopa_mechanisms::session::{Action, Ending, Negotiator, Outcome};
use zopa_mechanisms::{Setup, View};

use crate::protocol::{self, Question, Reply};

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
    /// It was sent `end` with the result.
    told: bool,
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
            told: false,
        }
    }

    /// The channel, for hosts that send more (`zopa serve` sends the result at the end).
    pub fn channel(&mut self) -> &mut C {
        &mut self.channel
    }
}

/// What the party is asked for, and so which replies answer it.
#[derive(Clone, Copy)]
enum Expect {
    /// A move on its turn: `offer`, `accept` or `end`.
    Move,
    /// `vote`, for this question.
    Vote(Question),
    /// `feedback`.
    Feedback,
}

impl Expect {
    fn wanted(self) -> &'static str {
        match self {
            Expect::Move => "`offer`, `accept` or `end` (its turn)",
            Expect::Vote(Question::Ratify) => "`vote` (the final vote on the text)",
            Expect::Vote(_) => "`vote` (a text was put to it)",
            Expect::Feedback => "`feedback` (a text was put to it)",
        }
    }
}

impl<C: Channel> RemoteNegotiator<C> {
    /// Sends `message` and waits for the reply it asks for, answering `utility` questions
    /// meanwhile; anything else, or silence past the move limit, fails the party.
    fn ask<T>(&mut self, message: &Json, expect: Expect, pick: impl Fn(Reply) -> Option<T>) -> T {
        if let Err(e) = self.channel.send(message) {
            fail(format!("could not be sent a message: {e}"));
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
                Ok(reply) => {
                    let name = reply.name();
                    match pick(reply) {
                        Some(answer) => return answer,
                        None => fail(format!(
                            "answered with {name} when zopa waited for {}",
                            expect.wanted()
                        )),
                    }
                }
                Err(p) => fail(p.0),
            }
        }
        fail(format!("asked {MAX_QUESTIONS} questions without answering"))
    }

    fn yes_or_no(&mut self, question: Question, view: &TextView<'_>, text: &Outcome) -> bool {
        let message = protocol::vote(&self.setup, question, view, text);
        self.ask(&message, Expect::Vote(question), |r| match r {
            Reply::Vote(yes) => Some(yes),
            _ => None,
        })
    }

    fn tell_end(&mut self, ending: &Ending<'_>) {
        // Best effort: the party may be gone already.
        let _ = self.channel.send(&protocol::end(&self.setup, Some(ending)));
        self.told = true;
    }
}

impl<C: Channel> Negotiator for RemoteNegotiator<C> {
    fn act(&mut self, view: &View<'_>) -> Action {
        let turn = protocol::turn(&self.setup, view, self.shown);
        self.shown = view.offset + view.history.len();
        let action = self.ask(&turn, Expect::Move, |r| match r {
            Reply::Action(a) => Some(a),
            _ => None,
        });
        let nothing_to_accept = view
            .last_offer()
            .is_none_or(|(by, _)| by == self.setup.index);
        if action == Action::Accept && nothing_to_accept {
            fail("accepted when no other party's offer was on the table".into())
        }
        action
    }

    fn ratify(&mut self, view: &TextView<'_>, text: &Outcome) -> Option<bool> {
        Some(self.yes_or_no(Question::Ratify, view, text))
    }

    fn finished(&mut self, ending: &Ending<'_>) {
        self.tell_end(ending);
    }
}

impl<C: Channel> Voter for RemoteNegotiator<C> {
    fn vote(&mut self, view: &TextView<'_>, text: &Outcome) -> bool {
        self.yes_or_no(Question::Vote, view, text)
    }

    fn feedback(&mut self, view: &TextView<'_>, text: &Outcome) -> Feedback {
        let message = protocol::vote(&self.setup, Question::Feedback, view, text);
        self.ask(&message, Expect::Feedback, |r| match r {
            Reply::Feedback(f) => Some(f),
            _ => None,
        })
    }

    fn ratify(&mut self, view: &TextView<'_>, text: &Outcome) -> bool {
        self.yes_or_no(Question::Ratify, view, text)
    }

    fn finished(&mut self, ending: &Ending<'_>) {
        self.tell_end(ending);
    }
}

impl<C: Channel> Drop for RemoteNegotiator<C> {
    fn drop(&mut self) {
        if !self.told {
            // Best effort: the party may be gone already.
            let _ = self.channel.send(&protocol::end(&self.setup, None));
        }
    }
}
