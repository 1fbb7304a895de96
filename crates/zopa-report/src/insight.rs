//! What the report says in plain words before any chart: where agreement is possible and on
//! whose terms, what the tactics change, who is blamed when talks fail, where a verdict flips,
//! and, for each named text, who would reject it and why.

use zopa_core::analysis::{
    analyze, place_texts, Analysis, AnalysisConfig, Definitions, TextPlacement,
};
use zopa_core::Scenario;

use crate::simulate::Simulation;

/// A negotiator's utility on the efficient deals inside the zone of possible agreement.
#[derive(Debug, Clone, PartialEq)]
pub struct ZopaRange {
    pub party: usize,
    pub low: f64,
    pub high: f64,
}

/// Each analysed party's share of its possible gain, `(u − rv) / (best − rv)`, under one deal.
#[derive(Debug, Clone, PartialEq)]
pub struct Terms {
    pub label: String,
    /// In the order of [`Analysis::parties`]; `None` where the party has no surplus to share.
    pub shares: Vec<Option<f64>>,
}

/// What changing one factor of a setting does to the median run.
#[derive(Debug, Clone, PartialEq)]
pub struct Effect {
    /// Index of the setting (in [`crate::Report::simulations`]) and of the one it is compared with.
    pub setting: usize,
    pub baseline: usize,
    pub factor: String,
    /// Per party of the scenario: median utility with the factor minus without.
    pub deltas: Vec<f64>,
    /// Agreement rates (agreements / runs) with and without.
    pub agreement: (f64, f64),
}

/// Why a party would not sign a text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Reason {
    /// The text gives it less than walking away.
    BelowOutsideOption { outside_option: f64 },
    /// Negotiating on is worth more to it, its costs of delay included: the median utility of
    /// the shuttle runs less its cost per round times their median length.
    BetterOffWaiting { expects: f64, cost_of_delay: f64 },
}

/// A party that cannot sign a text whatever its utility: it breaches the party's red line, or
/// its line on an issue it controls (the words say which).
#[derive(Debug, Clone, PartialEq)]
pub struct Breach {
    pub party: usize,
    pub what: String,
}

/// A party that would reject a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    pub party: usize,
    pub utility: f64,
    pub reason: Reason,
}

/// One named text judged.
#[derive(Debug, Clone, PartialEq)]
pub struct TextVerdict {
    pub placement: TextPlacement,
    pub rejections: Vec<Rejection>,
    /// Red lines and controlled issues it breaches, by party.
    pub breaches: Vec<Breach>,
}

/// The reservation value below which a verdict holds.
#[derive(Debug, Clone, PartialEq)]
pub struct Threshold {
    pub party: usize,
    pub verdict: Verdict,
    /// The verdict holds while the party's reservation value is at most this.
    pub value: f64,
    /// The party's reservation value in the scenario.
    pub now: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// A zone of possible agreement exists (the others' reservation values as they are).
    ZopaExists,
    /// The named text (index into [`Scenario::texts`]) is acceptable to the party.
    TextAcceptable(usize),
}

/// Everything the summary says.
#[derive(Debug, Clone)]
pub struct Insight {
    pub zopa: Vec<ZopaRange>,
    pub terms: Vec<Terms>,
    pub effects: Vec<Effect>,
    /// Runs over all settings' distributions, failed runs, and per party of the scenario the
    /// failed runs in which it is blamed.
    pub runs: usize,
    pub failed: usize,
    pub blamed: Vec<usize>,
    pub texts: Vec<TextVerdict>,
    pub thresholds: Vec<Threshold>,
    /// The analysis over every party of the scenario (mediator and stakeholders too), when
    /// there are more parties than negotiators.
    pub all_parties: Option<Analysis>,
}

/// Per named text: the scenario as it stands on the text's date (round 0 for an undated
/// text or a scenario without a calendar): outside options moved by the events due by then.
pub fn texts_on_their_dates(s: &Scenario) -> Vec<Scenario> {
    let rounds = s.default_rounds();
    (0..s.texts.len())
        .map(|k| s.at(text_round(s, k), rounds))
        .collect()
}

/// The round of named text `k`'s date (0 when undated or without a calendar).
pub fn text_round(s: &Scenario, k: usize) -> u32 {
    match (s.texts[k].date, &s.calendar) {
        (Some(d), Some(c)) => c.round_of(d).unwrap_or(0),
        _ => 0,
    }
}

/// `(u − rv) / (best − rv)`, `None` when there is no surplus.
fn share(u: f64, rv: f64, best: f64) -> Option<f64> {
    (best > rv).then(|| (u - rv) / (best - rv))
}

pub(crate) fn insight(scenario: &Scenario, a: &Analysis, simulations: &[Simulation]) -> Insight {
    let rational = |p: &&zopa_core::analysis::Point| {
        p.utilities.iter().zip(&a.reserved).all(|(u, rv)| u >= rv)
    };
    let zopa = a
        .parties
        .iter()
        .enumerate()
        .filter_map(|(k, &party)| {
            let us: Vec<f64> = a
                .frontier
                .iter()
                .filter(rational)
                .map(|p| p.utilities[k])
                .collect();
            (!us.is_empty()).then(|| ZopaRange {
                party,
                low: us.iter().copied().fold(f64::INFINITY, f64::min),
                high: us.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            })
        })
        .collect();
    let shares_of = |us: &[f64]| -> Vec<Option<f64>> {
        (0..a.parties.len())
            .map(|k| share(us[k], a.reserved[k], a.ideal[k]))
            .collect()
    };
    let mut terms = Vec::new();
    for (label, p) in [
        ("Nash", &a.nash),
        ("Kalai–Smorodinsky", &a.kalai),
        ("egalitarian", &a.egalitarian),
    ] {
        if let Some(p) = p {
            terms.push(Terms {
                label: label.into(),
                shares: shares_of(&p.utilities),
            });
        }
    }
    let placements = place_texts(scenario, a);
    for p in &placements {
        terms.push(Terms {
            label: scenario.texts[p.text].name.clone(),
            shares: p.surplus.clone(),
        });
    }
    // The first setting is the default shuttle: its median run stands for "negotiating on".
    let base = simulations
        .first()
        .filter(|s| !s.distribution.median.is_empty());
    if let Some(s) = base {
        let us: Vec<f64> = a
            .parties
            .iter()
            .map(|&i| s.distribution.median[i])
            .collect();
        terms.push(Terms {
            label: "the median shuttle run".to_string(),
            shares: shares_of(&us),
        });
    }
    let rate = |s: &Simulation| {
        let d = &s.distribution;
        if d.runs == 0 {
            0.0
        } else {
            d.agreements as f64 / d.runs as f64
        }
    };
    let effects = simulations
        .iter()
        .enumerate()
        .filter_map(|(k, s)| {
            let (b, factor) = s.compared.clone()?;
            let (x, y) = (&s.distribution, &simulations[b].distribution);
            (!x.median.is_empty() && !y.median.is_empty()).then(|| Effect {
                setting: k,
                baseline: b,
                factor,
                deltas: x.median.iter().zip(&y.median).map(|(p, q)| p - q).collect(),
                agreement: (rate(s), rate(&simulations[b])),
            })
        })
        .collect();
    let mut blamed = vec![0; scenario.parties.len()];
    let (mut runs, mut failed) = (0, 0);
    for s in simulations {
        let d = &s.distribution;
        runs += d.runs;
        failed += d.runs - d.agreements;
        for (b, n) in blamed.iter_mut().zip(&d.blamed) {
            *b += n;
        }
    }
    let on_date = texts_on_their_dates(scenario);
    let texts = placements
        .iter()
        .map(|p| {
            let rejections = a
                .parties
                .iter()
                .enumerate()
                .filter_map(|(k, &party)| {
                    let u = p.utilities[k];
                    // Judged on the text's date, against the outside option then.
                    let rv = on_date[p.text].parties[party].reservation_value();
                    if u < rv {
                        return Some(Rejection {
                            party,
                            utility: u,
                            reason: Reason::BelowOutsideOption { outside_option: rv },
                        });
                    }
                    let s = base?;
                    // Negotiating on from the text's date: the rounds the median run still
                    // takes after that day cost the party its cost of delay each.
                    let from = text_round(scenario, p.text) as f64;
                    let cost = scenario.parties[party].cost_per_round.unwrap_or(0.0)
                        * (s.distribution.median_rounds - from).max(0.0);
                    let expects = s.distribution.median[party] - cost;
                    (expects > u).then_some(Rejection {
                        party,
                        utility: u,
                        reason: Reason::BetterOffWaiting {
                            expects,
                            cost_of_delay: cost,
                        },
                    })
                })
                .collect();
            let breaches = p
                .breaches
                .iter()
                .filter_map(|r| {
                    r.party().map(|party| Breach {
                        party,
                        what: r.breach(scenario),
                    })
                })
                .collect();
            TextVerdict {
                placement: p.clone(),
                rejections,
                breaches,
            }
        })
        .collect();
    let mut thresholds = Vec::new();
    for (k, &party) in a.parties.iter().enumerate() {
        // The most this party can get while every other gets its reservation value.
        let others_ok = |p: &&zopa_core::analysis::Point| {
            (0..a.parties.len()).all(|j| j == k || p.utilities[j] >= a.reserved[j])
        };
        if let Some(best) = a
            .frontier
            .iter()
            .filter(others_ok)
            .map(|p| p.utilities[k])
            .reduce(f64::max)
        {
            thresholds.push(Threshold {
                party,
                verdict: Verdict::ZopaExists,
                value: best,
                now: a.reserved[k],
            });
        }
        for p in &placements {
            thresholds.push(Threshold {
                party,
                verdict: Verdict::TextAcceptable(p.text),
                value: p.utilities[k],
                now: on_date[p.text].parties[party].reservation_value(),
            });
        }
    }
    let all_parties = (scenario.parties.len() > a.parties.len())
        .then(|| {
            let config = AnalysisConfig {
                parties: Some((0..scenario.parties.len()).collect()),
                ..AnalysisConfig::new(Definitions::Zopa)
            };
            analyze(scenario, &config).ok()
        })
        .flatten();
    Insight {
        zopa,
        terms,
        effects,
        runs,
        failed,
        blamed,
        texts,
        thresholds,
        all_parties,
    }
}
