//! Every file under `../shared/scenarios/` (GENIUS, GeniusWeb, NegoLog) either loads or gets
//! an error that names a file; nothing panics.

#![allow(clippy::print_stderr)] // the walk reports what failed to load

mod common;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use zopa_formats::{load, ReadOptions};

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            walk(&p, out);
        } else {
            out.push(p);
        }
    }
}

#[test]
fn every_shared_scenario_file_loads_or_names_its_problem() {
    let mut files = Vec::new();
    for root in [
        "scenarios/NegotiatorGUI",
        "scenarios/negmas-genius",
        "scenarios/NegoLog",
    ] {
        walk(&common::shared(root), &mut files);
    }
    let files: Vec<PathBuf> = files
        .into_iter()
        .filter(|f| f.extension().is_some_and(|e| e == "xml" || e == "json"))
        .collect();
    assert!(
        files.len() > 1000,
        "expected the ~1,600 shared scenario files, found {}",
        files.len()
    );
    let (mut ok, mut failed) = (0, Vec::new());
    for f in &files {
        let result = catch_unwind(AssertUnwindSafe(|| load(f, &ReadOptions::genius())));
        match result {
            Err(_) => panic!("loading {} panicked", f.display()),
            Ok(Ok(_)) => ok += 1,
            Ok(Err(e)) => {
                let msg = e.to_string();
                let dir = f.parent().unwrap().display().to_string();
                assert!(msg.contains(&dir), "error does not name the file: {msg}");
                assert!(e.fix.is_some(), "error without a fix: {msg}");
                failed.push(msg);
            }
        }
    }
    // The defects of formats.md §1.5 are repaired, so nearly everything loads. The 49 that do
    // not are pareto.xml (not XML), a truncated profile, old `price`/`parameter` evaluators,
    // NegMAS's own negative case (LaptopConv) and folders with one usable profile.
    assert!(
        failed.len() <= 49,
        "{} of {} files fail to load (49 expected); failures:\n{}",
        failed.len(),
        files.len(),
        failed.join("\n")
    );
    eprintln!(
        "{ok} of {} files load; {} clear errors",
        files.len(),
        failed.len()
    );
    for f in &failed {
        eprintln!("  {f}");
    }
}
