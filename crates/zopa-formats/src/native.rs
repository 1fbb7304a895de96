//! zopa's native TOML scenario format (documented in `docs/scenario-format.md`).

use std::collections::HashMap;
use std::path::Path;

use toml::{Table, Value as Toml};
use zopa_core::{
    parse_date, AdditiveUtility, Aggregation, Calendar, CalendarKey, Condition, ConstraintUtility,
    Curve, Date, Evaluator, EventTime, Exclusion, HyperRectangle, Issue, IssueKind, Label, NoDeal,
    NoDealChange, NoDealForm, NoDealKey, NoDealProblem, NumericEvaluator, OutsideOption, Party,
    PositionalEvaluator, RectangleKind, ReservationChange, RestrictionKey, Role, Scenario,
    ScenarioEvent, Shape, Stance, StanceMove, Text, UtilityFunction, Value,
};

use crate::error::{read_text, LoadError};

pub(crate) fn read(path: &Path) -> Result<Scenario, LoadError> {
    let text = read_text(path)?;
    from_str(path, &text)
}

/// Parses native TOML text; `path` is only used in errors.
pub fn from_str(path: &Path, text: &str) -> Result<Scenario, LoadError> {
    let root: Table = toml::from_str(text).map_err(|e| {
        let place = e
            .span()
            .map(|s| format!("line {}", text[..s.start].matches('\n').count() + 1));
        let mut err = LoadError::new(path, format!("malformed TOML: {}", e.message()))
            .fix("repair the TOML at that place");
        err.place = place;
        err
    })?;
    let r = Reader { path };
    let name = r.opt_str(&root, "name", "name")?.unwrap_or_else(|| {
        path.file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default()
    });
    let description = r.opt_str(&root, "description", "description")?;
    let calendar = root.get("calendar").map(|v| r.calendar(v)).transpose()?;
    let issues = r
        .array(&root, "issues", "issues")?
        .iter()
        .enumerate()
        .map(|(i, v)| r.issue(v, &format!("issues[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    if issues.is_empty() {
        return Err(r.err(
            "issues",
            "the scenario has no issues",
            "list at least one issue: [[issues]] name = \"price\" integer = [0, 10]",
        ));
    }
    let mut notes = Vec::new();
    let parties = r
        .array(&root, "parties", "parties")?
        .iter()
        .enumerate()
        .map(|(i, v)| r.party(v, &format!("parties[{i}]"), &issues, &mut notes))
        .collect::<Result<Vec<_>, _>>()?;
    let events = match root.get("events") {
        None => Vec::new(),
        Some(_) => r
            .array(&root, "events", "events")?
            .iter()
            .enumerate()
            .map(|(i, v)| r.event(v, &format!("events[{i}]"), &parties, &issues))
            .collect::<Result<Vec<_>, _>>()?,
    };
    let exclusions = match root.get(exclusion_keys::SECTION) {
        None => Vec::new(),
        Some(_) => {
            let list = r.array(&root, exclusion_keys::SECTION, exclusion_keys::SECTION)?;
            let mut exclusions: Vec<Exclusion> = Vec::with_capacity(list.len());
            for (i, v) in list.iter().enumerate() {
                let e = r.exclusion(v, &format!("{}[{i}]", exclusion_keys::SECTION), &issues)?;
                if exclusions.iter().any(|f| f.name == e.name) {
                    return Err(r.err(
                        &format!("{}.{}", exclusion_keys::SECTION, e.name),
                        format!("two exclusions are both named `{}`", e.name),
                        "give each exclusion a unique name",
                    ));
                }
                exclusions.push(e);
            }
            exclusions
        }
    };
    let texts = match root.get("texts") {
        None => Vec::new(),
        Some(_) => {
            let names = ValueNames::new(&issues);
            r.array(&root, "texts", "texts")?
                .iter()
                .enumerate()
                .map(|(i, v)| r.text(v, &format!("texts[{i}]"), &issues, &names))
                .collect::<Result<Vec<_>, _>>()?
        }
    };
    for key in root.keys() {
        if ![
            "name",
            "description",
            "calendar",
            "issues",
            "parties",
            "events",
            "texts",
            exclusion_keys::SECTION,
            crate::native_ranges::SECTION,
        ]
        .contains(&key.as_str())
        {
            notes.push(format!("ignored unknown top-level key `{key}`"));
        }
    }
    let ranges = match root.get(crate::native_ranges::SECTION) {
        None => zopa_core::Ranges::default(),
        Some(v) => r.ranges(v, &issues, &parties, &events)?,
    };
    Ok(Scenario {
        ranges,
        name,
        description,
        issues,
        parties,
        events,
        calendar,
        texts,
        exclusions,
        notes,
    })
}

/// The keys that place one edge of an event in time: a relative time, a round or a date.
/// The reader and the writer both spell them from here.
pub(crate) struct TimeKeys {
    pub relative: &'static str,
    pub round: &'static str,
    pub date: &'static str,
    /// `needs exactly one of` / `ends with at most one of`, for the error.
    rule: &'static str,
    /// Example values of the three keys, for the fix.
    examples: (&'static str, &'static str, &'static str),
}

/// When an event starts: `at`, `round` or `date` (exactly one).
pub(crate) const EVENT_START: TimeKeys = TimeKeys {
    relative: "at",
    round: "round",
    date: "date",
    rule: "needs exactly one of",
    examples: ("0.5", "10", "2025-12-18"),
};

/// When an event ends: `until`, `until_round` or `until_date` (at most one).
pub(crate) const EVENT_END: TimeKeys = TimeKeys {
    relative: "until",
    round: "until_round",
    date: "until_date",
    rule: "ends with at most one of",
    examples: ("0.8", "40", "2026-01-10"),
};

impl TimeKeys {
    fn error(&self, r: &Reader<'_>, place: &str) -> LoadError {
        let (relative, round, date) = self.examples;
        r.err(
            place,
            format!(
                "an event {} `{}` (relative time in [0, 1]), `{}` (a round number ≥ 0) or `{}` \
                 (with a [calendar])",
                self.rule, self.relative, self.round, self.date
            ),
            format!(
                "write `{} = {relative}`, `{} = {round}` or `{} = \"{date}\"`",
                self.relative, self.round, self.date
            ),
        )
    }
}

/// The keys of a `[[texts]]` entry and of one of its cells; the writer spells them from here.
pub(crate) mod text_keys {
    pub const NAME: &str = "name";
    pub const DATE: &str = "date";
    pub const SOURCE: &str = "source";
    pub const DESCRIPTION: &str = "description";
    pub const VALUES: &str = "values";
    /// Every key of a text, in the order written.
    pub const TEXT: [&str; 5] = [NAME, DATE, SOURCE, DESCRIPTION, VALUES];
    /// A cell written as a table: `{ value = …, label = … }`, or `{ index = …, … }` for a
    /// discrete value whose name the issue lists twice.
    pub const VALUE: &str = "value";
    pub const INDEX: &str = "index";
    pub const LABEL: &str = "label";
    pub const CELL: [&str; 3] = [VALUE, INDEX, LABEL];
}

/// The keys of a positional evaluation, `issue = { ideal = 0, shape = "monotone", … }`; the
/// writer spells them from here.
pub(crate) mod positional_keys {
    /// Where the party wants the issue to end up, on the issue's position scale.
    pub const IDEAL: &str = "ideal";
    /// `monotone` or `single-peaked`.
    pub const SHAPE: &str = "shape";
    /// `linear` or `concave`.
    pub const CURVE: &str = "curve";
    /// The position the party last stated: its latest concession.
    pub const STANCE: &str = "stance";
    pub const STANCE_DATE: &str = "stance_date";
    pub const STANCE_SOURCE: &str = "stance_source";
    pub const STANCE_LABEL: &str = "stance_label";
    /// Every key, in the order written.
    pub const ALL: [&str; 7] = [
        IDEAL,
        SHAPE,
        CURVE,
        STANCE,
        STANCE_DATE,
        STANCE_SOURCE,
        STANCE_LABEL,
    ];
    /// The keys that describe the stance, and need it.
    pub const ABOUT_STANCE: [&str; 3] = [STANCE_DATE, STANCE_SOURCE, STANCE_LABEL];
}

/// Names for people: `` `a`, `b` or `c` ``.
fn options(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|k| format!("`{k}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} or {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// The key of a party's no-deal model (`[parties.no_deal]`); its own keys are
/// [`NoDealKey`]'s. The writer spells it from here.
pub(crate) const NO_DEAL: &str = "no_deal";

/// The keys of an `[[exclusions]]` entry; the writer spells them from here.
pub(crate) mod exclusion_keys {
    pub const SECTION: &str = "exclusions";
    pub const NAME: &str = "name";
    pub const WHEN: &str = "when";
    pub const SOURCE: &str = "source";
    pub const DESCRIPTION: &str = "description";
    /// Every key of an exclusion, in the order written.
    pub const EXCLUSION: [&str; 4] = [NAME, WHEN, SOURCE, DESCRIPTION];
}

/// Keys for people: `` `a`, `b` and `c` ``.
fn listing(keys: &[&str]) -> String {
    let quoted: Vec<String> = keys.iter().map(|k| format!("`{k}`")).collect();
    match quoted.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => quoted.concat(),
    }
}

/// Each discrete issue's value names → their index, or `None` for a name listed twice (which
/// a text must then give by `index`); built once, so reading texts is linear in the file.
struct ValueNames<'a>(Vec<HashMap<&'a str, Option<u32>>>);

impl<'a> ValueNames<'a> {
    fn new(issues: &'a [Issue]) -> ValueNames<'a> {
        ValueNames(
            issues
                .iter()
                .map(|issue| {
                    let mut names = HashMap::new();
                    if let IssueKind::Discrete { values, .. } = &issue.kind {
                        for (i, v) in values.iter().enumerate() {
                            names
                                .entry(v.as_str())
                                .and_modify(|e| *e = None)
                                .or_insert(Some(i as u32));
                        }
                    }
                    names
                })
                .collect(),
        )
    }
}

/// Is an evaluation table positional rather than scores by value name? Scores are numbers,
/// while a positional evaluation names its `shape` and `curve` in text; and a positional key
/// (`ideal`, `stance`, …) that is not one of the issue's value names can only be positional.
fn is_positional(t: &Table, issue: &Issue) -> bool {
    t.values().any(Toml::is_str)
        || t.keys().any(|key| {
            positional_keys::ALL.contains(&key.as_str()) && issue.value_index(key).is_none()
        })
}

/// How dates are written, for every error about one.
const DATE_FIX: &str = "write dates as YYYY-MM-DD, e.g. \"2025-11-15\"";

pub(crate) struct Reader<'a> {
    path: &'a Path,
}

impl Reader<'_> {
    pub(crate) fn err(
        &self,
        place: &str,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> LoadError {
        LoadError::new(self.path, problem)
            .at(format!("key {place}"))
            .fix(fix)
    }

    pub(crate) fn table<'v>(&self, v: &'v Toml, place: &str) -> Result<&'v Table, LoadError> {
        v.as_table().ok_or_else(|| {
            self.err(
                place,
                "expected a table",
                "write `key = { … }` or a [section]",
            )
        })
    }

    fn array<'v>(&self, t: &'v Table, key: &str, place: &str) -> Result<&'v Vec<Toml>, LoadError> {
        match t.get(key) {
            Some(Toml::Array(a)) => Ok(a),
            Some(_) => Err(self.err(
                place,
                format!("`{key}` must be an array"),
                format!("write [[{key}]] sections"),
            )),
            None => Err(self.err(
                place,
                format!("`{key}` is missing"),
                format!("add at least one [[{key}]] section"),
            )),
        }
    }

    pub(crate) fn num(&self, v: &Toml, place: &str) -> Result<f64, LoadError> {
        match v {
            Toml::Float(x) => Ok(*x),
            Toml::Integer(i) => Ok(*i as f64),
            _ => Err(self.err(
                place,
                format!("expected a number, found {}", v.type_str()),
                "write a number such as 0.5",
            )),
        }
    }

    fn req_num(&self, t: &Table, key: &str, place: &str) -> Result<f64, LoadError> {
        let v = t.get(key).ok_or_else(|| {
            self.err(
                place,
                format!("`{key}` is missing"),
                format!("add `{key} = …`"),
            )
        })?;
        self.num(v, &format!("{place}.{key}"))
    }

    pub(crate) fn opt_num(
        &self,
        t: &Table,
        key: &str,
        place: &str,
    ) -> Result<Option<f64>, LoadError> {
        t.get(key)
            .map(|v| self.num(v, &format!("{place}.{key}")))
            .transpose()
    }

    pub(crate) fn opt_str(
        &self,
        t: &Table,
        key: &str,
        place: &str,
    ) -> Result<Option<String>, LoadError> {
        match t.get(key) {
            None => Ok(None),
            Some(Toml::String(s)) => Ok(Some(s.clone())),
            Some(v) => Err(self.err(
                place,
                format!("expected text, found {}", v.type_str()),
                "write \"…\"",
            )),
        }
    }

    /// A date: the text `"2025-11-15"` or a TOML local date `2025-11-15`.
    fn date(&self, v: &Toml, place: &str) -> Result<Date, LoadError> {
        let text = match v {
            Toml::String(s) => s.clone(),
            Toml::Datetime(d) if d.time.is_none() && d.offset.is_none() => d.to_string(),
            Toml::Datetime(d) => {
                return Err(self.err(
                    place,
                    format!("expected a date, found the date and time {d}"),
                    DATE_FIX,
                ))
            }
            other => {
                return Err(self.err(
                    place,
                    format!("expected a date, found {}", other.type_str()),
                    DATE_FIX,
                ))
            }
        };
        parse_date(&text).map_err(|e| self.err(place, e.to_string(), DATE_FIX))
    }

    /// `[calendar]`: `start` (required), `days_per_round` (default 1), `end` (optional).
    fn calendar(&self, v: &Toml) -> Result<Calendar, LoadError> {
        const KEYS: [CalendarKey; 3] = [
            CalendarKey::Start,
            CalendarKey::DaysPerRound,
            CalendarKey::End,
        ];
        let t = self.table(v, "calendar")?;
        if let Some(key) = t
            .keys()
            .find(|k| !KEYS.iter().any(|c| c.as_str() == k.as_str()))
        {
            return Err(self.err(
                &format!("calendar.{key}"),
                format!("[calendar] has no key `{key}`"),
                "the calendar takes `start` (the date of round 0), `days_per_round` and `end`",
            ));
        }
        let place = |key: CalendarKey| format!("calendar.{key}");
        let start = t.get(CalendarKey::Start.as_str()).ok_or_else(|| {
            self.err(
                "calendar",
                "the calendar has no `start`",
                "add `start = \"YYYY-MM-DD\"`, the date of round 0",
            )
        })?;
        let start = self.date(start, &place(CalendarKey::Start))?;
        let days_per_round = match t.get(CalendarKey::DaysPerRound.as_str()) {
            None => 1,
            Some(Toml::Integer(n)) if u32::try_from(*n).is_ok() => *n as u32,
            Some(other) => {
                return Err(self.err(
                    &place(CalendarKey::DaysPerRound),
                    format!("expected a whole number of days, found {other}"),
                    "write `days_per_round = 1` for daily rounds, 7 for weekly ones",
                ))
            }
        };
        let end = t
            .get(CalendarKey::End.as_str())
            .map(|v| self.date(v, &place(CalendarKey::End)))
            .transpose()?;
        Ok(Calendar {
            start,
            days_per_round,
            end,
        })
    }

    fn issue(&self, v: &Toml, place: &str) -> Result<Issue, LoadError> {
        let t = self.table(v, place)?;
        let name = self
            .opt_str(t, "name", &format!("{place}.name"))?
            .ok_or_else(|| self.err(place, "an issue needs a name", "add `name = \"…\"`"))?;
        let place = format!("issues.{name}");
        let description = self.opt_str(t, "description", &format!("{place}.description"))?;
        let pair = |key: &str| -> Result<Option<(f64, f64)>, LoadError> {
            match t.get(key) {
                None => Ok(None),
                Some(Toml::Array(a)) if a.len() == 2 => Ok(Some((
                    self.num(&a[0], &format!("{place}.{key}"))?,
                    self.num(&a[1], &format!("{place}.{key}"))?,
                ))),
                Some(_) => Err(self.err(
                    &format!("{place}.{key}"),
                    "expected [min, max]",
                    format!("write `{key} = [min, max]`"),
                )),
            }
        };
        let kind = match (t.get("values"), pair("integer")?, pair("real")?) {
            (Some(Toml::Array(values)), None, None) => {
                let mut names = Vec::new();
                let mut descriptions = Vec::new();
                for (k, v) in values.iter().enumerate() {
                    let vp = format!("{place}.values[{k}]");
                    match v {
                        Toml::String(s) => {
                            names.push(s.clone());
                            descriptions.push(None);
                        }
                        Toml::Table(vt) => {
                            let s = self.opt_str(vt, "value", &vp)?.ok_or_else(|| {
                                self.err(
                                    &vp,
                                    "a described value needs `value`",
                                    "write { value = \"…\", description = \"…\" }",
                                )
                            })?;
                            names.push(s);
                            descriptions.push(self.opt_str(vt, "description", &vp)?);
                        }
                        _ => {
                            return Err(self.err(
                                &vp,
                                "a value is text or { value, description }",
                                "write \"name\"",
                            ))
                        }
                    }
                }
                IssueKind::Discrete {
                    values: names,
                    descriptions,
                }
            }
            (None, Some(_), None) => {
                // Read the bounds as TOML integers: through f64 they would lose digits
                // above 2^53 (and 1e300 would saturate silently).
                let ip = format!("{place}.integer");
                let bound = |v: &Toml| -> Result<i64, LoadError> {
                    match v {
                        Toml::Integer(i) => Ok(*i),
                        Toml::Float(x) if x.fract() == 0.0 && x.abs() < 9.0e15 => Ok(*x as i64),
                        other => Err(self.err(
                            &ip,
                            format!(
                                "integer bound {} is not a whole number in the 64-bit range",
                                match other {
                                    Toml::Float(x) => format!("{x:e}"),
                                    v => v.to_string(),
                                }
                            ),
                            "write integer = [1, 10] with whole numbers between -9223372036854775808 and 9223372036854775807",
                        )),
                    }
                };
                match t.get("integer") {
                    Some(Toml::Array(a)) if a.len() == 2 => IssueKind::Integer {
                        min: bound(&a[0])?,
                        max: bound(&a[1])?,
                    },
                    _ => {
                        return Err(self.err(
                            &ip,
                            "expected [min, max]",
                            "write integer = [min, max]",
                        ))
                    }
                }
            }
            (None, None, Some((lo, hi))) => IssueKind::Real { min: lo, max: hi },
            _ => {
                return Err(self.err(
                    &place,
                    "an issue needs exactly one of `values`, `integer` or `real`",
                    "write values = [\"a\", \"b\"], integer = [min, max] or real = [min, max]",
                ))
            }
        };
        let positions = match t.get("positions") {
            None => None,
            Some(Toml::Array(a)) => {
                let pp = format!("{place}.positions");
                let xs = a
                    .iter()
                    .map(|v| self.num(v, &pp))
                    .collect::<Result<Vec<f64>, _>>()?;
                let n = match &kind {
                    IssueKind::Discrete { values, .. } => values.len(),
                    _ => {
                        return Err(self.err(
                            &pp,
                            "`positions` is for discrete issues",
                            "remove it, or make the issue discrete",
                        ))
                    }
                };
                if xs.len() != n || xs.iter().any(|x| !(0.0..=100.0).contains(x)) {
                    return Err(self.err(
                        &pp,
                        format!(
                            "{} positions for {n} values, or a position outside 0-100",
                            xs.len()
                        ),
                        "give one position in [0, 100] per value, in order",
                    ));
                }
                Some(xs)
            }
            Some(_) => {
                return Err(self.err(
                    &format!("{place}.positions"),
                    "expected a list of numbers",
                    "write positions = [0, 50, 100]",
                ))
            }
        };
        Ok(Issue {
            name,
            kind,
            description,
            positions,
        })
    }

    fn party(
        &self,
        v: &Toml,
        place: &str,
        issues: &[Issue],
        notes: &mut Vec<String>,
    ) -> Result<Party, LoadError> {
        let t = self.table(v, place)?;
        let name = self
            .opt_str(t, "name", &format!("{place}.name"))?
            .ok_or_else(|| self.err(place, "a party needs a name", "add `name = \"…\"`"))?;
        let place = format!("parties.{name}");
        let role = match self.opt_str(t, "role", &place)?.as_deref() {
            None => Role::Negotiator,
            Some(r) => Role::parse(r).ok_or_else(|| {
                self.err(
                    &format!("{place}.role"),
                    format!("unknown role `{r}`"),
                    "use negotiator, mediator or stakeholder",
                )
            })?,
        };
        let utility = match t.get("constraints") {
            Some(c) => UtilityFunction::Constraint(self.constraints(
                c,
                &format!("{place}.constraints"),
                issues,
            )?),
            None => UtilityFunction::Additive(self.additive(t, &place, issues, notes)?),
        };
        let (red_lines, controls) = self.restrictions(t, &place, issues)?;
        let party = Party {
            name,
            role,
            utility,
            reservation: self.outside_option(t, &place)?,
            discount: self.opt_num(t, "discount", &place)?,
            cost_per_round: self.opt_num(t, "cost_per_round", &place)?,
            capability: self.opt_num(t, "capability", &place)?,
            salience: self.salience(t, &place, issues)?,
            description: self.opt_str(t, "description", &place)?,
            red_lines,
            controls,
        };
        party.check_restrictions(issues).map_err(|e| {
            self.err(
                &format!("{place}.{}", e.key),
                format!("{}: {}", e.what, e.misfit.problem),
                e.misfit.fix,
            )
        })?;
        Ok(party)
    }

    /// A list of texts under `key` (absent: empty).
    fn strings<'t>(
        &self,
        t: &'t Table,
        key: &str,
        place: &str,
        example: &str,
    ) -> Result<Vec<&'t str>, LoadError> {
        match t.get(key) {
            None => Ok(Vec::new()),
            Some(Toml::Array(items)) => items
                .iter()
                .enumerate()
                .map(|(k, v)| {
                    v.as_str().ok_or_else(|| {
                        self.err(
                            &format!("{place}.{key}[{k}]"),
                            format!("expected text, found {}", v.type_str()),
                            format!("write `{key} = [{example}]`"),
                        )
                    })
                })
                .collect(),
            Some(v) => Err(self.err(
                &format!("{place}.{key}"),
                format!("expected a list of texts, found {}", v.type_str()),
                format!("write `{key} = [{example}]`"),
            )),
        }
    }

    /// A condition (`docs/scenario-format.md`, Restrictions) at `place`; `what` says whose.
    fn condition(
        &self,
        text: &str,
        place: &str,
        what: &str,
        issues: &[Issue],
    ) -> Result<Condition, LoadError> {
        Condition::parse(text, issues)
            .map_err(|m| self.err(place, format!("{what} `{text}`: {}", m.problem), m.fix))
    }

    /// `red_lines = ["issue >= value", …]` and `controls = ["issue", …]`.
    fn restrictions(
        &self,
        t: &Table,
        place: &str,
        issues: &[Issue],
    ) -> Result<(Vec<Condition>, Vec<usize>), LoadError> {
        let key = RestrictionKey::RedLines.as_str();
        let red_lines = self
            .strings(t, key, place, "\"issue >= value\"")?
            .into_iter()
            .enumerate()
            .map(|(k, text)| {
                self.condition(text, &format!("{place}.{key}[{k}]"), "red line", issues)
            })
            .collect::<Result<Vec<_>, _>>()?;
        let key = RestrictionKey::Controls.as_str();
        let controls = self
            .strings(t, key, place, "\"issue\"")?
            .into_iter()
            .enumerate()
            .map(|(k, name)| {
                issues.iter().position(|i| i.name == name).ok_or_else(|| {
                    let names: Vec<&str> = issues.iter().map(|i| i.name.as_str()).collect();
                    self.err(
                        &format!("{place}.{key}[{k}]"),
                        format!("`{name}` is not an issue of this scenario"),
                        format!("use one of: {}", names.join(", ")),
                    )
                })
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok((red_lines, controls))
    }

    /// `[[exclusions]]`: a name, the conditions that cannot all hold (`when`), a source and a
    /// description.
    fn exclusion(&self, v: &Toml, place: &str, issues: &[Issue]) -> Result<Exclusion, LoadError> {
        use exclusion_keys as k;
        let t = self.table(v, place)?;
        let name = self
            .opt_str(t, k::NAME, &format!("{place}.{}", k::NAME))?
            .ok_or_else(|| self.err(place, "an exclusion needs a name", "add `name = \"…\"`"))?;
        let place = format!("{}.{name}", k::SECTION);
        if let Some(key) = t.keys().find(|key| !k::EXCLUSION.contains(&key.as_str())) {
            return Err(self.err(
                &format!("{place}.{key}"),
                format!("an exclusion has no key `{key}`"),
                format!("an exclusion takes {}", listing(&k::EXCLUSION)),
            ));
        }
        let example = "\"issue = value\", \"other-issue = value\"";
        if !t.contains_key(k::WHEN) {
            return Err(self.err(
                &place,
                format!("exclusion `{name}` has no `{}`", k::WHEN),
                format!(
                    "list the options that cannot stand together: `{} = [{example}]`",
                    k::WHEN
                ),
            ));
        }
        let when = self
            .strings(t, k::WHEN, &place, example)?
            .into_iter()
            .enumerate()
            .map(|(j, text)| {
                self.condition(
                    text,
                    &format!("{place}.{}[{j}]", k::WHEN),
                    "condition",
                    issues,
                )
            })
            .collect::<Result<Vec<_>, _>>()?;
        let e = Exclusion {
            name,
            when,
            source: self.opt_str(t, k::SOURCE, &format!("{place}.{}", k::SOURCE))?,
            description: self.opt_str(t, k::DESCRIPTION, &format!("{place}.{}", k::DESCRIPTION))?,
        };
        e.check(issues)
            .map_err(|m| self.err(&format!("{place}.{}", k::WHEN), m.problem, m.fix))?;
        Ok(e)
    }

    /// `reservation = 0.45`, or `[parties.no_deal]`: a model whose expected utility is the
    /// reservation value.
    fn outside_option(&self, t: &Table, place: &str) -> Result<Option<OutsideOption>, LoadError> {
        let fixed = self.opt_num(t, "reservation", place)?;
        match (fixed, t.get(NO_DEAL)) {
            (Some(_), Some(_)) => Err(self.err(
                place,
                format!(
                    "a party takes `reservation` (a number) or `[parties.{NO_DEAL}]` (a model of \
                     the no-deal path, whose expected utility is the reservation value), not both"
                ),
                format!("drop `reservation`, or drop `[parties.{NO_DEAL}]`"),
            )),
            (fixed, None) => Ok(fixed.map(OutsideOption::Fixed)),
            (None, Some(v)) => Ok(Some(OutsideOption::NoDeal(
                self.no_deal(v, &format!("{place}.{NO_DEAL}"))?,
            ))),
        }
    }

    /// `[parties.no_deal]`: `prevail` and `lose` (a war of periods) or `p` (one decisive
    /// war), `cost`, and optionally `win` and `loss`.
    fn no_deal(&self, v: &Toml, place: &str) -> Result<NoDeal, LoadError> {
        use NoDealKey as K;
        let t = self.table(v, place)?;
        if let Some(key) = t.keys().find(|k| NoDealKey::parse(k).is_none()) {
            return Err(self.err(
                &format!("{place}.{key}"),
                format!("a no-deal model has no key `{key}`"),
                "a no-deal model takes `prevail` and `lose` (the probabilities per period that \
                 the party, or the other side, prevails) or `p` (one decisive war), with `cost` \
                 and optionally `win` and `loss`",
            ));
        }
        let num = |key: NoDealKey| self.opt_num(t, key.as_str(), place);
        let missing = |key: NoDealKey, why: &str| {
            self.err(
                place,
                format!("`{key}` is missing: {why}"),
                format!("add {}", key.example()),
            )
        };
        let form = match (num(K::Prevail)?, num(K::Lose)?, num(K::P)?) {
            (Some(prevail), Some(lose), None) => NoDealForm::Markov { prevail, lose },
            (None, None, Some(p)) => NoDealForm::OneShot { p },
            (None, None, None) => {
                return Err(self.err(
                    place,
                    "a no-deal model needs `prevail` and `lose` (a war of periods) or `p` (one \
                     decisive war)",
                    "write `prevail = 0.02`, `lose = 0.01`, `cost = 0.004` or `p = 0.6`, \
                     `cost = 0.1`",
                ))
            }
            (_, _, Some(_)) => return Err(self.err(
                place,
                "a no-deal model gives `prevail` and `lose` (a war of periods) or `p` (one \
                     decisive war), not both",
                "drop `p`, or drop `prevail` and `lose` (`p = x` is `prevail = x`, `lose = 1 − x`)",
            )),
            (Some(_), None, None) => {
                return Err(missing(
                    K::Lose,
                    "a war of periods needs the probability per period that the other side \
                     prevails (0 for a war the party cannot lose)",
                ))
            }
            (None, Some(_), None) => {
                return Err(missing(
                    K::Prevail,
                    "a war of periods needs the probability per period that the party prevails",
                ))
            }
        };
        let cost = num(K::Cost)?.ok_or_else(|| {
            missing(
                K::Cost,
                "the utility a period of war costs the party (0 for a war that costs nothing)",
            )
        })?;
        let model = NoDeal {
            form,
            cost,
            win: num(K::Win)?.unwrap_or(NoDeal::DEFAULT_WIN),
            loss: num(K::Loss)?.unwrap_or(NoDeal::DEFAULT_LOSS),
        };
        model.check().map_err(|e| self.no_deal_err(place, e))?;
        Ok(model)
    }

    /// A no-deal problem at its key under `place` (at `place` itself when it has none).
    fn no_deal_err(&self, place: &str, e: NoDealProblem) -> LoadError {
        let at = match e.key {
            Some(k) => format!("{place}.{k}"),
            None => place.to_string(),
        };
        self.err(&at, e.problem, e.fix)
    }

    /// An event's parameters of a no-deal model (`prevail = 0.04`, …); `None` when it names
    /// none.
    fn no_deal_change(&self, t: &Table, place: &str) -> Result<Option<NoDealChange>, LoadError> {
        let mut change = NoDealChange::default();
        for key in NoDealKey::ALL {
            if let Some(x) = self.opt_num(t, key.as_str(), place)? {
                change.set(key, x);
            }
        }
        Ok((!change.is_empty()).then_some(change))
    }

    /// `salience = { issue = 0–100, … }`: unnamed issues count 0; the total is at most 100.
    fn salience(
        &self,
        t: &Table,
        place: &str,
        issues: &[Issue],
    ) -> Result<Option<Vec<f64>>, LoadError> {
        let Some(v) = t.get("salience") else {
            return Ok(None);
        };
        let sp = format!("{place}.salience");
        let table = self.table(v, &sp)?;
        for key in table.keys() {
            if !issues.iter().any(|i| &i.name == key) {
                return Err(self.err(
                    &format!("{sp}.{key}"),
                    format!("`{key}` is not an issue of this scenario"),
                    "use the issue names declared under [[issues]]",
                ));
            }
        }
        let mut out = Vec::new();
        for issue in issues {
            let here = format!("{sp}.{}", issue.name);
            let x = match table.get(&issue.name) {
                Some(v) => self.num(v, &here)?,
                None => 0.0,
            };
            if !(0.0..=100.0).contains(&x) {
                return Err(self.err(
                    &here,
                    format!("salience {x} is outside 0–100"),
                    "give each issue's salience on a 0–100 scale",
                ));
            }
            out.push(x);
        }
        let total: f64 = out.iter().sum();
        if total > 100.0 + 1e-9 {
            return Err(self.err(
                &sp,
                format!("saliences sum to {total}"),
                "make them sum to at most 100 (the rest is attention the party gives to other matters)",
            ));
        }
        Ok(Some(out))
    }

    fn event(
        &self,
        v: &Toml,
        place: &str,
        parties: &[Party],
        issues: &[Issue],
    ) -> Result<ScenarioEvent, LoadError> {
        let t = self.table(v, place)?;
        let name = self
            .opt_str(t, "name", place)?
            .ok_or_else(|| self.err(place, "an event needs a name", "add `name = \"…\"`"))?;
        let place = format!("events.{name}");
        let who = self.opt_str(t, "party", &place)?.ok_or_else(|| {
            self.err(
                &place,
                "an event needs the party it affects",
                "add `party = \"…\"`",
            )
        })?;
        let party = parties.iter().position(|p| p.name == who).ok_or_else(|| {
            self.err(
                &format!("{place}.party"),
                format!("no party named `{who}`"),
                "use a name declared under [[parties]]",
            )
        })?;
        let at = self
            .event_time(t, &place, &EVENT_START)?
            .ok_or_else(|| EVENT_START.error(self, &place))?;
        let until = self.event_time(t, &place, &EVENT_END)?;
        let stances = self.stance_moves(t, &place, issues)?;
        let change =
            match (
                self.opt_num(t, "reservation", &place)?,
                self.opt_num(t, "shift", &place)?,
                self.no_deal_change(t, &place)?,
            ) {
                (None, None, None) if !stances.is_empty() => None,
                (Some(x), None, None) => Some(ReservationChange::Set(x)),
                (None, Some(d), None) => Some(ReservationChange::Shift(d)),
                (None, None, Some(c)) => {
                    parties[party]
                        .check_no_deal_change(&c)
                        .map_err(|e| self.no_deal_err(&place, e))?;
                    Some(ReservationChange::Model(c))
                }
                _ => return Err(self.err(
                    &place,
                    "an event moves the outside option with exactly one of `reservation` (the new \
                 value), `shift` (a change) or parameters of the party's no-deal model \
                 (`prevail`, `lose`, `p`, `cost`, `win`, `loss`), states positions \
                 (`stances`), or both",
                    "write `reservation = 0.2`, `shift = -0.1`, `prevail = 0.04` or \
                 `stances = { nato = 67 }`",
                )),
            };
        Ok(ScenarioEvent {
            name,
            party,
            at,
            until,
            change,
            stances,
            description: self.opt_str(t, "description", &place)?,
        })
    }

    /// `stances = { issue = position, … }`: positions a party states from an event on.
    fn stance_moves(
        &self,
        t: &Table,
        place: &str,
        issues: &[Issue],
    ) -> Result<Vec<StanceMove>, LoadError> {
        let Some(v) = t.get("stances") else {
            return Ok(Vec::new());
        };
        let sp = format!("{place}.stances");
        let table = self.table(v, &sp)?;
        let mut out = Vec::new();
        for (key, v) in table {
            let issue = issues.iter().position(|i| &i.name == key).ok_or_else(|| {
                self.err(
                    &format!("{sp}.{key}"),
                    format!("`{key}` is not an issue of this scenario"),
                    "use the issue names declared under [[issues]]",
                )
            })?;
            out.push(StanceMove {
                issue,
                position: self.num(v, &format!("{sp}.{key}"))?,
            });
        }
        Ok(out)
    }

    /// When an event starts (`keys` = [`EVENT_START`]) or ends ([`EVENT_END`]): one of a
    /// relative time, a round or a date; `None` when none is given.
    fn event_time(
        &self,
        t: &Table,
        place: &str,
        keys: &TimeKeys,
    ) -> Result<Option<EventTime>, LoadError> {
        let relative = self.opt_num(t, keys.relative, place)?;
        match (relative, t.get(keys.round), t.get(keys.date)) {
            (None, None, None) => Ok(None),
            (Some(x), None, None) => Ok(Some(EventTime::Relative(x))),
            (None, Some(Toml::Integer(r)), None) if u32::try_from(*r).is_ok() => {
                Ok(Some(EventTime::Round(*r as u32)))
            }
            (None, None, Some(d)) => Ok(Some(EventTime::Date(
                self.date(d, &format!("{place}.{}", keys.date))?,
            ))),
            _ => Err(keys.error(self, place)),
        }
    }

    /// `[[texts]]`: a named draft with one value for every issue (`[texts.values]`).
    fn text(
        &self,
        v: &Toml,
        place: &str,
        issues: &[Issue],
        names: &ValueNames<'_>,
    ) -> Result<Text, LoadError> {
        use text_keys as k;
        let t = self.table(v, place)?;
        let name = self
            .opt_str(t, k::NAME, &format!("{place}.{}", k::NAME))?
            .ok_or_else(|| self.err(place, "a text needs a name", "add `name = \"…\"`"))?;
        let place = format!("texts.{name}");
        if let Some(key) = t.keys().find(|key| !k::TEXT.contains(&key.as_str())) {
            return Err(self.err(
                &format!("{place}.{key}"),
                format!("a text has no key `{key}`"),
                format!("a text takes {}", listing(&k::TEXT)),
            ));
        }
        let date = t
            .get(k::DATE)
            .map(|d| self.date(d, &format!("{place}.{}", k::DATE)))
            .transpose()?;
        let source = self.opt_str(t, k::SOURCE, &format!("{place}.{}", k::SOURCE))?;
        let description =
            self.opt_str(t, k::DESCRIPTION, &format!("{place}.{}", k::DESCRIPTION))?;
        let vp = format!("{place}.{}", k::VALUES);
        let cells = self.table(
            t.get(k::VALUES).ok_or_else(|| {
                self.err(
                    &place,
                    format!("text `{name}` has no `values`"),
                    "add a [texts.values] table giving every issue its value: issue = value",
                )
            })?,
            &vp,
        )?;
        if let Some(key) = cells
            .keys()
            .find(|key| !issues.iter().any(|i| &i.name == *key))
        {
            return Err(self.err(
                &format!("{vp}.{key}"),
                format!("`{key}` is not an issue of this scenario"),
                "use the issue names declared under [[issues]]",
            ));
        }
        let mut outcome = Vec::with_capacity(issues.len());
        let mut labels = Vec::with_capacity(issues.len());
        for (i, issue) in issues.iter().enumerate() {
            let cp = format!("{vp}.{}", issue.name);
            let cell = cells.get(&issue.name).ok_or_else(|| {
                self.err(
                    &cp,
                    format!("text `{name}` gives issue `{}` no value", issue.name),
                    Text::NO_OPEN_ISSUES,
                )
            })?;
            let (value, label) = self.text_cell(cell, &cp, issue, &names.0[i])?;
            outcome.push(value);
            labels.push(label);
        }
        Ok(Text {
            name,
            date,
            source,
            description,
            outcome,
            labels,
        })
    }

    /// One cell of a text: the value (a value name, a number), or a table with `value` (or
    /// `index`) and an optional `label`.
    fn text_cell(
        &self,
        cell: &Toml,
        place: &str,
        issue: &Issue,
        names: &HashMap<&str, Option<u32>>,
    ) -> Result<(Value, Option<Label>), LoadError> {
        use text_keys as k;
        let Toml::Table(t) = cell else {
            return Ok((self.text_value(cell, place, issue, names)?, None));
        };
        if let Some(key) = t.keys().find(|key| !k::CELL.contains(&key.as_str())) {
            return Err(self.err(
                &format!("{place}.{key}"),
                format!("a text's value has no key `{key}`"),
                "write `{ value = …, label = \"reported\" }` (label: reported, mapped or assumption)",
            ));
        }
        let value = match (t.get(k::VALUE), t.get(k::INDEX)) {
            (Some(v), None) => self.text_value(v, place, issue, names)?,
            (None, Some(x)) => self.text_index(x, &format!("{place}.{}", k::INDEX), issue)?,
            _ => {
                return Err(self.err(
                    place,
                    "a labelled value needs exactly one of `value` or `index`",
                    "write `{ value = …, label = \"reported\" }`",
                ))
            }
        };
        let lp = format!("{place}.{}", k::LABEL);
        let label = match self.opt_str(t, k::LABEL, &lp)? {
            None => None,
            Some(l) => Some(Label::parse(&l).ok_or_else(|| {
                self.err(
                    &lp,
                    format!("unknown label `{l}`"),
                    "use reported, mapped or assumption",
                )
            })?),
        };
        Ok((value, label))
    }

    /// A text's value of `issue`: a value name for a discrete issue, a number otherwise.
    fn text_value(
        &self,
        v: &Toml,
        place: &str,
        issue: &Issue,
        names: &HashMap<&str, Option<u32>>,
    ) -> Result<Value, LoadError> {
        let value = match (&issue.kind, v) {
            (IssueKind::Discrete { values, .. }, Toml::String(s)) => match names.get(s.as_str()) {
                Some(Some(i)) => Value::Discrete(*i),
                Some(None) => {
                    return Err(self.err(
                        place,
                        format!(
                            "issue `{}` lists the value `{s}` twice, so the name does not say \
                             which",
                            issue.name
                        ),
                        "give its place in the issue's `values` instead: `{ index = 0 }` for \
                         the first",
                    ))
                }
                None => {
                    return Err(self.err(
                        place,
                        format!("`{s}` is not a value of issue `{}`", issue.name),
                        format!("use one of: {}", values.join(", ")),
                    ))
                }
            },
            (IssueKind::Discrete { values, .. }, other) => {
                return Err(self.err(
                    place,
                    format!(
                        "expected the name of a value of issue `{}`, found {}",
                        issue.name,
                        other.type_str()
                    ),
                    format!("write one of: {}", values.join(", ")),
                ))
            }
            (IssueKind::Integer { .. }, Toml::Integer(x)) => Value::Integer(*x),
            (IssueKind::Integer { .. }, Toml::Float(x)) if x.fract() == 0.0 && x.abs() < 9.0e15 => {
                Value::Integer(*x as i64)
            }
            (IssueKind::Integer { min, max }, other) => {
                return Err(self.err(
                    place,
                    format!("expected a whole number, found {other}"),
                    format!("write a whole number in [{min}, {max}]"),
                ))
            }
            (IssueKind::Real { .. }, _) => Value::Real(self.num(v, place)?),
        };
        issue
            .check(value)
            .map_err(|m| self.err(place, m.problem, m.fix))?;
        Ok(value)
    }

    /// `index = k`: the k-th value (from 0) of a discrete issue.
    fn text_index(&self, v: &Toml, place: &str, issue: &Issue) -> Result<Value, LoadError> {
        let IssueKind::Discrete { values, .. } = &issue.kind else {
            return Err(self.err(
                place,
                format!(
                    "`index` is for discrete issues; `{}` is numeric",
                    issue.name
                ),
                "write the number itself: `{ value = 5 }`",
            ));
        };
        match v {
            Toml::Integer(i) if (0..values.len() as i64).contains(i) => {
                Ok(Value::Discrete(*i as u32))
            }
            other => Err(self.err(
                place,
                format!(
                    "index {other} is not a place in issue `{}`'s {} values",
                    issue.name,
                    values.len()
                ),
                format!(
                    "give a whole number from 0 to {}",
                    values.len().saturating_sub(1)
                ),
            )),
        }
    }

    fn additive(
        &self,
        t: &Table,
        place: &str,
        issues: &[Issue],
        notes: &mut Vec<String>,
    ) -> Result<AdditiveUtility, LoadError> {
        let wp = format!("{place}.weights");
        let weights_t = self.table(
            t.get("weights").ok_or_else(|| {
                self.err(
                    place,
                    "a party needs `weights` (or `constraints`)",
                    "add a [parties.weights] table: issue = weight",
                )
            })?,
            &wp,
        )?;
        let ep = format!("{place}.evaluations");
        let evals_t = self.table(
            t.get("evaluations").ok_or_else(|| {
                self.err(
                    place,
                    "a party needs `evaluations`",
                    "add a [parties.evaluations] table: issue = { value = score }",
                )
            })?,
            &ep,
        )?;
        for key in weights_t.keys().chain(evals_t.keys()) {
            if !issues.iter().any(|i| &i.name == key) {
                return Err(self.err(
                    &format!("{place}.{key}"),
                    format!("`{key}` is not an issue of this scenario"),
                    "use the issue names declared under [[issues]]",
                ));
            }
        }
        let mut weights = Vec::new();
        let mut evaluators = Vec::new();
        for issue in issues {
            let w = match weights_t.get(&issue.name) {
                Some(v) => self.num(v, &format!("{wp}.{}", issue.name))?,
                None => 0.0,
            };
            let evaluator = match evals_t.get(&issue.name) {
                Some(v) => self.evaluator(v, &format!("{ep}.{}", issue.name), issue)?,
                None if w == 0.0 => match &issue.kind {
                    IssueKind::Discrete { values, .. } => Evaluator::Table(vec![0.0; values.len()]),
                    _ => Evaluator::Numeric(NumericEvaluator::Constant(0.0)),
                },
                None => {
                    return Err(self.err(
                        &format!("{ep}.{}", issue.name),
                        format!("issue `{}` is weighted but not evaluated", issue.name),
                        "add its evaluations, or drop its weight",
                    ))
                }
            };
            weights.push(w);
            evaluators.push(evaluator);
        }
        let sum: f64 = weights.iter().sum();
        let loose = t
            .get("unnormalized_weights")
            .and_then(Toml::as_bool)
            .unwrap_or(false);
        if (sum - 1.0).abs() > 0.02 && !loose {
            return Err(self.err(&wp, format!("weights sum to {sum}, not 1"),
                "make the weights sum to 1, or set `unnormalized_weights = true` if that is intended"));
        }
        if (sum - 1.0).abs() > 1e-9 && !loose {
            notes.push(format!("{place}: weights sum to {sum}"));
        }
        let cap_at_one = t.get("cap_at_one").and_then(Toml::as_bool).unwrap_or(false);
        Ok(AdditiveUtility {
            weights,
            evaluators,
            cap_at_one,
        })
    }

    fn evaluator(&self, v: &Toml, place: &str, issue: &Issue) -> Result<Evaluator, LoadError> {
        if let (Toml::Array(a), IssueKind::Discrete { values, .. }) = (v, &issue.kind) {
            // Positional form, one score per listed value (needed when value names repeat).
            if a.len() != values.len() {
                return Err(self.err(
                    place,
                    format!("{} scores for {} values", a.len(), values.len()),
                    "give one score per value, in order",
                ));
            }
            let table = a
                .iter()
                .map(|x| self.num(x, place))
                .collect::<Result<Vec<_>, _>>()?;
            return Ok(Evaluator::Table(table));
        }
        let t = self.table(v, place)?;
        if is_positional(t, issue) {
            return self.positional(t, place, issue).map(Evaluator::Positional);
        }
        match &issue.kind {
            IssueKind::Discrete { values, .. } => {
                let mut index = std::collections::HashMap::with_capacity(values.len());
                for (i, v) in values.iter().enumerate() {
                    if index.insert(v.as_str(), i).is_some() {
                        return Err(self.err(
                            place,
                            format!("value `{v}` is listed twice, so scores by name are ambiguous"),
                            "give the scores by position: issue = [score, score, …]",
                        ));
                    }
                }
                let mut table = vec![0.0; values.len()];
                for (k, x) in t {
                    let pos = index.get(k.as_str()).copied().ok_or_else(|| {
                        self.err(
                            &format!("{place}.{k}"),
                            format!("`{k}` is not a value of issue `{}`", issue.name),
                            format!("use one of: {}", values.join(", ")),
                        )
                    })?;
                    table[pos] = self.num(x, &format!("{place}.{k}"))?;
                }
                if let Some(missing) = values.iter().find(|v| !t.contains_key(*v)) {
                    return Err(self.err(
                        place,
                        format!("value `{missing}` has no evaluation"),
                        "score every value (0 is a score)",
                    ));
                }
                Ok(Evaluator::Table(table))
            }
            _ => {
                let (kind, body) = t.iter().next().filter(|_| t.len() == 1).ok_or_else(|| {
                    self.err(place, "a numeric issue takes one function", "write { linear = { slope, offset } } (or triangular, constant, interpolated)")
                })?;
                let fp = format!("{place}.{kind}");
                let f = |key: &str| -> Result<f64, LoadError> {
                    let bt = self.table(body, &fp)?;
                    self.req_num(bt, key, &fp)
                };
                let opt = |key: &str, default: f64| -> Result<f64, LoadError> {
                    let bt = self.table(body, &fp)?;
                    Ok(self.opt_num(bt, key, &fp)?.unwrap_or(default))
                };
                let e = match kind.as_str() {
                    "linear" => NumericEvaluator::Linear {
                        slope: f("slope")?,
                        offset: opt("offset", 0.0)?,
                        origin: opt("origin", 0.0)?,
                        clamp: self
                            .table(body, &fp)?
                            .get("clamp")
                            .and_then(Toml::as_bool)
                            .unwrap_or(true),
                    },
                    "triangular" => NumericEvaluator::Triangular {
                        low: f("low")?,
                        high: f("high")?,
                        peak: f("peak")?,
                    },
                    "constant" => NumericEvaluator::Constant(self.num(body, &fp)?),
                    "interpolated" => NumericEvaluator::Interpolated {
                        low_value: f("low_value")?,
                        low_utility: f("low_utility")?,
                        high_value: f("high_value")?,
                        high_utility: f("high_utility")?,
                    },
                    other => {
                        return Err(self.err(
                            &fp,
                            format!("unknown function `{other}`"),
                            "use linear, triangular, constant or interpolated",
                        ))
                    }
                };
                Ok(Evaluator::Numeric(e))
            }
        }
    }

    /// `issue = { ideal = 0, shape = "monotone", curve = "concave", stance = 25, … }`: a
    /// positional evaluation of an issue with `positions`.
    fn positional(
        &self,
        t: &Table,
        place: &str,
        issue: &Issue,
    ) -> Result<PositionalEvaluator, LoadError> {
        use positional_keys as k;
        let at = |key: &str| format!("{place}.{key}");
        if let Some(key) = t.keys().find(|key| !k::ALL.contains(&key.as_str())) {
            return Err(self.err(
                &at(key),
                format!("a positional evaluation has no key `{key}`"),
                format!("a positional evaluation takes {}", listing(&k::ALL)),
            ));
        }
        let positions = match (&issue.kind, &issue.positions) {
            (IssueKind::Discrete { .. }, Some(positions)) => positions,
            (IssueKind::Discrete { .. }, None) => {
                return Err(self.err(
                    place,
                    format!(
                        "this evaluation of issue `{}` is positional (`{}`, `{}`, …) but the \
                         issue has no `positions`",
                        issue.name,
                        k::IDEAL,
                        k::SHAPE
                    ),
                    format!(
                        "give issue `{}` one position (0–100) per value, e.g. \
                         `positions = [0, 25, 50, 75, 100]`, or score its values: \
                         {{ value = score, … }}",
                        issue.name
                    ),
                ))
            }
            _ => {
                return Err(self.err(
                    place,
                    format!(
                        "issue `{}` is numeric; positional evaluations are for discrete issues \
                         with `positions`",
                        issue.name
                    ),
                    "write one function: { linear = { slope, offset } } (or triangular, \
                     constant, interpolated)",
                ))
            }
        };
        let ideal = self.req_num(t, k::IDEAL, place)?;
        let shape = self.closed(
            t,
            k::SHAPE,
            place,
            Shape::parse,
            &Shape::ALL.map(Shape::as_str),
        )?;
        let curve = self.closed(
            t,
            k::CURVE,
            place,
            Curve::parse,
            &Curve::ALL.map(Curve::as_str),
        )?;
        let misfit = |key: &str, m: zopa_core::Misfit| self.err(&at(key), m.problem, m.fix);
        let evaluator = PositionalEvaluator::new(positions, ideal, shape, curve)
            .map_err(|m| misfit(k::IDEAL, m))?;
        let Some(stance) = t.get(k::STANCE) else {
            if let Some(key) = k::ABOUT_STANCE.iter().find(|key| t.contains_key(**key)) {
                return Err(self.err(
                    &at(key),
                    format!(
                        "`{key}` describes a stance, but there is no `{}`",
                        k::STANCE
                    ),
                    format!(
                        "add `{} = …`, the position of the value the party last stated, or \
                         drop `{key}`",
                        k::STANCE
                    ),
                ));
            }
            return Ok(evaluator);
        };
        let position = self.num(stance, &at(k::STANCE))?;
        let date = t
            .get(k::STANCE_DATE)
            .map(|d| self.date(d, &at(k::STANCE_DATE)))
            .transpose()?;
        let source = self.opt_str(t, k::STANCE_SOURCE, &at(k::STANCE_SOURCE))?;
        let label = match self.opt_str(t, k::STANCE_LABEL, &at(k::STANCE_LABEL))? {
            None => None,
            Some(l) => Some(Label::parse(&l).ok_or_else(|| {
                self.err(
                    &at(k::STANCE_LABEL),
                    format!("unknown label `{l}`"),
                    format!("use {}", options(&Label::ALL.map(Label::as_str))),
                )
            })?),
        };
        evaluator
            .with_stance(Stance {
                position,
                date,
                source,
                label,
            })
            .map_err(|m| misfit(k::STANCE, m))
    }

    /// A required key naming one of a closed set (`parse` reads it).
    fn closed<T>(
        &self,
        t: &Table,
        key: &str,
        place: &str,
        parse: fn(&str) -> Option<T>,
        names: &[&str],
    ) -> Result<T, LoadError> {
        let kp = format!("{place}.{key}");
        let Some(v) = t.get(key) else {
            return Err(self.err(
                place,
                format!("`{key}` is missing"),
                format!("add `{key} = \"…\"`, one of {}", options(names)),
            ));
        };
        let Toml::String(name) = v else {
            return Err(self.err(
                &kp,
                format!("expected text, found {}", v.type_str()),
                format!("write `{key} = \"…\"`, one of {}", options(names)),
            ));
        };
        parse(name).ok_or_else(|| {
            self.err(
                &kp,
                format!("unknown {key} `{name}`"),
                format!("use {}", options(names)),
            )
        })
    }

    fn constraints(
        &self,
        v: &Toml,
        place: &str,
        issues: &[Issue],
    ) -> Result<ConstraintUtility, LoadError> {
        let t = self.table(v, place)?;
        let aggregation = match self.opt_str(t, "aggregation", place)?.as_deref() {
            None | Some("sum") => Aggregation::Sum,
            Some("min") => Aggregation::Min,
            Some("max") => Aggregation::Max,
            Some(o) => {
                return Err(self.err(
                    &format!("{place}.aggregation"),
                    format!("unknown aggregation `{o}`"),
                    "use sum, min or max",
                ))
            }
        };
        let mut rectangles = Vec::new();
        for (k, r) in self.array(t, "rectangles", place)?.iter().enumerate() {
            let rp = format!("{place}.rectangles[{k}]");
            let rt = self.table(r, &rp)?;
            let (kind, bounds_v) = match (rt.get("include"), rt.get("exclude")) {
                (Some(b), None) => (RectangleKind::Include, b),
                (None, Some(b)) => (RectangleKind::Exclude, b),
                _ => {
                    return Err(self.err(
                        &rp,
                        "a rectangle needs exactly one of `include` or `exclude`",
                        "write include = { issue = [min, max] }",
                    ))
                }
            };
            let mut bounds = Vec::new();
            if let Toml::Array(list) = bounds_v {
                // List form: [["issue", min, max], …] (an issue may be bounded twice).
                for (j, item) in list.iter().enumerate() {
                    let bp = format!("{rp}[{j}]");
                    let parts = item.as_array().filter(|a| a.len() == 3).ok_or_else(|| {
                        self.err(
                            &bp,
                            "expected [\"issue\", min, max]",
                            "write [\"issue\", min, max]",
                        )
                    })?;
                    let issue = parts[0].as_str().ok_or_else(|| {
                        self.err(
                            &bp,
                            "the first item must be an issue name",
                            "write [\"issue\", min, max]",
                        )
                    })?;
                    let pos = issues.iter().position(|i| i.name == issue).ok_or_else(|| {
                        self.err(
                            &bp,
                            format!("`{issue}` is not an issue"),
                            "use a declared issue name",
                        )
                    })?;
                    bounds.push((pos, self.num(&parts[1], &bp)?, self.num(&parts[2], &bp)?));
                }
                rectangles.push(HyperRectangle {
                    kind,
                    utility: self.req_num(rt, "utility", &rp)?,
                    bounds,
                });
                continue;
            }
            for (issue, b) in self.table(bounds_v, &rp)? {
                let pos = issues
                    .iter()
                    .position(|i| &i.name == issue)
                    .ok_or_else(|| {
                        self.err(
                            &format!("{rp}.{issue}"),
                            format!("`{issue}` is not an issue"),
                            "use a declared issue name",
                        )
                    })?;
                let arr = b.as_array().filter(|a| a.len() == 2).ok_or_else(|| {
                    self.err(
                        &format!("{rp}.{issue}"),
                        "expected [min, max]",
                        "write [min, max]",
                    )
                })?;
                bounds.push((pos, self.num(&arr[0], &rp)?, self.num(&arr[1], &rp)?));
            }
            rectangles.push(HyperRectangle {
                kind,
                utility: self.req_num(rt, "utility", &rp)?,
                bounds,
            });
        }
        Ok(ConstraintUtility {
            rectangles,
            aggregation,
            weight: self.opt_num(t, "weight", place)?.unwrap_or(1.0),
            max_utility: self.req_num(t, "max_utility", place)?,
        })
    }
}
