//! Paysera Checkout (the Paysera document, docs/apis.md): payment requests under
//! `/checkout/rest/v1`, the Event Notification API under
//! `/notification/rest/v1`, MAC authentication on every request
//! ([`mac`]), and the callbacks Paysera posts to a payment request's
//! `callback_url`.
//!
//! A payment request moves `new` → `authorized` (the shopper paid, or a
//! token authorized it) → `captured`; `new` or `authorized` → `canceled`.
//! Nothing else: any other move is 409 `invalid_state`. Every move makes a
//! notification (`payment_request.authorized`, `.captured`, `.canceled`)
//! and POSTs `notification_id=...` to the `callback_url` (loopback only).
//!
//! Errors are Paysera's body `{"error", "error_description", "errors":
//! [{"code", "message", "field"}]}`: 400 `invalid_request` (not a JSON
//! object) and `invalid_parameters` (every field problem at once), 401
//! `unauthorized` (the MAC), 404 `not_found`, 405, 409 `invalid_state` and
//! `conflict` (an `order_id` used twice), 422 `invalid_token`.
//!
//! Control endpoints under `/sandbox/paysera/` (no MAC: not Paysera's):
//! - `GET  payment-requests/{id}/pay` the payment page `authorization_url`
//!   points at; `POST` it (`?wait=true` to wait for the callback) to pay
//!   as the shopper: `new` → `authorized`, with an `issued_token` when the
//!   request has `token_strategy: required`.
//! - `GET  payment-requests/{id}`: the request, its notifications and
//!   every callback attempt.
//! - `GET  notifications/{id}`, `POST notifications/{id}/resend[?wait=true]`
//!   (Paysera repeats an unread notification's callback; 409 once read).
//! - `notification/rest/v1/...`: the Event Notification API itself (MAC
//!   checked), until the server routes `/notification/` here.

mod mac;
mod payment_requests;

use crate::notify::{Delivery, Notification};
use crate::server::{Incoming, Reply};
use crate::Context;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub use mac::WINDOW_SECONDS as PAYSERA_MAC_WINDOW_SECONDS;

/// The MAC id the sandbox knows (its only client).
pub const PAYSERA_MAC_ID: &str = "sandbox-mac-id";
/// The MAC secret of [`PAYSERA_MAC_ID`].
pub const PAYSERA_MAC_SECRET: &str = "sandbox-mac-secret-4f7d2c9a1b";
/// The business payment requests must name (`business_id`).
pub const PAYSERA_BUSINESS_ID: &str = "sandbox-business";

/// How long `pay?wait=true` and `resend?wait=true` wait for the shop to
/// answer the callback (longer than the notification's own timeout).
const CALLBACK_WAIT: Duration = Duration::from_secs(10);

/// One payment request as the sandbox holds it.
struct PaymentRequest {
    /// The whole resource as the API answers it (`id`, `status`, ...).
    body: Value,
    /// Its notifications' ids, oldest first.
    notifications: Vec<String>,
}

impl PaymentRequest {
    fn status(&self) -> &str {
        self.body["status"].as_str().unwrap_or_default()
    }
}

/// A notification of the Event Notification API, and every attempt to
/// deliver its callback.
struct Note {
    /// `{"id", "status", "event", "data": {"payment_request"}, "created_at"}`
    body: Value,
    callback_url: String,
    deliveries: Vec<Value>,
}

/// What the Paysera API holds, behind one lock.
#[derive(Default)]
pub(crate) struct Inner {
    requests: HashMap<String, PaymentRequest>,
    /// Each request's `order_id` → its id, for the duplicate check without
    /// a look at every request.
    order_ids: HashMap<String, String>,
    notes: HashMap<String, Note>,
    /// Issued tokens → the payer's email they were issued to.
    tokens: HashMap<String, String>,
    /// `mac_id\nnonce` → its `ts`, for as long as it could be replayed.
    nonces: HashMap<String, u64>,
}

/// This API's state.
#[derive(Default)]
pub(crate) struct State(Mutex<Inner>);

impl State {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A worker that panicked mid-update left no state worth serving.
        self.0.lock().expect("the paysera lock is not poisoned")
    }
}

/// Paysera's error body.
pub(crate) fn error(status: u16, code: &str, description: &str, errors: Vec<Value>) -> Reply {
    Reply::json(
        status,
        json!({"error": code, "error_description": description, "errors": errors}),
    )
}

/// One entry of `errors`.
pub(crate) fn field_error(field: &str, code: &str, message: impl Into<String>) -> Value {
    json!({"code": code, "message": message.into(), "field": field})
}

fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// The API's endpoints (`/checkout/...` and `/notification/...`): the MAC
/// first, then the route.
pub(crate) fn api(segments: &[&str], request: &Incoming, context: &Arc<Context>) -> Option<Reply> {
    Some(authenticated(segments, request, context))
}

fn authenticated(segments: &[&str], request: &Incoming, context: &Arc<Context>) -> Reply {
    if let Err(reply) = mac::verify(request, &context.paysera, now()) {
        return reply;
    }
    let method = request.method.as_str();
    let allow = |allowed: &str, handler: &dyn Fn() -> Reply| {
        if method == allowed {
            handler()
        } else {
            error(
                405,
                "not_found",
                &format!("{method} is not allowed on {}; use {allowed}", request.path),
                Vec::new(),
            )
            .with_header("Allow", allowed.into())
        }
    };
    match segments {
        ["checkout", "rest", "v1", "payment-requests"] => {
            allow("POST", &|| payment_requests::create(request, context))
        }
        ["checkout", "rest", "v1", "payment-requests", id] => {
            allow("GET", &|| payment_requests::get(id, context))
        }
        ["checkout", "rest", "v1", "payment-requests", id, action @ ("authorize" | "capture" | "cancel")] => {
            allow("PUT", &|| {
                payment_requests::act(id, action, request, context)
            })
        }
        ["notification", "rest", "v1", "notifications", id] => {
            allow("GET", &|| notification(id, false, context))
        }
        ["notification", "rest", "v1", "notifications", id, "read"] => {
            allow("PUT", &|| notification(id, true, context))
        }
        _ => error(
            404,
            "not_found",
            &format!("Provided url not found: {}", request.path),
            Vec::new(),
        ),
    }
}

/// `GET /notification/rest/v1/notifications/{id}` → the notification;
/// `PUT .../{id}/read` → marked read (again is fine).
fn notification(id: &str, mark_read: bool, context: &Context) -> Reply {
    let mut inner = context.paysera.lock();
    let Some(note) = inner.notes.get_mut(id) else {
        return error(
            404,
            "not_found",
            &format!("Notification {id} not found"),
            Vec::new(),
        );
    };
    if mark_read {
        note.body["status"] = json!("read");
    }
    Reply::json(200, note.body.clone())
}

/// `/sandbox/paysera/...`: what the shopper and the tests do.
pub(crate) fn control(
    segments: &[&str],
    request: &Incoming,
    context: &Arc<Context>,
) -> Option<Reply> {
    let method = request.method.as_str();
    let wait = request.query("wait") == Some("true");
    Some(match (method, segments) {
        ("GET", ["payment-requests", id, "pay"]) => payment_requests::page(id, context),
        ("POST", ["payment-requests", id, "pay"]) => payment_requests::pay(id, wait, context),
        ("GET", ["payment-requests", id]) => payment_requests::inspect(id, context),
        ("GET", ["notifications", id]) => inspect_notification(id, context),
        ("POST", ["notifications", id, "resend"]) => resend(id, wait, context),
        _ => return None,
    })
}

/// Makes the notification of `event` about the payment request `id` (as
/// it is now) and returns its id and the callback to post, or `None` when
/// the request has no `callback_url`. Call with the lock held; send after
/// releasing it.
fn notify(inner: &mut Inner, id: &str, event: &str) -> Option<(String, Notification)> {
    let request = inner.requests.get_mut(id)?;
    let note_id = payment_requests::new_id(24);
    let callback_url = request.body["callback_url"].as_str()?.to_string();
    let body = json!({
        "id": note_id,
        "status": "new",
        "event": event,
        "data": {"payment_request": request.body.clone()},
        "created_at": now(),
    });
    request.notifications.push(note_id.clone());
    inner.notes.insert(
        note_id.clone(),
        Note {
            body,
            callback_url: callback_url.clone(),
            deliveries: Vec::new(),
        },
    );
    let callback = callback(&note_id, &callback_url);
    Some((note_id, callback))
}

/// Paysera's callback: a form post of the notification's id only.
fn callback(note_id: &str, url: &str) -> Notification {
    Notification::form(url, &[("notification_id".into(), note_id.into())])
}

/// Posts `callback` from a thread of its own, recording the outcome on the
/// notification; with `wait`, returns the outcome once the shop answered.
fn deliver(note_id: &str, callback: Notification, wait: bool, context: &Arc<Context>) -> Value {
    let context = Arc::clone(context);
    let id = note_id.to_string();
    let delivered = callback.send_in_background(move |callback, delivery| {
        let mut record = delivery.to_json();
        record["url"] = json!(callback.url);
        if let Some(note) = context.paysera.lock().notes.get_mut(&id) {
            note.deliveries.push(record);
        }
    });
    if !wait {
        return json!({"status": null, "error": null, "pending": true});
    }
    delivered
        .recv_timeout(CALLBACK_WAIT)
        .unwrap_or_else(|_| Delivery {
            status: None,
            error: Some("the shop did not answer in time".into()),
        })
        .to_json()
}

/// `GET /sandbox/paysera/notifications/{id}`.
fn inspect_notification(id: &str, context: &Context) -> Reply {
    let inner = context.paysera.lock();
    match inner.notes.get(id) {
        Some(note) => Reply::json(200, note_json(note)),
        None => error(
            404,
            "not_found",
            &format!("Notification {id} not found"),
            Vec::new(),
        ),
    }
}

fn note_json(note: &Note) -> Value {
    json!({
        "notification": note.body,
        "callback_url": note.callback_url,
        "deliveries": note.deliveries,
    })
}

/// `POST /sandbox/paysera/notifications/{id}/resend`: Paysera calls back
/// again while a notification is unread; once read, never (409).
fn resend(id: &str, wait: bool, context: &Arc<Context>) -> Reply {
    let callback = {
        let inner = context.paysera.lock();
        let Some(note) = inner.notes.get(id) else {
            return error(
                404,
                "not_found",
                &format!("Notification {id} not found"),
                Vec::new(),
            );
        };
        if note.body["status"] == "read" {
            return error(
                409,
                "invalid_state",
                "The notification is read: Paysera no longer calls back for it",
                Vec::new(),
            );
        }
        callback(id, &note.callback_url)
    };
    let delivery = deliver(id, callback, wait, context);
    Reply::json(200, json!({"notification_id": id, "callback": delivery}))
}
