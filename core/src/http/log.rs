//! The library's log records: one facade, the `log` crate (target
//! `"sequra"`), so a Rust program gets them with any logger; and sinks, for
//! the skins: a client's own ([`crate::Connection::logger`]) or the
//! process-wide one ([`set_global_sink`], what the C API's
//! `sq_set_log_callback` sets).
//!
//! What is recorded: each HTTP exchange once at [`Level::Debug`] (method,
//! path, status, milliseconds, attempt, the server's request id; never the
//! host's credentials nor the query string), each retry at
//! [`Level::Warning`] with why, each failed call at [`Level::Error`] with
//! its kind and `may_have_acted`. Bodies only when the connection says
//! `log_bodies`, and then only JSON, with the customer's personal fields
//! and every credential masked ([`PERSONAL_KEYS`], [`SECRET_KEYS`]).
//!
//! A sink runs on the calling thread, inside the call: it must be quick.
//! A sink that panics loses that record (counted by [`dropped_records`])
//! and the call goes on; no lock is held while it runs, so it may call the
//! library again.

use super::fork::ForkLock;
use crate::redact::{Masks, Secret};
use crate::validate::url;
use serde_json::{Map, Value};
use std::fmt;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;

/// The `log` crate target of every record.
pub const TARGET: &str = "sequra";

/// How much a record matters, with PSR-3's names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    Error,
    Warning,
    Info,
    Debug,
}

impl Level {
    /// `"error"`, `"warning"`, `"info"` or `"debug"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
            Level::Debug => "debug",
        }
    }

    fn facade(self) -> ::log::Level {
        match self {
            Level::Error => ::log::Level::Error,
            Level::Warning => ::log::Level::Warn,
            Level::Info => ::log::Level::Info,
            Level::Debug => ::log::Level::Debug,
        }
    }
}

/// Receives the library's records. `context` holds the record's fields
/// (e.g. `method`, `path`, `status`, `ms`, `attempt`), never a secret.
pub trait Sink: Send + Sync {
    fn log(&self, level: Level, message: &str, context: &Map<String, Value>);
}

static GLOBAL: ForkLock<Option<Arc<dyn Sink>>> = ForkLock::new_static(None);
/// Whether [`GLOBAL`] holds a sink, read without the lock on every record.
static HAS_GLOBAL: AtomicBool = AtomicBool::new(false);
static DROPPED: AtomicU64 = AtomicU64::new(0);

/// Sets (or, with `None`, removes) the sink of every client that has no
/// sink of its own.
pub fn set_global_sink(sink: Option<Arc<dyn Sink>>) {
    // (Not in a forked child whose parent's thread held it at the fork:
    // there the sink stays as it was.)
    if let Some(mut global) = GLOBAL.lock() {
        HAS_GLOBAL.store(sink.is_some(), Ordering::Release);
        *global = sink;
    }
}

/// How many records were lost because a sink (or the `log` logger)
/// panicked while taking them.
pub fn dropped_records() -> u64 {
    DROPPED.load(Ordering::Relaxed)
}

fn global_sink() -> Option<Arc<dyn Sink>> {
    if !HAS_GLOBAL.load(Ordering::Acquire) {
        return None;
    }
    GLOBAL.lock()?.clone()
}

/// Where one client's records go.
#[derive(Clone, Default)]
pub(crate) struct Logger {
    sink: Option<Arc<dyn Sink>>,
    /// Whether debug records carry the (masked) JSON bodies.
    pub bodies: bool,
}

impl fmt::Debug for Logger {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Logger")
            .field("sink", &self.sink.is_some())
            .field("bodies", &self.bodies)
            .finish()
    }
}

impl Logger {
    pub fn new(sink: Option<Arc<dyn Sink>>, bodies: bool) -> Logger {
        Logger { sink, bodies }
    }

    /// Whether a record at `level` goes anywhere: building one costs.
    pub fn enabled(&self, level: Level) -> bool {
        self.sink.is_some()
            || HAS_GLOBAL.load(Ordering::Acquire)
            || ::log::log_enabled!(target: TARGET, level.facade())
    }

    /// Sends one record to the `log` facade and to the sink.
    pub fn record(&self, level: Level, message: &str, context: &Map<String, Value>) {
        if ::log::log_enabled!(target: TARGET, level.facade()) {
            guarded(
                || ::log::log!(target: TARGET, level.facade(), "{message} {}", Fields(context)),
            );
        }
        if let Some(sink) = self.sink.clone().or_else(global_sink) {
            guarded(|| sink.log(level, message, context));
        }
    }
}

/// Runs `f`, counting a panic as a dropped record instead of unwinding
/// into the payment call, and outside the call's deadline: a logger that
/// calls the library makes calls of its own (`deadline::outside`).
fn guarded(f: impl FnOnce()) {
    if super::deadline::outside(|| catch_unwind(AssertUnwindSafe(f))).is_err() {
        DROPPED.fetch_add(1, Ordering::Relaxed);
    }
}

/// The fields as one JSON object, written only when the facade asks.
struct Fields<'a>(&'a Map<String, Value>);

impl fmt::Display for Fields<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text = serde_json::to_string(self.0).map_err(|_| fmt::Error)?;
        f.write_str(&text)
    }
}

/// Keys whose values are never logged, at any depth: credentials, tokens,
/// signatures.
pub const SECRET_KEYS: &[&str] = &[
    "access_token",
    "api_key",
    "authorization",
    "client_secret",
    "id_token",
    "issued_token",
    "mac",
    "mac_secret",
    "password",
    "refresh_token",
    "secret",
    "secret_key",
    "signature",
    "token",
    "webhook_secret",
];

/// The customer's personal data as these APIs' payloads name it (seQura's
/// order and POS payloads, checkout.com's payment setups, Paysera's payment
/// requests): masked at any depth. Everything below a key of
/// [`PERSONAL_OBJECTS`] is masked as well.
pub const PERSONAL_KEYS: &[&str] = &[
    "address_line1",
    "address_line2",
    "address_line_1",
    "address_line_2",
    // POS orders keep the customer's address at the top level.
    "city",
    "date_of_birth",
    "dob",
    "email",
    "given_name",
    "given_names",
    "iban",
    "ip_number",
    "mobile_phone",
    "nin",
    "phone",
    "plaque",
    "postal_code",
    "sms_mobile_phone",
    "surnames",
    "vat_number",
    "zip",
];

/// Whether `key` (lower case) names a personal field: its value is masked
/// in logs and never quoted in a problem.
pub fn is_personal(key: &str) -> bool {
    PERSONAL_KEYS.contains(&key)
}

/// Objects that describe the customer: every value below them is masked
/// (names, addresses, phones, previous orders), whatever its key.
pub const PERSONAL_OBJECTS: &[&str] = &[
    "address",
    "billing",
    "customer",
    "customer_data",
    "delivery_address",
    "invoice_address",
    "joint_customer",
    "payer",
    "shipping",
];

const MASK: &str = "***";

/// A body as a debug record shows it: JSON with personal fields and
/// credentials masked, URLs without their query, and the request's own
/// credentials (`masks`) wherever a server echoed them; anything else only
/// by its size.
pub(crate) fn masked_body(bytes: &[u8], masks: &Masks) -> Value {
    masked_json(bytes, masks)
        .unwrap_or_else(|| Value::String(format!("({} bytes, not JSON)", bytes.len())))
}

/// [`masked_body`] of a body that is JSON; `None` for one that is not.
pub(crate) fn masked_json(bytes: &[u8], masks: &Masks) -> Option<Value> {
    let mut value = serde_json::from_slice::<Value>(bytes).ok()?;
    mask(&mut value, false, masks);
    Some(value)
}

/// The personal values a JSON request body carries (the strings of its
/// personal fields, [`is_personal`]), as masks for what the server answers
/// to it: a refusal may quote the customer ("email nisse@example.com is
/// taken"), and its words reach the error and the shop's log. Not all that
/// [`masked_body`] masks under a personal object: a customer's
/// `logged_in: "unknown"` or `language_code` would mask ordinary words of
/// a message. A value of several words gives each word too: a server may
/// quote the surname alone.
pub(crate) fn personal_values(bytes: &[u8]) -> Vec<Secret> {
    fn collect(value: &Value, personal: bool, into: &mut Vec<Secret>) {
        match value {
            Value::Object(map) => {
                for (key, value) in map {
                    let personal = personal || is_personal(&key.to_ascii_lowercase());
                    collect(value, personal, into);
                }
            }
            Value::Array(items) => items.iter().for_each(|item| collect(item, personal, into)),
            Value::String(text) if personal => {
                into.push(Secret::new(text.as_str()));
                if text.split_whitespace().nth(1).is_some() {
                    into.extend(text.split_whitespace().map(Secret::new));
                }
            }
            _ => {}
        }
    }
    let mut values = Vec::new();
    if let Ok(body) = serde_json::from_slice::<Value>(bytes) {
        collect(&body, false, &mut values);
    }
    values
}

fn mask(value: &mut Value, personal: bool, masks: &Masks) {
    match value {
        Value::Object(map) => {
            // A key may echo a credential too: such a member is renamed.
            let echoed: Vec<String> = map
                .keys()
                .filter(|k| masks.mask(k).is_some())
                .cloned()
                .collect();
            for key in echoed {
                if let Some(value) = map.remove(&key) {
                    map.insert(masks.mask(&key).unwrap_or_default(), value);
                }
            }
            for (key, value) in map.iter_mut() {
                let key = key.to_ascii_lowercase();
                let key = key.as_str();
                if SECRET_KEYS.contains(&key) || is_personal(key) {
                    *value = Value::String(MASK.into());
                } else {
                    mask(value, personal || PERSONAL_OBJECTS.contains(&key), masks);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| mask(item, personal, masks)),
        Value::String(_) | Value::Number(_) if personal => *value = Value::String(MASK.into()),
        Value::String(text) => {
            if let Some(masked) = masks.mask(text) {
                *text = masked;
            }
            // A link may carry a one-time token in its query or fragment.
            if url::has_http_scheme(text) {
                *text = url::masked_url(text);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_personal_values_of_a_body_are_those_it_masks() {
        let body = json!({
            "customer": {"given_names": "Maria", "surnames": "Barroso Rajoy", "logged_in": true, "previous_orders": [{"amount": 4656}]},
            "delivery_address": {"city": "Barcelona", "postal_code": "08001"},
            "cart": {"items": [{"name": "Leather Case", "price_with_tax": 3030}]},
            "Email": "nisse@example.com",
        });
        let values: Vec<String> = personal_values(body.to_string().as_bytes())
            .iter()
            .map(|s| s.expose().to_string())
            .collect();
        assert_eq!(
            values,
            [
                "nisse@example.com",
                "Maria",
                "Barroso Rajoy",
                "Barroso",
                "Rajoy",
                "Barcelona",
                "08001"
            ]
        );
        let unknown = json!({"customer": {"logged_in": "unknown", "language_code": "es-ES"}});
        assert!(personal_values(unknown.to_string().as_bytes()).is_empty());
        assert!(personal_values(b"grant_type=client_credentials").is_empty());
    }

    #[test]
    fn personal_fields_and_credentials_are_masked_at_any_depth() {
        let body = json!({
            "customer": {"given_names": "Maria", "logged_in": true, "previous_orders": [{"amount": 1}]},
            "cart": {"items": [{"name": "Leather Case", "price_with_tax": 3030}]},
            "access_token": "tok-123",
            "Email": "a@b.c",
            "_links": {"redirect": {"href": "https://pay.example/s?token=abc"}},
            "return": "HTTPS://user:pw@shop.example/back#access_token=abc"
        });
        let masked = masked_body(body.to_string().as_bytes(), &Masks::default());
        assert_eq!(masked["customer"]["given_names"], MASK);
        assert_eq!(masked["customer"]["logged_in"], true);
        assert_eq!(masked["customer"]["previous_orders"][0]["amount"], MASK);
        assert_eq!(masked["cart"]["items"][0]["name"], "Leather Case");
        assert_eq!(masked["access_token"], MASK);
        assert_eq!(masked["Email"], MASK);
        assert_eq!(
            masked["_links"]["redirect"]["href"],
            "https://pay.example/s?***"
        );
        assert_eq!(masked["return"], "HTTPS://***@shop.example/back#***");
        assert_eq!(
            masked_body(b"<html>", &Masks::default()),
            json!("(6 bytes, not JSON)")
        );
    }

    /// A POS order has no customer object: each of its personal fields
    /// is masked by its own name.
    #[test]
    fn a_pos_orders_top_level_customer_fields_are_masked() {
        let body = json!({
            "merchant": {"id": "merchant_1", "store_ref": "store_1"},
            "reference": "pos_1234", "mobile_phone": "+34666123456",
            "given_names": "María", "surnames": "García López",
            "date_of_birth": "1990-01-01", "nin": "12345678A",
            "address": "Calle Mayor 1", "postal_code": "08001", "city": "Barcelona",
            "cart_items": [{"reference": "FRAME-001", "name": "Designer Frame"}]
        });
        let masked = masked_body(body.to_string().as_bytes(), &Masks::default());
        for key in [
            "mobile_phone",
            "given_names",
            "surnames",
            "date_of_birth",
            "nin",
            "address",
            "postal_code",
            "city",
        ] {
            assert_eq!(masked[key], MASK, "{key}");
        }
        assert_eq!(masked["reference"], "pos_1234");
        assert_eq!(masked["merchant"]["store_ref"], "store_1");
    }

    #[test]
    fn credentials_a_server_echoes_are_masked_in_values_and_keys() {
        use crate::redact::Secret;
        let masks = Masks::new([Secret::new("Pw-SECRET-q7z9")])
            .with_authorization(&Secret::new("Basic ZGVtbzpQdy1TRUNSRVQtcTd6OQ=="));
        let body = json!({
            "error": "raw header: Basic ZGVtbzpQdy1TRUNSRVQtcTd6OQ==; decoded: demo:Pw-SECRET-q7z9",
            "echo": ["Pw-SECRET-q7z9"],
            "Pw-SECRET-q7z9": 1,
            "status": 409
        });
        let masked = masked_body(body.to_string().as_bytes(), &masks);
        assert_eq!(
            masked,
            json!({
                "error": "raw header: Basic ***; decoded: demo:***",
                "echo": ["***"],
                "***": 1,
                "status": 409
            })
        );
    }
}
