//! `zopa tournament` end to end: a SIGKILL in the middle of a run loses nothing that was
//! committed, and the rerun completes the tournament with every negotiation stored once and
//! the same results as an uninterrupted run. Also the report and its CSV export, and hostile
//! input (issue 10): a strategy listed twice, a shard merged twice, SQLite errors, a database
//! on a read-only folder, corrupted rows, a plan of ten million negotiations.

#![allow(clippy::print_stderr)] // the tests say what they could not check here

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

/// A small tournament file in `dir` (one scenario, three strategies, both roles).
fn write_small(dir: &Path, strategies: &str, repetitions: u64) -> PathBuf {
    let file = dir.join("small.toml");
    let text = format!(
        "seed = 5\nrepetitions = {repetitions}\nrounds = 40\nscenarios = [{:?}]\nstrategies = {strategies}\n",
        shared("scenarios/NegotiatorGUI/etc/templates/anac/y2010/EnglandZimbabwe"),
    );
    std::fs::write(&file, text).unwrap();
    file
}

fn fails(command: &mut std::process::Command) -> String {
    let out = command.output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected a refusal: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_strategy_listed_twice_is_refused_naming_it_and_the_file() {
    let dir = scratch("dup-strategies");
    let file = write_small(&dir, r#"["boulware", "boulware", "linear"]"#, 1);
    let run = fails(
        zopa()
            .args(["tournament", "run"])
            .arg(&file)
            .arg("--db")
            .arg(dir.join("x.sqlite")),
    );
    let plan = fails(zopa().args(["tournament", "plan"]).arg(&file));
    for e in [run, plan] {
        assert!(e.contains("`boulware` is listed twice"), "{e}");
        assert!(e.contains("small.toml"), "{e}");
    }
    assert!(!dir.join("x.sqlite").exists());
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn merging_one_shard_twice_says_so_and_sqlite_errors_say_their_text_once() {
    let dir = scratch("merge-twice");
    let file = write_small(&dir, r#"["boulware", "linear"]"#, 2);
    let shard = dir.join("shard-0.sqlite");
    run_ok(
        zopa()
            .args(["tournament", "run"])
            .arg(&file)
            .arg("--db")
            .arg(&shard)
            .args(["--shard", "0/2", "--jobs", "1"]),
    );
    let e = fails(
        zopa()
            .args(["tournament", "merge"])
            .arg(dir.join("all.sqlite"))
            .arg(&shard)
            .arg(&shard),
    );
    assert!(e.contains("shard-0.sqlite is given twice"), "{e}");
    assert!(!dir.join("all.sqlite").exists());

    let bad = dir.join("bad.sqlite");
    std::fs::write(
        &bad,
        "this is text, not a database; long enough for a header",
    )
    .unwrap();
    for args in [
        vec!["tournament", "report", bad.to_str().unwrap()],
        vec![
            "tournament",
            "merge",
            dir.join("out.sqlite").to_str().unwrap(),
            bad.to_str().unwrap(),
        ],
    ] {
        let e = fails(zopa().args(&args));
        assert_eq!(e.matches("file is not a database").count(), 1, "{e}");
        assert!(e.contains("bad.sqlite"), "{e}");
    }
    std::fs::remove_dir_all(&dir).ok();
}

/// This process's effective user id (Linux), to know whether permissions bind it.
fn euid() -> Option<u32> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("Uid:"))?;
    line.split_whitespace().nth(2)?.parse().ok()
}

#[cfg(unix)]
#[test]
fn report_reads_a_finished_database_in_a_read_only_folder() {
    use std::os::unix::fs::PermissionsExt;
    let dir = scratch("read-only");
    let file = write_small(&dir, r#"["boulware", "linear", "micro"]"#, 2);
    let db = dir.join("results.sqlite");
    run_ok(
        zopa()
            .args(["tournament", "run"])
            .arg(&file)
            .arg("--db")
            .arg(&db)
            .args(["--jobs", "2"]),
    );
    let expected = exported_rows(&db, &dir.join("csv"));
    let ro = dir.join("mount");
    std::fs::create_dir_all(&ro).unwrap();
    let copy = ro.join("results.sqlite");
    std::fs::copy(&db, &copy).unwrap();
    std::fs::set_permissions(&copy, std::fs::Permissions::from_mode(0o444)).unwrap();
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o555)).unwrap();
    std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    // Root ignores permissions: report as nobody when setpriv can (as CI runs).
    let mut report = if euid() == Some(0) {
        let mut c = std::process::Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"])
            .arg(env!("CARGO_BIN_EXE_zopa"));
        c
    } else {
        zopa()
    };
    let out = report
        .args(["tournament", "report"])
        .arg(&copy)
        .arg("--csv")
        .arg(std::env::temp_dir().join(format!("zopa-ro-csv-{}", std::process::id())))
        .output();
    match out {
        Err(e) => eprintln!("setpriv is not available ({e}): permissions bind no one here"),
        // setpriv itself could not drop privileges or start zopa (a container without
        // CAP_SETUID, a binary others may not run): the rest of the test still holds.
        Ok(out) if String::from_utf8_lossy(&out.stderr).starts_with("setpriv:") => eprintln!(
            "could not run as an unprivileged user: {}",
            String::from_utf8_lossy(&out.stderr)
        ),
        Ok(out) => {
            assert!(
                out.status.success(),
                "{}",
                String::from_utf8_lossy(&out.stderr)
            );
            let text = String::from_utf8_lossy(&out.stdout);
            assert!(
                text.starts_with(&format!("{} of {}", expected.len(), expected.len())),
                "{text}"
            );
        }
    }
    let leftovers: Vec<_> = std::fs::read_dir(&ro).unwrap().collect();
    assert_eq!(
        leftovers.len(),
        1,
        "files appeared beside a read-only database"
    );
    std::fs::set_permissions(&ro, std::fs::Permissions::from_mode(0o755)).unwrap();
    let _ = std::fs::remove_dir_all(
        std::env::temp_dir().join(format!("zopa-ro-csv-{}", std::process::id())),
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// Positions of `needle` in `hay`.
fn find_all(hay: &[u8], needle: &[u8]) -> Vec<usize> {
    (0..hay.len().saturating_sub(needle.len() - 1))
        .filter(|&i| &hay[i..i + needle.len()] == needle)
        .collect()
}

#[test]
fn report_names_rows_whose_bytes_were_corrupted_and_leaves_them_out() {
    let dir = scratch("corrupt");
    let file = write_small(
        &dir,
        r#"["boulware", "linear", "micro", "conceder:e=3"]"#,
        3,
    );
    let db = dir.join("results.sqlite");
    run_ok(
        zopa()
            .args(["tournament", "run"])
            .arg(&file)
            .arg("--db")
            .arg(&db)
            .args(["--jobs", "2"]),
    );
    let rows = exported_rows(&db, &dir.join("before"));
    // A welfare as stored in the file: 8 big-endian bytes, overwritten with -2.7.
    // VACUUM first: pages SQLite freed while the jobs wrote may still hold
    // older copies of a row, and corrupting one of those changes nothing.
    rusqlite::Connection::open(&db)
        .and_then(|c| c.execute_batch("VACUUM"))
        .unwrap();
    let mut bytes = std::fs::read(&db).unwrap();
    let at = rows
        .iter()
        .find_map(|line| {
            let f: Vec<&str> = line.split(',').collect();
            // Counted from the end (an agreement holds commas): welfare, then five columns and
            // the opponent-model columns.
            let from_end = 6 + zopa_tournament::store::MODEL_COLUMNS.len();
            let welfare: f64 = f[f.len() - from_end].parse().ok()?;
            let hits = find_all(&bytes, &welfare.to_be_bytes());
            (welfare.fract() != 0.0)
                .then(|| hits.first().copied())
                .flatten()
        })
        .expect("a welfare in the file");
    bytes[at..at + 8].copy_from_slice(&(-2.7f64).to_be_bytes());
    std::fs::write(&db, bytes).unwrap();

    let out = run_ok(
        zopa()
            .args(["tournament", "report"])
            .arg(&db)
            .arg("--csv")
            .arg(dir.join("after")),
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("1 of them left out"), "{text}");
    let named = text
        .lines()
        .find(|l| l.trim_start().starts_with("negotiation "))
        .unwrap_or_else(|| panic!("no row named: {text}"));
    assert!(named.contains("-2.7"), "{named}");
    let id = named.split_whitespace().nth(1).unwrap();
    assert_eq!(id.len(), 16, "{named}");
    let after = std::fs::read_to_string(dir.join("after/negotiations.csv")).unwrap();
    assert_eq!(
        after.lines().count(),
        rows.len(),
        "header + all rows but one"
    );
    assert!(!after.contains(id), "the corrupted row was exported");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn plan_of_ten_million_negotiations_streams() {
    use std::io::BufRead;
    let dir = scratch("big-plan");
    let file = write_small(&dir, r#"["boulware", "linear"]"#, 5_000_000);
    let start = Instant::now();
    let mut child = zopa()
        .args(["tournament", "plan"])
        .arg(&file)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut lines = std::io::BufReader::new(child.stdout.take().unwrap()).lines();
    let first: Vec<String> = (0..3).map(|_| lines.next().unwrap().unwrap()).collect();
    let waited = start.elapsed();
    child.kill().ok();
    child.wait().unwrap();
    assert!(first[2].trim_start().starts_with("2 "), "{first:?}");
    assert!(
        waited < Duration::from_secs(10),
        "the first lines took {waited:?}: the plan is built before it is printed"
    );
    std::fs::remove_dir_all(&dir).ok();
}

/// `exec:COMMAND` in a tournament file: the example agent (a Python program speaking the party
/// protocol) plays every pairing, and the leaderboard lists it by its spec.
#[test]
fn a_program_plays_a_tournament_from_its_file() {
    let dir = common::scratch("exec-tournament");
    let db = dir.join("agents.sqlite");
    common::run_ok(
        common::zopa()
            .current_dir(common::repo(""))
            .args([
                "tournament",
                "run",
                "examples/agents/tournament.toml",
                "--db",
            ])
            .arg(&db),
    );
    let out = common::run_ok(common::zopa().args(["tournament", "report"]).arg(&db));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("exec:python3 examples/agents/stdio_agent.py"),
        "{text}"
    );
    // A run seats it the same way, and its JSON names it.
    let out = common::run_ok(common::zopa().current_dir(common::repo("")).args([
        "run",
        "scenarios/examples/genius-job",
        "--negotiators",
        "boulware,exec:python3 examples/agents/stdio_agent.py",
        "--json",
    ]));
    let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["end"], "agreement", "{j}");
    assert_eq!(
        j["strategies"][1], "exec:python3 examples/agents/stdio_agent.py",
        "{}",
        j["strategies"]
    );
}
