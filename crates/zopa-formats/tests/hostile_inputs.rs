//! Files nobody here wrote: formats detected by content, numbers out of range refused or
//! noted, big issues read in linear time. Each test is a regression for issue 10.

use std::path::{Path, PathBuf};

use zopa_core::analysis::{analyze, AnalysisConfig, AnalysisError, Definitions};
use zopa_formats::{load, load_with_format, Format, ReadOptions};

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zopa-hostile-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn gw_profile(name: &str, a: f64) -> String {
    format!(
        r#"{{"LinearAdditiveUtilitySpace": {{"name": "{name}",
  "issueUtilities": {{"color": {{"discreteutils": {{"valueUtilities": {{"red": {a}, "blue": {}}}}}}},
                       "size": {{"discreteutils": {{"valueUtilities": {{"s": 0.5, "l": 1}}}}}}}},
  "issueWeights": {{"color": 0.5, "size": 0.5}},
  "domain": {{"name": "d", "issuesValues": {{"color": {{"values": ["red", "blue"]}}, "size": {{"values": ["s", "l"]}}}}}}}}}}"#,
        1.0 - a
    )
}

/// The OzU GeniusWeb collection names its profiles profileA.json / profileB.json, as NegoLog
/// does; the content says GeniusWeb.
#[test]
fn geniusweb_profiles_named_like_negolog_are_read_as_geniusweb() {
    let dir = scratch("ozu");
    std::fs::write(
        dir.join("domain07.json"),
        r#"{"name": "domain07", "issuesValues": {"color": {"values": ["red", "blue"]}, "size": {"values": ["s", "l"]}}}"#,
    )
    .unwrap();
    std::fs::write(dir.join("profileA.json"), gw_profile("A", 1.0)).unwrap();
    std::fs::write(dir.join("profileB.json"), gw_profile("B", 0.0)).unwrap();
    std::fs::write(
        dir.join("specials.json"),
        r#"{"size": 4, "opposition": 0.5}"#,
    )
    .unwrap();
    let (s, format) = load_with_format(&dir, &ReadOptions::genius()).unwrap();
    assert_eq!(format, Format::GeniusWebJson);
    assert_eq!(s.parties.len(), 2);
    assert!(
        s.notes.iter().any(|n| n.contains("specials.json")),
        "{:?}",
        s.notes
    );
}

#[test]
fn a_folder_of_unknown_json_says_what_was_tried_per_file() {
    let dir = scratch("unknown");
    std::fs::write(dir.join("a.json"), r#"{"foo": 1}"#).unwrap();
    std::fs::write(dir.join("b.json"), "[1, 2]").unwrap();
    let e = load(&dir, &ReadOptions::genius()).unwrap_err().to_string();
    assert!(e.contains("a.json") && e.contains("b.json"), "{e}");
    assert!(
        e.contains("LinearAdditiveUtilitySpace") && e.contains("issueWeights"),
        "{e}"
    );
}

#[test]
fn one_negolog_profile_says_so() {
    let dir = scratch("negolog1");
    std::fs::write(
        dir.join("profileA.json"),
        r#"{"reservationValue": 0, "issueWeights": {"i": 1}, "issues": {"i": {"a": 1, "b": 0}}}"#,
    )
    .unwrap();
    let e = load(&dir, &ReadOptions::genius()).unwrap_err().to_string();
    assert!(e.contains("only one NegoLog profile"), "{e}");
}

/// A bare file name: the folder is `.`, not `""`.
#[test]
fn a_bare_file_name_loads_from_the_current_folder() {
    let dir = scratch("bare");
    std::fs::write(
        dir.join("s.toml"),
        small_toml("integer = [0, 3]", "slope = 0.25", "0.2"),
    )
    .unwrap();
    std::env::set_current_dir(&dir).unwrap();
    let s = load(Path::new("s.toml"), &ReadOptions::genius()).unwrap();
    assert_eq!(s.issues.len(), 1);
}

fn small_toml(issue: &str, linear: &str, rv: &str) -> String {
    format!(
        r#"name = "t"
[[issues]]
name = "x"
{issue}

[[parties]]
name = "a"
reservation = {rv}
[parties.weights]
x = 1
[parties.evaluations]
x = {{ linear = {{ {linear}, clamp = false }} }}

[[parties]]
name = "b"
[parties.weights]
x = 1
[parties.evaluations]
x = {{ linear = {{ slope = -0.25, offset = 1, clamp = false }} }}
"#
    )
}

fn load_text(name: &str, text: &str) -> Result<zopa_core::Scenario, zopa_formats::LoadError> {
    let dir = scratch(name);
    let f = dir.join("s.toml");
    std::fs::write(&f, text).unwrap();
    load(&f, &ReadOptions::genius())
}

#[test]
fn the_full_i64_range_is_counted_exactly_and_refused_by_analysis() {
    let s = load_text(
        "i64",
        &small_toml(
            "integer = [-9223372036854775808, 9223372036854775807]",
            "slope = 0",
            "0",
        ),
    )
    .unwrap();
    assert_eq!(s.issues[0].exact_cardinality(), Some(1u128 << 64));
    let e = analyze(&s, &AnalysisConfig::new(Definitions::Zopa)).unwrap_err();
    assert!(matches!(e, AnalysisError::IssueTooLarge { .. }), "{e}");
    assert!(e.to_string().contains("18446744073709551616 values"), "{e}");
}

#[test]
fn a_trillion_values_is_refused_not_allocated() {
    let s = load_text(
        "trillion",
        &small_toml("integer = [0, 1000000000000]", "slope = 0", "0"),
    )
    .unwrap();
    let e = analyze(&s, &AnalysisConfig::new(Definitions::Zopa)).unwrap_err();
    assert!(matches!(e, AnalysisError::IssueTooLarge { .. }), "{e}");
}

#[test]
fn non_finite_numbers_are_refused_with_the_place() {
    for (issue, linear) in [
        ("real = [-inf, inf]", "slope = 0.1"),
        ("integer = [0, 3]", "slope = nan"),
        ("integer = [0, 1e300]", "slope = 0.1"),
    ] {
        let e = load_text("nonfinite", &small_toml(issue, linear, "0"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("s.toml"), "{e}");
        assert!(e.contains("fix:"), "{e}");
    }
}

#[test]
fn out_of_range_utilities_and_reservation_values_are_noted() {
    let s = load_text("range", &small_toml("integer = [0, 3]", "slope = 2", "2")).unwrap();
    let notes = s.notes.join("\n");
    assert!(notes.contains("outside [0, 1]"), "{notes}");
    assert!(notes.contains("reservation value 2"), "{notes}");
    let negative = small_toml("integer = [0, 3]", "slope = 0.25", "0.1")
        .replacen("x = 1\n", "x = -1\n", 1)
        .replace("name = \"t\"", "name = \"t\"\n");
    let text = negative.replacen(
        "[parties.weights]\nx = -1",
        "unnormalized_weights = true\n[parties.weights]\nx = -1",
        1,
    );
    let s = load_text("negative", &text).unwrap();
    assert!(
        s.notes.iter().any(|n| n.contains("negative weight")),
        "{:?}",
        s.notes
    );
}

#[test]
fn no_issues_is_said_plainly() {
    let e = load_text("noissues", "name = \"t\"\nissues = []\nparties = []\n")
        .unwrap_err()
        .to_string();
    assert!(e.contains("no issues"), "{e}");
    assert!(!e.contains("-0"), "{e}");
}

/// 100,000 values of one discrete issue, by name in TOML and in GENIUS XML: reading is
/// linear (it was quadratic: 30,000 values took 7.6 s from TOML, over 20 s from XML). The
/// speed itself is measured by the `read_large` bench; here only that it completes.
#[test]
fn a_hundred_thousand_values_load() {
    let n = 100_000;
    let values: Vec<String> = (0..n).map(|i| format!("\"v{i}\"")).collect();
    let scores: Vec<String> = (0..n)
        .map(|i| format!("v{i} = {}", i as f64 / n as f64))
        .collect();
    let text = format!(
        "name = \"big\"\n[[issues]]\nname = \"x\"\nvalues = [{}]\n\n[[parties]]\nname = \"a\"\n[parties.weights]\nx = 1\n[parties.evaluations]\nx = {{ {} }}\n\n[[parties]]\nname = \"b\"\n[parties.weights]\nx = 1\n[parties.evaluations]\nx = {{ {} }}\n",
        values.join(", "),
        scores.join(", "),
        scores.join(", ")
    );
    let s = load_text("big-toml", &text).unwrap();
    assert_eq!(s.issues[0].cardinality(), Some(n));

    let dir = scratch("big-xml");
    let items: String = (0..n)
        .map(|i| {
            format!(
                "<item index=\"{}\" value=\"v{i}\" evaluation=\"{}\"/>\n",
                i + 1,
                i % 7
            )
        })
        .collect();
    std::fs::write(
        dir.join("d.xml"),
        format!("<negotiation_template><utility_space><objective index=\"0\" name=\"o\" type=\"objective\" etype=\"objective\"><issue index=\"1\" name=\"x\" type=\"discrete\" etype=\"discrete\">\n{items}</issue></objective></utility_space></negotiation_template>"),
    )
    .unwrap();
    for p in ["a", "b"] {
        std::fs::write(
            dir.join(format!("{p}.xml")),
            format!("<utility_space><objective index=\"0\" name=\"o\" type=\"objective\" etype=\"objective\"><weight index=\"1\" value=\"1\"/><issue index=\"1\" name=\"x\" type=\"discrete\" etype=\"discrete\">\n{items}</issue></objective></utility_space>"),
        )
        .unwrap();
    }
    let s = load(&dir, &ReadOptions::genius()).unwrap();
    assert_eq!(s.issues[0].cardinality(), Some(n));
}
