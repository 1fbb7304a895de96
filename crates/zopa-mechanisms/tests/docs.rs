//! docs/protocols.md's tables of trace actions and audiences are generated from the enums that
//! declare them: this test fails when the file is out of date (`UPDATE_DOCS=1` rewrites it).

use std::path::PathBuf;

use zopa_mechanisms::{Audience, TraceAction};

fn table(rows: impl Iterator<Item = (&'static str, &'static str)>, head: &str) -> String {
    let mut t = format!("| {head} | meaning |\n|---|---|\n");
    for (name, meaning) in rows {
        t += &format!("| `{name}` | {meaning} |\n");
    }
    t
}

/// Replaces the body of the generated section whose opening marker starts with `open`.
fn fill(doc: &str, open: &str, body: &str) -> String {
    let start = doc
        .find(open)
        .unwrap_or_else(|| panic!("docs/protocols.md lost its marker `{open}`"));
    let body_start = start + doc[start..].find('\n').expect("marker line") + 1;
    let end = body_start
        + doc[body_start..]
            .find("<!-- end generated -->")
            .expect("an end marker");
    format!("{}{body}{}", &doc[..body_start], &doc[end..])
}

#[test]
fn protocol_docs_list_every_trace_action_and_audience() {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../docs/protocols.md");
    let doc = std::fs::read_to_string(&path).expect("docs/protocols.md");
    let actions = table(
        TraceAction::ALL.iter().map(|a| (a.as_str(), a.meaning())),
        "action",
    );
    let audiences = table(
        Audience::ALL.iter().map(|a| (a.as_str(), a.meaning())),
        "audience",
    );
    let want = fill(
        &fill(&doc, "<!-- generated: trace-actions", &actions),
        "<!-- generated: audiences",
        &audiences,
    );
    if std::env::var_os("UPDATE_DOCS").is_some() {
        std::fs::write(&path, &want).expect("write docs/protocols.md");
        return;
    }
    assert!(
        doc == want,
        "docs/protocols.md is out of date with TraceAction / Audience; run `UPDATE_DOCS=1 cargo test -p zopa-mechanisms --test docs`"
    );
}
