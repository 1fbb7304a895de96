//! Restrictions (red lines, controlled issues, exclusions) in analysis: closed cases, and
//! every method against brute force over the admissible outcomes.

use num_bigint::BigUint;
use proptest::prelude::*;

use super::tests::{party, pie, random_scenario, rectangle_scenario};
use super::*;
use crate::{Condition, Exclusion, Issue, IssueKind, Restriction, Test};

fn parse(s: &Scenario, text: &str) -> Condition {
    Condition::parse(text, &s.issues).unwrap()
}

fn exclusion(s: &Scenario, name: &str, when: &[&str]) -> Exclusion {
    Exclusion {
        name: name.into(),
        when: when.iter().map(|c| parse(s, c)).collect(),
        source: None,
        description: None,
    }
}

fn with(method: MethodChoice, s: &Scenario) -> Analysis {
    let mut cfg = AnalysisConfig::new(Definitions::Zopa);
    cfg.method = method;
    analyze(s, &cfg).unwrap()
}

/// Split the pie x ∈ {0, 0.1, …, 1} (u_A = x, u_B = 1 − x): without restrictions Nash is
/// x = 0.5. B's red line `x <= 4` (x at most 0.4) moves Nash to 0.4 and binds there; the
/// frontier keeps the five admissible points.
#[test]
fn a_red_line_moves_the_nash_point_and_binds() {
    let mut s = pie(10, |x| x, |x| 1.0 - x, (0.0, 0.0));
    s.parties[1].red_lines = vec![parse(&s, "x <= 4")];
    s.validate().unwrap();
    for method in [MethodChoice::Enumeration, MethodChoice::AdditiveFrontier] {
        let a = with(method, &s);
        assert_eq!(a.nash.as_ref().unwrap().utilities, [0.4, 0.6], "{method:?}");
        assert_eq!(a.unrestricted_nash.as_ref().unwrap().utilities, [0.5, 0.5]);
        assert_eq!(a.frontier.len(), 5);
        assert_eq!(a.admissible_outcomes, Some(BigUint::from(5u32)));
        assert_eq!(a.n_outcomes, Some(BigUint::from(11u32)));
        assert_eq!(a.ideal, [0.4, 1.0]);
        assert_eq!(a.worst, [0.0, 0.6]);
        assert_eq!(
            a.restrictions,
            [RestrictionUse {
                restriction: Restriction::RedLine { party: 1, line: 0 },
                rules_out: BigUint::from(6u32),
                binds_at_nash: Some(true),
            }]
        );
        assert_eq!(
            a.restrictions[0].restriction.breach(&s),
            "breaches B's red line `x <= 4`"
        );
    }
    // A red line the free Nash point meets does not bind, and changes no solution.
    s.parties[1].red_lines = vec![parse(&s, "x <= 7")];
    let a = with(MethodChoice::Auto, &s);
    assert_eq!(a.nash, a.unrestricted_nash);
    assert_eq!(a.restrictions[0].binds_at_nash, Some(false));
}

/// Red lines that cannot both hold leave no admissible outcome: no frontier, no ZOPA, no
/// solution; the ideal point is −∞ and the worst +∞ (over no outcome at all).
#[test]
fn incompatible_red_lines_leave_no_admissible_outcome() {
    let mut s = pie(10, |x| x, |x| 1.0 - x, (0.0, 0.0));
    s.parties[0].red_lines = vec![parse(&s, "x >= 7")];
    s.parties[1].red_lines = vec![parse(&s, "x <= 4")];
    for method in [MethodChoice::Enumeration, MethodChoice::AdditiveFrontier] {
        let a = with(method, &s);
        assert_eq!(a.analysed_admissible, BigUint::ZERO);
        assert!(a.frontier.is_empty() && a.nash.is_none() && a.max_welfare.is_none());
        assert!(!a.zopa_exists);
        assert_eq!(a.ideal, [f64::NEG_INFINITY; 2]);
        assert_eq!(a.worst, [f64::INFINITY; 2]);
        assert_eq!(
            a.restrictions
                .iter()
                .map(|r| r.binds_at_nash)
                .collect::<Vec<_>>(),
            [Some(true), Some(true)]
        );
    }
}

/// Two issues: an army cap and a guarantee. Both parties like the guarantee; A (Kyiv)
/// wants no cap, B (Moscow) demilitarisation. The exclusion "demilitarised yet guaranteed"
/// rules out the combination the free Nash point picks.
fn army_and_guarantee() -> Scenario {
    let mut s = pie(1, |x| x, |x| 1.0 - x, (0.0, 0.0));
    s.issues = vec![
        Issue::discrete("army", &["no-cap", "cap-600k", "demilitarisation"]),
        Issue::discrete("guarantee", &["none", "article-5-like"]),
    ];
    s.parties = vec![
        party(
            "Kyiv",
            vec![0.5, 0.5],
            vec![vec![1.0, 0.6, 0.0], vec![0.0, 1.0]],
            0.0,
        ),
        party(
            "Moscow",
            vec![0.8, 0.2],
            vec![vec![0.0, 0.4, 1.0], vec![0.2, 1.0]],
            0.0,
        ),
    ];
    s
}

#[test]
fn an_exclusion_rules_out_a_combination_for_everyone() {
    let mut s = army_and_guarantee();
    let free = with(MethodChoice::Auto, &s);
    let v = |o: &[Value]| {
        o.iter()
            .zip(&s.issues)
            .map(|(&v, i)| i.display(v))
            .collect::<Vec<_>>()
    };
    assert_eq!(
        v(&free.nash.as_ref().unwrap().outcome),
        ["demilitarisation", "article-5-like"]
    );
    s.exclusions = vec![exclusion(
        &s,
        "demilitarised yet guaranteed",
        &["army = demilitarisation", "guarantee = article-5-like"],
    )];
    s.validate().unwrap();
    for method in [MethodChoice::Enumeration, MethodChoice::AdditiveFrontier] {
        let a = with(method, &s);
        assert_eq!(a.admissible_outcomes, Some(BigUint::from(5u32)));
        let nash = a.nash.as_ref().unwrap();
        assert_eq!(
            v(&nash.outcome),
            ["cap-600k", "article-5-like"],
            "{method:?}"
        );
        assert!(s.admissible(&nash.outcome));
        assert!(a.frontier.iter().all(|p| s.breaches(&p.outcome).is_empty()));
        assert_eq!(a.restrictions[0].rules_out, BigUint::from(1u32));
        assert_eq!(a.restrictions[0].binds_at_nash, Some(true));
    }
    let breach: Vec<String> = s
        .breaches(&[Value::Discrete(2), Value::Discrete(1)])
        .iter()
        .map(|r| r.breach(&s))
        .collect();
    assert_eq!(
        breach,
        ["combines `army = demilitarisation` with `guarantee = article-5-like` (exclusion `demilitarised yet guaranteed`)"]
    );
}

/// A third party that controls an issue and is not analysed: its line there holds in every
/// analysis of the other two, its red lines elsewhere do not.
#[test]
fn a_controlled_issue_is_not_moved_past_its_holders_line() {
    let mut s = army_and_guarantee();
    let mut europe = party(
        "Europe",
        vec![0.5, 0.5],
        vec![vec![1.0, 0.5, 0.0], vec![0.0, 1.0]],
        0.0,
    );
    europe.role = crate::Role::Stakeholder;
    s.parties.push(europe);
    s.parties[2].red_lines = vec![parse(&s, "guarantee = none"), parse(&s, "army <= cap-600k")];
    s.parties[2].controls = vec![1];
    s.validate().unwrap();
    for method in [MethodChoice::Enumeration, MethodChoice::AdditiveFrontier] {
        let a = with(method, &s);
        assert_eq!(a.parties, [0, 1]);
        assert_eq!(
            a.restrictions
                .iter()
                .map(|r| r.restriction)
                .collect::<Vec<_>>(),
            [Restriction::Control { party: 2, line: 0 }]
        );
        for p in a.frontier.iter().chain(&a.nash) {
            assert_eq!(p.outcome[1], Value::Discrete(0), "{method:?}");
        }
        // Europe's red line on the army, an issue it does not control, is not in force.
        assert!(a
            .frontier
            .iter()
            .any(|p| p.outcome[0] == Value::Discrete(2)));
        assert_eq!(
            a.restrictions[0].restriction.breach(&s),
            "moves guarantee past Europe's line `guarantee = none` (Europe controls it)"
        );
    }
    // With Europe analysed too, its red line on the army binds as well.
    let mut cfg = AnalysisConfig::new(Definitions::Zopa);
    cfg.parties = Some(vec![0, 1, 2]);
    let a = analyze(&s, &cfg).unwrap();
    assert!(a
        .frontier
        .iter()
        .all(|p| p.outcome[0] != Value::Discrete(2)));
}

/// On a discrete issue with positions, `>=` compares positions, not the listed order.
#[test]
fn order_comparisons_follow_positions() {
    let mut s = pie(3, |x| x, |x| 1.0 - x, (0.0, 0.0));
    s.issues[0].positions = Some(vec![0.0, 60.0, 30.0, 100.0]);
    let c = parse(&s, "x >= 2");
    let passes: Vec<bool> = (0..4)
        .map(|l| c.holds(&s.issues, &[Value::Discrete(l)]))
        .collect();
    assert_eq!(passes, [false, true, true, true]);
    s.issues[0].positions = None;
    let passes: Vec<bool> = (0..4)
        .map(|l| c.holds(&s.issues, &[Value::Discrete(l)]))
        .collect();
    assert_eq!(passes, [false, false, true, true]);
}

/// A red line on a real issue holds on the grid points it allows.
#[test]
fn red_lines_on_a_real_issue_hold_on_the_grid() {
    let mut s = pie(1, |x| x, |x| 1.0 - x, (0.0, 0.0));
    s.issues = vec![Issue::real("share", 0.0, 1.0)];
    let linear = |slope: f64, offset: f64| {
        crate::UtilityFunction::Additive(crate::AdditiveUtility {
            weights: vec![1.0],
            evaluators: vec![crate::Evaluator::Numeric(crate::NumericEvaluator::Linear {
                slope,
                offset,
                origin: 0.0,
                clamp: false,
            })],
            cap_at_one: false,
        })
    };
    s.parties[0].utility = linear(1.0, 0.0);
    s.parties[1].utility = linear(-1.0, 1.0);
    s.parties[0].red_lines = vec![parse(&s, "share >= 0.7")];
    s.validate().unwrap();
    let a = with(MethodChoice::Auto, &s);
    assert_eq!(a.admissible_outcomes, None);
    assert_eq!(a.analysed_admissible, BigUint::from(4u32));
    assert_eq!(a.nash.unwrap().outcome, [Value::Real(0.7)]);
}

/// Exclusions open at once split the merge into branches (after `i1`: `first` armed or
/// not, times `second` armed or not); past the limit the analysis says which exclusions and
/// how to fix it.
#[test]
fn too_many_branches_are_refused_naming_the_exclusions() {
    let mut s = random_scenario(2, &[3, 3, 3, 3], &[7, 1, 4, 2, 9, 5]);
    s.exclusions = vec![
        exclusion(&s, "first", &["i0 = v0", "i3 = v1"]),
        exclusion(&s, "second", &["i1 = v2", "i2 = v0"]),
    ];
    s.validate().unwrap();
    let mut cfg = AnalysisConfig::new(Definitions::Zopa);
    cfg.max_branches = 3;
    let e = analyze(&s, &cfg).unwrap_err();
    assert_eq!(
        e.to_string(),
        "the restrictions split the analysis into 4 branches at issue `i1` (limit 3): a partial \
         outcome there may still match any combination of exclusion `first` (`i0 = v0` with \
         `i3 = v1`), exclusion `second` (`i1 = v2` with `i2 = v0`) (an exclusion stays open \
         from the first issue it names to the last); list the issues each exclusion names next \
         to each other, merge or drop exclusions, or raise the limit (--max-branches)"
    );
    cfg.max_branches = 4;
    assert!(analyze(&s, &cfg).is_ok());
    // Enumeration counts by enumerating, whatever the branch limit.
    cfg.max_branches = 1;
    cfg.method = MethodChoice::Enumeration;
    let a = analyze(&s, &cfg).unwrap();
    // Each exclusion rules out 9 of the 81; one outcome meets both.
    assert_eq!(a.analysed_admissible, BigUint::from(81u32 - 9 - 9 + 1));
}

// ---- Against brute force ----

/// Adds random red lines (every party), controls (parties beyond the first two) and
/// exclusions to `s`, from `raw`; each restriction that would not validate is dropped.
fn restrict(s: &mut Scenario, raw: &[u8], positions: bool) {
    let mut k = 0usize;
    let mut next = || {
        k += 1;
        usize::from(raw[k % raw.len()]) + k / raw.len()
    };
    let sizes: Vec<usize> = s
        .issues
        .iter()
        .map(|i| i.cardinality().unwrap_or(1) as usize)
        .collect();
    if positions {
        for (i, issue) in s.issues.iter_mut().enumerate().filter(|(i, _)| i % 2 == 0) {
            // Positions with ties and out of listed order.
            issue.positions = Some(
                (0..sizes[i])
                    .map(|l| f64::from(((l * 37 + i * 11) % 5) as u32 * 25))
                    .collect(),
            );
        }
    }
    let discrete: Vec<bool> = s
        .issues
        .iter()
        .map(|i| matches!(i.kind, IssueKind::Discrete { .. }))
        .collect();
    let condition = |next: &mut dyn FnMut() -> usize| -> Condition {
        let issue = next() % sizes.len();
        let value = |n: usize| match discrete[issue] {
            true => Value::Discrete((n % sizes[issue]) as u32),
            false => Value::Integer((n % sizes[issue]) as i64),
        };
        let test = match next() % 6 {
            0 => Test::Equal(value(next())),
            1 => Test::NotEqual(value(next())),
            2 => Test::AtLeast(value(next())),
            3 => Test::AtMost(value(next())),
            _ => Test::OneOf(vec![value(next()), value(next())]),
        };
        Condition { issue, test }
    };
    for p in 0..s.parties.len() {
        for _ in 0..next() % 3 {
            let c = condition(&mut next);
            s.parties[p].red_lines.push(c);
            if s.validate().is_err() {
                s.parties[p].red_lines.pop();
            }
        }
        if p >= 2 {
            for c in s.parties[p].red_lines.clone() {
                if next() % 2 == 0 && !s.parties[p].controls.contains(&c.issue) {
                    s.parties[p].controls.push(c.issue);
                }
            }
        }
    }
    for e in 0..next() % 4 {
        let when = (0..1 + next() % 3).map(|_| condition(&mut next)).collect();
        s.exclusions.push(Exclusion {
            name: format!("e{e}"),
            when,
            source: None,
            description: None,
        });
        if s.validate().is_err() {
            s.exclusions.pop();
        }
    }
    s.validate().unwrap();
}

/// Every outcome of `s` (lexicographic order) with the analysed parties' exact utilities,
/// and whether it is admissible for them.
fn every_outcome(s: &Scenario, parties: &[usize]) -> Vec<(Vec<Value>, Vec<f64>, bool)> {
    let grid = space::Grid::new(s, 2);
    let sizes = grid.sizes();
    let total: u64 = sizes.iter().product();
    (0..total)
        .map(|mut r| {
            let mut levels = vec![0u32; sizes.len()];
            for d in (0..sizes.len()).rev() {
                levels[d] = (r % sizes[d]) as u32;
                r /= sizes[d];
            }
            let outcome = grid.outcome(&levels);
            let u = parties
                .iter()
                .map(|&i| s.parties[i].utility.eval_exact(&outcome))
                .collect();
            let ok = s.admissible_for(&outcome, parties);
            (outcome, u, ok)
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    /// The restricted additive frontier equals enumeration of the admissible outcomes, and
    /// both equal brute force (every outcome, filtered by `Scenario::admissible_for`): the
    /// same utility vectors, each with the lexicographically smallest admissible outcome;
    /// the same count, minima, ZOPA and solutions. Red lines compare by positions (with ties
    /// and out of listed order) on some issues; parties beyond the first two are not
    /// analysed but may control issues.
    #[test]
    fn restricted_frontier_equals_brute_force(
        n_parties in 2usize..5,
        sizes in prop::collection::vec(1usize..5, 1..6),
        raw in prop::collection::vec(any::<u8>(), 16..64),
        rules in prop::collection::vec(any::<u8>(), 8..48),
        positions in any::<bool>(),
    ) {
        let mut s = random_scenario(n_parties, &sizes, &raw);
        restrict(&mut s, &rules, positions);
        // Two parties analysed (three of four): the others may hold controlled issues.
        let analysed = if n_parties == 4 { 3 } else { 2 };
        let parties: Vec<usize> = (0..analysed).collect();
        let all = every_outcome(&s, &parties);
        let admissible: Vec<&(Vec<Value>, Vec<f64>, bool)> = all.iter().filter(|o| o.2).collect();
        let dominated = |u: &[f64]| admissible.iter().any(|o| pareto::dominates(&o.1, u));
        // Brute-force frontier: non-dominated admissible vectors, first (smallest) outcome each.
        let mut brute: Vec<(Vec<f64>, Vec<Value>)> = Vec::new();
        for (o, u, _) in admissible.iter().map(|o| (&o.0, &o.1, o.2)) {
            if !dominated(u) && !brute.iter().any(|b| b.0 == *u) {
                brute.push((u.clone(), o.clone()));
            }
        }
        brute.sort_by(|a, b| pareto::lex_desc(&a.0, &b.0));
        for defs in [Definitions::Zopa, Definitions::Genius, Definitions::Negolog, Definitions::Negmas] {
            let mut cfg = AnalysisConfig::new(defs);
            cfg.parties = Some(parties.clone());
            cfg.method = MethodChoice::Enumeration;
            let e = analyze(&s, &cfg).unwrap();
            cfg.method = MethodChoice::AdditiveFrontier;
            let a = analyze(&s, &cfg).unwrap();
            prop_assert_eq!(&e.frontier, &a.frontier);
            prop_assert_eq!(&e.nash, &a.nash);
            prop_assert_eq!(&e.kalai, &a.kalai);
            prop_assert_eq!(&e.egalitarian, &a.egalitarian);
            prop_assert_eq!(&e.max_welfare, &a.max_welfare);
            prop_assert_eq!(e.opposition, a.opposition);
            prop_assert_eq!(&e.worst, &a.worst);
            prop_assert_eq!(&e.restrictions, &a.restrictions);
            prop_assert_eq!(&e.unrestricted_nash, &a.unrestricted_nash);
            prop_assert_eq!(e.zopa_exists, a.zopa_exists);
            prop_assert_eq!(&a.analysed_admissible, &BigUint::from(admissible.len()));
            prop_assert_eq!(a.admissible_outcomes.as_ref(), Some(&a.analysed_admissible));
            // The lowest utility of each party over the admissible outcomes.
            let worst: Vec<f64> = (0..parties.len())
                .map(|i| admissible.iter().map(|o| o.1[i]).fold(f64::INFINITY, f64::min))
                .collect();
            prop_assert_eq!(&a.worst, &worst);
            let rational = |u: &[f64]| u.iter().zip(&a.reserved).all(|(x, r)| x >= r);
            prop_assert_eq!(a.zopa_exists, admissible.iter().any(|o| rational(&o.1)));
            if defs != Definitions::Negmas {
                let got: Vec<(Vec<f64>, Vec<Value>)> =
                    a.frontier.iter().map(|p| (p.utilities.clone(), p.outcome.clone())).collect();
                prop_assert_eq!(&got, &brute);
            }
            // Each restriction binds exactly when the free Nash point breaches it.
            for r in &a.restrictions {
                let breached = a.unrestricted_nash.as_ref().is_some_and(|p| !r.restriction.holds(&s, &p.outcome));
                prop_assert_eq!(r.binds_at_nash, Some(breached));
            }
            // (negmas measures from the worst utility, which restrictions can raise.)
            if defs != Definitions::Negmas
                && !a.restrictions.is_empty()
                && a.restrictions.iter().all(|r| r.binds_at_nash == Some(false))
            {
                prop_assert_eq!(&a.nash, &a.unrestricted_nash);
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    /// A party not analysed that controls issues: no frontier point or solution moves a
    /// controlled issue past its line, and its red lines on other issues change nothing.
    #[test]
    fn controlled_issues_hold_without_their_holder(
        sizes in prop::collection::vec(1usize..5, 2..5),
        raw in prop::collection::vec(any::<u8>(), 16..64),
        rules in prop::collection::vec(any::<u8>(), 8..48),
    ) {
        let mut s = random_scenario(3, &sizes, &raw);
        restrict(&mut s, &rules, false);
        // The third party controls the issue of its first red line, if it has one.
        let holder = &mut s.parties[2];
        holder.controls = holder.red_lines.first().map(|c| c.issue).into_iter().collect();
        s.validate().unwrap();
        let mut cfg = AnalysisConfig::new(Definitions::Zopa);
        cfg.parties = Some(vec![0, 1]);
        let a = analyze(&s, &cfg).unwrap();
        let holder = &s.parties[2];
        for p in a.frontier.iter().chain(&a.nash).chain(&a.kalai).chain(&a.egalitarian) {
            for c in holder.red_lines.iter().filter(|c| holder.controls_issue(c.issue)) {
                prop_assert!(c.holds(&s.issues, &p.outcome), "{} breached", c.text(&s.issues));
            }
        }
        // Its other red lines are not in force: dropping them changes nothing.
        let mut t = s.clone();
        let controls = t.parties[2].controls.clone();
        t.parties[2].red_lines.retain(|c| controls.contains(&c.issue));
        let b = analyze(&t, &cfg).unwrap();
        prop_assert_eq!(&a.frontier, &b.frontier);
        prop_assert_eq!(&a.analysed_admissible, &b.analysed_admissible);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]
    /// The exact constraint search with restrictions finds the frontier and minima that
    /// enumeration of the admissible outcomes finds, on random rectangle utilities.
    #[test]
    fn restricted_constraint_search_equals_enumeration(
        sizes in prop::collection::vec(1i64..6, 1..5),
        raw in prop::collection::vec(any::<u8>(), 8..40),
        rules in prop::collection::vec(any::<u8>(), 8..48),
    ) {
        let mut s = rectangle_scenario(&sizes, &raw);
        restrict(&mut s, &rules, false);
        let mut cfg = AnalysisConfig::new(Definitions::Zopa);
        cfg.method = MethodChoice::Enumeration;
        let e = analyze(&s, &cfg).unwrap();
        cfg.method = MethodChoice::ConstraintSearch;
        let c = analyze(&s, &cfg).unwrap();
        let utilities = |a: &Analysis| -> Vec<Vec<f64>> {
            a.frontier.iter().map(|p| p.utilities.clone()).collect()
        };
        let close = |x: &[f64], y: &[f64]| {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| a == b || (a - b).abs() < 1e-12)
        };
        prop_assert_eq!(utilities(&e).len(), utilities(&c).len(), "{:?} vs {:?}", utilities(&e), utilities(&c));
        for (x, y) in utilities(&e).iter().zip(&utilities(&c)) {
            prop_assert!(close(x, y), "{:?} vs {:?}", utilities(&e), utilities(&c));
        }
        prop_assert!(close(&e.worst, &c.worst), "worst {:?} vs {:?}", e.worst, c.worst);
        prop_assert_eq!(&e.analysed_admissible, &c.analysed_admissible);
        for p in &c.frontier {
            prop_assert!(s.admissible_for(&p.outcome, &c.parties));
        }
    }
}

/// The generator of `restricted_frontier_equals_brute_force` reaches what it is meant to:
/// red lines, controls, exclusions over one issue and over several, and spaces they cut
/// without emptying (as well as some they empty).
#[test]
fn the_generator_reaches_every_kind_of_restriction() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = (
        2usize..5,
        prop::collection::vec(1usize..5, 1..6),
        prop::collection::vec(any::<u8>(), 16..64),
        prop::collection::vec(any::<u8>(), 8..48),
        any::<bool>(),
    );
    // Red lines, controls, single-issue exclusions, joint exclusions, cut, emptied.
    let mut seen = [0usize; 6];
    for _ in 0..300 {
        let (n, sizes, raw, rules, positions) = strategy.new_tree(&mut runner).unwrap().current();
        let mut s = random_scenario(n, &sizes, &raw);
        restrict(&mut s, &rules, positions);
        seen[0] += s.parties.iter().map(|p| p.red_lines.len()).sum::<usize>();
        seen[1] += s.parties.iter().map(|p| p.controls.len()).sum::<usize>();
        seen[2] += s
            .exclusions
            .iter()
            .filter(|e| e.issues().len() == 1)
            .count();
        seen[3] += s.exclusions.iter().filter(|e| e.issues().len() > 1).count();
        let a = analyze(&s, &AnalysisConfig::new(Definitions::Zopa)).unwrap();
        let total = a.n_outcomes.clone().unwrap();
        seen[4] +=
            usize::from(a.analysed_admissible > BigUint::ZERO && a.analysed_admissible < total);
        seen[5] += usize::from(a.analysed_admissible == BigUint::ZERO);
    }
    assert!(seen.iter().all(|&k| k >= 50), "{seen:?}");
}

/// A named text that breaches a restriction is outside the zone of agreement, and its
/// placement says which restriction it breaches.
#[test]
fn a_text_that_breaches_a_restriction_is_outside_the_zopa() {
    let mut s = army_and_guarantee();
    s.exclusions = vec![exclusion(
        &s,
        "demilitarised yet guaranteed",
        &["army = demilitarisation", "guarantee = article-5-like"],
    )];
    let draft = |name: &str, army: u32| crate::Text {
        name: name.into(),
        date: None,
        source: None,
        description: None,
        outcome: vec![Value::Discrete(army), Value::Discrete(1)],
        labels: vec![None, None],
    };
    s.texts = vec![draft("plan", 2), draft("counter", 1)];
    s.validate().unwrap();
    let a = with(MethodChoice::Auto, &s);
    let placed = place_texts(&s, &a);
    assert_eq!(placed[0].breaches, [Restriction::Exclusion(0)]);
    assert!(!placed[0].in_zopa);
    assert!(placed[1].breaches.is_empty() && placed[1].in_zopa);
}
