//! The seQura part-payment (POS) orders API under `/api/public/v1/orders`
//! (the POS document, docs/apis.md), and the sandbox's control endpoints under `/sandbox/pos/`
//! that play the customer and the rest of seQura.
//!
//! The server's rules: an order is `pending` until the customer signs
//! (`confirmed`). The SMS may be sent while `can_resend_sms`, which holds
//! while the order is pending and fewer than [`MAX_SMS`] texts went out.
//! Cancelling a pending order cancels it at once; a confirmed one gets a
//! cancellation request to the financing provider and stays confirmed
//! until the provider cancels it; any other order, or one with a
//! request already made, is not cancellable (422), nor is one that belongs
//! to a subscription (422). An order made by another API account is 401,
//! an unknown id 404. Errors are `{"success": false, "message": ...}` (and
//! `errors` for a refused body); every answer has an `X-Request-Id`.

mod rules;

use crate::ids;
use crate::server::{authorized, wrong_method, Incoming, Reply};
use crate::Context;
use serde_json::{json, Value};
use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

/// Texts per order, after which `can_resend_sms` turns false.
const MAX_SMS: usize = 3;
/// The first order id, as in the document's example.
const FIRST_ID: u64 = 4567;
/// The longest `after_ms` of a delayed signature.
const MAX_SIGN_DELAY: Duration = Duration::from_secs(30);

/// One order and what the sandbox knows about it beyond the cart.
struct PosOrder {
    /// The cart object, as the API answers it.
    cart: Value,
    /// The API account (username) that created it: only it may act on it.
    account: String,
    /// The numbers each SMS went to, in order.
    sms: Vec<String>,
    /// A confirmed order's cancellation request awaits the provider.
    cancellation_requested: bool,
}

impl PosOrder {
    fn status(&self) -> &str {
        self.cart["status"].as_str().unwrap_or_default()
    }

    fn set_status(&mut self, status: &str) {
        self.cart["status"] = json!(status);
        self.refresh_can_resend_sms();
    }

    fn refresh_can_resend_sms(&mut self) {
        self.cart["can_resend_sms"] = json!(self.status() == "pending" && self.sms.len() < MAX_SMS);
    }
}

#[derive(Default)]
struct Book {
    /// The last id handed out; 0 before the first.
    last_id: u64,
    orders: HashMap<u64, PosOrder>,
}

/// This API's state: the orders of every account, by id.
#[derive(Default)]
pub(crate) struct State(Mutex<Book>);

impl State {
    fn lock(&self) -> MutexGuard<'_, Book> {
        // A worker that panicked mid-update left no state worth serving.
        self.0.lock().expect("the POS orders lock is not poisoned")
    }
}

/// The API's endpoints (segments from `api` on); `None` when no route
/// matches.
pub(crate) fn api(segments: &[&str], request: &Incoming, context: &Arc<Context>) -> Option<Reply> {
    let ["api", "public", "v1", "orders", rest @ ..] = segments else {
        return None;
    };
    let method = request.method.as_str();
    let allowed = match rest {
        [] | [_, "send_sms" | "cancel"] => "POST",
        [_] => "GET",
        _ => return None,
    };
    let reply = if method != allowed {
        wrong_method(request, allowed)
    } else if !authorized(request, &context.options) {
        Reply::access_denied()
    } else {
        match rest {
            [] => create(request, context),
            [id] => with_order(id, context, |order| Reply::json(200, order.cart.clone())),
            [id, "send_sms"] => send_sms(id, request, context),
            [id, "cancel"] => with_order(id, context, cancel),
            _ => return None,
        }
    };
    Some(reply.with_header("X-Request-Id", ids::new_uuid()))
}

/// `/sandbox/pos/...` (segments after `pos`): what the customer, the
/// financing provider and the rest of seQura do. No auth: these are not
/// part of seQura's API.
pub(crate) fn control(
    segments: &[&str],
    request: &Incoming,
    context: &Arc<Context>,
) -> Option<Reply> {
    let method = request.method.as_str();
    Some(match segments {
        ["orders"] => match method {
            "POST" => seed_order(request, context),
            _ => wrong_method(request, "POST"),
        },
        ["orders", id] => match method {
            "GET" => inspect(id, context),
            _ => wrong_method(request, "GET"),
        },
        ["orders", id, "sign"] => match method {
            "POST" => sign(id, request, context),
            _ => wrong_method(request, "POST"),
        },
        ["orders", id, "provider_cancels"] => match method {
            "POST" => provider_cancels(id, context),
            _ => wrong_method(request, "POST"),
        },
        _ => return None,
    })
}

/// `{"success": false, "message": ...}`, the shape of every refusal.
fn refusal(status: u16, message: impl Into<String>) -> Reply {
    Reply::json(status, json!({"success": false, "message": message.into()}))
}

fn not_found() -> Reply {
    refusal(404, "Order not found")
}

/// Runs `act` on the order `id` of the calling account: 404 for an id
/// that is no order, 401 for another account's order.
fn with_order(id: &str, context: &Context, act: impl FnOnce(&mut PosOrder) -> Reply) -> Reply {
    let Ok(id) = id.parse::<u64>() else {
        return not_found();
    };
    let mut book = context.pos.lock();
    let Some(order) = book.orders.get_mut(&id) else {
        return not_found();
    };
    if order.account != context.options.username {
        return refusal(401, "API account not authorised for this order");
    }
    act(order)
}

/// `POST /api/public/v1/orders`: 201 and the cart object; 422 with every
/// problem of the body.
fn create(request: &Incoming, context: &Context) -> Reply {
    let body = match request.json() {
        Ok(body) => body,
        Err(reply) => return reply,
    };
    let problems = rules::order_problems(&body, &context.options.merchant);
    if !problems.is_empty() {
        return Reply::json(
            422,
            json!({"success": false, "message": "The order is not valid", "errors": problems}),
        );
    }
    let cart = store(body, &context.options.username, context);
    Reply::json(201, cart)
}

/// Files a valid order as a new pending cart of `account`; its cart.
fn store(order: Value, account: &str, context: &Context) -> Value {
    let mut book = context.pos.lock();
    let id = book.last_id.max(FIRST_ID - 1) + 1;
    book.last_id = id;
    let cart = cart_of(id, &order);
    book.orders.insert(
        id,
        PosOrder {
            cart: cart.clone(),
            account: account.to_string(),
            sms: Vec::new(),
            cancellation_requested: false,
        },
    );
    cart
}

/// The cart object of a new order, as the POS document shows it.
fn cart_of(id: u64, order: &Value) -> Value {
    let empty = Vec::new();
    let items: Vec<Value> = order["cart_items"]
        .as_array()
        .unwrap_or(&empty)
        .iter()
        .map(|item| {
            let price = item["price_with_tax"].as_i64().unwrap_or_default();
            let quantity = item["quantity"].as_i64().unwrap_or_default();
            json!({
                "reference": item["reference"], "name": item["name"],
                "price_with_tax": price, "quantity": quantity,
                "total_with_tax": price.saturating_mul(quantity),
            })
        })
        .collect();
    let total = items
        .iter()
        .filter_map(|item| item["total_with_tax"].as_i64())
        .fold(0i64, i64::saturating_add);
    json!({
        "id": id,
        "reference": order["reference"],
        "status": "pending",
        "total_with_tax": format!("{}.{:02}", total / 100, total % 100),
        "currency": "EUR",
        "sms_mobile_phone": order["mobile_phone"],
        "operator_ref": order["operator_ref"],
        "cart_items": items,
        "customer_data": {
            "given_names": order["given_names"],
            "surnames": order["surnames"],
            "nin": order["nin"],
            "email": order.get("email").and_then(Value::as_str).unwrap_or(""),
            "phone": order["mobile_phone"],
            "dob": order["date_of_birth"],
        },
        "solicitation": null,
        "order_uuid": null,
        "subscription_id": null,
        "joint_customer": null,
        "can_resend_sms": true,
        "created_at": now(),
    })
}

/// `POST /api/public/v1/orders/:id/send_sms` with an optional
/// `{"mobile_phone": ...}`: 200 `{"message": "SMS sent successfully"}`;
/// 422 when the SMS may not be sent or the number is not a mobile's.
fn send_sms(id: &str, request: &Incoming, context: &Context) -> Reply {
    let body = if request.body.iter().all(u8::is_ascii_whitespace) {
        json!({})
    } else {
        match request.json() {
            Ok(body) => body,
            Err(reply) => return reply,
        }
    };
    let phone = match body.get("mobile_phone") {
        None | Some(Value::Null) => None,
        Some(Value::String(phone)) if rules::is_mobile(phone) => Some(phone.clone()),
        Some(other) => {
            return refusal(
                422,
                format!("mobile_phone {other} is not a valid mobile number"),
            )
        }
    };
    with_order(id, context, |order| {
        if order.cart["can_resend_sms"] != json!(true) {
            let why = if order.status() == "pending" {
                format!("the limit of {MAX_SMS} SMS was reached")
            } else {
                format!("the order is {}", order.status())
            };
            return refusal(422, format!("SMS can't be sent for this order: {why}"));
        }
        if let Some(phone) = phone {
            order.cart["sms_mobile_phone"] = json!(phone);
        }
        let to = order.cart["sms_mobile_phone"]
            .as_str()
            .unwrap_or_default()
            .to_string();
        order.sms.push(to);
        order.refresh_can_resend_sms();
        Reply::json(200, json!({"message": "SMS sent successfully"}))
    })
}

/// `POST /api/public/v1/orders/:id/cancel`: 200 `{"success": true, ...}`
/// for a pending order (cancelled) or a confirmed one (a request to the
/// provider); 422 otherwise.
fn cancel(order: &mut PosOrder) -> Reply {
    if !order.cart["subscription_id"].is_null() {
        return refusal(
            422,
            "Order belongs to a subscription; use the subscriptions cancel endpoint instead",
        );
    }
    match order.status() {
        "pending" => {
            order.set_status("cancelled");
            Reply::json(
                200,
                json!({"success": true, "message": "Order cancelled successfully"}),
            )
        }
        "confirmed" if !order.cancellation_requested => {
            order.cancellation_requested = true;
            Reply::json(
                200,
                json!({"success": true, "message": "Cancellation requested to the financing provider"}),
            )
        }
        "confirmed" => refusal(
            422,
            "Order is not in a cancellable status: a cancellation was already requested",
        ),
        status => refusal(
            422,
            format!("Order is not in a cancellable status ({status})"),
        ),
    }
}

/// `POST /sandbox/pos/orders` with an optional `{"status", "subscription_id",
/// "api_account"}`: an order as other parts of seQura would have made it
/// (by the subscriptions API, by another API account, already completed),
/// with the document's customer and item. 201 and its cart.
fn seed_order(request: &Incoming, context: &Context) -> Reply {
    let body = if request.body.is_empty() {
        json!({})
    } else {
        match request.json() {
            Ok(body) => body,
            Err(reply) => return reply,
        }
    };
    let order = json!({
        "merchant": {"id": context.options.merchant, "store_ref": "store_1"},
        "operator_ref": "operator@example.com", "reference": "pos_1234",
        "mobile_phone": "+34666123456", "given_names": "María", "surnames": "García López",
        "date_of_birth": "1990-01-01", "nin": "12345678Z", "address": "Calle Mayor 1",
        "postal_code": "08001", "city": "Barcelona",
        "cart_items": [{"reference": "FRAME-001", "name": "Designer Frame",
                        "price_with_tax": 25000, "quantity": 1}]
    });
    let account = match body.get("api_account") {
        Some(Value::String(account)) => account.clone(),
        _ => context.options.username.clone(),
    };
    let cart = store(order, &account, context);
    let Some(id) = cart["id"].as_u64() else {
        return Reply::errors(500, ["the new order has no id".to_string()]);
    };
    let mut book = context.pos.lock();
    let Some(stored) = book.orders.get_mut(&id) else {
        return Reply::errors(500, ["the new order is gone".to_string()]);
    };
    if let Some(subscription) = body.get("subscription_id").filter(|s| !s.is_null()) {
        stored.cart["subscription_id"] = subscription.clone();
    }
    if let Some(status) = body.get("status").and_then(Value::as_str) {
        if status == "confirmed" {
            signed(stored);
        }
        stored.set_status(status);
    }
    Reply::json(201, stored.cart.clone())
}

/// `GET /sandbox/pos/orders/:id`: the cart, its account, the SMS sent and
/// whether a cancellation awaits the provider.
fn inspect(id: &str, context: &Context) -> Reply {
    let book = context.pos.lock();
    match id.parse::<u64>().ok().and_then(|id| book.orders.get(&id)) {
        Some(order) => Reply::json(
            200,
            json!({
                "cart": order.cart,
                "api_account": order.account,
                "sms": order.sms,
                "cancellation_requested": order.cancellation_requested,
            }),
        ),
        None => not_found(),
    }
}

/// `POST /sandbox/pos/orders/:id/sign[?after_ms=N]`: the customer opens
/// the link and signs, and the order is confirmed: now (200 and the cart),
/// or after N milliseconds (202), as a customer at the counter would.
/// 409 unless the order is pending.
fn sign(id: &str, request: &Incoming, context: &Arc<Context>) -> Reply {
    let Ok(id) = id.parse::<u64>() else {
        return not_found();
    };
    let delay = match request.query("after_ms").map(str::parse::<u64>) {
        None => None,
        Some(Ok(ms)) if Duration::from_millis(ms) <= MAX_SIGN_DELAY => {
            Some(Duration::from_millis(ms))
        }
        Some(_) => {
            return Reply::errors(
                400,
                [format!(
                    "after_ms must be a number of milliseconds up to {}",
                    MAX_SIGN_DELAY.as_millis()
                )],
            )
        }
    };
    {
        let book = context.pos.lock();
        match book.orders.get(&id) {
            None => return not_found(),
            Some(order) if order.status() != "pending" => {
                return Reply::errors(
                    409,
                    [format!(
                        "order {id} is {}; only a pending order can be signed",
                        order.status()
                    )],
                )
            }
            Some(_) => {}
        }
    }
    let sign_now = move |context: &Context| {
        let mut book = context.pos.lock();
        let order = book.orders.get_mut(&id)?;
        (order.status() == "pending").then(|| {
            signed(order);
            order.cart.clone()
        })
    };
    match delay {
        None => match sign_now(context) {
            Some(cart) => Reply::json(200, cart),
            None => not_found(),
        },
        Some(delay) => {
            let context = Arc::clone(context);
            std::thread::spawn(move || {
                std::thread::sleep(delay);
                sign_now(&context);
            });
            Reply::json(202, json!({"id": id, "signs_in_ms": delay.as_millis()}))
        }
    }
}

/// The customer signed: the order is confirmed and has a seQura order.
fn signed(order: &mut PosOrder) {
    let uuid = ids::new_uuid();
    order.cart["order_uuid"] = json!(uuid);
    order.cart["solicitation"] = json!({"order_uuid": uuid, "product_code": "pp3"});
    order.set_status("confirmed");
}

/// `POST /sandbox/pos/orders/:id/provider_cancels`: the financing provider
/// grants a requested cancellation; 409 when none was requested.
fn provider_cancels(id: &str, context: &Context) -> Reply {
    let mut book = context.pos.lock();
    let Some(order) = id
        .parse::<u64>()
        .ok()
        .and_then(|id| book.orders.get_mut(&id))
    else {
        return not_found();
    };
    if !order.cancellation_requested || order.status() != "confirmed" {
        return Reply::errors(
            409,
            [format!("order {id} has no cancellation request pending")],
        );
    }
    order.cancellation_requested = false;
    order.set_status("cancelled");
    Reply::json(200, order.cart.clone())
}

/// Now, as the API writes times: `2024-01-15T10:00:00.000Z`.
fn now() -> String {
    ids::timestamp(ids::since_epoch(), true)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_written_as_the_api_writes_them() {
        let now = now();
        assert_eq!(now.len(), "2024-01-15T10:00:00.000Z".len(), "{now}");
        assert!(now.ends_with('Z') && now.as_bytes()[10] == b'T', "{now}");
    }

    #[test]
    fn new_carts_total_their_items_as_a_two_decimal_string() {
        let order = json!({"cart_items": [
            {"reference": "A", "name": "a", "price_with_tax": 1005, "quantity": 3},
            {"reference": "B", "name": "b", "price_with_tax": 5, "quantity": 1}
        ]});
        let cart = cart_of(FIRST_ID, &order);
        assert_eq!(cart["total_with_tax"], "30.20");
        assert_eq!(cart["cart_items"][0]["total_with_tax"], 3015);
        assert_eq!(cart["status"], "pending");
    }
}
