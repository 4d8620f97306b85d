//! The seQura Orders API: start a solicitation, the identification form,
//! confirmation; and the sandbox's control endpoints that play the shopper
//! (approve) and let tests look inside (inspect).

use crate::codec::field;
use crate::diff::diff;
use crate::notify::{Delivery, Notification};
use crate::server::{wrong_method, Incoming, Reply};
use crate::Context;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The products the sandbox offers; `i1` is the default, as on seQura.
const PRODUCTS: [&str; 3] = ["i1", "pp3", "sp1"];
/// How long `approve?wait=true` waits for the shop to answer the IPN
/// (longer than the notification's own timeout, so that one wins).
const IPN_WAIT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OrderState {
    Pending,
    Approved,
    Confirmed,
}

impl OrderState {
    fn as_str(self) -> &'static str {
        match self {
            OrderState::Pending => "pending",
            OrderState::Approved => "approved",
            OrderState::Confirmed => "confirmed",
        }
    }
}

struct Order {
    state: OrderState,
    /// The order as last received (at start, then at confirmation).
    order: Value,
    /// The cart as started: a confirmation must carry the same.
    started_cart: Value,
    product_code: Option<String>,
    approved_since: Option<String>,
    /// One `{"url", "status", "error"}` per IPN attempt.
    notifications: Vec<Value>,
}

/// The orders of the sandbox's one merchant, by uuid.
#[derive(Default)]
pub(crate) struct Orders(Mutex<HashMap<String, Order>>);

impl Orders {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Order>> {
        // A worker that panicked mid-update left no state worth serving.
        self.0.lock().expect("the orders lock is not poisoned")
    }
}

/// The authenticated API (`/orders...`, `/merchants...`); `None` when no
/// route matches.
pub(crate) fn api(segments: &[&str], request: &Incoming, context: &Context) -> Option<Reply> {
    let method = request.method.as_str();
    Some(match segments {
        ["orders"] => match method {
            "POST" => start(request, context),
            _ => wrong_method(request, "POST"),
        },
        ["orders", uuid] => match method {
            "PUT" => update(uuid, request, context),
            _ => wrong_method(request, "PUT"),
        },
        ["orders", uuid, "form_v2"] => match method {
            "GET" => form(uuid, request, context),
            _ => wrong_method(request, "GET"),
        },
        _ => return None,
    })
}

/// `/sandbox/...` (segments after `sandbox`): what the shopper and the
/// test harness do. No auth: these are not part of seQura's API.
pub(crate) fn control(
    segments: &[&str],
    request: &Incoming,
    context: &Arc<Context>,
) -> Option<Reply> {
    let method = request.method.as_str();
    Some(match segments {
        ["orders", uuid, "approve"] => match method {
            "POST" => approve(uuid, request, context),
            _ => wrong_method(request, "POST"),
        },
        ["orders", uuid] => match method {
            "GET" => inspect(uuid, context),
            _ => wrong_method(request, "GET"),
        },
        _ => return None,
    })
}

fn not_found(uuid: &str) -> Reply {
    Reply::errors(404, [format!("Order {uuid} not found")])
}

/// The product asked for, `i1` when none; 404 naming it when the sandbox
/// does not offer it.
fn product(asked: Option<&str>) -> Result<String, Reply> {
    let product = asked.filter(|p| !p.is_empty()).unwrap_or("i1");
    if PRODUCTS.contains(&product) {
        Ok(product.to_string())
    } else {
        Err(Reply::errors(
            404,
            [format!(
                "Product {product:?} is not available; the sandbox offers {}",
                PRODUCTS.join(", ")
            )],
        ))
    }
}

/// The `order` object of a `{"order": {...}}` body.
fn order_of(request: &Incoming) -> Result<Value, Reply> {
    let body = request.json()?;
    match body.get("order") {
        Some(order) if order.is_object() => Ok(order.clone()),
        _ => Err(Reply::errors(
            409,
            ["the body must be {\"order\": {...}} with the order as an object".to_string()],
        )),
    }
}

const MERCHANT_ID_REQUIRED: &str = "order.merchant.id is required (a string or an integer)";

/// 403 when `order.merchant.id` names another merchant than the sandbox's:
/// these credentials may not act for it. A missing id is one of the 409's
/// problems instead.
fn check_merchant(order: &Value, merchant: &str) -> Result<(), Reply> {
    let id = match order.pointer("/merchant/id") {
        Some(Value::String(id)) => id.clone(),
        Some(Value::Number(id)) => id.to_string(),
        _ => return Ok(()),
    };
    if id == merchant {
        return Ok(());
    }
    Err(Reply::errors(
        403,
        [format!(
            "order.merchant.id {id:?} is not the merchant of these credentials ({merchant:?})"
        )],
    ))
}

fn has_merchant_id(order: &Value) -> bool {
    matches!(
        order.pointer("/merchant/id"),
        Some(Value::String(_) | Value::Number(_))
    )
}

/// What the server checks of an order it is asked to start, every
/// problem at once.
fn start_errors(order: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    if !has_merchant_id(order) {
        errors.push(MERCHANT_ID_REQUIRED.to_string());
    }
    for section in ["customer", "platform", "gui"] {
        if !order.get(section).is_some_and(Value::is_object) {
            errors.push(format!("order.{section} is required (an object)"));
        }
    }
    match order.get("state") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if s.is_empty() => {}
        Some(_) => errors.push("order.state must be empty when starting a solicitation".into()),
    }
    let Some(cart) = order.get("cart").filter(|c| c.is_object()) else {
        errors.push("order.cart is required (an object)".into());
        return errors;
    };
    if !cart.get("currency").is_some_and(Value::is_string) {
        errors.push("cart.currency is required (a string such as \"EUR\")".into());
    }
    let total = cart.get("order_total_with_tax").and_then(Value::as_i64);
    if total.is_none() {
        errors.push("cart.order_total_with_tax must be an integer number of cents".into());
    }
    let Some(items) = cart.get("items").and_then(Value::as_array) else {
        errors.push("cart.items must be a list".into());
        return errors;
    };
    let mut sum = Some(0i64);
    for (i, item) in items.iter().enumerate() {
        match item.get("total_with_tax").and_then(Value::as_i64) {
            Some(amount) => sum = sum.map(|s| s.saturating_add(amount)),
            None => {
                errors.push(format!(
                    "cart.items[{i}].total_with_tax must be an integer number of cents"
                ));
                // Without every amount, a sum would only mislead.
                sum = None;
            }
        }
    }
    match (total, sum) {
        (Some(total), Some(sum)) if total != sum => errors.push(format!(
            "cart.order_total_with_tax is {total} but the items add up to {sum}; \
             send the sum of cart.items[].total_with_tax"
        )),
        _ => {}
    }
    errors
}

/// `POST /orders`: a new solicitation → 204 and its `Location`; 409 with
/// every problem, 403 for another merchant.
fn start(request: &Incoming, context: &Context) -> Reply {
    let order = match order_of(request) {
        Ok(order) => order,
        Err(reply) => return reply,
    };
    if let Err(reply) = check_merchant(&order, &context.options.merchant) {
        return reply;
    }
    let errors = start_errors(&order);
    if !errors.is_empty() {
        return Reply::errors(409, errors);
    }
    let uuid = new_uuid();
    let location = format!("{}/orders/{uuid}", context.url);
    context.sequra_orders.lock().insert(
        uuid,
        Order {
            state: OrderState::Pending,
            started_cart: order["cart"].clone(),
            order,
            product_code: None,
            approved_since: None,
            notifications: Vec::new(),
        },
    );
    Reply::empty(204).with_header("Location", location)
}

/// `GET /orders/{uuid}/form_v2?product=i1&campaign=&ajax=false`: the
/// identification form, whose submit approves the order in the sandbox.
fn form(uuid: &str, request: &Incoming, context: &Context) -> Reply {
    let cents = match context.sequra_orders.lock().get(uuid) {
        Some(order) => order.started_cart["order_total_with_tax"]
            .as_i64()
            .unwrap_or(0),
        None => return not_found(uuid),
    };
    let product = match product(request.query("product")) {
        Ok(product) => product,
        Err(reply) => return reply,
    };
    // Every value here is the sandbox's own (url, uuid, a listed product,
    // a number): nothing needs HTML escaping.
    let form = format!(
        "<form id=\"sq-identification\" method=\"post\" action=\"{url}/sandbox/orders/{uuid}/approve\">\n\
         <p>Pay {amount} with seQura ({product})</p>\n\
         <input type=\"hidden\" name=\"product\" value=\"{product}\">\n\
         <button type=\"submit\">Confirm my identity</button>\n\
         </form>\n",
        url = context.url,
        amount = euros(cents),
    );
    if request.query("ajax") == Some("true") {
        return Reply::html(form);
    }
    Reply::html(format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>seQura</title></head><body>\n{form}</body></html>\n"
    ))
}

/// `6302` → `63.02 €`.
fn euros(cents: i64) -> String {
    let sign = if cents < 0 { "-" } else { "" };
    let cents = cents.unsigned_abs();
    format!("{sign}{}.{:02} €", cents / 100, cents % 100)
}

/// `PUT /orders/{uuid}` with `state` `confirmed`: 200 `{}` once seQura
/// approved the order and the cart is the one it approved; 409 with every
/// reason otherwise.
fn update(uuid: &str, request: &Incoming, context: &Context) -> Reply {
    let order = match order_of(request) {
        Ok(order) => order,
        Err(reply) => return reply,
    };
    let mut orders = context.sequra_orders.lock();
    let Some(stored) = orders.get(uuid) else {
        return not_found(uuid);
    };
    if let Err(reply) = check_merchant(&order, &context.options.merchant) {
        return reply;
    }
    match order.get("state").and_then(Value::as_str) {
        Some("confirmed") => {}
        other => {
            return Reply::errors(
                409,
                [format!(
                    "order.state {} is not supported; send \"confirmed\"",
                    other.map_or("(missing)".to_string(), |s| format!("{s:?}"))
                )],
            )
        }
    }
    let changes = match order.get("cart") {
        Some(cart) if cart.is_object() => diff("cart", &stored.started_cart, cart),
        _ => vec!["order.cart is required (an object)".to_string()],
    };
    let mut errors = match stored.state {
        OrderState::Pending => {
            vec!["order is pending: it can be confirmed only after seQura approved it".into()]
        }
        OrderState::Confirmed if !changes.is_empty() => vec![
            "order is already confirmed with another cart; change it with \
             PUT /merchants/{merchant}/orders/{order_ref_1}"
                .into(),
        ],
        // A retried confirmation (the first answer was lost) is answered
        // again below, as long as nothing else is wrong.
        OrderState::Confirmed | OrderState::Approved => Vec::new(),
    };
    errors.extend(changes);
    if !has_merchant_id(&order) {
        errors.push(MERCHANT_ID_REQUIRED.to_string());
    }
    if let Some(reference) = order_ref_1(&order) {
        let taken = orders.iter().any(|(other, o)| {
            other != uuid
                && o.state == OrderState::Confirmed
                && order_ref_1(&o.order).as_ref() == Some(&reference)
        });
        if taken {
            errors.push(format!(
                "merchant_reference.order_ref_1 {reference:?} is already used by another confirmed order"
            ));
        }
    }
    if !errors.is_empty() {
        return Reply::errors(409, errors);
    }
    if let Some(stored) = orders.get_mut(uuid) {
        stored.state = OrderState::Confirmed;
        stored.order = order;
    }
    Reply::json(200, json!({}))
}

/// `merchant_reference.order_ref_1` as text (shops send strings or
/// numbers); `None` when absent or empty.
fn order_ref_1(order: &Value) -> Option<String> {
    match order.pointer("/merchant_reference/order_ref_1")? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// `POST /sandbox/orders/{uuid}/approve[?wait=true]`, form body
/// `product=pp3` or empty: the shopper completed the form. seQura approves
/// and POSTs the IPN to the order's `notify_url` from a thread of its own;
/// with `wait=true` this answers once the shop did (or 10 s passed).
fn approve(uuid: &str, request: &Incoming, context: &Arc<Context>) -> Reply {
    let product = match product(field(&request.form(), "product")) {
        Ok(product) => product,
        Err(reply) => return reply,
    };
    let wait = request.query("wait") == Some("true");
    let ipn = {
        let mut orders = context.sequra_orders.lock();
        let Some(order) = orders.get_mut(uuid) else {
            return not_found(uuid);
        };
        if order.state != OrderState::Pending {
            return Reply::errors(
                409,
                [format!(
                    "order is {}; only a pending order can be approved",
                    order.state.as_str()
                )],
            );
        }
        let since = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs())
            .unwrap_or(0)
            .to_string();
        order.state = OrderState::Approved;
        order.product_code = Some(product.clone());
        order.approved_since = Some(since.clone());
        ipn(uuid, &product, &since, &order.order)
        // The lock is released here, before anything is sent.
    };
    let outcome = match ipn {
        None => json!({"status": null, "error": null}),
        Some(ipn) => {
            let context = Arc::clone(context);
            let uuid = uuid.to_string();
            let delivered = ipn.send_in_background(move |ipn, delivery| {
                let mut record = delivery.to_json();
                record["url"] = json!(ipn.url);
                if let Some(order) = context.sequra_orders.lock().get_mut(&uuid) {
                    order.notifications.push(record);
                }
            });
            if wait {
                delivered
                    .recv_timeout(IPN_WAIT)
                    .unwrap_or_else(|_| Delivery {
                        status: None,
                        error: Some("the shop did not answer in time".into()),
                    })
                    .to_json()
            } else {
                json!({"status": null, "error": null, "pending": true})
            }
        }
    };
    Reply::json(
        200,
        json!({
            "order_ref": uuid,
            "sq_state": "approved",
            "product_code": product,
            "ipn": outcome,
        }),
    )
}

/// The IPN for an approved order, `None` when it has no `notify_url`:
/// seQura's fields, then every `notification_parameters` entry echoed.
fn ipn(uuid: &str, product: &str, since: &str, order: &Value) -> Option<Notification> {
    let url = order.pointer("/merchant/notify_url")?.as_str()?;
    let mut fields = vec![
        ("order_ref".to_string(), uuid.to_string()),
        ("product_code".into(), product.to_string()),
        ("sq_state".into(), "approved".into()),
        ("order_ref_1".into(), order_ref_1(order).unwrap_or_default()),
        ("approved_since".into(), since.to_string()),
    ];
    if let Some(Value::Object(parameters)) = order.pointer("/merchant/notification_parameters") {
        for (key, value) in parameters {
            let text = match value {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            fields.push((key.clone(), text));
        }
    }
    Some(Notification::form(url, &fields))
}

/// `GET /sandbox/orders/{uuid}`: the order as the sandbox holds it.
fn inspect(uuid: &str, context: &Context) -> Reply {
    let orders = context.sequra_orders.lock();
    let Some(order) = orders.get(uuid) else {
        return not_found(uuid);
    };
    Reply::json(
        200,
        json!({
            "order_ref": uuid,
            "state": order.state.as_str(),
            "product_code": order.product_code,
            "approved_since": order.approved_since,
            "order": order.order,
            "notifications": order.notifications,
        }),
    )
}

/// A random (version 4) UUID, as seQura names orders.
fn new_uuid() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the system's random source works");
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_random_version_4() {
        let uuid = new_uuid();
        assert_eq!(uuid.len(), 36);
        assert_eq!(&uuid[14..15], "4");
        assert!("89ab".contains(&uuid[19..20]), "{uuid}");
        assert_ne!(uuid, new_uuid());
    }

    #[test]
    fn totals_are_written_in_euros() {
        assert_eq!(euros(6302), "63.02 €");
        assert_eq!(euros(5), "0.05 €");
        assert_eq!(euros(-250), "-2.50 €");
    }

    #[test]
    fn every_start_problem_is_reported_at_once() {
        let order = json!({"state": "confirmed", "cart": {"order_total_with_tax": 10,
            "items": [{"total_with_tax": 4}, {"total_with_tax": 1.5}]}});
        assert_eq!(
            start_errors(&order),
            [
                MERCHANT_ID_REQUIRED,
                "order.customer is required (an object)",
                "order.platform is required (an object)",
                "order.gui is required (an object)",
                "order.state must be empty when starting a solicitation",
                "cart.currency is required (a string such as \"EUR\")",
                "cart.items[1].total_with_tax must be an integer number of cents",
            ]
        );
        let order = json!({"merchant": {"id": 7}, "customer": {}, "platform": {}, "gui": {},
            "cart": {"currency": "EUR", "order_total_with_tax": 10,
            "items": [{"total_with_tax": 4}, {"total_with_tax": 5}]}});
        assert_eq!(
            start_errors(&order),
            [
                "cart.order_total_with_tax is 10 but the items add up to 9; \
              send the sum of cart.items[].total_with_tax"
            ]
        );
    }

    #[test]
    fn ipn_echoes_the_notification_parameters_as_text() {
        let order = json!({"merchant": {"notify_url": "http://127.0.0.1:1/ipn",
            "notification_parameters": {"n": 7, "sig": "a b"}},
            "merchant_reference": {"order_ref_1": 42}});
        let notification = ipn("u-1", "pp3", "1700000000", &order).unwrap();
        assert_eq!(notification.url, "http://127.0.0.1:1/ipn");
        assert_eq!(
            notification.body,
            "order_ref=u-1&product_code=pp3&sq_state=approved&order_ref_1=42\
             &approved_since=1700000000&n=7&sig=a%20b"
        );
        assert!(ipn("u-1", "i1", "0", &json!({"merchant": {}})).is_none());
    }
}
