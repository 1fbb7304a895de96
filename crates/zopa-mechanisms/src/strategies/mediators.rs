//! Mediators for the single-text protocol.
//!
//! * `random-flipping`: GENIUS `RandomFlippingMediator`: a random first text, then the standing
//!   text with one random issue changed to another random value.
//! * `hill-climbing`: a systematic version: it tries every single-issue change of the standing
//!   text (in a seeded order, or best-for-itself first when it has preferences of its own — a
//!   biased mediator such as a great power wanting its own upside), restarts from each newly
//!   accepted text, and stops when no change is accepted: the text "cannot be improved further".
//! * `feedback`: GENIUS `FeedbackMediator`: it changes one issue value at a time, asks for
//!   better / same / worse, keeps the last text nobody found worse, and learns from each answer
//!   which value each party prefers on that issue, never retrying a change someone called worse.

use rand::seq::SliceRandom;
use rand::RngExt;
use zopa_core::{Issue, Value};

use crate::outcomes::{random_outcome, REAL_LEVELS};
use crate::protocols::mediated::{Feedback, Mediator, MediatorSetup, Response};
use crate::session::Outcome;

fn values_of(issue: &Issue) -> Vec<Value> {
    let n = issue
        .cardinality()
        .unwrap_or(u64::from(REAL_LEVELS))
        .min(1000) as u32;
    (0..n).map(|l| issue.value_at(l, n)).collect()
}

fn with(text: &Outcome, issue: usize, v: Value) -> Outcome {
    let mut t = text.clone();
    t[issue] = v;
    t
}

pub struct RandomFlipping {
    setup: MediatorSetup,
    rng: crate::Rng,
}

impl RandomFlipping {
    pub fn new(setup: &MediatorSetup) -> RandomFlipping {
        RandomFlipping {
            rng: crate::rng(setup.seed, 0),
            setup: setup.clone(),
        }
    }
}

impl Mediator for RandomFlipping {
    fn propose(&mut self, _round: u32, _time: f64, standing: Option<&Outcome>) -> Option<Outcome> {
        let issues = &self.setup.issues;
        let rng = &mut self.rng;
        let Some(base) = standing else {
            return Some(random_outcome(issues, rng));
        };
        let i = rng.random_range(0..issues.len());
        let others: Vec<Value> = values_of(&issues[i])
            .into_iter()
            .filter(|v| *v != base[i])
            .collect();
        if others.is_empty() {
            return Some(base.clone());
        }
        Some(with(base, i, others[rng.random_range(0..others.len())]))
    }

    fn observe(&mut self, _text: &Outcome, _response: &Response, _accepted: bool) {}
}

pub struct HillClimbing {
    setup: MediatorSetup,
    rng: crate::Rng,
    /// Single-issue changes of the standing text not yet tried.
    queue: Vec<Outcome>,
    base: Option<Outcome>,
    starts: u32,
}

impl HillClimbing {
    pub fn new(setup: &MediatorSetup) -> HillClimbing {
        HillClimbing {
            rng: crate::rng(setup.seed, 0),
            setup: setup.clone(),
            queue: Vec::new(),
            base: None,
            starts: 0,
        }
    }

    fn neighbours(&mut self, base: &Outcome) -> Vec<Outcome> {
        let setup = &self.setup;
        let mut out: Vec<Outcome> = Vec::new();
        for (i, issue) in setup.issues.iter().enumerate() {
            for v in values_of(issue) {
                if v != base[i] {
                    out.push(with(base, i, v));
                }
            }
        }
        out.shuffle(&mut self.rng);
        if let Some(u) = &setup.utility {
            // A mediator with interests of its own tries what suits it best first (stable: ties
            // keep the seeded order). Proposals are popped from the back.
            out.sort_by(|a, b| u.eval(a).total_cmp(&u.eval(b)));
        }
        out
    }
}

impl Mediator for HillClimbing {
    fn propose(&mut self, _round: u32, _time: f64, standing: Option<&Outcome>) -> Option<Outcome> {
        match standing {
            Some(s) if self.base.as_ref() != Some(s) => {
                self.base = Some(s.clone());
                let s = s.clone();
                self.queue = self.neighbours(&s);
            }
            None if self.queue.is_empty() => {
                // No text accepted yet: open with the mediator's own best sampled text when it
                // has preferences (first try only), else a random one; give up after 50 tries.
                self.starts += 1;
                if self.starts > 50 {
                    return None;
                }
                let (setup, rng) = (&self.setup, &mut self.rng);
                let mut first = random_outcome(&setup.issues, rng);
                if let (Some(u), 1) = (&setup.utility, self.starts) {
                    for _ in 0..200 {
                        let c = random_outcome(&setup.issues, rng);
                        if u.eval(&c) > u.eval(&first) {
                            first = c;
                        }
                    }
                }
                self.queue = vec![first];
            }
            _ => {}
        }
        self.queue.pop()
    }

    fn observe(&mut self, _text: &Outcome, _response: &Response, _accepted: bool) {}
}

/// Learned order of one party on one issue: pairs (better value, worse value).
type Learned = Vec<Vec<Vec<(Value, Value)>>>;

pub struct FeedbackMediator {
    setup: MediatorSetup,
    rng: crate::Rng,
    standing: Option<Outcome>,
    /// The change proposed last: (issue, from, to).
    last_change: Option<(usize, Value, Value)>,
    /// Changes tried from the current standing text.
    tried: Vec<(usize, Value)>,
    learned: Learned,
}

impl FeedbackMediator {
    pub fn new(setup: &MediatorSetup) -> FeedbackMediator {
        FeedbackMediator {
            rng: crate::rng(setup.seed, 0),
            learned: vec![vec![Vec::new(); setup.issues.len()]; setup.voters],
            setup: setup.clone(),
            standing: None,
            last_change: None,
            tried: Vec::new(),
        }
    }
}

impl Mediator for FeedbackMediator {
    fn wants_feedback(&self) -> bool {
        true
    }

    fn propose(&mut self, _round: u32, _time: f64, _standing: Option<&Outcome>) -> Option<Outcome> {
        let (setup, rng) = (&self.setup, &mut self.rng);
        let Some(base) = self.standing.clone() else {
            self.last_change = None;
            return Some(random_outcome(&setup.issues, rng));
        };
        let mut options: Vec<(usize, Value)> = Vec::new();
        for (i, issue) in setup.issues.iter().enumerate() {
            for v in values_of(issue) {
                let known_worse = self.learned.iter().any(|l| l[i].contains(&(base[i], v)));
                if v != base[i] && !known_worse && !self.tried.contains(&(i, v)) {
                    options.push((i, v));
                }
            }
        }
        if options.is_empty() {
            return None;
        }
        let (i, v) = options[rng.random_range(0..options.len())];
        self.tried.push((i, v));
        self.last_change = Some((i, base[i], v));
        Some(with(&base, i, v))
    }

    fn observe(&mut self, text: &Outcome, response: &Response, accepted: bool) {
        if let (Some((i, from, to)), Response::Feedback(fb)) = (self.last_change, response) {
            for (p, f) in fb.iter().enumerate() {
                match f {
                    Feedback::Better => self.learned[p][i].push((to, from)),
                    Feedback::Worse => self.learned[p][i].push((from, to)),
                    Feedback::Same => {}
                }
            }
        }
        if accepted {
            self.standing = Some(text.clone());
            self.tried.clear();
        }
    }
}
