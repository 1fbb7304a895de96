//! Exact outcome-space analysis: frontier, bargaining solutions, opposition, ZOPA.
//!
//! [`analyze`] picks a method: enumeration when the space is small or a utility is not
//! additive, the issue-by-issue additive frontier otherwise (see `additive.rs`). Both return
//! the same frontier bit for bit; the solution points are then read off the frontier under
//! the chosen [`Definitions`].
//!
//! Every method analyses the *admissible* outcomes only: those that meet the red lines of the
//! analysed parties, the lines of every party on the issues it controls, and no exclusion
//! ([`Scenario::restrictions`], `restrict.rs`). An outcome that breaches a party's red line
//! is one that party rejects, like one below its reservation value; an outcome an exclusion
//! rules out cannot be written at all. So the frontier, the ideal and worst points, the ZOPA
//! and every solution are those of the admissible outcomes, and
//! [`Analysis::admissible_outcomes`] counts them.

mod additive;
mod constraint;
mod constraint_bid;
mod enumerate;
pub(crate) mod exact;
mod minibucket;
mod pareto;
mod restrict;
mod solutions;
mod space;
mod texts;

/// Exact counts of outcomes ([`Analysis::n_outcomes`], [`Analysis::admissible_outcomes`]).
pub use num_bigint::BigUint;

use crate::issue::Value;
use crate::restriction::Restriction;
use crate::scenario::Scenario;
use crate::utility::UtilityFunction;
use pareto::Utility;

pub use constraint_bid::{Bid, BidError, ConstraintBidder};
pub(crate) use exact::additive_utility as exact_utility;
pub(crate) use exact::Rational;
pub use solutions::Definitions;
pub use space::outcome_count;
pub use texts::{place_texts, TextChange, TextPlacement};

/// How the frontier is computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodChoice {
    /// The fastest exact method that applies: the additive frontier for additive
    /// utilities, the constraint search for large hyper-rectangle pairs, else enumeration.
    Auto,
    Enumeration,
    AdditiveFrontier,
    ConstraintSearch,
}

/// The method that was used.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    Enumeration,
    AdditiveFrontier,
    /// Branch and bound over hyper-rectangle utilities (two parties; see `constraint.rs`).
    ConstraintSearch,
}

impl Method {
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Enumeration => "enumeration",
            Method::AdditiveFrontier => "additive-frontier",
            Method::ConstraintSearch => "constraint-search",
        }
    }
}

/// Everything that shapes an analysis.
#[derive(Debug, Clone)]
pub struct AnalysisConfig {
    pub definitions: Definitions,
    /// Parties to analyse, by index; `None` means every negotiator (or every party when the
    /// scenario has fewer than two negotiators).
    pub parties: Option<Vec<usize>>,
    pub method: MethodChoice,
    /// `Auto` enumerates spaces up to this many outcomes; `Enumeration` refuses larger ones.
    pub max_enumerated: u64,
    /// The additive method refuses to build more candidate prefixes than this in one step.
    pub max_candidates: usize,
    /// Exclusions over several issues split the additive merge (and the count of admissible
    /// outcomes) into branches, one per set of exclusions a partial outcome still matches;
    /// more than this many at one issue are refused, naming the exclusions.
    pub max_branches: usize,
    /// When restrictions are in force, also analyse without them, to say which
    /// restrictions bind at the Nash point ([`RestrictionUse::binds_at_nash`]); this costs
    /// a second analysis.
    pub compare_unrestricted: bool,
    /// The constraint search gives up after visiting this many partial outcomes in one search
    /// (the frontier, or one party's minimum).
    pub max_nodes: u64,
    /// Grid points per real (continuous) issue.
    pub real_levels: u32,
    /// Rounds of delay until the deadline, for costs of delay (zopa's definitions only):
    /// when set, an impasse is worth each party's *inside option*
    /// d_i = reservation_i − cost_per_round_i · horizon (fighting on to the deadline, then
    /// walking away), and Nash, Kalai–Smorodinsky and egalitarian are measured from d over
    /// the outcomes with u_i ≥ reservation_i (the outside option as a constraint). See
    /// [`inside_option`] and `docs/analysis.md`.
    pub horizon: Option<u32>,
}

impl AnalysisConfig {
    pub fn new(definitions: Definitions) -> AnalysisConfig {
        AnalysisConfig {
            definitions,
            parties: None,
            method: MethodChoice::Auto,
            max_enumerated: 20_000_000,
            max_candidates: 40_000_000,
            max_branches: 65_536,
            compare_unrestricted: true,
            max_nodes: 1_000_000,
            real_levels: 11,
            horizon: None,
        }
    }
}

/// One outcome with the analysed parties' utilities.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// One value per issue, in scenario order.
    pub outcome: Vec<Value>,
    /// Utilities in the order of [`Analysis::parties`].
    pub utilities: Vec<f64>,
}

/// The result of [`analyze`].
#[derive(Debug, Clone)]
pub struct Analysis {
    /// Analysed parties (indices into the scenario's parties).
    pub parties: Vec<usize>,
    /// Their reservation values (missing ⇒ 0).
    pub reserved: Vec<f64>,
    /// The disagreement point the solutions were measured from, one per analysed party: the
    /// inside options with a [`AnalysisConfig::horizon`]; otherwise as the definitions say
    /// (zopa and genius: the reservation values; negolog and geniusweb: 0; negmas:
    /// max(reservation value, worst utility)).
    pub disagreement: Vec<f64>,
    /// The horizon the inside options were taken over, if any.
    pub horizon: Option<u32>,
    /// Exact number of outcomes; `None` when an issue is continuous.
    pub n_outcomes: Option<BigUint>,
    /// Number of outcomes analysed (differs when real issues were put on a grid).
    pub analysed_outcomes: BigUint,
    /// Grid points per real issue, when there were real issues.
    pub real_levels: Option<u32>,
    pub method: Method,
    /// Partial outcomes the constraint search visited (its frontier search and the two
    /// minima); `None` for the other methods.
    pub search_nodes: Option<u64>,
    /// How utilities were added up (exact decimal or floating point).
    pub arithmetic: Arithmetic,
    pub definitions: Definitions,
    /// Non-dominated utility vectors, one representative outcome each (the lexicographically
    /// smallest by value index; the constraint search gives the first it finds), sorted by the
    /// first party's utility descending. Under
    /// `Definitions::Negmas` only individually rational outcomes take part.
    pub frontier: Vec<Point>,
    /// Best utility of each party over all outcomes.
    pub ideal: Vec<f64>,
    /// Worst utility of each party over all outcomes.
    pub worst: Vec<f64>,
    pub nash: Option<Point>,
    /// Kalai–Smorodinsky under zopa's definitions; the platform's "Kalai" otherwise.
    pub kalai: Option<Point>,
    pub egalitarian: Option<Point>,
    pub max_welfare: Option<Point>,
    pub opposition: Option<f64>,
    /// Some outcome gives every analysed party at least its reservation value.
    pub zopa_exists: bool,
    /// Frontier points that are individually rational.
    pub rational_frontier_size: usize,
    /// The restrictions in force, in the order of [`Scenario::restrictions`]: the red lines
    /// of the analysed parties, every party's lines on the issues it controls, every
    /// exclusion. Empty: every outcome is admissible.
    pub restrictions: Vec<RestrictionUse>,
    /// Exact number of admissible outcomes (those meeting every restriction); `None` when an
    /// issue is continuous. Equals `n_outcomes` without restrictions.
    pub admissible_outcomes: Option<BigUint>,
    /// Number of analysed outcomes (on the grid, for real issues) that are admissible.
    pub analysed_admissible: BigUint,
    /// The Nash point of the same analysis without restrictions, when restrictions are in
    /// force and [`AnalysisConfig::compare_unrestricted`] asked for it (`None` also when there
    /// is no such point).
    pub unrestricted_nash: Option<Point>,
    /// Why [`RestrictionUse::binds_at_nash`] is unknown, when it is: the analysis without
    /// restrictions was not asked for, or was refused.
    pub unrestricted_note: Option<String>,
}

/// One restriction in force in an analysis.
#[derive(Debug, Clone, PartialEq)]
pub struct RestrictionUse {
    pub restriction: Restriction,
    /// How many analysed outcomes it rules out on its own (restrictions overlap, so these
    /// do not add up).
    pub rules_out: BigUint,
    /// Does the Nash point of the analysis without restrictions
    /// ([`Analysis::unrestricted_nash`]) breach it? Those that do stand between the parties
    /// and the deal they would strike without restrictions: with them the Nash point moves.
    /// `Some(false)` when there is no unrestricted Nash point; `None` when unknown
    /// ([`Analysis::unrestricted_note`]).
    pub binds_at_nash: Option<bool>,
}

/// Why an analysis could not be done.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum AnalysisError {
    #[error("party #{0} does not exist")]
    UnknownParty(usize),
    #[error("analysis needs at least one party; {0}")]
    NoParties(String),
    #[error(
        "the outcome space has {count} outcomes, more than the enumeration limit of {limit}; {hint}"
    )]
    TooManyOutcomes {
        count: BigUint,
        limit: u64,
        hint: String,
    },
    #[error(
        "the additive frontier grew to {candidates} candidate prefixes at issue `{issue}` \
         (limit {limit}); analyse fewer parties at once (--parties) or raise the limit"
    )]
    FrontierTooLarge {
        issue: String,
        candidates: usize,
        limit: usize,
    },
    #[error(
        "the restrictions split the analysis into {branches} branches at issue `{issue}` \
         (limit {limit}): a partial outcome there may still match any combination of {} \
         (an exclusion stays open from the first issue it names to the last); list the issues \
         each exclusion names next to each other, merge or drop exclusions, or raise the \
         limit (--max-branches)",
        open.join(", ")
    )]
    TooManyBranches {
        issue: String,
        branches: usize,
        limit: usize,
        /// The exclusions open at that issue, described.
        open: Vec<String>,
    },
    #[error(
        "issue `{issue}` has {values} values, more than an analysis lays out ({limit}); \
         narrow its range or make it a real (continuous) issue"
    )]
    IssueTooLarge {
        issue: String,
        values: u128,
        limit: u64,
    },
    #[error(
        "a horizon (costs of delay) is defined under zopa's definitions only; the {0} \
         definitions replicate a platform that has no costs of delay: use --definitions zopa, \
         or drop the horizon"
    )]
    HorizonNeedsZopaDefinitions(&'static str),
    #[error("the additive-frontier method needs additive utilities, but party `{0}` has a nonlinear (constraint) utility; use enumeration")]
    NotAdditive(String),
    #[error("the constraint-search method needs exactly two parties with sum-aggregated hyper-rectangle utilities; use enumeration or another method")]
    NotSearchable,
    #[error(
        "the exact constraint search visited {nodes} partial outcomes in one search (limit \
         {limit}) without closing the frontier; these rectangles overlap too much for it \
         (raise --max-nodes to search longer)"
    )]
    SearchTooLarge { nodes: u64, limit: u64 },
}

/// Analyses `scenario` for the parties and definitions of `config`, over the admissible
/// outcomes (see the module's documentation).
pub fn analyze(scenario: &Scenario, config: &AnalysisConfig) -> Result<Analysis, AnalysisError> {
    let mut a = analyze_over(scenario, config, true)?;
    if a.restrictions.is_empty() {
        return Ok(a);
    }
    if !config.compare_unrestricted {
        a.unrestricted_note = Some("not compared with the analysis without restrictions".into());
        return Ok(a);
    }
    match analyze_over(scenario, config, false) {
        Ok(free) => {
            for r in &mut a.restrictions {
                r.binds_at_nash = Some(
                    free.nash
                        .as_ref()
                        .is_some_and(|p| !r.restriction.holds(scenario, &p.outcome)),
                );
            }
            a.unrestricted_nash = free.nash;
        }
        Err(e) => {
            a.unrestricted_note = Some(format!("the analysis without restrictions: {e}"));
        }
    }
    Ok(a)
}

/// [`analyze`] over the admissible outcomes (`restricted`) or over every outcome.
fn analyze_over(
    scenario: &Scenario,
    config: &AnalysisConfig,
    restricted: bool,
) -> Result<Analysis, AnalysisError> {
    let parties = match &config.parties {
        Some(p) => {
            if let Some(&bad) = p.iter().find(|&&i| i >= scenario.parties.len()) {
                return Err(AnalysisError::UnknownParty(bad));
            }
            p.clone()
        }
        None => {
            let neg = scenario.negotiators();
            if neg.len() >= 2 {
                neg
            } else {
                (0..scenario.parties.len()).collect()
            }
        }
    };
    if parties.is_empty() {
        return Err(AnalysisError::NoParties("name at least one".into()));
    }
    let inside = match config.horizon {
        None => None,
        Some(_) if config.definitions != Definitions::Zopa => {
            return Err(AnalysisError::HorizonNeedsZopaDefinitions(
                config.definitions.as_str(),
            ))
        }
        Some(horizon) => Some(
            parties
                .iter()
                .map(|&i| {
                    let p = &scenario.parties[i];
                    inside_option(
                        p.reservation_value(),
                        p.cost_per_round.unwrap_or(0.0),
                        horizon,
                    )
                })
                .collect::<Vec<f64>>(),
        ),
    };
    let n = parties.len();
    let ufuns: Vec<&UtilityFunction> = parties
        .iter()
        .map(|&i| &scenario.parties[i].utility)
        .collect();
    let reserved: Vec<f64> = parties
        .iter()
        .map(|&i| scenario.parties[i].reservation_value())
        .collect();
    let grid = space::Grid::try_new(scenario, config.real_levels).map_err(|e| {
        AnalysisError::IssueTooLarge {
            issue: e.0,
            values: e.1,
            limit: space::MAX_ISSUE_VALUES,
        }
    })?;
    let analysed = grid.count();
    let plan = if restricted {
        restrict::Plan::new(scenario, &grid, &parties)
    } else {
        restrict::Plan::free(&grid)
    };
    let too_many_branches = |issue: usize, branches: usize| AnalysisError::TooManyBranches {
        issue: scenario.issues[issue].name.clone(),
        branches,
        limit: config.max_branches,
        open: plan
            .open_at(issue)
            .iter()
            .map(|r| r.describe(scenario))
            .collect(),
    };
    let all_additive = ufuns.iter().all(|u| u.as_additive().is_some());
    let small = grid.count_u64().is_some_and(|c| c <= config.max_enumerated);
    let constraints: Vec<&crate::utility::ConstraintUtility> = ufuns
        .iter()
        .filter_map(|u| match u {
            UtilityFunction::Constraint(c) => Some(c),
            _ => None,
        })
        .collect();
    let searchable = match constraints.as_slice() {
        [a, b] if n == 2 => constraint::Searchable::new(&grid, &[a, b], &plan),
        _ => None,
    };
    let method = match config.method {
        MethodChoice::Enumeration => Method::Enumeration,
        MethodChoice::AdditiveFrontier => Method::AdditiveFrontier,
        MethodChoice::ConstraintSearch => Method::ConstraintSearch,
        // The issue-by-issue merge never does more work than enumeration (each step keeps a
        // frontier no larger than the outcomes it stands for), so it is the fastest exact
        // method for additive utilities at any size.
        MethodChoice::Auto if all_additive => Method::AdditiveFrontier,
        MethodChoice::Auto if searchable.is_some() && !small => Method::ConstraintSearch,
        MethodChoice::Auto => Method::Enumeration,
    };
    if method == Method::Enumeration && !small {
        let hint = if all_additive {
            "use the additive-frontier method".to_string()
        } else {
            "the exact search for large nonlinear spaces covers two parties with sum-aggregated hyper-rectangle utilities; analyse such a pair (--parties A,B)".to_string()
        };
        return Err(AnalysisError::TooManyOutcomes {
            count: analysed,
            limit: config.max_enumerated,
            hint,
        });
    }
    let admissible = match plan.count(&grid, config.max_branches) {
        Ok(count) => count,
        // Enumeration visits every outcome anyway; count there.
        Err(_) if method == Method::Enumeration => brute_count(&grid, &plan),
        Err(e) => return Err(too_many_branches(e.issue, e.branches)),
    };
    let capped: Vec<bool> = ufuns
        .iter()
        .map(|u| u.as_additive().is_some_and(|a| a.cap_at_one))
        .collect();
    fn caps<T: Copy>(capped: &[bool], one: T) -> Vec<Option<T>> {
        capped.iter().map(|&c| c.then_some(one)).collect()
    }
    let mut arithmetic = Arithmetic::Float;
    let mut search_nodes = None;
    let (raw_points, worst) = match method {
        Method::Enumeration | Method::AdditiveFrontier if all_additive => {
            let too_large = |e: additive::TooLarge| match e {
                additive::TooLarge::Candidates { issue, candidates } => {
                    AnalysisError::FrontierTooLarge {
                        issue: scenario.issues[issue].name.clone(),
                        candidates,
                        limit: config.max_candidates,
                    }
                }
                additive::TooLarge::Branches { issue, branches } => {
                    too_many_branches(issue, branches)
                }
            };
            match exact::contributions(&grid, &ufuns) {
                Some(exact) => {
                    arithmetic = match exact.decimal_places() {
                        Some(places) => Arithmetic::ExactDecimal { places },
                        None => Arithmetic::ExactRational {
                            denominator: exact.denominator,
                        },
                    };
                    let (points, worst) = additive_points(
                        method,
                        &grid,
                        &exact.table,
                        caps(&capped, exact.one),
                        n,
                        config,
                        &plan,
                    )
                    .map_err(too_large)?;
                    let to_f64 = |u: &[i128]| u.iter().map(|&x| exact.to_f64(x)).collect();
                    let points: additive::Points =
                        points.into_iter().map(|(l, u)| (l, to_f64(&u))).collect();
                    // Exactly different utilities can round to the same f64 (repeating
                    // decimals written to 17 digits differ in the 34th place): keep what is
                    // Pareto-optimal at the precision reported.
                    let flat: Vec<f64> =
                        points.iter().flat_map(|(_, u)| u.iter().copied()).collect();
                    let keep = pareto::pareto_indices(&flat, n, |i| points[i].0.clone());
                    let points = keep.into_iter().map(|i| points[i].clone()).collect();
                    (points, to_f64(&worst))
                }
                None => {
                    let c = float_contributions(&grid, &ufuns);
                    let (points, worst) =
                        additive_points(method, &grid, &c, caps(&capped, 1.0), n, config, &plan)
                            .map_err(too_large)?;
                    (points, worst.into_iter().map(|x| x + 0.0).collect())
                }
            }
        }
        Method::Enumeration => {
            let e = enumerate::enumerate(
                &grid,
                n,
                enumerate::Scoring::Direct(&ufuns),
                |u: &UtilityFunction, o| u.eval(o) + 0.0,
                &plan,
            );
            (e.points, e.mins)
        }
        Method::AdditiveFrontier => {
            let who = parties
                .iter()
                .find(|&&i| scenario.parties[i].utility.as_additive().is_none())
                .map(|&i| scenario.parties[i].name.clone())
                .unwrap_or_default();
            return Err(AnalysisError::NotAdditive(who));
        }
        Method::ConstraintSearch => {
            let Some(s) = &searchable else {
                return Err(AnalysisError::NotSearchable);
            };
            let (found, nodes) =
                s.frontier(config.max_nodes)
                    .map_err(|nodes| AnalysisError::SearchTooLarge {
                        nodes,
                        limit: config.max_nodes,
                    })?;
            search_nodes = Some(nodes);
            found
        }
    };
    let mut raw_points = raw_points;
    // The lowest utility over no outcome at all: +∞ (as the ideal point over no frontier
    // is −∞).
    let worst = if admissible == BigUint::ZERO {
        vec![f64::INFINITY; n]
    } else {
        worst
    };
    raw_points.sort_by(|a, b| pareto::lex_desc(&a.1, &b.1));
    let frontier: Vec<Point> = raw_points
        .into_iter()
        .map(|(levels, utilities)| Point {
            outcome: grid.outcome(&levels),
            utilities,
        })
        .collect();
    let solved = solutions::solve(
        frontier,
        &reserved,
        inside.as_deref(),
        &worst,
        config.definitions,
    );
    Ok(Analysis {
        parties,
        reserved,
        disagreement: solved.disagreement,
        horizon: config.horizon,
        n_outcomes: space::outcome_count(scenario),
        analysed_outcomes: analysed,
        real_levels: grid.discretized.then_some(config.real_levels),
        method,
        search_nodes,
        arithmetic,
        definitions: config.definitions,
        frontier: solved.frontier,
        ideal: solved.ideal,
        worst,
        nash: solved.nash,
        kalai: solved.kalai,
        egalitarian: solved.egalitarian,
        max_welfare: solved.max_welfare,
        opposition: solved.opposition,
        zopa_exists: solved.zopa_exists,
        rational_frontier_size: solved.rational,
        restrictions: plan
            .restrictions
            .iter()
            .zip(&plan.rules_out)
            .map(|(&restriction, rules_out)| RestrictionUse {
                restriction,
                rules_out: rules_out.clone(),
                binds_at_nash: None,
            })
            .collect(),
        admissible_outcomes: (!grid.discretized).then(|| admissible.clone()),
        analysed_admissible: admissible,
        unrestricted_nash: None,
        unrestricted_note: None,
    })
}

/// The admissible outcomes of `grid`, one by one (for spaces small enough to enumerate).
fn brute_count(grid: &space::Grid, plan: &restrict::Plan) -> BigUint {
    let sizes = grid.sizes();
    if sizes.contains(&0) {
        return BigUint::ZERO;
    }
    let mut levels = vec![0u32; sizes.len()];
    let mut count = 0u64;
    loop {
        count += u64::from(plan.admissible(&levels));
        let mut d = sizes.len();
        loop {
            if d == 0 {
                return BigUint::from(count);
            }
            d -= 1;
            levels[d] += 1;
            if u64::from(levels[d]) < sizes[d] {
                break;
            }
            levels[d] = 0;
        }
    }
}

/// A party's inside option over `horizon` rounds: what an impasse is worth when talks can go
/// on until the deadline and then end in the outside option, `reservation − cost_per_round ·
/// horizon` (Binmore, Rubinstein & Wolinsky 1986; Muthoo 1999, ch. 5). Computed exactly
/// where the numbers are short decimals or small fractions (as utilities are, `exact.rs`)
/// and rounded once, so `0 − 0.01 · 30` is `-0.3`, not `-0.30000000000000004`.
///
/// ```
/// use zopa_core::analysis::inside_option;
/// assert_eq!(inside_option(0.0, 0.01, 30), -0.3);
/// assert_eq!(inside_option(0.4, 0.0, 1000), 0.4);
/// ```
pub fn inside_option(reservation: f64, cost_per_round: f64, horizon: u32) -> f64 {
    exact::inside_option(reservation, cost_per_round, horizon)
        .unwrap_or_else(|| reservation - cost_per_round * f64::from(horizon))
        + 0.0
}

/// How utilities were added up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Arithmetic {
    /// Exact decimal sums with this many decimal places, rounded once to `f64` at the end
    /// (see `exact.rs`): utilities equal on paper compare equal.
    ExactDecimal { places: u32 },
    /// Exact sums of fractions over this common denominator (GENIUS's evaluations divided by
    /// their maximum), rounded once to `f64` at the end.
    ExactRational { denominator: i128 },
    /// Binary floating point: utilities that are not all short decimals, or are not additive.
    Float,
}

/// Frontier and minima of additive utilities in arithmetic `T`, by enumeration or the
/// issue-by-issue merge.
fn additive_points<T: Utility>(
    method: Method,
    grid: &space::Grid,
    contributions: &[Vec<T>],
    caps: Vec<Option<T>>,
    n: usize,
    config: &AnalysisConfig,
    plan: &restrict::Plan,
) -> Result<(additive::Points<T>, Vec<T>), additive::TooLarge> {
    if method == Method::Enumeration {
        let e = enumerate::enumerate(
            grid,
            n,
            enumerate::Scoring::Additive {
                contributions,
                caps,
            },
            |_, _| T::ZERO,
            plan,
        );
        return Ok((e.points, e.mins));
    }
    let limits = additive::Limits {
        candidates: config.max_candidates,
        branches: config.max_branches,
    };
    let points = additive::frontier(contributions, n, limits, plan)?;
    let minimum = if plan.is_free() {
        additive_minimum(contributions, n, &caps)
    } else {
        let lowest =
            additive::minimum(contributions, n, limits, plan)?.unwrap_or_else(|| vec![T::ZERO; n]);
        cap(lowest, &caps)
    };
    Ok((apply_caps(points, n, &caps), minimum))
}

/// Each utility capped where its party caps.
fn cap<T: Utility>(u: Vec<T>, caps: &[Option<T>]) -> Vec<T> {
    u.into_iter()
        .zip(caps)
        .map(|(x, c)| match c {
            Some(c) if x.total_cmp(c).is_gt() => *c,
            _ => x,
        })
        .collect()
}

/// Per issue, per level, each party's weighted evaluation (`+ 0.0` folds -0 into 0).
fn float_contributions(grid: &space::Grid, ufuns: &[&UtilityFunction]) -> Vec<Vec<f64>> {
    let additive: Vec<_> = ufuns.iter().filter_map(|u| u.as_additive()).collect();
    grid.values
        .iter()
        .enumerate()
        .map(|(i, levels)| {
            levels
                .iter()
                .flat_map(|&v| {
                    additive
                        .iter()
                        .map(move |a| a.weights[i] * a.evaluators[i].eval(v) + 0.0)
                })
                .collect()
        })
        .collect()
}

/// GENIUS caps additive utility at 1; capping is monotone, so cap then re-filter.
fn apply_caps<T: Utility>(
    points: additive::Points<T>,
    n: usize,
    caps: &[Option<T>],
) -> additive::Points<T> {
    if caps.iter().all(Option::is_none) {
        return points;
    }
    let capped: additive::Points<T> = points
        .into_iter()
        .map(|(l, u)| {
            let u = u
                .iter()
                .zip(caps)
                .map(|(&x, c)| match c {
                    Some(c) if x.total_cmp(c).is_gt() => *c,
                    _ => x,
                })
                .collect();
            (l, u)
        })
        .collect();
    let flat: Vec<T> = capped.iter().flat_map(|(_, u)| u.iter().copied()).collect();
    let keep = pareto::pareto_indices(&flat, n, |i| capped[i].0.clone());
    keep.into_iter().map(|i| capped[i].clone()).collect()
}

fn additive_minimum<T: Utility>(contributions: &[Vec<T>], n: usize, caps: &[Option<T>]) -> Vec<T> {
    (0..n)
        .map(|p| {
            let mut s = T::ZERO;
            for c in contributions {
                let lowest = c
                    .chunks_exact(n)
                    .map(|r| r[p])
                    .min_by(|a, b| a.total_cmp(b))
                    .unwrap_or(T::ZERO);
                s = s + lowest;
            }
            match caps[p] {
                Some(c) if s.total_cmp(&c).is_gt() => c,
                _ => s,
            }
        })
        .collect()
}

#[cfg(test)]
mod restrict_tests;
#[cfg(test)]
mod tests;
