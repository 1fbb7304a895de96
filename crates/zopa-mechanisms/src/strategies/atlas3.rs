//! Atlas3 (Mori & Ito; ANAC 2015 winner), GENIUS `agents/anac/y2015/Atlas3/` — `Atlas3.java`
//! (the turn and the final phase), `etc/negotiatingInfo.java` (the opponents' offers, the
//! popular-bid list, the frequency list, the time scale), `etc/bidSearch.java` (the bid search)
//! and `etc/strategy.java` (the threshold; read in GENIUS's text as quoted by its ports, with
//! GENIUS's q formula, not the divergent one of NegoLog's `agents/Atlas3/etc/strategy.py`).
//!
//! **Threshold**, a 2×2 final-offer game: A11 = rv·df, A12 = df, A21 = C·df with C the best
//! utility an opponent offered (bilateral) or the best popular bid (multilateral), rv·df when
//! below rv, A22 = (A21 + A12)/2; q = 1/(1 − (A11 − A21)/(A12 − A22)) (1 outside [0, 1]);
//! target = (q·A21 + (1 − q)·A22)/df^t; threshold = target + (1 − target)(1 − t) when df = 1,
//! else max(1 − t/df, target).
//!
//! **Each turn**: the time scale is t / (its turns so far). The *popular bids* are the offers
//! every other party supported (an offer and the others' accepts of it; bilaterally, every
//! opponent offer), distinct, best first (equal utilities in the order received). When
//! t > 1 − scale·(popular bids + 1) it is in the final phase: it re-offers the popular bids
//! one by one, best first, while the next is better for it than the offer on the table and
//! above its reservation value; otherwise it accepts an offer above its reservation value (at
//! or above it once no popular bid is left); otherwise it bids. Before that it accepts at or
//! above the threshold, walks away when rv·df^t reaches the threshold, and bids.
//!
//! **Bid** (`bidSearch.getBid`): from a uniformly random outcome, the neighbourhood search (every
//! change of one issue's value) keeps the changes at or above the threshold of least utility
//! and picks one at random; if none clears the threshold, the relative-utility search (from
//! its best outcome, issue by issue in random order, the first value in random order whose
//! loss relative to the best still leaves the total loss within threshold − 1); if that falls
//! short, its best outcome. Then, issue by issue in random order, the value the opponents
//! offered most (ties at random) replaces its own when that does not lower its utility.
//!
//! Fidelity: faithful, adapted in three places. GENIUS finds its best outcome by simulated
//! annealing; zopa takes the exact best of its bidding order. Where the relative-utility search
//! falls short (GENIUS then anneals toward the least utility at or above the threshold), zopa
//! takes that outcome from its bidding order directly. A space with a real issue (GENIUS:
//! random draws until one clears the threshold) draws uniformly from the outcomes at or above
//! the threshold, the same distribution. Java's random streams are zopa's seeded stream.
//!
//! `negolog=true` is NegoLog's port as `negmas-negolog` ships it (`agents/Atlas3/`), for
//! reproducing NegoLog runs: it fixes df = 1, never walks away, and never fills its
//! popular-bid list (so its final phase is only its last turn, when t > 1 − scale). NegoLog's
//! GitHub port (`ba83b978`) also divides A12 by A22 in q and skips the frequency step;
//! `negmas-negolog`'s copy does neither.

use zopa_core::Value;

use crate::outcomes::candidate_values;
use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;
use crate::Rng;
use rand::RngExt;

/// The searches Atlas3 and Kawaii share (GENIUS `bidSearch`: the best outcome, the
/// relative-utility search, the fallback for non-linear spaces).
pub(crate) struct RelativeSearch {
    /// The values each issue can take (a grid on real issues).
    pub values: Vec<Vec<Value>>,
    /// Whether the relative-utility search still works (GENIUS `isLinerUtilitySpace`).
    linear: bool,
    /// Its best outcome as the searches last updated it, and its utility.
    max_bid: Option<(Outcome, f64)>,
    /// Per issue and value: U(best with that value) − U(best).
    relative: Vec<Vec<f64>>,
    pub has_real: bool,
}

impl RelativeSearch {
    pub fn new(setup: &Setup) -> RelativeSearch {
        RelativeSearch {
            values: setup.issues.iter().map(candidate_values).collect(),
            linear: true,
            max_bid: None,
            relative: Vec::new(),
            has_real: setup
                .issues
                .iter()
                .any(|i| matches!(i.kind, zopa_core::IssueKind::Real { .. })),
        }
    }

    /// Its best outcome (GENIUS anneals for it; zopa takes its bidding order's best), with
    /// the relative utilities of every value, computed on first use.
    pub fn max_bid(&mut self, own: &Own) -> (Outcome, f64) {
        if self.max_bid.is_none() {
            let best = own.best().clone();
            let setup = &own.setup;
            self.relative = self
                .values
                .iter()
                .enumerate()
                .map(|(i, vs)| {
                    vs.iter()
                        .map(|&v| {
                            let mut b = best.outcome.clone();
                            b[i] = v;
                            setup.utility_of(&b) - best.utility
                        })
                        .collect()
                })
                .collect();
            self.max_bid = Some((best.outcome, best.utility));
        }
        self.max_bid.clone().expect("set above")
    }

    /// U(best with value `v` on issue `i`) − U(best), once [`RelativeSearch::max_bid`] has
    /// run (0 before, and for a value off the issue's candidates).
    pub fn relative_of(&self, i: usize, v: Value) -> f64 {
        let Some(k) = self
            .values
            .get(i)
            .and_then(|vs| vs.iter().position(|&x| x == v))
        else {
            return 0.0;
        };
        self.relative
            .get(i)
            .and_then(|r| r.get(k))
            .copied()
            .unwrap_or(0.0)
    }

    /// A searched outcome of utility `u` replaces the best when at least as good.
    pub fn saw(&mut self, bid: &Outcome, u: f64) {
        if let Some((_, mu)) = &self.max_bid {
            if u >= *mu {
                self.max_bid = Some((bid.clone(), u));
            }
        }
    }

    /// GENIUS `relativeUtilitySearch`: from the best outcome, concede issue by issue.
    fn relative_search(&mut self, threshold: f64, own: &mut Own) -> (Outcome, f64) {
        let (mut bid, _) = self.max_bid(own);
        let d = threshold - 1.0;
        let mut conceded = 0.0;
        let mut issues: Vec<usize> = (0..self.values.len()).collect();
        shuffle(&mut issues, &mut own.rng);
        for i in issues {
            let mut order: Vec<usize> = (0..self.values[i].len()).collect();
            shuffle(&mut order, &mut own.rng);
            for k in order {
                let r = self.relative[i][k];
                if d <= conceded + r {
                    bid[i] = self.values[i][k];
                    conceded += r;
                    break;
                }
            }
        }
        let u = own.setup.utility_of(&bid);
        (bid, u)
    }

    /// GENIUS `getBidbyAppropriateSearch` then `getBid`'s fallback to the best outcome: the
    /// relative-utility search while it works, else (GENIUS: simulated annealing toward the
    /// least utility at or above the threshold) that outcome of the bidding order.
    pub fn appropriate(
        &mut self,
        base: (Outcome, f64),
        threshold: f64,
        own: &mut Own,
    ) -> (Outcome, f64) {
        let mut bid = base;
        if self.linear {
            bid = self.relative_search(threshold, own);
            if bid.1 < threshold {
                self.linear = false;
            }
        }
        if !self.linear {
            if let Some(b) = own.bids.worst_at_least(threshold) {
                bid = (b.outcome, b.utility);
            }
        }
        if bid.1 < threshold {
            bid = self.max_bid(own);
        }
        bid
    }

    /// A uniformly random outcome at or above `threshold` (GENIUS's random search on spaces
    /// with a real issue), the best when none is.
    pub fn random_above(&self, threshold: f64, own: &mut Own) -> Outcome {
        let span = own.at_least(threshold);
        match own.bids.random(&span, &mut own.rng) {
            Some(b) => b.outcome,
            None => own.best().outcome.clone(),
        }
    }
}

pub struct Atlas3 {
    own: Own,
    search: RelativeSearch,
    /// How often the opponents offered each value (all opponents together).
    frequency: Vec<Vec<u32>>,
    /// Distinct popular bids, best first (ties: order received), with their utilities.
    popular: Vec<(Outcome, f64)>,
    /// How many popular bids the final phase has re-offered.
    final_index: usize,
    /// The last offer another party made, with its utility.
    offered: Option<(Outcome, f64)>,
    /// Parties supporting `offered` (its proposer and those who accepted it).
    supporters: usize,
    /// Best utility offered by an opponent (GENIUS BOU).
    best_offered: f64,
    /// Its turns so far.
    turns: u32,
    /// NegoLog's port instead of GENIUS's (see the module docs).
    negolog: bool,
}

/// Fisher–Yates from `rng`.
pub(crate) fn shuffle<T>(items: &mut [T], rng: &mut Rng) {
    for i in (1..items.len()).rev() {
        let j = rng.random_range(0..=i);
        items.swap(i, j);
    }
}

impl Atlas3 {
    pub fn new(setup: &Setup) -> Atlas3 {
        Atlas3::with(false, setup)
    }

    /// `negolog`: NegoLog's port (`agents/Atlas3/`) rather than GENIUS's Atlas3.
    pub fn with(negolog: bool, setup: &Setup) -> Atlas3 {
        let search = RelativeSearch::new(setup);
        Atlas3 {
            own: Own::new(setup),
            frequency: search.values.iter().map(|v| vec![0; v.len()]).collect(),
            search,
            popular: Vec::new(),
            final_index: 0,
            offered: None,
            supporters: 0,
            best_offered: 0.0,
            turns: 0,
            negolog,
        }
    }

    pub(crate) fn threshold(t: f64, rv: f64, df: f64, c: f64) -> f64 {
        let a11 = rv * df;
        let a12 = df;
        let a21 = if c >= rv { c * df } else { rv * df };
        let a22 = 0.5 * a21 + 0.5 * a12;
        let mut q = 1.0;
        if a12 - a22 != 0.0 && 1.0 - (a11 - a21) / (a12 - a22) != 0.0 {
            q = 1.0 / (1.0 - (a11 - a21) / (a12 - a22));
        }
        if !(0.0..=1.0).contains(&q) || !q.is_finite() {
            q = 1.0;
        }
        let target = (q * a21 + (1.0 - q) * a22) / df.powf(t);
        if df == 1.0 {
            target + (1.0 - target) * (1.0 - t)
        } else {
            (1.0 - t / df).max(target)
        }
    }

    /// Reads the moves since its last turn as GENIUS's `receiveMessage` does.
    fn read(&mut self, view: &View<'_>) {
        let me = self.own.setup.index;
        let others = self.own.setup.negotiators.saturating_sub(1);
        for m in self.own.unseen(view) {
            if m.actor == me {
                continue;
            }
            match &m.action {
                Action::Offer(o) => {
                    self.supporters = 1;
                    let u = self.own.setup.utility_of(o);
                    self.offered = Some((o.clone(), u));
                    if u > self.best_offered {
                        self.best_offered = u;
                    }
                    for (i, v) in o.iter().enumerate() {
                        if let Some(k) = self.search.values[i].iter().position(|x| x == v) {
                            self.frequency[i][k] += 1;
                        }
                    }
                }
                Action::Accept => self.supporters += 1,
                Action::End => {}
            }
            if self.supporters == others && !self.negolog {
                if let Some((o, u)) = &self.offered {
                    if !self.popular.iter().any(|(p, _)| p == o) {
                        // After every bid at least as good: a stable sort, best first.
                        let at = self.popular.partition_point(|(_, pu)| *pu >= *u);
                        self.popular.insert(at, (o.clone(), *u));
                    }
                }
            }
        }
        self.own.observe(view);
    }

    /// Every one-issue change of `base`: of those at or above `threshold`, one of least utility
    /// (GENIUS `NeighborhoodSearch`; `base` itself counts once per issue).
    fn neighbourhood(&mut self, base: &Outcome, threshold: f64) -> (Outcome, f64) {
        let mut targets: Vec<Outcome> = Vec::new();
        let mut target_u = 0.0;
        for i in 0..self.search.values.len() {
            for k in 0..self.search.values[i].len() {
                let mut b = base.clone();
                b[i] = self.search.values[i][k];
                let u = self.own.setup.utility_of(&b);
                self.search.saw(&b, u);
                if u >= threshold {
                    if targets.is_empty() || u < target_u {
                        targets.clear();
                        targets.push(b);
                        target_u = u;
                    } else if u == target_u {
                        targets.push(b);
                    }
                }
            }
        }
        if targets.is_empty() {
            let u = self.own.setup.utility_of(base);
            return (base.clone(), u);
        }
        let k = self.own.rng.random_range(0..targets.len());
        (targets.swap_remove(k), target_u)
    }

    /// GENIUS `getConvertBidbyFrequencyList`.
    fn toward_frequent(&mut self, bid: (Outcome, f64)) -> Outcome {
        let (mut current, mut cu) = bid;
        let mut issues: Vec<usize> = (0..self.search.values.len()).collect();
        shuffle(&mut issues, &mut self.own.rng);
        for i in issues {
            let mut order: Vec<usize> = (0..self.search.values[i].len()).collect();
            shuffle(&mut order, &mut self.own.rng);
            let mut best: Option<(usize, u32)> = None;
            for k in order {
                let f = self.frequency[i][k];
                if best.is_none_or(|(_, bf)| f > bf) {
                    best = Some((k, f));
                }
            }
            if let Some((k, _)) = best {
                let mut next = current.clone();
                next[i] = self.search.values[i][k];
                let nu = self.own.setup.utility_of(&next);
                if nu >= cu {
                    current = next;
                    cu = nu;
                }
            }
        }
        current
    }

    /// GENIUS `bidSearch.getBid` from a uniformly random outcome.
    fn bid(&mut self, threshold: f64) -> Outcome {
        self.search.max_bid(&self.own);
        if self.search.has_real {
            return self.search.random_above(threshold, &mut self.own);
        }
        let base = {
            let own = &mut self.own;
            own.bids
                .random(&crate::bidding::Span::all(), &mut own.rng)
                .map_or_else(|| own.best().outcome.clone(), |b| b.outcome)
        };
        let mut bid = self.neighbourhood(&base, threshold);
        if bid.1 < threshold {
            bid = self.search.appropriate(bid, threshold, &mut self.own);
        }
        self.toward_frequent(bid)
    }

    /// GENIUS `chooseFinalAction`.
    fn final_action(&mut self, offer: Option<f64>, rv: f64, threshold: f64) -> Action {
        let offered_u = offer.unwrap_or(0.0);
        if self.final_index >= self.popular.len() {
            if offer.is_some() && offered_u >= rv {
                return Action::Accept;
            }
            return Action::Offer(self.bid(threshold));
        }
        let (c, cu) = self.popular[self.final_index].clone();
        if cu > offered_u && cu > rv {
            self.final_index += 1;
            return Action::Offer(c);
        }
        if offer.is_some() && offered_u > rv {
            return Action::Accept;
        }
        Action::Offer(self.bid(threshold))
    }
}

impl Negotiator for Atlas3 {
    fn act(&mut self, view: &View<'_>) -> Action {
        self.read(view);
        let t = view.time;
        self.turns += 1;
        let scale = t / f64::from(self.turns);
        let rv = view.reservation;
        let df = if self.negolog {
            1.0
        } else {
            self.own.setup.discount.unwrap_or(1.0)
        };
        let c = if self.own.setup.negotiators == 2 {
            self.best_offered
        } else {
            self.popular.first().map_or(0.0, |p| p.1)
        };
        let threshold = Self::threshold(t, rv, df, c);
        // The offer on the table, when another party made it.
        let offer = view
            .last_offer()
            .filter(|(actor, _)| *actor != self.own.setup.index)
            .map(|(_, o)| self.own.setup.utility_of(o));
        if t > 1.0 - scale * (self.popular.len() as f64 + 1.0) {
            return self.final_action(offer, rv, threshold);
        }
        if offer.is_some_and(|u| u >= threshold && u >= rv) {
            return Action::Accept;
        }
        if !self.negolog && rv * df.powf(t) >= threshold {
            return Action::End;
        }
        Action::Offer(self.bid(threshold))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use zopa_core::{AdditiveUtility, Evaluator, Issue, UtilityFunction};

    use super::*;
    use crate::session::{Deadline, Move};

    #[test]
    fn threshold_falls_with_time_and_respects_the_opponents_best_offer() {
        let early = Atlas3::threshold(0.1, 0.0, 1.0, 0.5);
        let late = Atlas3::threshold(0.9, 0.0, 1.0, 0.5);
        assert!(early > late && late >= 0.5, "{early} {late}");
        assert!(Atlas3::threshold(1.0, 0.0, 1.0, 0.7) >= 0.7);
        // At t = 1 the threshold is the target: rv = 0, C = 0.5, so A11 = 0, A12 = 1, A21 = 0.5,
        // A22 = 0.75, q = 1/(1 + 0.5/0.25) = 1/3 (GENIUS's q; NegoLog's GitHub port divides
        // A12 by A22), target = 2/3.
        assert!((Atlas3::threshold(1.0, 0.0, 1.0, 0.5) - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn with_a_high_reservation_value_genius_walks_away_and_negologs_port_does_not() {
        // rv = 0.9, df = 0.5, no offer yet: at t = 0.4 rv·df^t ≈ 0.68 clears the threshold
        // max(1 − 0.4/0.5, 0.45/0.5^0.4) ≈ 0.59. NegoLog's port fixes df = 1 and never walks.
        for (negolog, want_end) in [(false, true), (true, false)] {
            let mut s = setup(10);
            s.reservation = 0.9;
            s.discount = Some(0.5);
            let mut a = Atlas3::with(negolog, &s);
            let act = a.act(&View {
                round: 4,
                time: 0.4,
                history: &[],
                offset: 0,
                reservation: 0.9,
            });
            assert_eq!(act == Action::End, want_end, "negolog={negolog}: {act:?}");
        }
    }

    /// One issue of five values, utilities 0, 0.25, …, 1 (a second party's offers are made
    /// up by the test).
    fn setup(rounds: u32) -> Setup {
        let issues = Arc::new(vec![Issue::discrete("x", &["0", "1", "2", "3", "4"])]);
        let utility = Arc::new(UtilityFunction::Additive(AdditiveUtility {
            weights: vec![1.0],
            evaluators: vec![Evaluator::Table(vec![0.0, 0.25, 0.5, 0.75, 1.0])],
            cap_at_one: false,
        }));
        Setup {
            name: "A".into(),
            index: 1,
            negotiators: 2,
            issues: Arc::clone(&issues),
            utility: Arc::clone(&utility),
            reservation: 0.1,
            discount: None,
            cost_per_round: 0.0,
            deadline: Deadline::rounds(rounds),
            seed: 3,
            red_lines: Vec::new(),
            outcomes: Arc::new(crate::outcomes::Ranking::lazy(issues, utility, 1, 3)),
        }
    }

    fn offer(round: u32, rounds: u32, actor: usize, level: u32) -> Move {
        Move {
            round,
            time: f64::from(round) / f64::from(rounds),
            actor,
            action: Action::Offer(vec![Value::Discrete(level)]),
        }
    }

    /// Plays Atlas3 (seat 1) against the opponent's `levels`, one per round, at a 10-round
    /// deadline; its answer each round.
    fn play(levels: &[u32]) -> Vec<Action> {
        play_port(levels, false)
    }

    fn play_port(levels: &[u32], negolog: bool) -> Vec<Action> {
        let rounds = 10;
        let mut a = Atlas3::with(negolog, &setup(rounds));
        let mut history = Vec::new();
        let mut answers = Vec::new();
        for (r, &l) in levels.iter().enumerate() {
            let r = r as u32;
            history.push(offer(r, rounds, 0, l));
            let view = View {
                round: r,
                time: f64::from(r) / f64::from(rounds),
                history: &history,
                offset: 0,
                reservation: 0.1,
            };
            let act = a.act(&view);
            if let Action::Offer(o) = &act {
                history.push(Move {
                    round: r,
                    time: view.time,
                    actor: 1,
                    action: Action::Offer(o.clone()),
                });
            }
            answers.push(act);
        }
        answers
    }

    #[test]
    fn the_final_phase_reoffers_better_candidates_before_accepting() {
        // The opponent offers 0.75, then 0.25 forever: the popular list is [0.75, 0.25], and
        // the final phase starts when t > 1 − (2 + 1)·scale, scale = t / turns = 0.1·r/(r + 1):
        // in round 8 of 10.
        let answers = play(&[3, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
        // Before, the threshold stays above 0.85 (C = 0.75, rv = 0.1): it bids its best.
        for a in &answers[..8] {
            assert_eq!(*a, Action::Offer(vec![Value::Discrete(4)]));
        }
        // In the final phase it re-offers the better candidate (0.75 > 0.25 on the table)
        // instead of accepting 0.25 above its reservation value …
        assert_eq!(answers[8], Action::Offer(vec![Value::Discrete(3)]));
        // … and accepts 0.25 once the next candidate (0.25) is no better than the offer.
        assert_eq!(answers[9], Action::Accept);
        // NegoLog's port never fills its list: its final phase is its last turn alone
        // (t > 1 − scale, here never before round 10), so it keeps bidding.
        let answers = play_port(&[3, 1, 1, 1, 1, 1, 1, 1, 1, 1], true);
        assert!(
            answers.iter().all(|a| matches!(a, Action::Offer(_))),
            "{answers:?}"
        );
    }

    #[test]
    fn bids_clear_the_threshold_with_the_least_utility_a_neighbour_has() {
        let rounds = 10;
        let mut a = Atlas3::new(&setup(rounds));
        // The opponent offered value 0 (worth 0 to Atlas3) three times: the frequency list
        // proposes it, and it would lower every bid, so no bid takes it.
        let history: Vec<Move> = (0..3).map(|r| offer(r, rounds, 0, 0)).collect();
        a.read(&View {
            round: 2,
            time: 0.2,
            history: &history,
            offset: 0,
            reservation: 0.1,
        });
        assert_eq!(a.frequency[0], vec![3, 0, 0, 0, 0]);
        for threshold in [0.2, 0.5, 0.7, 0.95] {
            for _ in 0..10 {
                let bid = a.bid(threshold);
                let u = a.own.setup.utility_of(&bid);
                // One issue: every outcome is a neighbour, so the least utility ≥ threshold.
                let least = [0.0, 0.25, 0.5, 0.75, 1.0]
                    .into_iter()
                    .find(|&x| x >= threshold)
                    .unwrap();
                assert_eq!(u, least, "threshold {threshold}");
            }
        }
    }

    #[test]
    fn the_most_offered_value_replaces_its_own_when_it_costs_nothing() {
        // Two issues; the second is worth nothing to Atlas3, and the opponent always offers
        // its value 2 there: every bid carries it.
        let issues = Arc::new(vec![
            Issue::discrete("x", &["0", "1", "2", "3", "4"]),
            Issue::discrete("y", &["0", "1", "2"]),
        ]);
        let utility = Arc::new(UtilityFunction::Additive(AdditiveUtility {
            weights: vec![1.0, 0.0],
            evaluators: vec![
                Evaluator::Table(vec![0.0, 0.25, 0.5, 0.75, 1.0]),
                Evaluator::Table(vec![0.0, 0.0, 0.0]),
            ],
            cap_at_one: false,
        }));
        let mut s = setup(10);
        s.issues = Arc::clone(&issues);
        s.utility = Arc::clone(&utility);
        s.outcomes = Arc::new(crate::outcomes::Ranking::lazy(issues, utility, 1, 3));
        let mut a = Atlas3::new(&s);
        let history: Vec<Move> = (0..2)
            .map(|r| Move {
                round: r,
                time: f64::from(r) / 10.0,
                actor: 0,
                action: Action::Offer(vec![Value::Discrete(0), Value::Discrete(2)]),
            })
            .collect();
        a.read(&View {
            round: 1,
            time: 0.1,
            history: &history,
            offset: 0,
            reservation: 0.0,
        });
        for threshold in [0.3, 0.6, 0.9] {
            for _ in 0..10 {
                let bid = a.bid(threshold);
                assert_eq!(bid[1], Value::Discrete(2), "threshold {threshold}");
                assert!(a.own.setup.utility_of(&bid) >= threshold);
            }
        }
    }
}
