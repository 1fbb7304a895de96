//! Every operation of [`AdditiveBids`] against brute force: the space listed and stably sorted
//! by `AdditiveUtility::eval`, best first, ties in the order of the listing (levels ascending).

use proptest::prelude::*;

use super::*;
use crate::utility::{Evaluator, UtilityFunction};

/// Decimals whose `f64` sums round differently from their exact sums (0.1 + 0.2 ≠ 0.3), so
/// ties and near ties are frequent.
const NUMBERS: [f64; 9] = [0.0, 0.1, 0.2, 0.3, 0.25, 0.5, 1.0 / 3.0, 0.7, 1.0];

#[derive(Debug, Clone)]
struct Case {
    issues: Vec<Issue>,
    utility: AdditiveUtility,
    limit: u128,
    /// Searches cut at utilities through the listed prefixes (else the prefix search, as on
    /// spaces with more than `SORTED_PREFIXES` prefixes).
    sorted: bool,
}

fn case() -> impl Strategy<Value = Case> {
    (
        prop::collection::vec((1usize..=5, 0usize..9), 0..=4),
        any::<bool>(),
        1u128..=12,
        prop::collection::vec(0usize..9, 20),
        any::<bool>(),
    )
        .prop_map(|(shape, cap, limit, picks, sorted)| {
            let mut picks = picks.into_iter().cycle();
            let issues: Vec<Issue> = shape
                .iter()
                .enumerate()
                .map(|(i, &(n, _))| {
                    let names: Vec<String> = (0..n).map(|k| format!("v{k}")).collect();
                    let names: Vec<&str> = names.iter().map(String::as_str).collect();
                    Issue::discrete(format!("i{i}"), &names)
                })
                .collect();
            let utility = AdditiveUtility {
                weights: shape.iter().map(|&(_, w)| NUMBERS[w]).collect(),
                evaluators: shape
                    .iter()
                    .map(|&(n, _)| {
                        Evaluator::Table((0..n).map(|_| NUMBERS[picks.next().unwrap()]).collect())
                    })
                    .collect(),
                cap_at_one: cap,
            };
            Case {
                issues,
                utility,
                limit,
                sorted,
            }
        })
}

/// Every outcome as levels, in the listing's order, with its utility; then stably sorted.
fn listed(c: &Case) -> Vec<Bid> {
    let sizes: Vec<u32> = c
        .issues
        .iter()
        .map(|i| i.cardinality().unwrap() as u32)
        .collect();
    let total: u32 = sizes.iter().product();
    let u = UtilityFunction::Additive(c.utility.clone());
    let mut all: Vec<Bid> = (0..total)
        .map(|mut r| {
            let mut levels = vec![0; sizes.len()];
            for d in (0..sizes.len()).rev() {
                levels[d] = r % sizes[d];
                r /= sizes[d];
            }
            let outcome: Vec<Value> = levels.iter().map(|&l| Value::Discrete(l)).collect();
            Bid {
                utility: u.eval(&outcome),
                levels,
            }
        })
        .collect();
    all.sort_by(|a, b| b.utility.total_cmp(&a.utility));
    all
}

fn bids(c: &Case) -> AdditiveBids {
    let b = AdditiveBids::with_block_limit(&c.issues, &c.utility, 11, c.limit).unwrap();
    if c.sorted {
        b
    } else {
        b.without_sorted_prefixes()
    }
}

/// Utilities worth asking about: each outcome's, a hair above and below, and the extremes.
fn targets(list: &[Bid]) -> Vec<f64> {
    let mut t = vec![-1.0, 0.0, 0.5, 2.0];
    for b in list {
        t.extend([
            b.utility,
            next_up(b.utility),
            b.utility - 1e-12,
            b.utility + 0.05,
        ]);
    }
    t
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn the_order_is_the_sorted_listing(c in case()) {
        let (list, b) = (listed(&c), bids(&c));
        prop_assert_eq!(b.len(), list.len() as u128);
        prop_assert_eq!(&b.best(), &list[0]);
        prop_assert_eq!(&b.worst(), list.last().unwrap());
        let all: Vec<Bid> = b.iter(&Span::all()).collect();
        prop_assert_eq!(&all, &list);
        prop_assert_eq!(b.top(3), list.iter().take(3).cloned().collect::<Vec<_>>());
        for (r, want) in list.iter().enumerate() {
            prop_assert_eq!(b.at_rank(r as u128), Some(want.clone()));
            let o = b.outcome(&want.levels);
            prop_assert_eq!(b.utility(&want.levels), c.utility.eval(&o));
        }
        prop_assert_eq!(b.at_rank(list.len() as u128), None);
    }

    #[test]
    fn thresholds_equal_brute_force(c in case()) {
        let (list, b) = (listed(&c), bids(&c));
        for u in targets(&list) {
            let k = list.partition_point(|x| x.utility >= u);
            prop_assert_eq!(b.count_at_least(u), k as u128, "u = {}", u);
            prop_assert_eq!(b.worst_at_least(u), k.checked_sub(1).map(|i| list[i].clone()));
            prop_assert_eq!(b.best_below(u), list.get(k).cloned());
            let above = list.partition_point(|x| x.utility > u);
            prop_assert_eq!(b.worst_above(u), above.checked_sub(1).map(|i| list[i].clone()));
            // GENIUS's nearest: between list[k - 1] and list[k], the one above when as near.
            let near = if k == 0 {
                0
            } else if k == list.len()
                || (list[k - 1].utility - u).abs() <= (u - list[k].utility).abs()
            {
                k - 1
            } else {
                k
            };
            prop_assert_eq!(&b.nearest(u), &list[near], "u = {}", u);
        }
    }

    #[test]
    fn intervals_are_counted_listed_and_drawn_exactly(c in case(), picks in prop::collection::vec((0usize..1000, 0usize..1000, 0u128..1000), 6)) {
        let (list, b) = (listed(&c), bids(&c));
        let ts = targets(&list);
        for (x, y, r) in picks {
            let (lo, hi) = (ts[x % ts.len()], ts[y % ts.len()]);
            let want: Vec<Bid> = list.iter().filter(|o| o.utility >= lo && o.utility <= hi).cloned().collect();
            let span = Span::between(lo, hi);
            prop_assert_eq!(b.count(&span), want.len() as u128);
            prop_assert_eq!(b.iter(&span).collect::<Vec<_>>(), want.clone());
            prop_assert_eq!(b.first(&span), want.first().cloned());
            prop_assert_eq!(b.last(&span), want.last().cloned());
            let drawn = b.random(&span, |n| r % n);
            prop_assert_eq!(drawn, want.get(if want.is_empty() { 0 } else { (r % want.len() as u128) as usize }).cloned());
            // Spans cut at outcomes: after list[x], before list[y].
            let (i, j) = (x % list.len(), y % list.len());
            let cut = Span { from: Some(Cut::After(list[i].clone())), to: Some(Cut::Before(list[j].clone())) };
            let want = if i < j { list[i + 1..j].to_vec() } else { Vec::new() };
            prop_assert_eq!(b.count(&cut), want.len() as u128);
            prop_assert_eq!(b.iter(&cut).collect::<Vec<_>>(), want);
            prop_assert_eq!(b.count_before(&Cut::Before(list[j].clone())), j as u128);
        }
    }

    #[test]
    fn the_best_for_an_estimate_equals_brute_force(c in case(), terms in prop::collection::vec(0usize..9, 20), scale in 1usize..9, x in 0usize..1000) {
        let (list, b) = (listed(&c), bids(&c));
        let mut t = terms.into_iter().cycle();
        let estimate = Estimate {
            terms: b.values().iter().map(|vs| vs.iter().map(|_| NUMBERS[t.next().unwrap()]).collect()).collect(),
            scale: NUMBERS[scale],
        };
        let ts = targets(&list);
        for span in [Span::all(), Span::at_least(ts[x % ts.len()]), Span::between(ts[x % ts.len()] - 0.2, ts[x % ts.len()])] {
            // Brute force: the highest estimate; of equals, the first in the order.
            let mut want: Option<(f64, &Bid)> = None;
            for o in list.iter().filter(|o| span.contains(o.utility, &o.levels)) {
                let m = estimate.utility(&o.levels);
                if want.is_none_or(|(w, _)| m > w) {
                    want = Some((m, o));
                }
            }
            prop_assert_eq!(b.best_for(&span, &estimate), want.map(|w| w.1.clone()));
        }
    }
}

#[test]
fn too_many_values_is_an_error_not_a_panic() {
    let issues = vec![Issue::integer("x", 0, 1 << 21)];
    let utility = AdditiveUtility {
        weights: vec![1.0],
        evaluators: vec![Evaluator::Table(vec![])],
        cap_at_one: false,
    };
    assert!(matches!(
        AdditiveBids::new(&issues, &utility, 11),
        Err(BiddingError::TooManyValues { .. })
    ));
    let short = AdditiveUtility {
        weights: vec![],
        evaluators: vec![],
        cap_at_one: false,
    };
    assert!(matches!(
        AdditiveBids::new(&issues, &short, 11),
        Err(BiddingError::Shape { .. })
    ));
}
