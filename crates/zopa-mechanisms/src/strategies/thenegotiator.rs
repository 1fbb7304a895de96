//! The Negotiator (Dirkzwager & Hendrikx; ANAC 2011 finalist), GENIUS
//! `agents/anac/y2011/TheNegotiator/{Decider,Acceptor,BidGenerator,BidsCollection,TimeManager,
//! Queue}.java`; negmas-genius-agents ports it as `anac/y2011/the_negotiator.py`.
//!
//! Three phases of a 180-second clock (140, 35 and 5 seconds, as shares of the deadline). The
//! threshold falls linearly in each: from its best utility to best − range/8, then to
//! best − 3·range/8, then to its worst (range = best − worst). With a discount factor d < 1 the
//! phases after t = d are re-cut by how many outcomes lie in each third of [worst, threshold(d)].
//! It accepts an offer at or above the threshold — in the last phase anything once fewer than
//! 15 moves are left, estimated from a queue of the last 15 time steps. Bids: with
//! probability 0.7 a random outcome in [threshold, upper] (upper: the utility 20 % of the way
//! up the outcomes above the threshold), else one above upper; after phase 1 a random offer of
//! the opponent's at or above the threshold first.
//!
//! Fidelity: faithful, quirks kept (the step queue that also records the zero steps of its
//! repeated phase checks and reads stale slots once it has grown, the range pick that skips its
//! best outcome). It keeps every offer of the opponent (it may offer any back); one seeded
//! stream serves both of GENIUS's generators; it never accepts below its reservation value.

use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

const TOTAL: f64 = 180.0;
/// GENIUS's `randomMove`, a float.
const RANDOM_MOVE: f64 = 0.3f32 as f64;
const QUEUE_SIZE: usize = 15;

/// GENIUS's `Queue`: a circular buffer of 15 that doubles when full and never clears a slot.
#[derive(Debug, Clone)]
struct Queue {
    slots: Vec<Option<f64>>,
    size: usize,
    front: usize,
    back: usize,
}

impl Queue {
    fn new() -> Queue {
        Queue {
            slots: vec![None; QUEUE_SIZE],
            size: 0,
            front: 0,
            back: QUEUE_SIZE - 1,
        }
    }

    fn enqueue(&mut self, x: f64) {
        if self.size == self.slots.len() {
            let mut grown = vec![None; self.slots.len() * 2];
            for slot in grown.iter_mut().take(self.size) {
                *slot = self.slots[self.front];
                self.front = (self.front + 1) % self.slots.len();
            }
            self.slots = grown;
            self.front = 0;
            self.back = self.size - 1;
        }
        self.back = (self.back + 1) % self.slots.len();
        self.slots[self.back] = Some(x);
        self.size += 1;
    }

    fn dequeue(&mut self) {
        self.size -= 1;
        self.front = (self.front + 1) % self.slots.len();
    }

    /// The sum of the first 15 slots of its array (GENIUS's `getMovesLeft` loop).
    fn first_slots(&self) -> f64 {
        self.slots.iter().take(QUEUE_SIZE).flatten().sum()
    }
}

pub struct TheNegotiator {
    own: Own,
    /// 0 without a discount (GENIUS maps d ≥ 1 to 0).
    discount: f64,
    phases1: [f64; 3],
    thresholds1: [f64; 4],
    phases2: [f64; 3],
    thresholds2: [f64; 4],
    queue: Queue,
    last_time: f64,
    /// The opponent's offers, best first (of equals, the newest first).
    partner: Vec<(Outcome, f64)>,
}

impl TheNegotiator {
    pub fn new(setup: &Setup) -> TheNegotiator {
        let own = Own::new(setup);
        let discount = setup.discount.filter(|d| *d < 1.0).unwrap_or(0.0);
        let (best, worst) = (own.best().utility, own.worst().utility);
        let range = best - worst;
        let mut n = TheNegotiator {
            own,
            discount,
            phases1: [140.0 / TOTAL, 35.0 / TOTAL, 5.0 / TOTAL],
            thresholds1: [best, best - range / 8.0, best - 3.0 * range / 8.0, worst],
            phases2: [0.0; 3],
            thresholds2: [0.0; 4],
            queue: Queue::new(),
            last_time: 0.0,
            partner: Vec::new(),
        };
        if n.discount != 0.0 {
            n.prop_array();
        }
        n
    }

    /// `calculatePropArray` and `calculateEndPhases`: the phases after d, cut by how many
    /// outcomes lie in each third of [worst, threshold(d)].
    fn prop_array(&mut self) {
        let max = self.threshold(self.discount);
        let bids = &self.own.bids;
        let min = self.own.worst().utility;
        let step = (max - min) / 3.0;
        let c = |x: f64| bids.count_at_least(x);
        let props = [
            c(max - step).saturating_sub(c(max.next_up())),
            c(max - 2.0 * step).saturating_sub(c(max - step)),
            c(max - 3.0 * step).saturating_sub(c(max - 2.0 * step)),
        ];
        let at = |rank: u128| bids.at_rank(rank).map_or(max, |b| b.utility);
        self.thresholds2[0] = max;
        self.thresholds2[1] = if props[0] == 0 {
            at(0)
        } else {
            at(props[0] - 1)
        };
        self.thresholds2[2] = if props[0] + props[1] >= 1 {
            at(props[0] + props[1] - 1)
        } else {
            at(0)
        };
        self.thresholds2[3] = min;
        let sum = (props[0] + props[1] + props[2]) as f64;
        let d = self.discount;
        self.phases2 = [
            d + props[0] as f64 / sum * (1.0 - d),
            props[1] as f64 / sum * (1.0 - d),
            props[2] as f64 / sum * (1.0 - d),
        ];
    }

    /// `getPhase`, with its side effect: in phase 3 the time since its last call joins the
    /// queue.
    fn phase(&mut self, t: f64) -> u8 {
        let ends = if self.discount != 0.0 && t > self.discount {
            self.phases2
        } else {
            self.phases1
        };
        let phase = if t > ends[1] + ends[0] {
            self.queue.enqueue(t - self.last_time);
            if self.queue.size > QUEUE_SIZE {
                self.queue.dequeue();
            }
            3
        } else if t > ends[0] {
            2
        } else {
            1
        };
        self.last_time = t;
        phase
    }

    /// `getThreshold` (calls `getPhase` once more, as GENIUS does).
    fn threshold(&mut self, t: f64) -> f64 {
        let phase = self.phase(t);
        let (th, ends) = if self.discount != 0.0 && t > self.discount {
            (self.thresholds2, self.phases2)
        } else {
            (self.thresholds1, self.phases1)
        };
        let active = if t <= self.discount {
            0.0
        } else {
            self.discount
        };
        match phase {
            1 => th[0] - (t - active) / (ends[0] - active) * (th[0] - th[1]),
            2 => th[1] - (t - ends[0]) / ends[1] * (th[1] - th[2]),
            _ => th[2] - (t - ends[0] - ends[1]) / ends[2] * (th[2] - th[3]),
        }
    }

    /// `getMovesLeft`.
    fn moves_left(&self, t: f64) -> f64 {
        if self.queue.size == 0 {
            return 500.0;
        }
        ((1.0 - t) / (self.queue.first_slots() / QUEUE_SIZE as f64)).floor()
    }

    /// `getUpperThreshold(threshold, 0.2)`.
    fn upper(&self, threshold: f64) -> f64 {
        let mut boundary = self.own.bids.count_at_least(threshold);
        boundary = boundary.saturating_sub(1);
        let index = boundary - (0.2 * boundary as f64).ceil() as u128;
        self.own
            .bids
            .at_rank(index)
            .map_or(self.own.best().utility, |b| b.utility)
    }

    /// `getOwnBidBetween`: a random outcome of the range, its best one skipped when it holds
    /// more than one; with none, one at or above `lower`; with none either, its best.
    fn own_between(&mut self, lower: f64, upper: f64, retried: bool) -> Outcome {
        let mut l = self.own.bids.count_at_least(lower);
        let mut u = self.own.bids.count_at_least(upper.next_up());
        if l == u {
            if retried {
                return self.own.best().outcome.clone();
            }
            return self.own_between(lower, 1.1, true);
        }
        l = l.saturating_sub(1);
        if u < l {
            u += 1;
        }
        let r: f64 = rand::RngExt::random(&mut self.own.rng);
        let rank = u + (r * (l - u) as f64 + 0.5) as u128;
        self.own
            .bids
            .at_rank(rank)
            .map_or_else(|| self.own.best().outcome.clone(), |b| b.outcome)
    }

    /// `getBestPartnerBids`: a random one of the opponent's offers at or above `threshold`.
    fn partner_above(&mut self, threshold: f64) -> Option<Outcome> {
        let count = self.partner.iter().take_while(|b| b.1 >= threshold).count();
        (count > 0).then(|| {
            let k = crate::bidding::draw_below(&mut self.own.rng, count as u128) as usize;
            self.partner[k].0.clone()
        })
    }

    fn offer(&mut self, phase: u8, threshold: f64) -> Outcome {
        let upper = self.upper(threshold);
        if phase != 1 {
            if let Some(b) = self.partner_above(threshold) {
                return b;
            }
        }
        let r: f64 = rand::RngExt::random(&mut self.own.rng);
        if r > RANDOM_MOVE {
            self.own_between(threshold, upper, false)
        } else {
            self.own_between(upper - 0.00001, 1.1, false)
        }
    }
}

impl Negotiator for TheNegotiator {
    fn act(&mut self, view: &View<'_>) -> Action {
        let offered = self.own.observe(view);
        let fresh: Vec<(Outcome, f64)> = self.own.fresh().map(|(b, r)| (b.clone(), r.1)).collect();
        for (bid, u) in fresh {
            let at = self
                .partner
                .iter()
                .position(|b| b.1 <= u)
                .unwrap_or(self.partner.len());
            self.partner.insert(at, (bid, u));
        }
        let t = view.time;
        let phase = self.phase(t);
        let moves_left = if phase == 3 { self.moves_left(t) } else { 0.0 };
        let threshold = self.threshold(t);
        if let Some(u) = offered {
            let accept = if phase == 3 && moves_left < 15.0 {
                true
            } else {
                u >= threshold
            };
            if accept && u >= view.reservation {
                return Action::Accept;
            }
        }
        let threshold = self.threshold(t);
        Action::Offer(self.offer(phase, threshold))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_threshold_falls_through_three_phases() {
        // Values worth 0..1: best 1, worst 0.
        let mut n = TheNegotiator::new(&crate::strategies::test_setup(&[5], 0.0, 100));
        assert_eq!(n.threshold(0.0), 1.0);
        // The end of phase 1 (t = 140/180): 1 − 1/8.
        let end1 = 140.0 / 180.0;
        assert!((n.threshold(end1) - 0.875).abs() < 1e-12);
        // Half-way through phase 2: between 7/8 and 5/8.
        assert!((n.threshold(end1 + 17.5 / 180.0) - 0.75).abs() < 1e-12);
        assert!((n.threshold(1.0) - 0.0).abs() < 1e-9);
    }

    #[test]
    fn the_step_queue_counts_its_zero_steps_and_grows_once_full() {
        let mut q = Queue::new();
        for k in 0..16 {
            q.enqueue(f64::from(k));
            if q.size > QUEUE_SIZE {
                q.dequeue();
            }
        }
        // It doubled at the 16th: slots 0..15 hold 0..14, the first of which was dequeued.
        assert_eq!(q.slots.len(), 30);
        assert_eq!(q.size, 15);
        assert_eq!(q.first_slots(), (0..15).sum::<i32>() as f64);
    }

    #[test]
    fn the_range_pick_skips_its_best_outcome() {
        let mut n = TheNegotiator::new(&crate::strategies::test_setup(&[11], 0.0, 100));
        // [0.5, 0.8] holds 0.5, 0.6, 0.7, 0.8: the pick is never 0.8.
        for _ in 0..50 {
            let b = n.own_between(0.5, 0.8, false);
            let u = n.own.setup.utility_of(&b);
            assert!((0.5 - 1e-9..0.75).contains(&u), "{u}");
        }
    }

    #[test]
    fn it_ends_against_boulware() {
        crate::strategies::yushu::tests::ends_against_boulware("thenegotiator");
    }
}
