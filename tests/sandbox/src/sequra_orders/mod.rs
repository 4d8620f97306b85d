//! The seQura Orders API: start a solicitation, the identification form
//! (shown or sent by SMS), payment methods, confirm, hold or cancel, the
//! reference update and the post-sale update. The sandbox's control
//! endpoints (the shopper, seQura itself, inspection) are in `control`, the
//! products in `payment_methods`, the post-sale rules in `post_sale`.
//!
//! States move only as on seQura: pending → approved (the shopper) →
//! on_hold (the shop) → confirmed (the shop) → changed after shipping;
//! cancelled from any state before confirmation (the shop or seQura), and
//! a confirmed order is cancelled by a post-sale update with both carts
//! empty, or by seQura (an event to `events_webhook`).

mod control;
mod payment_methods;
mod post_sale;

pub(crate) use control::control;

use crate::diff::diff;
use crate::ids::new_uuid;
use crate::server::{wrong_method, Incoming, Reply};
use crate::Context;
use payment_methods::{self as catalogue, payment_methods};
use post_sale::Carts;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

/// How long `approve?wait=true` waits for the shop to answer the IPN
/// (longer than the notification's own timeout, so that one wins).
const IPN_WAIT: Duration = Duration::from_secs(10);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum OrderState {
    Pending,
    /// seQura is still reviewing the shopper; approval or cancellation follows.
    NeedsReview,
    Approved,
    OnHold,
    Confirmed,
    Cancelled,
}

impl OrderState {
    fn as_str(self) -> &'static str {
        match self {
            OrderState::Pending => "pending",
            OrderState::NeedsReview => "needs_review",
            OrderState::Approved => "approved",
            OrderState::OnHold => "on_hold",
            OrderState::Confirmed => "confirmed",
            OrderState::Cancelled => "cancelled",
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
    /// One `{"kind", "url", "status", "error"}` per notification attempt
    /// (kind `ipn` or `event`).
    notifications: Vec<Value>,
    /// One `{"channel", "product_code"}` per form sent to the shopper.
    form_deliveries: Vec<Value>,
    /// After confirmation: what is shipped and what is not yet.
    carts: Option<Carts>,
}

/// The orders of the sandbox's one merchant.
#[derive(Default)]
pub(crate) struct Orders(Mutex<Book>);

impl Orders {
    fn lock(&self) -> MutexGuard<'_, Book> {
        // A worker that panicked mid-update left no state worth serving.
        self.0.lock().expect("the orders lock is not poisoned")
    }
}

/// The orders by uuid, and by `order_ref_1`: a confirmation checks that no
/// other confirmed order has its reference, and a post-sale update finds
/// its order by reference. A scan of every order made each confirmation
/// cost time in proportion to the orders held: after the thousands of a
/// benchmark's run, a millisecond, more than the client's own call.
#[derive(Default)]
struct Book {
    orders: HashMap<String, Order>,
    /// Each reference, with the uuids of the orders that were ever given
    /// it (an order whose reference changed stays under the old one too:
    /// [`Book::with_reference`] reads the order's reference now).
    by_reference: HashMap<String, Vec<String>>,
}

impl Book {
    /// Files the order `uuid` under its reference, after it was stored or
    /// its references changed.
    fn file(&mut self, uuid: &str) {
        let Some(reference) = self.orders.get(uuid).and_then(|o| order_ref_1(&o.order)) else {
            return;
        };
        let uuids = self.by_reference.entry(reference).or_default();
        if !uuids.iter().any(|u| u == uuid) {
            uuids.push(uuid.to_string());
        }
    }

    /// The orders whose `order_ref_1` is `reference`, oldest first.
    fn with_reference<'b>(
        &'b self,
        reference: &'b str,
    ) -> impl Iterator<Item = (&'b str, &'b Order)> + 'b {
        self.by_reference
            .get(reference)
            .into_iter()
            .flatten()
            .filter_map(|uuid| Some((uuid.as_str(), self.orders.get(uuid)?)))
            .filter(move |(_, o)| order_ref_1(&o.order).as_deref() == Some(reference))
    }

    /// Whether another confirmed order has `reference`.
    fn taken_by_another(&self, uuid: &str, reference: &str) -> bool {
        self.with_reference(reference)
            .any(|(other, o)| other != uuid && o.state == OrderState::Confirmed)
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
            "PATCH" => update_references(uuid, request, context),
            _ => wrong_method(request, "PUT, PATCH"),
        },
        ["orders", uuid, "form_v2"] => match method {
            "GET" => form(uuid, request, context),
            _ => wrong_method(request, "GET"),
        },
        ["orders", uuid, "form_deliveries"] => match method {
            "POST" => send_form(uuid, request, context),
            _ => wrong_method(request, "POST"),
        },
        ["orders", uuid, "payment_methods"] => match method {
            "GET" => order_payment_methods(uuid, context),
            _ => wrong_method(request, "GET"),
        },
        ["merchants", merchant, "payment_methods"] => match method {
            "GET" => match own_merchant(merchant, context) {
                Ok(()) => Reply::json(200, payment_methods(None)),
                Err(reply) => reply,
            },
            _ => wrong_method(request, "GET"),
        },
        ["merchants", merchant, "orders", reference] => match method {
            "PUT" => match own_merchant(merchant, context) {
                Ok(()) => update_after_confirmation(reference, request, context),
                Err(reply) => reply,
            },
            _ => wrong_method(request, "PUT"),
        },
        _ => return None,
    })
}

/// 403 unless the path names the merchant of these credentials.
fn own_merchant(merchant: &str, context: &Context) -> Result<(), Reply> {
    if merchant == context.options.merchant {
        Ok(())
    } else {
        Err(Reply::errors(
            403,
            [format!(
                "merchant {merchant:?} is not the merchant of these credentials"
            )],
        ))
    }
}

fn not_found(uuid: &str) -> Reply {
    Reply::errors(404, [format!("Order {uuid} not found")])
}

/// The product asked for, `i1` when none; 404 naming it when the sandbox
/// does not offer it.
fn product(asked: Option<&str>) -> Result<String, Reply> {
    let product = asked.filter(|p| !p.is_empty()).unwrap_or("i1");
    if catalogue::codes().any(|code| code == product) {
        Ok(product.to_string())
    } else {
        Err(Reply::errors(
            404,
            [format!(
                "Product {product:?} is not available; the sandbox offers {}",
                catalogue::codes().collect::<Vec<_>>().join(", ")
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
    // In i128, as post_sale's check_total: a sum past i64 is not the total.
    let mut sum = Some(0i128);
    for (i, item) in items.iter().enumerate() {
        match item.get("total_with_tax").and_then(Value::as_i64) {
            Some(amount) => sum = sum.map(|s| s + i128::from(amount)),
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
        (Some(total), Some(sum)) if i128::from(total) != sum => errors.push(format!(
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
    let mut book = context.sequra_orders.lock();
    book.orders.insert(
        uuid.clone(),
        Order {
            state: OrderState::Pending,
            started_cart: order["cart"].clone(),
            order,
            product_code: None,
            approved_since: None,
            notifications: Vec::new(),
            form_deliveries: Vec::new(),
            carts: None,
        },
    );
    book.file(&uuid);
    Reply::empty(204).with_header("Location", location)
}

/// `GET /orders/{uuid}/form_v2?product=i1&campaign=&ajax=false`: the
/// identification form, whose submit approves the order in the sandbox.
fn form(uuid: &str, request: &Incoming, context: &Context) -> Reply {
    let cents = match context.sequra_orders.lock().orders.get(uuid) {
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

/// `PUT /orders/{uuid}` with the full order and a `state`: `confirmed`
/// (200 once seQura approved it and the cart is the one it approved),
/// `on_hold` (an approved order the shop reviews) or `cancelled` (before
/// confirmation); 409 with every reason otherwise.
fn update(uuid: &str, request: &Incoming, context: &Context) -> Reply {
    let order = match order_of(request) {
        Ok(order) => order,
        Err(reply) => return reply,
    };
    let mut book = context.sequra_orders.lock();
    let Some(stored) = book.orders.get(uuid) else {
        return not_found(uuid);
    };
    if let Err(reply) = check_merchant(&order, &context.options.merchant) {
        return reply;
    }
    let target = match order.get("state").and_then(Value::as_str) {
        Some("confirmed") => OrderState::Confirmed,
        Some("on_hold") => OrderState::OnHold,
        Some("cancelled") => OrderState::Cancelled,
        other => {
            return Reply::errors(
                409,
                [format!(
                "order.state {} is not supported; send \"confirmed\", \"on_hold\" or \"cancelled\"",
                other.map_or("(missing)".to_string(), |s| format!("{s:?}"))
            )],
            )
        }
    };
    let changes = match order.get("cart") {
        Some(cart) if cart.is_object() => diff("cart", &stored.started_cart, cart),
        _ => vec!["order.cart is required (an object)".to_string()],
    };
    let mut errors = transition_errors(stored.state, target);
    if target != OrderState::Cancelled {
        if stored.state == OrderState::Confirmed && !changes.is_empty() {
            errors.push(
                "order is already confirmed with another cart; change it with \
                 PUT /merchants/{merchant}/orders/{order_ref_1}"
                    .into(),
            );
        }
        errors.extend(changes);
    }
    if !has_merchant_id(&order) {
        errors.push(MERCHANT_ID_REQUIRED.to_string());
    }
    if target == OrderState::Confirmed {
        if let Some(reference) = order_ref_1(&order) {
            if book.taken_by_another(uuid, &reference) {
                errors.push(format!(
                    "merchant_reference.order_ref_1 {reference:?} is already used by another confirmed order"
                ));
            }
        }
    }
    if !errors.is_empty() {
        return Reply::errors(409, errors);
    }
    if let Some(stored) = book.orders.get_mut(uuid) {
        if target == OrderState::Confirmed && stored.state != OrderState::Confirmed {
            stored.carts = Some(Carts::confirmed(&order["cart"]));
        }
        stored.state = target;
        stored.order = order;
    }
    book.file(uuid);
    Reply::json(200, json!({}))
}

/// Why an order in state `from` cannot move to `to` (empty when it can). A
/// repeated request (the first answer was lost) is allowed.
fn transition_errors(from: OrderState, to: OrderState) -> Vec<String> {
    use OrderState::*;
    let reason = match (from, to) {
        (a, b) if a == b => return Vec::new(),
        (Approved | OnHold, Confirmed) | (Approved, OnHold) => return Vec::new(),
        (Pending | NeedsReview | Approved | OnHold, Cancelled) => return Vec::new(),
        (Pending, Confirmed) => "order is pending: it can be confirmed only after seQura approved it",
        (Pending, _) => "order is pending: it can be put on hold only after seQura approved it",
        (NeedsReview, _) => {
            "order is under review by seQura: wait for the IPN that approves or cancels it"
        }
        (Cancelled, _) => "order is cancelled: it cannot change any more",
        (Confirmed, Cancelled) => {
            "order is confirmed: cancel it with PUT /merchants/{merchant}/orders/{order_ref_1} and both carts empty"
        }
        (Confirmed, _) => "order is already confirmed: it cannot be put on hold",
        _ => "this change of state is not allowed",
    };
    vec![reason.to_string()]
}

/// `PATCH /orders/{uuid}` with `{"order": {"merchant_reference": {...}}}`:
/// 200 once stored; 409 when `order_ref_1` is missing, taken by another
/// confirmed order, or the order is cancelled.
fn update_references(uuid: &str, request: &Incoming, context: &Context) -> Reply {
    let order = match order_of(request) {
        Ok(order) => order,
        Err(reply) => return reply,
    };
    let mut book = context.sequra_orders.lock();
    let Some(stored) = book.orders.get(uuid) else {
        return not_found(uuid);
    };
    let Some(Value::Object(references)) = order.get("merchant_reference") else {
        return Reply::errors(
            409,
            ["order.merchant_reference is required (an object)".to_string()],
        );
    };
    let mut errors = Vec::new();
    if stored.state == OrderState::Cancelled {
        errors.push("order is cancelled: its references cannot change".to_string());
    }
    match order_ref_1(&order) {
        None => errors.push("order.merchant_reference.order_ref_1 is required".to_string()),
        Some(reference) if book.taken_by_another(uuid, &reference) => errors.push(format!(
            "merchant_reference.order_ref_1 {reference:?} is already used by another confirmed order"
        )),
        Some(_) => {}
    }
    if !errors.is_empty() {
        return Reply::errors(409, errors);
    }
    let references = references.clone();
    if let Some(stored) = book.orders.get_mut(uuid) {
        let entry = &mut stored.order["merchant_reference"];
        if !entry.is_object() {
            *entry = json!({});
        }
        if let Some(object) = entry.as_object_mut() {
            object.extend(references);
        }
    }
    book.file(uuid);
    Reply::json(200, json!({}))
}

/// `POST /orders/{uuid}/form_deliveries` with `{"channel": "sms",
/// "product_code": ...}`: 204 once "sent" to the shopper's mobile phone;
/// 409 when the order is not pending, has no mobile phone, or the channel
/// or product is not offered.
fn send_form(uuid: &str, request: &Incoming, context: &Context) -> Reply {
    let body = match request.json() {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    let mut book = context.sequra_orders.lock();
    let Some(stored) = book.orders.get_mut(uuid) else {
        return not_found(uuid);
    };
    let mut errors = Vec::new();
    if body.get("channel").and_then(Value::as_str) != Some("sms") {
        errors.push("channel must be \"sms\"".to_string());
    }
    let product = body.get("product_code").and_then(Value::as_str);
    if !product.is_some_and(|p| catalogue::codes().any(|code| code == p)) {
        errors.push(format!(
            "product_code must be one of {}",
            catalogue::codes().collect::<Vec<_>>().join(", ")
        ));
    }
    if stored.state != OrderState::Pending {
        errors.push(format!(
            "order is {}; the form is sent only for a pending order",
            stored.state.as_str()
        ));
    }
    let phone = ["/customer/mobile_phone", "/delivery_address/mobile_phone"]
        .iter()
        .find_map(|p| stored.order.pointer(p).and_then(Value::as_str))
        .filter(|p| !p.trim().is_empty());
    if phone.is_none() {
        errors.push("the order has no mobile phone to send the form to (customer.mobile_phone or delivery_address.mobile_phone)".to_string());
    }
    if !errors.is_empty() {
        return Reply::errors(409, errors);
    }
    stored
        .form_deliveries
        .push(json!({"channel": "sms", "product_code": product}));
    Reply::empty(204)
}

/// `GET /orders/{uuid}/payment_methods`: the products offered for the
/// order's amount.
fn order_payment_methods(uuid: &str, context: &Context) -> Reply {
    let book = context.sequra_orders.lock();
    let Some(stored) = book.orders.get(uuid) else {
        return not_found(uuid);
    };
    let amount = stored.started_cart["order_total_with_tax"].as_i64();
    Reply::json(200, payment_methods(Some(amount.unwrap_or(0))))
}

/// `PUT /merchants/{merchant}/orders/{order_ref_1}` with `{"order":
/// {"shipped_cart", "unshipped_cart", ...}}`: 200 once applied (both carts
/// empty cancel the order); 404 when no confirmed order has the reference;
/// 409 with every reason otherwise.
fn update_after_confirmation(reference: &str, request: &Incoming, context: &Context) -> Reply {
    let order = match order_of(request) {
        Ok(order) => order,
        Err(reply) => return reply,
    };
    if let Err(reply) = check_merchant(&order, &context.options.merchant) {
        return reply;
    }
    let reference = crate::codec::decode_path_segment(reference);
    let mut book = context.sequra_orders.lock();
    // Of the orders confirmed with the reference, the one still confirmed;
    // else the oldest, cancelled (a reference may be used again once its
    // order is cancelled). `min_by_key` keeps the first of equals.
    let found = book
        .with_reference(&reference)
        .filter(|(_, o)| o.carts.is_some())
        .min_by_key(|(_, o)| o.state != OrderState::Confirmed)
        .map(|(uuid, _)| uuid.to_string());
    let Some(stored) = found.and_then(|uuid| book.orders.get_mut(&uuid)) else {
        return Reply::errors(
            404,
            [format!(
                "No confirmed order with merchant_reference.order_ref_1 {reference:?}"
            )],
        );
    };
    if stored.state == OrderState::Cancelled {
        return Reply::errors(
            409,
            ["order is cancelled: it cannot change any more".to_string()],
        );
    }
    let Some(before) = &stored.carts else {
        return Reply::errors(409, ["order is not confirmed".to_string()]);
    };
    match post_sale::apply(before, &order) {
        Ok(carts) => {
            if carts.is_empty() {
                stored.state = OrderState::Cancelled;
            }
            if let Some(trackings) = order.get("trackings") {
                stored.order["trackings"] = trackings.clone();
            }
            stored.carts = Some(carts);
            Reply::json(200, json!({}))
        }
        Err(errors) => Reply::errors(409, errors),
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
        // Two amounts of i64::MAX do not add up to i64::MAX (a saturated
        // sum once took them for it).
        let mut past_i64 = order.clone();
        past_i64["cart"] = json!({"currency": "EUR", "order_total_with_tax": i64::MAX,
            "items": [{"total_with_tax": i64::MAX}, {"total_with_tax": i64::MAX}]});
        assert_eq!(
            start_errors(&past_i64),
            [format!(
                "cart.order_total_with_tax is {} but the items add up to 18446744073709551614; \
                 send the sum of cart.items[].total_with_tax",
                i64::MAX
            )]
        );
    }
}
