//! Nozomi (Kawaguchi's lab; ANAC 2010 third place), GENIUS `agents/anac/y2010/Nozomi/Nozomi.java`;
//! negmas-genius-agents ports it as `anac/y2010/nozomi.py`.
//!
//! It moves one issue at a time. Each turn it picks a move: approach (step its values toward
//! the opponent's, issue by issue, while its utility holds), compromise (concede on the one
//! issue that costs it least), keep, or restore (back to the bid it made that was closest to
//! the opponent's best offer). Approach when its last bid and the offer are within 0.05, and
//! always after t = 0.8; restore with probability 1/20, then with (b + 1)/20, b = 5 (t/10·100
//! rounded after 0.9); compromise when its last bid is above 105/95 of its compromise level;
//! otherwise compromise with p = ((u_last + 1 − u_offer)/2)/(1 + c/8)·u_last/0.9 (c its and the
//! opponent's runs of concessions) and keep with a share of the rest growing with the gap and
//! time. Bids are kept between the compromise level m and m·105/95 by a random issue-by-issue
//! walk; a bid below m, above m·105/95 (unless kept 20 times), below half its last bid's
//! utility or below the opponent's best offer is replaced by the restore bid. m starts at
//! 0.95 of its best, rises to the opponent's best offer, eases toward it after t = 0.9, and
//! every 3 % of time is cut when the opponent concedes less than it does (to the mean of two
//! cuts just above the opponent's best). It accepts an offer above 0.95 of its best or at least
//! its last bid, or — close enough in values (a per-issue gap of differing values and
//! evaluations) and above time-dependent shares of m, its last bid and the opponent's best —
//! earlier.
//!
//! Fidelity: adapted. A value's evaluation is its evaluator's (normalised by the table's
//! largest on discrete issues) on additive utilities, else the utility of its best outcome with
//! that value; GENIUS's quirks are kept (the average gap it compares with itself, so always
//! approaching after t = 0.8; the restore gap's evaluations taken from its last bid). Integer
//! steps stay within the issue's bounds. One seeded stream serves GENIUS's generators; it
//! never accepts below its reservation value.

use rand::RngExt;
use zopa_core::{IssueKind, UtilityFunction, Value};

use crate::session::{Action, Negotiator, Outcome, Setup, View};
use crate::strategies::Own;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Move {
    Compromise,
    Keep,
    Approach,
    Restore,
}

pub struct Nozomi {
    own: Own,
    max_u: f64,
    prev_bid: Outcome,
    restore_bid: Outcome,
    min_gap: f64,
    prev_partner: Option<Outcome>,
    max_partner: Option<Outcome>,
    max_partner_u: f64,
    max_compromise: f64,
    compromise: bool,
    update_max_partner: bool,
    continuous_compromise: i64,
    continuous_partner: i64,
    continuous_keep: i64,
    measure_t: u32,
    bid_number: u32,
    prev_average: f64,
    average: f64,
    average_partner: f64,
    prev_average_partner: f64,
}

impl Nozomi {
    pub fn new(setup: &Setup) -> Nozomi {
        let own = Own::new(setup);
        let best = own.best().clone();
        Nozomi {
            max_u: best.utility,
            prev_bid: best.outcome.clone(),
            restore_bid: best.outcome,
            min_gap: setup.issues.len() as f64,
            prev_partner: None,
            max_partner: None,
            max_partner_u: 0.0,
            max_compromise: best.utility * 0.95,
            compromise: false,
            update_max_partner: false,
            continuous_compromise: 0,
            continuous_partner: 0,
            continuous_keep: 0,
            measure_t: 1,
            bid_number: 0,
            prev_average: best.utility,
            average: 0.0,
            average_partner: 0.0,
            prev_average_partner: 0.0,
            own,
        }
    }

    fn u(&self, b: &[Value]) -> f64 {
        self.own.setup.utility_of(b)
    }

    /// A value's evaluation on issue `i` (its evaluator's, normalised on tables).
    fn eval(&self, i: usize, v: Value) -> f64 {
        match &*self.own.setup.utility {
            UtilityFunction::Additive(a) => {
                let e = &a.evaluators[i];
                let x = e.eval(v);
                match e.evaluations() {
                    Some(t) => {
                        let top = t.iter().copied().fold(0.0, f64::max);
                        if top > 0.0 {
                            x / top
                        } else {
                            x
                        }
                    }
                    None => x,
                }
            }
            _ => {
                let mut b = self.own.best().outcome.clone();
                b[i] = v;
                self.u(&b)
            }
        }
    }

    fn issue_range(&self, i: usize) -> Option<(f64, f64)> {
        match self.own.setup.issues[i].kind {
            IssueKind::Real { min, max } => Some((min, max)),
            _ => None,
        }
    }

    /// The per-issue gap of `a` and `b` (`isAccept`'s evalGap): differing values and
    /// evaluations, over 2n. `values_from` decides which bid's values are compared (GENIUS
    /// compares the restore bid's values but its last bid's evaluations).
    fn gap(&self, values_from: &[Value], evals_from: &[Value], other: &[Value]) -> f64 {
        let n = values_from.len();
        let mut gap = 0.0;
        for i in 0..n {
            let differ = match (self.issue_range(i), values_from[i], other[i]) {
                (Some((lo, hi)), Value::Real(a), Value::Real(b)) => {
                    (a - b).abs() > (hi - lo) / 100.0
                }
                _ => values_from[i] != other[i],
            };
            if differ {
                gap += 0.5;
            }
            gap += (self.eval(i, evals_from[i]) - self.eval(i, other[i])).abs();
            gap += 0.5;
        }
        gap / (2.0 * n.max(1) as f64)
    }

    /// `isAccept`.
    fn accept(&mut self, partner: &Outcome, offered: f64, t: f64) -> bool {
        let prev_u = self.u(&self.prev_bid);
        if offered > self.max_partner_u {
            self.max_partner = Some(partner.clone());
            self.max_partner_u = offered;
            self.update_max_partner = true;
        }
        if offered > self.max_u * 0.95 || offered >= prev_u {
            return true;
        }
        if self.prev_partner.is_none() {
            return false;
        }
        let gap = self.gap(&self.prev_bid, &self.prev_bid, partner);
        let mc = self.max_compromise;
        if t < 0.5 {
            offered > mc
                && offered >= self.max_partner_u
                && gap < 0.3
                && offered > prev_u * (1.0 - 0.1 * t)
        } else if t < 0.8 {
            offered > mc * 0.95
                && offered > self.max_partner_u * 0.95
                && gap < 0.35
                && offered > prev_u * (-0.16 * (t - 0.5) + 0.95)
        } else if offered > mc * 0.9 && offered > self.max_partner_u * 0.95 {
            let restore_gap = self.gap(&self.restore_bid, &self.prev_bid, partner);
            let threshold = if t > 0.9 { 0.5 } else { 0.4 };
            restore_gap <= threshold || gap <= threshold
        } else {
            false
        }
    }

    /// `getCompromiseProbability`.
    pub(crate) fn compromise_probability(
        prev_u: f64,
        prev_partner_u: f64,
        max_u: f64,
        mine: i64,
        theirs: i64,
    ) -> f64 {
        let degree = prev_u / max_u;
        let partner_degree = 1.0 - prev_partner_u / max_u;
        let continuous = (mine as f64 + theirs.abs() as f64 + 0.001) / 2.0;
        (degree + partner_degree) / 2.0 / (1.0 + continuous / 8.0) * (prev_u / (max_u * 0.9))
    }

    /// `getKeepProbability`.
    pub(crate) fn keep_probability(
        cp: f64,
        prev_u: f64,
        prev_partner_u: f64,
        max_u: f64,
        t: f64,
        mine: i64,
    ) -> f64 {
        if prev_u <= prev_partner_u {
            return 0.0;
        }
        (1.0 - cp) * (prev_u - prev_partner_u) / max_u
            * t
            * (1.0 + mine.abs() as f64 / 4.0)
            * (prev_u / (max_u * 0.8))
    }

    /// `chooseBidType`.
    fn choose_move(&mut self, partner: &Outcome, t: f64) -> Move {
        let prev_u = self.u(&self.prev_bid);
        if (prev_u - self.u(partner)).abs() < 0.05 {
            return Move::Approach;
        }
        // GENIUS compares the previous average with itself: always under 0.1.
        if t > 0.80 {
            return Move::Approach;
        }
        if self.own.rng.random_range(0..20) == 0 {
            return Move::Restore;
        }
        let border = if t > 0.9 {
            (t * 100.0 / 10.0).round() as i64
        } else {
            5
        };
        if i64::from(self.own.rng.random_range(0..20u32)) <= border {
            return Move::Restore;
        }
        if prev_u > self.max_compromise * 105.0 / 95.0 {
            return Move::Compromise;
        }
        if self.continuous_keep > 20 && t > 0.6 && self.own.rng.random::<f64>() > 0.6 {
            return Move::Approach;
        }
        let rnd: f64 = self.own.rng.random();
        let prev_partner_u = self.prev_partner.as_ref().map_or(0.0, |b| self.u(b));
        let cp = Self::compromise_probability(
            prev_u,
            prev_partner_u,
            self.max_u,
            self.continuous_compromise,
            self.continuous_partner,
        );
        let kp = Self::keep_probability(
            cp,
            prev_u,
            prev_partner_u,
            self.max_u,
            t,
            self.continuous_compromise,
        );
        if rnd < cp {
            Move::Compromise
        } else if rnd < kp + cp {
            Move::Keep
        } else {
            Move::Restore
        }
    }

    /// The value one step from `mine` toward `theirs` (`getApproachValue`), or the next lower
    /// evaluation (`getCompromiseValue`, `toward_lower`).
    fn step(&mut self, i: usize, mine: Value, theirs: Value, toward_lower: bool) -> Value {
        match (&self.own.setup.issues[i].kind, mine, theirs) {
            (IssueKind::Discrete { values, .. }, Value::Discrete(m), Value::Discrete(p)) => {
                if toward_lower {
                    let e = self.eval(i, mine);
                    let mut best: Option<(f64, u32)> = None;
                    for k in 0..values.len() as u32 {
                        let c = self.eval(i, Value::Discrete(k));
                        if c < e && best.is_none_or(|b| c >= b.0) {
                            best = Some((c, k));
                        }
                    }
                    best.map_or(mine, |b| Value::Discrete(b.1))
                } else if p < m {
                    Value::Discrete(m - 1)
                } else {
                    Value::Discrete((m + 1).min(values.len() as u32 - 1))
                }
            }
            (IssueKind::Integer { min, max }, Value::Integer(m), Value::Integer(p)) => {
                Value::Integer(if m > p { m - 1 } else { m + 1 }.clamp(*min, *max))
            }
            (IssueKind::Real { min, max }, Value::Real(m), Value::Real(p)) => {
                let r: f64 = self.own.rng.random();
                Value::Real((m + r * (p - m) / 10.0).clamp(*min, *max))
            }
            _ => mine,
        }
    }

    /// The value one evaluation step up or down (`getHigherValue` / `getLowerValue`).
    fn shift(&mut self, i: usize, value: Value, values: &Outcome, up: bool) -> Value {
        match (&self.own.setup.issues[i].kind, value) {
            (IssueKind::Discrete { values: names, .. }, Value::Discrete(_)) => {
                let e = self.eval(i, value);
                let levels = (0..names.len() as u32).map(Value::Discrete);
                let extreme = levels.clone().map(|v| (self.eval(i, v), v)).fold(
                    None,
                    |acc: Option<(f64, Value)>, (c, v)| match acc {
                        Some((a, _)) if (up && c <= a) || (!up && c >= a) => acc,
                        _ => Some((c, v)),
                    },
                );
                let Some((mut edge, mut pick)) = extreme else {
                    return value;
                };
                for v in levels {
                    let c = self.eval(i, v);
                    let between = if up {
                        c < edge && c > e
                    } else {
                        c > edge && c < e
                    };
                    if between {
                        edge = c;
                        pick = v;
                    }
                }
                pick
            }
            (IssueKind::Integer { min, max }, Value::Integer(x)) => {
                let mut down = values.clone();
                down[i] = Value::Integer((x - 1).max(*min));
                let (d, here) = (self.u(&down), self.u(values));
                let go_down = if up { d > here } else { d < here };
                Value::Integer(if go_down { x - 1 } else { x + 1 }.clamp(*min, *max))
            }
            (IssueKind::Real { min, max }, Value::Real(x)) => {
                let mut down = values.clone();
                down[i] = Value::Real(x - (x - min) / 10.0);
                let (d, here) = (self.u(&down), self.u(values));
                let go_down = if up { d > here } else { d < here };
                let r: f64 = self.own.rng.random();
                Value::Real(if go_down {
                    x - r * (x - min) / 10.0
                } else {
                    x + r * (max - x) / 10.0
                })
            }
            _ => value,
        }
    }

    /// `getBetweenBid`: a random walk of one issue at a time until the utility is strictly
    /// between `low` and `high` (1,000 steps at most).
    fn between(&mut self, basic: Outcome, partner: &Outcome, low: f64, high: f64) -> Outcome {
        let mut values = basic.clone();
        let mut utility = self.u(&basic);
        let n = values.len();
        if n == 0 {
            return basic;
        }
        for _ in 0..1000 {
            let i = self.own.rng.random_range(0..n);
            if self.prev_bid[i] == partner[i] {
                continue;
            }
            values[i] = self.shift(i, values[i], &values, utility <= high);
            utility = self.u(&values);
            if utility > low && utility < high {
                return values;
            }
        }
        basic
    }

    /// `getCompromiseBid`: the one-issue concession worth most below its last bid.
    fn compromise_bid(&mut self, partner: &Outcome) -> Outcome {
        let prev = self.prev_bid.clone();
        let basic = self.u(&prev);
        let gap = (basic - self.u(partner)).abs();
        let mut best = (0.0, prev.clone());
        for i in 0..prev.len() {
            let partner_moved = self
                .prev_partner
                .as_ref()
                .is_some_and(|b| b[i] != partner[i]);
            if (partner_moved && gap > 0.05 && self.continuous_keep < 20) || prev[i] == partner[i] {
                continue;
            }
            let mut candidate = prev.clone();
            candidate[i] = self.step(i, prev[i], partner[i], true);
            let cu = self.u(&candidate);
            if cu > best.0 && cu < basic {
                best = (cu, candidate);
            }
        }
        best.1
    }

    /// `getApproachBid`: steps toward the opponent's values, issue by issue, while its utility
    /// does not fall.
    fn approach_bid(&mut self, partner: &Outcome) -> Outcome {
        let prev = self.prev_bid.clone();
        let n = prev.len();
        let mut steps = Vec::with_capacity(n);
        for i in 0..n {
            steps.push(self.step(i, prev[i], partner[i], false));
        }
        let skip = |s: &Self, i: usize| {
            if let (Some((lo, hi)), Value::Real(a), Value::Real(b)) =
                (s.issue_range(i), prev[i], partner[i])
            {
                if (a - b).abs() < (hi - lo) / 100.0 {
                    return true;
                }
            }
            prev[i] == partner[i]
        };
        let mut approach = prev.clone();
        let mut best_u = 0.0;
        for i in 0..n {
            if skip(self, i) {
                continue;
            }
            let mut c = prev.clone();
            c[i] = steps[i];
            let cu = self.u(&c);
            if cu > best_u {
                best_u = cu;
                approach = c;
            }
        }
        loop {
            let mut best: Option<(f64, Outcome)> = None;
            for i in 0..n {
                if skip(self, i) {
                    continue;
                }
                let mut c = approach.clone();
                c[i] = steps[i];
                let cu = self.u(&c);
                if cu > best.as_ref().map_or(0.0, |b| b.0) {
                    best = Some((cu, c));
                }
            }
            match best {
                Some((cu, c)) if cu >= self.u(&approach) && c != approach => approach = c,
                _ => return approach,
            }
        }
    }

    fn bounded_approach(&mut self, partner: &Outcome) -> Outcome {
        let mc = self.max_compromise;
        let bid = self.approach_bid(partner);
        let u = self.u(&bid);
        if u < mc || u > mc * 105.0 / 95.0 {
            self.between(bid, partner, mc, mc * 105.0 / 95.0)
        } else {
            bid
        }
    }

    /// `updateRestoreBid`: the bid closest in evaluations to the opponent's best offer.
    fn update_restore(&mut self, next: &Outcome) {
        let Some(best) = self.max_partner.clone() else {
            return;
        };
        let gap: f64 = (0..next.len())
            .map(|i| (self.eval(i, next[i]) - self.eval(i, best[i])).abs())
            .sum();
        if gap < self.min_gap {
            self.restore_bid = next.clone();
            self.min_gap = gap;
        } else if gap == self.min_gap && self.u(next) > self.u(&self.restore_bid) {
            self.restore_bid = next.clone();
        }
    }

    /// `checkCompromise`, every 3 % of time.
    fn check_compromise(&mut self, time: f64) {
        let n = f64::from(self.bid_number.max(1));
        self.average /= n;
        self.average_partner /= n;
        let diff = self.prev_average - self.average;
        let partner_diff = self.average_partner - self.prev_average_partner;
        if self.compromise {
            let gap = (self.average - self.average_partner).abs();
            if partner_diff < diff * 0.90 || gap > (1.0 - time / 100.0).powi(2) * 0.90 {
                let mc = self.max_compromise;
                let p1 = (95..=100)
                    .map(|a| mc * f64::from(a) / 100.0)
                    .find(|&v| v > self.max_partner_u)
                    .unwrap_or(mc);
                let p2 = (10..1000)
                    .map(|a| mc - gap / f64::from(a))
                    .find(|&v| v > self.max_partner_u)
                    .unwrap_or(mc);
                self.max_compromise = (p1 + p2) / 2.0;
                self.prev_average = self.average;
                self.compromise = false;
            }
        } else if partner_diff > diff * 0.90 || (time > 50.0 && self.update_max_partner) {
            self.prev_average_partner = self.average_partner;
            self.compromise = true;
        }
        self.update_max_partner = false;
    }

    /// `chooseBidAction`.
    fn bid(&mut self, partner: &Outcome, t: f64) -> Outcome {
        let Some(prev_partner) = self.prev_partner.clone() else {
            self.max_partner = Some(partner.clone());
            self.max_partner_u = self.u(partner);
            self.prev_bid = self.own.best().outcome.clone();
            return self.prev_bid.clone();
        };
        self.bid_number += 1;
        let (pp, p) = (self.u(&prev_partner), self.u(partner));
        self.average_partner += p;
        if p < pp {
            self.continuous_partner = self.continuous_partner.max(0) + 1;
        } else if p > pp {
            self.continuous_partner = self.continuous_partner.min(0) - 1;
        } else {
            self.continuous_partner = 0;
        }
        let time = t * 100.0;
        if self.max_partner_u > self.max_compromise {
            self.max_compromise = self.max_partner_u;
        }
        if time > 90.0 && self.max_compromise - self.max_partner_u < 0.1 {
            self.max_compromise = (self.max_compromise * 7.0 + self.max_partner_u * 3.0) / 10.0;
        }
        if self.max_compromise > self.max_u * 0.95 {
            self.max_compromise = self.max_u * 0.95;
        }
        let mc = self.max_compromise;
        let high = mc * 105.0 / 95.0;
        let prev_u = self.u(&self.prev_bid);
        let mut next = match self.choose_move(partner, t) {
            Move::Restore => self.restore_bid.clone(),
            Move::Approach => self.bounded_approach(partner),
            Move::Compromise => {
                let mut b = self.compromise_bid(partner);
                if self.u(&b) < mc {
                    b = self.between(b, partner, mc, high);
                }
                self.continuous_compromise = self.continuous_compromise.max(0) + 1;
                b
            }
            Move::Keep => {
                self.continuous_compromise /= 2;
                self.prev_bid.clone()
            }
        };
        if self.u(&next) <= prev_u / 2.0 {
            next = self.bounded_approach(partner);
        }
        let nu = self.u(&next);
        if ((nu < mc || nu > high) && self.continuous_keep < 20)
            || nu <= prev_u / 2.0
            || nu < self.max_partner_u
        {
            next = self.restore_bid.clone();
        }
        let nu = self.u(&next);
        self.average += nu;
        if self.continuous_keep <= 0 {
            self.update_restore(&next);
        }
        if time > f64::from(self.measure_t) * 3.0 {
            self.check_compromise(time);
            self.average = 0.0;
            self.average_partner = 0.0;
            self.bid_number = 1;
            self.measure_t += 1;
        }
        if nu == prev_u {
            self.continuous_keep += 1;
        } else {
            self.continuous_keep = 0;
        }
        if self.continuous_keep > 30 && time > 90.0 {
            self.max_compromise *= 0.99;
            self.continuous_keep = 0;
        }
        self.prev_bid = next.clone();
        next
    }
}

impl Negotiator for Nozomi {
    fn act(&mut self, view: &View<'_>) -> Action {
        let offered = self.own.observe(view);
        self.own.received.clear();
        let (Some(u), Some((_, partner))) = (offered, view.last_offer()) else {
            self.prev_bid = self.own.best().outcome.clone();
            return Action::Offer(self.prev_bid.clone());
        };
        let partner = partner.clone();
        let t = view.time;
        let action = if self.accept(&partner, u, t) && u >= view.reservation {
            Action::Accept
        } else {
            Action::Offer(self.bid(&partner, t))
        };
        self.prev_partner = Some(partner);
        action
    }
}

#[cfg(test)]
mod tests {
    use super::Nozomi;

    #[test]
    fn compromise_and_keep_probabilities() {
        // At its best, facing an offer worth 0.2, no runs: ((1 + 0.8)/2)/(1 + 0.0005/8)/0.9.
        let cp = Nozomi::compromise_probability(1.0, 0.2, 1.0, 0, 0);
        assert!((cp - 0.9 / (1.0 + 0.0005 / 8.0) / 0.9).abs() < 1e-12);
        // Runs of concessions make it less likely.
        assert!(Nozomi::compromise_probability(1.0, 0.2, 1.0, 4, -4) < cp);
        // Keep: the rest, scaled by the gap, the time and u/0.8; none when the offer is better.
        let kp = Nozomi::keep_probability(0.5, 0.8, 0.4, 1.0, 0.5, 0);
        assert!((kp - 0.5 * 0.4 * 0.5 * 1.0 * (0.8 / 0.8)).abs() < 1e-12);
        assert_eq!(Nozomi::keep_probability(0.5, 0.4, 0.8, 1.0, 0.5, 0), 0.0);
    }

    #[test]
    fn it_accepts_its_own_level_and_close_offers() {
        let mut n = Nozomi::new(&crate::strategies::test_setup(&[5, 5], 0.0, 100));
        let d = zopa_core::Value::Discrete;
        // Above 0.95 of its best: accepted.
        assert!(n.accept(&vec![d(4), d(4)], 1.0, 0.1));
        // Its last bid is its best (1): an offer of 0.5 with no earlier offer is refused.
        assert!(!n.accept(&vec![d(2), d(2)], 0.5, 0.1));
    }

    #[test]
    fn it_ends_against_boulware() {
        crate::strategies::yushu::tests::ends_against_boulware("nozomi");
    }
}
