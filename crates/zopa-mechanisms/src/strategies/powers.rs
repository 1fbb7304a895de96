//! Powers remembered per thread: the time-dependent curves raise the clock to a fixed exponent
//! every turn (`t^(1/e)`, NegMAS's `t^exp`), and in a tournament the same clock readings and
//! exponents come back in every negotiation. libm's `pow` was an eighth of a 10^3-outcome
//! tournament's time (perf); a remembered power is the same `f64`, bit for bit, so traces do
//! not change.

use std::cell::RefCell;

/// Remembered powers per thread (24 bytes each: 48 KiB).
const SLOTS: usize = 2048;

type Slot = (u64, u64, f64);

thread_local! {
    // Every slot starts as the true 1^1 = 1, so a slot never answers wrongly.
    static MEMO: RefCell<[Slot; SLOTS]> =
        const { RefCell::new([(0x3ff0_0000_0000_0000, 0x3ff0_0000_0000_0000, 1.0); SLOTS]) };
}

/// `base.powf(exponent)`, from this thread's memory when it was computed lately.
pub fn powf(base: f64, exponent: f64) -> f64 {
    let key = (base.to_bits(), exponent.to_bits());
    let mixed = (key.0 ^ key.1.rotate_left(29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    let slot = (mixed >> 53) as usize % SLOTS;
    MEMO.with(|memo| {
        let mut memo = memo.borrow_mut();
        let entry = &mut memo[slot];
        if (entry.0, entry.1) == key {
            return entry.2;
        }
        let value = base.powf(exponent);
        *entry = (key.0, key.1, value);
        value
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_remembered_power_is_the_computed_one_bit_for_bit() {
        let exponents = [4.0, 0.25, 1.0 / 3.0, 2.5, 1.0, 0.0, -1.0, f64::NAN];
        for _ in 0..3 {
            for r in 0..=1000u32 {
                let t = f64::from(r) / 1000.0;
                for &e in &exponents {
                    // black_box: with a constant exponent the compiler may fold `t^-1` into
                    // `1/t`, which libm's pow need not equal; strategies' exponents are data.
                    let want = std::hint::black_box(t).powf(std::hint::black_box(e));
                    let got = powf(t, e);
                    assert!(
                        got.to_bits() == want.to_bits() || (got.is_nan() && want.is_nan()),
                        "{t}^{e}: {got} against {want}"
                    );
                }
            }
        }
        assert_eq!(powf(1.0, 1.0), 1.0);
    }
}
