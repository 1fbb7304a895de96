//! What a party tells the shuttle mediator about a draft: its verdict and the single-issue
//! changes it asks for, with their intensities, worked out from its own preferences only.

use zopa_core::Value;

use crate::outcomes::candidate_values;
use crate::protocols::driver::Driver;
use crate::session::Outcome;
use crate::trace::closed_set;

closed_set! {
    /// How parties critique drafts (`--critiques`).
    pub enum Candor {
        Truthful => "truthful", "report true gains; veto only below the true outside option";
        Strategic => "strategic", "report every gain doubled; veto below the stated outside option, bluffs included";
    }
}

/// A party's answer to a draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// It would sign the draft as is.
    Accept,
    /// It asks for changes.
    Object,
    /// The draft is below its outside option (or breaches a red line).
    Veto,
    /// It stalled: no answer this visit.
    Absent,
}

/// One change a party asks for.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub issue: usize,
    pub value: Value,
    /// The utility the party says it gains from this change alone.
    pub intensity: f64,
}

/// What one party told the mediator about a draft.
#[derive(Debug, Clone, PartialEq)]
pub struct Critique {
    /// Scenario index of the party.
    pub party: usize,
    pub verdict: Verdict,
    /// Changes asked for, most wanted first.
    pub changes: Vec<Change>,
}

/// Most changes one critique lists.
pub const MAX_CHANGES: usize = 3;

/// The single-issue changes of `text` a party asks for, best first: toward `wanted` when its
/// strategy named a counter-text, else the best value of each issue for it.
pub(crate) fn asked_changes(
    d: &Driver<'_, '_>,
    party: usize,
    text: &Outcome,
    wanted: Option<&Outcome>,
) -> Vec<Change> {
    let utility = &d.scenario.parties[party].utility;
    let base = utility.eval(text);
    let mut changes: Vec<Change> = Vec::new();
    let mut probe = text.clone();
    for (i, issue) in d.scenario.issues.iter().enumerate() {
        let options: Vec<Value> = match wanted {
            Some(w) if w[i] != text[i] => vec![w[i]],
            Some(_) => Vec::new(),
            None => candidate_values(issue),
        };
        let mut best: Option<Change> = None;
        for v in options {
            probe[i] = v;
            let gain = utility.eval(&probe) - base;
            if gain > 0.0 && best.as_ref().is_none_or(|b| gain > b.intensity) {
                best = Some(Change {
                    issue: i,
                    value: v,
                    intensity: gain,
                });
            }
        }
        probe[i] = text[i];
        changes.extend(best);
    }
    // Most wanted first; ties by issue order.
    changes.sort_by(|a, b| {
        b.intensity
            .total_cmp(&a.intensity)
            .then(a.issue.cmp(&b.issue))
    });
    changes.truncate(MAX_CHANGES);
    changes
}

/// The trace note of a critique.
pub(crate) fn describe(d: &Driver<'_, '_>, verdict: Verdict, changes: &[Change]) -> String {
    let head = match verdict {
        Verdict::Accept => "accepts as is",
        Verdict::Object => "asks for changes",
        Verdict::Veto => "vetoes: below its outside option",
        Verdict::Absent => "absent",
    };
    if changes.is_empty() {
        return head.into();
    }
    let asks: Vec<String> = changes
        .iter()
        .map(|c| {
            let issue = &d.scenario.issues[c.issue];
            format!(
                "{} = {} (+{:.3})",
                issue.name,
                match c.value {
                    Value::Real(x) => zopa_core::round_for_display(x).to_string(),
                    v => issue.display(v),
                },
                c.intensity
            )
        })
        .collect();
    format!("{head}: {}", asks.join(", "))
}
