//! WhaleAgent (ANAC 2014 finalist; grown from M. Hendrikx's ANAC 2013 example agent), GENIUS
//! `agents/anac/y2014/AgentWhale/WhaleAgent.java`.
//!
//! Built for ANAC 2014's non-linear integer domains: simulated annealing over single-level
//! moves (acceptance e^(−|Δu|/T), T from 10,000 cooled by a factor per step, restarted from
//! T = 1 with a slower cooling while the result is below the bias).
//!
//! - At the start an annealing run (cooling 0.999, bias 0.9, at most ten restarts) from a
//!   random outcome gives SAmax, its estimate of the best utility.
//! - Type: hard (1) unless the opponent has made more than ten offers and more than twice as
//!   many offers as distinct ones — then soft (2).
//! - Both accept an offer ≥ m (m starts at 0.9), and one ≥ m − 0.05 with probability 1/3.
//! - Hard: after t = 0.995 accepts any offer above rv·df^t; after 0.8, m ← 0.99·m·SAmax on every
//!   turn; after 0.1 offers a greedy ±3-level neighbour of the opponent's best offer if it
//!   reaches m; else anneals (cooling 0.98) from a seed — a random outcome with probability
//!   1/5, else one of the opponent's offers — toward m·SAmax.
//! - Soft: after 0.99 accepts above rv, else as after 0.97: offers the opponent's best offer
//!   (once it is above rv·df^t, and from then on its neighbours), else a neighbour of its last
//!   offer; after 0.91 m drops to 0.99·SAmax·(the opponent's best) when that is lower, and it
//!   offers a neighbour of the opponent's best; after 0.8 m = 0.85·SAmax; after 0.5 a
//!   neighbour of the opponent's best if it reaches m, then m = 0.7·SAmax; after 0.1 the
//!   neighbour if it reaches 0.8·SAmax; else anneals from the opponent's best toward
//!   0.85·SAmax.
//!
//! Fidelity: faithful, adapted to zopa's issues and rules: values move by level (integer
//! issues by value − min; real issues on a grid of 11; discrete by index) and a ±3 move is
//! kept inside the issue (GENIUS can step off its end); restarts of the turn's annealing stop
//! after 50 (GENIUS has no bound, and loops forever when the bias cannot be reached); the
//! opponent's offers are kept in the order received (GENIUS: hash order); random draws come
//! from its seeded stream; no data is carried between sessions (GENIUS replays an earlier
//! agreement); it never accepts below rv. It keeps the distinct offers received.

use rand::RngExt;
use zopa_core::Value;

use crate::opponent::outcome_key;
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::agentm::{level_of, levels, random_levels};
use crate::strategies::Own;

/// Most restarts of one turn's annealing.
const RESTARTS: usize = 50;

pub struct WhaleAgent {
    own: Own,
    sa_max: f64,
    m: f64,
    /// Distinct offers received, in order, with their utility.
    offers: Vec<(Outcome, f64)>,
    index: std::collections::HashMap<Vec<u64>, usize>,
    offered: usize,
    last: Option<Outcome>,
    flag_best: bool,
}

impl WhaleAgent {
    pub fn new(setup: &Setup) -> WhaleAgent {
        let mut own = Own::new(setup);
        let start = random_levels(&setup.issues, &mut own.rng);
        let mut w = WhaleAgent {
            own,
            sa_max: 0.0,
            m: 0.9,
            offers: Vec::new(),
            index: std::collections::HashMap::new(),
            offered: 0,
            last: None,
            flag_best: false,
        };
        let bid = w.anneal(start, 10_000.0, 0.999, 0.9, Some(10));
        w.sa_max = w.u(&bid);
        w
    }

    fn u(&self, o: &[Value]) -> f64 {
        self.own.setup.utility_of(o)
    }

    /// One level up or down on a random issue (`step` levels), inward at the bounds; the
    /// direction drawn before (`first`) or after the issue, as each GENIUS loop does.
    fn moved(&mut self, bid: &Outcome, step: u32, direction_first: bool) -> Outcome {
        let issues = std::sync::Arc::clone(&self.own.setup.issues);
        let rng = &mut self.own.rng;
        let (up, i) = if direction_first {
            let up = rng.random::<bool>();
            (up, rng.random_range(0..issues.len()))
        } else {
            let i = rng.random_range(0..issues.len());
            (rng.random::<bool>(), i)
        };
        let top = levels(&issues[i]) - 1;
        let l = level_of(&issues[i], bid[i]);
        let up = if l + step > top {
            false
        } else if l < step {
            true
        } else {
            up
        };
        let l = if up {
            (l + step).min(top)
        } else {
            l.saturating_sub(step)
        };
        let mut next = bid.clone();
        next[i] = issues[i].value_at(l, crate::outcomes::REAL_LEVELS);
        next
    }

    /// GENIUS `getBidSA` / `getBidLowSA`: anneal from `bid` at temperature `t`, cooling by
    /// `cool`, restarting from T = 1 (cooling (0.999 − cool)/20 slower) while below `bias`, at
    /// most `restarts` times (GENIUS: 10 for `getBidSA`, unbounded for `getBidLowSA`).
    fn anneal(
        &mut self,
        mut bid: Outcome,
        t: f64,
        cool: f64,
        bias: f64,
        restarts: Option<usize>,
    ) -> Outcome {
        let (mut t, mut cool) = (t, cool);
        let limit = restarts.unwrap_or(RESTARTS);
        let mut round = 0;
        loop {
            let mut before = self.u(&bid);
            while t > 0.0001 {
                let next = self.moved(&bid, 1, false);
                let after = self.u(&next);
                let p = (-((1.0 - after) - (1.0 - before)).abs() / t).exp();
                if (after > before || self.own.rng.random::<f64>() < p) && after <= 1.0 {
                    bid = next;
                    before = after;
                    if after >= bias {
                        // GENIUS draws here for a counter it never reads.
                        let _ = self.own.rng.random_range(0..3);
                    }
                }
                t *= cool;
            }
            if before >= bias || round >= limit {
                return bid;
            }
            round += 1;
            t = 1.0;
            cool += (0.999 - cool) / 20.0;
        }
    }

    /// GENIUS `getNeighborBid`: as many ±3-level moves as there are issues, each kept when it
    /// raises the utility.
    fn neighbour(&mut self, mut bid: Outcome) -> Outcome {
        for _ in 0..self.own.setup.issues.len() {
            let next = self.moved(&bid, 3, true);
            if self.u(&next) > self.u(&bid) {
                bid = next;
            }
        }
        bid
    }

    /// `getRandomTrue(i)`: true with probability about 1/i.
    fn one_in(&mut self, i: u32) -> bool {
        self.own.rng.random_range(0..10_000u32) % i == 0
    }

    fn random(&mut self) -> Outcome {
        random_levels(&self.own.setup.issues, &mut self.own.rng)
    }

    /// The opponent's best offer (first of equals), or a random outcome.
    fn best_seed(&mut self) -> Outcome {
        let mut best: Option<&(Outcome, f64)> = None;
        for o in &self.offers {
            if best.is_none_or(|b| o.1 > b.1) {
                best = Some(o);
            }
        }
        match best {
            Some(b) if b.1 > 0.0 => b.0.clone(),
            _ => self.random(),
        }
    }

    /// GENIUS `getSeedBid`.
    fn seed(&mut self) -> Outcome {
        let seeds: Vec<Outcome> = self
            .offers
            .iter()
            .filter(|o| o.1 > 0.0)
            .map(|o| o.0.clone())
            .collect();
        if self.one_in(5) || seeds.len() <= 3 {
            return self.random();
        }
        let k = self.own.rng.random_range(0..seeds.len() - 1);
        seeds[k].clone()
    }

    /// GENIUS `getBestBidByOppo(type)`.
    fn by_opponent(&mut self, soft: bool, t: f64, rv: f64) -> Outcome {
        let best = self.best_seed();
        let df = self.own.setup.discount.unwrap_or(1.0);
        if self.flag_best || !soft {
            return self.neighbour(best);
        }
        if self.u(&best) * df.powf(t) >= rv * df.powf(t) {
            self.flag_best = true;
            return best;
        }
        match self.last.clone() {
            Some(last) => self.neighbour(last),
            None => best,
        }
    }

    fn best_utility(&self) -> Option<f64> {
        self.offers.iter().map(|o| o.1).reduce(f64::max)
    }
}

impl Negotiator for WhaleAgent {
    fn act(&mut self, view: &View<'_>) -> Action {
        let standing = self.own.observe(view);
        let fresh: Vec<(Outcome, f64)> = self
            .own
            .fresh()
            .map(|(b, &(_, u))| (b.clone(), u))
            .collect();
        for (bid, u) in fresh {
            self.offered += 1;
            match self.index.get(&outcome_key(&bid)) {
                Some(&k) => self.offers[k].1 = u,
                None => {
                    self.index.insert(outcome_key(&bid), self.offers.len());
                    self.offers.push((bid.clone(), u));
                }
            }
            self.last = Some(bid);
        }
        let (t, rv) = (view.time, view.reservation);
        let df = self.own.setup.discount.unwrap_or(1.0);
        let soft = self.offered > 10 && self.offered > 2 * self.offers.len();
        let accept = |u: f64| u >= rv;
        if let Some(u) = standing {
            if u >= self.m && accept(u) {
                return Action::Accept;
            }
            if u >= self.m - 0.05 && self.one_in(3) && accept(u) {
                return Action::Accept;
            }
        }
        let bid = if !soft {
            if t > 0.995 {
                if let Some(u) = standing {
                    if u > rv * df.powf(t) && accept(u) {
                        return Action::Accept;
                    }
                }
            }
            if t > 0.8 {
                self.m *= 0.99 * self.sa_max;
            }
            let mut chosen = None;
            if t > 0.1 {
                let seed = self.best_seed();
                let b = self.neighbour(seed);
                if self.u(&b) >= self.m {
                    chosen = Some(b);
                }
            }
            match chosen {
                Some(b) => b,
                None => {
                    let seed = self.seed();
                    let bias = self.m * self.sa_max;
                    self.anneal(seed, 10_000.0, 0.98, bias, None)
                }
            }
        } else {
            if t > 0.99 {
                if let Some(u) = standing {
                    if u > rv && accept(u) {
                        return Action::Accept;
                    }
                }
                return Action::Offer(self.by_opponent(true, t, rv));
            }
            if t > 0.97 {
                return Action::Offer(self.by_opponent(true, t, rv));
            }
            if t > 0.91 {
                if let Some(best) = self.best_utility() {
                    let u = best * df.powf(t);
                    if u < self.m {
                        self.m = u * 0.99 * self.sa_max;
                    }
                }
                return Action::Offer(self.by_opponent(false, t, rv));
            }
            if t > 0.8 {
                self.m = 0.85 * self.sa_max;
            }
            let mut chosen = None;
            if t > 0.5 {
                let seed = self.best_seed();
                let b = self.neighbour(seed);
                if self.u(&b) >= self.m {
                    chosen = Some(b);
                }
                if chosen.is_none() {
                    self.m = 0.7 * self.sa_max;
                }
            }
            if chosen.is_none() && t > 0.1 {
                let seed = self.best_seed();
                let b = self.neighbour(seed);
                if self.u(&b) >= 0.8 * self.sa_max {
                    chosen = Some(b);
                }
            }
            match chosen {
                Some(b) => b,
                None => {
                    let seed = self.best_seed();
                    let bias = 0.85 * self.sa_max;
                    self.anneal(seed, 10_000.0, 0.98, bias, None)
                }
            }
        };
        Action::Offer(bid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn annealing_finds_the_best_of_a_small_space() {
        let setup = crate::strategies::test_setup(&[5, 5], 0.0, 40);
        let w = WhaleAgent::new(&setup);
        // A linear space: greedy cooling ends at its best, utility 1.
        assert!((w.sa_max - 1.0).abs() < 1e-12, "{}", w.sa_max);
        assert_eq!(w.m, 0.9);
    }

    #[test]
    fn a_neighbour_never_lowers_the_utility() {
        let setup = crate::strategies::test_setup(&[7, 7], 0.0, 40);
        let mut w = WhaleAgent::new(&setup);
        for _ in 0..20 {
            let start = w.random();
            let n = w.neighbour(start.clone());
            assert!(w.u(&n) >= w.u(&start));
            for v in &n {
                assert!(matches!(v, Value::Discrete(k) if *k < 7));
            }
        }
    }

    #[test]
    fn it_turns_soft_against_a_repeating_opponent_and_ends_against_boulware() {
        let setup = crate::strategies::test_setup(&[4, 4], 0.0, 40);
        let mut w = WhaleAgent::new(&setup);
        let o = vec![Value::Discrete(0), Value::Discrete(0)];
        let mut history = Vec::new();
        for r in 0..12u32 {
            history.push(crate::session::Move {
                round: r,
                time: f64::from(r) / 40.0,
                actor: 1,
                action: Action::Offer(o.clone()),
            });
        }
        let view = View {
            round: 12,
            time: 0.3,
            history: &history,
            offset: 0,
            reservation: 0.0,
        };
        let _ = w.act(&view);
        assert_eq!((w.offered, w.offers.len()), (12, 1));
        crate::strategies::thefawkes::tests::duel_with_boulware("whaleagent");
    }
}
