//! Named texts in the native format: what reads, what is written back, and every bad cell
//! refused with the file, the key (`texts.<name>.values.<issue>`) and the fix.

use std::path::{Path, PathBuf};

use zopa_core::{parse_date, Label, Text, Value};
use zopa_formats::{from_toml, load, to_toml, LoadError, ReadOptions};

fn repo(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel)
}

const BASE: &str = r#"
name = "t"
[[issues]]
name = "x"
values = ["a", "b"]
[[issues]]
name = "y"
integer = [0, 10]
[[issues]]
name = "r"
real = [0, 1.5]
[[parties]]
name = "A"
weights = { x = 1.0 }
evaluations = { x = { a = 0.0, b = 1.0 } }
[[parties]]
name = "B"
weights = { x = 1.0 }
evaluations = { x = { a = 1.0, b = 0.0 } }
"#;

/// Loads `BASE` plus `extra` from a file of its own (named by a hash of `extra`).
fn load_text(extra: &str) -> Result<zopa_core::Scenario, LoadError> {
    let dir = std::env::temp_dir().join(format!("zopa-texts-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("t{:x}.toml", fxhash(extra)));
    std::fs::write(&path, format!("{BASE}{extra}")).unwrap();
    load(&path, &ReadOptions::genius())
}

fn fxhash(s: &str) -> u64 {
    s.bytes().fold(0xcbf29ce484222325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x100000001b3)
    })
}

/// A text named `plan` with these lines in its `[texts.values]`.
fn plan(values: &str) -> String {
    format!("[[texts]]\nname = \"plan\"\n[texts.values]\n{values}\n")
}

#[test]
fn a_text_reads_with_its_date_source_and_labels_and_writes_back() {
    let s = load_text(
        "[[texts]]\nname = \"plan\"\ndate = \"2025-11-20\"\nsource = \"Axios, Nov 20 2025\"\n\
         description = \"The first draft.\"\n[texts.values]\nx = \"b\"\n\
         y = { value = 6, label = \"reported\" }\nr = { value = 1, label = \"assumption\" }\n\
         [[texts]]\nname = \"counter\"\ndate = 2025-11-23\n\
         values = { x = { value = \"a\", label = \"mapped\" }, y = 8.0, r = 0.25 }\n",
    )
    .unwrap();
    assert_eq!(
        s.texts[0],
        Text {
            name: "plan".into(),
            date: Some(parse_date("2025-11-20").unwrap()),
            source: Some("Axios, Nov 20 2025".into()),
            description: Some("The first draft.".into()),
            outcome: vec![Value::Discrete(1), Value::Integer(6), Value::Real(1.0)],
            labels: vec![None, Some(Label::Reported), Some(Label::Assumption)],
        }
    );
    let counter = s.text("counter").unwrap();
    assert_eq!(
        counter.outcome,
        [Value::Discrete(0), Value::Integer(8), Value::Real(0.25)]
    );
    assert_eq!(counter.labels, [Some(Label::Mapped), None, None]);
    assert!(s.notes.is_empty(), "{:?}", s.notes);
    let written = to_toml(&s);
    assert!(
        written.contains(
            "\n[[texts]]\nname = \"plan\"\ndate = \"2025-11-20\"\nsource = \"Axios, Nov 20 2025\"\n\
             description = \"The first draft.\"\n\n[texts.values]\nx = \"b\"\n\
             y = { value = 6, label = \"reported\" }\nr = { value = 1.0, label = \"assumption\" }\n"
        ),
        "{written}"
    );
    assert_eq!(from_toml(Path::new("again.toml"), &written).unwrap(), s);
}

/// A value name the issue lists twice says nothing: such a value is given by its index,
/// and `zopa convert` writes it so.
#[test]
fn a_repeated_value_name_is_given_by_index() {
    let twice = BASE.replace("values = [\"a\", \"b\"]", "values = [\"a\", \"b\", \"a\"]");
    let twice = twice.replace("{ a = 0.0, b = 1.0 }", "[0.0, 1.0, 0.5]");
    let twice = twice.replace("{ a = 1.0, b = 0.0 }", "[1.0, 0.0, 0.5]");
    let text = format!(
        "{twice}[[texts]]\nname = \"plan\"\n[texts.values]\nx = {{ index = 2, label = \"mapped\" }}\ny = 1\nr = 0\n"
    );
    let s = from_toml(Path::new("twice.toml"), &text).unwrap();
    assert_eq!(s.texts[0].outcome[0], Value::Discrete(2));
    let written = to_toml(&s);
    assert!(
        written.contains("x = { index = 2, label = \"mapped\" }\n"),
        "{written}"
    );
    assert_eq!(from_toml(Path::new("again.toml"), &written).unwrap(), s);
    let by_name = text.replace("{ index = 2, label = \"mapped\" }", "\"a\"");
    let e = from_toml(Path::new("twice.toml"), &by_name).unwrap_err();
    assert_eq!(e.place.as_deref(), Some("key texts.plan.values.x"));
    assert_eq!(
        e.problem,
        "issue `x` lists the value `a` twice, so the name does not say which"
    );
    assert_eq!(
        e.fix.as_deref(),
        Some("give its place in the issue's `values` instead: `{ index = 0 }` for the first")
    );
}

/// Every way to write a text wrong: the error names the file, the key and the fix.
#[test]
fn bad_texts_are_refused_with_key_and_fix() {
    let open = Text::NO_OPEN_ISSUES;
    // (the TOML added, the place, the problem, the fix)
    let cases: Vec<(String, Option<&str>, &str, &str)> = vec![
        (
            plan("x = \"a\"\ny = 3"),
            Some("key texts.plan.values.r"),
            "text `plan` gives issue `r` no value",
            open,
        ),
        (
            plan("x = \"c\"\ny = 3\nr = 0.5"),
            Some("key texts.plan.values.x"),
            "`c` is not a value of issue `x`",
            "use one of: a, b",
        ),
        (
            plan("x = 1\ny = 3\nr = 0.5"),
            Some("key texts.plan.values.x"),
            "expected the name of a value of issue `x`, found integer",
            "write one of: a, b",
        ),
        (
            plan("x = \"a\"\ny = 3\nr = 0.5\nz = 1"),
            Some("key texts.plan.values.z"),
            "`z` is not an issue of this scenario",
            "use the issue names declared under [[issues]]",
        ),
        (
            plan("x = \"a\"\ny = 11\nr = 0.5"),
            Some("key texts.plan.values.y"),
            "11 is outside the issue's range [0, 10]",
            "give a whole number in it",
        ),
        (
            plan("x = \"a\"\ny = 2.5\nr = 0.5"),
            Some("key texts.plan.values.y"),
            "expected a whole number, found 2.5",
            "write a whole number in [0, 10]",
        ),
        (
            plan("x = \"a\"\ny = 3\nr = nan"),
            Some("key texts.plan.values.r"),
            "NaN is not a finite number",
            "give a number in [0, 1.5]",
        ),
        (
            plan("x = \"a\"\ny = 3\nr = 2"),
            Some("key texts.plan.values.r"),
            "2 is outside the issue's range [0, 1.5]",
            "give a number in it",
        ),
        (
            plan("x = { value = \"a\", label = \"rumour\" }\ny = 3\nr = 0.5"),
            Some("key texts.plan.values.x.label"),
            "unknown label `rumour`",
            "use reported, mapped or assumption",
        ),
        (
            plan("x = { value = \"a\", source = \"AP\" }\ny = 3\nr = 0.5"),
            Some("key texts.plan.values.x.source"),
            "a text's value has no key `source`",
            "write `{ value = …, label = \"reported\" }` (label: reported, mapped or assumption)",
        ),
        (
            plan("x = { label = \"reported\" }\ny = 3\nr = 0.5"),
            Some("key texts.plan.values.x"),
            "a labelled value needs exactly one of `value` or `index`",
            "write `{ value = …, label = \"reported\" }`",
        ),
        (
            plan("x = { index = 2 }\ny = 3\nr = 0.5"),
            Some("key texts.plan.values.x.index"),
            "index 2 is not a place in issue `x`'s 2 values",
            "give a whole number from 0 to 1",
        ),
        (
            plan("x = \"a\"\ny = { index = 0 }\nr = 0.5"),
            Some("key texts.plan.values.y.index"),
            "`index` is for discrete issues; `y` is numeric",
            "write the number itself: `{ value = 5 }`",
        ),
        (
            "[[texts]]\nname = \"plan\"\n".into(),
            Some("key texts.plan"),
            "text `plan` has no `values`",
            "add a [texts.values] table giving every issue its value: issue = value",
        ),
        (
            "[[texts]]\nname = \"plan\"\nauthor = \"Witkoff\"\n".into(),
            Some("key texts.plan.author"),
            "a text has no key `author`",
            "a text takes `name`, `date`, `source`, `description` and `values`",
        ),
        (
            "[[texts]]\ndate = \"2025-11-20\"\n".into(),
            Some("key texts[0]"),
            "a text needs a name",
            "add `name = \"…\"`",
        ),
        (
            "[[texts]]\nname = \"plan\"\ndate = \"20 Nov 2025\"\n".into(),
            Some("key texts.plan.date"),
            "`20 Nov 2025` is not a date written YYYY-MM-DD (expected four digits, a dash, two digits, a dash, two digits)",
            "write dates as YYYY-MM-DD, e.g. \"2025-11-15\"",
        ),
        // What holds together across texts is `Scenario::validate`'s to say.
        (
            format!("{}{}", plan("x = \"a\"\ny = 3\nr = 0.5"), plan("x = \"b\"\ny = 3\nr = 0.5")),
            None,
            "two texts are both named `plan`; give each text a unique name",
            "correct the scenario so that it holds together",
        ),
    ];
    for (extra, place, problem, fix) in cases {
        let e = load_text(&extra).expect_err(&extra);
        assert!(
            e.path.ends_with(format!("t{:x}.toml", fxhash(&extra))),
            "{e}"
        );
        assert_eq!(e.place.as_deref(), place, "{extra}");
        assert_eq!(e.problem, problem, "{extra}");
        assert_eq!(e.fix.as_deref(), Some(fix), "{extra}");
    }
}

/// The shipped example names two drafts, labels their values, and survives `zopa convert`.
#[test]
fn the_dated_example_carries_two_texts() {
    let s = load(
        &repo("scenarios/examples/dated-talks.toml"),
        &ReadOptions::genius(),
    )
    .unwrap();
    let names: Vec<&str> = s.texts.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(names, ["employer-offer", "mediator-proposal"]);
    let proposal = s.text("mediator-proposal").unwrap();
    assert_eq!(proposal.date, Some(parse_date("2026-04-20").unwrap()));
    assert_eq!(proposal.outcome, [Value::Integer(4), Value::Discrete(2)]);
    assert_eq!(
        proposal.labels,
        [Some(Label::Reported), Some(Label::Mapped)]
    );
    assert_eq!(s.texts_in_date_order(), [0, 1]);
    assert!(s.notes.is_empty(), "{:?}", s.notes);
    let back = from_toml(Path::new("again.toml"), &to_toml(&s)).unwrap();
    assert_eq!(back, s);
}
