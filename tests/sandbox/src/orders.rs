//! The seQura Orders API: solicitations, the identification form,
//! confirmation, and the sandbox's control endpoints that play the shopper.

use crate::http::{no_route, wrong_method, Incoming, Reply};
use crate::notify;
use crate::SandboxOptions;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The products the sandbox offers.
const PRODUCTS: [&str; 3] = ["i1", "pp3", "sp1"];
/// How long `approve?wait=true` waits for the shop to answer the IPN.
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
    notifications: Vec<Value>,
}

pub(crate) struct State {
    pub options: SandboxOptions,
    url: String,
    orders: HashMap<String, Order>,
}

impl State {
    pub fn new(options: SandboxOptions, url: String) -> State {
        State {
            options,
            url,
            orders: HashMap::new(),
        }
    }
}

/// The authenticated API; `None` when no route matches.
pub(crate) fn api(
    method: &str,
    segments: &[&str],
    request: &Incoming,
    state: &Mutex<State>,
) -> Option<Reply> {
    Some(match segments {
        ["orders"] => match method {
            "POST" => start(request, state),
            _ => wrong_method("POST"),
        },
        ["orders", uuid] => match method {
            "PUT" => update(uuid, request, state),
            _ => wrong_method("PUT"),
        },
        ["orders", uuid, "form_v2"] => match method {
            "GET" => form(uuid, request, state),
            _ => wrong_method("GET"),
        },
        _ => return None,
    })
}

/// `/sandbox/...`: what the shopper and the test harness do.
pub(crate) fn control(
    method: &str,
    segments: &[&str],
    request: &Incoming,
    state: &Arc<Mutex<State>>,
) -> Reply {
    match segments {
        ["orders", uuid, "approve"] => match method {
            "POST" => approve(uuid, request, state),
            _ => wrong_method("POST"),
        },
        ["orders", uuid] => match method {
            "GET" => inspect(uuid, state),
            _ => wrong_method("GET"),
        },
        _ => no_route(request),
    }
}

fn not_found(uuid: &str) -> Reply {
    Reply::errors(404, [format!("Order {uuid} not found")])
}

/// The `order` object of a `{"order": {...}}` body.
fn order_of(request: &Incoming) -> Result<Value, Reply> {
    let body = request.json()?;
    match body.get("order") {
        Some(order) if order.is_object() => Ok(order.clone()),
        _ => Err(Reply::errors(
            409,
            ["the body must be {\"order\": {...}}".to_string()],
        )),
    }
}

/// Does `order` belong to the sandbox's merchant? `merchant.id` may be a
/// string or an integer.
fn merchant_matches(order: &Value, merchant: &str) -> bool {
    match order.pointer("/merchant/id") {
        Some(Value::String(id)) => id == merchant,
        Some(Value::Number(id)) => id.to_string() == merchant,
        _ => false,
    }
}

/// What the server checks of every order it receives.
fn order_errors(order: &Value) -> Vec<String> {
    let mut errors = Vec::new();
    for section in ["customer", "platform", "gui", "merchant"] {
        if !order.get(section).is_some_and(Value::is_object) {
            errors.push(format!("order.{section} is required"));
        }
    }
    let Some(cart) = order.get("cart").filter(|c| c.is_object()) else {
        errors.push("order.cart is required".into());
        return errors;
    };
    if !cart.get("currency").is_some_and(Value::is_string) {
        errors.push("cart.currency is required".into());
    }
    let total = cart.get("order_total_with_tax").and_then(Value::as_i64);
    if total.is_none() {
        errors.push("cart.order_total_with_tax must be an integer".into());
    }
    let Some(items) = cart.get("items").and_then(Value::as_array) else {
        errors.push("cart.items must be a list".into());
        return errors;
    };
    let mut sum = 0i64;
    for (i, item) in items.iter().enumerate() {
        match item.get("total_with_tax").and_then(Value::as_i64) {
            Some(amount) => sum += amount,
            None => errors.push(format!("cart.items[{i}].total_with_tax must be an integer")),
        }
    }
    if let Some(total) = total {
        if total != sum {
            errors.push(format!(
                "cart.order_total_with_tax {total} does not match the sum of the items {sum}"
            ));
        }
    }
    errors
}

/// `POST /orders`: a new solicitation → 204 and its `Location`.
fn start(request: &Incoming, state: &Mutex<State>) -> Reply {
    let order = match order_of(request) {
        Ok(order) => order,
        Err(reply) => return reply,
    };
    let mut state = state.lock().expect("sandbox state");
    if !merchant_matches(&order, &state.options.merchant) {
        return Reply::errors(
            403,
            [format!(
                "order.merchant.id must be {:?}, the merchant of these credentials",
                state.options.merchant
            )],
        );
    }
    let mut errors = order_errors(&order);
    match order.get("state") {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if s.is_empty() => {}
        Some(_) => errors.push("order.state must be empty when starting a solicitation".into()),
    }
    if !errors.is_empty() {
        return Reply::errors(409, errors);
    }
    let uuid = new_uuid();
    let location = format!("{}/orders/{uuid}", state.url);
    state.orders.insert(
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

/// `GET /orders/{uuid}/form_v2`: the identification form.
fn form(uuid: &str, request: &Incoming, state: &Mutex<State>) -> Reply {
    let state = state.lock().expect("sandbox state");
    let Some(order) = state.orders.get(uuid) else {
        return not_found(uuid);
    };
    let product = request
        .query("product")
        .filter(|p| !p.is_empty())
        .unwrap_or("i1");
    if !PRODUCTS.contains(&product) {
        return Reply::errors(
            404,
            [format!(
                "Unknown product {product:?}; the sandbox offers i1, pp3 and sp1"
            )],
        );
    }
    let cents = order.started_cart["order_total_with_tax"]
        .as_i64()
        .unwrap_or(0);
    let form = format!(
        "<form id=\"sq-identification\" method=\"post\" action=\"{url}/sandbox/orders/{uuid}/approve\">\n\
         <p>Pay {euros}.{rest:02} € with seQura ({product})</p>\n\
         <input type=\"hidden\" name=\"product\" value=\"{product}\">\n\
         <button type=\"submit\">Confirm my identity</button>\n</form>\n",
        url = state.url,
        euros = cents / 100,
        rest = (cents % 100).abs(),
    );
    if request.query("ajax") == Some("true") {
        return Reply::html(form);
    }
    Reply::html(format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>seQura</title></head><body>\n{form}</body></html>\n"
    ))
}

/// `PUT /orders/{uuid}`: confirm an approved order.
fn update(uuid: &str, request: &Incoming, state: &Mutex<State>) -> Reply {
    let order = match order_of(request) {
        Ok(order) => order,
        Err(reply) => return reply,
    };
    let mut state = state.lock().expect("sandbox state");
    let merchant = state.options.merchant.clone();
    let Some(stored) = state.orders.get(uuid) else {
        return not_found(uuid);
    };
    if !merchant_matches(&order, &merchant) {
        return Reply::errors(403, [format!("order.merchant.id must be {merchant:?}")]);
    }
    if order.get("state") != Some(&json!("confirmed")) {
        return Reply::errors(409, ["order.state must be \"confirmed\"".to_string()]);
    }
    let mut errors = Vec::new();
    diff("cart", &stored.started_cart, &order["cart"], &mut errors);
    match stored.state {
        OrderState::Confirmed if errors.is_empty() => return Reply::json(200, json!({})),
        OrderState::Confirmed => {
            errors.insert(0, "the order is already confirmed with another cart".into())
        }
        OrderState::Pending => errors.insert(
            0,
            "the order is pending: it can be confirmed only after seQura approved it".into(),
        ),
        OrderState::Approved => {}
    }
    if let Some(reference) = order.pointer("/merchant_reference/order_ref_1") {
        let taken = state.orders.iter().any(|(other, o)| {
            other != uuid
                && o.state == OrderState::Confirmed
                && o.order.pointer("/merchant_reference/order_ref_1") == Some(reference)
        });
        if taken {
            errors.push(format!(
                "merchant_reference.order_ref_1 {reference} is already used by another confirmed order"
            ));
        }
    }
    if !errors.is_empty() {
        return Reply::errors(409, errors);
    }
    let stored = state.orders.get_mut(uuid).expect("checked above");
    stored.state = OrderState::Confirmed;
    stored.order = order;
    Reply::json(200, json!({}))
}

/// Every difference between the started and the confirmed JSON, by path.
fn diff(path: &str, before: &Value, after: &Value, errors: &mut Vec<String>) {
    match (before, after) {
        (Value::Object(a), Value::Object(b)) => {
            for (key, value) in a {
                let at = format!("{path}.{key}");
                match b.get(key) {
                    Some(other) => diff(&at, value, other, errors),
                    None => errors.push(format!("{at} was removed")),
                }
            }
            for key in b.keys().filter(|k| !a.contains_key(*k)) {
                errors.push(format!("{path}.{key} was added"));
            }
        }
        (Value::Array(a), Value::Array(b)) => {
            for (i, value) in a.iter().enumerate() {
                match b.get(i) {
                    Some(other) => diff(&format!("{path}[{i}]"), value, other, errors),
                    None => errors.push(format!("{path}[{i}] was removed")),
                }
            }
            for i in a.len()..b.len() {
                errors.push(format!("{path}[{i}] was added"));
            }
        }
        _ if before != after => errors.push(format!("{path} changed from {before} to {after}")),
        _ => {}
    }
}

/// `POST /sandbox/orders/{uuid}/approve`: the shopper completed the form.
/// seQura approves and POSTs the IPN to the order's `notify_url`.
fn approve(uuid: &str, request: &Incoming, state: &Arc<Mutex<State>>) -> Reply {
    let form = crate::http::decode_form(&String::from_utf8_lossy(&request.body));
    let product = form
        .iter()
        .find(|(k, _)| k == "product")
        .map(|(_, v)| v.clone())
        .filter(|p| !p.is_empty())
        .unwrap_or_else(|| "i1".into());
    let wait = request.query("wait") == Some("true");
    let job = {
        let mut state = state.lock().expect("sandbox state");
        let Some(order) = state.orders.get_mut(uuid) else {
            return not_found(uuid);
        };
        if order.state != OrderState::Pending {
            return Reply::errors(
                409,
                [format!(
                    "the order is {}, not pending",
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
        notify::Ipn::for_order(uuid, &product, &since, &order.order)
    };
    let mut outcome = json!({"status": null, "error": null});
    if let Some(job) = job {
        let (sender, receiver) = std::sync::mpsc::channel();
        let uuid = uuid.to_string();
        let state = Arc::clone(state);
        std::thread::spawn(move || {
            let result = job.send();
            let record = json!({"url": job.url, "status": result.status, "error": result.error});
            if let Some(order) = state.lock().expect("sandbox state").orders.get_mut(&uuid) {
                order.notifications.push(record.clone());
            }
            let _ = sender.send(record);
        });
        if wait {
            outcome = receiver.recv_timeout(IPN_WAIT).unwrap_or_else(
                |_| json!({"status": null, "error": "the shop did not answer in time"}),
            );
        } else {
            outcome = json!({"status": null, "error": null, "pending": true});
        }
    }
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

/// `GET /sandbox/orders/{uuid}`: the order as the sandbox holds it.
fn inspect(uuid: &str, state: &Mutex<State>) -> Reply {
    let state = state.lock().expect("sandbox state");
    let Some(order) = state.orders.get(uuid) else {
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

/// A random (version 4) UUID.
fn new_uuid() -> String {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).expect("the system's random source");
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
