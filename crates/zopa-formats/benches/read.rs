//! `cargo bench -p zopa-formats`: reading one discrete issue of 10^4 and 10^5 values from
//! zopa TOML and from GENIUS XML (a domain and two profiles). Reading is linear in the number
//! of values; it was quadratic (30,000 values: 7.6 s from TOML, over 20 s from XML).

use std::path::{Path, PathBuf};

use zopa_formats::{load, ReadOptions};

fn main() {
    divan::main();
}

const SIZES: [usize; 2] = [10_000, 100_000];

fn folder(kind: &str, n: usize) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("zopa-bench-read-{kind}-{n}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn toml_file(n: usize) -> PathBuf {
    let dir = folder("toml", n);
    let values: Vec<String> = (0..n).map(|i| format!("\"v{i}\"")).collect();
    let scores: Vec<String> = (0..n).map(|i| format!("v{i} = {}", i % 10)).collect();
    let party = |name: &str| {
        format!(
            "\n[[parties]]\nname = \"{name}\"\n[parties.weights]\nx = 1\n[parties.evaluations]\nx = {{ {} }}\n",
            scores.join(", ")
        )
    };
    let text = format!(
        "name = \"big\"\n[[issues]]\nname = \"x\"\nvalues = [{}]\n{}{}",
        values.join(", "),
        party("a"),
        party("b")
    );
    let file = dir.join("big.toml");
    std::fs::write(&file, text).unwrap();
    file
}

fn genius_folder(n: usize) -> PathBuf {
    let dir = folder("xml", n);
    let items: String = (0..n)
        .map(|i| {
            format!(
                "<item index=\"{}\" value=\"v{i}\" evaluation=\"{}\"/>\n",
                i + 1,
                i % 7
            )
        })
        .collect();
    let issue = format!(
        "<objective index=\"0\" name=\"o\" type=\"objective\" etype=\"objective\"><weight index=\"1\" value=\"1\"/><issue index=\"1\" name=\"x\" type=\"discrete\" etype=\"discrete\">\n{items}</issue></objective>"
    );
    std::fs::write(
        dir.join("domain.xml"),
        format!(
            "<negotiation_template><utility_space>{issue}</utility_space></negotiation_template>"
        ),
    )
    .unwrap();
    for p in ["a", "b"] {
        std::fs::write(
            dir.join(format!("{p}.xml")),
            format!("<utility_space>{issue}</utility_space>"),
        )
        .unwrap();
    }
    dir
}

fn read(bencher: divan::Bencher, path: &Path) {
    bencher.bench(|| load(divan::black_box(path), &ReadOptions::genius()).unwrap());
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn toml_values(bencher: divan::Bencher, n: usize) {
    read(bencher, &toml_file(n));
}

#[divan::bench(args = SIZES, sample_count = 5)]
fn genius_xml_values(bencher: divan::Bencher, n: usize) {
    read(bencher, &genius_folder(n));
}
