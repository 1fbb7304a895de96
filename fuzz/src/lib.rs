//! Shared checks for the fuzz targets: what "loads" must also analyse without panicking and
//! give only finite utilities; scratch folders for the readers that take paths.

use std::path::{Path, PathBuf};

use zopa_core::analysis::{analyze, AnalysisConfig, Definitions, MethodChoice};
use zopa_core::{IssueKind, Scenario, Value};

/// Outcome spaces larger than this are neither analysed nor walked (the targets look for
/// panics, not for slow analyses of large spaces).
pub const MAX_OUTCOMES: u64 = 2_000;
/// Grid points per real issue.
pub const REAL_LEVELS: u32 = 5;

/// Splits a fuzz input into files: parts separated by a line `%%FILE%%`.
pub const SEPARATOR: &[u8] = b"\n%%FILE%%\n";

pub fn split_files(data: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut rest = data;
    while let Some(i) = rest
        .windows(SEPARATOR.len())
        .position(|w| w == SEPARATOR)
    {
        out.push(&rest[..i]);
        rest = &rest[i + SEPARATOR.len()..];
    }
    out.push(rest);
    out
}

/// A scratch folder of this process: `<tmp>/zopa-fuzz-<target>-<pid>/<name>/`. Its parent
/// holds nothing but it, so readers that look one folder up (GENIUS profiles kept below their
/// domain) find nothing there.
pub struct Scratch {
    pub dir: PathBuf,
}

impl Scratch {
    pub fn new(target: &str, name: &str) -> Scratch {
        let dir = std::env::temp_dir()
            .join(format!("zopa-fuzz-{target}-{}", std::process::id()))
            .join(name);
        std::fs::create_dir_all(&dir).expect("scratch folder");
        Scratch { dir }
    }

    /// Makes the folder hold exactly `files` (name, bytes), and returns its path.
    pub fn fill(&self, files: &[(&str, &[u8])]) -> &Path {
        if let Ok(entries) = std::fs::read_dir(&self.dir) {
            for e in entries.flatten() {
                let keep = files
                    .iter()
                    .any(|(n, _)| e.file_name().to_string_lossy() == *n);
                if !keep {
                    let p = e.path();
                    if p.is_dir() {
                        let _ = std::fs::remove_dir_all(p);
                    } else {
                        let _ = std::fs::remove_file(p);
                    }
                }
            }
        }
        for (name, bytes) in files {
            std::fs::write(self.dir.join(name), bytes).expect("write scratch file");
        }
        &self.dir
    }
}

/// The number of outcomes with real issues on `REAL_LEVELS` points, if it fits in a u64.
pub fn small_count(s: &Scenario) -> Option<u64> {
    let mut n: u64 = 1;
    for issue in &s.issues {
        let k: u64 = match &issue.kind {
            IssueKind::Discrete { values, .. } => values.len() as u64,
            IssueKind::Integer { min, max } => {
                let span = i128::from(*max) - i128::from(*min);
                u64::try_from(span.unsigned_abs().checked_add(1)?).ok()?
            }
            IssueKind::Real { .. } => u64::from(REAL_LEVELS),
        };
        n = n.checked_mul(k)?;
    }
    Some(n)
}

/// Whatever loaded must analyse without panicking when its space is small, and every party's
/// utility of every outcome, the frontier, ideal and worst points and the solutions must be
/// finite.
pub fn check_scenario(s: &Scenario) {
    // The reader promised a valid scenario.
    if let Err(e) = s.validate() {
        panic!("a loaded scenario does not validate: {e}");
    }
    let Some(count) = small_count(s) else { return };
    if count > MAX_OUTCOMES {
        return;
    }
    // Every outcome, every party, evaluated directly.
    let sizes: Vec<u64> = s
        .issues
        .iter()
        .map(|i| i.cardinality().unwrap_or(u64::from(REAL_LEVELS)))
        .collect();
    let mut levels = vec![0u64; sizes.len()];
    for _ in 0..count {
        let outcome: Vec<Value> = s
            .issues
            .iter()
            .zip(&levels)
            .map(|(i, &l)| i.value_at(l as u32, REAL_LEVELS))
            .collect();
        for p in &s.parties {
            let u = p.utility.eval(&outcome);
            assert!(
                u.is_finite(),
                "party `{}` has utility {u} for outcome {outcome:?}",
                p.name
            );
        }
        for (l, &k) in levels.iter_mut().zip(&sizes) {
            *l += 1;
            if *l < k {
                break;
            }
            *l = 0;
        }
    }
    for definitions in [Definitions::Zopa, Definitions::Negmas] {
        let mut config = AnalysisConfig::new(definitions);
        config.method = MethodChoice::Enumeration;
        config.max_enumerated = MAX_OUTCOMES;
        config.real_levels = REAL_LEVELS;
        let Ok(a) = analyze(s, &config) else { continue };
        let finite = |what: &str, xs: &[f64]| {
            assert!(
                xs.iter().all(|x| x.is_finite()),
                "{definitions:?}: non-finite {what}: {xs:?}"
            );
        };
        for p in &a.frontier {
            finite("frontier utility", &p.utilities);
        }
        finite("ideal", &a.ideal);
        finite("worst", &a.worst);
        for (what, p) in [
            ("nash", &a.nash),
            ("kalai", &a.kalai),
            ("egalitarian", &a.egalitarian),
            ("max welfare", &a.max_welfare),
        ] {
            if let Some(p) = p {
                finite(what, &p.utilities);
            }
        }
        if let Some(o) = a.opposition {
            finite("opposition", &[o]);
        }
    }
}

/// Forecast inputs: SMP for a few turns and the expected-utility model per dimension, on
/// small inputs; every position, probability and risk must be finite.
pub fn check_spatial(
    actors: &[zopa_forecast::smp::Actor],
    options: zopa_forecast::smp::Options,
    accommodation: Option<&[Vec<f64>]>,
) {
    use zopa_forecast::{eum, smp};
    if actors.len() > 8 {
        return;
    }
    let dims = actors.first().map_or(0, |a| a.position.len());
    if dims > 4 {
        return;
    }
    for a in actors {
        assert!(
            a.position.len() == dims && a.salience.len() == dims,
            "actor `{}`: ragged positions or saliences",
            a.name
        );
    }
    let run = smp::run_accommodating(actors, 3, options, accommodation);
    // `zopa forecast --model smp` reads the last turn's probability of every actor.
    let last = run.turns.last().expect("SMP records at least the initial state");
    assert_eq!(last.prob.len(), actors.len(), "one probability per actor");
    for t in &run.turns {
        for p in &t.positions {
            assert!(p.iter().all(|x| x.is_finite()), "SMP position {p:?}");
        }
        assert!(t.prob.iter().all(|x| x.is_finite()), "SMP prob {:?}", t.prob);
        assert!(t.risk.iter().all(|x| x.is_finite()), "SMP risk {:?}", t.risk);
    }
    assert!(
        run.fractional_changes.iter().all(|x| x.is_finite()),
        "SMP fractional changes {:?}",
        run.fractional_changes
    );
    for rule in [eum::SalienceRule::AsGiven, eum::SalienceRule::RelativeToLargest] {
        for d in 0..dims {
            let st = eum::stakeholders(actors, d, 100.0, rule);
            check_eum(&st);
        }
    }
}

/// The expected-utility model on one issue: summaries and a few rounds stay finite.
pub fn check_eum(actors: &[zopa_forecast::eum::Stakeholder]) {
    use zopa_forecast::eum;
    if actors.len() > 12 {
        return;
    }
    for variant in [eum::EumVariant::Jmckib, eum::EumVariant::Dmasad] {
        let o = eum::EumOptions {
            variant,
            capitulation: true,
        };
        let rounds = eum::run(actors, 3, o);
        for r in &rounds {
            assert!(
                r.positions.iter().all(|x| x.is_finite()) && r.mean.is_finite(),
                "EUM {variant:?} round {r:?}"
            );
            assert!(r.risk.iter().all(|x| x.is_finite()), "EUM {variant:?} risk {r:?}");
        }
        // What `zopa forecast --model eum` prints.
        let last = match rounds.last() {
            Some(r) => eum::moved(actors, &r.positions),
            None => actors.to_vec(),
        };
        for (what, x) in [
            ("weighted mean", eum::weighted_mean(actors)),
            ("weighted median", eum::weighted_median(actors)),
            ("Condorcet position", eum::condorcet(actors)),
            ("final weighted mean", eum::weighted_mean(&last)),
            ("final weighted median", eum::weighted_median(&last)),
        ] {
            assert!(x.is_finite(), "EUM {variant:?}: {what} is {x} for {actors:?}");
        }
    }
}
