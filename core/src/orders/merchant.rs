//! `/merchants/{merchant}`: the merchant's catalogue of payment methods,
//! the post-sale updates of its confirmed orders, and a credentials check
//! built on the catalogue.

use super::payment_methods::PaymentMethods;
use super::post_sale;
use crate::error::{Error, Problem, Result};
use crate::form;
use crate::http::{Method, Request, Response, Transport};
use crate::validate::text::describe;
use crate::validate::Problems;
use serde::de::IgnoredAny;
use serde_json::{json, Value};

/// The merchant resource of a [`super::Client`].
pub struct Merchant<'a> {
    transport: &'a Transport,
    merchant: &'a str,
    /// Let an update's keys the order document does not name through.
    allow_unknown_keys: bool,
}

impl<'a> Merchant<'a> {
    pub(crate) fn new(
        transport: &'a Transport,
        merchant: &'a str,
        allow_unknown_keys: bool,
    ) -> Self {
        Merchant {
            transport,
            merchant,
            allow_unknown_keys,
        }
    }

    /// The merchant's catalogue: `GET /merchants/{merchant}/payment_methods`
    /// → 200 and every product the merchant offers, with titles, costs and
    /// campaigns. For one order's offer use [`super::Orders::payment_methods`].
    pub fn payment_methods(&self) -> Result<PaymentMethods> {
        self.catalogue()?.json()
    }

    /// `GET /merchants/{merchant}/payment_methods`, answered 200.
    fn catalogue(&self) -> Result<Response> {
        let response = self.transport.send(Request::new(
            Method::Get,
            self.merchant_url("/payment_methods"),
        ))?;
        if response.status != 200 {
            return Err(response.into_error());
        }
        Ok(response)
    }

    /// Whether the endpoint, the merchant id and the credentials work
    /// together, for a shop's settings page; nothing is created. It reads
    /// the merchant's catalogue (`GET /merchants/{merchant}/payment_methods`):
    /// `Ok` when it answers 200. Otherwise the error says what to fix:
    /// [`Error::Authentication`] (the username or password, or the
    /// environment: sandbox credentials on live), [`Error::Forbidden`] or
    /// [`Error::NotFound`] (the merchant id), [`Error::Transport`] (the
    /// endpoint is unreachable).
    ///
    /// The answer is checked, not built: a JSON object with
    /// `payment_options`, whose values are skipped unread. (Its content
    /// type only words the error: a server may label JSON `text/plain`, as
    /// `getMerchantPaymentMethods` reads it all the same.)
    pub fn check_credentials(&self) -> Result<()> {
        let response = self.catalogue()?;
        let json = response.is_labelled_json();
        /// The catalogue's shape, nothing of its contents kept.
        #[derive(serde::Deserialize)]
        struct Catalogue {
            #[allow(dead_code)]
            payment_options: IgnoredAny,
        }
        match response.json::<Catalogue>() {
            Ok(_) => Ok(()),
            Err(_) if !json => Err(response.unexpected("the catalogue is not JSON (Content-Type)")),
            Err(error) => Err(error),
        }
    }

    /// Changes a confirmed order after the checkout: `PUT
    /// /merchants/{merchant}/orders/{order_ref_1}` with `{"order": update}`,
    /// where `update` holds `shipped_cart` and `unshipped_cart` (each with
    /// `currency`, `order_total_with_tax` and `items`) and optionally
    /// `trackings`, `delivery_method`, addresses and `customer`.
    ///
    /// Both carts together are the order as it now stands: a full
    /// shipment moves every item to `shipped_cart`; a partial one some; a
    /// refund drops shipped items; dropping unshipped ones cancels them;
    /// both empty cancel the order. `merchant.id` and
    /// `merchant_reference.order_ref_1` are filled in from the client and
    /// `order_ref_1` when absent, and must match them when present.
    ///
    /// The update is checked first: the carts' totals, references and
    /// currency; the other sections as an order's (a tracking's type and
    /// dates, an address); and a key neither document names, usually a
    /// typo (`trakings`, or `order_ref2` in `merchant_reference`), unless
    /// the client allows unknown keys. 200 or
    /// 204 → updated. 404 → no confirmed order has this reference. 409 →
    /// [`Error::Conflict`] with seQura's reasons (an item that was not
    /// confirmed, more than was confirmed, a shipped item moved back, the
    /// order is not confirmed or already cancelled). Retried like every
    /// PUT: the update is a whole state, so sending it twice is harmless.
    pub fn update_order(&self, order_ref_1: &str, update: &Value) -> Result<()> {
        self.update_order_owned(order_ref_1, update.clone())
    }

    /// Every problem of `update` as [`Merchant::update_order`] checks it
    /// for `order_ref_1`: the carts, and a `merchant.id` or
    /// `merchant_reference.order_ref_1` other than the client's merchant
    /// and `order_ref_1`. Nothing is sent. (The extension's converter
    /// lists these after the values it refuses, so that a NaN hides none.)
    pub fn validate_update(&self, order_ref_1: &str, update: &Value) -> Vec<Problem> {
        let mut problems = Problems::new();
        post_sale::check_update(update, self.allow_unknown_keys, &mut problems);
        for (section, key, value) in self.filled_in(order_ref_1) {
            if let Some((path, message)) = conflict(update, section, key, value) {
                problems.push(path, message);
            }
        }
        problems.finish("update")
    }

    /// [`Merchant::update_order`] for an update the caller hands over (the
    /// extension's, read from PHP): filled in where it is and written once
    /// inside `{"order": ...}`, without a copy or a second `Value`.
    pub fn update_order_owned(&self, order_ref_1: &str, mut order: Value) -> Result<()> {
        let segment = post_sale::order_ref_segment(order_ref_1)?;
        let problems = self.validate_update(order_ref_1, &order);
        if !problems.is_empty() {
            return Err(Error::InvalidInput(problems));
        }
        for (section, key, value) in self.filled_in(order_ref_1) {
            let entry = &mut order[section];
            if entry.is_null() {
                *entry = json!({});
            }
            if let Some(object) = entry.as_object_mut() {
                let given = object.entry(key).or_insert(Value::Null);
                if given.is_null() {
                    *given = json!(value);
                }
            }
        }
        let mut body = br#"{"order":"#.to_vec();
        // Writing a Value into a Vec cannot fail: its keys are strings.
        let _ = serde_json::to_writer(&mut body, &order);
        body.push(b'}');
        let path = format!("/orders/{segment}");
        let request = Request::new(Method::Put, self.merchant_url(&path)).json_bytes(body);
        let response = self.transport.send(request)?;
        match response.status {
            200 | 204 => Ok(()),
            _ => Err(response.into_error()),
        }
    }

    /// What an update names of the call, filled in when it leaves it out:
    /// `(section, key, value)`.
    fn filled_in<'v>(&'v self, order_ref_1: &'v str) -> [(&'static str, &'static str, &'v str); 2] {
        [
            ("merchant", "id", self.merchant),
            ("merchant_reference", "order_ref_1", order_ref_1),
        ]
    }

    /// `{endpoint}/merchants/{merchant}{path}`.
    fn merchant_url(&self, path: &str) -> String {
        self.transport
            .url(&format!("/merchants/{}{path}", form::encode(self.merchant)))
    }
}

/// What is wrong with `update[section][key]`, which the call fills in
/// with `value` when it is absent or null: a section that is not an
/// object, or a value other than `value`. Nothing for an update that is
/// not an object (its own problem says so).
fn conflict(update: &Value, section: &str, key: &str, value: &str) -> Option<(String, String)> {
    let given = match update.get(section) {
        None | Some(Value::Null) => return None,
        Some(Value::Object(object)) => object.get(key)?,
        Some(other) => {
            let message = format!("must be an object, not {}", describe(other));
            return Some((section.to_string(), message));
        }
    };
    let same = match given {
        Value::Null => true,
        Value::String(given) => given == value,
        Value::Number(given) => given.to_string() == value,
        _ => false,
    };
    (!same).then(|| {
        let message = format!(
            "is {} but the call is for {}; leave it out or make them equal",
            describe(given),
            crate::redact::quote(value)
        );
        (format!("{section}.{key}"), message)
    })
}
