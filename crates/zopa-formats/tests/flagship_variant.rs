//! `scenarios/ukraine-2025/variants/europe-at-table.toml` is the flagship with Europe seated:
//! the same scenario in every other respect, so that the two cannot drift apart.

use std::path::PathBuf;

use zopa_core::Role;

fn load(rel: &str) -> zopa_core::Scenario {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .join(rel);
    zopa_formats::load(&path, &zopa_formats::ReadOptions::genius()).unwrap()
}

#[test]
fn the_europe_at_table_variant_differs_only_in_europes_seat() {
    let base = load("scenarios/ukraine-2025");
    let mut variant = load("scenarios/ukraine-2025/variants/europe-at-table.toml");
    let europe = base.party_index("Europe").unwrap();
    assert_eq!(base.parties[europe].role, Role::Stakeholder);
    assert_eq!(variant.parties[europe].role, Role::Negotiator);
    assert!(variant
        .description
        .as_deref()
        .unwrap()
        .contains("Europe sits at the table"));
    variant.parties[europe].role = Role::Stakeholder;
    variant.name = base.name.clone();
    variant.description = base.description.clone();
    assert_eq!(variant, base);
}
