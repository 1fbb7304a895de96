//! GeniusWeb profiles in the class-name spelling (`DiscreteValueSetUtilities`,
//! `NumberValueSetUtilities`) read the same as the old spelling; the shared files all use the
//! old one, so this test writes new-spelling files itself.

mod common;

use zopa_core::Value;
use zopa_formats::{load, ReadOptions};

const DOMAIN: &str = r#"{"name": "trip", "issuesValues": {
  "city": {"values": ["Kyoto", "Osaka"]},
  "nights": {"range": [1, 4, 1]}}}"#;

fn profile(name: &str, kyoto: f64, low: f64, high: f64) -> String {
    format!(
        r#"{{"LinearAdditiveUtilitySpace": {{"name": "{name}",
  "issueUtilities": {{
    "city": {{"DiscreteValueSetUtilities": {{"valueUtilities": {{"Kyoto": {kyoto}, "Osaka": {}}}}}}},
    "nights": {{"NumberValueSetUtilities": {{"lowValue": 1, "lowUtility": {low}, "highValue": 4, "highUtility": {high}}}}}}},
  "issueWeights": {{"city": 0.6, "nights": 0.4}},
  "domain": {DOMAIN},
  "reservationBid": {{"issuevalues": {{"city": "Osaka", "nights": "1"}}}}}}}}"#,
        1.0 - kyoto
    )
}

#[test]
fn class_name_spelling_and_number_utilities() {
    let dir = std::env::temp_dir().join(format!("zopa-gw-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("trip.json"), DOMAIN).unwrap();
    std::fs::write(dir.join("trip1.json"), profile("trip1", 1.0, 0.0, 1.0)).unwrap();
    std::fs::write(dir.join("trip2.json"), profile("trip2", 0.25, 1.0, 0.4)).unwrap();
    let s = load(&dir, &ReadOptions::genius()).unwrap_or_else(|e| panic!("{e}"));
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(s.issues.len(), 2);
    assert_eq!(
        s.issues[1].cardinality(),
        Some(4),
        "range [1, 4, 1] lists 1, 2, 3, 4"
    );
    let nights = |n: &str| Value::Discrete(s.issues[1].value_index(n).unwrap());
    let kyoto = Value::Discrete(0);
    let u1 = &s.parties[0].utility;
    // 0.6·1 + 0.4·(0 + (3 − 1)/(4 − 1)·1) = 0.6 + 0.4·0.66666667 (GeniusWeb rounds to 8 decimals)
    assert!(common::close(
        u1.eval(&[kyoto, nights("3")]),
        0.6 + 0.4 * 0.666_666_67,
        1e-12
    ));
    let u2 = &s.parties[1].utility;
    assert!(common::close(
        u2.eval(&[kyoto, nights("4")]),
        0.6 * 0.25 + 0.4 * 0.4,
        1e-12
    ));
    // Reservation = utility of the reservation bid (Osaka, 1 night).
    assert!(common::close(
        s.parties[1].reservation_value(),
        0.6 * 0.75 + 0.4 * 1.0,
        1e-12
    ));
}
