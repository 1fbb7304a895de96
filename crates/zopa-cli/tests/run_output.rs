//! `zopa run`'s text output: utility columns headed by the parties, and no event hidden in
//! the folded middle of a long trace.

mod common;

use common::{repo, run_ok, zopa};

#[test]
fn every_event_shows_and_utility_columns_are_labelled() {
    let args = [
        "run",
        "scenarios/ukraine-2025",
        "--protocol",
        "mediated",
        "--negotiators",
        "hill-climber",
        "--ratify",
        "deadline",
    ];
    let text = run_ok(zopa().current_dir(repo("")).args(args));
    let text = String::from_utf8_lossy(&text.stdout).to_string();
    let json = run_ok(zopa().current_dir(repo("")).args(args).arg("--json"));
    let json: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    let events: Vec<&str> = json["trace"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "event")
        .map(|e| e["note"].as_str().unwrap())
        .collect();
    assert!(events.len() >= 3, "{events:?}");
    assert!(
        text.contains("more lines"),
        "the trace is long enough to fold:\n{text}"
    );
    for e in &events {
        let name = e.split(':').next().unwrap();
        assert!(text.contains(name), "event `{name}` is hidden:\n{text}");
    }
    let header = text
        .lines()
        .find(|l| l.trim_start().starts_with("round"))
        .unwrap();
    for party in json["parties"].as_array().unwrap() {
        assert!(header.contains(party.as_str().unwrap()), "{header}");
    }
    assert!(
        !text.contains("0000000000000"),
        "unrounded numbers:\n{text}"
    );
}
