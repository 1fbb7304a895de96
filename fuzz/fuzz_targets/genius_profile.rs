//! GENIUS XML, a profile: the fuzz input is a profile, beside a fixed valid domain and one
//! fixed valid profile.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use zopa_formats::{load, GeniusEvaluations, ReadOptions};
use zopa_fuzz::{check_scenario, Scratch};

static DOMAIN: &[u8] = include_bytes!("../companions/genius/domain.xml");
static PROFILE_A: &[u8] = include_bytes!("../companions/genius/profile-a.xml");
static SCRATCH: OnceLock<Scratch> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let scratch = SCRATCH.get_or_init(|| Scratch::new("genius_profile", "case"));
    let dir = scratch.fill(&[
        ("domain.xml", DOMAIN),
        ("profile-a.xml", PROFILE_A),
        ("profile-b.xml", data),
    ]);
    for mode in [GeniusEvaluations::Normalized, GeniusEvaluations::Raw] {
        let options = ReadOptions {
            genius_evaluations: mode,
        };
        // The folder, and the fuzzed profile by name (a profile names its domain).
        for path in [dir.to_path_buf(), dir.join("profile-b.xml")] {
            if let Ok(s) = load(&path, &options) {
                check_scenario(&s);
            }
        }
    }
});
