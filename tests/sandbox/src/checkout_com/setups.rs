//! `/payments/setups`: create, get, update, confirm with `sequra`; and
//! `GET /payments/{id}`, the payment a confirmation started.
//!
//! The server's rules, from the Payment Setup API: `processing_channel_id`
//! (the account's), `amount` (minor units, 1 to nine digits) and
//! `currency` are required;
//! `reference` is at most 80 characters, `description` 100; seQura is
//! `ready` once the billing address (line 1, city, state, zip, country)
//! and both redirect URLs are given, and takes EUR only. Every problem is
//! answered at once, as a 422 with one error code each.

use super::{ids, Answer, CHECKOUT_COM_PROCESSING_CHANNEL_ID};
use crate::server::Incoming;
use crate::Context;
use serde_json::{json, Map, Value};

/// A payment setup as the sandbox holds it.
pub(super) struct Setup {
    /// The setup as the API answers it.
    pub body: Value,
    /// The payment its confirmation started, once confirmed.
    pub payment_id: Option<String>,
}

/// A payment a confirmation started.
pub(super) struct Payment {
    /// The payment as the API answers it; `status` changes when the
    /// customer finishes at seQura.
    pub body: Value,
    pub setup_id: String,
    /// One `{"url", "type", "status", "error"}` per webhook sent.
    pub webhooks: Vec<Value>,
}

const PAYMENT_TYPES: [&str; 6] = [
    "Regular",
    "Recurring",
    "MOTO",
    "Installment",
    "PayLater",
    "Unscheduled",
];

/// What seQura needs before a setup can be confirmed, with the flag the
/// setup shows while it is missing.
const SEQURA_NEEDS: [(&str, &str); 7] = [
    (
        "/billing/address/address_line1",
        "billing_address_line1_required",
    ),
    ("/billing/address/city", "billing_address_city_required"),
    ("/billing/address/state", "billing_address_state_required"),
    ("/billing/address/zip", "billing_address_zip_required"),
    (
        "/billing/address/country",
        "billing_address_country_required",
    ),
    ("/settings/success_url", "success_url_required"),
    ("/settings/failure_url", "failure_url_required"),
];

fn not_found() -> Answer {
    // The real API answers an unknown resource with an empty body.
    Answer::empty(404)
}

/// The request body as an object, or the 422 the API answers otherwise.
fn object_of(request: &Incoming) -> Result<Map<String, Value>, Answer> {
    match serde_json::from_slice::<Value>(&request.body) {
        Ok(Value::Object(object)) => Ok(object),
        _ => Err(Answer::invalid(vec!["request_body_invalid".into()])),
    }
}

/// Every error code of `setup`; `create` requires the required fields.
fn errors(setup: &Map<String, Value>, create: bool) -> Vec<String> {
    let mut codes = Vec::new();
    let mut code = |field: &str, what: &str| codes.push(format!("{field}_{what}"));
    let present = |key: &str| setup.get(key).filter(|v| !v.is_null());
    match present("processing_channel_id") {
        None if create => code("processing_channel_id", "required"),
        None => {}
        Some(id) if id == CHECKOUT_COM_PROCESSING_CHANNEL_ID => {}
        Some(_) => code("processing_channel_id", "invalid"),
    }
    match present("amount") {
        None if create => code("amount", "required"),
        None => {}
        // checkout.com's "format the amount value": greater than zero, no
        // decimals, not more than nine digits.
        Some(amount)
            if amount
                .as_u64()
                .is_some_and(|a| (1..=999_999_999).contains(&a)) => {}
        Some(_) => code("amount", "invalid"),
    }
    match present("currency").map(Value::as_str) {
        None if create => code("currency", "required"),
        None => {}
        Some(Some(c)) if c.len() == 3 && c.bytes().all(|b| b.is_ascii_uppercase()) => {}
        Some(_) => code("currency", "invalid"),
    }
    for (key, max) in [("reference", 80), ("description", 100)] {
        if let Some(value) = present(key) {
            if value.as_str().is_none_or(|s| s.chars().count() > max) {
                code(key, "invalid");
            }
        }
    }
    if let Some(kind) = present("payment_type") {
        if !kind.as_str().is_some_and(|k| PAYMENT_TYPES.contains(&k)) {
            code("payment_type", "invalid");
        }
    }
    if let Some(billing) = present("billing") {
        match billing.get("address") {
            _ if !billing.is_object() => code("billing", "invalid"),
            None | Some(Value::Null) => {}
            Some(Value::Object(address)) => {
                for key in ["address_line1", "address_line2", "city", "state", "zip"] {
                    if address
                        .get(key)
                        .is_some_and(|v| !v.is_string() && !v.is_null())
                    {
                        code(&format!("billing_{key}"), "invalid");
                    }
                }
                if let Some(country) = address.get("country").filter(|v| !v.is_null()) {
                    let ok = country
                        .as_str()
                        .is_some_and(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()));
                    if !ok {
                        code("billing_address_country", "invalid");
                    }
                }
            }
            Some(_) => code("billing_address", "invalid"),
        }
    }
    if let Some(settings) = present("settings") {
        if !settings.is_object() {
            code("settings", "invalid");
        }
        for key in ["success_url", "failure_url"] {
            if let Some(url) = settings.get(key).filter(|v| !v.is_null()) {
                if !url.as_str().is_some_and(is_absolute_url) {
                    code(key, "invalid");
                }
            }
        }
    }
    codes
}

/// `http(s)://host...`: the server only needs somewhere to send the
/// customer back to.
fn is_absolute_url(url: &str) -> bool {
    let Some((scheme, rest)) = url.split_once("://") else {
        return false;
    };
    let host = rest.split(['/', '?', '#', ':']).next().unwrap_or_default();
    matches!(scheme, "http" | "https") && !host.is_empty() && !url.contains(char::is_whitespace)
}

/// Sets `payment_methods.sequra` and `available_payment_methods` from
/// what the setup holds now.
fn refresh_sequra(setup: &mut Value) {
    let (status, flags): (&str, Vec<&str>) = if setup["currency"] != "EUR" {
        ("unavailable", vec!["currency_not_supported"])
    } else {
        let missing: Vec<&str> = SEQURA_NEEDS
            .iter()
            .filter(|(pointer, _)| {
                setup
                    .pointer(pointer)
                    .and_then(Value::as_str)
                    .is_none_or(|s| s.trim().is_empty())
            })
            .map(|(_, flag)| *flag)
            .collect();
        if missing.is_empty() {
            ("ready", missing)
        } else {
            ("pending", missing)
        }
    };
    setup["payment_methods"] = json!({"sequra": {"status": status, "flags": flags}});
    setup["available_payment_methods"] = if status == "unavailable" {
        json!([])
    } else {
        json!(["sequra"])
    };
}

/// `POST /payments/setups` → 201 and the setup; 422 with every error code.
pub(super) fn create(request: &Incoming, context: &Context) -> Answer {
    let mut setup = match object_of(request) {
        Ok(setup) => setup,
        Err(answer) => return answer,
    };
    let codes = errors(&setup, true);
    if !codes.is_empty() {
        return Answer::invalid(codes);
    }
    let id = ids::new_id("set");
    // Set by the server, whatever the request said.
    for read_only in ["id", "payment_methods", "available_payment_methods"] {
        setup.remove(read_only);
    }
    setup.insert("id".into(), json!(id));
    setup
        .entry("payment_type")
        .or_insert_with(|| json!("Regular"));
    let mut body = Value::Object(setup);
    refresh_sequra(&mut body);
    let answer = Answer::json(201, body.clone());
    context.checkout_com.lock().setups.insert(
        id,
        Setup {
            body,
            payment_id: None,
        },
    );
    answer
}

/// `GET /payments/setups/{id}` → 200 and the setup; 404.
pub(super) fn get(id: &str, context: &Context) -> Answer {
    match context.checkout_com.lock().setups.get(id) {
        Some(setup) => Answer::json(200, setup.body.clone()),
        None => not_found(),
    }
}

/// `PUT /payments/setups/{id}` with the fields that change → 200 and the
/// setup; 404; 409 once it is confirmed; 422 with every error code.
pub(super) fn update(id: &str, request: &Incoming, context: &Context) -> Answer {
    let mut state = context.checkout_com.lock();
    let Some(setup) = state.setups.get_mut(id) else {
        return not_found();
    };
    if setup.payment_id.is_some() {
        return Answer::error(409, "conflict", &["payment_setup_already_confirmed"]);
    }
    let changes = match object_of(request) {
        Ok(changes) => changes,
        Err(answer) => return answer,
    };
    let codes = errors(&changes, false);
    if !codes.is_empty() {
        return Answer::invalid(codes);
    }
    if let Value::Object(body) = &mut setup.body {
        for (key, value) in changes {
            match key.as_str() {
                "id" | "payment_methods" | "available_payment_methods" => {}
                _ if value.is_null() => {
                    body.remove(&key);
                }
                _ => {
                    body.insert(key, value);
                }
            }
        }
    }
    refresh_sequra(&mut setup.body);
    Answer::json(200, setup.body.clone())
}

/// `POST /payments/setups/{id}/confirm/sequra` → 202 and the payment
/// (`Pending`, with the seQura page in `_links.redirect`); 404; 409 when it
/// is already confirmed; 422 when seQura is not ready (the missing fields'
/// codes) or another method is asked for.
pub(super) fn confirm(id: &str, method: &str, context: &Context) -> Answer {
    let mut state = context.checkout_com.lock();
    let Some(setup) = state.setups.get_mut(id) else {
        return not_found();
    };
    if method != "sequra" {
        return Answer::invalid(vec!["payment_method_not_supported".into()]);
    }
    if setup.payment_id.is_some() {
        return Answer::error(409, "conflict", &["payment_setup_already_confirmed"]);
    }
    let sequra = &setup.body["payment_methods"]["sequra"];
    if sequra["status"] != "ready" {
        let mut codes = vec!["payment_method_not_ready".to_string()];
        codes.extend(
            sequra["flags"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(Value::as_str)
                .map(str::to_string),
        );
        return Answer::invalid(codes);
    }
    let payment_id = ids::new_id("pay");
    let partner_payment_id = ids::new_uuid();
    let mut body = json!({
        "id": payment_id,
        "status": "Pending",
        "processing": {"partner_payment_id": partner_payment_id, "product_type": "pay_later"},
        "_links": {
            "self": {"href": format!("{}/payments/{payment_id}", context.url)},
            "redirect": {"href": format!("{}/sandbox/checkout_com/sequra/checkout/{partner_payment_id}", context.url)},
        },
    });
    if let Some(reference) = setup.body.get("reference").filter(|r| r.is_string()) {
        body["reference"] = reference.clone();
    }
    if let Some(customer) = setup.body.get("customer").filter(|c| c.is_object()) {
        let mut answered = json!({"id": ids::new_id("cus")});
        for key in ["email", "name"] {
            if let Some(value) = customer.get(key).filter(|v| v.is_string()) {
                answered[key] = value.clone();
            }
        }
        body["customer"] = answered;
    }
    setup.payment_id = Some(payment_id.clone());
    let answer = Answer::json(202, body.clone());
    state.payments.insert(
        payment_id,
        Payment {
            body,
            setup_id: id.to_string(),
            webhooks: Vec::new(),
        },
    );
    answer
}

/// `GET /payments/{id}` → 200 and the payment as it is now; 404.
pub(super) fn payment(id: &str, context: &Context) -> Answer {
    let state = context.checkout_com.lock();
    let Some(payment) = state.payments.get(id) else {
        return not_found();
    };
    let mut body = payment.body.clone();
    if let Some(setup) = state.setups.get(&payment.setup_id) {
        for key in ["amount", "currency", "processing_channel_id"] {
            body[key] = setup.body[key].clone();
        }
    }
    Answer::json(200, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seed() -> Map<String, Value> {
        let value = json!({
            "amount": 20000, "currency": "EUR", "processing_channel_id": CHECKOUT_COM_PROCESSING_CHANNEL_ID,
            "reference": "ORD-5023-4E89",
            "billing": {"address": {"address_line1": "123 Avenue de l'élégance", "city": "Paris",
                "state": "Île-de-France", "zip": "70123", "country": "FR"}},
            "settings": {"success_url": "https://example.com/payments/success",
                "failure_url": "https://example.com/payments/failure"}
        });
        value.as_object().cloned().unwrap()
    }

    #[test]
    fn the_seed_request_is_valid_and_ready() {
        assert!(errors(&seed(), true).is_empty());
        let mut body = Value::Object(seed());
        refresh_sequra(&mut body);
        assert_eq!(
            body["payment_methods"]["sequra"],
            json!({"status": "ready", "flags": []})
        );
    }

    #[test]
    fn every_problem_has_a_code() {
        let setup = json!({"amount": 1.5, "currency": "eur", "reference": "x".repeat(81),
            "billing": {"address": {"country": "ESP"}}, "settings": {"success_url": "/ok"}});
        assert_eq!(
            errors(setup.as_object().unwrap(), true),
            [
                "processing_channel_id_required",
                "amount_invalid",
                "currency_invalid",
                "reference_invalid",
                "billing_address_country_invalid",
                "success_url_invalid"
            ]
        );
        assert!(errors(&Map::new(), false).is_empty());
        let ten_digits = json!({"amount": 1_000_000_000_u64});
        assert_eq!(
            errors(ten_digits.as_object().unwrap(), false),
            ["amount_invalid"]
        );
    }

    #[test]
    fn missing_fields_keep_sequra_pending_and_other_currencies_unavailable() {
        let mut setup = seed();
        setup.remove("settings");
        let mut body = Value::Object(setup);
        refresh_sequra(&mut body);
        assert_eq!(body["payment_methods"]["sequra"]["status"], "pending");
        assert_eq!(
            body["payment_methods"]["sequra"]["flags"],
            json!(["success_url_required", "failure_url_required"])
        );
        body["currency"] = json!("GBP");
        refresh_sequra(&mut body);
        assert_eq!(body["payment_methods"]["sequra"]["status"], "unavailable");
        assert_eq!(body["available_payment_methods"], json!([]));
    }
}
