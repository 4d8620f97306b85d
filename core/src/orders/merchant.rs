//! `/merchants/{merchant}`: the merchant's catalogue of payment methods,
//! the post-sale updates of its confirmed orders, and a credentials check
//! built on the catalogue.

use super::payment_methods::PaymentMethods;
use super::post_sale;
use crate::error::{Error, Result};
use crate::form;
use crate::http::{Method, Request, Response, Transport};
use serde::de::IgnoredAny;
use serde_json::{json, Value};

/// The merchant resource of a [`super::Client`].
pub struct Merchant<'a> {
    transport: &'a Transport,
    merchant: &'a str,
}

impl<'a> Merchant<'a> {
    pub(crate) fn new(transport: &'a Transport, merchant: &'a str) -> Self {
        Merchant {
            transport,
            merchant,
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
    /// The answer is checked, not built: a JSON body (by its content type)
    /// that is an object with `payment_options`, whose values are skipped
    /// unread.
    pub fn check_credentials(&self) -> Result<()> {
        let response = self.catalogue()?;
        let json = response.header("content-type").is_some_and(|media_type| {
            let essence = media_type
                .split(';')
                .next()
                .unwrap_or_default()
                .trim()
                .to_ascii_lowercase();
            // application/json, or a type with the +json suffix (RFC 6839,
            // 3.1: application/vnd.api+json is JSON too).
            essence == "application/json"
                || essence
                    .strip_prefix("application/")
                    .is_some_and(|subtype| subtype.len() > 5 && subtype.ends_with("+json"))
        });
        if !json {
            return Err(response.unexpected("the catalogue is not JSON (Content-Type)"));
        }
        /// The catalogue's shape, nothing of its contents kept.
        #[derive(serde::Deserialize)]
        struct Catalogue {
            #[allow(dead_code)]
            payment_options: IgnoredAny,
        }
        response.json::<Catalogue>().map(|_| ())
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
    /// The carts are checked first (totals, references, currency). 200 or
    /// 204 → updated. 404 → no confirmed order has this reference. 409 →
    /// [`Error::Conflict`] with seQura's reasons (an item that was not
    /// confirmed, more than was confirmed, a shipped item moved back, the
    /// order is not confirmed or already cancelled). Retried like every
    /// PUT: the update is a whole state, so sending it twice is harmless.
    pub fn update_order(&self, order_ref_1: &str, update: &Value) -> Result<()> {
        self.update_order_owned(order_ref_1, update.clone())
    }

    /// [`Merchant::update_order`] for an update the caller hands over (the
    /// extension's, read from PHP): filled in where it is and written once
    /// inside `{"order": ...}`, without a copy or a second `Value`.
    pub fn update_order_owned(&self, order_ref_1: &str, mut order: Value) -> Result<()> {
        let segment = post_sale::order_ref_segment(order_ref_1)?;
        post_sale::check_update(&order)?;
        self.fill_in(&mut order, "/merchant/id", "merchant", "id", self.merchant)?;
        self.fill_in(
            &mut order,
            "/merchant_reference/order_ref_1",
            "merchant_reference",
            "order_ref_1",
            order_ref_1,
        )?;
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

    /// Sets `order[section][key]` to `value`, or checks that the caller's
    /// own value is the same.
    fn fill_in(
        &self,
        order: &mut Value,
        pointer: &str,
        section: &str,
        key: &str,
        value: &str,
    ) -> Result<()> {
        match order.pointer(pointer) {
            None | Some(Value::Null) => {
                let entry = &mut order[section];
                if entry.is_null() {
                    *entry = json!({});
                }
                match entry.as_object_mut() {
                    Some(object) => {
                        object.insert(key.to_string(), json!(value));
                        Ok(())
                    }
                    None => Err(Error::invalid(section, "must be an object")),
                }
            }
            Some(Value::String(given)) if given == value => Ok(()),
            Some(Value::Number(given)) if given.to_string() == value => Ok(()),
            Some(given) => Err(Error::invalid(
                format!("{section}.{key}"),
                format!(
                    "is {} but the call is for {}; leave it out or make them equal",
                    crate::validate::text::describe(given),
                    crate::redact::quote(value)
                ),
            )),
        }
    }

    /// `{endpoint}/merchants/{merchant}{path}`.
    fn merchant_url(&self, path: &str) -> String {
        self.transport
            .url(&format!("/merchants/{}{path}", form::encode(self.merchant)))
    }
}
