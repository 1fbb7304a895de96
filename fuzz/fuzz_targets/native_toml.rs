//! zopa's native TOML: the fuzz input is `scenario.toml`. What loads is analysed, and, when
//! its parties have capabilities, forecast (SMP and the expected-utility model) as
//! `zopa forecast` would.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use zopa_formats::{load, ReadOptions};
use zopa_fuzz::{check_scenario, check_spatial, Scratch};

static SCRATCH: OnceLock<Scratch> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let scratch = SCRATCH.get_or_init(|| Scratch::new("native_toml", "case"));
    let dir = scratch.fill(&[("scenario.toml", data)]);
    if let Ok(s) = load(&dir.join("scenario.toml"), &ReadOptions::genius()) {
        check_scenario(&s);
        if let Ok(inputs) = zopa_forecast::native::inputs(&s) {
            check_spatial(&inputs.actors, Default::default(), None);
        }
    }
});
