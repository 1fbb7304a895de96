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
}

fn fields(line: &str) -> Vec<String> {
    let mut out: Vec<String> = line
        .split(',')
        .map(|f| f.trim().trim_matches('"').to_string())
        .collect();
    if out.last().is_some_and(String::is_empty) {
        out.pop();
    }
    out
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
        actors.push(Actor {
            name: f[0].clone(),
            capability,
            position,
            salience,
        });
    }
    if actors.len() != n {
        return Err(err(
            lines.len(),
            format!("{} actors listed, header says {n}", actors.len()),
        ));
    }
    Ok(KtabScenario {
        name: head[0].clone(),
        description: head[1].clone(),
        dimensions,
        actors,
    })
}
