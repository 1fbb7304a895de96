//! Acceptance conditions (GENIUS `boaframework/acceptanceconditions/other/`; Baarslag et al.,
//! "Acceptance conditions in automated negotiation").

/// When to accept the opponent's offer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Acceptance {
    /// AC_next(a, b): accept iff a·U(offer) + b ≥ U(my next bid).
    Next { a: f64, b: f64 },
    /// AC_const(c): accept iff U(offer) ≥ c.
    Const(f64),
    /// AC_time(T): accept iff t > T.
    Time(f64),
    /// AC_combi(T) as GENIUS has it: AC_next(1, 0) or t ≥ T.
    Combi(f64),
    /// AC_combi(T, MAX^W): AC_next; else, from T on, accept iff U(offer) ≥ the best utility
    /// received in the window [t − (1 − t), t].
    CombiMaxInWindow(f64),
}

/// What an acceptance condition looks at.
#[derive(Debug, Clone, Copy)]
pub struct Situation<'a> {
    pub time: f64,
    /// Own utility of the offer on the table.
    pub offer: f64,
    /// Own utility of the bid the negotiator would make next.
    pub next_bid: f64,
    /// (time, own utility) of every offer received, oldest first.
    pub received: &'a [(f64, f64)],
}

impl Acceptance {
    pub fn name(&self) -> String {
        match *self {
            Acceptance::Next { a, b } => format!("next(a={a},b={b})"),
            Acceptance::Const(c) => format!("const(c={c})"),
            Acceptance::Time(t) => format!("time(t={t})"),
            Acceptance::Combi(t) => format!("combi(t={t})"),
            Acceptance::CombiMaxInWindow(t) => format!("maxw(t={t})"),
        }
    }

    pub fn accepts(&self, s: &Situation<'_>) -> bool {
        let next = |a: f64, b: f64| a * s.offer + b >= s.next_bid;
        match *self {
            Acceptance::Next { a, b } => next(a, b),
            Acceptance::Const(c) => s.offer >= c,
            Acceptance::Time(t) => s.time > t,
            Acceptance::Combi(t) => next(1.0, 0.0) || s.time >= t,
            Acceptance::CombiMaxInWindow(t) => {
                if next(1.0, 0.0) {
                    return true;
                }
                if s.time < t {
                    return false;
                }
                let from = s.time - (1.0 - s.time);
                let best = s
                    .received
                    .iter()
                    .filter(|(at, _)| *at >= from)
                    .map(|(_, u)| *u)
                    .fold(f64::NEG_INFINITY, f64::max);
                s.offer >= best
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(time: f64, offer: f64, next_bid: f64, received: &[(f64, f64)]) -> Situation<'_> {
        Situation {
            time,
            offer,
            next_bid,
            received,
        }
    }

    #[test]
    fn each_condition_accepts_exactly_when_its_rule_says() {
        let none: &[(f64, f64)] = &[];
        let next = Acceptance::Next { a: 1.0, b: 0.0 };
        assert!(next.accepts(&at(0.1, 0.7, 0.7, none)));
        assert!(!next.accepts(&at(0.1, 0.69, 0.7, none)));
        let scaled = Acceptance::Next { a: 1.02, b: 0.0 };
        assert!(scaled.accepts(&at(0.1, 0.69, 0.7, none)));
        assert!(Acceptance::Const(0.9).accepts(&at(0.0, 0.9, 1.0, none)));
        assert!(!Acceptance::Const(0.9).accepts(&at(0.99, 0.89, 0.0, none)));
        assert!(!Acceptance::Time(0.99).accepts(&at(0.99, 1.0, 0.0, none)));
        assert!(Acceptance::Time(0.99).accepts(&at(0.991, 0.0, 1.0, none)));
        assert!(Acceptance::Combi(0.98).accepts(&at(0.98, 0.0, 1.0, none)));
        assert!(!Acceptance::Combi(0.98).accepts(&at(0.97, 0.5, 1.0, none)));
        // Window at t = 0.99 is [0.98, 0.99]: the 0.8 received at 0.5 is outside it.
        let received = [(0.5, 0.8), (0.985, 0.6)];
        let maxw = Acceptance::CombiMaxInWindow(0.98);
        assert!(maxw.accepts(&at(0.99, 0.6, 1.0, &received)));
        assert!(!maxw.accepts(&at(0.99, 0.59, 1.0, &received)));
        assert!(!maxw.accepts(&at(0.97, 0.99, 1.0, &received)));
    }
}
