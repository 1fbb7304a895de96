//! Cross-check with NegMAS (installed by `.ci/run`): time-based pairs and MiCRO on five GENIUS
//! scenarios must reach the same agreement in the same round. zopa's `aspiration:exp=…`
//! reproduces NegMAS's `BoulwareTB` (exp 4), `LinearTB` (1) and `ConcederTB` (0.25)
//! negotiators, and `micro:prefer_theirs=false` NegMAS's `MiCRONegotiator`; files are read
//! raw, as NegMAS reads them. NegMAS counts the step after the last, so its `step` is zopa's
//! round + 1.
//!
//! Known difference, left out of the sample: on scenarios with many outcomes of exactly equal
//! utility (ANAC 2011 Amsterdam: 3,024 outcomes share 314 utility values; ANAC 2012
//! FlightBooking) NegMAS's inverter and zopa's ranking break ties between equal-utility
//! outcomes differently, so the "worst outcome in the band" can be a different outcome of the
//! same own utility, and the opponent's answer, and so the agreement, can differ.
//!
//! Set `ZOPA_SKIP_NEGMAS=1` to skip on a machine without NegMAS; CI never does.

#![allow(clippy::print_stderr)] // the test reports what it skipped

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};

use serde_json::{json, Value as Json};
use zopa_core::IssueKind;
use zopa_formats::{load, GeniusEvaluations, ReadOptions};
use zopa_mechanisms::{run, Deadline, Protocol, RunSpec, Spec};

const SCENARIOS: &[&str] = &[
    "anac/y2010/EnglandZimbabwe",
    "anac/y2010/ItexvsCypress",
    "anac/y2011/Camera",
    "anac/y2012/LaptopC",
    "anac/y2013/Coffee",
];
const PAIRS: &[(&str, &str)] = &[
    ("boulware", "conceder"),
    ("conceder", "boulware"),
    ("linear", "linear"),
    ("micro", "boulware"),
    ("conceder", "micro"),
    ("micro", "micro"),
];

fn zopa_name(negmas: &str) -> &'static str {
    match negmas {
        "boulware" => "aspiration:exp=4",
        "linear" => "aspiration:exp=1",
        "conceder" => "aspiration:exp=0.25",
        "micro" => "micro:prefer_theirs=false",
        other => panic!("no zopa twin for {other}"),
    }
}

fn shared(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel)
}

#[test]
fn time_based_and_micro_agree_with_negmas() {
    if std::env::var_os("ZOPA_SKIP_NEGMAS").is_some() {
        eprintln!("ZOPA_SKIP_NEGMAS set: NegMAS cross-check skipped");
        return;
    }
    let steps = 100u32;
    let mut jobs = Vec::new();
    for s in SCENARIOS {
        for (a, b) in PAIRS {
            jobs.push(json!({"folder": shared(&format!("scenarios/negmas-genius/{s}")), "a": a, "b": b, "steps": steps}));
        }
    }
    let script =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/negmas/negmas_runs.py");
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let mut child = Command::new(python)
        .arg(script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run python3");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(serde_json::to_string(&jobs).unwrap().as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "NegMAS failed (is it installed? `.ci/run` installs it):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: Vec<Json> = serde_json::from_slice(&out.stdout).unwrap();
    let mut agreements = 0;
    for (job, negmas) in jobs.iter().zip(&theirs) {
        let folder = PathBuf::from(job["folder"].as_str().unwrap());
        let scenario = load(
            &folder,
            &ReadOptions {
                genius_evaluations: GeniusEvaluations::Raw,
            },
        )
        .unwrap();
        let (a, b) = (job["a"].as_str().unwrap(), job["b"].as_str().unwrap());
        let spec = RunSpec {
            ratification: Default::default(),
            protocol: Protocol::Sao,
            cache: None,
            record_trace: true,
            negotiators: vec![
                Spec::parse(zopa_name(a)).unwrap(),
                Spec::parse(zopa_name(b)).unwrap(),
            ],
            parties: None,
            mediator: None,
            deadline: Deadline::rounds(steps),
            seed: 0,
            ..Default::default()
        };
        let r = run(&scenario, &spec).unwrap();
        let ours: Option<Json> = r.agreement.as_ref().map(|o| {
            let mut m = serde_json::Map::new();
            for (issue, &v) in scenario.issues.iter().zip(o) {
                let text = match &issue.kind {
                    IssueKind::Discrete { .. } => issue.display(v),
                    _ => v.to_string(),
                };
                m.insert(issue.name.clone(), Json::String(text));
            }
            Json::Object(m)
        });
        let name = format!("{} {a} vs {b}", folder.display());
        assert_eq!(
            ours.as_ref(),
            negmas["agreement"]
                .as_object()
                .map(|_| &negmas["agreement"]),
            "{name}: agreements differ"
        );
        if ours.is_some() {
            agreements += 1;
            assert_eq!(
                u64::from(r.rounds),
                negmas["step"].as_u64().unwrap(),
                "{name}: agreed in a different round"
            );
        }
    }
    assert!(
        agreements >= 25,
        "only {agreements} agreements among {} runs",
        jobs.len()
    );
}
