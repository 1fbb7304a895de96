//! KTAB's SMP XML (`zopa_forecast::ktab::parse_xml`), with the options the file sets.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zopa_fuzz::check_spatial;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    if let Ok((s, options, _notes)) = zopa_forecast::ktab::parse_xml(text) {
        check_spatial(&s.actors, options, s.accommodation.as_deref());
    }
});
