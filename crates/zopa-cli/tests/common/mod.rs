//! What the CLI's end-to-end tests share: running the binary, paths into the repository and
//! into `../shared`, scratch directories, and reading a tournament back through its CSV export.

#![allow(dead_code)] // each test file uses its own subset

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The `zopa` binary under test.
pub fn zopa() -> Command {
    Command::new(env!("CARGO_BIN_EXE_zopa"))
}

/// Runs `command` and insists it succeeds (showing its stderr if not).
pub fn run_ok(command: &mut Command) -> Output {
    let out = command.output().expect("the command starts");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// A path inside the repository.
pub fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

/// A path inside `../shared`, beside the repository.
/// Fails, saying so, when the reference data is missing: the test's prerequisite.
pub fn shared(rel: &str) -> PathBuf {
    let path = repo("../shared").join(rel);
    assert!(
        path.exists(),
        "{} is missing: this test needs the reference scenarios in ../shared beside the repository (see README, \"Tests\")",
        path.display()
    );
    path
}

/// A fresh, empty directory for one test (`name` keeps tests apart, the process id runs).
pub fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zopa-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Every stored negotiation of a tournament database as its CSV row (header dropped),
/// sorted: exported with `zopa tournament report DB --csv DIR`.
pub fn exported_rows(db: &Path, dir: &Path) -> Vec<String> {
    run_ok(
        zopa()
            .args(["tournament", "report"])
            .arg(db)
            .arg("--csv")
            .arg(dir),
    );
    let text = std::fs::read_to_string(dir.join("negotiations.csv")).unwrap();
    let mut lines: Vec<String> = text.lines().skip(1).map(str::to_string).collect();
    lines.sort();
    lines
}
