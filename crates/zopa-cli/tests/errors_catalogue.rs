//! `docs/errors.md` is the catalogue of bad inputs and the message a user sees for each. This
//! test runs every case and checks the page shows exactly what zopa prints; run it with
//! `UPDATE_ERRORS=1` to rewrite the page after a message changes.

mod common;

use std::fmt::Write as _;

use common::{repo, scratch, zopa};

/// One bad input: a title, the files to create, the command, and why it is refused.
struct Case {
    title: &'static str,
    files: &'static [(&'static str, &'static str)],
    args: &'static [&'static str],
}

const TWO_PARTIES: &str = r#"
[[parties]]
name = "a"
[parties.weights]
x = 1
[parties.evaluations]
x = { linear = { slope = 0.1 } }

[[parties]]
name = "b"
[parties.weights]
x = 1
[parties.evaluations]
x = { linear = { slope = -0.1, offset = 1 } }
"#;

fn cases() -> Vec<Case> {
    vec![
        Case { title: "A path that does not exist", files: &[], args: &["analyze", "missing.toml"] },
        Case { title: "A file that is not a scenario", files: &[("README.md", "# notes\n")], args: &["analyze", "README.md"] },
        Case { title: "Malformed TOML", files: &[("s.toml", "name = \"t\"\n[[issues]\nname = \"x\"\n")], args: &["analyze", "s.toml"] },
        Case { title: "No issues", files: &[("s.toml", "name = \"t\"\nissues = []\nparties = []\n")], args: &["analyze", "s.toml"] },
        Case {
            title: "Weights that do not sum to 1",
            files: &[("s.toml", "name = \"t\"\n[[issues]]\nname = \"x\"\nvalues = [\"a\", \"b\"]\n[[parties]]\nname = \"p\"\n[parties.weights]\nx = 0.5\n[parties.evaluations]\nx = { a = 1, b = 0 }\n")],
            args: &["analyze", "s.toml"],
        },
        Case { title: "A real issue with infinite bounds", files: &[], args: &["analyze", "inf.toml"] },
        Case { title: "An integer bound beyond 64 bits", files: &[("s.toml", "name = \"t\"\n[[issues]]\nname = \"x\"\ninteger = [0, 1e300]\n")], args: &["analyze", "s.toml"] },
        Case { title: "An integer issue too large to lay out", files: &[], args: &["analyze", "big.toml"] },
        Case { title: "Two parties with one name", files: &[], args: &["analyze", "twice.toml"] },
        Case {
            title: "JSON files that are no scenario",
            files: &[("d/a.json", "{\"foo\": 1}\n"), ("d/b.json", "[1, 2]\n")],
            args: &["analyze", "d"],
        },
        Case {
            title: "A date not written YYYY-MM-DD",
            files: &[("s.toml", "name = \"t\"\n[calendar]\nstart = \"15/11/2025\"\n")],
            args: &["analyze", "s.toml"],
        },
        Case {
            title: "A dated event without a calendar",
            files: &[],
            args: &["analyze", "dated.toml"],
        },
        Case {
            title: "A text that leaves an issue open",
            files: &[],
            args: &["analyze", "draft.toml"],
        },
        Case {
            title: "A positional evaluation on an issue without positions",
            files: &[("nato.toml", "name = \"t\"\n[[issues]]\nname = \"nato\"\nvalues = [\"open-door\", \"consensus\", \"dropped-bid\", \"ban\"]\n[[parties]]\nname = \"Ukraine\"\n[parties.weights]\nnato = 1\n[parties.evaluations]\nnato = { ideal = 0, shape = \"monotone\", curve = \"concave\", stance = 67 }\n")],
            args: &["analyze", "nato.toml"],
        },
        Case {
            title: "An event that ends before it starts",
            files: &[],
            args: &["analyze", "ends.toml"],
        },
        Case {
            title: "A no-deal model whose war never ends",
            files: &[],
            args: &["analyze", "endless.toml"],
        },
        Case {
            title: "An event that moves a no-deal model the party does not have",
            files: &[],
            args: &["analyze", "modelless.toml"],
        },
        Case {
            title: "A horizon with a platform's definitions",
            files: &[],
            args: &["analyze", "costly.toml", "--definitions", "genius", "--horizon", "10"],
        },
        Case {
            title: "A red line naming a value the issue does not have",
            files: &[],
            args: &["analyze", "red-line.toml"],
        },
        Case {
            title: "Red lines no outcome can meet",
            files: &[],
            args: &["analyze", "contradiction.toml"],
        },
        Case {
            title: "A controlled issue without a line",
            files: &[],
            args: &["analyze", "controls.toml"],
        },
        Case {
            title: "An exclusion that can never apply",
            files: &[],
            args: &["analyze", "exclusion.toml"],
        },
        Case {
            title: "Exclusions that split the analysis too far",
            files: &[],
            args: &["analyze", "branches.toml", "--max-branches", "2"],
        },
        Case {
            title: "One NegoLog profile",
            files: &[("n/profileA.json", "{\"issueWeights\": {\"i\": 1}, \"issues\": {\"i\": {\"a\": 1, \"b\": 0}}}\n")],
            args: &["analyze", "n"],
        },
        Case {
            title: "A voting rule zopa does not know",
            files: &[],
            args: &["run", "pair.toml", "--protocol", "shuttle", "--negotiators", "hill-climber", "--voting", "plurality"],
        },
        Case {
            title: "A voting rule that can never pass",
            files: &[],
            args: &["run", "pair.toml", "--protocol", "shuttle", "--negotiators", "hill-climber", "--voting", "qualified:3"],
        },
        Case {
            title: "A shuttle option with another protocol",
            files: &[],
            args: &["run", "pair.toml", "--negotiators", "boulware", "--patience", "5"],
        },
        Case {
            title: "A tactic written wrong",
            files: &[],
            args: &["run", "pair.toml", "--negotiators", "boulware", "--stall", "a"],
        },
        Case {
            title: "A negotiator where a voter sits",
            files: &[],
            args: &["run", "pair.toml", "--protocol", "mediated", "--negotiators", "boulware"],
        },
        Case { title: "A KTAB input without actors", files: &[("k.csv", "empty, nothing, 0, 2,\nActor, Desc, Cap, A, SA, B, SB\n")], args: &["forecast", "k.csv"] },
        Case { title: "A KTAB input cut short", files: &[("k.csv", "cut, short, 3, 1,\nActor, Desc, Cap, A, SA\nx, , 10, 50, 50\ny, , 10, 20, 50\n")], args: &["forecast", "k.csv"] },
        Case { title: "An empty expected-utility CSV", files: &[("b.csv", "actor,capability,position,salience\n")], args: &["forecast", "b.csv", "--model", "eum"] },
    ]
}

/// Two issues and two parties, for the restriction cases.
const LAND_AND_ARMY: &str = r#"name = "t"
[[issues]]
name = "land"
values = ["withdrawal", "freeze", "ceded"]
[[issues]]
name = "army"
values = ["no-cap", "cap", "demilitarisation"]

[[parties]]
name = "a"
RESTRICTIONS_A
[parties.weights]
land = 0.5
army = 0.5
[parties.evaluations]
land = { withdrawal = 1, freeze = 0.5, ceded = 0 }
army = { no-cap = 1, cap = 0.5, demilitarisation = 0 }

[[parties]]
name = "b"
[parties.weights]
land = 0.5
army = 0.5
[parties.evaluations]
land = { withdrawal = 0, freeze = 0.5, ceded = 1 }
army = { no-cap = 0, cap = 0.5, demilitarisation = 1 }
"#;

fn extra_files(dir: &std::path::Path) {
    let restricted =
        |a: &str, tail: &str| format!("{}{tail}", LAND_AND_ARMY.replace("RESTRICTIONS_A", a));
    for (name, a, tail) in [
        ("red-line.toml", "red_lines = [\"land >= occupied\"]", ""),
        (
            "contradiction.toml",
            "red_lines = [\"land <= freeze\", \"land >= ceded\"]",
            "",
        ),
        (
            "controls.toml",
            "red_lines = [\"land <= freeze\"]\ncontrols = [\"army\"]",
            "",
        ),
        (
            "exclusion.toml",
            "",
            "\n[[exclusions]]\nname = \"odd\"\nwhen = [\"land = ceded\", \"land = freeze\", \"army = cap\"]\n",
        ),
        (
            "branches.toml",
            "",
            "\n[[exclusions]]\nname = \"ceded and disarmed\"\nwhen = [\"land = ceded\", \"army = demilitarisation\"]\n\n\
             [[exclusions]]\nname = \"withdrawn and capped\"\nwhen = [\"land = withdrawal\", \"army in [no-cap, cap]\"]\n",
        ),
    ] {
        std::fs::write(dir.join(name), restricted(a, tail)).unwrap();
    }
    std::fs::write(
        dir.join("pair.toml"),
        format!("name = \"t\"\n[[issues]]\nname = \"x\"\ninteger = [0, 10]\n{TWO_PARTIES}"),
    )
    .unwrap();
    std::fs::write(
        dir.join("big.toml"),
        format!(
            "name = \"t\"\n[[issues]]\nname = \"x\"\ninteger = [0, 1000000000000]\n{TWO_PARTIES}"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("inf.toml"),
        format!("name = \"t\"\n[[issues]]\nname = \"x\"\nreal = [-inf, inf]\n{TWO_PARTIES}"),
    )
    .unwrap();
    std::fs::write(
        dir.join("twice.toml"),
        format!(
            "name = \"t\"\n[[issues]]\nname = \"x\"\ninteger = [0, 10]\n{}",
            TWO_PARTIES.replace("name = \"b\"", "name = \"a\"")
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("dated.toml"),
        format!(
            "name = \"t\"\n[[issues]]\nname = \"x\"\ninteger = [0, 10]\n{TWO_PARTIES}\n\
             [[events]]\nname = \"loan\"\nparty = \"b\"\ndate = \"2025-12-18\"\nshift = 0.07\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("draft.toml"),
        format!(
            "name = \"t\"\n[[issues]]\nname = \"x\"\ninteger = [0, 10]\n\
             [[issues]]\nname = \"nato\"\nvalues = [\"open-door\", \"ban\"]\n{TWO_PARTIES}\n\
             [[texts]]\nname = \"plan\"\ndate = \"2025-11-20\"\n[texts.values]\nx = 6\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("ends.toml"),
        format!(
            "name = \"t\"\n[[issues]]\nname = \"x\"\ninteger = [0, 10]\n{TWO_PARTIES}\n\
             [[events]]\nname = \"aid\"\nparty = \"b\"\nround = 10\nuntil_round = 4\nshift = 0.1\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("endless.toml"),
        format!(
            "name = \"t\"\n[[issues]]\nname = \"x\"\ninteger = [0, 10]\n{}",
            TWO_PARTIES.replace(
                "name = \"a\"",
                "name = \"a\"\nno_deal = { prevail = 0, lose = 0, cost = 0.004 }"
            )
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("modelless.toml"),
        format!(
            "name = \"t\"\n[[issues]]\nname = \"x\"\ninteger = [0, 10]\n{TWO_PARTIES}\n\
             [[events]]\nname = \"offensive\"\nparty = \"b\"\nround = 10\nprevail = 0.04\n"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.join("costly.toml"),
        format!(
            "name = \"t\"\n[[issues]]\nname = \"x\"\ninteger = [0, 10]\n{}",
            TWO_PARTIES.replace("name = \"b\"", "name = \"b\"\ncost_per_round = 0.01")
        ),
    )
    .unwrap();
}

#[test]
fn docs_errors_md_shows_what_zopa_prints() {
    let dir = scratch("errors-catalogue");
    extra_files(&dir);
    let mut page = String::from(
        "# Errors: bad inputs and what zopa says\n\n\
         Generated by `crates/zopa-cli/tests/errors_catalogue.rs` (run it with `UPDATE_ERRORS=1`\n\
         to refresh); the test fails when zopa prints anything else. Every message names the\n\
         file and, where there is one, the place in it, and says what to change. Numbers zopa accepts but finds\n\
         unusual (utilities outside [0, 1], negative weights, a reservation value no outcome\n\
         meets) are not errors: they are listed under `notes` in the output.\n",
    );
    for case in cases() {
        for (name, text) in case.files {
            let path = dir.join(name);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            if !text.is_empty() {
                std::fs::write(&path, text).unwrap();
            }
        }
        let out = zopa().current_dir(&dir).args(case.args).output().unwrap();
        assert!(!out.status.success(), "{}: zopa accepted it", case.title);
        assert_ne!(
            out.status.code(),
            Some(101),
            "{}: zopa panicked",
            case.title
        );
        let err = String::from_utf8_lossy(&out.stderr).trim().to_string();
        let _ = write!(page, "\n## {}\n\n", case.title);
        for (name, text) in case.files.iter().filter(|(_, t)| !t.is_empty()) {
            let _ = write!(page, "`{name}`:\n\n```\n{}\n```\n\n", text.trim_end());
        }
        // Inputs written by `extra_files`: shown too, so every case can be reproduced.
        if let Some(name) = case.args.get(1).filter(|a| a.ends_with(".toml")) {
            if case.files.is_empty() {
                if let Ok(text) = std::fs::read_to_string(dir.join(name)) {
                    let _ = write!(page, "`{name}`:\n\n```toml\n{}\n```\n\n", text.trim_end());
                }
            }
        }
        let _ = write!(
            page,
            "```console\n$ zopa {}\n{err}\n```\n",
            case.args.join(" ")
        );
    }
    let path = repo("docs/errors.md");
    if std::env::var_os("UPDATE_ERRORS").is_some() {
        std::fs::write(&path, &page).unwrap();
    }
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        current == page,
        "docs/errors.md is not what zopa prints; rerun with UPDATE_ERRORS=1 and review the diff"
    );
}
