//! Robustness of the forecast readers (issue 10, "fuzzing as a habit"): arbitrary text and
//! mutated real KTAB CSV/XML and bdm CSV files (byte flips, truncations, duplicated and
//! deleted spans, odd tokens) never make the readers panic, and what they accept runs — as
//! `zopa forecast` runs it — without panicking and with finite positions, probabilities and
//! risks. Inputs the fuzzers (`fuzz/`) once crashed on live in `tests/fuzz-regressions/`
//! (`<target>-<name>`) and are replayed here.

use std::path::{Path, PathBuf};

use proptest::prelude::*;
use zopa_forecast::{eum, ktab, smp};

fn shared(rel: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/scenarios")
        .join(rel);
    assert!(p.exists(), "reference data missing: {}", p.display());
    p
}

fn read(rel: &str) -> Vec<u8> {
    std::fs::read(shared(rel)).unwrap()
}

// ---- what `zopa forecast` does with an accepted input --------------------------------------

/// SMP for three turns (as `zopa forecast --model smp`, which then reads the last turn's
/// probabilities) and both expected-utility variants on every dimension, on inputs of at most
/// 16 actors and 4 dimensions.
fn check_spatial(actors: &[smp::Actor], options: smp::Options, accommodation: Option<&[Vec<f64>]>) {
    if actors.len() > 16 {
        return;
    }
    let dims = actors.first().map_or(0, |a| a.position.len());
    if dims > 4 {
        return;
    }
    for a in actors {
        assert_eq!(
            a.position.len(),
            dims,
            "actor `{}`: ragged positions",
            a.name
        );
        assert_eq!(
            a.salience.len(),
            dims,
            "actor `{}`: ragged saliences",
            a.name
        );
    }
    let run = smp::run_accommodating(actors, 3, options, accommodation);
    let last = run
        .turns
        .last()
        .expect("SMP records at least the initial state");
    assert_eq!(last.prob.len(), actors.len(), "one probability per actor");
    for t in &run.turns {
        for p in &t.positions {
            assert!(p.iter().all(|x| x.is_finite()), "SMP position {p:?}");
        }
        assert!(
            t.prob.iter().all(|x| x.is_finite()),
            "SMP prob {:?}",
            t.prob
        );
        assert!(
            t.risk.iter().all(|x| x.is_finite()),
            "SMP risk {:?}",
            t.risk
        );
    }
    assert!(
        run.fractional_changes.iter().all(|x| x.is_finite()),
        "SMP fractional changes {:?}",
        run.fractional_changes
    );
    for rule in [
        eum::SalienceRule::AsGiven,
        eum::SalienceRule::RelativeToLargest,
    ] {
        for d in 0..dims {
            check_eum(&eum::stakeholders(actors, d, 100.0, rule));
        }
    }
}

/// The expected-utility model on one issue, as `zopa forecast --model eum` prints it: the
/// weighted mean, median and Condorcet position before and after three rounds are finite.
fn check_eum(actors: &[eum::Stakeholder]) {
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
                "EUM {variant:?}: round {r:?}"
            );
            assert!(
                r.risk.iter().all(|x| x.is_finite()),
                "EUM {variant:?}: risk {r:?}"
            );
        }
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
            assert!(
                x.is_finite(),
                "EUM {variant:?}: {what} is {x} for {actors:?}"
            );
        }
    }
}

/// Reads `text` as fuzz target `target` does (see `fuzz/fuzz_targets/`).
fn as_target(target: &str, text: &str) {
    match target {
        "ktab_csv" => {
            if let Ok(s) = ktab::parse_csv(text) {
                check_spatial(
                    &s.actors,
                    smp::Options::default(),
                    s.accommodation.as_deref(),
                );
            }
        }
        "ktab_xml" => {
            if let Ok((s, options, _)) = ktab::parse_xml(text) {
                check_spatial(&s.actors, options, s.accommodation.as_deref());
            }
        }
        "bdm_csv" => {
            if let Ok(actors) = eum::parse_csv(text) {
                check_eum(&actors);
            }
        }
        other => panic!("no fuzz target `{other}` reads zopa-forecast"),
    }
}

// ---- mutations ----------------------------------------------------------------------------

const TOKENS: &[&str] = &[
    "-1",
    "0",
    "0.0",
    "100",
    "101",
    "1e309",
    "-1e309",
    "NaN",
    "inf",
    "-inf",
    "1e-320",
    "99999999999",
    "18446744073709551615",
    ",",
    ",,",
    "\n",
    "\r\n",
    "\"",
    "<",
    ">",
    "&",
    "<Actor>",
    "</Actor>",
    "<Dimension>",
    "<Position>",
    "</Position>",
    "<Salience>",
    "\u{feff}",
];

#[derive(Debug, Clone)]
enum Mutation {
    Flip(usize, u8),
    Truncate(usize),
    Duplicate(usize, usize, usize),
    Delete(usize, usize),
    Insert(usize, usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let pos = any::<usize>();
    prop_oneof![
        3 => (pos, any::<u8>()).prop_map(|(p, b)| Mutation::Flip(p, b)),
        1 => pos.prop_map(Mutation::Truncate),
        2 => (pos, 1usize..200, pos).prop_map(|(a, l, b)| Mutation::Duplicate(a, l, b)),
        2 => (pos, 1usize..60).prop_map(|(a, l)| Mutation::Delete(a, l)),
        3 => (pos, 0..TOKENS.len()).prop_map(|(a, t)| Mutation::Insert(a, t)),
    ]
}

fn mutate(bytes: &[u8], ms: &[Mutation]) -> Vec<u8> {
    let mut b = bytes.to_vec();
    for m in ms {
        let n = b.len();
        let at = |p: usize| if n == 0 { 0 } else { p % (n + 1) };
        match *m {
            Mutation::Flip(p, x) if n > 0 => b[p % n] = x,
            Mutation::Flip(..) => {}
            Mutation::Truncate(p) => b.truncate(at(p)),
            Mutation::Duplicate(p, l, q) => {
                let s = at(p);
                let e = (s + l).min(n);
                let span = b[s..e].to_vec();
                let q = at(q);
                b.splice(q..q, span);
            }
            Mutation::Delete(p, l) => {
                let s = at(p);
                let e = (s + l).min(n);
                b.drain(s..e);
            }
            Mutation::Insert(p, t) => {
                let q = at(p);
                b.splice(q..q, TOKENS[t].bytes());
            }
        }
    }
    b
}

/// Real inputs and the target that reads each (small ones: the SMP run is cubic in actors).
fn real_inputs() -> Vec<(&'static str, &'static str)> {
    vec![
        ("ktab_csv", "ktab/smp/dummyData_3Dim.csv"),
        ("ktab_csv", "ktab/smp/dummyData_3Dim-no-final-comma.csv"),
        ("ktab_csv", "ktab/smp/SOE-Pol-Comp.csv"),
        ("ktab_xml", "ktab/smp/dummyData_3Dim.xml"),
        ("ktab_xml", "ktab/smp/smpExample.xml"),
        ("ktab_xml", "ktab/reformpri/reformpri-ex01.xml"),
        ("bdm_csv", "bdm/eu-car-emissions.csv"),
    ]
}

// ---- the tests ------------------------------------------------------------------------------

/// Reads one regression file as the fuzz target its name starts with.
fn replay(f: &Path) {
    let name = f.file_name().unwrap().to_string_lossy().into_owned();
    let target = ["ktab_csv", "ktab_xml", "bdm_csv"]
        .into_iter()
        .find(|t| name.starts_with(&format!("{t}-")))
        .unwrap_or_else(|| panic!("{name}: name it <target>-<short-name>"));
    let bytes = std::fs::read(f).unwrap();
    // `zopa forecast` reads files as UTF-8 text; other bytes never reach the readers.
    if let Ok(text) = std::str::from_utf8(&bytes) {
        as_target(target, text);
    }
}

/// Replays the one regression file named by `ZOPA_FUZZ_REGRESSION`; without it, nothing.
/// `fuzz_regressions_no_longer_crash` runs it in a process of its own per file, so that an
/// abort (a huge allocation) names its file instead of killing this whole test binary.
#[test]
fn replay_one_fuzz_regression() {
    let Some(path) = std::env::var_os("ZOPA_FUZZ_REGRESSION") else {
        return;
    };
    replay(Path::new(&path));
}

#[test]
fn fuzz_regressions_no_longer_crash() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-regressions");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return;
    };
    let mut files: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
    files.sort();
    let mut failed = Vec::new();
    for f in files {
        let out = std::process::Command::new(std::env::current_exe().unwrap())
            .args([
                "--exact",
                "replay_one_fuzz_regression",
                "--nocapture",
                "--test-threads=1",
            ])
            .env("ZOPA_FUZZ_REGRESSION", &f)
            .output()
            .unwrap();
        if !out.status.success() {
            let stderr = String::from_utf8_lossy(&out.stderr);
            let why: Vec<&str> = stderr
                .lines()
                .skip_while(|l| !(l.contains("panicked at") || l.contains("memory allocation")))
                .filter(|l| {
                    !l.contains("backtrace") && !l.trim_start().starts_with(char::is_numeric)
                })
                .take(2)
                .collect();
            failed.push(format!(
                "{} ({}): {}",
                f.file_name().unwrap().to_string_lossy(),
                out.status,
                why.join(" / ")
            ));
        }
    }
    assert!(
        failed.is_empty(),
        "fuzz regressions that crash again:\n{}",
        failed.join("\n")
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    /// Arbitrary text as each reader's input.
    #[test]
    fn arbitrary_text_never_panics(
        text in "\\PC{0,300}",
        target in prop::sample::select(vec!["ktab_csv", "ktab_xml", "bdm_csv"]),
    ) {
        as_target(target, &text);
    }

    /// Text shaped like the CSV inputs: header counts, short and long rows, odd numbers.
    #[test]
    fn csv_like_text_never_panics(
        head in "[a-z]{0,4}, [a-z]{0,4}, [0-9]{1,3}, [0-9]{1,2},?\n[A-Za-z, ]{0,40}\n",
        rows in prop::collection::vec(
            "[a-z]{1,3}(, ?(-?[0-9]{1,4}(\\.[0-9]{1,3})?|NaN|inf|1e400|)){0,9},?\n", 0..10),
        target in prop::sample::select(vec!["ktab_csv", "bdm_csv"]),
    ) {
        let text = format!("{head}{}", rows.concat());
        as_target(target, &text);
    }

    /// A real KTAB or bdm file, mutated.
    #[test]
    fn mutated_real_files_never_panic(
        which in any::<prop::sample::Index>(),
        ms in prop::collection::vec(mutation(), 1..5),
    ) {
        let inputs = real_inputs();
        let (target, rel) = inputs[which.index(inputs.len())];
        let bytes = mutate(&read(rel), &ms);
        let text = String::from_utf8_lossy(&bytes);
        as_target(target, &text);
    }
}
