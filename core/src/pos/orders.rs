//! `/api/public/v1/orders`: create a part-payment order, text the customer
//! the link to sign it, cancel it.

use super::cart::{Cart, Status};
use super::validate::{mobile_phone_problem, validate};
use crate::error::{Error, Result};
use crate::http::{Method, Request, Response, Transport};
use crate::redact::quote;
use crate::validate::echo::{self, Echo};
use crate::Problem;
use serde::Serialize;
use serde_json::{json, Value};

const ORDERS: &str = "/api/public/v1/orders";

/// seQura's answer to [`Orders::send_sms`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SmsSent {
    /// The server's words, e.g. `SMS sent successfully`.
    pub message: String,
}

/// What [`Orders::cancel`] did. It serialises as the skins hand it out:
/// `{"outcome", "message", "status"}` (the order's status afterwards, or
/// null).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cancellation {
    pub outcome: CancelOutcome,
    /// The server's words, e.g. `Order cancelled successfully`.
    pub message: String,
    /// The order as read right after the cancellation, when it could be.
    #[serde(rename = "status", serialize_with = "status_of")]
    pub order: Option<Cart>,
}

fn status_of<S: serde::Serializer>(order: &Option<Cart>, out: S) -> Result<S::Ok, S::Error> {
    order.as_ref().map(|o| o.status.as_str()).serialize(out)
}

/// Whether a cancellation took effect at once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CancelOutcome {
    /// The order was pending and is now cancelled.
    Cancelled,
    /// The order was confirmed: seQura asked the financing provider to
    /// cancel it, and the order stays as it is until the provider does.
    #[serde(rename = "cancellation_requested")]
    Requested,
    /// seQura accepted the cancellation, but the order read afterwards
    /// does not say which of the two happened: the read failed, or the
    /// order is neither cancelled nor confirmed (still pending, which a
    /// cancellation that took effect does not leave). Read the order later
    /// with [`Orders::get`].
    Unknown,
}

impl CancelOutcome {
    /// `cancelled`, `cancellation_requested` or `unknown`, as the C and PHP
    /// skins write it.
    pub fn as_str(self) -> &'static str {
        match self {
            CancelOutcome::Cancelled => "cancelled",
            CancelOutcome::Requested => "cancellation_requested",
            CancelOutcome::Unknown => "unknown",
        }
    }
}

/// The part-payment orders of a [`super::Client`].
pub struct Orders<'a> {
    transport: &'a Transport,
    /// The client's merchant, which an order's `merchant.id` must name.
    merchant: &'a str,
    allow_unknown_keys: bool,
}

impl<'a> Orders<'a> {
    pub(crate) fn new(
        transport: &'a Transport,
        merchant: &'a str,
        allow_unknown_keys: bool,
    ) -> Self {
        Orders {
            transport,
            merchant,
            allow_unknown_keys,
        }
    }

    /// Every problem of `order` as [`Orders::create`] checks it; empty
    /// when it can be sent. Nothing is sent.
    pub fn validate(&self, order: &Value) -> Vec<Problem> {
        validate(order, self.allow_unknown_keys, Some(self.merchant))
    }

    /// Creates an order: `POST /api/public/v1/orders` with `order`: the
    /// `merchant` (`id`, `store_ref`), `operator_ref`, `reference`, the
    /// customer's `mobile_phone`, `given_names`, `surnames`,
    /// `date_of_birth`, `nin`, `address`, `postal_code`, `city`, optionally
    /// `email`, and `cart_items` (`reference`, `name`, `price_with_tax` in
    /// integer cents, `quantity`).
    ///
    /// The order is checked first ([`super::validate::validate`], with its
    /// `merchant.id` the client's): one with problems is refused with all
    /// of them and nothing is sent. 200 or 201 → the cart object; keep its
    /// `id` to send the SMS (an answer that is not the documented cart is
    /// [`Error::UnexpectedResponse`], naming the id when it has one). 401
    /// ([`Error::Authentication`]) and 422 ([`Error::Unprocessable`], with
    /// the server's message) are the server's refusals. Not sent again once
    /// it may have reached the server: a second try could create a second
    /// order.
    pub fn create(&self, order: &Value) -> Result<Cart> {
        let problems = self.validate(order);
        if !problems.is_empty() {
            return Err(Error::InvalidInput(problems));
        }
        let request = Request::new(Method::Post, self.transport.url(ORDERS)).json(order);
        let response = self.transport.send(request)?;
        match response.status {
            200 | 201 => cart_of(&response)
                .and_then(|cart| as_sent(&response, cart, order))
                .map_err(|err| naming_the_created(&response, err)),
            _ => Err(response.into_error()),
        }
    }

    /// Reads an order: `GET /api/public/v1/orders/:id` → 200 and the cart
    /// object, e.g. to see whether the customer has signed (status
    /// `confirmed`). 401 when this API account may not see the order, 404
    /// when there is no such order.
    ///
    /// The POS document shows the cart object but not this read of it; the
    /// subscriptions API of the same hosts documents its own
    /// (`GET /api/public/v1/subscriptions/:id`), and this is its twin.
    ///
    /// An answer about another order (a cart of another `id`: a proxy's
    /// mix-up, or a stray answer left on the connection) is
    /// [`Error::UnexpectedResponse`], never that order's cart: a counter
    /// polling for the signature, or [`Orders::cancel`] reading the outcome,
    /// would act on another customer's order.
    pub fn get(&self, id: u64) -> Result<Cart> {
        let request = Request::new(Method::Get, self.order_url(id, "")?);
        let response = self.transport.send(request)?;
        match response.status {
            200 => {
                let cart = cart_of(&response)?;
                if cart.id != id {
                    return Err(response.about_another("", "order", cart.id, id));
                }
                Ok(cart)
            }
            _ => Err(response.into_error()),
        }
    }

    /// Texts the customer the link to sign the order:
    /// `POST /api/public/v1/orders/:id/send_sms`, to `mobile_phone` when
    /// given (checked first, like the order's), else to the order's number.
    ///
    /// 2xx → the server's message, `""` when it gives none (`"success": false` with it is
    /// [`Error::UnexpectedResponse`]: not sent). 422 ([`Error::Unprocessable`]) when the
    /// SMS may not be sent (again): the cart's `can_resend_sms` says when.
    /// 401 when this API account may not act on the order, 404 when there
    /// is no such order. Not sent again once it may have reached the server:
    /// the customer would get two texts.
    pub fn send_sms(&self, id: u64, mobile_phone: Option<&str>) -> Result<SmsSent> {
        let body = match mobile_phone {
            Some(phone) => {
                if let Some(problem) = mobile_phone_problem(phone) {
                    return Err(Error::invalid("mobile_phone", problem));
                }
                json!({ "mobile_phone": phone })
            }
            None => json!({}),
        };
        let url = self.order_url(id, "/send_sms")?;
        let response = self
            .transport
            .send(Request::new(Method::Post, url).json(&body))?;
        match response.status {
            200..=299 => Ok(SmsSent {
                message: message_of(&response)?,
            }),
            _ => Err(response.into_error()),
        }
    }

    /// Cancels an order: `POST /api/public/v1/orders/:id/cancel`, no body.
    ///
    /// 2xx → accepted. A pending order is cancelled at once; for a
    /// confirmed one seQura asks the financing provider to cancel. The
    /// answer does not say which, so the order is read right after
    /// ([`Orders::get`]): [`CancelOutcome::Cancelled`] when it is now
    /// cancelled, [`CancelOutcome::Requested`] when it is confirmed (the
    /// provider decides), and [`CancelOutcome::Unknown`] when it could not
    /// be read or is in another status.
    ///
    /// 422 ([`Error::Unprocessable`], with the server's message) when the
    /// order is not in a cancellable status (already cancelled, completed)
    /// or belongs to a subscription (cancel the subscription instead). 401
    /// when this API account may not act on the order, 404 when there is no
    /// such order. Not sent again once it may have reached the server. The
    /// cancel and the read are one call, within the client's `timeout`.
    pub fn cancel(&self, id: u64) -> Result<Cancellation> {
        self.transport.one_call(|| self.cancel_and_read(id))
    }

    /// `{ORDERS}/{id}{rest}`; ids start at 1, and 0 (a C caller's unset
    /// id, say) is refused before anything is sent.
    fn order_url(&self, id: u64, rest: &str) -> Result<String> {
        if id == 0 {
            return Err(Error::invalid(
                "id",
                "is 0; an order id is a positive integer",
            ));
        }
        Ok(self.transport.url(&format!("{ORDERS}/{id}{rest}")))
    }

    fn cancel_and_read(&self, id: u64) -> Result<Cancellation> {
        let url = self.order_url(id, "/cancel")?;
        let response = self.transport.send(Request::new(Method::Post, url))?;
        if !(200..300).contains(&response.status) {
            return Err(response.into_error());
        }
        let message = message_of(&response)?;
        let (outcome, order) = match self.get(id) {
            Ok(order) => {
                let outcome = match order.status {
                    Status::Cancelled => CancelOutcome::Cancelled,
                    Status::Confirmed => CancelOutcome::Requested,
                    _ => CancelOutcome::Unknown,
                };
                (outcome, Some(order))
            }
            Err(_) => (CancelOutcome::Unknown, None),
        };
        Ok(Cancellation {
            outcome,
            message,
            order,
        })
    }
}

fn cart_of(response: &Response) -> Result<Cart> {
    response.json::<Cart>()
}

/// A created cart that is not `pending`, or for other items, another
/// reference, or another total than the order's items add up to, is
/// another order (a proxy's mix-up) or one read wrongly: never handed
/// back as the shop's. What the cart leaves out (its reference, its
/// items) is not compared.
fn as_sent(response: &Response, cart: Cart, order: &Value) -> Result<Cart> {
    if cart.status != Status::Pending {
        let why = format!("it is {}, not pending", quote(cart.status.as_str()));
        return Err(response.unexpected(&why));
    }
    let euros = |cents: i64| format!("{}.{:02}", cents / 100, cents % 100);
    let sent = sent_items(order);
    // A cart that gives no items (`null`, `[]`) leaves them out.
    let answered_items = (!cart.cart_items.is_empty()).then(|| {
        let items = cart.cart_items.iter();
        items_text(items.map(|item| (item.reference.as_str(), item.price_with_tax, item.quantity)))
    });
    let why = echo::differs([
        Echo {
            name: "cart_items",
            answered: answered_items,
            sent: sent.as_ref().map(|items| items_text(items.iter().copied())),
        },
        Echo::text("reference", cart.reference.clone(), order),
        // A total that is no whole number of cents differs as it is.
        Echo {
            name: "total_with_tax",
            answered: Some(
                cart.total_with_tax_cents()
                    .map_or_else(|| cart.total_with_tax.clone(), euros),
            ),
            sent: sent.as_deref().and_then(items_total).map(euros),
        },
    ]);
    match why {
        Some(why) => Err(response.unexpected(&why)),
        None => Ok(cart),
    }
}

/// The order's items as (reference, price_with_tax, quantity), when each
/// has a text reference and whole numbers.
fn sent_items(order: &Value) -> Option<Vec<(&str, i64, i64)>> {
    let items = order.get("cart_items")?.as_array()?.iter();
    items
        .map(|item| {
            let reference = item.get("reference")?.as_str()?;
            let price = crate::lenient::integer_of(item.get("price_with_tax")?)?;
            let quantity = crate::lenient::integer_of(item.get("quantity")?)?;
            Some((reference, price, quantity))
        })
        .collect()
}

/// Items as a message compares and shows them: `reference price x
/// quantity, ...`.
fn items_text<'a>(items: impl Iterator<Item = (&'a str, i64, i64)>) -> String {
    let each =
        items.map(|(reference, price, quantity)| format!("{reference} {price} x {quantity}"));
    each.collect::<Vec<_>>().join(", ")
}

/// What the items add up to in cents (each price times its quantity),
/// when the sum fits.
fn items_total(items: &[(&str, i64, i64)]) -> Option<i64> {
    items.iter().try_fold(0i64, |sum, (_, price, quantity)| {
        sum.checked_add(price.checked_mul(*quantity)?)
    })
}

/// `err`, for a creation's answer that is not the documented cart: the
/// order exists all the same, so when the answer names its `id`, the error
/// says it, for the shop to read or cancel the order rather than lose it.
fn naming_the_created(response: &Response, mut err: Error) -> Error {
    let id = serde_json::from_slice::<Value>(&response.body)
        .ok()
        // (Read as the cart's id is: "4567" and 4567.0 are 4567.)
        .and_then(|answer| crate::lenient::integer_of(answer.get("id")?))
        .filter(|id| *id > 0);
    if let (Some(id), Error::UnexpectedResponse { message, .. }) = (id, &mut err) {
        *message = format!(
            "the order was created with id {id} (read it with the get call, or cancel it), but {message}"
        );
    }
    err
}

/// The `message` of a success body (`{"message": "..."}`, or with
/// `"success": true`); `""` when the server gives none (no body, a 204, a
/// body without a `message`, or a null one): the call was done all the
/// same. `"success": false` is a refusal dressed as a success: nothing was
/// done (no SMS sent, nothing cancelled). Any other body (not an object,
/// a `success` that is not a boolean, a `message` that is not text, an
/// `error` or `errors`) says neither, and is unexpected: the call may have
/// acted. The message comes on one line, at most some 200 characters and
/// the whole length.
fn message_of(response: &Response) -> Result<String> {
    if response.body.iter().all(u8::is_ascii_whitespace) {
        return Ok(String::new());
    }
    let body: Value = response.json()?;
    if body.get("success") == Some(&Value::Bool(false)) {
        return Err(response.unexpected_refusal(&format!(
            "the server answered success false: {}",
            response.quoted_answer()
        )));
    }
    let says_failure = |key| {
        body.get(key)
            .is_some_and(|v| !v.is_null() && v != &json!([]))
    };
    // `None`: a message that is not text.
    let message = match body.get("message") {
        Some(Value::String(text)) => Some(text.as_str()),
        None | Some(Value::Null) => Some(""),
        Some(_) => None,
    };
    let undocumented = !body.is_object()
        || body.get("success").is_some_and(|v| v != &Value::Bool(true))
        || says_failure("error")
        || says_failure("errors")
        || message.is_none();
    if undocumented {
        return Err(response.unexpected(&format!(
            "the body is neither the documented success nor its refusal (\"success\": false): {}",
            response.quoted_answer()
        )));
    }
    let message = message.unwrap_or_default();
    // A message for people holds no NUL, and a C string cannot carry one.
    if let Some(at) = message.bytes().position(|b| b == 0) {
        return Err(response.unexpected(&format!(
            "the message holds a NUL byte at offset {at}, which no message of this API holds"
        )));
    }
    // Words for people, shown as the server's words are everywhere: on
    // one line (a line break or an escape could forge a log line) and
    // bounded, the whole length told.
    Ok(response.quoted(message.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cancellations_are_written_for_the_skins() {
        let cancellation = Cancellation {
            outcome: CancelOutcome::Requested,
            message: "Cancellation requested".into(),
            order: None,
        };
        assert_eq!(
            serde_json::to_value(&cancellation).unwrap(),
            json!({"outcome": "cancellation_requested", "message": "Cancellation requested", "status": null})
        );
    }
}
