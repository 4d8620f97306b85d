//! checkout.com Payment Setups (`/payments/setups`) with the `sequra`
//! payment method, its OAuth token endpoint (`/connect/token`), and the
//! signed webhooks it sends when a payment changes.
//!
//! Like the real API: Bearer auth (the secret key or an OAuth access
//! token), a 401 with an empty body, `Cko-Request-Id` on every answer,
//! errors as `{"request_id", "error_type", "error_codes"}`, ids of the real
//! form (`set_`/`pay_` + 26 base32 characters), and `Cko-Idempotency-Key`:
//! the same key and body answer the first (successful) answer again, the
//! same key with another body is a 422, and a duplicate while the first is
//! still in flight is a 429.
//!
//! The control endpoints under `/sandbox/checkout_com/` play the customer
//! at seQura (approve, decline), register the merchant's webhook URL and
//! let tests look inside; `faults` is a shorthand for the general fault
//! queue.

mod auth;
mod customer;
mod idempotency;
mod ids;
mod setups;

use crate::server::{wrong_method, Incoming, Reply};
use crate::Context;
use serde_json::{json, Value};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard};

/// The account's secret API key (a sandbox key: `sk_sbox_...`).
pub const CHECKOUT_COM_SECRET_KEY: &str = "sk_sbox_sequrasandboxsecretkeyaaaaq";
/// The account's OAuth access key id (client id).
pub const CHECKOUT_COM_CLIENT_ID: &str = "ack_sequrasandboxaccesskeyidaa";
/// The access key's secret (client secret): with the characters that OAuth's
/// form-encoding of Basic credentials changes (RFC 6749, 2.3.1), so that a
/// client that leaves it out is refused, as by a token endpoint that
/// follows the RFC.
pub const CHECKOUT_COM_CLIENT_SECRET: &str = "sandbox+access/key:secret%=";
/// The key the sandbox signs its webhooks with (`Cko-Signature`).
pub const CHECKOUT_COM_WEBHOOK_SECRET: &str = "sandbox-webhook-secret";
/// The account's one processing channel.
pub const CHECKOUT_COM_PROCESSING_CHANNEL_ID: &str = "pc_sequrasandboxchannelaaaaaa";

/// This API's state: setups, payments, tokens, idempotency keys.
#[derive(Default)]
pub(crate) struct State(Mutex<Inner>);

#[derive(Default)]
struct Inner {
    setups: HashMap<String, setups::Setup>,
    payments: HashMap<String, setups::Payment>,
    /// Access tokens issued and not revoked.
    tokens: HashSet<String>,
    tokens_issued: u64,
    idempotency: HashMap<String, idempotency::Entry>,
    /// Where the merchant receives webhooks (registered like in the
    /// Dashboard, here through a control endpoint).
    webhook_url: Option<String>,
}

impl State {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A worker that panicked mid-update left no state worth serving.
        self.0
            .lock()
            .expect("the checkout.com lock is not poisoned")
    }
}

/// What a handler answers: a status and a JSON body, or none. Kept whole
/// so that an idempotency key can answer it again.
#[derive(Clone, Debug)]
struct Answer {
    status: u16,
    body: Option<Value>,
}

impl Answer {
    fn json(status: u16, body: Value) -> Answer {
        Answer {
            status,
            body: Some(body),
        }
    }

    fn empty(status: u16) -> Answer {
        Answer { status, body: None }
    }

    /// checkout.com's error body; `request_id` is filled in when sent.
    fn error(status: u16, error_type: &str, codes: &[&str]) -> Answer {
        Answer::json(
            status,
            json!({"request_id": "", "error_type": error_type, "error_codes": codes}),
        )
    }

    /// 422 `request_invalid` with the codes of every problem.
    fn invalid(codes: Vec<String>) -> Answer {
        Answer::json(
            422,
            json!({"request_id": "", "error_type": "request_invalid", "error_codes": codes}),
        )
    }

    /// The reply, with `Cko-Request-Id` (also in an error body).
    fn reply(mut self, request_id: &str) -> Reply {
        if let Some(Value::Object(body)) = &mut self.body {
            if body.contains_key("error_type") {
                body.insert("request_id".into(), json!(request_id));
            }
        }
        let reply = match self.body {
            Some(body) => Reply::json(self.status, body),
            None => Reply::empty(self.status),
        };
        reply.with_header("Cko-Request-Id", request_id.to_string())
    }
}

/// The API's endpoints; `None` when no route matches.
pub(crate) fn api(segments: &[&str], request: &Incoming, context: &Arc<Context>) -> Option<Reply> {
    let request_id = ids::new_uuid();
    let method = request.method.as_str();
    let refuse_method = |allowed: &str| {
        wrong_method(request, allowed).with_header("Cko-Request-Id", request_id.clone())
    };
    if segments == ["connect", "token"] {
        return Some(match method {
            "POST" => auth::token(request, context).reply(&request_id),
            _ => refuse_method("POST"),
        });
    }
    let known = matches!(
        segments,
        ["payments", "setups"]
            | ["payments", "setups", _]
            | ["payments", "setups", _, "confirm", _]
            | ["payments", _]
    );
    if !known {
        // Like the real API: a path it does not serve is an empty 404.
        return Some(Answer::empty(404).reply(&request_id));
    }
    // The real API asks for credentials before it looks at anything else.
    if !auth::authorized(request, context) {
        return Some(Answer::empty(401).reply(&request_id));
    }
    let answer = match segments {
        ["payments", "setups"] => match method {
            "POST" => idempotency::once(request, context, || setups::create(request, context)),
            _ => return Some(refuse_method("POST")),
        },
        ["payments", "setups", id] => match method {
            "GET" => setups::get(id, context),
            "PUT" => setups::update(id, request, context),
            _ => return Some(refuse_method("GET, PUT")),
        },
        ["payments", "setups", id, "confirm", payment_method] => match method {
            "POST" => idempotency::once(request, context, || {
                setups::confirm(id, payment_method, context)
            }),
            _ => return Some(refuse_method("POST")),
        },
        ["payments", id] => match method {
            "GET" => setups::payment(id, context),
            _ => return Some(refuse_method("GET")),
        },
        _ => return None,
    };
    Some(answer.reply(&request_id))
}

/// `/sandbox/checkout_com/...` (segments after `checkout_com`): what the
/// customer at seQura, the merchant's Dashboard and the tests do. No auth:
/// these are not part of checkout.com's API.
pub(crate) fn control(
    segments: &[&str],
    request: &Incoming,
    context: &Arc<Context>,
) -> Option<Reply> {
    let method = request.method.as_str();
    Some(match segments {
        ["webhook"] => match method {
            "PUT" | "POST" => customer::register_webhook(request, context),
            "DELETE" => customer::forget_webhook(context),
            _ => wrong_method(request, "PUT, DELETE"),
        },
        ["faults"] => match method {
            "POST" => idempotency::queue_fault(request, context),
            _ => wrong_method(request, "POST"),
        },
        ["oauth"] => match method {
            "GET" => auth::inspect(context),
            _ => wrong_method(request, "GET"),
        },
        ["oauth", "expire"] => match method {
            "POST" => auth::expire(context),
            _ => wrong_method(request, "POST"),
        },
        ["setups"] => match method {
            "GET" => customer::list_setups(context),
            _ => wrong_method(request, "GET"),
        },
        ["payments", id] => match method {
            "GET" => customer::inspect_payment(id, context),
            _ => wrong_method(request, "GET"),
        },
        ["payments", id, outcome @ ("approve" | "decline")] => match method {
            "POST" => customer::finish(id, outcome, request, context),
            _ => wrong_method(request, "POST"),
        },
        ["sequra", "checkout", partner_payment_id] => match method {
            "GET" => customer::checkout_page(partner_payment_id, context),
            _ => wrong_method(request, "GET"),
        },
        _ => return None,
    })
}
