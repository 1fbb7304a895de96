//! `docs/strategies.md` and the registry agree. The names, protocols and parameters between
//! `<!-- generated: strategies -->` and `<!-- end generated -->` are generated from the
//! registry's table: the test fails when the page shows anything else (run it with
//! `UPDATE_STRATEGIES=1` to rewrite that section). The hand-written fidelity tables below it
//! must name every registered strategy, and nothing else.

use std::collections::BTreeSet;
use std::fmt::Write as _;
use std::path::PathBuf;

use zopa_mechanisms::registry::{self, Kind, ParamType, Strategy, DEFAULT_MEDIATOR};
use zopa_mechanisms::Protocol;

const BEGIN: &str = "<!-- generated: strategies -->\n";
const END: &str = "<!-- end generated -->\n";

fn page_path() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/strategies.md")
}

fn heading(kind: Kind) -> &'static str {
    match kind {
        Kind::Negotiator => "Negotiators",
        Kind::Voter => "Voters",
        Kind::Mediator => "Mediators",
    }
}

fn of_kind(kind: Kind) -> Vec<&'static Strategy> {
    registry::strategies()
        .iter()
        .filter(|s| s.kind() == kind)
        .collect()
}

/// What a parameter accepts, in words (no `|`: it would split a table cell).
fn accepts(ty: &ParamType) -> String {
    match *ty {
        ParamType::Number { .. } => match ty.range() {
            Some(range) => format!("number {range}"),
            None => "number".into(),
        },
        ParamType::Flag { .. } => "`true` or `false`".into(),
        ParamType::Choice { options, .. } => {
            let quoted: Vec<String> = options.iter().map(|o| format!("`{o}`")).collect();
            let (last, init) = quoted.split_last().expect("a choice has options");
            format!("{} or {last}", init.join(", "))
        }
    }
}

/// The generated section: per kind, each strategy with its protocols and defaults; then each
/// parameter once, with the strategies that take it.
fn generated() -> String {
    let mut s = String::from(
        "## Names, protocols and parameters\n\n\
         Generated from the registry (`crates/zopa-mechanisms/src/registry/table.rs`) by\n\
         `crates/zopa-mechanisms/tests/strategies_doc.rs`; rerun it with `UPDATE_STRATEGIES=1`\n\
         after changing the table.\n",
    );
    for kind in Kind::ALL {
        let _ = write!(
            s,
            "\n### {}\n\n| name | source | fidelity | sits in | parameters (defaults) |\n|---|---|---|---|---|\n",
            heading(kind)
        );
        for st in of_kind(kind) {
            let default = if st.name == DEFAULT_MEDIATOR {
                " (default)"
            } else {
                ""
            };
            let params: Vec<String> = st
                .params
                .iter()
                .map(|p| format!("`{}={}`", p.name, p.ty.default_text()))
                .collect();
            let params = if params.is_empty() {
                "none".to_string()
            } else {
                params.join(", ")
            };
            let _ = writeln!(
                s,
                "| `{}`{default} | {} | {} | {} | {params} |",
                st.name,
                st.source,
                st.fidelity,
                Protocol::list(st.protocols)
            );
        }
    }
    // Each parameter once: same name, meaning and accepted values (defaults may differ).
    let mut rows: Vec<(&str, &str, String, Vec<&str>)> = Vec::new();
    for st in registry::strategies() {
        for p in st.params {
            let what = accepts(&p.ty);
            match rows
                .iter_mut()
                .find(|r| r.0 == p.name && r.1 == p.help && r.2 == what)
            {
                Some(row) => row.3.push(st.name),
                None => rows.push((p.name, p.help, what, vec![st.name])),
            }
        }
    }
    s += "\n### Parameters\n\n| parameter | of | accepts | meaning |\n|---|---|---|---|\n";
    for (name, help, what, of) in rows {
        let of: Vec<String> = of.iter().map(|n| format!("`{n}`")).collect();
        let _ = writeln!(s, "| `{name}` | {} | {what} | {help} |", of.join(", "));
    }
    s
}

#[test]
fn docs_strategies_md_shows_what_the_registry_declares() {
    let path = page_path();
    let current = std::fs::read_to_string(&path).unwrap();
    let (before, rest) = current
        .split_once(BEGIN)
        .expect("docs/strategies.md has a `<!-- generated: strategies -->` line");
    let (_, after) = rest
        .split_once(END)
        .expect("docs/strategies.md has an `<!-- end generated -->` line");
    let page = format!("{before}{BEGIN}{}{END}{after}", generated());
    if std::env::var_os("UPDATE_STRATEGIES").is_some() {
        std::fs::write(&path, &page).unwrap();
    }
    let current = std::fs::read_to_string(&path).unwrap();
    assert!(
        current == page,
        "docs/strategies.md does not show what the registry declares; rerun with \
         UPDATE_STRATEGIES=1 and review the diff"
    );
}

/// The hand-written tables (fidelity, what each does) under `## Negotiators`, `## Voters`
/// and `## Mediators` name exactly the registered strategies of that kind.
#[test]
fn the_fidelity_tables_name_every_registered_strategy_and_no_other() {
    let current = std::fs::read_to_string(page_path()).unwrap();
    let (_, rest) = current.split_once(BEGIN).unwrap();
    let (_, hand_written) = rest.split_once(END).unwrap();
    for kind in Kind::ALL {
        let title = format!("## {}", heading(kind));
        let section = hand_written
            .split("\n## ")
            .find(|s| format!("## {s}").starts_with(&title))
            .unwrap_or_else(|| panic!("docs/strategies.md has no `{title}` section"));
        let mut named = BTreeSet::new();
        for row in section.lines().filter(|l| l.starts_with("| `")) {
            let first = row.split('|').nth(1).unwrap_or("");
            named.extend(first.split('`').skip(1).step_by(2));
        }
        let registered: BTreeSet<&str> = of_kind(kind).iter().map(|s| s.name).collect();
        let missing: Vec<_> = registered.difference(&named).collect();
        let unknown: Vec<_> = named.difference(&registered).collect();
        assert!(
            missing.is_empty() && unknown.is_empty(),
            "`{title}` in docs/strategies.md: registered but not described: {missing:?}; \
             described but not registered: {unknown:?}"
        );
    }
}
