//! Red lines, controlled issues and exclusions in the native format: what is read, and
//! every error naming the file, the place, the condition and the fix.

use std::path::Path;

use zopa_core::{Restriction, Test, Value};
use zopa_formats::{from_toml, to_toml};

/// Two issues, two parties; `A` and `TAIL` are replaced by a party's restriction keys and by
/// whatever follows the parties.
const BASE: &str = r#"name = "t"
[[issues]]
name = "land"
values = ["withdrawal", "freeze", "ceded"]
positions = [0, 60, 100]
[[issues]]
name = "army cap"
integer = [0, 10]

[[parties]]
name = "Kyiv"
A
[parties.weights]
land = 1
[parties.evaluations]
land = { withdrawal = 1, freeze = 0.5, ceded = 0 }

[[parties]]
name = "Europe"
role = "stakeholder"
red_lines = ["army cap >= 5"]
controls = ["army cap"]
[parties.weights]
land = 1
[parties.evaluations]
land = { withdrawal = 1, freeze = 0.5, ceded = 0 }
TAIL"#;

fn read(a: &str, tail: &str) -> Result<zopa_core::Scenario, String> {
    let text = BASE
        .replace("\nA\n", &format!("\n{a}\n"))
        .replace("TAIL", tail);
    from_toml(Path::new("s.toml"), &text).map_err(|e| e.to_string())
}

#[test]
fn restrictions_are_read_and_written_back() {
    let s = read(
        r#"red_lines = ["land <= freeze", 'army cap in [0, 10]']"#,
        r#"
[[exclusions]]
name = "ceded yet armed"
when = ["land = ceded", "army cap >= 8"]
source = "assumption"
description = "Whoever cedes land keeps no large army."
"#,
    )
    .unwrap();
    s.validate().unwrap();
    let kyiv = &s.parties[0];
    assert_eq!(kyiv.red_lines[0].test, Test::AtMost(Value::Discrete(1)));
    assert_eq!(
        kyiv.red_lines[1].test,
        Test::OneOf(vec![Value::Integer(0), Value::Integer(10)])
    );
    assert_eq!(s.parties[1].controls, [1]);
    assert_eq!(s.exclusions.len(), 1);
    assert_eq!(s.exclusions[0].source.as_deref(), Some("assumption"));
    assert_eq!(
        s.restrictions(&[0]),
        [
            Restriction::RedLine { party: 0, line: 0 },
            Restriction::RedLine { party: 0, line: 1 },
            Restriction::Control { party: 1, line: 0 },
            Restriction::Exclusion(0),
        ]
    );
    let text = to_toml(&s);
    assert!(text.contains("red_lines = [\"land <= freeze\", \"army cap in [0, 10]\"]\n"));
    assert!(text.contains(
        "[[exclusions]]\nname = \"ceded yet armed\"\nwhen = [\"land = ceded\", \"army cap >= 8\"]\n"
    ));
    let mut back = from_toml(Path::new("back.toml"), &text).unwrap();
    back.notes.clone_from(&s.notes);
    assert_eq!(back, s);
}

/// Each case: the restriction keys of party `Kyiv`, what follows the parties, and the error.
#[test]
fn bad_restrictions_are_refused_with_place_and_fix() {
    let cases: &[(&str, &str, &str)] = &[
        (
            r#"red_lines = ["donetsk >= freeze"]"#,
            "",
            "s.toml, key parties.Kyiv.red_lines[0]: red line `donetsk >= freeze`: `donetsk` is not an issue of this scenario (fix: use one of: land, army cap)",
        ),
        (
            r#"red_lines = ["land >= occupied"]"#,
            "",
            "s.toml, key parties.Kyiv.red_lines[0]: red line `land >= occupied`: `occupied` is not a value of issue `land` (fix: use one of: withdrawal, freeze, ceded)",
        ),
        (
            r#"red_lines = ["land > freeze"]"#,
            "",
            "s.toml, key parties.Kyiv.red_lines[0]: red line `land > freeze`: `>` alone is not an operator of a condition (fix: use >=, <=, =, != or in [a, b] (`x > a` is `x >= ` the value after a); write `issue >= value`, `issue <= value`, `issue = value`, `issue != value` or `issue in [value, value]`; quote a name that holds one of \" = ! < > [ ] , in double quotes)",
        ),
        (
            r#"red_lines = ["army cap >= 11"]"#,
            "",
            "s.toml, key parties.Kyiv.red_lines[0]: red line `army cap >= 11`: 11 is outside the issue's range [0, 10] (fix: give a whole number in it)",
        ),
        (
            r#"red_lines = "land <= freeze""#,
            "",
            "s.toml, key parties.Kyiv.red_lines: expected a list of texts, found string (fix: write `red_lines = [\"issue >= value\"]`)",
        ),
        (
            r#"red_lines = [3]"#,
            "",
            "s.toml, key parties.Kyiv.red_lines[0]: expected text, found integer (fix: write `red_lines = [\"issue >= value\"]`)",
        ),
        (
            r#"red_lines = ["land >= ceded", "land != ceded"]"#,
            "",
            "s.toml, key parties.Kyiv.red_lines: red lines on `land`: no value of the issue meets `land >= ceded` and `land != ceded` together, so the party would reject every outcome (fix: loosen or drop one of them)",
        ),
        (
            r#"controls = ["navy"]"#,
            "",
            "s.toml, key parties.Kyiv.controls[0]: `navy` is not an issue of this scenario (fix: use one of: land, army cap)",
        ),
        (
            r#"controls = ["land"]"#,
            "",
            "s.toml, key parties.Kyiv.controls: controlled issue `land`: the party controls the issue but draws no red line on it, so its control restricts nothing (fix: add the line it holds, e.g. `land <= value` to `red_lines`, or drop the issue from `controls`)",
        ),
        (
            "",
            "\n[[exclusions]]\nwhen = [\"land = ceded\"]\n",
            "s.toml, key exclusions[0]: an exclusion needs a name (fix: add `name = \"…\"`)",
        ),
        (
            "",
            "\n[[exclusions]]\nname = \"x\"\n",
            "s.toml, key exclusions.x: exclusion `x` has no `when` (fix: list the options that cannot stand together: `when = [\"issue = value\", \"other-issue = value\"]`)",
        ),
        (
            "",
            "\n[[exclusions]]\nname = \"x\"\nwhen = [\"land = ceded\"]\nwhy = \"?\"\n",
            "s.toml, key exclusions.x.why: an exclusion has no key `why` (fix: an exclusion takes `name`, `when`, `source` and `description`)",
        ),
        (
            "",
            "\n[[exclusions]]\nname = \"x\"\nwhen = [\"land == ceded\", \"army cap = eleven\"]\n",
            "s.toml, key exclusions.x.when[1]: condition `army cap = eleven`: `eleven` is not a whole number (issue `army cap` is an integer issue) (fix: give a whole number in [0, 10])",
        ),
        (
            "",
            "\n[[exclusions]]\nname = \"x\"\nwhen = []\n",
            "s.toml, key exclusions.x.when: it lists no condition, so it would exclude every outcome (fix: list the options that cannot stand together: when = [\"a = x\", \"b = y\"])",
        ),
        (
            "",
            "\n[[exclusions]]\nname = \"x\"\nwhen = [\"land >= withdrawal\"]\n",
            "s.toml, key exclusions.x.when: every outcome meets its conditions, so it would exclude every outcome (fix: name the options that cannot stand together, e.g. `a = x` with `b = y`)",
        ),
        (
            "",
            "\n[[exclusions]]\nname = \"x\"\nwhen = [\"land = ceded\"]\n[[exclusions]]\nname = \"x\"\nwhen = [\"land = freeze\"]\n",
            "s.toml, key exclusions.x: two exclusions are both named `x` (fix: give each exclusion a unique name)",
        ),
        (
            "",
            "\n[exclusions]\nname = \"x\"\n",
            "s.toml, key exclusions: `exclusions` must be an array (fix: write [[exclusions]] sections)",
        ),
    ];
    for (a, tail, expected) in cases {
        assert_eq!(read(a, tail).unwrap_err(), *expected, "{a} {tail}");
    }
}
