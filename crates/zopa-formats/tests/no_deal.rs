//! Outside options from a model of the no-deal path (`[parties.no_deal]`): Fearon's bargaining
//! range reproduced through the library's analysis (`../shared/notes/bargaining.md` §5), both
//! forms of the model, what is written back, and every bad model or model event refused with
//! the file, the key and the fix.

use std::path::{Path, PathBuf};

use zopa_core::analysis::{analyze, AnalysisConfig, Definitions};
use zopa_core::{
    AdditiveUtility, Evaluator, IssueKind, NoDeal, NoDealChange, NoDealForm, NumericEvaluator,
    OutsideOption, ReservationChange, Scenario, UtilityFunction,
};
use zopa_formats::{from_toml, load, to_toml, LoadError, ReadOptions};

fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

/// `scenarios/examples/fearon-pie.toml`: F1's pie on 101 levels, A's war one-shot (p = 0.6,
/// c_A = 0.1), B's a war of periods worth the one-shot p = 0.4, c_B = 0.15.
fn fearon() -> Scenario {
    load(
        &repo("scenarios/examples/fearon-pie.toml"),
        &ReadOptions::genius(),
    )
    .unwrap()
}

/// A's utilities (its share) over the frontier points every party prefers to war.
fn range_in_a_share(s: &Scenario) -> Vec<f64> {
    let a = analyze(s, &AnalysisConfig::new(Definitions::Zopa)).unwrap();
    a.frontier
        .iter()
        .filter(|p| p.utilities.iter().zip(&a.reserved).all(|(u, rv)| u >= rv))
        .map(|p| p.utilities[0])
        .collect()
}

/// F1: p = 0.6, c_A = 0.1, c_B = 0.15: the zone of agreement in A's share is (p − c_A, p +
/// c_B) = (0.5, 0.75), its ends included on the grid (there a side is indifferent).
#[test]
fn the_no_deal_models_give_fearons_bargaining_range() {
    let s = fearon();
    assert_eq!(
        s.parties
            .iter()
            .map(|p| p.reservation_value())
            .collect::<Vec<_>>(),
        [0.5, 0.25]
    );
    let a = analyze(&s, &AnalysisConfig::new(Definitions::Zopa)).unwrap();
    assert!(a.zopa_exists);
    assert_eq!(a.reserved, [0.5, 0.25]);
    let range = range_in_a_share(&s);
    assert_eq!(range.len(), 26, "{range:?}");
    let lo = range.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = range.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    assert_eq!((lo, hi), (0.5, 0.75));
    assert_eq!(a.rational_frontier_size, 26);
}

/// F2: Nash with war as the disagreement point, x = p + (c_B − c_A)/2 = 0.625. On whole
/// shares 0.62 and 0.63 tie exactly ((0.12)(0.13) both ways) and the tie goes to frontier
/// order, A's utility descending; on half shares (201 levels) the Nash point is 0.625 itself.
#[test]
fn nash_with_war_as_the_disagreement_point_is_fearons() {
    let s = fearon();
    let a = analyze(&s, &AnalysisConfig::new(Definitions::Zopa)).unwrap();
    assert_eq!(a.disagreement, [0.5, 0.25]);
    assert_eq!(a.nash.unwrap().utilities, [0.63, 0.37]);
    let mut halves = s.clone();
    halves.issues[0].kind = IssueKind::Integer { min: 0, max: 200 };
    for (p, (slope, offset)) in [(0.005, 0.0), (-0.005, 1.0)].into_iter().enumerate() {
        halves.parties[p].utility = UtilityFunction::Additive(AdditiveUtility {
            weights: vec![1.0],
            evaluators: vec![Evaluator::Numeric(NumericEvaluator::Linear {
                slope,
                offset,
                origin: 0.0,
                clamp: true,
            })],
            cap_at_one: false,
        });
    }
    let a = analyze(&halves, &AnalysisConfig::new(Definitions::Zopa)).unwrap();
    assert_eq!(a.nash.unwrap().utilities, [0.625, 0.375]);
    assert_eq!(range_in_a_share(&halves).len(), 51);
}

/// The war of periods with prevail + lose = 1 is the one-shot war; and B's war in the file
/// (4 % and 6 % a period, 0.015 a period) gives what the one-shot war p = 0.4, c = 0.15 gives.
#[test]
fn a_war_of_periods_and_the_one_shot_war_agree() {
    let s = fearon();
    let mut one_shot = s.clone();
    one_shot.parties[1].reservation = Some(OutsideOption::NoDeal(NoDeal::one_shot(0.4, 0.15)));
    let mut certain = s.clone();
    certain.parties[0].reservation = Some(OutsideOption::NoDeal(NoDeal::markov(0.6, 0.4, 0.1)));
    for other in [&one_shot, &certain] {
        assert_eq!(
            other.parties[0].reservation_value(),
            s.parties[0].reservation_value()
        );
        assert_eq!(
            other.parties[1].reservation_value(),
            s.parties[1].reservation_value()
        );
        assert_eq!(range_in_a_share(other), range_in_a_share(&s));
    }
}

#[test]
fn models_and_model_events_read_and_write_back() {
    let s = fearon();
    assert_eq!(
        s.parties[0].no_deal(),
        Some(&NoDeal::one_shot(0.6, 0.1)),
        "win and loss default to 1 and 0"
    );
    assert_eq!(
        s.parties[1].no_deal().map(|m| m.form),
        Some(NoDealForm::Markov {
            prevail: 0.04,
            lose: 0.06
        })
    );
    assert_eq!(
        s.events[0].change,
        Some(ReservationChange::Model(NoDealChange {
            p: Some(0.5),
            ..Default::default()
        }))
    );
    let text = to_toml(&s);
    assert!(
        text.contains("no_deal = { p = 0.6, cost = 0.1, win = 1.0, loss = 0.0 }"),
        "{text}"
    );
    assert!(
        text.contains(
            "no_deal = { prevail = 0.04, lose = 0.06, cost = 0.015, win = 1.0, loss = 0.0 }"
        ),
        "{text}"
    );
    assert!(text.contains("until_round = 40\nlose = 0.03\n"), "{text}");
    let mut back = from_toml(Path::new("back.toml"), &text).unwrap();
    back.notes.clear();
    let mut s = s;
    s.notes.clear();
    assert_eq!(back, s);
}

const PIE: &str = r#"
name = "t"
[[issues]]
name = "share"
integer = [0, 100]
[[parties]]
name = "A"
weights = { share = 1.0 }
evaluations = { share = { linear = { slope = 0.01 } } }
PARTY_A
[[parties]]
name = "B"
reservation = 0.25
weights = { share = 1.0 }
evaluations = { share = { linear = { slope = -0.01, offset = 1.0 } } }
"#;

/// Loads `PIE` with `model` in party A and `events` after, from a file of its own.
fn load_pie(model: &str, events: &str) -> Result<Scenario, LoadError> {
    let text = format!("{}{events}", PIE.replace("PARTY_A", model));
    let dir = std::env::temp_dir().join(format!("zopa-no-deal-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let hash = text.bytes().fold(0xcbf29ce484222325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    });
    let path = dir.join(format!("t{hash:x}.toml"));
    std::fs::write(&path, text).unwrap();
    load(&path, &ReadOptions::genius()).map_err(|mut e| {
        e.path = PathBuf::from("pie.toml");
        e
    })
}

/// Each case: party A's model (TOML lines), the events, and the whole error.
#[test]
fn bad_models_and_model_events_are_refused_with_key_and_fix() {
    let war = "no_deal = { prevail = 0.02, lose = 0.01, cost = 0.004 }";
    let event =
        |body: &str| format!("[[events]]\nname = \"news\"\nparty = \"PARTY\"\nround = 3\n{body}\n");
    let cases: Vec<(&str, String, &str)> = vec![
        (
            "reservation = 0.4\nno_deal = { p = 0.6, cost = 0.1 }",
            String::new(),
            "pie.toml, key parties.A: a party takes `reservation` (a number) or `[parties.no_deal]` (a model of the no-deal path, whose expected utility is the reservation value), not both (fix: drop `reservation`, or drop `[parties.no_deal]`)",
        ),
        (
            "no_deal = { p = 0.6, costs = 0.1 }",
            String::new(),
            "pie.toml, key parties.A.no_deal.costs: a no-deal model has no key `costs` (fix: a no-deal model takes `prevail` and `lose` (the probabilities per period that the party, or the other side, prevails) or `p` (one decisive war), with `cost` and optionally `win` and `loss`)",
        ),
        (
            "no_deal = { prevail = 0.02, cost = 0.004 }",
            String::new(),
            "pie.toml, key parties.A.no_deal: `lose` is missing: a war of periods needs the probability per period that the other side prevails (0 for a war the party cannot lose) (fix: add `lose = 0.01`)",
        ),
        (
            "no_deal = { p = 0.6 }",
            String::new(),
            "pie.toml, key parties.A.no_deal: `cost` is missing: the utility a period of war costs the party (0 for a war that costs nothing) (fix: add `cost = 0.004`)",
        ),
        (
            "no_deal = { p = 0.6, prevail = 0.6, lose = 0.4, cost = 0.1 }",
            String::new(),
            "pie.toml, key parties.A.no_deal: a no-deal model gives `prevail` and `lose` (a war of periods) or `p` (one decisive war), not both (fix: drop `p`, or drop `prevail` and `lose` (`p = x` is `prevail = x`, `lose = 1 − x`))",
        ),
        (
            "no_deal = { cost = 0.1 }",
            String::new(),
            "pie.toml, key parties.A.no_deal: a no-deal model needs `prevail` and `lose` (a war of periods) or `p` (one decisive war) (fix: write `prevail = 0.02`, `lose = 0.01`, `cost = 0.004` or `p = 0.6`, `cost = 0.1`)",
        ),
        (
            "no_deal = { prevail = 2, lose = 0.01, cost = 0.004 }",
            String::new(),
            "pie.toml, key parties.A.no_deal.prevail: `prevail` = 2 is outside [0, 1] (fix: write a probability, e.g. `prevail = 0.02`)",
        ),
        (
            "no_deal = { p = 0.6, cost = nan }",
            String::new(),
            "pie.toml, key parties.A.no_deal.cost: `cost` = NaN is not a finite number (fix: write `cost = 0.004`)",
        ),
        (
            "no_deal = { p = 0.6, cost = -0.1 }",
            String::new(),
            "pie.toml, key parties.A.no_deal.cost: `cost` = -0.1 is negative (fix: a war costs utility: write `cost = 0` for one that costs nothing, and put what the party gains by fighting into `win`)",
        ),
        (
            "no_deal = { prevail = 0, lose = 0, cost = 0.004 }",
            String::new(),
            "pie.toml, key parties.A.no_deal: `prevail` + `lose` = 0: the war never ends, so its expected utility is −∞ (or undefined when it costs nothing) (fix: give it a chance to end: make `prevail` or `lose` positive (a war that ends with 1 % a period lasts 100 periods on average))",
        ),
        (
            "no_deal = { prevail = 0.7, lose = 0.5, cost = 0.004 }",
            String::new(),
            "pie.toml, key parties.A.no_deal: `prevail` + `lose` = 1.2 is above 1: they are the probabilities that one period ends the war one way or the other (fix: lower them so that prevail + lose ≤ 1 (a sum of 1 is one decisive period: write `p = …`, the one-shot war))",
        ),
        (
            "no_deal = 0.4",
            String::new(),
            "pie.toml, key parties.A.no_deal: expected a table (fix: write `key = { … }` or a [section])",
        ),
        (
            war,
            event("prevail = 0.04").replace("PARTY", "B"),
            "pie.toml, key events.news.prevail: it sets `prevail` of a no-deal model, but `B` has a fixed reservation value (fix: declare `[parties.no_deal]` for `B`, or move its reservation value with `shift` or `reservation`)",
        ),
        (
            war,
            event("p = 0.7").replace("PARTY", "A"),
            "pie.toml, key events.news.p: `p` is not a parameter of this party's model, a war that ends each period with `prevail` or `lose` (fix: set one of `prevail`, `lose`, `cost`, `win` or `loss`, or declare the party's model with `p`)",
        ),
        (
            war,
            event("lose = -0.01").replace("PARTY", "A"),
            "pie.toml, key events.news.lose: `lose` = -0.01 is outside [0, 1] (fix: write a probability, e.g. `lose = 0.01`)",
        ),
        (
            war,
            event("shift = 0.1\nprevail = 0.04").replace("PARTY", "A"),
            "pie.toml, key events.news: an event moves the outside option with exactly one of `reservation` (the new value), `shift` (a change) or parameters of the party's no-deal model (`prevail`, `lose`, `p`, `cost`, `win`, `loss`), states positions (`stances`), or both (fix: write `reservation = 0.2`, `shift = -0.1`, `prevail = 0.04` or `stances = { nato = 67 }`)",
        ),
        (
            war,
            format!(
                "{}{}",
                event("prevail = 0.6").replace("PARTY", "A"),
                event("lose = 0.5").replace("PARTY", "A").replace("news", "more news")
            ),
            "pie.toml: party `A`, no-deal model: its events can combine to prevail 60 %/period, lose 50 %/period, cost 0.004/period, where `prevail` + `lose` = 1.1 is above 1: they are the probabilities that one period ends the war one way or the other; lower them so that prevail + lose ≤ 1 (a sum of 1 is one decisive period: write `p = …`, the one-shot war) (each parameter is checked at the lowest and the highest value its events give it, since which events are in force together depends on the run) (fix: correct the scenario so that it holds together)",
        ),
    ];
    for (model, events, expected) in cases {
        let got = load_pie(model, &events).map(|_| ()).unwrap_err();
        assert_eq!(got.to_string(), expected, "{model} {events}");
    }
    // And what is fine: a model with events that fit it.
    let s = load_pie(
        war,
        &event("prevail = 0.04\ncost = 0.006").replace("PARTY", "A"),
    )
    .unwrap();
    assert_eq!(s.parties[0].reservation_value(), (0.02 - 0.004) / 0.03);
}
