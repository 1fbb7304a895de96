//! GENIUS XML, the domain: the fuzz input is the domain file, beside two fixed valid profiles.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use zopa_formats::{load, GeniusEvaluations, ReadOptions};
use zopa_fuzz::{check_scenario, Scratch};

static PROFILE_A: &[u8] = include_bytes!("../companions/genius/profile-a.xml");
static PROFILE_B: &[u8] = include_bytes!("../companions/genius/profile-b.xml");
static SCRATCH: OnceLock<Scratch> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let scratch = SCRATCH.get_or_init(|| Scratch::new("genius_domain", "case"));
    let dir = scratch.fill(&[
        ("domain.xml", data),
        ("profile-a.xml", PROFILE_A),
        ("profile-b.xml", PROFILE_B),
    ]);
    for mode in [GeniusEvaluations::Normalized, GeniusEvaluations::Raw] {
        let options = ReadOptions {
            genius_evaluations: mode,
        };
        // The folder, and the domain file by name.
        for path in [dir.to_path_buf(), dir.join("domain.xml")] {
            if let Ok(s) = load(&path, &options) {
                check_scenario(&s);
            }
        }
    }
});
