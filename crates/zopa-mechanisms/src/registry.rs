//! Strategies by name, with parameters: `boulware`, `boulware:e=0.1`,
//! `linear:ac=const:c=0.8` (parameters follow the name, each after a `:`).

use crate::acceptance::Acceptance;
use crate::protocols::mediated::{Mediator, Voter};
use crate::session::Negotiator;
use crate::strategies::bargaining::{BargainingMediator, Point};
use crate::strategies::mediators::{FeedbackMediator, HillClimbing, RandomFlipping};
use crate::strategies::voters::{Annealer, HillClimber};
use crate::strategies::{
    AgentK, Aspiration, Atlas3, Caduceus, CuhkAgent, HardHeaded, Micro, RandomNegotiator,
    TimeDependent, TitForTat,
};

/// A strategy name with `key=value` parameters.
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

    fn check(&self, allowed: &[&str]) -> Result<(), SpecError> {
        for (k, _) in &self.params {
            if !allowed.contains(&k.as_str()) {
                return Err(SpecError::UnknownParam {
                    spec: self.text(),
                    param: k.clone(),
                    known: if allowed.is_empty() {
                        "(none: this strategy takes no parameters)".into()
                    } else {
                        allowed.join(", ")
                    },
                });
            }
        }
        Ok(())
    }

    fn raw(&self, key: &str) -> Option<&str> {
        self.params
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    fn num(&self, key: &str, default: f64) -> Result<f64, SpecError> {
        match self.raw(key) {
            None => Ok(default),
            Some(v) => v
                .parse::<f64>()
                .ok()
                .filter(|x| x.is_finite())
                .ok_or_else(|| SpecError::BadValue {
                    spec: self.text(),
                    param: key.into(),
                    value: v.into(),
                    problem: "not a number".into(),
                }),
        }
    }

    fn flag(&self, key: &str) -> Result<bool, SpecError> {
        match self.raw(key) {
            None | Some("false") | Some("0") | Some("no") => Ok(false),
            Some("true") | Some("1") | Some("yes") => Ok(true),
            Some(v) => Err(SpecError::BadValue {
                spec: self.text(),
                param: key.into(),
                value: v.into(),
                problem: "use true or false".into(),
            }),
        }
    }

    /// The canonical name recorded in results (name plus parameters).
    pub fn label(&self) -> String {
        self.text()
    }
}

/// What kind of participant a strategy is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Negotiator,
    Voter,
    Mediator,
}

/// One entry of `zopa strategies`.
#[derive(Debug, Clone, Copy)]
pub struct Entry {
    pub name: &'static str,
    pub kind: Kind,
    /// `key=default: meaning`.
    pub params: &'static [&'static str],
    pub source: &'static str,
}

const TD_PARAMS: &[&str] = &[
    "e: concession exponent (0 hardliner, <1 boulware, 1 linear, >1 conceder)",
    "k=0: initial concession",
    "ac=next: acceptance (next, const, time, combi, maxw)",
    "a=1, b=0: AC_next coefficients",
    "c=0.9: AC_const threshold",
    "t=0.99: AC_time / AC_combi / maxw time",
    "model=none: opponent model choosing among near-target bids (frequency, windowed, bayesian)",
];

/// Every strategy zopa knows.
pub fn catalogue() -> &'static [Entry] {
    &[
        Entry { name: "random", kind: Kind::Negotiator, params: &[], source: "baseline (GENIUS RandomParty, NegMAS RandomNegotiator)" },
        Entry { name: "hardliner", kind: Kind::Negotiator, params: TD_PARAMS, source: "Faratin et al. 1998, e = 0 (GENIUS TimeDependentAgentHardliner)" },
        Entry { name: "boulware", kind: Kind::Negotiator, params: TD_PARAMS, source: "Faratin et al. 1998, e = 0.2 (GENIUS TimeDependentAgentBoulware)" },
        Entry { name: "linear", kind: Kind::Negotiator, params: TD_PARAMS, source: "Faratin et al. 1998, e = 1 (GENIUS TimeDependentAgentLinear)" },
        Entry { name: "conceder", kind: Kind::Negotiator, params: TD_PARAMS, source: "Faratin et al. 1998, e = 2 (GENIUS TimeDependentAgentConceder)" },
        Entry { name: "time-dependent", kind: Kind::Negotiator, params: TD_PARAMS, source: "Faratin et al. 1998, any e (default 1)" },
        Entry { name: "aspiration", kind: Kind::Negotiator, params: &["exp=4: NegMAS aspiration exponent (4 boulware, 1 linear, 0.25 conceder)"], source: "NegMAS BoulwareTB/LinearTB/ConcederTBNegotiator semantics, for cross-checks" },
        Entry { name: "tit-for-tat", kind: Kind::Negotiator, params: &["relative=false: mirror percentage (relative) instead of absolute concessions"], source: "Faratin et al. 1998 behaviour-dependent tactics" },
        Entry { name: "micro", kind: Kind::Negotiator, params: &["prefer_theirs=true: concede to an equal-or-better opponent offer first (NegoLog); false is NegMAS's MiCRO"], source: "de Jonge 2022 (ANAC 2022), NegoLog port" },
        Entry { name: "hardheaded", kind: Kind::Negotiator, params: &[], source: "van Krimpen et al., ANAC 2011 winner (GENIUS KLH)" },
        Entry { name: "agentk", kind: Kind::Negotiator, params: &[], source: "Kawaguchi et al., ANAC 2010 winner, K2 version (GENIUS Agent_K2)" },
        Entry { name: "cuhkagent", kind: Kind::Negotiator, params: &[], source: "Hao & Leung, ANAC 2012 winner (GENIUS CUHKAgent)" },
        Entry { name: "atlas3", kind: Kind::Negotiator, params: &[], source: "Mori & Ito, ANAC 2015 winner (GENIUS Atlas3)" },
        Entry { name: "caduceus", kind: Kind::Negotiator, params: &[], source: "Güneş et al., ANAC 2016 winner (portfolio scheme over zopa's own experts)" },
        Entry { name: "hill-climber", kind: Kind::Voter, params: &[], source: "GENIUS HillClimber (Klein et al. 2003)" },
        Entry { name: "annealer", kind: Kind::Voter, params: &["cooling=false: old AnnealerParty temperature (falling) instead of GENIUS's rising one"], source: "GENIUS Annealer (Klein et al. 2003)" },
        Entry { name: "random-flipping", kind: Kind::Mediator, params: &[], source: "GENIUS RandomFlippingMediator" },
        Entry { name: "hill-climbing", kind: Kind::Mediator, params: &[], source: "single-issue neighbourhood search of the one-text procedure (Fisher; Klein et al. 2003)" },
        Entry { name: "feedback", kind: Kind::Mediator, params: &[], source: "GENIUS FeedbackMediator" },
        Entry { name: "bargaining", kind: Kind::Mediator, params: &["point=nash: the solution it drafts toward (nash, kalai)"], source: "Nash 1950 / Kalai & Smorodinsky 1975 of the stated outside options; Binmore, Rubinstein & Wolinsky 1986 inside options" },
    ]
}

fn names(kind: Kind) -> String {
    catalogue()
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| e.name)
        .collect::<Vec<_>>()
        .join(", ")
}

fn time_dependent(spec: &Spec, e_default: f64) -> Result<TimeDependent, SpecError> {
    spec.check(&["e", "k", "ac", "a", "b", "c", "t", "model"])?;
    let mut td = TimeDependent::new(spec.num("e", e_default)?);
    td.k = spec.num("k", 0.0)?;
    let t = spec.num("t", 0.99)?;
    td.acceptance = match spec.raw("ac").unwrap_or("next") {
        "next" => Acceptance::Next {
            a: spec.num("a", 1.0)?,
            b: spec.num("b", 0.0)?,
        },
        "const" => Acceptance::Const(spec.num("c", 0.9)?),
        "time" => Acceptance::Time(t),
        "combi" => Acceptance::Combi(t),
        "maxw" => Acceptance::CombiMaxInWindow(spec.num("t", 0.98)?),
        other => {
            return Err(SpecError::BadValue {
                spec: spec.text(),
                param: "ac".into(),
                value: other.into(),
                problem: "use next, const, time, combi or maxw".into(),
            })
        }
    };
    td.model_kind = match spec.raw("model").unwrap_or("none") {
        "none" | "false" => None,
        "frequency" | "true" => Some("frequency".into()),
        "windowed" => Some("windowed".into()),
        "bayesian" => Some("bayesian".into()),
        other => {
            return Err(SpecError::BadValue {
                spec: spec.text(),
                param: "model".into(),
                value: other.into(),
                problem: "use none, frequency, windowed or bayesian".into(),
            })
        }
    };
    if td.e < 0.0 {
        return Err(SpecError::BadValue {
            spec: spec.text(),
            param: "e".into(),
            value: td.e.to_string(),
            problem: "e must be ≥ 0".into(),
        });
    }
    Ok(td)
}

/// Builds a negotiator for alternating-offers protocols.
pub fn build(spec: &Spec) -> Result<Box<dyn Negotiator>, SpecError> {
    let n: Box<dyn Negotiator> = match spec.name.as_str() {
        "random" => {
            spec.check(&[])?;
            Box::new(RandomNegotiator::default())
        }
        "hardliner" => Box::new(time_dependent(spec, 0.0)?),
        "boulware" => Box::new(time_dependent(spec, 0.2)?),
        "linear" => Box::new(time_dependent(spec, 1.0)?),
        "conceder" => Box::new(time_dependent(spec, 2.0)?),
        "time-dependent" => Box::new(time_dependent(spec, 1.0)?),
        "aspiration" => {
            spec.check(&["exp"])?;
            let exp = spec.num("exp", 4.0)?;
            if exp <= 0.0 {
                return Err(SpecError::BadValue {
                    spec: spec.text(),
                    param: "exp".into(),
                    value: exp.to_string(),
                    problem: "the exponent must be > 0".into(),
                });
            }
            Box::new(Aspiration::new(exp))
        }
        "tit-for-tat" => {
            spec.check(&["relative"])?;
            Box::new(TitForTat::new(spec.flag("relative")?))
        }
        "micro" => {
            spec.check(&["prefer_theirs"])?;
            Box::new(Micro::new(
                spec.raw("prefer_theirs").is_none() || spec.flag("prefer_theirs")?,
            ))
        }
        "hardheaded" => {
            spec.check(&[])?;
            Box::new(HardHeaded::default())
        }
        "agentk" => {
            spec.check(&[])?;
            Box::new(AgentK::default())
        }
        "cuhkagent" => {
            spec.check(&[])?;
            Box::new(CuhkAgent::default())
        }
        "atlas3" => {
            spec.check(&[])?;
            Box::new(Atlas3::default())
        }
        "caduceus" => {
            spec.check(&[])?;
            Box::new(Caduceus::default())
        }
        other => {
            return Err(SpecError::Unknown {
                kind: "negotiator",
                name: other.into(),
                known: names(Kind::Negotiator),
            })
        }
    };
    Ok(n)
}

/// Builds a voter for the single-text protocol.
pub fn build_voter(spec: &Spec) -> Result<Box<dyn Voter>, SpecError> {
    match spec.name.as_str() {
        "hill-climber" => {
            spec.check(&[])?;
            Ok(Box::new(HillClimber::default()))
        }
        "annealer" => {
            spec.check(&["cooling"])?;
            Ok(Box::new(Annealer::new(spec.flag("cooling")?)))
        }
        other => Err(SpecError::Unknown {
            kind: "voter",
            name: other.into(),
            known: names(Kind::Voter),
        }),
    }
}

/// Builds a mediator for the single-text protocol.
pub fn build_mediator(spec: &Spec) -> Result<Box<dyn Mediator>, SpecError> {
    if spec.name == "bargaining" {
        spec.check(&["point"])?;
        let point = match spec.raw("point").unwrap_or("nash") {
            "nash" => Point::Nash,
            "kalai" => Point::KalaiSmorodinsky,
            other => {
                return Err(SpecError::BadValue {
                    spec: spec.text(),
                    param: "point".into(),
                    value: other.into(),
                    problem: "use nash or kalai".into(),
                })
            }
        };
        return Ok(Box::new(BargainingMediator::new(point)));
    }
    spec.check(&[])?;
    match spec.name.as_str() {
        "random-flipping" => Ok(Box::new(RandomFlipping::default())),
        "hill-climbing" => Ok(Box::new(HillClimbing::default())),
        "feedback" => Ok(Box::new(FeedbackMediator::default())),
        other => Err(SpecError::Unknown {
            kind: "mediator",
            name: other.into(),
            known: names(Kind::Mediator),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn specs_parse_and_unknowns_are_named() {
        for m in ["frequency", "windowed", "bayesian"] {
            assert!(build(&Spec::parse(&format!("linear:model={m}")).unwrap()).is_ok());
        }
        let s = Spec::parse("boulware:e=0.1:ac=const:c=0.8").unwrap();
        assert_eq!(s.name, "boulware");
        assert_eq!(s.params.len(), 3);
        assert!(build(&s).is_ok());
        let e = build(&Spec::parse("bouware").unwrap())
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("bouware") && e.contains("boulware"), "{e}");
        let e = build(&Spec::parse("boulware:x=1").unwrap())
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("`x`"), "{e}");
        let e = build(&Spec::parse("boulware:e=abc").unwrap())
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("not a number"), "{e}");
        for entry in catalogue() {
            let spec = Spec::parse(entry.name).unwrap();
            let ok = match entry.kind {
                Kind::Negotiator => build(&spec).is_ok(),
                Kind::Voter => build_voter(&spec).is_ok(),
                Kind::Mediator => build_mediator(&spec).is_ok(),
            };
            assert!(ok, "{} does not build", entry.name);
        }
    }
}
