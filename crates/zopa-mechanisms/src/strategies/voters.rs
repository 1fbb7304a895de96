//! Voters for the single-text protocol: GENIUS `parties/HillClimber.java` and `Annealer.java`
//! (Klein, Faratin, Sayama & Bar-Yam 2003).

use rand::RngExt;

use crate::protocols::mediated::{Feedback, TextView, Voter};
use crate::session::{Outcome, Setup};

/// Feedback both voters give: the text against the previous one, by own utility.
fn compare(setup: &Setup, view: &TextView<'_>, text: &Outcome) -> Feedback {
    let Some(prev) = view.previous else {
        return Feedback::Better;
    };
    let (now, before) = (setup.utility_of(text), setup.utility_of(prev));
    if now > before {
        Feedback::Better
    } else if now < before {
        Feedback::Worse
    } else {
        Feedback::Same
    }
}

/// Accepts a text iff it is at least as good as the standing text and as walking away.
pub struct HillClimber {
    setup: Setup,
}

impl HillClimber {
    pub fn new(setup: &Setup) -> HillClimber {
        HillClimber {
            setup: setup.clone(),
        }
    }
}

impl Voter for HillClimber {
    fn vote(&mut self, view: &TextView<'_>, text: &Outcome) -> bool {
        let s = &self.setup;
        let u = s.utility_of(text);
        u >= view.reservation && view.standing.is_none_or(|acc| u >= s.utility_of(acc))
    }

    fn feedback(&mut self, view: &TextView<'_>, text: &Outcome) -> Feedback {
        compare(&self.setup, view, text)
    }

    fn ratify(&mut self, view: &TextView<'_>, text: &Outcome) -> bool {
        self.setup.utility_of(text) >= view.reservation
    }
}

/// Accepts a better text always, a worse one with probability e^{(U_new − U_standing)/T}.
/// `cooling = false` is current GENIUS: T = max(round/rounds, t), rising over time, so the
/// voter grows more permissive late. `cooling = true` is the older `AnnealerParty`:
/// T = (rounds − round − 1)/rounds, falling.
pub struct Annealer {
    pub cooling: bool,
    setup: Setup,
    rng: crate::Rng,
}

impl Annealer {
    /// GENIUS's rising temperature, or the old falling one when `cooling`.
    pub fn new(cooling: bool, setup: &Setup) -> Annealer {
        Annealer {
            cooling,
            rng: crate::rng(setup.seed, 1),
            setup: setup.clone(),
        }
    }

    fn temperature(&self, view: &TextView<'_>) -> f64 {
        let total = f64::from(view.rounds.unwrap_or(0).max(1));
        let r = f64::from(view.round);
        if self.cooling {
            (total - r - 1.0) / total
        } else {
            (r / total).max(view.time)
        }
    }
}

impl Voter for Annealer {
    fn vote(&mut self, view: &TextView<'_>, text: &Outcome) -> bool {
        let temperature = self.temperature(view);
        let s = &self.setup;
        let u = s.utility_of(text);
        let Some(acc) = view.standing else {
            return u >= view.reservation;
        };
        let ua = s.utility_of(acc);
        if u >= ua {
            return true;
        }
        let p = if temperature > 0.0 {
            ((u - ua) / temperature).exp()
        } else {
            0.0
        };
        self.rng.random::<f64>() < p
    }

    fn feedback(&mut self, view: &TextView<'_>, text: &Outcome) -> Feedback {
        compare(&self.setup, view, text)
    }

    fn ratify(&mut self, view: &TextView<'_>, text: &Outcome) -> bool {
        self.setup.utility_of(text) >= view.reservation
    }
}
