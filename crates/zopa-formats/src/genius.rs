//! GENIUS XML: a domain file plus two or more utility-space (profile) files in one folder.
//! Semantics follow GENIUS's Java parser as described in `../shared/notes/formats.md` §1.

use std::path::{Path, PathBuf};

use zopa_core::{
    AdditiveUtility, Aggregation, ConstraintUtility, Evaluator, HyperRectangle, Issue, IssueKind,
    NumericEvaluator, Party, RectangleKind, Role, UtilityFunction,
};

use crate::error::{read_text, LoadError};
use crate::xml::{self, Element};
use crate::{GeniusEvaluations, ReadOptions};

/// A parsed domain: issues plus the GENIUS `index` of each.
pub(crate) struct Domain {
    pub name: String,
    pub issues: Vec<Issue>,
    pub ids: Vec<i64>,
}

/// A parsed XML file and what it is.
pub(crate) enum XmlFile {
    Domain(PathBuf, Element),
    Profile(PathBuf, Element),
}

/// Parses `path` and tells domain from profile: `<negotiation_template>` is a domain; a
/// `<utility_space>` is a profile when it holds weights, evaluations or utility constraints
/// and a domain otherwise (ANAC 2016 domains use that root).
pub(crate) fn classify(path: &Path, notes: &mut Vec<String>) -> Result<XmlFile, LoadError> {
    let text = read_text(path)?;
    let (root, repairs) = xml::parse(path, &text)?;
    let file = path
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    if repairs.escaped_ampersands > 0 {
        notes.push(format!(
            "{file}: escaped {} bare `&`",
            repairs.escaped_ampersands
        ));
    }
    if repairs.separated_attributes > 0 {
        notes.push(format!(
            "{file}: separated {} attributes written without a space",
            repairs.separated_attributes
        ));
    }
    match root.name.as_str() {
        "negotiation_template" => Ok(XmlFile::Domain(path.to_path_buf(), root)),
        "utility_space" => {
            let mut scored = false;
            root.walk(&mut |e| {
                scored |= matches!(e.name.as_str(), "weight" | "evaluator" | "utility")
                    || (e.name == "item" && e.attr("evaluation").is_some());
            });
            Ok(if scored {
                XmlFile::Profile(path.to_path_buf(), root)
            } else {
                XmlFile::Domain(path.to_path_buf(), root)
            })
        }
        other => Err(LoadError::new(
            path,
            format!("root element <{other}> is neither a GENIUS domain nor a profile"),
        )
        .fix("a domain's root is <negotiation_template>, a profile's <utility_space>")),
    }
}

fn num(path: &Path, e: &Element, attr: &str) -> Result<f64, LoadError> {
    let raw = e.attr(attr).ok_or_else(|| {
        LoadError::new(path, format!("missing attribute `{attr}`"))
            .at(e.place())
            .fix(format!("add {attr}=\"…\""))
    })?;
    raw.trim().parse::<f64>().map_err(|_| {
        LoadError::new(path, format!("`{attr}` is `{raw}`, not a number"))
            .at(e.place())
            .fix("write a plain decimal number")
    })
}

/// The kind of an issue element: `type` wins, a missing `type` means discrete (Domain.java).
fn issue_type(e: &Element) -> String {
    e.attr("type")
        .or(e.attr("etype"))
        .unwrap_or("discrete")
        .to_ascii_lowercase()
}

/// Direct `<item>` children only: `similarity_function` nests its own items (D9).
fn items(e: &Element) -> impl Iterator<Item = &Element> {
    e.children_named("item")
}

fn issues_of(root: &Element) -> Vec<&Element> {
    let mut out = Vec::new();
    collect_issues(root, &mut out);
    out
}

fn collect_issues<'a>(e: &'a Element, out: &mut Vec<&'a Element>) {
    for c in &e.children {
        if c.name == "issue" {
            out.push(c);
        } else {
            collect_issues(c, out);
        }
    }
}

pub(crate) fn read_domain(path: &Path, root: &Element) -> Result<Domain, LoadError> {
    let space = if root.name == "negotiation_template" {
        root.children_named("utility_space").next().ok_or_else(|| {
            LoadError::new(path, "the domain has no <utility_space>")
                .at(root.place())
                .fix("wrap the objective and its issues in <utility_space>")
        })?
    } else {
        root
    };
    let mut issues = Vec::new();
    let mut ids = Vec::new();
    for e in issues_of(space) {
        let name = e.attr("name").unwrap_or("").to_string();
        if name.is_empty() {
            return Err(LoadError::new(path, "an issue has no name")
                .at(e.place())
                .fix("add name=\"…\""));
        }
        let id = num(path, e, "index")? as i64;
        let kind = match issue_type(e).as_str() {
            "discrete" => {
                let values: Vec<String> = items(e)
                    .filter_map(|i| i.attr("value"))
                    .map(str::to_string)
                    .collect();
                let descriptions = items(e)
                    .filter(|i| i.attr("value").is_some())
                    .map(|i| {
                        i.attr("description")
                            .filter(|d| !d.is_empty())
                            .map(str::to_string)
                    })
                    .collect();
                if values.is_empty() {
                    return Err(LoadError::new(
                        path,
                        format!("discrete issue `{name}` has no <item value=…>"),
                    )
                    .at(e.place())
                    .fix("list the issue's values as <item index=\"1\" value=\"…\"/>"));
                }
                IssueKind::Discrete {
                    values,
                    descriptions,
                }
            }
            "integer" => {
                // Bounds are attributes of <issue>; some files put them in a <range> child.
                let b = if e.attr("lowerbound").is_some() {
                    e
                } else {
                    e.children_named("range").next().unwrap_or(e)
                };
                IssueKind::Integer {
                    min: num(path, b, "lowerbound")? as i64,
                    max: num(path, b, "upperbound")? as i64,
                }
            }
            "real" => {
                let range = e.children_named("range").next().ok_or_else(|| {
                    LoadError::new(path, format!("real issue `{name}` has no <range>"))
                        .at(e.place())
                        .fix("add <range lowerbound=\"…\" upperbound=\"…\"/>")
                })?;
                IssueKind::Real {
                    min: num(path, range, "lowerbound")?,
                    max: num(path, range, "upperbound")?,
                }
            }
            other => {
                return Err(LoadError::new(
                    path,
                    format!("issue `{name}` has unknown type `{other}`"),
                )
                .at(e.place())
                .fix("use discrete, integer or real"))
            }
        };
        issues.push(Issue {
            name,
            kind,
            description: None,
            positions: None,
        });
        ids.push(id);
    }
    if issues.is_empty() {
        return Err(
            LoadError::new(path, "the domain declares no issues").fix("add <issue> elements")
        );
    }
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok(Domain { name, issues, ids })
}

/// Java's `Math.round` (half up).
fn java_round(x: f64) -> f64 {
    (x + 0.5).floor()
}

pub(crate) fn read_profile(
    path: &Path,
    root: &Element,
    domain: &Domain,
    options: &ReadOptions,
) -> Result<Party, LoadError> {
    let name = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut reservation = None;
    let mut discount = None;
    let mut weights: Vec<Option<f64>> = vec![None; domain.issues.len()];
    let mut error = None;
    root.walk(&mut |e| {
        let r = (|| -> Result<(), LoadError> {
            match e.name.as_str() {
                "reservation" => reservation = Some(num(path, e, "value")?),
                "discount_factor" => {
                    let d = num(path, e, "value")?;
                    // validateDiscount: d <= 0 or d > 1 means no discount.
                    discount = (d > 0.0 && d < 1.0).then_some(d);
                }
                "weight" => {
                    let id = num(path, e, "index")? as i64;
                    if let Some(pos) = domain.ids.iter().position(|&i| i == id) {
                        weights[pos] = Some(num(path, e, "value")?);
                    }
                }
                _ => {}
            }
            Ok(())
        })();
        if let Err(err) = r {
            error.get_or_insert(err);
        }
    });
    if let Some(err) = error {
        return Err(err);
    }
    let utility = if root.attr("type") == Some("nonlinear") {
        UtilityFunction::Constraint(read_constraints(path, root, domain)?)
    } else {
        let profile_issues = issues_of(root);
        let mut evaluators = Vec::with_capacity(domain.issues.len());
        for (pos, issue) in domain.issues.iter().enumerate() {
            let found = profile_issues.iter().copied().find(|e| {
                e.attr("index").and_then(|i| i.trim().parse::<i64>().ok()) == Some(domain.ids[pos])
            });
            let evaluator =
                match (weights[pos], found) {
                    (Some(_), Some(e)) => read_evaluator(path, e, issue, options)?,
                    (Some(_), None) => return Err(LoadError::new(
                        path,
                        format!("issue `{}` has a weight but no evaluation", issue.name),
                    )
                    .fix(
                        "add an <issue index=…> element with its evaluations, or remove the weight",
                    )),
                    (None, _) => neutral(issue),
                };
            evaluators.push(evaluator);
        }
        UtilityFunction::Additive(AdditiveUtility {
            weights: weights.iter().map(|w| w.unwrap_or(0.0)).collect(),
            evaluators,
            cap_at_one: options.genius_evaluations == GeniusEvaluations::Normalized,
        })
    };
    Ok(Party {
        name,
        role: Role::Negotiator,
        utility,
        reservation,
        discount,
        cost_per_round: None,
        capability: None,
        salience: None,
        description: None,
    })
}

fn neutral(issue: &Issue) -> Evaluator {
    match &issue.kind {
        IssueKind::Discrete { values, .. } => Evaluator::Table(vec![0.0; values.len()]),
        _ => Evaluator::Numeric(NumericEvaluator::Constant(0.0)),
    }
}

fn read_evaluator(
    path: &Path,
    e: &Element,
    issue: &Issue,
    options: &ReadOptions,
) -> Result<Evaluator, LoadError> {
    let here = |problem: String| {
        LoadError::new(path, problem).at(format!("{}, issue `{}`", e.place(), issue.name))
    };
    if let Some(t) = e
        .attr("type")
        .filter(|t| !["discrete", "integer", "real"].contains(t))
    {
        return Err(here(format!("evaluator type `{t}` (an old GENIUS evaluator) is not supported"))
            .fix("rewrite the issue's evaluation as discrete, integer (linear) or real (linear/triangular)"));
    }
    match &issue.kind {
        IssueKind::Discrete { values, .. } => {
            let mut table = vec![0.0; values.len()];
            let mut seen = 0;
            for item in items(e) {
                let Some(value) = item.attr("value") else {
                    continue;
                };
                let Some(ev) = item.attr("evaluation") else {
                    return Err(here(format!("value `{value}` has no evaluation")).fix(
                        "give every <item> an evaluation=\"…\" (GENIUS refuses such profiles too)",
                    ));
                };
                let ev: f64 = ev.trim().parse().map_err(|_| {
                    here(format!("evaluation `{ev}` of `{value}` is not a number"))
                        .fix("write a plain decimal number")
                })?;
                if ev < 0.0 {
                    return Err(here(format!("evaluation of `{value}` is negative ({ev})"))
                        .fix("evaluations must be ≥ 0"));
                }
                // A value listed twice in the domain is one value to GENIUS: score every copy.
                for (k, v) in values.iter().enumerate() {
                    if v == value {
                        table[k] = ev;
                    }
                }
                if !values.iter().any(|v| v == value) {
                    return Err(here(format!("value `{value}` is not in the domain")).fix(
                        format!("use one of the domain's values: {}", values.join(", ")),
                    ));
                };

                seen += 1;
            }
            if seen == 0 {
                return Err(here("no evaluations for this issue".into())
                    .fix("list <item value=\"…\" evaluation=\"…\"/> for each value"));
            }
            if options.genius_evaluations == GeniusEvaluations::Normalized {
                // EvaluatorDiscrete: evaluations are divided by the rounded maximum when it exceeds 1.
                let m = java_round(table.iter().copied().fold(0.0, f64::max));
                if m > 1.0 {
                    for x in &mut table {
                        *x = java_round(*x) / m;
                    }
                }
            }
            Ok(Evaluator::Table(table))
        }
        IssueKind::Integer { min, .. } => {
            let ev = e.children_named("evaluator").next().ok_or_else(|| {
                here("integer issue without <evaluator>".into())
                    .fix("add <evaluator ftype=\"linear\" slope=\"…\" offset=\"…\"/>")
            })?;
            match ev.attr("ftype").unwrap_or("linear") {
                "linear" if ev.attr("slope").is_none() && ev.attr("parameter1").is_some() => {
                    // Older files write integer evaluators like real ones: p0 + p1·x.
                    Ok(Evaluator::Numeric(NumericEvaluator::Linear {
                        slope: num(path, ev, "parameter1")?,
                        offset: num(path, ev, "parameter0")?,
                        origin: 0.0,
                        clamp: true,
                    }))
                }
                "linear" => Ok(Evaluator::Numeric(NumericEvaluator::Linear {
                    slope: num(path, ev, "slope")?,
                    offset: num(path, ev, "offset")?,
                    origin: *min as f64,
                    clamp: true,
                })),
                "constant" => Ok(Evaluator::Numeric(NumericEvaluator::Constant(num(
                    path,
                    ev,
                    "parameter0",
                )?))),
                other => Err(here(format!("unsupported integer evaluator `{other}`"))
                    .fix("use ftype=\"linear\"")),
            }
        }
        IssueKind::Real { .. } => {
            let ev = e.children_named("evaluator").next().ok_or_else(|| {
                here("real issue without <evaluator>".into())
                    .fix("add <evaluator ftype=\"linear\" parameter0=\"…\" parameter1=\"…\"/>")
            })?;
            let p = |k: usize| num(path, ev, &format!("parameter{k}"));
            match ev.attr("ftype").unwrap_or("linear") {
                "linear" => Ok(Evaluator::Numeric(NumericEvaluator::Linear {
                    slope: p(1)?,
                    offset: p(0)?,
                    origin: 0.0,
                    clamp: true,
                })),
                "constant" => Ok(Evaluator::Numeric(NumericEvaluator::Constant(p(0)?))),
                "triangular" => Ok(Evaluator::Numeric(NumericEvaluator::Triangular {
                    low: p(0)?,
                    high: p(1)?,
                    peak: p(2)?,
                })),
                other => Err(here(format!("unsupported real evaluator `{other}`"))
                    .fix("use ftype=\"linear\", \"constant\" or \"triangular\"")),
            }
        }
    }
}

fn read_constraints(
    path: &Path,
    root: &Element,
    domain: &Domain,
) -> Result<ConstraintUtility, LoadError> {
    let mut utility_el = None;
    root.walk(&mut |e| {
        if e.name == "utility" && utility_el.is_none() {
            utility_el = Some(e.clone());
        }
    });
    let utility_el = utility_el.ok_or_else(|| {
        LoadError::new(path, "nonlinear profile without <utility>")
            .fix("add <utility maxutility=…><ufun …>")
    })?;
    let max_utility = num(path, &utility_el, "maxutility")?;
    let ufuns: Vec<&Element> = utility_el.children_named("ufun").collect();
    let [ufun] = ufuns.as_slice() else {
        return Err(LoadError::new(
            path,
            format!("{} <ufun> elements; zopa reads exactly one", ufuns.len()),
        )
        .at(utility_el.place())
        .fix("merge the rectangles into one <ufun>"));
    };
    let aggregation = match ufun.attr("aggregation").unwrap_or("sum") {
        "sum" => Aggregation::Sum,
        "min" => Aggregation::Min,
        "max" => Aggregation::Max,
        other => {
            return Err(
                LoadError::new(path, format!("unknown aggregation `{other}`"))
                    .at(ufun.place())
                    .fix("use sum, min or max"),
            )
        }
    };
    let weight = ufun
        .attr("weight")
        .map(|_| num(path, ufun, "weight"))
        .transpose()?
        .unwrap_or(1.0);
    let mut rectangles = Vec::new();
    for r in ufun.children_named("hyperRectangle") {
        let mut kind = RectangleKind::Include;
        let mut bounds = Vec::new();
        for b in &r.children {
            kind = match b.name.as_str() {
                "INCLUDES" => RectangleKind::Include,
                "EXCLUDES" => RectangleKind::Exclude,
                _ => continue,
            };
            let id = num(path, b, "index")? as i64;
            let pos = domain.ids.iter().position(|&i| i == id).ok_or_else(|| {
                LoadError::new(
                    path,
                    format!("constraint names issue index {id}, which the domain lacks"),
                )
                .at(b.place())
                .fix("use an issue index from the domain")
            })?;
            bounds.push((pos, num(path, b, "min")?, num(path, b, "max")?));
        }
        rectangles.push(HyperRectangle {
            kind,
            utility: num(path, r, "utility")?,
            bounds,
        });
    }
    Ok(ConstraintUtility {
        rectangles,
        aggregation,
        weight,
        max_utility,
    })
}
