//! The report as one self-contained HTML page: the Markdown twin's content, plus a frontier
//! chart for any pair of parties and the offer trace of one run, drawn by an embedded script.

use serde_json::json;
use zopa_core::Scenario;

use crate::Report;

const CHART_JS: &str = include_str!("chart.js");

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Inline Markdown of our own output: `code`, **bold**, *italic*, and <br> kept.
fn inline(s: &str) -> String {
    let s = escape(s).replace("&lt;br&gt;", "<br>").replace("\\|", "|");
    let mut out = String::new();
    let mut rest = s.as_str();
    while let Some(i) = rest.find(['`', '*']) {
        out.push_str(&rest[..i]);
        let (open, close) = if rest[i..].starts_with("**") {
            ("<strong>", "**")
        } else if rest[i..].starts_with('*') {
            ("<em>", "*")
        } else {
            ("<code>", "`")
        };
        let body = &rest[i + close.len()..];
        match body.find(close) {
            Some(j) => {
                let tag_close = open.replace('<', "</");
                out.push_str(open);
                out.push_str(&body[..j]);
                out.push_str(&tag_close);
                rest = &body[j + close.len()..];
            }
            None => {
                out.push_str(&rest[i..i + close.len()]);
                rest = body;
            }
        }
    }
    out.push_str(rest);
    out
}

fn cells(line: &str) -> Vec<String> {
    let t = line.trim().trim_start_matches('|').trim_end_matches('|');
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut prev = ' ';
    for c in t.chars() {
        if c == '|' && prev != '\\' {
            out.push(cur.trim().to_string());
            cur.clear();
        } else {
            cur.push(c);
        }
        prev = c;
    }
    out.push(cur.trim().to_string());
    out
}

/// Converts the Markdown this crate writes (headings, paragraphs, lists, pipe tables).
pub fn markdown_to_html(md: &str) -> String {
    let mut out = String::new();
    let lines: Vec<&str> = md.lines().collect();
    let mut i = 0;
    while i < lines.len() {
        let l = lines[i];
        if let Some(h) = l.strip_prefix("### ") {
            out += &format!("<h3>{}</h3>\n", inline(h));
        } else if let Some(h) = l.strip_prefix("## ") {
            out += &format!("<h2>{}</h2>\n", inline(h));
        } else if let Some(h) = l.strip_prefix("# ") {
            out += &format!("<h1>{}</h1>\n", inline(h));
        } else if l.starts_with('|') {
            let header = cells(l);
            i += 2; // skip the separator
            out += "<table><thead><tr>";
            for h in &header {
                out += &format!("<th>{}</th>", inline(h));
            }
            out += "</tr></thead><tbody>\n";
            while i < lines.len() && lines[i].starts_with('|') {
                out += "<tr>";
                for c in cells(lines[i]) {
                    out += &format!("<td>{}</td>", inline(&c));
                }
                out += "</tr>\n";
                i += 1;
            }
            out += "</tbody></table>\n";
            continue;
        } else if l.starts_with("- ") {
            out += "<ul>\n";
            while i < lines.len() && lines[i].starts_with("- ") {
                out += &format!("<li>{}</li>\n", inline(&lines[i][2..]));
                i += 1;
            }
            out += "</ul>\n";
            continue;
        } else if !l.trim().is_empty() {
            out += &format!("<p>{}</p>\n", inline(l));
        }
        i += 1;
    }
    out
}

pub fn render(scenario: &Scenario, r: &Report, markdown: &str) -> String {
    let parties: Vec<&str> = scenario.parties.iter().map(|p| p.name.as_str()).collect();
    let pairs: Vec<serde_json::Value> = r
        .pairs
        .iter()
        .map(|p| json!({"parties": p.parties, "points": p.points, "reserved": p.reserved, "nash": p.nash, "kalai": p.kalai, "egalitarian": p.egalitarian}))
        .collect();
    // The offer trace of the first bilateral run, in its two negotiators' utilities.
    let trace = r
        .simulations
        .iter()
        .find(|s| s.result.protocol == "sao")
        .map(|s| {
            let seats: Vec<usize> = s.spec.parties.clone().unwrap_or_default();
            let names: Vec<&str> = seats.iter().map(|&i| parties[i]).collect();
            let offers: Vec<serde_json::Value> = s
                .result
                .trace
                .iter()
                .filter(|e| e.action == zopa_mechanisms::TraceAction::Offer)
                .filter_map(|e| {
                    let u = e.utilities.as_ref()?;
                    let by = seats.iter().position(|&i| parties[i] == e.actor)?;
                    Some(json!({"u": [u[seats[0]], u[seats[1]]], "by": by, "t": e.time}))
                })
                .collect();
            let agreement = s
                .result
                .agreement
                .as_ref()
                .map(|_| [s.result.utilities[seats[0]], s.result.utilities[seats[1]]]);
            json!({"label": s.label, "names": names, "offers": offers, "agreement": agreement})
        });
    let data = json!({"parties": parties, "pairs": pairs, "trace": trace});
    let data = data.to_string().replace("</", "<\\/");
    let body = markdown_to_html(markdown);
    // The page opens with the title and the summary in words; the charts follow them.
    let cut = body
        .find("<h2>")
        .and_then(|first| body[first + 4..].find("<h2>").map(|k| first + 4 + k))
        .unwrap_or(0);
    let (opening, body) = body.split_at(cut);
    let trace_label = r
        .simulations
        .iter()
        .find(|s| s.result.protocol == "sao")
        .map(|s| escape(&s.label))
        .unwrap_or_default();
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title} — zopa report</title>
<style>
body {{ font-family: system-ui, sans-serif; max-width: 1100px; margin: 2em auto; padding: 0 1em; color: #222; }}
table {{ border-collapse: collapse; margin: 1em 0; font-size: 14px; }}
th, td {{ border: 1px solid #ccc; padding: 4px 8px; text-align: left; vertical-align: top; }}
th {{ background: #f3f3f3; }}
canvas {{ border: 1px solid #ccc; max-width: 100%; }}
.charts {{ display: flex; flex-wrap: wrap; gap: 1.5em; }}
code {{ background: #f5f5f5; padding: 0 3px; }}
</style>
</head>
<body>
<script>window.addEventListener("error", function (e) {{ document.body.dataset.error = String(e.message); }});</script>
<p><small>zopa report</small></p>
{opening}
<div class="charts">
<figure>
<figcaption>Pareto frontier with reservation values (dashed) and solution points: <select id="pair"></select></figcaption>
<canvas id="frontier" width="520" height="460"></canvas>
</figure>
<figure>
<figcaption>Offers in utility space: {trace_label}</figcaption>
<canvas id="trace" width="520" height="460"></canvas>
</figure>
</div>
{body}
<p><small>Generated by zopa {version}. Works offline: the charts are drawn by a script embedded in this page.</small></p>
<script type="application/json" id="zopa-data">{data}</script>
<script>{script}</script>
</body>
</html>
"#,
        title = escape(&scenario.name),
        version = env!("CARGO_PKG_VERSION"),
        script = CHART_JS,
    )
}
