//! The expected-utility model's `actor,capability,position,salience` CSV
//! (`zopa_forecast::eum::parse_csv`).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zopa_fuzz::check_eum;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(actors) = zopa_forecast::eum::parse_csv(text) {
        check_eum(&actors);
    }
});
