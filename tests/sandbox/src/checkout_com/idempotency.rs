//! `Cko-Idempotency-Key`, as checkout.com documents it: a request with the
//! key and body of an earlier successful one gets that answer again (and
//! nothing new is created); the same key with another request is refused
//! with a 422; a duplicate that arrives while the first is still being
//! processed gets a 429. A failed request saves nothing, so it can be
//! corrected and sent again with the same key.
//!
//! A `delay` fault `during` the request holds it here, with its key in
//! flight, so that a duplicate can be caught meanwhile.

use super::Answer;
use crate::faults::{Fault, FaultKind, When};
use crate::server::{Incoming, Reply};
use crate::Context;
use serde_json::{json, Value};

/// What a key stands for.
pub(super) enum Entry {
    /// The first request with this key is still being processed.
    InFlight,
    /// It succeeded with this answer.
    Done { fingerprint: String, answer: Answer },
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
    {
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
    }
    request.hold(context);
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
    answer
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

/// `POST /sandbox/checkout_com/faults`, the shorthand tests used before
/// the general queue (`POST /sandbox/faults`), for the next POST under
/// `/payments/setups`: `{"delay_ms": 2000}` is a `delay` `during` it (held
/// with its key in flight, then processed), `{"answer_status": 502}` a
/// `status` fault `after` it (processed, then answered with that status
/// and no body, as a gateway in between that lost the answer). One of the
/// two per call.
pub(super) fn queue_fault(request: &Incoming, context: &Context) -> Reply {
    let body = match request.json() {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    let given = |name: &str| body.get(name).filter(|v| !v.is_null());
    let (kind, when) = match (given("delay_ms"), given("answer_status")) {
        (Some(ms), None) => match ms.as_u64() {
            Some(ms) => (FaultKind::Delay { ms }, When::During),
            None => return Reply::errors(422, ["delay_ms must be a whole number".to_string()]),
        },
        (None, Some(status)) => match status.as_u64().and_then(|s| u16::try_from(s).ok()) {
            // An answer lost after the API acted: an error's status only.
            Some(status) if (400..=599).contains(&status) => (
                FaultKind::Status {
                    status,
                    body: Some(String::new()),
                },
                When::After,
            ),
            _ => return Reply::errors(422, ["answer_status must be 400 to 599".to_string()]),
        },
        _ => {
            return Reply::errors(
                422,
                ["give delay_ms or answer_status, one per fault".to_string()],
            )
        }
    };
    match context
        .faults
        .push(Fault::under("POST", "/payments/setups", kind).when(when))
    {
        Ok(pending) => Reply::json(200, json!({ "queued": pending })),
        Err(why) => Reply::errors(422, [why.0]),
    }
}
