//! KTAB's SMP CSV (`zopa_forecast::ktab::parse_csv`, as `zopa forecast` reads a `.csv` whose
//! first line's third field is a number).
#![no_main]

use libfuzzer_sys::fuzz_target;
use zopa_fuzz::check_spatial;

fuzz_target!(|data: &[u8]| {
    // `zopa forecast` reads the file with `read_to_string`: only UTF-8 gets this far.
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok(s) = zopa_forecast::ktab::parse_csv(text) {
        check_spatial(&s.actors, Default::default(), s.accommodation.as_deref());
    }
});
