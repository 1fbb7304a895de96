//! Strategies from the literature. Each file cites its source; `docs/strategies.md` lists them
//! all with their parameters and how faithful each is.
//!
//! Every strategy is built from its typed parameters and its [`Setup`] (voters too; mediators
//! from their [`MediatorSetup`](crate::protocols::mediated::MediatorSetup)), when the protocol
//! seats it: there is no half-built state. [`crate::registry`] names them.

mod agentbuyog;
mod agentgg;
mod agentk;
mod agentkn;
mod agentlg;
mod agentm;
mod agreeable;
mod ahbune;
mod aspiration;
mod atlas3;
pub mod bargaining;
mod bramagent;
mod caduceus;
mod caduceus2015;
mod caduceusdc16;
mod cuhk;
mod dona;
mod farma;
mod gahboninho;
mod gangster;
mod hardheaded;
mod hybrid;
mod iamhaggler2011;
mod iamhaggler2012;
mod inoxagent;
mod kakesoba;
mod kawaii;
mod lucky;
pub mod mediators;
mod mengwan;
mod metaagent;
mod micro;
mod negolog_time;
mod nicetitfortat;
mod nozomi;
mod omacagent;
mod parsagent;
mod parscat;
mod pokerface;
mod ponpoko;
pub(crate) mod powers;
mod random;
mod randomdance;
mod rubick;
mod saga;
mod sontag;
mod thefawkes;
mod thenegotiator;
mod thenegotiatorreloaded;
mod time_dependent;
mod tit_for_tat;
mod tmfagent;
mod value_ranks;
mod valuemodelagent;
pub mod voters;
mod whaleagent;
mod yushu;
mod yxagent;

pub use agentbuyog::AgentBuyog;
pub use agentgg::AgentGG;
pub use agentk::AgentK;
pub use agentkn::AgentKN;
pub use agentlg::AgentLg;
pub use agentm::AgentM;
pub use agreeable::AgreeableAgent2018;
pub use ahbune::AhBuNeAgent;
pub use aspiration::Aspiration;
pub use atlas3::Atlas3;
pub use bramagent::BramAgent;
pub use caduceus::Caduceus;
pub use caduceus2015::Caduceus2015;
pub use caduceusdc16::CaduceusDc16;
pub use cuhk::CuhkAgent;
pub use dona::Dona;
pub use farma::Farma;
pub use gahboninho::Gahboninho;
pub use gangster::Gangster;
pub use hardheaded::HardHeaded;
pub use hybrid::HybridAgent;
pub use iamhaggler2011::IamHaggler2011;
pub use iamhaggler2012::IamHaggler2012;
pub use inoxagent::InoxAgent;
pub use kakesoba::KakeSoba;
pub use kawaii::Kawaii;
pub use lucky::LuckyAgent2022;
pub use mengwan::MengWan;
pub use metaagent::MetaAgent;
pub use micro::Micro;
pub use negolog_time::{Bezier, NegologTimeDependent};
pub use nicetitfortat::NiceTitForTat;
pub use nozomi::Nozomi;
pub use omacagent::OmacAgent;
pub use parsagent::ParsAgent;
pub use parscat::ParsCat;
pub use pokerface::PokerFace;
pub use ponpoko::PonPoko;
pub use random::RandomNegotiator;
pub use randomdance::RandomDance;
pub use rubick::Rubick;
pub use saga::Saga;
pub use sontag::Sontag;
pub use thefawkes::TheFawkes;
pub use thenegotiator::TheNegotiator;
pub use thenegotiatorreloaded::TheNegotiatorReloaded;
pub use time_dependent::{TimeDependent, TimeDependentConfig};
pub use tit_for_tat::TitForTat;
pub use tmfagent::TmfAgent;
pub use valuemodelagent::ValueModelAgent;
pub use whaleagent::WhaleAgent;
pub use yushu::Yushu;
pub use yxagent::YxAgent;

use crate::bidding::{Bid, Span};
use crate::opponent::OpponentModel;
use crate::session::{Setup, View};

/// Most outcomes a hyper-rectangle utility's bidding order lists (larger spaces are searched
/// exactly by utility target and sampled for the rest, [`crate::bidding::Bidding::Sampled`];
/// additive utilities are exact throughout, see [`crate::bidding`]).
pub const OUTCOME_LIMIT: usize = 200_000;

/// What every bidding strategy keeps: its setup, its bidding order, its random stream, and
/// the utilities of the offers it received.
pub(crate) struct Own {
    pub setup: Setup,
    pub bids: std::sync::Arc<crate::outcomes::Ranking>,
    /// Its best and worst outcome, found on first use.
    extremes: std::sync::OnceLock<(Bid, Bid)>,
    pub rng: crate::Rng,
    /// (time, own utility) of each offer received.
    pub received: Vec<(f64, f64)>,
    /// The offers received, in the same order — all of them for strategies that look back
    /// at old offers ([`Own::keeping_bids`]); none for strategies that read only their
    /// utilities ([`Own::scores_only`]); otherwise only those of the last observation, so
    /// that memory does not grow with the length of the negotiation.
    pub received_bids: Vec<crate::session::Outcome>,
    /// How many moves of the negotiation have been read.
    seen: usize,
    /// Offers the last observation added.
    fresh: usize,
    keep: Keep,
    /// Outcome buffers of earlier observations, reused ([`Own::observe`]).
    spare: Vec<crate::session::Outcome>,
    /// Its utility made ready to score every offer it receives.
    scorer: zopa_core::Scorer,
}

/// Which of the offers it received an [`Own`] keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Keep {
    /// Every one.
    All,
    /// Those of the last observation.
    Last,
    /// None: only their utilities.
    None,
}

impl Own {
    pub fn new(setup: &Setup) -> Own {
        let rng = crate::rng(setup.seed, 0);
        let bids = std::sync::Arc::clone(&setup.outcomes);
        Own {
            setup: setup.clone(),
            bids,
            extremes: std::sync::OnceLock::new(),
            rng,
            received: Vec::with_capacity(setup.deadline.rounds_to_reserve()),
            received_bids: Vec::new(),
            seen: 0,
            fresh: 0,
            keep: Keep::Last,
            spare: Vec::new(),
            scorer: zopa_core::Scorer::new(std::sync::Arc::clone(&setup.utility)),
        }
    }

    /// [`Own::new`] for strategies that reread every offer they received (AgentK, Atlas3,
    /// MiCRO): `received_bids` keeps them all.
    pub fn keeping_bids(setup: &Setup) -> Own {
        Own {
            keep: Keep::All,
            ..Own::new(setup)
        }
    }

    /// [`Own::new`] for strategies that read only the utilities of the offers they receive
    /// (`received`), never the offers: none is copied. [`Own::fresh`] refuses to run on it.
    pub fn scores_only(setup: &Setup) -> Own {
        Own {
            keep: Keep::None,
            ..Own::new(setup)
        }
    }

    /// The offers the last [`Own::observe`] added, with (time, own utility) of each.
    pub fn fresh(&self) -> impl Iterator<Item = (&crate::session::Outcome, &(f64, f64))> {
        assert!(
            self.keep != Keep::None,
            "a strategy made with Own::scores_only read the offers it received"
        );
        let bids = &self.received_bids[self.received_bids.len() - self.fresh..];
        let received = &self.received[self.received.len() - self.fresh..];
        bids.iter().zip(received)
    }

    /// The moves of the negotiation not yet read by [`Own::observe`] (call it before).
    pub fn unseen<'a>(&self, view: &View<'a>) -> &'a [crate::session::Move] {
        let from = self
            .seen
            .saturating_sub(view.offset)
            .min(view.history.len());
        &view.history[from..]
    }

    /// Records the offers others made since its last turn; returns the own utility of the
    /// offer on the table when another party made it.
    pub fn observe(&mut self, view: &View<'_>) -> Option<f64> {
        let me = self.setup.index;
        let before = self.received.len();
        // `seen` counts moves from the start of the negotiation; the view may have dropped
        // the oldest ones (all read already).
        let from = self
            .seen
            .saturating_sub(view.offset)
            .min(view.history.len());
        // With `Keep::Last`, the offers of the last observation are overwritten in place
        // (their buffers reused: no allocation per offer).
        let keep = self.keep;
        let mut next = match keep {
            Keep::All => self.received_bids.len(),
            Keep::Last | Keep::None => 0,
        };
        for m in &view.history[from..] {
            if let crate::session::Action::Offer(o) = &m.action {
                if m.actor != me {
                    self.received.push((m.time, self.scorer.eval(o)));
                    if keep == Keep::None {
                        continue;
                    }
                    match self.received_bids.get_mut(next) {
                        Some(bid) => bid.clone_from(o),
                        None => {
                            let mut bid = self.spare.pop().unwrap_or_default();
                            bid.clone_from(o);
                            self.received_bids.push(bid);
                        }
                    }
                    next += 1;
                }
            }
        }
        if next < self.received_bids.len() {
            self.spare.extend(self.received_bids.drain(next..));
        }
        self.seen = view.offset + view.history.len();
        self.fresh = self.received.len() - before;
        let (actor, offer) = view.last_offer()?;
        if actor == me {
            return None;
        }
        // An offer by another read just now is the last one recorded.
        Some(match self.received.last() {
            Some(&(_, u)) if self.fresh > 0 => u,
            _ => self.scorer.eval(offer),
        })
    }

    /// Its best outcome.
    pub fn best(&self) -> &Bid {
        &self.extremes().0
    }

    /// Its worst outcome.
    pub fn worst(&self) -> &Bid {
        &self.extremes().1
    }

    fn extremes(&self) -> &(Bid, Bid) {
        self.extremes
            .get_or_init(|| (self.bids.best(), self.bids.worst()))
    }

    /// The outcomes of utility ≥ `u`, or the best alone when none is.
    pub fn at_least(&self, u: f64) -> Span {
        if self.best().utility >= u {
            Span::at_least(u)
        } else {
            Span::through(self.best())
        }
    }

    /// Among the outcomes in `span`, the one `model` expects the opponent to like best (ties:
    /// the one better for this negotiator).
    pub fn best_for_opponent(&self, span: &Span, model: &dyn OpponentModel) -> Option<Bid> {
        self.bids.best_for(span, model)
    }

    /// Lowest utility this negotiator will offer: its current reservation value, or the worst
    /// outcome if that is higher.
    pub fn floor(&self, view: &View<'_>) -> f64 {
        view.reservation.max(self.worst().utility)
    }

    /// The outcome nearest to `target`, never below the reservation value when some outcome
    /// meets it.
    pub fn near(&self, target: f64, view: &View<'_>) -> Bid {
        let bid = self.bids.nearest(target);
        if bid.utility < view.reservation && self.best().utility >= view.reservation {
            if let Some(rational) = self.bids.worst_at_least(view.reservation) {
                return rational;
            }
        }
        bid
    }
}

/// What a strategy derives from its bidding order alone (HardHeaded's keyed list of every
/// bid), built once per order and shared by every negotiation that reads the same order (the
/// runs of a tournament share one per scenario and party), dropped once the order is: the
/// store holds only weak references to the orders, and forgets an entry when its order is
/// gone. `tag` names what is derived (one entry per order and tag).
pub(crate) fn derived<T: Send + Sync + 'static>(
    own: &Own,
    tag: &'static str,
    build: impl FnOnce() -> T,
) -> std::sync::Arc<T> {
    use std::any::Any;
    use std::sync::{Arc, Mutex, Weak};
    type Entry = (
        Weak<crate::bidding::Bidding>,
        &'static str,
        Arc<dyn Any + Send + Sync>,
    );
    static STORE: Mutex<Vec<Entry>> = Mutex::new(Vec::new());
    let order = own.bids.shared();
    let found = {
        let mut store = STORE.lock().unwrap_or_else(|e| e.into_inner());
        store.retain(|(o, _, _)| o.strong_count() > 0);
        store
            .iter()
            .find(|(o, t, _)| *t == tag && o.upgrade().is_some_and(|o| Arc::ptr_eq(&o, &order)))
            .map(|(_, _, v)| Arc::clone(v))
    };
    if let Some(v) = found.and_then(|v| v.downcast::<T>().ok()) {
        return v;
    }
    // Built outside the lock: two negotiations starting together may both build it; the
    // first stored is kept and both are equal.
    let built = Arc::new(build());
    let mut store = STORE.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(v) = store
        .iter()
        .find(|(o, t, _)| *t == tag && o.upgrade().is_some_and(|o| Arc::ptr_eq(&o, &order)))
        .and_then(|(_, _, v)| Arc::clone(v).downcast::<T>().ok())
    {
        return v;
    }
    store.push((Arc::downgrade(&order), tag, built.clone()));
    built
}

/// A view of a negotiation not yet begun: round 0, no moves, reservation value 0.
#[cfg(test)]
pub(crate) fn opening_view() -> View<'static> {
    View {
        round: 0,
        time: 0.0,
        history: &[],
        offset: 0,
        reservation: 0.0,
    }
}

/// A test setup: issues of the given sizes, equal weights, values worth 0, 1/(n − 1), …, 1
/// in order; seat 0 of two, a round deadline.
#[cfg(test)]
pub(crate) fn test_setup(sizes: &[usize], reservation: f64, rounds: u32) -> Setup {
    use zopa_core::{AdditiveUtility, Evaluator, Issue, UtilityFunction};
    let names: Vec<Vec<String>> = sizes
        .iter()
        .map(|&n| (0..n).map(|k| k.to_string()).collect())
        .collect();
    let issues: Vec<Issue> = names
        .iter()
        .enumerate()
        .map(|(i, vs)| {
            let vs: Vec<&str> = vs.iter().map(String::as_str).collect();
            Issue::discrete(format!("i{i}"), &vs)
        })
        .collect();
    let utility = UtilityFunction::Additive(AdditiveUtility {
        weights: vec![1.0 / sizes.len() as f64; sizes.len()],
        evaluators: sizes
            .iter()
            .map(|&n| Evaluator::Table((0..n).map(|k| k as f64 / (n.max(2) - 1) as f64).collect()))
            .collect(),
        cap_at_one: false,
    });
    test_setup_over(issues, utility, reservation, rounds)
}

/// A test setup over `issues` with `utility`: seat 0 of two, a round deadline, its ranking
/// built on first use.
#[cfg(test)]
pub(crate) fn test_setup_over(
    issues: Vec<zopa_core::Issue>,
    utility: zopa_core::UtilityFunction,
    reservation: f64,
    rounds: u32,
) -> Setup {
    use std::sync::Arc;
    let (issues, utility) = (Arc::new(issues), Arc::new(utility));
    Setup {
        name: "A".into(),
        index: 0,
        negotiators: 2,
        issues: Arc::clone(&issues),
        utility: Arc::clone(&utility),
        reservation,
        discount: None,
        cost_per_round: 0.0,
        deadline: crate::session::Deadline::rounds(rounds),
        seed: 7,
        red_lines: Vec::new(),
        outcomes: Arc::new(crate::outcomes::Ranking::lazy(issues, utility, 0, 7)),
    }
}

/// The odd spaces every group of ports is driven through (besides its own very large one):
/// one outcome; one real issue with a linear evaluation, a reservation value of 0.3 and a
/// discount; 10^6 outcomes under hyper-rectangles (a sampled listing), a reservation value
/// of 0.1.
#[cfg(test)]
pub(crate) fn odd_spaces() -> [Setup; 3] {
    use zopa_core::{
        AdditiveUtility, Aggregation, ConstraintUtility, Evaluator, HyperRectangle, Issue,
        NumericEvaluator, RectangleKind, UtilityFunction,
    };
    let single = test_setup(&[1], 0.0, 30);
    let mut real = test_setup_over(
        vec![Issue::real("r", 0.0, 10.0)],
        UtilityFunction::Additive(AdditiveUtility {
            weights: vec![1.0],
            evaluators: vec![Evaluator::Numeric(NumericEvaluator::Linear {
                slope: 0.1,
                offset: 0.0,
                origin: 0.0,
                clamp: true,
            })],
            cap_at_one: false,
        }),
        0.3,
        30,
    );
    real.discount = Some(0.6);
    let nonlinear = test_setup_over(
        (0..6)
            .map(|i| Issue::integer(format!("x{i}"), 0, 9))
            .collect(),
        UtilityFunction::Constraint(ConstraintUtility {
            rectangles: vec![
                HyperRectangle {
                    kind: RectangleKind::Include,
                    utility: 70.0,
                    bounds: vec![(0, 5.0, 9.0), (1, 0.0, 4.0)],
                },
                HyperRectangle {
                    kind: RectangleKind::Include,
                    utility: 30.0,
                    bounds: vec![(2, 2.0, 7.0)],
                },
            ],
            aggregation: Aggregation::Sum,
            weight: 1.0,
            max_utility: 100.0,
        }),
        0.1,
        30,
    );
    [single, real, nonlinear]
}

/// A test negotiation: the registered strategy `name` (seat 0) against `boulware` on issues of
/// the given sizes, opposed preferences (values worth 0, 1/(n − 1), …, 1 to the first, the
/// reverse to the second), equal weights, reservation values 0, `rounds` rounds.
#[cfg(test)]
pub(crate) fn versus_boulware(name: &str, sizes: &[usize], rounds: u32) -> crate::RunResult {
    use zopa_core::{AdditiveUtility, Evaluator, Issue, Party, Role, Scenario, UtilityFunction};
    let names: Vec<Vec<String>> = sizes
        .iter()
        .map(|&n| (0..n).map(|k| format!("v{k}")).collect())
        .collect();
    let issues: Vec<Issue> = names
        .iter()
        .enumerate()
        .map(|(i, vs)| {
            let vs: Vec<&str> = vs.iter().map(String::as_str).collect();
            Issue::discrete(format!("i{i}"), &vs)
        })
        .collect();
    let party = |p: usize| Party {
        name: format!("P{p}"),
        role: Role::Negotiator,
        utility: UtilityFunction::Additive(AdditiveUtility {
            weights: vec![1.0 / sizes.len() as f64; sizes.len()],
            evaluators: sizes
                .iter()
                .map(|&n| {
                    let top = (n.max(2) - 1) as f64;
                    Evaluator::Table(
                        (0..n)
                            .map(|k| {
                                if p == 0 {
                                    k as f64 / top
                                } else {
                                    1.0 - k as f64 / top
                                }
                            })
                            .collect(),
                    )
                })
                .collect(),
            cap_at_one: false,
        }),
        reservation: None,
        discount: None,
        cost_per_round: None,
        description: None,
        capability: None,
        salience: None,
        red_lines: Vec::new(),
        controls: Vec::new(),
    };
    let scenario = Scenario {
        ranges: zopa_core::Ranges::default(),
        name: "duel".into(),
        description: None,
        issues,
        parties: vec![party(0), party(1)],
        events: Vec::new(),
        notes: Vec::new(),
        calendar: None,
        texts: Vec::new(),
        exclusions: Vec::new(),
    };
    let spec = crate::RunSpec {
        negotiators: vec![
            crate::Spec::parse(name).unwrap(),
            crate::Spec::parse("boulware").unwrap(),
        ],
        deadline: crate::Deadline::rounds(rounds),
        seed: 3,
        ..Default::default()
    };
    crate::run(&scenario, &spec).unwrap()
}

#[cfg(test)]
mod own_tests {
    use super::*;
    use crate::session::{Action, Move};
    use zopa_core::Value;

    #[test]
    fn every_keeping_reads_the_same_utilities_and_keeps_its_own_offers() {
        let setup = test_setup(&[3, 2], 0.0, 10);
        let offer = |k: usize| vec![Value::Discrete((k % 3) as u32), Value::Discrete(1)];
        let history: Vec<Move> = (0..4)
            .map(|k| Move {
                round: k as u32,
                time: k as f64 / 10.0,
                actor: 1,
                action: Action::Offer(offer(k)),
            })
            .collect();
        let view = |upto: usize| View {
            round: upto as u32,
            time: 0.0,
            history: &history[..upto],
            offset: 0,
            reservation: 0.0,
        };
        let mut all = Own::keeping_bids(&setup);
        let mut last = Own::new(&setup);
        let mut none = Own::scores_only(&setup);
        for upto in [1, 3, 4] {
            for own in [&mut all, &mut last, &mut none] {
                own.observe(&view(upto));
            }
        }
        let utilities: Vec<(f64, f64)> = (0..4)
            .map(|k| (k as f64 / 10.0, setup.utility_of(&offer(k))))
            .collect();
        for own in [&all, &last, &none] {
            assert_eq!(own.received, utilities);
        }
        assert_eq!(all.received_bids, (0..4).map(offer).collect::<Vec<_>>());
        assert_eq!(last.received_bids, vec![offer(3)]);
        assert_eq!(last.fresh().count(), 1);
        assert!(none.received_bids.is_empty());
        let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| none.fresh().count()));
        assert!(
            read.is_err(),
            "scores_only must refuse to list offers it did not keep"
        );
    }
}
