//! Voting rules for single texts (`--voting RULE`): which sets of yes votes carry a text.
//!
//! * `unanimity` (default): every voter says yes;
//! * `majority`: more than half of the voters say yes;
//! * `qualified:K`: at least K voters say yes;
//! * `veto:K:A+B`: at least K voters say yes, every veto holder named among them — the rule
//!   of the multi-party negotiation games used to evaluate LLM agents (Abdelnabi et al. 2024).
//!
//! A voter that does not answer (it stalls, or is absent) counts as a no.

use zopa_core::Scenario;

/// A rule deciding whether a text passes.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum VotingRule {
    #[default]
    Unanimity,
    Majority,
    /// At least this many yes votes.
    Qualified(usize),
    /// At least `yes` yes votes, including every one of `holders` (scenario party indices).
    Veto {
        yes: usize,
        holders: Vec<usize>,
    },
}

impl VotingRule {
    /// The forms `--voting` accepts, for messages.
    pub const FORMS: &'static str = "unanimity, majority, qualified:K or veto:K:PARTY+PARTY";

    /// Reads `unanimity`, `majority`, `qualified:K`, `veto:K:A+B` (party names as in the
    /// scenario).
    pub fn parse(text: &str, scenario: &Scenario) -> Result<VotingRule, String> {
        let text = text.trim();
        let count = |k: &str| {
            k.trim()
                .parse::<usize>()
                .ok()
                .filter(|&k| k >= 1)
                .ok_or_else(|| {
                    format!(
                        "--voting `{text}`: `{k}` is not a number of votes ≥ 1; use {}",
                        VotingRule::FORMS
                    )
                })
        };
        match text.split_once(':') {
            None if text == "unanimity" => Ok(VotingRule::Unanimity),
            None if text == "majority" => Ok(VotingRule::Majority),
            Some(("qualified", k)) => Ok(VotingRule::Qualified(count(k)?)),
            Some(("veto", rest)) => {
                let (k, names) = rest.split_once(':').ok_or_else(|| {
                    format!(
                        "--voting `{text}`: name the veto holders after the count, e.g. veto:3:Europe+Ukraine"
                    )
                })?;
                let mut holders = Vec::new();
                for name in names.split('+') {
                    let name = name.trim();
                    let p = scenario.party_index(name).ok_or_else(|| {
                        let known: Vec<&str> =
                            scenario.parties.iter().map(|p| p.name.as_str()).collect();
                        format!(
                            "--voting `{text}`: no party named `{name}`; the parties are: {}",
                            known.join(", ")
                        )
                    })?;
                    if !holders.contains(&p) {
                        holders.push(p);
                    }
                }
                Ok(VotingRule::Veto {
                    yes: count(k)?,
                    holders,
                })
            }
            _ => Err(format!(
                "unknown voting rule `{text}`; use {}",
                VotingRule::FORMS
            )),
        }
    }

    /// The rule as `--voting` writes it.
    pub fn label(&self, scenario: &Scenario) -> String {
        match self {
            VotingRule::Unanimity => "unanimity".into(),
            VotingRule::Majority => "majority".into(),
            VotingRule::Qualified(k) => format!("qualified:{k}"),
            VotingRule::Veto { yes, holders } => {
                let names: Vec<&str> = holders
                    .iter()
                    .map(|&p| scenario.parties[p].name.as_str())
                    .collect();
                format!("veto:{yes}:{}", names.join("+"))
            }
        }
    }

    /// Can this rule ever pass with these voters (scenario indices)? An error says why not.
    pub fn check(&self, voters: &[usize], scenario: &Scenario) -> Result<(), String> {
        let needed = match self {
            VotingRule::Qualified(k) | VotingRule::Veto { yes: k, .. } => *k,
            _ => 0,
        };
        if needed > voters.len() {
            return Err(format!(
                "--voting {} needs {needed} yes votes but only {} parties vote; lower the count or seat more voters",
                self.label(scenario),
                voters.len()
            ));
        }
        if let VotingRule::Veto { holders, .. } = self {
            for &h in holders {
                if !voters.contains(&h) {
                    return Err(format!(
                        "--voting {}: veto holder `{}` has no vote; seat it with --parties",
                        self.label(scenario),
                        scenario.parties[h].name
                    ));
                }
            }
        }
        Ok(())
    }

    /// Does a text carry with these votes (`(party, yes)`, one per voter)?
    pub fn passes(&self, votes: &[(usize, bool)]) -> bool {
        let yes = votes.iter().filter(|(_, v)| *v).count();
        match self {
            VotingRule::Unanimity => !votes.is_empty() && yes == votes.len(),
            VotingRule::Majority => 2 * yes > votes.len(),
            VotingRule::Qualified(k) => yes >= *k,
            VotingRule::Veto { yes: k, holders } => {
                yes >= *k
                    && holders
                        .iter()
                        .all(|h| votes.iter().any(|(p, v)| p == h && *v))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use zopa_core::{AdditiveUtility, Evaluator, Issue, Party, Role, UtilityFunction};

    fn scenario(n: usize) -> Scenario {
        Scenario {
            ranges: zopa_core::Ranges::default(),
            name: "vote".into(),
            description: None,
            issues: vec![Issue::discrete("x", &["a", "b"])],
            parties: (0..n)
                .map(|i| Party {
                    name: format!("P{i}"),
                    role: Role::Negotiator,
                    utility: UtilityFunction::Additive(AdditiveUtility {
                        weights: vec![1.0],
                        evaluators: vec![Evaluator::Table(vec![0.0, 1.0])],
                        cap_at_one: false,
                    }),
                    reservation: None,
                    discount: None,
                    cost_per_round: None,
                    description: None,
                    capability: None,
                    salience: None,
                    red_lines: Vec::new(),
                    controls: Vec::new(),
                })
                .collect(),
            events: Vec::new(),
            notes: Vec::new(),
            calendar: None,
            texts: Vec::new(),
            exclusions: Vec::new(),
        }
    }

    /// Every assignment of yes/no to `n` voters, as (votes, yes count, bit mask).
    fn assignments(n: usize) -> impl Iterator<Item = (Vec<(usize, bool)>, usize, u32)> {
        (0..1u32 << n).map(move |mask| {
            let votes: Vec<(usize, bool)> = (0..n).map(|i| (i, mask >> i & 1 == 1)).collect();
            (votes, mask.count_ones() as usize, mask)
        })
    }

    #[test]
    fn truth_tables_of_every_rule() {
        let n = 4;
        for (votes, yes, _) in assignments(n) {
            assert_eq!(VotingRule::Unanimity.passes(&votes), yes == n);
            assert_eq!(VotingRule::Majority.passes(&votes), yes >= 3);
            for k in 1..=n {
                assert_eq!(VotingRule::Qualified(k).passes(&votes), yes >= k);
            }
        }
        // Three voters, two yes: majority carries, unanimity does not.
        let votes = [(0, true), (1, true), (2, false)];
        assert!(VotingRule::Majority.passes(&votes));
        assert!(!VotingRule::Unanimity.passes(&votes));
        // A tie is no majority.
        assert!(!VotingRule::Majority.passes(&[(0, true), (1, false)]));
        // Nobody voting carries nothing.
        assert!(!VotingRule::Unanimity.passes(&[]));
    }

    #[test]
    fn quorum_with_veto_on_a_six_party_game() {
        // The LLM negotiation games' rule: at least 5 of 6 yes, including P0 and P1.
        let s = scenario(6);
        let rule = VotingRule::parse("veto:5:P0+P1", &s).unwrap();
        assert_eq!(
            rule,
            VotingRule::Veto {
                yes: 5,
                holders: vec![0, 1]
            }
        );
        assert_eq!(rule.label(&s), "veto:5:P0+P1");
        let mut carried = 0;
        for (votes, yes, mask) in assignments(6) {
            let expected = yes >= 5 && mask & 0b11 == 0b11;
            assert_eq!(rule.passes(&votes), expected, "votes {mask:06b}");
            carried += usize::from(expected);
        }
        // All six yes, or exactly one of P2..P5 says no.
        assert_eq!(carried, 1 + 4);
        // Five yes without a veto holder fails.
        let without_p1: Vec<(usize, bool)> = (0..6).map(|i| (i, i != 1)).collect();
        assert!(!rule.passes(&without_p1));
    }

    #[test]
    fn bad_rules_are_refused_with_the_fix() {
        let s = scenario(3);
        for (text, expect) in [
            ("plurality", "unknown voting rule"),
            ("qualified:0", "not a number of votes"),
            ("qualified:x", "not a number of votes"),
            ("veto:2", "name the veto holders"),
            ("veto:2:Nobody", "no party named `Nobody`"),
        ] {
            let e = VotingRule::parse(text, &s).unwrap_err();
            assert!(e.contains(expect), "{text}: {e}");
        }
        let rule = VotingRule::parse("qualified:4", &s).unwrap();
        let e = rule.check(&[0, 1, 2], &s).unwrap_err();
        assert!(e.contains("needs 4 yes votes"), "{e}");
        let rule = VotingRule::parse("veto:2:P2", &s).unwrap();
        let e = rule.check(&[0, 1], &s).unwrap_err();
        assert!(e.contains("`P2` has no vote"), "{e}");
        assert!(rule.check(&[0, 1, 2], &s).is_ok());
    }
}
