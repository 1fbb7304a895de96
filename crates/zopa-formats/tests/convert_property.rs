//! `zopa convert` writes what it reads back: for arbitrary scenarios (names in any Unicode,
//! control characters included; every evaluator, positional ones with every shape and curve
//! and with or without a dated, sourced, labelled stance; hyper-rectangles bounding one issue
//! twice;
//! extreme finite numbers; calendars and events placed by time, round or date, some of which
//! end; texts with labelled values, discrete ones by index where a value name repeats;
//! outside options as numbers or no-deal models of either form, with events that move them;
//! red lines, controlled issues and exclusions over every kind of issue, with every test),
//! `to_toml` then `from_toml` gives the same scenario.

use std::path::Path;

use proptest::prelude::*;
use zopa_core::{
    AdditiveUtility, Aggregation, Calendar, Condition, ConstraintUtility, Curve, Date, Evaluator,
    EventTime, Exclusion, HyperRectangle, Issue, IssueKind, Label, NoDeal, NoDealChange,
    NoDealForm, NumericEvaluator, OutsideOption, Party, PositionalEvaluator, RectangleKind,
    ReservationChange, Role, Scenario, ScenarioEvent, Shape, Stance, Test, Text, UtilityFunction,
    Value,
};
use zopa_formats::{from_toml, to_toml};

fn finite() -> impl Strategy<Value = f64> {
    prop_oneof![
        (-1.0f64..2.0),
        any::<f64>().prop_filter("finite", |x| x.is_finite()),
        Just(0.1),
        Just(-0.0),
        Just(f64::MIN_POSITIVE),
    ]
}

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z]{1,6}",
        any::<String>(),
        Just("a\nb \"quoted\" \\ back\u{7f}\u{1}".to_string()),
    ]
}

fn issue_kind() -> impl Strategy<Value = IssueKind> {
    prop_oneof![
        prop::collection::vec(name(), 1..4).prop_map(|values| IssueKind::Discrete {
            descriptions: vec![None; values.len()],
            values,
        }),
        (any::<i64>(), any::<i64>()).prop_map(|(a, b)| IssueKind::Integer {
            min: a.min(b),
            max: a.max(b),
        }),
        (finite(), finite()).prop_map(|(a, b)| IssueKind::Real {
            min: a.min(b),
            max: a.max(b),
        }),
    ]
}

fn numeric() -> impl Strategy<Value = NumericEvaluator> {
    prop_oneof![
        (finite(), finite(), finite(), any::<bool>()).prop_map(|(slope, offset, origin, clamp)| {
            NumericEvaluator::Linear {
                slope,
                offset,
                origin,
                clamp,
            }
        }),
        (0.0f64..1.0, 1.0f64..2.0, 2.0f64..3.0)
            .prop_map(|(low, peak, high)| { NumericEvaluator::Triangular { low, high, peak } }),
        (0.0f64..1.0).prop_map(NumericEvaluator::Constant),
        (0.0f64..1.0, 0.0f64..1.0, 1.0f64..5.0, 0.0f64..1.0).prop_map(|(a, b, c, d)| {
            NumericEvaluator::Interpolated {
                low_value: a,
                low_utility: b,
                high_value: c,
                high_utility: d,
            }
        }),
    ]
}

/// Any date of the years 0000–9999 (days 29–31 come from adding days).
fn date() -> impl Strategy<Value = Date> {
    (0i16..=9999, 1i8..=12, 1i8..=28).prop_map(|(y, m, d)| Date::new(y, m, d).unwrap())
}

/// `days` after `date`, or `date` itself past 9999-12-31.
fn later(date: Date, days: u32) -> Date {
    Calendar::new(date).date_of(days).unwrap_or(date)
}

/// One edge of an event in time: relative time, a round, or a date within the calendar (only
/// with one), by `kind`.
fn time(kind: u8, t: f64, round: u32, offset: u32, calendar: Option<&Calendar>) -> EventTime {
    match (kind, calendar) {
        (0, _) => EventTime::Relative(t),
        (1, _) | (_, None) => EventTime::Round(round),
        (_, Some(c)) => {
            // Days from the start to the end: rounds of a daily calendar.
            let daily = Calendar::new(c.start);
            let room = c.end.and_then(|end| daily.round_of(end)).unwrap_or(365);
            EventTime::Date(later(c.start, offset % (room + 1)))
        }
    }
}

/// An end for an event starting `at`: mostly a later one of any kind (a later relative time,
/// or a later round given as a round or as that round's date), sometimes any time at all.
fn end(
    at: EventTime,
    (mode, frac, x, edge): (u8, f64, u32, (u8, f64, u32, u32)),
    calendar: Option<&Calendar>,
) -> EventTime {
    let (k, t, r, o) = edge;
    let round = at.round(calendar);
    match (mode, at, round, calendar) {
        (0, ..) => time(k, t, r, o, calendar),
        (_, EventTime::Relative(t), ..) => EventTime::Relative(t + (1.0 - t) * frac),
        (_, _, Some(round), Some(c)) if x % 3 != 0 => {
            // Within the calendar's end: the last round before it.
            let last = c.rounds().map_or(u32::MAX, |n| n.saturating_sub(1));
            let later = round.saturating_add(1 + x % 10).min(last);
            c.date_of(later)
                .map_or(EventTime::Round(later), EventTime::Date)
        }
        (_, _, round, _) => EventTime::Round(round.unwrap_or(0).saturating_add(1 + x % 1000)),
    }
}

/// A calendar (sometimes with an end) and when each of up to three events starts and,
/// sometimes, ends. Ends that do not validate are dropped when the scenario is built (see
/// [`keep_valid_ends`]).
#[allow(clippy::type_complexity)]
fn timing() -> impl Strategy<Value = (Option<Calendar>, Vec<(EventTime, Option<EventTime>)>)> {
    let edge = || (0u8..3, 0.0f64..=1.0, any::<u32>(), any::<u32>());
    (
        prop::option::of((
            date(),
            prop_oneof![Just(1u32), 1u32..400, Just(u32::MAX)],
            prop::option::of(0u32..40_000),
        )),
        prop::collection::vec(
            (
                edge(),
                prop::option::of((0u8..4, 0.0f64..1.0, any::<u32>(), edge())),
            ),
            0..4,
        ),
    )
        .prop_map(|(calendar, events)| {
            let calendar = calendar.map(|(start, days_per_round, span)| Calendar {
                start,
                days_per_round,
                end: span.map(|n| later(start, n)),
            });
            let c = calendar.as_ref();
            let times = events
                .into_iter()
                .map(|((k, t, r, o), until)| {
                    let at = time(k, t, r, o, c);
                    (at, until.map(|u| end(at, u, c)))
                })
                .collect();
            (calendar, times)
        })
}

/// Drops each event's end where the scenario would not validate with it (an end before the
/// start, in the same round, or relative time mixed with rounds).
fn keep_valid_ends(s: &mut Scenario) {
    let ends: Vec<Option<EventTime>> = s.events.iter_mut().map(|e| e.until.take()).collect();
    for (k, end) in ends.into_iter().enumerate() {
        s.events[k].until = end;
        if s.validate().is_err() {
            s.events[k].until = None;
        }
    }
}

/// What a text is drawn from: its name, date, source, description, and per issue a number
/// that picks the value, a fraction for real issues, and a label (0: none).
#[derive(Debug, Clone)]
struct Draft {
    name: String,
    date: Option<Date>,
    source: Option<String>,
    description: Option<String>,
    cells: Vec<(u64, f64, u8)>,
}

fn draft() -> impl Strategy<Value = Draft> {
    (
        name(),
        prop::option::of(date()),
        prop::option::of(name()),
        prop::option::of(name()),
        prop::collection::vec((any::<u64>(), 0.0f64..=1.0, 0u8..4), 3),
    )
        .prop_map(|(name, date, source, description, cells)| Draft {
            name,
            date,
            source,
            description,
            cells,
        })
}

impl Draft {
    /// The `k`-th text of a scenario with these issues (unique name; a value every issue has).
    fn text(self, k: usize, issues: &[Issue]) -> Text {
        let (outcome, labels) = issues
            .iter()
            .zip(self.cells)
            .map(|(issue, (x, t, label))| {
                let value = match &issue.kind {
                    IssueKind::Discrete { values, .. } => {
                        Value::Discrete((x % values.len() as u64) as u32)
                    }
                    IssueKind::Integer { min, max } => {
                        let span = (i128::from(*max) - i128::from(*min)) as u128 + 1;
                        Value::Integer((i128::from(*min) + (u128::from(x) % span) as i128) as i64)
                    }
                    // A convex combination stays finite; rounding may leave the range by an ulp.
                    IssueKind::Real { min, max } => {
                        Value::Real(((1.0 - t) * min + t * max).clamp(*min, *max))
                    }
                };
                let label = (label > 0).then(|| Label::ALL[usize::from(label) - 1]);
                (value, label)
            })
            .unzip();
        Text {
            name: format!("{}#{k}", self.name),
            date: self.date,
            source: self.source,
            description: self.description,
            outcome,
            labels,
        }
    }
}

/// What a positional evaluation is drawn from: whether to use one (else a table), where the
/// ideal lies (a position, or between the lowest and highest), the shape and curve, and an
/// optional stance (which position, its date, source and label; 0: none).
#[derive(Debug, Clone)]
struct PositionalDraw {
    used: bool,
    ideal: (u64, Option<f64>),
    shape: usize,
    curve: usize,
    stance: Option<(u64, Option<Date>, Option<String>, u8)>,
}

fn positional_draw() -> impl Strategy<Value = PositionalDraw> {
    (
        any::<bool>(),
        (any::<u64>(), prop::option::of(0.0f64..=1.0)),
        0usize..2,
        0usize..2,
        prop::option::of((
            any::<u64>(),
            prop::option::of(date()),
            prop::option::of(name()),
            0u8..4,
        )),
    )
        .prop_map(|(used, ideal, shape, curve, stance)| PositionalDraw {
            used,
            ideal,
            shape,
            curve,
            stance,
        })
}

impl PositionalDraw {
    /// The evaluation of an issue with these positions.
    fn evaluator(&self, positions: &[f64]) -> Evaluator {
        let lo = positions.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = positions.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        let pick = |x: u64| positions[(x % positions.len() as u64) as usize];
        let ideal = match self.ideal {
            (x, None) => pick(x),
            (_, Some(t)) => (lo + t * (hi - lo)).clamp(lo, hi),
        };
        let mut e = PositionalEvaluator::new(
            positions,
            ideal,
            Shape::ALL[self.shape],
            Curve::ALL[self.curve],
        )
        .unwrap();
        if let Some((x, date, source, label)) = &self.stance {
            e = e
                .with_stance(Stance {
                    position: pick(*x),
                    date: *date,
                    source: source.clone(),
                    label: (*label > 0).then(|| Label::ALL[usize::from(*label) - 1]),
                })
                .unwrap();
        }
        Evaluator::Positional(e)
    }
}

/// A no-deal model: a war of periods or a one-shot war, `win` and `loss` at their defaults
/// or not. The ranges keep every model (and every change by [`no_deal_change`]) valid:
/// prevail + lose in (0, 1].
fn no_deal() -> impl Strategy<Value = NoDeal> {
    let utility = || prop_oneof![Just(None), (-1.0f64..2.0).prop_map(Some)];
    (
        any::<bool>(),
        (0.0f64..0.5, 0.001f64..0.5),
        0.0f64..=1.0,
        prop_oneof![0.0f64..1.0, Just(0.004), Just(0.0)],
        utility(),
        utility(),
    )
        .prop_map(|(markov, (prevail, lose), p, cost, win, loss)| NoDeal {
            form: if markov {
                NoDealForm::Markov { prevail, lose }
            } else {
                NoDealForm::OneShot { p }
            },
            cost,
            win: win.unwrap_or(NoDeal::DEFAULT_WIN),
            loss: loss.unwrap_or(NoDeal::DEFAULT_LOSS),
        })
}

/// An event's change of `model`: the keys the mask picks (of the first four of its form, so
/// never none), each set to the same key's value in `other`'s ranges.
fn no_deal_change(model: &NoDeal, mask: u8, other: &NoDeal) -> NoDealChange {
    let mut c = NoDealChange::default();
    let (prevail, lose) = match other.form {
        NoDealForm::Markov { prevail, lose } => (prevail, lose),
        NoDealForm::OneShot { p } => (p / 2.0, 0.25),
    };
    for (i, &key) in model.keys().iter().enumerate().take(4) {
        if mask & (1 << i) != 0 {
            let x = match key {
                zopa_core::NoDealKey::Prevail => prevail,
                zopa_core::NoDealKey::Lose => lose,
                zopa_core::NoDealKey::P => other.p_prevail().clamp(0.0, 1.0),
                k => other.get(k).unwrap_or(0.0),
            };
            c.set(key, x);
        }
    }
    c
}

/// A value of `issue` picked by `x` (discrete, integer) or `t` (real).
fn pick(issue: &Issue, x: u64, t: f64) -> Value {
    match &issue.kind {
        IssueKind::Discrete { values, .. } => Value::Discrete((x % values.len() as u64) as u32),
        IssueKind::Integer { min, max } => {
            let span = (i128::from(*max) - i128::from(*min)) as u128 + 1;
            Value::Integer((i128::from(*min) + (u128::from(x) % span) as i128) as i64)
        }
        // A convex combination stays finite; rounding may leave the range by an ulp.
        IssueKind::Real { min, max } => Value::Real(((1.0 - t) * min + t * max).clamp(*min, *max)),
    }
}

/// A condition on one of `issues`, any test the issue takes, from `(x, kind, t)`.
fn condition(issues: &[Issue], (x, kind, t): (u64, u8, f64)) -> Condition {
    let issue = (x % issues.len() as u64) as usize;
    let i = &issues[issue];
    let v = |salt: u64| {
        pick(
            i,
            x.rotate_left(13).wrapping_add(salt),
            (t + salt as f64 * 0.37).fract(),
        )
    };
    let test = match (&i.kind, kind % 5) {
        (IssueKind::Real { .. }, k) if k % 2 == 0 => Test::AtLeast(v(0)),
        (IssueKind::Real { .. }, _) => Test::AtMost(v(0)),
        (_, 0) => Test::Equal(v(0)),
        (_, 1) => Test::NotEqual(v(0)),
        (_, 2) => Test::AtLeast(v(0)),
        (_, 3) => Test::AtMost(v(0)),
        _ => Test::OneOf(vec![v(0), v(1)]),
    };
    Condition { issue, test }
}

/// Red lines for the first two parties (the second controlling the issue of its first
/// line), then exclusions of one to three conditions, each dropped when the scenario would
/// not validate with it.
fn add_restrictions(s: &mut Scenario, cells: &[(u64, u8, f64)], names: &[String]) {
    let mut it = cells.iter().copied();
    for p in 0..2 {
        for _ in 0..2 {
            let Some(cell) = it.next() else { return };
            let c = condition(&s.issues, cell);
            s.parties[p].red_lines.push(c);
            if s.validate().is_err() {
                s.parties[p].red_lines.pop();
            }
        }
    }
    if let Some(issue) = s.parties[1].red_lines.first().map(|c| c.issue) {
        s.parties[1].controls.push(issue);
    }
    for (k, name) in names.iter().enumerate() {
        let when: Vec<Condition> = it
            .by_ref()
            .take(1 + k % 3)
            .map(|cell| condition(&s.issues, cell))
            .collect();
        s.exclusions.push(Exclusion {
            name: format!("{name}#{k}"),
            when,
            source: (k % 2 == 0).then(|| name.clone()),
            description: (k % 3 == 0).then(|| format!("about {name}")),
        });
        if s.validate().is_err() {
            s.exclusions.pop();
        }
    }
}

fn scenario() -> impl Strategy<Value = Scenario> {
    (
        base(),
        prop::collection::vec((any::<u64>(), any::<u8>(), 0.0f64..=1.0), 0..14),
        prop::collection::vec(name(), 0..4),
    )
        .prop_map(|(mut s, cells, names)| {
            add_restrictions(&mut s, &cells, &names);
            s
        })
}

fn base() -> impl Strategy<Value = Scenario> {
    (
        name(),
        prop::collection::vec((name(), issue_kind()), 1..4),
        prop::collection::vec((name(), 0.0f64..1.0, prop::option::of(0.1f64..1.0)), 2..4),
        prop::collection::vec(numeric(), 4),
        prop::collection::vec((0usize..4, -5.0f64..5.0, -5.0f64..5.0), 0..5),
        any::<bool>(),
        timing(),
        prop::collection::vec(draft(), 0..3),
        prop::collection::vec(positional_draw(), 9),
        prop::collection::vec((prop::option::of(no_deal()), 1u8..16, no_deal()), 3),
    )
        .prop_map(
            |(
                title,
                issues,
                parties,
                numerics,
                bounds,
                constraint,
                (calendar, times),
                drafts,
                positional,
                models,
            )| {
                // Names must be unique (the model requires it): suffix the index.
                let issues: Vec<Issue> = issues
                    .into_iter()
                    .enumerate()
                    .map(|(i, (n, kind))| Issue {
                        name: format!("{n}#{i}"),
                        // Stakeholder positions on a 0-100 scale for some discrete issues.
                        positions: match &kind {
                            IssueKind::Discrete { values, .. } if i % 2 == 0 => Some(
                                (0..values.len())
                                    .map(|k| 100.0 * k as f64 / values.len() as f64)
                                    .collect(),
                            ),
                            _ => None,
                        },
                        kind,
                        description: Some(format!("about {n}")),
                    })
                    .collect();
                let n = issues.len();
                let parties: Vec<Party> = parties
                    .into_iter()
                    .enumerate()
                    .map(|(p, (pname, rv, discount))| {
                        let utility = if constraint && p == 0 {
                            UtilityFunction::Constraint(ConstraintUtility {
                                rectangles: vec![HyperRectangle {
                                    kind: if rv > 0.5 {
                                        RectangleKind::Include
                                    } else {
                                        RectangleKind::Exclude
                                    },
                                    utility: 3.0,
                                    // Issue indices may repeat: one issue bounded twice.
                                    bounds: bounds.iter().map(|&(i, a, b)| (i % n, a, b)).collect(),
                                }],
                                aggregation: Aggregation::Sum,
                                weight: 1.0,
                                max_utility: 10.0,
                            })
                        } else {
                            UtilityFunction::Additive(AdditiveUtility {
                                weights: vec![1.0 / n as f64; n],
                                evaluators: issues
                                    .iter()
                                    .enumerate()
                                    .map(|(i, issue)| match &issue.kind {
                                        IssueKind::Discrete { .. }
                                            if issue.positions.is_some()
                                                && positional[3 * p + i].used =>
                                        {
                                            positional[3 * p + i]
                                                .evaluator(issue.positions.as_deref().unwrap())
                                        }
                                        IssueKind::Discrete { values, .. } => Evaluator::Table(
                                            (0..values.len())
                                                .map(|k| (k as f64 + rv) / 7.0)
                                                .collect(),
                                        ),
                                        _ => {
                                            Evaluator::Numeric(numerics[i % numerics.len()].clone())
                                        }
                                    })
                                    .collect(),
                                cap_at_one: p % 2 == 1,
                            })
                        };
                        Party {
                            name: format!("{pname}#{p}"),
                            role: if p == 2 {
                                Role::Stakeholder
                            } else {
                                Role::Negotiator
                            },
                            utility,
                            reservation: Some(match models[p].0 {
                                Some(m) => OutsideOption::NoDeal(m),
                                None => OutsideOption::Fixed(rv),
                            }),
                            discount,
                            cost_per_round: None,
                            capability: None,
                            salience: None,
                            red_lines: Vec::new(),
                            controls: Vec::new(),
                            description: Some(pname),
                        }
                    })
                    .collect();
                let mut events = vec![ScenarioEvent {
                    name: "e\nvent".into(),
                    party: 0,
                    at: EventTime::Relative(0.5),
                    until: None,
                    change: Some(ReservationChange::Shift(-0.1)),
                    stances: Vec::new(),
                    description: None,
                }];
                events.extend(times.into_iter().enumerate().map(|(k, (at, until))| {
                    ScenarioEvent {
                        name: format!("event {k}"),
                        party: k % 2,
                        at,
                        until,
                        change: Some(ReservationChange::Set(0.25)),
                        stances: Vec::new(),
                        description: Some("dated".into()),
                    }
                }));
                // Each party with a model: an event that moves it, ending for the first.
                for (p, (model, mask, other)) in models.iter().enumerate().take(parties.len()) {
                    if let Some(m) = model {
                        events.push(ScenarioEvent {
                            name: format!("news {p}"),
                            party: p,
                            at: EventTime::Round(p as u32),
                            until: (p == 0).then_some(EventTime::Round(9)),
                            change: Some(ReservationChange::Model(no_deal_change(m, *mask, other))),
                            stances: Vec::new(),
                            description: None,
                        });
                    }
                }
                let texts = drafts
                    .into_iter()
                    .enumerate()
                    .map(|(k, d)| d.text(k, &issues))
                    .collect();
                let mut s = Scenario {
                    ranges: zopa_core::Ranges::default(),
                    name: title,
                    description: None,
                    issues,
                    parties,
                    notes: Vec::new(),
                    events,
                    calendar,
                    texts,
                    exclusions: Vec::new(),
                };
                keep_valid_ends(&mut s);
                s
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn convert_then_load_gives_the_same_scenario(s in scenario()) {
        prop_assume!(s.validate().is_ok());
        let text = to_toml(&s);
        let back = from_toml(Path::new("round-trip.toml"), &text)
            .map_err(|e| TestCaseError::fail(format!("{e}\n--- written ---\n{text}")))?;
        let mut back = back;
        back.notes.clear();
        prop_assert_eq!(&back, &s, "written:\n{}", text);
    }
}

/// The generator reaches what it is meant to, in scenarios that validate: calendars with and
/// without an end, dated events inside them, events that end (by time, round and date), and
/// texts with labelled values and values given by index.
#[test]
fn the_generator_reaches_what_it_is_meant_to() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let (mut calendars, mut ends, mut dated) = (0, 0, 0);
    let mut until = [0; 3];
    // Texts; cells with a label; discrete cells whose name the issue lists twice.
    let (mut texts, mut labelled, mut by_index) = (0, 0, 0);
    // Positional evaluations: by shape and curve; with a stance; with a dated, sourced and
    // labelled one.
    let mut shapes = [[0; 2]; 2];
    let (mut stances, mut described) = (0, 0);
    // No-deal models of each form, with defaults and without; events that move them.
    let (mut markov, mut one_shot, mut set_utilities, mut moved) = (0, 0, 0, 0);
    // Red lines, by the kind of their issue (discrete, integer, real); controls; exclusions
    // over one issue and over several.
    let mut lines = [0; 3];
    let (mut controls, mut single, mut joint) = (0, 0, 0);
    for _ in 0..500 {
        let s = scenario().new_tree(&mut runner).unwrap().current();
        if s.validate().is_err() {
            continue;
        }
        calendars += usize::from(s.calendar.is_some());
        ends += usize::from(s.calendar.is_some_and(|c| c.end.is_some()));
        dated += s
            .events
            .iter()
            .filter(|e| matches!(e.at, EventTime::Date(_)))
            .count();
        texts += s.texts.len();
        for c in s.parties.iter().flat_map(|p| &p.red_lines) {
            lines[match s.issues[c.issue].kind {
                IssueKind::Discrete { .. } => 0,
                IssueKind::Integer { .. } => 1,
                IssueKind::Real { .. } => 2,
            }] += 1;
        }
        controls += s.parties.iter().map(|p| p.controls.len()).sum::<usize>();
        single += s
            .exclusions
            .iter()
            .filter(|e| e.issues().len() == 1)
            .count();
        joint += s.exclusions.iter().filter(|e| e.issues().len() > 1).count();
        for t in &s.texts {
            labelled += t.labels.iter().flatten().count();
            by_index += s
                .issues
                .iter()
                .zip(&t.outcome)
                .filter(|(issue, v)| match (&issue.kind, v) {
                    (IssueKind::Discrete { values, .. }, Value::Discrete(i)) => {
                        values.iter().filter(|v| **v == values[*i as usize]).count() > 1
                    }
                    _ => false,
                })
                .count();
        }
        for p in &s.parties {
            for i in 0..s.issues.len() {
                let Some(e) = p.positional(i) else { continue };
                let shape = Shape::ALL.iter().position(|x| *x == e.shape()).unwrap();
                let curve = Curve::ALL.iter().position(|x| *x == e.curve()).unwrap();
                shapes[shape][curve] += 1;
                stances += usize::from(e.stance().is_some());
                described +=
                    usize::from(e.stance().is_some_and(|s| {
                        s.date.is_some() && s.source.is_some() && s.label.is_some()
                    }));
            }
        }
        for m in s.parties.iter().filter_map(|p| p.no_deal()) {
            match m.form {
                NoDealForm::Markov { .. } => markov += 1,
                NoDealForm::OneShot { .. } => one_shot += 1,
            }
            set_utilities += usize::from(m.win != 1.0 || m.loss != 0.0);
        }
        moved += s
            .events
            .iter()
            .filter(|e| matches!(e.change, Some(ReservationChange::Model(_))))
            .count();
        for e in &s.events {
            match e.until {
                Some(EventTime::Relative(_)) => until[0] += 1,
                Some(EventTime::Round(_)) => until[1] += 1,
                Some(EventTime::Date(_)) => until[2] += 1,
                None => {}
            }
        }
    }
    assert!(
        calendars > 50 && ends > 25 && dated > 50,
        "{calendars} {ends} {dated}"
    );
    // Events that end, by relative time, round and date.
    assert!(until.iter().all(|&n| n > 10), "{until:?}");
    assert!(
        texts > 100 && labelled > 100 && by_index > 5,
        "{texts} {labelled} {by_index}"
    );
    assert!(
        shapes.iter().flatten().all(|&n| n > 10) && stances > 20 && described > 5,
        "{shapes:?} {stances} {described}"
    );
    assert!(
        markov > 100 && one_shot > 100 && set_utilities > 100 && moved > 200,
        "{markov} {one_shot} {set_utilities} {moved}"
    );
    assert!(
        lines.iter().all(|&n| n > 50) && controls > 50 && single > 50 && joint > 50,
        "{lines:?} {controls} {single} {joint}"
    );
}
