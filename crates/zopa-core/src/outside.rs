//! Outside options: what a party gets without a deal.
//!
//! A party's reservation value is either a number ([`OutsideOption::Fixed`]) or the expected
//! utility of a model of the no-deal path ([`OutsideOption::NoDeal`]): a war that goes on.
//! Threats, aid and battlefield news then move the model's parameters (events with
//! [`ReservationChange::Model`]) and the reservation value follows; every consumer still
//! reads the number, [`crate::Party::reservation_value`].
//!
//! # The no-deal path as a Markov chain
//!
//! Each period of war ends in one of three ways: the party prevails (probability `prevail`),
//! the other side prevails (`lose`), or the war goes on (1 − prevail − lose). Each period
//! fought costs the party `cost`; prevailing is worth `win` to it, losing `loss`. That is a
//! Markov chain with one transient state (fighting) and two absorbing ones. Let V be the
//! expected utility at the start of a period of fighting; the chain has no memory, so the same
//! V holds at the start of the next period:
//!
//! ```text
//! V = −cost + prevail·win + lose·loss + (1 − prevail − lose)·V
//! ⇒ V = (prevail·win + lose·loss − cost) / (prevail + lose)
//! ```
//!
//! Read another way: with q = prevail + lose, the number of periods fought is geometric,
//! P(N = n) = (1 − q)^(n−1)·q, with E[N] = 1/q; the side that prevails is independent of N,
//! the party with probability prevail/q. So V = (prevail/q)·win + (lose/q)·loss − cost/q.
//! With q = 0 the war never ends: V is −∞ when it costs anything and undefined when it costs
//! nothing, so such a model is refused ([`NoDeal::check`]).
//!
//! Fearon's one-shot war ("Rationalist explanations for war", 1995) is the special case of
//! one decisive period: q = 1, prevail = p, lose = 1 − p, V = p·win + (1 − p)·loss − cost
//! ([`NoDealForm::OneShot`]).
//!
//! Values are computed in exact arithmetic where the numbers are short decimals or small
//! fractions, then rounded once (as analysis adds utilities), so that `p = 0.4, cost = 0.15`
//! gives exactly 0.25 and a Markov model with prevail + lose = 1 gives bit for bit the value
//! of the one-shot model with p = prevail.

use std::fmt;

use crate::analysis::exact;

/// What a party gets without a deal: a number, or a model whose expected utility is the
/// number.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum OutsideOption {
    /// A reservation value given as a number (`reservation = 0.45`).
    Fixed(f64),
    /// The expected utility of the no-deal path (`[parties.no_deal]`).
    NoDeal(NoDeal),
}

impl OutsideOption {
    /// The reservation value: the number, or the model's expected utility.
    pub fn value(&self) -> f64 {
        match self {
            OutsideOption::Fixed(v) => *v,
            OutsideOption::NoDeal(m) => m.value(),
        }
    }

    /// The model of the no-deal path, when the value comes from one.
    pub fn model(&self) -> Option<&NoDeal> {
        match self {
            OutsideOption::Fixed(_) => None,
            OutsideOption::NoDeal(m) => Some(m),
        }
    }
}

impl From<f64> for OutsideOption {
    fn from(v: f64) -> OutsideOption {
        OutsideOption::Fixed(v)
    }
}

/// How the war of a no-deal model ends.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum NoDealForm {
    /// Each period the party prevails with probability `prevail`, the other side with `lose`,
    /// or the war goes on; `cost` is paid each period.
    Markov { prevail: f64, lose: f64 },
    /// Fearon's one-shot war: one decisive period, won with probability `p`; `cost` is the
    /// war's whole cost.
    OneShot { p: f64 },
}

impl NoDealForm {
    /// The form's name in JSON output: `markov` (a war of periods) or `one_shot`.
    pub fn as_str(&self) -> &'static str {
        match self {
            NoDealForm::Markov { .. } => "markov",
            NoDealForm::OneShot { .. } => "one_shot",
        }
    }
}

/// A model of the no-deal path: a war that goes on until one side prevails. Its expected
/// utility ([`NoDeal::value`]) is the party's reservation value.
///
/// ```
/// use zopa_core::NoDeal;
/// // 2 % a period of prevailing, 1 % of losing, 0.004 a period of war: 33⅓ periods on
/// // average, prevailing with probability 2/3.
/// let war = NoDeal::markov(0.02, 0.01, 0.004);
/// assert!((war.value() - (0.02 - 0.004) / 0.03).abs() < 1e-15);
/// assert!((war.p_prevail() - 2.0 / 3.0).abs() < 1e-15);
/// // Fearon's one-shot war: p·win + (1 − p)·loss − cost.
/// assert_eq!(NoDeal::one_shot(0.6, 0.1).value(), 0.5);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct NoDeal {
    pub form: NoDealForm,
    /// Utility lost per period of war (the one-shot war: in its one period).
    pub cost: f64,
    /// Utility of prevailing, on the party's own utility scale (default 1: its ideal outcome).
    pub win: f64,
    /// Utility of losing (default 0: its worst outcome).
    pub loss: f64,
}

impl NoDeal {
    /// `win` when a scenario does not set it: the party's ideal outcome on zopa's 0–1 scale.
    pub const DEFAULT_WIN: f64 = 1.0;
    /// `loss` when a scenario does not set it: the party's worst outcome.
    pub const DEFAULT_LOSS: f64 = 0.0;

    /// A war that ends each period with probability `prevail` (the party prevails) or `lose`
    /// (the other side does), costing `cost` a period; `win` 1, `loss` 0.
    pub fn markov(prevail: f64, lose: f64, cost: f64) -> NoDeal {
        NoDeal {
            form: NoDealForm::Markov { prevail, lose },
            cost,
            win: NoDeal::DEFAULT_WIN,
            loss: NoDeal::DEFAULT_LOSS,
        }
    }

    /// Fearon's one-shot war: won with probability `p`, costing `cost`; `win` 1, `loss` 0.
    pub fn one_shot(p: f64, cost: f64) -> NoDeal {
        NoDeal {
            form: NoDealForm::OneShot { p },
            cost,
            win: NoDeal::DEFAULT_WIN,
            loss: NoDeal::DEFAULT_LOSS,
        }
    }

    /// The probabilities that one period ends the war with the party prevailing and with it
    /// losing: `(prevail, lose)`, or `(p, 1 − p)` for the one-shot war.
    pub fn per_period(&self) -> (f64, f64) {
        match self.form {
            NoDealForm::Markov { prevail, lose } => (prevail, lose),
            NoDealForm::OneShot { p } => (p, 1.0 - p),
        }
    }

    /// The probability that the party prevails in the end: prevail / (prevail + lose).
    pub fn p_prevail(&self) -> f64 {
        match self.form {
            NoDealForm::Markov { prevail, lose } => {
                exact::share(prevail, lose).unwrap_or_else(|| prevail / (prevail + lose))
            }
            NoDealForm::OneShot { p } => p,
        }
    }

    /// The expected number of periods fought: 1 / (prevail + lose); 1 for the one-shot war.
    pub fn expected_periods(&self) -> f64 {
        match self.form {
            NoDealForm::Markov { prevail, lose } => {
                exact::reciprocal_sum(prevail, lose).unwrap_or_else(|| 1.0 / (prevail + lose))
            }
            NoDealForm::OneShot { .. } => 1.0,
        }
    }

    /// The expected utility of the no-deal path (module docs): (prevail·win + lose·loss −
    /// cost) / (prevail + lose), or p·win + (1 − p)·loss − cost. Exact where the numbers are
    /// short decimals or small fractions, correctly rounded; in floating point otherwise.
    pub fn value(&self) -> f64 {
        let (cost, win, loss) = (self.cost, self.win, self.loss);
        match self.form {
            NoDealForm::Markov { prevail, lose } => {
                exact::no_deal_value(prevail, lose, cost, win, loss)
                    .unwrap_or_else(|| (prevail * win + lose * loss - cost) / (prevail + lose))
            }
            NoDealForm::OneShot { p } => exact::one_shot_value(p, cost, win, loss)
                .unwrap_or(p * win + (1.0 - p) * loss - cost),
        }
    }

    /// The parameter `key`, or `None` when this form has none such (`p` of a Markov model).
    pub fn get(&self, key: NoDealKey) -> Option<f64> {
        match (key, self.form) {
            (NoDealKey::Prevail, NoDealForm::Markov { prevail, .. }) => Some(prevail),
            (NoDealKey::Lose, NoDealForm::Markov { lose, .. }) => Some(lose),
            (NoDealKey::P, NoDealForm::OneShot { p }) => Some(p),
            (NoDealKey::Cost, _) => Some(self.cost),
            (NoDealKey::Win, _) => Some(self.win),
            (NoDealKey::Loss, _) => Some(self.loss),
            _ => None,
        }
    }

    /// The keys of this form, in the order written: `prevail`, `lose` (or `p`), `cost`,
    /// `win`, `loss`.
    pub fn keys(&self) -> &'static [NoDealKey] {
        match self.form {
            NoDealForm::Markov { .. } => &NoDealKey::MARKOV,
            NoDealForm::OneShot { .. } => &NoDealKey::ONE_SHOT,
        }
    }

    /// The model with `change`'s parameters set. A key of the other form (`p` for a Markov
    /// model) is left out: [`NoDeal::check_change`] refuses it, and so does
    /// `Scenario::validate`.
    pub fn with(&self, change: &NoDealChange) -> NoDeal {
        let mut m = *self;
        for (key, x) in change.iter() {
            match (key, &mut m.form) {
                (NoDealKey::Prevail, NoDealForm::Markov { prevail, .. }) => *prevail = x,
                (NoDealKey::Lose, NoDealForm::Markov { lose, .. }) => *lose = x,
                (NoDealKey::P, NoDealForm::OneShot { p }) => *p = x,
                (NoDealKey::Cost, _) => m.cost = x,
                (NoDealKey::Win, _) => m.win = x,
                (NoDealKey::Loss, _) => m.loss = x,
                _ => {}
            }
        }
        m
    }

    /// Is this a model whose value is a finite number? Probabilities in [0, 1], a cost ≥ 0,
    /// finite utilities; a per-period war must be able to end (prevail + lose > 0) and cannot
    /// end more surely than certainly (prevail + lose ≤ 1).
    pub fn check(&self) -> Result<(), NoDealProblem> {
        for &key in self.keys() {
            if let Some(x) = self.get(key) {
                check_value(key, x)?;
            }
        }
        if let NoDealForm::Markov { prevail, lose } = self.form {
            let q = prevail + lose;
            if q == 0.0 {
                return Err(NoDealProblem {
                    key: None,
                    problem: "`prevail` + `lose` = 0: the war never ends, so its expected \
                              utility is −∞ (or undefined when it costs nothing)"
                        .into(),
                    fix: "give it a chance to end: make `prevail` or `lose` positive (a war \
                          that ends with 1 % a period lasts 100 periods on average)"
                        .into(),
                });
            }
            if q > 1.0 + 1e-12 {
                return Err(NoDealProblem {
                    key: None,
                    problem: format!(
                        "`prevail` + `lose` = {} is above 1: they are the probabilities that \
                         one period ends the war one way or the other",
                        crate::round_for_display(q)
                    ),
                    fix: "lower them so that prevail + lose ≤ 1 (a sum of 1 is one decisive \
                          period: write `p = …`, the one-shot war)"
                        .into(),
                });
            }
        }
        let v = self.value();
        if !v.is_finite() {
            return Err(NoDealProblem {
                key: None,
                problem: format!("the expected utility of this war, {v}, is not a finite number"),
                fix: "raise `prevail` + `lose` or scale `cost`, `win` and `loss` into [0, 1]"
                    .into(),
            });
        }
        Ok(())
    }

    /// Can an event apply `change` to this model? Each key must belong to this form and
    /// hold a value its key allows ([`NoDeal::check`] applies to whole models).
    pub fn check_change(&self, change: &NoDealChange) -> Result<(), NoDealProblem> {
        if change.is_empty() {
            return Err(NoDealProblem {
                key: None,
                problem: "the event changes no parameter of the no-deal model".into(),
                fix: format!("set at least one of {}", listing(self.keys())),
            });
        }
        for (key, x) in change.iter() {
            if self.get(key).is_none() {
                let (theirs, form) = match self.form {
                    NoDealForm::Markov { .. } => (
                        "`p`",
                        "a war that ends each period with `prevail` or `lose`",
                    ),
                    NoDealForm::OneShot { .. } => {
                        ("`prevail` and `lose`", "Fearon's one-shot war (`p`)")
                    }
                };
                return Err(NoDealProblem {
                    key: Some(key),
                    problem: format!("`{key}` is not a parameter of this party's model, {form}"),
                    fix: format!(
                        "set one of {}, or declare the party's model with {theirs}",
                        listing(self.keys())
                    ),
                });
            }
            check_value(key, x)?;
        }
        Ok(())
    }
}

impl crate::Party {
    /// Can an event apply `change` to this party? It needs a no-deal model, and the change
    /// must fit it ([`NoDeal::check_change`]). The problem's key is the change's first key.
    pub fn check_no_deal_change(&self, change: &NoDealChange) -> Result<(), NoDealProblem> {
        match self.no_deal() {
            Some(m) => m.check_change(change),
            None => {
                let keys: Vec<NoDealKey> = change.iter().map(|(k, _)| k).collect();
                Err(NoDealProblem {
                    key: keys.first().copied(),
                    problem: format!(
                        "it sets {} of a no-deal model, but `{}` has a fixed reservation value",
                        listing(&keys),
                        self.name
                    ),
                    fix: format!(
                        "declare `[parties.no_deal]` for `{}`, or move its reservation value \
                         with `shift` or `reservation`",
                        self.name
                    ),
                })
            }
        }
    }
}

/// One parameter's own range: finite, probabilities in [0, 1], a cost ≥ 0.
fn check_value(key: NoDealKey, x: f64) -> Result<(), NoDealProblem> {
    let bad = |problem: String, fix: String| {
        Err(NoDealProblem {
            key: Some(key),
            problem,
            fix,
        })
    };
    if !x.is_finite() {
        return bad(
            format!("`{key}` = {x} is not a finite number"),
            format!("write {}", key.example()),
        );
    }
    match key {
        NoDealKey::Prevail | NoDealKey::Lose | NoDealKey::P if !(0.0..=1.0).contains(&x) => bad(
            format!("`{key}` = {x} is outside [0, 1]"),
            format!("write a probability, e.g. {}", key.example()),
        ),
        NoDealKey::Cost if x < 0.0 => bad(
            format!("`cost` = {x} is negative"),
            "a war costs utility: write `cost = 0` for one that costs nothing, and put what \
             the party gains by fighting into `win`"
                .into(),
        ),
        _ => Ok(()),
    }
}

/// Keys for people: `` `a`, `b` or `c` ``.
fn listing(keys: &[NoDealKey]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

impl fmt::Display for NoDeal {
    /// `prevail 2 %/period, lose 1 %/period, cost 0.004/period`, or `p 60 % (one decisive
    /// war), cost 0.1`; then `win` and `loss` when they are not 1 and 0.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let r = crate::round_for_display;
        match self.form {
            NoDealForm::Markov { prevail, lose } => write!(
                f,
                "prevail {} %/period, lose {} %/period, cost {}/period",
                r(prevail * 100.0),
                r(lose * 100.0),
                r(self.cost)
            )?,
            NoDealForm::OneShot { p } => write!(
                f,
                "p {} % (one decisive war), cost {}",
                r(p * 100.0),
                r(self.cost)
            )?,
        }
        if self.win != NoDeal::DEFAULT_WIN || self.loss != NoDeal::DEFAULT_LOSS {
            write!(f, ", win {}, loss {}", r(self.win), r(self.loss))?;
        }
        Ok(())
    }
}

/// A parameter of a no-deal model: the key a scenario file writes it under, in
/// `[parties.no_deal]` and in an event that moves it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NoDealKey {
    /// Probability per period that the party prevails.
    Prevail,
    /// Probability per period that the other side prevails.
    Lose,
    /// Probability that the party wins the one-shot war.
    P,
    /// Utility lost per period of war (the one-shot war: its whole cost).
    Cost,
    /// Utility of prevailing.
    Win,
    /// Utility of losing.
    Loss,
}

impl NoDealKey {
    /// Every key, in the order written.
    pub const ALL: [NoDealKey; 6] = [
        NoDealKey::Prevail,
        NoDealKey::Lose,
        NoDealKey::P,
        NoDealKey::Cost,
        NoDealKey::Win,
        NoDealKey::Loss,
    ];
    /// The keys of a per-period (Markov) model.
    pub const MARKOV: [NoDealKey; 5] = [
        NoDealKey::Prevail,
        NoDealKey::Lose,
        NoDealKey::Cost,
        NoDealKey::Win,
        NoDealKey::Loss,
    ];
    /// The keys of a one-shot model.
    pub const ONE_SHOT: [NoDealKey; 4] = [
        NoDealKey::P,
        NoDealKey::Cost,
        NoDealKey::Win,
        NoDealKey::Loss,
    ];

    /// The key as written: `prevail`, `lose`, `p`, `cost`, `win`, `loss`.
    pub fn as_str(self) -> &'static str {
        match self {
            NoDealKey::Prevail => "prevail",
            NoDealKey::Lose => "lose",
            NoDealKey::P => "p",
            NoDealKey::Cost => "cost",
            NoDealKey::Win => "win",
            NoDealKey::Loss => "loss",
        }
    }

    /// The key written `s` (exactly as [`NoDealKey::as_str`] spells it).
    pub fn parse(s: &str) -> Option<NoDealKey> {
        NoDealKey::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// A line of TOML setting this key, for fixes: `prevail = 0.02`.
    pub fn example(self) -> &'static str {
        match self {
            NoDealKey::Prevail => "`prevail = 0.02`",
            NoDealKey::Lose => "`lose = 0.01`",
            NoDealKey::P => "`p = 0.6`",
            NoDealKey::Cost => "`cost = 0.004`",
            NoDealKey::Win => "`win = 1.0`",
            NoDealKey::Loss => "`loss = 0.0`",
        }
    }
}

impl fmt::Display for NoDealKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What an event sets in a party's no-deal model: each parameter it names (the others keep
/// their current values).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct NoDealChange {
    pub prevail: Option<f64>,
    pub lose: Option<f64>,
    pub p: Option<f64>,
    pub cost: Option<f64>,
    pub win: Option<f64>,
    pub loss: Option<f64>,
}

impl NoDealChange {
    /// The value set for `key`, if any.
    pub fn get(&self, key: NoDealKey) -> Option<f64> {
        match key {
            NoDealKey::Prevail => self.prevail,
            NoDealKey::Lose => self.lose,
            NoDealKey::P => self.p,
            NoDealKey::Cost => self.cost,
            NoDealKey::Win => self.win,
            NoDealKey::Loss => self.loss,
        }
    }

    /// Sets `key` to `x`.
    pub fn set(&mut self, key: NoDealKey, x: f64) {
        let slot = match key {
            NoDealKey::Prevail => &mut self.prevail,
            NoDealKey::Lose => &mut self.lose,
            NoDealKey::P => &mut self.p,
            NoDealKey::Cost => &mut self.cost,
            NoDealKey::Win => &mut self.win,
            NoDealKey::Loss => &mut self.loss,
        };
        *slot = Some(x);
    }

    /// The parameters set, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (NoDealKey, f64)> + '_ {
        NoDealKey::ALL
            .into_iter()
            .filter_map(|k| self.get(k).map(|x| (k, x)))
    }

    /// Does it set nothing?
    pub fn is_empty(&self) -> bool {
        self.iter().next().is_none()
    }
}

impl fmt::Display for NoDealChange {
    /// `prevail → 0.04, cost → 0.006`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .iter()
            .map(|(k, x)| format!("{k} → {}", crate::round_for_display(x)))
            .collect();
        f.write_str(&parts.join(", "))
    }
}

/// A no-deal model (or a change of one) that cannot be: the key at fault (`None` when the
/// problem is a combination), what is wrong and what to write instead.
#[derive(Debug, Clone, PartialEq)]
pub struct NoDealProblem {
    pub key: Option<NoDealKey>,
    pub problem: String,
    pub fix: String,
}

impl fmt::Display for NoDealProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; {}", self.problem, self.fix)
    }
}

/// How an event moves a party's reservation value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ReservationChange {
    /// The reservation value becomes this.
    Set(f64),
    /// The reservation value moves by this much (negative: the outside option worsens).
    Shift(f64),
    /// Parameters of the party's no-deal model change (battlefield news, aid, a threat); the
    /// reservation value moves by as much as the model's value does.
    Model(NoDealChange),
}

/// A party's outside option as events move it: its reservation value now and, when it has
/// one, its no-deal model now.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct OutsideState {
    pub value: f64,
    pub model: Option<NoDeal>,
}

impl OutsideState {
    /// Where a party starts: its reservation value and its model as the scenario gives them.
    pub fn of(party: &crate::Party) -> OutsideState {
        OutsideState {
            value: party.reservation_value(),
            model: party.no_deal().copied(),
        }
    }

    /// The state with the model replaced by `model`: the value moves by as much as the
    /// model's value does, so what `shift` and `reservation` events did to it stays. Without
    /// such events (and from a state without a model) the value is exactly `model.value()`.
    pub fn remodel(self, model: NoDeal) -> OutsideState {
        let offset = self.model.map_or(0.0, |old| self.value - old.value());
        OutsideState {
            value: model.value() + offset,
            model: Some(model),
        }
    }
}

impl ReservationChange {
    /// The state after the change. `Set` and `Shift` move the value and leave the model; a
    /// `Model` change sets the model's parameters and moves the value by the change in the
    /// model's value ([`OutsideState::remodel`]). A `Model` change of a party without a model
    /// changes nothing (`Scenario::validate` refuses it).
    ///
    /// ```
    /// use zopa_core::{NoDeal, NoDealChange, OutsideState, ReservationChange};
    /// let now = OutsideState { value: 0.5, model: Some(NoDeal::one_shot(0.6, 0.1)) };
    /// let news = ReservationChange::Model(NoDealChange { p: Some(0.7), ..Default::default() });
    /// let after = news.apply(now);
    /// assert_eq!(after.value, 0.6);
    /// assert_eq!(after.model, Some(NoDeal::one_shot(0.7, 0.1)));
    /// assert_eq!(ReservationChange::Shift(0.1).apply(after).model, after.model);
    /// ```
    pub fn apply(self, state: OutsideState) -> OutsideState {
        match self {
            ReservationChange::Set(v) => OutsideState { value: v, ..state },
            ReservationChange::Shift(d) => OutsideState {
                value: state.value + d,
                ..state
            },
            ReservationChange::Model(c) => match state.model {
                Some(m) => state.remodel(m.with(&c)),
                None => state,
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn change(pairs: &[(NoDealKey, f64)]) -> NoDealChange {
        let mut c = NoDealChange::default();
        for &(k, x) in pairs {
            c.set(k, x);
        }
        c
    }

    /// Each case: a model and its expected utility, by the closed form.
    #[test]
    fn values_follow_the_closed_form() {
        let with = |m: NoDeal, win: f64, loss: f64| NoDeal { win, loss, ..m };
        let cases: [(NoDeal, f64); 7] = [
            // Fearon's F1 (bargaining.md §5): A wins with 0.6 at cost 0.1, B at cost 0.15.
            (NoDeal::one_shot(0.6, 0.1), 0.5),
            (NoDeal::one_shot(0.4, 0.15), 0.25),
            // 0.016 / 0.03 = 8/15, correctly rounded.
            (NoDeal::markov(0.02, 0.01, 0.004), 8.0 / 15.0),
            (NoDeal::markov(0.05, 0.0, 0.01), 0.8),
            (with(NoDeal::markov(0.02, 0.02, 0.0), 0.9, 0.3), 0.6),
            (with(NoDeal::one_shot(0.5, 0.05), 0.8, 0.2), 0.45),
            // Floating point where a number is no short decimal: 1e-300 enters as it is.
            (NoDeal::markov(1e-300, 1e-300, 0.0), 0.5),
        ];
        for (m, expected) in cases {
            assert_eq!(m.value(), expected, "{m}");
        }
        // The chance of prevailing and the expected length, exact too: 0.04 / 0.1 is 0.4, not
        // 0.39999999999999997.
        let attrition = NoDeal::markov(0.04, 0.06, 0.015);
        assert_eq!(
            (attrition.p_prevail(), attrition.expected_periods()),
            (0.4, 10.0)
        );
        assert_eq!(NoDeal::one_shot(0.6, 0.1).per_period(), (0.6, 0.4));
    }

    #[test]
    fn markov_with_certain_end_is_the_one_shot_war() {
        for k in 0..=1000 {
            let (p, q) = (k as f64 / 1000.0, (1000 - k) as f64 / 1000.0);
            for (cost, win, loss) in [(0.1, 1.0, 0.0), (0.037, 0.9, 0.15), (0.0, 0.5, 0.5)] {
                let markov = NoDeal {
                    win,
                    loss,
                    ..NoDeal::markov(p, q, cost)
                };
                let one_shot = NoDeal {
                    win,
                    loss,
                    ..NoDeal::one_shot(p, cost)
                };
                assert_eq!(markov.value(), one_shot.value(), "p = {p}");
                assert_eq!(markov.check(), Ok(()));
            }
        }
    }

    /// The expected utility by simulating the chain's distribution: Σ over periods n of
    /// P(war still on at n) · (prevail·win + lose·loss − cost).
    #[test]
    fn the_closed_form_sums_the_chain() {
        for m in [
            NoDeal::markov(0.02, 0.01, 0.004),
            NoDeal::markov(0.3, 0.5, 0.05),
            NoDeal {
                win: 0.7,
                loss: 0.2,
                ..NoDeal::markov(0.1, 0.05, 0.01)
            },
        ] {
            let (prevail, lose) = m.per_period();
            let (mut on, mut sum, mut periods) = (1.0, 0.0, 0.0);
            for _ in 0..20_000 {
                sum += on * (prevail * m.win + lose * m.loss - m.cost);
                periods += on;
                on *= 1.0 - prevail - lose;
            }
            assert!((sum - m.value()).abs() < 1e-9, "{m}: {sum}");
            assert!((periods - m.expected_periods()).abs() < 1e-9, "{m}");
            assert!(
                (m.p_prevail() - prevail / (prevail + lose)).abs() < 1e-15,
                "{m}"
            );
        }
    }

    /// Each case: a model and the problem it has, or `None`.
    #[test]
    fn models_that_cannot_be_are_refused() {
        let cases: Vec<(NoDeal, Option<&str>)> = vec![
            (NoDeal::markov(0.02, 0.01, 0.004), None),
            (NoDeal::markov(0.6, 0.4, 0.1), None),
            (NoDeal::one_shot(1.0, 0.0), None),
            (
                NoDeal::markov(0.0, 0.0, 0.004),
                Some("`prevail` + `lose` = 0: the war never ends, so its expected utility is −∞ (or undefined when it costs nothing); give it a chance to end: make `prevail` or `lose` positive (a war that ends with 1 % a period lasts 100 periods on average)"),
            ),
            (
                NoDeal::markov(0.7, 0.5, 0.1),
                Some("`prevail` + `lose` = 1.2 is above 1: they are the probabilities that one period ends the war one way or the other; lower them so that prevail + lose ≤ 1 (a sum of 1 is one decisive period: write `p = …`, the one-shot war)"),
            ),
            (
                NoDeal::markov(1.2, 0.0, 0.1),
                Some("`prevail` = 1.2 is outside [0, 1]; write a probability, e.g. `prevail = 0.02`"),
            ),
            (
                NoDeal::one_shot(0.5, -0.1),
                Some("`cost` = -0.1 is negative; a war costs utility: write `cost = 0` for one that costs nothing, and put what the party gains by fighting into `win`"),
            ),
            (
                NoDeal { win: f64::NAN, ..NoDeal::one_shot(0.5, 0.1) },
                Some("`win` = NaN is not a finite number; write `win = 1.0`"),
            ),
            (
                NoDeal::markov(f64::from_bits(1), 0.0, 1.0),
                Some("the expected utility of this war, -inf, is not a finite number; raise `prevail` + `lose` or scale `cost`, `win` and `loss` into [0, 1]"),
            ),
        ];
        for (m, expected) in cases {
            let got = m.check().err().map(|e| e.to_string());
            assert_eq!(got.as_deref(), expected, "{m:?}");
        }
    }

    #[test]
    fn changes_set_parameters_of_the_models_form() {
        let war = NoDeal::markov(0.02, 0.01, 0.004);
        let c = change(&[(NoDealKey::Prevail, 0.04), (NoDealKey::Cost, 0.006)]);
        assert_eq!(war.check_change(&c), Ok(()));
        assert_eq!(war.with(&c), NoDeal::markov(0.04, 0.01, 0.006));
        assert_eq!(c.to_string(), "prevail → 0.04, cost → 0.006");
        let p = change(&[(NoDealKey::P, 0.7)]);
        assert_eq!(
            war.check_change(&p).unwrap_err().to_string(),
            "`p` is not a parameter of this party's model, a war that ends each period with \
             `prevail` or `lose`; set one of `prevail`, `lose`, `cost`, `win` or `loss`, or \
             declare the party's model with `p`"
        );
        assert_eq!(war.with(&p), war, "a key of the other form is left out");
        assert_eq!(
            war.check_change(&change(&[(NoDealKey::Lose, -0.5)]))
                .unwrap_err()
                .key,
            Some(NoDealKey::Lose)
        );
        assert_eq!(
            war.check_change(&NoDealChange::default())
                .unwrap_err()
                .problem,
            "the event changes no parameter of the no-deal model"
        );
        let fearon = NoDeal::one_shot(0.6, 0.1);
        assert_eq!(
            fearon
                .check_change(&change(&[(NoDealKey::Prevail, 0.5)]))
                .unwrap_err()
                .fix,
            "set one of `p`, `cost`, `win` or `loss`, or declare the party's model with \
             `prevail` and `lose`"
        );
    }

    #[test]
    fn changes_move_the_value_and_keep_shifts() {
        let war = NoDeal::markov(0.02, 0.01, 0.004);
        let start = OutsideState {
            value: war.value(),
            model: Some(war),
        };
        let news = ReservationChange::Model(change(&[(NoDealKey::Prevail, 0.04)]));
        let after = news.apply(start);
        // (0.04 − 0.004) / 0.05 = 0.72, exactly the new model's value.
        assert_eq!(after.value, 0.72);
        let shifted = ReservationChange::Shift(0.1).apply(start);
        let after_shift = news.apply(shifted);
        assert!((after_shift.value - 0.82).abs() < 1e-15);
        assert_eq!(after_shift.model, after.model);
        assert_eq!(ReservationChange::Set(0.3).apply(start).model, Some(war));
        let fixed = OutsideState {
            value: 0.4,
            model: None,
        };
        assert_eq!(news.apply(fixed), fixed);
    }

    #[test]
    fn keys_are_spelled_once() {
        for k in NoDealKey::ALL {
            assert_eq!(NoDealKey::parse(k.as_str()), Some(k));
        }
        assert_eq!(NoDealKey::parse("Prevail"), None);
        let war = NoDeal::markov(0.02, 0.01, 0.004);
        assert_eq!(
            war.to_string(),
            "prevail 2 %/period, lose 1 %/period, cost 0.004/period"
        );
        let fearon = NoDeal {
            win: 0.9,
            ..NoDeal::one_shot(0.6, 0.1)
        };
        assert_eq!(
            fearon.to_string(),
            "p 60 % (one decisive war), cost 0.1, win 0.9, loss 0"
        );
        assert_eq!(
            war.keys().iter().filter_map(|&k| war.get(k)).count(),
            5,
            "every key of the form has a value"
        );
    }
}
