//! `exec:COMMAND`: a program speaks the party protocol on its stdin and stdout, one JSON object
//! per line. zopa starts it once per negotiation and ends it with the negotiation.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value as Json;
use zopa_mechanisms::protocols::mediated::Voter;
use zopa_mechanisms::protocols::PartyFailure;
use zopa_mechanisms::registry::External;
use zopa_mechanisms::session::Negotiator;
use zopa_mechanisms::Setup;

use crate::remote::{Channel, RemoteNegotiator};

/// How long a program may take for one move unless the run says otherwise.
pub const DEFAULT_MOVE_LIMIT: Duration = Duration::from_secs(10);

/// Lines of a program's stderr kept to quote when it fails.
const STDERR_LINES: usize = 8;

/// How long a program may take to exit once its stdin is closed, before it is killed.
const GRACE: Duration = Duration::from_secs(1);

/// Longest line a program may write: a message longer than this is no message (and memory
/// stays bounded whatever it writes).
pub const MAX_LINE: usize = 1 << 20;

/// Reads one line of at most `limit` bytes into `buf` (newline dropped). `Ok(None)` at the end
/// of the stream; `Ok(Some(false))` for a line longer than `limit` (its start is in `buf`).
fn bounded_line(
    r: &mut impl BufRead,
    limit: usize,
    buf: &mut Vec<u8>,
) -> std::io::Result<Option<bool>> {
    buf.clear();
    let n = Read::take(&mut *r, limit as u64 + 1).read_until(b'\n', buf)?;
    if n == 0 {
        return Ok(None);
    }
    if buf.last() == Some(&b'\n') {
        buf.pop();
        if buf.last() == Some(&b'\r') {
            buf.pop();
        }
        return Ok(Some(true));
    }
    Ok(Some(buf.len() <= limit))
}

/// Splits a command line as a shell would split words (quotes group them), without a shell.
pub fn split(command: &str) -> Result<Vec<String>, String> {
    match shlex::split(command) {
        Some(words) if !words.is_empty() => Ok(words),
        Some(_) => Err("the command is empty; write exec:\"python3 agent.py\"".into()),
        None => Err(format!(
            "cannot split `{command}` into words (an unclosed quote?); write exec:\"python3 agent.py\""
        )),
    }
}

/// A running program and its pipes.
pub struct Subprocess {
    child: Child,
    stdin: Option<ChildStdin>,
    /// Its stdout, line by line (`Err`: a line too long to be a message).
    lines: Receiver<Result<String, String>>,
    stderr: Arc<Mutex<VecDeque<String>>>,
    command: String,
    /// Its move limit, for messages (each wait is given what is left of it).
    limit: Option<Duration>,
}

impl Subprocess {
    /// Starts `command` (split into words by [`split`]) with piped stdin, stdout and stderr.
    pub fn start(command: &str) -> Result<Subprocess, String> {
        let words = split(command)?;
        let mut child = Command::new(&words[0])
            .args(&words[1..])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| format!("could not start `{command}`: {e}"))?;
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stdout);
            let mut buf = Vec::new();
            while let Ok(Some(whole)) = bounded_line(&mut reader, MAX_LINE, &mut buf) {
                if !whole {
                    let _ = tx.send(Err(format!(
                        "wrote a line longer than {MAX_LINE} bytes, which is no message"
                    )));
                    break;
                }
                let line = String::from_utf8_lossy(&buf).into_owned();
                if line.trim().is_empty() {
                    continue;
                }
                if tx.send(Ok(line)).is_err() {
                    break;
                }
            }
        });
        let kept = Arc::new(Mutex::new(VecDeque::new()));
        let tail = Arc::clone(&kept);
        std::thread::spawn(move || {
            let mut reader = BufReader::new(stderr);
            let mut buf = Vec::new();
            // Lines past the limit are cut (the rest of such a line reads as further lines).
            while let Ok(Some(_)) = bounded_line(&mut reader, 1_000, &mut buf) {
                let Ok(mut tail) = tail.lock() else { break };
                if tail.len() == STDERR_LINES {
                    tail.pop_front();
                }
                tail.push_back(String::from_utf8_lossy(&buf).into_owned());
            }
        });
        Ok(Subprocess {
            stdin: child.stdin.take(),
            child,
            lines,
            stderr: kept,
            command: command.to_string(),
            limit: None,
        })
    }

    /// Its move limit, named when it overruns it.
    pub fn with_limit(mut self, limit: Duration) -> Subprocess {
        self.limit = Some(limit);
        self
    }

    /// The last lines it wrote on stderr, for a failure message (empty when none).
    fn stderr_tail(&self) -> String {
        // Give the stderr reader a moment to catch up with a program that just exited.
        std::thread::sleep(Duration::from_millis(20));
        let tail = self.stderr.lock().map(|t| t.clone()).unwrap_or_default();
        if tail.is_empty() {
            String::new()
        } else {
            let lines: Vec<String> = tail.into_iter().collect();
            format!("; its stderr ends: {}", lines.join(" | "))
        }
    }

    /// Why it stopped answering: its exit status, or that it closed its stdout.
    fn gone(&mut self) -> String {
        let status = match self.child.try_wait() {
            Ok(Some(status)) => format!("exited ({status})"),
            _ => "closed its stdout".to_string(),
        };
        format!(
            "`{}` {status} before answering{}",
            self.command,
            self.stderr_tail()
        )
    }
}

impl Channel for Subprocess {
    fn send(&mut self, message: &Json) -> Result<(), String> {
        let Some(stdin) = self.stdin.as_mut() else {
            return Err("its stdin is closed".into());
        };
        let mut line = message.to_string();
        line.push('\n');
        stdin
            .write_all(line.as_bytes())
            .and_then(|()| stdin.flush())
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::BrokenPipe => self_gone(&self.command),
                _ => format!("writing to `{}` failed: {e}", self.command),
            })
    }

    fn receive(&mut self, timeout: Duration) -> Result<String, String> {
        match self.lines.recv_timeout(timeout) {
            Ok(Ok(line)) => Ok(line),
            Ok(Err(e)) => Err(format!("`{}` {e}", self.command)),
            Err(RecvTimeoutError::Timeout) => Err(format!(
                "`{}` did not answer within {:.3} s (the move limit){}",
                self.command,
                self.limit.unwrap_or(timeout).as_secs_f64(),
                self.stderr_tail()
            )),
            Err(RecvTimeoutError::Disconnected) => Err(self.gone()),
        }
    }
}

fn self_gone(command: &str) -> String {
    format!("`{command}` closed its stdin (it exited?)")
}

impl Drop for Subprocess {
    /// Closes its stdin, gives it [`GRACE`] to exit, then kills it; never leaves a zombie.
    fn drop(&mut self) {
        self.stdin.take();
        let began = Instant::now();
        while began.elapsed() < GRACE {
            if let Ok(Some(_)) = self.child.try_wait() {
                return;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `exec:COMMAND` as a party any run can seat — a negotiator, or a voter at a single-text
/// table: its label is the spec as written (`exec:python3 agent.py`); each negotiation starts
/// its own process. A program that cannot be started fails to start its negotiation, which
/// ends with an error naming it.
pub fn external(command: &str, protocol: Option<&str>, move_limit: Option<Duration>) -> External {
    let label = format!("{}{command}", crate::EXEC_PREFIX);
    let command: Arc<str> = Arc::from(command);
    let protocol: Option<Arc<str>> = protocol.map(Arc::from);
    let move_limit = move_limit.unwrap_or(DEFAULT_MOVE_LIMIT);
    let seat = move |setup: &Setup| {
        let process = match Subprocess::start(&command) {
            Ok(p) => p.with_limit(move_limit),
            Err(e) => std::panic::resume_unwind(Box::new(PartyFailure(e))),
        };
        RemoteNegotiator::new(process, setup, protocol.as_deref(), move_limit)
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
