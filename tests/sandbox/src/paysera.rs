//! Paysera Checkout payment requests under `/checkout/rest/v1`.

use crate::server::{Incoming, Reply};
use crate::Context;
use std::sync::Arc;

/// This API's state.
#[derive(Default)]
pub(crate) struct State;

/// The API's endpoints; `None` when no route matches.
pub(crate) fn api(
    _segments: &[&str],
    _request: &Incoming,
    _context: &Arc<Context>,
) -> Option<Reply> {
    None
}

/// The sandbox's control endpoints for this API, under `/sandbox/paysera/`.
pub(crate) fn control(
    _segments: &[&str],
    _request: &Incoming,
    _context: &Arc<Context>,
) -> Option<Reply> {
    None
}
