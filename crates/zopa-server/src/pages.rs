//! The pages: plain HTML from the server, made live by the embedded `assets/app.js`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use serde_json::{json, Value as Json};
use zopa_mechanisms::registry::{strategies, Kind, DEFAULT_MEDIATOR};
use zopa_mechanisms::Protocol;

use crate::App;

const SCRIPT: &str = include_str!("../assets/app.js");

const STYLE: &str = "body{font-family:system-ui,sans-serif;margin:2em;max-width:1100px;color:#222}\
table{border-collapse:collapse}td,th{border-bottom:1px solid #ddd;padding:3px 8px;text-align:left;font-size:14px}\
a{color:#1f5fa8}label{display:inline-block;margin:4px 12px 4px 0}button{margin:6px 6px 6px 0;padding:6px 14px}\
.muted{color:#777}#status{font-weight:600;margin:10px 0}canvas{border:1px solid #eee}[hidden]{display:none!important}";

/// Text safe inside HTML.
fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&#39;")
}

fn page(title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"data:,\"><title>{} — zopa</title>\
         <style>{STYLE}</style><script src=\"/assets/app.js\"></script></head><body>\
         <p><a href=\"/\">zopa</a></p>{body}</body></html>",
        esc(title)
    ))
}

fn not_found(what: String) -> Response {
    (
        StatusCode::NOT_FOUND,
        page("not found", &format!("<p>{}</p>", esc(&what))),
    )
        .into_response()
}

pub async fn script() -> Response {
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        SCRIPT,
    )
        .into_response()
}

/// The scenarios under the served paths.
pub async fn index(State(app): State<Arc<App>>) -> Html<String> {
    let mut rows = String::new();
    for e in &app.scenarios {
        let r = e.row();
        let parties: Vec<String> = r["parties"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|p| {
                format!(
                    "{} <span class=\"muted\">({})</span>",
                    esc(p["name"].as_str().unwrap_or("")),
                    esc(p["role"].as_str().unwrap_or(""))
                )
            })
            .collect();
        let zopa = match e.summary.get() {
            Some(s) => match s["zopa"].as_bool() {
                Some(true) => "yes",
                Some(false) => "no",
                None => "–",
            },
            None => "<span class=\"muted\">open it</span>",
        };
        rows.push_str(&format!(
            "<tr><td><a href=\"/scenario/{}\">{}</a></td><td class=\"muted\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{zopa}</td></tr>",
            e.id,
            esc(&e.scenario.name),
            esc(&e.path.display().to_string()),
            r["issues"],
            esc(r["outcomes"].as_str().unwrap_or("")),
            parties.join(", ")
        ));
    }
    let notes: String = app
        .notes
        .iter()
        .map(|n| format!("<li>{}</li>", esc(n)))
        .collect();
    let notes = if notes.is_empty() {
        String::new()
    } else {
        format!("<h2>Not read</h2><ul class=\"muted\">{notes}</ul>")
    };
    page(
        "scenarios",
        &format!(
            "<p><a href=\"/replay\">replay a stored trace</a> · <a href=\"/tournaments\">run a tournament</a></p><h1>Scenarios</h1><table id=\"scenarios\"><tr><th>scenario</th><th>path</th><th>issues</th><th>outcomes</th><th>parties</th><th>ZOPA</th></tr>{rows}</table>{notes}"
        ),
    )
}

/// One scenario: issues, parties, the negotiators' frontier and Nash deal, and the form that
/// starts a negotiation.
pub async fn scenario(State(app): State<Arc<App>>, Path(id): Path<usize>) -> Response {
    let Some(entry) = app.scenarios.get(id) else {
        return not_found(format!("no scenario {id}"));
    };
    let app2 = Arc::clone(&app);
    let summary = tokio::task::spawn_blocking(move || app2.scenarios[id].summary().clone())
        .await
        .unwrap_or_default();
    let s = &entry.scenario;
    let issues: String = s
        .issues
        .iter()
        .map(|i| {
            let values = match &i.kind {
                zopa_core::IssueKind::Discrete { values, .. } => values.join(", "),
                zopa_core::IssueKind::Integer { min, max } => format!("integers {min}–{max}"),
                zopa_core::IssueKind::Real { min, max } => format!("numbers {min}–{max}"),
            };
            format!(
                "<tr><td>{}</td><td>{}</td></tr>",
                esc(&i.name),
                esc(&values)
            )
        })
        .collect();
    let parties: String = s
        .parties
        .iter()
        .map(|p| {
            format!(
                "<tr><td>{}</td><td>{}</td><td>{:.3}</td></tr>",
                esc(&p.name),
                p.role.as_str(),
                p.reservation_value()
            )
        })
        .collect();
    let analysis = match summary.get("error") {
        Some(e) => format!("<p>{}</p>", esc(e.as_str().unwrap_or(""))),
        None => {
            let nash = summary["nash"]["outcome"]
                .as_object()
                .map(|o| {
                    o.iter()
                        .map(|(k, v)| {
                            format!("{k} = {}", v.as_str().map_or(v.to_string(), str::to_string))
                        })
                        .collect::<Vec<_>>()
                        .join("; ")
                })
                .unwrap_or_else(|| "none".into());
            format!(
                "<p>Zone of possible agreement among {}: <b>{}</b>. Nash deal: {} (utilities {}).</p>",
                esc(&summary["analysed"].as_array().map(|a| a.iter().filter_map(|x| x.as_str()).collect::<Vec<_>>().join(", ")).unwrap_or_default()),
                if summary["zopa"] == true { "yes" } else { "no" },
                esc(&nash),
                esc(&summary["nash"]["utilities"]
                    .as_array()
                    .map(|u| u
                        .iter()
                        .filter_map(Json::as_f64)
                        .map(|x| format!("{x:.3}"))
                        .collect::<Vec<_>>()
                        .join(", "))
                    .unwrap_or_default())
            )
        }
    };
    // Every strategy that can take a seat, with the protocols it sits in: the form shows
    // those of the chosen protocol.
    let sits = |st: &zopa_mechanisms::registry::Strategy| {
        st.protocols
            .iter()
            .map(|p| p.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let options: String = strategies()
        .iter()
        .filter(|st| matches!(st.kind(), Kind::Negotiator | Kind::Voter))
        .map(|st| {
            format!(
                "<option value=\"{0}\" data-protocols=\"{1}\">{0}</option>",
                esc(st.name),
                sits(st)
            )
        })
        .collect();
    let mediators: String = strategies()
        .iter()
        .filter(|st| st.kind() == Kind::Mediator)
        .map(|st| {
            format!(
                "<option value=\"{0}\" data-protocols=\"{1}\"{2}>{0}</option>",
                esc(st.name),
                sits(st),
                if st.name == DEFAULT_MEDIATOR {
                    " selected"
                } else {
                    ""
                }
            )
        })
        .collect();
    let protocols: String = Protocol::ALL
        .iter()
        .map(|p| format!("<option value=\"{0}\">{0}</option>", p.as_str()))
        .collect();
    let seats: String = s
        .negotiators()
        .iter()
        .enumerate()
        .map(|(k, &p)| {
            let name = esc(&s.parties[p].name);
            format!(
                "<label>{name} <select data-party=\"{name}\" id=\"seat-{k}\"><option value=\"person\">a person</option>\
                 <option value=\"program\">an outside program</option>{options}</select></label>"
            )
        })
        .collect();
    // What-if: a slider per negotiator's reservation value and issue weight.
    let mut what_if = String::new();
    for &p in &s.negotiators() {
        let party = &s.parties[p];
        let name = esc(&party.name);
        what_if.push_str(&format!(
            "<p><b>{name}</b> <label>reservation value <input type=\"range\" min=\"0\" max=\"1\" step=\"0.01\" value=\"{:.2}\" data-party=\"{name}\" data-kind=\"reservation\"></label>",
            party.reservation_value()
        ));
        if let zopa_core::UtilityFunction::Additive(a) = &party.utility {
            if s.issues.len() <= 20 {
                for (issue, w) in s.issues.iter().zip(&a.weights) {
                    what_if.push_str(&format!(
                        "<label>{} <input type=\"range\" min=\"0\" max=\"1\" step=\"0.01\" value=\"{w:.2}\" data-party=\"{name}\" data-kind=\"weight\" data-issue=\"{}\"></label>",
                        esc(&issue.name),
                        esc(&issue.name)
                    ));
                }
            }
        }
        what_if.push_str("</p>");
    }
    let frontier = json!({
        "frontier": summary["frontier"],
        "nash": summary["nash"]["utilities"],
        "names": summary["analysed"],
    });
    let body = format!(
        "<h1>{name}</h1><p>{desc}</p><h2>Issues</h2><table>{issues}</table>\
         <h2>Parties</h2><table><tr><th>party</th><th>role</th><th>reservation value</th></tr>{parties}</table>\
         <h2>Analysis</h2>{analysis}<canvas id=\"plot\" width=\"420\" height=\"420\"></canvas>\
         <h2>What if</h2><p class=\"muted\">Move a reservation value or a weight (the party's other weights are rescaled to keep their sum): the frontier, the ZOPA and the Nash deal are recomputed exactly.</p>\
         <div id=\"what-if\">{what_if}</div><p id=\"what-if-result\"></p><button id=\"save\">save the changed scenario</button>\
         <h2>New negotiation</h2><form id=\"new\" onsubmit=\"return false\">{seats}<br>\
         <label>protocol <select id=\"protocol\">{protocols}</select></label>\
         <label id=\"mediator-label\" hidden>mediator <select id=\"mediator\">{mediators}</select></label>\
         <label>rounds <input id=\"rounds\" type=\"number\" value=\"20\" min=\"1\"></label>\
         <label>seed <input id=\"seed\" type=\"number\" value=\"0\" min=\"0\"></label>\
         <button id=\"start\">start</button></form><div id=\"links\"></div>\
         <script>const F={frontier};\
         if(F.frontier&&F.names&&F.names.length===2)plot(document.getElementById('plot'),F.frontier,[],F.nash,F.names);\
         whatIf({id}, F); seatChoices();\
         document.getElementById('start').onclick=async()=>{{\
           const seats=[...document.querySelectorAll('select[data-party]')].map(s=>({{party:s.dataset.party,kind:s.value}}));\
           const protocol=document.getElementById('protocol').value;\
           const body={{scenario:{id},protocol,rounds:Number(document.getElementById('rounds').value),seed:Number(document.getElementById('seed').value),seats}};\
           if(protocol==='mediated'||protocol==='shuttle')body.mediator=document.getElementById('mediator').value;\
           const r=await fetch('/api/negotiations',{{method:'POST',headers:{{'content-type':'application/json'}},body:JSON.stringify(body)}});\
           const j=await r.json(); const links=document.getElementById('links');\
           if(!r.ok){{links.textContent=j.error;return;}}\
           links.replaceChildren(el('p',{{}},el('a',{{href:j.watch,id:'watch-link'}},'watch it live (the organiser\\'s view)')));\
           for(const s of j.seats)if(s.play)links.append(el('p',{{}},s.party+': ',s.kind==='person'?el('a',{{href:s.play,class:'play-link','data-party':s.party}},'play this seat'):el('code',{{}},'ws://'+location.host+s.socket)));\
         }};</script>",
        name = esc(&s.name),
        desc = esc(s.description.as_deref().unwrap_or("")),
    );
    page(&s.name, &body).into_response()
}

/// Starting a tournament from a file and watching its progress and leaderboard.
pub async fn tournaments() -> Html<String> {
    page(
        "tournaments",
        "<h1>Tournament</h1><p>A tournament file (docs/tournaments.md) on this machine, relative to where \
         <code>zopa serve</code> was started; it runs on every core into a database of its own.</p>\
         <label>file <input id=\"tfile\" size=\"50\" value=\"examples/tournament.toml\"></label>\
         <button id=\"tstart\">run</button><div id=\"status\"></div><progress id=\"tprogress\" max=\"1\" value=\"0\"></progress>\
         <table id=\"board\"></table><h2>Negotiations</h2><table id=\"negotiations\"></table><script>tournament();</script>",
    )
}

/// Replaying a stored trace, read in the browser (nothing is uploaded).
pub async fn replay() -> Html<String> {
    page(
        "replay",
        "<h1>Replay a negotiation</h1><p>Open a trace written by <code>zopa run --trace FILE.jsonl</code> \
         or the document of <code>zopa run --json</code>; it is read in this browser, not sent anywhere.</p>\
         <input type=\"file\" id=\"file\" accept=\".jsonl,.json\"> \
         <button id=\"previous\">previous</button><button id=\"next\">next</button><button id=\"last\">to the end</button>\
         <div id=\"status\">no trace open</div><canvas id=\"plot\" width=\"420\" height=\"420\"></canvas>\
         <table><thead><tr><th>round</th><th>t</th><th>actor</th><th>action</th><th>outcome</th><th>utilities</th><th>note</th></tr></thead><tbody id=\"trace\"></tbody></table>\
         <script>replay();</script>",
    )
}

/// The organiser's live view.
pub async fn watch(
    State(app): State<Arc<App>>,
    Path(id): Path<u64>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let n = match crate::organiser(&app, id, &q.get("key").cloned()) {
        Ok(n) => n,
        Err((status, why)) => {
            return (
                status,
                page("not allowed", &format!("<p>{}</p>", esc(&why))),
            )
                .into_response()
        }
    };
    let entry = &app.scenarios[n.scenario_id];
    let seated: Vec<usize> = n.seats.iter().map(|s| s.party).collect();
    // The frontier of the seated pair, when two sit.
    let frontier = if seated.len() == 2 {
        let s = &n.scenario;
        let config = zopa_core::analysis::AnalysisConfig {
            parties: Some(seated.clone()),
            ..zopa_core::analysis::AnalysisConfig::new(zopa_core::analysis::Definitions::Zopa)
        };
        let s2 = Arc::clone(s);
        tokio::task::spawn_blocking(move || zopa_core::analysis::analyze(&s2, &config).ok())
            .await
            .ok()
            .flatten()
            .map(|a| {
                json!({
                    "points": a.frontier.iter().map(|p| &p.utilities).collect::<Vec<_>>(),
                    "nash": a.nash.as_ref().map(|p| &p.utilities),
                })
            })
    } else {
        None
    };
    // The plot reads utilities in scenario order; the pair's frontier is in seat order.
    let (points, nash) = match &frontier {
        Some(f) if seated[0] < seated[1] => (f["points"].clone(), f["nash"].clone()),
        Some(f) => (
            json!(f["points"]
                .as_array()
                .map(|v| v.iter().map(|p| json!([p[1], p[0]])).collect::<Vec<_>>())),
            json!(f["nash"]
                .as_array()
                .map(|p| vec![p[1].clone(), p[0].clone()])),
        ),
        None => (json!([]), json!(null)),
    };
    let body = format!(
        "<h1>Negotiation {id}</h1><p>{} — {} — {} rounds — seed {}</p><div id=\"status\">running…</div>\
         <canvas id=\"plot\" width=\"420\" height=\"420\"></canvas>\
         <table><thead><tr><th>round</th><th>t</th><th>actor</th><th>action</th><th>outcome</th><th>utilities</th><th>note</th></tr></thead><tbody id=\"trace\"></tbody></table>\
         <script>watch({id}, {key}, {points}, {nash});</script>",
        esc(&entry.scenario.name),
        esc(&n.protocol),
        n.rounds,
        n.seed,
        key = json!(n.key),
    );
    page(&format!("negotiation {id}"), &body).into_response()
}

/// A person's seat.
pub async fn play(State(app): State<Arc<App>>, Path((id, token)): Path<(u64, String)>) -> Response {
    let Some(n) = app.negotiation(id) else {
        return not_found(format!("no negotiation {id}"));
    };
    if n.seat_of(&token).is_none() {
        return (
            StatusCode::FORBIDDEN,
            page("no seat", "<p>No seat has this link.</p>"),
        )
            .into_response();
    }
    let body = format!(
        "<h1>Negotiation {id}</h1><p id=\"who\">joining…</p><div id=\"status\">waiting for your turn…</div>\
         <p id=\"standing\"></p><form id=\"builder\" onsubmit=\"return false\" hidden></form><p id=\"mine\" hidden></p>\
         <button id=\"offer\" disabled hidden>offer</button><button id=\"accept\" disabled hidden>accept the offer on the table</button>\
         <button id=\"end\" disabled hidden>walk away</button>\
         <div id=\"ballot\" hidden><p id=\"ballot-text\"></p>\
         <button id=\"vote-yes\">yes</button><button id=\"vote-no\">no</button>\
         <button id=\"feedback-better\">better</button><button id=\"feedback-same\">the same</button><button id=\"feedback-worse\">worse</button></div>\
         <h2>Moves</h2><ol id=\"log\"></ol>\
         <script>play({id}, {token});</script>",
        token = json!(token),
    );
    page(&format!("negotiation {id}"), &body).into_response()
}
