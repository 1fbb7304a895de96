//! zopa-report: everything an analyst needs about one scenario on one page.
//!
//! [`build`] gathers the facts (analysis of the negotiators, the Pareto frontier of every pair
//! of parties, the solution deals spelled out for every party, a set of simulated
//! negotiations, a sensitivity table); [`markdown`] and [`html`] render them. The HTML is
//! self-contained: its charts are drawn in the browser by a small canvas script embedded in
//! the binary, with no network access.

pub mod html;
mod insight;
pub mod markdown;
mod sensitivity;
mod simulate;
mod summary;
mod sweeps;

use zopa_core::analysis::{analyze, Analysis, AnalysisConfig, Definitions, Point};
use zopa_core::Scenario;

pub use insight::{
    texts_on_their_dates, Breach, Effect, Insight, Reason, Rejection, Terms, TextVerdict,
    Threshold, Verdict, ZopaRange,
};
pub use sensitivity::Sensitivity;
pub use simulate::{median, Distribution, Simulation, MEDIATORS, SEEDS};
pub use sweeps::{Sweep, Track, Tracked};

/// The frontier of one pair of parties, for plotting.
#[derive(Debug, Clone)]
pub struct PairFrontier {
    pub parties: [usize; 2],
    pub points: Vec<[f64; 2]>,
    pub reserved: [f64; 2],
    pub nash: Option<[f64; 2]>,
    pub kalai: Option<[f64; 2]>,
    pub egalitarian: Option<[f64; 2]>,
}

/// A solution deal with its utility to every party of the scenario.
#[derive(Debug, Clone)]
pub struct Deal {
    pub label: &'static str,
    pub point: Point,
    /// Utility to every party, in scenario order (stakeholders and mediator too).
    pub all_utilities: Vec<f64>,
}

/// Everything the report shows.
#[derive(Debug, Clone)]
pub struct Report {
    pub analysis: Analysis,
    pub deals: Vec<Deal>,
    pub pairs: Vec<PairFrontier>,
    pub simulations: Vec<Simulation>,
    pub sensitivity: Vec<Sensitivity>,
    /// The sweeps over the ranges of assumptions the scenario declares.
    pub sweeps: Vec<Sweep>,
    /// The summary's facts: ranges, terms, effects of tactics, blame, texts, thresholds.
    pub insight: Insight,
    /// KTAB's Spatial Model of Politics on the scenario, when every party has a capability.
    pub forecast: Option<Forecast>,
}

/// The SMP forecast: where each dimension ends up.
#[derive(Debug, Clone)]
pub struct Forecast {
    /// Issue index of each dimension.
    pub issues: Vec<usize>,
    /// Predicted position per dimension (0–100): the most probable final position.
    pub outcome: Vec<f64>,
    /// The value nearest to it, per dimension.
    pub nearest: Vec<String>,
    pub turns: usize,
    /// The expected-utility model's forecast per dimension (0–100): the weighted mean after
    /// [`EUM_ROUNDS`] rounds of jmckib's variant, each issue on its own, saliences relative to
    /// each party's largest weight; and the value nearest to it.
    pub eum: Vec<f64>,
    pub eum_nearest: Vec<String>,
    /// Whether the parties declared their saliences (else their issue weights stand in).
    pub declared_salience: bool,
}

/// Rounds of the expected-utility model in the report, as its ports publish.
pub const EUM_ROUNDS: usize = 10;

fn forecast(scenario: &Scenario) -> Option<Forecast> {
    let inputs = zopa_forecast::native::inputs(scenario).ok()?;
    let run = zopa_forecast::smp::run(&inputs.actors, 100);
    let last = run.turns.last()?;
    let best =
        (0..inputs.actors.len()).fold(0, |b, k| if last.prob[k] > last.prob[b] { k } else { b });
    let issues: Vec<usize> = inputs
        .dimensions
        .iter()
        .filter_map(|d| scenario.issues.iter().position(|i| &i.name == d))
        .collect();
    let outcome: Vec<f64> = last.positions[best].iter().map(|x| x * 100.0).collect();
    let nearest_to = |xs: &[f64]| -> Vec<String> {
        issues
            .iter()
            .zip(&inputs.scales)
            .zip(xs)
            .map(|((&i, scale), x)| {
                let k = (0..scale.len()).fold(0, |b, k| {
                    if (scale[k] - x).abs() < (scale[b] - x).abs() {
                        k
                    } else {
                        b
                    }
                });
                scenario.issues[i].display(zopa_core::Value::Discrete(k as u32))
            })
            .collect()
    };
    use zopa_forecast::eum;
    let eum: Vec<f64> = (0..inputs.dimensions.len())
        .map(|d| {
            let actors = eum::stakeholders(&inputs.actors, d, 100.0, inputs.eum_salience());
            let rounds = eum::run(&actors, EUM_ROUNDS, eum::EumOptions::default());
            match rounds.last() {
                Some(r) => eum::weighted_mean(&eum::moved(&actors, &r.positions)),
                None => eum::weighted_mean(&actors),
            }
        })
        .collect();
    Some(Forecast {
        nearest: nearest_to(&outcome),
        eum_nearest: nearest_to(&eum),
        issues,
        outcome,
        turns: run.fractional_changes.len(),
        eum,
        declared_salience: inputs.declared_salience,
    })
}

/// Gathers the report's facts. Fails only when the scenario cannot be analysed.
pub fn build(scenario: &Scenario) -> Result<Report, zopa_core::analysis::AnalysisError> {
    build_with(scenario, &mut |_, _, _| {})
}

/// The parts of a report, in the order [`build_with`] computes them.
pub const STEPS: [&str; 7] = [
    "analysis",
    "frontiers of each pair",
    "simulated negotiations",
    "sensitivity",
    "insight",
    "sensitivity ranges",
    "forecast",
];

/// [`build`], calling `progress(done, of, next)` before each of [`STEPS`] (and once at the
/// end, with `next` empty), for a progress bar.
pub fn build_with(
    scenario: &Scenario,
    progress: &mut dyn FnMut(usize, usize, &str),
) -> Result<Report, zopa_core::analysis::AnalysisError> {
    let mut step = 0;
    let mut next = |progress: &mut dyn FnMut(usize, usize, &str)| {
        progress(step, STEPS.len(), STEPS.get(step).copied().unwrap_or(""));
        step += 1;
    };
    next(progress);
    let analysis = analyze(scenario, &AnalysisConfig::new(Definitions::Zopa))?;
    let all = |p: &Point| -> Vec<f64> {
        scenario
            .parties
            .iter()
            .map(|q| q.utility.eval(&p.outcome))
            .collect()
    };
    let deals = [
        ("Nash", &analysis.nash),
        ("Kalai–Smorodinsky", &analysis.kalai),
        ("egalitarian", &analysis.egalitarian),
        ("max welfare", &analysis.max_welfare),
    ]
    .into_iter()
    .filter_map(|(label, p)| {
        p.as_ref().map(|p| Deal {
            label,
            point: p.clone(),
            all_utilities: all(p),
        })
    })
    .collect();
    next(progress);
    let mut pairs = Vec::new();
    for a in 0..scenario.parties.len() {
        for b in a + 1..scenario.parties.len() {
            let mut config = AnalysisConfig::new(Definitions::Zopa);
            config.parties = Some(vec![a, b]);
            if let Ok(x) = analyze(scenario, &config) {
                let xy = |p: &Option<Point>| p.as_ref().map(|p| [p.utilities[0], p.utilities[1]]);
                pairs.push(PairFrontier {
                    parties: [a, b],
                    points: x
                        .frontier
                        .iter()
                        .map(|p| [p.utilities[0], p.utilities[1]])
                        .collect(),
                    reserved: [x.reserved[0], x.reserved[1]],
                    nash: xy(&x.nash),
                    kalai: xy(&x.kalai),
                    egalitarian: xy(&x.egalitarian),
                });
            }
        }
    }
    next(progress);
    let simulations = simulate::simulations(scenario);
    next(progress);
    let sensitivity = sensitivity::sensitivity(scenario, &analysis);
    next(progress);
    let insight = insight::insight(scenario, &analysis, &simulations);
    next(progress);
    let sweeps = sweeps::sweeps(scenario);
    next(progress);
    let forecast = forecast(scenario);
    next(progress);
    Ok(Report {
        sweeps,
        insight,
        analysis,
        deals,
        pairs,
        simulations,
        sensitivity,
        forecast,
    })
}
