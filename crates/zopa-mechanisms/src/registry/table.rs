//! The table: every strategy zopa knows, each declared once. A new strategy is its file under
//! `strategies/` plus one entry here; `zopa strategies`, `docs/strategies.md`'s parameter
//! lists and the every-strategy-in-every-protocol test follow from the entry.

use super::{Build, Fidelity, Param, ParamType, Params, Strategy};
use crate::acceptance::Acceptance;
use crate::opponent::ModelKind;
use crate::runner::Protocol;
use crate::session::{Negotiator, Setup};
use crate::strategies::bargaining::{BargainingMediator, Point};
use crate::strategies::mediators::{FeedbackMediator, HillClimbing, RandomFlipping};
use crate::strategies::voters::{Annealer, HillClimber};
use crate::strategies::{
    AgentBuyog, AgentK, AgreeableAgent2018, Aspiration, Atlas3, Bezier, Caduceus, Caduceus2015,
    CuhkAgent, HardHeaded, IamHaggler2012, KakeSoba, Kawaii, MengWan, Micro, NegologTimeDependent,
    ParsAgent, ParsCat, RandomDance, RandomNegotiator, Rubick, Sontag, TimeDependent,
    TimeDependentConfig, TitForTat, YxAgent,
};
use crate::strategies::{
    AgentLg, BramAgent, Gahboninho, IamHaggler2011, NiceTitForTat, Nozomi, OmacAgent,
    TheNegotiator, TheNegotiatorReloaded, ValueModelAgent, Yushu,
};
// ANAC 2013–2017 champions.
use crate::strategies::{
    AgentM, CaduceusDc16, Dona, Farma, Gangster, InoxAgent, MetaAgent, PokerFace, TheFawkes,
    TmfAgent, WhaleAgent,
};
// NegoLog's set (ANAC 2015–2022).
use crate::strategies::{
    AgentGG, AgentKN, AhBuNeAgent, HybridAgent, LuckyAgent2022, PonPoko, Saga,
};

/// The mediator of the mediated protocol when none is named.
pub const DEFAULT_MEDIATOR: &str = "hill-climbing";

const NEGOTIATOR: &[Protocol] = &[Protocol::Sao, Protocol::Stacked, Protocol::Shuttle];
const VOTER: &[Protocol] = &[Protocol::Mediated, Protocol::Shuttle];
const MEDIATOR: &[Protocol] = &[Protocol::Mediated, Protocol::Shuttle];

const AC_OPTIONS: &[&str] = &["next", "const", "time", "combi", "maxw"];
const MODEL_OPTIONS: &[&str] = &["none", "frequency", "windowed", "bayesian"];
/// `ac=maxw`'s time when `t` is not given (GENIUS's AC_combi(T, MAX^W) default).
const MAXW_T: f64 = 0.98;

/// The parameters of the time-dependent family, declared once; `e` defaults to `e`.
const fn time_dependent(e: f64) -> [Param; 9] {
    [
        Param {
            name: "e",
            ty: ParamType::Number {
                default: e,
                min: Some(0.0),
                max: None,
                exclusive_min: false,
            },
            help: "concession exponent (0 hardliner, < 1 boulware, 1 linear, > 1 conceder)",
        },
        Param {
            name: "k",
            ty: ParamType::Number {
                default: 0.0,
                min: Some(0.0),
                max: Some(1.0),
                exclusive_min: false,
            },
            help: "initial concession, f(0) = k",
        },
        Param {
            name: "ac",
            ty: ParamType::Choice {
                default: "next",
                options: AC_OPTIONS,
            },
            help: "acceptance: AC_next(a, b), AC_const(c), AC_time(t), AC_combi(t), AC_combi(t, MAX^W)",
        },
        Param {
            name: "a",
            ty: ParamType::number(1.0),
            help: "AC_next: accept iff a·U(offer) + b ≥ U(next bid)",
        },
        Param {
            name: "b",
            ty: ParamType::number(0.0),
            help: "AC_next's b",
        },
        Param {
            name: "c",
            ty: ParamType::number(0.9),
            help: "AC_const threshold",
        },
        Param {
            name: "t",
            ty: ParamType::Number {
                default: 0.99,
                min: Some(0.0),
                max: Some(1.0),
                exclusive_min: false,
            },
            help: "time of AC_time, AC_combi and maxw (maxw: 0.98 unless given)",
        },
        Param {
            name: "model",
            ty: ParamType::Choice {
                default: "none",
                options: MODEL_OPTIONS,
            },
            help: "opponent model choosing among outcomes within 0.02 of the target",
        },
        Param {
            name: "delay",
            ty: ParamType::Flag { default: true },
            help: "read its cost of delay: concede on a clock sped up by 1 + cost·rounds / (P_max − P_min)",
        },
    ]
}

fn time_dependent_negotiator(p: &Params, setup: &Setup) -> Box<dyn Negotiator> {
    let t = p.number("t");
    let acceptance = match p.choice("ac") {
        "next" => Acceptance::Next {
            a: p.number("a"),
            b: p.number("b"),
        },
        "const" => Acceptance::Const(p.number("c")),
        "time" => Acceptance::Time(t),
        "combi" => Acceptance::Combi(t),
        "maxw" => Acceptance::CombiMaxInWindow(if p.given("t") { t } else { MAXW_T }),
        other => unreachable!("`ac={other}` is not in {AC_OPTIONS:?}"),
    };
    let model = match p.choice("model") {
        "none" => None,
        "frequency" => Some(ModelKind::Frequency),
        "windowed" => Some(ModelKind::Windowed),
        "bayesian" => Some(ModelKind::Bayesian),
        other => unreachable!("`model={other}` is not in {MODEL_OPTIONS:?}"),
    };
    let config = TimeDependentConfig {
        k: p.number("k"),
        acceptance,
        model,
        reads_delay: p.flag("delay"),
        ..TimeDependentConfig::new(p.number("e"))
    };
    Box::new(TimeDependent::new(config, setup))
}

/// The control points of NegoLog's Bézier agents; `p1` defaults to `p1`.
const fn negolog_bezier(p1: f64) -> [Param; 3] {
    const fn point(name: &'static str, default: f64, help: &'static str) -> Param {
        Param {
            name,
            ty: ParamType::Number {
                default,
                min: Some(0.0),
                max: Some(1.0),
                exclusive_min: false,
            },
            help,
        }
    }
    [
        point("p0", 1.0, "Bézier start P0: the target at t = 0"),
        point(
            "p1",
            p1,
            "Bézier middle point P1 (0.85 boulware, 0.7 linear, 0.55 conceder)",
        ),
        point(
            "p2",
            0.4,
            "Bézier end P2: the target at t = 1 (raised to the reservation value)",
        ),
    ]
}

fn negolog_bezier_negotiator(p: &Params, setup: &Setup) -> Box<dyn Negotiator> {
    let curve = Bezier {
        p0: p.number("p0"),
        p1: p.number("p1"),
        p2: p.number("p2"),
    };
    Box::new(NegologTimeDependent::new(curve, setup))
}

const NEGOLOG_SUMMARY: &str =
    "NegoLog's Bézier target (1 − t)²P0 + 2(1 − t)t·P1 + t²P2 (floor: the reservation value), not Faratin's curve";

const TD_SUMMARY: &str =
    "offers the outcome nearest the target P_min + (P_max − P_min)(1 − k − (1 − k)t^(1/e))";

pub(super) static STRATEGIES: &[Strategy] = &[
    // Negotiators.
    Strategy {
        name: "random",
        source: "baseline (GENIUS RandomParty, NegMAS RandomNegotiator)",
        summary: "a random outcome above its reservation value; accepts by AC_next",
        fidelity: Fidelity::Definition,
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(RandomNegotiator::new(s))),
    },
    Strategy {
        name: "hardliner",
        source: "Faratin et al. 1998, e = 0 (GENIUS TimeDependentAgentHardliner)",
        summary: TD_SUMMARY,
        fidelity: Fidelity::Adapted("P_min is the current reservation value, so events move the curve; costs of delay speed its clock (GENIUS scenarios have none); the nearest outcome from the exact order"),
        params: &time_dependent(0.0),
        protocols: NEGOTIATOR,
        build: Build::Negotiator(time_dependent_negotiator),
    },
    Strategy {
        name: "boulware",
        source: "Faratin et al. 1998, e = 0.2 (GENIUS TimeDependentAgentBoulware)",
        summary: TD_SUMMARY,
        fidelity: Fidelity::Adapted("P_min is the current reservation value, so events move the curve; costs of delay speed its clock (GENIUS scenarios have none); the nearest outcome from the exact order"),
        params: &time_dependent(0.2),
        protocols: NEGOTIATOR,
        build: Build::Negotiator(time_dependent_negotiator),
    },
    Strategy {
        name: "linear",
        source: "Faratin et al. 1998, e = 1 (GENIUS TimeDependentAgentLinear)",
        summary: TD_SUMMARY,
        fidelity: Fidelity::Adapted("P_min is the current reservation value, so events move the curve; costs of delay speed its clock (GENIUS scenarios have none); the nearest outcome from the exact order"),
        params: &time_dependent(1.0),
        protocols: NEGOTIATOR,
        build: Build::Negotiator(time_dependent_negotiator),
    },
    Strategy {
        name: "conceder",
        source: "Faratin et al. 1998, e = 2 (GENIUS TimeDependentAgentConceder)",
        summary: TD_SUMMARY,
        fidelity: Fidelity::Adapted("P_min is the current reservation value, so events move the curve; costs of delay speed its clock (GENIUS scenarios have none); the nearest outcome from the exact order"),
        params: &time_dependent(2.0),
        protocols: NEGOTIATOR,
        build: Build::Negotiator(time_dependent_negotiator),
    },
    Strategy {
        name: "time-dependent",
        source: "Faratin et al. 1998, any e (default 1)",
        summary: TD_SUMMARY,
        fidelity: Fidelity::Adapted("P_min is the current reservation value, so events move the curve; costs of delay speed its clock (GENIUS scenarios have none); the nearest outcome from the exact order"),
        params: &time_dependent(1.0),
        protocols: NEGOTIATOR,
        build: Build::Negotiator(time_dependent_negotiator),
    },
    Strategy {
        name: "negolog-boulware",
        source: "NegoLog port agents/boulware/Boulware.py (Vahidov et al. 2017 Bézier target)",
        summary: NEGOLOG_SUMMARY,
        fidelity: Fidelity::Adapted("the reservation value is read each turn, so events move the curve"),
        params: &negolog_bezier(0.85),
        protocols: NEGOTIATOR,
        build: Build::Negotiator(negolog_bezier_negotiator),
    },
    Strategy {
        name: "negolog-linear",
        source: "NegoLog port agents/LinearAgent/LinearAgent.py (Vahidov et al. 2017 Bézier target)",
        summary: NEGOLOG_SUMMARY,
        fidelity: Fidelity::Adapted("the reservation value is read each turn, so events move the curve"),
        params: &negolog_bezier(0.7),
        protocols: NEGOTIATOR,
        build: Build::Negotiator(negolog_bezier_negotiator),
    },
    Strategy {
        name: "negolog-conceder",
        source: "NegoLog port agents/conceder/Conceder.py (Vahidov et al. 2017 Bézier target)",
        summary: NEGOLOG_SUMMARY,
        fidelity: Fidelity::Adapted("the reservation value is read each turn, so events move the curve"),
        params: &negolog_bezier(0.55),
        protocols: NEGOTIATOR,
        build: Build::Negotiator(negolog_bezier_negotiator),
    },
    Strategy {
        name: "aspiration",
        source: "NegMAS BoulwareTB/LinearTB/ConcederTBNegotiator semantics, for cross-checks",
        summary: "NegMAS's aspiration 1 − t^exp: proposes the worst outcome in its band",
        fidelity: Fidelity::Faithful,
        params: &[Param {
            name: "exp",
            ty: ParamType::Number {
                default: 4.0,
                min: Some(0.0),
                max: None,
                exclusive_min: true,
            },
            help: "NegMAS aspiration exponent (4 boulware, 1 linear, 0.25 conceder)",
        }],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|p, s| Box::new(Aspiration::new(p.number("exp"), s))),
    },
    Strategy {
        name: "tit-for-tat",
        source: "Faratin et al. 1998 behaviour-dependent tactics",
        summary: "opens with its best outcome, then concedes what the opponent conceded",
        fidelity: Fidelity::Definition,
        params: &[Param {
            name: "relative",
            ty: ParamType::Flag { default: false },
            help: "mirror percentage (relative) instead of absolute concessions",
        }],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|p, s| Box::new(TitForTat::new(p.flag("relative"), s))),
    },
    Strategy {
        name: "micro",
        source: "de Jonge 2022 (ANAC 2022), NegoLog port",
        summary: "concedes one outcome only when the opponent has made as many distinct offers",
        fidelity: Fidelity::Faithful,
        params: &[Param {
            name: "prefer_theirs",
            ty: ParamType::Flag { default: true },
            help: "concede to an equal-or-better opponent offer first (NegoLog); false is NegMAS's MiCRO",
        }, Param {
            name: "counts_best",
            ty: ParamType::Flag { default: false },
            help: "count its best outcome as proposed from the start (NegoLog: moving second, it opens with its second outcome)",
        }],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|p, s| {
            Box::new(Micro::new(p.flag("prefer_theirs"), p.flag("counts_best"), s))
        }),
    },
    Strategy {
        name: "hardheaded",
        source: "van Krimpen et al., ANAC 2011 winner (GENIUS KLH)",
        summary: "KLH's keyed bid list, a late concession curve and a frequency model",
        fidelity: Fidelity::Adapted("above 200,000 outcomes the exact bidding order, keyed by utility alone, stands in for KLH's list of every bid"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(HardHeaded::new(s))),
    },
    Strategy {
        name: "agentk",
        source: "Kawaguchi et al., ANAC 2010 winner, K2 version (GENIUS Agent_K2)",
        summary: "a target from the opponent's offers; accepts with a probability",
        fidelity: Fidelity::Faithful,
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(AgentK::new(s))),
    },
    Strategy {
        name: "cuhkagent",
        source: "Hao & Leung, ANAC 2012 winner (GENIUS CUHKAgent)",
        summary: "a discount-driven threshold raised by the opponent's toughness",
        fidelity: Fidelity::Adapted("rounds left counted from the round deadline, not from turn times"),
        params: &[
            Param {
                name: "concede",
                ty: ParamType::Flag { default: false },
                help: "act on concedeToOpponent as NegoLog's port does (GENIUS clears it unread)",
            },
            Param {
                name: "sample",
                ty: ParamType::Flag { default: false },
                help: "above 20,000 outcomes choose among a seeded sample of 20,001 (NegoLog) instead of the exact order",
            },
        ],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|p, s| {
            Box::new(CuhkAgent::with(p.flag("concede"), p.flag("sample"), s))
        }),
    },
    Strategy {
        name: "atlas3",
        source: "Mori & Ito, ANAC 2015 winner (GENIUS Atlas3)",
        summary: "a threshold from a 2×2 final-offer game; neighbourhood search; re-offers the opponent's best offers at the end",
        fidelity: Fidelity::Adapted("its best outcome from the exact order, not simulated annealing; the annealing fallback taken from the order directly"),
        params: &[Param {
            name: "negolog",
            ty: ParamType::Flag { default: false },
            help: "NegoLog's port (negmas-negolog): df = 1, no walking away, no popular bids",
        }],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|p, s| Box::new(Atlas3::with(p.flag("negolog"), s))),
    },
    Strategy {
        name: "parsagent",
        source: "Khosravimehr & Nassiri-Mofakham, ANAC 2015 runner-up (GENIUS ParsAgent)",
        summary: "target max(0.7, 1 − t^(1/0.15)); bids the opponents' shared values or its best with one issue changed",
        fidelity: Fidelity::Adapted("a uniform draw among the values clearing its target instead of 1 ms of tries; ties in value order, not Java hash order"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(ParsAgent::new(s))),
    },
    Strategy {
        name: "randomdance",
        source: "Kakimoto & Fujita, ANAC 2015 finalist (GENIUS RandomDance)",
        summary: "frequency models with random weights; the first weighted search above 1 − (1 − m)t³",
        fidelity: Fidelity::Adapted("never accepts without an offer on the table or below its reservation value; opponents keyed by seat"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(RandomDance::new(s))),
    },
    Strategy {
        name: "kawaii",
        source: "Baba et al., ANAC 2015 runner-up (GENIUS fairy/kawaii)",
        summary: "threshold 1 − 0.2t² (floor 0.8); Atlas3's relative-utility search",
        fidelity: Fidelity::Adapted("Atlas3's: its best outcome from the exact order, not simulated annealing"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(Kawaii::new(s))),
    },
    Strategy {
        name: "caduceus2015",
        source: "Güneş, Caduceus's 2015 expert (GENIUS y2016 caduceus/agents/Caduceus)",
        summary: "its best until 0.83·df, then a step from its best toward a Nash estimate",
        fidelity: Fidelity::Faithful,
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(Caduceus2015::new(s))),
    },
    Strategy {
        name: "caduceus",
        source: "Güneş et al., ANAC 2016 winner (NegoLog port agents/Caduceus; GENIUS's 2015 experts)",
        summary: "its best until t = 0.83, then a score-weighted vote of parsagent, randomdance, kawaii, atlas3 and caduceus2015",
        fidelity: Fidelity::Adapted("its experts hear the offers made before t = 0.83 at once when first consulted; an expert that walks away counts for neither accepting nor bidding"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(Caduceus::new(s))),
    },
    // ANAC 2010–2012 champions (GENIUS).
    Strategy {
        name: "yushu",
        source: "An & Lesser, ANAC 2010 runner-up (GENIUS Yushu)",
        summary: "target falls from its best by t^1.2 to a floor set by the rounds left; suggests the opponent's best offer back",
        fidelity: Fidelity::Faithful,
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(Yushu::new(s))),
    },
    Strategy {
        name: "nozomi",
        source: "ANAC 2010 third place (GENIUS Nozomi)",
        summary: "moves one issue at a time: approach, compromise, keep or restore, its bids held just above a compromise level it lowers when the opponent concedes less",
        fidelity: Fidelity::Adapted("a value's evaluation from its evaluator (normalised) or, off additive utilities, from its best outcome; integer steps kept within bounds"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(Nozomi::new(s))),
    },
    Strategy {
        name: "iamhaggler2011",
        source: "Williams et al., ANAC 2011 finalist (GENIUS IAMhaggler2011)",
        summary: "Gaussian-process regression of the opponent's concession; aims at the time and utility of the best expected agreement",
        fidelity: Fidelity::Adapted("gp4j's Bayesian Monte Carlo over the kernel's hyperparameters taken as a likelihood-weighted mixture on the priors' grid"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(IamHaggler2011::new(s))),
    },
    Strategy {
        name: "gahboninho",
        source: "ANAC 2011 runner-up (GENIUS Gahboninho)",
        summary: "bids the least outcome above a noise-driven recommendation among those beating the opponent's first offer on every issue; late, its best offer",
        fidelity: Fidelity::Adapted("its list holds the first 50,000 outcomes of GENIUS's enumeration, which GENIUS cuts by wall-clock time; build time counts as zero"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(Gahboninho::new(s))),
    },
    Strategy {
        name: "bramagent",
        source: "ANAC 2011 finalist (GENIUS BRAMAgent)",
        summary: "threshold widens in four steps of a 180 s clock; bids outcomes drawn from the opponent's last ten offers, else walks its list",
        fidelity: Fidelity::Adapted("its outcome list is the whole bidding order, not what two seconds of random draws collect; values drawn in level order"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(BramAgent::new(s))),
    },
    Strategy {
        name: "nicetitfortat",
        source: "Baarslag et al., ANAC 2011 finalist (GENIUS NiceTitForTat; NegoLog agents/NiceTitForTat)",
        summary: "mirrors the opponent's concession toward a Bayesian estimate of the Nash point; late, accepts what no recent offer beat",
        fidelity: Fidelity::Adapted("zopa's scalable Bayesian model; above 10,000 outcomes a range's two best outcomes, not the first two in GENIUS's iteration"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(NiceTitForTat::new(s))),
    },
    Strategy {
        name: "valuemodelagent",
        source: "ANAC 2011 finalist (GENIUS ValueModelAgent)",
        summary: "learns what each opponent value costs the opponent; bids the approved outcome it likes best, the threshold following the opponent's concession; a chicken game at the end",
        fidelity: Fidelity::Adapted("keeps the approved stretch of the bidding order (at most 50,000 outcomes); its chicken game acts at once, as zopa's clock cannot be waited on"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(ValueModelAgent::new(s))),
    },
    Strategy {
        name: "thenegotiator",
        source: "Dirkzwager & Hendrikx, ANAC 2011 finalist (GENIUS TheNegotiator)",
        summary: "threshold falls linearly through three phases of a 180 s clock; in the last, accepts anything with under 15 moves left",
        fidelity: Fidelity::Faithful,
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(TheNegotiator::new(s))),
    },
    Strategy {
        name: "agentlg",
        source: "ANAC 2012 finalist (GENIUS AgentLG)",
        summary: "cycles through its best outcomes, extending the cycle toward what a frequency model says the opponent likes",
        fidelity: Fidelity::Faithful,
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(AgentLg::new(s))),
    },
    Strategy {
        name: "omacagent",
        source: "Chen & Weiss, ANAC 2012 finalist (GENIUS OMACagent)",
        summary: "late Boulware curve, overridden by a moving-average prediction of the opponent's next best offer per 1 % of time",
        fidelity: Fidelity::Faithful,
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(OmacAgent::new(s))),
    },
    Strategy {
        name: "thenegotiatorreloaded",
        source: "Dirkzwager & Hendrikx, ANAC 2012 finalist (GENIUS TheNegotiatorReloaded, BOA)",
        summary: "time-dependent target above a Kalai point of a Bayesian opponent model, its exponent set by the opponent's concession per window",
        fidelity: Fidelity::Adapted("zopa's Bayesian model, not GENIUS's IAMhagglerBayesianModel; the KS point as the Pareto point of least utility gap"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(TheNegotiatorReloaded::new(s))),
    },

    // ANAC 2013–2017 champions (GENIUS).
    Strategy {
        name: "thefawkes",
        source: "TU Delft group 3, ANAC 2013 winner (GENIUS TheFawkes)",
        summary: "a wavelet-and-spline forecast of the opponent's concession sets its target; bids what a frequency model rates best for the opponent",
        fidelity: Fidelity::Adapted("bids read from the exact order (the opponent's best and second best by search, not a sorted list); a seat reached before its first offer bids its best"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(TheFawkes::new(s))),
    },
    Strategy {
        name: "tmfagent",
        source: "ANAC 2013 third place (GENIUS TMFAgent)",
        summary: "weighs own utility against a value-frequency estimate of the opponent's by a late-falling hardness; round-trip timing for the last offers",
        fidelity: Fidelity::Adapted("the exact bidding order instead of GENIUS's list of bids (real issues at zopa's levels); integer values scored by bucket; no memory across sessions"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(TmfAgent::new(s))),
    },
    Strategy {
        name: "inoxagent",
        source: "van Zessen & Branco, ANAC 2013 finalist (GENIUS InoxAgent)",
        summary: "holds its best while the opponent does not concede; later a Kalai-style search in a widening window of ranks; a late-falling acceptance curve",
        fidelity: Fidelity::Adapted("the search window capped at ±10,000 ranks of the exact order; no memory across sessions"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(InoxAgent::new(s))),
    },
    Strategy {
        name: "metaagent",
        source: "ANAC 2013 runner-up (GENIUS MetaAgent, Meta-Agent 2013)",
        summary: "regression trees on domain features pick one of six ANAC 2012 agents, which then negotiates",
        fidelity: Fidelity::Adapted("chooses among the portfolio agents zopa registers (cuhkagent always); statistics of large spaces from a sample; no memory across sessions"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(MetaAgent::new(s))),
    },
    Strategy {
        name: "agentm",
        source: "S. Hourmann, ANAC 2014 finalist (GENIUS AgentM)",
        summary: "random sampling and simulated annealing toward the opponent's frequent and best values; concedes by the spread of the opponent's offers",
        fidelity: Fidelity::Adapted("values walked by level (integer issues by value − min, real issues on a grid of 11); no memory across sessions"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(AgentM::new(s))),
    },
    Strategy {
        name: "dona",
        source: "Erez & Segal-haLevi, ANAC 2014 finalist (GENIUS DoNA)",
        summary: "waits for the last moments, measured in the opponent's mean turn time, then concedes toward the opponent's best offer; strategy by reservation value and discount",
        fidelity: Fidelity::Adapted("its strategy for spaces under 10^6 outcomes (ClearDefaultStrategy) at every size; the sampling strategy for larger spaces is not ported"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(Dona::new(s))),
    },
    Strategy {
        name: "gangster",
        source: "D. de Jonge, ANAC 2014 finalist (GENIUS Gangster)",
        summary: "non-linear utilities: a genetic search for bids above a falling target, near the opponent's offers; linear ones: random bids, accepts above 0.8",
        fidelity: Fidelity::Adapted("values by level; global searches capped at 20 a turn (GENIUS waits for its clock); ties by value order, not Bid.toString()"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(Gangster::new(s))),
    },
    Strategy {
        name: "whaleagent",
        source: "ANAC 2014 finalist (GENIUS AgentWhale/WhaleAgent)",
        summary: "simulated annealing toward a falling share of its estimated best; greedy neighbours of the opponent's best offer; softer against a repeating opponent",
        fidelity: Fidelity::Adapted("values moved by level and kept inside each issue; at most 50 annealing restarts a turn (GENIUS: unbounded); no memory across sessions"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(WhaleAgent::new(s))),
    },
    Strategy {
        name: "pokerface",
        source: "ANAC 2015 finalist (GENIUS pokerface/PokerFace)",
        summary: "a variance-weighted random walk over its outcomes above 0.85 for 60 % of its turns, then its best; accepts above 0.5 + x^(1/4)/2 late",
        fidelity: Fidelity::Adapted("its best when nothing reaches 0.85; a uniform walk above 100,000 such outcomes or for non-additive utilities"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(PokerFace::new(s))),
    },
    Strategy {
        name: "farma",
        source: "ANAC 2016 finalist (GENIUS farma/Farma)",
        summary: "an Atlas3 descendant: a threshold from the opponents' offer statistics, bids gathered around their offers chosen by acceptances and similarity",
        fidelity: Fidelity::Adapted("Atlas3's adaptations (exact best, no annealing); integer and real issues over candidate values; at most 50,000 gathered outcomes"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(Farma::new(s))),
    },
    Strategy {
        name: "caduceusdc16",
        source: "ANAC 2017 runner-up (GENIUS caduceusdc16/CaduceusDC16)",
        summary: "its best until t = 0.83·df, then a score-weighted vote of yxagent, parscat, farma, myagent and atlas3; bids the values its bidders proposed most",
        fidelity: Fidelity::Adapted("experts are zopa's strategies of those names (atlas3 for Atlas3 2016); an unregistered expert abstains; they hear earlier offers at once when first consulted"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(CaduceusDc16::new(s))),
    },

    // NegoLog's set (ANAC 2015–2022).
    Strategy {
        name: "agentgg",
        source: "Shaobo Xu, ANAC 2019 winner (NegoLog agents/AgentGG; GENIUS AgentGG)",
        summary: "time-based bands of rank-derived importance; the band's bid the opponent's value counts favour",
        fidelity: Fidelity::Adapted("importance estimated (16 outcomes per value) on searched additive spaces (above 65,536 outcomes); bands of more than 500 take the best for the opponent instead of 2n draws; non-discrete issues use normalised utility"),
        params: &[Param {
            name: "negolog",
            ty: ParamType::Flag { default: false },
            help: "NegoLog's port: the Nash estimate is never made (an elif for GENIUS's else)",
        }],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|p, s| Box::new(AgentGG::new(p.flag("negolog"), s))),
    },
    Strategy {
        name: "ponpokoagent",
        source: "Takaki Matsune, ANAC 2017 winner (NegoLog agents/PonPoko; GENIUS PonPokoAgent)",
        summary: "one of six random utility bands over time; accepts above the band's floor, bids at random inside it",
        fidelity: Fidelity::Faithful,
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(PonPoko::new(s))),
    },
    Strategy {
        name: "agentkn",
        source: "Keita Nakamura, ANAC 2017 finalist (NegoLog agents/AgentKN)",
        summary: "threshold 1 − (1 − 0.7·emax)t⁵ from the offers' mean and spread; Atlas3's relative-utility search",
        fidelity: Fidelity::Adapted("Atlas3's: its best outcome from the exact order, not simulated annealing; the annealing fallback taken from the order directly"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(AgentKN::new(s))),
    },
    Strategy {
        name: "saga",
        source: "Yuta Hosokawa, ANAC 2019 finalist (NegoLog agents/SAGA; GENIUS SAGA)",
        summary: "target m + (1 − m)(1 − t⁵) from the first offer; random bids above it; accepts with a time-shaped probability",
        fidelity: Fidelity::Faithful,
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(Saga::new(s))),
    },
    Strategy {
        name: "hybridagent",
        source: "Keskin, Çakan & Aydoğan, ANAC 2022 (NegoLog agents/HybridAgent)",
        summary: "a Bézier time target mixed, weight 1 − t², with a target mirroring the opponent's recent concessions",
        fidelity: Fidelity::Faithful,
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(HybridAgent::new(s))),
    },
    Strategy {
        name: "luckyagent2022",
        source: "Ebrahimnezhad & Nassiri-Mofakham, ANAC 2022 runner-up (NegoLog agents/LuckyAgent2022)",
        summary: "a t^20 band with a sine-shaped floor; a random goal in it, the bid drawn by the opponent model's utility",
        fidelity: Fidelity::Adapted("on spaces above 65,536 outcomes, windows above 2,000: 16 seeded draws resampled by weight instead of the whole window; no learning across sessions, as in NegoLog"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(LuckyAgent2022::new(s))),
    },
    Strategy {
        name: "ahbuneagent",
        source: "Yıldırım, Sunman & Aydoğan, ANAC 2020 winner (GeniusWeb AhBuNeAgent; NegoLog agents/AhBuNeAgent)",
        summary: "available and forbidden values from its ranking under a time-shaped bound; changes few issues of its best, most to the opponent's first offer",
        fidelity: Fidelity::Adapted("the full ranking instead of elicitation; value places estimated on large additive spaces; search loops bounded at 500"),
        params: &[Param {
            name: "negolog",
            ty: ParamType::Flag { default: false },
            help: "NegoLog's port: its constant 3.6015, forbidden counts and inverted forbidden test",
        }],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|p, s| Box::new(AhBuNeAgent::new(p.flag("negolog"), s))),
    },

    // ANAC 2011–2019 champions with NegoLog or GENIUS sources.
    Strategy {
        name: "iamhaggler2012",
        source: "Williams et al., ANAC 2012 finalist (GENIUS IAMhaggler2012; NegoLog agents/IAMhaggler)",
        summary: "a Gaussian process of the opponent's best offer per time slot picks the expected best agreement; the target moves toward it",
        fidelity: Fidelity::Adapted("gp4j's Bayesian Monte Carlo taken as iamhaggler2011's likelihood-weighted mixture on the priors' grid; a uniform draw in the target range instead of 500 tries"),
        params: &[Param {
            name: "negolog_gp",
            ty: ParamType::Flag { default: false },
            help: "fit the GP's hyperparameters by maximum likelihood, as NegoLog's scikit-learn port does",
        }],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|p, s| Box::new(IamHaggler2012::with(p.flag("negolog_gp"), s))),
    },
    Strategy {
        name: "yxagent",
        source: "ANAC 2016 runner-up (GENIUS yxagent/YXAgent; NegoLog agents/YXAgent)",
        summary: "random bids above max(0.7, 1 − 0.1·opponents, rv); after ten turns accepts above the toughest opponent's estimated utility of the offer",
        fidelity: Fidelity::Faithful,
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(YxAgent::new(s))),
    },
    Strategy {
        name: "parscat",
        source: "ANAC 2016 runner-up (GENIUS parscat/ParsCat; NegoLog agents/ParsCat)",
        summary: "random bids in a window that falls with the last offer's time; accepts above a zigzag curve in time",
        fidelity: Fidelity::Faithful,
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(ParsCat::new(s))),
    },
    Strategy {
        name: "rubick",
        source: "Okan Tunalı, ANAC 2017 finalist (GENIUS rubick/Rubick; NegoLog agents/Rubick)",
        summary: "a randomised Boulware target above 0.95 × the best offer received (at least 0.8); bids sharing the opponents' frequent values",
        fidelity: Fidelity::Adapted("single sessions (no history of earlier ones); non-discrete issues counted over candidate values; an issue with no value above the mean draws among its most offered"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(Rubick::new(s))),
    },
    Strategy {
        name: "agentbuyog",
        source: "ANAC 2015 runner-up (GENIUS agentBuyogV2/AgentBuyogMain; NegoLog agents/AgentBuyog)",
        summary: "threshold m + (1 − m)(1 − t^1.8), m = 0.7·df + 0.3·rv (with two opponents, df × the easier one's difficulty), halved in the last three rounds; random bids above it (with two opponents, the one nearest their Kalai estimates)",
        fidelity: Fidelity::Adapted("faithful bilaterally; with two opponents its simplex fit is a standard Nelder–Mead and its Kalai estimate reads at most 10,000 outcomes"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(AgentBuyog::new(s))),
    },
    Strategy {
        name: "agreeableagent2018",
        source: "Sahar Mirzayi, ANAC 2018 winner (GENIUS agreeableagent2018/AgreeableAgent2018)",
        summary: "1 until t = 0.2, then p_min + (p_max − p_min)(1 − t'^10) (floor 0.8); a roulette over the range by frequency-model estimates",
        fidelity: Fidelity::Adapted("ranges of over 20,000 outcomes: the roulette runs over 20,000 uniform draws from the range"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(AgreeableAgent2018::new(s))),
    },
    Strategy {
        name: "mengwan",
        source: "ANAC 2018 runner-up (GENIUS meng_wan/Agent36)",
        summary: "max(0.8 stepping to 0.7, 1 − t⁵); its best outcome with one issue changed; accepts only from t = 0.9",
        fidelity: Fidelity::Adapted("GENIUS as it runs (its ParsAgent-style bid always fails into the catch-all); a uniform draw among values clearing the target instead of 1 ms of tries"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(MengWan::new(s))),
    },
    Strategy {
        name: "sontag",
        source: "ANAC 2018 finalist (GENIUS sontag/Sontag)",
        summary: "accepts above t/2.5 − log₁₀(t/2 + 0.1); random bids between that bound and 1",
        fidelity: Fidelity::Faithful,
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(Sontag::new(s))),
    },
    Strategy {
        name: "kakesoba",
        source: "ANAC 2019 finalist (GENIUS kakesoba/KakeSoba)",
        summary: "offers above 0.85 chosen so that the counts of its offered values mirror its own evaluations; accepts at 0.85",
        fidelity: Fidelity::Adapted("the search over outcomes above 0.85 runs as a bound search on the bidding order; ties to the first in that order; evaluations normalised per issue"),
        params: &[],
        protocols: NEGOTIATOR,
        build: Build::Negotiator(|_, s| Box::new(KakeSoba::new(s))),
    },

    // Voters.
    Strategy {
        name: "hill-climber",
        source: "GENIUS HillClimber (Klein et al. 2003)",
        summary: "accepts a text at least as good as the standing text and walking away",
        fidelity: Fidelity::Faithful,
        params: &[],
        protocols: VOTER,
        build: Build::Voter(|_, s| Box::new(HillClimber::new(s))),
    },
    Strategy {
        name: "annealer",
        source: "GENIUS Annealer (Klein et al. 2003)",
        summary: "accepts a worse text with probability e^((U − U_standing)/T)",
        fidelity: Fidelity::Faithful,
        params: &[Param {
            name: "cooling",
            ty: ParamType::Flag { default: false },
            help: "old AnnealerParty temperature (falling) instead of GENIUS's rising one",
        }],
        protocols: VOTER,
        build: Build::Voter(|p, s| Box::new(Annealer::new(p.flag("cooling"), s))),
    },
    // Mediators.
    Strategy {
        name: "random-flipping",
        source: "GENIUS RandomFlippingMediator",
        summary: "a random text, then the standing text with one random issue changed",
        fidelity: Fidelity::Faithful,
        params: &[],
        protocols: MEDIATOR,
        build: Build::Mediator(|_, s| Box::new(RandomFlipping::new(s))),
    },
    Strategy {
        name: "hill-climbing",
        source: "single-issue neighbourhood search of the one-text procedure (Fisher; Klein et al. 2003)",
        summary: "tries every single-issue change of the standing text; the default mediator",
        fidelity: Fidelity::Definition,
        params: &[],
        protocols: MEDIATOR,
        build: Build::Mediator(|_, s| Box::new(HillClimbing::new(s))),
    },
    Strategy {
        name: "feedback",
        source: "GENIUS FeedbackMediator",
        summary: "changes one issue value at a time and asks better, same or worse",
        fidelity: Fidelity::Faithful,
        params: &[],
        protocols: MEDIATOR,
        build: Build::Mediator(|_, s| Box::new(FeedbackMediator::new(s))),
    },
    Strategy {
        name: "bargaining",
        source: "Nash 1950, Kalai & Smorodinsky 1975; inside options of Binmore, Rubinstein & Wolinsky 1986",
        summary: "drafts the bargaining point of the parties' interests relative to their outside options as stated: an event, a threat or a bluff moves the draft",
        fidelity: Fidelity::Definition,
        params: &[
            Param {
                name: "point",
                ty: ParamType::Choice {
                    default: "nash",
                    options: &["nash", "kalai"],
                },
                help: "the solution it drafts toward: Nash or Kalai–Smorodinsky",
            },
            Param {
                name: "biased",
                ty: ParamType::Flag { default: false },
                help: "count the scenario's mediator party's own stake as one more party's (a biased mediator)",
            },
        ],
        protocols: MEDIATOR,
        build: Build::Mediator(|p, s| {
            let point = match p.choice("point") {
                "kalai" => Point::KalaiSmorodinsky,
                _ => Point::Nash,
            };
            Box::new(BargainingMediator::new(point, p.flag("biased"), s))
        }),
    },
];
