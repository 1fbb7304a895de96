//! `[sensitivity]`: every kind of range reads, writes back, and each bad key is refused with
//! the place and the fix.

use std::path::Path;

use zopa_core::{Curve, Varies};
use zopa_formats::{from_toml, to_toml};

const BASE: &str = r#"
name = "t"
[calendar]
start = "2025-11-19"
end = "2025-12-31"
[[issues]]
name = "x"
values = ["a", "b", "c"]
positions = [0, 50, 100]
[[issues]]
name = "plain"
values = ["p", "q"]
[[parties]]
name = "A"
reservation = 0.3
weights = { x = 0.6, plain = 0.4 }
evaluations = { x = { ideal = 0, shape = "monotone", curve = "linear" }, plain = { p = 1.0, q = 0.0 } }
[[parties]]
name = "B"
no_deal = { prevail = 0.01, lose = 0.01, cost = 0.001 }
weights = { x = 1.0 }
evaluations = { x = { ideal = 100, shape = "monotone", curve = "linear" } }
[[events]]
name = "aid"
party = "B"
date = "2025-12-01"
lose = 0.02
[[events]]
name = "talk"
party = "A"
round = 3
stances = { x = 50 }
"#;

fn read(extra: &str) -> Result<zopa_core::Scenario, String> {
    from_toml(Path::new("s.toml"), &format!("{BASE}{extra}")).map_err(|e| e.to_string())
}

#[test]
fn every_kind_of_range_reads_and_writes_back() {
    let s = read(
        r#"
[sensitivity]
draws = 7
seed = 9
[[sensitivity.ranges]]
party = "A"
reservation = [0.2, 0.5]
source = "a guess"
[[sensitivity.ranges]]
party = "A"
weights = 0.25
[[sensitivity.ranges]]
party = "A"
issue = "x"
ideal = [0, 50]
[[sensitivity.ranges]]
party = "B"
curve = ["linear", "concave"]
[[sensitivity.ranges]]
event = "aid"
scale = [0, 2]
"#,
    )
    .unwrap();
    assert!(s.notes.is_empty(), "{:?}", s.notes);
    assert_eq!((s.ranges.draws, s.ranges.seed), (7, 9));
    let kinds: Vec<&Varies> = s.ranges.ranges.iter().map(|r| &r.varies).collect();
    assert_eq!(
        kinds,
        [
            &Varies::Reservation {
                party: 0,
                low: 0.2,
                high: 0.5
            },
            &Varies::Weights {
                party: 0,
                spread: 0.25
            },
            &Varies::Ideal {
                party: 0,
                issue: 0,
                low: 0.0,
                high: 50.0
            },
            &Varies::Curve {
                party: 1,
                curves: vec![Curve::Linear, Curve::Concave]
            },
            &Varies::Event {
                event: 0,
                low: 0.0,
                high: 2.0
            },
        ]
    );
    assert_eq!(s.ranges.ranges[0].source.as_deref(), Some("a guess"));
    let back = from_toml(Path::new("s.toml"), &to_toml(&s)).unwrap();
    assert_eq!(back.ranges, s.ranges);
    // Without a [sensitivity] section nothing is written.
    assert!(!to_toml(&read("").unwrap()).contains("[sensitivity]"));
}

#[test]
fn bad_ranges_are_refused_with_the_key_and_the_fix() {
    let cases = [
        (
            "party = \"A\"\nreservation = [0.5, 0.2]",
            "key sensitivity.ranges[0].reservation: [0.5, 0.2] is no range: write the lower end first",
        ),
        (
            "party = \"Z\"\nreservation = [0.1, 0.2]",
            "key sensitivity.ranges[0].party: no party named `Z`",
        ),
        (
            "party = \"A\"\nweights = 1.5",
            "key sensitivity.ranges[0].weights: a spread of 1.5 is outside (0, 1)",
        ),
        (
            "party = \"A\"\nissue = \"plain\"\nideal = [0, 1]",
            "`A` does not evaluate `plain` by position, so it has no ideal there",
        ),
        (
            "party = \"A\"\nissue = \"x\"\nideal = [0, 150]",
            "[0, 150] reaches outside the issue's positions (0–100)",
        ),
        (
            "party = \"A\"\ncurve = [\"wavy\"]",
            "\"wavy\" is not a curve (fix: use linear or concave)",
        ),
        (
            "event = \"talk\"\nscale = [0, 2]",
            "event `talk` moves no outside option, so it has no size",
        ),
        (
            "party = \"A\"\nreservation = [0.1, 0.2]\nweights = 0.2",
            "a range varies exactly one assumption",
        ),
        (
            "party = \"A\"\nreservaton = [0.1, 0.2]",
            "key sensitivity.ranges[0].reservaton: a range has no key `reservaton`",
        ),
        (
            "party = \"B\"\nreservation = [0.6, 0.2]",
            "[0.6, 0.2] is no range: write the lower end first",
        ),
        (
            "event = \"aid\"\nparty = \"A\"\nscale = [0, 2]",
            "a `scale` range names its event, whose party is the event's",
        ),
        (
            "event = \"aid\"\nscale = [0, 100]",
            "at 100 times its size, event `aid` gives a no-deal model where",
        ),
    ];
    for (range, expected) in cases {
        let err = read(&format!("[[sensitivity.ranges]]\n{range}\n")).unwrap_err();
        assert!(err.contains(expected), "{range}:\n{err}");
        assert!(err.contains("fix:"), "{err}");
    }
    let err = read("[sensitivity]\ndraws = 0\n").unwrap_err();
    assert!(err.contains("0 draws is outside 1–10000"), "{err}");
    // A curve range on a party that scores no issue by position.
    let err = from_toml(
        Path::new("s.toml"),
        &format!(
            "{}[[sensitivity.ranges]]\nparty = \"A\"\ncurve = [\"linear\"]\n",
            BASE.replace(
                "x = { ideal = 0, shape = \"monotone\", curve = \"linear\" }",
                "x = { a = 1.0, b = 0.5, c = 0.0 }"
            )
        ),
    )
    .unwrap_err()
    .to_string();
    assert!(err.contains("`A` evaluates no issue by position"), "{err}");
    let err = read("[sensitivity]\nsteps = 3\n").unwrap_err();
    assert!(err.contains("[sensitivity] has no key `steps`"), "{err}");
}
