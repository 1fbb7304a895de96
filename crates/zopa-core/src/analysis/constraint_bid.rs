//! Exact bids on one hyper-rectangle (constraint, ANAC 2014) utility, without listing the
//! outcome space: the best and worst outcome, and the outcome nearest a target utility (or
//! the worst at or above it, the best at or below it).
//!
//! Each operation is a depth-first branch and bound over the issues with the mini-bucket
//! bounds of the frontier search (`constraint.rs`, `minibucket.rs`): an upper bound on the
//! utility and one on its negation at every partial outcome, so a subtree is cut when it
//! cannot reach the target interval or cannot improve on the outcome found. Finding the
//! outcome nearest a target is NP-hard in general (a subset sum hides in it), so the number
//! of partial outcomes visited is capped ([`ConstraintBidder::with_max_nodes`]) and a search
//! that would go past the cap is refused ([`BidError::SearchTooLarge`]), never cut short
//! with an answer that might be wrong.
//!
//! The best and the worst outcome search only value classes no other class beats for them
//! (`constraint.rs`, `Keep`); a target needs every class. On integer rectangle values (the
//! ANAC files) the target becomes an interval of integer sums, and a search ends as soon as
//! it hits the integer nearest the target. Measured on ANAC 2014's 30- and 40-issue profiles
//! (release build): the best and the worst outcome take 31–78 nodes and under 25 ms with the
//! bounds; `nearest` at targets 0.3, 0.5, 0.8, 0.9, 0.95 and 0.99 takes 49–76,000 nodes (under
//! 25 ms) in 34 of 36 cases, 4.3·10^6 nodes (1.6 s) in one, and passes 10^7 nodes in one
//! (`50issues`, first profile, target 0.5: an integer sum next to the target that no outcome
//! reaches has to be proved unreachable).
//!
//! Ties: of outcomes with equal utility the one returned is the first the search meets; the
//! search order is fixed, so a bidder answers the same question the same way every time.
//! [`ConstraintBidder::nearest`] prefers the outcome at or above the target when one below
//! is as near.
//!
//! ```
//! use zopa_core::analysis::ConstraintBidder;
//! use zopa_core::{Aggregation, ConstraintUtility, HyperRectangle, Issue, IssueKind, RectangleKind};
//!
//! let issues: Vec<Issue> = (0..3)
//!     .map(|i| Issue {
//!         name: format!("i{i}"),
//!         kind: IssueKind::Integer { min: 0, max: 9 },
//!         description: None,
//!         positions: None,
//!     })
//!     .collect();
//! let rect = |utility: f64, bounds: Vec<(usize, f64, f64)>| HyperRectangle {
//!     kind: RectangleKind::Include,
//!     utility,
//!     bounds,
//! };
//! let u = ConstraintUtility {
//!     rectangles: vec![
//!         rect(6.0, vec![(0, 0.0, 4.0), (1, 5.0, 9.0)]),
//!         rect(3.0, vec![(1, 0.0, 4.0)]),
//!         rect(1.0, vec![(2, 7.0, 9.0)]),
//!     ],
//!     aggregation: Aggregation::Sum,
//!     weight: 1.0,
//!     max_utility: 10.0,
//! };
//! let bidder = ConstraintBidder::new(&issues, &u).unwrap();
//! assert_eq!(bidder.best().unwrap().utility, 0.7);
//! assert_eq!(bidder.worst().unwrap().utility, 0.0);
//! // Reachable sums are 0, 1, 3, 4, 6 and 7: 0.5 lies between 0.4 and 0.6.
//! assert_eq!(bidder.at_least(0.5).unwrap().unwrap().utility, 0.6);
//! assert_eq!(bidder.at_most(0.5).unwrap().unwrap().utility, 0.4);
//! let near = bidder.nearest(0.52).unwrap();
//! assert_eq!(near.utility, 0.6);
//! assert_eq!(u.eval(&near.outcome), near.utility);
//! ```

use crate::issue::{Issue, IssueKind, Value};
use crate::utility::ConstraintUtility;

use super::constraint::{Keep, Searchable, Space};
use super::minibucket::Heuristic;
use super::restrict::Plan;
use super::space::Grid;

/// The partial outcomes one operation may visit unless told otherwise (as
/// `AnalysisConfig::max_nodes`).
pub const DEFAULT_MAX_NODES: u64 = 1_000_000;

/// One outcome and its utility, as [`ConstraintUtility::eval`] gives it (bit for bit).
#[derive(Debug, Clone, PartialEq)]
pub struct Bid {
    /// One value per issue, in the order of the issues given.
    pub outcome: Vec<Value>,
    pub utility: f64,
    /// Partial outcomes the search visited.
    pub nodes: u64,
}

/// Why a bidder cannot be built, or an operation not answered.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BidError {
    #[error(
        "exact bidding needs a sum of rectangles; this utility takes their minimum or maximum"
    )]
    NotSum,
    #[error("issue `{0}` is continuous; exact bidding covers integer and discrete issues")]
    Continuous(String),
    #[error("issue `{0}` has more values than an exact search lays out")]
    TooManyValues(String),
    #[error("the utility's maximum, weight and rectangle values must be finite, and the maximum above 0")]
    NotFinite,
    #[error("the issues admit no outcome")]
    NoOutcome,
    #[error("a target utility must be a number, not NaN")]
    Target,
    #[error(
        "the exact search visited {nodes} partial outcomes (limit {limit}) without an answer; \
         raise the limit to search longer"
    )]
    SearchTooLarge { nodes: u64, limit: u64 },
}

/// Exact bidding operations on one sum-aggregated [`ConstraintUtility`] over `issues`.
pub struct ConstraintBidder {
    grid: Grid,
    search: Searchable,
    /// Every value class, and bounds of u and −u over them (for targets).
    every: (Space, [Heuristic; 2]),
    limit: u64,
}

impl ConstraintBidder {
    /// A bidder for `utility` over `issues` (integer or discrete: a continuous issue has no
    /// outcome list to be exact about); the bounds are built here, once.
    pub fn new(issues: &[Issue], utility: &ConstraintUtility) -> Result<Self, BidError> {
        if let Some(issue) = issues
            .iter()
            .find(|i| matches!(i.kind, IssueKind::Real { .. }))
        {
            return Err(BidError::Continuous(issue.name.clone()));
        }
        let finite = utility.max_utility.is_finite()
            && utility.max_utility > 0.0
            && utility.weight.is_finite()
            && utility.rectangles.iter().all(|r| {
                r.utility.is_finite() && r.bounds.iter().all(|b| !b.1.is_nan() && !b.2.is_nan())
            });
        if !finite {
            return Err(BidError::NotFinite);
        }
        let grid = Grid::from_issues(issues, 2).map_err(|e| BidError::TooManyValues(e.0))?;
        let plan = Plan::free(&grid);
        let search = Searchable::new(&grid, &[utility], &plan).ok_or(BidError::NotSum)?;
        let space = search.space(Keep::All);
        if grid.values.iter().any(Vec::is_empty) {
            return Err(BidError::NoOutcome);
        }
        let bounds = search.extreme_bounds(&space, 0);
        Ok(ConstraintBidder {
            grid,
            search,
            every: (space, bounds),
            limit: DEFAULT_MAX_NODES,
        })
    }

    /// At most `limit` partial outcomes per operation (default [`DEFAULT_MAX_NODES`]).
    pub fn with_max_nodes(mut self, limit: u64) -> Self {
        self.limit = limit;
        self
    }

    /// The outcome with the highest utility.
    pub fn best(&self) -> Result<Bid, BidError> {
        self.extreme(true)
    }

    /// The outcome with the lowest utility.
    pub fn worst(&self) -> Result<Bid, BidError> {
        self.extreme(false)
    }

    /// The outcome with the lowest utility at or above `target`; `None` when no outcome
    /// reaches it.
    pub fn at_least(&self, target: f64) -> Result<Option<Bid>, BidError> {
        if target.is_nan() {
            return Err(BidError::Target);
        }
        self.within(false, (target, f64::INFINITY))
    }

    /// The outcome with the highest utility at or below `target`; `None` when every outcome
    /// is above it.
    pub fn at_most(&self, target: f64) -> Result<Option<Bid>, BidError> {
        if target.is_nan() {
            return Err(BidError::Target);
        }
        self.within(true, (f64::NEG_INFINITY, target))
    }

    /// The outcome whose utility is nearest `target`; of one above and one below at the same
    /// distance, the one above.
    pub fn nearest(&self, target: f64) -> Result<Bid, BidError> {
        let above = self.at_least(target)?;
        // Below, only what is strictly nearer than the outcome above can win.
        let floor = match &above {
            Some(a) if a.utility == target => return Ok(a.clone()),
            Some(a) => target - (a.utility - target),
            None => f64::NEG_INFINITY,
        };
        let below = self.within(true, (floor, target))?;
        let nodes = above.as_ref().map_or(0, |b| b.nodes) + below.as_ref().map_or(0, |b| b.nodes);
        let pick = match (above, below) {
            (Some(a), Some(b)) => {
                if a.utility - target <= target - b.utility {
                    a
                } else {
                    b
                }
            }
            (Some(a), None) => a,
            (None, Some(b)) => b,
            // Some outcome is at or above or at or below any number.
            (None, None) => return Err(BidError::NoOutcome),
        };
        Ok(Bid { nodes, ..pick })
    }

    /// The best (`maximise`) or worst outcome: only value classes that are not beaten for it
    /// are searched.
    fn extreme(&self, maximise: bool) -> Result<Bid, BidError> {
        let space = self.search.space(Keep::Unbeaten {
            parties: &[0],
            maximise,
        });
        let bounds = self.search.extreme_bounds(&space, 0);
        let all = (f64::NEG_INFINITY, f64::INFINITY);
        self.run(&space, &bounds, maximise, all)?
            .ok_or(BidError::NoOutcome)
    }

    fn within(&self, maximise: bool, range: (f64, f64)) -> Result<Option<Bid>, BidError> {
        let (space, bounds) = &self.every;
        self.run(space, bounds, maximise, range)
    }

    fn run(
        &self,
        space: &Space,
        bounds: &[Heuristic; 2],
        maximise: bool,
        range: (f64, f64),
    ) -> Result<Option<Bid>, BidError> {
        let e = self
            .search
            .extreme(space, bounds, 0, maximise, range, self.limit)
            .map_err(|nodes| BidError::SearchTooLarge {
                nodes,
                limit: self.limit,
            })?;
        Ok(e.found.map(|(levels, raw)| Bid {
            outcome: self.grid.outcome(&levels),
            utility: self.search.utility(0, raw),
            nodes: e.nodes,
        }))
    }
}
