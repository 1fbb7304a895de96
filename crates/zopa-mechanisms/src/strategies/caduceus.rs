//! Caduceus (Güneş, Arditi & Aydoğan; ANAC 2016 winner), NegoLog port `agents/Caduceus/`, as
//! summarised in `strategies.md` §1.7: a portfolio of experts with fixed scores
//! normalise([100, 10, 5, 3, 1]). Before t = 0.83 it offers its best outcome; after, every
//! expert acts and Caduceus accepts when the accepting experts outscore the bidding ones,
//! otherwise it offers one bidding expert's bid, drawn in proportion to its score.
//!
//! Adaptation: the 2016 experts (ParsAgent, RandomDance, Kawaii, Atlas3, Caduceus2015) are
//! not all available, so the portfolio is zopa's own atlas3, hardheaded, cuhkagent, agentk and
//! boulware, in that score order. Every expert sees every turn, so each keeps its own state.

use rand::RngExt;

use crate::session::{Action, Negotiator, Setup, View};
use crate::strategies::{
    AgentK, Atlas3, CuhkAgent, HardHeaded, Own, TimeDependent, TimeDependentConfig,
};

const SCORES: [f64; 5] = [100.0, 10.0, 5.0, 3.0, 1.0];

pub struct Caduceus {
    experts: Vec<Box<dyn Negotiator>>,
    own: Own,
}

/// An expert's constructor.
type Expert = fn(&Setup) -> Box<dyn Negotiator>;

/// The portfolio, in score order; expert k draws from its own stream (seed 100 + k).
const EXPERTS: [Expert; 5] = [
    |s| Box::new(Atlas3::new(s)),
    |s| Box::new(HardHeaded::new(s)),
    |s| Box::new(CuhkAgent::new(s)),
    |s| Box::new(AgentK::new(s)),
    |s| Box::new(TimeDependent::new(TimeDependentConfig::new(0.2), s)),
];

impl Caduceus {
    pub fn new(setup: &Setup) -> Caduceus {
        let experts = EXPERTS
            .iter()
            .enumerate()
            .map(|(k, expert)| {
                let mut s = setup.clone();
                s.seed = crate::protocols::derive_seed(setup.seed, 100 + k as u64);
                expert(&s)
            })
            .collect();
        Caduceus {
            experts,
            own: Own::new(setup),
        }
    }
}

impl Negotiator for Caduceus {
    fn act(&mut self, view: &View<'_>) -> Action {
        let actions: Vec<Action> = self.experts.iter_mut().map(|e| e.act(view)).collect();
        let own = &mut self.own;
        let offer_u = own.observe(view);
        if view.time < 0.83 {
            return Action::Offer(own.best().outcome.clone());
        }
        let total: f64 = SCORES.iter().sum();
        let score = |k: usize| SCORES[k] / total;
        let accept: f64 = (0..actions.len())
            .filter(|&k| actions[k] == Action::Accept)
            .map(score)
            .sum();
        let bidders: Vec<usize> = (0..actions.len())
            .filter(|&k| matches!(actions[k], Action::Offer(_)))
            .collect();
        let bid: f64 = bidders.iter().map(|&k| score(k)).sum();
        if offer_u.is_some_and(|u| u >= view.reservation) && accept > bid {
            return Action::Accept;
        }
        if bidders.is_empty() {
            return Action::Offer(own.best().outcome.clone());
        }
        let mut draw = own.rng.random::<f64>() * bid;
        for &k in &bidders {
            draw -= score(k);
            if draw <= 0.0 {
                return actions[k].clone();
            }
        }
        actions[*bidders.last().expect("non-empty")].clone()
    }
}
