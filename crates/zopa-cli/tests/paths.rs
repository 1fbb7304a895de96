//! Every command takes a bare file name and every relative form, and an error names the file
//! (a bare name's folder is `.`, not `""`).

mod common;

use common::{repo, run_ok, scratch, zopa};

#[test]
fn bare_file_names_work_in_every_command() {
    let dir = scratch("bare-names");
    std::fs::copy(
        repo("scenarios/examples/laptop-sale.toml"),
        dir.join("laptop-sale.toml"),
    )
    .unwrap();
    std::fs::copy(
        repo("scenarios/examples/ktab-water.csv"),
        dir.join("ktab-water.csv"),
    )
    .unwrap();
    std::fs::copy(
        repo("scenarios/examples/bdm-budget.csv"),
        dir.join("bdm-budget.csv"),
    )
    .unwrap();
    for args in [
        vec!["analyze", "laptop-sale.toml"],
        vec!["analyze", "./laptop-sale.toml"],
        vec![
            "run",
            "laptop-sale.toml",
            "--negotiators",
            "boulware,conceder",
            "--rounds",
            "20",
        ],
        vec!["convert", "laptop-sale.toml", "out.toml"],
        vec!["forecast", "ktab-water.csv"],
        vec!["forecast", "bdm-budget.csv", "--model", "eum"],
        vec!["report", "laptop-sale.toml", "--out", "report"],
    ] {
        run_ok(zopa().current_dir(&dir).args(&args));
    }
    run_ok(zopa().current_dir(&dir).args(["analyze", "out.toml"]));
}

#[test]
fn a_file_that_is_no_scenario_is_named_in_the_error() {
    let dir = scratch("not-a-scenario");
    std::fs::write(dir.join("README.md"), "# hello\n").unwrap();
    let out = zopa()
        .current_dir(&dir)
        .args(["analyze", "README.md"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("README.md"), "{err}");
    assert!(!err.contains("cannot list the folder"), "{err}");
    let out = zopa()
        .current_dir(&dir)
        .args(["analyze", "missing.toml"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("missing.toml"), "{err}");
}
