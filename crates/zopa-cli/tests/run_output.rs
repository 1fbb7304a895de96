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

/// The shuttle's JSON contract: who saw each line, blame, a partial agreement, the dates of a
/// calendar; and the bluff in the README's example moves the draft.
#[test]
fn shuttle_json_says_who_saw_what_and_a_bluff_moves_the_draft() {
    let run = |extra: &[&str]| -> serde_json::Value {
        let mut args = vec![
            "run",
            "scenarios/examples/laptop-sale.toml",
            "--protocol",
            "shuttle",
            "--mediator",
            "bargaining",
            "--negotiators",
            "boulware",
            "--rounds",
            "30",
            "--json",
        ];
        args.extend_from_slice(extra);
        let out = run_ok(zopa().current_dir(repo("")).args(&args));
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let plain = run(&[]);
    for key in ["blame", "partial_agreement", "end", "utilities", "payoffs"] {
        assert!(plain.get(key).is_some(), "no `{key}`");
    }
    assert_eq!(plain["protocol"], "shuttle");
    assert_eq!(plain["end"], "agreement");
    assert_eq!(plain["blame"], serde_json::json!([]));
    assert!(plain["partial_agreement"].is_null());
    let trace = plain["trace"].as_array().unwrap();
    let shows: Vec<_> = trace.iter().filter(|e| e["action"] == "show").collect();
    assert!(!shows.is_empty());
    for e in &shows {
        assert_eq!(e["audience"], "party");
        assert!(["buyer", "seller"].contains(&e["seen_by"].as_str().unwrap()));
    }
    for e in trace.iter().filter(|e| e["action"] == "critique") {
        assert_eq!(e["audience"], "mediator");
        assert!(e["seen_by"].is_null());
    }
    // No calendar in this scenario: no dates.
    assert!(trace.iter().all(|e| e["date"].is_null()));
    let bluffed = run(&["--bluff", "seller:0.3:0.2", "--critiques", "strategic"]);
    assert!(
        bluffed["utilities"][1].as_f64().unwrap() > plain["utilities"][1].as_f64().unwrap(),
        "the seller's bluff did not pay: {} vs {}",
        bluffed["utilities"],
        plain["utilities"]
    );
    let threat = bluffed["trace"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["action"] == "threat")
        .expect("the bluff is in the trace");
    assert!(threat["note"].as_str().unwrap().contains("a bluff"));
}
