//! zopa-forecast: stakeholder models that forecast how positions move.
//!
//! [`smp`] is KTAB's Spatial Model of Politics with every option its XML names (defaults:
//! Prop votes, Linear victory probabilities, Conditional PCE, Deterministic transitions,
//! BigRRange Mid, BigRAdjust OneThird, SemiCommit third parties, S2P2 bargains from the
//! initiator's view), as described in `../shared/notes/forecasting.md` §1.2 and computed by
//! KTAB's source. [`ktab`] reads KTAB's CSV and XML inputs, [`native`] zopa scenarios, and
//! [`eum`] is the expected-utility model.

pub mod eum;
pub mod ktab;
pub mod native;
pub mod smp;
