//! zopa-formats: reading and writing negotiation scenarios.
//!
//! [`load`] detects the format from the path:
//! * a `.toml` file, or a folder holding exactly one — zopa's native format (`native`);
//! * a folder of GENIUS XML (a domain plus profiles), or one domain `.xml` file in such a
//!   folder when it holds several domains (ANAC 2012's A/B/C variants);
//! * a folder of GeniusWeb JSON (a domain plus `LinearAdditiveUtilitySpace` profiles);
//! * a NegoLog folder (`profileA.json`, `profileB.json`, optional `specs.json`);
//! * a folder NegMAS's `Scenario.dumpas` wrote, in YAML or JSON (`negmas`): an outcome-space
//!   file and utility-function files, told apart by their `type`.
//!
//! Everything else in a scenario folder (statistics, images, `pareto.xml`) is ignored and
//! listed in [`Scenario::notes`].

mod error;
mod genius;
mod geniusweb;
mod native;
mod native_ranges;
mod native_write;
mod negmas;
mod negolog;
mod xml;

use std::path::{Path, PathBuf};

pub use error::LoadError;
pub use native::from_str as from_toml;
pub use native_write::to_toml;
use zopa_core::Scenario;

/// How GENIUS XML evaluations are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GeniusEvaluations {
    /// As GENIUS evaluates them: discrete evaluations divided by the issue's (rounded)
    /// maximum when it exceeds 1, utility capped at 1.
    Normalized,
    /// As NegMAS reads them: evaluations used raw, no cap.
    Raw,
}

/// Reader settings.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    pub genius_evaluations: GeniusEvaluations,
}

impl ReadOptions {
    pub fn genius() -> ReadOptions {
        ReadOptions {
            genius_evaluations: GeniusEvaluations::Normalized,
        }
    }
}

/// The formats zopa reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Native,
    GeniusXml,
    GeniusWebJson,
    NegologJson,
    NegmasYaml,
    NegmasJson,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Native => "zopa-toml",
            Format::GeniusXml => "genius-xml",
            Format::GeniusWebJson => "geniusweb-json",
            Format::NegologJson => "negolog-json",
            Format::NegmasYaml => "negmas-yaml",
            Format::NegmasJson => "negmas-json",
        }
    }
}

/// Loads the scenario at `path` (a file or a folder), detecting its format.
pub fn load(path: &Path, options: &ReadOptions) -> Result<Scenario, LoadError> {
    load_with_format(path, options).map(|(s, _)| s)
}

/// Like [`load`], also saying which format was read.
pub fn load_with_format(
    path: &Path,
    options: &ReadOptions,
) -> Result<(Scenario, Format), LoadError> {
    let meta = std::fs::metadata(path).map_err(|e| {
        LoadError::new(path, format!("cannot open: {e}"))
            .fix("give the path of a scenario file or folder")
    })?;
    let (dir, chosen) = if meta.is_dir() {
        (path.to_path_buf(), None)
    } else {
        (folder_of(path), Some(path.to_path_buf()))
    };
    let files = list(&dir)?;
    let ext = |p: &Path, e: &str| p.extension().is_some_and(|x| x.eq_ignore_ascii_case(e));
    let (scenario, format) =
        match &chosen {
            Some(file) if ext(file, "toml") => (native::read(file)?, Format::Native),
            Some(file) if ext(file, "xml") => (
                read_genius(&dir, &files, Some(file), options)?,
                Format::GeniusXml,
            ),
            Some(file) if ext(file, "yml") || ext(file, "yaml") => {
                read_negmas(&dir, &files, Some(file))?.ok_or_else(|| {
                    LoadError::new(file, "not a NegMAS scenario file")
                        .fix("pass the folder NegMAS's Scenario.dumpas wrote")
                })?
            }
            Some(file) if ext(file, "json") && negmas::is_negmas_file(file) => {
                read_negmas(&dir, &files, Some(file))?
                    .ok_or_else(|| LoadError::new(file, "not a NegMAS scenario file"))?
            }
            Some(file) if ext(file, "json") => read_json_folder(&dir, &files, Some(file))?,
            Some(file) => return Err(LoadError::new(
                file,
                "not a scenario file (zopa reads .toml, GENIUS .xml, GeniusWeb/NegoLog/NegMAS .json and NegMAS .yml)",
            )
            .fix("pass a .toml, .xml or .json scenario file, or the scenario's folder")),
            None => {
                let tomls: Vec<&PathBuf> = files.iter().filter(|f| ext(f, "toml")).collect();
                let xmls = files.iter().filter(|f| ext(f, "xml")).count();
                let jsons = files.iter().filter(|f| ext(f, "json")).count();
                if let [one] = tomls.as_slice() {
                    (native::read(one)?, Format::Native)
                } else if tomls.len() > 1 {
                    return Err(
                        LoadError::new(path, "the folder holds several .toml scenarios")
                            .fix("pass one of the .toml files"),
                    );
                } else if xmls > 0 {
                    (read_genius(&dir, &files, None, options)?, Format::GeniusXml)
                } else if let Some(found) = read_negmas(&dir, &files, None)? {
                    found
                } else if jsons > 0 {
                    read_json_folder(&dir, &files, None)?
                } else {
                    return Err(LoadError::new(
                        path,
                        "no scenario files (.toml, .xml, .json or NegMAS .yml) in this folder",
                    )
                    .fix("point zopa at a scenario file or a folder holding one"));
                }
            }
        };
    let mut scenario = scenario;
    let used: Vec<&str> = match format {
        Format::Native => vec!["toml"],
        Format::GeniusXml => vec!["xml"],
        Format::GeniusWebJson | Format::NegologJson | Format::NegmasJson => vec!["json"],
        Format::NegmasYaml => vec!["yml", "yaml"],
    };
    let others: Vec<String> = files
        .iter()
        .filter(|f| !used.iter().any(|e| ext(f, e)))
        .filter_map(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()))
        .filter(|n| !n.starts_with('.') && !n.eq_ignore_ascii_case("README.md"))
        .collect();
    // Other files beside a folder's scenario are worth a note; beside one chosen file, not.
    if !others.is_empty() && chosen.is_none() {
        scenario.notes.push(format!(
            "ignored other files in the folder: {}",
            others.join(", ")
        ));
    }
    scenario.validate().map_err(|e| {
        LoadError::new(path, e.to_string()).fix("correct the scenario so that it holds together")
    })?;
    scenario.notes.extend(scenario.range_notes());
    Ok((scenario, format))
}

/// The folder a scenario file sits in: `.` for a bare file name (whose parent is `""`).
fn folder_of(file: &Path) -> PathBuf {
    match file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

fn list(dir: &Path) -> Result<Vec<PathBuf>, LoadError> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| LoadError::new(dir, format!("cannot list the folder: {e}")))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .collect();
    files.sort();
    Ok(files)
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The prefix a domain's profiles share when several domains share a folder
/// (`FiftyFifty-A-domain.xml` → `FiftyFifty-A`).
fn domain_prefix(domain: &Path) -> String {
    let stem = domain
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    stem.trim_end_matches("domain")
        .trim_end_matches("Domain")
        .trim_end_matches(['-', '_'])
        .to_string()
}

/// The domain a profile belongs to: the one with the longest prefix of the profile's name, or
/// the only one.
fn domain_for<'a>(
    profile: &Path,
    domains: &'a [(PathBuf, xml::Element)],
) -> Option<&'a (PathBuf, xml::Element)> {
    let name = file_name(profile);
    let best = domains
        .iter()
        .filter(|(d, _)| {
            let p = domain_prefix(d);
            !p.is_empty() && name.starts_with(&p)
        })
        .max_by_key(|(d, _)| domain_prefix(d).len());
    best.or(if domains.len() == 1 {
        domains.first()
    } else {
        None
    })
}

/// A parsed XML file and its path.
type XmlDoc = (PathBuf, xml::Element);

fn classify_folder(
    dir: &Path,
    chosen: Option<&PathBuf>,
    notes: &mut Vec<String>,
) -> Result<(Vec<XmlDoc>, Vec<XmlDoc>), LoadError> {
    let mut domains = Vec::new();
    let mut profiles = Vec::new();
    for f in list(dir)?
        .iter()
        .filter(|f| f.extension().is_some_and(|e| e.eq_ignore_ascii_case("xml")))
    {
        match genius::classify(f, notes) {
            Ok(genius::XmlFile::Domain(p, e)) => domains.push((p, e)),
            Ok(genius::XmlFile::Profile(p, e)) => profiles.push((p, e)),
            Err(e) if chosen == Some(f) => return Err(e),
            Err(e) => notes.push(format!("ignored {}: {}", file_name(f), e.problem)),
        }
    }
    Ok((domains, profiles))
}

fn read_genius(
    dir: &Path,
    _files: &[PathBuf],
    chosen: Option<&PathBuf>,
    options: &ReadOptions,
) -> Result<Scenario, LoadError> {
    let mut notes = Vec::new();
    let (mut domains, profiles) = classify_folder(dir, chosen, &mut notes)?;
    if domains.is_empty() {
        // Profiles kept in a sub-folder of their domain (GENIUS's partydomain/AI2009).
        if let Some(parent) = dir.parent() {
            let mut ignored = Vec::new();
            if let Ok((parent_domains, _)) = classify_folder(parent, None, &mut ignored) {
                if !parent_domains.is_empty() {
                    notes.push(format!(
                        "domain taken from the parent folder {}",
                        parent.display()
                    ));
                }
                domains = parent_domains;
            }
        }
    }
    let names = |ds: &[(PathBuf, xml::Element)]| {
        ds.iter()
            .map(|(p, _)| file_name(p))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let (domain_path, domain_el) = match chosen {
        Some(c) => match domains.iter().find(|(p, _)| p == c) {
            Some(d) => d.clone(),
            None => domain_for(c, &domains).cloned().ok_or_else(|| {
                LoadError::new(
                    c,
                    format!(
                        "cannot tell which domain this profile belongs to (domains here: {})",
                        names(&domains)
                    ),
                )
                .fix("pass the domain file instead")
            })?,
        },
        None => match domains.as_slice() {
            [one] => one.clone(),
            [] => {
                return Err(LoadError::new(dir, "no GENIUS domain file in this folder")
                    .fix("add the domain file (root <negotiation_template>) beside the profiles"))
            }
            many => {
                return Err(LoadError::new(
                    dir,
                    format!("the folder holds {} domains: {}", many.len(), names(many)),
                )
                .fix("pass one domain file instead of the folder"));
            }
        },
    };
    let mut domain = genius::read_domain(&domain_path, &domain_el)?;
    // NegMAS's GENIUS export scores integer issues value by value.
    genius::tabulate_integer_issues(
        &mut domain,
        profiles
            .iter()
            .filter(|(p, _)| domain_for(p, &domains).map(|d| &d.0) == Some(&domain_path))
            .map(|(_, e)| e),
        &mut notes,
    );
    if options.genius_evaluations == GeniusEvaluations::Raw {
        // NegMAS's categorical issues are sets: a value listed twice is one value.
        for issue in &mut domain.issues {
            if let zopa_core::IssueKind::Discrete {
                values,
                descriptions,
            } = &mut issue.kind
            {
                let before = values.len();
                let mut seen = std::collections::HashSet::with_capacity(values.len());
                let keep: Vec<usize> = (0..values.len())
                    .filter(|&i| seen.insert(values[i].as_str()))
                    .collect();
                *descriptions = keep.iter().map(|&i| descriptions[i].clone()).collect();
                *values = keep.iter().map(|&i| values[i].clone()).collect();
                if values.len() < before {
                    notes.push(format!(
                        "issue `{}` lists {} values twice; merged them as NegMAS does",
                        issue.name,
                        before - values.len()
                    ));
                }
            }
        }
    }
    let mut parties = Vec::new();
    for (p, e) in &profiles {
        if domain_for(p, &domains).map(|d| &d.0) != Some(&domain_path) {
            continue;
        }
        match genius::read_profile(p, e, &domain, options) {
            Ok(party) => parties.push(party),
            Err(err) => notes.push(format!("skipped profile {}: {}", file_name(p), err)),
        }
    }
    if parties.len() < 2 {
        let why = if notes.is_empty() {
            String::new()
        } else {
            format!(" ({})", notes.join("; "))
        };
        return Err(LoadError::new(
            &domain_path,
            format!("fewer than two usable profiles for this domain{why}"),
        )
        .fix("put two or more <utility_space> profiles of this domain in its folder"));
    }
    let name = if domains.len() > 1 {
        domain_prefix(&domain_path)
    } else {
        dir.file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or(domain.name)
    };
    Ok(zopa_core::Scenario {
        ranges: zopa_core::Ranges::default(),
        name,
        description: None,
        issues: domain.issues,
        parties,
        notes,
        events: Vec::new(),
        calendar: None,
        texts: Vec::new(),
        exclusions: Vec::new(),
    })
}

/// The NegMAS scenario (YAML or JSON from `Scenario.dumpas`) in the folder, if any.
fn read_negmas(
    dir: &Path,
    files: &[PathBuf],
    chosen: Option<&PathBuf>,
) -> Result<Option<(Scenario, Format)>, LoadError> {
    Ok(
        negmas::read(dir, files, chosen.map(PathBuf::as_path))?.map(|(s, syntax)| {
            let format = match syntax {
                negmas::Syntax::Yaml => Format::NegmasYaml,
                negmas::Syntax::Json => Format::NegmasJson,
            };
            (s, format)
        }),
    )
}

/// What a JSON file in a scenario folder holds, judged by its keys, never its name.
enum JsonKind {
    GeniusWebDomain,
    GeniusWebProfile,
    NegologProfile,
    /// Statistics, specs and anything else: ignored with a note.
    Other(String),
}

fn classify_json(json: &serde_json::Value) -> JsonKind {
    let has = |k: &str| json.get(k).is_some();
    if has("issuesValues") {
        JsonKind::GeniusWebDomain
    } else if has("LinearAdditiveUtilitySpace") {
        JsonKind::GeniusWebProfile
    } else if has("issueWeights") && has("issues") {
        JsonKind::NegologProfile
    } else {
        let keys: Vec<&str> = json
            .as_object()
            .map(|o| o.keys().take(4).map(String::as_str).collect())
            .unwrap_or_default();
        JsonKind::Other(if keys.is_empty() {
            "not a JSON object".to_string()
        } else {
            format!("top-level keys {}", keys.join(", "))
        })
    }
}

fn read_json_folder(
    dir: &Path,
    files: &[PathBuf],
    chosen: Option<&PathBuf>,
) -> Result<(Scenario, Format), LoadError> {
    let mut geniusweb = Vec::new();
    let mut negolog = Vec::new();
    let mut tried = Vec::new();
    for f in files.iter().filter(|f| {
        f.extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    }) {
        let json = match geniusweb::parse_json(f) {
            Ok(j) => j,
            Err(e) if chosen == Some(f) => return Err(e),
            Err(e) => {
                tried.push(format!("{}: {}", file_name(f), e.problem));
                continue;
            }
        };
        match classify_json(&json) {
            JsonKind::GeniusWebDomain | JsonKind::GeniusWebProfile => {
                geniusweb.push((f.clone(), json))
            }
            JsonKind::NegologProfile => negolog.push((f.clone(), json)),
            JsonKind::Other(what) => tried.push(format!(
                "{}: not a GeniusWeb domain (`issuesValues`), a GeniusWeb profile \
                 (`LinearAdditiveUtilitySpace`) or a NegoLog profile (`issueWeights` and `issues`) ({what})",
                file_name(f)
            )),
        }
    }
    if !geniusweb.is_empty() {
        if !negolog.is_empty() {
            tried.push(format!(
                "NegoLog profiles beside GeniusWeb files, ignored: {}",
                negolog
                    .iter()
                    .map(|(p, _)| file_name(p))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        return Ok((
            geniusweb::read(dir, geniusweb, tried)?,
            Format::GeniusWebJson,
        ));
    }
    if !negolog.is_empty() {
        return Ok((negolog::read(dir, negolog, tried)?, Format::NegologJson));
    }
    Err(LoadError::new(
        chosen.map_or(dir, |c| c.as_path()),
        format!(
            "no scenario in this folder's JSON files ({})",
            tried.join("; ")
        ),
    )
    .fix("give a GeniusWeb domain with its profiles, or NegoLog's profileA.json and profileB.json"))
}
