//! GeniusWeb JSON: the fuzz input is a folder, its files separated by lines `%%FILE%%`
//! (`domain.json`, then `profile1.json`, `profile2.json`, …; the reader tells them apart by
//! content). `run.sh` builds the corpus from real GeniusWeb folders.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use zopa_formats::{load, ReadOptions};
use zopa_fuzz::{check_scenario, split_files, Scratch};

static SCRATCH: OnceLock<Scratch> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let parts = split_files(data);
    if parts.len() > 6 {
        return;
    }
    let names: Vec<String> = (0..parts.len())
        .map(|i| {
            if i == 0 {
                "domain.json".to_string()
            } else {
                format!("profile{i}.json")
            }
        })
        .collect();
    let files: Vec<(&str, &[u8])> = names.iter().map(String::as_str).zip(parts).collect();
    let scratch = SCRATCH.get_or_init(|| Scratch::new("geniusweb_json", "case"));
    let dir = scratch.fill(&files);
    for path in [dir.to_path_buf(), dir.join("domain.json")] {
        if let Ok(s) = load(&path, &ReadOptions::genius()) {
            check_scenario(&s);
        }
    }
});
