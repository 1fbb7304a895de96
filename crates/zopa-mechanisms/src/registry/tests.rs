use std::sync::Arc;

use zopa_core::{AdditiveUtility, Evaluator, Issue, UtilityFunction};

use super::*;

fn spec(text: &str) -> Spec {
    Spec::parse(text).unwrap()
}

fn error(text: &str, kind: Kind) -> String {
    resolve(&spec(text), kind).unwrap_err().to_string()
}

/// Two issues of three values; the party likes higher values.
fn setup() -> Setup {
    let issues = Arc::new(vec![
        Issue::discrete("x", &["0", "1", "2"]),
        Issue::discrete("y", &["0", "1", "2"]),
    ]);
    let utility = Arc::new(UtilityFunction::Additive(AdditiveUtility {
        weights: vec![0.5, 0.5],
        evaluators: vec![Evaluator::Table(vec![0.0, 0.5, 1.0]); 2],
        cap_at_one: false,
    }));
    Setup {
        name: "A".into(),
        index: 0,
        negotiators: 2,
        issues: Arc::clone(&issues),
        utility: Arc::clone(&utility),
        reservation: 0.0,
        discount: None,
        cost_per_round: 0.0,
        deadline: crate::session::Deadline::rounds(10),
        seed: 1,
        red_lines: Vec::new(),
        outcomes: Arc::new(crate::outcomes::Ranking::lazy(issues, utility, 0, 1)),
    }
}

fn mediator_setup() -> MediatorSetup {
    let s = setup();
    MediatorSetup {
        issues: s.issues,
        utility: None,
        voters: 2,
        deadline: s.deadline,
        seed: 1,
        parties: ["A", "B"]
            .iter()
            .map(|name| crate::protocols::mediated::Caucus {
                name: name.to_string(),
                utility: std::sync::Arc::clone(&s.utility),
                outside_option: 0.0,
                cost_per_round: 0.0,
                votes: true,
                red_lines: Vec::new(),
                controls: Vec::new(),
            })
            .collect(),
        own: None,
        cache: None,
        exclusions: Vec::new(),
        controllers: Vec::new(),
    }
}

/// Builds `r` as what it is, so that its constructor reads every parameter it declares.
fn build(r: &Resolved) {
    match r.kind() {
        Kind::Negotiator => drop(r.negotiator(&setup())),
        Kind::Voter => drop(r.voter(&setup())),
        Kind::Mediator => drop(r.mediator(&mediator_setup())),
    }
}

#[test]
fn specs_parse_and_unknowns_are_named() {
    let s = spec("boulware:e=0.1:ac=const:c=0.8");
    assert_eq!(s.name, "boulware");
    assert_eq!(s.params.len(), 3);
    assert_eq!(s.label(), "boulware:e=0.1:ac=const:c=0.8");
    let r = resolve(&s, Kind::Negotiator).unwrap();
    assert_eq!(r.params.number("e"), 0.1);
    assert_eq!(r.params.choice("ac"), "const");
    assert_eq!(r.params.number("c"), 0.8);
    assert!(r.params.given("c") && !r.params.given("k"));
    assert_eq!(r.label, "boulware:e=0.1:ac=const:c=0.8");
    let e = error("bouware", Kind::Negotiator);
    assert!(e.contains("bouware") && e.contains("boulware"), "{e}");
    let e = error("linear", Kind::Voter);
    assert!(
        e.contains("`linear` is a negotiator, not a voter") && e.contains("hill-climber, annealer"),
        "{e}"
    );
    let e = error("boulware:x=1", Kind::Negotiator);
    assert!(
        e.contains("`x`") && e.contains("e, k, ac, a, b, c, t, model"),
        "{e}"
    );
    let e = error("random:x=1", Kind::Negotiator);
    assert!(e.contains("takes no parameters"), "{e}");
    assert!(matches!(
        Spec::parse("boulware:e"),
        Err(SpecError::Malformed(_))
    ));
}

#[test]
fn bad_values_say_what_is_allowed() {
    for (text, kind, expect) in [
        ("boulware:e=abc", Kind::Negotiator, "not a number"),
        ("boulware:e=inf", Kind::Negotiator, "not a number"),
        ("boulware:e=-1", Kind::Negotiator, "`e` = `-1`: must be ≥ 0"),
        ("linear:k=2", Kind::Negotiator, "must be in [0, 1]"),
        ("aspiration:exp=0", Kind::Negotiator, "must be > 0"),
        (
            "linear:ac=foo",
            Kind::Negotiator,
            "use next, const, time, combi or maxw",
        ),
        (
            "linear:model=true",
            Kind::Negotiator,
            "use none, frequency, windowed or bayesian",
        ),
        (
            "tit-for-tat:relative=maybe",
            Kind::Negotiator,
            "use true or false",
        ),
        ("annealer:cooling=2", Kind::Voter, "use true or false"),
    ] {
        let e = error(text, kind);
        assert!(e.contains(expect), "{text}: {e}");
    }
    for (text, flag, value) in [
        ("micro", "prefer_theirs", true),
        ("micro:prefer_theirs=no", "prefer_theirs", false),
        ("annealer:cooling=1", "cooling", true),
        ("tit-for-tat:relative=yes", "relative", true),
    ] {
        let kind = find(&spec(text).name).unwrap().kind();
        let r = resolve(&spec(text), kind).unwrap();
        assert_eq!(r.params.flag(flag), value, "{text}");
    }
}

#[test]
fn the_time_dependent_family_differs_only_in_its_default_e() {
    for (name, e) in [
        ("hardliner", 0.0),
        ("boulware", 0.2),
        ("linear", 1.0),
        ("conceder", 2.0),
        ("time-dependent", 1.0),
    ] {
        let s = find(name).unwrap();
        assert_eq!(s.defaults().number("e"), e, "{name}");
        let names: Vec<&str> = s.params.iter().map(|p| p.name).collect();
        assert_eq!(
            names,
            ["e", "k", "ac", "a", "b", "c", "t", "model", "delay"],
            "{name}"
        );
    }
}

#[test]
fn the_table_is_consistent() {
    for (k, s) in strategies().iter().enumerate() {
        assert!(
            strategies()[..k].iter().all(|t| t.name != s.name),
            "`{}` is declared twice",
            s.name
        );
        assert_eq!(find(s.name).map(|f| f.name), Some(s.name));
        assert!(!s.protocols.is_empty(), "{} sits nowhere", s.name);
        assert!(!s.source.is_empty() && !s.summary.is_empty(), "{}", s.name);
        for (i, p) in s.params.iter().enumerate() {
            assert!(
                s.params[..i].iter().all(|q| q.name != p.name),
                "{}: parameter `{}` declared twice",
                s.name,
                p.name
            );
            assert!(!p.help.is_empty(), "{}: `{}` has no help", s.name, p.name);
        }
        let expected: &[Protocol] = match s.kind() {
            Kind::Negotiator => &[Protocol::Sao, Protocol::Stacked, Protocol::Shuttle],
            Kind::Voter | Kind::Mediator => &[Protocol::Mediated, Protocol::Shuttle],
        };
        assert_eq!(s.protocols, expected, "{}", s.name);
    }
    let mediator = find(DEFAULT_MEDIATOR).expect("the default mediator is registered");
    assert_eq!(mediator.kind(), Kind::Mediator);
}

/// Every default, written out, passes its own validation and gives the defaults back; every
/// option of every choice and both values of every flag build.
#[test]
fn every_declared_value_validates_and_builds() {
    for s in strategies() {
        let mut text = s.name.to_string();
        for p in s.params {
            text += &format!(":{}={}", p.name, p.ty.default_text());
        }
        let r = resolve(&spec(&text), s.kind())
            .unwrap_or_else(|e| panic!("{}'s defaults fail validation: {e}", s.name));
        for p in s.params {
            assert_eq!(r.params.get(p.name), s.defaults().get(p.name), "{text}");
        }
        build(&resolve(&spec(s.name), s.kind()).unwrap());
        build(&r);
        for p in s.params {
            let values: Vec<String> = match p.ty {
                ParamType::Number { .. } => Vec::new(),
                ParamType::Flag { .. } => vec!["true".into(), "false".into()],
                ParamType::Choice { options, .. } => {
                    options.iter().map(|o| o.to_string()).collect()
                }
            };
            for v in values {
                let text = format!("{}:{}={v}", s.name, p.name);
                build(&resolve(&spec(&text), s.kind()).unwrap());
            }
        }
    }
}

#[test]
fn every_parameter_appears_in_the_help() {
    for s in strategies() {
        let help = s.help();
        assert!(help.starts_with(s.name), "{help}");
        for p in s.params {
            let key = format!("{}={}", p.name, p.ty.default_text());
            assert!(
                help.contains(&key),
                "{}: `{key}` missing from\n{help}",
                s.name
            );
            assert!(
                help.contains(p.help),
                "{}: help of `{}` missing",
                s.name,
                p.name
            );
        }
        for protocol in s.protocols {
            assert!(help.contains(protocol.as_str()), "{help}");
        }
    }
}

#[test]
fn a_strategy_is_refused_in_a_protocol_it_does_not_sit_in() {
    let r = resolve(&spec("boulware:e=0.1"), Kind::Negotiator).unwrap();
    assert!(r.sits_in(Protocol::Sao) && r.sits_in(Protocol::Shuttle));
    assert!(!r.sits_in(Protocol::Mediated));
    let e = r.seated_in(Protocol::Mediated).unwrap_err().to_string();
    assert_eq!(
        e,
        "`boulware:e=0.1` does not sit in the mediated protocol; it sits in sao, stacked, shuttle (see `zopa strategies`)"
    );
}
