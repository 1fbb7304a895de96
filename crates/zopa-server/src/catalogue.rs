//! The scenarios a server offers: every scenario found under the paths it was given (any
//! format zopa reads), with what the list shows.

use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

use serde_json::{json, Value as Json};
use zopa_core::analysis::{analyze, AnalysisConfig, Definitions};
use zopa_core::Scenario;

/// One scenario on offer.
pub struct Entry {
    pub id: usize,
    pub path: PathBuf,
    pub scenario: Arc<Scenario>,
    /// The analysis of its negotiators, computed once, when first asked.
    pub summary: OnceLock<Json>,
}

impl Entry {
    /// What the list and the scenario page show: size, parties, and (computed once) whether a
    /// zone of possible agreement exists and the Nash deal.
    pub fn summary(&self) -> &Json {
        self.summary.get_or_init(|| {
            let s = &self.scenario;
            let config = AnalysisConfig {
                parties: Some(s.negotiators()),
                ..AnalysisConfig::new(Definitions::Zopa)
            };
            match analyze(s, &config) {
                Ok(a) => json!({
                    "zopa": a.zopa_exists,
                    "frontier": a.frontier.iter().map(|p| &p.utilities).collect::<Vec<_>>(),
                    "reserved": a.reserved,
                    "analysed": a.parties.iter().map(|&p| &s.parties[p].name).collect::<Vec<_>>(),
                    "nash": a.nash.as_ref().map(|p| json!({
                        "utilities": p.utilities,
                        "outcome": zopa_api::json::outcome(s, &p.outcome),
                    })),
                }),
                Err(e) => json!({"error": e.to_string()}),
            }
        })
    }

    /// The list's row: id, name, path, issues, outcome count, parties and roles.
    pub fn row(&self) -> Json {
        let s = &self.scenario;
        let outcomes = s
            .issues
            .iter()
            .map(|i| i.exact_cardinality())
            .try_fold(1u128, |n, c| c.and_then(|c| n.checked_mul(c)));
        json!({
            "id": self.id,
            "name": s.name,
            "path": self.path.display().to_string(),
            "issues": s.issues.len(),
            "outcomes": outcomes.map_or("infinite or huge".to_string(), |n| n.to_string()),
            "parties": s.parties.iter().map(|p| json!({"name": p.name, "role": p.role.as_str()})).collect::<Vec<_>>(),
        })
    }
}

/// Every scenario under `paths`: a path that reads as a scenario is one; a folder that does not
/// is searched (three levels deep) for scenarios. Returns them and the notes about what could
/// not be read.
pub fn find(paths: &[PathBuf]) -> (Vec<Entry>, Vec<String>) {
    let mut entries = Vec::new();
    let mut notes = Vec::new();
    for p in paths {
        walk(p, 0, &mut entries, &mut notes);
    }
    (entries, notes)
}

fn walk(path: &Path, depth: usize, entries: &mut Vec<Entry>, notes: &mut Vec<String>) {
    let readable = path.is_dir()
        || path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| ["toml", "xml", "json", "yml", "yaml"].contains(&e));
    if !readable {
        if depth == 0 {
            notes.push(if path.exists() {
                format!(
                    "{}: not a scenario file or folder (zopa reads .toml, .xml, .json, .yml)",
                    path.display()
                )
            } else {
                format!("{}: no such file or folder", path.display())
            });
        }
        return;
    }
    match zopa_api::load(path, Definitions::Zopa) {
        Ok(s) => {
            entries.push(Entry {
                id: entries.len(),
                path: path.to_path_buf(),
                scenario: Arc::new(s),
                summary: OnceLock::new(),
            });
            // A scenario folder may hold more scenarios in folders of its own (variants/).
            if path.is_dir() && depth < 3 {
                let mut dirs: Vec<PathBuf> = std::fs::read_dir(path)
                    .map(|list| {
                        list.filter_map(|d| d.ok().map(|d| d.path()))
                            .filter(|p| p.is_dir())
                            .collect()
                    })
                    .unwrap_or_default();
                dirs.sort();
                for d in dirs {
                    walk(&d, depth + 1, entries, notes);
                }
            }
        }
        Err(e) if path.is_dir() && depth < 3 => {
            let Ok(list) = std::fs::read_dir(path) else {
                notes.push(e.to_string());
                return;
            };
            let mut children: Vec<PathBuf> =
                list.filter_map(|d| d.ok().map(|d| d.path())).collect();
            children.sort();
            let before = entries.len();
            for c in children {
                walk(&c, depth + 1, entries, notes);
            }
            if entries.len() == before && depth == 0 {
                notes.push(e.to_string());
            }
        }
        Err(e) => {
            if depth == 0 || !path.is_dir() {
                notes.push(e.to_string());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scenarios_are_found_and_what_is_not_one_is_noted() {
        let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let (entries, notes) = find(&[
            repo.join("scenarios/examples"),
            repo.join("no-such-folder"),
            repo.join("README.md"),
        ]);
        let names: Vec<&str> = entries.iter().map(|e| e.scenario.name.as_str()).collect();
        assert!(
            names.contains(&"genius-job") && names.contains(&"plan-28"),
            "{names:?}"
        );
        assert!(
            notes
                .iter()
                .any(|n| n.ends_with("no-such-folder: no such file or folder")),
            "{notes:?}"
        );
        assert!(
            notes
                .iter()
                .any(|n| n.contains("README.md: not a scenario file")),
            "{notes:?}"
        );
        // Ids are positions in the list.
        assert!(entries.iter().enumerate().all(|(k, e)| e.id == k));
    }
}
