//! The job list of a tournament. Every negotiation has a stable id (a hash of what it is:
//! scenario, strategies, roles, repetition) and a seed derived from the master seed and that
//! id, so the same file gives the same jobs and seeds on any machine, in any shard.

use std::path::{Path, PathBuf};

use crate::config::{Tournament, TournamentError};

/// One negotiation to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    /// Position in the plan (shards split on it).
    pub index: usize,
    /// Stable id: 16 hex digits.
    pub id: String,
    /// Index into [`Plan::scenarios`].
    pub scenario: usize,
    /// Strategy in the first negotiator's seat, and in the second's.
    pub first: String,
    pub second: String,
    /// Which pairing this is (a, b) and whether it is the role-swapped copy.
    pub a: String,
    pub b: String,
    pub rotated: bool,
    pub repetition: u32,
    pub seed: u64,
}

/// All jobs of a tournament, in a fixed order.
#[derive(Debug, Clone)]
pub struct Plan {
    pub scenarios: Vec<PathBuf>,
    /// Scenario names used in ids and results: paths relative to the tournament file.
    pub scenario_keys: Vec<String>,
    pub jobs: Vec<Job>,
    /// Identifies the plan: shards of one tournament share it.
    pub hash: String,
}

/// FNV-1a, 64 bits: stable across platforms and versions.
pub fn fnv(text: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in text.as_bytes() {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

impl Plan {
    pub fn new(t: &Tournament, base: &Path) -> Result<Plan, TournamentError> {
        let scenarios = t.scenario_paths(base)?;
        let scenario_keys: Vec<String> = scenarios
            .iter()
            .map(|p| {
                p.strip_prefix(base)
                    .unwrap_or(p)
                    .to_string_lossy()
                    .replace('\\', "/")
            })
            .collect();
        let mut pairs = Vec::new();
        for (i, a) in t.strategies.iter().enumerate() {
            for b in &t.strategies[i..] {
                if a == b && !t.self_play {
                    continue;
                }
                pairs.push((a.clone(), b.clone(), false));
                if t.rotate_roles && a != b {
                    pairs.push((a.clone(), b.clone(), true));
                }
            }
        }
        let mut jobs = Vec::new();
        for (s, key) in scenario_keys.iter().enumerate() {
            for (a, b, rotated) in &pairs {
                for repetition in 0..t.repetitions {
                    let id = format!(
                        "{:016x}",
                        fnv(&format!(
                            "{key}|{a}|{b}|{rotated}|{repetition}|{}|{}",
                            t.protocol, t.rounds
                        ))
                    );
                    let seed = zopa_mechanisms::protocols::derive_seed(t.seed, fnv(&id));
                    let (first, second) = if *rotated {
                        (b.clone(), a.clone())
                    } else {
                        (a.clone(), b.clone())
                    };
                    jobs.push(Job {
                        index: jobs.len(),
                        id,
                        scenario: s,
                        first,
                        second,
                        a: a.clone(),
                        b: b.clone(),
                        rotated: *rotated,
                        repetition,
                        seed,
                    });
                }
            }
        }
        let mut all = format!("seed={}|", t.seed);
        for j in &jobs {
            all.push_str(&j.id);
        }
        let hash = format!("{:016x}", fnv(&all));
        Ok(Plan {
            scenarios,
            scenario_keys,
            jobs,
            hash,
        })
    }

    /// The jobs of shard `i` of `n` (0 ≤ i < n): every n-th job starting at i.
    pub fn shard(&self, i: usize, n: usize) -> impl Iterator<Item = &Job> {
        self.jobs.iter().filter(move |j| j.index % n == i)
    }
}
