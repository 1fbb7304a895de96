//! Meta-Agent 2013 (ANAC 2013 runner-up), GENIUS `agents/anac/y2013/MetaAgent/MetaAgent.java`
//! with `AgentManager.java`, `Parser.java`, `parser/cart/` and the regression trees it ships
//! (`agentsData/agents/Data*.java`: R `rpart` trees predicting each ANAC 2012 agent's score
//! from features of the domain).
//!
//! Until another party has acted it offers its best outcome. Then it computes the domain's
//! features — its utility of the opponent's first offer, rv, df, the product of the discrete
//! issues' sizes (a Java `int`, wrapping), their mean size over all issues, the spread of
//! the issue weights, the mean and spread of its utility over all outcomes and over those at
//! least as good as the opponent's first offer — walks each agent's tree (a node's first
//! primary split: below the threshold one way, else the other) to its predicted score, and
//! hands the negotiation to the agent of the highest prediction (its upper confidence bound
//! adds the same term to every agent in a first session). The chosen agent hears the other
//! party's last move and then plays on; an offer it makes that is worth no more than rv
//! becomes a walk-away.
//!
//! The portfolio, by zopa registry name: `agentlg`, `bramagent2`, `cuhkagent`,
//! `iamhaggler2012`, `omacagent`, `thenegotiatorreloaded` (GENIUS's AgentLG, BRAMAgent2,
//! CUHKAgent, IAMhaggler2012, OMACagent, TheNegotiatorReloaded). The trees are transcribed
//! node by node (id, mean, first primary split).
//!
//! Fidelity: adapted. The agent chosen is the best predicted among those zopa registers
//! (CUHKAgent always is); ties go to the first in the list above (GENIUS: hash order); the
//! outcome statistics read the exact bidding order (GENIUS lists every outcome, integer and
//! real issues at 11 representative values), estimated from 20,000 outcomes drawn from its
//! seeded stream above 200,000 outcomes; no session memory (GENIUS's bandit learns across
//! sessions); it never accepts below rv.

use zopa_core::{Evaluator, IssueKind};

use crate::bidding::Span;
use crate::registry::{Kind, Spec};
use crate::session::{Action, Negotiator, Setup, View};
use crate::strategies::Own;

/// Outcomes listed for the statistics; above, a sample of [`SAMPLE`].
const LISTED: u128 = 200_000;
const SAMPLE: usize = 20_000;

/// The features the trees split on.
#[derive(Debug, Clone, Copy, PartialEq)]
#[allow(clippy::enum_variant_names)]
enum Feature {
    AvgSize,
    AvgUtilStdev,
    DiscountFactor,
    DomainSize,
    RelevantEU,
    RelevantStdevU,
    ReservationValue,
    UtilityOfFirstOpponentBid,
    WeightStdev,
}

/// A domain's features.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Features {
    pub avg_size: f64,
    pub avg_util_stdev: f64,
    pub discount: f64,
    pub domain_size: f64,
    pub relevant_eu: f64,
    pub relevant_stdev: f64,
    pub reservation: f64,
    pub first_offer: f64,
    pub weight_stdev: f64,
}

impl Features {
    fn get(&self, f: Feature) -> f64 {
        match f {
            Feature::AvgSize => self.avg_size,
            Feature::AvgUtilStdev => self.avg_util_stdev,
            Feature::DiscountFactor => self.discount,
            Feature::DomainSize => self.domain_size,
            Feature::RelevantEU => self.relevant_eu,
            Feature::RelevantStdevU => self.relevant_stdev,
            Feature::ReservationValue => self.reservation,
            Feature::UtilityOfFirstOpponentBid => self.first_offer,
            Feature::WeightStdev => self.weight_stdev,
        }
    }
}

/// A tree node: its mean, and for an inner node its first primary split (feature,
/// threshold, whether values below the threshold go left) and its sons.
struct Node {
    id: u32,
    mean: f64,
    split: Option<(Feature, f64, bool)>,
    left: u32,
    right: u32,
}

/// `DataAgentLG`.
const AGENTLG: &[Node] = &[
    Node {
        id: 1,
        mean: 0.0729892,
        split: Some((Feature::DomainSize, 498.0, true)),
        left: 2,
        right: 3,
    },
    Node {
        id: 2,
        mean: 0.04994972,
        split: Some((Feature::WeightStdev, 0.2608656, false)),
        left: 4,
        right: 5,
    },
    Node {
        id: 3,
        mean: 0.09248414,
        split: Some((Feature::AvgSize, 5.728571, true)),
        left: 6,
        right: 7,
    },
    Node {
        id: 4,
        mean: -0.06381047,
        split: None,
        left: 0,
        right: 0,
    },
    Node {
        id: 5,
        mean: 0.05536687,
        split: None,
        left: 0,
        right: 0,
    },
    Node {
        id: 6,
        mean: 0.08376487,
        split: None,
        left: 0,
        right: 0,
    },
    Node {
        id: 7,
        mean: 0.1404401,
        split: None,
        left: 0,
        right: 0,
    },
];

/// `DataBRAMAgent2`.
const BRAMAGENT2: &[Node] = &[
    Node {
        id: 1,
        mean: 0.03786262,
        split: Some((Feature::ReservationValue, 0.125, false)),
        left: 2,
        right: 3,
    },
    Node {
        id: 2,
        mean: 0.01980374,
        split: Some((Feature::DiscountFactor, 0.875, false)),
        left: 4,
        right: 5,
    },
    Node {
        id: 3,
        mean: 0.07399651,
        split: Some((Feature::DomainSize, 37.5, false)),
        left: 6,
        right: 7,
    },
    Node {
        id: 4,
        mean: -0.006645832,
        split: None,
        left: 0,
        right: 0,
    },
    Node {
        id: 5,
        mean: 0.03431563,
        split: None,
        left: 0,
        right: 0,
    },
    Node {
        id: 6,
        mean: 0.06500784,
        split: Some((Feature::DomainSize, 282.0, true)),
        left: 12,
        right: 13,
    },
    Node {
        id: 7,
        mean: 0.1368316,
        split: None,
        left: 0,
        right: 0,
    },
    Node {
        id: 12,
        mean: 0.01241407,
        split: None,
        left: 0,
        right: 0,
    },
    Node {
        id: 13,
        mean: 0.08147279,
        split: None,
        left: 0,
        right: 0,
    },
];

/// `DataCUHKAgent`.
const CUHKAGENT: &[Node] = &[
    Node {
        id: 1,
        mean: 0.07454525,
        split: Some((Feature::ReservationValue, 0.375, false)),
        left: 2,
        right: 3,
    },
    Node {
        id: 2,
        mean: 0.03571526,
        split: None,
        left: 0,
        right: 0,
    },
    Node {
        id: 3,
        mean: 0.09394869,
        split: None,
        left: 0,
        right: 0,
    },
];

/// `DataIAMhaggler2012`.
const IAMHAGGLER2012: &[Node] = &[
    Node {
        id: 1,
        mean: 0.001147019,
        split: Some((Feature::DiscountFactor, 0.875, false)),
        left: 2,
        right: 3,
    },
    Node {
        id: 2,
        mean: -0.08158136,
        split: Some((Feature::UtilityOfFirstOpponentBid, 0.6264208, true)),
        left: 4,
        right: 5,
    },
    Node {
        id: 3,
        mean: 0.04515897,
        split: Some((Feature::RelevantStdevU, 0.1292711, false)),
        left: 6,
        right: 7,
    },
    Node {
        id: 4,
        mean: -0.09793944,
        split: None,
        left: 0,
        right: 0,
    },
    Node {
        id: 5,
        mean: 0.004269347,
        split: None,
        left: 0,
        right: 0,
    },
    Node {
        id: 6,
        mean: 0.01776987,
        split: Some((Feature::DiscountFactor, 0.625, false)),
        left: 12,
        right: 13,
    },
    Node {
        id: 7,
        mean: 0.07373076,
        split: None,
        left: 0,
        right: 0,
    },
    Node {
        id: 12,
        mean: -0.008803378,
        split: None,
        left: 0,
        right: 0,
    },
    Node {
        id: 13,
        mean: 0.04434311,
        split: None,
        left: 0,
        right: 0,
    },
];

/// `DataOMACagent`.
const OMACAGENT: &[Node] = &[
    Node {
        id: 1,
        mean: 0.06507811,
        split: Some((Feature::DiscountFactor, 0.625, true)),
        left: 2,
        right: 3,
    },
    Node {
        id: 2,
        mean: 0.03960462,
        split: None,
        left: 0,
        right: 0,
    },
    Node {
        id: 3,
        mean: 0.07742059,
        split: Some((Feature::RelevantEU, 0.6151587, false)),
        left: 6,
        right: 7,
    },
    Node {
        id: 6,
        mean: 0.06116608,
        split: None,
        left: 0,
        right: 0,
    },
    Node {
        id: 7,
        mean: 0.1026836,
        split: None,
        left: 0,
        right: 0,
    },
];

/// `DataTheNegotiatorReloaded`.
const THENEGOTIATORRELOADED: &[Node] = &[
    Node {
        id: 1,
        mean: 0.07298986,
        split: Some((Feature::AvgUtilStdev, 0.3419255, false)),
        left: 2,
        right: 3,
    },
    Node {
        id: 2,
        mean: -0.02453655,
        split: None,
        left: 0,
        right: 0,
    },
    Node {
        id: 3,
        mean: 0.07723277,
        split: Some((Feature::DiscountFactor, 0.875, true)),
        left: 6,
        right: 7,
    },
    Node {
        id: 6,
        mean: 0.06332486,
        split: Some((Feature::DiscountFactor, 0.625, false)),
        left: 12,
        right: 13,
    },
    Node {
        id: 7,
        mean: 0.103321,
        split: Some((Feature::RelevantEU, 0.5405183, false)),
        left: 14,
        right: 15,
    },
    Node {
        id: 12,
        mean: 0.03432913,
        split: Some((Feature::RelevantStdevU, 0.124692, false)),
        left: 24,
        right: 25,
    },
    Node {
        id: 13,
        mean: 0.09231138,
        split: Some((Feature::ReservationValue, 0.375, false)),
        left: 26,
        right: 27,
    },
    Node {
        id: 14,
        mean: 0.08814938,
        split: Some((Feature::DomainSize, 37.5, false)),
        left: 28,
        right: 29,
    },
    Node {
        id: 15,
        mean: 0.1545523,
        split: None,
        left: 0,
        right: 0,
    },
    Node {
        id: 24,
        mean: 0.009034914,
        split: None,
        left: 0,
        right: 0,
    },
    Node {
        id: 25,
        mean: 0.06323927,
        split: None,
        left: 0,
        right: 0,
    },
    Node {
        id: 26,
        mean: 0.04922592,
        split: None,
        left: 0,
        right: 0,
    },
    Node {
        id: 27,
        mean: 0.1097956,
        split: None,
        left: 0,
        right: 0,
    },
    Node {
        id: 28,
        mean: 0.08014529,
        split: None,
        left: 0,
        right: 0,
    },
    Node {
        id: 29,
        mean: 0.2282209,
        split: None,
        left: 0,
        right: 0,
    },
];

/// The portfolio: registry name and tree.
const PORTFOLIO: [(&str, &[Node]); 6] = [
    ("agentlg", AGENTLG),
    ("bramagent2", BRAMAGENT2),
    ("cuhkagent", CUHKAGENT),
    ("iamhaggler2012", IAMHAGGLER2012),
    ("omacagent", OMACAGENT),
    ("thenegotiatorreloaded", THENEGOTIATORRELOADED),
];

/// GENIUS `Node.getBestNode(...).get_mean()`: the predicted score.
fn predict(tree: &[Node], f: &Features) -> f64 {
    let find = |id: u32| tree.iter().find(|n| n.id == id);
    let Some(mut node) = find(1) else {
        return f64::NAN;
    };
    for _ in 0..tree.len() {
        let Some((feature, threshold, less_left)) = node.split else {
            break;
        };
        let go_left = (f.get(feature) < threshold) == less_left;
        match find(if go_left { node.left } else { node.right }) {
            Some(next) => node = next,
            None => break,
        }
    }
    node.mean
}

/// The domain features GENIUS's `getDomainParams` computes, for an opponent's first offer
/// worth `first`.
pub(crate) fn features(own: &mut Own, first: f64) -> Features {
    let setup = own.setup.clone();
    let mut f = Features {
        first_offer: first,
        reservation: setup.reservation,
        discount: setup.discount.filter(|d| *d != 0.0).unwrap_or(1.0),
        ..Features::default()
    };
    let n = setup.issues.len();
    let (mut size, mut sum_size) = (1i32, 0usize);
    let mut weights = Vec::with_capacity(n);
    let mut relevant_values = 0.0;
    let additive = setup.utility.as_additive();
    for (i, issue) in setup.issues.iter().enumerate() {
        let w = additive.map_or(1.0 / n.max(1) as f64, |a| a.weights[i]);
        weights.push(w);
        if let IssueKind::Discrete { values, .. } = &issue.kind {
            sum_size += values.len();
            size = size.wrapping_mul(values.len() as i32);
            if let Some(Evaluator::Table(t)) = additive.map(|a| &a.evaluators[i]) {
                if first > 0.0 {
                    relevant_values += t.iter().filter(|&&v| first <= v).sum::<f64>();
                }
            }
        }
    }
    f.domain_size = f64::from(size);
    f.avg_size = sum_size as f64 / n.max(1) as f64;
    let mean_w = weights.iter().sum::<f64>() / n.max(1) as f64;
    f.weight_stdev = if n <= 1 {
        0.0
    } else {
        (weights.iter().map(|w| (w - mean_w).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
    };
    // Utility statistics over every outcome (a sample of a large space).
    let utilities: Vec<f64> = if own.bids.len() <= LISTED {
        own.bids.iter(&Span::all()).map(|b| b.utility).collect()
    } else {
        (0..SAMPLE)
            .filter_map(|_| {
                let o = &mut *own;
                o.bids.random(&Span::all(), &mut o.rng).map(|b| b.utility)
            })
            .collect()
    };
    let (mut sum, mut sq, mut count) = (0.0, 0.0, 0.0);
    let (mut rsum, mut rsq, mut rcount) = (0.0, 0.0, 0.0);
    for u in utilities {
        sum += u;
        sq += u * u;
        count += 1.0;
        if u >= first {
            rsum += u;
            rsq += u * u;
            rcount += 1.0;
        }
    }
    f.relevant_eu = relevant_values;
    if rcount > 0.0 {
        f.relevant_eu = rsum / rcount;
        f.relevant_stdev = (rsq / rcount - f.relevant_eu.powi(2)).sqrt();
    }
    if count > 0.0 {
        let eu = sum / count;
        f.avg_util_stdev = (sq / count - eu * eu).sqrt();
    }
    f
}

pub struct MetaAgent {
    own: Own,
    agent: Option<Box<dyn Negotiator>>,
    /// Registry name of the agent it chose.
    chosen: Option<&'static str>,
}

impl MetaAgent {
    pub fn new(setup: &Setup) -> MetaAgent {
        MetaAgent {
            own: Own::new(setup),
            agent: None,
            chosen: None,
        }
    }

    /// The best predicted agent zopa registers, with its prediction.
    pub(crate) fn choose(f: &Features) -> Option<(&'static str, f64)> {
        let mut best: Option<(&'static str, f64)> = None;
        for (name, tree) in PORTFOLIO {
            let registered = Spec::parse(name)
                .ok()
                .and_then(|s| crate::registry::resolve(&s, Kind::Negotiator).ok())
                .is_some();
            let p = predict(tree, f);
            if registered && best.is_none_or(|b| p > b.1) {
                best = Some((name, p));
            }
        }
        best
    }
}

impl Negotiator for MetaAgent {
    fn act(&mut self, view: &View<'_>) -> Action {
        let me = self.own.setup.index;
        let others = view.history.iter().rposition(|m| m.actor != me);
        let offer = self.own.observe(view);
        if self.agent.is_none() {
            let Some(k) = others else {
                return Action::Offer(self.own.best().outcome.clone());
            };
            let first = match &view.history[k].action {
                Action::Offer(o) => self.own.setup.utility_of(o),
                _ => 0.0,
            };
            let f = features(&mut self.own, first);
            let name = Self::choose(&f).map_or("cuhkagent", |c| c.0);
            self.chosen = Some(name);
            let mut setup = self.own.setup.clone();
            setup.seed = crate::protocols::derive_seed(self.own.setup.seed, 100);
            self.agent = Spec::parse(name)
                .ok()
                .and_then(|s| crate::registry::resolve(&s, Kind::Negotiator).ok())
                .map(|r| r.negotiator(&setup));
            // It hears the other party's last move only.
            let heard = View {
                history: &view.history[k..],
                offset: view.offset + k,
                ..*view
            };
            return self.delegate(&heard, offer);
        }
        self.delegate(view, offer)
    }
}

impl MetaAgent {
    fn delegate(&mut self, view: &View<'_>, offer: Option<f64>) -> Action {
        let Some(agent) = &mut self.agent else {
            return Action::Offer(self.own.best().outcome.clone());
        };
        let rv = view.reservation;
        match agent.act(view) {
            Action::Offer(o) if self.own.setup.utility_of(&o) <= rv => Action::End,
            Action::Accept if offer.is_none_or(|u| u < rv) => Action::End,
            a => a,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trees_split_as_rpart_printed_them() {
        // CUHKAgent: ReservationValue < 0.375 to the right.
        let mut f = Features {
            reservation: 0.5,
            ..Features::default()
        };
        assert_eq!(predict(CUHKAGENT, &f), 0.03571526);
        f.reservation = 0.2;
        assert_eq!(predict(CUHKAGENT, &f), 0.09394869);
        // TheNegotiatorReloaded down to node 29: AvgUtilStdev < 0.342 (right), df ≥ 0.875
        // (right), RelevantEU ≥ 0.54 (left), DomainSize < 37.5 (right).
        let mut g = Features {
            avg_util_stdev: 0.2,
            discount: 1.0,
            relevant_eu: 0.6,
            domain_size: 10.0,
            ..Features::default()
        };
        assert_eq!(predict(THENEGOTIATORRELOADED, &g), 0.2282209);
        // A wide spread of utilities: node 2.
        g.avg_util_stdev = 0.4;
        assert_eq!(predict(THENEGOTIATORRELOADED, &g), -0.02453655);
    }

    #[test]
    fn features_of_a_small_domain() {
        let setup = crate::strategies::test_setup(&[3, 3], 0.1, 40);
        let mut own = Own::new(&setup);
        let f = features(&mut own, 0.5);
        assert_eq!(f.domain_size, 9.0);
        assert_eq!(f.avg_size, 3.0);
        assert_eq!(f.weight_stdev, 0.0);
        // Utilities (a + b)/4 over a, b ∈ {0, 1, 2}: those ≥ 0.5 are 0.5 ×3, 0.75 ×2, 1.
        assert!((f.relevant_eu - 4.0 / 6.0).abs() < 1e-12, "{f:?}");
    }

    #[test]
    fn it_opens_with_its_best_then_hands_over_and_ends_against_boulware() {
        let setup = crate::strategies::test_setup(&[4, 4], 0.0, 40);
        let mut m = MetaAgent::new(&setup);
        let view = crate::strategies::opening_view();
        let best = m.own.best().outcome.clone();
        assert_eq!(m.act(&view), Action::Offer(best));
        crate::strategies::thefawkes::tests::duel_with_boulware("metaagent");
    }
}
