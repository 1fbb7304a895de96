//! Writing scenarios in zopa's native TOML format (documented in `docs/scenario-format.md`);
//! `native.rs` reads them back, giving the same scenario.

use std::fmt::Write as _;

use crate::native::{
    exclusion_keys, positional_keys, text_keys, TimeKeys, EVENT_END, EVENT_START, NO_DEAL,
};
use zopa_core::{
    AdditiveUtility, Aggregation, CalendarKey, Condition, ConstraintUtility, Evaluator, EventTime,
    Exclusion, IssueKind, NumericEvaluator, OutsideOption, PositionalEvaluator, RectangleKind,
    ReservationChange, RestrictionKey, Scenario, Text, UtilityFunction, Value, Varies,
};

fn key(s: &str) -> String {
    if !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    {
        s.to_string()
    } else {
        text(s)
    }
}

/// A TOML basic string on one line: quotes, backslashes and every control character escaped,
/// so that any name (newlines included) is valid as a value and as a key.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            c if c.is_control() => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A number as TOML reads it back bit for bit (`{:?}` keeps a `.0` and every digit).
/// Non-finite numbers never reach here: `Scenario::validate` refuses them.
fn num(x: f64) -> String {
    format!("{x:?}")
}

/// Writes a scenario in the native format; reading the text back gives the same scenario.
pub fn to_toml(s: &Scenario) -> String {
    let mut o = String::new();
    let _ = writeln!(o, "# zopa scenario (format: docs/scenario-format.md)");
    let _ = writeln!(o, "name = {}", text(&s.name));
    if let Some(d) = &s.description {
        let _ = writeln!(o, "description = {}", text(d));
    }
    if let Some(c) = &s.calendar {
        let _ = writeln!(
            o,
            "\n[calendar]\n{} = \"{}\"\n{} = {}",
            CalendarKey::Start,
            c.start,
            CalendarKey::DaysPerRound,
            c.days_per_round
        );
        if let Some(end) = c.end {
            let _ = writeln!(o, "{} = \"{end}\"", CalendarKey::End);
        }
    }
    for issue in &s.issues {
        let _ = writeln!(o, "\n[[issues]]\nname = {}", text(&issue.name));
        if let Some(d) = &issue.description {
            let _ = writeln!(o, "description = {}", text(d));
        }
        match &issue.kind {
            IssueKind::Discrete {
                values,
                descriptions,
            } => {
                let items: Vec<String> = values
                    .iter()
                    .zip(descriptions.iter().chain(std::iter::repeat(&None)))
                    .map(|(v, d)| match d {
                        Some(d) => format!("{{ value = {}, description = {} }}", text(v), text(d)),
                        None => text(v),
                    })
                    .collect();
                let _ = writeln!(o, "values = [{}]", items.join(", "));
            }
            IssueKind::Integer { min, max } => {
                let _ = writeln!(o, "integer = [{min}, {max}]");
            }
            IssueKind::Real { min, max } => {
                let _ = writeln!(o, "real = [{}, {}]", num(*min), num(*max));
            }
        }
        if let Some(positions) = &issue.positions {
            let cells: Vec<String> = positions.iter().map(|x| num(*x)).collect();
            let _ = writeln!(o, "positions = [{}]", cells.join(", "));
        }
    }
    for p in &s.parties {
        let _ = writeln!(
            o,
            "\n[[parties]]\nname = {}\nrole = \"{}\"",
            text(&p.name),
            p.role.as_str()
        );
        if let Some(d) = &p.description {
            let _ = writeln!(o, "description = {}", text(d));
        }
        match p.reservation {
            Some(OutsideOption::Fixed(r)) => {
                let _ = writeln!(o, "reservation = {}", num(r));
            }
            Some(OutsideOption::NoDeal(m)) => {
                let cells: Vec<String> = m
                    .keys()
                    .iter()
                    .filter_map(|&k| Some(format!("{k} = {}", num(m.get(k)?))))
                    .collect();
                let _ = writeln!(o, "{NO_DEAL} = {{ {} }}", cells.join(", "));
            }
            None => {}
        }
        if let Some(d) = p.discount {
            let _ = writeln!(o, "discount = {}", num(d));
        }
        if let Some(c) = p.cost_per_round {
            let _ = writeln!(o, "cost_per_round = {}", num(c));
        }
        if let Some(c) = p.capability {
            let _ = writeln!(o, "capability = {}", num(c));
        }
        if let Some(sal) = &p.salience {
            let items: Vec<String> = s
                .issues
                .iter()
                .zip(sal)
                .filter(|(_, x)| **x != 0.0)
                .map(|(i, x)| format!("{} = {}", key(&i.name), num(*x)))
                .collect();
            let _ = writeln!(o, "salience = {{ {} }}", items.join(", "));
        }
        // Before the utility: keys after a `[parties.…]` header would belong to it.
        if !p.red_lines.is_empty() {
            let _ = writeln!(
                o,
                "{} = {}",
                RestrictionKey::RedLines,
                conditions(s, &p.red_lines)
            );
        }
        if !p.controls.is_empty() {
            let names: Vec<String> = p
                .controls
                .iter()
                .map(|&i| text(&s.issues[i].name))
                .collect();
            let _ = writeln!(o, "{} = [{}]", RestrictionKey::Controls, names.join(", "));
        }
        match &p.utility {
            UtilityFunction::Additive(a) => write_additive(&mut o, s, a),
            UtilityFunction::Constraint(c) => write_constraints(&mut o, s, c),
        }
    }
    for e in &s.exclusions {
        write_exclusion(&mut o, s, e);
    }
    for e in &s.events {
        let _ = writeln!(
            o,
            "\n[[events]]\nname = {}\nparty = {}",
            text(&e.name),
            text(&s.parties[e.party].name)
        );
        write_time(&mut o, &EVENT_START, e.at);
        if let Some(until) = e.until {
            write_time(&mut o, &EVENT_END, until);
        }
        match e.change {
            Some(ReservationChange::Set(v)) => {
                let _ = writeln!(o, "reservation = {}", num(v));
            }
            Some(ReservationChange::Shift(d)) => {
                let _ = writeln!(o, "shift = {}", num(d));
            }
            Some(ReservationChange::Model(c)) => {
                for (k, x) in c.iter() {
                    let _ = writeln!(o, "{k} = {}", num(x));
                }
            }
            None => {}
        }
        if !e.stances.is_empty() {
            let cells: Vec<String> = e
                .stances
                .iter()
                .map(|m| format!("{} = {}", key(&s.issues[m.issue].name), num(m.position)))
                .collect();
            let _ = writeln!(o, "stances = {{ {} }}", cells.join(", "));
        }
        if let Some(d) = &e.description {
            let _ = writeln!(o, "description = {}", text(d));
        }
    }
    for t in &s.texts {
        write_text(&mut o, s, t);
    }
    write_ranges(&mut o, s);
    o
}

/// `[sensitivity]` and its `[[sensitivity.ranges]]`, when the scenario declares any.
fn write_ranges(o: &mut String, s: &Scenario) {
    let r = &s.ranges;
    if r.ranges.is_empty() && *r == zopa_core::Ranges::default() {
        return;
    }
    let _ = writeln!(o, "\n[sensitivity]\ndraws = {}\nseed = {}", r.draws, r.seed);
    let pair = |lo: f64, hi: f64| format!("[{}, {}]", num(lo), num(hi));
    for range in &r.ranges {
        let _ = writeln!(o, "\n[[sensitivity.ranges]]");
        let party = |p: usize| text(&s.parties[p].name);
        match &range.varies {
            Varies::Reservation {
                party: p,
                low,
                high,
            } => {
                let _ = writeln!(
                    o,
                    "party = {}\nreservation = {}",
                    party(*p),
                    pair(*low, *high)
                );
            }
            Varies::Weights { party: p, spread } => {
                let _ = writeln!(o, "party = {}\nweights = {}", party(*p), num(*spread));
            }
            Varies::Ideal {
                party: p,
                issue,
                low,
                high,
            } => {
                let _ = writeln!(
                    o,
                    "party = {}\nissue = {}\nideal = {}",
                    party(*p),
                    text(&s.issues[*issue].name),
                    pair(*low, *high)
                );
            }
            Varies::Curve { party: p, curves } => {
                let names: Vec<String> = curves.iter().map(|c| text(c.as_str())).collect();
                let _ = writeln!(o, "party = {}\ncurve = [{}]", party(*p), names.join(", "));
            }
            Varies::Event { event, low, high } => {
                let _ = writeln!(
                    o,
                    "event = {}\nscale = {}",
                    text(&s.events[*event].name),
                    pair(*low, *high)
                );
            }
        }
        if let Some(src) = &range.source {
            let _ = writeln!(o, "source = {}", text(src));
        }
    }
}

/// Conditions as a TOML list of texts (each in the grammar `Condition::parse` reads).
fn conditions(s: &Scenario, list: &[Condition]) -> String {
    let items: Vec<String> = list.iter().map(|c| text(&c.text(&s.issues))).collect();
    format!("[{}]", items.join(", "))
}

/// One `[[exclusions]]` entry.
fn write_exclusion(o: &mut String, s: &Scenario, e: &Exclusion) {
    use exclusion_keys as k;
    let _ = writeln!(
        o,
        "\n[[{}]]\n{} = {}\n{} = {}",
        k::SECTION,
        k::NAME,
        text(&e.name),
        k::WHEN,
        conditions(s, &e.when)
    );
    if let Some(source) = &e.source {
        let _ = writeln!(o, "{} = {}", k::SOURCE, text(source));
    }
    if let Some(d) = &e.description {
        let _ = writeln!(o, "{} = {}", k::DESCRIPTION, text(d));
    }
}

/// One `[[texts]]` entry; discrete values by name, or by `index` where the issue lists the
/// name twice.
fn write_text(o: &mut String, s: &Scenario, t: &Text) {
    use text_keys as k;
    let _ = writeln!(o, "\n[[texts]]\n{} = {}", k::NAME, text(&t.name));
    if let Some(d) = t.date {
        let _ = writeln!(o, "{} = \"{d}\"", k::DATE);
    }
    if let Some(source) = &t.source {
        let _ = writeln!(o, "{} = {}", k::SOURCE, text(source));
    }
    if let Some(d) = &t.description {
        let _ = writeln!(o, "{} = {}", k::DESCRIPTION, text(d));
    }
    let _ = writeln!(o, "\n[texts.{}]", k::VALUES);
    for ((issue, &value), label) in s.issues.iter().zip(&t.outcome).zip(&t.labels) {
        // (the cell's key, its value).
        let (field, v) = match (&issue.kind, value) {
            (IssueKind::Discrete { values, .. }, Value::Discrete(i)) => {
                match values.get(i as usize) {
                    Some(name) if values.iter().filter(|v| *v == name).count() == 1 => {
                        (k::VALUE, text(name))
                    }
                    _ => (k::INDEX, i.to_string()),
                }
            }
            (_, Value::Integer(x)) => (k::VALUE, x.to_string()),
            (_, Value::Real(x)) => (k::VALUE, num(x)),
            // `Scenario::validate` rules out a discrete value of a numeric issue.
            (_, Value::Discrete(i)) => (k::INDEX, i.to_string()),
        };
        let cell = match (field, label) {
            (k::VALUE, None) => v,
            (field, None) => format!("{{ {field} = {v} }}"),
            (field, Some(l)) => format!("{{ {field} = {v}, {} = \"{l}\" }}", k::LABEL),
        };
        let _ = writeln!(o, "{} = {cell}", key(&issue.name));
    }
}

/// One edge of an event in time, under the keys the reader takes for it.
fn write_time(o: &mut String, keys: &TimeKeys, time: EventTime) {
    let _ = match time {
        EventTime::Relative(t) => writeln!(o, "{} = {}", keys.relative, num(t)),
        EventTime::Round(r) => writeln!(o, "{} = {r}", keys.round),
        EventTime::Date(d) => writeln!(o, "{} = \"{d}\"", keys.date),
    };
}

fn write_additive(o: &mut String, s: &Scenario, a: &AdditiveUtility) {
    if a.cap_at_one {
        let _ = writeln!(o, "cap_at_one = true");
    }
    let sum: f64 = a.weights.iter().sum();
    if (sum - 1.0).abs() > 0.02 {
        let _ = writeln!(o, "unnormalized_weights = true");
    }
    let _ = writeln!(o, "\n[parties.weights]");
    for (issue, w) in s.issues.iter().zip(&a.weights) {
        let _ = writeln!(o, "{} = {}", key(&issue.name), num(*w));
    }
    let _ = writeln!(o, "\n[parties.evaluations]");
    for (issue, e) in s.issues.iter().zip(&a.evaluators) {
        let body = match (e, &issue.kind) {
            (Evaluator::Table(t), IssueKind::Discrete { values, .. }) if repeats(values) =>
            {
                let cells: Vec<String> = t.iter().map(|x| num(*x)).collect();
                format!("[{}]  # by position: value names repeat", cells.join(", "))
            }
            (Evaluator::Table(t), IssueKind::Discrete { values, .. }) => {
                let cells: Vec<String> = values.iter().zip(t).map(|(v, x)| format!("{} = {}", key(v), num(*x))).collect();
                format!("{{ {} }}", cells.join(", "))
            }
            (Evaluator::Numeric(n), _) => match n {
                NumericEvaluator::Linear { slope, offset, origin, clamp } => format!(
                    "{{ linear = {{ slope = {}, offset = {}, origin = {}, clamp = {clamp} }} }}",
                    num(*slope), num(*offset), num(*origin)
                ),
                NumericEvaluator::Triangular { low, high, peak } => {
                    format!("{{ triangular = {{ low = {}, high = {}, peak = {} }} }}", num(*low), num(*high), num(*peak))
                }
                NumericEvaluator::Constant(c) => format!("{{ constant = {} }}", num(*c)),
                NumericEvaluator::Interpolated { low_value, low_utility, high_value, high_utility } => format!(
                    "{{ interpolated = {{ low_value = {}, low_utility = {}, high_value = {}, high_utility = {} }} }}",
                    num(*low_value), num(*low_utility), num(*high_value), num(*high_utility)
                ),
            },
            (Evaluator::Positional(p), _) => positional(p),
            // `Scenario::validate` rules this out.
            (Evaluator::Table(_), _) => continue,
        };
        let _ = writeln!(o, "{} = {}", key(&issue.name), body);
    }
}

/// `{ ideal = …, shape = "…", curve = "…", stance = …, … }`: the reader knows it from its
/// text-valued `shape` and `curve`, whatever the issue's value names.
fn positional(p: &PositionalEvaluator) -> String {
    use positional_keys as k;
    let mut cells = vec![
        format!("{} = {}", k::IDEAL, num(p.ideal())),
        format!("{} = \"{}\"", k::SHAPE, p.shape()),
        format!("{} = \"{}\"", k::CURVE, p.curve()),
    ];
    if let Some(s) = p.stance() {
        cells.push(format!("{} = {}", k::STANCE, num(s.position)));
        if let Some(d) = s.date {
            cells.push(format!("{} = \"{d}\"", k::STANCE_DATE));
        }
        if let Some(source) = &s.source {
            cells.push(format!("{} = {}", k::STANCE_SOURCE, text(source)));
        }
        if let Some(l) = s.label {
            cells.push(format!("{} = \"{l}\"", k::STANCE_LABEL));
        }
    }
    format!("{{ {} }}", cells.join(", "))
}

/// Does a value name occur twice? (A set, so that 10^5 values take linear time.)
fn repeats(values: &[String]) -> bool {
    let mut seen = std::collections::HashSet::with_capacity(values.len());
    !values.iter().all(|v| seen.insert(v.as_str()))
}

fn write_constraints(o: &mut String, s: &Scenario, c: &ConstraintUtility) {
    let agg = match c.aggregation {
        Aggregation::Sum => "sum",
        Aggregation::Min => "min",
        Aggregation::Max => "max",
    };
    let _ = writeln!(o, "\n[parties.constraints]\nmax_utility = {}\nweight = {}\naggregation = \"{agg}\"\nrectangles = [", num(c.max_utility), num(c.weight));
    for r in &c.rectangles {
        let kind = match r.kind {
            RectangleKind::Include => "include",
            RectangleKind::Exclude => "exclude",
        };
        let repeats = r
            .bounds
            .iter()
            .enumerate()
            .any(|(k, b)| r.bounds[..k].iter().any(|c| c.0 == b.0));
        let bounds = if repeats {
            // An issue bounded twice cannot be a key twice: the list form keeps every bound.
            let items: Vec<String> = r
                .bounds
                .iter()
                .map(|&(i, lo, hi)| {
                    format!("[{}, {}, {}]", text(&s.issues[i].name), num(lo), num(hi))
                })
                .collect();
            format!("[{}]", items.join(", "))
        } else {
            let items: Vec<String> = r
                .bounds
                .iter()
                .map(|&(i, lo, hi)| {
                    format!("{} = [{}, {}]", key(&s.issues[i].name), num(lo), num(hi))
                })
                .collect();
            format!("{{ {} }}", items.join(", "))
        };
        let _ = writeln!(
            o,
            "  {{ utility = {}, {kind} = {bounds} }},",
            num(r.utility)
        );
    }
    let _ = writeln!(o, "]");
}
