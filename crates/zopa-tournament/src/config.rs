//! The tournament file (TOML), documented in `docs/tournaments.md`.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// A tournament as written in its file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tournament {
    /// Master seed; every negotiation's seed derives from it and the negotiation's id.
    pub seed: u64,
    #[serde(default = "one")]
    pub repetitions: u32,
    /// Also play each pairing with the roles (scenario parties) swapped.
    #[serde(default = "yes")]
    pub rotate_roles: bool,
    /// Also pair each strategy with itself.
    #[serde(default)]
    pub self_play: bool,
    /// `sao` (the only protocol tournaments run so far).
    #[serde(default = "sao")]
    pub protocol: String,
    #[serde(default = "hundred")]
    pub rounds: u32,
    /// Scenario files or folders, and globs of them, relative to the tournament file.
    pub scenarios: Vec<String>,
    /// Strategy specs, as for `zopa run` (`boulware`, `conceder:e=3`).
    pub strategies: Vec<String>,
    /// Store every negotiation's full trace (JSON) as well.
    #[serde(default)]
    pub store_traces: bool,
}

fn one() -> u32 {
    1
}
fn yes() -> bool {
    true
}
fn sao() -> String {
    "sao".into()
}
fn hundred() -> u32 {
    100
}

#[derive(Debug, thiserror::Error)]
pub enum TournamentError {
    #[error("{path}: {problem} (fix: {fix})")]
    File {
        path: PathBuf,
        problem: String,
        fix: String,
    },
    #[error(transparent)]
    Scenario(#[from] zopa_formats::LoadError),
    /// SQLite's own message, once: the error is not chained as a `source`, because
    /// rusqlite's error repeats its inner error's text and anyhow would print each layer.
    #[error("database {}: {error}", path.display())]
    Database {
        path: PathBuf,
        error: rusqlite::Error,
    },
    #[error("{0}")]
    Plan(String),
    /// Writing an export (Parquet) failed.
    #[error("{0}")]
    Export(String),
}

impl Tournament {
    pub fn load(path: &Path) -> Result<Tournament, TournamentError> {
        let text = std::fs::read_to_string(path).map_err(|e| TournamentError::File {
            path: path.into(),
            problem: format!("cannot read: {e}"),
            fix: "check the path".into(),
        })?;
        Tournament::from_toml(path, &text)
    }

    /// A tournament file's text; `path` names it in errors.
    pub fn from_toml(path: &Path, text: &str) -> Result<Tournament, TournamentError> {
        Tournament::from_toml_with(path, text, &[])
    }

    /// [`Tournament::from_toml`] where `strategies` may also name the labels of `external`
    /// negotiators (built outside the registry: Python objects), seated by
    /// [`run_tournament_with`](crate::runner::run_tournament_with).
    pub fn from_toml_with(
        path: &Path,
        text: &str,
        external: &[String],
    ) -> Result<Tournament, TournamentError> {
        let t: Tournament = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| text[..s.start].matches('\n').count() + 1);
            TournamentError::File {
                path: path.into(),
                problem: match line {
                    Some(l) => format!("line {l}: {}", e.message()),
                    None => e.message().to_string(),
                },
                fix: "see docs/tournaments.md for the keys".into(),
            }
        })?;
        t.check(path, external)?;
        Ok(t)
    }

    fn check(&self, path: &Path, external: &[String]) -> Result<(), TournamentError> {
        let bad = |problem: String, fix: &str| TournamentError::File {
            path: path.into(),
            problem,
            fix: fix.into(),
        };
        if self.protocol != "sao" {
            return Err(bad(
                format!(
                    "protocol `{}` is not supported in tournaments",
                    self.protocol
                ),
                "use protocol = \"sao\"",
            ));
        }
        if self.strategies.is_empty() || self.scenarios.is_empty() {
            return Err(bad(
                "no strategies or no scenarios".into(),
                "list at least one of each",
            ));
        }
        if self.repetitions == 0 || self.rounds == 0 {
            return Err(bad(
                "repetitions and rounds must be ≥ 1".into(),
                "set repetitions = 1 or more",
            ));
        }
        // One strategy listed twice would play the same negotiations (same ids) twice.
        let mut labels: Vec<(String, &str)> = Vec::new();
        for s in &self.strategies {
            let label = if external.contains(s) {
                s.clone()
            } else if s.starts_with("negmas:") {
                return Err(bad(
                    format!("strategy `{s}` is a NegMAS agent, which only Python can seat"),
                    "run the file from Python (`zopa.tournament(\"FILE\")`, README \"Python\"), or wrap the \
                     agent as a program: exec:COMMAND (docs/party-protocol.md)",
                ));
            } else if let Some(command) = s.strip_prefix(zopa_party::EXEC_PREFIX) {
                // A program speaking the party protocol, seated by its spec as written.
                zopa_party::exec::split(command).map_err(|e| {
                    bad(format!("strategy `{s}`: {e}"), "see docs/party-protocol.md")
                })?;
                s.clone()
            } else {
                let spec = zopa_mechanisms::Spec::parse(s)
                    .map_err(|e| bad(e.to_string(), "see `zopa strategies`"))?;
                zopa_mechanisms::resolve(&spec, zopa_mechanisms::registry::Kind::Negotiator)
                    .and_then(|r| r.seated_in(zopa_mechanisms::Protocol::Sao))
                    .map_err(|e| bad(e.to_string(), "see `zopa strategies`"))?;
                spec.label()
            };
            if let Some((_, first)) = labels.iter().find(|(l, _)| *l == label) {
                let spelled = if first == s {
                    String::new()
                } else {
                    format!(" (as `{first}` and `{s}`)")
                };
                return Err(bad(
                    format!("strategy `{label}` is listed twice in `strategies`{spelled}"),
                    "list each strategy once (self_play = true pairs a strategy with itself)",
                ));
            }
            labels.push((label, s));
        }
        Ok(())
    }

    /// Scenario paths, expanded from globs, relative to `base`, sorted and without repeats.
    pub fn scenario_paths(&self, base: &Path) -> Result<Vec<PathBuf>, TournamentError> {
        let mut out = Vec::new();
        for pattern in &self.scenarios {
            let full = base.join(pattern);
            if pattern.contains(['*', '?', '[']) {
                let text = full.to_string_lossy().into_owned();
                let matches = glob::glob(&text)
                    .map_err(|e| TournamentError::Plan(format!("bad glob `{pattern}`: {e}")))?;
                let mut found: Vec<PathBuf> = matches.filter_map(Result::ok).collect();
                if found.is_empty() {
                    return Err(TournamentError::Plan(format!(
                        "`{pattern}` matches no scenario (looked under {})",
                        base.display()
                    )));
                }
                found.sort();
                out.extend(found);
            } else {
                if !full.exists() {
                    return Err(TournamentError::Plan(format!(
                        "scenario `{pattern}` does not exist (looked under {})",
                        base.display()
                    )));
                }
                out.push(full);
            }
        }
        out.sort();
        out.dedup();
        Ok(out)
    }
}
