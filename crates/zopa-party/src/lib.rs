//! zopa-party: parties that live outside zopa take seats through the party protocol
//! (`docs/party-protocol.md`): one JSON object per message, the same messages over a
//! subprocess's stdin/stdout ([`exec`]) and over a WebSocket (`zopa serve`).
//!
//! * [`protocol`]: the messages, built from what a strategy may see (its [`Setup`] and each
//!   [`View`]) and read back into actions, strictly.
//! * [`remote`]: a [`Negotiator`] that asks a [`Channel`] for each move; a party that times
//!   out, disconnects, or answers what is no move ends its own negotiation with an error naming
//!   it, never the process.
//! * [`exec`]: the subprocess channel, and [`exec::external`], which makes `exec:COMMAND` a
//!   negotiator any run or tournament can seat.
//!
//! [`Setup`]: zopa_mechanisms::Setup
//! [`View`]: zopa_mechanisms::View
//! [`Negotiator`]: zopa_mechanisms::session::Negotiator

pub mod exec;
pub mod protocol;
pub mod remote;

pub use remote::{Channel, RemoteNegotiator};

/// The prefix of a negotiator spec that seats a program: `exec:python3 agent.py`.
pub const EXEC_PREFIX: &str = "exec:";
