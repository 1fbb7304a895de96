//! zopa-forecast: stakeholder models that forecast how positions move.
//!
//! [`smp`] is KTAB's Spatial Model of Politics with its default options (Prop votes, Linear
//! victory probabilities, Conditional PCE, Deterministic transitions, BigRRange Mid, BigRAdjust
//! OneThird, SemiCommit third parties, S2P2 bargains from the initiator's view), as described in
//! `../shared/notes/forecasting.md` §1.2. [`ktab`] reads KTAB's CSV inputs.

pub mod eum;
pub mod ktab;
pub mod native;
pub mod smp;
