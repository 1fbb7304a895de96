//! Opponent-model accuracy in tournaments: stored per negotiation and seat for the strategies
//! that keep a model (and only for them), averaged on the leaderboard and exported; a database
//! written before these columns existed is read (its rows have no model) and migrated when
//! a run opens it again.

use std::path::{Path, PathBuf};

use zopa_tournament::report::{leaderboard, leaderboard_csv, negotiations_csv};
use zopa_tournament::runner::{run_tournament, Options};
use zopa_tournament::store::{Row, Store, MODEL_COLUMNS};
use zopa_tournament::{Plan, Tournament};

fn shared(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel)
        .to_string_lossy()
        .into_owned()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "zopa-tournament-models-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn tournament() -> Tournament {
    Tournament {
        seed: 5,
        repetitions: 1,
        rotate_roles: true,
        self_play: false,
        protocol: "sao".into(),
        rounds: 40,
        scenarios: vec![shared(
            "scenarios/NegotiatorGUI/etc/templates/anac/y2010/EnglandZimbabwe",
        )],
        strategies: vec![
            "hardheaded".into(),
            "boulware".into(),
            "linear:model=bayesian".into(),
        ],
        store_traces: false,
    }
}

fn run(t: &Tournament, db: &Path) {
    run_tournament(
        t,
        Path::new("/"),
        db,
        Options {
            jobs: 1,
            shard: None,
            batch: 4,
            writing: None,
        },
        &|_, _| {},
    )
    .unwrap();
}

#[test]
fn models_are_scored_per_seat_and_averaged_on_the_leaderboard() {
    let t = tournament();
    let dir = temp("board");
    let db = dir.join("r.sqlite");
    run(&t, &db);
    let rows = Store::existing(&db).unwrap().rows().unwrap();
    assert_eq!(rows.len(), 6);
    let mut hardheaded = Vec::new();
    for r in &rows {
        for (strategy, model) in [(&r.first, &r.model_first), (&r.second, &r.model_second)] {
            match (strategy.as_str(), model) {
                ("hardheaded", Some(m)) => {
                    assert_eq!(m.model, "frequency");
                    hardheaded.push(m.clone());
                }
                ("linear:model=bayesian", Some(m)) => assert_eq!(m.model, "bayesian"),
                ("boulware", None) => {}
                (s, m) => panic!("{s} stored {m:?}"),
            }
            if let Some(m) = model {
                assert!(m.rmse >= 0.0 && m.rmse <= 1.0, "{m:?}");
                assert!((-1.0..=1.0).contains(&m.kendall_tau), "{m:?}");
                assert!((-1.0..=1.0).contains(&m.spearman), "{m:?}");
                assert!((0.0..=1.0).contains(&m.kendall_optimality), "{m:?}");
            }
        }
    }
    assert_eq!(hardheaded.len(), 4);
    let board = leaderboard(&rows);
    let overall = |s: &str| {
        board
            .iter()
            .find(|b| b.scope == "overall" && b.strategy == s)
            .unwrap()
    };
    let hh = overall("hardheaded");
    assert_eq!(hh.model_n, 4);
    let mean = hardheaded.iter().map(|m| m.kendall_tau).sum::<f64>() / 4.0;
    assert!((hh.model_kendall_tau.unwrap() - mean).abs() < 1e-12);
    let mean = hardheaded.iter().map(|m| m.rmse).sum::<f64>() / 4.0;
    assert!((hh.model_rmse.unwrap() - mean).abs() < 1e-12);
    let b = overall("boulware");
    assert_eq!((b.model_n, b.model_rmse, b.model_spearman), (0, None, None));
    let csv = leaderboard_csv(&board);
    let header = csv.lines().next().unwrap();
    assert!(
        header.ends_with(
            ",rounds,model_n,model_rmse,model_kendall_tau,model_spearman,model_kendall_optimality"
        ),
        "{header}"
    );
    let line = csv
        .lines()
        .find(|l| l.starts_with("overall,boulware,"))
        .unwrap();
    assert!(line.ends_with(",0,,,,"), "{line}");
    let negotiations = negotiations_csv(&rows);
    let header: Vec<&str> = negotiations.lines().next().unwrap().split(',').collect();
    assert_eq!(header[header.len() - MODEL_COLUMNS.len()..], MODEL_COLUMNS);
    for line in negotiations.lines() {
        // Fields: commas outside quoted text, plus one.
        let mut quoted = false;
        let fields = 1 + line
            .chars()
            .filter(|&c| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == ',' && !quoted
            })
            .count();
        assert_eq!(fields, header.len(), "{line}");
    }
    std::fs::remove_dir_all(dir).ok();
}

/// The `negotiations` table as zopa wrote it before the opponent-model columns.
const OLD_SCHEMA: &str = "
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE negotiations (
    id TEXT NOT NULL, job INTEGER PRIMARY KEY, scenario TEXT NOT NULL,
    strategy_first TEXT NOT NULL, strategy_second TEXT NOT NULL,
    party_first TEXT NOT NULL, party_second TEXT NOT NULL,
    repetition INTEGER NOT NULL, rotated INTEGER NOT NULL, seed TEXT NOT NULL,
    end_reason TEXT NOT NULL, agreement TEXT,
    utility_first REAL NOT NULL, utility_second REAL NOT NULL,
    reserved_first REAL NOT NULL, reserved_second REAL NOT NULL,
    welfare REAL NOT NULL, pareto_distance REAL, nash_distance REAL,
    rounds INTEGER NOT NULL, time REAL NOT NULL, error TEXT, trace TEXT
);";

#[test]
fn a_database_from_before_the_model_columns_is_read_and_migrated() {
    let t = tournament();
    let dir = temp("old");
    // The new run's rows, copied into a database of the old schema without their models.
    let fresh = dir.join("fresh.sqlite");
    run(&t, &fresh);
    let rows: Vec<Row> = Store::existing(&fresh).unwrap().rows().unwrap();
    let db = dir.join("old.sqlite");
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute_batch(OLD_SCHEMA).unwrap();
        c.execute_batch(&format!(
            "ATTACH '{}' AS fresh; INSERT INTO meta SELECT * FROM fresh.meta; \
             INSERT INTO negotiations SELECT {} FROM fresh.negotiations WHERE job < 3; DETACH fresh;",
            fresh.display(),
            zopa_tournament::store::COLUMNS
        ))
        .unwrap();
    }
    let old = Store::existing(&db).unwrap().rows().unwrap();
    assert_eq!(old.len(), 3);
    for (o, r) in old.iter().zip(&rows) {
        assert_eq!((&o.model_first, &o.model_second), (&None, &None));
        let without = Row {
            model_first: None,
            model_second: None,
            ..r.clone()
        };
        assert_eq!(o, &without);
    }
    // Its report: no strategy has a model there.
    assert!(leaderboard(&old).iter().all(|s| s.model_n == 0));
    // Resuming the run migrates it and stores the rest with their models.
    assert_eq!(Plan::new(&t, Path::new("/")).unwrap().len(), 6);
    run(&t, &db);
    let resumed = Store::existing(&db).unwrap().rows().unwrap();
    assert_eq!(resumed.len(), 6);
    assert_eq!(resumed[..3], old[..]);
    assert_eq!(resumed[3..], rows[3..]);
    std::fs::remove_dir_all(dir).ok();
}
