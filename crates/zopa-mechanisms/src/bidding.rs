//! A negotiator's bidding order and the questions strategies ask of it.
//!
//! Every strategy and mediator bids through [`Bidding`]: the outcomes best first by the
//! negotiator's own utility (as [`crate::session::Setup::utility_of`] scores them), ties broken
//! by value levels, lowest first, the first issue most significant — the order a stable sort of
//! the listed space gives. Strategies name stretches of that order ([`Span`]: "utility ≥ x",
//! "after this bid") and ask for the first or last outcome of one, its size, a uniformly random
//! outcome of it, or the one an opponent model likes best; they never index a list.
//!
//! * [`Bidding::Additive`] (additive utilities above [`LISTED_ADDITIVE`] outcomes): computed
//!   on the issue structure by [`zopa_core::bidding::AdditiveBids`], exact at every size.
//! * [`Bidding::Listed`] (additive utilities up to [`LISTED_ADDITIVE`] outcomes — the same
//!   order, answered faster by a sorted list — and hyper-rectangle utilities): the space listed
//!   and sorted.
//! * [`Bidding::Sampled`] (hyper-rectangle utilities above
//!   [`crate::strategies::OUTCOME_LIMIT`] outcomes): the outcomes a utility target names — the
//!   best, the worst, the worst at or above a target, the best below it, the nearest — searched
//!   exactly by zopa-core's `ConstraintBidder` (at most [`EXACT_NODES`] partial outcomes a
//!   search); a random sample drawn from the run's seed answers the rest. Of outcomes of equal
//!   utility the exact search returns the first it meets, not the first in value order.
//!
//! Random draws come from the strategy's own seeded stream ([`draw_below`]), one draw per
//! random outcome, so a run stays a pure function of its seed.

use rand::RngExt;
use zopa_core::analysis::ConstraintBidder;
use zopa_core::bidding::{self as core, AdditiveBids, Estimate};
use zopa_core::{Issue, UtilityFunction, Value};

use crate::opponent::OpponentModel;
use crate::outcomes::SortedOutcomes;
use crate::session::Outcome;
use crate::Rng;

/// An outcome with its place in a bidding order.
#[derive(Debug, Clone, PartialEq)]
pub struct Bid {
    pub outcome: Outcome,
    /// The negotiator's own utility of it.
    pub utility: f64,
    place: Place,
}

#[derive(Debug, Clone, PartialEq)]
enum Place {
    /// Index in a listing.
    Rank(usize),
    /// Found by an exact search, perhaps outside the listing: placed by its utility, after
    /// the listed outcomes better than it and before those worse.
    Outside,
    /// Value levels (additive orders).
    Levels(Vec<u32>),
}

/// A point of the bidding order, between two neighbouring outcomes.
#[derive(Debug, Clone, PartialEq)]
pub enum Cut {
    /// After every outcome of utility ≥ x, before every outcome below it.
    Utility(f64),
    /// Just before this bid.
    Before(Bid),
    /// Just after this bid.
    After(Bid),
}

/// A stretch of the bidding order: after `from` (from the best when `None`), before `to` (to
/// the worst when `None`).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Span {
    pub from: Option<Cut>,
    pub to: Option<Cut>,
}

impl Span {
    /// Every outcome.
    pub fn all() -> Span {
        Span::default()
    }

    /// The outcomes of utility ≥ `u`.
    pub fn at_least(u: f64) -> Span {
        Span {
            from: None,
            to: Some(Cut::Utility(u)),
        }
    }

    /// The outcomes of utility in `[low, high]`.
    pub fn between(low: f64, high: f64) -> Span {
        Span {
            from: Some(Cut::Utility(core::next_up(high))),
            to: Some(Cut::Utility(low)),
        }
    }

    /// The outcomes from the best to `bid`, `bid` included.
    pub fn through(bid: &Bid) -> Span {
        Span {
            from: None,
            to: Some(Cut::After(bid.clone())),
        }
    }

    /// The outcomes after `bid`, up to where this span ends.
    pub fn after(&self, bid: &Bid) -> Span {
        Span {
            from: Some(Cut::After(bid.clone())),
            to: self.to.clone(),
        }
    }
}

/// The bid a cut names, if any.
fn cut_bid(cut: &Cut) -> Option<&Bid> {
    match cut {
        Cut::Utility(_) => None,
        Cut::Before(b) | Cut::After(b) => Some(b),
    }
}

/// A number in `0..n` (n > 0) from `rng`: drawn as a `usize` when `n` fits one (as a listing's
/// index was drawn), else as a `u128`.
pub fn draw_below(rng: &mut Rng, n: u128) -> u128 {
    match usize::try_from(n) {
        Ok(k) => rng.random_range(0..k.max(1)) as u128,
        Err(_) => rng.random_range(0..n),
    }
}

/// Largest class of equal utility [`Bidding::negolog_bid_at`] lists to take its outcome in
/// NegoLog's order.
pub const NEGOLOG_CLASS_LIMIT: usize = 100_000;

/// A place in a class of equal utility.
#[derive(Debug, Clone, Copy)]
enum ClassPick {
    First,
    Last,
    At(usize),
}

/// Additive spaces of at most this many outcomes are listed and sorted rather than searched.
pub const LISTED_ADDITIVE: usize = 1 << 16;

/// Partial outcomes one exact search of a [`Bidding::Sampled`] order may visit; beyond, the
/// sample answers (a hard target can take millions: zopa-core's `constraint_bid` docs).
pub const EXACT_NODES: u64 = 200_000;

/// A negotiator's bidding order (see the module docs).
#[derive(Debug, Clone)]
pub enum Bidding {
    /// Listed and sorted (hyper-rectangle utilities).
    Listed(SortedOutcomes),
    /// Computed on the issue structure (additive utilities).
    Additive(AdditiveBids),
    /// A hyper-rectangle utility over a space too large to list: the first and the last
    /// outcome of a span cut by utilities alone — the best, the worst, the worst at or above a
    /// target, the best below it, the nearest — are searched exactly by zopa-core's
    /// [`ConstraintBidder`]; the seeded `sample` answers the rest (counts, ranks, draws,
    /// listing, spans cut at a bid) and any search that would pass [`EXACT_NODES`].
    Sampled {
        sample: SortedOutcomes,
        exact: ExactBids,
    },
}

/// zopa-core's exact bidder of a hyper-rectangle utility, shared by the clones of an order.
#[derive(Clone)]
pub struct ExactBids(std::sync::Arc<ConstraintBidder>);

impl std::fmt::Debug for ExactBids {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("ExactBids")
    }
}

impl ExactBids {
    fn bid(b: zopa_core::analysis::Bid) -> Bid {
        Bid {
            outcome: b.outcome,
            utility: b.utility,
            place: Place::Outside,
        }
    }

    /// The utilities a span is cut at — outcomes of utility below the first and at least the
    /// second — or `None` when a cut names a bid.
    fn bounds(span: &Span) -> Option<(f64, f64)> {
        let below = match &span.from {
            None => f64::INFINITY,
            Some(Cut::Utility(x)) => *x,
            Some(_) => return None,
        };
        let at_least = match &span.to {
            None => f64::NEG_INFINITY,
            Some(Cut::Utility(x)) => *x,
            Some(_) => return None,
        };
        Some((below, at_least))
    }

    /// The first outcome of `span`; `None` when the search does not answer.
    fn first(&self, span: &Span) -> Option<Option<Bid>> {
        let (below, at_least) = Self::bounds(span)?;
        let found = if below == f64::INFINITY {
            self.0.best().map(Some)
        } else {
            self.0.at_most(-core::next_up(-below))
        };
        let found = found.ok()?;
        Some(found.filter(|b| b.utility >= at_least).map(Self::bid))
    }

    /// The last outcome of `span`; `None` when the search does not answer.
    fn last(&self, span: &Span) -> Option<Option<Bid>> {
        let (below, at_least) = Self::bounds(span)?;
        let found = if at_least == f64::NEG_INFINITY {
            self.0.worst().map(Some)
        } else {
            self.0.at_least(at_least)
        };
        let found = found.ok()?;
        Some(found.filter(|b| b.utility < below).map(Self::bid))
    }
}

impl Bidding {
    /// The bidding order of `utility` over `issues`: additive utilities get
    /// [`Bidding::Additive`]; others (and additive ones on an issue of more than
    /// [`zopa_core::bidding::MAX_LEVELS`] values) are listed, spaces above `limit` sampled
    /// from `rng`.
    pub fn new(
        issues: &[Issue],
        utility: &UtilityFunction,
        limit: usize,
        rng: &mut Rng,
    ) -> Bidding {
        if let Some(a) = utility.as_additive() {
            if let Ok(b) = AdditiveBids::new(issues, a, crate::outcomes::REAL_LEVELS) {
                // A space this small is listed: the same order (tested bit for bit), and a
                // sorted list answers each question faster than the search (Aspiration vs
                // Boulware on 10^3 outcomes: bench/speed.py).
                if b.len() > LISTED_ADDITIVE as u128 {
                    return Bidding::Additive(b);
                }
                return Bidding::Listed(SortedOutcomes::new(issues, utility, LISTED_ADDITIVE, rng));
            }
        }
        let sample = SortedOutcomes::new(issues, utility, limit, rng);
        if let (false, UtilityFunction::Constraint(c)) = (sample.complete, utility) {
            if let Ok(exact) = ConstraintBidder::new(issues, c) {
                return Bidding::Sampled {
                    sample,
                    exact: ExactBids(std::sync::Arc::new(exact.with_max_nodes(EXACT_NODES))),
                };
            }
        }
        Bidding::Listed(sample)
    }

    /// How many outcomes the order holds (a listing's sample counts its size).
    pub fn len(&self) -> u128 {
        match self {
            Bidding::Listed(l) | Bidding::Sampled { sample: l, .. } => l.len() as u128,
            Bidding::Additive(a) => a.len(),
        }
    }

    /// Never true: every space has an outcome.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether every outcome is in the order (not a sample).
    pub fn complete(&self) -> bool {
        match self {
            Bidding::Listed(l) | Bidding::Sampled { sample: l, .. } => l.complete,
            Bidding::Additive(_) => true,
        }
    }

    fn listed(l: &SortedOutcomes, rank: usize) -> Option<Bid> {
        Some(Bid {
            outcome: l.outcomes.get(rank)?.clone(),
            utility: l.utils[rank],
            place: Place::Rank(rank),
        })
    }

    fn additive(a: &AdditiveBids, b: core::Bid) -> Bid {
        Bid {
            outcome: a.outcome(&b.levels),
            utility: b.utility,
            place: Place::Levels(b.levels),
        }
    }

    /// The best outcome (an empty outcome of utility 0 for an empty listing).
    pub fn best(&self) -> Bid {
        self.first(&Span::all()).unwrap_or(Bid {
            outcome: Vec::new(),
            utility: 0.0,
            place: Place::Rank(0),
        })
    }

    /// The worst outcome.
    pub fn worst(&self) -> Bid {
        self.last(&Span::all()).unwrap_or_else(|| self.best())
    }

    /// Listing: the index a cut falls at.
    fn index(l: &SortedOutcomes, cut: &Cut) -> usize {
        let at = |b: &Bid| match &b.place {
            Place::Rank(r) => *r,
            // A bid from another order: placed by its utility.
            Place::Levels(_) => l.count_at_least(b.utility),
            Place::Outside => unreachable!("placed below"),
        };
        match (cut, cut_bid(cut).map(|b| &b.place)) {
            (Cut::Before(b), Some(Place::Outside)) => l.count_at_least(core::next_up(b.utility)),
            (Cut::After(b), Some(Place::Outside)) => l.count_at_least(b.utility),
            (Cut::Utility(x), _) => l.count_at_least(*x),
            (Cut::Before(b), _) => at(b),
            (Cut::After(b), _) => at(b) + 1,
        }
        .min(l.len())
    }

    fn range(l: &SortedOutcomes, span: &Span) -> std::ops::Range<usize> {
        let start = span.from.as_ref().map_or(0, |c| Self::index(l, c));
        let end = span.to.as_ref().map_or(l.len(), |c| Self::index(l, c));
        start..end.max(start)
    }

    fn core_cut(cut: &Cut) -> core::Cut {
        let bid = |b: &Bid| match &b.place {
            Place::Levels(levels) => Some(core::Bid {
                levels: levels.clone(),
                utility: b.utility,
            }),
            Place::Rank(_) | Place::Outside => None,
        };
        match cut {
            Cut::Utility(x) => core::Cut::Utility(*x),
            Cut::Before(b) => bid(b).map_or(core::Cut::Utility(core::next_up(b.utility)), |c| {
                core::Cut::Before(c)
            }),
            Cut::After(b) => bid(b).map_or(core::Cut::Utility(b.utility), core::Cut::After),
        }
    }

    fn core_span(span: &Span) -> core::Span {
        core::Span {
            from: span.from.as_ref().map(Self::core_cut),
            to: span.to.as_ref().map(Self::core_cut),
        }
    }

    /// How many outcomes `span` holds.
    pub fn count(&self, span: &Span) -> u128 {
        match self {
            Bidding::Listed(l) | Bidding::Sampled { sample: l, .. } => {
                Self::range(l, span).len() as u128
            }
            Bidding::Additive(a) => a.count(&Self::core_span(span)),
        }
    }

    /// How many outcomes have utility ≥ `u`.
    pub fn count_at_least(&self, u: f64) -> u128 {
        self.count(&Span::at_least(u))
    }

    /// How many outcomes come before `cut`.
    pub fn count_before(&self, cut: &Cut) -> u128 {
        match self {
            Bidding::Listed(l) | Bidding::Sampled { sample: l, .. } => Self::index(l, cut) as u128,
            Bidding::Additive(a) => a.count_before(&Self::core_cut(cut)),
        }
    }

    /// The first outcome of `span`.
    pub fn first(&self, span: &Span) -> Option<Bid> {
        if let Bidding::Sampled { exact, .. } = self {
            if let Some(found) = exact.first(span) {
                return found;
            }
        }
        match self {
            Bidding::Listed(l) | Bidding::Sampled { sample: l, .. } => {
                let r = Self::range(l, span);
                (!r.is_empty()).then(|| Self::listed(l, r.start))?
            }
            Bidding::Additive(a) => a
                .first(&Self::core_span(span))
                .map(|b| Self::additive(a, b)),
        }
    }

    /// The last outcome of `span`.
    pub fn last(&self, span: &Span) -> Option<Bid> {
        if let Bidding::Sampled { exact, .. } = self {
            if let Some(found) = exact.last(span) {
                return found;
            }
        }
        match self {
            Bidding::Listed(l) | Bidding::Sampled { sample: l, .. } => {
                let r = Self::range(l, span);
                (!r.is_empty()).then(|| Self::listed(l, r.end - 1))?
            }
            Bidding::Additive(a) => a.last(&Self::core_span(span)).map(|b| Self::additive(a, b)),
        }
    }

    /// The worst outcome of utility ≥ `u`.
    pub fn worst_at_least(&self, u: f64) -> Option<Bid> {
        self.last(&Span::at_least(u))
    }

    /// The best outcome of utility < `u`.
    pub fn best_below(&self, u: f64) -> Option<Bid> {
        self.first(&Span {
            from: Some(Cut::Utility(u)),
            to: None,
        })
    }

    /// The outcome with utility nearest to `u` (GENIUS `getBidNearUtility`): of the worst
    /// outcome at or above `u` and the best below, the nearer; the one above when as near.
    pub fn nearest(&self, u: f64) -> Bid {
        if let Bidding::Sampled { exact, .. } = self {
            if let Ok(b) = exact.0.nearest(u) {
                return ExactBids::bid(b);
            }
        }
        match self {
            Bidding::Listed(l) | Bidding::Sampled { sample: l, .. } => {
                Self::listed(l, l.near(u)).unwrap_or_else(|| self.best())
            }
            Bidding::Additive(a) => Self::additive(a, a.nearest(u)),
        }
    }

    /// The outcome NegoLog's `Preference.get_bid_at(u)` picks (`nenv/Preference.py`): a
    /// binary search over the outcomes best first — index 0 when `u` is at or above the best,
    /// the last index when at or below the worst, the index the search first probes whose
    /// utility equals `u` exactly, else of the two neighbours of `u` the nearer, the one above
    /// when as near.
    ///
    /// The search is replayed on counts alone (which indices hold utilities above, equal to
    /// or below `u`), so the index it ends at is NegoLog's at every size. NegoLog's list keeps
    /// outcomes of equal utility in the order it generated them (the *last* issue most
    /// significant), this order by value levels with the first issue most significant: within
    /// the class of equal utility the index falls in, the outcome is taken in NegoLog's order
    /// (the class listed and sorted) when the class holds at most [`NEGOLOG_CLASS_LIMIT`]
    /// outcomes, in this order beyond.
    pub fn negolog_bid_at(&self, u: f64) -> Bid {
        let n = self.len();
        let best = self.best();
        if n == 0 {
            return best;
        }
        if u >= best.utility {
            return self.negolog_class(best.utility, ClassPick::First, best);
        }
        let worst = self.worst();
        if u <= worst.utility {
            return self.negolog_class(worst.utility, ClassPick::Last, worst);
        }
        // Indices below `above` hold utilities > u; below `at_least`, ≥ u.
        let above = self.count_at_least(core::next_up(u));
        let at_least = self.count_at_least(u);
        let (mut low, mut high) = (0u128, n - 1);
        while low <= high {
            let mid = (low + high) / 2;
            if mid < above {
                low = mid + 1;
            } else if mid >= at_least {
                match mid.checked_sub(1) {
                    Some(h) => high = h,
                    None => break,
                }
            } else {
                let here = self.at_rank(mid).unwrap_or(best);
                let pick = ClassPick::At((mid - above) as usize);
                return self.negolog_class(here.utility, pick, here);
            }
        }
        // No utility equals u: `low` is the best outcome below it, `high` the worst above.
        let below = self.best_below(u);
        let over = self.worst_at_least(u);
        match (below, over) {
            (Some(b), Some(o)) if (b.utility - u).abs() < (o.utility - u).abs() => {
                self.negolog_class(b.utility, ClassPick::First, b)
            }
            (_, Some(o)) => self.negolog_class(o.utility, ClassPick::Last, o),
            (Some(b), None) => self.negolog_class(b.utility, ClassPick::First, b),
            (None, None) => best,
        }
    }

    /// The outcome at `pick` of the class of utility exactly `u` in NegoLog's order (ties by
    /// value levels, the last issue most significant); `fallback` (this order's) when the
    /// class is larger than [`NEGOLOG_CLASS_LIMIT`] or has no such place.
    fn negolog_class(&self, u: f64, pick: ClassPick, fallback: Bid) -> Bid {
        let class = Span::between(u, u);
        let size = self.count(&class);
        if size <= 1 || size > NEGOLOG_CLASS_LIMIT as u128 {
            return fallback;
        }
        let mut members: Vec<Bid> = self.iter(&class).collect();
        if members.is_empty() {
            return fallback;
        }
        let level = |v: &Value| match *v {
            Value::Discrete(i) => f64::from(i),
            Value::Integer(x) => x as f64,
            Value::Real(x) => x,
        };
        members.sort_by(|a, b| {
            a.outcome
                .iter()
                .rev()
                .zip(b.outcome.iter().rev())
                .map(|(x, y)| level(x).total_cmp(&level(y)))
                .find(|o| o.is_ne())
                .unwrap_or(std::cmp::Ordering::Equal)
        });
        let k = match pick {
            ClassPick::First => 0,
            ClassPick::Last => members.len() - 1,
            ClassPick::At(k) => k,
        };
        if k < members.len() {
            members.swap_remove(k)
        } else {
            fallback
        }
    }

    /// The outcome right after `bid`.
    pub fn next_after(&self, bid: &Bid) -> Option<Bid> {
        self.first(&Span::all().after(bid))
    }

    /// The outcomes of `span` in order, found one at a time.
    pub fn iter<'a>(&'a self, span: &Span) -> Box<dyn Iterator<Item = Bid> + 'a> {
        match self {
            Bidding::Listed(l) | Bidding::Sampled { sample: l, .. } => {
                Box::new(Self::range(l, span).filter_map(move |r| Self::listed(l, r)))
            }
            Bidding::Additive(a) => Box::new(
                a.iter(&Self::core_span(span))
                    .map(move |b| Self::additive(a, b)),
            ),
        }
    }

    /// The `k` best outcomes, best first.
    pub fn top(&self, k: usize) -> Vec<Bid> {
        self.iter(&Span::all()).take(k).collect()
    }

    /// The outcome at `rank` (0: the best).
    pub fn at_rank(&self, rank: u128) -> Option<Bid> {
        match self {
            Bidding::Listed(l) | Bidding::Sampled { sample: l, .. } => {
                Self::listed(l, usize::try_from(rank).ok()?)
            }
            Bidding::Additive(a) => a.at_rank(rank).map(|b| Self::additive(a, b)),
        }
    }

    /// A uniformly random outcome of `span`: one draw from `rng` ([`draw_below`] of its size),
    /// the outcome at that place of the span.
    pub fn random(&self, span: &Span, rng: &mut Rng) -> Option<Bid> {
        let n = self.count(span);
        if n == 0 {
            return None;
        }
        let start = span.from.as_ref().map_or(0, |c| self.count_before(c));
        self.at_rank(start + draw_below(rng, n))
    }

    /// Of the outcomes in `span`, the one `model` expects its party to like best; of equals,
    /// the first. Additive orders search with the model's additive form when it has one
    /// ([`OpponentModel::estimate`]: a bound search on two utilities), else list the span.
    pub fn best_for(&self, span: &Span, model: &dyn OpponentModel) -> Option<Bid> {
        if let Bidding::Additive(a) = self {
            if let Some(e) = model.estimate(a.values()) {
                return a
                    .best_for(&Self::core_span(span), &e)
                    .map(|b| Self::additive(a, b));
            }
        }
        let mut best: Option<(f64, Bid)> = None;
        for b in self.iter(span) {
            let m = model.utility(&b.outcome);
            if best.as_ref().is_none_or(|(x, _)| m > *x) {
                best = Some((m, b));
            }
        }
        best.map(|(_, b)| b)
    }
}

/// The values an additive order tabulates, for models that build an [`Estimate`].
pub type Levels = [Vec<Value>];

/// Shorthand for models: an estimate from per-issue terms and a divisor.
pub fn estimate(values: &Levels, term: impl Fn(usize, Value) -> f64, scale: f64) -> Estimate {
    Estimate {
        terms: values
            .iter()
            .enumerate()
            .map(|(i, vs)| vs.iter().map(|&v| term(i, v)).collect())
            .collect(),
        scale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zopa_core::{AdditiveUtility, Evaluator};

    /// NegoLog's binary search (`Preference.__binary_search`) over utilities best first: the
    /// index it returns.
    fn negolog_index(utils: &[f64], u: f64) -> usize {
        if u >= utils[0] {
            return 0;
        }
        if u <= utils[utils.len() - 1] {
            return utils.len() - 1;
        }
        let (mut low, mut high) = (0i64, utils.len() as i64 - 1);
        while low <= high {
            let mid = (low + high) / 2;
            let m = utils[mid as usize];
            if u < m {
                low = mid + 1;
            } else if u > m {
                high = mid - 1;
            } else {
                return mid as usize;
            }
        }
        let (l, h) = (low as usize, high as usize);
        if (utils[l] - u).abs() < (utils[h] - u).abs() {
            l
        } else {
            h
        }
    }

    /// Three issues with many exact ties (equal weights, equal levels), and one without.
    fn spaces() -> Vec<(Vec<Issue>, UtilityFunction)> {
        let tied = (
            vec![
                Issue::discrete("a", &["0", "1", "2"]),
                Issue::discrete("b", &["0", "1", "2"]),
                Issue::discrete("c", &["0", "1", "2", "3"]),
            ],
            UtilityFunction::Additive(AdditiveUtility {
                weights: vec![0.25, 0.25, 0.5],
                evaluators: vec![
                    Evaluator::Table(vec![0.0, 0.5, 1.0]),
                    Evaluator::Table(vec![1.0, 0.5, 0.0]),
                    Evaluator::Table(vec![0.0, 0.25, 0.5, 0.5]),
                ],
                cap_at_one: false,
            }),
        );
        let plain = (
            vec![
                Issue::discrete("x", &["0", "1", "2", "3", "4"]),
                Issue::discrete("y", &["0", "1", "2"]),
            ],
            UtilityFunction::Additive(AdditiveUtility {
                weights: vec![0.6, 0.4],
                evaluators: vec![
                    Evaluator::Table(vec![0.0, 0.3, 0.55, 0.8, 1.0]),
                    Evaluator::Table(vec![0.2, 1.0, 0.7]),
                ],
                cap_at_one: false,
            }),
        );
        vec![tied, plain]
    }

    #[test]
    fn negolog_bid_at_lands_where_negologs_binary_search_does() {
        // Searched and listed (as small spaces are), the same picks.
        let orders = spaces().into_iter().flat_map(|(issues, utility)| {
            let searched = AdditiveBids::new(&issues, utility.as_additive().unwrap(), 1)
                .map(Bidding::Additive)
                .unwrap();
            let listed = Bidding::new(&issues, &utility, 1000, &mut crate::rng(1, 0));
            assert!(matches!(listed, Bidding::Listed(_)));
            [searched, listed]
        });
        for bidding in orders {
            let listing: Vec<Bid> = bidding.iter(&Span::all()).collect();
            let utils: Vec<f64> = listing.iter().map(|b| b.utility).collect();
            // Every utility, the midpoints between neighbours (exactly half-way: the one above),
            // points a third of the way, and beyond both ends.
            let mut targets = vec![-1.0, 0.0, 2.0, utils[0], utils[utils.len() - 1]];
            for w in utils.windows(2) {
                targets.extend([w[0], (w[0] + w[1]) / 2.0, w[1] + (w[0] - w[1]) / 3.0]);
                targets.push(w[0] - (w[0] - w[1]) / 3.0);
            }
            // NegoLog's list: generated with the last issue most significant, stably sorted
            // best first.
            let mut negolog = listing.clone();
            negolog.sort_by(|a, b| {
                let key = |x: &Bid| -> Vec<u32> {
                    x.outcome
                        .iter()
                        .rev()
                        .map(|v| match v {
                            Value::Discrete(i) => *i,
                            _ => 0,
                        })
                        .collect()
                };
                key(a).cmp(&key(b))
            });
            negolog.sort_by(|a, b| b.utility.total_cmp(&a.utility));
            for u in targets {
                let want = &negolog[negolog_index(&utils, u)];
                let got = bidding.negolog_bid_at(u);
                assert_eq!(got.outcome, want.outcome, "target {u}");
            }
        }
    }
}
