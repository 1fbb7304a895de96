//! Programs as parties (`exec:COMMAND`): the shipped example agent plays whole negotiations
//! and tournaments; a program that misbehaves — malformed JSON, an outcome that is not the
//! scenario's, accepting nothing, silence, exiting, not existing — ends only its own
//! negotiation, with an error naming it and what it did; a question about an outcome that is
//! no outcome is answered with a problem and the turn goes on. At single-text tables
//! (mediated, shuttle) programs vote and ratify; every program is told how it ended.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use zopa_core::Scenario;
use zopa_mechanisms::{run, End, RunResult, RunSpec, Spec, TraceAction};
use zopa_party::exec::external;

fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

fn job() -> Scenario {
    zopa_formats::load(
        &repo("scenarios/examples/genius-job"),
        &zopa_formats::ReadOptions::genius(),
    )
    .unwrap()
}

/// python3 is a prerequisite of these tests: fail, saying so, when it is missing.
fn python() {
    let ok = Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        ok,
        "these tests need python3 on the PATH (the example agent is a Python program)"
    );
}

/// A run of `boulware` against the program `command` (seated second).
fn against(command: &str, limit: Duration) -> RunResult {
    let e = external(command, Some("sao"), Some(limit));
    let spec = RunSpec {
        negotiators: vec![
            Spec::parse("boulware").unwrap(),
            Spec {
                name: e.label.clone(),
                params: Vec::new(),
            },
        ],
        external: vec![e],
        deadline: zopa_mechanisms::Deadline::rounds(40),
        seed: 3,
        ..Default::default()
    };
    run(&job(), &spec).unwrap()
}

fn agent() -> String {
    format!(
        "python3 {}",
        repo("examples/agents/stdio_agent.py").display()
    )
}

#[test]
fn the_example_agent_plays_a_whole_negotiation_deterministically() {
    python();
    let a = against(&agent(), Duration::from_secs(20));
    assert_eq!(a.end, End::Agreement, "{:?}", a.trace.last());
    let offers = a
        .trace
        .iter()
        .filter(|e| e.action == TraceAction::Offer && e.actor == "employer")
        .count();
    assert!(offers > 5, "the agent made {offers} offers");
    let b = against(&agent(), Duration::from_secs(20));
    assert_eq!(a.trace, b.trace, "same seed, same trace");
}

/// Each misbehaviour, as a one-line Python program, and what the error must say.
#[test]
fn a_program_that_misbehaves_ends_only_its_own_negotiation() {
    python();
    let read = "import sys, json; s = json.loads(sys.stdin.readline()); t = json.loads(sys.stdin.readline());";
    let cases: Vec<(String, &str)> = vec![
        (
            format!("python3 -c \"{read} print('hello', flush=True); sys.stdin.read()\""),
            "sent malformed JSON",
        ),
        (
            format!("python3 -c \"{read} print(json.dumps({{'type': 'offer', 'outcome': {{'salary': 'a lot'}}}}), flush=True); sys.stdin.read()\""),
            "is not a value of issue `salary`",
        ),
        (
            format!("python3 -c \"{read} print(json.dumps({{'type': 'vote', 'accept': True}}), flush=True); sys.stdin.read()\""),
            "answered with `vote` when zopa waited for `offer`, `accept` or `end` (its turn)",
        ),
        (
            format!("python3 -c \"{read} import time; time.sleep(30)\""),
            "did not answer within 3.000 s (the move limit)",
        ),
        (
            format!("python3 -c \"{read} sys.stderr.write('giving up\\n'); sys.exit(3)\""),
            "giving up",
        ),
        (
            format!("python3 -c \"{read} sys.stdout.write('x' * 3000000); sys.stdout.flush(); sys.stdin.read()\""),
            "wrote a line longer than 1048576 bytes",
        ),
        (
            "/nonexistent/agent --flag".to_string(),
            "could not start `/nonexistent/agent --flag`",
        ),
    ];
    for (command, expected) in &cases {
        // Long enough for python3 to start on a busy machine (CI failed at 0.5 s).
        let r = against(command, Duration::from_secs(3));
        let End::Error(why) = &r.end else {
            panic!("{command}: ended {:?}", r.end);
        };
        assert!(why.contains("employer (exec:"), "{command}: {why}");
        assert!(why.contains(expected), "{command}: {why}");
        let last = r.trace.last().unwrap();
        assert_eq!(last.action, TraceAction::Error, "{command}");
    }
    // The process goes on: the next negotiation is played to its end.
    assert_eq!(
        against(&agent(), Duration::from_secs(20)).end,
        End::Agreement
    );
}

/// Accepting with no other party's offer on the table breaks the protocol (the program opens).
#[test]
fn accepting_nothing_is_refused() {
    python();
    let program = "python3 -c \"import sys, json; s = json.loads(sys.stdin.readline()); t = json.loads(sys.stdin.readline()); print(json.dumps({'type': 'accept'}), flush=True); sys.stdin.read()\"";
    let e = external(program, Some("sao"), Some(Duration::from_secs(5)));
    let spec = RunSpec {
        negotiators: vec![
            Spec {
                name: e.label.clone(),
                params: Vec::new(),
            },
            Spec::parse("boulware").unwrap(),
        ],
        external: vec![e],
        deadline: zopa_mechanisms::Deadline::rounds(10),
        ..Default::default()
    };
    let r = run(&job(), &spec).unwrap();
    let End::Error(why) = &r.end else {
        panic!("{:?}", r.end)
    };
    assert!(
        why.contains("accepted when no other party's offer was on the table"),
        "{why}"
    );
}

/// A program may ask what outcomes are worth to it; a question about something that is no
/// outcome gets a `problem` answer and its turn goes on.
#[test]
fn questions_are_answered_and_a_bad_one_is_a_problem_not_a_failure() {
    python();
    let script = r#"
import sys, json
def send(m): print(json.dumps(m), flush=True)
def get(): return json.loads(sys.stdin.readline())
s = get()
best = {i['name']: i['values'][0] for i in s['issues']}
while True:
    m = get()
    if m['type'] != 'turn': break
    send({'type': 'utility', 'outcome': {'salary': 'nonsense'}})
    p = get()
    assert p['type'] == 'problem' and 'salary' in p['message'], p
    send({'type': 'utility', 'outcome': best})
    u = get()
    assert u['type'] == 'utility' and 0 <= u['value'] <= 1, u
    send({'type': 'end'})
"#;
    let dir = std::env::temp_dir().join(format!("zopa-party-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("asker.py");
    std::fs::write(&path, script).unwrap();
    let r = against(
        &format!("python3 {}", path.display()),
        Duration::from_secs(10),
    );
    assert_eq!(r.end, End::Walkaway, "{:?}", r.trace.last());
}

#[test]
fn a_command_line_that_cannot_be_split_is_refused_before_any_run() {
    let err = zopa_party::exec::split("python3 'agent.py").unwrap_err();
    assert!(err.contains("unclosed quote"), "{err}");
    assert!(zopa_party::exec::split("  ").is_err());
    assert_eq!(
        zopa_party::exec::split("python3 \"my agent.py\" --fast").unwrap(),
        ["python3", "my agent.py", "--fast"]
    );
}

/// `settings` carries the party's own utility as per-value contributions that add up to what
/// zopa answers when asked, and nothing of the other party's.
#[test]
fn settings_tables_add_up_to_the_utility_zopa_answers() {
    python();
    let script = r#"
import sys, json, itertools
def send(m): print(json.dumps(m), flush=True)
def get(): return json.loads(sys.stdin.readline())
s = get()
assert s['version'] == 1 and s['party'] == 'employer' and s['seat'] == 1, s
assert 'candidate' not in json.dumps(s), 'nothing of the other party'
tables = s['utility']['tables']
names = [i['name'] for i in s['issues']]
grids = [i['values'] for i in s['issues']]
m = get()
for combo in itertools.product(*grids):
    o = dict(zip(names, combo))
    send({'type': 'utility', 'outcome': o})
    u = get()['value']
    assert abs(sum(tables[n][o[n]] for n in names) - u) < 1e-12, (o, u)
send({'type': 'end'})
"#;
    let dir = std::env::temp_dir().join(format!("zopa-party-tables-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("tables.py");
    std::fs::write(&path, script).unwrap();
    let r = against(
        &format!("python3 {}", path.display()),
        Duration::from_secs(20),
    );
    assert_eq!(r.end, End::Walkaway, "{:?}", r.trace.last());
}

/// A program that writes every message it is sent to `log`, one JSON per line, and answers:
/// turns with `accept` when something is on the table (else `end`), votes with yes.
fn recorder(dir: &std::path::Path, log: &std::path::Path) -> String {
    let script = r#"
import sys, json
log = open(sys.argv[1], 'w')
for line in sys.stdin:
    log.write(line); log.flush()
    m = json.loads(line)
    if m['type'] == 'turn':
        print(json.dumps({'type': 'accept'} if m.get('standing') else {'type': 'end'}), flush=True)
    elif m['type'] == 'vote':
        print(json.dumps({'type': 'vote', 'accept': True}), flush=True)
"#;
    std::fs::create_dir_all(dir).unwrap();
    let path = dir.join("recorder.py");
    std::fs::write(&path, script).unwrap();
    format!("python3 {} {}", path.display(), log.display())
}

fn messages(log: &std::path::Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(log)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

fn seated(protocol: &str, first: &str, e: zopa_mechanisms::registry::External) -> RunSpec {
    RunSpec {
        protocol: zopa_mechanisms::Protocol::parse(protocol).unwrap(),
        negotiators: vec![
            Spec::parse(first).unwrap(),
            Spec {
                name: e.label.clone(),
                params: Vec::new(),
            },
        ],
        external: vec![e],
        deadline: zopa_mechanisms::Deadline::rounds(30),
        seed: 5,
        ..Default::default()
    }
}

/// At a mediated single-text table a program is a voter: each text comes as a `vote`
/// message; the final one asks it to ratify; `end` says how it ended and what the agreement is
/// worth to it — the utility the run reports for its party.
#[test]
fn a_program_votes_on_single_texts_and_is_told_the_result() {
    python();
    let dir = std::env::temp_dir().join(format!("zopa-party-votes-{}", std::process::id()));
    let log = dir.join("mediated.jsonl");
    let e = external(
        &recorder(&dir, &log),
        Some("mediated"),
        Some(Duration::from_secs(10)),
    );
    let r = run(&job(), &seated("mediated", "hill-climber", e)).unwrap();
    assert_eq!(r.end, End::Agreement, "{:?}", r.trace.last());
    let sent = messages(&log);
    assert_eq!(sent[0]["type"], "settings");
    assert_eq!(sent[0]["protocol"], "mediated");
    let votes: Vec<&serde_json::Value> = sent.iter().filter(|m| m["type"] == "vote").collect();
    let (ratify, proposals): (Vec<&serde_json::Value>, Vec<&serde_json::Value>) =
        votes.into_iter().partition(|m| m["question"] == "ratify");
    assert_eq!(ratify.len(), 1, "one final vote");
    assert_eq!(
        proposals.len(),
        r.trace
            .iter()
            .filter(|t| t.action == TraceAction::Propose)
            .count(),
        "each proposed text put to it once"
    );
    let voted = r
        .trace
        .iter()
        .filter(|t| t.actor == "employer" && t.action == TraceAction::VoteAccept)
        .count();
    assert_eq!(voted, proposals.len(), "every yes it sent is in the trace");
    let end = sent.last().unwrap();
    assert_eq!(end["type"], "end");
    assert_eq!(end["end"], "agreement");
    assert_eq!(end["rounds"], r.rounds);
    let employer = r.parties.iter().position(|p| p == "employer").unwrap();
    assert_eq!(end["utility"].as_f64(), Some(r.utilities[employer]));
    assert_eq!(
        zopa_party::protocol::read_outcome(&job().issues, &end["agreement"]).unwrap(),
        r.agreement.clone().unwrap()
    );
}

/// On a shuttle route a program critiques drafts through its turns (the draft comes as the
/// mediator's offer) and decides the final vote itself: a program that says no to the
/// ratification leaves the text unsigned, whatever its utility.
#[test]
fn a_program_on_a_shuttle_route_ratifies_for_itself() {
    python();
    let dir = std::env::temp_dir().join(format!("zopa-party-shuttle-{}", std::process::id()));
    let log = dir.join("shuttle.jsonl");
    let e = external(
        &recorder(&dir, &log),
        Some("shuttle"),
        Some(Duration::from_secs(10)),
    );
    let r = run(&job(), &seated("shuttle", "boulware", e)).unwrap();
    assert_eq!(r.end, End::Agreement, "{:?}", r.trace.last());
    let sent = messages(&log);
    assert!(
        sent.iter().any(|m| m["type"] == "turn"),
        "drafts come as turns"
    );
    let ratify: Vec<_> = sent
        .iter()
        .filter(|m| m["type"] == "vote" && m["question"] == "ratify")
        .collect();
    assert_eq!(ratify.len(), 1);
    assert_eq!(sent.last().unwrap()["end"], "agreement");

    let no = "python3 -c \"import sys, json\nfor line in sys.stdin:\n    m = json.loads(line)\n    if m['type'] == 'turn': print(json.dumps({'type': 'accept'} if m.get('standing') else {'type': 'end'}), flush=True)\n    elif m['type'] == 'vote': print(json.dumps({'type': 'vote', 'accept': False}), flush=True)\n\"";
    let e = external(no, Some("shuttle"), Some(Duration::from_secs(10)));
    let r = run(&job(), &seated("shuttle", "boulware", e)).unwrap();
    assert_eq!(r.end, End::Rejected, "{:?}", r.trace.last());
    // The blame is the program's, which said no; boulware signed, whatever it asked for on the
    // way.
    let employer = r.parties.iter().position(|p| p == "employer").unwrap();
    assert!(r.blame.iter().all(|b| b.party == employer), "{:?}", r.blame);
    let last = r
        .trace
        .iter()
        .rfind(|t| t.action == TraceAction::Ratify && t.actor == "employer")
        .unwrap();
    assert_eq!(last.note.as_deref(), Some("no"));
}

/// A vote answered with a move (or a move with a vote) ends that program's negotiation.
#[test]
fn a_program_that_answers_a_vote_with_a_move_ends_its_negotiation() {
    python();
    let program = "python3 -c \"import sys, json\nfor line in sys.stdin:\n    m = json.loads(line)\n    if m['type'] == 'vote': print(json.dumps({'type': 'end'}), flush=True)\n\"";
    let e = external(program, Some("mediated"), Some(Duration::from_secs(10)));
    let r = run(&job(), &seated("mediated", "hill-climber", e)).unwrap();
    let End::Error(why) = &r.end else {
        panic!("{:?}", r.end)
    };
    assert!(
        why.contains("answered with `end` when zopa waited for `vote` (a text was put to it)"),
        "{why}"
    );
    assert!(
        r.blame.is_empty(),
        "an error blames nobody else: {:?}",
        r.blame
    );
}

/// `settings` tells a party its own red lines (in words), and nobody else's.
#[test]
fn settings_carry_the_partys_own_red_lines() {
    python();
    let dir = std::env::temp_dir().join(format!("zopa-party-lines-{}", std::process::id()));
    let log = dir.join("lines.jsonl");
    let e = external(
        &recorder(&dir, &log),
        Some("sao"),
        Some(Duration::from_secs(10)),
    );
    let scenario = zopa_formats::load(
        &repo("scenarios/examples/red-lines.toml"),
        &zopa_formats::ReadOptions::genius(),
    )
    .unwrap();
    let mut spec = seated("sao", "boulware", e);
    spec.parties = Some(vec![0, 1]);
    run(&scenario, &spec).unwrap();
    let settings = &messages(&log)[0];
    assert_eq!(settings["party"], "Ukraine");
    assert_eq!(
        settings["red_lines"],
        serde_json::json!(["security-guarantees <= binding-article-5-like"])
    );
    assert!(
        !settings.to_string().contains("donetsk-luhansk >="),
        "nobody else's lines"
    );
}
