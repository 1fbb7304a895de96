//! Parties may declare saliences for stakeholder models: read, checked with the place and the
//! fix, written back losslessly, and used by `zopa_forecast::native` instead of the weights.

use std::path::Path;

fn laptop_with(line: &str) -> String {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/examples/laptop-sale.toml"),
    )
    .unwrap();
    // Declare it for the buyer, right after its reservation value.
    text.replacen(
        "reservation = 0.35 ",
        &format!("capability = 10\n{line}\nreservation = 0.35 "),
        1,
    )
}

fn read(text: &str) -> Result<zopa_core::Scenario, zopa_formats::LoadError> {
    let path = std::env::temp_dir().join(format!("zopa-salience-{}.toml", std::process::id()));
    std::fs::write(&path, text).unwrap();
    let s = zopa_formats::load(&path, &zopa_formats::ReadOptions::genius());
    std::fs::remove_file(&path).ok();
    s
}

#[test]
fn declared_saliences_are_read_checked_and_round_trip() {
    let s = read(&laptop_with("salience = { brand = 30, price = 45 }")).unwrap();
    assert_eq!(s.parties[0].salience, Some(vec![30.0, 0.0, 45.0]));
    assert_eq!(s.parties[1].salience, None);
    let again = read(&zopa_formats::to_toml(&s)).unwrap();
    assert_eq!(again.parties[0].salience, s.parties[0].salience);

    for (line, place, words) in [
        (
            "salience = { colour = 30 }",
            "parties.buyer.salience.colour",
            "not an issue",
        ),
        (
            "salience = { brand = 130 }",
            "parties.buyer.salience.brand",
            "outside 0–100",
        ),
        (
            "salience = { brand = 60, price = 50 }",
            "parties.buyer.salience",
            "sum to 110",
        ),
    ] {
        let e = read(&laptop_with(line)).unwrap_err();
        let text = e.to_string();
        assert!(text.contains(place) && text.contains(words), "{text}");
    }
}
