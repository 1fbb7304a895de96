//! What a run leaves behind: every action with its utility to every party, how it ended, and
//! metrics against the scenario's analysis.

use zopa_core::analysis::Analysis;
use zopa_core::Scenario;

use crate::session::Outcome;

/// Declares a closed set once: the variants, their names in the JSON contract and what each
/// means (the docs' tables are generated from these).
macro_rules! closed_set {
    ($(#[$m:meta])* pub enum $name:ident { $($(#[$vm:meta])* $v:ident => $s:literal, $doc:literal;)* }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($(#[$vm])* #[doc = $doc] $v,)* }
        impl $name {
            /// Every variant, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$v,)*];
            /// The name used in JSON and on the command line.
            pub fn as_str(self) -> &'static str { match self { $($name::$v => $s,)* } }
            /// What it means, for the generated documentation.
            pub fn meaning(self) -> &'static str { match self { $($name::$v => $doc,)* } }
            pub fn parse(s: &str) -> Option<$name> { $name::ALL.iter().copied().find(|v| v.as_str() == s) }
        }
        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
    };
}
#[allow(unused_imports)] // for the closed sets of other modules
pub(crate) use closed_set;

closed_set! {
    /// What one line of the trace records (`"action"` in `zopa run --json` and `--trace`).
    pub enum TraceAction {
        Offer => "offer", "a negotiator proposes an outcome (alternating offers)";
        Accept => "accept", "a negotiator accepts the standing offer";
        End => "end", "a negotiator walks away";
        Propose => "propose", "the mediator puts a text to every voter (mediated)";
        VoteAccept => "vote-accept", "a voter accepts the proposed text";
        VoteReject => "vote-reject", "a voter rejects the proposed text";
        FeedbackBetter => "feedback-better", "a voter finds the text better than the previous one";
        FeedbackSame => "feedback-same", "a voter finds the text as good as the previous one";
        FeedbackWorse => "feedback-worse", "a voter finds the text worse than the previous one";
        Show => "show", "shuttle: the mediator shows its draft to one party, privately (`seen_by`)";
        Critique => "critique", "shuttle: a party answers the draft: accepts it as is, or asks for changes (the note lists them with their intensity); only the mediator hears it";
        Veto => "veto", "shuttle: a party rejects the draft outright: it is below its outside option";
        Carried => "carried", "the voting rule carries the text: it becomes the standing text, the one the final vote is on";
        Blocked => "blocked", "the voters would carry the text but it cannot stand (it breaches a voter's red line, an exclusion or a controlling party's line; the note says which), so it is not carried";
        Stall => "stall", "a party stalls: it does not engage this turn or visit";
        Threat => "threat", "a party announces that its outside option has moved (it may be a bluff: the note says the stated value)";
        Stop => "stop", "the mediator can improve the text no further (or ran out of patience)";
        Ratify => "ratify", "a voter's final yes or no on the whole text (the note says which)";
        Split => "split", "shuttle: the package failed and the mediator puts each issue to a separate vote";
        Event => "event", "a scheduled event moves a party's outside option";
        EventEnds => "event-ends", "a scheduled event ends and its effect is undone";
        Error => "error", "a party panicked, overran its time or broke the protocol; the run ends";
    }
}

closed_set! {
    /// Who heard a line of the trace.
    pub enum Audience {
        Table => "table", "every party at the table";
        Mediator => "mediator", "only the mediator (a shuttle critique)";
        Party => "party", "only the party named in `seen_by` (a shuttle draft), and the mediator";
    }
}

/// One line of the trace.
#[derive(Debug, Clone, PartialEq)]
pub struct TraceEvent {
    pub round: u32,
    /// Relative time t ∈ [0, 1].
    pub time: f64,
    /// Party name (or the mediator's, or `scenario` for scheduled events).
    pub actor: String,
    pub action: TraceAction,
    pub outcome: Option<Outcome>,
    /// Utility of `outcome` to every party of the scenario, in scenario order (stakeholders too).
    pub utilities: Option<Vec<f64>>,
    /// Free text: an event's name and effect, an error's cause, a critique's changes.
    pub note: Option<String>,
    /// Who heard it.
    pub audience: Audience,
    /// With [`Audience::Party`], the party (scenario index) that saw it.
    pub seen_by: Option<usize>,
}

/// A party that turned down a text better for it than its outside option at that moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Blame {
    /// Scenario index of the party.
    pub party: usize,
    pub round: u32,
    /// Its utility of the text it turned down.
    pub utility: f64,
    /// Its outside option (current reservation value) at that moment.
    pub outside_option: f64,
}

/// How a negotiation ended.
#[derive(Debug, Clone, PartialEq)]
pub enum End {
    Agreement,
    Deadline,
    Walkaway,
    /// The final single text was put to a vote and turned down.
    Rejected,
    /// The package was turned down, but separable agreements on some issues were signed
    /// ([`RunResult::partial`]).
    Partial,
    /// The mediator gave up before any text was carried.
    Impasse,
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
            End::Partial => "partial",
            End::Impasse => "impasse",
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
    /// With [`End::Partial`]: the value agreed on each issue, `None` where nothing was agreed.
    pub partial: Option<Vec<Option<zopa_core::Value>>>,
    /// Per party: utility of the agreement (of a partial agreement: the agreed issues' share,
    /// the outside option's for the rest — see `docs/protocols.md`), or its reservation value at the end when there is none.
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
    /// When there is no agreement: each party that turned down a text better for it than its
    /// outside option at that moment — its last such refusal. Empty after an agreement.
    pub blame: Vec<Blame>,
    /// Per party: how well its opponent model predicted its opponent's utility at the end
    /// ([`crate::accuracy`]); `None` for a party without a model, and for every party outside
    /// bilateral alternating offers.
    pub opponent_models: Vec<Option<crate::accuracy::ModelAccuracy>>,
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
