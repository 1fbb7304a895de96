//! The tournament file (`zopa_tournament::Tournament::load`), then its plan. The input is
//! `tournament.toml` in a folder that also holds a valid scenario `s.toml` (a copy of the
//! GENIUS companion domain as native TOML is not needed: the plan only names scenarios).
//! Scenario patterns that leave the folder (absolute, `..`) are not planned, so the target
//! never walks the machine's file system.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use zopa_formats::{load, ReadOptions};
use zopa_fuzz::{check_scenario, Scratch};
use zopa_tournament::{Plan, Tournament};

static SCENARIO: &[u8] = include_bytes!("../seeds/native/market.toml");
static SCRATCH: OnceLock<Scratch> = OnceLock::new();

fuzz_target!(|data: &[u8]| {
    let scratch = SCRATCH.get_or_init(|| Scratch::new("tournament_toml", "case"));
    let dir = scratch.fill(&[("tournament.toml", data), ("s.toml", SCENARIO)]);
    let Ok(t) = Tournament::load(&dir.join("tournament.toml")) else { return };
    let stays_inside = t.scenarios.iter().all(|p| {
        let p = std::path::Path::new(p);
        !p.is_absolute() && !p.components().any(|c| matches!(c, std::path::Component::ParentDir))
            && !p.to_string_lossy().contains("**")
    });
    if !stays_inside {
        return;
    }
    let Ok(plan) = Plan::new(&t, dir) else { return };
    // Plans are computed job by job (a plan may number up to 2^63 jobs): look at the first
    // thousand and at a few far ones, never at the whole list.
    let n = plan.len();
    let far = [n / 2, n.saturating_sub(1)];
    let picks = (0..n.min(1000)).chain(far.into_iter().filter(|&i| i < n));
    for i in picks {
        let job = plan.job(i);
        assert_eq!(job.index, i, "job {job:?} at position {i}");
        assert!(job.scenario < plan.scenarios.len(), "job {job:?} names no scenario");
        assert_eq!(plan.scenario_of(i), job.scenario, "job {job:?}");
        assert!(job.repetition < t.repetitions, "job {job:?}");
    }
    let mut ids = std::collections::HashSet::new();
    for job in plan.iter_jobs().take(1000) {
        assert!(ids.insert(job.id.clone()), "two jobs share the id {}", job.id);
    }
    for p in plan.scenarios.iter().take(3) {
        if let Ok(s) = load(p, &ReadOptions::genius()) {
            check_scenario(&s);
        }
    }
});
