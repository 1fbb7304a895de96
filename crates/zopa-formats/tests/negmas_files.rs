//! What NegMAS 0.16 writes, zopa reads, with NegMAS's meaning.
//!
//! An inline Python script builds scenarios with NegMAS (categorical, integer, mixed and
//! random; two and three parties), writes each three ways (`Scenario.to_genius_folder`,
//! `Scenario.dumpas(type="yml")`, `dumpas(type="json")`) and prints NegMAS's own analysis of
//! the scenario *in memory* (`Scenario.calc_stats()`): outcome count, Pareto frontier
//! utilities, Nash utilities, reserved values, plus the utility of sample outcomes. zopa loads
//! every written folder and must agree: same outcome count, the same frontier as a set
//! (within 1e-9, same size), a Nash point among NegMAS's, the same reserved values and the
//! same utility of every sample outcome.
//!
//! NegMAS is required: without `python3 -c "import negmas"` working these tests fail.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value as Json;
use zopa_core::analysis::{analyze, AnalysisConfig, Definitions};
use zopa_core::{IssueKind, Scenario, Value};
use zopa_formats::{load_with_format, Format, GeniusEvaluations, ReadOptions};

const TOL: f64 = 1e-9;

/// Builds the scenarios in `sys.argv[1]` and prints what NegMAS says about each.
const SCRIPT: &str = r#"
import json, random, sys, warnings
from pathlib import Path
warnings.simplefilter("ignore")
import negmas
from negmas import make_issue
from negmas.inout import Scenario
from negmas.outcomes import make_os
from negmas.preferences import (LinearAdditiveUtilityFunction as LAUF,
    AffineUtilityFunction, LinearUtilityFunction)
from negmas.preferences.value_fun import TableFun, AffineFun, LinearFun, IdentityFun, ConstFun
from negmas.preferences.generators import generate_multi_issue_ufuns

assert negmas.__version__.startswith("0.16"), negmas.__version__
out = Path(sys.argv[1])
random.seed(20260601)

def table(issue, lo=0.0, hi=1.0):
    return TableFun({v: random.uniform(lo, hi) for v in issue.all})

def scenarios():
    # Categorical only, two parties, reserved values given.
    cat = [make_issue(["red", "green", "blue", "black"], "colour"),
           make_issue(["yes", "no", "1", "2.5"], "extras"),
           make_issue([f"v{k}" for k in range(5)], "model")]
    os_ = make_os(cat, name="cars")
    yield "categorical-2", os_, [
        LAUF(values=[table(i) for i in cat], weights=[0.5, 0.2, 0.3], outcome_space=os_,
             name="a_buyer", reserved_value=0.35),
        LAUF(values=[table(i) for i in cat], weights=[0.1, 0.6, 0.3], outcome_space=os_,
             name="b_seller", reserved_value=0.2),
    ], True

    # Integer issues only: tables, affine, linear, identity and constant value functions,
    # weights that do not add up to 1, negative utilities.
    ints = [make_issue(10, "price"), make_issue((3, 9), "quantity"), make_issue((-2, 2), "delay")]
    os_ = make_os(ints, name="deal")
    yield "integer-2", os_, [
        LAUF(values=[table(ints[0]), AffineFun(0.1, 0.2), LinearFun(-0.25)],
             weights=[0.6, 0.3, 0.4], outcome_space=os_, name="a_buyer", reserved_value=0.1),
        LAUF(values=[IdentityFun(), table(ints[1], -0.5, 1.0), ConstFun(0.3)],
             weights=[0.05, 0.8, 0.15], outcome_space=os_, name="b_seller"),
    ], True

    # Mixed, three parties: categorical, integer and numeric-valued (cardinal) issues; the
    # third party keeps NegMAS's default reserved value (-inf).
    mixed = [make_issue(["north", "south", "east"], "site"), make_issue((1, 6), "years"),
             make_issue([0.5, 1.5, 4.0], "share"), make_issue(4, "staff")]
    os_ = make_os(mixed, name="merger")
    yield "mixed-3", os_, [
        LAUF(values=[table(mixed[0]), AffineFun(-0.1, 0.9), table(mixed[2]), LinearFun(0.2)],
             weights=[0.3, 0.3, 0.2, 0.2], outcome_space=os_, name="a_firm", reserved_value=0.3),
        LAUF(values=[table(mixed[0]), table(mixed[1]), AffineFun(0.2, 0.1), table(mixed[3])],
             weights=[0.25, 0.25, 0.25, 0.25], outcome_space=os_, name="b_union",
             reserved_value=0.25),
        LAUF(values=[table(mixed[0]), LinearFun(0.1), IdentityFun(), table(mixed[3])],
             weights=[0.4, 0.2, 0.1, 0.3], outcome_space=os_, name="c_town"),
    ], True

    # LinearAdditiveUtilityFunction.random: pickled random mappings on integer issues.
    rnd = [make_issue(8, "price"), make_issue(["a", "b", "c"], "colour"), make_issue((2, 7), "size")]
    os_ = make_os(rnd, name="market")
    u1 = LAUF.random(os_, reserved_value=(0.0, 0.3), normalized=True)
    u2 = LAUF.random(os_, reserved_value=(0.0, 0.3), normalized=False)
    u1.name, u2.name = "a_first", "b_second"
    yield "random-2", os_, [u1, u2], True

    # (Reserved values are kept off the utility grids: an outcome whose utility equals a
    # reserved value on paper is rational or not depending on rounding, in NegMAS as in zopa.)
    #
    # Affine and linear utilities (u = bias + Σ wᵢ·xᵢ). Not written to GENIUS:
    # AffineUtilityFunction.xml adds the bias to every issue's evaluations *and* as an extra
    # weight, so the file means bias × (issues + 1), and NegMAS cannot read back GENIUS files
    # whose issues are all numeric ("Some found issues are not numeric").
    num = [make_issue(5, "price"), make_issue((3, 6), "quantity")]
    os_ = make_os(num, name="linear")
    yield "affine-2", os_, [
        AffineUtilityFunction(weights=[0.1, -0.05], bias=0.5, outcome_space=os_,
                              name="a_affine", reserved_value=0.42),
        LinearUtilityFunction(weights=[-0.08, 0.1], outcome_space=os_, name="b_linear"),
    ], False

    # NegMAS's own generator, three parties, categorical and integer issues.
    ufuns = generate_multi_issue_ufuns(3, sizes=(4, 3, 5), n_ufuns=3, numeric_prob=0.5,
                                       reserved_values=(0.0, 0.4), ufun_names=("u0", "u1", "u2"),
                                       os_name="generated")
    yield "generated-3", ufuns[0].outcome_space, list(ufuns), True

results = []
for name, os_, ufuns, genius in scenarios():
    s = Scenario(outcome_space=os_, ufuns=tuple(ufuns))
    stats = s.calc_stats()
    folders = {}
    if genius:
        s.to_genius_folder(out / name / "genius")
        folders["genius"] = str(out / name / "genius")
    s.dumpas(out / name / "yaml", type="yml")
    s.dumpas(out / name / "json", type="json")
    folders["yaml"], folders["json"] = str(out / name / "yaml"), str(out / name / "json")
    outcomes = list(os_.enumerate())
    random.shuffle(outcomes)
    def rv(u):
        r = float(u.reserved_value)
        return r if r != float("-inf") else float(u.minmax()[0])
    results.append({
        "name": name,
        "folders": folders,
        "parties": [u.name for u in ufuns],
        "n_outcomes": int(os_.cardinality),
        "reserved": [rv(u) for u in ufuns],
        "pareto": [list(map(float, p)) for p in stats.pareto_utils],
        "nash": [list(map(float, p)) for p in stats.nash_utils],
        "points": [{"outcome": [str(v) for v in o], "utilities": [float(u(o)) for u in ufuns]}
                   for o in outcomes[:40]],
    })

# Continuous issues: NegMAS's analysis refuses them, so only utilities are compared.
cont = [make_issue((0.0, 10.0), "price"), make_issue(["x", "y"], "kind")]
os_ = make_os(cont, name="continuous")
ufuns = [LAUF(values=[AffineFun(-0.08, 1.0), table(cont[1])], weights=[0.7, 0.3],
              outcome_space=os_, name="a_buyer", reserved_value=0.2),
         LAUF(values=[LinearFun(0.1), table(cont[1])], weights=[0.6, 0.4],
              outcome_space=os_, name="b_seller", reserved_value=0.1)]
s = Scenario(outcome_space=os_, ufuns=tuple(ufuns))
s.to_genius_folder(out / "continuous-2" / "genius")
s.dumpas(out / "continuous-2" / "yaml", type="yml")
s.dumpas(out / "continuous-2" / "json", type="json")
points = [(random.uniform(0.0, 10.0), random.choice(["x", "y"])) for _ in range(30)]
points += [(0.0, "x"), (10.0, "y")]
results.append({
    "name": "continuous-2",
    "folders": {k: str(out / "continuous-2" / k) for k in ("genius", "yaml", "json")},
    "parties": [u.name for u in ufuns],
    "n_outcomes": None,
    "reserved": [float(u.reserved_value) for u in ufuns],
    "pareto": None, "nash": None,
    "points": [{"outcome": [repr(p), k], "utilities": [float(u((p, k))) for u in ufuns]}
               for p, k in points],
})
json.dump(results, sys.stdout)
"#;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zopa-negmas-files-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs a Python script with NegMAS; fails (never skips) when NegMAS is missing.
fn python(script: &str, args: &[&Path]) -> String {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let probe = Command::new(&python)
        .args(["-c", "import negmas; print(negmas.__version__)"])
        .output();
    match probe {
        Ok(o) if o.status.success() => {}
        Ok(o) => panic!(
            "these tests need NegMAS 0.16 (`pip install negmas==0.16.0`): `{python} -c \"import negmas\"` failed:\n{}",
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(e) => panic!("these tests need python3 with NegMAS 0.16: cannot run `{python}`: {e}"),
    }
    let out = Command::new(&python)
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("run python3");
    assert!(
        out.status.success(),
        "the NegMAS script failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

fn floats(j: &Json) -> Vec<f64> {
    j.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect()
}

fn same(a: &[f64], b: &[f64]) -> bool {
    a.len() == b.len() && a.iter().zip(b).all(|(x, y)| common::close(*x, *y, TOL))
}

/// The outcome NegMAS printed (each value as Python's `str`) as zopa values.
fn outcome(s: &Scenario, values: &[Json]) -> Vec<Value> {
    s.issues
        .iter()
        .zip(values)
        .map(|(issue, v)| {
            let v = v.as_str().unwrap();
            match &issue.kind {
                IssueKind::Discrete { .. } => Value::Discrete(
                    issue
                        .value_index(v)
                        .unwrap_or_else(|| panic!("issue `{}` has no value `{v}`", issue.name)),
                ),
                IssueKind::Integer { .. } => Value::Integer(v.parse().unwrap()),
                IssueKind::Real { .. } => Value::Real(v.parse().unwrap()),
            }
        })
        .collect()
}

/// NegMAS's frontier without float noise. NegMAS adds utilities in binary floating point,
/// so two outcomes whose utilities are equal on paper can differ in the 17th digit and both
/// stay on its frontier, where zopa (which sums the written decimals exactly) has one point.
/// A point equal to, or dominated by, another within 1e-12 is such noise and dropped (the
/// first of equal points is kept). The sizes are then compared exactly.
fn without_float_noise(points: Vec<Vec<f64>>) -> Vec<Vec<f64>> {
    const EPS: f64 = 1e-12;
    let covers = |q: &[f64], p: &[f64]| q.iter().zip(p).all(|(a, b)| *a >= *b - EPS);
    let noise = |i: usize| {
        points.iter().enumerate().any(|(j, q)| {
            j != i
                && covers(q, &points[i])
                && (q.iter().zip(&points[i]).any(|(a, b)| *a > *b + EPS)
                    || (covers(&points[i], q) && j < i))
        })
    };
    (0..points.len())
        .filter(|&i| !noise(i))
        .map(|i| points[i].clone())
        .collect()
}

fn check(expected: &Json, kind: &str, folder: &Path) {
    let name = format!("{} ({kind})", expected["name"].as_str().unwrap());
    let options = ReadOptions {
        genius_evaluations: GeniusEvaluations::Raw,
    };
    let (s, format) = load_with_format(folder, &options).unwrap_or_else(|e| panic!("{name}: {e}"));
    let want = match kind {
        "genius" => Format::GeniusXml,
        "yaml" => Format::NegmasYaml,
        _ => Format::NegmasJson,
    };
    assert_eq!(format, want, "{name}: format");
    let parties: Vec<&str> = s.parties.iter().map(|p| p.name.as_str()).collect();
    let names: Vec<&str> = expected["parties"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    assert_eq!(parties, names, "{name}: parties");
    let reserved: Vec<f64> = s.parties.iter().map(|p| p.reservation_value()).collect();
    assert!(
        same(&reserved, &floats(&expected["reserved"])),
        "{name}: reserved values {reserved:?} vs NegMAS's {}",
        expected["reserved"]
    );
    for point in expected["points"].as_array().unwrap() {
        let o = outcome(&s, point["outcome"].as_array().unwrap());
        let ours: Vec<f64> = s.parties.iter().map(|p| p.utility.eval(&o)).collect();
        assert!(
            same(&ours, &floats(&point["utilities"])),
            "{name}: utilities of {} are {ours:?}, NegMAS says {}",
            point["outcome"],
            point["utilities"]
        );
    }
    if expected["pareto"].is_null() {
        return;
    }
    let a = analyze(&s, &AnalysisConfig::new(Definitions::Negmas)).unwrap();
    assert_eq!(
        a.n_outcomes.as_ref().unwrap().to_string(),
        expected["n_outcomes"].to_string(),
        "{name}: outcome count"
    );
    let theirs = without_float_noise(
        expected["pareto"]
            .as_array()
            .unwrap()
            .iter()
            .map(floats)
            .collect(),
    );
    let mut ours: Vec<&Vec<f64>> = a.frontier.iter().map(|p| &p.utilities).collect();
    assert_eq!(
        ours.len(),
        theirs.len(),
        "{name}: frontier size (ours {ours:?}, NegMAS's {theirs:?})"
    );
    for p in &theirs {
        let k = ours
            .iter()
            .position(|q| same(q, p))
            .unwrap_or_else(|| panic!("{name}: NegMAS frontier point {p:?} missing from {ours:?}"));
        ours.remove(k);
    }
    let nash: Vec<Vec<f64>> = expected["nash"]
        .as_array()
        .unwrap()
        .iter()
        .map(floats)
        .collect();
    match &a.nash {
        Some(p) => assert!(
            nash.iter().any(|t| same(&p.utilities, t)),
            "{name}: Nash {:?} not among NegMAS's {nash:?}",
            p.utilities
        ),
        None => assert!(
            nash.is_empty(),
            "{name}: no Nash point, NegMAS has {nash:?}"
        ),
    }
}

#[test]
fn zopa_reads_what_negmas_writes_with_negmas_meaning() {
    let dir = scratch("scenarios");
    let out = python(SCRIPT, &[&dir]);
    let expected: Vec<Json> = serde_json::from_str(&out).unwrap();
    assert_eq!(expected.len(), 7);
    for e in &expected {
        for (kind, folder) in e["folders"].as_object().unwrap() {
            check(e, kind, Path::new(folder.as_str().unwrap()));
        }
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// What zopa cannot read is refused with the file, the line and a fix.
#[test]
fn an_arbitrary_python_function_is_refused_with_file_line_and_fix() {
    let dir = scratch("lambda");
    let script = r#"
import sys, warnings
from pathlib import Path
warnings.simplefilter("ignore")
from negmas import make_issue
from negmas.inout import Scenario
from negmas.outcomes import make_os
from negmas.preferences import LinearAdditiveUtilityFunction as LAUF
from negmas.preferences.value_fun import TableFun
out = Path(sys.argv[1])
issues = [make_issue(5, "price"), make_issue(["a", "b"], "kind")]
os_ = make_os(issues, name="d")
u1 = LAUF(values=[lambda x: 0.1 * x * x, TableFun({"a": 0.2, "b": 0.9})], weights=[0.5, 0.5],
          outcome_space=os_, name="a_square", reserved_value=0.1)
u2 = LAUF(values=[TableFun({i: i / 4 for i in range(5)}), TableFun({"a": 1.0, "b": 0.0})],
          weights=[0.5, 0.5], outcome_space=os_, name="b_table", reserved_value=0.1)
s = Scenario(outcome_space=os_, ufuns=(u1, u2))
s.dumpas(out / "yaml", type="yml")
s.dumpas(out / "json", type="json")
"#;
    python(script, &[&dir]);
    for (kind, ext) in [("yaml", "yml"), ("json", "json")] {
        let e = zopa_formats::load(&dir.join(kind), &ReadOptions::genius())
            .expect_err("a pickled lambda cannot be read");
        assert_eq!(
            e.path,
            dir.join(kind).join(format!("a_square.{ext}")),
            "{e}"
        );
        let place = e.place.clone().unwrap_or_default();
        assert!(
            place.starts_with("line ") && place.contains("values[0].f"),
            "{e}"
        );
        assert!(e.problem.contains("LambdaFun of issue `price`"), "{e}");
        assert!(e.fix.as_deref().unwrap_or("").contains("to_table"), "{e}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
