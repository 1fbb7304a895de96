//! The report states what the library computes: the Nash deal it prints is the analysis's, and
//! every simulated run it lists replays to the same agreement with its seed. On the flagship
//! scenario and on a classic GENIUS one.

use std::path::PathBuf;

use zopa_core::Scenario;
use zopa_mechanisms::run;

fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

fn check(scenario: &Scenario) {
    let report = zopa_report::build(scenario).unwrap();
    let md = zopa_report::markdown::render(scenario, &report);
    let nash = report.analysis.nash.as_ref().expect("a Nash deal");
    assert_eq!(report.deals[0].label, "Nash");
    for (i, issue) in scenario.issues.iter().enumerate() {
        let row = md
            .lines()
            .find(|l| {
                l.starts_with(&format!("| {} |", issue.name.replace('|', "\\|")))
                    && l.matches('|').count() == report.deals.len() + 2
            })
            .unwrap_or_else(|| panic!("no deal row for {}", issue.name));
        let cells: Vec<&str> = row.split(" | ").collect();
        assert_eq!(
            cells[1].trim(),
            issue.display(nash.outcome[i]).replace('|', "\\|"),
            "Nash value of {}",
            issue.name
        );
    }
    for (k, u) in nash.utilities.iter().enumerate() {
        let party = report.analysis.parties[k];
        assert!((report.deals[0].all_utilities[party] - u).abs() < 1e-12);
    }
    assert!(!report.simulations.is_empty());
    for s in &report.simulations {
        let replay = run(&s.variant.apply(scenario), &s.spec).unwrap();
        assert_eq!(
            replay.agreement, s.result.agreement,
            "{} does not replay",
            s.label
        );
        assert_eq!(replay.rounds, s.result.rounds);
    }
    let html = zopa_report::html::render(scenario, &report, &md);
    assert!(html.contains("id=\"zopa-data\"") && html.contains("getContext(\"2d\")"));
    assert!(
        !html.contains("http://") && !html.contains("https://"),
        "the page must work offline"
    );
}

#[test]
fn ukraine_report_facts_match_the_library() {
    let s = zopa_formats::load(
        &repo("scenarios/ukraine-2025"),
        &zopa_formats::ReadOptions::genius(),
    )
    .unwrap();
    check(&s);
    forecast_rows_match_the_library(&s);
}

/// The forecast table prints, per issue, the SMP run's most probable final position and the
/// expected-utility model's mean after its rounds, as the forecast crate computes them.
fn forecast_rows_match_the_library(s: &Scenario) {
    use zopa_forecast::{eum, native, smp};
    let report = zopa_report::build(s).unwrap();
    let md = zopa_report::markdown::render(s, &report);
    assert!(md.contains("## Forecast (stakeholder models)"));
    let inputs = native::inputs(s).unwrap();
    let run = smp::run(&inputs.actors, 100);
    let last = run.turns.last().unwrap();
    let best = (0..last.prob.len()).fold(0, |b, k| if last.prob[k] > last.prob[b] { k } else { b });
    for (d, name) in inputs.dimensions.iter().enumerate() {
        let actors = eum::stakeholders(&inputs.actors, d, 100.0, inputs.eum_salience());
        let rounds = eum::run(&actors, zopa_report::EUM_ROUNDS, eum::EumOptions::default());
        let moved = eum::moved(&actors, &rounds.last().unwrap().positions);
        let section = md.split("## Forecast").nth(1).unwrap();
        let row = section
            .lines()
            .find(|l| l.starts_with(&format!("| {name} |")) && l.matches('|').count() == 6)
            .unwrap_or_else(|| panic!("no forecast row for {name}"));
        let cells: Vec<&str> = row.split(" | ").collect();
        assert_eq!(
            cells[1],
            format!("{:.1}", last.positions[best][d] * 100.0),
            "{name}"
        );
        assert_eq!(
            cells[3],
            format!("{:.1}", eum::weighted_mean(&moved)),
            "{name}"
        );
    }
}

#[test]
fn classic_report_facts_match_the_library() {
    let s = zopa_formats::load(
        &repo("../shared/scenarios/NegotiatorGUI/etc/templates/anac/y2010/EnglandZimbabwe"),
        &zopa_formats::ReadOptions::genius(),
    )
    .unwrap();
    check(&s);
}

/// The summary, the distributions, the thresholds and the blame the report prints are what the
/// library computes, recomputed here from scratch.
fn insight_matches_the_library(scenario: &Scenario) -> zopa_report::Report {
    use zopa_mechanisms::End;
    let report = zopa_report::build(scenario).unwrap();
    let md = zopa_report::markdown::render(scenario, &report);
    let a = &report.analysis;
    let s = &report.insight;
    // Where agreement is possible: each negotiator's range on the rational frontier.
    for z in &s.zopa {
        let k = a.parties.iter().position(|&p| p == z.party).unwrap();
        let us: Vec<f64> = a
            .frontier
            .iter()
            .filter(|p| p.utilities.iter().zip(&a.reserved).all(|(u, r)| u >= r))
            .map(|p| p.utilities[k])
            .collect();
        assert_eq!(z.low, us.iter().copied().fold(f64::INFINITY, f64::min));
        assert_eq!(z.high, us.iter().copied().fold(f64::NEG_INFINITY, f64::max));
        let said = format!(
            "{} {:.3}–{:.3}",
            scenario.parties[z.party].name, z.low, z.high
        );
        assert!(md.contains(&said), "the summary does not say `{said}`");
    }
    // Distributions: each replays from its setting, seeds and mediators.
    let mut failed = 0;
    let mut blamed = vec![0usize; scenario.parties.len()];
    for (k, sim) in report.simulations.iter().enumerate() {
        let again = zopa_report::Distribution::of(&sim.variant.apply(scenario), &sim.spec);
        assert_eq!(again, sim.distribution, "setting {} does not replay", k + 1);
        let d = &sim.distribution;
        // Recount agreements and blame by running every run of the distribution.
        let mut runs = Vec::new();
        for &seed in zopa_report::SEEDS {
            let mut one = sim.spec.clone();
            one.seed = seed;
            if d.mediators.is_empty() {
                runs.push(run(&sim.variant.apply(scenario), &one).unwrap());
            }
            for m in &d.mediators {
                one.mediator = Some(zopa_mechanisms::Spec::parse(m).unwrap());
                runs.push(run(&sim.variant.apply(scenario), &one).unwrap());
            }
        }
        assert_eq!(runs.len(), d.runs);
        let agreed = runs
            .iter()
            .filter(|r| matches!(r.end, End::Agreement | End::Partial))
            .count();
        assert_eq!(agreed, d.agreements);
        failed += d.runs - agreed;
        for r in &runs {
            for b in &r.blame {
                blamed[b.party] += 1;
            }
        }
        for i in 0..scenario.parties.len() {
            let mut us: Vec<f64> = runs.iter().map(|r| r.utilities[i]).collect();
            assert_eq!(d.median[i], zopa_report::median(&mut us));
        }
        let row = format!("| {} | {} | {} |", k + 1, d.runs, d.agreements);
        assert!(md.contains(&row), "no distribution row `{row}`");
    }
    assert_eq!(s.failed, failed);
    assert_eq!(s.blamed, blamed);
    if failed > 0 {
        assert!(md.contains(&format!(
            "Talks failed in {failed} of {} simulated runs",
            s.runs
        )));
    }
    // Thresholds: the most each negotiator gets while the others keep their outside options,
    // and each text's utility to it.
    for t in &s.thresholds {
        let k = a.parties.iter().position(|&p| p == t.party).unwrap();
        let expected = match &t.verdict {
            zopa_report::Verdict::ZopaExists => a
                .frontier
                .iter()
                .filter(|p| (0..a.parties.len()).all(|j| j == k || p.utilities[j] >= a.reserved[j]))
                .map(|p| p.utilities[k])
                .fold(f64::NEG_INFINITY, f64::max),
            zopa_report::Verdict::TextAcceptable(x) => scenario.parties[t.party]
                .utility
                .eval(&scenario.texts[*x].outcome),
        };
        assert!((t.value - expected).abs() < 1e-9, "{t:?} vs {expected}");
    }
    // Each named text: the parties below their outside option on its date reject it, and the
    // page says so.
    let on_date = zopa_report::texts_on_their_dates(scenario);
    for v in &s.texts {
        let text = &scenario.texts[v.placement.text];
        for (k, &p) in a.parties.iter().enumerate() {
            let u = scenario.parties[p].utility.eval(&text.outcome);
            assert!((v.placement.utilities[k] - u).abs() < 1e-9);
            let below = u < on_date[v.placement.text].parties[p].reservation_value();
            let rejected_below = v.rejections.iter().any(|j| {
                j.party == p && matches!(j.reason, zopa_report::Reason::BelowOutsideOption { .. })
            });
            assert_eq!(
                below, rejected_below,
                "{} for {}",
                text.name, scenario.parties[p].name
            );
        }
        assert!(md.contains(&format!("**{}**", text.name)));
    }
    report
}

#[test]
fn the_flagship_summary_distributions_thresholds_and_blame_match_the_library() {
    let s = zopa_formats::load(
        &repo("scenarios/ukraine-2025"),
        &zopa_formats::ReadOptions::genius(),
    )
    .unwrap();
    let report = insight_matches_the_library(&s);
    sweeps_match_the_library(&s, &report);
}

/// The sweeps over the declared ranges: one per range; along a reservation value each text's
/// verdict is its utility against that number (and flips at the utility, found by bisection);
/// a ZOPA verdict is the analysis of the swept scenario.
fn sweeps_match_the_library(s: &Scenario, report: &zopa_report::Report) {
    use zopa_core::analysis::{analyze, AnalysisConfig, Definitions};
    use zopa_core::{Point, Varies};
    use zopa_report::Tracked;
    assert_eq!(report.sweeps.len(), s.ranges.ranges.len());
    let md = zopa_report::markdown::render(s, report);
    assert!(md.contains("## Sensitivity over the declared ranges"));
    let mut flips = 0;
    for w in &report.sweeps {
        let varies = &s.ranges.ranges[w.range].varies;
        let Varies::Reservation { party, low, high } = *varies else {
            continue;
        };
        let points = varies.points(s, 0, &mut || 0.0);
        for t in &w.tracks {
            match t.verdict {
                Tracked::Accepts { party: p, text } if p == party => {
                    let u = s.parties[p].utility.eval(&s.texts[text].outcome);
                    for (point, holds) in points.iter().zip(&t.holds) {
                        let Point::Value(x) = point else { panic!() };
                        assert_eq!(*holds, u >= *x, "{} at {x}", s.texts[text].name);
                    }
                    for (x, above) in &t.flips {
                        assert!(!above);
                        assert!((x - u).abs() <= (high - low) / 10.0 / 1024.0, "{x} vs {u}");
                        flips += 1;
                    }
                }
                Tracked::Zopa => {
                    let mut v = s.clone();
                    v.parties[party].reservation = Some(zopa_core::OutsideOption::Fixed(high));
                    let config = AnalysisConfig {
                        parties: Some(s.negotiators()),
                        ..AnalysisConfig::new(Definitions::Zopa)
                    };
                    let exists = analyze(&v, &config).unwrap().zopa_exists;
                    assert_eq!(*t.holds.last().unwrap(), exists);
                }
                _ => {}
            }
        }
    }
    assert!(flips > 0, "the flagship's ranges flip some verdict");
}

#[test]
fn named_texts_are_judged_as_the_library_places_them() {
    let s = zopa_formats::load(
        &repo("scenarios/examples/dated-talks.toml"),
        &zopa_formats::ReadOptions::genius(),
    )
    .unwrap();
    assert!(!s.texts.is_empty());
    insight_matches_the_library(&s);
}

/// Each named text's utilities, computed by hand from the file's weights and the option
/// positions. Ukraine: ideal 0, monotone and linear, so an option at position x is worth
/// 1 − x/100, but on the US's stake, single-peaked at 50: 1 − |x − 50|/50. Russia: ideal 100,
/// worth x/100, except on security guarantees, single-peaked at 75: 1 − |x − 75|/75. The
/// report places each text where the hand puts it.
#[test]
fn each_named_text_scores_as_computed_by_hand() {
    let s = zopa_formats::load(
        &repo("scenarios/ukraine-2025"),
        &zopa_formats::ReadOptions::genius(),
    )
    .unwrap();
    // Per issue, in file order: Ukraine's weight, Russia's weight.
    let weights: [(f64, f64); 15] = [
        (0.16, 0.18), // donetsk-luhansk
        (0.11, 0.10), // crimea-donbas-status
        (0.10, 0.08), // kherson-zaporizhzhia
        (0.07, 0.15), // nato
        (0.07, 0.08), // army-cap
        (0.05, 0.12), // western-forces
        (0.15, 0.03), // security-guarantees
        (0.03, 0.05), // sanctions
        (0.02, 0.03), // frozen-assets
        (0.03, 0.03), // elections
        (0.05, 0.07), // ceasefire
        (0.05, 0.03), // zaporizhzhia-npp
        (0.03, 0.02), // amnesty
        (0.05, 0.01), // eu-accession
        (0.03, 0.02), // us-stake
    ];
    // Each text's option positions, issue by issue (the values named in scenario.toml).
    let texts: [(&str, [f64; 15], f64, f64); 3] = [
        (
            "28-point plan",
            [
                75., 67., 50., 100., 67., 100., 50., 67., 67., 67., 50., 67., 100., 50., 100.,
            ],
            0.3173,
            0.7594,
        ),
        (
            "E3/EU counter-plan",
            [
                25., 33., 50., 33., 33., 50., 25., 33., 33., 33., 0., 0., 0., 50., 0.,
            ],
            0.6836,
            0.3052,
        ),
        (
            "20-point draft",
            [
                50., 33., 50., 67., 33., 50., 25., 33., 33., 33., 50., 33., 0., 0., 50.,
            ],
            0.6333,
            0.4511,
        ),
    ];
    let report = zopa_report::build(&s).unwrap();
    let k = |name: &str| {
        let p = s.party_index(name).unwrap();
        report
            .analysis
            .parties
            .iter()
            .position(|&q| q == p)
            .unwrap()
    };
    for (name, xs, ukraine_by_hand, russia_by_hand) in texts {
        let ukraine: f64 = (0..15)
            .map(|i| {
                let v = if i == 14 {
                    1.0 - (xs[i] - 50.0f64).abs() / 50.0
                } else {
                    1.0 - xs[i] / 100.0
                };
                weights[i].0 * v
            })
            .sum();
        let russia: f64 = (0..15)
            .map(|i| {
                let v = if i == 6 {
                    1.0 - (xs[i] - 75.0f64).abs() / 75.0
                } else {
                    xs[i] / 100.0
                };
                weights[i].1 * v
            })
            .sum();
        assert!(
            (ukraine - ukraine_by_hand).abs() < 1e-4,
            "{name}: Ukraine {ukraine}"
        );
        assert!(
            (russia - russia_by_hand).abs() < 1e-4,
            "{name}: Russia {russia}"
        );
        let text = s.text(name).unwrap();
        let u = |party: &str| {
            s.parties[s.party_index(party).unwrap()]
                .utility
                .eval(&text.outcome)
        };
        assert!((u("Ukraine") - ukraine).abs() < 1e-9, "{name}");
        assert!((u("Russia") - russia).abs() < 1e-9, "{name}");
        let v = report
            .insight
            .texts
            .iter()
            .find(|t| s.texts[t.placement.text].name == name)
            .unwrap();
        assert!((v.placement.utilities[k("Ukraine")] - ukraine).abs() < 1e-9);
        assert!((v.placement.utilities[k("Russia")] - russia).abs() < 1e-9);
    }
}
