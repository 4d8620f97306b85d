//! `Cko-Idempotency-Key`, as checkout.com documents it: a request with the
//! key and body of an earlier successful one gets that answer again (and
//! nothing new is created); the same key with another request is refused
//! with a 422; a duplicate that arrives while the first is still being
//! processed gets a 429. A failed request saves nothing, so it can be
//! corrected and sent again with the same key.
//!
//! Also the faults tests queue for the next POST: a slow answer (to be
//! caught in flight) or a lost one (processed, then answered with an
//! error, as a gateway in between would).

use super::Answer;
use crate::server::{Incoming, Reply};
use crate::Context;
use serde_json::{json, Value};
use std::time::Duration;

/// What a key stands for.
pub(super) enum Entry {
    /// The first request with this key is still being processed.
    InFlight,
    /// It succeeded with this answer.
    Done { fingerprint: String, answer: Answer },
}

/// One fault for the next idempotent POST.
pub(super) struct Fault {
    /// Held this long (with its key in flight) before it is processed.
    delay: Duration,
    /// Processed, then answered with this status instead of its own.
    status: Option<u16>,
}

/// Runs `handle` at most once per idempotency key and request.
pub(super) fn once(
    request: &Incoming,
    context: &Context,
    handle: impl FnOnce() -> Answer,
) -> Answer {
    let key = request
        .header("cko-idempotency-key")
        .map(str::trim)
        .filter(|k| !k.is_empty())
        .map(str::to_string);
    let fingerprint = fingerprint(request);
    let fault = {
        let mut state = context.checkout_com.lock();
        if let Some(key) = &key {
            match state.idempotency.get(key) {
                Some(Entry::InFlight) => {
                    return Answer::error(
                        429,
                        "too_many_requests",
                        &["duplicate_request_in_progress"],
                    )
                }
                Some(Entry::Done {
                    fingerprint: first,
                    answer,
                }) => {
                    return if *first == fingerprint {
                        answer.clone()
                    } else {
                        Answer::error(422, "request_invalid", &["idempotency_key_reused"])
                    };
                }
                None => {
                    state.idempotency.insert(key.clone(), Entry::InFlight);
                }
            }
        }
        state.faults.pop_front()
    };
    if let Some(fault) = &fault {
        std::thread::sleep(fault.delay);
    }
    let answer = handle();
    if let Some(key) = key {
        let mut state = context.checkout_com.lock();
        if (200..300).contains(&answer.status) {
            let done = Entry::Done {
                fingerprint,
                answer: answer.clone(),
            };
            state.idempotency.insert(key, done);
        } else {
            state.idempotency.remove(&key);
        }
    }
    match fault.and_then(|f| f.status) {
        Some(status) => Answer::empty(status),
        None => answer,
    }
}

/// The request as the key must find it again: method, path and body (as
/// JSON, so that key order and spacing do not matter).
fn fingerprint(request: &Incoming) -> String {
    let body = match serde_json::from_slice::<Value>(&request.body) {
        Ok(value) => value.to_string(),
        Err(_) => String::from_utf8_lossy(&request.body).into_owned(),
    };
    format!("{} {} {body}", request.method, request.path)
}

/// `POST /sandbox/checkout_com/faults` with `{"delay_ms": 2000}` (hold the
/// next POST that long before processing it) and/or `{"answer_status":
/// 502}` (process it, then answer this instead). One fault per call, for
/// one POST each, in order.
pub(super) fn queue_fault(request: &Incoming, context: &Context) -> Reply {
    let body = match request.json() {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    let delay = match body.get("delay_ms") {
        None | Some(Value::Null) => Duration::ZERO,
        Some(ms) => match ms.as_u64().filter(|ms| *ms <= 30_000) {
            Some(ms) => Duration::from_millis(ms),
            None => return Reply::errors(422, ["delay_ms must be 0 to 30000".to_string()]),
        },
    };
    let status = match body.get("answer_status") {
        None | Some(Value::Null) => None,
        Some(status) => match status.as_u64().filter(|s| (400..600).contains(s)) {
            Some(status) => Some(status as u16),
            None => return Reply::errors(422, ["answer_status must be 400 to 599".to_string()]),
        },
    };
    let mut state = context.checkout_com.lock();
    state.faults.push_back(Fault { delay, status });
    Reply::json(200, json!({"queued": state.faults.len()}))
}
