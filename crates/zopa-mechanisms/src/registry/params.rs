//! A strategy's parameters: their declared types, and the validated values a constructor
//! reads.

/// The type of a parameter, with its default and what it accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamType {
    /// A finite number within `[min, max]` (`(min, max]` when `exclusive_min`).
    Number {
        default: f64,
        min: Option<f64>,
        max: Option<f64>,
        exclusive_min: bool,
    },
    /// `true` or `false` (also `1`/`0`, `yes`/`no`).
    Flag { default: bool },
    /// One of `options`.
    Choice {
        default: &'static str,
        options: &'static [&'static str],
    },
}

impl ParamType {
    /// A number with no bounds.
    pub const fn number(default: f64) -> ParamType {
        ParamType::Number {
            default,
            min: None,
            max: None,
            exclusive_min: false,
        }
    }

    /// `number`, `flag` or `choice`.
    pub fn name(&self) -> &'static str {
        match self {
            ParamType::Number { .. } => "number",
            ParamType::Flag { .. } => "flag",
            ParamType::Choice { .. } => "choice",
        }
    }

    /// The default as it would be written in a spec.
    pub fn default_text(&self) -> String {
        match *self {
            ParamType::Number { default, .. } => default.to_string(),
            ParamType::Flag { default } => default.to_string(),
            ParamType::Choice { default, .. } => default.to_string(),
        }
    }

    /// What it accepts: `number ≥ 0`, `number`, `true | false`, `next | const | time`.
    pub fn accepts(&self) -> String {
        match *self {
            ParamType::Number { .. } => match self.range() {
                Some(range) => format!("number {range}"),
                None => "number".into(),
            },
            ParamType::Flag { .. } => "true | false".into(),
            ParamType::Choice { options, .. } => options.join(" | "),
        }
    }

    /// What a number must be: `≥ 0`, `> 0`, `in [0, 1]`; `None` when anything goes.
    pub fn range(&self) -> Option<String> {
        let ParamType::Number {
            min,
            max,
            exclusive_min,
            ..
        } = *self
        else {
            return None;
        };
        let open = if exclusive_min { "(" } else { "[" };
        let above = if exclusive_min { ">" } else { "≥" };
        match (min, max) {
            (None, None) => None,
            (Some(lo), None) => Some(format!("{above} {lo}")),
            (None, Some(hi)) => Some(format!("≤ {hi}")),
            (Some(lo), Some(hi)) => Some(format!("in {open}{lo}, {hi}]")),
        }
    }

    /// The value `text` stands for, or what is wrong with it.
    pub(super) fn read(&self, text: &str) -> Result<ParamValue, String> {
        match *self {
            ParamType::Number {
                min,
                max,
                exclusive_min,
                ..
            } => {
                let x = text
                    .parse::<f64>()
                    .ok()
                    .filter(|x| x.is_finite())
                    .ok_or("not a number")?;
                let low = min.is_some_and(|lo| x < lo || (exclusive_min && x == lo));
                let high = max.is_some_and(|hi| x > hi);
                match self.range() {
                    Some(range) if low || high => Err(format!("must be {range}")),
                    _ => Ok(ParamValue::Number(x)),
                }
            }
            ParamType::Flag { .. } => match text {
                "true" | "1" | "yes" => Ok(ParamValue::Flag(true)),
                "false" | "0" | "no" => Ok(ParamValue::Flag(false)),
                _ => Err("use true or false".into()),
            },
            ParamType::Choice { options, .. } => options
                .iter()
                .copied()
                .find(|o| *o == text)
                .map(ParamValue::Choice)
                .ok_or_else(|| format!("use {}", or_list(options))),
        }
    }

    pub(super) fn default_value(&self) -> ParamValue {
        match *self {
            ParamType::Number { default, .. } => ParamValue::Number(default),
            ParamType::Flag { default } => ParamValue::Flag(default),
            ParamType::Choice { default, .. } => ParamValue::Choice(default),
        }
    }
}

/// `a, b or c`.
fn or_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// One parameter of a strategy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Param {
    pub name: &'static str,
    pub ty: ParamType,
    /// What it means, in a line.
    pub help: &'static str,
}

/// A parameter's value.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum ParamValue {
    Number(f64),
    Flag(bool),
    Choice(&'static str),
}

/// A strategy's parameters, validated against its declaration: every declared parameter is
/// present, with its default unless the spec gave it.
#[derive(Debug, Clone, PartialEq)]
pub struct Params {
    pub(super) strategy: &'static str,
    /// Declaration, value, and whether the spec gave it.
    pub(super) values: Vec<(&'static Param, ParamValue, bool)>,
}

impl Params {
    /// The value of parameter `name`, if the strategy declares it.
    pub fn get(&self, name: &str) -> Option<ParamValue> {
        self.values
            .iter()
            .find(|(p, ..)| p.name == name)
            .map(|(_, v, _)| *v)
    }

    /// Did the spec give `name` (rather than leave it at its default)?
    pub fn given(&self, name: &str) -> bool {
        self.values
            .iter()
            .any(|(p, _, given)| p.name == name && *given)
    }

    /// The number parameter `name`.
    ///
    /// # Panics
    /// If the strategy declares no number parameter `name`: a constructor that disagrees
    /// with its own table entry (the registry's tests build every strategy).
    pub fn number(&self, name: &str) -> f64 {
        match self.get(name) {
            Some(ParamValue::Number(x)) => x,
            _ => self.undeclared("number", name),
        }
    }

    /// The flag parameter `name` (panics as [`Params::number`] does).
    pub fn flag(&self, name: &str) -> bool {
        match self.get(name) {
            Some(ParamValue::Flag(b)) => b,
            _ => self.undeclared("flag", name),
        }
    }

    /// The choice parameter `name`: one of its declared options (panics as
    /// [`Params::number`] does).
    pub fn choice(&self, name: &str) -> &'static str {
        match self.get(name) {
            Some(ParamValue::Choice(c)) => c,
            _ => self.undeclared("choice", name),
        }
    }

    fn undeclared(&self, ty: &str, name: &str) -> ! {
        panic!(
            "the registry entry of `{}` declares no {ty} parameter `{name}`",
            self.strategy
        )
    }
}
