//! The probabilistic Condorcet election (PCE) that every SMP step uses (`kmodel.cpp`):
//! votes build coalition strengths, strengths give pairwise victory probabilities, and those
//! give one probability per option.

use super::{Options, PceModel};

/// u(d, R) = (1 − d)(1 + dR) for d ≤ 1, (1 − d)(1 + R) beyond.
pub fn utility(d: f64, r: f64) -> f64 {
    if d <= 1.0 {
        (1.0 - d) * (1.0 + d * r)
    } else {
        (1.0 - d) * (1.0 + r)
    }
}

/// `Model::coalitions`: c[a][b] = 1e−8 + every vote for a over b. Each pair is voted once,
/// from the later option's side (a > b), and a negative vote counts in full for b — which
/// matters for the asymmetric ASymProsp rule.
pub fn coalitions(value: &[Vec<f64>], weight: &[f64], o: &Options) -> Vec<Vec<f64>> {
    let m = value.first().map_or(0, Vec::len);
    let mut c = vec![vec![0.0; m]; m];
    for a in 0..m {
        for b in 0..a {
            let (mut cab, mut cba) = (1e-8, 1e-8);
            for (v, w) in value.iter().zip(weight) {
                let vote = o.vote(*w, v[a] - v[b]);
                if vote > 0.0 {
                    cab += vote;
                }
                if vote < 0.0 {
                    cba -= vote;
                }
            }
            c[a][b] = cab;
            c[b][a] = cba;
        }
        c[a][a] = 1e-8;
    }
    c
}

/// `Model::vProb` over a coalition matrix: v[a][b] = P(a beats b), ½ on the diagonal.
fn victories(c: &[Vec<f64>], o: &Options) -> Vec<Vec<f64>> {
    let m = c.len();
    let mut v = vec![vec![0.5; m]; m];
    for a in 0..m {
        for b in 0..a {
            let (p, q) = o.victory(c[a][b], c[b][a]);
            v[a][b] = p;
            v[b][a] = q;
        }
    }
    v
}

/// Markov-chain iteration from the uniform distribution: q = step(p), p ← (p + q)/2, while the
/// largest |q − p| exceeds `tol` (KTAB asserts convergence within 1,000 steps; zopa stops at a
/// million).
fn markov(m: usize, tol: f64, step: impl Fn(&[f64]) -> Vec<f64>) -> Vec<f64> {
    let mut p = vec![1.0 / m as f64; m];
    for _ in 0..1_000_000 {
        let q = step(&p);
        let change = p
            .iter()
            .zip(&q)
            .map(|(x, y)| (x - y).abs())
            .fold(0.0, f64::max);
        for (x, y) in p.iter_mut().zip(&q) {
            *x = (*x + y) / 2.0;
        }
        if change <= tol {
            break;
        }
    }
    p
}

/// A PCE over options whose value to voter k is `value[k][a]`, voters weighted by `weight`,
/// under the model's vote rule, victory model and PCE variant.
pub fn pce(value: &[Vec<f64>], weight: &[f64], o: &Options) -> Vec<f64> {
    let c = coalitions(value, weight, o);
    let v = victories(&c, o);
    let m = c.len();
    match o.pce {
        PceModel::Conditional => {
            let p: Vec<f64> = v.iter().map(|row| row.iter().product()).collect();
            let total: f64 = p.iter().sum();
            p.iter().map(|x| x / total).collect()
        }
        PceModel::MarkovUniform => markov(m, 1e-6, |p| {
            (0..m)
                .map(|a| (0..m).map(|b| v[a][b] * (p[a] + p[b])).sum::<f64>() / m as f64)
                .collect()
        }),
        PceModel::MarkovIncentive => {
            // n[a→b] = C(a:b)·V(a,b) (+1e−10 on the diagonal); P[a→b|b] = n[a→b] / Σ_z n[z→b].
            let n: Vec<Vec<f64>> = (0..m)
                .map(|a| {
                    (0..m)
                        .map(|b| c[a][b] * v[a][b] + if a == b { 1e-10 } else { 0.0 })
                        .collect()
                })
                .collect();
            let column: Vec<f64> = (0..m).map(|b| (0..m).map(|z| n[z][b]).sum()).collect();
            let challenge = |a: usize, b: usize| n[a][b] / column[b];
            markov(m, 1e-8, |p| {
                (0..m)
                    .map(|a| {
                        (0..m)
                            .map(|b| v[a][b] * (p[a] * challenge(b, a) + p[b] * challenge(a, b)))
                            .sum()
                    })
                    .collect()
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{VictoryProbModel, VotingRule};
    use super::*;

    #[test]
    fn every_variant_gives_a_distribution_that_favours_the_condorcet_winner() {
        // Three voters, three options; option 1 is everyone's first or second choice.
        let value = vec![
            vec![1.0, 0.8, 0.1],
            vec![0.2, 0.9, 1.0],
            vec![0.5, 1.0, 0.3],
        ];
        let weight = [1.0, 1.0, 1.0];
        for pce_model in [
            PceModel::Conditional,
            PceModel::MarkovUniform,
            PceModel::MarkovIncentive,
        ] {
            for victory in [VictoryProbModel::Linear, VictoryProbModel::Binary] {
                for voting in [VotingRule::Prop, VotingRule::ASymProsp, VotingRule::Binary] {
                    let o = Options {
                        pce: pce_model,
                        victory,
                        voting,
                        ..Options::default()
                    };
                    let p = pce(&value, &weight, &o);
                    assert!((p.iter().sum::<f64>() - 1.0).abs() < 1e-6, "{o:?} {p:?}");
                    assert!(p[1] > p[0] && p[1] > p[2], "{o:?} {p:?}");
                }
            }
        }
    }

    #[test]
    fn asymmetric_votes_count_in_full_against_the_later_option() {
        let o = Options {
            voting: VotingRule::ASymProsp,
            ..Options::default()
        };
        // One voter prefers option 0 by 0.3: the vote is cast as (1 over 0) = −0.3, in full.
        let c = coalitions(&[vec![0.5, 0.2]], &[1.0], &o);
        assert!((c[0][1] - (1e-8 + 0.3)).abs() < 1e-15, "{c:?}");
        assert_eq!(c[1][0], 1e-8);
    }
}
