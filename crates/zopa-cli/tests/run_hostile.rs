//! `zopa run` given hostile input (issue 10): a party seated twice, options that mean nothing
//! together, and a long run whose trace must stream instead of filling memory.

#![allow(clippy::print_stderr)] // the memory test says when it cannot measure

mod common;

use std::process::Stdio;
use std::time::Duration;

use common::{run_ok, shared, zopa};

fn england_zimbabwe() -> String {
    shared("scenarios/NegotiatorGUI/etc/templates/anac/y2010/EnglandZimbabwe")
        .to_string_lossy()
        .into_owned()
}

fn refused(args: &[&str]) -> String {
    let out = zopa().args(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "accepted {args:?}: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_party_seated_twice_is_refused_naming_it() {
    let s = england_zimbabwe();
    let e = refused(&[
        "run",
        &s,
        "--negotiators",
        "boulware",
        "--parties",
        "England,England",
    ]);
    assert!(e.contains("`England` is seated twice"), "{e}");
    let e = refused(&[
        "run",
        &s,
        "--negotiators",
        "boulware",
        "--protocol",
        "stacked",
        "--parties",
        "Zimbabwe,England,Zimbabwe",
    ]);
    assert!(e.contains("`Zimbabwe` is seated twice"), "{e}");
    // Each party once is fine, in either order.
    run_ok(zopa().args([
        "run",
        &s,
        "--negotiators",
        "boulware",
        "--parties",
        "Zimbabwe,England",
    ]));
}

#[test]
fn options_that_mean_nothing_together_are_refused() {
    let s = england_zimbabwe();
    let e = refused(&[
        "run",
        &s,
        "--negotiators",
        "boulware,linear",
        "--mediator",
        "feedback",
    ]);
    assert!(
        e.contains("--mediator") && e.contains("--protocol mediated"),
        "{e}"
    );
    let e = refused(&[
        "run",
        &s,
        "--negotiators",
        "boulware",
        "--protocol",
        "stacked",
        "--mediator",
        "feedback",
    ]);
    assert!(e.contains("--mediator"), "{e}");
    let e = refused(&[
        "run",
        &s,
        "--negotiators",
        "boulware",
        "--rounds",
        "5",
        "--time",
        "1s",
    ]);
    assert!(e.contains("--rounds") && e.contains("--time"), "{e}");
    let e = refused(&[
        "run",
        &s,
        "--negotiators",
        "boulware,linear",
        "--ratify",
        "deadline",
    ]);
    assert!(
        e.contains("--ratify") && e.contains("--protocol mediated"),
        "{e}"
    );
    // Every form that made sense still runs.
    for args in [
        &["--rounds", "5"][..],
        &["--time", "50ms"][..],
        &["--protocol", "mediated", "--mediator", "feedback"][..],
        &["--protocol", "mediated", "--ratify", "deadline"][..],
    ] {
        let negotiators = if args.contains(&"mediated") {
            "hill-climber"
        } else {
            "boulware"
        };
        run_ok(
            zopa()
                .args(["run", &s, "--negotiators", negotiators])
                .args(args),
        );
    }
}

/// Peak resident memory of a child, in kB, polled from /proc while it runs (Linux).
fn peak_kb(child: &mut std::process::Child) -> Option<u64> {
    let status = format!("/proc/{}/status", child.id());
    let mut peak = None;
    loop {
        if let Ok(text) = std::fs::read_to_string(&status) {
            let hwm = text
                .lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<u64>().ok());
            if hwm.is_some() {
                peak = peak.max(hwm);
            }
        }
        if child.try_wait().unwrap().is_some() {
            return peak;
        }
        std::thread::sleep(Duration::from_millis(5));
    }
}

#[test]
fn a_long_run_streams_its_trace_instead_of_keeping_it() {
    if !std::path::Path::new("/proc/self/status").exists() {
        eprintln!("no /proc: memory not measured");
        return;
    }
    let s = england_zimbabwe();
    // 100 000 rounds of two hardliners: 200 000 trace lines, streamed to stdout and to a file.
    // Kept, they took ~10 kB a round (1 GB); streamed, what remains per round is the offer
    // history the strategies read (~0.5 kB).
    let mut child = zopa()
        .args(["run", &s, "--negotiators", "hardliner,hardliner"])
        .args(["--rounds", "100000", "--json", "--trace", "/dev/null"])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let peak = peak_kb(&mut child).expect("read the child's memory at least once");
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        peak < 300_000,
        "peak {peak} kB for 100 000 rounds: the trace is kept in memory"
    );
}
