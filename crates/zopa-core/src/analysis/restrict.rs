//! The restrictions of an analysis (red lines, controlled issues, exclusions: see
//! `crate::restriction`) laid out on the grid, for every method.
//!
//! A red line or a control line tests one issue, so it only removes levels of that issue
//! ([`Plan::allowed`]); so does an exclusion whose conditions all name one issue. An exclusion
//! over several issues (a *joint* exclusion) couples them: whether a prefix (values for the
//! first k issues) can be completed admissibly depends on which joint exclusions it still
//! matches. A pass over the issues in order therefore carries, with each prefix, the set of
//! joint exclusions it has *armed*: started (their first issue decided), not finished (their
//! last issue still to come), every condition decided so far holding. Two prefixes armed
//! alike have the same admissible completions, so they can be compared (a Pareto filter, a
//! count) as if unrestricted; prefixes armed differently are kept apart. An option that
//! completes an armed exclusion is dropped. The sets of one step are the *branches*; their
//! number is bounded ([`super::AnalysisConfig::max_branches`]).

use std::collections::HashMap;

use num_bigint::BigUint;

use super::space::Grid;
use crate::restriction::Restriction;
use crate::scenario::Scenario;

/// Joint exclusions a prefix has armed, ascending (indices into [`Plan::joint`]).
pub(crate) type Armed = Vec<u32>;

/// An exclusion over two issues or more.
pub(crate) struct Joint {
    /// Index into [`Plan::restrictions`].
    pub restriction: usize,
    /// The issues it names, ascending.
    pub issues: Vec<usize>,
    /// Per issue of `issues`, per level: do the exclusion's conditions on that issue hold?
    pub holds: Vec<Vec<bool>>,
}

/// The restrictions of one analysis on one grid.
pub(crate) struct Plan {
    /// In force, in the order of [`Scenario::restrictions`].
    pub restrictions: Vec<Restriction>,
    /// Per restriction, how many grid outcomes it rules out on its own.
    pub rules_out: Vec<BigUint>,
    /// Per issue, the levels the single-issue restrictions leave; `None`: every level.
    pub allowed: Vec<Option<Vec<bool>>>,
    pub joint: Vec<Joint>,
    /// Per issue, the joint exclusions naming it and the issue's place among their issues.
    touching: Vec<Vec<(u32, usize)>>,
}

/// Options of one issue that move a prefix alike: the signature (per joint exclusion naming
/// the issue, whether its conditions there hold) and the levels, ascending.
pub(crate) struct Group {
    pub signature: Vec<bool>,
    pub levels: Vec<u32>,
}

/// More branches at one issue than allowed: the issue and the branches it would take.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TooManyBranches {
    pub issue: usize,
    pub branches: usize,
}

impl Plan {
    /// No restriction at all.
    pub fn free(grid: &Grid) -> Plan {
        Plan {
            restrictions: Vec::new(),
            rules_out: Vec::new(),
            allowed: vec![None; grid.values.len()],
            joint: Vec::new(),
            touching: vec![Vec::new(); grid.values.len()],
        }
    }

    /// The restrictions of an agreement among `parties` ([`Scenario::restrictions`]) on
    /// `grid`.
    pub fn new(scenario: &Scenario, grid: &Grid, parties: &[usize]) -> Plan {
        let mut plan = Plan::free(grid);
        let issues = &scenario.issues;
        let sizes: Vec<BigUint> = grid.values.iter().map(|v| BigUint::from(v.len())).collect();
        let total: BigUint = sizes.iter().product();
        // Outcomes with every named issue at a level `hit` marks.
        let count = |hits: &[(usize, &Vec<bool>)]| -> BigUint {
            let mut n = total.clone();
            for &(i, hit) in hits {
                n /= &sizes[i];
                n *= BigUint::from(hit.iter().filter(|&&h| h).count());
            }
            n
        };
        let forbid = |plan: &mut Plan, issue: usize, breach: &[bool]| {
            let allowed = plan.allowed[issue].get_or_insert_with(|| vec![true; breach.len()]);
            for (a, &b) in allowed.iter_mut().zip(breach) {
                *a &= !b;
            }
        };
        for r in scenario.restrictions(parties) {
            let k = plan.restrictions.len();
            plan.restrictions.push(r);
            match r {
                Restriction::RedLine { .. } | Restriction::Control { .. } => {
                    // (`Scenario::validate` rules out a line on an issue the scenario lacks.)
                    let Some(c) = r.line(scenario).filter(|c| c.issue < grid.values.len()) else {
                        plan.rules_out.push(BigUint::ZERO);
                        continue;
                    };
                    let breach: Vec<bool> = grid.values[c.issue]
                        .iter()
                        .map(|&v| !c.test.passes(&issues[c.issue], v))
                        .collect();
                    plan.rules_out.push(count(&[(c.issue, &breach)]));
                    forbid(&mut plan, c.issue, &breach);
                }
                Restriction::Exclusion(e) => {
                    let e = &scenario.exclusions[e];
                    let named = e.issues();
                    if named.last().is_some_and(|&i| i >= grid.values.len()) || named.is_empty() {
                        plan.rules_out.push(BigUint::ZERO);
                        continue;
                    }
                    let holds: Vec<Vec<bool>> = named
                        .iter()
                        .map(|&i| {
                            grid.values[i]
                                .iter()
                                .map(|&v| {
                                    e.when
                                        .iter()
                                        .filter(|c| c.issue == i)
                                        .all(|c| c.test.passes(&issues[i], v))
                                })
                                .collect()
                        })
                        .collect();
                    let hits: Vec<(usize, &Vec<bool>)> =
                        named.iter().copied().zip(holds.iter()).collect();
                    plan.rules_out.push(count(&hits));
                    if let [issue] = named.as_slice() {
                        forbid(&mut plan, *issue, &holds[0]);
                    } else {
                        let j = plan.joint.len() as u32;
                        for (place, &i) in named.iter().enumerate() {
                            plan.touching[i].push((j, place));
                        }
                        plan.joint.push(Joint {
                            restriction: k,
                            issues: named,
                            holds,
                        });
                    }
                }
            }
        }
        plan
    }

    /// Nothing is restricted.
    pub fn is_free(&self) -> bool {
        self.joint.is_empty() && self.allowed.iter().all(Option::is_none)
    }

    /// Does the outcome at `levels` meet every restriction?
    pub fn admissible(&self, levels: &[u32]) -> bool {
        self.allowed
            .iter()
            .zip(levels)
            .all(|(a, &l)| a.as_ref().is_none_or(|a| a[l as usize]))
            && !self.joint.iter().any(|j| {
                j.issues
                    .iter()
                    .zip(&j.holds)
                    .all(|(&i, h)| h[levels[i] as usize])
            })
    }

    /// The allowed levels of `issue` (which has `levels` of them), grouped by signature; the
    /// groups in the order of their first level.
    pub fn groups(&self, issue: usize, levels: usize) -> Vec<Group> {
        let allowed = |l: usize| self.allowed[issue].as_ref().is_none_or(|a| a[l]);
        let touching = &self.touching[issue];
        if touching.is_empty() {
            return vec![Group {
                signature: Vec::new(),
                levels: (0..levels)
                    .filter(|&l| allowed(l))
                    .map(|l| l as u32)
                    .collect(),
            }];
        }
        let mut groups: Vec<Group> = Vec::new();
        let mut index: HashMap<Vec<bool>, usize> = HashMap::new();
        for l in (0..levels).filter(|&l| allowed(l)) {
            let signature: Vec<bool> = touching
                .iter()
                .map(|&(j, place)| self.joint[j as usize].holds[place][l])
                .collect();
            let g = *index.entry(signature.clone()).or_insert_with(|| {
                groups.push(Group {
                    signature,
                    levels: Vec::new(),
                });
                groups.len() - 1
            });
            groups[g].levels.push(l as u32);
        }
        groups
    }

    /// The armed set after `issue` of a prefix armed `before` that takes an option of
    /// `signature` at `issue`; `None` when the option completes an armed exclusion.
    pub fn step(&self, issue: usize, before: &[u32], signature: &[bool]) -> Option<Armed> {
        let touching = &self.touching[issue];
        let mut after: Armed = before
            .iter()
            .copied()
            .filter(|j| !touching.iter().any(|t| t.0 == *j))
            .collect();
        for (&(j, place), &holds) in touching.iter().zip(signature) {
            let joint = &self.joint[j as usize];
            let armed = place == 0 || before.contains(&j);
            if armed && holds {
                if place + 1 == joint.issues.len() {
                    return None;
                }
                after.push(j);
            }
        }
        after.sort_unstable();
        Some(after)
    }

    /// The number of admissible outcomes of the grid, exactly; refuses more than
    /// `max_branches` branches at one issue.
    pub fn count(&self, grid: &Grid, max_branches: usize) -> Result<BigUint, TooManyBranches> {
        let mut states: Vec<(Armed, BigUint)> = vec![(Vec::new(), BigUint::from(1u32))];
        for (issue, values) in grid.values.iter().enumerate() {
            let groups = self.groups(issue, values.len());
            let mut next: HashMap<Armed, BigUint> = HashMap::new();
            for (armed, n) in &states {
                for g in groups.iter().filter(|g| !g.levels.is_empty()) {
                    if let Some(after) = self.step(issue, armed, &g.signature) {
                        *next.entry(after).or_default() += n * BigUint::from(g.levels.len());
                    }
                }
            }
            if next.len() > max_branches {
                return Err(TooManyBranches {
                    issue,
                    branches: next.len(),
                });
            }
            states = next.into_iter().collect();
            states.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        }
        Ok(states.into_iter().map(|(_, n)| n).sum())
    }

    /// The joint exclusions open at `issue` (started at or before it, finishing after it):
    /// the ones that make branches there, as restrictions.
    pub fn open_at(&self, issue: usize) -> Vec<Restriction> {
        self.joint
            .iter()
            .filter(|j| j.issues[0] <= issue && issue < *j.issues.last().unwrap_or(&0))
            .map(|j| self.restrictions[j.restriction])
            .collect()
    }
}
