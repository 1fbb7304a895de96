//! The party protocol's messages (`docs/party-protocol.md`), version [`VERSION`].
//!
//! Built only from what a strategy may see — its [`Setup`] and each [`View`] — so that an
//! outside party learns nothing a built-in strategy does not. Replies are read strictly: an
//! outcome must name every issue with one of its values, and anything else is a
//! [`Problem`] that says what was wrong.

use serde_json::{json, Map, Value as Json};
use zopa_core::{Issue, IssueKind, UtilityFunction, Value};
use zopa_mechanisms::protocols::mediated::{Feedback, TextView};
use zopa_mechanisms::session::{Action, Ending};
use zopa_mechanisms::{Setup, View};

/// The protocol's version, sent in `settings`.
pub const VERSION: u32 = 1;

/// Integer issues with at most this many values are tabulated in `settings`.
pub const MAX_TABULATED: i64 = 1_000;

/// What a party's message asked for.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply {
    /// A move: offer, accept or end.
    Action(Action),
    /// Its yes or no on a text (`vote`).
    Vote(bool),
    /// Better, the same or worse than the previous text (`feedback`).
    Feedback(Feedback),
    /// "What is this outcome worth to me?" (answered, or the problem with the outcome named;
    /// the turn goes on either way).
    Utility(Result<Vec<Value>, Problem>),
}

impl Reply {
    /// The message type, for messages about a reply out of place.
    pub fn name(&self) -> &'static str {
        match self {
            Reply::Action(Action::Offer(_)) => "`offer`",
            Reply::Action(Action::Accept) => "`accept`",
            Reply::Action(Action::End) => "`end`",
            Reply::Vote(_) => "`vote`",
            Reply::Feedback(_) => "`feedback`",
            Reply::Utility(_) => "`utility`",
        }
    }
}

/// A message that is not a valid reply, in words for the party and the trace.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem(pub String);

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A value as the issue names it: discrete values by name, numbers as numbers.
pub fn value_json(issue: &Issue, v: Value) -> Json {
    match (&issue.kind, v) {
        (IssueKind::Discrete { values, .. }, Value::Discrete(i)) => {
            values.get(i as usize).map_or(json!(i), |s| json!(s))
        }
        (_, Value::Integer(x)) => json!(x),
        (_, Value::Real(x)) => json!(x),
        (_, Value::Discrete(i)) => json!(i),
    }
}

/// An outcome as `{issue: value}`.
pub fn outcome_json(issues: &[Issue], outcome: &[Value]) -> Json {
    let mut m = Map::new();
    for (issue, &v) in issues.iter().zip(outcome) {
        m.insert(issue.name.clone(), value_json(issue, v));
    }
    Json::Object(m)
}

/// Reads `{issue: value}` back: every issue named once, each with one of its values.
pub fn read_outcome(issues: &[Issue], j: &Json) -> Result<Vec<Value>, Problem> {
    let Some(m) = j.as_object() else {
        return Err(Problem(format!(
            "an outcome is an object {{issue: value}}, not {j}"
        )));
    };
    if let Some(k) = m.keys().find(|k| !issues.iter().any(|i| &i.name == *k)) {
        return Err(Problem(format!(
            "`{k}` is not an issue of this negotiation"
        )));
    }
    issues
        .iter()
        .map(|issue| {
            let v = m.get(&issue.name).ok_or_else(|| {
                Problem(format!("the outcome gives issue `{}` no value", issue.name))
            })?;
            let bad = || {
                Problem(format!(
                    "{v} is not a value of issue `{}`{}",
                    issue.name,
                    match &issue.kind {
                        IssueKind::Discrete { values, .. } => format!(" ({})", values.join(", ")),
                        IssueKind::Integer { min, max } =>
                            format!(" (an integer in {min}..={max})"),
                        IssueKind::Real { min, max } => format!(" (a number in [{min}, {max}])"),
                    }
                ))
            };
            match &issue.kind {
                IssueKind::Discrete { .. } => v
                    .as_str()
                    .and_then(|s| issue.value_index(s))
                    .map(Value::Discrete)
                    .ok_or_else(bad),
                IssueKind::Integer { min, max } => v
                    .as_i64()
                    .filter(|x| x >= min && x <= max)
                    .map(Value::Integer)
                    .ok_or_else(bad),
                IssueKind::Real { min, max } => v
                    .as_f64()
                    .filter(|x| x.is_finite() && x >= min && x <= max)
                    .map(Value::Real)
                    .ok_or_else(bad),
            }
        })
        .collect()
}

/// Each value's weighted contribution, when the utility is additive over issues whose values
/// can be listed (discrete, or integers with at most [`MAX_TABULATED`] values); else `null`.
fn utility_json(issues: &[Issue], utility: &UtilityFunction) -> Json {
    let UtilityFunction::Additive(a) = utility else {
        return Json::Null;
    };
    let mut tables = Map::new();
    for ((issue, w), e) in issues.iter().zip(&a.weights).zip(&a.evaluators) {
        let mut t = Map::new();
        match &issue.kind {
            IssueKind::Discrete { values, .. } => {
                for (k, name) in values.iter().enumerate() {
                    t.insert(name.clone(), json!(w * e.eval(Value::Discrete(k as u32))));
                }
            }
            IssueKind::Integer { min, max } if max - min < MAX_TABULATED => {
                for x in *min..=*max {
                    t.insert(x.to_string(), json!(w * e.eval(Value::Integer(x))));
                }
            }
            _ => return Json::Null,
        }
        tables.insert(issue.name.clone(), Json::Object(t));
    }
    json!({"capped": a.cap_at_one, "tables": tables})
}

fn issue_json(issue: &Issue) -> Json {
    match &issue.kind {
        IssueKind::Discrete { values, .. } => json!({"name": issue.name, "values": values}),
        IssueKind::Integer { min, max } => json!({"name": issue.name, "integer": [min, max]}),
        IssueKind::Real { min, max } => json!({"name": issue.name, "real": [min, max]}),
    }
}

/// `settings`: what the party is told when it takes its seat. `protocol` is the protocol's
/// name when the host knows it.
pub fn settings(setup: &Setup, protocol: Option<&str>) -> Json {
    json!({
        "type": "settings",
        "version": VERSION,
        "party": setup.name,
        "seat": setup.index,
        "negotiators": setup.negotiators,
        "protocol": protocol,
        "issues": setup.issues.iter().map(issue_json).collect::<Vec<_>>(),
        "utility": utility_json(&setup.issues, &setup.utility),
        "reservation": setup.reservation,
        "red_lines": setup.red_lines.iter().map(|c| c.text(&setup.issues)).collect::<Vec<_>>(),
        "discount": setup.discount,
        "cost_per_round": setup.cost_per_round,
        "deadline": {"rounds": setup.deadline.rounds, "seconds": setup.deadline.time.map(|t| t.as_secs_f64())},
        "seed": setup.seed,
    })
}

fn action_json(issues: &[Issue], action: &Action) -> (&'static str, Json) {
    match action {
        Action::Offer(o) => ("offer", outcome_json(issues, o)),
        Action::Accept => ("accept", Json::Null),
        Action::End => ("end", Json::Null),
    }
}

/// `turn`: the party's move is due. `since` is the number of moves of the whole negotiation
/// the party has been shown already; the moves after it (its own excepted) are sent.
pub fn turn(setup: &Setup, view: &View<'_>, since: usize) -> Json {
    let first = since.saturating_sub(view.offset).min(view.history.len());
    let moves: Vec<Json> = view.history[first..]
        .iter()
        .filter(|m| m.actor != setup.index)
        .map(|m| {
            let (action, outcome) = action_json(&setup.issues, &m.action);
            let mut j = json!({"round": m.round, "seat": m.actor, "action": action});
            if !outcome.is_null() {
                j["outcome"] = outcome;
            }
            j
        })
        .collect();
    let standing = view
        .last_offer()
        .map(|(seat, o)| json!({"seat": seat, "outcome": outcome_json(&setup.issues, o)}));
    json!({
        "type": "turn",
        "round": view.round,
        "time": view.time,
        "reservation": view.reservation,
        "moves": moves,
        "standing": standing,
    })
}

/// The answer to a `utility` question.
pub fn utility_answer(setup: &Setup, outcome: &[Value]) -> Json {
    json!({"type": "utility", "value": setup.utility.eval(outcome)})
}

/// A question the party asked that cannot be answered; its turn goes on.
pub fn problem(p: &Problem) -> Json {
    json!({"type": "problem", "message": p.0})
}

/// What a single-text table asks a party about a text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Question {
    /// Accept the text as the standing text, or not (mediated single text).
    Vote,
    /// Is it better, the same or worse than the previous text (feedback mediators)?
    Feedback,
    /// The final yes or no: sign the whole package, or take the outside option.
    Ratify,
}

impl Question {
    pub fn as_str(self) -> &'static str {
        match self {
            Question::Vote => "vote",
            Question::Feedback => "feedback",
            Question::Ratify => "ratify",
        }
    }
}

/// `vote`: a text is put to the party.
pub fn vote(setup: &Setup, question: Question, view: &TextView<'_>, text: &[Value]) -> Json {
    let out = |o: Option<&Vec<Value>>| o.map(|o| outcome_json(&setup.issues, o));
    json!({
        "type": "vote",
        "question": question.as_str(),
        "round": view.round,
        "time": view.time,
        "reservation": view.reservation,
        "text": outcome_json(&setup.issues, text),
        "standing": out(view.standing),
        "previous": out(view.previous),
    })
}

/// `end`: the negotiation is over — how it ended, the outcome signed (if any) and what it is
/// worth to this party; `null` where the host does not know (a party dropped before the end).
pub fn end(setup: &Setup, ending: Option<&Ending<'_>>) -> Json {
    let Some(e) = ending else {
        return json!({"type": "end", "end": null, "agreement": null, "utility": null, "rounds": null});
    };
    json!({
        "type": "end",
        "end": e.end.as_str(),
        "agreement": e.agreement.map(|o| outcome_json(&setup.issues, o)),
        "utility": e.agreement.map(|o| setup.utility.eval(o)),
        "rounds": e.rounds,
    })
}

/// Reads one message a party sent during its turn.
pub fn read_reply(issues: &[Issue], line: &str) -> Result<Reply, Problem> {
    let j: Json = serde_json::from_str(line.trim())
        .map_err(|e| Problem(format!("sent malformed JSON ({e}): {}", excerpt(line))))?;
    let kind = j.get("type").and_then(Json::as_str).ok_or_else(|| {
        Problem(format!(
            "sent a message without a \"type\": {}",
            excerpt(line)
        ))
    })?;
    let outcome = || {
        j.get("outcome")
            .ok_or_else(|| Problem(format!("a `{kind}` message needs an \"outcome\"")))
            .and_then(|o| read_outcome(issues, o))
    };
    match kind {
        "offer" => Ok(Reply::Action(Action::Offer(outcome()?))),
        "accept" => Ok(Reply::Action(Action::Accept)),
        "end" => Ok(Reply::Action(Action::End)),
        "utility" => Ok(Reply::Utility(outcome())),
        "vote" => match j.get("accept").and_then(Json::as_bool) {
            Some(yes) => Ok(Reply::Vote(yes)),
            None => Err(Problem(format!(
                "a `vote` message needs \"accept\": true or false: {}",
                excerpt(line)
            ))),
        },
        "feedback" => match j.get("answer").and_then(Json::as_str) {
            Some("better") => Ok(Reply::Feedback(Feedback::Better)),
            Some("same") => Ok(Reply::Feedback(Feedback::Same)),
            Some("worse") => Ok(Reply::Feedback(Feedback::Worse)),
            _ => Err(Problem(format!(
                "a `feedback` message needs \"answer\": \"better\", \"same\" or \"worse\": {}",
                excerpt(line)
            ))),
        },
        other => Err(Problem(format!(
            "sent a `{other}` message; zopa reads `offer`, `accept`, `end`, `vote`, `feedback` \
             and `utility`"
        ))),
    }
}

/// The start of a line, for messages about it.
fn excerpt(line: &str) -> String {
    let line = line.trim();
    match line.char_indices().nth(120) {
        Some((k, _)) => format!("{}…", &line[..k]),
        None => line.to_string(),
    }
}
