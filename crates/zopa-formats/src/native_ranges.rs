//! `[sensitivity]`: the ranges of assumptions a scenario declares (zopa_core::Ranges).
//!
//! ```toml
//! [sensitivity]
//! draws = 40            # random draws per `weights` range (default 40)
//! seed = 0              # the seed of those draws (default 0)
//!
//! [[sensitivity.ranges]]
//! party = "Russia"
//! reservation = [0.35, 0.6]
//! source = "assumption"
//! ```

use toml::{Table, Value as Toml};
use zopa_core::{
    Curve, Evaluator, Issue, Party, Range, Ranges, ScenarioEvent, UtilityFunction, Varies,
    VariesKey,
};

use crate::error::LoadError;
use crate::native::Reader;

pub(crate) const SECTION: &str = "sensitivity";

const FIX: &str = "give each range exactly one of `reservation = [low, high]`, `weights = spread` \
                   (0–1), `ideal = [low, high]` with `issue`, `curve = [\"linear\", \"concave\"]` \
                   or `scale = [low, high]` with `event` (docs/scenario-format.md, \"Sensitivity\")";

impl Reader<'_> {
    pub(crate) fn ranges(
        &self,
        v: &Toml,
        issues: &[Issue],
        parties: &[Party],
        events: &[ScenarioEvent],
    ) -> Result<Ranges, LoadError> {
        let t = self.table(v, SECTION)?;
        if let Some(key) = t
            .keys()
            .find(|k| !["draws", "seed", "ranges"].contains(&k.as_str()))
        {
            return Err(self.err(
                &format!("{SECTION}.{key}"),
                format!("[{SECTION}] has no key `{key}`"),
                "it takes `draws`, `seed` and [[sensitivity.ranges]]",
            ));
        }
        let count = |key: &str| -> Result<Option<u64>, LoadError> {
            match t.get(key) {
                None => Ok(None),
                Some(Toml::Integer(n)) if *n >= 0 => Ok(Some(*n as u64)),
                Some(_) => Err(self.err(
                    &format!("{SECTION}.{key}"),
                    format!("`{key}` must be a whole number ≥ 0"),
                    format!("write `{key} = 40`"),
                )),
            }
        };
        let mut out = Ranges::default();
        if let Some(n) = count("draws")? {
            if !(1..=10_000).contains(&n) {
                return Err(self.err(
                    &format!("{SECTION}.draws"),
                    format!("{n} draws is outside 1–10000"),
                    "write `draws = 40`",
                ));
            }
            out.draws = n as u32;
        }
        if let Some(n) = count("seed")? {
            out.seed = n;
        }
        let list = match t.get("ranges") {
            None => return Ok(out),
            Some(Toml::Array(a)) => a,
            Some(_) => {
                return Err(self.err(
                    &format!("{SECTION}.ranges"),
                    "`ranges` must be an array",
                    "write [[sensitivity.ranges]] sections",
                ))
            }
        };
        for (k, v) in list.iter().enumerate() {
            let place = format!("{SECTION}.ranges[{k}]");
            let t = self.table(v, &place)?;
            out.ranges
                .push(self.range(t, &place, issues, parties, events)?);
        }
        Ok(out)
    }

    fn range(
        &self,
        t: &Table,
        place: &str,
        issues: &[Issue],
        parties: &[Party],
        events: &[ScenarioEvent],
    ) -> Result<Range, LoadError> {
        const OTHER: [&str; 4] = ["party", "issue", "event", "source"];
        if let Some(key) = t.keys().find(|k| {
            !OTHER.contains(&k.as_str()) && !VariesKey::ALL.iter().any(|v| v.as_str() == k.as_str())
        }) {
            return Err(self.err(
                &format!("{place}.{key}"),
                format!("a range has no key `{key}`"),
                FIX,
            ));
        }
        let kinds: Vec<VariesKey> = VariesKey::ALL
            .into_iter()
            .filter(|k| t.contains_key(k.as_str()))
            .collect();
        let [kind] = kinds[..] else {
            return Err(self.err(place, "a range varies exactly one assumption", FIX));
        };
        let here = format!("{place}.{}", kind.as_str());
        let party = || -> Result<usize, LoadError> {
            let name = self.opt_str(t, "party", place)?.ok_or_else(|| {
                self.err(
                    place,
                    format!("a `{}` range needs the party", kind.as_str()),
                    "add `party = \"…\"`",
                )
            })?;
            parties.iter().position(|p| p.name == name).ok_or_else(|| {
                self.err(
                    &format!("{place}.party"),
                    format!("no party named `{name}`"),
                    "use a name declared under [[parties]]",
                )
            })
        };
        let span = || -> Result<(f64, f64), LoadError> {
            let bad = || {
                self.err(
                    &here,
                    "expected `[low, high]`, two numbers with low ≤ high",
                    "write e.g. `[0.3, 0.6]`",
                )
            };
            let Some(Toml::Array(a)) = t.get(kind.as_str()) else {
                return Err(bad());
            };
            let [lo, hi] = &a[..] else {
                return Err(bad());
            };
            let (lo, hi) = (self.num(lo, &here)?, self.num(hi, &here)?);
            if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
                return Err(self.err(
                    &here,
                    format!("[{lo}, {hi}] is no range: write the lower end first"),
                    "write e.g. `[0.3, 0.6]`",
                ));
            }
            Ok((lo, hi))
        };
        let varies = match kind {
            VariesKey::Reservation => {
                let (low, high) = span()?;
                Varies::Reservation {
                    party: party()?,
                    low,
                    high,
                }
            }
            VariesKey::Weights => {
                let spread = self.opt_num(t, kind.as_str(), place)?.unwrap_or(0.0);
                if !(0.0..1.0).contains(&spread) || spread == 0.0 {
                    return Err(self.err(
                        &here,
                        format!("a spread of {spread} is outside (0, 1)"),
                        "write `weights = 0.3`: each weight drawn within ±30 %, then rescaled",
                    ));
                }
                Varies::Weights {
                    party: party()?,
                    spread,
                }
            }
            VariesKey::Ideal => {
                let p = party()?;
                let name = self.opt_str(t, "issue", place)?.ok_or_else(|| {
                    self.err(
                        place,
                        "an `ideal` range needs the issue",
                        "add `issue = \"…\"`",
                    )
                })?;
                let issue = issues.iter().position(|i| i.name == name).ok_or_else(|| {
                    self.err(
                        &format!("{place}.issue"),
                        format!("`{name}` is not an issue of this scenario"),
                        "use the issue names declared under [[issues]]",
                    )
                })?;
                let positional = match &parties[p].utility {
                    UtilityFunction::Additive(a) => match a.evaluators.get(issue) {
                        Some(Evaluator::Positional(x)) => Some(x),
                        _ => None,
                    },
                    _ => None,
                };
                let Some(x) = positional else {
                    return Err(self.err(
                        place,
                        format!("`{}` does not evaluate `{name}` by position, so it has no ideal there", parties[p].name),
                        "give its evaluation an `ideal` (docs/scenario-format.md), or vary another assumption",
                    ));
                };
                let (low, high) = span()?;
                let lo = x.positions().iter().copied().fold(f64::INFINITY, f64::min);
                let hi = x
                    .positions()
                    .iter()
                    .copied()
                    .fold(f64::NEG_INFINITY, f64::max);
                if low < lo || high > hi {
                    return Err(self.err(
                        &here,
                        format!(
                            "[{low}, {high}] reaches outside the issue's positions ({lo}–{hi})"
                        ),
                        format!("keep the ideal between {lo} and {hi}"),
                    ));
                }
                Varies::Ideal {
                    party: p,
                    issue,
                    low,
                    high,
                }
            }
            VariesKey::Curve => {
                let names = match t.get(kind.as_str()) {
                    Some(Toml::Array(a)) if !a.is_empty() => a,
                    _ => {
                        return Err(self.err(
                            &here,
                            "expected a list of curves",
                            "write `curve = [\"linear\", \"concave\"]`",
                        ))
                    }
                };
                let mut curves = Vec::new();
                for v in names {
                    let c = v.as_str().and_then(Curve::parse).ok_or_else(|| {
                        let all: Vec<&str> = Curve::ALL.iter().map(|c| c.as_str()).collect();
                        self.err(
                            &here,
                            format!("{v} is not a curve"),
                            format!("use {}", all.join(" or ")),
                        )
                    })?;
                    curves.push(c);
                }
                let p = party()?;
                let positional = match &parties[p].utility {
                    UtilityFunction::Additive(a) => a
                        .evaluators
                        .iter()
                        .any(|e| matches!(e, Evaluator::Positional(_))),
                    _ => false,
                };
                if !positional {
                    return Err(self.err(
                        place,
                        format!("`{}` evaluates no issue by position, so it has no curve to vary", parties[p].name),
                        "give its evaluations an `ideal` (docs/scenario-format.md), or vary another assumption",
                    ));
                }
                Varies::Curve { party: p, curves }
            }
            VariesKey::Scale => {
                if t.contains_key("party") {
                    return Err(self.err(
                        &format!("{place}.party"),
                        "a `scale` range names its event, whose party is the event's",
                        "drop `party`",
                    ));
                }
                let name = self.opt_str(t, "event", place)?.ok_or_else(|| {
                    self.err(
                        place,
                        "a `scale` range needs the event",
                        "add `event = \"…\"`",
                    )
                })?;
                let event = events.iter().position(|e| e.name == name).ok_or_else(|| {
                    self.err(
                        &format!("{place}.event"),
                        format!("no event named `{name}`"),
                        "use a name declared under [[events]]",
                    )
                })?;
                if events[event].change.is_none() {
                    return Err(self.err(
                        &format!("{place}.event"),
                        format!("event `{name}` moves no outside option, so it has no size"),
                        "scale an event that has `reservation`, `shift` or no-deal parameters",
                    ));
                }
                let (low, high) = span()?;
                // The no-deal model the scaled event gives must still be a war, at both ends.
                let e = &events[event];
                if let (Some(change @ zopa_core::ReservationChange::Model(_)), Some(model)) =
                    (e.change, parties[e.party].no_deal())
                {
                    for k in [low, high] {
                        let rv = parties[e.party].reservation_value();
                        let scaled = zopa_core::scale_event(change, k, rv, Some(*model));
                        if let zopa_core::ReservationChange::Model(c) = scaled {
                            model.with(&c).check().map_err(|p| {
                                self.err(
                                    &here,
                                    format!("at {k} times its size, event `{name}` gives a no-deal model where {}", p.problem),
                                    "narrow the range so that every point gives a war",
                                )
                            })?;
                        }
                    }
                }
                Varies::Event { event, low, high }
            }
        };
        Ok(Range {
            varies,
            source: self.opt_str(t, "source", place)?,
        })
    }
}
