//! Reproduces KTAB's reference run of dummyData_3Dim (2017-05-30 log, default options).

use std::path::PathBuf;

use zopa_forecast::{ktab, smp};

fn shared(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel)
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

#[test]
fn dummy_data_3dim_matches_the_reference_log() {
    let text = std::fs::read_to_string(shared("scenarios/ktab/smp/dummyData_3Dim.csv")).unwrap();
    let s = ktab::parse_csv(&text).unwrap();
    assert_eq!(s.actors.len(), 7);
    let run = smp::run(&s.actors, 100);
    let t0 = &run.turns[0];
    let risk = [-0.500, -0.459, -0.499, -0.274, 1.000, -0.232, -0.430];
    for (a, b) in t0.risk.iter().zip(risk) {
        assert!(close(*a, b, 5e-4), "risk {:?}", t0.risk);
    }
    let best = [
        (6, 0.7643, 0.0947),
        (0, 0.7964, 0.2810),
        (6, 0.8334, 0.4711),
        (0, 0.8056, 0.2839),
        (0, 0.5836, 0.0116),
        (1, 0.8510, 0.2986),
        (1, 0.3970, 0.0286),
    ];
    for (i, (j, p, g)) in best.iter().enumerate() {
        let c = t0.challenges[i].as_ref().expect("a challenge");
        let (tj, tp, tg) = (c.target, c.probability, c.gain);
        assert!(
            tj == *j && close(tp, *p, 5e-5) && close(tg, *g, 5e-5),
            "actor {i}: {:?}",
            t0.challenges[i]
        );
    }
    let prob0 = [0.0047, 0.0302, 0.0054, 0.1492, 0.6001, 0.1447, 0.0656];
    for (a, b) in t0.prob.iter().zip(prob0) {
        assert!(close(*a, b, 5e-5), "prob {:?}", t0.prob);
    }
    let changes = [
        0.9999, 0.7631, 0.1780, 0.0801, 0.0853, 0.0686, 0.0639, 0.1058, 0.0398, 0.0045,
    ];
    assert_eq!(
        run.fractional_changes.len(),
        changes.len(),
        "{:?}",
        run.fractional_changes
    );
    for (a, b) in run.fractional_changes.iter().zip(changes) {
        assert!(close(*a, b, 5e-5), "{:?}", run.fractional_changes);
    }
    let fin = [78.6, 31.8, 74.1];
    for (a, b) in run.positions[0].iter().zip(fin) {
        assert!(close(a * 100.0, b, 0.05), "{:?}", run.positions[0]);
    }
}

/// Every "prob" line and the whole position history of the reference, to the printed precision.
#[test]
fn dummy_data_3dim_every_turn_matches() {
    let text = std::fs::read_to_string(shared("scenarios/ktab/smp/dummyData_3Dim.csv")).unwrap();
    let s = ktab::parse_csv(&text).unwrap();
    let run = smp::run(&s.actors, 100);
    let expected = std::fs::read_to_string(shared(
        "scenarios/ktab/reference-runs/dummyData_3Dim.expected.txt",
    ))
    .unwrap();
    let mut probs = 0;
    let mut positions = 0;
    for line in expected.lines() {
        let Some((head, rest)) = line.split_once(':') else {
            continue;
        };
        let numbers: Vec<f64> = rest
            .split_whitespace()
            .filter_map(|x| x.parse().ok())
            .collect();
        let Some(actor) = s.actors.iter().position(|a| head.starts_with(&a.name)) else {
            continue;
        };
        if head.ends_with("prob ") || head.ends_with("prob") {
            assert_eq!(numbers.len(), run.turns.len(), "turn count");
            for (t, want) in numbers.iter().enumerate() {
                assert!(
                    close(run.turns[t].prob[actor], *want, 5e-5),
                    "prob of {} at turn {t}: {} vs {want}",
                    s.actors[actor].name,
                    run.turns[t].prob[actor]
                );
                probs += 1;
            }
        } else if let Some(dim) = head
            .split("Pstn")
            .nth(1)
            .and_then(|k| k.trim().parse::<usize>().ok())
        {
            for (t, want) in numbers.iter().enumerate() {
                let got = run.turns[t].positions[actor][dim - 1] * 100.0;
                assert!(
                    close(got, *want, 0.05 + 1e-9),
                    "{} Pstn{dim} at turn {t}: {got} vs {want}",
                    s.actors[actor].name
                );
                positions += 1;
            }
        }
    }
    assert_eq!(probs, 7 * 11);
    assert_eq!(positions, 7 * 3 * 11);
}

#[test]
fn every_ktab_csv_input_runs() {
    let dir = shared("scenarios/ktab/smp");
    let mut ran = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "csv") {
            let text = std::fs::read_to_string(&path).unwrap();
            let s = ktab::parse_csv(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            let run = smp::run(&s.actors, 100);
            assert!(!run.turns.is_empty());
            for p in run.positions.iter().flatten() {
                assert!(
                    p.is_finite() && (-1e-9..=1.0 + 1e-9).contains(p),
                    "{}: {p}",
                    path.display()
                );
            }
            ran += 1;
        }
    }
    assert!(ran >= 9, "{ran}");
}

#[test]
fn eum_central_positions_of_the_eu_car_emissions_example() {
    let text = std::fs::read_to_string(shared("scenarios/bdm/eu-car-emissions.csv")).unwrap();
    let actors = zopa_forecast::eum::parse_csv(&text).unwrap();
    assert_eq!(actors.len(), 10);
    assert!(close(
        zopa_forecast::eum::weighted_mean(&actors),
        7.389955686853767,
        1e-12
    ));
    assert_eq!(zopa_forecast::eum::weighted_median(&actors), 7.0);
    assert_eq!(zopa_forecast::eum::condorcet(&actors), 7.0);
}

#[test]
fn every_ktab_xml_input_runs_and_smp_example_turn_0_risk_matches() {
    for file in ["dummyData_3Dim.xml", "smpExample.xml"] {
        let text = std::fs::read_to_string(shared(&format!("scenarios/ktab/smp/{file}"))).unwrap();
        let (s, options, _notes) = ktab::parse_xml(&text).unwrap_or_else(|e| panic!("{file}: {e}"));
        let run = smp::run_with(&s.actors, 100, options);
        assert!(!run.turns.is_empty(), "{file}");
    }
    // dummyData_3Dim.xml is the CSV's twin and gives the same run.
    let xml = ktab::parse_xml(
        &std::fs::read_to_string(shared("scenarios/ktab/smp/dummyData_3Dim.xml")).unwrap(),
    )
    .unwrap();
    let csv = ktab::parse_csv(
        &std::fs::read_to_string(shared("scenarios/ktab/smp/dummyData_3Dim.csv")).unwrap(),
    )
    .unwrap();
    assert_eq!(
        smp::run_with(&xml.0.actors, 100, xml.1).positions,
        smp::run(&csv.actors, 100).positions
    );

    // smpExample: PropCbc votes, MarkovIncentive PCE. Its file leaves Alice's first coordinate
    // empty; KTAB's 2017 reference run read 52.8 there, so the test sets that value.
    let (mut s, options, notes) = ktab::parse_xml(
        &std::fs::read_to_string(shared("scenarios/ktab/smp/smpExample.xml")).unwrap(),
    )
    .unwrap();
    assert!(notes.iter().any(|n| n.contains("Alice")), "{notes:?}");
    s.actors[0].position[0] = 0.528;
    let run = smp::run_with(&s.actors, 1, options);
    let want = [1.000, -0.387, -0.500, -0.001, -0.298];
    for (a, b) in run.turns[0].risk.iter().zip(want) {
        assert!(close(*a, b, 5e-4), "risk {:?}", run.turns[0].risk);
    }
}

#[test]
fn zopa_scenarios_forecast_when_they_declare_capabilities() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let s = zopa_formats::load(
        &root.join("scenarios/ukraine-2025"),
        &zopa_formats::ReadOptions::genius(),
    )
    .unwrap();
    let inputs = zopa_forecast::native::inputs(&s).unwrap();
    assert_eq!(inputs.dimensions.len(), 15);
    assert_eq!(
        inputs.actors.len(),
        4,
        "mediator and stakeholder take part too"
    );
    // Russia's position is its best value: full control on Donetsk/Luhansk (100).
    assert_eq!(inputs.actors[0].position[0], 1.0);
    let run = smp::run(&inputs.actors, 100);
    assert!(run.fractional_changes.len() >= 2);
    for p in run.positions.iter().flatten() {
        assert!((0.0..=1.0).contains(p));
    }
    let classic = zopa_formats::load(
        &shared("scenarios/NegotiatorGUI/etc/templates/anac/y2010/EnglandZimbabwe"),
        &zopa_formats::ReadOptions::genius(),
    )
    .unwrap();
    let missing = zopa_forecast::native::inputs(&classic).unwrap_err();
    assert_eq!(missing.len(), 2, "{missing:?}");
    assert!(missing[0].contains("England") && missing[0].contains("capability"));
}

/// A party that scores an issue by position stands at the stance it last stated there (its
/// latest concession), or at its ideal when it states none.
#[test]
fn positional_parties_stand_at_their_stated_stance() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut s = zopa_formats::load(
        &root.join("scenarios/examples/positions.toml"),
        &zopa_formats::ReadOptions::genius(),
    )
    .unwrap();
    for p in &mut s.parties {
        p.capability = Some(50.0);
    }
    let inputs = zopa_forecast::native::inputs(&s).unwrap();
    // The Greens: stances 25 (tax) and 33 (coal); no stance on pensions, ideal 50.
    assert_eq!(inputs.actors[0].position, [0.25, 0.33, 0.5]);
    // The Liberals' ideals are 100; their stances 75, 67, 50.
    assert_eq!(inputs.actors[1].position, [0.75, 0.67, 0.5]);
}

/// Regression values of jmckib's port (forecasting.md §2.1): round-1 risk exponents and moves,
/// and the weighted mean after each of rounds 1-10 (the port oscillates; so does zopa, alike).
#[test]
fn eum_rounds_reproduce_the_jmckib_regression_values() {
    use zopa_forecast::eum;
    let text = std::fs::read_to_string(shared("scenarios/bdm/eu-car-emissions.csv")).unwrap();
    let actors = eum::parse_csv(&text).unwrap();
    let rounds = eum::run(&actors, 10, eum::EumOptions::default());
    let r = [
        1.405653, 0.754196, 0.508864, 1.405653, 1.046524, 1.046524, 1.964898, 0.5, 2.0, 1.112125,
    ];
    for (a, b) in rounds[0].risk.iter().zip(r) {
        assert!(close(*a, b, 5e-7), "{:?}", rounds[0].risk);
    }
    let name = |i: usize| actors[i].name.as_str();
    let moved: Vec<(&str, &str, &str, f64)> = rounds[0]
        .moves
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.map(|(j, kind, pos)| (name(i), kind, name(j), pos)))
        .collect();
    assert_eq!(moved.len(), 3, "{moved:?}");
    assert_eq!(
        (moved[0].0, moved[0].1, moved[0].2),
        ("Belgium", "compromises with", "France")
    );
    assert!(close(moved[0].3, 8.415932, 5e-7));
    assert_eq!(
        (moved[1].0, moved[1].1, moved[1].2, moved[1].3),
        ("Luxembourg", "loses to", "Belgium", 7.0)
    );
    assert_eq!(
        (moved[2].0, moved[2].1, moved[2].2, moved[2].3),
        ("Ireland", "loses to", "Luxembourg", 4.0)
    );
    let means = [
        7.461314, 7.552501, 7.590145, 7.358131, 7.349174, 7.414878, 7.510457, 7.572447, 7.324989,
        7.242131,
    ];
    assert_eq!(rounds.len(), 10);
    for (k, (round, want)) in rounds.iter().zip(means).enumerate() {
        assert!(
            close(round.mean, want, 5e-7),
            "round {}: mean {} vs {want}",
            k + 1,
            round.mean
        );
    }
}

/// dmasad's port after one round (its "Comparison with Original" notebook and
/// forecasting.md §2.1): risk exponents, the two moves, and the new weighted mean.
#[test]
fn eum_dmasad_variant_reproduces_its_first_round() {
    use zopa_forecast::eum;
    let text = std::fs::read_to_string(shared("scenarios/bdm/eu-car-emissions.csv")).unwrap();
    let actors = eum::parse_csv(&text).unwrap();
    let o = eum::EumOptions {
        variant: eum::EumVariant::Dmasad,
        ..eum::EumOptions::default()
    };
    let rounds = eum::run(&actors, 1, o);
    let r = [
        1.1271980463,
        0.780917839132,
        0.5,
        1.1271980463,
        1.07789229892,
        1.07789229892,
        2.0,
        0.524782172174,
        1.47169654498,
        1.14047944802,
    ];
    for (a, b) in rounds[0].risk.iter().zip(r) {
        assert!(close(*a, b, 5e-11), "{:?}", rounds[0].risk);
    }
    let name = |i: usize| actors[i].name.as_str();
    let moved: Vec<(&str, &str, &str)> = rounds[0]
        .moves
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.map(|(j, kind, _)| (name(i), kind, name(j))))
        .collect();
    assert_eq!(
        moved,
        [
            ("Luxembourg", "loses to", "France"),
            ("Ireland", "compromises with", "France")
        ]
    );
    assert!(
        close(rounds[0].mean, 7.444520171019051, 1e-12),
        "{}",
        rounds[0].mean
    );
}

/// smpExample's `<IdealAdjustment>`: after a turn ideal_i = Σ_j A_ij x_j + (1 − Σ_j A_ij) ideal_i,
/// as KTAB's log shows (Alice: 0.87 of her new position and 0.13 of her old ideal).
#[test]
fn ideals_accommodate_as_the_matrix_says() {
    let (mut s, mut options, _) = ktab::parse_xml(
        &std::fs::read_to_string(shared("scenarios/ktab/smp/smpExample.xml")).unwrap(),
    )
    .unwrap();
    s.actors[0].position[0] = 0.528;
    let a = s
        .accommodation
        .clone()
        .expect("the file has IdealAdjustment");
    assert_eq!(a[0][0], 0.87);
    assert_eq!((a[1][1], a[1][0]), (0.75, 0.07));
    assert_eq!((a[2][2], a[2][3]), (0.65, 0.13));
    assert_eq!(a[4][4], 1.0, "actors without pairs keep the identity");
    options.stochastic = None;
    let run = smp::run_accommodating(&s.actors, 2, options, Some(&a));
    let (before, after) = (&run.turns[0], &run.turns[1]);
    for (i, row) in a.iter().enumerate() {
        let total: f64 = row.iter().sum();
        for k in 0..3 {
            let want: f64 = row
                .iter()
                .zip(&after.positions)
                .map(|(w, x)| w * x[k])
                .sum::<f64>()
                + (1.0 - total) * before.ideals[i][k];
            assert!(close(after.ideals[i][k], want, 1e-12), "actor {i} dim {k}");
        }
    }
    // With the identity, ideals are the positions.
    let plain = smp::run(&s.actors, 2);
    assert_eq!(plain.turns[1].ideals, plain.turns[1].positions);
}

/// Inputs KTAB would refuse (it asserts on them) get an error naming the line and the actor.
#[test]
fn bad_inputs_are_refused_with_the_line_and_the_actor() {
    let good =
        "S, test, 2, 1,\nActor,Description,Power,P1,S1,\nA, a, 10, 20, 50,\nB, b, 5, 80, 40,\n";
    assert!(ktab::parse_csv(good).is_ok());
    for (bad, line, words) in [
        (good.replace("A, a, 10,", "A, a, -3,"), 3, "capability"),
        (
            good.replace("B, b, 5, 80, 40", "B, b, 5, 80, 140"),
            4,
            "sum to",
        ),
        (
            good.replace("B, b, 5, 80,", "B, b, 5, 180,"),
            4,
            "outside 0–100",
        ),
    ] {
        let e = ktab::parse_csv(&bad).unwrap_err();
        assert_eq!(e.line, line, "{e}");
        assert!(e.problem.contains(words), "{e}");
    }
    let eum_bad = "actor,capability,position,salience\nX,0.1,4,1.5\n";
    let e = zopa_forecast::eum::parse_csv(eum_bad).unwrap_err();
    assert!(e.contains("line 2") && e.contains("salience"), "{e}");
}

/// A party's declared saliences (0–100) replace its utility weights in the SMP inputs.
#[test]
fn declared_saliences_replace_weights() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut s = zopa_formats::load(
        &root.join("scenarios/ukraine-2025"),
        &zopa_formats::ReadOptions::genius(),
    )
    .unwrap();
    let before = zopa_forecast::native::inputs(&s).unwrap();
    assert!(!before.declared_salience);
    let n = s.issues.len();
    s.parties[0].salience = Some((0..n).map(|i| if i == 0 { 40.0 } else { 2.0 }).collect());
    let after = zopa_forecast::native::inputs(&s).unwrap();
    assert_eq!(after.actors[0].salience[0], 0.4);
    assert!(
        (after.actors[0].salience.iter().sum::<f64>() - (0.4 + 0.02 * (n - 1) as f64)).abs()
            < 1e-12
    );
    assert_eq!(
        after.actors[1].salience, before.actors[1].salience,
        "others keep their weights"
    );
    assert!(!after.declared_salience, "not every party declared");
    for p in s.parties.iter_mut() {
        p.salience = Some(vec![5.0; n]);
    }
    assert!(zopa_forecast::native::inputs(&s).unwrap().declared_salience);
}
