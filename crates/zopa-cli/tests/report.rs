//! `zopa report` end to end in headless Chromium (installed by `.ci/run` from Debian's
//! packages): the page opens from disk with no network, no script error, both charts drawn,
//! and a screenshot whose chart area is not blank. On the flagship and on a classic scenario.
//! Set `ZOPA_SKIP_BROWSER=1` to skip on a machine without Chromium.

#![allow(clippy::print_stderr)] // the test reports what it skipped

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{run_ok, zopa};

fn chromium() -> Option<String> {
    ["chromium", "chromium-browser", "google-chrome"]
        .into_iter()
        .find(|c| {
            Command::new(c)
                .arg("--version")
                .output()
                .is_ok_and(|o| o.status.success())
        })
        .map(str::to_string)
}

fn browser(bin: &str, profile: &Path, extra: &[&str], page: &Path) -> std::process::Output {
    Command::new(bin)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--enable-logging=stderr",
            "--v=0",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .output()
        .expect("run chromium")
}

fn check(scenario: &str, name: &str) {
    let Some(bin) = chromium() else {
        assert!(
            std::env::var_os("ZOPA_SKIP_BROWSER").is_some(),
            "Chromium is not installed (`.ci/run` installs it); set ZOPA_SKIP_BROWSER=1 to skip"
        );
        eprintln!("no Chromium: browser test skipped");
        return;
    };
    let dir = std::env::temp_dir().join(format!("zopa-report-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    run_ok(zopa().arg("report").arg(scenario).arg("--out").arg(&dir));
    let page = dir.join("report.html");
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    assert!(md.contains("## Solution deals") && md.contains("## Sensitivity"));

    let dom = browser(
        &bin,
        &dir.join("profile-dom"),
        &["--virtual-time-budget=3000", "--dump-dom"],
        &page,
    );
    let text = String::from_utf8_lossy(&dom.stdout);
    let log = String::from_utf8_lossy(&dom.stderr);
    assert!(
        text.contains("data-charts=\"2\""),
        "the charts were not drawn; console:\n{log}"
    );
    assert!(
        !text.contains("data-error"),
        "a script error on the page; console:\n{log}"
    );
    // Where a zone of possible agreement exists, the frontier chart shades it.
    if md.contains("zone of possible agreement: **exists**") {
        assert!(
            text.contains("data-zopa-shaded=\"yes\""),
            "the ZOPA is not shaded; console:\n{log}"
        );
    }
    assert!(!log.contains("Uncaught"), "console error:\n{log}");

    let shot = dir.join("shot.png");
    let out = browser(
        &bin,
        &dir.join("profile-shot"),
        &[
            "--virtual-time-budget=3000",
            "--hide-scrollbars",
            "--window-size=1200,1000",
            &format!("--screenshot={}", shot.display()),
        ],
        &page,
    );
    assert!(
        shot.exists(),
        "no screenshot: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    // The two canvases fill the top of the page: count colours and ink there.
    let probe = format!(
        "from PIL import Image; im = Image.open({:?}).convert('RGB'); w, h = im.size; \
         px = list(im.crop((0, 0, w, min(h, 560))).getdata()); \
         ink = sum(1 for p in px if p != (255, 255, 255)) / len(px); \
         print(len(set(px)), round(ink, 4))",
        shot.to_string_lossy()
    );
    let out = Command::new("python3")
        .arg("-c")
        .arg(probe)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "could not read the screenshot: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let reading = String::from_utf8_lossy(&out.stdout);
    let mut it = reading.split_whitespace();
    let colours: usize = it.next().unwrap().parse().unwrap();
    let ink: f64 = it.next().unwrap().parse().unwrap();
    assert!(
        colours > 40 && ink > 0.02,
        "the chart area looks blank: {colours} colours, {ink} ink"
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn ukraine_report_opens_in_chromium_with_charts_drawn() {
    let scenario = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../scenarios/ukraine-2025");
    check(scenario.to_str().unwrap(), "ukraine");
}

#[test]
fn classic_report_opens_in_chromium_with_charts_drawn() {
    let scenario = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/scenarios/NegotiatorGUI/etc/templates/anac/y2010/EnglandZimbabwe");
    check(scenario.to_str().unwrap(), "classic");
}

/// Every "replays with" command the report prints reproduces its run's row: same end, same
/// rounds, same utilities (to the three decimals printed).
#[test]
fn every_simulated_run_replays_from_the_command_the_report_prints() {
    let scenario = common::repo("scenarios/ukraine-2025");
    let dir = std::env::temp_dir().join(format!("zopa-report-replay-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    run_ok(zopa().arg("report").arg(&scenario).arg("--out").arg(&dir));
    let md = std::fs::read_to_string(dir.join("report.md")).unwrap();
    let section = &md[md.find("## Simulated negotiations").unwrap()..];
    let rows: Vec<&str> = section
        .lines()
        .filter(|l| l.starts_with("| ") && l.chars().nth(2).is_some_and(|c| c.is_ascii_digit()))
        .take_while(|l| !l.is_empty())
        .collect();
    let commands: Vec<&str> = section
        .lines()
        .filter_map(|l| {
            l.split_once(". `zopa run SCENARIO ")
                .map(|(_, c)| c.trim_end_matches('`'))
        })
        .collect();
    assert!(
        !commands.is_empty() && commands.len() <= rows.len(),
        "{section}"
    );
    for (row, command) in rows.iter().zip(&commands) {
        // Arguments, with quoted party names kept whole.
        let mut args: Vec<String> = Vec::new();
        let mut quoted = false;
        let mut cur = String::new();
        for ch in command.chars() {
            match ch {
                '"' => quoted = !quoted,
                ' ' if !quoted => {
                    if !cur.is_empty() {
                        args.push(std::mem::take(&mut cur));
                    }
                }
                c => cur.push(c),
            }
        }
        args.push(cur);
        let out = run_ok(zopa().arg("run").arg(&scenario).args(&args).arg("--json"));
        let j: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let cells: Vec<&str> = row.split(" | ").map(str::trim).collect();
        assert_eq!(cells[3], j["end"].as_str().unwrap(), "{command}");
        assert_eq!(cells[4], j["rounds"].to_string(), "{command}");
        let utilities: Vec<String> = j["utilities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|u| format!("{:.3}", u.as_f64().unwrap()))
            .collect();
        let printed: Vec<String> = cells[6..6 + utilities.len()]
            .iter()
            .map(|c| c.trim_end_matches(" |").trim().to_string())
            .collect();
        assert_eq!(printed, utilities, "{command}\n{row}");
    }
}
