//! KTAB's pseudo-random generator (`kutils/libsrc/prng.cpp`), so that Stochastic state
//! transitions draw what KTAB draws from the same `prngSeed`: MT19937-64 whose every output
//! passes through KTAB's bijection qTrans(i) = (i + Q)·(2i + 3) mod 2⁶⁴, scaled to [0, 1] by
//! dividing by 2⁶⁴ − 1, and a selection that walks the cumulative probabilities.

/// KTAB's odd constant against fixed points of qTrans (the decimals of φ, made odd).
const Q64C: u64 = 0xE08C_1D66_8B75_6F83;

fn q_trans(i: u64) -> u64 {
    i.wrapping_add(Q64C)
        .wrapping_mul(i.wrapping_mul(2).wrapping_add(3))
}

/// KTAB's `PRNG`.
pub struct KtabPrng(rand_mt::Mt64);

impl KtabPrng {
    /// Seeded as KTAB seeds it. (KTAB replaces a seed of 0 with a random one; zopa keeps 0,
    /// so every run is reproducible.)
    pub fn new(seed: u64) -> Self {
        KtabPrng(rand_mt::Mt64::new(seed))
    }

    /// `PRNG::uniform()`.
    pub fn next_u64(&mut self) -> u64 {
        q_trans(self.0.next_u64())
    }

    /// `PRNG::uniform(0, 1)`.
    pub fn uniform(&mut self) -> f64 {
        self.next_u64() as f64 / u64::MAX as f64
    }

    /// `PRNG::probSel`: the first index whose cumulative probability reaches the draw (the last
    /// on round-off).
    pub fn select(&mut self, p: &[f64]) -> usize {
        let draw = self.uniform();
        let mut sum = 0.0;
        for (i, x) in p.iter().enumerate() {
            sum += x;
            if draw <= sum {
                return i;
            }
        }
        p.len().saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_twister_underneath_is_the_standard_one() {
        // mt19937_64's 10,000th output from the default seed 5489 (C++11 [rand.predef]).
        let mut mt = rand_mt::Mt64::new(5489);
        let last = (0..10_000).map(|_| mt.next_u64()).last().unwrap();
        assert_eq!(last, 9_981_545_732_273_789_042);
    }

    #[test]
    fn q_trans_is_ktabs_quadratic() {
        assert_eq!(q_trans(0), Q64C.wrapping_mul(3));
        assert_eq!(q_trans(1), Q64C.wrapping_add(1).wrapping_mul(5));
        let mut g = KtabPrng::new(7);
        for _ in 0..1000 {
            let u = g.uniform();
            assert!((0.0..=1.0).contains(&u));
        }
        assert_eq!(g.select(&[0.0, 0.0, 1.0]), 2);
    }
}
