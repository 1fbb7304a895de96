//! What a run leaves behind: every action with its utility to every party, how it ended, and
//! metrics against the scenario's analysis.

use zopa_core::analysis::Analysis;
use zopa_core::Scenario;

use crate::session::Outcome;

/// One line of the trace.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceEvent {
    pub round: u32,
    /// Relative time t ∈ [0, 1].
    pub time: f64,
    /// Party name (or the mediator's, or the scenario for scheduled events).
    pub actor: String,
    /// `offer`, `accept`, `end`, `propose`, `vote-accept`, `vote-reject`, `feedback-better`,
    /// `feedback-same`, `feedback-worse`, `ratify`, `event`, `error`.
    pub action: String,
    pub outcome: Option<Outcome>,
    /// Utility of `outcome` to every party of the scenario, in scenario order (stakeholders too).
    pub utilities: Option<Vec<f64>>,
    /// Free text: an event's name and effect, an error's cause.
    pub note: Option<String>,
}

/// How a negotiation ended.
#[derive(Debug, Clone, PartialEq)]
pub enum End {
    Agreement,
    Deadline,
    Walkaway,
    /// The final single text was put to a vote and turned down.
    Rejected,
    /// A negotiator panicked or broke the protocol; the text says who and how.
    Error(String),
}

impl End {
    pub fn as_str(&self) -> &'static str {
        match self {
            End::Agreement => "agreement",
            End::Deadline => "deadline",
            End::Walkaway => "walkaway",
            End::Rejected => "rejected",
            End::Error(_) => "error",
        }
    }
}

/// Distances of the result from the scenario's analysis (over the negotiators).
#[derive(Debug, Clone, PartialEq)]
pub struct Metrics {
    /// Euclidean distance from the result's utility vector to the nearest frontier point.
    pub pareto_distance: Option<f64>,
    /// Euclidean distance to the Nash point.
    pub nash_distance: Option<f64>,
    /// Sum of the negotiators' utilities.
    pub welfare: f64,
}

/// Everything about one negotiation.
#[derive(Debug, Clone, PartialEq)]
pub struct RunResult {
    pub protocol: String,
    /// Every party of the scenario, in scenario order.
    pub parties: Vec<String>,
    /// Strategy (or voter / mediator) name of each party that took part, by party.
    pub strategies: Vec<Option<String>>,
    pub end: End,
    pub agreement: Option<Outcome>,
    /// Per party: utility of the agreement, or its reservation value at the end when there is none.
    pub utilities: Vec<f64>,
    /// Per party: the same, discounted by d^t and reduced by the cost of the rounds used.
    pub payoffs: Vec<f64>,
    /// Rounds played.
    pub rounds: u32,
    /// Relative time at the end.
    pub time: f64,
    pub seed: u64,
    pub trace: Vec<TraceEvent>,
    pub metrics: Option<Metrics>,
}

fn distance(a: &[f64], b: &[f64]) -> f64 {
    a.iter()
        .zip(b)
        .map(|(x, y)| (x - y) * (x - y))
        .sum::<f64>()
        .sqrt()
}

impl RunResult {
    /// Fills `metrics` from an analysis over some of the scenario's parties.
    pub fn measure(&mut self, analysis: &Analysis) {
        let u: Vec<f64> = analysis
            .parties
            .iter()
            .map(|&i| self.utilities[i])
            .collect();
        self.metrics = Some(Metrics {
            pareto_distance: analysis
                .frontier
                .iter()
                .map(|p| distance(&p.utilities, &u))
                .reduce(f64::min),
            nash_distance: analysis.nash.as_ref().map(|p| distance(&p.utilities, &u)),
            welfare: u.iter().sum(),
        });
    }
}

/// Utility of `outcome` to every party of the scenario.
pub fn utilities(scenario: &Scenario, outcome: &[zopa_core::Value]) -> Vec<f64> {
    scenario
        .parties
        .iter()
        .map(|p| p.utility.eval(outcome))
        .collect()
}

/// Payoff of party `i`: utility·d^t − cost·rounds.
pub fn payoff(scenario: &Scenario, i: usize, utility: f64, time: f64, rounds: u32) -> f64 {
    let p = &scenario.parties[i];
    let discounted = utility * p.discount.unwrap_or(1.0).powf(time);
    discounted - p.cost_per_round.unwrap_or(0.0) * f64::from(rounds)
}
