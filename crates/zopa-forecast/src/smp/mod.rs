//! KTAB's Spatial Model of Politics with every option its XML names. Positions and saliences
//! are on [0, 1] (file values / 100). Every step follows `../shared/notes/forecasting.md` §1.2
//! and KTAB's `kmodel.cpp`, `smp.cpp` and `smpbcn.cpp`, epsilons and quirks included, so runs
//! reproduce KTAB's logs.

mod options;
mod pce;
mod prng;
mod state;

pub use options::{
    BargnModel, BigRAdjust, BigRRange, InterVecBrgn, Options, PceModel, ThirdPartyCommit,
    VictoryProbModel, VotingRule,
};
pub use pce::{pce, utility};
pub use prng::KtabPrng;
pub use state::{Pair, Views};

use state::{distance, State};

/// A stakeholder.
#[derive(Debug, Clone, PartialEq)]
pub struct Actor {
    pub name: String,
    pub capability: f64,
    /// Position per dimension, in [0, 1].
    pub position: Vec<f64>,
    /// Salience per dimension, in [0, 1], summing to at most 1.
    pub salience: Vec<f64>,
}

impl Actor {
    /// What KTAB requires of an actor (`Model::vote` refuses a non-positive weight; `probEduChlg`
    /// asserts 0 < Σ salience ≤ 1): a positive capability, positions in [0, 1] and
    /// saliences ≥ 0 summing to more than 0 and at most 1 (0–100 in the files).
    pub fn check(&self) -> Result<(), String> {
        let total: f64 = self.salience.iter().sum();
        if !(self.capability.is_finite() && self.capability > 0.0) {
            return Err(format!(
                "actor `{}`: capability {} must be a positive number",
                self.name, self.capability
            ));
        }
        if let Some(x) = self.position.iter().find(|x| !(0.0..=1.0).contains(*x)) {
            return Err(format!(
                "actor `{}`: position {} is outside 0–100",
                self.name,
                x * 100.0
            ));
        }
        if self.salience.iter().any(|s| !(s.is_finite() && *s >= 0.0)) {
            return Err(format!("actor `{}`: saliences must be ≥ 0", self.name));
        }
        if !(total > 0.0 && total <= 1.0 + 1e-9) {
            return Err(format!(
                "actor `{}`: saliences sum to {:.4} (on 0–100: {:.2}); they must be above 0 and at most 100",
                self.name,
                total,
                total * 100.0
            ));
        }
        Ok(())
    }
}

/// An actor's best challenge in a turn, with everything KTAB's log prints about it.
#[derive(Debug, Clone, PartialEq)]
pub struct Challenge {
    pub target: usize,
    /// The challenger's estimate that it wins.
    pub probability: f64,
    /// The challenger's expected gain.
    pub gain: f64,
    /// The target's estimates of the same: (probability the challenger wins, its gain).
    pub target_view: (f64, f64),
    /// The bargains formed from each view.
    pub bargains: Views,
}

/// Which of a challenge's bargains a proposal is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    Initiator,
    Receiver,
    Compromise,
}

/// A bargain on the queues of its initiator and receiver.
#[derive(Debug, Clone, PartialEq)]
pub struct Proposal {
    pub initiator: usize,
    pub receiver: usize,
    pub view: View,
    /// The positions the initiator and the receiver would adopt.
    pub positions: Pair,
}

/// One turn's state and what happened in it.
#[derive(Debug, Clone, PartialEq)]
pub struct Turn {
    /// Positions at the start of the turn (turn 0: the inputs).
    pub positions: Vec<Vec<f64>>,
    /// Ideal points at the start of the turn (equal to the positions unless ideals accommodate).
    pub ideals: Vec<Vec<f64>>,
    /// Risk attitudes inferred at this state.
    pub risk: Vec<f64>,
    /// KTAB's reported probability of each actor's position (over unique positions).
    pub prob: Vec<f64>,
    /// Each actor's best challenge, if its expected gain exceeds 1e−5.
    pub challenges: Vec<Option<Challenge>>,
    /// The bargains proposed this turn, in the order they were formed.
    pub proposals: Vec<Proposal>,
    /// Per actor, the proposal its queue adopted (`None`: its status quo).
    pub adopted: Vec<Option<usize>>,
}

/// A whole run.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    pub turns: Vec<Turn>,
    /// Final positions.
    pub positions: Vec<Vec<f64>>,
    /// "Fractional change compared to first step" after each turn.
    pub fractional_changes: Vec<f64>,
}

/// Runs the model with KTAB's default options until its stopping rule (or `max_turns`).
pub fn run(actors: &[Actor], max_turns: usize) -> Run {
    run_with(actors, max_turns, Options::default())
}

/// Runs the model with the given options until KTAB's stopping rule (or `max_turns`).
pub fn run_with(actors: &[Actor], max_turns: usize, o: Options) -> Run {
    run_accommodating(actors, max_turns, o, None)
}

/// Like [`run_with`], with KTAB's ideal-accommodation matrix A (`<IdealAdjustment>`): after
/// each turn ideal_i ← Σ_j A_ij·x_j(new) + (1 − min(1, Σ_j A_ij))·ideal_i(old). `None` is the
/// identity: ideals follow positions.
pub fn run_accommodating(
    actors: &[Actor],
    max_turns: usize,
    o: Options,
    accommodation: Option<&[Vec<f64>]>,
) -> Run {
    let n = actors.len();
    let mut state = State::new(actors, o);
    let mut turns = Vec::new();
    let mut changes = Vec::new();
    let mut first_move = None;
    let mut rng = o.stochastic.map(KtabPrng::new);
    for turn in 0..max_turns {
        let mut record = step(&state, rng.as_mut());
        let next: Vec<Vec<f64>> = (0..n)
            .map(|a| match record.adopted[a] {
                None => state.x[a].clone(),
                Some(b) => {
                    let p = &record.proposals[b];
                    if p.initiator == a {
                        p.positions.0.clone()
                    } else {
                        p.positions.1.clone()
                    }
                }
            })
            .collect();
        let moved: f64 = next
            .iter()
            .zip(&state.x)
            .map(|(a, b)| {
                a.iter()
                    .zip(b)
                    .map(|(p, q)| (p - q) * (p - q))
                    .sum::<f64>()
                    .sqrt()
            })
            .sum();
        record.positions = std::mem::replace(&mut state.x, next);
        turns.push(record);
        state.ideal = match accommodation {
            None => state.x.clone(),
            Some(a) => (0..n)
                .map(|i| {
                    let total: f64 = a[i].iter().sum::<f64>().min(1.0);
                    (0..state.x[i].len())
                        .map(|k| {
                            (0..n).map(|j| a[i][j] * state.x[j][k]).sum::<f64>()
                                + (1.0 - total) * state.ideal[i][k]
                        })
                        .collect()
                })
                .collect(),
        };
        let first = *first_move.get_or_insert(moved);
        let change = moved / (first + 1e-4);
        changes.push(change);
        if turn >= 1 && change < 0.02 {
            break;
        }
    }
    // The state after the last turn, for the position history and the reported probabilities.
    let d = state.distances();
    let r = state.risk(&d);
    let prob = state.reported_prob(&d, &r);
    turns.push(Turn {
        positions: state.x.clone(),
        ideals: state.ideal.clone(),
        risk: r,
        prob,
        challenges: vec![None; n],
        proposals: Vec::new(),
        adopted: vec![None; n],
    });
    Run {
        positions: state.x,
        turns,
        fractional_changes: changes,
    }
}

/// One turn (`doBCN`): challenges, bargains, and each actor's queue resolved by a PCE.
fn step(state: &State, rng: Option<&mut KtabPrng>) -> Turn {
    let n = state.n();
    let d = state.distances();
    let r = state.risk(&d);
    let prob = state.reported_prob(&d, &r);
    // Each actor's estimates and best target are independent of the others': computed in
    // parallel, combined in actor order, so results do not depend on the thread count.
    use rayon::prelude::*;
    let estimates: Vec<Vec<Vec<f64>>> = (0..n)
        .into_par_iter()
        .map(|h| state.estimate(h, &d, &r))
        .collect();
    let targets: Vec<Option<(usize, f64, f64)>> = (0..n)
        .into_par_iter()
        .map(|i| {
            let mut best: Option<(usize, f64, f64)> = None;
            for j in (0..n).filter(|&j| j != i) {
                let (p, gain) = state.challenge(i, j, &estimates[i]);
                if gain > 1e-5 && best.is_none_or(|b| gain > b.2) {
                    best = Some((j, p, gain));
                }
            }
            best
        })
        .collect();
    let mut challenges = vec![None; n];
    let mut proposals: Vec<Proposal> = Vec::new();
    // Each queue holds the actor's status quo (first, as in KTAB's logs), then every proposal
    // naming it.
    let mut queues: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, target) in targets.into_iter().enumerate() {
        let Some((j, p, gain)) = target else { continue };
        let target_view = state.challenge(i, j, &estimates[j]);
        let bargains = state.bargains(i, j, p, target_view.1);
        for (view, positions) in bargains.proposed(state.o.bargain_model) {
            queues[i].push(proposals.len());
            queues[j].push(proposals.len());
            proposals.push(Proposal {
                initiator: i,
                receiver: j,
                view,
                positions: positions.clone(),
            });
        }
        challenges[i] = Some(Challenge {
            target: j,
            probability: p,
            gain,
            target_view,
            bargains,
        });
    }
    let adopted = resolve(state, &r, &estimates, &proposals, &queues, rng);
    Turn {
        positions: state.x.clone(),
        ideals: state.ideal.clone(),
        risk: r,
        prob,
        challenges,
        proposals,
        adopted,
    }
}

/// Resolves each actor's queue: every actor values the state each bargain would bring (its
/// status quo included) as the mean utility of all positions, and a capability-weighted PCE
/// picks the winner (the most probable, or a draw when transitions are stochastic).
fn resolve(
    state: &State,
    r: &[f64],
    estimates: &[Vec<Vec<f64>>],
    proposals: &[Proposal],
    queues: &[Vec<usize>],
    mut rng: Option<&mut KtabPrng>,
) -> Vec<Option<usize>> {
    let n = state.n();
    // KTAB values a bargain's new positions from the voter's current position (`posUtil`),
    // and unchanged positions from its ideal (`aUtil`); the two agree unless ideals
    // accommodate.
    let pos_util = |v: usize, pos: &[f64]| {
        utility(
            distance(&state.x[v], &state.actors[v].salience, pos),
            state.perceived_risk(v, v, r),
        )
    };
    // Each voter values its status quo and every proposal once; a proposal sits on two queues.
    let status_quo: Vec<f64> = (0..n)
        .map(|v| estimates[v][v].iter().sum::<f64>() / n as f64)
        .collect();
    let proposal_value: Vec<Vec<f64>> = (0..n)
        .map(|v| {
            let own = &estimates[v][v];
            proposals
                .iter()
                .map(|p| {
                    let (i, j) = (p.initiator, p.receiver);
                    let mut u = pos_util(v, &p.positions.0) + pos_util(v, &p.positions.1);
                    for (m, x) in own.iter().enumerate() {
                        if m != i && m != j {
                            u += x;
                        }
                    }
                    u / n as f64
                })
                .collect()
        })
        .collect();
    let caps = state.capabilities();
    let mut adopted = vec![None; n];
    for (a, queue) in queues.iter().enumerate() {
        if queue.is_empty() {
            continue;
        }
        let value: Vec<Vec<f64>> = (0..n)
            .map(|v| {
                let mut row = vec![status_quo[v]];
                row.extend(queue.iter().map(|&b| proposal_value[v][b]));
                row
            })
            .collect();
        let p = pce(&value, &caps, &state.o);
        let win = match rng.as_deref_mut() {
            None => (0..p.len()).fold(0, |b, k| if p[k].abs() > p[b].abs() { k } else { b }),
            Some(rng) => rng.select(&p),
        };
        adopted[a] = win.checked_sub(1).map(|k| queue[k]);
    }
    adopted
}
