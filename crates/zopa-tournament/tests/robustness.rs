//! Robustness of the tournament file (issue 10, "fuzzing as a habit"): arbitrary text and
//! mutated real tournament files (byte flips, truncations, duplicated and deleted spans, odd
//! tokens) never make `Tournament::load` or `Plan::new` panic; a plan that is made has one job
//! per (scenario, pairing, repetition), numbered in order, with distinct ids; and the
//! scenarios it names that load analyse with finite utilities. Inputs the fuzzer
//! (`fuzz/fuzz_targets/tournament_toml.rs`) once crashed on live in `tests/fuzz-regressions/`
//! and are replayed here.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use zopa_core::analysis::{analyze, AnalysisConfig, Definitions, MethodChoice};
use zopa_core::{IssueKind, Scenario, Value};
use zopa_formats::{load, ReadOptions};
use zopa_tournament::{Plan, Tournament};

fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

// ---- scratch folders ----------------------------------------------------------------------

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// `<tmp>/zopa-tournament-robustness-<pid>-<n>/case/` holding the tournament file and a
/// valid scenario `s.toml`.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let dir = std::env::temp_dir()
            .join(format!(
                "zopa-tournament-robustness-{}-{n}",
                std::process::id()
            ))
            .join("case");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::copy(repo("fuzz/seeds/native/market.toml"), dir.join("s.toml")).unwrap();
        Scratch(dir)
    }

    fn write(&self, data: &[u8]) -> PathBuf {
        let p = self.0.join("tournament.toml");
        std::fs::write(&p, data).unwrap();
        p
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some(top) = self.0.parent() {
            std::fs::remove_dir_all(top).ok();
        }
    }
}

// ---- what a loaded tournament must satisfy ------------------------------------------------

const MAX_OUTCOMES: u64 = 2_000;
const REAL_LEVELS: u32 = 5;

fn small_count(s: &Scenario) -> Option<u64> {
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

/// On a small space every utility is finite and the analysis gives finite numbers.
fn check_scenario(s: &Scenario) {
    let Some(count) = small_count(s) else { return };
    if count > MAX_OUTCOMES {
        return;
    }
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
                "party `{}`: utility {u} of {outcome:?}",
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
    let mut config = AnalysisConfig::new(Definitions::Zopa);
    config.method = MethodChoice::Enumeration;
    config.max_enumerated = MAX_OUTCOMES;
    config.real_levels = REAL_LEVELS;
    if let Ok(a) = analyze(s, &config) {
        for p in &a.frontier {
            assert!(
                p.utilities.iter().all(|u| u.is_finite()),
                "{:?}",
                p.utilities
            );
        }
    }
}

/// Plans bigger than this are not made (a plan lists every job in memory).
const MAX_JOBS: u64 = 100_000;

/// Loads the tournament file at `path`; when it loads, plans it against `base` and checks the
/// plan; returns the plan's tournament and jobs. Scenario patterns that would walk the file
/// system (`**`, absolute paths) are not planned, nor plans of more than `MAX_JOBS` jobs.
fn check_file(path: &Path, base: &Path) -> Option<(Tournament, Plan)> {
    let t = Tournament::load(path).ok()?;
    assert!(t.repetitions >= 1 && t.rounds >= 1 && !t.strategies.is_empty());
    if t.scenarios
        .iter()
        .any(|p| p.contains("**") || Path::new(p).is_absolute())
    {
        return None;
    }
    let k = t.strategies.len() as u64;
    if k * k * u64::from(t.repetitions) * 2 * t.scenarios.len().max(1) as u64 > MAX_JOBS {
        return None;
    }
    let plan = Plan::new(&t, base).ok()?;
    for (i, job) in plan.jobs.iter().enumerate() {
        assert_eq!(job.index, i, "jobs are numbered in order");
        assert!(
            job.scenario < plan.scenarios.len(),
            "job {job:?} names no scenario"
        );
        assert!(job.repetition < t.repetitions);
        assert_eq!(job.id.len(), 16, "id {}", job.id);
    }
    for p in plan.scenarios.iter().take(3) {
        if let Ok(s) = load(p, &ReadOptions::genius()) {
            check_scenario(&s);
        }
    }
    Some((t, plan))
}

/// Two jobs of one plan never share an id: `tournament run` skips stored ids on a rerun and
/// the report would count the same negotiation (same id, same seed) twice.
fn check_distinct_ids(t: &Tournament, plan: &Plan) {
    let mut ids: Vec<&str> = plan.jobs.iter().map(|j| j.id.as_str()).collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(
        ids.len(),
        n,
        "two jobs share an id (strategies {:?}): a strategy listed twice plays its pairings twice",
        t.strategies
    );
}

// ---- mutations ----------------------------------------------------------------------------

const TOKENS: &[&str] = &[
    "-1",
    "0",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "1e309",
    "nan",
    "true",
    "\"\"",
    "[]",
    "{}",
    "[\"s.toml\"]",
    "\"*\"",
    "\"[\"",
    "\"linear\"",
    "\"boulware:e=0\"",
    "\"conceder:e=-1\"",
    "\"micro:x=nan\"",
    "\n",
    "=",
    ",",
    "#",
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
        2 => (pos, 1usize..120, pos).prop_map(|(a, l, b)| Mutation::Duplicate(a, l, b)),
        2 => (pos, 1usize..40, ).prop_map(|(a, l)| Mutation::Delete(a, l)),
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

// ---- the tests ------------------------------------------------------------------------------

/// Reads one regression file as the fuzz target does, and checks the plan's ids.
fn replay(f: &Path) {
    let name = f.file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.starts_with("tournament_toml-"),
        "{name}: name it tournament_toml-<short-name>"
    );
    let scratch = Scratch::new();
    let path = scratch.write(&std::fs::read(f).unwrap());
    if let Some((t, plan)) = check_file(&path, &scratch.0) {
        check_distinct_ids(&t, &plan);
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

    /// Arbitrary text as the tournament file.
    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,300}") {
        let scratch = Scratch::new();
        let path = scratch.write(text.as_bytes());
        check_file(&path, &scratch.0);
    }

    /// A plan's job ids are distinct, whatever strategies and scenarios are listed.
    #[test]
    fn plan_ids_are_distinct(
        strategies in prop::collection::vec(
            prop::sample::select(vec!["linear", "boulware", "conceder:e=3", "tit-for-tat", "micro"]), 1..5),
        self_play in any::<bool>(),
        rotate in any::<bool>(),
        repetitions in 1u32..4,
    ) {
        let scratch = Scratch::new();
        let list: Vec<String> = strategies.iter().map(|s| format!("\"{s}\"")).collect();
        let text = format!(
            "seed = 3\nrepetitions = {repetitions}\nself_play = {self_play}\nrotate_roles = {rotate}\nscenarios = [\"s.toml\"]\nstrategies = [{}]\n",
            list.join(", ")
        );
        let path = scratch.write(text.as_bytes());
        let mut unique = strategies.clone();
        unique.sort_unstable();
        unique.dedup();
        if unique.len() < strategies.len() {
            // A strategy listed twice is refused, naming it and the file.
            let e = Tournament::load(&path).unwrap_err().to_string();
            prop_assert!(e.contains("listed twice") && e.contains("tournament.toml"), "{}", e);
        } else {
            let (t, plan) = check_file(&path, &scratch.0).expect("a valid tournament file");
            check_distinct_ids(&t, &plan);
        }
    }

    /// Tournament-shaped text: every key, with values of the right and the wrong types.
    #[test]
    fn tournament_like_text_never_panics(
        lines in prop::collection::vec(
            "(seed|repetitions|rotate_roles|self_play|protocol|rounds|store_traces|scenarios|strategies|extra) = (-?[0-9]{1,20}|true|false|\"(sao|mediated|s\\.toml|\\*\\.toml|\\[)\"|\\[(\"(s\\.toml|\\*|linear|boulware|conceder:e=[0-9.-]{1,4}|tit-for-tat|micro|nope)\", ?){0,4}\\])\n",
            0..10),
    ) {
        let scratch = Scratch::new();
        let path = scratch.write(lines.concat().as_bytes());
        check_file(&path, &scratch.0);
    }

    /// The example tournament (planned against `examples/`, where its paths point) and the
    /// fuzz seeds (planned beside `s.toml`), mutated.
    #[test]
    fn mutated_real_files_never_panic(
        which in 0usize..3,
        ms in prop::collection::vec(mutation(), 1..5),
    ) {
        let scratch = Scratch::new();
        let (file, base) = match which {
            0 => (repo("examples/tournament.toml"), repo("examples")),
            1 => (repo("fuzz/seeds/tournament/small.toml"), scratch.0.clone()),
            _ => (repo("fuzz/seeds/tournament/minimal.toml"), scratch.0.clone()),
        };
        let path = scratch.write(&mutate(&std::fs::read(&file).unwrap(), &ms));
        check_file(&path, &base);
    }
}
