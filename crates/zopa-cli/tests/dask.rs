//! A tournament sharded 8 ways on a Dask `LocalCluster` with 2 workers (python/zopa_dask) gives the
//! same database as the single-machine run, and a second run into it is refused in one line. Needs `dask` and `distributed`, which `.ci/run`
//! installs; set `ZOPA_SKIP_DASK=1` to skip on a machine without them.

#![allow(clippy::print_stderr)] // the test reports what it skipped

mod common;

use std::process::Command;

use common::{exported_rows, repo, run_ok, scratch, zopa};

#[test]
fn dask_shards_merge_into_the_single_machine_result() {
    if std::env::var_os("ZOPA_SKIP_DASK").is_some() {
        eprintln!("ZOPA_SKIP_DASK set: Dask test skipped");
        return;
    }
    let root = repo("");
    let dir = scratch("dask");
    let file = dir.join("t.toml");
    let shared = root.join("../shared/scenarios/NegotiatorGUI/etc/templates/anac");
    std::fs::write(
        &file,
        format!(
            "seed = 3\nrepetitions = 3\nscenarios = [{:?}, {:?}]\nstrategies = [\"boulware\", \"linear\", \"micro\", \"agentk\"]\nself_play = true\n",
            shared.join("y2010/EnglandZimbabwe"),
            shared.join("y2013/Coffee")
        ),
    )
    .unwrap();
    let single = dir.join("single.sqlite");
    run_ok(
        zopa()
            .args(["tournament", "run"])
            .arg(&file)
            .arg("--db")
            .arg(&single),
    );

    let merged = dir.join("dask.sqlite");
    let script = format!(
        "import zopa_dask; zopa_dask.run_tournament({:?}, {:?}, 8, zopa={:?}, workers=2)",
        file.to_string_lossy(),
        merged.to_string_lossy(),
        env!("CARGO_BIN_EXE_zopa")
    );
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(python)
        .arg("-c")
        .arg(script)
        .env("PYTHONPATH", root.join("python/zopa_dask/src"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "Dask run failed (are dask and distributed installed? `.ci/run` installs them):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        exported_rows(&merged, &dir.join("a")),
        exported_rows(&single, &dir.join("b"))
    );
    // Run again into the same database, from the command line: refused in one line, no
    // Python traceback.
    let again = Command::new(std::env::var("PYTHON").unwrap_or_else(|_| "python3".into()))
        .arg("-c")
        .arg("import sys, zopa_dask; sys.exit(zopa_dask.main(sys.argv[1:]))")
        .arg(&file)
        .arg("--out")
        .arg(&merged)
        .args(["--shards", "2", "--zopa", env!("CARGO_BIN_EXE_zopa")])
        .env("PYTHONPATH", root.join("python/zopa_dask/src"))
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&again.stderr);
    assert_eq!(again.status.code(), Some(2), "{err}");
    assert!(
        err.starts_with("zopa-dask: merge failed") && err.contains("exists"),
        "{err}"
    );
    assert!(!err.contains("Traceback"), "{err}");
    std::fs::remove_dir_all(&dir).ok();
}
