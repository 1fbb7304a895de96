//! GENIUS XML: a domain file plus two or more utility-space (profile) files in one folder.
//! Semantics follow GENIUS's Java parser as described in `../shared/notes/formats.md` §1.
//!
//! NegMAS (`Scenario.to_genius_folder`) writes one thing GENIUS never does: an integer issue
//! of the domain scored value by value in the profiles (`<issue type="discrete"
//! vtype="integer">` holding `<item value="3" evaluation="…"/>`). NegMAS reads each item as
//! the utility of that integer; so does zopa, by turning such an issue into a discrete issue
//! whose values are the integers of the range ([`tabulate_integer_issues`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use zopa_core::{
    AdditiveUtility, Aggregation, ConstraintUtility, Evaluator, HyperRectangle, Issue, IssueKind,
    NumericEvaluator, OutsideOption, Party, RectangleKind, Role, UtilityFunction,
};

use crate::error::{read_text, LoadError};
use crate::xml::{self, Element};
use crate::{GeniusEvaluations, ReadOptions};

/// A parsed domain: issues plus where each GENIUS `index` points.
pub(crate) struct Domain {
    pub name: String,
    pub issues: Vec<Issue>,
    /// Issue position by GENIUS `index` (the first issue with that index).
    positions: HashMap<i64, usize>,
    /// For an integer issue read as a discrete one (see [`tabulate_integer_issues`]): its
    /// lower bound, so that value `k` of the discrete issue is the integer `min + k`.
    tabulated: Vec<Option<i64>>,
}

impl Domain {
    fn position(&self, id: i64) -> Option<usize> {
        self.positions.get(&id).copied()
    }
}

/// The most values an integer issue may have for zopa to score it value by value.
const MAX_TABULATED: u64 = 1 << 20;

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

/// An integer attribute. Whole numbers written as decimals (`10.0`, `1e3`) are accepted;
/// fractions, non-numbers and numbers beyond `i64` are refused (`as i64` would saturate
/// `1e308` to 9223372036854775807 without a word).
fn int(path: &Path, e: &Element, attr: &str) -> Result<i64, LoadError> {
    let raw = e.attr(attr).ok_or_else(|| {
        LoadError::new(path, format!("missing attribute `{attr}`"))
            .at(e.place())
            .fix(format!("add {attr}=\"…\""))
    })?;
    let t = raw.trim();
    if let Ok(i) = t.parse::<i64>() {
        return Ok(i);
    }
    // 2^63 is exact in f64; every integral f64 in [-2^63, 2^63) fits in i64.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    match t.parse::<f64>() {
        Ok(x) if x.is_finite() && x.fract() == 0.0 && (-LIMIT..LIMIT).contains(&x) => Ok(x as i64),
        _ => Err(LoadError::new(
            path,
            format!("`{attr}` is `{raw}`, not an integer zopa can hold"),
        )
        .at(e.place())
        .fix(format!(
            "write `{attr}` as a whole number between {} and {}",
            i64::MIN,
            i64::MAX
        ))),
    }
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
        let id = int(path, e, "index")?;
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
                let (min, max) = (int(path, b, "lowerbound")?, int(path, b, "upperbound")?);
                if min > max {
                    return Err(LoadError::new(
                        path,
                        format!(
                            "integer issue `{name}` has lowerbound {min} above upperbound {max}"
                        ),
                    )
                    .at(b.place())
                    .fix("swap the bounds"));
                }
                if max.checked_sub(min).is_none() {
                    return Err(LoadError::new(
                        path,
                        format!("integer issue `{name}` spans {min}..{max}, more than 2^63 values"),
                    )
                    .at(b.place())
                    .fix("narrow the range"));
                }
                IssueKind::Integer { min, max }
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
    let mut positions = HashMap::with_capacity(ids.len());
    for (pos, &id) in ids.iter().enumerate() {
        positions.entry(id).or_insert(pos);
    }
    let tabulated = vec![None; issues.len()];
    Ok(Domain {
        name,
        issues,
        positions,
        tabulated,
    })
}

/// Turns every integer issue that some profile scores value by value (`<item value="3"
/// evaluation="…"/>`, as NegMAS writes them) into a discrete issue whose values are the
/// integers of its range, so that those evaluations can be kept as they are. Profiles that
/// score the issue with an `<evaluator>` then get their function evaluated at each integer.
/// Ranges of more than [`MAX_TABULATED`] values are left alone (such profiles are refused).
pub(crate) fn tabulate_integer_issues<'a>(
    domain: &mut Domain,
    profiles: impl IntoIterator<Item = &'a Element>,
    notes: &mut Vec<String>,
) {
    let mut scored = vec![false; domain.issues.len()];
    for root in profiles {
        for e in issues_of(root) {
            let Some(pos) = e
                .attr("index")
                .and_then(|i| i.trim().parse::<i64>().ok())
                .and_then(|id| domain.position(id))
            else {
                continue;
            };
            if items(e).any(|i| i.attr("value").is_some()) {
                scored[pos] = true;
            }
        }
    }
    for (pos, issue) in domain.issues.iter_mut().enumerate() {
        let IssueKind::Integer { min, max } = issue.kind else {
            continue;
        };
        if !scored[pos] || issue.cardinality().is_none_or(|n| n > MAX_TABULATED) {
            continue;
        }
        let values: Vec<String> = (min..=max).map(|v| v.to_string()).collect();
        notes.push(format!(
            "integer issue `{}` ({min}..{max}) is scored value by value in a profile (as NegMAS \
             writes them); read as a discrete issue of its {} integers",
            issue.name,
            values.len()
        ));
        issue.kind = IssueKind::Discrete {
            descriptions: vec![None; values.len()],
            values,
        };
        domain.tabulated[pos] = Some(min);
    }
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
    // Weights of indices that name no issue: NegMAS writes a utility's constant term so.
    let mut bias = 0.0;
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
                    let id = int(path, e, "index")?;
                    match domain.position(id) {
                        Some(pos) => weights[pos] = Some(num(path, e, "value")?),
                        None => bias += num(path, e, "value")?,
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
        let mut found: Vec<Option<&Element>> = vec![None; domain.issues.len()];
        for e in issues_of(root) {
            if let Some(pos) = e
                .attr("index")
                .and_then(|i| i.trim().parse::<i64>().ok())
                .and_then(|id| domain.position(id))
            {
                found[pos].get_or_insert(e);
            }
        }
        let mut evaluators = Vec::with_capacity(domain.issues.len());
        for (pos, issue) in domain.issues.iter().enumerate() {
            let evaluator =
                match (weights[pos], found[pos]) {
                    (Some(_), Some(e)) => {
                        read_evaluator(path, e, issue, domain.tabulated[pos], options)?
                    }
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
        let mut additive = AdditiveUtility {
            weights: weights.iter().map(|w| w.unwrap_or(0.0)).collect(),
            evaluators,
            cap_at_one: options.genius_evaluations == GeniusEvaluations::Normalized,
        };
        // NegMAS reads the weight of an index beyond its issues as a constant added to the
        // utility (and writes a LinearAdditiveUtilityFunction's bias so); GENIUS ignores it.
        if bias != 0.0 && options.genius_evaluations == GeniusEvaluations::Raw {
            fold_bias(&mut additive, bias).map_err(|problem| {
                LoadError::new(
                    path,
                    format!("a <weight> of an index that names no issue adds {bias}, but {problem}"),
                )
                .fix("remove that <weight> or give an issue a non-zero weight and a discrete or linear evaluation")
            })?;
        }
        UtilityFunction::Additive(additive)
    };
    Ok(Party {
        name,
        role: Role::Negotiator,
        utility,
        reservation: reservation.map(OutsideOption::Fixed),
        discount,
        cost_per_round: None,
        capability: None,
        salience: None,
        red_lines: Vec::new(),
        controls: Vec::new(),
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
    tabulated: Option<i64>,
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
    match (&issue.kind, tabulated) {
        (IssueKind::Discrete { values, .. }, Some(min))
            if !items(e).any(|i| i.attr("value").is_some()) =>
        {
            // A tabulated integer issue scored by a function in this profile.
            let max = min + values.len() as i64 - 1;
            let f = integer_evaluator(path, e, min, &here)?;
            Ok(Evaluator::Table(
                (min..=max).map(|v| f.eval(v as f64)).collect(),
            ))
        }
        (IssueKind::Discrete { values, .. }, tabulated) => {
            let index: HashMap<&str, Vec<usize>> = match tabulated {
                Some(_) => HashMap::new(),
                None => {
                    let mut index: HashMap<&str, Vec<usize>> = HashMap::with_capacity(values.len());
                    for (k, v) in values.iter().enumerate() {
                        index.entry(v.as_str()).or_default().push(k);
                    }
                    index
                }
            };
            // Value `k` of a tabulated integer issue is the integer `min + k`; NegMAS reads
            // item values with Python's int(), so `03` and ` 3` name 3 too.
            let integer_position = |value: &str| -> Option<usize> {
                let min = tabulated?;
                let v: i64 = value.trim().parse().ok()?;
                let k = usize::try_from(v.checked_sub(min)?).ok()?;
                (k < values.len()).then_some(k)
            };
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
                if ev < 0.0 && options.genius_evaluations == GeniusEvaluations::Normalized {
                    return Err(here(format!("evaluation of `{value}` is negative ({ev})"))
                        .fix("evaluations must be ≥ 0 (GENIUS refuses negative ones; NegMAS's definitions read them as written)"));
                }
                if tabulated.is_some() {
                    let Some(k) = integer_position(value) else {
                        return Err(here(format!(
                            "value `{value}` is not an integer of the issue's range {}..{}",
                            values[0],
                            values[values.len() - 1]
                        ))
                        .fix("score only integers of the domain's range"));
                    };
                    table[k] = ev;
                } else {
                    // A value listed twice in the domain is one value to GENIUS: score every copy.
                    let copies = index.get(value).map(Vec::as_slice).unwrap_or_default();
                    if copies.is_empty() {
                        return Err(here(format!("value `{value}` is not in the domain")).fix(
                            format!("use one of the domain's values: {}", values.join(", ")),
                        ));
                    }
                    for &k in copies {
                        table[k] = ev;
                    }
                }
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
        (IssueKind::Integer { min, .. }, _) => {
            if items(e).any(|i| i.attr("value").is_some()) {
                return Err(here(format!(
                    "integer issue scored value by value, but its {} values are too many to \
                     tabulate (at most {MAX_TABULATED})",
                    issue
                        .cardinality()
                        .map_or_else(|| "?".into(), |n| n.to_string()),
                ))
                .fix(
                    "score the issue with <evaluator ftype=\"linear\" slope=\"…\" offset=\"…\"/>",
                ));
            }
            Ok(Evaluator::Numeric(integer_evaluator(path, e, *min, &here)?))
        }
        (IssueKind::Real { .. }, _) => {
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
                    // GENIUS clamps to [0, 1]; NegMAS (which writes such evaluators for its
                    // continuous issues) does not.
                    clamp: options.genius_evaluations == GeniusEvaluations::Normalized,
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

/// The `<evaluator>` of an integer issue whose lower bound is `min`.
fn integer_evaluator(
    path: &Path,
    e: &Element,
    min: i64,
    here: &dyn Fn(String) -> LoadError,
) -> Result<NumericEvaluator, LoadError> {
    let ev = e.children_named("evaluator").next().ok_or_else(|| {
        here("integer issue without <evaluator>".into())
            .fix("add <evaluator ftype=\"linear\" slope=\"…\" offset=\"…\"/>")
    })?;
    match ev.attr("ftype").unwrap_or("linear") {
        "linear" if ev.attr("slope").is_none() && ev.attr("parameter1").is_some() => {
            // Older files write integer evaluators like real ones: p0 + p1·x.
            Ok(NumericEvaluator::Linear {
                slope: num(path, ev, "parameter1")?,
                offset: num(path, ev, "parameter0")?,
                origin: 0.0,
                clamp: true,
            })
        }
        "linear" => Ok(NumericEvaluator::Linear {
            slope: num(path, ev, "slope")?,
            offset: num(path, ev, "offset")?,
            origin: min as f64,
            clamp: true,
        }),
        "constant" => Ok(NumericEvaluator::Constant(num(path, ev, "parameter0")?)),
        other => {
            Err(here(format!("unsupported integer evaluator `{other}`"))
                .fix("use ftype=\"linear\""))
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
            let id = int(path, b, "index")?;
            let pos = domain.position(id).ok_or_else(|| {
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

/// Adds the constant `bias` to an additive utility by shifting one issue's evaluations by
/// `bias / weight` (an issue weighted exactly 1 if there is one, so that the shift is exact).
/// `Err` says why no issue can carry it.
pub(crate) fn fold_bias(u: &mut AdditiveUtility, bias: f64) -> Result<(), String> {
    let mut order: Vec<usize> = (0..u.weights.len())
        .filter(|&i| u.weights[i] != 0.0 && u.weights[i].is_finite())
        .collect();
    order.sort_by_key(|&i| u.weights[i] != 1.0);
    for i in order {
        let shift = bias / u.weights[i];
        match &mut u.evaluators[i] {
            Evaluator::Table(t) => {
                for x in t.iter_mut() {
                    *x += shift;
                }
                return Ok(());
            }
            Evaluator::Numeric(NumericEvaluator::Linear {
                offset,
                clamp: false,
                ..
            }) => {
                *offset += shift;
                return Ok(());
            }
            Evaluator::Numeric(NumericEvaluator::Constant(c)) => {
                *c += shift;
                return Ok(());
            }
            // A shifted curve would no longer be 1 at the ideal; readers never make these.
            Evaluator::Numeric(_) | Evaluator::Positional(_) => {}
        }
    }
    Err("no issue has a non-zero weight and a table, unclamped linear or constant evaluation to carry it".into())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn domain(issue: &str) -> Result<Domain, LoadError> {
        let text = format!(
            "<negotiation_template><utility_space><objective index=\"0\" name=\"root\">{issue}\
             </objective></utility_space></negotiation_template>"
        );
        let path = Path::new("d.xml");
        let (root, _) = xml::parse(path, &text)?;
        read_domain(path, &root)
    }

    #[test]
    fn integer_bounds_beyond_i64_are_refused_not_saturated() {
        let e = domain(
            r#"<issue index="1" name="n" type="integer" lowerbound="0" upperbound="1e308"/>"#,
        )
        .err()
        .expect("1e308 must be refused");
        assert!(e.problem.contains("`upperbound` is `1e308`"), "{e}");
        assert!(e.place.is_some() && e.fix.is_some(), "{e}");
        for bad in ["2.5", "9223372036854775808", "-1e19", "nan", "ten"] {
            let xml = format!(
                r#"<issue index="1" name="n" type="integer" lowerbound="{bad}" upperbound="3"/>"#
            );
            assert!(domain(&xml).is_err(), "lowerbound {bad} accepted");
        }
    }

    #[test]
    fn whole_decimal_bounds_are_read_exactly() {
        let d = domain(r#"<issue index="1" name="n" type="integer" lowerbound="2.0" upperbound="9223372036854775807"/>"#)
            .unwrap();
        assert_eq!(
            d.issues[0].kind,
            IssueKind::Integer {
                min: 2,
                max: i64::MAX
            }
        );
        let e = domain(r#"<issue index="1" name="n" type="integer" lowerbound="-9223372036854775808" upperbound="9223372036854775807"/>"#)
            .err()
            .expect("a range of 2^64 values must be refused");
        assert!(e.problem.contains("more than 2^63"), "{e}");
        let e =
            domain(r#"<issue index="1" name="n" type="integer" lowerbound="5" upperbound="1"/>"#)
                .err()
                .expect("reversed bounds must be refused");
        assert!(e.problem.contains("above upperbound"), "{e}");
    }
}
