//! `zopa convert` round trip: a fuzzed native TOML that loads, written back with
//! `zopa_formats::to_toml` and read again, is the same scenario.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use zopa_formats::{load, to_toml, ReadOptions};
use zopa_fuzz::{check_scenario, Scratch};

static SCRATCH: OnceLock<Scratch> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let scratch = SCRATCH.get_or_init(|| Scratch::new("convert_roundtrip", "case"));
    let dir = scratch.fill(&[("scenario.toml", data)]);
    let options = ReadOptions::genius();
    let Ok(original) = load(&dir.join("scenario.toml"), &options) else { return };
    check_scenario(&original);
    let text = to_toml(&original);
    let dir = scratch.fill(&[("scenario.toml", text.as_bytes())]);
    let back = match load(&dir.join("scenario.toml"), &options) {
        Ok(b) => b,
        Err(e) => panic!("to_toml's output does not load: {e}\n---\n{text}"),
    };
    assert_eq!(back.name, original.name, "name\n---\n{text}");
    assert_eq!(back.description, original.description, "description\n---\n{text}");
    assert_eq!(back.issues, original.issues, "issues\n---\n{text}");
    assert_eq!(back.parties, original.parties, "parties\n---\n{text}");
    assert_eq!(back.events, original.events, "events\n---\n{text}");
    // Written once more, the text is a fixed point.
    assert_eq!(to_toml(&back), text, "to_toml(load(to_toml(s))) differs");
});
