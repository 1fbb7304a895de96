//! Caduceus (Güneş, Arditi & Aydoğan; ANAC 2016 winner), NegoLog port `agents/Caduceus/
//! Caduceus.py` (GENIUS's 2016 `Caduceus.java` itself is not in the stored GENIUS source; its
//! experts are): a portfolio of GENIUS's ANAC 2015 agents — ParsAgent, RandomDance, Kawaii,
//! Atlas3 and Caduceus2015, zopa's `parsagent`, `randomdance`, `kawaii`, `atlas3` and
//! `caduceus2015` — with scores normalise([100, 10, 5, 3, 1]).
//!
//! Before t = 0.83 it offers its best outcome and its experts only hear the offers (they are
//! not asked to act, so their own clocks — Atlas3's turn count — start at 0.83, as in the
//! source). From t = 0.83 every expert acts: Caduceus accepts when the accepting experts
//! outscore the bidding ones, offers one bidding expert's bid drawn in proportion to its
//! score when the bidders outscore them, and its best outcome on a tie.
//!
//! Fidelity: faithful to NegoLog's port with GENIUS's experts. The experts hear the offers
//! made before 0.83 all at once, with their times, when first consulted (zopa's negotiators
//! read the moves when they act); an expert that walks away counts neither for accepting nor
//! for bidding (NegoLog's experts never walk away); Caduceus never accepts below its
//! reservation value.

use rand::RngExt;

use crate::session::{Action, Move, Negotiator, Setup, View};
use crate::strategies::{Atlas3, Caduceus2015, Kawaii, Own, ParsAgent, RandomDance};

const SCORES: [f64; 5] = [100.0, 10.0, 5.0, 3.0, 1.0];

/// From this time on the experts are consulted.
pub const CONSULT_FROM: f64 = 0.83;

pub struct Caduceus {
    experts: Vec<Box<dyn Negotiator>>,
    own: Own,
    /// Every move until the experts are first consulted (then given to them at once).
    heard: Option<Vec<Move>>,
}

/// An expert's constructor.
type Expert = fn(&Setup) -> Box<dyn Negotiator>;

/// The portfolio, in score order; expert k draws from its own stream (seed 100 + k).
const EXPERTS: [Expert; 5] = [
    |s| Box::new(ParsAgent::new(s)),
    |s| Box::new(RandomDance::new(s)),
    |s| Box::new(Kawaii::new(s)),
    |s| Box::new(Atlas3::new(s)),
    |s| Box::new(Caduceus2015::new(s)),
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
            heard: Some(Vec::new()),
        }
    }

    /// What the experts say: accept, or a bid drawn among the bidders by score.
    pub(crate) fn vote(actions: &[Action], draw: f64) -> Option<Action> {
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
        if accept > bid {
            return Some(Action::Accept);
        }
        if bid > accept {
            let mut acc = 0.0;
            for &k in &bidders {
                acc += score(k) / bid;
                if draw < acc {
                    return Some(actions[k].clone());
                }
            }
            return bidders.last().map(|&k| actions[k].clone());
        }
        None
    }
}

impl Negotiator for Caduceus {
    fn act(&mut self, view: &View<'_>) -> Action {
        if let Some(heard) = &mut self.heard {
            heard.extend_from_slice(self.own.unseen(view));
        }
        let offer = self.own.observe(view);
        let best = || self.own.best().outcome.clone();
        if view.time < CONSULT_FROM {
            return Action::Offer(best());
        }
        let actions: Vec<Action> = match self.heard.take() {
            Some(heard) => {
                let all = View {
                    history: &heard,
                    offset: 0,
                    ..*view
                };
                self.experts.iter_mut().map(|e| e.act(&all)).collect()
            }
            None => self.experts.iter_mut().map(|e| e.act(view)).collect(),
        };
        let draw = self.own.rng.random::<f64>();
        match Self::vote(&actions, draw) {
            Some(Action::Accept) => match offer {
                Some(u) if u >= view.reservation => Action::Accept,
                _ => Action::Offer(self.own.best().outcome.clone()),
            },
            Some(a) => a,
            None => Action::Offer(self.own.best().outcome.clone()),
        }
    }
}

#[cfg(test)]
mod tests {
    use zopa_core::Value;

    use super::*;

    fn offer(k: u32) -> Action {
        Action::Offer(vec![Value::Discrete(k)])
    }

    #[test]
    fn parsagent_outvotes_the_rest_and_bids_are_drawn_by_score() {
        // ParsAgent (100 of 119) accepting outvotes all the others bidding.
        let actions = [Action::Accept, offer(1), offer(2), offer(3), offer(4)];
        assert_eq!(Caduceus::vote(&actions, 0.5), Some(Action::Accept));
        // Bidding, it is drawn with probability 100/119.
        let actions = [offer(0), Action::Accept, offer(2), offer(3), offer(4)];
        assert_eq!(Caduceus::vote(&actions, 0.0), Some(offer(0)));
        assert_eq!(
            Caduceus::vote(&actions, 100.0 / 109.0 - 1e-9),
            Some(offer(0))
        );
        assert_eq!(
            Caduceus::vote(&actions, 100.0 / 109.0 + 1e-9),
            Some(offer(2))
        );
        assert_eq!(Caduceus::vote(&actions, 0.999_999), Some(offer(4)));
    }

    #[test]
    fn it_offers_its_best_until_the_experts_are_consulted() {
        let setup = crate::strategies::test_setup(&[4, 4], 0.0, 100);
        let mut c = Caduceus::new(&setup);
        let best = c.own.best().outcome.clone();
        let mut history = Vec::new();
        for r in 0..100u32 {
            let t = f64::from(r) / 100.0;
            history.push(Move {
                round: r,
                time: t,
                actor: 1,
                action: Action::Offer(vec![Value::Discrete(0), Value::Discrete(r % 4)]),
            });
            let view = View {
                round: r,
                time: t,
                history: &history,
                offset: 0,
                reservation: 0.0,
            };
            let act = c.act(&view);
            if t < CONSULT_FROM {
                assert_eq!(act, Action::Offer(best.clone()), "round {r}");
                assert!(c.heard.as_ref().is_some_and(|h| h.len() == history.len()));
            } else {
                assert!(c.heard.is_none(), "the experts heard every offer at 0.83");
            }
            if let Action::Offer(o) = act {
                history.push(Move {
                    round: r,
                    time: t,
                    actor: 0,
                    action: Action::Offer(o),
                });
            }
        }
    }
}
