//! All 66 NegoLog `specs.json`: outcome count, Nash product and social welfare under the
//! NegoLog definitions, within 1e-9.

mod common;

use zopa_core::analysis::{analyze, AnalysisConfig, Definitions};
use zopa_formats::{load, ReadOptions};

#[test]
fn reproduces_every_negolog_specs_json() {
    let root = common::shared("scenarios/NegoLog/domains");
    let mut dirs: Vec<_> = std::fs::read_dir(&root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    let mut checked = 0;
    for dir in dirs {
        let specs: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join("specs.json")).unwrap())
                .unwrap();
        let s = load(&dir, &ReadOptions::genius()).unwrap_or_else(|e| panic!("{e}"));
        let a = analyze(&s, &AnalysisConfig::new(Definitions::Negolog)).unwrap();
        let name = dir.display();
        assert_eq!(
            a.n_outcomes.as_ref().unwrap().to_string(),
            specs["NumberOfBids"].to_string(),
            "{name}: NumberOfBids"
        );
        let product = specs
            .get("Nash Product")
            .or(specs.get("Product Score"))
            .unwrap()
            .as_f64()
            .unwrap();
        let nash = a.nash.as_ref().unwrap();
        let got = nash.utilities[0] * nash.utilities[1];
        assert!(
            common::close(got, product, 1e-9),
            "{name}: Nash product {got} vs {product}"
        );
        let welfare = specs["Social Welfare"].as_f64().unwrap();
        let mw = a
            .max_welfare
            .as_ref()
            .unwrap()
            .utilities
            .iter()
            .sum::<f64>();
        assert!(
            common::close(mw, welfare, 1e-9),
            "{name}: social welfare {mw} vs {welfare}"
        );
        // Opposition (b): distance from (1, 1) to the max-welfare point.
        let opp = specs["Opposition"].as_f64().unwrap();
        assert!(
            common::close(a.opposition.unwrap(), opp, 1e-9),
            "{name}: opposition {:?} vs {opp}",
            a.opposition
        );
        for (k, key) in ["Nash_A", "Nash_B"].iter().enumerate() {
            let want = specs[key].as_f64().unwrap();
            assert!(
                common::close(nash.utilities[k], want, 1e-9),
                "{name}: {key} {} vs {want}",
                nash.utilities[k]
            );
        }
        checked += 1;
    }
    assert_eq!(checked, 66);
}
