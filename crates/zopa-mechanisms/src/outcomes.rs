//! Listed outcome spaces and the bidding orders runs share.
//!
//! [`SortedOutcomes`] lists a space and sorts it by one negotiator's utility: what
//! [`Bidding::Listed`] holds for hyper-rectangle utilities (a sample of it, beside the exact
//! searches of [`Bidding::Sampled`], above [`crate::strategies::OUTCOME_LIMIT`]) and for additive ones of at most
//! [`crate::bidding::LISTED_ADDITIVE`] outcomes (see [`crate::bidding`]). [`OutcomeCache`] and [`Ranking`] hold a party's [`Bidding`], built once.

use rand::RngExt;
use zopa_core::{Issue, IssueKind, UtilityFunction, Value};

use crate::bidding::Bidding;
use crate::session::Outcome;
use crate::Rng;

/// Grid points per real issue when outcomes are listed.
pub const REAL_LEVELS: u32 = 11;

/// Candidate outcomes, best first, ties in listing order (value levels ascending). Spaces up
/// to the limit are listed whole; a larger one (hyper-rectangle utilities only: additive
/// utilities bid exactly, see [`crate::bidding`]) is represented by a random sample drawn from
/// a stream of the run's seed, plus the best outcome of an additive utility.
#[derive(Debug, Clone)]
pub struct SortedOutcomes {
    pub outcomes: Vec<Outcome>,
    /// Own utility of each outcome, descending.
    pub utils: Vec<f64>,
    /// Whether `outcomes` is the whole (gridded) space.
    pub complete: bool,
    /// Where utilities fall, so that a count starts near its answer: see [`Buckets`].
    buckets: Buckets,
}

/// Evenly spaced utilities from the best to the worst, and how many outcomes are at or above
/// each: `counts[k]` outcomes have utility ≥ `edge(k)`. A count at `u` lies between the counts
/// of the edges around `u`, so it searches only between them (on average about one outcome a
/// bucket) instead of the whole list; the answer is checked against its neighbours and, should
/// rounding have put `u` in another bucket, searched for in the whole list.
#[derive(Debug, Clone, Default)]
struct Buckets {
    counts: Vec<u32>,
    best: f64,
    /// Buckets per unit of utility.
    scale: f64,
}

/// Most buckets a listing keeps (4 bytes each).
const MAX_BUCKETS: usize = 1 << 16;

impl Buckets {
    fn new(utils: &[f64]) -> Buckets {
        let (Some(&best), Some(&worst)) = (utils.first(), utils.last()) else {
            return Buckets::default();
        };
        let n = utils.len().clamp(2, MAX_BUCKETS);
        let scale = n as f64 / (best - worst);
        if !(scale.is_finite() && scale > 0.0 && utils.len() <= u32::MAX as usize) {
            return Buckets::default();
        }
        let mut b = Buckets {
            counts: Vec::with_capacity(n + 1),
            best,
            scale,
        };
        for k in 0..=n {
            let edge = b.edge(k);
            b.counts.push(utils.partition_point(|&x| x >= edge) as u32);
        }
        b
    }

    fn edge(&self, k: usize) -> f64 {
        self.best - k as f64 / self.scale
    }

    /// The stretch of the list the count at `u` lies in (by the buckets around `u`), or
    /// `None` when `u` is outside the listed utilities.
    fn around(&self, u: f64) -> Option<std::ops::Range<usize>> {
        let x = (self.best - u) * self.scale;
        let last = self.counts.len().checked_sub(1)?;
        if !(x >= 0.0 && x < last as f64) {
            return None;
        }
        let k = x as usize;
        let lo = self.counts[k.saturating_sub(1)] as usize;
        let hi = self.counts[(k + 2).min(last)] as usize;
        Some(lo..hi)
    }
}

/// A uniformly random outcome.
pub fn random_outcome(issues: &[Issue], rng: &mut Rng) -> Outcome {
    issues
        .iter()
        .map(|issue| match &issue.kind {
            IssueKind::Discrete { values, .. } => {
                Value::Discrete(rng.random_range(0..values.len() as u32))
            }
            IssueKind::Integer { min, max } => Value::Integer(rng.random_range(*min..=*max)),
            IssueKind::Real { min, max } => Value::Real(if max > min {
                rng.random_range(*min..=*max)
            } else {
                *min
            }),
        })
        .collect()
}

/// Most values of one issue a mediator or critique considers.
pub const CANDIDATE_VALUES: u64 = 1000;

/// The values of `issue` a mediator or critique considers: all of a countable issue's (at most
/// [`CANDIDATE_VALUES`], evenly spread beyond), a grid of [`REAL_LEVELS`] on a real one.
pub fn candidate_values(issue: &Issue) -> Vec<Value> {
    let n = levels(issue);
    if n <= CANDIDATE_VALUES {
        return (0..n as u32)
            .map(|l| issue.value_at(l, REAL_LEVELS))
            .collect();
    }
    // Evenly spread over a large integer range, both ends included.
    (0..CANDIDATE_VALUES)
        .map(|k| {
            let level =
                (u128::from(k) * u128::from(n - 1) / u128::from(CANDIDATE_VALUES - 1)) as u64;
            match &issue.kind {
                zopa_core::IssueKind::Integer { min, .. } => {
                    Value::Integer(min.saturating_add_unsigned(level))
                }
                _ => issue.value_at(level.min(u64::from(u32::MAX)) as u32, REAL_LEVELS),
            }
        })
        .collect()
}

fn levels(issue: &Issue) -> u64 {
    issue.cardinality().unwrap_or(u64::from(REAL_LEVELS))
}

impl SortedOutcomes {
    pub fn new(
        issues: &[Issue],
        utility: &UtilityFunction,
        limit: usize,
        rng: &mut Rng,
    ) -> SortedOutcomes {
        let count = issues
            .iter()
            .try_fold(1u64, |acc, i| acc.checked_mul(levels(i)));
        let complete = count.is_some_and(|c| c <= limit as u64);
        let mut outcomes: Vec<Outcome> = if complete {
            let sizes: Vec<u64> = issues.iter().map(levels).collect();
            let total = count.unwrap_or(0);
            (0..total)
                .map(|mut r| {
                    let mut o = vec![Value::Discrete(0); issues.len()];
                    for d in (0..issues.len()).rev() {
                        let level = (r % sizes[d]) as u32;
                        r /= sizes[d];
                        o[d] = issues[d].value_at(level, REAL_LEVELS);
                    }
                    o
                })
                .collect()
        } else {
            let mut sample: Vec<Outcome> =
                (0..limit).map(|_| random_outcome(issues, rng)).collect();
            if let Some(best) = best_additive(issues, utility) {
                sample.push(best);
            }
            sample
        };
        let mut scored: Vec<(f64, Outcome)> =
            outcomes.drain(..).map(|o| (utility.eval(&o), o)).collect();
        // Stable: ties keep enumeration order, so the order is deterministic.
        scored.sort_by(|a, b| b.0.total_cmp(&a.0));
        let (utils, outcomes) = scored.into_iter().unzip();
        let utils: Vec<f64> = utils;
        SortedOutcomes {
            outcomes,
            buckets: Buckets::new(&utils),
            utils,
            complete,
        }
    }

    pub fn len(&self) -> usize {
        self.outcomes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.outcomes.is_empty()
    }

    pub fn best(&self) -> f64 {
        self.utils.first().copied().unwrap_or(0.0)
    }

    pub fn worst(&self) -> f64 {
        self.utils.last().copied().unwrap_or(0.0)
    }

    /// How many outcomes have utility ≥ `u` (they are the first ones).
    pub fn count_at_least(&self, u: f64) -> usize {
        let utils = &self.utils;
        if let Some(r) = self.buckets.around(u) {
            let k = r.start + utils[r.clone()].partition_point(|&x| x >= u);
            // The count is where utilities stop being ≥ u: checked, as rounding may have
            // picked the wrong buckets.
            if (k == 0 || utils[k - 1] >= u) && (k == utils.len() || utils[k] < u) {
                return k;
            }
        }
        utils.partition_point(|&x| x >= u)
    }

    /// Index of the outcome whose utility is nearest to `u` (GENIUS `getBidNearUtility`);
    /// between two equally near, the better one.
    pub fn near(&self, u: f64) -> usize {
        let k = self.count_at_least(u);
        if k == 0 {
            return 0;
        }
        if k == self.len() {
            return k - 1;
        }
        if (self.utils[k - 1] - u).abs() <= (u - self.utils[k]).abs() {
            k - 1
        } else {
            k
        }
    }
}

/// The best outcome of an additive utility: each issue at its best value.
fn best_additive(issues: &[Issue], utility: &UtilityFunction) -> Option<Outcome> {
    let a = utility.as_additive()?;
    Some(
        issues
            .iter()
            .enumerate()
            .map(|(i, issue)| {
                let n = levels(issue) as u32;
                (0..n)
                    .map(|l| issue.value_at(l, REAL_LEVELS))
                    .max_by(|x, y| {
                        (a.weights[i] * a.evaluators[i].eval(*x))
                            .total_cmp(&(a.weights[i] * a.evaluators[i].eval(*y)))
                    })
                    .unwrap_or(Value::Discrete(0))
            })
            .collect(),
    )
}

/// Each party's bidding order, built once per scenario and shared by every negotiation on it
/// (a tournament plays thousands), with one copy of the issues and of each utility function. It depends only on that party's own utility function, so
/// sharing it tells a negotiator nothing about anyone else. A listed hyper-rectangle space too
/// large to list whole is sampled from `seed`: a run's own seed, or, for orders shared across
/// a tournament, a seed derived from the tournament's.
#[derive(Debug, Default)]
pub struct OutcomeCache {
    slots: Vec<std::sync::OnceLock<std::sync::Arc<Bidding>>>,
    seed: u64,
    /// Bargaining points a mediator computed, by what they were computed from (see
    /// [`PointKey`]): the runs sharing a cache share the parties' utility functions, so a
    /// point depends on the rest of the key only.
    points: std::sync::Mutex<std::collections::HashMap<PointKey, Option<Outcome>>>,
    /// The scenario's issues and each party's utility function, copied once for the
    /// negotiations sharing the cache (each copied them afresh).
    issues: std::sync::OnceLock<std::sync::Arc<Vec<Issue>>>,
    utilities: Vec<std::sync::OnceLock<std::sync::Arc<UtilityFunction>>>,
}

/// What a bargaining point is computed from, besides the parties' utility functions: which
/// parties (scenario names), their outside options (bits) and costs, the rounds left, and
/// which solution.
pub type PointKey = (Vec<String>, Vec<u64>, Option<u32>, &'static str);

impl OutcomeCache {
    pub fn new(parties: usize, seed: u64) -> OutcomeCache {
        OutcomeCache {
            slots: (0..parties).map(|_| std::sync::OnceLock::new()).collect(),
            seed,
            points: Default::default(),
            issues: std::sync::OnceLock::new(),
            utilities: (0..parties).map(|_| std::sync::OnceLock::new()).collect(),
        }
    }

    /// The issues of `scenario`, copied the first time they are asked for.
    pub fn issues(&self, scenario: &zopa_core::Scenario) -> std::sync::Arc<Vec<Issue>> {
        std::sync::Arc::clone(
            self.issues
                .get_or_init(|| std::sync::Arc::new(scenario.issues.clone())),
        )
    }

    /// Party `party`'s utility function in `scenario`, copied the first time it is asked for.
    pub fn utility(
        &self,
        scenario: &zopa_core::Scenario,
        party: usize,
    ) -> std::sync::Arc<UtilityFunction> {
        let copy = || std::sync::Arc::new(scenario.parties[party].utility.clone());
        match self.utilities.get(party) {
            Some(slot) => std::sync::Arc::clone(slot.get_or_init(copy)),
            None => copy(),
        }
    }

    /// Sets party `party`'s bidding order before any run reads it (a test's brute-force
    /// listing, say); false when it was already set or there is no such party.
    pub fn preset(&self, party: usize, bidding: std::sync::Arc<Bidding>) -> bool {
        self.slots
            .get(party)
            .is_some_and(|slot| slot.set(bidding).is_ok())
    }

    /// The bargaining point for `key`, computed by `compute` the first time it is asked for.
    pub fn point(
        &self,
        key: PointKey,
        compute: impl FnOnce() -> Option<Outcome>,
    ) -> Option<Outcome> {
        if let Some(p) = self.points.lock().ok().and_then(|m| m.get(&key).cloned()) {
            return p;
        }
        let p = compute();
        if let Ok(mut m) = self.points.lock() {
            m.insert(key, p.clone());
        }
        p
    }

    /// The bidding order of party `party` of `scenario`.
    pub fn get(&self, scenario: &zopa_core::Scenario, party: usize) -> std::sync::Arc<Bidding> {
        match self.slots.get(party) {
            Some(slot) => std::sync::Arc::clone(slot.get_or_init(|| {
                std::sync::Arc::new(Bidding::for_party(scenario, party, self.seed))
            })),
            None => std::sync::Arc::new(Bidding::for_party(scenario, party, self.seed)),
        }
    }
}

/// What a lazy ranking is built from: issues, utility, party, seed.
type RankingSource = (
    std::sync::Arc<Vec<Issue>>,
    std::sync::Arc<UtilityFunction>,
    usize,
    u64,
);

/// A negotiator's bidding order, built on first use: voters in a mediated negotiation never
/// bid, so they should not pay for it.
pub struct Ranking {
    ready: std::sync::OnceLock<std::sync::Arc<Bidding>>,
    source: Option<RankingSource>,
}

impl Ranking {
    /// An already built order (e.g. from an [`OutcomeCache`]).
    pub fn ready(sorted: std::sync::Arc<Bidding>) -> Ranking {
        let ready = std::sync::OnceLock::new();
        let _ = ready.set(sorted);
        Ranking {
            ready,
            source: None,
        }
    }

    /// Party `party`'s order over `issues` by `utility`, built when first read; the same as
    /// [`Bidding::for_party`] with `seed`.
    pub fn lazy(
        issues: std::sync::Arc<Vec<Issue>>,
        utility: std::sync::Arc<UtilityFunction>,
        party: usize,
        seed: u64,
    ) -> Ranking {
        Ranking {
            ready: std::sync::OnceLock::new(),
            source: Some((issues, utility, party, seed)),
        }
    }

    /// Whether the ranking has been built.
    pub fn is_built(&self) -> bool {
        self.ready.get().is_some()
    }

    /// The order itself, shared: every negotiation that reads the same order (a tournament's
    /// [`OutcomeCache`]) gets the same `Arc`.
    pub fn shared(&self) -> std::sync::Arc<Bidding> {
        let _ = std::ops::Deref::deref(self);
        std::sync::Arc::clone(self.ready.get().expect("built just now"))
    }
}

impl std::ops::Deref for Ranking {
    type Target = Bidding;

    fn deref(&self) -> &Bidding {
        self.ready.get_or_init(|| {
            let (issues, utility, party, seed) = self
                .source
                .as_ref()
                .expect("a ranking is either ready or has a source");
            std::sync::Arc::new(Bidding::ranked(issues, utility, *party, *seed))
        })
    }
}

impl std::fmt::Debug for Ranking {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.ready.get() {
            Some(s) => write!(f, "Ranking({} outcomes)", s.len()),
            None => write!(f, "Ranking(not built)"),
        }
    }
}

impl Bidding {
    /// Party `party`'s bidding order; a listed space too large to list whole is sampled from
    /// a stream of `seed` and the party's position.
    pub fn for_party(scenario: &zopa_core::Scenario, party: usize, seed: u64) -> Bidding {
        Bidding::ranked(
            &scenario.issues,
            &scenario.parties[party].utility,
            party,
            seed,
        )
    }

    fn ranked(issues: &[Issue], utility: &UtilityFunction, party: usize, seed: u64) -> Bidding {
        let mut rng = crate::rng(crate::protocols::derive_seed(seed, party as u64), 7);
        Bidding::new(issues, utility, crate::strategies::OUTCOME_LIMIT, &mut rng)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use zopa_core::{
        AdditiveUtility, Aggregation, ConstraintUtility, Evaluator, HyperRectangle, RectangleKind,
    };

    proptest::proptest! {
        /// Counts through the buckets equal the binary search over the whole list: utilities
        /// with ties, clusters and a tiny spread, asked about at, between and beyond them.
        #[test]
        fn counts_through_buckets_equal_a_search_of_the_whole_list(
            raw in proptest::collection::vec(0u32..40, 1..300),
            spread in proptest::sample::select(vec![1.0, 1e-9, 0.3, 7.0]),
            asked in proptest::collection::vec(-5i32..50, 1..60),
        ) {
            let mut utils: Vec<f64> = raw.iter().map(|&r| f64::from(r) * spread / 40.0 + 0.1).collect();
            utils.sort_by(|a, b| b.total_cmp(a));
            let l = SortedOutcomes {
                outcomes: vec![Vec::new(); utils.len()],
                buckets: Buckets::new(&utils),
                utils: utils.clone(),
                complete: true,
            };
            let mut us: Vec<f64> = asked.iter().map(|&a| f64::from(a) * spread / 40.0 + 0.1).collect();
            us.extend(utils.iter().flat_map(|&u| [u, zopa_core::bidding::next_up(u), u - 1e-17]));
            us.extend([f64::INFINITY, f64::NEG_INFINITY, f64::NAN]);
            for u in us {
                proptest::prop_assert_eq!(l.count_at_least(u), utils.partition_point(|&x| x >= u), "u = {}", u);
            }
        }
    }

    fn listed(b: &Bidding) -> &SortedOutcomes {
        match b {
            Bidding::Listed(l) | Bidding::Sampled { sample: l, .. } => l,
            Bidding::Additive(_) => panic!("a hyper-rectangle utility is listed"),
        }
    }

    #[test]
    fn a_sampled_hyper_rectangle_ranking_flows_from_its_seed() {
        // 100^3 = 10^6 outcomes: more than OUTCOME_LIMIT, and not additive, so the listing is
        // a sample (additive utilities are never sampled).
        let issues: Vec<Issue> = (0..3)
            .map(|i| Issue::integer(format!("x{i}"), 0, 99))
            .collect();
        let utility = UtilityFunction::Constraint(ConstraintUtility {
            rectangles: vec![HyperRectangle {
                kind: RectangleKind::Include,
                utility: 1.0,
                bounds: vec![(0, 0.0, 49.0), (1, 20.0, 99.0)],
            }],
            aggregation: Aggregation::Sum,
            weight: 1.0,
            max_utility: 1.0,
        });
        let one = Bidding::ranked(&issues, &utility, 0, 1);
        assert!(!one.complete());
        let again = Bidding::ranked(&issues, &utility, 0, 1);
        assert_eq!(listed(&one).outcomes, listed(&again).outcomes);
        let other = Bidding::ranked(&issues, &utility, 0, 2);
        assert_ne!(listed(&one).outcomes, listed(&other).outcomes);
    }

    #[test]
    fn additive_utilities_are_never_sampled() {
        let names: Vec<String> = (0..100).map(|v| format!("v{v}")).collect();
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        let issues: Vec<Issue> = (0..3)
            .map(|i| Issue::discrete(format!("x{i}"), &names))
            .collect();
        let utility = UtilityFunction::Additive(AdditiveUtility {
            weights: vec![0.5, 0.3, 0.2],
            evaluators: (0..3)
                .map(|_| Evaluator::Table((0..100).map(|v| f64::from(v) / 99.0).collect()))
                .collect(),
            cap_at_one: false,
        });
        let b = Bidding::ranked(&issues, &utility, 0, 1);
        assert!(b.complete() && matches!(b, Bidding::Additive(_)));
        assert_eq!(b.len(), 1_000_000);
        assert_eq!(b.best().utility, 1.0);
        assert_eq!(b.worst().utility, 0.0);
    }

    #[test]
    fn a_lazy_ranking_is_built_on_first_read_and_equals_the_eager_one() {
        let issues = vec![
            Issue::discrete("a", &["x", "y", "z"]),
            Issue::discrete("b", &["p", "q"]),
        ];
        let utility = UtilityFunction::Additive(AdditiveUtility {
            weights: vec![0.7, 0.3],
            evaluators: vec![
                Evaluator::Table(vec![0.0, 0.5, 1.0]),
                Evaluator::Table(vec![1.0, 0.0]),
            ],
            cap_at_one: false,
        });
        let lazy = Ranking::lazy(Arc::new(issues.clone()), Arc::new(utility.clone()), 1, 0);
        assert!(!lazy.is_built());
        let eager = Bidding::ranked(&issues, &utility, 1, 0);
        assert_eq!(lazy.top(6), eager.top(6));
        assert!(lazy.is_built());
        let ready = Ranking::ready(Arc::new(eager));
        assert!(ready.is_built() && ready.best().utility == 1.0);
    }
}
