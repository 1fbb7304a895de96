//! Named texts: the real drafts of a negotiation (a 28-point plan, a 24-point counter-plan),
//! each a complete outcome that analysis can score and a protocol can open with.

use crate::calendar::{self, Date};
use crate::issue::{Issue, Value};
use crate::scenario::ScenarioError;

/// How one cell of a text (the value it gives one issue) is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Label {
    /// The draft says so, as reported by its source.
    Reported,
    /// A reported stance placed on this scenario's values: a modelling judgement.
    Mapped,
    /// No report behind it: the modeller's assumption.
    Assumption,
}

impl Label {
    /// Every label, in the order documented.
    pub const ALL: [Label; 3] = [Label::Reported, Label::Mapped, Label::Assumption];

    /// The name written in scenario files and printed: `reported`, `mapped`, `assumption`.
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Reported => "reported",
            Label::Mapped => "mapped",
            Label::Assumption => "assumption",
        }
    }

    /// The label written `s` (exactly as [`Label::as_str`] spells it).
    ///
    /// ```
    /// use zopa_core::Label;
    /// assert_eq!(Label::parse("mapped"), Some(Label::Mapped));
    /// assert_eq!(Label::parse("Mapped"), None);
    /// ```
    pub fn parse(s: &str) -> Option<Label> {
        Label::ALL.into_iter().find(|l| l.as_str() == s)
    }
}

impl std::fmt::Display for Label {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A named draft: one value for every issue, with where it comes from and how each value is
/// known. A text is always a complete outcome; a draft that leaves an issue open is not one.
#[derive(Debug, Clone, PartialEq)]
pub struct Text {
    /// Unique among the scenario's texts.
    pub name: String,
    /// When the text was put on the table; texts are compared in date order.
    pub date: Option<Date>,
    /// Where the text is reported (an outlet, a document).
    pub source: Option<String>,
    pub description: Option<String>,
    /// One value per issue, in scenario order.
    pub outcome: Vec<Value>,
    /// How each value is known, one per issue; `None` where the scenario does not say.
    pub labels: Vec<Option<Label>>,
}

impl Text {
    /// What to do about a text that leaves an issue open.
    pub const NO_OPEN_ISSUES: &'static str = "give every issue a value; a draft that leaves an \
         issue open is not a text zopa can score";

    /// Checks the text against the scenario's issues: one value per issue, each a value the
    /// issue has, one label (or none) per issue, a date that can be written.
    pub(crate) fn validate(&self, issues: &[Issue]) -> Result<(), ScenarioError> {
        let value_error = |issue: &Issue, problem: String| ScenarioError::BadTextValue {
            text: self.name.clone(),
            issue: issue.name.clone(),
            problem,
        };
        let text_error = |problem: String| ScenarioError::BadText {
            text: self.name.clone(),
            problem,
        };
        if self.outcome.len() > issues.len() {
            return Err(text_error(format!(
                "{} values for {} issues; give one value per issue",
                self.outcome.len(),
                issues.len()
            )));
        }
        if let Some(open) = issues.get(self.outcome.len()) {
            return Err(value_error(
                open,
                format!("no value; {}", Text::NO_OPEN_ISSUES),
            ));
        }
        if self.labels.len() != issues.len() {
            return Err(text_error(format!(
                "{} labels for {} issues; give one label (or none) per issue",
                self.labels.len(),
                issues.len()
            )));
        }
        for (issue, &value) in issues.iter().zip(&self.outcome) {
            if let Err(misfit) = issue.check(value) {
                return Err(value_error(issue, misfit.to_string()));
            }
        }
        if let Some(date) = self.date.filter(|&d| !calendar::writable(d)) {
            return Err(text_error(format!(
                "its date {date} is outside the years 0000–9999; write dates as YYYY-MM-DD"
            )));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issues() -> Vec<Issue> {
        vec![
            Issue::discrete("nato", &["open-door", "ban"]),
            Issue::integer("army", 0, 100),
            Issue::real("aid", 0.0, 1.5),
        ]
    }

    fn text(outcome: Vec<Value>) -> Text {
        Text {
            name: "draft".into(),
            date: None,
            source: None,
            description: None,
            labels: vec![None; 3],
            outcome,
        }
    }

    /// Each case: the outcome, and the error (or `None` for a text that fits).
    #[test]
    fn a_text_gives_every_issue_a_value_it_has() {
        use Value::{Discrete as D, Integer as I, Real as R};
        let cases: Vec<(Vec<Value>, Option<&str>)> = vec![
            (vec![D(1), I(60), R(1.5)], None),
            (vec![D(0), I(0), R(0.0)], None),
            (
                vec![D(1), I(60)],
                Some("text `draft`, issue `aid`: no value; give every issue a value; a draft that leaves an issue open is not a text zopa can score"),
            ),
            (
                vec![D(1), I(60), R(1.0), R(1.0)],
                Some("text `draft`: 4 values for 3 issues; give one value per issue"),
            ),
            (
                vec![D(2), I(60), R(1.0)],
                Some("text `draft`, issue `nato`: value #2 is not one of its 2 values; use one of: open-door, ban"),
            ),
            (
                vec![I(1), I(60), R(1.0)],
                Some("text `draft`, issue `nato`: 1 is a number but the issue is discrete; use one of: open-door, ban"),
            ),
            (
                vec![D(1), I(101), R(1.0)],
                Some("text `draft`, issue `army`: 101 is outside the issue's range [0, 100]; give a whole number in it"),
            ),
            (
                vec![D(1), R(6.5), R(1.0)],
                Some("text `draft`, issue `army`: 6.5 is not a whole number; give a whole number in [0, 100]"),
            ),
            (
                vec![D(1), I(6), R(f64::NAN)],
                Some("text `draft`, issue `aid`: NaN is not a finite number; give a number in [0, 1.5]"),
            ),
            (
                vec![D(1), I(6), R(-0.5)],
                Some("text `draft`, issue `aid`: -0.5 is outside the issue's range [0, 1.5]; give a number in it"),
            ),
            (
                vec![D(1), I(6), D(0)],
                Some("text `draft`, issue `aid`: #0 is not a real number; give a number in [0, 1.5]"),
            ),
        ];
        for (outcome, expected) in cases {
            let got = text(outcome.clone()).validate(&issues()).err();
            assert_eq!(
                got.map(|e| e.to_string()).as_deref(),
                expected,
                "{outcome:?}"
            );
        }
    }

    #[test]
    fn labels_and_dates_are_checked() {
        let mut t = text(vec![
            Value::Discrete(0),
            Value::Integer(1),
            Value::Real(0.5),
        ]);
        t.labels = vec![Some(Label::Reported)];
        assert_eq!(
            t.validate(&issues()).unwrap_err().to_string(),
            "text `draft`: 1 labels for 3 issues; give one label (or none) per issue"
        );
        t.labels = vec![Some(Label::Reported), None, Some(Label::Assumption)];
        assert_eq!(t.validate(&issues()), Ok(()));
        t.date = Date::new(-1, 1, 1).ok();
        assert_eq!(
            t.validate(&issues()).unwrap_err().to_string(),
            "text `draft`: its date -000001-01-01 is outside the years 0000–9999; write dates as YYYY-MM-DD"
        );
    }

    #[test]
    fn labels_read_back_as_written() {
        for l in Label::ALL {
            assert_eq!(Label::parse(l.as_str()), Some(l));
            assert_eq!(l.to_string(), l.as_str());
        }
        assert_eq!(Label::parse("guess"), None);
    }
}
