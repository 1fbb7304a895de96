//! KTAB's SMP CSV input: `name, description, actors, dimensions,` then a header row, then one
//! row per actor: name, description, capability, then position and salience per dimension
//! (both 0–100). Fields are comma-separated with padding; a trailing comma is optional.

use crate::smp::Actor;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct CsvError {
    pub line: usize,
    pub problem: String,
}

/// A KTAB SMP scenario.
#[derive(Debug, Clone, PartialEq)]
pub struct KtabScenario {
    pub name: String,
    pub description: String,
    pub dimensions: Vec<String>,
    pub actors: Vec<Actor>,
    /// KTAB's ideal-accommodation matrix from `<IdealAdjustment>` (identity where a row is not
    /// given); `None` when the input has none.
    pub accommodation: Option<Vec<Vec<f64>>>,
}

/// The comma-separated fields of a line; a field in double quotes may hold commas (`""` is a
/// quote inside it).
fn fields(line: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut field).trim().to_string()),
            c => field.push(c),
        }
    }
    out.push(field.trim().to_string());
    if out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
}

/// Is this KTAB's CSV (first line `name, description, actors, dimensions`) rather than the
/// expected-utility model's (a header of four names)? Judged by content: the third field is
/// a count.
pub fn is_ktab_csv(text: &str) -> bool {
    let first = text
        .trim_start_matches('\u{feff}')
        .lines()
        .next()
        .unwrap_or("");
    fields(first)
        .get(2)
        .is_some_and(|f| f.parse::<usize>().is_ok())
}

pub fn parse_csv(text: &str) -> Result<KtabScenario, CsvError> {
    let text = text.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let err = |line: usize, problem: String| CsvError { line, problem };
    let head = fields(lines.first().ok_or_else(|| err(1, "empty file".into()))?);
    if head.len() < 4 {
        return Err(err(
            1,
            "expected `name, description, actors, dimensions`".into(),
        ));
    }
    let n: usize = head[2]
        .parse()
        .map_err(|_| err(1, format!("actor count `{}` is not a number", head[2])))?;
    let d: usize = head[3]
        .parse()
        .map_err(|_| err(1, format!("dimension count `{}` is not a number", head[3])))?;
    // Counts are checked against the file before anything is allocated for them.
    let rows = lines.len().saturating_sub(2);
    if n > rows {
        return Err(err(
            1,
            format!("the header says {n} actors but the file has {rows} actor rows (is it cut short? list every actor, or correct the count in this line)"),
        ));
    }
    let widest = lines
        .iter()
        .skip(1)
        .map(|l| fields(l).len())
        .max()
        .unwrap_or(0);
    if d > widest / 2 {
        return Err(err(
            1,
            format!("the header says {d} dimensions but no row has the fields they need (a position and a salience per dimension; correct the count in this line)"),
        ));
    }
    if n == 0 {
        return Err(err(
            1,
            "the header says 0 actors; a forecast needs at least two (list one actor per row and give their count as the third field of this line)".into(),
        ));
    }
    if d == 0 {
        return Err(err(
            1,
            "the header says 0 dimensions; give at least one (a position and a salience column per dimension, their count as the fourth field of this line)".into(),
        ));
    }
    let header = fields(
        lines
            .get(1)
            .ok_or_else(|| err(2, "missing header row".into()))?,
    );
    let dimensions = (0..d)
        .map(|k| {
            header
                .get(3 + 2 * k)
                .cloned()
                .unwrap_or_else(|| format!("dim{k}"))
        })
        .collect();
    let mut actors = Vec::new();
    for (row, line) in lines.iter().enumerate().skip(2).take(n) {
        let f = fields(line);
        if f.len() < 3 + 2 * d {
            return Err(err(
                row + 1,
                format!("{} fields, expected {}", f.len(), 3 + 2 * d),
            ));
        }
        let num = |k: usize| {
            f[k].parse::<f64>()
                .map_err(|_| err(row + 1, format!("`{}` is not a number", f[k])))
        };
        let capability = num(2)?;
        let mut position = Vec::new();
        let mut salience = Vec::new();
        for k in 0..d {
            position.push(num(3 + 2 * k)? / 100.0);
            salience.push(num(4 + 2 * k)? / 100.0);
        }
        let actor = Actor {
            name: f[0].clone(),
            capability,
            position,
            salience,
        };
        actor.check().map_err(|problem| err(row + 1, problem))?;
        actors.push(actor);
    }
    if actors.len() != n {
        return Err(err(
            lines.len(),
            format!(
                "{} actors listed, the header says {n} (is the file cut short? list every actor, or correct the count in line 1)",
                actors.len()
            ),
        ));
    }
    if n < 2 {
        return Err(err(1, "one actor; a forecast needs at least two".into()));
    }
    Ok(KtabScenario {
        name: head[0].clone(),
        description: head[1].clone(),
        dimensions,
        actors,
        accommodation: None,
    })
}

/// An actor as read: name, capability, coordinates (missing ones `None`), saliences.
type RawActor = (String, f64, Vec<Option<f64>>, Vec<f64>);

/// Reads KTAB's SMP XML (`smpSchema.xsd`): name, description, `prngSeed`, optional
/// `<ModelParameters>`, dimensions and actors (positions and saliences 0–100). An empty
/// coordinate is filled with the capability-weighted mean of the other actors on that
/// dimension and reported in the returned notes. `<IdealAdjustment>` becomes the
/// accommodation matrix.
pub fn parse_xml(text: &str) -> Result<(KtabScenario, crate::smp::Options, Vec<String>), CsvError> {
    use quick_xml::events::Event;
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = quick_xml::Reader::from_str(text);
    reader.config_mut().trim_text(true);
    // Open elements with the line each opened on.
    let mut stack: Vec<(String, usize)> = Vec::new();
    let mut options = crate::smp::Options::default();
    let mut notes = Vec::new();
    let mut scenario = KtabScenario {
        name: String::new(),
        description: String::new(),
        dimensions: Vec::new(),
        actors: Vec::new(),
        accommodation: None,
    };
    let mut seed: Option<u64> = None;
    // (adjusting ideal, reference position, weight), by actor name.
    let mut pairs: Vec<(String, String, f64)> = Vec::new();
    let mut pair = (String::new(), String::new(), f64::NAN);
    let mut text_seen = false;
    let mut cur: Option<RawActor> = None;
    let mut raw: Vec<RawActor> = Vec::new();
    // The line each actor starts on, for errors about it.
    let mut actor_lines: Vec<usize> = Vec::new();
    let mut pair_line = 0;
    let mut pair_lines: Vec<usize> = Vec::new();
    // Lines are counted incrementally (positions only move forward), so reading is linear.
    let counted = std::cell::Cell::new((0usize, 1usize));
    let line = |pos: u64| {
        let pos = (pos as usize).min(text.len());
        let (from, at) = counted.get();
        if pos < from {
            return text.as_bytes()[..pos]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
        }
        let at = at
            + text.as_bytes()[from..pos]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
        counted.set((pos, at));
        at
    };
    loop {
        let pos = reader.buffer_position();
        let ev = reader.read_event().map_err(|e| CsvError {
            line: line(pos),
            problem: format!("malformed XML: {e}"),
        })?;
        match ev {
            Event::Start(e) => {
                text_seen = false;
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                // After the tag's `>`: the line the tag is on (`pos` may sit before a newline).
                let at = line(reader.buffer_position());
                if name == "Actor" {
                    cur = Some((String::new(), 0.0, Vec::new(), Vec::new()));
                    actor_lines.push(at);
                }
                if name == "iaPair" {
                    pair_line = at;
                }
                stack.push((name, at));
            }
            Event::End(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                // `<dCoord></dCoord>`: an empty coordinate counts as missing.
                if name == "dCoord" && !text_seen {
                    if let Some(a) = cur.as_mut() {
                        a.2.push(None);
                    }
                }
                if name == "Actor" {
                    if let Some(a) = cur.take() {
                        raw.push(a);
                    }
                }
                stack.pop();
            }
            Event::Empty(e) => {
                let name = String::from_utf8_lossy(e.name().as_ref()).into_owned();
                if name == "dCoord" {
                    if let Some(a) = cur.as_mut() {
                        a.2.push(None);
                    }
                }
            }
            Event::Text(t) => {
                text_seen = true;
                let value = t
                    .unescape()
                    .map(|v| v.trim().to_string())
                    .unwrap_or_default();
                let here = stack.last().map(|s| s.0.clone()).unwrap_or_default();
                let parent = stack
                    .iter()
                    .rev()
                    .nth(1)
                    .map(|s| s.0.clone())
                    .unwrap_or_default();
                let num = |v: &str| {
                    v.parse::<f64>().map_err(|_| CsvError {
                        line: line(pos),
                        problem: format!("<{here}> `{v}` is not a number"),
                    })
                };
                match (parent.as_str(), here.as_str()) {
                    ("Scenario", "name") => scenario.name = value,
                    ("Scenario", "desc") => scenario.description = value,
                    ("Scenario", "prngSeed") => seed = value.parse().ok(),
                    ("ModelParameters", key) => {
                        options.set(key, &value).map_err(|problem| CsvError {
                            line: line(pos),
                            problem,
                        })?
                    }
                    ("Dimensions", "dName") => scenario.dimensions.push(value),
                    ("Actor", "name") => {
                        if let Some(a) = cur.as_mut() {
                            a.0 = value;
                        }
                    }
                    ("Actor", "capability") => {
                        if let Some(a) = cur.as_mut() {
                            a.1 = num(&value)?;
                        }
                    }
                    ("Position", "dCoord") => {
                        if let Some(a) = cur.as_mut() {
                            a.2.push(Some(num(&value)?));
                        }
                    }
                    ("Salience", "dSal") => {
                        if let Some(a) = cur.as_mut() {
                            a.3.push(num(&value)?);
                        }
                    }
                    ("iaPair", "adjustingIdeal") => pair.0 = value,
                    ("iaPair", "referencePos") => pair.1 = value,
                    ("iaPair", "adjust") => {
                        pair.2 = num(&value)?;
                        pairs.push(std::mem::replace(
                            &mut pair,
                            (String::new(), String::new(), f64::NAN),
                        ));
                        pair_lines.push(pair_line);
                    }
                    _ => {}
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some((open, at)) = stack.last() {
        return Err(CsvError {
            line: *at,
            problem: format!(
                "the file ends inside <{open}> opened here: it is cut short (actors read so far: {})",
                raw.len()
            ),
        });
    }
    if raw.len() < 2 {
        return Err(CsvError {
            line: line(text.len() as u64),
            problem: format!(
                "{} <Actor> elements; a forecast needs at least two",
                raw.len()
            ),
        });
    }
    if scenario.dimensions.is_empty() {
        return Err(CsvError {
            line: 1,
            problem: "no <Dimensions><dName>; give at least one dimension".into(),
        });
    }
    if options.stochastic.is_some() {
        options.stochastic = Some(seed.unwrap_or(0));
    }
    let d = scenario.dimensions.len();
    for ((name, _, pos, sal), &at) in raw.iter().zip(&actor_lines) {
        if pos.len() != d || sal.len() != d {
            return Err(CsvError {
                line: at,
                problem: format!(
                    "actor `{name}` has {} coordinates and {} saliences for {d} dimensions",
                    pos.len(),
                    sal.len()
                ),
            });
        }
    }
    for ((name, capability, pos, sal), &at) in raw.iter().zip(&actor_lines) {
        let mut position = Vec::new();
        for (k, x) in pos.iter().enumerate() {
            let v = match x {
                Some(v) => *v,
                None => {
                    let (mut s, mut w) = (0.0, 0.0);
                    for (_, c, p, _) in &raw {
                        if let Some(v) = p[k] {
                            s += c * v;
                            w += c;
                        }
                    }
                    let v = if w > 0.0 { s / w } else { 50.0 };
                    notes.push(format!("actor `{name}`: empty coordinate on `{}` filled with the capability-weighted mean {v:.2}", scenario.dimensions[k]));
                    v
                }
            };
            position.push(v / 100.0);
        }
        let actor = Actor {
            name: name.clone(),
            capability: *capability,
            position,
            salience: sal.iter().map(|s| s / 100.0).collect(),
        };
        actor
            .check()
            .map_err(|problem| CsvError { line: at, problem })?;
        scenario.actors.push(actor);
    }
    if !pairs.is_empty() {
        let n = scenario.actors.len();
        let index = |name: &str, at: usize| {
            scenario
                .actors
                .iter()
                .position(|a| a.name == name)
                .ok_or_else(|| CsvError {
                    line: at,
                    problem: format!("IdealAdjustment names `{name}`, which is not an actor"),
                })
        };
        // Identity, except rows that pairs set (a row's given entries replace it).
        let mut a: Vec<Vec<f64>> = (0..n)
            .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
            .collect();
        let mut touched = vec![false; n];
        for ((who, reference, w), &at) in pairs.iter().zip(&pair_lines) {
            let (i, j) = (index(who, at)?, index(reference, at)?);
            if !touched[i] {
                a[i] = vec![0.0; n];
                touched[i] = true;
            }
            a[i][j] = *w;
        }
        scenario.accommodation = Some(a);
    }
    Ok((scenario, options, notes))
}
