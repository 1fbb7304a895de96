//! One error type for every reader: the file, the place in it, what is wrong, how to fix it.

use std::fmt;
use std::path::{Path, PathBuf};

/// A scenario file that could not be read.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadError {
    pub path: PathBuf,
    /// Where in the file: `line 12`, `issue "Price"`, `key issueWeights.price`, …
    pub place: Option<String>,
    pub problem: String,
    /// What the user can do about it.
    pub fix: Option<String>,
}

impl LoadError {
    pub fn new(path: &Path, problem: impl Into<String>) -> LoadError {
        LoadError {
            path: path.to_path_buf(),
            place: None,
            problem: problem.into(),
            fix: None,
        }
    }

    pub fn at(mut self, place: impl Into<String>) -> LoadError {
        self.place = Some(place.into());
        self
    }

    pub fn fix(mut self, fix: impl Into<String>) -> LoadError {
        self.fix = Some(fix.into());
        self
    }
}

impl fmt::Display for LoadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.path.display())?;
        if let Some(place) = &self.place {
            write!(f, ", {place}")?;
        }
        write!(f, ": {}", self.problem)?;
        if let Some(fix) = &self.fix {
            write!(f, " (fix: {fix})")?;
        }
        Ok(())
    }
}

impl std::error::Error for LoadError {}

pub(crate) fn read_text(path: &Path) -> Result<String, LoadError> {
    let bytes = std::fs::read(path).map_err(|e| {
        LoadError::new(path, format!("cannot read the file: {e}"))
            .fix("check the path and the file's permissions")
    })?;
    match String::from_utf8(bytes) {
        Ok(s) => Ok(s),
        // Old GENIUS files are sometimes Latin-1; every byte maps to one char.
        Err(e) => Ok(e.into_bytes().iter().map(|&b| b as char).collect()),
    }
}
