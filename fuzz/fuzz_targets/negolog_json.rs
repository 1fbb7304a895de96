//! NegoLog JSON: the fuzz input is `profileA.json`, `profileB.json` and optionally
//! `specs.json`, separated by lines `%%FILE%%`. `run.sh` builds the corpus from NegoLog's
//! domains.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use zopa_formats::{load, ReadOptions};
use zopa_fuzz::{check_scenario, split_files, Scratch};

static SCRATCH: OnceLock<Scratch> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let parts = split_files(data);
    let names = ["profileA.json", "profileB.json", "specs.json"];
    if parts.len() > names.len() {
        return;
    }
    let files: Vec<(&str, &[u8])> = names.iter().copied().zip(parts).collect();
    let scratch = SCRATCH.get_or_init(|| Scratch::new("negolog_json", "case"));
    let dir = scratch.fill(&files);
    for path in [dir.to_path_buf(), dir.join("profileA.json")] {
        if let Ok(s) = load(&path, &ReadOptions::genius()) {
            check_scenario(&s);
        }
    }
});
