//! `zopa strategies`: every strategy, voter and mediator, generated from the registry's table.

use anyhow::Result;
use serde_json::{json, Value as Json};
use zopa_mechanisms::registry::{self, Kind, ParamType, Strategy, DEFAULT_MEDIATOR};
use zopa_mechanisms::Protocol;

#[derive(clap::Args)]
pub struct Args {
    /// Print the list as JSON: each strategy's name, kind, source, summary, fidelity
    /// (`faithful`, `adapted` with its `adaptations`, or `definition`), protocols and
    /// typed parameters.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<()> {
    if args.json {
        crate::outln!("{}", serde_json::to_string_pretty(&listing())?);
        return Ok(());
    }
    for kind in Kind::ALL {
        let of_kind: Vec<&Strategy> = registry::strategies()
            .iter()
            .filter(|s| s.kind() == kind)
            .collect();
        let protocols: Vec<&str> = Protocol::ALL
            .iter()
            .filter(|p| of_kind.iter().any(|s| s.sits_in(**p)))
            .map(|p| p.as_str())
            .collect();
        let flag = match kind {
            Kind::Negotiator | Kind::Voter => "--negotiators",
            Kind::Mediator => "--mediator",
        };
        crate::outln!(
            "{}s (--protocol {}, {flag}):",
            kind.as_str(),
            protocols.join(" | ")
        );
        for s in of_kind {
            for line in s.help().lines() {
                crate::outln!("  {line}");
            }
        }
        crate::outln!();
    }
    crate::outln!(
        "Parameters follow the name, each after a colon: boulware:e=0.1, linear:ac=const:c=0.8"
    );
    crate::outln!("The mediator is {DEFAULT_MEDIATOR} unless --mediator names another.");
    Ok(())
}

/// The JSON contract of `zopa strategies --json`: every key is always present (`null` where
/// it does not apply to the parameter's type).
fn listing() -> Json {
    let strategies: Vec<Json> = registry::strategies()
        .iter()
        .map(|s| {
            json!({
                "name": s.name,
                "kind": s.kind().as_str(),
                "source": s.source,
                "summary": s.summary,
                "fidelity": s.fidelity.as_str(),
                "adaptations": s.fidelity.adaptations(),
                "protocols": s.protocols.iter().map(|p| p.as_str()).collect::<Vec<_>>(),
                "params": s.params.iter().map(|p| {
                    let (default, min, max, exclusive_min, options) = match p.ty {
                        ParamType::Number { default, min, max, exclusive_min } => {
                            (json!(default), json!(min), json!(max), exclusive_min, Json::Null)
                        }
                        ParamType::Flag { default } => {
                            (json!(default), Json::Null, Json::Null, false, Json::Null)
                        }
                        ParamType::Choice { default, options } => {
                            (json!(default), Json::Null, Json::Null, false, json!(options))
                        }
                    };
                    json!({
                        "name": p.name,
                        "type": p.ty.name(),
                        "default": default,
                        "min": min,
                        "max": max,
                        "exclusive_min": exclusive_min,
                        "options": options,
                        "help": p.help,
                    })
                }).collect::<Vec<_>>(),
            })
        })
        .collect();
    json!({ "default_mediator": DEFAULT_MEDIATOR, "strategies": strategies })
}
