//! NegMAS's own scenario files (`Scenario.dumpas`, YAML or JSON): the fuzz input is a folder,
//! its files separated by lines `%%FILE%%`, written as `part<i>.json` when the input starts
//! with `{` and as `part<i>.yml` otherwise (the reader tells the files apart by their `type`).
//! `run.sh` builds the corpus with NegMAS when it is installed.
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
    let json = data.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
    let ext = if json { "json" } else { "yml" };
    let names: Vec<String> = (0..parts.len()).map(|i| format!("part{i}.{ext}")).collect();
    let files: Vec<(&str, &[u8])> = names.iter().map(String::as_str).zip(parts).collect();
    let scratch = SCRATCH.get_or_init(|| Scratch::new("negmas_files", "case"));
    let dir = scratch.fill(&files);
    for path in [dir.to_path_buf(), dir.join(&names[0])] {
        if let Ok(s) = load(&path, &ReadOptions::genius()) {
            check_scenario(&s);
        }
    }
});
