//! The other side of a confirmation: the customer at seQura (the page the
//! redirect URL opens, approving or declining), the webhook checkout.com
//! then sends the merchant (signed in `Cko-Signature`), and what the tests
//! register and inspect.

use super::{ids, CHECKOUT_COM_WEBHOOK_SECRET};
use crate::notify::{Delivery, Notification};
use crate::server::{Incoming, Reply};
use crate::Context;
use hmac::{Hmac, Mac};
use serde_json::{json, Value};
use sha2::Sha256;
use std::sync::Arc;
use std::time::Duration;

/// How long `?wait=true` waits for the merchant to answer the webhook
/// (longer than the notification's own timeout, so that one wins).
const WEBHOOK_WAIT: Duration = Duration::from_secs(10);

/// A checkout.com-style error body for the control endpoints.
fn refused(status: u16, code: &str) -> Reply {
    Reply::json(
        status,
        json!({"request_id": ids::new_uuid(), "error_type": "request_invalid", "error_codes": [code]}),
    )
}

/// `PUT /sandbox/checkout_com/webhook` with `{"url": "http://127.0.0.1:PORT/hook"}`:
/// where the merchant receives webhooks, as registered in the Dashboard.
/// Only loopback URLs are ever called.
pub(super) fn register_webhook(request: &Incoming, context: &Context) -> Reply {
    let url = match request.json() {
        Ok(body) => body.get("url").and_then(Value::as_str).map(str::to_string),
        Err(reply) => return reply,
    };
    let Some(url) = url.filter(|u| u.starts_with("http://") || u.starts_with("https://")) else {
        return refused(422, "url_invalid");
    };
    context.checkout_com.lock().webhook_url = Some(url.clone());
    Reply::json(200, json!({"url": url}))
}

/// `DELETE /sandbox/checkout_com/webhook`: no more webhooks.
pub(super) fn forget_webhook(context: &Context) -> Reply {
    context.checkout_com.lock().webhook_url = None;
    Reply::empty(204)
}

/// `GET /sandbox/checkout_com/setups`: how many setups exist, and which.
pub(super) fn list_setups(context: &Context) -> Reply {
    let state = context.checkout_com.lock();
    let mut ids: Vec<&String> = state.setups.keys().collect();
    ids.sort();
    Reply::json(
        200,
        json!({"count": ids.len(), "ids": ids, "payments": state.payments.len()}),
    )
}

/// `GET /sandbox/checkout_com/payments/{id}`: the payment and the webhooks
/// sent for it.
pub(super) fn inspect_payment(id: &str, context: &Context) -> Reply {
    let state = context.checkout_com.lock();
    match state.payments.get(id) {
        Some(payment) => Reply::json(
            200,
            json!({"payment": payment.body, "setup_id": payment.setup_id, "webhooks": payment.webhooks}),
        ),
        None => refused(404, "payment_not_found"),
    }
}

/// `GET /sandbox/checkout_com/sequra/checkout/{partner_payment_id}`: the
/// seQura page the redirect URL opens, with the two ways out.
pub(super) fn checkout_page(partner_payment_id: &str, context: &Context) -> Reply {
    let state = context.checkout_com.lock();
    let found = state
        .payments
        .values()
        .find(|p| p.body["processing"]["partner_payment_id"] == partner_payment_id);
    let Some(payment) = found else {
        return refused(404, "checkout_not_found");
    };
    // Every value here is the sandbox's own (url, ids): nothing needs
    // HTML escaping.
    let id = payment.body["id"].as_str().unwrap_or_default();
    let base = format!("{}/sandbox/checkout_com/payments/{id}", context.url);
    Reply::html(format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>seQura</title></head><body>\n\
         <h1 id=\"sq-checkout\">Pay later with seQura</h1>\n\
         <form method=\"post\" action=\"{base}/approve\"><button>Approve</button></form>\n\
         <form method=\"post\" action=\"{base}/decline\"><button>Decline</button></form>\n\
         </body></html>\n"
    ))
}

/// `POST /sandbox/checkout_com/payments/{id}/approve` or `/decline`
/// `[?wait=true]`: the customer finished at seQura. A pending payment
/// becomes `Authorized` or `Declined`, checkout.com sends the webhook
/// (`payment_approved` or `payment_declined`), and the answer says where
/// the customer's browser goes (the setup's `success_url` or
/// `failure_url`). With `wait=true` it answers once the merchant answered
/// the webhook (or 10 s passed). 404 for an unknown payment, 409 when it is
/// no longer pending.
pub(super) fn finish(id: &str, outcome: &str, request: &Incoming, context: &Arc<Context>) -> Reply {
    let approved = outcome == "approve";
    let (event_type, status, summary, code) = if approved {
        ("payment_approved", "Authorized", "Approved", "10000")
    } else {
        ("payment_declined", "Declined", "Declined", "20005")
    };
    let (webhook, redirect_to) = {
        let mut state = context.checkout_com.lock();
        let webhook_url = state.webhook_url.clone();
        let Some(payment) = state.payments.get_mut(id) else {
            return refused(404, "payment_not_found");
        };
        if payment.body["status"] != "Pending" {
            return refused(409, "payment_not_pending");
        }
        payment.body["status"] = json!(status);
        let setup_id = payment.setup_id.clone();
        let mut data = json!({
            "id": id,
            "action_id": ids::new_id("act"),
            "response_code": code,
            "response_summary": summary,
            "processing": payment.body["processing"],
            "metadata": {},
        });
        let payment_reference = payment.body.get("reference").cloned();
        let setup = state.setups.get(&setup_id).map(|s| &s.body);
        for key in [
            "amount",
            "currency",
            "processing_channel_id",
            "payment_type",
        ] {
            if let Some(value) = setup.and_then(|s| s.get(key)) {
                data[key] = value.clone();
            }
        }
        if let Some(reference) = payment_reference {
            data["reference"] = reference;
        }
        let url_key = if approved {
            "success_url"
        } else {
            "failure_url"
        };
        let redirect_to = setup
            .and_then(|s| s.pointer(&format!("/settings/{url_key}")))
            .cloned()
            .unwrap_or(Value::Null);
        let event_id = ids::new_id("evt");
        let event = json!({
            "id": event_id,
            "type": event_type,
            "version": "1.0.0",
            "created_on": ids::now(),
            "data": data,
            "_links": {
                "self": {"href": format!("{}/workflows/events/{event_id}", context.url)},
                "payment": {"href": format!("{}/payments/{id}", context.url)},
            },
        });
        let webhook = webhook_url.map(|url| signed(&url, event.to_string()));
        (webhook, redirect_to)
        // The lock is released here, before anything is sent.
    };
    let delivery = match webhook {
        None => json!({"status": null, "error": "no webhook URL is registered"}),
        Some(webhook) => {
            let context = Arc::clone(context);
            let id = id.to_string();
            let delivered = webhook.send_in_background(move |webhook, delivery| {
                let mut record = delivery.to_json();
                record["url"] = json!(webhook.url);
                record["type"] = json!(event_type);
                if let Some(payment) = context.checkout_com.lock().payments.get_mut(&id) {
                    payment.webhooks.push(record);
                }
            });
            if request.query("wait") == Some("true") {
                delivered
                    .recv_timeout(WEBHOOK_WAIT)
                    .unwrap_or_else(|_| Delivery {
                        status: None,
                        error: Some("the merchant did not answer in time".into()),
                    })
                    .to_json()
            } else {
                json!({"status": null, "error": null, "pending": true})
            }
        }
    };
    Reply::json(
        200,
        json!({"payment_id": id, "status": status, "redirect_to": redirect_to, "webhook": delivery}),
    )
}

/// The webhook for `body`, signed as checkout.com signs: the hex
/// HMAC-SHA256 of the exact body text, keyed with the webhook's secret.
fn signed(url: &str, body: String) -> Notification {
    let mut mac = Hmac::<Sha256>::new_from_slice(CHECKOUT_COM_WEBHOOK_SECRET.as_bytes())
        .expect("HMAC accepts any key length");
    mac.update(body.as_bytes());
    let signature: String = mac
        .finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    Notification::json(url, body).with_header("Cko-Signature", signature)
}
