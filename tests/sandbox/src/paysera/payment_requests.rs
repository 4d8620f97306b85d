//! `/checkout/rest/v1/payment-requests`: the server's rules, written from
//! the Paysera document and Paysera's public documents (never from the client).

use super::PAYSERA_BUSINESS_ID;
use super::{deliver, error, field_error, note_json, notify, now, Inner, PaymentRequest};
use crate::server::{Incoming, Reply};
use crate::Context;
use serde_json::{json, Map, Value};
use std::sync::Arc;

/// The currencies the sandbox's business accepts.
const CURRENCIES: [&str; 8] = ["EUR", "USD", "GBP", "PLN", "CZK", "SEK", "DKK", "BGN"];
/// The payment methods it offers (`method_key`).
const METHODS: [&str; 3] = ["card", "wallet", "bank_transfer"];
/// The payment page's languages (`locale`).
const LOCALES: [&str; 20] = [
    "bg", "cs", "da", "de", "en", "es", "et", "fi", "fr", "hu", "it", "lt", "lv", "nl", "pl", "pt",
    "ro", "ru", "sk", "sv",
];

/// A random id of `length` URL-safe characters, as Paysera's look
/// (`PRAFY24n-UBgSkiRCL-h_CVAAvj4MEkj`).
pub(crate) fn new_id(length: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    crate::ids::random_text(ALPHABET, length)
}

/// The body as a JSON object: 400 `invalid_request` otherwise.
fn json_object(request: &Incoming) -> Result<Map<String, Value>, Reply> {
    let content_type = request.header("content-type").unwrap_or_default();
    let media_type = content_type.split(';').next().unwrap_or_default().trim();
    if !media_type.eq_ignore_ascii_case("application/json") {
        return Err(error(
            400,
            "invalid_request",
            &format!("Content-Type must be application/json, not {content_type:?}"),
            Vec::new(),
        ));
    }
    match serde_json::from_slice::<Value>(&request.body) {
        Ok(Value::Object(object)) => Ok(object),
        Ok(_) => Err(error(
            400,
            "invalid_request",
            "The body must be a JSON object",
            Vec::new(),
        )),
        Err(e) => Err(error(
            400,
            "invalid_request",
            &format!("The body is not valid JSON: {e}"),
            Vec::new(),
        )),
    }
}

fn not_found(id: &str) -> Reply {
    error(
        404,
        "not_found",
        &format!("Payment request {id} not found"),
        Vec::new(),
    )
}

/// A required, non-empty string field.
fn required_text<'a>(
    object: &'a Map<String, Value>,
    key: &str,
    path: &str,
    errors: &mut Vec<Value>,
) -> Option<&'a str> {
    match object.get(key) {
        Some(Value::String(s)) if !s.trim().is_empty() => Some(s),
        Some(Value::String(_)) => {
            errors.push(field_error(
                path,
                "invalid_parameter",
                "should not be blank",
            ));
            None
        }
        None | Some(Value::Null) => {
            errors.push(field_error(path, "required", "is required"));
            None
        }
        Some(_) => {
            errors.push(field_error(path, "invalid_parameter", "should be a string"));
            None
        }
    }
}

/// An optional string field that, when given, is one of `allowed`.
fn optional_choice(
    object: &Map<String, Value>,
    key: &str,
    allowed: &[&str],
    errors: &mut Vec<Value>,
) {
    match object.get(key) {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if allowed.contains(&s.as_str()) => {}
        Some(other) => errors.push(field_error(
            key,
            "invalid_parameter",
            format!("{other} is not one of {}", allowed.join(", ")),
        )),
    }
}

/// An https URL, or http to a loopback host (the sandbox's shops); any
/// http(s) URL where `https_only` is false (the document asks https of the
/// callback only).
fn url_ok(url: &str, https_only: bool) -> bool {
    let lower = url.to_ascii_lowercase();
    let rest = if let Some(rest) = lower.strip_prefix("https://") {
        rest
    } else if let (false, Some(rest)) = (https_only, lower.strip_prefix("http://")) {
        rest
    } else if let Some(rest) = lower.strip_prefix("http://") {
        let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
        let host = match authority.strip_prefix('[') {
            Some(v6) => v6.split(']').next().unwrap_or_default(),
            None => authority.split(':').next().unwrap_or_default(),
        };
        let loopback = host == "localhost"
            || host
                .parse::<std::net::IpAddr>()
                .is_ok_and(|ip| ip.is_loopback());
        if !loopback || authority.contains('@') {
            return false;
        }
        rest
    } else {
        return false;
    };
    !rest
        .split(['/', '?', '#'])
        .next()
        .unwrap_or_default()
        .is_empty()
}

/// A positive whole number of minor units: a JSON integer or a string of
/// digits. `None` for anything else (`"9.99"`, `-1`, `0`).
fn minor_units(amount: &Value) -> Option<u64> {
    let units = match amount {
        Value::Number(n) => n.as_u64()?,
        Value::String(s) if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) => {
            s.parse().ok()?
        }
        _ => return None,
    };
    (units > 0).then_some(units)
}

/// Every problem of a new payment request, as Paysera's `errors`.
fn create_errors(object: &Map<String, Value>) -> Vec<Value> {
    let mut errors = Vec::new();
    if let Some(business) = required_text(object, "business_id", "business_id", &mut errors) {
        if business != PAYSERA_BUSINESS_ID {
            errors.push(field_error(
                "business_id",
                "invalid_parameter",
                "is not a business of this client",
            ));
        }
    }
    required_text(object, "order_id", "order_id", &mut errors);
    required_text(object, "description", "description", &mut errors);
    match object.get("price") {
        Some(Value::Object(price)) => {
            match price.get("amount") {
                None | Some(Value::Null) => {
                    errors.push(field_error("price.amount", "required", "is required"))
                }
                Some(amount) if minor_units(amount).is_none() => errors.push(field_error(
                    "price.amount",
                    "invalid_parameter",
                    "should be a positive whole number of minor units",
                )),
                Some(_) => {}
            }
            if let Some(currency) = required_text(price, "currency", "price.currency", &mut errors)
            {
                if !CURRENCIES.contains(&currency) {
                    errors.push(field_error(
                        "price.currency",
                        "invalid_parameter",
                        format!(
                            "{currency} is not accepted; use one of {}",
                            CURRENCIES.join(", ")
                        ),
                    ));
                }
            }
        }
        None | Some(Value::Null) => errors.push(field_error("price", "required", "is required")),
        Some(_) => errors.push(field_error(
            "price",
            "invalid_parameter",
            "should be an object",
        )),
    }
    match object.get("payer") {
        Some(Value::Object(payer)) => {
            if let Some(email) = required_text(payer, "email", "payer.email", &mut errors) {
                if !email.contains('@') {
                    errors.push(field_error(
                        "payer.email",
                        "invalid_parameter",
                        "is not a valid email",
                    ));
                }
            }
        }
        None | Some(Value::Null) => errors.push(field_error("payer", "required", "is required")),
        Some(_) => errors.push(field_error(
            "payer",
            "invalid_parameter",
            "should be an object",
        )),
    }
    for (key, https_only) in [
        ("accept_url", false),
        ("cancel_url", false),
        ("callback_url", true),
    ] {
        if let Some(url) = required_text(object, key, key, &mut errors) {
            if !url_ok(url, https_only) {
                let expected = if https_only {
                    "should be an https URL"
                } else {
                    "should be an http(s) URL"
                };
                errors.push(field_error(key, "invalid_parameter", expected));
            }
        }
    }
    optional_choice(object, "locale", &LOCALES, &mut errors);
    optional_choice(object, "method_key", &METHODS, &mut errors);
    optional_choice(object, "token_strategy", &["required"], &mut errors);
    errors
}

/// `POST /checkout/rest/v1/payment-requests` → 201 and the request, `new`;
/// 400 with every field problem; 409 for an `order_id` already used.
pub(super) fn create(request: &Incoming, context: &Context) -> Reply {
    let object = match json_object(request) {
        Ok(object) => object,
        Err(reply) => return reply,
    };
    let errors = create_errors(&object);
    if !errors.is_empty() {
        return error(
            400,
            "invalid_parameters",
            "Some request parameters are invalid",
            errors,
        );
    }
    let order_id = object["order_id"].as_str().unwrap_or_default().to_string();
    let mut inner = context.paysera.lock();
    if let Some(taken_by) = inner.order_ids.get(&order_id) {
        let message = format!("is already used by payment request {taken_by}");
        return error(
            409,
            "conflict",
            "A payment request with this order_id already exists",
            vec![field_error("order_id", "duplicate", message)],
        );
    }
    let id = new_id(32);
    let mut body = Value::Object(object);
    body["id"] = json!(id);
    body["status"] = json!("new");
    // Paysera answers amounts as numbers of minor units.
    body["price"]["amount"] = json!(minor_units(&body["price"]["amount"]).unwrap_or(0));
    body["authorization_url"] = json!(format!(
        "{}/sandbox/paysera/payment-requests/{id}/pay",
        context.url
    ));
    body["created_at"] = json!(now());
    inner.order_ids.insert(order_id, id.clone());
    inner.requests.insert(
        id,
        PaymentRequest {
            body: body.clone(),
            notifications: Vec::new(),
        },
    );
    Reply::json(201, body)
}

/// `GET /checkout/rest/v1/payment-requests/{id}` → 200, or 404.
pub(super) fn get(id: &str, context: &Context) -> Reply {
    match context.paysera.lock().requests.get(id) {
        Some(request) => Reply::json(200, request.body.clone()),
        None => not_found(id),
    }
}

fn invalid_state(id: &str, status: &str, wanted: &str) -> Reply {
    error(
        409,
        "invalid_state",
        &format!("Payment request {id} is {status}; {wanted}"),
        Vec::new(),
    )
}

/// `PUT .../{id}/authorize` (`{"token"}`), `.../capture`, `.../cancel`:
/// 200 and the request after the move; 409 when its status does not allow
/// it; 422 for a token that cannot pay it; 404.
pub(super) fn act(id: &str, action: &str, request: &Incoming, context: &Arc<Context>) -> Reply {
    let token = if action == "authorize" {
        let object = match json_object(request) {
            Ok(object) => object,
            Err(reply) => return reply,
        };
        let mut errors = Vec::new();
        match required_text(&object, "token", "token", &mut errors) {
            Some(token) => Some(token.to_string()),
            None => {
                return error(
                    400,
                    "invalid_parameters",
                    "Some request parameters are invalid",
                    errors,
                )
            }
        }
    } else {
        None
    };
    let (callback, body) = {
        let mut inner = context.paysera.lock();
        let Some(stored) = inner.requests.get(id) else {
            return not_found(id);
        };
        let status = stored.status().to_string();
        let payer = stored.body.pointer("/payer/email").cloned();
        let (allowed, next, wanted) = match action {
            "authorize" => (
                status == "new",
                "authorized",
                "only a new payment request can be authorized",
            ),
            "capture" => (
                status == "authorized",
                "captured",
                "only an authorized payment request can be captured",
            ),
            _ => (
                status == "new" || status == "authorized",
                "canceled",
                "only a new or authorized payment request can be canceled",
            ),
        };
        if !allowed {
            return invalid_state(id, &status, wanted);
        }
        if let Some(token) = &token {
            if let Err(reply) = check_token(&inner, token, payer.as_ref()) {
                return reply;
            }
        }
        let Some(stored) = inner.requests.get_mut(id) else {
            return not_found(id);
        };
        stored.body["status"] = json!(next);
        stored.body[format!("{next}_at")] = json!(now());
        if next == "captured" {
            stored.body["price_paid"] = stored.body["price"].clone();
        }
        let body = stored.body.clone();
        let callback = notify(&mut inner, id, &format!("payment_request.{next}"));
        (callback, body)
    };
    if let Some((note_id, callback)) = callback {
        deliver(&note_id, callback, false, context);
    }
    Reply::json(200, body)
}

/// 422 `invalid_token` unless `token` was issued to this payer.
fn check_token(inner: &Inner, token: &str, payer: Option<&Value>) -> Result<(), Reply> {
    let refuse = |message: &str| {
        Err(error(
            422,
            "invalid_token",
            "The token cannot authorize this payment request",
            vec![field_error("token", "invalid_token", message)],
        ))
    };
    match inner.tokens.get(token) {
        None => refuse("is not a token issued to this business"),
        Some(email) if payer.and_then(Value::as_str) != Some(email.as_str()) => {
            refuse("was issued to another payer")
        }
        Some(_) => Ok(()),
    }
}

/// `GET /sandbox/paysera/payment-requests/{id}/pay`: the payment page the
/// `authorization_url` points at.
pub(super) fn page(id: &str, context: &Context) -> Reply {
    let inner = context.paysera.lock();
    let Some(request) = inner.requests.get(id) else {
        return not_found(id);
    };
    let units = request.body["price"]["amount"].as_u64().unwrap_or(0);
    let currency = request.body["price"]["currency"]
        .as_str()
        .unwrap_or_default();
    // The id is the sandbox's own and the currency one of its list:
    // nothing here needs HTML escaping.
    Reply::html(format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>Paysera</title></head><body>\n\
         <form id=\"paysera-payment\" method=\"post\" action=\"{url}/sandbox/paysera/payment-requests/{id}/pay\">\n\
         <p>Pay {units} (minor units of {currency})</p>\n\
         <button type=\"submit\">Pay</button>\n</form>\n</body></html>\n",
        url = context.url,
    ))
}

/// `POST /sandbox/paysera/payment-requests/{id}/pay[?wait=true]`: the
/// shopper pays. `new` → `authorized`, a token issued when the request
/// asked for one, and the callback posted (waited for with `wait`).
pub(super) fn pay(id: &str, wait: bool, context: &Arc<Context>) -> Reply {
    let (callback, body) = {
        let mut inner = context.paysera.lock();
        let Some(stored) = inner.requests.get_mut(id) else {
            return not_found(id);
        };
        let status = stored.status().to_string();
        if status != "new" {
            return invalid_state(id, &status, "only a new payment request can be paid");
        }
        stored.body["status"] = json!("authorized");
        stored.body["authorized_at"] = json!(now());
        let mut issued = None;
        if stored.body["token_strategy"] == "required" {
            let token = new_id(27);
            stored.body["issued_token"] = json!(token);
            let email = stored.body.pointer("/payer/email").and_then(Value::as_str);
            issued = Some((token, email.unwrap_or_default().to_string()));
        }
        let body = stored.body.clone();
        if let Some((token, email)) = issued {
            inner.tokens.insert(token, email);
        }
        (notify(&mut inner, id, "payment_request.authorized"), body)
    };
    let delivery = match callback {
        Some((note_id, callback)) => {
            json!({"notification_id": note_id, "callback": deliver(&note_id, callback, wait, context)})
        }
        None => json!(null),
    };
    Reply::json(
        200,
        json!({"payment_request": body, "notification": delivery}),
    )
}

/// `GET /sandbox/paysera/payment-requests/{id}`: the request, and each of
/// its notifications with every callback attempt.
pub(super) fn inspect(id: &str, context: &Context) -> Reply {
    let inner = context.paysera.lock();
    let Some(request) = inner.requests.get(id) else {
        return not_found(id);
    };
    let notes: Vec<Value> = request
        .notifications
        .iter()
        .filter_map(|note| inner.notes.get(note))
        .map(note_json)
        .collect();
    Reply::json(
        200,
        json!({"payment_request": request.body, "notifications": notes}),
    )
}

#[cfg(test)]
mod tests {
    use super::super::State;
    use super::*;

    fn request() -> Map<String, Value> {
        let value = json!({
            "business_id": PAYSERA_BUSINESS_ID,
            "order_id": "SUB_12345",
            "price": {"amount": 999, "currency": "EUR"},
            "description": "Monthly subscription - First payment",
            "method_key": "card",
            "payer": {"email": "customer@example.com"},
            "locale": "en",
            "accept_url": "https://yoursite.com/payment/success",
            "cancel_url": "https://yoursite.com/payment/cancel",
            "callback_url": "https://yoursite.com/payment/callback",
            "token_strategy": "required"
        });
        value.as_object().cloned().unwrap_or_default()
    }

    #[test]
    fn the_seed_request_is_taken_with_a_number_or_a_string_amount() {
        assert_eq!(create_errors(&request()), Vec::<Value>::new());
        let mut text = request();
        text.insert("price".into(), json!({"amount": "999", "currency": "EUR"}));
        assert_eq!(create_errors(&text), Vec::<Value>::new());
    }

    #[test]
    fn every_field_problem_is_named() {
        let mut bad = request();
        bad.insert("price".into(), json!({"amount": "9.99", "currency": "XXX"}));
        bad.insert("business_id".into(), json!("someone-else"));
        bad.insert("callback_url".into(), json!("http://yoursite.com/cb"));
        bad.insert("method_key".into(), json!("cash"));
        bad.remove("order_id");
        let fields: Vec<Value> = create_errors(&bad)
            .into_iter()
            .map(|e| e["field"].clone())
            .collect();
        assert_eq!(
            fields,
            [
                "business_id",
                "order_id",
                "price.amount",
                "price.currency",
                "callback_url",
                "method_key"
            ]
        );
    }

    #[test]
    fn amounts_are_positive_minor_units() {
        assert_eq!(minor_units(&json!(999)), Some(999));
        assert_eq!(minor_units(&json!("999")), Some(999));
        assert_eq!(minor_units(&json!("9.99")), None);
        assert_eq!(minor_units(&json!(9.99)), None);
        assert_eq!(minor_units(&json!(0)), None);
        assert_eq!(minor_units(&json!(-1)), None);
    }

    #[test]
    fn callback_urls_are_https_or_loopback_and_redirects_any_http() {
        assert!(url_ok("https://shop.example/cb", true));
        assert!(url_ok("http://127.0.0.1:9/cb", true));
        assert!(!url_ok("http://shop.example/cb", true));
        assert!(!url_ok("http://127.0.0.1@shop.example/cb", true));
        assert!(!url_ok("https:///cb", true));
        assert!(!url_ok("shop.example", true));
        assert!(url_ok("http://shop.example/accept", false));
        assert!(!url_ok("http:///accept", false));
        assert!(!url_ok("ftp://shop.example/accept", false));
    }

    #[test]
    fn ids_are_url_safe_and_random() {
        let id = new_id(32);
        assert_eq!(id.len(), 32);
        assert!(id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(id, new_id(32));
    }

    #[test]
    fn unknown_tokens_and_other_payers_are_refused() {
        let state = State::default();
        let mut inner = state.lock();
        inner.tokens.insert("tok".into(), "a@example.com".into());
        assert!(check_token(&inner, "tok", Some(&json!("a@example.com"))).is_ok());
        assert!(check_token(&inner, "tok", Some(&json!("b@example.com"))).is_err());
        assert!(check_token(&inner, "nope", Some(&json!("a@example.com"))).is_err());
    }
}
