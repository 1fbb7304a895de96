//! The `zopa` binary end to end: the JSON contract, the exit codes, and errors that name the
//! file, the place and the fix.

mod common;

use std::process::Output;

use common::repo;
use serde_json::Value as Json;

fn zopa(args: &[&str]) -> Output {
    common::zopa().args(args).output().expect("run zopa")
}

fn json(args: &[&str]) -> Json {
    let out = common::run_ok(common::zopa().args(args));
    serde_json::from_slice(&out.stdout).expect("valid JSON")
}

fn stderr_of(args: &[&str]) -> String {
    let out = zopa(args);
    assert_eq!(out.status.code(), Some(2), "expected failure for {args:?}");
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn analyze_json_keeps_its_contract() {
    let example = repo("scenarios/examples/laptop-sale.toml");
    let j = json(&[
        "analyze",
        example.to_str().unwrap(),
        "--json",
        "--max-points",
        "2",
    ]);
    for key in [
        "n_outcomes",
        "parties",
        "reserved_values",
        "disagreement",
        "horizon",
        "calendar",
        "method",
        "pareto",
        "nash",
        "kalai",
        "egalitarian",
        "max_welfare",
        "opposition",
        "zopa",
        "texts",
        "stances",
        "admissible_outcomes",
        "analysed_admissible",
        "restrictions",
        "unrestricted_nash",
    ] {
        assert!(j.get(key).is_some(), "missing key {key}");
    }
    // No restrictions: nothing restricted; a real issue leaves the count open.
    assert_eq!(j["restrictions"], serde_json::json!([]));
    assert_eq!(j["admissible_outcomes"], Json::Null);
    assert_eq!(j["unrestricted_nash"], Json::Null);
    assert_eq!(j["texts"], serde_json::json!([]), "no named texts");
    assert_eq!(
        j["stances"],
        serde_json::json!([]),
        "no positional evaluations"
    );
    assert_eq!(j["parties"], serde_json::json!(["buyer", "seller"]));
    assert_eq!(j["n_outcomes"], "infinite");
    assert!(j["pareto"]["size"].as_u64().unwrap() > 2);
    assert_eq!(
        j["pareto"]["points"].as_array().unwrap().len(),
        2,
        "--max-points caps the list, not the size"
    );
    let nash = &j["nash"];
    assert_eq!(nash["utilities"].as_array().unwrap().len(), 2);
    assert!(nash["outcome"]["brand"].is_string());
    assert_eq!(j["zopa"]["exists"], true);
    // No horizon: the disagreement point is the reservation values; no calendar: null.
    assert_eq!(j["disagreement"], j["reserved_values"]);
    assert_eq!(j["horizon"], Json::Null);
    assert_eq!(j["calendar"], Json::Null);
}

/// Positional evaluations: each party's evaluation at its stated stance, its latest
/// concession level, in the summary and in the JSON; the analysis stays exact.
#[test]
fn analyze_reports_the_evaluation_at_each_stated_stance() {
    let example = repo("scenarios/examples/positions.toml");
    let path = example.to_str().unwrap();
    let out = common::run_ok(common::zopa().args(["analyze", path]));
    let text = String::from_utf8_lossy(&out.stdout);
    for line in [
        "stances      each party's evaluation of its latest stated position (1 = its ideal)",
        "               Greens: top-tax-rate = 50% 0.7500; coal-exit = 2035 0.8911",
        "               Social Democrats: top-tax-rate = 45% 0.8889; coal-exit = 2038 1.0000; pension-age = 67 0.7500",
    ] {
        assert!(text.lines().any(|l| l == line), "no line {line:?} in\n{text}");
    }
    assert!(text.contains("exact fractions"), "{text}");
    let j = json(&["analyze", path, "--json"]);
    assert_eq!(j["arithmetic"]["exact"], true);
    let stances = j["stances"].as_array().unwrap();
    assert_eq!(stances.len(), 8, "the Greens state no stance on pensions");
    assert_eq!(
        stances[1],
        serde_json::json!({
            "party": "Greens", "issue": "coal-exit", "ideal": 0.0, "shape": "monotone",
            "curve": "concave", "stance": 33.0, "value": "2035", "evaluation": 0.8911,
            "date": "2025-10-02", "source": null, "label": "assumption"
        })
    );
}

/// Red lines, a controlled issue and exclusions (`scenarios/examples/red-lines.toml`): the
/// analysis keeps to the admissible outcomes, lists the restrictions with what each rules
/// out and whether it binds at the Nash point, shows the Nash point without them; the JSON
/// says the same, and `zopa convert` keeps the restrictions.
#[test]
fn analyze_keeps_to_the_admissible_outcomes() {
    let example = repo("scenarios/examples/red-lines.toml");
    let path = example.to_str().unwrap();
    let out = common::run_ok(common::zopa().args(["analyze", path]));
    let text = String::from_utf8_lossy(&out.stdout);
    for line in [
        "outcomes     1600\nadmissible   84 (meeting every restriction below)\n",
        "restrictions Russia's red line `donetsk-luhansk >= withdrawal-dmz-russian`: rules out 960 outcomes; binds at the Nash point\n",
        "             Ukraine's red line `security-guarantees <= binding-article-5-like`: rules out 960 outcomes\n",
        "             Europe's line `frozen-assets <= immobilised-until-reparations` (Europe controls frozen-assets): rules out 800 outcomes; binds at the Nash point\n",
        "             exclusion `recognised and not recognised` (`donetsk-luhansk = withdrawal-dmz-russian` with `crimea-donbas-status = no-recognition`): rules out 80 outcomes\n",
        "free nash    Russia 0.6875, Ukraine 0.6495\n",
    ] {
        assert!(text.contains(line), "missing\n{line}\nin\n{text}");
    }
    let j = json(&["analyze", path, "--json", "--max-points", "0"]);
    assert_eq!(j["n_outcomes"], 1600);
    assert_eq!(j["admissible_outcomes"], 84);
    assert_eq!(j["analysed_admissible"], "84");
    let restrictions = j["restrictions"].as_array().unwrap();
    let kinds: Vec<&str> = restrictions
        .iter()
        .map(|r| r["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["red-line", "red-line", "control", "exclusion", "exclusion"]
    );
    let binds: Vec<&Json> = restrictions.iter().map(|r| &r["binds_at_nash"]).collect();
    assert_eq!(
        binds,
        [
            &Json::Bool(true),
            &Json::Bool(false),
            &Json::Bool(true),
            &Json::Bool(true),
            &Json::Bool(false)
        ]
    );
    assert_eq!(restrictions[2]["party"], "Europe");
    assert_eq!(
        restrictions[3]["conditions"],
        serde_json::json!([
            "army-cap = demilitarisation",
            "security-guarantees in [article-5-membership, binding-article-5-like]"
        ])
    );
    assert_eq!(restrictions[4]["rules_out"], 80);
    assert_eq!(
        j["nash"]["outcome"]["frozen-assets"],
        "immobilised-until-reparations"
    );
    assert_eq!(
        j["unrestricted_nash"]["outcome"]["frozen-assets"],
        "returned"
    );
    assert_eq!(j["unrestricted_note"], Json::Null);

    // `zopa convert` keeps every restriction: the analysis of the copy is the same.
    let dir = common::scratch("convert-restrictions");
    let converted = dir.join("red-lines.toml");
    common::run_ok(common::zopa().args(["convert", path, converted.to_str().unwrap()]));
    let mut copy = json(&[
        "analyze",
        converted.to_str().unwrap(),
        "--json",
        "--max-points",
        "0",
    ]);
    copy["notes"] = j["notes"].clone();
    copy["scenario"] = j["scenario"].clone();
    assert_eq!(copy, j);

    // Too many branches: refused, naming the exclusion and the fix.
    let e = stderr_of(&["analyze", path, "--max-branches", "1"]);
    assert!(
        e.contains("2 branches at issue `donetsk-luhansk` (limit 1)")
            && e.contains("exclusion `recognised and not recognised`")
            && e.contains("--max-branches"),
        "{e}"
    );
}

/// A calendar and a dated event are shown; costs of delay are named but left out until
/// `--horizon` asks for them, which moves the disagreement point to the inside options.
#[test]
fn analyze_shows_the_calendar_and_takes_costs_of_delay_only_when_asked() {
    let example = repo("scenarios/examples/dated-talks.toml");
    let path = example.to_str().unwrap();
    let out = common::run_ok(common::zopa().args(["analyze", path]));
    let text = String::from_utf8_lossy(&out.stdout);
    for line in [
        "calendar     from 2026-03-02, 7 days per round, until 2026-06-29 (17 rounds)\n",
        "events       arbitration-ruling: union, 2026-04-15 (round 7), reservation +0.05\n",
        "disagreement union 0.3000, employer 0.3500 (the reservation values)\n",
        "nash         union 0.5200, employer 0.5600\n",
        "note: union, employer lose utility per round of delay, which this analysis leaves out; \
         --horizon N measures the solutions from the inside options (reservation value − cost \
         per round × N); the calendar's deadline 2026-06-29 is 17 rounds away (--horizon 17)\n",
    ] {
        assert!(text.contains(line), "missing {line:?} in\n{text}");
    }
    let out = common::run_ok(common::zopa().args(["analyze", path, "--horizon", "17"]));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("disagreement union 0.1300, employer 0.0100 (inside options: reservation value − cost per round × 17 rounds)\n"),
        "{text}"
    );
    assert!(
        text.contains("nash         union 0.5800, employer 0.4900\n"),
        "{text}"
    );
    assert!(!text.contains("--horizon N"), "{text}");

    let j = json(&["analyze", path, "--json", "--horizon", "17"]);
    assert_eq!(j["horizon"], 17);
    assert_eq!(j["reserved_values"], serde_json::json!([0.3, 0.35]));
    assert_eq!(j["disagreement"], serde_json::json!([0.13, 0.01]));
    assert_eq!(
        j["calendar"],
        serde_json::json!({"start": "2026-03-02", "days_per_round": 7, "end": "2026-06-29", "rounds": 17})
    );
    assert_eq!(j["nash"]["utilities"], serde_json::json!([0.58, 0.49]));
    assert_eq!(j["nash"]["outcome"]["wage_rise"], 3);

    // The platforms' definitions have no costs of delay: refused, not ignored.
    let e = stderr_of(&[
        "analyze",
        path,
        "--horizon",
        "17",
        "--definitions",
        "negmas",
    ]);
    assert!(
        e.contains("a horizon (costs of delay) is defined under zopa's definitions only; the negmas definitions"),
        "{e}"
    );
}

/// The named texts of the dated example (the employer's first offer, the mediator's
/// proposal) placed against the analysis, in the summary and in the JSON; `zopa convert`
/// keeps them.
#[test]
fn analyze_places_the_named_texts() {
    let example = repo("scenarios/examples/dated-talks.toml");
    let path = example.to_str().unwrap();
    let out = common::run_ok(common::zopa().args(["analyze", path]));
    let text = String::from_utf8_lossy(&out.stdout);
    let section = "\
texts        employer-offer (2026-03-09; Employer's letter to staff, 9 March)
               wage_rise = 2 [reported]; hours = 38 [reported]
               utility  union 0.1200, employer 0.8600
               surplus  union -0.2571, employer 0.7846
               zopa     outside: below the reservation value of union
               pareto   0.0825 from the nearest frontier point; 1 frontier deal is at least as good for every party and better for one
             mediator-proposal (2026-04-20; Mediator's proposal as reported by the union)
               wage_rise = 4 [reported]; hours = 36 [mapped]
               utility  union 0.6400, employer 0.4200
               surplus  union 0.4857, employer 0.1077
               zopa     inside: every party gets at least its reservation value
               pareto   on the frontier
               change   since employer-offer: union +0.5200, employer -0.4400 (gained: union; lost: employer)
";
    assert!(text.contains(section), "missing\n{section}\nin\n{text}");
    assert!(
        text.contains("strike-fund-grant: union, round 2 (2026-03-16) until 2026-05-01 (round 9), reservation +0.04\n"),
        "{text}"
    );

    let j = json(&["analyze", path, "--json", "--max-points", "0"]);
    let texts = j["texts"].as_array().expect("a texts array");
    assert_eq!(texts.len(), 2);
    let (offer, proposal) = (&texts[0], &texts[1]);
    assert_eq!(
        (
            offer["dominated_by"].as_u64(),
            proposal["dominated_by"].as_u64()
        ),
        (Some(1), Some(0))
    );
    assert_eq!(offer["name"], "employer-offer");
    assert_eq!(offer["date"], "2026-03-09");
    assert_eq!(
        offer["outcome"],
        serde_json::json!({"wage_rise": 2, "hours": "38"})
    );
    assert_eq!(
        offer["labels"],
        serde_json::json!({"wage_rise": "reported", "hours": "reported"})
    );
    // Per-party arrays follow `parties`, as every `utilities` of this output does.
    assert_eq!(j["parties"], serde_json::json!(["union", "employer"]));
    assert_eq!(offer["utilities"], serde_json::json!([0.12, 0.86]));
    assert_eq!(offer["in_zopa"], false);
    let d = offer["pareto_distance"].as_f64().unwrap();
    assert!((d - 0.0068f64.sqrt()).abs() < 1e-12, "{d}");
    assert_eq!(offer["change"], Json::Null);
    assert_eq!(proposal["utilities"], serde_json::json!([0.64, 0.42]));
    assert_eq!(proposal["in_zopa"], true);
    assert_eq!(proposal["pareto_distance"], 0.0);
    let surplus: Vec<f64> = proposal["surplus"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_f64().unwrap())
        .collect();
    assert!((surplus[0] - 0.34 / 0.7).abs() < 1e-12 && (surplus[1] - 0.07 / 0.65).abs() < 1e-12);
    assert_eq!(
        proposal["change"],
        serde_json::json!({"previous": "employer-offer", "delta": [0.52, -0.44], "gained": ["union"], "lost": ["employer"]})
    );
    assert_eq!(proposal["notes"], serde_json::json!([]));

    // Texts survive `zopa convert`.
    let dir = common::scratch("convert-texts");
    let converted = dir.join("dated.toml");
    common::run_ok(common::zopa().args(["convert", path]).arg(&converted));
    let again = json(&[
        "analyze",
        converted.to_str().unwrap(),
        "--json",
        "--max-points",
        "0",
    ]);
    assert_eq!(again["texts"], j["texts"]);
    std::fs::remove_dir_all(dir).ok();
}

/// A scenario whose surplus share cannot be given prints `n/a` and says why; the JSON has
/// `null` and the note, never NaN.
#[test]
fn a_missing_number_is_null_with_a_note() {
    let dir = common::scratch("texts-null");
    let file = dir.join("flat.toml");
    std::fs::write(
        &file,
        "name = \"flat\"\n[[issues]]\nname = \"x\"\nvalues = [\"a\", \"b\"]\n\
         [[parties]]\nname = \"A\"\nreservation = 1.0\nweights = { x = 1.0 }\n\
         evaluations = { x = { a = 0.0, b = 1.0 } }\n\
         [[parties]]\nname = \"B\"\nweights = { x = 1.0 }\nevaluations = { x = { a = 1.0, b = 0.0 } }\n\
         [[texts]]\nname = \"draft\"\nvalues = { x = \"b\" }\n",
    )
    .unwrap();
    let path = file.to_str().unwrap();
    let out = common::run_ok(common::zopa().args(["analyze", path]));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("               surplus  A n/a, B 0.0000\n"),
        "{text}"
    );
    assert!(
        text.contains("               note     `A` has no surplus to share: no outcome gives it more than its reservation value 1 (its best is 1)\n"),
        "{text}"
    );
    let j = json(&["analyze", path, "--json"]);
    assert_eq!(j["texts"][0]["surplus"], serde_json::json!([null, 0.0]));
    assert_eq!(j["texts"][0]["notes"].as_array().unwrap().len(), 1);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn huge_counts_are_exact_decimal_strings() {
    let plan = repo("scenarios/examples/plan-28.toml");
    let j = json(&[
        "analyze",
        plan.to_str().unwrap(),
        "--json",
        "--max-points",
        "0",
    ]);
    assert_eq!(j["n_outcomes"], Json::from(962_938_848_411_648u64));
    assert_eq!(j["method"], "additive-frontier");
    assert_eq!(j["parties"].as_array().unwrap().len(), 3);
}

#[test]
fn counts_above_2_pow_53_are_decimal_strings() {
    // 20 issues of 10 values: 10^20 outcomes, analysed by the additive frontier.
    let mut toml = String::from("name = \"big\"\n");
    let values: Vec<String> = (0..10).map(|v| format!("\"v{v}\"")).collect();
    for i in 0..20 {
        toml += &format!(
            "[[issues]]\nname = \"i{i}\"\nvalues = [{}]\n",
            values.join(", ")
        );
    }
    for (p, sign) in [("A", 1.0), ("B", -1.0)] {
        toml += &format!("[[parties]]\nname = \"{p}\"\n[parties.weights]\n");
        for i in 0..20 {
            toml += &format!("i{i} = 0.05\n");
        }
        toml += "[parties.evaluations]\n";
        for i in 0..20 {
            let cells: Vec<String> = (0..10)
                .map(|v| {
                    let x = v as f64 / 9.0;
                    let score = if sign > 0.0 { x } else { 1.0 - x * x };
                    format!("v{v} = {score:?}")
                })
                .collect();
            toml += &format!("i{i} = {{ {} }}\n", cells.join(", "));
        }
    }
    let file = std::env::temp_dir().join(format!("zopa-big-{}.toml", std::process::id()));
    std::fs::write(&file, toml).unwrap();
    let j = json(&[
        "analyze",
        file.to_str().unwrap(),
        "--json",
        "--max-points",
        "0",
    ]);
    assert_eq!(j["n_outcomes"], "100000000000000000000");
    assert_eq!(j["method"], "additive-frontier");
    std::fs::remove_file(file).ok();
}

#[test]
fn subset_of_parties() {
    let plan = repo("scenarios/examples/plan-28.toml");
    let j = json(&[
        "analyze",
        plan.to_str().unwrap(),
        "--json",
        "--max-points",
        "0",
        "--parties",
        "South,Broker",
    ]);
    assert_eq!(j["parties"], serde_json::json!(["South", "Broker"]));
    let e = stderr_of(&["analyze", plan.to_str().unwrap(), "--parties", "Nobody"]);
    assert!(e.contains("Nobody") && e.contains("North"), "{e}");
}

#[test]
fn bad_input_gets_file_place_and_fix() {
    let dir = std::env::temp_dir().join(format!("zopa-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let bad = dir.join("weights.toml");
    std::fs::write(
        &bad,
        "name = \"x\"\n[[issues]]\nname = \"a\"\nvalues = [\"p\", \"q\"]\n\
         [[parties]]\nname = \"A\"\n[parties.weights]\na = 0.7\n[parties.evaluations]\na = { p = 1, q = 0 }\n\
         [[parties]]\nname = \"B\"\n[parties.weights]\na = 1\n[parties.evaluations]\na = { p = 0, q = 1 }\n",
    )
    .unwrap();
    let e = stderr_of(&["analyze", bad.to_str().unwrap()]);
    assert!(
        e.contains("weights.toml") && e.contains("parties.A.weights") && e.contains("fix:"),
        "{e}"
    );

    let broken = dir.join("broken.toml");
    std::fs::write(&broken, "name = \"x\"\n[[issues]\n").unwrap();
    let e = stderr_of(&["analyze", broken.to_str().unwrap()]);
    assert!(e.contains("broken.toml") && e.contains("line 2"), "{e}");

    let e = stderr_of(&["analyze", dir.join("missing").to_str().unwrap()]);
    assert!(e.contains("missing"), "{e}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn convert_round_trips_through_the_cli() {
    let example = repo("scenarios/examples/laptop-sale.toml");
    let out = std::env::temp_dir().join(format!("zopa-convert-{}.toml", std::process::id()));
    let status = zopa(&["convert", example.to_str().unwrap(), out.to_str().unwrap()]);
    assert!(
        status.status.success(),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let a = json(&["analyze", example.to_str().unwrap(), "--json"]);
    let b = json(&["analyze", out.to_str().unwrap(), "--json"]);
    assert_eq!(a["pareto"], b["pareto"]);
    assert_eq!(a["nash"], b["nash"]);
    std::fs::remove_file(out).ok();
}

fn england_zimbabwe() -> String {
    repo("../shared/scenarios/NegotiatorGUI/etc/templates/anac/y2010/EnglandZimbabwe")
        .to_string_lossy()
        .into_owned()
}

#[test]
fn run_json_keeps_its_contract_and_is_byte_identical_per_seed() {
    let s = england_zimbabwe();
    let args = [
        "run",
        s.as_str(),
        "--negotiators",
        "agentk,random",
        "--rounds",
        "60",
        "--seed",
        "11",
        "--json",
    ];
    let a = zopa(&args);
    let b = zopa(&args);
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert_eq!(a.stdout, b.stdout, "same seed, different output");
    let j: Json = serde_json::from_slice(&a.stdout).unwrap();
    for key in [
        "protocol",
        "parties",
        "end",
        "agreement",
        "utilities",
        "rounds",
        "trace",
        "metrics",
    ] {
        assert!(j.get(key).is_some(), "missing key {key}");
    }
    assert_eq!(j["protocol"], "sao");
    assert!(["agreement", "deadline", "walkaway", "error"].contains(&j["end"].as_str().unwrap()));
    let first = &j["trace"][0];
    for key in ["round", "time", "actor", "action", "outcome", "utilities"] {
        assert!(first.get(key).is_some(), "trace lacks {key}");
    }
    assert_eq!(first["utilities"].as_array().unwrap().len(), 2);
    let other = zopa(&[
        "run",
        s.as_str(),
        "--negotiators",
        "agentk,random",
        "--rounds",
        "60",
        "--seed",
        "12",
        "--json",
    ]);
    assert_ne!(a.stdout, other.stdout, "the seed has no effect");
}

#[test]
fn run_writes_a_jsonl_trace_and_names_bad_strategies() {
    let s = england_zimbabwe();
    let trace = std::env::temp_dir().join(format!("zopa-trace-{}.jsonl", std::process::id()));
    let out = zopa(&[
        "run",
        s.as_str(),
        "--negotiators",
        "boulware:e=0.1,micro",
        "--trace",
        trace.to_str().unwrap(),
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&trace).unwrap();
    assert!(text.lines().count() > 2);
    for line in text.lines() {
        let e: Json = serde_json::from_str(line).unwrap();
        assert!(e.get("action").is_some());
    }
    std::fs::remove_file(trace).ok();
    let e = stderr_of(&["run", s.as_str(), "--negotiators", "bouldware,linear"]);
    assert!(e.contains("bouldware") && e.contains("boulware"), "{e}");
    let e = stderr_of(&[
        "run",
        s.as_str(),
        "--negotiators",
        "linear",
        "--protocol",
        "mediated",
    ]);
    assert!(e.contains("voter") && e.contains("hill-climber"), "{e}");
}

#[test]
fn strategies_lists_every_registered_name() {
    let out = zopa(&["strategies"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for s in zopa_mechanisms::registry::strategies() {
        assert!(
            text.lines().any(|l| l.trim_start().starts_with(s.name)),
            "`zopa strategies` lacks {}",
            s.name
        );
        for p in s.params {
            assert!(
                text.contains(&format!("{}=", p.name)),
                "{}: {}",
                s.name,
                p.name
            );
        }
    }
}

/// `zopa strategies --json`: every registered strategy, each with its kind, source, summary,
/// fidelity, protocols and typed parameters; every parameter object has every key.
#[test]
fn strategies_json_keeps_its_contract() {
    use zopa_mechanisms::registry::{self, ParamType};

    let j = json(&["strategies", "--json"]);
    assert_eq!(j["default_mediator"], registry::DEFAULT_MEDIATOR);
    let listed = j["strategies"].as_array().expect("a list of strategies");
    assert_eq!(listed.len(), registry::strategies().len());
    for (entry, s) in listed.iter().zip(registry::strategies()) {
        let keys: Vec<&str> = entry
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(
            keys,
            [
                "name",
                "kind",
                "source",
                "summary",
                "fidelity",
                "adaptations",
                "protocols",
                "params"
            ]
        );
        assert_eq!(entry["name"], s.name);
        assert_eq!(entry["fidelity"], s.fidelity.as_str());
        assert_eq!(
            entry["adaptations"].as_str(),
            s.fidelity.adaptations(),
            "{}: adaptations are stated exactly when it is adapted",
            s.name
        );
        assert_eq!(entry["kind"], s.kind().as_str());
        assert_eq!(entry["source"], s.source);
        let protocols: Vec<&str> = s.protocols.iter().map(|p| p.as_str()).collect();
        assert_eq!(entry["protocols"], serde_json::json!(protocols));
        let params = entry["params"].as_array().unwrap();
        assert_eq!(params.len(), s.params.len(), "{}", s.name);
        for (p, declared) in params.iter().zip(s.params) {
            let keys: Vec<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
            assert_eq!(
                keys,
                [
                    "name",
                    "type",
                    "default",
                    "min",
                    "max",
                    "exclusive_min",
                    "options",
                    "help"
                ],
                "{}.{}",
                s.name,
                declared.name
            );
            assert_eq!(p["name"], declared.name);
            assert_eq!(p["help"], declared.help);
            match declared.ty {
                ParamType::Number { default, min, .. } => {
                    assert_eq!(p["type"], "number");
                    assert_eq!(p["default"].as_f64(), Some(default));
                    assert_eq!(p["min"].as_f64(), min);
                    assert!(p["options"].is_null());
                }
                ParamType::Flag { default } => {
                    assert_eq!(p["type"], "flag");
                    assert_eq!(p["default"].as_bool(), Some(default));
                }
                ParamType::Choice { default, options } => {
                    assert_eq!(p["type"], "choice");
                    assert_eq!(p["default"], default);
                    assert_eq!(p["options"], serde_json::json!(options));
                }
            }
        }
    }
    let boulware = listed.iter().find(|e| e["name"] == "boulware").unwrap();
    assert_eq!(
        boulware["params"][0]["default"], 0.2,
        "defaults come per name"
    );
}

/// The expected-utility model on spatial inputs: each dimension its own run. Checked against
/// the weighted mean computed here straight from KTAB's CSV (c·s-weighted, s = salience/100).
#[test]
fn forecast_eum_runs_every_dimension_of_spatial_inputs() {
    let csv = repo("../shared/scenarios/ktab/smp/dummyData_3Dim.csv");
    let j = json(&[
        "forecast",
        csv.to_str().unwrap(),
        "--model",
        "eum",
        "--json",
    ]);
    assert_eq!(j["model"], "eum");
    let text = std::fs::read_to_string(&csv).unwrap();
    let rows: Vec<Vec<f64>> = text
        .lines()
        .skip(2)
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            l.split(',')
                .skip(2)
                .filter_map(|x| x.trim().parse().ok())
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 7);
    for (d, name) in ["Pstn1", "Pstn2", "Pstn3"].iter().enumerate() {
        let (mut num, mut den) = (0.0, 0.0);
        for r in &rows {
            let (c, x, s) = (r[0], r[1 + 2 * d], r[2 + 2 * d] / 100.0);
            num += c * s * x;
            den += c * s;
        }
        let got = j["dimensions"][name]["initial"]["weighted_mean"]
            .as_f64()
            .unwrap();
        assert!(
            (got - num / den).abs() < 1e-9,
            "{name}: {got} vs {}",
            num / den
        );
        assert!(j["outcome"][name].as_f64().is_some());
    }
    let turns = j["turns"].as_array().unwrap();
    assert_eq!(turns.len(), 11, "the inputs and ten rounds");
    assert_eq!(
        turns[0]["positions"]["SActor-00"],
        serde_json::json!([75.79, 6.37, 70.45])
    );

    // A zopa scenario: every issue of the flagship, saliences relative to each party's largest.
    let u = json(&[
        "forecast",
        repo("scenarios/ukraine-2025").to_str().unwrap(),
        "--model",
        "eum",
        "--json",
    ]);
    assert_eq!(u["outcome"].as_object().unwrap().len(), 15);
    assert!(u["salience"].as_str().unwrap().contains("largest"));
    // An EUM CSV is not an SMP input, and says so.
    let err = stderr_of(&[
        "forecast",
        repo("../shared/scenarios/bdm/eu-car-emissions.csv")
            .to_str()
            .unwrap(),
    ]);
    assert!(err.contains("--model eum"), "{err}");
}

#[test]
fn forecast_json_keeps_its_contract() {
    let csv = repo("../shared/scenarios/ktab/smp/dummyData_3Dim.csv");
    let j = json(&["forecast", csv.to_str().unwrap(), "--json"]);
    assert_eq!(j["model"], "smp");
    let turns = j["turns"].as_array().unwrap();
    assert_eq!(turns.len(), 11, "turn 0 plus ten turns");
    // Turn 0 is the input, on the input's own 0-100 scale, keyed by actor name.
    assert_eq!(
        turns[0]["positions"]["SActor-00"],
        serde_json::json!([75.79, 6.37, 70.45])
    );
    assert!(j["outcome"]["Pstn1"].as_f64().is_some());
    assert_eq!(j["options"]["BargnModel"], "InitOnlyInterp");
    let c = &turns[0]["challenges"][0];
    assert_eq!(
        (&c["challenger"], &c["target"]),
        (&"SActor-00".into(), &"SActor-06".into())
    );
    assert!((c["target_estimate"]["probability"].as_f64().unwrap() - 0.7660).abs() < 5e-5);
    let b = &turns[0]["bargains"][0];
    assert_eq!(b["view"], "initiator");
    assert_eq!(
        b["initiator_adopts"],
        serde_json::json!([75.61, 24.78, 71.95])
    );
    assert!(turns[0]["adopted"]["SActor-00"].is_u64());

    // Options over the file's: every bargain is now the power-weighted compromise.
    let pw = json(&[
        "forecast",
        csv.to_str().unwrap(),
        "--json",
        "--set",
        "BargnModel=PWCompInterp",
        "--set",
        "InterVecBrgn=S2PMax",
    ]);
    assert_eq!(pw["options"]["InterVecBrgn"], "S2PMax");
    let views: Vec<&Json> = pw["turns"][0]["bargains"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| &b["view"])
        .collect();
    assert!(!views.is_empty() && views.iter().all(|v| *v == "compromise"));
    let err = stderr_of(&[
        "forecast",
        csv.to_str().unwrap(),
        "--set",
        "BargnModel=Nash",
    ]);
    assert!(err.contains("PWCompInterp"), "{err}");

    let eum = json(&[
        "forecast",
        repo("../shared/scenarios/bdm/eu-car-emissions.csv")
            .to_str()
            .unwrap(),
        "--model",
        "eum",
        "--json",
    ]);
    assert_eq!(eum["initial"]["weighted_median"], 7.0);
    assert!((eum["turns"][1]["weighted_mean"].as_f64().unwrap() - 7.461314).abs() < 1e-6);
    assert_eq!(
        eum["turns"].as_array().unwrap().len(),
        11,
        "input plus ten rounds"
    );
    let dmasad = json(&[
        "forecast",
        repo("../shared/scenarios/bdm/eu-car-emissions.csv")
            .to_str()
            .unwrap(),
        "--model",
        "eum",
        "--set",
        "Variant=dmasad",
        "--max-turns",
        "1",
        "--json",
    ]);
    assert!(dmasad["variant"].as_str().unwrap().contains("dmasad"));
    assert!(
        (dmasad["turns"][1]["weighted_mean"].as_f64().unwrap() - 7.444520171019051).abs() < 1e-12
    );
}

/// `--at` analyses the scenario as it stands at a moment: the events due by then have moved
/// outside options and stated positions; a run logs a stance event as a public statement.
#[test]
fn analyze_at_a_moment_and_a_run_log_the_events_due() {
    let example = repo("scenarios/examples/positions.toml");
    let path = example.to_str().unwrap();
    let at = |moment: &str| {
        let out = common::run_ok(common::zopa().args(["analyze", path, "--at", moment]));
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let liberals = |text: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with("Liberals:"))
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        liberals(&at("2")).contains("top-tax-rate = 42%"),
        "{}",
        at("2")
    );
    let now = at("3");
    assert!(now.contains("at           round 3: outside options and stated positions as the events due by then left them"), "{now}");
    assert!(
        liberals(&now).contains("top-tax-rate = 45% 0.7500"),
        "{now}"
    );
    let out = common::zopa()
        .args(["analyze", path, "--at", "2025-12-15"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("is a date but the scenario has no [calendar]"),
        "{err}"
    );

    let j = json(&[
        "run",
        path,
        "--negotiators",
        "hardliner,hardliner,hardliner",
        "--protocol",
        "stacked",
        "--rounds",
        "6",
        "--json",
    ]);
    let said: Vec<&str> = j["trace"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "event")
        .map(|e| e["note"].as_str().unwrap())
        .collect();
    assert_eq!(
        said,
        ["liberal-tax-offer: Liberals now states top-tax-rate = 45% (position 50)"]
    );
}

/// A negotiation that ends in an error (here a program that exits at once) prints its result and
/// exits with status 1, so that scripts can tell; bad input exits with 2.
#[test]
fn a_run_that_ends_in_an_error_exits_with_1() {
    let job = repo("scenarios/examples/genius-job");
    let job = job.to_str().unwrap();
    let out = zopa(&[
        "run",
        job,
        "--negotiators",
        "boulware,exec:python3 -c \"import sys; sys.exit(3)\"",
        "--json",
    ]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let j: Json = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(j["end"], "error");
    assert!(String::from_utf8_lossy(&out.stderr).contains("the negotiation ended in an error"));
    let bad = zopa(&["run", job, "--negotiators", "wizard"]);
    assert_eq!(bad.status.code(), Some(2));
}
