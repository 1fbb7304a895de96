//! NegMAS's own scenario files, as NegMAS 0.16 writes them with `Scenario.dumpas(folder,
//! type="yml")` or `type="json"`: one outcome-space file (`type: CartesianOutcomeSpace`, a
//! list of `issues`), one file per utility function (`type: LinearAdditiveUtilityFunction`,
//! …), and files zopa ignores (`_info.yaml`, `_stats.yaml`). Files are told apart by their
//! `type`, as NegMAS's own loader does, never by their names.
//!
//! What is read, with NegMAS's meaning:
//! * issues: `CategoricalIssue`, `DiscreteOrdinalIssue`, `DiscreteCardinalIssue` (listed
//!   values), `ContiguousIssue` (the integers of `[min, max]`), `ContinuousIssue` (`[min, max]`);
//! * utilities: `LinearAdditiveUtilityFunction` (alias `LinearUtilityAggregationFunction`):
//!   u = bias + Σ wᵢ·vᵢ(xᵢ); `AffineUtilityFunction` and `LinearUtilityFunction`:
//!   u = bias + Σ wᵢ·xᵢ; never capped, never normalised;
//! * value functions: `TableFun` (and a plain mapping or list), `AffineFun`, `LinearFun`,
//!   `IdentityFun`, `ConstFun`, and the `LambdaFun`s that `LinearAdditiveUtilityFunction.random`
//!   makes (a pickled `functools.partial` of NegMAS's own `_rand_mapping` functions, decoded
//!   without running anything); any other pickled Python function is refused;
//! * `reserved_value`; NegMAS's default `-inf` ("no reservation") is read as just below the
//!   party's lowest utility (NegMAS writes its lowest utility into GENIUS files in its place).
//!
//! An integer issue that some party scores with a table becomes a discrete issue whose
//! values are its integers (the model scores integer issues with functions only).
//! JSON files are parsed with the same YAML 1.2 parser (JSON is YAML), which also accepts
//! Python's `-Infinity`, `Infinity` and `NaN` and gives every node a line number.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use saphyr::{LoadableYamlNode, MarkedYaml, Scalar, YamlData};
use zopa_core::{
    AdditiveUtility, Evaluator, Issue, IssueKind, NumericEvaluator, OutsideOption, Party, Role,
    Scenario, UtilityFunction,
};

use crate::error::{read_text, LoadError};

/// The syntax of a NegMAS scenario's files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    Yaml,
    Json,
}

impl Syntax {
    fn of(path: &Path) -> Option<Syntax> {
        let ext = path.extension()?.to_string_lossy().to_ascii_lowercase();
        match ext.as_str() {
            "yml" | "yaml" => Some(Syntax::Yaml),
            "json" => Some(Syntax::Json),
            _ => None,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Syntax::Yaml => "YAML",
            Syntax::Json => "JSON",
        }
    }
}

/// The most values an integer issue scored by a table may have.
const MAX_TABULATED: u64 = 1 << 20;

// ---------------------------------------------------------------------------------------
// The document tree: YAML and JSON alike, every node with its line.

#[derive(Debug, Clone)]
struct Node {
    line: usize,
    data: Data,
}

#[derive(Debug, Clone)]
enum Data {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Node>),
    Map(Vec<(Node, Node)>),
    /// Aliases and scalars the parser could not type.
    Other,
}

fn convert(y: &MarkedYaml) -> Node {
    let line = y.span.start.line();
    let data = match &y.data {
        YamlData::Value(Scalar::Null) => Data::Null,
        YamlData::Value(Scalar::Boolean(b)) => Data::Bool(*b),
        YamlData::Value(Scalar::Integer(i)) => Data::Int(*i),
        YamlData::Value(Scalar::FloatingPoint(f)) => Data::Float(f.into_inner()),
        YamlData::Value(Scalar::String(s)) => Data::Str(s.to_string()),
        YamlData::Sequence(s) => Data::Seq(s.iter().map(convert).collect()),
        YamlData::Mapping(m) => {
            Data::Map(m.iter().map(|(k, v)| (convert(k), convert(v))).collect())
        }
        // `!!binary` and other tags: the tagged node as it is.
        YamlData::Tagged(_, inner) => return convert(inner),
        _ => Data::Other,
    };
    Node { line, data }
}

impl Node {
    fn get(&self, key: &str) -> Option<&Node> {
        match &self.data {
            Data::Map(m) => m
                .iter()
                .find(|(k, _)| matches!(&k.data, Data::Str(s) if s == key))
                .map(|(_, v)| v),
            _ => None,
        }
    }

    /// A key that is absent or `null`.
    fn get_some(&self, key: &str) -> Option<&Node> {
        self.get(key).filter(|n| !matches!(n.data, Data::Null))
    }

    fn as_str(&self) -> Option<&str> {
        match &self.data {
            Data::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A number; JSON's non-standard `-Infinity`, `Infinity` and `NaN` (which Python writes)
    /// arrive as strings.
    fn as_f64(&self) -> Option<f64> {
        match &self.data {
            Data::Int(i) => Some(*i as f64),
            Data::Float(f) => Some(*f),
            Data::Str(s) => match s.as_str() {
                "-Infinity" => Some(f64::NEG_INFINITY),
                "Infinity" => Some(f64::INFINITY),
                "NaN" => Some(f64::NAN),
                _ => None,
            },
            _ => None,
        }
    }

    fn as_i64(&self) -> Option<i64> {
        match &self.data {
            Data::Int(i) => Some(*i),
            Data::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => Some(*f as i64),
            _ => None,
        }
    }

    fn what(&self) -> &'static str {
        match &self.data {
            Data::Null => "null",
            Data::Bool(_) => "a boolean",
            Data::Int(_) => "an integer",
            Data::Float(_) => "a number",
            Data::Str(_) => "a string",
            Data::Seq(_) => "a list",
            Data::Map(_) => "a mapping",
            Data::Other => "an unreadable value",
        }
    }
}

/// One parsed file, for errors that name it, the line and the key.
struct Doc<'a> {
    path: &'a Path,
}

impl Doc<'_> {
    fn err(&self, node: &Node, key: &str, problem: impl Into<String>) -> LoadError {
        LoadError::new(self.path, problem).at(format!("line {}, `{key}`", node.line))
    }

    fn number(&self, node: &Node, key: &str) -> Result<f64, LoadError> {
        node.as_f64().ok_or_else(|| {
            self.err(node, key, format!("is {}, not a number", node.what()))
                .fix("write a number")
        })
    }

    fn field<'n>(&self, node: &'n Node, parent: &str, key: &str) -> Result<&'n Node, LoadError> {
        node.get_some(key).ok_or_else(|| {
            self.err(node, parent, format!("has no `{key}`"))
                .fix(format!("add `{key}` (NegMAS writes it)"))
        })
    }
}

fn parse(path: &Path) -> Result<Node, LoadError> {
    let text = read_text(path)?;
    let docs = MarkedYaml::load_from_str(&text).map_err(|e| {
        LoadError::new(path, format!("not valid YAML or JSON: {}", e.info()))
            .at(format!("line {}", e.marker().line()))
            .fix("write the file with NegMAS's Scenario.dumpas")
    })?;
    Ok(docs.first().map(convert).unwrap_or(Node {
        line: 1,
        data: Data::Null,
    }))
}

/// NegMAS's class name from a `type` field (`negmas.outcomes.….CategoricalIssue` or
/// `CategoricalIssue`).
fn type_of(node: &Node) -> Option<&str> {
    let t = node.get("type")?.as_str()?;
    Some(t.rsplit('.').next().unwrap_or(t))
}

enum FileKind {
    Domain,
    Ufun,
    Other,
}

/// NegMAS's own rule (`find_domain_and_utility_files_yaml`): a `type` naming an outcome
/// space is the domain, one with "fun" in it a utility function.
fn kind_of(node: &Node) -> FileKind {
    match node.get("type").and_then(Node::as_str) {
        Some(t) if t.contains("OutcomeSpace") => FileKind::Domain,
        Some(t) if t.to_ascii_lowercase().contains("fun") => FileKind::Ufun,
        _ => FileKind::Other,
    }
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// Whether `file` is a NegMAS domain or utility file.
pub(crate) fn is_negmas_file(file: &Path) -> bool {
    parse(file).is_ok_and(|n| !matches!(kind_of(&n), FileKind::Other))
}

// ---------------------------------------------------------------------------------------
// Finding the files.

/// Reads the NegMAS scenario in `files` (the folder's files), if there is one: YAML files
/// first, as NegMAS's `Scenario.load` does, then JSON. `Ok(None)`: no NegMAS file here.
/// With `chosen`, only files of its syntax are considered and it must be a NegMAS file.
pub(crate) fn read(
    dir: &Path,
    files: &[PathBuf],
    chosen: Option<&Path>,
) -> Result<Option<(Scenario, Syntax)>, LoadError> {
    let syntaxes: Vec<Syntax> = match chosen {
        Some(c) => Syntax::of(c).into_iter().collect(),
        None => vec![Syntax::Yaml, Syntax::Json],
    };
    for syntax in syntaxes {
        let mut domains = Vec::new();
        let mut ufuns = Vec::new();
        let mut ignored = Vec::new();
        let group = files
            .iter()
            .filter(|f| Syntax::of(f) == Some(syntax) && !file_name(f).starts_with('.'));
        for f in group {
            match parse(f) {
                Ok(node) => match kind_of(&node) {
                    FileKind::Domain => domains.push((f.clone(), node)),
                    FileKind::Ufun => ufuns.push((f.clone(), node)),
                    FileKind::Other => ignored.push(file_name(f)),
                },
                Err(e) if chosen == Some(f.as_path()) => return Err(e),
                Err(e) => ignored.push(format!("{} ({})", file_name(f), e.problem)),
            }
        }
        if let Some(c) = chosen {
            let known = domains.iter().chain(&ufuns).any(|(p, _)| p == c);
            if !known {
                if syntax == Syntax::Json {
                    return Ok(None);
                }
                return Err(LoadError::new(
                    c,
                    "not a NegMAS scenario file (its `type` names neither an outcome space nor a utility function)",
                )
                .fix("pass the folder NegMAS's Scenario.dumpas wrote, or its domain file"));
            }
        }
        if domains.is_empty() && ufuns.is_empty() {
            continue;
        }
        let names = |v: &[(PathBuf, Node)]| {
            v.iter()
                .map(|(p, _)| file_name(p))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let (domain_path, domain) = match domains.as_slice() {
            [one] => one,
            [] => {
                return Err(LoadError::new(
                    dir,
                    format!(
                        "NegMAS utility files ({}) but no outcome-space file",
                        names(&ufuns)
                    ),
                )
                .fix("add the domain file Scenario.dumpas writes (`type: CartesianOutcomeSpace`)"))
            }
            many => {
                return Err(LoadError::new(
                    dir,
                    format!("several NegMAS outcome-space files: {}", names(many)),
                )
                .fix("keep one scenario per folder"))
            }
        };
        let mut notes = Vec::new();
        if !ignored.is_empty() {
            notes.push(format!(
                "ignored {} files that are neither a NegMAS domain nor a utility function: {}",
                syntax.name(),
                ignored.join(", ")
            ));
        }
        let scenario = build(dir, domain_path, domain, &ufuns, syntax, notes)?;
        return Ok(Some((scenario, syntax)));
    }
    Ok(None)
}

// ---------------------------------------------------------------------------------------
// The outcome space.

/// A listed value of a discrete issue, as NegMAS typed it.
#[derive(Debug, Clone)]
enum Key {
    Str(String),
    Int(i64),
    Float(f64),
    Bool(bool),
}

impl Key {
    /// As Python's `str()` prints it (and NegMAS writes it into GENIUS files).
    fn display(&self) -> String {
        match self {
            Key::Str(s) => s.clone(),
            Key::Int(i) => i.to_string(),
            Key::Float(f) => py_float(*f),
            Key::Bool(b) => if *b { "True" } else { "False" }.to_string(),
        }
    }

    /// One spelling per value Python's dict lookup treats as equal (1 and 1.0 are one key).
    fn canonical(&self) -> String {
        match self {
            Key::Str(s) => format!("s{s}"),
            Key::Int(i) => format!("n{i}"),
            Key::Float(f) if f.fract() == 0.0 && f.abs() < 9.2e18 => format!("n{}", *f as i64),
            Key::Float(f) => format!("f{}", f.to_bits()),
            Key::Bool(b) => format!("b{b}"),
        }
    }

    fn number(&self) -> Option<f64> {
        match self {
            Key::Int(i) => Some(*i as f64),
            Key::Float(f) => Some(*f),
            _ => None,
        }
    }
}

/// Python's `repr` of a float: shortest round-trip digits, exponent below 1e-4 and from 1e16.
fn py_float(f: f64) -> String {
    if !f.is_finite() {
        return if f.is_nan() {
            "nan".into()
        } else if f > 0.0 {
            "inf".into()
        } else {
            "-inf".into()
        };
    }
    let sci = format!("{f:e}"); // e.g. 1.5e-7, 1e16
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    if f != 0.0 && !(-4..16).contains(&exp) {
        format!(
            "{mantissa}e{}{:02}",
            if exp < 0 { '-' } else { '+' },
            exp.abs()
        )
    } else if f.fract() == 0.0 {
        format!("{f:.1}")
    } else {
        format!("{f}")
    }
}

fn key_of(node: &Node) -> Option<Key> {
    match &node.data {
        Data::Str(s) => Some(Key::Str(s.clone())),
        Data::Int(i) => Some(Key::Int(*i)),
        Data::Float(f) => Some(Key::Float(*f)),
        Data::Bool(b) => Some(Key::Bool(*b)),
        _ => None,
    }
}

#[derive(Debug)]
enum Kind {
    Values(Vec<Key>),
    Integer(i64, i64),
    Real(f64, f64),
}

#[derive(Debug)]
struct IssueSpec {
    name: String,
    kind: Kind,
}

fn read_domain(
    doc: &Doc,
    root: &Node,
    notes: &mut Vec<String>,
) -> Result<Vec<IssueSpec>, LoadError> {
    let t = type_of(root).unwrap_or("");
    if !matches!(t, "CartesianOutcomeSpace" | "DiscreteCartesianOutcomeSpace") {
        return Err(doc
            .err(root, "type", format!("outcome space `{t}` is not read by zopa"))
            .fix("zopa reads CartesianOutcomeSpace and DiscreteCartesianOutcomeSpace (independent issues)"));
    }
    let list = doc.field(root, "outcome space", "issues")?;
    let Data::Seq(items) = &list.data else {
        return Err(doc
            .err(list, "issues", format!("is {}, not a list", list.what()))
            .fix("list the issues"));
    };
    let mut issues = Vec::with_capacity(items.len());
    for (i, e) in items.iter().enumerate() {
        let place = format!("issues[{i}]");
        let name = doc
            .field(e, &place, "name")?
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| {
                doc.err(e, &place, "the issue's `name` is not a string")
                    .fix("name the issue")
            })?;
        let t = type_of(e).unwrap_or("");
        let values = doc.field(e, &place, "values")?;
        let vplace = format!("{place}.values");
        let pair = |what: &str| -> Result<(&Node, &Node), LoadError> {
            match &values.data {
                Data::Seq(v) if v.len() == 2 => Ok((&v[0], &v[1])),
                _ => Err(doc
                    .err(
                        values,
                        &vplace,
                        format!("is {}, not [min, max]", values.what()),
                    )
                    .fix(format!("give the {what} issue's bounds as [min, max]"))),
            }
        };
        let kind = match t {
            "CategoricalIssue"
            | "DiscreteOrdinalIssue"
            | "DiscreteCardinalIssue"
            | "OrdinalIssue"
            | "CardinalIssue"
            | "DiscreteIssue" => {
                let Data::Seq(v) = &values.data else {
                    return Err(doc
                        .err(
                            values,
                            &vplace,
                            format!("is {}, not a list of values", values.what()),
                        )
                        .fix("list the issue's values"));
                };
                let mut keys = Vec::with_capacity(v.len());
                for (k, x) in v.iter().enumerate() {
                    keys.push(key_of(x).ok_or_else(|| {
                        doc.err(
                            x,
                            &format!("{vplace}[{k}]"),
                            format!("value is {}", x.what()),
                        )
                        .fix("use strings or numbers as values")
                    })?);
                }
                if keys.is_empty() {
                    return Err(doc
                        .err(values, &vplace, "the issue has no values")
                        .fix("list its values"));
                }
                Kind::Values(keys)
            }
            "ContiguousIssue" | "RangeIssue" => {
                let (lo, hi) = match values.as_i64() {
                    // make_issue(10) is 0..=9
                    Some(n) if n > 0 => (0, n - 1),
                    _ => {
                        let (a, b) = pair("integer")?;
                        let int = |n: &Node, which: usize| {
                            n.as_i64().ok_or_else(|| {
                                doc.err(
                                    n,
                                    &format!("{vplace}[{which}]"),
                                    format!("is {}, not an integer within ±9.2e18", n.what()),
                                )
                                .fix("give whole-number bounds")
                            })
                        };
                        (int(a, 0)?, int(b, 1)?)
                    }
                };
                if lo > hi || hi.checked_sub(lo).is_none() {
                    return Err(doc
                        .err(
                            values,
                            &vplace,
                            format!("bounds {lo}..{hi} are reversed or span more than 2^63 values"),
                        )
                        .fix("give [min, max] with min ≤ max"));
                }
                Kind::Integer(lo, hi)
            }
            "ContinuousIssue" => {
                let (a, b) = pair("continuous")?;
                let (lo, hi) = (doc.number(a, &vplace)?, doc.number(b, &vplace)?);
                if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
                    return Err(doc
                        .err(
                            values,
                            &vplace,
                            format!("bounds [{lo}, {hi}] are not a finite interval"),
                        )
                        .fix("give finite bounds with min ≤ max"));
                }
                if let Some(levels) = e.get_some("n_levels").and_then(Node::as_i64) {
                    notes.push(format!(
                        "continuous issue `{name}`: NegMAS's n_levels ({levels}) is not used; zopa's analysis samples its own grid (--real-levels)"
                    ));
                }
                Kind::Real(lo, hi)
            }
            "CountableInfiniteIssue" | "ContinuousInfiniteIssue" => {
                return Err(doc
                    .err(e, &place, format!("issue `{name}` is unbounded ({t})"))
                    .fix("give the issue finite bounds"))
            }
            other => {
                return Err(doc
                    .err(
                        e,
                        &place,
                        format!("issue `{name}` has type `{other}`, which zopa does not read"),
                    )
                    .fix("use a CategoricalIssue, ContiguousIssue or ContinuousIssue"))
            }
        };
        issues.push(IssueSpec { name, kind });
    }
    if issues.is_empty() {
        return Err(doc
            .err(list, "issues", "the outcome space has no issues")
            .fix("add issues"));
    }
    Ok(issues)
}

// ---------------------------------------------------------------------------------------
// Utility functions.

/// A value function given by a formula, evaluated in NegMAS's order of operations.
#[derive(Debug, Clone, Copy)]
enum Func {
    /// `x * slope + bias` (AffineFun; LinearFun and IdentityFun are special cases).
    Affine {
        slope: f64,
        bias: f64,
    },
    Const(f64),
    /// `_rand_mapping_normalized(x, mx, mn, r) + bias`: `r * (x - mn) / (mx - mn)`, or `mx`
    /// when `mx == mn`.
    RandNormalized {
        mx: f64,
        mn: f64,
        r: f64,
        bias: f64,
    },
    /// `_rand_mapping(x, r) + bias`: `(r - 0.5) * x`.
    Rand {
        r: f64,
        bias: f64,
    },
}

impl Func {
    fn eval(self, x: f64) -> f64 {
        match self {
            Func::Affine { slope, bias } => x * slope + bias,
            Func::Const(c) => c,
            Func::RandNormalized { mx, mn, r, bias } => {
                (if mx == mn {
                    mx
                } else {
                    r * (x - mn) / (mx - mn)
                }) + bias
            }
            Func::Rand { r, bias } => (r - 0.5) * x + bias,
        }
    }

    /// The same function as a zopa evaluator (exact but for `RandNormalized`, whose
    /// `r / (mx - mn)` is rounded once more than NegMAS's `r * (x - mn) / (mx - mn)`).
    fn numeric(self) -> NumericEvaluator {
        let linear = |slope: f64, offset: f64, origin: f64| NumericEvaluator::Linear {
            slope,
            offset,
            origin,
            clamp: false,
        };
        match self {
            // slope·(x − 0) + bias is x·slope + bias bit for bit.
            Func::Affine { slope, bias } => linear(slope, bias, 0.0),
            Func::Const(c) => NumericEvaluator::Constant(c),
            Func::RandNormalized { mx, mn, bias, .. } if mx == mn => {
                NumericEvaluator::Constant(mx + bias)
            }
            Func::RandNormalized { mx, mn, r, bias } => linear(r / (mx - mn), bias, mn),
            Func::Rand { r, bias } => linear(r - 0.5, bias, 0.0),
        }
    }
}

#[derive(Debug)]
enum How {
    /// A mapping from values to utilities (keys as written).
    Table(Vec<(Node, f64)>),
    /// Utilities listed in the order of the issue's values.
    List(Vec<f64>),
    Func(Func),
}

#[derive(Debug)]
struct Scored {
    how: How,
    line: usize,
    place: String,
}

struct UfunSpec<'a> {
    doc: Doc<'a>,
    name: String,
    weights: Vec<f64>,
    scored: Vec<Scored>,
    bias: f64,
    reserved: Option<(f64, usize)>,
}

fn read_value_fun(
    doc: &Doc,
    v: &Node,
    place: &str,
    issue: &IssueSpec,
) -> Result<Scored, LoadError> {
    let scored = |how| Scored {
        how,
        line: v.line,
        place: place.to_string(),
    };
    let num = |key: &str| -> Result<f64, LoadError> {
        doc.number(doc.field(v, place, key)?, &format!("{place}.{key}"))
    };
    let table = |m: &Node, mplace: &str| -> Result<How, LoadError> {
        let Data::Map(entries) = &m.data else {
            return Err(doc
                .err(
                    m,
                    mplace,
                    format!("is {}, not a mapping of values to utilities", m.what()),
                )
                .fix("map each value of the issue to its utility"));
        };
        let mut out = Vec::with_capacity(entries.len());
        for (k, x) in entries {
            out.push((k.clone(), doc.number(x, mplace)?));
        }
        Ok(How::Table(out))
    };
    match &v.data {
        // LinearAdditiveUtilityFunction's constructor takes a dict as a TableFun …
        Data::Map(_) if v.get("type").is_none() => return Ok(scored(table(v, place)?)),
        // … and a list as the utilities of a discrete issue's values in order.
        Data::Seq(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (k, x) in items.iter().enumerate() {
                out.push(doc.number(x, &format!("{place}[{k}]"))?);
            }
            return Ok(scored(How::List(out)));
        }
        Data::Map(_) => {}
        _ => {
            return Err(doc
                .err(v, place, format!("value function is {}", v.what()))
                .fix("write a TableFun, AffineFun, LinearFun, IdentityFun or ConstFun"))
        }
    }
    let t = type_of(v).unwrap_or("");
    let how = match t {
        "TableFun" => table(doc.field(v, place, "mapping")?, &format!("{place}.mapping"))?,
        "AffineFun" => How::Func(Func::Affine {
            slope: num("slope")?,
            bias: v.get_some("bias").map_or(Ok(0.0), |_| num("bias"))?,
        }),
        "LinearFun" => How::Func(Func::Affine {
            slope: num("slope")?,
            bias: 0.0,
        }),
        "IdentityFun" => How::Func(Func::Affine {
            slope: 1.0,
            bias: 0.0,
        }),
        "ConstFun" => How::Func(Func::Const(num("bias")?)),
        "LambdaFun" => {
            let bias = v.get_some("bias").map_or(Ok(0.0), |_| num("bias"))?;
            let f = doc.field(v, place, "f")?;
            let fplace = format!("{place}.f");
            let func = pickle::rand_mapping(f.as_str().unwrap_or(""), bias).map_err(|why| {
                doc.err(f, &fplace, format!("LambdaFun of issue `{}`: {why}", issue.name))
                    .fix("replace it before dumping, e.g. `ufun.values[i] = ufun.values[i].to_table(issue)` (discrete issues) or an AffineFun")
            })?;
            How::Func(func)
        }
        other => {
            return Err(doc
                .err(v, place, format!("value function `{other}` of issue `{}` is not read by zopa", issue.name))
                .fix("use a TableFun (e.g. `fun.to_table(issue)` for a discrete issue), AffineFun, LinearFun, IdentityFun or ConstFun"))
        }
    };
    Ok(scored(how))
}

fn read_ufun<'a>(
    path: &'a Path,
    root: &Node,
    issues: &[IssueSpec],
) -> Result<UfunSpec<'a>, LoadError> {
    let doc = Doc { path };
    let t = type_of(root).unwrap_or("");
    let n = issues.len();
    let name = root
        .get_some("name")
        .and_then(Node::as_str)
        .map(str::to_string)
        .unwrap_or_else(|| {
            path.file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default()
        });
    let identity = |line: usize| -> Vec<Scored> {
        (0..n)
            .map(|i| Scored {
                how: How::Func(Func::Affine {
                    slope: 1.0,
                    bias: 0.0,
                }),
                line,
                place: format!("weights[{i}]"),
            })
            .collect()
    };
    let (scored, default_weight) = match t {
        "LinearAdditiveUtilityFunction" | "LinearUtilityAggregationFunction" => {
            let values = doc.field(root, "utility function", "values")?;
            let mut scored = Vec::with_capacity(n);
            match &values.data {
                Data::Seq(v) if v.len() == n => {
                    for (i, (f, issue)) in v.iter().zip(issues).enumerate() {
                        scored.push(read_value_fun(&doc, f, &format!("values[{i}]"), issue)?);
                    }
                }
                Data::Map(_) => {
                    // By issue name; a missing issue is IdentityFun (NegMAS's constructor).
                    for issue in issues {
                        let place = format!("values.{}", issue.name);
                        match values.get(&issue.name) {
                            Some(f) => scored.push(read_value_fun(&doc, f, &place, issue)?),
                            None => scored.push(Scored {
                                how: How::Func(Func::Affine {
                                    slope: 1.0,
                                    bias: 0.0,
                                }),
                                line: values.line,
                                place,
                            }),
                        }
                    }
                }
                _ => {
                    return Err(doc
                        .err(values, "values", format!("is {}; expected a list of {n} value functions, one per issue", values.what()))
                        .fix("give one value function per issue of the outcome space"))
                }
            }
            (scored, 1.0)
        }
        // u = bias + Σ wᵢ·xᵢ; missing weights are 1/n (AffineUtilityFunction's constructor).
        "AffineUtilityFunction" | "LinearUtilityFunction" => (identity(root.line), 1.0 / n as f64),
        other => {
            return Err(doc
                .err(root, "type", format!("utility function `{other}` is not read by zopa"))
                .fix("zopa reads NegMAS's linear utilities: LinearAdditiveUtilityFunction, AffineUtilityFunction, LinearUtilityFunction"))
        }
    };
    let weights = match root.get_some("weights") {
        None => vec![default_weight; n],
        Some(w) => match &w.data {
            Data::Seq(v) if v.len() == n => v
                .iter()
                .enumerate()
                .map(|(i, x)| doc.number(x, &format!("weights[{i}]")))
                .collect::<Result<Vec<_>, _>>()?,
            Data::Map(_) => issues
                .iter()
                .map(|issue| match w.get(&issue.name) {
                    Some(x) => doc.number(x, &format!("weights.{}", issue.name)),
                    None => Ok(default_weight),
                })
                .collect::<Result<Vec<_>, _>>()?,
            _ => {
                return Err(doc
                    .err(
                        w,
                        "weights",
                        format!("is {}; expected {n} numbers, one per issue", w.what()),
                    )
                    .fix("give one weight per issue"))
            }
        },
    };
    if let Some((i, w)) = weights.iter().enumerate().find(|(_, w)| !w.is_finite()) {
        return Err(doc
            .err(
                root,
                &format!("weights[{i}]"),
                format!("weight {w} is not finite"),
            )
            .fix("give finite weights"));
    }
    let bias = match root.get_some("bias") {
        Some(b) => doc.number(b, "bias")?,
        None => 0.0,
    };
    let reserved = match root.get_some("reserved_value") {
        None => None,
        Some(r) => match r.as_f64() {
            Some(x) => Some((x, r.line)),
            None => {
                return Err(doc
                    .err(
                        r,
                        "reserved_value",
                        format!("is {}, not a number (a distribution?)", r.what()),
                    )
                    .fix("give a number"))
            }
        },
    };
    Ok(UfunSpec {
        doc,
        name,
        weights,
        scored,
        bias,
        reserved,
    })
}

/// A mapping key matched against a discrete issue's values, Python's way: `1` and `1.0` are one
/// key; JSON writes every key as a string (`"1"`, `"0.5"`, `"true"`).
fn key_index(k: &Node, index: &HashMap<String, usize>) -> Option<usize> {
    match &k.data {
        Data::Str(s) => {
            if let Some(&i) = index.get(&Key::Str(s.clone()).canonical()) {
                return Some(i);
            }
            let alt = match s.as_str() {
                "true" => Some(Key::Bool(true)),
                "false" => Some(Key::Bool(false)),
                _ => s
                    .parse::<i64>()
                    .map(Key::Int)
                    .ok()
                    .or_else(|| s.parse::<f64>().ok().map(Key::Float)),
            };
            alt.and_then(|a| index.get(&a.canonical()).copied())
        }
        _ => key_of(k).and_then(|key| index.get(&key.canonical()).copied()),
    }
}

/// The integer a mapping key names (JSON keys are strings).
fn key_integer(k: &Node) -> Option<i64> {
    match &k.data {
        Data::Str(s) => s.trim().parse().ok(),
        _ => k.as_i64(),
    }
}

/// Utilities of every value of a discrete issue (or of the integers `lo..=hi`).
fn tabulate(
    u: &UfunSpec,
    s: &Scored,
    issue: &IssueSpec,
    values: &[Key],
    integers: Option<(i64, i64)>,
) -> Result<Vec<f64>, LoadError> {
    let doc = &u.doc;
    let at = |problem: String| {
        LoadError::new(doc.path, problem).at(format!("line {}, `{}`", s.line, s.place))
    };
    let count = match integers {
        Some((lo, hi)) => (hi - lo) as usize + 1,
        None => values.len(),
    };
    let value_name = |k: usize| match integers {
        Some((lo, _)) => (lo + k as i64).to_string(),
        None => values[k].display(),
    };
    match &s.how {
        How::Func(f) => (0..count)
            .map(|k| {
                let x = match integers {
                    Some((lo, _)) => Some((lo + k as i64) as f64),
                    None => values[k].number(),
                };
                x.map(|x| f.eval(x)).ok_or_else(|| {
                    at(format!(
                        "issue `{}` has the non-numeric value `{}`, which a formula cannot score",
                        issue.name,
                        value_name(k)
                    ))
                    .fix("score a categorical issue with a TableFun")
                })
            })
            .collect(),
        How::List(v) => {
            if integers.is_some() || v.len() != count {
                return Err(at(format!(
                    "a list of {} utilities for issue `{}` of {} values",
                    v.len(),
                    issue.name,
                    count
                ))
                .fix("give one utility per value, or a TableFun"));
            }
            Ok(v.clone())
        }
        How::Table(entries) => {
            let mut table = vec![None; count];
            match integers {
                Some((lo, hi)) => {
                    for (k, x) in entries {
                        if let Some(i) = key_integer(k).filter(|i| (lo..=hi).contains(i)) {
                            table[(i - lo) as usize] = Some(*x);
                        }
                    }
                }
                None => {
                    let mut index = HashMap::with_capacity(values.len());
                    for (i, v) in values.iter().enumerate() {
                        index.entry(v.canonical()).or_insert(i);
                    }
                    for (k, x) in entries {
                        if let Some(i) = key_index(k, &index) {
                            table[i] = Some(*x);
                        }
                    }
                }
            }
            table
                .iter()
                .enumerate()
                .map(|(k, x)| {
                    x.ok_or_else(|| {
                        at(format!(
                            "value `{}` of issue `{}` has no entry in the mapping (NegMAS would raise KeyError on it)",
                            value_name(k),
                            issue.name
                        ))
                        .fix("map every value of the issue to a utility")
                    })
                })
                .collect()
        }
    }
}

fn build(
    dir: &Path,
    domain_path: &Path,
    domain: &Node,
    ufun_files: &[(PathBuf, Node)],
    syntax: Syntax,
    mut notes: Vec<String>,
) -> Result<Scenario, LoadError> {
    let domain_doc = Doc { path: domain_path };
    let specs = read_domain(&domain_doc, domain, &mut notes)?;
    let mut ufuns = Vec::with_capacity(ufun_files.len());
    for (p, node) in ufun_files {
        ufuns.push(read_ufun(p, node, &specs)?);
    }
    if ufuns.len() < 2 {
        return Err(LoadError::new(
            domain_path,
            format!(
                "{} NegMAS utility function file(s) beside this domain; a scenario needs two or more",
                ufuns.len()
            ),
        )
        .fix("dump a scenario with two or more utility functions"));
    }
    let mut issues = Vec::with_capacity(specs.len());
    let mut evaluators: Vec<Vec<Evaluator>> = vec![Vec::with_capacity(specs.len()); ufuns.len()];
    for (i, spec) in specs.iter().enumerate() {
        let kind = match &spec.kind {
            Kind::Values(keys) => {
                for (u, ev) in ufuns.iter().zip(&mut evaluators) {
                    ev.push(Evaluator::Table(tabulate(
                        u,
                        &u.scored[i],
                        spec,
                        keys,
                        None,
                    )?));
                }
                IssueKind::Discrete {
                    values: keys.iter().map(Key::display).collect(),
                    descriptions: vec![None; keys.len()],
                }
            }
            Kind::Integer(lo, hi) => {
                let by_table = ufuns
                    .iter()
                    .any(|u| !matches!(u.scored[i].how, How::Func(_)));
                if by_table {
                    let n = (hi - lo) as u64 + 1;
                    if n > MAX_TABULATED {
                        let u = ufuns
                            .iter()
                            .find(|u| !matches!(u.scored[i].how, How::Func(_)))
                            .map(|u| (u.doc.path, &u.scored[i]));
                        let (p, s) = u.expect("some party scores it by a table");
                        return Err(LoadError::new(
                            p,
                            format!(
                                "integer issue `{}` has {n} values, too many to score one by one (at most {MAX_TABULATED})",
                                spec.name
                            ),
                        )
                        .at(format!("line {}, `{}`", s.line, s.place))
                        .fix("score the issue with an AffineFun"));
                    }
                    for (u, ev) in ufuns.iter().zip(&mut evaluators) {
                        ev.push(Evaluator::Table(tabulate(
                            u,
                            &u.scored[i],
                            spec,
                            &[],
                            Some((*lo, *hi)),
                        )?));
                    }
                    notes.push(format!(
                        "integer issue `{}` ({lo}..{hi}) is scored value by value; read as a discrete issue of its {n} integers",
                        spec.name
                    ));
                    let values: Vec<String> = (*lo..=*hi).map(|v| v.to_string()).collect();
                    IssueKind::Discrete {
                        descriptions: vec![None; values.len()],
                        values,
                    }
                } else {
                    for (u, ev) in ufuns.iter().zip(&mut evaluators) {
                        let How::Func(f) = u.scored[i].how else {
                            unreachable!("checked above")
                        };
                        ev.push(Evaluator::Numeric(f.numeric()));
                    }
                    IssueKind::Integer { min: *lo, max: *hi }
                }
            }
            Kind::Real(lo, hi) => {
                for (u, ev) in ufuns.iter().zip(&mut evaluators) {
                    let s = &u.scored[i];
                    let How::Func(f) = s.how else {
                        return Err(LoadError::new(
                            u.doc.path,
                            format!("continuous issue `{}` is scored by a table", spec.name),
                        )
                        .at(format!("line {}, `{}`", s.line, s.place))
                        .fix("score a continuous issue with an AffineFun, LinearFun, IdentityFun or ConstFun"));
                    };
                    ev.push(Evaluator::Numeric(f.numeric()));
                }
                IssueKind::Real { min: *lo, max: *hi }
            }
        };
        issues.push(Issue {
            name: spec.name.clone(),
            kind,
            description: None,
            positions: None,
        });
    }
    let mut parties = Vec::with_capacity(ufuns.len());
    for (u, evaluators) in ufuns.into_iter().zip(evaluators) {
        let mut additive = AdditiveUtility {
            weights: u.weights,
            evaluators,
            cap_at_one: false,
        };
        if u.bias != 0.0 {
            crate::genius::fold_bias(&mut additive, u.bias).map_err(|problem| {
                LoadError::new(
                    u.doc.path,
                    format!("the utility's bias {} cannot be kept: {problem}", u.bias),
                )
                .at("`bias`")
                .fix("give some issue a non-zero weight")
            })?;
        }
        let reservation = match u.reserved {
            None => None,
            Some((r, _)) if r.is_finite() => Some(r),
            Some((r, _)) if r == f64::NEG_INFINITY => {
                let low = lowest(&additive, &issues);
                notes.push(format!(
                    "`{}`: reserved value -inf (NegMAS's \"no reservation\") read as just below its lowest utility: {low}",
                    u.name
                ));
                Some(low)
            }
            Some((r, line)) if r.is_nan() => {
                notes.push(format!(
                    "`{}`: reserved value NaN (line {line}) read as none",
                    u.name
                ));
                None
            }
            Some((r, line)) => {
                return Err(LoadError::new(
                    u.doc.path,
                    format!("reserved value {r} means no agreement is ever acceptable"),
                )
                .at(format!("line {line}, `reserved_value`"))
                .fix("give a finite reserved_value"))
            }
        };
        parties.push(Party {
            name: u.name,
            role: Role::Negotiator,
            utility: UtilityFunction::Additive(additive),
            reservation: reservation.map(OutsideOption::Fixed),
            discount: None,
            cost_per_round: None,
            capability: None,
            salience: None,
            red_lines: Vec::new(),
            controls: Vec::new(),
            description: None,
        });
    }
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .or_else(|| {
            domain
                .get("name")
                .and_then(Node::as_str)
                .map(str::to_string)
        })
        .unwrap_or_else(|| "negmas".into());
    let _ = syntax;
    Ok(Scenario {
        ranges: zopa_core::Ranges::default(),
        name,
        description: None,
        issues,
        parties,
        events: Vec::new(),
        calendar: None,
        texts: Vec::new(),
        exclusions: Vec::new(),
        notes,
    })
}

/// Just below the lowest utility of an additive utility over the issues' ranges: NegMAS's
/// `-inf` admits every outcome, including the worst, however its utility is summed (in
/// another order, or exactly in decimal as zopa's analysis does), so the sum is lowered by a
/// margin far above rounding (10⁻¹² of the largest possible utility), far below any
/// difference that matters.
fn lowest(u: &AdditiveUtility, issues: &[Issue]) -> f64 {
    let mut total = 0.0;
    let mut scale = 0.0;
    for ((w, e), issue) in u.weights.iter().zip(&u.evaluators).zip(issues) {
        let (lo, hi) = match (e, &issue.kind) {
            (Evaluator::Table(_) | Evaluator::Positional(_), _) => e
                .evaluations()
                .unwrap_or_default()
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &x| {
                    (a.min(x), b.max(x))
                }),
            (Evaluator::Numeric(f), IssueKind::Integer { min, max }) => {
                let (a, b) = (f.eval(*min as f64), f.eval(*max as f64));
                (a.min(b), a.max(b))
            }
            (Evaluator::Numeric(f), IssueKind::Real { min, max }) => {
                let (a, b) = (f.eval(*min), f.eval(*max));
                (a.min(b), a.max(b))
            }
            _ => (0.0, 0.0),
        };
        total += (w * lo).min(w * hi);
        scale += (w * lo).abs().max((w * hi).abs());
    }
    total - 1e-12 * scale.max(1.0)
}

/// The one kind of pickled Python function zopa reads: what
/// `LinearAdditiveUtilityFunction.random` stores in its `LambdaFun`s, a `functools.partial` of
/// `negmas.preferences.crisp.linear._rand_mapping` or `_rand_mapping_normalized` with number
/// keywords. The pickle is interpreted as data by a tiny stack machine that knows a dozen
/// opcodes and builds nothing but numbers, strings, tuples, dicts and that one partial; no
/// Python object is ever created or called.
mod pickle {
    use super::Func;

    const LAMBDA_START: &[u8] = b"__LAMBDAOBJ__:";
    const MODULE: &str = "negmas.preferences.crisp.linear";

    #[derive(Debug, Clone)]
    enum V {
        Mark,
        None,
        Int(i64),
        Float(f64),
        Str(String),
        Global(String, String),
        Tuple(Vec<V>),
        Dict(Vec<(V, V)>),
        Partial {
            func: Box<V>,
            keywords: Vec<(V, V)>,
            args: usize,
        },
    }

    /// Decodes `f` as written in a dump (YAML `!!binary` base64, or JSON `__BYTES__:` + base64)
    /// into NegMAS's function plus the LambdaFun's `bias`; `Err` says what it is instead.
    pub(super) fn rand_mapping(f: &str, bias: f64) -> Result<Func, String> {
        let b64 = f.strip_prefix("__BYTES__:").unwrap_or(f);
        let bytes = base64(b64).ok_or("its `f` is not base64-encoded bytes")?;
        let Some(pickle) = bytes.strip_prefix(LAMBDA_START) else {
            return Err("its `f` is not a pickled function NegMAS wrote".into());
        };
        let v = run(pickle).map_err(|e| {
            format!("it holds a pickled Python function zopa cannot read ({e}); only the random mappings of LinearAdditiveUtilityFunction.random are read")
        })?;
        let V::Partial {
            func,
            keywords,
            args: 0,
        } = v
        else {
            return Err("it holds a pickled Python object that is not a functools.partial of NegMAS's random mappings".into());
        };
        let V::Global(module, name) = *func else {
            return Err("its partial wraps something that is not a named function".into());
        };
        let kw = |k: &str| -> Result<f64, String> {
            keywords
                .iter()
                .find_map(|(key, v)| match (key, v) {
                    (V::Str(s), V::Int(i)) if s == k => Some(*i as f64),
                    (V::Str(s), V::Float(x)) if s == k => Some(*x),
                    _ => None,
                })
                .ok_or_else(|| format!("`{module}.{name}` lacks the number keyword `{k}`"))
        };
        match (module.as_str(), name.as_str()) {
            (MODULE, "_rand_mapping_normalized") if keywords.len() == 3 => {
                Ok(Func::RandNormalized {
                    mx: kw("mx")?,
                    mn: kw("mn")?,
                    r: kw("r")?,
                    bias,
                })
            }
            (MODULE, "_rand_mapping") if keywords.len() == 1 => {
                Ok(Func::Rand { r: kw("r")?, bias })
            }
            _ => Err(format!(
                "it holds the Python function `{module}.{name}`, which zopa cannot evaluate"
            )),
        }
    }

    fn base64(s: &str) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(s.len() * 3 / 4);
        let (mut acc, mut bits) = (0u32, 0u32);
        for c in s.bytes() {
            let v = match c {
                b'A'..=b'Z' => c - b'A',
                b'a'..=b'z' => c - b'a' + 26,
                b'0'..=b'9' => c - b'0' + 52,
                b'+' => 62,
                b'/' => 63,
                b'=' => break,
                b' ' | b'\n' | b'\r' | b'\t' => continue,
                _ => return None,
            };
            acc = (acc << 6) | u32::from(v);
            bits += 6;
            if bits >= 8 {
                bits -= 8;
                out.push((acc >> bits) as u8);
                acc &= (1 << bits) - 1;
            }
        }
        Some(out)
    }

    /// Runs the pickle opcodes that `pickle.dumps(functools.partial(f, **numbers))` uses.
    fn run(p: &[u8]) -> Result<V, String> {
        let mut stack: Vec<V> = Vec::new();
        let mut memo: Vec<V> = Vec::new();
        let mut i = 0;
        let take = |i: &mut usize, n: usize| -> Result<&[u8], String> {
            let s = p.get(*i..*i + n).ok_or("truncated")?;
            *i += n;
            Ok(s)
        };
        let pop = |stack: &mut Vec<V>| stack.pop().ok_or_else(|| "stack underflow".to_string());
        let pop_mark = |stack: &mut Vec<V>| -> Result<Vec<V>, String> {
            let m = stack
                .iter()
                .rposition(|v| matches!(v, V::Mark))
                .ok_or("no mark")?;
            let items = stack.split_off(m + 1);
            stack.pop();
            Ok(items)
        };
        let pairs = |items: Vec<V>| -> Result<Vec<(V, V)>, String> {
            let pairs = items.chunks_exact(2);
            if !pairs.remainder().is_empty() {
                return Err("odd dict items".into());
            }
            Ok(pairs.map(|kv| (kv[0].clone(), kv[1].clone())).collect())
        };
        loop {
            let op = *take(&mut i, 1)?.first().ok_or("truncated")?;
            match op {
                0x80 => {
                    take(&mut i, 1)?; // PROTO
                }
                0x95 => {
                    take(&mut i, 8)?; // FRAME
                }
                0x8c => {
                    // SHORT_BINUNICODE
                    let n = usize::from(take(&mut i, 1)?[0]);
                    let s = std::str::from_utf8(take(&mut i, n)?).map_err(|_| "bad utf-8")?;
                    stack.push(V::Str(s.to_string()));
                }
                b'X' => {
                    // BINUNICODE
                    let n =
                        u32::from_le_bytes(take(&mut i, 4)?.try_into().map_err(|_| "truncated")?);
                    let s =
                        std::str::from_utf8(take(&mut i, n as usize)?).map_err(|_| "bad utf-8")?;
                    stack.push(V::Str(s.to_string()));
                }
                0x94 => memo.push(stack.last().cloned().ok_or("memoize on empty stack")?), // MEMOIZE
                b'h' => {
                    // BINGET
                    let k = usize::from(take(&mut i, 1)?[0]);
                    stack.push(memo.get(k).cloned().ok_or("bad memo index")?);
                }
                b'j' => {
                    // LONG_BINGET
                    let k =
                        u32::from_le_bytes(take(&mut i, 4)?.try_into().map_err(|_| "truncated")?);
                    stack.push(memo.get(k as usize).cloned().ok_or("bad memo index")?);
                }
                0x93 => {
                    // STACK_GLOBAL
                    let (V::Str(name), V::Str(module)) = (pop(&mut stack)?, pop(&mut stack)?)
                    else {
                        return Err("bad global".into());
                    };
                    stack.push(V::Global(module, name));
                }
                b'(' => stack.push(V::Mark),
                b')' => stack.push(V::Tuple(Vec::new())),
                b'}' => stack.push(V::Dict(Vec::new())),
                b'N' => stack.push(V::None),
                b'K' => stack.push(V::Int(i64::from(take(&mut i, 1)?[0]))),
                b'M' => stack.push(V::Int(i64::from(u16::from_le_bytes(
                    take(&mut i, 2)?.try_into().map_err(|_| "truncated")?,
                )))),
                b'J' => stack.push(V::Int(i64::from(i32::from_le_bytes(
                    take(&mut i, 4)?.try_into().map_err(|_| "truncated")?,
                )))),
                b'G' => stack.push(V::Float(f64::from_be_bytes(
                    take(&mut i, 8)?.try_into().map_err(|_| "truncated")?,
                ))),
                0x85..=0x87 => {
                    // TUPLE1..3
                    let n = usize::from(op - 0x84);
                    if stack.len() < n {
                        return Err("stack underflow".into());
                    }
                    let items = stack.split_off(stack.len() - n);
                    stack.push(V::Tuple(items));
                }
                b't' => {
                    let items = pop_mark(&mut stack)?;
                    stack.push(V::Tuple(items));
                }
                b's' | b'u' => {
                    // SETITEM, SETITEMS
                    let items = if op == b's' {
                        let v = pop(&mut stack)?;
                        let k = pop(&mut stack)?;
                        vec![k, v]
                    } else {
                        pop_mark(&mut stack)?
                    };
                    let Some(V::Dict(d)) = stack.last_mut() else {
                        return Err("setitem on a non-dict".into());
                    };
                    d.extend(pairs(items)?);
                }
                b'R' => {
                    // REDUCE: only functools.partial(f)
                    let args = pop(&mut stack)?;
                    let callable = pop(&mut stack)?;
                    match (callable, args) {
                        (V::Global(m, n), V::Tuple(mut a))
                            if m == "functools" && n == "partial" && a.len() == 1 =>
                        {
                            stack.push(V::Partial {
                                func: Box::new(a.remove(0)),
                                keywords: Vec::new(),
                                args: 0,
                            });
                        }
                        (V::Global(m, n), _) => return Err(format!("calls {m}.{n}")),
                        _ => return Err("calls something that is not a named function".into()),
                    }
                }
                b'b' => {
                    // BUILD: partial.__setstate__((func, args, keywords, dict))
                    let state = pop(&mut stack)?;
                    let Some(V::Partial {
                        func,
                        keywords,
                        args,
                    }) = stack.last_mut()
                    else {
                        return Err("builds something that is not a partial".into());
                    };
                    let V::Tuple(mut parts) = state else {
                        return Err("bad partial state".into());
                    };
                    if parts.len() != 4 {
                        return Err("bad partial state".into());
                    }
                    let kw = parts.remove(2);
                    let a = parts.remove(1);
                    **func = parts.remove(0);
                    *args = match a {
                        V::Tuple(t) => t.len(),
                        _ => return Err("bad partial arguments".into()),
                    };
                    *keywords = match kw {
                        V::Dict(d) => d,
                        V::None => Vec::new(),
                        _ => return Err("bad partial keywords".into()),
                    };
                }
                b'.' => return pop(&mut stack),
                other => return Err(format!("pickle opcode 0x{other:02x}")),
            }
        }
    }

    #[cfg(test)]
    mod tests {
        use super::*;

        #[test]
        fn reads_the_normalized_random_mapping() {
            // LinearAdditiveUtilityFunction.random(…, normalized=True) on make_issue(4).
            let f =
                "X19MQU1CREFPQkpfXzqABZWDAAAAAAAAAIwJZnVuY3Rvb2xzlIwHcGFydGlhbJSTlIwfbmVnbWFz\n\
                     LnByZWZlcmVuY2VzLmNyaXNwLmxpbmVhcpSMGF9yYW5kX21hcHBpbmdfbm9ybWFsaXplZJSTlIWU\n\
                     UpQoaAUpfZQojAJteJRLA4wCbW6USwCMAXKURz/K38yRgHLodU50lGIu\n";
            let Ok(Func::RandNormalized { mx, mn, r, bias }) = rand_mapping(f, 0.0) else {
                panic!("not read");
            };
            assert_eq!((mx, mn, bias), (3.0, 0.0, 0.0));
            assert_eq!(r, 0.20995480637147712);
        }

        #[test]
        fn refuses_other_functions() {
            let e = rand_mapping("__BYTES__:AAAA", 0.0).unwrap_err();
            assert!(e.contains("not a pickled function"), "{e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn python_float_spelling() {
        assert_eq!(py_float(0.5), "0.5");
        assert_eq!(py_float(1.0), "1.0");
        assert_eq!(py_float(1e-5), "1e-05");
        assert_eq!(py_float(1.5e-7), "1.5e-07");
        assert_eq!(py_float(1e16), "1e+16");
        assert_eq!(py_float(123456.0), "123456.0");
        assert_eq!(py_float(0.0001), "0.0001");
    }
}
