//! `zopa convert` is lossless: every readable shared scenario, written as native TOML and
//! read back, is the same scenario.

mod common;

use std::path::{Path, PathBuf};

use zopa_formats::{load, to_toml, GeniusEvaluations, ReadOptions};

fn scenario_paths() -> Vec<PathBuf> {
    let mut out = Vec::new();
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|e| e == "xml" || e == "json") {
                out.push(p);
            }
        }
    }
    for root in [
        "scenarios/NegotiatorGUI",
        "scenarios/negmas-genius",
        "scenarios/NegoLog",
    ] {
        walk(&common::shared(root), &mut out);
    }
    out
}

#[test]
fn every_readable_scenario_survives_native_round_trip() {
    let dir = std::env::temp_dir().join(format!("zopa-roundtrip-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut checked = 0;
    for mode in [GeniusEvaluations::Normalized, GeniusEvaluations::Raw] {
        let options = ReadOptions {
            genius_evaluations: mode,
        };
        let paths = scenario_paths();
        let mut dirs: Vec<&Path> = paths.iter().filter_map(|p| p.parent()).collect();
        dirs.dedup();
        let mut scenarios = Vec::new();
        for d in dirs {
            match load(d, &options) {
                Ok(s) => scenarios.push((d.to_path_buf(), s)),
                Err(_) => {
                    // Several domains in one folder: load each file, keep distinct scenarios.
                    let mut names = Vec::new();
                    for p in paths.iter().filter(|p| p.parent() == Some(d)) {
                        if let Ok(s) = load(p, &options) {
                            if !names.contains(&s.name) {
                                names.push(s.name.clone());
                                scenarios.push((p.clone(), s));
                            }
                        }
                    }
                }
            }
        }
        for (path, original) in scenarios {
            let text = to_toml(&original);
            let file = dir.join("scenario.toml");
            std::fs::write(&file, &text).unwrap();
            let back =
                load(&file, &options).unwrap_or_else(|e| panic!("{}: {e}\n{text}", path.display()));
            assert_eq!(back.name, original.name);
            assert_eq!(back.issues, original.issues, "{}", path.display());
            assert_eq!(back.parties, original.parties, "{}", path.display());
            checked += 1;
        }
    }
    std::fs::remove_dir_all(&dir).ok();
    assert!(checked > 500, "{checked}");
}
