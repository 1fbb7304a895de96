//! The same file and seed give identical rows with 1 or 2 threads, rows written by a writer
//! thread or by the workers in turns, and with 1 shard or 4 shards merged.

use std::path::{Path, PathBuf};

use zopa_tournament::report::merge;
use zopa_tournament::runner::{run_tournament, Options, Writing};
use zopa_tournament::store::{Row, Store};
use zopa_tournament::Tournament;

fn shared(rel: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared")
        .join(rel)
        .to_string_lossy()
        .into_owned()
}

fn tournament() -> Tournament {
    Tournament {
        seed: 42,
        repetitions: 2,
        rotate_roles: true,
        self_play: true,
        protocol: "sao".into(),
        rounds: 60,
        scenarios: vec![
            shared("scenarios/NegotiatorGUI/etc/templates/anac/y2010/EnglandZimbabwe"),
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

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zopa-tournament-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn rows(db: &Path) -> Vec<Row> {
    let mut r = Store::existing(db).unwrap().rows().unwrap();
    r.sort_by(|a, b| a.id.cmp(&b.id));
    r
}

fn run(
    t: &Tournament,
    db: &Path,
    jobs: usize,
    shard: Option<(usize, usize)>,
) -> zopa_tournament::runner::Summary {
    run_writing(t, db, jobs, shard, None)
}

fn run_writing(
    t: &Tournament,
    db: &Path,
    jobs: usize,
    shard: Option<(usize, usize)>,
    writing: Option<Writing>,
) -> zopa_tournament::runner::Summary {
    run_tournament(
        t,
        Path::new("/"),
        db,
        Options {
            jobs,
            shard,
            batch: 7,
            writing,
        },
        &|_, _| {},
    )
    .unwrap()
}

#[test]
fn thread_count_and_sharding_do_not_change_results() {
    let t = tournament();
    let dir = temp("determinism");
    let one = dir.join("one.sqlite");
    let s = run(&t, &one, 1, None);
    assert_eq!((s.ran, s.skipped), (s.total, 0));
    let two = dir.join("two.sqlite");
    run(&t, &two, 2, None);
    let (a, b) = (rows(&one), rows(&two));
    assert_eq!(a.len(), s.total);
    // Per scenario: (10 pairs x 2 roles + 5 self-plays) x 2 repetitions.
    let scenarios = a
        .iter()
        .map(|r| &r.scenario)
        .collect::<std::collections::HashSet<_>>()
        .len();
    assert!(scenarios > 2);
    assert_eq!(a.len(), scenarios * 25 * 2);
    assert_eq!(a, b, "1 and 2 threads differ");
    // Both ways of writing, on one worker and on three (batches of 7 rows, chunks of up to
    // 8: commits of several chunks, and a tail written chunk by chunk).
    for writing in [Writing::Thread, Writing::Turns] {
        for jobs in [1, 3] {
            let db = dir.join(format!("{writing:?}-{jobs}.sqlite"));
            let s = run_writing(&t, &db, jobs, None, Some(writing));
            assert_eq!((s.ran, s.skipped), (s.total, 0));
            assert_eq!(rows(&db), a, "{writing:?} on {jobs} workers differs");
            // Settled: one self-contained file, its log folded in and gone.
            let log = PathBuf::from(format!("{}-wal", db.display()));
            assert!(
                !log.exists(),
                "{writing:?} on {jobs} workers left {}",
                log.display()
            );
        }
    }
    let shards: Vec<PathBuf> = (0..4)
        .map(|i| dir.join(format!("shard-{i}.sqlite")))
        .collect();
    for (i, p) in shards.iter().enumerate() {
        run(&t, p, 2, Some((i, 4)));
    }
    let refs: Vec<&Path> = shards.iter().map(PathBuf::as_path).collect();
    let merged = dir.join("merged.sqlite");
    let m = merge(&merged, &refs).unwrap();
    assert!(m.missing.is_empty());
    assert_eq!(rows(&merged), a, "4 merged shards differ from one run");
    // Rerunning is a no-op; merging a shard twice is refused.
    let again = run(&t, &one, 2, None);
    assert_eq!((again.ran, again.skipped), (0, again.total));
    let twice = [shards[0].as_path(), shards[0].as_path()];
    assert!(merge(&dir.join("dup.sqlite"), &twice).is_err());
    // A missing shard is reported.
    let partial = merge(&dir.join("partial.sqlite"), &refs[..3]).unwrap();
    assert_eq!(partial.missing.len(), a.len() - partial.merged);
    std::fs::remove_dir_all(dir).ok();
}
