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

mod params;
mod table;

pub use params::{Param, ParamType, ParamValue, Params};
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
    #[error("`{name}` is a {is}, not a {kind}; {kind}s: {known} (see `zopa strategies`)")]
    WrongKind {
        kind: &'static str,
        is: &'static str,
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

/// How an [`External`] negotiator is built from its setup; shared by every seat it takes.
pub type BuildExternal = std::sync::Arc<dyn Fn(&Setup) -> Box<dyn Negotiator> + Send + Sync>;

/// How an [`External`] party is built as a voter at a single-text table.
pub type BuildExternalVoter =
    std::sync::Arc<dyn Fn(&Setup) -> Box<dyn crate::protocols::mediated::Voter> + Send + Sync>;

/// A negotiator built outside the registry — a Python object, an agent of another platform, a
/// program or a person speaking the party protocol — seated where a run's spec names its
/// label. It sits at alternating offers and on shuttle routes, as the registry's negotiators
/// do, and at single-text tables when it can vote ([`External::vote`]).
#[derive(Clone)]
pub struct External {
    /// Its name in results (`python:Greedy`); a run's specs name it to seat it.
    pub label: String,
    /// Its constructor, called when the protocol seats it (inside the driver's guard).
    pub build: BuildExternal,
    /// Its constructor as a voter (mediated single text), when it can vote.
    pub vote: Option<BuildExternalVoter>,
}

impl External {
    /// The protocols an external negotiator sits in.
    pub fn protocols(&self) -> &'static [Protocol] {
        if self.vote.is_some() {
            &[
                Protocol::Sao,
                Protocol::Stacked,
                Protocol::Mediated,
                Protocol::Shuttle,
            ]
        } else {
            &[Protocol::Sao, Protocol::Stacked, Protocol::Shuttle]
        }
    }
}

impl std::fmt::Debug for External {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "External({:?})", self.label)
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

/// How closely a strategy follows the source it names; `zopa strategies` lists it, and the
/// strategy's doc comment gives the detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fidelity {
    /// Its source's algorithm move for move (zopa's seeded streams standing in for the source's
    /// unseeded ones, and the exact bidding order for the source's own listing).
    Faithful,
    /// Its source's algorithm with the adaptations stated, in a line.
    Adapted(&'static str),
    /// An algorithm from a paper or a baseline, built from its definition: no reference code to
    /// match move for move.
    Definition,
}

impl Fidelity {
    pub fn as_str(self) -> &'static str {
        match self {
            Fidelity::Faithful => "faithful",
            Fidelity::Adapted(_) => "adapted",
            Fidelity::Definition => "definition",
        }
    }

    /// The adaptations, where there are any.
    pub fn adaptations(self) -> Option<&'static str> {
        match self {
            Fidelity::Adapted(how) => Some(how),
            Fidelity::Faithful | Fidelity::Definition => None,
        }
    }
}

impl std::fmt::Display for Fidelity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fidelity::Adapted(how) => write!(f, "adapted: {how}"),
            Fidelity::Faithful => f.write_str("faithful to its source"),
            Fidelity::Definition => f.write_str("built from its definition"),
        }
    }
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
    /// How closely it follows [`Strategy::source`].
    pub fidelity: Fidelity,
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
        s += &format!("{pad:<16}   fidelity: {}\n", self.fidelity);
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
        .ok_or_else(|| match find(&spec.name) {
            Some(other) => SpecError::WrongKind {
                kind: kind.as_str(),
                is: other.kind().as_str(),
                name: spec.name.clone(),
                known: names(kind),
            },
            None => SpecError::Unknown {
                kind: kind.as_str(),
                name: spec.name.clone(),
                known: names(kind),
            },
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
