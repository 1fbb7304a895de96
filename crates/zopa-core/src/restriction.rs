//! Restrictions on what an agreement can say: a party's red lines, the lines of a party on
//! the issues it controls, and exclusions (combinations of options that cannot stand together
//! in one text).
//!
//! Every restriction is made of [`Condition`]s: a test of one issue's value, written
//! `issue >= value`, `issue <= value`, `issue = value`, `issue != value` or
//! `issue in [a, b, …]` ([`Condition::parse`], [`Condition::text`]). On a discrete issue `>=`
//! and `<=` compare the values' `positions` when the issue has them, else their order in the
//! issue's `values`; `=`, `!=` and `in` name values. On a numeric issue they compare numbers;
//! a real issue takes only `>=` and `<=`.
//!
//! * A party's **red line** is a condition every outcome it accepts meets: an outcome that
//!   breaches it is worth no more to the party than walking away, so the party rejects it.
//! * A party that **controls** an issue (Europe holds the frozen assets) has its red lines on
//!   that issue respected by every agreement, whoever is at the table.
//! * An **exclusion** is a combination of conditions that cannot all hold in one text
//!   (demilitarisation with an Article-5-like guarantee).
//!
//! (They are called restrictions, not constraints, because "constraint" names the
//! hyper-rectangle utilities of ANAC 2014 throughout zopa.)

use std::cmp::Ordering;
use std::fmt::Write as _;

use crate::issue::{Issue, IssueKind, Misfit, Value};
use crate::scenario::{Party, Scenario};

/// What a [`Condition`] asks of an issue's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Test {
    /// `=`: this value.
    Equal(Value),
    /// `!=`: any value but this one.
    NotEqual(Value),
    /// `>=`: this value or one above it (by position on a discrete issue).
    AtLeast(Value),
    /// `<=`: this value or one below it.
    AtMost(Value),
    /// `in [a, b, …]`: one of these values.
    OneOf(Vec<Value>),
}

/// A test of one issue's value: `donetsk-luhansk >= withdrawal-dmz-russian`.
#[derive(Debug, Clone, PartialEq)]
pub struct Condition {
    /// Index into the scenario's issues.
    pub issue: usize,
    pub test: Test,
}

/// A combination of options that cannot stand together in one text: an outcome that meets
/// every condition of `when` is excluded, for every party.
#[derive(Debug, Clone, PartialEq)]
pub struct Exclusion {
    /// Unique among the scenario's exclusions.
    pub name: String,
    /// At least one condition; the outcome is excluded when all of them hold.
    pub when: Vec<Condition>,
    /// Where the incompatibility is reported or argued.
    pub source: Option<String>,
    pub description: Option<String>,
}

/// One restriction of a scenario, by where it is declared. Compare with
/// [`Restriction::holds`], describe with [`Restriction::describe`] and
/// [`Restriction::breach`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Restriction {
    /// `parties[party].red_lines[line]`, on an issue the party does not control: it binds
    /// when the party is one of those whose agreement is sought.
    RedLine { party: usize, line: usize },
    /// `parties[party].red_lines[line]`, on an issue the party controls: it binds every
    /// agreement, whoever is at the table.
    Control { party: usize, line: usize },
    /// `exclusions[k]`: binds every agreement.
    Exclusion(usize),
}

/// Characters that end a bare word of a condition (operators, brackets, commas, quotes).
const SPECIAL: [char; 8] = ['"', '=', '!', '<', '>', '[', ']', ','];

/// The grammar, for the fix of every error about a condition's form.
pub const CONDITION_GRAMMAR: &str = "write `issue >= value`, `issue <= value`, `issue = value`, \
     `issue != value` or `issue in [value, value]`; quote a name that holds one of \
     \" = ! < > [ ] , in double quotes";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Equal,
    NotEqual,
    AtLeast,
    AtMost,
}

#[derive(Debug, Clone, PartialEq)]
enum Token {
    /// A name or a number, and whether it was quoted.
    Word(String, bool),
    Op(Op),
    Open,
    Close,
    Comma,
}

fn misfit(problem: impl Into<String>, fix: impl Into<String>) -> Misfit {
    Misfit {
        problem: problem.into(),
        fix: fix.into(),
    }
}

fn tokens(text: &str) -> Result<Vec<Token>, Misfit> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some(&(at, c)) = chars.peek() {
        if c.is_whitespace() {
            chars.next();
            continue;
        }
        match c {
            '[' | ']' | ',' => {
                chars.next();
                out.push(match c {
                    '[' => Token::Open,
                    ']' => Token::Close,
                    _ => Token::Comma,
                });
            }
            '=' | '!' | '<' | '>' => {
                chars.next();
                let eq = chars.next_if(|&(_, d)| d == '=').is_some();
                out.push(Token::Op(match (c, eq) {
                    ('=', _) => Op::Equal,
                    ('!', true) => Op::NotEqual,
                    ('>', true) => Op::AtLeast,
                    ('<', true) => Op::AtMost,
                    _ => {
                        return Err(misfit(
                            format!("`{c}` alone is not an operator of a condition"),
                            format!(
                                "use >=, <=, =, != or in [a, b] (`x > a` is `x >= ` the value \
                                 after a); {CONDITION_GRAMMAR}"
                            ),
                        ))
                    }
                }));
            }
            '"' => {
                chars.next();
                let mut word = String::new();
                let mut closed = false;
                while let Some((_, d)) = chars.next() {
                    match d {
                        '"' => {
                            closed = true;
                            break;
                        }
                        '\\' => {
                            let escaped = match chars.next().map(|(_, e)| e) {
                                Some('"') => '"',
                                Some('\\') => '\\',
                                Some('n') => '\n',
                                Some('t') => '\t',
                                Some('r') => '\r',
                                Some('u') => {
                                    let hex: String = (0..4)
                                        .filter_map(|_| chars.next())
                                        .map(|(_, h)| h)
                                        .collect();
                                    u32::from_str_radix(&hex, 16)
                                        .ok()
                                        .filter(|_| hex.len() == 4)
                                        .and_then(char::from_u32)
                                        .ok_or_else(|| {
                                            misfit(
                                                format!("`\\u{hex}` is not a character"),
                                                "write \\u and four hex digits, e.g. \\u00e9",
                                            )
                                        })?
                                }
                                other => {
                                    return Err(misfit(
                                        format!(
                                            "`\\{}` is not an escape of a quoted name",
                                            other.map(String::from).unwrap_or_default()
                                        ),
                                        "escape only \\\" \\\\ \\n \\t \\r and \\uXXXX",
                                    ))
                                }
                            };
                            word.push(escaped);
                        }
                        d => word.push(d),
                    }
                }
                if !closed {
                    return Err(misfit(
                        "a quoted name is not closed",
                        "end it with a double quote",
                    ));
                }
                out.push(Token::Word(word, true));
            }
            _ => {
                let mut end = text.len();
                while let Some(&(i, d)) = chars.peek() {
                    if SPECIAL.contains(&d) {
                        end = i;
                        break;
                    }
                    chars.next();
                }
                out.push(Token::Word(text[at..end].trim_end().to_string(), false));
            }
        }
    }
    Ok(out)
}

/// Does a bare word need quotes to read back as itself?
fn needs_quotes(s: &str) -> bool {
    s.is_empty()
        || s.starts_with('#')
        || s.starts_with(char::is_whitespace)
        || s.ends_with(char::is_whitespace)
        || s.chars()
            .any(|c| SPECIAL.contains(&c) || c == '\\' || c.is_control())
}

/// A name as a condition writes it: bare, or quoted with escapes.
fn word(s: &str) -> String {
    if !needs_quotes(s) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The order of two values of `issue`: by position (or listed order) for discrete values, as
/// numbers otherwise; `None` for values of another kind.
fn order(issue: &Issue, a: Value, b: Value) -> Option<Ordering> {
    match (&issue.kind, a, b) {
        (IssueKind::Discrete { .. }, Value::Discrete(x), Value::Discrete(y)) => {
            match &issue.positions {
                Some(p) => p.get(x as usize)?.partial_cmp(p.get(y as usize)?),
                None => Some(x.cmp(&y)),
            }
        }
        (IssueKind::Integer { .. }, Value::Integer(x), Value::Integer(y)) => Some(x.cmp(&y)),
        (IssueKind::Real { .. }, Value::Real(x), Value::Real(y)) => x.partial_cmp(&y),
        _ => None,
    }
}

impl Test {
    /// Does `value` (of `issue`) pass?
    pub fn passes(&self, issue: &Issue, value: Value) -> bool {
        match self {
            Test::Equal(v) => *v == value,
            Test::NotEqual(v) => *v != value,
            Test::AtLeast(v) => order(issue, value, *v).is_some_and(Ordering::is_ge),
            Test::AtMost(v) => order(issue, value, *v).is_some_and(Ordering::is_le),
            Test::OneOf(vs) => vs.contains(&value),
        }
    }

    /// The values the test names.
    pub fn values(&self) -> &[Value] {
        match self {
            Test::Equal(v) | Test::NotEqual(v) | Test::AtLeast(v) | Test::AtMost(v) => {
                std::slice::from_ref(v)
            }
            Test::OneOf(vs) => vs,
        }
    }
}

impl Condition {
    /// Reads a condition against `issues`: `donetsk-luhansk >= withdrawal-dmz-russian`,
    /// `army = 600`, `security in [none, jointly-with-unsc]`. Names with spaces need no
    /// quotes; a name holding `" = ! < > [ ] ,` (or starting with `#`) is quoted
    /// `"…"` with `\"`, `\\`, `\n`, `\t`, `\r`, `\uXXXX` escapes. A discrete value may be given
    /// by its place, `#0` for the first, which is needed only when the issue lists its name
    /// twice. `==` is `=`.
    ///
    /// ```
    /// use zopa_core::{Condition, Issue, Test, Value};
    /// let issues = [Issue::discrete("army cap", &["none", "800k", "600k"])];
    /// let c = Condition::parse("army cap >= 800k", &issues).unwrap();
    /// assert_eq!(c, Condition { issue: 0, test: Test::AtLeast(Value::Discrete(1)) });
    /// assert_eq!(c.text(&issues), "army cap >= 800k");
    /// assert_eq!(
    ///     Condition::parse("army >= 800k", &issues).unwrap_err().to_string(),
    ///     "`army` is not an issue of this scenario; use one of: army cap"
    /// );
    /// ```
    pub fn parse(text: &str, issues: &[Issue]) -> Result<Condition, Misfit> {
        let toks = tokens(text)?;
        let form = || misfit(format!("`{text}` is not a condition"), CONDITION_GRAMMAR);
        // The issue's name, and where the rest begins; `name in [` may have been read as one
        // bare word `name in`.
        let (name, rest): (String, &[Token]) = match toks.as_slice() {
            [Token::Word(w, false), Token::Open, ..] => {
                let cut = w
                    .strip_suffix("in")
                    .filter(|head| head.ends_with(char::is_whitespace))
                    .ok_or_else(form)?;
                (cut.trim_end().to_string(), &toks[1..])
            }
            [Token::Word(w, _), Token::Word(kw, false), Token::Open, ..] if kw == "in" => {
                (w.clone(), &toks[2..])
            }
            [Token::Word(w, _), rest @ ..] => (w.clone(), rest),
            _ => return Err(form()),
        };
        let index = issues.iter().position(|i| i.name == name).ok_or_else(|| {
            let names: Vec<&str> = issues.iter().map(|i| i.name.as_str()).collect();
            misfit(
                format!("`{name}` is not an issue of this scenario"),
                format!("use one of: {}", names.join(", ")),
            )
        })?;
        let issue = &issues[index];
        let test = match rest {
            [Token::Op(op), Token::Word(v, quoted)] => {
                let v = value(issue, v, *quoted)?;
                match op {
                    Op::Equal => Test::Equal(v),
                    Op::NotEqual => Test::NotEqual(v),
                    Op::AtLeast => Test::AtLeast(v),
                    Op::AtMost => Test::AtMost(v),
                }
            }
            [Token::Open, items @ .., Token::Close] => {
                let mut values = Vec::new();
                let mut expect_word = true;
                for t in items {
                    match (t, expect_word) {
                        (Token::Word(v, quoted), true) => values.push(value(issue, v, *quoted)?),
                        (Token::Comma, false) => {}
                        _ => return Err(form()),
                    }
                    expect_word = !expect_word;
                }
                if values.is_empty() || expect_word {
                    return Err(misfit(
                        format!("`{text}` lists no value, or ends in a comma"),
                        "list at least one value: `issue in [a, b]`",
                    ));
                }
                Test::OneOf(values)
            }
            _ => return Err(form()),
        };
        let c = Condition { issue: index, test };
        c.check(issues)?;
        Ok(c)
    }

    /// The condition as [`Condition::parse`] reads it back.
    pub fn text(&self, issues: &[Issue]) -> String {
        let Some(issue) = issues.get(self.issue) else {
            return format!("<issue #{}> {:?}", self.issue, self.test);
        };
        let v = |x: Value| value_text(issue, x);
        let name = word(&issue.name);
        match &self.test {
            Test::Equal(x) => format!("{name} = {}", v(*x)),
            Test::NotEqual(x) => format!("{name} != {}", v(*x)),
            Test::AtLeast(x) => format!("{name} >= {}", v(*x)),
            Test::AtMost(x) => format!("{name} <= {}", v(*x)),
            Test::OneOf(xs) => {
                let items: Vec<String> = xs.iter().map(|&x| v(x)).collect();
                format!("{name} in [{}]", items.join(", "))
            }
        }
    }

    /// Does `outcome` (one value per issue) meet the condition?
    pub fn holds(&self, issues: &[Issue], outcome: &[Value]) -> bool {
        match (issues.get(self.issue), outcome.get(self.issue)) {
            (Some(issue), Some(&v)) => self.test.passes(issue, v),
            _ => false,
        }
    }

    /// Is the condition one the issue can test: an issue that exists, values it has, and on
    /// a real issue only `>=` or `<=`?
    pub fn check(&self, issues: &[Issue]) -> Result<(), Misfit> {
        let issue = issues.get(self.issue).ok_or_else(|| {
            misfit(
                format!("issue #{} does not exist", self.issue),
                "name an issue of the scenario",
            )
        })?;
        if let (IssueKind::Real { .. }, Test::Equal(_) | Test::NotEqual(_) | Test::OneOf(_)) =
            (&issue.kind, &self.test)
        {
            return Err(misfit(
                format!(
                    "`{}` is a real issue, which a condition compares by order",
                    issue.name
                ),
                format!(
                    "write `{0} >= x` or `{0} <= x` (two conditions for a range)",
                    word(&issue.name)
                ),
            ));
        }
        if self.test.values().is_empty() {
            return Err(misfit("`in []` lists no value", "list at least one value"));
        }
        for &v in self.test.values() {
            issue.check(v)?;
        }
        Ok(())
    }
}

/// A value as a condition writes it: a discrete value by name (by `#k` when the issue lists
/// the name twice), a number as written.
fn value_text(issue: &Issue, v: Value) -> String {
    match (&issue.kind, v) {
        (IssueKind::Discrete { values, .. }, Value::Discrete(i)) => match values.get(i as usize) {
            Some(name) if values.iter().filter(|x| *x == name).count() == 1 => word(name),
            _ => format!("#{i}"),
        },
        (_, Value::Integer(x)) => x.to_string(),
        (_, Value::Real(x)) => format!("{x:?}"),
        (_, Value::Discrete(i)) => format!("#{i}"),
    }
}

/// The value `text` names on `issue`.
fn value(issue: &Issue, text: &str, quoted: bool) -> Result<Value, Misfit> {
    let v = match &issue.kind {
        IssueKind::Discrete { values, .. } => {
            let place = text
                .strip_prefix('#')
                .filter(|_| !quoted)
                .map(|k| k.parse::<u32>());
            match place {
                Some(Ok(k)) => Value::Discrete(k),
                Some(Err(_)) => {
                    return Err(misfit(
                        format!("`{text}` is not a place in issue `{}`'s values", issue.name),
                        "write #0 for the first value, #1 for the second, …",
                    ))
                }
                None => {
                    let mut found = values.iter().enumerate().filter(|(_, v)| *v == text);
                    match (found.next(), found.next()) {
                        (Some((k, _)), None) => Value::Discrete(k as u32),
                        (Some((k, _)), Some(_)) => {
                            return Err(misfit(
                                format!(
                                    "issue `{}` lists the value `{text}` twice, so the name does \
                                     not say which",
                                    issue.name
                                ),
                                format!("give its place instead: #{k} for the first"),
                            ))
                        }
                        (None, _) => {
                            return Err(misfit(
                                format!("`{text}` is not a value of issue `{}`", issue.name),
                                format!("use one of: {}", values.join(", ")),
                            ))
                        }
                    }
                }
            }
        }
        IssueKind::Integer { min, max } => match text.parse::<i64>() {
            Ok(x) => Value::Integer(x),
            Err(_) => {
                return Err(misfit(
                    format!(
                        "`{text}` is not a whole number (issue `{}` is an integer issue)",
                        issue.name
                    ),
                    format!("give a whole number in [{min}, {max}]"),
                ))
            }
        },
        IssueKind::Real { min, max } => match text.parse::<f64>() {
            Ok(x) if x.is_finite() => Value::Real(x),
            _ => {
                return Err(misfit(
                    format!(
                        "`{text}` is not a finite number (issue `{}` is a real issue)",
                        issue.name
                    ),
                    format!("give a number in [{min}, {max}]"),
                ))
            }
        },
    };
    issue.check(v)?;
    Ok(v)
}

/// Values of `issue` that decide whether conditions on it hold for some or for every value:
/// every value of a discrete issue; for a numeric issue its bounds and each named value with
/// its neighbours (the sets the tests define change only there, so a conjunction of them
/// holds somewhere iff it holds at one of these, and everywhere iff at all of these).
fn deciding_values(issue: &Issue, conditions: &[&Condition]) -> Vec<Value> {
    match &issue.kind {
        IssueKind::Discrete { values, .. } => {
            (0..values.len() as u32).map(Value::Discrete).collect()
        }
        IssueKind::Integer { min, max } => {
            let mut xs = vec![*min, *max];
            for c in conditions {
                for v in c.test.values() {
                    if let Value::Integer(x) = *v {
                        xs.extend([x.saturating_sub(1), x, x.saturating_add(1)]);
                    }
                }
            }
            xs.into_iter()
                .filter(|x| (min..=max).contains(&x))
                .map(Value::Integer)
                .collect()
        }
        IssueKind::Real { min, max } => {
            let mut xs = vec![*min, *max];
            for c in conditions {
                xs.extend(c.test.values().iter().map(|v| v.as_f64()));
            }
            xs.into_iter()
                .filter(|x| (*min..=*max).contains(x))
                .map(Value::Real)
                .collect()
        }
    }
}

/// Some value of `issue` meets every one of `conditions` (all on that issue).
fn satisfiable(issue: &Issue, conditions: &[&Condition]) -> bool {
    deciding_values(issue, conditions)
        .into_iter()
        .any(|v| conditions.iter().all(|c| c.test.passes(issue, v)))
}

/// Every value of `issue` meets every one of `conditions` (all on that issue).
fn universal(issue: &Issue, conditions: &[&Condition]) -> bool {
    deciding_values(issue, conditions)
        .into_iter()
        .all(|v| conditions.iter().all(|c| c.test.passes(issue, v)))
}

/// The conditions of `all` on each issue, issue by issue in scenario order.
fn by_issue(all: &[Condition]) -> Vec<(usize, Vec<&Condition>)> {
    let mut issues: Vec<usize> = all.iter().map(|c| c.issue).collect();
    issues.sort_unstable();
    issues.dedup();
    issues
        .into_iter()
        .map(|i| (i, all.iter().filter(|c| c.issue == i).collect()))
        .collect()
}

/// Conditions as people read them: `` `a >= x` and `b = y` ``.
fn listing(conditions: &[&Condition], issues: &[Issue]) -> String {
    let quoted: Vec<String> = conditions
        .iter()
        .map(|c| format!("`{}`", c.text(issues)))
        .collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// The keys of a party that declare its restrictions; the reader and the writer of the
/// native format spell them from here.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RestrictionKey {
    /// `red_lines = ["issue >= value", …]`
    RedLines,
    /// `controls = ["issue", …]`
    Controls,
}

impl RestrictionKey {
    pub fn as_str(self) -> &'static str {
        match self {
            RestrictionKey::RedLines => "red_lines",
            RestrictionKey::Controls => "controls",
        }
    }
}

impl std::fmt::Display for RestrictionKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A party's red lines or controlled issues that do not hold together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RestrictionProblem {
    /// Which key it is about.
    pub key: RestrictionKey,
    /// What: ``red line `x >= a` ``, ``red lines on `x` ``, ``controlled issue `x` ``.
    pub what: String,
    pub misfit: Misfit,
}

impl Party {
    /// The first of the party's red lines that `outcome` breaches, if any (`issues`: the
    /// scenario's). An outcome that breaches a red line is one the party rejects.
    pub fn breaches(&self, issues: &[Issue], outcome: &[Value]) -> Option<&Condition> {
        self.red_lines.iter().find(|c| !c.holds(issues, outcome))
    }

    /// Does the party control issue `issue` (an index)?
    pub fn controls_issue(&self, issue: usize) -> bool {
        self.controls.contains(&issue)
    }

    /// The red lines can all hold (on each issue some value meets the party's lines there),
    /// and every controlled issue exists, is listed once and carries a red line.
    pub fn check_restrictions(&self, issues: &[Issue]) -> Result<(), RestrictionProblem> {
        let on_lines = |what: String, misfit: Misfit| RestrictionProblem {
            key: RestrictionKey::RedLines,
            what,
            misfit,
        };
        let controls = |what: String, misfit: Misfit| RestrictionProblem {
            key: RestrictionKey::Controls,
            what,
            misfit,
        };
        for c in &self.red_lines {
            c.check(issues)
                .map_err(|m| on_lines(format!("red line `{}`", c.text(issues)), m))?;
        }
        for (i, lines) in by_issue(&self.red_lines) {
            if !satisfiable(&issues[i], &lines) {
                let (what, problem, fix) = if let [line] = lines.as_slice() {
                    (
                        format!("red line `{}`", line.text(issues)),
                        "no value of the issue meets it, so the party would reject every outcome"
                            .to_string(),
                        "loosen or drop it",
                    )
                } else {
                    (
                        format!("red lines on `{}`", issues[i].name),
                        format!(
                            "no value of the issue meets {} together, so the party would reject \
                             every outcome",
                            listing(&lines, issues)
                        ),
                        "loosen or drop one of them",
                    )
                };
                return Err(on_lines(what, misfit(problem, fix)));
            }
        }
        for (k, &i) in self.controls.iter().enumerate() {
            let Some(issue) = issues.get(i) else {
                return Err(controls(
                    format!("controlled issue #{i}"),
                    misfit(
                        format!("issue #{i} does not exist"),
                        "name an issue of the scenario",
                    ),
                ));
            };
            if self.controls[..k].contains(&i) {
                return Err(controls(
                    format!("controlled issue `{}`", issue.name),
                    misfit(
                        "the issue is listed twice",
                        "list each controlled issue once",
                    ),
                ));
            }
            if !self.red_lines.iter().any(|c| c.issue == i) {
                return Err(controls(
                    format!("controlled issue `{}`", issue.name),
                    misfit(
                        "the party controls the issue but draws no red line on it, so its control restricts nothing",
                        format!(
                            "add the line it holds, e.g. `{} <= value` to `red_lines`, or drop the issue from `controls`",
                            word(&issue.name)
                        ),
                    ),
                ));
            }
        }
        Ok(())
    }
}

impl Exclusion {
    /// Does `outcome` meet every condition, so that the exclusion rules it out?
    pub fn applies(&self, issues: &[Issue], outcome: &[Value]) -> bool {
        self.when.iter().all(|c| c.holds(issues, outcome))
    }

    /// The issues the exclusion's conditions name, in scenario order, each once.
    pub fn issues(&self) -> Vec<usize> {
        by_issue(&self.when).into_iter().map(|(i, _)| i).collect()
    }

    /// At least one condition, each one the issue can test, those on one issue able to hold
    /// together, and not all of them holding for every value (which would exclude every
    /// outcome).
    pub fn check(&self, issues: &[Issue]) -> Result<(), Misfit> {
        if self.when.is_empty() {
            return Err(misfit(
                "it lists no condition, so it would exclude every outcome",
                "list the options that cannot stand together: when = [\"a = x\", \"b = y\"]",
            ));
        }
        for c in &self.when {
            c.check(issues).map_err(|m| {
                misfit(
                    format!("condition `{}`: {}", c.text(issues), m.problem),
                    m.fix,
                )
            })?;
        }
        let grouped = by_issue(&self.when);
        for (i, conditions) in &grouped {
            if !satisfiable(&issues[*i], conditions) {
                return Err(misfit(
                    format!(
                        "no value of issue `{}` meets {} together, so the exclusion never applies",
                        issues[*i].name,
                        listing(conditions, issues)
                    ),
                    "give each issue the one combination that cannot stand, e.g. `a = x` with `b = y`",
                ));
            }
        }
        if grouped.iter().all(|(i, cs)| universal(&issues[*i], cs)) {
            return Err(misfit(
                "every outcome meets its conditions, so it would exclude every outcome",
                "name the options that cannot stand together, e.g. `a = x` with `b = y`",
            ));
        }
        Ok(())
    }

    /// `` `a = x` with `b = y` `` for people.
    pub fn describe_when(&self, issues: &[Issue]) -> String {
        let quoted: Vec<String> = self
            .when
            .iter()
            .map(|c| format!("`{}`", c.text(issues)))
            .collect();
        quoted.join(" with ")
    }
}

impl Restriction {
    /// `red-line`, `control` or `exclusion`: the kind, as the JSON of `zopa analyze` names it.
    pub fn kind(&self) -> &'static str {
        match self {
            Restriction::RedLine { .. } => "red-line",
            Restriction::Control { .. } => "control",
            Restriction::Exclusion(_) => "exclusion",
        }
    }

    /// The party whose line it is; `None` for an exclusion.
    pub fn party(&self) -> Option<usize> {
        match *self {
            Restriction::RedLine { party, .. } | Restriction::Control { party, .. } => Some(party),
            Restriction::Exclusion(_) => None,
        }
    }

    /// The conditions it is made of: the line, or the exclusion's `when`.
    pub fn conditions<'s>(&self, scenario: &'s Scenario) -> &'s [Condition] {
        match *self {
            Restriction::Exclusion(k) => scenario.exclusions.get(k).map_or(&[], |e| &e.when),
            _ => self.line(scenario).map_or(&[], std::slice::from_ref),
        }
    }

    /// The condition of a red line or a control line; `None` for an exclusion.
    pub fn line<'s>(&self, scenario: &'s Scenario) -> Option<&'s Condition> {
        match *self {
            Restriction::RedLine { party, line } | Restriction::Control { party, line } => {
                scenario.parties.get(party)?.red_lines.get(line)
            }
            Restriction::Exclusion(_) => None,
        }
    }

    /// Does `outcome` meet the restriction (a line that holds, an exclusion that does not
    /// apply)?
    pub fn holds(&self, scenario: &Scenario, outcome: &[Value]) -> bool {
        match *self {
            Restriction::Exclusion(k) => scenario
                .exclusions
                .get(k)
                .is_none_or(|e| !e.applies(&scenario.issues, outcome)),
            _ => self
                .line(scenario)
                .is_none_or(|c| c.holds(&scenario.issues, outcome)),
        }
    }

    /// The restriction for people: ``Russia's red line `donetsk >= x` ``, ``Europe's line
    /// `frozen-assets <= immobilised` (Europe controls frozen-assets)``, ``exclusion
    /// `demilitarised yet guaranteed` (`army = d` with `guarantees = g`)``.
    pub fn describe(&self, scenario: &Scenario) -> String {
        let issues = &scenario.issues;
        let name = |p: usize| scenario.parties.get(p).map_or("?", |p| p.name.as_str());
        match *self {
            Restriction::RedLine { party, .. } => format!(
                "{}'s red line `{}`",
                name(party),
                self.line(scenario)
                    .map(|c| c.text(issues))
                    .unwrap_or_default()
            ),
            Restriction::Control { party, .. } => {
                let c = self.line(scenario);
                format!(
                    "{0}'s line `{1}` ({0} controls {2})",
                    name(party),
                    c.map(|c| c.text(issues)).unwrap_or_default(),
                    c.and_then(|c| issues.get(c.issue))
                        .map_or("?", |i| i.name.as_str())
                )
            }
            Restriction::Exclusion(k) => match scenario.exclusions.get(k) {
                Some(e) => format!("exclusion `{}` ({})", e.name, e.describe_when(issues)),
                None => format!("exclusion #{k}"),
            },
        }
    }

    /// Why an outcome that does not meet the restriction is ruled out, for a trace or a
    /// veto: ``breaches Russia's red line `donetsk >= x` ``, ``moves frozen-assets past
    /// Europe's line `frozen-assets <= immobilised` (Europe controls it)``, ``combines `a = x`
    /// with `b = y` (exclusion `name`)``.
    pub fn breach(&self, scenario: &Scenario) -> String {
        let issues = &scenario.issues;
        let name = |p: usize| scenario.parties.get(p).map_or("?", |p| p.name.as_str());
        match *self {
            Restriction::RedLine { .. } => format!("breaches {}", self.describe(scenario)),
            Restriction::Control { party, .. } => {
                let c = self.line(scenario);
                format!(
                    "moves {} past {}'s line `{}` ({} controls it)",
                    c.and_then(|c| issues.get(c.issue))
                        .map_or("?", |i| i.name.as_str()),
                    name(party),
                    c.map(|c| c.text(issues)).unwrap_or_default(),
                    name(party)
                )
            }
            Restriction::Exclusion(k) => match scenario.exclusions.get(k) {
                Some(e) => format!(
                    "combines {} (exclusion `{}`)",
                    e.describe_when(issues),
                    e.name
                ),
                None => format!("breaches exclusion #{k}"),
            },
        }
    }
}

impl Scenario {
    /// The restrictions an agreement among `parties` (indices) must meet, in declaration
    /// order: every party's lines on the issues it controls (whether or not it is among
    /// `parties`), the red lines of `parties` on other issues, and every exclusion.
    pub fn restrictions(&self, parties: &[usize]) -> Vec<Restriction> {
        let mut out = Vec::new();
        for (p, party) in self.parties.iter().enumerate() {
            let involved = parties.contains(&p);
            for (line, c) in party.red_lines.iter().enumerate() {
                if party.controls_issue(c.issue) {
                    out.push(Restriction::Control { party: p, line });
                } else if involved {
                    out.push(Restriction::RedLine { party: p, line });
                }
            }
        }
        out.extend((0..self.exclusions.len()).map(Restriction::Exclusion));
        out
    }

    /// Every restriction of an agreement among `parties` that `outcome` does not meet, in the
    /// order of [`Scenario::restrictions`]. Empty: the outcome is admissible for them.
    pub fn breaches_for(&self, outcome: &[Value], parties: &[usize]) -> Vec<Restriction> {
        self.restrictions(parties)
            .into_iter()
            .filter(|r| !r.holds(self, outcome))
            .collect()
    }

    /// Can `outcome` be an agreement among `parties`: it meets their red lines, the lines of
    /// every party on the issues it controls, and no exclusion applies?
    pub fn admissible_for(&self, outcome: &[Value], parties: &[usize]) -> bool {
        self.admissible_where(outcome, |p| parties.contains(&p))
    }

    /// [`Scenario::admissible_for`] the parties `involved` says take part (no list built: the
    /// protocol driver asks this on every move).
    pub fn admissible_where(&self, outcome: &[Value], involved: impl Fn(usize) -> bool) -> bool {
        let issues = &self.issues;
        self.parties.iter().enumerate().all(|(p, party)| {
            let involved = involved(p);
            party
                .red_lines
                .iter()
                .filter(|c| involved || party.controls_issue(c.issue))
                .all(|c| c.holds(issues, outcome))
        }) && !self.exclusions.iter().any(|e| e.applies(issues, outcome))
    }

    /// [`Scenario::admissible_for`] every party of the scenario: no exclusion applies and no
    /// party's red line is breached.
    ///
    /// ```
    /// # use zopa_core::*;
    /// # let party = |name: &str| Party {
    /// #     name: name.into(), role: Role::Negotiator,
    /// #     utility: UtilityFunction::Additive(AdditiveUtility {
    /// #         weights: vec![0.5, 0.5],
    /// #         evaluators: vec![Evaluator::Table(vec![0.0, 1.0]), Evaluator::Table(vec![0.0, 1.0])],
    /// #         cap_at_one: false }),
    /// #     reservation: None, discount: None, cost_per_round: None, description: None,
    /// #     capability: None, salience: None, red_lines: Vec::new(), controls: Vec::new() };
    /// let issues = vec![
    ///     Issue::discrete("army", &["no-cap", "demilitarisation"]),
    ///     Issue::discrete("guarantee", &["none", "article-5-like"]),
    /// ];
    /// let mut kyiv = party("Kyiv");
    /// kyiv.red_lines = vec![Condition::parse("guarantee = article-5-like", &issues).unwrap()];
    /// let s = Scenario {
    ///     exclusions: vec![Exclusion {
    ///         name: "demilitarised yet guaranteed".into(),
    ///         when: vec![
    ///             Condition::parse("army = demilitarisation", &issues).unwrap(),
    ///             Condition::parse("guarantee = article-5-like", &issues).unwrap(),
    ///         ],
    ///         source: None, description: None,
    ///     }],
    ///     issues, parties: vec![kyiv, party("Moscow")],
    ///     name: "s".into(), description: None, events: Vec::new(), calendar: None,
    ///     texts: Vec::new(), notes: Vec::new(), ranges: Default::default(),
    /// };
    /// let (d, g) = (Value::Discrete(1), Value::Discrete(1));
    /// assert!(!s.admissible(&[d, g]));
    /// let why: Vec<String> = s.breaches(&[d, Value::Discrete(0)]).iter().map(|r| r.breach(&s)).collect();
    /// assert_eq!(why, ["breaches Kyiv's red line `guarantee = article-5-like`"]);
    /// assert!(s.admissible(&[Value::Discrete(0), g]));
    /// ```
    pub fn admissible(&self, outcome: &[Value]) -> bool {
        let all: Vec<usize> = (0..self.parties.len()).collect();
        self.admissible_for(outcome, &all)
    }

    /// [`Scenario::breaches_for`] every party of the scenario.
    pub fn breaches(&self, outcome: &[Value]) -> Vec<Restriction> {
        let all: Vec<usize> = (0..self.parties.len()).collect();
        self.breaches_for(outcome, &all)
    }

    /// Does the scenario restrict anything: a red line, or an exclusion?
    pub fn has_restrictions(&self) -> bool {
        !self.exclusions.is_empty() || self.parties.iter().any(|p| !p.red_lines.is_empty())
    }

    /// The exclusion named `name`.
    pub fn exclusion(&self, name: &str) -> Option<&Exclusion> {
        self.exclusions.iter().find(|e| e.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn issues() -> Vec<Issue> {
        let mut land = Issue::discrete("land", &["withdrawal", "freeze", "dmz", "ceded"]);
        land.positions = Some(vec![0.0, 25.0, 75.0, 100.0]);
        vec![
            land,
            Issue::discrete("army cap", &["none", "800k", "600k", "none"]),
            Issue::integer("troops", 0, 100),
            Issue::real("aid", 0.0, 1.5),
            Issue::discrete("a=b", &["x, y", "#1", "in"]),
        ]
    }

    /// Each case: the text, and what it reads back as (or the error).
    #[test]
    fn conditions_read_and_write_back() {
        let cases: &[(&str, Result<&str, &str>)] = &[
            ("land >= dmz", Ok("land >= dmz")),
            ("  land>=dmz ", Ok("land >= dmz")),
            ("land == freeze", Ok("land = freeze")),
            ("land in [withdrawal,freeze]", Ok("land in [withdrawal, freeze]")),
            ("land in[ceded ]", Ok("land in [ceded]")),
            ("army cap != 800k", Ok("army cap != 800k")),
            ("army cap = #3", Ok("army cap = #3")),
            ("troops <= 60", Ok("troops <= 60")),
            ("troops in [10, 20]", Ok("troops in [10, 20]")),
            ("aid >= 0.5", Ok("aid >= 0.5")),
            (r#""a=b" = "x, y""#, Ok(r#""a=b" = "x, y""#)),
            (r##""a=b" in ["#1", in]"##, Ok(r##""a=b" in ["#1", in]"##)),
            ("land > dmz", Err("`>` alone is not an operator of a condition; use >=, <=, =, != or in [a, b] (`x > a` is `x >= ` the value after a); write `issue >= value`, `issue <= value`, `issue = value`, `issue != value` or `issue in [value, value]`; quote a name that holds one of \" = ! < > [ ] , in double quotes")),
            ("donetsk >= dmz", Err("`donetsk` is not an issue of this scenario; use one of: land, army cap, troops, aid, a=b")),
            ("land >= occupied", Err("`occupied` is not a value of issue `land`; use one of: withdrawal, freeze, dmz, ceded")),
            ("army cap = none", Err("issue `army cap` lists the value `none` twice, so the name does not say which; give its place instead: #0 for the first")),
            ("army cap = #9", Err("value #9 is not one of its 4 values; use one of: none, 800k, 600k, none")),
            ("troops >= 101", Err("101 is outside the issue's range [0, 100]; give a whole number in it")),
            ("troops >= many", Err("`many` is not a whole number (issue `troops` is an integer issue); give a whole number in [0, 100]")),
            ("aid = 0.5", Err("`aid` is a real issue, which a condition compares by order; write `aid >= x` or `aid <= x` (two conditions for a range)")),
            ("land in []", Err("`land in []` lists no value, or ends in a comma; list at least one value: `issue in [a, b]`")),
            ("land in [dmz,]", Err("`land in [dmz,]` lists no value, or ends in a comma; list at least one value: `issue in [a, b]`")),
            ("land", Err("`land` is not a condition; write `issue >= value`, `issue <= value`, `issue = value`, `issue != value` or `issue in [value, value]`; quote a name that holds one of \" = ! < > [ ] , in double quotes")),
            ("land >= dmz ceded", Err("`dmz ceded` is not a value of issue `land`; use one of: withdrawal, freeze, dmz, ceded")),
            ("\"land >= dmz", Err("a quoted name is not closed; end it with a double quote")),
        ];
        let issues = issues();
        for (text, expected) in cases {
            let got = Condition::parse(text, &issues);
            match (expected, &got) {
                (Ok(back), Ok(c)) => assert_eq!(&c.text(&issues), back, "{text}"),
                (Err(e), Err(m)) => assert_eq!(&m.to_string(), e, "{text}"),
                _ => panic!("{text}: expected {expected:?}, got {got:?}"),
            }
        }
    }

    #[test]
    fn order_is_by_position_then_listing_then_number() {
        let issues = issues();
        let holds = |text: &str, v: Value| {
            let c = Condition::parse(text, &issues).unwrap();
            c.test.passes(&issues[c.issue], v)
        };
        assert!(holds("land >= freeze", Value::Discrete(2)));
        assert!(!holds("land <= freeze", Value::Discrete(2)));
        assert!(holds("army cap <= 800k", Value::Discrete(0)));
        assert!(!holds("army cap <= 800k", Value::Discrete(3)));
        assert!(holds("troops >= 60", Value::Integer(60)));
        assert!(!holds("aid <= 0.5", Value::Real(0.51)));
    }

    fn party(red_lines: &[&str], controls: &[usize]) -> Party {
        let issues = issues();
        Party {
            name: "Kyiv".into(),
            role: crate::Role::Negotiator,
            utility: crate::UtilityFunction::Additive(crate::AdditiveUtility {
                weights: vec![0.0; 5],
                evaluators: Vec::new(),
                cap_at_one: false,
            }),
            reservation: None,
            discount: None,
            cost_per_round: None,
            description: None,
            capability: None,
            salience: None,
            red_lines: red_lines
                .iter()
                .map(|t| Condition::parse(t, &issues).unwrap())
                .collect(),
            controls: controls.to_vec(),
        }
    }

    /// Each case: red lines, controlled issues, and the error (or `None`).
    #[test]
    fn a_partys_restrictions_hold_together() {
        let cases: &[(&[&str], &[usize], Option<&str>)] = &[
            (&["land <= freeze", "troops >= 10", "troops <= 10"], &[], None),
            (&["land <= freeze"], &[0], None),
            (
                &["land <= freeze", "land >= dmz"],
                &[],
                Some("red lines on `land`: no value of the issue meets `land <= freeze` and `land >= dmz` together, so the party would reject every outcome; loosen or drop one of them"),
            ),
            (
                &["troops >= 40", "troops <= 39"],
                &[],
                Some("red lines on `troops`: no value of the issue meets `troops >= 40` and `troops <= 39` together, so the party would reject every outcome; loosen or drop one of them"),
            ),
            (
                &["troops in [3, 4]", "troops != 3", "troops != 4"],
                &[],
                Some("red lines on `troops`: no value of the issue meets `troops in [3, 4]`, `troops != 3` and `troops != 4` together, so the party would reject every outcome; loosen or drop one of them"),
            ),
            (&["aid >= 0.7", "aid <= 0.7"], &[], None),
            (
                &["land <= freeze"],
                &[2],
                Some("controlled issue `troops`: the party controls the issue but draws no red line on it, so its control restricts nothing; add the line it holds, e.g. `troops <= value` to `red_lines`, or drop the issue from `controls`"),
            ),
            (
                &["land <= freeze"],
                &[0, 0],
                Some("controlled issue `land`: the issue is listed twice; list each controlled issue once"),
            ),
            (
                &[],
                &[9],
                Some("controlled issue #9: issue #9 does not exist; name an issue of the scenario"),
            ),
        ];
        let issues = issues();
        for (lines, controls, expected) in cases {
            let got = party(lines, controls)
                .check_restrictions(&issues)
                .err()
                .map(|e| format!("{}: {}", e.what, e.misfit));
            assert_eq!(got.as_deref(), *expected, "{lines:?} {controls:?}");
        }
        // One red line alone can never fail to hold somewhere except `!=` on a one-value issue.
        let one = vec![Issue::discrete("only", &["x"])];
        let mut p = party(&[], &[]);
        p.red_lines = vec![Condition::parse("only != x", &one).unwrap()];
        assert_eq!(
            p.check_restrictions(&one)
                .err()
                .map(|e| format!("{}: {}", e.what, e.misfit))
                .as_deref(),
            Some("red line `only != x`: no value of the issue meets it, so the party would reject every outcome; loosen or drop it")
        );
    }

    /// Each case: the conditions of an exclusion, and the error (or `None`).
    #[test]
    fn an_exclusion_excludes_something_but_not_everything() {
        let cases: &[(&[&str], Option<&str>)] = &[
            (&["land = dmz", "army cap = 600k"], None),
            (&["land >= dmz"], None),
            (&[], Some("it lists no condition, so it would exclude every outcome; list the options that cannot stand together: when = [\"a = x\", \"b = y\"]")),
            (
                &["land = dmz", "land = freeze", "troops = 3"],
                Some("no value of issue `land` meets `land = dmz` and `land = freeze` together, so the exclusion never applies; give each issue the one combination that cannot stand, e.g. `a = x` with `b = y`"),
            ),
            (
                &["land >= withdrawal", "troops <= 100"],
                Some("every outcome meets its conditions, so it would exclude every outcome; name the options that cannot stand together, e.g. `a = x` with `b = y`"),
            ),
        ];
        let issues = issues();
        for (when, expected) in cases {
            let e = Exclusion {
                name: "x".into(),
                when: when
                    .iter()
                    .map(|t| Condition::parse(t, &issues).unwrap())
                    .collect(),
                source: None,
                description: None,
            };
            let got = e.check(&issues).err().map(|m| m.to_string());
            assert_eq!(got.as_deref(), *expected, "{when:?}");
        }
    }

    /// Names of any characters write and read back, quoted where needed.
    #[test]
    fn odd_names_round_trip() {
        for name in [
            "plain",
            "with space",
            " lead",
            "trail ",
            "a \"q\" \\ b",
            "x in",
            "in",
            "#hash",
            "new\nline\u{1}",
            "<>=![],",
            "é ü",
        ] {
            let issues = vec![Issue::discrete(name, &[name, "other"])];
            for test in [
                Test::Equal(Value::Discrete(0)),
                Test::OneOf(vec![Value::Discrete(1), Value::Discrete(0)]),
                Test::AtLeast(Value::Discrete(0)),
            ] {
                let c = Condition { issue: 0, test };
                let text = c.text(&issues);
                assert_eq!(Condition::parse(&text, &issues), Ok(c), "{text}");
            }
        }
    }
}
