use anyhow::Result;
use zopa_mechanisms::registry::{catalogue, Kind};

#[derive(clap::Args)]
pub struct Args {}

pub fn run(_args: Args) -> Result<()> {
    for (kind, title) in [
        (Kind::Negotiator, "negotiators (--protocol sao | stacked)"),
        (Kind::Voter, "voters (--protocol mediated, --negotiators)"),
        (
            Kind::Mediator,
            "mediators (--protocol mediated, --mediator)",
        ),
    ] {
        crate::outln!("{title}:");
        for e in catalogue().iter().filter(|e| e.kind == kind) {
            crate::outln!("  {:<16} {}", e.name, e.source);
            for p in e.params {
                crate::outln!("  {:<16}   {p}", "");
            }
        }
        crate::outln!();
    }
    crate::outln!(
        "Parameters follow the name, each after a colon: boulware:e=0.1, linear:ac=const:c=0.8"
    );
    Ok(())
}
