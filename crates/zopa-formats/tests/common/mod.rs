//! Shared helpers: the reference data lives in `../shared/` beside the repository.

#![allow(dead_code)] // each test binary uses a different subset

use std::path::PathBuf;

/// `shared/scenarios/…` from the workspace root's sibling `shared/`.
pub fn shared(rel: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared");
    let p = root.join(rel);
    assert!(
        p.exists(),
        "reference data missing: {} (zopa's tests read ../shared beside the repository)",
        p.display()
    );
    p
}

pub fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}
