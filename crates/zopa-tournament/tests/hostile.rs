//! Hostile inputs to tournaments (issue 10): a strategy listed twice, a shard merged twice,
//! SQLite errors (one at open, one mid-run), databases that can only be read, rows whose stored values cannot be right,
//! and resumes over a fragmented database walking the plan lazily.

use std::path::{Path, PathBuf};

use zopa_tournament::check::Checks;
use zopa_tournament::report::merge;
use zopa_tournament::runner::{run_tournament, Options, Summary, Writing};
use zopa_tournament::store::{Row, Store};
use zopa_tournament::{Tournament, TournamentError};

fn shared(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel)
        .to_string_lossy()
        .into_owned()
}

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zopa-hostile-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn tournament() -> Tournament {
    Tournament {
        seed: 4,
        repetitions: 2,
        rotate_roles: true,
        self_play: true,
        protocol: "sao".into(),
        rounds: 40,
        scenarios: vec![
            shared("scenarios/NegotiatorGUI/etc/templates/anac/y2010/EnglandZimbabwe"),
            shared("scenarios/NegotiatorGUI/etc/templates/anac/y2011/Camera"),
            shared("scenarios/NegoLog/domains/domain1[0-1]"),
        ],
        strategies: vec![
            "boulware".into(),
            "conceder:e=3".into(),
            "micro".into(),
            "random".into(),
            "agentk".into(),
        ],
        store_traces: false,
    }
}

fn run(t: &Tournament, db: &Path, shard: Option<(usize, usize)>) -> Summary {
    run_tournament(
        t,
        Path::new("/"),
        db,
        Options {
            jobs: 2,
            shard,
            batch: 16,
            writing: None,
        },
        &|_, _| {},
    )
    .unwrap()
}

fn rows(store: &Store) -> Vec<Row> {
    store.rows().unwrap()
}

/// Every message of an error and of its sources, as `{:#}` in the CLI prints them.
fn chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text += &format!(": {s}");
        source = s.source();
    }
    text
}

#[test]
fn a_strategy_listed_twice_is_refused_naming_it_and_the_file() {
    let dir = temp("duplicates");
    let file = dir.join("dup.toml");
    for (list, named) in [
        (
            r#"["boulware", "boulware", "linear"]"#,
            "`boulware` is listed twice",
        ),
        (
            r#"["linear", "Boulware", " boulware"]"#,
            "as `Boulware` and ` boulware`",
        ),
    ] {
        std::fs::write(
            &file,
            format!(
                "seed = 1\nscenarios = [{:?}]\nstrategies = {list}\n",
                shared("scenarios/NegotiatorGUI/etc/templates/anac/y2010/EnglandZimbabwe")
            ),
        )
        .unwrap();
        let e = Tournament::load(&file).unwrap_err().to_string();
        assert!(e.contains(named), "{e}");
        assert!(e.contains("dup.toml"), "the file is not named: {e}");
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn sqlite_errors_say_their_text_once() {
    let dir = temp("sqlite-errors");
    let bad = dir.join("bad.sqlite");
    std::fs::write(
        &bad,
        "not a database, just text that is long enough to have a header",
    )
    .unwrap();
    let Err(e) = Store::existing(&bad) else {
        panic!("a text file opened as a database")
    };
    let text = chain(&e);
    assert_eq!(
        text.matches("file is not a database").count(),
        1,
        "repeated: {text}"
    );
    assert!(text.contains("bad.sqlite"), "{text}");
    assert!(matches!(e, TournamentError::Database { .. }));
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_database_that_refuses_a_row_mid_run_stops_the_run_with_its_error() {
    let mut t = tournament();
    t.scenarios.truncate(1);
    let dir = temp("refused-row");
    for writing in [Writing::Thread, Writing::Turns] {
        let db = dir.join(format!("{writing:?}.sqlite"));
        // The plan's database, emptied, with a trigger that refuses one row of the middle.
        let all = run(&t, &db, None);
        let conn = rusqlite::Connection::open(&db).unwrap();
        conn.execute_batch(
            "DELETE FROM negotiations;
                 CREATE TRIGGER refuse BEFORE INSERT ON negotiations WHEN NEW.job = 30
                 BEGIN SELECT RAISE(ABORT, 'row 30 refused by a trigger'); END;",
        )
        .unwrap();
        drop(conn);
        let e = run_tournament(
            &t,
            Path::new("/"),
            &db,
            Options {
                jobs: 2,
                shard: None,
                batch: 8,
                writing: Some(writing),
            },
            &|_, _| {},
        )
        .expect_err("a refused row went unnoticed");
        let text = chain(&e);
        assert!(
            text.contains("row 30 refused by a trigger"),
            "{writing:?}: {text}"
        );
        assert!(
            text.contains(&db.display().to_string()),
            "{writing:?}: {text}"
        );
        // What was committed before the refusal stays; row 30 and its batch are not there.
        let kept = rows(&Store::existing(&db).unwrap());
        assert!(kept.len() < all.total, "{writing:?}: every row stored");
        assert!(kept.iter().all(|r| r.job != 30), "{writing:?}");
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn merging_one_shard_twice_says_so() {
    let mut t = tournament();
    t.scenarios.truncate(1);
    let dir = temp("merge-twice");
    let shard = dir.join("shard-0.sqlite");
    run(&t, &shard, Some((0, 2)));
    let out = dir.join("out.sqlite");
    let same = dir.join(".").join("shard-0.sqlite");
    for twice in [
        [shard.as_path(), shard.as_path()],
        [shard.as_path(), same.as_path()],
    ] {
        let e = merge(&out, &twice).unwrap_err().to_string();
        assert!(e.contains("shard-0.sqlite is given twice"), "{e}");
        assert!(!out.exists(), "a refused merge left {}", out.display());
    }
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_finished_database_is_read_without_writing_beside_it() {
    let mut t = tournament();
    t.scenarios.truncate(1);
    let dir = temp("read-only");
    let db = dir.join("results.sqlite");
    run(&t, &db, None);
    let expected = rows(&Store::existing(&db).unwrap());
    // As a run left it before it settled: in WAL mode, alone in its folder.
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.query_row("PRAGMA journal_mode = WAL", [], |_| Ok(()))
            .unwrap();
    }
    let copy = dir.join("copy");
    std::fs::create_dir_all(&copy).unwrap();
    let ro = copy.join("results.sqlite");
    std::fs::copy(&db, &ro).unwrap();
    // What a read-only mount allows: the file as is, no lock, no -shm.
    let store = Store::immutable(&ro).unwrap();
    assert_eq!(rows(&store), expected);
    assert!(
        store.conn.execute("DELETE FROM negotiations", []).is_err(),
        "a report's connection can write"
    );
    drop(store);
    let beside: Vec<_> = std::fs::read_dir(&copy).unwrap().collect();
    assert_eq!(beside.len(), 1, "files appeared beside the database");

    // Results still in a write-ahead log: the immutable file alone would miss them.
    let writer = rusqlite::Connection::open(&db).unwrap();
    writer
        .query_row("PRAGMA wal_autocheckpoint = 0", [], |_| Ok(()))
        .unwrap();
    writer
        .execute("DELETE FROM negotiations WHERE job = 0", [])
        .unwrap();
    let pending = dir.join("pending");
    std::fs::create_dir_all(&pending).unwrap();
    for suffix in ["", "-wal"] {
        std::fs::copy(
            format!("{}{suffix}", db.display()),
            format!("{}/results.sqlite{suffix}", pending.display()),
        )
        .unwrap();
    }
    drop(writer);
    let e = Store::immutable(&pending.join("results.sqlite"))
        .err()
        .expect("a pending log was ignored")
        .to_string();
    assert!(e.contains("results.sqlite-wal"), "{e}");
    // Where SQLite may write its -shm, the log is read.
    let store = Store::existing(&pending.join("results.sqlite")).unwrap();
    assert_eq!(rows(&store).len(), expected.len() - 1);
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn corrupted_rows_are_named_and_a_real_tournament_has_none() {
    let t = tournament();
    let dir = temp("corrupt");
    let db = dir.join("results.sqlite");
    run(&t, &db, None);
    let store = Store::existing(&db).unwrap();
    let all = rows(&store);
    let (good, bad) = Checks::of(&store).unwrap().split(all.clone());
    assert!(
        bad.is_empty(),
        "sound rows flagged: {:?}",
        bad.iter().map(|(r, p)| (&r.id, p)).collect::<Vec<_>>()
    );
    assert_eq!(good.len(), all.len());
    drop(store);

    let agreed = all.iter().find(|r| r.end == "agreement").unwrap();
    let other = all.iter().find(|r| r.job != agreed.job).unwrap();
    {
        let c = rusqlite::Connection::open(&db).unwrap();
        c.execute(
            "UPDATE negotiations SET welfare = -2.7, nash_distance = -11.6 WHERE job = ?1",
            [other.job as i64],
        )
        .unwrap();
        c.execute(
            "UPDATE negotiations SET utility_first = 7.5, welfare = 7.5 + utility_second WHERE job = ?1",
            [agreed.job as i64],
        )
        .unwrap();
    }
    let store = Store::existing(&db).unwrap();
    let (good, bad) = Checks::of(&store).unwrap().split(rows(&store));
    assert_eq!(good.len(), all.len() - 2);
    let named: Vec<(&str, String)> = bad
        .iter()
        .map(|(r, p)| (r.id.as_str(), p.join("; ")))
        .collect();
    let find = |id: &str| {
        named
            .iter()
            .find(|(i, _)| *i == id)
            .map(|(_, p)| p.clone())
            .unwrap_or_else(|| panic!("{id} not named: {named:?}"))
    };
    let p = find(&other.id);
    assert!(
        p.contains("welfare -2.7") && p.contains("nash_distance -11.6"),
        "{p}"
    );
    let p = find(&agreed.id);
    assert!(p.contains("utility 7.5") && p.contains("outside"), "{p}");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn a_fragmented_resume_runs_exactly_what_is_missing_in_any_shard() {
    let mut t = tournament();
    t.scenarios.truncate(2);
    let dir = temp("fragmented");
    let db = dir.join("results.sqlite");
    let first = run(&t, &db, None);
    let expected = rows(&Store::existing(&db).unwrap());
    let c = rusqlite::Connection::open(&db).unwrap();
    let deleted = c
        .execute(
            "DELETE FROM negotiations WHERE job % 7 = 2 OR job % 11 = 5 OR job BETWEEN 30 AND 44",
            [],
        )
        .unwrap();
    drop(c);
    let mut ran = 0;
    for i in 0..3 {
        let s = run(&t, &db, Some((i, 3)));
        assert_eq!(s.skipped + s.ran, s.total);
        ran += s.ran;
    }
    assert_eq!(
        ran, deleted,
        "the shards ran something else than what was missing"
    );
    let again = run(&t, &db, None);
    assert_eq!((again.total, again.ran), (first.total, 0));
    assert_eq!(rows(&Store::existing(&db).unwrap()), expected);
    std::fs::remove_dir_all(dir).ok();
}
