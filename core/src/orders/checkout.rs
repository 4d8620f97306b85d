//! `/orders`: start a solicitation, the identification form (shown or sent
//! by SMS), the order's payment methods, confirm, hold or cancel it, and
//! update its references.

use super::payload::node::{Node, Shape};
use super::payload::{self, encode, Encode, EncodedOrder, JsonWriter, OrderCall, ValidateOptions};
use super::payment_methods::PaymentMethods;
use crate::error::{Error, Result};
use crate::form;
use crate::http::{Method, Request, Transport};
use crate::redact::quote;
use crate::redact::PathKey;
use crate::validate::id::MAX_PATH_ID;
use crate::validate::text::{describe, line_problem};
use crate::validate::url;
use crate::validate::Problems;
use serde_json::{json, Value};

/// The URI of one order, as seQura gave it in `Location` when the
/// solicitation started: `{endpoint}/orders/{uuid}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderUri(String);

impl OrderUri {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The order's uuid, the last segment of the URI (seQura's `order_ref`).
    pub fn uuid(&self) -> &str {
        self.0.rsplit('/').next().unwrap_or_default()
    }

    /// Accepts the full URI under `base_url`, or the bare uuid. The URI is
    /// compared with the endpoint part by part: the same scheme, host (in
    /// any case) and port (`https://host` is `https://host:443`), then the
    /// endpoint's path, `/orders/` and the uuid, nothing else (no user
    /// name, query or fragment): the credentials go only to the endpoint.
    pub(crate) fn parse(base_url: &str, text: &str) -> Result<OrderUri> {
        // The usual case, a URI this client was given: the endpoint's own
        // text, `/orders/` and a uuid, which the reading below takes as it is.
        if let Some(uuid) = text
            .strip_prefix(base_url)
            .and_then(|rest| rest.strip_prefix("/orders/"))
        {
            if is_uuid(uuid) {
                return Ok(OrderUri(text.to_owned()));
            }
        }
        let refused = || {
            Error::invalid(
                "order_uri",
                format!(
                    "{} is not an order URI of the configured endpoint (it must be {base_url}/orders/ and the order's uuid)",
                    url::quote_url(text)
                ),
            )
        };
        let uuid = if text.contains("://") {
            let uri =
                url::parse(text).map_err(|why| Error::invalid("order_uri", why.message(text)))?;
            let endpoint = url::endpoint(base_url).map_err(|_| refused())?;
            let path = format!("{}/orders/", endpoint.path.trim_end_matches('/'));
            let exact = uri.same_origin(&endpoint)
                && !uri.userinfo
                && uri.query.is_none()
                && uri.fragment.is_none();
            uri.path
                .strip_prefix(&path)
                .filter(|_| exact)
                .ok_or_else(refused)?
        } else {
            text
        };
        if !is_uuid(uuid) {
            return Err(Error::invalid(
                "order_uri",
                format!(
                    "{} does not end in an order uuid (letters, digits and '-')",
                    url::quote_url(text)
                ),
            ));
        }
        Ok(OrderUri::under(base_url, uuid))
    }

    /// `{base_url}/orders/{uuid}`, written without the formatting machinery:
    /// every call on an order given by its uuid makes one.
    fn under(base_url: &str, uuid: &str) -> OrderUri {
        const ORDERS: &str = "/orders/";
        let mut uri = String::with_capacity(base_url.len() + ORDERS.len() + uuid.len());
        uri.push_str(base_url);
        uri.push_str(ORDERS);
        uri.push_str(uuid);
        OrderUri(uri)
    }

    /// The order a solicitation's `Location` names, whatever its origin
    /// says, under the configured endpoint: `absolute`'s path ends in
    /// `/orders/{uuid}` (a `/` after it is taken too), with no query or
    /// fragment. A server behind a proxy that ends TLS may write
    /// `http://`, or its own host name and path; the order is the
    /// endpoint's all the same, and the credentials go only there. The
    /// API's other orders, `/merchants/{merchant}/orders/{order_ref_1}`
    /// (a confirmed order by the shop's reference), are no order URI.
    fn of_location(base_url: &str, absolute: &str) -> Option<OrderUri> {
        let location = url::parse(absolute).ok()?;
        if location.query.is_some() || location.fragment.is_some() {
            return None;
        }
        let path = location.path;
        let (orders, uuid) = path.strip_suffix('/').unwrap_or(path).rsplit_once('/')?;
        let before = orders.strip_suffix("/orders")?;
        let of_a_merchant = before
            .rsplit_once('/')
            .is_some_and(|(parent, _)| parent.ends_with("/merchants"));
        (!of_a_merchant && is_uuid(uuid)).then(|| OrderUri::under(base_url, uuid))
    }
}

impl std::fmt::Display for OrderUri {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The parameters of the identification form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FormOptions {
    /// The seQura product code, e.g. `i1` (pay later) or `pp3` (part payment).
    pub product: String,
    /// The campaign, for products that have campaigns.
    pub campaign: Option<String>,
    /// `true` for an HTML fragment to load in the page, `false` for a page.
    pub ajax: bool,
}

impl FormOptions {
    /// Reads `{"product": "i1", "campaign": null, "ajax": false}`; every key
    /// is optional and an unknown one is refused (it is usually a typo).
    pub fn from_json(options: &Value) -> Result<FormOptions> {
        let mut result = FormOptions::default();
        let Some(object) = options.as_object() else {
            return Err(Error::invalid("options", "must be an object"));
        };
        // Every problem of the options at once.
        let mut problems = Problems::new();
        for (key, value) in object {
            let at = format_args!("options.{}", PathKey(key.as_bytes()));
            match (key.as_str(), value) {
                ("product", Value::String(product)) => result.product = product.clone(),
                ("product", _) => problems.push(at, "must be a string"),
                ("campaign", Value::Null) => result.campaign = None,
                ("campaign", Value::String(s)) if s.is_empty() => result.campaign = None,
                ("campaign", Value::String(s)) => result.campaign = Some(s.clone()),
                ("campaign", _) => problems.push(at, "must be a string or null"),
                ("ajax", Value::Bool(ajax)) => result.ajax = *ajax,
                ("ajax", _) => problems.push(at, "must be true or false"),
                _ => problems.push(
                    at,
                    "is not an option of the form; the options are product, campaign and ajax",
                ),
            }
        }
        problems.into_result("options")?;
        Ok(result)
    }
}

impl Default for FormOptions {
    fn default() -> Self {
        FormOptions {
            product: "i1".into(),
            campaign: None,
            ajax: false,
        }
    }
}

/// The orders resource of a [`super::Client`].
pub struct Orders<'a> {
    transport: &'a Transport,
    validation: &'a ValidateOptions,
}

impl<'a> Orders<'a> {
    pub(crate) fn new(transport: &'a Transport, validation: &'a ValidateOptions) -> Self {
        Orders {
            transport,
            validation,
        }
    }

    /// Every problem of `order` for this client's contract options, as
    /// [`Orders::start`] and [`Orders::confirm`] check it; nothing is sent.
    pub fn validate(&self, order: &Value) -> Vec<crate::Problem> {
        payload::validate(order, self.validation)
    }

    /// Starts a solicitation: `POST /orders` with `{"order": order}`.
    ///
    /// The order is validated first ([`payload::validate`], with the client's
    /// contract options): one with problems is refused with all of them and
    /// nothing is sent. Otherwise it is sent exactly as given.
    /// 204 (or another success, 200 or 201) with a `Location` header → the
    /// new order's URI: whatever the success, the order exists, and its URI
    /// is what the shop needs. 409 →
    /// [`Error::Conflict`] with the server's reasons. Not sent again once
    /// it may have reached the server: a solicitation is not idempotent.
    pub fn start(&self, order: &Value) -> Result<OrderUri> {
        self.start_encoded(self.encode(OrderCall::Start, order, JsonWriter::default())?)
    }

    /// Validates `order` (read in place through [`Node`]) for `call` and
    /// writes its request body with `writer`, in one walk: an
    /// [`EncodedOrder`] for [`Orders::start_encoded`] (or `confirm_encoded`,
    /// `hold_encoded`, `cancel_encoded`), which report the order's problems
    /// if it has any. `Err` here when `writer` refused a value (JSON cannot
    /// carry it), with the order's other problems after it
    /// ([`Problems::merged`]): that stops the call before anything else.
    ///
    /// For the calls that set a state, the order is checked with the state
    /// it would be confirmed with and sent with the call's (in place of an
    /// empty one, or last when it has none), as [`Orders::confirm`] says.
    pub fn encode<'o, N: Node<'o>, W: Encode<'o, N>>(
        &self,
        call: OrderCall,
        order: N,
        writer: W,
    ) -> Result<EncodedOrder> {
        let (problems, written) = encode::walk(order, self.validation, call, writer);
        let body = match written {
            Ok(body) => body,
            Err(refused) => {
                return Err(Error::InvalidInput(Problems::merged(
                    refused, problems, "order",
                )))
            }
        };
        let checked = expect_object(order).and_then(|()| check_given_state(order, call));
        let body = match checked {
            Err(error) => Err(error),
            Ok(()) if problems.is_empty() => Ok(body),
            Ok(()) => Err(Error::InvalidInput(problems)),
        };
        Ok(EncodedOrder::new(call, body))
    }

    /// [`Orders::start`], for a body from [`Orders::encode`] with
    /// [`OrderCall::Start`]: refused with the order's problems if it has
    /// any, else sent as it is.
    pub fn start_encoded(&self, order: EncodedOrder) -> Result<OrderUri> {
        let body = order.body_for(OrderCall::Start)?;
        let url = self.transport.url("/orders");
        let request = Request::new(Method::Post, url.clone()).json_bytes(body);
        let response = self.transport.send(request)?;
        // seQura answers 204; any success with the order's URI is taken.
        if !(200..300).contains(&response.status) {
            return Err(response.into_error());
        }
        // Two orders named: neither is taken, and the shop is told both.
        if let Some(locations) = response.differing("location") {
            let shown: Vec<String> = locations.iter().map(|l| url::masked_url(l)).collect();
            return Err(response.unexpected(&format!(
                "the answer has Location headers that differ, so which order it created is not known: {}",
                response.quoted(shown.join(" and ").as_bytes())
            )));
        }
        let location = response.header("location").ok_or_else(|| {
            response.unexpected(if response.has_header("location") {
                "the Location header is not ASCII text, so it is no order URI (a URI is ASCII, RFC 3986)"
            } else {
                "the Location header with the order URI is missing"
            })
        })?;
        // Resolved against the request's URL, as RFC 3986 resolves it: a
        // bare uuid there is `{base}/{uuid}`, no order's URI.
        let absolute = self.transport.resolve(&url, location);
        // Quoted at an answer's length, not a caller value's: seQura took
        // the order, and the message is where the shop finds which one.
        let base_url = self.transport.base_url();
        OrderUri::parse(base_url, &absolute)
            .ok()
            .or_else(|| OrderUri::of_location(base_url, &absolute))
            .ok_or_else(|| {
                let shown = url::masked_url(location);
                response.unexpected(&format!(
                    "the Location header is not an order URI of this endpoint: {}",
                    response.quoted(shown.as_bytes())
                ))
            })
    }

    /// The identification form: `GET {order URI}/form_v2?product=&campaign=&ajax=`
    /// → 200 and the HTML to show the shopper. 404 for an unknown order; a
    /// 200 with an empty body or JSON is [`Error::UnexpectedResponse`].
    pub fn form(&self, order_uri: &str, options: &FormOptions) -> Result<String> {
        let uri = OrderUri::parse(self.transport.base_url(), order_uri)?;
        if let Some(why) = product_code_problem(&options.product) {
            return Err(Error::invalid("options.product", why));
        }
        if let Some(campaign) = &options.campaign {
            check_query_text("options.campaign", campaign)?;
        }
        // The URL written once, the query in place.
        let mut url = String::with_capacity(uri.0.len() + 64);
        url.push_str(&uri.0);
        url.push_str("/form_v2?");
        form::append_pairs(
            &mut url,
            [
                ("product", options.product.as_str()),
                ("campaign", options.campaign.as_deref().unwrap_or("")),
                ("ajax", if options.ajax { "true" } else { "false" }),
            ],
        );
        let request = Request::new(Method::Get, url).accept("text/html");
        let response = self.transport.send(request)?;
        if response.status != 200 {
            return Err(response.into_error());
        }
        // The form is HTML for the shopper's page: an empty body, or JSON
        // (an error object, say), would show the shopper a broken step and
        // tell the shop nothing.
        if response.body.trim_ascii().is_empty() {
            return Err(response
                .unexpected("the body is empty, where the identification form (HTML) should be"));
        }
        if response.is_labelled_json() {
            return Err(response.unexpected(&format!(
                "the body is JSON (Content-Type), where the identification form (HTML) should be: {}",
                response.quoted_answer()
            )));
        }
        response.text()
    }

    /// Confirms an approved order: `PUT {order URI}` with the full order and
    /// `state` `"confirmed"`.
    ///
    /// 200 (or 204) → confirmed. 409 → [`Error::Conflict`] with the server's
    /// reasons (the cart changed, the reference is taken, the order is not
    /// approved): do not complete the order. The order's `state` must be
    /// empty or `"confirmed"`; this call sends `"confirmed"`. Validated
    /// first, like [`Orders::start`].
    ///
    /// The legacy POS confirm (an in-store order without IPN) is this same
    /// call, from a client whose validation `flow` is `pos_legacy`; then
    /// send the order's reference with [`Orders::update_references`].
    pub fn confirm(&self, order_uri: &str, order: &Value) -> Result<()> {
        let order = self.encode(OrderCall::Confirm, order, JsonWriter::default());
        self.put_state(order_uri, order, OrderCall::Confirm)
    }

    /// Puts an approved order on hold while the shop reviews it: `PUT
    /// {order URI}` with the full order and `state` `"on_hold"`. 200 (or
    /// 204) → on hold; confirm or cancel it later. 409 → [`Error::Conflict`] (the
    /// order is not approved, or already confirmed or cancelled).
    pub fn hold(&self, order_uri: &str, order: &Value) -> Result<()> {
        let order = self.encode(OrderCall::Hold, order, JsonWriter::default());
        self.put_state(order_uri, order, OrderCall::Hold)
    }

    /// Cancels an order that is not confirmed yet (the shop will not take
    /// it): `PUT {order URI}` with the full order and `state`
    /// `"cancelled"`. 200 (or 204) → cancelled. 409 → [`Error::Conflict`]: a
    /// confirmed order is cancelled with [`super::Merchant::update_order`]
    /// and both carts empty instead.
    pub fn cancel(&self, order_uri: &str, order: &Value) -> Result<()> {
        let order = self.encode(OrderCall::Cancel, order, JsonWriter::default());
        self.put_state(order_uri, order, OrderCall::Cancel)
    }

    /// [`Orders::confirm`], for a body from [`Orders::encode`] with
    /// [`OrderCall::Confirm`].
    pub fn confirm_encoded(&self, order_uri: &str, order: EncodedOrder) -> Result<()> {
        self.put_state(order_uri, Ok(order), OrderCall::Confirm)
    }

    /// [`Orders::hold`], for a body from [`Orders::encode`] with
    /// [`OrderCall::Hold`].
    pub fn hold_encoded(&self, order_uri: &str, order: EncodedOrder) -> Result<()> {
        self.put_state(order_uri, Ok(order), OrderCall::Hold)
    }

    /// [`Orders::cancel`], for a body from [`Orders::encode`] with
    /// [`OrderCall::Cancel`].
    pub fn cancel_encoded(&self, order_uri: &str, order: EncodedOrder) -> Result<()> {
        self.put_state(order_uri, Ok(order), OrderCall::Cancel)
    }

    /// `PUT {order URI}` with the order and the state `call` sets. What the
    /// writer refused comes first, then the URI, then the order's own
    /// problems.
    fn put_state(
        &self,
        order_uri: &str,
        order: Result<EncodedOrder>,
        call: OrderCall,
    ) -> Result<()> {
        let order = order?;
        let uri = OrderUri::parse(self.transport.base_url(), order_uri)?;
        let body = order.body_for(call)?;
        let request = Request::new(Method::Put, uri.0).json_bytes(body);
        let response = self.transport.send(request)?;
        match response.status {
            200 | 204 => Ok(()),
            _ => Err(response.into_error()),
        }
    }

    /// Updates the shop's references of an order: `PATCH {order URI}` with
    /// `{"order": {"merchant_reference": {"order_ref_1": ..., "order_ref_2":
    /// ...}}}`. 200 (or 204) → updated. 409 → [`Error::Conflict`]:
    /// `order_ref_1` is already taken by another order of the merchant (for
    /// a confirmed order seQura cannot process it further until it is
    /// fixed), or the order is cancelled. Not sent again once it may have
    /// reached the server: a PATCH is not safe to repeat for the transport.
    pub fn update_references(&self, order_uri: &str, merchant_reference: &Value) -> Result<()> {
        let uri = OrderUri::parse(self.transport.base_url(), order_uri)?;
        check_references(merchant_reference)?;
        let body = json!({"order": {"merchant_reference": merchant_reference}});
        let response = self
            .transport
            .send(Request::new(Method::Patch, uri.0).json(&body))?;
        match response.status {
            200 | 204 => Ok(()),
            _ => Err(response.into_error()),
        }
    }

    /// Sends the identification form to the shopper's phone: `POST {order
    /// URI}/form_deliveries` with `{"channel": "sms", "product_code": ...}`.
    /// 200/202/204 → sent. 409 → [`Error::Conflict`] (the order is not
    /// pending, or has no mobile phone). Sent once.
    pub fn send_form(&self, order_uri: &str, product_code: &str) -> Result<()> {
        let uri = OrderUri::parse(self.transport.base_url(), order_uri)?;
        if let Some(why) = product_code_problem(product_code) {
            return Err(Error::invalid("product_code", why));
        }
        let body = json!({"channel": "sms", "product_code": product_code});
        let request = Request::new(Method::Post, format!("{uri}/form_deliveries")).json(&body);
        let response = self.transport.send(request)?;
        match response.status {
            200 | 202 | 204 => Ok(()),
            _ => Err(response.into_error()),
        }
    }

    /// The payment methods seQura offers for this order (its amount and
    /// shopper): `GET /orders/{uuid}/payment_methods` → 200 and the
    /// products, each with its code, campaign, titles and costs. 404 for an
    /// unknown order.
    pub fn payment_methods(&self, order_uri: &str) -> Result<PaymentMethods> {
        let uri = OrderUri::parse(self.transport.base_url(), order_uri)?;
        let request = Request::new(Method::Get, format!("{uri}/payment_methods"));
        let response = self.transport.send(request)?;
        if response.status != 200 {
            return Err(response.into_error());
        }
        response.json()
    }
}

/// `merchant_reference` of a reference update: an object with a non-empty
/// `order_ref_1` (string or integer) and optionally `order_ref_2` (a
/// string or integer as the order's is: it goes in no path).
pub(crate) fn check_references(reference: &Value) -> Result<()> {
    let Some(object) = reference.as_object() else {
        return Err(Error::invalid("merchant_reference", "must be an object"));
    };
    let mut problems = Problems::new();
    for (key, value) in object {
        let path = format_args!("merchant_reference.{}", PathKey(key.as_bytes()));
        let integer = |n: &serde_json::Number| n.is_u64() || n.is_i64();
        match (key.as_str(), value) {
            // The bound `orders update` puts on the reference in its path,
            // so that a reference set here can be used there.
            ("order_ref_1", Value::String(reference)) if !reference.trim().is_empty() => {
                if let Some(why) = crate::validate::id::segment_problem(reference) {
                    problems.push(path, why);
                }
            }
            ("order_ref_1", Value::Number(n)) if integer(n) => {}
            ("order_ref_1", _) => problems.push(path, "must be a non-empty string or an integer"),
            ("order_ref_2", Value::String(_) | Value::Null) => {}
            ("order_ref_2", Value::Number(n)) if integer(n) => {}
            ("order_ref_2", _) => problems.push(path, "must be a string or an integer"),
            _ => problems.push(
                path,
                "is not a reference; the references are order_ref_1 and order_ref_2",
            ),
        }
    }
    if !object.contains_key("order_ref_1") {
        problems.push(
            "merchant_reference.order_ref_1",
            "is required: seQura cannot pay an order without it",
        );
    }
    problems.into_result("merchant_reference")
}

/// A code that goes into a query string (the form's product and
/// campaign): as long as an id may be ([`MAX_PATH_ID`]), on one line.
fn check_query_text(argument: &str, text: &str) -> Result<()> {
    match line_problem(text, MAX_PATH_ID) {
        Some(why) => Err(Error::invalid(argument, why)),
        None => Ok(()),
    }
}

/// An order's uuid as it ends its URI: letters, digits and '-'.
pub(crate) fn is_uuid(uuid: &str) -> bool {
    !uuid.is_empty()
        && uuid.len() <= 64
        && uuid.bytes().all(|c| c.is_ascii_alphanumeric() || c == b'-')
}

/// What is wrong with `code` as a seQura product code, if anything: the
/// one check of the form's product, the SMS's and the IPN's.
pub(crate) fn product_code_problem(code: &str) -> Option<String> {
    if code.is_empty() {
        return Some("is empty; use a product code such as \"pp3\"".into());
    }
    (!is_product_code(code))
        .then(|| format!("{} is not a product code such as \"pp3\"", quote(code)))
}

/// seQura's product codes: a letter and up to a few letters and digits
/// (`i1`, `pp3`, `sp1`, `fp1`).
fn is_product_code(code: &str) -> bool {
    (1..=8).contains(&code.len())
        && code.starts_with(|c: char| c.is_ascii_lowercase())
        && code
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
}

/// An order is a JSON object (a PHP array with keys, not an empty one).
fn expect_object<'o, N: Node<'o>>(order: N) -> Result<()> {
    if order.shape() == Shape::Object {
        Ok(())
    } else {
        Err(Error::invalid("order", "must be a JSON object"))
    }
}

/// The state the caller gave fits `call`: empty (`""` or null) for a
/// start; empty or the call's own for the calls that set one.
fn check_given_state<'o, N: Node<'o>>(order: N, call: OrderCall) -> Result<()> {
    let Some(given) = order.get("state").filter(|state| !is_empty_state(*state)) else {
        return Ok(());
    };
    match call.state() {
        None => Err(Error::invalid(
            "state",
            format!(
                "is {} but must be empty (\"\" or null) when starting a solicitation",
                describe(given)
            ),
        )),
        Some(target) if given.as_bytes() != Some(target.as_bytes()) => Err(Error::invalid(
            "state",
            format!(
                "is {} but this call sends \"{target}\"; leave it empty or set \"{target}\"",
                describe(given)
            ),
        )),
        Some(_) => Ok(()),
    }
}

fn is_empty_state<'o, N: Node<'o>>(state: N) -> bool {
    state.is_null() || state.as_bytes() == Some(b"")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::{Client, Config, Endpoint};
    use crate::Problem;

    const BASE: &str = "https://sandbox.sequrapi.com";

    fn client() -> Client {
        Client::new(Config::new(Endpoint::Sandbox, "s1", "u", "p")).unwrap()
    }

    /// A small valid order, with text to escape.
    fn order() -> Value {
        let address = json!({
            "given_names": "Maria José", "surnames": "Barroso \"Rajoy\"", "company": "",
            "address_line_1": "C/ Aragó 383", "address_line_2": "5º", "postal_code": "08013",
            "city": "Barcelona", "country_code": "ES"
        });
        json!({
            "state": "",
            "merchant": {"id": "s1", "notify_url": "https://my.shop.tld/ipn"},
            "merchant_reference": {"order_ref_1": "ZXCV1234"},
            "cart": {
                "currency": "EUR", "gift": false, "order_total_with_tax": 6060,
                "items": [{"reference": "12-123-1234", "name": "Leather Case\n\u{2028}", "price_with_tax": 3030,
                           "quantity": 2, "total_with_tax": 6060, "downloadable": false}]
            },
            "delivery_method": {"name": "SEUR24"},
            "delivery_address": address,
            "invoice_address": address,
            "customer": {
                "given_names": "Maria José", "surnames": "Barroso Rajoy", "email": "nisse@example.com",
                "logged_in": true, "language_code": "es-ES", "ip_number": "12.23.34.45",
                "user_agent": null
            },
            "gui": {"layout": "desktop"},
            "platform": {"name": "shop", "version": "1.1", "uname": "Linux", "db_name": "mysql", "db_version": "8.0"}
        })
    }

    /// The body `call` would send for `order`, or why it would not.
    fn body(call: OrderCall, order: &Value) -> Result<Vec<u8>> {
        let client = client();
        let orders = client.orders();
        orders
            .encode(call, order, JsonWriter::default())?
            .body_for(call)
    }

    #[test]
    fn a_start_sends_the_json_serde_json_writes_of_the_order_once() {
        let order = order();
        let sent = body(OrderCall::Start, &order).unwrap();
        assert_eq!(
            sent,
            serde_json::to_vec(&json!({ "order": order })).unwrap()
        );
    }

    #[test]
    fn the_calls_that_set_a_state_send_the_order_with_theirs() {
        for (call, state) in [
            (OrderCall::Confirm, "confirmed"),
            (OrderCall::Hold, "on_hold"),
            (OrderCall::Cancel, "cancelled"),
        ] {
            let mut order = order();
            let sent: Value = serde_json::from_slice(&body(call, &order).unwrap()).unwrap();
            order["state"] = json!(state);
            assert_eq!(sent, json!({ "order": order }), "{call:?}");
            // Without a state, the call's goes last; with its own, in place.
            order.as_object_mut().unwrap().remove("state");
            let sent = String::from_utf8(body(call, &order).unwrap()).unwrap();
            assert!(
                sent.ends_with(&format!(r#","state":"{state}"}}}}"#)),
                "{sent}"
            );
            order["state"] = json!(state);
            assert_eq!(
                body(call, &order).unwrap(),
                serde_json::to_vec(&json!({ "order": order })).unwrap()
            );
        }
    }

    #[test]
    fn an_order_is_checked_as_each_call_checked_it() {
        let mut order = order();
        order["state"] = json!("confirmed");
        let start = body(OrderCall::Start, &order).unwrap_err();
        assert_eq!(start.problems()[0].path, "state");
        assert!(body(OrderCall::Confirm, &order).is_ok());
        let hold = body(OrderCall::Hold, &order).unwrap_err();
        assert!(hold.problems()[0]
            .message
            .contains("this call sends \"on_hold\""));
        assert!(
            body(OrderCall::Start, &json!([])).unwrap_err().problems()[0]
                .message
                .contains("JSON object")
        );
        let mut bad = super::tests::order();
        bad["cart"]["gift"] = json!("no");
        let problems = body(OrderCall::Cancel, &bad).unwrap_err();
        assert_eq!(problems.problems()[0].path, "cart.gift");
    }

    #[test]
    fn a_body_is_sent_only_by_the_call_it_was_encoded_for() {
        let client = client();
        let orders = client.orders();
        let encoded = orders
            .encode(OrderCall::Hold, &order(), JsonWriter::default())
            .unwrap();
        let err = orders
            .confirm_encoded(&format!("{BASE}/orders/abc"), encoded)
            .unwrap_err();
        assert_eq!(err.problems()[0].path, "order");
        assert!(err.to_string().contains("encoded for Hold"), "{err}");
    }

    /// A writer that refuses every string, as the extension's refuses
    /// text that is not UTF-8.
    #[derive(Default)]
    struct Refusing(Vec<Problem>);

    impl<'a> payload::node::Visit<'a, &'a Value> for Refusing {
        fn value(&mut self, _: &'a Value, _: &dyn std::fmt::Display) {}
        fn string(&mut self, _: &'a Value, _: &'a [u8], at: &dyn std::fmt::Display) {
            self.0.push(Problem::new(at.to_string(), "refused"));
        }
        fn open(&mut self, _: &'a Value, _: &dyn std::fmt::Display) {}
        fn key(&mut self, _: payload::node::Key<'a>, _: bool, _: &dyn std::fmt::Display, _: bool) {}
        fn element(&mut self, _: bool) {}
        fn close(&mut self, _: &'a Value) {}
    }

    impl<'a> Encode<'a, &'a Value> for Refusing {
        fn finish(self) -> std::result::Result<Vec<u8>, Vec<Problem>> {
            Err(self.0)
        }
    }

    #[test]
    fn what_the_writer_refuses_comes_before_the_uri_the_state_and_the_problems() {
        let client = client();
        let orders = client.orders();
        let mut order = order();
        order["state"] = json!("shipped");
        order["cart"]["gift"] = json!("no");
        let encoded = orders.encode(OrderCall::Confirm, &order, Refusing::default());
        let err = orders
            .put_state("https://evil.example/orders/x", encoded, OrderCall::Confirm)
            .unwrap_err();
        // What the writer refused, then the order's other problems with it;
        // not the URI's.
        let problems = err.problems();
        let others = problems
            .iter()
            .position(|p| p.message != "refused")
            .unwrap();
        assert!(others > 0, "{problems:?}");
        assert!(problems[others..].iter().all(|p| p.message != "refused"));
        assert!(
            problems.iter().any(|p| p.path == "cart.gift"),
            "{problems:?}"
        );
        assert!(problems.iter().all(|p| p.path != "order_uri"));
        // Without a refusal: the URI, then the state, then the order's problems.
        let encoded = orders.encode(OrderCall::Confirm, &order, JsonWriter::default());
        let err = orders
            .put_state("https://evil.example/orders/x", encoded, OrderCall::Confirm)
            .unwrap_err();
        assert_eq!(err.problems()[0].path, "order_uri");
        let encoded = orders
            .encode(OrderCall::Confirm, &order, JsonWriter::default())
            .unwrap();
        let err = orders.confirm_encoded("abc", encoded).unwrap_err();
        assert_eq!(err.problems()[0].path, "state");
        order["state"] = json!("");
        let encoded = orders
            .encode(OrderCall::Confirm, &order, JsonWriter::default())
            .unwrap();
        let err = orders.confirm_encoded("abc", encoded).unwrap_err();
        assert_eq!(err.problems()[0].path, "cart.gift");
    }

    #[test]
    fn order_uri_accepts_full_uri_or_uuid() {
        let full = format!("{BASE}/orders/3f2a-99");
        assert_eq!(OrderUri::parse(BASE, &full).unwrap().as_str(), full);
        assert_eq!(OrderUri::parse(BASE, "3f2a-99").unwrap().as_str(), full);
        assert_eq!(OrderUri::parse(BASE, "3f2a-99").unwrap().uuid(), "3f2a-99");
    }

    #[test]
    fn form_options_are_read_and_typos_refused() {
        let options = FormOptions::from_json(&json!({"product": "pp3", "ajax": true})).unwrap();
        assert_eq!(options.product, "pp3");
        assert!(options.ajax);
        let err = FormOptions::from_json(&json!({"prodcut": "pp3"})).unwrap_err();
        assert_eq!(err.problems()[0].path, "options.prodcut");
    }

    #[test]
    fn references_need_order_ref_1_and_nothing_else() {
        assert!(check_references(&json!({"order_ref_1": "A-1", "order_ref_2": 7})).is_ok());
        // order_ref_2 goes in no path: "" (none) is a reference as the order's is.
        assert!(check_references(&json!({"order_ref_1": "A-1", "order_ref_2": ""})).is_ok());
        let err = check_references(&json!({"order_ref_2": 1.5, "ref": 1})).unwrap_err();
        let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "merchant_reference.order_ref_2",
                "merchant_reference.ref",
                "merchant_reference.order_ref_1"
            ]
        );
        assert!(check_references(&json!("A-1")).is_err());
    }

    #[test]
    fn references_are_bounded_as_orders_update_bounds_them() {
        let long = "R".repeat(10 << 20);
        let err = check_references(&json!({"order_ref_1": long, "order_ref_2": "x"})).unwrap_err();
        let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["merchant_reference.order_ref_1"]);
        assert!(err.problems()[0].message.contains("longer than 255 bytes"));
        assert!(err.to_string().len() < 400, "{}", err.to_string().len());
        assert!(check_references(&json!({"order_ref_1": "R".repeat(255)})).is_ok());
        // Sent nowhere: refused before the request.
        let client = client();
        let err = client
            .orders()
            .update_references(
                &format!("{BASE}/orders/3f2a-99"),
                &json!({"order_ref_1": "R".repeat(256)}),
            )
            .unwrap_err();
        assert_eq!(err.kind(), crate::ErrorKind::InvalidInput);
    }

    #[test]
    fn the_form_product_and_campaign_are_bounded() {
        let client = client();
        for (options, path) in [
            (
                FormOptions {
                    product: "p".repeat(10 << 20),
                    ..FormOptions::default()
                },
                "options.product",
            ),
            (
                FormOptions {
                    campaign: Some("c".repeat(10 << 20)),
                    ..FormOptions::default()
                },
                "options.campaign",
            ),
            (
                FormOptions {
                    campaign: Some("c\r\n".into()),
                    ..FormOptions::default()
                },
                "options.campaign",
            ),
        ] {
            let err = client.orders().form("3f2a-99", &options).unwrap_err();
            assert_eq!(err.problems()[0].path, path);
            assert!(err.to_string().len() < 300);
        }
    }

    #[test]
    fn the_form_options_name_every_problem_under_options() {
        let err =
            FormOptions::from_json(&json!({"product": 1, "ajax": "yes", "colour": 1})).unwrap_err();
        let paths: Vec<&str> = err.problems().iter().map(|p| p.path.as_str()).collect();
        assert_eq!(paths, ["options.ajax", "options.colour", "options.product"]);
    }

    #[test]
    fn product_codes_are_short_lowercase_codes() {
        assert!(is_product_code("pp3"));
        assert!(is_product_code("i1"));
        assert!(!is_product_code(""));
        assert!(!is_product_code("PP3"));
        assert!(!is_product_code("3pp"));
        assert!(!is_product_code("pp3&x=1"));
    }

    #[test]
    fn order_uri_is_compared_part_by_part_not_as_a_prefix() {
        let full = format!("{BASE}/orders/3f2a-99");
        for same in [
            "https://sandbox.sequrapi.com:443/orders/3f2a-99",
            "https://SANDBOX.SequrAPI.com/orders/3f2a-99",
            "HTTPS://sandbox.sequrapi.com/orders/3f2a-99",
        ] {
            assert_eq!(
                OrderUri::parse(BASE, same).unwrap().as_str(),
                full,
                "{same}"
            );
        }
        let with_port = "https://sandbox.sequrapi.com:443";
        assert_eq!(
            OrderUri::parse(with_port, &full).unwrap().as_str(),
            format!("{with_port}/orders/3f2a-99")
        );
        for other in [
            "https://sandbox.sequrapi.com:8443/orders/3f2a-99",
            "http://sandbox.sequrapi.com/orders/3f2a-99",
            "https://user@sandbox.sequrapi.com/orders/3f2a-99",
            "https://sandbox.sequrapi.com/orders/3f2a-99?x=1",
            "https://sandbox.sequrapi.com/orders/3f2a-99#x",
            "https://sandbox.sequrapi.com/api/orders/3f2a-99",
            "https://sandbox.sequrapi.com.evil.example/orders/3f2a-99",
        ] {
            let err = OrderUri::parse(BASE, other).unwrap_err();
            assert_eq!(err.problems()[0].path, "order_uri", "{other}");
        }
        let long = format!("{BASE}/orders/{}", "a".repeat(50 << 20));
        let err = OrderUri::parse(BASE, &long).unwrap_err();
        assert!(err.to_string().len() < 300, "{}", err.to_string().len());
    }

    #[test]
    fn an_order_uri_under_the_endpoint_is_taken_as_the_full_reading_takes_it() {
        for base in [BASE, "http://127.0.0.1:8080", "https://h.example:8443/api"] {
            for uuid in [
                "3f2a-99",
                "a",
                &"b".repeat(64),
                "",
                "x/y",
                "ñ",
                &"c".repeat(65),
                "a?b",
            ] {
                let text = format!("{base}/orders/{uuid}");
                // The scheme in capitals: the same URI, through the full reading.
                let (scheme, rest) = text.split_once("://").unwrap();
                let full = OrderUri::parse(base, &format!("{}://{rest}", scheme.to_uppercase()));
                let fast = OrderUri::parse(base, &text);
                assert_eq!(fast.is_ok(), full.is_ok(), "{text}");
                if let (Ok(fast), Ok(full)) = (fast, full) {
                    assert_eq!(fast, full);
                }
            }
        }
    }

    #[test]
    fn order_uri_on_another_host_is_refused() {
        let err = OrderUri::parse(BASE, "https://evil.example/orders/abc").unwrap_err();
        assert_eq!(err.problems()[0].path, "order_uri");
        assert!(OrderUri::parse(BASE, &format!("{BASE}/orders/a/b")).is_err());
        assert!(OrderUri::parse(BASE, "").is_err());
    }
}
