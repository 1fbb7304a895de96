//! Positional evaluations in the native format: the example reads, analyses exactly and writes
//! back; every bad key is refused with the file, the key (`parties.<party>.evaluations.<issue>`)
//! and the fix.

use std::path::{Path, PathBuf};

use zopa_core::analysis::{analyze, AnalysisConfig, Arithmetic, Definitions};
use zopa_core::{parse_date, Curve, Evaluator, Label, Shape, Stance};
use zopa_formats::{from_toml, load, to_toml, ReadOptions};

fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

#[test]
fn the_example_reads_with_ideals_and_stances_and_is_analysed_exactly() {
    let s = load(
        &repo("scenarios/examples/positions.toml"),
        &ReadOptions::genius(),
    )
    .unwrap();
    let greens = &s.parties[0];
    let tax = greens.positional(0).unwrap();
    assert_eq!(
        (tax.ideal(), tax.shape(), tax.curve()),
        (0.0, Shape::Monotone, Curve::Linear)
    );
    assert_eq!(
        tax.stance(),
        Some(&Stance {
            position: 25.0,
            date: Some(parse_date("2025-10-02").unwrap()),
            source: Some("party congress resolution (invented)".into()),
            label: Some(Label::Assumption),
        })
    );
    assert_eq!(tax.evaluations(), [1.0, 0.75, 0.5, 0.25, 0.0]);
    // The Greens' latest concession levels; pension-age has no stance.
    let stances: Vec<Option<f64>> = (0..3).map(|i| greens.stance_utility(i)).collect();
    assert_eq!(stances, [Some(0.75), Some(0.8911), None]);
    // The Social Democrats' ideal rate lies inside the scale: both sides fall.
    let sd = s.parties[2].positional(0).unwrap();
    assert_eq!(sd.shape(), Shape::SinglePeaked);
    assert_eq!(
        sd.evaluations(),
        [1.0 - 1.0 / 9.0, 1.0, 1.0 - 1.0 / 9.0, 1.0 - 4.0 / 9.0, 0.0]
    );
    assert!(s.notes.is_empty(), "{:?}", s.notes);

    let mut config = AnalysisConfig::new(Definitions::Zopa);
    config.parties = Some(vec![0, 1, 2]);
    let a = analyze(&s, &config).unwrap();
    // Interior ideals (D = 75, 67) make fractions; exact all the same.
    assert!(
        matches!(a.arithmetic, Arithmetic::ExactRational { .. }),
        "{:?}",
        a.arithmetic
    );
    for p in &a.frontier {
        let direct: Vec<f64> = s
            .parties
            .iter()
            .map(|q| q.utility.eval_exact(&p.outcome))
            .collect();
        assert_eq!(direct, p.utilities);
    }

    let back = from_toml(Path::new("positions.toml"), &to_toml(&s)).unwrap();
    assert_eq!(back.parties, s.parties);
    assert_eq!(back.issues, s.issues);
}

const ISSUES: &str = r#"
name = "t"
[[issues]]
name = "x"
values = ["a", "b", "c"]
positions = [0, 50, 100]
[[issues]]
name = "plain"
values = ["p", "q"]
[[issues]]
name = "n"
integer = [0, 10]
[[parties]]
name = "B"
weights = { x = 1.0 }
evaluations = { x = { a = 1.0, b = 0.5, c = 0.0 } }
[[parties]]
name = "A"
weights = { x = 1.0 }
"#;

/// `ISSUES` with party `A`'s evaluations written `evaluations`.
fn with(evaluations: &str) -> Result<zopa_core::Scenario, String> {
    from_toml(
        Path::new("s.toml"),
        &format!("{ISSUES}evaluations = {{ {evaluations} }}\n"),
    )
    .map_err(|e| e.to_string())
}

#[test]
fn every_key_reads_and_a_stance_is_optional() {
    let s = with(
        r#"x = { ideal = 50, shape = "single-peaked", curve = "concave", stance = 100, stance_date = 2025-12-14, stance_source = "Berlin", stance_label = "mapped" }"#,
    )
    .unwrap();
    let x = s.parties[1].positional(0).unwrap();
    assert_eq!(x.evaluations(), [0.0, 1.0, 0.0]);
    let stance = x.stance().unwrap();
    assert_eq!(
        (stance.position, stance.label, stance.source.as_deref()),
        (100.0, Some(Label::Mapped), Some("Berlin"))
    );
    assert_eq!(s.parties[1].stance_utility(0), Some(0.0));
    let s = with(r#"x = { ideal = 0, shape = "monotone", curve = "linear" }"#).unwrap();
    assert_eq!(s.parties[1].positional(0).unwrap().stance(), None);
    assert_eq!(s.parties[1].stance_utility(0), None);
}

/// A score table stays one, even when the issue names a value like a positional key.
#[test]
fn score_tables_are_not_mistaken_for_positions() {
    let text = r#"
name = "t"
[[issues]]
name = "x"
values = ["ideal", "stance"]
positions = [0, 100]
[[parties]]
name = "A"
weights = { x = 1.0 }
evaluations = { x = { ideal = 1.0, stance = 0.25 } }
[[parties]]
name = "B"
weights = { x = 1.0 }
evaluations = { x = { ideal = 0, shape = "monotone", curve = "linear", stance = 100 } }
"#;
    let s = from_toml(Path::new("s.toml"), text).unwrap();
    let a = s.parties[0].utility.as_additive().unwrap();
    assert_eq!(a.evaluators[0], Evaluator::Table(vec![1.0, 0.25]));
    assert_eq!(
        s.parties[1].positional(0).map(|p| p.evaluations().to_vec()),
        Some(vec![1.0, 0.0])
    );
    let back = from_toml(Path::new("s.toml"), &to_toml(&s)).unwrap();
    assert_eq!(back.parties, s.parties);
}

/// Each case: party `A`'s evaluations, and the error.
#[test]
fn every_bad_key_is_refused_with_its_place_and_fix() {
    let ok = r#"ideal = 0, shape = "monotone", curve = "linear""#;
    let cases: Vec<(String, &str)> = vec![
        (
            format!("x = {{ {ok}, peak = 3 }}"),
            "s.toml, key parties.A.evaluations.x.peak: a positional evaluation has no key `peak` (fix: a positional evaluation takes `ideal`, `shape`, `curve`, `stance`, `stance_date`, `stance_source` and `stance_label`)",
        ),
        (
            format!("x = {{ {ok} }}, plain = {{ {ok} }}"),
            "s.toml, key parties.A.evaluations.plain: this evaluation of issue `plain` is positional (`ideal`, `shape`, …) but the issue has no `positions` (fix: give issue `plain` one position (0–100) per value, e.g. `positions = [0, 25, 50, 75, 100]`, or score its values: { value = score, … })",
        ),
        (
            format!("x = {{ {ok} }}, n = {{ {ok} }}"),
            "s.toml, key parties.A.evaluations.n: issue `n` is numeric; positional evaluations are for discrete issues with `positions` (fix: write one function: { linear = { slope, offset } } (or triangular, constant, interpolated))",
        ),
        (
            r#"x = { shape = "monotone", curve = "linear" }"#.into(),
            "s.toml, key parties.A.evaluations.x: `ideal` is missing (fix: add `ideal = …`)",
        ),
        (
            r#"x = { ideal = "left", shape = "monotone", curve = "linear" }"#.into(),
            "s.toml, key parties.A.evaluations.x.ideal: expected a number, found string (fix: write a number such as 0.5)",
        ),
        (
            r#"x = { ideal = 120, shape = "monotone", curve = "linear" }"#.into(),
            "s.toml, key parties.A.evaluations.x.ideal: the ideal 120 lies outside the issue's positions (0–100) (fix: put the ideal between 0 and 100; a party that wants all the scale gives has its ideal at an end)",
        ),
        (
            r#"x = { ideal = 0, curve = "linear" }"#.into(),
            "s.toml, key parties.A.evaluations.x: `shape` is missing (fix: add `shape = \"…\"`, one of `monotone` or `single-peaked`)",
        ),
        (
            r#"x = { ideal = 0, shape = "peaked", curve = "linear" }"#.into(),
            "s.toml, key parties.A.evaluations.x.shape: unknown shape `peaked` (fix: use `monotone` or `single-peaked`)",
        ),
        (
            r#"x = { ideal = 0, shape = 1, curve = "linear" }"#.into(),
            "s.toml, key parties.A.evaluations.x.shape: expected text, found integer (fix: write `shape = \"…\"`, one of `monotone` or `single-peaked`)",
        ),
        (
            r#"x = { ideal = 0, shape = "monotone" }"#.into(),
            "s.toml, key parties.A.evaluations.x: `curve` is missing (fix: add `curve = \"…\"`, one of `linear` or `concave`)",
        ),
        (
            r#"x = { ideal = 0, shape = "monotone", curve = "convex" }"#.into(),
            "s.toml, key parties.A.evaluations.x.curve: unknown curve `convex` (fix: use `linear` or `concave`)",
        ),
        (
            format!("x = {{ {ok}, stance = 30 }}"),
            "s.toml, key parties.A.evaluations.x.stance: the stance 30 is not one of the issue's positions (0, 50, 100) (fix: give the position of the value the party last stated)",
        ),
        (
            format!("x = {{ {ok}, stance = \"b\" }}"),
            "s.toml, key parties.A.evaluations.x.stance: expected a number, found string (fix: write a number such as 0.5)",
        ),
        (
            format!("x = {{ {ok}, stance_date = \"2025-12-14\" }}"),
            "s.toml, key parties.A.evaluations.x.stance_date: `stance_date` describes a stance, but there is no `stance` (fix: add `stance = …`, the position of the value the party last stated, or drop `stance_date`)",
        ),
        (
            format!("x = {{ {ok}, stance = 50, stance_date = \"14/12/2025\" }}"),
            "s.toml, key parties.A.evaluations.x.stance_date: `14/12/2025` is not a date written YYYY-MM-DD (expected four digits, a dash, two digits, a dash, two digits) (fix: write dates as YYYY-MM-DD, e.g. \"2025-11-15\")",
        ),
        (
            format!("x = {{ {ok}, stance = 50, stance_source = 3 }}"),
            "s.toml, key parties.A.evaluations.x.stance_source: expected text, found integer (fix: write \"…\")",
        ),
        (
            format!("x = {{ {ok}, stance = 50, stance_label = \"rumoured\" }}"),
            "s.toml, key parties.A.evaluations.x.stance_label: unknown label `rumoured` (fix: use `reported`, `mapped` or `assumption`)",
        ),
        (
            r#"x = { stance = 50 }"#.into(),
            "s.toml, key parties.A.evaluations.x: `ideal` is missing (fix: add `ideal = …`)",
        ),
    ];
    for (evaluations, expected) in cases {
        assert_eq!(with(&evaluations).unwrap_err(), expected, "{evaluations}");
    }
}

/// A stance event reads, writes back, and moves the stated position (only) from its round.
#[test]
fn a_stance_event_reads_writes_back_and_moves_the_stated_position() {
    let s = load(
        &repo("scenarios/examples/positions.toml"),
        &ReadOptions::genius(),
    )
    .unwrap();
    let e = &s.events[0];
    assert_eq!(
        (e.name.as_str(), e.party, e.change, e.stances.as_slice()),
        (
            "liberal-tax-offer",
            1,
            None,
            &[zopa_core::StanceMove {
                issue: 0,
                position: 50.0
            }][..]
        )
    );
    assert_eq!(
        e.effect(&s.issues),
        "states top-tax-rate = 45% (position 50)"
    );
    let back = from_toml(Path::new("positions.toml"), &to_toml(&s)).unwrap();
    assert_eq!(back.events, s.events);
    let liberals = |s: &zopa_core::Scenario| s.parties[1].positional(0).unwrap().clone();
    assert_eq!(liberals(&s.at(2, 100)).stance().unwrap().position, 75.0);
    let now = liberals(&s.at(3, 100));
    assert_eq!(now.stance().unwrap().position, 50.0);
    assert_eq!(now.evaluations(), liberals(&s).evaluations());

    // A stance on an issue the scenario lacks, or at no position of the issue.
    let bad = |stances: &str| {
        from_toml(
            Path::new("s.toml"),
            &format!(
                "{ISSUES}evaluations = {{ x = {{ ideal = 0, shape = \"monotone\", curve = \"linear\" }} }}\n\
                 [[events]]\nname = \"shift\"\nparty = \"A\"\nround = 2\nstances = {{ {stances} }}\n"
            ),
        )
        .map_err(|e| e.to_string())
        .and_then(|s| s.validate().map_err(|e| e.to_string()))
        .unwrap_err()
    };
    let err = bad("y = 50");
    assert!(
        err.contains("events.shift.stances.y") && err.contains("`y` is not an issue"),
        "{err}"
    );
    let err = bad("x = 40");
    assert!(
        err.contains("the stance 40 on `x` is not one of the issue's positions (0, 50, 100)"),
        "{err}"
    );
    let err = bad("plain = 1");
    assert!(
        err.contains("`A` does not evaluate `plain` by position"),
        "{err}"
    );
}
