//! `zopa tournament` end to end: a SIGKILL in the middle of a run loses nothing that was
//! committed, and the rerun completes the tournament with every negotiation stored once and
//! the same results as an uninterrupted run. Also the report and its CSV export.

mod common;

use std::path::{Path, PathBuf};
use std::process::Stdio;

use common::{exported_rows, run_ok, scratch, shared, zopa};
use std::time::{Duration, Instant};

fn write_tournament(dir: &Path) -> PathBuf {
    let file = dir.join("t.toml");
    let text = format!(
        "seed = 9\nrepetitions = 60\nrotate_roles = true\nself_play = true\nprotocol = \"sao\"\nrounds = 200\n\
         scenarios = [{:?}, {:?}]\nstrategies = [\"boulware\", \"conceder:e=3\", \"linear\", \"micro\", \"tit-for-tat\", \"hardheaded\"]\n",
        shared("scenarios/NegotiatorGUI/etc/templates/anac/y2011/Camera"),
        shared("scenarios/NegotiatorGUI/etc/templates/anac/y2010/EnglandZimbabwe"),
    );
    std::fs::write(&file, text).unwrap();
    file
}

fn rows_in(db: &Path) -> usize {
    // The WAL may not be checkpointed yet; a report reads through it.
    let out = zopa()
        .args(["tournament", "report"])
        .arg(db)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    text.split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or(0)
}

#[test]
fn sigkill_mid_run_then_resume_equals_an_uninterrupted_run() {
    let dir = scratch("kill");
    let file = write_tournament(&dir);

    let clean = dir.join("clean.sqlite");
    run_ok(
        zopa()
            .args(["tournament", "run"])
            .arg(&file)
            .arg("--db")
            .arg(&clean)
            .args(["--jobs", "2"]),
    );
    let expected = exported_rows(&clean, &dir.join("clean-csv"));
    assert_eq!(expected.len(), 2 * (15 * 2 + 6) * 60);

    let killed = dir.join("killed.sqlite");
    let mut child = zopa()
        .args(["tournament", "run"])
        .arg(&file)
        .arg("--db")
        .arg(&killed)
        .args(["--jobs", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let mut seen = 0;
    while start.elapsed() < Duration::from_secs(60) {
        std::thread::sleep(Duration::from_millis(20));
        seen = if killed.exists() { rows_in(&killed) } else { 0 };
        if seen > 0 || child.try_wait().unwrap().is_some() {
            break;
        }
    }
    let finished_first = child.try_wait().unwrap().is_some();
    child.kill().ok(); // SIGKILL on Unix
    child.wait().unwrap();
    assert!(
        !finished_first,
        "the run finished before it could be killed; make the tournament larger"
    );
    let partial = rows_in(&killed);
    assert!(
        partial < expected.len(),
        "killed after {seen} rows but all {} were stored",
        expected.len()
    );

    run_ok(
        zopa()
            .args(["tournament", "run"])
            .arg(&file)
            .arg("--db")
            .arg(&killed)
            .args(["--jobs", "2"]),
    );
    let resumed = exported_rows(&killed, &dir.join("killed-csv"));
    let ids: std::collections::HashSet<&str> = resumed
        .iter()
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(ids.len(), resumed.len(), "a negotiation is stored twice");
    assert_eq!(
        resumed, expected,
        "the resumed run differs from the uninterrupted one"
    );

    let leaderboard = std::fs::read_to_string(dir.join("clean-csv/leaderboard.csv")).unwrap();
    assert!(leaderboard.starts_with("scope,strategy,n,mean_utility,ci95"));
    assert!(leaderboard.lines().any(|l| l.starts_with("overall,micro,")));
    std::fs::remove_dir_all(&dir).ok();
}
