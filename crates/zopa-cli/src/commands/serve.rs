//! `zopa serve`: the local web app (crates/zopa-server).

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;

use anyhow::Result;

#[derive(clap::Args)]
pub struct Args {
    /// Scenario files or folders to offer (folders are searched for scenarios).
    #[arg(default_value = "scenarios")]
    paths: Vec<PathBuf>,
    /// Port to listen on (0: any free port).
    #[arg(long, default_value_t = 8080)]
    port: u16,
    /// Address to bind: loopback by default, so only this machine can connect.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
}

pub fn run(args: Args) -> Result<()> {
    let addr = SocketAddr::new(args.bind, args.port);
    zopa_server::run_blocking(&args.paths, addr, |bound, app| {
        eprintln!(
            "zopa serve: {} scenarios; open http://{bound}/ (Ctrl-C stops)",
            app.scenarios.len()
        );
        for note in &app.notes {
            eprintln!("note: {note}");
        }
    })
    .map_err(|e| anyhow::anyhow!("cannot serve: {e}"))
}
