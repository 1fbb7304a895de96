//! Sweeps over the ranges of assumptions the scenario declares (`[sensitivity]`): at each
//! point of a range, does a zone of possible agreement exist, and is each named text
//! acceptable to each negotiator on its date? Where a verdict flips along a numeric range,
//! bisection finds the value to within 1/1024 of the step.

use rayon::prelude::*;
use zopa_core::analysis::{analyze, AnalysisConfig, Definitions};
use zopa_core::{Point, Scenario, Varies};

/// A verdict a sweep tracks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tracked {
    /// A zone of possible agreement exists among the negotiators (at the start).
    Zopa,
    /// Named text `text` (index into `Scenario::texts`) is worth at least `party`'s outside
    /// option on the text's date. Red lines do not move along a range, so they are reported
    /// beside, not folded in: a text that breaches one is unacceptable whatever the sweep.
    Accepts { party: usize, text: usize },
}

/// One verdict along one range.
#[derive(Debug, Clone, PartialEq)]
pub struct Track {
    pub verdict: Tracked,
    /// Per point of the range: does it hold?
    pub holds: Vec<bool>,
    /// Numeric ranges: the values where it flips, each with the side it holds on
    /// (`true`: it holds above the value).
    pub flips: Vec<(f64, bool)>,
}

/// One declared range, swept.
#[derive(Debug, Clone, PartialEq)]
pub struct Sweep {
    /// Index into `Scenario::ranges.ranges`.
    pub range: usize,
    /// What it varies, for people.
    pub what: String,
    pub source: Option<String>,
    /// The points tried, for people (`0.35`, `draw 3`, `concave`).
    pub points: Vec<String>,
    /// Every tracked verdict; those that never flip included (a verdict that holds
    /// throughout is a finding too).
    pub tracks: Vec<Track>,
}

/// The verdicts at one variant of the scenario, in [`tracked`] order.
fn verdicts(s: &Scenario, tracked: &[Tracked]) -> Vec<bool> {
    let negotiators = s.negotiators();
    let zopa = tracked.contains(&Tracked::Zopa).then(|| {
        let config = AnalysisConfig {
            parties: Some(negotiators.clone()),
            ..AnalysisConfig::new(Definitions::Zopa)
        };
        analyze(s, &config).is_ok_and(|a| a.zopa_exists)
    });
    // Each text judged against the outside options on its date.
    let on_date = crate::insight::texts_on_their_dates(s);
    tracked
        .iter()
        .map(|v| match *v {
            Tracked::Zopa => zopa.unwrap_or(false),
            Tracked::Accepts { party, text } => {
                let then = &on_date[text];
                let p = &then.parties[party];
                p.utility.eval(&then.texts[text].outcome) >= p.reservation_value()
            }
        })
        .collect()
}

/// Sweeps every declared range. Empty when the scenario declares none.
pub(crate) fn sweeps(s: &Scenario) -> Vec<Sweep> {
    let negotiators = s.negotiators();
    let mut tracked = vec![Tracked::Zopa];
    for text in s.texts_in_date_order() {
        for &party in &negotiators {
            tracked.push(Tracked::Accepts { party, text });
        }
    }
    s.ranges
        .ranges
        .iter()
        .enumerate()
        .map(|(k, range)| {
            let mut rng = zopa_mechanisms::rng(s.ranges.seed, k as u64);
            let mut uniform = || rand::RngExt::random::<f64>(&mut rng);
            let points = range.varies.points(s, s.ranges.draws, &mut uniform);
            let at: Vec<Vec<bool>> = points
                .par_iter()
                .map(|p| verdicts(&variant(s, &range.varies, p), &tracked))
                .collect();
            let tracks = tracked
                .iter()
                .enumerate()
                .map(|(j, &verdict)| {
                    let holds: Vec<bool> = at.iter().map(|v| v[j]).collect();
                    let flips = match range.varies.span() {
                        Some(_) => flips(s, &range.varies, &points, &holds, verdict),
                        None => Vec::new(),
                    };
                    Track {
                        verdict,
                        holds,
                        flips,
                    }
                })
                .collect();
            Sweep {
                range: k,
                what: range.varies.describe(s),
                source: range.source.clone(),
                points: points.iter().map(|p| range.varies.label(p)).collect(),
                tracks,
            }
        })
        .collect()
}

/// The scenario at one point of a range. A reservation value swept stands for the party's
/// outside option throughout: the events that would move it are set aside.
fn variant(s: &Scenario, varies: &Varies, p: &Point) -> Scenario {
    let mut v = varies.apply(s, p);
    if let Varies::Reservation { party, .. } = varies {
        for e in v.events.iter_mut().filter(|e| e.party == *party) {
            e.change = None;
        }
    }
    v
}

/// Where the verdict flips between neighbouring points, refined by bisection.
fn flips(
    s: &Scenario,
    varies: &Varies,
    points: &[Point],
    holds: &[bool],
    verdict: Tracked,
) -> Vec<(f64, bool)> {
    let value = |p: &Point| match p {
        Point::Value(x) => *x,
        _ => f64::NAN,
    };
    let at = |x: f64| verdicts(&variant(s, varies, &Point::Value(x)), &[verdict])[0];
    (1..points.len())
        .filter(|&i| holds[i] != holds[i - 1])
        .map(|i| {
            let (mut lo, mut hi) = (value(&points[i - 1]), value(&points[i]));
            let low_holds = holds[i - 1];
            for _ in 0..10 {
                let mid = (lo + hi) / 2.0;
                if at(mid) == low_holds {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            ((lo + hi) / 2.0, !low_holds)
        })
        .collect()
}

impl Tracked {
    /// `a zone of possible agreement exists`, `the 28-point plan is worth Ukraine's outside
    /// option on its date`.
    pub fn describe(&self, s: &Scenario) -> String {
        match *self {
            Tracked::Zopa => "a zone of possible agreement exists".into(),
            Tracked::Accepts { party, text } => format!(
                "the {} is worth {}'s outside option on its date",
                s.texts[text].name, s.parties[party].name
            ),
        }
    }
}

/// The section of the report: the verdicts no declared range changes, then a table of those
/// that change, range by range. `breached[text]` lists the parties whose red lines (or lines
/// on issues they control) a text breaches.
pub(crate) fn write(o: &mut String, s: &Scenario, sweeps: &[Sweep], breached: &[Vec<usize>]) {
    use crate::markdown::cell;
    use std::fmt::Write;
    let Some(first) = sweeps.first() else {
        return;
    };
    let _ = writeln!(
        o,
        "\n## Sensitivity over the declared ranges\n\nThe scenario declares how far its assumptions may be off (`[sensitivity]`):\n\n{}\n\nEach range is swept on its own, the rest as declared: numeric ranges at {} evenly spaced points (a flip is then located by bisection), weights by {} random draws (seed {}), curves one by one. A text is judged on its date, against the outside options the events have left by then — except along a reservation-value range, where that value is the party's outside option throughout (its events on it set aside). Red lines do not move along a range and are stated beside. \"Worth its outside option\" says nothing of whether a party would rather go on negotiating: the summary weighs that.\n",
        sweeps
            .iter()
            .map(|w| {
                let (lo_hi, src) = (
                    s.ranges.ranges[w.range]
                        .varies
                        .span()
                        .map_or(format!("{} variants", w.points.len()), |(lo, hi)| format!("{lo} to {hi}")),
                    w.source.as_deref().map_or(String::new(), |src| format!(" — {}", cell(src))),
                );
                format!("- {}: {lo_hi}{src}", cell(&w.what))
            })
            .collect::<Vec<_>>()
            .join("\n"),
        zopa_core::Ranges::STEPS,
        s.ranges.draws,
        s.ranges.seed
    );
    // The record: is each text rejected by some negotiator at every point of every range?
    let mut record = Vec::new();
    for text in s.texts_in_date_order() {
        let blocked: Vec<&str> = breached[text]
            .iter()
            .filter(|p| s.negotiators().contains(p))
            .map(|&p| s.parties[p].name.as_str())
            .collect();
        let mut open = Vec::new();
        for w in sweeps {
            let at: Vec<&str> = w
                .points
                .iter()
                .enumerate()
                .filter(|&(i, _)| {
                    w.tracks.iter().all(|t| match t.verdict {
                        Tracked::Accepts { text: x, .. } if x == text => t.holds[i],
                        _ => true,
                    })
                })
                .map(|(_, p)| p.as_str())
                .collect();
            match at.len() {
                0 => {}
                k if k == w.points.len() => open.push(format!("{} throughout", w.what)),
                k if k <= 4 => open.push(format!("{} = {}", w.what, at.join(", "))),
                k => open.push(format!("{} at {k} of {} points", w.what, w.points.len())),
            }
        }
        let name = &s.texts[text].name;
        record.push(match (blocked.is_empty(), open.is_empty()) {
            (_, true) => format!(
                "- the {name}: below some negotiator's outside option at every point of every range{}",
                if blocked.is_empty() {
                    String::new()
                } else {
                    format!(", and {} red line rejects it whatever the numbers", possessive(&blocked))
                }
            ),
            (true, false) => format!(
                "- the {name}: worth every negotiator's outside option for {}",
                open.join("; ")
            ),
            (false, false) => format!(
                "- the {name}: worth every negotiator's outside option for {}, but {} red line rejects it whatever the numbers",
                open.join("; "),
                possessive(&blocked)
            ),
        });
    }
    if !record.is_empty() {
        let _ = writeln!(
            o,
            "Can each named text be signed anywhere in the ranges? (For real talks whose texts were not signed, the model agrees with the record where no range opens one.)\n\n{}\n",
            record.join("\n")
        );
    }
    let steady = |j: usize| -> Option<bool> {
        let v = first.tracks[j].holds.first().copied()?;
        sweeps
            .iter()
            .all(|w| w.tracks[j].holds.iter().all(|&h| h == v))
            .then_some(v)
    };
    let red_line = |t: &Tracked| match *t {
        Tracked::Accepts { party, text } if breached[text].contains(&party) => format!(
            " — but it breaches {}'s red line, so {} rejects it whatever the range",
            s.parties[party].name, s.parties[party].name
        ),
        _ => String::new(),
    };
    let robust: Vec<String> = (0..first.tracks.len())
        .filter_map(|j| {
            let v = steady(j)?;
            let t = &first.tracks[j].verdict;
            Some(format!(
                "- {}: **{}** across every range{}",
                t.describe(s),
                if v { "yes" } else { "no" },
                red_line(t)
            ))
        })
        .collect();
    if !robust.is_empty() {
        let _ = writeln!(
            o,
            "Verdicts no declared range changes:\n\n{}\n",
            robust.join("\n")
        );
    }
    let mut rows = Vec::new();
    for w in sweeps {
        for (j, t) in w.tracks.iter().enumerate() {
            if steady(j).is_some() || t.holds.iter().all(|&h| h == t.holds[0]) {
                continue;
            }
            let n = t.holds.len();
            let k = t.holds.iter().filter(|&&h| h).count();
            let at: Vec<&str> = t
                .holds
                .iter()
                .zip(&w.points)
                .filter(|(h, _)| **h)
                .map(|(_, p)| p.as_str())
                .collect();
            let holds = if at.len() <= 4 {
                format!("{k} of {n}: {}", at.join(", "))
            } else {
                format!("{k} of {n}")
            };
            let flips: Vec<String> = t
                .flips
                .iter()
                .map(|(x, above)| {
                    format!(
                        "{:.3} (yes {} it)",
                        x,
                        if *above { "above" } else { "below" }
                    )
                })
                .collect();
            rows.push(format!(
                "| {} | {}{} | {holds} | {} |",
                cell(&w.what),
                cell(&t.verdict.describe(s)),
                cell(&red_line(&t.verdict)),
                if flips.is_empty() {
                    "–".to_string()
                } else {
                    flips.join("; ")
                }
            ));
        }
    }
    if rows.is_empty() {
        let _ = writeln!(o, "No declared range changes any verdict.\n");
    } else {
        let _ = writeln!(
            o,
            "Verdicts that change along a range:\n\n| range | verdict | yes at | where it flips |\n|---|---|---|---|\n{}\n",
            rows.join("\n")
        );
    }
}

/// `Russia's`, `Russia's and Ukraine's`.
fn possessive(names: &[&str]) -> String {
    let each: Vec<String> = names.iter().map(|n| format!("{n}'s")).collect();
    each.join(" and ")
}
