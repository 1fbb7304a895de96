//! Strategies by name, with typed parameters: `boulware`, `boulware:e=0.1`,
//! `linear:ac=const:c=0.8` (parameters follow the name, each after a `:`).
//!
//! Every strategy is declared once, in the table of [`strategies()`] (`registry/table.rs`): its
//! name, citation, parameters (typed, with defaults and ranges), the protocols it sits in and
//! its constructor. Everything else is generated from that table: validation ([`resolve`]),
//! `zopa strategies` (text and JSON), the parameter lists of `docs/strategies.md`, and the
//! tests that run every strategy in every protocol it declares.
//!
//! ```
//! use zopa_mechanisms::registry::{resolve, Kind, Spec};
//! use zopa_mechanisms::Protocol;
//!
//! let r = resolve(&Spec::parse("boulware:ac=const").unwrap(), Kind::Negotiator).unwrap();
//! assert_eq!(r.params.number("e"), 0.2); // boulware's default, from the table
//! assert_eq!(r.params.choice("ac"), "const");
//! assert!(r.sits_in(Protocol::Sao) && !r.sits_in(Protocol::Mediated));
//! ```

mod table;

pub use table::DEFAULT_MEDIATOR;

use crate::protocols::mediated::{Mediator, MediatorSetup, Voter};
use crate::runner::Protocol;
use crate::session::{Negotiator, Setup};

/// A strategy name with `key=value` parameters, as written.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    pub name: String,
    pub params: Vec<(String, String)>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SpecError {
    #[error("unknown {kind} `{name}`; known: {known} (see `zopa strategies`)")]
    Unknown {
        kind: &'static str,
        name: String,
        known: String,
    },
    #[error("`{spec}`: parameter `{param}` is not one of {known}")]
    UnknownParam {
        spec: String,
        param: String,
        known: String,
    },
    #[error("`{spec}`: parameter `{param}` = `{value}`: {problem}")]
    BadValue {
        spec: String,
        param: String,
        value: String,
        problem: String,
    },
    #[error("`{0}`: write parameters as name:key=value")]
    Malformed(String),
    #[error(
        "`{spec}` does not sit in the {protocol} protocol; it sits in {sits_in} (see `zopa strategies`)"
    )]
    NotInProtocol {
        spec: String,
        protocol: Protocol,
        sits_in: String,
    },
}

impl Spec {
    pub fn parse(text: &str) -> Result<Spec, SpecError> {
        let mut parts = text.trim().split(':');
        let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        if name.is_empty() {
            return Err(SpecError::Malformed(text.into()));
        }
        let mut params = Vec::new();
        for p in parts {
            let (k, v) = p
                .split_once('=')
                .ok_or_else(|| SpecError::Malformed(text.into()))?;
            params.push((k.trim().to_ascii_lowercase(), v.trim().to_string()));
        }
        Ok(Spec { name, params })
    }

    fn text(&self) -> String {
        let mut s = self.name.clone();
        for (k, v) in &self.params {
            s += &format!(":{k}={v}");
        }
        s
    }

    /// The canonical name recorded in results (name plus parameters).
    pub fn label(&self) -> String {
        self.text()
    }
}

/// What kind of participant a strategy is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    /// Makes and answers offers (alternating offers).
    Negotiator,
    /// Votes on, or gives feedback about, a mediator's texts.
    Voter,
    /// Drafts the texts.
    Mediator,
}

impl Kind {
    pub const ALL: [Kind; 3] = [Kind::Negotiator, Kind::Voter, Kind::Mediator];

    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Negotiator => "negotiator",
            Kind::Voter => "voter",
            Kind::Mediator => "mediator",
        }
    }
}

/// The type of a parameter, with its default and what it accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamType {
    /// A finite number within `[min, max]` (`(min, max]` when `exclusive_min`).
    Number {
        default: f64,
        min: Option<f64>,
        max: Option<f64>,
        exclusive_min: bool,
    },
    /// `true` or `false` (also `1`/`0`, `yes`/`no`).
    Flag { default: bool },
    /// One of `options`.
    Choice {
        default: &'static str,
        options: &'static [&'static str],
    },
}

impl ParamType {
    /// A number with no bounds.
    pub const fn number(default: f64) -> ParamType {
        ParamType::Number {
            default,
            min: None,
            max: None,
            exclusive_min: false,
        }
    }

    /// `number`, `flag` or `choice`.
    pub fn name(&self) -> &'static str {
        match self {
            ParamType::Number { .. } => "number",
            ParamType::Flag { .. } => "flag",
            ParamType::Choice { .. } => "choice",
        }
    }

    /// The default as it would be written in a spec.
    pub fn default_text(&self) -> String {
        match *self {
            ParamType::Number { default, .. } => default.to_string(),
            ParamType::Flag { default } => default.to_string(),
            ParamType::Choice { default, .. } => default.to_string(),
        }
    }

    /// What it accepts: `number ≥ 0`, `number`, `true | false`, `next | const | time`.
    pub fn accepts(&self) -> String {
        match *self {
            ParamType::Number { .. } => match self.range() {
                Some(range) => format!("number {range}"),
                None => "number".into(),
            },
            ParamType::Flag { .. } => "true | false".into(),
            ParamType::Choice { options, .. } => options.join(" | "),
        }
    }

    /// What a number must be: `≥ 0`, `> 0`, `in [0, 1]`; `None` when anything goes.
    pub fn range(&self) -> Option<String> {
        let ParamType::Number {
            min,
            max,
            exclusive_min,
            ..
        } = *self
        else {
            return None;
        };
        let open = if exclusive_min { "(" } else { "[" };
        let above = if exclusive_min { ">" } else { "≥" };
        match (min, max) {
            (None, None) => None,
            (Some(lo), None) => Some(format!("{above} {lo}")),
            (None, Some(hi)) => Some(format!("≤ {hi}")),
            (Some(lo), Some(hi)) => Some(format!("in {open}{lo}, {hi}]")),
        }
    }

    /// The value `text` stands for, or what is wrong with it.
    fn read(&self, text: &str) -> Result<Value, String> {
        match *self {
            ParamType::Number {
                min,
                max,
                exclusive_min,
                ..
            } => {
                let x = text
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or("not a number")?;
                let low = min.is_some_and(|lo| x < lo || (exclusive_min && x == lo));
                let high = max.is_some_and(|hi| x > hi);
                match self.range() {
                    Some(range) if low || high => Err(format!("must be {range}")),
                    _ => Ok(Value::Number(x)),
                }
            }
            ParamType::Flag { .. } => match text {
                "true" | "1" | "yes" => Ok(Value::Flag(true)),
                "false" | "0" | "no" => Ok(Value::Flag(false)),
                _ => Err("use true or false".into()),
            },
            ParamType::Choice { options, .. } => options
                .iter()
                .copied()
                .find(|o| *o == text)
                .map(Value::Choice)
                .ok_or_else(|| format!("use {}", or_list(options))),
        }
    }

    fn default_value(&self) -> Value {
        match *self {
            ParamType::Number { default, .. } => Value::Number(default),
            ParamType::Flag { default } => Value::Flag(default),
            ParamType::Choice { default, .. } => Value::Choice(default),
        }
    }
}

/// `a, b or c`.
fn or_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// One parameter of a strategy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Param {
    pub name: &'static str,
    pub ty: ParamType,
    /// What it means, in a line.
    pub help: &'static str,
}

/// A strategy's constructor: from its parameters and its setup.
#[derive(Clone, Copy)]
pub enum Build {
    Negotiator(fn(&Params, &Setup) -> Box<dyn Negotiator>),
    Voter(fn(&Params, &Setup) -> Box<dyn Voter>),
    Mediator(fn(&Params, &MediatorSetup) -> Box<dyn Mediator>),
}

impl std::fmt::Debug for Build {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Build::{:?}", self.kind())
    }
}

impl Build {
    pub fn kind(&self) -> Kind {
        match self {
            Build::Negotiator(_) => Kind::Negotiator,
            Build::Voter(_) => Kind::Voter,
            Build::Mediator(_) => Kind::Mediator,
        }
    }
}

/// One strategy, as declared in the registry's table.
#[derive(Debug)]
pub struct Strategy {
    /// Its name on the command line and in results.
    pub name: &'static str,
    /// Where it comes from (paper, platform, agent).
    pub source: &'static str,
    /// What it does, in a line.
    pub summary: &'static str,
    pub params: &'static [Param],
    /// The protocols it can sit in.
    pub protocols: &'static [Protocol],
    /// Its constructor; its variant is the strategy's [`Kind`].
    pub build: Build,
}

impl Strategy {
    pub fn kind(&self) -> Kind {
        self.build.kind()
    }

    pub fn param(&self, name: &str) -> Option<&'static Param> {
        self.params.iter().find(|p| p.name == name)
    }

    pub fn sits_in(&self, protocol: Protocol) -> bool {
        self.protocols.contains(&protocol)
    }

    /// Its parameters, all at their defaults.
    pub fn defaults(&'static self) -> Params {
        Params {
            strategy: self.name,
            values: self
                .params
                .iter()
                .map(|p| (p, p.ty.default_value(), false))
                .collect(),
        }
    }

    /// Its entry in `zopa strategies`: name, source, what it does, where it sits, and one line
    /// per parameter (`name=default  [what it accepts] meaning`).
    pub fn help(&self) -> String {
        let mut s = format!("{:<16} {}\n", self.name, self.source);
        let pad = "";
        s += &format!("{pad:<16}   {}\n", self.summary);
        s += &format!("{pad:<16}   sits in: {}\n", Protocol::list(self.protocols));
        for p in self.params {
            let key = format!("{}={}", p.name, p.ty.default_text());
            s += &format!("{pad:<16}   {key:<16} [{}] {}\n", p.ty.accepts(), p.help);
        }
        s
    }
}

/// Every strategy zopa knows, in the order `zopa strategies` lists them.
pub fn strategies() -> &'static [Strategy] {
    table::STRATEGIES
}

/// The strategy named `name` (of any kind).
pub fn find(name: &str) -> Option<&'static Strategy> {
    strategies().iter().find(|s| s.name == name)
}

fn names(kind: Kind) -> String {
    strategies()
        .iter()
        .filter(|s| s.kind() == kind)
        .map(|s| s.name)
        .collect::<Vec<_>>()
        .join(", ")
}

/// A parameter's value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Value {
    Number(f64),
    Flag(bool),
    Choice(&'static str),
}

/// A strategy's parameters, validated against its declaration: every declared parameter is
/// present, with its default unless the spec gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    strategy: &'static str,
    /// Declaration, value, and whether the spec gave it.
    values: Vec<(&'static Param, Value, bool)>,
}

impl Params {
    /// The value of parameter `name`, if the strategy declares it.
    pub fn get(&self, name: &str) -> Option<Value> {
        self.values
            .iter()
            .find(|(p, ..)| p.name == name)
            .map(|(_, v, _)| *v)
    }

    /// Did the spec give `name` (rather than leave it at its default)?
    pub fn given(&self, name: &str) -> bool {
        self.values
            .iter()
            .any(|(p, _, given)| p.name == name && *given)
    }

    /// The number parameter `name`.
    ///
    /// # Panics
    /// If the strategy declares no number parameter `name`: a constructor that disagrees
    /// with its own table entry (the registry's tests build every strategy).
    pub fn number(&self, name: &str) -> f64 {
        match self.get(name) {
            Some(Value::Number(x)) => x,
            _ => self.undeclared("number", name),
        }
    }

    /// The flag parameter `name` (panics as [`Params::number`] does).
    pub fn flag(&self, name: &str) -> bool {
        match self.get(name) {
            Some(Value::Flag(b)) => b,
            _ => self.undeclared("flag", name),
        }
    }

    /// The choice parameter `name`: one of its declared options (panics as
    /// [`Params::number`] does).
    pub fn choice(&self, name: &str) -> &'static str {
        match self.get(name) {
            Some(Value::Choice(c)) => c,
            _ => self.undeclared("choice", name),
        }
    }

    fn undeclared(&self, ty: &str, name: &str) -> ! {
        panic!(
            "the registry entry of `{}` declares no {ty} parameter `{name}`",
            self.strategy
        )
    }
}

/// A spec checked against the registry: the strategy, its typed parameters and its label.
#[derive(Debug, Clone)]
pub struct Resolved {
    pub strategy: &'static Strategy,
    pub params: Params,
    /// The spec as written ([`Spec::label`]), recorded in results.
    pub label: String,
}

/// Checks `spec` against the registry as a strategy of `kind`: the name, every parameter's
/// name, type and range. Parameters not given take their declared defaults.
pub fn resolve(spec: &Spec, kind: Kind) -> Result<Resolved, SpecError> {
    let strategy = strategies()
        .iter()
        .find(|s| s.name == spec.name && s.kind() == kind)
        .ok_or_else(|| SpecError::Unknown {
            kind: kind.as_str(),
            name: spec.name.clone(),
            known: names(kind),
        })?;
    let mut params = strategy.defaults();
    for (key, text) in &spec.params {
        let Some(slot) = params.values.iter_mut().find(|(p, ..)| p.name == key) else {
            return Err(SpecError::UnknownParam {
                spec: spec.text(),
                param: key.clone(),
                known: if strategy.params.is_empty() {
                    "(none: this strategy takes no parameters)".into()
                } else {
                    strategy
                        .params
                        .iter()
                        .map(|p| p.name)
                        .collect::<Vec<_>>()
                        .join(", ")
                },
            });
        };
        slot.1 = slot
            .0
            .ty
            .read(text)
            .map_err(|problem| SpecError::BadValue {
                spec: spec.text(),
                param: key.clone(),
                value: text.clone(),
                problem,
            })?;
        slot.2 = true;
    }
    Ok(Resolved {
        strategy,
        params,
        label: spec.label(),
    })
}

impl Resolved {
    pub fn kind(&self) -> Kind {
        self.strategy.kind()
    }

    /// Can it sit in `protocol`?
    pub fn sits_in(&self, protocol: Protocol) -> bool {
        self.strategy.sits_in(protocol)
    }

    /// Itself, if it sits in `protocol`; otherwise an error naming the protocols it sits in.
    pub fn seated_in(self, protocol: Protocol) -> Result<Resolved, SpecError> {
        if self.sits_in(protocol) {
            Ok(self)
        } else {
            Err(SpecError::NotInProtocol {
                spec: self.label,
                protocol,
                sits_in: Protocol::list(self.strategy.protocols),
            })
        }
    }

    /// Builds the negotiator.
    ///
    /// # Panics
    /// If the strategy is not a negotiator ([`resolve`] it with [`Kind::Negotiator`]).
    pub fn negotiator(&self, setup: &Setup) -> Box<dyn Negotiator> {
        match self.strategy.build {
            Build::Negotiator(build) => build(&self.params, setup),
            _ => self.not_a(Kind::Negotiator),
        }
    }

    /// Builds the voter (panics as [`Resolved::negotiator`] does).
    pub fn voter(&self, setup: &Setup) -> Box<dyn Voter> {
        match self.strategy.build {
            Build::Voter(build) => build(&self.params, setup),
            _ => self.not_a(Kind::Voter),
        }
    }

    /// Builds the mediator (panics as [`Resolved::negotiator`] does).
    pub fn mediator(&self, setup: &MediatorSetup) -> Box<dyn Mediator> {
        match self.strategy.build {
            Build::Mediator(build) => build(&self.params, setup),
            _ => self.not_a(Kind::Mediator),
        }
    }

    fn not_a(&self, kind: Kind) -> ! {
        panic!(
            "`{}` is a {}, not a {}",
            self.label,
            self.kind().as_str(),
            kind.as_str()
        )
    }
}

#[cfg(test)]
mod tests;
