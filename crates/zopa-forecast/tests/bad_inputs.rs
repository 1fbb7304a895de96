//! Empty, truncated and degenerate forecast inputs are refused with the line and the fix,
//! never a panic, never NaN.

use std::path::PathBuf;

use zopa_forecast::{eum, ktab};

fn shared(rel: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel)
}

#[test]
fn ktab_csv_without_actors_is_refused() {
    let e = ktab::parse_csv("empty, nothing, 0, 2,\nActor, Desc, Cap, A, SA, B, SB\n").unwrap_err();
    assert_eq!(e.line, 1);
    assert!(e.problem.contains("0 actors"), "{e}");
    let e = ktab::parse_csv("x, y, 2, 0,\nActor, Desc, Cap\na,,1\nb,,1\n").unwrap_err();
    assert!(e.problem.contains("0 dimensions"), "{e}");
}

#[test]
fn ktab_csv_cut_short_is_refused() {
    let text = std::fs::read_to_string(shared("scenarios/ktab/smp/dummyData_3Dim.csv")).unwrap();
    let cut: String = text.lines().take(4).collect::<Vec<_>>().join("\n");
    let e = ktab::parse_csv(&cut).unwrap_err();
    assert!(e.problem.contains("cut short"), "{e}");
}

#[test]
fn ktab_xml_cut_after_the_second_actor_is_refused() {
    let text = std::fs::read_to_string(shared("scenarios/ktab/smp/dummyData_3Dim.xml")).unwrap();
    let mut end = 0;
    for _ in 0..2 {
        end += text[end..].find("</Actor>").unwrap() + "</Actor>".len();
    }
    let e = ktab::parse_xml(&text[..end]).unwrap_err();
    assert!(e.problem.contains("cut short"), "{e}");
    assert!(e.line > 0, "{e}");
}

#[test]
fn ktab_xml_without_actors_is_refused() {
    let text = "<Scenario><name>x</name><Dimensions><dName>d</dName></Dimensions><Actors></Actors></Scenario>";
    let e = ktab::parse_xml(text).unwrap_err();
    assert!(e.problem.contains("0 <Actor>"), "{e}");
    assert!(e.line > 0, "{e}");
}

#[test]
fn ktab_xml_errors_name_the_actors_line() {
    let text = std::fs::read_to_string(shared("scenarios/ktab/smp/dummyData_3Dim.xml")).unwrap();
    // Drop one salience of the third actor: the error points at that actor, not line 0.
    let third = text.match_indices("<Actor>").nth(2).unwrap().0;
    let sal = third + text[third..].find("<dSal>").unwrap();
    let sal_end = sal + text[sal..].find("</dSal>").unwrap() + "</dSal>".len();
    let broken = format!("{}{}", &text[..sal], &text[sal_end..]);
    let e = ktab::parse_xml(&broken).unwrap_err();
    let actor_line = text[..third].matches('\n').count() + 1;
    assert_eq!(e.line, actor_line, "{e}");
}

#[test]
fn empty_bdm_csv_is_refused() {
    let e = eum::parse_csv("").unwrap_err();
    assert!(e.contains("at least two"), "{e}");
    let e = eum::parse_csv("name,capability,position,salience\n").unwrap_err();
    assert!(e.contains("at least two"), "{e}");
    let e = eum::parse_csv("name,capability,position,salience\na,1,2,0\nb,1,5,0\n").unwrap_err();
    assert!(e.contains("salience"), "{e}");
}

#[test]
fn ktab_csv_fields_in_quotes_may_hold_commas() {
    let text = "River,\"Provinces, an agency and a union\",2,1,\nActor,Desc,Cap,A,SA\nUp,\"farms, mostly\",10,80,50\nDown,,20,20,60\n";
    assert!(ktab::is_ktab_csv(text));
    let s = ktab::parse_csv(text).unwrap();
    assert_eq!(s.description, "Provinces, an agency and a union");
    assert_eq!(s.actors.len(), 2);
    assert_eq!(s.actors[1].capability, 20.0);
    assert!(!ktab::is_ktab_csv(
        "actor,capability,position,salience\na,1,2,0.5\n"
    ));
}
