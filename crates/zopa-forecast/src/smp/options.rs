//! KTAB's SMP model options, named as in its XML `<ModelParameters>` (`kmodel.h`, `smp.h`),
//! with the vote rule and victory-probability model they select (`kmodel.cpp`).

/// KTAB's model options; `Default` is KTAB's default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Options {
    pub victory: VictoryProbModel,
    pub pce: PceModel,
    pub voting: VotingRule,
    pub big_r_range: BigRRange,
    pub big_r_adjust: BigRAdjust,
    pub third_party: ThirdPartyCommit,
    pub bargain: InterVecBrgn,
    pub bargain_model: BargnModel,
    /// `Some(seed)`: Stochastic state transitions, sampling each queue's winner from its PCE
    /// with KTAB's own generator seeded so ([`super::KtabPrng`]); `None`: Deterministic (the
    /// most probable bargain wins).
    pub stochastic: Option<u64>,
}

/// How coalition strengths become a probability of victory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VictoryProbModel {
    #[default]
    Linear,
    Square,
    Quartic,
    Octic,
    /// A coalition 10 % stronger wins (all but 1e−6); inside that margin the probability is
    /// linear in the strength ratio.
    Binary,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PceModel {
    #[default]
    Conditional,
    MarkovUniform,
    MarkovIncentive,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum VotingRule {
    #[default]
    Prop,
    Binary,
    PropBin,
    PropCbc,
    Cubic,
    ASymProsp,
}

/// How the PCE probabilities of actors' positions map onto risk attitudes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BigRRange {
    /// R ∈ [0, 1].
    Min,
    /// R ∈ [−½, 1].
    #[default]
    Mid,
    /// R ∈ [−1, 1].
    Max,
}

/// How actor h perceives actor i's risk attitude.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BigRAdjust {
    Full,
    TwoThirds,
    Half,
    #[default]
    OneThird,
    None,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ThirdPartyCommit {
    FullCommit,
    #[default]
    SemiCommit,
    NoCommit,
}

/// How a bargain interpolates each dimension between the two positions: weights s²P² (S2P2)
/// or s·P (S1P1), rounded to 4 decimals; or S2PMax, where only the side less likely to win
/// moves, by s_other²·ΔP against its own s²·(1 − ΔP), unrounded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InterVecBrgn {
    S1P1,
    #[default]
    S2P2,
    S2PMax,
}

/// Which bargains a challenge puts on the initiator's and receiver's queues (`smpbcn.cpp`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum BargnModel {
    /// The bargain interpolated from the initiator's view.
    #[default]
    InitOnlyInterp,
    /// Both the initiator's and the receiver's interpolations.
    InitRcvrInterp,
    /// One power-weighted compromise of the two.
    PWCompInterp,
}

impl Options {
    /// Parses one `<ModelParameters>` entry (also `zopa forecast --set KEY=VALUE`); unknown
    /// names are errors naming the choices.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        fn pick<T: Copy>(key: &str, value: &str, table: &[(&str, T)]) -> Result<T, String> {
            table
                .iter()
                .find(|(name, _)| name.eq_ignore_ascii_case(value))
                .map(|(_, v)| *v)
                .ok_or_else(|| {
                    let mut names: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
                    names.dedup();
                    format!("{key} `{value}` is not one of {}", names.join(", "))
                })
        }
        use VictoryProbModel as V;
        match key {
            "VictoryProbModel" => {
                self.victory = pick(
                    key,
                    value,
                    &[
                        ("Linear", V::Linear),
                        ("Square", V::Square),
                        ("Quartic", V::Quartic),
                        ("Octic", V::Octic),
                        ("Binary", V::Binary),
                    ],
                )?
            }
            "PCEModel" => {
                self.pce = pick(
                    key,
                    value,
                    &[
                        ("Conditional", PceModel::Conditional),
                        ("ConditionalPCM", PceModel::Conditional),
                        ("MarkovUniform", PceModel::MarkovUniform),
                        ("MarkovUPCM", PceModel::MarkovUniform),
                        ("MarkovPCM", PceModel::MarkovUniform),
                        ("MarkovIncentive", PceModel::MarkovIncentive),
                        ("MarkovIPCM", PceModel::MarkovIncentive),
                    ],
                )?
            }
            "VotingRule" => {
                self.voting = pick(
                    key,
                    value,
                    &[
                        ("Prop", VotingRule::Prop),
                        ("Proportional", VotingRule::Prop),
                        ("Binary", VotingRule::Binary),
                        ("PropBin", VotingRule::PropBin),
                        ("PropCbc", VotingRule::PropCbc),
                        ("Cubic", VotingRule::Cubic),
                        ("ASymProsp", VotingRule::ASymProsp),
                    ],
                )?
            }
            "BigRRange" => {
                self.big_r_range = pick(
                    key,
                    value,
                    &[
                        ("Min", BigRRange::Min),
                        ("Mid", BigRRange::Mid),
                        ("Max", BigRRange::Max),
                    ],
                )?
            }
            "BigRAdjust" => {
                self.big_r_adjust = pick(
                    key,
                    value,
                    &[
                        ("Full", BigRAdjust::Full),
                        ("FullRA", BigRAdjust::Full),
                        ("TwoThirds", BigRAdjust::TwoThirds),
                        ("TwoThirdsRA", BigRAdjust::TwoThirds),
                        ("Half", BigRAdjust::Half),
                        ("HalfRA", BigRAdjust::Half),
                        ("OneThird", BigRAdjust::OneThird),
                        ("OneThirdRA", BigRAdjust::OneThird),
                        ("None", BigRAdjust::None),
                        ("NoRA", BigRAdjust::None),
                    ],
                )?
            }
            "ThirdPartyCommit" => {
                self.third_party = pick(
                    key,
                    value,
                    &[
                        ("FullCommit", ThirdPartyCommit::FullCommit),
                        ("SemiCommit", ThirdPartyCommit::SemiCommit),
                        ("NoCommit", ThirdPartyCommit::NoCommit),
                    ],
                )?
            }
            "InterVecBrgn" => {
                self.bargain = pick(
                    key,
                    value,
                    &[
                        ("S1P1", InterVecBrgn::S1P1),
                        ("S2P2", InterVecBrgn::S2P2),
                        ("S2PMax", InterVecBrgn::S2PMax),
                    ],
                )?
            }
            "BargnModel" => {
                self.bargain_model = pick(
                    key,
                    value,
                    &[
                        ("InitOnlyInterp", BargnModel::InitOnlyInterp),
                        ("InitRcvrInterp", BargnModel::InitRcvrInterp),
                        ("PWCompInterp", BargnModel::PWCompInterp),
                    ],
                )?
            }
            "StateTransitions" => {
                let stochastic = pick(
                    key,
                    value,
                    &[("Deterministic", false), ("Stochastic", true)],
                )?;
                self.stochastic = stochastic.then(|| self.stochastic.unwrap_or(0));
            }
            _ => {
                return Err(format!(
                    "unknown model parameter `{key}`; known: VictoryProbModel, PCEModel, \
                     VotingRule, BigRRange, BigRAdjust, ThirdPartyCommit, InterVecBrgn, \
                     BargnModel, StateTransitions"
                ))
            }
        }
        Ok(())
    }

    /// Every option as KTAB's XML names it, with its value here.
    pub fn named(&self) -> Vec<(&'static str, String)> {
        let transitions = match self.stochastic {
            None => "Deterministic".to_string(),
            Some(seed) => format!("Stochastic (seed {seed})"),
        };
        vec![
            ("VictoryProbModel", format!("{:?}", self.victory)),
            ("PCEModel", format!("{:?}", self.pce)),
            ("VotingRule", format!("{:?}", self.voting)),
            ("BigRRange", format!("{:?}", self.big_r_range)),
            ("BigRAdjust", format!("{:?}", self.big_r_adjust)),
            ("ThirdPartyCommit", format!("{:?}", self.third_party)),
            ("InterVecBrgn", format!("{:?}", self.bargain)),
            ("BargnModel", format!("{:?}", self.bargain_model)),
            ("StateTransitions", transitions),
        ]
    }

    /// `Model::vote`: the vote of weight `w` for option a over b when a is worth `du` more.
    pub fn vote(&self, w: f64, du: f64) -> f64 {
        // Computed only where a rule needs it: the division costs in the challenge loop.
        let bin = || (du / 1e-8).clamp(-1.0, 1.0);
        match self.voting {
            VotingRule::Prop => w * du,
            VotingRule::Binary => w * bin(),
            VotingRule::PropBin => w * (0.8 * du + 0.2 * bin()),
            VotingRule::PropCbc => w * (0.5 * du + 0.5 * (du * du * du)),
            VotingRule::Cubic => w * (du * du * du),
            VotingRule::ASymProsp => {
                if du < 0.0 {
                    w * du
                } else if du > 0.0 {
                    (2.0 * w * du) / 3.0
                } else {
                    0.0
                }
            }
        }
    }

    /// `Model::vProb`: the probabilities that a beats b and b beats a, from the strengths of
    /// the coalitions for a (`cab`) and for b (`cba`).
    pub fn victory(&self, cab: f64, cba: f64) -> (f64, f64) {
        let sqr = |x: f64| x * x;
        let (x1, x2) = match self.victory {
            VictoryProbModel::Linear => (cab, cba),
            VictoryProbModel::Square => (sqr(cab), sqr(cba)),
            VictoryProbModel::Quartic => (sqr(sqr(cab)), sqr(sqr(cba))),
            VictoryProbModel::Octic => (sqr(sqr(sqr(cab))), sqr(sqr(sqr(cba)))),
            VictoryProbModel::Binary => {
                const THRESH: f64 = 1.10;
                if cab >= THRESH * cba {
                    (1.0, 1e-6)
                } else if cba >= THRESH * cab {
                    (1e-6, 1.0)
                } else {
                    // Linear in the share so that a share of t/(t+1) gives 1 and 1/(1+t) gives 0.
                    let r = cab / (cab + cba);
                    let p = (r * (THRESH + 1.0) - 1.0) / (THRESH - 1.0);
                    (p, 1.0 - p)
                }
            }
        };
        (x1 / (x1 + x2), x2 / (x1 + x2))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(victory: VictoryProbModel) -> Options {
        Options {
            victory,
            ..Options::default()
        }
    }

    #[test]
    fn a_two_to_one_coalition_wins_as_the_tutorial_says() {
        for (m, want) in [
            (VictoryProbModel::Linear, 2.0 / 3.0),
            (VictoryProbModel::Square, 4.0 / 5.0),
            (VictoryProbModel::Quartic, 16.0 / 17.0),
            (VictoryProbModel::Octic, 256.0 / 257.0),
        ] {
            let (p, q) = with(m).victory(2.0, 1.0);
            assert!(
                (p - want).abs() < 1e-12 && (p + q - 1.0).abs() < 1e-12,
                "{m:?}"
            );
        }
    }

    #[test]
    fn binary_victory_is_sure_beyond_a_ten_percent_margin_and_linear_inside() {
        let o = with(VictoryProbModel::Binary);
        assert!(o.victory(1.1, 1.0).0 > 1.0 - 1e-5);
        assert!(o.victory(1.0, 1.1).0 < 1e-5);
        assert!((o.victory(1.0, 1.0).0 - 0.5).abs() < 1e-12);
        // Half-way to the margin: share 1.05/2.05 → p = (1.05/2.05·2.1 − 1)/0.1.
        let p = o.victory(1.05, 1.0).0;
        assert!((p - (1.05 / 2.05 * 2.1 - 1.0) / 0.1).abs() < 1e-9, "{p}");
        let (a, b) = o.victory(1.03, 1.0);
        assert!((a + b - 1.0).abs() < 1e-12 && a > 0.5);
    }

    #[test]
    fn votes_follow_each_rule() {
        let o = |voting| Options {
            voting,
            ..Options::default()
        };
        assert_eq!(o(VotingRule::Prop).vote(2.0, 0.25), 0.5);
        assert_eq!(o(VotingRule::Binary).vote(2.0, 0.25), 2.0);
        assert_eq!(o(VotingRule::Binary).vote(2.0, 5e-9), 1.0);
        assert!((o(VotingRule::PropBin).vote(1.0, 0.25) - 0.4).abs() < 1e-15);
        assert!((o(VotingRule::Cubic).vote(1.0, 0.5) - 0.125).abs() < 1e-15);
        assert!((o(VotingRule::PropCbc).vote(1.0, 0.5) - 0.3125).abs() < 1e-15);
        assert_eq!(o(VotingRule::ASymProsp).vote(3.0, -0.5), -1.5);
        assert!((o(VotingRule::ASymProsp).vote(3.0, 0.5) - 1.0).abs() < 1e-15);
    }

    #[test]
    fn every_xml_spelling_parses_and_bad_ones_name_the_choices() {
        let mut o = Options::default();
        for (k, v) in [
            ("InterVecBrgn", "S2PMax"),
            ("BargnModel", "PWCompInterp"),
            ("PCEModel", "MarkovIPCM"),
            ("BigRAdjust", "NoRA"),
            ("StateTransitions", "Stochastic"),
        ] {
            o.set(k, v).unwrap();
        }
        assert_eq!(o.bargain, InterVecBrgn::S2PMax);
        assert_eq!(o.bargain_model, BargnModel::PWCompInterp);
        assert_eq!(o.stochastic, Some(0));
        let e = o.set("BargnModel", "Nash").unwrap_err();
        assert!(e.contains("InitRcvrInterp"), "{e}");
        assert!(o.set("Colour", "red").unwrap_err().contains("VotingRule"));
    }
}
