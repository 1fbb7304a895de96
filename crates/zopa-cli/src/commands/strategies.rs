//! `zopa strategies`: every strategy, voter and mediator, generated from the registry's table.

use anyhow::Result;
use zopa_mechanisms::registry::{self, Kind, Strategy, DEFAULT_MEDIATOR};
use zopa_mechanisms::Protocol;

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> Result<()> {
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
