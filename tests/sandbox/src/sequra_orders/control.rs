//! The sandbox's control endpoints of the seQura Orders API, under
//! `/sandbox/orders/`: what the shopper does (approve, or seQura reviews
//! first), what seQura does on its own (cancel), what tests look at
//! (inspect); and the IPN and events-webhook posts those send to the shop.

use super::{not_found, order_ref_1, product, OrderState, IPN_WAIT};
use crate::codec::field;
use crate::ids;
use crate::notify::{Delivery, Notification};
use crate::server::{wrong_method, Incoming, Reply};
use crate::Context;
use serde_json::{json, Value};
use std::sync::Arc;

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
            "POST" => decide(uuid, Verdict::Approved, request, context),
            _ => wrong_method(request, "POST"),
        },
        ["orders", uuid, "review"] => match method {
            "POST" => decide(uuid, Verdict::NeedsReview, request, context),
            _ => wrong_method(request, "POST"),
        },
        ["orders", uuid, "cancel"] => match method {
            "POST" => cancel_by_sequra(uuid, request, context),
            _ => wrong_method(request, "POST"),
        },
        ["orders", uuid] => match method {
            "GET" => inspect(uuid, context),
            _ => wrong_method(request, "GET"),
        },
        _ => return None,
    })
}

/// What seQura decides once the shopper completed the form.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Verdict {
    Approved,
    NeedsReview,
}

/// `POST /sandbox/orders/{uuid}/approve[?wait=true]` (or `.../review`: seQura
/// reviews first, `sq_state=needs_review`; an approval may follow), form body
/// `product=pp3` or empty: the shopper completed the form. seQura approves
/// and POSTs the IPN to the order's `notify_url` from a thread of its own;
/// with `wait=true` this answers once the shop did (or 10 s passed).
///
/// An approval from a browser (the form submitted, `Accept` naming
/// `text/html`) is sent back to the shop as the order document says: once
/// the shop answered the IPN, `303 See Other` to the order's
/// `merchant.return_url` ("redirected once the shop has confirmed the
/// order after IPN notification"); an order without `notify_url` to its
/// `approved_url`, which the document keeps for shops without the IPN
/// (the JSON answer when the order has neither).
fn decide(uuid: &str, verdict: Verdict, request: &Incoming, context: &Arc<Context>) -> Reply {
    let product = match product(field(&request.form(), "product")) {
        Ok(product) => product,
        Err(reply) => return reply,
    };
    let browser = verdict == Verdict::Approved && accepts_html(request);
    let wait = browser || request.query("wait") == Some("true");
    let mut back_to_shop = None;
    let (ipn, sq_state) = {
        let mut book = context.sequra_orders.lock();
        let Some(order) = book.orders.get_mut(uuid) else {
            return not_found(uuid);
        };
        let allowed = match verdict {
            Verdict::Approved => [OrderState::Pending, OrderState::NeedsReview].as_slice(),
            Verdict::NeedsReview => [OrderState::Pending].as_slice(),
        };
        if !allowed.contains(&order.state) {
            return Reply::errors(
                409,
                [format!(
                    "order is {}; only a pending order (or one under review) can be decided",
                    order.state.as_str()
                )],
            );
        }
        let since = ids::since_epoch().as_secs().to_string();
        let sq_state = match verdict {
            Verdict::Approved => {
                order.state = OrderState::Approved;
                order.approved_since = Some(since.clone());
                "approved"
            }
            Verdict::NeedsReview => {
                order.state = OrderState::NeedsReview;
                "needs_review"
            }
        };
        order.product_code = Some(product.clone());
        if browser {
            back_to_shop = redirect_target(&order.order);
        }
        let since = order.approved_since.clone().unwrap_or_default();
        (
            notification(uuid, &product, sq_state, &since, &order.order),
            sq_state,
        )
        // The lock is released here, before anything is sent.
    };
    let outcome = deliver(ipn, "ipn", uuid, wait, context);
    if let Some(url) = back_to_shop {
        return Reply::empty(303).with_header("Location", url);
    }
    Reply::json(
        200,
        json!({
            "order_ref": uuid,
            "sq_state": sq_state,
            "product_code": product,
            "ipn": outcome,
        }),
    )
}

/// Whether the request's `Accept` names `text/html`: a browser's form post.
fn accepts_html(request: &Incoming) -> bool {
    request.header("accept").is_some_and(|accept| {
        accept.split(',').any(|media| {
            let media = media.split(';').next().unwrap_or_default().trim();
            media.eq_ignore_ascii_case("text/html")
        })
    })
}

/// Where a browser goes back to the shop (see [`decide`]), when it can be
/// sent there: an absolute http(s) URL that fits in a `Location` header.
fn redirect_target(order: &Value) -> Option<String> {
    let ipn = order
        .pointer("/merchant/notify_url")
        .is_some_and(|u| !u.is_null());
    let field = if ipn { "return_url" } else { "approved_url" };
    let url = order.pointer(&format!("/merchant/{field}"))?.as_str()?;
    let lower = url.to_ascii_lowercase();
    let absolute = lower.starts_with("http://") || lower.starts_with("https://");
    let header_safe = url.bytes().all(|b| b.is_ascii_graphic());
    (absolute && header_safe).then(|| url.to_string())
}

/// Sends `notification` (if any) in the background, recording every try
/// on the order; with `wait`, answers the last try's outcome.
fn deliver(
    notification: Option<Notification>,
    kind: &'static str,
    uuid: &str,
    wait: bool,
    context: &Arc<Context>,
) -> Value {
    let Some(notification) = notification else {
        return json!({"status": null, "error": null});
    };
    let recorder = Arc::clone(context);
    let order_ref = uuid.to_string();
    let delivered = notification.send_in_background(move |sent, delivery| {
        let mut record = delivery.to_json();
        record["url"] = json!(sent.url);
        record["kind"] = json!(kind);
        if let Some(order) = recorder.sequra_orders.lock().orders.get_mut(&order_ref) {
            order.notifications.push(record);
            // 410 to an IPN: the shop will never take the order, and seQura
            // cancels it (refunding the shopper) rather than ask again.
            let undecided = matches!(order.state, OrderState::Approved | OrderState::NeedsReview);
            if kind == "ipn" && delivery.status == Some(410) && undecided {
                order.state = OrderState::Cancelled;
            }
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

/// `POST /sandbox/orders/{uuid}/cancel[?wait=true]`: seQura cancels the
/// order (e.g. after a risk review). Before confirmation the shop hears it
/// by IPN (`sq_state=cancelled`); after, by the `events_webhook`
/// (`event=cancelled`).
fn cancel_by_sequra(uuid: &str, request: &Incoming, context: &Arc<Context>) -> Reply {
    let wait = request.query("wait") == Some("true");
    let (notification, kind) = {
        let mut book = context.sequra_orders.lock();
        let Some(order) = book.orders.get_mut(uuid) else {
            return not_found(uuid);
        };
        let was = order.state;
        if was == OrderState::Cancelled {
            return Reply::errors(409, ["order is already cancelled".to_string()]);
        }
        order.state = OrderState::Cancelled;
        if was == OrderState::Confirmed {
            (event(uuid, "cancelled", &order.order), "event")
        } else {
            let product = order.product_code.clone().unwrap_or_default();
            let since = order.approved_since.clone().unwrap_or_default();
            (
                notification(uuid, &product, "cancelled", &since, &order.order),
                "ipn",
            )
        }
    };
    let outcome = deliver(notification, kind, uuid, wait, context);
    Reply::json(
        200,
        json!({"order_ref": uuid, "state": "cancelled", kind: outcome}),
    )
}

/// The events-webhook POST for `event`, `None` without `events_webhook.url`:
/// `event`, `order_ref`, `order_ref_1`, then each `parameters` entry
/// prefixed `m_`.
fn event(uuid: &str, name: &str, order: &Value) -> Option<Notification> {
    let url = order.pointer("/merchant/events_webhook/url")?.as_str()?;
    let mut fields = vec![
        ("event".to_string(), name.to_string()),
        ("order_ref".into(), uuid.to_string()),
        ("order_ref_1".into(), order_ref_1(order).unwrap_or_default()),
    ];
    if let Some(Value::Object(parameters)) = order.pointer("/merchant/events_webhook/parameters") {
        for (key, value) in parameters {
            fields.push((format!("m_{key}"), text(value)));
        }
    }
    Some(Notification::form(url, &fields))
}

/// A JSON value as a form field: strings as they are, the rest as JSON.
fn text(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// The IPN of an order that reached `sq_state`, `None` when it has no
/// `notify_url`: seQura's fields, then every `notification_parameters`
/// entry echoed.
fn notification(
    uuid: &str,
    product: &str,
    sq_state: &str,
    since: &str,
    order: &Value,
) -> Option<Notification> {
    let url = order.pointer("/merchant/notify_url")?.as_str()?;
    let mut fields = vec![
        ("order_ref".to_string(), uuid.to_string()),
        ("product_code".into(), product.to_string()),
        ("sq_state".into(), sq_state.to_string()),
        ("order_ref_1".into(), order_ref_1(order).unwrap_or_default()),
        ("approved_since".into(), since.to_string()),
    ];
    if let Some(Value::Object(parameters)) = order.pointer("/merchant/notification_parameters") {
        for (key, value) in parameters {
            fields.push((key.clone(), text(value)));
        }
    }
    Some(Notification::form(url, &fields))
}

/// `GET /sandbox/orders/{uuid}`: the order as the sandbox holds it.
fn inspect(uuid: &str, context: &Context) -> Reply {
    let book = context.sequra_orders.lock();
    let Some(order) = book.orders.get(uuid) else {
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
            "form_deliveries": order.form_deliveries,
            "shipped_cart": order.carts.as_ref().map(|c| &c.shipped),
            "unshipped_cart": order.carts.as_ref().map(|c| &c.unshipped),
        }),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipn_echoes_the_notification_parameters_as_text() {
        let order = json!({"merchant": {"notify_url": "http://127.0.0.1:1/ipn",
            "notification_parameters": {"n": 7, "sig": "a b"}},
            "merchant_reference": {"order_ref_1": 42}});
        let ipn = notification("u-1", "pp3", "approved", "1700000000", &order).unwrap();
        assert_eq!(ipn.url, "http://127.0.0.1:1/ipn");
        assert_eq!(
            ipn.body,
            "order_ref=u-1&product_code=pp3&sq_state=approved&order_ref_1=42\
             &approved_since=1700000000&n=7&sig=a+b"
        );
        assert!(notification("u-1", "i1", "approved", "0", &json!({"merchant": {}})).is_none());
    }
}
