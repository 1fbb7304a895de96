//! The job list of a tournament. Every negotiation has a stable id (a hash of what it is:
//! scenario, strategies, roles, repetition) and a seed derived from the master seed and that
//! id, so the same file gives the same jobs and seeds on any machine, in any shard.
//!
//! The list is never built: a job is computed from its position on demand (scenario-major,
//! then pairing, then repetition), so a plan of 10^9 negotiations takes no more memory than
//! one of ten, and shards, resumes and `zopa tournament plan` walk it lazily.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

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

/// One pairing of strategies: (a, b), or its role-swapped copy.
#[derive(Debug, Clone)]
struct Pairing {
    a: String,
    b: String,
    rotated: bool,
}

/// All jobs of a tournament, in a fixed order, computed on demand.
#[derive(Debug, Clone)]
pub struct Plan {
    pub scenarios: Vec<PathBuf>,
    /// Scenario names used in ids and results: paths relative to the tournament file.
    pub scenario_keys: Vec<String>,
    /// The job list as a list, built on first use: for small plans (tests, fuzzing) that want
    /// `&Job`s. The runner and the CLI never build it; they walk [`Plan::iter_jobs`].
    pub jobs: Jobs,
    layout: Arc<Layout>,
}

/// What computes a job from its position.
#[derive(Debug)]
struct Layout {
    pairings: Vec<Pairing>,
    repetitions: u32,
    seed: u64,
    /// `|protocol|rounds`, the end of every id's text.
    suffix: String,
    /// FNV state after `scenario|a|b|rotated|`, per scenario and pairing (scenario-major):
    /// an id then costs the hashing of its repetition and the suffix only.
    prefixes: Vec<u64>,
    len: usize,
}

/// [`Plan::jobs`]: every job of the plan, materialised only when first read as a list.
#[derive(Debug, Clone)]
pub struct Jobs {
    layout: Arc<Layout>,
    list: OnceLock<Vec<Job>>,
}

impl Jobs {
    /// How many jobs (without building the list).
    pub fn len(&self) -> usize {
        self.layout.len
    }

    pub fn is_empty(&self) -> bool {
        self.layout.len == 0
    }

    /// Every job, building the list on first use (memory grows with the plan: prefer
    /// [`Plan::iter_jobs`] for plans of any size).
    pub fn iter(&self) -> std::slice::Iter<'_, Job> {
        self.list
            .get_or_init(|| (0..self.layout.len).map(|i| self.layout.job(i)).collect())
            .iter()
    }
}

impl<'a> IntoIterator for &'a Jobs {
    type Item = &'a Job;
    type IntoIter = std::slice::Iter<'a, Job>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// FNV-1a, 64 bits: stable across platforms and versions.
pub fn fnv(text: &str) -> u64 {
    fnv_more(FNV_START, text.as_bytes())
}

const FNV_START: u64 = 0xcbf2_9ce4_8422_2325;

/// Continues an FNV-1a hash over more bytes (FNV is a stream: hashing `ab` equals hashing
/// `a` and then `b`).
fn fnv_more(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The plan hash, fed one job id at a time: FNV-1a of `seed=S|` followed by every id in plan
/// order (the definition databases store, so it never changes).
#[derive(Debug, Clone)]
pub struct PlanHash(u64);

impl Plan {
    /// The seed of scenario `s`'s shared bidding orders (the samples of large hyper-rectangle
    /// spaces are drawn from it), shared by every negotiation on it: derived from the master
    /// seed and the scenario's key.
    pub fn scenario_seed(&self, s: usize) -> u64 {
        zopa_mechanisms::protocols::derive_seed(self.layout.seed, fnv(&self.scenario_keys[s]))
    }
}

impl PlanHash {
    pub fn new(seed: u64) -> PlanHash {
        PlanHash(fnv(&format!("seed={seed}|")))
    }

    pub fn add(&mut self, id: &str) {
        self.0 = fnv_more(self.0, id.as_bytes());
    }

    pub fn finish(&self) -> String {
        format!("{:016x}", self.0)
    }
}

/// Most jobs a plan may have: job positions are SQLite integers.
const MAX_JOBS: u64 = i64::MAX as u64;

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
        let mut pairings = Vec::new();
        for (i, a) in t.strategies.iter().enumerate() {
            for b in &t.strategies[i..] {
                if a == b && !t.self_play {
                    continue;
                }
                pairings.push(Pairing {
                    a: a.clone(),
                    b: b.clone(),
                    rotated: false,
                });
                if t.rotate_roles && a != b {
                    pairings.push(Pairing {
                        a: a.clone(),
                        b: b.clone(),
                        rotated: true,
                    });
                }
            }
        }
        let len = (scenarios.len() as u64)
            .checked_mul(pairings.len() as u64)
            .and_then(|n| n.checked_mul(u64::from(t.repetitions)))
            .filter(|&n| n <= MAX_JOBS)
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| {
                TournamentError::Plan(format!(
                    "{} scenarios × {} pairings × {} repetitions is more negotiations than a plan can number (at most {MAX_JOBS}); lower repetitions",
                    scenarios.len(),
                    pairings.len(),
                    t.repetitions
                ))
            })?;
        let prefixes = scenario_keys
            .iter()
            .flat_map(|key| {
                pairings
                    .iter()
                    .map(move |Pairing { a, b, rotated }| fnv(&format!("{key}|{a}|{b}|{rotated}|")))
            })
            .collect();
        let layout = Arc::new(Layout {
            pairings,
            repetitions: t.repetitions,
            seed: t.seed,
            suffix: format!("|{}|{}", t.protocol, t.rounds),
            prefixes,
            len,
        });
        Ok(Plan {
            scenarios,
            scenario_keys,
            jobs: Jobs {
                layout: Arc::clone(&layout),
                list: OnceLock::new(),
            },
            layout,
        })
    }

    /// How many negotiations the plan holds.
    pub fn len(&self) -> usize {
        self.layout.len
    }

    pub fn is_empty(&self) -> bool {
        self.layout.len == 0
    }

    /// The scenario of the job at `index`.
    pub fn scenario_of(&self, index: usize) -> usize {
        index / self.layout.per_scenario().max(1)
    }

    /// The positions of scenario `s`'s jobs.
    pub fn scenario_range(&self, s: usize) -> std::ops::Range<usize> {
        let n = self.layout.per_scenario();
        s * n..(s + 1) * n
    }

    /// The job at position `index` (< [`Plan::len`]).
    pub fn job(&self, index: usize) -> Job {
        self.layout.job(index)
    }

    /// Every job, in plan order, computed as it is read.
    pub fn iter_jobs(&self) -> impl Iterator<Item = Job> + '_ {
        (0..self.len()).map(|i| self.layout.job(i))
    }

    /// The positions of shard `i` of `n` (0 ≤ i < n): every n-th job starting at i.
    pub fn shard_indices(&self, i: usize, n: usize) -> impl Iterator<Item = usize> {
        (i..self.len()).step_by(n.max(1))
    }

    /// The jobs of shard `i` of `n` (0 ≤ i < n): every n-th job starting at i.
    pub fn shard(&self, i: usize, n: usize) -> impl Iterator<Item = Job> + '_ {
        self.shard_indices(i, n).map(|j| self.layout.job(j))
    }

    /// How many jobs of `range` belong to shard `i` of `n`.
    pub fn shard_count(range: std::ops::Range<usize>, i: usize, n: usize) -> usize {
        let n = n.max(1);
        // Positions ≡ i (mod n) below x: ⌈(x − i) / n⌉ for x > i.
        let below = |x: usize| if x > i { (x - i).div_ceil(n) } else { 0 };
        below(range.end) - below(range.start)
    }

    /// Identifies the plan: shards of one tournament share it. Reads every job id once
    /// (time grows with the plan, memory does not).
    pub fn hash(&self) -> String {
        let mut h = PlanHash::new(self.layout.seed);
        for index in 0..self.len() {
            h.0 = fnv_more(h.0, &self.layout.id_digits(index));
        }
        h.finish()
    }

    /// A fresh plan hash to feed ids to while walking the jobs (see [`Plan::hash`]).
    pub fn hasher(&self) -> PlanHash {
        PlanHash::new(self.layout.seed)
    }
}

impl Layout {
    /// Jobs per scenario (every pairing, every repetition).
    fn per_scenario(&self) -> usize {
        self.pairings.len() * self.repetitions as usize
    }

    /// The id of the job at `index`, as 16 hex digits: FNV-1a of
    /// `scenario|a|b|rotated|repetition|protocol|rounds`, without allocating.
    fn id_digits(&self, index: usize) -> [u8; 16] {
        let reps = self.repetitions as usize;
        let mut h = self.prefixes[index / reps];
        let mut digits = [0u8; 10];
        let mut rep = index % reps;
        let mut at = digits.len();
        loop {
            at -= 1;
            digits[at] = b'0' + (rep % 10) as u8;
            rep /= 10;
            if rep == 0 {
                break;
            }
        }
        h = fnv_more(h, &digits[at..]);
        h = fnv_more(h, self.suffix.as_bytes());
        let mut hex = [0u8; 16];
        for (k, d) in hex.iter_mut().enumerate() {
            *d = b"0123456789abcdef"[(h >> (60 - 4 * k)) as usize & 0xf];
        }
        hex
    }

    fn job(&self, index: usize) -> Job {
        assert!(index < self.len, "job {index} of a plan of {}", self.len);
        let reps = self.repetitions as usize;
        let scenario = index / self.per_scenario();
        let pairing = &self.pairings[index / reps % self.pairings.len()];
        let repetition = (index % reps) as u32;
        let Pairing { a, b, rotated } = pairing;
        let id = String::from_utf8(self.id_digits(index).to_vec()).expect("hex digits");
        let seed = zopa_mechanisms::protocols::derive_seed(self.seed, fnv(&id));
        let (first, second) = if *rotated {
            (b.clone(), a.clone())
        } else {
            (a.clone(), b.clone())
        };
        Job {
            index,
            id,
            scenario,
            first,
            second,
            a: a.clone(),
            b: b.clone(),
            rotated: *rotated,
            repetition,
            seed,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tournament(repetitions: u32) -> Tournament {
        Tournament {
            seed: 5,
            repetitions,
            rotate_roles: true,
            self_play: true,
            protocol: "sao".into(),
            rounds: 10,
            scenarios: vec!["a".into(), "b".into()],
            strategies: vec!["boulware".into(), "linear".into(), "micro".into()],
            store_traces: false,
        }
    }

    fn plan(repetitions: u32) -> Plan {
        let dir = std::env::temp_dir().join(format!("zopa-plan-{}", std::process::id()));
        for s in ["a", "b"] {
            std::fs::create_dir_all(dir.join(s)).unwrap();
        }
        Plan::new(&tournament(repetitions), &dir).unwrap()
    }

    /// The list as the eager planner built it (ids, order and hash are a stored contract).
    fn eager(t: &Tournament, keys: &[&str]) -> (Vec<(String, u64, String, String)>, String) {
        let mut jobs = Vec::new();
        for key in keys {
            for (i, a) in t.strategies.iter().enumerate() {
                for b in &t.strategies[i..] {
                    let mut pairs = Vec::new();
                    if a != b || t.self_play {
                        pairs.push(false);
                        if t.rotate_roles && a != b {
                            pairs.push(true);
                        }
                    }
                    for rotated in pairs {
                        for repetition in 0..t.repetitions {
                            let id = format!(
                                "{:016x}",
                                fnv(&format!(
                                    "{key}|{a}|{b}|{rotated}|{repetition}|{}|{}",
                                    t.protocol, t.rounds
                                ))
                            );
                            let seed = zopa_mechanisms::protocols::derive_seed(t.seed, fnv(&id));
                            let (f, s) = if rotated { (b, a) } else { (a, b) };
                            jobs.push((id, seed, f.clone(), s.clone()));
                        }
                    }
                }
            }
        }
        let mut all = format!("seed={}|", t.seed);
        for j in &jobs {
            all.push_str(&j.0);
        }
        (jobs, format!("{:016x}", fnv(&all)))
    }

    #[test]
    fn lazy_jobs_equal_the_eager_list_and_hash() {
        let p = plan(3);
        let (jobs, hash) = eager(&tournament(3), &["a", "b"]);
        assert_eq!(p.len(), jobs.len());
        for (j, (id, seed, first, second)) in p.iter_jobs().zip(&jobs) {
            assert_eq!(
                (&j.id, j.seed, &j.first, &j.second),
                (id, *seed, first, second)
            );
            assert_eq!(j.scenario, p.scenario_of(j.index));
        }
        assert_eq!(p.hash(), hash);
        assert_eq!(
            p.jobs.iter().cloned().collect::<Vec<_>>(),
            p.iter_jobs().collect::<Vec<_>>()
        );
    }

    #[test]
    fn shards_split_the_plan_and_count_arithmetically() {
        let p = plan(2);
        for n in 1..5 {
            let mut all: Vec<usize> = (0..n).flat_map(|i| p.shard_indices(i, n)).collect();
            all.sort_unstable();
            assert_eq!(all, (0..p.len()).collect::<Vec<_>>());
            for i in 0..n {
                for s in 0..2 {
                    let r = p.scenario_range(s);
                    let counted = p.shard_indices(i, n).filter(|j| r.contains(j)).count();
                    assert_eq!(Plan::shard_count(r, i, n), counted);
                }
            }
        }
    }

    #[test]
    fn a_billion_repetitions_plan_in_constant_memory() {
        // 2 scenarios × 9 pairings × 10^9: nothing is built, any job is at hand.
        let p = plan(1_000_000_000);
        assert_eq!(p.len(), 18_000_000_000);
        let last = p.job(p.len() - 1);
        assert_eq!((last.scenario, last.repetition), (1, 999_999_999));
        assert_eq!(p.shard(3, 7).nth(2).unwrap().index, 17);
    }
}
