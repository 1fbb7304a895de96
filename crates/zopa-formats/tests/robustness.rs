//! Robustness of the readers (issue 10, "fuzzing as a habit"): arbitrary bytes and mutated
//! real files (byte flips, truncations, duplicated and deleted spans, odd tokens) never make
//! `load` panic, whatever loads validates, and its analysis on small spaces gives only finite
//! utilities. Inputs the fuzzers (`fuzz/`) once crashed on live in `tests/fuzz-regressions/`
//! (`<target>-<name>`) and are replayed here.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

use proptest::prelude::*;
use zopa_core::analysis::{analyze, AnalysisConfig, Definitions, MethodChoice};
use zopa_core::{IssueKind, Scenario, Value};
use zopa_formats::{load, to_toml, GeniusEvaluations, ReadOptions};

const MAX_OUTCOMES: u64 = 2_000;
const REAL_LEVELS: u32 = 5;

fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

fn shared(rel: &str) -> PathBuf {
    let p = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/scenarios")
        .join(rel);
    assert!(p.exists(), "reference data missing: {}", p.display());
    p
}

// ---- what "holds together" means ---------------------------------------------------------

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

/// A loaded scenario validates; on a small space every party's utility of every outcome is
/// finite, and the analysis (enumeration, both definitions) runs and gives finite numbers.
fn check_scenario(s: &Scenario) {
    if let Err(e) = s.validate() {
        panic!("a loaded scenario does not validate: {e}");
    }
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
        for p in [&a.nash, &a.kalai, &a.egalitarian, &a.max_welfare]
            .into_iter()
            .flatten()
        {
            finite("solution", &p.utilities);
        }
        if let Some(o) = a.opposition {
            finite("opposition", &[o]);
        }
    }
}

/// Loads, and checks what loaded.
fn load_and_check(path: &Path, options: &ReadOptions) -> Option<Scenario> {
    let s = load(path, options).ok()?;
    check_scenario(&s);
    Some(s)
}

// ---- scratch folders ----------------------------------------------------------------------

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// `<tmp>/zopa-robustness-<pid>-<n>/case/`: its parent holds nothing else, so readers that
/// look one folder up find nothing there.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Scratch {
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let top = std::env::temp_dir().join(format!("zopa-robustness-{}-{n}", std::process::id()));
        let dir = top.join("case");
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    /// The folder holding exactly `files`.
    fn fill(&self, files: &[(String, Vec<u8>)]) -> &Path {
        for e in std::fs::read_dir(&self.0).unwrap().flatten() {
            std::fs::remove_file(e.path()).ok();
        }
        for (name, bytes) in files {
            std::fs::write(self.0.join(name), bytes).unwrap();
        }
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if let Some(top) = self.0.parent() {
            std::fs::remove_dir_all(top).ok();
        }
    }
}

// ---- mutations ----------------------------------------------------------------------------

/// Tokens that tend to break numeric and structural assumptions.
const TOKENS: &[&str] = &[
    "-1",
    "0",
    "1e309",
    "-1e309",
    "NaN",
    "nan",
    "inf",
    "-inf",
    "1e-320",
    "99999999999",
    "9223372036854775807",
    "-9223372036854775808",
    "\"\"",
    "[]",
    "{}",
    "\n",
    "<",
    ">",
    "&",
    "\"",
    ",",
    "=",
    "[[issues]]",
    "[[parties]]",
    "<issue",
    "</issue>",
    "<item value=\"x\"/>",
    "\u{feff}",
    "é",
    "\0",
];

#[derive(Debug, Clone)]
enum Mutation {
    /// Replace the byte at a position.
    Flip(usize, u8),
    /// Cut the file at a position.
    Truncate(usize),
    /// Copy a span to another position.
    Duplicate(usize, usize, usize),
    /// Remove a span.
    Delete(usize, usize),
    /// Insert a token.
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

fn mutations() -> impl Strategy<Value = Vec<Mutation>> {
    prop::collection::vec(mutation(), 1..5)
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

/// The files of a real scenario folder (those with one of `exts`), by name.
fn folder(dir: &Path, exts: &[&str]) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| exts.iter().any(|x| e == *x)))
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

fn genius_folders() -> Vec<PathBuf> {
    [
        "NegotiatorGUI/etc/templates/laptopdomain",
        "NegotiatorGUI/etc/templates/testIntDomain",
        "NegotiatorGUI/etc/templates/anac/y2010/EnglandZimbabwe",
        "NegotiatorGUI/etc/templates/anac/y2010/Travel",
    ]
    .iter()
    .map(|r| shared(r))
    .collect()
}

fn json_folders() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = [
        "NegoLog/domains/domain0",
        "NegoLog/domains/domain12",
        "NegoLog/domains/domainBalancedHighOpp",
        "negmas-genius/geniusweb/Fitness",
    ]
    .iter()
    .map(|r| shared(r))
    .collect();
    out.extend(
        std::fs::read_dir(shared("negmas-genius/geniusweb"))
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .filter(|p| p.is_dir()),
    );
    out.sort();
    out.dedup();
    out
}

fn native_files() -> Vec<PathBuf> {
    vec![
        repo("scenarios/examples/laptop-sale.toml"),
        repo("scenarios/examples/plan-28.toml"),
        repo("scenarios/examples/positions.toml"),
        repo("scenarios/examples/fearon-pie.toml"),
        repo("scenarios/examples/red-lines.toml"),
        repo("fuzz/seeds/native/market.toml"),
        repo("fuzz/seeds/native/rectangles.toml"),
    ]
}

fn companion(name: &str) -> Vec<u8> {
    std::fs::read(repo("fuzz/companions/genius").join(name)).unwrap()
}

fn options(raw: bool) -> ReadOptions {
    ReadOptions {
        genius_evaluations: if raw {
            GeniusEvaluations::Raw
        } else {
            GeniusEvaluations::Normalized
        },
    }
}

/// Loads the folder, and each of its files by name.
fn load_folder_and_files(dir: &Path, names: &[String], options: &ReadOptions) {
    load_and_check(dir, options);
    for n in names {
        load_and_check(&dir.join(n), options);
    }
}

/// `load(native TOML) → to_toml → load` gives the same scenario, and the text is a fixed point.
fn check_round_trip(scratch: &Scratch, original: &Scenario) {
    let text = to_toml(original);
    let dir = scratch.fill(&[("scenario.toml".into(), text.clone().into_bytes())]);
    let back = load(&dir.join("scenario.toml"), &ReadOptions::genius())
        .unwrap_or_else(|e| panic!("to_toml's output does not load: {e}\n---\n{text}"));
    assert_eq!(back.name, original.name, "{text}");
    assert_eq!(back.description, original.description, "{text}");
    assert_eq!(back.issues, original.issues, "{text}");
    assert_eq!(back.parties, original.parties, "{text}");
    assert_eq!(back.events, original.events, "{text}");
    assert_eq!(back.exclusions, original.exclusions, "{text}");
    assert_eq!(to_toml(&back), text, "to_toml is not a fixed point");
}

// ---- one input, as each fuzz target reads it ------------------------------------------------

/// Reads `data` as fuzz target `target` does (see `fuzz/fuzz_targets/`).
fn as_target(scratch: &Scratch, target: &str, data: &[u8]) {
    let file = |n: &str, b: &[u8]| (n.to_string(), b.to_vec());
    match target {
        "genius_domain" | "genius_profile" => {
            let files = if target == "genius_domain" {
                vec![
                    file("domain.xml", data),
                    file("profile-a.xml", &companion("profile-a.xml")),
                    file("profile-b.xml", &companion("profile-b.xml")),
                ]
            } else {
                vec![
                    file("domain.xml", &companion("domain.xml")),
                    file("profile-a.xml", &companion("profile-a.xml")),
                    file("profile-b.xml", data),
                ]
            };
            let names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
            let dir = scratch.fill(&files);
            for raw in [false, true] {
                load_folder_and_files(dir, &names, &options(raw));
            }
        }
        "geniusweb_json" | "negolog_json" => {
            let parts = split_files(data);
            let names: Vec<String> = if target == "negolog_json" {
                ["profileA.json", "profileB.json", "specs.json"]
                    .iter()
                    .take(parts.len())
                    .map(|s| s.to_string())
                    .collect()
            } else {
                (0..parts.len())
                    .map(|i| match i {
                        0 => "domain.json".to_string(),
                        i => format!("profile{i}.json"),
                    })
                    .collect()
            };
            let files: Vec<(String, Vec<u8>)> = names
                .iter()
                .cloned()
                .zip(parts.iter().map(|p| p.to_vec()))
                .collect();
            let dir = scratch.fill(&files);
            load_folder_and_files(dir, &names, &ReadOptions::genius());
        }
        "negmas_files" => {
            let parts = split_files(data);
            let json = data.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'{');
            let ext = if json { "json" } else { "yml" };
            let files: Vec<(String, Vec<u8>)> = parts
                .iter()
                .enumerate()
                .map(|(i, p)| (format!("part{i}.{ext}"), p.to_vec()))
                .collect();
            let names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
            let dir = scratch.fill(&files);
            load_folder_and_files(dir, &names, &ReadOptions::genius());
        }
        "native_toml" | "convert_roundtrip" => {
            let dir = scratch.fill(&[file("scenario.toml", data)]);
            let path = dir.join("scenario.toml");
            if let Some(s) = load_and_check(&path, &ReadOptions::genius()) {
                if target == "convert_roundtrip" {
                    check_round_trip(scratch, &s);
                }
            }
        }
        other => panic!("no fuzz target `{other}` reads zopa-formats"),
    }
}

/// Parts of a fuzz input separated by lines `%%FILE%%` (as `fuzz/src/lib.rs` splits them).
fn split_files(data: &[u8]) -> Vec<&[u8]> {
    const SEP: &[u8] = b"\n%%FILE%%\n";
    let mut out = Vec::new();
    let mut rest = data;
    while let Some(i) = rest.windows(SEP.len()).position(|w| w == SEP) {
        out.push(&rest[..i]);
        rest = &rest[i + SEP.len()..];
    }
    out.push(rest);
    out
}

// ---- the tests ------------------------------------------------------------------------------

/// Reads one regression file as the fuzz target its name starts with.
fn replay(f: &Path) {
    let name = f.file_name().unwrap().to_string_lossy().into_owned();
    let target = [
        "genius_domain",
        "genius_profile",
        "geniusweb_json",
        "negolog_json",
        "negmas_files",
        "native_toml",
        "convert_roundtrip",
    ]
    .into_iter()
    .find(|t| name.starts_with(&format!("{t}-")))
    .unwrap_or_else(|| panic!("{name}: name it <target>-<short-name>"));
    let scratch = Scratch::new();
    as_target(&scratch, target, &std::fs::read(f).unwrap());
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

    /// Arbitrary bytes as every input each fuzz target takes.
    #[test]
    fn arbitrary_bytes_never_panic(
        data in prop::collection::vec(any::<u8>(), 0..400),
        target in prop::sample::select(vec![
            "genius_domain", "genius_profile", "geniusweb_json", "negolog_json", "negmas_files",
            "native_toml",
        ]),
    ) {
        let scratch = Scratch::new();
        as_target(&scratch, target, &data);
    }

    /// Printable near-TOML text: the native reader's error paths, not only its tokenizer.
    #[test]
    fn arbitrary_toml_like_text_never_panics(
        text in "(name = \"x\"\n|\\[\\[issues\\]\\]\n|\\[\\[parties\\]\\]\n|\\[parties\\.(weights|evaluations|constraints)\\]\n|[a-z_]{1,8} = (-?[0-9]{1,12}(\\.[0-9]+)?(e-?[0-9]{1,3})?|\"[a-z ]{0,5}\"|\\[-?[0-9]{1,19}, -?[0-9]{1,19}\\]|\\[\\]|\\{\\}|nan|inf|true)\n){0,30}",
    ) {
        let scratch = Scratch::new();
        as_target(&scratch, "convert_roundtrip", text.as_bytes());
    }

    /// NegMAS-shaped YAML: an outcome space and utility functions with odd values.
    #[test]
    fn negmas_like_yaml_never_panics(
        issues in prop::collection::vec(
            "- name: i[0-9]\n  type: (CategoricalIssue|ContiguousIssue|ContinuousIssue|DiscreteCardinalIssue)\n  (values: \\[(a|b|-?[0-9]{1,3}|1e999|\\.nan)(, (a|b|-?[0-9]{1,3}))*\\]|min_value: -?[0-9]{1,12}\n  max_value: -?[0-9]{1,12})\n",
            0..4),
        ufuns in prop::collection::vec(
            "type: (LinearAdditiveUtilityFunction|AffineUtilityFunction|LinearUtilityFunction)\nname: u[0-9]\nreserved_value: (-?[0-9.]{1,5}|-\\.inf|\\.nan)\nbias: -?[0-9.]{1,4}\nweights: \\[(-?[0-9.]{1,4}|\\.nan|\\.inf)(, -?[0-9.]{1,4}){0,3}\\]\n(values:\n(- type: (TableFun|AffineFun|LinearFun|IdentityFun|ConstFun)\n  (mapping: \\{a: -?[0-9.]{1,3}, b: -?[0-9.]{1,3}\\}|slope: -?[0-9.]{1,3}\n  bias: -?[0-9.]{1,3}|value: -?[0-9.]{1,3})\n){0,3})?",
            1..4),
    ) {
        let mut text = format!("type: CartesianOutcomeSpace\nname: os\nissues:\n{}", issues.concat());
        if issues.is_empty() {
            text.push_str("  []\n");
        }
        for u in &ufuns {
            text.push_str("\n%%FILE%%\n");
            text.push_str(u);
        }
        let scratch = Scratch::new();
        as_target(&scratch, "negmas_files", text.as_bytes());
    }

    /// A real GENIUS folder with one file mutated, read both ways.
    #[test]
    fn mutated_genius_files_never_panic(
        which in any::<prop::sample::Index>(),
        file in any::<prop::sample::Index>(),
        ms in mutations(),
        raw in any::<bool>(),
    ) {
        let folders = genius_folders();
        let mut files = folder(&folders[which.index(folders.len())], &["xml"]);
        let k = file.index(files.len());
        files[k].1 = mutate(&files[k].1, &ms);
        let names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
        let scratch = Scratch::new();
        let dir = scratch.fill(&files);
        load_folder_and_files(dir, &names, &options(raw));
    }

    /// A real NegoLog or GeniusWeb folder with one file mutated.
    #[test]
    fn mutated_json_files_never_panic(
        which in any::<prop::sample::Index>(),
        file in any::<prop::sample::Index>(),
        ms in mutations(),
    ) {
        let folders = json_folders();
        let mut files = folder(&folders[which.index(folders.len())], &["json"]);
        let k = file.index(files.len());
        files[k].1 = mutate(&files[k].1, &ms);
        let names: Vec<String> = files.iter().map(|f| f.0.clone()).collect();
        let scratch = Scratch::new();
        let dir = scratch.fill(&files);
        load_folder_and_files(dir, &names, &ReadOptions::genius());
    }

    /// A mutated native TOML file loads or is refused; what loads survives `zopa convert`.
    #[test]
    fn mutated_native_toml_never_panics_and_round_trips(
        which in any::<prop::sample::Index>(),
        ms in mutations(),
    ) {
        let files = native_files();
        let data = mutate(&std::fs::read(&files[which.index(files.len())]).unwrap(), &ms);
        let scratch = Scratch::new();
        as_target(&scratch, "convert_roundtrip", &data);
    }
}
