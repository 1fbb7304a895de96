//! The Parquet export reads back in pyarrow (installed with NegMAS by `.ci/run`) with the same
//! values, nulls included. Set `ZOPA_SKIP_PYARROW=1` to skip on a machine without it.

#![allow(clippy::print_stderr)] // the test reports what it skipped

use std::process::Command;

use zopa_tournament::parquet::{write, Column};

#[test]
fn pyarrow_reads_what_we_write() {
    if std::env::var_os("ZOPA_SKIP_PYARROW").is_some() {
        eprintln!("ZOPA_SKIP_PYARROW set: Parquet read-back skipped");
        return;
    }
    let n = 1000;
    let text: Vec<Option<String>> = (0..n)
        .map(|i| (i % 7 != 3).then(|| format!("row {i} ✓, \"quoted\"")))
        .collect();
    let ints: Vec<Option<i64>> = (0..n)
        .map(|i| (i % 5 != 0).then_some(i64::from(i) * -3_000_000_007))
        .collect();
    let floats: Vec<Option<f64>> = (0..n)
        .map(|i| (i % 11 != 0).then_some(f64::from(i) / 3.0))
        .collect();
    let bools: Vec<Option<bool>> = (0..n)
        .map(|i| (i % 13 != 0).then_some(i % 2 == 0))
        .collect();
    let bytes = write(&[
        ("text", Column::Text(text.clone())),
        ("ints", Column::Int(ints.clone())),
        ("floats", Column::Float(floats.clone())),
        ("bools", Column::Bool(bools.clone())),
    ])
    .unwrap();
    let path = std::env::temp_dir().join(format!("zopa-parquet-{}.parquet", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(python)
        .arg("-c")
        .arg(format!(
            "import json, struct, pyarrow.parquet as pq; d = pq.read_table({:?}).to_pydict(); \
             d['floats'] = [None if x is None else struct.unpack('<Q', struct.pack('<d', x))[0] for x in d['floats']]; \
             print(json.dumps(d))",
            path.to_string_lossy()
        ))
        .output()
        .unwrap();
    std::fs::remove_file(&path).ok();
    assert!(
        out.status.success(),
        "pyarrow could not read the file:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let back: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(back["text"], serde_json::json!(text));
    assert_eq!(back["ints"], serde_json::json!(ints));
    // Floats come back as their bit patterns: JSON number parsing is not exact to the last bit.
    let got: Vec<Option<u64>> = back["floats"]
        .as_array()
        .unwrap()
        .iter()
        .map(serde_json::Value::as_u64)
        .collect();
    for (i, (g, f)) in got.iter().zip(&floats).enumerate() {
        assert_eq!(
            *g,
            f.map(f64::to_bits),
            "float #{i}: read {g:?}, wrote {f:?}"
        );
    }
    assert_eq!(got.len(), floats.len());
    assert_eq!(back["bools"], serde_json::json!(bools));
}

/// A file written a row group at a time (as `zopa tournament report --parquet` streams its
/// rows) reads back as one table, with as many row groups as were written, Snappy-compressed.
#[test]
fn row_groups_written_one_at_a_time_read_back_as_one_table() {
    use zopa_tournament::parquet::Writer;
    if std::env::var_os("ZOPA_SKIP_PYARROW").is_some() {
        eprintln!("ZOPA_SKIP_PYARROW set: Parquet read-back skipped");
        return;
    }
    let group = |k: i64| -> Vec<(&'static str, Column)> {
        vec![
            (
                "k",
                Column::Int((0..100).map(|i| Some(k * 100 + i)).collect()),
            ),
            (
                "name",
                Column::Text(
                    (0..100)
                        .map(|i| (i % 3 != 0).then(|| format!("g{k}-{i}")))
                        .collect(),
                ),
            ),
        ]
    };
    let mut bytes = Vec::new();
    let mut w = Writer::new(&mut bytes, &group(0)).unwrap();
    for k in 0..10 {
        w.group(&group(k)).unwrap();
    }
    // A group whose columns are not the file's is refused, not written.
    assert!(w.group(&group(0)[..1]).is_err());
    w.finish().unwrap();
    let path = std::env::temp_dir().join(format!("zopa-groups-{}.parquet", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(python)
        .arg("-c")
        .arg(format!(
            "import json, pyarrow.parquet as pq; f = pq.ParquetFile({:?}); t = f.read().to_pydict(); \
             print(json.dumps([f.num_row_groups, f.metadata.row_group(0).column(0).compression, t['k'][:3], t['k'][-1], t['name'][:4]]))",
            path.to_string_lossy()
        ))
        .output()
        .unwrap();
    std::fs::remove_file(&path).ok();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let back: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        back,
        serde_json::json!([10, "SNAPPY", [0, 1, 2], 999, [null, "g0-1", "g0-2", null]])
    );
}
