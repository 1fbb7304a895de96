//! The bargaining mediator: it drafts the Nash (or Kalai–Smorodinsky) point of the parties'
//! interests, as it learned them in caucus, relative to their outside options *as currently
//! stated* — so a threat, an event or a bluff that moves an outside option moves the draft.
//! With a round deadline and costs of delay, the disagreement point is each party's inside
//! option over the rounds left (its stated outside option less its cost of the remaining
//! delay), outside options acting as constraints (Binmore, Rubinstein & Wolinsky 1986): the
//! side that can wait longer gets more.
//!
//! The point is computed exactly by zopa's analysis (`zopa_core::analysis`), again whenever a
//! stated outside option moves and whenever a tenth of the deadline has passed. Where no
//! outcome gives every party its stated outside option it has nothing to propose and stops.

use zopa_core::analysis::{analyze, AnalysisConfig, Definitions};
use zopa_core::{Party, Role, Scenario};

use crate::protocols::mediated::{Brief, Mediator, MediatorSetup, Response};
use crate::session::Outcome;

/// Which bargaining solution the mediator drafts toward.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Point {
    Nash,
    KalaiSmorodinsky,
}

pub struct BargainingMediator {
    point: Point,
    /// Counts its own stake as one more party's (a biased mediator: the scenario's mediator
    /// party, at its outside option).
    biased: bool,
    setup: MediatorSetup,
    /// Stated outside options and rounds left when the target was last computed.
    known: Option<(Vec<f64>, Option<u32>)>,
    target: Option<Outcome>,
    /// The latest brief.
    brief: Option<Brief>,
}

impl BargainingMediator {
    pub fn new(point: Point, biased: bool, setup: &MediatorSetup) -> BargainingMediator {
        BargainingMediator {
            point,
            biased: biased && setup.own.is_some(),
            setup: setup.clone(),
            known: None,
            target: None,
            brief: None,
        }
    }

    /// Does what it knows now call for a new target?
    fn stale(&self, stated: &[f64], rounds_left: Option<u32>) -> bool {
        let Some((known, left)) = &self.known else {
            return true;
        };
        let total = self.setup.deadline.rounds.unwrap_or(0);
        let moved_in_time = match (left, rounds_left) {
            (Some(a), Some(b)) => u64::from(a.abs_diff(b)) * 10 >= u64::from(total.max(1)),
            _ => false,
        };
        known.as_slice() != stated || moved_in_time
    }

    /// The bargaining point over the parties it knows, relative to `stated`.
    fn compute(&self, stated: &[f64], rounds_left: Option<u32>) -> Option<Outcome> {
        let setup = &self.setup;
        let own = self
            .setup
            .own
            .as_ref()
            .filter(|_| self.biased)
            .map(|c| (c, c.outside_option));
        let party = |c: &crate::protocols::mediated::Caucus, rv: f64, role: Role| Party {
            name: c.name.clone(),
            role,
            utility: (*c.utility).clone(),
            reservation: Some(rv.into()),
            discount: None,
            cost_per_round: Some(c.cost_per_round).filter(|&c| c != 0.0),
            description: None,
            capability: None,
            salience: None,
            red_lines: c.red_lines.clone(),
            controls: c.controls.clone(),
        };
        let mut parties: Vec<Party> = setup
            .parties
            .iter()
            .zip(stated.iter().copied())
            .chain(own)
            .map(|(c, rv)| party(c, rv, Role::Negotiator))
            .collect();
        let analysed = parties.len();
        // Parties outside the caucus count only through the issues they control.
        parties.extend(
            setup
                .controllers
                .iter()
                .map(|c| party(c, c.outside_option, Role::Stakeholder)),
        );
        let view = Scenario {
            ranges: zopa_core::Ranges::default(),
            name: "the mediator's view".into(),
            description: None,
            issues: (*setup.issues).clone(),
            parties,
            events: Vec::new(),
            notes: Vec::new(),
            calendar: None,
            texts: Vec::new(),
            exclusions: setup.exclusions.clone(),
        };
        let mut config = AnalysisConfig::new(Definitions::Zopa);
        config.parties = Some((0..analysed).collect());
        config.horizon = rounds_left;
        // Which restriction binds is for people; the mediator needs only the point.
        config.compare_unrestricted = false;
        let analysis = analyze(&view, &config).unwrap_or_else(|e| {
            panic!("cannot compute the bargaining point of the parties' interests: {e}")
        });
        let point = match self.point {
            Point::Nash => analysis.nash,
            Point::KalaiSmorodinsky => analysis.kalai,
        };
        point.map(|p| p.outcome)
    }
}

impl Mediator for BargainingMediator {
    fn brief(&mut self, brief: &Brief) {
        self.brief = Some(brief.clone());
    }

    fn propose(&mut self, _round: u32, _time: f64, standing: Option<&Outcome>) -> Option<Outcome> {
        let (stated, rounds_left) = match &self.brief {
            Some(b) => (b.stated.clone(), b.rounds_left),
            // Without a brief (the open single-text protocol), the outside options known at
            // the start.
            None => {
                let setup = &self.setup;
                let stated = setup.parties.iter().map(|c| c.outside_option).collect();
                (stated, setup.deadline.rounds)
            }
        };
        if self.stale(&stated, rounds_left) {
            self.target = match self.setup.cache.clone() {
                Some(cache) => {
                    let mut names: Vec<String> =
                        self.setup.parties.iter().map(|c| c.name.clone()).collect();
                    if self.biased {
                        names.extend(self.setup.own.iter().map(|c| format!("{} (own)", c.name)));
                    }
                    let key = (
                        names,
                        stated.iter().map(|x| x.to_bits()).collect(),
                        rounds_left,
                        match self.point {
                            Point::Nash => "nash",
                            Point::KalaiSmorodinsky => "kalai",
                        },
                    );
                    cache.point(key, || self.compute(&stated, rounds_left))
                }
                None => self.compute(&stated, rounds_left),
            };
            self.known = Some((stated, rounds_left));
        }
        let target = self.target.clone()?;
        // A standing text at the point cannot be improved on.
        (standing != Some(&target)).then_some(target)
    }

    fn observe(&mut self, _text: &Outcome, _response: &Response, _accepted: bool) {}
}
